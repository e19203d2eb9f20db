"""Report polish of issue 11: plain-language titles, warn/FAULT told apart, one fatigue line, no empty ROM line,
gauges only where a rule judged, labels inside the frame, the not-judged reason once."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO

import numpy as np
import pytest
from rich.console import Console

from formcheck.quality import QualityWarning
from formcheck.report.console import print_report
from formcheck.report.overlay import Annotator, _inside, _Style, _text
from formcheck.report.words import fatigue_line, has_values, not_judged_yet, rule_title, when_judged
from formcheck.summary import FatigueSign
from tests.integration.test_report import sample_analysis


@pytest.fixture(scope="module")
def thrust():
    return sample_analysis("hip_thrust_head_back")[0]


@pytest.fixture(scope="module")
def rdl():
    return sample_analysis("rdl_knees_bend")[0]


def _terminal(analysis) -> str:
    buffer = StringIO()
    print_report(analysis, Console(file=buffer, width=140, color_system=None))
    return buffer.getvalue()


def test_terminal_report_names_rules_in_plain_words_with_the_verdict_word(thrust):
    text = _terminal(thrust)
    assert "✖ FAULT Eyes on the wall" in text and "[ht.look_at_wall]" in text
    assert "▲ warn Same position every rep" in text


def test_terminal_report_shows_each_flagged_value_with_its_uncertainty(thrust):
    """COACHING.md §4: a flag carries its value with the measurement uncertainty, its limit and its fault line."""
    text = _terminal(thrust)
    fault = next(f for f in thrust.flagged() if f.rule == "ht.look_at_wall" and f.verdict == "fault")
    u = thrust.config.hip_thrust.gaze_uncertainty_deg
    assert fault.uncertainty == u and fault.fault_line is not None
    assert (
        f"measured {fault.value:.1f} ± {u:g}°, limit {fault.threshold:.0f}°, fault past {fault.fault_line:.0f}°" in text
    )
    assert abs(fault.value - fault.fault_line) > u  # a fault only past the margin


def test_one_fatigue_line_per_set(thrust):
    signs = [FatigueSign("ht.look_at_wall", [4], "x"), FatigueSign("ht.consistency", [4], "y")]
    line = fatigue_line(signs)
    assert line is not None and line.count("broke down") == 1 and rule_title("ht.consistency") in line
    text = _terminal(replace(thrust, summary=replace(thrust.summary, fatigue=signs)))
    assert text.count("Fatigue") == 1


def test_no_range_of_motion_line_without_angles(thrust):
    empty = replace(thrust, summary=replace(thrust.summary, rom_deg=[None, None, None, None]))
    assert not has_values(empty.summary.rom_deg)
    assert "ROM –" not in _terminal(empty)


def test_the_not_judged_reason_is_said_once(thrust):
    reason = "filmed from the front: the side-view angles cannot be measured"
    unjudged = replace(
        thrust, judged=False, not_judged_reason=reason, warnings=[QualityWarning("front_view", reason)], findings=[]
    )
    assert _terminal(unjudged).replace("\n│", " ").count("filmed from the front") == 1


def test_gauge_only_on_reps_a_rule_judged(rdl):
    judged = Annotator(rdl, rdl.video.width, rdl.video.height)
    assert judged.gauge is not None and judged.gauge_reps == {r.index for r in rdl.reps}
    unjudged = Annotator(replace(rdl, findings=[], judged=False), rdl.video.width, rdl.video.height)
    assert unjudged.gauge_reps == set()


def test_labels_stay_inside_the_frame():
    assert _inside((630, 5), 100, 20, 5, 4, 640, 360) == (536, 24)
    img = np.zeros((120, 200, 3), np.uint8)
    _text(img, "knee 45 deg bent", (190, 118), _Style(0.6))
    assert img[:, -2:].sum() == 0 and img[-2:, :].sum() == 0  # nothing touches the right or bottom edge
    assert img.sum() > 0


def test_a_value_and_its_limit_never_read_alike():
    from formcheck.report.words import digits_apart

    assert digits_apart(0.97, 1.0, 1) == 2  # "0.97" against "1.00", not "1.0" against "1.0"
    assert digits_apart(134.0, 95.0, 0) == 0
    assert digits_apart(14.6, 15.0, 0) == 1
    assert digits_apart(None, 1.0, 1) == 1 and digits_apart(1.0, 1.0, 1) == 1


def test_rules_not_judged_yet_are_one_line_and_their_reasons_stay_in_the_findings(rdl):
    """A lift's standing "not judged yet" rules (no validated measurement) are listed once by title; their reasons
    stay in every finding (JSON, HTML) and in ``formcheck rules --why``, not repeated in the terminal."""
    not_yet = {f.rule for f in rdl.findings if not_judged_yet(f, rdl.lift_rules)}
    assert not_yet == {"rdl.bar_drift", "rdl.rounding", "rdl.neck"}
    text = _terminal(rdl)
    line = next(ln for ln in text.splitlines() if "Not judged yet" in ln)
    assert text.count("Not judged yet") == 1
    assert all(rule_title(r) in line for r in not_yet)
    for rule in rdl.lift_rules:
        if rule.id in not_yet:
            assert rule.unvalidated[:60] not in text
            assert all(f.message == rule.unvalidated for f in rdl.findings if f.rule == rule.id)


def test_a_rule_judged_on_request_is_not_called_not_judged_yet(rdl):
    from formcheck.exercises import get_lift

    rule = next(r for r in get_lift("rdl").rules if r.id == "rdl.neck")
    assert when_judged(rule, rdl.config.rdl, rdl.config) == "not yet"
    on = replace(rdl.config.rdl, judge_unvalidated=True)
    assert when_judged(rule, on, rdl.config) != "not yet"
    # a finding with another reason for the same rule (a hidden joint) is the clip's, not the rule's standing one
    finding = next(f for f in rdl.findings if f.rule == "rdl.neck")
    assert not not_judged_yet(replace(finding, message="the ear is hidden"), rdl.lift_rules)


def test_html_folds_the_reasons_of_rules_not_judged_yet(rdl, tmp_path):
    from formcheck.report.html import write_html

    html = write_html(rdl, tmp_path / "r.html").read_text()
    assert html.count("Not judged yet:") == 1 and "<details>" in html
    for rule in rdl.lift_rules:
        if rule.id in {"rdl.bar_drift", "rdl.rounding", "rdl.neck"}:
            assert html.count(rule.unvalidated[:50]) == 1  # once, inside the folded list


def test_formcheck_rules_names_the_angle_a_rule_was_validated_to():
    """``formcheck rules`` says how far round each rule judges: the view class's limit, or the rule's own where rendered
    truth measured it round from the side (``Rule.max_off_side``: the hips' travel to 36°, the thrust's shins to 45°,
    the gaze only to 19°)."""
    from formcheck.config import load_config
    from formcheck.exercises import get_lift

    config = load_config()
    rules = {r.id: r for lift in ("rdl", "hip_thrust") for r in get_lift(lift).rules}
    assert when_judged(rules["rdl.hips_back"], config.rdl, config) == "side views up to 36° off"
    assert when_judged(rules["ht.shin_angle"], config.hip_thrust, config) == "side and oblique views up to 45° off"
    assert when_judged(rules["ht.overextension"], config.hip_thrust, config) == "near the side (≤ 23° off)"
    assert when_judged(rules["ht.look_at_wall"], config.hip_thrust, config) == "near the side (≤ 19° off)"
    assert when_judged(rules["rdl.bar_drift"], replace(config.rdl, judge_unvalidated=True), config).startswith(
        "pure side view"
    )
