"""Judging: whether verdicts may be given at all, and every rule of the lift on every rep, shot by shot.

Each shot (camera angle) is judged only against itself. A rule that cannot look at a rep (the view,
a lockout out of view, a distance rule off the pure side view, missing signals, joints that are not
evidence: :mod:`formcheck.trust`) gives ``not_checked`` with the reason; see
:func:`formcheck.exercises.base.run_rule`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .config import Config
from .exercises import NO_JUDGED_LIFT, Lift
from .exercises.base import ALONG_THE_BODY, PlateHeights, Rule, RuleContext, not_checked, run_rule
from .exercises.detect import Shot, near_side, pure_side
from .quality import QualityWarning
from .trust import TrustTable
from .types import AngleSeries, Detection, Finding, Rep

#: Why every rule skips a rep whose lockout happened out of view.
LOCKOUT_OUT_OF_VIEW = (
    "the lockout happened out of view (the head left the top of the frame): "
    "film from further away or higher so the whole body stays in frame"
)
#: Why distance rules skip views off the pure side.
NEEDS_PURE_SIDE = "needs a pure side view: distances on screen shrink when the camera looks at the lifter at an angle"
NEEDS_NEARER_SIDE = (
    "needs the camera nearer the side: distances on screen read short when it looks at the lifter from further round"
)
#: Views from which no rule can be judged but the few that read only heights on screen (``Rule.along_the_body``).
UNJUDGEABLE_VIEWS = frozenset({"front", "back", "unknown"})


@dataclass(frozen=True)
class MayJudge:
    """Whether the clip gets verdicts, the reason when not, and warnings about the views."""

    judged: bool
    reason: str
    warnings: list[QualityWarning]


def may_judge(
    lift: Lift, view: str, reps: list[Rep], det_frac: float, config: Config, shots: list[Shot], t: np.ndarray
) -> MayJudge:
    """Whether verdicts may be given, the reason when not, and view warnings."""
    warnings: list[QualityWarning] = []
    judged, reason = True, ""
    views = {s.view.label for s in shots}
    along = [
        r.title
        for r in lift.rules
        if r.along_the_body and not r.set_aside and r.validated_for(r.settings(lift.settings(config), config))
    ]
    if views <= UNJUDGEABLE_VIEWS and along and views & ALONG_THE_BODY:
        shown = "/".join(sorted(views & ALONG_THE_BODY))
        warnings.append(
            QualityWarning(
                "wrong_view",
                f"{shown} view: only {_listed(along)} {'is' if len(along) == 1 else 'are'} judged (heights on "
                "screen); the other rules need a side view to measure joint angles. Film from the side, camera at hip "
                "height, whole body in frame",
            )
        )
    elif views <= UNJUDGEABLE_VIEWS:
        shown = "/".join(sorted(views - {"unknown"})) or view
        judged = False
        reason = (
            f"{shown} view: the rules need a side view to measure joint angles. "
            "Film from the side, camera at hip height, whole body in frame"
        )
        warnings.append(QualityWarning("wrong_view", reason))
    elif not lift.judged:
        judged = False
        reason = lift.not_judged_reason or NO_JUDGED_LIFT
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
                        f"the clip cuts between camera angles ({parts}); reps filmed from the front or back are "
                        f"{'judged only for ' + _listed(along) if along else 'not judged'}, "
                        "and each angle is compared only with itself"
                    ),
                )
            )
    if judged and not reps:
        reason = "no complete repetition found"
    if det_frac < config.detect.min_judged_fraction:
        judged = False
        reason = f"the lifter was found in only {det_frac:.0%} of frames: too little to judge"
    return MayJudge(judged, reason, warnings)


def run_rules(
    series: AngleSeries,
    reps: list[Rep],
    lift: Lift,
    shots: list[Shot],
    config: Config,
    trust: TrustTable | None = None,
    plate: PlateHeights | None = None,
) -> list[Finding]:
    """Every rule of the lift on every rep, shot by shot; rules the view cannot support say why they were skipped.

    ``trust`` (:func:`formcheck.trust.assess`) says which joints are evidence in which frames; without it
    every landmark is taken as evidence. ``plate``: the near plate's height and radius per row, when the plate search
    ran (dl.floor reads it)."""
    order = {rule.id: k for k, rule in enumerate(lift.rules)}
    findings: list[Finding] = []
    for shot in shots:
        mine = [r for r in reps if shot.start <= r.lockout < shot.stop]
        if mine:
            findings += _run_rules_in_shot(series, mine, lift, shot.view, config, trust, plate)
    return sorted(findings, key=lambda f: (order[f.rule], f.rep or 0))


def measured_off_side_deg(view: Detection) -> float | None:
    """A shot's angle off the side view as measured (90 minus the body's yaw to the camera, the reading
    :func:`~formcheck.exercises.detect.pure_side` gates on); None when the user forced the view, 90 when unknown."""
    if view.detail.get("forced"):
        return None
    yaw = float(view.detail.get("yaw_deg", float("nan")))
    return 90.0 - yaw if np.isfinite(yaw) else 90.0


def _listed(titles: list[str]) -> str:
    """Rule titles in a sentence, quoted: '"Controlled eccentric"', '"A" and "B"'."""
    words = [f'"{t}"' for t in titles]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _view_block(view: Detection, rule: Rule) -> str | None:
    """Why ``rule`` cannot be judged from this shot's view, or None: from the front or back only the rules that read
    heights on screen (:attr:`Rule.along_the_body`), from an angle that could not be told none."""
    if view.label not in UNJUDGEABLE_VIEWS or (view.label in ALONG_THE_BODY and rule.along_the_body):
        return None
    angle = "from an angle that could not be told" if view.label == "unknown" else f"from the {view.label}"
    return f"this rep was filmed {angle}: the rules need a side view"


def with_view_limit(reason: str, off_side_deg: float | None, limit_deg: float) -> str:
    """``reason`` (a rule not judged from this shot's camera angle) with the angle off the side it is judged up to and
    the shot's own, as measured (``off_side_deg``; None: the user set the view by hand), so the lifter knows how far
    round the camera was and how near the side it has to be (COACHING.md §5)."""
    if off_side_deg is None:
        seen = "this shot's view was set by hand, its angle not measured"
    else:
        seen = f"this shot: {off_side_deg:.0f}°"
    return f"{reason}; judged up to {limit_deg:.0f}° off the side as measured ({seen})"


def _past_own_limit(rule: Rule, ctx: RuleContext, config: Config, reason: str) -> str | None:
    """Why a rule judged up to its own angle off the side (:attr:`Rule.max_off_side`, where rendered truth measured its
    reading: further round than its view class, or less far) is not judged from this shot (``reason``, with its limit
    and the shot's angle), or None where the shot's measured angle off the side is within that limit (a view set by
    hand has none: not judged)."""
    limit = float(getattr(rule.settings(ctx.rules, config), rule.max_off_side))
    off = ctx.off_side_deg
    if off is not None and off <= limit:
        return None
    return with_view_limit(reason, off, limit)


def _off_side_block(rule: Rule, ctx: RuleContext, config: Config) -> str | None:
    """Why a ``side_view_only`` rule is not judged from a shot that is not a pure side view, or None where its reading
    was validated up to the shot's measured angle off the side (:attr:`Rule.max_off_side`: ``rdl.hips_back``)."""
    if not rule.max_off_side:
        return with_view_limit(
            rule.off_side_reason or NEEDS_PURE_SIDE, ctx.off_side_deg, 90.0 - config.detect.pure_side_min_yaw_deg
        )
    return _past_own_limit(rule, ctx, config, NEEDS_NEARER_SIDE)


def _near_side_block(rule: Rule, ctx: RuleContext, config: Config) -> str | None:
    """Why a rule reading an angle that turns with the camera (:attr:`Rule.off_side_reason`) is not judged from a
    shot past the pure side view, or None where it is: up to its own angle where rendered truth measured its reading
    (:attr:`Rule.max_off_side`: ``ht.shin_angle`` further round than the near side view, ``ht.look_at_wall`` less far),
    else up to the near side view."""
    if rule.max_off_side:
        return _past_own_limit(rule, ctx, config, rule.off_side_reason)
    return with_view_limit(rule.off_side_reason, ctx.off_side_deg, 90.0 - config.detect.near_side_min_yaw_deg)


def _run_rules_in_shot(
    series: AngleSeries,
    reps: list[Rep],
    lift: Lift,
    view: Detection,
    config: Config,
    trust: TrustTable | None,
    plate: PlateHeights | None = None,
) -> list[Finding]:
    ctx = RuleContext(
        series=series,
        reps=reps,
        rules=lift.settings(config),
        view=view.label,
        exercise=lift.id,
        trust=trust,
        trust_config=config.trust,
        view_confidence=float(view.confidence),
        pure_side=pure_side(view, config.detect),
        off_side_deg=measured_off_side_deg(view),
        pass_max_off_side_deg=config.detect.lockout_pass_max_off_side_deg,
        plate=plate,
    )
    if not pure_side(view, config.detect):
        near = near_side(view, config.detect)
        for r in lift.rules:
            why = None
            if r.side_view_only:
                why = _off_side_block(r, ctx, config)
            elif r.off_side_reason and (r.max_off_side or not near):
                # an angle that turns with the camera: up to its own measured limit, else the near side view's
                why = _near_side_block(r, ctx, config)
            if why is not None:
                ctx.blocked[r.id] = why
    blocked = {rule.id: why for rule in lift.rules if (why := _view_block(view, rule)) is not None}
    if len(blocked) < len(lift.rules) and lift.prepare is not None:
        lift.prepare(ctx)
    findings: list[Finding] = []
    for rule in lift.rules:
        # a rule several lifts share reads its own config section (the context's dicts stay shared)
        rule_ctx = ctx if rule.config_section is None else replace(ctx, rules=rule.settings(ctx.rules, config))
        for rep in reps:
            if rule.id in blocked:
                findings.append(not_checked(rule, rep, rule_ctx, blocked[rule.id]))
            elif not rep.lockout_seen:
                findings.append(not_checked(rule, rep, rule_ctx, LOCKOUT_OUT_OF_VIEW))
            else:
                findings.append(run_rule(rule, rule_ctx, rep))
    return findings
