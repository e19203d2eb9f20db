"""How far one rep's range of motion reads off its set's other reps, on rendered sets with known truth.

Usage: python tools/rom_noise.py DIR [--json OUT]

DIR holds rendered clips with their labels and cached landmarks (``<stem>.mp4``, ``<stem>.json``,
``<stem>.full.npz``), as ``formcheck eval --sensitivity DIR --grid rates`` leaves them. Each clip is analysed
with its video; each counted rep is matched to a rendered rep as ``formcheck eval --sensitivity`` matches them
(:func:`formcheck.sensitivity.match_reps`: nearest lockout, each used once), and its reading minus the true range (the rendered hip angle's highest from the bottom to the rep's end, less its
lowest from the start to the lockout) is taken about its set's mean: what is left is how far a rep reads off the
set's other reps. The pooled SD (sum of squares over the sets' n - 1 degrees of freedom, sets with three or more
reps read) by lift and camera angle; over the cells up to 15 degrees off the side it is ``reps.rom_noise_side_deg``,
over the rest ``reps.rom_noise_oblique_deg`` (docs/ACCURACY.md "A range-of-motion trend only where the ranges say so").
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from formcheck.config import DetectConfig, load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence

#: The pure side view's limit (degrees off the side, ``90 - detect.pure_side_min_yaw_deg``): grid cells up to it make
#: ``reps.rom_noise_side_deg``, the rest ``reps.rom_noise_oblique_deg``.
PURE_SIDE_DEG = 90.0 - DetectConfig().pure_side_min_yaw_deg
#: Sets with fewer reps read than this say nothing about the scatter about their own mean.
MIN_REPS = 3


def true_ranges(label: dict) -> list[float]:
    """Per rendered rep, its true range of motion (degrees)."""
    hip = np.asarray(label["frames"]["angles"]["hip_deg"], dtype=float)
    out = []
    for rep in label["reps"]:
        a, b, lock, e = rep["start_frame"], rep["bottom_frame"], rep["lockout_frame"], rep["end_frame"]
        out.append(float(np.nanmax(hip[b : e + 1]) - np.nanmin(hip[a : lock + 1])))
    return out


def read_errors(stem: Path) -> list[float]:
    """Reading minus truth for each counted rep of one rendered clip whose range was read."""
    label = json.loads(stem.with_suffix(".json").read_text())
    analysis = analyze_landmarks(
        PoseSequence.load_npz(f"{stem}.full.npz"), load_config(), video=stem.with_suffix(".mp4")
    )
    counted = {r.index: r for r in analysis.reps}
    matched = match_reps([rep["lockout_s"] for rep in label["reps"]], analysis.reps)
    truth = true_ranges(label)
    return [float(counted[i].rom_deg) - truth[j] for j, i in sorted(matched.items()) if np.isfinite(counted[i].rom_deg)]


def azimuth(stem: Path) -> int:
    """The camera's angle off the side from a grid clip's name (``..._az30_...``)."""
    return int(stem.name.split("_az")[1].split("_")[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="write each clip's errors here")
    args = parser.parse_args()
    squares: dict[tuple[str, str], float] = defaultdict(float)
    freedom: dict[tuple[str, str], int] = defaultdict(int)
    reps: dict[tuple[str, str], int] = defaultdict(int)
    sets: dict[tuple[str, str], int] = defaultdict(int)
    per_clip = {}
    for spec in sorted(args.folder.glob("*.spec.json")):
        stem = spec.with_name(spec.name[: -len(".spec.json")])
        if not Path(f"{stem}.full.npz").exists():
            continue
        lift = json.loads(stem.with_suffix(".json").read_text())["lift"]
        errors = np.array(read_errors(stem))
        per_clip[stem.name] = errors.round(2).tolist()
        if len(errors) < MIN_REPS:
            continue
        az = azimuth(stem)
        # the two settings' classes: every shot a pure side view (up to 15 deg off), and filmed further round
        view = "0-15" if az <= PURE_SIDE_DEG else "30-45"
        keys = ((lift, str(az)), ("all", str(az)), (lift, "all"), ("all", view), ("all", "all"))
        for key in keys:
            squares[key] += float(np.sum((errors - errors.mean()) ** 2))
            freedom[key] += len(errors) - 1
            reps[key] += len(errors)
            sets[key] += 1
    print("| lift | camera off side | sets | reps | a rep off its set (pooled SD) |")
    print("| --- | --- | --- | --- | --- |")
    for key in sorted(squares, key=lambda k: (k[0], k[1] == "all", "-" in k[1], k[1].zfill(5))):
        sd = np.sqrt(squares[key] / freedom[key])
        print(f"| {key[0]} | {key[1]}° | {sets[key]} | {reps[key]} | {sd:.2f}° |".replace("all°", "all"))
    if args.json:
        args.json.write_text(json.dumps(per_clip, indent=1))


if __name__ == "__main__":
    main()
