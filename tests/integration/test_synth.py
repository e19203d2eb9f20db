"""The synthetic lifter: label consistency, determinism, faults in the truth, MP4 output."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck import geometry as g
from formcheck.synth import ClipSpec, plan_clip, render_plan_frame
from formcheck.synth.__main__ import main as synth_main
from formcheck.synth.faults import parse_fault

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
    assert np.abs(clean_drift).max() < 3.0, "clean RDL: knees frozen"
    assert 8.0 < _at(label, "knee_flexion_deg", 1, "start") < 22.0, "clean RDL: knees slightly unlocked"
    assert _at(label, "knee_flexion_deg", 2, "bottom") > _at(label, "knee_flexion_deg", 1, "bottom") + 15.0
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
    assert parse_fault("knees_bend@2,3", 4) == ("knees_bend", (2, 3))
    assert parse_fault("rushed", 3) == ("rushed", (1, 2, 3))


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
