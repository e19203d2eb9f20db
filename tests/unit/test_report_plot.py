"""The HTML report's plots draw measurements and guesses apart (COACHING.md §6: nothing may present a guessed joint
as measured): solid where every body point of the plotted angle is evidence, dotted where one is not or the shot was
filmed end on, and the scale set by the measurements (clip_042's guessed front-view knee read -100°, squashing the
real signal into a band)."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.report.html import measured_frames, svg_plot
from formcheck.trust import Reason, TrustTable
from formcheck.types import Detection
from tests import synthetic as S

CFG = load_config()


@pytest.fixture(scope="module")
def analysis():
    return analyze_landmarks(S.rdl_set(n_reps=3).seq, CFG, exercise="rdl")


def _guessed_knee(a, frames: slice):
    flags = a.trust.flags.copy()
    flags[:] = 0
    flags[frames, a.trust.joints.index("knee")] = Reason.BEHIND_PLATE
    return replace(a, trust=TrustTable(a.trust.joints, flags))


def _polylines(svg: str) -> dict[str, int]:
    kinds = re.findall(r'<polyline class="(sig(?: guess)?)"', svg)
    return {k: kinds.count(k) for k in ("sig", "sig guess")}


def _yticks(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r'class="ytick"[^>]*>(-?[\d.]+)', svg)]


def test_every_frame_evidence_draws_one_solid_line(analysis):
    a = _guessed_knee(analysis, slice(0, 0))
    assert measured_frames(a, "knee_flexion_deg").all()
    assert _polylines(svg_plot(a, "knee_flexion_deg", "Knee bend", "°", [])) == {"sig": 1, "sig guess": 0}


def test_a_guessed_joint_draws_its_angles_dotted_and_only_those(analysis):
    n = len(analysis.series.t)
    a = _guessed_knee(analysis, slice(n // 3, n // 2))
    for name in ("knee_flexion_deg", "hip_deg"):  # both read the knee
        assert not measured_frames(a, name)[n // 3 : n // 2].any()
        assert _polylines(svg_plot(a, name, name, "°", [])) == {"sig": 2, "sig guess": 1}
    assert measured_frames(a, "torso_incline_deg").all()  # shoulder and hip only


def test_a_guess_far_off_does_not_set_the_scale_and_is_not_drawn_there(analysis):
    n = len(analysis.series.t)
    a = _guessed_knee(analysis, slice(n // 3, n // 3 + 5))
    values = a.series.values.copy()
    k = a.series.names.index("knee_flexion_deg")
    values[n // 3 : n // 3 + 5, k] = -100.0  # a guessed knee folded the wrong way
    a = replace(a, series=replace(a.series, values=values))
    svg = svg_plot(a, "knee_flexion_deg", "Knee bend", "°", [])
    assert min(_yticks(svg)) > -20.0
    assert _polylines(svg)["sig guess"] == 0  # outside the measurement's scale: left out, not drawn off the plot
    assert _polylines(svg)["sig"] == 2


def test_a_shot_filmed_from_the_front_is_drawn_dotted(analysis):
    t = analysis.series.t
    mid = float(t[len(t) // 2])
    shots = [
        {"t_start": float(t[0]), "t_end": mid, "view": "side"},
        {"t_start": mid + 1e-6, "t_end": float(t[-1]), "view": "front"},
    ]
    a = replace(_guessed_knee(analysis, slice(0, 0)), view=Detection("mixed", 0.9, {"shots": shots}))
    measured = measured_frames(a, "hip_deg")
    assert measured[t <= mid].all() and not measured[t > mid].any()
    assert _polylines(svg_plot(a, "hip_deg", "Hip angle", "°", [])) == {"sig": 1, "sig guess": 1}
    front = replace(a, view=Detection("front", 0.9, {}))
    assert not measured_frames(front, "hip_deg").any()


def test_without_a_trust_table_every_frame_is_drawn_as_measured(analysis):
    a = replace(analysis, trust=None)
    assert measured_frames(a, "hip_deg").all() == (analysis.view.label not in ("front", "back"))
    assert np.isfinite(a.series["hip_deg"]).any()
