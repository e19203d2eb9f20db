"""formcheck.summary: the set summary on hand-made reps and findings with known answers."""

from __future__ import annotations

import numpy as np

from formcheck.summary import summarise
from formcheck.types import Finding, Rep


def _rep(i: int, rom: float = 80.0, ecc: float | None = 1.0, con: float = 0.8) -> Rep:
    return Rep(
        index=i,
        start=10 * i,
        bottom=10 * i + 4,
        lockout=10 * i + 8,
        end=10 * i + 9,
        t_start=float(i),
        t_bottom=i + 0.4,
        t_lockout=i + 0.8,
        t_end=i + 0.9,
        eccentric_s=ecc,
        bottom_pause_s=0.0,
        concentric_s=con,
        top_pause_s=0.1,
        rom_deg=rom,
        bottom_deg=100.0,
        top_deg=100.0 + rom,
    )


def _f(rule: str, rep: int, verdict: str) -> Finding:
    return Finding(
        rule=rule,
        rep=rep,
        verdict=verdict,
        metric="m",
        value=None,
        threshold=None,
        unit="deg",
        t_start=None,
        t_end=None,
        frame=None,
        message="",
        cue="",
    )


def _summary(verdicts: dict[int, str], n: int | None = None):
    reps = [_rep(i) for i in range(1, (n or len(verdicts)) + 1)]
    return summarise(reps, [_f("r", i, v) for i, v in verdicts.items()], None)


def test_fatigue_when_only_the_last_reps_break_the_rule():
    s = _summary({1: "pass", 2: "pass", 3: "pass", 4: "fault"})
    assert [f.rule for f in s.fatigue] == ["r"] and s.fatigue[0].reps == [4]


def test_no_fatigue_when_an_early_rep_broke_it_too():
    assert _summary({1: "warn", 2: "pass", 3: "pass", 4: "fault"}).fatigue == []


def test_no_fatigue_with_fewer_than_three_judged_reps():
    assert _summary({1: "pass", 2: "fault"}).fatigue == []
    # reps 1-3 could not be judged (filmed from the front): only reps 4 and 5 count
    assert _summary({1: "not_checked", 2: "not_checked", 3: "not_checked", 4: "pass", 5: "fault"}).fatigue == []


def test_fatigue_is_read_over_the_judged_reps_only():
    verdicts = {
        1: "not_checked",
        2: "not_checked",
        3: "not_checked",
        4: "not_checked",
        5: "pass",
        6: "pass",
        7: "pass",
        8: "warn",
    }
    s = _summary(verdicts)
    assert s.fatigue and s.fatigue[0].reps == [8]
    verdicts[5] = "warn"
    assert _summary(verdicts).fatigue == []


def test_unknown_range_and_times_are_null_not_nan():
    reps = [_rep(1), _rep(2, rom=float("nan"), ecc=None, con=float("nan")), _rep(3, rom=70.0)]
    s = summarise(reps, [], None)
    assert s.rom_deg == [80.0, None, 70.0]
    assert s.eccentric_s == [1.0, None, 1.0] and s.concentric_s == [0.8, None, 0.8]
    assert s.rom_trend_deg_per_rep is None, "two known ranges are too few for a trend"


def test_rom_trend():
    reps = [_rep(i, rom=100.0 - 10 * i) for i in range(1, 6)]
    s = summarise(reps, [], None)
    assert s.rom_trend == "shrinking" and np.isclose(s.rom_trend_deg_per_rep, -10.0)
    assert summarise([_rep(i) for i in range(1, 6)], [], None).rom_trend == "steady"
