"""Pose estimation: video frames in, a :class:`PoseSequence` out.

``MediaPipeEstimator`` runs the MediaPipe Tasks PoseLandmarker in VIDEO mode
on the committed models in ``models/`` (checksums verified on load).
``ReplayEstimator`` replays landmarks saved as npz: tests, batch and web code
use it to run the whole pipeline without the model.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from .errors import ModelError
from .landmarks import N_LANDMARKS, swap_table
from .memory import release_free_memory
from .people import ENOUGH_PEOPLE, Detect, count_people
from .types import PoseSequence, VideoMeta
from .video import DecodedFrame, Frame, FrameChange

_F = TypeVar("_F")

# MediaPipe's C++ side logs INFO/WARNING lines to stderr; keep errors only.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

MODEL_NAMES = ("lite", "full", "heavy")
#: Where the .task files live: $FORMCHECK_MODELS, else ``models/`` of the source tree.
MODELS_DIR = Path(os.environ.get("FORMCHECK_MODELS", Path(__file__).resolve().parent.parent / "models"))

ProgressFn = Callable[[int], None]

#: Every this many frames the pose pass gives the C allocator's free memory back to the system
#: (:func:`formcheck.memory.release_free_memory`): without it, the heaps' free space grows with the video's length
#: (+35-60 MB of peak over the 580 frames of the 4× clip). 32 frames: the 4× clip's pose pass peaked at 446-452 MB
#: against 488-546 MB without, 445 MB every 16 frames and 464-465 MB every 64; each call costs 3-5 ms (0.1-0.15 ms a
#: frame at 32), with the pages given back faulted in again (docs/PERFORMANCE.md "Peak memory against the clip's
#: length").
RELEASE_MEMORY_EVERY_FRAMES = 32


class PoseEstimator(Protocol):
    """Anything that turns a stream of frames into a PoseSequence."""

    name: str

    def estimate(
        self, frames: Iterable[Frame | DecodedFrame], meta: VideoMeta, progress: ProgressFn | None = None
    ) -> PoseSequence: ...


def model_path(name: str, models_dir: Path | None = None) -> Path:
    """Path of the ``name`` model after checking it against ``SHA256SUMS``."""
    if name not in MODEL_NAMES:
        raise ModelError(f"unknown model {name!r}", f"Use one of: {', '.join(MODEL_NAMES)}")
    folder = Path(models_dir or MODELS_DIR)
    path = folder / f"pose_landmarker_{name}.task"
    if not path.exists():
        raise ModelError(
            f"pose model {path} is missing",
            "Reinstall formcheck from a full checkout, or rebuild with 'bash models/build_models.sh'",
        )
    sums = folder / "SHA256SUMS"
    expected = None
    if sums.exists():
        for line in sums.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].lstrip("*") == path.name:
                expected = parts[0]
    if expected is None:
        raise ModelError(
            f"no checksum recorded for {path.name} in {sums}", "Rebuild the models with 'bash models/build_models.sh'"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ModelError(
            f"{path.name} does not match its recorded SHA-256 (corrupt or replaced file)",
            "Restore it from git ('git checkout models/') or rebuild with 'bash models/build_models.sh'",
        )
    return path


@dataclass
class PoseOptions:
    """Settings handed to MediaPipe (recorded in the effective config)."""

    model: str = "full"
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    #: The model also runs at least this often, without asking the plan (anchor runs).
    sparse_anchor_s: float = 0.5
    #: Count the people in view at most every this many seconds (a second, IMAGE-mode pass)...
    people_check_every_s: float = 0.5
    #: ...when the picture outside the lifter's box changed by this many grey levels since the last count...
    people_change_gl: float = 3.0
    #: ...and at least every this many seconds (:class:`PeopleSchedule`).
    people_max_gap_s: float = 2.0
    #: Most people looked for in a people count.
    max_people: int = 3
    #: Another person counts only when at least this fraction of the lifter's size.
    other_person_min_size: float = 0.5
    #: Run the model on the mirror image too and average the landmarks (:func:`merge_mirrored`).
    mirror: bool = False
    #: ...keeping the picture's own reading where the two are more than this many body sizes apart.
    mirror_max_apart_body: float = 0.1
    #: Run the model only where the motion needs it (:class:`SparsePlan`); False: on every frame.
    sparse: bool = True
    #: Longest time between two frames the model runs on, in seconds.
    sparse_max_gap_s: float = 0.067
    #: Most the joints may move between two model runs, in body sizes (the landmark box's diagonal).
    sparse_step_body: float = 0.05
    #: A picture change (grey levels) in the lifter's box or the whole frame from one frame to the next that
    #: makes the model run on that frame.
    sparse_motion_gl: float = 6.0

    @classmethod
    def from_config(cls, pose: Any) -> PoseOptions:
        """Every setting of a :class:`formcheck.config.PoseConfig` that MediaPipe takes, by name."""
        return cls(**{f.name: getattr(pose, f.name) for f in fields(cls) if hasattr(pose, f.name)})


@contextmanager
def _quiet_native_logs():
    """Silence the C++ INFO/WARNING lines MediaPipe writes to the stderr file descriptor."""
    if os.environ.get("FORMCHECK_DEBUG_NATIVE"):
        yield
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):
        yield
        return
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, fd)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def letterbox(rgb: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, int, int, int]:
    """Pad a frame to a square (black borders). Returns (square, side, pad_x, pad_y).

    The BlazePose detector misses people in very tall or wide frames (0 % found
    on a 234x848 portrait clip, 100 % once padded to a square). ``out``: a square
    of the right size whose borders are black, reused from the previous frame.
    """
    height, width = rgb.shape[:2]
    side = max(height, width)
    if height == width:
        return np.ascontiguousarray(rgb), side, 0, 0
    pad_y, pad_x = (side - height) // 2, (side - width) // 2
    square = out if out is not None and out.shape == (side, side, 3) else np.zeros((side, side, 3), dtype=np.uint8)
    square[pad_y : pad_y + height, pad_x : pad_x + width] = rgb
    return square, side, pad_x, pad_y


#: The joints whose speed sets how often the model runs: shoulders, elbows, wrists, hips, knees, ankles.
_MOVING = np.array([11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28])
#: The speed of the body is this percentile of the 12 joints' speeds (about the second fastest): in a bridge
#: only the hips and knees move (at the 75th percentile a fast set of glute bridges, clip_032, read as slow
#: and lost a rep), and the fastest alone is often the jitter of one joint seen badly.
SPEED_PERCENTILE = 90
#: The lifter's box (where the picture change is measured) is the landmarks' box widened by this fraction of
#: its size on every side: limbs reach past the landmarks, and the next frame's movement starts at the edge.
BOX_PAD = 0.25
#: A joint counts in the speed only when the model saw it at least this well (MediaPipe visibility).
_SPEED_MIN_VISIBILITY = 0.5


class SparsePlan:
    """Which frames the pose model runs on: every frame where the lifter moves fast, fewer where not.

    Decided online, frame by frame, from the motion itself: the model runs on a frame when

    - it is the first or the last frame, or the lifter was not found on the last frame the model saw
      (the tracker is then looking for them: every frame until found);
    - the picture inside the lifter's box changed by ``motion_gl`` grey levels or more since the previous
      decoded frame (a movement starting, a cut), or the whole picture did (``motion_gl`` too);
    - waiting one frame more would let the joints move further than ``step_body`` body sizes at the speed
      measured over the last ``max_gap_s`` or more of model runs (fast phases and the turns that end them are
      then run densely), or leave more than ``max_gap_s`` (rounded to whole frames) since the last run.

    The frames in between are filled by :func:`interpolate_gaps`. The tracker (VIDEO mode) gets the frames
    it runs on with their real, increasing timestamps, so it stays warm across the skipped ones.
    """

    def __init__(self, max_gap_s: float, step_body: float, motion_gl: float) -> None:
        self.max_gap_s = max_gap_s
        self.step_body = step_body
        self.motion_gl = motion_gl
        self._last: tuple[float, np.ndarray, np.ndarray] | None = None  # t, xy (33, 2), visibility (33,)
        self._history: list[tuple[float, np.ndarray, np.ndarray]] = []
        self._speed = 0.0  # body sizes per second
        self._found = False
        self._box: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1, fractions of the frame
        self._prev_t: float | None = None
        self._dt = 0.0

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """The lifter's box on the last frame the model found them (fractions of the frame), padded."""
        return self._box

    def want(self, t: float, motion: float, change: float, last: bool) -> bool:
        """Run the model on the frame at ``t``? ``motion``/``change``: the picture change (grey levels) in
        the lifter's box and in the whole frame since the previous frame; ``last``: the stream's last frame."""
        if self._prev_t is not None:
            self._dt = t - self._prev_t
        self._prev_t = t
        if self._last is None or last or not self._found:
            return True
        if motion >= self.motion_gl or change >= self.motion_gl:
            return True
        if self._dt <= 0:
            return True
        # in whole frames: max_gap_s to the nearest frame (every 2nd frame at 25, 29.97 and 30 fps alike), the
        # speed's limit rounded down (never a longer step than step_body)
        most = max(1, round(self.max_gap_s / self._dt))
        if self._speed > 0:
            most = min(most, max(1, math.floor(self.step_body / self._speed / self._dt + 1e-6)))
        since = round((t - self._last[0]) / self._dt)
        # skipping this frame means the next run is a frame later at the soonest
        return since + 1 > most

    def ran(self, t: float, xy: np.ndarray | None, visibility: np.ndarray | None, width: int, height: int) -> None:
        """Tell the plan what the model found at ``t`` (``xy`` in pixels; None: nobody)."""
        if xy is None or visibility is None:
            self._found = False
            self._speed = 0.0
            return
        self._found = True
        lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
        size = float(np.hypot(*(hi - lo)))
        # the speed over at least max_gap_s (from the oldest run kept within 2x that): over one frame, the
        # landmarks' jitter would pass for motion
        self._history = [h for h in self._history if t - h[0] <= 2 * self.max_gap_s]
        base = next((h for h in self._history if t - h[0] >= self.max_gap_s - 1e-9), None)
        if base is None and self._history:
            base = self._history[0]
        self._speed = 0.0
        if base is not None and size > 0:
            base_t, base_xy, base_vis = base
            both = (visibility[_MOVING] >= _SPEED_MIN_VISIBILITY) & (base_vis[_MOVING] >= _SPEED_MIN_VISIBILITY)
            if both.any():
                step = np.hypot(*(xy[_MOVING][both] - base_xy[_MOVING][both]).T)
                self._speed = float(np.percentile(step, SPEED_PERCENTILE)) / size / (t - base_t)
        self._history.append((t, xy, visibility))
        self._box = lifter_box(xy, width, height)
        self._last = (t, xy, visibility)


Box = tuple[float, float, float, float]


def lifter_box(xy: np.ndarray, width: int, height: int) -> Box:
    """The landmarks' box (pixels ``xy`` of a ``width`` x ``height`` frame) widened by :data:`BOX_PAD` on
    every side, as fractions of the frame: x0, y0, x1, y1."""
    lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
    pad = BOX_PAD * (hi - lo)
    return (
        float((lo[0] - pad[0]) / width),
        float((lo[1] - pad[1]) / height),
        float((hi[0] + pad[0]) / width),
        float((hi[1] + pad[1]) / height),
    )


def box_motion(grey: np.ndarray, prev: np.ndarray | None, box: tuple[float, float, float, float] | None) -> float:
    """Mean absolute change in grey levels between two small grey pictures inside ``box`` (fractions of the
    frame; the whole frame when None). NaN without a previous picture."""
    if prev is None or prev.shape != grey.shape:
        return float("nan")
    height, width = grey.shape
    if box is None:
        x0, y0, x1, y1 = 0, 0, width, height
    else:
        x0, y0 = max(0, int(box[0] * width)), max(0, int(box[1] * height))
        x1, y1 = min(width, int(np.ceil(box[2] * width))), min(height, int(np.ceil(box[3] * height)))
        if x1 <= x0 or y1 <= y0:
            return float("nan")
    a = grey[y0:y1, x0:x1].astype(np.int16)
    b = prev[y0:y1, x0:x1].astype(np.int16)
    return float(np.mean(np.abs(a - b)))


def outside_change(grey: np.ndarray, ref: np.ndarray | None, box: Box | None) -> float:
    """Mean absolute change in grey levels between two small grey pictures outside ``box`` (fractions of the
    frame; the whole frame when None or when the box covers it). NaN without a reference picture."""
    if ref is None or ref.shape != grey.shape:
        return float("nan")
    diff = np.abs(grey.astype(np.int16) - ref.astype(np.int16))
    total, n = float(diff.sum()), diff.size
    if box is not None:
        height, width = grey.shape
        x0, y0 = max(0, int(box[0] * width)), max(0, int(box[1] * height))
        x1, y1 = min(width, int(np.ceil(box[2] * width))), min(height, int(np.ceil(box[3] * height)))
        if x1 > x0 and y1 > y0 and (x1 - x0) * (y1 - y0) < n:
            total -= float(diff[y0:y1, x0:x1].sum())
            n -= (x1 - x0) * (y1 - y0)
    return total / n


class PeopleSchedule:
    """When the people in view are counted (formcheck.people, a second IMAGE-mode pass of the model).

    On the first frame; then, at least ``every_s`` apart, when the picture outside the lifter's box has
    changed by ``change_gl`` grey levels or more since the last count (someone came, went or moved: the
    lifter's own movement is inside the box); and at the latest ``max_gap_s`` after the last count (someone
    standing still). While the last count found more than one person, and on frames without a small grey
    picture (``grey`` None), every ``every_s``.
    """

    def __init__(self, every_s: float, max_gap_s: float, change_gl: float) -> None:
        self.every_s, self.max_gap_s, self.change_gl = every_s, max_gap_s, change_gl
        self._t: float | None = None
        self._grey: np.ndarray | None = None

    def due(self, t: float, grey: np.ndarray | None, box: Box | None, people: Callable[[], int]) -> bool:
        """Count at ``t``? ``people()``: what the last count found (asked only when needed: it may wait for
        the count to finish)."""
        if self._t is None:
            return True
        since = t - self._t
        if since >= self.max_gap_s - 1e-6:
            return True
        if since < self.every_s - 1e-6:
            return False
        if grey is None or _finite(outside_change(grey, self._grey, box)) >= self.change_gl:
            return True
        return people() >= ENOUGH_PEOPLE

    def counted(self, t: float, grey: np.ndarray | None) -> None:
        self._t, self._grey = t, grey


def interpolate_gaps(
    t: np.ndarray, measured: np.ndarray, xy: np.ndarray, visibility: np.ndarray, world: np.ndarray
) -> None:
    """Fill, in place, the frames the model did not run on (``measured`` false) between two that it did.

    Coordinates (pixel and world) are interpolated linearly in time, per landmark; the visibility is the
    lower of the two neighbours' (an interpolated point is never surer than what it came from). Where
    either neighbour had no pose the frame stays missing (NaN), like a frame where the lifter was lost.
    """
    runs = np.flatnonzero(measured)
    for a, b in zip(runs[:-1], runs[1:]):
        if b - a < 2:
            continue
        w = ((t[a + 1 : b] - t[a]) / (t[b] - t[a]))[:, None, None]
        xy[a + 1 : b] = xy[a] + w * (xy[b] - xy[a])
        world[a + 1 : b] = world[a] + w * (world[b] - world[a])
        visibility[a + 1 : b] = np.minimum(visibility[a], visibility[b])


#: Landmark order of the mirror image's reading, as the picture's: left and right swapped back.
_SWAP = np.array(swap_table(), dtype=np.intp)


def read_landmarks(
    result: Any, side: int, pad_x: int, pad_y: int, mirrored: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One pose of a PoseLandmarker ``result`` on a letterboxed ``side``-pixel square: pixel points in the picture
    before the padding (x, y), visibility, and world points (metres). ``mirrored``: the square was the mirror image
    of the picture's (flipped left to right), so x is flipped back and the left and right landmarks swapped (the
    lifter's left hand is the mirror image's right), and the world points' x flipped too."""
    lms = result.pose_landmarks[0]
    pts = np.array([[p.x, p.y] for p in lms], dtype=float)
    if mirrored:
        pts[:, 0] = 1.0 - pts[:, 0]
    pts = pts * side - (pad_x, pad_y)
    vis = np.array([p.visibility for p in lms], dtype=float)
    world = (
        np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks[0]], dtype=float)
        if result.pose_world_landmarks
        else np.full((N_LANDMARKS, 3), np.nan)
    )
    if mirrored:
        world[:, 0] = -world[:, 0]
        pts, vis, world = pts[_SWAP], vis[_SWAP], world[_SWAP]
    return pts, vis, world


def merge_mirrored(
    seen: tuple[np.ndarray, np.ndarray, np.ndarray],
    mirror: tuple[np.ndarray, np.ndarray, np.ndarray],
    max_apart_body: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mean of a frame's landmarks read on the picture (``seen``: points, visibility, world points, as
    :func:`read_landmarks`) and on its mirror image (``mirror``, already flipped back): MediaPipe reads a joint a
    little differently for a lifter facing left and facing right, and the mirror image is the same lifter facing the
    other way, so the mean cancels that bias (docs/ACCURACY.md "The mirror image cancels the model's facing bias").
    Where the two readings of a landmark lie more than ``max_apart_body`` body sizes (the diagonal of the picture's
    landmark box) apart the trackers followed different things (a leg swapped or lost behind a plate), and the
    picture's own reading is kept."""
    xy, vis, world = seen
    m_xy, m_vis, m_world = mirror
    span = np.nanmax(xy, axis=0) - np.nanmin(xy, axis=0)
    body = float(np.hypot(*span))
    with np.errstate(invalid="ignore"):
        agree = np.hypot(*(xy - m_xy).T) <= max_apart_body * body
    return (
        np.where(agree[:, None], 0.5 * (xy + m_xy), xy),
        np.where(agree, 0.5 * (vis + m_vis), vis),
        np.where(agree[:, None] & np.isfinite(m_world), 0.5 * (world + m_world), world),
    )


class MediaPipeEstimator:
    """MediaPipe Tasks PoseLandmarker, VIDEO mode, one instance per video stream."""

    def __init__(self, options: PoseOptions | None = None, models_dir: Path | None = None) -> None:
        self.options = options or PoseOptions()
        self.name = self.options.model
        self._path = model_path(self.options.model, models_dir)

    def _create(self, video: bool):
        mp = _import_mediapipe()
        opts = mp.PoseLandmarkerOptions(
            base_options=mp.BaseOptions(model_asset_path=str(self._path)),
            running_mode=mp.RunningMode.VIDEO if video else mp.RunningMode.IMAGE,
            num_poses=1 if video else self.options.max_people,
            min_pose_detection_confidence=self.options.min_detection_confidence,
            min_pose_presence_confidence=self.options.min_presence_confidence,
            min_tracking_confidence=self.options.min_tracking_confidence,
            output_segmentation_masks=False,
        )
        return mp.PoseLandmarker.create_from_options(opts)

    def estimate(
        self, frames: Iterable[Frame | DecodedFrame], meta: VideoMeta, progress: ProgressFn | None = None
    ) -> PoseSequence:
        """Landmarks for every frame of ``frames``. With ``options.sparse`` the model runs only on the frames
        :class:`SparsePlan` picks and the rest are interpolated (marked in ``PoseSequence.interpolated``)."""
        mp = _import_mediapipe()
        opts = self.options
        plan = SparsePlan(opts.sparse_max_gap_s, opts.sparse_step_body, opts.sparse_motion_gl) if opts.sparse else None
        schedule = PeopleSchedule(opts.people_check_every_s, opts.people_max_gap_s, opts.people_change_gl)
        xy: list[np.ndarray] = []
        vis: list[np.ndarray] = []
        world: list[np.ndarray] = []
        ts: list[float] = []
        idx: list[int] = []
        # per frame: the people count in force (an index into `counting`, -1: none yet) and whether the
        # tracker had the lifter
        count_of: list[int] = []
        found_at: list[bool] = []
        counting: list[Future[int]] = []
        changes: list[float] = []
        measured: list[bool] = []
        change = FrameChange()
        prev_grey: np.ndarray | None = None
        square: np.ndarray | None = None
        box: Box | None = None
        last_ms = -1
        next_anchor_t = 0.0
        found = False
        with _quiet_native_logs():
            tracker, counter = self._create(video=True), self._create(video=False)
            # the mirror image's own tracker (opts.mirror), run in its own thread beside the picture's
            mirror_tracker = self._create(video=True) if opts.mirror else None
        # the people count runs in its own thread, beside the tracker (MediaPipe releases the GIL)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-people")
        mirror_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-mirror") if opts.mirror else None

        def detect(image: Any, mirrored: Any, ms: int) -> tuple[Any, Any]:
            """The picture's reading and, with ``opts.mirror``, the mirror image's (in the other thread)."""
            pending = None
            if mirror_pool is not None and mirror_tracker is not None:
                pending = mirror_pool.submit(mirror_tracker.detect_for_video, mirrored, ms)
            return tracker.detect_for_video(image, ms), (pending.result() if pending is not None else None)

        try:
            people_detect = _detector(counter)
            for frame, is_last in _with_last(frames):
                grey = getattr(frame, "grey", None)
                if grey is not None:
                    changes.append(change.grey(grey))
                else:
                    changes.append(change(frame.rgb))
                run = True
                if plan is not None:
                    motion = box_motion(grey, prev_grey, plan.box) if grey is not None else float("nan")
                    # an anchor run every sparse_anchor_s, without asking the plan (its frame interval then
                    # spans two frames once): the schedule the plan was validated with, when these were the
                    # people-count frames. Asking it there too lost the rendered knees_frozen fault on one
                    # rep, and dropping the anchors moved a rendered ht.shin_angle reading by 4.6 deg
                    # (docs/PERFORMANCE.md).
                    anchor = frame.t >= next_anchor_t
                    if anchor:
                        next_anchor_t = frame.t + opts.sparse_anchor_s
                    run = anchor or plan.want(frame.t, _finite(motion), _finite(changes[-1]), is_last)
                prev_grey = grey
                ts.append(frame.t)
                idx.append(frame.index)
                measured.append(run)
                # one count at a time, in order: a count due while the last one still runs waits for it
                if schedule.due(frame.t, grey, box, lambda: counting[-1].result() if counting else 0):
                    if counting:
                        counting[-1].result()
                        counting.append(pool.submit(count_people, frame.rgb, people_detect, opts.other_person_min_size))
                    else:  # the first here, quietly: MediaPipe logs its warnings on the first inference
                        first: Future[int] = Future()
                        with _quiet_native_logs():
                            first.set_result(count_people(frame.rgb, people_detect, opts.other_person_min_size))
                        counting.append(first)
                    schedule.counted(frame.t, grey)
                count_of.append(len(counting) - 1)
                if progress is not None:
                    progress(1)
                if len(ts) % RELEASE_MEMORY_EVERY_FRAMES == 0:
                    release_free_memory()
                if not run:
                    xy.append(_MISSING_XY)
                    vis.append(_MISSING_VIS)
                    world.append(_MISSING_WORLD)
                    found_at.append(found)
                    continue
                ms = int(round(frame.t * 1000.0))
                if ms <= last_ms:
                    ms = last_ms + 1
                last_ms = ms
                rgb = frame.rgb
                height, width = rgb.shape[:2]
                square, side, pad_x, pad_y = letterbox(rgb, square)
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=square)
                mirrored = (
                    mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(square[:, ::-1]))
                    if opts.mirror
                    else None
                )
                if len(ts) == 1:  # MediaPipe logs its warnings on the first inference
                    with _quiet_native_logs():
                        result, mirror_result = detect(image, mirrored, ms)
                else:
                    result, mirror_result = detect(image, mirrored, ms)
                sx, sy = meta.width / width, meta.height / height
                found = bool(result.pose_landmarks)
                found_at.append(found)
                if found:
                    reading = read_landmarks(result, side, pad_x, pad_y)
                    if mirror_result is not None and mirror_result.pose_landmarks:
                        reading = merge_mirrored(
                            reading,
                            read_landmarks(mirror_result, side, pad_x, pad_y, mirrored=True),
                            opts.mirror_max_apart_body,
                        )
                    pts, seen, ground = reading
                    # float32 per frame: the landmark table is the only thing that grows with length
                    xy.append((pts * (sx, sy)).astype(np.float32))
                    vis.append(seen.astype(np.float32))
                    world.append(ground.astype(np.float32) if np.isfinite(ground).any() else _MISSING_WORLD)
                    box = lifter_box(xy[-1], meta.width, meta.height)
                else:
                    xy.append(_MISSING_XY)
                    vis.append(_MISSING_VIS)
                    world.append(_MISSING_WORLD)
                if plan is not None:
                    plan.ran(frame.t, xy[-1] if found else None, vis[-1] if found else None, meta.width, meta.height)
            people = [c.result() for c in counting]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if mirror_pool is not None:
                mirror_pool.shutdown(wait=True, cancel_futures=True)
            with _quiet_native_logs():
                tracker.close()
                counter.close()
                if mirror_tracker is not None:
                    mirror_tracker.close()
            release_free_memory()  # what the pass freed, before the judging allocates again
        counts = [max(people[k] if k >= 0 else 0, int(f)) for k, f in zip(count_of, found_at)]
        n = len(ts)
        t = np.array(ts, dtype=float)
        xy_a = np.array(xy, dtype=np.float32).reshape(n, N_LANDMARKS, 2)
        vis_a = np.array(vis, dtype=np.float32).reshape(n, N_LANDMARKS)
        world_a = np.array(world, dtype=np.float32).reshape(n, N_LANDMARKS, 3)
        model_ran = np.array(measured, dtype=bool)
        if plan is not None:
            interpolate_gaps(t, model_ran, xy_a, vis_a, world_a)
        return PoseSequence(
            xy=xy_a,
            visibility=vis_a,
            world=world_a,
            t=t,
            frame_index=np.array(idx, dtype=np.int64),
            n_people=np.array(counts, dtype=np.int64),
            meta=meta,
            model=self.name,
            frame_change=np.array(changes, dtype=float),
            interpolated=~model_ran if plan is not None else None,
            picture_signature=change.signature_array(),
        )


def _finite(value: float) -> float:
    return value if np.isfinite(value) else 0.0


def _with_last(items: Iterable[_F]) -> Iterator[tuple[_F, bool]]:
    """Each item with whether it is the last one (one item of look-ahead)."""
    iterator = iter(items)
    try:
        current = next(iterator)
    except StopIteration:
        return
    for upcoming in iterator:
        yield current, False
        current = upcoming
    yield current, True


@dataclass(frozen=True)
class _MediaPipe:
    """The few MediaPipe names the pose stage uses."""

    Image: Any
    ImageFormat: Any
    BaseOptions: Any
    PoseLandmarker: Any
    PoseLandmarkerOptions: Any
    RunningMode: Any


#: MediaPipe's packages whose ``__init__`` the lean import skips: ``mediapipe.tasks.python`` imports every task
#: (audio ones with sounddevice) and ``vision`` the drawing helpers, which import matplotlib.pyplot.
_HOLLOW = ("mediapipe", "mediapipe.tasks", "mediapipe.tasks.python", "mediapipe.tasks.python.vision")


@functools.cache
def _import_mediapipe() -> _MediaPipe:
    """MediaPipe's pose landmarker, imported only when the model is about to run.

    ``import mediapipe`` costs about 1.2 s of CPU, most of it matplotlib (its drawing helpers) and the audio
    tasks, none of which the pose stage uses; the modules it does use take about 0.2 s. So unless mediapipe
    is already imported, its packages are stood in for by empty ones while the pose landmarker's modules
    load, and everything loaded is then taken out of ``sys.modules`` again: the handles kept here work, and
    a later ``import mediapipe`` elsewhere in the process is a normal, complete import. Any failure of that
    (another layout of the package) falls back to the plain import.
    """
    if "mediapipe" not in sys.modules:
        try:
            return _lean_import()
        except (ImportError, AttributeError):
            pass
    import mediapipe
    from mediapipe.tasks.python import BaseOptions, vision

    return _MediaPipe(
        mediapipe.Image,
        mediapipe.ImageFormat,
        BaseOptions,
        vision.PoseLandmarker,
        vision.PoseLandmarkerOptions,
        vision.RunningMode,
    )


def _lean_import() -> _MediaPipe:
    import importlib
    import importlib.machinery
    import importlib.util
    import types

    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("mediapipe is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    before = set(sys.modules)
    try:
        for name in _HOLLOW:
            folder = str(root.joinpath(*name.split(".")[1:]))
            package = types.ModuleType(name)
            package.__path__ = [folder]
            package.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=True)
            package.__spec__.submodule_search_locations = [folder]
            sys.modules[name] = package
        landmarker = importlib.import_module("mediapipe.tasks.python.vision.pose_landmarker")
        image = importlib.import_module("mediapipe.tasks.python.vision.core.image")
        base = importlib.import_module("mediapipe.tasks.python.core.base_options")
        mode = importlib.import_module("mediapipe.tasks.python.vision.core.vision_task_running_mode")
        # the C library is found through importlib.resources on first use, which would import the package
        # for real then: load it now
        importlib.import_module("mediapipe.tasks.python.core.mediapipe_c_bindings").load_raw_library()
        return _MediaPipe(
            image.Image,
            image.ImageFormat,
            base.BaseOptions,
            landmarker.PoseLandmarker,
            landmarker.PoseLandmarkerOptions,
            mode.VisionTaskRunningMode,
        )
    finally:
        for name in set(sys.modules) - before:
            if name == "mediapipe" or name.startswith("mediapipe."):
                del sys.modules[name]


_MISSING_XY = np.full((N_LANDMARKS, 2), np.nan, dtype=np.float32)
_MISSING_VIS = np.full(N_LANDMARKS, np.nan, dtype=np.float32)
_MISSING_WORLD = np.full((N_LANDMARKS, 3), np.nan, dtype=np.float32)


def _detector(counter) -> Detect:
    """The IMAGE-mode landmarker ``counter`` as formcheck.people wants it: poses in a letterboxed picture."""
    mp = _import_mediapipe()

    def detect(rgb: np.ndarray):
        square, side, pad_x, pad_y = letterbox(rgb)
        found = counter.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=square)).pose_landmarks
        return found or [], side, pad_x, pad_y

    return detect


class ReplayEstimator:
    """Replays landmarks from an npz file instead of running a model.

    The frames are still consumed (so decoding is exercised) but ignored; the
    stored sequence is returned with the given video's metadata.
    """

    def __init__(self, npz_path: str | Path) -> None:
        self.sequence = PoseSequence.load_npz(npz_path)
        self.name = self.sequence.model

    def estimate(
        self, frames: Iterable[Frame | DecodedFrame], meta: VideoMeta, progress: ProgressFn | None = None
    ) -> PoseSequence:
        for _ in frames:
            if progress is not None:
                progress(1)
        return self.sequence.replace(meta=meta)
