"""Can this clip be analysed, and what limits trust in it (COACHING.md 'Camera and trust').

Pure functions over landmark arrays: a clip too short or with nobody in it is an error; a lifter found
in few frames, body parts out of the picture, hidden joints or a second person are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .config import Config
from .errors import ConfigError, FormcheckError, InputError, NoPersonError
from .exercises import LIFTS
from .exercises.detect import FORCEABLE_VIEWS
from .landmarks import Landmark
from .people import ENOUGH_PEOPLE
from .types import PoseSequence, VideoMeta

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
#: Decoded frames ending more than this share of the container's length early: the file is cut short or
#: damaged. Intact clips (the 95 stored fixtures) decode to within 0.3 % of the announced length; their
#: frame *counts* are no guide (phones write duplicate timestamps, which are dropped: down to 75 %).
TRUNCATED_MIN_MISSING = 0.05


@dataclass(frozen=True)
class QualityWarning:
    """Something that limits trust in the analysis. ``code`` is stable, ``message`` for people."""

    code: str
    message: str
    severity: str = "warning"  # "warning" or "info"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "severity": self.severity}


def check_forced(exercise: str | None, view: str | None = None) -> None:
    """Raise for a forced lift or view formcheck does not know."""
    if exercise is not None and exercise not in LIFTS:
        raise ConfigError(f"unknown exercise '{exercise}'", f"Use one of: {', '.join(LIFTS)}")
    if view is not None and view not in FORCEABLE_VIEWS:
        raise ConfigError(f"unknown view '{view}'", f"Use one of: {', '.join(FORCEABLE_VIEWS)}, or leave it out")


def check_usable(seq: PoseSequence, config: Config, exercise: str | None, view: str | None = None) -> None:
    """Raise for a forced lift or view formcheck does not know, a clip too short to analyse, or nobody in it."""
    check_forced(exercise, view)
    name = Path(seq.meta.path).name
    if len(seq) < config.detect.min_frames:
        raise too_short(name, len(seq), config)
    if not seq.detected.any():
        raise NoPersonError(
            f"no person found in {name}",
            "Film the whole body from the side, in good light, with the lifter filling a good part of the frame",
        )


#: Frames are counted at this size (pixels, longer side) when a clip announces too few: only their number matters.
TOO_SHORT_PROBE_SIDE_PX = 64


def too_short(name: str, frames: int, config: Config) -> InputError:
    """The refusal of a clip with fewer than ``detect.min_frames`` frames."""
    return InputError(
        f"{name} is too short to analyse ({frames} frame{'' if frames == 1 else 's'})",
        f"Record at least {config.detect.min_frames} frames: a whole rep, top to top",
    )


def refuse_too_short(path: str | Path, meta: VideoMeta, config: Config) -> None:
    """Raise :func:`too_short` before the pose model runs for a clip whose container announces (``meta``, its
    probe) fewer than ``detect.min_frames`` frames and that decodes no more: a clip refused anyway is spared the
    model's start-up and the warnings its native code may print on stderr (a 4x4 clip of 3 frames once printed
    LiteRT's "Input tensor memory is not aligned" line before the one-line refusal). An unknown or larger length, or
    a file that does not decode here, is left to the pose pass and :func:`check_usable`, which refuse it as before."""
    if not 0 < meta.n_frames < config.detect.min_frames:
        return
    from .video import iter_frames  # PyAV only for a video

    try:
        frames = sum(1 for _ in iter_frames(path, max_side=TOO_SHORT_PROBE_SIDE_PX, pixels="gray"))
    except (FormcheckError, OSError):
        return
    if frames < config.detect.min_frames:
        raise too_short(Path(path).name, frames, config)


def check_decoded(seq: PoseSequence, config: Config) -> PoseSequence:
    """The frames decoded from a video against the length its container announces.

    A file cut short (a copy or upload that stopped) or damaged part-way decodes only up to the damage
    (:func:`formcheck.video.iter_frames` ends there). When more than :data:`TRUNCATED_MIN_MISSING` of the
    length is missing, the sequence's ``meta`` is made to describe what was decoded (``n_frames``,
    ``duration_s``; the container's figures in ``container_frames``, ``container_duration_s``), which
    :func:`trust_warnings` turns into a ``truncated`` warning; below ``detect.min_decoded_fraction`` of the
    length it is an :class:`InputError`. A clip decoded in full comes back unchanged.
    """
    meta = seq.meta
    if len(seq) == 0 or not meta.duration_s > 0 or meta.container_duration_s is not None:
        return seq
    step = float(np.median(np.diff(seq.t))) if len(seq) > 1 else 1.0 / (meta.fps or 30.0)
    decoded_s = min(float(seq.t[-1]) + step, meta.duration_s)
    share = decoded_s / meta.duration_s
    if share >= 1.0 - TRUNCATED_MIN_MISSING:
        return seq
    counts = f"only {len(seq)} of {meta.n_frames} frames ({share:.0%} of its {meta.duration_s:.1f} s) could be decoded"
    if share < config.detect.min_decoded_fraction:
        raise InputError(
            f"{Path(meta.path).name}: {counts}: the file is cut short or damaged",
            f"Copy or export the video again (formcheck needs at least {config.detect.min_decoded_fraction:.0%} of it)",
        )
    return seq.replace(
        meta=replace(
            meta,
            n_frames=len(seq),
            duration_s=decoded_s,
            container_frames=meta.n_frames,
            container_duration_s=meta.duration_s,
        )
    )


def truncation_warning(meta: VideoMeta) -> QualityWarning | None:
    """The ``truncated`` warning of a video :func:`check_decoded` found cut short, else None."""
    if meta.container_duration_s is None or meta.container_frames is None:
        return None
    share = meta.duration_s / meta.container_duration_s if meta.container_duration_s > 0 else 0.0
    return QualityWarning(
        "truncated",
        f"only {meta.n_frames} of {meta.container_frames} frames ({share:.0%}) could be decoded: the file is cut "
        f"short or damaged; verdicts cover 0.0-{meta.duration_s:.1f} s",
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
    if (truncated := truncation_warning(seq.meta)) is not None:
        warnings.append(truncated)
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
    several = float(np.mean(seq.n_people >= ENOUGH_PEOPLE)) if seq.n_people is not None and len(seq) else 0.0
    if several > cfg.min_other_person_fraction:
        warnings.append(
            QualityWarning(
                "several_people",
                f"more than one person is in view in {several:.0%} of frames; the tracked lifter may switch. Film one lifter at a time",
            )
        )
    return warnings, det_frac


def knee_bend_if_rdl_warning(note: str) -> QualityWarning:
    """The note for an unknown lift whose knees bend at the bottom as a deadlift's, in a clip that opens standing as
    an RDL set does (:func:`formcheck.exercises.detect.knee_bend_if_rdl`): in an RDL that bend is the fault."""
    return QualityWarning("knee_bend_if_rdl", note, severity="info")


def stood_up_without_bar_warning(times_s: list[float]) -> QualityWarning:
    """The note for hinge reps not counted because the bar stayed on the floor (at these lockout times)."""
    when = ", ".join(f"{t:.1f} s" for t in times_s)
    return QualityWarning(
        "stood_up_without_bar",
        f"the lifter stood up without the bar at {when} (the bar stayed on the floor): not counted as a rep",
        severity="info",
    )


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
