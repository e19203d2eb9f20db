"""What a worker process runs for one job: :func:`formcheck.runner.run_video` on the stored upload.

It writes ``analysis.json`` (the JSON report), ``annotated.mp4`` (the annotated video, H.264) and
``plots.json`` (the HTML report's SVG plots) into the video's folder, and returns a plain dict that a
process pool or Dask sends back: ``{"ok": True, "summary": {...}}`` or ``{"ok": False, "error": "one line"}``.
It never raises for a problem with the video.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from ..errors import FormcheckError

#: Test hook: a path; the worker analysing a video kills itself (SIGKILL) when that file does not exist yet,
#: after creating it with the video's path in it: the first analysis dies (one only, also when two start
#: together), a retry succeeds.
KILL_ENV = "FORMCHECK_WEB_TEST_KILL_WORKER"
#: Test hook: seconds a worker waits before each analysis (the restart test needs a job still running).
SLOW_ENV = "FORMCHECK_WEB_TEST_SLOW_S"
#: Test hook: a folder that orders the analyses for a test. Each analysis writes ``started-<pid>`` into it and
#: waits for the file ``go`` there; then the kill hook; an analysis that goes on waits for ``release`` there.
GATE_ENV = "FORMCHECK_WEB_TEST_GATE"
#: How long an analysis waits for a gate file at most (a test that never writes it must not leave workers)
GATE_TIMEOUT_S = 300.0

ANALYSIS_JSON = "analysis.json"
ANNOTATED = "annotated.mp4"
PLOTS_JSON = "plots.json"


def init_worker(parent: int) -> None:
    """Process pool initializer: ignore Ctrl-C (the server decides) and end when the server is gone, even
    after a SIGKILL (the parent process then changes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="formcheck-web-parent-watch").start()


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + GATE_TIMEOUT_S
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _test_hooks(source: str) -> None:
    slow = os.environ.get(SLOW_ENV)
    if slow:
        time.sleep(float(slow))
    gate = os.environ.get(GATE_ENV)
    if gate:
        tmp = Path(gate) / f".started-{os.getpid()}.tmp"  # whole when it appears: the test reads it at once
        tmp.write_text(source)
        tmp.replace(Path(gate) / f"started-{os.getpid()}")
        _wait_for(Path(gate) / "go")
    marker = os.environ.get(KILL_ENV)
    if marker:
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            pass
        else:
            os.write(fd, source.encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
    if gate:
        _wait_for(Path(gate) / "release")


def summarise(analysis: Any) -> dict[str, Any]:
    """What the client's history shows of one set: lift, reps, range of motion, flagged reps per rule."""
    flags: dict[str, int] = {}
    for rule, reps in analysis.summary.flagged_reps.items():
        flags[rule] = len(reps)
    rom = [round(float(r.rom_deg), 1) for r in analysis.reps if r.rom_deg is not None and r.rom_deg == r.rom_deg]
    return {
        "lift": analysis.exercise.label,
        "view": analysis.view.label,
        "judged": bool(analysis.judged),
        "not_judged_reason": analysis.not_judged_reason,
        "reps": len(analysis.reps),
        "rom_deg": rom,
        "rom_mean_deg": round(sum(rom) / len(rom), 1) if rom else None,
        "flagged_reps": len({f.rep for f in analysis.flagged() if f.rep is not None}),
        "flags": dict(sorted(flags.items())),
        "duration_s": round(float(analysis.video.duration_s), 2),
    }


def _plots(analysis: Any) -> list[dict[str, str]]:
    from ..report.html import build_context

    context = build_context(analysis, Path("plots.html"))
    return [{"name": p["name"], "title": p["title"], "note": p["note"], "svg": str(p["svg"])} for p in context["plots"]]


def analyse(source: str, out_dir: str, lift: str) -> dict[str, Any]:
    """Analyse the video ``source`` into ``out_dir``; ``lift``: ``auto`` or a lift id."""
    from ..config import load_config
    from ..runner import Outputs, run_video

    _test_hooks(source)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        analysis = run_video(
            source,
            load_config(),
            Outputs(json=out / ANALYSIS_JSON, video=out / ANNOTATED),
            exercise=None if lift == "auto" else lift,
        )
        tmp = out / f"{PLOTS_JSON}.tmp"
        tmp.write_text(json.dumps(_plots(analysis)))
        tmp.replace(out / PLOTS_JSON)
        return {"ok": True, "summary": summarise(analysis)}
    except FormcheckError as exc:
        return {"ok": False, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - a job records its failure; the server goes on
        if os.environ.get("FORMCHECK_DEBUG"):
            traceback.print_exc()
        return {"ok": False, "error": f"internal error: {exc.__class__.__name__}: {exc}".splitlines()[0]}
