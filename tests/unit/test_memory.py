"""Memory against the clip's length: the pose pass gives the allocator's free pages back as it goes, and the judging's
Python allocations grow by a bounded amount a frame (docs/PERFORMANCE.md "Peak memory against the clip's length").

No resident-set or timing asserts (they move with the machine's load); tracemalloc's byte counts are the same from
run to run.
"""

from __future__ import annotations

import sys
import tracemalloc

import numpy as np
import pytest

from formcheck import memory
from formcheck.config import load_config
from formcheck.landmarks import N_LANDMARKS
from formcheck.pipeline import analyze_landmarks
from formcheck.pose import RELEASE_MEMORY_EVERY_FRAMES, MediaPipeEstimator, PoseOptions
from formcheck.types import VideoMeta
from formcheck.video import Frame
from tests.synthetic import rdl_set, squat_set

#: The judging's (``analyze_landmarks`` without the video) traced Python peak may grow by at most this many bytes a
#: frame from a 2-rep set to the same set with 8 reps. Measured 5.69 KB a frame for both lifts below (numpy 2.4,
#: Python 3.11): the 580 frames of the 4× clip then cost about 3.3 MB, against the 430-450 MB the process peaks at.
#: A per-frame copy of the landmark table (528 bytes a frame in float64) or a per-frame Python object kept for
#: every frame would show.
MAX_JUDGING_BYTES_PER_FRAME = 8 * 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim: Linux only")
def test_release_free_memory_calls_the_c_librarys_malloc_trim_on_linux():
    if memory._malloc_trim() is None:
        pytest.skip("a C library without malloc_trim (musl)")
    assert memory.release_free_memory() is True


def test_release_free_memory_does_nothing_where_there_is_no_malloc_trim(monkeypatch):
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(sys, "platform", "darwin")
    try:
        assert memory.release_free_memory() is False
    finally:
        memory._malloc_trim.cache_clear()


class _Point:
    def __init__(self, x: float, y: float) -> None:
        self.x, self.y, self.z, self.visibility = x, y, 0.0, 0.9


class _Landmarker:
    """Stands in for MediaPipe: a person found on every frame."""

    def detect_for_video(self, image, ms):
        return self.detect(image)

    def detect(self, image):
        result = type("Result", (), {})()
        points = [_Point(0.4 + 0.01 * (i % 10), 0.2 + 0.02 * i) for i in range(N_LANDMARKS)]
        result.pose_landmarks = [points]
        result.pose_world_landmarks = [points]
        return result

    def close(self) -> None:
        pass


def test_the_pose_pass_gives_free_memory_back_every_so_many_frames_and_at_its_end(monkeypatch):
    calls: list[int] = []

    class Estimator(MediaPipeEstimator):
        def _create(self, video: bool):
            return _Landmarker()

    n = 3 * RELEASE_MEMORY_EVERY_FRAMES + 5
    frames = [Frame(index=i, t=i / 30.0, rgb=np.zeros((54, 96, 3), np.uint8)) for i in range(n)]
    done: list[int] = []
    monkeypatch.setattr("formcheck.pose.release_free_memory", lambda: calls.append(len(done)) or True)
    meta = VideoMeta(path="x.mp4", width=960, height=540, fps=30.0, n_frames=n, duration_s=n / 30.0)
    seq = Estimator(PoseOptions()).estimate(frames, meta, progress=lambda k: done.append(k))
    assert len(seq) == n
    step = RELEASE_MEMORY_EVERY_FRAMES
    assert calls == [step, 2 * step, 3 * step, n]  # every `step` frames, and once after the last


def _judging_peak(seq) -> int:
    """Traced Python peak of judging ``seq``, above what was traced before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        analyze_landmarks(seq, load_config())
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make", [rdl_set, squat_set])
def test_the_judgings_python_allocations_grow_a_bounded_amount_a_frame(make):
    short = make(n_reps=2, noise_px=1.0, world=True).seq
    long = make(n_reps=8, noise_px=1.0, world=True).seq
    assert len(long) > 3 * len(short)
    analyze_landmarks(short, load_config())  # imports and caches first: not what is measured
    short_peak, long_peak = _judging_peak(short), _judging_peak(long)
    per_frame = (long_peak - short_peak) / (len(long) - len(short))
    assert 0 < per_frame <= MAX_JUDGING_BYTES_PER_FRAME, f"{per_frame:.0f} bytes a frame"
