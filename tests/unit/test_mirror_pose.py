"""The mirror pass (``pose.mirror``): reading a landmark result made on the mirror image back into the picture, and
merging the two readings (no model: fake PoseLandmarker results with known points)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from formcheck.config import PoseConfig
from formcheck.landmarks import N_LANDMARKS, Landmark, swap_table
from formcheck.pose import PoseOptions, merge_mirrored, read_landmarks

SIDE = 400  # the letterboxed square, pixels


@dataclass
class _Point:
    x: float
    y: float
    z: float = 0.0
    visibility: float = 1.0


@dataclass
class _Result:
    pose_landmarks: list[list[_Point]]
    pose_world_landmarks: list[list[_Point]]


def _result(xy_norm: np.ndarray, vis: np.ndarray, world: np.ndarray) -> _Result:
    pts = [_Point(float(x), float(y), 0.0, float(v)) for (x, y), v in zip(xy_norm, vis)]
    wpts = [_Point(float(x), float(y), float(z)) for x, y, z in world]
    return _Result([pts], [wpts])


def _pose(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(0.3, 0.7, (N_LANDMARKS, 2)),
        rng.uniform(0.5, 1.0, N_LANDMARKS),
        rng.uniform(-0.5, 0.5, (N_LANDMARKS, 3)),
    )


def test_a_reading_of_the_picture_is_the_points_in_pixels_before_the_padding():
    xy, vis, world = _pose()
    pts, seen, ground = read_landmarks(_result(xy, vis, world), SIDE, pad_x=10, pad_y=40)
    np.testing.assert_allclose(pts, xy * SIDE - (10, 40))
    np.testing.assert_allclose(seen, vis)
    np.testing.assert_allclose(ground, world)


def test_the_mirror_images_reading_is_flipped_back_and_its_sides_swapped():
    """The lifter's left knee is the mirror image's right knee, at the mirrored x."""
    xy, vis, world = _pose(1)
    # what the model would say on the mirror image of a picture whose true landmarks are xy, vis, world
    swap = np.array(swap_table())
    m_xy = xy[swap].copy()
    m_xy[:, 0] = 1.0 - m_xy[:, 0]
    m_world = world[swap].copy()
    m_world[:, 0] = -m_world[:, 0]
    pts, seen, ground = read_landmarks(_result(m_xy, vis[swap], m_world), SIDE, 0, 50, mirrored=True)
    np.testing.assert_allclose(pts, xy * SIDE - (0, 50), atol=1e-9)
    np.testing.assert_allclose(seen, vis)
    np.testing.assert_allclose(ground, world, atol=1e-12)
    assert pts[Landmark.LEFT_KNEE, 0] == pytest.approx(xy[Landmark.LEFT_KNEE, 0] * SIDE)


def test_two_readings_that_agree_are_averaged():
    xy = np.random.default_rng(2).uniform(100, 300, (N_LANDMARKS, 2))
    vis, world = np.full(N_LANDMARKS, 0.9), np.zeros((N_LANDMARKS, 3))
    other = xy + (2.0, -1.0)
    out_xy, out_vis, out_world = merge_mirrored(
        (xy, vis, world), (other, np.full(N_LANDMARKS, 0.7), np.ones((N_LANDMARKS, 3))), 0.1
    )
    np.testing.assert_allclose(out_xy, xy + (1.0, -0.5))
    np.testing.assert_allclose(out_vis, 0.8)
    np.testing.assert_allclose(out_world, 0.5)


def test_a_landmark_the_two_trackers_put_far_apart_keeps_the_pictures_reading():
    """A knee the mirror image's tracker drew on the plate is no better than the picture's: neither is their mean."""
    xy = np.random.default_rng(3).uniform(100, 300, (N_LANDMARKS, 2))
    body = float(np.hypot(*(xy.max(axis=0) - xy.min(axis=0))))
    vis, world = np.full(N_LANDMARKS, 0.9), np.zeros((N_LANDMARKS, 3))
    other = xy.copy()
    other[Landmark.RIGHT_KNEE] += (0.2 * body, 0.0)
    out_xy, out_vis, _ = merge_mirrored((xy, vis, world), (other, vis * 0.5, world), 0.1)
    np.testing.assert_allclose(out_xy[Landmark.RIGHT_KNEE], xy[Landmark.RIGHT_KNEE])
    assert out_vis[Landmark.RIGHT_KNEE] == pytest.approx(0.9)
    assert out_vis[Landmark.LEFT_KNEE] == pytest.approx(0.675)


def test_missing_world_points_of_the_mirror_leave_the_pictures():
    xy = np.random.default_rng(4).uniform(100, 300, (N_LANDMARKS, 2))
    vis, world = np.ones(N_LANDMARKS), np.full((N_LANDMARKS, 3), 0.25)
    _, _, out_world = merge_mirrored((xy, vis, world), (xy, vis, np.full((N_LANDMARKS, 3), np.nan)), 0.1)
    np.testing.assert_allclose(out_world, 0.25)


def test_the_mirror_pass_is_a_setting_handed_to_the_estimator_and_off_by_default():
    config = PoseConfig()
    assert config.mirror is False
    opts = PoseOptions.from_config(PoseConfig(mirror=True, mirror_max_apart_body=0.2))
    assert opts.mirror is True and opts.mirror_max_apart_body == 0.2
