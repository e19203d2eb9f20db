"""What every rule shares: the context it reads and how verdicts are graded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..types import AngleSeries, Finding, Rep


@dataclass
class RuleContext:
    """Everything a rule may read. Built once per analysis by the pipeline."""

    series: AngleSeries
    reps: list[Rep]
    rules: object  # HipThrustRules or RdlRules
    view: str
    exercise: str = ""
    #: Per-rule reasons to skip (e.g. "front view: side-view angles cannot be measured").
    blocked: dict[str, str] = field(default_factory=dict)
    extras: dict[str, float] = field(default_factory=dict)

    def signal(self, name: str) -> np.ndarray:
        return self.series[name]

    def window(self, name: str, a: int, b: int) -> np.ndarray:
        return self.series[name][a:b]


@dataclass(frozen=True)
class Rule:
    """One coaching rule: id, what it measures, the cue, and the check per rep."""

    id: str
    lift: str
    metric: str
    unit: str
    cue: str
    title: str
    check: Callable[[RuleContext, Rep], Finding]
    #: Landmarks-derived signals the check needs; missing ones make it not_checked.
    needs: tuple[str, ...] = ()


def finite(x: float | None) -> bool:
    return x is not None and bool(np.isfinite(x))


def grade_above(value: float, threshold: float, margin: float) -> str:
    """pass at or under ``threshold``; warn up to ``threshold + margin``; fault beyond."""
    if value <= threshold:
        return "pass"
    return "warn" if value <= threshold + margin else "fault"


def grade_below(value: float, threshold: float, margin: float) -> str:
    """pass at or over ``threshold``; warn down to ``threshold - margin``; fault below."""
    if value >= threshold:
        return "pass"
    return "warn" if value >= threshold - margin else "fault"


def make_finding(
    rule: Rule,
    rep: Rep,
    ctx: RuleContext,
    verdict: str,
    value: float | None,
    threshold: float | None,
    frame: int | None,
    message: str,
    t_range: tuple[int, int] | None = None,
) -> Finding:
    """A finding with its evidence: time range (from frame indices), key frame, value, threshold."""
    t = ctx.series.t
    a, b = t_range if t_range is not None else (rep.start, max(rep.end - 1, rep.start))
    b = min(max(b, a), len(t) - 1)
    return Finding(
        rule=rule.id,
        rep=rep.index,
        verdict=verdict,
        metric=rule.metric,
        value=None if value is None or not np.isfinite(value) else round(float(value), 2),
        threshold=None if threshold is None else float(threshold),
        unit=rule.unit,
        t_start=round(float(t[a]), 3),
        t_end=round(float(t[b]), 3),
        frame=None if frame is None else int(ctx.series.frame_index[frame]),
        message=message,
        cue=rule.cue if verdict in ("warn", "fault") else "",
    )


def not_checked(rule: Rule, rep: Rep, ctx: RuleContext, reason: str) -> Finding:
    return make_finding(rule, rep, ctx, "not_checked", None, None, None, reason)


def at(ctx: RuleContext, name: str, frame: int) -> float:
    return float(ctx.series[name][frame])


def extreme(ctx: RuleContext, name: str, a: int, b: int, kind: str) -> tuple[float, int | None]:
    """(value, frame) of the max or min of signal ``name`` over [a, b), NaN-aware."""
    w = ctx.series[name][a:b]
    if w.size == 0 or np.all(np.isnan(w)):
        return float("nan"), None
    i = int(np.nanargmax(w) if kind == "max" else np.nanargmin(w))
    return float(w[i]), a + i


def missing(ctx: RuleContext, names: tuple[str, ...], a: int, b: int, min_fraction: float = 0.6) -> str | None:
    """A reason when any needed signal is missing in too much of [a, b)."""
    for name in names:
        w = ctx.series[name][a : max(b, a + 1)]
        if w.size == 0 or np.mean(~np.isnan(w)) < min_fraction:
            return f"{name.replace('_', ' ')} could not be measured in this rep (landmarks hidden or out of frame)"
    return None
