"""Add the per-frame picture signatures (footage that loops) to landmark fixtures made before they were recorded.

Usage: python tools/add_picture_signature.py [--landmarks tests/data/landmarks] [--force] [npz ...]

Decodes each fixture's video again (no pose model: the landmarks and the stored picture change stay exactly as
they are) the way ``formcheck analyze`` does (``iter_frames(lazy=True)``: the small grey picture from the luma
plane, :meth:`formcheck.video.FrameChange.grey`), checks that the frames line up with the stored timestamps, and
rewrites the npz with ``picture_signature`` (:func:`formcheck.loops.signature`, 128 bytes a frame). With them,
``formcheck eval --landmarks`` finds footage that loops as the video run does (clip_083, clip_084). Videos are
looked up by the path stored in the fixture, relative to the project root (``../shared/videos/...``,
``sample_videos/...``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.config import PoseConfig
from formcheck.types import PoseSequence
from formcheck.video import FrameChange, iter_frames

ROOT = Path(__file__).resolve().parent.parent


def signatures(video: Path) -> tuple[np.ndarray, np.ndarray]:
    """Every frame's picture signature and time, decoded as the pose stage decodes."""
    change = FrameChange()
    times = []
    for frame in iter_frames(video, max_side=PoseConfig().max_side_px, lazy=True):
        change.grey(frame.grey)
        times.append(frame.t)
    return change.signature_array(), np.asarray(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landmarks", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--force", action="store_true", help="recompute fixtures that already have them")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or sorted(Path(args.landmarks).glob("*.npz"))
    failed = 0
    for path in files:
        seq = PoseSequence.load_npz(path)
        if seq.picture_signature is not None and not args.force:
            continue
        video = (ROOT / seq.meta.path).resolve()
        if not video.exists():
            video = ROOT / "sample_videos" / Path(seq.meta.path).name
        if not video.exists():
            print(f"{path.name}: video {seq.meta.path} not found, skipped")
            failed += 1
            continue
        signed, times = signatures(video)
        if len(signed) != len(seq) or not np.allclose(times, seq.t, atol=1e-6):
            print(f"{path.name}: {len(signed)} decoded frames do not match the {len(seq)} stored ones, skipped")
            failed += 1
            continue
        seq.replace(picture_signature=signed).save_npz(path)
        print(f"{path.name}: {len(signed)} frames signed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
