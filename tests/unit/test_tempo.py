"""The eccentric timed by the shoulders (else the wrists): formcheck.tempo.bar_descent and rdl.tempo through it, on
generated signals with known answers (docs/ACCURACY.md 'The eccentric timed by the shoulders')."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.exercises import rdl
from formcheck.exercises.base import RuleContext, run_rule
from formcheck.tempo import bar_descent
from formcheck.trust import JOINTS, Reason, TrustTable
from formcheck.types import AngleSeries, Rep

CFG = load_config().rdl
TEMPO = next(r for r in rdl.RULES if r.id == "rdl.tempo")
#: the rendered RDL's hip flexion at the top and the bottom, degrees (formcheck.synth.motion.RdlRep)
TOP_DEG, BOTTOM_DEG = -2.0, 78.0


def min_jerk(x: np.ndarray) -> np.ndarray:
    """Progress 0..1 of a minimum-jerk movement at normalised time ``x`` (the renderer's easing)."""
    x = np.clip(x, 0.0, 1.0)
    return x**3 * (10.0 - 15.0 * x + 6.0 * x**2)


class Lift:
    """One RDL rep after a standing hold: the true hip flexion over time (minimum jerk down, a pause, up, a hold)."""

    def __init__(self, eccentric_s: float, fps: float = 30.0, pause_s: float = 0.25, hold_s: float = 1.0) -> None:
        self.fps, self.eccentric_s = fps, eccentric_s
        self.t0 = hold_s  # the descent leaves the top here
        self.t_reach = hold_s + eccentric_s
        self.t_up = self.t_reach + pause_s
        self.t_lock = self.t_up + 1.3
        self.t = np.arange(0.0, self.t_lock + 1.0, 1.0 / fps)
        down = min_jerk((self.t - self.t0) / eccentric_s)
        up = min_jerk((self.t - self.t_up) / 1.3)
        self.flexion = TOP_DEG + (BOTTOM_DEG - TOP_DEG) * (down - up)

    def frame(self, s: float) -> int:
        return int(round(s * self.fps))

    def shoulder(self) -> np.ndarray:
        """The shoulder's height over the torso's length: the torso turns about the hip."""
        return 1.6 + np.cos(np.radians(self.flexion))

    def wrist(self) -> np.ndarray:
        """The wrists hang an arm below the shoulders."""
        return self.shoulder() - 0.75

    def hip_angle(self, lag_s: float = 0.0) -> np.ndarray:
        """The hip angle as read: 180 - flexion, reaching the bottom ``lag_s`` late (the hip landmark trailing)."""
        late = np.interp(self.t - lag_s, self.t, self.flexion)
        return 180.0 - np.where(self.t < self.t_up, late, self.flexion)

    def rep(self, eccentric_read: float | None) -> Rep:
        """The rep counter's rep: its boundaries and its reading of the eccentric (the hip angle's)."""
        start, bottom, lockout = self.frame(self.t0), self.frame(self.t_reach), self.frame(self.t_lock)
        end = len(self.t)
        t = self.t
        return Rep(
            1, start, bottom, lockout, end, t[start], t[bottom], t[lockout], t[end - 1],
            eccentric_read, 0.25, 1.3, 0.5, 80.0, 102.0, 182.0,
        )  # fmt: skip


def read(lift: Lift, level: np.ndarray, usable: np.ndarray | None = None, search_from: int = 0):
    rep = lift.rep(None)
    ok = np.ones(len(level), dtype=bool) if usable is None else usable
    return bar_descent(
        lift.t,
        level,
        ok,
        search_from,
        rep.start,
        rep.lockout,
        CFG.eccentric_span_fraction,
        CFG.eccentric_shoulder_span_share,
        CFG.eccentric_min_travel_torso,
    )


@pytest.mark.parametrize("fps", [10.0, 30.0])
@pytest.mark.parametrize("eccentric_s", [0.7, 1.2, 2.0])
def test_the_shoulders_time_the_descent(fps: float, eccentric_s: float) -> None:
    """The rendered RDL's motion: the reading is the true eccentric within 0.1 s (a frame at 10 fps), and the
    bottom is where the shoulder stops dropping."""
    lift = Lift(eccentric_s, fps)
    got = read(lift, lift.shoulder())
    assert got is not None
    assert got.eccentric_s == pytest.approx(eccentric_s, abs=0.1 if fps == 10.0 else 0.05)
    assert lift.t0 < got.leave_s < got.reach_s < lift.t_reach
    assert got.travel == pytest.approx(np.cos(np.radians(TOP_DEG)) - np.cos(np.radians(BOTTOM_DEG)), abs=0.01)


def test_a_pause_at_the_bottom_is_not_part_of_the_eccentric() -> None:
    paused = read(lift := Lift(1.2, pause_s=1.5), lift.shoulder())
    touch = read(lift := Lift(1.2, pause_s=0.0), lift.shoulder())  # touch and go: straight back up
    assert paused is not None and touch is not None
    assert paused.eccentric_s == pytest.approx(1.2, abs=0.05)
    assert touch.eccentric_s == pytest.approx(1.2, abs=0.05)


def test_a_touch_and_go_rushed_rep_reads_rushed() -> None:
    got = read(lift := Lift(0.7, pause_s=0.0), lift.shoulder())
    assert got is not None and got.eccentric_s == pytest.approx(0.7, abs=0.05)


def test_a_late_counted_start_still_finds_the_top() -> None:
    """The counter may start a rep mid-descent (its hip angle jumped): the top is looked for from ``search_from``."""
    lift = Lift(0.7)
    rep = lift.rep(None)
    mid = lift.frame(lift.t0 + 0.4)
    got = bar_descent(lift.t, lift.shoulder(), np.ones(len(lift.t), bool), 0, mid, rep.lockout, 0.1, 0.41, 0.3)
    assert got is not None and got.eccentric_s == pytest.approx(0.7, abs=0.05)


def test_a_one_frame_spike_does_not_move_the_crossings() -> None:
    lift = Lift(0.7)
    level = lift.shoulder()
    level[lift.frame(lift.t0 + 0.3)] -= 0.8  # the landmark jumps down for a frame mid-descent
    level[lift.frame(lift.t_reach + 0.1)] -= 0.8  # and once in the pause
    got = read(lift, level)
    assert got is not None and got.eccentric_s == pytest.approx(0.7, abs=0.05)


def test_a_gap_at_a_crossing_gives_no_reading() -> None:
    lift = Lift(0.7)
    usable = np.ones(len(lift.t), dtype=bool)
    usable[lift.frame(lift.t0 + 0.1) : lift.frame(lift.t0 + 0.35)] = False  # the shoulder lost as it leaves the top
    assert read(lift, lift.shoulder(), usable) is None
    usable[:] = True
    usable[lift.frame(lift.t0 + 0.4) : lift.frame(lift.t0 + 0.5)] = False  # lost between the crossings: no matter
    got = read(lift, lift.shoulder(), usable)
    assert got is not None and got.eccentric_s == pytest.approx(0.7, abs=0.05)


def test_too_little_travel_gives_no_reading() -> None:
    lift = Lift(0.7)
    assert read(lift, 1.0 + 0.2 * (lift.shoulder() - 1.0)) is None  # a drop of 0.16 torso lengths
    assert read(lift, np.full(len(lift.t), np.nan)) is None


# -- rdl.tempo through the reading ----------------------------------------------------------------------------------
def context(lift: Lift, rep: Rep, untrusted: dict[str, np.ndarray] | None = None, **signals: np.ndarray) -> RuleContext:
    names = tuple(signals)
    series = AngleSeries(
        t=lift.t, names=names, values=np.stack([signals[n] for n in names], axis=1), side="left", facing=1
    )
    flags = np.zeros((len(lift.t), len(JOINTS)), dtype=np.uint8)
    for joint, bad in (untrusted or {}).items():
        flags[bad, JOINTS.index(joint)] = int(Reason.LOW_VISIBILITY)
    return RuleContext(series=series, reps=[rep], rules=CFG, view="side", trust=TrustTable(JOINTS, flags))


def test_rdl_tempo_times_a_fast_descent_by_the_shoulders_where_the_hip_lags() -> None:
    """Issue 10: a 0.7 s eccentric whose hip angle reaches the bottom late reads 1.1 s on the counter; the
    shoulders read 0.7 and the rule faults it."""
    lift = Lift(0.7, fps=10.0)
    rep = lift.rep(1.1)
    ctx = context(lift, rep, hip_deg=lift.hip_angle(0.3), shoulder_level_torso=lift.shoulder())
    j = run_rule(TEMPO, ctx, rep)
    assert j.verdict == "fault"
    assert j.value == pytest.approx(0.7, abs=0.1)
    assert "timed by the shoulders' drop" in j.message
    assert rdl.timed_eccentric(ctx, rep) == (pytest.approx(j.value, abs=0.01), "the shoulders' drop")


def test_rdl_tempo_passes_a_controlled_descent_the_counter_read_short() -> None:
    lift = Lift(1.8)
    rep = lift.rep(0.9)  # the hip angle left the top late
    ctx = context(lift, rep, hip_deg=lift.hip_angle(), shoulder_level_torso=lift.shoulder())
    assert run_rule(TEMPO, ctx, rep).verdict == "pass"


def test_rdl_tempo_falls_back_on_the_wrists_then_on_the_counter() -> None:
    lift = Lift(0.7)
    rep = lift.rep(1.1)
    around_top = np.zeros(len(lift.t), dtype=bool)
    around_top[lift.frame(lift.t0) : lift.frame(lift.t0 + 0.5)] = True
    signals = dict(hip_deg=lift.hip_angle(0.3), shoulder_level_torso=lift.shoulder(), wrist_level_torso=lift.wrist())
    # the shoulders are not evidence as the descent leaves the top: the wrists (the bar) time it
    ecc, by = rdl.timed_eccentric(context(lift, rep, {"shoulder": around_top}, **signals), rep)
    assert by == "the bar's drop" and ecc == pytest.approx(0.7 * CFG.eccentric_shoulder_span_share / 0.41, abs=0.1)
    # neither is: the rep counter's reading stands
    both = {"shoulder": around_top, "wrist": around_top}
    assert rdl.timed_eccentric(context(lift, rep, both, **signals), rep) == (1.1, "the hip angle")
    # no such signals at all (wrists missing, e.g. occluded: NaN): the counter's
    no_wrist = dict(signals, wrist_level_torso=np.full(len(lift.t), np.nan))
    assert rdl.timed_eccentric(context(lift, rep, {"shoulder": around_top}, **no_wrist), rep) == (1.1, "the hip angle")
    assert rdl.timed_eccentric(context(lift, rep, hip_deg=lift.hip_angle(0.3)), rep) == (1.1, "the hip angle")


def test_rdl_tempo_leaves_a_rep_with_no_seen_descent_to_the_counter() -> None:
    lift = Lift(0.7)
    rep = lift.rep(None)
    ctx = context(lift, rep, hip_deg=lift.hip_angle(), shoulder_level_torso=lift.shoulder())
    assert rdl.timed_eccentric(ctx, rep) == (0.0, "the hip angle")


def test_the_second_rep_looks_for_its_top_after_the_first_reps_bottom() -> None:
    """Two reps: the second's top is the standing hold between them, not the first rep's top."""
    first, second = Lift(1.8), Lift(0.7)
    t = np.concatenate([first.t, first.t[-1] + 1 / 30 + second.t])
    shoulder = np.concatenate([first.shoulder(), second.shoulder()])
    n = len(first.t)
    r1 = first.rep(1.8)
    r2s = second.rep(1.1)
    r2 = Rep(
        2, r2s.start + n, r2s.bottom + n, r2s.lockout + n, r2s.end + n, t[r2s.start + n], t[r2s.bottom + n],
        t[r2s.lockout + n], t[-1], 1.1, 0.25, 1.3, 0.5, 80.0, 102.0, 182.0,
    )  # fmt: skip
    series = AngleSeries(
        t=t, names=("hip_deg", "shoulder_level_torso"), values=np.stack([180 - 0 * t, shoulder], 1), side="l", facing=1
    )
    ctx = RuleContext(series=series, reps=[r1, r2], rules=CFG, view="side")
    ecc, by = rdl.timed_eccentric(ctx, r2)
    assert by == "the shoulders' drop" and ecc == pytest.approx(0.7, abs=0.05)
