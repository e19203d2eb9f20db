"""What every hinge demands alike, whatever the lift: the rules an RDL, a stiff-leg deadlift, a single-leg RDL and
a conventional deadlift share.

COACHING.md: an RDL "returns to standing" at the top of every rep; a deadlift's lockout has the "hips and knees
straight together" (§3); a stiff-leg deadlift is a floor pull with RDL knees. The knees differ (soft on an RDL,
straight on a deadlift), the hips do not: every hinge rep finishes standing with the hips through. A lockout
would survive an oblique camera (COACHING.md §5: straight lines stay straight), but a partial one does not: on
rendered RDLs 15-45° off the side a 15° partial lockout reads as straight as a full one, so the rule judges from a
pure side view only and says why elsewhere.

Its thresholds live in their own config section (:class:`formcheck.config.HingeRules`), not in one lift's, so a
lift the detector cannot name ("an RDL or a deadlift") is judged by it with the same limits whichever it is
(:func:`formcheck.exercises.detect.unknown_lift`).
"""

from __future__ import annotations

from ..types import Rep
from .base import Judgement, Phase, Rule, RuleContext, extreme, grade_below, graded, skip, top_cut_off


def check_hips_through(ctx: RuleContext, rep: Rep) -> Judgement:
    cfg = ctx.rules
    a, b = Phase.TOP.window(rep)
    hip, frame = extreme(ctx, "hip_deg", a, b, "max")
    fault = cfg.hips_through_fault_deg
    verdict = grade_below(hip, cfg.hips_through_warn_deg, cfg.hips_through_warn_deg - fault)
    if verdict != "pass" and (cut := top_cut_off(ctx, frame, "hip_deg", b)):
        return skip(cut)
    flagged = f"hip angle {hip:.0f}° at the top: the hips did not come through (fault under {fault:.0f}°)"
    # the limit is where a flag starts (the warning line), the fault line beside it
    warn = cfg.hips_through_warn_deg
    return graded(
        verdict, hip, warn, frame, flagged, f"hips {hip:.0f}° at the top", (a, b - 1), fault, cfg.hips_through_fine_deg
    )


#: Why the rule is judged only from a pure side view (docs/ACCURACY.md 'Hips through at the top').
OFF_SIDE = (
    "needs a pure side view: from 15-45° off the side a rendered 15° partial lockout read 171-180°, as straight as a "
    "full one (the forward lean shrinks with the camera angle and the near shoulder slides back), so a pass there "
    "would not mean the hips came through"
)

#: Why a pass needs the camera nearer the side than the pure side view's gate (docs/ACCURACY.md 'A lockout pass
#: needs the side view'): a flag stands, a pass would not mean the rule could have seen a partial lockout.
BLIND_PASS = (
    "a pass needs the camera square to the side: from 10-15° towards the lifter's front a rendered 15° partial "
    "lockout read 170-174°, as straight as a full one, and such clips measure up to 14° off side"
)

#: Hips through at the top of every hinge rep. A conventional deadlift judges it inside ``dl.lockout`` (hips and
#: knees), which therefore ``covers`` it.
HIPS_THROUGH = Rule(
    "hinge.hips_through",
    "top_hip_deg",
    "deg",
    "Finish every rep standing tall: hips through.",
    "Hips through at the top",
    check_hips_through,
    needs=("hip_deg",),
    phase=Phase.TOP,
    side_view_only=True,
    off_side_reason=OFF_SIDE,
    blind_pass_reason=BLIND_PASS,
    uncertainty="hips_through_uncertainty_deg",
    config_section="hinge",
)
