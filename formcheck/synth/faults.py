"""Technique faults as changes to a rep plan, graded by size (COACHING.md "Rules", §1, §2).

Each fault is a pure function from a clean rep plan and a size to a faulty plan. The size is in the
fault's natural unit, the one COACHING.md §1 names for its rule (degrees of shin tilt, leg lengths of
bar distance, seconds of eccentric...); ``default`` is the size injected when none is given
(``--fault knees_bend@2``: the sizes injected before faults were graded, except ``knees_bend``, whose
old form does not exist over the new clean hinge: the fault size, 15), and a size outside ``lo..hi`` is refused. Faults are injected per rep
(1-based indices); several faults may hit the same rep.

:func:`true_sizes` reads every fault kind's quantity off a rep plan, clean or not, in the same unit:
the label file records it per rep, so a clean rep's natural value (e.g. 16 deg of knee flexion at the
start) sits beside an injected one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from .. import geometry as g
from .body import SHIN, THIGH, Dimensions
from .motion import (
    DeadliftRep,
    HipThrustRep,
    RdlRep,
    Rep,
    _hip_angle,
    _hip_line_dev,
    _ht_chain,
    _solve,
    rdl_bottom_neck,
    rdl_lockout_pose,
    rdl_pose,
    rdl_top_hip_flexion,
    solve_deadlift,
    solve_hip_thrust,
)
from .scene import SMALL_PLATE_RADIUS_M

# RDL
#: Extra thigh tilt per degree of shin tilt added in the squat-hinge hybrid: the hips sink as the
#: knees travel forward (knee flexion grows by twice the shin tilt), §2.
KNEE_BEND_THIGH_PER_SHIN = 1.0
#: The torso stays this much more upright per degree of shin tilt added (the knees take over), degrees.
KNEE_BEND_LESS_HINGE_PER_DEG = 0.8
#: Knee flexion added in the descent with locked knees (stiff legs), degrees; shin tilt share at the start.
LOCKED_KNEE_CLOSE_DEG = 2.0
LOCKED_SHIN_SHARE = 0.6
LOCKED_SHIN_BACK_DEG = 6.0
#: Shins at the bottom searched for a hips-stay rep's hip travel, degrees from vertical (+ = knees forward).
HIPS_STAY_SHIN_RANGE_DEG = (-30.0, 40.0)

# Hip thrust
#: Lumbar extension drawn per degree of hip line deviation when arching, degrees.
OVEREXTENSION_LUMBAR_PER_DEG = 1.2


@dataclass(frozen=True)
class Fault:
    name: str
    lift: str
    description: str
    #: The size's unit, as COACHING.md §1 names it.
    unit: str
    default: float
    lo: float
    hi: float
    #: (rep plan, size) -> the faulty plan; takes the lift's own rep type.
    apply: Callable[[Any, float], Rep]

    def check(self, size: float) -> None:
        """Raise ValueError (one line) for a size this fault cannot take."""
        if not (math.isfinite(size) and self.lo <= size <= self.hi):
            raise ValueError(f"fault {self.name!r}: size {size:g} outside {self.lo:g}..{self.hi:g} ({self.unit})")


R = TypeVar("R", RdlRep, HipThrustRep, DeadliftRep)


def _tag(rep: R, name: str, size: float, **changes: Any) -> R:
    return replace(rep, faults=rep.faults + (name,), sizes=rep.sizes + ((name, float(size)),), **changes)


def _knees_bend(rep: RdlRep, size: float) -> RdlRep:
    """Squat-hinge hybrid: the shins tilt ``size`` degrees forward in the descent and the hips sink."""
    return _tag(
        rep,
        "knees_bend",
        size,
        shin_bottom_deg=rep.shin_top_deg + size,
        knee_bottom_deg=rep.knee_bottom_deg
        + (rep.shin_top_deg + size - rep.shin_bottom_deg)
        + KNEE_BEND_THIGH_PER_SHIN * size,
        theta_bottom_deg=rep.theta_bottom_deg - KNEE_BEND_LESS_HINGE_PER_DEG * size,
    )


def hip_travel_per_90(rep: RdlRep, shin_bottom_deg: float) -> float:
    """The hips' travel back from the start to the bottom (leg lengths) per 90 degrees of hip flexion added, for
    ``rep`` with its shins at ``shin_bottom_deg`` at the bottom, on the reference body's proportions (thigh and shin
    from :mod:`formcheck.synth.body`; each lifter's own are within a few percent, and the label records the exact
    value, :func:`rep_quantities`). Sagittal chain of :func:`formcheck.synth.motion.rdl_pose`: knee = ankle +
    shin, hip = knee + thigh at ``shin - knee`` from vertical; hip flexion = trunk incline - thigh incline."""
    leg = SHIN + THIGH

    def hip_x(shin: float, knee: float) -> float:
        return SHIN * math.sin(math.radians(shin)) + THIGH * math.sin(math.radians(shin - knee))

    back = (hip_x(rep.shin_top_deg, rep.knee_top_deg) - hip_x(shin_bottom_deg, rep.knee_bottom_deg)) / leg
    hinge = (rep.theta_bottom_deg - (shin_bottom_deg - rep.knee_bottom_deg)) - (
        rep.theta_top_deg - (rep.shin_top_deg - rep.knee_top_deg)
    )
    return back / (hinge / 90.0) if hinge > 0 else float("nan")


def _hips_stay(rep: RdlRep, size: float) -> RdlRep:
    """The hips stay over the feet: the trunk tips as far as in a clean rep and the knees hold their bend, but the
    shins tilt forward (or do not tilt back) so that the hips travel back only ``size`` leg lengths per 90 degrees
    of hinge (COACHING.md §1 ``rdl.hips_back``: fine >= 0.18, fault <= 0.10; §2: a good hinge pushes the hips
    back over still shins). The shins' angle at the bottom is solved on the reference body's proportions."""
    shin = _solve(lambda s: -hip_travel_per_90(rep, s), -float(size), *HIPS_STAY_SHIN_RANGE_DEG)
    return _tag(rep, "hips_stay", size, shin_bottom_deg=shin)


def _knees_locked(rep: RdlRep, size: float) -> RdlRep:
    """``size`` degrees of knee flexion at the start (<= 0: locked, < 0 hyperextended), legs stiff after."""
    shin = LOCKED_SHIN_SHARE * size
    return _tag(
        rep,
        "knees_locked",
        size,
        knee_top_deg=size,
        knee_bottom_deg=size + LOCKED_KNEE_CLOSE_DEG,
        shin_top_deg=shin,
        shin_bottom_deg=shin - LOCKED_SHIN_BACK_DEG,
    )


def _bar_drift(rep: RdlRep, size: float) -> RdlRep:
    return _tag(rep, "bar_drift", size, bar_gap_leg=size)


def _rushed(rep: RdlRep, size: float) -> RdlRep:
    return _tag(rep, "rushed", size, timing=replace(rep.timing, eccentric_s=size))


def _rounded_back(rep: RdlRep, size: float) -> RdlRep:
    return _tag(rep, "rounded_back", size, spine_bottom_deg=size)


def _floor_touch(rep: RdlRep, size: float) -> RdlRep:
    return _tag(rep, "floor_touch", size, floor_rest_s=size)


def _head_up(rep: RdlRep, size: float) -> RdlRep:
    """Head cranked up at the bottom: the neck extends ``size`` degrees past its angle at the start."""
    return _tag(rep, "head_up", size, neck_bottom_deg=rep.neck_deg - size)


def _partial_lockout(rep: RdlRep, size: float) -> RdlRep:
    """Stops short of standing: ``size`` degrees of hip flexion left at the top (hip angle 180 - size).

    The way up ends with the trunk ``size`` degrees forward of the thigh; the knees, shins and neck are as at
    the start of a clean rep (the knees straighten as usual, the hips do not come through). The rep's own
    descent starts where the previous rep ended: a normal standing start unless that rep stopped short too.
    A lifter who stops short does not stand up afterwards: the rep ends short, holding the short top through
    its top pause, and the next rep descends from there (the hips as short as this rep left them, over the
    next rep's knees); a last rep holds it to the clip's end. So the fault does not persist into the next
    rep's top (clean unless faulty too), but the next rep's start is flexed by this rep's size, and the hip
    travel measured from that start is shorter than the label's ``hip_back_leg`` (read off the rep's own
    standing start).
    """
    return _tag(rep, "partial_lockout", size, top_hip_flexion_deg=float(size))


def _dl_hips_first(rep: DeadliftRep, size: float) -> DeadliftRep:
    """Hips shoot up (§3, Rippetoe's "the hips then rise before the bar moves"): from the end of the dead stop
    the hips rise first, the knees straightening and the trunk tipping ``size`` degrees towards horizontal while
    the bar is still on the floor; the bar then leaves with the back that flat (or as little less as the arms
    need to bring it to the knees: a stiff-legged back pull)."""
    return _tag(rep, "dl_hips_first", size, hips_rise_deg=float(size), tip_deg=float(size))


def _dl_lean_back(rep: DeadliftRep, size: float) -> DeadliftRep:
    """Leans back at the lockout: the trunk ``size`` degrees behind vertical (the hips pushed through)."""
    return _tag(rep, "dl_lean_back", size, theta_top_deg=-float(size), top_hip_flexion_deg=None)


def _dl_head_up(rep: DeadliftRep, size: float) -> DeadliftRep:
    """Head cranked up at lift-off: the neck ``size`` degrees more extended than standing, held until the bar
    passes the knees, back to the standing angle at the lockout."""
    return _tag(rep, "dl_head_up", size, liftoff_neck_extension_deg=float(size))


def _dl_partial_lockout(rep: DeadliftRep, size: float) -> DeadliftRep:
    """Stops short of standing: ``size`` degrees of hip flexion left at the top (hip angle 180 - size), the knees
    as in a clean lockout; the bar goes back down from there."""
    return _tag(rep, "dl_partial_lockout", size, top_hip_flexion_deg=float(size))


def _dl_bar_drift(rep: DeadliftRep, size: float) -> DeadliftRep:
    """The bar swings away from the legs in the pull: ``size`` leg lengths off them (beyond contact) as it
    passes the knees, back on the thighs at the lockout."""
    return _tag(rep, "dl_bar_drift", size, bar_gap_leg=float(size))


#: A bar not set down turns in the air: the pause at the bottom before the pull, seconds (a dead stop's is 0.5-1.5).
HOVER_PAUSE_S = 0.1


def _dl_hover(rep: DeadliftRep, size: float) -> DeadliftRep:
    """The bar not set down (COACHING.md §3, ``dl.floor``): lowered to ``size`` leg lengths above the floor (the
    plates in the air), turned there after a short pause and pulled again; the set-up pose otherwise the same."""
    return _tag(rep, "dl_hover", size, hover_leg=float(size), timing=replace(rep.timing, bottom_s=HOVER_PAUSE_S))


def _dl_bar_ahead(rep: DeadliftRep, size: float) -> DeadliftRep:
    """The bar set down ``size`` foot lengths ahead of mid-foot: the shins stay where a
    clean set-up puts them (a gap to the bar), the arms at the set-up's angle (so the shoulders move with
    the bar); the bar swings back to the legs in the pull."""
    touch = rep.bar_ahead_foot if rep.shin_to_foot is None else rep.shin_to_foot
    return _tag(rep, "dl_bar_ahead", size, bar_ahead_foot=float(size), shin_to_foot=min(touch, float(size)))


def _head_back(rep: HipThrustRep, size: float) -> HipThrustRep:
    return _tag(rep, "head_back", size, neck_top_deg=-size)


def _chin_tuck(rep: HipThrustRep, size: float) -> HipThrustRep:
    return _tag(rep, "chin_tuck", size, neck_top_deg=size)


def _overextension(rep: HipThrustRep, size: float) -> HipThrustRep:
    return _tag(
        rep, "overextension", size, top_line_dev_deg=size, top_lumbar_deg=OVEREXTENSION_LUMBAR_PER_DEG * max(size, 0.0)
    )


def _partial(rep: HipThrustRep, size: float) -> HipThrustRep:
    return _tag(rep, "partial", size, top_line_dev_deg=-size, top_hip_deg=None)


def _shins(rep: HipThrustRep, size: float) -> HipThrustRep:
    return _tag(rep, "shins", size, top_shin_deg=size)


FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        Fault(
            "knees_bend",
            "rdl",
            "squat-hinge hybrid: the shins tilt forward in the descent, the knees bend twice as much, the hips sink",
            "degrees of shin tilt change in the descent",
            15.0,
            0.0,
            30.0,
            _knees_bend,
        ),
        Fault(
            "knees_locked",
            "rdl",
            "knees locked straight at the start (negative: hyperextended), stiff legs after",
            "degrees of knee flexion at the start",
            0.5,
            -10.0,
            20.0,
            _knees_locked,
        ),
        Fault(
            "bar_drift",
            "rdl",
            "bar drifts forward, away from the legs, on the way down",
            "leg lengths of bar distance beyond contact at the bottom",
            0.17,
            0.0,
            0.4,
            _bar_drift,
        ),
        Fault("rushed", "rdl", "eccentric rushed", "seconds of eccentric", 0.45, 0.15, 5.0, _rushed),
        Fault(
            "rounded_back",
            "rdl",
            "back rounds in the descent: an even bend from the pelvis to the shoulders",
            "degrees of trunk flexion added in the descent",
            25.0,
            0.0,
            60.0,
            _rounded_back,
        ),
        Fault(
            "floor_touch",
            "rdl",
            "the plates are set down on the floor at the bottom (0 = touch and go)",
            "seconds resting on the floor",
            0.4,
            0.0,
            3.0,
            _floor_touch,
        ),
        Fault(
            "head_up",
            "rdl",
            "head cranked up at the bottom (eyes on a mirror in front): the neck extends in the descent",
            "degrees of neck extension at the bottom past the start's neck angle",
            30.0,
            0.0,
            60.0,
            _head_up,
        ),
        Fault(
            "partial_lockout",
            "rdl",
            "stops short of standing at the top: the hips stay flexed, the trunk forward; the next rep starts there",
            "degrees of hip flexion left at the top (hip angle 180 - size)",
            15.0,
            0.0,
            60.0,
            _partial_lockout,
        ),
        Fault(
            "hips_stay",
            "rdl",
            "hips stay over the feet: the trunk tips forward, the knees keep their bend, the shins tilt forward",
            "leg lengths of hip travel back per 90 degrees of hinge",
            0.10,
            0.0,
            0.3,
            _hips_stay,
        ),
        Fault(
            "dl_hips_first",
            "deadlift",
            "hips shoot up first: the trunk tips towards horizontal before the bar passes the knees",
            "degrees the trunk tips towards horizontal from lift-off to the bar at the knees",
            15.0,
            0.0,
            20.0,
            _dl_hips_first,
        ),
        Fault(
            "dl_lean_back",
            "deadlift",
            "leans back at the lockout",
            "degrees of trunk behind vertical at the top",
            15.0,
            0.0,
            30.0,
            _dl_lean_back,
        ),
        Fault(
            "dl_head_up",
            "deadlift",
            "head cranked up at lift-off (eyes on a mirror in front)",
            "degrees of neck extension at lift-off past the standing neck angle",
            30.0,
            0.0,
            60.0,
            _dl_head_up,
        ),
        Fault(
            "dl_partial_lockout",
            "deadlift",
            "stops short of standing at the top: the hips stay flexed",
            "degrees of hip flexion left at the top (hip angle 180 - size)",
            15.0,
            0.0,
            45.0,
            _dl_partial_lockout,
        ),
        Fault(
            "dl_bar_drift",
            "deadlift",
            "the bar swings away from the legs in the pull",
            "leg lengths of bar distance beyond contact as the bar passes the knees",
            0.12,
            0.0,
            0.3,
            _dl_bar_drift,
        ),
        Fault(
            "dl_bar_ahead",
            "deadlift",
            "bar set down ahead of mid-foot, the shins off it",
            "foot lengths of bar (its centre) ahead of mid-foot at lift-off",
            0.5,
            0.0,
            1.0,
            _dl_bar_ahead,
        ),
        Fault(
            "dl_hover",
            "deadlift",
            "the bar not set down between reps: turned in the air above the floor",
            "leg lengths of bar above the floor at lift-off",
            0.05,
            0.0,
            0.3,
            _dl_hover,
        ),
        Fault(
            "head_back",
            "hip_thrust",
            "head cranked back at the top",
            "degrees of neck extension past neutral (head in line with the trunk)",
            30.0,
            0.0,
            60.0,
            _head_back,
        ),
        Fault(
            "chin_tuck",
            "hip_thrust",
            "chin jammed into the chest at the top",
            "degrees of neck flexion past neutral (head in line with the trunk)",
            60.0,
            0.0,
            75.0,
            _chin_tuck,
        ),
        Fault(
            "overextension",
            "hip_thrust",
            "lumbar arch: the hips pass the shoulder-knee line at the top",
            "degrees of hip above the shoulder-knee line at the top",
            15.0,
            0.0,
            35.0,
            _overextension,
        ),
        Fault(
            "partial",
            "hip_thrust",
            "stops short of lockout",
            "degrees of hip below the shoulder-knee line at the top",
            35.0,
            0.0,
            60.0,
            _partial,
        ),
        Fault(
            "shins",
            "hip_thrust",
            "feet too far out (negative: too close)",
            "degrees of shin tilt from vertical at the top",
            30.0,
            -30.0,
            45.0,
            _shins,
        ),
    )
}

#: A fault plan: fault name -> {1-based rep index: size}.
FaultPlan = dict[str, dict[int, float]]
#: What a ClipSpec accepts: rep indices (default size) or {rep: size} per fault.
FaultSpec = Mapping[str, "tuple[int, ...] | Mapping[int, float]"]


def faults_for(lift: str) -> list[str]:
    """Names of the faults a lift can show."""
    return [name for name, f in FAULTS.items() if f.lift == lift]


def normalise(fault_reps: FaultSpec) -> FaultPlan:
    """``{name: (2, 3)}`` or ``{name: {2: size}}`` -> ``{name: {rep: size}}`` (default sizes filled in)."""
    out: FaultPlan = {}
    for name, reps in fault_reps.items():
        default = FAULTS[name].default if name in FAULTS else float("nan")
        if isinstance(reps, Mapping):
            out[name] = {int(r): float(s) for r, s in reps.items()}
        else:
            out[name] = {int(r): default for r in reps}
    return out


def validate(lift: str, fault_reps: FaultSpec, n_reps: int) -> None:
    """Raise ValueError for an unknown fault, a fault of the other lift, a rep out of range or a bad size."""
    for name in fault_reps:
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; {lift} faults: {', '.join(faults_for(lift))}")
        if FAULTS[name].lift != lift:
            raise ValueError(f"fault {name!r} belongs to {FAULTS[name].lift}, not {lift}")
    for name, sizes in normalise(fault_reps).items():
        bad = [r for r in sizes if not 1 <= r <= n_reps]
        if bad:
            raise ValueError(f"fault {name!r}: rep(s) {bad} outside 1..{n_reps}")
        for size in sizes.values():
            FAULTS[name].check(size)


def apply_faults(reps: list[Rep], fault_reps: FaultSpec) -> list[Rep]:
    """Rep plans with the faults injected (see :func:`normalise` for ``fault_reps``)."""
    out = list(reps)
    for name, sizes in sorted(normalise(fault_reps).items()):
        for index in sorted(sizes):
            out[index - 1] = FAULTS[name].apply(out[index - 1], sizes[index])
    return out


def parse_fault(text: str, n_reps: int) -> tuple[str, float | None, tuple[int, ...]]:
    """``"knees_bend=10@2,3"`` -> ("knees_bend", 10.0, (2, 3)); no ``=SIZE``: size None (the default);
    no ``@``: every rep. The size is checked against the fault's range here (one-line ValueError)."""
    head, _, reps_text = text.partition("@")
    name, eq, size_text = head.partition("=")
    name = name.strip()
    size: float | None = None
    if eq:
        try:
            size = float(size_text)
        except ValueError:
            raise ValueError(f"bad fault {text!r}: size {size_text.strip()!r} is not a number") from None
        if name in FAULTS:
            FAULTS[name].check(size)
    if not reps_text:
        return name, size, tuple(range(1, n_reps + 1))
    try:
        return name, size, tuple(int(r) for r in reps_text.split(",") if r.strip())
    except ValueError:
        raise ValueError(f"bad fault {text!r}: expected NAME[=SIZE] or NAME[=SIZE]@REP[,REP...]") from None


def merge_requests(requests: list[tuple[str, float | None, tuple[int, ...]]]) -> FaultPlan:
    """Parsed ``--fault`` options -> a fault plan; a later option wins for the same fault and rep."""
    out: FaultPlan = {}
    for name, size, reps in requests:
        value = FAULTS[name].default if size is None and name in FAULTS else size
        for r in reps:
            out.setdefault(name, {})[r] = float("nan") if value is None else float(value)
    return out


# ---------------------------------------------------------------- truth per rep

#: Fault name -> (truth quantity, sign): the fault's size read off any rep plan is sign * quantity.
TRUTH_OF = {
    "knees_bend": ("shin_tilt_change_deg", 1.0),
    "knees_locked": ("start_knee_flexion_deg", 1.0),
    "bar_drift": ("bar_gap_leg", 1.0),
    "rushed": ("eccentric_s", 1.0),
    "rounded_back": ("spine_flexion_deg", 1.0),
    "floor_touch": ("floor_rest_s", 1.0),
    "head_up": ("bottom_neck_extension_deg", 1.0),
    "partial_lockout": ("top_hip_flexion_deg", 1.0),
    "hips_stay": ("hip_back_per_90_leg", 1.0),
    "head_back": ("top_neck_flexion_deg", -1.0),
    "chin_tuck": ("top_neck_flexion_deg", 1.0),
    "overextension": ("top_line_dev_deg", 1.0),
    "partial": ("top_line_dev_deg", -1.0),
    "shins": ("top_shin_deg", 1.0),
    "dl_hips_first": ("trunk_tip_deg", 1.0),
    "dl_lean_back": ("lean_back_deg", 1.0),
    "dl_head_up": ("liftoff_neck_extension_deg", 1.0),
    "dl_partial_lockout": ("top_hip_flexion_deg", 1.0),
    "dl_bar_drift": ("bar_gap_knees_leg", 1.0),
    "dl_bar_ahead": ("bar_ahead_midfoot_foot", 1.0),
    "dl_hover": ("liftoff_above_floor_leg", 1.0),
}


def deadlift_quantities(rep: DeadliftRep, dims: Dimensions, plate_radius_m: float) -> dict[str, float | None]:
    """The sagittal truth of one deadlift rep plan: what each ``dl`` rule reads, in its unit (COACHING.md §3).

    Lift-off (the set-up, the bar on the floor): knee flexion, shin tilt, trunk incline, the arm's angle from
    vertical (- = shoulders ahead of the bar), the bar's centre ahead of mid-foot (foot lengths) and its gap to
    the shins beyond contact (leg lengths), its height above the floor (leg lengths: 0, set down each rep);
    the neck's extension past its standing angle. The pull: the trunk's tip towards horizontal from lift-off
    (the end of the dead stop: the hips may rise before the bar leaves the floor) to the bar at the knees (the
    most it gets, never under 0: the rule reads the peak), the bar's gap off the legs there. The lockout: the shoulder-hip-knee and hip-knee-ankle angles, the hip flexion left (signed),
    the trunk behind vertical."""
    poses = solve_deadlift(rep, dims, plate_radius_m)
    floor, knees, top = poses["floor"], poses["knees"], poses["top"]
    p0 = rdl_pose({k: np.array([v]) for k, v in floor.items()}, dims)
    pt = rdl_pose({k: np.array([v]) for k, v in top.items()}, dims)
    foot = dims.toe_front + dims.heel_back
    mid = 0.5 * (dims.toe_front - dims.heel_back)
    arm = p0["grip"][0] - p0["shoulder"][0]
    return {
        "liftoff_knee_flexion_deg": floor["knee"],
        "liftoff_shin_deg": floor["shin"],
        "liftoff_trunk_incline_deg": floor["theta"],
        "liftoff_arm_deg": float(np.degrees(np.arctan2(arm[0], -arm[1]))),
        "bar_ahead_midfoot_foot": float((p0["bar"][0, 0] - mid) / foot),
        "floor_gap_leg": float(floor["gap"]),
        "liftoff_above_floor_leg": float((p0["bar"][0, 1] - plate_radius_m) / dims.leg),
        "liftoff_neck_extension_deg": rep.liftoff_neck_extension_deg,
        "neck_flexion_deg": rep.neck_deg,
        "trunk_tip_deg": max(knees["theta"], poses.get("hips_up", floor)["theta"], floor["theta"]) - floor["theta"],
        "knee_pass_knee_flexion_deg": knees["knee"],
        "knee_pass_trunk_incline_deg": knees["theta"],
        "bar_gap_knees_leg": rep.bar_gap_leg,
        "top_hip_deg": float(g.interior_angle(pt["shoulder"], pt["hip"], pt["knee"])[0]),
        "top_knee_deg": float(g.interior_angle(pt["hip"], pt["knee"], pt["ankle"])[0]),
        "top_hip_flexion_deg": top["theta"] - (top["shin"] - top["knee"]),
        "lean_back_deg": -top["theta"],
        "concentric_s": rep.timing.concentric_s,
        "lowering_s": rep.timing.eccentric_s,
    }


def rep_quantities(rep: Rep, dims: Dimensions, plate_radius_m: float = SMALL_PLATE_RADIUS_M) -> dict[str, float | None]:
    """The sagittal truth of one rep plan (camera-free, exact): the quantities of :data:`TRUTH_OF` and a few more
    (a deadlift's set-up depends on the plates' radius: the bar rests on the floor)."""
    if isinstance(rep, DeadliftRep):
        return deadlift_quantities(rep, dims, plate_radius_m)
    if isinstance(rep, RdlRep):
        keys = ("theta", "knee", "shin", "gap", "neck", "spine")
        top = dict(zip(keys, (rep.theta_top_deg, rep.knee_top_deg, rep.shin_top_deg, 0.0, rep.neck_deg, 0.0)))
        bottom = dict(
            zip(
                keys,
                (
                    rep.theta_bottom_deg,
                    rep.knee_bottom_deg,
                    rep.shin_bottom_deg,
                    rep.bar_gap_leg,
                    rdl_bottom_neck(rep),
                    rep.spine_bottom_deg,
                ),
            )
        )
        both = {k: np.array([top[k], bottom[k]]) for k in keys}
        pose = rdl_pose(both, dims)
        hip_angle = g.interior_angle(pose["shoulder"], pose["hip"], pose["knee"])
        hinge = float(hip_angle[0] - hip_angle[1])
        back = float((pose["hip"][0, 0] - pose["hip"][1, 0]) / dims.leg)
        # the lockout's shoulder-hip-knee angle (180 - |hip flexion|: the back is flat at the top)
        locked = rdl_pose({k: np.array([v]) for k, v in rdl_lockout_pose(rep).items()}, dims)
        top_hip = float(g.interior_angle(locked["shoulder"], locked["hip"], locked["knee"])[0])
        return {
            "start_knee_flexion_deg": rep.knee_top_deg,
            "knee_flexion_change_deg": rep.knee_bottom_deg - rep.knee_top_deg,
            "shin_tilt_change_deg": rep.shin_bottom_deg - rep.shin_top_deg,
            "hip_drop_leg": float((pose["hip"][0, 1] - pose["hip"][1, 1]) / dims.leg),
            "hip_back_leg": back,
            "hip_back_per_90_leg": back / (hinge / 90.0) if hinge > 0 else None,
            "bar_gap_leg": rep.bar_gap_leg,
            "bar_height_bottom_m": float(pose["bar"][1, 1]),
            "eccentric_s": rep.timing.eccentric_s,
            "spine_flexion_deg": rep.spine_bottom_deg,
            "floor_rest_s": rep.floor_rest_s,
            "neck_flexion_deg": rep.neck_deg,
            "bottom_neck_extension_deg": rep.neck_deg - rdl_bottom_neck(rep),
            "top_hip_deg": top_hip,
            "top_hip_flexion_deg": rdl_top_hip_flexion(rep),
        }
    poses = solve_hip_thrust(rep, dims)
    top = poses["top"]
    chain = _ht_chain(np.array([top["phi"]]), np.array([top["ankle_x"]]), dims)
    shin = chain["ankle"][0] - chain["knee"][0]
    return {
        "top_line_dev_deg": float(_hip_line_dev(chain)[0]),
        "top_hip_deg": float(_hip_angle(chain)[0]),
        "top_shin_deg": float(np.degrees(np.arctan2(shin[0], -shin[1]))),
        "top_neck_flexion_deg": rep.neck_top_deg,
        "bottom_neck_flexion_deg": rep.neck_bottom_deg,
        "eccentric_s": rep.timing.eccentric_s,
    }


def true_sizes(
    rep: Rep, lift: str, dims: Dimensions, plate_radius_m: float = SMALL_PLATE_RADIUS_M
) -> dict[str, float | None]:
    """Every fault kind of ``lift`` measured on ``rep`` in the fault's unit (None: not present, e.g. no floor touch)."""
    q = rep_quantities(rep, dims, plate_radius_m)
    out: dict[str, float | None] = {}
    for name in faults_for(lift):
        key, sign = TRUTH_OF[name]
        value = q[key]
        out[name] = None if value is None else round(sign * float(value), 4)
    return out
