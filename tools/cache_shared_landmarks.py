"""Run the pose model over a folder of clips (default ../shared/videos) and save the landmarks as npz test fixtures.

Usage: python tools/cache_shared_landmarks.py [--model full] [--mirror] [--out tests/data/landmarks] [clip ...]

The npz files are numbers, not footage, so they may be committed; the clips may not.
Labelled clips are processed first.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from formcheck.pose import MediaPipeEstimator, PoseOptions
from formcheck.video import iter_frames, probe

ROOT = Path(__file__).resolve().parent.parent

SHARED = ROOT.parent / "shared" / "videos"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="full")
    parser.add_argument("--out", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--max-side", type=int, default=960)
    parser.add_argument("--videos", default=str(SHARED), help="folder of clips (default ../shared/videos)")
    parser.add_argument("--mirror", action="store_true", help="the mirror pass on (pose.mirror)")
    parser.add_argument("clips", nargs="*")
    args = parser.parse_args()
    videos = Path(args.videos)
    if (videos / "labels.json").exists():
        labelled = [c["file"] for c in json.loads((videos / "labels.json").read_text())["clips"]]
    else:
        labelled = []
    clips = args.clips or labelled + sorted(p.name for p in videos.glob("*.mp4") if p.name not in labelled)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    estimator = MediaPipeEstimator(PoseOptions(model=args.model, mirror=args.mirror))
    for name in clips:
        target = out / f"{Path(name).stem}.{args.model}.npz"
        if target.exists():
            continue
        start = time.time()
        meta = probe(videos / name)
        shown = f"../shared/videos/{name}" if videos.resolve() == SHARED.resolve() else str(videos / name)
        meta = type(meta)(**{**meta.to_dict(), "path": shown})
        seq = estimator.estimate(iter_frames(videos / name, max_side=args.max_side), meta)
        seq.save_npz(target)
        print(f"{name}: {len(seq)} frames, {seq.detected.mean():.0%} detected, {time.time() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
