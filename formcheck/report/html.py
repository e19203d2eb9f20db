"""One self-contained HTML report per set: header, set summary, rep table, plots, flagged key frames, video.

Everything is inline (CSS, JS, SVG plots, key frames as data URIs); the only
outside reference is the annotated video, by relative path, unless it is small
enough to embed. No network access is needed to read the report.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html as _html
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..exercises.detect import UNKNOWN_LIFT, describe_lift, describe_view, lift_for, pass_exercise_hint
from ..summary import UNKNOWN_TREND
from .console import VERDICT_STYLE
from .files import make_folder, write_text
from .words import (
    UNIT_DIGITS,
    amount,
    digits_apart,
    fatigue_line,
    has_values,
    not_judged_yet,
    not_validated_words,
    plus_minus,
    rule_title,
    unit_suffix,
    warnings_shown,
)

#: Embed the annotated video in the HTML file when it is smaller than this.
EMBED_VIDEO_MAX_BYTES = 10 * 1024 * 1024

VERDICT_CLASS = {"pass": "pass", "warn": "warn", "fault": "fault", "not_checked": "nc"}

#: (series name, title, unit label, explanation) per lift family.
PLOTS = {
    "bridge": [
        ("hip_deg", "Hip angle", "°", "shoulder–hip–knee; 180° = hips fully extended"),
        ("hip_line_dev_deg", "Hip above the shoulder–knee line", "°", "+ = hips pushed past the line (arched back)"),
        ("gaze_deg", "Gaze", "°", "direction you look, above horizontal; 90° = straight up"),
        ("neck_flexion_deg", "Neck flexion", "°", "+ = chin tucked, − = head tilted back"),
    ],
    "hinge": [
        ("hip_deg", "Hip angle", "°", "shoulder–hip–knee; 180° = standing tall"),
        ("knee_flexion_deg", "Knee bend", "°", "0° = straight leg"),
        (
            "shin_tilt_deg",
            "Shin tilt",
            "°",
            "knee ahead of the ankle; the limit is how much more the shins tilt during the descent",
        ),
        ("neck_flexion_deg", "Neck flexion", "°", "+ = chin tucked, − = head tilted back"),
    ],
}

#: Rule metric -> the plotted series it is marked on (others go on the hip plot).
METRIC_PLOT = {
    "shin_tilt_change_deg": "shin_tilt_deg",
    "gaze_deg": "gaze_deg",
    "hip_line_dev_deg": "hip_line_dev_deg",
    "knee_flexion_deg": "knee_flexion_deg",
    "neck_flexion_deg": "neck_flexion_deg",
    "hip_deg": "hip_deg",
}

COLOURS = {"pass": "#1a9e4b", "warn": "#d4a000", "fault": "#d42020", "nc": "#888"}


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("formcheck", "report/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _digits(finding) -> int:
    """Decimals for a finding's measured value and its limit: the unit's, or more when they would read alike."""
    return digits_apart(finding.value, finding.threshold, UNIT_DIGITS.get(finding.unit, 0))


def _not_checked_line(why: str, rules: dict[str, set]) -> str:
    reps = sorted({r for rs in rules.values() for r in rs if r is not None})
    where = f"rep{'s' if len(reps) > 1 else ''} {', '.join(map(str, reps))}"
    return f"{where}: {', '.join(map(rule_title, rules))} ({why})"


def _fmt(value, unit: str, digits: int = 0) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    return f"{value:.{digits}f}{unit_suffix(unit)}"


def _rule_plot(finding) -> str:
    for key, plot in METRIC_PLOT.items():
        if key in finding.metric:
            return plot
    if finding.rule.startswith("rdl.knee"):
        return "knee_flexion_deg"
    if finding.rule in ("ht.look_at_wall",):
        return "gaze_deg"
    if finding.rule in ("ht.neck_hyperflexion", "rdl.neck"):
        return "neck_flexion_deg"
    return "hip_deg"


def _runs(points: list[tuple[float, float, bool]]) -> list[tuple[bool, list[str]]]:
    """Consecutive plotted points (x, y, measured) grouped into polylines by kind, each joined to the next run's
    first point so the line has no gap where only its kind changes."""
    out: list[tuple[bool, list[str]]] = []
    for x, y, kind in points:
        xy = f"{x:.1f},{y:.1f}"
        if out and out[-1][0] == kind:
            out[-1][1].append(xy)
            continue
        if out:
            out[-1][1].append(xy)
        out.append((kind, [xy]))
    return out


def svg_plot(
    analysis,
    name: str,
    title: str,
    unit: str,
    thresholds: list[tuple[float, str]],
    segments: Sequence[tuple[float, float, float, str]] = (),
    width: int = 900,
    height: int = 210,
) -> str:
    """An inline SVG line plot of one series with reps shaded, thresholds and flagged intervals."""
    series = analysis.series
    t = series.t
    y = series[name]
    ml, mr, mt, mb = 52, 12, 10, 28
    pw, ph = width - ml - mr, height - mt - mb
    measured = analysis.measured(name) & np.isfinite(y)
    finite = y[np.isfinite(y)]
    if finite.size == 0 or t.size < 2:
        return ""
    if measured.any():  # the scale is the measurement's: a guessed joint's wild angles do not squash it
        finite = y[measured]
    lo, hi = float(finite.min()), float(finite.max())
    for v in [v for v, _ in thresholds] + [seg[2] for seg in segments]:
        lo, hi = min(lo, v), max(hi, v)
    pad = max(2.0, 0.08 * (hi - lo))
    lo, hi = lo - pad, hi + pad
    t0, t1 = float(t[0]), float(max(t[-1], t[0] + 1e-3))
    sx = lambda v: ml + (v - t0) / (t1 - t0) * pw  # noqa: E731
    sy = lambda v: mt + (hi - v) / (hi - lo) * ph  # noqa: E731
    out = [
        f'<svg class="plot" viewBox="0 0 {width} {height}" role="img" aria-label="{_html.escape(title)} over time" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    # reps shaded, alternating, with their number
    for k, rep in enumerate(analysis.reps):
        x0, x1 = sx(rep.t_start), sx(rep.t_end)
        out.append(f'<rect class="rep r{k % 2}" x="{x0:.1f}" y="{mt}" width="{max(x1 - x0, 1):.1f}" height="{ph}"/>')
        out.append(f'<text class="replabel" x="{(x0 + x1) / 2:.1f}" y="{mt + 12}">rep {rep.index}</text>')
    # flagged intervals on this metric
    for f in analysis.flagged():
        if _rule_plot(f) != name or f.t_start is None or f.t_end is None:
            continue
        x0, x1 = sx(f.t_start), sx(f.t_end)
        cls = VERDICT_CLASS[f.verdict]
        out.append(
            f'<rect class="flag {cls}" x="{x0:.1f}" y="{mt + ph - 8}" width="{max(x1 - x0, 2):.1f}" height="8">'
            f"<title>rep {f.rep}: {_html.escape(f.rule)} ({f.verdict})</title></rect>"
        )
    # axes and grid
    ticks = np.linspace(lo, hi, 5)
    for v in ticks:
        out.append(f'<line class="grid" x1="{ml}" x2="{ml + pw}" y1="{sy(v):.1f}" y2="{sy(v):.1f}"/>')
        out.append(f'<text class="ytick" x="{ml - 6}" y="{sy(v) + 4:.1f}">{v:.0f}{_html.escape(unit)}</text>')
    step = max(1, int(np.ceil((t1 - t0) / 10)))
    for s in range(int(np.ceil(t0)), int(t1) + 1, step):
        out.append(f'<text class="xtick" x="{sx(s):.1f}" y="{height - 8}">{s} s</text>')
    out.append(f'<rect class="frame" x="{ml}" y="{mt}" width="{pw}" height="{ph}"/>')
    for v, label in thresholds:
        out.append(f'<line class="thr" x1="{ml}" x2="{ml + pw}" y1="{sy(v):.1f}" y2="{sy(v):.1f}"/>')
        out.append(
            f'<text class="thrlabel" x="{ml + pw - 4}" y="{sy(v) - 4:.1f}">{_html.escape(label)} {v:.0f}{_html.escape(unit)}</text>'
        )
    for s0, s1, v, cls in segments:
        out.append(
            f'<line class="thr {cls}" x1="{sx(s0):.1f}" x2="{sx(s1):.1f}" y1="{sy(v):.1f}" y2="{sy(v):.1f}">'
            f"<title>{cls} limit {v:.0f}{_html.escape(unit)}</title></line>"
        )
    # the signal, broken at NaN: solid where measured, dotted where a joint was guessed (and not drawn where a guess
    # leaves the measurement's scale)
    parts: list[list[tuple[float, float, bool]]] = [[]]
    for ti, yi, mi in zip(t, y, measured):
        if np.isfinite(yi) and (mi or lo <= yi <= hi):
            parts[-1].append((sx(ti), sy(yi), bool(mi)))
        elif parts[-1]:
            parts.append([])
    for part in parts:
        for kind, pts in _runs(part):
            out.append(f'<polyline class="{"sig" if kind else "sig guess"}" points="{" ".join(pts)}"/>')
    out.append("</svg>")
    return "".join(out)


def _gauge_segments(analysis) -> list[tuple[float, float, float, str]]:
    """Limits relative to each rep's start (the lift's gauge, e.g. the RDL knee): (t0, t1, value, class)
    over each descent."""
    lift = lift_for(analysis.exercise)
    gauge, cfg = lift.gauge, lift.settings(analysis.config)
    if gauge is None:
        return []
    values = analysis.series[gauge.metric]
    out = []
    for rep in analysis.reps:
        base = values[rep.start]
        if not np.isfinite(base):
            continue
        for key, cls in ((gauge.warn_field, "warn"), (gauge.fault_field, "fault")):
            out.append((rep.t_start, rep.t_bottom, float(base + getattr(cfg, key)), cls))
    return out


def _key_frames(analysis, video_path: Path | None, frames: set[int], max_side: int = 480) -> dict[int, str]:
    """Decode only up to the last needed frame; the needed ones get the skeleton and become JPEG data URIs."""
    if not video_path or not frames or not Path(video_path).exists():
        return {}
    from ..video import iter_frames
    from .overlay import encode_image, render_frame

    scale = min(1.0, max_side / max(analysis.video.width, analysis.video.height, 1))
    out: dict[int, str] = {}
    last = max(frames)
    for frame in iter_frames(video_path, max_side=max_side if scale < 1.0 else None):
        if frame.index in frames:
            sx = frame.rgb.shape[1] / max(analysis.video.width, 1)
            img = render_frame(analysis, frame.rgb, frame.index, scale_xy=sx)
            out[frame.index] = "data:image/jpeg;base64," + base64.b64encode(encode_image(img, ".jpg", 82)).decode()
        if frame.index >= last:
            break
    return out


def build_context(
    analysis, out_path: Path, video_path: str | Path | None = None, source_path: str | Path | None = None
) -> dict:
    """Everything the template needs, as plain values (numbers already formatted with units)."""
    a = analysis
    family = a.family if a.family in PLOTS else "hinge"
    lift = lift_for(a.exercise)
    gauge, settings = lift.gauge, lift.settings(a.config)
    flagged = a.flagged()
    # plots
    plots = []
    for name, title, unit, note in PLOTS[family]:
        if name not in a.series:
            continue
        thr = [(float(getattr(settings, line.field)), line.label) for line in lift.limit_lines if line.metric == name]
        segs = _gauge_segments(a) if gauge is not None and name == gauge.metric else []
        svg = svg_plot(a, name, title, unit, thr, segs)
        if svg:
            plots.append({"name": name, "title": title, "note": note, "svg": Markup(svg)})
    # rep rows
    reps = []
    for rep in a.reps:
        verdict = a.rep_verdict(rep.index) if a.judged else "not_checked"
        symbol, word, _ = VERDICT_STYLE[verdict]
        fl = sorted(
            (f for f in a.findings_for(rep.index) if f.verdict in ("warn", "fault")), key=lambda f: f.verdict != "fault"
        )
        reps.append(
            {
                "index": rep.index,
                "t_start": round(rep.t_start, 3),
                "start": f"{rep.t_start:.1f} s",
                "bottom": f"{rep.t_bottom:.1f} s",
                "lockout": f"{rep.t_lockout:.1f} s" + ("" if rep.lockout_seen else " (out of view)"),
                "repeat_of": rep.repeat_of,
                "rom": _fmt(rep.rom_deg, "deg"),
                "down": _fmt(rep.eccentric_s, "s", 1),
                "up": _fmt(rep.concentric_s, "s", 1),
                "verdict": verdict,
                "cls": VERDICT_CLASS[verdict],
                "symbol": symbol,
                "word": word,
                "flags": [
                    {
                        "rule": f.rule,
                        "title": rule_title(f.rule),
                        "cls": VERDICT_CLASS[f.verdict],
                        "symbol": VERDICT_STYLE[f.verdict][0],
                        "word": VERDICT_STYLE[f.verdict][1],
                    }
                    for f in fl
                ],
            }
        )
    # flagged findings with key frames
    thumbs = _key_frames(
        a, Path(source_path) if source_path else None, {int(f.frame) for f in flagged if f.frame is not None}
    )
    findings = []
    replays = {r.index for r in a.reps if r.repeat_of is not None}  # looped footage: said once, on the first showing
    for f in sorted(flagged, key=lambda f: (f.rep or 0, f.verdict != "fault")):
        if f.rep in replays:
            continue
        symbol, word, _ = VERDICT_STYLE[f.verdict]
        findings.append(
            {
                "rep": f.rep,
                "rule": f.rule,
                "title": rule_title(f.rule),
                "cls": VERDICT_CLASS[f.verdict],
                "symbol": symbol,
                "word": word,
                "when": (f"{f.t_start:.1f}–{f.t_end:.1f} s" if f.t_start is not None and f.t_end is not None else "–"),
                "t": f.t_start or 0.0,
                "frame": f.frame,
                "value": plus_minus(f.value, f.uncertainty, f.unit, f.threshold),
                "threshold": _fmt(f.threshold, f.unit, _digits(f)),
                "fault_line": None
                if f.fault_line is None or f.fault_line == f.threshold
                else amount(f.fault_line, f.unit),
                "message": f.message,
                "cue": f.cue,
                "confidence": None if f.confidence is None else f"{f.confidence:.2f}",
                "thumb": thumbs.get(int(f.frame)) if f.frame is not None else None,
            }
        )
    # video: embedded when small, else by path relative to the report
    video = None
    if video_path is not None and Path(video_path).exists():
        vp = Path(video_path)
        if vp.stat().st_size <= EMBED_VIDEO_MAX_BYTES:
            video = "data:video/mp4;base64," + base64.b64encode(vp.read_bytes()).decode()
        else:
            video = Path(os.path.relpath(vp.resolve(), out_path.resolve().parent)).as_posix()
    s = a.summary
    ecc = [e for e in s.eccentric_s if e is not None]
    con = [c for c in s.concentric_s if c is not None]
    flagged_rules = {f.rule for f in flagged}
    clean_rules = sorted({f.rule for f in a.findings if f.verdict == "pass"} - flagged_rules)
    # grouped by reason, as in the terminal report: "reps 1, 2: rule, rule (why)"
    # the lift's rules not judged yet (no validated measurement): one line, each reason folded under it
    not_yet = {f.rule: f.message for f in a.findings if not_judged_yet(f, a.lift_rules)}
    not_checked: dict[str, dict[str, set]] = {}
    for f in a.findings:
        if f.verdict == "not_checked" and f.rule not in not_yet:
            not_checked.setdefault(f.message, {}).setdefault(f.rule, set()).add(f.rep)
    meta = a.video
    return {
        "title": f"formcheck · {Path(meta.path).name}",
        "file": Path(meta.path).name,
        "video_info": f"{meta.duration_s:.1f} s · {meta.width}×{meta.height} px · {meta.fps:.0f} fps",
        "lift": describe_lift(a.exercise),
        "lift_conf": "forced" if a.exercise_forced else f"{a.exercise.confidence:.0%} sure",
        "lift_hint": pass_exercise_hint(a.exercise) if a.exercise.label == UNKNOWN_LIFT else "",
        "view": describe_view(a.view),
        "view_conf": f"{a.view.confidence:.0%} sure",
        "model": a.model,
        "profile": a.config.profile,
        "date": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "found": f"{a.detected_fraction:.0%}",
        "side": a.series.side,
        "version": a.versions.get("formcheck", ""),
        "warnings": [w.message for w in warnings_shown(a)],
        "judged": a.judged,
        "not_judged_reason": a.not_judged_reason,
        "rep_count": s.rep_count,
        "distinct_rep_count": s.distinct_rep_count,
        "rom": ", ".join(_fmt(r, "deg") for r in s.rom_deg) if has_values(s.rom_deg) else "",
        "rom_trend": "" if s.rom_trend == UNKNOWN_TREND else s.rom_trend,
        "lowering": ", ".join(f"{e:.1f} s" for e in ecc),
        "lifting": ", ".join(f"{c:.1f} s" for c in con),
        "fatigue": fatigue_line(s.fatigue),
        "clean_rules": [rule_title(r) for r in clean_rules],
        "not_checked": [_not_checked_line(why, rules) for why, rules in not_checked.items()],
        "not_judged_yet": sorted((rule_title(rule), why) for rule, why in not_yet.items()),
        "not_judged_yet_why": not_validated_words(len(not_yet)),
        "reps": reps,
        "findings": findings,
        "plots": plots,
        "video": video,
        "n_flagged_reps": sum(1 for r in reps if r["verdict"] in ("warn", "fault") and r["repeat_of"] is None),
        "n_distinct_reps": sum(1 for r in reps if r["repeat_of"] is None),
    }


def write_html(
    analysis, out_path: str | Path, video_path: str | Path | None = None, source_path: str | Path | None = None
) -> Path:
    """Write the HTML report of ``analysis`` to ``out_path``.

    ``video_path`` is the annotated video to show (embedded when under
    :data:`EMBED_VIDEO_MAX_BYTES`, else linked by relative path). Key frames of
    flagged reps are decoded from ``source_path`` (default: the analysed video)
    when it exists.
    """
    out_path = Path(out_path)
    make_folder(out_path.parent)
    source = source_path if source_path is not None else analysis.video.path
    ctx = build_context(analysis, out_path, video_path, source)
    text = _env().get_template("report.html.j2").render(**ctx)
    return write_text(out_path, text)
