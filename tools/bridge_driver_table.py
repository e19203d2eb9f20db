"""What a hip thrust or bridge is counted on, shot by shot: the hip angle or the pelvis' height, and why.

    python tools/bridge_driver_table.py --grid /work/scratch/sens-count [--azimuth 15]
    python tools/bridge_driver_table.py --real clip_002 clip_027 ...   # tests/data/landmarks/<stem>.full.npz

Per side or oblique shot of each clip: the hip-angle driver's spikiness (``counting.spikiness``: over
``reps.bridge_max_driver_spike`` the shot is counted on the pelvis), the pelvis driver's, and which was used. On
rendered clips (``<clip>.json`` beside the landmarks) also: the pelvis' measured rise from each true bottom to its
lockout in leg lengths, the true hip-angle range over it (degrees per leg: ``reps.bridge_pelvis_deg_per_leg``), and
the reps counted and matched to the true lockouts. Landmarks only (never the pose model), this tree's code and the
default config, like ``formcheck eval --sensitivity``.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import numpy as np

from formcheck import counting, kinematics
from formcheck.cleaning import clean_trusted, drop_untrusted
from formcheck.config import Config, load_config
from formcheck.exercises.detect import classify_shots, picture_cuts
from formcheck.landmarks import leg_length_px
from formcheck.pipeline import analyze_landmarks
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence

REAL_LANDMARKS = Path(__file__).resolve().parent.parent / "tests" / "data" / "landmarks"


def clip_line(npz: Path, name: str, config: Config, label: dict | None) -> str:
    """One line: the clip's shots with their drivers, and (rendered) the rise, the degrees per leg and the reps."""
    seq = PoseSequence.load_npz(npz)
    cuts = picture_cuts(seq.frame_change, seq.t, config.detect) if seq.frame_change is not None else []
    cleaned = clean_trusted(drop_untrusted(seq, cuts, config.cleaning), config.cleaning)
    series, _, _ = kinematics.compute(cleaned.smooth)
    # as the counter reads it: before the low-pass filter (counting.count_reps)
    raw_series, _, _ = kinematics.compute(cleaned.raw, series.facing)
    hip = 180.0 + np.minimum(raw_series["hip_line_dev_deg"], 0.0)
    shots = []
    for shot in classify_shots(cleaned.raw, config.detect, cuts):
        if shot.view.label in counting.ALONG_THE_BODY:
            shots.append(f"{shot.view.label}")
            continue
        a, b = shot.start, shot.stop
        pelvis = counting.pelvis_height_deg(cleaned.smooth.xy[a:b], None, config.reps.bridge_pelvis_deg_per_leg)
        spike = counting.spikiness(hip[a:b])
        used = "pelvis" if spike > config.reps.bridge_max_driver_spike else "hip"
        shots.append(f"{shot.view.label} hip {spike:.3f} pelvis {counting.spikiness(pelvis):.3f} -> {used}")
    line = f"{name:34s} " + " | ".join(shots)
    if label is None:
        return line
    analysis = analyze_landmarks(seq, config)
    true_lockouts = [float(r["lockout_s"]) for r in label["reps"]]
    matched = match_reps(true_lockouts, analysis.reps)
    frames_t = np.asarray(label["frames"]["t"])
    true_hip = np.asarray(label["frames"]["angles"]["hip_deg"])
    hip_y = 0.5 * (cleaned.smooth.xy[:, 23, 1] + cleaned.smooth.xy[:, 24, 1])  # LEFT_HIP, RIGHT_HIP
    leg = leg_length_px(cleaned.smooth.xy)
    rises, per_leg = [], []
    for r in label["reps"]:
        i0, i1 = (int(np.argmin(abs(seq.t - float(r[k])))) for k in ("bottom_s", "lockout_s"))
        j0, j1 = (int(np.argmin(abs(frames_t - float(r[k])))) for k in ("bottom_s", "lockout_s"))
        rise = (hip_y[i0] - hip_y[i1]) / leg
        rises.append(rise)
        per_leg.append((true_hip[j1] - true_hip[j0]) / rise if rise > 0 else float("nan"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (
            f"{line} || rise {np.nanmedian(rises):.2f} leg, {np.nanmedian(per_leg):.0f} deg/leg || "
            f"reps {len(analysis.reps)} counted, {len(matched)}/{len(true_lockouts)} matched"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", type=Path, help="a stored sensitivity grid (hip-thrust clips are read)")
    ap.add_argument("--azimuth", type=int, help="only the grid's clips at this camera angle")
    ap.add_argument("--real", nargs="*", default=[], help="stems of real clips' cached landmarks")
    args = ap.parse_args()
    config = load_config()
    if args.grid:
        az = "*" if args.azimuth is None else str(args.azimuth)
        for spec_path in sorted(args.grid.glob(f"*_az{az}_*.spec.json")):
            job = json.loads(spec_path.read_text())["job"]
            if job["lift"] != "hip_thrust":
                continue
            name = job["name"]
            label = json.loads((args.grid / f"{name}.json").read_text())
            print(clip_line(args.grid / f"{name}.{config.pose.model}.npz", name, config, label))
    for stem in args.real:
        print(clip_line(REAL_LANDMARKS / f"{stem}.{config.pose.model}.npz", stem, config, None))


if __name__ == "__main__":
    main()
