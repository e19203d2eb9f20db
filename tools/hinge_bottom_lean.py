"""How far the trunk leans at each counted hinge rep's bottom, in every clip of a landmark folder, least first.

Usage: python tools/hinge_bottom_lean.py [--landmarks tests/data/landmarks] [--videos ../shared/videos]

One row per hinge rep: the clip, the view of the shot it sits in, the rep, the trunk's 2D angle from vertical at the
bottom and its largest from the descent to the lockout. The survey behind ``reps.hinge_bottom_min_torso_deg``
(docs/ACCURACY.md "The counts the mirror pass lost"): a rep leaning less than that from the side is a hip angle that
closed with the trunk upright. Not a test: a listing for people.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.config import load_config
from formcheck.errors import FormcheckError
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence


def _shot_view(analysis, t: float) -> str:
    """The view of the shot holding time ``t`` (the clip's own view when it is one shot)."""
    shots = analysis.view.detail.get("shots") if analysis.view.label == "mixed" else None
    if not shots:
        return analysis.view.label
    inside = [s["view"] for s in shots if s["t_start"] <= t <= s["t_end"] + 0.05]
    return inside[0] if inside else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landmarks", type=Path, default=Path("tests/data/landmarks"))
    parser.add_argument("--videos", type=Path, default=Path("../shared/videos"))
    parser.add_argument("--model", default="full")
    args = parser.parse_args()
    config = load_config()
    rows = []
    for path in sorted(args.landmarks.glob(f"*.{args.model}.npz")):
        clip = path.name.split(".")[0]
        video = args.videos / f"{clip}.mp4"
        try:
            analysis = analyze_landmarks(PoseSequence.load_npz(path), config, video=video if video.exists() else None)
        except FormcheckError:
            continue
        if analysis.family != "hinge":
            continue
        lean = np.abs(analysis.series["torso_incline_deg"])
        for rep in analysis.reps:
            span = lean[rep.start : rep.lockout + 1]
            most = float(np.nanmax(span)) if np.isfinite(span).any() else float("nan")
            rows.append((most, clip, _shot_view(analysis, rep.t_bottom), rep.index, float(lean[rep.bottom])))
    print("| clip | shot | rep | lean at the bottom (°) | most lean, descent to lockout (°) |")
    print("| --- | --- | --- | --- | --- |")
    for most, clip, view, index, at_bottom in sorted(rows):
        print(f"| {clip} | {view} | {index} | {at_bottom:.1f} | {most:.1f} |")


if __name__ == "__main__":
    main()
