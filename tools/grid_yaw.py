"""Measured camera yaw against the truth on stored rendered clips (a sensitivity grid's or tools/yaw_table.py's).

Usage: python tools/grid_yaw.py DIR [DIR ...] [--clips]

Reads each ``<clip>.full.npz`` beside its ``<clip>.spec.json`` (a sensitivity grid: lift, body, azimuth) or
``<clip>.json`` (tools/yaw_table.py: the label's camera azimuth); never runs the pose model. Prints, per lift,
body and true azimuth, the range of :func:`formcheck.camera.measure_yaw` over the clips, the share of frames whose
shoulder and hip pairs disagree (:func:`formcheck.camera.pairs_disagree`, read from the narrower pair) and the
per-pair medians behind them (3D axes, 2D widths); ``--clips`` prints every clip too. docs/ACCURACY.md "Camera
angle (yaw) of a lifter behind the plates".
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.camera import image_pairs_off_side, lying, measure_yaw, pairs_disagree
from formcheck.config import load_config
from formcheck.landmarks import PAIRS
from formcheck.types import PoseSequence


def truth(npz: Path) -> tuple[str, str, float] | None:
    """(lift, body, true azimuth) of a stored clip, or None when it has no label."""
    stem = npz.name[: -len(".full.npz")]
    spec = npz.with_name(f"{stem}.spec.json")
    if spec.exists():
        job = json.loads(spec.read_text())["job"]
        return job["lift"], f"body {job['body']}" if job.get("body") else "default", float(job["azimuth"])
    label = npz.with_name(f"{stem}.json")
    if label.exists():
        data = json.loads(label.read_text())
        return data["lift"], "default", float(data["camera"]["azimuth_deg"])
    return None


def _axis_deg(world: np.ndarray, joint: str) -> np.ndarray:
    left, right = PAIRS[joint]
    d = world[:, right] - world[:, left]
    out: np.ndarray = np.degrees(np.arctan2(np.hypot(d[:, 0], d[:, 1]), np.abs(d[:, 2])))
    return out


def row(npz: Path, config: Any) -> dict[str, Any] | None:
    known = truth(npz)
    if known is None:
        return None
    seq = PoseSequence.load_npz(npz)
    m = measure_yaw(seq, config)
    pairs = image_pairs_off_side(seq.xy, seq.t)
    split = pairs_disagree(pairs, config.yaw_pair_max_gap)
    world = seq.world if seq.world is not None else np.full((len(seq), 33, 3), np.nan)
    return {
        "clip": npz.name[: -len(".full.npz")],
        "lift": known[0],
        "body": known[1],
        "azimuth": known[2],
        "lying": seq.world is not None and lying(seq.world),
        "off": m.off_side_deg,
        "unc": m.uncertainty_deg,
        "world": m.world_off_deg,
        "image": m.image_off_deg,
        "split": float(np.mean(split)),
        "pairs": [
            float(np.nanmedian(_axis_deg(world, "shoulder"))),
            float(np.nanmedian(_axis_deg(world, "hip"))),
            float(np.nanmedian(pairs[:, 0])),
            float(np.nanmedian(pairs[:, 1])),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--clips", action="store_true", help="print every clip")
    args = parser.parse_args()
    config = load_config().detect
    rows = [r for d in args.dirs for p in sorted(Path(d).glob("*.full.npz")) if (r := row(p, config)) is not None]
    if args.clips:
        for r in rows:
            print(
                f"{r['clip']:34s} {r['lift']:10s} {r['body']:8s} az {r['azimuth']:4.0f}: {r['off']:5.1f} ± {r['unc']:4.1f}"
                f" (3D {r['world']:5.1f}, 2D {r['image']:5.1f}) error {r['off'] - r['azimuth']:+5.1f}, pairs split in"
                f" {r['split']:.0%} of frames"
            )
        print()
    groups: dict[tuple[str, str, float], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["lift"], r["body"], r["azimuth"])].append(r)
    print(
        "| lift | body | true ° off side | clips | measured (range) | error (range) | frames with split pairs |"
        " 3D shoulders / hips, 2D shoulders / hips (medians) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (lift, body, az), rs in sorted(groups.items()):
        off = np.array([r["off"] for r in rs])
        split = np.array([r["split"] for r in rs])
        pairs = np.nanmedian(np.array([r["pairs"] for r in rs]), axis=0)
        kind = " (lying)" if all(r["lying"] for r in rs) else ""
        print(
            f"| {lift}{kind} | {body} | {az:.0f} | {len(rs)} | {off.min():.0f}-{off.max():.0f} |"
            f" {off.min() - az:+.0f} to {off.max() - az:+.0f} | {split.min():.0%}-{split.max():.0%} |"
            f" {pairs[0]:.0f} / {pairs[1]:.0f}, {pairs[2]:.0f} / {pairs[3]:.0f} |"
        )
    upright = [r for r in rows if not r["lying"] and r["azimuth"] <= 60.0]
    if upright:
        err = np.array([r["off"] - r["azimuth"] for r in upright])
        print(
            f"\nUpright lifters up to 60° off side: {np.sum(np.abs(err) <= 10.0)}/{len(err)} within 10°,"
            f" RMS error {np.sqrt(np.mean(err**2)):.1f}°, max |error| {np.max(np.abs(err)):.1f}°"
        )


if __name__ == "__main__":
    main()
