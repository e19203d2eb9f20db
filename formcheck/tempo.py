"""The eccentric (lowering) of a hinge timed on the upper body: when the shoulders (or the bar) leave the top and
reach the bottom.

The rep counter times a rep's phases on its driver, the hip angle (:mod:`formcheck.reps`). In a fast descent
that angle reads late: the hip landmark trails the joint and the knee landmark jumps up onto the hands passing
it, so a rendered 0.7 s eccentric read 1.1 s (docs/ACCURACY.md 'The judging lines from the cut, rule by rule').
The shoulders and the wrists (the bar) stay within a few pixels of the truth there. :func:`bar_descent` times
the way down on the height of one of them in the picture (``rdl.timed_eccentric`` picks which; docs/ACCURACY.md
'The eccentric timed by the shoulders'):

1. the top is its highest level from the previous rep's lockout (or the clip's start) to its lowest point;
   the bottom is its lowest level in the rep, up to the lockout;
2. the descent leaves the top where the level last crosses ``1 - span_fraction`` of the travel down from the top
   before the bottom, and reaches the bottom where it first crosses ``span_fraction`` of the travel above the
   bottom after that; both crossings are interpolated between the two frames around them;
3. the eccentric is the time between the crossings over ``span_share``: the share of a smooth point-to-point
   movement's time spent between those levels (a minimum-jerk movement spends 0.506 of it between 10 % and
   90 % of its travel). The ends of a descent are slow, so where exactly it starts and stops drowns in a few
   pixels of landmark noise; its middle is fast and timed to a fraction of a frame.

Only frames where the point is evidence count (``usable``: trusted, tracked); a reading needs both crossings
between two neighbouring usable frames, and a travel of at least ``min_travel`` (in the signal's unit). Without
one the caller falls back on the rep counter's reading. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .reps import despiked
from .types import FloatArray


@dataclass(frozen=True)
class BarDescent:
    """One rep's way down as timed on a point's height (times in the clip's seconds)."""

    #: the estimated whole descent, seconds: the time between the crossings over ``span_share``
    eccentric_s: float
    #: where the point crossed ``1 - span_fraction`` of its travel down from the top
    leave_s: float
    #: where it crossed ``span_fraction`` of its travel above the bottom
    reach_s: float
    #: the point's drop from the top to the bottom, in the signal's unit
    travel: float
    #: the frames of the top and the bottom levels
    top: int
    bottom: int


def _crossing(t: FloatArray, y: FloatArray, before: int, after: int, level: float) -> float:
    """The time ``y`` passes ``level`` between frames ``before`` and ``after`` (linear between them)."""
    dy = y[after] - y[before]
    share = 0.0 if dy == 0 else float(np.clip((level - y[before]) / dy, 0.0, 1.0))
    return float(t[before] + share * (t[after] - t[before]))


def bar_descent(
    t: npt.ArrayLike,
    level: npt.ArrayLike,
    usable: npt.ArrayLike,
    search_from: int,
    bottom_from: int,
    lockout: int,
    span_fraction: float,
    span_share: float,
    min_travel: float,
) -> BarDescent | None:
    """The descent of a point whose height is ``level`` (y up, any unit) into its lowest level in ``[bottom_from,
    lockout]`` (the rep's start and lockout) from its highest level since ``search_from`` (a frame at or before
    the top the descent leaves: the previous rep's bottom), or None when it cannot be timed (the module's doc).

    ``usable`` (bool per frame) marks the frames where the point is evidence; the others are not read.
    """
    t = np.asarray(t, dtype=np.float64)
    raw = np.asarray(level, dtype=np.float64)
    ok = np.asarray(usable, dtype=bool) & np.isfinite(raw)
    lo, hi = max(int(search_from), 0), min(int(lockout) + 1, len(raw))
    if hi - lo < 3 or np.count_nonzero(ok[lo:hi]) < 3:
        return None
    y = despiked(np.where(ok, raw, np.nan)[lo:hi])
    first = min(max(int(bottom_from) - lo, 0), hi - lo - 1)
    if not np.any(np.isfinite(y[first:])):
        return None
    bottom = first + int(np.nanargmin(y[first:]))
    top = int(np.nanargmax(y[: bottom + 1]))
    travel = float(y[top] - y[bottom])
    if not travel >= min_travel:
        return None
    high = y[bottom] + (1.0 - span_fraction) * travel
    low = y[bottom] + span_fraction * travel
    above = np.flatnonzero(y[: bottom + 1] >= high)
    leave = int(above[-1])  # the last frame at or above the high level before the bottom
    below = np.flatnonzero(y[leave : bottom + 1] <= low)
    reach = leave + int(below[0])  # the first frame at or below the low level after it
    # each crossing must lie between two neighbouring usable frames: a gap there hides where it happened
    if not (np.isfinite(y[leave + 1]) and np.isfinite(y[reach - 1])):
        return None
    leave_s = _crossing(t[lo:hi], y, leave, leave + 1, high)
    reach_s = _crossing(t[lo:hi], y, reach - 1, reach, low)
    return BarDescent(
        eccentric_s=(reach_s - leave_s) / span_share,
        leave_s=leave_s,
        reach_s=reach_s,
        travel=travel,
        top=lo + top,
        bottom=lo + bottom,
    )
