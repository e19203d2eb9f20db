"""Romanian deadlift: the rules of COACHING.md ('Romanian deadlift', §1, §2), one function each.

Every threshold comes from :class:`formcheck.config.RdlRules`. The descent is
[rep.start, rep.bottom]; rules compare the lifter with their own start
position where the brief says self-comparison is more robust.

Cues (README's rule table): knees unlocked at the start, then frozen; hips back; bar shaving the legs;
stop where the back stays flat; a controlled way down with no bounce; the neck in line with the back.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..config import RdlRules
from ..report.words import digits_apart
from ..tempo import bar_descent
from ..trust import Reason
from ..types import Rep, Verdict
from .base import (
    ALONG_THE_BODY,
    Gauge,
    Judgement,
    Lift,
    Phase,
    Rule,
    RuleContext,
    apply_margin,
    below_hips,
    extreme,
    grade_above,
    grade_below,
    grade_factor_above,
    grade_factor_below,
    grade_from_cut,
    graded,
    skip,
    start_value,
    window_median,
)
from .hinge import HIPS_THROUGH

#: The trust reasons that say a joint is hidden and guessed rather than drawn off the body (Rule.tolerates).
OCCLUDED = Reason.BEHIND_PLATE | Reason.ON_HANDS

#: Frames either side of the point :func:`unlock_window` finds that rdl.knees_locked reads (the median of three).
UNLOCK_HALF_FRAMES = 1


def unlock_frame(ctx: RuleContext, rep: Rep) -> int | None:
    """The frame where the hips have gone ``knees_locked_read_share`` of the way down (the hip angle from the
    start to the bottom): the hinge begun, where ``rdl.knees_locked`` reads the knee.

    COACHING.md 'Knees unlocked, then frozen': lifters stand tall between reps and unlock the knees as the hips
    start back, so the standing frame reads a straight knee on clean reps (clip_078, clip_085); a locked-knee
    hinge keeps them straight past it (docs/ACCURACY.md 'Locked knees read as the hinge begins'). None when the
    hip angle does not place the point (not measured at the start or the bottom, or no hinge)."""
    hip = ctx.series["hip_deg"]
    top, low = start_value(ctx, "hip_deg", rep), _bottom_value(ctx, "hip_deg", rep)
    if not (np.isfinite(top) and np.isfinite(low) and top > low):
        return None
    line = top - ctx.rules.knees_locked_read_share * (top - low)
    with np.errstate(invalid="ignore"):
        past = np.flatnonzero(hip[rep.start : rep.bottom + 1] <= line)
    if past.size == 0:
        return None
    return rep.start + int(past[0])


def _around(at: int, rep: Rep) -> tuple[int, int]:
    """``[a, b)``: the frames within :data:`UNLOCK_HALF_FRAMES` of ``at``, inside the descent."""
    return max(at - UNLOCK_HALF_FRAMES, rep.start), min(at + UNLOCK_HALF_FRAMES + 1, rep.bottom + 1)


def unlock_window(ctx: RuleContext, rep: Rep) -> tuple[int, int] | None:
    """``[a, b)`` of what ``rdl.knees_locked`` reads: a few frames around :func:`unlock_frame` (None without it)."""
    at = unlock_frame(ctx, rep)
    return None if at is None else _around(at, rep)


def check_knees_locked(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    at = unlock_frame(ctx, rep)
    if at is None:
        return skip("the hip angle did not show where the hinge began in this rep")
    span = _around(at, rep)
    read = window_median(ctx, "knee_flexion_deg", *span)
    value = read - cfg.knee_flexion_bias_deg
    limit = cfg.knees_locked_min_flexion_deg
    verdict = grade_below(value, limit, cfg.knees_locked_warn_margin_deg)
    bias = f"read {read:.1f}°, less the {cfg.knee_flexion_bias_deg:.1f}° a straight knee reads"
    return graded(
        verdict,
        value,
        limit,
        at,
        f"knees nearly straight as the hinge begins: {value:.1f}° of flexion ({bias}; unlock to at least {limit:.1f}°)",
        f"knees unlocked {value:.1f}° as the hinge begins ({bias})",
        (span[0], span[1] - 1),
        fault_line=limit - cfg.knees_locked_warn_margin_deg,
    )


def _bottom_value(ctx: RuleContext, name: str, rep: Rep) -> float:
    """Median of ``name`` over the few frames around the bottom (:attr:`Phase.BOTTOM`; the hands pass the knees on
    the way down, so the knee landmark wobbles mid-descent: the bottom is read, not the largest value)."""
    return window_median(ctx, name, *Phase.BOTTOM.window(rep))


def sagittal_tilt_deg(on_screen_deg: float, off_side_deg: float | None, max_off_side_deg: float) -> float:
    """A segment's tilt from vertical in the lifter's sagittal plane, from its tilt on screen filmed ``off_side_deg``
    off the side (as measured; None: the view was set by hand, taken as square to the side). Turning the camera
    by that angle shrinks the segment's forward reach on screen by its cosine and leaves its height, so
    ``tan(true) = tan(on screen) / cos(off side)`` (COACHING.md §5: angles in the sagittal plane shrink with the
    camera angle; docs/ACCURACY.md 'The shins' tilt corrected for the camera angle'). Past ``max_off_side_deg``
    (the largest angle the correction was measured at) the correction for that angle: a smaller one, never a
    reading blown up by a camera nearly square to the front."""
    if off_side_deg is None or not np.isfinite(off_side_deg):
        return on_screen_deg
    cos = float(np.cos(np.radians(min(abs(off_side_deg), max_off_side_deg))))
    return float(np.degrees(np.arctan(np.tan(np.radians(on_screen_deg)) / cos)))


def shin_tilt_changes_deg(ctx: RuleContext, rep: Rep) -> tuple[float, float]:
    """How far the shins tilt forward from the rep's start to its bottom (degrees): in the lifter's sagittal plane
    (:func:`sagittal_tilt_deg` with the shot's measured angle off the side), what ``rdl.knees_frozen`` reads, and on
    screen."""
    off, most = ctx.off_side_deg, ctx.rules.shin_tilt_correct_up_to_deg
    start, bottom = start_value(ctx, "shin_tilt_deg", rep), _bottom_value(ctx, "shin_tilt_deg", rep)
    return sagittal_tilt_deg(bottom, off, most) - sagittal_tilt_deg(start, off, most), bottom - start


def shin_tilt_change_deg(ctx: RuleContext, rep: Rep) -> float:
    """The shin tilt change ``rdl.knees_frozen`` reads: :func:`shin_tilt_changes_deg`'s sagittal one."""
    return shin_tilt_changes_deg(ctx, rep)[0]


def shin_uncertainty_deg(ctx: RuleContext) -> float:
    """The measurement uncertainty of the shin tilt change from this shot: the square side view's
    (``knees_frozen_uncertainty_deg``, measured at 0°) only for a pure side view measured at most
    ``knees_frozen_side_max_off_side_deg`` off (or set by hand), else the one measured 7.5-45° round."""
    cfg = ctx.rules
    off = ctx.off_side_deg
    square = ctx.pure_side and (off is None or off <= cfg.knees_frozen_side_max_off_side_deg)
    return float(cfg.knees_frozen_uncertainty_deg if square else cfg.knees_frozen_oblique_uncertainty_deg)


def check_knees_frozen(ctx: RuleContext, rep: Rep) -> Judgement:
    """The squat-hinge hybrid (COACHING.md §2): the shins tilt forward (knees travel over the toes) while
    the hips sink rather than go back; or the knees bend past what any hinge over still shins reaches. The shins'
    tilt is read in the lifter's sagittal plane (:func:`sagittal_tilt_deg`), the camera's angle off the side taken
    out."""
    cfg = ctx.rules
    shin_change, on_screen = shin_tilt_changes_deg(ctx, rep)
    knee_change = _bottom_value(ctx, "knee_flexion_deg", rep) - start_value(ctx, "knee_flexion_deg", rep)
    hip = ctx.series["hip_deg"]
    hinge = float(np.nanmax(hip[rep.start : rep.bottom + 1]) - np.nanmin(hip[rep.start : rep.bottom + 1]))
    ratio = knee_change / hinge if hinge > 0 else float("nan")
    travel = (_bottom_value(ctx, "hip_back", rep) - start_value(ctx, "hip_back", rep)) / (max(hinge, 1e-6) / 90.0)
    hips_stay = np.isfinite(travel) and travel <= cfg.hybrid_max_hip_travel_leg
    sinks = hips_stay or (np.isfinite(ratio) and ratio > cfg.hybrid_min_knee_hip_ratio)
    sinks_clearly = hips_stay or (np.isfinite(ratio) and ratio >= cfg.hybrid_fault_knee_hip_ratio)
    how = (
        f"knee {knee_change:+.0f}° for {hinge:.0f}° of hinge ({ratio:.2f}), hips back {travel:.2f} leg lengths per 90°"
    )
    span = (rep.start, rep.bottom)
    if ctx.off_side_deg is not None and abs(shin_change - on_screen) >= CORRECTION_SHOWN_DEG:
        how += f"; {on_screen:+.0f}° on screen, the camera {ctx.off_side_deg:.0f}° off the side"
    uncertainty = shin_uncertainty_deg(ctx)
    shins = replace(_shin_judgement(cfg, shin_change, sinks, sinks_clearly, how, rep, span), uncertainty=uncertainty)
    if knee_change > cfg.knee_drift_alone_deg and not _shins_call_a_fault(shins, uncertainty):
        # COACHING.md §2: knee drift alone past ~50 is a hybrid whatever the shins show; the shin test, the direct
        # measure, keeps the rep when it already calls a fault from its own lines
        msg = f"knees bent {knee_change:.0f}° more during the descent (limit {cfg.knee_drift_alone_deg:.0f}°): squat-hinge hybrid"
        line = cfg.knee_drift_alone_deg
        return Judgement("fault", knee_change, line, rep.bottom, msg, span, line, cfg.knee_drift_uncertainty_deg)
    return shins


#: The unit of rdl.knees_frozen's shin reading (its Rule's ``unit``), for the grading functions' messages.
SHIN_UNIT = "deg"


#: The shin reading's correction for the camera angle (:func:`sagittal_tilt_deg`) is told in the message from this
#: many degrees (a report's figures are whole degrees).
CORRECTION_SHOWN_DEG = 1.0


def _shins_call_a_fault(j: Judgement, uncertainty: float) -> bool:
    """Whether the shin test's verdict is a fault once graded as :func:`formcheck.exercises.base.weigh` grades it
    (the cut between the fine and fault sizes, :func:`grade_from_cut`, then the margin, :func:`apply_margin`), with
    the ``uncertainty`` of the shot's view."""
    return apply_margin(grade_from_cut(j, uncertainty, SHIN_UNIT), uncertainty, SHIN_UNIT).verdict == "fault"


def _shin_judgement(
    cfg: RdlRules,
    shin_change: float,
    sinks: bool,
    sinks_clearly: bool,
    how: str,
    rep: Rep,
    span: tuple[int, int],
) -> Judgement:
    """rdl.knees_frozen's shin test (COACHING.md §2): the shins tilt forward past the fine size while the hips
    sink (the knee-to-hip ratio, or the hips hardly travelling back). A flagged rep is graded from the cut between
    the fine and fault sizes where the shot's view reads them apart (the pure side view's uncertainty, or the
    oblique one's, :func:`formcheck.exercises.base.separable`); else a fault needs the reading past the fault line
    by the uncertainty (COACHING.md §4, §5)."""
    verdict: Verdict = "pass"
    if shin_change > cfg.shin_tilt_fault_deg and sinks_clearly:
        verdict = "fault"
    elif shin_change > cfg.shin_tilt_warn_deg and sinks:
        verdict = "warn"
    if verdict == "pass" and shin_change > cfg.shin_tilt_warn_deg:
        msg = f"shins tilted {shin_change:+.0f}° but the hips went back ({how}): a hinge, not a squat"
        return Judgement("pass", shin_change, cfg.shin_tilt_warn_deg, rep.bottom, msg, span)
    # the limit is where a flag starts (the fine size as read), whatever the verdict; the fault line is reported
    # beside it (the cut between the fine and fault sizes, or the fault size off the side)
    return graded(
        verdict,
        shin_change,
        cfg.shin_tilt_warn_deg,
        rep.bottom,
        f"knees travelled forward: shins tilted {shin_change:+.0f}° by the bottom (warn {cfg.shin_tilt_warn_deg:.0f}, "
        f"fault {cfg.shin_tilt_fault_deg:.0f}°) while the hips sank ({how}): squat-hinge hybrid",
        f"shins {shin_change:+.0f}° by the bottom, knees frozen ({how})",
        span,
        fault_line=cfg.shin_tilt_fault_deg,
        fine_line=cfg.shin_tilt_warn_deg,
    )


def check_hips_back(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    hip = ctx.series["hip_deg"]
    hinge = float(np.nanmax(hip[rep.start : rep.bottom + 1]) - hip[rep.bottom])
    if not np.isfinite(hinge) or hinge < cfg.min_hinge_deg:
        return skip(f"hinge of {hinge:.0f}° is too shallow to judge (needs {cfg.min_hinge_deg:.0f}°)")
    # COACHING.md §2: from the start of the descent to the bottom, each read where the hip and the ankle are
    # evidence (a glitch of the ankle onto the plate in mid-descent is where a maximum would land)
    back0 = window_median(ctx, "hip_back", *Phase.START.window(rep), trusted_only=True)
    back = window_median(ctx, "hip_back", *Phase.BOTTOM.window(rep), trusted_only=True)
    if not (np.isfinite(back) and np.isfinite(back0)):
        return skip(
            "the hip or the ankle was not seen well enough at the start and the bottom to measure how far the hips went back"
        )
    frame = rep.bottom
    read = (back - back0) / (hinge / 90.0)
    value = read - cfg.hips_back_bias_leg
    how = f"read {read:.3f}, {'plus' if cfg.hips_back_bias_leg < 0 else 'less'} the {abs(cfg.hips_back_bias_leg):.3f} it reads {'short' if cfg.hips_back_bias_leg < 0 else 'over'}"
    verdict = grade_factor_below(value, cfg.hips_back_min_ratio, cfg.hips_back_fault_factor)
    return graded(
        verdict,
        value,
        cfg.hips_back_min_ratio,
        frame,
        f"hips travelled back {value:.3f} leg lengths per 90° of hinge ({how}; needs {cfg.hips_back_min_ratio:.2f})",
        f"hips back {value:.2f} leg lengths per 90° of hinge ({how})",
        (rep.start, rep.bottom),
        fault_line=cfg.hips_back_min_ratio * cfg.hips_back_fault_factor,
        fine_line=cfg.hips_back_fine_ratio,
    )


def check_bar_drift(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b = Phase.PULL.window(rep)
    drift = below_hips(ctx, "bar_to_leg", a, b)
    if not np.any(np.isfinite(drift)):
        return skip("the hands never went below the hips")
    i = int(np.nanargmax(drift))
    value = float(drift[i])
    verdict = grade_factor_above(value, cfg.bar_drift_max, cfg.bar_drift_fault_factor)
    return graded(
        verdict,
        value,
        cfg.bar_drift_max,
        a + i,
        f"bar {value:.2f} leg lengths in front of the shins (limit {cfg.bar_drift_max:.2f})",
        f"bar within {max(value, 0):.2f} leg lengths of the legs",
        (a, b - 1),
        fault_line=cfg.bar_drift_max * cfg.bar_drift_fault_factor,
    )


def check_rounding(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    start = start_value(ctx, "torso_length_ratio", rep)
    low, frame = extreme(ctx, "torso_length_ratio", rep.start, rep.bottom + 1, "min")
    value = low / start if start > 0 else float("nan")
    verdict = grade_below(value, cfg.rounding_min_ratio, cfg.rounding_warn_margin)
    return graded(
        verdict,
        value,
        cfg.rounding_min_ratio,
        frame,
        f"torso shortened to {value:.2f} of its start length: back rounding (limit {cfg.rounding_min_ratio:.2f})",
        f"torso length kept at {value:.2f} of its start",
        (rep.start, rep.bottom),
        fault_line=cfg.rounding_min_ratio - cfg.rounding_warn_margin,
    )


#: The points rdl.tempo times the way down on, in order, with the name of their share setting and how a message
#: names them: the shoulders (the bar hangs from them on straight arms), then the wrists (the bar itself).
TEMPO_POINTS: tuple[tuple[str, str, str], ...] = (
    ("shoulder", "eccentric_shoulder_span_share", "the shoulders' drop"),
    ("wrist", "eccentric_wrist_span_share", "the bar's drop"),
)


def timed_eccentric(ctx: RuleContext, rep: Rep) -> tuple[float, str]:
    """The rep's eccentric in seconds and what timed it: the height of the first point of :data:`TEMPO_POINTS` in
    the picture where it is evidence around both crossings (:func:`formcheck.tempo.bar_descent`), else the rep
    counter's reading on the hip angle (``rep.eccentric_s``).

    The top is looked for from the previous rep's bottom (the first rep: as far before its start as its counted
    descent lasts), the bottom from the rep's start to its lockout. In a fast descent the hip and knee landmarks
    lag and jump onto the hands, so the hip angle reaches the bottom late (docs/ACCURACY.md 'The eccentric
    timed by the shoulders'); the shoulders and wrists do not."""
    cfg = ctx.rules
    counted = float(rep.eccentric_s or 0.0)
    if rep.eccentric_s is None:
        return counted, "the hip angle"
    before = [r.bottom for r in ctx.reps if r.bottom < rep.bottom]
    search_from = max(before) if before else max(2 * rep.start - rep.bottom, 0)
    t = ctx.series.t
    for point, share, name in TEMPO_POINTS:
        signal = f"{point}_level_torso"
        if signal not in ctx.series:
            continue
        usable = np.ones(len(t), dtype=bool) if ctx.trust is None else ~ctx.trust.untrusted([point])
        descent = bar_descent(
            t,
            ctx.series[signal],
            usable,
            search_from,
            rep.start,
            rep.lockout,
            cfg.eccentric_span_fraction,
            getattr(cfg, share),
            cfg.eccentric_min_travel_torso,
        )
        if descent is not None:
            return descent.eccentric_s, name
    return counted, "the hip angle"


def check_tempo(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    hip, t = ctx.series["hip_deg"], ctx.series.t
    ecc, timed_by = timed_eccentric(ctx, rep)
    lo, hi = max(rep.bottom - 3, rep.start), min(rep.bottom + 4, rep.lockout + 1)
    speed_in = abs(hip[lo] - hip[rep.bottom]) / max(t[rep.bottom] - t[lo], 1e-3)
    speed_out = abs(hip[hi - 1] - hip[rep.bottom]) / max(t[hi - 1] - t[rep.bottom], 1e-3)
    # the bounce is read on the hip angle's speed, which a camera at the front or back does not show
    along = ctx.view in ALONG_THE_BODY
    bounce = (
        not along
        and rep.bottom_pause_s < cfg.bounce_max_bottom_s
        and speed_in > cfg.bounce_min_speed_deg_s
        and speed_out > cfg.bounce_min_speed_deg_s
    )
    verdict: Verdict
    if ecc < cfg.eccentric_min_s:
        verdict = "warn" if ecc >= cfg.eccentric_min_s * cfg.eccentric_fault_factor else "fault"
        d = digits_apart(ecc, cfg.eccentric_min_s, 1)
        msg = f"lowered in {ecc:.{d}f} s (aim at least {cfg.eccentric_min_s:.{d}f} s; timed by {timed_by})"
    elif bounce:
        verdict, msg = "warn", f"bounced out of the bottom (pause {rep.bottom_pause_s:.2f} s at {speed_in:.0f}°/s)"
    else:
        verdict, msg = "pass", f"lowered in {ecc:.1f} s (timed by {timed_by})"
    if along:
        msg += f"; a bounce at the bottom is not judged from the {ctx.view}"
    line = cfg.eccentric_min_s * cfg.eccentric_fault_factor
    span = (rep.start, rep.bottom)
    return Judgement(
        verdict, ecc, cfg.eccentric_min_s, rep.bottom, msg, span, line, fine_line=cfg.eccentric_fine_read_s
    )


def neck_extension_true(measured: float, bias: float, gain: float) -> float:
    """Neck extension at the bottom past the start, true degrees, from the measured fall of the shoulder->ear
    neck angle: rendered RDLs read ``bias + gain x truth`` (docs/ACCURACY.md 'The neck rules')."""
    return (measured - bias) / gain


def check_neck(ctx: RuleContext, rep: Rep) -> Judgement:
    """The neck at the bottom against the lifter's standing neck angle: the start of the descent, or, for a rep
    whose descent was not filmed (a pull from the floor after a set-up), the same rep's lockout. Read in true
    degrees through the measurement model measured on rendered truth; COACHING.md §1's fine and fault sizes."""
    cfg = ctx.rules
    descent_seen = rep.eccentric_s is not None
    start = (
        start_value(ctx, "neck_flexion_deg", rep)
        if descent_seen
        else window_median(ctx, "neck_flexion_deg", *Phase.TOP.window(rep))
    )
    neutral = "your standing neck angle" if descent_seen else "your standing neck angle at lockout"
    lo, hi = Phase.BOTTOM.window(rep)
    bottom, frame = extreme(ctx, "neck_flexion_deg", lo, hi, "min")
    value = neck_extension_true(start - bottom, cfg.neck_extension_bias_deg, cfg.neck_extension_gain)
    verdict = grade_above(value, cfg.neck_extension_max_deg, cfg.neck_extension_fault_deg - cfg.neck_extension_max_deg)
    return graded(
        verdict,
        value,
        cfg.neck_extension_max_deg,
        frame,
        f"neck extended about {value:.0f}° past {neutral} at the bottom (limit {cfg.neck_extension_max_deg:.0f}°)",
        f"neck within {max(value, 0):.0f}° of {neutral} at the bottom",
        (lo, hi - 1),
        fault_line=cfg.neck_extension_fault_deg,
    )


#: Why rdl.bar_drift says "not checked" by default (docs/ACCURACY.md 'Bar drift: not judged until measured').
BAR_DRIFT_NOT_VALIDATED = (
    "bar distance not judged yet: on rendered barbell RDLs the wrist reads the bar's distance within ±0.03 leg "
    "lengths, but where it reads a bar on the legs depends on the weight and the body: real clean sets read 0.05 "
    "(a barbell) to 0.23 (dumbbells beside the legs) against 0.10-0.14 rendered, so neither a pass nor a flag would "
    "mean what it says"
)

#: Why rdl.neck says "not checked" by default (docs/ACCURACY.md 'The neck rules').
NECK_NOT_VALIDATED = (
    "head position not judged yet: on rendered lifters the neck reading scatters ±12° from body to body, about "
    "the 15° between a neutral neck and a head cranked up, and RDLs seen as clean read 19-29° (eyes on the floor "
    "a metre or two ahead)"
)


RULES: tuple[Rule, ...] = (
    Rule(
        "rdl.knees_locked",
        "start_knee_flexion_deg",
        "deg",
        "Unlock the knees slightly.",
        "Knees unlocked as the hinge begins",
        check_knees_locked,
        needs=("knee_flexion_deg", "hip_deg"),
        phase=Phase.START,
        reads=unlock_window,
        reads_words="the start of the hinge",
        needs_descent=True,
        side_view_only=True,
        off_side_reason=(
            "needs a pure side view: a nearly straight knee's angle on screen changes with the camera angle "
            "(rendered 15° off side a straight knee read 2° hyperextended as the hinge begins, from the side 6° bent)"
        ),
        uncertainty="knees_locked_uncertainty_deg",
    ),
    Rule(
        "rdl.knees_frozen",
        "shin_tilt_change_deg",
        SHIN_UNIT,
        "Freeze the knees: push the hips back, do not squat the bar down.",
        "Knees frozen",
        check_knees_frozen,
        needs=("shin_tilt_deg", "knee_flexion_deg", "hip_deg", "hip_back"),
        phase=Phase.DESCENT,
        # the shin, knee and hip travel are read at the start and at the bottom, where the knee shows (the near
        # plate passes in front of it between them); the hip angle's range over the descent reads the shoulder and
        # the hip there too (the knee it also reads sets the range's ends, the start and the bottom)
        evidence=(Phase.START, Phase.BOTTOM),
        joint_evidence=(
            ("hip", (Phase.START, Phase.DESCENT, Phase.BOTTOM)),
            ("shoulder", (Phase.DESCENT,)),
        ),
        needs_descent=True,
        # the side view's; the judgement carries the shot's own (shin_uncertainty_deg: the oblique one past 8 deg)
        uncertainty="knees_frozen_uncertainty_deg",
    ),
    Rule(
        "rdl.hips_back",
        "hip_travel_per_90deg",
        "leg",
        "Drive the hips back as if closing a door behind you.",
        "Hips back",
        check_hips_back,
        needs=("hip_back", "hip_deg"),
        phase=Phase.DESCENT,
        # the hips' travel back: from the start position to the bottom (COACHING.md §2); the hinge: the hip angle's
        # range over the descent, whose ends (the start and the bottom) are where it reads the knee
        evidence=(Phase.START, Phase.BOTTOM),
        joint_evidence=(
            ("knee", (Phase.START, Phase.BOTTOM)),
            ("hip", (Phase.START, Phase.DESCENT, Phase.BOTTOM)),
            ("shoulder", (Phase.DESCENT,)),
        ),
        # the knee only sets the hinge's ends (the normaliser): a guess of it behind the plate or the hands moves
        # the reading a few per cent (docs/ACCURACY.md 'Hips back where the knee is hidden')
        tolerates=(("knee", OCCLUDED),),
        needs_descent=True,
        side_view_only=True,
        max_off_side="hips_back_max_off_side_deg",
        uncertainty="hips_back_uncertainty_leg",
        max_off_side_uncertainty="hips_back_oblique_uncertainty_leg",
    ),
    Rule(
        "rdl.bar_drift",
        "bar_to_leg",
        "leg",
        "Keep the bar shaving your legs.",
        "Bar close to the legs",
        check_bar_drift,
        needs=("bar_to_leg",),
        phase=Phase.PULL,
        side_view_only=True,
        unvalidated=BAR_DRIFT_NOT_VALIDATED,
        uncertainty="bar_drift_uncertainty_leg",
    ),
    Rule(
        "rdl.rounding",
        "torso_length_ratio",
        "ratio",
        "Stop where your back stays flat.",
        "Flat back",
        check_rounding,
        needs=("torso_length_ratio",),
        phase=Phase.DESCENT,
        evidence=(Phase.START, Phase.DESCENT),  # the start's length, the shortest in the descent
        needs_descent=True,
        side_view_only=True,
        unvalidated=(
            "back rounding not judged: no 2D measure sees it yet (the shoulder-hip distance shortens only ~1 % "
            "for a back rounded 30°, less than the shoulders move on their own)"
        ),
        uncertainty="rounding_uncertainty_ratio",
    ),
    Rule(
        "rdl.tempo",
        "eccentric_s",
        "s",
        "Control the way down; no bounce.",
        "Controlled eccentric",
        check_tempo,
        needs_descent=True,
        along_the_body=True,
        uncertainty="tempo_uncertainty_s",
    ),
    HIPS_THROUGH,
    Rule(
        "rdl.neck",
        "neck_extension_deg",
        "deg",
        "Keep the neck in line with the back.",
        "Neutral neck",
        check_neck,
        needs=("neck_flexion_deg",),
        phase=Phase.DESCENT,
        # the neck at the bottom against the start's (or, with the descent not filmed, the top's)
        evidence=(Phase.START, Phase.BOTTOM, Phase.TOP),
        unvalidated=NECK_NOT_VALIDATED,
        uncertainty="neck_uncertainty_deg",
    ),
)

LIFT = Lift(
    id="rdl",
    family="hinge",
    name="Romanian deadlift",
    rules=RULES,
    config_section="rdl",
    label_faults={
        "knees_bend": "rdl.knees_frozen",
        "knees_locked": "rdl.knees_locked",
        "bar_drift": "rdl.bar_drift",
        "rushed": "rdl.tempo",
        "head_up": "rdl.neck",
        "partial_lockout": "hinge.hips_through",
        "hips_stay": "rdl.hips_back",
    },
    form_faults={
        "knee_bend": "rdl.knees_frozen",
        "knees_locked": "rdl.knees_locked",
        "hips_not_back": "rdl.hips_back",
        "bar_drift": "rdl.bar_drift",
        "rounded_back": "rdl.rounding",
        "rushed": "rdl.tempo",
        "head_up": "rdl.neck",
    },
    gauge=Gauge("shin_tilt_deg", "shin", "shin_tilt_warn_deg", "shin_tilt_fault_deg", at="knee"),
    planted_feet=True,
)

#: A stiff-leg deadlift (floor to floor, RDL knees): its hinge gets the RDL rules (COACHING.md §3).
STIFF_LEG = replace(LIFT, id="stiff_leg_deadlift", name="stiff-leg deadlift", planted_feet=False)


#: Why some RDL rules are not judged on a single-leg or B-stance RDL: their bias was measured on two-leg
#: hinges only (the distance rules, and the neck, whose reading grows with the deeper hinge).
SINGLE_LEG_NOT_JUDGED = {
    "rdl.hips_back": "hips back not judged on a single-leg RDL: the hips travel over one standing leg while "
    "the other reaches back, and the two-leg measure has not been validated for it",
    "rdl.bar_drift": "bar path not judged on a single-leg RDL: the weight often hangs from one hand beside "
    "the working leg, and the two-leg measure has not been validated for it",
    HIPS_THROUGH.id: "hips through not judged on a single-leg RDL: the standing leg's hip angle at the top of a "
    "B-stance set both raters saw as clean read 157-160° (the pelvis turns with the rear leg back), and the two-leg "
    "measure has not been validated for it",
    "rdl.neck": "neck not judged on a single-leg RDL: the trunk goes past horizontal and the shoulder landmark "
    "slides further with the hanging arm (a set both raters saw as clean read 43-47° against the two-leg 40°); "
    "its bias at that depth has not been measured",
}

#: A single-leg or B-stance (kickstand) RDL: the knee rules read the working (front, standing) leg
#: (:func:`formcheck.variants.working_leg_only`), the tempo rule is the RDL's, the others say why they are
#: not judged.
SINGLE_LEG = replace(
    LIFT,
    id="single_leg_rdl",
    name="single-leg RDL",
    rules=tuple(
        replace(rule, unvalidated=SINGLE_LEG_NOT_JUDGED[rule.id]) if rule.id in SINGLE_LEG_NOT_JUDGED else rule
        for rule in RULES
    ),
    label_faults={k: v for k, v in LIFT.label_faults.items() if v not in SINGLE_LEG_NOT_JUDGED},
    one_leg=True,
    planted_feet=False,
)


#: Why the bar path is not judged on a single-arm RDL (one dumbbell or kettlebell in one hand).
SINGLE_ARM_BAR = (
    "bar path not judged on a single-arm RDL: it is read on the hand that holds the weight, but a dumbbell hanging "
    "from one hand beside the leg is not a bar across the shins, and the measure has not been validated for it"
)


def single_arm(lift: Lift) -> Lift:
    """``lift`` (an RDL, single-leg RDL or stiff-leg deadlift) done with the weight in one hand: the metrics read
    that hand (:func:`formcheck.variants.loaded_hand_only`) and the bar path says why it is not judged (its bias was
    measured on a bar held in both hands: the variant's reason replaces the rule's own); the other rules do not read
    the hands and stay as they are."""
    rules = tuple(
        replace(rule, unvalidated=SINGLE_ARM_BAR) if rule.id == "rdl.bar_drift" else rule for rule in lift.rules
    )
    name = lift.name if lift.name.startswith("single-arm") else f"single-arm {lift.name}"
    faults = {k: v for k, v in lift.label_faults.items() if v != "rdl.bar_drift"}
    return replace(lift, name=name, rules=rules, label_faults=faults, one_arm=True)
