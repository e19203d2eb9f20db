"""``hinge.hips_through``: what every hinge demands alike (COACHING.md 'Romanian deadlift', §3 lockout), judged
with the limits of its own ``hinge`` config section whichever lift it belongs to."""

from __future__ import annotations

import dataclasses

from formcheck.config import Config, load_config
from formcheck.exercises import get_lift
from formcheck.exercises.hinge import HIPS_THROUGH
from formcheck.pipeline import analyze_landmarks
from tests import synthetic as S


def _hinge(cfg: Config, **changes: float) -> Config:
    return dataclasses.replace(cfg, hinge=dataclasses.replace(cfg.hinge, **changes))


def _verdicts(cfg: Config, exercise: str = "rdl") -> list[str]:
    a = analyze_landmarks(S.rdl_set(n_reps=3).seq, cfg, exercise=exercise)
    return [f.verdict for f in a.findings if f.rule == HIPS_THROUGH.id]


def test_a_lifter_who_stands_tall_passes() -> None:
    assert _verdicts(load_config()) == ["pass"] * 3


def test_the_limits_come_from_the_hinge_section_not_the_lifts() -> None:
    """Raise the hinge section's lines above a standing lifter's hips: every rep is flagged. The RDL's own section
    plays no part."""
    cfg = _hinge(load_config(), hips_through_fine_deg=192.0)
    assert _verdicts(_hinge(cfg, hips_through_warn_deg=189.0, hips_through_fault_deg=185.0)) == ["fault"] * 3
    assert _verdicts(_hinge(cfg, hips_through_warn_deg=189.0, hips_through_fault_deg=150.0)) == ["warn"] * 3
    assert _verdicts(dataclasses.replace(cfg, rdl=dataclasses.replace(cfg.rdl, judge_unvalidated=True))) == ["pass"] * 3


def test_every_two_leg_hinge_demands_it_and_the_deadlift_reads_it_in_its_lockout() -> None:
    for lift_id in ("rdl", "stiff_leg_deadlift"):
        assert HIPS_THROUGH in get_lift(lift_id).rules
    deadlift = get_lift("deadlift")
    assert HIPS_THROUGH not in deadlift.rules and HIPS_THROUGH.demanded_by(deadlift)
    for lift_id in ("hip_thrust", "glute_bridge"):
        assert not HIPS_THROUGH.demanded_by(get_lift(lift_id))


def test_a_single_leg_rdl_says_why_it_is_not_judged() -> None:
    rule = next(r for r in get_lift("single_leg_rdl").rules if r.id == HIPS_THROUGH.id)
    assert "single-leg" in rule.unvalidated and "B-stance" in rule.unvalidated


def test_off_the_pure_side_it_says_why_it_cannot_judge() -> None:
    """Rendered RDLs 15-45 deg off side read a 15 deg partial lockout as straight as a full one: an oblique view
    gets "not checked" with that reason, never a blind pass."""
    a = analyze_landmarks(S.rdl_set(n_reps=3).seq, load_config(), exercise="rdl", view="oblique")
    found = [f for f in a.findings if f.rule == HIPS_THROUGH.id]
    assert len(found) == 3 and all(f.verdict == "not_checked" and "pure side view" in f.message for f in found)
