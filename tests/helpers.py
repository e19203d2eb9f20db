"""Paths and helpers the tests share (fixtures are in ``conftest.py``).

Real clips live in ../shared/videos (never in this repository). Tests that need
them skip with a reason when the folder is absent, unless
FORMCHECK_REQUIRE_SHARED=1 (set by .ci/run), in which case they fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "videos"
LANDMARKS = ROOT / "tests" / "data" / "landmarks"
#: Debian's Chromium and the flags the browser tests launch it with: headless as root, and no background
#: connections (the machine's closed network refuses them, many at a time).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_shared(name: str = "") -> Path:
    """Path of a shared clip (or the folder); skip or fail when missing."""
    path = SHARED / name if name else SHARED
    if not path.exists():
        reason = f"{path} not found (real test clips live in ../shared/videos beside the project)"
        if os.environ.get("FORMCHECK_REQUIRE_SHARED") == "1":
            pytest.fail(reason + "; FORMCHECK_REQUIRE_SHARED=1 makes this a failure")
        pytest.skip(reason)
    return path


def seed_cache(video: Path, npz: Path, config: Any = None) -> None:
    """Put a clip's stored landmarks in the landmark cache, so the pipeline skips the model."""
    from formcheck import cache
    from formcheck.config import load_config
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256

    config = config or load_config()
    cache.store(landmark_cache_key(file_sha256(video), config), PoseSequence.load_npz(npz))


def report_without_timings(analysis: Any) -> dict:
    """An analysis's JSON report as a dict, without the timings (which differ from run to run)."""
    import json

    from formcheck.report.json_report import dumps

    data = json.loads(dumps(analysis.to_dict()))
    data.pop("timings_s")
    return data
