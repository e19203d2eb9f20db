"""A client's history: their analysed sets over time, and a small inline SVG chart of range of motion
and flagged reps per rule (so a coach sees whether "head back on the last reps" is improving)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from .models import Video

#: Colour classes of the rule lines (styled in app.css); more rules reuse them.
N_COLOURS = 6


@dataclass(frozen=True)
class SetRow:
    video_id: str
    when: str
    name: str
    lift: str
    reps: int
    rom_mean_deg: float | None
    flagged_reps: int
    flags: dict[str, int]


def rows(videos: list[Video]) -> list[SetRow]:
    """The analysed sets of ``videos`` (oldest first)."""
    out = []
    for v in sorted(videos, key=lambda v: v.created_at):
        s: dict[str, Any] | None = v.summary
        if not s:
            continue
        out.append(
            SetRow(
                video_id=v.id,
                when=v.created_at.strftime("%Y-%m-%d %H:%M"),
                name=v.original_name,
                lift=str(s.get("lift", "")),
                reps=int(s.get("reps", 0)),
                rom_mean_deg=s.get("rom_mean_deg"),
                flagged_reps=int(s.get("flagged_reps", 0)),
                flags={str(k): int(n) for k, n in (s.get("flags") or {}).items()},
            )
        )
    return out


@dataclass(frozen=True)
class LiftHistory:
    """The sets of one lift: a chart and a table each (range of motion means different things per lift)."""

    lift: str
    sets: list[SetRow]
    rules: list[str]
    chart: str


def by_lift(sets: list[SetRow]) -> list[LiftHistory]:
    lifts = sorted({s.lift for s in sets})
    out = []
    for lift in lifts:
        mine = [s for s in sets if s.lift == lift]
        out.append(LiftHistory(lift=lift, sets=mine, rules=rules(mine), chart=chart(mine)))
    return out


def rules(sets: list[SetRow]) -> list[str]:
    return sorted({rule for s in sets for rule in s.flags})


def chart(sets: list[SetRow], width: int = 640, height: int = 220) -> str:
    """The SVG: mean ROM per set (left axis, degrees) and flagged reps per rule (right axis, count)."""
    if not sets:
        return ""
    ml, mr, mt, mb = 44, 44, 12, 56
    pw, ph = width - ml - mr, height - mt - mb
    roms = [s.rom_mean_deg for s in sets if s.rom_mean_deg is not None]
    lo, hi = (min(roms) - 5, max(roms) + 5) if roms else (0.0, 1.0)
    top = max([1] + [n for s in sets for n in s.flags.values()] + [s.reps for s in sets])
    n = len(sets)

    def x(i: int) -> float:
        return ml + (pw / 2 if n == 1 else i * pw / (n - 1))

    def y_rom(v: float) -> float:
        return mt + (hi - v) / max(hi - lo, 1e-6) * ph

    def y_count(v: float) -> float:
        return mt + (top - v) / top * ph

    out = [
        f'<svg class="history" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Range of motion and flagged reps per set" xmlns="http://www.w3.org/2000/svg">',
        f'<rect class="frame" x="{ml}" y="{mt}" width="{pw}" height="{ph}"/>',
        f'<text class="axis" x="{ml - 6}" y="{mt + 10}">{hi:.0f}°</text>',
        f'<text class="axis" x="{ml - 6}" y="{mt + ph}">{lo:.0f}°</text>',
        f'<text class="axis right" x="{ml + pw + 6}" y="{mt + 10}">{top}</text>',
        f'<text class="axis right" x="{ml + pw + 6}" y="{mt + ph}">0</text>',
    ]
    for i, s in enumerate(sets):
        out.append(f'<text class="xlabel" x="{x(i):.1f}" y="{mt + ph + 16}">{html.escape(s.when[:10])}</text>')
    points = [f"{x(i):.1f},{y_rom(s.rom_mean_deg):.1f}" for i, s in enumerate(sets) if s.rom_mean_deg is not None]
    if points:
        out.append(f'<polyline class="rom" points="{" ".join(points)}"/>')
        for i, s in enumerate(sets):
            if s.rom_mean_deg is not None:
                out.append(
                    f'<circle class="rom" cx="{x(i):.1f}" cy="{y_rom(s.rom_mean_deg):.1f}" r="3">'
                    f"<title>{html.escape(s.when)}: mean ROM {s.rom_mean_deg:.0f}°</title></circle>"
                )
    legend = [('<tspan class="rom">━ mean ROM (°)</tspan>')]
    for k, rule in enumerate(rules(sets)):
        cls = f"c{k % N_COLOURS}"
        pts = [f"{x(i):.1f},{y_count(s.flags.get(rule, 0)):.1f}" for i, s in enumerate(sets)]
        out.append(
            f'<polyline class="flags {cls}" points="{" ".join(pts)}"><title>{html.escape(rule)}</title></polyline>'
        )
        for i, s in enumerate(sets):
            count = s.flags.get(rule, 0)
            out.append(
                f'<circle class="flags {cls}" cx="{x(i):.1f}" cy="{y_count(count):.1f}" r="2.5">'
                f"<title>{html.escape(s.when)}: {html.escape(rule)} flagged on {count} of {s.reps} reps</title></circle>"
            )
        legend.append(f'<tspan class="flags {cls}">  ━ {html.escape(rule)} (reps)</tspan>')
    out.append(f'<text class="legend" x="{ml}" y="{height - 12}">{"".join(legend)}</text>')
    out.append("</svg>")
    return "".join(out)
