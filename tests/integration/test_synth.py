"""The synthetic lifter: label consistency, determinism, faults in the truth, MP4 output."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck import geometry as g
from formcheck.synth import ClipSpec, plan_clip, render_plan_frame
from formcheck.synth.__main__ import main as synth_main
from formcheck.synth.faults import faults_for, parse_fault

TINY = dict(width=160, height=90, supersample=1)


def _plan(lift: str, reps: int = 3, faults: dict | None = None, **kw):
    return plan_clip(ClipSpec(lift=lift, reps=reps, faults=faults or {}, seed=kw.pop("seed", 3), **kw))


def _angles_from_landmarks(label: dict) -> dict[str, np.ndarray]:
    """The brief's definitions, written out independently of formcheck.synth.labels."""
    lm = {k: np.array(v, dtype=float) for k, v in label["frames"]["landmarks_2d"].items()}
    side, facing = label["near_side"], label["facing"]

    def pt(name: str) -> np.ndarray:
        xy = lm[name].copy()
        xy[:, 1] = -xy[:, 1]  # y up
        xy[:, 0] *= facing  # lifter faces +x
        return xy

    sh, hip, knee, ankle, ear = (pt(f"{side}_{j}") for j in ("shoulder", "hip", "knee", "ankle", "ear"))
    nose = pt("nose")
    torso = sh - hip

    def ccw(u, v):
        return np.degrees(np.arctan2(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0], (u * v).sum(axis=1)))

    def bend(a, b, c):  # signed: + when b is counter-clockwise of a->c
        return np.sign(ccw(c - a, b - a)) * (180.0 - np.abs(ccw(a - b, c - b)))

    return {
        "hip_deg": np.abs(ccw(sh - hip, knee - hip)),
        "hip_line_dev_deg": bend(sh, hip, knee),
        "knee_deg": np.abs(ccw(hip - knee, ankle - knee)),
        "knee_flexion_deg": bend(hip, knee, ankle),
        "neck_flexion_deg": -ccw(torso, ear - sh),
        "gaze_deg": np.degrees(np.arctan2(nose[:, 1] - ear[:, 1], nose[:, 0] - ear[:, 0])),
        "torso_incline_deg": np.degrees(np.arctan2(torso[:, 0], torso[:, 1])),
    }


def _at(label: dict, metric: str, rep: int, event: str) -> float:
    frame = label["reps"][rep - 1][f"{event}_frame"]
    return label["frames"]["angles"][metric][frame]


@pytest.mark.parametrize(
    "lift,faults,facing",
    [
        ("rdl", {"knees_bend": (2,), "bar_drift": (3,)}, "right"),
        ("rdl", {"knees_locked": (1,)}, "left"),
        ("hip_thrust", {"head_back": (2,), "overextension": (3,)}, "right"),
        ("hip_thrust", {"shins": (2,), "partial": (3,)}, "left"),
    ],
)
def test_label_angles_match_its_landmarks(lift, faults, facing):
    label = json.loads(json.dumps(_plan(lift, faults=faults, facing=facing).label))
    recomputed = _angles_from_landmarks(label)
    for metric, values in recomputed.items():
        stored = np.array(label["frames"]["angles"][metric])
        diff = g.wrap180(stored - values)
        assert np.nanmax(np.abs(diff)) < 0.01, metric


def test_label_shape_and_reps():
    label = _plan("rdl", reps=4, faults={"rushed": (4,)}).label
    n = label["n_frames"]
    assert label["format"] == 1 and label["lift"] == "rdl"
    assert len(label["frames"]["t"]) == n
    for name in (
        "nose",
        "left_ear",
        "right_ear",
        "left_shoulder",
        "right_hip",
        "left_knee",
        "right_ankle",
        "left_heel",
        "right_foot_index",
        "left_wrist",
    ):
        assert np.array(label["frames"]["landmarks_2d"][name]).shape == (n, 2)
    reps = label["reps"]
    assert [r["index"] for r in reps] == [1, 2, 3, 4]
    for a, b in zip(reps, reps[1:]):
        assert a["end_frame"] == b["start_frame"]
    for r in reps:
        assert r["start_frame"] < r["bottom_frame"] < r["lockout_frame"] <= r["end_frame"] <= n
    assert reps[-1]["end_frame"] == n
    assert label["faults"] == {"rushed": [4]} and reps[3]["faults"] == ["rushed"]


def test_mirrored_clip_has_the_same_angles():
    right = _plan("hip_thrust", faults={"chin_tuck": (2,)}).label
    left = _plan("hip_thrust", faults={"chin_tuck": (2,)}, facing="left").label
    assert (right["facing"], left["facing"]) == (1, -1)
    x_right = np.array(right["frames"]["landmarks_2d"]["right_hip"])[:, 0]
    x_left = np.array(left["frames"]["landmarks_2d"]["left_hip"])[:, 0]
    np.testing.assert_allclose(x_left, right["width"] - x_right, atol=0.011)
    for metric in ("hip_deg", "neck_flexion_deg", "gaze_deg", "knee_deg"):
        np.testing.assert_allclose(left["frames"]["angles"][metric], right["frames"]["angles"][metric], atol=0.05)


def test_same_seed_same_clip():
    spec = ClipSpec(lift="rdl", reps=2, faults={"bar_drift": (1,)}, seed=11, **TINY)
    a, b = plan_clip(spec), plan_clip(spec)
    assert json.dumps(a.label) == json.dumps(b.label)
    assert json.dumps(plan_clip(ClipSpec(lift="rdl", reps=2, seed=12, **TINY)).label) != json.dumps(a.label)
    np.testing.assert_array_equal(render_plan_frame(a, 0), render_plan_frame(b, 0))


def test_faults_leave_other_reps_alone():
    clean = _plan("rdl", reps=3).label
    faulty = _plan("rdl", reps=3, faults={"knees_bend": (2,)}).label
    assert clean["reps"][0]["bottom_frame"] == faulty["reps"][0]["bottom_frame"]
    assert _at(clean, "knee_flexion_deg", 3, "bottom") == pytest.approx(
        _at(faulty, "knee_flexion_deg", 3, "bottom"), abs=0.5
    )


def test_rdl_faults_show_in_the_truth():
    label = _plan("rdl", reps=4, faults={"knees_bend": (2,), "knees_locked": (3,), "bar_drift": (4,)}).label
    angles = label["frames"]["angles"]
    clean_rep = label["reps"][0]
    knee = np.array(angles["knee_flexion_deg"])
    clean_drift = knee[clean_rep["start_frame"] : clean_rep["lockout_frame"]] - knee[clean_rep["start_frame"]]
    assert 15.0 <= clean_drift.max() <= 30.0, "clean RDL (COACHING.md §2): the knee closes 15-30 over still shins"
    clean = clean_rep["quantities"]
    assert -5.0 <= clean["shin_tilt_change_deg"] <= 5.0 and clean["hip_drop_leg"] <= 0.12
    assert 8.0 < _at(label, "knee_flexion_deg", 1, "start") < 22.0, "clean RDL: knees slightly unlocked"
    assert _at(label, "knee_flexion_deg", 2, "bottom") > _at(label, "knee_flexion_deg", 1, "bottom") + 15.0
    hybrid = label["reps"][1]["quantities"]
    assert hybrid["shin_tilt_change_deg"] == pytest.approx(15.0) and hybrid["hip_drop_leg"] >= 0.15
    assert _at(label, "knee_flexion_deg", 3, "start") < 3.0
    assert _at(label, "bar_to_leg", 4, "bottom") > _at(label, "bar_to_leg", 1, "bottom") + 0.08
    assert _at(label, "hip_deg", 1, "bottom") < 110.0 < _at(label, "hip_deg", 1, "lockout")


def test_rushed_rdl_has_a_short_eccentric():
    label = _plan("rdl", reps=2, faults={"rushed": (2,)}).label
    fast, slow = label["reps"][1], label["reps"][0]
    assert fast["eccentric_s"] < 0.6 < slow["eccentric_s"]
    assert fast["bottom_s"] - fast["start_s"] < 0.8


def test_hip_thrust_faults_show_in_the_truth():
    label = _plan(
        "hip_thrust",
        reps=6,
        faults={"head_back": (2,), "chin_tuck": (3,), "overextension": (4,), "partial": (5,), "shins": (6,)},
    ).label
    top = lambda metric, rep: _at(label, metric, rep, "lockout")  # noqa: E731
    assert top("hip_deg", 1) > 170.0 and abs(top("hip_line_dev_deg", 1)) < 4.0
    assert 80.0 < top("knee_deg", 1) < 100.0, "clean top: shins about vertical"
    assert abs(top("neck_flexion_deg", 2) - top("neck_flexion_deg", 1)) > 20.0
    assert top("gaze_deg", 2) > 90.0, "head back: eyes behind the vertical"
    assert top("neck_flexion_deg", 3) > top("neck_flexion_deg", 1) + 20.0
    assert top("hip_line_dev_deg", 4) > 10.0
    assert 138.0 < top("hip_deg", 5) < 152.0
    assert 115.0 < top("knee_deg", 6) < 135.0
    assert _at(label, "gaze_deg", 1, "bottom") < 30.0, "bottom: eyes on the wall in front"


def test_bad_specs_are_refused():
    with pytest.raises(ValueError, match="belongs to"):
        plan_clip(ClipSpec(lift="rdl", faults={"head_back": (1,)}))
    with pytest.raises(ValueError, match="outside"):
        plan_clip(ClipSpec(lift="rdl", reps=2, faults={"knees_bend": (3,)}))
    with pytest.raises(ValueError, match="even"):
        plan_clip(ClipSpec(width=161))
    assert parse_fault("knees_bend@2,3", 4) == ("knees_bend", None, (2, 3))
    assert parse_fault("rushed", 3) == ("rushed", None, (1, 2, 3))
    assert parse_fault("rushed=0.7@3", 3) == ("rushed", 0.7, (3,))
    with pytest.raises(ValueError, match=r"size 50 outside 0\.\.30"):
        parse_fault("knees_bend=50@2", 3)
    with pytest.raises(ValueError, match="not a number"):
        parse_fault("knees_bend=big@2", 3)
    with pytest.raises(ValueError, match="outside"):
        plan_clip(ClipSpec(lift="hip_thrust", reps=2, faults={"head_back": {2: -5.0}}))


def test_cli_writes_decodable_h264(tmp_path):
    import av

    out = tmp_path / "tiny.mp4"
    code = synth_main(
        [
            "--lift",
            "rdl",
            "--reps",
            "1",
            "--fault",
            "knees_bend@1",
            "--seed",
            "2",
            "--width",
            "160",
            "--height",
            "90",
            "--fps",
            "2",
            "--supersample",
            "1",
            "-q",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    label = json.loads(out.with_suffix(".json").read_text())
    assert 8 <= label["n_frames"] <= 14
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(container.decode(stream))
    assert len(frames) == label["n_frames"]
    assert frames[0].format.name == "yuv420p" and (frames[0].width, frames[0].height) == (160, 90)
    assert label["faults"] == {"knees_bend": [1]}


@pytest.mark.parametrize(
    "lift,fault,sizes,quantity,event,metric,sign",
    [
        ("rdl", "knees_bend", (5.0, 15.0, 25.0), "shin_tilt_change_deg", None, None, 1),
        ("rdl", "knees_locked", (8.0, 0.0, -5.0), "start_knee_flexion_deg", "start", "knee_flexion_deg", 1),
        ("rdl", "bar_drift", (0.04, 0.12, 0.2), "bar_gap_leg", None, None, 1),
        ("rdl", "rushed", (1.2, 0.7, 0.45), "eccentric_s", None, None, 1),
        ("rdl", "rounded_back", (10.0, 20.0, 30.0), "spine_flexion_deg", None, None, 1),
        ("rdl", "floor_touch", (0.0, 0.5, 1.0), "floor_rest_s", None, None, 1),
        ("rdl", "head_up", (15.0, 30.0, 45.0), "bottom_neck_extension_deg", None, None, 1),
        ("rdl", "partial_lockout", (5.0, 15.0, 30.0), "top_hip_flexion_deg", None, None, 1),
        ("hip_thrust", "head_back", (10.0, 25.0, 35.0), "top_neck_flexion_deg", None, None, -1),
        ("hip_thrust", "chin_tuck", (30.0, 45.0, 60.0), "top_neck_flexion_deg", None, None, 1),
        ("hip_thrust", "overextension", (5.0, 15.0, 25.0), "top_line_dev_deg", None, None, 1),
        ("hip_thrust", "partial", (8.0, 15.0, 30.0), "top_line_dev_deg", None, None, -1),
        ("hip_thrust", "shins", (10.0, 20.0, 30.0), "top_shin_deg", None, None, 1),
    ],
)
def test_graded_fault_sizes_in_the_label(lift, fault, sizes, quantity, event, metric, sign):
    faults = {fault: {k + 2: size for k, size in enumerate(sizes)}}
    label = json.loads(json.dumps(_plan(lift, reps=1 + len(sizes), faults=faults).label))
    assert label["faults"] == {fault: [2, 3, 4]}
    clean = label["reps"][0]
    assert clean["fault_sizes"] == {} and set(clean["truth"]) == set(faults_for(lift))
    for k, size in enumerate(sizes):
        rep = label["reps"][k + 1]
        assert rep["faults"] == [fault] and rep["fault_sizes"] == {fault: pytest.approx(size)}
        assert rep["truth"][fault] == pytest.approx(size, abs=0.6)
        assert sign * rep["quantities"][quantity] == pytest.approx(size, abs=0.6)
        if metric:  # the 2D truth of a side view shows the same size
            assert sign * _at(label, metric, k + 2, event) == pytest.approx(size, abs=1.0)
    if fault in ("rushed", "knees_locked", "partial"):  # the size grows with badness the other way: monotone
        return
    assert [label["reps"][k + 1]["truth"][fault] for k in range(3)] == sorted(
        label["reps"][k + 1]["truth"][fault] for k in range(3)
    )


def test_rounded_back_bends_the_spine_evenly():
    label = _plan("rdl", reps=2, faults={"rounded_back": {2: 30.0}}).label
    torso = {}
    for rep in (1, 2):
        r = label["reps"][rep - 1]
        lm = label["frames"]["landmarks_2d"]
        sh = np.array(lm["right_shoulder"][r["bottom_frame"]])
        hip = np.array(lm["right_hip"][r["bottom_frame"]])
        torso[rep] = np.linalg.norm(sh - hip)
    # an even 30 deg bend shortens the chord by 1 - sin(15)/(pi/12) = 1.1 % (COACHING.md §1)
    assert torso[2] / torso[1] == pytest.approx(0.9886, abs=0.006)
    # the shoulders drop: the chord turns by half the bend (15) on top of the rep's own hinge depth (sd 1.5)
    assert _at(label, "torso_incline_deg", 2, "bottom") > _at(label, "torso_incline_deg", 1, "bottom") + 8.0


def test_floor_touch_sets_the_plates_down():
    plan = _plan("rdl", reps=3, faults={"floor_touch": {2: 0.6}})
    q = plan.label["reps"][1]["quantities"]
    assert q["bar_height_bottom_m"] == pytest.approx(plan.spec.plate_radius_m, abs=0.005)
    assert plan.label["reps"][0]["quantities"]["bar_height_bottom_m"] > plan.spec.plate_radius_m + 0.1
    assert plan.label["reps"][1]["bottom_pause_s"] == pytest.approx(0.6)


def test_cli_renders_a_graded_fault(tmp_path):
    out = tmp_path / "graded.mp4"
    args = ["--lift", "hip_thrust", "--reps", "2", "--fault", "chin_tuck=48@2", "--seed", "4"]
    args += ["--width", "160", "--height", "90", "--fps", "6", "--supersample", "1", "-q", "-o", str(out)]
    assert synth_main(args) == 0
    label = json.loads(out.with_suffix(".json").read_text())
    assert label["faults"] == {"chin_tuck": [2]} and label["generator_version"] == 2
    assert label["reps"][1]["fault_sizes"] == {"chin_tuck": 48.0}
    assert label["reps"][1]["truth"]["chin_tuck"] == pytest.approx(48.0)
    assert label["reps"][0]["truth"]["chin_tuck"] < 35.0
    assert synth_main([*args[:5], "chin_tuck=99@2", *args[6:]]) == 2
