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


def _detect(cfg: Config, **changes: float) -> Config:
    return dataclasses.replace(cfg, detect=dataclasses.replace(cfg.detect, **changes))


def _lockout_findings(cfg: Config, exercise: str, rule: str, view: str | None = None) -> list[tuple[str, str]]:
    a = analyze_landmarks(S.rdl_set(n_reps=3).seq, cfg, exercise=exercise, view=view)
    return [(f.verdict, f.message) for f in a.findings if f.rule == rule]


def test_a_lockout_pass_needs_the_camera_square_to_the_side() -> None:
    """From 10-15 deg towards the lifter's front a rendered 15 deg partial lockout reads as straight as a full one
    (docs/ACCURACY.md 'A lockout pass needs the side view'): a pass from a shot measured further off the side than
    ``detect.lockout_pass_max_off_side_deg`` is not checked, with the reason and the angle, for both lockout rules.
    The generated set is measured 0 deg off side, so a limit under 0 stands for a camera turned past the limit."""
    past = _detect(load_config(), lockout_pass_max_off_side_deg=-1.0)
    for exercise, rule in (("rdl", HIPS_THROUGH.id), ("deadlift", "dl.lockout")):
        assert [v for v, _ in _lockout_findings(load_config(), exercise, rule)] == ["pass"] * 3
        blind = _lockout_findings(past, exercise, rule)
        assert [v for v, _ in blind] == ["not_checked"] * 3
        assert all(
            "a pass needs the camera square to the side" in m and "0° off the side as measured" in m for _, m in blind
        )
        # the user who says the camera is square to the side is taken at their word
        assert [v for v, _ in _lockout_findings(past, exercise, rule, view="side")] == ["pass"] * 3


def test_a_lockout_flag_stands_off_the_square_side() -> None:
    """The bias off the square side turns a partial lockout towards straight, never a straight one bent: a flag
    from there stands (only passes are blind)."""
    cfg = _detect(
        _hinge(load_config(), hips_through_fine_deg=192.0, hips_through_warn_deg=189.0, hips_through_fault_deg=185.0),
        lockout_pass_max_off_side_deg=-1.0,
    )
    assert [v for v, _ in _lockout_findings(cfg, "rdl", HIPS_THROUGH.id)] == ["fault"] * 3
