"""The review of one analysed set: the JSON report's reps and findings with the coach's overrides and
notes laid over them (the analysis's own verdict is kept and shown beside an override)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..report.console import VERDICT_STYLE
from .models import Note, Override, Share, Video
from .settings import WebSettings
from .storage import video_dir
from .task import ANALYSIS_JSON, ANNOTATED, PLOTS_JSON

SEVERITY = {"not_checked": 0, "pass": 1, "warn": 2, "fault": 3}
UNITS = {"deg": "°", "s": " s", "leg": " leg lengths", "px": " px", "ratio": ""}


@dataclass
class FindingView:
    rule: str
    verdict: str  # in force: the coach's when overridden
    original: str  # the analysis's
    overridden: bool
    reason: str
    value: str
    threshold: str
    #: where the rule's fault starts (its limit plus the warning band), "" when the finding has none
    fault_line: str
    message: str
    cue: str
    confidence: str
    when: str
    t_start: float | None

    @property
    def word(self) -> str:
        return VERDICT_STYLE[self.verdict][1]

    @property
    def original_word(self) -> str:
        return VERDICT_STYLE[self.original][1]


@dataclass
class RepView:
    index: int
    t_start: float
    t_bottom: float
    t_lockout: float
    t_end: float
    rom: str
    verdict: str
    original_verdict: str
    findings: list[FindingView] = field(default_factory=list)
    note: str = ""

    @property
    def flagged(self) -> bool:
        return self.verdict in ("warn", "fault")

    @property
    def word(self) -> str:
        return VERDICT_STYLE[self.verdict][1]


@dataclass
class Review:
    video: Video
    lift: str
    view: str
    judged: bool
    not_judged_reason: str
    duration_s: float
    fps: float
    reps: list[RepView]
    set_note: str
    set_findings: list[FindingView]
    plots: list[dict[str, Any]]
    warnings: list[str]
    shares: list[Share]

    @property
    def flagged_reps(self) -> list[RepView]:
        return [r for r in self.reps if r.flagged]


def _fmt(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    digits = 2 if unit in ("leg", "ratio", "s") else 0
    return f"{float(value):.{digits}f}{UNITS.get(unit, ' ' + unit if unit else '')}"


def _with_uncertainty(f: dict[str, Any]) -> str:
    """The measured value with its measurement uncertainty (report schema 1.3), as the HTML report shows it."""
    value = _fmt(f.get("value"), f.get("unit", ""))
    u = f.get("uncertainty")
    if f.get("value") is None or u is None or not math.isfinite(float(u)) or float(u) <= 0:
        return value
    return f"{value} ± {_fmt(u, f.get('unit', ''))}"


def _finding(f: dict[str, Any], override: Override | None) -> FindingView:
    t0, t1 = f.get("t_start"), f.get("t_end")
    return FindingView(
        rule=str(f["rule"]),
        verdict=override.verdict if override else str(f["verdict"]),
        original=str(f["verdict"]),
        overridden=override is not None,
        reason=override.reason if override else "",
        value=_with_uncertainty(f),
        threshold=_fmt(f.get("threshold"), f.get("unit", "")),
        fault_line="" if f.get("fault_line") is None else _fmt(f.get("fault_line"), f.get("unit", "")),
        message=str(f.get("message", "")),
        cue=str(f.get("cue", "")),
        confidence="" if f.get("confidence") is None else f"{f['confidence']:.2f}",
        when=f"{t0:.1f}–{t1:.1f} s" if t0 is not None and t1 is not None else "",
        t_start=t0,
    )


def _worst(verdicts: list[str]) -> str:
    return max(verdicts, key=lambda v: SEVERITY.get(v, 0)) if verdicts else "not_checked"


def analysis_files(settings: WebSettings, video: Video) -> dict[str, Path]:
    folder = video_dir(settings, video.id)
    return {"json": folder / ANALYSIS_JSON, "video": folder / ANNOTATED, "plots": folder / PLOTS_JSON}


def load(settings: WebSettings, db: Session, video: Video) -> Review | None:
    """The review of ``video``; None until its analysis is done."""
    files = analysis_files(settings, video)
    try:
        report = json.loads(files["json"].read_text())
    except (OSError, ValueError):
        return None
    try:
        plots = json.loads(files["plots"].read_text())
    except (OSError, ValueError):
        plots = []
    overrides = {(o.rep, o.rule): o for o in db.scalars(select(Override).where(Override.video_id == video.id))}
    notes = {n.rep: n.text for n in db.scalars(select(Note).where(Note.video_id == video.id))}
    reps = []
    for r in report.get("reps", []):
        findings = [_finding(f, overrides.get((r["index"], f["rule"]))) for f in r.get("findings", [])]
        findings.sort(key=lambda f: (-SEVERITY.get(f.verdict, 0), f.rule))
        reps.append(
            RepView(
                index=int(r["index"]),
                t_start=float(r["t_start"]),
                t_bottom=float(r["t_bottom"]),
                t_lockout=float(r["t_lockout"]),
                t_end=float(r["t_end"]),
                rom=_fmt(r.get("rom_deg"), "deg"),
                verdict=_worst([f.verdict for f in findings]),
                original_verdict=str(r.get("verdict", "not_checked")),
                findings=findings,
                note=notes.get(int(r["index"]), ""),
            )
        )
    meta = report.get("video", {})
    shares = list(db.scalars(select(Share).where(Share.video_id == video.id, Share.revoked_at.is_(None))))
    return Review(
        video=video,
        lift=str(report.get("exercise", {}).get("label", "")),
        view=str(report.get("view", {}).get("label", "")),
        judged=bool(report.get("judged")),
        not_judged_reason=str(report.get("not_judged_reason", "")),
        duration_s=float(meta.get("duration_s") or 0.0),
        fps=float(meta.get("fps") or 30.0),
        reps=reps,
        set_note=notes.get(0, ""),
        set_findings=[
            _finding(f, None) for f in report.get("set_findings", []) if f.get("verdict") in ("warn", "fault")
        ],
        plots=[{**p, "svg": Markup(p["svg"])} for p in plots],
        warnings=[str(w.get("message", "")) for w in report.get("warnings", [])],
        shares=shares,
    )


def original_verdict(settings: WebSettings, video: Video, rep: int, rule: str) -> str | None:
    """The analysis's verdict for ``rule`` on ``rep``; None when the report has no such finding."""
    try:
        report = json.loads(analysis_files(settings, video)["json"].read_text())
    except (OSError, ValueError):
        return None
    for r in report.get("reps", []):
        if r.get("index") == rep:
            for f in r.get("findings", []):
                if f.get("rule") == rule:
                    return str(f.get("verdict"))
    return None


def best_and_worst(review: Review) -> tuple[int, int]:
    """Rep numbers to compare by default: the cleanest rep (largest ROM among the least flagged) and the worst."""
    if not review.reps:
        return 1, 1

    def rom(r: RepView) -> float:
        try:
            return float(r.rom.rstrip("°"))
        except ValueError:
            return 0.0

    best = min(review.reps, key=lambda r: (SEVERITY.get(r.verdict, 0), -rom(r)))
    worst = max(review.reps, key=lambda r: (SEVERITY.get(r.verdict, 0), r.index))
    return best.index, worst.index
