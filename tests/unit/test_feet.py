"""Planted feet (formcheck.feet) on generated sequences with known answers.

The fixture: a lifter standing still at 30 fps whose every landmark sits at a fixed place, leg length 300 px,
with one rep from frame 30 to frame 90 (bottom at 60). Each test then draws the foot the way one case of real
footage does: up the shin at the bottom (the plates hide it), a real step, a camera that drifts or jumps.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.exercises import get_lift
from formcheck.exercises.detect import unknown_lift
from formcheck.feet import FOOT_POINTS, pin_planted_feet, standing_position
from formcheck.landmarks import N_LANDMARKS, Landmark
from formcheck.types import PoseSequence, Rep, VideoMeta

FPS = 30.0
N = 120
LEG_PX = 300.0
START, BOTTOM, END = 30, 60, 90
#: The settings' defaults (config.CleaningConfig): standing window, largest pinned move, largest drift.
WINDOW_S, MAX_MOVE, MAX_DRIFT = 0.2, 0.2, 0.05
ANKLE = Landmark.LEFT_ANKLE


def standing_lifter() -> PoseSequence:
    rng = np.random.default_rng(0)
    base = rng.uniform(100, 500, size=(N_LANDMARKS, 2))
    xy = np.repeat(base[None], N, axis=0)
    t = np.arange(N) / FPS
    meta = VideoMeta(path="gen.mp4", width=640, height=480, fps=FPS, n_frames=N, duration_s=N / FPS)
    return PoseSequence(xy, np.ones((N, N_LANDMARKS)), t, np.arange(N), meta, "fake")


def one_rep() -> list[Rep]:
    t = lambda i: i / FPS  # noqa: E731
    return [
        Rep(1, START, BOTTOM, END - 5, END, t(START), t(BOTTOM), t(END - 5), t(END), 1.0, 0.0, 1.0, 0.0, 90, 80, 170)
    ]


def pin(seq: PoseSequence, reps: list[Rep] | None = None):
    return pin_planted_feet(seq, one_rep() if reps is None else reps, LEG_PX, WINDOW_S, MAX_MOVE, MAX_DRIFT)


def bump(seq: PoseSequence, point: Landmark, frames: slice, offset_leg: tuple[float, float]) -> np.ndarray:
    """Move one point by ``offset_leg`` leg lengths over ``frames``; returns where it stood."""
    stood = seq.xy[0, point].copy()
    seq.xy[frames, point] += np.array(offset_leg) * LEG_PX
    return stood


def test_an_ankle_drawn_up_the_shin_at_the_bottom_is_read_where_it_stood() -> None:
    seq = standing_lifter()
    # rendered RDL bottoms: the model draws the ankle 0.06-0.14 leg lengths up and up to 0.10 forward
    stood = bump(seq, ANKLE, slice(50, 71), (0.08, -0.12))
    out = pin(seq)
    assert np.allclose(out.seq.xy[:, ANKLE], stood)
    assert "left_ankle" in out.pinned[1]
    assert out.any


def test_the_input_is_not_modified_and_other_points_keep_their_reading() -> None:
    seq = standing_lifter()
    bump(seq, ANKLE, slice(50, 71), (0.0, -0.1))
    bump(seq, Landmark.LEFT_KNEE, slice(50, 71), (0.3, 0.0))  # the knee really goes forward
    before = seq.xy.copy()
    out = pin(seq)
    assert np.array_equal(seq.xy, before)
    others = [i for i in range(N_LANDMARKS) if i not in FOOT_POINTS]
    assert np.array_equal(out.seq.xy[:, others], before[:, others])


def test_a_foot_that_moved_further_than_a_mis_drawn_one_keeps_its_reading() -> None:
    seq = standing_lifter()
    bump(seq, ANKLE, slice(50, 71), (0.35, 0.0))  # a step forward mid-rep: more than MAX_MOVE
    out = pin(seq)
    assert np.array_equal(out.seq.xy[:, ANKLE], seq.xy[:, ANKLE])
    assert "left_ankle" not in out.pinned[1]


def test_a_rep_whose_standing_ends_disagree_is_left_as_read() -> None:
    seq = standing_lifter()
    bump(seq, ANKLE, slice(50, 71), (0.0, -0.1))
    # the camera (or the lifter's stance) moved between the rep's start and end: every point shifts by 0.1 L
    seq.xy[75:] += 0.1 * LEG_PX
    out = pin(seq)
    assert np.array_equal(out.seq.xy[:, ANKLE], seq.xy[:, ANKLE])
    assert out.pinned[1] == []
    assert not out.any


def test_a_slow_camera_drift_is_followed_between_the_two_standing_ends() -> None:
    seq = standing_lifter()
    drift = np.linspace(0.0, 0.04 * LEG_PX, N)  # under MAX_DRIFT over the whole clip
    seq.xy[:, :, 0] += drift[:, None]
    bump(seq, ANKLE, slice(50, 71), (0.0, -0.1))
    out = pin(seq)
    truth = seq.xy[0, ANKLE, 1]
    assert np.allclose(out.seq.xy[START : END + 1, ANKLE, 1], truth)
    # x follows the drift to within the standing windows' medians (a few frames of drift)
    err = out.seq.xy[START : END + 1, ANKLE, 0] - (seq.xy[0, ANKLE, 0] + drift[START : END + 1])
    assert np.abs(err).max() < 0.003 * LEG_PX


def test_frames_outside_every_rep_and_missing_points_are_left_alone() -> None:
    seq = standing_lifter()
    bump(seq, ANKLE, slice(0, 20), (0.0, -0.1))  # before the rep: the set-up, not a rep's frames
    seq.xy[55:58, ANKLE] = np.nan
    bump(seq, ANKLE, slice(50, 55), (0.0, -0.1))
    out = pin(seq)
    assert np.array_equal(out.seq.xy[:20, ANKLE], seq.xy[:20, ANKLE])
    assert np.all(np.isnan(out.seq.xy[55:58, ANKLE]))
    assert np.allclose(out.seq.xy[50:55, ANKLE], seq.xy[25, ANKLE])  # ...while the rep's are pinned


def test_a_foot_never_seen_standing_is_left_as_read() -> None:
    seq = standing_lifter()
    seq.xy[: START + 1, ANKLE] = np.nan  # hidden through the start's standing window
    bump(seq, ANKLE, slice(50, 71), (0.0, -0.1))
    out = pin(seq)
    assert np.array_equal(out.seq.xy[:, ANKLE], seq.xy[:, ANKLE], equal_nan=True)


@pytest.mark.parametrize("leg_px", [float("nan"), 0.0])
def test_no_leg_length_or_no_reps_pins_nothing(leg_px: float) -> None:
    seq = standing_lifter()
    bump(seq, ANKLE, slice(50, 71), (0.0, -0.1))
    assert not pin_planted_feet(seq, one_rep(), leg_px, WINDOW_S, MAX_MOVE, MAX_DRIFT).any
    assert not pin(seq, reps=[]).any


def test_standing_position_is_the_median_of_the_window_on_its_side_of_the_frame() -> None:
    t = np.arange(10) / 10.0
    xy = np.column_stack([np.arange(10.0), np.zeros(10)])
    assert standing_position(xy, t, 5, 0.2, before=True)[0] == pytest.approx(4.0)  # frames 3, 4, 5
    assert standing_position(xy, t, 5, 0.2, before=False)[0] == pytest.approx(6.0)  # frames 5, 6, 7
    xy[:] = np.nan
    assert np.all(np.isnan(standing_position(xy, t, 5, 0.2, before=True)))


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)), min_size=61, max_size=61),
)
def test_a_pinned_point_never_moves_further_than_max_move_and_only_inside_the_rep(offsets) -> None:
    seq = standing_lifter()
    seq.xy[START : END + 1, ANKLE] += np.array(offsets) * LEG_PX
    out = pin(seq)
    moved = np.hypot(*(out.seq.xy[:, ANKLE] - seq.xy[:, ANKLE]).T)
    assert np.all(moved <= MAX_MOVE * LEG_PX + 1e-6)
    assert np.all(moved[:START] == 0) and np.all(moved[END + 1 :] == 0)


def test_an_rdl_pins_a_foot_drawn_anywhere_inside_the_rep_a_floor_pull_keeps_the_limit() -> None:
    """Rendered RDLs: the whole foot drawn 0.13-0.3 leg lengths back and 0.2-0.27 up at the bottom, or the ankle 0.43
    up on a passing plate (docs/ACCURACY.md 'Hips back switched on'). An RDL's feet never move (Lift.planted_feet):
    pinned at any distance; with the 0.2 limit (floor pulls, the free foot of a one-leg variant) it is kept."""
    seq = standing_lifter()
    stood = bump(seq, ANKLE, slice(55, 66), (-0.25, -0.25))
    assert not np.allclose(pin(seq).seq.xy[60, ANKLE], stood)  # past the limit: "the foot moved"
    out = pin_planted_feet(seq, one_rep(), LEG_PX, WINDOW_S, float("inf"), MAX_DRIFT)
    assert np.allclose(out.seq.xy[:, ANKLE], stood)
    assert get_lift("rdl").planted_feet
    assert not any(get_lift(x).planted_feet for x in ("deadlift", "stiff_leg_deadlift", "single_leg_rdl"))
    # an unknown lift keeps the limit unless every candidate plants its feet
    assert not unknown_lift(["rdl", "deadlift"], "").planted_feet
    assert not unknown_lift(["rdl", "stiff_leg_deadlift"], "").planted_feet
