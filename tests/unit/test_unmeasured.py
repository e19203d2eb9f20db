"""A rule that cannot measure what it needs says which body point was missing, where, and why
(formcheck.exercises.base ``missing``, ``why_unmeasured``; formcheck.trust ``TrustTable.least_seen_at``).

A generated RDL set whose ankles are never found during one rep (as behind a 45 cm plate or under the frame's
edge): the rules reading the knee angle on that rep say "knee flexion could not be measured in 100 % of the start
position: the ankle was not seen", not a bare "could not be measured"; the other reps are judged as before.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import trust
from formcheck.config import load_config
from formcheck.exercises.base import RuleContext, missing, signal_words, why_unmeasured
from formcheck.landmarks import PAIRS
from formcheck.pipeline import analyze_landmarks
from tests import synthetic as S

CFG = load_config()


def finding(a, rep: int, rule: str):
    return next(f for f in a.findings_for(rep) if f.rule == rule)


@pytest.fixture(scope="module")
def ankles_lost():
    """Three synthetic RDLs; the ankles (and heels, toes) not found from rep 2's start to its lockout."""
    syn = S.rdl_set()
    whole = analyze_landmarks(syn.seq, CFG, exercise="rdl")
    rep = next(r for r in whole.reps if r.index == 2)
    xy = syn.seq.xy.copy()
    vis = syn.seq.visibility.copy()
    rows = slice(rep.start - 10, rep.lockout + 1)
    for joint in ("ankle", "heel", "toe"):
        for lm in PAIRS[joint]:
            xy[rows, lm] = np.nan
            vis[rows, lm] = 0.0
    lost = analyze_landmarks(syn.seq.replace(xy=xy, visibility=vis), CFG, exercise="rdl")
    return whole, lost


def test_the_missing_point_is_named(ankles_lost):
    whole, lost = ankles_lost
    f = finding(lost, 2, "rdl.knees_locked")
    assert f.verdict == "not_checked"
    assert f.message.startswith("knee flexion could not be measured in 100% of the start position"), f.message
    assert f.message.endswith("the ankle was not seen (hidden or out of frame)"), f.message
    # the reps where the ankle was seen keep their verdicts
    for index in (1, 3):
        assert finding(lost, index, "rdl.knees_locked").verdict == finding(whole, index, "rdl.knees_locked").verdict


def test_without_a_trust_table_the_reason_stays_general(ankles_lost):
    _, lost = ankles_lost
    rep = next(r for r in lost.reps if r.index == 2)
    ctx = RuleContext(lost.series, lost.reps, CFG.rdl, "side", exercise="rdl")
    why = missing(ctx, ("knee_flexion_deg",), rep.start, rep.end, "the rep")
    assert why == "knee flexion could not be measured in this rep (landmarks hidden or out of frame)"
    assert why_unmeasured(ctx, "knee_flexion_deg", np.arange(rep.start, rep.end)) is None


def test_a_signal_measured_enough_is_not_missing(ankles_lost):
    _, lost = ankles_lost
    rep = next(r for r in lost.reps if r.index == 1)
    ctx = RuleContext(lost.series, lost.reps, CFG.rdl, "side", exercise="rdl", trust=lost.trust)
    assert missing(ctx, ("knee_flexion_deg", "hip_deg"), rep.start, rep.end) is None


def test_least_seen_point():
    joints = ("hip", "knee", "ankle")
    flags = np.zeros((6, len(joints)), dtype=np.uint16)
    flags[:, 0] = trust.Reason.BEHIND_PLATE  # seen, but hidden: not the missing one
    flags[1:5, 2] = trust.Reason.NOT_MEASURED
    flags[2, 1] = trust.Reason.NOT_MEASURED
    table = trust.TrustTable(joints, flags)
    assert table.least_seen_at(joints, np.arange(6)) == "ankle"
    assert table.least_seen_at(("hip",), np.arange(6)) is None
    assert table.least_seen_at(joints, np.array([0, 5])) is None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("knee_flexion_deg", "knee flexion"),
        ("hip_back", "hip back"),
        ("wrist_above_knee_leg", "wrist above knee"),
        ("torso_length_ratio", "torso length"),
        ("bar_to_leg", "the hands (bar)"),
        ("hip_deg", "the hip angle"),
    ],
)
def test_signal_words(name, words):
    assert signal_words(name) == words
