"""What the second look at the video found, kept beside the landmark cache: re-judging a clip reads no video.

The second look (:mod:`formcheck.rescan`: the bar check of each hinge rep and the search for the near plate)
decodes the reps' frames again. Its findings depend only on the video's pictures, on what the judging handed it
(the frame times, the cleaned landmarks, the bar point per frame, the reps, the leg length in pixels, the lift
family), on the ``bar`` and ``plates`` settings, and on the code that reads the pictures. The key hashes all of
them (the code as the bytes of its modules, :data:`LOOK_CODE`), so an entry is used only where the look would
find the same again: another threshold that moves a rep, another setting of the search, another formcheck, and
the look runs again. Re-judging a cached clip then needs no decoding at all (docs/PERFORMANCE.md "Start-up").

An entry is one small ``.look.npz`` file in :func:`formcheck.cache.cache_dir`: the plate's centre, radius and
where a look found it per frame and, as JSON, the bar checks and the plate search's rows. A damaged entry is a
miss, as for landmarks.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .barbell import BarCheck
from .cache import cache_dir
from .plates import PlateTrack, RepPlate
from .types import Rep

#: Bump when an entry's layout changes.
LOOK_FORMAT = "2"

#: The modules whose code decides what the look finds (hashed into the key).
LOOK_CODE = ("barbell.py", "plates.py", "rescan.py", "video.py", "greystore.py")

#: What reading a damaged entry raises (as :data:`formcheck.cache._DAMAGED`, and the JSON).
_DAMAGED = (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error)


@dataclass(frozen=True)
class Looked:
    """The second look's findings: the bar checks (None when the bar check did not run) and the plate track."""

    bar_checks: list[BarCheck] | None
    plates: PlateTrack


@functools.cache
def _code_digest() -> bytes:
    """The code that reads the pictures, as bytes (where the modules are not plain files, e.g. a zipped install,
    the formcheck version in the key stands for it). Read once a process: the code does not change under it."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in LOOK_CODE:
        digest.update(name.encode())
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.digest()


def look_key(
    video_sha256: str,
    settings: dict[str, Any],
    reps: Sequence[Rep],
    arrays: Sequence[np.ndarray | None],
) -> str:
    """The key of the look at the video with content ``video_sha256``: ``settings`` (the ``bar`` and ``plates``
    settings and every scalar the look reads), the ``reps`` it was handed and its input ``arrays`` (exact bytes)."""
    digest = hashlib.sha256()
    head = {
        "video": video_sha256,
        "settings": settings,
        "reps": [asdict(r) for r in reps],
        "formcheck": __version__,
        "format": LOOK_FORMAT,
    }
    digest.update(json.dumps(head, sort_keys=True, default=repr).encode())
    digest.update(_code_digest())
    for array in arrays:
        if array is None:
            digest.update(b"none")
            continue
        values = np.ascontiguousarray(array, dtype=np.float64)
        digest.update(repr(values.shape).encode())
        digest.update(values.tobytes())
    return digest.hexdigest()[:32]


def _path(key: str, folder: Path | None) -> Path:
    return (folder or cache_dir()) / f"{key}.look.npz"


def load(key: str, folder: Path | None = None) -> Looked | None:
    """The look stored under ``key``, or None (a miss; a damaged entry is a miss and is deleted)."""
    path = _path(key, folder)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            about = json.loads(str(npz["about"]))
            centre = np.array(npz["centre"], dtype=float)
            radius = np.array(npz["radius"], dtype=float)
            placed = np.array(npz["placed"], dtype=np.int8)
            stretch = np.array(npz["stretch"], dtype=float) if "stretch" in npz.files else None
        checks = about["bar_checks"]
        return Looked(
            None if checks is None else [BarCheck(**c) for c in checks],
            PlateTrack(
                centre, radius, [RepPlate(**r) for r in about["plate_reps"]], str(about["skipped"]), placed, stretch
            ),
        )
    except _DAMAGED:
        with contextlib.suppress(OSError):  # already gone, or a read-only cache: stays a miss
            path.unlink()
        return None


def store(key: str, looked: Looked, folder: Path | None = None) -> Path | None:
    """Keep ``looked`` under ``key`` (written whole or not at all); None when the cache cannot be written."""
    path = _path(key, folder)
    about = {
        "bar_checks": None if looked.bar_checks is None else [asdict(c) for c in looked.bar_checks],
        "plate_reps": [asdict(r) for r in looked.plates.reps],
        "skipped": looked.plates.skipped,
    }
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
            tmp = Path(f.name)
            arrays: dict[str, np.ndarray] = {
                "about": np.array(json.dumps(about)),
                "centre": np.asarray(looked.plates.centre, dtype=float),
                "radius": np.asarray(looked.plates.radius, dtype=float),
                "placed": np.zeros(len(looked.plates.radius), np.int8)
                if looked.plates.placed is None
                else np.asarray(looked.plates.placed, dtype=np.int8),
            }
            if looked.plates.stretch is not None:  # filmed off the side (plates.PlateTrack.stretch)
                arrays["stretch"] = np.asarray(looked.plates.stretch, dtype=float)
            np.savez_compressed(f, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        return None  # a read-only or full disk must not lose the analysis
    return path
