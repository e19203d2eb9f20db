"""formcheck from two source trees, alternately, on the same clip: what a change costs or saves.

Usage: python bench/compare_trees.py BEFORE_TREE AFTER_TREE CLIP [--runs 6] [--out FILE]

Each run is a fresh process, ``python -m formcheck analyze CLIP --no-cache -q --json ...`` with ``PYTHONPATH`` set to
the tree (a ``git worktree add /tmp/before REV`` checkout, and this one), run in alternating order (the first of
each pair swaps every round) so that a machine whose load drifts treats both alike. CPU time is user + system of the
child and all its threads (``wait4``), memory its peak resident set. Both trees run with this interpreter, so with
the same installed packages. The ratio against the plain MediaPipe loop is ``bench/compare_peer.py``'s; this one
measures one change on its own (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(tree: Path, clip: Path) -> dict[str, float]:
    """CPU seconds, wall seconds and peak resident set (MB) of one analysis by the tree's formcheck."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "formcheck", "analyze", str(clip), "--no-cache", "-q", "--json", f"{tmp}/r.json"]
        started = time.perf_counter()
        child = subprocess.Popen(cmd, env=env, cwd=tree)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: formcheck analyze {clip} failed")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall, "peak_mb": usage.ru_maxrss / 1024.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="source tree before the change")
    parser.add_argument("after", type=Path, help="source tree after it")
    parser.add_argument("clip", type=Path)
    parser.add_argument("--runs", type=int, default=6, help="runs of each tree")
    parser.add_argument("--out", type=Path, help="write every run and the medians here as JSON")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    load_start = os.getloadavg()
    for k in range(args.runs):
        order = list(trees) if k % 2 == 0 else list(trees)[::-1]
        for name in order:
            runs[name].append(run_once(trees[name], args.clip.resolve()))
    medians = {
        name: {key: round(statistics.median(r[key] for r in rs), 3) for key in ("cpu_s", "wall_s", "peak_mb")}
        for name, rs in runs.items()
    }
    for name, m in medians.items():
        cpus = ", ".join(f"{r['cpu_s']:.2f}" for r in runs[name])
        print(f"{name:6s} CPU median {m['cpu_s']:.3f} s ({cpus})  wall {m['wall_s']:.2f} s  peak {m['peak_mb']:.0f} MB")
    change = medians["after"]["cpu_s"] / medians["before"]["cpu_s"] - 1.0
    print(f"CPU after / before: {change:+.1%}; load average {load_start} at the start, {os.getloadavg()} at the end")
    if args.out is not None:
        record = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "clip": str(args.clip),
            "trees": {name: str(tree) for name, tree in trees.items()},
            "load_avg_at_start": load_start,
            "load_avg_at_end": os.getloadavg(),
            "runs": runs,
            "medians": medians,
        }
        args.out.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
