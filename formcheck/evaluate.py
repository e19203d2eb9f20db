"""``formcheck eval``: score the pipeline against labelled clips.

Reads ``labels.json`` in the shared format (see ../shared/videos/README.md):
``{"clips": [{"file", "exercise", "view", "n_reps", "reps": [[bottom_s, lockout_s], ...],
"usable", ...}]}``. A label file that cannot be parsed is an error, never skipped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .config import Config
from .errors import FormcheckError, LabelError
from .exercises.detect import FAMILY
from .types import PoseSequence

VIEWS = {"side", "oblique", "front", "back", "mixed"}
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

    @property
    def family(self) -> str:
        return FAMILY[self.exercise]


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def load_labels(path: str | Path) -> list[ClipLabel]:
    """Parse and validate a labels.json. Raises :class:`LabelError` naming the bad entry."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise LabelError(f"label file {path} not found", "Give a folder holding labels.json") from None
    except json.JSONDecodeError as exc:
        raise LabelError(f"label file {path} is not valid JSON (line {exc.lineno}: {exc.msg})",
                         "Fix the file; eval never guesses past a broken label") from None
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
            out.append(ClipLabel(
                file=str(clip["file"]), exercise=exercise, view=view, n_reps=n_reps, reps=reps,
                usable=bool(clip.get("usable", True)),
                exercise_alt=tuple(e for e in _as_list(clip.get("exercise_alt")) if e in FAMILY),
                view_alt=_as_list(clip.get("view_alt")),
                n_reps_range=None if rng is None else (int(rng[0]), int(rng[1])),
                faults=str(clip.get("faults", "")),
            ))
        except LabelError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise LabelError(f"{where}: missing or malformed field ({exc})",
                             "Each clip needs file, exercise, view and n_reps") from None
    return out


@dataclass
class ClipResult:
    file: str
    status: str  # "ok" or "error"
    error: str = ""
    exercise: str = ""
    exercise_true: str = ""
    family_ok: bool | None = None
    view: str = ""
    view_true: str = ""
    view_ok: bool | None = None
    reps: int | None = None
    reps_true: int = 0
    counted: bool = False  # rep count scored (usable hinge/bridge clip)
    reps_exact: bool | None = None
    reps_within_one: bool | None = None
    bottom_err_s: list[float] = field(default_factory=list)
    lockout_err_s: list[float] = field(default_factory=list)
    flagged: dict[str, int] = field(default_factory=dict)
    judged_reps: int = 0
    flagged_reps: int = 0
    labelled_clean: bool = False


def score_clip(label: ClipLabel, analysis) -> ClipResult:
    res = ClipResult(file=label.file, status="ok", exercise=analysis.exercise.label, exercise_true=label.exercise,
                     view=analysis.view.label, view_true=label.view, reps=len(analysis.reps), reps_true=label.n_reps)
    families = {label.family} | {FAMILY[e] for e in label.exercise_alt}
    res.family_ok = analysis.family in families
    res.view_ok = analysis.view.label in ({label.view} | set(label.view_alt))
    res.counted = label.usable and label.family in ("hinge", "bridge")
    res.reps_exact = len(analysis.reps) == label.n_reps
    res.reps_within_one = abs(len(analysis.reps) - label.n_reps) <= 1
    used: set[int] = set()
    for rep in analysis.reps:
        best, best_d = None, MATCH_WINDOW_S
        for j, (_, lock) in enumerate(label.reps):
            d = abs(rep.t_lockout - lock)
            if j not in used and d <= best_d:
                best, best_d = j, d
        if best is not None:
            used.add(best)
            res.lockout_err_s.append(round(rep.t_lockout - label.reps[best][1], 3))
            res.bottom_err_s.append(round(rep.t_bottom - label.reps[best][0], 3))
    for f in analysis.flagged():
        res.flagged[f.rule] = res.flagged.get(f.rule, 0) + 1
    res.labelled_clean = label.usable and not label.faults.strip()
    if analysis.judged:
        res.judged_reps = len(analysis.reps)
        res.flagged_reps = len({f.rep for f in analysis.flagged()})
    return res


def totals(results: list[ClipResult]) -> dict[str, Any]:
    ok = [r for r in results if r.status == "ok"]
    counted = [r for r in ok if r.counted]
    bottoms = [abs(e) for r in ok for e in r.bottom_err_s]
    locks = [abs(e) for r in ok for e in r.lockout_err_s]

    def frac(xs: list[bool]) -> float | None:
        return None if not xs else round(float(np.mean(xs)), 4)

    return {
        "clips": len(results), "errors": len(results) - len(ok),
        "family_accuracy": frac([bool(r.family_ok) for r in ok]),
        "view_accuracy": frac([bool(r.view_ok) for r in ok]),
        "rep_clips": len(counted),
        "reps_exact": frac([bool(r.reps_exact) for r in counted]),
        "reps_within_one": frac([bool(r.reps_within_one) for r in counted]),
        "bottom_mae_s": None if not bottoms else round(float(np.mean(bottoms)), 3),
        "lockout_mae_s": None if not locks else round(float(np.mean(locks)), 3),
        "matched_reps": len(locks),
        # Reps flagged on clips whose labels saw no fault (labels are coarse: an upper bound on false alarms)
        "clean_clips_judged": sum(1 for r in ok if r.labelled_clean and r.judged_reps),
        "clean_reps_judged": sum(r.judged_reps for r in ok if r.labelled_clean),
        "clean_reps_flagged": sum(r.flagged_reps for r in ok if r.labelled_clean),
        "clean_flags_by_rule": _count_rules([r for r in ok if r.labelled_clean]),
    }


def _count_rules(results: list[ClipResult]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in results:
        for rule, n in r.flagged.items():
            out[rule] = out.get(rule, 0) + n
    return dict(sorted(out.items()))


def evaluate(folder: str | Path, config: Config, landmarks_dir: str | Path | None = None,
             analyze: Callable | None = None, on_clip: Callable[[ClipResult], None] | None = None,
             only: list[str] | None = None) -> tuple[list[ClipResult], dict[str, Any]]:
    """Analyse every labelled clip in ``folder`` and score it.

    With ``landmarks_dir``, a clip's landmarks are read from
    ``landmarks_dir/<stem>.<model>.npz`` when that file exists (no model run).
    """
    from .pipeline import analyze_landmarks, analyze_video

    folder = Path(folder)
    labels = load_labels(folder / "labels.json")
    results = []
    for label in labels:
        if only and label.file not in only:
            continue
        try:
            cached = Path(landmarks_dir) / f"{Path(label.file).stem}.{config.pose.model}.npz" if landmarks_dir else None
            if analyze is not None:
                analysis = analyze(folder / label.file)
            elif cached is not None and cached.exists():
                analysis = analyze_landmarks(PoseSequence.load_npz(cached), config)
            else:
                video = folder / label.file
                if not video.exists():
                    raise LabelError(f"{video}: labelled clip is missing", "Check the folder")
                analysis = analyze_video(video, config)
            result = score_clip(label, analysis)
        except FormcheckError as exc:
            result = ClipResult(file=label.file, status="error", error=str(exc), exercise_true=label.exercise,
                                view_true=label.view, reps_true=label.n_reps,
                                counted=label.usable and label.family in ("hinge", "bridge"))
        results.append(result)
        if on_clip is not None:
            on_clip(result)
    return results, totals(results)


def to_json(results: list[ClipResult], summary: dict[str, Any]) -> dict[str, Any]:
    return {"totals": summary, "clips": [asdict(r) for r in results]}


def to_markdown(results: list[ClipResult], summary: dict[str, Any]) -> str:
    """Per-clip table and totals as Markdown (for docs/ACCURACY.md)."""
    def ok(flag: bool | None) -> str:
        return "" if flag is None else ("✔" if flag else "✖")

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x:.1%}"

    lines = ["| clip | lift (label) | | view (label) | | reps (label) | | lockout error s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        if r.status != "ok":
            lines.append(f"| {r.file} | error: {r.error} | | | | | | |")
            continue
        counted = ok(r.reps_exact) if r.counted else "n/a"
        errs = ", ".join(f"{e:+.2f}" for e in r.lockout_err_s) or "–"
        lines.append(f"| {r.file} | {r.exercise} ({r.exercise_true}) | {ok(r.family_ok)} | {r.view} ({r.view_true}) "
                     f"| {ok(r.view_ok)} | {r.reps} ({r.reps_true}) | {counted} | {errs} |")
    s = summary
    lines += ["", f"- clips: {s['clips']} ({s['errors']} errors)",
              f"- lift family (hinge / bridge-thrust / other) right: {pct(s['family_accuracy'])}",
              f"- view right (label or second rater's view): {pct(s['view_accuracy'])}",
              f"- rep count on the {s['rep_clips']} usable hinge and bridge/thrust clips: exact {pct(s['reps_exact'])}, "
              f"within one {pct(s['reps_within_one'])}",
              f"- rep timing over {s['matched_reps']} matched reps: lockout mean abs error {s['lockout_mae_s']} s, "
              f"bottom {s['bottom_mae_s']} s",
              f"- reps flagged on clips labelled fault-free: {s['clean_reps_flagged']} of {s['clean_reps_judged']} judged reps "
              f"in {s['clean_clips_judged']} clips (by rule: {s['clean_flags_by_rule'] or 'none'})"]
    return "\n".join(lines) + "\n"
