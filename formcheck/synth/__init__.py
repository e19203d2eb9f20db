"""Synthetic lifter: procedurally rendered ground-truth clips of RDLs and hip thrusts.

``render_clip(ClipSpec(...))`` writes an H.264 MP4 and a JSON label (exact 2D
landmarks, the COACHING.md angles per frame, reps and injected faults; fields
in :mod:`formcheck.synth.labels`). ``plan_clip`` gives the label and poses
without rendering. The modules: ``body`` (the parametric lifter), ``motion``
(rep plans, timing, forward kinematics), ``faults``, ``scene`` (props),
``render`` (camera + numba SDF ray-marcher), ``labels``, ``clip``.
"""

from .body import BodySpec
from .clip import CameraSpec, ClipPlan, ClipSpec, plan_clip, render_clip, render_plan_frame
from .faults import FAULTS, faults_for
from .labels import label_angles, load_label

__all__ = ["BodySpec", "CameraSpec", "ClipPlan", "ClipSpec", "FAULTS", "faults_for", "label_angles",
           "load_label", "plan_clip", "render_clip", "render_plan_frame"]
