"""Counting reps shot by shot: each camera angle gets its own driver signal and levels.

The rep logic itself (hysteresis, bridged gaps, hard cuts, lockouts out of view) is
:func:`formcheck.reps.segment_reps`; this stage chooses what it runs on: the lift family's driver
(hip-line for bridges, hip angle for hinges), the 3D hip angle for views along the body, the pelvis
rising in the picture for bridges filmed from the feet (and from the side or obliquely where the hip angle jumps
frame to frame, a loaded bar's near plate hiding the hip or the shoulders, or makes a rep rise faster than a body can,
the near knee drawn onto the plate: :func:`driver_spiky`, ``Segmentation.too_fast``), the trunk tilt the shoulders' drop implies for a hinge
whose hips and knees the plates hide, and the posture a lockout must have.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import geometry as g
from . import kinematics
from .camera import rolling_percentile
from .cleaning import Cleaned
from .config import Config, RepConfig
from .exercises.base import ALONG_THE_BODY
from .exercises.detect import Shot
from .landmarks import PAIRS, Landmark, leg_length_px
from .reps import Levels, despiked, segment
from .types import AngleSeries, PoseSequence, Rep

#: The face landmarks (nose, eyes, ears, mouth).
FACE = list(range(Landmark.NOSE, Landmark.MOUTH_RIGHT + 1))


@dataclass(frozen=True)
class Counted:
    """The reps, numbered over the clip, and the levels of the longest shot (for the report)."""

    reps: list[Rep]
    levels: Levels | None
    #: The shots ``(start, stop)`` of a bridge or thrust counted on the pelvis because their hip angle jumps frame
    #: to frame: the shoulder, hip and knee there are guesses, not evidence (:func:`formcheck.trust.erratic`).
    erratic_spans: tuple[tuple[int, int], ...] = ()
    #: Per erratic span, its broken stretches ``(start, stop)``: the frames where the hip angle jumped and those around
    #: them (:func:`broken_stretches`); None where the shot broke only by a rise faster than a body can (its broken
    #: frames are not told apart). The pipeline narrows the untrusted frames to these where nothing else can hide a
    #: joint steadily (``formcheck.pipeline``).
    erratic_broken: tuple[tuple[tuple[int, int], ...] | None, ...] = ()
    #: The shots ``(start, stop, why)`` counted on another driver than the hip angle (:data:`ON_SHOULDERS`,
    #: :data:`ON_PELVIS`, :data:`FROM_THE_FEET`): their reps' ranges are that driver's, not the hip angle's
    #: (``formcheck.summary.measured_ranges`` leaves them unknown and says why).
    other_drivers: tuple[tuple[int, int, str], ...] = ()


#: Why a rep's range of motion is not the hip angle's, by the driver it was counted on (:attr:`Counted.other_drivers`).
ON_SHOULDERS = (
    "it was counted on the trunk's tilt from the shoulders (the plates hide the hips and knees), which is not the hip "
    "angle (clip_042: 78-79 degrees of tilt in pulls whose hip angle opened from 41 to past 130)"
)
ON_PELVIS = (
    "it was counted on the pelvis' height: the hip angle jumps from frame to frame in this shot (a plate or the bench "
    "hides a joint, or the near knee is drawn onto the plate)"
)
FROM_THE_FEET = (
    "it was counted on the pelvis rising in the picture: filmed from the feet, the hip angle on screen barely moves"
)


def count_reps(
    cleaned: Cleaned,
    series: AngleSeries,
    family: str,
    lift: str,
    shots: list[Shot],
    config: Config,
    picture_cut_frames: list[int],
    legs_hidden: bool = False,
    one_leg: bool = False,
    with_stray_legs: PoseSequence | None = None,
) -> Counted:
    """Reps on the lift's driver signal, shot by shot. Lockouts only count where the torso is where
    that lift ends; ``picture_cut_frames`` (:func:`formcheck.exercises.detect.picture_cuts`) end any rep
    in progress. ``legs_hidden``: a hinge whose bottom the plates hide, as lift detection found it
    (:func:`formcheck.exercises.detect.hinge_bottom_hidden`): counted on the shoulders (side and oblique shots).
    ``one_leg``: a single-leg lift, counted on the working leg ``series`` reads (the free leg stays straight).
    ``with_stray_legs``: the landmarks before the cleaning dropped the legs the model guessed
    (:func:`formcheck.cleaning.stray_legs`), given when no plate search will look for a plate hiding the hip: a bridge
    shot whose hip angle breaks with those legs in is counted on the pelvis and its hip line is not evidence, as
    before they were dropped (a leg drawn onto the plate is the visible sign of a hip the plate hides)."""
    seq = cleaned.raw
    incline = np.abs(series["torso_incline_deg"])
    lockout_ok: np.ndarray | None
    # a bridge's only
    unfiltered_2d: np.ndarray = np.zeros(0)
    with_guesses: np.ndarray | None = None
    lying_back: np.ndarray = np.zeros(0, dtype=bool)
    if family == "bridge":
        lockout_ok = incline > config.reps.bridge_lockout_min_torso_deg
        # signed: hips pushed past the shoulder-knee line stay "at the top" instead of reading as a dip
        driver_2d = 180.0 + np.minimum(series["hip_line_dev_deg"], 0.0)
        # the same angle before the low-pass filter, which at 30 fps smears a guessed landmark's one-frame jumps
        # into a plausible curve (the spikes it leaves are what tells a broken hip angle)
        raw_series, _, _ = kinematics.compute(cleaned.raw, series.facing)
        unfiltered_2d = 180.0 + np.minimum(raw_series["hip_line_dev_deg"], 0.0)
        if with_stray_legs is not None:
            guessed, _, _ = kinematics.compute(with_stray_legs, series.facing)
            with_guesses = 180.0 + np.minimum(guessed["hip_line_dev_deg"], 0.0)
        # counted on the pelvis (below): the thigh lying down also says the lifter is not standing
        lying_back = lockout_ok | (thigh_from_level_deg(cleaned.smooth) < config.reps.bridge_lockout_max_thigh_deg)
    else:
        lockout_ok = incline < config.reps.hinge_lockout_max_torso_deg if family == "hinge" or lift == "squat" else None
        driver_2d = series["hip_deg"]
        if family == "hinge" and not one_leg:  # standing tall: the straighter leg says so
            upright = incline < config.reps.hinge_lockout_max_torso_deg
            driver_2d = np.where(
                upright, straighter_hip_deg(cleaned.smooth, driver_2d, config.reps.hinge_legs_apart_deg), driver_2d
            )
    # A plate in front of the legs from the side: the hip angle is a guess at the bottom and often at the top
    # (the model puts the hips on the bar); the shoulders, which no plate hides, carry the reps.
    hidden = family == "hinge" and legs_hidden
    # Seen from the front the 2D hip angle barely moves; the 3D one does.
    driver_3d = driver_2d
    if seq.world is not None:
        raw_3d = kinematics.hip_angle_3d(cleaned.smooth)
        driver_3d = np.where(
            np.isfinite(raw_3d), rolling_percentile(raw_3d, series.t, config.reps.driver_3d_median_s), np.nan
        )
    # without world landmarks there is no 3D trunk to ask: the 2D lockout posture decides alone
    upright_3d = np.ones(len(seq), dtype=bool)
    if seq.world is not None:
        upright_3d = kinematics.torso_incline_3d(cleaned.smooth) < config.reps.hinge_lockout_max_torso_3d_deg
    # Rep state does not carry across a cut of an edited clip (the same cuts that split the shots).
    cuts = np.zeros(len(seq), dtype=bool)
    cuts[[c for c in picture_cut_frames if 0 <= c < len(seq)]] = True
    tolerance = config.reps.bridge_lockout_tolerance_deg if family == "bridge" else None
    # A hinge lifter may stand up out of the top of the frame (camera close and low).
    edge = head_at_top_edge(seq, config.reps.top_edge_margin) if family == "hinge" else None
    reps: list[Rep] = []
    erratic: list[tuple[int, int]] = []
    other: list[tuple[int, int, str]] = []
    broken: list[tuple[tuple[int, int], ...] | None] = []
    best_levels, longest = None, -1
    for shot in shots:
        a, b = shot.start, shot.stop
        along = shot.view.label in ALONG_THE_BODY
        ok: np.ndarray | None = None if lockout_ok is None else lockout_ok[a:b]
        on_pelvis = False
        if along and ok is not None and family == "hinge":
            # seen end on, the 2D torso looks upright in a plank too: ask the world landmarks
            ok = ok & upright_3d[a:b]
        if along and family == "bridge":
            # filmed from the feet: the pelvis rising in the picture (2D torso angles mean nothing here)
            driver, ok = kinematics.hip_lift_deg(cleaned.smooth.slice(a, b)), None
            other.append((a, b, FROM_THE_FEET))
        elif hidden and not along:
            driver = trunk_from_shoulders_deg(cleaned.smooth.xy[a:b])
            other.append((a, b, ON_SHOULDERS))
        else:
            driver = (driver_3d if along else driver_2d)[a:b]
        # the 3D angle from the world landmarks reads standing lower than the 2D one from the side
        reps_config = (
            replace(config.reps, min_lockout_hip_deg=config.reps.min_lockout_hip_3d_deg) if along else config.reps
        )
        top_edge = None if edge is None else edge[a:b]
        if top_edge is not None and ok is not None:
            # the head at the top edge: the shoulders are guesses, the hip angle decides the lockout alone (clip_014:
            # hips at 161-170° as the head left the frame, the trunk read 47-53° from the guessed shoulders)
            ok = ok | top_edge
        # a hinge's hip angle closing with the trunk upright is not a bottom (the near knee drawn onto a plate); with
        # the legs hidden the hip point is guessed on the plate, and the trunk's angle with it (counted on the shoulders)
        # (NaN, the torso unseen, leaves the hip angle alone to say)
        low_ok = (
            ~(incline[a:b] < config.reps.hinge_bottom_min_torso_deg)
            if family == "hinge" and not (along or hidden)
            else None
        )
        seg = segment(
            series.t[a:b], driver, reps_config, ok, cuts[a:b], tolerance, top_edge, family == "bridge", low_ok
        )
        drivers = [h[a:b] for h in (unfiltered_2d, with_guesses) if h is not None] if family == "bridge" else []
        spiky = not along and any(driver_spiky(h, config.reps) for h in drivers)
        if family == "bridge" and not along and (spiky or seg.too_fast > 0):
            # from the side or obliquely, the hip angle broken (it jumps, :func:`driver_spiky`, or a rep rose faster
            # than a body can: a loaded bar's near plate hides the hip or the shoulders, or the model draws the near
            # knee onto the plate): the pelvis' height carries the reps
            on_pelvis = True
            erratic.append((a, b))
            stretches = broken_stretches(drivers, series.t[a:b], config.reps) if spiky else None
            broken.append(None if stretches is None else tuple((a + i, a + j) for i, j in stretches))
            ok = lying_back[a:b]
            scale = config.reps.bridge_pelvis_deg_per_leg
            if stretches is not None:  # between its jumps the hip angle gives this lifter's scale
                scale = own_pelvis_scale(unfiltered_2d[a:b], stretches, cleaned.smooth.xy[a:b], ok, config.reps)
            driver = pelvis_height_deg(cleaned.smooth.xy[a:b], ok, scale)
            seg = segment(series.t[a:b], driver, reps_config, ok, cuts[a:b], tolerance, top_edge, True)
        found, lv = seg.reps, seg.levels
        if on_pelvis:
            other.append((a, b, ON_PELVIS))
        reps += [_shifted(rep, a, len(reps) + k + 1) for k, rep in enumerate(found)]
        if lv is not None and b - a > longest:
            best_levels, longest = lv, b - a
    return Counted(reps, best_levels, tuple(erratic), tuple(broken), tuple(other))


def straighter_hip_deg(seq: PoseSequence, merged: np.ndarray, apart_deg: float) -> np.ndarray:
    """A hinge's hip angle on the straighter leg where the two legs' hip angles are more than ``apart_deg`` apart,
    frame by frame; elsewhere ``merged``, the both-legs angle.

    At a deadlift's lockout from the side the near plate hides the near leg, and the model draws its knee onto the
    bar (clip_013, clip_065: the hip angle fell 50-70° with the lifter standing still); the far leg stays straight.
    Legs that agree are both read (the straighter of two noisy readings would read a few degrees high). Read with the
    torso upright only: at the bottom the near leg, seen, is the better one."""
    angles = [
        g.interior_angle(seq.xy[:, shoulder], seq.xy[:, hip], seq.xy[:, knee])
        for shoulder, hip, knee in zip(PAIRS["shoulder"], PAIRS["hip"], PAIRS["knee"], strict=True)
    ]
    with np.errstate(invalid="ignore"):
        apart = np.abs(angles[0] - angles[1]) > apart_deg
        straighter = np.fmax(angles[0], angles[1])
    return np.where(apart, straighter, merged)


def driver_spiky(unfiltered: np.ndarray, config: RepConfig) -> bool:
    """Whether a bridge's hip-angle driver, before the low-pass filter, jumps back and forth from frame to frame
    (:func:`spikiness` over ``bridge_max_driver_spike``: a plate hides the hip or the shoulders and the model guesses
    them). One of the two ways a side or oblique shot's hip angle is broken, so that the pelvis' height carries its
    reps (:func:`pelvis_height_deg`); the other, in :func:`count_reps`, is a rep counted on it that rose from a false
    bottom faster than a body can (``Segmentation.too_fast``, :func:`formcheck.reps.too_fast`: the model drew the near
    knee onto the plate or the bar as the hips came up; docs/ACCURACY.md, "Hip thrusts that lost reps to the near knee
    on the plate")."""
    return spikiness(unfiltered) > config.bridge_max_driver_spike


def broken_stretches(drivers: list[np.ndarray], t: np.ndarray, config: RepConfig) -> list[tuple[int, int]]:
    """The stretches ``[start, stop)`` of a shot where its hip-angle driver (any of ``drivers``, before the low-pass
    filter) jumps: frames over ``bridge_broken_frame_deg`` from the median of themselves and their two neighbours
    (:func:`formcheck.reps.despiked`), widened by ``bridge_broken_widen_s`` either way (the filter spreads a jump to
    its neighbours). Between them the points were drawn where they stay (docs/ACCURACY.md "The hip line judged
    between its jumps")."""
    jumped = np.zeros(len(t), dtype=bool)
    for h in drivers:
        with np.errstate(invalid="ignore"):
            jumped |= np.abs(h - despiked(h)) > config.bridge_broken_frame_deg
    out: list[tuple[int, int]] = []
    for i in np.flatnonzero(jumped):
        lo = int(np.searchsorted(t, t[i] - config.bridge_broken_widen_s - 1e-9, side="left"))
        hi = int(np.searchsorted(t, t[i] + config.bridge_broken_widen_s + 1e-9, side="right"))
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def own_pelvis_scale(
    h: np.ndarray, broken: list[tuple[int, int]], xy: np.ndarray, lying: np.ndarray, config: RepConfig
) -> float:
    """Degrees of hip angle per leg length of the pelvis' drop for this shot: the range (5th to 95th percentile) of
    the hip-angle driver ``h`` outside its ``broken`` stretches over the range of the pelvis' drop on the same frames,
    kept within the measured spread of lifters (``bridge_pelvis_min_deg_per_leg`` .. ``bridge_pelvis_max_deg_per_leg``);
    ``bridge_pelvis_deg_per_leg`` when too few frames are left. A lifter whose pelvis drops more per degree than the
    median one reads a partial lockout lower on the fixed scale than on the hip angle (docs/ACCURACY.md)."""
    fixed = config.bridge_pelvis_deg_per_leg
    keep = np.isfinite(h)
    for i, j in broken:
        keep[i:j] = False
    drop = 180.0 - pelvis_height_deg(xy, lying, 1.0)
    keep &= np.isfinite(drop)
    if np.count_nonzero(keep) < config.bridge_pelvis_min_frames:
        return fixed
    h_range = float(np.percentile(h[keep], 95) - np.percentile(h[keep], 5))
    d_range = float(np.percentile(drop[keep], 95) - np.percentile(drop[keep], 5))
    if not (d_range > 0 and h_range > 0):
        return fixed
    return float(np.clip(h_range / d_range, config.bridge_pelvis_min_deg_per_leg, config.bridge_pelvis_max_deg_per_leg))


def spikiness(h: np.ndarray) -> float:
    """How broken a driver signal is: the mean distance of its frames from the median of each frame and its two
    neighbours (:func:`formcheck.reps.despiked`; zero on any rise or fall, however fast, and small at the turns) over
    its range (5th to 95th percentile). A landmark the model loses and guesses makes one-frame jumps; NaN when fewer
    than three frames are seen or the signal does not move."""
    seen = np.isfinite(h)
    if seen.sum() < 3:
        return float("nan")
    spread = float(np.percentile(h[seen], 95) - np.percentile(h[seen], 5))
    if not spread > 0:
        return float("nan")
    return float(np.nanmean(np.abs(h - despiked(h)))) / spread


def thigh_from_level_deg(seq: PoseSequence) -> np.ndarray:
    """(T,) Degrees of the hip-knee line from the horizontal in the picture (0 = level, 90 = upright), from the
    visibility-weighted hips and knees. Lying back on a bench or the floor at the top of a bridge the thigh is near
    level; standing it is upright."""
    points = kinematics.merged_points(seq)
    d = points["knee"] - points["hip"]
    return np.degrees(np.arctan2(np.abs(d[:, 1]), np.abs(d[:, 0])))


def pelvis_height_deg(xy: np.ndarray, lying: np.ndarray | None, deg_per_leg: float) -> np.ndarray:
    """(T,) Rep driver of a bridge or hip thrust filmed from the side or obliquely: the pelvis' height in the picture,
    as degrees on the hip angle's scale (``180 - deg_per_leg x drop``, the drop below its top in leg lengths), so
    that the rep counter's levels apply. The top is the hips' highest (5th percentile of their image y) over the
    frames ``lying`` back (the lockout posture; all frames when fewer than three are), so a lifter standing up
    off the bench does not set it. NaN where the hips are not seen.

    The shoulder-hip-knee angle needs three points a loaded bar's near plate can hide: filmed 15 degrees off the side
    the model puts the hips near the plate's centre (a third of their true rise) and draws the near leg onto the
    plate or the bench with high visibility; 30 degrees off, the plate covers the shoulders at the top and the model
    moves them onto the plate's rim. The hips' height needs one point, and even guessed it rises with the plate."""
    hip = 0.5 * (xy[:, PAIRS["hip"][0]] + xy[:, PAIRS["hip"][1]])
    hip = np.where(
        np.isnan(hip), np.where(np.isnan(xy[:, PAIRS["hip"][0]]), xy[:, PAIRS["hip"][1]], xy[:, PAIRS["hip"][0]]), hip
    )
    y = hip[:, 1]  # image y points down
    out = np.full(len(xy), np.nan)
    leg = leg_length_px(xy)
    seen = np.isfinite(y)
    if seen.sum() < 3 or not leg > 0:
        return out
    top_frames = seen if lying is None or np.count_nonzero(seen & lying) < 3 else seen & lying
    top = float(np.percentile(y[top_frames], 5))
    out[seen] = 180.0 - deg_per_leg * (y[seen] - top) / leg
    return out


def trunk_from_shoulders_deg(xy: np.ndarray) -> np.ndarray:
    """(T,) 180 less the trunk tilt from vertical that the shoulders' drop below their standing height implies
    (degrees, larger = more extended, as the hip angle): a trunk of on-screen length ``T`` tipped by ``a`` from
    standing lowers the shoulders by ``T (1 - cos a)`` (the hips' own small drop in a hinge adds to it). Standing
    is the shoulders' highest (5th percentile of their image y), ``T`` the median shoulder-hip distance. Filmed
    from the side only (heights on screen are heights); NaN where the shoulders are not seen."""
    sh = 0.5 * (xy[:, PAIRS["shoulder"][0]] + xy[:, PAIRS["shoulder"][1]])
    hip = 0.5 * (xy[:, PAIRS["hip"][0]] + xy[:, PAIRS["hip"][1]])
    y = sh[:, 1]  # image y points down
    out = np.full(len(xy), np.nan)
    ok = np.isfinite(y)
    trunk = np.linalg.norm(sh - hip, axis=-1)
    if ok.sum() < 2 or not np.any(np.isfinite(trunk)):
        return out
    length = float(np.nanmedian(trunk))
    if not length > 0:
        return out
    drop = y[ok] - float(np.percentile(y[ok], 5))
    out[ok] = 180.0 - np.degrees(np.arccos(np.clip(1.0 - drop / length, -1.0, 1.0)))
    return out


def _shifted(rep: Rep, offset: int, index: int) -> Rep:
    """``rep`` found in a shot starting at frame ``offset``, as frame numbers of the clip."""
    return replace(
        rep,
        index=index,
        start=rep.start + offset,
        bottom=rep.bottom + offset,
        lockout=rep.lockout + offset,
        end=rep.end + offset,
        liftoff=None if rep.liftoff is None else rep.liftoff + offset,
    )


def head_at_top_edge(seq: PoseSequence, margin: float) -> np.ndarray:
    """(T,) True where the highest face landmark is within ``margin`` of the frame height from the top."""
    face = seq.xy[:, FACE, 1]
    with np.errstate(invalid="ignore"):
        top = np.where(np.isnan(face).all(axis=1), np.nan, np.nanmin(np.where(np.isnan(face), np.inf, face), axis=1))
        return top <= margin * seq.meta.height
