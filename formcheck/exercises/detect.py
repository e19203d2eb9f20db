"""Which lift and which camera view, each with a confidence.

Lift detection uses posture features that do not depend on the camera: 3D
joint angles from MediaPipe's world landmarks (metres, camera-aligned axes),
with the 2D angles as a fallback. The view comes from how much the body's
left-right axis turns towards the camera (its yaw). Thresholds live in
:class:`formcheck.config.DetectConfig`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..camera import measure_yaw, yaw_changes
from ..config import DetectConfig
from ..geometry import angle_at
from ..landmarks import PAIRS, Landmark, leg_length_px
from ..types import AngleSeries, Detection, PoseSequence
from . import get_lift
from .base import Lift, Rule

#: Degrees past a decision threshold that give about 73 % confidence (logistic scale).
CONFIDENCE_SCALE_DEG = 6.0
#: Leg lengths of ankle gap past the single-leg threshold that give about 73 % confidence.
SINGLE_LEG_CONFIDENCE_SCALE_LEG = 0.1
#: Torso lengths of hands-to-shoulders reach under the good-morning threshold that give about 73 % confidence.
GOOD_MORNING_CONFIDENCE_SCALE_TORSO = 0.1
#: The hip range test reads the top of the range at this percentile: a lifter who stands up out of
#: the top of the frame is seen extended in only a few frames before the tracker loses them.
RANGE_TOP_PERCENTILE = 99

#: Seconds at the start of a clip that tell how it opens (crouched over the bar or standing).
OPENING_S = 0.3
#: Floor start (COACHING.md §3 table), for hinges whose knees bend more than an RDL's 15-35 but less than
#: ``DetectConfig.deadlift_min_knee_flexion_deg`` (a stiff-leg deadlift): knee flexion at the bottom at least this...
FLOOR_START_MIN_KNEE_FLEXION_DEG = 35.0
#: ...the clip opening this low in its hip range (1 = at the bottom)...
FLOOR_START_MIN_LOW_FRACTION = 0.8
#: ...and the hands there within this many leg lengths of their height at the bottoms (the bar on the floor).
FLOOR_START_MAX_WRIST_LEG = 0.1

#: The shoulders' top and bottom frames (:func:`_shoulder_path`): within this share of their height range
#: from the highest or the lowest.
SHOULDER_END_SHARE = 0.1
#: Shares of the shoulders' height range past the standing-start cut that give about 73 % confidence (a hinge read
#: from its opening, as the shoulders draw it, when the bottom's joints are hidden).
OPENING_CONFIDENCE_SCALE = 0.1

#: Seen from behind, the model gives the nose low visibility.
BACK_MAX_NOSE_VISIBILITY = 0.3


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _mean_lr(arr: np.ndarray, joint: str) -> np.ndarray:
    left, right = PAIRS[joint]
    return 0.5 * (arr[:, left] + arr[:, right])


def _median(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def _nanpct(x: np.ndarray, q: float) -> float:
    x = x[np.isfinite(x)]
    return float(np.percentile(x, q)) if x.size else float("nan")


def _from_vertical(v: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Angle of each vector in ``v`` (frames x dims) from ``up``, degrees (0 = pointing up)."""
    return np.degrees(np.arccos(np.clip((v @ up) / np.linalg.norm(v, axis=-1), -1.0, 1.0)))


def _slope(y: np.ndarray, x: np.ndarray) -> float:
    """Least-squares slope of ``y`` on ``x`` over the frames where both are seen (NaN when ``x`` is still)."""
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    dx = x[ok] - x[ok].mean()
    var = float(dx @ dx)
    return float(dx @ (y[ok] - y[ok].mean()) / var) if var > 0 else float("nan")


def posture_features(seq: PoseSequence, series: AngleSeries) -> dict[str, float]:
    """Camera-independent posture numbers used to tell the lifts apart.

    ``body_line_top_deg``: the knee->shoulder line's angle from vertical at the top of the hip range (3D;
    about 0 standing, near 90 lying: a bridge or thrust at lockout). ``shoulder_rise_per_hip_rise``: how far
    the shoulders rise per unit the hips rise over the clip (2D heights, a least-squares slope: about 0 with
    the shoulders resting on a bench, box or the floor, about 1 or more when the whole body rises, as in a
    squat or a pull); only meaningful from the side or at an angle.
    """
    f: dict[str, float] = {}
    w = seq.world
    if w is not None and np.any(np.isfinite(w)):
        hip3 = 0.5 * (
            angle_at(w[:, Landmark.LEFT_SHOULDER], w[:, Landmark.LEFT_HIP], w[:, Landmark.LEFT_KNEE])
            + angle_at(w[:, Landmark.RIGHT_SHOULDER], w[:, Landmark.RIGHT_HIP], w[:, Landmark.RIGHT_KNEE])
        )
        knee_l = angle_at(w[:, Landmark.LEFT_HIP], w[:, Landmark.LEFT_KNEE], w[:, Landmark.LEFT_ANKLE])
        knee_r = angle_at(w[:, Landmark.RIGHT_HIP], w[:, Landmark.RIGHT_KNEE], w[:, Landmark.RIGHT_ANKLE])
        knee3 = 0.5 * (knee_l + knee_r)
        torso = _mean_lr(w, "shoulder") - _mean_lr(w, "hip")
        up = np.array([0.0, -1.0, 0.0])
        torso_vert = np.degrees(np.arccos(np.clip((torso @ up) / np.linalg.norm(torso, axis=-1), -1, 1)))
        body_line_vert = _from_vertical(_mean_lr(w, "shoulder") - _mean_lr(w, "knee"), up)
    else:
        hip3 = series["hip_deg"]
        knee3 = 180.0 - np.abs(series["knee_flexion_deg"])
        knee_l = knee_r = knee3
        torso_vert = np.abs(series["torso_incline_deg"])
        # image y points down: "up" is -y
        body_line_vert = _from_vertical(_mean_lr(seq.xy, "shoulder") - _mean_lr(seq.xy, "knee"), np.array([0.0, -1.0]))
    f["hip_top_deg"] = _nanpct(hip3, 95)
    f["hip_max_deg"] = _nanpct(hip3, RANGE_TOP_PERCENTILE)
    f["hip_bottom_deg"] = _nanpct(hip3, 5)
    ext = hip3 >= f["hip_top_deg"] - 10 if np.isfinite(f["hip_top_deg"]) else np.zeros(len(hip3), bool)
    flex = hip3 <= f["hip_bottom_deg"] + 10 if np.isfinite(f["hip_bottom_deg"]) else np.zeros(len(hip3), bool)
    f["torso_vert_top_deg"] = _median(torso_vert[ext])
    f["torso_vert_bottom_deg"] = _median(torso_vert[flex])
    f["body_line_top_deg"] = _median(body_line_vert[ext])
    f["knee_flex_bottom_deg"] = 180.0 - _median(knee3[flex])
    f["knee_flex_max_deg"] = 180 - _nanpct(knee3, 3)
    f["knee_asym_deg"] = _nanpct(np.abs(knee_l - knee_r), 90)
    f["ankle_gap_bottom_leg"] = _median(_ankle_gap_leg(seq.xy)[flex])
    above_ankles = _heights_above_ankles(seq.xy)
    sh = above_ankles["shoulder"]
    f["shoulder_height_top"] = _median(sh[ext])
    f["wrist_height_bottom"] = _median(series["wrist_height"][flex])
    f["shoulder_height_max"] = _nanpct(sh, 95)
    f["shoulder_rise_per_hip_rise"] = _slope(sh, above_ankles["hip"])
    f["wrist_shoulder_torso"] = _hands_reach_torso(seq)
    f.update(_opening(seq.t, hip3, series["wrist_height"], f))
    f.update(_bottom_bones(seq.xy, ext, flex))
    f.update(_shoulder_path(seq.t, seq.xy, series.facing))
    return f


def _heights_above_ankles(xy: np.ndarray) -> dict[str, np.ndarray]:
    """Per frame, the shoulders' and the hips' height on screen above the ankles (2D, the two sides' mid-points), in
    the lifter's leg length as the longer side draws it (:func:`formcheck.landmarks.leg_length_px`): the heights the
    bridge tests read (:func:`decide_lift`; side or oblique views).

    The kinematics' ``shoulder_height`` divides by the leg of the two sides' mean points. Where the model draws the
    near knee and ankle on the plate beside the hips (a thrust filmed off the side), that mean leg reads short and
    the heights long: a rendered hip thrust's shoulders read 1.23 leg lengths up, "the lifter stood", and it was named
    a squat (docs/ACCURACY.md "A leg drawn on the plate is not the lifter's leg"). The longer side is the leg the
    model did not fold onto the plate.
    """
    ankles = _mean_lr(xy, "ankle")[:, 1]  # image y points down
    leg = leg_length_px(xy)
    out = {}
    for joint in ("shoulder", "hip"):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[joint] = (ankles - _mean_lr(xy, joint)[:, 1]) / leg
    return out


def _hands_reach_torso(seq: PoseSequence) -> float:
    """How far the hands are from the shoulders over the clip, in torso lengths (hip to shoulder), medians of both:
    about the arm's length (1.0-1.7 on the labelled hinges) when the bar hangs from the hands, a fraction of it when
    they hold a bar on the upper back (a good morning, a back squat). Lengths on screen: any view."""
    from ..kinematics import merged_points

    p = merged_points(seq)
    torso = _median(np.linalg.norm(p["shoulder"] - p["hip"], axis=-1))
    reach = _median(np.linalg.norm(p["wrist"] - p["shoulder"], axis=-1))
    return reach / torso if torso > 0 else float("nan")


def _bottom_bones(xy: np.ndarray, ext: np.ndarray, flex: np.ndarray) -> dict[str, float]:
    """How long the thigh and shin look on screen at the bottoms against the top (2D, the two sides' mid-points).

    Filmed from the side a bone keeps its screen length whatever the lift does with it; a thigh or shin that
    shrinks to a fraction of its standing length is not the lifter's: a plate in front of the legs, and the
    model puts the hips on the bar or the knee near the ankle (docs/ACCURACY.md "Plated lifters: lift and reps").
    ``thigh_bottom_ratio`` and ``shin_bottom_ratio``: median length over the bottom frames / over the top frames.
    """
    hip, knee, ankle = _mean_lr(xy, "hip"), _mean_lr(xy, "knee"), _mean_lr(xy, "ankle")
    out = {}
    for name, a, b in (("thigh_bottom_ratio", hip, knee), ("shin_bottom_ratio", knee, ankle)):
        length = np.linalg.norm(a - b, axis=-1)
        top = _median(length[ext])
        out[name] = _median(length[flex]) / top if top > 0 else float("nan")
    return out


def _shoulder_path(t: np.ndarray, xy: np.ndarray, facing: int) -> dict[str, float]:
    """The lift as the shoulders, which no plate hides, draw it on screen (2D, leg lengths; heights and forward
    mean that from the side or at an angle). Top and bottom are the frames within ``SHOULDER_END_SHARE`` of the
    shoulders' height range from their highest or their lowest.

    ``shoulder_forward_leg``: how far the shoulders travel forward (the facing direction) from top to bottom: a
    hinge tips the trunk over the feet (rendered RDLs 0.20-0.53), a squat sinks over them (labelled squats
    -0.16..+0.08). ``hip_forward_leg``: the same for the hips, which go back in a hinge or a squat (labelled side
    and oblique hinges whose shoulders travel 0.2 L or more: -0.37..-0.05); hips read forward at the bottom of a hinge are not the lifter's (the model
    put them on the bar: docs/ACCURACY.md "Plated lifters: lift and reps"). How the clip opens, as
    :func:`_opening` reads it from the hip angle: ``shoulder_start_low_fraction``, where the shoulders sit in
    their range over the first ``OPENING_S`` seconds they are seen (0 = top), and
    ``wrist_start_above_shoulder_bottom_leg``, the wrists' height there above their height at the bottom frames.
    """
    names = (
        "shoulder_forward_leg",
        "hip_forward_leg",
        "shoulder_start_low_fraction",
        "wrist_start_above_shoulder_bottom_leg",
    )
    out = dict.fromkeys(names, float("nan"))
    sh, hip, wrist = _mean_lr(xy, "shoulder"), _mean_lr(xy, "hip"), _mean_lr(xy, "wrist")
    y = sh[:, 1]  # image y points down
    hi, lo = _nanpct(y, 5), _nanpct(y, 95)
    leg = leg_length_px(xy)
    if not (np.isfinite(hi) and np.isfinite(lo) and lo > hi and leg > 0):
        return out
    band = SHOULDER_END_SHARE * (lo - hi)
    with np.errstate(invalid="ignore"):
        top, bottom = y <= hi + band, y >= lo - band
    sign = float(np.sign(facing)) / leg
    seen = np.flatnonzero(np.isfinite(y))
    first = (t >= t[seen[0]]) & (t <= t[seen[0]] + OPENING_S)
    out["shoulder_forward_leg"] = (_median(sh[bottom, 0]) - _median(sh[top, 0])) * sign
    out["hip_forward_leg"] = (_median(hip[bottom, 0]) - _median(hip[top, 0])) * sign
    out["shoulder_start_low_fraction"] = (_median(y[first]) - hi) / (lo - hi)
    out["wrist_start_above_shoulder_bottom_leg"] = (_median(wrist[bottom, 1]) - _median(wrist[first, 1])) / leg
    return out


def _ankle_gap_leg(xy: np.ndarray) -> np.ndarray:
    """Per frame, how much further apart the ankles are on screen than the hips, in leg lengths (2D).

    Feet side by side show about the hips' own separation whatever the camera angle (side or oblique
    views: -0.15 to +0.28 on the labelled two-leg hinges); a leg raised behind (single-leg RDL) or a long
    split stance (B-stance) puts the ankles 0.8-1.1 leg lengths further apart than the hips.
    """
    ankles = np.linalg.norm(xy[:, Landmark.LEFT_ANKLE] - xy[:, Landmark.RIGHT_ANKLE], axis=-1)
    hips = np.linalg.norm(xy[:, Landmark.LEFT_HIP] - xy[:, Landmark.RIGHT_HIP], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap: np.ndarray = (ankles - hips) / leg_length_px(xy)
    return gap


def _opening(t: np.ndarray, hip: np.ndarray, wrist: np.ndarray, f: dict[str, float]) -> dict[str, float]:
    """How the clip opens (COACHING.md §3: a deadlift clip opens crouched over the bar, an RDL clip standing).

    ``start_low_fraction``: where the hip angle sits in its range over the first ``OPENING_S`` seconds
    the lifter is seen (0 = at the top, 1 = at the bottom); ``wrist_start_above_bottom_leg``: the wrists'
    height there above their height at the bottoms (leg lengths; about 0 with the bar on the floor).
    """
    seen = np.flatnonzero(np.isfinite(hip))
    if seen.size == 0:
        return {"start_low_fraction": float("nan"), "wrist_start_above_bottom_leg": float("nan")}
    first = (t >= t[seen[0]]) & (t <= t[seen[0]] + OPENING_S)
    span = f["hip_top_deg"] - f["hip_bottom_deg"]
    low = (f["hip_top_deg"] - _median(hip[first])) / span if span > 0 else float("nan")
    return {
        "start_low_fraction": float(low),
        "wrist_start_above_bottom_leg": _median(wrist[first]) - f["wrist_height_bottom"],
    }


def opens_standing(low_fraction: float, wrist_above_bottom_leg: float, config: DetectConfig) -> bool:
    """Whether a hinge clip opens standing with the bar in the hands, as an RDL set does (COACHING.md §3; a deadlift
    clip opens crouched over the bar): the driver starts within ``rdl_standing_start_max_low_fraction`` of its top,
    and the hands at least ``rdl_standing_start_min_wrist_leg`` above their height at the bottoms (heights on
    screen, so from any view), or not seen (big plates hide them from the side)."""
    return bool(
        low_fraction <= config.rdl_standing_start_max_low_fraction
        and (
            wrist_above_bottom_leg >= config.rdl_standing_start_min_wrist_leg or not np.isfinite(wrist_above_bottom_leg)
        )
    )


def decide_lift(
    features: dict[str, float], config: DetectConfig, side_view: bool = True, off_side_deg: float = 0.0
) -> Detection:
    """The lift the posture features read as, taken at face value (a decision tree); the confidence is the
    margin of the deciding test. :func:`classify_lift` weighs it against the features' measurement scatter.

    ``side_view``: some shot of the clip is filmed from the side or at an angle, so heights on screen
    mean heights (recorded in the detection's detail). ``off_side_deg``: the camera angle off the side of the
    shot nearest the side; further off, the stance width shows as an ankle gap and the single-leg test asks for
    more (``single_leg_stance_leg``).
    """
    f = {**features, "side_view": float(side_view)}
    rom = f.get("hip_max_deg", f["hip_top_deg"]) - f["hip_bottom_deg"]
    if not np.isfinite(rom):
        return Detection("other", 0.3, f)
    torso_top = f["torso_vert_top_deg"]
    # Bridge/thrust: hips extend while the torso lies near horizontal, and the lifter never stands up
    # (a deadlift seen only in its set-up and early pull also has the hips opening with the torso tipped).
    # (2D heights only mean that from the side: seen from the feet the legs are foreshortened)
    # A tall box puts the shoulders of a hip thrust as high as a crouched deadlift's: that height does not
    # mean standing when the body lies at the top (camera-independent, 3D) and the shoulders stay on the
    # support while the hips rise and fall (the slope of two heights: side or oblique view, as ``stands``).
    rise = f.get("shoulder_rise_per_hip_rise", np.nan)
    on_support = (
        f.get("shoulder_height_max", np.nan) < config.bridge_support_max_shoulder_height
        and f.get("body_line_top_deg", np.nan) >= config.bridge_lying_min_body_line_deg
        and abs(rise) <= config.bridge_support_max_shoulder_rise_ratio
    )
    stands = side_view and f.get("shoulder_height_max", np.nan) >= config.bridge_max_shoulder_height and not on_support
    if np.isfinite(torso_top) and torso_top > config.bridge_min_torso_deg and not stands:
        conf = _sigmoid((torso_top - config.bridge_min_torso_deg) / CONFIDENCE_SCALE_DEG)
        shoulders = f.get("shoulder_height_top", np.nan)
        on_floor = np.isfinite(shoulders) and shoulders < config.glute_bridge_max_shoulder_height
        return Detection("glute_bridge" if on_floor else "hip_thrust", round(conf, 2), f)
    if rom < config.min_hip_range_deg:
        return Detection("other", round(_sigmoid((config.min_hip_range_deg - rom) / CONFIDENCE_SCALE_DEG), 2), f)
    knee = f["knee_flex_bottom_deg"]
    torso_bottom = f["torso_vert_bottom_deg"]
    # A plate in front of the legs (from the side): the bottom's hip or knee is a guess, so its angles say nothing;
    # the shoulders, which no plate hides, tell a hinge, and its opening which hinge (COACHING.md §3 table).
    f["bottom_hidden"] = float(bottom_hidden(f, config, side_view, off_side_deg))
    hidden_hinge = hinge_bottom_hidden(f, config, side_view, off_side_deg)
    if (
        not hidden_hinge
        and knee >= config.squat_min_knee_flexion_deg
        and torso_bottom <= config.squat_max_torso_incline_deg
    ):
        conf = _sigmoid(
            min(knee - config.squat_min_knee_flexion_deg, config.squat_max_torso_incline_deg - torso_bottom)
            / CONFIDENCE_SCALE_DEG
        )
        return Detection("squat", round(conf, 2), f)
    if not hidden_hinge and torso_bottom < config.hinge_min_torso_deg:
        return Detection(
            "other", round(_sigmoid((config.hinge_min_torso_deg - torso_bottom) / CONFIDENCE_SCALE_DEG), 2), f
        )
    reach = f.get("wrist_shoulder_torso", np.nan)
    if reach < config.good_morning_max_reach_torso:
        # a hinge with the hands at the shoulders throughout: the bar rides on the upper back (COACHING.md §1: "a good
        # morning has the bar on the upper back with the same hinge ... not an RDL")
        margin = (config.good_morning_max_reach_torso - reach) / GOOD_MORNING_CONFIDENCE_SCALE_TORSO
        return Detection("good_morning", round(_sigmoid(margin), 2), f)
    gap = f.get("ankle_gap_bottom_leg", np.nan)
    stance = config.single_leg_stance_leg * abs(np.sin(np.radians(off_side_deg))) if np.isfinite(off_side_deg) else 0.0
    if side_view and gap >= config.single_leg_min_ankle_gap_leg + stance:
        # one leg behind the other at the bottom: a single-leg (or B-stance) RDL, not a two-leg hinge
        conf = _sigmoid((gap - config.single_leg_min_ankle_gap_leg) / SINGLE_LEG_CONFIDENCE_SCALE_LEG)
        return Detection("single_leg_rdl", round(conf, 2), f)
    low, wrist = f.get("start_low_fraction", np.nan), f.get("wrist_start_above_bottom_leg", np.nan)
    # The hands' height is the evidence when they are seen; big plates hide them from the side while the bar
    # hangs at the thighs (rendered 45 cm plates), and then the hips near their top decide alone. Heights on screen:
    # read from the front as from the side (clip_012, a front-view RDL, read "unknown: RDL or deadlift" without it).
    standing_start = opens_standing(low, wrist, config)
    if hidden_hinge:
        # the hip angle is a guess at the bottom, so is where the clip opens in its range: the shoulders tell
        low = f.get("shoulder_start_low_fraction", np.nan)
        wrist = f.get("wrist_start_above_shoulder_bottom_leg", np.nan)
        standing = opens_standing(low, wrist, config)
        margin = (config.rdl_standing_start_max_low_fraction - low) / OPENING_CONFIDENCE_SCALE
        conf = round(_sigmoid(margin if standing else -margin), 2) if np.isfinite(margin) else 0.5
        return Detection("rdl" if standing else "deadlift", conf, f)
    if config.deadlift_min_knee_flexion_deg <= knee < config.rdl_standing_start_max_knee_deg and standing_start:
        # down from standing with the knees bending too much: an RDL done as a squat-hinge hybrid
        margin = config.rdl_standing_start_max_knee_deg - knee
        return Detection("rdl", round(_sigmoid(margin / CONFIDENCE_SCALE_DEG), 2), f)
    if knee >= config.deadlift_min_knee_flexion_deg:
        return Detection(
            "deadlift", round(_sigmoid((knee - config.deadlift_min_knee_flexion_deg) / CONFIDENCE_SCALE_DEG), 2), f
        )
    # Knees between the RDL's range and a deadlift's: a clip that opens crouched with the hands already
    # at the bottoms' height pulls from the floor with RDL-like knees, a stiff-leg deadlift (COACHING.md §3).
    if (
        knee >= FLOOR_START_MIN_KNEE_FLEXION_DEG
        and low >= FLOOR_START_MIN_LOW_FRACTION
        and abs(wrist) <= FLOOR_START_MAX_WRIST_LEG
    ):
        margin = min(knee - FLOOR_START_MIN_KNEE_FLEXION_DEG, config.deadlift_min_knee_flexion_deg - knee)
        return Detection("stiff_leg_deadlift", round(_sigmoid(margin / CONFIDENCE_SCALE_DEG), 2), f)
    return Detection("rdl", round(_sigmoid((config.deadlift_min_knee_flexion_deg - knee) / CONFIDENCE_SCALE_DEG), 2), f)


def bottom_hidden(features: dict[str, float], config: DetectConfig, side_view: bool, off_side_deg: float) -> bool:
    """The bottom's hip or knee is not the lifter's, filmed in the side class (at most ``90 - side_min_yaw_deg``
    off the side, where a bone keeps its screen length and forward means forward): the thigh or shin shrinks at
    the bottoms below ``bottom_min_bone_ratio`` of its length at the top (:func:`_bottom_bones`), or the hips
    go forward (more than ``hinge_max_hip_forward_leg``) while the shoulders go down and forward as in a hinge
    (:func:`_shoulder_path`)."""
    if not side_view or not np.isfinite(off_side_deg) or abs(off_side_deg) > 90.0 - config.side_min_yaw_deg:
        return False
    ratios = (features.get("thigh_bottom_ratio", np.nan), features.get("shin_bottom_ratio", np.nan))
    if any(np.isfinite(r) and r < config.bottom_min_bone_ratio for r in ratios):
        return True
    return bool(
        features.get("shoulder_forward_leg", np.nan) >= config.hinge_min_shoulder_forward_leg
        and features.get("hip_forward_leg", np.nan) > config.hinge_max_hip_forward_leg
    )


def hinge_bottom_hidden(features: dict[str, float], config: DetectConfig, side_view: bool, off_side_deg: float) -> bool:
    """A hinge whose bottom the plates hide (:func:`bottom_hidden`) and whose shoulders travel forward at least
    ``hinge_min_shoulder_forward_leg`` (the trunk tips over the feet): its lift is read from the shoulders and the
    opening (:func:`decide_lift`), its reps counted on the shoulders (:mod:`formcheck.counting`)."""
    return bottom_hidden(features, config, side_view, off_side_deg) and bool(
        features.get("shoulder_forward_leg", np.nan) >= config.hinge_min_shoulder_forward_leg
    )


#: Posture angles the lift tests read, grouped by the reading they come from, each group drawn with one error
#: (:func:`lift_probabilities`). The hip angle's readings share one: the tests read only its range over the clip,
#: in which an error common to the series (an offset, most of a joint angle's scatter between people) cancels.
JOINT_READINGS: tuple[tuple[str, ...], ...] = (
    ("hip_top_deg", "hip_max_deg", "hip_bottom_deg"),
    ("knee_flex_bottom_deg",),
)
#: ...and the segments' angles from vertical (one segment, not two: ``lift_segment_sd_share`` of a joint's scatter).
SEGMENT_READINGS: tuple[tuple[str, ...], ...] = (
    ("torso_vert_top_deg",),
    ("torso_vert_bottom_deg",),
    ("body_line_top_deg",),
)
#: Draws of the measurement errors per clip (the share of a lift is known to about ±1.5 %).
LIFT_DRAWS = 1000
#: A fixed seed: the same clip gets the same guesses every time.
LIFT_DRAW_SEED = 15
#: The lift's name when no guess is clearly ahead (:func:`classify_lift`).
UNKNOWN_LIFT = "unknown"


def angle_sd_deg(config: DetectConfig, off_side_deg: float) -> float:
    """The measured scatter (one SD) of a joint angle read filmed ``off_side_deg`` off the side: the side-view
    figure up to the camera angles where angles change little, the off-side figure from ``lift_angle_sd_off_side_from_deg``
    on, linear between (COACHING.md §5)."""
    near, far = config.lift_angle_sd_side_deg, config.lift_angle_sd_off_side_deg
    if not np.isfinite(off_side_deg):
        return far
    lo, hi = config.lift_angle_sd_side_up_to_deg, config.lift_angle_sd_off_side_from_deg
    share = float(np.clip((abs(off_side_deg) - lo) / max(hi - lo, 1e-6), 0.0, 1.0))
    return near + share * (far - near)


def lift_probabilities(
    features: dict[str, float], config: DetectConfig, side_view: bool = True, off_side_deg: float = 0.0
) -> dict[str, float]:
    """How often each lift is read when the posture angles are off by their measured scatter: the angles are
    drawn ``LIFT_DRAWS`` times about their readings (normal, SD :func:`angle_sd_deg` for a joint angle, a share of
    it for a segment's angle from vertical) and each draw goes through
    :func:`decide_lift`; the other features (heights, fractions, gaps: no measured scatter) are taken as read.
    A clip whose knees bend near the RDL/deadlift cut gets both lifts, in proportion to how far past the cut
    the reading lies against the knee angle's scatter. Lift id -> share, most likely first."""
    sd = angle_sd_deg(config, off_side_deg)
    readings = (*JOINT_READINGS, *SEGMENT_READINGS)
    sds = np.array([sd] * len(JOINT_READINGS) + [sd * config.lift_segment_sd_share] * len(SEGMENT_READINGS))
    errors = np.random.default_rng(LIFT_DRAW_SEED).standard_normal((LIFT_DRAWS, len(readings))) * sds
    counts: dict[str, int] = {}
    for row in errors:
        drawn = dict(features)
        for names, err in zip(readings, row):
            for name in names:
                if name in drawn:
                    drawn[name] = drawn[name] + float(err)
        label = decide_lift(drawn, config, side_view, off_side_deg).label
        counts[label] = counts.get(label, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {label: n / LIFT_DRAWS for label, n in ranked}


def classify_lift(
    features: dict[str, float], config: DetectConfig, side_view: bool = True, off_side_deg: float = 0.0
) -> Detection:
    """The lift, or ``unknown`` with the best guesses when none is clearly ahead.

    The confidence is the share of :func:`lift_probabilities` of the lift named. It is named when that share is
    at least ``lift_min_probability`` (as sure as a single test whose reading lies one measured SD past its cut);
    else the label is ``unknown`` and the confidence the best guess's share. The detail holds the features read and
    ``guesses``: each lift at least ``lift_guess_min_probability`` likely, most likely first, with its share.
    """
    read = decide_lift(features, config, side_view, off_side_deg)
    shares = lift_probabilities(features, config, side_view, off_side_deg)
    guesses = [
        {"lift": lift, "probability": round(p, 2)}
        for k, (lift, p) in enumerate(shares.items())
        if k == 0 or p >= config.lift_guess_min_probability
    ]
    best, p_best = next(iter(shares.items()))
    detail = {**read.detail, "guesses": guesses, "angle_sd_deg": round(angle_sd_deg(config, off_side_deg), 1)}
    if p_best >= config.lift_min_probability:
        return Detection(best, round(p_best, 2), detail)
    return Detection(UNKNOWN_LIFT, round(p_best, 2), detail)


def guesses(detection: Detection) -> list[tuple[str, float]]:
    """An unknown lift's guesses as (lift id, share), most likely first (the named lift alone otherwise)."""
    raw = detection.detail.get("guesses") if detection.detail else None
    if detection.label != UNKNOWN_LIFT or not isinstance(raw, list) or not raw:
        return [(detection.label, float(detection.confidence))]
    return [(str(g["lift"]), float(g["probability"])) for g in raw]


def _with_article(name: str) -> str:
    """``an RDL``, ``a squat``; names that bring their own (``another movement``) stay as they are."""
    if name.startswith(("another", "no ")):
        return name
    return f"{'an' if name[:1].lower() in 'aeiou' or name.startswith('RDL') else 'a'} {name}"


def describe_lift(detection: Detection) -> str:
    """The lift for people: ``Romanian deadlift``, ``Romanian deadlift, single-arm (the weight in the right hand)``,
    ``glute bridge, single-leg (the left foot planted)``, or ``unknown lift: probably an RDL (0.55) or a deadlift (0.45)``."""
    if detection.label != UNKNOWN_LIFT:
        name = get_lift(detection.label).name
        if detection.detail and detection.detail.get("variant") == "single_arm":
            return f"{name}, single-arm (the weight in the {detection.detail.get('loaded_hand', '')} hand)"
        if detection.detail and detection.detail.get("variant") == "single_leg":
            return f"{name}, single-leg (the {detection.detail.get('planted_leg', '')} foot planted)"
        return name
    parts = [f"{_with_article(SHORT_NAMES.get(g, get_lift(g).name))} ({p:.2f})" for g, p in guesses(detection)]
    return "unknown lift: probably " + " or ".join(parts)


#: Short names of lifts in an unknown lift's guesses.
SHORT_NAMES = {"rdl": "RDL", "single_leg_rdl": "single-leg RDL", "other": "another movement", "none": "no lift"}


#: An unknown lift's ``Detection.detail`` key, filled once its reps are judged (:func:`formcheck.pipeline`): for each
#: guess with rules, how many of its rules not judged now would give a verdict on this clip were that lift named
#: (:data:`NOT_TRIED`: a guess of another lift family, whose reps would be counted otherwise, so not tried).
JUDGED_IF_NAMED = "judged_if_named"
NOT_TRIED = -1


def pass_exercise_hint(detection: Detection) -> str:
    """What an unknown lift's report tells the user to do to be judged: name the lift with ``--exercise`` (the
    guesses that have rules first). Once the clip was judged (:data:`JUDGED_IF_NAMED`), only the guesses that would
    judge more are named, or it says that naming the lift would not: clip_089's one pull after a long set-up, 33°
    off the side, where every rule a stiff-leg deadlift, an RDL or a deadlift would add says "not checked" too."""
    ids = [g for g, _ in guesses(detection) if get_lift(g).judged]
    if not ids:
        return "pass --exercise with the lift you did to judge it"
    more = detection.detail.get(JUDGED_IF_NAMED) if detection.detail else None
    if isinstance(more, dict):
        if not more:  # no guess has a rule the unknown lift does not judge (an RDL and a stiff-leg deadlift)
            return "its guesses share every rule, so each is judged; --exercise names the lift in the report"
        useful = [g for g in ids if more.get(g, 0) > 0 or more.get(g) == NOT_TRIED]
        idle = [g for g in ids if g not in useful]
        if not useful:
            return (
                "naming the lift (--exercise " + " or ".join(ids) + ") would judge no more of it here: the rules "
                'it would add say "not checked" on this clip too'
            )
        if idle:
            return (
                "pass --exercise " + " or --exercise ".join(useful) + " to judge every rule of the lift if that is "
                "the lift (naming " + " or ".join(idle) + ' would judge no more here: the rules it would add say "not '
                'checked" on this clip too)'
            )
    return "pass --exercise " + " or --exercise ".join(ids) + " to judge every rule of the lift"


def knee_bend_if_rdl(detection: Detection, config: DetectConfig) -> str | None:
    """What an unknown lift's report says when it could not tell an RDL from a deadlift by the knees alone: the clip
    opens standing, as an RDL set does, but the knees bend at the bottom past ``deadlift_min_knee_flexion_deg``, as
    a deadlift's do (COACHING.md §3: an RDL's 15-35°). In an RDL that bend is the squat-hinge hybrid (§2), the fault
    its knee rule exists for, which an unknown lift does not judge; the lifter is told so, with the bend measured and
    how to have it judged. None for any other detection (a named lift, guesses without both or outside the hinges,
    such as a squat, whose knees bend so too; a clip opening crouched; knees within an RDL's range)."""
    ids = {g for g, _ in guesses(detection)}
    if detection.label != UNKNOWN_LIFT or not {"rdl", "deadlift"} <= ids:
        return None
    if any(get_lift(g).family != "hinge" for g in ids):
        return None
    f = detection.detail
    low, wrist = f.get("start_low_fraction", np.nan), f.get("wrist_start_above_bottom_leg", np.nan)
    if not (
        opens_standing(low, wrist, config)
        and f.get("knee_flex_bottom_deg", np.nan) >= config.deadlift_min_knee_flexion_deg
    ):
        return None
    knee = f["knee_flex_bottom_deg"]
    return (
        f"the knees bend about {knee:.0f}° at the bottom, as in a deadlift: if this is an RDL, that much knee bend is "
        "the squat-hinge hybrid (the knees travel forward and the hips sink instead of going back); pass --exercise "
        "rdl to have it judged"
    )


def retold(lift: Lift, old_hint: str, new_hint: str) -> Lift:
    """An unknown lift (:func:`unknown_lift`) whose set-aside rules end their reason with ``new_hint`` instead of
    ``old_hint``."""
    if old_hint == new_hint:
        return lift
    rules = tuple(
        replace(r, set_aside=r.set_aside[: -len(old_hint)] + new_hint)
        if r.set_aside and r.set_aside.endswith(old_hint)
        else r
        for r in lift.rules
    )
    return replace(lift, rules=rules)


def lift_for(detection: Detection) -> Lift:
    """The lift whose rep model and rules a detection gets: the named lift, or for an unknown lift its best guess
    with every rule its rivals do not share set aside (:func:`unknown_lift`)."""
    if detection.label != UNKNOWN_LIFT:
        return get_lift(detection.label)
    return unknown_lift([g for g, _ in guesses(detection)], pass_exercise_hint(detection))


def unknown_lift(candidates: list[str], hint: str) -> Lift:
    """The best guess (``candidates[0]``) judged only by the rules every candidate demands alike.

    A coach who cannot tell an RDL from a deadlift does not cue "freeze the knees" (right for one, wrong for the
    other), but does cue what both lifts demand alike. A rule is shared when every candidate has the very same
    rule with the same limits, or a rule that covers it (:meth:`Rule.demanded_by`): e.g. an RDL and a stiff-leg
    deadlift share all the RDL rules, a hip thrust and a glute bridge all but the shin angle, an RDL and a deadlift
    only the hips through at the top (:mod:`formcheck.exercises.hinge`; the deadlift's lockout covers it).
    The best guess's other rules are set aside with the reason; a shared rule only a rival lists is added. The rep
    model is the best guess's family."""
    lifts = [get_lift(c) for c in candidates]
    best = lifts[0]
    named = " or ".join(SHORT_NAMES.get(lift.id, lift.name) for lift in lifts)

    def shared(rule: Rule, owner: Lift) -> bool:
        same_limits = rule.config_section is not None or all(
            lift.config_section == owner.config_section for lift in lifts
        )
        return same_limits and all(rule.demanded_by(lift) for lift in lifts)

    reason = f"not judged: the lift is unknown ({named}) and this rule is not the same for each; {hint}"
    rules = [rule if shared(rule, best) else replace(rule, set_aside=reason) for rule in best.rules]
    seen = {rule.id for rule in best.rules}
    for rival in lifts[1:]:
        for rule in rival.rules:
            if rule.id not in seen and shared(rule, rival):
                rules.append(rule)
                seen.add(rule.id)
    # the feet are read where they stood at any distance only when every candidate keeps them planted
    planted = all(lift.planted_feet for lift in lifts)
    if not any(not rule.set_aside for rule in rules):
        why = f"the lift is unknown ({named})" + (" and no rule is the same for each" if best.judged else "")
        return replace(best, name="unknown lift", rules=(), not_judged_reason=why, planted_feet=planted)
    return replace(best, name="unknown lift", rules=tuple(rules), planted_feet=planted)


def view_features(seq: PoseSequence, config: DetectConfig) -> dict[str, float]:
    """The camera's yaw (:func:`formcheck.camera.measure_yaw`) and the face's visibility.

    ``off_side_deg`` and ``off_side_uncertainty_deg``: degrees off a pure side view, and how sure;
    ``yaw_deg``: the body's yaw to the camera that the thresholds of :class:`DetectConfig` use
    (90 - ``off_side_deg``: 90 = side, 0 = front); ``yaw_world_deg`` (when the model gives world
    landmarks) and ``yaw_2d_deg``: the two estimates behind it, in the same convention.
    """
    m = measure_yaw(seq, config)
    f: dict[str, float] = {}
    if np.isfinite(m.world_off_deg):
        f["yaw_world_deg"] = 90.0 - m.world_off_deg
    f["yaw_2d_deg"] = 90.0 - m.image_off_deg
    f["yaw_deg"] = m.body_yaw_deg
    f["off_side_deg"] = m.off_side_deg
    f["off_side_uncertainty_deg"] = m.uncertainty_deg
    f["nose_visibility"] = _median(seq.visibility[:, Landmark.NOSE])
    return f


def _view_confidence(margin_deg: float, uncertainty_deg: float) -> float:
    """How sure a class is: the chance the true yaw lies on the measured side of the boundary
    (normal, sd the measured uncertainty; at least ``CONFIDENCE_SCALE_DEG``)."""
    sd = max(uncertainty_deg, CONFIDENCE_SCALE_DEG) if np.isfinite(uncertainty_deg) else CONFIDENCE_SCALE_DEG
    return round(0.5 * (1.0 + math.erf(margin_deg / (sd * math.sqrt(2.0)))), 2)


def classify_view(f: dict[str, float], config: DetectConfig) -> Detection:
    """Side, oblique, front or back from the measured yaw (``f`` from :func:`view_features`)."""
    yaw = f.get("yaw_deg", np.nan)
    unc = f.get("off_side_uncertainty_deg", np.nan)
    if not np.isfinite(yaw):
        return Detection("unknown", 0.0, f)
    if yaw >= config.side_min_yaw_deg:
        return Detection("side", _view_confidence(yaw - config.side_min_yaw_deg, unc), f)
    if yaw >= config.oblique_min_yaw_deg:
        margin = min(yaw - config.oblique_min_yaw_deg, config.side_min_yaw_deg - yaw)
        return Detection("oblique", _view_confidence(margin, unc), f)
    label = "back" if f.get("nose_visibility", 1.0) < BACK_MAX_NOSE_VISIBILITY else "front"
    return Detection(label, _view_confidence(config.oblique_min_yaw_deg - yaw, unc), f)


def describe_view(view: Detection) -> str:
    """The view with its measured angle, e.g. ``oblique, 40° ± 8° off side`` (a mixed view lists its shots)."""
    shots = view.detail.get("shots")
    if view.label == "mixed" and isinstance(shots, list):
        parts = [
            f"{s['view']} {s['t_start']:.1f}-{s['t_end']:.1f} s"
            + _angle_text(s.get("off_side_deg"), s.get("off_side_uncertainty_deg"))
            for s in shots
        ]
        return "mixed: " + "; ".join(parts)
    return view.label + _angle_text(view.detail.get("off_side_deg"), view.detail.get("off_side_uncertainty_deg"))


def _angle_text(off: object, unc: object) -> str:
    if not isinstance(off, (int, float)) or not np.isfinite(off):
        return ""
    if isinstance(unc, (int, float)) and np.isfinite(unc):
        return f", {off:.0f}° ± {unc:.0f}° off side"
    return f", {off:.0f}° off side"


@dataclass(frozen=True)
class Shot:
    """A stretch ``[start, stop)`` of frames filmed from one camera angle, and that angle."""

    start: int
    stop: int
    view: Detection

    def to_dict(self, t: np.ndarray) -> dict:
        return {
            "t_start": round(float(t[self.start]), 3),
            "t_end": round(float(t[self.stop - 1]), 3),
            "view": self.view.label,
            "confidence": self.view.confidence,
            **{
                k: round(float(self.view.detail[k]), 1)
                for k in ("off_side_deg", "off_side_uncertainty_deg")
                if np.isfinite(self.view.detail.get(k, np.nan))
            },
        }


#: Views a user may force (``--view``): the ones rules are run from.
FORCEABLE_VIEWS = ("side", "oblique")


def pure_side(view: Detection, config: DetectConfig) -> bool:
    """Whether a shot is filmed square enough from the side for distances on screen (forced side views are)."""
    if view.label != "side":
        return False
    return bool(view.detail.get("forced")) or view.detail.get("yaw_deg", float("nan")) >= config.pure_side_min_yaw_deg


def shot_off_side_deg(view: Detection) -> float:
    """A shot's camera angle off the side as its view detector measured it (degrees); 0 when the view was forced (the
    user says it is the side), NaN when it was not measured."""
    return 0.0 if view.detail.get("forced") else float(view.detail.get("off_side_deg", float("nan")))


def nearest_side_deg(shots: list[Shot]) -> float:
    """The camera angle off the side (degrees) of the side or oblique shot filmed nearest the side
    (:func:`shot_off_side_deg`), 90 when no shot is side or oblique."""
    angles = [shot_off_side_deg(s.view) for s in shots if s.view.label in ("side", "oblique")]
    finite = [a for a in angles if np.isfinite(a)]
    return min(finite) if finite else 90.0


def near_side(view: Detection, config: DetectConfig) -> bool:
    """Whether a shot is filmed close enough to the side for angles that turn with the camera (COACHING.md §5)."""
    if view.label != "side":
        return False
    return bool(view.detail.get("forced")) or view.detail.get("yaw_deg", float("nan")) >= config.near_side_min_yaw_deg


def force_view(shots: list[Shot], label: str) -> list[Shot]:
    """Every shot filmed from ``label`` because the user said so (the detected yaw stays in the detail,
    marked ``forced``); a user who knows better than the detector."""
    if label not in FORCEABLE_VIEWS:
        raise ValueError(f"a forced view is one of {FORCEABLE_VIEWS}, not {label!r}")
    return [
        Shot(s.start, s.stop, Detection(label, 1.0, {**s.view.detail, "detected": s.view.label, "forced": 1.0}))
        for s in shots
    ]


def picture_cuts(frame_change: np.ndarray, t: np.ndarray, config: DetectConfig) -> list[int]:
    """Frames where an edited clip cuts: the picture changes at once, far more than around it.

    A cut at frame ``i`` changes the picture by at least ``cut_min_picture_change`` grey levels and
    ``cut_min_change_ratio`` times the median change within ``cut_window_s`` either side, and both
    neighbouring frames change by at most half as much (a fast movement or a camera pan spreads its
    change over several frames), and no other such jump lies within ``cut_window_s``.
    """
    v = np.asarray(frame_change, dtype=np.float64)
    cuts: list[int] = []
    for i in range(1, len(v)):
        if not v[i] >= config.cut_min_picture_change:
            continue
        near = np.abs(t - t[i]) <= config.cut_window_s
        near[i] = False
        around = v[near]
        around = around[np.isfinite(around)]
        if around.size == 0:
            continue
        floor = max(float(np.median(around)), config.cut_picture_noise)
        neighbours = [v[j] for j in (i - 1, i + 1) if 0 <= j < len(v) and np.isfinite(v[j])]
        if v[i] >= config.cut_min_change_ratio * floor and all(n <= 0.5 * v[i] for n in neighbours):
            cuts.append(i)
    # A cut stands alone: several jumps close together are flicker or motion blur, not an edit.
    return [c for c in cuts if not any(d != c and abs(t[d] - t[c]) <= config.cut_window_s for d in cuts)]


def classify_shots(seq: PoseSequence, config: DetectConfig, cuts: list[int] | None = None) -> list[Shot]:
    """The clip split where the camera angle changes, each part with its view.

    The angle changes at picture cuts, and where a camera sweeping round the lifter without a cut moves
    into another view class (:func:`formcheck.camera.yaw_changes`). Cuts that leave the view as it was
    (a zoom, a caption) do not split; parts shorter than ``min_shot_s`` are too short to tell a view and
    join their neighbour. A clip without such changes is one shot whose view is :func:`classify_view` of
    it all. ``cuts`` are the :func:`picture_cuts` when already found.
    """
    whole = [Shot(0, len(seq), classify_view(view_features(seq, config), config))]
    if len(seq) == 0:
        return whole
    if cuts is None:
        cuts = picture_cuts(seq.frame_change, seq.t, config) if seq.frame_change is not None else []
    # a sweep that ends at a picture cut is the cut's change (the smoothed yaw lags it)
    swept = [y for y in yaw_changes(seq, config) if all(abs(seq.t[y] - seq.t[c]) >= config.min_shot_s for c in cuts)]
    bounds = [0, *sorted(set(cuts) | set(swept)), len(seq)]
    parts = [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
    # parts too short to classify join the part before them (or after, for the first)
    merged: list[list[int]] = []
    for a, b in parts:
        if merged and seq.t[b - 1] - seq.t[a] < config.min_shot_s:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    if len(merged) > 1 and seq.t[merged[0][1] - 1] - seq.t[merged[0][0]] < config.min_shot_s:
        merged[1][0] = merged[0][0]
        merged.pop(0)
    groups: list[list] = []  # [start, stop, label]
    for a, b in merged:
        part = seq.slice(a, b)
        label = classify_view(view_features(part, config), config).label if part.detected.any() else "unknown"
        if groups and label in (groups[-1][2], "unknown"):
            groups[-1][1] = b
        else:
            groups.append([a, b, label])
    if len(groups) <= 1:
        return whole
    return [Shot(a, b, classify_view(view_features(seq.slice(a, b), config), config)) for a, b, _ in groups]


def mixed_view(shots: list[Shot], t: np.ndarray) -> Detection:
    """The clip-level view of several shots: ``mixed``, with each shot in the detail."""
    return Detection("mixed", round(min(s.view.confidence for s in shots), 2), {"shots": [s.to_dict(t) for s in shots]})
