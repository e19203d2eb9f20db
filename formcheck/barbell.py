"""Did the bar come up with the lifter? A check on the video for hinge reps.

A lifter who sets the bar down, lets go and stands up looks, in the landmarks, exactly like one
more rep. What tells them apart is the bar: in a rep it rises with the hands, otherwise it stays on
the floor. For each hinge rep this module follows the points of the picture where the bar is at the
bottom (around the hands, with the lifter's limbs and hands masked out) from the bottom frame to
the lockout frame with pyramidal Lucas-Kanade optical flow (OpenCV), takes out the camera's own
motion, and counts how many of them rose with the hands and how many stayed put. Many points
followed, nearly all of them still and none rising: the bar stayed down and the rep is not counted.

The camera's motion is a homography fitted with RANSAC to the background points (their median shift when
too few agree on one): a camera that tilts, turns or zooms moves every point of the picture by one
homography, which one shift for the whole picture (what this module measured before) only approximates,
and the hands' rise is measured against it, so a camera that tilts up to follow the lifter does not hide
the rise. A camera that walks in moves the floor near it otherwise than the far background (parallax),
which no one model takes out; when the points are lost before lockout (motion blur, the lifter walking
across), the verdict is read at the last frame where enough of them were still followed, once the hands
had risen far enough by then for a bar in them to have moved well past the "still" allowance.

Only this module, ``video``, ``pose`` and the overlay writer import OpenCV. Frames are streamed: only
the previous frame is held.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .config import BarConfig
from .errors import FormcheckError
from .landmarks import EDGES, Landmark
from .types import Rep
from .video import Frame, iter_frames

WRISTS = (Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST)
#: Hand landmarks masked out around the wrists (wrists, pinkies, index fingers, thumbs).
HANDS = (
    Landmark.LEFT_WRIST,
    Landmark.RIGHT_WRIST,
    Landmark.LEFT_PINKY,
    Landmark.RIGHT_PINKY,
    Landmark.LEFT_INDEX,
    Landmark.RIGHT_INDEX,
    Landmark.LEFT_THUMB,
    Landmark.RIGHT_THUMB,
)
TORSO = (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.LEFT_HIP)
#: Lucas-Kanade window (pixels) and pyramid levels; a point whose backward track misses its start
#: by more than FB_MAX_PX is lost.
LK_WINDOW_PX = 21
LK_LEVELS = 3
FB_MAX_PX = 1.0
#: Corner detector: most points, relative quality, and fewest background points to measure the camera.
MAX_POINTS = 200
CORNER_QUALITY = 0.01
MIN_BACKGROUND_POINTS = 5
#: Fewest points a homography is fitted to (RANSAC needs 4; more, for a fit that a few wrong points do not
#: carry), and the fewest of them it must agree with (inliers).
MIN_FIT_POINTS = 20
MIN_FIT_INLIERS = 15
#: ...and at least this share of the points: fewer, and the fit follows some of them (points the lifter drags
#: along as she crosses them), not the scene (on clip_082's stand-up, where the lifter walks across the picture,
#: fits to a dozen points read 29 % of a still background as rising).
MIN_FIT_SHARE = 0.5
#: A bar point "rose with the hands" only at frames with at least this share of the background points still
#: followed: with fewer, the camera's motion is measured on the few left (on clip_082's stand-up without the bar,
#: where the lifter walks across the picture, a still background then read as rising).
MIN_BACKGROUND_SHARE = 0.5
#: RANSAC's reprojection tolerance (frame pixels, at most ``bar.max_side_px`` on a side): a background point
#: further than this from where the fitted camera motion puts it is not on the plane the fit follows.
FIT_TOLERANCE_PX = 2.0


@dataclass(frozen=True)
class BarCheck:
    """The bar check of one rep. ``verdict``: ``with_bar``, ``without_bar`` or ``unknown``."""

    rep: int
    verdict: str
    reason: str
    points: int = 0
    tracked: float = float("nan")
    stayed: float = float("nan")
    rose: float = float("nan")

    def to_dict(self) -> dict:
        return {
            k: (round(v, 3) if isinstance(v, float) and np.isfinite(v) else (None if isinstance(v, float) else v))
            for k, v in asdict(self).items()
        }


@dataclass(frozen=True)
class BarCheckRow:
    """A bar check as the report shows it: the rep's number after dropping (None when dropped), its times."""

    check: BarCheck
    rep: int | None
    counted: bool
    t_bottom: float
    t_lockout: float

    def to_dict(self) -> dict:
        return {
            **self.check.to_dict(),
            "rep": self.rep,
            "counted": self.counted,
            "t_bottom": round(self.t_bottom, 3),
            "t_lockout": round(self.t_lockout, 3),
        }


@dataclass(frozen=True)
class BarResult:
    """Reps left after dropping those whose bar stayed on the floor (renumbered), and every check."""

    reps: list[Rep]
    rows: list[BarCheckRow]
    #: Times (lockout, s) of the reps dropped because the lifter stood up without the bar.
    dropped_at: list[float]


def drop_reps_without_bar(
    video: str | Path, t: np.ndarray, xy: np.ndarray, width: int, reps: list[Rep], leg_px: float, config: BarConfig
) -> BarResult:
    """Check every hinge rep for a bar that stayed on the floor and drop those reps."""
    return apply_checks(check_video(video, t, xy, width, reps, leg_px, config), reps)


def apply_checks(checks: list[BarCheck], reps: list[Rep]) -> BarResult:
    """``reps`` without those whose bar stayed on the floor (renumbered), with the report rows of ``checks``."""
    gone = {c.rep for c in checks if c.verdict == "without_bar"}
    kept = [r for r in reps if r.index not in gone]
    number = {r.index: k + 1 for k, r in enumerate(kept)}
    by_index = {r.index: r for r in reps}
    rows = [
        BarCheckRow(c, number.get(c.rep), c.rep not in gone, by_index[c.rep].t_bottom, by_index[c.rep].t_lockout)
        for c in checks
    ]
    dropped_at = [by_index[i].t_lockout for i in sorted(gone)]
    return BarResult([replace(r, index=number[r.index]) for r in kept], rows, dropped_at)


def check_video(
    path: str | Path, t: np.ndarray, xy: np.ndarray, width: int, reps: list[Rep], leg_px: float, config: BarConfig
) -> list[BarCheck]:
    """:func:`check_reps` on the frames of ``path`` from each rep's bottom to its lockout (only those
    frames are converted; distant reps are reached by seeking).

    A video that cannot be read gives ``unknown`` for every rep (the reps count).
    """
    out: list[BarCheck] = []
    for group in plan_groups(reps, t, xy):
        try:
            # grey straight from the decoder: the check follows points in grey pictures only
            frames = iter_frames(
                path,
                max_side=config.max_side_px,
                start_s=group.start_s,
                stop_s=group.stop_s,
                keep=group.inside,
                pixels="gray",
            )
            out += check_reps(frames, t, xy, width, group.reps, leg_px, config)
        except (FormcheckError, OSError) as exc:
            out += [BarCheck(r.index, "unknown", f"the video could not be read again ({exc})") for r in group.reps]
    return out


@dataclass(frozen=True)
class RepGroup:
    """Reps read in one pass of the decoder, and the time windows (s) of their frames: each rep's pull
    (:func:`pull_start`) to its lockout."""

    reps: list[Rep]
    windows: list[tuple[float, float]]

    @property
    def start_s(self) -> float:
        return self.windows[0][0]

    @property
    def stop_s(self) -> float:
        return self.windows[-1][1]

    def inside(self, ts: float) -> bool:
        """Whether a frame at ``ts`` is one the check reads."""
        return any(a <= ts <= b for a, b in self.windows)


def plan_groups(reps: list[Rep], t: np.ndarray, xy: np.ndarray) -> list[RepGroup]:
    """The reps in decoding passes (:data:`SEEK_GAP_S`), with their frames' windows."""
    return [
        RepGroup(group, [(float(t[pull_start(xy, r)]) - 1e-6, float(t[r.lockout]) + 1e-6) for r in group])
        for group in _groups(reps, t, xy)
    ]


#: Reps closer than this (seconds from one lockout to the next bottom) are read in one pass; further
#: apart, the decoder seeks to the next one instead of decoding what lies between.
SEEK_GAP_S = 4.0


def _groups(reps: list[Rep], t: np.ndarray, xy: np.ndarray) -> list[list[Rep]]:
    groups: list[list[Rep]] = []
    for rep in sorted(reps, key=lambda r: r.bottom):
        if groups and t[pull_start(xy, rep)] - t[groups[-1][-1].lockout] < SEEK_GAP_S:
            groups[-1].append(rep)
        else:
            groups.append([rep])
    return groups


def check_reps(
    frames: Iterable[Frame],
    t: np.ndarray,
    xy: np.ndarray,
    width: int,
    reps: list[Rep],
    leg_px: float,
    config: BarConfig,
) -> list[BarCheck]:
    """Check every rep on ``frames`` (in time order, covering each rep's bottom to lockout).

    ``t`` and ``xy`` are the sequence's times and cleaned landmarks (pixels of a ``width``-wide
    picture); frames are matched to sequence rows by time.
    """
    checks = RepChecks(t, xy, width, reps, leg_px, config)
    for frame in frames:
        checks.feed(frame)
    return checks.finish()


class RepChecks:
    """:func:`check_reps` a frame at a time (:meth:`feed`), for a decoding pass that also serves other readers
    (:mod:`formcheck.rescan`). Only the previous frame is held."""

    def __init__(
        self, t: np.ndarray, xy: np.ndarray, width: int, reps: list[Rep], leg_px: float, config: BarConfig
    ) -> None:
        self.t, self.xy, self.width, self.reps, self.leg_px, self.config = t, xy, width, reps, leg_px, config
        self.pending = sorted(reps, key=lambda r: r.bottom)
        self.starts = {r.index: pull_start(xy, r) for r in reps}
        #: The checks decided so far, by rep index.
        self.done: dict[int, BarCheck] = {}
        self.tracker: _Tracker | None = None
        self.half_frame = 0.5 * float(np.median(np.diff(t))) if len(t) > 1 else 0.02
        self.finished = False

    def feed(self, frame: Frame) -> None:
        """One more frame (in time order)."""
        t = self.t
        row = int(np.clip(np.searchsorted(t, frame.t), 0, len(t) - 1))
        if row > 0 and abs(t[row - 1] - frame.t) < abs(t[row] - frame.t):
            row -= 1
        if abs(t[row] - frame.t) > self.half_frame:
            return
        if self.tracker is None and self.pending and row >= self.starts[self.pending[0].index]:
            rep = self.pending.pop(0)
            tracker, verdict = _Tracker.start(rep, row, frame.rgb, self.xy, self.width, self.leg_px, self.config)
            if verdict is not None:
                self.done[rep.index], tracker = verdict, None
            self.tracker = tracker
            return
        if self.tracker is not None:
            self.tracker.step(frame.rgb, row)
            if row >= self.tracker.rep.lockout:
                self.done[self.tracker.rep.index] = self.tracker.verdict()
                self.tracker = None

    def finish(self) -> list[BarCheck]:
        """Every rep's check, in the order of ``reps``; no frame follows."""
        if self.tracker is not None:
            self.done[self.tracker.rep.index] = self.tracker.verdict()
            self.tracker = None
        self.finished = True
        return [
            self.done.get(r.index, BarCheck(r.index, "unknown", "the rep's frames could not be decoded"))
            for r in self.reps
        ]


#: The pull starts at the last frame before lockout with the hands within this share of their rise
#: from the bottom: a long set-up at the bar is not followed (less time for points to drift, less to decode).
PULL_START_SHARE = 0.1


def pull_start(xy: np.ndarray, rep: Rep) -> int:
    """Sequence row where the hands start rising for good towards lockout (``rep.bottom`` if unknown)."""
    y = np.array(
        [np.nan if (p := _mean_point(xy, i, WRISTS)) is None else p[1] for i in range(rep.bottom, rep.lockout + 1)]
    )
    if len(y) < 2 or not np.isfinite(y[0]) or not np.isfinite(y[-1]) or y[0] <= y[-1]:
        return rep.bottom
    low = np.flatnonzero(y >= y[0] - PULL_START_SHARE * (y[0] - y[-1]))
    return rep.bottom + int(low[-1]) if low.size else rep.bottom


def _grey(rgb: np.ndarray) -> np.ndarray:
    """The grey picture of a frame: RGB converted, or a grey one (2-D, decoded as grey) as it is."""
    import cv2

    if rgb.ndim == 2:
        return np.ascontiguousarray(rgb)
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


def _mean_point(xy: np.ndarray, row: int, landmarks) -> np.ndarray | None:
    pts = [xy[row, lm] for lm in landmarks if np.isfinite(xy[row, lm]).all()]
    return np.mean(pts, axis=0) if pts else None


def _body_mask(shape: tuple[int, int], pts: np.ndarray, limb_px: float, hand_px: float) -> np.ndarray:
    """The lifter drawn as thick limbs, a filled torso and discs over the hands and the head."""
    import cv2

    mask = np.zeros(shape, np.uint8)

    def at(p: np.ndarray) -> tuple[int, int]:
        return int(round(p[0])), int(round(p[1]))

    for a, b in EDGES:
        if np.isfinite(pts[a]).all() and np.isfinite(pts[b]).all():
            cv2.line(mask, at(pts[a]), at(pts[b]), 255, max(1, int(round(limb_px))))
    quad = [pts[i] for i in TORSO]
    if all(np.isfinite(p).all() for p in quad):
        cv2.fillConvexPoly(mask, np.array([at(p) for p in quad], np.int32), 255)
    for i in HANDS:
        if np.isfinite(pts[i]).all():
            cv2.circle(mask, at(pts[i]), max(1, int(round(hand_px))), 255, -1)
    return mask


class _Tracker:
    """Points where the bar is at one rep's bottom, followed frame by frame to its lockout."""

    def __init__(
        self,
        rep: Rep,
        grey: np.ndarray,
        points: np.ndarray,
        n_bar: int,
        hands: _Hands,
        config: BarConfig,
        floor_room: float = float("inf"),
    ) -> None:
        self.rep, self.prev, self.config = rep, grey, config
        self.start_pts = points
        self.cur = points.copy()
        self.n_bar = n_bar
        self.hands = hands
        self.floor_room = floor_room
        self.alive = np.ones(len(points), bool)
        self.best_up = np.zeros(n_bar)  # most upward displacement seen (pixels, negative = up), camera removed
        self.max_move = np.zeros(n_bar)  # largest displacement seen (pixels), camera removed
        #: Per frame followed: its sequence row, the bar's points still followed and how far each had moved
        #: at most (camera removed), and how far the hands had risen (frame pixels, camera removed; NaN when
        #: not seen).
        self.rows: list[int] = []
        self.alive_at: list[np.ndarray] = []
        self.moved_at: list[np.ndarray] = []
        self.rise_at: list[float] = []
        #: How the camera's motion was measured at each frame (:func:`camera_motion`'s second value).
        self.camera_at: list[str] = []

    @classmethod
    def start(
        cls, rep: Rep, row: int, rgb: np.ndarray, xy: np.ndarray, width: int, leg_px: float, config: BarConfig
    ) -> tuple[_Tracker | None, BarCheck | None]:
        import cv2

        grey = _grey(rgb)
        s = grey.shape[1] / float(width)
        leg = leg_px * s
        bottom = _mean_point(xy, row, WRISTS)
        top = _mean_point(xy, rep.lockout, WRISTS)
        if not np.isfinite(leg) or leg <= 0:
            return None, BarCheck(rep.index, "unknown", "the lifter's leg length is unknown")
        if bottom is None or top is None:
            return None, BarCheck(rep.index, "unknown", "the hands were not seen at the bottom and at lockout")
        bottom = bottom * s
        h, w = grey.shape
        half = config.region_half_height_leg * leg
        region = _rows(grey.shape, bottom[1] - half, bottom[1] + half)
        x0, x1 = (
            int(max(0, bottom[0] - config.region_half_width_leg * leg)),
            int(min(w, bottom[0] + config.region_half_width_leg * leg)),
        )
        region[:, :x0] = 0
        region[:, x1:] = 0
        body = _body_mask(grey.shape, xy[row] * s, config.limb_width_leg * leg, config.hand_radius_leg * leg)
        bar_area = cv2.bitwise_and(region, cv2.bitwise_not(body))
        grow = max(3, int(round(2.5 * config.limb_width_leg * leg)))
        background = cv2.bitwise_and(
            cv2.bitwise_not(region), cv2.bitwise_not(cv2.dilate(body, np.ones((grow, grow), np.uint8)))
        )
        bar_pts = cv2.goodFeaturesToTrack(grey, MAX_POINTS, CORNER_QUALITY, max(2, int(0.03 * leg)), mask=bar_area)
        if bar_pts is None or len(bar_pts) < config.min_points:
            return None, BarCheck(
                rep.index,
                "unknown",
                "too few trackable points where the bar is",
                points=0 if bar_pts is None else len(bar_pts),
            )
        # half the background points from the floor around the bar (beside the bar's region and below it), half
        # from the rest: the strongest corners of the whole background lie on the far wall and benches
        band = _rows(grey.shape, bottom[1] - half, bottom[1] + config.floor_band_leg * leg)
        spacing = max(3, int(0.05 * leg))
        bg = [
            cv2.goodFeaturesToTrack(grey, MAX_POINTS // 2, CORNER_QUALITY, spacing, mask=cv2.bitwise_and(background, m))
            for m in (band, cv2.bitwise_not(band))
        ]
        pts = np.concatenate([p for p in (bar_pts, *bg) if p is not None]).astype(np.float32)
        room = float(h - bottom[1]) / leg  # picture below the hands, leg lengths
        return cls(rep, grey, pts, len(bar_pts), _Hands(xy, s, bottom, leg), config, room), None

    def step(self, rgb: np.ndarray, row: int) -> None:
        import cv2

        grey = _grey(rgb)
        params = dict(winSize=(LK_WINDOW_PX, LK_WINDOW_PX), maxLevel=LK_LEVELS)
        # OpenCV's stubs want an output array for nextPts; None (allocate one) is what the C++ API takes
        nxt, ok1, _ = cv2.calcOpticalFlowPyrLK(self.prev, grey, self.cur, None, **params)  # type: ignore[call-overload]
        back, ok2, _ = cv2.calcOpticalFlowPyrLK(grey, self.prev, nxt, None, **params)  # type: ignore[call-overload]
        round_trip = np.linalg.norm((back - self.cur).reshape(-1, 2), axis=1)
        self.alive &= (ok1.ravel() == 1) & (ok2.ravel() == 1) & (round_trip < FB_MAX_PX)
        self.cur, self.prev = nxt, grey
        start, now = self.start_pts.reshape(-1, 2), self.cur.reshape(-1, 2)
        nb = self.n_bar
        # the camera's motion where the bar's points and the hands were at the start
        at = np.concatenate([start[:nb], self.hands.bottom[None, :]])
        every = self.alive[nb:]
        camera, how = camera_motion(start[nb:][every], now[nb:][every], at)
        own = now[:nb] - start[:nb] - camera[:nb]
        live = self.alive[:nb]
        if every.mean() >= MIN_BACKGROUND_SHARE:  # a rise read against a camera measured on most of the scene
            self.best_up = np.where(live, np.minimum(self.best_up, own[:, 1]), self.best_up)
        self.max_move = np.where(live, np.maximum(self.max_move, np.linalg.norm(own, axis=1)), self.max_move)
        self.rows.append(row)
        self.alive_at.append(live.copy())
        self.moved_at.append(self.max_move.copy())
        self.rise_at.append(self.hands.rise_at(row, camera[nb]))
        self.camera_at.append(how)

    def rise(self) -> float:
        """The hands' rise from the pull's start to lockout (frame pixels): with the camera's motion taken out when
        the lockout frame was followed, else as seen on the screen."""
        if self.rows and self.rows[-1] >= self.rep.lockout and np.isfinite(self.rise_at[-1]):
            return self.rise_at[-1]
        return self.hands.rise_at(self.rep.lockout, np.zeros(2))

    def last_followed(self) -> int | None:
        """The last frame (index into those followed) with ``bar.min_tracked`` of the bar's points still followed;
        None when there is none."""
        tracked = np.array([a.mean() for a in self.alive_at])
        enough = np.flatnonzero(tracked >= self.config.min_tracked)
        return int(enough[-1]) if enough.size else None

    def reading_frame(self, rise: float) -> int | None:
        """The frame (index into those followed) "stood up without the bar" is read at: the last one, when enough
        points were followed to it; otherwise the last with enough points followed, if the hands had risen far
        enough by then (``bar.early_read_min_rise_share`` of their ``rise`` to lockout); None when there is none."""
        k = self.last_followed()
        if k is None or k == len(self.alive_at) - 1:
            return k
        risen = self.rise_at[k]
        return k if np.isfinite(risen) and risen >= self.config.early_read_min_rise_share * rise else None

    def verdict(self) -> BarCheck:
        cfg = self.config
        rise = self.rise()
        if not np.isfinite(rise) or rise < cfg.min_wrist_rise_leg * self.hands.leg:
            return BarCheck(self.rep.index, "unknown", "the hands rose too little to tell", points=self.n_bar)
        rose = float(np.mean(self.best_up <= -cfg.rose_share_of_rise * rise))
        k = self.reading_frame(rise)
        live, moved = (self.alive[: self.n_bar], self.max_move) if k is None else (self.alive_at[k], self.moved_at[k])
        tracked = float(live.mean())
        stayed = float(np.mean(live & (moved <= cfg.still_share_of_rise * rise)))
        numbers: dict[str, Any] = dict(points=self.n_bar, tracked=tracked, stayed=stayed, rose=rose)
        if k is not None and stayed >= cfg.min_stayed and rose <= cfg.max_rose:
            if self.floor_room < cfg.min_floor_room_leg:
                return BarCheck(
                    self.rep.index,
                    "unknown",
                    "the bar looked still, but the frame's bottom edge is too close below the hands: "
                    "the plates may be cut off",
                    **numbers,
                )
            early = ""
            if k < len(self.rows) - 1:
                early = (
                    f"; read where the hands had risen {self.rise_at[k] / rise:.0%} of the way, the last frame with "
                    f"{tracked:.0%} of the points followed"
                )
            return BarCheck(
                self.rep.index,
                "without_bar",
                f"the bar stayed where it was at the bottom while the hands rose ({stayed:.0%} of "
                f"its points still, {rose:.0%} rising{early})",
                **numbers,
            )
        if rose > cfg.max_rose:
            return BarCheck(
                self.rep.index, "with_bar", f"{rose:.0%} of the bar's points rose with the hands", **numbers
            )
        return BarCheck(
            self.rep.index, "unknown", "the bar's points could not be followed well enough to tell", **numbers
        )


@dataclass(frozen=True)
class _Hands:
    """The hands through a rep, for how far they had risen at a frame."""

    xy: np.ndarray
    #: Frame pixels per landmark pixel.
    scale: float
    #: The hands at the pull's start (frame pixels), and the lifter's leg length (frame pixels).
    bottom: np.ndarray
    leg: float

    def rise_at(self, row: int, camera: np.ndarray) -> float:
        """How far the hands had risen at ``row`` against the scene: with ``camera``, the camera's motion where they
        were at the start, taken out. NaN when not seen."""
        p = _mean_point(self.xy, row, WRISTS)
        return float("nan") if p is None else float(self.bottom[1] + camera[1] - p[1] * self.scale)


def _rows(shape: tuple[int, int], top: float, bottom: float) -> np.ndarray:
    """A mask of the picture's rows from ``top`` to ``bottom``."""
    mask = np.zeros(shape, np.uint8)
    mask[int(max(0, top)) : int(min(shape[0], bottom)), :] = 255
    return mask


def camera_motion(start: np.ndarray, now: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, str]:
    """The camera's motion at the points ``at`` (N x 2, their positions at the start) from background points
    that moved from ``start`` to ``now``: a homography fitted to them with RANSAC; with too few points or no fit
    that enough of them agree with (:data:`MIN_FIT_INLIERS`, :data:`MIN_FIT_SHARE`), their median shift (the same
    for every point); with fewer than :data:`MIN_BACKGROUND_POINTS`, none. Also says which of the three it was."""
    import cv2

    if len(start) >= MIN_FIT_POINTS:
        homography, inliers = cv2.findHomography(start, now, cv2.RANSAC, FIT_TOLERANCE_PX)
        agree = 0 if inliers is None else int(inliers.sum())
        if homography is not None and agree >= max(MIN_FIT_INLIERS, MIN_FIT_SHARE * len(start)):
            moved = cv2.perspectiveTransform(at.reshape(-1, 1, 2).astype(np.float64), homography).reshape(-1, 2)
            if np.isfinite(moved).all():
                return moved - at, "homography"
    if len(start) >= MIN_BACKGROUND_POINTS:
        return np.broadcast_to(np.median(now - start, axis=0), at.shape), "median"
    return np.zeros_like(at), "none"
