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
from formcheck.report.html import svg_plot
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
    assert a.measured("knee_flexion_deg").all()
    assert _polylines(svg_plot(a, "knee_flexion_deg", "Knee bend", "°", [])) == {"sig": 1, "sig guess": 0}


def test_a_guessed_joint_draws_its_angles_dotted_and_only_those(analysis):
    n = len(analysis.series.t)
    a = _guessed_knee(analysis, slice(n // 3, n // 2))
    for name in ("knee_flexion_deg", "hip_deg"):  # both read the knee
        assert not a.measured(name)[n // 3 : n // 2].any()
        assert _polylines(svg_plot(a, name, name, "°", [])) == {"sig": 2, "sig guess": 1}
    assert a.measured("torso_incline_deg").all()  # shoulder and hip only


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
    measured = a.measured("hip_deg")
    assert measured[t <= mid].all() and not measured[t > mid].any()
    assert _polylines(svg_plot(a, "hip_deg", "Hip angle", "°", [])) == {"sig": 1, "sig guess": 1}
    front = replace(a, view=Detection("front", 0.9, {}))
    assert not front.measured("hip_deg").any()


def test_without_a_trust_table_every_frame_is_drawn_as_measured(analysis):
    a = replace(analysis, trust=None)
    assert a.measured("hip_deg").all() == (analysis.view.label not in ("front", "back"))
    assert np.isfinite(a.series["hip_deg"]).any()


def test_the_video_draws_a_guessed_joint_as_a_ring_and_a_seen_one_as_a_dot():
    from formcheck.landmarks import side_landmark
    from formcheck.report.overlay import JOINT_RGB, draw_skeleton

    xy = np.full((33, 2), np.nan)
    for k, joint in enumerate(("shoulder", "hip", "knee", "ankle", "ear")):
        xy[side_landmark(joint, "left")] = (100.0, 40.0 + 40.0 * k)
    knee = (100, 120)
    for guessed, centre_is_joint in ((frozenset(), True), (frozenset({"knee"}), False)):
        img = np.zeros((260, 200, 3), dtype=np.uint8)
        draw_skeleton(img, xy, "left", 1.0, guessed)
        centre = img[knee[1], knee[0]].astype(int)
        assert (np.abs(centre - JOINT_RGB).max() < 30) == centre_is_joint
        ring = img[knee[1] - 8 : knee[1] + 9, knee[0] - 8 : knee[0] + 9].reshape(-1, 3).astype(int)
        assert (np.abs(ring - JOINT_RGB).max(axis=1) < 30).any()  # the joint is still drawn


def test_the_videos_angle_labels_say_guessed_where_the_plot_is_dotted(analysis):
    from formcheck.report.overlay import Annotator

    n = len(analysis.series.t)
    a = _guessed_knee(analysis, slice(n // 3, n // 2))
    annot = Annotator(a, 640, 360)
    assert not annot.measured["knee_flexion_deg"][n // 3 : n // 2].any()
    assert annot.measured["knee_flexion_deg"][: n // 3].all()
    assert not annot.joint_seen["knee"][n // 3] and annot.joint_seen["hip"][n // 3]


def test_the_csv_names_the_guessed_points_of_each_frame(analysis, tmp_path):
    import csv

    from formcheck.report.csv_report import write_csv

    n = len(analysis.series.t)
    a = _guessed_knee(analysis, slice(n // 3, n // 2))
    rows = list(csv.DictReader(write_csv(a, tmp_path / "a.csv").open()))
    assert len(rows) == n
    assert [r["guessed"] for r in rows[n // 3 : n // 2]] == ["knee"] * (n // 2 - n // 3)
    assert {r["guessed"] for r in rows[: n // 3] + rows[n // 2 :]} == {""}
    rows = list(csv.DictReader(write_csv(replace(a, trust=None), tmp_path / "b.csv").open()))
    assert {r["guessed"] for r in rows} == {""}  # no table (an old cached report): nothing claimed either way
