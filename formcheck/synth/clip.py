"""A synthetic clip end to end: spec -> motion -> frames -> H.264 MP4 + JSON label.

:func:`plan_clip` does everything but the pixels (fast: the label, camera and
per-frame poses); :func:`render_clip` renders and writes the files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from . import faults as F
from .body import BodySpec, Dimensions, dimensions
from .labels import build_label, mirror_landmarks, write_label
from .motion import LIFTS, Motion, Skeleton, build_motion, clean_reps, landmarks_3d, skeleton
from .primitives import pack
from .render import Camera, Environment, fit_camera, render_frame
from .scene import SMALL_PLATE_RADIUS_M, Props, content_points, frame_prims

FACINGS = {"right": 1, "left": -1}


@dataclass(frozen=True)
class CameraSpec:
    """Where the camera stands. ``None`` picks the lift's default."""

    #: Horizontal distance from the middle of the motion, metres.
    distance_m: float | None = None
    #: Lens height above the floor, metres.
    height_m: float | None = None
    #: 0 = pure side view; positive turns the camera towards the lifter's front, degrees.
    azimuth_deg: float = 0.0
    #: Vertical field of view, degrees; None zooms so the whole motion fills the frame.
    fov_deg: float | None = None
    #: Free border kept around the motion when zooming, fraction of the frame.
    margin: float = 0.06


#: Default camera distance and height per lift, metres.
DEFAULT_CAMERA = {"rdl": (3.6, 1.0), "hip_thrust": (3.3, 0.8), "deadlift": (3.6, 0.9)}


@dataclass(frozen=True)
class ClipSpec:
    """Everything that defines a synthetic clip; the same spec renders the same bytes of label."""

    lift: str = "rdl"
    reps: int = 3
    #: Fault name -> 1-based rep indices (default size) or {rep index: size in the fault's unit}
    #: (see :data:`formcheck.synth.faults.FAULTS`).
    faults: F.FaultSpec = field(default_factory=dict)
    seed: int = 0
    width: int = 640
    height: int = 360
    fps: float = 30.0
    #: "right": the lifter faces image +x (near side: right); "left": mirrored.
    facing: str = "right"
    camera: CameraSpec = field(default_factory=CameraSpec)
    body: BodySpec = field(default_factory=BodySpec)
    plate_radius_m: float = SMALL_PLATE_RADIUS_M
    #: Rays per pixel along each axis (2 = 4 rays per pixel).
    supersample: int = 2
    #: x264 constant rate factor (lower = better quality).
    crf: int = 18
    output: str = "synth.mp4"
    #: Label path; None puts it next to the video with a .json suffix.
    labels: str | None = None

    def label_path(self) -> Path:
        return Path(self.labels) if self.labels else Path(self.output).with_suffix(".json")

    def validate(self) -> None:
        if self.lift not in LIFTS:
            raise ValueError(f"unknown lift {self.lift!r}; use one of {', '.join(LIFTS)}")
        if self.reps < 1:
            raise ValueError("reps must be at least 1")
        if self.width < 16 or self.height < 16 or self.width % 2 or self.height % 2:
            raise ValueError(f"frame size {self.width}x{self.height}: both sides must be even and >= 16 (yuv420p)")
        if self.fps <= 0:
            raise ValueError("fps must be positive")
        if self.facing not in FACINGS:
            raise ValueError(f"facing must be 'left' or 'right', not {self.facing!r}")
        if self.supersample < 1:
            raise ValueError("supersample must be at least 1")
        F.validate(self.lift, self.faults, self.reps)


@dataclass
class ClipPlan:
    """A clip before rendering: motion, per-frame skeleton, camera and label."""

    spec: ClipSpec
    dims: Dimensions
    motion: Motion
    skeleton: Skeleton
    camera: Camera
    props: Props
    label: dict


def _camera(spec: ClipSpec, skel: Skeleton, props: Props) -> tuple[Camera, dict]:
    default_distance, default_height = DEFAULT_CAMERA[spec.lift]
    distance = spec.camera.distance_m or default_distance
    cam_height = spec.camera.height_m if spec.camera.height_m is not None else default_height
    content = content_points(skel, props)
    lo, hi = content.min(axis=0), content.max(axis=0)
    target = np.array([0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1]), 0.0])
    az = math.radians(spec.camera.azimuth_deg)
    position = target + np.array([distance * math.sin(az), 0.0, distance * math.cos(az)])
    position[1] = cam_height
    camera = fit_camera(position, target, content, spec.width, spec.height, spec.camera.margin, spec.camera.fov_deg)
    info = {
        "distance_m": distance,
        "height_m": cam_height,
        "azimuth_deg": spec.camera.azimuth_deg,
        "fov_deg": spec.camera.fov_deg,
        **camera.to_dict(),
    }
    return camera, info


def n_frames_for(duration_s: float, fps: float) -> int:
    return int(math.floor(duration_s * fps + 1e-9)) + 1


def plan_clip(spec: ClipSpec) -> ClipPlan:
    """Motion, camera and label of a clip (no rendering)."""
    spec.validate()
    rng = np.random.default_rng(spec.seed)
    dims = dimensions(spec.body)
    reps = F.apply_faults(clean_reps(spec.lift, spec.reps, rng), spec.faults)
    motion = build_motion(spec.lift, reps, dims, spec.plate_radius_m)
    t = np.arange(n_frames_for(motion.duration_s, spec.fps)) / spec.fps
    skel = skeleton(motion, dims, t)
    props = Props(plate_radius_m=spec.plate_radius_m, bench=spec.lift == "hip_thrust")
    camera, cam_info = _camera(spec, skel, props)
    lm = {name: camera.project(xyz) for name, xyz in landmarks_3d(skel, dims).items()}
    facing = FACINGS[spec.facing]
    if facing < 0:
        lm = mirror_landmarks(lm, spec.width)
    body = {"height_m": spec.body.height_m, "build": spec.body.build, "leg_ratio": spec.body.leg_ratio}
    label = build_label(
        lift=spec.lift,
        fps=spec.fps,
        width=spec.width,
        height=spec.height,
        t=t,
        facing=facing,
        landmarks_2d=lm,
        events=motion.events,
        fault_reps={name: tuple(sizes) for name, sizes in F.normalise(spec.faults).items()},
        seed=spec.seed,
        camera=cam_info,
        body=body,
        truths=[
            {
                "truth": F.true_sizes(rep, spec.lift, dims, spec.plate_radius_m),
                "quantities": F.rep_quantities(rep, dims, spec.plate_radius_m),
            }
            for rep in motion.reps
        ],
    )
    return ClipPlan(spec, dims, motion, skel, camera, props, label)


def render_plan_frame(plan: ClipPlan, i: int, env: Environment | None = None) -> np.ndarray:
    """Frame ``i`` of a planned clip as RGB uint8 (H, W, 3), mirrored when the lifter faces left."""
    prims = frame_prims(plan.skeleton.frame(i), plan.dims, plan.spec.body, plan.props)
    img = render_frame(pack(prims), plan.camera, env or Environment(), plan.spec.supersample)
    return np.ascontiguousarray(img[:, ::-1]) if FACINGS[plan.spec.facing] < 0 else img


def iter_plan_frames(plan: ClipPlan) -> Iterator[np.ndarray]:
    for i in range(len(plan.skeleton)):
        yield render_plan_frame(plan, i)


def write_mp4(
    frames: Iterator[np.ndarray],
    path: str | Path,
    fps: float,
    crf: int = 18,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode RGB frames as H.264 (libx264, yuv420p) MP4; returns the frame count."""
    import av

    rate = Fraction(fps).limit_denominator(1001)
    count = 0
    with av.open(str(path), mode="w") as container:
        stream = None
        for rgb in frames:
            if stream is None:
                stream = container.add_stream("libx264", rate=rate)
                stream.height, stream.width = rgb.shape[:2]
                stream.pix_fmt = "yuv420p"
                stream.options = {"crf": str(crf), "preset": "medium"}
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
            count += 1
            if progress is not None:
                progress(count)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    return count


def render_clip(spec: ClipSpec, progress: Callable[[int], None] | None = None) -> tuple[Path, Path]:
    """Render ``spec`` to its MP4 and label JSON; returns (mp4 path, label path)."""
    plan = plan_clip(spec)
    out = Path(spec.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_mp4(iter_plan_frames(plan), out, spec.fps, spec.crf, progress)
    label_path = spec.label_path()
    label_path.parent.mkdir(parents=True, exist_ok=True)
    write_label(plan.label, label_path)
    return out, label_path
