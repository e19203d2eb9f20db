"""formcheck.summary: the set summary on hand-made reps and findings with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import RepConfig
from formcheck.summary import measured_ranges, rom_trend, summarise
from formcheck.trust import Reason, TrustTable
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


def test_three_reps_whose_ranges_differ_by_the_noise_are_steady():
    """clip_084 (a single-leg RDL from the side, three distinct reps): 104, 108, 109 deg read "growing" at 2.5 deg a
    rep. A rep's range reads 3.3 deg (SD) off its set's other reps from the side (rendered sets): noise alone tilts a
    line through three reps by 2.3 deg a rep (SD), so 2.5 is not a change; the same rise over six reps is."""
    three = [_rep(i, rom=v) for i, v in enumerate([104.0, 108.0, 109.0], start=1)]
    s = summarise(three, [], None)
    assert s.rom_trend == "steady" and np.isclose(s.rom_trend_deg_per_rep, 2.5)
    six = [_rep(i, rom=104.0 + 2.5 * (i - 1)) for i in range(1, 7)]
    assert summarise(six, [], None).rom_trend == "growing"


def test_a_range_trend_off_the_side_needs_more_than_from_the_side():
    """Filmed off the side a rep's range reads nearly twice as far off (5.9 against 3.3 deg on rendered
    sets): four reps shrinking 4 deg a rep are a change from the side, not from an angle."""
    reps = [_rep(i, rom=110.0 - 4 * i) for i in range(1, 5)]
    assert summarise(reps, [], None, from_side=True).rom_trend == "shrinking"
    assert summarise(reps, [], None, from_side=False).rom_trend == "steady"


def test_ranges_that_zigzag_are_no_trend():
    """clip_003: 56, 100, 79 deg read "growing" at 11.6 deg a rep; the ranges scatter 26 deg about that line, so
    its slope is known to 19 deg a rep. A steady fall with the same scatter over more reps still reads."""
    s = summarise([_rep(i, rom=v) for i, v in enumerate([56.1, 100.1, 79.2], start=1)], [], None)
    assert s.rom_trend == "steady" and np.isclose(s.rom_trend_deg_per_rep, 11.55)
    falling = [120.0 - 6 * i + (4.0 if i % 2 else -4.0) for i in range(8)]
    assert summarise([_rep(i + 1, rom=v) for i, v in enumerate(falling)], [], None).rom_trend == "shrinking"


def test_rom_trend_from_config():
    """Both limits are settings: with the noise allowance off, the per-rep minimum alone decides."""
    cfg = RepConfig(rom_trend_sds=0.0)
    assert rom_trend([104.0, 108.0, 109.0], 2.5, cfg) == ("growing", pytest.approx(2.5))
    assert rom_trend([100.0, 101.0, 102.0], 2.5, cfg)[0] == "steady"
    assert rom_trend([100.0, None, 101.0], 2.5, cfg) == ("unknown", None)


@pytest.mark.parametrize("ranges", [[106.0], [100.0, 120.0], [100.0, float("nan"), 120.0]])
def test_one_or_two_measured_ranges_have_no_trend(ranges):
    """clip_089, one pull: the summary said "ROM 106° (steady)". Two points fit any line, so under three measured
    ranges the trend is "unknown" and the reports name none."""
    s = summarise([_rep(i + 1, rom=v) for i, v in enumerate(ranges)], [], None)
    assert s.rom_trend == "unknown" and s.rom_trend_deg_per_rep is None


# -- ranges read from joints that were not evidence (COACHING.md §6) ---------------------------------------------

JOINTS = ("shoulder", "hip", "knee", "ankle", "wrist")


def _table(n: int, flagged: dict[str, list[int]], reason: Reason = Reason.BEHIND_PLATE) -> TrustTable:
    flags = np.zeros((n, len(JOINTS)), np.uint8)
    for joint, frames in flagged.items():
        flags[frames, JOINTS.index(joint)] = int(reason)
    return TrustTable(JOINTS, flags)


def test_a_range_read_from_a_knee_behind_the_plate_at_the_bottom_is_not_given():
    reps = [_rep(i, rom=80.0 + 20 * (i == 2)) for i in range(1, 5)]
    # rep 2's bottom is frame 24: the knee is behind the plate in its bottom window (21-27)
    table = _table(50, {"knee": list(range(20, 29))})
    out, warning = measured_ranges(reps, table, min_share=0.6)
    assert [np.isnan(r.rom_deg) for r in out] == [False, True, False, False]
    assert np.isnan(out[1].bottom_deg) and np.isnan(out[1].top_deg)
    assert out[0] is reps[0], "a rep whose range was seen is passed on unchanged"
    assert warning is not None and warning.code == "range_not_measured" and warning.severity == "info"
    assert "rep 2:" in warning.message and "the knee is hidden behind the plate at the bottom" in warning.message
    s = summarise(out, [], None)
    assert s.rom_deg == [80.0, None, 80.0, 80.0] and s.rom_trend == "steady"


def test_a_range_whose_top_was_guessed_is_not_given_and_the_reason_names_the_top():
    reps = [_rep(1), _rep(2)]
    # rep 1's top: its lockout (frame 18) to its end (frame 19); the shoulder swapped there
    out, warning = measured_ranges(reps, _table(40, {"shoulder": [18, 19]}, Reason.SWAP), min_share=0.6)
    assert np.isnan(out[0].rom_deg) and not np.isnan(out[1].rom_deg)
    assert warning is not None and "the model swaps the left and right shoulder at the top" in warning.message


def test_a_few_guessed_frames_leave_the_range_measured():
    """Trusted in at least the share a rule needs (here 6 of 7 bottom frames): the range stands."""
    out, warning = measured_ranges([_rep(2)], _table(40, {"hip": [21]}), min_share=0.6)
    assert out[0].rom_deg == 80.0 and warning is None


def test_every_rep_trusted_gives_no_warning_and_the_same_reps():
    reps = [_rep(i) for i in range(1, 4)]
    out, warning = measured_ranges(reps, _table(40, {}), min_share=0.6)
    assert out == reps and warning is None


def test_a_range_already_unknown_is_not_reported_again():
    reps = [_rep(2, rom=float("nan"))]
    out, warning = measured_ranges(reps, _table(40, {"knee": list(range(40))}), min_share=0.6)
    assert np.isnan(out[0].rom_deg) and warning is None


def test_the_warning_lists_every_rep_and_says_when_reasons_differ():
    reps = [_rep(i) for i in range(1, 4)]
    table = _table(40, {"knee": list(range(11, 18))})  # rep 1's bottom
    table.flags[[31, 32, 33, 34, 35, 36, 37], JOINTS.index("hip")] = int(Reason.LOW_VISIBILITY)  # rep 3's bottom
    _, warning = measured_ranges(reps, table, min_share=0.6)
    assert warning is not None
    assert warning.message.startswith("range of motion not given for reps 1, 3: ")
    assert "on 1 of them, and other joints not seen on the rest" in warning.message
