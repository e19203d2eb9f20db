"""A hinge's foot points read where the foot stood are judged where it stood (trust.planted_feet).

At an RDL's bottom the model draws the ankle up onto the plate, where the plate search then marks it "behind the
plate"; ``feet.pin_planted_feet`` reads it on the line between its standing positions instead, so the drawn point's
doubt says nothing about the reading. Generated tables: each case names what it checks.
"""

from __future__ import annotations

import numpy as np

from formcheck.trust import FLAG_DTYPE, JOINTS, Reason, TrustTable, planted_feet
from formcheck.types import Rep

N = 40
T = np.arange(N) / 10.0
WINDOW_S = 0.2
MIN_SHARE = 0.6
ANKLES = ["left_ankle", "right_ankle"]


def rep(index: int, start: int, end: int) -> Rep:
    return Rep(index, start, (start + end) // 2, end - 1, end, start / 10, 0, 0, end / 10, 1, 0, 1, 0, 90, 90, 180)


def table_with(joint: str, rows: slice, reason: Reason = Reason.BEHIND_PLATE) -> TrustTable:
    flags = np.zeros((N, len(JOINTS)), FLAG_DTYPE)
    flags[rows, JOINTS.index(joint)] = int(reason)
    return TrustTable(JOINTS, flags)


def flagged(table: TrustTable, joint: str) -> list[int]:
    return np.nonzero(table.flags[:, JOINTS.index(joint)])[0].tolist()


def test_an_ankle_pinned_on_both_sides_is_evidence_over_the_rep_where_it_stood_seen():
    table = table_with("ankle", slice(15, 22))  # drawn onto the plate at the bottom (rows 15-21)
    out = planted_feet(table, {1: ANKLES}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE)
    assert flagged(out, "ankle") == []
    assert flagged(table, "ankle") == list(range(15, 22))  # the input is not changed


def test_outside_the_rep_and_on_other_joints_the_flags_stay():
    flags = table_with("ankle", slice(0, N)).flags.copy()
    flags[:, JOINTS.index("knee")] = int(Reason.BEHIND_PLATE)
    flags[8:33, JOINTS.index("ankle")] = 0
    flags[15:22, JOINTS.index("ankle")] = int(Reason.BEHIND_PLATE)
    out = planted_feet(TrustTable(JOINTS, flags), {1: ANKLES}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE)
    assert flagged(out, "ankle") == [*range(0, 8), *range(33, N)]
    assert flagged(out, "knee") == list(range(N))


def test_an_ankle_pinned_on_one_side_only_keeps_its_flags():
    table = table_with("ankle", slice(15, 22))
    out = planted_feet(table, {1: ["left_ankle", "left_heel"]}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE)
    assert flagged(out, "ankle") == list(range(15, 22))


def test_an_ankle_not_seen_where_it_stood_keeps_its_flags():
    # untrusted over the standing end before the start (rows 8-10) as at the bottom: the pinned point is no better
    table = table_with("ankle", slice(8, 22), Reason.LOW_VISIBILITY)
    out = planted_feet(table, {1: ANKLES}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE)
    assert flagged(out, "ankle") == list(range(8, 22))


def test_a_rep_without_pinned_feet_keeps_its_flags():
    table = table_with("heel", slice(15, 22))
    out = planted_feet(table, {1: ANKLES, 2: []}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE)
    assert flagged(out, "heel") == list(range(15, 22))
    assert flagged(planted_feet(table, {}, [rep(1, 10, 30)], T, WINDOW_S, MIN_SHARE), "heel") == list(range(15, 22))
