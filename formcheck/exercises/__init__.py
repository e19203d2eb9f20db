"""The lifts: one module per judged lift, registered once in :data:`LIFTS`.

Everything else (the CLI's ``--exercise`` choices, the report labels, the rule listing, evaluation,
the plots and gauges) reads this table. To add a lift, see "Adding a lift" in docs/ARCHITECTURE.md.
``detect`` says which lift and which view a clip shows.
"""

from __future__ import annotations

from . import deadlift, hip_thrust, rdl
from .base import Lift, Rule

#: Lifts that are recognised but have no rules of their own (yet): the reason is shown instead of verdicts.
UNJUDGED: tuple[Lift, ...] = (
    Lift(
        "good_morning",
        "hinge",
        "good morning",
        not_judged_reason="this looks like a good morning (bar on the back): the RDL rules do not apply",
    ),
    Lift(
        "squat",
        "other",
        "squat",
        not_judged_reason="this looks like a squat: formcheck judges hip thrusts, glute bridges, Romanian and conventional deadlifts only",
    ),
    Lift("other", "other", "no recognised lift"),
    Lift("none", "other", "no lift"),
)

#: Every lift formcheck knows, by id (the name used in reports, labels and ``--exercise``).
LIFTS: dict[str, Lift] = {
    lift.id: lift
    for lift in (
        hip_thrust.LIFT,
        hip_thrust.GLUTE_BRIDGE,
        rdl.LIFT,
        rdl.STIFF_LEG,
        rdl.SINGLE_LEG,
        deadlift.LIFT,
        *UNJUDGED,
    )
}

#: Lift id -> family ("bridge", "hinge", "other").
FAMILY: dict[str, str] = {lift_id: lift.family for lift_id, lift in LIFTS.items()}

#: Why a clip gets no verdicts when no judged lift was recognised.
NO_JUDGED_LIFT = "no hip thrust, glute bridge, RDL or deadlift recognised in this clip"


def get_lift(lift_id: str) -> Lift:
    """The lift with this id; unknown ids are "other" (no rules)."""
    return LIFTS.get(lift_id, LIFTS["other"])


def judged_lifts() -> tuple[Lift, ...]:
    """Lifts that have rules, in registry order."""
    return tuple(lift for lift in LIFTS.values() if lift.judged)


def rules_for(lift_id: str) -> tuple[Rule, ...]:
    return get_lift(lift_id).rules


def all_rules() -> tuple[tuple[Lift, Rule], ...]:
    """Every rule once, with the first lift that owns it (lifts may share rules: hip thrust and glute bridge)."""
    seen: set[str] = set()
    out: list[tuple[Lift, Rule]] = []
    for lift in judged_lifts():
        for rule in lift.rules:
            if rule.id not in seen:
                seen.add(rule.id)
                out.append((lift, rule))
    return tuple(out)


def label_faults() -> dict[str, str]:
    """Label fault name -> the rule that should flag it, over every lift."""
    out: dict[str, str] = {}
    for lift in judged_lifts():
        out.update(lift.label_faults)
    return out


__all__ = ["FAMILY", "LIFTS", "Lift", "Rule", "all_rules", "get_lift", "judged_lifts", "label_faults", "rules_for"]
