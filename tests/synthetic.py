"""Synthetic MediaPipe-style landmark sequences with known answers.

Test fixtures in the style of the ``movement`` library's synthetic data: every
sequence is generated from *known joint-angle curves*, so a test can compare
what formcheck measures with what the generator put in (angles per frame, rep
bottoms and lockouts, injected faults on chosen reps).

The lifter is a 2D sagittal stick figure with anthropometric segment lengths
(fractions of stature after Drillis & Contini, as tabulated by Winter):
ankle height 0.039, shin 0.246, thigh 0.245 (leg about 0.53 of stature from
the hip joint, about 0.9 of hip height with the foot), trunk hip->shoulder
0.288, shoulder->ear 0.107, ear->nose 0.055, upper arm 0.186, forearm 0.146.
Geometry is built in metres in a y-up frame with the lifter facing +x and the
floor at y = 0, then placed in a ``W x H`` pixel image (y down), mirrored when
``facing=-1``. Both left and right landmarks are set: the far side equals the
near side plus ``far_offset_px`` (default none, so the angles are exact);
visibility is 0.95 on the near side and 0.6 on the far side. The near side is
the lifter's right when facing +x (image right), the left when facing -x.

Motion is driven by a *progress* curve ``p(t)`` in [0, 1]: 0 = top (extended,
standing / hips locked out), 1 = bottom. Every phase (descent, bottom pause,
ascent, top pause) is a cosine ease ``0.5 - 0.5 cos(pi u)`` between its end
values, so speeds are zero at each turn. Faults are injected per rep (keys are
1-based rep numbers, like ``formcheck.types.Rep.index``): *bottom* faults
(knee drift, bar drift, neck extension, rounding...) ramp in over the rep's
descent, are full at its bottom and ramp out over its ascent; *top* faults
(overextension, head back, chin tuck) ramp in over the rep's ascent, are full
during its top pause and ramp out over the following descent.

Each generator returns a :class:`Synthetic`: the ``PoseSequence``, the true
per-frame metrics (named like ``formcheck.kinematics.METRIC_NAMES``, in the
lifter's facing-normalised y-up frame) and the true reps (:class:`RepTruth`).

Angles are degrees, times seconds, lengths metres unless a name says ``px``
(pixels) or ``leg`` (fraction of thigh + shin length).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from formcheck.landmarks import N_LANDMARKS, PAIRS, Landmark, swap_table
from formcheck.types import PoseSequence, VideoMeta

# --------------------------------------------------------------------------
# Body proportions (fractions of stature)
# --------------------------------------------------------------------------
STATURE_M = 1.75
ANKLE_H = 0.039
SHIN = 0.246
THIGH = 0.245
TRUNK = 0.288
NECK = 0.107  # shoulder joint -> ear
EAR_NOSE = 0.055  # ear -> nose tip
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.040  # wrist -> knuckles (pinky/index/thumb landmarks)
HEEL_BACK = 0.034
TOE_FRONT = 0.118

#: The ear->nose direction is the shoulder->ear direction turned this many
#: degrees clockwise (towards the face, lifter facing +x).
HEAD_OFFSET_DEG = 80.0
#: Neck flexion (formcheck's ``neck_flexion_deg``) of a neutral standing head:
#: with it the gaze is horizontal when the torso is vertical.
STANDING_NECK_FLEXION_DEG = 90.0 - HEAD_OFFSET_DEG
#: Horizontal clearance of the hands in front of the knee-ankle line in a clean
#: RDL (the bar shaves the thighs), in leg lengths.
BAR_CLEARANCE_LEG = 0.05
#: Hip-thrust defaults: bottom hip angle and gaze elevation (ear->nose above horizontal) at a clean top, degrees.
HT_BOTTOM_HIP_DEG = 100.0
HT_TOP_GAZE_DEG = 62.0
#: Default image size (width, height), pixels.
DEFAULT_SIZE = (1280, 720)

NEAR_VISIBILITY = 0.95
FAR_VISIBILITY = 0.6


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class RepTruth:
    """The true timing of one rep, seconds from the first frame.

    ``t_start`` is where the descent into this rep's bottom begins (None when the
    clip opens at the bottom, as formcheck reports ``eccentric_s=None``); the
    bottom pause is ``[t_bottom_start, t_bottom_end]``; ``t_lockout`` is when
    the ascent reaches the top and ``t_top_end`` when the top pause ends.
    """

    index: int
    t_start: float | None
    t_bottom_start: float
    t_bottom_end: float
    t_lockout: float
    t_top_end: float

    @property
    def t_bottom(self) -> float:
        """Middle of the bottom pause."""
        return 0.5 * (self.t_bottom_start + self.t_bottom_end)

    @property
    def eccentric_s(self) -> float | None:
        """Duration of the descent into the bottom (None when not filmed)."""
        return None if self.t_start is None else self.t_bottom_start - self.t_start

    @property
    def concentric_s(self) -> float:
        return self.t_lockout - self.t_bottom_end

    def distance_to_bottom(self, t: float) -> float:
        """Seconds from ``t`` to the bottom pause window (0 inside it)."""
        return max(self.t_bottom_start - t, 0.0, t - self.t_bottom_end)


@dataclass
class Synthetic:
    """A generated clip with its answers.

    Attributes:
        seq: the landmark sequence (what formcheck reads).
        truth: true per-frame metrics, ``{metric name: (T,) array}``; names as in
            ``formcheck.kinematics.METRIC_NAMES``.
        reps: the true reps, in order.
        lift: what the clip shows (``rdl``, ``hip_thrust``, ``squat``, ``deadlift``,
            ``walking``, ``standing``).
        facing: +1 when the lifter faces image +x, -1 for -x.
        progress: (T,) the driving progress curve (0 top, 1 bottom).
    """

    seq: PoseSequence
    truth: dict[str, np.ndarray]
    reps: list[RepTruth]
    lift: str
    facing: int
    progress: np.ndarray

    @property
    def t(self) -> np.ndarray:
        return self.seq.t

    def frame(self, t: float) -> int:
        """Index of the frame nearest time ``t``."""
        return int(np.argmin(np.abs(self.seq.t - t)))


# --------------------------------------------------------------------------
# Timeline: the progress curve and which rep each frame belongs to
# --------------------------------------------------------------------------
@dataclass
class Timeline:
    """Progress ``p`` per frame, plus per-rep fault weights.

    ``bottom_rep``/``bottom_w``: the rep whose bottom the frame approaches or
    leaves, and a weight 0 (at the top) -> 1 (at that rep's bottom).
    ``top_rep``/``top_w``: the rep whose top the frame approaches or leaves, and
    a weight 0 (at the bottom) -> 1 (at that rep's top). Rep 0 means none.
    """

    t: np.ndarray
    p: np.ndarray
    bottom_rep: np.ndarray
    bottom_w: np.ndarray
    top_rep: np.ndarray
    top_w: np.ndarray
    reps: list[RepTruth]

    def per_rep(self, amounts: Mapping[int, float] | None, kind: str, default: float = 0.0) -> np.ndarray:
        """``amounts[rep] * weight`` per frame (``kind`` is ``"bottom"`` or ``"top"``), plus ``default``."""
        rep, w = (self.bottom_rep, self.bottom_w) if kind == "bottom" else (self.top_rep, self.top_w)
        table = np.zeros(int(rep.max(initial=0)) + 2)
        for k, v in (amounts or {}).items():
            if 1 <= k < len(table):
                table[k] = v
        return default + table[rep] * w


def ease(u: np.ndarray) -> np.ndarray:
    """Cosine ease from 0 to 1 over ``u`` in [0, 1] (zero speed at both ends)."""
    u = np.clip(u, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * u)


def timeline(
    n_reps: int,
    fps: float = 30.0,
    *,
    start: str = "top",
    down_s: float = 2.0,
    up_s: float = 1.2,
    bottom_s: float = 0.2,
    top_s: float = 0.8,
    lead_s: float | None = None,
    tail_s: float = 0.0,
    depth: Mapping[int, float] | None = None,
    top: Mapping[int, float] | None = None,
    down_s_by_rep: Mapping[int, float] | None = None,
    up_s_by_rep: Mapping[int, float] | None = None,
    dips: Mapping[int, float] | None = None,
    dip_s: float = 0.4,
) -> Timeline:
    """Build the progress curve of a set of ``n_reps`` reps sampled at ``fps``.

    ``start="top"`` (RDL, squat): a top hold of ``lead_s`` (default ``top_s``),
    then per rep: descent ``down_s``, bottom pause ``bottom_s``, ascent ``up_s``,
    top pause ``top_s``. ``start="bottom"`` (hip thrust, deadlift from the
    floor): a bottom hold of ``lead_s`` (default ``bottom_s``), then per rep:
    ascent, top pause, descent, bottom pause; the clip ends after the last
    descent and ``tail_s`` more at the bottom.

    ``depth[k]``/``top[k]`` set rep k's bottom/top progress (default 1 and 0):
    a partial lockout has ``top[k] > 0``. ``dips[k]`` inserts, after rep k's top
    pause, a dip of that progress (down and up in ``dip_s`` each, then another
    top pause) that is not a rep. ``down_s_by_rep``/``up_s_by_rep`` override the
    descent/ascent time of single reps.
    """
    depth = depth or {}
    top = top or {}
    dips = dips or {}
    down_by = down_s_by_rep or {}
    up_by = up_s_by_rep or {}
    # phase: (duration, p0, p1, bottom_rep, bw0, bw1, top_rep, tw0, tw1)
    phases: list[tuple[float, float, float, int, float, float, int, float, float]] = []
    reps: list[RepTruth] = []
    now = 0.0

    def add(
        dur: float, p0: float, p1: float, br: int, bw0: float, bw1: float, tr: int, tw0: float, tw1: float
    ) -> float:
        nonlocal now
        phases.append((dur, p0, p1, br, bw0, bw1, tr, tw0, tw1))
        t0 = now
        now += dur
        return t0

    d = lambda k: float(depth.get(k, 1.0))  # noqa: E731
    tp = lambda k: float(top.get(k, 0.0))  # noqa: E731
    if start == "top":
        add(top_s if lead_s is None else lead_s, 0.0, 0.0, 0, 0, 0, 0, 1, 1)
        for k in range(1, n_reps + 1):
            prev_top = tp(k - 1) if k > 1 else 0.0
            t_start = add(float(down_by.get(k, down_s)), prev_top, d(k), k, 0, 1, k - 1, 1, 0)
            tb0 = add(bottom_s, d(k), d(k), k, 1, 1, 0, 0, 0)
            tb1 = now
            add(float(up_by.get(k, up_s)), d(k), tp(k), k, 1, 0, k, 0, 1)
            t_lock = now
            add(top_s, tp(k), tp(k), 0, 0, 0, k, 1, 1)
            reps.append(RepTruth(k, t_start, tb0, tb1, t_lock, now))
            if k in dips:
                add(dip_s, tp(k), tp(k) + dips[k], 0, 0, 0, k, 1, 1)
                add(dip_s, tp(k) + dips[k], tp(k), 0, 0, 0, k, 1, 1)
                add(top_s, tp(k), tp(k), 0, 0, 0, k, 1, 1)
        if tail_s > 0:
            add(tail_s, tp(n_reps), tp(n_reps), 0, 0, 0, n_reps, 1, 1)
    elif start == "bottom":
        tb0 = add(bottom_s if lead_s is None else lead_s, d(1), d(1), 1, 1, 1, 0, 0, 0)
        tb1 = now
        t_start: float | None = None
        for k in range(1, n_reps + 1):
            add(float(up_by.get(k, up_s)), d(k), tp(k), k, 1, 0, k, 0, 1)
            t_lock = now
            add(top_s, tp(k), tp(k), 0, 0, 0, k, 1, 1)
            t_top_end = now
            reps.append(RepTruth(k, t_start, tb0, tb1, t_lock, t_top_end))
            if k in dips:
                add(dip_s, tp(k), tp(k) + dips[k], 0, 0, 0, k, 1, 1)
                add(dip_s, tp(k) + dips[k], tp(k), 0, 0, 0, k, 1, 1)
                add(top_s, tp(k), tp(k), 0, 0, 0, k, 1, 1)
            nxt = k + 1
            target = d(nxt) if nxt <= n_reps else d(k)
            t_start = add(float(down_by.get(nxt, down_s)), tp(k), target, nxt, 0, 1, k, 1, 0)
            tb0 = add(bottom_s if nxt <= n_reps else max(bottom_s, tail_s), target, target, nxt, 1, 1, 0, 0, 0)
            tb1 = now
    else:
        raise ValueError(f"start must be 'top' or 'bottom', not {start!r}")

    n = int(math.floor(now * fps + 1e-9)) + 1
    t = np.arange(n) / fps
    bounds = np.cumsum([0.0] + [ph[0] for ph in phases])
    idx = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, len(phases) - 1)
    arr = np.array([ph[1:] for ph in phases])
    dur = np.array([ph[0] for ph in phases])
    u = ease(np.where(dur[idx] > 0, (t - bounds[idx]) / np.maximum(dur[idx], 1e-12), 1.0))
    lerp = lambda a, b: a + (b - a) * u  # noqa: E731
    p = lerp(arr[idx, 0], arr[idx, 1])
    return Timeline(
        t=t,
        p=p,
        bottom_rep=arr[idx, 2].astype(int),
        bottom_w=lerp(arr[idx, 3], arr[idx, 4]),
        top_rep=arr[idx, 5].astype(int),
        top_w=lerp(arr[idx, 6], arr[idx, 7]),
        reps=reps,
    )


def hip_signal(
    n_reps: int = 3, fps: float = 30.0, top_deg: float = 175.0, bottom_deg: float = 95.0, **timeline_kwargs
) -> tuple[np.ndarray, np.ndarray, list[RepTruth]]:
    """A bare driver signal (hip angle, degrees) for ``formcheck.reps.segment_reps``.

    ``h = top_deg - (top_deg - bottom_deg) * p(t)`` with ``p`` from
    :func:`timeline` (same keyword arguments). Returns ``(t, h, reps)``.
    """
    tl = timeline(n_reps, fps, **timeline_kwargs)
    return tl.t, top_deg - (top_deg - bottom_deg) * tl.p, tl.reps


# --------------------------------------------------------------------------
# Small geometry helpers (independent of formcheck.geometry on purpose)
# --------------------------------------------------------------------------
def _unit(deg: np.ndarray) -> np.ndarray:
    r = np.radians(deg)
    return np.stack([np.cos(r), np.sin(r)], axis=-1)


def _dir(v: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(v[..., 1], v[..., 0]))


def _norm(v: np.ndarray) -> np.ndarray:
    return np.hypot(v[..., 0], v[..., 1])


def _circle_meet(c0: np.ndarray, r0: np.ndarray, c1: np.ndarray, r1: np.ndarray, left: bool) -> np.ndarray:
    """Intersection of two circles; ``left``: the one left of c0->c1 (counter-clockwise side)."""
    d_vec = c1 - c0
    d = _norm(d_vec)
    a = (r0**2 - r1**2 + d**2) / (2 * d)
    h = np.sqrt(np.clip(r0**2 - a**2, 0.0, None))
    e = d_vec / d[..., None]
    perp = np.stack([-e[..., 1], e[..., 0]], axis=-1)
    return c0 + a[..., None] * e + (1 if left else -1) * h[..., None] * perp


def _elbow(shoulder: np.ndarray, wrist: np.ndarray, upper: float, fore: float, prefer: np.ndarray) -> np.ndarray:
    """Elbow of a two-link arm from shoulder to wrist, bending towards ``prefer`` (a direction)."""
    left = _circle_meet(shoulder, np.full(len(shoulder), upper), wrist, np.full(len(shoulder), fore), True)
    right = _circle_meet(shoulder, np.full(len(shoulder), upper), wrist, np.full(len(shoulder), fore), False)
    mid = 0.5 * (shoulder + wrist)
    pick_left = np.sum((left - mid) * prefer, axis=-1) >= np.sum((right - mid) * prefer, axis=-1)
    return np.where(pick_left[:, None], left, right)


def _x_offset(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x of ``p`` minus x of the line a-b at p's height."""
    x_line = a[:, 0] + (b[:, 0] - a[:, 0]) * (p[:, 1] - a[:, 1]) / (b[:, 1] - a[:, 1])
    return p[:, 0] - x_line


def _wrist_on_leg_line(
    shoulder: np.ndarray, knee: np.ndarray, ankle: np.ndarray, offset_m: np.ndarray, reach: float
) -> np.ndarray:
    """Hands hanging from the shoulders onto the knee-ankle line (+ ``offset_m`` in front), at ``reach``.

    Solves for the point of the (shifted) knee-ankle line at distance ``reach``
    below the shoulder; when the line is out of reach the arm points at its
    nearest point.
    """
    m = (knee[:, 0] - ankle[:, 0]) / (knee[:, 1] - ankle[:, 1])
    c = ankle[:, 0] + offset_m - m * ankle[:, 1] - shoulder[:, 0]
    sy = shoulder[:, 1]
    qa = m**2 + 1
    qb = 2 * (c * m - sy)
    qc = c**2 + sy**2 - reach**2
    disc = qb**2 - 4 * qa * qc
    y_vertex = -qb / (2 * qa)
    y = np.where(disc >= 0, (-qb - np.sqrt(np.clip(disc, 0, None))) / (2 * qa), y_vertex)
    x = shoulder[:, 0] + c + m * y
    wrist = np.stack([x, y], axis=-1)
    far = disc < 0
    if np.any(far):
        v = wrist[far] - shoulder[far]
        wrist[far] = shoulder[far] + reach * v / _norm(v)[:, None]
    return wrist


# --------------------------------------------------------------------------
# Bodies (metres, y up, lifter facing +x, floor y = 0)
# --------------------------------------------------------------------------
def _head(shoulder: np.ndarray, torso_dir: np.ndarray, neck_flexion: np.ndarray, s: float) -> dict[str, np.ndarray]:
    """Ear, nose, eyes and mouth from the torso direction and the neck flexion (degrees)."""
    head_dir = torso_dir - neck_flexion
    gaze = _wrap(head_dir - HEAD_OFFSET_DEG)
    ear = shoulder + NECK * s * _unit(head_dir)
    g = _unit(gaze)
    up = _unit(head_dir)
    nose = ear + EAR_NOSE * s * g
    eye = ear + 0.7 * EAR_NOSE * s * g + 0.012 * s * up
    return {
        "ear": ear,
        "nose": nose,
        "eye": eye,
        "eye_inner": eye + 0.006 * s * g,
        "eye_outer": eye - 0.006 * s * g,
        "mouth": nose - 0.02 * s * up - 0.006 * s * g,
        "_gaze": gaze,
        "_head_dir": head_dir,
    }


def _feet(ankle: np.ndarray, s: float) -> dict[str, np.ndarray]:
    heel = ankle + np.array([-HEEL_BACK * s, -ANKLE_H * s])
    toe = ankle + np.array([TOE_FRONT * s, -ANKLE_H * s])
    return {"heel": heel, "toe": toe}


def _hands(elbow: np.ndarray, wrist: np.ndarray, s: float) -> dict[str, np.ndarray]:
    fore = wrist - elbow
    fore = fore / _norm(fore)[:, None]
    perp = np.stack([-fore[:, 1], fore[:, 0]], axis=-1)
    return {
        "pinky": wrist + HAND * s * fore - 0.01 * s * perp,
        "index": wrist + HAND * s * fore + 0.01 * s * perp,
        "thumb": wrist + 0.6 * HAND * s * fore + 0.02 * s * perp,
    }


def body_joints(
    ankle: np.ndarray,
    knee: np.ndarray,
    hip: np.ndarray,
    shoulder: np.ndarray,
    elbow: np.ndarray,
    wrist: np.ndarray,
    head: dict[str, np.ndarray],
    s: float,
) -> dict[str, np.ndarray]:
    """Every body point of a generated lifter: the limbs given, the feet and hands added, the head's points."""
    return {
        "ankle": ankle,
        "knee": knee,
        "hip": hip,
        "shoulder": shoulder,
        "elbow": elbow,
        "wrist": wrist,
        **_feet(ankle, s),
        **_hands(elbow, wrist, s),
        **{k: v for k, v in head.items() if not k.startswith("_")},
    }


def _upright(
    knee_flexion: np.ndarray,
    shin_forward: np.ndarray,
    torso_tilt: np.ndarray,
    neck_flexion: np.ndarray,
    trunk_scale: np.ndarray,
    s: float,
    arms: str = "legs",
    bar_offset_leg: np.ndarray | float = BAR_CLEARANCE_LEG,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """A standing-type body (RDL, squat, deadlift, standing) from its joint angles.

    ``knee_flexion``: 180 - knee angle; ``shin_forward``: shin tilt from vertical
    towards +x; the thigh leans back by ``knee_flexion - shin_forward``;
    ``torso_tilt``: hip->shoulder from vertical towards +x; ``trunk_scale``:
    hip-shoulder distance over the normal trunk (rounding < 1). ``arms``:
    ``"legs"`` hands hang onto the knee-ankle line plus ``bar_offset_leg`` leg
    lengths in front; ``"back"`` hands by the shoulders (back squat).
    Returns (joints, truth metrics).
    """
    n = len(knee_flexion)
    leg = (SHIN + THIGH) * s
    ankle = np.tile([0.0, ANKLE_H * s], (n, 1))
    thigh_back = knee_flexion - shin_forward
    knee = ankle + SHIN * s * np.stack([np.sin(np.radians(shin_forward)), np.cos(np.radians(shin_forward))], -1)
    hip = knee + THIGH * s * np.stack([-np.sin(np.radians(thigh_back)), np.cos(np.radians(thigh_back))], -1)
    trunk = TRUNK * s * trunk_scale
    shoulder = hip + trunk[:, None] * np.stack([np.sin(np.radians(torso_tilt)), np.cos(np.radians(torso_tilt))], -1)
    torso_dir = 90.0 - torso_tilt
    head = _head(shoulder, torso_dir, neck_flexion, s)
    reach = 0.97 * (UPPER_ARM + FOREARM) * s
    if arms == "legs":
        off = np.broadcast_to(np.asarray(bar_offset_leg, dtype=float), (n,)) * leg
        wrist = _wrist_on_leg_line(shoulder, knee, ankle, off, reach)
        elbow = _elbow(shoulder, wrist, UPPER_ARM * s, FOREARM * s, np.array([-1.0, 0.0]))
    else:
        wrist = shoulder + 0.08 * s * _unit(torso_dir + 150.0)  # hands on the bar behind the neck
        elbow = _elbow(shoulder, wrist, UPPER_ARM * s, FOREARM * s, np.array([0.0, -1.0]))
    joints = body_joints(ankle, knee, hip, shoulder, elbow, wrist, head, s)
    bend = thigh_back + torso_tilt
    truth = {
        "hip_deg": 180.0 - np.abs(bend),
        "hip_line_dev_deg": -bend,
        "knee_deg": 180.0 - np.abs(knee_flexion),
        "knee_flexion_deg": knee_flexion.astype(float),
        "torso_incline_deg": torso_tilt.astype(float),
        "neck_flexion_deg": neck_flexion.astype(float),
        "gaze_deg": head["_gaze"],
        "torso_length_ratio": np.asarray(trunk_scale, dtype=float) * np.ones(n),
        "bar_to_leg": _x_offset(wrist, knee, ankle) / leg,
        "hip_back": (ankle[:, 0] - hip[:, 0]) / leg,
    }
    return joints, truth


def _shin_for_hip_x(knee_flexion: np.ndarray, hip_x: np.ndarray, s: float) -> np.ndarray:
    """Shin tilt (deg forward) that puts the hip at ``hip_x`` (ankle at x=0) for the given knee flexion."""
    a, b = SHIN * s, THIGH * s
    phi = np.radians(knee_flexion)
    # x_hip = a sin(s) - b sin(phi - s) = R sin(s - psi)
    u = a + b * np.cos(phi)
    v = b * np.sin(phi)
    r = np.hypot(u, v)
    psi = np.arctan2(v, u)
    return np.degrees(psi + np.arcsin(np.clip(hip_x / r, -1, 1)))


# --------------------------------------------------------------------------
# Placing the body in the image
# --------------------------------------------------------------------------
_JOINT_LANDMARKS: dict[str, tuple[Landmark, Landmark]] = {
    **PAIRS,
    "eye_inner": (Landmark.LEFT_EYE_INNER, Landmark.RIGHT_EYE_INNER),
    "eye_outer": (Landmark.LEFT_EYE_OUTER, Landmark.RIGHT_EYE_OUTER),
    "mouth": (Landmark.MOUTH_LEFT, Landmark.MOUTH_RIGHT),
    "pinky": (Landmark.LEFT_PINKY, Landmark.RIGHT_PINKY),
    "index": (Landmark.LEFT_INDEX, Landmark.RIGHT_INDEX),
    "thumb": (Landmark.LEFT_THUMB, Landmark.RIGHT_THUMB),
}


def _render(
    joints: Mapping[str, np.ndarray],
    t: np.ndarray,
    *,
    name: str,
    facing: int,
    size: tuple[int, int],
    scale_px_per_m: float | None,
    far_offset_px: tuple[float, float],
    world: bool,
    stature_m: float,
    floor_frac: float = 0.92,
) -> PoseSequence:
    """Metres (y up, facing +x) -> a PoseSequence in a ``size`` image.

    ``joints`` maps a side-free joint name (``hip``, ``ear``...; see
    :data:`_JOINT_LANDMARKS`) or ``"nose"`` to (T, 2) points, used for both
    sides; ``"knee@left"`` style keys give one side its own points.
    """
    if facing not in (1, -1):
        raise ValueError("facing must be +1 or -1")
    width, height = size
    n = len(t)
    scale = scale_px_per_m or 0.75 * height / stature_m
    near, far = ("right", "left") if facing == 1 else ("left", "right")
    xs = np.concatenate([np.asarray(v)[:, 0] for v in joints.values()])
    x_mid = 0.5 * (np.nanmin(xs) + np.nanmax(xs))
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n, N_LANDMARKS))
    wld = np.full((n, N_LANDMARKS, 3), np.nan)
    hip_mid = 0.5 * (joints.get("hip@left", joints["hip"]) + joints.get("hip@right", joints["hip"]))

    def put(lm: Landmark, pts: np.ndarray, is_far: bool, z: float) -> None:
        px = width / 2 + facing * (pts[:, 0] - x_mid) * scale
        py = floor_frac * height - pts[:, 1] * scale
        if is_far:
            px = px + far_offset_px[0]
            py = py + far_offset_px[1]
        xy[:, lm, 0], xy[:, lm, 1] = px, py
        vis[:, lm] = FAR_VISIBILITY if is_far else NEAR_VISIBILITY
        wld[:, lm, 0] = facing * (pts[:, 0] - hip_mid[:, 0])
        wld[:, lm, 1] = -(pts[:, 1] - hip_mid[:, 1])
        wld[:, lm, 2] = z

    for joint, (left, right) in _JOINT_LANDMARKS.items():
        for side, lm in (("left", left), ("right", right)):
            pts = joints.get(f"{joint}@{side}", joints.get(joint))
            if pts is None:
                continue
            put(lm, np.asarray(pts, dtype=float), side == far, 0.1 if side == far else -0.1)
    put(Landmark.NOSE, np.asarray(joints["nose"], dtype=float), False, 0.0)
    fps = 1.0 / float(np.median(np.diff(t))) if n > 1 else 30.0
    meta = VideoMeta(
        path=f"synthetic_{name}.mp4", width=width, height=height, fps=fps, n_frames=n, duration_s=float(n / fps)
    )
    return PoseSequence(
        xy=xy,
        visibility=vis,
        t=t.astype(float),
        frame_index=np.arange(n),
        meta=meta,
        model="synthetic",
        world=wld if world else None,
    )


def _finish(seq: PoseSequence, noise_px: float, dropout, seed: int) -> PoseSequence:
    if noise_px:
        seq = add_noise(seq, noise_px, seed)
    if dropout:
        seq = add_gaps(seq, dropout)
    return seq


# --------------------------------------------------------------------------
# Lifts
# --------------------------------------------------------------------------
def rdl_set(
    n_reps: int = 3,
    fps: float = 30.0,
    eccentric_s: float = 2.0,
    concentric_s: float = 1.2,
    pause_s: float = 0.8,
    bottom_pause_s: float = 0.2,
    hinge_deg: float = 80.0,
    knee_start_deg: float = 15.0,
    knee_unlock_deg: float = 0.0,
    knee_unlock_at: float = 0.05,
    knee_drift_deg: Mapping[int, float] | None = None,
    bar_forward: Mapping[int, float] | None = None,
    neck_extension: Mapping[int, float] | None = None,
    rounding: Mapping[int, float] | None = None,
    hip_shift: float = 0.25,
    hip_shift_by_rep: Mapping[int, float] | None = None,
    eccentric_s_by_rep: Mapping[int, float] | None = None,
    depth: Mapping[int, float] | None = None,
    dips: Mapping[int, float] | None = None,
    start_at_top: bool = True,
    facing: int = 1,
    noise_px: float = 0.0,
    dropout: Iterable[tuple[float, float]] | None = None,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    far_offset_px: tuple[float, float] = (0.0, 0.0),
    stature_m: float = STATURE_M,
    scale_px_per_m: float | None = None,
) -> Synthetic:
    """A set of Romanian deadlifts.

    Standing (torso vertical, knees unlocked by ``knee_start_deg``) -> hip hinge:
    the hip angle falls by ``hinge_deg`` (true hip angle = standing value -
    ``hinge_deg * p``), the hips travel back by ``hip_shift`` leg lengths at full
    depth (the shins tilt back while the knee angle is held; 0 = the torso drops
    over static hips), the arms hang from the shoulders with the hands on the
    knee-ankle line ``BAR_CLEARANCE_LEG`` in front. The standing top is held
    ``pause_s`` first (``start_at_top``) and after every rep; the descent takes
    ``eccentric_s`` (``eccentric_s_by_rep`` per rep), the bottom pause
    ``bottom_pause_s``, the ascent ``concentric_s``. ``start_at_top=False`` opens
    the clip at the bottom of rep 1 (its descent not filmed).

    ``knee_unlock_deg`` more knee flexion is taken on over the first ``knee_unlock_at`` of every descent (of the
    hip angle's travel) and held, given back on the way up: a lifter who stands tall between reps and unlocks
    the knees as the hips start back (``knee_start_deg`` is then the standing knee).

    Per-rep faults (1-based rep -> amount, full at that rep's bottom):
    ``knee_drift_deg`` extra knee flexion; ``bar_forward`` hands further in front
    of the legs, leg lengths; ``neck_extension`` head tipped back from the
    standing neutral, degrees; ``rounding`` shoulder-hip distance ratio (0.8 =
    20 % shorter); ``hip_shift_by_rep`` replaces ``hip_shift``; ``depth`` a
    fraction of the full hinge; ``dips`` a non-rep dip of that many degrees of
    hinge after the rep.
    """
    tl = timeline(
        n_reps,
        fps,
        start="top" if start_at_top else "bottom",
        down_s=eccentric_s,
        up_s=concentric_s,
        bottom_s=bottom_pause_s,
        top_s=pause_s,
        down_s_by_rep=eccentric_s_by_rep,
        depth=depth,
        dips={k: v / hinge_deg for k, v in (dips or {}).items()},
    )
    s = stature_m
    leg = (SHIN + THIGH) * s
    p = tl.p
    knee = tl.per_rep(knee_drift_deg, "bottom", knee_start_deg) + knee_unlock_deg * np.clip(p / knee_unlock_at, 0, 1)
    shin0 = 0.4 * knee_start_deg
    hip_x0 = SHIN * s * math.sin(math.radians(shin0)) - THIGH * s * math.sin(math.radians(knee_start_deg - shin0))
    shift = np.array([(hip_shift_by_rep or {}).get(int(k), hip_shift) for k in tl.bottom_rep])
    hip_x = hip_x0 - shift * leg * p  # p = 0 at every rep boundary, so per-rep shifts stay continuous
    shin = _shin_for_hip_x(knee, hip_x, s)
    thigh_back = knee - shin
    hip_top = 180.0 - (knee_start_deg - shin0)
    hip_angle = hip_top - hinge_deg * p
    torso_tilt = 180.0 - hip_angle - thigh_back
    neck = STANDING_NECK_FLEXION_DEG - tl.per_rep(neck_extension, "bottom")
    trunk = 1.0 - tl.per_rep({k: 1.0 - v for k, v in (rounding or {}).items()}, "bottom")
    bar = BAR_CLEARANCE_LEG + tl.per_rep(bar_forward, "bottom")
    joints, truth = _upright(knee, shin, torso_tilt, neck, trunk, s, "legs", bar)
    seq = _render(
        joints,
        tl.t,
        name="rdl",
        facing=facing,
        size=size,
        scale_px_per_m=scale_px_per_m,
        far_offset_px=far_offset_px,
        world=world,
        stature_m=s,
    )
    return Synthetic(_finish(seq, noise_px, dropout, seed), truth, tl.reps, "rdl", facing, p)


def hip_thrust_set(
    n_reps: int = 3,
    fps: float = 30.0,
    bottom_hip_deg: float = HT_BOTTOM_HIP_DEG,
    top_hip_deg: float = 180.0,
    overextension: Mapping[int, float] | None = None,
    head_back: Mapping[int, float] | None = None,
    chin_tuck: Mapping[int, float] | None = None,
    top_knee_deg: float = 90.0,
    partial: Mapping[int, float] | None = None,
    bottom_hip_by_rep: Mapping[int, float] | None = None,
    start_at_bottom: bool = True,
    facing: int = 1,
    concentric_s: float = 1.0,
    eccentric_s: float = 1.5,
    top_pause_s: float = 0.8,
    bottom_pause_s: float = 0.5,
    top_gaze_deg: float = HT_TOP_GAZE_DEG,
    dips: Mapping[int, float] | None = None,
    noise_px: float = 0.0,
    dropout: Iterable[tuple[float, float]] | None = None,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    far_offset_px: tuple[float, float] = (0.0, 0.0),
    stature_m: float = STATURE_M,
    scale_px_per_m: float | None = None,
) -> Synthetic:
    """A set of barbell hip thrusts.

    Shoulders fixed on a bench, ankles fixed on the floor, the hips rise from a
    hip angle of ``bottom_hip_deg`` (hips below the shoulder-knee line) to
    ``top_hip_deg`` (180 = on the line); the knee moves as the closed chain
    shoulder-hip-knee-ankle dictates (where it cannot reach, the shoulders slide
    along the bench towards the feet). ``top_knee_deg`` is the knee angle at a
    full lockout (90 = vertical shins; the shoulder is level with the knee
    then). Timing: ``bottom_pause_s`` at the bottom (also the clip's opening
    hold when ``start_at_bottom``), ascent ``concentric_s``, ``top_pause_s`` at
    the top, descent ``eccentric_s``; the clip ends back at the bottom.

    The head is rigid with the torso, neck flexion constant (neutral), chosen so
    the gaze (ear->nose) is ``top_gaze_deg`` above horizontal at a clean top;
    at the bottom the torso is inclined so the gaze is lower by the torso
    rotation (about 20 deg above horizontal with the defaults: eyes on the wall).

    Per-rep faults (1-based rep -> amount, full during that rep's top pause):
    ``overextension`` hips this many degrees above the shoulder-knee line;
    ``head_back`` neck extended (head cranked back) by degrees; ``chin_tuck``
    neck flexed (chin to chest) by degrees; ``partial`` top hip angle of the rep
    (partial lockout); ``bottom_hip_by_rep`` that rep's bottom hip angle;
    ``dips`` a non-rep dip of that many degrees after the rep's top.
    """
    span = top_hip_deg - bottom_hip_deg
    top = {k: (top_hip_deg - v) / span for k, v in (partial or {}).items()}
    depth = {k: (top_hip_deg - v) / span for k, v in (bottom_hip_by_rep or {}).items()}
    tl = timeline(
        n_reps,
        fps,
        start="bottom" if start_at_bottom else "top",
        down_s=eccentric_s,
        up_s=concentric_s,
        bottom_s=bottom_pause_s,
        top_s=top_pause_s,
        depth=depth,
        top=top,
        dips={k: v / span for k, v in (dips or {}).items()},
    )
    s = stature_m
    n = len(tl.t)
    T, Th, Sh = TRUNK * s, THIGH * s, SHIN * s
    k_rad = math.radians(top_knee_deg)
    ankle = np.tile([0.0, ANKLE_H * s], (n, 1))
    knee_top = ankle[0] + np.array([Sh * math.cos(k_rad), Sh * math.sin(k_rad)])
    shoulder = np.tile(knee_top - np.array([T + Th, 0.0]), (n, 1))
    dev = -(180.0 - top_hip_deg) - span * tl.p + tl.per_rep(overextension, "top")
    interior = np.radians(180.0 - np.abs(dev))
    sk = np.sqrt(T**2 + Th**2 - 2 * T * Th * np.cos(interior))
    # When the feet are far out and the hips drop low the chain would have to straighten at the
    # knee: the shoulders then slide on the bench towards the feet (along the shoulder-ankle line)
    # so that the shoulder-knee-ankle angle never opens past 150 deg.
    sa = shoulder - ankle
    d_max = np.sqrt(sk**2 + Sh**2 + 2 * sk * Sh * math.cos(math.radians(30.0)))
    reach = np.minimum(1.0, d_max / _norm(sa))
    shoulder = ankle + sa * reach[:, None]
    knee = _circle_meet(shoulder, sk, ankle, np.full(n, Sh), left=True)
    u_sk = knee - shoulder
    alpha = np.degrees(np.arccos(np.clip((T**2 + sk**2 - Th**2) / (2 * T * sk), -1, 1)))
    hip = shoulder + T * _unit(_dir(u_sk) + np.where(dev > 0, alpha, -alpha))
    torso_dir = _dir(shoulder - hip)
    neck0 = 180.0 - HEAD_OFFSET_DEG - top_gaze_deg
    neck = neck0 + tl.per_rep(chin_tuck, "top") - tl.per_rep(head_back, "top")
    head = _head(shoulder, torso_dir, neck, s)
    wrist = hip + np.array([0.02 * s, 0.07 * s])
    elbow = _elbow(shoulder, wrist, UPPER_ARM * s, FOREARM * s, np.array([0.0, 1.0]))
    joints = body_joints(ankle, knee, hip, shoulder, elbow, wrist, head, s)
    leg = (SHIN + THIGH) * s
    hk, ka = hip - knee, ankle - knee
    knee_deg = np.abs(_wrap(_dir(ka) - _dir(hk)))
    truth = {
        "hip_deg": 180.0 - np.abs(dev),
        "hip_line_dev_deg": dev,
        "knee_deg": knee_deg,
        "neck_flexion_deg": neck,
        "gaze_deg": head["_gaze"],
        "torso_dir_deg": _wrap(torso_dir),
        "hip_height": (hip[:, 1] - ankle[:, 1]) / leg,
        "shoulder_height": (shoulder[:, 1] - ankle[:, 1]) / leg,
    }
    seq = _render(
        joints,
        tl.t,
        name="hip_thrust",
        facing=facing,
        size=size,
        scale_px_per_m=scale_px_per_m,
        far_offset_px=far_offset_px,
        world=world,
        stature_m=s,
    )
    return Synthetic(_finish(seq, noise_px, dropout, seed), truth, tl.reps, "hip_thrust", facing, tl.p)


def _wrap(a: np.ndarray) -> np.ndarray:
    """Degrees into (-180, 180]."""
    return -((-np.asarray(a, dtype=float) + 180.0) % 360.0 - 180.0)


def squat_set(
    n_reps: int = 3,
    fps: float = 30.0,
    knee_bottom_deg: float = 115.0,
    torso_bottom_deg: float = 40.0,
    knee_top_deg: float = 5.0,
    down_s: float = 1.5,
    up_s: float = 1.0,
    pause_s: float = 0.8,
    bottom_pause_s: float = 0.2,
    facing: int = 1,
    noise_px: float = 0.0,
    dropout: Iterable[tuple[float, float]] | None = None,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    far_offset_px: tuple[float, float] = (0.0, 0.0),
    stature_m: float = STATURE_M,
) -> Synthetic:
    """A set of back squats (a lift formcheck must recognise and not judge).

    Knee flexion goes from ``knee_top_deg`` to ``knee_bottom_deg`` (shins tilt
    forward by 35 % of it), the torso leans ``torso_bottom_deg`` from vertical
    at the bottom, hands by the shoulders (bar on the back). Starts standing.
    """
    tl = timeline(n_reps, fps, start="top", down_s=down_s, up_s=up_s, bottom_s=bottom_pause_s, top_s=pause_s)
    knee = knee_top_deg + (knee_bottom_deg - knee_top_deg) * tl.p
    shin = 0.35 * knee
    tilt = torso_bottom_deg * tl.p
    neck = np.full(len(tl.p), STANDING_NECK_FLEXION_DEG)
    joints, truth = _upright(knee, shin, tilt, neck, np.ones(len(tl.p)), stature_m, "back")
    seq = _render(
        joints,
        tl.t,
        name="squat",
        facing=facing,
        size=size,
        scale_px_per_m=None,
        far_offset_px=far_offset_px,
        world=world,
        stature_m=stature_m,
    )
    return Synthetic(_finish(seq, noise_px, dropout, seed), truth, tl.reps, "squat", facing, tl.p)


def deadlift_from_floor_set(
    n_reps: int = 3,
    fps: float = 30.0,
    knee_bottom_deg: float = 70.0,
    torso_bottom_deg: float = 60.0,
    knee_top_deg: float = 3.0,
    up_s: float = 1.2,
    down_s: float = 1.2,
    top_pause_s: float = 0.6,
    floor_pause_s: float = 0.8,
    facing: int = 1,
    noise_px: float = 0.0,
    dropout: Iterable[tuple[float, float]] | None = None,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    far_offset_px: tuple[float, float] = (0.0, 0.0),
    stature_m: float = STATURE_M,
) -> Synthetic:
    """Conventional deadlifts: every rep starts with the bar on the floor.

    The clip opens at the bottom (knee flexion ``knee_bottom_deg``, torso
    ``torso_bottom_deg`` from vertical, hands on the shins) held
    ``floor_pause_s``; each rep: pull ``up_s``, lockout ``top_pause_s``, lower
    ``down_s``, rest on the floor ``floor_pause_s``.
    """
    tl = timeline(n_reps, fps, start="bottom", down_s=down_s, up_s=up_s, bottom_s=floor_pause_s, top_s=top_pause_s)
    knee = knee_top_deg + (knee_bottom_deg - knee_top_deg) * tl.p
    shin = 0.35 * knee
    tilt = torso_bottom_deg * tl.p
    neck = np.full(len(tl.p), STANDING_NECK_FLEXION_DEG)
    joints, truth = _upright(knee, shin, tilt, neck, np.ones(len(tl.p)), stature_m, "legs")
    seq = _render(
        joints,
        tl.t,
        name="deadlift",
        facing=facing,
        size=size,
        scale_px_per_m=None,
        far_offset_px=far_offset_px,
        world=world,
        stature_m=stature_m,
    )
    return Synthetic(_finish(seq, noise_px, dropout, seed), truth, tl.reps, "deadlift", facing, tl.p)


def standing(
    duration_s: float = 3.0,
    fps: float = 30.0,
    knee_deg: float = 5.0,
    sway_deg: float = 0.0,
    facing: int = 1,
    noise_px: float = 0.0,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    far_offset_px: tuple[float, float] = (0.0, 0.0),
    stature_m: float = STATURE_M,
) -> Synthetic:
    """A static standing clip: no reps. ``sway_deg`` adds a slow (0.3 Hz) torso sway of that amplitude."""
    t = np.arange(int(round(duration_s * fps))) / fps
    n = len(t)
    knee = np.full(n, knee_deg)
    tilt = sway_deg * np.sin(2 * np.pi * 0.3 * t)
    joints, truth = _upright(knee, 0.4 * knee, tilt, np.full(n, STANDING_NECK_FLEXION_DEG), np.ones(n), stature_m)
    seq = _render(
        joints,
        t,
        name="standing",
        facing=facing,
        size=size,
        scale_px_per_m=None,
        far_offset_px=far_offset_px,
        world=world,
        stature_m=stature_m,
    )
    return Synthetic(_finish(seq, noise_px, None, seed), truth, [], "standing", facing, np.zeros(n))


def walking(
    duration_s: float = 4.0,
    fps: float = 30.0,
    speed_mps: float = 0.8,
    stride_hz: float = 0.9,
    thigh_swing_deg: float = 20.0,
    facing: int = 1,
    noise_px: float = 0.0,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    world: bool = False,
    stature_m: float = STATURE_M,
) -> Synthetic:
    """Walking across the frame: no lift, no reps.

    Each thigh swings ``thigh_swing_deg`` either side of vertical at
    ``stride_hz`` (legs half a cycle apart), the knee flexes 5-60 deg in swing,
    the torso stays upright, the body moves ``speed_mps`` towards where it faces.
    The two legs are really different here (far leg != near leg + offset).
    """
    s = stature_m
    t = np.arange(int(round(duration_s * fps))) / fps
    n = len(t)
    x0 = -0.5 * speed_mps * duration_s
    hip = np.stack([x0 + speed_mps * t, np.full(n, (ANKLE_H + SHIN + THIGH) * s * 0.98)], -1)
    joints: dict[str, np.ndarray] = {}
    for side, phase in (("left", 0.0), ("right", np.pi)):
        w = 2 * np.pi * stride_hz * t + phase
        thigh = thigh_swing_deg * np.sin(w)  # + = forward
        knee_flex = 5.0 + 27.5 * (1 - np.cos(w - 0.8)) * (np.sin(w - 0.8) > -0.2)
        knee = hip + THIGH * s * np.stack([np.sin(np.radians(thigh)), -np.cos(np.radians(thigh))], -1)
        shin_dir = thigh - knee_flex
        ankle = knee + SHIN * s * np.stack([np.sin(np.radians(shin_dir)), -np.cos(np.radians(shin_dir))], -1)
        arm = -15.0 * np.sin(w)
        shoulder = hip + np.array([0.0, TRUNK * s])
        elbow = shoulder + UPPER_ARM * s * np.stack([np.sin(np.radians(arm)), -np.cos(np.radians(arm))], -1)
        wrist = elbow + FOREARM * s * np.stack([np.sin(np.radians(arm + 10)), -np.cos(np.radians(arm + 10))], -1)
        for name, pts in {
            "hip": hip,
            "knee": knee,
            "ankle": ankle,
            "shoulder": shoulder,
            "elbow": elbow,
            "wrist": wrist,
            **_feet(ankle, s),
            **_hands(elbow, wrist, s),
        }.items():
            joints[f"{name}@{side}"] = pts
    joints["hip"], joints["shoulder"] = hip, hip + np.array([0.0, TRUNK * s])
    head = _head(joints["shoulder"], np.full(n, 90.0), np.full(n, STANDING_NECK_FLEXION_DEG), s)
    joints.update({k: v for k, v in head.items() if not k.startswith("_")})
    # side-free defaults for joints only given per side
    for name in ("knee", "ankle", "elbow", "wrist", "heel", "toe", "pinky", "index", "thumb"):
        joints[name] = joints[f"{name}@left"]
    seq = _render(
        joints,
        t,
        name="walking",
        facing=facing,
        size=size,
        scale_px_per_m=None,
        far_offset_px=(0.0, 0.0),
        world=world,
        stature_m=s,
    )
    return Synthetic(_finish(seq, noise_px, None, seed), {}, [], "walking", facing, np.zeros(n))


# --------------------------------------------------------------------------
# Degrading a sequence
# --------------------------------------------------------------------------
def add_noise(seq: PoseSequence, noise_px: float, seed: int = 0) -> PoseSequence:
    """Independent Gaussian pixel noise (standard deviation ``noise_px``) on every coordinate."""
    rng = np.random.default_rng(seed)
    return seq.replace(xy=seq.xy + rng.normal(0.0, noise_px, seq.xy.shape))


def _frames(seq: PoseSequence, start_s: float, duration_s: float) -> np.ndarray:
    t0 = seq.t[0]
    return (seq.t >= t0 + start_s - 1e-9) & (seq.t < t0 + start_s + duration_s - 1e-9)


def add_gaps(seq: PoseSequence, gaps: Iterable[tuple[float, float]]) -> PoseSequence:
    """Whole-pose dropouts: for each ``(start_s, duration_s)`` (from the first frame) the model saw nobody.

    Landmarks, visibility and world landmarks become NaN there (as formcheck's
    pose stage stores frames without a person); ``n_people`` becomes 0.
    """
    xy, vis = seq.xy.copy(), seq.visibility.copy()
    world = None if seq.world is None else seq.world.copy()
    people = seq.n_people.copy()
    for start, dur in gaps:
        f = _frames(seq, start, dur)
        xy[f] = np.nan
        vis[f] = np.nan
        people[f] = 0
        if world is not None:
            world[f] = np.nan
    return seq.replace(xy=xy, visibility=vis, world=world, n_people=people)


def hide(seq: PoseSequence, landmarks: Iterable[Landmark], t_range: tuple[float, float] | None = None) -> PoseSequence:
    """Make the given landmarks missing (NaN position and visibility), over ``(start_s, duration_s)`` or all frames."""
    xy, vis = seq.xy.copy(), seq.visibility.copy()
    f = np.ones(len(seq), bool) if t_range is None else _frames(seq, *t_range)
    for lm in landmarks:
        xy[f, int(lm)] = np.nan
        vis[f, int(lm)] = np.nan
    return seq.replace(xy=xy, visibility=vis)


def low_visibility(
    seq: PoseSequence, landmarks: Iterable[Landmark], value: float = 0.1, t_range: tuple[float, float] | None = None
) -> PoseSequence:
    """Keep the positions but set the visibility of ``landmarks`` to ``value`` (over ``t_range`` or all frames)."""
    vis = seq.visibility.copy()
    f = np.ones(len(seq), bool) if t_range is None else _frames(seq, *t_range)
    for lm in landmarks:
        vis[f, int(lm)] = value
    return seq.replace(visibility=vis)


def swap_sides(seq: PoseSequence) -> PoseSequence:
    """Relabel every left landmark as right and vice versa (``formcheck.landmarks.swap_table``)."""
    table = swap_table()
    return seq.replace(
        xy=seq.xy[:, table],
        visibility=seq.visibility[:, table],
        world=None if seq.world is None else seq.world[:, table],
    )


def mirror(seq: PoseSequence) -> PoseSequence:
    """Flip the image left-right (x -> width - x, the picture signature's 8 x 8 cells too); the lifter then faces the
    other way."""
    xy = seq.xy.copy()
    xy[..., 0] = seq.meta.width - xy[..., 0]
    world = None
    if seq.world is not None:
        world = seq.world.copy()
        world[..., 0] = -world[..., 0]
    signature = None
    if seq.picture_signature is not None:  # 8 x 8 grey cells, row by row
        signature = seq.picture_signature.reshape(-1, 8, 8)[:, :, ::-1].reshape(-1, 64).copy()
    return seq.replace(xy=xy, world=world, picture_signature=signature)


#: Picture change (grey levels) of a still shot and of the frame an edited clip cuts on.
STILL_CHANGE, CUT_CHANGE = 0.3, 40.0


def _picture_change(seq: PoseSequence) -> np.ndarray:
    return seq.frame_change if seq.frame_change is not None else np.full(len(seq), STILL_CHANGE)


def concat(a: PoseSequence, b: PoseSequence) -> PoseSequence:
    """``b`` appended to ``a`` one frame after a's end, like a hard cut in an edited video: the picture
    changes at once on b's first frame (as the pose stage records it)."""
    dt = float(np.median(np.diff(a.t))) if len(a) > 1 else 1 / 30
    change = np.concatenate([_picture_change(a), _picture_change(b)])
    change[len(a)] = CUT_CHANGE
    t = np.concatenate([a.t, b.t - b.t[0] + a.t[-1] + dt])
    world = None if a.world is None or b.world is None else np.concatenate([a.world, b.world])
    n = len(t)
    meta = VideoMeta(
        path=a.meta.path,
        width=a.meta.width,
        height=a.meta.height,
        fps=a.meta.fps,
        n_frames=n,
        duration_s=float(n / a.meta.fps),
    )
    return PoseSequence(
        xy=np.concatenate([a.xy, b.xy]),
        visibility=np.concatenate([a.visibility, b.visibility]),
        t=t,
        frame_index=np.arange(n),
        meta=meta,
        model=a.model,
        world=world,
        n_people=np.concatenate([a.n_people, b.n_people]),
        frame_change=change,
    )


def cut(syn: Synthetic, start_s: float | None = None, stop_s: float | None = None) -> PoseSequence:
    """Frames of ``syn`` with ``start_s <= t < stop_s`` (times re-based to start at 0)."""
    t = syn.seq.t
    keep = np.ones(len(t), bool)
    if start_s is not None:
        keep &= t >= start_s - 1e-9
    if stop_s is not None:
        keep &= t < stop_s - 1e-9
    idx = np.flatnonzero(keep)
    part = syn.seq.slice(int(idx[0]), int(idx[-1]) + 1)
    n = len(part)
    return part.replace(
        t=part.t - part.t[0],
        frame_index=np.arange(n),
        meta=VideoMeta(
            path=part.meta.path,
            width=part.meta.width,
            height=part.meta.height,
            fps=part.meta.fps,
            n_frames=n,
            duration_s=n / part.meta.fps,
        ),
    )


__all__ = [
    "RepTruth",
    "Synthetic",
    "Timeline",
    "timeline",
    "hip_signal",
    "ease",
    "rdl_set",
    "hip_thrust_set",
    "squat_set",
    "deadlift_from_floor_set",
    "standing",
    "walking",
    "add_noise",
    "add_gaps",
    "hide",
    "low_visibility",
    "swap_sides",
    "mirror",
    "concat",
    "cut",
]
