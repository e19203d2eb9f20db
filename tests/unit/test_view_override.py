"""``--view``: a user who knows how the camera looked at the lifter overrides the view detector."""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.errors import ConfigError
from formcheck.exercises import get_lift
from formcheck.judging import NEEDS_PURE_SIDE
from formcheck.pipeline import analyze_landmarks
from tests import synthetic as S

SIDE_ONLY = {rule.id for rule in get_lift("rdl").rules if rule.side_view_only}


def test_forced_oblique_keeps_the_angle_rules_and_skips_the_distance_rules():
    seq = S.rdl_set(world=True).seq
    auto = analyze_landmarks(seq, load_config())
    forced = analyze_landmarks(seq, load_config(), view="oblique")
    assert auto.view.label == "side" and forced.view.label == "oblique"
    assert forced.view.confidence == 1.0 and forced.view.detail["forced"] == 1.0
    assert forced.view.detail["detected"] == "side"
    assert forced.judged
    for f in forced.findings:
        if f.rule in SIDE_ONLY:
            assert f.verdict == "not_checked" and f.message == NEEDS_PURE_SIDE
        else:
            assert f.verdict != "not_checked", f
    assert any(w.code == "oblique_view" for w in forced.warnings)


def test_forced_side_judges_what_auto_judges_on_a_side_view():
    seq = S.rdl_set(world=True).seq
    auto = analyze_landmarks(seq, load_config())
    forced = analyze_landmarks(seq, load_config(), view="side")
    assert [(f.rule, f.rep, f.verdict, f.value) for f in forced.findings] == [
        (f.rule, f.rep, f.verdict, f.value) for f in auto.findings
    ]


def test_an_unknown_view_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown view 'front'"):
        analyze_landmarks(S.rdl_set().seq, load_config(), view="front")
