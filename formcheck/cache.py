"""On-disk landmark cache: re-judging a video with other thresholds skips the model.

Key: the video's content hash, the pose model, the pose settings and the
formcheck version of the landmark format. Location: ``$FORMCHECK_CACHE`` or
``~/.cache/formcheck/landmarks``. Entries are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

from .types import NPZ_FORMAT, PoseSequence

#: Bump when pose extraction changes in a way that invalidates cached landmarks.
LANDMARKS_VERSION = "5"  # 2: frame_change recorded (hard cuts); 3: people counted in halves of wide frames; 4: sparse pose, picture change from the decoder; 5: picture signatures (looped footage)


def cache_dir() -> Path:
    root = os.environ.get("FORMCHECK_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "formcheck" / "landmarks"


def cache_key(video_sha256: str, model: str, settings: dict[str, Any]) -> str:
    blob = json.dumps(
        {
            "video": video_sha256,
            "model": model,
            "settings": settings,
            "landmarks": LANDMARKS_VERSION,
            "npz": NPZ_FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


#: What reading a damaged entry raises: a truncated or overwritten file (not a zip, a cut-off member, bad
#: compressed data), a missing or mis-shaped array, unreadable metadata.
_DAMAGED = (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error)


def load(key: str, folder: Path | None = None) -> PoseSequence | None:
    """The cached landmarks under ``key``, or None (a miss). An entry that cannot be read (truncated by a full
    disk or a killed process, or damaged) is a miss too, and is deleted so the caller's fresh landmarks
    replace it; the pipeline recomputes and stores them."""
    path = (folder or cache_dir()) / f"{key}.npz"
    try:
        before = path.stat()
    except OSError:
        return None
    try:
        return PoseSequence.load_npz(path)
    except _DAMAGED:
        _discard(path, before)
        return None


def _discard(path: Path, seen: os.stat_result) -> None:
    """Delete the damaged entry at ``path``, unless another process has replaced it since it was read."""
    try:
        now = path.stat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) == (seen.st_ino, seen.st_size, seen.st_mtime_ns):
            path.unlink()
    except OSError:
        pass  # already gone, or a read-only cache: the entry stays a miss


def store(key: str, seq: PoseSequence, folder: Path | None = None) -> Path | None:
    path = (folder or cache_dir()) / f"{key}.npz"
    try:
        seq.save_npz(path)
    except OSError:
        return None  # a read-only or full disk must not lose the analysis
    return path
