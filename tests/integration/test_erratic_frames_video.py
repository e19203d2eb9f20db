"""A hip thrust filmed 15 degrees off the side whose hip angle jumps in every rise is judged at its tops.

``tests/data/rendered/hip_thrust_partial_az15_left``: four thrusts with small plates, rendered by ``formcheck synth``
(the command is in its ``.truth.json``), with the full model's landmarks beside it. Rep 1 locks out; reps 2 and 4
stop 15 degrees short of the shoulder-knee line (COACHING.md's fault size), rep 3 8 degrees (the fine size). As the
hips drive up, the model draws the near knee onto the plate for a frame or two, so the counter reads the set on the
pelvis (``counting.driver_spiky``). At the tops the points stay where they are: the plate search finds the small
plate, which cannot hide the hip, so only the broken stretches are guesses (``pipeline.erratic_untrusted``) and
``ht.lockout`` reads the tops. Before, the whole shot was "not checked" (docs/ACCURACY.md "The hip line judged
between its jumps").
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck import trust
from formcheck.config import load_config
from tests.rendered import judge_rendered

STEM = "hip_thrust_partial_az15_left"
CFG = load_config()


def lockouts(config):
    return judge_rendered(STEM, "ht.lockout", config)


@pytest.fixture(scope="module")
def judged():
    return lockouts(CFG)


def test_the_set_is_counted_on_the_pelvis_and_each_rep_found(judged):
    truth, analysis, found = judged
    assert analysis.exercise.label == "hip_thrust"
    assert len(found) == len(truth["lockout_s"])
    erratic = analysis.trust.flags[:, analysis.trust.joints.index("hip")] & int(trust.Reason.ERRATIC)
    assert erratic.any(), "the rises' jumps are not evidence"
    # ...but far from the whole clip: the tops and bottoms between them are
    assert np.count_nonzero(erratic) < 0.5 * len(erratic)


def test_the_tops_are_judged_and_the_partial_lockouts_flagged(judged):
    truth, _, found = judged
    for k, f in found.items():
        size = truth["partial_deg"][k]
        assert f.verdict != "not_checked", (k, f.message)
        if size >= 15.0:  # the fault size
            assert f.verdict in ("warn", "fault"), (k, f.message)
        elif size == 0.0:
            assert f.verdict == "pass", (k, f.message)


def test_too_far_off_the_side_for_the_plate_search_the_whole_shot_is_a_guess():
    """The same clip as if the plate search could not be trusted at its angle: not checked, as before."""
    config = replace(CFG, trust=replace(CFG.trust, erratic_frames_max_off_side_deg=0.0))
    _, _, found = lockouts(config)
    for k, f in found.items():
        assert f.verdict == "not_checked", (k, f.message)
        assert "the shoulder-hip-knee angle breaks" in f.message, (k, f.message)
