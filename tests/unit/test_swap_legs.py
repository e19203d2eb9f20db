"""Which of two swapping leg labels is the model's mistake (:func:`formcheck.trust.near_leg_labels`, ``swaps``).

Filmed a little off the side, MediaPipe may give the leg it sees either label and change it between the bottoms
and the tops of a hip thrust, drawing the other label as a folded guess at the hidden leg (rendered thrusts 15
degrees off side, docs/ACCURACY.md "The leg the model sees, whichever label it gives it"). The near side's label
(the side the rules read) is evidence where it sits on the whole leg, whichever pairing held longer. Each case
below is generated: a side-view thrust (``tests/synthetic.py``), its near (right) leg relabelled and its far leg
folded onto the hip as the model draws it.
"""

from __future__ import annotations

import numpy as np

from formcheck import trust
from formcheck.config import TrustConfig, load_config
from formcheck.landmarks import Landmark, leg_length_px, side_landmark
from tests import synthetic as S

CFG = load_config().trust
LOWER_LEG = ("knee", "ankle", "heel", "toe")
#: The near side of the generated thrusts (facing +x, the right leg seen better): ``near_leg_labels``' index.
RIGHT = 1


def _points(side: str) -> list[Landmark]:
    return [side_landmark(joint, side) for joint in LOWER_LEG]


def _relabelled_thrust(seen_left: np.ndarray, thigh_share: float = 0.3):
    """A side thrust facing +x (right leg near, seen better: visibility 0.95 against 0.8) whose seen leg is
    labelled left on the frames ``seen_left`` and right elsewhere; the other label is the seen leg folded onto the
    hip (its knee ``thigh_share`` of the way from the hip), as the model draws a leg it guesses."""
    seq = S.hip_thrust_set(n_reps=2, facing=1).seq
    xy, visibility = seq.xy.copy(), seq.visibility.copy()
    hip = xy[:, Landmark.RIGHT_HIP]
    real = {joint: xy[:, side_landmark(joint, "right")].copy() for joint in LOWER_LEG}
    shift = (thigh_share - 1.0) * (real["knee"] - hip)
    for joint in LOWER_LEG:
        folded = real[joint] + shift
        left, right = side_landmark(joint, "left"), side_landmark(joint, "right")
        xy[:, left] = np.where(seen_left[:, None], real[joint], folded)
        xy[:, right] = np.where(seen_left[:, None], folded, real[joint])
    visibility[:, _points("right")] = 0.95
    visibility[:, _points("left")] = 0.8
    xy[:, Landmark.LEFT_HIP] = hip
    return seq.replace(xy=xy, visibility=visibility)


def _frames(n: int, start: int, stop: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[start:stop] = True
    return out


def test_the_near_label_on_the_whole_leg_is_seen_and_on_the_folded_one_a_guess():
    n = len(S.hip_thrust_set(n_reps=2, facing=1).seq)
    seen_left = _frames(n, 10, n - 20)
    seq = _relabelled_thrust(seen_left)
    near = trust.near_leg_labels(seq.xy, RIGHT, leg_length_px(seq.xy), CFG)
    assert near.guessed[seen_left].all() and not near.seen[seen_left].any()
    assert near.seen[~seen_left].all() and not near.guessed[~seen_left].any()


def test_a_swap_is_the_pairing_that_puts_the_near_label_on_the_guess_not_the_shorter_one():
    """The seen leg labelled left for most of the clip, right for its last 20 frames: the old rule (the pairing
    held in fewer frames is the mistake) flagged the last 20, where the right label is on the leg seen."""
    n = len(S.hip_thrust_set(n_reps=2, facing=1).seq)
    seen_left = _frames(n, 0, n - 20)
    seq = _relabelled_thrust(seen_left)
    leg = leg_length_px(seq.xy)
    left, right = seq.xy[:, Landmark.LEFT_ANKLE], seq.xy[:, Landmark.RIGHT_ANKLE]
    spans = [(0, n)]
    minority = trust.swaps(left, right, leg, spans, CFG)
    assert minority[n - 20 :].all() and not minority[: n - 21].any()
    near = trust.near_leg_labels(seq.xy, RIGHT, leg, CFG)
    judged = trust.swaps(left, right, leg, spans, CFG, near)
    assert judged[: n - 20].all() and not judged[n - 20 :].any()


def test_the_rules_leg_is_evidence_where_its_label_is_on_the_leg_seen():
    """Through trust.assess: the near (right) knee and ankle are swap-flagged where the model put the right label
    on the folded guess, and evidence on the frames it labelled the seen leg right."""
    n = len(S.hip_thrust_set(n_reps=2, facing=1).seq)
    seen_left = _frames(n, 0, n - 25)
    seq = _relabelled_thrust(seen_left)
    table = trust.assess(seq, seq, CFG, side_spans=[(0, n)])
    for joint in ("knee", "ankle"):
        column = table.flags[:, table.joints.index(joint)]
        swapped = (column & trust.Reason.SWAP) != 0
        assert swapped[5 : n - 25].all(), joint
        assert not swapped[n - 24 :].any(), joint


def test_legs_of_equal_length_leave_the_shorter_pairing_the_mistake():
    """Both labels on whole legs (a real left-right swap of two legs drawn apart): the legs' lengths cannot tell
    which pairing is right, so the one held in fewer frames stays the mistake."""
    n = 40
    left = np.tile([0.0, 0.0], (n, 1))
    right = np.tile([30.0, 0.0], (n, 1))
    left[10:14], right[10:14] = right[10:14].copy(), left[10:14].copy()
    undecided = trust.NearLeg(seen=np.zeros(n, dtype=bool), guessed=np.zeros(n, dtype=bool))
    out = trust.swaps(left, right, 100.0, [(0, n)], TrustConfig(), undecided)
    assert out[10:14].all() and out.sum() == 4


def test_the_near_leg_alone_and_whole_is_seen_folded_alone_is_not():
    """The other label not measured (dropped as a stray leg): the near label is seen when its leg is whole."""
    seq = S.hip_thrust_set(n_reps=1, facing=1).seq
    xy = seq.xy.copy()
    xy[:, _points("left")] = np.nan
    leg = leg_length_px(seq.xy)
    near = trust.near_leg_labels(xy, RIGHT, leg, CFG)
    assert near.seen.all() and not near.guessed.any()
    hip = xy[:, Landmark.RIGHT_HIP]
    shift = -0.7 * (xy[:, Landmark.RIGHT_KNEE] - hip)
    for point in _points("right"):
        xy[:, point] += shift
    near = trust.near_leg_labels(xy, RIGHT, leg, CFG)
    assert not near.seen.any() and not near.guessed.any()
