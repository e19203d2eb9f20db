"""Command line: ``python -m formcheck.synth --lift rdl --reps 4 --fault knees_bend@2,3 -o clip.mp4``."""

from __future__ import annotations

import argparse
import sys
import time

from .body import BodySpec
from .clip import FACINGS, CameraSpec, ClipSpec, render_clip
from .faults import FAULTS, faults_for, merge_requests, parse_fault
from .motion import LIFTS
from .scene import FULL_PLATE_RADIUS_M, SMALL_PLATE_RADIUS_M


def build_parser() -> argparse.ArgumentParser:
    fault_help = "; ".join(
        f"{lift}: "
        + ", ".join(
            f"{n} ({FAULTS[n].unit}, {FAULTS[n].lo:g}..{FAULTS[n].hi:g}, default {FAULTS[n].default:g})"
            for n in faults_for(lift)
        )
        for lift in LIFTS
    )
    p = argparse.ArgumentParser(
        prog="formcheck synth", description="Render a synthetic lifter clip with ground-truth labels."
    )
    p.add_argument("--lift", choices=LIFTS, default="rdl")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME[=SIZE][@REP,...]",
        help="inject a fault in some reps (all reps without @), SIZE in the fault's unit (its default without =); "
        f"repeatable. {fault_help}",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--portrait", action="store_true", help="swap width and height")
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--facing", choices=tuple(FACINGS), default="right")
    p.add_argument("--distance", type=float, default=None, help="camera distance, metres")
    p.add_argument("--camera-height", type=float, default=None, help="camera height above the floor, metres")
    p.add_argument("--azimuth", type=float, default=0.0, help="degrees off the pure side view, towards the front")
    p.add_argument("--fov", type=float, default=None, help="vertical field of view, degrees (default: fit the lifter)")
    p.add_argument("--body-height", type=float, default=1.75, help="lifter's stature, metres")
    p.add_argument("--build", type=float, default=1.0, help="girth multiplier (0.85 slim .. 1.25 heavy)")
    p.add_argument("--random-body", action="store_true", help="draw stature, build and colours from the seed")
    p.add_argument(
        "--full-plates",
        action="store_true",
        help=f"45 cm plates (radius {FULL_PLATE_RADIUS_M} m) instead of small ones ({SMALL_PLATE_RADIUS_M} m)",
    )
    p.add_argument("--supersample", type=int, default=2, help="rays per pixel along each axis")
    p.add_argument("--crf", type=int, default=18, help="x264 quality (lower is better)")
    p.add_argument("-o", "--output", default="synth.mp4")
    p.add_argument("--labels", default=None, help="label JSON path (default: next to the video)")
    p.add_argument("-q", "--quiet", action="store_true")
    return p


def spec_from_args(args: argparse.Namespace) -> ClipSpec:
    faults = merge_requests([parse_fault(text, args.reps) for text in args.fault])
    width, height = (args.height, args.width) if args.portrait else (args.width, args.height)
    if args.random_body:
        import numpy as np

        body = BodySpec.sample(np.random.default_rng([args.seed, 1]))
    else:
        body = BodySpec(height_m=args.body_height, build=args.build)
    return ClipSpec(
        lift=args.lift,
        reps=args.reps,
        faults=faults,
        seed=args.seed,
        width=width,
        height=height,
        fps=args.fps,
        facing=args.facing,
        body=body,
        supersample=args.supersample,
        crf=args.crf,
        output=args.output,
        labels=args.labels,
        plate_radius_m=FULL_PLATE_RADIUS_M if args.full_plates else SMALL_PLATE_RADIUS_M,
        camera=CameraSpec(
            distance_m=args.distance, height_m=args.camera_height, azimuth_deg=args.azimuth, fov_deg=args.fov
        ),
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        spec = spec_from_args(args)
        spec.validate()
    except ValueError as exc:
        print(f"formcheck synth: {exc}", file=sys.stderr)
        return 2
    start = time.monotonic()

    def progress(n: int) -> None:
        if not args.quiet:
            print(f"\rframe {n}  {time.monotonic() - start:.0f} s", end="", file=sys.stderr, flush=True)

    mp4, label = render_clip(spec, progress)
    if not args.quiet:
        print(f"\nwrote {mp4} and {label} in {time.monotonic() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
