"""Graded faults (size parsing, validation, label sizes) and the sensitivity scoring on hand-made analyses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from formcheck import sensitivity as S
from formcheck.synth.body import BodySpec, dimensions
from formcheck.synth.faults import FAULTS, faults_for, merge_requests, normalise, parse_fault, rep_quantities, validate
from formcheck.synth.motion import RdlRep, Timing

# ---------------------------------------------------------------- fault sizes


def test_parse_fault_size_and_reps():
    assert parse_fault("knees_bend=12.5@2,4", 5) == ("knees_bend", 12.5, (2, 4))
    assert parse_fault("knees_locked=-5@1", 3) == ("knees_locked", -5.0, (1,))
    assert parse_fault("rushed=0.7", 2) == ("rushed", 0.7, (1, 2))
    assert parse_fault("head_back@3", 3) == ("head_back", None, (3,))


@pytest.mark.parametrize(
    "text,message",
    [
        ("knees_bend=31@1", r"fault 'knees_bend': size 31 outside 0\.\.30 \(degrees of shin tilt change"),
        ("knees_locked=-11@1", r"size -11 outside -10\.\.20"),
        ("bar_drift=0.5@1", r"size 0\.5 outside 0\.\.0\.4 \(leg lengths"),
        ("rushed=0.1@1", r"size 0\.1 outside 0\.15\.\.5 \(seconds of eccentric\)"),
        ("chin_tuck=nan@1", "outside"),
        ("rounded_back=x@1", "not a number"),
        ("partial=10@two", "expected NAME"),
    ],
)
def test_parse_fault_refuses_impossible_sizes_in_one_line(text, message):
    with pytest.raises(ValueError, match=message) as info:
        parse_fault(text, 3)
    assert "\n" not in str(info.value)


def test_every_fault_has_a_unit_a_range_and_a_default_inside_it():
    assert set(faults_for("rdl")) == {
        "knees_bend",
        "knees_locked",
        "bar_drift",
        "rushed",
        "rounded_back",
        "floor_touch",
        "head_up",
        "partial_lockout",
        "hips_stay",
    }
    assert set(faults_for("hip_thrust")) == {"head_back", "chin_tuck", "overextension", "partial", "shins"}
    for f in FAULTS.values():
        assert f.unit and f.lo < f.hi and f.lo <= f.default <= f.hi
        f.check(f.default)


def test_default_size_plan_and_later_options_win():
    plan = merge_requests([("rushed", None, (1, 2)), ("rushed", 0.9, (2,)), ("knees_bend", 10.0, (3,))])
    assert plan == {"rushed": {1: FAULTS["rushed"].default, 2: 0.9}, "knees_bend": {3: 10.0}}
    assert normalise({"rushed": (2,), "bar_drift": {1: 0.1}}) == {
        "rushed": {2: FAULTS["rushed"].default},
        "bar_drift": {1: 0.1},
    }


def test_validate_names_reps_and_sizes():
    validate("rdl", {"knees_bend": {2: 15.0}}, 3)
    with pytest.raises(ValueError, match="unknown fault"):
        validate("rdl", {"knee_bend": (1,)}, 3)
    with pytest.raises(ValueError, match="belongs to hip_thrust"):
        validate("rdl", {"chin_tuck": (1,)}, 3)
    with pytest.raises(ValueError, match="outside 1..3"):
        validate("rdl", {"knees_bend": {4: 15.0}}, 3)
    with pytest.raises(ValueError, match="size 45 outside"):
        validate("rdl", {"knees_bend": {2: 45.0}}, 3)


def test_label_records_injected_and_true_sizes_per_rep():
    from formcheck.synth import ClipSpec, plan_clip

    label = plan_clip(ClipSpec(lift="rdl", reps=3, faults={"knees_locked": {2: -4.0}, "bar_drift": (3,)}, seed=2)).label
    reps = label["reps"]
    assert [r["fault_sizes"] for r in reps] == [{}, {"knees_locked": -4.0}, {"bar_drift": FAULTS["bar_drift"].default}]
    assert reps[1]["truth"]["knees_locked"] == pytest.approx(-4.0)
    assert reps[2]["truth"]["bar_drift"] == pytest.approx(FAULTS["bar_drift"].default)
    assert 12.0 <= reps[0]["truth"]["knees_locked"] <= 20.0, "a clean rep's natural knee flexion at the start"
    assert reps[0]["truth"]["floor_touch"] is None and reps[0]["truth"]["bar_drift"] == 0.0
    assert label["faults"] == {"bar_drift": [3], "knees_locked": [2]}


def test_head_up_extends_the_neck_at_the_bottom_only():
    from formcheck.synth import ClipSpec, plan_clip
    from formcheck.synth.motion import RdlRep, Timing, _rdl_poses

    label = plan_clip(ClipSpec(lift="rdl", reps=3, faults={"head_up": {2: 25.0}}, seed=4)).label
    reps = label["reps"]
    assert reps[1]["fault_sizes"] == {"head_up": 25.0}
    assert reps[1]["truth"]["head_up"] == pytest.approx(25.0)
    assert reps[0]["truth"]["head_up"] == 0.0 and reps[2]["truth"]["head_up"] == 0.0, "clean reps hold the neck"
    rep = FAULTS["head_up"].apply(RdlRep(timing=Timing(2.0, 0.2, 1.0, 0.5), neck_deg=6.0), 30.0)
    top, bottom = _rdl_poses(rep)
    assert top["neck"] == 6.0 and bottom["neck"] == pytest.approx(-24.0), "30 degrees of extension at the bottom"


# ---------------------------------------------------------------- scoring on hand-made analyses


@dataclass
class FakeAnalysis:
    reps: list
    findings: list
    exercise: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(label="rdl"))
    judged: bool = True


def rep(index: int, t: float) -> SimpleNamespace:
    return SimpleNamespace(index=index, t_lockout=t)


def finding(rule: str, rep_index: int, verdict: str, value: float | None = None) -> SimpleNamespace:
    return SimpleNamespace(rule=rule, rep=rep_index, verdict=verdict, value=value)


def label_of(lockouts: list[float], kind: str, sizes: dict[int, float]) -> dict:
    return {
        "reps": [
            {
                "index": i + 1,
                "lockout_s": t,
                "fault_sizes": {kind: sizes[i + 1]} if i + 1 in sizes else {},
                "truth": {kind: sizes.get(i + 1, 0.0)},
            }
            for i, t in enumerate(lockouts)
        ]
    }


def job(kind: str = "knees_bend", az: float = 0.0, sizes: tuple[float, ...] = (5.0, 15.0, 25.0)) -> S.ClipJob:
    return S.ClipJob(
        name=f"{kind}_az{az:g}",
        kind=kind,
        lift="rdl",
        sizes=sizes,
        azimuth=az,
        facing="right",
        body=None,
        full_plates=False,
        seed=1,
    )


def test_match_reps_nearest_lockout_each_used_once():
    predicted = [rep(1, 4.1), rep(2, 4.4), rep(3, 12.0), rep(4, 20.0)]
    # true rep 0 at 4.2 is nearest to both 4.1 and 4.4: it takes 4.1 (0.1); true rep 1 at 5.2 gets 4.4 (0.8)
    assert S.match_reps([4.2, 5.2, 12.5, 30.0], predicted) == {0: 1, 1: 2, 2: 3}
    assert S.match_reps([1.0], []) == {}


def test_rep_outcomes_known_answer():
    label = label_of([4.0, 8.0, 12.0, 16.0], "knees_bend", {2: 5.0, 3: 15.0, 4: 25.0})
    analysis = FakeAnalysis(
        reps=[rep(1, 4.2), rep(2, 8.1), rep(3, 16.3)],  # true rep 3 (12 s) was not counted
        findings=[
            finding("rdl.knees_frozen", 1, "pass", 20.0),
            finding("rdl.hips_back", 1, "fault", 0.05),
            finding("rdl.knees_frozen", 2, "warn", 47.0),
            finding("rdl.knees_frozen", 3, "fault", 60.0),
            finding("rdl.tempo", None, "fault"),  # set-level: no rep
        ],
    )
    out = S.rep_outcomes(job(), label, analysis)
    assert [o.rep for o in out] == [1, 2, 3, 4]
    assert [o.size for o in out] == [None, 5.0, 15.0, 25.0]
    assert [o.found for o in out] == [True, True, False, True]
    assert out[0].clean and out[0].verdicts == {"rdl.knees_frozen": "pass", "rdl.hips_back": "fault"}
    assert out[1].verdicts == {"rdl.knees_frozen": "warn"} and out[1].values == {"rdl.knees_frozen": 47.0}
    assert out[2].verdicts == {} and out[3].flagged_by("rdl.knees_frozen")
    failed = S.rep_outcomes(job(), label, None)
    assert not any(o.found for o in failed) and all(o.lift_detected == "" for o in failed)


def outcome(size, verdicts, az=0.0, kind="knees_bend", lift="rdl", found=True, values=None) -> S.RepOutcome:
    return S.RepOutcome(
        clip="c",
        kind=kind,
        lift=lift,
        rep=1,
        size=size,
        true_size=size,
        azimuth=az,
        facing="right",
        body=None,
        lift_detected=lift,
        found=found,
        judged=True,
        verdicts=verdicts,
        values=values or {},
    )


def test_detection_and_false_flag_rates_known_answers():
    rule = "rdl.knees_frozen"
    faulty = [
        outcome(15.0, {rule: "fault"}, values={rule: 60.0}),
        outcome(15.0, {rule: "warn"}, values={rule: 48.0}),
        outcome(15.0, {rule: "pass", "rdl.hips_back": "fault"}, values={rule: 30.0}),
        outcome(15.0, {rule: "not_checked"}),
        outcome(15.0, {}, found=False),
    ]
    r = S.detection(faulty, rule)
    assert (r.fault, r.flagged, r.total, r.unseen) == (1, 2, 5, 2)
    assert r.fault_rate == pytest.approx(0.2) and r.flag_rate == pytest.approx(0.4)
    assert r.median_value == pytest.approx(48.0)
    anyrule = S.detection(faulty, None)
    assert (anyrule.fault, anyrule.flagged, anyrule.unseen) == (2, 3, 1)

    clean = [
        outcome(None, {rule: "pass"}),
        outcome(None, {rule: "fault"}),
        outcome(None, {rule: "not_checked"}),
        outcome(None, {rule: "warn"}),
    ]
    f = S.false_flags(clean, rule)
    assert (f.fault, f.flagged, f.total, f.unseen) == (1, 2, 3, 1)
    assert S.Rate(0, 0, 0).fault_rate is None


def test_summarise_tables_and_plot():
    rule = "rdl.knees_frozen"
    outcomes = []
    for az, hits in ((0.0, ("fault", "fault")), (30.0, ("pass", "warn"))):
        outcomes += [
            outcome(None, {rule: "pass", "rdl.tempo": "pass"}, az=az),
            outcome(None, {rule: hits[0], "rdl.tempo": "pass"}, az=az),
            outcome(15.0, {rule: hits[0]}, az=az, values={rule: 50.0}),
            outcome(15.0, {rule: hits[1], "rdl.hips_back": "fault"}, az=az, values={rule: 70.0}),
            outcome(5.0, {rule: "pass"}, az=az),
        ]
    result = S.summarise(outcomes, {"rdl": [rule, "rdl.tempo"]}, [S.KIND_BY_NAME["knees_bend"]])
    assert result.azimuths == (0.0, 30.0)
    assert result.detection[("knees_bend", 15.0, 0.0)] == S.Rate(2, 2, 2, 0, 60.0)
    assert result.detection[("knees_bend", 15.0, 30.0)] == S.Rate(0, 1, 2, 0, 60.0)
    assert result.detection[("knees_bend", 5.0, 0.0)].fault == 0
    assert result.others[("knees_bend", 15.0, 30.0)] == {"rdl.hips_back": 1}
    assert result.false_flags[(rule, 0.0)] == S.Rate(1, 1, 2, 0, None)
    assert result.false_flags[("rdl.tempo", 30.0)] == S.Rate(0, 0, 2, 0, None)
    assert result.any_rule_clean[0.0].fault == 1 and result.any_rule_clean[30.0].fault == 0
    assert result.lifts[("knees_bend", 0.0)] == {"rdl": 5}
    result.grid, result.clips = "quick", 2
    md = S.to_markdown(result, {"knees_bend": "degrees of shin tilt change"})
    assert "| knees_bend (degrees of shin tilt change) | rdl.knees_frozen | 5 (fine) | 0/1 | 0/1 |" in md
    assert "| 15 (fault) | 2/2 | 0/2 (+1 warn) | 60 / 60 | rdl.hips_back 2 |" in md
    assert "| rdl.knees_frozen | 1/2 | 0/2 | – / – |" in md
    svg = S.to_svg(result)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 and "knees_bend" in svg
    assert result.to_json()["detection"]["knees_bend|15|0"]["fault"] == 2


def test_grid_jobs():
    quick = S.clip_jobs(S.QUICK)
    assert len(quick) == len(S.KINDS) * 2
    assert {j.azimuth for j in quick} == {0.0, 30.0} and {j.facing for j in quick} == {"left", "right"}
    by_kind = {}
    for j in quick:
        by_kind.setdefault(j.kind, set()).add(j.facing)
    assert all(f == {"left", "right"} for f in by_kind.values()), "each kind seen facing both ways"
    full = S.clip_jobs(S.FULL)
    assert len(full) == len(S.KINDS) * 4 * 3 * 2 and len({j.name for j in full}) == len(full)
    rates = S.clip_jobs(S.RATES)
    assert len(rates) == len(S.KINDS) * 4 * 2 and len({j.name for j in rates}) == len(rates)
    assert all(j.sizes == (k.fault, k.fine, k.fault) for j in rates for k in S.KINDS if k.kind == j.kind)
    assert {j.full_plates for j in rates} == {True, False} and {j.facing for j in rates} == {"left", "right"}
    assert S.GRIDS["rates"] is S.RATES and set(S.GRIDS) == {"quick", "rates", "full", "bodies", "oblique"}
    bodies = S.clip_jobs(S.BODIES)
    assert len(bodies) == len(S.KINDS) * 3 * 6 * 2 and len({j.name for j in bodies}) == len(bodies)
    assert not any(j.full_plates for j in bodies) and {j.azimuth for j in bodies} == {0.0, 7.5, 15.0}
    oblique = S.clip_jobs(S.OBLIQUE)  # the bodies grid's lifters, further round
    assert len(oblique) == len(bodies) and not any(j.full_plates for j in oblique)
    assert {j.azimuth for j in oblique} == {15.0, 30.0, 45.0} and {j.body for j in oblique} == set(S.BODIES.bodies)
    first = quick[0]
    assert first.rep_sizes() == {k + 2: s for k, s in enumerate(first.sizes)} and first.n_reps == 1 + len(first.sizes)
    for k in S.KINDS:  # the grid spans COACHING.md's fine and fault sizes and stays in the renderer's range
        f = FAULTS[k.kind]
        assert all(f.lo <= s <= f.hi for s in k.sizes + k.quick_sizes)
        if k.rule is not None:
            assert k.fine in k.quick_sizes and k.fault in k.quick_sizes
            past = min(k.quick_sizes) if k.worse_when_smaller else max(k.quick_sizes)
            assert past != k.fault and not math.isnan(past)


@pytest.mark.parametrize("size", [0.22, 0.18, 0.14, 0.10, 0.06, 0.0])
def test_hips_stay_renders_its_hip_travel_per_90_degrees_of_hinge(size):
    """COACHING.md §1 rdl.hips_back: the hips travel back ``size`` leg lengths per 90° of hinge, solved on the reference
    body and exact there; the trunk tips as far and the knees keep their bend, only the shins take the difference."""
    rep = RdlRep(timing=Timing(2.0, 0.2, 1.0, 0.5))
    dims = dimensions(BodySpec())
    stay = FAULTS["hips_stay"].apply(rep, size)
    q = rep_quantities(stay, dims)
    assert q["hip_back_per_90_leg"] == pytest.approx(size, abs=0.002)
    assert (stay.theta_bottom_deg, stay.knee_bottom_deg) == (rep.theta_bottom_deg, rep.knee_bottom_deg)
    assert stay.sizes == (("hips_stay", size),)
    # the clean default RDL travels 0.17 (just short of the fine size); less travel means shins further forward
    if size < 0.17:
        assert stay.shin_bottom_deg > rep.shin_bottom_deg


def test_hips_stay_holds_its_size_on_other_bodies():
    """Solved on the reference proportions: the rendered bodies scale thigh and shin together (height, leg length), so
    the size holds on the shortest and tallest, long- and short-legged (the label records the exact value)."""
    rep = RdlRep(timing=Timing(2.0, 0.2, 1.0, 0.5))
    for height, legs in ((1.58, 0.94), (1.92, 1.06)):
        dims = dimensions(BodySpec(height_m=height, leg_ratio=legs))
        q = rep_quantities(FAULTS["hips_stay"].apply(rep, 0.10), dims)
        assert q["hip_back_per_90_leg"] == pytest.approx(0.10, abs=0.02)
