"""Add the per-frame picture change (hard-cut signal), or the picture signatures (footage that loops), to landmark
fixtures made before they were recorded.

Usage: python tools/add_frame_change.py [--landmarks tests/data/landmarks] [--signatures] [--force] [npz ...]

Decodes each fixture's video again (no pose model: the landmarks stay exactly as they are), checks that the
frames line up with the stored timestamps, and rewrites the npz. By default it adds ``frame_change``
(``formcheck.video.FrameChange`` of every frame). With ``--signatures`` it adds ``picture_signature`` instead
(:func:`formcheck.loops.decoded_signatures`: decoded as ``formcheck analyze`` decodes, the small grey picture from
the luma plane; the stored picture change is left as it is), so that ``formcheck eval --landmarks`` finds footage
that loops as the video run does (clip_083, clip_084). Videos are looked up by the path stored in the fixture,
relative to the project root (``../shared/videos/...``, ``sample_videos/...``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.config import PoseConfig
from formcheck.loops import decoded_signatures
from formcheck.types import PoseSequence
from formcheck.video import FrameChange, iter_frames

ROOT = Path(__file__).resolve().parent.parent


def frame_changes(video: Path) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The picture change of every frame (``FrameChange`` on the RGB frames), and the frames' times."""
    change = FrameChange()
    values, times = [], []
    for frame in iter_frames(video, max_side=PoseConfig().max_side_px):
        values.append(change(frame.rgb))
        times.append(frame.t)
    return {"frame_change": np.array(values)}, np.array(times)


def signatures(video: Path) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The picture signature of every frame, and the frames' times."""
    signed, _, times = decoded_signatures(video, PoseConfig().max_side_px)
    return {"picture_signature": signed}, times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landmarks", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--signatures", action="store_true", help="add the picture signatures, not the change")
    parser.add_argument("--force", action="store_true", help="recompute fixtures that already have it")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    field, compute = ("picture_signature", signatures) if args.signatures else ("frame_change", frame_changes)
    files = [Path(f) for f in args.files] or sorted(Path(args.landmarks).glob("*.npz"))
    failed = 0
    for path in files:
        seq = PoseSequence.load_npz(path)
        if getattr(seq, field) is not None and not args.force:
            continue
        video = (ROOT / seq.meta.path).resolve()
        if not video.exists():
            video = ROOT / "sample_videos" / Path(seq.meta.path).name
        if not video.exists():
            print(f"{path.name}: video {seq.meta.path} not found, skipped")
            failed += 1
            continue
        values, times = compute(video)
        if len(times) != len(seq) or not np.allclose(times, seq.t, atol=1e-6):
            print(f"{path.name}: {len(times)} decoded frames do not match the {len(seq)} stored ones, skipped")
            failed += 1
            continue
        seq.replace(**values).save_npz(path)
        print(f"{path.name}: {field} of {len(times)} frames")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
