"""Pose estimation: video frames in, a :class:`PoseSequence` out.

``MediaPipeEstimator`` runs the MediaPipe Tasks PoseLandmarker in VIDEO mode
on the committed models in ``models/`` (checksums verified on load).
``ReplayEstimator`` replays landmarks saved as npz: tests, batch and web code
use it to run the whole pipeline without the model.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ModelError
from .landmarks import N_LANDMARKS
from .people import Detect, count_people
from .types import PoseSequence, VideoMeta
from .video import Frame, FrameChange

# MediaPipe's C++ side logs INFO/WARNING lines to stderr; keep errors only.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

MODEL_NAMES = ("lite", "full", "heavy")
#: Where the .task files live: $FORMCHECK_MODELS, else ``models/`` of the source tree.
MODELS_DIR = Path(os.environ.get("FORMCHECK_MODELS", Path(__file__).resolve().parent.parent / "models"))

ProgressFn = Callable[[int], None]


class PoseEstimator(Protocol):
    """Anything that turns a stream of frames into a PoseSequence."""

    name: str

    def estimate(
        self, frames: Iterable[Frame], meta: VideoMeta, progress: ProgressFn | None = None
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
    #: Count the people in view every this many seconds (a second, IMAGE-mode pass).
    people_check_every_s: float = 0.5
    #: Most people looked for in a people count.
    max_people: int = 3
    #: Another person counts only when at least this fraction of the lifter's size.
    other_person_min_size: float = 0.5

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


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, int, int, int]:
    """Pad a frame to a square (black borders). Returns (square, side, pad_x, pad_y).

    The BlazePose detector misses people in very tall or wide frames (0 % found
    on a 234x848 portrait clip, 100 % once padded to a square).
    """
    height, width = rgb.shape[:2]
    side = max(height, width)
    if height == width:
        return np.ascontiguousarray(rgb), side, 0, 0
    pad_y, pad_x = (side - height) // 2, (side - width) // 2
    square = np.zeros((side, side, 3), dtype=np.uint8)
    square[pad_y : pad_y + height, pad_x : pad_x + width] = rgb
    return square, side, pad_x, pad_y


class MediaPipeEstimator:
    """MediaPipe Tasks PoseLandmarker, VIDEO mode, one instance per video stream."""

    def __init__(self, options: PoseOptions | None = None, models_dir: Path | None = None) -> None:
        self.options = options or PoseOptions()
        self.name = self.options.model
        self._path = model_path(self.options.model, models_dir)

    def _create(self, video: bool):
        from mediapipe.tasks.python import BaseOptions, vision

        opts = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self._path)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=1 if video else self.options.max_people,
            min_pose_detection_confidence=self.options.min_detection_confidence,
            min_pose_presence_confidence=self.options.min_presence_confidence,
            min_tracking_confidence=self.options.min_tracking_confidence,
            output_segmentation_masks=False,
        )
        return vision.PoseLandmarker.create_from_options(opts)

    def estimate(self, frames: Iterable[Frame], meta: VideoMeta, progress: ProgressFn | None = None) -> PoseSequence:
        import mediapipe as mp

        xy: list[np.ndarray] = []
        vis: list[np.ndarray] = []
        world: list[np.ndarray] = []
        ts: list[float] = []
        idx: list[int] = []
        counts: list[int] = []
        changes: list[float] = []
        change = FrameChange()
        last_ms = -1
        next_count_t = 0.0
        people = 0
        with _quiet_native_logs():
            tracker, counter = self._create(video=True), self._create(video=False)
        try:
            for frame in frames:
                ms = int(round(frame.t * 1000.0))
                if ms <= last_ms:
                    ms = last_ms + 1
                last_ms = ms
                height, width = frame.rgb.shape[:2]
                square, side, pad_x, pad_y = letterbox(frame.rgb)
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=square)
                if not ts:  # MediaPipe logs its warnings on the first inference
                    with _quiet_native_logs():
                        result = tracker.detect_for_video(image, ms)
                else:
                    result = tracker.detect_for_video(image, ms)
                sx, sy = meta.width / width, meta.height / height
                if result.pose_landmarks:
                    pts = np.array([[p.x * side - pad_x, p.y * side - pad_y] for p in result.pose_landmarks[0]])
                    pts *= (sx, sy)
                    # float32 per frame: the landmark table is the only thing that grows with length
                    xy.append(pts.astype(np.float32))
                    vis.append(np.array([p.visibility for p in result.pose_landmarks[0]], dtype=np.float32))
                    world.append(
                        np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks[0]], dtype=np.float32)
                        if result.pose_world_landmarks
                        else _MISSING_WORLD
                    )
                else:
                    xy.append(_MISSING_XY)
                    vis.append(_MISSING_VIS)
                    world.append(_MISSING_WORLD)
                if frame.t >= next_count_t:
                    with _quiet_native_logs():
                        people = count_people(frame.rgb, _detector(counter), self.options.other_person_min_size)
                    next_count_t = frame.t + self.options.people_check_every_s
                counts.append(max(people, int(bool(result.pose_landmarks))))
                changes.append(change(frame.rgb))
                ts.append(frame.t)
                idx.append(frame.index)
                if progress is not None:
                    progress(1)
        finally:
            with _quiet_native_logs():
                tracker.close()
                counter.close()
        n = len(ts)
        return PoseSequence(
            xy=np.array(xy).reshape(n, N_LANDMARKS, 2),
            visibility=np.array(vis).reshape(n, N_LANDMARKS),
            world=np.array(world).reshape(n, N_LANDMARKS, 3),
            t=np.array(ts, dtype=float),
            frame_index=np.array(idx, dtype=np.int64),
            n_people=np.array(counts, dtype=np.int64),
            meta=meta,
            model=self.name,
            frame_change=np.array(changes, dtype=float),
        )


_MISSING_XY = np.full((N_LANDMARKS, 2), np.nan, dtype=np.float32)
_MISSING_VIS = np.full(N_LANDMARKS, np.nan, dtype=np.float32)
_MISSING_WORLD = np.full((N_LANDMARKS, 3), np.nan, dtype=np.float32)


def _detector(counter) -> Detect:
    """The IMAGE-mode landmarker ``counter`` as formcheck.people wants it: poses in a letterboxed picture."""
    import mediapipe as mp

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

    def estimate(self, frames: Iterable[Frame], meta: VideoMeta, progress: ProgressFn | None = None) -> PoseSequence:
        for _ in frames:
            if progress is not None:
                progress(1)
        return self.sequence.replace(meta=meta)
