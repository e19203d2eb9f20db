"""The RDL partial lockout (``partial_lockout``): the renderer's truth for ``hinge.hips_through``.

Plans only (no pixels): the label's truth, the sagittal skeleton at the lockout and through the top pause,
the next rep's start, the fault's parsing and range, and its place on the sensitivity grids.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck import geometry as g
from formcheck import sensitivity as S
from formcheck.synth import CameraSpec, ClipSpec, plan_clip
from formcheck.synth.__main__ import build_parser
from formcheck.synth.faults import FAULTS, merge_requests, parse_fault, validate
from formcheck.synth.motion import RdlRep, Timing, rdl_lockout_pose, rdl_top_hip_flexion, skeleton

SIZES = {2: 15.0, 3: 5.0, 4: 30.0}


def _plan(faults=None, azimuth: float = 0.0, reps: int = 5, seed: int = 3):
    spec = ClipSpec(
        lift="rdl", reps=reps, faults=faults or {}, seed=seed, fps=15.0, camera=CameraSpec(azimuth_deg=azimuth)
    )
    return plan_clip(spec)


def _hip_at(plan, t: np.ndarray) -> np.ndarray:
    """The sagittal (camera-free) shoulder-hip-knee angle at times ``t``."""
    p = skeleton(plan.motion, plan.dims, np.asarray(t, dtype=float)).points
    return g.interior_angle(p["shoulder"], p["hip"], p["knee"])


@pytest.fixture(scope="module")
def faulty():
    return _plan({"partial_lockout": SIZES})


def test_top_hip_is_180_minus_size_in_the_truth_and_the_skeleton(faulty):
    label = faulty.label
    for ev, rep in zip(faulty.motion.events, label["reps"]):
        size = SIZES.get(rep["index"])
        top = _hip_at(faulty, np.linspace(ev.lockout_s, ev.end_s or faulty.motion.duration_s, 12))
        if size is None:  # a clean top: the start's own soft-knee stance, 2.8-6 short of straight
            assert rep["fault_sizes"] == {}
            assert 2.8 <= rep["truth"]["partial_lockout"] <= 6.0
        else:
            assert rep["fault_sizes"] == {"partial_lockout": size}
            assert rep["truth"]["partial_lockout"] == pytest.approx(size, abs=1e-3)
        truth = rep["truth"]["partial_lockout"]
        assert rep["quantities"]["top_hip_deg"] == pytest.approx(180.0 - truth, abs=1e-3)
        assert rep["quantities"]["top_hip_flexion_deg"] == pytest.approx(truth, abs=1e-3)
        # the skeleton reaches it at the lockout and holds it through the top pause (what the rule's max reads)
        assert top[0] == pytest.approx(180.0 - truth, abs=1e-6)
        assert top.max() == pytest.approx(180.0 - truth, abs=1e-6)


def test_side_view_labels_show_the_short_top(faulty):
    hip = np.array(faulty.label["frames"]["angles"]["hip_deg"])
    for rep in faulty.label["reps"]:
        top = hip[rep["lockout_frame"] : rep["end_frame"]].max()
        assert top == pytest.approx(180.0 - rep["truth"]["partial_lockout"], abs=1.5)


def test_the_next_rep_starts_where_a_short_rep_ended(faulty):
    ev = faulty.motion.events
    clean = _plan()
    # rep 2 starts standing (rep 1 was clean); rep 3 descends from rep 2's short top, rep 4 from rep 3's
    assert _hip_at(faulty, [ev[1].start_s])[0] == pytest.approx(_hip_at(clean, [clean.motion.events[1].start_s])[0])
    assert _hip_at(faulty, [ev[2].start_s])[0] == pytest.approx(165.0, abs=1e-6)
    assert _hip_at(faulty, [ev[3].start_s])[0] == pytest.approx(175.0, abs=1e-6)
    assert _hip_at(faulty, [ev[4].start_s])[0] == pytest.approx(150.0, abs=1e-6)
    # the fault does not persist: rep 5's top is as clean as in the clean clip, the bottoms unchanged
    assert faulty.label["reps"][4]["truth"] == clean.label["reps"][4]["truth"]
    assert _hip_at(faulty, [ev[4].lockout_s])[0] == pytest.approx(_hip_at(clean, [clean.motion.events[4].lockout_s])[0])
    assert [e.bottom_s for e in ev] == [e.bottom_s for e in clean.motion.events]
    np.testing.assert_allclose(
        _hip_at(faulty, [e.bottom_s for e in ev]), _hip_at(clean, [e.bottom_s for e in clean.motion.events])
    )


def test_knees_as_in_a_clean_rep_and_a_clean_rep_unchanged():
    rep = RdlRep(timing=Timing(2.0, 0.2, 1.0, 0.5), knee_top_deg=16.0, shin_top_deg=9.6)
    short = FAULTS["partial_lockout"].apply(rep, 20.0)
    pose, start = rdl_lockout_pose(short), rdl_lockout_pose(rep)
    assert {k: pose[k] for k in ("knee", "shin", "neck")} == {k: start[k] for k in ("knee", "shin", "neck")}
    assert pose["theta"] == pytest.approx(9.6 - 16.0 + 20.0), "trunk 20 degrees forward of the thigh"
    assert rdl_top_hip_flexion(short) == 20.0 and rdl_top_hip_flexion(rep) == pytest.approx(-2.0 + 6.4)
    assert short.faults == ("partial_lockout",) and short.sizes == (("partial_lockout", 20.0),)


def test_an_oblique_camera_changes_the_picture_not_the_truth():
    side, oblique = _plan({"partial_lockout": SIZES}), _plan({"partial_lockout": SIZES}, azimuth=45.0)
    assert [r["truth"] for r in side.label["reps"]] == [r["truth"] for r in oblique.label["reps"]]


def test_parse_validate_and_range():
    f = FAULTS["partial_lockout"]
    assert (f.lift, f.default, f.lo, f.hi) == ("rdl", 15.0, 0.0, 60.0) and "hip flexion" in f.unit
    assert parse_fault("partial_lockout=5@3", 4) == ("partial_lockout", 5.0, (3,))
    assert parse_fault("partial_lockout@2,4", 4) == ("partial_lockout", None, (2, 4))
    assert merge_requests([parse_fault("partial_lockout@2,4", 4), parse_fault("partial_lockout=5@3", 4)]) == {
        "partial_lockout": {2: 15.0, 4: 15.0, 3: 5.0}
    }
    with pytest.raises(ValueError, match=r"size 61 outside 0\.\.60 \(degrees of hip flexion"):
        parse_fault("partial_lockout=61@1", 3)
    with pytest.raises(ValueError, match="outside 0..60"):
        parse_fault("partial_lockout=-1@1", 3)
    validate("rdl", {"partial_lockout": {2: 15.0}}, 3)
    with pytest.raises(ValueError, match="belongs to rdl"):
        validate("hip_thrust", {"partial_lockout": (1,)}, 3)
    assert "partial_lockout (degrees of hip flexion left at the top" in " ".join(build_parser().format_help().split())


def test_the_label_fault_maps_to_hips_through():
    from formcheck.exercises import get_lift

    rdl = get_lift("rdl")
    assert rdl.label_faults["partial_lockout"] == "hinge.hips_through"
    assert "hinge.hips_through" in [r.id for r in rdl.rules]


def test_sensitivity_grids_include_it_and_leave_the_other_clips_alone():
    k = S.KIND_BY_NAME["partial_lockout"]
    assert (k.lift, k.rule, k.fine, k.fault) == ("rdl", "hinge.hips_through", 5.0, 15.0)
    assert not k.worse_when_smaller and k.quick_sizes == (5.0, 15.0, 30.0)
    assert "hinge.hips_through" in S.rules_by_lift()["rdl"]
    for grid, sizes, n in ((S.QUICK, (5.0, 15.0, 30.0), 2), (S.RATES, (15.0, 5.0, 15.0), 8), (S.FULL, k.sizes, 24)):
        jobs = [j for j in S.clip_jobs(grid) if j.kind == "partial_lockout"]
        assert len(jobs) == n and all(j.sizes == sizes and j.lift == "rdl" for j in jobs)
        # appended last: every other kind's clips keep their names, facings and seeds
        assert S.clip_jobs(grid, S.KINDS[:-1]) == S.clip_jobs(grid)[: -len(jobs)]
    spec = S.clip_spec(S.clip_jobs(S.RATES, [k])[0], S.RATES, Path("/tmp"))
    assert spec.faults == {"partial_lockout": {2: 15.0, 3: 5.0, 4: 15.0}}
    spec.validate()
