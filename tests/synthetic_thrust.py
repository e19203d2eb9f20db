"""Generated hip thrusts whose shoulders rest on a tall box or bench (issue 15).

:func:`tests.synthetic.hip_thrust_set` keeps the shoulders level with the knees at lockout (torso
horizontal, a standard bench). Here the upper back rests on a support whose height is given in leg
lengths above the ankles, so the shoulders can sit as high as a crouched deadlifter's while the
lifter lies on the box: the body line (knee->shoulder) is inclined, not horizontal, at the top, and
the torso is fairly upright at the bottom (the squat-like bottom of clip_083).
"""

from __future__ import annotations

import math

import numpy as np

from tests.synthetic import (
    ANKLE_H,
    DEFAULT_SIZE,
    FOREARM,
    HEAD_OFFSET_DEG,
    HT_TOP_GAZE_DEG,
    SHIN,
    STATURE_M,
    THIGH,
    TRUNK,
    UPPER_ARM,
    Synthetic,
    _circle_meet,
    _dir,
    _elbow,
    _finish,
    _head,
    _render,
    _unit,
    body_joints,
    timeline,
)


def box_hip_thrust_set(
    n_reps: int = 3,
    fps: float = 30.0,
    support_leg: float = 1.0,
    top_shin_dir_deg: float = 105.0,
    bottom_hip_deg: float = 105.0,
    top_hip_deg: float = 172.0,
    facing: int = 1,
    world: bool = False,
    noise_px: float = 0.0,
    seed: int = 0,
    size: tuple[int, int] = DEFAULT_SIZE,
    stature_m: float = STATURE_M,
) -> Synthetic:
    """A set of hip thrusts with the shoulders fixed on a support ``support_leg`` leg lengths above the ankles.

    Ankles fixed on the floor, shoulders fixed on the support; the hip angle (shoulder-hip-knee) goes
    from ``bottom_hip_deg`` to ``top_hip_deg`` and the knee follows the closed chain. At the top the shin
    points ``top_shin_dir_deg`` from the +x axis (90 = vertical; more = feet out in front of the knees).
    Starts and ends at the bottom, like :func:`tests.synthetic.hip_thrust_set`.
    """
    s = stature_m
    T, Th, Sh = TRUNK * s, THIGH * s, SHIN * s
    leg = (SHIN + THIGH) * s
    tl = timeline(n_reps, fps, start="bottom", down_s=1.2, up_s=0.8, bottom_s=0.5, top_s=0.8)
    n = len(tl.t)
    hip_deg = top_hip_deg - (top_hip_deg - bottom_hip_deg) * tl.p

    def shoulder_knee(interior_deg: np.ndarray | float) -> np.ndarray:
        c = np.cos(np.radians(interior_deg))
        return np.sqrt(T**2 + Th**2 - 2 * T * Th * c)

    ankle = np.tile([0.0, ANKLE_H * s], (n, 1))
    knee_top = ankle[0] + Sh * np.array(
        [math.cos(math.radians(top_shin_dir_deg)), math.sin(math.radians(top_shin_dir_deg))]
    )
    shoulder_y = ANKLE_H * s + support_leg * leg
    sk_top = float(shoulder_knee(top_hip_deg))
    dy = shoulder_y - knee_top[1]
    if dy >= sk_top:
        raise ValueError("support too high for this body at the top")
    shoulder = np.tile([knee_top[0] - math.sqrt(sk_top**2 - dy**2), shoulder_y], (n, 1))
    sk = shoulder_knee(hip_deg)
    knee = _circle_meet(shoulder, sk, ankle, np.full(n, Sh), left=True)
    alpha = np.degrees(np.arccos(np.clip((T**2 + sk**2 - Th**2) / (2 * T * sk), -1, 1)))
    # hips below the shoulder-knee line
    hip = shoulder + T * _unit(_dir(knee - shoulder) - alpha)
    torso_dir = _dir(shoulder - hip)
    head = _head(shoulder, torso_dir, np.full(n, 180.0 - HEAD_OFFSET_DEG - HT_TOP_GAZE_DEG), s)
    wrist = hip + np.array([0.02 * s, 0.07 * s])
    elbow = _elbow(shoulder, wrist, UPPER_ARM * s, FOREARM * s, np.array([0.0, 1.0]))
    joints = body_joints(ankle, knee, hip, shoulder, elbow, wrist, head, s)
    truth = {
        "hip_deg": hip_deg,
        "hip_height": (hip[:, 1] - ankle[:, 1]) / leg,
        "shoulder_height": (shoulder[:, 1] - ankle[:, 1]) / leg,
        "body_line_from_vertical_deg": np.degrees(
            np.arctan2(np.abs(shoulder[:, 0] - knee[:, 0]), shoulder[:, 1] - knee[:, 1])
        ),
    }
    seq = _render(
        joints,
        tl.t,
        name="box_hip_thrust",
        facing=facing,
        size=size,
        scale_px_per_m=None,
        far_offset_px=(0.0, 0.0),
        world=world,
        stature_m=s,
    )
    return Synthetic(_finish(seq, noise_px, None, seed), truth, tl.reps, "hip_thrust", facing, tl.p)
