"""Batch analysis of a folder (formcheck batch / formcheck.analyze_folder).

The landmark cache is seeded with the stored landmarks of the rendered sample clips, so only the
last test (marked `model`) runs the pose model. Worker processes inherit FORMCHECK_CACHE.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import formcheck
from formcheck.batch import CRASH_ENV
from formcheck.cli import main
from tests.helpers import LANDMARKS, ROOT, seed_cache

SAMPLES = ROOT / "sample_videos"
CLIPS = {"a.mp4": "rdl_clean", "sub/b.mp4": "hip_thrust_head_back", "sub/deeper/c.mov": "rdl_knees_bend"}


def make_folder(root: Path, clips: dict[str, str] = CLIPS, broken: bool = True) -> Path:
    folder = root / "in"
    for rel, stem in clips.items():
        dst = folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / f"{stem}.mp4", dst)
        seed_cache(dst, LANDMARKS / f"{stem}.full.npz")
    if broken:
        (folder / "truncated.mp4").write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes()[:20000])
        (folder / "notes.mp4").write_text("this is not a video\n")
        (folder / "sub" / "zero.mp4").write_bytes(b"")
        (folder / "readme.txt").write_text("clips from the gym\n")
    return folder


def reports(out: Path) -> dict[str, dict]:
    """Every per-video JSON report, without its timings."""
    found = {}
    for path in sorted(out.rglob("*.json")):
        if path.name == "summary.json":
            continue
        data = json.loads(path.read_text())
        data.pop("timings_s")
        found[path.relative_to(out).as_posix()] = data
    return found


def essentials(rows: list[dict]) -> list[tuple]:
    return [(r["path"], r["status"], r["lift"], r["view"], r["reps"], r["flagged_reps"], r["flags"]) for r in rows]


def test_folder_gives_one_row_per_file_and_exit_code_1(tmp_path, capsys):
    folder = make_folder(tmp_path)
    out = tmp_path / "out"
    code = main(["batch", str(folder), "-o", str(out), "--jobs", "2", "--csv"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    rows = {r["path"]: r for r in json.loads((out / "summary.json").read_text())["videos"]}
    assert set(rows) == {
        "a.mp4",
        "sub/b.mp4",
        "sub/deeper/c.mov",
        "truncated.mp4",
        "notes.mp4",
        "sub/zero.mp4",
        "readme.txt",
    }
    assert {p: r["status"] for p, r in rows.items()} == {
        "a.mp4": "ok",
        "sub/b.mp4": "ok",
        "sub/deeper/c.mov": "ok",
        "truncated.mp4": "failed",
        "sub/zero.mp4": "failed",
        "notes.mp4": "skipped",
        "readme.txt": "skipped",
    }
    assert (rows["a.mp4"]["lift"], rows["a.mp4"]["reps"], rows["a.mp4"]["flagged_reps"]) == ("rdl", 3, 0)
    assert rows["sub/b.mp4"]["lift"] == "hip_thrust" and rows["sub/b.mp4"]["reps"] == 4
    assert rows["sub/b.mp4"]["flags"]["ht.look_at_wall"] == 1
    assert rows["sub/deeper/c.mov"]["lift"] == "rdl"
    assert "not a readable video" in rows["truncated.mp4"]["error"] and "\n" not in rows["truncated.mp4"]["error"]
    assert "empty (0 bytes)" in rows["sub/zero.mp4"]["error"]
    assert rows["notes.mp4"]["note"] == "not a video"
    assert all(r["pose_source"] == "cache" for r in rows.values() if r["status"] == "ok")
    # mirrored outputs, summary.csv and a linked index
    for rel in ("a.mp4", "sub/b.mp4", "sub/deeper/c.mov"):
        assert (out / f"{rel}.json").exists() and (out / f"{rel}.csv").exists() and (out / f"{rel}.done").exists()
    table = list(csv.DictReader((out / "summary.csv").open()))
    assert len(table) == 7 and table[0]["path"] == "a.mp4" and "flagged:ht.look_at_wall" in table[0]
    index = (out / "index.html").read_text()
    assert 'href="./sub/deeper/c.mov.json"' in index and "<script>" in index and "truncated.mp4" in index
    assert "truncated.mp4" in captured.err and "3 analysed" in captured.out
    assert not list(out.rglob("*.tmp"))


def test_interrupted_run_resumes_to_identical_results_and_force_redoes(tmp_path):
    folder = make_folder(tmp_path, broken=False)
    out = tmp_path / "out"
    first = formcheck.analyze_folder(folder, out, jobs=2)
    assert [r["status"] for r in first] == ["ok"] * 3
    before = reports(out)
    # Interrupt: one video never finished (no manifest, half-written report and a stale temporary file),
    # another was written but its manifest is missing.
    (out / "a.mp4.done").unlink()
    (out / "a.mp4.json").write_text('{"schema_version": "1.0", "vid')
    (out / "a.mp4.json.tmp").write_text("{")
    (out / "sub/b.mp4.done").unlink()
    done_c = (out / "sub/deeper/c.mov.done").stat().st_mtime_ns
    second = formcheck.analyze_folder(folder, out, jobs=2)
    assert {r["path"]: r["resumed"] for r in second} == {"a.mp4": False, "sub/b.mp4": False, "sub/deeper/c.mov": True}
    assert (out / "sub/deeper/c.mov.done").stat().st_mtime_ns == done_c
    assert reports(out) == before
    assert essentials(second) == essentials(first)
    # a changed option is another result: --force and another profile redo everything
    forced = formcheck.analyze_folder(folder, out, jobs=2, force=True)
    assert not any(r["resumed"] for r in forced) and (out / "sub/deeper/c.mov.done").stat().st_mtime_ns != done_c
    assert reports(out) == before


def test_rejudging_with_another_profile_reuses_landmarks(tmp_path, monkeypatch):
    folder = make_folder(tmp_path, broken=False)
    formcheck.analyze_folder(folder, tmp_path / "out", jobs=2)
    # No pose model anywhere: the run can only succeed from the landmark cache.
    monkeypatch.setenv("FORMCHECK_MODELS", str(tmp_path / "no-models"))
    (folder / "new.mp4").write_bytes((SAMPLES / "hip_thrust_portrait_overextension.mp4").read_bytes())  # not cached
    rows = {r["path"]: r for r in formcheck.analyze_folder(folder, tmp_path / "out", jobs=2, profile="slight")}
    assert all(
        rows[p]["status"] == "ok" and not rows[p]["resumed"] and rows[p]["pose_source"] == "cache" for p in CLIPS
    )
    assert rows["new.mp4"]["status"] == "failed" and "pose model" in rows["new.mp4"]["error"]
    report = json.loads((tmp_path / "out" / "sub/b.mp4.json").read_text())
    assert report["config"]["profile"] == "slight"


def test_a_worker_that_dies_costs_only_its_video_and_it_is_retried_once(tmp_path, monkeypatch):
    folder = make_folder(tmp_path, {"a.mp4": "rdl_clean", "b.mp4": "hip_thrust_head_back"}, broken=False)
    monkeypatch.setenv(CRASH_ENV, f"a.mp4@{tmp_path / 'crashed-once'}")
    rows = formcheck.analyze_folder(folder, tmp_path / "once", jobs=2)
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert "retried" in rows[0]["note"]
    monkeypatch.setenv(CRASH_ENV, "a.mp4")  # dies every time
    rows = formcheck.analyze_folder(folder, tmp_path / "always", jobs=1)
    assert [r["status"] for r in rows] == ["failed", "ok"]
    assert "worker process died" in rows[0]["error"]


def test_dask_engine_gives_the_same_summary(tmp_path):
    pytest.importorskip("dask.distributed")
    folder = make_folder(tmp_path)
    local = formcheck.analyze_folder(folder, tmp_path / "local", jobs=2)
    dask = formcheck.analyze_folder(folder, tmp_path / "dask", jobs=2, engine="dask")
    assert essentials(dask) == essentials(local)
    assert [r["error"] for r in dask] == [r["error"] for r in local]
    assert reports(tmp_path / "dask") == reports(tmp_path / "local")


def test_file_names_cannot_inject_links_markup_or_spreadsheet_formulas(tmp_path):
    names = {
        "javascript:alert(1).mp4": "rdl_clean",
        "=HYPERLINK(1).mp4": "hip_thrust_head_back",
        "@SUM(1).mp4": "rdl_clean",
        '"><img src=x onerror=alert(1)>.mp4': "rdl_clean",
    }
    folder = make_folder(tmp_path, names, broken=False)
    (folder / "+cmd.txt").write_text("not a video\n")  # a skipped row: its path cell is guarded too
    (folder / "-2+3.mp4").write_bytes(b"")  # a failed row
    out = tmp_path / "out"
    rows = formcheck.analyze_folder(folder, out, jobs=1, html=True)
    assert sorted(r["status"] for r in rows) == ["failed", "ok", "ok", "ok", "ok", "skipped"]
    index = (out / "index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert len(hrefs) == 8 and all(h.startswith("./") for h in hrefs), hrefs  # each report and its video
    assert "javascript:" not in "".join(hrefs) and 'href="./javascript%3Aalert%281%29.mp4.html"' in index
    assert "<img" not in index and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;.mp4" in index
    table = {r["path"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert set(table) == {
        "'=HYPERLINK(1).mp4",
        "'@SUM(1).mp4",
        "'+cmd.txt",
        "'-2+3.mp4",
        "javascript:alert(1).mp4",
        '"><img src=x onerror=alert(1)>.mp4',
    }
    assert table["'=HYPERLINK(1).mp4"]["report"] == "'=HYPERLINK(1).mp4.html"
    assert table["javascript:alert(1).mp4"]["report"] == "javascript:alert(1).mp4.html"
    # the JSON summary keeps the real names
    assert {r["path"] for r in json.loads((out / "summary.json").read_text())["videos"]} == {
        *names,
        "+cmd.txt",
        "-2+3.mp4",
    }


def test_formula_cells_get_a_leading_quote():
    from formcheck.batch import _csv_cell

    for bad in ("=1+2", "+1", "-1", "@A1", "\tx", "\rx"):
        assert _csv_cell(bad) == "'" + bad
    for fine in ("a.mp4", "sub/-x.mp4", "", " =x"):
        assert _csv_cell(fine) == fine
    assert _csv_cell(-3) == -3 and _csv_cell(1.5) == 1.5


def test_batch_and_analyze_write_the_same_json_report(tmp_path, capsys):
    folder = make_folder(tmp_path, {"set.mp4": "hip_thrust_head_back", "rdl.mp4": "rdl_knees_bend"}, broken=False)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "-o", str(out), "-q", "--jobs", "1"]) == 0, capsys.readouterr().err
    for name in ("set.mp4", "rdl.mp4"):
        single = tmp_path / f"{name}.json"
        code = main(["analyze", str((folder / name).resolve()), "-q", "--json", str(single)])
        assert code == 0, capsys.readouterr().err
        from_batch, from_cli = json.loads((out / f"{name}.json").read_text()), json.loads(single.read_text())
        batch_t, cli_t = from_batch.pop("timings_s"), from_cli.pop("timings_s")
        # the second analysis of the same clip reads what the batch's look at the video found (formcheck.lookcache)
        assert "look_from_cache_s" in cli_t and "look_from_cache_s" not in batch_t
        assert batch_t.keys() - {"bar_check_s", "plates_s"} == cli_t.keys() - {"look_from_cache_s"}
        assert from_batch == from_cli


@pytest.mark.model
def test_real_model_batch_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "hip_thrust_head_back.mp4", folder / "set.mp4")
    rows = formcheck.analyze_folder(folder, tmp_path / "out", jobs=1)
    assert rows[0]["status"] == "ok" and rows[0]["pose_source"] == "model", rows
    assert rows[0]["lift"] == "hip_thrust" and rows[0]["reps"] == 4
    again = formcheck.analyze_folder(folder, tmp_path / "out2", jobs=1)
    assert again[0]["pose_source"] == "cache"


def test_videos_named_like_the_batch_files_keep_their_reports(tmp_path):
    """Issue 11 item 8: a video named 'summary' or 'index' wrote its report over summary.json/.csv or index.html
    (or the batch's files over it). Every video keeps its own reports; the batch's own files stay the batch's."""
    names = {
        "summary": "rdl_clean",  # would write summary.json and summary.csv
        "index": "hip_thrust_head_back",  # would write index.html
        "Summary": "rdl_knees_bend",  # the same on a case-insensitive disk
        "summary_": "rdl_clean",  # where 'summary' now goes: must not meet it
        "summary.mp4": "hip_thrust_head_back",
        "index.mp4": "rdl_clean",
        "summary.csv.mp4": "rdl_knees_bend",
        "index.html/set.mp4": "rdl_clean",  # a folder named like the index
    }
    folder = make_folder(tmp_path, names, broken=False)
    out = tmp_path / "out"
    rows = formcheck.analyze_folder(folder, out, jobs=2, csv=True, html=True)
    assert [r["status"] for r in rows] == ["ok"] * len(names), [(r["path"], r["error"]) for r in rows]
    assert {r["path"] for r in rows} == set(names)
    # the batch's own files are its own
    summary = json.loads((out / "summary.json").read_text())
    assert {r["path"] for r in summary["videos"]} == set(names)
    assert {r["path"] for r in csv.DictReader((out / "summary.csv").open())} == set(names)
    assert "<table" in (out / "index.html").read_text() and (out / "index.html").is_file()
    # every video its own reports, each a report of that video
    written = [out / rel for r in rows for rel in r["reports"].values()]
    assert len(written) == 4 * len(names) == len(set(written))  # json, csv, html and its annotated video
    assert not {p.name for p in written} & {"summary.json", "summary.csv", "index.html"}
    for row in rows:
        report = json.loads((out / row["reports"]["json"]).read_text())
        assert Path(report["video"]["path"]).name == Path(row["path"]).name
        assert (out / row["reports"]["csv"]).stat().st_size > 0 and (out / row["reports"]["html"]).stat().st_size > 0
    assert rows[[r["path"] for r in rows].index("summary")]["reports"]["json"] == "summary_.json"
    assert rows[[r["path"] for r in rows].index("summary_")]["reports"]["json"] == "summary__.json"
    # a second run finds every result again
    again = formcheck.analyze_folder(folder, out, jobs=1, csv=True, html=True)
    assert all(r["resumed"] for r in again)


def test_report_base_is_one_to_one():
    from formcheck.batch import report_base

    rels = ["summary", "summary_", "summary__", "index", "INDEX", "index.html/a.mp4", "summary.json/x", "a.mp4"]
    rels += ["sub/summary", "summary.mp4", "summary_x", "_summary"]
    bases = [report_base(Path("o"), rel).as_posix() for rel in rels]
    assert len(set(bases)) == len(bases)
    assert report_base(Path("o"), "sub/summary").as_posix() == "o/sub/summary"  # only the top level is shared
    assert report_base(Path("o"), "summary.mp4").as_posix() == "o/summary.mp4"  # names as before otherwise


# ----------------------------------------------------------------------------------------- bad inputs (issue 11)


def _bounded(seconds: int):
    """Fail (instead of hanging the test run) when the block takes longer than ``seconds``."""
    import contextlib
    import signal

    @contextlib.contextmanager
    def guard():
        def expired(*_):
            pytest.fail(f"took longer than {seconds} s")  # not an OSError: nothing on the way catches it

        old = signal.signal(signal.SIGALRM, expired)
        signal.alarm(seconds)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)

    return guard()


def test_cut_short_videos_are_failed_or_say_what_they_cover(tmp_path):
    from formcheck import cache
    from formcheck.config import load_config
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256, iter_frames
    from tests.videos import cut_short, faststart_copy

    folder = tmp_path / "in"
    folder.mkdir()
    whole = faststart_copy(SAMPLES / "rdl_clean.mp4", tmp_path / "whole.mp4")
    full = PoseSequence.load_npz(LANDMARKS / "rdl_clean.full.npz")
    decoded = {}
    for name, share in (("most.mp4", 0.6), ("little.mp4", 0.3)):
        clip = cut_short(whole, folder / name, share)
        n = decoded[name] = sum(1 for _ in iter_frames(clip))
        cache.store(landmark_cache_key(file_sha256(clip), load_config()), full.slice(0, n))
    out = tmp_path / "out"
    code = main(["batch", str(folder), "-o", str(out), "--jobs", "1", "-q"])
    assert code == 1
    rows = {r["path"]: r for r in json.loads((out / "summary.json").read_text())["videos"]}
    assert rows["little.mp4"]["status"] == "failed"
    assert f"only {decoded['little.mp4']} of 415 frames" in rows["little.mp4"]["error"]
    most = rows["most.mp4"]
    assert most["status"] == "ok"
    assert f"only {decoded['most.mp4']} of 415 frames" in most["note"] and "cut short or damaged" in most["note"]
    assert most["duration_s"] == pytest.approx(decoded["most.mp4"] / 30, abs=0.05)


def test_a_named_pipe_is_skipped_without_being_opened(tmp_path):
    import os

    folder = make_folder(tmp_path, {"a.mp4": "rdl_clean"}, broken=False)
    os.mkfifo(folder / "pipe.mp4")
    out = tmp_path / "out"
    with _bounded(120):
        code = main(["batch", str(folder), "-o", str(out), "--jobs", "1", "-q"])
    assert code == 0
    rows = {r["path"]: r for r in json.loads((out / "summary.json").read_text())["videos"]}
    assert rows["a.mp4"]["status"] == "ok"
    assert rows["pipe.mp4"]["status"] == "skipped" and "not a regular file" in rows["pipe.mp4"]["note"]


def test_a_file_name_that_is_not_utf8_gets_a_row_and_the_summary_is_written(tmp_path, capsys):
    import os

    folder = make_folder(tmp_path, {"a.mp4": "rdl_clean"}, broken=False)
    odd = os.fsencode(folder) + b"/caf\xe9 \xff.mp4"  # Latin-1 bytes: not UTF-8
    with open(odd, "wb") as handle:
        handle.write((folder / "a.mp4").read_bytes())
    (folder / "notes.txt").write_text("x")
    os.rename(folder / "notes.txt", odd.replace(b".mp4", b".txt"))
    out = tmp_path / "out"
    code = main(["batch", str(folder), "-o", str(out), "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    rows = {r["path"]: r for r in json.loads((out / "summary.json").read_text())["videos"]}
    assert rows["caf\\xe9 \\xff.mp4"]["status"] == "ok"  # analysed: its landmarks are those of a.mp4
    assert rows["caf\\xe9 \\xff.txt"]["status"] == "skipped"
    with (out / "summary.csv").open(newline="") as handle:
        assert {r["path"] for r in csv.DictReader(handle)} == {"a.mp4", "caf\\xe9 \\xff.mp4", "caf\\xe9 \\xff.txt"}
    index = (out / "index.html").read_text()
    assert "caf\\xe9 \\xff.mp4" in index and 'href="./caf%E9%20%FF.mp4.json"' in index
    assert os.path.exists(os.fsencode(out) + b"/caf\xe9 \xff.mp4.json")


def _children(pid: int) -> set[int]:
    """Pids of the processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a finished process its new parent has not reaped yet)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(pids: set[int], within_s: float) -> set[int]:
    """The processes of ``pids`` still alive after waiting up to ``within_s``."""
    import time

    deadline = time.monotonic() + within_s
    while (alive := {p for p in pids if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _start_slow_batch(tmp_path: Path) -> tuple[Any, Path, set[int]]:
    """``formcheck batch --jobs 2`` on four cached clips, each held 3 s by the test hook, in its own process
    group (as a terminal runs it); returns once the first video is done, with the worker pids."""
    import os
    import subprocess
    import sys
    import time

    from formcheck.batch import SLOW_ENV

    clips = {f"v{i}.mp4": stem for i, stem in enumerate(["rdl_clean", "rdl_knees_bend", "rdl_clean", "rdl_knees_bend"])}
    folder = make_folder(tmp_path, clips, broken=False)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "formcheck", "batch", str(folder), "-o", str(out), "--jobs", "2"],
        env={**os.environ, SLOW_ENV: "3"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 90
    workers: set[int] = set()
    while not list(out.rglob("*.done")):
        workers |= _children(proc.pid)
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the batch did not finish a video: {proc.communicate(timeout=10)}")
        time.sleep(0.05)
    workers |= _children(proc.pid)
    return proc, out, {p for p in workers if "formcheck" in _cmdline(p) or "multiprocessing" in _cmdline(p)}


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.parametrize("signame, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupt_stops_the_queue_writes_the_summary_and_ends_the_workers(tmp_path, signame, code):
    import os
    import signal
    import subprocess

    proc, out, workers = _start_slow_batch(tmp_path)
    assert workers, "no worker processes seen"
    try:
        if signame == "SIGINT":
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        else:
            proc.send_signal(signal.SIGTERM)  # kill PID: the main process only
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        pytest.fail(f"{signame} did not stop the batch within 30 s")
    assert proc.returncode == code, err
    assert "interrupted" in err and "Traceback" not in err
    with (out / "summary.csv").open(newline="") as handle:
        status = {r["path"]: r["status"] for r in csv.DictReader(handle)}
    assert set(status) == {"v0.mp4", "v1.mp4", "v2.mp4", "v3.mp4"}
    assert "ok" in status.values() and "interrupted" in status.values(), status
    assert not _gone(workers, 10.0), "worker processes outlived the batch"


def test_a_video_finished_as_the_interrupt_came_is_summarised_as_finished(tmp_path, monkeypatch):
    """The race of the interrupt test, made certain: a worker writes its video's result and manifest, then
    the interrupt comes before the row reaches the main process. That video finished; the summary says
    ``ok`` with its reports, the one never started says ``interrupted``."""
    import signal

    from formcheck import batch

    def engine(tasks, job, jobs, on_done, stop):
        batch.process_one(tasks[0], job)  # the result is written; its row never reaches on_done
        stop.signum = signal.SIGINT

    monkeypatch.setattr(batch, "_run_local", engine)
    folder = make_folder(tmp_path, {"v0.mp4": "rdl_clean", "v1.mp4": "rdl_knees_bend"}, broken=False)
    out = tmp_path / "out"
    with pytest.raises(batch.BatchInterrupted) as caught:
        formcheck.analyze_folder(folder, out, jobs=1)
    assert "1 of 2 videos analysed" in str(caught.value)
    with (out / "summary.csv").open(newline="") as handle:
        rows = {r["path"]: r for r in csv.DictReader(handle)}
    assert rows["v0.mp4"]["status"] == "ok" and rows["v0.mp4"]["reps"] not in ("", "0"), rows["v0.mp4"]
    assert rows["v1.mp4"]["status"] == "interrupted"
    assert (out / "v0.mp4.json").exists() and not (out / "v1.mp4.json").exists()


def test_workers_end_when_the_main_process_is_killed(tmp_path):
    import os
    import signal

    proc, _, workers = _start_slow_batch(tmp_path)
    assert workers, "no worker processes seen"
    proc.kill()  # SIGKILL: nothing in the main process runs
    proc.communicate(timeout=10)
    left = _gone(workers, 10.0)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived a killed batch"
