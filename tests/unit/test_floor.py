"""dl.floor (COACHING.md §3, "Set the bar down each rep") read from the near plate's height in the picture.

The generated deadlift set (:func:`tests.synthetic_deadlift.deadlift_set`: three pulls from the floor, resting 0.8 s
on it between them) is judged with a plate track made from its own bar: the plate's centre moves with the hands
(``PLATE_Y0`` leg lengths down the picture minus the hands' height), is looked for every 0.2 s as the plate search
does, and is found there unless a test says otherwise. A pull "not set down" turns ``hover`` true leg lengths above
the floor: ``hover`` x ``floor_plate_gain`` as read.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.exercises import deadlift
from formcheck.exercises.base import PlateHeights, RuleContext, run_rule
from formcheck.pipeline import analyze_landmarks
from formcheck.types import Finding, Rep
from tests.synthetic_deadlift import deadlift_set

DL = Config().deadlift
RULE = next(r for r in deadlift.RULES if r.id == "dl.floor")
#: The plate's centre in leg lengths down the picture when the hands are at height 0.
PLATE_Y0 = 3.0
#: A 45 cm plate at the lifter's scale, leg lengths as read.
RADIUS = 0.4
#: One pixel of the picture the plate is searched in: a leg 100 px long.
PIXEL = 0.01
#: Rows between two looks (0.2 s at 30 fps).
EVERY = 6


def _analysis():
    return analyze_landmarks(deadlift_set().seq, Config(), exercise="deadlift")


ANALYSIS = _analysis()
REPS: list[Rep] = ANALYSIS.reps


def plate_of(hover: dict[int, float] | None = None, pixel_leg: float = PIXEL) -> PlateHeights:
    """The plate track of the generated set, its pulls of ``hover`` (rep index -> true leg lengths) turned above
    the floor, looked for every ``EVERY`` rows and found at each look."""
    wrist = ANALYSIS.series["wrist_height"].copy()
    floor = float(np.nanmin(wrist))
    for index, h in (hover or {}).items():
        rep = REPS[index - 1]
        span = slice(rep.start, rep.lockout + 1)
        wrist[span] = np.maximum(wrist[span], floor + h * DL.floor_plate_gain)
    n = len(wrist)
    placed = np.zeros(n, np.int8)
    placed[::EVERY] = 1
    return PlateHeights(PLATE_Y0 - wrist, np.full(n, RADIUS), placed, pixel_leg)


def ctx_with(plate: PlateHeights | None, reps: list[Rep] | None = None) -> RuleContext:
    return RuleContext(
        series=ANALYSIS.series, reps=reps or REPS, rules=DL, view="side", exercise="deadlift", plate=plate
    )


def judge(plate: PlateHeights | None, index: int, reps: list[Rep] | None = None) -> Finding:
    ctx = ctx_with(plate, reps)
    deadlift.prepare(ctx)
    return run_rule(RULE, ctx, next(r for r in ctx.reps if r.index == index))


@pytest.mark.parametrize(
    ("hover", "want"),
    [
        (0.0, "pass"),  # set down: COACHING.md §3's fine size
        (0.01, "pass"),
        (DL.floor_max_above_leg, "fault"),  # the fault size
        (0.1, "fault"),
    ],
)
def test_a_pull_turned_above_the_floor(hover, want):
    f = judge(plate_of({2: hover}), 2)
    assert f.verdict == want
    assert f.value == pytest.approx(hover, abs=0.006)


def test_the_lowest_pull_is_the_floor_the_others_are_measured_from():
    plate = plate_of({2: 0.1})
    reference = judge(plate, 1)  # pulls 1 and 3 were set down; the first of the lowest is the floor
    assert reference.verdict == "not_checked" and "the floor the other pulls are measured from" in reference.message
    assert judge(plate, 3).verdict == "pass"
    # a clip that opens with the bar in the hands: its first pull is the one not set down, and it is flagged
    assert judge(plate_of({1: 0.1}), 1).verdict == "fault"


def test_without_the_plate_not_checked_with_the_reason():
    f = judge(None, 2)
    assert f.verdict == "not_checked" and "needs the near plate found in the video" in f.message
    # the landmarks alone (no video): the same
    got = {f.verdict for f in ANALYSIS.findings if f.rule == "dl.floor"}
    assert got == {"not_checked"}


def test_a_plate_lost_where_the_bar_was_lowest_is_not_read():
    """real clip_026's first pull: the plate unseen behind the arms while the bar rested on the floor, found only as
    the bar rose; its lowest seen point is not where the bar went, so the pull is not judged (it read 0.39 and
    faulted before)."""
    plate = plate_of()
    rep = REPS[1]
    lost = plate.placed.copy()
    looks = np.flatnonzero(lost[rep.start : rep.lockout + 1]) + rep.start
    low = looks[plate.y_leg[looks] >= plate.y_leg[looks].max() - 0.05]  # the rest, the end of the lowering
    lost[low] = -1  # every look at the floor missed it; the centre there is only followed from the hands
    f = judge(replace(plate, placed=lost), 2)
    assert f.verdict == "not_checked" and "lost next to this pull's lowest point" in f.message


def test_a_rest_is_read_as_the_median_of_its_looks():
    """A pixel and a half of noise in one look at a pull's rest does not move it: a rest reads as the median of the
    looks within ``floor_rest_px`` of its lowest (the set's floor would otherwise follow one look's noise)."""
    plate = plate_of({2: 0.1})
    y = plate.y_leg.copy()
    rep = REPS[2]
    looks = np.flatnonzero(plate.placed[rep.start : rep.lockout + 1]) + rep.start
    at_floor = looks[y[looks] >= y[looks].max() - 0.5 * PIXEL]
    assert at_floor.size >= 3
    y[at_floor[1]] += 1.5 * PIXEL  # one look reads the plate 1.5 px lower
    noisy = replace(plate, y_leg=y)
    # pulls 1 and 3 rest at the same height: the first is the floor; read from its lowest look, pull 3 would be
    f = judge(noisy, 3)
    assert f.verdict == "pass" and f.value == pytest.approx(0.0, abs=1e-6)
    assert judge(noisy, 1).verdict == "not_checked"


def test_plates_too_small_are_not_read():
    plate = plate_of({2: 0.1})
    small = replace(plate, radius_leg=np.full_like(plate.radius_leg, DL.floor_min_plate_radius_leg - 0.05))
    f = judge(small, 2)
    assert f.verdict == "not_checked" and "too small" in f.message


def test_a_circle_of_another_size_is_not_the_plate():
    """An arm across the rim or the far plate: a circle whose radius is not the plate's is passed over, so its height
    cannot make a pull look set down or lifted."""
    plate = plate_of({2: 0.1})
    rep = REPS[1]
    looks = np.flatnonzero(plate.placed[rep.start : rep.lockout + 1]) + rep.start
    y, r = plate.y_leg.copy(), plate.radius_leg.copy()
    y[looks[3]] = y.max() + 0.2  # a circle drawn lower than the floor...
    r[looks[3]] = RADIUS * 0.6  # ...of another size
    assert judge(replace(plate, y_leg=y, radius_leg=r), 2).verdict == "fault"


def test_one_pull_has_no_floor_to_be_measured_from():
    f = judge(plate_of(), 1, reps=REPS[:1])
    assert f.verdict == "not_checked" and "one pull in this shot" in f.message


def test_the_uncertainty_widens_with_a_coarse_picture():
    """The rendered deadlifts' scatter (floor_uncertainty_leg) holds where the legs span as many pixels of the
    search picture as theirs; a clip whose legs span fewer gets floor_uncertainty_px of its own pixels."""
    fine = judge(plate_of({2: 0.1}), 2)
    assert fine.uncertainty == pytest.approx(DL.floor_uncertainty_leg, abs=1e-3)
    coarse = judge(plate_of({2: 0.1}, pixel_leg=0.03), 2)
    assert coarse.uncertainty == pytest.approx(DL.floor_uncertainty_px * 0.03 / DL.floor_plate_gain, abs=1e-3)
    # a reading at the fault size within that wider uncertainty of the cut is at most a warning
    assert judge(plate_of({2: 0.035}, pixel_leg=0.03), 2).verdict == "warn"


def test_a_track_without_its_looks_recorded_reads_every_row():
    """A plate track made without ``placed`` (:attr:`formcheck.plates.PlateTrack.placed` None) takes every row with
    a centre as found: the same verdicts on a track that is right everywhere."""
    plate = replace(plate_of({2: 0.1}), placed=None)
    assert judge(plate, 2).verdict == "fault"
    assert judge(plate, 3).verdict == "pass"
