"""Peak memory of ``formcheck analyze --no-cache`` on clips of different lengths, two source trees alternately.

Usage:
    python bench/peak_rss_runs.py --base DIR [--rounds 3] [--out OUT.json] CLIP [CLIP ...]

``DIR`` holds another version's ``formcheck/`` package (``git archive <commit> formcheck | tar -x -C DIR``); the
other tree is this one. Every run is a fresh ``python -m formcheck analyze --no-cache -q --json REPORT CLIP``
process started in the tree's folder (so ``-m`` imports that tree's package; the models are this tree's, through
``FORMCHECK_MODELS``), measured as bench/compare_peer.py measures it: peak resident set (``ru_maxrss`` from
``wait4``), CPU time of all threads and wall time. Each round runs every clip with both trees, the trees' order
swapping from round to round and the clips' order too, so both see the same load. Printed: every run, then per
clip and tree the median and range of the peaks, and the long clips' peaks over the first clip's (the medians),
and whether the two trees' reports are the same but for ``timings_s`` and ``versions``.

docs/PERFORMANCE.md "Peak memory against the clip's length".
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

ROOT = Path(__file__).resolve().parent.parent

VOLATILE = ("timings_s", "versions")


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> dict:
    """Run ``cmd`` in a fresh process in ``cwd``: CPU time (user+sys, all threads), wall time, peak RSS, stdout
    (as bench/compare_peer.py's ``measure``, which always runs in this tree)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {stderr.strip()[-600:]}")
    return {
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "wall_s": round(wall, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": stdout,
    }


def _which(tree: Path, env: dict[str, str]) -> str:
    """The pose module a run in ``tree`` imports (to be sure each tree runs its own code)."""
    cmd = [sys.executable, "-c", "import formcheck.pose as p; print(p.__file__)"]
    return measure(cmd, env, tree)["stdout"].strip()


def run(tree: Path, clip: Path, env: dict[str, str]) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "formcheck", "analyze", "--no-cache", "-q", "--json", str(report), str(clip)]
        r = measure(cmd, env, tree)
        data = json.loads(report.read_text())
    r.pop("stdout")
    r["load"] = round(os.getloadavg()[0], 2)
    for key in VOLATILE:
        data.pop(key, None)
    return r, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clips", nargs="+", type=Path, help="the first one is the reference (the short clip)")
    parser.add_argument("--base", type=Path, required=True, help="folder with the other version's formcheck/")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "this": ROOT}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["FORMCHECK_MODELS"] = str(ROOT / "models")
    for name, tree in trees.items():
        here = dict(env, PYTHONPATH=str(tree))
        print(f"{name}: {_which(tree, here)}")
    runs: list[dict] = []
    reports: dict[tuple[str, str], dict] = {}
    for rnd in range(args.rounds):
        order = list(trees) if rnd % 2 == 0 else list(reversed(trees))
        clips = args.clips if rnd % 2 == 0 else list(reversed(args.clips))
        for clip in clips:
            for name in order:
                r, data = run(trees[name], clip.resolve(), dict(env, PYTHONPATH=str(trees[name])))
                reports[(name, clip.name)] = data
                row = {"round": rnd, "tree": name, "clip": clip.name, **r}
                runs.append(row)
                print(
                    f"round {rnd} {name:4s} {clip.name:28s} peak {r['peak_rss_mb']:6.1f} MB  CPU {r['cpu_s']:6.2f} s "
                    f"(sys {r['sys_s']:.2f})  wall {r['wall_s']:6.2f} s  load {r['load']:.1f}",
                    flush=True,
                )
    summary: dict[str, dict[str, dict]] = {}
    for name in trees:
        for clip in args.clips:
            peaks = [r["peak_rss_mb"] for r in runs if r["tree"] == name and r["clip"] == clip.name]
            cpus = [r["cpu_s"] for r in runs if r["tree"] == name and r["clip"] == clip.name]
            summary.setdefault(name, {})[clip.name] = {
                "peaks_mb": peaks,
                "median_peak_mb": statistics.median(peaks),
                "max_peak_mb": max(peaks),
                "median_cpu_s": statistics.median(cpus),
            }
    print()
    ref = args.clips[0].name
    for name in trees:
        for clip in args.clips:
            s = summary[name][clip.name]
            line = (
                f"{name:4s} {clip.name:28s} peak median {s['median_peak_mb']:6.1f} MB "
                f"(runs {', '.join(f'{p:.0f}' for p in s['peaks_mb'])})  CPU median {s['median_cpu_s']:.2f} s"
            )
            if clip.name != ref:
                ratio = s["median_peak_mb"] / summary[name][ref]["median_peak_mb"] - 1
                worst = s["max_peak_mb"] / summary[name][ref]["max_peak_mb"] - 1
                line += f"  vs {ref}: {ratio * 100:+.1f} % (medians), {worst * 100:+.1f} % (highest)"
                s["growth_median"], s["growth_max"] = round(ratio, 4), round(worst, 4)
            print(line)
    same = {clip.name: reports[("base", clip.name)] == reports[("this", clip.name)] for clip in args.clips}
    print("reports the same but for timings and versions:", same)
    if args.out:
        args.out.write_text(json.dumps({"runs": runs, "summary": summary, "reports_same": same}, indent=2) + "\n")


if __name__ == "__main__":
    main()
