"""Can this clip be analysed, and what limits trust in it (COACHING.md 'Camera and trust').

Pure functions over landmark arrays: a clip too short or with nobody in it is an error; a lifter found
in few frames, body parts out of the picture, hidden joints or a second person are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import Config
from .errors import ConfigError, InputError, NoPersonError
from .exercises import LIFTS
from .exercises.detect import FORCEABLE_VIEWS
from .landmarks import Landmark
from .types import PoseSequence

#: Joints whose absence (on both sides) makes side-view angles impossible.
CORE_PAIRS = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
)
#: Joints that must stay inside the picture.
IN_FRAME = (
    Landmark.LEFT_SHOULDER,
    Landmark.LEFT_HIP,
    Landmark.LEFT_KNEE,
    Landmark.LEFT_ANKLE,
    Landmark.RIGHT_SHOULDER,
    Landmark.RIGHT_HIP,
    Landmark.RIGHT_KNEE,
    Landmark.RIGHT_ANKLE,
    Landmark.NOSE,
)
#: A landmark this far outside the picture (share of its width or height) is out of frame.
OUT_OF_FRAME_MARGIN = 0.01


@dataclass(frozen=True)
class QualityWarning:
    """Something that limits trust in the analysis. ``code`` is stable, ``message`` for people."""

    code: str
    message: str
    severity: str = "warning"  # "warning" or "info"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "severity": self.severity}


def check_usable(seq: PoseSequence, config: Config, exercise: str | None, view: str | None = None) -> None:
    """Raise for a forced lift or view formcheck does not know, a clip too short to analyse, or nobody in it."""
    if exercise is not None and exercise not in LIFTS:
        raise ConfigError(f"unknown exercise '{exercise}'", f"Use one of: {', '.join(LIFTS)}")
    if view is not None and view not in FORCEABLE_VIEWS:
        raise ConfigError(f"unknown view '{view}'", f"Use one of: {', '.join(FORCEABLE_VIEWS)}, or leave it out")
    name = Path(seq.meta.path).name
    if len(seq) < config.detect.min_frames:
        raise InputError(
            f"{name} is too short to analyse ({len(seq)} frames)",
            f"Record at least {config.detect.min_frames} frames: a whole rep, top to top",
        )
    if not seq.detected.any():
        raise NoPersonError(
            f"no person found in {name}",
            "Film the whole body from the side, in good light, with the lifter filling a good part of the frame",
        )


def frame_quality(seq: PoseSequence, cleaned: PoseSequence) -> tuple[float, float, float]:
    """(detected fraction, fraction of detected frames missing core joints, out-of-frame fraction)."""
    detected = seq.detected
    det_frac = float(detected.mean()) if len(seq) else 0.0
    missing = np.isnan(cleaned.xy[:, :, 0])
    core_missing = np.zeros(len(seq), dtype=bool)
    for left, right in CORE_PAIRS:  # a joint is missing when neither side was seen
        core_missing |= missing[:, left] & missing[:, right]
    core_missing &= detected
    w, h = seq.meta.width, seq.meta.height
    pts = seq.xy[:, list(IN_FRAME)]
    m = OUT_OF_FRAME_MARGIN
    outside = (
        (pts[..., 0] < -m * w) | (pts[..., 0] > (1 + m) * w) | (pts[..., 1] < -m * h) | (pts[..., 1] > (1 + m) * h)
    ).any(axis=1) & detected
    n = max(int(detected.sum()), 1)
    return det_frac, float(core_missing.sum() / n), float(outside.sum() / n)


def trust_warnings(seq: PoseSequence, cleaned: PoseSequence, config: Config) -> tuple[list[QualityWarning], float]:
    """Warnings about what limits trust in this clip, and the share of frames with the lifter."""
    det_frac, hidden, outside = frame_quality(seq, cleaned)
    cfg = config.detect
    warnings: list[QualityWarning] = []
    if det_frac < cfg.min_detected_fraction:
        warnings.append(
            QualityWarning(
                "person_not_found",
                f"the lifter was found in only {det_frac:.0%} of frames; verdicts cover those frames only",
            )
        )
    if outside > cfg.max_out_of_frame_fraction:
        warnings.append(
            QualityWarning(
                "out_of_frame",
                f"body parts are out of the frame in {outside:.0%} of frames; step back or zoom out so the whole body stays in view",
            )
        )
    if hidden > cfg.max_hidden_fraction:
        warnings.append(
            QualityWarning(
                "low_visibility",
                f"shoulders, hips or knees could not be seen clearly in {hidden:.0%} of frames (occluded or low visibility)",
            )
        )
    several = float(np.mean(seq.n_people >= 2)) if seq.n_people is not None and len(seq) else 0.0
    if several > cfg.min_other_person_fraction:
        warnings.append(
            QualityWarning(
                "several_people",
                f"more than one person is in view in {several:.0%} of frames; the tracked lifter may switch. Film one lifter at a time",
            )
        )
    return warnings, det_frac


def lockout_out_of_view_warning(unseen: list[int]) -> QualityWarning:
    """The warning for reps whose lockout happened above the top of the frame."""
    return QualityWarning(
        "lockout_out_of_view",
        (
            f"the lockout of rep{'s' if len(unseen) > 1 else ''} {', '.join(map(str, unseen))} happened out of view "
            "(the head left the top of the frame): counted from the rise and the return, not judged. "
            "Film from further away so the whole body stays in frame"
        ),
    )
