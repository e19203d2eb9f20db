"""No labelled two-hand hinge reads as a single-arm hold (issue 15 item 4), from the cached real-clip landmarks."""

from __future__ import annotations

import json

import pytest

from formcheck.config import load_config
from formcheck.exercises import FAMILY
from formcheck.types import PoseSequence
from formcheck.variants import hand_travel_leg, loaded_hand
from tests.helpers import LANDMARKS, need_shared

#: The labelled single-arm hold: a B-stance RDL with one dumbbell whose free hand hangs beside the loaded one.
SINGLE_ARM = {"clip_084"}


def _hinges() -> list[str]:
    folder = need_shared()
    out = []
    for name in ("labels.json", "labels_form.json"):
        for clip in json.loads((folder / name).read_text())["clips"]:
            if FAMILY[clip["exercise"]] == "hinge" and (LANDMARKS / f"{clip['file'][:-4]}.full.npz").exists():
                out.append(clip["file"][:-4])
    return out


def test_two_hand_hinges_are_not_read_as_single_arm() -> None:
    cfg = load_config().detect
    clips = [c for c in _hinges() if c not in SINGLE_ARM]
    assert len(clips) >= 30
    for clip in clips:
        assert loaded_hand(PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz"), cfg) is None, clip


@pytest.mark.parametrize("clip", sorted(SINGLE_ARM))
def test_a_free_hand_hanging_beside_the_weight_is_not_told_apart(clip: str) -> None:
    """The known limit: both hands travel alike (0.67 and 0.69 leg lengths), so the hold reads as two hands."""
    need_shared()
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    left, right = hand_travel_leg(seq, load_config().detect.single_arm_min_seen_fraction)
    assert min(left, right) / max(left, right) > 0.9
    assert loaded_hand(seq, load_config().detect) is None
