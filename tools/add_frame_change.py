"""Add the per-frame picture change (hard-cut signal) to landmark fixtures made before it was recorded.

Usage: python tools/add_frame_change.py [--landmarks tests/data/landmarks] [--force] [npz ...]

Decodes each fixture's video again (no pose model: the landmarks stay exactly as they are), computes
``formcheck.video.FrameChange`` for every frame exactly as the pose stage does, checks that the
frames line up with the stored timestamps, and rewrites the npz. Videos are looked up by the path
stored in the fixture, relative to the project root (``../shared/videos/...``, ``sample_videos/...``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.config import PoseConfig
from formcheck.types import PoseSequence
from formcheck.video import FrameChange, iter_frames

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landmarks", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--force", action="store_true", help="recompute fixtures that already have it")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or sorted(Path(args.landmarks).glob("*.npz"))
    failed = 0
    for path in files:
        seq = PoseSequence.load_npz(path)
        if seq.frame_change is not None and not args.force:
            continue
        video = (ROOT / seq.meta.path).resolve()
        if not video.exists():
            video = ROOT / "sample_videos" / Path(seq.meta.path).name
        if not video.exists():
            print(f"{path.name}: video {seq.meta.path} not found, skipped")
            failed += 1
            continue
        change = FrameChange()
        values, times = [], []
        for frame in iter_frames(video, max_side=PoseConfig().max_side_px):
            values.append(change(frame.rgb))
            times.append(frame.t)
        if len(values) != len(seq) or not np.allclose(times, seq.t, atol=1e-6):
            print(f"{path.name}: {len(values)} decoded frames do not match the {len(seq)} stored ones, skipped")
            failed += 1
            continue
        seq.replace(frame_change=np.array(values)).save_npz(path)
        print(f"{path.name}: {len(values)} frames, largest change {np.nanmax(values):.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
