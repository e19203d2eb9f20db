"""formcheck.types: PoseSequence shape checks, npz round trip, timestamps."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.landmarks import N_LANDMARKS, Landmark
from formcheck.types import AngleSeries, PoseSequence, VideoMeta
from tests import synthetic as S

META = VideoMeta(path="clip.mp4", width=640, height=480, fps=30.0, n_frames=4, duration_s=4 / 30)


def make(n=4, **changes):
    values = dict(
        xy=np.zeros((n, N_LANDMARKS, 2)),
        visibility=np.ones((n, N_LANDMARKS)),
        t=np.arange(n) / 30,
        frame_index=np.arange(n),
        meta=META,
        model="full",
    )
    values.update(changes)
    return PoseSequence(**values)


def test_valid_sequence():
    seq = make()
    assert len(seq) == 4 and seq.xy.dtype == np.float64 and seq.frame_index.dtype == np.int64
    np.testing.assert_array_equal(seq.n_people, 1)
    assert seq.detected.all()


@pytest.mark.parametrize(
    "field, bad",
    [
        ("xy", np.zeros((4, N_LANDMARKS, 3))),
        ("xy", np.zeros((4, 32, 2))),
        ("xy", np.zeros((5, N_LANDMARKS, 2))),
        ("visibility", np.ones((4, N_LANDMARKS, 1))),
        ("frame_index", np.arange(3)),
        ("world", np.zeros((4, N_LANDMARKS, 2))),
        ("n_people", np.ones(5)),
    ],
)
def test_shape_checks(field, bad):
    with pytest.raises(ValueError, match=field):
        make(**{field: bad})


@pytest.mark.parametrize("t", [np.array([0.0, 0.1, 0.1, 0.2]), np.array([0.0, 0.2, 0.1, 0.3])])
def test_timestamps_strictly_increasing(t):
    with pytest.raises(ValueError, match="strictly increasing"):
        make(t=t)


def test_single_frame_allowed():
    assert len(make(n=1)) == 1


def test_n_people_defaults_from_missing_pose():
    xy = np.zeros((4, N_LANDMARKS, 2))
    xy[2] = np.nan
    seq = make(xy=xy)
    np.testing.assert_array_equal(seq.n_people, [1, 1, 0, 1])
    np.testing.assert_array_equal(seq.detected, [True, True, False, True])


def test_npz_round_trip_keeps_nan_and_zero(tmp_path):
    syn = S.rdl_set(n_reps=1, world=True, noise_px=1.0)
    seq = syn.seq
    xy = seq.xy.copy()
    xy[5, Landmark.NOSE] = 0.0  # a real zero
    xy[7, Landmark.LEFT_WRIST] = np.nan  # one missing landmark
    seq = S.add_gaps(seq.replace(xy=xy), [(1.0, 0.2)])  # whole frames missing
    path = tmp_path / "sub" / "clip.npz"
    seq.save_npz(path)
    assert path.exists() and not list(path.parent.glob("*.tmp*"))
    back = PoseSequence.load_npz(path)
    assert np.array_equal(np.isnan(back.xy), np.isnan(seq.xy))
    assert np.array_equal(np.isnan(back.visibility), np.isnan(seq.visibility))
    assert back.xy[5, Landmark.NOSE, 0] == 0.0 and back.xy[5, Landmark.NOSE, 1] == 0.0
    np.testing.assert_allclose(back.xy, seq.xy, rtol=1e-6, equal_nan=True)  # stored as float32
    np.testing.assert_allclose(back.world, seq.world, atol=1e-6, equal_nan=True)
    np.testing.assert_array_equal(back.t, seq.t)  # float64 kept exactly
    np.testing.assert_array_equal(back.frame_index, seq.frame_index)
    np.testing.assert_array_equal(back.n_people, seq.n_people)
    assert back.meta == seq.meta and back.model == seq.model
    assert back.xy.dtype == np.float64


def test_npz_round_trip_without_world(tmp_path):
    seq = make()
    seq.save_npz(tmp_path / "a.npz")
    back = PoseSequence.load_npz(tmp_path / "a.npz")
    assert back.world is None
    np.testing.assert_array_equal(back.xy, 0.0)


def test_npz_wrong_format_rejected(tmp_path):
    path = tmp_path / "a.npz"
    make().save_npz(path)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["format"] = np.array(999)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format"):
        PoseSequence.load_npz(path)


def test_slice_and_replace():
    seq = S.rdl_set(n_reps=1, world=True).seq
    part = seq.slice(10, 20)
    assert len(part) == 10 and part.world.shape == (10, N_LANDMARKS, 3)
    np.testing.assert_array_equal(part.t, seq.t[10:20])
    with pytest.raises(ValueError):
        seq.replace(t=seq.t[::-1])


def test_video_meta_from_dict_ignores_unknown_keys():
    data = {**META.to_dict(), "future_field": 1}
    assert VideoMeta.from_dict(data) == META


def test_angle_series_lookup():
    s = AngleSeries(t=np.arange(3) / 30, names=("a", "b"), values=np.arange(6.0).reshape(3, 2), side="left", facing=1)
    np.testing.assert_array_equal(s["b"], [1.0, 3.0, 5.0])
    assert "a" in s and "c" not in s
    np.testing.assert_array_equal(s.frame_index, [0, 1, 2])
    with pytest.raises(KeyError, match="have a, b"):
        s["c"]
    with pytest.raises(ValueError):
        AngleSeries(t=np.arange(3), names=("a",), values=np.zeros((3, 2)), side="left", facing=1)


def test_npz_round_trip_keeps_frame_change(tmp_path):
    seq = S.rdl_set(n_reps=1).seq
    change = np.linspace(0, 5, len(seq))
    change[0] = np.nan
    seq = seq.replace(frame_change=change)
    seq.save_npz(tmp_path / "a.npz")
    back = PoseSequence.load_npz(tmp_path / "a.npz")
    np.testing.assert_allclose(back.frame_change, change, rtol=1e-6, equal_nan=True)
    part = back.slice(3, 9)
    np.testing.assert_allclose(part.frame_change, change[3:9], rtol=1e-6)
    with pytest.raises(ValueError, match="frame_change"):
        seq.replace(frame_change=change[:-1])
    assert PoseSequence.load_npz(_saved_without_change(tmp_path, seq)).frame_change is None


def _saved_without_change(tmp_path, seq):
    path = tmp_path / "old.npz"
    seq.replace(frame_change=None).save_npz(path)
    return path
