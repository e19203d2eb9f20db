"""An unknown lift (issue 15 item 1): when no lift is clearly ahead the report says so with its best guesses,
counts the reps with the best guess's rep model, and judges only the rules every guess shares."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from rich.console import Console

from formcheck.config import Config, load_config
from formcheck.evaluate import ClipLabel, score_clip
from formcheck.exercises import get_lift
from formcheck.exercises.detect import (
    JUDGED_IF_NAMED,
    NOT_TRIED,
    UNKNOWN_LIFT,
    angle_sd_deg,
    classify_lift,
    guesses,
    knee_bend_if_rdl,
    lift_for,
    lift_probabilities,
    pass_exercise_hint,
    unknown_lift,
)
from formcheck.exercises.hinge import HIPS_THROUGH
from formcheck.pipeline import analyze_landmarks
from formcheck.report.console import render
from formcheck.types import Detection
from tests import synthetic as S

#: A two-leg hinge from the side that opens crouched (a pull from the floor), knees 70 deg at the bottom: every
#: test but the knee's lies far from its cut.
FLOOR_PULL = {
    "hip_top_deg": 172.0,
    "hip_max_deg": 174.0,
    "hip_bottom_deg": 80.0,
    "torso_vert_top_deg": 8.0,
    "torso_vert_bottom_deg": 70.0,
    "body_line_top_deg": 8.0,
    "knee_flex_bottom_deg": 70.0,
    "ankle_gap_bottom_leg": 0.0,
    "shoulder_height_top": 1.8,
    "shoulder_height_max": 1.8,
    "shoulder_rise_per_hip_rise": 1.5,
    "start_low_fraction": 0.95,
    "wrist_start_above_bottom_leg": 0.0,
}


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _detect(**changes: float) -> Config:
    cfg = load_config()
    return dataclasses.replace(cfg, detect=dataclasses.replace(cfg.detect, **changes))


def test_a_reading_far_from_every_cut_names_the_lift() -> None:
    d = classify_lift(FLOOR_PULL, load_config().detect)
    assert d.label == "deadlift" and d.confidence == 1.0
    assert guesses(d) == [("deadlift", 1.0)]


@pytest.mark.parametrize(("sds_past", "named"), [(0.0, False), (0.5, False), (1.0, None), (2.0, True)])
def test_the_share_is_the_chance_the_knee_lies_past_the_cut(sds_past: float, named: bool | None) -> None:
    """Knees ``sds_past`` measured SDs past the deadlift cut: the deadlift's share is Phi(sds_past), the rest a
    stiff-leg deadlift (a floor pull with RDL knees) or, 15 deg further down, an RDL. Named from one SD on
    (Phi(1) = 0.84: at exactly one SD the draws decide)."""
    cfg = load_config().detect
    sd = angle_sd_deg(cfg, 0.0)
    f = {**FLOOR_PULL, "knee_flex_bottom_deg": cfg.deadlift_min_knee_flexion_deg + sds_past * sd}
    shares = lift_probabilities(f, cfg)
    assert set(shares) <= {"deadlift", "stiff_leg_deadlift", "rdl"}
    assert shares["deadlift"] == pytest.approx(_phi(sds_past), abs=0.04)
    d = classify_lift(f, cfg)
    assert d.label == ("deadlift" if shares["deadlift"] >= cfg.lift_min_probability else UNKNOWN_LIFT)
    if named is not None:
        assert (d.label == "deadlift") == named


def test_the_angles_scatter_more_off_the_side() -> None:
    """COACHING.md §5: 6.4 deg from the side, 15.1 over 45-90 deg off; a reading named from the side is unknown
    when filmed 60 deg off."""
    cfg = load_config().detect
    assert angle_sd_deg(cfg, 0.0) == cfg.lift_angle_sd_side_deg == angle_sd_deg(cfg, cfg.lift_angle_sd_side_up_to_deg)
    assert angle_sd_deg(cfg, 60.0) == cfg.lift_angle_sd_off_side_deg == angle_sd_deg(cfg, 90.0)
    assert cfg.lift_angle_sd_side_deg < angle_sd_deg(cfg, 30.0) < cfg.lift_angle_sd_off_side_deg
    f = {**FLOOR_PULL, "knee_flex_bottom_deg": cfg.deadlift_min_knee_flexion_deg + 12.0}
    assert classify_lift(f, cfg, off_side_deg=0.0).label == "deadlift"
    assert classify_lift(f, cfg, off_side_deg=60.0).label == UNKNOWN_LIFT


def test_rarely_read_lifts_are_not_guessed() -> None:
    """Knees 1.5 SD past the cut: the stiff-leg deadlift is read 7 % of the time, under the guesses' floor."""
    cfg = load_config().detect
    f = {**FLOOR_PULL, "knee_flex_bottom_deg": cfg.deadlift_min_knee_flexion_deg + 1.5 * angle_sd_deg(cfg, 0.0)}
    d = classify_lift(f, cfg)
    assert d.label == "deadlift"
    assert [g["lift"] for g in d.detail["guesses"]] == ["deadlift"]


def test_an_rdl_or_a_deadlift_is_judged_only_by_what_every_hinge_demands() -> None:
    """An RDL's knees stay soft, a deadlift's lock: the knee rules differ. Both finish with the hips through
    (``dl.lockout`` reads the hips too, so it covers ``hinge.hips_through``): that alone is judged, whichever lift
    is the best guess, with the limits of the shared ``hinge`` section."""
    for candidates in (["rdl", "deadlift"], ["deadlift", "rdl"], ["stiff_leg_deadlift", "rdl", "deadlift"]):
        lift = unknown_lift(candidates, "pass --exercise")
        assert lift.family == "hinge" and lift.judged and lift.id == candidates[0]
        judged = [rule for rule in lift.rules if not rule.set_aside]
        assert [rule.id for rule in judged] == [HIPS_THROUGH.id], candidates
        assert judged[0].config_section == "hinge"
        for rule in lift.rules:
            if rule.set_aside:
                assert "the lift is unknown" in rule.set_aside and "not the same for each" in rule.set_aside


def test_a_rule_covered_by_a_rival_is_shared_but_the_covering_rule_is_not() -> None:
    """``dl.lockout`` also reads the knees, which an RDL keeps soft: it is not the RDL's demand, so it is set aside
    while the hips-through rule it covers is judged."""
    lift = unknown_lift(["deadlift", "rdl"], "hint")
    lockout = next(rule for rule in lift.rules if rule.id == "dl.lockout")
    assert lockout.set_aside and HIPS_THROUGH in lockout.covers
    assert HIPS_THROUGH.demanded_by(get_lift("deadlift")) and HIPS_THROUGH.demanded_by(get_lift("rdl"))
    assert not HIPS_THROUGH.demanded_by(get_lift("hip_thrust"))


def test_lifts_with_no_rule_in_common_are_not_judged() -> None:
    """A thrust and a deadlift demand nothing alike: no verdict, the reason says why."""
    lift = unknown_lift(["hip_thrust", "deadlift"], "pass --exercise")
    assert not lift.judged
    assert "unknown" in lift.not_judged_reason and "no rule is the same for each" in lift.not_judged_reason


def test_lifts_that_share_every_rule_are_judged_by_them() -> None:
    """An RDL and a stiff-leg deadlift are judged by the same RDL rules: nothing is set aside."""
    lift = unknown_lift(["rdl", "stiff_leg_deadlift"], "pass --exercise")
    assert lift.rules == get_lift("rdl").rules
    assert lift.id == "rdl"  # the best guess's behaviour, the best guess's rep model


def test_only_the_shared_rules_of_a_thrust_or_bridge_are_judged() -> None:
    """The glute bridge's shin rule waits for evidence, the thrust's does not: not the same rule, set aside."""
    lift = unknown_lift(["hip_thrust", "glute_bridge"], "pass --exercise hip_thrust")
    bridge = get_lift("glute_bridge").rules
    for rule in lift.rules:
        assert bool(rule.set_aside) == (rule not in bridge), rule.id
        if rule.set_aside:
            assert "pass --exercise hip_thrust" in rule.set_aside
    assert any(rule.set_aside for rule in lift.rules) and not all(rule.set_aside for rule in lift.rules)


def test_single_leg_and_two_leg_rdl_share_only_the_rules_validated_for_both() -> None:
    lift = unknown_lift(["rdl", "single_leg_rdl"], "hint")
    kept = {rule.id for rule in lift.rules if not rule.set_aside}
    assert kept == {"rdl.knees_locked", "rdl.knees_frozen", "rdl.rounding", "rdl.tempo"}


def _floor_pull_on_the_cut():
    """A generated floor-to-floor deadlift set whose knee reading (70 deg) sits on the deadlift cut."""
    syn = S.deadlift_from_floor_set(n_reps=3)
    return syn, _detect(deadlift_min_knee_flexion_deg=70.0)


def test_an_unknown_lift_counts_its_reps_and_gives_no_verdict_it_cannot_stand_by() -> None:
    syn, cfg = _floor_pull_on_the_cut()
    a = analyze_landmarks(syn.seq, cfg)
    assert a.exercise.label == UNKNOWN_LIFT
    assert {g for g, _ in guesses(a.exercise)} == {"deadlift", "stiff_leg_deadlift"}
    assert a.family == "hinge" and len(a.reps) == 3 and a.judged
    judged = {f.rule for f in a.findings if f.verdict != "not_checked"}
    assert judged == {HIPS_THROUGH.id}  # the generated lifter stands tall: a pass on every rep
    assert all(f.verdict == "pass" for f in a.findings if f.rule == HIPS_THROUGH.id)
    for f in a.findings:
        if f.rule != HIPS_THROUGH.id:
            assert f.verdict == "not_checked" and "unknown" in f.message, f.rule


def test_exercise_always_overrides_an_unknown_lift() -> None:
    syn, cfg = _floor_pull_on_the_cut()
    a = analyze_landmarks(syn.seq, cfg, exercise="deadlift")
    assert a.exercise.label == "deadlift" and a.exercise_forced and a.judged
    assert len(a.reps) == 3 and a.findings


def test_an_unknown_lift_whose_guesses_share_the_rules_is_judged_by_them() -> None:
    """An RDL set filmed from the bottom of a rep (it opens low, hands at the bottoms' height) with knees on the
    stiff-leg cut: an RDL or a stiff-leg deadlift, the same rules either way."""
    syn = S.rdl_set(n_reps=3, start_at_top=False, knee_start_deg=35.0)
    a = analyze_landmarks(syn.seq, load_config())
    assert a.exercise.label == UNKNOWN_LIFT
    assert {g for g, _ in guesses(a.exercise)} == {"rdl", "stiff_leg_deadlift"}
    assert a.judged and len(a.reps) == 3
    assert {f.rule for f in a.findings} == {rule.id for rule in get_lift("rdl").rules}
    assert not any("unknown" in f.message for f in a.findings)


def test_reports_show_the_guesses_and_how_to_judge() -> None:
    syn, cfg = _floor_pull_on_the_cut()
    a = analyze_landmarks(syn.seq, cfg)
    console = Console(width=200, record=True)
    console.print(render(a))
    text = console.export_text()
    assert "unknown lift: probably" in text and "--exercise deadlift" in text
    data = a.to_dict()["exercise"]
    assert data["label"] == UNKNOWN_LIFT and data["family"] == "hinge"
    assert [g["lift"] for g in data["detail"]["guesses"]] == [g for g, _ in guesses(a.exercise)]
    from formcheck.report.html import build_context

    ctx = build_context(a, Path("report.html"))
    assert ctx["lift"].startswith("unknown lift") and "--exercise" in ctx["lift_hint"]


def _with_judged(counts: dict[str, int] | None) -> Detection:
    pairs = (("stiff_leg_deadlift", 0.51), ("rdl", 0.28), ("deadlift", 0.21))
    detection = _unknown(*pairs)
    return (
        detection
        if counts is None
        else dataclasses.replace(detection, detail={**detection.detail, JUDGED_IF_NAMED: counts})
    )


def test_the_hint_names_only_the_lifts_that_would_judge_more() -> None:
    """clip_089 (one pull 33 deg off the side after a long set-up): "pass --exercise stiff_leg_deadlift or ... to
    judge every rule" sent the user to run it again for nothing: as a stiff-leg deadlift or an RDL every rule they
    add says "not checked" there; as a deadlift one (chest and hips rising together) is judged."""
    before = pass_exercise_hint(_with_judged(None))  # not judged yet: every guess
    assert "--exercise stiff_leg_deadlift or --exercise rdl or --exercise deadlift" in before
    one = pass_exercise_hint(_with_judged({"stiff_leg_deadlift": 0, "rdl": 0, "deadlift": 1}))
    assert one.startswith("pass --exercise deadlift to judge") and "if that is the lift" in one
    assert "naming stiff_leg_deadlift or rdl would judge no more" in one
    none = pass_exercise_hint(_with_judged({"stiff_leg_deadlift": 0, "rdl": 0, "deadlift": 0}))
    assert none.startswith("naming the lift") and "would judge no more of it here" in none
    assert "share every rule" in pass_exercise_hint(_with_judged({}))
    # a guess counted on another rep model is not tried, so not ruled out
    untried = pass_exercise_hint(_with_judged({"stiff_leg_deadlift": 0, "rdl": 0, "deadlift": NOT_TRIED}))
    assert untried.startswith("pass --exercise deadlift to judge")


def test_an_unknown_lift_records_what_naming_it_would_judge() -> None:
    """The pipeline tries each guess on the same reps: a floor pull on the deadlift's knee cut adds the deadlift's
    rules (judged from the side); an RDL or a stiff-leg deadlift adds none, and the report says so."""
    syn, cfg = _floor_pull_on_the_cut()
    a = analyze_landmarks(syn.seq, cfg)
    counts = a.exercise.detail[JUDGED_IF_NAMED]
    assert counts["deadlift"] > 0 and set(counts) <= {"deadlift", "stiff_leg_deadlift"}
    assert "--exercise deadlift" in pass_exercise_hint(a.exercise)
    shared = analyze_landmarks(S.rdl_set(n_reps=3, start_at_top=False, knee_start_deg=35.0).seq, load_config())
    assert shared.exercise.label == UNKNOWN_LIFT and shared.exercise.detail[JUDGED_IF_NAMED] == {}
    assert "share every rule" in pass_exercise_hint(shared.exercise)
    # the reasons of the rules set aside end with the same hint as the report's line
    hint = pass_exercise_hint(a.exercise)
    aside = [f for f in a.findings if f.verdict == "not_checked" and "unknown" in f.message]
    assert aside and all(f.message.endswith(hint) for f in aside)


class _Analysis:
    """The few fields :func:`score_clip` reads."""

    def __init__(self, exercise: Detection, family: str) -> None:
        self.exercise, self.family = exercise, family
        self.view = Detection("side", 1.0)
        self.reps: list = []
        self.findings: list = []
        self.judged = False

    def flagged(self) -> list:
        return []


def _unknown(*pairs: tuple[str, float]) -> Detection:
    return Detection(UNKNOWN_LIFT, pairs[0][1], {"guesses": [{"lift": g, "probability": p} for g, p in pairs]})


@pytest.mark.parametrize(
    ("detection", "family", "lift_ok", "family_ok", "best_ok"),
    [
        (Detection("rdl", 0.9), "hinge", True, True, None),
        (Detection("deadlift", 0.9), "hinge", False, True, None),
        (_unknown(("rdl", 0.6), ("deadlift", 0.4)), "hinge", False, True, True),
        (_unknown(("deadlift", 0.6), ("rdl", 0.4)), "hinge", False, True, False),
        (_unknown(("rdl", 0.6), ("squat", 0.4)), "hinge", False, False, True),
    ],
)
def test_eval_scores_an_unknown_lift_as_no_lift(detection, family, lift_ok, family_ok, best_ok) -> None:
    label = ClipLabel(file="x.mp4", exercise="rdl", view="side", n_reps=0, reps=(), usable=True)
    res = score_clip(label, _Analysis(detection, family))
    assert (res.lift_ok, res.family_ok, res.best_guess_ok) == (lift_ok, family_ok, best_ok)


def test_lift_for_a_named_lift_is_the_lift() -> None:
    assert lift_for(Detection("rdl", 0.9)) is get_lift("rdl")


def test_eval_totals_count_unknowns_and_wrong_names() -> None:
    from formcheck.evaluate import ClipResult, to_markdown, totals

    def result(exercise: str, lift_ok: bool, guesses_: list[str], best_ok: bool | None) -> ClipResult:
        return ClipResult(
            file=f"{exercise}.mp4",
            status="ok",
            exercise=exercise,
            exercise_true="rdl",
            family_ok=True,
            lift_ok=lift_ok,
            guesses=guesses_,
            best_guess_ok=best_ok,
        )

    results = [
        result("rdl", True, [], None),
        result("deadlift", False, [], None),
        result(UNKNOWN_LIFT, False, ["rdl", "deadlift"], True),
        result(UNKNOWN_LIFT, False, ["deadlift", "rdl"], False),
    ]
    t = totals(results)
    assert (t["lift_accuracy"], t["lift_named_wrong"], t["unknown_lift_clips"]) == (0.25, 1, 2)
    assert t["unknown_lift_best_guess_right"] == 1
    md = to_markdown(results, t)
    assert "unknown lift: 2 clips, the best guess the labelled lift in 1; a wrong lift named on 1 clips" in md
    assert "| unknown: rdl? deadlift? (rdl) |" in md


#: An RDL set done as a squat-hinge hybrid, filmed 30-45 degrees off the side: it opens standing with the bar in the
#: hands, and its knees bend 65 deg at the bottom, a deadlift's range; the knee test's scatter off the side leaves it
#: "an RDL or a deadlift" (the rendered oblique hybrids read 61-75 deg).
HYBRID = {**FLOOR_PULL, "knee_flex_bottom_deg": 65.0, "start_low_fraction": 0.02, "wrist_start_above_bottom_leg": 0.6}


def test_an_rdl_or_deadlift_that_opens_standing_is_told_what_its_knee_bend_means() -> None:
    """COACHING.md §2-§3: an unknown lift that opens standing as an RDL set does but bends its knees as a deadlift
    does is told the bend and that in an RDL it is the squat-hinge hybrid, since the knee rule is set aside."""
    cfg = load_config().detect
    d = classify_lift(HYBRID, cfg, True, 40.0)
    assert d.label == UNKNOWN_LIFT and {g for g, _ in guesses(d)} == {"rdl", "deadlift"}
    note = knee_bend_if_rdl(d, cfg)
    assert note is not None and "65°" in note and "squat-hinge hybrid" in note and "--exercise rdl" in note


@pytest.mark.parametrize(
    ("label", "changes", "why"),
    [
        ("rdl", {}, "named: its knee rule judges it"),
        (UNKNOWN_LIFT, {"start_low_fraction": 0.95, "wrist_start_above_bottom_leg": 0.0}, "opens crouched: a pull"),
        (UNKNOWN_LIFT, {"knee_flex_bottom_deg": 45.0}, "knees within an RDL's range"),
    ],
)
def test_no_knee_note_where_it_would_not_mean_a_fault(label: str, changes: dict, why: str) -> None:
    cfg = load_config().detect
    guessed = [{"lift": "rdl", "probability": 0.7}, {"lift": "deadlift", "probability": 0.3}]
    d = Detection(label, 0.7, {**HYBRID, **changes, "guesses": guessed})
    assert knee_bend_if_rdl(d, cfg) is None, why


@pytest.mark.parametrize(
    "guessed",
    [
        # an RDL or a stiff-leg deadlift: both judge the knees as an RDL, so the bend is judged, not told
        [{"lift": "stiff_leg_deadlift", "probability": 0.6}, {"lift": "rdl", "probability": 0.4}],
        # a squat among the guesses (clip_062, a box squat 51 deg off): its knees bend so too
        [
            {"lift": "squat", "probability": 0.59},
            {"lift": "rdl", "probability": 0.27},
            {"lift": "deadlift", "probability": 0.14},
        ],
    ],
)
def test_no_knee_note_where_the_bend_does_not_single_out_an_rdl(guessed: list) -> None:
    cfg = load_config().detect
    assert knee_bend_if_rdl(Detection(UNKNOWN_LIFT, 0.6, {**HYBRID, "guesses": guessed}), cfg) is None
