"""Render the README's pictures from our own synthetic sample clip (no pose model: cached landmarks).

Usage: python tools/make_readme_images.py [--clip hip_thrust_head_back] [--frame 340]

Writes docs/images/report.png (the HTML report in headless chromium, via
playwright) and docs/images/annotated_frame.png (one frame of the annotated
video). Needs /usr/bin/chromium and the test extra (playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import av
import cv2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", default="hip_thrust_head_back")
    parser.add_argument("--frame", type=int, default=340)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from formcheck.pipeline import analyze_landmarks
    from formcheck.report.html import write_html
    from formcheck.report.overlay import write_annotated_video
    from formcheck.types import PoseSequence

    video = ROOT / "sample_videos" / f"{args.clip}.mp4"
    seq = PoseSequence.load_npz(ROOT / "tests" / "data" / "landmarks" / f"{args.clip}.full.npz")
    analysis = analyze_landmarks(seq.replace(meta=replace(seq.meta, path=str(video))))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        clip = write_annotated_video(analysis, video, Path(tmp) / "set.annotated.mp4")
        with av.open(str(clip)) as container:
            for i, frame in enumerate(container.decode(video=0)):
                if i == args.frame:
                    rgb = frame.to_ndarray(format="rgb24")
                    break
        cv2.imwrite(
            str(OUT / "annotated_frame.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9]
        )
        html = write_html(analysis, Path(tmp) / "set.html", clip)
        shot = Path(tmp) / "report.png"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1500})
            page.goto(html.resolve().as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(shot), full_page=False)
            browser.close()
        # Palette PNG keeps the picture crisp and small (< 300 KB).
        img = cv2.imread(str(shot))
        img = cv2.resize(img, (img.shape[1] * 8 // 10, img.shape[0] * 8 // 10), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(OUT / "report.png"), img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    for name in ("report.png", "annotated_frame.png"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
