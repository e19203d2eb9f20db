"""The fault corpus (issue 11): every case run through ``formcheck analyze``, every input file through one
``formcheck batch``, and whole batch runs with broken options, configs and disks.

The promise checked on each: the documented exit code; for a refusal one line naming the problem and the
fix, never a traceback or "internal error"; the input and everything beside it byte for byte as before
(checksums); no temporary file left; each run under a time limit (a hang fails the case); in a batch, a
summary with one row per input file and no unescaped file name in ``index.html`` or formula in
``summary.csv``. Cases are data: tests/faults/cases.py.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import markupsafe
import pytest

from tests.faults import inputs as mk
from tests.faults.cases import (
    ANALYZE_CASES,
    BATCH_CASES,
    BATCH_FOLDER,
    BATCH_RUNS,
    FOLDER,
    BatchRun,
    Case,
)
from tests.faults.harness import (
    assert_clean_failure,
    run_cli,
    run_console_script,
    snapshot,
    temp_files,
)

#: Seconds one ``analyze`` case may take before it counts as hung (they take 0.1-3 s).
ANALYZE_TIMEOUT_S = 60.0
#: Seconds one batch run may take (the corpus batch analyses ~90 files with two workers).
BATCH_TIMEOUT_S = 300.0


def _workspace(root: Path, case: Case) -> dict[str, Path]:
    """``root``: ``in/`` (the input), ``out/`` (reports), ``cwd/`` (the working folder, must stay empty) and the
    odd things output and config cases point at: a file, a pipe, a link, ``coach.toml``."""
    ws = {"ws": root, "in": root / "in", "out": root / "out", "cwd": root / "cwd"}
    for key in ("in", "out", "cwd"):
        ws[key].mkdir(parents=True)
    (root / "file.txt").write_text("a file, not a folder\n")
    os.mkfifo(root / "pipe")
    (root / "link.json").symlink_to("file.txt")
    if case.config == FOLDER:
        (root / "coach.toml").mkdir()
    elif isinstance(case.config, bytes):
        (root / "coach.toml").write_bytes(case.config)
    elif case.config is not None:
        (root / "coach.toml").write_text(case.config)
    return ws


def _fill(args: tuple[str, ...], paths: dict[str, Path], video: Path | None = None) -> list[str]:
    values = {k: str(v) for k, v in paths.items()}
    if video is not None:
        values["in"] = str(video)
    return [re.sub(r"\{(ws|in|out)\}", lambda m: values[m.group(1)], a) for a in args]


@pytest.fixture
def cache_env(corpus_cache):
    """The corpus's landmark cache (tests/faults/conftest.py), for the child processes."""
    return {"FORMCHECK_CACHE": str(corpus_cache)}


@pytest.mark.parametrize("case", ANALYZE_CASES, ids=[c.id for c in ANALYZE_CASES])
def test_analyze(case: Case, tmp_path, cache_env):
    ws = _workspace(tmp_path / "ws", case)
    video = (case.make or mk.clip)(ws["in"], case.name if case.make else "set.mp4")
    before = snapshot(ws["ws"], skip=(ws["out"],))
    argv = ["analyze", str(video), "-q", *_fill(case.args, ws, video)]
    inject = _fill((case.inject,), ws)[0] if case.inject else None
    result = run_cli(argv, cwd=ws["cwd"], env=cache_env, timeout=ANALYZE_TIMEOUT_S, inject=inject)

    if case.code == 0:
        assert not result.timed_out, f"hung: {result.err}"
        assert result.code == 0, result.out + result.err
        assert result.out == "" and result.err == "", result.out + result.err  # -q: nothing but errors
    else:
        assert_clean_failure(result, case.code, case.needles, usage=case.usage)
    written = {ws["ws"] / p for p in case.outputs}
    for path in written:
        assert path.is_file() and path.stat().st_size > 0, f"{path} not written"
    after = snapshot(ws["ws"], skip=(ws["out"], *written))
    assert after == before, "something beside the outputs changed"
    assert temp_files(ws["ws"]) == []
    if case.code != 0:
        assert list(ws["out"].iterdir()) == [], "a refused run wrote into the output folder"


#: A few cases through the real console script (a new interpreter, ``python -m formcheck``).
ENTRY_CASES = [c for c in ANALYZE_CASES if c.id in {"good-clip", "fifo", "png-as-mp4", "config-nan", "name-09"}]


@pytest.mark.parametrize("case", ENTRY_CASES, ids=[c.id for c in ENTRY_CASES])
def test_console_script(case: Case, tmp_path, cache_env):
    ws = _workspace(tmp_path / "ws", case)
    video = (case.make or mk.clip)(ws["in"], case.name)
    before = snapshot(ws["ws"], skip=(ws["out"],))
    argv = ["analyze", str(video), "-q", *_fill(case.args, ws, video)]
    result = run_console_script(argv, cwd=ws["cwd"], env=cache_env, timeout=ANALYZE_TIMEOUT_S)
    if case.code == 0:
        assert result.code == 0 and not result.err, result.err
    else:
        assert_clean_failure(result, case.code, case.needles)
    assert snapshot(ws["ws"], skip=(ws["out"],)) == before


# ----------------------------------------------------------------------------------------- one batch, every file


@pytest.fixture(scope="module")
def corpus_batch(tmp_path_factory):
    """Every file case in one folder (name cases at its top, file cases in a subfolder each), one batch run
    over it with two workers; returns (folder, output, result, snapshot before)."""
    root = tmp_path_factory.mktemp("corpus")
    old = os.environ.get("FORMCHECK_CACHE")
    os.environ["FORMCHECK_CACHE"] = str(root / "cache")
    try:
        folder, out, cwd = root / "in", root / "out", root / "cwd"
        cwd.mkdir()
        folder.mkdir()
        mk.seed(mk.base_clip())
        for case in BATCH_CASES:
            place = folder if case.id.startswith("name-") else folder / "files" / case.id
            place.mkdir(parents=True, exist_ok=True)
            (case.make or mk.clip)(place, case.name)
        before = snapshot(folder)
        result = run_cli(
            ["batch", str(folder), "-o", str(out), "--jobs", "2"],
            cwd=cwd,
            env={"FORMCHECK_CACHE": str(root / "cache")},
            timeout=BATCH_TIMEOUT_S,
        )
    finally:
        if old is None:
            os.environ.pop("FORMCHECK_CACHE", None)
        else:
            os.environ["FORMCHECK_CACHE"] = old
    return folder, out, result, before


def _rel(case: Case) -> str:
    rel = case.name if case.id.startswith("name-") else f"files/{case.id}/{case.name}"
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _rows(out: Path) -> dict[str, dict]:
    return {row["path"]: row for row in json.loads((out / "summary.json").read_text())["videos"]}


def test_corpus_batch_run(corpus_batch):
    """The run as a whole: exit 1 (some videos failed), one row per visible file, inputs untouched."""
    folder, out, result, before = corpus_batch
    assert not result.timed_out, result.err[-2000:]
    assert "Traceback" not in result.out + result.err and "internal error" not in result.out + result.err
    assert result.code == 1, result.err[-2000:]
    rows = _rows(out)
    visible = [_rel(c) for c in BATCH_CASES if c.batch != "absent"]
    assert sorted(rows) == sorted(visible)
    with (out / "summary.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(visible)
    assert snapshot(folder) == before
    assert temp_files(out) == [] and temp_files(folder) == []
    assert list((folder.parent / "cwd").iterdir()) == []


@pytest.mark.parametrize("case", BATCH_CASES, ids=[c.id for c in BATCH_CASES])
def test_corpus_batch_row(case: Case, corpus_batch):
    _, out, result, _ = corpus_batch
    rows = _rows(out)
    rel = _rel(case)
    if case.batch == "absent":
        assert rel not in rows
        return
    row = rows[rel]
    assert row["status"] == case.batch, row
    if case.batch == "ok":
        assert set(row["reports"]) == {"json"}
        shown = row["reports"]["json"]  # a name that is not UTF-8 is shown with \\xNN escapes: find it by its bytes
        assert (out / (case.name + ".json" if "\\x" in shown else shown)).is_file()
    elif case.batch == "failed":
        assert row["error"] and "internal error" not in row["error"]
        assert all(n in row["error"] for n in case.needles if n != "set.mp4"), row["error"]
    else:
        assert row["note"], row


def test_corpus_batch_index_and_csv_hold_no_live_user_text(corpus_batch):
    """File names are data: escaped in index.html (no tag, no script link), quoted in summary.csv."""
    _, out, _, _ = corpus_batch
    page = (out / "index.html").read_text()
    for case in BATCH_CASES:
        raw = _rel(case)
        if any(c in raw for c in "<>\"'&"):
            assert raw not in page, f"unescaped: {raw!r}"
            assert str(markupsafe.escape(raw)) in page
    assert "<script>alert" not in page and "<img src=x" not in page
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith(("./", "#")), href
    with (out / "summary.csv").open(newline="") as handle:
        for row in csv.reader(handle):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


# ----------------------------------------------------------------------------------------- whole batch runs


def _batch_workspace(root: Path) -> dict[str, Path]:
    ws = {"ws": root, "in": root / "in", "out": root / "out", "cwd": root / "cwd"}
    for key in ("in", "cwd"):
        ws[key].mkdir(parents=True)
    (root / "file.txt").write_text("a file, not a folder\n")
    (root / "ro").mkdir()
    for rel, kind in BATCH_FOLDER.items():
        path = ws["in"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "clip":
            mk.clip(path.parent, path.name)
        else:
            path.write_text("notes from the gym\n")
    return ws


@pytest.mark.parametrize("run", BATCH_RUNS, ids=[r.id for r in BATCH_RUNS])
def test_batch_run(run: BatchRun, tmp_path, cache_env):
    ws = _batch_workspace(tmp_path / "ws")
    before = snapshot(ws["ws"], skip=(ws["out"], ws["in"] / "reports"))
    argv = ["batch", "--jobs", "2", *_fill(run.args, ws)]
    inject = _fill((run.inject,), ws)[0] if run.inject else None
    result = run_cli(argv, cwd=ws["cwd"], env=cache_env, timeout=BATCH_TIMEOUT_S, inject=inject)
    out = Path(_fill((run.args[run.args.index("-o") + 1],), ws)[0])
    if run.rows is None:
        assert_clean_failure(result, run.code, run.needles, usage=run.usage)
    else:
        text = result.out + result.err
        assert not result.timed_out and "Traceback" not in text and "internal error" not in text, text
        assert result.code == run.code, text
        rows = _rows(out)
        assert {path: row["status"] for path, row in rows.items()} == run.rows
        for row in rows.values():
            if row["status"] == "failed":
                assert "could not write" in row["error"] or "cannot write" in row["error"], row["error"]
            if row["status"] == "ok":
                wanted = {"json"} | ({"html", "video"} if "--html" in run.args else set())
                wanted |= {"csv"} if "--csv" in run.args else set()
                assert set(row["reports"]) == wanted, row["reports"]
                assert all((out / p).is_file() for p in row["reports"].values())
    assert snapshot(ws["ws"], skip=(ws["out"], ws["in"] / "reports")) == before
    assert temp_files(ws["ws"]) == []


def test_batch_reports_for_a_coach(tmp_path, cache_env):
    """Without a terminal a batch prints one plain line per video; with --html --csv it writes every report;
    index.html names the lift, counts reps by verdict, links each report with its annotated video; summary.csv
    has the confidence columns."""
    ws = _batch_workspace(tmp_path / "ws")
    result = run_cli(
        ["batch", str(ws["in"]), "-o", str(ws["out"]), "--html", "--csv", "--jobs", "2"],
        cwd=ws["cwd"],
        env=cache_env,
        timeout=BATCH_TIMEOUT_S,
    )
    assert result.code == 0, result.err
    lines = [line for line in result.err.splitlines() if line.startswith("[")]
    assert sorted(line.split(" ")[0] for line in lines) == ["[1/2]", "[2/2]"], result.err
    assert all(re.match(r"^\[\d/2\] ok (a|sub/b)\.mp4: hip thrust, 3 reps \(", line) for line in lines), lines
    page = (ws["out"] / "index.html").read_text()
    assert "<td>hip thrust</td>" in page and page.count("▶ video") == 2
    assert 'href="./sub/b.mp4.annotated.mp4"' in page and 'href="./sub/b.mp4.html"' in page
    with (ws["out"] / "summary.csv").open(newline="") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    row = rows["a.mp4"]
    assert float(row["lift_confidence"]) > 0.5 and float(row["view_confidence"]) > 0.5
    assert int(row["reps_pass"]) + int(row["reps_warn"]) + int(row["reps_fault"]) == int(row["reps"]) == 3
    assert row["video"] == "a.mp4.annotated.mp4" and float(row["analysis_s"]) > 0
    for row in rows.values():
        if row["status"] == "ok":
            assert all((ws["out"] / f"{row['path']}{end}").is_file() for end in (".json", ".csv", ".html"))
