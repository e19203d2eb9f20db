"""Repetition and phase segmentation on the driver signal (the hip angle).

A rep is counted each time the lifter reaches lockout coming from a lower
position inside the clip (the labels' definition): a clip that starts at
lockout does not count that first lockout, a descent cut off before lockout
does not count. Hysteresis on two levels (lockout and "down") keeps noise from
making reps; hard cuts and long tracking gaps split the signal into segments
that no rep spans.

:func:`segment` (and :func:`segment_reps`, its reps and levels) runs these steps, each a small pure function below:

1. :func:`levels` (or :func:`unseen_top_levels`): the clip's lockout and "down" levels.
2. :func:`segments`: the tracked stretches, short tracking gaps bridged (:func:`long_gap`),
   split at long gaps and at the cuts of an edited clip (:func:`cut_between`; the cuts are found once, from
   the picture, by :func:`formcheck.exercises.detect.picture_cuts`).
3. :func:`classify_frames`: per frame, held low (:func:`held_low`), at lockout (:func:`at_lockout`),
   head at the top edge.
4. :func:`opens_low`: whether a segment starts "down" (then its first lockout counts).
5. :func:`pair_lows_with_lockouts`: the hysteresis; each low followed by a lockout in the same
   segment is a :class:`Candidate`, a lockout hidden in a tracking gap too (:func:`out_of_view_lockout`).
6. :func:`drop_partial`: candidates covering too little of the biggest one's range are dropped.
7. :func:`seen_rep` / :func:`unseen_rep`: phase edges (:func:`top_frame`, :func:`lockout_frame`,
   :func:`end_frame`, :func:`descent_start`, :func:`bottom_pause`) and durations; a seen rep that rose faster
   than a body can (:func:`too_fast`) is left out and counted in :attr:`Segmentation.too_fast`.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from .cleaning import runs
from .config import RepConfig
from .types import TIME_EPS_S, Rep

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Levels:
    """The thresholds used on one clip, reported with the reps."""

    top_deg: float
    bottom_deg: float
    lockout_deg: float
    down_deg: float


class Segment(NamedTuple):
    """Half-open frame range ``[start, stop)`` across which the rep state carries over."""

    start: int
    stop: int


@dataclass(frozen=True, eq=False)
class FrameStates:
    """What each frame of a clip is, for the hysteresis (bool per frame; NaN frames are False)."""

    #: at or under the "down" level, in a run that lasts at least ``min_low_s``
    low: BoolArray
    #: at or over the lockout level, where a lockout may be counted
    locked: BoolArray
    #: the lifter's head at the top edge of the picture
    at_top_edge: BoolArray


@dataclass(frozen=True)
class Candidate:
    """A low point followed by a lockout inside one segment: a rep before partial ones are dropped."""

    segment: Segment
    #: the lowest frame while "down"
    bottom: int
    #: the first frame at lockout; for a lockout out of view, the middle of the tracking gap hiding it
    lockout: int
    #: False when the lockout happened out of view
    seen: bool


class Neighbours(NamedTuple):
    """What bounds a rep's phase search: the reps before and after it in the same segment."""

    #: the previous rep's lockout, None for the segment's first rep
    prev_lockout: int | None
    #: the next rep's bottom, or the segment's stop for its last rep
    next_bottom: int


@dataclass(frozen=True, eq=False)
class Driver:
    """The driver signal of one shot: times (s), angle (deg, larger = more extended, NaN = not tracked), speed (deg/s)."""

    t: FloatArray
    h: FloatArray
    speed: FloatArray

    @functools.cached_property
    def despiked(self) -> FloatArray:
        """:func:`despiked` ``h``, made once for every rep of the shot (:func:`top_frame`)."""
        return despiked(self.h)


# -- levels -----------------------------------------------------------------------------------------
def levels(
    h: FloatArray,
    config: RepConfig,
    lockout_ok: BoolArray | None = None,
    lockout_tolerance_deg: float | None = None,
    relative_down: bool = False,
) -> Levels | None:
    """Lockout and down thresholds for a clip, or None when it has no usable range.

    ``lockout_tolerance_deg`` loosens only the lockout (a partial rep still counts, so a rule can
    flag it); the "down" level stays where the default tolerance puts it. ``relative_down`` (bridges
    and hip thrusts) also counts the lowest ``down_range_fraction`` of the clip's own range as down:
    a bridge's bottom (hips on the floor) reads about 140 deg on its driver, and short-range
    bridges (frog pumps) never get below "lockout minus min_rom_deg".
    """
    good = ~np.isnan(h)
    if good.sum() < 3:
        return None
    candidates = h[good & (lockout_ok if lockout_ok is not None else True)]
    if candidates.size < 3:
        return None
    top = float(np.percentile(candidates, 95))
    bottom = float(np.percentile(h[good], 3))
    base = max(top - config.lockout_tolerance_deg, config.min_lockout_hip_deg)
    if base > top:
        return None
    down = base - config.min_rom_deg
    if relative_down and top - bottom >= config.down_range_min_deg:
        down = max(down, bottom + config.down_range_fraction * (top - bottom))
    tolerance = config.lockout_tolerance_deg if lockout_tolerance_deg is None else lockout_tolerance_deg
    lockout = max(top - tolerance, config.min_lockout_hip_deg, down + config.min_rom_deg / 2)
    return Levels(top_deg=top, bottom_deg=bottom, lockout_deg=lockout, down_deg=down)


def unseen_top_levels(h: FloatArray, config: RepConfig) -> Levels | None:
    """Levels for a clip whose lockouts are all out of view: the configured minimum lockout angle."""
    good = ~np.isnan(h)
    if good.sum() < 3:
        return None
    return Levels(
        top_deg=float("nan"),
        bottom_deg=float(np.percentile(h[good], 3)),
        lockout_deg=config.min_lockout_hip_deg,
        down_deg=config.min_lockout_hip_deg - config.min_rom_deg,
    )


# -- segments: tracking gaps and hard cuts ----------------------------------------------------------
def long_gap(t: FloatArray, before: int, after: int, config: RepConfig) -> bool:
    """Whether the tracking gap between tracked frames ``before`` and ``after`` is too long to bridge.

    Neighbouring frames are no gap; a gap up to ``max_bridge_gap_s`` is bridged (a fast pull blurs and
    the tracker drops frames exactly there), a longer one splits.
    """
    return bool(after - before > 1 and t[after] - t[before] > config.max_bridge_gap_s + TIME_EPS_S)


def cut_between(breaks: BoolArray, before: int, after: int) -> bool:
    """Whether a hard cut falls after tracked frame ``before``, up to and including tracked frame ``after``."""
    return bool(np.any(breaks[before + 1 : after + 1]))


def segments(t: FloatArray, h: FloatArray, config: RepConfig, breaks: npt.ArrayLike | None = None) -> list[Segment]:
    """Half-open frame ranges across which the rep state carries over.

    Short tracking gaps (up to ``max_bridge_gap_s``) do not split a segment: a
    lifter low before a gap and locked out after it has done a rep. Longer gaps
    and the cuts of edited clips do split. ``breaks`` marks the cuts (one bool per frame, from
    :func:`formcheck.exercises.detect.picture_cuts`); without it there are none.
    Segments start and end on tracked frames; those shorter than two frames are left out.
    """
    cuts = np.zeros(len(h), dtype=bool) if breaks is None else np.asarray(breaks, dtype=bool)
    valid = np.flatnonzero(~np.isnan(h)).tolist()
    if not valid:
        return []
    out: list[Segment] = []
    start = valid[0]
    for before, after in zip(valid[:-1], valid[1:]):
        if long_gap(t, before, after, config) or cut_between(cuts, before, after):
            out.append(Segment(start, before + 1))
            start = after
    out.append(Segment(start, valid[-1] + 1))
    return [seg for seg in out if seg.stop - seg.start >= 2]


# -- per-frame states and the hysteresis ------------------------------------------------------------
def held_low(t: FloatArray, h: FloatArray, lv: Levels, config: RepConfig, low_ok: BoolArray | None = None) -> BoolArray:
    """Frames at or under the "down" level (where ``low_ok`` allows a low position) in a run lasting at least
    ``min_low_s``.

    "Down" needs a real low position, held for a moment, not a one-frame glitch. A NaN frame ends a run.
    """
    low = np.zeros(len(h), dtype=bool)
    down = h <= lv.down_deg
    if low_ok is not None:
        down &= low_ok
    for a, b in runs(down):
        if t[b - 1] - t[a] >= config.min_low_s - TIME_EPS_S:
            low[a:b] = True
    return low


def at_lockout(h: FloatArray, lockout_ok: BoolArray, lv: Levels) -> BoolArray:
    """Frames at or over the lockout level where ``lockout_ok`` allows a lockout."""
    return (h >= lv.lockout_deg) & lockout_ok


def classify_frames(
    t: FloatArray,
    h: FloatArray,
    lockout_ok: BoolArray,
    at_top_edge: BoolArray,
    lv: Levels,
    config: RepConfig,
    low_ok: BoolArray | None = None,
) -> FrameStates:
    """Each frame's state for the hysteresis: held low, at lockout, head at the top edge."""
    return FrameStates(
        low=held_low(t, h, lv, config, low_ok), locked=at_lockout(h, lockout_ok, lv), at_top_edge=at_top_edge
    )


def opens_low(t: FloatArray, h: FloatArray, seg: Segment, states: FrameStates, lv: Levels, config: RepConfig) -> bool:
    """Whether segment ``seg`` starts "down", so that its first lockout counts as a rep.

    A clip (or a tracked stretch) that opens low counts as "coming from a lower position" only when
    its first frame is not at lockout and it stays at least ``min_rom_deg`` under the lockout level for
    ``start_hold_s``: the first frames after the tracker finds someone are often wrong.
    """
    if states.locked[seg.start]:
        return False
    t0 = t[seg.start]
    times = t[seg.start : seg.stop]
    opening = h[seg.start : seg.stop][(times >= t0) & (times <= t0 + config.start_hold_s + TIME_EPS_S)]
    return bool(np.all(opening[~np.isnan(opening)] <= lv.lockout_deg - config.min_rom_deg))


def out_of_view_lockout(
    h: FloatArray, edge: BoolArray, before: int, after: int, low_i: int, lv: Levels, config: RepConfig
) -> bool:
    """Whether the tracking gap between frames ``before`` and ``after`` hides a lockout.

    The camera is too close or too low: the lifter, coming up from a low point, left the frame
    through its top edge and came back in through it while lowering. Needs: a real gap (longer
    than one frame step but within ``max_bridge_gap_s``, checked by the segment split), the head
    at the top edge on both sides of it, the hip risen at least ``min_out_of_view_rise_deg`` from
    the low point on the way out, and the lifter not already back at lockout after it (that rep
    is counted the ordinary way).
    """
    return bool(
        after - before > 1
        and edge[before]
        and edge[after]
        and h[before] - h[low_i] >= config.min_out_of_view_rise_deg
        and h[after] < lv.lockout_deg
    )


def pair_lows_with_lockouts(
    h: FloatArray, seg: Segment, states: FrameStates, lv: Levels, config: RepConfig, starts_low: bool
) -> list[Candidate]:
    """The hysteresis over one segment: each low position followed by a lockout is a candidate rep.

    The lifter is either "down" (since a held-low frame, or since the segment start when
    ``starts_low``) or not. While down, the lowest frame is the candidate's bottom, and the first
    frame at lockout ends the candidate; so does a tracking gap that hides a lockout
    (:func:`out_of_view_lockout`), with the middle of the gap as its lockout. Untracked frames are skipped.
    """
    found: list[Candidate] = []
    low_i: int | None = seg.start if starts_low else None  # the lowest frame while down; None: not down
    before: int | None = None  # the previous tracked frame
    for i in range(seg.start, seg.stop):
        if np.isnan(h[i]):
            continue
        if (
            low_i is not None
            and before is not None
            and out_of_view_lockout(h, states.at_top_edge, before, i, low_i, lv, config)
        ):
            found.append(Candidate(seg, bottom=low_i, lockout=(before + i) // 2, seen=False))
            low_i = None
        before = i
        if low_i is None and states.low[i]:
            low_i = i
        if low_i is not None:
            if h[i] < h[low_i]:
                low_i = i
            if states.locked[i]:
                found.append(Candidate(seg, bottom=low_i, lockout=i, seen=True))
                low_i = None
    return found


# -- partial reps -----------------------------------------------------------------------------------
def neighbours(candidates: list[Candidate], k: int) -> Neighbours:
    """The previous lockout and the next bottom around ``candidates[k]`` inside its segment."""
    cand = candidates[k]
    prev_lockout = candidates[k - 1].lockout if k > 0 and candidates[k - 1].segment == cand.segment else None
    has_next = k + 1 < len(candidates) and candidates[k + 1].segment == cand.segment
    next_bottom = candidates[k + 1].bottom if has_next else cand.segment.stop
    return Neighbours(prev_lockout, next_bottom)


def candidate_roms(h: FloatArray, candidates: list[Candidate]) -> list[float]:
    """Each candidate's range: the highest point from its lockout to the next bottom, minus its bottom.

    An out-of-view lockout's range is unknown: infinite, so that it is never dropped.
    """
    return [
        float(np.nanmax(h[cand.lockout : neighbours(candidates, k).next_bottom]) - h[cand.bottom])
        if cand.seen
        else float("inf")
        for k, cand in enumerate(candidates)
    ]


def drop_partial(h: FloatArray, candidates: list[Candidate], config: RepConfig) -> list[Candidate]:
    """Candidates whose range is at least ``rom_fraction`` of the biggest finite one (partial movements dropped).

    Out-of-view lockouts are kept: their rise was checked on the way out.
    """
    roms = candidate_roms(h, candidates)
    finite = [rom for rom in roms if np.isfinite(rom)]
    keep = config.rom_fraction * max(finite) if finite else 0.0
    return [cand for cand, rom in zip(candidates, roms) if rom >= keep]


# -- phase edges and durations ----------------------------------------------------------------------
def _speed(t: FloatArray, h: FloatArray) -> FloatArray:
    """Hip-angle speed in degrees per second (central differences; NaN where unknown)."""
    if len(h) < 2:
        return np.zeros(len(h))
    with np.errstate(invalid="ignore"):
        speed: FloatArray = np.gradient(h, t)
    return speed


def _first_valid(h: FloatArray, lo: int, hi: int) -> int:
    """The first tracked frame in ``[lo, hi)``, or ``lo`` when there is none."""
    idx = np.flatnonzero(~np.isnan(h[lo:hi]))
    return lo + int(idx[0]) if idx.size else lo


def _still_run(
    h: FloatArray, speed: FloatArray, i: int, band: float, still: float, lo: int, hi: int
) -> tuple[int, int]:
    """Run [a, b) around ``i`` within [lo, hi) that stays near h[i] and moves slower than ``still``."""

    def calm(j: int) -> bool:
        return bool(abs(h[j] - h[i]) <= band and abs(speed[j]) <= still)

    a = i
    while a - 1 >= lo and calm(a - 1):
        a -= 1
    b = i + 1
    while b < hi and calm(b):
        b += 1
    return a, b


def top_frame(d: Driver, crossing: int, next_bottom: int, config: RepConfig) -> int:
    """The top of a rep: the highest frame from its lockout crossing up to the next bottom, leaving out frames more
    than ``top_band_deg`` (the band phase edges are searched in) above the :func:`despiked` driver there: a one-frame
    spike is no position the lifter reached. A guessed knee that crosses the shoulder-hip line for a frame reads a
    bridge's signed driver 180 deg as the next bottom is reached (a rendered thrust 20 degrees off the side: 95.6,
    180, 16.0), which made that frame the top and put the lockout 1.5 s late."""
    h = d.h[crossing:next_bottom]
    with np.errstate(invalid="ignore"):
        spike = h - d.despiked[crossing:next_bottom] > config.top_band_deg
    kept = np.where(spike, np.nan, h)
    return crossing + int(np.nanargmax(kept if np.isfinite(kept).any() else h))


def lockout_frame(d: Driver, bottom: int, crossing: int, top: int, config: RepConfig) -> int:
    """Where the hip arrived near its top and stopped rising, not before it crossed the lockout level."""
    window = slice(bottom, top + 1)
    near_top = (d.h[window] >= d.h[top] - config.top_band_deg) & ~(d.speed[window] > config.still_speed_deg_s)
    arrived = bottom + int(np.flatnonzero(near_top)[0]) if near_top.any() else top
    return max(arrived, crossing)


def end_frame(d: Driver, top: int, next_bottom: int, config: RepConfig) -> int:
    """One past the last frame near the top, not yet descending, before the next bottom (or the segment end)."""
    window = slice(top, next_bottom)
    near = (d.h[window] >= d.h[top] - config.top_band_deg) & ~(d.speed[window] < -config.still_speed_deg_s)
    after = np.flatnonzero(near)
    return top + (int(after[-1]) + 1 if after.size else 1)


def _start_without_descent(d: Driver, seg: Segment, bottom: int, prev_lockout: int | None) -> int:
    """A rep's start when its descent was not seen: the previous rep's lockout, or the first tracked frame."""
    return _first_valid(d.h, seg.start, bottom + 1) if prev_lockout is None else prev_lockout


def descent_start(
    d: Driver, seg: Segment, bottom: int, prev_lockout: int | None, lv: Levels, config: RepConfig
) -> tuple[int, bool]:
    """Where a rep starts, and whether that is the start of a seen descent.

    The descent starts at the last frame near the previous top, not yet descending, before the
    bottom; the previous top is the highest frame since the previous rep's lockout (or the segment
    start) and must be at lockout level. Without one (a segment that opens low), the rep starts at
    the previous lockout or the first tracked frame and its descent was not seen.
    """
    search_lo = prev_lockout if prev_lockout is not None else seg.start
    h = despiked(d.h[search_lo : bottom + 1])
    speed = _speed(d.t[search_lo : bottom + 1], h)
    peak_k = int(np.nanargmax(h))
    peak = h[peak_k]
    if peak >= lv.lockout_deg and search_lo + peak_k < bottom:
        window = slice(peak_k, bottom - search_lo)
        near_mask = h[window] >= peak - config.top_band_deg
        calm = np.flatnonzero(near_mask & ~(speed[window] < -config.still_speed_deg_s))
        near = np.flatnonzero(near_mask)
        return search_lo + peak_k + int(calm[-1] if calm.size else near[-1]), True
    return _start_without_descent(d, seg, bottom, prev_lockout), False


def despiked(h: FloatArray) -> FloatArray:
    """``h`` with one-frame spikes removed: the median of each frame and its two neighbours (NaN-aware).

    In a fast descent the model can lose a joint for a frame or two and put the hip angle back near
    the top (rendered 0.45 s eccentrics: 144 -> 177 -> 79 deg in 0.2 s, a speed no hinge reaches), which
    made that frame the descent's start. A three-frame median keeps every real plateau and turn.
    """
    if len(h) < 3:
        return h.copy()
    stacked = np.stack([h[:-2], h[1:-1], h[2:]])
    out = h.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out[1:-1] = np.where(np.isnan(h[1:-1]), np.nan, np.nanmedian(stacked, axis=0))
    return out


def bottom_pause(d: Driver, bottom: int, lo: int, hi: int, config: RepConfig) -> tuple[int, int]:
    """The still frames ``[a, b)`` around the bottom within ``[lo, hi)``: near the bottom and slower than still."""
    return _still_run(d.h, d.speed, bottom, config.top_band_deg, config.still_speed_deg_s, lo, hi)


def _frames(t: FloatArray, index: int, start: int, bottom: int, lockout: int, end: int, last: int) -> dict[str, Any]:
    """The fields every :class:`Rep` has: its number, frame edges and their times (``last``: its last frame)."""
    return {
        "index": index,
        "start": int(start),
        "bottom": int(bottom),
        "lockout": int(lockout),
        "end": int(end),
        "t_start": float(t[start]),
        "t_bottom": float(t[bottom]),
        "t_lockout": float(t[lockout]),
        "t_end": float(t[last]),
    }


def rise_start(d: Driver, bottom: int, lockout: int, config: RepConfig) -> int:
    """The last frame in ``[bottom, lockout]`` still under ``rise_start_fraction`` of the range above the bottom:
    where the final rise to lockout starts."""
    h = d.h[bottom : lockout + 1]
    low = h <= h[0] + config.rise_start_fraction * (h[-1] - h[0])
    return bottom + int(np.flatnonzero(low)[-1])


def liftoff_frame(h: FloatArray, bottom: int, rise: int) -> int:
    """The foot of the final rise: from ``rise`` (:func:`rise_start`, already a fifth of the way up) back to the
    last frame the driver was not rising into, no earlier than ``bottom``. A floor pull's lift-off: after a set-up
    crouch or a reset at the bar the rep's lowest point can lie seconds before the bar leaves the floor
    (clip_088: the hips at 53 deg in a crouch at 0.6 s, the pull from 74 deg at 2.8 s)."""
    i = rise
    while i > bottom and np.isfinite(h[i - 1]) and h[i - 1] < h[i]:
        i -= 1
    return i


def seen_rep(d: Driver, cand: Candidate, around: Neighbours, index: int, lv: Levels, config: RepConfig) -> Rep:
    """The rep of a candidate whose lockout was seen, with its phase edges and durations.

    A rep whose descent was not seen (the clip or the tracking opens low: a floor pull's set-up) bottoms out at
    the foot of its final rise (:func:`liftoff_frame`), where the labels put a floor pull's lowest point, not at the
    deepest moment of the set-up before it (clip_088: a crouch at 0.6 s, the bar leaving the floor at 2.8 s; the pull
    read as 3.4 s up instead of 1.2); held low longer than ``max_bottom_hold_s`` before that rise (a long set-up at
    the bar), it is that rise alone and starts there too. A seen descent followed by a long hold is a paused rep and
    keeps its deepest moment as the bottom, and the hold.
    """
    t, h = d.t, d.h
    bottom = cand.bottom
    top = top_frame(d, cand.lockout, around.next_bottom, config)
    lockout = lockout_frame(d, bottom, cand.lockout, top, config)
    end = end_frame(d, top, around.next_bottom, config)
    start, descent_seen = descent_start(d, cand.segment, bottom, around.prev_lockout, lv, config)
    rise = rise_start(d, bottom, lockout, config)
    liftoff = liftoff_frame(despiked(h), bottom, max(rise, bottom))
    setup_s = None
    if not descent_seen:
        bottom = liftoff
        if t[rise] - t[start] > config.max_bottom_hold_s + TIME_EPS_S:
            setup_s = float(t[bottom] - t[start])
            start = bottom
    b0, b1 = bottom_pause(d, bottom, start, lockout + 1, config)
    last = max(end - 1, lockout)
    return Rep(
        **_frames(t, index, start, bottom, lockout, end, last),
        eccentric_s=float(t[b0] - t[start]) if descent_seen else None,
        bottom_pause_s=float(t[b1 - 1] - t[b0]),
        concentric_s=float(t[lockout] - t[b1 - 1]),
        top_pause_s=float(t[last] - t[lockout]),
        rom_deg=float(h[top] - h[bottom]),
        bottom_deg=float(h[bottom]),
        top_deg=float(h[top]),
        liftoff=liftoff,
        setup_s=setup_s,
    )


def unseen_rep(d: Driver, cand: Candidate, around: Neighbours, index: int, config: RepConfig) -> Rep:
    """The rep of a candidate whose lockout happened out of view (``cand.lockout`` is inside the tracking gap).

    It ends at the first tracked frame after the gap; the top, the range and the phases that need the
    top are unknown (NaN), and so is the descent into its bottom.
    """
    t, h = d.t, d.h
    bottom, lockout = cand.bottom, cand.lockout
    after = np.flatnonzero(~np.isnan(h[lockout:]))
    end = lockout + (int(after[0]) if after.size else 1)
    start = _start_without_descent(d, cand.segment, bottom, around.prev_lockout)
    b0, b1 = bottom_pause(d, bottom, start, lockout, config)
    nan = float("nan")
    return Rep(
        **_frames(t, index, start, bottom, lockout, end, end - 1),
        eccentric_s=None,
        bottom_pause_s=float(t[b1 - 1] - t[b0]),
        concentric_s=nan,
        top_pause_s=nan,
        rom_deg=nan,
        bottom_deg=float(h[bottom]),
        top_deg=nan,
        lockout_seen=False,
    )


# -- the whole segmentation -------------------------------------------------------------------------
@dataclass(frozen=True)
class Segmentation:
    """What :func:`segment` found on one driver signal."""

    reps: list[Rep]
    levels: Levels | None
    #: seen candidates left out because the driver rose from their bottom to their lockout faster than a body can
    #: (:func:`too_fast`): a fade of an edited clip, or a driver whose joints the model guessed for a few frames
    too_fast: int = 0


def segment_reps(
    t: npt.ArrayLike,
    h: npt.ArrayLike,
    config: RepConfig,
    lockout_ok: npt.ArrayLike | None = None,
    breaks: npt.ArrayLike | None = None,
    lockout_tolerance_deg: float | None = None,
    at_top_edge: npt.ArrayLike | None = None,
    relative_down: bool = False,
    low_ok: npt.ArrayLike | None = None,
) -> tuple[list[Rep], Levels | None]:
    """The reps and levels :func:`segment` finds (same arguments)."""
    found = segment(t, h, config, lockout_ok, breaks, lockout_tolerance_deg, at_top_edge, relative_down, low_ok)
    return found.reps, found.levels


def segment(
    t: npt.ArrayLike,
    h: npt.ArrayLike,
    config: RepConfig,
    lockout_ok: npt.ArrayLike | None = None,
    breaks: npt.ArrayLike | None = None,
    lockout_tolerance_deg: float | None = None,
    at_top_edge: npt.ArrayLike | None = None,
    relative_down: bool = False,
    low_ok: npt.ArrayLike | None = None,
) -> Segmentation:
    """Find the reps in driver signal ``h`` (degrees, larger = more extended).

    ``lockout_ok`` (bool per frame) restricts where a lockout may be counted,
    e.g. torso upright for a hinge or horizontal for a hip thrust.
    ``breaks`` (bool per frame) marks hard cuts (see :func:`segments`).
    ``at_top_edge`` (bool per frame) marks frames where the lifter's head is at the top edge of the
    frame: a lifter low and rising there before a tracking gap, and back there after it below
    lockout, locked out out of view (see :func:`out_of_view_lockout`); the rep counts with
    ``lockout_seen=False``. ``low_ok`` (bool per frame) restricts where a low position may be held, e.g. the
    torso leaning forward for a hinge filmed from the side or obliquely.
    """
    t = np.asarray(t, dtype=np.float64)
    h = np.asarray(h, dtype=np.float64)
    ok = np.ones(len(h), dtype=bool) if lockout_ok is None else np.asarray(lockout_ok, dtype=bool)
    edge = np.zeros(len(h), dtype=bool) if at_top_edge is None else np.asarray(at_top_edge, dtype=bool)
    lv = levels(h, config, ok, lockout_tolerance_deg, relative_down)
    if lv is None and at_top_edge is not None and np.any(edge):
        lv = unseen_top_levels(h, config)
    if lv is None:
        return Segmentation([], None)
    low_ok_ = None if low_ok is None else np.asarray(low_ok, dtype=bool)
    states = classify_frames(t, h, ok, edge, lv, config, low_ok_)
    candidates: list[Candidate] = []
    for seg in segments(t, h, config, breaks):
        starts_low = opens_low(t, h, seg, states, lv, config)
        candidates += pair_lows_with_lockouts(h, seg, states, lv, config, starts_low)
    kept = drop_partial(h, candidates, config)
    d = Driver(t=t, h=h, speed=_speed(t, h))
    reps: list[Rep] = []
    dropped = 0
    for k, cand in enumerate(kept):
        around = neighbours(kept, k)
        if cand.seen:
            rep = seen_rep(d, cand, around, k + 1, lv, config)
            if too_fast(rep, config):
                dropped += 1
            else:
                reps.append(rep)
        else:
            reps.append(unseen_rep(d, cand, around, k + 1, config))
    return Segmentation([replace(rep, index=i + 1) for i, rep in enumerate(reps)], lv, dropped)


def too_fast(rep: Rep, config: RepConfig) -> bool:
    """A seen rep whose hip angle rose from bottom to lockout faster on average than a body can
    (``max_mean_rise_deg_s``): a fade or a jump in an edited clip, not a lift."""
    rise_s = rep.t_lockout - rep.t_bottom
    return bool(rise_s > 0 and rep.rom_deg / rise_s > config.max_mean_rise_deg_s)
