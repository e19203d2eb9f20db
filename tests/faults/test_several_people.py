"""Two lifters side by side (issue 11 item 13): counted in the halves of a wide frame, warned about."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest

from formcheck.people import count_people, merge, tiles

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"


def _person(x0: float, y0: float, x1: float, y1: float) -> list[SimpleNamespace]:
    """A pose of two landmarks spanning the box, in 0-1 of a square picture."""
    return [SimpleNamespace(x=x0, y=y0), SimpleNamespace(x=x1, y=y1)]


def test_wide_and_tall_frames_are_also_searched_in_halves():
    assert tiles(640, 640) == [(0, 0, 640, 640)]
    assert tiles(1280, 360)[1:] == [(0, 0, 640, 360), (640, 0, 1280, 360)]
    assert tiles(360, 1280)[1:] == [(0, 0, 360, 640), (0, 640, 360, 1280)]


def test_a_person_seen_in_the_whole_frame_and_a_half_counts_once():
    assert len(merge([(0, 0, 100, 200), (10, 20, 90, 150)])) == 1
    assert len(merge([(0, 0, 100, 200), (300, 0, 400, 200)])) == 2


def test_count_people_maps_each_half_back_to_the_frame():
    """The whole frame finds nobody; each half finds one person filling it: two people. One person found in
    the whole frame and again in the half it stands in: one."""
    rgb = np.zeros((100, 400, 3), np.uint8)

    def halves_only(part):
        side = max(part.shape[:2])
        return ([] if part.shape[1] == 400 else [_person(0.1, 0.3, 0.9, 0.7)]), side, 0, (side - part.shape[0]) // 2

    assert count_people(rgb, halves_only, 0.5) == 2

    def one_left(part):
        side = max(part.shape[:2])
        pad_y = (side - part.shape[0]) // 2
        if part.shape[1] == 400:
            return [_person(0.05, 0.4, 0.2, 0.6)], side, 0, pad_y  # x 20-80 px of the frame
        if part.base is not None and part.shape[1] == 200 and part[0, 0, 0] == 0:
            return [_person(0.1, 0.3, 0.4, 0.7)], side, 0, pad_y  # x 20-80 px of the left half
        return [], side, 0, pad_y

    assert count_people(rgb, one_left, 0.5) == 1


def test_two_people_in_the_whole_frame_need_no_search_in_halves():
    """Two people found in the whole frame: counted two without the halves' passes; one person there: the halves
    are searched too."""
    rgb = np.zeros((100, 400, 3), np.uint8)
    looked: list[tuple[int, ...]] = []

    def two_in_whole(part):
        looked.append(part.shape)
        side = max(part.shape[:2])
        pad_y = (side - part.shape[0]) // 2
        if part.shape[1] == 400:
            return [_person(0.05, 0.4, 0.2, 0.6), _person(0.7, 0.4, 0.85, 0.6)], side, 0, pad_y
        return [], side, 0, pad_y

    assert count_people(rgb, two_in_whole, 0.5) == 2
    assert looked == [(100, 400, 3)]

    looked.clear()

    def one_in_whole(part):
        looked.append(part.shape)
        side = max(part.shape[:2])
        return ([_person(0.05, 0.4, 0.2, 0.6)] if part.shape[1] == 400 else []), side, 0, (side - part.shape[0]) // 2

    assert count_people(rgb, one_in_whole, 0.5) == 1
    assert len(looked) == 3


def _side_by_side(src: Path, dst: Path, n_frames: int, two: bool = True) -> Path:
    """The first ``n_frames`` of the rendered clip ``src`` beside their mirror image: two lifters (``two=False``:
    the clip's first frames alone)."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream = None
        for i, frame in enumerate(inp.decode(video=0)):
            if i >= n_frames:
                break
            rgb = frame.to_ndarray(format="rgb24")
            both = np.ascontiguousarray(np.hstack([rgb, rgb[:, ::-1]]) if two else rgb)
            if stream is None:
                stream = out.add_stream("libx264", rate=30)
                stream.width, stream.height, stream.pix_fmt = both.shape[1], both.shape[0], "yuv420p"
            for packet in stream.encode(av.VideoFrame.from_ndarray(both, format="rgb24")):
                out.mux(packet)
        assert stream is not None
        for packet in stream.encode():
            out.mux(packet)
    return dst


@pytest.mark.model
def test_two_lifters_side_by_side_are_warned_about(tmp_path):
    from formcheck.pipeline import analyze_video

    two = _side_by_side(SAMPLES / "rdl_clean.mp4", tmp_path / "two.mp4", 90)
    analysis = analyze_video(two, use_cache=False)
    codes = [w.code for w in analysis.warnings]
    assert "several_people" in codes, codes
    one = analyze_video(_side_by_side(SAMPLES / "rdl_clean.mp4", tmp_path / "one.mp4", 90, two=False), use_cache=False)
    assert "several_people" not in [w.code for w in one.warnings]
