"""Processing speed and peak memory of `formcheck analyze`, per pose model.

Usage: python bench/bench_pose.py [--clip PATH] [--models lite,full,heavy] [--repeat 4] [--out bench/results.json]

For each model it analyses a 1080p clip and a clip made of the same frames
repeated ``--repeat`` times (written to a temporary folder, never committed),
each in a fresh process with the landmark cache off, and reports frames per
second, the real-time factor (video seconds per processing second) and the
peak resident memory of that process. Memory that stays flat between the
short and the long clip shows frames are streamed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLIP = ROOT.parent / "shared" / "videos" / "clip_006.mp4"

CHILD = r"""
import json, resource, sys, time
from formcheck.config import load_config
from formcheck.pipeline import analyze_video
cfg = load_config(overrides={"pose.model": sys.argv[2]})
start = time.perf_counter()
a = analyze_video(sys.argv[1], cfg, use_cache=False)
elapsed = time.perf_counter() - start
print(json.dumps({"frames": len(a.series.t), "video_s": a.video.duration_s, "elapsed_s": elapsed,
                  "pose_s": a.timings["pose_s"], "bar_check_s": a.timings.get("bar_check_s", 0.0), "reps": len(a.reps),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


#: Key frame interval of the written clip: about what phones write (1-2 s). x264's default (250 frames) made
#: each seek of the bar check decode up to 8 s of 1080p video, a cost real clips do not have.
KEYFRAME_EVERY_S = 1.0


def repeat_clip(src: Path, dst: Path, times: int) -> Path:
    """Write ``src``'s frames ``times`` times in a row as one H.264 clip (a key frame every second)."""
    import av

    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        rate = stream.average_rate or Fraction(30)
        out = av.open(str(dst), "w")
        ostream = out.add_stream("libx264", rate=rate)
        ostream.width, ostream.height, ostream.pix_fmt = (
            stream.codec_context.width,
            stream.codec_context.height,
            "yuv420p",
        )
        ostream.options = {"preset": "veryfast", "crf": "20", "g": str(max(1, round(float(rate) * KEYFRAME_EVERY_S)))}
        index = 0
        for _ in range(times):
            inp.seek(0)
            for frame in inp.decode(stream):
                frame = frame.reformat(format="yuv420p")
                frame.pts, frame.time_base = index, 1 / Fraction(rate)
                index += 1
                for packet in ostream.encode(frame):
                    out.mux(packet)
        for packet in ostream.encode():
            out.mux(packet)
        out.close()
    return dst


def run(clip: Path, model: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(clip), model],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "FORMCHECK_CACHE": tempfile.mkdtemp()},
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark run failed for {clip} ({model}): {proc.stderr.strip()[-400:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["fps"] = result["frames"] / result["elapsed_s"]
    result["realtime_factor"] = result["video_s"] / result["elapsed_s"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--models", default="lite,full,heavy")
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    if not args.clip.exists():
        raise SystemExit(f"{args.clip} not found: give a 1080p clip with --clip")
    with tempfile.TemporaryDirectory() as tmp:
        long_clip = repeat_clip(args.clip, Path(tmp) / "long.mp4", args.repeat)
        rows = []
        for model in args.models.split(","):
            for label, clip in (("short", args.clip), (f"{args.repeat}x", long_clip)):
                r = run(clip, model)
                r.update(model=model, clip=label)
                rows.append(r)
                print(
                    f"{model:6s} {label:6s} {r['frames']:5d} frames {r['video_s']:6.1f} s video  "
                    f"{r['fps']:6.1f} fps  {r['realtime_factor']:5.2f}x real time  bar check {r['bar_check_s']:.2f} s  "
                    f"peak {r['peak_rss_mb']:6.0f} MB",
                    flush=True,
                )
    info = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "clip": args.clip.name,
        "rows": rows,
    }
    args.out.write_text(json.dumps(info, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
