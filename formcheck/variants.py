"""Lift variants that load one leg or one hand: measure the working leg and the hand that holds the weight,
not the mean of both.

The metrics of :mod:`formcheck.kinematics` merge each left/right pair into one point (visibility-weighted),
which is right when both legs do the same thing. In a single-leg or B-stance (kickstand) RDL the legs do
different things: the working leg stands under the hips with a soft knee, the other reaches back (or rests
behind on its toes). Their mean is neither. :func:`working_leg_only` keeps, frame by frame, the leg whose
ankle is further forward (the standing leg: the free leg goes back as the lifter hinges) and hides the other,
so every leg metric (knee flexion, shin tilt, hip angle to the knee) reads the working leg.

In a single-leg glute bridge or hip thrust one foot stays on the floor and the other is held up, straight or bent:
:func:`leg_variant` finds the raised foot (one ankle held well above the other all through) and hides that leg, so
the leg metrics read the planted one.

In a single-arm RDL one hand holds the dumbbell or kettlebell; the free hand often rests on the hip or thigh.
:func:`loaded_hand` finds such a hold (one hand follows the hinge, the other stays with the hips) and
:func:`loaded_hand_only` hides the free hand, so the hand metrics (the bar path) read the hand with the weight.
A free hand that hangs beside the loaded one is not told apart: the two then read as one hand (the labelled
single-arm B-stance RDL, clip_084, whose hands travel 0.67 and 0.69 leg lengths).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .config import DetectConfig
from .exercises import Lift
from .exercises.hip_thrust import single_leg
from .exercises.rdl import single_arm
from .landmarks import PAIRS, ankle_rise_leg, leg_length_px
from .types import Detection, PoseSequence

#: The joints of a leg below the hip: the working leg's are kept, the other's hidden.
LEG_JOINTS = ("knee", "ankle", "heel", "toe")


def forward_leg(seq: PoseSequence, facing: int) -> np.ndarray:
    """Per frame, 0 when the left leg's ankle is further forward (in the lifter's facing direction, ``facing``
    +1 = image right) than the right's, 1 when the right's is, -1 when either ankle is missing."""
    left, right = PAIRS["ankle"]
    xl, xr = seq.xy[:, left, 0] * facing, seq.xy[:, right, 0] * facing
    out = np.where(xl >= xr, 0, 1)
    return np.where(np.isfinite(xl) & np.isfinite(xr), out, -1)


def working_leg_only(seq: PoseSequence, facing: int) -> PoseSequence:
    """A copy of ``seq`` with the rear leg's knee, ankle, heel and toe hidden (NaN, visibility 0) in every
    frame where both ankles were seen; frames with one ankle keep what they have."""
    which = forward_leg(seq, facing)
    xy = seq.xy.copy()
    vis = seq.visibility.copy()
    for joint in LEG_JOINTS:
        left, right = PAIRS[joint]
        for hidden_side, landmark in ((1, left), (0, right)):
            rows = which == hidden_side
            xy[rows, landmark] = np.nan
            vis[rows, landmark] = 0.0
    return seq.replace(xy=xy, visibility=vis)


#: Sides as the report names them (0 = left, 1 = right, as :func:`forward_leg`).
SIDES = ("left", "right")


def hand_travel_leg(seq: PoseSequence, min_seen: float) -> tuple[float, float]:
    """Per hand (left, right), how far its height relative to the hips changes over the clip: the 95th minus the
    5th percentile of (wrist - mid-hip height) in leg lengths. NaN for a hand seen (with the hips) in less than
    ``min_seen`` of the frames where the lifter is."""
    xy = seq.xy
    left_hip, right_hip = PAIRS["hip"]
    hip_y = 0.5 * (xy[:, left_hip, 1] + xy[:, right_hip, 1])
    leg = leg_length_px(xy)
    present = np.isfinite(hip_y) & np.isfinite(leg)
    out: list[float] = []
    for wrist in PAIRS["wrist"]:
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = (xy[:, wrist, 1] - hip_y) / leg
        seen = rel[np.isfinite(rel)]
        if present.sum() == 0 or seen.size < min_seen * present.sum():
            out.append(float("nan"))
            continue
        out.append(float(np.percentile(seen, 95) - np.percentile(seen, 5)))
    return out[0], out[1]


def loaded_hand(seq: PoseSequence, config: DetectConfig) -> int | None:
    """The hand that holds the weight of a single-arm hinge (0 left, 1 right), or None for a two-hand hold or when
    it cannot be told: one hand follows the hinge while the other moves with the hips (resting on the hip or
    thigh), by at most ``single_arm_max_free_travel_leg`` and ``single_arm_max_free_travel_share`` of the other's."""
    left, right = hand_travel_leg(seq, config.single_arm_min_seen_fraction)
    if not (np.isfinite(left) and np.isfinite(right)):
        return None
    loaded, free = (0, right) if left >= right else (1, left)
    travel, still = max(left, right), config.single_arm_max_free_travel_leg
    # the loaded hand moves further than a still hand can seem to (hands on the hips of a bodyweight hinge: neither)
    if free <= still < travel and free <= config.single_arm_max_free_travel_share * travel:
        return loaded
    return None


def loaded_hand_only(seq: PoseSequence, hand: int) -> PoseSequence:
    """A copy of ``seq`` with the free hand's wrist hidden (NaN, visibility 0): the merged wrist is the loaded hand."""
    xy, vis = seq.xy.copy(), seq.visibility.copy()
    free = PAIRS["wrist"][1 - hand]
    xy[:, free] = np.nan
    vis[:, free] = 0.0
    return seq.replace(xy=xy, visibility=vis)


def arm_variant(
    lift: Lift, raw: PoseSequence, smooth: PoseSequence, detected: Detection, config: DetectConfig
) -> tuple[Lift, PoseSequence, Detection]:
    """A lift judged by the RDL rules, held in one hand: the single-arm variant (:func:`formcheck.exercises.rdl.
    single_arm`), ``smooth`` with the free hand hidden, and the detection recording ``variant`` and ``loaded_hand``.
    Anything else is returned as it is (``raw`` decides, ``smooth`` is what the metrics read)."""
    if lift.config_section != "rdl" or lift.one_arm:
        return lift, smooth, detected
    hand = loaded_hand(raw, config)
    if hand is None:
        return lift, smooth, detected
    detail = {**detected.detail, "variant": "single_arm", "loaded_hand": SIDES[hand]}
    return single_arm(lift), loaded_hand_only(smooth, hand), replace(detected, detail=detail)


def raised_leg(raw: PoseSequence, config: DetectConfig) -> int | None:
    """The leg held off the floor all through a single-leg bridge or thrust (0 = left, 1 = right, as
    :func:`forward_leg`), or None when both feet stay down: the median height difference of the two ankles on screen,
    over the frames where both were seen, is at least ``config.single_leg_bridge_min_ankle_rise_leg`` leg lengths, and
    the higher ankle (the smaller picture row) is the raised one."""
    rise = ankle_rise_leg(raw.xy)
    rise = rise[np.isfinite(rise)]
    if rise.size == 0 or abs(float(np.median(rise))) < config.single_leg_bridge_min_ankle_rise_leg:
        return None
    return 0 if np.median(rise) > 0 else 1


def planted_leg_only(seq: PoseSequence, raised: int) -> PoseSequence:
    """A copy of ``seq`` with the raised leg's knee, ankle, heel and toe hidden (NaN, visibility 0) in every frame."""
    xy = seq.xy.copy()
    vis = seq.visibility.copy()
    for joint in LEG_JOINTS:
        landmark = PAIRS[joint][raised]
        xy[:, landmark] = np.nan
        vis[:, landmark] = 0.0
    return seq.replace(xy=xy, visibility=vis)


def leg_variant(
    lift: Lift,
    raw: PoseSequence,
    smooth: PoseSequence,
    detected: Detection,
    config: DetectConfig,
    side_view: bool,
    facing: int,
) -> tuple[Lift, PoseSequence, Detection]:
    """The leg a one-legged lift is measured on, with ``smooth`` (what the metrics read) keeping only that leg:
    a single-leg or B-stance RDL (named so by the lift detector) keeps its forward, standing leg frame by frame
    (:func:`working_leg_only`); a hip thrust or glute bridge done on one leg (:func:`raised_leg`, from the side or at
    an angle: from the front the legs' heights do not tell a raised foot) becomes the single-leg variant
    (:func:`formcheck.exercises.hip_thrust.single_leg`) with the raised leg hidden, the detection recording
    ``variant`` and ``planted_leg``. Anything else is returned as it is."""
    if lift.one_leg:
        return lift, working_leg_only(smooth, facing), detected
    if lift.family != "bridge" or not side_view:
        return lift, smooth, detected
    raised = raised_leg(raw, config)
    if raised is None:
        return lift, smooth, detected
    detail = {**detected.detail, "variant": "single_leg", "planted_leg": SIDES[1 - raised]}
    return single_leg(lift), planted_leg_only(smooth, raised), replace(detected, detail=detail)
