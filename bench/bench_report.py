"""Cost of the annotated video and the HTML report next to the analysis itself.

Usage: python bench/bench_report.py [--clip PATH] [--model full] [--presets veryfast,ultrafast] [--out bench/report_results.json]

Analyses the clip end to end with the pose model (landmark cache off), then
writes the annotated video (decode full resolution, draw, encode H.264) with
each x264 preset and the HTML report, and prints each time and its cost
relative to the analysis. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLIP = ROOT.parent / "shared" / "videos" / "clip_006.mp4"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--model", default="full")
    parser.add_argument("--presets", default="veryfast,ultrafast")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    from formcheck.config import load_config
    from formcheck.pipeline import analyze_video
    from formcheck.report.html import write_html
    from formcheck.report.overlay import write_annotated_video

    cfg = load_config(overrides={"pose.model": args.model})
    start = time.perf_counter()
    analysis = analyze_video(args.clip, cfg, use_cache=False)
    analysis_s = time.perf_counter() - start
    meta = analysis.video
    result = {
        "clip": args.clip.name,
        "size": f"{meta.width}x{meta.height}",
        "frames": len(analysis.series.t),
        "video_s": round(meta.duration_s, 2),
        "model": args.model,
        "analysis_s": round(analysis_s, 3),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "overlay": {},
    }
    print(f"analysis ({args.model}): {analysis_s:.2f} s for {result['frames']} frames ({result['size']})")
    with tempfile.TemporaryDirectory() as tmp:
        for preset in args.presets.split(","):
            out = Path(tmp) / f"annotated_{preset}.mp4"
            t0 = time.perf_counter()
            write_annotated_video(analysis, args.clip, out, preset=preset)
            elapsed = time.perf_counter() - t0
            result["overlay"][preset] = {
                "elapsed_s": round(elapsed, 3),
                "fps": round(result["frames"] / elapsed, 1),
                "extra_vs_analysis": round(elapsed / analysis_s, 3),
                "size_mb": round(out.stat().st_size / 1e6, 2),
            }
            print(
                f"annotated video ({preset}): {elapsed:.2f} s = {elapsed / analysis_s:.0%} of the analysis, "
                f"{result['frames'] / elapsed:.0f} frames/s, {out.stat().st_size / 1e6:.1f} MB"
            )
        t0 = time.perf_counter()
        write_html(analysis, Path(tmp) / "report.html", Path(tmp) / f"annotated_{args.presets.split(',')[0]}.mp4")
        html_s = time.perf_counter() - t0
        result["html_s"] = round(html_s, 3)
        print(f"HTML report: {html_s:.2f} s")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
