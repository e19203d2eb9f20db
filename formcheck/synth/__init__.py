"""Synthetic lifter: procedurally rendered ground-truth clips of RDLs, conventional deadlifts and hip thrusts.

``render_clip(ClipSpec(...))`` writes an H.264 MP4 and a JSON label (exact 2D
landmarks, the COACHING.md angles per frame, reps and injected faults; fields
in :mod:`formcheck.synth.labels`). ``plan_clip`` gives the label and poses
without rendering (milliseconds)::

    from formcheck.synth import CameraSpec, ClipSpec, render_clip
    mp4, label = render_clip(ClipSpec(lift="rdl", reps=4, faults={"knees_bend": (2, 3)}, seed=1,
                                      camera=CameraSpec(azimuth_deg=20), output="out/rdl.mp4"))

Command line: ``python -m formcheck.synth --lift hip_thrust --reps 5 --fault head_back@4,5 -o ht.mp4``
(``--lift deadlift --full-plates --fault dl_hips_first=15@2``: a deadlift from the floor).

Modules: ``body`` (the parametric lifter), ``motion`` (rep plans, timing,
forward kinematics), ``faults``, ``scene`` (props, framing), ``primitives``
and ``render`` (camera + numba SDF ray-marcher), ``labels``, ``clip``.
The same spec and seed give the same label and the same pixels.
"""

from .body import BodySpec
from .clip import CameraSpec, ClipPlan, ClipSpec, plan_clip, render_clip, render_plan_frame
from .faults import FAULTS, faults_for
from .labels import label_angles, load_label

__all__ = [
    "BodySpec",
    "CameraSpec",
    "ClipPlan",
    "ClipSpec",
    "FAULTS",
    "faults_for",
    "label_angles",
    "load_label",
    "plan_clip",
    "render_clip",
    "render_plan_frame",
]
