"""Accuracy on the labelled real clips, from their cached landmarks (no model run).

The landmarks in tests/data/landmarks were made by tools/cache_shared_landmarks.py
with the full model. The floors asserted here are the figures measured when the
defaults were calibrated (docs/ACCURACY.md), so a change that makes counting,
lift or view detection worse fails.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.evaluate import evaluate, load_labels
from formcheck.exercises.rdl import RULES as RDL_RULES
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, need_shared


@pytest.fixture(scope="module")
def results():
    folder = need_shared()
    return evaluate(folder, load_config(), LANDMARKS)


def test_every_labelled_clip_has_cached_landmarks():
    folder = need_shared()
    for label in load_labels(folder / "labels.json"):
        assert (LANDMARKS / f"{label.file[:-4]}.full.npz").exists(), label.file


def test_no_clip_errors(results):
    clips, totals = results
    assert totals["errors"] == 0, [c.error for c in clips if c.status != "ok"]


def test_lift_family_accuracy(results):
    assert results[1]["family_accuracy"] >= 0.97  # 100 % measured (docs/ACCURACY.md)


def test_no_wrong_lift_is_named(results):
    """Issue 15: when unsure, "unknown lift" with the best guesses rather than a wrong lift. Measured: no lift named
    wrong (2 before: clip_012 and clip_081, now unknown), 40 of 45 named right, 5 unknown (best guess right in 3)."""
    totals = results[1]
    assert totals["lift_named_wrong"] == 0
    assert totals["lift_accuracy"] >= 0.88
    assert totals["unknown_lift_clips"] <= 5


def test_view_accuracy(results):
    assert results[1]["view_accuracy"] >= 0.90


def test_rep_count_accuracy(results):
    totals = results[1]
    assert totals["rep_clips"] >= 35
    assert totals["reps_within_one"] == 1.0, "issue #2: within one rep on every usable clip"
    assert totals["reps_exact"] >= 0.92


def test_rep_timing(results):
    totals = results[1]
    assert totals["lockout_mae_s"] <= 0.25
    assert totals["bottom_mae_s"] <= 0.5


@pytest.mark.parametrize("clip", ["clip_008", "clip_030", "clip_053"])
def test_deadlift_standing_up_out_of_the_top_of_the_frame_is_counted(clip):
    """Camera close and low: the head leaves the top of the frame at lockout and the tracker loses
    the lifter. The labels count one rep; it is counted with its lockout out of view, unjudged."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    a = analyze_landmarks(seq, load_config())
    assert a.exercise.label == "deadlift"
    assert len(a.reps) == 1
    label = next(c for c in load_labels(folder / "labels.json") if c.file == f"{clip}.mp4")
    # the lifter is out of view for about a second around the lockout
    assert abs(a.reps[0].t_lockout - label.reps[0][1]) < 1.2
    if clip != "clip_053":  # 053: the first frame back in view still reads 145 deg, a seen lockout
        assert not a.reps[0].lockout_seen
        assert any(w.code == "lockout_out_of_view" for w in a.warnings)


def test_conventional_deadlift_is_judged_by_the_deadlift_rules_not_the_rdl_ones():
    need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / "clip_040.full.npz")
    analysis = analyze_landmarks(seq)
    assert analysis.exercise.label == "deadlift" and analysis.judged
    assert analysis.findings and all(f.rule.startswith("dl.") for f in analysis.findings)


def test_squat_gets_no_verdicts():
    need_shared()
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_036.full.npz"))
    assert analysis.exercise.label == "squat"
    assert not analysis.judged and not analysis.findings


def test_front_view_judges_only_the_tempo():
    """An RDL set filmed from the front (clip_012, labelled clean): read as an RDL (it opens standing with the bar in
    the hands), its tempo, which reads heights on screen, is judged (three steady lowerings pass); every rule that
    reads joint angles says the rep was filmed from the front."""
    need_shared()
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_012.full.npz"))
    assert analysis.exercise.label == "rdl" and analysis.view.label == "front" and analysis.judged
    assert not analysis.flagged()
    tempo = [f for f in analysis.findings if f.rule == "rdl.tempo"]
    assert len(tempo) == 3 and all(f.verdict == "pass" and f.value > 1.5 for f in tempo)
    others = [f for f in analysis.findings if f.rule != "rdl.tempo"]
    assert others and all(f.verdict == "not_checked" and "filmed from the front" in f.message for f in others)
    assert any(w.code == "wrong_view" and '"Controlled eccentric"' in w.message for w in analysis.warnings)


def test_front_view_without_a_rule_it_can_judge_gets_no_verdicts():
    """A hip thrust filmed from the front (clip_075): none of its rules reads what a front view shows."""
    need_shared()
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_075.full.npz"))
    assert analysis.exercise.label == "hip_thrust" and analysis.view.label == "front"
    assert not analysis.judged and "side view" in analysis.not_judged_reason
    assert not analysis.findings
    assert any(w.code == "wrong_view" for w in analysis.warnings)


def test_rdl_side_view_is_judged_with_evidence():
    need_shared()
    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_078.full.npz"))
    # it opens at the bottom of a rep with 31-degree knees (the stiff-leg cut is 35, the knee's scatter 6.4): an
    # unknown lift, an RDL (0.71) or a stiff-leg deadlift, whose rules are the same: every RDL rule judges
    assert analysis.exercise.label == "unknown" and analysis.exercise.detail["guesses"][0]["lift"] == "rdl"
    assert analysis.view.label == "side"
    assert len(analysis.reps) == 3 and analysis.judged
    assert {f.rule for f in analysis.findings} == {rule.id for rule in RDL_RULES}
    for finding in analysis.findings:
        if finding.verdict in ("pass", "warn", "fault"):
            assert finding.value is not None and finding.threshold is not None
            assert finding.t_start is not None and finding.t_end >= finding.t_start
            assert finding.frame is not None


def test_json_report_is_strict_json():
    need_shared()
    from formcheck.report.json_report import dumps

    analysis = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_002.full.npz"))
    data = json.loads(dumps(analysis.to_dict()))
    assert data["schema_version"] == "1.8"
    assert data["exercise"]["label"] == "hip_thrust"
    assert len(data["reps"]) == 2


def test_edited_clip_with_two_camera_angles_is_counted_per_shot():
    """clip_032: frog pumps, hard cut at ~3.0 s from a feet-to-camera view to a side view (8 reps)."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / "clip_032.full.npz")
    assert seq.frame_change is not None, (
        "fixture made before frame changes were recorded: run tools/add_frame_change.py"
    )
    a = analyze_landmarks(seq, load_config())
    assert a.view.label == "mixed"
    shots = a.view.detail["shots"]
    assert [s["view"] for s in shots] == ["front", "side"] and shots[1]["t_start"] == pytest.approx(3.0, abs=0.1)
    label = next(c for c in load_labels(folder / "labels.json") if c.file == "clip_032.mp4")
    assert len(a.reps) == label.n_reps == 8
    for rep, (_, lockout) in zip(a.reps, label.reps):
        assert abs(rep.t_lockout - lockout) < 0.3
    front = [f for f in a.findings if f.rep is not None and f.rep <= 4]
    assert front and all(f.verdict == "not_checked" for f in front)


def test_every_fixture_records_picture_changes():
    for path in sorted(LANDMARKS.glob("*.npz")):
        assert PoseSequence.load_npz(path).frame_change is not None, path.name


@pytest.mark.parametrize("clip, reps, at", [("clip_019", 1, 10.1), ("clip_046", 8, 13.8), ("clip_015", 4, 12.4)])
def test_standing_up_without_the_bar_is_not_a_rep(clip, reps, at):
    """The lifter sets the bar down, lets go and stands up: the bar stays on the floor (checked on
    the video). clip_015's label counts that last stand-up as a fifth rep; its frames show the bar
    on the floor throughout (docs/ACCURACY.md), so this test follows the labels' definition."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    a = analyze_landmarks(seq, load_config(), video=folder / f"{clip}.mp4")
    assert len(a.reps) == reps
    dropped = [c for c in a.bar_checks if not c.counted]
    assert (
        len(dropped) == 1
        and dropped[0].check.verdict == "without_bar"
        and dropped[0].t_lockout == pytest.approx(at, abs=0.2)
    )
    assert all(c.check.verdict == "with_bar" for c in a.bar_checks if c.counted)
    assert any(w.code == "stood_up_without_bar" for w in a.warnings)
    without_video = analyze_landmarks(seq, load_config())
    assert len(without_video.reps) == reps + 1 and not without_video.bar_checks


def test_hip_thrust_on_a_tall_box_is_no_squat():
    """clip_083 (labels_form.json): a bodyweight hip thrust, shoulders on a plyo box, near side view. Its
    shoulders sit 0.95 leg lengths above the ankles, as high as a crouched deadlifter's; the body lying at
    the top and the shoulders resting while the hips move make it a hip thrust (issue 15). Labelled 7 reps,
    the first a rise from the opening frozen frames with no bottom in the clip (range 6-7)."""
    need_shared()
    a = analyze_landmarks(PoseSequence.load_npz(LANDMARKS / "clip_083.full.npz"), load_config())
    assert a.exercise.label == "hip_thrust"
    assert len(a.reps) in (6, 7)


@pytest.mark.parametrize(("clip", "reps"), [("clip_090", 6), ("clip_012", 3)])
def test_reps_filmed_from_the_front_count_on_the_smoothed_3d_hip_angle(clip, reps):
    """clip_090 (labels_form.json: an RDL set whose handheld camera starts in front): its first rep locks out at
    135 deg of 3D hip angle, under the 2D floor of 140 (``reps.min_lockout_hip_3d_deg``). clip_012 (front-view
    RDL, 10 fps): a one-frame 17 deg jump of the depth guess mid-rise split a rep once that floor was lowered
    (``reps.driver_3d_median_s``)."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    analysis = analyze_landmarks(seq, load_config(), video=folder / f"{clip}.mp4")
    assert len(analysis.reps) == reps


def test_an_oblique_pull_that_may_be_a_stiff_leg_or_a_conventional_deadlift_is_not_judged_on_what_it_cannot_see():
    """clip_089 (labels_form.json): one heavy pull filmed 45 deg off the side, labelled a stiff-leg deadlift that
    "could be a very high-hip conventional pull". The detector cannot name it; the knee rules differ between the
    candidates, so they are set aside. The one rule both demand, the hips through at the top, is offered, but from
    45 deg off side a rendered 15 deg partial lockout reads as straight as a full one, so it says not checked with
    that reason rather than a pass that could not have seen the fault (issue 15 asks for verdicts here; issue 10
    forbids blind ones)."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / "clip_089.full.npz")
    a = analyze_landmarks(seq, load_config(), video=folder / "clip_089.mp4")
    assert a.exercise.label == "unknown" and a.judged and len(a.reps) == 1
    assert not [f for f in a.findings if f.verdict != "not_checked"]
    hips = [f for f in a.findings if f.rule == "hinge.hips_through"]
    assert len(hips) == 1 and "pure side view" in hips[0].message
    assert all("unknown" in f.message for f in a.findings if f.rule.startswith("rdl."))


@pytest.mark.parametrize("clip", ["clip_013", "clip_014", "clip_047", "clip_065"])
def test_a_deadlift_lockout_behind_the_plate_counts_once(clip):
    """Side views with a plate in front of the legs (docs/ACCURACY.md 'The counts the mirror pass lost'): standing,
    the model draws the near knee onto the bar (clip_013, clip_047, clip_065: a second rep, or the lockout hidden),
    or the head leaves the top of the frame with the trunk read from guessed shoulders (clip_014). One rep each,
    its lockout within 0.6 s of the labelled one (read 0.4-0.5 s off it on three of them: the hips are behind the
    plate, or out of the frame, as they straighten)."""
    folder = need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    label = next(c for c in load_labels(folder / "labels.json") if c.file == f"{clip}.mp4")
    a = analyze_landmarks(seq, load_config(), video=folder / f"{clip}.mp4")
    assert len(a.reps) == label.n_reps == 1
    assert a.reps[0].t_lockout == pytest.approx(label.reps[0][1], abs=0.6)


def test_a_bystander_the_tracker_began_on_is_dropped():
    """clip_088 (a deadlift in a busy gym, labelled side view at 10°): the tracker began on a bystander facing the
    camera, drawn at 0.6 of the lifter's size, and jumped to the lifter across a lost frame (0.53 s in these
    landmarks, 0.97 s when the clip was posed again on 2026-12-05, when the first shot read 'front' and the clip
    'mixed'). The first stretch is dropped (cleaning.excursion_edge_size), the clip is one side-view shot, one rep."""
    seq = PoseSequence.load_npz(LANDMARKS / "clip_088.full.npz")
    a = analyze_landmarks(seq, load_config())
    assert a.cleaning.excursion_frames_dropped == int(np.sum(seq.detected[seq.t < 0.55]))
    assert a.view.label == "side" and len(a.reps) == 1


def test_a_deep_hinge_read_as_an_rdl_or_a_deadlift_is_told_what_its_knee_bend_means():
    """clip_082: touch-and-go pulls from a standing start with the knees clearly bent, labelled a deadlift that
    "could be read as a deep RDL with knee bend"; read as an unknown lift (RDL or deadlift), its knee rule is set
    aside, so the report tells the bend measured and what it means in an RDL. clip_062, a box squat read as
    "squat, RDL or deadlift", is not told: a squat bends its knees so too."""
    folder = need_shared()
    for clip, told in (("clip_082", True), ("clip_062", False)):
        seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
        a = analyze_landmarks(seq, load_config(), video=folder / f"{clip}.mp4")
        notes = [w for w in a.warnings if w.code == "knee_bend_if_rdl"]
        assert a.exercise.label == "unknown" and bool(notes) is told, clip
        if told:
            assert notes[0].severity == "info" and "squat-hinge hybrid" in notes[0].message
