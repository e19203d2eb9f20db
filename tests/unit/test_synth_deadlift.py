"""The rendered conventional deadlift (``formcheck synth --lift deadlift``): the renderer's truth for the ``dl`` rules.

Plans only (no pixels but one small frame): the set-up over the bar (COACHING.md §3), the pull with the back
angle held until the bar passes the knees, the dead stop, and each graded ``dl_*`` fault reading its size in
the label and in the sagittal skeleton, a clean rep its natural value.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import geometry as g
from formcheck.synth import ClipSpec, plan_clip, render_plan_frame
from formcheck.synth.__main__ import build_parser, spec_from_args
from formcheck.synth.body import BodySpec, dimensions
from formcheck.synth.faults import FAULTS, faults_for, true_sizes, validate
from formcheck.synth.motion import (
    BAR_CLEARANCE,
    BAR_RADIUS,
    DL_HIPS_RISE_SHARE,
    DeadliftRep,
    Timing,
    clean_reps,
    foot_length,
    interpolate,
    leg_front,
    midfoot_x,
    skeleton,
    solve_deadlift,
)
from formcheck.synth.scene import FULL_PLATE_RADIUS_M, SMALL_PLATE_RADIUS_M

DL_FAULTS = {
    "dl_hips_first",
    "dl_lean_back",
    "dl_head_up",
    "dl_partial_lockout",
    "dl_bar_drift",
    "dl_bar_ahead",
    "dl_hover",
}


def _plan(faults=None, reps: int = 3, seed: int = 1, plates: float = FULL_PLATE_RADIUS_M, body=None, fps=30.0):
    return plan_clip(
        ClipSpec(
            lift="deadlift",
            reps=reps,
            faults=faults or {},
            seed=seed,
            fps=fps,
            plate_radius_m=plates,
            body=body or BodySpec(),
        )
    )


def _at(plan, t) -> dict[str, np.ndarray]:
    """The sagittal skeleton at times ``t`` (camera-free)."""
    return skeleton(plan.motion, plan.dims, np.atleast_1d(np.asarray(t, dtype=float))).points


def _incline(p) -> np.ndarray:
    v = p["shoulder"] - p["hip"]
    return np.degrees(np.arctan2(v[:, 0], v[:, 1]))


def _head_to_trunk(p) -> np.ndarray:
    return g.signed_angle(p["shoulder"] - p["hip"], p["head_u"])


@pytest.fixture(scope="module")
def clean():
    return _plan(reps=4)


def test_the_deadlift_is_a_lift_with_its_own_faults():
    assert set(faults_for("deadlift")) == DL_FAULTS
    validate("deadlift", {"dl_hips_first": {2: 10.0}}, 3)
    with pytest.raises(ValueError, match="belongs to rdl"):
        validate("deadlift", {"head_up": (1,)}, 3)
    with pytest.raises(ValueError, match="belongs to deadlift"):
        validate("rdl", {"dl_head_up": (1,)}, 3)
    with pytest.raises(ValueError, match=r"size 21 outside 0\.\.20 \(degrees the trunk tips"):
        validate("deadlift", {"dl_hips_first": {1: 21.0}}, 3)
    args = build_parser().parse_args(["--lift", "deadlift", "--full-plates", "--fault", "dl_lean_back=12@2"])
    spec = spec_from_args(args)
    assert spec.lift == "deadlift" and spec.plate_radius_m == FULL_PLATE_RADIUS_M
    assert spec.faults == {"dl_lean_back": {2: 12.0}}
    assert "dl_bar_ahead (foot lengths of bar" in " ".join(build_parser().format_help().split())


@pytest.mark.parametrize("body_seed", [None, 1, 2, 3, 4, 5, 6])
def test_set_up_crouched_over_the_bar_on_the_floor(body_seed):
    """§3 set-up: the bar on the floor over mid-foot, shins on it, shoulders slightly ahead of the bar (arms 4-10
    back from vertical), knees flexed ~50-85 with full plates (hip height follows the limbs), hips between knees
    and shoulders."""
    body = BodySpec() if body_seed is None else BodySpec.sample(np.random.default_rng([body_seed, 1]))
    dims = dimensions(body)
    for rep in clean_reps("deadlift", 3, np.random.default_rng(body_seed or 0)):
        assert isinstance(rep, DeadliftRep)
        q = true_sizes(rep, "deadlift", dims, FULL_PLATE_RADIUS_M)
        assert abs(q["dl_bar_ahead"]) <= 0.08
        floor = solve_deadlift(rep, dims, FULL_PLATE_RADIUS_M)["floor"]
        assert floor["gap"] == pytest.approx(0.0, abs=1e-6), "full plates: the shins touch the bar"
        assert 50.0 <= floor["knee"] <= 85.0
        assert 0.0 <= floor["shin"] <= 20.0
        assert 55.0 <= floor["theta"] <= 85.0, "the back well inclined, hips high"


def test_lift_off_dead_stop_and_the_bar_never_below_the_floor(clean):
    label, dims = clean.label, clean.dims
    bar = clean.skeleton.points["bar"]
    assert bar[:, 1].min() >= FULL_PLATE_RADIUS_M - 1e-6
    mid, foot = midfoot_x(dims), foot_length(dims)
    for ev, rep in zip(clean.motion.events, label["reps"]):
        assert rep["liftoff_frame"] < rep["knees_frame"] < rep["lockout_frame"] < rep["end_frame"]
        assert rep["start_frame"] <= rep["bottom_frame"] <= rep["liftoff_frame"]
        # resting on the floor from the bottom to lift-off (a dead stop), over mid-foot
        rest = _at(clean, np.linspace(ev.bottom_s, ev.liftoff_s, 7))["bar"]
        np.testing.assert_allclose(rest[:, 1], FULL_PLATE_RADIUS_M, atol=1e-6)
        assert np.ptp(rest[:, 0]) < 1e-6
        assert (rest[0, 0] - mid) / foot == pytest.approx(rep["truth"]["dl_bar_ahead"], abs=1e-3)
        assert rep["quantities"]["liftoff_above_floor_leg"] == pytest.approx(0.0, abs=1e-4)
        # it leaves the floor right after lift-off, and is standing at the lockout
        assert _at(clean, ev.liftoff_s + 0.3)["bar"][0, 1] > FULL_PLATE_RADIUS_M + 0.02
    assert label["reps"][0]["start_frame"] == 0, "the clip opens crouched over the bar"
    assert label["reps"][0]["quantities"]["liftoff_knee_flexion_deg"] > 50.0


def test_knees_extend_first_and_the_back_angle_holds_until_the_bar_passes_the_knees(clean):
    for ev, rep in zip(clean.motion.events, clean.label["reps"]):
        t = np.linspace(ev.liftoff_s, ev.knees_s, 25)
        p = _at(clean, t)
        incline = _incline(p)
        knee = 180.0 - g.interior_angle(p["hip"], p["knee"], p["ankle"])
        assert np.all(np.diff(knee) <= 1e-9) and knee[0] - knee[-1] > 30.0, "the knees straighten off the floor"
        tip = incline.max() - incline[0]
        assert tip == pytest.approx(rep["truth"]["dl_hips_first"], abs=1e-4)
        assert 0.0 <= tip <= 4.0 + 1e-9, "a clean pull holds the back angle (§3 fine <= 5)"
        assert p["bar"][-1, 1] == pytest.approx(p["knee"][-1, 1], abs=2e-3), "the bar at the knees"
        assert np.all(p["bar"][:-1, 1] < p["knee"][:-1, 1] + 1e-6)
        # the bar rides up the shins: never inside the leg, on it (shins touching with full plates)
        front = leg_front(p["bar"][:, 1], p["hip"], p["knee"], p["ankle"], clean.dims)
        np.testing.assert_allclose(p["bar"][:, 0] - front, BAR_RADIUS + BAR_CLEARANCE, atol=2e-3)


def test_a_clean_lockout_stands_straight(clean):
    for ev, rep in zip(clean.motion.events, clean.label["reps"]):
        p = _at(clean, np.linspace(ev.lockout_s, ev.end_s, 5))
        q = rep["quantities"]
        np.testing.assert_allclose(g.interior_angle(p["shoulder"], p["hip"], p["knee"]), q["top_hip_deg"], atol=1e-4)
        np.testing.assert_allclose(g.interior_angle(p["hip"], p["knee"], p["ankle"]), q["top_knee_deg"], atol=1e-4)
        assert q["top_hip_deg"] >= 175.0 and 172.0 <= q["top_knee_deg"] <= 178.5
        assert -1.0 <= rep["truth"]["dl_lean_back"] <= 3.0 and abs(rep["truth"]["dl_partial_lockout"]) < 4.0
        np.testing.assert_allclose(-_incline(p), rep["truth"]["dl_lean_back"], atol=1e-4)


@pytest.mark.parametrize(
    "fault, size",
    [
        ("dl_hips_first", 15.0),
        ("dl_hips_first", 8.0),
        ("dl_lean_back", 15.0),
        ("dl_lean_back", 5.0),
        ("dl_head_up", 30.0),
        ("dl_head_up", 12.0),
        ("dl_partial_lockout", 20.0),
        ("dl_partial_lockout", 8.0),
        ("dl_bar_drift", 0.12),
        ("dl_bar_drift", 0.04),
        ("dl_bar_ahead", 0.5),
        ("dl_bar_ahead", 0.2),
        ("dl_hover", 0.05),
        ("dl_hover", 0.15),
    ],
)
def test_a_fault_of_size_s_reads_s_in_the_label_and_the_skeleton(clean, fault, size):
    plan = _plan({fault: {2: size}}, reps=4)
    reps = plan.label["reps"]
    assert reps[1]["fault_sizes"] == {fault: size} and plan.label["faults"] == {fault: [2]}
    assert reps[1]["truth"][fault] == pytest.approx(size, abs=1e-4)
    for k in (0, 2, 3):  # other reps as in the clean clip (same draws)
        assert reps[k]["truth"] == clean.label["reps"][k]["truth"]
    ev, dims = plan.motion.events[1], plan.dims
    if fault == "dl_hips_first":
        rise = ev.liftoff_s + DL_HIPS_RISE_SHARE * (ev.knees_s - ev.liftoff_s)
        p = _at(plan, np.sort(np.append(np.linspace(ev.liftoff_s, ev.knees_s, 40), rise)))
        inc = _incline(p)
        assert inc.max() - inc[0] == pytest.approx(size, abs=1e-6)
        peak = int(np.argmax(inc))
        # the hips rise first: the bar stays down (within 5 mm: the drivers move linearly between the poses)
        assert p["bar"][peak, 1] == pytest.approx(FULL_PLATE_RADIUS_M, abs=1e-6)
        assert np.all(np.abs(p["bar"][: peak + 1, 1] - FULL_PLATE_RADIUS_M) < 5e-3)
        knee = 180.0 - g.interior_angle(p["hip"], p["knee"], p["ankle"])
        assert knee[peak] < knee[0] - 5.0, "the knees straighten while the bar stays down"
        assert p["bar"][-1, 1] == pytest.approx(p["knee"][-1, 1], abs=2e-3)
        assert reps[1]["quantities"]["knee_pass_knee_flexion_deg"] < reps[0]["quantities"]["knee_pass_knee_flexion_deg"]
    elif fault == "dl_lean_back":
        p = _at(plan, np.linspace(ev.lockout_s, ev.end_s, 5))
        np.testing.assert_allclose(_incline(p), -size, atol=1e-6)
    elif fault == "dl_head_up":
        standing = _head_to_trunk(_at(plan, ev.lockout_s))[0]
        at_liftoff = _head_to_trunk(_at(plan, ev.liftoff_s))[0]
        assert at_liftoff - standing == pytest.approx(size, abs=1e-6), "the head turned up (CCW) vs the trunk"
    elif fault == "dl_partial_lockout":
        p = _at(plan, np.linspace(ev.lockout_s, ev.end_s, 5))
        np.testing.assert_allclose(g.interior_angle(p["shoulder"], p["hip"], p["knee"]), 180.0 - size, atol=1e-6)
        assert reps[1]["quantities"]["top_knee_deg"] == clean.label["reps"][1]["quantities"]["top_knee_deg"]
    elif fault == "dl_bar_drift":
        p = _at(plan, ev.knees_s)
        front = leg_front(p["bar"][:, 1], p["hip"], p["knee"], p["ankle"], dims)
        assert (p["bar"][0, 0] - front[0] - BAR_RADIUS - BAR_CLEARANCE) / dims.leg == pytest.approx(size, abs=2e-3)
        p = _at(plan, np.sort(np.append(np.linspace(ev.liftoff_s, ev.lockout_s, 30), ev.knees_s)))
        off = (p["bar"][:, 0] - leg_front(p["bar"][:, 1], p["hip"], p["knee"], p["ankle"], dims)) / dims.leg
        assert off.max() == pytest.approx(size + (BAR_RADIUS + BAR_CLEARANCE) / dims.leg, abs=3e-3)
    elif fault == "dl_hover":  # not set down: the bar (and the plates) turned in the air, then pulled again
        hover = FULL_PLATE_RADIUS_M + size * dims.leg
        rest = _at(plan, np.linspace(ev.bottom_s, ev.liftoff_s, 5))["bar"]
        np.testing.assert_allclose(rest[:, 1], hover, atol=1e-6)
        between = _at(plan, np.linspace(plan.motion.events[0].end_s, ev.liftoff_s, 40))["bar"]
        assert between[:, 1].min() == pytest.approx(hover, abs=1e-6), "never lower than that"
        assert ev.liftoff_s - ev.bottom_s < 0.1, "no dead stop: it turns in the air"
        assert reps[1]["quantities"]["liftoff_above_floor_leg"] == pytest.approx(size, abs=1e-4)
        assert reps[0]["quantities"]["liftoff_above_floor_leg"] == pytest.approx(0.0, abs=1e-4)
    else:  # dl_bar_ahead: the bar ahead of mid-foot at lift-off, the shins where a clean set-up has them
        p = _at(plan, ev.liftoff_s)
        assert (p["bar"][0, 0] - midfoot_x(dims)) / foot_length(dims) == pytest.approx(size, abs=1e-3)
        assert reps[1]["quantities"]["floor_gap_leg"] > 0.0
        assert p["bar"][0, 1] == pytest.approx(FULL_PLATE_RADIUS_M, abs=1e-6)


def test_side_view_label_angles_show_the_faults():
    plan = _plan({"dl_lean_back": {2: 15.0}, "dl_partial_lockout": {3: 20.0}}, reps=3)
    angles = plan.label["frames"]["angles"]
    incline, hip = np.array(angles["torso_incline_deg"]), np.array(angles["hip_deg"])
    r1, r2, r3 = plan.label["reps"]
    assert incline[r2["lockout_frame"] : r2["end_frame"]].min() == pytest.approx(-15.0, abs=1.5)
    assert hip[r3["lockout_frame"] : r3["end_frame"]].max() == pytest.approx(160.0, abs=1.5)
    assert hip[r1["lockout_frame"] : r1["end_frame"]].max() > 174.0


def test_small_plates_still_pull_from_the_floor():
    """The small plates put the bar lower than a shin can reach over mid-foot: a deeper set-up and a gap."""
    plan = _plan(plates=SMALL_PLATE_RADIUS_M, reps=2)
    assert plan.skeleton.points["bar"][:, 1].min() == pytest.approx(SMALL_PLATE_RADIUS_M, abs=1e-6)
    for rep in plan.label["reps"]:
        q = rep["quantities"]
        assert q["liftoff_knee_flexion_deg"] > 80.0 and q["floor_gap_leg"] >= 0.0
        assert abs(q["bar_ahead_midfoot_foot"]) <= 0.08


def test_glide_passes_a_keyframe_on_time_without_stopping():
    key_t = np.array([0.0, 1.0, 3.0])
    key_v = np.array([0.0, 10.0, 12.0])
    glide = np.array([False, True, False])
    t = np.array([0.0, 1.0, 3.0])
    np.testing.assert_allclose(interpolate(key_t, key_v, t, glide), key_v)
    h = 1e-4
    speed = (
        interpolate(key_t, key_v, np.array([1.0 + h]), glide) - interpolate(key_t, key_v, np.array([1.0 - h]), glide)
    ) / (2 * h)
    assert speed[0] > 1.0, "moving through the glide keyframe"
    stop = (interpolate(key_t, key_v, np.array([1.0 + h])) - interpolate(key_t, key_v, np.array([1.0 - h]))) / (2 * h)
    assert abs(stop[0]) < 1e-3, "without glide the keyframe is a stop"


def test_a_frame_renders_with_the_plates_on_the_floor():
    plan = plan_clip(
        ClipSpec(
            lift="deadlift", reps=1, seed=2, width=96, height=64, supersample=1, plate_radius_m=FULL_PLATE_RADIUS_M
        )
    )
    img = render_plan_frame(plan, plan.label["reps"][0]["liftoff_frame"])
    assert img.shape == (64, 96, 3) and img.dtype == np.uint8
    assert img.std() > 10.0


def test_a_bar_behind_the_shins_rests_against_them_and_an_impossible_pull_is_refused():
    dims = dimensions(BodySpec())
    rep = DeadliftRep(timing=Timing(1.4, 0.7, 1.5, 0.6), bar_ahead_foot=-1.0, shin_to_foot=-1.0)
    q = true_sizes(rep, "deadlift", dims, FULL_PLATE_RADIUS_M)
    floor = solve_deadlift(rep, dims, FULL_PLATE_RADIUS_M)["floor"]
    assert floor["shin"] == 0.0 and floor["gap"] == 0.0 and -0.5 < q["dl_bar_ahead"] < 0.0
    steep = solve_deadlift(DeadliftRep(timing=Timing(1.4, 0.7, 1.5, 0.6), tip_deg=40.0), dims, FULL_PLATE_RADIUS_M)
    assert steep["knees"]["theta"] - steep["floor"]["theta"] < 20.0, "the trunk comes up as the bar needs"
    with pytest.raises(ValueError, match="cannot tip the trunk|cannot rise") as info:
        solve_deadlift(DeadliftRep(timing=Timing(1.4, 0.7, 1.5, 0.6), hips_rise_deg=80.0), dims, FULL_PLATE_RADIUS_M)
    assert "\n" not in str(info.value)
    assert all(FAULTS[n].lift == "deadlift" for n in DL_FAULTS)
