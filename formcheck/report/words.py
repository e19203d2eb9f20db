"""What the terminal and HTML reports say the same way: rules by their plain-language title (the id is a small
tag; the JSON keeps ids), one fatigue line per set, each warning once, no range-of-motion line without angles."""

from __future__ import annotations

import math
from functools import cache


@cache
def _titles() -> dict[str, str]:
    from ..exercises import all_rules

    return {rule.id: rule.title for _, rule in all_rules()}


def rule_title(rule_id: str) -> str:
    """``ht.look_at_wall`` -> "Eyes on the wall, head not cranked back" (the id itself when it has no title)."""
    return _titles().get(rule_id, rule_id)


def fatigue_line(fatigue) -> str | None:
    """The set's fatigue signs (rules kept early and broken on the last reps) as one sentence, or None."""
    if not fatigue:
        return None
    parts = [
        f"{rule_title(f.rule)} (rep{'s' if len(f.reps) > 1 else ''} {', '.join(map(str, f.reps))})" for f in fatigue
    ]
    return f"{'; '.join(parts)}: broke down on the last reps after clean early reps"


def warnings_shown(analysis) -> list:
    """The analysis's warnings without the one that repeats why nothing was judged (said once, as the reason)."""
    reason = (analysis.not_judged_reason or "").strip().rstrip(".")
    if analysis.judged or not reason:
        return list(analysis.warnings)
    return [w for w in analysis.warnings if reason not in w.message and w.message.rstrip(".") not in reason]


def has_values(values) -> bool:
    """Whether any of ``values`` (ranges of motion, times) is a finite number: a line of dashes says nothing."""
    return any(v is not None and math.isfinite(v) for v in values)


#: Most decimals :func:`digits_apart` adds to tell a value from its limit.
MAX_EXTRA_DIGITS = 3


def digits_apart(value: float | None, limit: float | None, digits: int) -> int:
    """Decimals to print ``value`` and ``limit`` with: ``digits``, or more (up to :data:`MAX_EXTRA_DIGITS`) when at
    ``digits`` they would read the same although they differ ("0.97 s" against "1.0 s", not "1.0 s" against
    "1.0 s")."""
    if value is None or limit is None or not (math.isfinite(value) and math.isfinite(limit)) or value == limit:
        return digits
    for extra in range(MAX_EXTRA_DIGITS + 1):
        if f"{value:.{digits + extra}f}" != f"{limit:.{digits + extra}f}":
            return digits + extra
    return digits + MAX_EXTRA_DIGITS
