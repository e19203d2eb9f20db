"""The JSON reports of the sample clips, field for field, against reports written before the code was
restructured (issue 9): a refactor must not change a verdict, a number or a message.

The golden files were written by ``tools/snapshot_reports.py`` (timings and package versions left out,
since they change from run to run). When a change is meant to alter a report, re-write them with
``python tools/snapshot_reports.py tests/data/golden hip_thrust_head_back ...`` and say why in the commit.
The config and the lift detection are compared key by key: a new setting or posture feature may be added,
none may change. The rest of the report is compared key by key too (lists item by item, their lengths
included; a float may differ by float rounding only, :data:`FLOAT_REL`, since the low-pass filter was moved
from scipy.signal to numpy in issue 12): keys added since a golden file was written (schema 1.2: each finding's ``confidence``,
``measurement.trust``) are allowed, a changed or missing value is not; ``schema_version`` may only move on.
"""

from __future__ import annotations

import json
import math

import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.report.json_report import dumps
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, ROOT

GOLDEN = ROOT / "tests" / "data" / "golden"
VOLATILE = ("timings_s", "versions")
#: Relative difference two floats may have and still be the same number: float rounding (the numpy low-pass
#: of formcheck.filters agrees with scipy.signal's to about 1e-14), far below anything a report shows.
FLOAT_REL = 1e-9


def _leaves(data: object, where: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _leaves(value, f"{where}.{key}").items()}
    if isinstance(data, list):
        items = {k: v for i, value in enumerate(data) for k, v in _leaves(value, f"{where}[{i}]").items()}
        return {f"{where}#len": len(data), **items}
    return {where: data}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@pytest.mark.parametrize("stem", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_sample_report_matches_the_golden_one(stem: str) -> None:
    golden = json.loads((GOLDEN / f"{stem}.json").read_text())
    video = ROOT / "sample_videos" / f"{stem}.mp4"
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz"), load_config(), video=video)
    report = json.loads(dumps(analysis.to_dict()))
    for key in VOLATILE:
        report.pop(key)
    assert _version(report.pop("schema_version")) >= _version(golden.pop("schema_version"))
    # new settings, posture features and report keys may be added; none may change or go
    old, new = _leaves(golden), _leaves(report)
    assert not set(old) - set(new), sorted(set(old) - set(new))
    changed = {k: (v, new[k]) for k, v in old.items() if not _same(v, new[k])}
    assert not changed, changed


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=FLOAT_REL, abs_tol=FLOAT_REL)
    return a == b


def test_golden_reports_cover_every_sample_clip() -> None:
    clips = {p.stem for p in (ROOT / "sample_videos").glob("*.mp4")}
    assert clips and clips == {p.stem for p in GOLDEN.glob("*.json")}
