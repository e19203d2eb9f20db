"""Running formcheck on a fault case and checking its promise.

:func:`run_cli` runs ``formcheck ARGS`` in a child process under a time limit: a fork of the test process
that calls :func:`formcheck.cli.main` (the console script's code, without paying the imports again for each
of the corpus's ~200 runs), its stdout and stderr in files, in its own process group (a batch's workers
with it) so that a case that hangs is killed whole and fails. :func:`run_console_script` runs the real
``python -m formcheck`` for the cases that check the entry point itself.

:func:`snapshot` records every file of a case's workspace (content hash, or what it is when it is not a
regular file: a pipe is never opened) so that a test can assert nothing but the outputs changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

#: What a run imports on its way, imported once here so that each forked child has it already (a child that
#: imported them itself would pay ~0.4 s per case).
WARM_MODULES = (
    "formcheck.cli",
    "formcheck.runner",
    "formcheck.pipeline",
    "formcheck.batch",
    "formcheck.report.console",
    "formcheck.report.json_report",
    "formcheck.report.csv_report",
    "formcheck.report.html",
    "formcheck.report.overlay",
    "rich.progress",
    "rich.table",
)
for _name in WARM_MODULES:
    importlib.import_module(_name)

ROOT = Path(__file__).resolve().parents[2]
#: PYTHONPATH entry whose sitecustomize installs the write-failure hook in every process (batch workers).
INJECT = Path(__file__).resolve().parent / "inject"
#: Names a staged write leaves while it runs: none may be left after a run.
TEMP_NAME = re.compile(r"(\.tmp$|\.part$|\.part\.mp4$|^\.formcheck-)")
#: What every one-line error looks like: "error: <problem>. <Fix, a sentence>".
ONE_LINE_ERROR = re.compile(r"^error: .+\. [A-Z(].+$")
#: A batch's line per finished video ("[2/5] failed a.mp4: …"), printed before any final error.
PROGRESS_LINE = re.compile(r"^\[\d+/\d+\] ")
#: Click's usage errors (a wrong option value): "Usage: …", "Try …", "Error: …".
USAGE_ERROR = re.compile(r"^Error: .+$", re.MULTILINE)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str
    seconds: float
    timed_out: bool


def _child(argv: list[str], cwd: Path, env: dict[str, str], inject: str | None, out_fd: int, err_fd: int) -> None:
    """In the forked child: become a process group, point stdout/stderr at the files, run the command, exit."""
    code = 99
    sys.settrace(None)  # the parent's coverage tracer: child processes are not measured, only slowed
    threading.settrace(None)  # type: ignore[arg-type]
    try:
        os.setpgid(0, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives until _exit
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        os.chdir(cwd)
        os.environ.update(env)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if inject:
            sys.path.insert(0, str(INJECT))
            import faultinject

            faultinject.install(inject)
        from formcheck.cli import main

        code = main(argv)
    except BaseException:  # noqa: BLE001 - whatever escapes is the finding: print it for the test to see
        traceback.print_exc()
        code = 99
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed or broken stream: the exit code still counts
                stream.flush()
        os._exit(code)


def run_cli(argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float, inject: str | None = None) -> Result:
    """``formcheck ARGV`` in a forked child, killed (with its process group) after ``timeout`` seconds."""
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        sys.stdout.flush()
        sys.stderr.flush()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            hook = {"PYTHONPATH": _pythonpath(), "FORMCHECK_TEST_FAIL_WRITES": inject} if inject else {}
            _child(argv, cwd, {**env, **hook}, inject, out_file.fileno(), err_file.fileno())
        timed_out = False
        status = 0
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > timeout:
                timed_out = True
                _kill_group(pid)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.01)
        _kill_group(pid)  # a worker left behind by the child is a finding too: it must not outlive the case
        seconds = time.monotonic() - started
        out_file.seek(0)
        err_file.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return Result(
            code=code,
            out=out_file.read().decode("utf-8", "replace"),
            err=err_file.read().decode("utf-8", "replace"),
            seconds=seconds,
            timed_out=timed_out,
        )


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _pythonpath() -> str:
    return os.pathsep.join(p for p in (str(INJECT), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


def run_console_script(argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> Result:
    """The real ``python -m formcheck ARGV`` (a new interpreter), under ``timeout``."""
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "formcheck", *argv],
            cwd=cwd,
            env={**os.environ, **env},
            capture_output=True,
            timeout=timeout,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired as exc:
        return Result(-9, _text(exc.stdout), _text(exc.stderr), time.monotonic() - started, True)
    return Result(proc.returncode, _text(proc.stdout), _text(proc.stderr), time.monotonic() - started, False)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[bytes, tuple]:
    """Every entry under ``root`` (links not followed, nothing but regular files read), except under ``skip``:
    relative path (bytes: names need not be UTF-8) -> (kind, content hash or link target, mode)."""
    skipped = {os.fsencode(p) for p in skip}
    found: dict[bytes, tuple] = {}
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
        for name in dirs + files:
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            info = os.lstat(path)
            rel = os.path.relpath(path, base)
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path), info.st_mode)
            elif stat.S_ISREG(info.st_mode):
                found[rel] = ("file", _sha256(path), info.st_mode)
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", None, info.st_mode)
            else:
                found[rel] = ("special", None, info.st_mode)
    return found


def _sha256(path: bytes) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def temp_files(root: Path) -> list[str]:
    """Names under ``root`` that a half-done write leaves behind."""
    left = []
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            if TEMP_NAME.search(name):
                left.append(os.path.join(folder, name))
    return left


def assert_clean_failure(result: Result, code: int, needles: tuple[str, ...], usage: bool = False) -> None:
    """A refusal: exit ``code``, no traceback, no "internal error", and one line naming the problem and the fix
    (click's usage errors: their ``Error:`` line; a batch's progress lines before it aside)."""
    text = result.out + result.err
    assert not result.timed_out, f"hung: killed after {result.seconds:.0f} s\n{text}"
    assert "Traceback" not in text and "internal error" not in text, text
    assert result.code == code, f"exit {result.code}, expected {code}\n{text}"
    lines = [line for line in result.err.splitlines() if line.strip() and not PROGRESS_LINE.match(line)]
    if usage:
        assert USAGE_ERROR.search(result.err), result.err
    else:
        assert len(lines) == 1, f"not one line:\n{result.err}"
        assert ONE_LINE_ERROR.match(lines[0]), f"no problem + fix sentence: {lines[0]!r}"
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in {result.err!r}"
