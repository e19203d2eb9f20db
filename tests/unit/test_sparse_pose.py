"""The sparse pose plan, the interpolation of the frames it skips, and the decoder's producer thread
(no model: the plan is pure logic over landmarks and picture changes)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from formcheck.config import PoseConfig
from formcheck.landmarks import N_LANDMARKS
from formcheck.pose import PoseOptions, SparsePlan, box_motion, interpolate_gaps
from formcheck.types import PoseSequence, VideoMeta
from formcheck.video import prefetch

FPS = 30.0
W, H = 960, 540


def _body(shift: float) -> np.ndarray:
    """A standing body about 300 px tall, moved ``shift`` px to the right."""
    rng = np.random.default_rng(0)
    xy = np.stack([rng.uniform(400, 500, N_LANDMARKS), rng.uniform(100, 400, N_LANDMARKS)], axis=1)
    xy[:, 0] += shift
    return xy


def _plan() -> SparsePlan:
    opts = PoseOptions()
    return SparsePlan(opts.sparse_max_gap_s, opts.sparse_step_body, opts.sparse_motion_gl)


def _run(plan: SparsePlan, speed_px_s, n: int = 90, motion=lambda i: 0.0, fps: float = FPS) -> list[bool]:
    """Feed ``n`` frames; the body moves at ``speed_px_s(t)``. Returns which frames the model ran on."""
    ran, x = [], 0.0
    vis = np.ones(N_LANDMARKS)
    for i in range(n):
        t = i / fps
        x += speed_px_s(t) / fps
        run = plan.want(t, motion(i), 0.0, last=i == n - 1)
        ran.append(run)
        if run:
            plan.ran(t, _body(x), vis, W, H)
    return ran


def test_still_lifter_runs_every_max_gap_and_at_both_ends():
    ran = _run(_plan(), lambda t: 0.0)
    assert ran[0] and ran[-1]
    gaps = np.diff(np.flatnonzero(ran))
    # every 2nd frame at 30 fps, never further apart
    assert gaps.max() <= round(PoseConfig().sparse_max_gap_s * FPS)
    assert np.mean(ran) < 0.6


@pytest.mark.parametrize(("fps", "stride"), [(25.0, 2), (29.97, 2), (29.806, 2), (30.0, 2), (59.94, 4)])
def test_the_longest_gap_is_a_whole_number_of_frames(fps, stride):
    """sparse_max_gap_s rounded to whole frames: 29.97 fps must not fall back to every frame."""
    ran = _run(_plan(), lambda t: 0.0, n=120, fps=fps)
    assert np.diff(np.flatnonzero(ran[:-1])).tolist() == [stride] * (len(np.flatnonzero(ran[:-1])) - 1)


def test_fast_movement_runs_every_frame_and_slow_movement_sparsely():
    # a pull: the body moves 1.5 of its sizes per second (the box diagonal is about 310 px)
    fast = _run(_plan(), lambda t: 1.5 * 310)
    assert all(fast[10:])
    slow = _run(_plan(), lambda t: 0.05 * 310)
    assert np.mean(slow[10:]) < 0.6


def test_the_plan_follows_the_motion_within_a_clip():
    """Still, then fast, then still again: dense only in the fast part (adaptive, not a fixed rate)."""
    ran = np.array(_run(_plan(), lambda t: 1.5 * 310 if 1.0 <= t < 2.0 else 0.0, n=90))
    assert ran[36:60].all()  # fast part, once the speed is measured
    assert ran[:28].mean() < 0.6 and ran[68:].mean() < 0.6


def test_a_picture_change_in_the_lifters_box_or_a_loss_makes_the_model_run():
    plan = _plan()
    ran = _run(plan, lambda t: 0.0, n=30, motion=lambda i: 20.0 if i == 20 else 0.0)
    assert ran[20]
    plan.ran(1.0, None, None, W, H)  # the lifter was lost
    assert plan.want(1.0 + 1 / FPS, 0.0, 0.0, last=False)


def test_box_motion_measures_only_inside_the_box():
    prev = np.zeros((135, 240), np.uint8)
    grey = prev.copy()
    grey[:, :60] = 200  # something changes at the left edge only
    assert np.isnan(box_motion(grey, None, None))  # no previous picture
    assert box_motion(grey, prev, (0.5, 0.0, 1.0, 1.0)) == 0.0
    assert box_motion(grey, prev, (0.0, 0.0, 0.25, 1.0)) == pytest.approx(200.0)


def test_interpolation_is_linear_in_time_marked_and_never_surer_than_its_neighbours():
    t = np.arange(7) / FPS
    measured = np.array([True, False, False, True, False, False, True])
    xy = np.full((7, N_LANDMARKS, 2), np.nan, np.float32)
    world = np.full((7, N_LANDMARKS, 3), np.nan, np.float32)
    vis = np.full((7, N_LANDMARKS), np.nan, np.float32)
    xy[0], xy[3] = 0.0, 30.0
    world[0], world[3] = 0.0, 3.0
    vis[0], vis[3] = 0.9, 0.6
    # frame 6: the lifter was lost, so frames 4-5 stay missing
    interpolate_gaps(t, measured, xy, vis, world)
    assert np.allclose(xy[1:3, :, 0], [[10.0], [20.0]])
    assert np.allclose(world[2], 2.0)
    assert np.allclose(vis[1:3], 0.6)
    assert np.isnan(xy[4:6]).all() and np.isnan(vis[4:6]).all()
    meta = VideoMeta(path="x.mp4", width=W, height=H, fps=FPS, n_frames=7, duration_s=7 / FPS)
    seq = PoseSequence(
        xy=xy, visibility=vis, world=world, t=t, frame_index=np.arange(7), meta=meta, model="full",
        interpolated=~measured,
    )  # fmt: skip
    assert seq.slice(1, 4).interpolated.tolist() == [True, True, False]


def test_interpolated_marks_survive_the_npz_round_trip(tmp_path):
    meta = VideoMeta(path="x.mp4", width=W, height=H, fps=FPS, n_frames=3, duration_s=0.1)
    seq = PoseSequence(
        xy=np.zeros((3, N_LANDMARKS, 2)), visibility=np.ones((3, N_LANDMARKS)), t=np.arange(3) / FPS,
        frame_index=np.arange(3), meta=meta, model="full", interpolated=np.array([False, True, False]),
    )  # fmt: skip
    seq.save_npz(tmp_path / "s.npz")
    assert PoseSequence.load_npz(tmp_path / "s.npz").interpolated.tolist() == [False, True, False]


def test_prefetch_keeps_order_raises_the_producers_error_and_stops_the_producer():
    assert list(prefetch(iter(range(50)), 4)) == list(range(50))

    def broken():
        yield 1
        raise ValueError("bad frame")

    with pytest.raises(ValueError, match="bad frame"):
        list(prefetch(broken(), 2))

    closed = threading.Event()

    def endless():
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    items = prefetch(endless(), 3)
    assert [next(items) for _ in range(5)] == [0, 1, 2, 3, 4]
    items.close()  # the consumer stops early: the producer's generator is closed (the file with it)
    assert closed.wait(2.0)


class _Point:
    def __init__(self, x: float, y: float) -> None:
        self.x, self.y, self.z, self.visibility = x, y, 0.0, 0.9


class _Result:
    def __init__(self) -> None:
        xy = _body(0.0)
        self.pose_landmarks = [[_Point(x / W, y / H) for x, y in xy]]
        self.pose_world_landmarks = [[_Point(0.0, 0.0) for _ in xy]]


class _Landmarker:
    """Stands in for MediaPipe here: what is tested is which frames the estimator hands to the model."""

    def __init__(self, calls: list[str], kind: str) -> None:
        self.calls, self.kind = calls, kind

    def detect_for_video(self, image, ms):
        self.calls.append(self.kind)
        return _Result()

    def detect(self, image):
        self.calls.append(self.kind)
        return _Result()

    def close(self) -> None:
        pass


def test_the_estimator_runs_the_model_on_the_planned_frames_only():
    """A still lifter at 30 fps: the tracker on every 2nd frame counted from its last run (an anchor run every
    0.5 s is a run too) and the last, the rest interpolated and marked; the people counted (in their own
    thread) every 0.5 s on frames without a small grey picture."""
    from formcheck.pose import MediaPipeEstimator
    from formcheck.video import Frame

    calls: list[str] = []

    class Estimator(MediaPipeEstimator):
        def _create(self, video: bool):
            return _Landmarker(calls, "track" if video else "count")

    n = 60
    frames = [Frame(index=i, t=i / FPS, rgb=np.zeros((H // 10, W // 10, 3), np.uint8)) for i in range(n)]
    meta = VideoMeta(path="x.mp4", width=W, height=H, fps=FPS, n_frames=n, duration_s=n / FPS)
    seq = Estimator(PoseOptions()).estimate(frames, meta)
    tracked = calls.count("track")
    from formcheck.people import tiles

    # people counted at t = 0, 0.5, 1.0, 1.5 s, each in the whole frame and (a wide one) its halves
    assert calls.count("count") == 4 * len(tiles(W // 10, H // 10))
    # 0, 2 .. 14, the anchor at 15, 17 .. 29, the anchor at 30, 32 .. 44, the anchor at 45, 47 .. 59 (the last)
    assert tracked == 32
    assert seq.interpolated is not None and int((~seq.interpolated).sum()) == tracked
    assert not np.isnan(seq.xy).any()  # a still lifter: every skipped frame interpolated
    # the fake finds one person in each look (the whole frame, each half), each somewhere else: 3 on every frame
    assert seq.n_people is not None and set(seq.n_people.tolist()) == {3}


def _grey(level: int) -> np.ndarray:
    return np.full((54, 96), level, np.uint8)


def test_people_are_counted_when_the_picture_outside_the_lifter_changes_or_at_the_latest_max_gap():
    from formcheck.pose import PeopleSchedule

    box = (0.25, 0.0, 0.75, 1.0)  # the lifter in the middle half
    one = lambda: 1  # noqa: E731
    schedule = PeopleSchedule(every_s=0.5, max_gap_s=2.0, change_gl=3.0)
    assert schedule.due(0.0, _grey(100), box, one)
    schedule.counted(0.0, _grey(100))
    inside = _grey(100)
    inside[:, 30:66] = 200  # the lifter moves: only inside the box
    assert not schedule.due(0.6, inside, box, one)
    assert not schedule.due(1.9, inside, box, one)
    assert schedule.due(2.0, inside, box, one)  # at the latest after max_gap_s
    outside = _grey(100)
    outside[:, :10] = 200  # someone comes in at the left: 10 of 48 columns outside the box, 100 levels
    assert not schedule.due(0.4, outside, box, one)  # never closer than every_s
    assert schedule.due(0.5, outside, box, one)
    # while two people were found, every every_s
    assert schedule.due(0.5, _grey(100), box, lambda: 2)


def test_outside_change_leaves_out_the_lifters_box():
    from formcheck.pose import outside_change

    a, b = _grey(0), _grey(0)
    b[:, 24:72] = 90  # all the change inside the box
    assert outside_change(b, a, (0.25, 0.0, 0.75, 1.0)) == 0.0
    assert outside_change(b, a, None) == pytest.approx(45.0)
    assert np.isnan(outside_change(b, None, None))
