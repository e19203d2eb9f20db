"""Property-based tests: landmark sequences no pose model should give, through the whole analysis.

Whatever the landmarks (empty, one frame, NaN, infinities, huge numbers, in any frames and joints, visibility
out of range), :func:`formcheck.pipeline.analyze_landmarks` either returns an analysis whose report is strict
JSON with finite numbers, or raises a :class:`~formcheck.errors.FormcheckError` (a one-line reason for the user);
never another exception. And a verdict is never made from landmarks that were not there.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.config import load_config
from formcheck.errors import FormcheckError, InputError, NoPersonError
from formcheck.landmarks import N_LANDMARKS
from formcheck.pipeline import analyze_landmarks
from formcheck.report.json_report import dumps
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS

#: Stored landmarks of the rendered sample clips (a bridge and a hinge).
STEMS = ("hip_thrust_head_back", "rdl_clean")
BAD_VALUES = (np.nan, np.inf, -np.inf, 1e30, -1e30, 0.0, -5.0)
CONFIG = load_config()
PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _stored(stem: str) -> PoseSequence:
    return PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz")


SEQUENCES = {stem: _stored(stem) for stem in STEMS}


def _slice(seq: PoseSequence, start: int, length: int) -> PoseSequence:
    return seq.slice(start, min(len(seq), start + length))


@st.composite
def corrupted(draw) -> PoseSequence:
    """A stored sequence, maybe cut to a few frames, with bad values written over some frames and joints."""
    seq = SEQUENCES[draw(st.sampled_from(STEMS))]
    if draw(st.booleans()):
        start = draw(st.integers(0, len(seq) - 1))
        seq = _slice(seq, start, draw(st.integers(0, 90)))
    xy, vis, world = seq.xy.copy(), seq.visibility.copy(), seq.world.copy()
    n = len(seq)
    for _ in range(draw(st.integers(0, 4))):
        if n == 0:
            break
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        joints = draw(st.lists(st.integers(0, N_LANDMARKS - 1), min_size=1, max_size=N_LANDMARKS, unique=True))
        value = draw(st.sampled_from(BAD_VALUES))
        target = draw(st.sampled_from(("xy", "x", "visibility", "world")))
        if target == "xy":
            xy[a:b, joints] = value
        elif target == "x":
            xy[a:b, joints, 0] = value
        elif target == "visibility":
            vis[a:b, joints] = value
        else:
            world[a:b, joints] = value
    return seq.replace(xy=xy, visibility=vis, world=world)


def _finite_numbers(value) -> bool:
    if isinstance(value, float):
        return np.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_numbers(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite_numbers(v) for v in value)
    return True


def _analyse(seq: PoseSequence):
    try:
        return analyze_landmarks(seq, CONFIG)
    except FormcheckError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


@PROPERTY_SETTINGS
@given(corrupted())
def test_any_landmarks_give_a_report_or_a_one_line_error(seq):
    analysis = _analyse(seq)
    if analysis is None:
        return
    report = json.loads(dumps(analysis.to_dict()))  # strict JSON: NaN and inf would raise here
    for rep in report["reps"]:
        for finding in rep["findings"]:
            assert _finite_numbers(finding.get("value")) and _finite_numbers(finding.get("threshold")), finding


@PROPERTY_SETTINGS
@given(st.sampled_from(STEMS), st.sampled_from((np.nan, np.inf, -np.inf)))
def test_landmarks_that_are_not_numbers_are_nobody(stem, value):
    """Every landmark NaN or infinite: nobody was seen, whatever the visibility says; no verdict."""
    seq = SEQUENCES[stem]
    bad = seq.replace(xy=np.full_like(seq.xy, value), world=np.full_like(seq.world, value))
    with pytest.raises((NoPersonError, InputError)):
        analyze_landmarks(bad, CONFIG)


@PROPERTY_SETTINGS
@given(st.sampled_from(STEMS), st.integers(0, 5), st.integers(0, 400))
def test_empty_and_single_frames_are_too_short(stem, length, start):
    seq = SEQUENCES[stem]
    with pytest.raises(InputError, match="too short"):
        analyze_landmarks(_slice(seq, min(start, len(seq) - 1), length), CONFIG)


def test_a_hidden_stretch_gets_no_verdict_from_invented_joints():
    """The hips and knees missing over the whole set: nothing about them may be judged."""
    seq = SEQUENCES["hip_thrust_head_back"]
    xy = seq.xy.copy()
    xy[:, 23:27] = np.nan  # both hips and both knees
    analysis = _analyse(seq.replace(xy=xy))
    if analysis is not None:
        assert all(f.verdict not in ("warn", "fault") for f in analysis.findings), analysis.flagged()
