"""On-disk landmark cache: re-judging a video with other thresholds skips the model.

Key: the video's content hash, the pose model, the pose settings and the
formcheck version of the landmark format. Location: ``$FORMCHECK_CACHE`` or
``~/.cache/formcheck/landmarks``. Entries are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .types import NPZ_FORMAT, PoseSequence

#: Bump when pose extraction changes in a way that invalidates cached landmarks.
LANDMARKS_VERSION = "2"  # 2: frame_change recorded (hard cuts)


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


def load(key: str, folder: Path | None = None) -> PoseSequence | None:
    path = (folder or cache_dir()) / f"{key}.npz"
    if not path.exists():
        return None
    try:
        return PoseSequence.load_npz(path)
    except (OSError, ValueError, KeyError):
        return None  # unreadable or old entry: recompute


def store(key: str, seq: PoseSequence, folder: Path | None = None) -> Path | None:
    path = (folder or cache_dir()) / f"{key}.npz"
    try:
        seq.save_npz(path)
    except OSError:
        return None  # a read-only or full disk must not lose the analysis
    return path
