"""Throughput of `formcheck batch`: videos per minute and frames per second.

Usage: python bench/bench_batch.py [--folder sample_videos] [--jobs 1,2] [--out bench/batch_results.json]

Copies the clips of ``--folder`` (default: the rendered sample clips) to a temporary folder and runs

1. a cold batch per ``--jobs`` value (empty landmark cache: the pose model runs on every frame,
   process start-up and model loading included), then
2. a re-judge of the same folder with another profile (``slight``) from the cached landmarks,

printing and saving wall time, videos/min and frames/s of each run and the re-judge speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(folder: Path, out: Path, **options) -> dict:
    from formcheck.batch import run_batch

    start = time.perf_counter()
    rows = run_batch(folder, out, **options)
    wall = time.perf_counter() - start
    ok = [r for r in rows if r["status"] == "ok"]
    frames = sum(r["frames"] for r in ok)
    return {
        "videos": len(ok),
        "failed": sum(r["status"] == "failed" for r in rows),
        "frames": frames,
        "wall_s": round(wall, 2),
        "videos_per_min": round(len(ok) / wall * 60, 1),
        "frames_per_s": round(frames / wall, 1),
        "pose_sources": sorted({r["pose_source"] for r in ok}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "sample_videos")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "batch_results.json")
    args = parser.parse_args(argv)

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "in"
        folder.mkdir()
        for clip in sorted(args.folder.glob("*.mp4")):
            shutil.copyfile(clip, folder / clip.name)
        os.environ["FORMCHECK_CACHE"] = str(tmp / "cache")  # worker processes inherit it
        jobs_list = [int(j) for j in args.jobs.split(",")]
        for jobs in jobs_list:
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            results["runs"][f"cold_jobs{jobs}"] = run(folder, tmp / f"out{jobs}", jobs=jobs, force=True)
            print(f"cold, --jobs {jobs}: {results['runs'][f'cold_jobs{jobs}']}", flush=True)
        best = max(jobs_list)
        results["runs"]["rejudge_cached"] = run(folder, tmp / "rejudge", jobs=best, profile="slight")
        print(f"re-judge (--profile slight, cached landmarks, --jobs {best}): {results['runs']['rejudge_cached']}")
    cold = results["runs"][f"cold_jobs{best}"]["wall_s"]
    results["rejudge_speedup"] = round(cold / results["runs"]["rejudge_cached"]["wall_s"], 1)
    if len(jobs_list) > 1:
        results["parallel_speedup"] = round(results["runs"][f"cold_jobs{min(jobs_list)}"]["wall_s"] / cold, 2)
    print(json.dumps({k: v for k, v in results.items() if k != "runs"}))
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
