"""The ``dl`` rules' readings on rendered deadlifts against their truth (docs/ACCURACY.md "Deadlift rules on
rendered truth").

    python tools/deadlift_truth.py render OUT_DIR        # the fixed set below (skips clips already there)
    python tools/deadlift_truth.py table OUT_DIR/*.mp4 [--json rows.json]

``render`` writes a few clips of ``formcheck synth --lift deadlift`` in the rates grid's picture (480x270,
10 fps, one ray per pixel: 640x360 at 30 fps with 4 rays took 2.4 s a frame on the shared 2-core machine) (bodies incl. random ones,
full and small plates, facing left and right, 0 and 15 degrees off the side), each rep mixing faults the
rules read in different phases (the pull, the top, the lift-off) at their fine and fault sizes. ``table``
poses every clip (the cached landmarks ``<clip>.<model>.npz`` are reused), judges it as a deadlift and prints
per rep and rule the verdict, the reading and the truth in the rule's unit; then per rule the bias (reading
minus truth) and its 2 SD over the reps read.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from formcheck.config import load_config
from formcheck.sensitivity import analyse_clip, match_reps

#: Reps 2-4: the fault sizes of dl.hips_first, dl.lean_back and dl.neck in one rep, their fine sizes in the next, a
#: partial lockout and the bar off the legs at the fault size in the last (rep 1 clean).
FAULT_SIZES = [
    "dl_hips_first=15@2",
    "dl_lean_back=15@2",
    "dl_head_up=30@2",
    "dl_hips_first=5@3",
    "dl_lean_back=5@3",
    "dl_head_up=12@3",
    "dl_partial_lockout=15@4",
    "dl_bar_drift=0.12@4",
]
#: Reps 2-4: a fine partial lockout with the bar far ahead, the three fault sizes again, the bar's fine sizes.
SMALL_AND_BAR = [
    "dl_partial_lockout=8@2",
    "dl_bar_ahead=0.5@2",
    "dl_hips_first=15@3",
    "dl_lean_back=15@3",
    "dl_head_up=30@3",
    "dl_bar_drift=0.04@4",
    "dl_bar_ahead=0.2@4",
]

#: Reps 2-4 lifted off without the bar set down (dl.floor, COACHING.md §3: 0.05 leg lengths above the first rep's
#: lift-off is not set down): the fault size, a third of it and twice it, in a different order per clip.
HOVER = ["dl_hover=0.05@2", "dl_hover=0.02@3", "dl_hover=0.1@4"]
HOVER_MIXED = ["dl_hover=0.1@2", "dl_hover=0.05@3", "dl_hover=0.02@4"]
#: Five pulls: the fault size, twice it and 0.02 between two pulls set down.
HOVER5 = ["dl_hover=0.05@2", "dl_hover=0.1@4", "dl_hover=0.02@5"]

#: name -> (synth options, faults per rep).
CLIPS: dict[str, tuple[list[str], list[str]]] = {
    "dl_a": (
        ["--full-plates", "--facing", "right", "--azimuth", "0"],
        FAULT_SIZES,
    ),
    "dl_b": (
        ["--full-plates", "--random-body", "--seed", "3", "--facing", "left", "--azimuth", "15"],
        SMALL_AND_BAR,
    ),
    "dl_c": (
        ["--random-body", "--seed", "7", "--facing", "right", "--azimuth", "15"],
        FAULT_SIZES,
    ),
    "dl_d": (
        ["--full-plates", "--facing", "left", "--azimuth", "0", "--seed", "5"],
        SMALL_AND_BAR,
    ),
    "dl_e": (
        ["--facing", "left", "--azimuth", "0", "--seed", "9"],
        SMALL_AND_BAR,
    ),
    "dl_f": (
        ["--random-body", "--seed", "11", "--facing", "right", "--azimuth", "0"],
        FAULT_SIZES,
    ),
    "dl_g": (["--facing", "right", "--azimuth", "0", "--seed", "13"], HOVER),
    "dl_h": (["--full-plates", "--random-body", "--seed", "17", "--facing", "left", "--azimuth", "0"], HOVER_MIXED),
    "dl_i": (["--random-body", "--seed", "19", "--facing", "left", "--azimuth", "15"], HOVER),
    "dl_j": (["--full-plates", "--random-body", "--seed", "23", "--facing", "right", "--azimuth", "15"], HOVER_MIXED),
    # five pulls with 45 cm plates from the side (dl.floor reads the near plate): hovers between set-down pulls
    "dl_k": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "29", "--facing", "right", "--azimuth", "0"],
        HOVER5,
    ),
    "dl_l": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "31", "--facing", "left", "--azimuth", "0"],
        HOVER5,
    ),
    "dl_m": (["--reps", "5", "--full-plates", "--seed", "37", "--facing", "right", "--azimuth", "0"], HOVER5),
    "dl_n": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "41", "--facing", "left", "--azimuth", "10"],
        HOVER5,
    ),
    "dl_o": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "43", "--facing", "left", "--azimuth", "0"],
        ["dl_hover=0.03@2", "dl_hover=0.05@4"],
    ),
    "dl_p": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "47", "--facing", "right", "--azimuth", "5"],
        ["dl_hover=0.05@3", "dl_hover=0.08@5"],
    ),
    "dl_q": (
        ["--reps", "5", "--full-plates", "--seed", "53", "--facing", "left", "--azimuth", "0"],
        ["dl_hover=0.1@2", "dl_hover=0.04@4"],
    ),
    "dl_r": (
        ["--reps", "5", "--full-plates", "--random-body", "--seed", "59", "--facing", "right", "--azimuth", "0"],
        ["dl_hover=0.06@2", "dl_hover=0.02@3"],
    ),
}

#: The rates grid's picture (formcheck.sensitivity.RATES).
PICTURE = ["--width", "480", "--height", "270", "--fps", "10", "--supersample", "1", "--crf", "23"]

#: dl rule -> the label truth it reads (per rep: ``truth`` fault name, or a ``quantities`` key).
TRUTH = {
    "dl.bar_over_midfoot": ("truth", "dl_bar_ahead"),
    "dl.hips_first": ("truth", "dl_hips_first"),
    "dl.bar_drift": ("truth", "dl_bar_drift"),
    "dl.lockout": ("quantities", "top_joint_deg"),
    "dl.lean_back": ("truth", "dl_lean_back"),
    "dl.neck": ("truth", "dl_head_up"),
    "dl.floor": ("quantities", "liftoff_above_floor_leg"),
}


def render(out: Path) -> None:
    from formcheck.synth.__main__ import main as synth

    out.mkdir(parents=True, exist_ok=True)
    for name, (options, faults) in CLIPS.items():
        mp4 = out / f"{name}.mp4"
        if mp4.exists():
            continue
        argv = ["--lift", "deadlift", "--reps", "4", "-q", "-o", str(mp4), *PICTURE, *options]
        for f in faults:
            argv += ["--fault", f]
        synth(argv)
        print("rendered", mp4)


def truth_of(rep: dict, rule: str) -> float | None:
    group, key = TRUTH[rule]
    if key == "top_joint_deg":
        q = rep["quantities"]
        return min(q["top_hip_deg"], q["top_knee_deg"])
    value = rep[group].get(key)
    return None if value is None else float(value)


def rows(mp4: Path) -> list[dict]:
    # the rules not judged yet by default give their readings too (their verdicts here are not the product's)
    config = load_config(overrides={"deadlift.judge_unvalidated": True})
    label = json.loads(mp4.with_suffix(".json").read_text())
    analysis = analyse_clip(mp4, config)
    detected = analysis.exercise.label
    if detected != "deadlift":
        from formcheck.pipeline import analyze_landmarks
        from formcheck.types import PoseSequence

        seq = PoseSequence.load_npz(mp4.with_name(f"{mp4.stem}.{config.pose.model}.npz"))
        analysis = analyze_landmarks(seq, config, video=mp4, exercise="deadlift")
    match = match_reps([float(r["lockout_s"]) for r in label["reps"]], analysis.reps)
    print(
        f"{mp4.stem}: {len(analysis.reps)} reps counted (true {len(label['reps'])}), lockouts "
        f"{[round(r.t_lockout, 1) for r in analysis.reps]} (true {[r['lockout_s'] for r in label['reps']]}), "
        f"view {analysis.view.label}"
    )
    out = []
    for j, rep in enumerate(label["reps"]):
        for rule in TRUTH:
            finding = next((f for f in analysis.findings if f.rule == rule and j in match and f.rep == match[j]), None)
            out.append(
                {
                    "clip": mp4.stem,
                    "detected": detected,
                    "azimuth": label["camera"]["azimuth_deg"],
                    "rep": rep["index"],
                    "rule": rule,
                    "faults": ",".join(f"{k}={v:g}" for k, v in rep["fault_sizes"].items()),
                    "truth": truth_of(rep, rule),
                    "verdict": None if finding is None else finding.verdict,
                    "value": None if finding is None or finding.value is None else float(finding.value),
                    "note": None if finding is None else finding.message,
                }
            )
    return out


def summary(table: list[dict]) -> list[str]:
    lines = []
    for rule in TRUTH:
        pairs = [(r["value"], r["truth"]) for r in table if r["rule"] == rule]
        read = [(v, t) for v, t in pairs if v is not None and t is not None]
        if len(read) < 2:
            lines.append(f"{rule}: {len(read)}/{len(pairs)} reps read")
            continue
        err = [v - t for v, t in read]
        lines.append(
            f"{rule}: {len(read)}/{len(pairs)} reps read, bias {statistics.mean(err):+.3f}, "
            f"2 SD {2 * statistics.stdev(err):.3f}, median |err| {statistics.median(abs(e) for e in err):.3f}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render")
    r.add_argument("out", type=Path)
    t = sub.add_parser("table")
    t.add_argument("clips", nargs="+", type=Path)
    t.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.command == "render":
        render(args.out)
        return
    table = [row for clip in args.clips for row in rows(clip)]
    for row in table:
        print(
            f"{row['clip']} az={row['azimuth']:g} rep={row['rep']} {row['rule']:<19} {row['verdict'] or '-':<11}"
            f" read={row['value'] if row['value'] is None else round(row['value'], 3)}"
            f" truth={row['truth'] if row['truth'] is None else round(row['truth'], 3)} [{row['faults']}]"
            f" ({row['detected']}) {row['note'] or ''}"
        )
    print("\n".join(summary(table)))
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
