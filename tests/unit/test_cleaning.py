"""formcheck.cleaning: masking, gap filling, zero-lag low-pass; NaN is the only 'missing'."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.cleaning import clean, fill_gaps, lowpass, mask_low_visibility, runs, sample_rate
from formcheck.config import CleaningConfig
from formcheck.landmarks import Landmark
from tests import synthetic as S

FPS = 30.0


def _t(n: int) -> np.ndarray:
    return np.arange(n) / FPS


def test_runs():
    assert runs(np.array([], bool)) == []
    assert runs(np.array([True, True, False, True])) == [(0, 2), (3, 4)]
    assert runs(np.array([False, False])) == []
    assert runs(np.ones(3, bool)) == [(0, 3)]


# -- mask -----------------------------------------------------------------------
def test_mask_low_visibility():
    xy = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    vis = np.array([[0.9, 0.4], [0.5, 0.49], [np.nan, 1.0]])
    out = mask_low_visibility(xy, vis, 0.5)
    assert np.isnan(out[0, 1]).all() and np.isnan(out[1, 1]).all()
    assert np.isnan(out[2, 0]).all(), "NaN visibility means no pose: missing"
    np.testing.assert_array_equal(out[0, 0], xy[0, 0])
    np.testing.assert_array_equal(out[1, 0], xy[1, 0]), "exactly at the threshold is kept"
    assert not np.isnan(xy).any(), "input untouched"


def test_mask_keeps_zero_coordinates():
    xy = np.zeros((2, 1, 2))
    out = mask_low_visibility(xy, np.full((2, 1), 0.9), 0.5)
    np.testing.assert_array_equal(out, 0.0)


# -- fill_gaps ----------------------------------------------------------------------
def test_short_interior_gap_filled_linearly():
    x = np.arange(20, dtype=float)
    x[5:10] = np.nan  # t[10] - t[4] = 6 frames = 0.2 s
    out = fill_gaps(x, _t(20), max_gap_s=0.25)
    np.testing.assert_allclose(out, np.arange(20, dtype=float))


def test_long_gap_and_edge_gaps_stay_nan():
    x = np.arange(40, dtype=float)
    x[:3] = np.nan  # leading
    x[10:25] = np.nan  # 0.53 s
    x[-2:] = np.nan  # trailing
    out = fill_gaps(x, _t(40), max_gap_s=0.25)
    assert np.isnan(out[:3]).all() and np.isnan(out[10:25]).all() and np.isnan(out[-2:]).all()
    np.testing.assert_array_equal(out[3:10], x[3:10])


def test_gap_limit_is_inclusive_and_uses_timestamps():
    t = np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    x = np.array([0.0, np.nan, np.nan, 3.0, 4.0])  # t[3] - t[0] = 0.3
    assert np.isnan(fill_gaps(x, t, 0.29)[1:3]).all()
    np.testing.assert_allclose(fill_gaps(x, t, 0.3), [0, 1, 2, 3, 4])


def test_fill_gaps_columns_independent_and_zero_is_a_value():
    x = np.zeros((10, 3, 2))
    x[4:6, 1, 0] = np.nan
    x[:, 2, 1] = 5.0
    x[3:8, 2, 1] = np.nan  # 0.2 s -> filled with 5
    out = fill_gaps(x, _t(10), 0.25)
    np.testing.assert_array_equal(out[:, 0], 0.0)
    np.testing.assert_array_equal(out[:, 1, 0], 0.0)
    np.testing.assert_array_equal(out[:, 2, 1], 5.0)
    assert np.isnan(x[4, 1, 0]), "input untouched"


def test_fill_gaps_all_nan_or_single_value():
    assert np.isnan(fill_gaps(np.full(5, np.nan), _t(5), 1.0)).all()
    x = np.array([np.nan, 1.0, np.nan])
    np.testing.assert_array_equal(np.isnan(fill_gaps(x, _t(3), 1.0)), [True, False, True])


# -- lowpass ---------------------------------------------------------------------------
def test_lowpass_removes_high_frequency_keeps_slow_sine():
    t = _t(300)
    slow = 50 * np.sin(2 * np.pi * 0.5 * t)
    fast = 5 * np.sin(2 * np.pi * 12.0 * t)
    out = lowpass(slow + fast, FPS, cutoff_hz=5.0)
    inner = slice(15, -15)
    assert np.max(np.abs(out[inner] - slow[inner])) < 0.5
    assert np.std(out - slow) < 0.1 * np.std(fast)


def test_lowpass_is_zero_lag():
    t = _t(300)
    slow = np.sin(2 * np.pi * 1.0 * t)
    out = lowpass(slow, FPS, 5.0)
    lag = np.argmax(np.correlate(out[50:250], slow[50:250], "full")) - 199
    assert lag == 0


def test_lowpass_does_not_cross_nan_runs():
    x = np.concatenate([np.zeros(40), np.full(5, np.nan), np.full(40, 100.0)])
    out = lowpass(x, FPS, 5.0)
    assert np.isnan(out[40:45]).all()
    np.testing.assert_allclose(out[:40], 0.0, atol=1e-9)
    np.testing.assert_allclose(out[45:], 100.0, atol=1e-9)


def test_lowpass_leaves_short_runs_untouched():
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    x[8] = np.nan
    x[17] = np.nan  # run 9..16 is 8 samples, shorter than the filter's padding
    out = lowpass(x, FPS, 5.0)
    np.testing.assert_array_equal(out[9:17], x[9:17])
    assert not np.allclose(out[18:], x[18:])


def test_lowpass_at_or_above_nyquist_is_identity():
    x = np.random.default_rng(1).normal(size=50)
    np.testing.assert_array_equal(lowpass(x, FPS, 15.0), x)


def test_lowpass_keeps_constant_zero():
    np.testing.assert_array_equal(lowpass(np.zeros((60, 2)), FPS, 5.0), 0.0)


def test_sample_rate():
    assert sample_rate(_t(10)) == pytest.approx(30.0)
    assert sample_rate(np.array([0.0])) == 30.0
    jitter = np.cumsum(np.r_[0, np.full(20, 1 / 25), [0.1]])
    assert sample_rate(jitter) == pytest.approx(25.0)


# -- clean() on a sequence -------------------------------------------------------------
def test_clean_masks_fills_and_keeps_zero_coordinates():
    seq = S.rdl_set(n_reps=1).seq
    xy = seq.xy.copy()
    xy[:, Landmark.NOSE, 0] = 0.0  # nose exactly on the image's left edge
    vis = seq.visibility.copy()
    vis[10:13, Landmark.LEFT_KNEE] = 0.1  # 0.1 s low visibility -> masked then filled
    vis[40:80, Landmark.LEFT_HIP] = 0.1  # 1.3 s -> masked, stays missing
    seq = seq.replace(xy=xy, visibility=vis)
    cleaned, notes = clean(seq, CleaningConfig())
    np.testing.assert_array_equal(cleaned.xy[:, Landmark.NOSE, 0], 0.0)
    assert np.isfinite(cleaned.xy[10:13, Landmark.LEFT_KNEE]).all()
    assert np.isnan(cleaned.xy[40:80, Landmark.LEFT_HIP]).all()
    assert np.isfinite(cleaned.xy[40:80, Landmark.RIGHT_HIP]).all()
    assert notes.masked_fraction > 0 and notes.filled_fraction > 0
    assert notes.sample_rate_hz == pytest.approx(30.0)
    assert any("Butterworth" in s for s in notes.steps)


def test_clean_masks_world_where_image_landmark_masked():
    seq = S.rdl_set(n_reps=1, world=True).seq
    vis = seq.visibility.copy()
    vis[:, Landmark.LEFT_WRIST] = 0.0
    cleaned, _ = clean(seq.replace(visibility=vis), CleaningConfig())
    assert np.isnan(cleaned.world[:, Landmark.LEFT_WRIST]).all()
    assert np.isfinite(cleaned.world[:, Landmark.RIGHT_WRIST]).all()


# -- isolated detections ---------------------------------------------------------------
def test_isolated_detections_between_two_losses_are_dropped():
    from formcheck.cleaning import isolated_detections

    t = _t(12)
    det = np.array([1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1], bool)
    out = isolated_detections(det, t, min_run_s=0.1)
    # frame 4 (one frame) and 7-8 (two frames, 0.033 s) are islands; the runs touching the ends stay
    assert np.flatnonzero(out).tolist() == [4, 7, 8]
    assert not isolated_detections(det, t, min_run_s=0.0).any(), "min_run_s 0 keeps everything"


def test_drop_isolated_detections_marks_frames_lost():
    from formcheck.cleaning import drop_isolated_detections

    seq = S.hip_thrust_set(n_reps=1).seq
    seq = S.add_gaps(seq, [(1.0, 0.2), (1.25, 0.2)])
    dropped_seq, n = drop_isolated_detections(seq, 0.1)
    lost = ~dropped_seq.detected
    assert n > 0 and lost.sum() == (~seq.detected).sum() + n
    assert np.isnan(dropped_seq.visibility[lost]).all()
    assert dropped_seq.world is None or np.isnan(dropped_seq.world[lost]).all()


# -- tracker excursions ----------------------------------------------------------------------------
def _excursion(seq, start_s: float, dur_s: float, shift_px: float, lost_s: float = 0.07):
    """The tracker loses the lifter, follows something ``shift_px`` away for ``dur_s``, loses it and
    finds the lifter again where they were."""
    a = int(round(start_s * FPS))
    n_lost = max(1, int(round(lost_s * FPS)))
    b = a + n_lost + int(round(dur_s * FPS))
    xy = seq.xy.copy()
    xy[a + n_lost : b, :, 1] += shift_px
    seq = seq.replace(xy=xy)
    return S.add_gaps(seq, [(start_s, lost_s), ((b) / FPS, lost_s)]), (a + n_lost, b)


def test_a_jump_away_and_back_across_two_losses_is_an_excursion():
    from formcheck.cleaning import tracker_excursions
    from formcheck.landmarks import leg_length_px

    seq = S.rdl_set(n_reps=2).seq
    bad, (a, b) = _excursion(seq, 2.0, 2.0, shift_px=1.2 * leg_length_px(seq.xy))
    out = tracker_excursions(bad.xy, bad.t, bad.detected, [], 4.0, 0.3, 5.0)
    assert out[a + 1 : b - 1].all() and out.sum() <= (b - a) + 2
    assert not out[: a - 2].any() and not out[b + 3 :].any()


def test_small_jumps_long_stretches_and_cuts_are_not_excursions():
    from formcheck.cleaning import tracker_excursions

    seq = S.rdl_set(n_reps=3).seq
    small, _ = _excursion(seq, 2.0, 2.0, shift_px=3.0)  # noise-sized jump
    assert not tracker_excursions(small.xy, small.t, small.detected, [], 4.0, 0.3, 5.0).any()
    big = 400.0
    long_, _ = _excursion(seq, 1.0, 6.0, shift_px=big)  # longer than max_s: kept
    assert not tracker_excursions(long_.xy, long_.t, long_.detected, [], 4.0, 0.3, 5.0).any()
    cut, (a, b) = _excursion(seq, 2.0, 2.0, shift_px=big)  # an edited clip cuts there
    assert not tracker_excursions(cut.xy, cut.t, cut.detected, [a], 4.0, 0.3, 5.0).any()
    assert tracker_excursions(cut.xy, cut.t, cut.detected, [], 4.0, 0.3, 5.0).any()


def _edge_stretch(seq, at_start: bool, dur_s: float, scale: float, shift_leg: float = 1.0, lost_s: float = 0.07):
    """The tracker follows someone else for the first (or last) ``dur_s`` of the set: a body ``scale`` times the
    lifter's size, ``shift_leg`` leg lengths to the side of the lifter's hips (clip_088: a bystander facing the
    camera at 0.6 of the lifter's size; the joints jumped 0.6 leg lengths in the median), then a loss of
    ``lost_s`` and the lifter (or the lifter, a loss, then the other one)."""
    from formcheck.landmarks import leg_length_px

    leg = leg_length_px(seq.xy)
    n = len(seq.t)
    k = int(round(dur_s * FPS))
    lost = max(1, int(round(lost_s * FPS)))
    part = slice(0, k) if at_start else slice(n - k, n)
    xy = seq.xy.copy()
    centre = np.nanmean(xy[part, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]], axis=1, keepdims=True)
    xy[part] = centre + scale * (xy[part] - centre) + [shift_leg * leg, 0.0]
    gap_s = k / FPS if at_start else (n - k - lost) / FPS
    return S.add_gaps(seq.replace(xy=xy), [(gap_s, lost_s)]), part


@pytest.mark.parametrize("at_start", [True, False])
def test_a_smaller_body_tracked_first_or_last_is_someone_else(at_start):
    """clip_088: in a busy gym the tracker began on a bystander facing the camera for 0.5-1.0 s (read as a
    front-view shot, so the clip as 'mixed'), then jumped to the lifter across a lost frame. The first or last
    stretch has no frames beyond it to agree with: it goes when it is short, shorter than the stretch it jumps
    to, and a smaller body."""
    from formcheck.cleaning import tracker_excursions

    seq = S.rdl_set(n_reps=2).seq
    other, part = _edge_stretch(seq, at_start, 0.8, scale=0.6)
    out = tracker_excursions(other.xy, other.t, other.detected, [], 4.0, 0.3, 5.0, 0.75)
    frames = np.flatnonzero(out)
    expected = np.arange(len(seq.t))[part]
    expected = expected[other.detected[expected]]
    assert frames.tolist() == expected.tolist()
    assert not tracker_excursions(other.xy, other.t, other.detected, [], 4.0, 0.3, 5.0, 0.0).any()  # off


@pytest.mark.parametrize(
    ("scale", "dur_s", "lost_s", "cut"),
    [
        (1.3, 0.8, 0.07, False),  # a bigger body: the lifter (clip_090 ends on the lifter after a bystander)
        (0.8, 0.8, 0.07, False),  # drawn at 0.8 of the lifter: within what posture and the camera do
        (0.6, 0.8, 1.0, False),  # a jump a body can make in the second lost: the same body
        (0.6, 0.8, 0.07, True),  # at a picture cut: an edited clip's next shot
        (0.6, 6.0, 0.07, False),  # longer than max_s
    ],
)
def test_a_first_stretch_that_may_be_the_lifter_is_kept(scale, dur_s, lost_s, cut):
    from formcheck.cleaning import tracker_excursions

    seq = S.rdl_set(n_reps=3).seq
    other, part = _edge_stretch(seq, True, dur_s, scale=scale, lost_s=lost_s)
    cuts = [part.stop] if cut else []
    assert not tracker_excursions(other.xy, other.t, other.detected, cuts, 4.0, 0.3, 5.0, 0.75).any()


def _cut_with_lag(lag: int, lost: int = 0, shift_leg: float = 2.0):
    """An RDL set whose picture cuts at 2 s to the lifter ``shift_leg`` leg lengths to the right; the tracker
    draws ``lag`` frames a little way across (as clip_032's: 0.35 leg lengths, then 0.07 a frame), then loses
    ``lost`` frames."""
    from formcheck.landmarks import leg_length_px

    seq = S.rdl_set(n_reps=2).seq
    cut = int(2.0 * FPS)
    shift = shift_leg * leg_length_px(seq.xy)
    xy = seq.xy.copy()
    xy[cut:, :, 0] += shift
    for k in range(lag):  # the tracker's region still where the last shot's body was
        xy[cut + k] = seq.xy[cut + k] + [shift * (0.15 + 0.03 * k), 0.0]
    xy[cut + lag : cut + lag + lost] = np.nan
    return seq.replace(xy=xy), cut


@pytest.mark.parametrize(("lag", "lost"), [(1, 0), (1, 2), (3, 0), (2, 1)])
def test_frames_the_tracker_draws_between_two_shots_are_dropped(lag, lost):
    """clip_032: after a cut the model drew the front view's pose, moving, for three frames, then found the
    lifter in the side view; the three frames made a 100-degree 'rep' that outranked the real ones."""
    from formcheck.cleaning import carried_over_cuts

    seq, cut = _cut_with_lag(lag, lost)
    out = carried_over_cuts(seq.xy, seq.t, seq.detected, [cut], 0.2, 0.3)
    assert np.flatnonzero(out).tolist() == list(range(cut, cut + lag))


def test_one_jump_at_a_cut_drops_nothing_and_needs_the_cut():
    from formcheck.cleaning import carried_over_cuts

    seq, cut = _cut_with_lag(0)  # the tracker found the new shot's lifter at once
    assert not carried_over_cuts(seq.xy, seq.t, seq.detected, [cut], 0.2, 0.3).any()
    lagged, cut = _cut_with_lag(2)
    assert not carried_over_cuts(lagged.xy, lagged.t, lagged.detected, [], 0.2, 0.3).any()  # no cut: kept
    # the second jump later than settle_s after the cut is not the tracker arriving
    late, cut = _cut_with_lag(8)
    assert not carried_over_cuts(late.xy, late.t, late.detected, [cut], 0.2, 0.3).any()
    # lost after the cut, then found once: no second jump, nothing dropped
    gone, cut = _cut_with_lag(0, lost=3)
    assert not carried_over_cuts(gone.xy, gone.t, gone.detected, [cut], 0.2, 0.3).any()
