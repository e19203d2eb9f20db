"""How far the pose model's hip and knee lie from the true joints inside and outside the near plate's disc, on a
stored rendered grid: the numbers behind ``plates.bridge_min_hiding_radius_leg``.

    python tools/plate_depth.py /work/scratch/sens-rules [--azimuth 0] [--json rows.json]

Every clip of the grid filmed at ``--azimuth`` is analysed from its stored landmarks with its video (the plate
search runs, as in ``formcheck eval --sensitivity``); the plate's disc per frame and the body points the trust
stage tests against it are taken where the pipeline hands them on (:func:`formcheck.plates.hiding_radius`,
:func:`formcheck.trust.behind_plate`): every disc found, also those too small to hide a thrust's hip. Per frame
with a disc: the joint's depth inside the rim (radius minus distance from the centre, leg lengths; negative
outside) and its distance from the label's true near-side joint (leg lengths). Printed per lift, joint, plate
size (the rates grid's default body lifts small plates, body 1 45 cm ones) and phase of the rep, by depth.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from formcheck import pipeline
from formcheck.config import load_config
from formcheck.types import PoseSequence

DEPTHS = ((-9.0, 0.0), (0.0, 0.025), (0.025, 0.05), (0.05, 0.075), (0.075, 0.1), (0.1, 0.15), (0.15, 9.0))


def clip_rows(mp4: Path, config: Any) -> list[dict[str, Any]]:
    """One row per frame with a plate and joint of the clip ``mp4`` (landmarks, label and spec beside it)."""
    seen: dict[str, Any] = {}
    real_behind, real_hiding = pipeline.trust.behind_plate, pipeline.plates.hiding_radius

    def behind(table: Any, points: Any, centre: Any, radius: Any, joints: Any, margin: float) -> Any:
        seen.update(points=points)
        return real_behind(table, points, centre, radius, joints, margin)

    def hiding(track: Any, family: str, leg_px: float, plate_config: Any) -> Any:
        seen.update(centre=track.centre, radius=track.radius)  # every disc found, before a small one is let off
        return real_hiding(track, family, leg_px, plate_config)

    seq = PoseSequence.load_npz(mp4.with_name(f"{mp4.stem}.{config.pose.model}.npz"))
    with (
        mock.patch.object(pipeline.trust, "behind_plate", behind),
        mock.patch.object(pipeline.plates, "hiding_radius", hiding),
    ):
        analysis = pipeline.analyze_landmarks(seq, config, video=mp4)
    plates = analysis.plates or {}
    radii_leg = [r["radius_leg"] for r in plates.get("reps", []) if r.get("radius_leg")]
    radius = seen.get("radius")
    if not radii_leg or radius is None or not np.any(np.isfinite(radius)):
        return []
    leg_px = float(np.nanmedian(radius)) / float(np.median(radii_leg))
    label = json.loads(mp4.with_suffix(".json").read_text())
    spec = json.loads(mp4.with_suffix(".spec.json").read_text())["job"]
    phase = np.full(len(analysis.series.t), "", dtype=object)
    for rep in analysis.reps:
        phase[rep.start : rep.bottom + 1] = "down"
        phase[rep.bottom : rep.lockout] = "up"
        phase[rep.lockout : rep.end + 1] = "top"
    rows = []
    rows_at = analysis.series.frame_index
    truth_2d = label["frames"]["landmarks_2d"]
    for joint in ("hip", "knee"):
        if joint not in seen["points"]:
            continue
        truth = np.asarray(truth_2d[f"{label['near_side']}_{joint}"], dtype=float)[rows_at]
        points = np.asarray(seen["points"][joint], dtype=float)
        depth = (radius - np.linalg.norm(points - seen["centre"], axis=1)) / leg_px
        error = np.linalg.norm(points - truth, axis=1) / leg_px
        for i in np.flatnonzero(np.isfinite(depth) & np.isfinite(error)):
            rows.append(
                {
                    "clip": mp4.stem,
                    "lift": label["lift"],
                    "plates": "45 cm" if spec["full_plates"] else "small",
                    "joint": joint,
                    "phase": str(phase[i]),
                    "radius_leg": float(radius[i] / leg_px),
                    "depth_leg": float(depth[i]),
                    "error_leg": float(error[i]),
                }
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--azimuth", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    config = load_config()
    rows: list[dict[str, Any]] = []
    for mp4 in sorted(args.folder.glob(f"*_az{args.azimuth}_*.mp4")):
        rows += clip_rows(mp4, config)
    if args.json:
        args.json.write_text(json.dumps(rows) + "\n")
    groups = sorted({(r["lift"], r["joint"], r["plates"], r["phase"]) for r in rows})
    for lift, joint, size, phase in groups:
        sel = [r for r in rows if (r["lift"], r["joint"], r["plates"], r["phase"]) == (lift, joint, size, phase)]
        radius = statistics.median(r["radius_leg"] for r in sel)
        print(f"{lift} {joint}, {size} plates (radius {radius:.2f} leg lengths), {phase or 'between reps'}:")
        for lo, hi in DEPTHS:
            errors = sorted(r["error_leg"] for r in sel if lo <= r["depth_leg"] < hi)
            if not errors:
                continue
            p90 = errors[min(len(errors) - 1, math.floor(0.9 * len(errors)))]
            where = "outside the disc" if hi <= 0 else f"{lo:.3f}-{hi:.3f} inside the rim"
            print(
                f"  {where:28s} frames {len(errors):4d}  error median {statistics.median(errors):.3f}"
                f"  p90 {p90:.3f}  max {errors[-1]:.3f}"
            )


if __name__ == "__main__":
    main()
