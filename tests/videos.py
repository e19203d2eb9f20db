"""Small videos this project writes itself for tests (never third-party footage)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def write_video(
    path: Path,
    n_frames: int,
    width: int = 160,
    height: int = 96,
    fps: int = 30,
    rotation: int = 0,
    pts_s: list[float] | None = None,
) -> Path:
    """Write an H.264 clip of moving colour bars.

    ``rotation`` sets the container's display matrix (counter-clockwise degrees).
    ``pts_s`` gives each frame's presentation time (variable frame rate).
    """
    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    if pts_s is not None:
        stream.codec_context.time_base = __import__("fractions").Fraction(1, 1000)
    if rotation:
        stream.set_display_rotation(rotation)
    for i in range(n_frames):
        img = np.zeros((height, width, 3), np.uint8)
        img[:, : width // 2] = 255  # left half white: tells where the image's left went
        img[:, :, 1] = (i * 7) % 255
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        if pts_s is not None:
            frame.pts = int(round(pts_s[i] * 1000))
            frame.time_base = __import__("fractions").Fraction(1, 1000)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def faststart_copy(src: Path, dst: Path) -> Path:
    """``src``'s video stream re-muxed (no re-encoding) into an MP4 with its index (the moov atom) at the front,
    as phones and web exports write them: a copy cut short still opens and announces its full length."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", options={"movflags": "faststart"}) as out:
        stream_in = inp.streams.video[0]
        stream_out = out.add_stream_from_template(stream_in)
        for packet in inp.demux(stream_in):
            if packet.dts is None:  # the flush packet
                continue
            packet.stream = stream_out
            out.mux(packet)
    return dst


def cut_short(src: Path, dst: Path, share: float) -> Path:
    """The first ``share`` of ``src``'s bytes: a copy or upload that stopped part-way."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * share)])
    return dst


def damage(src: Path, dst: Path, at: float, n_bytes: int = 4096, seed: int = 0) -> Path:
    """``src`` with ``n_bytes`` of random bytes written over it from ``at`` (a share of its length)."""
    data = bytearray(src.read_bytes())
    start = int(len(data) * at)
    data[start : start + n_bytes] = np.random.default_rng(seed).integers(0, 256, n_bytes, dtype=np.uint8).tobytes()
    dst.write_bytes(bytes(data))
    return dst


def mirrored_copy(src: Path, dst: Path, seconds: float) -> Path:
    """The first ``seconds`` of ``src`` with every frame flipped left to right (H.264, same size and frame rate),
    and, beside it, the same frames unflipped (``<dst stem>.asis.mp4``): a lifter facing the other way, and the
    lifter as filmed, from one encoder."""
    asis = dst.with_name(f"{dst.stem}.asis.mp4")
    with av.open(str(src)) as inp:
        stream_in = inp.streams.video[0]
        rate = stream_in.average_rate or 30
        outs = [av.open(str(p), "w") for p in (dst, asis)]
        streams = []
        for out in outs:
            s = out.add_stream("libx264", rate=rate)
            s.width, s.height, s.pix_fmt = stream_in.width, stream_in.height, "yuv420p"
            s.options = {"qp": "0"}  # lossless: the two files hold exact mirror images
            streams.append(s)
        for frame in inp.decode(stream_in):
            if frame.time is not None and frame.time >= seconds:
                break
            rgb = frame.to_ndarray(format="rgb24")
            for out, s, img in zip(outs, streams, (np.ascontiguousarray(rgb[:, ::-1]), rgb)):
                for packet in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                    out.mux(packet)
        for out, s in zip(outs, streams):
            for packet in s.encode():
                out.mux(packet)
            out.close()
    return dst
