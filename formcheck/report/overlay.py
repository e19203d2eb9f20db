"""Annotated video: the source clip with the measured skeleton, angles, rep counter and flags drawn on.

Works from an :class:`~formcheck.analysis.Analysis` (no pose model): the cleaned
image-space landmarks (``analysis.landmarks_xy``) are drawn on the frames
streamed by :func:`formcheck.video.iter_frames` (display orientation, full
resolution), one frame at a time, and encoded as H.264 (``libx264``,
``yuv420p``, moov atom first) with the source frame times. Audio is dropped.

This module, ``video`` and ``pose`` are the only ones that import OpenCV/PyAV.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from ..exercises import get_lift
from ..landmarks import EDGES, Landmark, side_landmark
from ..types import JUDGED_VERDICTS
from .files import staged
from .words import rule_title

#: RGB colours. Verdicts also carry a symbol and a word (colour-blind readers).
SKELETON_RGB = (0, 255, 255)  # cyan: the measured side
FAR_SIDE_RGB = (150, 150, 150)  # grey: the other side, for context
JOINT_RGB = (255, 255, 255)
TEXT_RGB = (255, 255, 255)
LINE_RGB = (255, 120, 255)  # magenta: shoulder-knee line at lockout
SEVERITY_RGB = {"warn": (255, 210, 0), "fault": (230, 30, 30), "pass": (40, 200, 80)}
SEVERITY_WORD = {"warn": "warn", "fault": "FAULT"}
PHASE_NAMES = ("set-up", "eccentric", "bottom", "concentric", "top")

#: Time-scale of the output stream (ticks per second): exact enough for any source frame time.
TIME_BASE = Fraction(1, 90_000)
FONT = cv2.FONT_HERSHEY_SIMPLEX


@dataclass(frozen=True)
class _Style:
    scale: float  # 1.0 at 720 px on the short side

    @property
    def thick(self) -> int:
        return max(1, int(round(3 * self.scale)))

    @property
    def font(self) -> float:
        return 0.8 * self.scale

    @property
    def font_thick(self) -> int:
        return max(1, int(round(2 * self.scale)))


def _style_for(width: int, height: int) -> _Style:
    return _Style(scale=max(0.6, min(width, height) / 720.0))


def side_edges(side: str) -> list[tuple[Landmark, Landmark]]:
    """Skeleton edges of one body side (plus the face line on that side)."""
    prefix = "LEFT_" if side == "left" else "RIGHT_"
    keep = []
    for a, b in EDGES:
        names = (a.name, b.name)
        if all(n.startswith(prefix) or n == "NOSE" for n in names):
            keep.append((a, b))
    return keep


def _pt(xy: np.ndarray, lm: int) -> tuple[int, int] | None:
    p = xy[int(lm)]
    if not np.all(np.isfinite(p)):
        return None
    return int(round(p[0])), int(round(p[1]))


def _text(
    img: np.ndarray, text: str, org: tuple[int, int], st: _Style, rgb=TEXT_RGB, scale: float = 1.0, box: bool = True
) -> None:
    """Text on a dark box (readable on any background); ``org`` is the baseline's left end, moved as little as
    needed to keep the whole text inside the frame (a label by a joint near the edge)."""
    size, thick = st.font * scale, st.font_thick
    (tw, th), base = cv2.getTextSize(text, FONT, size, thick)
    pad = max(2, int(4 * st.scale))
    org = _inside(org, tw, th, base, pad, img.shape[1], img.shape[0])
    if box:
        _panel(img, org[0] - pad, org[1] - th - pad, org[0] + tw + pad, org[1] + base + pad // 2, (0, 0, 0), 0.65)
    cv2.putText(img, text, org, FONT, size, rgb, thick, cv2.LINE_AA)


def _inside(org: tuple[int, int], tw: int, th: int, base: int, pad: int, width: int, height: int) -> tuple[int, int]:
    """The baseline origin of a ``tw`` x ``th`` text (``base`` below the baseline) moved into a ``width`` x
    ``height`` frame with ``pad`` pixels to spare (to its left/top edge when it is wider than the frame)."""
    x = max(pad, min(org[0], width - tw - pad))
    y = max(th + pad, min(org[1], height - base - pad))
    return int(x), int(y)


def _panel(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, rgb=(0, 0, 0), alpha: float = 0.6) -> None:
    """Blend a filled rectangle into the frame (only the region is touched)."""
    h, w = img.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    roi[:] = (roi * (1 - alpha) + np.array(rgb, dtype=np.float32) * alpha).astype(np.uint8)


def _symbol(img: np.ndarray, verdict: str, center: tuple[int, int], r: int) -> None:
    """▲ for warn, ✖ for fault, drawn as shapes (Hershey fonts have no such glyphs)."""
    cx, cy = center
    rgb = SEVERITY_RGB[verdict]
    if verdict == "warn":
        pts = np.array([[cx, cy - r], [cx - r, cy + r], [cx + r, cy + r]], dtype=np.int32)
        cv2.fillPoly(img, [pts], rgb, cv2.LINE_AA)
    else:
        t = max(2, r // 3)
        cv2.line(img, (cx - r, cy - r), (cx + r, cy + r), rgb, t, cv2.LINE_AA)
        cv2.line(img, (cx - r, cy + r), (cx + r, cy - r), rgb, t, cv2.LINE_AA)


#: The joints drawn as dots on the measured side.
DOT_JOINTS: tuple[str, ...] = ("shoulder", "hip", "knee", "ankle", "ear")


def draw_skeleton(
    img: np.ndarray, xy: np.ndarray, side: str, scale: float | None = None, guessed: frozenset[str] = frozenset()
) -> np.ndarray:
    """Draw the measured side's skeleton (and the far side faintly) on ``img`` (RGB, in place); the joints in
    ``guessed`` (not evidence in this frame, COACHING.md §6) as hollow rings."""
    st = _Style(scale) if scale is not None else _style_for(img.shape[1], img.shape[0])
    other = "right" if side == "left" else "left"
    for edges, rgb, thick in (
        (side_edges(other), FAR_SIDE_RGB, max(1, st.thick // 2)),
        (side_edges(side), SKELETON_RGB, st.thick),
    ):
        for a, b in edges:
            pa, pb = _pt(xy, a), _pt(xy, b)
            if pa is not None and pb is not None:
                cv2.line(img, pa, pb, rgb, thick, cv2.LINE_AA)
    for joint in DOT_JOINTS:
        p = _pt(xy, side_landmark(joint, side))
        if p is None:
            continue
        if joint in guessed:
            cv2.circle(img, p, st.thick + 2, (0, 0, 0), max(2, st.thick // 2) + 2, cv2.LINE_AA)
            cv2.circle(img, p, st.thick + 2, JOINT_RGB, max(2, st.thick // 2), cv2.LINE_AA)
        else:
            cv2.circle(img, p, st.thick + 2, JOINT_RGB, -1, cv2.LINE_AA)
            cv2.circle(img, p, st.thick + 2, (0, 0, 0), 1, cv2.LINE_AA)
    return img


def phase_of(rep, i: int) -> str:
    """Phase of series sample ``i`` within ``rep``: eccentric (set-up when the descent was not filmed: a floor
    pull's frames at the bar before lift-off), bottom, concentric or top."""
    if i < rep.bottom:
        return "eccentric" if rep.eccentric_s is not None else "set-up"
    if i == rep.bottom:
        return "bottom"
    if i < rep.lockout:
        return "concentric"
    return "top"


class Annotator:
    """Draws everything for one analysed clip; call :meth:`draw` per video frame."""

    def __init__(self, analysis, width: int, height: int) -> None:
        self.a = analysis
        self.side = analysis.series.side
        self.st = _style_for(width, height)
        self.frame_index = np.asarray(analysis.series.frame_index, dtype=np.int64)
        self.xy = analysis.landmarks_xy
        series = analysis.series
        self.values = {
            name: series[name]
            for name in ("hip_deg", "knee_flexion_deg", "neck_flexion_deg", "hip_line_dev_deg", "gaze_deg")
            if name in series
        }
        #: Where each drawn angle is a measurement (its joints evidence, the shot not end on), and each dot's joint.
        self.measured = {name: analysis.measured(name) for name in self.values}
        self.joint_seen = {joint: analysis.seen((joint,)) for joint in DOT_JOINTS}
        self.flags: dict[int, list] = {}
        for f in analysis.flagged():
            if f.rep is not None:
                self.flags.setdefault(f.rep, []).append(f)
        for fl in self.flags.values():
            fl.sort(key=lambda f: f.verdict != "fault")
        lift = get_lift(analysis.exercise.label)
        #: The lift's gauge (e.g. the RDL knee) and its limits, drawn during the descent of each rep that a rule
        #: reading the gauge's metric judged (no gauge, in warning colours or not, on a rep nothing judged).
        self.gauge = lift.gauge
        gauge_rules = {r.id for r in lift.rules if lift.gauge is not None and lift.gauge.metric in r.needs}
        self.gauge_reps = {f.rep for f in analysis.findings if f.rule in gauge_rules and f.verdict in JUDGED_VERDICTS}
        self.gauge_limits = (
            (
                float(getattr(lift.settings(analysis.config), lift.gauge.warn_field)),
                float(getattr(lift.settings(analysis.config), lift.gauge.fault_field)),
            )
            if lift.gauge is not None
            else None
        )

    def sample_of(self, frame_index: int) -> int | None:
        """The series sample drawn on video frame ``frame_index`` (None when the frame was not analysed)."""
        fi = self.frame_index
        if fi.size == 0:
            return None
        k = int(np.searchsorted(fi, frame_index, side="right")) - 1
        if k < 0:
            return None
        if frame_index - fi[k] > 2:  # do not hold a stale pose for long
            return None
        return k

    def rep_at(self, i: int):
        for rep in self.a.reps:
            if rep.start <= i < rep.end:
                return rep
        return None

    def draw(self, img: np.ndarray, frame_index: int) -> np.ndarray:
        st = self.st
        i = self.sample_of(frame_index)
        rep = self.rep_at(i) if i is not None else None
        if i is not None and self.xy is not None and i < len(self.xy):
            xy = self.xy[i]
            if rep is not None and self.a.family == "bridge" and rep.lockout <= i:
                self._lockout_line(img, xy, i)
            if rep is not None and rep.index in self.gauge_reps and rep.start <= i <= rep.bottom:
                self._gauge_band(img, xy, i, rep)
            guessed = frozenset(j for j, seen in self.joint_seen.items() if i < len(seen) and not seen[i])
            draw_skeleton(img, xy, self.side, st.scale, guessed)
            self._angles(img, xy, i)
        self._counter(img, i, rep)
        if rep is not None and rep.index in self.flags:
            self._banner(img, self.flags[rep.index])
        return img

    # -- pieces -------------------------------------------------------------
    def _angles(self, img: np.ndarray, xy: np.ndarray, i: int) -> None:
        st = self.st
        off = int(14 * st.scale)
        labels = (
            ("hip", "hip_deg", "hip {:.0f} deg"),
            ("knee", "knee_flexion_deg", "knee {:.0f} deg bent"),
            ("ear", "neck_flexion_deg", "neck {:+.0f} deg"),
        )
        for joint, name, fmt in labels:
            if name not in self.values:
                continue
            value = self.values[name][i]
            p = _pt(xy, side_landmark(joint, self.side))
            if p is None or not np.isfinite(value):
                continue
            text = fmt.format(value) if self.measured[name][i] else f"{fmt.split()[0]}: guessed"
            _text(img, text, (p[0] + off, p[1] - off), st, scale=0.8)

    def _lockout_line(self, img: np.ndarray, xy: np.ndarray, i: int) -> None:
        """Hip thrust: the shoulder-knee line (the hip should sit on it at lockout)."""
        s = _pt(xy, side_landmark("shoulder", self.side))
        k = _pt(xy, side_landmark("knee", self.side))
        if s is None or k is None:
            return
        d = np.subtract(k, s).astype(float)
        a = tuple(int(v) for v in np.subtract(s, 0.15 * d))
        b = tuple(int(v) for v in np.add(k, 0.15 * d))
        cv2.line(img, a, b, LINE_RGB, max(1, self.st.thick - 1), cv2.LINE_AA)
        dev = self.values.get("hip_line_dev_deg")
        h = _pt(xy, side_landmark("hip", self.side))
        if dev is not None and np.isfinite(dev[i]) and h is not None:
            _text(
                img,
                f"off line {dev[i]:+.0f} deg",
                (h[0] - int(60 * self.st.scale), h[1] + int(44 * self.st.scale)),
                self.st,
                LINE_RGB,
                0.8,
            )

    def _gauge_band(self, img: np.ndarray, xy: np.ndarray, i: int, rep) -> None:
        """Descent: a gauge by the joint (e.g. how much more the knee bent since the rep started)."""
        assert self.gauge is not None and self.gauge_limits is not None
        knee = self.values.get(self.gauge.metric)
        p = _pt(xy, side_landmark(self.gauge.at, self.side))
        if knee is None or p is None or not np.isfinite(knee[rep.start]) or not np.isfinite(knee[i]):
            return
        warn, fault = self.gauge_limits
        top = fault * 1.3
        drift = float(knee[i] - knee[rep.start])
        st = self.st
        w, h = int(150 * st.scale), int(12 * st.scale)
        x0 = p[0] - w // 2
        y0 = p[1] + int(30 * st.scale)
        xs = lambda v: x0 + int(round(np.clip(v, 0, top) / top * w))  # noqa: E731
        cv2.rectangle(img, (x0, y0), (xs(warn), y0 + h), SEVERITY_RGB["pass"], -1)
        cv2.rectangle(img, (xs(warn), y0), (xs(fault), y0 + h), SEVERITY_RGB["warn"], -1)
        cv2.rectangle(img, (xs(fault), y0), (x0 + w, y0 + h), SEVERITY_RGB["fault"], -1)
        cv2.rectangle(img, (x0, y0), (x0 + w, y0 + h), (0, 0, 0), 1)
        m = xs(drift)
        cv2.line(img, (m, y0 - int(5 * st.scale)), (m, y0 + h + int(5 * st.scale)), (255, 255, 255), st.thick)
        _text(
            img,
            f"{self.gauge.label} +{max(drift, 0):.0f} deg (limit {warn:.0f})",
            (x0, y0 + h + int(24 * st.scale)),
            st,
            scale=0.7,
        )

    def _counter(self, img: np.ndarray, i: int | None, rep) -> None:
        st = self.st
        n = len(self.a.reps)
        if rep is not None and i is not None:
            head = f"rep {rep.index}/{n}"
            phase = phase_of(rep, i)
        else:
            done = sum(1 for r in self.a.reps if i is not None and r.end <= i)
            head = f"rep {done}/{n}" if n else "no reps"
            phase = "-" if i is not None else "no pose"
        pad = int(10 * st.scale)
        line_h = int(34 * st.scale)
        _panel(img, 0, 0, int(260 * st.scale), 2 * line_h + 2 * pad)
        _text(img, head, (pad, pad + line_h - int(8 * st.scale)), st, scale=1.1, box=False)
        _text(img, phase, (pad, pad + 2 * line_h - int(8 * st.scale)), st, scale=0.9, box=False)

    def _banner(self, img: np.ndarray, findings: list) -> None:
        st = self.st
        h, w = img.shape[:2]
        line_h = int(30 * st.scale)
        pad = int(8 * st.scale)
        shown = findings[:2]
        y0 = h - len(shown) * 2 * line_h - 2 * pad
        _panel(img, 0, y0, w, h, (0, 0, 0), 0.7)
        y = y0 + pad
        for f in shown:
            rgb = SEVERITY_RGB[f.verdict]
            cv2.rectangle(img, (0, y), (int(8 * st.scale), y + 2 * line_h), rgb, -1)
            r = int(10 * st.scale)
            _symbol(img, f.verdict, (pad + int(12 * st.scale) + r, y + line_h // 2 + 2), r)
            x = pad + int(20 * st.scale) + 2 * r
            _text(
                img,
                f"{SEVERITY_WORD[f.verdict]}  {rule_title(f.rule)}",
                (x, y + line_h - int(6 * st.scale)),
                st,
                rgb,
                0.85,
                box=False,
            )
            _text(
                img,
                _fit(f.cue, w - x - pad, st.font * 0.75, st.font_thick),
                (x, y + 2 * line_h - int(8 * st.scale)),
                st,
                scale=0.75,
                box=False,
            )
            y += 2 * line_h


def _fit(text: str, width: int, size: float, thick: int) -> str:
    """Shorten ``text`` with an ellipsis until it fits ``width`` pixels."""
    if cv2.getTextSize(text, FONT, size, thick)[0][0] <= width:
        return text
    while text and cv2.getTextSize(text + "...", FONT, size, thick)[0][0] > width:
        text = text[:-1]
    return text.rstrip() + "..."


#: superfast: ~40 % of the analysis time for 1080p, ~4 MB per 5 s (ultrafast ~30 % and ~8 MB, veryfast ~55 % and ~3 MB).
DEFAULT_PRESET = "superfast"


def write_annotated_video(
    analysis,
    source_path: str | Path,
    out_path: str | Path,
    progress: Callable[[int], None] | None = None,
    *,
    preset: str = DEFAULT_PRESET,
    crf: int = 23,
) -> Path:
    """Write ``source_path`` with the analysis drawn on it to ``out_path`` (H.264 MP4).

    Frames are decoded, drawn and encoded one at a time; each keeps its source
    presentation time. ``progress(n)`` is called with the number of frames done
    since the last call. Odd frame sizes lose their last row/column (yuv420p needs
    even sizes).
    """
    import av

    from ..video import probe

    meta = probe(source_path, with_hash=False)
    width, height = meta.width - meta.width % 2, meta.height - meta.height % 2
    out_path = Path(out_path)
    annot = Annotator(analysis, width, height)
    rate = Fraction(meta.fps).limit_denominator(1001) if meta.fps > 0 else Fraction(30)
    with staged(out_path) as tmp:
        container = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
        try:
            _encode(
                container,
                rate,
                width,
                height,
                preset,
                crf,
                _annotated_frames(source_path, annot, width, height),
                progress,
            )
        finally:
            container.close()
    return out_path


def _encode(container, rate: Fraction, width: int, height: int, preset: str, crf: int, frames, progress) -> None:
    """Encode ``frames`` ((VideoFrame, t) pairs) as H.264 into ``container``, each at its own time."""
    stream = container.add_stream("libx264", rate=rate)
    stream.width, stream.height = width, height
    stream.pix_fmt = "yuv420p"
    stream.time_base = TIME_BASE
    stream.codec_context.time_base = TIME_BASE
    stream.options = {"preset": preset, "crf": str(crf)}
    stream.thread_type = "AUTO"
    last_pts = -1
    # Decoding and drawing run in a second thread while this one encodes: x264's own
    # threads then overlap with the decoder instead of waiting for it.
    for vf, t in _prefetch(frames, PREFETCH_FRAMES):
        pts = max(int(round(t / TIME_BASE)), last_pts + 1)
        vf.pts, vf.time_base = pts, TIME_BASE
        last_pts = pts
        for packet in stream.encode(vf):
            container.mux(packet)
        if progress is not None:
            progress(1)
    for packet in stream.encode():
        container.mux(packet)


#: Frames decoded and drawn ahead of the encoder (bounded: memory stays flat).
PREFETCH_FRAMES = 4


def _annotated_frames(source_path, annot: Annotator, width: int, height: int):
    """(yuv420p VideoFrame, time) for every source frame, with the analysis drawn on it."""
    import av

    from ..video import iter_frames

    for frame in iter_frames(source_path):
        img = frame.rgb[:height, :width]
        if not img.flags.writeable or not img.flags.c_contiguous:
            img = np.ascontiguousarray(img)
        annot.draw(img, frame.index)
        # OpenCV's RGB->I420 (BT.601, limited range, like swscale's default) is ~6x faster than swscale here.
        yuv = np.asarray(cv2.cvtColor(img, cv2.COLOR_RGB2YUV_I420), dtype=np.uint8)
        yield av.VideoFrame.from_ndarray(yuv, format="yuv420p"), frame.t


def _prefetch(items, depth: int):
    """Iterate ``items`` in a background thread, at most ``depth`` ahead; errors re-raised here."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                q.put(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            q.put(exc)
            return
        q.put(done)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.05)


def render_frame(analysis, rgb: np.ndarray, frame_index: int, scale_xy: float = 1.0) -> np.ndarray:
    """One frame (possibly downscaled by ``scale_xy``) with the skeleton and angles drawn, for thumbnails."""
    img = np.ascontiguousarray(rgb).copy()
    annot = Annotator(analysis, img.shape[1], img.shape[0])
    if scale_xy != 1.0 and annot.xy is not None:
        annot.xy = annot.xy * scale_xy
    i = annot.sample_of(frame_index)
    if i is not None and annot.xy is not None:
        draw_skeleton(img, annot.xy[i], annot.side, annot.st.scale)
        annot._angles(img, annot.xy[i], i)
    return img


def encode_image(rgb: np.ndarray, fmt: str = ".jpg", quality: int = 85) -> bytes:
    """RGB array -> JPEG/PNG bytes."""
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == ".jpg" else []
    ok, buf = cv2.imencode(fmt, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), params)
    if not ok:
        raise ValueError("could not encode image")
    return buf.tobytes()
