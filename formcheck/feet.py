"""Planted feet: a hinge's feet do not move during a rep, so their points are read where they were seen standing.

At the bottom of an RDL or a deadlift the bar and its plates hang in front of the shins, and the pose model
draws the ankle up onto the part of the shin it still sees (rendered RDLs: 0.09 leg lengths up on average, up to
0.14, and up to 0.10 along the floor, against 0.03 up at the top; docs/ACCURACY.md "Planted feet"). Every leg metric that reads the
ankle moves with it: the knee angle, the shin's tilt, the hips' travel behind the ankle. The feet themselves stay
where they stood (COACHING.md §2-§3: the RDL and the deadlift keep the whole foot on the floor), so within a rep
each foot point is read where it was at the rep's standing ends, the start and the end, when the reading lies
near it; a foot seen far away moved (a step, the free leg of a single-leg RDL) and keeps its reading, and a rep
whose two standing ends disagree (a camera that moves, a lifter who shuffles) is left as read.

A pure function of the cleaned landmarks and the counted reps (:func:`pin_planted_feet`); the pipeline
re-measures the leg metrics from its result before the rules run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .landmarks import Landmark
from .types import AnyFloatArray, BoolArray, FloatArray, PoseSequence, Rep

#: The foot points of each side that stand on the floor with the foot.
FOOT_POINTS: tuple[Landmark, ...] = (
    Landmark.LEFT_ANKLE,
    Landmark.LEFT_HEEL,
    Landmark.LEFT_FOOT_INDEX,
    Landmark.RIGHT_ANKLE,
    Landmark.RIGHT_HEEL,
    Landmark.RIGHT_FOOT_INDEX,
)


#: Slack on the standing window's length: a frame exactly ``window_s`` away is in it whatever the rounding of
#: the clip's times (the same clip starting later keeps the same frames).
TIME_SLACK_S = 1e-6


@dataclass(frozen=True)
class PinnedFeet:
    """What :func:`pin_planted_feet` did: the sequence with the feet pinned, and per rep (by index) the foot
    points it moved (``[]``: none was drawn off its standing position, the rep's two standing ends disagreed, or
    nothing was seen)."""

    seq: PoseSequence
    pinned: dict[int, list[str]]

    @property
    def any(self) -> bool:
        return any(self.pinned.values())


def standing_window(t: FloatArray, at: int, window_s: float, before: bool) -> BoolArray:
    """The frames of a rep's standing end: ``window_s`` ending at frame ``at`` (``before``) or starting at it."""
    reach = window_s + TIME_SLACK_S
    if before:
        return (t <= t[at]) & (t[at] - t <= reach)
    return (t >= t[at]) & (t - t[at] <= reach)


def standing_position(xy: AnyFloatArray, t: FloatArray, at: int, window_s: float, before: bool) -> FloatArray:
    """The median position of one point over ``window_s`` ending at frame ``at`` (``before``) or starting at it
    (:func:`standing_window`): a rep's standing end, where the whole leg is in view. NaN where it was not seen there."""
    seen = xy[standing_window(t, at, window_s, before)]
    seen = seen[np.all(np.isfinite(seen), axis=1)]
    return np.median(seen, axis=0) if len(seen) else np.full(2, np.nan)


def pin_planted_feet(
    seq: PoseSequence,
    reps: list[Rep],
    leg_px: float,
    window_s: float,
    max_move_leg: float,
    max_drift_leg: float,
) -> PinnedFeet:
    """Each rep's foot points read where the foot stood.

    For each rep and foot point: the standing positions at the rep's start (``window_s`` up to it) and end
    (``window_s`` from it) must agree within ``max_drift_leg`` leg lengths (else the camera or the foot moved and
    the rep is left as read). Inside ``[start, end]`` the point is then placed on the line between them (a slow
    camera drift is followed) wherever the model drew it within ``max_move_leg`` of that line; further away the
    foot really moved and keeps its reading. Frames outside every rep and missing points are left alone."""
    if not np.isfinite(leg_px) or leg_px <= 0 or not reps:
        return PinnedFeet(seq, {rep.index: [] for rep in reps})
    xy = seq.xy.copy()
    t = seq.t
    pinned: dict[int, list[str]] = {}
    for rep in reps:
        done: list[str] = []
        start, end = rep.start, min(rep.end, len(t) - 1)
        if end <= start:
            pinned[rep.index] = done
            continue
        for point in FOOT_POINTS:
            track = seq.xy[:, point]
            a = standing_position(track, t, start, window_s, before=True)
            b = standing_position(track, t, end, window_s, before=False)
            if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
                continue
            if np.hypot(*(b - a)) > max_drift_leg * leg_px:
                continue
            span = slice(start, end + 1)
            share = (t[span] - t[start]) / max(t[end] - t[start], 1e-9)
            line = a + share[:, None] * (b - a)
            read = track[span]
            off = np.hypot(*(read - line).T)
            near = np.isfinite(off) & (off <= max_move_leg * leg_px)
            if not np.any(off[near] > 0):
                continue
            xy[span, point][near] = line[near]
            done.append(point.name.lower())
        pinned[rep.index] = done
    return PinnedFeet(replace(seq, xy=xy), pinned)
