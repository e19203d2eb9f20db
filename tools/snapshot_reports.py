"""Write the JSON report of every stored landmark fixture, to compare two versions of the code.

Usage: python tools/snapshot_reports.py OUT_DIR [--landmarks tests/data/landmarks] [stem ...]
       python tools/snapshot_reports.py --compare DIR_A DIR_B

Each fixture ``<stem>.full.npz`` is judged with the default config, with its video when the video is at
hand (``sample_videos/`` or ``../shared/videos/``, so the bar check runs as in ``formcheck analyze``).
Timings and package versions are left out: they differ from run to run. ``--compare`` prints the
reports that differ, field by field, and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.report.json_report import dumps
from formcheck.types import PoseSequence

ROOT = Path(__file__).resolve().parent.parent
VOLATILE = ("timings_s", "versions")


def video_for(stem: str) -> Path | None:
    for folder in (ROOT / "sample_videos", ROOT.parent / "shared" / "videos"):
        if (folder / f"{stem}.mp4").exists():
            return folder / f"{stem}.mp4"
    return None


def report(npz: Path) -> dict[str, Any]:
    stem = npz.name.split(".")[0]
    analysis = analyze_landmarks(PoseSequence.load_npz(npz), load_config(), video=video_for(stem))
    data = json.loads(dumps(analysis.to_dict()))
    for key in VOLATILE:
        data.pop(key, None)
    return data


def diff(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                out.append(f"{where}.{key}: only in {'second' if key not in a else 'first'}")
            else:
                out += diff(a[key], b[key], f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for k, (x, y) in enumerate(zip(a, b)) for line in diff(x, y, f"{where}[{k}]")]
    return [] if a == b else [f"{where}: {json.dumps(a)[:120]} -> {json.dumps(b)[:120]}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?")
    parser.add_argument("stems", nargs="*")
    parser.add_argument("--landmarks", default=str(ROOT / "tests" / "data" / "landmarks"))
    parser.add_argument("--compare", nargs=2, metavar=("DIR_A", "DIR_B"))
    args = parser.parse_args()
    if args.compare:
        first, second = (Path(d) for d in args.compare)
        changed = 0
        for path in sorted(first.glob("*.json")):
            other = second / path.name
            lines = diff(json.loads(path.read_text()), json.loads(other.read_text())) if other.exists() else ["missing"]
            if lines:
                changed += 1
                print(f"{path.stem}: {len(lines)} differences")
                for line in lines[:20]:
                    print("   ", line)
        print(f"{changed} of {len(list(first.glob('*.json')))} reports differ")
        return 1 if changed else 0
    if not args.out:
        parser.error("give OUT_DIR, or --compare DIR_A DIR_B")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for npz in sorted(Path(args.landmarks).glob("*.npz")):
        stem = npz.name.split(".")[0]
        if args.stems and stem not in args.stems:
            continue
        try:
            data = report(npz)
        except Exception as exc:  # noqa: BLE001 - a fixture that cannot be judged is recorded, not fatal
            data = {"error": f"{type(exc).__name__}: {exc}"}
        (out / f"{stem}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(stem, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
