"""Footage that loops, on the labelled real clips' stored landmarks: the two clips whose footage replays itself
(labels_form.json: clip_083, "a loop"; clip_084, "3 real reps shown twice") are found at the lag the decoder-only
scan (``tools/loop_scan.py``) measures, their replayed reps point at the first showing, and clips that do not loop
are not reported. The fixtures carry the picture signatures the pose stage records (``tools/add_frame_change.py --signatures``),
so no video is needed here.
"""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS

#: clip: (the loop's lag in seconds as tools/loop_scan.py reads it from the video, reps on screen, distinct reps)
LOOPED = {"clip_083": (4.6, 6, 2), "clip_084": (9.4, 6, 3)}


def analyse(stem: str):
    return analyze_landmarks(PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz"), load_config())


@pytest.mark.parametrize("stem", sorted(LOOPED))
def test_a_real_clip_that_loops_is_found_and_its_replayed_reps_point_back(stem: str) -> None:
    lag, on_screen, distinct = LOOPED[stem]
    a = analyse(stem)
    assert [round(loop.lag_s, 1) for loop in a.loops] == [lag]
    assert len(a.reps) == on_screen and a.summary.distinct_rep_count == distinct
    first = {r.index for r in a.reps if r.repeat_of is None}
    for rep in a.reps:
        if rep.repeat_of is not None:
            assert rep.repeat_of in first and rep.t_lockout > a.loops[0].start_s
    assert any(w.code == "looped_footage" for w in a.warnings)


@pytest.mark.parametrize("stem", ["clip_012", "clip_016", "clip_082", "clip_090"])
def test_real_clips_that_do_not_loop_are_not_reported(stem: str) -> None:
    """Repetitive sets filmed once: clip_016's eight reps on a still camera came within 3.5 grey levels of a
    4-second replay, clip_012's within 2.75 (tools/loop_scan.py), under the motion a replay must carry."""
    a = analyse(stem)
    assert a.loops == [] and all(r.repeat_of is None for r in a.reps)
