"""Measurement uncertainty per rule: each rule's reading against the rendered truth in the rule's own unit.

Usage: python tools/uncertainty_table.py FOLDER... [--azimuth 0] [--model full] [--pose] [--rows FILE]

Each FOLDER holds rendered clips: ``formcheck eval --sensitivity FOLDER --grid quick`` (or any grid, or
``formcheck synth -o FOLDER/<clip>.mp4``) leaves per clip its label ``<clip>.json`` (camera, lift, each rep's exact
``quantities``) and, once posed, its landmarks ``<clip>.<model>.npz`` (``--pose`` runs the model on clips without
them); ``sample_videos`` with ``tests/data/landmarks`` are the same for the rendered samples (30 fps, 640x360).
Every clip filmed at ``--azimuth`` (0: the pure side view; with ``--bands``, every clip, a table per band of the
camera angle off the side as the analysis measured it) is analysed again from its landmarks with its lift
forced and every rule switched on (``judge_unvalidated``), its reps are matched to the true ones by lockout time,
and for every rule with a numeric reading this prints, over the matched reps:

- ``bias``: the mean of reading - truth (what a rule subtracts, or what its threshold already holds);
- ``2 SD``: twice the standard deviation of reading - truth;
- ``2 RMS``: twice the root mean square of reading - truth, the bias included (the error of a rule that subtracts no
  bias, as past the pure side view);
- ``max |e - bias|``: the largest error once the bias is taken off;
- ``gain`` and ``2 SD fit``: the measurement model reading = a + gain x truth fitted by least squares, and twice
  the standard deviation of its residuals: the scatter of the reading at a given truth;
- ``model`` and ``uncertainty``: which of the two the rule's uncertainty is taken from (:class:`Truth`): about the
  fit for a rule whose threshold sits in measured units between the readings of its fine and fault sizes (a
  reading that moves at about half the true size, like the shin tilt change of ``rdl.knees_frozen``), or another
  quantity than its truth; else reading - truth. The ``*_uncertainty_*`` settings are these, rounded up.

The truth of each rule's reading (:data:`TRUTH`) comes from the label's per-rep ``quantities``
(:func:`formcheck.synth.faults.rep_quantities`). Rules without a truth in their unit (``ht.consistency``,
deadlift rules: the renderer has no deadlift) are listed as such. Not a test: the numbers behind
docs/ACCURACY.md "Measurement uncertainty per rule" and the ``*_uncertainty_*`` settings of formcheck/config.py.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence

Quantities = Mapping[str, float | None]


def _hip_line_top(q: Quantities, _: float) -> float | None:
    dev = q.get("top_line_dev_deg")
    return None if dev is None else 180.0 + min(float(dev), 0.0)


def _get(key: str, sign: float = 1.0, absolute: bool = False) -> Callable[[Quantities, float], float | None]:
    def read(q: Quantities, _: float) -> float | None:
        v = q.get(key)
        if v is None:
            return None
        v = sign * float(v)
        return abs(v) if absolute else v

    return read


def _side_gaze(q: Quantities, _: float) -> float | None:
    """What the pure side view reads for this rep's true neck extension at the top (:data:`SIDE_GAZE`), or None for a
    size between the clean tuck and the grids' smallest."""
    flexion = q.get("top_neck_flexion_deg")
    if flexion is None:
        return None
    extension = -float(flexion)
    if extension < CLEAN_TOP_MAX_EXTENSION_DEG:
        return SIDE_GAZE_CLEAN
    sizes = sorted(SIDE_GAZE)
    if not sizes[0] <= extension <= sizes[-1]:
        return None
    return float(np.interp(extension, sizes, [SIDE_GAZE[k] for k in sizes]))


def _zero(_: Quantities, __: float) -> float:
    return 0.0


def _hips_back(q: Quantities, hinge_deg: float) -> float | None:
    """Hip travel back per 90 degrees of hinge: the true travel over the hinge the rule measured (the renderer's
    label has no hip angle; the hip angle reads within ~2 degrees of truth from the side)."""
    back = q.get("hip_back_leg")
    if back is None or not math.isfinite(hinge_deg) or hinge_deg <= 0:
        return None
    return float(back) / (hinge_deg / 90.0)


@dataclass(frozen=True)
class Truth:
    """How to read the truth of a rule's reading off a rep's ``quantities`` (and the hinge the rule measured), and
    the measurement model its uncertainty is taken about: ``"offset"`` (reading = truth + bias: the rule's threshold
    is in true units, or holds the bias) or ``"fit"`` (reading = a + gain x truth: the threshold sits in measured
    units between the readings of the fine and the fault size, or the reading is another quantity than the truth)."""

    read: Callable[[Quantities, float], float | None]
    what: str
    model: str = "offset"


#: ``rdl.knees_frozen`` reads two things: the shin tilt change (its value) and, past ``knee_drift_alone_deg``, the
#: knee flexion added; both are read on every rep with the rule's own helpers, under these names.
KNEE_DRIFT = "rdl.knees_frozen (knee drift alone)"
#: ``ht.look_at_wall`` reads the gaze at the bottom or at the top, whichever is further past its limit; the top
#: gaze (the head cranked back) is read on every rep with the rule's own helpers, under this name, also where the rule
#: is not judged from the shot's angle. The renderer labels no gaze: its truth is the neck extension at the top,
#: through a fitted line.
TOP_GAZE = "ht.look_at_wall (gaze at the top)"
#: The top gaze again, against what the pure side view reads at the rep's true neck extension (:data:`SIDE_GAZE`):
#: off the side its bias and 2 RMS are how far a shot's reading strays from the side's, which the rule's lines
#: were set on (``hip_thrust.gaze_oblique_uncertainty_deg``; docs/ACCURACY.md "The gaze off the side").
GAZE_VS_SIDE = "ht.look_at_wall (gaze at the top against the side view's reading)"
#: The top gaze the pure side view reads, median over six rendered bodies and both facings at 0° (the bodies grid,
#: 66 reps; docs/ACCURACY.md "The gaze at the top against the true gaze"): true neck extension past neutral ->
#: reading. The clean top is the renderer's tuck (about -25 past neutral); the grids render no size between.
SIDE_GAZE_CLEAN = 63.8
SIDE_GAZE: dict[float, float] = {10.0: 100.2, 15.0: 106.0, 20.0: 109.4, 25.0: 117.5, 35.0: 135.2}
#: A top whose true neck extension is under this is the clean tuck (:data:`SIDE_GAZE_CLEAN`).
CLEAN_TOP_MAX_EXTENSION_DEG = 0.0
#: ``ht.shin_angle`` reads the shin tilt at the top as drawn on screen; read on every rep with the rule's own helper,
#: also where the rule is not judged from the shot's angle, and in the lifter's sagittal plane (the shot's measured
#: camera angle taken out, as ``rdl.knees_frozen`` reads its shins; measured and not used) under this name.
SHIN_SAGITTAL = "ht.shin_angle (camera angle taken out, not used)"
#: How a finding not judged for its shot's camera angle ends (formcheck.judging.with_view_limit).
VIEW_LIMITED = "off the side as measured"
#: Rule -> the truth of its reading, in the rule's unit.
TRUTH: dict[str, Truth] = {
    "ht.lockout": Truth(_hip_line_top, "180 + min(hip off the shoulder-knee line at the top, 0)", "fit"),
    "ht.overextension": Truth(_get("top_line_dev_deg"), "hip above the shoulder-knee line at the top"),
    "ht.neck_hyperflexion": Truth(_get("top_neck_flexion_deg"), "neck flexion past neutral at the top"),
    "ht.shin_angle": Truth(_get("top_shin_deg", absolute=True), "|shin tilt from vertical| at the top"),
    SHIN_SAGITTAL: Truth(_get("top_shin_deg", absolute=True), "|shin tilt from vertical| at the top"),
    TOP_GAZE: Truth(_get("top_neck_flexion_deg", -1.0), "neck extension past neutral at the top", "fit"),
    GAZE_VS_SIDE: Truth(_side_gaze, "the side view's top gaze at the true neck extension (SIDE_GAZE)"),
    "rdl.knees_locked": Truth(_get("start_knee_flexion_deg"), "knee flexion at the start", "fit"),
    "rdl.knees_frozen": Truth(_get("shin_tilt_change_deg"), "shin tilt change, start to bottom", "fit"),
    KNEE_DRIFT: Truth(_get("knee_flexion_change_deg"), "knee flexion added, start to bottom", "fit"),
    "rdl.hips_back": Truth(_hips_back, "hip travel back (leg lengths) per 90 deg of the measured hinge"),
    "rdl.bar_drift": Truth(_get("bar_gap_leg"), "bar gap beyond contact at the bottom (leg lengths)"),
    "rdl.rounding": Truth(
        _get("spine_flexion_deg"), "spine flexion at the bottom (deg; the reading is a ratio)", "fit"
    ),
    "rdl.tempo": Truth(_get("eccentric_s"), "eccentric duration (s)", "fit"),
    "rdl.neck": Truth(_zero, "neck extension start to bottom (the renderer holds the neck: 0)"),
}


@dataclass(frozen=True)
class Pair:
    rule: str
    clip: str
    rep: int
    reading: float
    truth: float
    verdict: str
    #: The measured angle off the side of the shot holding the rep (None: not measured).
    off_side: float | None = None


@dataclass(frozen=True)
class Row:
    rule: str
    n: int
    truth_lo: float
    truth_hi: float
    bias: float
    sd2: float
    max_err: float
    gain: float | None
    sd2_fit: float | None
    #: Twice the root mean square of reading - truth: the error about the truth, bias included.
    rms2: float = float("nan")


def summarise(rule: str, pairs: Sequence[Pair]) -> Row:
    """The row of one rule from its (reading, truth) pairs."""
    err = [p.reading - p.truth for p in pairs]
    bias = statistics.fmean(err)
    sd = statistics.stdev(err) if len(err) > 1 else 0.0
    truths = np.array([p.truth for p in pairs])
    readings = np.array([p.reading for p in pairs])
    gain = sd_fit = None
    if len(pairs) > 2 and float(np.ptp(truths)) > 0:
        gain_, offset = np.polyfit(truths, readings, 1)
        resid = readings - (offset + gain_ * truths)
        gain, sd_fit = float(gain_), float(np.sqrt(np.sum(resid**2) / (len(pairs) - 2)))
    return Row(
        rule=rule,
        n=len(pairs),
        truth_lo=float(truths.min()),
        truth_hi=float(truths.max()),
        bias=bias,
        sd2=2 * sd,
        max_err=max(abs(e - bias) for e in err),
        gain=gain,
        sd2_fit=None if sd_fit is None else 2 * sd_fit,
        rms2=2 * math.sqrt(statistics.fmean([e * e for e in err])),
    )


def measured_hinge(series: Any, start: int, bottom: int) -> float:
    """Degrees of hip hinge the analysis measured from a rep's start to its bottom (the truth of ``rdl.hips_back``
    is read per 90 of them)."""
    hip = series["hip_deg"][start : bottom + 1]
    return float(np.nanmax(hip) - hip[-1]) if np.any(np.isfinite(hip)) else float("nan")


def _read_here(finding: Any) -> bool:
    """Whether a rule's reading is taken on this rep: where the rule judged it, or did not only for the shot's camera
    angle (:data:`VIEW_LIMITED`), so a table per band of measured angle also covers the angles past the rule's limit."""
    return finding is not None and (finding.verdict != "not_checked" or VIEW_LIMITED in finding.message)


def clip_pairs(label_path: Path, npz: Path, azimuth: float | None, with_video: bool = False) -> list[Pair]:
    """(reading, truth) pairs of one rendered clip, or none when it was not filmed at ``azimuth`` (None: any).
    ``with_video``: analysed with the rendered video beside the label, as ``formcheck analyze`` runs (the plate
    search and the bar check weigh the joints' trust)."""
    label = json.loads(label_path.read_text())
    if azimuth is not None and float(label["camera"]["azimuth_deg"]) != azimuth:
        return []
    lift = label["lift"]
    cfg = load_config(overrides={f"{lift}.judge_unvalidated": True})
    video = label_path.with_suffix(".mp4")
    analysis = analyze_landmarks(
        PoseSequence.load_npz(npz), cfg, exercise=lift, video=video if with_video and video.exists() else None
    )
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], cast(Sequence[Any], analysis.reps))
    reps = {r.index: r for r in analysis.reps}
    stem = label_path.stem
    out = []
    for j, true_rep in enumerate(true_reps):
        if j not in match:
            continue
        rep = reps[match[j]]
        q = true_rep.get("quantities", {})
        found = {f.rule: f for f in analysis.findings_for(rep.index)}
        readings = {rule: (f.value, f.verdict) for rule, f in found.items() if f.value is not None}
        readings = {rule: rv for rule, rv in readings.items() if rv[1] != "not_checked"}
        gaze = found.get("ht.look_at_wall")
        readings.pop("ht.look_at_wall", None)
        if _read_here(gaze):
            readings[TOP_GAZE] = readings[GAZE_VS_SIDE] = (_top_gaze(analysis, rep), gaze.verdict)
        shins = found.get("ht.shin_angle")
        if _read_here(shins):
            tilt = _top_shin(analysis, cfg, rep)
            if tilt is not None:
                verdict = readings.get("ht.shin_angle", (None, "not_checked"))[1]
                readings["ht.shin_angle"] = (abs(tilt), verdict)
                readings[SHIN_SAGITTAL] = (abs(_sagittal(tilt, cfg, _off_side(analysis, rep))), verdict)
        if "rdl.knees_frozen" in readings:
            verdict = readings["rdl.knees_frozen"][1]
            readings["rdl.knees_frozen"] = (_shin_change(analysis, cfg, rep), verdict)
            readings[KNEE_DRIFT] = (_change(analysis.series, "knee_flexion_deg", rep), verdict)
        hinge = measured_hinge(analysis.series, rep.start, rep.bottom)
        for rule, (value, verdict) in readings.items():
            truth = TRUTH.get(rule)
            t = None if truth is None else truth.read(q, hinge)
            if t is not None and math.isfinite(t) and value is not None and math.isfinite(value):
                out.append(Pair(rule, stem, int(true_rep["index"]), float(value), t, verdict, _off_side(analysis, rep)))
    return out


def rendered_clips(folders: Sequence[Path], model: str) -> list[tuple[Path, Path]]:
    """(label, landmarks) of every rendered clip in ``folders``: a ``formcheck.synth`` label with its
    ``<clip>.<model>.npz`` in any of the folders."""
    out = []
    for folder in folders:
        for label in sorted(folder.glob("*.json")):
            if label.name.endswith(".spec.json"):
                continue
            npz = next(
                (f / f"{label.stem}.{model}.npz" for f in folders if (f / f"{label.stem}.{model}.npz").exists()), None
            )
            if npz is None:
                continue
            try:
                head = json.loads(label.read_text())
            except json.JSONDecodeError:
                continue
            if (
                isinstance(head, dict)
                and head.get("generator") == "formcheck.synth"
                and head.get("generator_version", 0) >= 2
            ):
                out.append((label, npz))
    return out


def _top_gaze(analysis: Any, rep: Any) -> float:
    """The highest gaze at the top over the frames whose ears and nose are evidence, as ``ht.look_at_wall`` reads it
    (its own helpers)."""
    from formcheck.exercises.base import RuleContext, extreme
    from formcheck.exercises.hip_thrust import _top

    ctx = RuleContext(series=analysis.series, reps=[rep], rules=None, view="side", trust=analysis.trust)
    a, b, _ = _top(ctx, rep)
    return extreme(ctx, "gaze_deg", a, b, "max", trusted_only=True)[0]


def _off_side(analysis: Any, rep: Any) -> float | None:
    """The measured angle off the side of the shot holding ``rep``'s lockout, as the rules get it."""
    from formcheck.judging import measured_off_side_deg

    view = analysis.view
    for shot in view.detail.get("shots", []) if view.label == "mixed" else []:
        if shot["t_start"] <= rep.t_lockout <= shot["t_end"]:
            return shot.get("off_side_deg")
    return measured_off_side_deg(view)


def _shin_change(analysis: Any, cfg: Any, rep: Any) -> float:
    """The shin tilt change as ``rdl.knees_frozen`` reads it: in the sagittal plane, the shot's angle taken out."""
    from formcheck.exercises.base import RuleContext
    from formcheck.exercises.rdl import shin_tilt_change_deg

    ctx = RuleContext(
        series=analysis.series, reps=[rep], rules=cfg.rdl, view="side", off_side_deg=_off_side(analysis, rep)
    )
    return shin_tilt_change_deg(ctx, rep)


def _top_shin(analysis: Any, cfg: Any, rep: Any) -> float | None:
    """The shin tilt at the top as ``ht.shin_angle`` reads it (signed, bias removed), with its own helper."""
    from formcheck.exercises.base import RuleContext
    from formcheck.exercises.hip_thrust import top_shin_tilt

    ctx = RuleContext(series=analysis.series, reps=[rep], rules=cfg.hip_thrust, view="side")
    return top_shin_tilt(ctx, rep)[0]


def _sagittal(tilt: float, cfg: Any, off_side_deg: float | None) -> float:
    """A thrust's shin tilt (``tilt``, its bias removed) with the camera's measured angle off the side taken out as
    ``rdl.knees_frozen`` takes it out of the RDL's shins, the bias in the lifter's plane."""
    from formcheck.exercises.rdl import sagittal_tilt_deg

    bias = cfg.hip_thrust.shin_tilt_top_bias_deg
    return sagittal_tilt_deg(tilt + bias, off_side_deg, cfg.rdl.shin_tilt_correct_up_to_deg) - bias


def _change(series: Any, name: str, rep: Any) -> float:
    """Start-to-bottom change of ``name`` as ``rdl.knees_frozen`` reads it (its own helpers)."""
    from formcheck.exercises.base import RuleContext, start_value
    from formcheck.exercises.rdl import _bottom_value

    ctx = RuleContext(series=series, reps=[rep], rules=None, view="side")
    return _bottom_value(ctx, name, rep) - start_value(ctx, name, rep)


def _num(x: float | None, digits: int) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def to_markdown(rows: Sequence[Row], units: Mapping[str, str]) -> str:
    lines = [
        "| rule | unit | reps | truth range | bias (reading − truth) | 2 SD | 2 RMS | max abs error − bias | gain | 2 SD about the fit | model | uncertainty |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        d = 3 if units.get(r.rule) in ("leg", "ratio", "s") else 1
        model = TRUTH[r.rule].model
        chosen = r.sd2_fit if model == "fit" and r.sd2_fit is not None else r.sd2
        lines.append(
            f"| {r.rule} | {units.get(r.rule, '')} | {r.n} | {_num(r.truth_lo, d)} .. {_num(r.truth_hi, d)} | "
            f"{_num(r.bias, d)} | {_num(r.sd2, d)} | {_num(r.rms2, d)} | {_num(r.max_err, d)} | {_num(r.gain, 2)} | {_num(r.sd2_fit, d)} | "
            f"{model} | **{_num(chosen, d)}** |"
        )
    return "\n".join(lines) + "\n"


def pose_missing(folders: Sequence[Path], model: str) -> None:
    """Landmarks ``<clip>.<model>.npz`` for every rendered ``<clip>.mp4`` with a label and none yet (the pose model:
    slow, one clip at a time)."""
    from formcheck.sensitivity import analyse_clip

    cfg = load_config(overrides={"pose.model": model})
    for folder in folders:
        for mp4 in sorted(folder.glob("*.mp4")):
            if mp4.with_suffix(".json").exists() and not mp4.with_name(f"{mp4.stem}.{model}.npz").exists():
                analyse_clip(mp4, cfg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="folders of rendered clips (labels and landmarks)")
    parser.add_argument("--azimuth", type=float, default=0.0, help="camera angle off side of the clips used")
    parser.add_argument(
        "--bands",
        help="instead of --azimuth: every clip, a table per band of the measured angle off the side, e.g. 0,15,23,36,46",
    )
    parser.add_argument(
        "--video",
        action="store_true",
        help="analyse with the rendered video (plate search, bar check), as analyze does",
    )
    parser.add_argument("--model", default="full")
    parser.add_argument("--rows", type=Path, help="also write every (reading, truth) pair here as JSON")
    parser.add_argument(
        "--pose", action="store_true", help="run the pose model on rendered clips that have no landmarks yet"
    )
    args = parser.parse_args()
    if args.pose:
        pose_missing(args.folders, args.model)
    from formcheck.exercises import all_rules

    units = {rule.id: rule.unit for _, rule in all_rules()} | {KNEE_DRIFT: "deg", TOP_GAZE: "deg", GAZE_VS_SIDE: "deg"}
    pairs: list[Pair] = []
    azimuth = None if args.bands else args.azimuth
    for label, npz in rendered_clips(args.folders, args.model):
        pairs += clip_pairs(label, npz, azimuth, with_video=args.video)
    by_rule: dict[str, list[Pair]] = {}
    for p in pairs:
        by_rule.setdefault(p.rule, []).append(p)
    if args.bands:
        edges = [float(x) for x in args.bands.split(",")]
        for lo, hi in zip(edges[:-1], edges[1:], strict=False):
            band = [p for p in pairs if p.off_side is not None and lo < p.off_side <= hi]
            rows = [summarise(rule, ps) for rule in TRUTH if len(ps := [p for p in band if p.rule == rule]) > 1]
            print(f"\nmeasured {lo:g}-{hi:g}° off side: {len({p.clip for p in band})} clips\n")
            print(to_markdown(rows, units), end="")
    else:
        rows = [summarise(rule, by_rule[rule]) for rule in TRUTH if rule in by_rule]
        print(f"{len({p.clip for p in pairs})} clips at {args.azimuth:g}° off side\n")
        print(to_markdown(rows, units), end="")
    missing = sorted(set(units) - set(by_rule) - {"ht.look_at_wall"})
    if missing:
        print(f"\nNo rendered truth in the rule's unit here: {', '.join(missing)}")
    if args.rows is not None:
        args.rows.write_text(json.dumps([p.__dict__ for p in pairs], indent=1) + "\n")


if __name__ == "__main__":
    main()
