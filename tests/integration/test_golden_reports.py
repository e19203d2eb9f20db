"""The JSON reports of the sample clips, field for field, against reports written before the code was
restructured (issue 9): a refactor must not change a verdict, a number or a message.

The golden files were written by ``tools/snapshot_reports.py`` (timings and package versions left out,
since they change from run to run). When a change is meant to alter a report, re-write them with
``python tools/snapshot_reports.py tests/data/golden hip_thrust_head_back ...`` and say why in the commit.
The config and the lift detection are compared key by key: a new setting or posture feature may be added,
none may change.
"""

from __future__ import annotations

import json

import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.report.json_report import dumps
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, ROOT

GOLDEN = ROOT / "tests" / "data" / "golden"
VOLATILE = ("timings_s", "versions")


def _leaves(data: object, where: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _leaves(value, f"{where}.{key}").items()}
    return {where: data}


@pytest.mark.parametrize("stem", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_sample_report_matches_the_golden_one(stem: str) -> None:
    golden = json.loads((GOLDEN / f"{stem}.json").read_text())
    video = ROOT / "sample_videos" / f"{stem}.mp4"
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz"), load_config(), video=video)
    report = json.loads(dumps(analysis.to_dict()))
    for key in VOLATILE:
        report.pop(key)
    for added in ("config", "exercise"):  # new settings and new posture features may be added, none may change
        old, new = _leaves(golden.pop(added)), _leaves(report.pop(added))
        assert {k: new.get(k) for k in old} == old
    assert report == golden


def test_golden_reports_cover_every_sample_clip() -> None:
    clips = {p.stem for p in (ROOT / "sample_videos").glob("*.mp4")}
    assert clips and clips == {p.stem for p in GOLDEN.glob("*.json")}
