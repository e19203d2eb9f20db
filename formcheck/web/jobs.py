"""The durable job queue: the ``jobs`` table is the queue, a thread of the server feeds it to the
batch engine (the local process pool, or Dask with ``--dask-scheduler``).

* An upload adds a ``queued`` job; the worker claims it (``running``, attempts + 1) with a conditional
  update, so two servers on one database never run a job twice.
* On start, ``running`` jobs are ones a stopped or killed server left behind: they are queued again and
  resume. The uploaded video is on disk before its job row is committed, so no upload is lost.
* A job ends ``done`` (the video's summary is stored) or ``failed`` with its one-line reason; a worker
  process that dies fails its job with that reason. :func:`retry` queues a failed job again.
* A dead worker process breaks its whole pool: every job still in flight in it fails at once
  (``BrokenProcessPool``), while a job whose result came back first keeps it. When several broke together,
  which one killed the worker is not known: each is queued again once. CPython's pool does not watch a worker
  it spawned while its manager thread waited (``submit`` wakes the manager before it spawns the worker), so
  the worker thread looks for dead workers itself each round and then shuts the pool down, which wakes the
  manager: it notices the death and breaks the futures, instead of when another analysis ends.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing.connection
import os
import threading
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigError
from .models import DONE, FAILED, QUEUED, RUNNING, Job, Video, utcnow
from .settings import WebSettings
from .storage import source_path, video_dir
from .task import analyse, init_worker

log = logging.getLogger("formcheck.web")

WORKER_DIED = (
    "the analysis worker process died while analysing this video (killed by the operating system, "
    "e.g. out of memory?). Press Retry to analyse it again"
)


def _broken(future: cf.Future[Any]) -> bool:
    return future.done() and not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)


def resume_interrupted(factory: sessionmaker[Session]) -> int:
    """Queue again the jobs a previous server left ``running``; returns how many."""
    with factory() as db:
        result = db.execute(
            update(Job).where(Job.status == RUNNING).values(status=QUEUED, error="resumed after a server restart")
        )
        db.commit()
        return int(getattr(result, "rowcount", 0) or 0)


def retry(db: Session, job: Job) -> bool:
    """Queue a failed job again; False when it is not failed."""
    result = db.execute(
        update(Job).where(Job.id == job.id, Job.status == FAILED).values(status=QUEUED, error="", finished_at=None)
    )
    db.commit()
    return bool(getattr(result, "rowcount", 0))


class _Executor:
    """The batch engine behind a ``concurrent.futures`` interface: a process pool (spawned workers that end
    with the server) or a Dask client's executor."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._client: Any = None
        self._pool: cf.Executor | None = None

    def get(self) -> cf.Executor:
        if self._pool is None:
            if self.settings.dask_scheduler:
                self._client = self.connect()
                self._pool = self._client.get_executor(pure=False)
            else:
                import multiprocessing as mp

                self._pool = cf.ProcessPoolExecutor(
                    max_workers=self.settings.jobs,
                    mp_context=mp.get_context("spawn"),
                    initializer=init_worker,
                    initargs=(os.getpid(),),
                )
        return self._pool

    def connect(self, timeout: str = "20s") -> Any:
        """A Dask client of ``--dask-scheduler``, or a one-line :class:`ConfigError`."""
        try:
            from dask.distributed import Client
        except ImportError:
            raise ConfigError(
                "--dask-scheduler needs Dask distributed, which is not installed",
                "Install it with: pip install 'formcheck[cluster]'",
            ) from None
        try:
            return Client(self.settings.dask_scheduler, timeout=timeout)
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {self.settings.dask_scheduler} ({exc})".splitlines()[0],
                "Start it with 'dask scheduler' and check the address and port",
            ) from None

    @property
    def current(self) -> cf.Executor | None:
        """The pool new jobs go to, None before the first job or after :meth:`reset`."""
        return self._pool

    def worker_died(self) -> bool:
        """True when a worker process of the local pool has ended (the pool is broken, whether or not its
        manager thread has noticed yet: workers end only with the pool)."""
        pool = self._pool
        if not isinstance(pool, cf.ProcessPoolExecutor):
            return False
        procs = list((getattr(pool, "_processes", None) or {}).values())
        # a process's sentinel is readable once it has ended; waiting on it does not reap it (the pool's
        # manager thread joins its workers itself)
        return bool(procs) and bool(multiprocessing.connection.wait([p.sentinel for p in procs], timeout=0))

    def reset(self) -> None:
        """Drop a broken pool; the next :meth:`get` makes a new one."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if isinstance(pool, cf.ProcessPoolExecutor):
            procs = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:  # an analysis in flight is resumed by the next start
                if proc.is_alive():
                    proc.terminate()
            for proc in procs:
                proc.join(5)
        elif pool is not None:
            pool.shutdown(wait=False)
        if self._client is not None:
            self._client.close()
            self._client = None


class JobWorker:
    """Runs queued jobs, ``settings.jobs`` at a time, in a background thread of the server."""

    def __init__(self, settings: WebSettings, factory: sessionmaker[Session]) -> None:
        self.settings, self.factory = settings, factory
        self.executor = _Executor(settings)
        self._wake = threading.Event()
        self._stop = threading.Event()
        # a job's future -> (the job's id, the pool it runs in)
        self._running: dict[cf.Future[Any], tuple[int, cf.Executor]] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        resumed = resume_interrupted(self.factory)
        if resumed:
            log.info("resuming %d interrupted analysis job(s)", resumed)
        self._thread = threading.Thread(target=self._loop, daemon=True, name="formcheck-web-jobs")
        self._thread.start()

    def wake(self) -> None:
        """Look at the queue now (an upload arrived, a job was retried)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
        self.executor.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._collect()
                self._claim()
            except Exception:  # the database was busy or away: logged, and tried again on the next round
                log.exception("job worker round failed")
            self._wake.wait(self.settings.poll_s if not self._running else 0.2)
            self._wake.clear()

    def _claim(self) -> None:
        while len(self._running) < self.settings.jobs and not self._stop.is_set():
            with self.factory() as db:
                job = db.scalars(select(Job).where(Job.status == QUEUED).order_by(Job.id).limit(1)).first()
                if job is None:
                    return
                claimed = db.execute(
                    update(Job)
                    .where(Job.id == job.id, Job.status == QUEUED)
                    .values(status=RUNNING, started_at=utcnow(), attempts=Job.attempts + 1)
                )
                db.commit()
                if not getattr(claimed, "rowcount", 0):
                    continue  # another server took it
                video = db.get(Video, job.video_id)
                assert video is not None
                args = (str(source_path(self.settings, video.id)), str(video_dir(self.settings, video.id)), video.lift)
            try:
                future, pool = self._submit(args)
            except Exception as exc:  # noqa: BLE001 - the engine is away: the job fails with the reason, not stuck
                self._finish(
                    job.id, {"ok": False, "error": f"the analysis could not be started: {exc}".splitlines()[0]}
                )
                continue
            self._running[future] = (job.id, pool)

    def _submit(self, args: tuple[str, str, str]) -> tuple[cf.Future[Any], cf.Executor]:
        try:
            pool = self.executor.get()
            return pool.submit(analyse, *args), pool
        except (BrokenProcessPool, RuntimeError):  # a pool broken since the last job: a new one
            self.executor.reset()
            pool = self.executor.get()
            return pool.submit(analyse, *args), pool

    def _collect(self) -> None:
        if self._running and self.executor.worker_died():
            # the pool's manager thread may not watch the dead worker: shutting the pool down wakes it, and it
            # then breaks every future still in flight (collected below, now or in the next rounds)
            log.warning("an analysis worker process died: its pool is replaced")
            self.executor.reset()
        done = [f for f in self._running if f.done()]
        for pool in {self._running[f][1] for f in done if _broken(f)}:
            # a pool broke: every job in flight in it fails at once (a job whose result came back first keeps
            # it); gather them all before deciding, as which one killed the worker is known only when it is alone
            in_pool = [f for f, (_, p) in self._running.items() if p is pool]
            cf.wait(in_pool, timeout=5)
            broken = [f for f in in_pool if _broken(f)]
            if pool is self.executor.current:
                self.executor.reset()
            self._broken({self._running.pop(f)[0] for f in broken})
            done += [f for f in in_pool if f.done() and f in self._running and f not in done]
        for future in [f for f in done if f in self._running]:
            job_id, _ = self._running.pop(future)
            if future.cancelled():  # a pool shut down before the job started: it never ran, it runs later
                self._requeue(job_id)
                continue
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - Dask's KilledWorker and friends: this job only
                died = exc.__class__.__name__ == "KilledWorker"
                result = {"ok": False, "error": WORKER_DIED if died else f"internal error: {exc}".splitlines()[0]}
            self._finish(job_id, result)

    def _requeue(self, job_id: int) -> None:
        """Queue again a job whose analysis never started; the attempt it was claimed for is given back."""
        with self.factory() as db:
            db.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == RUNNING)
                .values(status=QUEUED, started_at=None, attempts=Job.attempts - 1)
            )
            db.commit()

    def _broken(self, job_ids: set[int]) -> None:
        """A worker process died and broke these jobs' futures together. Alone (the others in flight had
        their results back first), its job was the one: it fails with the reason. With others beside it, the
        one that killed the worker is not known: each is queued again once (a second death fails it)."""
        if len(job_ids) == 1:
            self._finish(job_ids.pop(), {"ok": False, "error": WORKER_DIED})
            return
        with self.factory() as db:
            for job_id in sorted(job_ids):
                job = db.get(Job, job_id)
                if job is not None and job.attempts < 2:
                    job.status, job.error = QUEUED, "queued again: a worker process died while it was analysed"
                    job.started_at = None
            db.commit()
        for job_id in job_ids:
            with self.factory() as db:
                job = db.get(Job, job_id)
                again = job is not None and job.status == QUEUED
            if not again:
                self._finish(job_id, {"ok": False, "error": WORKER_DIED})

    def _finish(self, job_id: int, result: dict[str, Any]) -> None:
        with self.factory() as db:
            job = db.get(Job, job_id)
            if job is None:
                return
            now = utcnow()
            job.finished_at = now
            job.processing_s = (now - job.started_at).total_seconds() if job.started_at else None
            if result.get("ok"):
                job.status, job.error = DONE, ""
                job.video.summary = result["summary"]
            else:
                job.status, job.error = FAILED, str(result.get("error", "unknown error"))
            db.commit()
            log.info("job %d (video %s): %s %s", job_id, job.video_id, job.status, job.error)
