"""Conventional deadlift sets with injectable faults, for tests/unit/test_deadlift.py.

Built on :mod:`tests.synthetic` (same body, timeline and renderer). The clip opens crouched over the bar
(``start="bottom"``); per rep k (1-based) a fault may be injected:

- ``bar_ahead_leg[k]``: the hands this many leg lengths further ahead of the shins all through the rep;
- ``hips_first_deg[k]``: the trunk tips this much further towards horizontal in the first half of the pull
  (full when the bar reaches the knees), back by lockout;
- ``top_knee_deg[k]`` / ``lean_back_deg[k]``: knee flexion / trunk angle behind vertical at the top;
- ``neck_ext_deg[k]``: head (ear->nose) extended this much past standing at lift-off;
- ``floor_height[k]``: the bottom of rep k is this fraction of the full range higher (bar not set down).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tests.synthetic import (
    DEFAULT_SIZE,
    STANDING_NECK_FLEXION_DEG,
    STATURE_M,
    Synthetic,
    _finish,
    _render,
    _upright,
    timeline,
)


def _per_rep(tl_rep: np.ndarray, amounts: Mapping[int, float] | None) -> np.ndarray:
    out = np.zeros(len(tl_rep))
    for k, v in (amounts or {}).items():
        out[tl_rep == k] = v
    return out


def deadlift_set(
    n_reps: int = 3,
    fps: float = 30.0,
    knee_bottom_deg: float = 75.0,
    torso_bottom_deg: float = 55.0,
    knee_top_deg: float = 3.0,
    *,
    bar_ahead_leg: Mapping[int, float] | None = None,
    hips_first_deg: Mapping[int, float] | None = None,
    top_knee_deg: Mapping[int, float] | None = None,
    lean_back_deg: Mapping[int, float] | None = None,
    neck_ext_deg: Mapping[int, float] | None = None,
    floor_height: Mapping[int, float] | None = None,
    facing: int = 1,
    world: bool = True,
    noise_px: float = 0.0,
    seed: int = 0,
) -> Synthetic:
    """A floor-start deadlift set: pull 1.0 s, lockout 0.8 s, lower 1.0 s, rest on the floor 0.8 s."""
    depth = {k: 1.0 - v for k, v in (floor_height or {}).items()}
    tl = timeline(n_reps, fps, start="bottom", down_s=1.0, up_s=1.0, bottom_s=0.8, top_s=0.8, depth=depth)
    p = tl.p
    # which rep each frame belongs to: the rep whose bottom or top it is near
    rep = np.where(tl.bottom_rep > 0, tl.bottom_rep, tl.top_rep)
    going_up = np.zeros(len(p), bool)
    for r in tl.reps:
        going_up |= (tl.t >= r.t_bottom_end) & (tl.t <= r.t_lockout)
    top_w = tl.top_w
    knee = knee_top_deg + (knee_bottom_deg - knee_top_deg) * p + _per_rep(tl.top_rep, top_knee_deg) * top_w
    shin = 0.35 * (knee_bottom_deg - knee_top_deg) * p
    tilt = torso_bottom_deg * p - _per_rep(tl.top_rep, lean_back_deg) * top_w
    # hips first: the trunk tips further over the first half of the pull (p from 1 to 0.5), back by lockout
    tip = _per_rep(rep, hips_first_deg) * np.where(going_up, np.sin(np.pi * np.clip(1 - p, 0, 1)) ** 0.5, 0.0)
    tip = np.where(going_up & (p < 0.5), _per_rep(rep, hips_first_deg) * 2 * p, tip)
    tilt = tilt + tip
    neck = STANDING_NECK_FLEXION_DEG - _per_rep(tl.bottom_rep, neck_ext_deg) * tl.bottom_w
    offset = 0.02 + _per_rep(rep, bar_ahead_leg)
    joints, truth = _upright(knee, shin, tilt, neck, np.ones(len(p)), STATURE_M, "legs", bar_offset_leg=offset)
    seq = _render(
        joints,
        tl.t,
        name="deadlift",
        facing=facing,
        size=DEFAULT_SIZE,
        scale_px_per_m=None,
        far_offset_px=(0.0, 0.0),
        world=world,
        stature_m=STATURE_M,
    )
    return Synthetic(_finish(seq, noise_px, None, seed), truth, tl.reps, "deadlift", facing, tl.p)
