"""The rendered sample clips (sample_videos/): ground truth we own.

One test runs the real model on a sample clip; the rest score the pipeline
against the exact labels from landmarks cached by
`tools/cache_shared_landmarks.py --videos sample_videos` (same model).
"""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.evaluate import evaluate
from formcheck.pipeline import analyze_landmarks, analyze_video
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, ROOT

SAMPLES = ROOT / "sample_videos"


@pytest.fixture(scope="module")
def scored():
    return evaluate(SAMPLES, load_config(), LANDMARKS)


def test_every_sample_has_a_label_and_cached_landmarks():
    clips = sorted(SAMPLES.glob("*.mp4"))
    assert len(clips) >= 4
    for clip in clips:
        assert clip.with_suffix(".json").exists(), clip.name
        assert (LANDMARKS / f"{clip.stem}.full.npz").exists(), clip.name


@pytest.mark.model
def test_demo_clip_end_to_end_flags_the_injected_fault_only():
    """make demo's clip: head cranked back on rep 4 of 4 must be flagged there and nowhere else."""
    analysis = analyze_video(SAMPLES / "hip_thrust_head_back.mp4", load_config(), use_cache=False)
    assert analysis.exercise.label == "hip_thrust" and analysis.view.label == "side"
    assert len(analysis.reps) == 4
    gaze = {f.rep: f.verdict for f in analysis.findings if f.rule == "ht.look_at_wall"}
    assert gaze[4] in ("warn", "fault")
    assert all(gaze[r] == "pass" for r in (1, 2, 3))
    assert {f.rep for f in analysis.flagged() if f.rule != "ht.consistency"} == {4}


def test_rep_counts_lift_and_view_are_exact(scored):
    totals = scored[1]
    assert totals["errors"] == 0
    assert totals["reps_exact"] == 1.0
    assert totals["family_accuracy"] == 1.0 and totals["view_accuracy"] == 1.0
    assert totals["lockout_mae_s"] <= 0.3


def test_hip_and_knee_angles_within_5_degrees(scored):
    err = scored[1]["angle_error"]
    assert err["hip_deg"]["mae"] <= 5.0
    assert err["knee_flexion_deg"]["mae"] <= 5.0


def test_injected_faults_found_and_clean_reps_kept(scored):
    rules = scored[1]["rules"]
    assert rules["ht.look_at_wall"]["recall"] == 1.0
    assert rules["ht.overextension"]["recall"] == 1.0
    # the squat-hinge hybrid at COACHING.md's fault size (+15° of shin tilt, hips sinking) on reps 3 and 4
    assert rules["rdl.knees_frozen"]["recall"] == 1.0
    # no rule flags a rep that carries no fault for it, but rdl.hips_back (below)
    assert sum(c["fp"] for r, c in rules.items() if r != "rdl.hips_back") == 0
    assert scored[1]["clean_reps_flagged"] == 0


def test_hips_back_on_the_sample_rdls_warns_only_where_the_truth_sits_at_its_warning_line():
    """The sample RDLs' hips truly travel 0.25 (rdl_clean), 0.17 (rdl_knees_bend's clean reps: between COACHING.md's
    fine 0.18 and the 0.15 warning line) and 0.15 per 90° of hinge (its hybrid reps: on the line), from the labels'
    2D landmarks. rdl.hips_back passes the first, and on the others gives no fault and at most warnings whose
    reading lies within its measurement uncertainty of the warning line (docs/ACCURACY.md 'Hips back switched on')."""
    cfg = load_config()
    for stem, judged in (("rdl_clean", 3), ("rdl_knees_bend", 4)):
        seq = PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz")
        found = [
            f for f in analyze_landmarks(seq, cfg, video=SAMPLES / f"{stem}.mp4").findings if f.rule == "rdl.hips_back"
        ]
        assert len([f for f in found if f.verdict != "not_checked"]) == judged, stem
        for f in found:
            if stem == "rdl_clean":
                assert f.verdict == "pass" and f.value >= cfg.rdl.hips_back_fine_ratio, f
            else:
                assert f.verdict in ("pass", "warn"), f
                assert abs(f.value - cfg.rdl.hips_back_min_ratio) <= cfg.rdl.hips_back_uncertainty_leg, f
