"""Barbell hip thrust and glute bridge: the rules of COACHING.md ('Barbell hip thrust', §1), one function each.

Every threshold comes from :class:`formcheck.config.HipThrustRules`. The glute bridge is the same lift
with the upper back on the floor: it shares the rules, except that looking up at the bottom is not
judged (the head rests on the floor).

Cues (README's rule table): a straight line shoulders to knees at the top; ribs down, no arch; eyes on
the wall in front at the bottom and where it meets the ceiling at the top; chin slightly tucked, not
jammed; vertical shins at the top; the same position every rep.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..kinematics import METRIC_JOINTS, SHIN_REFERENCE_PERCENTILE
from ..types import Rep
from .base import (
    Judgement,
    Lift,
    LimitLine,
    Phase,
    Rule,
    RuleContext,
    extreme,
    grade_above,
    grade_below,
    graded,
    skip,
    top_cut_off,
)

#: Why a rule reading the top position skips a rep whose top was never measured.
NO_TOP = "no top position measured"


#: Why ``ht.shin_angle`` skips a rep whose ankle landmark is off the shin in every frame of the top.
OFF_THE_SHIN = (
    "the ankle landmark is off the shin all through the top (the knee-ankle length is not the lifter's own), "
    "so the shin tilt cannot be read"
)


def _top(ctx: RuleContext, rep: Rep) -> tuple[int, int, int | None]:
    """Top window [lockout, end) and the frame of greatest hip extension in it."""
    a, b = rep.lockout, max(rep.end, rep.lockout + 1)
    _, frame = extreme(ctx, "hip_line_dev_deg", a, b, "max")
    return a, b, frame


def prepare(ctx: RuleContext) -> None:
    """Per-lifter references: neutral neck = median neck flexion at the bottoms (eyes on the wall)."""
    neck = ctx.series["neck_flexion_deg"]
    bottoms = [neck[r.bottom] for r in ctx.reps if np.isfinite(neck[r.bottom])]
    ctx.extras["neck_neutral_deg"] = float(np.median(bottoms)) if bottoms else float("nan")


def check_lockout(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b, frame = _top(ctx, rep)
    if frame is None:
        return skip(NO_TOP)
    value = 180.0 + min(ctx.series["hip_line_dev_deg"][frame], 0.0)
    limit, margin = (
        (cfg.lockout_min_hip_side_deg, cfg.lockout_side_warn_margin_deg)
        if ctx.pure_side
        else (cfg.lockout_min_hip_deg, cfg.warn_margin_deg)
    )
    verdict = grade_below(value, limit, margin)
    if verdict != "pass" and (cut := top_cut_off(ctx, frame, "hip_line_dev_deg", b)):
        return skip(cut)
    return graded(
        verdict,
        value,
        limit,
        frame,
        f"top hip angle {value:.0f}°, needs at least {limit:.0f}°",
        f"top hip angle {value:.0f}°",
        (rep.bottom, b - 1),
        fault_line=limit - margin,
    )


def check_overextension(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b, frame = _top(ctx, rep)
    if frame is None:
        return skip(NO_TOP)
    value = float(ctx.series["hip_line_dev_deg"][frame])
    verdict = grade_above(value, cfg.overextension_max_deg, cfg.warn_margin_deg)
    return graded(
        verdict,
        value,
        cfg.overextension_max_deg,
        frame,
        f"hips {value:.0f}° above the shoulder-knee line at the top (limit {cfg.overextension_max_deg:.0f}°)",
        f"hip line deviation {value:+.0f}° at the top",
        (a, b - 1),
        fault_line=cfg.overextension_max_deg + cfg.warn_margin_deg,
    )


def past_neutral(ctx: RuleContext, measured: float) -> float:
    """Neck flexion past neutral (head in line with the trunk), true degrees, from a measured neck angle:
    the bottoms are the reference (cancelling where the ear sits on each lifter) and are themselves
    ``neck_bottom_flexion_deg`` past neutral; the measurement moves ``neck_flexion_gain`` per true degree."""
    cfg = ctx.rules
    reference = ctx.extras.get("neck_neutral_deg", float("nan"))
    return float(cfg.neck_bottom_flexion_deg + (measured - reference) / cfg.neck_flexion_gain)


def check_look_at_wall(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b, frame = _top(ctx, rep)
    if frame is None:
        return skip(NO_TOP)
    gaze = ctx.series["gaze_deg"]
    # the gaze's extreme and the bottom's gaze from frames whose ears and nose are evidence: a frame where the model
    # drew the nose onto the ear gives any direction (docs/ACCURACY.md "The nose drawn onto the ear")
    top_gaze, top_frame = extreme(ctx, "gaze_deg", a, b, "max", trusted_only=True)
    if top_frame is None:
        return skip("the head was not seen at this top (its ears and nose are guesses there)")
    bottom_seen = ctx.trust is None or not ctx.trust.untrusted(METRIC_JOINTS["gaze_deg"])[rep.bottom]
    bottom_gaze = float(gaze[rep.bottom]) if bottom_seen else float("nan")
    over_top = top_gaze - cfg.gaze_top_max_deg
    # In a glute bridge the head rests on the floor: looking up at the bottom is not a choice.
    judge_bottom = np.isfinite(bottom_gaze) and ctx.exercise != GLUTE_BRIDGE.id
    over_bottom = bottom_gaze - cfg.gaze_bottom_max_deg if judge_bottom else -np.inf
    neck_top, _ = extreme(ctx, "neck_flexion_deg", a, b, "min", trusted_only=True)
    extension = -past_neutral(ctx, neck_top)
    key: int | None
    if over_bottom > over_top:
        verdict = grade_above(bottom_gaze, cfg.gaze_bottom_max_deg, cfg.warn_margin_deg)
        value, threshold, key = bottom_gaze, cfg.gaze_bottom_max_deg, rep.bottom
        where = "at the bottom"
    else:
        verdict = grade_above(top_gaze, cfg.gaze_top_max_deg, cfg.warn_margin_deg)
        value, threshold, key = top_gaze, cfg.gaze_top_max_deg, top_frame
        where = "at the top"
    if verdict == "pass" and np.isfinite(extension) and extension > cfg.neck_extension_max_deg and len(ctx.reps) > 1:
        msg = (
            f"head tipped back about {extension:.0f}° past neutral at the top "
            f"(limit {cfg.neck_extension_max_deg:.0f}°); gaze {top_gaze:.0f}°"
        )
        return Judgement("warn", top_gaze, cfg.gaze_top_max_deg, top_frame, msg, (a, b - 1))
    return graded(
        verdict,
        value,
        threshold,
        key,
        f"gaze {value:.0f}° above horizontal {where} (limit {threshold:.0f}°): head cranked back",
        f"gaze {bottom_gaze:.0f}° at the bottom, {top_gaze:.0f}° at the top"
        if np.isfinite(bottom_gaze)
        else f"gaze {top_gaze:.0f}° at the top",
        (rep.bottom, b - 1),
        fault_line=threshold + cfg.warn_margin_deg,
    )


def check_neck_hyperflexion(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b, frame = _top(ctx, rep)
    neutral = ctx.extras.get("neck_neutral_deg", float("nan"))
    if not np.isfinite(neutral):
        return skip("no neutral neck position found (bottoms not measured)")
    peak, peak_frame = extreme(ctx, "neck_flexion_deg", a, b, "max")
    value = past_neutral(ctx, peak)
    verdict = grade_above(value, cfg.neck_hyperflexion_deg, cfg.warn_margin_deg)
    return graded(
        verdict,
        value,
        cfg.neck_hyperflexion_deg,
        peak_frame,
        f"chin tucked about {value:.0f}° past neutral at the top (limit {cfg.neck_hyperflexion_deg:.0f}°)",
        f"neck about {value:+.0f}° past neutral at the top",
        (rep.start, b - 1),
        fault_line=cfg.neck_hyperflexion_deg + cfg.warn_margin_deg,
    )


def top_shin_tilt(ctx: RuleContext, rep: Rep) -> tuple[float | None, int | None]:
    """The rep's shin tilt at the top as ``ht.shin_angle`` reads it (signed, + = knee ahead of the ankle, on screen,
    bias removed) and its key frame; None with the frame when the ankle is off the shin all through the top, (None,
    None) without a top.

    Where the ankle landmark leaves the shin (slides up it, or onto the far ankle) the knee-ankle line is short
    and tilts less than the shin (docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle'). The top's own
    shin is the long end of its knee-ankle lengths (``shin_length_ratio``, 90th percentile over the window); the
    median tilt is read over the frames within ``shin_length_tolerance`` of it, and not at all when even that is
    shorter than ``shin_top_min_length_ratio`` of the clip's shin (the ankle off the leg in every frame).

    Off the side the tilt is read as drawn: on rendered thrusts 15-36° off the side as measured it tracks the true
    tilt within 2 RMS 4.8-5.5°, and taking the camera angle out as ``rdl.knees_frozen`` does read it 2-4° higher
    and scattered more (docs/ACCURACY.md 'The hip thrust's shins off the side').
    """
    cfg = ctx.rules
    a, b, frame = _top(ctx, rep)
    if frame is None:
        return None, None
    tilts = ctx.series["shin_tilt_deg"][a:b]
    if "shin_length_ratio" in ctx.series.names:
        ratio = ctx.series["shin_length_ratio"][a:b]
        if not np.any(np.isfinite(ratio)):
            return None, frame
        own = float(np.nanpercentile(ratio, SHIN_REFERENCE_PERCENTILE))
        if own < cfg.shin_top_min_length_ratio:
            return None, frame
        with np.errstate(invalid="ignore"):
            tilts = tilts[ratio >= own * (1.0 - cfg.shin_length_tolerance)]
    if not np.any(np.isfinite(tilts)):
        return None, frame
    return float(np.nanmedian(tilts)) - cfg.shin_tilt_top_bias_deg, frame


def shin_far_uncertainty_deg(ctx: RuleContext) -> float | None:
    """The uncertainty of the shin tilt from a shot measured past ``shin_angle_far_from_deg`` off the side (where
    the reading scatters more and runs low), else None: the rule's own for the shot's view."""
    cfg = ctx.rules
    off = ctx.off_side_deg
    return cfg.shin_angle_far_uncertainty_deg if off is not None and off > cfg.shin_angle_far_from_deg else None


def check_shin_angle(ctx: RuleContext, rep: Rep) -> Judgement:
    """Shins near vertical at the top (COACHING.md §1): the tilt of ankle->knee from vertical, bias removed; from a
    camera far round (:func:`shin_far_uncertainty_deg`) with the wider uncertainty measured there."""
    cfg = ctx.rules
    a, b, _ = _top(ctx, rep)
    tilt, frame = top_shin_tilt(ctx, rep)
    if frame is None:
        return skip(NO_TOP)
    if tilt is None:
        return skip(OFF_THE_SHIN)
    value = abs(tilt)
    verdict = grade_above(value, cfg.shin_tilt_warn_deg, cfg.shin_tilt_fault_deg - cfg.shin_tilt_warn_deg)
    feet = "feet too close (knees ahead of the ankles)" if tilt > 0 else "feet too far out (knees behind the ankles)"
    # the limit is where a flag starts (the fine size), whatever the verdict; the fault line is reported beside it
    judged = graded(
        verdict,
        value,
        cfg.shin_tilt_warn_deg,
        frame,
        f"shins {value:.0f}° from vertical at the top: {feet} (warn {cfg.shin_tilt_warn_deg:.0f}, fault {cfg.shin_tilt_fault_deg:.0f}°)",
        f"shins {tilt:+.0f}° from vertical at the top",
        (a, b - 1),
        fault_line=cfg.shin_tilt_fault_deg,
        fine_line=cfg.shin_tilt_warn_deg,
    )
    far = shin_far_uncertainty_deg(ctx)
    return judged if far is None else replace(judged, uncertainty=far)


def _head_at_tops(ctx: RuleContext) -> np.ndarray:
    """Per rep, the median neck angle over its top's frames whose neck points (shoulder, hip, ear) are evidence; NaN
    where none is. ``ht.consistency`` declares the hip angle at the bottom as its evidence; the head at the top, its
    other reading, is compared only where it was seen, not guessed (COACHING.md §6: hair or caps over the ears)."""
    neck = ctx.series["neck_flexion_deg"]
    guessed = ctx.trust.untrusted(METRIC_JOINTS["neck_flexion_deg"]) if ctx.trust is not None else None
    out = []
    for r in ctx.reps:
        a, b = r.lockout, max(r.end, r.lockout + 1)
        w = neck[a:b].copy()
        if guessed is not None:
            w[guessed[a:b]] = np.nan
        out.append(np.nanmedian(w) if np.any(np.isfinite(w)) else np.nan)
    return np.array(out)


#: Reps a set needs for its usual position (``ht.consistency``): with fewer, one odd rep is half the reference.
CONSISTENCY_MIN_REPS = 3


def _bottoms_seen(ctx: RuleContext) -> np.ndarray:
    """Per rep, the hip angle at its bottom where the hip angle's points are evidence in the bottom's frames (as
    :attr:`Phase.BOTTOM` reads them for the rule's own rep), NaN where they are not: the set's usual bottom is read
    from bottoms that were seen, not from a knee drawn on the plate (COACHING.md §6)."""
    hip = ctx.series["hip_deg"]
    out = np.array([hip[r.bottom] for r in ctx.reps], dtype=float)
    if ctx.trust is not None:
        joints = METRIC_JOINTS["hip_deg"]
        for k, r in enumerate(ctx.reps):
            seen = ctx.trust.trusted_share(joints, *Phase.BOTTOM.window(r))
            if seen < ctx.trust_config.min_trusted_share:
                out[k] = np.nan
    return out


def _off_usual(values: np.ndarray, k: int) -> float:
    """How far rep ``k``'s reading lies from the median of the set's readings, or NaN when it was not seen or fewer
    than :data:`CONSISTENCY_MIN_REPS` were."""
    if not np.isfinite(values[k]) or np.count_nonzero(np.isfinite(values)) < CONSISTENCY_MIN_REPS:
        return float("nan")
    return float(abs(values[k] - np.nanmedian(values)))


def check_consistency(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    if len(ctx.reps) < CONSISTENCY_MIN_REPS:
        return skip(f"needs at least {CONSISTENCY_MIN_REPS} reps to know the set's usual position")
    k = [r.index for r in ctx.reps].index(rep.index)
    tops_neck = _head_at_tops(ctx)
    d_hip_seen, d_neck_seen = _off_usual(_bottoms_seen(ctx), k), _off_usual(tops_neck, k)
    if not (np.isfinite(d_hip_seen) or np.isfinite(d_neck_seen)):
        return skip(
            f"needs at least {CONSISTENCY_MIN_REPS} reps whose bottom or head at the top was seen (not guessed) to "
            "know the set's usual position"
        )
    d_hip = d_hip_seen if np.isfinite(d_hip_seen) else 0.0
    d_neck = d_neck_seen if np.isfinite(d_neck_seen) else 0.0
    if not np.isfinite(d_neck_seen):
        head = "was not seen at this top" if not np.isfinite(tops_neck[k]) else "was seen at too few tops"
        only = f" (the start's hip angle only: the head {head})"
    elif not np.isfinite(d_hip_seen):
        only = " (the head at the top only: too few bottoms were seen)"
    else:
        only = ""
    ratio_hip = d_hip / cfg.consistency_hip_deg
    ratio_neck = d_neck / cfg.consistency_neck_deg
    if ratio_hip >= ratio_neck:
        value, threshold, what, frame = d_hip, cfg.consistency_hip_deg, "start (bottom) hip angle", rep.bottom
    else:
        value, threshold, what, frame = d_neck, cfg.consistency_neck_deg, "head position at the top", rep.lockout
    verdict = grade_above(value, threshold, cfg.warn_margin_deg)
    verdict = "warn" if verdict == "fault" else verdict  # a difference from the set is a prompt, not a fault
    return graded(
        verdict,
        value,
        threshold,
        frame,
        f"{what} differs {value:.0f}° from the set's usual (limit {threshold:.0f}°)",
        f"within {max(d_hip, d_neck):.0f}° of the set's usual position{only}",
    )


#: COACHING.md §5: what an angled camera does to each top measurement (rendered grid, `formcheck eval --sensitivity`).
GAZE_OFF_SIDE = (
    "needs a side view: the gaze is read from the ears to the nose, a short line that turns with the camera angle "
    "(rendered thrusts filmed further round read clean tops up to 149° and heads cranked back 25° as low as 66°)"
)
OVEREXTENSION_OFF_SIDE = (
    "needs a side view: the hip's height above the shoulder-knee line changes with the camera angle "
    "(rendered at 30° off side it read about 16° lower)"
)
OVEREXTENSION_BLIND_PASS = (
    "a pass needs the camera nearer the side: the hip's height above the shoulder-knee line reads lower as the camera "
    "turns (rendered 15° overextensions read 22.9 and 16.3 measured 16-19° off side, 13.9 and 3.8 measured 20-23° off)"
)
SHIN_OFF_SIDE = (
    "needs a camera nearer the side: the shin's tilt from vertical on screen shrinks as the camera turns, and it was "
    "checked against rendered lifters only so far round"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "ht.lockout",
        "top_hip_deg",
        "deg",
        "Finish the rep: drive to a straight line shoulders to knees.",
        "Full lockout",
        check_lockout,
        needs=("hip_line_dev_deg",),
        phase=Phase.TOP,
        evidence=(Phase.TOP,),  # read at the top (its span, from the bottom, is what the report shows)
        uncertainty="lockout_uncertainty_deg",
        max_off_side_uncertainty="lockout_off_side_uncertainty_deg",
        off_side_errs_towards_flag=True,
    ),
    Rule(
        "ht.overextension",
        "hip_line_dev_deg",
        "deg",
        "Ribs down: finish with the glutes, not the lower back.",
        "No overarching at the top",
        check_overextension,
        needs=("hip_line_dev_deg",),
        phase=Phase.TOP,
        off_side_reason=OVEREXTENSION_OFF_SIDE,
        blind_pass_reason=OVEREXTENSION_BLIND_PASS,
        pass_max_off_side="overextension_pass_max_off_side_deg",
        uncertainty="overextension_uncertainty_deg",
    ),
    Rule(
        "ht.look_at_wall",
        "gaze_deg",
        "deg",
        "Look at the wall in front at the bottom, where it meets the ceiling at the top.",
        "Eyes on the wall, head not cranked back",
        check_look_at_wall,
        needs=("gaze_deg",),
        phase=Phase.TOP,
        evidence=(Phase.BOTTOM, Phase.TOP),  # the gaze at the bottom and at the top
        off_side_reason=GAZE_OFF_SIDE,
        max_off_side="gaze_max_off_side_deg",
        max_off_side_uncertainty="gaze_oblique_uncertainty_deg",
        off_side_errs_towards_flag=True,
        uncertainty="gaze_uncertainty_deg",
    ),
    Rule(
        "ht.neck_hyperflexion",
        "neck_flexion_from_neutral_deg",
        "deg",
        "Tuck the chin slightly, not into the chest.",
        "No chin jammed to the chest",
        check_neck_hyperflexion,
        needs=("neck_flexion_deg",),
        phase=Phase.TOP,
        unvalidated=(
            "chin tuck not judged yet: clean real thrusts keep the eyes on the wall in front over an upper back "
            "curled on the bench, which reads 50-80° past the hip-shoulder line, as a rendered chin on the chest "
            "does; one 2D view cannot tell the neck from the upper back"
        ),
        uncertainty="neck_hyperflexion_uncertainty_deg",
    ),
    Rule(
        "ht.shin_angle",
        "shin_tilt_deg",
        "deg",
        "Move the feet so the shins are vertical at the top.",
        "Shins vertical at the top",
        check_shin_angle,
        needs=("shin_tilt_deg",),
        phase=Phase.TOP,
        off_side_reason=SHIN_OFF_SIDE,
        max_off_side="shin_angle_max_off_side_deg",
        max_off_side_uncertainty="shin_angle_oblique_uncertainty_deg",
        uncertainty="shin_angle_uncertainty_deg",
    ),
    Rule(
        "ht.consistency",
        "deviation_from_set_deg",
        "deg",
        "Return to the same position every rep.",
        "Same position every rep",
        check_consistency,
        # the hip angle at the bottom, the reading it judges most (the head at the top when that differs more): its
        # joints must be evidence there, as every other rule's (a near knee drawn on the plate at a bottom read 68°
        # "from the set's usual": docs/ACCURACY.md "A leg drawn on the plate is not the lifter's leg")
        needs=("hip_deg",),
        evidence=(Phase.BOTTOM,),
        uncertainty="consistency_uncertainty_deg",
    ),
)

#: Renderer fault names -> the rule that should flag them (formcheck.synth.faults).
LABEL_FAULTS = {
    "head_back": "ht.look_at_wall",
    "chin_tuck": "ht.neck_hyperflexion",
    "overextension": "ht.overextension",
    "partial": "ht.lockout",
    "shins": "ht.shin_angle",
}
#: The two-rater per-rep form labels' names (../shared/videos/README.md) -> the rule that should flag them.
FORM_FAULTS = {
    "head_back": "ht.look_at_wall",
    "chin_jam": "ht.neck_hyperflexion",
    "overextension": "ht.overextension",
    "partial_lockout": "ht.lockout",
    "shins_not_vertical": "ht.shin_angle",
    "inconsistent": "ht.consistency",
}
#: Threshold lines on the HTML report's plots.
LIMIT_LINES = (
    LimitLine("hip_deg", "lockout_min_hip_deg", "lockout min"),
    LimitLine("hip_line_dev_deg", "overextension_max_deg", "overextension max"),
    LimitLine("gaze_deg", "gaze_top_max_deg", "top max"),
    LimitLine("gaze_deg", "gaze_bottom_max_deg", "bottom max"),
)

LIFT = Lift(
    id="hip_thrust",
    family="bridge",
    name="hip thrust",
    rules=RULES,
    config_section="hip_thrust",
    prepare=prepare,
    label_faults=LABEL_FAULTS,
    form_faults=FORM_FAULTS,
    limit_lines=LIMIT_LINES,
)
#: The glute bridge shares the thrust's rules, except that its shin angle waits for evidence: bridges both
#: raters saw as clean read 13-14° (clip_091) and coarse-labelled clean ones 24-29° (clip_032, clip_039), and no
#: rendered bridge has measured the bias (docs/ACCURACY.md 'Neck at the top, shins at the top').
BRIDGE_RULES = tuple(
    replace(
        rule,
        unvalidated="shin angle not judged on floor bridges yet: bridges seen as clean read 13-29° from vertical",
    )
    if rule.id == "ht.shin_angle"
    else rule
    for rule in RULES
)

GLUTE_BRIDGE = Lift(
    id="glute_bridge",
    family="bridge",
    name="glute bridge",
    rules=BRIDGE_RULES,
    config_section="hip_thrust",
    prepare=prepare,
    label_faults=LABEL_FAULTS,
    form_faults=FORM_FAULTS,
    limit_lines=LIMIT_LINES,
)


#: The rules that read the hip line or the shins, whose bias no rendered single-leg bridge has measured: on a
#: single-leg bridge or thrust they say why they are not judged (they read the planted leg, :func:`single_leg`).
SINGLE_LEG_NOT_JUDGED = {
    "ht.lockout": "lockout not judged on a single-leg bridge yet: read on the planted leg, but no rendered single-leg "
    "bridge has measured how the pelvis turning with the free leg moves the hip line",
    "ht.overextension": "overextension not judged on a single-leg bridge yet: read on the planted leg, but no rendered "
    "single-leg bridge has measured how the pelvis turning with the free leg moves the hip line",
    "ht.shin_angle": "shin angle not judged on a single-leg bridge yet: no rendered single-leg bridge has measured "
    "the planted shin's bias",
}


def single_leg(lift: Lift) -> Lift:
    """``lift`` (a hip thrust or glute bridge) done on one leg, the other held off the floor: the leg metrics read the
    planted leg (:func:`formcheck.variants.leg_variant`), and the rules of :data:`SINGLE_LEG_NOT_JUDGED` say why they
    are not judged; the head and the set's consistency are read as on two legs."""
    rules = tuple(
        replace(rule, unvalidated=SINGLE_LEG_NOT_JUDGED[rule.id]) if rule.id in SINGLE_LEG_NOT_JUDGED else rule
        for rule in lift.rules
    )
    name = lift.name if lift.name.startswith("single-leg") else f"single-leg {lift.name}"
    faults = {k: v for k, v in lift.label_faults.items() if v not in SINGLE_LEG_NOT_JUDGED}
    return replace(lift, name=name, rules=rules, label_faults=faults, one_leg=True)
