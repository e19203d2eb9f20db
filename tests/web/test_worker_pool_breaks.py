"""The job worker when a worker process of its pool dies (formcheck/web/jobs.py), decided on futures that the
tests break or complete by hand, on a real database: every ordering in which CPython's process pool can
report a SIGKILLed worker to the jobs in flight. And one real pool: the death of a worker that the pool's
manager thread may not watch is noticed while the other analysis still runs."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import os
import signal
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from sqlalchemy import select

from formcheck.web.db import make_engine, migrate, session_factory
from formcheck.web.jobs import WORKER_DIED, JobWorker
from formcheck.web.models import DONE, FAILED, QUEUED, RUNNING, Client, Coach, Job, Video, utcnow

SUMMARY = {"lift": "hip_thrust", "reps": 4}


def _broken_pool() -> BrokenProcessPool:
    return BrokenProcessPool("A process in the process pool was terminated abruptly while the future was running")


@pytest.fixture
def worker(settings):
    settings = dataclasses.replace(settings, jobs=2)
    engine = make_engine(settings.url)
    migrate(engine)
    factory = session_factory(engine)
    with factory() as db:
        coach = Coach(email="coach@example.com", name="Coach", password_hash="-")
        db.add(coach)
        db.flush()
        db.add(Client(coach_id=coach.id, name="Alex"))
        db.commit()
    yield JobWorker(settings, factory)
    engine.dispose()


def _running_job(worker: JobWorker, name: str, attempts: int = 1) -> int:
    """A job the worker has claimed (``running``), as :meth:`JobWorker._claim` leaves it."""
    with worker.factory() as db:
        client = db.scalars(select(Client)).one()
        video = Video(id=name, client_id=client.id, original_name=f"{name}.mp4", size_bytes=1)
        db.add(video)
        job = Job(video_id=video.id, status=RUNNING, attempts=attempts, started_at=utcnow())
        db.add(job)
        db.commit()
        return job.id


def _in_flight(worker: JobWorker, job_id: int, pool: object) -> cf.Future:
    future: cf.Future = cf.Future()
    future.set_running_or_notify_cancel()
    worker._running[future] = (job_id, pool)  # type: ignore[assignment]
    return future


def _state(worker: JobWorker, job_id: int) -> tuple[str, int, str, dict | None]:
    with worker.factory() as db:
        job = db.get(Job, job_id)
        assert job is not None
        return job.status, job.attempts, job.error, job.video.summary


def test_every_job_in_flight_broken_together_is_queued_again_once(worker):
    pool = object()
    a, b = _running_job(worker, "a"), _running_job(worker, "b")
    fa, fb = _in_flight(worker, a, pool), _in_flight(worker, b, pool)
    fa.set_exception(_broken_pool())
    fb.set_exception(_broken_pool())
    worker._collect()
    assert not worker._running
    for job in (a, b):
        status, attempts, error, _ = _state(worker, job)
        assert (status, attempts) == (QUEUED, 1) and "worker process died" in error


def test_a_second_death_fails_the_job_that_was_already_retried_and_queues_the_other(worker):
    pool = object()
    again, first = _running_job(worker, "again", attempts=2), _running_job(worker, "first")
    for job in (again, first):
        _in_flight(worker, job, pool).set_exception(_broken_pool())
    worker._collect()
    assert _state(worker, again)[:3] == (FAILED, 2, WORKER_DIED)
    assert _state(worker, first)[:2] == (QUEUED, 1)


def test_a_job_broken_alone_fails_with_a_reason_the_user_can_act_on(worker):
    job = _running_job(worker, "alone")
    _in_flight(worker, job, object()).set_exception(_broken_pool())
    worker._collect()
    status, attempts, error, summary = _state(worker, job)
    assert (status, attempts, summary) == (FAILED, 1, None)
    assert error == WORKER_DIED and "Retry" in error


def test_a_job_whose_result_came_back_before_the_pool_broke_keeps_it(worker):
    """CPython reads a result already sent before it looks at the dead worker: that future completes, and only
    the job of the dead worker breaks. It was the one: it fails, the other is done."""
    pool = object()
    killed, finished = _running_job(worker, "killed"), _running_job(worker, "finished")
    fk, ff = _in_flight(worker, killed, pool), _in_flight(worker, finished, pool)
    ff.set_result({"ok": True, "summary": SUMMARY})
    fk.set_exception(_broken_pool())
    worker._collect()
    assert not worker._running
    assert _state(worker, finished) == (DONE, 1, "", SUMMARY)
    assert _state(worker, killed)[:3] == (FAILED, 1, WORKER_DIED)


@pytest.mark.parametrize("late", ["result", "broken"])
def test_the_other_future_is_awaited_before_the_broken_one_is_judged(worker, late):
    """The pool breaks its futures one after the other; a future seen broken first waits for the rest of its
    pool (whose result, or break, arrives a moment later) before it is judged alone."""
    pool = object()
    first, other = _running_job(worker, "first"), _running_job(worker, "other")
    ff, fo = _in_flight(worker, first, pool), _in_flight(worker, other, pool)
    ff.set_exception(_broken_pool())
    if late == "result":
        later = threading.Timer(0.3, fo.set_result, ({"ok": True, "summary": SUMMARY},))
    else:
        later = threading.Timer(0.3, fo.set_exception, (_broken_pool(),))
    later.start()
    worker._collect()
    later.join()
    assert not worker._running
    if late == "result":
        assert _state(worker, first)[:3] == (FAILED, 1, WORKER_DIED)
        assert _state(worker, other) == (DONE, 1, "", SUMMARY)
    else:
        assert _state(worker, first)[:2] == _state(worker, other)[:2] == (QUEUED, 1)


def test_a_result_that_arrives_after_the_broken_jobs_were_handled_is_kept(worker, monkeypatch):
    """A future of the broken pool still open after the wait is left in flight, and its result, when it comes,
    is stored; the broken job alone fails."""
    monkeypatch.setattr(cf, "wait", lambda futures, timeout=None: None)  # the wait ran out
    pool = object()
    killed, slow = _running_job(worker, "killed"), _running_job(worker, "slow")
    fk, fs = _in_flight(worker, killed, pool), _in_flight(worker, slow, pool)
    fk.set_exception(_broken_pool())
    worker._collect()
    assert _state(worker, killed)[:3] == (FAILED, 1, WORKER_DIED)
    assert list(worker._running.values()) == [(slow, pool)] and _state(worker, slow)[0] == RUNNING
    fs.set_result({"ok": True, "summary": SUMMARY})
    worker._collect()
    assert not worker._running and _state(worker, slow) == (DONE, 1, "", SUMMARY)


def test_a_broken_pool_is_judged_apart_from_the_jobs_of_the_pool_that_replaced_it(worker):
    """Jobs submitted to a new pool while the old one broke are neither awaited, nor counted as suspects, nor
    is the new pool shut down."""
    old = object()
    new = worker.executor.get()  # the current pool (no worker process is started before a submit)
    try:
        killed, fresh = _running_job(worker, "killed"), _running_job(worker, "fresh")
        _in_flight(worker, killed, old).set_exception(_broken_pool())
        _in_flight(worker, fresh, new)
        started = time.monotonic()
        worker._collect()
        assert time.monotonic() - started < 2, "waited for a job of the new pool"
        assert _state(worker, killed)[:3] == (FAILED, 1, WORKER_DIED)
        assert _state(worker, fresh)[0] == RUNNING and worker.executor.current is new
    finally:
        worker.executor.close()


def test_the_broken_current_pool_is_replaced(worker):
    pool = worker.executor.get()
    job = _running_job(worker, "alone")
    _in_flight(worker, job, pool).set_exception(_broken_pool())
    worker._collect()
    assert worker.executor.current is None  # the next submit makes a new pool
    assert _state(worker, job)[0] == FAILED


def test_a_job_cancelled_before_it_started_is_queued_again_with_its_attempt_given_back(worker):
    job = _running_job(worker, "cancelled")
    future: cf.Future = cf.Future()
    worker._running[future] = (job, object())  # type: ignore[assignment]
    assert future.cancel()
    worker._collect()
    worker._collect()  # a cancelled future raised in every round before
    assert not worker._running
    assert _state(worker, job)[:2] == (QUEUED, 0)


# ----------------------------------------------------------------------------------------- a real pool


def hold(started: str, release: str) -> int:
    """In a worker process: say so, then wait for ``release`` (at most 120 s)."""
    Path(started).write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return os.getpid()


def die(started: str) -> None:
    """In a worker process: say so, then SIGKILL this process."""
    Path(started).write_text(str(os.getpid()))
    os.kill(os.getpid(), signal.SIGKILL)


def _until(what: str, check, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_death_of_a_worker_spawned_for_a_second_job_is_noticed_while_the_first_still_runs(worker, tmp_path):
    """The second job goes to a second worker, spawned by ``submit`` after it woke the pool's manager thread,
    which then often waits without that worker's sentinel (CPython 3.11): its death alone does not break the
    pool. The job worker notices it itself: both jobs are queued again while the first one is still held,
    instead of the first finishing normally and the dead one failing alone once it does."""
    release = tmp_path / "release"
    holding, dying = _running_job(worker, "holding"), _running_job(worker, "dying")
    pool = worker.executor.get()
    try:
        first = pool.submit(hold, str(tmp_path / "hold-started"), str(release))
        worker._running[first] = (holding, pool)
        _until("the first job runs in its worker", (tmp_path / "hold-started").exists, 60)
        second = pool.submit(die, str(tmp_path / "die-started"))
        worker._running[second] = (dying, pool)
        _until("the second worker dies", lambda: second.done() or worker.executor.worker_died(), 60)
        _until("both jobs are handled", lambda: worker._collect() or not worker._running, 20)
        assert not release.exists() and first.done() and isinstance(first.exception(), BrokenProcessPool)
        assert _state(worker, holding)[:2] == _state(worker, dying)[:2] == (QUEUED, 1)
    finally:
        release.touch()
        worker.executor.close()
