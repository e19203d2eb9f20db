"""The measured camera yaw (formcheck.camera) when one of the shoulder and hip pairs is the pose model's guess.

A lifter holding 45 cm plates side-on: standing, the near plate covers the hips; MediaPipe guesses them spread
apart on screen (rendered: 25-33 degrees off side) and its world landmarks follow the guess (shoulder and hip
axes 16-33), while the shoulders are seen (7-11). Generated here: a square RDL set whose standing frames have
such guessed hips and 3D axes (docs/ACCURACY.md "Camera angle (yaw) of a lifter behind the plates").
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.camera import (
    FRONTAL_HIP_RATIO,
    axes_off_side,
    frame_off_side,
    frame_readings,
    image_off_side,
    image_pairs_off_side,
    measure_yaw,
    pairs_disagree,
    yaw_changes,
)
from formcheck.config import load_config
from formcheck.exercises.detect import classify_view, view_features
from formcheck.landmarks import PAIRS
from formcheck.types import PoseSequence
from tests import synthetic as S
from tests.unit.test_yaw import _seen_at

DET = load_config().detect


def _turned(world: np.ndarray, joint: str, frames: np.ndarray, deg: float) -> None:
    """Turn ``joint``'s left-right pair ``deg`` round the vertical axis about its midpoint, in ``frames``."""
    left, right = PAIRS[joint]
    mid = 0.5 * (world[frames, left] + world[frames, right])
    a = np.radians(deg)
    for lm in (left, right):
        v = world[frames, lm] - mid
        x, z = v[:, 0] * np.cos(a) + v[:, 2] * np.sin(a), -v[:, 0] * np.sin(a) + v[:, 2] * np.cos(a)
        world[frames, lm, 0], world[frames, lm, 2] = mid[:, 0] + x, mid[:, 2] + z


def _hips_guessed(
    seq: PoseSequence, frames: np.ndarray, hips_deg: float = 30.0, axes_deg: float = 25.0
) -> PoseSequence:
    """``seq`` (side-on) with the hips in ``frames`` a guess: spread on screen to the width of a body
    ``hips_deg`` off side, and the world shoulder and hip axes turned ``axes_deg`` (the 3D fit pulled with them)."""
    assert seq.world is not None
    xy, world = seq.xy.copy(), seq.world.copy()
    left, right = PAIRS["hip"]
    torso = np.linalg.norm(
        0.5 * (xy[:, PAIRS["shoulder"][0]] + xy[:, PAIRS["shoulder"][1]]) - 0.5 * (xy[:, left] + xy[:, right]), axis=-1
    )
    half = 0.5 * FRONTAL_HIP_RATIO * np.sin(np.radians(hips_deg)) * np.nanmax(torso)
    mid = 0.5 * (xy[frames, left, 0] + xy[frames, right, 0])
    xy[frames, left, 0], xy[frames, right, 0] = mid - half, mid + half
    for joint in ("shoulder", "hip"):
        _turned(world, joint, frames, axes_deg)
    return seq.replace(xy=xy, world=world)


def _standing(seq: PoseSequence) -> np.ndarray:
    """The frames where the lifter stands tall (hips within a tenth of the torso of their highest), where a
    hanging bar's plate covers the hips."""
    hip_y = 0.5 * (seq.xy[:, PAIRS["hip"][0], 1] + seq.xy[:, PAIRS["hip"][1], 1])
    shoulder_y = 0.5 * (seq.xy[:, PAIRS["shoulder"][0], 1] + seq.xy[:, PAIRS["shoulder"][1], 1])
    torso = np.nanmax(np.abs(hip_y - shoulder_y))
    frames: np.ndarray = np.flatnonzero(shoulder_y <= np.nanmin(shoulder_y) + 0.1 * torso)
    return frames


def _plated_square() -> tuple[PoseSequence, np.ndarray]:
    seq = _seen_at(S.rdl_set(n_reps=3, world=True).seq, 0.0)
    frames = _standing(seq)
    assert 0.3 < len(frames) / len(seq) < 0.8  # standing tall between reps and before the set
    return _hips_guessed(seq, frames), frames


def test_guessed_hips_read_far_off_side_on_their_own():
    """The fault the fix is for: the guessed frames' 3D axes and hip width read far off a square body."""
    seq, frames = _plated_square()
    assert seq.world is not None
    assert np.median(axes_off_side(seq.world)[frames]) > 20.0
    pairs = image_pairs_off_side(seq.xy, seq.t)
    assert np.median(pairs[frames, 1]) > 25.0 and np.median(pairs[frames, 0]) < 5.0
    assert np.median(image_off_side(seq.xy, seq.t)[frames]) > 12.0
    assert pairs_disagree(pairs, DET.yaw_pair_max_gap)[frames].all()


def test_a_square_body_whose_hips_are_guessed_reads_side_on():
    seq, frames = _plated_square()
    m = measure_yaw(seq, DET)
    assert m.off_side_deg < 5.0
    assert m.image_off_deg < 5.0
    # the frames with guessed hips leave the 3D estimate: only the frames where both pairs are seen give it
    world, image = frame_readings(seq, DET)
    assert np.isnan(world[frames]).all() and np.isfinite(np.delete(world, frames)).all()
    assert np.all(image[frames] < 5.0)
    assert classify_view(view_features(seq, DET), DET).label == "side"
    assert 90.0 - view_features(seq, DET)["yaw_deg"] <= 90.0 - DET.pure_side_min_yaw_deg
    # the orbit tracker keeps the per-frame axes and widths (a narrower-pair reading per frame moved a real shot
    # boundary), and a still camera on the plated lifter is one shot
    assert np.nanmedian(frame_off_side(seq, DET)[frames]) > 12.0
    assert yaw_changes(seq, DET) == []


@pytest.mark.parametrize("off", [0, 15, 30, 45, 60, 75, 90])
def test_pairs_that_are_both_seen_agree_at_any_yaw(off):
    """A body whose shoulders and hips are both seen: the pairs agree from the side to the front (widths compared,
    not angles, whose arcsine blows up a width's small error near the front), and the yaw is as before."""
    seq = _seen_at(S.rdl_set(n_reps=2, world=True, noise_px=1.0, seed=off).seq, float(off))
    pairs = image_pairs_off_side(seq.xy, seq.t)
    assert np.mean(pairs_disagree(pairs, DET.yaw_pair_max_gap)) < 0.05
    assert measure_yaw(seq, DET).off_side_deg == pytest.approx(off, abs=5.0)


def test_pairs_compare_as_widths():
    cut = DET.yaw_pair_max_gap
    # near the front: 90 against 62 degrees is 1.0 against 0.88 of the frontal width
    assert not pairs_disagree(np.array([[90.0, 62.0]]), cut)[0]
    # side-on: 8 against 33 degrees is 0.14 against 0.54
    assert pairs_disagree(np.array([[8.0, 33.0]]), cut)[0]
    assert pairs_disagree(np.array([[33.0, 8.0]]), cut)[0]
    assert not pairs_disagree(np.array([[np.nan, 33.0]]), cut)[0]


def test_a_body_turned_off_side_whose_hips_are_guessed_keeps_its_yaw():
    """Turned 30 degrees, the guessed hips spread to 60 on screen: the shoulders still give 30."""
    seq = _seen_at(S.rdl_set(n_reps=3, world=True).seq, 30.0)
    frames = _standing(seq)
    guessed = _hips_guessed(seq, frames, hips_deg=75.0, axes_deg=20.0)
    assert measure_yaw(guessed, DET).off_side_deg == pytest.approx(30.0, abs=5.0)
