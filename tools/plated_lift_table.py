"""Lift read and reps counted on rendered clips, from their cached landmarks (no pose model run).

Usage: python tools/plated_lift_table.py FOLDER... [--model full] [--features] [--no-video] [--json FILE]

Each FOLDER holds rendered clips (``formcheck eval --sensitivity ... --grid rates`` or ``formcheck synth``):
``<clip>.mp4``, its label ``<clip>.json`` and landmarks ``<clip>.<model>.npz``. Clips without landmarks are
skipped. Every clip is analysed from its landmarks with the default config (the video, when present, for the
bar and plate checks), and gives one row: the rendered lift and the one read (with its confidence, or the
guesses of an unknown lift), the view, reps counted against the label's, how many true reps a counted rep
matches by lockout time, and whether the clip was judged. ``--features`` adds the posture features the lift
tests read. The body column is ``b1`` for the random body #1 with 45 cm plates, ``body`` for the default
lifter (small plates), as the rates grid names them. Not a test: the numbers behind docs/ACCURACY.md
"Plated lifters: lift and reps".
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from formcheck.config import load_config
from formcheck.exercises.detect import guesses
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence

#: Posture features shown with ``--features`` (formcheck.exercises.detect.posture_features).
FEATURES = (
    "hip_top_deg",
    "hip_bottom_deg",
    "knee_flex_bottom_deg",
    "torso_vert_top_deg",
    "torso_vert_bottom_deg",
    "body_line_top_deg",
    "shoulder_height_max",
    "shoulder_rise_per_hip_rise",
    "start_low_fraction",
    "wrist_start_above_bottom_leg",
    "thigh_bottom_ratio",
    "shin_bottom_ratio",
    "shoulder_forward_leg",
    "hip_forward_leg",
    "bottom_hidden",
)

NAME = re.compile(r"^(?P<kind>.+)_az(?P<az>\d+)_(?P<facing>left|right)_(?P<body>[a-z0-9]+)$")


def _family(lift: str) -> str:
    from formcheck.exercises import get_lift

    try:
        return get_lift(lift).family
    except (KeyError, ValueError):
        return lift


def clip_row(label_path: Path, npz: Path, use_video: bool, with_features: bool) -> dict[str, Any]:
    """One row for one rendered clip."""
    label = json.loads(label_path.read_text())
    name = npz.name.split(".")[0]
    parsed = NAME.match(name)
    video = label_path.with_suffix(".mp4")
    analysis = analyze_landmarks(
        PoseSequence.load_npz(npz), load_config(), video=video if use_video and video.exists() else None
    )
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], cast(Sequence[Any], analysis.reps))
    det = analysis.exercise
    read = det.label
    if read == "unknown":
        read = "unknown(" + ",".join(f"{lift} {p:.2f}" for lift, p in guesses(det)) + ")"
    else:
        read = f"{read} {det.confidence:.2f}"
    row: dict[str, Any] = {
        "folder": npz.parent.name,
        "clip": name,
        "kind": parsed["kind"] if parsed else "",
        "az": int(parsed["az"]) if parsed else float(label["camera"]["azimuth_deg"]),
        "body": parsed["body"] if parsed else "",
        "true_lift": label["lift"],
        "read": read,
        "lift_ok": det.label == label["lift"],
        "family_ok": _family(det.label) == _family(label["lift"]),
        "view": analysis.view.label,
        "reps_true": len(true_reps),
        "reps_counted": len(analysis.reps),
        "reps_matched": len(match),
        "judged": analysis.judged,
    }
    if with_features:
        detail = det.detail or {}
        row.update({k: round(float(detail[k]), 2) for k in FEATURES if k in detail})
    return row


def rows(folders: Sequence[Path], model: str, use_video: bool, with_features: bool) -> list[dict[str, Any]]:
    out = []
    for folder in folders:
        for npz in sorted(folder.glob(f"*.{model}.npz")):
            label_path = npz.with_name(npz.name.split(".")[0] + ".json")
            if label_path.exists():
                out.append(clip_row(label_path, npz, use_video, with_features))
    return sorted(out, key=lambda r: (r["body"], r["az"], r["kind"], r["clip"]))


def markdown(table: list[dict[str, Any]]) -> str:
    if not table:
        return "(no clips with landmarks)"
    cols = list(table[0].keys())
    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in table]
    return "\n".join(lines)


def summary(table: list[dict[str, Any]]) -> str:
    """Per body and camera angle: clips with the lift right, and with every rep counted and matched."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in table:
        groups.setdefault((r["body"], r["az"]), []).append(r)
    lines = [
        "| body | az | clips | lift right | family right | reps exact and matched |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (body, az), rs in sorted(groups.items()):
        exact = sum(r["reps_counted"] == r["reps_true"] == r["reps_matched"] for r in rs)
        lines.append(
            f"| {body} | {az} | {len(rs)} | {sum(r['lift_ok'] for r in rs)} | {sum(r['family_ok'] for r in rs)} | {exact} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--model", default="full")
    ap.add_argument("--features", action="store_true", help="add the posture features the lift tests read")
    ap.add_argument("--no-video", action="store_true", help="landmarks only (no bar or plate check)")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    table = rows(args.folders, args.model, not args.no_video, args.features)
    print(markdown(table))
    print()
    print(summary(table))
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
