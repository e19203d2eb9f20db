"""Reps counted in a shot filmed from the front or back, on the 3D hip angle of the world landmarks.

Generated RDL sets with world landmarks (x forward, y down, z across, hips at the origin: ``tests.synthetic``)
are edited the way MediaPipe's depth guess errs from the front (a lean that lowers the whole angle, a one-frame
jump) or a lifter leaves the standing position (lying down), and the count is checked against the set's reps.
"""

from __future__ import annotations

import numpy as np

from formcheck import kinematics
from formcheck.cleaning import Cleaned, clean, drop_untrusted
from formcheck.config import load_config
from formcheck.counting import count_reps
from formcheck.exercises.detect import Shot
from formcheck.landmarks import PAIRS, Landmark
from formcheck.types import Detection, PoseSequence
from tests import synthetic as S

#: Everything above the hips: what a trunk lean or a jump of the depth guess moves.
LEGS = {lm for joint in ("hip", "knee", "ankle", "heel", "toe") for lm in PAIRS[joint]}
UPPER_BODY = [lm for lm in Landmark if lm not in LEGS]


def _rotate(points: np.ndarray, deg: float) -> np.ndarray:
    """Points (..., 3) turned by ``deg`` in the sagittal (x-y) plane about the origin (the hips): positive tips a
    standing trunk forward (+x)."""
    a = np.radians(deg)
    out = points.copy()
    x, y = points[..., 0], points[..., 1]
    out[..., 0] = x * np.cos(a) - y * np.sin(a)
    out[..., 1] = x * np.sin(a) + y * np.cos(a)
    return out


def _front_count(seq: PoseSequence) -> int:
    config = load_config()
    trusted = drop_untrusted(seq, [], config.cleaning)
    smooth, _ = clean(trusted.seq, config.cleaning)
    cleaned = Cleaned(raw=trusted.seq, smooth=smooth, report=None)  # type: ignore[arg-type]
    series, _, _ = kinematics.compute(smooth)
    shot = Shot(0, len(seq), Detection("front", 1.0, {}))
    return len(count_reps(cleaned, series, "hinge", "rdl", [shot], config, []).reps)


def _with_world(seq: PoseSequence, world: np.ndarray) -> PoseSequence:
    return seq.replace(world=world)


def test_the_generated_set_counts_from_the_front():
    assert _front_count(S.rdl_set(n_reps=3, world=True).seq) == 3


def test_lockouts_the_depth_guess_reads_low_still_count():
    """From the front MediaPipe reads a standing hip at ~155 deg in 3D (rendered RDLs 75-90 deg off side); here
    the whole trunk leans 44 deg so standing reads ~136 deg, under the 2D floor of 140 that used to drop them."""
    seq = S.rdl_set(n_reps=3, world=True).seq
    assert seq.world is not None
    world = seq.world.copy()
    world[:, UPPER_BODY] = _rotate(world[:, UPPER_BODY], 44.0)
    leaned = _with_world(seq, world)
    assert np.nanmax(kinematics.hip_angle_3d(leaned)) < load_config().reps.min_lockout_hip_deg
    assert _front_count(leaned) == 3


def test_standing_straight_while_lying_down_is_not_a_lockout():
    """A plank between reps keeps the hips straight; seen end on, only the world landmarks show the body lying."""
    syn = S.rdl_set(n_reps=3, world=True)
    seq = syn.seq
    assert seq.world is not None
    world = seq.world.copy()
    second = syn.reps[1]
    # the whole body horizontal from half-way up the second rep's rise to half-way down the third rep
    h = kinematics.hip_angle_3d(seq)
    third = syn.reps[2]
    lying = (seq.t >= second.t_bottom_end) & (seq.t <= third.t_bottom_start) & (h >= 130.0)
    world[lying] = _rotate(world[lying], 85.0)
    assert _front_count(_with_world(seq, world)) < 3
