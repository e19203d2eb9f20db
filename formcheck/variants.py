"""Lift variants that load one leg: measure the working leg, not the mean of both.

The metrics of :mod:`formcheck.kinematics` merge each left/right pair into one point (visibility-weighted),
which is right when both legs do the same thing. In a single-leg or B-stance (kickstand) RDL the legs do
different things: the working leg stands under the hips with a soft knee, the other reaches back (or rests
behind on its toes). Their mean is neither. :func:`working_leg_only` keeps, frame by frame, the leg whose
ankle is further forward (the standing leg: the free leg goes back as the lifter hinges) and hides the other,
so every leg metric (knee flexion, shin tilt, hip angle to the knee) reads the working leg.
"""

from __future__ import annotations

import numpy as np

from .landmarks import PAIRS
from .types import PoseSequence

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
