"""What every lift and rule shares: the definitions, the context rules read, and the one step that runs a rule.

A lift is one :class:`Lift` (registered once in :mod:`formcheck.exercises`); its rules are :class:`Rule`
values. A rule names the signals it reads (``needs``), the part of the rep it reads them in (``phase``) and,
when it reads fewer frames than that, the parts it does read (``evidence``, per joint ``joint_evidence``);
:func:`run_rule` returns ``not_checked`` with the reason when they are missing or rest on joints that are not
evidence there (:mod:`formcheck.trust`), so a rule's ``check`` function holds only the
judgement and returns a :class:`Judgement`; :func:`run_rule` then caps it at a warning when its evidence is
not trusted enough or its reading lies within the rule's measurement uncertainty of the fault line
(COACHING.md §4: "fault only when the margin exceeds it, else warn"), and gives it a confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import numpy as np

from ..config import TrustConfig
from ..kinematics import METRIC_JOINTS
from ..report.words import amount
from ..trust import Reason, TrustTable, describe, span_frames
from ..types import AngleSeries, Finding, FloatArray, Int8Array, IntArray, Rep, Verdict

#: Share of a phase's frames a needed signal must be measured in, or the rule is not checked.
MIN_MEASURED_FRACTION = 0.6
#: Frames before a rep's start that make up its start position.
START_FRAMES = 3
#: Frames either side of the bottom read as "the bottom" (the pause there is a few frames long at 30 fps).
BOTTOM_FRAMES = 3
#: The rules' measurement uncertainties (``*_uncertainty_*`` settings) are this many standard deviations of
#: reading - truth on rendered clips (about 95 % of readings lie within it); a confidence divides by it.
UNCERTAINTY_SDS = 2.0

#: COACHING.md §4: the fault cut lies halfway between the fine and the fault size as read (bias removed), and a
#: rule can tell the two apart only when they lie at least this many SDs of its measurement scatter apart; then a
#: fault is a reading past the cut and more than the uncertainty (2 SD) from the fine size (:func:`fault_from`),
#: which at this gap catches ~90 % of reps at the fault size (2 + 1.28 SDs) and ~2 % at the fine size; closer, its
#: fault margin is measured from the fault line itself (a fault needs a reading well past the fault size).
CUT_MIN_GAP_SDS = 3.3


@dataclass(frozen=True)
class PlateHeights:
    """The near plate found in the video (:mod:`formcheck.plates`), per sequence row, in leg lengths as read (the
    lifter's legs on screen): its centre's height in the picture (image y down: a plate lower in the picture has a
    larger value) and its radius, NaN in rows without a plate; where a look at the picture found it
    (:attr:`formcheck.plates.PlateTrack.placed`: 1 found, -1 looked and not found, 0 not looked at; None: not
    recorded); and how many leg lengths one pixel of the picture the plate was searched in spans (its resolution)."""

    y_leg: FloatArray
    radius_leg: FloatArray
    placed: Int8Array | None
    pixel_leg: float


@dataclass
class RuleContext:
    """Everything a rule may read. Built once per shot by the pipeline."""

    series: AngleSeries
    reps: list[Rep]
    #: The lift's config section (e.g. :class:`formcheck.config.RdlRules`).
    rules: Any
    view: str
    exercise: str = ""
    #: Per-rule reasons to skip (e.g. "needs a pure side view").
    blocked: dict[str, str] = field(default_factory=dict)
    #: Set-wide references a lift's ``prepare`` computes (e.g. the lifter's neutral neck).
    extras: dict[str, float] = field(default_factory=dict)
    #: Which body points are evidence in which frames (None: all are, e.g. in unit tests of a check).
    trust: TrustTable | None = None
    #: Thresholds of the trust checks (the measurement uncertainties are per rule, in ``rules``).
    trust_config: TrustConfig = field(default_factory=TrustConfig)
    #: How sure the view detector is of this shot's view (0-1); part of every verdict's confidence.
    view_confidence: float = 1.0
    #: The shot is filmed square from the side (:func:`formcheck.exercises.detect.pure_side`): rules whose bias
    #: was measured there may use their side-view cut.
    pure_side: bool = False
    #: The shot's measured angle off the side view (degrees; None when the user forced the view: taken at their
    #: word), and how far off the side a pass of a rule with ``blind_pass_reason`` may be given from
    #: (``detect.lockout_pass_max_off_side_deg``).
    off_side_deg: float | None = None
    pass_max_off_side_deg: float = 90.0
    #: The near plate found in the video (:mod:`formcheck.plates`); None without a plate search (no video, not a
    #: hinge or bridge, not from the side).
    plate: PlateHeights | None = None


#: Views that look along the body (from the front or back), where 2D joint angles collapse but heights on screen
#: still show: the rules marked :attr:`Rule.along_the_body` are judged there, and reps are counted on the 3D hip
#: angle (:mod:`formcheck.counting`).
ALONG_THE_BODY = frozenset({"front", "back"})


class Phase(Enum):
    """The part of a rep a rule reads; :meth:`window` gives its frames as ``[a, b)``."""

    START = "start"  # the few frames before the rep leaves the top
    DESCENT = "descent"  # start to bottom
    TOP = "top"  # lockout to the end of the rep
    BOTTOM_TO_END = "bottom_to_end"  # bottom to the end of the top position
    PULL = "pull"  # start to lockout
    REP = "rep"  # the whole rep
    LIFTOFF = "liftoff"  # the few frames up to the final rise's start (Rep.rise): a floor pull's lift-off
    CONCENTRIC = "concentric"  # the final rise's start to lockout: a floor pull's way up
    BOTTOM = "bottom"  # the few frames either side of the bottom (within the rep)

    def window(self, rep: Rep) -> tuple[int, int]:
        if self is Phase.BOTTOM:
            return max(rep.bottom - BOTTOM_FRAMES, rep.start), min(rep.bottom + BOTTOM_FRAMES + 1, rep_stop(rep))
        if self is Phase.START:
            return max(rep.start - START_FRAMES, 0), rep.start + 1
        if self is Phase.DESCENT:
            return rep.start, rep.bottom + 1
        if self is Phase.TOP:
            return rep.lockout, max(rep.end, rep.lockout + 1)
        if self is Phase.BOTTOM_TO_END:
            return rep.bottom, max(rep.end, rep.lockout + 1)
        if self is Phase.PULL:
            return rep.start, rep.lockout + 1
        if self is Phase.LIFTOFF:
            return max(rep.rise - START_FRAMES, rep.start), rep.rise + 1
        if self is Phase.CONCENTRIC:
            return rep.rise, rep.lockout + 1
        return rep.start, max(rep.end, rep.start + 1)

    @property
    def words(self) -> str:
        """The phase as a reason names it ("the descent")."""
        return PHASE_WORDS[self]


def rep_stop(rep: Rep) -> int:
    """The frame after a rep's last one: its end, or past its lockout when the top was never left."""
    return max(rep.end, rep.lockout + 1, rep.start + 1)


def rep_frames(rep: Rep) -> tuple[int, int]:
    """``[a, b)`` of every frame a rule may read for ``rep``: the rep and its start position before it."""
    return max(rep.start - START_FRAMES, 0), rep_stop(rep)


def phases_words(phases: tuple[Phase, ...]) -> str:
    """Phases as a reason names them: "the start position and the bottom"."""
    words = list(dict.fromkeys(p.words for p in phases))
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


PHASE_WORDS = {
    Phase.START: "the start position",
    Phase.DESCENT: "the descent",
    Phase.TOP: "the top",
    Phase.BOTTOM_TO_END: "the way up and the top",
    Phase.PULL: "the rep",
    Phase.REP: "the rep",
    Phase.LIFTOFF: "the lift-off",
    Phase.CONCENTRIC: "the way up",
    Phase.BOTTOM: "the bottom",
}


@dataclass(frozen=True)
class Judgement:
    """What a rule's check decided for one rep; :func:`run_rule` adds the rule's metadata and times."""

    verdict: Verdict
    value: float | None = None
    threshold: float | None = None
    frame: int | None = None
    message: str = ""
    #: Evidence frames [a, b] (inclusive); the whole rep when None.
    span: tuple[int, int] | None = None
    #: The line past which ``value`` is a fault (``threshold`` is where it starts to warn, or for some rules the
    #: same line). A fault whose value lies within the rule's uncertainty of it is at most a warning
    #: (:func:`weigh`). None: the rule gives no fault for this reading against a line (a prompt, a pause).
    fault_line: float | None = None
    #: The measurement uncertainty of ``value`` when it is not the rule's usual reading (a second measure the rule
    #: falls back on); None: the rule's own (:attr:`Rule.uncertainty`).
    uncertainty: float | None = None
    #: COACHING.md §1's fine size in the reading's units, bias removed (``fault_line`` is then §1's fault size
    #: there): when the two lie at least :data:`CUT_MIN_GAP_SDS` SDs apart, a flagged rep is a fault past the §4
    #: cut between them and more than the uncertainty from the fine size (:func:`fault_from`), so a rep read at the
    #: fault size is a fault and one at the fine size passes or warns, as §1 demands.
    fine_line: float | None = None


def graded(
    verdict: Verdict,
    value: float,
    threshold: float,
    frame: int | None,
    flagged: str,
    passed: str,
    span: tuple[int, int] | None = None,
    fault_line: float | None = None,
    fine_line: float | None = None,
) -> Judgement:
    """A judgement whose message is ``flagged`` on a warning or fault and ``passed`` on a pass."""
    message = passed if verdict == "pass" else flagged
    return Judgement(verdict, value, threshold, frame, message, span, fault_line, fine_line=fine_line)


def grade_factor_above(value: float, limit: float, fault_factor: float) -> Verdict:
    """pass at or under ``limit``; warn up to ``limit * fault_factor``; fault beyond."""
    if value <= limit:
        return "pass"
    return "warn" if value <= limit * fault_factor else "fault"


def grade_factor_below(value: float, limit: float, fault_factor: float) -> Verdict:
    """pass at or over ``limit``; warn down to ``limit * fault_factor``; fault below."""
    if value >= limit:
        return "pass"
    return "warn" if value >= limit * fault_factor else "fault"


def skip(reason: str) -> Judgement:
    """The rule looked but could not judge this rep."""
    return Judgement("not_checked", message=reason)


#: Why a rule reading the top skips a flagged rep whose highest angle is the clip's last frame.
TOP_CUT_OFF = (
    "the clip ends while the hips are still coming up: the top's highest hip angle is its last frame, so the "
    "lockout may come after it"
)
#: Why a rule reading the top skips a flagged rep whose top ends where the lifter is lost (clip_042, a portrait demo
#: whose lifter stands up out of the top of the picture: the hip angle 75° at 4.53 s, 131° and 126° at 4.73-4.77 s,
#: then no pose; it was faulted "not locked out").
TOP_LOST = (
    "the lifter is lost (out of the picture or not seen) before the top ends: its last frames measured "
    "are on the way up, so the lockout may come after them"
)


def top_cut_off(ctx: RuleContext, frame: int | None, signal: str, end: int) -> str | None:
    """Why a top read at ``frame`` (the largest angle of ``signal`` over the top, the frames before ``end``) cannot say
    the lifter did not lock out, or None when it can: ``frame`` is the clip's last (:data:`TOP_CUT_OFF`), or the
    top's last frame with a value of ``signal`` is followed by one without (:data:`TOP_LOST`): the lockout may come
    after it. A rule that flags a top too low does not judge it then; a pass stands however the top ends."""
    if frame is None:
        return None
    values = ctx.series[signal]
    if frame == len(values) - 1:
        return TOP_CUT_OFF
    seen = np.flatnonzero(np.isfinite(values[frame:end]))
    last = frame + int(seen[-1])
    return TOP_LOST if last + 1 < len(values) and not np.isfinite(values[last + 1]) else None


Check = Callable[[RuleContext, Rep], Judgement]


@dataclass(frozen=True)
class Rule:
    """One coaching rule: id, what it measures, the cue, what it needs, and the judgement per rep."""

    id: str
    metric: str
    unit: str
    cue: str
    title: str
    check: Check
    #: Signals of the :class:`~formcheck.types.AngleSeries` the check reads in ``phase``.
    needs: tuple[str, ...] = ()
    phase: Phase = Phase.REP
    #: The parts of the rep whose frames the check actually reads, when fewer than all of ``phase`` (an RDL's knee
    #: bend reads the start position and the bottom, not the descent between them, where the near plate passes in
    #: front of the knee): its joints must be evidence there (:func:`evidence_sets`). Empty: ``phase`` for the
    #: not-checked test and the judgement's ``span`` (else ``phase``) for the warning cap (:func:`weigh`).
    evidence: tuple[Phase, ...] = ()
    #: Joints the check reads in other parts of the rep than ``evidence``: (joint, phases) pairs (the hip angle's
    #: range over the whole descent). Joints not named here are read in ``evidence``.
    joint_evidence: tuple[tuple[str, tuple[Phase, ...]], ...] = ()
    #: The frames ``[a, b)`` the check reads when they hang on the rep's signals, not on its phases alone
    #: (``dl.hips_first``: from the lift-off to the bar passing the knees, not the whole way up, whose lockout a
    #: 45 cm plate hides: clip_088), or None from it for ``phase``. The not-checked test weighs the joints' trust
    #: there, named :attr:`reads_words`. Only for a rule that declares no :attr:`evidence`.
    reads: Callable[[RuleContext, Rep], tuple[int, int] | None] | None = None
    #: How a reason names the frames of :attr:`reads` ("the pull to the knees").
    reads_words: str = ""
    #: The rep's descent must have been filmed (RDL rules comparing with the start position).
    needs_descent: bool = False
    #: Distances on screen: only judged in a pure side view.
    side_view_only: bool = False
    #: Key in the lift's config section of the largest measured angle off the side a ``side_view_only`` rule is
    #: judged from instead of the pure side view, or an :attr:`off_side_reason` rule instead of the near side view,
    #: for a rule whose reading rendered truth measured round from the side: validated further round
    #: (``ht.shin_angle``: the shin's tilt on screen, to 45°) or lost before the near side view's limit
    #: (``ht.look_at_wall``: the gaze, 19°).
    max_off_side: str = ""
    #: Key in the lift's config section of the rule's measurement uncertainty from a shot past the pure side view (up
    #: to :attr:`max_off_side`, or wherever else the rule judges past it), where its reading scatters more;
    #: :attr:`uncertainty` from the pure side view.
    max_off_side_uncertainty: str = ""
    #: Past the pure side view the rule's reading errs one way only, towards a flag (``ht.lockout``: a hip guessed
    #: behind a plate, or seen at an angle, reads short of the line, never past it): its
    #: :attr:`max_off_side_uncertainty` widens the margin a warning or a fault needs, while a pass, a reading on the
    #: side the errors do not reach, keeps the pure side view's :attr:`uncertainty`.
    off_side_errs_towards_flag: bool = False
    #: Judged from the front and the back as well (COACHING.md §5: "reps and tempo" show there): the rule reads
    #: only heights on screen, which a camera square to the front or back shows as a side view does
    #: (``rdl.tempo``: the shoulders' drop; docs/ACCURACY.md 'Tempo from the front and back'). Every other rule says why a
    #: rep filmed from the front or back is not checked.
    along_the_body: bool = False
    #: An angle that turns with the camera (COACHING.md §5): only judged from near the side
    #: (:func:`formcheck.exercises.detect.near_side`), or with ``side_view_only`` from a pure side view; else
    #: not checked with this reason, in the report's words.
    off_side_reason: str = ""
    #: Why a pass of this rule from further off the side than :attr:`RuleContext.pass_max_off_side_deg` would not
    #: mean it could have seen the fault (its reading turns towards "fine" with the camera angle): such a pass is
    #: not checked with this reason (and the angle); its warnings and faults stand.
    blind_pass_reason: str = ""
    #: Key in the lift's config section of the largest measured angle off the side a pass of this rule (with
    #: :attr:`blind_pass_reason`) may be given from, when it is not :attr:`RuleContext.pass_max_off_side_deg`.
    pass_max_off_side: str = ""
    #: Why the rule's measurement cannot be trusted yet (its bias not measured on rendered truth while
    #: clean real lifts read past the fault size, COACHING.md §4): the rule then says not_checked with
    #: this reason, unless the lift's config sets ``judge_unvalidated``.
    unvalidated: str = ""
    #: Key in the lift's config section of the measurement uncertainty of the rule's reading, in ``unit``
    #: (:data:`UNCERTAINTY_SDS` standard deviations of reading - truth on rendered clips, COACHING.md §4). A fault
    #: within it of its fault line is at most a warning; the report shows it with the value ("15.8 ± 3°").
    uncertainty: str = ""
    #: Why the rule is not judged for the lift at all (an unknown lift whose candidate lifts do not share it,
    #: :func:`formcheck.exercises.detect.unknown_lift`): every rep says not_checked with this reason.
    set_aside: str = ""
    #: The config section holding this rule's thresholds when they are not the lift's own (a rule several lifts
    #: share with the same limits, :mod:`formcheck.exercises.hinge`); None: the lift's section.
    config_section: str | None = None
    #: Trust reasons this rule accepts for a joint it reads only where a guess of it barely moves its reading:
    #: (joint, reasons) pairs whose bits are cleared from the trust table before the rule runs
    #: (:meth:`formcheck.trust.TrustTable.tolerating`). Only occlusions (behind the plate, on the hands), whose
    #: guesses the model draws on the body; a bone changing length, a jump or a swap always counts.
    tolerates: tuple[tuple[str, Reason], ...] = ()
    #: Rules this one judges as part of its own reading (``dl.lockout`` reads the hips and the knees, so it covers
    #: ``hinge.hips_through``): a lift with this rule demands what they demand
    #: (:func:`formcheck.exercises.detect.unknown_lift`).
    covers: tuple[Rule, ...] = ()

    def settings(self, lift_settings: Any, config: Any) -> Any:
        """The config section this rule's thresholds come from: its own, else the lift's (``lift_settings``)."""
        return getattr(config, self.config_section) if self.config_section else lift_settings

    def validated_for(self, settings: Any) -> bool:
        """Whether the rule gives verdicts with these settings (its config section): its measurement is validated
        (no :attr:`unvalidated` reason), or the section's ``judge_unvalidated`` asks for its verdicts anyway."""
        return not self.unvalidated or bool(getattr(settings, "judge_unvalidated", False))

    def demanded_by(self, lift: Lift) -> bool:
        """``lift`` judges what this rule judges with the same limits: it has the rule, or a rule covering it. A rule
        read against the lift's own section is the same only for lifts sharing that section (checked by the
        caller)."""
        return self in lift.rules or any(self in r.covers for r in lift.rules)


@dataclass(frozen=True)
class LimitLine:
    """A threshold drawn on a report plot: ``metric`` is the plotted series, ``field`` a config key of the lift."""

    metric: str
    field: str
    label: str


@dataclass(frozen=True)
class Gauge:
    """A gauge the annotated video draws during ``phase``: the change of ``metric`` from the rep's start,
    coloured at the config keys ``warn_field`` and ``fault_field``."""

    metric: str
    label: str
    warn_field: str
    fault_field: str
    #: The body point the gauge is drawn beside.
    at: str = "knee"


@dataclass(frozen=True)
class Lift:
    """Everything about one lift. Adding a lift is one module defining one of these plus its config section."""

    id: str
    #: "bridge", "hinge" or "other": decides the rep driver and the lockout posture.
    family: str
    #: For people: "Romanian deadlift".
    name: str
    rules: tuple[Rule, ...] = ()
    #: Attribute of :class:`formcheck.config.Config` holding the rules' thresholds.
    config_section: str | None = None
    #: Camera views the rules are run from.
    views: frozenset[str] = frozenset({"side", "oblique"})
    #: Set-wide references computed once per shot before the rules run.
    prepare: Callable[[RuleContext], None] | None = None
    #: Why a recognised lift without rules gets no verdict.
    not_judged_reason: str = ""
    #: Label fault names (rendered and real labels) -> the rule that should flag them.
    label_faults: dict[str, str] = field(default_factory=dict)
    #: Per-rep form label names (../shared/videos/labels_form.json, two raters) -> the rule that should flag them.
    form_faults: dict[str, str] = field(default_factory=dict)
    #: Report hints: threshold lines on the HTML plots and the annotated video's gauge.
    limit_lines: tuple[LimitLine, ...] = ()
    gauge: Gauge | None = None
    #: One leg does the work (single-leg, B-stance): the leg metrics read that leg only
    #: (:func:`formcheck.variants.working_leg_only`).
    one_leg: bool = False
    #: One hand holds the weight (a single-arm RDL): the hand metrics read that hand
    #: (:func:`formcheck.variants.loaded_hand_only`).
    one_arm: bool = False
    #: Every rep starts and ends standing on both feet, which stay planted in between (an RDL): a foot point drawn
    #: anywhere inside a rep whose standing ends agree is the planted foot mis-drawn, and is read where it stood
    #: (:func:`formcheck.feet.pin_planted_feet` with no distance limit). Off for floor pulls, whose rep ends are
    #: at the floor where the plates hide the feet, and for one-leg variants, whose free foot moves; an unknown lift
    #: has it when every candidate has it (:func:`formcheck.exercises.detect.unknown_lift`).
    planted_feet: bool = False

    @property
    def judged(self) -> bool:
        return bool(self.rules)

    def settings(self, config: Any) -> Any:
        """This lift's section of a :class:`formcheck.config.Config`."""
        return getattr(config, self.config_section) if self.config_section else None


def finite(x: float | None) -> bool:
    return x is not None and bool(np.isfinite(x))


def grade_above(value: float, threshold: float, margin: float) -> Verdict:
    """pass at or under ``threshold``; warn up to ``threshold + margin``; fault beyond."""
    if value <= threshold:
        return "pass"
    return "warn" if value <= threshold + margin else "fault"


def grade_below(value: float, threshold: float, margin: float) -> Verdict:
    """pass at or over ``threshold``; warn down to ``threshold - margin``; fault below."""
    if value >= threshold:
        return "pass"
    return "warn" if value >= threshold - margin else "fault"


def _window(ctx: RuleContext, name: str, a: int, b: int, trusted_only: bool) -> np.ndarray:
    """Signal ``name`` over [a, b); with ``trusted_only``, NaN where a body point it is computed from is not
    evidence (:attr:`RuleContext.trust`)."""
    w = ctx.series[name][a:b]
    if trusted_only and ctx.trust is not None:
        w = np.where(ctx.trust.untrusted(METRIC_JOINTS.get(name, ()))[a:b], np.nan, w)
    return w


def extreme(
    ctx: RuleContext, name: str, a: int, b: int, kind: str, trusted_only: bool = False
) -> tuple[float, int | None]:
    """(value, frame) of the max or min of signal ``name`` over [a, b), NaN-aware. With ``trusted_only``, only the
    frames where every body point the signal is computed from is evidence (:attr:`RuleContext.trust`): the extreme
    of a window is where a guessed point shows first."""
    w = _window(ctx, name, a, b, trusted_only)
    if w.size == 0 or np.all(np.isnan(w)):
        return float("nan"), None
    i = int(np.nanargmax(w) if kind == "max" else np.nanargmin(w))
    return float(w[i]), a + i


def below_hips(ctx: RuleContext, name: str, a: int, b: int) -> np.ndarray:
    """Signal ``name`` over [a, b) where the hands are below the hips, NaN elsewhere: above them a bar's
    distance from the legs says nothing."""
    below = ctx.series["wrist_height"][a:b] < ctx.series["hip_height"][a:b]
    return np.where(below, ctx.series[name][a:b], np.nan)


def window_median(ctx: RuleContext, name: str, a: int, b: int, trusted_only: bool = False) -> float:
    """Median of signal ``name`` over frames [a, b), NaN-aware; NaN when none was measured. With ``trusted_only``,
    only the frames where every body point the signal is computed from is evidence (:attr:`RuleContext.trust`)."""
    w = _window(ctx, name, a, b, trusted_only)
    return float(np.nanmedian(w)) if np.any(np.isfinite(w)) else float("nan")


def start_value(ctx: RuleContext, name: str, rep: Rep) -> float:
    """Value at the start of the descent: median over the few frames before it leaves the top."""
    return window_median(ctx, name, *Phase.START.window(rep))


#: How a signal is named in a "could not be measured" reason when its name does not say it well.
SIGNAL_WORDS = {"bar_to_leg": "the hands (bar)", "hip_deg": "the hip angle", "knee_deg": "the knee angle"}
#: Unit endings of signal names (``knee_flexion_deg``), left out when a signal is named in words.
UNIT_ENDINGS = ("_deg", "_leg", "_torso", "_ratio", "_foot")


def signal_words(name: str) -> str:
    """A signal named in words: ``knee_flexion_deg`` -> "knee flexion"."""
    if name in SIGNAL_WORDS:
        return SIGNAL_WORDS[name]
    for ending in UNIT_ENDINGS:
        if name.endswith(ending):
            name = name[: -len(ending)]
            break
    return name.replace("_", " ")


def why_unmeasured(ctx: RuleContext, name: str, frames: IntArray) -> str | None:
    """Why signal ``name`` has no value at ``frames``, in words: the body point it is computed from that was not
    measured in most of them (:meth:`~formcheck.trust.TrustTable.least_seen_at`; else the one least trusted) and its
    most specific reason (:meth:`~formcheck.trust.TrustTable.worst_at`); None without a trust table or a reason. A
    point with no position at all is "not seen", not "filled in between frames"."""
    if ctx.trust is None or frames.size == 0:
        return None
    joints = METRIC_JOINTS.get(name, ())
    lacking = ctx.trust.least_seen_at(joints, frames)
    worst = ctx.trust.worst_at((lacking,) if lacking else joints, frames)
    if worst is None:
        return None
    joint, reason = worst
    if reason is Reason.NOT_MEASURED:
        return f"the {joint} was not seen (hidden or out of frame)"
    return describe(joint, reason)


def missing(ctx: RuleContext, names: tuple[str, ...], a: int, b: int, where: str = "this rep") -> str | None:
    """A reason when any needed signal is missing in too much of [a, b) (``where``, in words): how much, and the
    body point behind it and why when the trust table says (:func:`why_unmeasured`)."""
    for name in names:
        w = ctx.series[name][a : max(b, a + 1)]
        measured = float(np.mean(~np.isnan(w))) if w.size else 0.0
        if measured < MIN_MEASURED_FRACTION:
            words = signal_words(name)
            why = why_unmeasured(ctx, name, a + np.flatnonzero(np.isnan(w)))
            if why is None:
                return f"{words} could not be measured in this rep (landmarks hidden or out of frame)"
            return f"{words} could not be measured in {1.0 - measured:.0%} of {where}: {why}"
    return None


#: Why a rule that compares with the start position skips a rep whose descent was not filmed: the clip's first rep.
NO_DESCENT = "the clip starts below the top, so this rep's descent was not filmed"


def no_descent_reason(ctx: RuleContext, rep: Rep) -> str:
    """Why ``rep``'s descent from the top was not seen: the clip opens below the top (:data:`NO_DESCENT`: nothing
    was measured before the rep started); the rep is a pull from a set-up held at the bottom longer than a rep's
    pause, left out of the rep (:attr:`Rep.setup_s`: clip_089's 19-second set-up at the bar); or, later in the clip,
    the lifter was already below the top where the rep starts (a cut of the picture, such as looping footage's seam,
    the lifter lost for a while, or no full stand since the last rep)."""
    hip = ctx.series["hip_deg"]
    if rep.start <= 0 or not np.isfinite(hip[: rep.start]).any():
        return NO_DESCENT
    if rep.setup_s is not None:
        return (
            f"this rep is a pull from a set-up held at the bottom from {rep.t_start - rep.setup_s:.1f} s to "
            f"{rep.t_start:.1f} s, not a lowering from the top, so there is no descent to judge"
        )
    return (
        f"this rep's descent from the top was not seen: the lifter was already below the top at {rep.t_start:.1f} s, "
        "after a cut in the picture, a loss of the lifter or a rep without a full stand"
    )


def rule_joints(rule: Rule) -> tuple[str, ...]:
    """The body points a rule's needed signals are computed from (the ``joints`` column of ``METRICS``)."""
    out: list[str] = []
    for name in rule.needs:
        out += [j for j in METRIC_JOINTS.get(name, ()) if j not in out]
    return tuple(out)


@dataclass(frozen=True)
class EvidenceSet:
    """Joints a rule reads in the same frames of a rep, and where those are in words ("the bottom")."""

    joints: tuple[str, ...]
    frames: IntArray
    words: str


def _frames(phases: tuple[Phase, ...], rep: Rep) -> IntArray:
    """The frames of ``phases``' windows in ``rep``, each once, in order."""
    parts = [span_frames(*p.window(rep)) for p in phases]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def declares_evidence(rule: Rule) -> bool:
    """The rule names the frames it reads (:attr:`Rule.evidence`, :attr:`Rule.joint_evidence`)."""
    return bool(rule.evidence or rule.joint_evidence)


def evidence_sets(rule: Rule, rep: Rep, span: tuple[int, int] | None = None) -> list[EvidenceSet]:
    """The frames of ``rep`` in which each of ``rule``'s joints is read, joints read in the same parts grouped.

    A rule that declares no evidence reads all its joints over ``span`` (``[a, b)``) when given, else its phase.
    """
    joints = rule_joints(rule)
    if not declares_evidence(rule):
        a, b = span if span is not None else rule.phase.window(rep)
        words = rule.reads_words if span is not None and rule.reads_words else rule.phase.words
        return [EvidenceSet(joints, span_frames(a, b), words)] if joints else []
    own = dict(rule.joint_evidence)
    groups: dict[tuple[Phase, ...], list[str]] = {}
    for joint in joints:
        groups.setdefault(own.get(joint, rule.evidence or (rule.phase,)), []).append(joint)
    return [EvidenceSet(tuple(js), _frames(phases, rep), phases_words(phases)) for phases, js in groups.items()]


def untrusted(ctx: RuleContext, sets: list[EvidenceSet]) -> str | None:
    """A reason when the joints of one of ``sets`` are evidence in too little of its frames (the set where the
    share is least): "the knee is hidden behind the plate in 60 % of the bottom"."""
    if ctx.trust is None:
        return None
    share, where = trusted_share(ctx.trust, sets)
    if where is None or share >= ctx.trust_config.min_trusted_share:
        return None
    worst = ctx.trust.worst_at(where.joints, where.frames)
    what = describe(*worst) if worst else "the landmarks are not trusted"
    return f"{what} in {1.0 - share:.0%} of {where.words}"


def trusted_share(table: TrustTable, sets: list[EvidenceSet]) -> tuple[float, EvidenceSet | None]:
    """The least share of its frames in which an evidence set's joints are all evidence, and that set (1.0 and
    None when there is none)."""
    shares = [(table.trusted_share_at(s.joints, s.frames), k) for k, s in enumerate(sets) if s.joints]
    if not shares:
        return 1.0, None
    share, k = min(shares)
    return share, sets[k]


def run_rule(rule: Rule, ctx: RuleContext, rep: Rep) -> Finding:
    """The one shared step: skip with the reason when what ``rule`` needs is missing or not evidence, else
    judge; a judgement on evidence not trusted enough is at most a warning, and every verdict gets a confidence."""
    if rule.set_aside:
        return finding(rule, rep, ctx, skip(rule.set_aside))
    if reason := ctx.blocked.get(rule.id):
        return finding(rule, rep, ctx, skip(reason))
    if not rule.validated_for(ctx.rules):
        return finding(rule, rep, ctx, skip(rule.unvalidated))
    if rule.needs_descent and rep.eccentric_s is None:
        return finding(rule, rep, ctx, skip(no_descent_reason(ctx, rep)))
    if rule.tolerates and ctx.trust is not None:
        ctx = replace(ctx, trust=ctx.trust.tolerating(rule.tolerates))
    a, b = rule.phase.window(rep)
    if why := missing(ctx, rule.needs, a, b, rule.phase.words):
        return finding(rule, rep, ctx, skip(why))
    read = rule.reads(ctx, rep) if rule.reads is not None and not declares_evidence(rule) else None
    if why := untrusted(ctx, evidence_sets(rule, rep, read)):
        return finding(rule, rep, ctx, skip(why))
    judged = rule.check(ctx, rep)
    off = ctx.off_side_deg
    limit = float(
        getattr(ctx.rules, rule.pass_max_off_side, ctx.pass_max_off_side_deg)
        if rule.pass_max_off_side
        else ctx.pass_max_off_side_deg
    )
    if judged.verdict == "pass" and rule.blind_pass_reason and off is not None and off > limit:
        why = f"{rule.blind_pass_reason} (this shot: {off:.0f}° off the side as measured)"
        return finding(rule, rep, ctx, skip(why))
    j, confidence = weigh(rule, ctx, judged, rep)
    return finding(rule, rep, ctx, j, confidence)


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def positive(value: float | None) -> float | None:
    """``value`` when it is a positive finite number, else None (an uncertainty of 0: no margin)."""
    return float(value) if value is not None and math.isfinite(value) and value > 0 else None


def rule_uncertainty(rule: Rule, settings: Any, pure_side: bool = True) -> float | None:
    """The measurement uncertainty of ``rule``'s reading (its unit) from the lift's config section, or None when
    the rule names none (or the section lacks it, or sets it to 0); from a shot past the pure side view
    (``pure_side`` False), :attr:`Rule.max_off_side_uncertainty` when the rule names one."""
    key = rule.max_off_side_uncertainty if not pure_side and rule.max_off_side_uncertainty else rule.uncertainty
    if not key or settings is None:
        return None
    return positive(getattr(settings, key, None))


def judgement_uncertainty(rule: Rule, ctx: RuleContext, j: Judgement) -> float | None:
    """The uncertainty of a judgement's value: its own (a second measure the rule fell back on) or the rule's from
    the shot's view (:func:`rule_uncertainty`; a pass of a rule whose errors off the side run towards a flag only,
    :attr:`Rule.off_side_errs_towards_flag`, keeps the pure side view's)."""
    if j.uncertainty is not None:
        return positive(j.uncertainty)
    pure_side = ctx.pure_side or (rule.off_side_errs_towards_flag and j.verdict == "pass")
    return rule_uncertainty(rule, ctx.rules, pure_side)


def within_uncertainty(value: float | None, line: float | None, uncertainty: float | None) -> bool:
    """Whether ``value`` lies within ``± uncertainty`` of ``line`` (False when any is unknown)."""
    if not uncertainty or not (finite(value) and finite(line)):
        return False
    return abs(float(value) - float(line)) <= uncertainty  # type: ignore[arg-type]


def separable(j: Judgement, uncertainty: float | None) -> bool:
    """Whether the rule can tell COACHING.md §1's fine size from its fault size (COACHING.md §4): both stated
    (:attr:`Judgement.fine_line`, :attr:`Judgement.fault_line`, in the reading's units, bias removed) and at least
    :data:`CUT_MIN_GAP_SDS` SDs of the measurement scatter (``uncertainty`` / :data:`UNCERTAINTY_SDS`) apart."""
    if not (uncertainty and finite(j.fine_line) and finite(j.fault_line)):
        return False
    gap = abs(float(j.fault_line) - float(j.fine_line))  # type: ignore[arg-type]
    return gap > 0 and gap >= CUT_MIN_GAP_SDS * uncertainty / UNCERTAINTY_SDS


def fault_from(j: Judgement, uncertainty: float | None) -> float | None:
    """The reading past which a flagged rep is a fault when the rule tells its fine size from its fault size
    (:func:`separable`), else None. COACHING.md §4: past the cut halfway between the fine and the fault size, and
    "fault only when the margin exceeds [the uncertainty]", the margin counted from the fine size: a fault is a
    reading no fine rep gives within its uncertainty and that lies nearer the fault size than the fine one. With the
    sizes 3.3 SDs apart (the least §4 allows) this line is 2 SDs past the fine size and 1.3 SDs short of the fault
    size: about 90 % of reps at the fault size are faults and 2 % of reps at the fine size flagged as faults."""
    if not separable(j, uncertainty):
        return None
    fine, fault = float(j.fine_line), float(j.fault_line)  # type: ignore[arg-type]
    sign = 1.0 if fault > fine else -1.0
    return fine + sign * max(abs(fault - fine) / 2.0, float(uncertainty))  # type: ignore[arg-type]


def margin_line(j: Judgement, uncertainty: float | None) -> float | None:
    """The line a fault's margin is measured from (COACHING.md §4): the fine size when the rule tells it from the
    fault size (:func:`separable`; a fault then also needs the cut, :func:`fault_from`), else the fault line."""
    return j.fine_line if separable(j, uncertainty) else j.fault_line


def claim_line(j: Judgement, uncertainty: float | None = None) -> float | None:
    """The line a verdict claims the true value is past (a fault: the line its margin is measured from,
    :func:`margin_line`) or short of (a pass: the threshold); a warning claims it is past the threshold."""
    if j.verdict == "fault" and finite(j.fault_line):
        return margin_line(j, uncertainty)
    return j.threshold


def margin_confidence(j: Judgement, uncertainty: float | None) -> float:
    """The chance that the true value lies on the side of :func:`claim_line` the reading is on, the reading's
    scatter being ``uncertainty`` / :data:`UNCERTAINTY_SDS` (1 when either is unknown)."""
    line = claim_line(j, uncertainty)
    if not uncertainty or not (finite(j.value) and finite(line)):
        return 1.0
    sigma = uncertainty / UNCERTAINTY_SDS
    return _normal_cdf(abs(float(j.value) - float(line)) / sigma)  # type: ignore[arg-type]


def _past(value: float, line: float, j: Judgement) -> bool:
    """Whether ``value`` lies past ``line`` on the fault size's side of the fine size."""
    sign = 1.0 if float(j.fault_line) > float(j.fine_line) else -1.0  # type: ignore[arg-type]
    return (value - line) * sign > 0


def grade_from_cut(j: Judgement, uncertainty: float | None, unit: str) -> Judgement:
    """COACHING.md §1 and §4 for a rule that tells its fine size from its fault size (:func:`separable`): a rep
    its check flagged (a warning or a fault) is a fault when its reading is past :func:`fault_from` (the cut, and
    the uncertainty from the fine size), else a warning that says why; anything else is left alone. Run before the
    evidence's trust is weighed (:func:`weigh`), which may still cap a fault at a warning."""
    line = fault_from(j, uncertainty)
    if line is None or j.verdict not in ("warn", "fault") or not finite(j.value):
        return j
    fine, fault = amount(j.fine_line, unit), amount(j.fault_line, unit)  # type: ignore[arg-type]
    cut = amount((float(j.fine_line) + float(j.fault_line)) / 2.0, unit)  # type: ignore[arg-type]
    if _past(float(j.value), line, j):  # type: ignore[arg-type]
        if j.verdict == "fault":
            return j
        why = f"a fault: past the {amount(line, unit)} fault line, set between the {fine} fine size and the {fault} fault size"
        return replace(j, verdict="fault", message=f"{j.message} ({why})")
    if j.verdict == "warn":
        return j
    if _past(float(j.value), (float(j.fine_line) + float(j.fault_line)) / 2.0, j):  # type: ignore[arg-type]
        why = f"within the ±{amount(uncertainty, unit)} measurement uncertainty of the {fine} fine size"  # type: ignore[arg-type]
    else:
        why = f"short of the {cut} cut between the {fine} fine size and the {fault} fault size"
    return replace(j, verdict="warn", message=f"{j.message} (at most a warning: {why})")


def apply_margin(j: Judgement, uncertainty: float | None, unit: str) -> Judgement:
    """COACHING.md §4: a fault only when its reading is past its fault line by more than the measurement
    uncertainty, else at most a warning, with the reason; for a rule that tells its fine size from its fault size
    (:func:`separable`) the fault stands when its reading is past :func:`fault_from` instead (the cut, and the
    uncertainty from the fine size: :func:`grade_from_cut`, which never raises a warning here). A pass within the
    uncertainty of its threshold stays a pass (no flag is invented) and says so."""
    if separable(j, uncertainty):
        if j.verdict == "fault":
            return grade_from_cut(j, uncertainty, unit)
    elif j.verdict == "fault" and within_uncertainty(j.value, j.fault_line, uncertainty):
        near = f"{amount(j.fault_line, unit)} fault line"  # type: ignore[arg-type]
        why = f"at most a warning: within the ±{amount(uncertainty, unit)} measurement uncertainty of the {near}"  # type: ignore[arg-type]
        return replace(j, verdict="warn", message=f"{j.message} ({why})")
    if j.verdict == "pass" and within_uncertainty(j.value, j.threshold, uncertainty):
        why = (
            f"within the ±{amount(uncertainty, unit)} measurement uncertainty of the {amount(j.threshold, unit)} limit"  # type: ignore[arg-type]
        )
        return replace(j, message=f"{j.message} ({why}: too close to call)")
    return j


def weigh(rule: Rule, ctx: RuleContext, j: Judgement, rep: Rep) -> tuple[Judgement, float | None]:
    """Cap a judgement at a warning when its evidence is not trusted enough or its reading is within the
    measurement uncertainty of its fault line, and say how sure it is.

    COACHING.md §6: a fault needs measured, trusted frames at its evidence (its key frame, and at least
    ``marginal_share`` of its evidence frames: the frames the rule declares it reads, :func:`evidence_sets`, else
    the judgement's span or the rule's phase); marginal trust makes it a warning, with the reason. §4: a fault
    needs its reading past the fault line by more than the rule's uncertainty (:func:`apply_margin`), or, for a
    rule that tells its fine size from its fault size, past the cut between them and the uncertainty from the fine
    size, which grades a rep its check flagged before its trust is weighed (:func:`grade_from_cut`).
    Confidence = share of trusted evidence frames x the view's confidence x the chance that the true value lies
    on the side of the verdict's line the reading is on (:func:`margin_confidence`).
    """
    if j.verdict == "not_checked":
        return j, None
    uncertainty = judgement_uncertainty(rule, ctx, j)
    j = grade_from_cut(j, uncertainty, rule.unit)
    cfg = ctx.trust_config
    sets = evidence_sets(rule, rep, (j.span[0], j.span[1] + 1) if j.span is not None else None)
    share, why = 1.0, ""
    if ctx.trust is not None:
        share, where = trusted_share(ctx.trust, sets)
        # the joints read at the key frame: all of them, unless the rule declares some are read elsewhere
        at_key = (
            [jt for s in sets if j.frame is not None and bool(np.any(s.frames == j.frame)) for jt in s.joints]
            if declares_evidence(rule)
            else list(rule_joints(rule))
        )
        if j.frame is not None and 0 <= j.frame < len(ctx.trust.flags) and ctx.trust.untrusted(at_key)[j.frame]:
            worst = ctx.trust.worst(at_key, j.frame, j.frame + 1)
            why = f"{describe(*worst)} at the key frame" if worst else ""
        elif where is not None and share < cfg.marginal_share:
            worst = ctx.trust.worst_at(where.joints, where.frames)
            why = f"{describe(*worst)} in {1.0 - share:.0%} of the evidence" if worst else ""
    if why and j.verdict in ("warn", "fault"):
        note = "at most a warning: " if j.verdict == "fault" else ""
        j = replace(j, verdict="warn", message=f"{j.message} ({note}{why})")
    j = apply_margin(j, uncertainty, rule.unit)
    view = ctx.view_confidence if np.isfinite(ctx.view_confidence) else 1.0
    return j, round(max(0.0, min(1.0, share * view * margin_confidence(j, uncertainty))), 2)


#: Decimals a fault line is written with (it is a cut computed from settings: 0.14, not 0.13999999999999999).
LINE_DIGITS = 4


def _rounded_line(line: float | None) -> float | None:
    return round(float(line), LINE_DIGITS) if line is not None and math.isfinite(line) else None


def finding(rule: Rule, rep: Rep, ctx: RuleContext, j: Judgement, confidence: float | None = None) -> Finding:
    """A finding with its evidence: time range (from frame indices), key frame, value with its measurement
    uncertainty, threshold and fault line, confidence."""
    t = ctx.series.t
    a, b = j.span if j.span is not None else (rep.start, max(rep.end - 1, rep.start))
    b = min(max(b, a), len(t) - 1)
    flagged = j.verdict in ("warn", "fault")
    judged = j.verdict != "not_checked"
    value = None if j.value is None or not np.isfinite(j.value) else round(float(j.value), 2)
    uncertainty = judgement_uncertainty(rule, ctx, j)
    # a rule that tells its fine size from its fault size gives faults past the cut (fault_from), not its fault size
    cut = fault_from(j, uncertainty)
    fault_line = cut if cut is not None else j.fault_line
    return Finding(
        rule=rule.id,
        rep=rep.index,
        verdict=j.verdict,
        metric=rule.metric,
        value=value,
        threshold=None if j.threshold is None or not judged else float(j.threshold),
        unit=rule.unit,
        t_start=round(float(t[a]), 3),
        t_end=round(float(t[b]), 3),
        frame=None if j.frame is None or not judged else int(ctx.series.frame_index[j.frame]),
        message=j.message,
        cue=rule.cue if flagged else "",
        confidence=confidence if judged else None,
        uncertainty=uncertainty if judged and value is not None else None,
        fault_line=_rounded_line(fault_line) if judged else None,
    )


def not_checked(rule: Rule, rep: Rep, ctx: RuleContext, reason: str) -> Finding:
    """A finding for a rule that could not look at this rep (view, lockout out of view, ...)."""
    return finding(rule, rep, ctx, skip(reason))
