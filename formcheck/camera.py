"""The camera's angle off the lifter's side view (yaw), measured per shot with its uncertainty.

0 = a pure side view, 90 = straight from the front or back. Two estimates, each a median over the frames:

- **3D world landmarks** (MediaPipe's metric, camera-aligned axes): how far the shoulder and hip
  left-right axes turn out of the camera's depth axis; for a lifter lying on their back (hip thrust,
  glute bridge: :func:`lying`) also the normal of the plane through the midline chain
  shoulder-hip-knee-ankle (the sagittal plane), whose error from MediaPipe's depth scale is opposite
  to the axes' (:func:`world_off_side`).
- **2D proportions**: the shoulder and hip widths on screen against the torso's length (a frontal
  width of ``FRONTAL_SHOULDER_RATIO`` / ``FRONTAL_HIP_RATIO`` torso lengths).

A frame whose shoulder and hip widths on screen cannot both be right (:func:`pairs_disagree`: one pair is the pose
model's guess at joints a plate hides, and the world landmarks follow the guess) is read from the narrower pair's
2D width alone (:func:`frame_readings`); an upright lifter's yaw is the median of the frames' readings.

They are combined (a lying body: the 3D estimate alone) weighted by their errors measured on rendered clips at known yaws
(``DetectConfig.yaw_world_error_deg``, ``yaw_image_error_deg``; docs/ACCURACY.md "Camera angle (yaw)
measured on rendered clips", remade by tools/yaw_table.py). The uncertainty adds the combined
estimate's error there (``yaw_error_deg``) to half the gap between the two (a shot where they disagree
is less certain).

A handheld camera that orbits the lifter changes the yaw without a picture cut: :func:`yaw_changes`
finds where a widely sweeping yaw crosses from one view class into another, so those stretches become
shots of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import DetectConfig
from .landmarks import PAIRS, Landmark, leg_length_px
from .types import TIME_EPS_S, PoseSequence

#: Shoulder width / torso length and hip width / torso length of MediaPipe's landmarks seen from the front:
#: least-squares fits of width = ratio x sin(true yaw off side) on the rendered yaw grid (tools/yaw_table.py,
#: 0-90 degrees, RDL and hip thrust; docs/ACCURACY.md). The hip landmarks sit well inside the pelvis's width
#: (0.44, not the 0.55 of a tape measure).
FRONTAL_SHOULDER_RATIO = 0.76
FRONTAL_HIP_RATIO = 0.44
#: The midline chain (left-right means) whose plane is the lifter's sagittal plane: its normal is the body's
#: left-right direction without the shoulder and hip landmarks' width (docs/ACCURACY.md "Camera angle (yaw) of
#: a lying body").
SAGITTAL_CHAIN = ("shoulder", "hip", "knee", "ankle")
#: The chain spans a plane in a frame when its second principal spread (singular value) is at least this
#: fraction of its first: a lifter bent at the hips or knees. Straighter frames (standing tall, or a bend
#: MediaPipe flattened into the depth it under-reads) use the shoulder and hip axes alone. A quarter: the
#: chain bent about 30 degrees out of a line.
SAGITTAL_MIN_BEND = 0.25
#: A lifter lies (hip thrust, glute bridge) when in at least half of the frames the hips sit no more than this
#: many degrees of thigh slope above the knees (world landmarks). MediaPipe rolls a lying body's shoulder and
#: hip axes about the trunk, so only then does the sagittal plane join the 3D estimate and the 2D widths
#: (which read the same rolled points) leave it. Measured (median over a clip): labelled real thrusts and
#: bridges -40 to +10, rendered thrusts -30 to -18; real deadlifts, RDLs, squats and good mornings +24 to +86,
#: rendered RDLs +66 to +82 (docs/ACCURACY.md "Camera angle (yaw) of a lying body"); the cut sits in the gap.
LYING_MAX_THIGH_RISE_DEG = 17.0
#: Percentiles of the smoothed yaw that give its sweep over a clip (robust to a few bad frames).
SWEEP_PERCENTILES = (5.0, 95.0)
#: The torso's length on screen for the 2D estimate: this percentile of its lengths (the least foreshortened
#: frames)...
TORSO_REFERENCE_PERCENTILE = 95.0
#: ...within this many seconds of the frame (a rep or two; short enough to follow a zoom).
TORSO_REFERENCE_S = 4.0


@dataclass(frozen=True)
class YawEstimate:
    """Degrees off the side view: combined, its uncertainty, and the two estimates it came from."""

    off_side_deg: float
    uncertainty_deg: float
    world_off_deg: float
    image_off_deg: float

    @property
    def body_yaw_deg(self) -> float:
        """The body's yaw to the camera in the convention of ``DetectConfig`` (90 = side, 0 = front)."""
        return 90.0 - self.off_side_deg


def _mean_lr(arr: np.ndarray, joint: str) -> np.ndarray:
    """The mean of the left and right point where both are seen, the one seen where only one is (NaN: neither)."""
    left, right = PAIRS[joint]
    a, b = arr[:, left], arr[:, right]
    out: np.ndarray = np.where(np.isnan(a), b, np.where(np.isnan(b), a, 0.5 * (a + b)))
    return out


def seen_world(seq: PoseSequence) -> np.ndarray | None:
    """``seq``'s world landmarks with the points whose picture point is missing left out (NaN): the legs the cleaning
    dropped as the model's guess at a hidden leg (:func:`formcheck.cleaning.stray_legs`) are guessed in 3D too."""
    if seq.world is None:
        return None
    out: np.ndarray = np.where(np.isnan(seq.xy[..., :1]), np.nan, seq.world)
    return out


def axes_off_side(world: np.ndarray) -> np.ndarray:
    """Per frame, degrees the shoulders' and hips' left-right axes lie off the camera's depth axis (mean of the two).

    An axis along the depth axis (a side view) gives 0, one in the picture plane (front or back) 90. The
    angle is the whole angle between the line of sight and the body's left-right axis: a camera looking
    down on a lifter (its pitch) counts as well as one turned round them, since both distort the angles
    of the sagittal plane on screen (COACHING.md §5: "camera pitch does so vertically").
    """
    cols = []
    for joint in ("shoulder", "hip"):
        left, right = PAIRS[joint]
        d = world[:, right] - world[:, left]
        cols.append(np.degrees(np.arctan2(np.hypot(d[:, 0], d[:, 1]), np.abs(d[:, 2]))))
    out: np.ndarray = np.mean(np.stack(cols, axis=1), axis=1)
    return out


def sagittal_off_side(world: np.ndarray) -> np.ndarray:
    """Per frame, degrees the normal of the midline chain's plane (``SAGITTAL_CHAIN``) lies off the camera's
    depth axis; NaN where the chain is too straight to span a plane (``SAGITTAL_MIN_BEND``) or not seen.

    The normal of the sagittal plane is the body's left-right direction, found from points on the midline
    only: it does not use how far apart MediaPipe puts the shoulders or hips.
    """
    pts = np.stack([_mean_lr(world, joint) for joint in SAGITTAL_CHAIN], axis=1)
    out = np.full(len(world), np.nan)
    seen = np.all(np.isfinite(pts), axis=(1, 2))
    if not np.any(seen):
        return out
    centred = pts[seen] - pts[seen].mean(axis=1, keepdims=True)
    _, spread, axes = np.linalg.svd(centred)
    normal = axes[:, 2]
    off = np.degrees(np.arctan2(np.hypot(normal[:, 0], normal[:, 1]), np.abs(normal[:, 2])))
    out[seen] = np.where(spread[:, 1] >= SAGITTAL_MIN_BEND * spread[:, 0], off, np.nan)
    return out


def lying(world: np.ndarray) -> bool:
    """Whether the lifter lies on their back over these frames (``LYING_MAX_THIGH_RISE_DEG``): the hips no more
    than that far above the knees, measured along the thigh, in at least half of the frames seen."""
    hip, knee = _mean_lr(world, "hip"), _mean_lr(world, "knee")
    thigh = np.linalg.norm(knee - hip, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # MediaPipe's world y points down: the hips above the knees give a positive rise
        rise = np.degrees(np.arcsin(np.clip((knee[:, 1] - hip[:, 1]) / thigh, -1.0, 1.0)))
    rise = rise[np.isfinite(rise)]
    return bool(rise.size) and float(np.median(rise)) <= LYING_MAX_THIGH_RISE_DEG


def world_off_side(world: np.ndarray) -> np.ndarray:
    """Per frame, degrees the body's left-right direction lies off the camera's depth axis, from the 3D world
    landmarks: the shoulder and hip axes (:func:`axes_off_side`); for a lifter lying on their back
    (:func:`lying`) the geometric mean of the tangents of the axes' angle and the sagittal plane's
    (:func:`sagittal_off_side`) where the midline chain is bent.

    MediaPipe rolls a lying body's shoulder and hip axes about the trunk (rendered thrusts 20 degrees off side:
    their component across the trunk on screen reads 27-30 degrees, 15 in truth), and its world depth is scaled
    wrongly, by a factor k that changes from shot to shot (rendered thrusts: the midline chain's depth reads
    0.4-0.9 of the truth). A vector across the body reads ``tan(off) / k`` and a plane's normal ``k x tan(off)``:
    the geometric mean cancels a common k, and the plane does not see the roll. An upright lifter's axes are
    read well (rendered RDLs within 7 degrees) while the plane is not (real side-view deadlifts: 24-30 degrees
    where the axes read 6), so it is left out there (docs/ACCURACY.md "Camera angle (yaw) of a lying body").
    """
    axes = axes_off_side(world)
    if not lying(world):
        return axes
    plane = sagittal_off_side(world)
    with np.errstate(invalid="ignore"):
        both = np.degrees(np.arctan(np.sqrt(np.tan(np.radians(axes)) * np.tan(np.radians(plane)))))
    out: np.ndarray = np.where(np.isfinite(plane), both, axes)
    return out


def image_pairs_off_side(xy: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Per frame, degrees off side from the shoulders' and from the hips' width on screen against the torso
    (columns 0 and 1).

    A width is ``frontal width x sin(yaw off side)``; widths wider than the frontal ratio read 90. The torso's
    length is its longest on screen within ``TORSO_REFERENCE_S`` seconds (``TORSO_REFERENCE_PERCENTILE``): a
    torso tipped towards or away from the camera (a hinge's bottom seen from the front) is foreshortened, the
    widths are not; a short window follows a zoom.
    """
    torso = np.linalg.norm(_mean_lr(xy, "shoulder") - _mean_lr(xy, "hip"), axis=-1)
    reference = rolling_percentile(torso, t, TORSO_REFERENCE_S, TORSO_REFERENCE_PERCENTILE)
    with np.errstate(invalid="ignore", divide="ignore"):
        sep_s = np.linalg.norm(xy[:, Landmark.LEFT_SHOULDER] - xy[:, Landmark.RIGHT_SHOULDER], axis=-1) / reference
        sep_h = np.linalg.norm(xy[:, Landmark.LEFT_HIP] - xy[:, Landmark.RIGHT_HIP], axis=-1) / reference
        ratio = np.stack([sep_s / FRONTAL_SHOULDER_RATIO, sep_h / FRONTAL_HIP_RATIO], axis=1)
        out: np.ndarray = np.degrees(np.arcsin(np.clip(ratio, 0.0, 1.0)))
    return out


def image_off_side(xy: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Per frame, degrees off side from the shoulder and hip widths on screen against the torso (mean of the two,
    :func:`image_pairs_off_side`)."""
    out: np.ndarray = np.mean(image_pairs_off_side(xy, t), axis=1)
    return out


def pairs_disagree(pairs: np.ndarray, max_gap: float) -> np.ndarray:
    """Per frame, whether the shoulders' and the hips' 2D readings (:func:`image_pairs_off_side`) cannot both be
    right: their widths as shares of the frontal width (the sines of the angles) differ by more than ``max_gap``
    (``DetectConfig.yaw_pair_max_gap``). The shoulder and hip axes of a lifter turn together; a pair whose
    joints something hides (a plate over the hips) is the pose model's guess, and its guess spreads them.

    Compared as widths, not angles: a width's error on screen is much the same at any yaw, its angle's is not
    (near a front view the arcsine turns a small error in width into a large one in angle). False where either
    reading is missing.
    """
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.sin(np.radians(pairs[:, 0])) - np.sin(np.radians(pairs[:, 1])))
        out: np.ndarray = gap > max_gap
    return out


def frame_readings(seq: PoseSequence, config: DetectConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the 3D (shoulder and hip axes, :func:`axes_off_side`) and 2D (:func:`image_off_side`) yaw off
    side of an upright lifter, with the frames where the shoulder and hip pairs disagree (:func:`pairs_disagree`)
    read from the narrower pair's 2D width alone (the 3D reading NaN there).

    MediaPipe guesses joints that something hides and spreads the guessed pair; its world landmarks follow the
    guess. Rendered lifters holding 45 cm plates exactly side-on: standing, the plate covers the hips, which read
    25-33 degrees off side on screen while the shoulders read 7-11, and the world shoulder and hip axes 16-33
    (docs/ACCURACY.md "Camera angle (yaw) of a lifter behind the plates").
    """
    pairs = image_pairs_off_side(seq.xy, seq.t)
    image = np.mean(pairs, axis=1)
    world = axes_off_side(seq.world) if seq.world is not None else np.full(len(seq), np.nan)
    split = pairs_disagree(pairs, config.yaw_pair_max_gap)
    with np.errstate(invalid="ignore"):
        narrower = np.nanmin(np.where(np.isfinite(pairs), pairs, np.inf), axis=1)
    image = np.where(split, narrower, image)
    world = np.where(split, np.nan, world)
    return world, image


def combine_frames(world: np.ndarray, image: np.ndarray, config: DetectConfig) -> np.ndarray:
    """Per frame, the inverse-variance mean of the two readings (:func:`combine`'s weights), or the one that is
    there (NaN where neither is)."""
    ww, wi = 1.0 / config.yaw_world_error_deg**2, 1.0 / config.yaw_image_error_deg**2
    both = (ww * world + wi * image) / (ww + wi)
    out: np.ndarray = np.where(np.isfinite(world), np.where(np.isfinite(image), both, world), image)
    return out


def _median(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def combine(world: float, image: float, config: DetectConfig, lying_body: bool = False) -> tuple[float, float]:
    """Inverse-variance mean of the two estimates (their errors on the rendered grid) and its uncertainty.

    The uncertainty is the combined estimate's own error on the rendered grid (``yaw_error_deg``: the two
    estimates' errors are correlated, both read the same landmarks) added to half the gap between them.
    A lying body (:func:`lying`) takes the 3D estimate alone when there is one: its 2D widths read the
    shoulders and hips MediaPipe rolls about the trunk (rendered thrusts 20-30 degrees off side: 2D 30-41);
    the gap to the 2D reading still widens the uncertainty.
    """
    pairs = [
        (v, e) for v, e in ((world, config.yaw_world_error_deg), (image, config.yaw_image_error_deg)) if np.isfinite(v)
    ]
    if not pairs:
        return float("nan"), float("nan")
    gap = float(np.ptp([v for v, _ in pairs])) / 2.0
    if lying_body and np.isfinite(world):
        return world, float(np.hypot(config.yaw_world_error_deg, gap))
    weights = np.array([1.0 / e**2 for _, e in pairs])
    values = np.array([v for v, _ in pairs])
    mean = float(weights @ values / weights.sum())
    error = config.yaw_error_deg if len(pairs) == 2 else pairs[0][1]
    return mean, float(np.hypot(error, gap))


def measure_yaw(seq: PoseSequence, config: DetectConfig) -> YawEstimate:
    """The camera's yaw off the side view over ``seq`` (one shot), with its uncertainty.

    A lifter lying on their back: the medians of the 3D (:func:`world_off_side`, from the world points whose picture
    point was kept, :func:`seen_world`) and 2D readings, combined by :func:`combine`. An upright lifter: the median
    over the frames of each frame's combined reading (:func:`frame_readings`, :func:`combine_frames`), so the frames
    whose hips or shoulders are a guess count with
    the pair that is seen; the 3D and 2D estimates reported are the medians of those readings, and the
    uncertainty is :func:`combine`'s from them.
    """
    seen = seen_world(seq)
    if seen is not None and lying(seen):
        world = _median(world_off_side(seen))
        image = _median(image_off_side(seq.xy, seq.t))
        off, unc = combine(world, image, config, True)
        return YawEstimate(off, unc, world, image)
    world_frames, image_frames = frame_readings(seq, config)
    world, image = _median(world_frames), _median(image_frames)
    _, unc = combine(world, image, config)
    off = _median(combine_frames(world_frames, image_frames, config))
    return YawEstimate(off, unc if np.isfinite(off) else float("nan"), world, image)


def frame_off_side(seq: PoseSequence, config: DetectConfig) -> np.ndarray:
    """Per frame, the combined yaw off side (NaN where the lifter is not seen), for following a camera that orbits
    the lifter (:func:`yaw_changes`): the shoulder and hip axes and the 2D widths, as before the lying-body estimate
    and the guessed-pair rule. Those estimates are medians over a shot; per frame, the sagittal plane of a thruster
    is noisy (it needs the chain bent) and, measured on real clips, it moved the shot boundaries of two mixed bridge
    and thrust clips (clip_001, clip_027) by up to a second, each losing a rep (docs/ACCURACY.md "Camera angle (yaw)
    of a lying body"); so did the narrower pair's reading in frames whose pairs disagree (:func:`frame_readings`:
    clip_027's boundary from 3.3 to 4.2 s, a rep lost; docs/ACCURACY.md "Camera angle (yaw) of a lifter behind the
    plates")."""
    world = axes_off_side(seq.world) if seq.world is not None else np.full(len(seq), np.nan)
    return combine_frames(world, image_off_side(seq.xy, seq.t), config)


#: Rows of :func:`rolling_percentile` computed at once (bounds its memory: rows x window frames floats).
ROLLING_CHUNK_ROWS = 2048


def rolling_percentile(x: np.ndarray, t: np.ndarray, window_s: float, q: float = 50.0) -> np.ndarray:
    """The ``q``-th percentile of the finite values of ``x`` less than ``window_s / 2`` seconds from each frame (NaN where
    none). A frame exactly on the window's edge is left out, whatever float rounding makes of it
    (:data:`formcheck.types.TIME_EPS_S`): a 0.2 s window at 30 fps is the frame and two either side, wherever the clip's
    times start.

    Vectorised over rows in chunks: each row's window is padded to the widest one with NaN (a per-frame loop
    of ``np.percentile`` took 80 % of a whole analysis).
    """
    x = np.asarray(x, dtype=np.float64)
    lo = np.searchsorted(t, t - window_s / 2.0 + TIME_EPS_S, side="left")
    hi = np.searchsorted(t, t + window_s / 2.0 - TIME_EPS_S, side="right")
    out = np.full(len(x), np.nan)
    if len(x) == 0:
        return out
    width = int(np.max(hi - lo))
    offsets = np.arange(width)
    for start in range(0, len(x), ROLLING_CHUNK_ROWS):
        rows = slice(start, start + ROLLING_CHUNK_ROWS)
        idx = lo[rows, None] + offsets[None, :]
        inside = idx < hi[rows, None]
        vals = np.where(inside, x[np.minimum(idx, len(x) - 1)], np.nan)
        out[rows] = _row_percentile(vals, q)
    return out


def _row_percentile(vals: np.ndarray, q: float) -> np.ndarray:
    """Per row, the ``q``-th percentile of its finite values (numpy's default linear method; NaN for none):
    one sort of the whole block (NaN sorts last) instead of ``np.nanpercentile``'s row-by-row fallback."""
    ordered = np.sort(np.where(np.isfinite(vals), vals, np.nan), axis=1)
    count = np.sum(np.isfinite(vals), axis=1)
    pos = np.maximum(count - 1, 0) * (q / 100.0)
    below = np.floor(pos).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    r = np.arange(len(vals))
    low, high = ordered[r, below], ordered[r, above]
    value = low + (pos - below) * (high - low)
    return np.where(count > 0, value, np.nan)


def view_class(off_side_deg: float, config: DetectConfig) -> str:
    """``side``, ``oblique`` or ``front`` (front or back: the face tells them apart later) for a yaw off side."""
    body_yaw = 90.0 - off_side_deg
    if body_yaw >= config.side_min_yaw_deg:
        return "side"
    return "oblique" if body_yaw >= config.oblique_min_yaw_deg else "front"


def yaw_sweep(track: np.ndarray) -> float:
    """How widely a smoothed yaw track moves (degrees between its 5th and 95th percentiles; 0 when unseen)."""
    x = track[np.isfinite(track)]
    if x.size == 0:
        return 0.0
    lo, hi = np.percentile(x, SWEEP_PERCENTILES)
    return float(hi - lo)


def on_the_spot(xy: np.ndarray, max_shift_leg: float) -> np.ndarray:
    """Frames where the mid-hip is within ``max_shift_leg`` leg lengths (sideways on screen) of its median
    over the clip: the lifter at their place, not walking in or out (which turns the body, not the camera)."""
    left, right = PAIRS["hip"]
    x = 0.5 * (xy[:, left, 0] + xy[:, right, 0])
    scale = leg_length_px(xy)
    if not np.isfinite(scale) or not np.any(np.isfinite(x)):
        return np.isfinite(x)
    with np.errstate(invalid="ignore"):
        ok: np.ndarray = np.abs(x - np.nanmedian(x)) <= max_shift_leg * scale
    return ok


def yaw_changes(seq: PoseSequence, config: DetectConfig) -> list[int]:
    """Frames where a camera that sweeps round the lifter without a cut moves into another view class.

    Frames where the lifter is away from their place (:func:`on_the_spot`) are left out. Only when the
    yaw, smoothed over ``orbit_sweep_smooth_s`` (longer than a rep: one pose's yaw reading swings with the rep where
    plates hide joints), sweeps at least ``orbit_min_sweep_deg`` across the clip (a still or gently swaying camera
    does not); a class changes once the yaw smoothed over ``orbit_smooth_s`` is ``orbit_hysteresis_deg`` past the
    class boundary (no flapping on a boundary).
    """
    if len(seq) == 0:
        return []
    per_frame = np.where(on_the_spot(seq.xy, config.orbit_max_hip_shift_leg), frame_off_side(seq, config), np.nan)
    seen = np.isfinite(per_frame)
    slow = np.where(seen, rolling_percentile(per_frame, seq.t, config.orbit_sweep_smooth_s), np.nan)
    if yaw_sweep(slow) < config.orbit_min_sweep_deg:
        return []
    track = np.where(seen, rolling_percentile(per_frame, seq.t, config.orbit_smooth_s), np.nan)
    h = config.orbit_hysteresis_deg
    current: str | None = None
    changes: list[int] = []
    for k, off in enumerate(track):
        if not np.isfinite(off):
            continue
        if current is None:
            current = view_class(off, config)
            continue
        # the class this frame falls in with the boundary moved h degrees away from the current class
        nearer, further = view_class(off - h, config), view_class(off + h, config)
        if nearer == further and nearer != current:
            current = nearer
            changes.append(k)
    return changes
