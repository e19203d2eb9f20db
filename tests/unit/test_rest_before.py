"""A rest low before a rep, and the bar it then needs (issue 15: "a rep is a movement, not the time between two
lockouts").

Every set of floor pulls ends with the bar set down and the lifter standing up without it. A lifter seen standing,
then low longer than a set-up or a dead stop (``bar.rest_needs_bar_s``, COACHING.md §3: 1-3 s), then standing
again has done a rep only if the bar came up: the bar check must see it rise, "unknown" is not enough. A clip that
opens low (a set-up, nothing seen before it) is not held to this.

Three levels, each on generated data with known answers: :func:`formcheck.reps.rest_before` on hand-made
per-frame states and on generated hip-angle signals (edge cases one per test: touch-and-go, a rest, a set-up, a
picture cut, short and long tracking gaps, partial rises inside the rest, standing between, an out-of-view
lockout); :func:`formcheck.counting.count_reps` on generated deadlift sets filmed in one or two shots; and
:func:`formcheck.barbell.apply_checks`, which drops the rep.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import kinematics
from formcheck.barbell import BarCheck, apply_checks
from formcheck.cleaning import Cleaned, clean, drop_untrusted
from formcheck.config import BarConfig, RepConfig, load_config
from formcheck.counting import count_reps
from formcheck.exercises.detect import Shot
from formcheck.reps import at_lockout, held_low, rest_before, segment_reps, speed_of
from formcheck.types import Detection, Rep
from tests import synthetic as S

CFG = RepConfig()
FPS = 30


# -- generated hip-angle signals ------------------------------------------------------------------------
def _cos(a: float, b: float, seconds: float) -> np.ndarray:
    return a + (b - a) * (1 - np.cos(np.linspace(0, np.pi, max(int(seconds * FPS), 2)))) / 2


def stand(s: float) -> np.ndarray:
    return np.full(int(s * FPS), 178.0)


def lower(s: float = 1.0) -> np.ndarray:
    return _cos(178.0, 60.0, s)


def pull(s: float = 1.0) -> np.ndarray:
    return _cos(60.0, 178.0, s)


def hold(s: float) -> np.ndarray:
    """Low at the bar: 60 deg, fidgeting by 5 deg (a drill, a reset), never near standing."""
    n = int(s * FPS)
    return 60.0 + 5.0 * np.sin(np.arange(n) / FPS * 2.0)


def rests_of(h: np.ndarray, breaks: np.ndarray | None = None) -> list[float | None]:
    """Every counted rep's rest, from the states the counter itself uses (one shot, its own levels)."""
    t = np.arange(len(h)) / FPS
    cuts = np.zeros(len(h), dtype=bool) if breaks is None else breaks
    reps, lv = segment_reps(t, h, CFG, breaks=cuts)
    assert lv is not None
    low = held_low(t, h, lv, CFG)
    standing = at_lockout(h, np.ones(len(h), dtype=bool), lv)
    stops = {r.lockout for r in reps}
    speed = speed_of(t, h)
    return [rest_before(t, np.isfinite(h), speed, low, standing, cuts, r.bottom, r.lockout, stops, CFG) for r in reps]


def test_touch_and_go_reps_have_no_rest():
    """Three pulls from standing, the bar touching and going: each rep's time low is its turn, well under 3 s."""
    h = np.concatenate([stand(1), lower(), pull(), stand(0.5), lower(), pull(), stand(0.5), lower(), pull(), stand(1)])
    rests = rests_of(h)
    assert len(rests) == 3
    assert all(r is not None and 0.0 <= r < 0.5 for r in rests), rests


@pytest.mark.parametrize("rest_s", [4.0, 10.0, 20.0])
def test_a_rest_on_the_floor_is_measured(rest_s):
    """Standing, the bar set down, ``rest_s`` low, standing up: the rest is the hold between the end of the
    lowering and the start of the rise, whatever its length."""
    h = np.concatenate([stand(1), lower(), hold(rest_s), pull(), stand(1)])
    (rest,) = rests_of(h)
    assert rest == pytest.approx(rest_s, abs=0.2)


def test_a_set_up_opening_the_clip_is_no_rest():
    """A clip that opens bent over the bar for 20 s: nothing was seen before it, so no rest (None); the next,
    touch-and-go rep has a short one."""
    h = np.concatenate([hold(20), pull(), stand(1), lower(), pull(), stand(1)])
    first, second = rests_of(h)
    assert first is None
    assert second is not None and second < 0.5


def test_a_picture_cut_inside_the_rest_ends_the_walk_back():
    """An edited clip cut while the lifter was low: the lifter after the cut was not seen standing before it."""
    h = np.concatenate([stand(1), lower(), hold(10), pull(), stand(1)])
    cuts = np.zeros(len(h), dtype=bool)
    cuts[int(7 * FPS)] = True
    assert rests_of(h, cuts) == [None]


@pytest.mark.parametrize(("gap_s", "bridged"), [(1.5, True), (3.0, False)])
def test_tracking_gaps_inside_the_rest(gap_s, bridged):
    """A tracking gap up to ``max_bridge_gap_s`` (2 s) is crossed, a longer one is not (the counter's own rule)."""
    h = np.concatenate([stand(1), lower(), hold(10), pull(), stand(1)])
    a = int(5 * FPS)
    h[a : a + int(gap_s * FPS)] = np.nan
    (rest,) = rests_of(h)
    if bridged:
        assert rest == pytest.approx(10.0, abs=0.2)
    else:
        assert rest is None


def test_partial_rises_inside_the_rest_do_not_end_it():
    """Half-way up and back down (to 120 deg, short of the lockout level) during the rest: still one rest."""
    h = np.concatenate([stand(1), lower(), hold(4), _cos(60, 120, 1), _cos(120, 60, 1), hold(4), pull(), stand(1)])
    (rest,) = rests_of(h)
    assert rest == pytest.approx(10.0, abs=0.2)


def test_standing_between_ends_the_rest():
    """Down 2 s, stand 2 s, down 2 s, up: two reps with 2 s rests, not one 6 s one."""
    h = np.concatenate([stand(1), lower(), hold(2), pull(), stand(2), lower(), hold(2), pull(), stand(1)])
    rests = rests_of(h)
    assert len(rests) == 2 and all(r == pytest.approx(2.0, abs=0.2) for r in rests), rests


def test_a_slow_lowering_and_rise_are_not_rest():
    """A 3 s lowering, a 1 s dead stop and a 2 s pull: the rest is the stop, not the 4 s spent under "down"."""
    h = np.concatenate([stand(1), lower(3.0), hold(1), pull(2.0), stand(1)])
    (rest,) = rests_of(h)
    assert rest == pytest.approx(1.0, abs=0.2)


def test_a_counted_lockout_out_of_view_is_a_stop():
    """Hand-made states: a lockout hidden in a tracking gap (frames 10-19 untracked; the previous rep's lockout at
    frame 15) stops the walk back though no standing frame was tracked there."""
    n = 60
    t = np.arange(n) / FPS
    tracked = np.ones(n, dtype=bool)
    tracked[10:20] = False
    low = np.zeros(n, dtype=bool)
    low[:10] = True
    low[25:50] = True
    standing = np.zeros(n, dtype=bool)
    standing[55:] = True
    cuts = np.zeros(n, dtype=bool)
    speed = np.where(tracked, 0.0, np.nan)
    speed[50:55] = 60.0  # the final rise
    rest = rest_before(t, tracked, speed, low, standing, cuts, 40, 55, {15, 55}, CFG)
    assert rest == pytest.approx(t[49] - t[25])
    # without the stop the walk reaches the clip's start low: nothing standing was seen, no rest
    assert rest_before(t, tracked, speed, low, standing, cuts, 40, 55, {55}, CFG) is None


def test_states_from_two_shots_join():
    """Hand-made states: the frames before and after a shot boundary carry each shot's own low and standing
    flags; the walk back crosses the boundary (no picture cut) and measures the whole rest."""
    n = 120
    t = np.arange(n) / FPS
    low = np.zeros(n, dtype=bool)
    low[20:100] = True  # shot 1 says low from frame 20, shot 2 (from frame 60) low until 100
    standing = np.zeros(n, dtype=bool)
    standing[:10] = True
    standing[110:] = True
    speed = np.zeros(n)
    speed[12:20] = -60.0  # the lowering
    speed[100:110] = 60.0  # the final rise
    tracked = np.ones(n, dtype=bool)
    rest = rest_before(t, tracked, speed, low, standing, np.zeros(n, dtype=bool), 80, 110, {110}, CFG)
    assert rest == pytest.approx(t[99] - t[20])


# -- count_reps on generated deadlift sets ----------------------------------------------------------------
def _counted(seq, split_at: int | None = None, cut: bool = False):
    config = load_config()
    trusted = drop_untrusted(seq, [], config.cleaning)
    smooth, _ = clean(trusted.seq, config.cleaning)
    cleaned = Cleaned(raw=trusted.seq, smooth=smooth, report=None)  # type: ignore[arg-type]
    series, _, _ = kinematics.compute(smooth)
    side = Detection("side", 1.0, {})
    if split_at is None:
        shots = [Shot(0, len(seq), side)]
    else:
        shots = [Shot(0, split_at, side), Shot(split_at, len(seq), side)]
    cuts = [split_at] if cut and split_at is not None else []
    return count_reps(cleaned, series, "hinge", "deadlift", shots, config, cuts)


def test_generated_deadlifts_with_a_dead_stop_have_short_rests():
    """Three floor pulls with a 0.8 s dead stop: the first opens the clip (no rest), the others rest under 3 s."""
    counted = _counted(S.deadlift_from_floor_set(n_reps=3, floor_pause_s=0.8).seq)
    assert len(counted.reps) == 3
    assert 1 not in counted.rest_before_s
    assert all(counted.rest_before_s[i] < BarConfig().rest_needs_bar_s for i in (2, 3)), counted.rest_before_s


@pytest.mark.parametrize(("split", "cut", "measured"), [(False, False, True), (True, False, True), (True, True, False)])
def test_generated_deadlifts_with_a_long_rest(split, cut, measured):
    """Two floor pulls 10 s apart on the floor: the second rep's rest is about 10 s, also when the camera's view
    changes half-way through it (two shots, no picture cut: the lifter stayed where she was); across a picture
    cut nothing was seen before it (no rest)."""
    syn = S.deadlift_from_floor_set(n_reps=2, floor_pause_s=10.0)
    split_at = syn.frame(syn.reps[1].t_bottom) if split else None  # the middle of the rest
    counted = _counted(syn.seq, split_at, cut)
    assert len(counted.reps) == 2
    second = counted.reps[1].index
    if measured:
        assert 9.0 <= counted.rest_before_s[second] <= 12.0, counted.rest_before_s
    else:
        assert second not in counted.rest_before_s


# -- the bar a rep after a rest needs ---------------------------------------------------------------------
def _rep(index: int, t_bottom: float) -> Rep:
    b = int(t_bottom * FPS)
    return Rep(
        index=index,
        start=b - 30,
        bottom=b,
        lockout=b + 30,
        end=b + 45,
        t_start=t_bottom - 1.0,
        t_bottom=t_bottom,
        t_lockout=t_bottom + 1.0,
        t_end=t_bottom + 1.5,
        eccentric_s=1.0,
        bottom_pause_s=0.0,
        concentric_s=1.0,
        top_pause_s=0.5,
        rom_deg=110.0,
        bottom_deg=65.0,
        top_deg=175.0,
    )


REPS = [_rep(1, 2.0), _rep(2, 5.0), _rep(3, 20.0)]
CONFIG = BarConfig()


def _checks(*verdicts: str) -> list[BarCheck]:
    return [BarCheck(k + 1, v, "generated") for k, v in enumerate(verdicts)]


def test_a_rep_after_a_rest_without_the_bar_seen_rising_is_dropped():
    result = apply_checks(REPS, _checks("with_bar", "with_bar", "unknown"), CONFIG, {2: 1.0, 3: 12.0})
    assert [r.index for r in result.reps] == [1, 2]
    assert result.dropped_at == [] and result.dropped_after_rest == [(21.0, 12.0)]
    row = result.rows[2]
    assert not row.counted and row.rep is None and "12.0 s low" in row.check.reason


def test_a_rep_after_a_rest_with_the_bar_seen_rising_counts():
    """Rest-pause pulls: the bar set down for 12 s and pulled again, the bar seen rising: a rep."""
    result = apply_checks(REPS, _checks("with_bar", "with_bar", "with_bar"), CONFIG, {2: 1.0, 3: 12.0})
    assert len(result.reps) == 3 and result.dropped_after_rest == []


@pytest.mark.parametrize("rest", [None, 1.0, CONFIG.rest_needs_bar_s])
def test_unknown_still_counts_without_a_long_rest(rest):
    """No rest seen (a set-up opening the clip), a dead stop, or a rest exactly at the bound: "unknown" counts."""
    rests = {} if rest is None else {3: rest}
    result = apply_checks(REPS, _checks("unknown", "unknown", "unknown"), CONFIG, rests)
    assert len(result.reps) == 3 and all(row.counted for row in result.rows)


def test_a_bar_left_on_the_floor_is_dropped_once():
    """A rep the check saw without the bar is dropped as such, rest or not, and renumbering follows."""
    result = apply_checks(REPS, _checks("with_bar", "without_bar", "unknown"), CONFIG, {2: 8.0, 3: 12.0})
    assert [r.t_bottom for r in result.reps] == [2.0] and result.reps[0].index == 1
    assert result.dropped_at == [6.0] and result.dropped_after_rest == [(21.0, 12.0)]
    assert [row.rep for row in result.rows] == [1, None, None]


def test_no_rests_given_changes_nothing():
    """Without rests (the counter gave none) the check drops only what it saw without the bar."""
    result = apply_checks(REPS, _checks("unknown", "with_bar", "without_bar"), CONFIG)
    assert [r.t_bottom for r in result.reps] == [2.0, 5.0] and [r.index for r in result.reps] == [1, 2]
