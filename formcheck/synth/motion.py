"""Kinematics of the two lifts: rep plans, timing curves and forward kinematics.

A lift is a list of rep plans (:class:`RdlRep` or :class:`HipThrustRep`).
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
Hip thrust drivers: ``phi`` torso elevation (shoulders above hips) while the
upper back pivots on the bench edge, ``lumbar`` lumbar extension (drawn only),
``neck`` neck flexion, ``ankle_x`` where the feet stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import brentq

from .. import geometry as g
from .body import EAR, EYE, MOUTH_CORNER, NOSE_TIP, SHIN_RADII, THIGH_RADII, Dimensions, head_frame

LIFTS = ("rdl", "hip_thrust")


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


Rep = RdlRep | HipThrustRep

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


@dataclass
class Motion:
    """Keyframes of the drivers and the rep timeline."""

    lift: str
    key_t: np.ndarray
    keys: dict[str, np.ndarray]
    events: list[RepEvents]
    duration_s: float
    reps: list[Rep] = field(default_factory=list)


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk progress 0..1 for normalised time 0..1 (smooth start and stop)."""
    tau = np.clip(tau, 0.0, 1.0)
    return tau**3 * (10.0 - 15.0 * tau + 6.0 * tau * tau)


def interpolate(key_t: np.ndarray, key_v: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Values at ``t`` of a parameter moving between keyframes along minimum-jerk curves."""
    i = np.clip(np.searchsorted(key_t, t, side="right") - 1, 0, len(key_t) - 2)
    span = np.maximum(key_t[i + 1] - key_t[i], 1e-9)
    s = min_jerk((t - key_t[i]) / span)
    return key_v[i] + (key_v[i + 1] - key_v[i]) * s


class _Timeline:
    def __init__(self) -> None:
        self.t = 0.0
        self.times: list[float] = []
        self.poses: list[dict[str, float]] = []

    def key(self, pose: dict[str, float], after: float = 0.0) -> float:
        self.t += after
        self.times.append(self.t)
        self.poses.append(dict(pose))
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
    params = {name: interpolate(motion.key_t, values, t) for name, values in motion.keys.items()}
    if motion.lift == "rdl":
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
