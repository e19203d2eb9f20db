"""Decoding: stream frames with their real timestamps, rotation applied.

Only this module, ``pose`` and the overlay writer import PyAV. Frames are
yielded one at a time, so memory does not grow with the video's length.
"""

from __future__ import annotations

import functools
import hashlib
import math
import queue
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import numpy as np
import numpy.typing as npt

from .errors import InputError, StillImageError
from .types import VideoMeta

if TYPE_CHECKING:  # PyAV is imported where it is used
    from av.container import InputContainer
    from av.video.frame import VideoFrame
    from av.video.stream import VideoStream

#: RGB pixels, (height, width, 3).
RGB = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Frame:
    """One decoded frame: RGB pixels as displayed (grey ones, (height, width), when decoded with
    ``iter_frames(..., pixels="gray")``), its index and time in seconds."""

    index: int
    t: float
    rgb: RGB


#: Side in pixels of the grey thumbnail whose change from one frame to the next marks hard cuts.
CHANGE_THUMB_PX = 32
#: Pixel step at which frames are sampled before the thumbnail is made.
CHANGE_STRIDE = 4


#: Longer side in pixels of the small grey picture every decoded frame gets (picture change, motion in the
#: lifter's box). 240 px is what the 960-px frame sampled every CHANGE_STRIDE-th pixel gave before.
SMALL_GREY_PX = 240


@functools.lru_cache(maxsize=8)
def _area_weights(size_in: int, size_out: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
    """OpenCV's INTER_AREA table for shrinking ``size_in`` pixels to ``size_out`` by a factor that is not a whole
    number (``computeResizeAreaTab``): for each output pixel the input pixels it covers, in order, with the share of
    each (the part of the pixel inside the span over the span's width, in float32). As (k, output pixel) arrays,
    the k-th input pixel of each span, padded with weight 0 (made once per picture size; read-only)."""
    scale = size_in / size_out
    spans: list[list[tuple[int, float]]] = []
    for d in range(size_out):
        start, stop = d * scale, (d + 1) * scale
        width = min(scale, size_in - start)
        first, last = math.ceil(start), math.floor(stop)
        last = min(last, size_in - 1)
        first = min(first, last)
        span = [(first - 1, (first - start) / width)] if first - start > 1e-3 else []
        span += [(s, 1.0 / width) for s in range(first, last)]
        if stop - last > 1e-3:
            span.append((last, min(min(stop - last, 1.0), width) / width))
        spans.append(span)
    k = max(len(span) for span in spans)
    index = np.zeros((k, size_out), dtype=np.intp)
    weight = np.zeros((k, size_out), dtype=np.float32)
    for d, span in enumerate(spans):
        for j, (s, w) in enumerate(span):
            index[j, d], weight[j, d] = s, w
    index.flags.writeable = False
    weight.flags.writeable = False
    return index, weight


def area_resize(picture: npt.NDArray[np.uint8], width: int, height: int) -> npt.NDArray[np.uint8]:
    """A grey picture shrunk to ``width`` x ``height`` by averaging the area each output pixel covers, rounded to
    the nearest grey level: OpenCV's ``cv2.resize(..., interpolation=cv2.INTER_AREA)`` for a shrink by a factor
    that is not a whole number on both sides, without loading OpenCV in the pose pass (44 MB of resident library).
    Its arithmetic too, so that a span's mean that falls on a half level rounds as OpenCV's does (a flat picture
    with one odd pixel): float32 products of each input pixel and its share (:func:`_area_weights`) summed in
    OpenCV's order, the rows first, then the columns (``tests/unit/test_area_resize.py``: random pictures, real
    clips' small grey pictures)."""
    values = picture.astype(np.float32)
    index, weight = _area_weights(values.shape[1], width)
    rows = values[:, index[0]] * weight[0]
    for j in range(1, len(index)):
        rows += values[:, index[j]] * weight[j]
    index, weight = _area_weights(values.shape[0], height)
    out = weight[0][:, None] * rows[index[0]]
    for j in range(1, len(index)):
        out += weight[j][:, None] * rows[index[j]]
    result: npt.NDArray[np.uint8] = np.rint(out).clip(0, 255).astype(np.uint8)
    return result


class FrameChange:
    """How much a frame differs from the previous one: the mean absolute difference, in grey levels
    (0-255), of a small grey thumbnail. A hard cut in an edited clip changes it at once; a moving
    lifter changes it little and over several frames. NaN for the first frame.

    Each frame's thumbnail also gives its picture signature (:func:`formcheck.loops.signature`, 128 bytes),
    kept in :attr:`signatures` for finding footage that loops: one decode serves both.
    """

    def __init__(self) -> None:
        self._prev: np.ndarray | None = None
        self.signatures = bytearray()  # packed: 128 bytes a frame, no per-frame object

    def signature_array(self) -> np.ndarray:
        """(frames seen, cells) signatures of every frame so far, in order."""
        from .loops import SIGNATURE_DTYPE, SIGNATURE_SIDE

        packed = np.frombuffer(self.signatures, dtype=SIGNATURE_DTYPE).copy()  # a copy: frames may follow
        return packed.reshape(-1, SIGNATURE_SIDE * SIGNATURE_SIDE)

    def __call__(self, rgb: np.ndarray) -> float:
        import cv2

        # every CHANGE_STRIDE-th pixel first: a 32-pixel thumbnail does not need the rest (1.2 -> 0.45 ms at 960 px)
        small = np.ascontiguousarray(rgb[::CHANGE_STRIDE, ::CHANGE_STRIDE])
        return self.grey(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))

    def grey(self, small: np.ndarray) -> float:
        """The change of a frame given as a small grey picture (:attr:`DecodedFrame.grey`): no RGB needed."""
        from .loops import signature

        thumb = area_resize(small, CHANGE_THUMB_PX, CHANGE_THUMB_PX).astype(np.float32)
        self.signatures += signature(thumb).tobytes()
        prev, self._prev = self._prev, thumb
        return float("nan") if prev is None else float(np.mean(np.abs(thumb - prev)))


class DecodedFrame:
    """One decoded frame whose RGB pixels are made only when asked for.

    Same ``index``, ``t`` and ``rgb`` as :class:`Frame`, but the conversion to RGB (scaled to the size the
    pose model needs, rotation applied) happens on the first read of ``rgb``: a frame the pose stage skips
    costs its decoding and ``grey`` only. ``grey`` is a small grey picture (longer side about
    :data:`SMALL_GREY_PX`, full-range luma, as displayed) sampled from the decoded luma plane right away
    (:func:`_small_grey`); it is enough for the picture change and for motion in the lifter's box.
    """

    __slots__ = ("_frame", "_rgb", "_rgb_scaler", "_rotation", "_size", "grey", "index", "t")

    def __init__(
        self,
        index: int,
        t: float,
        frame: VideoFrame,
        size: tuple[int, int],
        rotation: int,
        grey_scaler: Any | None = None,
        rgb_scaler: RgbScaler | None = None,
    ) -> None:
        self.index = index
        self.t = t
        self._frame: VideoFrame | None = frame
        self._size = size
        self._rotation = rotation
        self._rgb: RGB | None = None
        self._rgb_scaler = rgb_scaler  # used in the thread that reads ``rgb``; grey_scaler in this one
        scale = min(1.0, SMALL_GREY_PX / max(frame.width, frame.height))
        grey = _array(
            frame,
            grey_scaler,
            format="gray",
            width=max(2, int(round(frame.width * scale))),
            height=max(2, int(round(frame.height * scale))),
        )
        self.grey: npt.NDArray[np.uint8] = np.ascontiguousarray(_rotate(grey, rotation))

    def scaled_grey(self, max_side: int | None, scaler: Any | None = None) -> npt.NDArray[np.uint8]:
        """The grey picture ``iter_frames(..., max_side=max_side, pixels="gray")`` gives of this frame: the same
        size (:func:`scaled_size`), the same scaler settings on the same decoded picture, rotation applied
        (``scaler``: a reformatter kept by the caller's thread, :func:`_array`). Only before ``rgb`` is read (the
        decoded picture is let go then): :class:`RuntimeError` after."""
        if self._frame is None:
            raise RuntimeError("the decoded picture was let go when its RGB was made")
        width, height = scaled_size(self._frame.width, self._frame.height, max_side)
        if (width, height) != (self._frame.width, self._frame.height):
            grey = _array(self._frame, scaler, format="gray", width=width, height=height)
        else:
            grey = _array(self._frame, scaler, format="gray")
        return np.ascontiguousarray(_rotate(grey, self._rotation))

    @property
    def rgb(self) -> RGB:
        if self._rgb is None:
            assert self._frame is not None
            width, height = self._size
            rgb = rgb_array(self._frame, self._rgb_scaler, width, height)
            self._rgb = np.ascontiguousarray(_rotate(rgb, self._rotation))
            self._frame = None  # the decoded picture is not needed any more
        return self._rgb


def _array(frame: VideoFrame, scaler: Any | None, **kw: Any) -> np.ndarray:
    """``frame.to_ndarray(**kw)`` through ``scaler`` (a kept ``av.video.reformatter.VideoReformatter``) when given.

    ``to_ndarray`` gives each frame a new reformatter, so FFmpeg's scaler is set up again for every frame (about
    1-2.5 ms of a 1080p frame's 2-4 ms at 480 px grey); a reformatter kept from frame to frame keeps its scaler
    for as long as the sizes and formats stay the same. The same scaler settings, the same pixels (checked
    bitwise on real clips, ``tests/integration/test_video.py``). One reformatter per thread: a scaler is not
    thread-safe."""
    if scaler is None:
        return frame.to_ndarray(**kw)
    out: np.ndarray = scaler.reformat(frame, **kw).to_ndarray()
    return out


def scaler() -> Any:
    """A reformatter to keep from frame to frame (:func:`_array`)."""
    from av.video.reformatter import VideoReformatter

    return VideoReformatter()


#: Decoded pixel formats whose RGB is made in two steps by :func:`rgb_array`: planar YUV with chroma at half the
#: width and height (nearly every phone, camera and web clip).
YUV420_FORMATS = frozenset({"yuv420p", "yuvj420p"})


@dataclass
class RgbScaler:
    """The two reformatters :func:`rgb_array` keeps from frame to frame: one scaling the YUV picture, one turning
    the scaled picture into RGB. One per thread, as :func:`scaler`'s."""

    scale: Any
    convert: Any


def rgb_scaler() -> RgbScaler:
    """The reformatters to keep for :func:`rgb_array`."""
    return RgbScaler(scaler(), scaler())


def rgb_array(frame: VideoFrame, scalers: RgbScaler | None, width: int, height: int) -> np.ndarray:
    """The frame's RGB pixels at ``width`` x ``height`` (before rotation).

    Shrinking a 4:2:0 YUV picture (:data:`YUV420_FORMATS`) to an even size is done in YUV first, then the small
    picture is turned into RGB: FFmpeg's scaler asked for both in one go scales in RGB, after bringing the chroma
    to full size. Two steps take about a third of the time of one (1080p to 960x540: 1.1 against 3.1 ms a
    frame on this project's machine, docs/PERFORMANCE.md), with the same bilinear scaling: on real 1080p clips
    the pixels differ by under one level on average from the one-step result
    (``tests/integration/test_video.py``). Other formats, odd sizes and no scaling take the one step."""
    scale, convert = (scalers.scale, scalers.convert) if scalers is not None else (None, None)
    if (width, height) == (frame.width, frame.height):
        return _array(frame, convert, format="rgb24")
    if frame.format.name in YUV420_FORMATS and width % 2 == 0 and height % 2 == 0:
        small = (
            scale.reformat(frame, width=width, height=height)
            if scale is not None
            else frame.reformat(width=width, height=height)
        )
        return _array(small, convert, format="rgb24")
    return _array(frame, convert, format="rgb24", width=width, height=height)


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: str | Path) -> Path:
    """``path`` as a :class:`Path` after the checks that need no decoder: it exists, is not a folder, is not
    empty (:class:`InputError` otherwise, the same one-line messages :func:`probe` gives)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file", "Check the path and try again")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a video", "Give one video file")
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):  # reading a named pipe waits for a writer: never open one
        raise InputError(f"{path} is {_special_kind(mode)}, not a video file", "Give a video file saved on disk")
    if path.stat().st_size == 0:
        raise InputError(f"{path} is empty (0 bytes)", "Record or copy the video again")
    return path


def _open(path: str | Path) -> InputContainer:
    import av

    path = check_file(path)
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        raise InputError(
            f"{path} is not a readable video ({exc.__class__.__name__.replace('Error', '').lower() or 'error'}: "
            f"{getattr(exc, 'strerror', None) or 'unknown format'})",
            "Give an MP4, MOV, MKV or WebM video file",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} could not be read ({exc})", "Check the file's permissions and format") from None
    if not container.streams.video:
        container.close()
        raise InputError(f"{path} has no video stream", "Give a video file, not audio or an image")
    return container


def _special_kind(mode: int) -> str:
    """What a file that is not a regular file is, for people."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


#: Codecs that mean "a picture or text", not a video, when FFmpeg opens a file of one frame anyway.
IMAGE_CODECS = frozenset(
    {
        "png",
        "mjpeg",
        "jpegls",
        "bmp",
        "tiff",
        "webp",
        "gif",
        "apng",
        "ansi",
        "pgm",
        "ppm",
        "pbm",
        "qoi",
        "sgi",
        "targa",
        "xbm",
        "xpm",
        "jpeg2000",
        "pcx",
        "psd",
        "exr",
        "hdr",
        "svg",
    }
)


def _rotation_of(stream: VideoStream, first_frame: VideoFrame | None) -> int:
    """Counter-clockwise display rotation in degrees, a multiple of 90."""
    rotation = 0
    if first_frame is not None and getattr(first_frame, "rotation", None):
        rotation = int(first_frame.rotation)
    elif "rotate" in stream.metadata:  # old-style tag: clockwise degrees
        try:
            rotation = -int(stream.metadata["rotate"])
        except ValueError:
            rotation = 0
    return int(round(rotation / 90.0)) * 90 % 360


def probe(path: str | Path, *, with_hash: bool = True) -> VideoMeta:
    """Read the video's metadata (size as displayed, rotation, fps, length).

    Decodes only the first frame. Raises :class:`InputError` when the file is
    missing, empty, not a video, or holds no decodable frame.
    """
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        try:
            first = next(container.decode(stream), None)
        except av.error.FFmpegError:
            first = None
        if first is None:
            raise InputError(
                f"{path}: the video stream holds no decodable frame (corrupt or truncated)",
                "Export or copy the video again",
            )
        rotation = _rotation_of(stream, first)
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        fps = float(stream.average_rate or stream.guessed_rate or 0.0) or 30.0
        duration = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        n_frames = int(stream.frames) if stream.frames else int(round(duration * fps))
        codec = stream.codec_context.name
        if codec in IMAGE_CODECS and n_frames <= 1:
            raise StillImageError(
                f"{path} is a still image ({codec}), not a video", "Give the video of the set (MP4, MOV, MKV, WebM)"
            )
    finally:
        container.close()
    return VideoMeta(
        path=str(path),
        width=int(width),
        height=int(height),
        fps=fps,
        n_frames=n_frames,
        duration_s=duration,
        rotation_deg=rotation,
        codec=codec,
        sha256=file_sha256(path) if with_hash else "",
    )


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The size (even sides) a ``width`` x ``height`` picture is scaled to so its longer side is at most
    ``max_side`` (unchanged when it already is, or without ``max_side``): :func:`iter_frames`' ``max_side``."""
    if max_side and max(width, height) > max_side:
        scale = max_side / max(width, height)
        width = max(2, int(round(width * scale / 2)) * 2)
        height = max(2, int(round(height * scale / 2)) * 2)
    return width, height


def _rotate(rgb: np.ndarray, rotation: int) -> np.ndarray:
    if rotation == 0:
        return rgb
    return np.ascontiguousarray(np.rot90(rgb, k=rotation // 90))


@overload
def iter_frames(
    path: str | Path,
    *,
    max_side: int | None = None,
    rotation: int | None = None,
    start_s: float | None = None,
    stop_s: float | None = None,
    keep: Callable[[float], bool] | None = None,
    lazy: Literal[False] = False,
    pixels: Literal["rgb24", "gray"] = "rgb24",
    skip_unkept: bool = False,
) -> Iterator[Frame]: ...


@overload
def iter_frames(
    path: str | Path,
    *,
    max_side: int | None = None,
    rotation: int | None = None,
    start_s: float | None = None,
    stop_s: float | None = None,
    keep: Callable[[float], bool] | None = None,
    lazy: Literal[True],
    pixels: Literal["rgb24", "gray"] = "rgb24",
    skip_unkept: bool = False,
) -> Iterator[DecodedFrame]: ...


def iter_frames(
    path: str | Path,
    *,
    max_side: int | None = None,
    rotation: int | None = None,
    start_s: float | None = None,
    stop_s: float | None = None,
    keep: Callable[[float], bool] | None = None,
    lazy: bool = False,
    pixels: Literal["rgb24", "gray"] = "rgb24",
    skip_unkept: bool = False,
) -> Iterator[Frame | DecodedFrame]:
    """Yield frames in display order with their presentation time in seconds.

    ``t`` comes from each frame's own timestamp (variable frame rate safe) and
    starts at 0 for the first frame. Frames whose timestamp does not increase
    (duplicates some phones write) are dropped. ``max_side`` scales frames down
    so the longer side is at most that many pixels (pose models work at 256 px;
    decoding full 1080p costs time for nothing). Corrupt data ends the stream
    early instead of raising; the caller sees fewer frames.

    ``start_s`` / ``stop_s`` limit the frames to that time range. With ``start_s`` the decoder
    seeks to the key frame before it instead of decoding everything before; the frames' ``index``
    is then -1 (not known without counting from the start): match them by ``t``. ``keep(t)``
    false skips a frame without converting it (the costly part after decoding). ``lazy`` yields
    :class:`DecodedFrame` instead: RGB made only for the frames whose ``rgb`` is read. ``pixels="gray"``
    (not lazy): each :class:`Frame`'s ``rgb`` holds the grey picture, (height, width), converted by the
    scaler straight from the decoded luma plane (half the cost of RGB, and no RGB-to-grey step after).

    ``skip_unkept``: a frame outside ``start_s``..``stop_s`` or that ``keep`` rejects is not even decoded when no
    other frame is predicted from it (FFmpeg's ``skip_frame = NONREF``, set packet by packet from the packet's
    timestamp): about half the frames of an H.264 stream with such B-frames (61 of the 91 real clips,
    docs/PERFORMANCE.md), at no cost to the frames yielded, which are decoded from the same data as without it
    (:func:`_packets_decoded`). The frames' ``index`` is then -1 (the skipped ones are not counted).
    """
    import av

    first_pts: float | None = None
    if start_s is not None and start_s > SEEK_MIN_S:
        first_pts = _first_time(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        time_base = float(stream.time_base) if stream.time_base else None
        t0: float | None = None
        seeking = False
        if first_pts is not None and start_s is not None and time_base is not None:
            seeking = True
            t0 = first_pts
            container.seek(
                int(max(first_pts + start_s - SEEK_MARGIN_S, 0.0) / time_base),
                stream=stream,
                backward=True,
                any_frame=False,
            )
        last_t = -np.inf
        index = 0
        fps = float(stream.average_rate or stream.guessed_rate or 30.0)
        # lazy frames: the small grey picture is made in this thread, the RGB in the one reading it
        grey_scaler, lazy_rgb_scaler = (scaler(), rgb_scaler()) if lazy else (None, None)
        # the frames converted here
        frame_scaler, frame_rgb_scaler = (None, rgb_scaler()) if pixels == "rgb24" else (scaler(), None)

        def wanted(pts: int | None) -> bool:
            """Whether the frame of a packet with this timestamp may be yielded (unknown: yes)."""
            if pts is None or time_base is None or t0 is None:
                return True
            ts = pts * time_base - t0
            if (start_s is not None and ts < start_s - 1e-6) or (stop_s is not None and ts > stop_s + 1e-6):
                return False
            return keep is None or bool(keep(float(ts)))

        try:
            decoded = _packets_decoded(container, stream, wanted) if skip_unkept else container.decode(stream)
            for frame in decoded:
                if rotation is None:
                    rotation = _rotation_of(stream, frame)
                if frame.pts is not None and time_base:
                    t_abs = frame.pts * time_base
                elif seeking:
                    return  # no timestamps after a seek: nothing to place the frames by
                else:
                    t_abs = (last_t if np.isfinite(last_t) else -1.0 / fps) + 1.0 / fps
                if t0 is None:
                    t0 = t_abs
                t = t_abs - t0
                if t <= last_t:
                    continue
                last_t = t
                if stop_s is not None and t > stop_s + 1e-6:
                    return
                if (start_s is not None and t < start_s - 1e-6) or (keep is not None and not keep(float(t))):
                    index += 1
                    continue
                width, height = scaled_size(frame.width, frame.height, max_side)
                numbered = not (seeking or skip_unkept)
                if lazy:
                    yield DecodedFrame(
                        index if numbered else -1,
                        float(t),
                        frame,
                        (width, height),
                        rotation or 0,
                        grey_scaler,
                        lazy_rgb_scaler,
                    )
                    index += 1
                    continue
                if pixels == "rgb24":
                    rgb = rgb_array(frame, frame_rgb_scaler, width, height)
                elif (width, height) != (frame.width, frame.height):
                    rgb = _array(frame, frame_scaler, format=pixels, width=width, height=height)
                else:
                    rgb = _array(frame, frame_scaler, format=pixels)
                # PyAV pads rows to an aligned stride; MediaPipe reads the buffer as packed rows,
                # so a padded frame (e.g. 600 px wide) would be garbage to it.
                yield Frame(
                    index=index if numbered else -1, t=float(t), rgb=np.ascontiguousarray(_rotate(rgb, rotation))
                )
                index += 1
        except av.error.FFmpegError:
            return  # truncated/corrupt tail: keep what decoded
    finally:
        container.close()


def _packets_decoded(container: Any, stream: Any, wanted: Callable[[int | None], bool]) -> Iterator[Any]:
    """``container.decode(stream)`` (which is this loop: demux, decode each packet, the last, empty one flushes),
    with the decoder told to skip the frames no other frame is predicted from (``skip_frame = NONREF``) while it
    decodes the packets whose frames are not ``wanted`` (by the packet's timestamp). Skipping a frame no other
    frame refers to leaves every other frame as it was; the setting is read as each packet is handed to the
    decoder (FFmpeg copies it to a frame thread's context with the packet)."""
    codec = stream.codec_context
    for packet in container.demux(stream):
        codec.skip_frame = "DEFAULT" if packet.size == 0 or wanted(packet.pts) else "NONREF"
        yield from packet.decode()


#: Windows starting later than this are reached by seeking instead of decoding from the start.
SEEK_MIN_S = 3.0
#: Seek this far before the window: the decoder lands on the key frame before the target anyway.
SEEK_MARGIN_S = 1.0


def _first_time(path: str | Path) -> float | None:
    """Presentation time (seconds) of the first decodable frame, the zero of ``Frame.t``."""
    import av

    container = _open(path)
    try:
        stream = container.streams.video[0]
        if not stream.time_base:
            return None
        try:
            for frame in container.decode(stream):
                return None if frame.pts is None else float(frame.pts * stream.time_base)
        except av.error.FFmpegError:
            return None
        return None
    finally:
        container.close()


_T = TypeVar("_T")
_END = object()


class _Raised:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def prefetch(items: Iterable[_T], depth: int) -> Iterator[_T]:
    """``items`` produced in a background thread, at most ``depth`` ahead of the consumer.

    Decoding (PyAV releases the GIL while it decodes and scales) then overlaps with what the caller does
    with each item (pose inference). An exception in the producer is raised in the consumer; a consumer
    that stops early stops the producer (and closes a generator), so the file is closed either way.
    """
    box: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(item):
                    break
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put(_Raised(exc))
            return
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
        put(_END)

    thread = threading.Thread(target=work, name="formcheck-decode", daemon=True)
    thread.start()
    try:
        while True:
            got = box.get()
            if got is _END:
                return
            if isinstance(got, _Raised):
                raise got.exc
            yield got  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
