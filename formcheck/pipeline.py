"""The one place that wires the stages: decode -> pose -> clean -> kinematics -> reps -> rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from . import __version__, barbell, cache, kinematics
from .analysis import Analysis, QualityWarning
from .cleaning import clean, drop_isolated_detections, fill_gaps, mask_frames, mask_low_visibility, tracker_excursions
from .config import Config, load_config
from .errors import ConfigError, InputError, NoPersonError
from .exercises import JUDGED, rules_for
from .exercises import hip_thrust as ht_module
from .exercises.base import RuleContext, not_checked
from .exercises.detect import FAMILY, Shot, classify_lift, classify_shots, mixed_view, picture_cuts, posture_features
from .landmarks import Landmark
from .reps import hard_cuts, segment_reps
from .summary import summarise
from .types import Detection, Finding, PoseSequence, Rep

EXERCISES = tuple(FAMILY)

#: Rules whose measurement only means something in a pure side view.
SIDE_VIEW_ONLY = ("rdl.rounding", "rdl.hips_back", "rdl.bar_drift")

#: Why a recognised lift gets no verdicts.
NOT_JUDGED = {
    "deadlift": "conventional deadlift (bar from the floor, knees bent a lot): the RDL rules do not apply. "
    "Use --exercise rdl to judge it as an RDL anyway",
    "squat": "this looks like a squat: formcheck judges hip thrusts, glute bridges and Romanian deadlifts only",
    "good_morning": "this looks like a good morning (bar on the back): the RDL rules do not apply",
    "single_leg_rdl": "single-leg RDL: the two-leg RDL rules do not apply",
    "stiff_leg_deadlift": "stiff-leg deadlift (from the floor each rep): the RDL rules do not apply",
}

#: Why every rule skips a rep whose lockout happened out of view.
LOCKOUT_OUT_OF_VIEW = (
    "the lockout happened out of view (the head left the top of the frame): "
    "film from further away or higher so the whole body stays in frame"
)

#: The face landmarks (nose, eyes, ears, mouth).
FACE = list(range(Landmark.NOSE, Landmark.MOUTH_RIGHT + 1))

#: Joints whose absence (on both sides) makes side-view angles impossible.
CORE_PAIRS = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"formcheck": __version__}
    for pkg in ("mediapipe", "numpy", "scipy", "av"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def landmark_cache_key(video_sha256: str, config: Config) -> str:
    """Cache key of a video's landmarks: content hash + model + pose settings."""
    return cache.cache_key(video_sha256, config.pose.model, asdict(config.pose))


def estimate_pose(
    path: str | Path,
    config: Config,
    estimator=None,
    use_cache: bool = True,
    progress: Callable[[int], None] | None = None,
    on_meta: Callable | None = None,
) -> PoseSequence:
    """Landmarks for a video, from the cache when the same video/model/settings ran before."""
    from .pose import MediaPipeEstimator, PoseOptions
    from .video import iter_frames, probe

    meta = probe(path)
    if on_meta is not None:
        on_meta(meta)
    key = landmark_cache_key(meta.sha256, config)
    if use_cache and estimator is None:
        hit = cache.load(key)
        if hit is not None:
            if progress is not None:
                progress(len(hit))
            return hit.replace(meta=meta)
    if estimator is None:
        estimator = MediaPipeEstimator(
            PoseOptions(
                model=config.pose.model,
                min_detection_confidence=config.pose.min_detection_confidence,
                min_presence_confidence=config.pose.min_presence_confidence,
                min_tracking_confidence=config.pose.min_tracking_confidence,
            )
        )
    seq = estimator.estimate(iter_frames(path, max_side=config.pose.max_side_px), meta, progress)
    if len(seq) == 0:
        raise InputError(
            f"{path}: no frame could be decoded (corrupt or truncated video)", "Export or copy the video again"
        )
    if use_cache and estimator is not None and getattr(estimator, "name", "") in ("lite", "full", "heavy"):
        cache.store(key, seq)
    return seq


def analyze_video(
    path: str | Path,
    config: Config | None = None,
    exercise: str | None = None,
    estimator=None,
    use_cache: bool = True,
    progress: Callable[[int], None] | None = None,
    on_meta: Callable | None = None,
) -> Analysis:
    """Analyse one video file end to end. See :func:`analyze_landmarks` for the rest."""
    config = config or load_config()
    started = time.perf_counter()
    seq = estimate_pose(path, config, estimator, use_cache, progress, on_meta)
    pose_s = time.perf_counter() - started
    analysis = analyze_landmarks(seq, config, exercise, video=path)
    analysis.timings["pose_s"] = round(pose_s, 3)
    analysis.timings["total_s"] = round(time.perf_counter() - started, 3)
    return analysis


def _frame_quality(seq: PoseSequence, cleaned: PoseSequence) -> tuple[float, float, float]:
    """(detected fraction, fraction of detected frames missing core joints, out-of-frame fraction)."""
    detected = seq.detected
    det_frac = float(detected.mean()) if len(seq) else 0.0
    missing = np.isnan(cleaned.xy[:, :, 0])
    core_missing = np.zeros(len(seq), dtype=bool)
    for left, right in CORE_PAIRS:  # a joint is missing when neither side was seen
        core_missing |= missing[:, left] & missing[:, right]
    core_missing &= detected
    w, h = seq.meta.width, seq.meta.height
    pts = seq.xy[
        :,
        [
            Landmark.LEFT_SHOULDER,
            Landmark.LEFT_HIP,
            Landmark.LEFT_KNEE,
            Landmark.LEFT_ANKLE,
            Landmark.RIGHT_SHOULDER,
            Landmark.RIGHT_HIP,
            Landmark.RIGHT_KNEE,
            Landmark.RIGHT_ANKLE,
            Landmark.NOSE,
        ],
    ]
    margin = 0.01
    outside = (
        (pts[..., 0] < -margin * w)
        | (pts[..., 0] > (1 + margin) * w)
        | (pts[..., 1] < -margin * h)
        | (pts[..., 1] > (1 + margin) * h)
    ).any(axis=1) & detected
    n = max(int(detected.sum()), 1)
    return det_frac, float(core_missing.sum() / n), float(outside.sum() / n)


def analyze_landmarks(
    seq: PoseSequence, config: Config | None = None, exercise: str | None = None, video: str | Path | None = None
) -> Analysis:
    """Judge a landmark sequence: detect lift and view, count reps, run the rules.

    ``exercise`` forces the lift (one of :data:`EXERCISES`) instead of detecting it. ``video``, the
    clip the landmarks came from, lets hinge reps be checked for a bar that stayed on the floor
    (:mod:`formcheck.barbell`); without it that check is skipped.
    Raises :class:`InputError` for a clip too short to analyse and
    :class:`NoPersonError` when nobody was seen.
    """
    config = config or load_config()
    t0 = time.perf_counter()
    seq, islands = drop_isolated_detections(seq, config.cleaning.min_island_s)
    cuts = picture_cuts(seq.frame_change, seq.t, config.detect) if seq.frame_change is not None else []
    seq, excursions = _drop_excursions(seq, cuts, config)
    _check_usable(seq, config, exercise)
    cleaned, notes = clean(seq, config.cleaning)
    warnings, det_frac = _trust_warnings(seq, cleaned, config)
    series, scale, _ = kinematics.compute(cleaned)
    timings = {"kinematics_s": round(time.perf_counter() - t0, 4)}
    shots = classify_shots(seq, config.detect, cuts)
    view = shots[0].view if len(shots) == 1 else mixed_view(shots, seq.t)
    features = posture_features(seq, series)
    features["side_view"] = float(any(s.view.label in ("side", "oblique") for s in shots))
    lift = Detection(exercise, 1.0, features) if exercise is not None else classify_lift(features, config.detect)
    family = FAMILY[lift.label]
    reps, levels = _count_reps(seq, cleaned, series, family, lift.label, shots, config)
    bar_checks: list[dict] = []
    if family == "hinge" and video is not None and config.bar.check and reps:
        t_bar = time.perf_counter()
        reps, bar_checks, note = _drop_reps_without_bar(video, seq, cleaned, reps, scale.leg_px, config)
        warnings += note
        timings["bar_check_s"] = round(time.perf_counter() - t_bar, 4)
    judged, reason, more = _judgement(lift.label, view.label, reps, det_frac, config, shots, seq.t)
    warnings += more
    unseen = [r.index for r in reps if not r.lockout_seen]
    if unseen:
        warnings.append(
            QualityWarning(
                "lockout_out_of_view",
                (
                    f"the lockout of rep{'s' if len(unseen) > 1 else ''} {', '.join(map(str, unseen))} happened out of view "
                    "(the head left the top of the frame): counted from the rise and the return, not judged. "
                    "Film from further away so the whole body stays in frame"
                ),
            )
        )
    findings = _run_rules(series, reps, lift.label, shots, config) if judged and reps else []
    timings["rules_s"] = round(time.perf_counter() - t0, 4)
    return Analysis(
        video=seq.meta,
        model=seq.model,
        exercise=lift,
        exercise_forced=exercise is not None,
        family=family,
        view=view,
        judged=judged and bool(reps),
        not_judged_reason=reason,
        reps=reps,
        findings=findings,
        warnings=warnings,
        series=series,
        config=config.to_dict(),
        cleaning={
            "sample_rate_hz": round(notes.sample_rate_hz, 3),
            "masked_fraction": round(notes.masked_fraction, 4),
            "filled_fraction": round(notes.filled_fraction, 4),
            "isolated_frames_dropped": islands,
            "excursion_frames_dropped": excursions,
            "steps": [
                f"poses found for under {config.cleaning.min_island_s} s between two losses -> lost",
                f"stretches of up to {config.cleaning.excursion_max_s} s entered and left by an impossible jump -> lost",
                *notes.steps,
            ],
        },
        summary=summarise(reps, findings, series),
        versions=versions(),
        detected_fraction=det_frac,
        levels=None if levels is None else {k: round(v, 2) for k, v in asdict(levels).items()},
        timings=timings,
        landmarks_xy=cleaned.xy,
        bar_checks=bar_checks,
    )


def _drop_reps_without_bar(
    video, seq: PoseSequence, cleaned: PoseSequence, reps: list[Rep], leg_px: float, config: Config
) -> tuple[list[Rep], list[dict], list[QualityWarning]]:
    """Reps whose bar stayed on the floor removed (renumbered), every check as a dict, and a warning."""
    checks = barbell.check_video(video, seq.t, cleaned.xy, seq.meta.width, reps, leg_px, config.bar)
    gone = {c.rep for c in checks if c.verdict == "without_bar"}
    kept = [r for r in reps if r.index not in gone]
    number = {r.index: k + 1 for k, r in enumerate(kept)}
    by_index = {r.index: r for r in reps}
    rows = [
        {
            **c.to_dict(),
            "rep": number.get(c.rep),
            "counted": c.rep not in gone,
            "t_bottom": round(by_index[c.rep].t_bottom, 3),
            "t_lockout": round(by_index[c.rep].t_lockout, 3),
        }
        for c in checks
    ]
    note = []
    if gone:
        when = ", ".join(f"{by_index[i].t_lockout:.1f} s" for i in sorted(gone))
        note.append(
            QualityWarning(
                "stood_up_without_bar",
                (f"the lifter stood up without the bar at {when} (the bar stayed on the floor): not counted as a rep"),
                severity="info",
            )
        )
    return [replace(r, index=number[r.index]) for r in kept], rows, note


def _drop_excursions(seq: PoseSequence, cuts: list[int], config: Config) -> tuple[PoseSequence, int]:
    """``seq`` without the stretches where the tracker followed something else (see :func:`tracker_excursions`)."""
    c = config.cleaning
    drop = tracker_excursions(
        seq.xy, seq.t, seq.detected, cuts, c.excursion_speed_leg_s, c.excursion_slack_leg, c.excursion_max_s
    )
    return (mask_frames(seq, drop), int(drop.sum())) if drop.any() else (seq, 0)


def _check_usable(seq: PoseSequence, config: Config, exercise: str | None) -> None:
    if exercise is not None and exercise not in FAMILY:
        raise ConfigError(f"unknown exercise '{exercise}'", f"Use one of: {', '.join(EXERCISES)}")
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


def _trust_warnings(seq: PoseSequence, cleaned: PoseSequence, config: Config) -> tuple[list[QualityWarning], float]:
    """Warnings about what limits trust in this clip, and the share of frames with the lifter."""
    det_frac, hidden, outside = _frame_quality(seq, cleaned)
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
    several = float(np.mean(seq.n_people >= 2)) if len(seq) else 0.0
    if several > cfg.min_other_person_fraction:
        warnings.append(
            QualityWarning(
                "several_people",
                f"more than one person is in view in {several:.0%} of frames; the tracked lifter may switch. Film one lifter at a time",
            )
        )
    return warnings, det_frac


def _count_reps(
    seq: PoseSequence, cleaned: PoseSequence, series, family: str, lift: str, shots: list[Shot], config: Config
):
    """Reps on the lift's driver signal, shot by shot (each camera angle its own driver and levels).

    Lockouts only count where the torso is where that lift ends. Returns the reps, numbered over
    the clip, and the levels of the longest shot.
    """
    incline = np.abs(series["torso_incline_deg"])
    if family == "bridge":
        lockout_ok = incline > config.reps.bridge_lockout_min_torso_deg
        # signed: hips pushed past the shoulder-knee line stay "at the top" instead of reading as a dip
        driver_2d = 180.0 + np.minimum(series["hip_line_dev_deg"], 0.0)
    else:
        lockout_ok = incline < config.reps.hinge_lockout_max_torso_deg if family == "hinge" or lift == "squat" else None
        driver_2d = series["hip_deg"]
    # Seen from the front the 2D hip angle barely moves; the 3D one does.
    driver_3d = kinematics.hip_angle_3d(cleaned) if seq.world is not None else driver_2d
    # Hard cuts are found on the unfiltered hip angle: the low-pass spreads a cut over several frames.
    unfiltered = seq.replace(
        xy=fill_gaps(
            mask_low_visibility(seq.xy, seq.visibility, config.cleaning.min_visibility),
            seq.t,
            config.cleaning.max_gap_s,
        )
    )
    raw_hip = kinematics.compute(unfiltered, facing=series.facing)[0]["hip_deg"]
    cuts = hard_cuts(raw_hip, config.reps)
    tolerance = config.reps.bridge_lockout_tolerance_deg if family == "bridge" else None
    # A hinge lifter may stand up out of the top of the frame (camera close and low).
    edge = head_at_top_edge(seq, config.reps.top_edge_margin) if family == "hinge" else None
    reps: list[Rep] = []
    best_levels, longest = None, -1
    for shot in shots:
        a, b = shot.start, shot.stop
        along = shot.view.label in ("front", "back")
        ok = None if lockout_ok is None else lockout_ok[a:b]
        if along and family == "bridge":
            # filmed from the feet: the pelvis rising in the picture (2D torso angles mean nothing here)
            driver, ok = kinematics.hip_lift_deg(cleaned.slice(a, b)), None
        else:
            driver = (driver_3d if along else driver_2d)[a:b]
        found, lv = segment_reps(
            series.t[a:b],
            driver,
            config.reps,
            ok,
            cuts[a:b],
            tolerance,
            None if edge is None else edge[a:b],
            relative_down=family == "bridge",
        )
        if along and family == "bridge":  # counted on the pelvis height: no hip angle was measured
            nan = float("nan")
            found = [replace(r, rom_deg=nan, bottom_deg=nan, top_deg=nan) for r in found]
        reps += [_shifted(rep, a, len(reps) + k + 1) for k, rep in enumerate(found)]
        if lv is not None and b - a > longest:
            best_levels, longest = lv, b - a
    return reps, best_levels


def _shifted(rep: Rep, offset: int, index: int) -> Rep:
    """``rep`` found in a shot starting at frame ``offset``, as frame numbers of the clip."""
    return replace(
        rep,
        index=index,
        start=rep.start + offset,
        bottom=rep.bottom + offset,
        lockout=rep.lockout + offset,
        end=rep.end + offset,
    )


def head_at_top_edge(seq: PoseSequence, margin: float) -> np.ndarray:
    """(T,) True where the highest face landmark is within ``margin`` of the frame height from the top."""
    face = seq.xy[:, FACE, 1]
    with np.errstate(invalid="ignore"):
        top = np.where(np.isnan(face).all(axis=1), np.nan, np.nanmin(np.where(np.isnan(face), np.inf, face), axis=1))
        return top <= margin * seq.meta.height


def _judgement(
    lift: str, view: str, reps, det_frac: float, config: Config, shots: list[Shot], t: np.ndarray
) -> tuple[bool, str, list[QualityWarning]]:
    """Whether verdicts may be given, the reason when not, and view warnings."""
    warnings: list[QualityWarning] = []
    judged, reason = True, ""
    views = {s.view.label for s in shots}
    if views <= {"front", "back", "unknown"}:
        shown = "/".join(sorted(views - {"unknown"})) or view
        judged = False
        reason = (
            f"{shown} view: the rules need a side view to measure joint angles. "
            "Film from the side, camera at hip height, whole body in frame"
        )
        warnings.append(QualityWarning("wrong_view", reason))
    elif lift not in JUDGED:
        judged = False
        reason = NOT_JUDGED.get(lift, "no hip thrust, glute bridge or RDL recognised in this clip")
    else:
        if "oblique" in views:
            warnings.append(
                QualityWarning(
                    "oblique_view",
                    "oblique camera angle: joint angles are approximate; a side view (camera square to the lifter) is more reliable",
                )
            )
        if len(shots) > 1:
            parts = ", ".join(f"{s.view.label} from {t[s.start]:.1f} s" for s in shots)
            warnings.append(
                QualityWarning(
                    "mixed_view",
                    (
                        f"the clip cuts between camera angles ({parts}); reps filmed from the front or back are not judged, "
                        "and each angle is compared only with itself"
                    ),
                )
            )
    if judged and not reps:
        reason = "no complete repetition found"
    if det_frac < config.detect.min_judged_fraction:
        judged = False
        reason = f"the lifter was found in only {det_frac:.0%} of frames: too little to judge"
    return judged, reason, warnings


def _run_rules(series, reps, lift: str, shots: list[Shot], config: Config) -> list[Finding]:
    """Every rule of the lift on every rep, shot by shot; rules the view cannot support say why they were skipped."""
    order = {rule.id: k for k, rule in enumerate(rules_for(lift))}
    findings: list[Finding] = []
    for shot in shots:
        mine = [r for r in reps if shot.start <= r.lockout < shot.stop]
        if mine:
            findings += _run_rules_in_shot(series, mine, lift, shot.view, config)
    return sorted(findings, key=lambda f: (order[f.rule], f.rep or 0))


def _run_rules_in_shot(series, reps, lift: str, view: Detection, config: Config) -> list[Finding]:
    module = JUDGED[lift]
    ctx = RuleContext(
        series=series,
        reps=reps,
        rules=config.hip_thrust if module is ht_module else config.rdl,
        view=view.label,
        exercise=lift,
    )
    blocked_all = None
    if view.label in ("front", "back", "unknown"):
        angle = "from an angle that could not be told" if view.label == "unknown" else f"from the {view.label}"
        blocked_all = f"this rep was filmed {angle}: the rules need a side view"
    yaw = view.detail.get("yaw_deg", float("nan"))
    if view.label != "side" or not yaw >= config.detect.pure_side_min_yaw_deg:
        for rule_id in SIDE_VIEW_ONLY:
            ctx.blocked[rule_id] = (
                "needs a pure side view: distances on screen shrink when the camera looks at the lifter at an angle"
            )
    if blocked_all is None:
        module.prepare(ctx)
    findings: list[Finding] = []
    for rule in rules_for(lift):
        for rep in reps:
            if blocked_all is not None:
                findings.append(not_checked(rule, rep, ctx, blocked_all))
            elif not rep.lockout_seen:
                findings.append(not_checked(rule, rep, ctx, LOCKOUT_OUT_OF_VIEW))
            elif rule.id in ctx.blocked:
                findings.append(not_checked(rule, rep, ctx, ctx.blocked[rule.id]))
            else:
                findings.append(rule.check(ctx, rep))
    return findings
