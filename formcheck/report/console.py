"""The terminal summary: lift, view, reps table with verdicts and cues, set summary."""

from __future__ import annotations

import math
from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..exercises.detect import UNKNOWN_LIFT, describe_lift, describe_view, pass_exercise_hint
from ..summary import UNKNOWN_TREND
from .words import (
    fatigue_line,
    has_values,
    measurement_line,
    not_judged_yet,
    not_judged_yet_line,
    rule_title,
    warnings_shown,
    when_judged,
)

#: Verdicts carry a symbol and a word as well as a colour (colour-blind readers).
VERDICT_STYLE = {
    "pass": ("✔", "pass", "green"),
    "warn": ("▲", "warn", "yellow"),
    "fault": ("✖", "FAULT", "bold red"),
    "not_checked": ("○", "not checked", "dim"),
}


def verdict_text(verdict: str) -> Text:
    symbol, word, style = VERDICT_STYLE[verdict]
    return Text(f"{symbol} {word}", style=style)


def _fmt_s(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.1f} s"


def _fmt_deg(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.0f}°"


def _flags(flagged) -> Text:
    """The flags cell of a rep: each flagged rule with its symbol, word and colour ("▲ warn Knees frozen"), so a
    warning and a FAULT differ without colour too."""
    cell = Text()
    for i, f in enumerate(flagged):
        symbol, word, style = VERDICT_STYLE[f.verdict]
        cell.append(("\n" if i else "") + f"{symbol} {word} {rule_title(f.rule)}", style=style)
    return cell if flagged else Text("–")


def render(analysis) -> Group:
    a = analysis
    meta = a.video
    head = Text()
    head.append(f"{Path(meta.path).name}", style="bold")
    head.append(f"  {meta.duration_s:.1f} s · {meta.width}x{meta.height} · {meta.fps:.0f} fps\n")
    unknown = a.exercise.label == UNKNOWN_LIFT
    head.append("Lift ", style="dim")
    head.append(describe_lift(a.exercise), style="bold")
    if not unknown:  # an unknown lift's guesses carry their own shares
        head.append(" (forced)" if a.exercise_forced else f" ({a.exercise.confidence:.0%} sure)")
    head.append("   View ", style="dim")
    head.append(describe_view(a.view), style="bold")
    head.append(f" ({a.view.confidence:.0%} sure)")
    head.append("\nModel ", style="dim")
    head.append(a.model)
    head.append("   Profile ", style="dim")
    head.append(a.config.profile)
    head.append("   Found the lifter in ", style="dim")
    head.append(f"{a.detected_fraction:.0%}")
    head.append(" of frames", style="dim")
    parts: list = [head]
    if unknown:
        parts.append(Text(f"? The lift is not clear: {pass_exercise_hint(a.exercise)}.", style="bold yellow"))
    for w in warnings_shown(a):
        parts.append(Text(f"⚠ {w.message}", style="yellow"))
    if not a.judged:
        reason = a.not_judged_reason or "nothing to judge"
        parts.append(Text(f"○ No verdicts: {reason}.", style="bold"))

    if a.reps:
        table = Table(title=None, expand=False, header_style="bold")
        table.add_column("rep", justify="right")
        table.add_column("bottom → lockout")
        table.add_column("ROM", justify="right")
        table.add_column("down", justify="right")
        table.add_column("up", justify="right")
        table.add_column("verdict")
        table.add_column("flags", overflow="fold")
        fixes = Text()
        for rep in a.reps:
            flagged = sorted(
                (f for f in a.findings_for(rep.index) if f.verdict in ("warn", "fault")),
                key=lambda f: f.verdict != "fault",
            )
            verdict = a.rep_verdict(rep.index) if a.judged else "not_checked"
            table.add_row(
                str(rep.index) if rep.repeat_of is None else f"{rep.index} = {rep.repeat_of}",
                f"{rep.t_bottom:.1f} → {rep.t_lockout:.1f} s" + ("" if rep.lockout_seen else " (out of view)"),
                _fmt_deg(rep.rom_deg),
                _fmt_s(rep.eccentric_s),
                _fmt_s(rep.concentric_s),
                verdict_text(verdict),
                _flags(flagged),
            )
            for f in flagged if rep.repeat_of is None else []:  # a replayed rep's fixes are its first showing's
                symbol, word, style = VERDICT_STYLE[f.verdict]
                fixes.append(f"\nRep {rep.index} ", style="bold")
                fixes.append(f"{symbol} {word} {rule_title(f.rule)}", style=style)
                fixes.append(f" [{f.rule}]", style="dim")
                if f.confidence is not None:
                    fixes.append(f" (confidence {f.confidence:.2f})")
                fixes.append(f" at {f.t_start:.1f}–{f.t_end:.1f} s (frame {f.frame}): {f.message}\n")
                if (measured := measurement_line(f)) is not None:
                    fixes.append(f"  {measured}\n", style="dim")
                fixes.append(f"  → {f.cue}", style="italic")
        parts.append(table)
        if fixes:
            parts.append(Text("What to fix", style="bold underline"))
            parts.append(fixes)
    s = a.summary
    line = Text()
    line.append("Set ", style="bold")
    line.append(f"{s.rep_count} rep{'s' if s.rep_count != 1 else ''}")
    if s.distinct_rep_count is not None and s.distinct_rep_count != s.rep_count:
        line.append(f" on screen, {s.distinct_rep_count} distinct (the footage loops)")
    if has_values(s.rom_deg):
        trend = "" if s.rom_trend == UNKNOWN_TREND else f" ({s.rom_trend})"
        line.append(f" · ROM {', '.join(_fmt_deg(r) for r in s.rom_deg)}{trend}")
    ecc = [e for e in s.eccentric_s if e is not None]
    if ecc:
        line.append(f" · lowering {', '.join(f'{e:.1f}' for e in ecc)} s")
    parts.append(line)
    if (fatigue := fatigue_line(s.fatigue)) is not None:
        parts.append(Text(f"⚠ Fatigue: {fatigue}", style="yellow"))
    if a.judged:
        skipped: dict[str, dict[str, list[int]]] = {}
        not_yet = sorted({f.rule for f in a.findings if not_judged_yet(f, a.lift_rules)}, key=rule_title)
        for f in a.findings:
            if f.verdict == "not_checked" and f.rule not in not_yet:
                skipped.setdefault(f.message, {}).setdefault(f.rule, []).append(f.rep)
        for why, rules in skipped.items():
            reps = sorted({r for rs in rules.values() for r in rs if r is not None})
            where = f"rep{'s' if len(reps) > 1 else ''} {', '.join(map(str, reps))}"
            parts.append(Text(f"○ Not checked on {where}: {', '.join(map(rule_title, rules))} ({why})", style="dim"))
        if not_yet:  # the lift's standing "not judged yet": one line, not one per reason
            parts.append(Text(not_judged_yet_line([rule_title(r) for r in not_yet]), style="dim"))
        flagged_rules = {f.rule for f in a.flagged()}
        clean_rules = sorted({f.rule for f in a.findings if f.verdict == "pass"} - flagged_rules)
        if clean_rules:
            parts.append(Text("✔ No problem found: " + ", ".join(map(rule_title, clean_rules)), style="green"))
    return Group(*parts)


def rules_tables(config, why: bool = False) -> list[Table]:
    """``formcheck rules``: every rule once with its lift, title, where it gives verdicts (:func:`when_judged`) and
    cue; with ``why``, a second table of each lift's rules not judged yet and the reason (variants included)."""
    from ..exercises import all_rules, judged_lifts

    table = Table(header_style="bold")
    for col in ("rule", "lift", "checks", "judged", "cue"):
        table.add_column(col, no_wrap=col in ("rule", "lift"))  # ids whole, to copy
    for lift, rule in all_rules():
        settings = rule.settings(lift.settings(config), config)
        table.add_row(rule.id, lift.id, rule.title, when_judged(rule, settings, config), rule.cue)
    if not why:
        return [table]
    reasons = Table(header_style="bold", title="Not judged yet, and why")
    for col in ("lift", "rule", "why"):
        reasons.add_column(col, no_wrap=col != "why")
    for lift in judged_lifts():
        for rule in lift.rules:
            if not rule.validated_for(rule.settings(lift.settings(config), config)):
                reasons.add_row(lift.id, rule.id, rule.unvalidated)
    return [table, reasons]


def print_report(analysis, console: Console | None = None) -> None:
    console = console or Console()
    console.print(Panel(render(analysis), title="formcheck", title_align="left", border_style="cyan"))
