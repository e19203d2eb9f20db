"""Footage that loops: the same frames shown twice are not new reps (issue 15).

Some clips found online are a short segment played over and over (an edit made to fill time, a looping GIF
turned into a video). The frames of the second play are the frames of the first, decoded again: they differ
only by compression noise. A real lifter never repeats pixels: even a very regular rep moves some part of the
body a few pixels off where it was the rep before.

Every decoded frame gets a compact picture signature (:func:`signature`: 8x8 cell means of the grey thumbnail
the hard-cut detector already makes, 128 bytes a frame). :func:`find_loops` looks, lag by lag, for a long run
of frames that match the frames one lag earlier (:class:`~formcheck.config.LoopConfig`: what a match is and
why) and that shows real motion (a still scene matches itself at every lag). :func:`mark_repeats` then marks
each rep inside a repeat with the rep it repeats, and :func:`repeat_findings` gives such a rep the verdicts of
that rep: the same frames are the same evidence, judged once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .cleaning import runs
from .config import LoopConfig
from .filters import running_median
from .quality import QualityWarning
from .types import Finding, FloatArray, Rep

#: Cells per side of a frame's signature: 8x8 cell means of the grey thumbnail (64 values, float16: 128 bytes).
SIGNATURE_SIDE = 8
#: The signature's storage type: float16 keeps a cell mean to 1/8 grey level or better (uint8 would round it
#: to a whole level, as large as the compression noise a match must tell apart).
SIGNATURE_DTYPE = np.float16

Signatures = npt.NDArray[np.float16]


def decoded_signatures(path: str | Path, max_side: int) -> tuple[Signatures, FloatArray, FloatArray]:
    """Every frame's signature, picture change (:class:`formcheck.video.FrameChange`) and time, decoded as the pose
    stage decodes a video (``iter_frames(lazy=True)``: the small grey picture from the luma plane) at ``max_side``
    (``pose.max_side_px``), without the model: for fixtures made before signatures were recorded, and for scans."""
    from .video import FrameChange, iter_frames

    change = FrameChange()
    changes, times = [], []
    for frame in iter_frames(path, max_side=max_side, lazy=True):
        changes.append(change.grey(frame.grey))
        times.append(frame.t)
    return change.signature_array(), np.asarray(changes, dtype=float), np.asarray(times, dtype=float)


def signature(thumb: npt.NDArray[Any]) -> Signatures:
    """The signature of one frame from its square grey thumbnail (side a multiple of :data:`SIGNATURE_SIDE`):
    the mean grey level of each of the 8x8 cells, flattened (64 values)."""
    side = thumb.shape[0]
    if thumb.shape != (side, side) or side % SIGNATURE_SIDE:
        raise ValueError(
            f"thumbnail of shape {thumb.shape}: need a square whose side is a multiple of {SIGNATURE_SIDE}"
        )
    k = side // SIGNATURE_SIDE
    cells = np.asarray(thumb, dtype=np.float32).reshape(SIGNATURE_SIDE, k, SIGNATURE_SIDE, k).mean(axis=(1, 3))
    return cells.reshape(-1).astype(SIGNATURE_DTYPE)


@dataclass(frozen=True)
class Loop:
    """A stretch of frames that repeats the frames ``lag_s`` earlier.

    ``start``/``stop`` index the frames of the repeat (``stop`` exclusive) in the sequence the signatures came
    from; the times are those frames' times. ``match_gl`` is the median match error over the repeat (grey
    levels, largest cell) and ``moving_s`` how much motion it replays: the seconds of its frames that move and
    match (:class:`~formcheck.config.LoopConfig`).
    """

    lag_s: float
    lag_frames: int
    start: int
    stop: int
    start_s: float
    end_s: float
    match_gl: float
    moving_s: float

    @property
    def source_start_s(self) -> float:
        """When the frames this repeat shows again were first shown."""
        return self.start_s - self.lag_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "lag_s": round(self.lag_s, 3),
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "source_start_s": round(self.source_start_s, 3),
            "match_gl": round(self.match_gl, 3),
            "moving_s": round(self.moving_s, 2),
        }


def cell_distance(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> FloatArray:
    """Row by row, the largest difference of any cell between signatures ``a`` and ``b`` (grey levels).

    The largest cell, not the mean: compression noise is spread thinly over the whole picture, while a real
    difference (a body a few pixels off) sits in a few cells, which a mean over 64 cells would dilute."""
    return np.asarray(np.abs(np.subtract(a, b, dtype=np.float32)).max(axis=-1), dtype=np.float64)


def lag_errors(sig: npt.NDArray[Any], lag: int, jitter: int = 0) -> FloatArray:
    """Per frame, how far its signature is from the one ``lag`` frames earlier (the closest within ``jitter``
    frames of it): ``inf`` where there is no such earlier frame."""
    n = len(sig)
    out = np.full(n, np.inf)
    for shift in range(max(1, lag - jitter), lag + jitter + 1):
        if shift < n:
            out[shift:] = np.minimum(out[shift:], cell_distance(sig[shift:], sig[:-shift]))
    return out


def frame_motion(sig: npt.NDArray[Any]) -> FloatArray:
    """Per frame, how much its picture changed from the frame before (largest cell, grey levels; 0 for the first)."""
    out = np.zeros(len(sig))
    if len(sig) > 1:
        out[1:] = cell_distance(sig[1:], sig[:-1])
    return out


def replayed_motion_s(
    motion: FloatArray, errors: FloatArray, frame_s: float, config: LoopConfig, start: int, stop: int
) -> float:
    """Seconds of motion frames ``start``-``stop`` replay: their frames that move (``moving_min_gl``) and match
    the frames one lag earlier (``match_max_gl``), each worth ``frame_s``."""
    moving = motion[start:stop] >= config.moving_min_gl
    return float(np.count_nonzero(moving & (errors[start:stop] <= config.match_max_gl)) * frame_s)


def _odd(n: float) -> int:
    return max(1, int(round(n)) // 2 * 2 + 1)


def find_loops(sig: npt.NDArray[Any] | None, t: npt.NDArray[Any], config: LoopConfig) -> list[Loop]:
    """The repeats in a clip, earliest first: runs of at least ``min_run_s`` whose frames match the frames one
    lag earlier (median over ``match_window_s`` within ``match_max_gl``, ``lag_jitter_frames`` either side)
    and that replay at least ``min_moving_s`` of motion (``moving_min_gl``). Among overlapping runs (a segment played three times matches
    at one and two lags; a re-timed one at neighbouring lags) the longest is kept.

    ``sig`` is (T, cells) signatures (:func:`signature`), ``t`` the frames' times; None (not recorded) or a
    clip too short for a lag and a run gives no loop. Memory is a few arrays of T values beside ``sig``."""
    if sig is None or len(sig) < 2:
        return []
    sig = np.asarray(sig)
    t = np.asarray(t, dtype=np.float64)
    n = len(sig)
    fps = 1.0 / float(np.median(np.diff(t)))
    min_lag = max(1, int(np.ceil(config.min_lag_s * fps)))
    min_run = max(2, int(np.ceil(config.min_run_s * fps)))
    window = _odd(config.match_window_s * fps)
    jitter = config.lag_jitter_frames
    frames = sig.astype(np.float32)  # once, not per lag
    motion = frame_motion(frames)
    by_shift: dict[int, FloatArray] = {}  # the distances at the 2 * jitter + 1 shifts the current lag needs
    found: list[Loop] = []
    for lag in range(min_lag, n - min_run + 1):
        for shift in range(max(1, lag - jitter), min(lag + jitter, n - 1) + 1):
            if shift not in by_shift:
                by_shift[shift] = np.concatenate(
                    (np.full(shift, np.inf), cell_distance(frames[shift:], frames[:-shift]))
                )
        by_shift.pop(lag - jitter - 1, None)
        errors = np.minimum.reduce([by_shift[k] for k in range(max(1, lag - jitter), min(lag + jitter, n - 1) + 1)])
        matched = errors <= config.match_max_gl
        if np.count_nonzero(matched) < min_run // 2:  # too few matches for any run: most lags of most clips
            continue
        finite = np.where(np.isfinite(errors), errors, np.finfo(np.float64).max)
        smooth = running_median(finite, window) if window > 1 else finite
        for start, stop in runs(smooth <= config.match_max_gl):
            start = max(start, lag)  # the first ``lag`` frames have nothing earlier to repeat
            if stop - start < min_run:
                continue
            moving_s = replayed_motion_s(motion, errors, 1.0 / fps, config, start, stop)
            if moving_s < config.min_moving_s:
                continue
            found.append(
                Loop(
                    lag_s=float(t[start] - t[start - lag]),
                    lag_frames=lag,
                    start=start,
                    stop=stop,
                    start_s=float(t[start]),
                    end_s=float(t[stop - 1]),
                    match_gl=float(np.median(errors[start:stop])),
                    moving_s=moving_s,
                )
            )
    return [_exact_lag(sig, t, loop, jitter) for loop in _longest_apart(found)]


def _exact_lag(sig: npt.NDArray[Any], t: npt.NDArray[Any], loop: Loop, jitter: int) -> Loop:
    """``loop`` at the lag, within ``jitter`` frames of its own, whose frames match best without jitter: with
    jitter the neighbouring lags match the same frames, so the run alone does not pin the lag."""
    best = loop
    best_error = np.inf
    for lag in range(max(1, loop.lag_frames - jitter), loop.lag_frames + jitter + 1):
        start = max(loop.start, lag)
        if start >= loop.stop:
            continue
        error = float(np.median(cell_distance(sig[start : loop.stop], sig[start - lag : loop.stop - lag])))
        if error < best_error:
            best_error = error
            best = replace(
                loop, lag_frames=lag, lag_s=float(t[start] - t[start - lag]), start=start, start_s=float(t[start])
            )
    return best


def _longest_apart(loops: list[Loop]) -> list[Loop]:
    """The longest runs that share no frame, earliest first."""
    kept: list[Loop] = []
    for loop in sorted(loops, key=lambda lp: (-(lp.stop - lp.start), lp.lag_frames)):
        if all(loop.stop <= k.start or loop.start >= k.stop for k in kept):
            kept.append(loop)
    return sorted(kept, key=lambda lp: lp.start)


def mark_repeats(reps: list[Rep], loops: list[Loop], same_rep_s: float) -> list[Rep]:
    """``reps`` with ``repeat_of`` set on each rep inside a repeat: the first showing of the rep it repeats.

    A rep is inside a repeat when it starts and locks out within it (``same_rep_s`` of slack at its edges); it
    repeats the earlier rep whose lockout is within ``same_rep_s`` of its own lockout minus the lag. A rep
    inside a repeat whose first showing was not counted (cut off at the clip's start) stays new."""
    out: list[Rep] = []
    for rep in reps:
        original: int | None = None
        for loop in loops:
            inside = loop.start_s - same_rep_s <= rep.t_start and rep.t_lockout <= loop.end_s + same_rep_s
            if not inside:
                continue
            target = rep.t_lockout - loop.lag_s
            earlier = [r for r in out if abs(r.t_lockout - target) <= same_rep_s]
            if earlier:
                first = min(earlier, key=lambda r: abs(r.t_lockout - target))
                original = first.repeat_of if first.repeat_of is not None else first.index
                break
        out.append(replace(rep, repeat_of=original) if original is not None else rep)
    return out


def distinct(reps: list[Rep]) -> list[Rep]:
    """The reps that are not repeats of an earlier one."""
    return [r for r in reps if r.repeat_of is None]


def repeat_findings(findings: list[Finding], reps: list[Rep]) -> list[Finding]:
    """``findings`` (of the distinct reps) with, for every repeated rep, a copy of each finding of the rep it
    repeats, moved to its own frames and times. Same order as the rules gave them: by rule, then by rep."""
    by_index = {r.index: r for r in reps}
    rank: dict[str, int] = {}
    for f in findings:
        rank.setdefault(f.rule, len(rank))
    copies: list[Finding] = []
    for rep in reps:
        if rep.repeat_of is None or rep.repeat_of not in by_index:
            continue
        first = by_index[rep.repeat_of]
        dt, dframe = rep.t_lockout - first.t_lockout, rep.lockout - first.lockout
        for f in findings:
            if f.rep == first.index:
                copies.append(
                    replace(
                        f,
                        rep=rep.index,
                        # to the millisecond, as every finding's times are (exercises.base.finding)
                        t_start=None if f.t_start is None else round(f.t_start + dt, 3),
                        t_end=None if f.t_end is None else round(f.t_end + dt, 3),
                        frame=None if f.frame is None else f.frame + dframe,
                    )
                )
    return sorted([*findings, *copies], key=lambda f: (rank[f.rule], f.rep or 0))


def _spans(numbers: list[int]) -> str:
    """[4, 5, 6, 8] -> "4-6, 8"."""
    parts: list[str] = []
    for k, n in enumerate(numbers):
        if k and n == numbers[k - 1] + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _listed(numbers: list[int]) -> str:
    """Rep numbers as spans when they rise one by one ("1-3"), else one by one ("1, 2, 1")."""
    rising = all(b == a + 1 for a, b in zip(numbers, numbers[1:]))
    return _spans(numbers) if rising else ", ".join(map(str, numbers))


def loop_message(loops: list[Loop], reps: list[Rep]) -> str:
    """The warning for people: where the footage repeats itself and which reps are repeats of which."""
    shown = "; ".join(
        f"the frames from {lp.start_s:.1f} s to {lp.end_s:.1f} s repeat those from {lp.source_start_s:.1f} s "
        f"({lp.lag_s:.1f} s earlier)"
        for lp in loops
    )
    repeats = [r for r in reps if r.repeat_of is not None]
    if repeats:
        which = (
            f"; rep{'s' if len(repeats) > 1 else ''} {_spans([r.index for r in repeats])} "
            f"repeat{'' if len(repeats) > 1 else 's'} rep{'s' if len(repeats) > 1 else ''} "
            f"{_listed([r.repeat_of for r in repeats if r.repeat_of is not None])}: counted as on screen, "
            f"judged once ({len(distinct(reps))} distinct)"
        )
    else:
        which = "; no counted rep lies wholly inside the repeat"
    return f"the footage loops: {shown}{which}"


def looped_footage_warning(loops: list[Loop], reps: list[Rep]) -> QualityWarning:
    """The ``looped_footage`` warning (:func:`loop_message`)."""
    return QualityWarning("looped_footage", loop_message(loops, reps))
