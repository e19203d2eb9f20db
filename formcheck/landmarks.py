"""The 33 MediaPipe BlazePose landmarks, by name.

Left and right are the person's own sides. Use these names everywhere instead
of bare integers (COACHING.md, "Measurements").
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import numpy.typing as npt

N_LANDMARKS = 33


class Landmark(IntEnum):
    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


#: Joints that exist on both sides, by side-free name. The value is (left, right).
PAIRS: dict[str, tuple[Landmark, Landmark]] = {
    "eye": (Landmark.LEFT_EYE, Landmark.RIGHT_EYE),
    "ear": (Landmark.LEFT_EAR, Landmark.RIGHT_EAR),
    "shoulder": (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    "elbow": (Landmark.LEFT_ELBOW, Landmark.RIGHT_ELBOW),
    "wrist": (Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST),
    "hip": (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    "knee": (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
    "ankle": (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
    "heel": (Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL),
    "toe": (Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX),
}


def side_landmark(joint: str, side: str) -> Landmark:
    """The landmark of ``joint`` (a key of :data:`PAIRS`, or ``"nose"``) on ``side``."""
    if joint == "nose":
        return Landmark.NOSE
    left, right = PAIRS[joint]
    if side == "left":
        return left
    if side == "right":
        return right
    raise ValueError(f"side must be 'left' or 'right', not {side!r}")


def swap_table() -> list[int]:
    """Index permutation that swaps every left landmark with its right twin."""
    table = list(range(N_LANDMARKS))
    for member in Landmark:
        name = member.name
        if name.startswith("LEFT_"):
            twin = Landmark[name.replace("LEFT_", "RIGHT_", 1)]
        elif name.startswith("RIGHT_"):
            twin = Landmark[name.replace("RIGHT_", "LEFT_", 1)]
        else:
            continue
        table[member] = int(twin)
    return table


#: Skeleton edges for drawing, as landmark pairs.
EDGES: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.LEFT_EAR, Landmark.NOSE),
    (Landmark.RIGHT_EAR, Landmark.NOSE),
)


def leg_length_px(xy: npt.NDArray[np.floating]) -> float:
    """The lifter's median leg length (hip-knee-ankle, the longer side per frame) in the units of ``xy``
    (T x 33 x 2), NaN when never seen: the body's own scale for distances on screen."""
    legs = []
    for side in (0, 1):
        hip, knee, ankle = PAIRS["hip"][side], PAIRS["knee"][side], PAIRS["ankle"][side]
        legs.append(
            np.linalg.norm(xy[:, hip] - xy[:, knee], axis=-1) + np.linalg.norm(xy[:, knee] - xy[:, ankle], axis=-1)
        )
    with np.errstate(invalid="ignore"):
        both = np.fmax(legs[0], legs[1])
    return float(np.nanmedian(both)) if np.any(np.isfinite(both)) else float("nan")


def ankle_rise_leg(xy: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Per frame, how far the left ankle sits above the right one on screen (image y points down), in the lifter's
    leg length (:func:`leg_length_px`); NaN where either ankle is missing or no leg was ever seen. Two planted feet
    keep one value through a fixed shot (the camera's perspective on the stance); a raised foot, or a leg the model
    draws elsewhere, moves it."""
    leg = leg_length_px(xy)
    left, right = PAIRS["ankle"]
    rise = (xy[:, right, 1] - xy[:, left, 1]).astype(np.float64)
    if not (np.isfinite(leg) and leg > 0):
        return np.full(len(rise), np.nan)
    out: npt.NDArray[np.float64] = rise / leg
    return out
