"""The result of analysing one video: every report writer takes an :class:`Analysis`."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .cleaning import CleaningReport
from .config import Config
from .quality import QualityWarning
from .reps import Levels
from .summary import SetSummary
from .trust import TrustTable
from .types import AngleSeries, Detection, Finding, Rep, VideoMeta

#: Metrics reported at each rep's start, bottom and lockout.
REP_METRICS = ("hip_deg", "hip_line_dev_deg", "knee_flexion_deg", "neck_flexion_deg", "gaze_deg", "torso_incline_deg")

if TYPE_CHECKING:  # barbell imports OpenCV: not needed to read an analysis
    from .barbell import BarCheckRow
    from .exercises.base import Rule
    from .loops import Loop

__all__ = ["SCHEMA_VERSION", "Analysis", "QualityWarning"]

#: Version of the JSON report layout (docs/report-schema.md). Bump on breaking changes.
SCHEMA_VERSION = "1.8"


@dataclass
class Analysis:
    video: VideoMeta
    model: str
    exercise: Detection
    exercise_forced: bool
    family: str
    view: Detection
    judged: bool
    not_judged_reason: str
    reps: list[Rep]
    findings: list[Finding]
    warnings: list[QualityWarning]
    series: AngleSeries
    config: Config
    cleaning: CleaningReport
    summary: SetSummary
    detected_fraction: float
    levels: Levels | None = None
    timings: dict[str, float] = field(default_factory=dict)
    #: Image-space landmarks (T, 33, 2) after cleaning, for overlays; not serialised.
    landmarks_xy: np.ndarray | None = None
    #: Hinge reps checked for a bar left on the floor (formcheck.barbell), as report rows.
    bar_checks: list[BarCheckRow] = field(default_factory=list)
    #: Which body points were evidence in which frames (formcheck.trust); summarised in the report.
    trust: TrustTable | None = None
    #: Stretches of footage that replay earlier frames (formcheck.loops); reps inside them carry ``repeat_of``.
    loops: list[Loop] = field(default_factory=list)
    #: The plate search (formcheck.plates): per rep, what was found, or why it did not run.
    plates: dict[str, Any] | None = None
    #: The rules of the lift as judged (a variant's or an unknown lift's own), for the reports' wording; not
    #: serialised (each finding carries its rule id and reason).
    lift_rules: tuple[Rule, ...] = ()

    @property
    def versions(self) -> dict[str, str]:
        """The versions of formcheck and its libraries (:func:`library_versions`), looked up when a report
        prints them: a re-judge that writes no report does not read the packages' metadata."""
        return library_versions()

    def findings_for(self, rep: int | None) -> list[Finding]:
        return [f for f in self.findings if f.rep == rep]

    def flagged(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict in ("warn", "fault")]

    def measured(self, name: str) -> np.ndarray:
        """(T,) True where signal ``name`` of the series is a measurement: every body point it is computed from is
        evidence (:attr:`trust`, COACHING.md §6) and the frame's shot was not filmed along the body (from the front
        or the back, angles on screen say little). Without a trust table (an older cached report) every frame counts
        but the end-on shots'."""
        from .exercises.base import ALONG_THE_BODY
        from .kinematics import METRIC_JOINTS

        t = self.series.t
        out = self.seen(METRIC_JOINTS.get(name, ()))
        if self.view.label in ALONG_THE_BODY:
            out[:] = False
        for shot in (self.view.detail or {}).get("shots", []) if self.view.label == "mixed" else []:
            if shot.get("view") in ALONG_THE_BODY:
                out &= ~((t >= shot["t_start"]) & (t <= shot["t_end"]))
        return out

    @property
    def frame_trust(self) -> TrustTable | None:
        """:attr:`trust` when it holds a row per frame of the series (None without one, or from an older cache whose
        table does not match the frames): what the reports read frame by frame."""
        if self.trust is None or len(self.trust.flags) != len(self.series.t):
            return None
        return self.trust

    def seen(self, joints: tuple[str, ...] | list[str]) -> np.ndarray:
        """(T,) True where every one of ``joints`` is evidence (:attr:`frame_trust`; every frame without one)."""
        trust = self.frame_trust
        if trust is None:
            return np.ones(len(self.series.t), dtype=bool)
        out: np.ndarray = ~trust.untrusted(joints)
        return out

    def rep_verdict(self, rep: int) -> str:
        """Worst verdict of a rep: fault > warn > pass > not_checked."""
        verdicts = {f.verdict for f in self.findings_for(rep)}
        for v in ("fault", "warn", "pass"):
            if v in verdicts:
                return v
        return "not_checked"

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (docs/report-schema.md)."""
        series = self.series
        reps = []
        for rep in self.reps:
            metrics = {}
            for name in REP_METRICS:
                if name in series:
                    values = series[name]
                    metrics[name] = {
                        "at_start": _num(values[rep.start]),
                        "at_bottom": _num(values[rep.bottom]),
                        "at_lockout": _num(values[rep.lockout]),
                    }
            reps.append(
                {
                    **rep.to_dict(),
                    "verdict": self.rep_verdict(rep.index),
                    "metrics": metrics,
                    "frames": {
                        "start": int(series.frame_index[rep.start]),
                        "bottom": int(series.frame_index[rep.bottom]),
                        "liftoff": int(series.frame_index[rep.rise]),
                        "lockout": int(series.frame_index[rep.lockout]),
                        "end": int(series.frame_index[max(rep.end - 1, 0)]),
                    },
                    "findings": [f.to_dict() for f in self.findings_for(rep.index)],
                }
            )
        return {
            "schema_version": SCHEMA_VERSION,
            "video": self.video.to_dict(),
            "model": self.model,
            "exercise": {**self.exercise.to_dict(), "family": self.family, "forced": self.exercise_forced},
            "view": self.view.to_dict(),
            "judged": self.judged,
            "not_judged_reason": self.not_judged_reason,
            "detected_fraction": round(self.detected_fraction, 4),
            "warnings": [w.to_dict() for w in self.warnings],
            "summary": self.summary.to_dict(),
            "reps": reps,
            "set_findings": [f.to_dict() for f in self.findings_for(None)],
            "measurement": {
                "side": series.side,
                "facing": "right" if series.facing > 0 else "left",
                "levels": None if self.levels is None else {k: round(v, 2) for k, v in asdict(self.levels).items()},
                "cleaning": self.cleaning.to_dict(),
                "bar_checks": [row.to_dict() for row in self.bar_checks],
                "trust": None if self.trust is None else self.trust.summary(),
                "loops": [loop.to_dict() for loop in self.loops],
                "plates": self.plates,
            },
            "config": self.config.to_dict(),
            "versions": self.versions,
            "timings_s": self.timings,
        }


def library_versions() -> dict[str, str]:
    """formcheck's version and the installed versions of the libraries an analysis depends on."""
    return dict(_library_versions())


@functools.cache
def _library_versions() -> dict[str, str]:
    # importlib.metadata (with the email, csv and zipfile modules it imports) costs about 0.03 s of CPU:
    # imported here, when a report is written, not by every analysis (docs/PERFORMANCE.md).
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    out = {"formcheck": __version__}
    for pkg in ("mediapipe", "numpy", "scipy", "av"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _num(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 2)
