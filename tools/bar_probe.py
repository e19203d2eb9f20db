"""Follow the bar check frame by frame on real clips: what it saw at each frame of each hinge rep.

Usage: python tools/bar_probe.py STEM [STEM ...] [--landmarks tests/data/landmarks] [--frames T0 T1 OUT_DIR]

Each clip is judged as ``formcheck analyze`` judges it (its cached landmarks with its video, default config);
for every rep the bar check followed it prints the verdict and, per frame followed (every ``--every``-th), the
share of the bar's points still followed, the share still followed and still, how far the hands had risen (a
share of their rise to lockout, camera removed) and how the camera's motion was measured (``homography`` on the
background points, ``median``, ``none``). ``--frames`` writes
the clip's frames from T0 to T1 s as PNGs to OUT_DIR to look at (never commit frames of third-party clips).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from formcheck import barbell
from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from snapshot_reports import video_for  # noqa: E402


def probe(stem: str, landmarks: Path, every: int) -> None:
    video = video_for(stem)
    if video is None:
        print(f"{stem}: no video")
        return
    seen: list[barbell._Tracker] = []
    verdict = barbell._Tracker.verdict

    def keep(self: barbell._Tracker) -> barbell.BarCheck:  # the tracker as it gives its verdict
        seen.append(self)
        return verdict(self)

    barbell._Tracker.verdict = keep  # type: ignore[method-assign]
    try:
        analysis = analyze_landmarks(PoseSequence.load_npz(landmarks / f"{stem}.full.npz"), load_config(), video=video)
    finally:
        barbell._Tracker.verdict = verdict  # type: ignore[method-assign]
    print(f"{stem}: {len(analysis.reps)} reps, bar check {analysis.timings.get('bar_check_s')} s")
    trackers = {tr.rep.index: tr for tr in seen}
    for row in analysis.bar_checks:
        c = row.check
        print(
            f"  rep {c.rep} ({row.t_bottom:.2f}-{row.t_lockout:.2f} s): {c.verdict}, points {c.points}, "
            f"tracked {c.tracked:.2f}, stayed {c.stayed:.2f}, rose {c.rose:.2f}: {c.reason}"
        )
        tr = trackers.get(c.rep)
        if tr is None or not tr.rows:
            continue
        rise = tr.rise()
        print(f"    background points {len(tr.start_pts) - tr.n_bar}, rise {rise:.1f} px")
        for k in range(0, len(tr.rows), every):
            live, moved = tr.alive_at[k], tr.moved_at[k]
            stayed = np.mean(live & (moved <= tr.config.still_share_of_rise * rise))
            print(
                f"    row {tr.rows[k]}: tracked {live.mean():.2f} stayed {stayed:.2f} "
                f"risen {tr.rise_at[k] / rise:.2f} camera {tr.camera_at[k]}"
            )


def frames(stem: str, t0: float, t1: float, out: Path) -> None:
    import cv2

    from formcheck.video import iter_frames

    out.mkdir(parents=True, exist_ok=True)
    video = video_for(stem)
    assert video is not None
    for f in iter_frames(video, max_side=480, start_s=t0, stop_s=t1):
        cv2.imwrite(str(out / f"{stem}_{f.t:07.3f}.png"), cv2.cvtColor(f.rgb, cv2.COLOR_RGB2BGR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stems", nargs="+")
    parser.add_argument("--landmarks", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--every", type=int, default=1, help="print every n-th frame followed")
    parser.add_argument("--frames", nargs=3, metavar=("T0", "T1", "OUT_DIR"))
    args = parser.parse_args()
    if args.frames:
        t0, t1, out = args.frames
        for stem in args.stems:
            frames(stem, float(t0), float(t1), Path(out))
        return 0
    for stem in args.stems:
        probe(stem, Path(args.landmarks), args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
