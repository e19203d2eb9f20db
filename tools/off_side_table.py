"""A rule's reading against the rendered truth by the camera angle off the side as measured, where the rule judges.

Usage: python tools/off_side_table.py RULE FOLDER... [--bands 0,15,25,90] [--model full] [--rows FILE]

Each FOLDER holds rendered clips with their labels and landmarks (``formcheck eval --sensitivity FOLDER``, any grid).
Every clip is analysed as ``formcheck analyze`` would (default config, the lift detected, the video beside the
landmarks read for the bar and the plates), its reps are matched to the true ones by lockout time, and for each rep
``RULE`` judged (not "not checked") its reading is paired with the truth of :data:`uncertainty_TRUTH` and
binned by its shot's camera angle off the side as the view detector measured it (``off_side_deg``). Per band this
prints the reps, the mean of reading - truth (bias), twice its standard deviation (2 SD) and twice its root mean
square about zero (2 RMS: the scatter about the truth with the bias left in, what a line not corrected for that
angle meets). Not a test: the numbers behind a rule's ``*_off_side_uncertainty_*`` setting (COACHING.md §4-§5).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
from uncertainty_table import TRUTH, measured_hinge, rendered_clips  # tools/ is the script's folder: on sys.path

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence


def clip_rows(rule: str, label_path: Path, npz: Path) -> list[dict[str, Any]]:
    """(off side, reading, truth, verdict) of every rep of one rendered clip that ``rule`` judged."""
    label = json.loads(label_path.read_text())
    video = npz.parent / f"{label_path.stem}.mp4"
    analysis = analyze_landmarks(PoseSequence.load_npz(npz), load_config(), video=video if video.exists() else None)
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], cast(Sequence[Any], analysis.reps))
    reps = {r.index: r for r in analysis.reps}
    truth = TRUTH[rule]
    off = float(analysis.view.detail.get("off_side_deg", float("nan")))
    out = []
    for j, true_rep in enumerate(true_reps):
        if j not in match:
            continue
        rep = reps[match[j]]
        f = next((f for f in analysis.findings_for(rep.index) if f.rule == rule), None)
        if f is None or f.verdict == "not_checked" or f.value is None:
            continue
        t = truth.read(true_rep.get("quantities", {}), measured_hinge(analysis.series, rep.start, rep.bottom))
        if t is None or not math.isfinite(t):
            continue
        out.append(
            dict(
                clip=label_path.stem,
                rep=int(true_rep["index"]),
                off_side=off,
                reading=float(f.value),
                truth=t,
                verdict=f.verdict,
            )
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rule", help=f"one of {sorted(TRUTH)}")
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--bands", default="0,15,25,90", help="band edges, degrees off the side as measured")
    ap.add_argument("--model", default="full")
    ap.add_argument("--rows", type=Path, help="write every rep's row here (JSON)")
    args = ap.parse_args(argv)
    if args.rule not in TRUTH:
        print(f"no rendered truth for {args.rule}: one of {sorted(TRUTH)}", file=sys.stderr)
        return 2
    rows = []
    for label, npz in rendered_clips(args.folders, args.model):
        rows += clip_rows(args.rule, label, npz)
    edges = [float(e) for e in args.bands.split(",")]
    print(f"{args.rule}: reading - truth ({TRUTH[args.rule].what}) by the camera angle off the side as measured")
    print("| off side (measured) | reps | bias | 2 SD | 2 RMS | verdicts |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lo, hi in zip(edges[:-1], edges[1:]):
        band = [r for r in rows if lo <= r["off_side"] < hi]
        if not band:
            continue
        err = np.array([r["reading"] - r["truth"] for r in band])
        sd2 = 2 * float(err.std(ddof=1)) if err.size > 1 else float("nan")
        rms2 = 2 * float(np.sqrt(np.mean(err**2)))
        verdicts = {v: sum(r["verdict"] == v for r in band) for v in ("pass", "warn", "fault")}
        print(f"| {lo:g}-{hi:g}° | {len(band)} | {err.mean():+.1f} | {sd2:.1f} | {rms2:.1f} | {verdicts} |")
    if args.rows:
        args.rows.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
