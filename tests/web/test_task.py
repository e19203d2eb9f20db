"""What a worker process runs for one job (formcheck/web/task.py), called here in this process."""

from __future__ import annotations

import json

from formcheck.web.task import ANALYSIS_JSON, ANNOTATED, PLOTS_JSON, analyse
from tests.helpers import seed_cache
from tests.web.support import CLIP, CLIP_LANDMARKS


def test_analyse_writes_the_report_the_video_and_the_plots(tmp_path):
    seed_cache(CLIP, CLIP_LANDMARKS)
    result = analyse(str(CLIP), str(tmp_path / "out"), "auto")
    assert result["ok"], result
    summary = result["summary"]
    assert summary["lift"] == "hip_thrust" and summary["reps"] == 4 and summary["judged"]
    assert summary["flags"] == {"ht.consistency": 1, "ht.look_at_wall": 1} and summary["flagged_reps"] == 1
    assert len(summary["rom_deg"]) == 4 and 75 < summary["rom_mean_deg"] < 90
    report = json.loads((tmp_path / "out" / ANALYSIS_JSON).read_text())
    assert [r["verdict"] for r in report["reps"]] == ["pass", "pass", "pass", "fault"]
    assert (tmp_path / "out" / ANNOTATED).stat().st_size > 10_000
    plots = json.loads((tmp_path / "out" / PLOTS_JSON).read_text())
    assert plots and all(p["svg"].startswith("<svg") for p in plots)


def test_a_problem_with_the_video_is_a_one_line_result_not_an_exception(tmp_path):
    bad = tmp_path / "source"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)  # a container head with nothing after it
    result = analyse(str(bad), str(tmp_path / "out"), "hip_thrust")
    assert result["ok"] is False and "\n" not in result["error"] and result["error"]
    assert not (tmp_path / "out" / ANALYSIS_JSON).exists()
