"""Cleaning: untrusted landmarks to NaN, short gaps filled, zero-lag low-pass.

Pure functions over arrays. Coordinates are filtered, never angles. Every step
and its parameters are recorded by :func:`clean` in the returned notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import geometry as g
from .config import CleaningConfig
from .filters import butter_lowpass, filtfilt, impulse_response
from .landmarks import PAIRS, Landmark, leg_length_px
from .types import PoseSequence


@dataclass(frozen=True)
class CleaningNotes:
    """What :func:`clean` did, for the effective config and the report."""

    sample_rate_hz: float
    masked_fraction: float
    filled_fraction: float
    steps: tuple[str, ...]


def runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """Half-open [start, stop) index ranges of consecutive True values."""
    valid = np.asarray(valid, dtype=bool)
    if valid.size == 0:
        return []
    padded = np.concatenate([[False], valid, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def isolated_detections(detected: np.ndarray, t: np.ndarray, min_run_s: float) -> np.ndarray:
    """(T,) True on frames of detected runs shorter than ``min_run_s`` with a lost frame on both sides.

    When the tracker loses the lifter (head out of the top of the frame, a plate in front of the hips)
    the person detector often "finds" someone for a frame or two in the plate or the rack before it
    loses them again. Such islands between two losses are not the lifter. Runs that touch the clip's
    first or last frame are kept (a clip may simply start or end there).
    """
    detected = np.asarray(detected, dtype=bool)
    out = np.zeros(len(detected), dtype=bool)
    for start, stop in runs(detected):
        if start == 0 or stop == len(detected):
            continue
        if t[stop - 1] - t[start] < min_run_s:
            out[start:stop] = True
    return out


def drop_isolated_detections(seq: PoseSequence, min_run_s: float) -> tuple[PoseSequence, int]:
    """``seq`` with :func:`isolated_detections` frames turned into lost frames, and how many there were."""
    drop = isolated_detections(seq.detected, seq.t, min_run_s)
    if not drop.any():
        return seq, 0
    return mask_frames(seq, drop), int(drop.sum())


#: Joints whose positions tell where the body is (nose, shoulders, hips, knees, ankles).
_BODY = [
    Landmark.NOSE,
    Landmark.LEFT_SHOULDER,
    Landmark.RIGHT_SHOULDER,
    Landmark.LEFT_HIP,
    Landmark.RIGHT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.RIGHT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_ANKLE,
]


def _jump(xy: np.ndarray, a: int, b: int, leg: float) -> float:
    """How far the body moved between frames ``a`` and ``b``: median joint displacement in leg lengths."""
    d = np.linalg.norm(xy[b, _BODY] - xy[a, _BODY], axis=-1)
    d = d[np.isfinite(d)]
    return float(np.median(d) / leg) if d.size else float("nan")


def tracker_excursions(
    xy: np.ndarray,
    t: np.ndarray,
    detected: np.ndarray,
    cuts: list[int] | tuple[int, ...],
    max_speed_leg_s: float,
    slack_leg: float,
    max_s: float,
    edge_size: float = 0.0,
) -> np.ndarray:
    """(T,) True on stretches where the tracker followed something else than the lifter.

    After a loss the detector may latch on to a plate or the rack and track it for seconds with full
    confidence (an upside-down skeleton where the lifter stood). Such a stretch starts and ends with a
    jump no body can make (more than ``slack_leg + max_speed_leg_s x time`` leg lengths) across a
    loss, while the frames before and after it agree with each other. The clip's first or last stretch has
    only one side to agree with: it goes when it jumps so to the next (the previous) one, is the shorter of the
    two, and its body is drawn smaller than ``edge_size`` times that one's (leg length on screen: the tracker
    started, or ended, on someone behind the lifter; 0 keeps every first and last stretch). Stretches longer than
    ``max_s`` and jumps at a picture cut (an edited clip) are kept.
    """
    detected = np.asarray(detected, dtype=bool)
    out = np.zeros(len(t), dtype=bool)
    leg = leg_length_px(xy)
    if not np.isfinite(leg) or leg <= 0:
        return out
    cut_set = set(int(c) for c in cuts)
    spans = runs(detected)

    def impossible(a: int, b: int) -> bool:
        if any(a < c <= b for c in cut_set):
            return False
        jump = _jump(xy, a, b, leg)
        return bool(np.isfinite(jump) and jump > slack_leg + max_speed_leg_s * (t[b] - t[a]))

    def length(span: tuple[int, int]) -> float:
        return float(t[span[1] - 1] - t[span[0]])

    for k in range(1, len(spans) - 1):
        before, (start, stop), after = spans[k - 1][1] - 1, spans[k], spans[k + 1][0]
        if length(spans[k]) > max_s:
            continue
        if impossible(before, start) and impossible(stop - 1, after) and not impossible(before, after):
            out[start:stop] = True
    # the clip's first or last stretch: the tracker started on someone else (a busy gym: clip_088 began on a
    # bystander facing the camera, drawn at 0.6 of the lifter's size) or ended on them (clip_090 ends on the
    # lifter, after a stretch on a smaller bystander: kept); with no frames beyond it to agree with, it goes when
    # it is short, shorter than the stretch it jumps to, and a smaller body than that one's
    kept = [span for span in spans if not out[span[0]]]  # the lifter's stretches so far

    def smaller(edge: tuple[int, int], other: tuple[int, int]) -> bool:
        a, b = leg_length_px(xy[edge[0] : edge[1]]), leg_length_px(xy[other[0] : other[1]])
        return bool(np.isfinite(a) and np.isfinite(b) and a < edge_size * b)

    if len(kept) >= 2:
        for edge, other, jump in (
            (kept[0], kept[1], (kept[0][1] - 1, kept[1][0])),
            (kept[-1], kept[-2], (kept[-2][1] - 1, kept[-1][0])),
        ):
            if length(edge) <= max_s and length(edge) < length(other) and smaller(edge, other) and impossible(*jump):
                out[edge[0] : edge[1]] = True
    return out


def carried_over_cuts(
    xy: np.ndarray,
    t: np.ndarray,
    detected: np.ndarray,
    cuts: list[int] | tuple[int, ...],
    settle_s: float,
    slack_leg: float,
) -> np.ndarray:
    """(T,) True on the first frames after a picture cut that the tracker drew between the last shot's body
    and the new one.

    MediaPipe's VIDEO mode tracks each frame from the region it found the body in on the frame before, so
    across a hard cut it goes on drawing a pose partway between the old body and the new one for a frame or
    a few before it finds the lifter. The cut is one jump; a second jump no body can make within ``settle_s``
    of it (the joints moving ``slack_leg`` leg lengths in the median between two frames found, at most
    ``settle_s`` apart: a fast pull moves the shoulders about 2 leg lengths a second, the feet not at all) is
    the tracker arriving, and the frames from the cut up to it are dropped. With one jump only, nothing is.
    """
    detected = np.asarray(detected, dtype=bool)
    out = np.zeros(len(t), dtype=bool)
    leg = leg_length_px(xy)
    if not np.isfinite(leg) or leg <= 0:
        return out
    for cut in sorted(int(c) for c in cuts):
        if cut <= 0 or cut >= len(t):
            continue
        stop = int(np.searchsorted(t, t[cut] + settle_s, side="right"))
        seen = (cut + np.flatnonzero(detected[cut:stop])).tolist()
        for prev, j in zip(seen, seen[1:]):
            jump = _jump(xy, prev, j, leg)
            if np.isfinite(jump) and jump > slack_leg:
                out[cut:j] = detected[cut:j]
                break
    return out


def mask_frames(seq: PoseSequence, drop: np.ndarray) -> PoseSequence:
    """``seq`` with the ``drop`` frames turned into frames where nobody was found."""
    xy = seq.xy.copy()
    xy[drop] = np.nan
    visibility = seq.visibility.copy()
    visibility[drop] = np.nan
    world = None
    if seq.world is not None:
        world = seq.world.copy()
        world[drop] = np.nan
    return seq.replace(xy=xy, visibility=visibility, world=world)


#: The joints of a leg below the hip (keys of :data:`~formcheck.landmarks.PAIRS`), dropped together when that leg is
#: the model's guess (:func:`stray_legs`).
LOWER_LEG = ("knee", "ankle", "heel", "toe")


def _bones(xy: np.ndarray, upper: str, lower: str) -> np.ndarray:
    """(T, 2) screen length of the bone from ``upper`` to ``lower`` (keys of ``PAIRS``), [left, right]."""
    return np.stack([g.distance(xy[:, PAIRS[upper][k]], xy[:, PAIRS[lower][k]]) for k in (0, 1)], axis=1)


def stray_legs(xy: np.ndarray, config: CleaningConfig) -> np.ndarray:
    """(T, 2) bool, [left, right]: the frames where that leg is the model's guess at a hidden leg, not the lifter's.

    Filmed from the side the far leg hides behind the near one (and the plate); the model still draws two legs, often
    with full visibility, and its labels swap between them. The guessed one lands on the plate, the bar or the hip,
    with a thigh or shin no body has, and the left-right mean of every joint is dragged towards it. Where the hips
    are drawn together (a profile, :attr:`CleaningConfig.stray_leg_profile_leg`) and the knees apart
    (``stray_leg_apart_leg``), a leg whose thigh and shin fit the lifter's (``stray_leg_fit``) while the other's are
    off by ``stray_leg_margin`` more and by ``stray_leg_misfit`` in all marks the other as the guess. Both off, or both
    fitting: neither is marked. The lifter's thigh and shin are the medians over the clip of the longer side's, frame
    by frame."""
    out = np.zeros((len(xy), 2), dtype=bool)
    thigh, shin = _bones(xy, "hip", "knee"), _bones(xy, "knee", "ankle")
    with np.errstate(invalid="ignore"):
        longer_thigh, longer_shin = np.fmax(thigh[:, 0], thigh[:, 1]), np.fmax(shin[:, 0], shin[:, 1])
    if not (np.isfinite(longer_thigh).any() and np.isfinite(longer_shin).any()):
        return out
    ref_thigh, ref_shin = float(np.nanmedian(longer_thigh)), float(np.nanmedian(longer_shin))
    leg = ref_thigh + ref_shin
    if not (ref_thigh > 0 and ref_shin > 0):
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        misfit = np.abs(thigh / ref_thigh - 1.0) + np.abs(shin / ref_shin - 1.0)
        hips = g.distance(xy[:, PAIRS["hip"][0]], xy[:, PAIRS["hip"][1]]) / leg
        knees = g.distance(xy[:, PAIRS["knee"][0]], xy[:, PAIRS["knee"][1]]) / leg
        candidate = (hips < config.stray_leg_profile_leg) & (knees > config.stray_leg_apart_leg)
        better = np.fmin(misfit[:, 0], misfit[:, 1])
        candidate &= np.isfinite(misfit).all(axis=1) & (better <= config.stray_leg_fit)
        for k in (0, 1):
            off = misfit[:, k] >= config.stray_leg_misfit
            out[:, k] = candidate & off & (misfit[:, k] - misfit[:, 1 - k] >= config.stray_leg_margin)
    return out


def mask_stray_legs(seq: PoseSequence, stray: np.ndarray) -> PoseSequence:
    """``seq`` with the lower-leg points of each leg :func:`stray_legs` marked turned missing (picture points and
    visibility) on those frames. The world landmarks are left as the model gave them."""
    if not stray.any():
        return seq
    xy, visibility = seq.xy.copy(), seq.visibility.copy()
    for k in (0, 1):
        rows = np.flatnonzero(stray[:, k])
        for joint in LOWER_LEG:
            xy[rows, PAIRS[joint][k]] = np.nan
            visibility[rows, PAIRS[joint][k]] = np.nan
    return seq.replace(xy=xy, visibility=visibility)


def mask_low_visibility(xy: np.ndarray, visibility: np.ndarray, min_visibility: float) -> np.ndarray:
    """Copy of ``xy`` (T, K, 2) with points below ``min_visibility`` set to NaN."""
    out = np.array(xy, dtype=np.float64, copy=True)
    out[~(visibility >= min_visibility)] = np.nan
    return out


def fill_gaps(x: np.ndarray, t: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate interior NaN gaps no longer than ``max_gap_s``.

    ``x`` is (T,) or (T, ...); each trailing column is filled on its own. Gaps at
    the start or end, and longer gaps, stay NaN.
    """
    x = np.array(x, dtype=np.float64, copy=True)
    flat = x.reshape(x.shape[0], -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        good = ~np.isnan(col)
        if good.all() or good.sum() < 2:
            continue
        for start, stop in runs(~good):
            if start == 0 or stop == len(col):
                continue
            if t[stop] - t[start - 1] <= max_gap_s + 1e-9:
                col[start:stop] = np.interp(t[start:stop], [t[start - 1], t[stop]], [col[start - 1], col[stop]])
    return flat.reshape(x.shape)


def lowpass(x: np.ndarray, sample_rate_hz: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-lag Butterworth low-pass, applied to each unbroken (non-NaN) run on its own.

    Runs too short for the filter's padding are left unfiltered. A cut-off at or
    above Nyquist leaves the data unchanged.
    """
    x = np.array(x, dtype=np.float64, copy=True)
    if cutoff_hz >= 0.5 * sample_rate_hz * 0.99:
        return x
    # formcheck.filters: scipy.signal's butter + sosfiltfilt in numpy (importing scipy.signal costs more
    # start-up than re-judging a clip); the padding is sosfiltfilt's default for the order's sections
    h = impulse_response(*butter_lowpass(order, cutoff_hz, sample_rate_hz))
    padlen = 3 * (2 * ((order + 1) // 2) + 1)
    flat = x.reshape(x.shape[0], -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for start, stop in runs(~np.isnan(col)):
            if stop - start > padlen:
                col[start:stop] = filtfilt(h, col[start:stop], padlen)
    return flat.reshape(x.shape)


def sample_rate(t: np.ndarray) -> float:
    """Typical frames per second from timestamps (median spacing; robust to VFR jitter)."""
    if len(t) < 2:
        return 30.0
    return float(1.0 / np.median(np.diff(t)))


def clean(seq: PoseSequence, config: CleaningConfig) -> tuple[PoseSequence, CleaningNotes]:
    """Mask, fill and filter a sequence's image landmarks. World landmarks are masked only."""
    fs = sample_rate(seq.t)
    masked = mask_low_visibility(seq.xy, seq.visibility, config.min_visibility)
    filled = fill_gaps(masked, seq.t, config.max_gap_s)
    smooth = lowpass(filled, fs, config.cutoff_hz, config.filter_order)
    world = seq.world
    if world is not None:
        world = np.where(np.isnan(masked[..., :1]), np.nan, world)
    detected = ~np.isnan(seq.xy[..., 0])
    total = max(int(detected.sum()), 1)
    notes = CleaningNotes(
        sample_rate_hz=fs,
        masked_fraction=float((detected & np.isnan(masked[..., 0])).sum() / total),
        filled_fraction=float((np.isnan(masked[..., 0]) & ~np.isnan(filled[..., 0])).sum() / total),
        steps=(
            "mediapipe: built-in landmark smoothing of VIDEO mode",
            f"visibility < {config.min_visibility} -> missing",
            f"gaps <= {config.max_gap_s} s filled linearly",
            f"Butterworth low-pass {config.cutoff_hz} Hz, order {config.filter_order}, zero-lag, per unbroken run at {fs:.2f} Hz",
        ),
    )
    return seq.replace(xy=smooth, world=world), notes


@dataclass(frozen=True)
class Trusted:
    """The landmarks the model gave, less the detections that were not the lifter."""

    seq: PoseSequence
    #: Frames of poses found for an instant between two losses, dropped.
    isolated_frames: int
    #: Frames of tracker excursions (a stretch entered and left by a jump no body can make), dropped.
    excursion_frames: int
    #: Frames after a picture cut that still showed the last shot's pose (:func:`carried_over_cuts`), dropped.
    carried_frames: int
    #: Frames where one leg was the model's guess at a hidden leg (:func:`stray_legs`), that leg's points dropped.
    stray_leg_frames: int = 0
    #: The sequence before those legs were dropped (None when none was): a guessed leg is also a sign that something
    #: hides the body there, which the broken-hip-line check reads when no plate search will say so.
    with_stray_legs: PoseSequence | None = None


@dataclass(frozen=True)
class CleaningReport:
    """What the cleaning stage did, for the report (``measurement.cleaning`` in the JSON)."""

    sample_rate_hz: float
    masked_fraction: float
    filled_fraction: float
    isolated_frames_dropped: int
    excursion_frames_dropped: int
    carried_over_frames_dropped: int
    steps: tuple[str, ...]
    stray_leg_frames: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "sample_rate_hz": round(self.sample_rate_hz, 3),
            "masked_fraction": round(self.masked_fraction, 4),
            "filled_fraction": round(self.filled_fraction, 4),
            "isolated_frames_dropped": self.isolated_frames_dropped,
            "excursion_frames_dropped": self.excursion_frames_dropped,
            "carried_over_frames_dropped": self.carried_over_frames_dropped,
            "stray_leg_frames": self.stray_leg_frames,
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class Cleaned:
    """The cleaning stage's output: the trusted raw landmarks and their cleaned, filtered version."""

    raw: PoseSequence
    smooth: PoseSequence
    report: CleaningReport


def drop_untrusted(seq: PoseSequence, cuts: list[int], config: CleaningConfig) -> Trusted:
    """Drop poses found for an instant between losses, the last shot's pose carried over a picture cut, then
    tracker excursions (``cuts``: picture cuts, where a jump is the camera's, not the tracker's), then the lower leg
    of a leg the model guessed (:func:`stray_legs`)."""
    seq, islands = drop_isolated_detections(seq, config.min_island_s)
    carried = carried_over_cuts(
        seq.xy,
        seq.t,
        seq.detected,
        cuts,
        config.cut_settle_s,
        config.excursion_slack_leg,
    )
    if carried.any():
        seq = mask_frames(seq, carried)
    drop = tracker_excursions(
        seq.xy,
        seq.t,
        seq.detected,
        cuts,
        config.excursion_speed_leg_s,
        config.excursion_slack_leg,
        config.excursion_max_s,
        config.excursion_edge_size,
    )
    if drop.any():
        seq = mask_frames(seq, drop)
    stray = stray_legs(seq.xy, config)
    n_stray = int(stray.any(axis=1).sum())
    kept = seq if n_stray else None
    return Trusted(mask_stray_legs(seq, stray), islands, int(drop.sum()), int(carried.sum()), n_stray, kept)


def clean_trusted(trusted: Trusted, config: CleaningConfig) -> Cleaned:
    """Mask, fill and filter the trusted landmarks; every step recorded in the report."""
    smooth, notes = clean(trusted.seq, config)
    report = CleaningReport(
        sample_rate_hz=notes.sample_rate_hz,
        masked_fraction=notes.masked_fraction,
        filled_fraction=notes.filled_fraction,
        isolated_frames_dropped=trusted.isolated_frames,
        excursion_frames_dropped=trusted.excursion_frames,
        carried_over_frames_dropped=trusted.carried_frames,
        stray_leg_frames=trusted.stray_leg_frames,
        steps=(
            f"poses found for under {config.min_island_s} s between two losses -> lost",
            f"the last shot's pose carried up to {config.cut_settle_s} s past a picture cut -> lost",
            f"stretches of up to {config.excursion_max_s} s entered and left by an impossible jump -> lost",
            f"in a profile, knees over {config.stray_leg_apart_leg} leg lengths apart: a leg whose thigh and shin miss "
            f"the lifter's by {config.stray_leg_misfit} and by {config.stray_leg_margin} more than the other's (which "
            f"fits within {config.stray_leg_fit}) -> its knee, ankle, heel and toe lost",
            *notes.steps,
        ),
    )
    return Cleaned(raw=trusted.seq, smooth=smooth, report=report)
