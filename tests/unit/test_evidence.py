"""Rules read trust at their evidence frames (formcheck.exercises.base ``Rule.evidence``, ``evidence_sets``).

The near plate passes in front of the knee mid-descent in every plated RDL, while ``rdl.knees_frozen`` reads the knee
at the start and at the bottom only: a knee hidden between them must not stop the rule, a knee hidden at the bottom
must. And no rule may declare frames outside its rep.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck import trust
from formcheck.config import load_config
from formcheck.exercises import LIFTS
from formcheck.exercises.base import (
    BOTTOM_FRAMES,
    Phase,
    Rule,
    RuleContext,
    declares_evidence,
    evidence_sets,
    rep_frames,
    rule_joints,
    run_rule,
)
from formcheck.pipeline import analyze_landmarks
from formcheck.types import Rep
from tests import synthetic as S

CFG = load_config()
#: Extra knee flexion of a squat-hinge hybrid well past fault size when the hips do not go back.
KNEE_FAULT = 45.0


def rule(lift: str, rule_id: str) -> Rule:
    return next(r for r in LIFTS[lift].rules if r.id == rule_id)


KNEES_FROZEN = rule("rdl", "rdl.knees_frozen")


@pytest.fixture(scope="module")
def faulty():
    """Three synthetic RDLs, rep 2 a squat-hinge hybrid at fault size, analysed once."""
    syn = S.rdl_set(knee_drift_deg={2: KNEE_FAULT}, hip_shift_by_rep={2: 0.0})
    a = analyze_landmarks(syn.seq, CFG, exercise="rdl")
    rep = next(r for r in a.reps if r.index == 2)
    return a, rep


def context(a, table: trust.TrustTable) -> RuleContext:
    return RuleContext(
        a.series, a.reps, CFG.rdl, "side", exercise="rdl", trust=table, trust_config=CFG.trust, pure_side=True
    )


def behind_plate(table: trust.TrustTable, joint: str, frames: np.ndarray) -> trust.TrustTable:
    """``table`` with ``joint`` hidden behind the plate in ``frames``."""
    flags = table.flags.copy()
    flags[frames, table.joints.index(joint)] |= np.uint8(trust.Reason.BEHIND_PLATE)
    return trust.TrustTable(table.joints, flags)


def mid_descent(rep: Rep) -> np.ndarray:
    """The descent between the start position and the bottom (what the plate covers on a plated RDL)."""
    return np.arange(rep.start + 1, rep.bottom - BOTTOM_FRAMES)


def test_knee_hidden_mid_descent_does_not_stop_the_knee_rule(faulty):
    a, rep = faulty
    clean = run_rule(KNEES_FROZEN, context(a, a.trust), rep)
    assert clean.verdict == "fault", clean
    hidden = behind_plate(a.trust, "knee", mid_descent(rep))
    # over the whole descent the knee is evidence in too little of it: a whole-phase test would skip the rule
    assert hidden.trusted_share(("knee",), *Phase.DESCENT.window(rep)) < CFG.trust.min_trusted_share
    f = run_rule(KNEES_FROZEN, context(a, hidden), rep)
    assert (f.verdict, f.value, f.confidence) == (clean.verdict, clean.value, clean.confidence), f
    assert "plate" not in f.message


def test_knee_hidden_at_the_bottom_stops_the_knee_rule(faulty):
    a, rep = faulty
    hidden = behind_plate(a.trust, "knee", np.arange(*Phase.BOTTOM.window(rep)))
    f = run_rule(KNEES_FROZEN, context(a, hidden), rep)
    assert f.verdict == "not_checked", f
    # 7 bottom frames of 7 + 4 start-position frames
    assert f.message == "the knee is hidden behind the plate in 64% of the start position and the bottom"


def test_knee_hidden_at_the_bottom_frame_only_caps_the_fault(faulty):
    """One frame is too few to skip the rule; the key frame (the bottom) hidden makes the fault a warning."""
    a, rep = faulty
    f = run_rule(KNEES_FROZEN, context(a, behind_plate(a.trust, "knee", np.array([rep.bottom]))), rep)
    assert f.verdict == "warn" and "the knee is hidden behind the plate at the key frame" in f.message, f


def test_the_hip_is_read_over_the_whole_descent(faulty):
    """Per joint: the hip angle's range is read over the descent, so the hip hidden there does stop the rule."""
    a, rep = faulty
    f = run_rule(KNEES_FROZEN, context(a, behind_plate(a.trust, "hip", mid_descent(rep))), rep)
    assert f.verdict == "not_checked", f
    assert f.message.startswith("the hip is hidden behind the plate in ")
    assert f.message.endswith("of the start position, the descent and the bottom")


def test_a_rule_without_declared_evidence_reads_its_phase(faulty):
    """Rules that declare no evidence keep the whole-phase test: the hip at the top for hinge.hips_through."""
    _, rep = faulty
    hips_through = rule("rdl", "hinge.hips_through")
    assert not declares_evidence(hips_through)
    (only,) = evidence_sets(hips_through, rep)
    assert only.joints == rule_joints(hips_through) and only.words == "the top"
    assert list(only.frames) == list(range(*Phase.TOP.window(rep)))
    # the judgement's span, when it gives one, is its evidence for the warning cap
    (spanned,) = evidence_sets(hips_through, rep, (rep.lockout + 1, rep.lockout + 3))
    assert list(spanned.frames) == [rep.lockout + 1, rep.lockout + 2]


def make_rep(start: int, bottom: int, lockout: int, end: int) -> Rep:
    nan = float("nan")
    return Rep(1, start, bottom, lockout, end, start, bottom, lockout, end, 1.0, 0.0, 1.0, 0.0, nan, nan, nan)


#: Rep shapes: an ordinary rep, one starting at the clip's first frame low (no start position before it), one whose
#: top is the clip's last frame, one turning straight round at the bottom, and a very short one.
REPS = (
    make_rep(30, 90, 130, 160),
    make_rep(0, 0, 40, 60),
    make_rep(10, 50, 80, 80),
    make_rep(5, 40, 41, 41),
    make_rep(3, 4, 5, 6),
)


@pytest.mark.parametrize("rep", REPS, ids=lambda r: f"{r.start}-{r.bottom}-{r.lockout}-{r.end}")
def test_every_evidence_window_lies_inside_the_rep(rep):
    a, b = rep_frames(rep)
    assert a == max(rep.start - 3, 0) and b >= rep.end
    for phase in Phase:
        lo, hi = phase.window(rep)
        assert a <= lo < hi <= b, (phase, rep)
    seen = 0
    for lift in LIFTS.values():
        for r in lift.rules:
            declared = {*r.evidence, *(p for _, phases in r.joint_evidence for p in phases)}
            assert all(isinstance(p, Phase) for p in declared), r.id
            assert {j for j, _ in r.joint_evidence} <= set(rule_joints(r)), r.id  # names joints the rule reads
            for s in evidence_sets(r, rep):
                assert s.joints and s.frames.size, (r.id, rep)
                assert a <= int(s.frames.min()) and int(s.frames.max()) < b, (r.id, rep, s)
                seen += 1
    assert seen > 20


def test_the_rules_that_read_less_than_their_phase_say_so():
    """The checks read in rdl.py, deadlift.py and hip_thrust.py (each rule's comment says why)."""
    assert KNEES_FROZEN.evidence == (Phase.START, Phase.BOTTOM)
    assert dict(KNEES_FROZEN.joint_evidence) == {
        "hip": (Phase.START, Phase.DESCENT, Phase.BOTTOM),
        "shoulder": (Phase.DESCENT,),
    }
    assert rule("rdl", "rdl.hips_back").evidence == (Phase.START, Phase.BOTTOM)
    assert dict(rule("rdl", "rdl.hips_back").joint_evidence) == {
        "knee": (Phase.START, Phase.BOTTOM),
        "hip": (Phase.START, Phase.DESCENT, Phase.BOTTOM),
        "shoulder": (Phase.DESCENT,),
    }
    assert rule("hip_thrust", "ht.look_at_wall").evidence == (Phase.BOTTOM, Phase.TOP)
    # the variants share the RDL's declarations
    for lift in ("stiff_leg_deadlift", "single_leg_rdl"):
        assert rule(lift, "rdl.knees_frozen").evidence == KNEES_FROZEN.evidence


def test_a_bottom_window_is_cut_at_the_rep():
    rep = make_rep(10, 12, 14, 15)
    assert Phase.BOTTOM.window(rep) == (10, 15)
    assert Phase.BOTTOM.window(replace(rep, bottom=40, lockout=60, end=90)) == (37, 44)


@pytest.fixture(scope="module")
def pulled():
    """Three synthetic floor-start deadlifts analysed once; in rep 2 the bar passes the knees half-way up (the
    generated set holds its hands at the knees from the floor), and every joint is evidence everywhere."""
    from tests.synthetic_deadlift import deadlift_set

    a = analyze_landmarks(deadlift_set().seq, CFG, exercise="deadlift")
    rep = next(r for r in a.reps if r.index == 2)
    knees = rep.rise + (rep.lockout - rep.rise) // 2
    values = a.series.values.copy()
    values[:, a.series.names.index("wrist_above_knee_leg")] = np.where(np.arange(len(values)) >= knees, 0.1, -0.1)
    series = replace(a.series, values=values)
    table = trust.TrustTable(a.trust.joints, np.zeros_like(a.trust.flags))
    ctx = RuleContext(
        series, a.reps, CFG.deadlift, "side", exercise="deadlift", trust=table, trust_config=CFG.trust, pure_side=True
    )
    return rep, ctx, knees


HIPS_FIRST = rule("deadlift", "dl.hips_first")


def test_hips_first_reads_the_pull_to_the_knees(pulled):
    """dl.hips_first reads the trunk from the lift-off until the bar passes the knees: a hip behind the near plate
    at the top (clip_088: a 45 cm plate over the hip at lockout) does not stop it; hidden in the pull to the knees
    it does, and says where."""
    rep, ctx, knees = pulled
    assert HIPS_FIRST.reads(ctx, rep) == (Phase.LIFTOFF.window(rep)[0], knees + 1)
    lo, hi = HIPS_FIRST.reads(ctx, rep)
    clean = run_rule(HIPS_FIRST, ctx, rep)
    assert clean.verdict == "pass", clean
    # the hip behind the plate from the bar at the knees to the end of the top: most of the way up
    top_half = np.arange(hi, Phase.TOP.window(rep)[1])
    hidden = behind_plate(ctx.trust, "hip", top_half)
    assert hidden.trusted_share(("hip",), *Phase.CONCENTRIC.window(rep)) < CFG.trust.min_trusted_share
    f = run_rule(HIPS_FIRST, replace(ctx, trust=hidden), rep)
    assert (f.verdict, f.value) == (clean.verdict, clean.value), f
    # hidden in the frames it reads: not checked, named by those frames
    f = run_rule(HIPS_FIRST, replace(ctx, trust=behind_plate(ctx.trust, "hip", np.arange(lo, hi))), rep)
    assert f.verdict == "not_checked", f
    assert f.message == "the hip is hidden behind the plate in 100% of the pull to the knees"


def test_only_rules_without_declared_frames_read_by_their_signals():
    """``Rule.reads`` stands in for the phase of a rule that declares no evidence; no rule declares both."""
    for lift in LIFTS.values():
        for r in lift.rules:
            assert r.reads is None or not declares_evidence(r), r.id
            assert bool(r.reads) == bool(r.reads_words), r.id
