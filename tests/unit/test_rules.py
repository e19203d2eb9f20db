"""Every rule of both lifts through ``analyze_landmarks`` on synthetic sets.

A clean set passes every rule on every rep; a fault injected on one rep is
flagged (warn or fault) on that rep and only that rep. Plus: not_checked with
a reason when landmarks are missing, thresholds from the config, the evidence
every finding carries, and lift/view detection.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.exercises import rules_for
from formcheck.exercises.detect import FAMILY
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks

import synthetic as S

FLAGS = {"warn", "fault"}


def analyse(syn_or_seq, exercise, config=None, **overrides):
    seq = getattr(syn_or_seq, "seq", syn_or_seq)
    return analyze_landmarks(seq, config or load_config(overrides=overrides or None), exercise=exercise)


def verdicts(a, rule):
    return {f.rep: f.verdict for f in a.findings if f.rule == rule}


def assert_only_rep_flagged(a, rule, rep, expected, allowed_extra=()):
    """``rule`` flags ``rep`` with a verdict in ``expected`` and passes every other rep;
    no other rule flags anything except ``allowed_extra`` (rule ids) on the same rep."""
    assert len(a.reps) == 3, [r.t_lockout for r in a.reps]
    got = verdicts(a, rule)
    assert got[rep] in expected, (rule, got)
    assert all(v == "pass" for k, v in got.items() if k != rep), (rule, got)
    for f in a.flagged():
        if f.rule == rule:
            continue
        assert f.rule in allowed_extra and f.rep == rep, f"unexpected {f.rule} rep {f.rep}: {f.message}"


# -- clean sets ---------------------------------------------------------------------
@pytest.mark.parametrize("lift, gen", [("rdl", S.rdl_set), ("hip_thrust", S.hip_thrust_set)])
@pytest.mark.parametrize("facing", [1, -1])
def test_clean_set_passes_every_rule(lift, gen, facing):
    a = analyse(gen(facing=facing), lift)
    assert a.judged and len(a.reps) == 3
    rule_ids = {r.id for r in rules_for(lift)}
    assert {f.rule for f in a.findings} == rule_ids
    assert len(a.findings) == 3 * len(rule_ids)
    bad = [(f.rule, f.rep, f.verdict, f.message) for f in a.findings if f.verdict != "pass"]
    assert not bad


def test_clean_sets_pass_with_mild_noise():
    for syn, lift in ((S.rdl_set(noise_px=1.5, seed=3), "rdl"), (S.hip_thrust_set(noise_px=1.5, seed=3), "hip_thrust")):
        a = analyse(syn, lift)
        assert len(a.reps) == 3
        assert not a.flagged(), [(f.rule, f.rep, f.message) for f in a.flagged()]


# -- RDL faults --------------------------------------------------------------------------
RDL_FAULTS = [
    ("rdl.knees_frozen", dict(knee_drift_deg={2: 25}), {"fault"}),
    ("rdl.knees_frozen", dict(knee_drift_deg={2: 12}), {"warn"}),
    ("rdl.bar_drift", dict(bar_forward={2: 0.3}), {"fault"}),
    ("rdl.bar_drift", dict(bar_forward={2: 0.13}), {"warn"}),
    ("rdl.tempo", dict(eccentric_s_by_rep={2: 0.5}), {"fault"}),
    ("rdl.neck", dict(neck_extension={2: 35}), {"fault"}),
    ("rdl.hips_back", dict(hip_shift_by_rep={2: 0.0}), {"fault"}),
    ("rdl.rounding", dict(rounding={2: 0.8}), FLAGS),
]


@pytest.mark.parametrize("rule, kwargs, expected", RDL_FAULTS, ids=[f"{r}-{list(k)[0]}-{sorted(e)[0]}" for r, k, e in RDL_FAULTS])
@pytest.mark.parametrize("rep", [1, 2, 3])
def test_rdl_fault_flagged_on_its_rep_only(rule, kwargs, expected, rep):
    kwargs = {k: ({rep: list(v.values())[0]} if isinstance(v, dict) else v) for k, v in kwargs.items()}
    assert_only_rep_flagged(analyse(S.rdl_set(**kwargs), "rdl"), rule, rep, expected)


@pytest.mark.parametrize("knee_start, expected", [(0.0, FLAGS), (-5.0, {"fault"}), (3.0, {"warn"}), (15.0, {"pass"})])
def test_rdl_knees_locked(knee_start, expected):
    a = analyse(S.rdl_set(knee_start_deg=knee_start), "rdl")
    assert set(verdicts(a, "rdl.knees_locked").values()) <= expected


def test_rdl_tempo_passes_a_controlled_1_5_s_eccentric():
    a = analyse(S.rdl_set(eccentric_s=1.5), "rdl")
    assert set(verdicts(a, "rdl.tempo").values()) == {"pass"}


# -- hip thrust faults ----------------------------------------------------------------------
HT_FAULTS = [
    ("ht.look_at_wall", dict(head_back={2: 30}), {"fault"}, ("ht.consistency",)),
    ("ht.consistency", dict(bottom_hip_by_rep={2: 130}), {"warn"}, ()),
]


@pytest.mark.parametrize("rule, kwargs, expected, extra", HT_FAULTS, ids=[r for r, *_ in HT_FAULTS])
def test_ht_fault_flagged_on_its_rep_only(rule, kwargs, expected, extra):
    assert_only_rep_flagged(analyse(S.hip_thrust_set(**kwargs), "hip_thrust"), rule, 2, expected, extra)


def test_ht_look_at_wall_profiles_change_the_verdict():
    syn = S.hip_thrust_set(head_back={2: 15})   # top gaze 77 deg, neck 15 deg back from neutral
    assert verdicts(analyse(syn, "hip_thrust"), "ht.look_at_wall")[2] == "warn"
    moderate = analyze_landmarks(syn.seq, load_config(profile="moderate"), exercise="hip_thrust")
    assert verdicts(moderate, "ht.look_at_wall")[2] == "fault"   # gaze limit 70 at the top


def test_ht_neck_hyperflexion_flags_the_chin_tuck_rep():
    a = analyse(S.hip_thrust_set(chin_tuck={2: 60}), "hip_thrust")
    v = verdicts(a, "ht.neck_hyperflexion")
    assert v[2] == "fault" and v[1] == "pass"


def test_ht_neck_hyperflexion_only_that_rep():
    assert_only_rep_flagged(analyse(S.hip_thrust_set(chin_tuck={2: 60}), "hip_thrust"), "ht.neck_hyperflexion", 2,
                            {"fault"}, ("ht.consistency",))


def test_ht_overextension_on_the_last_rep():
    a = analyse(S.hip_thrust_set(overextension={3: 20}), "hip_thrust")
    assert_only_rep_flagged(a, "ht.overextension", 3, {"fault"})
    a = analyse(S.hip_thrust_set(overextension={3: 13}), "hip_thrust")
    assert verdicts(a, "ht.overextension")[3] == "warn"


def test_ht_overextension_on_a_middle_rep():
    assert_only_rep_flagged(analyse(S.hip_thrust_set(overextension={2: 20}), "hip_thrust"),
                            "ht.overextension", 2, {"fault"})


def test_ht_lockout_whole_set_partial():
    a = analyse(S.hip_thrust_set(top_hip_deg=150), "hip_thrust")
    assert len(a.reps) == 3
    assert set(verdicts(a, "ht.lockout").values()) == {"fault"}
    a = analyse(S.hip_thrust_set(top_hip_deg=162), "hip_thrust")
    assert set(verdicts(a, "ht.lockout").values()) == {"warn"}


def test_ht_lockout_single_partial_rep():
    assert_only_rep_flagged(analyse(S.hip_thrust_set(partial={2: 150}), "hip_thrust"), "ht.lockout", 2, {"fault"})


@pytest.mark.parametrize("knee, expected", [(90.0, "pass"), (100.0, "pass"), (120.0, "fault"), (108.0, "warn"),
                                            (60.0, "fault"), (72.0, "warn")])
def test_ht_shin_angle(knee, expected):
    """Feet placement is a set-wide property: every rep gets the same verdict (last rep: see below)."""
    a = analyse(S.hip_thrust_set(top_knee_deg=knee), "hip_thrust")
    v = verdicts(a, "ht.shin_angle")
    assert {v[1], v[2]} == {expected}
    assert [f.value for f in a.findings if f.rule == "ht.shin_angle"][:2] == [pytest.approx(knee, abs=0.5)] * 2


def test_ht_shin_angle_last_rep_measured_at_the_top():
    a = analyse(S.hip_thrust_set(top_knee_deg=72.0), "hip_thrust")
    values = [f.value for f in a.findings if f.rule == "ht.shin_angle"]
    assert values == [pytest.approx(72.0, abs=0.5)] * 3
    assert set(verdicts(a, "ht.shin_angle").values()) == {"warn"}


def test_ht_consistency_needs_three_reps():
    a = analyse(S.hip_thrust_set(n_reps=2), "hip_thrust")
    assert set(verdicts(a, "ht.consistency").values()) == {"not_checked"}


# -- not checked when the landmarks are missing ----------------------------------------------
HEAD = [Landmark.NOSE, Landmark.LEFT_EAR, Landmark.RIGHT_EAR]


@pytest.mark.filterwarnings("ignore:Mean of empty slice")
@pytest.mark.parametrize("how", ["nan", "low_visibility"])
def test_ht_head_rules_not_checked_without_ears_and_nose(how):
    syn = S.hip_thrust_set(head_back={2: 30})
    seq = S.hide(syn.seq, HEAD) if how == "nan" else S.low_visibility(syn.seq, HEAD, 0.1)
    a = analyse(seq, "hip_thrust")
    for rule in ("ht.look_at_wall", "ht.neck_hyperflexion"):
        findings = [f for f in a.findings if f.rule == rule]
        assert len(findings) == 3
        for f in findings:
            assert f.verdict == "not_checked" and f.message and f.value is None
    for rule in ("ht.lockout", "ht.overextension", "ht.shin_angle"):
        assert set(verdicts(a, rule).values()) == {"pass"}


@pytest.mark.filterwarnings("ignore:Mean of empty slice")
def test_rdl_rules_not_checked_without_hands_or_head():
    syn = S.rdl_set(bar_forward={2: 0.3}, neck_extension={2: 35})
    a = analyse(S.hide(syn.seq, [Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST]), "rdl")
    assert set(verdicts(a, "rdl.bar_drift").values()) == {"not_checked"}
    assert verdicts(a, "rdl.neck")[2] == "fault"
    a = analyse(S.hide(syn.seq, HEAD), "rdl")
    assert set(verdicts(a, "rdl.neck").values()) == {"not_checked"}
    assert verdicts(a, "rdl.bar_drift")[2] == "fault"


# -- thresholds come from the config ------------------------------------------------------------
def test_threshold_override_changes_verdict():
    syn = S.rdl_set(knee_drift_deg={2: 12})
    assert verdicts(analyse(syn, "rdl"), "rdl.knees_frozen")[2] == "warn"
    a = analyse(syn, "rdl", **{"rdl.knee_drift_warn_deg": 30.0, "rdl.knee_drift_fault_deg": 40.0})
    assert verdicts(a, "rdl.knees_frozen")[2] == "pass"
    assert [f.threshold for f in a.findings if f.rule == "rdl.knees_frozen"] == [30.0] * 3
    strict = analyse(syn, "rdl", **{"rdl.knee_drift_fault_deg": 11.0})
    assert verdicts(strict, "rdl.knees_frozen")[2] == "fault"


def test_threshold_override_hip_thrust():
    syn = S.hip_thrust_set(top_knee_deg=110)
    assert set(verdicts(analyse(syn, "hip_thrust"), "ht.shin_angle").values()) == {"warn"}
    a = analyse(syn, "hip_thrust", **{"hip_thrust.shin_max_knee_deg": 115.0})
    assert set(verdicts(a, "ht.shin_angle").values()) == {"pass"}


# -- evidence --------------------------------------------------------------------------------------
@pytest.mark.parametrize("syn, lift", [
    (S.rdl_set(knee_drift_deg={2: 25}, bar_forward={1: 0.3}, neck_extension={3: 35}, rounding={1: 0.8},
               hip_shift_by_rep={3: 0.0}, eccentric_s_by_rep={2: 0.5}), "rdl"),
    (S.hip_thrust_set(head_back={2: 30}, chin_tuck={1: 60}, overextension={3: 20}, top_knee_deg=120), "hip_thrust"),
], ids=["rdl", "hip_thrust"])
def test_every_finding_carries_its_evidence(syn, lift):
    a = analyse(syn, lift)
    t = syn.seq.t
    assert a.flagged()
    for f in a.findings:
        assert f.rep in {r.index for r in a.reps}
        assert f.t_start is not None and f.t_end is not None and t[0] <= f.t_start <= f.t_end <= t[-1]
        if f.verdict in FLAGS:
            assert f.value is not None and np.isfinite(f.value), f
            assert f.threshold is not None, f
            assert f.frame is not None and 0 <= f.frame < len(t), f
            assert f.t_start - 5e-4 <= t[f.frame] <= f.t_end + 5e-4, f   # times are rounded to ms
            assert f.cue and f.message and f.unit
        elif f.verdict == "pass":
            assert f.cue == ""
    # the value in the finding is the number in its message
    for f in a.flagged():
        if f.unit == "deg":
            assert f"{f.value:.0f}" in f.message, f


# -- lift and view detection ---------------------------------------------------------------------------
@pytest.mark.parametrize("world", [False, True], ids=["2d", "world"])
@pytest.mark.parametrize("make, family, label", [
    (lambda **kw: S.hip_thrust_set(**kw), "bridge", "hip_thrust"),
    (lambda **kw: S.rdl_set(**kw), "hinge", "rdl"),
    (lambda **kw: S.squat_set(**kw), "other", "squat"),
    (lambda **kw: S.deadlift_from_floor_set(**kw), "hinge", "deadlift"),
    (lambda **kw: S.walking(**kw), "other", "other"),
    (lambda **kw: S.standing(**kw), "other", "other"),
], ids=["hip_thrust", "rdl", "squat", "deadlift", "walking", "standing"])
def test_lift_and_view_detection(make, family, label, world):
    a = analyze_landmarks(make(world=world).seq, load_config())
    assert a.exercise.label == label and FAMILY[a.exercise.label] == family == a.family
    assert 0.5 < a.exercise.confidence <= 1.0
    assert a.view.label == "side"
    if world:
        assert a.view.detail["yaw_world_deg"] == pytest.approx(90.0)
    else:
        assert "yaw_world_deg" not in a.view.detail   # side read from the 2D left/right separation alone


@pytest.mark.parametrize("make", [S.squat_set, S.deadlift_from_floor_set])
def test_unjudged_lifts_say_why(make):
    a = analyze_landmarks(make().seq, load_config())
    assert not a.judged and a.not_judged_reason and not a.findings


def test_detection_is_mirror_invariant():
    for make in (S.hip_thrust_set, S.rdl_set, S.squat_set, S.deadlift_from_floor_set):
        plus = analyze_landmarks(make(facing=1).seq, load_config()).exercise
        minus = analyze_landmarks(make(facing=-1).seq, load_config()).exercise
        assert plus.label == minus.label and plus.confidence == pytest.approx(minus.confidence)


def test_forced_exercise_overrides_detection():
    a = analyze_landmarks(S.deadlift_from_floor_set().seq, load_config(), exercise="rdl")
    assert a.exercise.label == "rdl" and a.exercise_forced and a.judged


def test_dropout_warns_person_not_found():
    syn = S.rdl_set(dropout=[(1.0, 8.0)])
    a = analyze_landmarks(syn.seq, load_config(), exercise="rdl")
    assert any(w.code == "person_not_found" for w in a.warnings)
