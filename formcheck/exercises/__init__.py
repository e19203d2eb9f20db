"""One module per lift: its rules with documented defaults; ``detect`` says which lift and view."""

from __future__ import annotations

from types import ModuleType

from . import hip_thrust, rdl
from .base import Rule

#: Lifts that have rules, by the name used in reports and ``--exercise``.
JUDGED: dict[str, ModuleType] = {"hip_thrust": hip_thrust, "glute_bridge": hip_thrust, "rdl": rdl}


def rules_for(exercise: str) -> tuple[Rule, ...]:
    module = JUDGED.get(exercise)
    return module.RULES if module else ()


def all_rules() -> tuple[Rule, ...]:
    return hip_thrust.RULES + rdl.RULES
