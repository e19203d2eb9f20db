"""Load test of the coach web app on localhost: many clients uploading at once, then page views.

Usage: python bench/bench_web.py [--uploads 30] [--views 200] [--jobs 2] [--database-url URL]
                                 [--out bench/web_results.json] [--doc docs/PERFORMANCE.md]

Starts ``formcheck serve`` on a free port with a fresh data folder (SQLite unless ``--database-url``),
signs a coach up, makes a client and an upload link, then

1. ``--uploads`` clients upload the sample clip at the same moment (one thread and connection each, each
   with its own form token, as separate phones would),
2. ``--views`` page views by 10 concurrent browsers of the coach: home, the client's page, review pages,
   job status, the upload page,
3. waits until the job queue has drained and checks that nothing was lost: every upload accepted, listed
   under the link, analysed (``done``), with its video on disk.

Prints and saves latencies (p50, p95, max) and, with ``--doc``, writes them into the "Web app under load"
section of that file. The landmark cache is seeded with the clip's stored landmarks, so the analyses skip
the pose model (the annotated video is still encoded for every upload): the test is of the web app and the
queue, not of MediaPipe. Never asserted as a timed test: ``tests/web/test_load.py`` runs it for its
"nothing lost, queue drains" checks only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "sample_videos" / "hip_thrust_head_back.mp4"
CLIP_LANDMARKS = ROOT / "tests" / "data" / "landmarks" / "hip_thrust_head_back.full.npz"
PASSWORD = "load-test-password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECTION = "## Web app under load"


def _csrf(html: str) -> str:
    found = _CSRF.search(html)
    if not found:
        raise RuntimeError("no form token on the page")
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_cache(cache: Path) -> None:
    """The sample clip's stored landmarks in the landmark cache ``cache``."""
    os.environ["FORMCHECK_CACHE"] = str(cache)
    from formcheck import cache as landmark_cache
    from formcheck.config import load_config
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256

    key = landmark_cache_key(file_sha256(CLIP), load_config())
    landmark_cache.store(key, PoseSequence.load_npz(CLIP_LANDMARKS), cache)


class Server:
    """``formcheck serve`` in a child process."""

    def __init__(self, data_dir: Path, database_url: str, jobs: int, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "formcheck", "serve", "--data-dir", str(data_dir), "--port", str(self.port)]
        cmd += ["--jobs", str(jobs)] + (["--database-url", database_url] if database_url else [])
        self.log = open(data_dir.parent / "server.log", "w")  # noqa: SIM115 - the child writes it until stop()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server ended: {(data_dir.parent / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer within 60 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 4)

    return {"n": len(ordered), "p50_s": pick(0.5), "p95_s": pick(0.95), "max_s": round(ordered[-1], 4)}


def _upload(base: str, token: str, data: bytes, i: int, start: threading.Barrier) -> tuple[int, float, str]:
    with httpx.Client(base_url=base, timeout=300) as http:
        csrf = _csrf(http.get(f"/u/{token}").text)
        start.wait()
        t0 = time.perf_counter()
        r = http.post(
            f"/u/{token}/upload",
            data={"csrf_token": csrf, "lift": "auto", "note": f"load {i}"},
            files={"video": (f"load-{i:03d}.mp4", data, "video/mp4")},
            headers={"Accept": "application/json"},
        )
        return r.status_code, time.perf_counter() - t0, r.json().get("id", "") if r.status_code == 201 else r.text


def run_load(
    base: str, uploads: int, views: int, drain_timeout_s: float = 600, idle_views: int | None = None
) -> dict[str, Any]:
    """Drive the server at ``base``; returns the measurements and the checks (``lost``, ``drained``...).
    ``idle_views`` page views (default: ``views``) follow once the queue is empty."""
    coach = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    csrf = _csrf(coach.get("/signup").text)
    coach.post("/signup", data={"csrf_token": csrf, "email": "load@example.com", "name": "Load", "password": PASSWORD})
    csrf = _csrf(coach.get("/").text)
    client_url = coach.post("/clients", data={"csrf_token": csrf, "name": "Load client"}).url.path
    page = coach.post(f"{client_url}/links", data={"csrf_token": csrf, "expires_days": "0"}).text
    token = re.search(r'readonly value="[^"]*/u/([^"]+)"', page).group(1)

    data = CLIP.read_bytes()
    barrier = threading.Barrier(uploads)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(uploads) as pool:
        results = list(pool.map(lambda i: _upload(base, token, data, i, barrier), range(uploads)))
    upload_wall = time.perf_counter() - t0
    accepted = [r[2] for r in results if r[0] == 201]

    # page views while the queue works
    review_pages = [f"/videos/{v}" for v in accepted[:10]]
    paths = ["/", client_url, f"/u/{token}", *review_pages, *(f"/videos/{v}/status" for v in accepted[:5])]
    cookies = dict(coach.cookies)

    def view(i: int) -> tuple[int, float, str]:
        path = paths[i % len(paths)]
        with httpx.Client(base_url=base, timeout=120, cookies=cookies) as http:
            t = time.perf_counter()
            r = http.get(path)
            return r.status_code, time.perf_counter() - t, path

    with ThreadPoolExecutor(10) as pool:
        page_results = list(pool.map(view, range(views)))

    # the queue drains; nothing is lost
    deadline = time.monotonic() + drain_timeout_s
    listed: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        listed = coach.get(f"/u/{token}/status").json()["uploads"]
        if all(u["status"] in ("done", "failed") for u in listed):
            break
        time.sleep(1)
    drain_s = time.perf_counter() - t0
    statuses = {u["id"]: u["status"] for u in listed}
    coach.close()
    # the same page views again, with the queue empty
    with ThreadPoolExecutor(10) as pool:
        idle_results = list(pool.map(view, range(views if idle_views is None else idle_views)))
    return {
        "uploads": uploads,
        "accepted": len(accepted),
        "rejected": [r for r in results if r[0] != 201],
        "listed": len(listed),
        "lost": sorted(set(accepted) - set(statuses)),
        "done": sum(s == "done" for s in statuses.values()),
        "failed": sorted(v for v, s in statuses.items() if s == "failed"),
        "drained": all(s in ("done", "failed") for s in statuses.values()),
        "upload_latency": _percentiles([r[1] for r in results if r[0] == 201]),
        "upload_wall_s": round(upload_wall, 2),
        "views": views,
        "view_errors": [(code, path) for code, _, path in page_results + idle_results if code != 200],
        "page_latency": _percentiles([r[1] for r in page_results]),
        "page_latency_idle": _percentiles([r[1] for r in idle_results]),
        "queue_drained_after_s": round(drain_s, 1),
        "accepted_ids": accepted,
    }


def write_doc(doc: Path, result: dict[str, Any], command: str) -> None:
    """Replace (or add, at the end) the "Web app under load" section of ``doc``."""
    up, pv, idle = result["upload_latency"], result["page_latency"], result["page_latency_idle"]
    section = f"""{SECTION}

Measured with `{command}` on {result["date"]} ({result["machine"]}; {result["database"]}, `--jobs {result["jobs"]}`;
the machine was shared with other work, so the figures are indicative). {result["uploads"]} clients upload the
{result["clip_mb"]:.2f} MB sample clip at the same moment, then {result["views"]} page views come from 10 concurrent
browsers of the coach while the analyses run (home, client page with history chart, review pages, job status,
upload page), and the same views again once the queue is empty. Raw figures: `bench/web_results.json`.

| what | n | p50 | p95 | max |
| --- | --- | --- | --- | --- |
| upload (request sent to answer, file checked with PyAV and stored) | {up["n"]} | {up["p50_s"]:.3f} s | {up["p95_s"]:.3f} s | {up["max_s"]:.3f} s |
| **page view** while the queue works | {pv["n"]} | {pv["p50_s"]:.3f} s | **{pv["p95_s"]:.3f} s** | {pv["max_s"]:.3f} s |
| page view, the queue empty | {idle["n"]} | {idle["p50_s"]:.3f} s | {idle["p95_s"]:.3f} s | {idle["max_s"]:.3f} s |

- Nothing lost: {result["accepted"]} of {result["uploads"]} uploads accepted, {result["listed"]} listed under the link,
  {result["done"]} analysed, {len(result["failed"])} failed; the queue drained {result["queue_drained_after_s"]:.0f} s after the
  uploads began ({result["uploads"]} analyses on {result["jobs"]} worker processes: the landmark cache held the clip's
  landmarks, so each analysis is the judging plus the annotated video, about 1.5 s).
- Page views are served by one Uvicorn process (its event loop and thread pool) while the {result["jobs"]} analysis
  processes take both cores, so page time under load is mostly waiting for a core; the second row is the
  same {result["views"]} views once the queue has drained.
"""
    text = doc.read_text() if doc.exists() else ""
    if SECTION in text:
        head, _, rest = text.partition(SECTION)
        nxt = rest.find("\n## ")
        text = head + section + (rest[nxt + 1 :] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uploads", type=int, default=30)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "web_results.json")
    parser.add_argument("--doc", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="formcheck-web-bench-") as tmp:
        folder = Path(tmp)
        seed_cache(folder / "cache")
        (folder / "data").mkdir()
        server = Server(folder / "data", args.database_url, args.jobs, {**os.environ})
        try:
            result = run_load(server.url, args.uploads, args.views)
        finally:
            server.stop()
    result.update(
        date=dt.date.today().isoformat(),
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        database="PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite",
        jobs=args.jobs,
        clip_mb=CLIP.stat().st_size / 2**20,
    )
    result.pop("accepted_ids")
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("rejected",)}, indent=1))
    if args.doc is not None:
        command = "python bench/bench_web.py" + (f" --uploads {args.uploads}" if args.uploads != 30 else "")
        command += f" --views {args.views}" if args.views != 200 else ""
        command += f" --jobs {args.jobs}" if args.jobs != 2 else ""
        write_doc(
            args.doc, result, command + f" --doc {args.doc.relative_to(ROOT) if args.doc.is_absolute() else args.doc}"
        )
    bad = result["lost"] or result["failed"] or result["view_errors"] or not result["drained"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
