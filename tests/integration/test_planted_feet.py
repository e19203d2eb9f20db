"""Planted feet end to end (formcheck.feet through the pipeline), on the rendered sample RDLs' stored landmarks
(the real model's output) against their labels' exact angles: reading the feet where they stood brings the knee at
each rep's bottom and the shins' tilt change closer to the truth (docs/ACCURACY.md "Planted feet")."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, ROOT


def _analyse(stem: str, pin: bool):
    config = load_config()
    config = dataclasses.replace(config, cleaning=dataclasses.replace(config.cleaning, pin_planted_feet=pin))
    return analyze_landmarks(PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz"), config, exercise="rdl")


def _bottom_knee_errors(stem: str, pin: bool) -> np.ndarray:
    """Knee flexion read at each labelled rep's bottom frame minus the label's (degrees)."""
    label = json.loads((ROOT / "sample_videos" / f"{stem}.json").read_text())
    truth = np.asarray(label["frames"]["angles"]["knee_flexion_deg"], dtype=float)
    series = _analyse(stem, pin).series
    frames = list(series.frame_index)
    read = series["knee_flexion_deg"]
    return np.array([read[frames.index(r["bottom_frame"])] - truth[r["bottom_frame"]] for r in label["reps"]])


@pytest.mark.parametrize("stem", ["rdl_clean", "rdl_knees_bend"])
def test_the_knee_at_the_bottom_reads_closer_to_the_truth_with_the_feet_pinned(stem):
    before, after = _bottom_knee_errors(stem, pin=False), _bottom_knee_errors(stem, pin=True)
    assert np.all(np.isfinite(before)) and np.all(np.isfinite(after))
    assert np.mean(np.abs(after)) < np.mean(np.abs(before)) - 2.0, (before, after)
    assert np.max(np.abs(after)) < 8.0, after


def test_the_hybrid_reps_shin_change_reads_near_its_size_only_with_the_feet_pinned():
    """rdl_knees_bend: reps 3 and 4 tilt the shins +15 (COACHING.md's fault size), reps 1 and 2 +0.4."""
    findings = {
        pin: {f.rep: f for f in _analyse("rdl_knees_bend", pin).findings if f.rule == "rdl.knees_frozen"}
        for pin in (False, True)
    }
    for rep in (3, 4):
        assert findings[True][rep].value == pytest.approx(15.0, abs=3.0)
        assert findings[False][rep].value < 10.0  # read at about half its size before
        assert findings[True][rep].verdict == "fault"
    for rep in (1, 2):
        assert abs(findings[True][rep].value) < 2.0
        assert findings[True][rep].verdict == "pass"
