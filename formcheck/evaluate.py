"""``formcheck eval``: score the pipeline against labelled clips.

Reads ``labels.json`` in the shared format (see ../shared/videos/README.md):
``{"clips": [{"file", "exercise", "view", "n_reps", "reps": [[bottom_s, lockout_s], ...],
"usable", ...}]}``. A label file that cannot be parsed is an error, never skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .analysis import REP_METRICS
from .config import Config
from .errors import FormcheckError, LabelError
from .exercises import FAMILY, get_lift
from .exercises.detect import UNKNOWN_LIFT, guesses, lift_for
from .types import JUDGED_VERDICTS, PoseSequence

VIEWS = {"side", "oblique", "front", "back", "mixed"}
#: Per-rep two-rater form labels beside labels.json (../shared/videos/README.md), scored as their own group so
#: that the figures on labels.json do not move with them.
FORM_LABELS = "labels_form.json"
#: A predicted lockout further than this from every labelled one is unmatched.
MATCH_WINDOW_S = 1.0


@dataclass(frozen=True)
class ClipLabel:
    file: str
    exercise: str
    view: str
    n_reps: int
    reps: tuple[tuple[float, float], ...]
    usable: bool
    exercise_alt: tuple[str, ...] = ()
    view_alt: tuple[str, ...] = ()
    n_reps_range: tuple[int, int] | None = None
    faults: str = ""
    #: labels_form.json only: the raters' camera angle off a pure side view, and the per-rep form labels
    #: (``{"rep", "faults": {name: "clear"|"slight"}, "possible": [...], "cannot_judge": [...]}``).
    yaw_deg: float | None = None
    form: tuple[dict[str, Any], ...] = ()

    @property
    def family(self) -> str:
        return FAMILY[self.exercise]


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _form_row(row: Any) -> dict[str, Any]:
    """One rep's two-rater form label, checked for shape (a malformed one is a :class:`LabelError` upstream)."""
    if not isinstance(row, dict) or not isinstance(row.get("faults", {}), dict):
        raise TypeError(f"form label {row!r} is not an object with a 'faults' object")
    return {
        "rep": int(row["rep"]),
        "faults": {str(k): str(v) for k, v in row.get("faults", {}).items()},
        "possible": _as_list(row.get("possible")),
        "cannot_judge": _as_list(row.get("cannot_judge")),
    }


def load_labels(path: str | Path) -> list[ClipLabel]:
    """Parse and validate a labels.json. Raises :class:`LabelError` naming the bad entry."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LabelError(f"label file {path} not found", "Give a folder holding labels.json") from None
    except json.JSONDecodeError as exc:
        raise LabelError(
            f"label file {path} is not valid JSON (line {exc.lineno}: {exc.msg})",
            "Fix the file; eval never guesses past a broken label",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("clips"), list):
        raise LabelError(f"label file {path} has no 'clips' list", "See ../shared/videos/README.md for the format")
    out = []
    for i, clip in enumerate(data["clips"]):
        where = f"{path}: clip #{i + 1} ({clip.get('file', '?') if isinstance(clip, dict) else '?'})"
        try:
            exercise = clip["exercise"]
            if exercise not in FAMILY:
                raise LabelError(f"{where}: unknown exercise {exercise!r}", f"Use one of {', '.join(FAMILY)}")
            view = clip["view"]
            if view not in VIEWS:
                raise LabelError(f"{where}: unknown view {view!r}", f"Use one of {', '.join(sorted(VIEWS))}")
            reps = tuple((float(a), float(b)) for a, b in clip.get("reps", []))
            n_reps = int(clip["n_reps"])
            rng = clip.get("n_reps_range")
            out.append(
                ClipLabel(
                    file=str(clip["file"]),
                    exercise=exercise,
                    view=view,
                    n_reps=n_reps,
                    reps=reps,
                    usable=bool(clip.get("usable", True)),
                    exercise_alt=tuple(e for e in _as_list(clip.get("exercise_alt")) if e in FAMILY),
                    view_alt=_as_list(clip.get("view_alt")),
                    n_reps_range=None if rng is None else (int(rng[0]), int(rng[1])),
                    faults=str(clip.get("faults", "")),
                    yaw_deg=None if clip.get("yaw_deg") is None else float(clip["yaw_deg"]),
                    form=tuple(_form_row(row) for row in clip.get("form", []) or []),
                )
            )
        except LabelError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise LabelError(
                f"{where}: missing or malformed field ({exc})", "Each clip needs file, exercise, view and n_reps"
            ) from None
    return out


@dataclass
class ClipResult:
    file: str
    status: str  # "ok" or "error"
    error: str = ""
    exercise: str = ""
    exercise_true: str = ""
    family_ok: bool | None = None
    #: the lift itself (the label or its alternative); an unknown lift is not a right lift
    lift_ok: bool | None = None
    #: "unknown lift": its guesses, most likely first, and whether the first is the labelled lift
    guesses: list[str] = field(default_factory=list)
    best_guess_ok: bool | None = None
    view: str = ""
    view_true: str = ""
    view_ok: bool | None = None
    reps: int | None = None
    reps_true: int = 0
    counted: bool = False  # rep count scored (usable hinge/bridge clip)
    reps_exact: bool | None = None
    reps_within_one: bool | None = None
    #: The count is the label's, or inside the range the two raters gave where they counted differently.
    reps_in_raters_range: bool | None = None
    bottom_err_s: list[float] = field(default_factory=list)
    lockout_err_s: list[float] = field(default_factory=list)
    flagged: dict[str, int] = field(default_factory=dict)
    judged_reps: int = 0
    flagged_reps: int = 0
    labelled_clean: bool = False
    #: rendered clips only: metric -> [sum of abs error, sum of error, n frames]
    angle_errors: dict[str, list[float]] = field(default_factory=dict)
    #: rendered clips only: rule -> {"tp", "fp", "fn"} over reps
    rule_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: "labels" (labels.json) or "form" (labels_form.json: per-rep two-rater form labels, scored apart)
    group: str = "labels"
    #: form clips: the raters' and formcheck's camera angle off a pure side view (degrees)
    yaw_true: float | None = None
    yaw_read: float | None = None
    #: form clips: pass, warn and fault findings (a clip filmed within 45 degrees of the side should have some)
    verdicts: int = 0
    #: form clips: one row per labelled rep (:func:`score_form`)
    form_reps: list[dict[str, Any]] = field(default_factory=list)


#: Metrics compared frame by frame with a rendered clip's true angles.
TRUTH_METRICS = (*REP_METRICS, "bar_to_leg")
#: Azimuths (degrees off a pure side view) up to this count as a side view for rendered clips.
SIDE_AZIMUTH_DEG = 30.0


@dataclass(frozen=True)
class RenderedLabel:
    """A rendered clip's label file (formcheck.synth.labels), kept whole for scoring."""

    file: str
    data: dict[str, Any]

    def as_clip_label(self) -> ClipLabel:
        d = self.data
        az = abs(float(d.get("camera", {}).get("azimuth_deg", 0.0)))
        view = "side" if az <= SIDE_AZIMUTH_DEG else ("oblique" if az <= 60 else "front")
        reps = tuple((float(r["bottom_s"]), float(r["lockout_s"])) for r in d["reps"])
        faults = ", ".join(sorted(d.get("faults", {})))
        return ClipLabel(
            file=self.file, exercise=d["lift"], view=view, n_reps=len(d["reps"]), reps=reps, usable=True, faults=faults
        )


def load_rendered_labels(folder: Path) -> list[RenderedLabel]:
    """Label files of rendered clips in ``folder``: ``<clip>.json`` beside ``<clip>.mp4``."""
    out = []
    for path in sorted(folder.glob("*.json")):
        video = path.with_suffix(".mp4")
        if not video.exists():
            continue
        try:
            data = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise LabelError(
                f"label file {path} is not valid JSON (line {exc.lineno}: {exc.msg})",
                "Re-render the clip; eval never guesses past a broken label",
            ) from None
        if not isinstance(data, dict) or data.get("generator") != "formcheck.synth":
            continue
        for key in ("format", "lift", "fps", "reps", "frames", "faults"):
            if key not in data:
                raise LabelError(f"label file {path} lacks '{key}'", "Re-render the clip with formcheck synth")
        if data["format"] != 1:
            raise LabelError(f"label file {path} has format {data['format']}, expected 1", "Re-render the clip")
        if data["lift"] not in FAMILY:
            raise LabelError(f"label file {path}: unknown lift {data['lift']!r}", "Re-render the clip")
        out.append(RenderedLabel(file=video.name, data=data))
    return out


def score_rendered(label: RenderedLabel, analysis) -> ClipResult:
    """Rep, lift and view scores plus per-metric angle errors and per-rule fault detection."""
    res = score_clip(label.as_clip_label(), analysis)
    truth = label.data
    angles = truth["frames"]["angles"]
    series = analysis.series
    frames = series.frame_index
    for name in TRUTH_METRICS:
        if name not in angles or name not in series:
            continue
        true = np.asarray(angles[name], dtype=float)
        ok = frames < len(true)
        measured = series[name][ok]
        ref = true[frames[ok]]
        good = np.isfinite(measured) & np.isfinite(ref)
        err = measured[good] - ref[good]
        if err.size:
            res.angle_errors[name] = [float(np.abs(err).sum()), float(err.sum()), int(err.size)]
    # match predicted reps to true reps by lockout time
    true_reps = truth["reps"]
    match: dict[int, int] = {}
    for rep in analysis.reps:
        best = min(range(len(true_reps)), key=lambda j: abs(true_reps[j]["lockout_s"] - rep.t_lockout), default=None)
        if (
            best is not None
            and abs(true_reps[best]["lockout_s"] - rep.t_lockout) <= MATCH_WINDOW_S
            and best not in match.values()
        ):
            match[rep.index] = best
    lift_faults = get_lift(truth["lift"]).label_faults
    rules = set(lift_faults.values())
    flagged = {(f.rule, f.rep) for f in analysis.flagged()}
    for rule in sorted(rules):
        counts = {"tp": 0, "fp": 0, "fn": 0}
        for j, true_rep in enumerate(true_reps):
            has_fault = any(lift_faults.get(name) == rule for name in true_rep.get("faults", []))
            pred = next((i for i, jj in match.items() if jj == j), None)
            hit = pred is not None and (rule, pred) in flagged
            if has_fault and hit:
                counts["tp"] += 1
            elif has_fault:
                counts["fn"] += 1
            elif hit:
                counts["fp"] += 1
        res.rule_counts[rule] = counts
    return res


def match_reps(label: ClipLabel, analysis) -> dict[int, int]:
    """Labelled rep (0-based) -> the analysis rep's index whose lockout is nearest, within
    :data:`MATCH_WINDOW_S`, each used once (in the analysis's rep order)."""
    matched: dict[int, int] = {}
    for rep in analysis.reps:
        best, best_d = None, MATCH_WINDOW_S
        for j, (_, lock) in enumerate(label.reps):
            d = abs(rep.t_lockout - lock)
            if j not in matched and d <= best_d:
                best, best_d = j, d
        if best is not None:
            matched[best] = rep.index
    return matched


#: Camera angles off the side (degrees) up to which a form-labelled clip should get verdicts (issue 15).
VERDICT_MAX_YAW_DEG = 45.0


def score_form(label: ClipLabel, analysis, res: ClipResult) -> None:
    """Per labelled rep: each fault both raters saw, and what the rule that should flag it said
    (``fault``, ``warn``, ``pass``, ``not_checked``, ``no rule`` for a fault no rule of the lift read covers,
    ``rep not found``); and, on reps with no agreed fault, the fault-level flags of rules whose fault neither
    rater called possible or could not judge (``false_alarms``) and such warnings."""
    res.group = "form"
    res.yaw_true = label.yaw_deg
    yaw = analysis.view.detail.get("yaw_deg") if analysis.view.detail else None
    res.yaw_read = None if yaw is None or not np.isfinite(yaw) else round(90.0 - float(yaw), 1)
    res.verdicts = sum(1 for f in analysis.findings if f.verdict in JUDGED_VERDICTS)
    faults = lift_for(analysis.exercise).form_faults
    verdict = {(f.rule, f.rep): f.verdict for f in analysis.findings}
    matched = match_reps(label, analysis)
    for row in label.form:
        rep = matched.get(row["rep"] - 1)
        agreed = {}
        for name in row["faults"]:
            rule = faults.get(name)
            if rep is None:
                agreed[name] = "rep not found"
            elif rule is None:
                agreed[name] = "no rule"
            else:
                agreed[name] = verdict.get((rule, rep), "not_checked")
        excused = {faults.get(n) for n in (*row["possible"], *row["cannot_judge"])}
        flags = [
            (f.rule, f.verdict)
            for f in analysis.findings
            if rep is not None and f.rep == rep and f.verdict in ("warn", "fault") and f.rule not in excused
        ]
        res.form_reps.append(
            {
                "rep": row["rep"],
                "rep_read": rep,
                "agreed": agreed,
                "clean": not row["faults"],
                "false_alarms": sorted(r for r, v in flags if v == "fault" and not row["faults"]),
                "warnings": sorted(r for r, v in flags if v == "warn" and not row["faults"]),
            }
        )


def score_clip(label: ClipLabel, analysis) -> ClipResult:
    res = ClipResult(
        file=label.file,
        status="ok",
        exercise=analysis.exercise.label,
        exercise_true=label.exercise,
        view=analysis.view.label,
        view_true=label.view,
        reps=len(analysis.reps),
        reps_true=label.n_reps,
    )
    families = {label.family} | {FAMILY[e] for e in label.exercise_alt}
    lifts = {label.exercise, *label.exercise_alt}
    res.family_ok = analysis.family in families
    res.lift_ok = analysis.exercise.label in lifts
    if analysis.exercise.label == UNKNOWN_LIFT:
        # "one of these": right about the family only when every guess is of the labelled family
        res.guesses = [lift for lift, _ in guesses(analysis.exercise)]
        res.family_ok = all(FAMILY.get(lift) in families for lift in res.guesses)
        res.best_guess_ok = res.guesses[0] in lifts
    res.view_ok = analysis.view.label in ({label.view} | set(label.view_alt))
    res.counted = label.usable and label.family in ("hinge", "bridge")
    res.reps_exact = len(analysis.reps) == label.n_reps
    res.reps_within_one = abs(len(analysis.reps) - label.n_reps) <= 1
    low, high = label.n_reps_range or (label.n_reps, label.n_reps)
    res.reps_in_raters_range = low <= len(analysis.reps) <= high
    by_index = {rep.index: rep for rep in analysis.reps}
    for j, index in sorted(match_reps(label, analysis).items(), key=lambda item: item[1]):
        rep = by_index[index]
        res.lockout_err_s.append(round(rep.t_lockout - label.reps[j][1], 3))
        res.bottom_err_s.append(round(rep.t_bottom - label.reps[j][0], 3))
    for f in analysis.flagged():
        res.flagged[f.rule] = res.flagged.get(f.rule, 0) + 1
    res.labelled_clean = label.usable and not label.faults.strip()
    if analysis.judged:
        res.judged_reps = len(analysis.reps)
        res.flagged_reps = len({f.rep for f in analysis.flagged()})
    if label.form:
        score_form(label, analysis, res)
    return res


def totals(results: list[ClipResult]) -> dict[str, Any]:
    ok = [r for r in results if r.status == "ok"]
    counted = [r for r in ok if r.counted]
    bottoms = [abs(e) for r in ok for e in r.bottom_err_s]
    locks = [abs(e) for r in ok for e in r.lockout_err_s]

    def frac(xs: list[bool]) -> float | None:
        return None if not xs else round(float(np.mean(xs)), 4)

    return {
        "clips": len(results),
        "errors": len(results) - len(ok),
        "family_accuracy": frac([bool(r.family_ok) for r in ok]),
        "lift_accuracy": frac([bool(r.lift_ok) for r in ok]),
        "lift_named_wrong": sum(1 for r in ok if not r.guesses and not r.lift_ok),
        "unknown_lift_clips": sum(1 for r in ok if r.guesses),
        "unknown_lift_best_guess_right": sum(1 for r in ok if r.best_guess_ok),
        "view_accuracy": frac([bool(r.view_ok) for r in ok]),
        "rep_clips": len(counted),
        "reps_exact": frac([bool(r.reps_exact) for r in counted]),
        "reps_within_one": frac([bool(r.reps_within_one) for r in counted]),
        "reps_in_raters_range": frac([bool(r.reps_in_raters_range) for r in counted]),
        "bottom_mae_s": None if not bottoms else round(float(np.mean(bottoms)), 3),
        "lockout_mae_s": None if not locks else round(float(np.mean(locks)), 3),
        "matched_reps": len(locks),
        # Reps flagged on clips whose labels saw no fault (labels are coarse: an upper bound on false alarms)
        "clean_clips_judged": sum(1 for r in ok if r.labelled_clean and r.judged_reps),
        "clean_reps_judged": sum(r.judged_reps for r in ok if r.labelled_clean),
        "clean_reps_flagged": sum(r.flagged_reps for r in ok if r.labelled_clean),
        "clean_flags_by_rule": _count_rules([r for r in ok if r.labelled_clean]),
        **_truth_totals(ok),
    }


def reps_by_lift(results: list[ClipResult]) -> dict[str, dict[str, int]]:
    """Rep counts scored per labelled lift, over every label file: for each lift, the usable hinge and bridge clips
    (``clips``), those counted exactly (``exact``) and within one (``within_one``). The floors are set per family of
    lifts (hip thrusts, bridges and RDLs against deadlifts), so the totals alone do not show them."""
    out: dict[str, dict[str, int]] = {}
    for r in results:
        if r.status != "ok" or not r.counted:
            continue
        c = out.setdefault(r.exercise_true, {"clips": 0, "exact": 0, "within_one": 0})
        c["clips"] += 1
        c["exact"] += int(bool(r.reps_exact))
        c["within_one"] += int(bool(r.reps_within_one))
    return dict(sorted(out.items()))


def reps_by_lift_text(by_lift: dict[str, dict[str, int]]) -> str:
    """``hip_thrust 7/7, rdl 9/10, ...``: exact counts over clips, per labelled lift."""
    return ", ".join(f"{lift} {c['exact']}/{c['clips']}" for lift, c in by_lift.items())


def form_totals(results: list[ClipResult]) -> dict[str, Any]:
    """The form-labelled clips (labels_form.json) scored apart: lift, view, reps, verdicts within 45 degrees of
    the side, and per rep the faults both raters saw against the rules (issue 15's "done when")."""
    base = totals(results)
    ok = [r for r in results if r.status == "ok"]
    near = [r for r in ok if r.yaw_true is not None and r.yaw_true <= VERDICT_MAX_YAW_DEG]
    outcomes: dict[str, int] = {}
    for r in ok:
        for row in r.form_reps:
            for outcome in row["agreed"].values():
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    clean = [row for r in ok for row in r.form_reps if row["clean"] and row["rep_read"] is not None]
    yaw_err = [abs(r.yaw_read - r.yaw_true) for r in ok if r.yaw_read is not None and r.yaw_true is not None]
    return {
        **{k: base[k] for k in ("clips", "errors", "family_accuracy", "lift_accuracy", "view_accuracy", "rep_clips")},
        **{k: base[k] for k in ("lift_named_wrong", "unknown_lift_clips", "unknown_lift_best_guess_right")},
        **{
            k: base[k]
            for k in ("reps_exact", "reps_within_one", "reps_in_raters_range", "bottom_mae_s", "lockout_mae_s")
        },
        "matched_reps": base["matched_reps"],
        "clips_within_45": len(near),
        "clips_within_45_with_verdicts": sum(1 for r in near if r.verdicts),
        "agreed_faults": sum(outcomes.values()),
        "agreed_outcomes": dict(sorted(outcomes.items())),
        "clean_reps": len(clean),
        "clean_reps_false_alarm": sum(1 for row in clean if row["false_alarms"]),
        "clean_reps_warned": sum(1 for row in clean if row["warnings"] and not row["false_alarms"]),
        "yaw_mae_deg": None if not yaw_err else round(float(np.mean(yaw_err)), 1),
    }


def _truth_totals(results: list[ClipResult]) -> dict[str, Any]:
    """Angle error and fault detection over rendered clips (empty for real clips)."""
    angles: dict[str, list[float]] = {}
    rules: dict[str, dict[str, int]] = {}
    for r in results:
        for name, (abs_sum, sum_, n) in r.angle_errors.items():
            acc = angles.setdefault(name, [0.0, 0.0, 0.0])
            acc[0] += abs_sum
            acc[1] += sum_
            acc[2] += n
        for rule, c in r.rule_counts.items():
            counts = rules.setdefault(rule, {"tp": 0, "fp": 0, "fn": 0})
            for k in counts:
                counts[k] += c[k]
    if not angles and not rules:
        return {}
    out: dict[str, Any] = {
        "angle_error": {
            name: {"mae": round(a / n, 2), "bias": round(b / n, 2), "frames": n}
            for name, (a, b, n) in angles.items()
            if n
        }
    }
    per_rule = {}
    for rule, c in sorted(rules.items()):
        faulty = c["tp"] + c["fn"]
        per_rule[rule] = {
            **c,
            "recall": None if not faulty else round(c["tp"] / faulty, 3),
            "precision": None if not (c["tp"] + c["fp"]) else round(c["tp"] / (c["tp"] + c["fp"]), 3),
        }
    out["rules"] = per_rule
    return out


def _count_rules(results: list[ClipResult]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in results:
        for rule, n in r.flagged.items():
            out[rule] = out.get(rule, 0) + n
    return dict(sorted(out.items()))


def evaluate(
    folder: str | Path,
    config: Config,
    landmarks_dir: str | Path | None = None,
    analyze: Callable | None = None,
    on_clip: Callable[[ClipResult], None] | None = None,
    only: list[str] | None = None,
) -> tuple[list[ClipResult], dict[str, Any]]:
    """Analyse every labelled clip in ``folder`` and score it.

    With ``landmarks_dir``, a clip's landmarks are read from
    ``landmarks_dir/<stem>.<model>.npz`` when that file exists (no model run).
    """
    folder = Path(folder)
    pairs: list[tuple[ClipLabel, Any, Callable[[Any, Any], ClipResult]]]
    if (folder / "labels.json").exists():
        pairs = [(label, label, score_clip) for label in load_labels(folder / "labels.json")]
        if (folder / FORM_LABELS).exists():
            pairs += [(label, label, score_clip) for label in load_labels(folder / FORM_LABELS)]
    else:
        rendered = load_rendered_labels(folder)
        if not rendered:
            raise LabelError(
                f"{folder} has no labels.json and no rendered clips with label files",
                "Give ../shared/videos or a folder of clips made by 'formcheck synth'",
            )
        pairs = [(label.as_clip_label(), label, score_rendered) for label in rendered]
    results = []
    for clip, label, score in pairs:
        if only and clip.file not in only:
            continue
        try:
            result = score(label, _analysis_of(folder / clip.file, config, landmarks_dir, analyze))
        except FormcheckError as exc:
            result = ClipResult(
                file=clip.file,
                status="error",
                error=str(exc),
                exercise_true=clip.exercise,
                view_true=clip.view,
                reps_true=clip.n_reps,
                counted=clip.usable and clip.family in ("hinge", "bridge"),
            )
        if clip.form:
            result.group = "form"
        results.append(result)
        if on_clip is not None:
            on_clip(result)
    summary = totals([r for r in results if r.group == "labels"])
    if form := [r for r in results if r.group == "form"]:
        summary["form"] = form_totals(form)
    summary["reps_by_lift"] = reps_by_lift(results)
    return results, summary


def _analysis_of(video: Path, config: Config, landmarks_dir, analyze: Callable | None):
    """Analyse a labelled clip: a custom function, its cached landmarks, or the video itself."""
    from .pipeline import analyze_landmarks, analyze_video

    if analyze is not None:
        return analyze(video)
    cached = Path(landmarks_dir) / f"{video.stem}.{config.pose.model}.npz" if landmarks_dir else None
    if cached is not None and cached.exists():
        return analyze_landmarks(PoseSequence.load_npz(cached), config, video=video if video.exists() else None)
    if not video.exists():
        raise LabelError(f"{video}: labelled clip is missing", "Check the folder")
    return analyze_video(video, config)


def to_json(results: list[ClipResult], summary: dict[str, Any]) -> dict[str, Any]:
    return {"totals": summary, "clips": [asdict(r) for r in results]}


def to_markdown(results: list[ClipResult], summary: dict[str, Any]) -> str:
    """Per-clip table and totals as Markdown (for docs/ACCURACY.md)."""

    def ok(flag: bool | None) -> str:
        return "" if flag is None else ("✔" if flag else "✖")

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x:.1%}"

    lines = [
        "| clip | lift (label) | | view (label) | | reps (label) | | lockout error s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in (r for r in results if r.group == "labels"):
        if r.status != "ok":
            lines.append(f"| {r.file} | error: {r.error} | | | | | | |")
            continue
        counted = ok(r.reps_exact) if r.counted else "n/a"
        errs = ", ".join(f"{e:+.2f}" for e in r.lockout_err_s) or "–"
        lines.append(
            f"| {r.file} | {_lift_cell(r)} ({r.exercise_true}) | {ok(r.family_ok)} | {r.view} ({r.view_true}) "
            f"| {ok(r.view_ok)} | {r.reps} ({r.reps_true}) | {counted} | {errs} |"
        )
    s = summary
    lines += [
        "",
        f"- clips: {s['clips']} ({s['errors']} errors)",
        f"- lift family (hinge / bridge-thrust / other) right: {pct(s['family_accuracy'])} (an unknown lift only when "
        f"every guess is of the labelled family); the lift itself: {pct(s['lift_accuracy'])}",
        f"- unknown lift: {_unknown_line(s)}",
        f"- view right (label or second rater's view): {pct(s['view_accuracy'])}",
        f"- rep count on the {s['rep_clips']} usable hinge and bridge/thrust clips: exact {pct(s['reps_exact'])}, "
        f"within one {pct(s['reps_within_one'])}, inside the raters' range where they differed "
        f"{pct(s['reps_in_raters_range'])}",
        f"- rep timing over {s['matched_reps']} matched reps: lockout mean abs error {s['lockout_mae_s']} s, "
        f"bottom {s['bottom_mae_s']} s",
        f"- reps flagged on clips labelled fault-free: {s['clean_reps_flagged']} of {s['clean_reps_judged']} judged reps "
        f"in {s['clean_clips_judged']} clips (by rule: {s['clean_flags_by_rule'] or 'none'})",
    ]
    if s.get("reps_by_lift"):
        lines.append(
            "- rep count exact per labelled lift, every label file (usable clips): "
            + reps_by_lift_text(s["reps_by_lift"])
        )
    if s.get("angle_error"):
        lines += ["", "| metric | mean abs error | bias | frames |", "| --- | --- | --- | --- |"]
        lines += [f"| {k} | {v['mae']} | {v['bias']:+} | {v['frames']} |" for k, v in s["angle_error"].items()]
    if s.get("rules"):
        lines += [
            "",
            "| rule | flagged reps with the fault (recall) | reps flagged without it | precision |",
            "| --- | --- | --- | --- |",
        ]
        for rule, c in s["rules"].items():
            faulty = c["tp"] + c["fn"]
            rec = "no fault injected" if not faulty else f"{c['tp']}/{faulty} ({c['recall']:.0%})"
            prec = "–" if c["precision"] is None else f"{c['precision']:.0%}"
            lines.append(f"| {rule} | {rec} | {c['fp']} | {prec} |")
    if s.get("form"):
        lines += ["", *form_markdown([r for r in results if r.group == "form"], s["form"])]
    return "\n".join(lines) + "\n"


def form_markdown(results: list[ClipResult], s: dict[str, Any]) -> list[str]:
    """The form-labelled clips: per clip, then per labelled rep (the faults both raters saw and what the rule
    said; on reps they saw as clean, the rules that flagged anyway)."""

    def ok(flag: bool | None) -> str:
        return "" if flag is None else ("✔" if flag else "✖")

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x:.1%}"

    def deg(x: float | None) -> str:
        return "–" if x is None else f"{x:.0f}"

    lines = [
        "### Form-labelled clips (labels_form.json)",
        "",
        "| clip | lift (label) | | view (label) | | yaw off side: read (label) | reps (label) | | verdicts |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if r.status != "ok":
            lines.append(f"| {r.file} | error: {r.error} | | | | | | | |")
            continue
        lines.append(
            f"| {r.file} | {_lift_cell(r)} ({r.exercise_true}) | {ok(r.family_ok)} | {r.view} ({r.view_true}) "
            f"| {ok(r.view_ok)} | {deg(r.yaw_read)} ({deg(r.yaw_true)}) | {r.reps} ({r.reps_true}) "
            f"| {ok(r.reps_exact) if r.counted else 'n/a'} | {r.verdicts} |"
        )
    outcomes = ", ".join(f"{k} {v}" for k, v in s["agreed_outcomes"].items()) or "none"
    lines += [
        "",
        f"- clips: {s['clips']} ({s['errors']} errors); lift family {pct(s['family_accuracy'])}, lift "
        f"{pct(s['lift_accuracy'])}, view {pct(s['view_accuracy'])}, yaw mean abs error {s['yaw_mae_deg']}°",
        f"- unknown lift: {_unknown_line(s)}",
        f"- rep count on {s['rep_clips']} usable clips: exact {pct(s['reps_exact'])}, within one "
        f"{pct(s['reps_within_one'])}, inside the raters' range where they differed {pct(s['reps_in_raters_range'])}",
        f"- clips filmed within {VERDICT_MAX_YAW_DEG:.0f}° of the side with verdicts: "
        f"{s['clips_within_45_with_verdicts']} of {s['clips_within_45']}",
        f"- faults both raters saw: {s['agreed_faults']}; what the rule said: {outcomes}",
        f"- reps both raters saw as clean (and formcheck found): {s['clean_reps']}; flagged at fault level by a rule "
        f"whose fault neither rater called possible: {s['clean_reps_false_alarm']}; only warned: "
        f"{s['clean_reps_warned']}",
        "",
        "| clip | rep | rep read | faults both raters saw: the rule's verdict | flags on a clean rep |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for row in r.form_reps:
            agreed = ", ".join(f"{k}: {v}" for k, v in row["agreed"].items()) or "none"
            flags = ", ".join(
                [*(f"{x} (fault)" for x in row["false_alarms"]), *(f"{x} (warn)" for x in row["warnings"])]
            )
            read = "–" if row["rep_read"] is None else str(row["rep_read"])
            lines.append(f"| {r.file} | {row['rep']} | {read} | {agreed} | {flags or '–'} |")
    return lines


def _unknown_line(s: dict[str, Any]) -> str:
    """How many clips were an unknown lift and how many of their best guesses were the labelled lift."""
    n, named = s["unknown_lift_clips"], f"a wrong lift named on {s['lift_named_wrong']} clips"
    if not n:
        return f"no clip; {named}"
    return f"{n} clips, the best guess the labelled lift in {s['unknown_lift_best_guess_right']}; {named}"


def _lift_cell(r: ClipResult) -> str:
    """The lift read: the lift, or an unknown lift's guesses ("unknown: rdl? deadlift?")."""
    return f"unknown: {'? '.join(r.guesses)}?" if r.guesses else r.exercise
