"""Helpers of the web app's tests: form tokens, a signed-in coach, uploads, a PostgreSQL server and a live
``formcheck serve`` process that the tests start and stop themselves."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import LANDMARKS, ROOT

SAMPLES = ROOT / "sample_videos"
CLIP = SAMPLES / "hip_thrust_head_back.mp4"
CLIP_LANDMARKS = LANDMARKS / "hip_thrust_head_back.full.npz"
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def required() -> bool:
    """CI (CI or FORMCHECK_REQUIRE_SHARED=1): a missing Debian package fails the test instead of skipping it."""
    return os.environ.get("FORMCHECK_REQUIRE_SHARED") == "1" or bool(os.environ.get("CI"))


def missing(reason: str) -> None:
    if required():
        pytest.fail(reason + "; in CI (CI or FORMCHECK_REQUIRE_SHARED=1) this is a failure")
    pytest.skip(reason)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no form token on the page"
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign_up(client: Any, email: str = "coach@example.com", name: str = "Coach") -> str:
    """Sign a coach up on ``client`` (TestClient or httpx.Client); returns the session's form token."""
    page = client.get("/signup")
    token = csrf_of(page.text)
    r = client.post("/signup", data={"csrf_token": token, "email": email, "name": name, "password": PASSWORD})
    assert r.status_code in (200, 303), r.text
    return csrf_of(client.get("/").text)


def add_client(client: Any, csrf: str, name: str = "Alex") -> int:
    r = client.post("/clients", data={"csrf_token": csrf, "name": name}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def add_link(client: Any, csrf: str, client_id: int, days: int = 0) -> str:
    r = client.post(f"/clients/{client_id}/links", data={"csrf_token": csrf, "expires_days": str(days)})
    assert r.status_code in (200, 303), r.text
    urls = re.findall(
        r'class="linkurl" type="text" readonly value="[^"]*/u/([^"]+)"', client.get(f"/clients/{client_id}").text
    )
    assert urls, "no upload link on the client's page"
    return urls[-1]


def upload(
    http: Any,
    token: str,
    data: bytes,
    name: str = "set.mp4",
    lift: str = "auto",
    note: str = "",
    csrf: str | None = None,
) -> Any:
    """Upload ``data`` through the link ``token`` as the upload page does (form token from the page)."""
    if csrf is None:
        csrf = csrf_of(http.get(f"/u/{token}").text)
    return http.post(
        f"/u/{token}/upload",
        data={"csrf_token": csrf, "lift": lift, "note": note},
        files={"video": (name, data, "video/mp4")},
        headers={"Accept": "application/json"},
    )


# ----------------------------------------------------------------------------------------- PostgreSQL


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@dataclass
class Postgres:
    """A PostgreSQL server of Debian's binaries in a temporary folder (as ``postgres`` when run as root)."""

    bin: Path
    root: Path
    port: int
    counter: int = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        data = self.root / "data"
        r = self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        assert r.returncode == 0, r.stderr
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        r = self._run("pg_ctl", "-D", str(data), "-o", opts, "-l", str(self.root / "log"), "-w", "-t", "60", "start")
        assert r.returncode == 0, r.stderr + (self.root / "log").read_text(errors="replace")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        import psycopg

        self.counter += 1
        name = f"formcheck_test_{self.counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    binaries = postgres_bin()
    if binaries is None:
        missing("PostgreSQL is not installed (/usr/lib/postgresql/*/bin; make test installs it when run as root)")
        raise AssertionError("unreachable")
    root = Path(tempfile.mkdtemp(prefix="formcheck-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = Postgres(binaries, root, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# ----------------------------------------------------------------------------------------- a live server


@dataclass
class LiveServer:
    """``formcheck serve`` in a child process, on a free port of localhost."""

    data_dir: Path
    database_url: str
    env: dict[str, str]
    port: int = 0
    proc: subprocess.Popen[str] | None = None
    jobs: int = 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 60) -> LiveServer:
        self.port = self.port or free_port()
        cmd = [
            sys.executable, "-m", "formcheck", "serve", "--data-dir", str(self.data_dir),
            "--port", str(self.port), "--jobs", str(self.jobs),
        ]  # fmt: skip
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        log = open(self.data_dir.parent / f"server-{self.port}.log", "a")  # noqa: SIM115 - the child writes it
        self.proc = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server ended ({self.proc.returncode}): {self.log()}")
            try:
                if httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("the server did not answer: " + self.log())

    def log(self) -> str:
        path = self.data_dir.parent / f"server-{self.port}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server (its process group: uvicorn and the pool's workers), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def wait_status(http: Any, video_id: str, wanted: tuple[str, ...] = ("done", "failed"), timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    body: dict = {}
    while time.monotonic() < deadline:
        body = http.get(f"/videos/{video_id}/status", headers={"Accept": "application/json"}).json()
        if body.get("status") in wanted:
            return body
        time.sleep(0.25)
    raise AssertionError(f"video {video_id} did not reach {wanted}: {body}")
