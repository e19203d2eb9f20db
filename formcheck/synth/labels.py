"""Ground-truth label file of a synthetic clip.

The label is JSON::

    {
      "format": 1,
      "generator": "formcheck.synth",
      "lift": "rdl" | "hip_thrust" | "deadlift",
      "fps": float, "width": int, "height": int, "n_frames": int,
      "facing": +1 | -1,          # +1: the lifter faces image +x (right); hip thrust: the toes point there
      "near_side": "left" | "right",  # body side nearer the camera; its joints give "angles"
      "seed": int,
      "camera": {"distance_m", "height_m", "azimuth_deg", "position_m", "forward", "focal_px", "cx", "cy"},
      "body": {"height_m", "build", "leg_ratio"},
      "reps": [{"index": 1-based,
                "start_frame", "bottom_frame", "lockout_frame", "end_frame",  # [start, end) half-open
                "start_s", "bottom_s", "lockout_s", "end_s",
                "eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s",
                "liftoff_frame", "knees_frame", "liftoff_s", "knees_s",  # deadlift only: the pull's start,
                                                                     # the bar at the knees' height
                "faults": [fault names],
                "fault_sizes": {fault name: size injected, in the fault's unit},
                "truth": {fault name: that fault's quantity on this rep, in its unit, or null},
                "quantities": {sagittal truth of the rep plan: see formcheck.synth.faults.rep_quantities}}],
      "faults": {fault name: [rep indices]},
      "frames": {"t": [seconds per frame],
                 "landmarks_2d": {mediapipe name: [[x, y] per frame]},
                 "angles": {metric: [value per frame]}}
    }

Format 1 gained ``generator_version`` (2: graded faults, hinge over near-vertical shins)
and the per-rep ``fault_sizes``, ``truth`` and ``quantities``; files written before
lack them and read the same otherwise. Fault units (COACHING.md §1) are listed by
``formcheck synth --help`` and in :data:`formcheck.synth.faults.FAULTS`:
``truth`` holds every fault kind of the lift measured on the rep plan (exact,
camera-free: a clean rep's natural value too, e.g. its knee flexion at the
start for ``knees_locked``); ``fault_sizes`` only the injected ones. The RDL
``partial_lockout`` fault came later within version 2 (clean clips unchanged):
labels written before it lack its ``truth`` and the ``top_hip_deg`` and
``top_hip_flexion_deg`` quantities (the lockout's sagittal hip angle, and the
signed hip flexion there: 180 - top_hip_deg when flexed).

The deadlift (``--lift deadlift``) came later within version 2 (RDL and hip thrust labels unchanged). Its
``truth`` holds the ``dl_*`` faults' quantities; its ``quantities`` are
:func:`formcheck.synth.faults.deadlift_quantities` (what each ``dl`` rule reads: the bar ahead of
mid-foot and the neck's extension at lift-off, the trunk's tip from lift-off to the bar at the knees, the
bar's gap there, the top hip and knee angles and the trunk behind vertical). A deadlift rep runs from the
start of the lowering before it (the first rep: the clip's first frame, crouched over the bar) to the start
of its own lowering; ``bottom`` is the middle of the dead stop on the floor, ``liftoff_frame`` its end.

Rep boundaries follow :class:`formcheck.types.Rep`: ``start`` is where the
descent begins (frame 0 for a hip thrust clip that starts low), ``bottom`` the
middle of the bottom pause, ``lockout`` the first frame at the top, ``end``
the next rep's start or, after the last rep, the clip end (RDL) or the start
of the final lowering (hip thrust). Frame ``i`` is at ``t = i / fps``.

``landmarks_2d`` are exact projections of the body's joints in image pixels
(x right, y down; a pixel's centre is at +0.5), named as MediaPipe names
them: nose, left/right eye, ear, mouth corner, shoulder, elbow, wrist, hip,
knee, ankle, heel, foot_index. Joints hidden behind the body are still given.

``angles`` (degrees unless noted) are the COACHING.md metrics computed from
those projections of the near side, in a y-up frame mirrored so the lifter
faces +x (:func:`label_angles`):

- ``hip_deg``: interior angle shoulder-hip-knee (180 = straight);
- ``hip_line_dev_deg``: signed bend at the hip off the shoulder->knee line,
  + when the hip is on the belly side (counter-clockwise of shoulder->knee);
- ``knee_deg``: interior angle hip-knee-ankle;
- ``knee_flexion_deg``: 180 - knee angle, + when the knee is forward of the
  hip->ankle line;
- ``neck_flexion_deg``: minus the counter-clockwise angle from (shoulder - hip)
  to (ear - shoulder); + = chin towards the chest;
- ``gaze_deg``: direction of ear->nose above the horizontal towards the facing
  direction (90 = straight up);
- ``torso_incline_deg``: atan2(dx, dy) of hip->shoulder (0 = vertical,
  + = leaning forward);
- ``bar_to_leg`` (fraction of leg length): horizontal distance of the wrist
  in front of the knee-ankle line at the wrist's height, over the clip's
  median near-side thigh + shin length in pixels.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .. import geometry as g

FORMAT = 1
#: Version of the generator's motion and label contents within the format (2: graded faults, per-rep truth).
GENERATOR_VERSION = 2
#: Decimals kept in the file: pixels and degrees.
PIXEL_DECIMALS = 2
ANGLE_DECIMALS = 3

ANGLE_NAMES = (
    "hip_deg",
    "hip_line_dev_deg",
    "knee_deg",
    "knee_flexion_deg",
    "neck_flexion_deg",
    "gaze_deg",
    "torso_incline_deg",
    "bar_to_leg",
)


def mirror_landmarks(lm: dict[str, np.ndarray], width: int) -> dict[str, np.ndarray]:
    """Landmarks of the horizontally flipped image: x -> width - x, left and right names swapped."""
    out = {}
    for name, xy in lm.items():
        flipped = np.stack([width - xy[:, 0], xy[:, 1]], axis=1)
        out[_swap_side(name)] = flipped
    return out


def _swap_side(name: str) -> str:
    for a, b in (("left", "right"), ("right", "left")):
        if a in name:
            return name.replace(a, b)
    return name


def label_angles(lm: dict[str, np.ndarray], side: str, facing: int) -> dict[str, np.ndarray]:
    """The metrics of :data:`ANGLE_NAMES` from 2D pixel landmarks of one body side."""
    pick = lambda joint: g.face_positive_x(g.to_y_up(np.asarray(lm[f"{side}_{joint}"], dtype=float)), facing)  # noqa: E731
    sh, hip, knee, ankle, ear, wrist = (pick(j) for j in ("shoulder", "hip", "knee", "ankle", "ear", "wrist"))
    nose = g.face_positive_x(g.to_y_up(np.asarray(lm["nose"], dtype=float)), facing)
    torso = sh - hip
    leg = float(np.median(g.distance(hip, knee) + g.distance(knee, ankle)))
    return {
        "hip_deg": g.interior_angle(sh, hip, knee),
        "hip_line_dev_deg": g.line_deviation(sh, hip, knee),
        "knee_deg": g.interior_angle(hip, knee, ankle),
        "knee_flexion_deg": g.line_deviation(hip, knee, ankle),
        "neck_flexion_deg": -g.signed_angle(torso, ear - sh),
        "gaze_deg": g.direction(nose - ear),
        "torso_incline_deg": np.degrees(np.arctan2(torso[:, 0], torso[:, 1])),
        "bar_to_leg": g.x_offset_from_line(wrist, knee, ankle) / leg,
    }


def rep_entries(events, fps: float, n_frames: int, truths: list[dict] | None = None) -> list[dict]:
    """Label entries of the reps from their event times (``truths``: per rep, ``{"truth", "quantities"}``)."""
    frame = lambda t: int(min(round(t * fps), n_frames - 1))  # noqa: E731
    out = []
    for k, ev in enumerate(events):
        end_frame = n_frames if ev.end_s is None else frame(ev.end_s)
        end_s = (n_frames - 1) / fps if ev.end_s is None else ev.end_s
        out.append(
            {
                "index": ev.index,
                "start_frame": frame(ev.start_s),
                "bottom_frame": frame(ev.bottom_s),
                "lockout_frame": int(min(np.ceil(ev.lockout_s * fps - 1e-6), max(end_frame - 1, 0))),
                "end_frame": end_frame,
                "start_s": round(ev.start_s, 4),
                "bottom_s": round(ev.bottom_s, 4),
                "lockout_s": round(ev.lockout_s, 4),
                "end_s": round(end_s, 4),
                "eccentric_s": round(ev.timing.eccentric_s, 4),
                "bottom_pause_s": round(ev.timing.bottom_s, 4),
                "concentric_s": round(ev.timing.concentric_s, 4),
                "top_pause_s": round(ev.timing.top_s, 4),
                "faults": list(ev.faults),
                "fault_sizes": {name: round(float(size), 4) for name, size in ev.sizes},
                **_deadlift_frames(ev, frame),
                **(_rounded(truths[k]) if truths is not None else {}),
            }
        )
    return out


def _deadlift_frames(ev, frame) -> dict:
    """A deadlift rep's lift-off (the end of the dead stop: the first frame of the pull) and the frame where the
    bar's centre reaches the knees' height (the first at or after it), with their times; nothing for other lifts."""
    if getattr(ev, "liftoff_s", None) is None:
        return {}
    return {
        "liftoff_frame": frame(ev.liftoff_s),
        "knees_frame": frame(ev.knees_s),
        "liftoff_s": round(ev.liftoff_s, 4),
        "knees_s": round(ev.knees_s, 4),
    }


def _rounded(truth: dict) -> dict:
    return {
        group: {name: None if v is None else round(float(v), 4) for name, v in values.items()}
        for group, values in truth.items()
    }


def build_label(
    *,
    lift: str,
    fps: float,
    width: int,
    height: int,
    t: np.ndarray,
    facing: int,
    landmarks_2d: dict[str, np.ndarray],
    events,
    fault_reps: dict[str, tuple[int, ...]],
    seed: int,
    camera: dict,
    body: dict,
    truths: list[dict] | None = None,
) -> dict:
    """The label document (see the module docstring)."""
    near = "right" if facing == 1 else "left"
    lm = {name: np.round(xy, PIXEL_DECIMALS) for name, xy in sorted(landmarks_2d.items())}
    angles = label_angles(lm, near, facing)
    n = len(t)
    return {
        "format": FORMAT,
        "generator": "formcheck.synth",
        "generator_version": GENERATOR_VERSION,
        "lift": lift,
        "fps": fps,
        "width": width,
        "height": height,
        "n_frames": n,
        "facing": facing,
        "near_side": near,
        "seed": seed,
        "camera": camera,
        "body": body,
        "reps": rep_entries(events, fps, n, truths),
        "faults": {name: sorted(set(reps)) for name, reps in sorted(fault_reps.items())},
        "frames": {
            "t": [round(float(x), 6) for x in t],
            "landmarks_2d": {name: xy.tolist() for name, xy in lm.items()},
            "angles": {name: [round(float(v), ANGLE_DECIMALS) for v in angles[name]] for name in ANGLE_NAMES},
        },
    }


def write_label(label: dict, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(label, separators=(",", ":")) + "\n")
    return path


def load_label(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())
