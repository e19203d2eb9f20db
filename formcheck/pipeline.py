"""The one place that wires the stages. Data flows one way, each stage a function with typed input and output:

video ──estimate_pose──> PoseSequence (landmarks, picture change) ──quality.check_decoded──> (a cut-short file: error or warning)
  ──detect.picture_cuts──> cuts (once per clip)
  ──cleaning.drop_untrusted──> Trusted ──quality.check_usable──> (errors for unusable clips)
  ──cleaning.clean_trusted──> Cleaned ──quality.trust_warnings──> warnings
  ──kinematics.compute──> AngleSeries
  ──detect.classify_shots / classify_lift──> shots, view, lift
  ──trust.assess──> TrustTable (which joints are evidence in which frames, COACHING.md §6)
  ──counting.count_reps──> reps ──barbell.drop_reps_without_bar──> reps with the bar
  ──plates.find_plates──> the near plate's disc per frame ──trust.behind_plate──> joints inside it not evidence
    (a hinge filmed from the side: both from one decoding pass, rescan.bar_and_plates; what they found is kept in
    the cache by lookcache, so a cached re-judge reads no video)
  ──loops.find_loops / mark_repeats──> reps replaying earlier ones marked (footage that loops)
  ──judging.may_judge / run_rules──> findings (distinct reps; repeats get their first showing's) ──summary.summarise──> summary
  = Analysis
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import barbell, cache, kinematics, lookcache, loops, plates, rescan, trust
from . import geometry as g
from .analysis import Analysis
from .cleaning import Cleaned, clean_trusted, drop_untrusted, runs
from .config import Config, load_config
from .counting import Counted, count_reps
from .errors import InputError
from .exercises import LIFTS, get_lift
from .exercises.base import Lift, Phase, PlateHeights
from .exercises.detect import (
    JUDGED_IF_NAMED,
    NOT_TRIED,
    UNKNOWN_LIFT,
    Shot,
    classify_lift,
    classify_shots,
    force_view,
    guesses,
    hinge_bottom_hidden,
    knee_bend_if_rdl,
    lift_for,
    mixed_view,
    nearest_side_deg,
    pass_exercise_hint,
    picture_cuts,
    posture_features,
    pure_side,
    retold,
    shot_off_side_deg,
)
from .feet import pin_planted_feet
from .judging import may_judge, run_rules
from .quality import (
    check_decoded,
    check_forced,
    check_usable,
    knee_bend_if_rdl_warning,
    lockout_out_of_view_warning,
    refuse_too_short,
    stood_up_without_bar_warning,
    trust_warnings,
)
from .summary import measured_ranges, summarise
from .trust import TrustTable, span_frames
from .types import JUDGED_VERDICTS, AngleSeries, Detection, Finding, PoseSequence, Rep
from .variants import arm_variant, leg_variant
from .video import scaled_size

if TYPE_CHECKING:  # imported where used: a cached re-judge reads no video
    from .greystore import GreyFrameStore
    from .video import DecodedFrame

#: Frames decoded ahead of the pose model (the decoder's queue): enough to keep it busy, few enough that
#: memory does not depend on the video (a 1080p frame is 3 MB decoded; 8 frames ahead peaked 17 MB higher).
DECODE_AHEAD_FRAMES = 3

#: Every lift id ``--exercise`` accepts.
EXERCISES = tuple(LIFTS)


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
    grey_store: GreyFrameStore | None = None,
) -> PoseSequence:
    """Landmarks for a video, from the cache when the same video/model/settings ran before.

    On a cache hit the video is not opened by the decoder: its hash finds the entry, whose metadata (the
    probe of the same content when it was stored) is used with the path given now. ``grey_store``: when the
    video is decoded, every frame's grey picture for the second pass goes there too (finished at the end; left
    unfinished, so unused, on a cache hit).
    """
    from .video import check_file, file_sha256, iter_frames, prefetch, probe

    if use_cache:  # the cache first, whoever would estimate: a given estimator runs only on a miss
        try:
            sha256 = file_sha256(check_file(path))
        except OSError as exc:  # as the probe says it
            raise InputError(f"{path} could not be read ({exc})", "Check the file's permissions and format") from None
        hit = cache.load(landmark_cache_key(sha256, config))
        if hit is not None and hit.meta.sha256 == sha256:
            meta = replace(hit.meta, path=str(path))
            if on_meta is not None:
                on_meta(meta)
            if progress is not None:
                progress(len(hit))
            return hit.replace(meta=meta)
        meta = replace(probe(path, with_hash=False), sha256=sha256)
    else:
        meta = probe(path)
    refuse_too_short(path, meta, config)  # before the pose model loads: it would be refused after it anyway
    if on_meta is not None:
        on_meta(meta)
    key = landmark_cache_key(meta.sha256, config)
    from .pose import MediaPipeEstimator, PoseOptions

    if estimator is None:
        estimator = MediaPipeEstimator(PoseOptions.from_config(config.pose))
    # decoding runs in its own thread, a few frames ahead of the model; RGB is made only for the frames the
    # model sees (DecodedFrame.rgb)
    decoded = iter_frames(path, max_side=config.pose.max_side_px, lazy=True)
    if grey_store is not None:  # in the decoding thread too, before the frame's RGB is made
        decoded = _storing(decoded, grey_store)
    frames = prefetch(decoded, DECODE_AHEAD_FRAMES)
    seq = estimator.estimate(frames, meta, progress)
    if len(seq) == 0:
        raise InputError(
            f"{path}: no frame could be decoded (corrupt or truncated video)", "Export or copy the video again"
        )
    if use_cache and getattr(estimator, "name", "") in ("lite", "full", "heavy"):
        cache.store(key, seq)
    return seq


def _named_would_judge(
    detected: Detection,
    lift: Lift,
    series: AngleSeries,
    reps: list[Rep],
    shots: list[Shot],
    config: Config,
    trust: TrustTable,
    plate: PlateHeights | None,
) -> tuple[Detection, Lift]:
    """An unknown lift's detection with :data:`~formcheck.exercises.detect.JUDGED_IF_NAMED` (per guess of the same
    family that has rules the unknown lift does not judge, how many of them would give a verdict on these reps were
    that lift named: the same reps, views, trust and plate), and the lift with its set-aside reasons told the hint
    that follows."""
    judged_now = {rule.id for rule in lift.rules if not rule.set_aside}
    counts: dict[str, int] = {}
    for guess, _ in guesses(detected):
        named = get_lift(guess)
        if not named.judged:
            continue
        if named.family != lift.family:  # counted on another rep model: not tried here, so not ruled out
            counts[guess] = NOT_TRIED
            continue
        if all(rule.id in judged_now for rule in named.rules):  # its rules are judged already: it adds none
            continue
        found = run_rules(series, reps, named, shots, config, trust, plate)
        counts[guess] = len({f.rule for f in found if f.rule not in judged_now and f.verdict in JUDGED_VERDICTS})
    old_hint = pass_exercise_hint(detected)
    detected = replace(detected, detail={**detected.detail, JUDGED_IF_NAMED: counts})
    return detected, retold(lift, old_hint, pass_exercise_hint(detected))


def _storing(frames: Iterator[DecodedFrame], store: GreyFrameStore) -> Iterator[DecodedFrame]:
    """``frames``, each added to ``store`` on the way; the store is finished when they all went by."""
    for frame in frames:
        store.add(frame)
        yield frame
    store.finish()


def analyze_video(
    path: str | Path,
    config: Config | None = None,
    exercise: str | None = None,
    estimator=None,
    use_cache: bool = True,
    progress: Callable[[int], None] | None = None,
    on_meta: Callable | None = None,
    view: str | None = None,
) -> Analysis:
    """Analyse one video file end to end. See :func:`analyze_landmarks` for the rest."""
    from . import greystore

    config = config or load_config()
    started = time.perf_counter()
    check_forced(exercise, view)  # before the pose pass, which may refuse a clip too short (refuse_too_short)
    # the second pass's grey pictures, kept from this decode (docs/PERFORMANCE.md "One decode")
    with greystore.for_second_pass(config.bar.max_side_px) as grey:
        seq = check_decoded(estimate_pose(path, config, estimator, use_cache, progress, on_meta, grey), config)
        pose_s = time.perf_counter() - started
        analysis = analyze_landmarks(seq, config, exercise, video=path, view=view, grey=grey, reuse_look=use_cache)
    analysis.timings["pose_s"] = round(pose_s, 3)
    if seq.interpolated is not None:  # how many frames the model saw (the rest were interpolated)
        analysis.timings["pose_model_frames"] = int(np.sum(~seq.interpolated))
        analysis.timings["pose_interpolated_frames"] = int(np.sum(seq.interpolated))
    analysis.timings["total_s"] = round(time.perf_counter() - started, 3)
    return analysis


def analyze_landmarks(
    seq: PoseSequence,
    config: Config | None = None,
    exercise: str | None = None,
    video: str | Path | None = None,
    view: str | None = None,
    grey: GreyFrameStore | None = None,
    reuse_look: bool = False,
) -> Analysis:
    """Judge a landmark sequence: detect lift and view, count reps, run the rules.

    ``exercise`` forces the lift (one of :data:`EXERCISES`) instead of detecting it; ``view`` forces the
    camera view (``side`` or ``oblique``, :data:`~formcheck.exercises.detect.FORCEABLE_VIEWS`). ``video``, the
    clip the landmarks came from, lets hinge reps be checked for a bar that stayed on the floor
    (:mod:`formcheck.barbell`); without it that check is skipped. ``grey``: the video's grey frames kept from
    the pose pass (:mod:`formcheck.greystore`), read instead of decoding the video again when usable.
    Raises :class:`InputError` for a clip too short to analyse and
    :class:`NoPersonError` when nobody was seen.
    """
    config = config or load_config()
    t0 = time.perf_counter()
    cuts = picture_cuts(seq.frame_change, seq.t, config.detect) if seq.frame_change is not None else []
    trusted = drop_untrusted(seq, cuts, config.cleaning)
    check_usable(trusted.seq, config, exercise, view)
    cleaned = clean_trusted(trusted, config.cleaning)
    warnings, det_frac = trust_warnings(cleaned.raw, cleaned.smooth, config)
    series, scale, _ = kinematics.compute(cleaned.smooth)
    timings = {"kinematics_s": round(time.perf_counter() - t0, 4)}

    shots = classify_shots(cleaned.raw, config.detect, cuts)
    if view is not None:
        shots = force_view(shots, view)
    clip_view = shots[0].view if len(shots) == 1 else mixed_view(shots, cleaned.raw.t)
    features = posture_features(cleaned.raw, series)
    side_view = any(s.view.label in ("side", "oblique") for s in shots)
    if exercise is not None:
        detected = Detection(exercise, 1.0, {**features, "side_view": float(side_view)})
    else:
        detected = classify_lift(features, config.detect, side_view, nearest_side_deg(shots))
    lift = lift_for(detected)  # an unknown lift: its best guess, judged only by the rules its rivals share
    lift, measured, detected = arm_variant(lift, cleaned.raw, cleaned.smooth, detected, config.detect)
    lift, measured, detected = leg_variant(
        lift, cleaned.raw, measured, detected, config.detect, side_view, series.facing
    )
    # a bridge's reps are counted on both legs as seen (a single-leg bridge's planted knee also rises in the set-up,
    # lying down: counted on it, clip_086's bottom moved 1.7 s into the set-up); its rules read the planted leg
    both_legs = series
    if measured is not cleaned.smooth:  # a variant: the working leg, the hand that holds the weight
        series, scale, _ = kinematics.compute(measured, series.facing)
    side_spans = [(s.start, s.stop) for s in shots if pure_side(s.view, config.detect)]
    trusted_joints = trust.assess(cleaned.raw, cleaned.smooth, config.trust, side_spans, cuts)
    if not lift.one_leg:  # both feet on the floor: one drawn far above the other is a leg off the body
        profile_spans = [(s.start, s.stop) for s in shots if s.view.label in ("side", "oblique")]
        trusted_joints = trust.feet_apart(trusted_joints, cleaned.raw, profile_spans, config.trust)

    legs_hidden = hinge_bottom_hidden(features, config.detect, side_view, nearest_side_deg(shots))
    driven = both_legs if lift.family == "bridge" else series
    # the near plate hides the joints inside its disc (COACHING.md §6): looked for in the video around each rep
    plates_off = _plates_skipped(video, lift.family, config, side_view)
    # no plate search to say what it hides: the legs the model guessed still tell a broken hip line
    guessed_legs = trusted.with_stray_legs if plates_off else None
    counted = count_reps(
        cleaned, driven, lift.family, lift.id, shots, config, cuts, legs_hidden, lift.one_leg, guessed_legs
    )
    reps, bar_rows = counted.reps, []
    raw_xy = seq.xy if len(seq) == len(cleaned.raw) else cleaned.raw.xy
    bar_at = None if plates_off else plates.bar_points(lift.family, cleaned.smooth.xy, raw_xy)
    plate_off_side = _plate_off_side(shots, len(cleaned.raw), config)
    look = _Look(video, lift.family, cleaned, bar_at, reps, scale.leg_px, config, plates_off, grey, plate_off_side)
    key = look.key(seq.meta.sha256) if reuse_look else None
    t_look = time.perf_counter()
    looked = lookcache.load(key) if key else None
    if looked is None:
        looked = look.run(timings)
        if key:
            lookcache.store(key, looked)
    else:  # the same look as before: its findings from the cache, the video not decoded
        timings["look_from_cache_s"] = round(time.perf_counter() - t_look, 4)
    if looked.bar_checks is not None:
        bar = barbell.apply_checks(looked.bar_checks, reps)
        reps, bar_rows = bar.reps, bar.rows
        if bar.dropped_at:
            warnings.append(stood_up_without_bar_warning(bar.dropped_at))
    plate_track = looked.plates
    if counted.erratic_spans:  # counted on the pelvis: the hip angle's points are guesses there
        spans = erratic_untrusted(counted, shots, plate_track, lift.family, kinematics.merged_points(measured), config)
        trusted_joints = trust.erratic(trusted_joints, spans)
    if not plate_track.skipped:
        trusted_joints = trust.behind_plate(
            trusted_joints,
            kinematics.merged_points(measured),
            plate_track.centre,
            plates.hiding_radius(plate_track, lift.family, scale.leg_px, config.plates),
            plates.PLATE_JOINTS[lift.family],
            config.plates.inside_margin,
            plate_track.stretch,
        )

    t_loops = time.perf_counter()
    repeats = loops.find_loops(seq.picture_signature, seq.t, config.loops)
    timings["loops_s"] = round(time.perf_counter() - t_loops, 4)
    if repeats:
        reps = loops.mark_repeats(reps, repeats, config.loops.same_rep_s)
        warnings.append(loops.looped_footage_warning(repeats, reps))

    # an RDL or a deadlift by the knees alone: what the knee bend means if it is an RDL, told where the knee was seen
    bend = knee_bend_if_rdl(detected, config.detect)
    if bend is not None and _knees_seen_at_bottoms(trusted_joints, reps, config.trust.min_trusted_share):
        warnings.append(knee_bend_if_rdl_warning(bend))
    reps, unmeasured = measured_ranges(reps, trusted_joints, config.trust.min_trusted_share, counted.other_drivers)
    if unmeasured is not None:
        warnings.append(unmeasured)
    if lift.family == "hinge" and config.cleaning.pin_planted_feet:  # the feet stay where they stood (formcheck.feet)
        feet = pin_planted_feet(
            measured,
            reps,
            scale.leg_px,
            config.cleaning.planted_foot_window_s,
            # an RDL's feet stay on the floor however far the model draws them (COACHING.md §2; Lift.planted_feet)
            float("inf") if lift.planted_feet else config.cleaning.planted_foot_max_move_leg,
            config.cleaning.planted_foot_max_drift_leg,
        )
        if feet.any:
            series, _, _ = kinematics.compute(feet.seq, series.facing)
            # a pinned foot is read where it stood: evidence where it stood so (trust.planted_feet)
            trusted_joints = trust.planted_feet(
                trusted_joints,
                feet.pinned,
                reps,
                measured.t,
                config.cleaning.planted_foot_window_s,
                config.trust.min_trusted_share,
            )

    decision = may_judge(lift, clip_view.label, reps, det_frac, config, shots, cleaned.raw.t)
    warnings += decision.warnings
    if unseen := [r.index for r in reps if not r.lockout_seen]:
        warnings.append(lockout_out_of_view_warning(unseen))
    findings: list[Finding] = []
    if decision.judged and reps:  # the same frames shown again are judged once: a repeat gets its first showing's
        plate = _plate_heights(plate_track, scale.leg_px, seq, config)
        distinct = loops.distinct(reps)
        if detected.label == UNKNOWN_LIFT:  # would naming the lift judge more? the hint says so only where it would
            detected, lift = _named_would_judge(detected, lift, series, distinct, shots, config, trusted_joints, plate)
        findings = run_rules(series, distinct, lift, shots, config, trusted_joints, plate)
        findings = loops.repeat_findings(findings, reps)
    timings["rules_s"] = round(time.perf_counter() - t0, 4)
    return Analysis(
        video=seq.meta,
        model=seq.model,
        exercise=detected,
        exercise_forced=exercise is not None,
        family=lift.family,
        view=clip_view,
        judged=decision.judged and bool(reps),
        not_judged_reason=decision.reason,
        reps=reps,
        findings=findings,
        warnings=warnings,
        series=series,
        config=config,
        cleaning=cleaned.report,
        summary=summarise(
            reps, findings, series, config.reps, from_side=all(pure_side(s.view, config.detect) for s in shots)
        ),
        detected_fraction=det_frac,
        levels=counted.levels,
        timings=timings,
        landmarks_xy=cleaned.smooth.xy,
        bar_checks=bar_rows,
        trust=trusted_joints,
        loops=repeats,
        plates=plate_track.to_dict(),
        lift_rules=lift.rules,
    )


def erratic_untrusted(
    counted: Counted,
    shots: list[Shot],
    track: plates.PlateTrack,
    family: str,
    points: kinematics.Points,
    config: Config,
) -> list[tuple[int, int]]:
    """The frames ``[start, stop)`` whose shoulder, hip and knee are not evidence in the shots counted on the pelvis
    (:attr:`formcheck.counting.Counted.erratic_spans`, reason ``erratic``).

    The whole shot, unless it is filmed within ``trust.erratic_frames_max_off_side_deg`` of the side and the plate
    search looked and found no plate that can hide a joint in its reps (:func:`formcheck.plates.may_hide`): a plate
    in front of the hip makes the model guess it and the legs around it steadily, between the jumps too. Then its
    broken stretches (:attr:`~formcheck.counting.Counted.erratic_broken`)
    and the frames where the torso (shoulder-hip) or the thigh (hip-knee) of ``points`` is more than
    ``trust.bone_tolerance`` off its median in the shot (the model drawing the whole body wrong and holding it, as on a
    rendered thrust whose head it lost behind the bench). Between them the points were drawn where they stay
    (docs/ACCURACY.md "The hip line judged between its jumps")."""
    out: list[tuple[int, int]] = []
    broken_per_shot = counted.erratic_broken or (None,) * len(counted.erratic_spans)
    torso = g.distance(points["shoulder"], points["hip"])
    thigh = g.distance(points["hip"], points["knee"])
    for (a, b), broken in zip(counted.erratic_spans, broken_per_shot):
        shot = next((s for s in shots if s.start == a), None)
        off = float("nan") if shot is None else shot_off_side_deg(shot.view)
        in_shot = {r.index for r in counted.reps if a <= r.start < b}
        unsure = track.skipped or any(
            plates.may_hide(rp, family, config.plates) for rp in track.reps if rp.rep in in_shot
        )
        if broken is None or unsure or not off <= config.trust.erratic_frames_max_off_side_deg:
            out.append((a, b))
            continue
        bad = np.zeros(b - a, dtype=bool)
        for i, j in broken:
            bad[i - a : j - a] = True
        for bone in (torso[a:b], thigh[a:b]):
            if np.any(np.isfinite(bone)):
                with np.errstate(invalid="ignore", divide="ignore"):
                    bad |= ~(np.abs(bone / np.nanmedian(bone) - 1.0) <= config.trust.bone_tolerance)
        out += [(a + i, a + j) for i, j in runs(bad)]
    return out


def _plate_heights(track: plates.PlateTrack, leg_px: float, seq: PoseSequence, config: Config) -> PlateHeights | None:
    """The plate the search found, in leg lengths (what dl.floor reads); None when the search did not run."""
    if track.skipped or not (np.isfinite(leg_px) and leg_px > 0):
        return None
    # the search picture's scale to the sequence's pixels, as the search made it (plates.PlateSearch)
    shrink = scaled_size(seq.meta.width, seq.meta.height, config.plates.max_side_px)[0] / max(seq.meta.width, 1)
    return PlateHeights(track.centre[:, 1] / leg_px, track.radius / leg_px, track.placed, 1.0 / (shrink * leg_px))


def _plate_off_side(shots: list[Shot], n: int, config: Config) -> np.ndarray:
    """Per row, the camera's angle off the side the plate search allows for (:class:`formcheck.plates.PlateSearch`):
    the shot's measured angle in side and oblique shots past the pure side view, 0 elsewhere (a pure side view, or one
    the user forced, is searched as from the side; a front view's plates are seen edge on)."""
    out = np.zeros(n)
    for s in shots:
        if s.view.label in ("side", "oblique") and not pure_side(s.view, config.detect):
            angle = shot_off_side_deg(s.view)
            out[max(s.start, 0) : min(s.stop, n)] = angle if np.isfinite(angle) else 0.0
    return out


def _knees_seen_at_bottoms(trust: TrustTable, reps: list[Rep], min_share: float) -> bool:
    """Whether the knee angle's points (:data:`~formcheck.kinematics.METRIC_JOINTS`) were evidence in at least
    ``min_share`` of the reps' bottom frames (COACHING.md §6): a knee the near plate hides is a guess, and its bend is
    not told (a rendered RDL behind 45 cm plates 30 degrees off read 68 degrees where the truth bends 43)."""
    if not reps:
        return False
    frames = np.concatenate([span_frames(*Phase.BOTTOM.window(r)) for r in reps])
    return trust.trusted_share_at(kinematics.METRIC_JOINTS["knee_flexion_deg"], frames) >= min_share


def _plates_skipped(video: str | Path | None, family: str, config: Config, side_view: bool) -> str:
    """Why the near plate is not looked for (:mod:`formcheck.plates`), or "" when it is."""
    if family not in plates.PLATE_JOINTS:
        return f"no plates on a {family} lift"
    if not side_view:
        return "not filmed from the side: from the front the plates hide no joint"
    if video is None:
        return "no video: landmarks only (joints behind a plate are not found)"
    if not config.plates.check:
        return "turned off (plates.check)"
    return ""


@dataclass(frozen=True)
class _Look:
    """The second look at the video (the bar check of hinge reps, the plate search) and what it is handed."""

    video: str | Path | None
    family: str
    cleaned: Cleaned
    bar_at: np.ndarray | None
    reps: list[Rep]
    leg_px: float
    config: Config
    plates_off: str
    grey: GreyFrameStore | None
    #: Per row, the camera's angle off the side the plate search allows for (:func:`_plate_off_side`).
    off_side: np.ndarray

    def key(self, video_sha256: str) -> str | None:
        """Its :func:`formcheck.lookcache.look_key`, or None when there is no video to look at."""
        if self.video is None or not video_sha256:
            return None
        settings = {
            "bar": asdict(self.config.bar),
            "plates": asdict(self.config.plates),
            "family": self.family,
            "plates_off": self.plates_off,
            "width": self.cleaned.raw.meta.width,
            "leg_px": float(self.leg_px),
        }
        arrays = (self.cleaned.raw.t, self.cleaned.smooth.xy, self.bar_at, self.off_side)
        return lookcache.look_key(video_sha256, settings, self.reps, arrays)

    def run(self, timings: dict[str, float]) -> lookcache.Looked:
        """Look: the bar check (hinges), then the plate search on the reps it kept (one decoding pass where both
        run, :mod:`formcheck.rescan`); their times go in ``timings``."""
        video, cleaned, reps, config = self.video, self.cleaned, self.reps, self.config
        width = cleaned.raw.meta.width
        checks: list[barbell.BarCheck] | None = None
        plate_track: plates.PlateTrack | None = None
        if self.family == "hinge" and video is not None and config.bar.check and reps:
            t_bar = time.perf_counter()
            if self.bar_at is not None and rescan.can_share(config.bar, config.plates, self.leg_px):
                both = rescan.bar_and_plates(
                    video,
                    cleaned.raw.t,
                    cleaned.smooth.xy,
                    self.bar_at,
                    width,
                    reps,
                    self.leg_px,
                    config.bar,
                    config.plates,
                    self.grey,
                    off_side=self.off_side,
                )
                bar, plate_track = both.bar, both.plates
                timings["bar_check_s"] = round(both.bar_s, 4)
                if not plate_track.skipped:
                    timings["plates_s"] = round(both.plates_s, 4)
            else:
                bar = barbell.drop_reps_without_bar(
                    video, cleaned.raw.t, cleaned.smooth.xy, width, reps, self.leg_px, config.bar
                )
                timings["bar_check_s"] = round(time.perf_counter() - t_bar, 4)
            checks = [row.check for row in bar.rows]
            reps = bar.reps
        if plate_track is None:
            t_plates = time.perf_counter()
            if self.bar_at is not None and video is not None:
                plate_track = plates.find_plates(
                    video,
                    cleaned.raw.t,
                    self.bar_at,
                    width,
                    reps,
                    self.leg_px,
                    config.plates,
                    self.grey,
                    off_side=self.off_side,
                )
            else:
                plate_track = plates.PlateTrack.none(len(cleaned.raw), self.plates_off)
            if not plate_track.skipped:
                timings["plates_s"] = round(time.perf_counter() - t_plates, 4)
        return lookcache.Looked(checks, plate_track)
