"""Peak memory per stage of one analysis: where a clip's peak happens and what holds memory then.

Usage:
    python bench/memory_stages.py VIDEO [--landmarks NPZ | --save-landmarks NPZ] [--no-video]
                                        [--tracemalloc] [--top 8] [--json OUT]

In one fresh process, as ``formcheck analyze --no-cache --json`` runs it (``pipeline.analyze_video`` with the
grey frame store, then the JSON report): the imports, the pose pass (``estimate_pose``), every step of
``analyze_landmarks`` (cleaning, kinematics, shots, the lift, trust, the reps, the bar check and plate search,
loops, rules, the summary) and the report. With ``--landmarks`` the pose pass is replaced by cached landmarks
(``PoseSequence.load_npz``): the judging alone, the second pass decoding the video (no store) or, with
``--no-video``, no video at all. ``--save-landmarks`` writes the pose pass's landmarks for a later
``--landmarks`` run.

Per stage (the innermost stage running at the moment is charged, so a step inside another is its own row):

* ``peak MB``: the process's peak resident set while the stage ran (``VmHWM`` of ``/proc/self/status``, set back
  to the current resident set at every stage boundary by writing 5 to ``/proc/self/clear_refs``: exact, native
  memory and every thread included). Where the kernel refuses that, a thread sampling ``VmRSS`` every 2 ms stands
  in (it can miss short peaks; the output says which was used).
* ``rss in / out``: the resident set when the stage started and when it ended (what it left behind).
* with ``--by-frames N``: during the pose pass, every N frames, the resident set and glibc's heaps (``mallinfo2``:
  bytes taken from the system and, of them, free): whether the pass grows with the video's length, and whether
  what grows is memory in use or free space the allocator keeps.
* with ``--tracemalloc``: the peak of the Python allocations traced while the stage ran, above what was traced when
  it started (``tracemalloc.reset_peak``), and, for the stage with the highest peak, the biggest allocation sites
  still held when it ended. Tracing slows Python code (the pose pass a few times over); the peaks are counts of
  bytes, not timings, and do not depend on the load.

docs/PERFORMANCE.md "Peak memory against the clip's length".
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import gc
import json
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: How often the fallback sampler reads VmRSS (seconds).
SAMPLE_EVERY_S = 0.002

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


def _heap_mb() -> tuple[float, float] | None:
    """glibc's heaps (``mallinfo2``): bytes taken from the system, and of them free, in MB; None elsewhere."""
    try:
        info = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return None
    info.restype = _MallInfo2
    got = info()
    return got.arena / 2**20, got.fordblks / 2**20


class FrameLog:
    """Every ``every`` frames of the pose pass: the resident set and glibc's heaps (taken and free)."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.done = 0
        self.rows: list[dict[str, float]] = []

    def __call__(self, n: int) -> None:
        self.done += n
        if self.every and (self.done % self.every == 0 or self.done == 1):
            heap = _heap_mb()
            row = {"frames": self.done, "rss_mb": _status_kb("VmRSS") / 1024}
            if heap is not None:
                row["heap_mb"], row["heap_free_mb"] = heap
            self.rows.append(row)


def _can_reset_hwm() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


class StageMeter:
    """Peak resident set (and traced Python peak) per stage; stages nest, the innermost one is charged."""

    def __init__(self, trace: bool, sample: bool = False) -> None:
        self.trace = trace
        self.exact = not sample and _can_reset_hwm()
        self.rows: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self._stack: list[str] = []
        self._sampled_kb = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None
        self.top: dict[str, list[str]] = {}

    def start(self) -> None:
        if not self.exact:
            self._sampler = threading.Thread(target=self._sample, name="memory-stages", daemon=True)
            self._sampler.start()

    def stop(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            kb = _status_kb("VmRSS")
            with self._lock:
                self._sampled_kb = max(self._sampled_kb, kb)

    def _take_peak_kb(self) -> int:
        """The peak since the last boundary, and start the next interval at the current resident set."""
        if self.exact:
            peak = _status_kb("VmHWM")
            _CLEAR_REFS.write_text("5")
            return peak
        with self._lock:
            peak, self._sampled_kb = max(self._sampled_kb, _status_kb("VmRSS")), _status_kb("VmRSS")
        return peak

    def _charge(self, name: str) -> None:
        row = self.rows.setdefault(name, {"peak_kb": 0, "py_peak_kb": 0, "calls": 0, "s": 0.0})
        row["peak_kb"] = max(row["peak_kb"], self._take_peak_kb())
        if self.trace:
            current, peak = tracemalloc.get_traced_memory()
            row["py_peak_kb"] = max(row["py_peak_kb"], (peak - row.pop("_py_base", current)) // 1024)
            tracemalloc.reset_peak()

    def _open(self, name: str) -> None:
        """``name``'s interval starts now (the enclosing stage's interval ends)."""
        row = self.rows.setdefault(name, {"peak_kb": 0, "py_peak_kb": 0, "calls": 0, "s": 0.0})
        if self.trace:
            row["_py_base"] = tracemalloc.get_traced_memory()[0]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._stack:
            self._charge(self._stack[-1])
        else:
            self._take_peak_kb()
        if name not in self.rows:
            self.order.append(name)
        self._open(name)
        row = self.rows[name]
        row["calls"] += 1
        row.setdefault("rss_in_kb", _status_kb("VmRSS"))
        if self.trace:
            row.setdefault("py_in_kb", tracemalloc.get_traced_memory()[0] // 1024)
        self._stack.append(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            row["s"] += time.perf_counter() - started
            self._charge(name)
            self._stack.pop()
            row["rss_out_kb"] = _status_kb("VmRSS")
            if self.trace:
                row["py_out_kb"] = tracemalloc.get_traced_memory()[0] // 1024
            if self._stack:
                self._open(self._stack[-1])

    def snapshot_top(self, label: str, limit: int) -> None:
        """The biggest Python allocation sites held now (``--tracemalloc``)."""
        if not self.trace or limit <= 0:
            return
        snap = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__)]
        )
        self.top[label] = [
            f"{stat.size / 1024:9.1f} KB {stat.count:7d} blocks  {stat.traceback[0].filename}:{stat.traceback[0].lineno}"
            for stat in snap.statistics("lineno")[:limit]
        ]

    def wrap(self, owner: Any, attr: str, name: str | None = None) -> None:
        """Charge every call of ``owner.attr`` (a module's function) to the stage ``name``."""
        func: Callable[..., Any] = getattr(owner, attr)
        label = name or attr

        @functools.wraps(func)
        def staged(*args: Any, **kwargs: Any) -> Any:
            with self.stage(label):
                return func(*args, **kwargs)

        setattr(owner, attr, staged)


def _instrument(meter: StageMeter) -> None:
    """Stage markers around the steps of ``analyze_landmarks`` (the modules' functions it calls)."""
    from formcheck import barbell, judging, kinematics, loops, pipeline, plates, rescan, trust

    for attr, name in (
        ("picture_cuts", "cuts"),
        ("drop_untrusted", "cleaning: drop untrusted"),
        ("check_usable", "quality checks"),
        ("clean_trusted", "cleaning: clean"),
        ("trust_warnings", "quality checks"),
        ("classify_shots", "shots and view"),
        ("posture_features", "lift detection"),
        ("classify_lift", "lift detection"),
        ("arm_variant", "lift detection"),
        ("hinge_bottom_hidden", "lift detection"),
        ("count_reps", "reps"),
        ("may_judge", "rules"),
        ("run_rules", "rules"),
        ("summarise", "summary"),
        ("versions", "summary"),
    ):
        meter.wrap(pipeline, attr, name)
    meter.wrap(kinematics, "compute", "kinematics")
    meter.wrap(trust, "assess", "trust")
    meter.wrap(trust, "behind_plate", "trust")
    meter.wrap(rescan, "bar_and_plates", "bar check + plate search")
    meter.wrap(barbell, "drop_reps_without_bar", "bar check")
    meter.wrap(plates, "find_plates", "plate search")
    meter.wrap(loops, "find_loops", "loops")
    meter.wrap(judging, "run_rules", "rules")


def run(args: argparse.Namespace) -> dict[str, Any]:
    meter = StageMeter(trace=args.tracemalloc, sample=args.sample)
    if args.tracemalloc:
        tracemalloc.start(args.frames)
    meter.start()
    base_kb = _status_kb("VmRSS")
    with meter.stage("imports"):
        from formcheck import greystore
        from formcheck.config import load_config
        from formcheck.pipeline import analyze_landmarks, estimate_pose
        from formcheck.quality import check_decoded
        from formcheck.report.json_report import write_json
        from formcheck.types import PoseSequence

        config = load_config()
    _instrument(meter)
    video = None if args.no_video else args.video
    log = FrameLog(args.by_frames)
    with greystore.for_second_pass(config.bar.max_side_px) as grey:
        if args.landmarks:
            with meter.stage("landmarks from file"):
                seq = PoseSequence.load_npz(args.landmarks)
            store = None
        else:
            with meter.stage("pose pass"):
                seq = estimate_pose(args.video, config, use_cache=False, progress=log, grey_store=grey)
                seq = check_decoded(seq, config)
            store = grey
            meter.snapshot_top("after the pose pass", args.top)
            if args.save_landmarks:
                seq.save_npz(args.save_landmarks)
        with meter.stage("judging (rest)"):
            analysis = analyze_landmarks(seq, config, video=video, grey=store)
        meter.snapshot_top("after the judging", args.top)
        with meter.stage("JSON report"), tempfile.TemporaryDirectory() as folder:
            write_json(analysis, Path(folder) / "report.json")
    meter.stop()
    frames = len(seq)
    del analysis, seq
    gc.collect()
    rows = []
    for name in meter.order:
        row = meter.rows[name]
        rows.append(
            {
                "stage": name,
                "calls": row["calls"],
                "s": round(row["s"], 3),
                "peak_mb": round(row["peak_kb"] / 1024, 1),
                "rss_in_mb": round(row["rss_in_kb"] / 1024, 1),
                "rss_out_mb": round(row["rss_out_kb"] / 1024, 1),
                **(
                    {
                        "py_peak_mb": round(row["py_peak_kb"] / 1024, 2),
                        "py_in_mb": round(row["py_in_kb"] / 1024, 2),
                        "py_out_mb": round(row["py_out_kb"] / 1024, 2),
                    }
                    if args.tracemalloc
                    else {}
                ),
            }
        )
    return {
        "video": args.video,
        "landmarks": args.landmarks,
        "frames": frames,
        "method": "VmHWM reset per stage" if meter.exact else f"VmRSS sampled every {SAMPLE_EVERY_S * 1000:.0f} ms",
        "start_rss_mb": round(base_kb / 1024, 1),
        "process_peak_mb": round(max(r["peak_kb"] for r in meter.rows.values()) / 1024, 1),
        "ru_maxrss_mb": round(_ru_maxrss_kb() / 1024, 1),
        "load": round(os.getloadavg()[0], 2),
        "stages": rows,
        "pose_pass_by_frames": [{k: round(v, 1) for k, v in row.items()} for row in log.rows],
        "top": meter.top,
    }


def _ru_maxrss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", help="the clip (also read by the bar check and plate search)")
    parser.add_argument("--landmarks", help="judge these cached landmarks (.npz) instead of running the pose pass")
    parser.add_argument("--save-landmarks", help="write the pose pass's landmarks here (.npz)")
    parser.add_argument("--no-video", action="store_true", help="judge without the video (no bar check, no plates)")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations per stage too")
    parser.add_argument("--frames", type=int, default=1, help="traceback depth kept by tracemalloc")
    parser.add_argument("--top", type=int, default=8, help="allocation sites listed (with --tracemalloc)")
    parser.add_argument("--sample", action="store_true", help="sample VmRSS in a thread instead of reading VmHWM")
    parser.add_argument(
        "--by-frames", type=int, default=0, help="during the pose pass, every N frames: the resident set, glibc's heaps"
    )
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    if args.landmarks and args.save_landmarks:
        parser.error("--landmarks and --save-landmarks exclude each other")
    out = run(args)
    print(f"{out['video']}: {out['frames']} frames ({out['method']}, load {out['load']})")
    py = args.tracemalloc
    head = f"{'stage':28s} {'calls':>5s} {'s':>7s} {'peak MB':>8s} {'rss in':>7s} {'out':>7s}"
    print(head + (f" {'py peak':>8s} {'py in':>7s} {'out':>7s}" if py else ""))
    for r in out["stages"]:
        line = f"{r['stage']:28s} {r['calls']:5d} {r['s']:7.2f} {r['peak_mb']:8.1f} {r['rss_in_mb']:7.1f} {r['rss_out_mb']:7.1f}"
        if py:
            line += f" {r['py_peak_mb']:8.2f} {r['py_in_mb']:7.2f} {r['py_out_mb']:7.2f}"
        print(line)
    print(f"process peak {out['process_peak_mb']} MB (ru_maxrss {out['ru_maxrss_mb']} MB)")
    if out["pose_pass_by_frames"]:
        print("\npose pass, after frame: resident set (glibc's heaps: taken from the system, of them free)")
        for row in out["pose_pass_by_frames"]:
            heap = f"  heaps {row['heap_mb']:6.1f} MB, free {row['heap_free_mb']:5.1f} MB" if "heap_mb" in row else ""
            print(f"  {int(row['frames']):5d}  {row['rss_mb']:6.1f} MB{heap}")
    for label, lines in out["top"].items():
        print(f"\nPython allocations held {label}:")
        print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
