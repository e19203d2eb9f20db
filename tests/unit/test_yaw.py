"""The measured camera yaw (formcheck.camera) on generated landmark sequences with a known yaw."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.camera import (
    FRONTAL_HIP_RATIO,
    FRONTAL_SHOULDER_RATIO,
    axes_off_side,
    combine,
    lying,
    measure_yaw,
    on_the_spot,
    rolling_percentile,
    sagittal_off_side,
    world_off_side,
    yaw_changes,
)
from formcheck.config import load_config
from formcheck.exercises.detect import classify_shots, classify_view, describe_view, view_features
from formcheck.landmarks import PAIRS
from formcheck.pipeline import analyze_landmarks
from formcheck.types import Detection, PoseSequence
from tests import synthetic as S

DET = load_config().detect
#: The generated body's torso (metres) and half widths giving the frontal width / torso ratios formcheck.camera assumes.
TORSO_M = 0.504
HALF_WIDTH = {"shoulder": FRONTAL_SHOULDER_RATIO * TORSO_M / 2, "hip": FRONTAL_HIP_RATIO * TORSO_M / 2}


def _seen_at(seq: PoseSequence, off_side_deg: np.ndarray | float) -> PoseSequence:
    """``seq`` (a side view with world landmarks) as a camera ``off_side_deg`` round the vertical axis sees it,
    per frame: world landmarks rotated, the picture their orthographic projection at the clip's scale."""
    assert seq.world is not None
    n = len(seq)
    a = np.radians(np.broadcast_to(np.asarray(off_side_deg, dtype=float), (n,)))[:, None]
    world = seq.world.copy()
    for joint, half in HALF_WIDTH.items():
        left, right = PAIRS[joint]
        world[:, left, 2], world[:, right, 2] = half, -half
    x, z = world[..., 0], world[..., 2]
    world[..., 0], world[..., 2] = x * np.cos(a) + z * np.sin(a), -x * np.sin(a) + z * np.cos(a)
    hip = 0.5 * (seq.xy[:, PAIRS["hip"][0]] + seq.xy[:, PAIRS["hip"][1]])
    shoulder = 0.5 * (seq.xy[:, PAIRS["shoulder"][0]] + seq.xy[:, PAIRS["shoulder"][1]])
    scale = np.nanmedian(np.linalg.norm(shoulder - hip, axis=-1)) / TORSO_M
    xy = np.nanmedian(hip, axis=0) + scale * world[..., :2]
    return seq.replace(xy=xy, world=world)


@pytest.mark.parametrize("off", [0, 15, 30, 45, 60, 75, 90])
def test_both_estimates_read_the_true_yaw(off):
    seq = _seen_at(S.rdl_set(n_reps=2, world=True).seq, float(off))
    m = measure_yaw(seq, DET)
    assert m.world_off_deg == pytest.approx(off, abs=0.5)
    # the hinged torso foreshortens on screen away from the side view: the 2D reading errs towards the front
    assert m.image_off_deg == pytest.approx(off, abs=8.0)
    assert m.off_side_deg == pytest.approx(off, abs=5.0)
    assert m.body_yaw_deg == pytest.approx(90.0 - m.off_side_deg)


def _thrust_at(off_side_deg: float) -> PoseSequence:
    """A set of hip thrusts (a lying body: the trunk near level at the top) seen ``off_side_deg`` round the
    vertical axis, towards the feet as the renderer's camera turns."""
    return _seen_at(S.hip_thrust_set(n_reps=2, world=True).seq, off_side_deg)


def _median(x: np.ndarray) -> float:
    return float(np.nanmedian(x))


@pytest.mark.parametrize("off", [0, 10, 20, 30, 45, 60, 75, 90])
def test_a_lying_body_reads_its_true_yaw(off):
    seq = _thrust_at(float(off))
    assert seq.world is not None
    plane = sagittal_off_side(seq.world)
    assert np.mean(np.isfinite(plane)) > 0.9  # the bent knees keep the midline chain out of a line
    assert _median(plane) == pytest.approx(off, abs=0.5)
    assert _median(axes_off_side(seq.world)) == pytest.approx(off, abs=0.5)
    assert measure_yaw(seq, DET).world_off_deg == pytest.approx(off, abs=0.5)


@pytest.mark.parametrize("depth_scale", [0.5, 0.7, 1.5])
@pytest.mark.parametrize("off", [15, 30, 50])
def test_a_wrong_depth_scale_cancels_between_the_axes_and_the_sagittal_plane(off, depth_scale):
    """MediaPipe's world depth read k times the truth: the axes across the body read atan(tan / k), the
    sagittal plane's normal atan(k tan); the 3D estimate reads the truth."""
    seq = _thrust_at(float(off))
    assert seq.world is not None
    world = seq.world.copy()
    world[..., 2] *= depth_scale
    t = np.tan(np.radians(off))
    assert _median(axes_off_side(world)) == pytest.approx(np.degrees(np.arctan(t / depth_scale)), abs=0.5)
    assert _median(sagittal_off_side(world)) == pytest.approx(np.degrees(np.arctan(t * depth_scale)), abs=0.5)
    assert _median(world_off_side(world)) == pytest.approx(off, abs=0.5)


def _rolled_about_the_trunk(world: np.ndarray, roll_deg: float) -> np.ndarray:
    """The shoulders and hips turned ``roll_deg`` about the trunk's long axis round their midpoints (what
    MediaPipe does to a rendered lying body, docs/ACCURACY.md "Camera angle (yaw) of a lying body")."""
    out = world.copy()
    shoulder = 0.5 * (world[:, PAIRS["shoulder"][0]] + world[:, PAIRS["shoulder"][1]])
    hip = 0.5 * (world[:, PAIRS["hip"][0]] + world[:, PAIRS["hip"][1]])
    u = (shoulder - hip) / np.linalg.norm(shoulder - hip, axis=-1, keepdims=True)
    a = np.radians(roll_deg)
    for joint, mid in (("shoulder", shoulder), ("hip", hip)):
        for lm in PAIRS[joint]:
            v = world[:, lm] - mid
            dot = np.sum(u * v, axis=-1, keepdims=True)
            out[:, lm] = mid + v * np.cos(a) + np.cross(u, v) * np.sin(a) + u * dot * (1.0 - np.cos(a))
    return out


def test_the_sagittal_plane_does_not_follow_shoulders_and_hips_rolled_about_the_trunk():
    seq = _thrust_at(20.0)
    assert seq.world is not None
    rolled = _rolled_about_the_trunk(seq.world, -25.0)  # the way that turns them further off the side
    axes = _median(axes_off_side(rolled))
    assert axes > 30.0  # the rolled axes alone read far off the side (as rendered thrusts 20 off read 27-38)
    assert _median(sagittal_off_side(rolled)) == pytest.approx(20.0, abs=0.5)
    assert 20.0 < _median(world_off_side(rolled)) < axes - 5.0


def test_only_a_lying_body_takes_the_sagittal_plane_and_leaves_the_2d_widths_out():
    thrust, rdl = _thrust_at(30.0), _seen_at(S.rdl_set(n_reps=2, world=True).seq, 30.0)
    assert thrust.world is not None and rdl.world is not None
    assert lying(thrust.world) and not lying(rdl.world)
    # an upright body: the axes alone, whatever its chain's plane reads
    bent = rdl.world.copy()
    bent[:, PAIRS["knee"][0], 2] += 0.2
    bent[:, PAIRS["knee"][1], 2] += 0.2
    np.testing.assert_allclose(world_off_side(bent), axes_off_side(bent), equal_nan=True)
    # a lying body: the 3D estimate, the gap to the 2D one only widens the uncertainty
    assert combine(30.0, 40.0, DET, lying_body=True) == (30.0, pytest.approx(np.hypot(DET.yaw_world_error_deg, 5.0)))
    assert combine(np.nan, 40.0, DET, lying_body=True) == (40.0, DET.yaw_image_error_deg)
    m = measure_yaw(thrust, DET)
    assert m.off_side_deg == m.world_off_deg


def test_combined_yaw_weights_by_error_and_widens_when_the_estimates_disagree():
    mean, unc = combine(30.0, 30.0, DET)
    assert mean == pytest.approx(30.0)
    floor = DET.yaw_error_deg
    assert unc == pytest.approx(floor)
    mean, wide = combine(20.0, 40.0, DET)
    assert 20.0 < mean < 40.0 and wide == pytest.approx(np.hypot(floor, 10.0))
    assert combine(np.nan, 25.0, DET) == (25.0, DET.yaw_image_error_deg)
    assert np.isnan(combine(np.nan, np.nan, DET)[0])


def test_view_reports_the_angle_and_its_uncertainty():
    f = view_features(_seen_at(S.rdl_set(n_reps=2, world=True).seq, 45.0), DET)
    view = classify_view(f, DET)
    assert view.label == "oblique"
    assert f["yaw_deg"] == pytest.approx(90.0 - f["off_side_deg"])
    assert describe_view(view) == f"oblique, {f['off_side_deg']:.0f}° ± {f['off_side_uncertainty_deg']:.0f}° off side"
    assert describe_view(Detection("side", 1.0, {"forced": 1.0})) == "side"


def test_confidence_follows_the_margin_over_the_uncertainty():
    near = classify_view({"yaw_deg": DET.side_min_yaw_deg + 1.0, "off_side_uncertainty_deg": 10.0}, DET)
    far = classify_view({"yaw_deg": DET.side_min_yaw_deg + 25.0, "off_side_uncertainty_deg": 10.0}, DET)
    sure = classify_view({"yaw_deg": DET.side_min_yaw_deg + 1.0, "off_side_uncertainty_deg": 0.0}, DET)
    assert near.label == far.label == sure.label == "side"
    assert 0.5 < near.confidence < sure.confidence and near.confidence < far.confidence <= 1.0


def test_a_camera_orbiting_from_the_front_to_the_side_without_a_cut_is_mixed():
    base = S.rdl_set(n_reps=4, world=True).seq
    sweep = np.linspace(85.0, 10.0, len(base))
    seq = _seen_at(base, sweep)
    assert seq.frame_change is None  # no picture cut to split at
    assert yaw_changes(seq, DET)
    shots = classify_shots(seq, DET)
    assert shots[0].view.label == "front" and shots[-1].view.label == "side"
    assert [s.view.label for s in shots] == ["front", "oblique", "side"]
    a = analyze_landmarks(seq, load_config(), exercise="rdl")
    assert a.view.label == "mixed"
    assert [s["view"] for s in a.view.detail["shots"]] == ["front", "oblique", "side"]
    assert all("off_side_deg" in s and "off_side_uncertainty_deg" in s for s in a.view.detail["shots"])
    assert describe_view(a.view).startswith("mixed: front 0.0-")


def test_a_camera_swaying_about_one_angle_stays_one_shot():
    base = S.rdl_set(n_reps=4, world=True).seq
    sway = 45.0 + 0.4 * DET.orbit_min_sweep_deg * np.sin(2 * np.pi * base.t / 3.0)
    seq = _seen_at(base, sway)
    assert yaw_changes(seq, DET) == []
    shots = classify_shots(seq, DET)
    assert len(shots) == 1 and shots[0].view.label == "oblique"


def test_a_still_camera_whose_yaw_reading_swings_with_each_rep_stays_one_shot():
    """Where plates or a bench hide joints, one pose's yaw reading swings with the rep (a rendered lifter behind 45 cm
    plates 15 degrees off the side read 17-70 degrees within each 3 s thrust): smoothed over 2 s that sweeps past a
    class's width and split the still camera's clip into shots, with stub reps at their edges. The sweep is measured
    over orbit_sweep_smooth_s, longer than a rep, and the camera does not move."""
    base = S.rdl_set(n_reps=4, world=True).seq
    swing = 35.0 + 30.0 * np.sin(2 * np.pi * base.t / 3.0)
    seq = _seen_at(base, swing)
    short = dataclasses.replace(DET, orbit_sweep_smooth_s=DET.orbit_smooth_s)
    assert yaw_changes(seq, short), "over 2 s the swing reads as an orbit"
    assert yaw_changes(seq, DET) == []
    assert len(classify_shots(seq, DET)) == 1


def test_a_still_camera_on_a_class_boundary_does_not_flap():
    base = S.rdl_set(n_reps=4, world=True).seq
    boundary = 90.0 - DET.side_min_yaw_deg
    wobble = boundary + 0.9 * DET.orbit_hysteresis_deg * np.sign(np.sin(2 * np.pi * base.t / 2.0))
    # a sweep wide enough elsewhere in the clip: a front-view stretch first
    off = np.where(base.t < 2.5, 85.0, wobble)
    seq = _seen_at(base, off)
    labels = [s.view.label for s in classify_shots(seq, DET)]
    assert labels.count("side") + labels.count("oblique") == 1


def test_a_lifter_walking_out_of_the_picture_is_left_out():
    xy = np.zeros((10, 33, 2))
    leg = 100.0
    for side in (0, 1):
        xy[:, PAIRS["hip"][side]] = [500.0, 300.0]
        xy[:, PAIRS["knee"][side]] = [500.0, 300.0 + leg / 2]
        xy[:, PAIRS["ankle"][side]] = [500.0, 300.0 + leg]
    xy[7:, :, 0] += np.array([0.4, 0.8, 1.6])[:, None] * leg  # walks off to the right
    assert on_the_spot(xy, 0.5).tolist() == [True] * 8 + [False, False]


@pytest.mark.parametrize("n", [0, 1, 2, 7, 400])
@pytest.mark.parametrize(("window_s", "q"), [(4.0, 95.0), (2.0, 50.0), (0.01, 50.0), (3.0, 0.0), (3.0, 100.0)])
def test_rolling_percentile_matches_a_window_by_window_percentile(n, window_s, q):
    """The vectorised rolling percentile equals np.percentile of each window's finite values (NaN for none), on
    uneven frame times with missing stretches and infinities."""
    rng = np.random.default_rng(n)
    t = np.cumsum(rng.uniform(0.01, 0.06, n))
    x = rng.normal(size=n)
    x[rng.random(n) < 0.3] = np.nan
    if n > 300:
        x[100:250] = np.nan
        x[260] = np.inf
    got = rolling_percentile(x, t, window_s, q)
    for k in range(n):
        inside = np.abs(t - t[k]) <= window_s / 2
        seg = x[inside][np.isfinite(x[inside])]
        want = np.percentile(seg, q) if seg.size else np.nan
        assert np.isclose(got[k], want, equal_nan=True), (k, got[k], want)
