"""Single-leg and B-stance hinges: the working leg is measured, not the mean of both legs (issue 15).

Generated RDL sets whose second leg reaches back as the lifter hinges (rigidly, about the hip): the rules must read the front, standing leg.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks
from formcheck.variants import forward_leg, working_leg_only
from tests import synthetic as S

#: How far the free leg swings back about the hip when the trunk reaches horizontal (a single-leg RDL).
SWING_DEG = 60.0
REAR = (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX)


def _single_leg(facing: int = 1, **kw) -> object:
    """An RDL set (``kw`` as :func:`tests.synthetic.rdl_set`) whose right leg swings back about the hip, rigidly
    (bone lengths kept), by up to ``SWING_DEG`` as the trunk tips from upright to horizontal."""
    syn = S.rdl_set(n_reps=3, facing=facing, **kw)
    seq = syn.seq
    xy = seq.xy.copy()
    hip = xy[:, Landmark.RIGHT_HIP]
    trunk = xy[:, Landmark.LEFT_SHOULDER] - xy[:, Landmark.LEFT_HIP]
    hinge = np.clip(np.abs(np.arctan2(trunk[:, 0], -trunk[:, 1])) / (np.pi / 2), 0, 1)  # 0 standing, 1 horizontal
    # image y points down: a positive angle turns the leg's foot towards -x, behind a lifter facing +x
    angle = np.radians(SWING_DEG) * hinge * facing
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    for joint in REAR:
        d = xy[:, joint] - hip
        xy[:, joint, 0] = hip[:, 0] + cos[:, 0] * d[:, 0] - sin[:, 0] * d[:, 1]
        xy[:, joint, 1] = hip[:, 1] + sin[:, 0] * d[:, 0] + cos[:, 0] * d[:, 1]
    return dataclasses.replace(seq, xy=xy)


def test_forward_leg_picks_the_ankle_ahead():
    seq = _single_leg(facing=1)
    which = forward_leg(seq, 1)
    assert set(np.unique(which)) <= {0, 1}
    moved = np.abs(seq.xy[:, Landmark.RIGHT_ANKLE, 0] - seq.xy[:, Landmark.LEFT_ANKLE, 0]) > 1.0
    assert np.all(which[moved] == 0), "the left leg stands, the right one reaches back"
    only = working_leg_only(seq, 1)
    assert np.all(np.isnan(only.xy[moved][:, list(REAR)]))
    assert np.all(only.visibility[moved][:, list(REAR)] == 0)
    assert np.isfinite(only.xy[:, Landmark.LEFT_KNEE]).all()
    assert seq.xy is not only.xy and np.isfinite(seq.xy[:, Landmark.RIGHT_KNEE]).all(), "input unchanged"


@pytest.mark.parametrize("facing", [1, -1])
def test_single_leg_rdl_knees_read_on_the_standing_leg(facing: int) -> None:
    clean = analyze_landmarks(_single_leg(facing), load_config())
    assert clean.exercise.label == "single_leg_rdl"
    frozen = {f.rep: f.verdict for f in clean.findings if f.rule == "rdl.knees_frozen"}
    assert set(frozen.values()) == {"pass"}, frozen
    bent = analyze_landmarks(_single_leg(facing, knee_drift_deg={2: 35.0}, hip_shift_by_rep={2: 0.0}), load_config())
    verdicts = {f.rep: f.verdict for f in bent.findings if f.rule == "rdl.knees_frozen"}
    assert verdicts[2] == "fault" and verdicts[1] == verdicts[3] == "pass", verdicts
