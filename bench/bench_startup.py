"""Start-up times: ``formcheck --help`` and re-judging a clip whose landmarks are cached.

Usage: python bench/bench_startup.py [--runs 10] [--clip ../shared/videos/clip_002.mp4] [--out bench/startup_results.json]
       [--tree LABEL=PYTHON:DIR ...] [--layers]

Each command runs ``--runs`` times in a fresh process (after one warm-up run that also fills the landmark
cache), like hyperfine: wall time and CPU time (user + system) per run, reported as median and minimum, with
the load average before and after. The re-judge is ``formcheck analyze -q CLIP`` on a cache hit (a bridge
clip: no bar check, which decodes the video again for hinge lifts), and, in process,
:func:`formcheck.pipeline.analyze_landmarks` on the cached landmarks alone. ``python -X importtime`` lists the
slowest imports of each command.

The children run as a user's installed formcheck runs: without ``PYTHONDONTWRITEBYTECODE`` (dropped from their
environment if it is set here), so that the warm-up leaves compiled ``.pyc`` files and the timed runs read them
instead of compiling formcheck's modules from source (about 0.09 s of CPU per run when they cannot be written).

``--tree LABEL=PYTHON:DIR`` (repeatable) times the formcheck of another source tree ``DIR`` with the interpreter
``PYTHON`` (its own packages, e.g. another typer), the trees taking turns run by run so that a change in the
machine's load falls on all of them; the default is this tree with this interpreter. The typer version each
tree ran with is recorded. ``--layers`` adds the CPU time of each step of a cached re-judge of the last tree
(Python alone, then numpy, typer, the CLI, the lift registry, the pipeline, the cache read, the whole command).
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


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU time (user + system, of the child and its children) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def slowest_imports(
    python: str, args: list[str], env: dict[str, str], cwd: Path, top: int = 8
) -> list[tuple[str, float]]:
    proc = subprocess.run(
        [python, "-X", "importtime", *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line[len("import time:") :].split("|")
            if cumulative.strip().isdigit() and not name.startswith("   "):  # top-level imports only
                rows.append((name.strip(), int(cumulative) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def layers(python: str, tree: Path, env: dict[str, str], clip: str, runs: int) -> dict[str, float]:
    """CPU median of each step of a cached re-judge, each step a fresh process doing what the one before did and
    more, the steps in turn run by run: where the time of ``analyze -q`` goes."""
    load = "import formcheck.cli, formcheck.runner; from formcheck.config import load_config; "
    steps = {
        "python -c pass": ["-c", "pass"],
        "+ import numpy": ["-c", "import numpy"],
        "+ import typer": ["-c", "import numpy, typer"],
        "+ import formcheck.cli": ["-c", "import numpy, formcheck.cli"],
        "+ the lift registry (rules, config)": ["-c", "import formcheck.cli, formcheck.exercises"],
        "+ formcheck.pipeline, formcheck.runner": [
            "-c",
            "import formcheck.cli, formcheck.exercises, formcheck.pipeline, formcheck.runner",
        ],
        "+ the config loaded, the landmark cache read": [
            "-c",
            load + f"from formcheck.pipeline import estimate_pose; estimate_pose({clip!r}, load_config())",
        ],
        "+ the analysis: the whole analyze -q": ["-m", "formcheck", "analyze", "-q", clip],
    }
    cpus: dict[str, list[float]] = {name: [] for name in steps}
    for argv in steps.values():  # warm-up
        timed([python, *argv], env, tree)
    for _ in range(runs):
        for name, argv in steps.items():
            cpus[name].append(timed([python, *argv], env, tree)[1])
    return {name: round(statistics.median(values), 3) for name, values in cpus.items()}


def _tree(spec: str) -> tuple[str, str, Path]:
    """``LABEL=PYTHON:DIR`` -> (label, interpreter, source tree)."""
    label, _, rest = spec.partition("=")
    python, _, tree = rest.partition(":")
    if not (label and python and tree):
        raise argparse.ArgumentTypeError(f"{spec!r}: give LABEL=PYTHON:DIR")
    return label, python, Path(tree).resolve()


def _typer_version(python: str, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [python, "-c", "import typer; print(typer.__version__)"], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "startup_results.json")
    parser.add_argument("--tree", type=_tree, action="append", help="LABEL=PYTHON:DIR (repeatable)")
    parser.add_argument(
        "--layers", action="store_true", help="also: the CPU of each step of a cached re-judge (the last tree)"
    )
    args = parser.parse_args()
    trees = args.tree or [("this tree", sys.executable, ROOT)]
    clip = str(args.clip.resolve())
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    base["FORMCHECK_CACHE"] = tempfile.mkdtemp(prefix="formcheck-startup-")  # shared: each tree fills it alike
    envs = {label: {**base, "PYTHONPATH": str(tree)} for label, _, tree in trees}
    commands = {"help": ["--help"], "rejudge_cached": ["analyze", "-q", clip]}
    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
        "clip": args.clip.name,
        "bytecode": "written and read (PYTHONDONTWRITEBYTECODE dropped; one warm-up run per command)",
        "trees": {
            label: {"dir": str(tree), "python": python, "typer": _typer_version(python, envs[label])}
            for label, python, tree in trees
        },
    }
    for name, argv in commands.items():
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in trees}
        for label, python, tree in trees:  # warm-up: .pyc files, the file cache, the landmark cache
            timed([python, "-m", "formcheck", *argv], envs[label], tree)
        for _ in range(args.runs):
            for label, python, tree in trees:
                runs[label].append(timed([python, "-m", "formcheck", *argv], envs[label], tree))
        for label, python, tree in trees:
            walls, cpus = [r[0] for r in runs[label]], [r[1] for r in runs[label]]
            row = {
                "wall_median_s": round(statistics.median(walls), 3),
                "wall_min_s": round(min(walls), 3),
                "cpu_median_s": round(statistics.median(cpus), 3),
                "cpu_min_s": round(min(cpus), 3),
                "slowest_imports_s": slowest_imports(python, ["-m", "formcheck", *argv], envs[label], tree),
            }
            result["trees"][label][name] = row
            print(
                f"{label:12s} {name:15s} wall median {row['wall_median_s']:.3f} s (min {row['wall_min_s']:.3f})"
                f"  CPU median {row['cpu_median_s']:.3f} s (min {row['cpu_min_s']:.3f})",
                flush=True,
            )
    for label, python, tree in trees:
        proc = subprocess.run(
            [python, "-c", IN_PROCESS, clip], capture_output=True, text=True, cwd=tree, env=envs[label], check=True
        )
        result["trees"][label]["analyze_landmarks"] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{label:12s} analyze_landmarks in process: {result['trees'][label]['analyze_landmarks']['analyze_landmarks_s']:.3f} s"
        )
    if args.layers:
        label, python, tree = trees[-1]
        steps = layers(python, tree, envs[label], clip, args.runs)
        result["trees"][label]["layers_cpu_median_s"] = steps
        for name, cpu in steps.items():
            print(f"{label:12s} {name:48s} {cpu:.3f} s CPU median")
    result["load_avg_at_end"] = os.getloadavg()
    print(f"load average: {result['load_avg_at_start']} at the start, {result['load_avg_at_end']} at the end")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
