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


def not_validated_words(count: int) -> str:
    """Why the rules a lift does not judge yet get no verdict, for ``count`` of them (each rule's own reason is in
    the JSON and HTML reports and ``formcheck rules --why``)."""
    return f"no measurement validated for {'it' if count == 1 else 'them'} on this lift yet"


def not_judged_yet_line(titles: list[str]) -> str:
    """The terminal's one line for the rules a lift does not judge yet, by title."""
    return (
        f"○ Not judged yet: {', '.join(titles)} ({not_validated_words(len(titles))}; the reasons: the JSON or HTML "
        "report, or formcheck rules --why)"
    )


def not_judged_yet(finding, lift_rules) -> bool:
    """Whether a not-checked finding is its rule's standing "not judged yet" (:attr:`Rule.unvalidated` of the lift's
    rule of that id), not a reason of this clip or rep (a hidden joint, the view)."""
    return finding.verdict == "not_checked" and any(
        rule.id == finding.rule and rule.unvalidated and finding.message == rule.unvalidated for rule in lift_rules
    )


def when_judged(rule, settings, config) -> str:
    """Where a rule gives verdicts, in words: "not yet" (:meth:`Rule.validated_for` its ``settings``), from a pure
    side view, from near the side, from the side and oblique views, or from every view (the view limits of
    :class:`formcheck.config.DetectConfig`, in degrees off side; a rule's own, :attr:`Rule.max_off_side` in its
    ``settings``, where rendered truth validated it further round)."""
    if not rule.validated_for(settings):
        return "not yet"
    detect = config.detect
    # a rule validated further round than its view class (Rule.max_off_side) is judged up to its own angle
    limit = getattr(settings, rule.max_off_side, None) if rule.max_off_side else None
    if rule.side_view_only:
        if limit is not None:
            return f"side views up to {limit:.0f}° off"
        return f"pure side view (≤ {90 - detect.pure_side_min_yaw_deg:.0f}° off)"
    if rule.off_side_reason:
        near = 90 - detect.near_side_min_yaw_deg
        if limit is not None and limit > near:
            return f"side and oblique views up to {limit:.0f}° off"
        return f"near the side (≤ {near if limit is None else limit:.0f}° off)"
    if rule.along_the_body:
        return "every view: side, oblique, front and back"
    return "side and oblique views"


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


#: How a value in each rule unit is written after its number.
UNIT_SUFFIX = {"deg": "°", "s": " s", "leg": " leg lengths", "foot": " foot lengths", "px": " px", "ratio": ""}
#: Decimals a value in each unit is written with (degrees: whole degrees).
UNIT_DIGITS = {"leg": 2, "foot": 2, "ratio": 2, "s": 2}


def unit_suffix(unit: str) -> str:
    """ "°" for degrees, " s" for seconds, " leg lengths" ...; the unit itself, spaced, when it has no word."""
    return UNIT_SUFFIX.get(unit, f" {unit}" if unit else "")


def amount(value: float, unit: str, digits: int | None = None) -> str:
    """``value`` in ``unit`` as a report writes it ("3°", "2.5°", "0.03 leg lengths"): the unit's decimals, one
    more when those would round it (a setting of 2.5° is not shown as 2°)."""
    d = UNIT_DIGITS.get(unit, 0) if digits is None else digits
    if digits is None and abs(round(value, d) - value) > 1e-9:
        d += 1
    return f"{value:.{d}f}{unit_suffix(unit)}"


def plus_minus(value: float | None, uncertainty: float | None, unit: str, limit: float | None = None) -> str:
    """A measured value with its measurement uncertainty: "15.8 ± 3°" (one more decimal than the unit's, or more
    when it would read like ``limit``); without an uncertainty just the value; "–" when there is no value."""
    if value is None or not math.isfinite(value):
        return "–"
    d = digits_apart(value, limit, UNIT_DIGITS.get(unit, 0) + (1 if unit == "deg" else 0))
    if uncertainty is None or not math.isfinite(uncertainty):
        return amount(value, unit, d)
    return f"{value:.{d}f} ± {amount(uncertainty, unit)}"


def measurement_line(finding) -> str | None:
    """A finding's measurement in one line, the value with its uncertainty: "measured 45.4 ± 6°, limit 40°, fault
    past 45°"; None without a value."""
    if finding.value is None or not math.isfinite(finding.value):
        return None
    unit = finding.unit
    parts = [f"measured {plus_minus(finding.value, finding.uncertainty, unit, finding.threshold)}"]
    if finding.threshold is not None and math.isfinite(finding.threshold):
        parts.append(f"limit {amount(finding.threshold, unit)}")
    line = finding.fault_line
    if line is not None and math.isfinite(line) and line != finding.threshold:
        parts.append(f"fault past {amount(line, unit)}")
    return ", ".join(parts)
