"""Repetition and phase segmentation on the driver signal (the hip angle).

A rep is counted each time the lifter reaches lockout coming from a lower
position inside the clip (the labels' definition): a clip that starts at
lockout does not count that first lockout, a descent cut off before lockout
does not count. Hysteresis on two levels (lockout and "down") keeps noise from
making reps; hard cuts and long tracking gaps split the signal into segments
that no rep spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cleaning import runs
from .config import RepConfig
from .types import Rep


@dataclass(frozen=True)
class Levels:
    """The thresholds used on one clip, reported with the reps."""

    top_deg: float
    bottom_deg: float
    lockout_deg: float
    down_deg: float


def levels(
    h: np.ndarray,
    config: RepConfig,
    lockout_ok: np.ndarray | None = None,
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


def unseen_top_levels(h: np.ndarray, config: RepConfig) -> Levels | None:
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


def segments(
    t: np.ndarray, h: np.ndarray, config: RepConfig, breaks: np.ndarray | None = None
) -> list[tuple[int, int]]:
    """Half-open frame ranges across which the rep state carries over.

    Short tracking gaps (up to ``max_bridge_gap_s``) do not split a segment: a
    lifter low before a gap and locked out after it has done a rep. Longer gaps
    and hard cuts in edited clips do split. ``breaks`` marks the cuts (found on
    the unfiltered angle, see :func:`hard_cuts`); without it they are looked for in ``h``.
    """
    if breaks is None:
        breaks = hard_cuts(h, config)
    valid = np.flatnonzero(~np.isnan(h))
    if valid.size == 0:
        return []
    out: list[tuple[int, int]] = []
    start = int(valid[0])
    for prev, cur in zip(valid[:-1], valid[1:]):
        dt = t[cur] - t[prev]
        gap = cur - prev > 1 and dt > config.max_bridge_gap_s
        cut = bool(np.any(breaks[prev + 1 : cur + 1]))
        if gap or cut:
            out.append((start, int(prev) + 1))
            start = int(cur)
    out.append((start, int(valid[-1]) + 1))
    return [(a, b) for a, b in out if b - a >= 2]


def hard_cuts(h: np.ndarray, config: RepConfig) -> np.ndarray:
    """Frames where an edited clip cuts: the (unfiltered) hip angle jumps and stays at a new level.

    A cut at frame ``i`` needs the median of frames i+1..i+3 to differ from the median of frames
    i-4..i-2 by at least ``cut_min_jump_deg``, and the step from frame i-1 to i to go from the old
    level to the new one (within ``1 - cut_step_share`` of the change). A fast but continuous movement spreads its change over several frames, and a one-frame
    landmark glitch does not stay at its new level, so neither counts.
    """
    h = np.asarray(h, dtype=np.float64)
    cuts = np.zeros(len(h), dtype=bool)
    for i in range(4, len(h) - 3):
        # the levels either side leave out the frames next to the step: a fast movement keeps going there
        before, after = h[i - 4 : i - 1], h[i + 1 : i + 4]
        if np.isnan(before).any() or np.isnan(after).any():
            continue
        low, high = float(np.median(before)), float(np.median(after))
        level = abs(high - low)
        slack = (1.0 - config.cut_step_share) * level
        # the step itself goes from the old level to the new one (a glitch frame does not)
        if level >= config.cut_min_jump_deg and abs(h[i - 1] - low) <= slack and abs(h[i] - high) <= slack:
            cuts[i] = True
    return cuts


def _band_run(h: np.ndarray, i: int, ref: float, band: float, lo: int, hi: int) -> tuple[int, int]:
    """Largest run [a, b) around ``i`` inside [lo, hi) with |h - ref| <= band (NaN ends it)."""
    a = i
    while a - 1 >= lo and abs(h[a - 1] - ref) <= band:
        a -= 1
    b = i + 1
    while b < hi and abs(h[b] - ref) <= band:
        b += 1
    return a, b


def _speed(t: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Hip-angle speed in degrees per second (central differences; NaN where unknown)."""
    if len(h) < 2:
        return np.zeros(len(h))
    with np.errstate(invalid="ignore"):
        return np.gradient(h, t)


def _still_run(
    h: np.ndarray, speed: np.ndarray, i: int, band: float, still: float, lo: int, hi: int
) -> tuple[int, int]:
    """Run [a, b) around ``i`` within [lo, hi) that stays near h[i] and moves slower than ``still``."""

    def calm(j: int) -> bool:
        return abs(h[j] - h[i]) <= band and abs(speed[j]) <= still

    a = i
    while a - 1 >= lo and calm(a - 1):
        a -= 1
    b = i + 1
    while b < hi and calm(b):
        b += 1
    return a, b


def _first_valid(h: np.ndarray, lo: int, hi: int) -> int:
    idx = np.flatnonzero(~np.isnan(h[lo:hi]))
    return lo + int(idx[0]) if idx.size else lo


def segment_reps(
    t: np.ndarray,
    h: np.ndarray,
    config: RepConfig,
    lockout_ok: np.ndarray | None = None,
    breaks: np.ndarray | None = None,
    lockout_tolerance_deg: float | None = None,
    at_top_edge: np.ndarray | None = None,
    relative_down: bool = False,
) -> tuple[list[Rep], Levels | None]:
    """Find the reps in driver signal ``h`` (degrees, larger = more extended).

    ``lockout_ok`` (bool per frame) restricts where a lockout may be counted,
    e.g. torso upright for a hinge or horizontal for a hip thrust.
    ``at_top_edge`` (bool per frame) marks frames where the lifter's head is at the top edge of the
    frame: a lifter low and rising there before a tracking gap, and back there after it below
    lockout, locked out out of view (see :func:`_out_of_view_lockout`); the rep counts with
    ``lockout_seen=False``.
    """
    t = np.asarray(t, dtype=np.float64)
    h = np.asarray(h, dtype=np.float64)
    ok = np.ones(len(h), dtype=bool) if lockout_ok is None else np.asarray(lockout_ok, dtype=bool)
    lv = levels(h, config, ok, lockout_tolerance_deg, relative_down)
    if lv is None and at_top_edge is not None and np.any(at_top_edge):
        lv = unseen_top_levels(h, config)
    if lv is None:
        return [], None
    # "Down" needs a real low position, held for a moment, not a one-frame glitch.
    low = np.zeros(len(h), dtype=bool)
    for a, b in runs(h <= lv.down_deg):
        if t[b - 1] - t[a] >= config.min_low_s:
            low[a:b] = True
    edge = np.zeros(len(h), dtype=bool) if at_top_edge is None else np.asarray(at_top_edge, dtype=bool)
    # (segment start, segment stop, bottom, lockout crossing, lockout seen)
    found: list[tuple[int, int, int, int, bool]] = []
    for seg_start, seg_stop in segments(t, h, config, breaks):
        first = seg_start
        # A clip (or a tracked stretch) that opens low counts as "coming from a lower
        # position" only when it stays low for a moment: the first frames after the
        # tracker finds someone are often wrong.
        hold = (t >= t[first]) & (t <= t[first] + config.start_hold_s)
        hold[:seg_start] = False
        hold[seg_stop:] = False
        opening = h[hold]
        if h[first] >= lv.lockout_deg and ok[first]:
            state = "up"
        elif np.all(opening[~np.isnan(opening)] <= lv.lockout_deg - config.min_rom_deg):
            state = "down"
        else:
            state = "unknown"
        low_i = first if state == "down" else None
        prev: int | None = None
        for i in range(seg_start, seg_stop):
            if np.isnan(h[i]):
                continue
            if (
                state == "down"
                and low_i is not None
                and prev is not None
                and _out_of_view_lockout(h, edge, prev, i, low_i, lv, config)
            ):
                found.append((seg_start, seg_stop, low_i, (prev + i) // 2, False))
                state, low_i = "up", None
            prev = i
            if low[i] and state != "down":
                state, low_i = "down", i
            if state == "down":
                if low_i is None or h[i] < h[low_i]:
                    low_i = i
                if h[i] >= lv.lockout_deg and ok[i]:
                    found.append((seg_start, seg_stop, low_i, i, True))
                    state, low_i = "up", None
            elif state == "unknown" and h[i] >= lv.lockout_deg and ok[i]:
                state = "up"
    # Drop partial movements: a rep must cover a good part of the set's biggest rep.
    # An out-of-view lockout's range is unknown: it is kept (its rise was checked on the way out).
    if found:
        roms = [
            np.nanmax(h[lock : (found[k + 1][2] if k + 1 < len(found) and found[k + 1][0] == lo else hi)]) - h[b]
            if seen
            else np.inf
            for k, (lo, hi, b, lock, seen) in enumerate(found)
        ]
        finite_roms = [r for r in roms if np.isfinite(r)]
        keep = config.rom_fraction * max(finite_roms) if finite_roms else 0.0
        found = [f for f, rom in zip(found, roms) if rom >= keep]
    speed = _speed(t, h)
    still = config.still_speed_deg_s
    reps: list[Rep] = []
    for k, (seg_lo, seg_hi, bottom, lock_first, seen) in enumerate(found):
        same_prev = k > 0 and found[k - 1][0] == seg_lo
        same_next = k + 1 < len(found) and found[k + 1][0] == seg_lo
        prev_lock = found[k - 1][3] if same_prev else None
        next_bottom = found[k + 1][2] if same_next else seg_hi
        if not seen:
            reps.append(_unseen_rep(len(reps) + 1, t, h, speed, config, seg_lo, bottom, lock_first, prev_lock))
            continue
        # top of this rep: the highest point between the lockout crossing and the next bottom
        top_i = lock_first + int(np.nanargmax(h[lock_first:next_bottom]))
        peak = h[top_i]
        # lockout: the hip has arrived near its top and stopped rising
        near_top = (h[bottom : top_i + 1] >= peak - config.top_band_deg) & ~(speed[bottom : top_i + 1] > still)
        lockout = bottom + int(np.flatnonzero(near_top)[0]) if near_top.any() else top_i
        lockout = max(lockout, min(lock_first, top_i))
        # end: the last still frame near the top before the next descent (or the segment end)
        after = np.flatnonzero(
            (h[top_i:next_bottom] >= peak - config.top_band_deg) & ~(speed[top_i:next_bottom] < -still)
        )
        end = top_i + (int(after[-1]) + 1 if after.size else 1)
        # descent start: the last still frame near the previous top before the bottom
        search_lo = prev_lock if prev_lock is not None else seg_lo
        prev_peak_i = search_lo + int(np.nanargmax(h[search_lo : bottom + 1]))
        prev_peak = h[prev_peak_i]
        if prev_peak >= lv.lockout_deg and prev_peak_i < bottom:
            window = slice(prev_peak_i, bottom)
            calm = np.flatnonzero((h[window] >= prev_peak - config.top_band_deg) & ~(speed[window] < -still))
            near = np.flatnonzero(h[window] >= prev_peak - config.top_band_deg)
            start = prev_peak_i + int(calm[-1] if calm.size else near[-1])
            eccentric_start: int | None = start
        else:
            start = _first_valid(h, seg_lo, bottom + 1) if prev_lock is None else prev_lock
            eccentric_start = None
        # bottom pause: the still frames around the bottom
        b0, b1 = _still_run(h, speed, bottom, config.top_band_deg, still, start, lockout + 1)
        last = max(end - 1, lockout)
        reps.append(
            Rep(
                index=len(reps) + 1,
                start=int(start),
                bottom=int(bottom),
                lockout=int(lockout),
                end=int(end),
                t_start=float(t[start]),
                t_bottom=float(t[bottom]),
                t_lockout=float(t[lockout]),
                t_end=float(t[last]),
                eccentric_s=None if eccentric_start is None else float(t[b0] - t[eccentric_start]),
                bottom_pause_s=float(t[b1 - 1] - t[b0]),
                concentric_s=float(t[lockout] - t[b1 - 1]),
                top_pause_s=float(t[last] - t[lockout]),
                rom_deg=float(peak - h[bottom]),
                bottom_deg=float(h[bottom]),
                top_deg=float(peak),
            )
        )
    return reps, lv


def _out_of_view_lockout(
    h: np.ndarray, edge: np.ndarray, before: int, after: int, low_i: int, lv: Levels, config: RepConfig
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


def _unseen_rep(
    index: int,
    t: np.ndarray,
    h: np.ndarray,
    speed: np.ndarray,
    config: RepConfig,
    seg_lo: int,
    bottom: int,
    lockout: int,
    prev_lock: int | None,
) -> Rep:
    """A rep whose lockout happened out of view (frame ``lockout`` is inside the tracking gap)."""
    after = np.flatnonzero(~np.isnan(h[lockout:]))
    end = lockout + (int(after[0]) if after.size else 1)
    start = _first_valid(h, seg_lo, bottom + 1) if prev_lock is None else prev_lock
    b0, b1 = _still_run(h, speed, bottom, config.top_band_deg, config.still_speed_deg_s, start, lockout)
    nan = float("nan")
    return Rep(
        index=index,
        start=int(start),
        bottom=int(bottom),
        lockout=int(lockout),
        end=int(end),
        t_start=float(t[start]),
        t_bottom=float(t[bottom]),
        t_lockout=float(t[lockout]),
        t_end=float(t[end - 1]),
        eccentric_s=None,
        bottom_pause_s=float(t[b1 - 1] - t[b0]),
        concentric_s=nan,
        top_pause_s=nan,
        rom_deg=nan,
        bottom_deg=float(h[bottom]),
        top_deg=nan,
        lockout_seen=False,
    )
