"""formcheck.greystore: the second pass's grey pictures kept from the pose pass's decode, spilled to a file.

The pictures read back must be those the second pass would decode itself (the same pixels and times, at every
read pattern it uses: a window, a sample of frames, a window reached by seeking); a store that missed a frame,
ran out of room or could not write must say so (not usable) and hold no file.
"""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from formcheck import greystore
from formcheck.greystore import GreyFrameStore
from formcheck.video import iter_frames
from tests.videos import write_video

MAX_SIDE = 480


def _filled(path, max_side=MAX_SIDE, directory=None, **kw) -> GreyFrameStore:
    """A store filled as the pose pass fills it: every lazily decoded frame added, RGB made after for some."""
    store = GreyFrameStore(max_side, kw.pop("max_bytes", 1 << 30), directory=directory, **kw)
    for frame in iter_frames(path, max_side=960, lazy=True):
        store.add(frame)
        if frame.index % 3 == 0:
            assert frame.rgb.ndim == 3  # the pose model's picture, made after the grey one
    store.finish()
    return store


@pytest.mark.parametrize("rotation", [0, 90])
@pytest.mark.parametrize(
    "window",
    [{}, {"keep": lambda t: round(t * 30) % 4 == 0}, {"start_s": 0.5, "stop_s": 1.2}, {"start_s": 3.4, "stop_s": 3.9}],
    ids=["every_frame", "every_4th", "a_window", "a_window_reached_by_seeking"],
)
def test_round_trip_gives_the_pictures_and_times_the_second_pass_decodes(tmp_path, rotation, window):
    path = write_video(tmp_path / "clip.mp4", 120, width=640, height=360, rotation=rotation)
    with _filled(path, directory=tmp_path) as store:
        assert store.usable and len(store) == 120
        stored = list(store.frames(**window))
    decoded = list(iter_frames(path, max_side=MAX_SIDE, pixels="gray", skip_unkept=True, **window))
    assert stored and [f.t for f in stored] == [f.t for f in decoded]
    assert stored[0].rgb.shape == ((480, 270) if rotation else (270, 480))  # scaled and turned as displayed
    for a, b in zip(stored, decoded):
        assert a.rgb.dtype == np.uint8 and a.rgb.flags.writeable
        np.testing.assert_array_equal(a.rgb, b.rgb)
    assert all(f.index == -1 for f in stored)


def test_a_picture_smaller_than_the_size_is_kept_as_it_is(tmp_path):
    path = write_video(tmp_path / "small.mp4", 10)  # 160 x 96
    with _filled(path) as store:
        (first, *_) = store.frames()
        (decoded, *_) = iter_frames(path, max_side=MAX_SIDE, pixels="gray")
    assert first.rgb.shape == (96, 160)
    np.testing.assert_array_equal(first.rgb, decoded.rgb)


def test_a_store_not_finished_or_missing_a_frame_is_not_usable(tmp_path):
    path = write_video(tmp_path / "clip.mp4", 12)
    store = GreyFrameStore(MAX_SIDE, 1 << 30)
    frames = list(iter_frames(path, lazy=True))
    for frame in frames[:5]:
        store.add(frame)
    assert not store.usable  # the pass is not over
    with pytest.raises(RuntimeError, match="not finished"):
        next(store.frames())
    _ = frames[5].rgb  # its RGB made first: the decoded picture is gone, the grey one cannot be made
    store.add(frames[5])
    store.finish()
    assert not store.usable and "let go" in store.failed
    with pytest.raises(RuntimeError, match="let go"):
        next(store.frames())
    store.add(frames[6])  # nothing after a failure
    assert len(store) == 5


def test_the_file_has_no_name_and_is_gone_when_closed(tmp_path):
    path = write_video(tmp_path / "clip.mp4", 8)
    folder = tmp_path / "spill"
    folder.mkdir()
    store = _filled(path, directory=folder)
    assert store.usable and store.nbytes == 8 * 96 * 160
    assert list(folder.iterdir()) == []  # unnamed: nothing to leave behind if the process dies
    assert store._file is not None
    fd = store._file.fileno()
    os.fstat(fd)
    store.close()
    assert not store.usable
    with pytest.raises(OSError):
        os.fstat(fd)
    store.close()  # twice is fine


def test_the_size_limit_stops_the_store_and_lets_go_of_its_file(tmp_path):
    path = write_video(tmp_path / "clip.mp4", 10)
    store = _filled(path, max_bytes=4 * 96 * 160 + 1)
    assert not store.usable and len(store) == 4 and "bytes" in store.failed and store._file is None


def test_too_little_free_disk_stops_the_store(tmp_path):
    path = write_video(tmp_path / "clip.mp4", 4)
    free = __import__("shutil").disk_usage(tmp_path).free
    store = _filled(path, directory=tmp_path, min_free_bytes=free * 2)
    assert not store.usable and "free" in store.failed and len(store) == 0


def test_a_failed_write_stops_the_store(tmp_path, monkeypatch):
    path = write_video(tmp_path / "clip.mp4", 6)
    store = GreyFrameStore(MAX_SIDE, 1 << 30, directory=tmp_path)
    frames = iter_frames(path, lazy=True)
    store.add(next(frames))
    assert store._file is not None

    def full(_data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store._file, "write", full)
    for frame in frames:
        store.add(frame)
    store.finish()
    assert not store.usable and "No space left" in store.failed and len(store) == 1


def test_a_failed_read_raises_oserror(tmp_path, monkeypatch):
    path = write_video(tmp_path / "clip.mp4", 6)
    with _filled(path) as store:
        monkeypatch.setattr(greystore.os, "preadv", lambda fd, buffers, offset: 0)
        with pytest.raises(OSError, match="read back"):
            next(store.frames())


def test_the_default_store_is_in_the_temporary_folder():
    store = greystore.for_second_pass(480)
    assert store.max_side == 480 and store.max_bytes == greystore.MAX_BYTES
    assert store.min_free_bytes == greystore.MIN_FREE_BYTES
