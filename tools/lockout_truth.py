"""Top-of-rep hip readings of rendered partial lockouts against their truth (docs/ACCURACY.md "Hips through at
the top"): per rep the camera angle read, ``hinge.hips_through``'s verdict and reading (near side), the hip angle
of the left/right midpoints (shoulders, hips, knees; only where both sides are evidence) and the true top angle.

    python tools/lockout_truth.py CLIP.mp4 ... [--no-pass-gate]   (each with its label CLIP.json; see
        render_partial_lockouts.sh)

``--no-pass-gate`` lifts ``detect.lockout_pass_max_off_side_deg`` so a pass from off the square side shows its
reading (docs/ACCURACY.md 'A lockout pass needs the side view').
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from formcheck import geometry as g
from formcheck.config import load_config
from formcheck.exercises.base import Phase
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks, estimate_pose


def midline_hip_deg(xy: np.ndarray) -> np.ndarray:
    """Shoulder-hip-knee angle of the left/right midpoints, per frame (NaN where a side is missing)."""

    def mid(left: Landmark, right: Landmark) -> np.ndarray:
        return np.asarray((xy[:, left] + xy[:, right]) / 2.0)

    shoulder = mid(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hip = mid(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    knee = mid(Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE)
    return np.asarray(g.interior_angle(shoulder, hip, knee))


def rows(path: Path, pass_gate: bool = True) -> list[dict]:
    config = load_config()
    if not pass_gate:
        config = dataclasses.replace(
            config, detect=dataclasses.replace(config.detect, lockout_pass_max_off_side_deg=90.0)
        )
    label = json.loads(path.with_suffix(".json").read_text())
    analysis = analyze_landmarks(estimate_pose(path, config, use_cache=True), config, exercise="rdl")
    yaw = analysis.view.detail.get("yaw_deg")
    midline = midline_hip_deg(np.asarray(analysis.landmarks_xy))
    out = []
    for rep in analysis.reps:
        a, b = Phase.TOP.window(rep)
        truth = [t for t in label["reps"] if abs(t["lockout_frame"] - rep.lockout) <= 10]
        finding = next(f for f in analysis.findings if f.rule == "hinge.hips_through" and f.rep == rep.index)
        top = midline[a:b]
        out.append(
            {
                "clip": path.stem,
                "azimuth": label["camera"]["azimuth_deg"],
                "off_side_read": None if yaw is None else round(90.0 - float(yaw), 1),
                "rep": rep.index,
                "size": truth[0]["fault_sizes"].get("partial_lockout", 0.0) if truth else None,
                "true_top_deg": truth[0]["quantities"]["top_hip_deg"] if truth else None,
                "verdict": finding.verdict,
                "near_side_deg": finding.value,
                "midline_deg": float(np.nanmax(top)) if np.isfinite(top).any() else None,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("clips", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write the rows here too")
    parser.add_argument("--no-pass-gate", action="store_true", help="judge passes at any camera angle")
    args = parser.parse_args()
    table = [row for clip in args.clips for row in rows(clip, pass_gate=not args.no_pass_gate)]
    for r in table:
        print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()))
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
