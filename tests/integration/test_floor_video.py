"""dl.floor on a rendered deadlift video: the plate search decodes the frames and the rule reads the plate it found.

``tests/data/rendered/deadlift_hover_az0_right``: five pulls with 45 cm plates filmed from the side, rendered by
``formcheck synth`` (the command is in its ``.truth.json``), with the full model's landmarks beside it. Pulls 1 and 3
start from the floor; pull 2 turns 0.05 leg lengths above it (COACHING.md §3's fault size), pull 4 0.1, pull 5 0.02.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence

DATA = Path(__file__).resolve().parents[1] / "data" / "rendered"
STEM = "deadlift_hover_az0_right"


@pytest.fixture(scope="module")
def judged():
    truth = json.loads((DATA / f"{STEM}.truth.json").read_text())
    seq = PoseSequence.load_npz(DATA / f"{STEM}.full.npz")
    analysis = analyze_landmarks(seq, load_config(), exercise="deadlift", video=DATA / f"{STEM}.mp4")
    match = match_reps(truth["lockout_s"], analysis.reps)
    by_rep = {f.rep: f for f in analysis.findings if f.rule == "dl.floor"}
    return truth, analysis, {k: by_rep[rep] for k, rep in match.items()}


def test_every_pull_is_counted_and_the_plate_found(judged):
    truth, analysis, found = judged
    assert len(analysis.reps) == len(truth["lockout_s"]) == len(found)
    plates = analysis.to_dict()["measurement"]["plates"]
    assert plates["checked"] and all(r["plate"] for r in plates["reps"])


def test_pulls_not_set_down_are_faults_and_those_set_down_are_not(judged):
    truth, _, found = judged
    above = truth["liftoff_above_floor_leg"]
    for k, f in found.items():
        if above[k] >= 0.05:  # COACHING.md §3's fault size and twice it
            assert f.verdict == "fault", (k, f.message)
            assert f.value == pytest.approx(above[k], abs=f.uncertainty)
        elif above[k] == 0.0:  # set down: a pass, or the set's floor the others are measured from
            assert f.verdict in ("pass", "not_checked"), (k, f.message)
            assert f.verdict == "pass" or "the floor the other pulls are measured from" in f.message
    assert sum(f.verdict == "pass" for k, f in found.items() if above[k] == 0.0) >= 1
