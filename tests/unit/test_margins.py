"""Measurement uncertainty and margins (COACHING.md §4, issue 15 item 5): a fault only when the reading is past its
fault line by more than the rule's uncertainty, else at most a warning; a pass within the uncertainty of its limit
stays a pass and says so; the confidence reflects the margin; every report shows "value ± uncertainty"."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.exercises import all_rules
from formcheck.exercises.base import (
    UNCERTAINTY_SDS,
    Judgement,
    Rule,
    RuleContext,
    apply_margin,
    fault_from,
    grade_from_cut,
    judgement_uncertainty,
    margin_confidence,
    margin_line,
    rule_uncertainty,
    run_rule,
    separable,
    within_uncertainty,
)
from formcheck.report.json_report import dumps
from formcheck.report.words import measurement_line, plus_minus
from formcheck.types import AngleSeries, Finding, Rep

#: A rule that warns past 40 and faults past 45 (degrees), measured within ± 4.
WARN, FAULT, U = 40.0, 45.0, 4.0


def fault_at(value: float) -> Judgement:
    return Judgement("fault", value, WARN, 0, "neck extended", fault_line=FAULT)


def test_a_fault_far_past_its_line_stays_a_fault():
    j = apply_margin(fault_at(FAULT + U + 0.5), U, "deg")
    assert j.verdict == "fault" and j.message == "neck extended"


@pytest.mark.parametrize("value", [FAULT + 0.4, FAULT + U / 2, FAULT + U])
def test_a_fault_within_the_uncertainty_of_its_line_is_at_most_a_warning(value):
    j = apply_margin(fault_at(value), U, "deg")
    assert j.verdict == "warn"
    assert "at most a warning: within the ±4° measurement uncertainty of the 45° fault line" in j.message


def test_a_rule_measured_below_its_line_is_demoted_the_same_way():
    """Lines that are faults below them (locked knees, a rushed eccentric): the distance counts, not the side."""
    j = Judgement("fault", 0.6, 1.0, 0, "lowered fast", fault_line=0.7)
    assert apply_margin(j, 0.15, "s").verdict == "warn"
    assert apply_margin(j, 0.05, "s").verdict == "fault"


def test_without_a_fault_line_or_an_uncertainty_nothing_changes():
    touch_and_go = Judgement("fault", 0.01, 0.05, 0, "touch-and-go")  # a fault for its pause, not for the value
    assert apply_margin(touch_and_go, 0.03, "leg") == touch_and_go
    assert apply_margin(fault_at(FAULT + 0.1), None, "deg").verdict == "fault"


def test_a_pass_within_the_uncertainty_of_its_limit_stays_a_pass_and_says_so():
    near = apply_margin(Judgement("pass", WARN - 1.0, WARN, 0, "neck within 39°"), U, "deg")
    assert near.verdict == "pass"
    assert "within the ±4° measurement uncertainty of the 40° limit: too close to call" in near.message
    far = Judgement("pass", WARN - U - 1.0, WARN, 0, "neck within 35°")
    assert apply_margin(far, U, "deg") == far


def test_warnings_are_left_alone():
    j = Judgement("warn", WARN + 1.0, WARN, 0, "neck extended 41°", fault_line=FAULT)
    assert apply_margin(j, U, "deg") == j


def test_within_uncertainty_is_inclusive_and_needs_every_number():
    assert within_uncertainty(44.0, 40.0, 4.0) and not within_uncertainty(44.01, 40.0, 4.0)
    assert not within_uncertainty(None, 40.0, 4.0) and not within_uncertainty(41.0, None, 4.0)
    assert not within_uncertainty(41.0, 40.0, None) and not within_uncertainty(float("nan"), 40.0, 4.0)


def test_confidence_grows_with_the_margin_over_the_uncertainty():
    """A fault just past the margin is ~0.98 sure (2 SD), a reading on the line 0.5, further out nearer 1."""
    on_line = margin_confidence(Judgement("warn", WARN, WARN, 0), U)
    one_sd = margin_confidence(Judgement("warn", WARN + U / UNCERTAINTY_SDS, WARN, 0), U)
    past_margin = margin_confidence(fault_at(FAULT + U + 0.01), U)
    far = margin_confidence(fault_at(FAULT + 3 * U), U)
    assert on_line == pytest.approx(0.5)
    assert one_sd == pytest.approx(0.8413, abs=1e-3)
    assert 0.977 < past_margin < far <= 1.0
    # a fault measures its margin from the fault line, a pass or warning from the threshold
    assert margin_confidence(fault_at(FAULT + 1.0), U) < margin_confidence(Judgement("warn", FAULT + 1.0, WARN, 0), U)
    assert margin_confidence(fault_at(FAULT + 1.0), None) == 1.0


# -- through run_rule -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    neck_uncertainty_deg: float = U


def _context(settings: object) -> tuple[RuleContext, Rep]:
    t = np.arange(10) / 10.0
    series = AngleSeries(t=t, names=("neck_deg",), values=np.zeros((10, 1)), side="left", facing=1)
    rep = Rep(0, 1, 4, 7, 9, 0.1, 0.4, 0.7, 0.9, 0.3, 0.0, 0.3, 0.2, 60.0, 100.0, 170.0)
    return RuleContext(series=series, reps=[rep], rules=settings, view="side"), rep


def _rule(value: float, key: str = "neck_uncertainty_deg") -> Rule:
    def check(ctx: RuleContext, rep: Rep) -> Judgement:
        verdict = "fault" if value > FAULT else "warn" if value > WARN else "pass"
        return Judgement(verdict, value, WARN, rep.bottom, f"neck {value:.1f}", fault_line=FAULT)

    return Rule("x.neck", "neck_extension_deg", "deg", "Keep the neck neutral.", "Neutral neck", check, uncertainty=key)


@pytest.mark.parametrize(
    ("value", "verdict"),
    [(FAULT + 0.4, "warn"), (FAULT + U - 0.5, "warn"), (FAULT + U + 0.5, "fault"), (FAULT + 20.0, "fault")],
)
def test_run_rule_grades_past_the_margin_and_the_finding_carries_it(value, verdict):
    ctx, rep = _context(Settings())
    f = run_rule(_rule(value), ctx, rep)
    assert f.verdict == verdict
    assert f.uncertainty == U and f.fault_line == FAULT and f.threshold == WARN
    # a fault is sure past its margin; a demoted fault is a warning as sure as the reading is past the threshold
    assert f.confidence is not None and f.confidence > 0.97


def test_an_uncertainty_of_zero_is_no_margin():
    ctx, rep = _context(Settings(neck_uncertainty_deg=0.0))
    f = run_rule(_rule(FAULT + 0.4), ctx, rep)
    assert f.verdict == "fault" and f.uncertainty is None and f.confidence is not None
    assert margin_confidence(fault_at(FAULT + 0.4), 0.0) == 1.0 and not within_uncertainty(45.0, 45.0, 0.0)


def test_a_judgement_may_carry_the_uncertainty_of_a_second_measure():
    """rdl.knees_frozen falls back on the knee flexion added (its own uncertainty) past knee_drift_alone_deg."""
    ctx, rep = _context(Settings())

    def check(ctx: RuleContext, rep: Rep) -> Judgement:
        return Judgement("fault", FAULT + U + 1.0, WARN, rep.bottom, "knees bent", fault_line=FAULT, uncertainty=2 * U)

    rule = Rule(
        "x.knee", "knee_deg", "deg", "Freeze the knees.", "Knees frozen", check, uncertainty="neck_uncertainty_deg"
    )
    f = run_rule(rule, ctx, rep)
    assert f.verdict == "warn" and f.uncertainty == 2 * U
    zero = replace(rule, check=lambda c, r: replace(check(c, r), uncertainty=0.0))
    assert run_rule(zero, ctx, rep).verdict == "fault"


def test_a_rule_without_its_setting_has_no_margin():
    ctx, rep = _context(object())
    f = run_rule(_rule(FAULT + 0.4), ctx, rep)
    assert f.verdict == "fault" and f.uncertainty is None


def test_every_rule_names_a_measured_uncertainty_in_its_config_section():
    cfg = load_config()
    for lift, rule in all_rules():
        settings = rule.settings(lift.settings(cfg), cfg)
        assert rule.uncertainty, f"{rule.id} names no uncertainty setting"
        assert rule.uncertainty.endswith(f"_{rule.unit}"), f"{rule.id}: {rule.uncertainty} is not in {rule.unit}"
        value = rule_uncertainty(rule, settings)
        assert value is not None and value > 0, f"{rule.id}: {rule.uncertainty} missing or zero"
        doc = next(f.metadata["doc"] for f in fields(settings) if f.name == rule.uncertainty)
        assert "ACCURACY.md" in doc or "rendered" in doc, (
            f"{rule.uncertainty}: the docstring says not where it came from"
        )
        if rule.max_off_side_uncertainty:  # its scatter past the pure side view, where it is judged there
            assert rule.max_off_side_uncertainty.endswith(f"_{rule.unit}"), rule.id
            assert rule.max_off_side or not rule.side_view_only, f"{rule.id} is never judged past the pure side view"
            oblique = rule_uncertainty(rule, settings, pure_side=False)
            assert oblique is not None and oblique > 0 and oblique != value, rule.id
            assert rule_uncertainty(rule, settings, pure_side=True) == value, rule.id


def test_a_pass_off_the_side_keeps_the_side_views_uncertainty_where_errors_run_towards_a_flag():
    """ht.lockout past the pure side view reads a hidden or turned hip short of the line, never past it (the largest
    reading over the truth on 76 rendered tops, +2.7): a flag there needs the off-side margin, a pass does not."""
    cfg = load_config()
    lockout = next(r for _, r in all_rules() if r.id == "ht.lockout")
    assert lockout.off_side_errs_towards_flag
    off_side = SimpleNamespace(rules=cfg.hip_thrust, pure_side=False)
    side = SimpleNamespace(rules=cfg.hip_thrust, pure_side=True)
    u = {v: judgement_uncertainty(lockout, off_side, Judgement(v, 150.0, 165.0, 3, "m")) for v in ("warn", "fault")}
    assert set(u.values()) == {cfg.hip_thrust.lockout_off_side_uncertainty_deg}
    passed = Judgement("pass", 178.0, 165.0, 3, "m")
    assert judgement_uncertainty(lockout, off_side, passed) == cfg.hip_thrust.lockout_uncertainty_deg
    assert (
        judgement_uncertainty(lockout, side, Judgement("fault", 150.0, 165.0, 3, "m"))
        == cfg.hip_thrust.lockout_uncertainty_deg
    )


# -- shown with the value ----------------------------------------------------------------------------------------------
def _finding(**kw: object) -> Finding:
    base: dict[str, object] = dict(
        rule="rdl.neck",
        rep=1,
        verdict="warn",
        metric="neck_extension_deg",
        value=45.4,
        threshold=40.0,
        unit="deg",
        t_start=0.0,
        t_end=1.0,
        frame=3,
        message="neck extended",
        cue="Keep the neck in line with the back.",
        confidence=0.9,
        uncertainty=6.0,
        fault_line=45.0,
    )
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def test_the_value_is_written_with_its_uncertainty():
    assert plus_minus(15.8, 3.0, "deg", 15.0) == "15.8 ± 3°"
    assert plus_minus(0.26, 0.03, "leg", 0.25) == "0.26 ± 0.03 leg lengths"
    assert plus_minus(0.97, 0.15, "s", 1.0) == "0.97 ± 0.15 s"
    assert plus_minus(12.0, 2.5, "deg") == "12.0 ± 2.5°"
    assert plus_minus(12.0, None, "deg") == "12.0°" and plus_minus(None, 3.0, "deg") == "–"
    assert measurement_line(_finding()) == "measured 45.4 ± 6°, limit 40°, fault past 45°"
    assert measurement_line(_finding(fault_line=40.0)) == "measured 45.4 ± 6°, limit 40°"
    assert measurement_line(_finding(value=None)) is None


def test_the_json_finding_carries_its_uncertainty_and_fault_line():
    data = json.loads(dumps({"findings": [_finding().to_dict()]}))["findings"][0]
    assert data["value"] == 45.4 and data["uncertainty"] == 6.0 and data["fault_line"] == 45.0


#: A rule whose fine size reads 10 and fault size 20 (shin tilt, degrees, bias removed): the §4 cut is 15.
FINE_SIZE, FAULT_SIZE = 10.0, 20.0


def shin_fault(value: float) -> Judgement:
    return Judgement("fault", value, FAULT_SIZE, 0, "shins tilted", fault_line=FAULT_SIZE, fine_line=FINE_SIZE)


@pytest.mark.parametrize("value", [15.1, 17.0, 20.3, 21.0, 24.0])
def test_a_rep_read_at_the_fault_size_is_a_fault_when_fine_and_fault_are_told_apart(value):
    """COACHING.md §1: a rep at the fault size is flagged. With the fine size known and 10° apart, four SDs of a
    ±5° (2 SD) reading, a fault is a reading past the cut at 15 and more than 5 from the fine size: past 15."""
    j = apply_margin(shin_fault(value), 5.0, "deg")
    assert j.verdict == "fault" and j.message == "shins tilted"
    assert separable(j, 5.0) and fault_from(j, 5.0) == 15.0
    assert margin_line(j, 5.0) == FINE_SIZE  # the margin (and the confidence) counts from the fine size
    assert margin_confidence(j, 5.0) > 0.97


def test_a_flagged_rep_past_the_cut_is_graded_a_fault_whatever_its_check_said():
    """The check grades against the fault size (20); with the sizes told apart a warning at 17 is a fault (the cut
    and the uncertainty from the fine size say so), and says why; a warning short of the line stays one."""
    warned = replace(shin_fault(17.0), verdict="warn", message="shins 17°")
    out = grade_from_cut(warned, 5.0, "deg")
    assert (
        out.verdict == "fault"
        and "past the 15° fault line, set between the 10° fine size and the 20° fault size" in out.message
    )
    assert grade_from_cut(replace(warned, value=14.0), 5.0, "deg") == replace(warned, value=14.0)
    passed = replace(shin_fault(17.0), verdict="pass")
    assert grade_from_cut(passed, 5.0, "deg") == passed  # no flag is invented
    assert grade_from_cut(warned, 7.0, "deg") == warned  # too close to tell apart: the check's verdict stands


def test_fine_and_fault_too_close_to_tell_apart_keep_the_margin_from_the_fault_line():
    """10° apart with a ±7° (2 SD) reading is under 3.3 SDs (11.55): the rule cannot tell the sizes apart, so a
    fault needs its reading past the fault line by the whole uncertainty, as without a fine size."""
    assert not separable(shin_fault(21.0), 7.0) and fault_from(shin_fault(21.0), 7.0) is None
    assert margin_line(shin_fault(21.0), 7.0) == FAULT_SIZE
    j = apply_margin(shin_fault(21.0), 7.0, "deg")
    assert j.verdict == "warn" and "of the 20° fault line" in j.message and "cut" not in j.message
    assert apply_margin(shin_fault(27.5), 7.0, "deg").verdict == "fault"


def test_sizes_just_told_apart_put_the_line_the_uncertainty_past_the_fine_size_and_say_why():
    """Fine 10, fault 15, ±2.8 (2 SD): 5° apart is over 3.3 SDs (4.62), the cut is 12.5, and a fault needs a
    reading more than 2.8 from the fine size: past 12.8. At 12.6 it is a warning that names the fine size, at 12.4
    one that names the cut, at 12.9 a fault."""
    j = Judgement("fault", 12.6, 15.0, 0, "shins tilted", fault_line=15.0, fine_line=FINE_SIZE)
    assert fault_from(j, 2.8) == pytest.approx(12.8)
    out = apply_margin(j, 2.8, "deg")
    assert out.verdict == "warn"
    assert "at most a warning: within the ±2.8° measurement uncertainty of the 10° fine size" in out.message
    short = apply_margin(replace(j, value=12.4), 2.8, "deg")
    assert short.verdict == "warn" and "short of the 12.5° cut between the 10° fine size and the 15° fault size" in (
        short.message
    )
    assert apply_margin(replace(j, value=12.9), 2.8, "deg").verdict == "fault"


def test_a_rule_faulting_below_its_line_is_cut_the_same_way():
    """Hips through (fault 165, fine 172, ±4.1): the line is 167.9, under the 168.5 cut, for readings under it."""
    j = Judgement("warn", 167.0, 168.0, 0, "hips 167°", fault_line=165.0, fine_line=172.0)
    assert fault_from(j, 4.1) == pytest.approx(167.9)
    assert grade_from_cut(j, 4.1, "deg").verdict == "fault"
    assert grade_from_cut(replace(j, value=168.0), 4.1, "deg").verdict == "warn"


def test_without_a_fine_size_the_margin_line_is_the_fault_line():
    assert margin_line(fault_at(FAULT + 1.0), U) == FAULT
    assert margin_line(shin_fault(21.0), None) == FAULT_SIZE
