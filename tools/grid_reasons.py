"""Every rep of a stored sensitivity grid with what its kind's rule said and why: verdict, reading, truth, lines,
uncertainty and the message (a "not checked" reason, a warning's cap).

    python tools/grid_reasons.py /work/scratch/sens-rules --azimuth 0 [--kind overextension] [--rule ht.lockout]
        [--json out.json]

The clips' landmarks are read from ``<clip>.<model>.npz`` (never the pose model) and analysed with this tree's
code and the default config, like ``formcheck eval --sensitivity``; the reps are matched to the label as there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import KIND_BY_NAME, match_reps
from formcheck.types import PoseSequence


def clip_rows(mp4: Path, config: Any, rule: str | None) -> list[dict[str, Any]]:
    """One row per true rep of the clip ``mp4`` (its spec, label and landmarks beside it)."""
    spec = json.loads(mp4.with_suffix(".spec.json").read_text())["job"]
    label = json.loads(mp4.with_suffix(".json").read_text())
    kind = KIND_BY_NAME[spec["kind"]]
    rule_id = rule or kind.rule
    seq = PoseSequence.load_npz(mp4.with_name(f"{mp4.stem}.{config.pose.model}.npz"))
    analysis = analyze_landmarks(seq, config, video=mp4)
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], analysis.reps)
    rows = []
    for j, r in enumerate(true_reps):
        found = [f for f in analysis.findings if j in match and f.rep == match[j] and f.rule == rule_id]
        f = found[0] if found else None
        rows.append(
            {
                "clip": mp4.stem,
                "body": "plates45" if spec["full_plates"] else "default",
                "view": analysis.view.label,
                "lift": analysis.exercise.label,
                "rep": int(r["index"]),
                "size": r.get("fault_sizes", {}).get(spec["kind"]),
                "truth": r.get("truth", {}).get(spec["kind"]),
                "rule": rule_id,
                "verdict": f.verdict if f else ("not counted" if j not in match else "no finding"),
                "value": f.value if f else None,
                "threshold": f.threshold if f else None,
                "fault_line": f.fault_line if f else None,
                "uncertainty": f.uncertainty if f else None,
                "message": f.message if f else "",
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--azimuth", type=int, default=0)
    ap.add_argument("--kind", action="append", help="fault kinds (default: every kind with a rule)")
    ap.add_argument("--rule", help="read this rule instead of the kind's own")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    config = load_config()
    kinds = args.kind or [k for k, g in KIND_BY_NAME.items() if g.rule]
    rows: list[dict[str, Any]] = []
    for kind in kinds:
        for mp4 in sorted(args.folder.glob(f"{kind}_az{args.azimuth}_*.mp4")):
            rows += clip_rows(mp4, config, args.rule)
    for r in rows:
        value = "–" if r["value"] is None else f"{r['value']:g}"
        extra = f" ±{r['uncertainty']:g}" if r["uncertainty"] else ""
        lines = f"limit {r['threshold']}, fault {r['fault_line']}" if r["threshold"] is not None else ""
        print(
            f"{r['clip']:34s} {r['body']:8s} {r['view']:8s} rep {r['rep']} size {r['size']} truth {r['truth']}: "
            f"{r['rule']} {r['verdict']} {value}{extra} {lines} | {r['message']}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
