"""Batch analysis of a folder of videos: in parallel on one machine, or on a Dask cluster.

``run_batch`` (``formcheck.analyze_folder``, ``formcheck batch``) finds the videos under a folder by
their content, analyses each one in a worker process, and writes each video's reports into a
mirrored folder structure plus ``summary.csv``, ``summary.json`` and ``index.html``.

* Resumable and idempotent: a finished video gets a ``<name>.done`` manifest holding its result key
  (video content hash + effective config, which includes the pose model and the profile, + forced lift +
  formcheck version + report schema). A re-run skips videos whose manifest matches; ``force`` redoes them.
  Every file is written under a temporary name and renamed, and the manifest is written last, so an
  interrupted run never leaves a half-written result that counts as complete.
* The landmark cache (:mod:`formcheck.cache`) is shared with ``formcheck analyze``: re-judging a folder
  with another profile skips the pose model.
* Failures are data: a corrupt, unreadable or personless video is a ``failed`` row with its one-line
  reason; files that are not videos, and what is not a regular file (a named pipe, a socket, a device:
  never opened), are ``skipped`` rows. A worker process that dies costs only the video it was working on,
  which is retried once.
* Interrupts stop the queue: Ctrl-C (SIGINT) or SIGTERM cancels what has not started, ends the worker
  processes, writes the summary of what finished (the rest ``interrupted``) and raises
  :class:`BatchInterrupted` (exit 130 / 143). Workers also end on their own when the main process is gone
  (even after SIGKILL): each one watches its parent.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import stat
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .analysis import SCHEMA_VERSION
from .config import Config, PoseConfig, load_config
from .errors import ConfigError, FormcheckError, InputError, OutputError, StillImageError
from .runner import Outputs, run_video

#: File extensions of video containers: only used to call an *empty* file a failed video
#: instead of a skipped non-video. Everything else is decided by content.
VIDEO_EXTENSIONS = {
    ".mp4",
    ".m4v",
    ".mov",
    ".qt",
    ".mkv",
    ".webm",
    ".avi",
    ".mts",
    ".m2ts",
    ".ts",
    ".3gp",
    ".3g2",
    ".wmv",
    ".asf",
    ".flv",
    ".mpg",
    ".mpeg",
    ".ogv",
}
ENGINES = ("local", "dask")
SUMMARY_FIELDS = [
    "path",
    "status",
    "lift",
    "view",
    "judged",
    "reps",
    "flagged_reps",
    "reps_pass",
    "reps_warn",
    "reps_fault",
    "lift_confidence",
    "view_confidence",
    "flag_confidence_min",
    "frames",
    "duration_s",
    "processing_s",
    "analysis_s",
    "pose_source",
    "error",
    "note",
    "report",
    "video",
]
#: Columns of summary.csv before the ``flagged:<rule>`` ones.
_LEADING_FIELDS = 13
#: Test hook: ``NAME`` makes the worker analysing file NAME kill itself; ``NAME@MARKER`` only while
#: the file MARKER does not exist (it is created first), i.e. once.
CRASH_ENV = "FORMCHECK_TEST_KILL_WORKER"
#: Test hook: seconds every worker waits before analysing each video (interrupt tests need a batch that
#: is still running when the signal comes).
SLOW_ENV = "FORMCHECK_TEST_SLOW_S"
#: How often (seconds) a worker process checks that the batch's main process is still there.
PARENT_POLL_S = 0.5


class BatchInterrupted(FormcheckError):
    """The batch was stopped by a signal; the summary of what finished was written. Exit code 128 + signal."""

    def __init__(self, signum: int, finished: int, total: int, summary: Path) -> None:
        self.exit_code = 128 + signum
        name = signal.Signals(signum).name
        super().__init__(
            f"interrupted ({name}) with {finished} of {total} videos analysed; the summary of what finished is in {summary}",
            "Run the same command again to analyse the rest (finished videos are not redone)",
        )


# ----------------------------------------------------------------------------------------- discovery


def _looks_like_container(head: bytes) -> bool:
    """Magic bytes of the common video containers (a damaged video still starts with them)."""
    return (
        head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
        or head.startswith(b"\x1a\x45\xdf\xa3")  # Matroska / WebM
        or (head.startswith(b"RIFF") and head[8:12] == b"AVI ")
        or (len(head) > 188 and head[0] == 0x47 and head[188] == 0x47)  # MPEG-TS
        or head.startswith(
            (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3", b"FLV", b"OggS", b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")
        )
    )


def classify(path: Path) -> tuple[str, Any]:
    """("video", VideoMeta) | ("skipped", reason) | ("failed", reason), decided by content."""
    from .video import probe

    try:
        meta = probe(path, with_hash=False)
    except StillImageError as exc:
        return "skipped", exc.problem.removeprefix(f"{path} is ")
    except InputError as exc:
        try:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                head = handle.read(200)
        except OSError:
            return "failed", str(exc)  # gone, a dangling link, unreadable: the probe said which
        if size == 0:
            return ("failed", str(exc)) if path.suffix.lower() in VIDEO_EXTENSIONS else ("skipped", "empty file")
        if "no video stream" in exc.problem:
            return "skipped", "no video stream (audio or other media)"
        if _looks_like_container(head):
            return "failed", str(exc)
        return "skipped", "not a video"
    return "video", meta


def _regular(path: Path) -> bool | None:
    """Whether ``path`` (links followed) is a regular file; None when it cannot be looked at (the probe says why).
    Named pipes, sockets and devices are never opened: reading a pipe waits for a writer for ever."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return None


def discover(input_dir: Path, exclude: Iterable[Path] = ()) -> list[tuple[Path, str, Any]]:
    """Every non-hidden file under ``input_dir`` (sorted) with its classification."""
    excluded = {Path(p).resolve() for p in exclude}
    found = []
    for root, dirs, files in os.walk(input_dir):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (root_path / d).resolve() not in excluded)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = root_path / name
            if _regular(path) is False:
                found.append((path, "skipped", "not a regular file (a named pipe, socket or device)"))
                continue
            found.append((path, *classify(path)))
    return found


# ----------------------------------------------------------------------------------------- keys and files


def result_key(video_sha256: str, config: Config, exercise: str | None, view: str | None = None) -> str:
    """What makes a result reusable: the video's content, the effective config, the lift and view, the version."""
    forced = {"view": view} if view is not None else {}  # keys of runs without --view stay as they were
    blob = json.dumps(
        {
            **forced,
            "video": video_sha256,
            "config": config.to_dict(),
            "exercise": exercise,
            "formcheck": __version__,
            "schema": SCHEMA_VERSION,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


#: Names in the output folder's top level that a video's reports (``NAME.json``, ``.csv``, ``.html``, ``.done``) or
#: its mirrored folder would take from the batch's own ``summary.csv``, ``summary.json`` and ``index.html``.
_OWN_NAMES = frozenset({"summary", "index", "summary.csv", "summary.json", "index.html"})


def report_base(output_dir: Path, rel: str) -> Path:
    """Where the reports of the video at ``rel`` (relative to the input folder) go, without their extension.

    The output folder mirrors the input folder, except that a top-level name that would collide with the
    batch's own files (a video ``summary`` or ``index``, a folder ``index.html``; any case) gets a ``_``
    appended. So that no two videos meet, a name that already is such a name plus underscores
    (``summary_``) gets one more.
    """
    first, *rest = rel.split("/")
    if first.rstrip("_").casefold() in _OWN_NAMES:
        first += "_"
    parts = [first, *rest]
    parts[-1] = _fitting_name(parts[-1])
    return output_dir.joinpath(*parts)


#: Longest ending a video's report name gets (``NAME.annotated.mp4``).
_LONGEST_SUFFIX = len(".annotated.mp4")
#: Most bytes in one file name on the usual file systems (ext4, XFS, APFS, NTFS in UTF-16 units).
NAME_MAX_BYTES = 255


def _fitting_name(name: str) -> str:
    """``name``, or when its reports' names would be too long for the file system, its first bytes plus ``~``
    and a hash of the whole name (one-to-one in practice; the summary row keeps the full name)."""
    raw = os.fsencode(name)
    if len(raw) + _LONGEST_SUFFIX <= NAME_MAX_BYTES:
        return name
    digest = hashlib.sha256(raw).hexdigest()[:12]
    keep = raw[: NAME_MAX_BYTES - _LONGEST_SUFFIX - len(digest) - 1]
    return os.fsdecode(keep.decode("utf-8", "ignore").encode("utf-8") if _utf8(raw) else keep) + "~" + digest


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _outputs(base: Path, csv_out: bool, html_out: bool) -> Outputs:
    """A video's reports: ``NAME.json`` always, ``NAME.csv`` when asked, and with ``html_out`` ``NAME.html`` and
    the annotated video it plays, ``NAME.annotated.mp4`` (as ``formcheck analyze --html`` writes them)."""
    return Outputs(
        json=Path(f"{base}.json"),
        csv=Path(f"{base}.csv") if csv_out else None,
        html=Path(f"{base}.html") if html_out else None,
        video=Path(f"{base}.annotated.mp4") if html_out else None,
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file (:func:`formcheck.report.files.write_text`)."""
    from .report.files import write_text

    write_text(path, text)


def _read_done(base: Path, key: str, csv_out: bool, html_out: bool) -> dict | None:
    """The stored summary row when this video's result with ``key`` is complete, else None."""
    try:
        manifest = json.loads(Path(f"{base}.done").read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("key") != key or not all(
        p.exists() for p in _outputs(base, csv_out, html_out).requested().values()
    ):
        return None
    return manifest.get("row")


# ----------------------------------------------------------------------------------------- the worker


class _WorkerEstimator:
    """A worker's pose estimator for one set of pose settings, kept across its videos.

    The model file is found and checked once, on the first video whose landmarks are not in the cache
    (a re-judging run never needs it); ``MediaPipeEstimator`` makes a fresh VIDEO-mode landmarker for
    every video (timestamps restart at 0). ``runs`` counts the videos it estimated.
    """

    def __init__(self, pose: PoseConfig) -> None:
        self.pose, self.name, self.runs = pose, pose.model, 0
        self._model: Any = None

    def estimate(self, frames: Iterable[Any], meta: Any, progress: Callable[[int], None] | None = None) -> Any:
        if self._model is None:
            from .pose import MediaPipeEstimator, PoseOptions

            self._model = MediaPipeEstimator(PoseOptions.from_config(self.pose))
        self.runs += 1
        return self._model.estimate(frames, meta, progress)


_ESTIMATORS: dict[PoseConfig, _WorkerEstimator] = {}


def _estimator(config: Config) -> _WorkerEstimator:
    """This worker process's estimator for ``config``'s pose settings."""
    return _ESTIMATORS.setdefault(config.pose, _WorkerEstimator(config.pose))


def _maybe_slow() -> None:
    seconds = os.environ.get(SLOW_ENV)
    if seconds:
        time.sleep(float(seconds))


def _maybe_crash(name: str) -> None:
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    target, _, marker = spec.partition("@")
    if target != name:
        return
    if marker:
        if Path(marker).exists():
            return
        Path(marker).touch()
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _base_row(task: dict) -> dict:
    return {
        "path": task["rel"],
        "status": "failed",
        "lift": "",
        "view": "",
        "judged": "",
        "reps": "",
        "flagged_reps": "",
        "reps_pass": "",
        "reps_warn": "",
        "reps_fault": "",
        "lift_confidence": "",
        "view_confidence": "",
        "flag_confidence_min": "",
        "flags": {},
        "frames": "",
        "duration_s": "",
        "processing_s": "",
        "analysis_s": "",
        "pose_source": "",
        "error": "",
        "note": task.get("note", ""),
        "report": "",
        "video": "",
        "reports": {},
        "key": task.get("key", ""),
        "resumed": False,
    }


def process_one(task: dict, job: dict) -> dict:
    """Analyse one video and write its reports; returns its summary row. Never raises.

    ``task``: path, rel, base (output path without extension), sha256, key.
    ``job``: config, exercise, view, csv, html, use_cache, out_root.
    """
    started = time.perf_counter()
    row = _base_row(task)
    config: Config = job["config"]
    estimator = _estimator(config)
    runs = estimator.runs
    seen: dict[str, Any] = {"frames": 0}

    def on_meta(meta: Any) -> None:
        seen["meta"] = meta

    def progress(n: int) -> None:  # pose frames done: one by one from the model, all at once from the cache
        seen["frames"] += n
        row.update(
            frames=seen["frames"],
            duration_s=round(seen["meta"].duration_s, 2),
            pose_source="model" if estimator.runs > runs else "cache",
        )

    try:
        _maybe_slow()
        _maybe_crash(Path(task["path"]).name)
        base = Path(task["base"])
        outs = _outputs(base, job["csv"], job["html"])
        analysis = run_video(
            task["path"],
            config,
            outs,
            exercise=job["exercise"],
            view=job.get("view"),
            estimator=estimator,
            use_cache=job["use_cache"],
            progress=progress,
            on_meta=on_meta,
        )
        flags: dict[str, int] = {}
        new = {r.index for r in analysis.reps if r.repeat_of is None}  # a rep replayed by looping footage: once
        for finding in analysis.flagged():
            if finding.rep in new:
                flags[finding.rule] = flags.get(finding.rule, 0) + 1
        root = Path(job["out_root"])
        row.update(
            status="ok",
            lift=analysis.exercise.label,
            view=analysis.view.label,
            judged=analysis.judged,
            reps=len(analysis.reps),
            flagged_reps=len({f.rep for f in analysis.flagged() if f.rep in new}),
            flags=dict(sorted(flags.items())),
            note=analysis.not_judged_reason if not analysis.judged else row["note"],
            reports={k: p.relative_to(root).as_posix() for k, p in outs.requested().items()},
        )
        row["report"] = row["reports"].get("html", row["reports"]["json"])
        row["video"] = row["reports"].get("video", "")
        row.update(_verdict_counts(analysis))
        row["duration_s"] = round(analysis.video.duration_s, 2)  # what was decoded
        for warning in analysis.warnings:
            if warning.code == "truncated":  # a video cut short: the row says what its verdicts cover
                row["note"] = (row["note"] + "; " if row["note"] else "") + warning.message
        row["processing_s"] = round(time.perf_counter() - started, 3)
        _write_atomic(Path(f"{base}.done"), json.dumps({"key": task["key"], "row": row}, indent=1) + "\n")
    except FormcheckError as exc:
        row.update(status="failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad video must not end the batch
        if os.environ.get("FORMCHECK_DEBUG"):
            traceback.print_exc()
        row.update(status="failed", error=f"internal error: {exc.__class__.__name__}: {exc}")
    if row["status"] != "ok":
        row["processing_s"] = round(time.perf_counter() - started, 3)
    return row


def _verdict_counts(analysis: Any) -> dict[str, Any]:
    """A video's distinct reps by verdict (passed, worst a warning, worst a FAULT; not judged: none of them), how sure the
    lift and view are, the least sure flag, and the analysis's own time (pose from model or cache + judging)."""
    new = [rep for rep in analysis.reps if rep.repeat_of is None]  # a rep replayed by looping footage counts once
    verdicts = [analysis.rep_verdict(rep.index) for rep in new] if analysis.judged else []
    confidences = [f.confidence for f in analysis.flagged() if f.confidence is not None]
    return {
        "reps_pass": verdicts.count("pass"),
        "reps_warn": verdicts.count("warn"),
        "reps_fault": verdicts.count("fault"),
        "lift_confidence": round(float(analysis.exercise.confidence), 2),
        "view_confidence": round(float(analysis.view.confidence), 2),
        "flag_confidence_min": round(min(confidences), 2) if confidences else "",
        "analysis_s": analysis.timings.get("total_s", ""),
    }


# ----------------------------------------------------------------------------------------- engines

_STARTED = None


def _watch_parent(parent: int) -> None:
    """End this worker process when the batch's main process is gone (killed, even by SIGKILL): its
    parent then changes."""
    while True:
        time.sleep(PARENT_POLL_S)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker(started_queue, parent: int) -> None:
    global _STARTED
    _STARTED = started_queue
    # Ctrl-C reaches every process of the terminal's group: the main process alone decides what stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="formcheck-parent-watch").start()


def _pool_task(task: dict, job: dict) -> dict:
    if _STARTED is not None:
        _STARTED.put(task["index"])  # synchronous: seen by the parent even if this process is killed next
    return process_one(task, job)


def _died(task: dict, times: int) -> dict:
    row = _base_row(task)
    row["error"] = (
        f"the worker process died while analysing this video ({times} times; killed by the "
        "operating system, e.g. out of memory?)"
    )
    return row


class _Stop:
    """While active (in the main thread): SIGINT and SIGTERM are recorded in ``signum`` instead of raising or
    ending the process, so the engine can stop its pool and the summary still be written."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._old: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: Any) -> None:
        self.signum = self.signum or signum

    def __enter__(self) -> _Stop:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


def _end_pool(pool: Any) -> None:
    """Cancel what has not started and end the pool's worker processes now (SIGTERM, then SIGKILL)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # the executor has no public way to end them
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + 5.0
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(1.0)


def _run_local(
    tasks: list[dict], job: dict, jobs: int, on_done: Callable[[dict], None], stop: _Stop | None = None
) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("spawn")  # no fork of a process with threads (the progress display)
    pending = {t["index"]: t for t in tasks}
    strikes: dict[int, int] = {}
    empty_rounds = 0
    while pending:
        queue = ctx.SimpleQueue()
        started: set[int] = set()
        broken = False
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(jobs, len(pending))),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(queue, os.getpid()),
        )
        waiting: set[Any] = set()
        try:
            futures = {pool.submit(_pool_task, t, job): i for i, t in pending.items()}
            waiting = set(futures)
            while waiting and not (stop and stop.signum):
                done, waiting = wait(waiting, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    index = futures[future]
                    try:
                        row = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        row = _base_row(pending[index])
                        row["error"] = f"internal error: {exc.__class__.__name__}: {exc}"
                    if strikes.get(index):
                        row["note"] = (
                            row["note"] + "; " if row["note"] else ""
                        ) + "retried after its worker process died"
                    del pending[index]
                    on_done(row)
        finally:
            if stop and stop.signum or waiting:
                _end_pool(pool)
            else:
                pool.shutdown(wait=True)
        if stop and stop.signum:
            queue.close()
            return
        while not queue.empty():
            started.add(queue.get())
        queue.close()
        if not broken:
            continue
        victims = [i for i in pending if i in started]
        empty_rounds = 0 if victims else empty_rounds + 1
        for index in victims:
            strikes[index] = strikes.get(index, 0) + 1
            if strikes[index] >= 2:
                on_done(_died(pending.pop(index), strikes[index]))
        if empty_rounds >= 3:
            for index in list(pending):
                row = _base_row(pending.pop(index))
                row["error"] = "worker processes could not start (see the messages above)"
                on_done(row)


def _run_dask(tasks: list[dict], job: dict, jobs: int, on_done: Callable[[dict], None], scheduler: str | None) -> None:
    try:
        import dask
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ConfigError(
            "--engine dask needs Dask distributed, which is not installed",
            "Install it with: pip install 'formcheck[cluster]'",
        ) from None
    import uuid

    cluster = None
    # A task whose worker died is retried once on another worker, like the local engine.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {scheduler} ({exc})",
                    "Start it with 'dask scheduler' and check the address and port",
                ) from None
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    try:
        run = uuid.uuid4().hex[:8]
        futures = {
            client.submit(process_one, t, job, key=f"formcheck-{run}-{t['index']}", pure=False): t for t in tasks
        }
        for future in as_completed(list(futures)):
            task = futures[future]
            try:
                row = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker and friends: this video only
                row = _died(task, 2) if exc.__class__.__name__ == "KilledWorker" else _base_row(task)
                if exc.__class__.__name__ != "KilledWorker":
                    row["error"] = f"internal error: {exc.__class__.__name__}: {exc}"
            on_done(row)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ----------------------------------------------------------------------------------------- summary


def _csv_rows(rows: list[dict]) -> tuple[list[str], list[dict]]:
    rules = sorted({rule for row in rows for rule in row.get("flags", {})})
    fields = SUMMARY_FIELDS[:_LEADING_FIELDS] + [f"flagged:{r}" for r in rules] + SUMMARY_FIELDS[_LEADING_FIELDS:]
    out = []
    for row in rows:
        flat = {k: row.get(k, "") for k in SUMMARY_FIELDS}
        for rule in rules:
            flat[f"flagged:{rule}"] = row.get("flags", {}).get(rule, 0) if row["status"] == "ok" else ""
        out.append({k: _csv_cell(v) for k, v in flat.items()})
    return fields, out


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """``value`` for summary.csv: text that a spreadsheet would run as a formula gets a leading ``'``."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _href(rel: str) -> str:
    """A link to a report by its relative path: percent-encoded and starting with ``./``, so that no
    file name (``javascript:…``, ``//host/…``, ``a#b``, ``a?b``) can make it another kind of URL. The bytes
    of a name that is not UTF-8 are encoded as they are on disk (``%FF``)."""
    from urllib.parse import quote

    return "./" + quote(os.fsencode(rel))


def _shown(value: Any) -> Any:
    """``value`` (a row, or any text in it) as it can be written out: the bytes of a file name that are not
    UTF-8 (surrogates in Python) become ``\\xNN`` escapes."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def _lift_name(label: str) -> str:
    """``hip_thrust`` -> "hip thrust" (the lift's name for people; the code itself when it is unknown)."""
    from .exercises import LIFTS

    lift = LIFTS.get(label) if label else None
    return lift.name if lift is not None else label


def _index_html(rows: list[dict], title: str, config: Config) -> str:
    """``index.html``: the summary table, linking every report (``report/templates/index.html.j2``)."""
    from jinja2 import Environment, PackageLoader

    from .report.words import rule_title

    env = Environment(
        loader=PackageLoader("formcheck", "report/templates"),
        autoescape=True,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["href"] = _href
    env.filters["lift_name"] = _lift_name
    env.filters["rule_title"] = rule_title
    return env.get_template("index.html.j2").render(
        rows=rows,
        counts={s: sum(r["status"] == s for r in rows) for s in ("ok", "failed", "skipped", "interrupted")},
        title=title,
        version=__version__,
        profile=config.profile,
        model=config.pose.model,
    )


def write_summary(rows: list[dict], output_dir: Path, title: str, config: Config) -> None:
    """``summary.json``, ``summary.csv`` and ``index.html``; names that are not UTF-8 are shown with ``\\xNN``
    escapes (:func:`_shown`), the links of ``index.html`` keep their bytes."""
    from .report.files import make_folder, staged
    from .report.json_report import dumps

    make_folder(output_dir)
    links = [(row.get("report", ""), row.get("video", "")) for row in rows]  # by their bytes, for href
    rows = [_shown(row) for row in rows]
    title = _shown(title)
    _write_atomic(
        output_dir / "summary.json",
        dumps({"formcheck": __version__, "profile": config.profile, "model": config.pose.model, "videos": rows}) + "\n",
    )
    fields, flat = _csv_rows(rows)
    with staged(output_dir / "summary.csv") as tmp, tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(flat)
    _write_atomic(
        output_dir / "index.html",
        _index_html([{**row, "report": rep, "video": vid} for row, (rep, vid) in zip(rows, links)], title, config),
    )


# ----------------------------------------------------------------------------------------- progress


def video_line(row: dict, done: int, total: int) -> str:
    """``[3/12] ok gym/set1.mp4: hip thrust, 4 reps (3 pass, 1 FAULT), 2.1 s`` or the failure's reason."""
    name = _shown(row["path"])
    if row["status"] != "ok":
        return f"[{done}/{total}] {row['status']} {name}: {_shown(row['error'] or row['note'])}"
    counts = ", ".join(
        f"{row[key]} {word}"
        for key, word in (("reps_pass", "pass"), ("reps_warn", "warn"), ("reps_fault", "FAULT"))
        if row.get(key)
    )
    what = f"{_lift_name(row['lift'])}, {row['reps']} rep{'s' if row['reps'] != 1 else ''}"
    return f"[{done}/{total}] ok {name}: {what}{f' ({counts})' if counts else ''}, {row['processing_s']:.1f} s"


class _Display:
    """Progress on a rich console: a line per video as it finishes (:func:`video_line`), and on a terminal a live
    bar of videos done/total, frames/s, ETA and failures."""

    def __init__(self, console, total_videos: int, total_frames: int) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[cyan]batch[/]"),
            BarColumn(),
            TextColumn("{task.fields[text]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.total_videos, self.done, self.failed, self.frames = total_videos, 0, 0, 0
        self.started = time.perf_counter()
        self.task = self.progress.add_task("batch", total=max(total_frames, 1), text=self._text())

    def _text(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        failed = f" · [red]{self.failed} failed[/]" if self.failed else ""
        return f"{self.done}/{self.total_videos} videos · {self.frames / elapsed:.0f} frames/s{failed}"

    def update(self, row: dict, expected_frames: int) -> None:
        self.done += 1
        self.failed += row["status"] == "failed"
        self.frames += row["frames"] if isinstance(row["frames"], int) else 0
        self.progress.update(self.task, advance=expected_frames, text=self._text())
        # one plain line per video, above the bar on a terminal, alone in a log or a pipe (no bar there)
        self.progress.console.print(
            video_line(row, self.done, self.total_videos), markup=False, highlight=False, soft_wrap=True
        )

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)


# ----------------------------------------------------------------------------------------- entry point


def run_batch(
    input_dir: str | Path,
    output_dir: str | Path,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    profile: str | None = None,
    model: str | None = None,
    exercise: str | None = None,
    view: str | None = None,
    csv: bool = False,
    html: bool = False,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    use_cache: bool = True,
    console=None,
) -> list[dict]:
    """Analyse every video under ``input_dir``; returns the summary rows (one per file, sorted by path).

    ``config`` or (``config_path``, ``profile``, ``model``) choose the thresholds and pose model as for
    ``formcheck analyze``. ``jobs`` worker processes (default: the CPU count); ``engine="dask"`` runs on a
    Dask cluster (``scheduler`` address, else a local cluster of ``jobs`` workers). ``console``: a rich
    Console for the live progress display (None: silent).
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise InputError(f"{input_dir} is not a folder", "Give the folder that holds the videos")
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine '{engine}'", f"Use one of: {', '.join(ENGINES)}")
    if config is None:
        config = load_config(config_path, profile, {"pose.model": model} if model else {})
    if exercise == "auto":
        exercise = None
    if view == "auto":
        view = None
    if html:
        try:
            from .report.html import write_html  # noqa: F401
        except ImportError:
            raise ConfigError(
                "HTML reports are not available in this formcheck installation", "Leave out --html"
            ) from None
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    _prepare_output(output_dir)

    rows: list[dict] = []
    tasks: list[dict] = []
    stop = _Stop()
    from .video import file_sha256

    for path, kind, info in discover(input_dir, exclude=[output_dir]):
        rel = path.relative_to(input_dir).as_posix()
        if kind != "video":
            row = _base_row({"rel": rel})
            row["status"] = kind
            row["error" if kind == "failed" else "note"] = info
            rows.append(row)
            continue
        sha = file_sha256(path)
        key = result_key(sha, config, exercise, view)
        base = report_base(output_dir, rel)
        done = None if force else _read_done(base, key, csv, html)
        if done is not None:
            done["resumed"] = True
            rows.append(done)
            continue
        tasks.append(
            {
                "index": len(tasks),
                "path": str(path.resolve()),
                "rel": rel,
                "base": str(base.resolve()),
                "sha256": sha,
                "key": key,
                "n_frames": info.n_frames,
            }
        )

    job = {
        "config": config,
        "exercise": exercise,
        "view": view,
        "csv": csv,
        "html": html,
        "use_cache": use_cache,
        "out_root": str(output_dir.resolve()),
    }
    if tasks:
        expected = {t["rel"]: t["n_frames"] for t in tasks}
        display = _Display(console, len(tasks), sum(expected.values())) if console is not None else None

        def on_done(row: dict) -> None:
            rows.append(row)
            if display is not None:
                display.update(row, expected.get(row["path"], 0))

        if display is not None:
            display.__enter__()
        try:
            if engine == "dask":
                _run_dask(tasks, job, jobs, on_done, scheduler)
            else:
                with stop:
                    _run_local(tasks, job, jobs, on_done, stop)
        finally:
            if display is not None:
                display.__exit__(None, None, None)
            if stop.signum is not None:  # what did not finish: an ``interrupted`` row each
                finished = {row["path"] for row in rows}
                for task in tasks:
                    if task["rel"] in finished:
                        continue
                    # A worker may have written a video's result and manifest just before the interrupt,
                    # before its row reached this process: that video finished, and its row says so.
                    done = _read_done(Path(task["base"]), task["key"], csv, html)
                    if done is not None:
                        rows.append(done)
                        continue
                    row = _base_row(task)
                    row.update(status="interrupted", note="not analysed: the batch was interrupted")
                    rows.append(row)
    rows.sort(key=lambda r: r["path"])
    write_summary(rows, output_dir, str(input_dir), config)
    if stop.signum is not None:
        unfinished = sum(r["status"] == "interrupted" for r in rows)
        raise BatchInterrupted(stop.signum, len(tasks) - unfinished, len(tasks), output_dir / "summary.csv")
    return rows


def _prepare_output(output_dir: Path) -> None:
    """Create the output folder, or refuse in one line before any video is analysed: a file in its place
    (exit 2), or a folder this process cannot write (exit 5; no summary could be written there)."""
    from .report.files import make_folder

    if output_dir.exists() and not output_dir.is_dir():
        raise ConfigError(f"--output {output_dir} is a file, not a folder", "Give a folder for the reports")
    make_folder(output_dir)
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write in the output folder {output_dir} (read-only or not yours)",
            "Give an output folder you can write to",
        )


def analyze_folder(input_dir: str | Path, output_dir: str | Path, **options: Any) -> list[dict]:
    """Public API: :func:`run_batch` (same options); returns one summary row (a dict) per file."""
    return run_batch(input_dir, output_dir, **options)
