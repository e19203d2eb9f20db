"""A rendered RDL with 45 cm plates, filmed from the side: the near plate hides the knees and, at the top, the
hips; the rules reading them there say "not checked" with the reason instead of a verdict on a guessed joint.

Renders the clip (formcheck.synth, small and sparse) and runs the real pose model: marked ``model`` (slower).
"""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks, estimate_pose
from formcheck.synth.__main__ import main as synth_main

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def plated_rdl(tmp_path_factory):
    out = tmp_path_factory.mktemp("plates") / "rdl_full_plates.mp4"
    args = ["--lift", "rdl", "--reps", "2", "--seed", "3", "--full-plates", "--width", "480", "--height", "270"]
    assert synth_main([*args, "--fps", "10", "--supersample", "1", "-q", "-o", str(out)]) == 0
    seq = estimate_pose(out, load_config(), use_cache=False)
    return out, seq


def test_knees_behind_the_plate_are_not_judged(plated_rdl):
    video, seq = plated_rdl
    # the plate search is on by default; the bar distance, not judged by default, is read to show where it looks
    on = analyze_landmarks(seq, load_config(overrides={"rdl.judge_unvalidated": True}), video=video)
    off = analyze_landmarks(
        seq, load_config(overrides={"plates.check": False, "rdl.judge_unvalidated": True}), video=video
    )
    assert on.exercise.label == "rdl" and len(on.reps) == 2
    plates = on.plates or {}
    assert plates.get("checked") and all(r["plate"] for r in plates["reps"])
    # a 45 cm plate is about 0.25 leg lengths at the lifter; the near plate, closer to the camera, shows larger
    assert all(0.2 <= r["radius_leg"] <= 0.6 for r in plates["reps"])
    knee = on.trust.summary()["knee"] if on.trust is not None else {}
    assert knee.get("behind_plate", 0.0) > 0.3
    for rep in (1, 2):
        found = {f.rule: f for f in on.findings if f.rep == rep}
        # the bar distance reads the knee over the whole pull, where the plate covers it
        assert found["rdl.bar_drift"].verdict == "not_checked"
        assert found["rdl.bar_drift"].message.startswith("the knee is hidden behind the plate in ")
        # the hips at the top sit inside this close camera's large plate
        assert found["hinge.hips_through"].message == "the hip is hidden behind the plate in 100% of the top"
        # the knee rule reads the knee at the start and the bottom only: on this clip it is not evidence there
        # either (behind the plate at the start, a bone off its length at the bottom), and it says where
        frozen = found["rdl.knees_frozen"]
        assert frozen.verdict == "not_checked" and frozen.message.startswith("the knee ")
        assert frozen.message.endswith("of the start position and the bottom")
    # without the plate search nothing says so: the reason is the plate, found in the picture
    assert not any("behind the plate" in f.message for f in off.findings)
    assert off.plates == {"checked": False, "reason": "turned off (plates.check)"}


def test_without_the_video_the_plate_search_says_it_was_skipped(plated_rdl):
    _, seq = plated_rdl
    analysis = analyze_landmarks(seq, load_config())
    assert analysis.plates is not None and not analysis.plates["checked"]
    assert "no video" in analysis.plates["reason"]
    assert analysis.to_dict()["measurement"]["plates"] == analysis.plates
