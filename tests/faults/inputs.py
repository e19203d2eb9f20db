"""Makers of the corpus's inputs: each writes one file (or pipe, link, folder) into a folder and returns its path.

Videos are this project's own renders (``sample_videos/``) or generated here with PyAV; pictures are encoded with
OpenCV. Where the pose model is not the point, the landmark cache is seeded (:func:`seed`) with the stored
landmarks of the frames that decode, as the model would give them, so a case costs a fraction of a second.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np

from tests.helpers import LANDMARKS
from tests.videos import cut_short, damage, faststart_copy, write_video

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_videos"
#: The clip every "this one is fine" case copies: a rendered hip thrust (no bar check: fast from the cache).
BASE = "hip_thrust_portrait_overextension"

Maker = Callable[[Path, str], Path]


def base_clip() -> Path:
    return SAMPLES / f"{BASE}.mp4"


def seed(
    video: Path, stem: str = BASE, frames: int | None = None, nobody: bool = False, folder: Path | None = None
) -> None:
    """Put landmarks for ``video`` in the landmark cache (``folder``, default ``$FORMCHECK_CACHE``): the stored
    landmarks of the sample clip ``stem`` (its first ``frames`` frames), or the same frames with nobody found
    (``nobody``)."""
    from formcheck import cache
    from formcheck.config import load_config
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256

    full = PoseSequence.load_npz(LANDMARKS / f"{stem}.full.npz")
    part = full.slice(0, len(full) if frames is None else frames)  # every per-frame array alike
    if nobody:
        part = part.replace(
            xy=np.full_like(part.xy, np.nan),
            visibility=np.full_like(part.visibility, np.nan),
            world=np.full_like(part.world, np.nan),
            n_people=np.zeros_like(part.n_people),
        )
    cache.store(landmark_cache_key(file_sha256(video), load_config()), part, folder)


def decodable_frames(video: Path) -> int:
    from formcheck.video import iter_frames

    return sum(1 for _ in iter_frames(video))


# ----------------------------------------------------------------------------------------- good videos


def clip(folder: Path, name: str) -> Path:
    """The base clip under ``name`` (its landmarks are seeded once for the whole corpus)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)  # a name holding "/" ("[/].mp4") is a folder and a file
    shutil.copyfile(base_clip(), path)
    return path


def rdl(folder: Path, name: str) -> Path:
    """The rendered clean RDL (a hinge: the bar check decodes the video too)."""
    path = folder / name
    shutil.copyfile(SAMPLES / "rdl_clean.mp4", path)
    seed(path, "rdl_clean")
    return path


def remuxed(fmt: str) -> Maker:
    """The base clip's frames, not re-encoded, in another container (``matroska``, ``mov``, ``mpegts``...)."""

    def make(folder: Path, name: str) -> Path:
        path = folder / name
        with av.open(str(base_clip())) as inp, av.open(str(path), "w", format=fmt) as out:
            stream_in = inp.streams.video[0]
            stream_out = out.add_stream_from_template(stream_in)
            for packet in inp.demux(stream_in):
                if packet.dts is None:
                    continue
                packet.stream = stream_out
                out.mux(packet)
        seed(path, frames=decodable_frames(path))
        return path

    return make


def cut(share: float, how: str = "cut") -> Maker:
    """The base clip with its index in front, cut short at ``share`` of its bytes or damaged there; seeded with
    the landmarks of the frames that still decode."""

    def make(folder: Path, name: str) -> Path:
        whole = faststart_copy(base_clip(), folder / f".whole-{name}")
        path = (cut_short if how == "cut" else damage)(whole, folder / name, share)
        whole.unlink()
        n = decodable_frames_or_zero(path)
        if n:
            seed(path, frames=n)
        return path

    return make


def decodable_frames_or_zero(path: Path) -> int:
    from formcheck.errors import InputError

    try:
        return decodable_frames(path)
    except InputError:
        return 0


def cut_plain(share: float) -> Maker:
    """The base clip as rendered (index at the end) cut short: the index is lost, nothing can be decoded."""

    def make(folder: Path, name: str) -> Path:
        return cut_short(base_clip(), folder / name, share)

    return make


def generated(n_frames: int, width: int = 64, height: int = 48, nobody: bool = False, model: bool = False) -> Maker:
    """A PyAV-written clip of moving colour bars; ``nobody``: seeded with "nobody found"; ``model``: not seeded
    (the pose model looks at it)."""

    def make(folder: Path, name: str) -> Path:
        path = write_video(folder / name, n_frames, width=width, height=height)
        if nobody:
            seed_nobody(path, n_frames)
        return path

    return make


def seed_nobody(path: Path, n_frames: int) -> None:
    """Seed ``path`` with ``n_frames`` frames (its own timestamps) where the pose model found nobody."""
    from formcheck import cache
    from formcheck.config import load_config
    from formcheck.landmarks import N_LANDMARKS
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256, iter_frames, probe

    t = np.array([f.t for f in iter_frames(path)])[:n_frames]
    n = len(t)
    seq = PoseSequence(
        xy=np.full((n, N_LANDMARKS, 2), np.nan),
        visibility=np.full((n, N_LANDMARKS), np.nan),
        t=t,
        frame_index=np.arange(n),
        meta=probe(path),
        model="full",
        world=np.full((n, N_LANDMARKS, 3), np.nan),
        n_people=np.zeros(n, dtype=np.int64),
        frame_change=np.zeros(n),
    )
    cache.store(landmark_cache_key(file_sha256(path), load_config()), seq)


def audio_only(fmt: str, codec: str) -> Maker:
    """A second of a tone and no picture at all."""

    def make(folder: Path, name: str) -> Path:
        path = folder / name
        with av.open(str(path), "w", format=fmt) as out:
            stream = out.add_stream(codec, rate=16000)
            stream.layout = "mono"
            samples = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 440) * 8000).astype(np.int16)
            frame_size = stream.codec_context.frame_size or 1024
            fmt_name = stream.codec_context.format.name
            for start in range(0, len(samples), frame_size):
                chunk = samples[start : start + frame_size]
                if len(chunk) < frame_size:
                    break
                data = chunk.reshape(1, -1)
                if fmt_name.startswith("flt"):
                    data = (data / 32768.0).astype(np.float32)
                frame = av.AudioFrame.from_ndarray(data, format=fmt_name, layout="mono")
                frame.sample_rate = 16000
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        return path

    return make


# ----------------------------------------------------------------------------------------- not videos


def data(content: bytes) -> Maker:
    def make(folder: Path, name: str) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def random_bytes(size: int, seed_: int = 0) -> Maker:
    return data(np.random.default_rng(seed_).integers(0, 256, size, dtype=np.uint8).tobytes())


def picture(ext: str) -> Maker:
    """A small picture encoded as ``ext`` (.png, .jpg, ...), saved under the case's name (often ``.mp4``)."""

    def make(folder: Path, name: str) -> Path:
        import cv2

        img = np.zeros((48, 64, 3), np.uint8)
        img[:, :32] = (40, 160, 220)
        ok, buf = cv2.imencode(ext, img)
        assert ok
        path = folder / name
        path.write_bytes(buf.tobytes())
        return path

    return make


def gif_still(folder: Path, name: str) -> Path:
    """A one-frame GIF (PyAV)."""
    path = folder / name
    with av.open(str(path), "w", format="gif") as out:
        stream = out.add_stream("gif", rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "rgb8"
        frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 90, np.uint8), format="rgb24")
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def header_only(folder: Path, name: str) -> Path:
    """The first 32 bytes of an MP4: its ``ftyp`` box and nothing else."""
    path = folder / name
    path.write_bytes(base_clip().read_bytes()[:32])
    return path


# ----------------------------------------------------------------------------------------- not files


def fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def unix_socket(folder: Path, name: str) -> Path:
    """A listening-less Unix socket file (bound, then the socket closed: the file stays)."""
    path = folder / name
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
    finally:
        sock.close()
    return path


def link_to_clip(folder: Path, name: str) -> Path:
    target = clip(folder, f".target-{name}")
    path = folder / name
    path.symlink_to(target.name)
    return path


def dangling_link(folder: Path, name: str) -> Path:
    path = folder / name
    path.symlink_to("nowhere.mp4")
    return path


def subfolder(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    return path


def missing(folder: Path, name: str) -> Path:
    return folder / name


def device(folder: Path, name: str) -> Path:
    """/dev/null itself (analyze only: a batch folder cannot hold it without root)."""
    return Path("/dev/null")
