"""Why a rule that needs the descent skips a rep whose descent was not seen: at the clip's start, or later in it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.config import load_config
from formcheck.exercises import rdl
from formcheck.exercises.base import NO_DESCENT, RuleContext, run_rule
from formcheck.types import AngleSeries, Rep

CFG = load_config().rdl
FPS = 30.0


def _rep(start: int, bottom: int, lockout: int, end: int) -> Rep:
    t = lambda i: i / FPS  # noqa: E731
    return Rep(
        1, start, bottom, lockout, end, t(start), t(bottom), t(lockout), t(end - 1),
        None, 0.0, 1.0, 0.3, 90.0, 80.0, 170.0,
    )  # fmt: skip


def _context(hip: np.ndarray, rep: Rep) -> RuleContext:
    t = np.arange(len(hip)) / FPS
    series = AngleSeries(t=t, names=("hip_deg",), values=hip[:, None], side="left", facing=1)
    return RuleContext(series=series, reps=[rep], rules=CFG, view="side")


def _rule(rule_id: str):
    return next(r for r in rdl.LIFT.rules if r.id == rule_id)


def test_the_clips_first_rep_opening_low_says_the_clip_starts_below_the_top() -> None:
    hip = np.concatenate([np.full(30, 80.0), np.linspace(80, 175, 30), np.full(30, 175.0)])
    rep = _rep(0, 10, 60, 90)
    finding = run_rule(_rule("rdl.knees_frozen"), _context(hip, rep), rep)
    assert finding.verdict == "not_checked" and finding.message == NO_DESCENT


def test_a_rep_opening_low_after_a_cut_says_when_and_does_not_blame_the_clips_start() -> None:
    """Looping footage's seam (clip_084: a cut at 16.9 s mid-descent): the clip started standing, so "the clip
    starts below the top" was untrue there."""
    hip = np.concatenate([np.full(60, 175.0), np.linspace(175, 80, 30), np.full(15, 80.0), np.linspace(80, 175, 30)])
    rep = _rep(75, 95, 134, 135)  # counted from the cut at frame 75 (2.5 s), below the top
    finding = run_rule(_rule("rdl.knees_frozen"), _context(hip, rep), rep)
    assert finding.verdict == "not_checked"
    assert finding.message != NO_DESCENT
    assert "already below the top at 2.5 s" in finding.message and "cut" in finding.message


def test_a_pull_after_a_long_set_up_says_so_not_that_the_picture_cut() -> None:
    """clip_089: 19 s bent over the bar, then one pull; the rep starts where its final rise does
    (``reps.seen_rep``), and the rules that need a lowering say why there is none."""
    hip = np.concatenate([np.full(20, 175.0), np.linspace(175, 80, 10), np.full(570, 80.0), np.linspace(80, 175, 30)])
    rep = replace(_rep(599, 599, 629, 630), setup_s=19.0)  # starts at the final rise's foot, after 19 s held low
    finding = run_rule(_rule("rdl.knees_frozen"), _context(hip, rep), rep)
    assert finding.verdict == "not_checked"
    assert "set-up held at the bottom from 1.0 s to 20.0 s" in finding.message
    assert "cut" not in finding.message
