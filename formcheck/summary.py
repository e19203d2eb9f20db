"""Set-level summary: rep count, range of motion and tempo trends, fatigue signs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .config import RepConfig
from .exercises.base import Phase
from .quality import QualityWarning
from .trust import HIP_LINE_JOINTS, TrustTable, describe, span_frames
from .types import JUDGED_VERDICTS, AngleSeries, Finding, Rep


@dataclass(frozen=True)
class FatigueSign:
    """A rule kept on the early reps it could judge and broken on the last ones."""

    rule: str
    reps: list[int]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "reps": self.reps, "message": self.message}


@dataclass(frozen=True)
class SetSummary:
    """The set as a whole: ``summary`` in the JSON report (values None where a rep's range or time is unknown)."""

    rep_count: int
    #: Reps that are not replays of an earlier one (footage that loops, formcheck.loops): ``rep_count`` counts
    #: the reps on screen, this the evidence. The trend, the flagged reps and fatigue use only these.
    distinct_rep_count: int | None = None
    rom_deg: list[float | None] = field(default_factory=list)
    rom_trend_deg_per_rep: float | None = None
    #: "steady", "shrinking" or "growing"; "unknown" under :data:`MIN_TREND_REPS` measured ranges.
    rom_trend: str = "unknown"
    eccentric_s: list[float | None] = field(default_factory=list)
    concentric_s: list[float | None] = field(default_factory=list)
    #: rule id -> the reps it flagged.
    flagged_reps: dict[str, list[int]] = field(default_factory=dict)
    fatigue: list[FatigueSign] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rep_count": self.rep_count,
            "distinct_rep_count": self.rep_count if self.distinct_rep_count is None else self.distinct_rep_count,
            "rom_deg": self.rom_deg,
            "rom_trend_deg_per_rep": self.rom_trend_deg_per_rep,
            "rom_trend": self.rom_trend,
            "eccentric_s": self.eccentric_s,
            "concentric_s": self.concentric_s,
            "flagged_reps": self.flagged_reps,
            "fatigue": [f.to_dict() for f in self.fatigue],
        }


#: The parts of a rep its range of motion is read from: the hip angle at the bottom and at the top.
RANGE_PHASES: tuple[Phase, ...] = (Phase.BOTTOM, Phase.TOP)


def range_unseen(rep: Rep, trust: TrustTable, min_share: float) -> str | None:
    """Why ``rep``'s range of motion was not measured, or None when it was: the hip angle's points (shoulder, hip,
    knee) must be evidence in at least ``min_share`` of the frames around the bottom and of the top, as a rule
    needs of its joints (COACHING.md §6: a number read from guessed joints is not a measurement)."""
    for phase in RANGE_PHASES:
        frames = span_frames(*phase.window(rep))
        if trust.trusted_share_at(HIP_LINE_JOINTS, frames) >= min_share:
            continue
        worst = trust.worst_at(HIP_LINE_JOINTS, frames)
        what = describe(*worst) if worst else "the landmarks are not trusted"
        return f"{what} at {phase.words}"
    return None


def measured_ranges(
    reps: list[Rep], trust: TrustTable, min_share: float, other_drivers: Sequence[tuple[int, int, str]] = ()
) -> tuple[list[Rep], QualityWarning | None]:
    """``reps`` with the range of motion (and the hip angle at the bottom and the top) left unknown where it was
    read from joints that were not evidence (:func:`range_unseen`) or, in the frames ``[a, b)`` of an
    ``other_drivers`` span, counted on another driver than the hip angle (the span's reason, as
    :attr:`formcheck.counting.Counted.other_drivers` gives it), and the warning that says which and why.

    Such a range is the model's guess: a knee drawn on the plate at the bottoms of a hip thrust read 65°, 151°,
    142°, 128° "growing" on a rendered set whose true range never changed (docs/ACCURACY.md)."""
    out: list[Rep] = []
    why: dict[int, str] = {}
    nan = float("nan")
    for rep in reps:
        reason = None
        if np.isfinite(rep.rom_deg):
            driven = [why for a, b, why in other_drivers if a <= rep.start < b]
            reason = driven[0] if driven else range_unseen(rep, trust, min_share)
        if reason is None:
            out.append(rep)
            continue
        why[rep.index] = reason
        out.append(replace(rep, rom_deg=nan, bottom_deg=nan, top_deg=nan))
    if not why:
        return out, None
    listed = ", ".join(map(str, why))
    common, n = Counter(why.values()).most_common(1)[0]
    more = "" if n == len(why) else f" on {n} of them, and other joints not seen on the rest"
    message = (
        f"range of motion not given for rep{'s' if len(why) > 1 else ''} {listed}: {common}{more}. "
        "Film with the hip and knee in clear view, from the side and not behind the plates or hands, to measure it"
    )
    return out, QualityWarning("range_not_measured", message, "info")


@dataclass(frozen=True)
class _Line:
    """The straight line through the known values against their place in the list (per rep)."""

    slope: float
    #: The sum of the places' squared distances from their mean: the slope's standard error is a value's scatter
    #: about the line over its square root.
    spread: float
    #: The values' scatter about the line (SD, n - 2 degrees of freedom).
    scatter: float


#: A line through fewer known ranges than this has no scatter to judge its slope by (two points fit any line).
MIN_TREND_REPS = 3
#: ``rom_trend`` of a set with fewer than :data:`MIN_TREND_REPS` measured ranges.
UNKNOWN_TREND = "unknown"


def _slope(values: list[float | None]) -> _Line | None:
    """The line through the known values; None under :data:`MIN_TREND_REPS`."""
    clean = [(i, v) for i, v in enumerate(values) if v is not None and np.isfinite(v)]
    if len(clean) < MIN_TREND_REPS:
        return None
    x, y = np.array(clean).T
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (slope * x + intercept)
    scatter = float(np.sqrt(np.sum(residuals**2) / (len(x) - 2)))
    return _Line(float(slope), float(np.sum((x - x.mean()) ** 2)), scatter)


def rom_trend(values: list[float | None], noise_deg: float, config: RepConfig) -> tuple[str, float | None]:
    """The range of motion's trend over the reps (``steady``, ``shrinking`` or ``growing``; :data:`UNKNOWN_TREND`
    under :data:`MIN_TREND_REPS` known ranges) and its slope (degrees per rep; None under that). A change is named
    only when the slope is at least ``config.rom_trend_min_deg_per_rep`` and ``config.rom_trend_sds`` of its standard
    error, from the ranges' own scatter about the line or, where they scatter less, ``noise_deg`` (how far a rep's
    range reads off a set's other reps, SD): that noise alone tilts a line through three reps by 0.7 of it per rep,
    and 56°, 100°, 79° is no trend."""
    line = _slope(values)
    if line is None:  # one or two ranges: no trend to tell, "steady" would claim one
        return UNKNOWN_TREND, None
    slope = line.slope
    error = max(noise_deg, line.scatter) / np.sqrt(line.spread)
    needed = max(config.rom_trend_min_deg_per_rep, config.rom_trend_sds * error)
    if slope <= -needed:
        return "shrinking", slope
    if slope >= needed:
        return "growing", slope
    return "steady", slope


def _round(value: float | None, digits: int) -> float | None:
    """``value`` rounded, or None when it is unknown (a lockout out of view has no range or time up)."""
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def summarise(
    reps: list[Rep],
    findings: list[Finding],
    series: AngleSeries,
    config: RepConfig | None = None,
    from_side: bool = True,
) -> SetSummary:
    """The set's summary. Per-rep lists follow the reps on screen; the trend, flagged reps and fatigue count a
    rep replayed by looping footage (``Rep.repeat_of``) once. ``from_side``: every shot was filmed square from the
    side, where a rep's range of motion reads within ``config.rom_noise_side_deg`` (else ``rom_noise_oblique_deg``)."""
    config = config or RepConfig()
    rom = [_round(r.rom_deg, 1) for r in reps]
    ecc = [_round(r.eccentric_s, 2) for r in reps]
    con = [_round(r.concentric_s, 2) for r in reps]
    new = {r.index for r in reps if r.repeat_of is None}
    noise = config.rom_noise_side_deg if from_side else config.rom_noise_oblique_deg
    trend, rom_slope = rom_trend([v for v, r in zip(rom, reps) if r.index in new], noise, config)
    flagged: dict[str, list[int]] = {}
    for f in findings:
        if f.verdict in ("warn", "fault") and f.rep in new:
            flagged.setdefault(f.rule, []).append(f.rep)
    # a rule broken only on the later half of the reps it could judge, after clean judged reps before
    judged: dict[str, list[int]] = {}
    for f in findings:
        if f.verdict in JUDGED_VERDICTS and f.rep in new:
            judged.setdefault(f.rule, []).append(f.rep)
    fatigue: list[FatigueSign] = []
    n = len(reps)
    for rule, bad in flagged.items():
        seen = sorted(set(judged.get(rule, [])))
        if len(seen) < 3:
            continue
        early, late = seen[: len(seen) // 2], seen[len(seen) // 2 :]
        last = [r for r in bad if r in late]
        if last and not any(r in early for r in bad):
            message = f"{rule} broke down on the last reps ({', '.join(map(str, last))}) after clean early reps"
            fatigue.append(FatigueSign(rule, last, message))
    return SetSummary(
        rep_count=n,
        distinct_rep_count=len(new),
        rom_deg=rom,
        rom_trend_deg_per_rep=None if rom_slope is None else round(rom_slope, 2),
        rom_trend=trend,
        eccentric_s=ecc,
        concentric_s=con,
        flagged_reps=flagged,
        fatigue=fatigue,
    )
