"""Look for footage that loops in video files, decoding only (no pose model), and measure compression noise.

Usage:
    python tools/loop_scan.py VIDEO_OR_FOLDER ...            per clip: loop found?, lag, run, match, motion
    python tools/loop_scan.py --noise [--crf 23 28] VIDEO ... each clip re-encoded twice in a row (a loop at
                                                             a known lag): the match error at that lag

The first mode prints, for every clip, the repeats :func:`formcheck.loops.find_loops` finds with the default
settings, and the closest any stretch of ``min_run_s`` with motion came to matching (the margin to
``loops.match_max_gl``). The second measures what a match is: the same frames encoded twice by H.264 at a
known lag differ only by compression noise; its percentiles are the basis of ``loops.match_max_gl``.
Signatures are computed in memory and never written.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from scipy.ndimage import median_filter

from formcheck.config import LoopConfig, PoseConfig
from formcheck.loops import decoded_signatures, find_loops, frame_motion, lag_errors
from formcheck.video import iter_frames

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v")


def signatures(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(T, 64) signatures and (T,) times of a video, decoded as the pose stage decodes it."""
    signed, _, times = decoded_signatures(path, PoseConfig().max_side_px)
    return signed, times


def closest_stretch(sig: np.ndarray, t: np.ndarray, config: LoopConfig) -> tuple[float, float, float]:
    """(median match error, lag s, start s) of the stretch of twice ``min_run_s`` holding half ``min_moving_s`` of
    motion that matched the frames one lag earlier best, over every lag: how near a clip came to being called a
    loop (twice the shortest repeat, so that a set with quick moves and long holds has such stretches)."""
    n = len(sig)
    fps = 1.0 / float(np.median(np.diff(t)))
    run = int(np.ceil(2 * config.min_run_s * fps))
    moving = np.concatenate(([0], np.cumsum(frame_motion(sig) >= config.moving_min_gl)))
    enough = (moving[run:] - moving[:-run]) / fps >= config.min_moving_s / 2  # windows [k, k + run) with motion
    best = (np.inf, float("nan"), float("nan"))
    for lag in range(int(np.ceil(config.min_lag_s * fps)), n - run + 1):
        errors = lag_errors(sig, lag, config.lag_jitter_frames)
        medians = median_filter(np.where(np.isfinite(errors), errors, 1e9), size=run, origin=-(run // 2))
        starts = np.arange(lag, n - run + 1)
        ok = starts[enough[starts]]
        if ok.size and (k := int(ok[np.argmin(medians[ok])])) is not None and medians[k] < best[0]:
            best = (float(medians[k]), float(t[k] - t[k - lag]), float(t[k]))
    return best


def scan(paths: list[Path], config: LoopConfig) -> None:
    for path in paths:
        sig, t = signatures(path)
        if len(t) < 2:
            print(f"{path.name}: no frames")
            continue
        loops = find_loops(sig, t, config)
        near, near_lag, near_at = closest_stretch(sig, t, config)
        closest = "none" if not np.isfinite(near) else f"{near:.2f} gl (lag {near_lag:.2f} s at {near_at:.1f} s)"
        if loops:
            found = "; ".join(
                f"LOOP lag {lp.lag_s:.2f} s, {lp.start_s:.1f}-{lp.end_s:.1f} s repeats from {lp.source_start_s:.1f} s "
                f"(run {lp.end_s - lp.start_s:.1f} s, match {lp.match_gl:.2f} gl, replays {lp.moving_s:.1f} s of motion)"
                for lp in loops
            )
        else:
            found = "no loop"
        print(
            f"{path.name:40s} {t[-1]:5.1f} s  {found} | closest {2 * config.min_run_s:g} s with motion: {closest}",
            flush=True,
        )


def looped_copy(src: Path, dst: Path, crf: int, plays: int = 2) -> int:
    """``src`` decoded and encoded ``plays`` times in a row into one H.264 stream at ``crf``; returns the
    number of frames in one play (the loop's lag in frames)."""
    import av

    frames = [f.rgb for f in iter_frames(src, max_side=PoseConfig().max_side_px)]
    height, width = frames[0].shape[:2]
    with av.open(str(dst), "w") as out:
        stream = out.add_stream("libx264", rate=30, options={"crf": str(crf)})
        stream.width, stream.height, stream.pix_fmt = width // 2 * 2, height // 2 * 2, "yuv420p"
        for _ in range(plays):
            for rgb in frames:
                img = np.ascontiguousarray(rgb[: stream.height, : stream.width])
                for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return len(frames)


def noise(paths: list[Path], crfs: list[int]) -> None:
    pooled: list[np.ndarray] = []
    for path in paths:
        for crf in crfs:
            with tempfile.TemporaryDirectory() as tmp:
                looped = Path(tmp) / "looped.mp4"
                lag = looped_copy(path, looped, crf)
                sig, _ = signatures(looped)
            errors = lag_errors(sig, lag)[lag:]
            pooled.append(errors)
            p50, p95, p99 = np.percentile(errors, [50, 95, 99])
            print(
                f"{path.name:40s} crf {crf}: {len(errors)} frames, match error p50 {p50:.2f} p95 {p95:.2f} "
                f"p99 {p99:.2f} max {errors.max():.2f} gl",
                flush=True,
            )
    if pooled:
        every = np.concatenate(pooled)
        p50, p95, p99 = np.percentile(every, [50, 95, 99])
        print(f"all: {len(every)} frames, p50 {p50:.2f} p95 {p95:.2f} p99 {p99:.2f} max {every.max():.2f} gl")


def _videos(items: list[str]) -> list[Path]:
    out: list[Path] = []
    for item in items:
        path = Path(item)
        out += sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES) if path.is_dir() else [path]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("videos", nargs="+", help="video files or folders of them")
    parser.add_argument("--noise", action="store_true", help="measure compression noise on re-encoded loops")
    parser.add_argument("--crf", type=int, nargs="+", default=[23, 28], help="H.264 qualities for --noise")
    args = parser.parse_args()
    paths = _videos(args.videos)
    if args.noise:
        noise(paths, args.crf)
    else:
        scan(paths, LoopConfig())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
