"""Set-level summary: rep count, range of motion and tempo trends, fatigue signs."""

from __future__ import annotations

from typing import Any

import numpy as np

from .types import AngleSeries, Finding, Rep

#: A range-of-motion trend steeper than this (degrees per rep) is reported as a change.
ROM_TREND_DEG_PER_REP = 2.0


def _slope(values: list[float | None]) -> float | None:
    clean = [(i, v) for i, v in enumerate(values) if v is not None and np.isfinite(v)]
    if len(clean) < 3:
        return None
    x, y = np.array(clean).T
    return float(np.polyfit(x, y, 1)[0])


def _round(value: float | None, digits: int) -> float | None:
    """``value`` rounded, or None when it is unknown (a lockout out of view has no range or time up)."""
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def summarise(reps: list[Rep], findings: list[Finding], series: AngleSeries) -> dict[str, Any]:
    rom = [_round(r.rom_deg, 1) for r in reps]
    ecc = [_round(r.eccentric_s, 2) for r in reps]
    con = [_round(r.concentric_s, 2) for r in reps]
    rom_slope = _slope(rom)
    flagged: dict[str, list[int]] = {}
    for f in findings:
        if f.verdict in ("warn", "fault") and f.rep is not None:
            flagged.setdefault(f.rule, []).append(f.rep)
    # a rule broken only on the later half of the reps it could judge, after clean judged reps before
    judged: dict[str, list[int]] = {}
    for f in findings:
        if f.verdict in ("pass", "warn", "fault") and f.rep is not None:
            judged.setdefault(f.rule, []).append(f.rep)
    fatigue = []
    n = len(reps)
    for rule, bad in flagged.items():
        seen = sorted(set(judged.get(rule, [])))
        if len(seen) < 3:
            continue
        early, late = seen[: len(seen) // 2], seen[len(seen) // 2 :]
        last = [r for r in bad if r in late]
        if last and not any(r in early for r in bad):
            fatigue.append(
                {
                    "rule": rule,
                    "reps": last,
                    "message": f"{rule} broke down on the last reps ({', '.join(map(str, last))}) after clean early reps",
                }
            )
    trend = "steady"
    if rom_slope is not None and rom_slope < -ROM_TREND_DEG_PER_REP:
        trend = "shrinking"
    elif rom_slope is not None and rom_slope > ROM_TREND_DEG_PER_REP:
        trend = "growing"
    return {
        "rep_count": n,
        "rom_deg": rom,
        "rom_trend_deg_per_rep": None if rom_slope is None else round(rom_slope, 2),
        "rom_trend": trend,
        "eccentric_s": ecc,
        "concentric_s": con,
        "flagged_reps": flagged,
        "fatigue": fatigue,
    }
