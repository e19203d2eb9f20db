"""Remake the README's screenshots from the project's own rendered sample clips (no pose model: stored landmarks).

Usage: python tools/screenshots.py [--out docs/images]

Writes, in headless chromium (playwright; needs /usr/bin/chromium and the test extra):

* ``terminal_report.png``: ``formcheck analyze`` of ``sample_videos/hip_thrust_head_back.mp4`` as the terminal
  shows it (rich's SVG export of the same report, drawn by the browser);
* ``report_1280.png`` and ``report_390.png``: its HTML report at desktop and phone width (top of the page);
* ``batch_index.png``: the ``index.html`` of ``formcheck batch --html`` over the four sample clips, a text file
  and a cut-short copy.

Only clips this project renders itself are used (never footage from ../shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
LANDMARKS = ROOT / "tests" / "data" / "landmarks"
CLIP = "hip_thrust_head_back"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
#: Terminal width (columns) of the terminal screenshot.
TERMINAL_COLUMNS = 112
#: Screenshots are scaled by this before saving (smaller files, still sharp).
SCALE = 0.8


def _analysis(clip: str):
    from formcheck.pipeline import analyze_landmarks
    from formcheck.types import PoseSequence

    video = SAMPLES / f"{clip}.mp4"
    seq = PoseSequence.load_npz(LANDMARKS / f"{clip}.full.npz")
    return analyze_landmarks(seq.replace(meta=replace(seq.meta, path=str(video)))), video


def terminal_svg(analysis, folder: Path) -> Path:
    """The terminal report, recorded by rich and exported as an SVG page."""
    from rich.console import Console

    from formcheck.report.console import print_report

    console = Console(record=True, width=TERMINAL_COLUMNS, file=StringIO(), force_terminal=True)
    print_report(analysis, console)
    path = folder / "terminal.svg"
    path.write_text(console.export_svg(title="formcheck analyze sample_videos/hip_thrust_head_back.mp4"))
    return path


def batch_index(folder: Path) -> Path:
    """``formcheck batch --html`` over the sample clips (their landmarks seeded in a private cache)."""
    from formcheck.batch import run_batch
    from tests.helpers import seed_cache

    os.environ["FORMCHECK_CACHE"] = str(folder / "cache")
    videos = folder / "videos"
    videos.mkdir()
    for clip in ("hip_thrust_head_back", "hip_thrust_portrait_overextension", "rdl_clean", "rdl_knees_bend"):
        shutil.copyfile(SAMPLES / f"{clip}.mp4", videos / f"{clip}.mp4")
        seed_cache(videos / f"{clip}.mp4", LANDMARKS / f"{clip}.full.npz")
    (videos / "notes.txt").write_text("filmed on Monday\n")
    (videos / "upload_cut_short.mp4").write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes()[:20000])
    run_batch(videos, folder / "reports", html=True, jobs=2)
    return folder / "reports" / "index.html"


def _shoot(page, url: str, width: int, height: int, out: Path, element: str | None = None) -> None:
    """A screenshot of ``url`` at ``width`` x ``height`` (of its ``element`` only, when given), scaled by SCALE."""
    import cv2

    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    page.wait_for_load_state("load")
    raw = out.with_suffix(".raw.png")
    if element is not None:
        page.locator(element).first.screenshot(path=str(raw))
    else:
        page.screenshot(path=str(raw))
    img = cv2.imread(str(raw))
    raw.unlink()
    img = cv2.resize(img, (int(img.shape[1] * SCALE), int(img.shape[0] * SCALE)), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(out), img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"{out}: {out.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # tests.helpers

    from playwright.sync_api import sync_playwright

    from formcheck.report.html import write_html
    from formcheck.report.overlay import write_annotated_video

    args.out.mkdir(parents=True, exist_ok=True)
    analysis, video = _analysis(CLIP)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        svg = terminal_svg(analysis, folder)
        clip = write_annotated_video(analysis, video, folder / "set.annotated.mp4")
        html = write_html(analysis, folder / "set.html", clip)
        index = batch_index(folder)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            _shoot(page, svg.as_uri(), 1100, 1040, args.out / "terminal_report.png", element="svg")
            _shoot(page, html.as_uri(), 1280, 1300, args.out / "report_1280.png")
            _shoot(page, html.as_uri(), 390, 1500, args.out / "report_390.png")
            _shoot(page, index.as_uri(), 1440, 600, args.out / "batch_index.png", element="body")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
