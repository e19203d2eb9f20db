"""rdl.knees_frozen reads the shins' tilt in the lifter's sagittal plane: filmed off the side, a shin's forward reach
shrinks on screen by the cosine of the camera's angle while its height holds, so the rule takes that angle out
(COACHING.md §5; docs/ACCURACY.md 'The shins' tilt corrected for the camera angle'). Known answers on generated
signals: the same rep filmed from the side and 45° round reads the same."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.exercises import rdl
from formcheck.exercises.base import RuleContext, run_rule
from formcheck.exercises.rdl import sagittal_tilt_deg
from formcheck.types import AngleSeries, Rep

CFG = load_config()
N = 30
#: start 5, bottom 12, lockout 20, end 28 (30 fps).
REP = Rep(0, 5, 12, 20, 28, 5 / 30, 12 / 30, 20 / 30, 28 / 30, 7 / 30, 0.0, 8 / 30, 8 / 30, 90.0, 80.0, 170.0)
RULE = next(r for r in rdl.RULES if r.id == "rdl.knees_frozen")


def on_screen(true_deg: float, off_side_deg: float) -> float:
    """A sagittal tilt as a camera ``off_side_deg`` off the side draws it (orthographic, level)."""
    return math.degrees(math.atan(math.tan(math.radians(true_deg)) * math.cos(math.radians(off_side_deg))))


@pytest.mark.parametrize("off", [0.0, 15.0, 30.0, 45.0])
@pytest.mark.parametrize("tilt", [-6.0, 0.0, 5.0, 15.0, 30.0])
def test_the_camera_angle_is_taken_out(tilt: float, off: float) -> None:
    assert sagittal_tilt_deg(on_screen(tilt, off), off, 45.0) == pytest.approx(tilt, abs=1e-9)


def test_no_measured_angle_leaves_the_reading_alone() -> None:
    """A view set by hand (no measured angle) or an unknown one: the tilt as read."""
    assert sagittal_tilt_deg(10.0, None, 45.0) == 10.0
    assert sagittal_tilt_deg(10.0, float("nan"), 45.0) == 10.0


def test_past_the_measured_range_the_correction_stops_growing() -> None:
    """Nearly square to the front a small reading is not blown up: the correction for the largest angle measured."""
    at_edge = sagittal_tilt_deg(10.0, 45.0, 45.0)
    assert sagittal_tilt_deg(10.0, 80.0, 45.0) == pytest.approx(at_edge)
    assert sagittal_tilt_deg(10.0, -45.0, 45.0) == pytest.approx(at_edge)  # either way round


def _hybrid(shin_on_screen: float, off_side_deg: float | None, pure_side: bool) -> RuleContext:
    """A 90-degree hinge whose shins tilt ``shin_on_screen`` (as drawn) by the bottom while the knee closes 45° (a
    ratio of 0.5: the hips sink), held from the bottom until the way up."""
    hip = np.full(N, 170.0)
    hip[REP.start : REP.bottom + 1] = np.linspace(170.0, 80.0, REP.bottom - REP.start + 1)
    hip[REP.bottom + 1 : REP.lockout] = 80.0
    ramp = np.zeros(N)
    ramp[REP.start : REP.bottom + 1] = np.linspace(0.0, 1.0, REP.bottom - REP.start + 1)
    ramp[REP.bottom + 1 : REP.lockout] = 1.0
    signals = {
        "hip_deg": hip,
        "shin_tilt_deg": shin_on_screen * ramp,
        "knee_flexion_deg": 45.0 * ramp,
        "hip_back": 0.16 * ramp,
    }
    names = tuple(signals)
    series = AngleSeries(
        t=np.arange(N) / 30.0, names=names, values=np.stack([signals[n] for n in names], axis=1), side="left", facing=1
    )
    ctx = RuleContext(series=series, reps=[REP], rules=CFG.rdl, view="side", pure_side=pure_side)
    return dataclasses.replace(ctx, off_side_deg=off_side_deg)


def test_a_hybrid_filmed_45_degrees_round_reads_as_from_the_side() -> None:
    """The fault size (+15° of shin tilt, as the side view reads it) drawn 45° off the side is +10.7° on screen; the
    rule reads +15 again and says what it saw on screen."""
    side = run_rule(RULE, _hybrid(15.0, 5.0, True), REP)
    round_ = run_rule(RULE, _hybrid(on_screen(15.0, 45.0), 45.0, False), REP)
    assert side.value == pytest.approx(15.0, abs=0.1)
    assert round_.value == pytest.approx(15.0, abs=1e-6)
    assert "+11° on screen, the camera 45° off the side" in round_.message
    assert "on screen" not in side.message  # 5° round changes the reading by under a degree: not told


def test_a_clean_hinge_filmed_round_stays_clean() -> None:
    """Shins that hold (+1° on screen) stay within the fine size however far round: the correction scales the
    reading, it does not add to it."""
    for off in (15.0, 30.0, 45.0):
        f = run_rule(RULE, _hybrid(on_screen(1.0, off), off, False), REP)
        assert f.verdict == "pass" and f.value == pytest.approx(1.0, abs=1e-6)


def test_the_square_side_views_uncertainty_only_where_the_camera_measures_square() -> None:
    """The side view's uncertainty (4°) was measured on RDLs rendered square to the side, which measure 4.8-7.4° off;
    rendered 7.5° and 15° round the reading scatters 6.7-6.9 even where the angle measures a pure side view, so a shot
    measured past ``knees_frozen_side_max_off_side_deg`` gets the wider one: a fault-size reading (+13.3° from the
    side) is a fault from a square camera and a warning from one 12° round."""
    r = CFG.rdl
    square = run_rule(RULE, _hybrid(13.3, 6.0, True), REP)
    round_ = run_rule(RULE, _hybrid(on_screen(13.3, 12.0), 12.0, True), REP)
    assert square.verdict == "fault" and square.uncertainty == r.knees_frozen_uncertainty_deg
    assert round_.verdict == "warn" and round_.uncertainty == r.knees_frozen_oblique_uncertainty_deg
    by_hand = run_rule(RULE, _hybrid(13.3, None, True), REP)  # --view side: taken as square
    assert by_hand.verdict == "fault" and by_hand.uncertainty == r.knees_frozen_uncertainty_deg
