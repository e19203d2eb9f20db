"""Kinematics of the lifts: rep plans, timing curves and forward kinematics.

A lift is a list of rep plans (:class:`RdlRep`, :class:`DeadliftRep` or :class:`HipThrustRep`).
:func:`build_motion` turns them into keyframes of a few driver parameters
(joint angles in degrees) joined by minimum-jerk curves, and
:func:`skeleton` evaluates those at the frame times and runs forward
kinematics in the sagittal plane (x forward, y up, metres; the lifter faces
+x). Both legs and both arms move together, so the 3D joints are the sagittal
points pushed sideways by half the hip, shoulder or grip width
(:func:`landmarks_3d`; the lifter's right is +z).

RDL drivers: ``theta`` pelvis (lower trunk) incline from vertical, ``knee``
knee flexion, ``shin`` shin incline (knee forward of the ankle), ``gap`` extra
bar distance from the legs (fraction of leg length), ``neck`` neck flexion,
``spine`` spinal flexion (an even bend of the trunk from the pelvis to the
shoulders: the shoulders drop and the chest tilts forward by that much more
than the pelvis; 0 = flat back).

A clean RDL hinges over near-vertical shins (COACHING.md §2): the knee
closes by :data:`RDL_KNEE_CLOSE_DEG` through the thigh tilting back while the
shin tilt changes by :data:`RDL_SHIN_CHANGE_DEG` at most a few degrees.
A conventional deadlift (COACHING.md §3) is drawn with the RDL's drivers and body: each rep is pulled
from the floor (:func:`solve_deadlift`: a set-up crouched over the bar, the pose where the bar passes the
knees, the lockout), lowered and set down; the pull and the lowering glide through the knee pose without
stopping (:func:`interpolate` with ``glide``).
Hip thrust drivers: ``phi`` torso elevation (shoulders above hips) while the
upper back pivots on the bench edge, ``lumbar`` lumbar extension (drawn only),
``neck`` neck flexion, ``ankle_x`` where the feet stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from .. import geometry as g
from .body import EAR, EYE, MOUTH_CORNER, NOSE_TIP, SHIN_RADII, THIGH_RADII, Dimensions, head_frame

LIFTS = ("rdl", "hip_thrust", "deadlift")


# ---------------------------------------------------------------- rep plans


@dataclass(frozen=True)
class Timing:
    """Phase durations of one rep, seconds."""

    eccentric_s: float
    bottom_s: float
    concentric_s: float
    top_s: float


@dataclass(frozen=True)
class RdlRep:
    """One Romanian deadlift: top and bottom values of the drivers."""

    timing: Timing
    theta_top_deg: float = -2.0
    theta_bottom_deg: float = 78.0
    knee_top_deg: float = 16.0
    knee_bottom_deg: float = 16.0
    shin_top_deg: float = 7.0
    shin_bottom_deg: float = -3.0
    bar_gap_leg: float = 0.0
    neck_deg: float = 4.0
    #: Neck flexion at the bottom (None: ``neck_deg``, the neck held as at the start); below ``neck_deg``
    #: the head is cranked up at the bottom (COACHING.md 'Neutral neck'), degrees.
    neck_bottom_deg: float | None = None
    #: Spinal flexion added at the bottom (rounded back), degrees.
    spine_bottom_deg: float = 0.0
    #: The plates rest on the floor this long at the bottom (None: the bar turns in the air), seconds.
    floor_rest_s: float | None = None
    #: Hip flexion left at the lockout, degrees (None: the rep comes back up to its standing start): the lifter
    #: stops short, the trunk that far forward of the thigh, the knees as at the start (:func:`rdl_lockout_pose`).
    top_hip_flexion_deg: float | None = None
    faults: tuple[str, ...] = ()
    #: Injected fault name -> its size in the fault's unit (formcheck.synth.faults).
    sizes: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class HipThrustRep:
    """One hip thrust: bottom torso elevation and the targets met at the top.

    The top is where the hip line deviation equals ``top_line_dev_deg`` or,
    when ``top_hip_deg`` is set, where the hip angle equals it. The feet stand
    where a straight-line top would give a knee angle of ``top_knee_deg``.
    """

    timing: Timing
    bottom_phi_deg: float = 46.0
    top_line_dev_deg: float = 0.0
    top_hip_deg: float | None = None
    top_knee_deg: float = 90.0
    #: When set, the feet stand where a straight-line top has this shin tilt from vertical instead
    #: (+ = ankles ahead of the knees, feet too far out), degrees.
    top_shin_deg: float | None = None
    top_lumbar_deg: float = 0.0
    neck_bottom_deg: float = 30.0
    neck_top_deg: float = 25.0
    faults: tuple[str, ...] = ()
    #: Injected fault name -> its size in the fault's unit (formcheck.synth.faults).
    sizes: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class DeadliftRep:
    """One conventional deadlift from the floor (COACHING.md §3), by what a coach sees.

    ``timing``: ``concentric_s`` the pull from lift-off to lockout, ``top_s`` the pause standing,
    ``eccentric_s`` the lowering after it (the bar set down), ``bottom_s`` the dead stop on the floor before
    this rep's pull (the first rep: the set-up after the clip's lead-in). The set-up, the knee pose and the
    lockout are solved from these values by :func:`solve_deadlift`.
    """

    timing: Timing
    #: Set-up: the bar's centre this many foot lengths ahead of mid-foot (the midpoint of heel and toe).
    bar_ahead_foot: float = 0.0
    #: Set-up: where the shins are brought to the bar, foot lengths ahead of mid-foot (the bar's clean place;
    #: a bar further ahead than this leaves a gap to the shins). None: ``bar_ahead_foot``.
    shin_to_foot: float | None = None
    #: Set-up: arm angle from vertical, degrees (- = the bar behind the shoulders: shoulders ahead of the bar).
    arm_deg: float = -7.0
    #: Lift-off: the bar's height above the floor, leg lengths (0: set down on the floor; more: the bar turned in
    #: the air, not set down between reps: COACHING.md §3 ``dl.floor``).
    hover_leg: float = 0.0
    #: Trunk incline change from lift-off to the bar at the knees, degrees (+ = towards horizontal: hips first);
    #: a lifter whose bar cannot reach the knees that inclined comes up as little as needed to reach them.
    tip_deg: float = 1.0
    #: Trunk incline change while the bar is still on the floor at the start of the pull, degrees (+ = the hips
    #: rise first, the trunk tipping towards horizontal, the knees straightening; 0: the bar leaves at once).
    hips_rise_deg: float = 0.0
    #: Shin tilt from vertical when the bar passes the knees, degrees.
    knee_pass_shin_deg: float = 3.0
    #: Bar distance off the legs beyond contact when it passes the knees, leg lengths (bar drift).
    bar_gap_leg: float = 0.0
    #: Lockout: trunk incline from vertical (negative: behind vertical), knee flexion, degrees.
    theta_top_deg: float = -1.0
    knee_top_deg: float = 4.0
    #: Hip flexion left at the lockout, degrees (None: the trunk stands at ``theta_top_deg``).
    top_hip_flexion_deg: float | None = None
    #: Neck flexion standing, and its extension past that at lift-off (+ = head up), degrees.
    neck_deg: float = 4.0
    liftoff_neck_extension_deg: float = 5.0
    faults: tuple[str, ...] = ()
    #: Injected fault name -> its size in the fault's unit (formcheck.synth.faults).
    sizes: tuple[tuple[str, float], ...] = ()


Rep = RdlRep | HipThrustRep | DeadliftRep

# Natural timing, seconds (mean) and relative spread between reps.
RDL_TIMING = Timing(eccentric_s=2.0, bottom_s=0.25, concentric_s=1.3, top_s=0.8)
HT_TIMING = Timing(eccentric_s=1.2, bottom_s=0.35, concentric_s=0.9, top_s=0.6)
TIMING_SPREAD = 0.08
#: Still time before the first rep and after the last, seconds.
LEAD_IN_S = 0.7
LEAD_OUT_S = 0.6
#: Time the feet take to slide to a new stance between hip thrust reps.
FOOT_SLIDE_S = 0.5
#: Share of the standing knee flexion taken by the shin leaning forward (the rest tilts the thigh back).
SOFT_KNEE_SHIN_SHARE = 0.6
#: Shortest phase, seconds.
MIN_PHASE_S = 0.08


def _timing(mean: Timing, z: np.ndarray) -> Timing:
    values = [
        max(MIN_PHASE_S, m * (1.0 + TIMING_SPREAD * zi))
        for m, zi in zip((mean.eccentric_s, mean.bottom_s, mean.concentric_s, mean.top_s), z)
    ]
    return Timing(*values)


@dataclass(frozen=True)
class Spread:
    """A value drawn as mean + sd * z, clipped to [lo, hi]."""

    mean: float
    sd: float
    lo: float = -np.inf
    hi: float = np.inf

    def draw(self, z: float) -> float:
        return float(np.clip(self.mean + self.sd * z, self.lo, self.hi))


# Clean technique and its natural variation. "clip" values are drawn once per
# clip (the lifter's habits), "rep" values once per rep.
RDL_SOFT_KNEE_DEG = Spread(16.0, 2.0, 12.0, 20.0)  # clip
RDL_NECK_DEG = Spread(4.0, 2.0, 0.0, 8.0)  # clip
RDL_BOTTOM_THETA_DEG = Spread(77.0, 2.0, 72.0, 82.0)  # clip: hinge depth (bar to the upper shin)
RDL_BOTTOM_THETA_REP_SD = 1.5  # rep
#: Knee flexion added in a clean descent: the thigh tilts back over the shins (§2: 15-30), degrees.
RDL_KNEE_CLOSE_DEG = Spread(24.0, 3.0, 18.0, 30.0)  # clip
#: Shin tilt change in a clean descent (§2: -5 to +5; the shins come back a little), degrees.
RDL_SHIN_CHANGE_DEG = Spread(-2.0, 1.5, -5.0, 1.0)  # clip
# Conventional deadlift (COACHING.md §3).
DL_TIMING = Timing(eccentric_s=1.4, bottom_s=0.7, concentric_s=1.5, top_s=0.6)
#: Set-up arm angle, degrees (Rippetoe: arms 5-10 back from vertical, the shoulders just ahead of the bar).
DL_ARM_DEG = Spread(-7.0, 1.5, -10.0, -4.0)  # clip
#: Bar placement at the set-up, foot lengths ahead of mid-foot (the bar over mid-foot, within a few cm).
DL_BAR_MIDFOOT_FOOT = Spread(0.0, 0.04, -0.08, 0.08)  # rep
#: Trunk incline change from lift-off to the bar at the knees (the back angle held: §3 fine <= 5), degrees.
DL_TIP_DEG = Spread(1.0, 1.5, -2.0, 4.0)  # rep
#: Shin tilt as the bar passes the knees (the knees moved back out of its way), degrees.
DL_KNEE_PASS_SHIN_DEG = Spread(3.0, 1.5, 0.0, 6.0)  # clip
#: Lockout: trunk incline (vertical, not leaning back: §3 fine <= 5) and knee flexion (straight), degrees.
DL_TOP_THETA_DEG = Spread(-1.0, 1.0, -3.0, 1.0)  # rep
DL_TOP_KNEE_DEG = Spread(4.0, 1.0, 2.0, 6.0)  # clip
#: Neck extension at lift-off past the standing angle: neutral neck, the eyes (not the head) on the floor a
#: few metres ahead (§3), degrees.
DL_LIFTOFF_NECK_EXT_DEG = Spread(5.0, 3.0, 0.0, 12.0)  # clip
HT_NECK_BOTTOM_DEG = Spread(30.0, 3.0, 22.0, 38.0)  # clip: eyes on the wall in front
HT_NECK_TOP_DEG = Spread(24.0, 3.0, 16.0, 32.0)  # clip: chin slightly tucked
HT_BOTTOM_PHI_DEG = Spread(46.0, 1.5, 42.0, 50.0)  # rep
HT_TOP_LINE_DEV_DEG = Spread(0.0, 0.8, -2.0, 2.0)  # rep: straight shoulder-hip-knee line


def clean_reps(lift: str, n_reps: int, rng: np.random.Generator) -> list[Rep]:
    """Fault-free rep plans with small seeded variation of depth, posture and timing.

    The same number of random draws is taken per rep whatever the faults, so
    adding a fault to one rep never changes the others.
    """
    if lift not in LIFTS:
        raise ValueError(f"unknown lift {lift!r}; use one of {', '.join(LIFTS)}")
    if lift == "deadlift":
        return list(_clean_deadlifts(n_reps, rng))
    clip = rng.standard_normal(3)
    hinge = rng.standard_normal(2) if lift == "rdl" else None  # hip thrust draws unchanged
    reps: list[Rep] = []
    for _ in range(n_reps):
        z = rng.standard_normal(6)
        if lift == "rdl":
            assert hinge is not None
            knee = RDL_SOFT_KNEE_DEG.draw(clip[0])
            shin = SOFT_KNEE_SHIN_SHARE * knee
            reps.append(
                RdlRep(
                    timing=_timing(RDL_TIMING, z[:4]),
                    theta_bottom_deg=RDL_BOTTOM_THETA_DEG.draw(clip[1]) + RDL_BOTTOM_THETA_REP_SD * z[4],
                    knee_top_deg=knee,
                    knee_bottom_deg=knee + RDL_KNEE_CLOSE_DEG.draw(hinge[0]),
                    shin_top_deg=shin,
                    shin_bottom_deg=shin + RDL_SHIN_CHANGE_DEG.draw(hinge[1]),
                    neck_deg=RDL_NECK_DEG.draw(clip[2]),
                )
            )
        else:
            reps.append(
                HipThrustRep(
                    timing=_timing(HT_TIMING, z[:4]),
                    bottom_phi_deg=HT_BOTTOM_PHI_DEG.draw(z[4]),
                    top_line_dev_deg=HT_TOP_LINE_DEV_DEG.draw(z[5]),
                    neck_bottom_deg=HT_NECK_BOTTOM_DEG.draw(clip[0]),
                    neck_top_deg=HT_NECK_TOP_DEG.draw(clip[1]),
                )
            )
    return reps


def _clean_deadlifts(n_reps: int, rng: np.random.Generator) -> list[DeadliftRep]:
    clip = rng.standard_normal(4)
    reps = []
    for _ in range(n_reps):
        z = rng.standard_normal(7)
        bar = DL_BAR_MIDFOOT_FOOT.draw(z[4])
        reps.append(
            DeadliftRep(
                timing=_timing(DL_TIMING, z[:4]),
                bar_ahead_foot=bar,
                shin_to_foot=bar,
                arm_deg=DL_ARM_DEG.draw(clip[0]),
                tip_deg=DL_TIP_DEG.draw(z[5]),
                knee_pass_shin_deg=DL_KNEE_PASS_SHIN_DEG.draw(clip[1]),
                theta_top_deg=DL_TOP_THETA_DEG.draw(z[6]),
                knee_top_deg=DL_TOP_KNEE_DEG.draw(clip[2]),
                neck_deg=RDL_NECK_DEG.draw(clip[3]),
                liftoff_neck_extension_deg=DL_LIFTOFF_NECK_EXT_DEG.draw(clip[3]),
            )
        )
    return reps


# ---------------------------------------------------------------- keyframes


@dataclass(frozen=True)
class RepEvents:
    """When one rep happens, seconds. ``end_s`` None means the clip's end."""

    index: int
    start_s: float
    bottom_s: float
    lockout_s: float
    end_s: float | None
    timing: Timing
    faults: tuple[str, ...]
    sizes: tuple[tuple[str, float], ...] = ()
    #: Deadlift: the end of the dead stop, where the pull starts, and where the bar passes the knees, seconds.
    liftoff_s: float | None = None
    knees_s: float | None = None


@dataclass
class Motion:
    """Keyframes of the drivers and the rep timeline."""

    lift: str
    key_t: np.ndarray
    keys: dict[str, np.ndarray]
    events: list[RepEvents]
    duration_s: float
    reps: list[Rep] = field(default_factory=list)
    #: Per keyframe: True where the motion glides through it without stopping (see :func:`interpolate`).
    glide: np.ndarray | None = None


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk progress 0..1 for normalised time 0..1 (smooth start and stop)."""
    tau = np.clip(tau, 0.0, 1.0)
    return tau**3 * (10.0 - 15.0 * tau + 6.0 * tau * tau)


def interpolate(key_t: np.ndarray, key_v: np.ndarray, t: np.ndarray, glide: np.ndarray | None = None) -> np.ndarray:
    """Values at ``t`` of a parameter moving between keyframes along minimum-jerk curves.

    Keyframes flagged in ``glide`` are passed through without stopping: the stretch between the two
    stopping keyframes around them runs on one minimum-jerk progress and the value is piecewise linear in
    that progress, each keyframe's value reached at its own time (the velocity turns there, it does not
    drop to zero)."""
    t = np.asarray(t, dtype=float)
    if glide is not None and np.any(glide[1:-1]):
        stops = np.flatnonzero(~np.asarray(glide, dtype=bool))
        stops = np.union1d(stops, [0, len(key_t) - 1])
        j = np.clip(np.searchsorted(key_t[stops], t, side="right") - 1, 0, len(stops) - 2)
        out = np.empty(t.shape)
        for k in np.unique(j):
            a, b = stops[k], stops[k + 1]
            span = max(key_t[b] - key_t[a], 1e-9)
            knots = min_jerk((key_t[a : b + 1] - key_t[a]) / span)
            mask = j == k
            out[mask] = np.interp(min_jerk((t[mask] - key_t[a]) / span), knots, key_v[a : b + 1])
        return out
    i = np.clip(np.searchsorted(key_t, t, side="right") - 1, 0, len(key_t) - 2)
    span = np.maximum(key_t[i + 1] - key_t[i], 1e-9)
    s = min_jerk((t - key_t[i]) / span)
    return key_v[i] + (key_v[i + 1] - key_v[i]) * s


class _Timeline:
    def __init__(self) -> None:
        self.t = 0.0
        self.times: list[float] = []
        self.poses: list[dict[str, float]] = []
        self.glides: list[bool] = []

    def key(self, pose: dict[str, float], after: float = 0.0, glide: bool = False) -> float:
        self.t += after
        self.times.append(self.t)
        self.poses.append(dict(pose))
        self.glides.append(glide)
        return self.t

    def arrays(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        names = self.poses[0].keys()
        return np.array(self.times), {n: np.array([p[n] for p in self.poses]) for n in names}


def _rdl_poses(rep: RdlRep) -> tuple[dict[str, float], dict[str, float]]:
    top = dict(
        theta=rep.theta_top_deg, knee=rep.knee_top_deg, shin=rep.shin_top_deg, gap=0.0, neck=rep.neck_deg, spine=0.0
    )
    bottom = dict(
        theta=rep.theta_bottom_deg,
        knee=rep.knee_bottom_deg,
        shin=rep.shin_bottom_deg,
        gap=rep.bar_gap_leg,
        neck=rdl_bottom_neck(rep),
        spine=rep.spine_bottom_deg,
    )
    return top, bottom


def rdl_thigh_tilt(rep: RdlRep) -> float:
    """Thigh incline from vertical at the start (knee -> hip; negative: the hip behind the knee), degrees."""
    return rep.shin_top_deg - rep.knee_top_deg


def rdl_top_hip_flexion(rep: RdlRep) -> float:
    """Hip flexion at the lockout (180 minus the shoulder-hip-knee angle; the back is flat there), degrees.

    A clean rep stands with its start's own flexion, pelvis incline minus thigh incline: the soft knees tilt
    the thigh back (2.8-6 degrees for 12-20 degrees of knee flexion)."""
    if rep.top_hip_flexion_deg is not None:
        return rep.top_hip_flexion_deg
    return rep.theta_top_deg - rdl_thigh_tilt(rep)


def rdl_lockout_pose(rep: RdlRep) -> dict[str, float]:
    """Driver values at the lockout: the start's standing pose, or a partial lockout's (the pelvis
    ``top_hip_flexion_deg`` forward of the start's thigh, knees, shins and neck as at the start)."""
    top = _rdl_poses(rep)[0]
    if rep.top_hip_flexion_deg is None:
        return top
    return dict(top, theta=rdl_thigh_tilt(rep) + rep.top_hip_flexion_deg)


def _rdl_rest(rep: RdlRep, following: RdlRep) -> dict[str, float]:
    """Where the top pause after ``rep`` ends and ``following`` descends from: ``following``'s standing start,
    or, after a partial lockout, that start with the hips left as short as ``rep`` stopped (the lifter does
    not stand up between reps: the next descent begins where the short rep ended)."""
    start = _rdl_poses(following)[0]
    if rep.top_hip_flexion_deg is None:
        return start
    return dict(start, theta=rdl_thigh_tilt(following) + rep.top_hip_flexion_deg)


def rdl_bottom_neck(rep: RdlRep) -> float:
    """Neck flexion at the bottom of an RDL rep, degrees (the start's unless the head is cranked up)."""
    return rep.neck_deg if rep.neck_bottom_deg is None else rep.neck_bottom_deg


#: A floor touch deepens the bottom along this direction (theta, knee, shin per unit of depth), degrees:
#: the hips sink and the knees travel forward as the plates are set down, like a stiff-leg deadlift.
FLOOR_DEEPEN_DEG = (12.0, 30.0, 10.0)


def bar_height(rep: RdlRep, dims: Dimensions) -> float:
    """Height of the bar's centre at the bottom of an RDL rep, metres."""
    _, bottom = _rdl_poses(rep)
    p = {k: np.array([v]) for k, v in bottom.items()}
    return float(rdl_pose(p, dims)["bar"][0, 1])


def _deepen(rep: RdlRep, d: float) -> RdlRep:
    dt, dk, ds = FLOOR_DEEPEN_DEG
    return replace(
        rep,
        theta_bottom_deg=rep.theta_bottom_deg + d * dt,
        knee_bottom_deg=rep.knee_bottom_deg + d * dk,
        shin_bottom_deg=rep.shin_bottom_deg + d * ds,
    )


def resolve_floor(rep: RdlRep, dims: Dimensions, plate_radius_m: float) -> RdlRep:
    """A floor-touch rep with its bottom deepened until the plates rest on the floor, and its rest time."""
    if rep.floor_rest_s is None:
        return rep
    depth = _solve(lambda d: bar_height(_deepen(rep, d), dims), plate_radius_m, 0.0, 3.0, steps=31)
    out = _deepen(rep, depth)
    if abs(bar_height(out, dims) - plate_radius_m) > 0.005:
        raise ValueError(f"the plates (radius {plate_radius_m} m) cannot reach the floor in an RDL of this lifter")
    rest = max(rep.floor_rest_s, MIN_FLOOR_REST_S)
    return replace(out, timing=replace(rep.timing, bottom_s=rest))


#: Shortest time on the floor (a touch and go), seconds.
MIN_FLOOR_REST_S = 0.04


def _rdl_timeline(reps: list[RdlRep]) -> tuple[_Timeline, list[RepEvents]]:
    """Standing start; each rep: descent, bottom pause, ascent, top pause.

    A rep comes up to its lockout pose (:func:`rdl_lockout_pose`) and holds the top pause while moving to the
    next rep's start (:func:`_rdl_rest`): after a partial lockout the lifter stays short through the pause and
    the next descent begins from there; the last rep holds its lockout to the clip's end."""
    tl, events = _Timeline(), []
    tl.key(_rdl_poses(reps[0])[0])
    start = tl.key(_rdl_poses(reps[0])[0], LEAD_IN_S)
    for k, rep in enumerate(reps):
        top, bottom = rdl_lockout_pose(rep), _rdl_poses(rep)[1]
        tm = rep.timing
        reached = tl.key(bottom, tm.eccentric_s)
        tl.key(bottom, tm.bottom_s)
        lockout = tl.key(top, tm.concentric_s)
        nxt = _rdl_rest(rep, reps[k + 1]) if k + 1 < len(reps) else top
        pause = tm.top_s if k + 1 < len(reps) else max(tm.top_s, LEAD_OUT_S)
        end = tl.key(nxt, pause)
        events.append(
            RepEvents(
                k + 1,
                start,
                reached + 0.5 * tm.bottom_s,
                lockout,
                end if k + 1 < len(reps) else None,
                tm,
                rep.faults,
                rep.sizes,
            )
        )
        start = end
    return tl, events


def _ht_timeline(reps: list[HipThrustRep], dims: Dimensions) -> tuple[_Timeline, list[RepEvents]]:
    """Starts at the bottom; each rep: (descent), bottom pause, drive up, squeeze; ends lowered."""
    tl, events = _Timeline(), []
    solved = [solve_hip_thrust(rep, dims) for rep in reps]
    first_bottom = solved[0]["bottom"]
    tl.key(first_bottom)
    start, reached = 0.0, 0.0
    tl.key(first_bottom, LEAD_IN_S)
    for k, (rep, poses) in enumerate(zip(reps, solved)):
        tm = rep.timing
        if k > 0:
            previous_feet = dict(poses["bottom"], ankle_x=solved[k - 1]["bottom"]["ankle_x"])
            reached = tl.key(previous_feet, tm.eccentric_s)
            if previous_feet["ankle_x"] != poses["bottom"]["ankle_x"]:
                tl.key(poses["bottom"], FOOT_SLIDE_S)
        hold_end = tl.key(poses["bottom"], tm.bottom_s)
        bottom_mid = 0.5 * (reached + hold_end)
        lockout = tl.key(poses["top"], tm.concentric_s)
        end = tl.key(poses["top"], tm.top_s)
        events.append(
            RepEvents(k + 1, start, bottom_mid, lockout, end if k + 1 < len(reps) else None, tm, rep.faults, rep.sizes)
        )
        start = end
    tl.key(solved[-1]["bottom"], reps[-1].timing.eccentric_s)
    tl.key(solved[-1]["bottom"], LEAD_OUT_S)
    last = events[-1]
    events[-1] = replace(last, end_s=start)
    return tl, events


def build_motion(lift: str, reps: list[Rep], dims: Dimensions, plate_radius_m: float = 0.115) -> Motion:
    """Keyframes and rep events of a whole clip (floor-touch RDL reps deepened to the plates' radius)."""
    if not reps:
        raise ValueError("a clip needs at least one rep")
    if lift == "deadlift":
        dl = [r for r in reps if isinstance(r, DeadliftRep)]
        tl, events = _dl_timeline(dl, dims, plate_radius_m)
        key_t, keys = tl.arrays()
        return Motion(
            lift=lift,
            key_t=key_t,
            keys=keys,
            events=events,
            duration_s=float(key_t[-1]),
            reps=list(reps),
            glide=np.array(tl.glides),
        )
    if lift == "rdl":
        reps = [resolve_floor(r, dims, plate_radius_m) if isinstance(r, RdlRep) else r for r in reps]
    if lift == "rdl":
        tl, events = _rdl_timeline([r for r in reps if isinstance(r, RdlRep)])
    else:
        tl, events = _ht_timeline([r for r in reps if isinstance(r, HipThrustRep)], dims)
    key_t, keys = tl.arrays()
    return Motion(lift=lift, key_t=key_t, keys=keys, events=events, duration_s=float(key_t[-1]), reps=list(reps))


# ---------------------------------------------------------------- sagittal helpers


def _dir(angle_from_vertical_deg) -> np.ndarray:
    """Unit vectors at ``angle`` from vertical, positive leaning forward (+x). Shape (..., 2)."""
    a = np.radians(angle_from_vertical_deg)
    return np.stack([np.sin(a), np.cos(a)], axis=-1)


def rotate(v: np.ndarray, deg) -> np.ndarray:
    """Rotate (..., 2) vectors counter-clockwise by ``deg``."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _anterior(u: np.ndarray) -> np.ndarray:
    return np.stack([u[..., 1], -u[..., 0]], axis=-1)


def two_link(p0: np.ndarray, p1: np.ndarray, l1: float, l2: float) -> np.ndarray:
    """Middle joint of a two-segment chain from ``p0`` to ``p1``, bent to the left (CCW) of p0->p1.

    Out-of-reach targets straighten the chain.
    """
    d = p1 - p0
    dist = np.clip(np.linalg.norm(d, axis=-1), abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6)
    cos_a = np.clip((l1 * l1 + dist * dist - l2 * l2) / (2.0 * l1 * dist), -1.0, 1.0)
    return p0 + l1 * rotate(_unit(d), np.degrees(np.arccos(cos_a)))


def _head(shoulder: np.ndarray, torso_u: np.ndarray, neck_deg, dims: Dimensions) -> tuple[np.ndarray, np.ndarray]:
    """Ear position and cranial axis: the neck flexes (turns clockwise) about the shoulder line."""
    head_u = rotate(torso_u, -np.asarray(neck_deg))
    return shoulder + dims.shoulder_to_ear * head_u, head_u


def _feet(ankle: np.ndarray, dims: Dimensions) -> tuple[np.ndarray, np.ndarray]:
    """Heel and toe-tip landmarks of a flat foot."""
    lift = np.array([0.0, HEEL_HEIGHT_FRACTION * dims.height])
    heel = ankle * np.array([1.0, 0.0]) + lift + np.array([-dims.heel_back, 0.0])
    toe = ankle * np.array([1.0, 0.0]) + np.array([dims.toe_front, TOE_HEIGHT_FRACTION * dims.height])
    return heel, toe


#: Heights of the heel and toe landmarks above the floor, fractions of stature.
HEEL_HEIGHT_FRACTION = 0.018
TOE_HEIGHT_FRACTION = 0.012


# ---------------------------------------------------------------- RDL

#: Bar radius, metres (Olympic bar shaft).
BAR_RADIUS = 0.014
#: Clearance of the bar from the legs in a clean rep, metres ("shaves the legs").
BAR_CLEARANCE = 0.004
#: How far the quadriceps stand out in front of the thigh capsule, metres.
THIGH_FRONT_BULGE = 0.006
#: Arm angle search range for the bar contact, degrees from vertical (+ = forward).
ARM_RANGE_DEG = (-45.0, 30.0)
#: Hands' distance from the midline relative to the shoulder joints (RDL grip).
RDL_GRIP_WIDTH_RATIO = 1.05


def leg_front(bar_y: np.ndarray, hip, knee, ankle, dims: Dimensions) -> np.ndarray:
    """x of the front surface of the leg at height ``bar_y`` (thigh above the knee, shin below)."""
    on_thigh = bar_y >= knee[..., 1]
    top = np.where(on_thigh[..., None], hip, knee)
    bottom = np.where(on_thigh[..., None], knee, ankle)
    span = top[..., 1] - bottom[..., 1]
    frac = np.clip((bar_y - bottom[..., 1]) / np.where(np.abs(span) < 1e-9, 1e-9, span), 0.0, 1.0)
    x = bottom[..., 0] + frac * (top[..., 0] - bottom[..., 0])
    thigh_r = THIGH_RADII[1] + (THIGH_RADII[0] - THIGH_RADII[1]) * frac + THIGH_FRONT_BULGE
    shin_r = SHIN_RADII[1] + (SHIN_RADII[0] - SHIN_RADII[1]) * frac
    radius = np.where(on_thigh, thigh_r, shin_r) * dims.girth
    slope = np.abs(top[..., 0] - bottom[..., 0]) / np.maximum(np.abs(span), 1e-9)
    return x + radius * np.sqrt(1.0 + slope**2)


def _arm_dir(alpha_deg) -> np.ndarray:
    """Unit vector of a hanging arm ``alpha`` degrees from straight down (+ = forward)."""
    a = np.radians(alpha_deg)
    return np.stack([np.sin(a), -np.cos(a)], axis=-1)


def _rdl_arms(shoulder, hip, knee, ankle, gap_leg, dims: Dimensions) -> np.ndarray:
    """Arm angle from vertical (degrees, + forward) that puts the bar against the legs plus the gap."""
    lo = np.full(shoulder.shape[:-1], ARM_RANGE_DEG[0])
    hi = np.full(shoulder.shape[:-1], ARM_RANGE_DEG[1])
    target_gap = BAR_RADIUS + BAR_CLEARANCE + gap_leg * dims.leg
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        bar = shoulder + dims.arm_to_grip * _arm_dir(mid)
        too_far = bar[..., 0] - leg_front(bar[..., 1], hip, knee, ankle, dims) > target_gap
        hi = np.where(too_far, mid, hi)
        lo = np.where(too_far, lo, mid)
    return 0.5 * (lo + hi)


def _arm_points(shoulder: np.ndarray, arm_u: np.ndarray, dims: Dimensions) -> dict[str, np.ndarray]:
    return {
        "elbow": shoulder + dims.upper_arm * arm_u,
        "wrist": shoulder + (dims.upper_arm + dims.forearm) * arm_u,
        "grip": shoulder + dims.arm_to_grip * arm_u,
    }


def spine_chord(spine_deg) -> tuple[np.ndarray, np.ndarray]:
    """Turn of the hip->shoulder chord off the pelvis axis (degrees) and its length over the trunk's,
    for an even bend of ``spine_deg``: half the bend, and sin(a/2)/(a/2)."""
    a = np.radians(np.asarray(spine_deg, dtype=float))
    half = 0.5 * a
    safe = np.where(np.abs(half) < 1e-9, 1.0, half)
    return 0.5 * np.asarray(spine_deg, dtype=float), np.where(np.abs(half) < 1e-9, 1.0, np.sin(safe) / safe)


def rdl_pose(p: dict[str, np.ndarray], dims: Dimensions) -> dict[str, np.ndarray]:
    """Sagittal joints of an RDL from driver values (arrays over frames). Ankle at x = 0."""
    n = np.shape(p["theta"])
    spine = np.asarray(p.get("spine", np.zeros(n)), dtype=float)
    ankle = np.stack([np.zeros(n), np.full(n, dims.ankle_height)], axis=-1)
    knee = ankle + dims.shin * _dir(p["shin"])
    hip = knee + dims.thigh * _dir(p["shin"] - p["knee"])
    pelvis_u = _dir(p["theta"])
    turn, chord = spine_chord(spine)
    torso_u = _dir(p["theta"] + turn)
    chest_u = _dir(p["theta"] + spine)
    shoulder = hip + dims.trunk * chord[..., None] * torso_u
    arm_u = _arm_dir(_rdl_arms(shoulder, hip, knee, ankle, p["gap"], dims))
    ear, head_u = _head(shoulder, chest_u, p["neck"], dims)
    heel, toe = _feet(ankle, dims)
    out = dict(
        ankle=ankle,
        knee=knee,
        hip=hip,
        shoulder=shoulder,
        ear=ear,
        head_u=head_u,
        heel=heel,
        toe=toe,
        chest_u=chest_u,
        pelvis_u=pelvis_u,
        torso_u=torso_u,
        spine_deg=spine,
        **_arm_points(shoulder, arm_u, dims),
    )
    out["bar"] = out["grip"]
    return out


# ---------------------------------------------------------------- conventional deadlift

#: Shin tilt range searched for the set-up's shins on the bar, degrees: past the top the shins stop and
#: leave a gap (small plates put the bar too low for a shin to reach it over mid-foot).
DL_SETUP_SHIN_RANGE_DEG = (0.0, 20.0)
#: Share of the pull's time spent from lift-off to the bar at the knees, and of the lowering's from the
#: lockout to the bar at the knees.
DL_KNEE_PASS_PULL_SHARE = 0.5
DL_KNEE_PASS_LOWER_SHARE = 0.45
#: Share of the time from lift-off to the bar at the knees that the hips take to rise first (the bar on the floor).
DL_HIPS_RISE_SHARE = 0.4
#: Knee flexion searched for the pose where the bar passes the knees, degrees.
DL_KNEE_PASS_RANGE_DEG = (0.0, 100.0)
#: The solved poses must put the bar where asked within this, metres.
DL_SOLVE_TOLERANCE_M = 0.002


def _angle_from_vertical(v: np.ndarray) -> float:
    return float(np.degrees(np.arctan2(v[..., 0], v[..., 1])))


def midfoot_x(dims: Dimensions) -> float:
    """Mid-foot (the midpoint of heel and toe tip) ahead of the ankle joint, metres."""
    return 0.5 * (dims.toe_front - dims.heel_back)


def foot_length(dims: Dimensions) -> float:
    return dims.toe_front + dims.heel_back


def _pose1(drivers: dict[str, float], dims: Dimensions) -> dict[str, np.ndarray]:
    """:func:`rdl_pose` of one driver set; the points without the frame axis."""
    out = rdl_pose({k: np.array([v], dtype=float) for k, v in drivers.items()}, dims)
    return {k: v[0] for k, v in out.items()}


def _shin_front(shin_deg: float, y: float, dims: Dimensions) -> float:
    """x of the shin's front surface at height ``y`` (below the knee) for a shin tilted ``shin_deg``."""
    ankle = np.array([[0.0, dims.ankle_height]])
    knee = ankle + dims.shin * _dir(np.array([shin_deg]))
    return float(leg_front(np.array([y]), knee, knee, ankle, dims)[0])


def dl_setup_pose(rep: DeadliftRep, dims: Dimensions, plate_radius_m: float) -> dict[str, float]:
    """Driver values at lift-off: the bar on the floor (its centre at the plates' radius; ``hover_leg`` higher when
    it is not set down) ``bar_ahead_foot`` ahead of mid-foot (or against vertical shins when that is behind them),
    the shins brought to ``shin_to_foot`` (on the bar unless it lies further ahead or the shins would tilt past
    :data:`DL_SETUP_SHIN_RANGE_DEG`: a gap), the arms ``arm_deg`` from vertical; the hips then sit where thigh and
    trunk meet (hip height follows the limbs, §3)."""
    foot, mid = foot_length(dims), midfoot_x(dims)
    bar = np.array([mid + rep.bar_ahead_foot * foot, plate_radius_m + rep.hover_leg * dims.leg])
    touch = mid + (rep.bar_ahead_foot if rep.shin_to_foot is None else rep.shin_to_foot) * foot
    reach = BAR_RADIUS + BAR_CLEARANCE
    lo, hi = DL_SETUP_SHIN_RANGE_DEG
    shin = float(np.clip(_solve(lambda s: _shin_front(s, bar[1], dims) + reach, touch, lo, hi, steps=41), lo, hi))
    # a bar asked behind the front of vertical shins rests against them
    bar[0] = max(bar[0], _shin_front(shin, bar[1], dims) + reach)
    gap = float(max((bar[0] - _shin_front(shin, bar[1], dims) - reach) / dims.leg, 0.0))
    shoulder = bar - dims.arm_to_grip * _arm_dir(rep.arm_deg)
    knee = np.array([0.0, dims.ankle_height]) + dims.shin * _dir(shin)
    reach_hip = float(np.linalg.norm(shoulder - knee))
    if not abs(dims.thigh - dims.trunk) < reach_hip < dims.thigh + dims.trunk:
        raise ValueError("deadlift set-up: thigh and trunk cannot join knee and shoulders")
    hip = two_link(knee, shoulder, dims.thigh, dims.trunk)
    drivers = dict(
        theta=_angle_from_vertical(shoulder - hip),
        knee=shin - _angle_from_vertical(hip - knee),
        shin=shin,
        gap=gap,
        neck=rep.neck_deg - rep.liftoff_neck_extension_deg,
        spine=0.0,
    )
    drawn = _pose1(drivers, dims)["bar"]
    if np.linalg.norm(drawn - bar) > DL_SOLVE_TOLERANCE_M:
        raise ValueError(f"deadlift set-up: the arms put the bar at {drawn.round(3)}, not {bar.round(3)}")
    return drivers


def dl_knee_pose(rep: DeadliftRep, setup: dict[str, float], dims: Dimensions) -> dict[str, float]:
    """Driver values as the bar passes the knees: the trunk ``tip_deg`` more inclined than at lift-off (less, down
    to :data:`DL_LOWEST_TIP_DEG`, when the bar cannot reach the knees so inclined), the shins at
    ``knee_pass_shin_deg``, the bar ``bar_gap_leg`` off the legs, the knee flexion solved so that the bar's
    centre is at the knee joint's height."""
    try:
        return _dl_knee_pose_at(rep, setup, rep.tip_deg, dims)
    except ValueError:
        if rep.tip_deg <= DL_LOWEST_TIP_DEG:
            raise
    # the most inclined trunk that still lets the bar reach the knees (too upright a trunk holds the bar above them)
    pose, ok, bad = None, rep.tip_deg, rep.tip_deg
    while pose is None:
        ok -= DL_TIP_SCAN_DEG
        if ok < DL_LOWEST_TIP_DEG:
            raise ValueError(
                f"deadlift: the bar cannot reach the knees of this lifter with the trunk within "
                f"{DL_LOWEST_TIP_DEG:.0f}..{rep.tip_deg:.0f} degrees of its set-up incline"
            )
        try:
            pose = _dl_knee_pose_at(rep, setup, ok, dims)
        except ValueError:
            bad = ok
    while bad - ok > DL_TIP_STEP_DEG:
        mid = 0.5 * (ok + bad)
        try:
            pose, ok = _dl_knee_pose_at(rep, setup, mid, dims), mid
        except ValueError:
            bad = mid
    return pose


#: Precision of the trunk's incline in a knee pose that had to come up because the bar could not reach the knees
#: at the asked tip, and how far it may come up (a flat set-up with short arms raises the chest before the bar
#: reaches the knees), degrees.
DL_TIP_STEP_DEG = 0.5
DL_LOWEST_TIP_DEG = -30.0
#: Step of the scan down from the asked tip for a trunk incline that lets the bar reach the knees, degrees.
DL_TIP_SCAN_DEG = 2.0


def _dl_knee_pose_at(rep: DeadliftRep, setup: dict[str, float], tip: float, dims: Dimensions) -> dict[str, float]:
    base = dict(
        theta=setup["theta"] + tip,
        shin=rep.knee_pass_shin_deg,
        gap=rep.bar_gap_leg,
        neck=rep.neck_deg - rep.liftoff_neck_extension_deg,
        spine=0.0,
    )

    def bar_over_knee(k: float) -> float:
        p = _pose1(dict(base, knee=k), dims)
        return float(p["bar"][1] - p["knee"][1])

    # The bar can hang at the knee's height over a range of knee flexion (it rests on the step from the
    # shin to the thigh): take the most flexed, where a pull (the knees straightening) first brings it there.
    lo, hi = DL_KNEE_PASS_RANGE_DEG
    grid = np.linspace(lo, hi, 51)
    above = np.array([bar_over_knee(k) for k in grid]) >= -1e-6
    turns = np.flatnonzero(above[:-1] & ~above[1:])
    if turns.size == 0:
        raise ValueError(
            f"deadlift: with the trunk at {base['theta']:.0f} degrees the bar cannot reach the knees of this lifter"
        )
    a, b = grid[turns[-1]], grid[turns[-1] + 1]
    for _ in range(40):
        m = 0.5 * (a + b)
        a, b = (m, b) if bar_over_knee(m) >= -1e-6 else (a, m)
    k = a
    if abs(bar_over_knee(k)) > DL_SOLVE_TOLERANCE_M:
        raise ValueError(
            f"deadlift: with the trunk at {base['theta']:.0f} degrees the bar cannot reach the knees of this lifter"
        )
    return dict(base, knee=k)


def dl_top_pose(rep: DeadliftRep) -> dict[str, float]:
    """Driver values at the lockout: the knees ``knee_top_deg`` (shins taking :data:`SOFT_KNEE_SHIN_SHARE`),
    the trunk at ``theta_top_deg`` or, for a partial lockout, ``top_hip_flexion_deg`` forward of the thigh."""
    shin = SOFT_KNEE_SHIN_SHARE * rep.knee_top_deg
    theta = rep.theta_top_deg
    if rep.top_hip_flexion_deg is not None:
        theta = shin - rep.knee_top_deg + rep.top_hip_flexion_deg
    return dict(theta=theta, knee=rep.knee_top_deg, shin=shin, gap=0.0, neck=rep.neck_deg, spine=0.0)


def dl_hips_up_pose(rep: DeadliftRep, setup: dict[str, float], dims: Dimensions) -> dict[str, float]:
    """Driver values when the hips have risen first (``hips_rise_deg`` of trunk tip) with the bar still on the
    floor where the set-up put it: the shins back at ``knee_pass_shin_deg`` (never forward of the set-up's: a gap
    opens to the bar), the knees
    straightened as far as the arms' reach to the bar allows (the knee flexion solved for it)."""
    p0 = _pose1(setup, dims)
    bar = p0["bar"]
    theta, shin = setup["theta"] + rep.hips_rise_deg, min(setup["shin"], rep.knee_pass_shin_deg)
    ankle = np.array([0.0, dims.ankle_height])
    knee_pt = ankle + dims.shin * _dir(shin)

    def reach(k: float) -> float:
        hip = knee_pt + dims.thigh * _dir(shin - k)
        return float(np.linalg.norm(hip + dims.trunk * _dir(theta) - bar)) - dims.arm_to_grip

    lo, hi = DL_KNEE_PASS_RANGE_DEG[0], setup["knee"] + 30.0
    k = _solve(reach, 0.0, lo, hi, steps=61)
    if abs(reach(k)) > DL_SOLVE_TOLERANCE_M:
        raise ValueError(
            f"deadlift: this lifter cannot tip the trunk {rep.hips_rise_deg:.0f} degrees with the bar on the floor"
        )
    gap = (bar[0] - _shin_front(shin, bar[1], dims) - BAR_RADIUS - BAR_CLEARANCE) / dims.leg
    drivers = dict(setup, theta=theta, knee=k, shin=shin, gap=float(max(gap, 0.0)))
    drawn = _pose1(drivers, dims)["bar"]
    if np.linalg.norm(drawn - bar) > DL_SOLVE_TOLERANCE_M:
        raise ValueError(f"deadlift: the hips cannot rise {rep.hips_rise_deg:.0f} degrees with the bar on the floor")
    return drivers


@lru_cache(maxsize=256)
def solve_deadlift(rep: DeadliftRep, dims: Dimensions, plate_radius_m: float) -> dict[str, dict[str, float]]:
    """The driver values of one deadlift rep at lift-off (``floor``), as the bar passes the knees (``knees``)
    and at the lockout (``top``); ``down``: the clean knee pose the lowering passes through (hips back first,
    the bar down the thighs, the back angle of the set-up); ``hips_up`` (only with ``hips_rise_deg``): the hips
    risen first, the bar still on the floor."""
    floor = dl_setup_pose(rep, dims, plate_radius_m)
    knees = dl_knee_pose(rep, floor, dims)
    clean = replace(rep, tip_deg=0.0, bar_gap_leg=0.0, liftoff_neck_extension_deg=0.0)
    down = dl_knee_pose(clean, dict(floor, neck=rep.neck_deg), dims)
    out = {"floor": floor, "knees": knees, "top": dl_top_pose(rep), "down": down}
    if rep.hips_rise_deg > 0.0:
        out["hips_up"] = dl_hips_up_pose(rep, floor, dims)
    return out


def _dl_timeline(reps: list[DeadliftRep], dims: Dimensions, plate_radius_m: float) -> tuple[_Timeline, list[RepEvents]]:
    """Opens crouched over the bar (the set-up); each rep: the dead stop on the floor, the pull gliding through
    the bar at the knees to the lockout, the top pause, the lowering gliding through the knee pose to the next
    rep's set-up (the last rep's own). A rep runs from the start of the lowering before it (the first: the
    clip's first frame) to the start of its own lowering."""
    solved = [solve_deadlift(r, dims, plate_radius_m) for r in reps]
    tl, events = _Timeline(), []
    tl.key(solved[0]["floor"])
    t_lead = LEAD_IN_S
    start, descent = 0.0, 0.0
    for k, (rep, poses) in enumerate(zip(reps, solved)):
        tm = rep.timing
        reached = tl.t if k else LEAD_IN_S
        liftoff = tl.key(poses["floor"], tm.bottom_s + (t_lead if k == 0 else 0.0))
        to_knees = DL_KNEE_PASS_PULL_SHARE * tm.concentric_s
        if "hips_up" in poses:
            tl.key(poses["hips_up"], DL_HIPS_RISE_SHARE * to_knees, glide=True)
            to_knees *= 1.0 - DL_HIPS_RISE_SHARE
        knees = tl.key(poses["knees"], to_knees, glide=True)
        lockout = tl.key(poses["top"], (1.0 - DL_KNEE_PASS_PULL_SHARE) * tm.concentric_s)
        end = tl.key(poses["top"], tm.top_s)
        nxt = solved[k + 1] if k + 1 < len(reps) else poses
        tl.key(dict(poses["down"], neck=rep.neck_deg), DL_KNEE_PASS_LOWER_SHARE * tm.eccentric_s, glide=True)
        tl.key(nxt["floor"], (1.0 - DL_KNEE_PASS_LOWER_SHARE) * tm.eccentric_s)
        events.append(
            RepEvents(
                k + 1,
                start,
                0.5 * (reached + liftoff),
                lockout,
                end,
                Timing(descent, liftoff - reached, lockout - liftoff, tm.top_s),
                rep.faults,
                rep.sizes,
                liftoff_s=liftoff,
                knees_s=knees,
            )
        )
        start, descent = end, tm.eccentric_s
    tl.key(solved[-1]["floor"], LEAD_OUT_S)
    return tl, events


# ---------------------------------------------------------------- hip thrust

#: Bench pad height and depth (front edge at x = 0, pad towards -x), metres.
BENCH_HEIGHT = 0.42
BENCH_DEPTH = 0.28
#: Where the bench edge touches the back: this far from the shoulder joint
#: along the torso, and the back surface this far behind the joint (x stature).
CONTACT_ALONG = 0.10
CONTACT_BEHIND = 0.057
#: Bar centre in front of the hip joint (pelvis depth + bar), x stature; and
#: how far towards the knees the hip crease sits.
BAR_FRONT = 0.072
BAR_TOWARDS_KNEES = 0.012
#: Hip thrust grip: hands this far from the midline, x stature.
HT_GRIP_HALF_WIDTH = 0.17
#: Hip thrust stance: knees and feet this far from the midline, x stature (wider than the hips, knees out).
HT_STANCE_HALF_WIDTH = 0.085
#: Wrists sit above and behind the bar: offsets (x stature) anterior and towards the head.
HT_WRIST_ABOVE_BAR = 0.012
HT_WRIST_TOWARDS_HEAD = 0.028
#: Search range of the torso elevation, degrees.
PHI_RANGE_DEG = (-40.0, 70.0)


def _ht_torso(phi_deg, dims: Dimensions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shoulder, hip and torso axis (hip->shoulder) with the upper back on the bench edge."""
    phi = np.radians(np.asarray(phi_deg, dtype=float))
    torso_u = np.stack([-np.cos(phi), np.sin(phi)], axis=-1)
    contact = np.array([0.0, BENCH_HEIGHT])
    shoulder = contact + CONTACT_ALONG * dims.height * torso_u + CONTACT_BEHIND * dims.height * _anterior(torso_u)
    return shoulder, shoulder - dims.trunk * torso_u, torso_u


def _ht_chain(phi_deg, ankle_x, dims: Dimensions) -> dict[str, np.ndarray]:
    shoulder, hip, torso_u = _ht_torso(phi_deg, dims)
    ankle_x = np.broadcast_to(np.asarray(ankle_x, dtype=float), np.shape(phi_deg))
    ankle = np.stack([ankle_x, np.full(ankle_x.shape, dims.ankle_height)], axis=-1)
    knee = two_link(hip, ankle, dims.thigh, dims.shin)
    return dict(shoulder=shoulder, hip=hip, knee=knee, ankle=ankle, torso_u=torso_u)


def _hip_line_dev(c: dict[str, np.ndarray]) -> np.ndarray:
    return g.line_deviation(c["shoulder"], c["hip"], c["knee"])


def _hip_angle(c: dict[str, np.ndarray]) -> np.ndarray:
    return g.interior_angle(c["shoulder"], c["hip"], c["knee"])


def _solve(fn, target: float, lo: float, hi: float, steps: int = 111) -> float:
    """Root of ``fn(x) = target`` on [lo, hi] nearest to the high end (brentq inside a scanned bracket)."""
    xs = np.linspace(lo, hi, steps)
    ys = np.array([fn(x) for x in xs]) - target
    sign_change = np.flatnonzero(np.sign(ys[:-1]) * np.sign(ys[1:]) <= 0)
    if sign_change.size == 0:
        return float(xs[np.argmin(np.abs(ys))])
    i = sign_change[-1]
    return float(brentq(lambda x: fn(x) - target, xs[i], xs[i + 1], xtol=1e-6))


def stance_for(top_knee_deg: float, dims: Dimensions) -> float:
    """Ankle x for which a straight shoulder-hip-knee top has this knee angle."""

    def ankle_height(phi: float) -> float:
        shoulder, hip, torso_u = _ht_torso(phi, dims)
        knee = hip - dims.thigh * torso_u
        shin = rotate(-torso_u, -(180.0 - top_knee_deg))
        return float((knee + dims.shin * shin)[1] - dims.ankle_height)

    phi = _solve(ankle_height, 0.0, *PHI_RANGE_DEG)
    shoulder, hip, torso_u = _ht_torso(phi, dims)
    knee = hip - dims.thigh * torso_u
    return float((knee + dims.shin * rotate(-torso_u, -(180.0 - top_knee_deg)))[0])


def stance_for_shin(top_shin_deg: float, dims: Dimensions) -> float:
    """Ankle x for which a straight shoulder-hip-knee top has this shin tilt from vertical (+ = ankle ahead)."""
    shin_u = np.array([np.sin(np.radians(top_shin_deg)), -np.cos(np.radians(top_shin_deg))])

    def ankle_height(phi: float) -> float:
        shoulder, hip, torso_u = _ht_torso(phi, dims)
        return float((hip - dims.thigh * torso_u + dims.shin * shin_u)[1] - dims.ankle_height)

    phi = _solve(ankle_height, 0.0, *PHI_RANGE_DEG)
    shoulder, hip, torso_u = _ht_torso(phi, dims)
    return float((hip - dims.thigh * torso_u + dims.shin * shin_u)[0])


def solve_hip_thrust(rep: HipThrustRep, dims: Dimensions) -> dict[str, dict[str, float]]:
    """Bottom and top driver values of one hip thrust rep."""
    if rep.top_shin_deg is not None:
        ankle_x = stance_for_shin(rep.top_shin_deg, dims)
    else:
        ankle_x = stance_for(rep.top_knee_deg, dims)
    if rep.top_hip_deg is not None:
        phi_top = _solve(
            lambda x: float(_hip_angle(_ht_chain(x, ankle_x, dims))),
            rep.top_hip_deg,
            PHI_RANGE_DEG[0],
            rep.bottom_phi_deg,
        )
    else:
        phi_top = _solve(
            lambda x: float(_hip_line_dev(_ht_chain(x, ankle_x, dims))),
            rep.top_line_dev_deg,
            PHI_RANGE_DEG[0],
            rep.bottom_phi_deg,
        )
    bottom = dict(phi=rep.bottom_phi_deg, lumbar=0.0, neck=rep.neck_bottom_deg, ankle_x=ankle_x)
    top = dict(phi=phi_top, lumbar=rep.top_lumbar_deg, neck=rep.neck_top_deg, ankle_x=ankle_x)
    return {"bottom": bottom, "top": top}


def hip_thrust_pose(p: dict[str, np.ndarray], dims: Dimensions) -> dict[str, np.ndarray]:
    """Sagittal joints of a hip thrust from driver values (arrays over frames)."""
    c = _ht_chain(p["phi"], p["ankle_x"], dims)
    torso_u = c["torso_u"]
    chest_u = rotate(torso_u, 0.5 * p["lumbar"])
    pelvis_u = rotate(torso_u, -0.5 * p["lumbar"])
    bar = c["hip"] + BAR_FRONT * dims.height * _anterior(pelvis_u) - BAR_TOWARDS_KNEES * dims.height * pelvis_u
    wrist = (
        bar + HT_WRIST_ABOVE_BAR * dims.height * _anterior(pelvis_u) + HT_WRIST_TOWARDS_HEAD * dims.height * pelvis_u
    )
    elbow = two_link(c["shoulder"], wrist, dims.upper_arm, dims.forearm)
    grip = wrist + dims.wrist_to_grip * _unit(wrist - elbow)
    ear, head_u = _head(c["shoulder"], torso_u, p["neck"], dims)
    heel, toe = _feet(c["ankle"], dims)
    return dict(
        c,
        ear=ear,
        head_u=head_u,
        heel=heel,
        toe=toe,
        chest_u=chest_u,
        pelvis_u=pelvis_u,
        elbow=elbow,
        wrist=wrist,
        grip=grip,
        bar=bar,
    )


# ---------------------------------------------------------------- skeleton


@dataclass
class Skeleton:
    """Sagittal pose of every frame: ``points[name]`` is (T, 2).

    ``hand_z`` and ``foot_z`` are the distances of the hands and of the knees
    and feet from the midline (grip and stance half widths), metres.
    """

    lift: str
    t: np.ndarray
    points: dict[str, np.ndarray]
    hand_z: float
    foot_z: float

    def __len__(self) -> int:
        return len(self.t)

    def frame(self, i: int) -> dict:
        pose = {name: arr[i] for name, arr in self.points.items()}
        pose["hand_z"], pose["foot_z"] = self.hand_z, self.foot_z
        return pose


def skeleton(motion: Motion, dims: Dimensions, t: np.ndarray) -> Skeleton:
    """Evaluate the motion at times ``t`` (seconds)."""
    params = {name: interpolate(motion.key_t, values, t, motion.glide) for name, values in motion.keys.items()}
    if motion.lift in ("rdl", "deadlift"):
        points = rdl_pose(params, dims)
        hand_z, foot_z = RDL_GRIP_WIDTH_RATIO * dims.shoulder_half_width, dims.hip_half_width
    else:
        points = hip_thrust_pose(params, dims)
        hand_z, foot_z = HT_GRIP_HALF_WIDTH * dims.height, HT_STANCE_HALF_WIDTH * dims.height
    return Skeleton(lift=motion.lift, t=np.asarray(t, dtype=float), points=points, hand_z=hand_z, foot_z=foot_z)


def _lateral(joint: str, dims: Dimensions, hand_z: float, foot_z: float) -> float:
    """Distance of a paired landmark from the midline (z), metres."""
    if joint in ("knee", "ankle", "heel", "foot_index"):
        return foot_z
    if joint == "shoulder":
        return dims.shoulder_half_width
    if joint == "elbow":
        return 0.5 * (dims.shoulder_half_width + hand_z)
    if joint == "wrist":
        return hand_z
    return dims.hip_half_width  # hip


#: MediaPipe joint name -> sagittal point it sits on.
PAIRED = {
    "shoulder": "shoulder",
    "elbow": "elbow",
    "wrist": "wrist",
    "hip": "hip",
    "knee": "knee",
    "ankle": "ankle",
    "heel": "heel",
    "foot_index": "toe",
}


def landmarks_3d(skel: Skeleton, dims: Dimensions) -> dict[str, np.ndarray]:
    """World positions (T, 3) of the MediaPipe-named landmarks the synthetic body defines."""
    pts = skel.points
    out: dict[str, np.ndarray] = {}
    for name, key in PAIRED.items():
        z = _lateral(name, dims, skel.hand_z, skel.foot_z)
        xy = pts[key]
        for side, sign in (("right", 1.0), ("left", -1.0)):
            out[f"{side}_{name}"] = np.concatenate([xy, np.full((len(xy), 1), sign * z)], axis=1)
    heads = [head_frame(e, u) for e, u in zip(pts["ear"], pts["head_u"])]
    s = dims.head

    def head_points(offset, sign=1.0) -> np.ndarray:
        f, u, r = offset
        return np.array([h.point(f, u, sign * r, s) for h in heads]).reshape(len(heads), 3)

    out["nose"] = head_points(NOSE_TIP)
    for side, sign in (("right", 1.0), ("left", -1.0)):
        out[f"{side}_ear"] = head_points(EAR, sign)
        out[f"{side}_eye"] = head_points(EYE, sign)
        out[f"mouth_{side}"] = head_points(MOUTH_CORNER, sign)
    return out
