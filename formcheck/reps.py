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


def levels(h: np.ndarray, config: RepConfig, lockout_ok: np.ndarray | None = None) -> Levels | None:
    """Lockout and down thresholds for a clip, or None when it has no usable range."""
    good = ~np.isnan(h)
    if good.sum() < 3:
        return None
    candidates = h[good & (lockout_ok if lockout_ok is not None else True)]
    if candidates.size < 3:
        return None
    top = float(np.percentile(candidates, 95))
    bottom = float(np.percentile(h[good], 3))
    span = top - bottom
    prominence = max(config.min_rom_deg, config.rom_fraction * span)
    lockout = max(top - config.lockout_tolerance_deg, config.min_lockout_hip_deg)
    if lockout > top:
        return None
    down = lockout - prominence
    return Levels(top_deg=top, bottom_deg=bottom, lockout_deg=lockout, down_deg=down)


def segments(t: np.ndarray, h: np.ndarray, config: RepConfig) -> list[tuple[int, int]]:
    """Half-open ranges of frames with a continuous driver signal.

    Splits at missing values and at jumps faster than ``max_jump_deg_per_s``
    (hard cuts in edited clips, or the tracker jumping to another person).
    """
    valid = ~np.isnan(h)
    if len(h) > 1:
        speed = np.abs(np.diff(h)) / np.maximum(np.diff(t), 1e-6)
        jump = np.concatenate([[False], speed > config.max_jump_deg_per_s])
    else:
        jump = np.zeros(len(h), dtype=bool)
    out: list[tuple[int, int]] = []
    for start, stop in runs(valid):
        cuts = [start] + [int(i) for i in np.flatnonzero(jump[start + 1:stop]) + start + 1] + [stop]
        out.extend((a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b - a >= 2)
    return out


def _band_run(h: np.ndarray, i: int, ref: float, band: float, lo: int, hi: int) -> tuple[int, int]:
    """Largest run [a, b) around ``i`` inside [lo, hi) with |h - ref| <= band."""
    a = i
    while a - 1 >= lo and abs(h[a - 1] - ref) <= band:
        a -= 1
    b = i + 1
    while b < hi and abs(h[b] - ref) <= band:
        b += 1
    return a, b


def segment_reps(t: np.ndarray, h: np.ndarray, config: RepConfig,
                 lockout_ok: np.ndarray | None = None) -> tuple[list[Rep], Levels | None]:
    """Find the reps in driver signal ``h`` (degrees, larger = more extended).

    ``lockout_ok`` (bool per frame) restricts where a lockout may be counted,
    e.g. torso upright for a hinge or horizontal for a hip thrust.
    """
    t = np.asarray(t, dtype=np.float64)
    h = np.asarray(h, dtype=np.float64)
    ok = np.ones(len(h), dtype=bool) if lockout_ok is None else np.asarray(lockout_ok, dtype=bool)
    lv = levels(h, config, ok)
    if lv is None:
        return [], None
    found: list[tuple[int, int, int]] = []  # (segment start, bottom, lockout)
    for seg_start, seg_stop in segments(t, h, config):
        state = "up" if (h[seg_start] >= lv.lockout_deg and ok[seg_start]) else (
            "down" if h[seg_start] <= lv.lockout_deg - config.min_rom_deg else "unknown")
        low_i = seg_start if state == "down" else None
        for i in range(seg_start, seg_stop):
            if h[i] <= lv.down_deg and state != "down":
                state, low_i = "down", i
            if state == "down":
                if low_i is None or h[i] < h[low_i]:
                    low_i = i
                if h[i] >= lv.lockout_deg and ok[i]:
                    if t[i] - t[low_i] >= min(config.min_rep_s, 0.3):
                        found.append((seg_start, low_i, i))
                    state, low_i = "up", None
            elif state == "unknown" and h[i] >= lv.lockout_deg and ok[i]:
                state = "up"
    reps: list[Rep] = []
    seg_of = {}
    for seg_start, seg_stop in segments(t, h, config):
        for i in range(seg_start, seg_stop):
            seg_of[i] = (seg_start, seg_stop)
    for k, (seg_start, bottom, lock_first) in enumerate(found):
        seg_lo, seg_hi = seg_of[bottom]
        prev_lock = found[k - 1][2] if k > 0 and found[k - 1][0] == seg_start else None
        next_bottom = found[k + 1][1] if k + 1 < len(found) and found[k + 1][0] == seg_start else seg_hi
        # top of this rep: the highest point between the lockout crossing and the next bottom
        top_i = lock_first + int(np.nanargmax(h[lock_first:next_bottom]))
        peak = h[top_i]
        lockout = lock_first
        while lockout < top_i and h[lockout] < peak - config.top_band_deg:
            lockout += 1
        # where the top is left again (next descent starts), or the segment/clip end
        end = top_i
        while end + 1 < next_bottom and h[end + 1] >= peak - config.top_band_deg:
            end += 1
        end = min(end + 1, seg_hi) if next_bottom < seg_hi else seg_hi
        # descent start: last frame near the previous top before the bottom
        search_lo = prev_lock if prev_lock is not None else seg_lo
        before = h[search_lo:bottom + 1]
        prev_peak_i = search_lo + int(np.nanargmax(before))
        prev_peak = h[prev_peak_i]
        if prev_peak >= lv.lockout_deg:
            start = prev_peak_i
            while start + 1 < bottom and h[start + 1] >= prev_peak - config.top_band_deg:
                start += 1
            eccentric_start = start
        else:
            start = seg_lo if prev_lock is None else prev_lock
            eccentric_start = None
        b0, b1 = _band_run(h, bottom, h[bottom], config.top_band_deg, start, lockout + 1)
        eccentric = None if eccentric_start is None else float(t[b0] - t[eccentric_start])
        reps.append(Rep(
            index=len(reps) + 1, start=int(start), bottom=int(bottom), lockout=int(lockout), end=int(end),
            t_start=float(t[start]), t_bottom=float(t[bottom]), t_lockout=float(t[lockout]),
            t_end=float(t[end - 1]) if end > 0 else float(t[0]),
            eccentric_s=eccentric, bottom_pause_s=float(t[b1 - 1] - t[b0]),
            concentric_s=float(t[lockout] - t[b1 - 1]), top_pause_s=float(t[end - 1] - t[lockout]),
            rom_deg=float(peak - h[bottom]), bottom_deg=float(h[bottom]), top_deg=float(peak),
        ))
    return reps, lv
