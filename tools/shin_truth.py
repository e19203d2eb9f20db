"""Shin tilt at the hip-thrust top against the rendered truth, rep by rep.

Usage: python tools/shin_truth.py FOLDER... [--model full] [--json FILE]

Each FOLDER holds rendered hip thrusts (``formcheck synth --lift hip_thrust --fault shins=SIZE@REP ...``) with
their label ``<clip>.json`` and landmarks ``<clip>.<model>.npz`` (``tools/uncertainty_table.py --pose`` makes
them). Every clip is analysed from its landmarks as a hip thrust, its reps matched to the true ones by lockout
time, and each rep gives one row: the true shin tilt at the top (the label's ``top_shin_deg``, turned to the
metric's sign: + = knee ahead of the ankle), what ``ht.shin_angle`` reads (the median ``shin_tilt_deg`` over
the top window less ``shin_tilt_top_bias_deg``, read whatever the view gates say), reading - truth and the
rule's verdict. Not a test: the numbers behind docs/ACCURACY.md "Shin tilt at the hip-thrust top: the ankle".
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from formcheck.config import load_config
from formcheck.exercises.base import RuleContext
from formcheck.exercises.hip_thrust import _top
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence


def _reading(ctx: RuleContext, rep: Any, bias: float) -> float:
    """The signed top shin tilt as ``ht.shin_angle`` reads it; before ``top_shin_tilt`` existed (to measure the
    base commit) the plain median of the top window, as the rule read it then."""
    try:
        from formcheck.exercises.hip_thrust import top_shin_tilt
    except ImportError:
        a, b, _ = _top(ctx, rep)
        window = ctx.series["shin_tilt_deg"][a:b]
        return float(np.nanmedian(window)) - bias if np.any(np.isfinite(window)) else float("nan")
    tilt, _ = top_shin_tilt(ctx, rep)
    return float("nan") if tilt is None else tilt


def clip_rows(label_path: Path, npz: Path) -> list[dict[str, Any]]:
    """One row per matched rep of a rendered hip thrust."""
    label = json.loads(label_path.read_text())
    cfg = load_config(overrides={"hip_thrust.judge_unvalidated": True})
    analysis = analyze_landmarks(PoseSequence.load_npz(npz), cfg, exercise="hip_thrust")
    bias = cfg.hip_thrust.shin_tilt_top_bias_deg
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], cast(Sequence[Any], analysis.reps))
    reps = {r.index: r for r in analysis.reps}
    out = []
    for j, true_rep in enumerate(true_reps):
        truth = true_rep.get("quantities", {}).get("top_shin_deg")
        if j not in match or truth is None:
            continue
        rep = reps[match[j]]
        ctx = RuleContext(series=analysis.series, reps=[rep], rules=cfg.hip_thrust, view="side")
        reading = _reading(ctx, rep, bias)
        verdicts = [f.verdict for f in analysis.findings_for(rep.index) if f.rule == "ht.shin_angle"]
        out.append(
            {
                "clip": label_path.stem,
                "azimuth": float(label["camera"]["azimuth_deg"]),
                "rep": int(true_rep["index"]),
                "truth": -float(truth),
                "reading": round(reading, 2),
                "error": round(reading + float(truth), 2),  # reading - truth (metric sign)
                "verdict": verdicts[0] if verdicts else "–",
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--model", default="full")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for folder in args.folders:
        for label in sorted(folder.glob("*.json")):
            npz = label.with_name(f"{label.stem}.{args.model}.npz")
            head = json.loads(label.read_text())
            if npz.exists() and isinstance(head, dict) and head.get("lift") == "hip_thrust":
                rows += clip_rows(label, npz)
    print("| clip | azimuth | rep | truth | reading | reading − truth | verdict |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['clip']} | {r['azimuth']:.0f} | {r['rep']} | {r['truth']:+.1f} | {r['reading']:+.1f} | "
            f"{r['error']:+.1f} | {r['verdict']} |"
        )
    errors = [r["error"] for r in rows if np.isfinite(r["error"])]
    if len(errors) >= 2:
        print(
            f"\n{len(errors)} reps: reading − truth median {statistics.median(errors):+.1f}, mean "
            f"{statistics.mean(errors):+.1f}, 2 SD {2 * statistics.stdev(errors):.1f}, "
            f"max |e| {max(abs(e) for e in errors):.1f}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
