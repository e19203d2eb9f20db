"""The set summary's range of motion on real clips: given where the hip angle's joints were evidence, left out
with the reason where they were not (formcheck.summary.measured_ranges, COACHING.md §6).

Stored landmarks (tests/data/landmarks) with their videos in ../shared/videos, so the plate search runs as in
``formcheck analyze``."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, need_shared


def _analyse(stem: str):
    video = need_shared(f"{stem}.mp4")
    return analyze_landmarks(PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz"), load_config(), video=video)


def test_a_range_read_behind_the_plate_is_not_given_and_the_report_says_why():
    """clip_035: a plated stiff-leg pull filmed from the side; the near plate hides the knee at both bottoms."""
    a = _analyse("clip_035")
    assert len(a.reps) == 2
    assert all(np.isnan(r.rom_deg) and np.isnan(r.bottom_deg) for r in a.reps)
    assert a.summary.rom_deg == [None, None] and a.summary.rom_trend_deg_per_rep is None
    (warning,) = [w for w in a.warnings if w.code == "range_not_measured"]
    assert warning.severity == "info"
    assert "reps 1, 2: the knee is hidden behind the plate at the bottom" in warning.message


@pytest.mark.parametrize("stem", ["clip_009", "clip_085", "clip_022"])
def test_a_range_read_from_seen_joints_is_given(stem: str):
    """Side and oblique views with the hip and knee in view: every rep's range stands, no warning."""
    a = _analyse(stem)
    assert a.reps and all(np.isfinite(r.rom_deg) for r in a.reps)
    assert not [w for w in a.warnings if w.code == "range_not_measured"]
