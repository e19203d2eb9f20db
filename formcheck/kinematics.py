"""The named metrics of the coaching brief, computed from cleaned landmarks.

Each metric is one row of :data:`METRICS`: a name with its unit in it, a
description (COACHING.md, "Measurements") and a function of the body points.
Body points are joints in a y-up frame mirrored so the lifter faces +x; each
two-sided joint is the visibility-weighted mean of the left and right
landmarks, which also makes the result immune to the model swapping sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import geometry as g
from .landmarks import PAIRS, Landmark
from .types import AngleSeries, PoseSequence

Points = dict[str, np.ndarray]

#: Weighting exponent on visibility when merging left and right.
SIDE_WEIGHT_POWER = 4.0


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    description: str
    compute: Callable[[Points, BodyScale], np.ndarray]
    #: The body points (keys of :func:`merged_points`) the metric is computed from: a rule reading it rests
    #: on their trust (:mod:`formcheck.trust`).
    joints: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyScale:
    """Per-clip lengths used to make distances relative to the lifter."""

    leg_px: float
    torso_px: float


def _torso_vec(p: Points) -> np.ndarray:
    return p["shoulder"] - p["hip"]


def _foot_px(p: Points) -> float:
    """The lifter's foot length (heel to toe) in pixels: the clip's median, NaN when the feet were never seen."""
    foot = g.distance(p["heel"], p["toe"])
    return float(np.nanmedian(foot)) if np.any(np.isfinite(foot)) else float("nan")


#: Percentile of a clip's knee-ankle screen lengths taken as the lifter's own shin (see :func:`_shin_length_ratio`).
SHIN_REFERENCE_PERCENTILE = 90.0


def _shin_length_ratio(p: Points) -> np.ndarray:
    """Knee-ankle distance over the lifter's own shin on screen: the clip's 90th percentile of it, NaN when the
    shin was never seen.

    A shin keeps its screen length as it tilts in a side view; what the model gets wrong shortens it (the ankle
    landmark sliding up the shin or onto the far ankle, the knee onto the far knee), and so does any turn out of
    the picture, so the long end of the clip's lengths is the lifter's shin, not the median (rendered thrusts:
    the clean top reads 2-7 % over the clip's median, docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the
    ankle')."""
    shin = g.distance(p["knee"], p["ankle"])
    if not np.any(np.isfinite(shin)):
        return shin
    return shin / float(np.nanpercentile(shin, SHIN_REFERENCE_PERCENTILE))


METRICS: tuple[Metric, ...] = (
    Metric(
        "hip_deg",
        "deg",
        "interior angle shoulder-hip-knee; 180 = straight",
        lambda p, s: g.interior_angle(p["shoulder"], p["hip"], p["knee"]),
        joints=("shoulder", "hip", "knee"),
    ),
    Metric(
        "hip_line_dev_deg",
        "deg",
        "signed angle of the hip off the shoulder-knee line; + = hip past the line on the belly side",
        lambda p, s: g.line_deviation(p["shoulder"], p["hip"], p["knee"]),
        joints=("shoulder", "hip", "knee"),
    ),
    Metric(
        "knee_deg",
        "deg",
        "interior angle hip-knee-ankle",
        lambda p, s: g.interior_angle(p["hip"], p["knee"], p["ankle"]),
        joints=("hip", "knee", "ankle"),
    ),
    Metric(
        "knee_flexion_deg",
        "deg",
        "180 - knee angle, signed: + = knee bent forward, - = hyperextended",
        lambda p, s: g.line_deviation(p["hip"], p["knee"], p["ankle"]),
        joints=("hip", "knee", "ankle"),
    ),
    Metric(
        "torso_incline_deg",
        "deg",
        "angle of hip->shoulder from vertical; + = leaning towards the facing direction",
        lambda p, s: np.degrees(np.arctan2(_torso_vec(p)[..., 0], _torso_vec(p)[..., 1])),
        joints=("shoulder", "hip"),
    ),
    Metric(
        "neck_flexion_deg",
        "deg",
        "signed angle torso axis (hip->shoulder) to head axis (shoulder->ear); + = flexion",
        lambda p, s: -g.signed_angle(_torso_vec(p), p["ear"] - p["shoulder"]),
        joints=("shoulder", "hip", "ear"),
    ),
    Metric(
        "gaze_deg",
        "deg",
        "elevation of ear->nose above the horizontal towards the facing direction; 90 = straight up",
        lambda p, s: g.direction(p["nose"] - p["ear"]),
        joints=("ear", "nose"),
    ),
    Metric(
        "torso_length_ratio",
        "ratio",
        "shoulder-hip distance over the lifter's own upright value",
        lambda p, s: g.distance(p["shoulder"], p["hip"]) / s.torso_px,
        joints=("shoulder", "hip"),
    ),
    Metric(
        "bar_to_leg",
        "leg",
        "horizontal wrist distance from the knee-ankle line over leg length; + = in front",
        lambda p, s: g.x_offset_from_line(p["wrist"], p["knee"], p["ankle"]) / s.leg_px,
        joints=("wrist", "knee", "ankle"),
    ),
    Metric(
        "shin_tilt_deg",
        "deg",
        "angle of ankle->knee from vertical; + = knee ahead of the ankle in the facing direction (COACHING.md §2)",
        lambda p, s: np.degrees(
            np.arctan2(p["knee"][..., 0] - p["ankle"][..., 0], p["knee"][..., 1] - p["ankle"][..., 1])
        ),
        joints=("knee", "ankle"),
    ),
    Metric(
        "shin_length_ratio",
        "ratio",
        "knee-ankle distance on screen over the lifter's own shin (the clip's 90th percentile); well under 1 where the "
        "ankle landmark leaves the shin (slides up it, or onto the far ankle), so the shin tilt of that frame is "
        "not the lifter's (docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle')",
        lambda p, s: _shin_length_ratio(p),
        joints=("knee", "ankle"),
    ),
    Metric(
        "hip_back",
        "leg",
        "horizontal distance of the hip behind the ankle over leg length",
        lambda p, s: (p["ankle"][..., 0] - p["hip"][..., 0]) / s.leg_px,
        joints=("hip", "ankle"),
    ),
    Metric(
        "wrist_height",
        "leg",
        "height of the wrist above the ankle over leg length",
        lambda p, s: (p["wrist"][..., 1] - p["ankle"][..., 1]) / s.leg_px,
        joints=("wrist", "ankle"),
    ),
    Metric(
        "shoulder_height",
        "leg",
        "height of the shoulder above the ankle over leg length",
        lambda p, s: (p["shoulder"][..., 1] - p["ankle"][..., 1]) / s.leg_px,
        joints=("shoulder", "ankle"),
    ),
    Metric(
        "wrist_level_torso",
        "torso",
        "height of the wrist (the bar) in the picture over the upright torso's length, y up, from no other point (the "
        "legs may be hidden behind plates): its changes time the bar's way down where the shoulders are not evidence "
        "(rdl.tempo). wrist_height moves with the ankle landmark, which jumps up onto the hands passing the shins in a "
        "fast descent (docs/ACCURACY.md 'The eccentric timed by the shoulders')",
        lambda p, s: p["wrist"][..., 1] / s.torso_px,
        joints=("wrist",),
    ),
    Metric(
        "shoulder_level_torso",
        "torso",
        "height of the shoulder in the picture over the upright torso's length, y up, from no other point: its changes "
        "time the way down (rdl.tempo; the bar hangs from the shoulders on straight arms)",
        lambda p, s: p["shoulder"][..., 1] / s.torso_px,
        joints=("shoulder",),
    ),
    Metric(
        "hip_height",
        "leg",
        "height of the hip above the ankle over leg length",
        lambda p, s: (p["hip"][..., 1] - p["ankle"][..., 1]) / s.leg_px,
        joints=("hip", "ankle"),
    ),
    Metric(
        "wrist_ahead_midfoot_foot",
        "foot",
        "horizontal wrist (bar) distance ahead of mid-foot (heel-toe midpoint) over the clip's median foot length; "
        "+ = towards the toes (COACHING.md §3, bar over mid-foot)",
        lambda p, s: (p["wrist"][..., 0] - 0.5 * (p["heel"][..., 0] + p["toe"][..., 0])) / _foot_px(p),
        joints=("wrist", "heel", "toe"),
    ),
    Metric(
        "wrist_above_knee_leg",
        "leg",
        "height of the wrist (bar) above the knee over leg length; crosses 0 when the bar passes the knees",
        lambda p, s: (p["wrist"][..., 1] - p["knee"][..., 1]) / s.leg_px,
        joints=("wrist", "knee"),
    ),
    Metric(
        "head_to_trunk_deg",
        "deg",
        "signed angle torso axis (hip->shoulder) to head axis (ear->nose); + = flexion (chin towards chest); "
        "does not slide with the arms as shoulder->ear does (COACHING.md rdl.neck, dl.neck)",
        lambda p, s: -g.signed_angle(_torso_vec(p), p["nose"] - p["ear"]),
        joints=("shoulder", "hip", "ear", "nose"),
    ),
)

METRIC_NAMES = tuple(m.name for m in METRICS)
#: The body points each metric is computed from (the ``joints`` column of :data:`METRICS`).
METRIC_JOINTS: dict[str, tuple[str, ...]] = {m.name: m.joints for m in METRICS}


def merged_points(seq: PoseSequence) -> Points:
    """Visibility-weighted left/right mean of every paired joint, plus the nose (pixels, y down)."""
    points: Points = {}
    for joint, (left, right) in PAIRS.items():
        pl, pr = seq.xy[:, left], seq.xy[:, right]
        wl = np.where(np.isnan(pl[:, 0]), 0.0, np.nan_to_num(seq.visibility[:, left]) ** SIDE_WEIGHT_POWER)
        wr = np.where(np.isnan(pr[:, 0]), 0.0, np.nan_to_num(seq.visibility[:, right]) ** SIDE_WEIGHT_POWER)
        total = wl + wr
        with np.errstate(invalid="ignore", divide="ignore"):
            merged = (np.nan_to_num(pl) * wl[:, None] + np.nan_to_num(pr) * wr[:, None]) / total[:, None]
        merged[total <= 0] = np.nan
        points[joint] = merged
    points["nose"] = seq.xy[:, Landmark.NOSE].copy()
    return points


#: The joints whose visibility tells the body side nearer the camera (:func:`dominant_side`).
MAIN_JOINTS = ("shoulder", "hip", "knee", "ankle", "ear")


def dominant_side(seq: PoseSequence, joints: tuple[str, ...] = MAIN_JOINTS) -> str:
    """The body side nearer the camera: higher mean visibility of its main ``joints``."""
    left = np.nanmean([np.nanmean(seq.visibility[:, PAIRS[j][0]]) for j in joints])
    right = np.nanmean([np.nanmean(seq.visibility[:, PAIRS[j][1]]) for j in joints])
    return "left" if (np.nan_to_num(left) >= np.nan_to_num(right)) else "right"


#: A foot "points" one way on a frame when toe and heel lie at least this many thigh lengths apart across the
#: picture: seen from the front, feet point at the camera and read near 0 either way.
FOOT_CLEAR_THIGH = 0.08
#: The feet decide the facing when at least this share of the frames with both feet points seen show a pointing foot...
FOOT_CLEAR_MIN_SHARE = 0.1
#: ...and those frames agree: the mean of their directions (+1 right, -1 left) is at least this far from 0 (0.5:
#: three in four one way). A clip filmed partly from the front and partly from the side (clip_032) has too few to say,
#: and a median over all its frames sat on the line (0.054 thigh lengths): losing a tenth of the frames at random
#: flipped the facing and lost four reps (docs/ACCURACY.md "Counting under the changes filming makes").
FOOT_VOTE_MIN = 0.5


def facing_direction(points: Points) -> int:
    """+1 when the lifter faces image +x (right), -1 when left; decided once per clip.

    Feet point where the lifter faces (standing or lying on a bench), so the frames whose foot clearly points one way
    (:data:`FOOT_CLEAR_THIGH`) vote, when there are enough of them and they agree; else the nose ahead of the ears
    decides; else the feet's median direction.
    """
    toe_heel = points["toe"][:, 0] - points["heel"][:, 0]
    thigh = _median_seen(g.distance(points["hip"], points["knee"]))
    seen = np.isfinite(toe_heel)
    if np.isfinite(thigh) and seen.any():
        with np.errstate(invalid="ignore"):
            clear = seen & (np.abs(toe_heel) > FOOT_CLEAR_THIGH * thigh)
        if clear.sum() >= FOOT_CLEAR_MIN_SHARE * seen.sum():
            vote = float(np.mean(np.sign(toe_heel[clear])))
            if abs(vote) >= FOOT_VOTE_MIN:
                return 1 if vote > 0 else -1
    nose = _median_seen(points["nose"][:, 0] - points["ear"][:, 0])
    if np.isfinite(nose) and nose != 0:
        return 1 if nose > 0 else -1
    feet = _median_seen(toe_heel)
    if np.isfinite(feet) and feet != 0:
        return 1 if feet > 0 else -1
    return 1


def _any(a: np.ndarray) -> bool:
    return bool(np.any(~np.isnan(a)))


def _median_seen(a: np.ndarray) -> float:
    """The median of the seen (finite) values of ``a``; NaN when none is seen (both points of a difference must be)."""
    return float(np.nanmedian(a)) if _any(a) else float("nan")


def body_scale(points_up: Points) -> BodyScale:
    """Leg length (thigh + shin) and upright torso length of the lifter, in pixels."""
    leg = g.distance(points_up["hip"], points_up["knee"]) + g.distance(points_up["knee"], points_up["ankle"])
    leg_px = float(np.nanmedian(leg)) if _any(leg) else np.nan
    torso = g.distance(points_up["shoulder"], points_up["hip"])
    hip = g.interior_angle(points_up["shoulder"], points_up["hip"], points_up["knee"])
    upright = torso[hip >= np.nanpercentile(hip, 80)] if _any(hip) else torso
    torso_px = (
        float(np.nanmedian(upright)) if _any(upright) else (float(np.nanmedian(torso)) if _any(torso) else np.nan)
    )
    return BodyScale(leg_px=leg_px or np.nan, torso_px=torso_px or np.nan)


def compute(seq: PoseSequence, facing: int | None = None) -> tuple[AngleSeries, BodyScale, Points]:
    """Every metric of :data:`METRICS` for each frame of a cleaned sequence.

    Returns the series, the body scale and the normalised body points (y up,
    lifter facing +x) that the view and lift detectors also use.
    """
    raw = merged_points(seq)
    facing = facing if facing is not None else facing_direction(raw)
    points = {name: g.face_positive_x(g.to_y_up(p), facing) for name, p in raw.items()}
    scale = body_scale(points)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.stack([m.compute(points, scale) for m in METRICS], axis=1)
    series = AngleSeries(
        t=seq.t, names=METRIC_NAMES, values=values, side=dominant_side(seq), facing=facing, frame_index=seq.frame_index
    )
    return series, scale, points


def hip_angle_3d(seq: PoseSequence) -> np.ndarray:
    """Mean left/right shoulder-hip-knee angle from the world landmarks (view independent)."""
    if seq.world is None:
        return np.full(len(seq), np.nan)
    w = seq.world

    def angle(a: int, b: int, c: int) -> np.ndarray:
        return g.angle_at(w[:, a], w[:, b], w[:, c])

    left = angle(Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_KNEE)
    right = angle(Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE)
    return 0.5 * (left + right)


def torso_incline_3d(seq: PoseSequence) -> np.ndarray:
    """Degrees of the hip->shoulder midpoint line from vertical in the world landmarks (their y axis points
    down, level with the camera's): what tells standing from lying or bent over where the 2D torso is seen
    end on (front and back views). NaN without world landmarks."""
    if seq.world is None:
        return np.full(len(seq), np.nan)
    w = seq.world
    hips = 0.5 * (w[:, Landmark.LEFT_HIP] + w[:, Landmark.RIGHT_HIP])
    shoulders = 0.5 * (w[:, Landmark.LEFT_SHOULDER] + w[:, Landmark.RIGHT_SHOULDER])
    up = shoulders - hips
    cos = -up[:, 1] / np.linalg.norm(up, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


#: Degrees of the front-view bridge driver per shoulder width of hip lift (see :func:`hip_lift_deg`).
HIP_LIFT_DEG_PER_SHOULDER_WIDTH = 120.0


def hip_lift_deg(seq: PoseSequence) -> np.ndarray:
    """Rep driver for a bridge or hip thrust filmed from the feet or the head: how high the hips are.

    Seen along the body, the 2D hip angle stays near 0 or 180 and the model's depth guess (the 3D
    angle) does not follow the hips; what a person watching sees is the pelvis rising in the
    picture. This is the hips' height in the image below their highest position, in shoulder widths
    (the body's size in that view), as degrees: ``180 - 120 x drop`` (a shoulder width of hip travel,
    about a full bridge, reads like 120 deg of hip angle), so that the rep counter's levels apply.
    Only reps are counted on it; no rule reads it.
    """
    hip_y = merged_points(seq)["hip"][:, 1]
    width = g.distance(seq.xy[:, Landmark.LEFT_SHOULDER], seq.xy[:, Landmark.RIGHT_SHOULDER])
    if not _any(hip_y) or not _any(width):
        return np.full(len(seq), np.nan)
    top = np.nanpercentile(hip_y, 5)
    return 180.0 - HIP_LIFT_DEG_PER_SHOULDER_WIDTH * (hip_y - top) / float(np.nanmedian(width))
