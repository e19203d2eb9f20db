"""The synthetic generator itself: it must be what its docstrings say, or every other test is moot."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.landmarks import PAIRS, Landmark
from formcheck.types import PoseSequence
from tests import synthetic as S

ALL = {
    "rdl": S.rdl_set,
    "hip_thrust": S.hip_thrust_set,
    "squat": S.squat_set,
    "deadlift": S.deadlift_from_floor_set,
    "standing": S.standing,
    "walking": S.walking,
}


def seg_len(seq, a, b):
    return np.linalg.norm(seq.xy[:, a] - seq.xy[:, b], axis=-1)


@pytest.mark.parametrize("name", ALL)
def test_every_landmark_set_in_frame_with_visibility(name):
    syn = ALL[name]()
    seq = syn.seq
    assert isinstance(seq, PoseSequence) and syn.lift == name
    assert np.isfinite(seq.xy).all()
    w, h = seq.meta.width, seq.meta.height
    assert (seq.xy[..., 0] > 0).all() and (seq.xy[..., 0] < w).all()
    assert (seq.xy[..., 1] > 0).all() and (seq.xy[..., 1] < h).all()
    assert set(np.unique(seq.visibility)) == {S.NEAR_VISIBILITY, S.FAR_VISIBILITY}
    assert seq.meta.n_frames == len(seq) and seq.meta.fps == pytest.approx(30.0)
    assert seq.meta.duration_s == pytest.approx(len(seq) / 30.0)


@pytest.mark.parametrize("name", ["rdl", "hip_thrust", "squat", "deadlift", "standing"])
def test_segment_lengths_constant(name):
    seq = ALL[name]().seq
    px_per_m = 0.75 * seq.meta.height / S.STATURE_M
    for a, b, frac in (
        (Landmark.LEFT_HIP, Landmark.LEFT_KNEE, S.THIGH),
        (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, S.SHIN),
        (Landmark.LEFT_SHOULDER, Landmark.LEFT_EAR, S.NECK),
        (Landmark.LEFT_EAR, Landmark.NOSE, S.EAR_NOSE),
        (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW, S.UPPER_ARM),
        (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST, S.FOREARM),
    ):
        np.testing.assert_allclose(seg_len(seq, a, b), frac * S.STATURE_M * px_per_m, rtol=1e-6)


def test_rounding_shortens_only_the_torso_of_that_rep():
    syn = S.rdl_set(rounding={2: 0.8})
    torso = seg_len(syn.seq, Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP)
    torso = torso / torso[0]
    r2 = syn.reps[1]
    assert torso[syn.frame(r2.t_bottom)] == pytest.approx(0.8)
    outside = (syn.t < r2.t_start) | (syn.t > r2.t_lockout)
    np.testing.assert_allclose(torso[outside], 1.0)


@pytest.mark.parametrize("facing", [1, -1])
def test_near_side_and_facing(facing):
    seq = S.rdl_set(facing=facing, far_offset_px=(3.0, -2.0)).seq
    near, far = (Landmark.RIGHT_HIP, Landmark.LEFT_HIP) if facing == 1 else (Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    assert (seq.visibility[:, near] == S.NEAR_VISIBILITY).all() and (seq.visibility[:, far] == S.FAR_VISIBILITY).all()
    np.testing.assert_allclose(seq.xy[:, far] - seq.xy[:, near], np.tile([3.0, -2.0], (len(seq), 1)))
    toe_x = seq.xy[:, Landmark.RIGHT_FOOT_INDEX, 0] - seq.xy[:, Landmark.RIGHT_HEEL, 0]
    assert np.sign(toe_x).tolist() == [facing] * len(seq)


def test_world_landmarks_metres_hip_centred():
    seq = S.rdl_set(world=True).seq
    w = seq.world
    assert w.shape == (len(seq), 33, 3)
    hip_mid = 0.5 * (w[:, Landmark.LEFT_HIP] + w[:, Landmark.RIGHT_HIP])
    np.testing.assert_allclose(hip_mid[:, :2], 0.0, atol=1e-12)
    np.testing.assert_allclose(np.abs(w[:, Landmark.LEFT_SHOULDER, 2] - w[:, Landmark.RIGHT_SHOULDER, 2]), 0.2)
    thigh = np.linalg.norm(w[:, Landmark.LEFT_HIP] - w[:, Landmark.LEFT_KNEE], axis=-1)
    np.testing.assert_allclose(thigh, S.THIGH * S.STATURE_M)
    # y is down, like MediaPipe's world landmarks: the head is above (negative y) the hips when standing
    assert w[0, Landmark.NOSE, 1] < 0


@pytest.mark.parametrize("name", ["rdl", "hip_thrust", "squat", "deadlift"])
def test_motion_is_continuous(name):
    seq = ALL[name]().seq
    step = np.nanmax(np.linalg.norm(np.diff(seq.xy, axis=0), axis=-1))
    assert step < 25.0, "no landmark jumps more than 25 px between frames"


def test_timeline_truth():
    tl = S.timeline(3, 30.0, start="top", down_s=2.0, up_s=1.0, bottom_s=0.5, top_s=0.8, lead_s=1.0)
    assert [r.index for r in tl.reps] == [1, 2, 3]
    r1 = tl.reps[0]
    assert (r1.t_start, r1.t_bottom_start, r1.t_bottom_end, r1.t_lockout, r1.t_top_end) == pytest.approx(
        (1.0, 3.0, 3.5, 4.5, 5.3)
    )
    assert r1.eccentric_s == pytest.approx(2.0) and r1.concentric_s == pytest.approx(1.0)
    assert tl.p.min() == 0.0 and tl.p.max() == pytest.approx(1.0)
    assert tl.t[-1] == pytest.approx(1.0 + 3 * 4.3)
    bottom = tl.t[(tl.t >= 3.0) & (tl.t <= 3.5)]
    np.testing.assert_allclose(tl.p[np.isin(tl.t, bottom)], 1.0)
    low = S.timeline(2, 30.0, start="bottom")
    assert low.reps[0].t_start is None and low.reps[1].t_start is not None
    assert low.p[0] == 1.0 and low.p[-1] == 1.0


def test_per_rep_weights_are_zero_outside_the_rep():
    tl = S.timeline(3, 30.0, start="top")
    bw = tl.per_rep({2: 1.0}, "bottom")
    r1, r2, r3 = tl.reps
    assert bw[(tl.t >= r2.t_bottom_start) & (tl.t <= r2.t_bottom_end)].min() == pytest.approx(1.0)
    assert np.all(bw[tl.t <= r2.t_start] == 0) and np.all(bw[tl.t >= r2.t_lockout] == 0)
    tw = tl.per_rep({2: 1.0}, "top")
    assert tw[(tl.t > r2.t_lockout) & (tl.t < r2.t_top_end)].min() == pytest.approx(1.0)
    assert np.all(tw[tl.t <= r2.t_bottom_end] == 0) and np.all(tw[tl.t >= r3.t_bottom_start] == 0)


def test_hip_thrust_head_neutral_gaze():
    """Neutral head: gaze near the wall in front at the bottom, 60-70 deg up at the top."""
    syn = S.hip_thrust_set()
    gaze = syn.truth["gaze_deg"]
    for r in syn.reps:
        assert 0.0 <= gaze[syn.frame(r.t_bottom)] <= 30.0
        assert 60.0 <= gaze[syn.frame(0.5 * (r.t_lockout + r.t_top_end))] <= 70.0
    assert np.ptp(syn.truth["neck_flexion_deg"]) == 0.0, "head rigid with the torso"
    top = syn.frame(syn.reps[0].t_lockout + 0.1)
    assert syn.truth["shoulder_height"][top] == pytest.approx(syn.truth["hip_height"][top])  # on the line
    assert syn.truth["knee_deg"][top] == pytest.approx(90.0)


def test_hip_thrust_faults():
    syn = S.hip_thrust_set(head_back={2: 30}, chin_tuck={3: 20}, overextension={1: 12}, partial={2: 160})
    top = [syn.frame(0.5 * (r.t_lockout + r.t_top_end)) for r in syn.reps]
    neck, dev, gaze = syn.truth["neck_flexion_deg"], syn.truth["hip_line_dev_deg"], syn.truth["gaze_deg"]
    base = neck[0]
    assert neck[top[1]] == pytest.approx(base - 30) and neck[top[2]] == pytest.approx(base + 20)
    assert dev[top[0]] == pytest.approx(12.0) and dev[top[1]] == pytest.approx(-20.0)
    assert gaze[top[1]] > 80


def test_rdl_truth_curves():
    syn = S.rdl_set(hinge_deg=80, knee_start_deg=15, knee_drift_deg={3: 20}, neck_extension={1: 30})
    hip, knee, neck = syn.truth["hip_deg"], syn.truth["knee_flexion_deg"], syn.truth["neck_flexion_deg"]
    assert hip.max() - hip.min() == pytest.approx(80.0)
    assert syn.truth["torso_incline_deg"][0] == pytest.approx(0.0)
    bottoms = [syn.frame(r.t_bottom) for r in syn.reps]
    assert knee[bottoms[0]] == pytest.approx(15.0) and knee[bottoms[2]] == pytest.approx(35.0)
    assert neck[bottoms[0]] == pytest.approx(S.STANDING_NECK_FLEXION_DEG - 30)
    assert syn.truth["bar_to_leg"] == pytest.approx(S.BAR_CLEARANCE_LEG)
    assert syn.truth["hip_back"][bottoms[1]] - syn.truth["hip_back"][0] == pytest.approx(0.25)


def test_degraders():
    syn = S.rdl_set(n_reps=1)
    noisy = S.add_noise(syn.seq, 2.0, seed=1)
    assert np.std(noisy.xy - syn.seq.xy) == pytest.approx(2.0, rel=0.05)
    np.testing.assert_array_equal(S.add_noise(syn.seq, 2.0, seed=1).xy, noisy.xy)
    gaps = S.add_gaps(syn.seq, [(1.0, 0.5)])
    missing = np.isnan(gaps.xy[:, 0, 0])
    assert missing.sum() == 15 and (gaps.n_people[missing] == 0).all() and np.isnan(gaps.visibility[missing]).all()
    hidden = S.hide(syn.seq, [Landmark.NOSE], t_range=(0.0, 1.0))
    assert np.isnan(hidden.xy[:30, Landmark.NOSE]).all() and np.isfinite(hidden.xy[30:, Landmark.NOSE]).all()
    low = S.low_visibility(syn.seq, [Landmark.LEFT_EAR], 0.2)
    assert (low.visibility[:, Landmark.LEFT_EAR] == 0.2).all()
    np.testing.assert_array_equal(low.xy, syn.seq.xy)
    swapped = S.swap_sides(syn.seq)
    for left, right in PAIRS.values():
        np.testing.assert_array_equal(swapped.xy[:, left], syn.seq.xy[:, right])
    joined = S.concat(syn.seq, syn.seq)
    assert len(joined) == 2 * len(syn.seq) and np.all(np.diff(joined.t) > 0)
    part = S.cut(syn, 1.0, 2.0)
    assert len(part) == 30 and part.t[0] == 0.0


def test_hip_signal():
    t, h, truth = S.hip_signal(2, top_deg=170, bottom_deg=100)
    assert h.max() == pytest.approx(170) and h.min() == pytest.approx(100) and len(truth) == 2
    assert len(t) == len(h)
