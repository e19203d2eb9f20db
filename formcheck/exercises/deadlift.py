"""Conventional deadlift: the rules of COACHING.md §3 that the landmarks can see, one function each.

A deadlift rep runs up from the floor: its lift-off is where the final rise starts (``Rep.rise``, after any
set-up crouch or reset at the bar; :attr:`Phase.LIFTOFF` the few frames up to it), the pull is lift-off to
``lockout`` (:attr:`Phase.CONCENTRIC`), the top is ``lockout`` to ``end``. The first rep of a clip that opens crouched over the bar starts at the clip's
first frame (no descent filmed); no rule here needs the descent. Every threshold comes from
:class:`formcheck.config.DeadliftRules`.

Cues (README's rule table):

- Bar over mid-foot: shins to the bar before you pull.
- Push the floor away: chest and hips rise together.
- Drag the bar up your legs.
- Finish: hips through, knees straight.
- Stand tall; squeeze the glutes, don't lean back.
- Eyes on the floor a few metres ahead.
- Set the bar down each rep.

Not shipped, because no measurement here can see the fault (a rule that cannot see its fault must not
print "pass"):

- ``dl.rounding``: as COACHING.md §1 'Back rounding' says, 2D landmarks have no spine points and the
  torso length ratio cannot see rounding; no proxy is validated on truth yet.
- ``dl.hips_low``: the arm's angle from vertical at lift-off (shoulders over the bar) is measurable, but
  the brief's fine (0-12 back) and fault (5 forward) are 5 degrees apart, under 3.3 times the scatter
  of a 2D arm angle (shoulder landmark sliding with the arms, wrist hidden by the plates at the floor):
  COACHING.md §4 says such a rule cannot be judged there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geometry import wrap180
from ..types import Rep, Verdict
from .base import (
    Judgement,
    Lift,
    Phase,
    Rule,
    RuleContext,
    below_hips,
    extreme,
    grade_below,
    graded,
    skip,
    top_cut_off,
    window_median,
)
from .hinge import BLIND_PASS as LOCKOUT_BLIND_PASS
from .hinge import HIPS_THROUGH
from .hinge import OFF_SIDE as LOCKOUT_OFF_SIDE


def liftoff_value(ctx: RuleContext, name: str, rep: Rep) -> float:
    """Value at lift-off: median over the few frames up to the rep's bottom."""
    a, b = Phase.LIFTOFF.window(rep)
    return window_median(ctx, name, a, b)


def _grade(value: float, warn: float, fault: float) -> Verdict:
    """pass under ``warn``, warn from it, fault from ``fault`` (bigger is worse). The rules report ``warn`` as their
    threshold (the report's "limit": where a flag starts, the line a pass claims the reading is short of) and
    ``fault`` as their fault line."""
    if value >= fault:
        return "fault"
    return "warn" if value >= warn else "pass"


def _bar_at_knees(ctx: RuleContext, rep: Rep) -> int | None:
    """First frame of the pull where the bar (wrist) has risen to the knees, or None when never seen there."""
    a, b = Phase.CONCENTRIC.window(rep)
    above = ctx.series["wrist_above_knee_leg"][a:b] >= 0
    hits = np.flatnonzero(above)
    return a + int(hits[0]) if hits.size else None


def off_the_floor(ctx: RuleContext, rep: Rep) -> tuple[int, int] | None:
    """``[a, b)`` of what ``dl.hips_first`` reads: the lift-off to the bar passing the knees (None when the bar was
    never seen there)."""
    knees = _bar_at_knees(ctx, rep)
    return None if knees is None else (Phase.LIFTOFF.window(rep)[0], knees + 1)


def check_bar_over_midfoot(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    value = liftoff_value(ctx, "wrist_ahead_midfoot_foot", rep)
    verdict = _grade(value, cfg.bar_midfoot_warn_foot, cfg.bar_midfoot_fault_foot)
    a, b = Phase.LIFTOFF.window(rep)
    return graded(
        verdict,
        value,
        cfg.bar_midfoot_warn_foot,
        rep.rise,
        f"bar {value:.2f} foot lengths ahead of mid-foot at lift-off (fault {cfg.bar_midfoot_fault_foot:.2f})",
        f"bar {value:+.2f} foot lengths from mid-foot at lift-off",
        (a, b - 1),
        fault_line=cfg.bar_midfoot_fault_foot,
    )


def check_hips_first(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    knees = _bar_at_knees(ctx, rep)
    if knees is None:
        return skip("the bar was not seen reaching the knees in this pull")
    start = liftoff_value(ctx, "torso_incline_deg", rep)
    peak, frame = extreme(ctx, "torso_incline_deg", rep.rise, knees + 1, "max")
    value = peak - start
    if value > cfg.hips_first_max_tip_deg:
        return skip(
            f"the trunk read {value:.0f}° of tipping before the bar reached the knees, more than a body can: "
            "the shoulders or hips were misread"
        )
    bias = cfg.hips_first_bias_deg  # measured on rendered deadlifts (COACHING.md §4: line = size + bias)
    warn, fault, fine = (
        cfg.hips_first_warn_deg + bias,
        cfg.hips_first_fault_deg + bias,
        cfg.hips_first_fine_deg + bias,
    )
    verdict = _grade(value, warn, fault)
    msg = (
        f"trunk tipped {value:.0f}° towards horizontal before the bar reached the knees: hips rose first "
        f"(warn {cfg.hips_first_warn_deg:.0f}, fault {cfg.hips_first_fault_deg:.0f}°)"
        if verdict != "pass"
        else f"back angle held within {max(value, 0):.0f}° until the bar passed the knees"
    )
    return Judgement(verdict, value, warn, frame, msg, (rep.rise, knees), fault, fine_line=fine)


def check_bar_drift(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b = Phase.CONCENTRIC.window(rep)
    off_legs = below_hips(ctx, "bar_to_leg", a, b) - cfg.bar_contact_leg
    ahead = below_hips(ctx, "wrist_ahead_midfoot_foot", a, b)
    if not np.any(np.isfinite(off_legs)):
        return skip("the hands were not seen below the hips in this pull")
    i = int(np.nanargmax(off_legs))
    value = float(off_legs[i])
    legs = _grade(value, cfg.bar_drift_warn_leg, cfg.bar_drift_fault_leg)
    foot: Verdict = "pass"
    j = None
    if np.any(np.isfinite(ahead)):
        j = int(np.nanargmax(ahead))
        foot = _grade(float(ahead[j]), cfg.bar_midfoot_warn_foot, cfg.bar_midfoot_fault_foot)
    order = ("pass", "warn", "fault")
    if j is not None and order.index(foot) > order.index(legs):
        over = float(ahead[j])
        msg = f"bar {over:.2f} foot lengths ahead of mid-foot in the pull (fault {cfg.bar_midfoot_fault_foot:.2f})"
        return Judgement(
            foot,
            over,
            cfg.bar_midfoot_warn_foot,
            a + j,
            msg,
            (a, b - 1),
            cfg.bar_midfoot_fault_foot,
            cfg.bar_over_midfoot_uncertainty_foot,
        )
    msg = (
        f"bar {value:.2f} leg lengths off the legs in the pull (fault {cfg.bar_drift_fault_leg:.2f})"
        if legs != "pass"
        else f"bar within {max(value, 0):.2f} leg lengths of the legs"
    )
    return Judgement(legs, value, cfg.bar_drift_warn_leg, a + i, msg, (a, b - 1), cfg.bar_drift_fault_leg)


def check_lockout(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b = Phase.TOP.window(rep)
    hip, hip_frame = extreme(ctx, "hip_deg", a, b, "max")
    knee, knee_frame = extreme(ctx, "knee_deg", a, b, "max")
    knee = knee + cfg.lockout_knee_bias_deg  # 2D reads a straight knee bent (COACHING.md §1)
    joint, value, frame = ("hip", hip, hip_frame) if not knee < hip else ("knee", knee, knee_frame)
    verdict = grade_below(value, cfg.lockout_warn_deg, cfg.lockout_warn_deg - cfg.lockout_fault_deg)
    if verdict != "pass" and (cut := top_cut_off(ctx, frame, f"{joint}_deg", b)):
        return skip(cut)
    msg = (
        f"{joint} angle {value:.0f}° at the top: not locked out (fault under {cfg.lockout_fault_deg:.0f}°)"
        if verdict != "pass"
        else f"hips {hip:.0f}° and knees {knee:.0f}° at the top"
    )
    return Judgement(verdict, value, cfg.lockout_warn_deg, frame, msg, (a, b - 1), cfg.lockout_fault_deg)


def check_lean_back(ctx: RuleContext, rep: Rep) -> Judgement:
    """Trunk behind vertical at the top (COACHING.md §3). The sizes are true degrees; the reading is compared
    with them plus the bias measured on rendered deadlifts (COACHING.md §4), fine and fault stated so that the
    cut between them decides a flagged rep (docs/ACCURACY.md 'Deadlift rules on rendered truth'). Not judged by
    default (see the rule's ``unvalidated``): on real plated pulls the hip point at lockout is a guess on the plate."""
    cfg = ctx.rules
    a, b = Phase.TOP.window(rep)
    low, frame = extreme(ctx, "torso_incline_deg", a, b, "min")
    value = -low
    bias = cfg.lean_back_bias_deg
    warn, fault, fine = (cfg.lean_back_warn_deg + bias, cfg.lean_back_fault_deg + bias, cfg.lean_back_fine_deg + bias)
    verdict = _grade(value, warn, fault)
    msg = (
        f"trunk {value:.0f}° behind vertical at the top: leaning back (fault {cfg.lean_back_fault_deg:.0f}°)"
        if verdict != "pass"
        else f"trunk {value:+.0f}° from vertical (behind) at the top"
    )
    return Judgement(verdict, value, warn, frame, msg, (a, b - 1), fault, fine_line=fine)


def prepare(ctx: RuleContext) -> None:
    """The lifter's standing head-to-trunk angle: median over every rep's top (their own neutral)."""
    tops = [ctx.series["head_to_trunk_deg"][slice(*Phase.TOP.window(r))] for r in ctx.reps if r.lockout_seen]
    values = np.concatenate(tops) if tops else np.array([])
    if np.any(np.isfinite(values)):
        ctx.extras["dl_head_standing_deg"] = float(np.nanmedian(values))


def check_neck(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    standing = ctx.extras.get("dl_head_standing_deg", float("nan"))
    if not np.isfinite(standing):
        return skip("the head was not seen at any lockout, so its standing angle is unknown")
    value = float(wrap180(np.asarray(standing - liftoff_value(ctx, "head_to_trunk_deg", rep))))
    verdict = _grade(value, cfg.neck_warn_deg, cfg.neck_fault_deg)
    a, b = Phase.LIFTOFF.window(rep)
    return graded(
        verdict,
        value,
        cfg.neck_warn_deg,
        rep.rise,
        f"head {value:.0f}° extended past its standing angle to the trunk at lift-off (fault {cfg.neck_fault_deg:.0f}°)",
        f"head within {max(value, 0):.0f}° of its standing angle to the trunk at lift-off",
        (a, b - 1),
        fault_line=cfg.neck_fault_deg,
    )


#: Why dl.floor needs the plate (docs/ACCURACY.md "Bar not set down: rendered, and not seen"): the hands' height did not
#: see a rendered bar turned 0.1 leg lengths above the floor.
NO_PLATE = (
    "needs the near plate found in the video: the hands' height did not see a rendered bar left 0.1 leg lengths in the "
    "air (docs/ACCURACY.md 'Bar not set down: rendered, and not seen')"
)


@dataclass(frozen=True)
class PlateLow:
    """Where a pull's near plate was lowest in the picture: its centre's height and radius in leg lengths as read
    (:class:`~formcheck.exercises.base.PlateHeights`) and the frame; NaNs and None where it was not found, with why."""

    y_leg: float = float("nan")
    radius_leg: float = float("nan")
    frame: int | None = None
    missing: str = ""


def plate_low(ctx: RuleContext, rep: Rep, radius_leg: float) -> PlateLow:
    """The near plate's lowest point from the pull's start to its lockout, where the bar rests or turns (the plate's
    centre is the bar's), from the looks at the picture that found the circle of the set's radius (``radius_leg``;
    another circle, an arm across the rim or the far plate, is not the plate; between looks the centre is only
    interpolated, or follows the hands, which the plates hide at the floor).

    A low is seen as a rest, looks one after the other that found the plate within ``floor_rest_px`` of the same
    height (read as their median: one look's pixel of noise would otherwise move the set's floor), or as a turn, a
    look outside a rest whose neighbours both found the plate higher. The pull's low is the lowest of them, and it is
    read only when no look found the plate lower still: such a look stands next to one that missed the plate, where
    the bar may have gone lower unseen (real clip_026's first pull: the plate lost behind the arms while the bar
    rested on the floor, first found as it rose; read from there, the pull was 0.39 leg lengths "above the
    floor")."""
    plate, cfg = ctx.plate, ctx.rules
    if plate is None:
        return PlateLow(missing=NO_PLATE)
    a, b = rep.start, rep.lockout + 1
    y, r = plate.y_leg[a:b], plate.radius_leg[a:b]
    placed = np.isfinite(y).astype(np.int8) if plate.placed is None else plate.placed[a:b]
    same = (placed > 0) & np.isfinite(y) & (np.abs(r / radius_leg - 1.0) <= cfg.floor_same_plate_share)
    if not same.any():
        return PlateLow(missing="the near plate was not found in this pull")
    tolerance = cfg.floor_rest_px * plate.pixel_leg
    looks = [int(j) for j in np.flatnonzero(placed != 0)]
    lows: list[tuple[float, int]] = []  # (height, frame) of each rest and turn
    run: list[int] = []  # looks one after the other that found the plate at one height
    resting: set[int] = set()
    for j in [*looks, -1]:  # -1 closes the last run
        if j >= 0 and same[j] and (not run or abs(y[j] - y[run[0]]) <= tolerance):
            run.append(j)
            continue
        if len(run) >= 2:
            lows.append((float(np.median(y[run])), run[int(np.argmax(y[run]))]))
            resting.update(run)
        run = [j] if j >= 0 and same[j] else []
    for at in range(1, len(looks) - 1):
        j, before, after = looks[at], looks[at - 1], looks[at + 1]
        if j in resting or not (same[j] and same[before] and same[after]):
            continue
        if y[before] <= y[j] and y[after] <= y[j]:
            lows.append((float(y[j]), j))
    if not lows:
        return PlateLow(missing="the near plate was not seen where this pull's bar rested or turned")
    low, k = max(lows)
    if float(np.max(y[same])) > low + tolerance:
        return PlateLow(
            missing="the near plate was lost next to this pull's lowest point (the bar may have gone lower)"
        )
    return PlateLow(low, float(r[k]), a + k)


def set_radius(ctx: RuleContext) -> float:
    """The near plate's radius over the shot's pulls (median of the frames where it was found), leg lengths as read."""
    plate = ctx.plate
    if plate is None:
        return float("nan")
    rows = np.concatenate([np.arange(r.start, r.lockout + 1) for r in ctx.reps]) if ctx.reps else np.arange(0)
    r = plate.radius_leg[rows]
    return float(np.nanmedian(r)) if np.isfinite(r).any() else float("nan")


def floor_uncertainty(ctx: RuleContext) -> float:
    """dl.floor's uncertainty in true leg lengths: as measured on the rendered deadlifts, or wider where the plate was
    searched in a coarser picture than theirs (``floor_uncertainty_px`` pixels of it, read through the gain)."""
    cfg = ctx.rules
    px = ctx.plate.pixel_leg if ctx.plate is not None else 0.0
    return max(cfg.floor_uncertainty_leg, cfg.floor_uncertainty_px * px / cfg.floor_plate_gain)


def check_floor(ctx: RuleContext, rep: Rep) -> Judgement:
    """Bar set down each rep (COACHING.md §3): the near plate's lowest point in this pull against the set's lowest, in
    true leg lengths (the plate's own height: its centre is the bar's). The set's lowest pull is its floor (a clip
    opens crouched over the bar on the floor, and a set's bar is on the floor at least once); a pull whose plate turned
    higher than that was not set down."""
    cfg = ctx.rules
    if ctx.plate is None:
        return skip(NO_PLATE)
    radius = set_radius(ctx)
    if not np.isfinite(radius):
        return skip("the near plate was not found in this shot's pulls (" + NO_PLATE.split(": ", 1)[1] + ")")
    if radius < cfg.floor_min_plate_radius_leg:
        return skip(
            f"the plates are too small to read the floor from (radius {radius:.2f} leg lengths, needs "
            f"{cfg.floor_min_plate_radius_leg:.2f}): a small plate's circle did not follow the bar's height on rendered "
            "deadlifts"
        )
    if len(ctx.reps) < 2:
        return skip(
            "one pull in this shot: the floor is the set's lowest pull, so one pull has none to be measured from"
        )
    lows = {r.index: plate_low(ctx, r, radius) for r in ctx.reps}
    seen = [i for i, low in lows.items() if low.frame is not None]
    mine = lows[rep.index]
    if mine.frame is None:
        return skip(mine.missing)
    if len(seen) < 2:
        return skip("no other pull of this shot had its lowest point seen: nothing to measure the floor from")
    floor = max(seen, key=lambda i: lows[i].y_leg)
    if floor == rep.index:
        return skip("this pull's bar went lowest in the set: the floor the other pulls are measured from")
    value = (lows[floor].y_leg - mine.y_leg) / cfg.floor_plate_gain
    a, b = Phase.LIFTOFF.window(rep)
    span = (min(a, mine.frame), max(b - 1, mine.frame))
    fault, warn = cfg.floor_max_above_leg, cfg.floor_warn_above_leg
    sigma = floor_uncertainty(ctx)
    if value >= warn:
        msg = f"pulled from {value:.2f} leg lengths above the set's lowest pull: the bar was not set down"
        verdict: Verdict = "fault" if value >= fault else "warn"
        return Judgement(verdict, value, warn, mine.frame, msg, span, fault, sigma, fine_line=0.0)
    if rep.bottom_pause_s < cfg.touch_and_go_max_pause_s:
        verdict = "fault" if cfg.touch_and_go_is_fault else "pass"
        msg = f"touch-and-go: {rep.bottom_pause_s:.2f} s on the floor"
        return Judgement(verdict, value, warn, mine.frame, msg, span, fault, sigma, fine_line=0.0)
    msg = f"from the floor ({value:+.2f} leg lengths from the set's lowest pull)"
    return Judgement("pass", value, warn, mine.frame, msg, span, fault, sigma, fine_line=0.0)


RULES: tuple[Rule, ...] = (
    Rule(
        "dl.bar_over_midfoot",
        "wrist_ahead_midfoot_foot",
        "foot",
        "Bar over mid-foot: shins to the bar before you pull.",
        "Bar over mid-foot",
        check_bar_over_midfoot,
        needs=("wrist_ahead_midfoot_foot",),
        phase=Phase.LIFTOFF,
        side_view_only=True,
        unvalidated="bar over mid-foot not judged yet: on rendered deadlifts the wrist reads 0.2 foot lengths behind the bar's true place with 0.37 of scatter (2 SD), more than the 0.2 between the fine and fault sizes (COACHING.md §4 needs 3.3 SDs), and 45 cm plates hide the feet at the floor (docs/ACCURACY.md 'Deadlift rules on rendered truth')",
        uncertainty="bar_over_midfoot_uncertainty_foot",
    ),
    Rule(
        "dl.hips_first",
        "trunk_tip_deg",
        "deg",
        "Push the floor away: chest and hips rise together.",
        "Chest and hips rise together",
        check_hips_first,
        needs=("torso_incline_deg", "wrist_above_knee_leg"),
        phase=Phase.CONCENTRIC,
        reads=off_the_floor,
        reads_words="the pull to the knees",
        uncertainty="hips_first_uncertainty_deg",
    ),
    Rule(
        "dl.bar_drift",
        "bar_to_leg",
        "leg",
        "Drag the bar up your legs.",
        "Bar up the legs",
        check_bar_drift,
        needs=("bar_to_leg",),
        phase=Phase.CONCENTRIC,
        side_view_only=True,
        unvalidated="bar distance not judged yet: rendered deadlifts with the bar on the legs read 0.17-0.65 leg lengths off them (the wrist rides ahead of the bar and the shin line), bias +0.49 with 0.48 of scatter (2 SD), far more than the 0.08 between the fine and fault sizes (docs/ACCURACY.md 'Deadlift rules on rendered truth')",
        uncertainty="bar_drift_uncertainty_leg",
    ),
    Rule(
        "dl.lockout",
        "top_joint_deg",
        "deg",
        "Finish: hips through, knees straight.",
        "Full lockout",
        check_lockout,
        needs=("hip_deg", "knee_deg"),
        phase=Phase.TOP,
        side_view_only=True,
        off_side_reason=LOCKOUT_OFF_SIDE,
        blind_pass_reason=LOCKOUT_BLIND_PASS,
        uncertainty="lockout_uncertainty_deg",
        covers=(HIPS_THROUGH,),  # the hips at the top (COACHING.md §3's line), and the knees
    ),
    Rule(
        "dl.lean_back",
        "lean_back_deg",
        "deg",
        "Stand tall; squeeze the glutes, don't lean back.",
        "No leaning back",
        check_lean_back,
        needs=("torso_incline_deg",),
        phase=Phase.TOP,
        unvalidated="lean-back not judged yet: rendered deadlifts read it within 2.9° (2 SD) of the truth, but on clean labelled real deadlifts filmed from the side with 45 cm plates the hip point is guessed on the near plate at lockout, and where the plate search misses that plate the trunk reads 19-26° behind vertical (docs/ACCURACY.md 'A plate lost at the top follows the bar')",
        uncertainty="lean_back_uncertainty_deg",
    ),
    Rule(
        "dl.neck",
        "head_extension_deg",
        "deg",
        "Eyes on the floor a few metres ahead.",
        "Neutral neck",
        check_neck,
        needs=("head_to_trunk_deg",),
        phase=Phase.LIFTOFF,
        unvalidated="neck not judged yet: on rendered deadlifts the head reads 11° more extended at lift-off than it is, with 10.6° of scatter (2 SD): the 15° between the fine and fault sizes is under the 3.3 SDs COACHING.md §4 needs (docs/ACCURACY.md 'Deadlift rules on rendered truth')",
        uncertainty="neck_uncertainty_deg",
    ),
    Rule(
        "dl.floor",
        "liftoff_above_first_leg",
        "leg",
        "Set the bar down each rep.",
        "From the floor each rep",
        check_floor,
        # reads the plate found in the video (RuleContext.plate), no joint: a plate hiding the legs is its evidence
        needs=(),
        phase=Phase.LIFTOFF,
        side_view_only=True,
        uncertainty="floor_uncertainty_leg",
    ),
)

LIFT = Lift(
    id="deadlift",
    family="hinge",
    name="conventional deadlift",
    rules=RULES,
    config_section="deadlift",
    prepare=prepare,
    form_faults={
        "hips_shoot_up": "dl.hips_first",
        "lean_back": "dl.lean_back",
        "partial_lockout": "dl.lockout",
        "bar_drift": "dl.bar_drift",
        "head_up": "dl.neck",
    },
)
