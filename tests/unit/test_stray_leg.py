"""The far leg the model guesses in a profile (:func:`formcheck.cleaning.stray_legs`).

Generated side-view sets (``tests/synthetic.py``) with the far knee, ankle and foot redrawn where MediaPipe puts a
hidden leg on rendered thrusts filmed 15 degrees off side: onto the hip and the plate, a thigh a third of the
lifter's (docs/ACCURACY.md "The far leg the model guesses"). Each case states which leg should be dropped, if any.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcheck import kinematics
from formcheck.cleaning import LOWER_LEG, drop_untrusted, mask_stray_legs, stray_legs
from formcheck.config import CleaningConfig, load_config
from formcheck.landmarks import Landmark, leg_length_px, side_landmark
from tests import synthetic as S

CFG = CleaningConfig()


def _lower_leg(side: str) -> list[Landmark]:
    return [side_landmark(joint, side) for joint in LOWER_LEG]


L, R = 0, 1


def _side_thrust():
    syn = S.hip_thrust_set(n_reps=2, facing=1)  # facing +x: the right leg is the near one
    return syn.seq


def _guess_far_leg(seq, frames: slice, far: str = "left", thigh_share: float = 0.3):
    """The far leg's knee drawn ``thigh_share`` of the way from the hip to the true knee (onto the hip and the
    plate), its shin, ankle and foot moved with it, at full visibility (as the model gave it on the renders)."""
    xy, visibility = seq.xy.copy(), seq.visibility.copy()
    hip = getattr(Landmark, f"{far.upper()}_HIP")
    knee = getattr(Landmark, f"{far.upper()}_KNEE")
    shift = (thigh_share - 1.0) * (xy[frames, knee] - xy[frames, hip])
    for point in _lower_leg(far):
        xy[frames, point] += shift
        visibility[frames, point] = 0.99
    return seq.replace(xy=xy, visibility=visibility)


def test_a_far_knee_drawn_onto_the_hip_is_dropped_and_the_mean_reads_the_near_leg():
    seq = _side_thrust()
    bad = _guess_far_leg(seq, slice(20, 60))
    stray = stray_legs(bad.xy, CFG)
    assert stray[20:60, L].all()
    assert not stray[:20].any() and not stray[60:].any() and not stray[:, R].any()
    fixed = mask_stray_legs(bad, stray)
    assert np.isnan(fixed.xy[20:60, Landmark.LEFT_KNEE]).all()
    assert np.isnan(fixed.visibility[20:60, Landmark.LEFT_ANKLE]).all()
    assert np.array_equal(fixed.xy[:, Landmark.LEFT_HIP], bad.xy[:, Landmark.LEFT_HIP], equal_nan=True)
    merged = kinematics.merged_points(fixed)["knee"]
    near = seq.xy[:, Landmark.RIGHT_KNEE]
    assert np.allclose(merged[20:60], near[20:60])
    # before: the mean sat between the near knee and the guess
    before = kinematics.merged_points(bad)["knee"]
    leg = leg_length_px(seq.xy)
    assert np.nanmax(np.hypot(*(before[20:60] - near[20:60]).T)) > 0.1 * leg


def test_the_near_leg_guessed_drops_the_near_leg_labels_swapped_or_not():
    seq = _side_thrust()
    bad = _guess_far_leg(seq, slice(10, 30), far="right")
    stray = stray_legs(bad.xy, CFG)
    assert stray[10:30, R].all() and not stray[:, L].any()


def test_clean_profiles_are_left_alone():
    for seq in (_side_thrust(), S.rdl_set(n_reps=2).seq, S.deadlift_from_floor_set(n_reps=2).seq):
        assert not stray_legs(seq.xy, CFG).any()


def test_both_legs_off_is_no_choice():
    """A plate in front of both knees: both legs drawn short, neither is the body's, neither is chosen."""
    seq = _side_thrust()
    bad = _guess_far_leg(_guess_far_leg(seq, slice(20, 60), "left", 0.3), slice(20, 60), "right", 0.5)
    assert not stray_legs(bad.xy, CFG)[20:60].any()


def test_two_legs_of_the_body_apart_are_both_kept():
    """Knees apart (a staggered stance, a camera at an angle) with both legs the lifter's length: no guess."""
    seq = _side_thrust()
    xy = seq.xy.copy()
    leg = leg_length_px(seq.xy)
    hip = xy[:, Landmark.LEFT_HIP]
    # the far leg turned about its hip: the same thigh and shin, the knee 0.2 leg lengths away
    turn = np.deg2rad(25.0)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    for point in _lower_leg("left"):
        xy[:, point] = hip + (xy[:, point] - hip) @ rot.T
    moved = seq.replace(xy=xy)
    assert np.nanmedian(np.hypot(*(xy[:, Landmark.LEFT_KNEE] - seq.xy[:, Landmark.RIGHT_KNEE]).T)) > 0.1 * leg
    assert not stray_legs(moved.xy, CFG).any()


def test_seen_from_the_front_nothing_is_dropped():
    """Hips drawn apart (not a profile): a foreshortened leg may be the body's (a single-leg RDL's free leg)."""
    seq = _side_thrust()
    xy = seq.xy.copy()
    leg = leg_length_px(seq.xy)
    for point in (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, *_lower_leg("left")):
        xy[:, point, 0] += 0.4 * leg
    bad = _guess_far_leg(seq.replace(xy=xy), slice(20, 60))
    assert not stray_legs(bad.xy, CFG).any()


def test_unseen_points_and_empty_clips():
    seq = _side_thrust()
    bad = _guess_far_leg(seq, slice(20, 60))
    xy = bad.xy.copy()
    xy[30:40, Landmark.RIGHT_ANKLE] = np.nan  # the near shin unseen: no fit to compare, no choice
    out = stray_legs(xy, CFG)
    assert not out[30:40].any() and out[20:30, L].all()
    assert stray_legs(np.full((0, 33, 2), np.nan), CFG).shape == (0, 2)
    assert not stray_legs(np.full((5, 33, 2), np.nan), CFG).any()


def test_the_cleaning_report_counts_the_frames():
    seq = _guess_far_leg(_side_thrust(), slice(20, 60))
    trusted = drop_untrusted(seq, [], load_config().cleaning)
    assert trusted.stray_leg_frames == 40
    assert np.isnan(trusted.seq.xy[20:60, Landmark.LEFT_KNEE]).all()


def test_a_deadlift_knee_drawn_onto_the_bar_is_dropped_before_it_bends_the_hip_angle():
    """clip_013's and clip_065's guess (``tests/unit/test_counting_knee_on_bar.py``): the near knee on the plate's hub
    while the lifter stands, seen better than the far one. Its shin misses the lifter's: the leg is dropped and the
    hip angle never dips, so the counting's own defence is not even needed."""
    from formcheck.pipeline import analyze_landmarks
    from tests.synthetic_deadlift import deadlift_set
    from tests.unit.test_counting_knee_on_bar import ON_BAR_S, _knee_on_bar

    for facing in (1, -1):
        synth = deadlift_set(n_reps=3, facing=facing)
        lockouts = [r.t_lockout for r in synth.reps]
        seq = _knee_on_bar(synth.seq, lockouts, facing)
        analysis = analyze_landmarks(seq, load_config(), exercise="deadlift")
        assert analysis.cleaning.stray_leg_frames > 0
        for t in lockouts:
            hold = (seq.t >= t + ON_BAR_S[0]) & (seq.t <= t + ON_BAR_S[1])
            assert np.nanmin(analysis.series["hip_deg"][hold]) > analysis.levels.top_deg - 10.0
        assert len(analysis.reps) == len(synth.reps)


def test_a_lying_bodys_camera_angle_reads_the_legs_that_were_kept():
    """The guessed far leg is guessed in 3D too. A rendered thrust filmed 15 degrees off side (``tests/data/rendered``,
    landmarks of the full model, body 7): with the guessed legs dropped its measured angle off side is 20 degrees,
    near enough to the side for the rules that need it (``detect.near_side_min_yaw_deg``); with them in, 27."""
    from dataclasses import replace

    from formcheck.exercises.detect import near_side
    from formcheck.pipeline import analyze_landmarks
    from formcheck.types import PoseSequence

    seq = PoseSequence.load_npz(
        Path(__file__).resolve().parent.parent / "data" / "rendered" / "hip_thrust_az15_left_b7.full.npz"
    )
    config = load_config()
    kept = analyze_landmarks(seq, config)
    off = replace(config, cleaning=replace(config.cleaning, stray_leg_misfit=4.0))
    guessed = analyze_landmarks(seq, off)
    assert kept.cleaning.stray_leg_frames > 0 and guessed.cleaning.stray_leg_frames == 0
    truth = 15.0
    assert abs(kept.view.detail["off_side_deg"] - truth) <= 6.0
    assert guessed.view.detail["off_side_deg"] - truth > 10.0
    assert near_side(kept.view, config.detect) and not near_side(guessed.view, config.detect)
