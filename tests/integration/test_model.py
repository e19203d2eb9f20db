"""End to end with the real MediaPipe model on real clips (slow: a few seconds each)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.errors import ModelError
from formcheck.pipeline import analyze_video
from formcheck.pose import MediaPipeEstimator, PoseOptions, ReplayEstimator, model_path
from formcheck.types import PoseSequence
from formcheck.video import iter_frames, probe
from tests.helpers import LANDMARKS, need_shared

pytestmark = pytest.mark.model


def test_hip_thrust_clip_end_to_end_with_cache():
    clip = need_shared("clip_002.mp4")
    calls = []

    class Counting(MediaPipeEstimator):
        def estimate(self, *args, **kwargs):
            calls.append(1)
            return super().estimate(*args, **kwargs)

    config = load_config()
    analysis = analyze_video(clip, config)
    assert analysis.exercise.label == "hip_thrust"
    assert analysis.view.label == "side"
    assert len(analysis.reps) == 2
    assert analysis.detected_fraction > 0.95
    # matches the stored fixture made by the same model
    stored = PoseSequence.load_npz(LANDMARKS / "clip_002.full.npz")
    assert len(stored) == len(analysis.series.t)
    # the second run comes from the landmark cache
    again = analyze_video(clip, config)
    assert [r.t_lockout for r in again.reps] == [r.t_lockout for r in analysis.reps]
    assert again.timings["pose_s"] < analysis.timings["pose_s"]


def test_tall_portrait_clip_is_detected():
    """A 234x848 clip: the detector finds nobody unless frames are padded to a square."""
    clip = need_shared("clip_007.mp4")
    seq = MediaPipeEstimator(PoseOptions(model="lite")).estimate(iter_frames(clip), probe(clip))
    assert seq.detected.mean() > 0.9
    # landmarks are in the clip's own pixel frame
    hips = seq.xy[seq.detected][:, 23]
    assert np.nanmax(hips[:, 0]) <= 234 and np.nanmax(hips[:, 1]) <= 848


def test_replay_estimator_runs_the_pipeline_without_the_model():
    clip = need_shared("clip_078.mp4")
    analysis = analyze_video(clip, load_config(), estimator=ReplayEstimator(LANDMARKS / "clip_078.full.npz"))
    # clip_078 opens at the bottom of a rep with 31-degree knees: an RDL (0.71) or a stiff-leg deadlift, judged alike
    assert analysis.exercise.detail["guesses"][0]["lift"] == "rdl" and len(analysis.reps) == 3


def test_model_checksum_is_verified(tmp_path):
    src = model_path("lite")
    (tmp_path / src.name).write_bytes(src.read_bytes()[:-10] + b"0123456789")
    (tmp_path / "SHA256SUMS").write_text((src.parent / "SHA256SUMS").read_text())
    with pytest.raises(ModelError, match="SHA-256"):
        model_path("lite", tmp_path)
    with pytest.raises(ModelError, match="missing"):
        model_path("full", tmp_path)


def test_square_clip_with_padded_rows_is_detected():
    """clip_018 is 600x600: before frames were made contiguous the model saw garbage (0 % found)."""
    clip = need_shared("clip_018.mp4")
    seq = MediaPipeEstimator(PoseOptions(model="lite")).estimate(iter_frames(clip), probe(clip))
    assert seq.detected.mean() > 0.9
