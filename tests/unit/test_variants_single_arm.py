"""Single-arm RDLs (issue 15 item 4): the hand that holds the weight is measured, the bar path says why it is not
judged, the report names the variant; single-leg and single-arm variants get the right rules."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import Config, load_config
from formcheck.exercises import get_lift
from formcheck.exercises.detect import describe_lift
from formcheck.exercises.rdl import SINGLE_ARM_BAR, single_arm
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from formcheck.variants import hand_travel_leg, loaded_hand, loaded_hand_only
from tests import synthetic as S

FACINGS = pytest.mark.parametrize("facing", [1, -1], ids=["facing_right", "facing_left"])

#: Rules that read no hand: judged on a single-arm RDL as on a two-hand one.
HANDLESS = ("rdl.knees_locked", "rdl.knees_frozen", "rdl.hips_back", "rdl.tempo", "rdl.neck", "hinge.hips_through")


def _leg_px(seq: PoseSequence) -> float:
    xy = seq.xy
    return float(
        np.nanmedian(
            np.linalg.norm(xy[:, Landmark.RIGHT_HIP] - xy[:, Landmark.RIGHT_KNEE], axis=-1)
            + np.linalg.norm(xy[:, Landmark.RIGHT_KNEE] - xy[:, Landmark.RIGHT_ANKLE], axis=-1)
        )
    )


def _free_hand_on_hip(seq: PoseSequence, side: str, facing: int) -> PoseSequence:
    """``seq`` with the ``side`` hand resting on the front of that hip in every frame (the weight in the other
    hand): the wrist on the hip, the elbow bent back so that both arm bones keep their length on screen."""
    xy = seq.xy.copy()
    shoulder, elbow, wrist, hip = (
        getattr(Landmark, f"{side.upper()}_{j}") for j in ("SHOULDER", "ELBOW", "WRIST", "HIP")
    )
    upper = float(np.nanmedian(np.linalg.norm(xy[:, elbow] - xy[:, shoulder], axis=-1)))
    fore = float(np.nanmedian(np.linalg.norm(xy[:, wrist] - xy[:, elbow], axis=-1)))
    xy[:, wrist] = xy[:, hip]
    xy[:, wrist, 0] += facing * 0.08 * _leg_px(seq)
    xy[:, elbow] = S._elbow(xy[:, shoulder], xy[:, wrist], upper, fore, np.array([-facing, 0.0]))
    return dataclasses.replace(seq, xy=xy)


def _one_arm_rdl(facing: int, **kw) -> PoseSequence:
    """A generated RDL set held in the right hand, the left resting on the left hip."""
    seq = S.rdl_set(n_reps=3, facing=facing, **kw).seq
    return _free_hand_on_hip(seq, "left", facing)


def _judge_unvalidated(config: Config) -> Config:
    return dataclasses.replace(config, rdl=dataclasses.replace(config.rdl, judge_unvalidated=True))


@FACINGS
def test_the_hand_that_follows_the_hinge_holds_the_weight(facing: int) -> None:
    cfg = load_config().detect
    seq = _one_arm_rdl(facing)
    left, right = hand_travel_leg(seq, cfg.single_arm_min_seen_fraction)
    assert left <= cfg.single_arm_max_free_travel_leg < right
    assert loaded_hand(seq, cfg) == 1
    mirrored = _free_hand_on_hip(S.rdl_set(n_reps=3, facing=facing).seq, "right", facing)
    assert loaded_hand(mirrored, cfg) == 0


@FACINGS
def test_two_hands_on_the_bar_are_no_single_arm_hold(facing: int) -> None:
    assert loaded_hand(S.rdl_set(n_reps=3, facing=facing).seq, load_config().detect) is None


def test_a_free_hand_that_hangs_beside_the_loaded_one_is_not_told_apart() -> None:
    """Both hands hang and travel alike (as on the labelled B-stance clip_084): they read as one, a two-hand hold."""
    seq = S.rdl_set(n_reps=3).seq
    xy = seq.xy.copy()
    xy[:, Landmark.LEFT_WRIST, 1] -= 0.1 * _leg_px(seq)  # the free hand hangs a little higher
    assert loaded_hand(dataclasses.replace(seq, xy=xy), load_config().detect) is None


def test_hands_that_both_stay_on_the_hips_are_no_single_arm_hold() -> None:
    """A bodyweight hinge with both hands on the hips: neither hand follows the hinge."""
    seq = _free_hand_on_hip(_one_arm_rdl(1), "right", 1)
    left, right = hand_travel_leg(seq, 0.5)
    assert max(left, right) <= load_config().detect.single_arm_max_free_travel_leg
    assert loaded_hand(seq, load_config().detect) is None


def test_a_hand_seen_too_rarely_is_not_weighed() -> None:
    seq = _one_arm_rdl(1)
    xy = seq.xy.copy()
    xy[: int(0.6 * len(seq)), Landmark.LEFT_WRIST] = np.nan
    assert loaded_hand(dataclasses.replace(seq, xy=xy), load_config().detect) is None


def test_only_the_loaded_hand_is_left() -> None:
    seq = _one_arm_rdl(1)
    only = loaded_hand_only(seq, 1)
    assert np.all(np.isnan(only.xy[:, Landmark.LEFT_WRIST])) and np.all(only.visibility[:, Landmark.LEFT_WRIST] == 0)
    np.testing.assert_array_equal(only.xy[:, Landmark.RIGHT_WRIST], seq.xy[:, Landmark.RIGHT_WRIST])


def test_the_single_arm_variant_sets_aside_only_the_bar_path() -> None:
    for lift_id in ("rdl", "single_leg_rdl", "stiff_leg_deadlift"):
        base = get_lift(lift_id)
        lift = single_arm(base)
        assert lift.one_arm and lift.name == f"single-arm {base.name}" and lift.id == base.id
        for before, after in zip(base.rules, lift.rules):
            if before.id == "rdl.bar_drift":
                # the variant's own reason (the bar path does not apply to one dumbbell) before any other
                assert after.unvalidated == SINGLE_ARM_BAR
            else:
                assert after == before
        assert "rdl.bar_drift" not in lift.label_faults.values()
        assert single_arm(lift) == lift


@FACINGS
def test_a_single_arm_rdl_is_judged_for_what_it_is(facing: int) -> None:
    a = analyze_landmarks(_one_arm_rdl(facing), load_config())
    assert a.exercise.label == "rdl"
    assert a.exercise.detail["variant"] == "single_arm" and a.exercise.detail["loaded_hand"] == "right"
    assert describe_lift(a.exercise) == "Romanian deadlift, single-arm (the weight in the right hand)"
    assert a.judged and len(a.reps) == 3
    bar = [f for f in a.findings if f.rule == "rdl.bar_drift"]
    assert bar and all(f.verdict == "not_checked" and "single-arm" in f.message for f in bar)
    judged = {f.rule for f in a.findings if f.verdict in ("pass", "warn", "fault")}
    # rdl.neck reads no hand either, but is not judged on any RDL by default (rdl.judge_unvalidated)
    assert judged >= {"rdl.knees_frozen", "rdl.tempo"}
    assert judged <= set(HANDLESS)


@FACINGS
def test_the_bar_path_reads_the_hand_that_holds_the_weight(facing: int) -> None:
    """Judged anyway (``judge_unvalidated``), the bar path reads the loaded hand: the same as the two-hand set
    whose hands move as the loaded one, not the mean with the hand on the hip."""
    cfg = _judge_unvalidated(load_config())
    one_arm = analyze_landmarks(_one_arm_rdl(facing, bar_forward={2: 0.3}), cfg)
    two_hand = analyze_landmarks(S.rdl_set(n_reps=3, facing=facing, bar_forward={2: 0.3}).seq, cfg)
    np.testing.assert_allclose(one_arm.series["bar_to_leg"], two_hand.series["bar_to_leg"], atol=1e-9)
    values = {f.rep: f.value for f in one_arm.findings if f.rule == "rdl.bar_drift"}
    assert values == {f.rep: f.value for f in two_hand.findings if f.rule == "rdl.bar_drift"}
    assert values[2] > cfg.rdl.bar_drift_max >= max(values[1], values[3])
    # not told apart (no single-arm hold looked for), the hand on the hip drags the merged wrist off the weight
    blind = dataclasses.replace(cfg, detect=dataclasses.replace(cfg.detect, single_arm_max_free_travel_leg=-1.0))
    merged = analyze_landmarks(_one_arm_rdl(facing, bar_forward={2: 0.3}), blind)
    assert "variant" not in merged.exercise.detail
    assert not np.allclose(merged.series["bar_to_leg"], two_hand.series["bar_to_leg"], equal_nan=True)


def _rear_ankle(seq: PoseSequence, facing: int, back_deg: float = 45.0) -> PoseSequence:
    """The left (far) leg swung ``back_deg`` behind the hip, its bones keeping their length: its foot rests about
    0.7 leg lengths behind the right one (a B-stance, or a single-leg RDL's free leg)."""
    xy = seq.xy.copy()
    a = -np.radians(back_deg) * facing  # image y points down: back is counter-clockwise on screen facing right
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    hip = xy[:, Landmark.LEFT_HIP]
    for joint in (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX):
        xy[:, joint] = hip + (xy[:, joint] - hip) @ rot.T
    return dataclasses.replace(seq, xy=xy)


@FACINGS
def test_single_leg_and_single_arm_together(facing: int) -> None:
    """A B-stance RDL with the dumbbell in one hand: the working leg and the loaded hand are measured; the rules
    validated for neither variant say why, the knee and tempo rules judge."""
    a = analyze_landmarks(_rear_ankle(_one_arm_rdl(facing), facing), load_config())
    assert a.exercise.label == "single_leg_rdl" and a.exercise.detail["variant"] == "single_arm"
    assert describe_lift(a.exercise).startswith("single-leg RDL, single-arm")
    verdicts = {f.rule: f.verdict for f in a.findings}
    for rule in ("rdl.hips_back", "rdl.bar_drift", "rdl.neck", "rdl.rounding"):
        assert verdicts[rule] == "not_checked", rule
    assert {verdicts["rdl.knees_frozen"], verdicts["rdl.tempo"]} <= {"pass", "warn", "fault"}


@FACINGS
def test_a_single_leg_rdl_with_both_hands_keeps_its_rules(facing: int) -> None:
    a = analyze_landmarks(_rear_ankle(S.rdl_set(n_reps=3, facing=facing).seq, facing), load_config())
    assert a.exercise.label == "single_leg_rdl" and "variant" not in a.exercise.detail
    assert describe_lift(a.exercise) == "single-leg RDL"


def test_the_variant_is_looked_for_only_in_lifts_judged_by_the_rdl_rules() -> None:
    """A hip thrust or deadlift with a hand that stays put is what it is: no single-arm variant."""
    syn = S.hip_thrust_set(n_reps=3)
    a = analyze_landmarks(syn.seq, load_config())
    assert a.exercise.label == "hip_thrust" and "variant" not in a.exercise.detail
    dl = S.deadlift_from_floor_set(n_reps=3).seq
    a = analyze_landmarks(_free_hand_on_hip(dl, "left", 1), load_config())
    assert a.exercise.label == "deadlift" and "variant" not in a.exercise.detail


def test_a_forced_rdl_gets_its_single_arm_variant() -> None:
    a = analyze_landmarks(_one_arm_rdl(1), load_config(), exercise="rdl")
    assert a.exercise_forced and a.exercise.detail["variant"] == "single_arm"
