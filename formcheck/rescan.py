"""The second look at the video, once: the bar check and the plate search read the same decoding pass.

Both read the reps' frames again in grey at the same size (``bar.max_side_px``, ``plates.max_side_px``): the bar
check (:mod:`formcheck.barbell`) each pull from its start to lockout, the plate search (:mod:`formcheck.plates`) a
frame every ``plates.sample_every_s`` from the first rep's start to the last one's end. Decoded separately, the
video was decoded twice over the reps (on clip_006 the bar check's decode was about 40 % of its time,
docs/PERFORMANCE.md). Here one pass covers both: each frame goes to the readers whose frames it is (the same
frames each would have decoded alone, no others), and only the current frame is held.

The plate search runs on the reps the bar check keeps, and that is known only at each rep's lockout. So it
looks at the frames of every rep, and waits with a rep's decision until its bar verdict is in
(:class:`~formcheck.plates.PlateSearch`'s ``kept``); a rep the bar check drops gets no plate and the reps after
it are decided as without it, as when the search ran after the check. The results are those of the two run
one after the other (checked on the real hinge clips, docs/PERFORMANCE.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .barbell import BarResult, RepChecks, apply_checks, drop_reps_without_bar, plan_groups
from .config import BarConfig, PlateConfig
from .errors import FormcheckError
from .plates import PlateSearch, PlateTrack, find_plates
from .types import FloatArray, Rep
from .video import iter_frames

if TYPE_CHECKING:
    from .greystore import GreyFrameStore


@dataclass(frozen=True)
class Rescan:
    """The bar check's result, the plate track of the reps it kept, and the time (s) each took: ``bar_s`` its own
    work on the frames, ``plates_s`` the rest (the decoding and the plate search)."""

    bar: BarResult
    plates: PlateTrack
    bar_s: float
    plates_s: float


def can_share(bar: BarConfig, plates: PlateConfig, leg_px: float) -> bool:
    """Whether one pass can serve both: the same picture size, and a plate search that will look at frames."""
    return bar.max_side_px == plates.max_side_px and bool(np.isfinite(leg_px) and leg_px > 0)


def bar_and_plates(
    video: str | Path,
    t: FloatArray,
    xy: np.ndarray,
    bar_points: FloatArray,
    width: int,
    reps: list[Rep],
    leg_px: float,
    bar_config: BarConfig,
    plate_config: PlateConfig,
    grey: GreyFrameStore | None = None,
    off_side: FloatArray | None = None,
) -> Rescan:
    """:func:`~formcheck.barbell.drop_reps_without_bar` and then :func:`~formcheck.plates.find_plates` on the reps
    it kept, from one decoding pass. ``t``, ``xy`` (cleaned landmarks), ``bar_points`` (the bar point per row,
    :func:`~formcheck.plates.bar_points`) and ``leg_px`` are in the sequence's pixels of a ``width``-wide picture.
    Needs :func:`can_share`. ``grey``: the video's grey frames kept from the pose pass; read instead of decoding
    the video when every frame is in it at the pass's size (:mod:`formcheck.greystore`: the same pictures).
    A video (or a store) that cannot be read is read by each alone (what each says then). ``off_side``: the camera's
    angle off the side per row, for the plate search (:class:`~formcheck.plates.PlateSearch`)."""
    started = time.perf_counter()
    if grey is not None and not (grey.usable and grey.max_side == bar_config.max_side_px):
        grey = None
    try:
        bar, search, bar_s = _one_pass(
            video, t, xy, bar_points, width, reps, leg_px, bar_config, plate_config, grey, off_side
        )
    except (FormcheckError, OSError):
        bar = drop_reps_without_bar(video, t, xy, width, reps, leg_px, bar_config)
        bar_s = time.perf_counter() - started
        track = find_plates(video, t, bar_points, width, bar.reps, leg_px, plate_config, off_side=off_side)
        return Rescan(bar, track, bar_s, time.perf_counter() - started - bar_s)
    if not bar.reps:
        track = PlateTrack.none(len(t), "no reps")
    elif not any(search.looks[r.index] for r in _kept(reps, bar)):
        track = PlateTrack.none(len(t), "no frames to look at")
    else:
        track = search.finish()
        # the reps' numbers after the bar check's dropping, as when the search ran on the reps it kept
        number = {old.index: new.index for old, new in zip(_kept(reps, bar), bar.reps)}
        track = replace(track, reps=[replace(p, rep=number[p.rep]) for p in track.reps])
    return Rescan(bar, track, bar_s, time.perf_counter() - started - bar_s)


def _kept(reps: list[Rep], bar: BarResult) -> list[Rep]:
    """The reps of ``reps`` the bar check kept, in the order it keeps them (that of ``reps``)."""
    counted = {row.check.rep for row in bar.rows if row.counted}
    return [r for r in reps if r.index in counted]


def _one_pass(
    video: str | Path,
    t: FloatArray,
    xy: np.ndarray,
    bar_points: FloatArray,
    width: int,
    reps: list[Rep],
    leg_px: float,
    bar_config: BarConfig,
    plate_config: PlateConfig,
    grey: GreyFrameStore | None = None,
    off_side: FloatArray | None = None,
) -> tuple[BarResult, PlateSearch, float]:
    groups = plan_groups(reps, t, xy)
    checks = [RepChecks(t, xy, width, g.reps, leg_px, bar_config) for g in groups]
    group_of = {r.index: k for k, g in enumerate(groups) for r in g.reps}

    def kept(index: int) -> bool | None:
        check = checks[group_of[index]]
        if index in check.done:
            return check.done[index].verdict != "without_bar"
        return True if check.finished else None  # finished without a verdict: "unknown", counted

    search = PlateSearch(t, bar_points, width, reps, leg_px, plate_config, kept, off_side)
    half_frame = 0.5 * float(np.median(np.diff(t))) if len(t) > 1 else 0.02
    times = np.array(sorted(t[row] for rows in search.looks.values() for row in rows))

    def looked_at(ts: float) -> bool:  # plates.find_plates's frames
        k = int(np.searchsorted(times, ts))
        return any(0 <= j < times.size and abs(times[j] - ts) <= half_frame for j in (k - 1, k))

    starts = [g.start_s for g in groups] + ([float(times[0]) - half_frame] if times.size else [])
    stops = [g.stop_s for g in groups] + ([float(times[-1]) + half_frame] if times.size else [])
    bar_s = 0.0

    def wanted(ts: float) -> bool:
        return looked_at(ts) or any(g.inside(ts) for g in groups)

    if grey is not None:  # the pose pass's decode kept them: the same pictures, read back
        frames = grey.frames(start_s=min(starts), stop_s=max(stops), keep=wanted)
    else:
        frames = iter_frames(
            video,
            max_side=bar_config.max_side_px,
            start_s=min(starts),
            stop_s=max(stops),
            keep=wanted,
            pixels="gray",
            skip_unkept=True,  # frames neither reads and none refers to are not decoded
        )
    for frame in frames:
        tick = time.perf_counter()
        for group, check in zip(groups, checks):
            if not check.finished and frame.t > group.stop_s:
                check.finish()  # no more of its frames: its last rep's verdict is in
            elif group.inside(frame.t):
                check.feed(frame)
        bar_s += time.perf_counter() - tick
        if looked_at(frame.t):
            search.feed(frame)
    results = [c.finish() for c in checks]
    return apply_checks([c for r in results for c in r], reps), search, bar_s
