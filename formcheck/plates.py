"""Weight plates hide joints: find the near plate's disc in the picture (COACHING.md §6 "equipment covers it").

Filmed from the side (or near it), the near plate sits between the camera and the lifter, centred on the bar, so
any body point inside its disc on screen is hidden by it; MediaPipe still reports such knees and hips with high
visibility (docs/ACCURACY.md "What the grid says"). The far plate is behind the body and hides nothing, but it
is at the same place on screen, so the disc is still the plate's.

For each rep this module looks at a frame every ``sample_every_s`` (grey, scaled to ``max_side_px``) and searches
a crop around the bar point (the wrists for a hinge, the mid-hip for a hip thrust or bridge) for circles
(``cv2.HoughCircles``, each candidate then fitted to the picture's edges) whose radius fits a plate at the lifter's own scale (``min_radius_leg``..``max_radius_leg``
leg lengths) and whose centre is on the bar (within ``max_centre_offset`` radii). A circle counts only when
edges of the picture run along most of its rim (nothing stands in front of the near plate; the body's curves
give arcs). A plate is rigid: within a rep the circles found must agree on the radius (``radius_tolerance``) and
be found in at least ``min_found_share`` of the frames looked at; otherwise the rep gets no plate. Between two looks
that found it (at most two looks apart) the plate's centre is interpolated in time; elsewhere in the rep it follows the
bar point at its offset from it in the looks that found it (:func:`follow_bar`: the plate is fixed on the bar), or,
where that offset is unsteady or the bar point unknown, it is held for one look's interval, never further; its radius
is the rep's median. That interval reaches back over the rep's
start position (the few frames before its start, :func:`~formcheck.exercises.base.rep_frames`, which the rules read
as the standing start).

Frames are streamed as in :mod:`formcheck.barbell`: decoded once over the reps' span, converted only at the
frames looked at, and only the current one held. Only this module, ``barbell``, ``video``, ``pose`` and the
overlay writer import OpenCV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import PlateConfig
from .errors import FormcheckError
from .exercises.base import rep_frames
from .landmarks import PAIRS, Landmark
from .types import AnyFloatArray, BoolArray, FloatArray, Int8Array, IntArray, Rep
from .video import Frame, iter_frames

if TYPE_CHECKING:
    from .greystore import GreyFrameStore

#: The body points a plate may hide, per lift family (COACHING.md §6: "pad and plates on the thrust's hip;
#: plates over ankles, shins and, at a deadlift's floor, knees"; the hip at a hinge's top when the disc reaches
#: it). The wrists are never marked: the bar is in the hands by definition.
PLATE_JOINTS: dict[str, tuple[str, ...]] = {
    "hinge": ("hip", "knee", "ankle", "heel", "toe"),
    # filmed off the side the near plate moves along the bar's axis, off the hip: over the shoulders lying on the
    # bench or over the thighs and knees (docs/ACCURACY.md "The near plate filmed off the side")
    "bridge": ("hip", "shoulder", "knee"),
}


#: Where the bar is, per lift family: the landmarks whose mean is the bar point.
BAR_LANDMARKS: dict[str, tuple[Landmark, ...]] = {
    "hinge": PAIRS["wrist"],
    "bridge": PAIRS["hip"],
}

#: The crop around the bar is shrunk so the leg is at most this many pixels: a 45 cm plate is then at most ~80 px in
#: radius, plenty for its rim, and the circle finder's cost stays bounded (clip_081, a lifter filling a 480 px
#: picture: 2.2 s per look at full size).
MAX_LEG_PX = 120.0
#: Circle finder (``cv2.HOUGH_GRADIENT``): accumulator resolution, Canny high threshold, and accumulator votes a
#: centre needs. Low on purpose: these only propose candidates, the rim check (``min_rim_share``) and the rep's
#: consistency decide. (``HOUGH_GRADIENT_ALT`` placed a drawn 32 px disc within 4 px in only 7 of 10 noisy
#: pictures; this finder in 10 of 10, tests/unit/test_plates.py.)
HOUGH_DP = 1.0
HOUGH_CANNY_HIGH = 100.0
HOUGH_VOTES = 20
#: Median blur (pixels) before the circle finder and the edge map: compression noise off, rims kept.
BLUR_PX = 5
#: An edge along a rim (:func:`rim_share`): a grey-level gradient (Sobel, 3 px, on the blurred picture) of at
#: least this much, pointing within RIM_MAX_ANGLE_DEG of the radius, within RIM_SLACK_PX of the rim.
RIM_MIN_GRADIENT = 60.0
RIM_MAX_ANGLE_DEG = 25.0
RIM_SLACK_PX = 1
#: Points checked along a circle's rim.
RIM_POINTS = 90
#: Filmed off the side the plate is an ellipse, its width cos(angle) of its height; the picture is stretched across
#: by 1 / cos(angle) to make it a circle again (:func:`plate_stretch`), for angles up to this (a plate seen nearly
#: edge on is no disc to find).
MAX_STRETCH_OFF_SIDE_DEG = 60.0


def plate_stretch(off_side_deg: float) -> float:
    """How much a picture filmed ``off_side_deg`` off the side is stretched across for the near plate to be a circle
    (1 / cos of the angle, up to :data:`MAX_STRETCH_OFF_SIDE_DEG`; 1 where the angle is unknown or 0)."""
    if not (np.isfinite(off_side_deg) and off_side_deg > 0):
        return 1.0
    return float(1.0 / np.cos(np.radians(min(abs(off_side_deg), MAX_STRETCH_OFF_SIDE_DEG))))


def plate_reach_leg(off_side_deg: float, config: PlateConfig) -> float:
    """How far (leg lengths, across the picture) the near plate's centre sits from the bar point filmed
    ``off_side_deg`` off the side: the plate is ``plate_from_midline_leg`` along the bar from the lifter's midline,
    which turns that far times sin(angle) onto the picture (0 from the side)."""
    if not (np.isfinite(off_side_deg) and off_side_deg > 0):
        return 0.0
    return float(config.plate_from_midline_leg * np.sin(np.radians(min(abs(off_side_deg), MAX_STRETCH_OFF_SIDE_DEG))))


@dataclass(frozen=True)
class Circle:
    """A circle in a picture: centre and radius, pixels."""

    x: float
    y: float
    r: float


@dataclass(frozen=True)
class RepPlate:
    """What the plate search found in one rep."""

    rep: int
    #: Frames looked at, those where the circle finder proposed a plate-sized circle on the bar, and those where the
    #: plate of the rep's radius was found (proposed, or searched for at that radius).
    looked: int
    found: int
    agreed: int
    #: The plate's radius in leg lengths (NaN when no plate was accepted) and whether it was accepted.
    radius_leg: float
    accepted: bool

    def to_dict(self) -> dict:
        return {
            "rep": self.rep,
            "looked": self.looked,
            "found": self.found,
            "agreed": self.agreed,
            "radius_leg": round(self.radius_leg, 3) if np.isfinite(self.radius_leg) else None,
            "plate": self.accepted,
        }


@dataclass(frozen=True)
class PlateTrack:
    """Per sequence row: the near plate's centre (x, y) and radius in sequence pixels, NaN where none."""

    centre: FloatArray
    radius: FloatArray
    reps: list[RepPlate] = field(default_factory=list)
    #: Why the search did not run (empty when it did).
    skipped: str = ""
    #: Per row of an accepted rep: 1 where a look at the picture found the plate, -1 where a look there did not, 0
    #: where no look was made (the centre there is interpolated between looks, held, or follows the bar point).
    #: None: not recorded (every row with a centre is then taken as found).
    placed: Int8Array | None = None
    #: Per row: how much the picture was stretched across for the plate to be a circle (:func:`plate_stretch`; its
    #: width on screen is ``radius / stretch``); None: 1 everywhere (filmed from the side).
    stretch: FloatArray | None = None

    @classmethod
    def none(cls, n: int, skipped: str = "") -> PlateTrack:
        return cls(np.full((n, 2), np.nan), np.full(n, np.nan), [], skipped, np.zeros(n, np.int8))

    def to_dict(self) -> dict:
        """The report's ``measurement.plates``."""
        if self.skipped:
            return {"checked": False, "reason": self.skipped}
        return {
            "checked": True,
            "frames_with_plate": int(np.count_nonzero(np.isfinite(self.radius))),
            "reps": [r.to_dict() for r in self.reps],
        }


def hiding_radius(track: PlateTrack, family: str, leg_px: float, config: PlateConfig) -> FloatArray:
    """The plate's radius per row where it hides :data:`PLATE_JOINTS`, NaN elsewhere: on a hip thrust or bridge a
    disc smaller than ``bridge_min_hiding_radius_leg`` leg lengths leaves the torso and thigh showing all round the
    hip, which the pose model reads as well there as anywhere (docs/ACCURACY.md)."""
    radius = np.asarray(track.radius, dtype=float)
    if family != "bridge" or not (np.isfinite(leg_px) and leg_px > 0):
        return radius
    with np.errstate(invalid="ignore"):
        return np.where(radius >= config.bridge_min_hiding_radius_leg * leg_px, radius, np.nan)


def may_hide(rep: RepPlate, family: str, config: PlateConfig) -> bool:
    """Whether a plate that can hide a joint may be in front of the lifter in this rep: the search accepted or proposed
    one (any size on a hinge, at least ``bridge_min_hiding_radius_leg`` on a hip thrust or bridge, or of unknown
    size). Where the search proposed one it did not accept, the joints it may hide are not marked."""
    if not (rep.accepted or rep.found > 0):
        return False
    return family != "bridge" or not rep.radius_leg < config.bridge_min_hiding_radius_leg


def bar_points(family: str, smooth_xy: AnyFloatArray, raw_xy: AnyFloatArray) -> FloatArray:
    """(T, 2) the bar point per row: the mean of the family's bar landmarks as cleaned, else as the model
    guessed them (hands behind the plate are guessed, and guessed near it: clip_065)."""
    lms = list(BAR_LANDMARKS[family])
    out = np.full((smooth_xy.shape[0], 2), np.nan)
    for xy in (raw_xy, smooth_xy):  # the cleaned points win where they exist
        pts = xy[:, lms]
        ok = np.isfinite(pts[..., 0])
        count = ok.sum(axis=1)
        total = np.where(ok[..., None], pts, 0.0).sum(axis=1)
        have = count > 0
        out[have] = total[have] / count[have, None]
    return out


#: The directions of the :data:`RIM_POINTS` rim points (cosine, sine), made once.
_ANGLES = np.linspace(0.0, 2.0 * np.pi, RIM_POINTS, endpoint=False)
_COS, _SIN = np.cos(_ANGLES), np.sin(_ANGLES)
_COS.flags.writeable = False
_SIN.flags.writeable = False


def _rim(c: Circle, h: int, w: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The :data:`RIM_POINTS` points of ``c``'s rim on an ``h`` x ``w`` picture: (cos, sin, x, y, inside)."""
    cos, sin = _COS, _SIN
    x = np.rint(c.x + c.r * cos).astype(int)
    y = np.rint(c.y + c.r * sin).astype(int)
    return cos, sin, x, y, (x >= 0) & (x < w) & (y >= 0) & (y < h)


def rim_share(gx: np.ndarray, gy: np.ndarray, c: Circle) -> tuple[float, float]:
    """(share of the rim's in-picture points where the picture has an edge along the rim, share of the rim inside
    the picture). ``gx``, ``gy``: the picture's gradient. An edge along the rim is a gradient of at least
    :data:`RIM_MIN_GRADIENT` pointing across it (within :data:`RIM_MAX_ANGLE_DEG` of the radius), within
    :data:`RIM_SLACK_PX` of it: a plate's rim is an edge the whole way round; a busy background has edges
    everywhere, but few of them run along a given circle."""
    h, w = gx.shape
    cos, sin, _, _, inside = _rim(c, h, w)
    if not inside.any():
        return 0.0, 0.0
    on = np.zeros(RIM_POINTS, dtype=bool)
    min_cos = np.cos(np.radians(RIM_MAX_ANGLE_DEG))
    for dr in range(-RIM_SLACK_PX, RIM_SLACK_PX + 1):
        x = np.clip(np.rint(c.x + (c.r + dr) * cos).astype(int), 0, w - 1)
        y = np.clip(np.rint(c.y + (c.r + dr) * sin).astype(int), 0, h - 1)
        ex, ey = gx[y, x], gy[y, x]
        mag = np.hypot(ex, ey)
        with np.errstate(invalid="ignore", divide="ignore"):
            radial = np.abs(ex * cos + ey * sin) / mag
        on |= (mag >= RIM_MIN_GRADIENT) & (radial >= min_cos)
    return float(on[inside].mean()), float(inside.mean())


def _rims(cs: list[Circle], h: int, w: int) -> tuple[FloatArray, FloatArray, FloatArray, IntArray, IntArray, BoolArray]:
    """The rims of ``cs`` at once: centres and radii as columns, the rim points (one row per circle, rounded to
    pixels) and which of them lie inside an ``h`` x ``w`` picture."""
    cx = np.array([c.x for c in cs])[:, None]
    cy = np.array([c.y for c in cs])[:, None]
    r = np.array([c.r for c in cs])[:, None]
    x = np.rint(cx + r * _COS).astype(int)
    y = np.rint(cy + r * _SIN).astype(int)
    inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    return cx, cy, r, x, y, inside


def rim_shares(gx: np.ndarray, gy: np.ndarray, cs: list[Circle]) -> list[tuple[float, float]]:
    """:func:`rim_share` of each of ``cs``, the same numbers (counts of points, so no rounding differs), in one numpy
    pass over them all: a look proposes up to :data:`MAX_CANDIDATES` circles, and one call each cost more in numpy's
    per-call overhead than in the arithmetic."""
    if not cs:
        return []
    h, w = gx.shape
    cx, cy, r, _, _, inside = _rims(cs, h, w)
    on = np.zeros(inside.shape, dtype=bool)
    min_cos = np.cos(np.radians(RIM_MAX_ANGLE_DEG))
    for dr in range(-RIM_SLACK_PX, RIM_SLACK_PX + 1):
        x = np.clip(np.rint(cx + (r + dr) * _COS).astype(int), 0, w - 1)
        y = np.clip(np.rint(cy + (r + dr) * _SIN).astype(int), 0, h - 1)
        ex, ey = gx[y, x], gy[y, x]
        mag = np.hypot(ex, ey)
        with np.errstate(invalid="ignore", divide="ignore"):
            radial = np.abs(ex * _COS + ey * _SIN) / mag
        on |= (mag >= RIM_MIN_GRADIENT) & (radial >= min_cos)
    out: list[tuple[float, float]] = []
    for k in range(len(cs)):
        if not inside[k].any():
            out.append((0.0, 0.0))
        else:
            out.append((float(on[k][inside[k]].mean()), float(inside[k].mean())))
    return out


#: The circle finder places a circle to a few pixels; each candidate is moved by up to this many pixels
#: (centre, then radius) to where its rim best follows the picture's edges before it is judged.
REFINE_PX = 4
#: At most this many circles (the finder's best voted first) are looked at per picture: the cost stays bounded in
#: a busy gym.
MAX_CANDIDATES = 12


def rim_strength(gx: np.ndarray, gy: np.ndarray, c: Circle) -> float:
    """Mean gradient across the rim of ``c`` (its radial component, on the rim's points inside the picture)."""
    cos, sin, x, y, ok = _rim(c, *gx.shape)
    if not ok.any():
        return 0.0
    return float(np.mean(np.abs(gx[y[ok], x[ok]] * cos[ok] + gy[y[ok], x[ok]] * sin[ok])))


def rim_strengths(gx: np.ndarray, gy: np.ndarray, xs: FloatArray, ys: FloatArray, r: float) -> FloatArray:
    """:func:`rim_strength` of circles of radius ``r`` centred at every (``xs``, ``ys``), at once."""
    h, w = gx.shape
    cos, sin = _COS, _SIN
    x = np.rint(xs[:, None] + r * cos[None, :]).astype(int)
    y = np.rint(ys[:, None] + r * sin[None, :]).astype(int)
    ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    xc, yc = np.clip(x, 0, w - 1), np.clip(y, 0, h - 1)
    across = np.abs(gx[yc, xc] * cos[None, :] + gy[yc, xc] * sin[None, :])
    count = ok.sum(axis=1)
    out: FloatArray = np.where(count > 0, (across * ok).sum(axis=1) / np.maximum(count, 1), 0.0)
    return out


def _rim_strength_each(gx: np.ndarray, gy: np.ndarray, circles: list[Circle]) -> list[float]:
    """:func:`rim_strength` of each circle, the same numbers (the same arithmetic, in one pass over them all)."""
    if not circles:
        return []
    h, w = gx.shape
    _, _, _, x, y, ok = _rims(circles, h, w)
    xc, yc = np.clip(x, 0, w - 1), np.clip(y, 0, h - 1)
    across = np.abs(gx[yc, xc] * _COS + gy[yc, xc] * _SIN)
    whole = across.mean(axis=1)  # a row's mean is the mean of that row alone (numpy sums each row the same way)
    out: list[float] = []
    for k in range(len(circles)):
        if ok[k].all():
            out.append(float(whole[k]))
        elif ok[k].any():  # the rim points inside the picture only, as rim_strength takes them
            out.append(float(np.mean(across[k][ok[k]])))
        else:
            out.append(0.0)
    return out


def refine(gx: np.ndarray, gy: np.ndarray, c: Circle) -> Circle:
    """``c`` moved (centre by up to :data:`REFINE_PX` in 2 px steps, then radius by up to as much in 1 px steps) to where the
    gradient across its rim is strongest (:func:`rim_strength`)."""
    return refine_all(gx, gy, [c])[0]


#: The centre moves :func:`refine` tries, in the order it tries them; (0, 0), the circle itself, is among them.
_MOVES = [(dx, dy) for dx in range(-REFINE_PX, REFINE_PX + 1, 2) for dy in range(-REFINE_PX, REFINE_PX + 1, 2)]


def _first_best(cands: list[Circle], scores: list[float], best: Circle, score: float) -> tuple[Circle, float]:
    """The first of ``cands`` scoring more than ``score`` and more than every candidate before it (the circle a
    one-at-a-time ``if got > score`` walk ends on), else ``best``."""
    for cand, got in zip(cands, scores):
        if got > score:
            best, score = cand, got
    return best, score


def refine_all(gx: np.ndarray, gy: np.ndarray, cs: list[Circle]) -> list[Circle]:
    """:func:`refine` of each of ``cs``: the same circles, with every candidate circle of each step scored in one
    numpy pass (:func:`_rim_strength_each`: the same numbers as :func:`rim_strength` one at a time). A circle's own
    score is that of its (0, 0) move."""
    if not cs:
        return []
    moved = [Circle(c.x + dx, c.y + dy, c.r) for c in cs for dx, dy in _MOVES]
    scores = _rim_strength_each(gx, gy, moved)
    k = len(_MOVES)
    own = _MOVES.index((0, 0))
    centres: list[tuple[Circle, float]] = []
    for i, c in enumerate(cs):
        mine = scores[i * k : (i + 1) * k]
        centres.append(_first_best(moved[i * k : (i + 1) * k], mine, c, mine[own]))
    sized = [
        [cand for dr in range(-REFINE_PX, REFINE_PX + 1) if (cand := Circle(b.x, b.y, b.r + dr)).r > 0]
        for b, _ in centres
    ]
    flat = _rim_strength_each(gx, gy, [cand for group in sized for cand in group])
    out: list[Circle] = []
    at = 0
    for (best, score), group in zip(centres, sized):
        out.append(_first_best(group, flat[at : at + len(group)], best, score)[0])
        at += len(group)
    return out


@dataclass
class Look:
    """One frame looked at: the gradient of the blurred grey crop around the bar point, where the crop sits in the
    picture (``x0``, ``y0``) and the picture's scale to the sequence's pixels (``scale``), the bar point and the leg
    length in crop pixels, and the plate-sized circles on the bar found in it (crop pixels).

    Filmed off the side the crop is stretched across by ``stretch`` (:func:`plate_stretch`: the plate's ellipse made a
    circle; ``x0`` is then in stretched pixels) and the plate's centre may sit up to ``reach`` crop pixels across
    from the bar point, either way (:func:`plate_reach_leg`)."""

    gx: np.ndarray
    gy: np.ndarray
    x0: float
    y0: float
    scale: float
    bar: FloatArray
    leg: float
    circles: list[Circle]
    stretch: float = 1.0
    reach: float = 0.0

    def to_sequence(self, c: Circle) -> Circle:
        """A circle of this crop in the sequence's pixels (its radius: the plate's height; across it is
        ``radius / stretch``)."""
        return Circle((c.x + self.x0) / (self.scale * self.stretch), (c.y + self.y0) / self.scale, c.r / self.scale)


def look(
    grey: np.ndarray, bar: FloatArray, leg: float, config: PlateConfig, scale: float = 1.0, off_side_deg: float = 0.0
) -> Look | None:
    """Look for the plate in one grey picture around the bar point (``bar``, ``leg``: pixels of ``grey``; ``scale``:
    ``grey``'s pixels per sequence pixel): the circles of plate size centred on the bar (within
    ``max_centre_offset`` radii) whose rim the picture's edges follow. Which of them is the plate is decided over
    the rep (:func:`pick_plate`). None when the bar point or the leg length is unknown or the crop too small.

    ``off_side_deg``: the camera's angle off the side (the shot's, as measured); past 0 the crop is stretched
    across to make the plate's ellipse a circle and the centre may sit along the bar's axis off the bar point
    (:class:`Look`). 0 looks as from the side."""
    import cv2

    if not (np.isfinite(bar).all() and np.isfinite(leg) and leg > 0):
        return None
    r_min, r_max = config.min_radius_leg * leg, config.max_radius_leg * leg
    if r_max < 3:
        return None
    stretch, reach = plate_stretch(off_side_deg), plate_reach_leg(off_side_deg, config) * leg
    half = r_max * (1.0 + config.max_centre_offset) + RIM_SLACK_PX + BLUR_PX
    h, w = grey.shape[:2]
    x0, x1 = int(max(0, np.floor(bar[0] - half - reach))), int(min(w, np.ceil(bar[0] + half + reach)))
    y0, y1 = int(max(0, np.floor(bar[1] - half))), int(min(h, np.ceil(bar[1] + half)))
    if x1 - x0 < 2 * r_min / stretch or y1 - y0 < 2 * r_min:
        return None
    crop = np.ascontiguousarray(grey[y0:y1, x0:x1])
    # the circle finder's cost grows with the radii it tries: a lifter large on screen is looked at smaller
    shrink = min(1.0, MAX_LEG_PX / leg)
    if shrink < 1.0 or stretch != 1.0:
        size = (max(1, round(crop.shape[1] * shrink * stretch)), max(1, round(crop.shape[0] * shrink)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if stretch == 1.0 else cv2.INTER_LINEAR)
        r_min, r_max, leg = r_min * shrink, r_max * shrink, leg * shrink
    crop = cv2.medianBlur(crop, BLUR_PX)
    gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3)
    across = np.array([shrink * stretch, shrink])
    corner = np.array([x0, y0], float) * across
    out = Look(
        gx,
        gy,
        float(corner[0]),
        float(corner[1]),
        scale * shrink,
        np.asarray(bar, float) * across - corner,
        leg,
        [],
        stretch,
        reach * shrink * stretch,
    )
    found = cv2.HoughCircles(
        crop,
        cv2.HOUGH_GRADIENT,
        dp=HOUGH_DP,
        minDist=max(2.0, 0.5 * r_min),
        param1=HOUGH_CANNY_HIGH,
        param2=HOUGH_VOTES,
        minRadius=int(np.floor(r_min)),
        maxRadius=int(np.ceil(r_max)),
    )
    if found is None:
        return out
    proposed = [
        Circle(float(cx), float(cy), float(r)) for cx, cy, r in np.asarray(found).reshape(-1, 3)[:MAX_CANDIDATES]
    ]
    proposed = [c for c in proposed if r_min <= c.r <= r_max and on_bar(out, c, config)]
    # far from a rim: not worth fitting
    near = [c for c, (on_rim, _) in zip(proposed, rim_shares(gx, gy, proposed)) if on_rim >= 0.5 * config.min_rim_share]
    fitted = refine_all(gx, gy, near)
    out.circles.extend(c for c, ok in zip(fitted, are_plates(out, fitted, config)) if ok)
    return out


def on_bar(lk: Look, c: Circle, config: PlateConfig) -> bool:
    """Whether ``c`` (crop pixels) is centred within ``max_centre_offset`` radii of the bar point, or, filmed off the
    side, of the stretch of the bar's axis ``reach`` either way across from it (:class:`Look`)."""
    across = max(abs(c.x - lk.bar[0]) - lk.reach, 0.0)
    return bool(np.hypot(across, c.y - lk.bar[1]) <= config.max_centre_offset * c.r)


def is_plate(lk: Look, c: Circle, config: PlateConfig) -> bool:
    """Whether the picture's edges follow ``c``'s rim (``min_rim_share``) with enough of it in the frame (the crop
    is cut only by the frame's edge, so the rim outside the crop is outside the frame)."""
    on_rim, in_frame = rim_share(lk.gx, lk.gy, c)
    return on_rim >= config.min_rim_share and in_frame >= config.min_rim_in_frame_share


def are_plates(lk: Look, cs: list[Circle], config: PlateConfig) -> list[bool]:
    """:func:`is_plate` of each of ``cs``, their rims read in one numpy pass (:func:`rim_shares`)."""
    return [
        on_rim >= config.min_rim_share and in_frame >= config.min_rim_in_frame_share
        for on_rim, in_frame in rim_shares(lk.gx, lk.gy, cs)
    ]


#: :func:`search_radius`'s step (pixels) between the centres it tries off the side; :func:`refine` then moves the best by
#: up to :data:`REFINE_PX` either way, so no centre between two tried ones is missed.
SEARCH_STEP_OBLIQUE_PX = 4.0


def search_radius(lk: Look, r: float, config: PlateConfig) -> Circle | None:
    """The plate of a known radius ``r`` (crop pixels) in a look where the circle finder did not propose it: every
    centre on the bar (2 px steps; :data:`SEARCH_STEP_OBLIQUE_PX` along the bar's axis off the side) tried, the one
    whose rim the edges follow best fitted (:func:`refine`) and kept when it passes :func:`is_plate`."""
    reach = config.max_centre_offset * r
    # off the side the band along the bar is wide: tried every SEARCH_STEP_OBLIQUE_PX (refine moves it the rest)
    step = 2.0 if lk.reach == 0 else SEARCH_STEP_OBLIQUE_PX
    offsets = np.arange(-reach, reach + 1e-9, step)
    dx, dy = np.meshgrid(np.arange(-reach - lk.reach, reach + lk.reach + 1e-9, step), offsets)
    keep = np.hypot(np.maximum(np.abs(dx) - lk.reach, 0.0), dy) <= reach
    xs, ys = lk.bar[0] + dx[keep], lk.bar[1] + dy[keep]
    if xs.size == 0:
        return None
    k = int(np.argmax(rim_strengths(lk.gx, lk.gy, xs, ys, r)))
    c = refine(lk.gx, lk.gy, Circle(float(xs[k]), float(ys[k]), r))
    return c if on_bar(lk, c, config) and is_plate(lk, c, config) else None


def pick_plate(candidates: list[list[Circle]], config: PlateConfig, nearer: bool = False) -> list[Circle | None]:
    """The plate among each look's ``candidates``: a plate is rigid, so it is the radius found in the most looks
    (within ``radius_tolerance``; ties to the larger: the rim, not the hub), and in each look the candidate nearest
    that radius (None where no candidate has it).

    ``nearer`` (filmed off the side, where the two plates stand apart on screen and both are on the bar's axis): the
    largest radius found in at least half as many looks as the most found one (and in :data:`MIN_SEED_LOOKS`): the
    near plate is the nearer one to the camera, so the larger on screen; the far one is behind the lifter."""
    radii = sorted({c.r for cs in candidates for c in cs}, reverse=True)
    counts = [sum(any(abs(c.r - r) <= config.radius_tolerance * r for c in cs) for cs in candidates) for r in radii]
    best_r, best_n = float("nan"), 0
    for r, n in zip(radii, counts):
        if n > best_n:
            best_r, best_n = r, n
    if best_n == 0:
        return [None] * len(candidates)
    if nearer:  # radii run from the largest down: the first found often enough
        best_r = next(r for r, n in zip(radii, counts) if n >= max(MIN_SEED_LOOKS, 0.5 * best_n) or n == best_n)
    # the radius the agreeing looks share: their median (the first pick is only the cluster's seed)
    agreeing = [
        min(cs, key=lambda c: abs(c.r - best_r))
        for cs in candidates
        if any(abs(c.r - best_r) <= config.radius_tolerance * best_r for c in cs)
    ]
    best_r = float(np.median([c.r for c in agreeing]))
    out: list[Circle | None] = []
    for cs in candidates:
        near = [c for c in cs if abs(c.r - best_r) <= config.radius_tolerance * best_r]
        out.append(min(near, key=lambda c: abs(c.r - best_r)) if near else None)
    return out


def sample_rows(t: FloatArray, reps: list[Rep], every_s: float) -> dict[int, list[int]]:
    """Per rep, the sequence rows looked at: from its start to its end, one every ``every_s``."""
    out: dict[int, list[int]] = {}
    for rep in reps:
        rows: list[int] = []
        last = -np.inf
        for i in range(rep.start, max(rep.end, rep.start + 1)):
            if i < len(t) and t[i] - last >= every_s - 1e-9:
                rows.append(i)
                last = t[i]
        out[rep.index] = rows
    return out


def track_frames(
    frames: Iterable[Frame],
    t: FloatArray,
    bar: FloatArray,
    width: int,
    reps: list[Rep],
    leg_px: float,
    config: PlateConfig,
    off_side: FloatArray | None = None,
) -> PlateTrack:
    """The plate track from ``frames`` (in time order, covering the rows :func:`sample_rows` picks); ``t``,
    ``bar`` (the bar point per row) and ``leg_px`` are in the sequence's pixels of a ``width``-wide picture;
    ``off_side``: the camera's angle off the side per row (:class:`PlateSearch`)."""
    search = PlateSearch(t, bar, width, reps, leg_px, config, off_side=off_side)
    for frame in frames:
        search.feed(frame)
    return search.finish()


#: The looks at one frame: as from the side, and as filmed off the side (None where the shot is filmed from the side).
_Looks = tuple[Look | None, Look | None]

#: Whether a rep is still counted: True, False (dropped: it gets no plate and frees its looks), or None while
#: not known yet (its decision waits, and with it every later rep's).
KeptFn = Callable[[int], bool | None]


class PlateSearch:
    """:func:`track_frames` a frame at a time (:meth:`feed`), for a decoding pass that also serves other readers
    (:mod:`formcheck.rescan`). Only the looks of the reps not yet decided are held (one rep's, mostly).

    ``kept(index)`` says whether a rep of ``reps`` is still counted: the bar check (:mod:`formcheck.barbell`),
    reading the same frames, knows it only at the rep's lockout. A frame of a rep not known yet is kept as it is
    (the small grey picture) and looked at once the rep is known to count; a dropped rep is as if it had never
    been given: its frames are not looked at, the reps after it are decided as without it, and :meth:`finish`
    leaves it out. A rep's decision waits until it is known (and every later rep's with it).

    ``off_side`` (degrees per row, the shot's camera angle off the side as measured; None or 0: from the side): the
    looks there stretch the picture across and follow the bar's axis off the bar point (:func:`look`), and a rep
    looked at off the side takes the nearer of the two plates (:func:`pick_plate`).
    """

    def __init__(
        self,
        t: FloatArray,
        bar: FloatArray,
        width: int,
        reps: list[Rep],
        leg_px: float,
        config: PlateConfig,
        kept: KeptFn | None = None,
        off_side: FloatArray | None = None,
    ) -> None:
        n = len(t)
        self.off_side = np.zeros(n) if off_side is None else np.nan_to_num(np.asarray(off_side, dtype=float))
        self.stretch = np.ones(n)
        self.t, self.bar, self.width, self.reps, self.leg_px, self.config = t, bar, width, reps, leg_px, config
        self.kept: KeptFn = kept if kept is not None else (lambda index: True)
        self.looks = sample_rows(t, reps, config.sample_every_s)
        self.reps_at: dict[int, list[int]] = {}  # row -> the reps that look at it
        for rep in reps:
            for row in self.looks[rep.index]:
                self.reps_at.setdefault(row, []).append(rep.index)
        self.last_look = {rep.index: max(self.looks[rep.index], default=-1) for rep in reps}
        # the looks of the reps not yet decided (one rep's at a time, mostly): as from the side, and off the side
        self.seen: dict[int, _Looks] = {}
        self.waiting: dict[int, np.ndarray] = {}  # the grey pictures of rows whose reps are not known yet
        self.centre, self.radius = np.full((n, 2), np.nan), np.full(n, np.nan)
        self.placed = np.zeros(n, np.int8)
        self.decided: dict[int, RepPlate | None] = {}  # None: dropped
        self.by_index = {rep.index: rep for rep in reps}
        self.half_frame = 0.5 * float(np.median(np.diff(t))) if n > 1 else 0.02

    def feed(self, frame: Frame) -> None:
        """One more frame (in time order)."""
        t, n = self.t, len(self.t)
        row = int(np.clip(np.searchsorted(t, frame.t), 0, n - 1))
        if row > 0 and abs(t[row - 1] - frame.t) < abs(t[row] - frame.t):
            row -= 1
        if (
            row not in self.reps_at
            or row in self.seen
            or row in self.waiting
            or abs(t[row] - frame.t) > self.half_frame
        ):
            return
        grey = frame.rgb if frame.rgb.ndim == 2 else frame.rgb.mean(axis=2).astype(np.uint8)
        counted = [self.kept(i) for i in self.reps_at[row]]
        if True in counted:
            self.seen[row] = self._look(row, grey)
        elif None in counted:
            self.waiting[row] = grey
        else:  # every rep that would look at it was dropped
            return
        for index, last in self.last_look.items():
            if index not in self.decided and row >= last and not self._decide(index):
                break  # not known yet whether it is still counted: it and every rep after it wait

    def _look(self, row: int, grey: np.ndarray) -> _Looks:
        s = grey.shape[1] / float(self.width)
        bar, leg, angle = self.bar[row] * s, self.leg_px * s, float(self.off_side[row])
        side = look(grey, bar, leg, self.config, s)
        return side, (look(grey, bar, leg, self.config, s, angle) if angle > 0 else None)

    def _take(self, row: int) -> _Looks:
        """The looks at ``row`` (made now if its picture waited), no longer held."""
        if row in self.waiting:
            return self._look(row, self.waiting.pop(row))
        return self.seen.pop(row, (None, None))

    def _decide(self, index: int) -> bool:
        """Decide rep ``index`` (or drop it); False when whether it is still counted is not known yet."""
        kept = self.kept(index)
        if kept is None:
            return False
        rows = self.looks[index]
        if not kept:
            later = {row for i, rs in self.looks.items() if i not in self.decided and i != index for row in rs}
            for row in rows:
                if row not in later:
                    self.seen.pop(row, None)
                    self.waiting.pop(row, None)
            self.decided[index] = None
            return True
        taken = [self._take(r) for r in rows]
        side, oblique = [lk for lk, _ in taken], [lk for _, lk in taken]
        if not any(lk is not None for lk in oblique):
            self.decided[index] = self._decide_into(index, side, commit=True)[0]
            return True
        # filmed off the side: the plate as an ellipse along the bar, unless it shows as from the side in more looks
        # (a close camera looks straight at the near plate, whatever its angle to the lifter: real clip_014)
        as_side, side_arrays = self._decide_into(index, side, commit=False)
        as_oblique, oblique_arrays = self._decide_into(index, oblique, commit=False)
        if as_oblique.accepted and not (as_side.accepted and as_side.agreed >= as_oblique.agreed):
            self.decided[index], arrays = as_oblique, oblique_arrays
        else:
            self.decided[index], arrays = as_side, side_arrays
        self.centre, self.radius, self.placed, self.stretch = arrays
        return True

    def _decide_into(
        self, index: int, looks: list[Look | None], commit: bool
    ) -> tuple[RepPlate, tuple[FloatArray, FloatArray, Int8Array, FloatArray]]:
        """:func:`_decide` rep ``index`` from ``looks``, written into the track when ``commit``, else into a copy of
        it (to be weighed); the decision and the arrays written."""
        arrays = (self.centre, self.radius, self.placed, self.stretch)
        if not commit:
            arrays = (arrays[0].copy(), arrays[1].copy(), arrays[2].copy(), arrays[3].copy())
        centre, radius, placed, stretch = arrays
        out = _decide(
            self.by_index[index],
            self.looks[index],
            looks,
            self.t,
            self.leg_px,
            self.config,
            centre,
            radius,
            self.bar,
            placed,
            stretch,
        )
        return out, arrays

    def finish(self) -> PlateTrack:
        """The track of the reps still counted, in the order of ``reps``; no frame follows, and ``kept`` must
        know every rep now."""
        for rep in self.reps:
            if rep.index not in self.decided and not self._decide(rep.index):
                raise ValueError(f"rep {rep.index}: not known whether it is still counted")
        rows_out = [p for rep in self.reps if (p := self.decided[rep.index]) is not None]
        oblique = bool(np.any(self.stretch != 1.0))
        return PlateTrack(
            self.centre, self.radius, rows_out, placed=self.placed, stretch=self.stretch if oblique else None
        )


#: A rep's plate radius is taken from the circle finder's proposals only when at least this many looks agree on it;
#: then the looks where it proposed nothing of that size are searched for a circle of that radius.
MIN_SEED_LOOKS = 2


def _decide(
    rep: Rep,
    rows: list[int],
    looks: list[Look | None],
    t: FloatArray,
    leg_px: float,
    config: PlateConfig,
    centre: FloatArray,
    radius: FloatArray,
    bar: FloatArray | None = None,
    placed: Int8Array | None = None,
    stretch: FloatArray | None = None,
) -> RepPlate:
    """One rep's plate from its looks (``rows``): the radius that stays (:func:`pick_plate`), searched for again
    where it was not proposed (:func:`search_radius`); written into ``centre`` and ``radius`` when accepted.

    ``bar`` (the bar point per row, sequence pixels): where the looks did not place the plate, an accepted plate
    follows the bar point at its offset from it in the looks that did (:func:`follow_bar`). ``placed``
    (:attr:`PlateTrack.placed`) records which of the rows looked at found it; ``stretch``
    (:attr:`PlateTrack.stretch`) how much the looks stretched the picture across, where the plate is written."""
    n = len(t)
    oblique = [lk.stretch for lk in looks if lk is not None and lk.stretch != 1.0]
    picked = pick_plate([lk.circles if lk is not None else [] for lk in looks], config, nearer=bool(oblique))
    found = sum(1 for lk in looks if lk is not None and lk.circles)
    seeds = [c.r for c in picked if c is not None]
    if len(seeds) >= MIN_SEED_LOOKS:
        r_seed = float(np.median(seeds))
        picked = [
            c if c is not None or lk is None else search_radius(lk, r_seed, config) for c, lk in zip(picked, looks)
        ]
    agreed = [(row, lk.to_sequence(c)) for row, c, lk in zip(rows, picked, looks) if c is not None and lk is not None]
    ok = len(agreed) >= max(MIN_SEED_LOOKS, config.min_found_share * len(rows))
    median_r = float(np.median([c.r for _, c in agreed])) if agreed else float("nan")
    out = RepPlate(rep.index, len(rows), found, len(agreed), median_r / leg_px, ok)
    if not ok:
        return out
    if placed is not None:
        for row, c, lk in zip(rows, picked, looks):  # a row two reps look at keeps the other's find
            placed[row] = 1 if (c is not None and lk is not None) or placed[row] == 1 else -1
    # the rep and its start position before it, which the rules read too (rdl.knees_locked, rdl.knees_frozen)
    first, stop = rep_frames(rep)
    span = np.arange(first, min(stop, n))
    at = np.array([t[row] for row, _ in agreed])
    # a centre is never held still past the looks that found it (the bar moves on: at lockout a plate held from the
    # floor would hide the feet, not the hip); it follows the bar instead, or stops within one look's interval
    gap = np.min(np.abs(t[span][:, None] - at[None, :]), axis=1)
    k = np.searchsorted(at, t[span])
    between = (k > 0) & (k < at.size)
    k_lo, k_hi = np.clip(k - 1, 0, at.size - 1), np.clip(k, 0, at.size - 1)
    # between two looks that found it (at most two looks apart): interpolated; within one look's interval of one:
    # held; further, it follows the bar point when it can (follow_bar)
    seen = (gap <= config.sample_every_s + 1e-9) | (between & (at[k_hi] - at[k_lo] <= 2 * config.sample_every_s + 1e-9))
    held = span[seen]
    centre[held, 0] = np.interp(t[held], at, [c.x for _, c in agreed])
    centre[held, 1] = np.interp(t[held], at, [c.y for _, c in agreed])
    radius[held] = median_r
    if stretch is not None:
        stretch[held] = float(np.median(oblique)) if oblique else 1.0
    if bar is not None and (followed := follow_bar(agreed, bar, span[~seen], median_r, config)) is not None:
        on_bar_rows, centres = followed
        centre[on_bar_rows] = centres
        radius[on_bar_rows] = median_r
        if stretch is not None:
            stretch[on_bar_rows] = float(np.median(oblique)) if oblique else 1.0
    return out


def follow_bar(
    agreed: list[tuple[int, Circle]], bar: FloatArray, rows: IntArray, r: float, config: PlateConfig
) -> tuple[IntArray, FloatArray] | None:
    """Where an accepted plate is at ``rows``, which no look placed it at: at the bar point plus the plate centre's
    offset from it in the looks that found it (their median), the rows where the bar point is known; None when those
    offsets disagree by more than ``follow_bar_max_spread`` of the radius ``r`` (median distance from their median).

    A plate is fixed on the bar, and the bar point (the hands on a hinge, the hips on a thrust) moves with it: a rep
    whose plate the finder saw at the floor but not at lockout (an arm across its rim, the stairs behind it: clip_024)
    still has it in front of the hip at lockout, where holding the last seen centre would put it at the knees."""
    offsets = np.array([(c.x, c.y) for _, c in agreed], dtype=float).reshape(-1, 2) - bar[[row for row, _ in agreed]]
    offsets = offsets[np.isfinite(offsets).all(axis=1)]
    if len(offsets) < MIN_SEED_LOOKS or not (np.isfinite(r) and r > 0):
        return None
    typical = np.median(offsets, axis=0)
    if float(np.median(np.hypot(*(offsets - typical).T))) > config.follow_bar_max_spread * r:
        return None
    known = rows[np.isfinite(bar[rows]).all(axis=1)]
    return known, bar[known] + typical


def find_plates(
    video: str | Path,
    t: FloatArray,
    bar: FloatArray,
    width: int,
    reps: list[Rep],
    leg_px: float,
    config: PlateConfig,
    grey: GreyFrameStore | None = None,
    off_side: FloatArray | None = None,
) -> PlateTrack:
    """:func:`track_frames` on ``video``, decoded once from the first rep's start to the last rep's end (only the
    frames looked at are converted, grey and scaled). A video that cannot be read gives no plate, said so.
    ``grey``: the video's grey frames kept from the pose pass, read instead of decoding when every frame is in it
    at this size (:mod:`formcheck.greystore`: the same pictures); a failed read decodes after all. ``off_side``: the
    camera's angle off the side per row (:class:`PlateSearch`)."""
    n = len(t)
    if not reps:
        return PlateTrack.none(n, "no reps")
    if not (np.isfinite(leg_px) and leg_px > 0):
        return PlateTrack.none(n, "the lifter's leg length is unknown")
    looks = sample_rows(t, reps, config.sample_every_s)
    times = np.array(sorted(t[row] for rows in looks.values() for row in rows))
    if times.size == 0:
        return PlateTrack.none(n, "no frames to look at")
    half_frame = 0.5 * float(np.median(np.diff(t))) if n > 1 else 0.02

    def keep(ts: float) -> bool:
        k = int(np.searchsorted(times, ts))
        return any(0 <= j < times.size and abs(times[j] - ts) <= half_frame for j in (k - 1, k))

    if grey is not None and grey.usable and grey.max_side == config.max_side_px:
        try:
            return track_frames(
                grey.frames(start_s=float(times[0]) - half_frame, stop_s=float(times[-1]) + half_frame, keep=keep),
                t,
                bar,
                width,
                reps,
                leg_px,
                config,
                off_side,
            )
        except OSError:
            pass  # the kept pictures could not be read back: decoded as without them
    try:
        frames = iter_frames(
            video,
            max_side=config.max_side_px,
            start_s=float(times[0]) - half_frame,
            stop_s=float(times[-1]) + half_frame,
            keep=keep,
            pixels="gray",
            skip_unkept=True,  # the frames between looks that no frame refers to are not decoded
        )
        return track_frames(frames, t, bar, width, reps, leg_px, config, off_side)
    except (FormcheckError, OSError) as exc:
        return PlateTrack.none(n, f"the video could not be read again ({exc})")
