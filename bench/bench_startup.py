"""Start-up times: ``formcheck --help`` and re-judging a clip whose landmarks are cached.

Usage: python bench/bench_startup.py [--runs 10] [--clip ../shared/videos/clip_002.mp4] [--out bench/startup_results.json]

Each command runs ``--runs`` times in a fresh process (after one warm-up run that also fills the landmark
cache), like hyperfine: wall time and CPU time (user + system) per run, reported as median and minimum.
The re-judge is ``formcheck analyze -q CLIP`` on a cache hit (a bridge clip: no bar check, which decodes
the video again for hinge lifts), and, in process, :func:`formcheck.pipeline.analyze_landmarks` on the
cached landmarks alone. ``python -X importtime`` lists the slowest imports of each command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLIP = ROOT.parent / "shared" / "videos" / "clip_002.mp4"

IN_PROCESS = r"""
import json, sys, time
from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks, estimate_pose
cfg = load_config()
seq = estimate_pose(sys.argv[1], cfg)  # a cache hit
start = time.perf_counter()
analyze_landmarks(seq, cfg)
print(json.dumps({"analyze_landmarks_s": time.perf_counter() - start, "frames": len(seq)}))
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def slowest_imports(cmd: list[str], env: dict[str, str], top: int = 8) -> list[tuple[str, float]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line[len("import time:") :].split("|")
            if cumulative.strip().isdigit() and not name.startswith("   "):  # top-level imports only
                rows.append((name.strip(), int(cumulative) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "startup_results.json")
    args = parser.parse_args()
    env = {**os.environ, "FORMCHECK_CACHE": tempfile.mkdtemp(prefix="formcheck-startup-")}
    commands = {
        "help": [sys.executable, "-m", "formcheck", "--help"],
        "rejudge_cached": [sys.executable, "-m", "formcheck", "analyze", "-q", str(args.clip)],
    }
    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
        "clip": args.clip.name,
    }
    for name, cmd in commands.items():
        timed(cmd, env)  # warm-up: file cache, and the landmark cache for the re-judge
        runs = [timed(cmd, env) for _ in range(args.runs)]
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        result[name] = {
            "wall_median_s": round(statistics.median(walls), 3),
            "wall_min_s": round(min(walls), 3),
            "cpu_median_s": round(statistics.median(cpus), 3),
            "slowest_imports_s": slowest_imports(cmd[1:], env),
        }
        print(
            f"{name:15s} wall median {result[name]['wall_median_s']:.3f} s (min {result[name]['wall_min_s']:.3f})"
            f"  CPU median {result[name]['cpu_median_s']:.3f} s",
            flush=True,
        )
    proc = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(args.clip)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    result["analyze_landmarks"] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"analyze_landmarks in process: {result['analyze_landmarks']['analyze_landmarks_s']:.3f} s")
    result["load_avg_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
