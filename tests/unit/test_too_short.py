"""A clip too short to analyse is refused before the pose model runs (formcheck.quality.refuse_too_short): the same
one-line refusal as after the pose pass, without the model's start-up or the warnings its native code may print."""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.errors import ConfigError, InputError
from formcheck.pipeline import analyze_video
from tests.videos import write_video


class ModelRan(Exception):
    """Raised by :class:`Sentinel` when the pose pass reaches the model."""


class Sentinel:
    """A pose estimator that says it was asked."""

    name = "sentinel"

    def estimate(self, frames, meta, progress=None):
        raise ModelRan(meta.n_frames)


@pytest.mark.parametrize("frames", [1, 3, 14])
def test_a_clip_under_the_minimum_is_refused_before_the_model(tmp_path, frames):
    clip = write_video(tmp_path / "short.mp4", frames)
    unit = "frame" if frames == 1 else "frames"
    with pytest.raises(InputError, match=rf"short\.mp4 is too short to analyse \({frames} {unit}\)"):
        analyze_video(clip, load_config(), estimator=Sentinel(), use_cache=False)


def test_a_clip_at_the_minimum_reaches_the_model(tmp_path):
    config = load_config()
    clip = write_video(tmp_path / "enough.mp4", config.detect.min_frames)
    with pytest.raises(ModelRan):
        analyze_video(clip, config, estimator=Sentinel(), use_cache=False)


def test_an_unknown_forced_lift_is_named_before_the_length(tmp_path):
    clip = write_video(tmp_path / "short.mp4", 3)
    with pytest.raises(ConfigError, match="unknown exercise 'curl'"):
        analyze_video(clip, load_config(), exercise="curl", estimator=Sentinel(), use_cache=False)
