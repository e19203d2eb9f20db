"""List every warning and fault on the labelled real clips, one row per rep and rule, as Markdown.

Usage: python tools/real_flags.py [--landmarks tests/data/landmarks] [--videos ../shared/videos] [--out FILE]

Each clip's cached landmarks are judged with the default config and its video (so the bar check runs as in
``formcheck analyze``). A row gives the clip, the lift and view formcheck read (body yaw in degrees, 90 = side),
the rep, the rule, the verdict, the measured value and the clip's labels: the coarse ``faults`` text of
labels.json and, for clips with per-rep form labels (labels_form.json), what both raters saw on that rep
("clear"/"slight"), what only one saw ("possible") and what neither could judge. docs/ACCURACY.md adds what a
look at the frames says (true fault or false alarm). Not a test: a listing for people.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence

ROOT = Path(__file__).resolve().parent.parent
#: Longer label texts are cut to this many characters in the table.
LABEL_CHARS = 140


def _labels(videos: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    coarse = {e["file"]: e for e in json.loads((videos / "labels.json").read_text())["clips"]}
    form_path = videos / "labels_form.json"
    form = {e["file"]: e for e in json.loads(form_path.read_text())["clips"]} if form_path.exists() else {}
    return coarse, form


def _form_text(form: dict[str, Any] | None, rep: int) -> str:
    if not form:
        return ""
    for row in form.get("form", []):
        if row.get("rep") == rep:
            seen = ", ".join(f"{k} ({v})" for k, v in row.get("faults", {}).items()) or "no fault"
            extra = "; ".join(
                part
                for part in (
                    f"possible: {', '.join(row['possible'])}" if row.get("possible") else "",
                    f"cannot judge: {', '.join(row['cannot_judge'])}" if row.get("cannot_judge") else "",
                )
                if part
            )
            return f"both raters: {seen}" + (f"; {extra}" if extra else "")
    return "rep not labelled"


def rows(landmarks: Path, videos: Path) -> list[list[str]]:
    coarse, form = _labels(videos)
    cfg = load_config()
    out: list[list[str]] = []
    for npz in sorted(landmarks.glob("*.full.npz")):
        stem = npz.name.split(".")[0]
        video = videos / f"{stem}.mp4"
        name = f"{stem}.mp4"
        if (name not in coarse and name not in form) or not video.exists():
            continue
        analysis = analyze_landmarks(PoseSequence.load_npz(npz), cfg, video=video)
        yaw = analysis.view.detail.get("yaw_deg", float("nan"))
        view = f"{analysis.view.label} {yaw:.0f}"
        label = coarse.get(name) or form[name]
        for f in analysis.findings:
            if f.verdict not in ("warn", "fault") or f.rep is None:
                continue
            value = "" if f.value is None else f"{f.value:.3g}"
            labels = _form_text(form.get(name), f.rep) or (label.get("faults") or "none written")
            if len(labels) > LABEL_CHARS:
                labels = labels[: LABEL_CHARS - 1].rstrip() + "…"
            out.append([stem, analysis.exercise.label, view, str(f.rep), f.rule, f.verdict, value, labels])
    return out


def to_markdown(table: list[list[str]]) -> str:
    head = ["clip", "lift read", "view (yaw)", "rep", "rule", "verdict", "value", "labels"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in table]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landmarks", type=Path, default=ROOT / "tests" / "data" / "landmarks")
    parser.add_argument("--videos", type=Path, default=ROOT.parent / "shared" / "videos")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = to_markdown(rows(args.landmarks, args.videos))
    if args.out:
        args.out.write_text(text)
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
