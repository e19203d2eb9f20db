"""Decoding: real timestamps (variable frame rate), rotation, streaming, bad files."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.errors import InputError
from formcheck.video import iter_frames, probe
from tests.videos import write_video


def test_constant_rate_timestamps_start_at_zero(tmp_path):
    path = write_video(tmp_path / "c.mp4", 20, fps=25)
    times = [f.t for f in iter_frames(path)]
    assert len(times) == 20
    assert times[0] == 0.0
    assert np.allclose(np.diff(times), 1 / 25, atol=1e-3)


def test_variable_frame_rate_keeps_real_times(tmp_path):
    pts = [0.0, 0.033, 0.066, 0.2, 0.233, 0.5, 0.533, 0.566, 0.6, 0.9]
    path = write_video(tmp_path / "vfr.mp4", len(pts), pts_s=pts)
    times = [f.t for f in iter_frames(path)]
    assert np.allclose(times, pts, atol=0.002)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotation_metadata_is_applied(tmp_path, rotation):
    path = write_video(tmp_path / "r.mp4", 3, width=64, height=32, rotation=rotation)
    meta = probe(path)
    assert meta.rotation_deg == rotation
    frame = next(iter(iter_frames(path)))
    if rotation in (90, 270):
        assert (meta.width, meta.height) == (32, 64)
        assert frame.rgb.shape[:2] == (64, 32)
    else:
        assert frame.rgb.shape[:2] == (32, 64)
    red = frame.rgb[:, :, 0].astype(float)
    # where the white left half went after a counter-clockwise rotation
    expect = {
        90: red[-1].mean() > red[0].mean(),
        180: red[:, -1].mean() > red[:, 0].mean(),
        270: red[0].mean() > red[-1].mean(),
    }[rotation]
    assert expect


def test_max_side_scales_frames(tmp_path):
    path = write_video(tmp_path / "big.mp4", 2, width=320, height=180)
    frame = next(iter(iter_frames(path, max_side=160)))
    assert frame.rgb.shape[:2] == (90, 160)


def test_frames_are_streamed_not_buffered(tmp_path):
    path = write_video(tmp_path / "s.mp4", 30)
    frames = iter_frames(path)
    first = next(frames)
    assert first.index == 0  # a generator: nothing decoded beyond what was asked for
    assert sum(1 for _ in frames) == 29


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"hello, not a video", "not a readable video"),
        (bytes(range(256)) * 100, "not a readable video"),
    ],
)
def test_bad_files_raise_one_clear_error(tmp_path, content, needle):
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(InputError, match=needle):
        probe(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        probe(tmp_path / "nope.mp4")
    with pytest.raises(InputError, match="folder"):
        probe(tmp_path)


def test_truncated_video_is_an_error_or_a_shorter_stream(tmp_path):
    path = write_video(tmp_path / "ok.mp4", 60)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 3])
    try:
        frames = list(iter_frames(cut))
    except InputError as exc:
        assert "video" in str(exc)
    else:
        assert len(frames) < 60


def test_frames_are_packed_rows(tmp_path):
    """PyAV pads each row of a 600 px wide frame to 1824 bytes; MediaPipe needs packed rows."""
    path = write_video(tmp_path / "sq.mp4", 2, width=600, height=600)
    frame = next(iter(iter_frames(path)))
    assert frame.rgb.flags["C_CONTIGUOUS"] and frame.rgb.strides[0] == 600 * 3


def test_frame_change_marks_a_hard_cut(tmp_path):
    """A still scene, then an edit to another scene: the picture change jumps at the cut only."""
    import av

    from formcheck.config import DetectConfig
    from formcheck.exercises.detect import picture_cuts
    from formcheck.video import FrameChange

    path = tmp_path / "cut.mp4"
    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=30)
    stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
    rng = np.random.default_rng(1)
    first, second = rng.integers(0, 255, (2, 96, 160, 3), dtype=np.uint8)
    for i in range(60):
        img = (first if i < 30 else second).copy()
        img[40:56, (2 * i) % 140 : (2 * i) % 140 + 20] = 255  # something moving slowly in both shots
        for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    change = FrameChange()
    frames = list(iter_frames(path))
    values = np.array([change(f.rgb) for f in frames])
    assert np.isnan(values[0])
    assert int(np.nanargmax(values)) == 30
    assert values[30] > 10 * np.nanmedian(values)
    assert picture_cuts(values, np.array([f.t for f in frames]), DetectConfig()) == [30]
    # the pose stage's way: from the decoded luma plane, no RGB made
    change = FrameChange()
    lazy = list(iter_frames(path, lazy=True))
    from_luma = np.array([change.grey(f.grey) for f in lazy])
    assert picture_cuts(from_luma, np.array([f.t for f in lazy]), DetectConfig()) == [30]
    assert from_luma[30] > 10 * np.nanmedian(from_luma)


def _b_frame_clip(path, n=48):
    """An H.264 clip with B-frames no other frame refers to (as 61 of the 91 real clips have), moving content."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=24, options={"bframes": "3", "b-pyramid": "none", "keyint": "24"})
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        rng = np.random.default_rng(0)
        base = rng.integers(0, 255, (96, 200, 3), dtype=np.uint8)
        for i in range(n):
            rgb = np.ascontiguousarray(base[:, i : i + 160])
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.mark.parametrize(("start_s", "stop_s"), [(None, None), (0.4, 1.5), (None, 0.9)])
def test_skip_unkept_yields_the_same_frames_without_decoding_the_unreferenced_others(tmp_path, start_s, stop_s):
    import av

    from formcheck.video import _packets_decoded

    path = _b_frame_clip(tmp_path / "b.mp4")

    def keep(t):
        return round(t * 24) % 5 == 0

    plain = list(iter_frames(path, start_s=start_s, stop_s=stop_s, keep=keep, pixels="gray"))
    skipping = list(iter_frames(path, start_s=start_s, stop_s=stop_s, keep=keep, pixels="gray", skip_unkept=True))
    assert [f.t for f in skipping] == [f.t for f in plain] and plain
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(plain, skipping))
    assert all(f.index == -1 for f in skipping)
    # the decoder did skip: with no frame wanted, only those others refer to are decoded
    with av.open(str(path)) as c:
        every = sum(1 for _ in _packets_decoded(c, c.streams.video[0], lambda pts: True))
    with av.open(str(path)) as c:
        refs = sum(1 for _ in _packets_decoded(c, c.streams.video[0], lambda pts: False))
    assert every == 48 and refs < 30


@pytest.mark.parametrize("rotation", [0, 90])
def test_kept_reformatters_give_the_pictures_a_fresh_one_gives(tmp_path, rotation):
    """The scalers kept from frame to frame (video._array, video.rgb_array) change no pixel: every picture
    iter_frames makes (the lazy frame's small grey and RGB, the grey store's grey, the plain grey and RGB) against
    ``reformat``/``to_ndarray`` on the same decoded frame, which set up a new scaler each time (the RGB in
    rgb_array's two steps: scaled in YUV, then turned into RGB)."""
    from formcheck.greystore import GreyFrameStore
    from formcheck.video import SMALL_GREY_PX, _rotate, scaled_size

    path = write_video(tmp_path / "clip.mp4", 20, width=640, height=360, rotation=rotation)
    store = GreyFrameStore(480, 1 << 30)
    greys = []
    for frame in iter_frames(path, max_side=320, lazy=True):
        decoded = frame._frame
        assert decoded is not None
        scale = min(1.0, SMALL_GREY_PX / max(decoded.width, decoded.height))
        small = decoded.to_ndarray(
            format="gray", width=int(round(decoded.width * scale)), height=int(round(decoded.height * scale))
        )
        w, h = scaled_size(decoded.width, decoded.height, 480)
        greys.append(_rotate(decoded.to_ndarray(format="gray", width=w, height=h), rotation))
        rgb = decoded.reformat(width=frame._size[0], height=frame._size[1]).to_ndarray(format="rgb24")
        store.add(frame)
        assert np.array_equal(frame.grey, _rotate(small, rotation))
        assert np.array_equal(frame.rgb, _rotate(rgb, rotation))
    store.finish()
    assert len(greys) == 20 and store.usable
    assert all(np.array_equal(kept.rgb, grey) for kept, grey in zip(store.frames(), greys))
    import av

    with av.open(str(path)) as container:
        fresh = list(container.decode(container.streams.video[0]))
    for pixels, side in (("gray", 480), ("rgb24", 256)):
        got = list(iter_frames(path, max_side=side, pixels=pixels))
        assert len(got) == len(fresh) == 20
        for frame, decoded in zip(got, fresh):
            w, h = scaled_size(decoded.width, decoded.height, side)
            ref = (
                decoded.reformat(width=w, height=h).to_ndarray(format="rgb24")
                if pixels == "rgb24"
                else decoded.to_ndarray(format=pixels, width=w, height=h)
            )
            assert np.array_equal(frame.rgb, _rotate(ref, rotation))
    store.close()


def test_rgb_made_in_two_steps_is_the_one_step_picture_within_a_grey_level(shared_clip):
    """rgb_array scales a 1080p YUV picture first and turns the small one into RGB: on a real phone clip's frames
    the pixels differ from FFmpeg's one-step scaling to RGB by under one level on average and the picture is the
    same size; a picture that is not scaled is the one-step picture exactly."""
    import av

    from formcheck.video import rgb_array, rgb_scaler, scaled_size

    path = shared_clip("clip_006.mp4")
    scalers = rgb_scaler()
    with av.open(str(path)) as container:
        for k, decoded in enumerate(container.decode(container.streams.video[0])):
            if k >= 12:
                break
            assert decoded.format.name == "yuv420p" and (decoded.width, decoded.height) == (1920, 1080)
            w, h = scaled_size(decoded.width, decoded.height, 960)
            two = rgb_array(decoded, scalers, w, h)
            one = decoded.to_ndarray(format="rgb24", width=w, height=h)
            assert two.shape == one.shape == (540, 960, 3)
            diff = np.abs(two.astype(int) - one.astype(int))
            assert diff.mean() < 1.0 and np.percentile(diff, 99) <= 8
            full = rgb_array(decoded, scalers, decoded.width, decoded.height)
            assert np.array_equal(full, decoded.to_ndarray(format="rgb24"))
