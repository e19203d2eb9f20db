"""Rendered clips kept in ``tests/data/rendered``: an mp4 from ``formcheck synth``, the full model's landmarks beside it
(``<stem>.full.npz``) and the render's truth (``<stem>.truth.json``: the command, the true lockouts and per rep
what the test needs). Shared by the integration tests that judge them end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formcheck.analysis import Analysis
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import Finding, PoseSequence

DATA = Path(__file__).resolve().parent / "data" / "rendered"


def judge_rendered(stem: str, rule: str, config: Any) -> tuple[dict[str, Any], Analysis, dict[int, Finding]]:
    """The clip's truth, its analysis (with its video, as ``formcheck analyze`` runs) and ``rule``'s finding per
    true rep (the index into the truth's lists) that the counter found."""
    truth = json.loads((DATA / f"{stem}.truth.json").read_text())
    seq = PoseSequence.load_npz(DATA / f"{stem}.full.npz")
    analysis = analyze_landmarks(seq, config, video=DATA / f"{stem}.mp4")
    match = match_reps(truth["lockout_s"], analysis.reps)
    by_rep = {f.rep: f for f in analysis.findings if f.rule == rule}
    return truth, analysis, {k: by_rep[rep] for k, rep in match.items()}
