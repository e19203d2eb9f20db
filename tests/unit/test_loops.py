"""Footage that loops (formcheck.loops) on generated signature sequences with known answers.

A generated "clip" is a lifter-like blob moving over a textured background, seen as 8x8 grey cells: each rep
moves it down and back up with its own depth and tempo (a real lifter never repeats a rep to the pixel), and
every frame gets compression-like noise. A loop is made by showing frames again, with fresh noise.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import LoopConfig
from formcheck.loops import (
    SIGNATURE_SIDE,
    Loop,
    distinct,
    find_loops,
    loop_message,
    mark_repeats,
    repeat_findings,
    signature,
)
from formcheck.summary import summarise
from formcheck.types import AngleSeries, Finding, Rep

FPS = 30.0
#: Compression-like noise per cell, grey levels: what two decodings of one frame differ by (docs/ACCURACY.md).
NOISE_GL = 0.15
CONFIG = LoopConfig()


def _picture(x: float, y: float, rng_texture: np.ndarray) -> np.ndarray:
    """8x8 cells: a textured background and a bright blob (the lifter) centred at cell (x, y)."""
    yy, xx = np.mgrid[0:SIGNATURE_SIDE, 0:SIGNATURE_SIDE]
    blob = 120.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / 2.0)
    return (60.0 + rng_texture + blob).reshape(-1)


def real_set(n_reps: int, seed: int, rep_s: float = 3.0, still_s: float = 0.0) -> np.ndarray:
    """(T, 64) pictures of a set: every rep its own depth (cells) and tempo, as a real lifter; ``still_s`` of
    standing still first. No noise yet."""
    rng = np.random.default_rng(seed)
    texture = rng.uniform(0.0, 20.0, (SIGNATURE_SIDE, SIGNATURE_SIDE))
    frames = [_picture(3.5, 2.0, texture)] * int(still_s * FPS)
    for _ in range(n_reps):
        depth = 3.0 + rng.normal(0.0, 0.3)
        length = rep_s * (1.0 + rng.normal(0.0, 0.05))
        phase = np.linspace(0.0, 1.0, int(length * FPS), endpoint=False)
        for p in phase:
            frames.append(_picture(3.5 + 0.2 * np.sin(2 * np.pi * p), 2.0 + depth * np.sin(np.pi * p) ** 2, texture))
    return np.array(frames)


def decoded(pictures: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``pictures`` as the decoder would give their signatures: fresh noise per frame, float16; and the times."""
    rng = np.random.default_rng(seed)
    noisy = pictures + rng.normal(0.0, NOISE_GL, pictures.shape)
    return noisy.astype(np.float16), np.arange(len(pictures)) / FPS


def test_signature_is_the_cell_means_of_the_thumbnail():
    thumb = np.zeros((32, 32), np.float32)
    thumb[:4, :4] = 100.0  # the first cell
    thumb[28:, 28:] = 40.0  # the last
    sig = signature(thumb)
    assert sig.shape == (64,) and sig.dtype == np.float16
    assert sig[0] == 100.0 and sig[-1] == 40.0 and np.count_nonzero(sig) == 2
    with pytest.raises(ValueError, match="square"):
        signature(np.zeros((32, 30), np.float32))


def test_a_loop_is_found_at_its_lag_and_start():
    pictures = real_set(4, seed=1)  # 4 reps, about 12 s
    k0, n = 15, len(pictures)
    replay = pictures[k0 : k0 + 200]  # frames from 0.5 s shown again, 6.7 s of them
    sig, t = decoded(np.concatenate([pictures, replay]), seed=2)
    loops = find_loops(sig, t, CONFIG)
    assert len(loops) == 1
    loop = loops[0]
    assert loop.lag_frames == n - k0
    assert loop.lag_s == pytest.approx((n - k0) / FPS)
    assert abs(loop.start - n) <= 2 and loop.stop == len(sig)
    assert loop.source_start_s == pytest.approx(k0 / FPS, abs=0.1)
    assert loop.match_gl < CONFIG.match_max_gl and loop.moving_s >= CONFIG.min_moving_s


def test_a_partial_loop_ends_where_new_footage_starts():
    first = real_set(3, seed=3)
    after = real_set(2, seed=4)  # the set goes on with new reps after the replay
    sig, t = decoded(np.concatenate([first, first[:150], after]), seed=5)
    (loop,) = find_loops(sig, t, CONFIG)
    assert loop.lag_frames == len(first)
    assert abs(loop.start - len(first)) <= 2
    assert abs(loop.stop - (len(first) + 150)) <= 3  # within half the match window of the seam


def test_a_segment_played_three_times_is_one_repeat_at_one_lag():
    one = real_set(2, seed=6)
    sig, t = decoded(np.concatenate([one, one, one]), seed=7)
    (loop,) = find_loops(sig, t, CONFIG)
    assert loop.lag_frames == len(one)
    assert abs(loop.start - len(one)) <= 2 and loop.stop == len(sig)


def test_a_still_scene_is_not_a_loop():
    still = np.repeat(real_set(1, seed=8)[:1], int(20 * FPS), axis=0)  # 20 s of a lifter holding still
    sig, t = decoded(still, seed=9)
    assert find_loops(sig, t, CONFIG) == []


def test_a_set_of_alike_reps_is_not_a_loop():
    """Periodic, but every rep its own: depth and tempo differ by a few percent, as a real lifter's."""
    sig, t = decoded(real_set(8, seed=10, still_s=2.0), seed=11)
    assert find_loops(sig, t, CONFIG) == []


def test_replayed_stillness_alone_is_not_a_loop():
    """Still frames shown again with less than min_moving_s of motion replayed: a still scene, not a loop."""
    pictures = real_set(2, seed=12, still_s=4.0)
    start = pictures[: int(4.4 * FPS)]  # the still start and 0.4 s of the first descent
    sig, t = decoded(np.concatenate([pictures, start, real_set(1, seed=13)]), seed=14)
    assert find_loops(sig, t, CONFIG) == []


def test_edges_too_short_or_a_lag_under_the_minimum():
    sig, t = decoded(real_set(1, seed=15)[:40], seed=16)  # 1.3 s: no room for a lag and a run
    assert find_loops(sig, t, CONFIG) == []
    assert find_loops(None, t, CONFIG) == []
    assert find_loops(sig[:1], t[:1], CONFIG) == []
    # a 0.5 s segment played over and over: its lag is under min_lag_s
    short = real_set(1, seed=17, rep_s=0.5)
    sig, t = decoded(np.tile(short, (12, 1)), seed=18)
    assert len(short) / FPS < CONFIG.min_lag_s
    assert all(loop.lag_s >= CONFIG.min_lag_s for loop in find_loops(sig, t, CONFIG))
    # and found once the minimum allows it
    shorter = dataclasses.replace(CONFIG, min_lag_s=0.3, min_moving_s=0.5)
    assert any(lp.lag_frames % len(short) == 0 for lp in find_loops(sig, t, shorter))


def _rep(index: int, t_start: float, t_lockout: float) -> Rep:
    frame = int(t_lockout * FPS)
    return Rep(
        index=index,
        start=int(t_start * FPS),
        bottom=frame - 15,
        lockout=frame,
        end=frame + 10,
        t_start=t_start,
        t_bottom=t_lockout - 0.5,
        t_lockout=t_lockout,
        t_end=t_lockout + 0.3,
        eccentric_s=1.0,
        bottom_pause_s=0.1,
        concentric_s=0.8,
        top_pause_s=0.3,
        rom_deg=60.0 + index,
        bottom_deg=100.0,
        top_deg=170.0,
    )


#: clip_084's shape: 3 reps, then the footage from 0.4 s replayed 9.4 s later.
LOOP = Loop(lag_s=9.4, lag_frames=282, start=294, stop=645, start_s=9.8, end_s=21.5, match_gl=0.5, moving_s=5.2)
REPS = [_rep(1, 1.5, 3.45), _rep(2, 4.6, 6.67), _rep(3, 7.6, 9.8), _rep(4, 11.0, 12.9), _rep(5, 14.1, 16.0)]


def test_reps_inside_a_repeat_point_at_the_rep_they_replay():
    marked = mark_repeats(REPS, [LOOP], CONFIG.same_rep_s)
    assert [r.repeat_of for r in marked] == [None, None, None, 1, 2]
    assert [r.index for r in distinct(marked)] == [1, 2, 3]
    # a rep that starts before the repeat does (across the seam) is new
    seam = mark_repeats([*REPS[:3], _rep(4, 9.0, 12.9)], [LOOP], CONFIG.same_rep_s)
    assert seam[3].repeat_of is None
    # a replay of a replay points at the first showing
    twice = dataclasses.replace(LOOP, lag_s=4.6, lag_frames=138, start_s=4.8, end_s=16.0)
    reps = [_rep(1, 0.5, 2.0), _rep(2, 5.0, 6.6), _rep(3, 9.6, 11.2)]
    assert [r.repeat_of for r in mark_repeats(reps, [twice], CONFIG.same_rep_s)] == [None, 1, 1]


def _finding(rule: str, rep: int, verdict: str, t: float) -> Finding:
    return Finding(rule, rep, verdict, "m", 1.0, 2.0, "deg", t, t + 0.5, int(t * FPS), "msg", "cue")  # type: ignore[arg-type]


def test_a_repeat_gets_the_findings_of_its_first_showing_moved_to_its_frames():
    marked = mark_repeats(REPS, [LOOP], CONFIG.same_rep_s)
    judged = [_finding("a", r, v, t) for r, v, t in ((1, "fault", 3.0), (2, "pass", 6.0), (3, "pass", 9.0))]
    judged += [_finding("b", r, "pass", 9.0 + r) for r in (1, 2, 3)]
    out = repeat_findings(judged, marked)
    assert [(f.rule, f.rep) for f in out] == [(r, n) for r in "ab" for n in (1, 2, 3, 4, 5)]
    copy = next(f for f in out if f.rule == "a" and f.rep == 4)
    assert copy.verdict == "fault"
    assert copy.t_start == pytest.approx(3.0 + (12.9 - 3.45))
    assert copy.t_start == round(copy.t_start, 3), "to the millisecond, as every finding's times are"
    assert copy.frame == int(3.0 * FPS) + marked[3].lockout - marked[0].lockout


def test_the_summary_counts_reps_on_screen_and_judges_repeats_once():
    marked = mark_repeats(REPS, [LOOP], CONFIG.same_rep_s)
    judged = [_finding("a", r, "fault" if r == 3 else "pass", 1.0) for r in (1, 2, 3)]
    findings = repeat_findings(judged, marked)
    series = AngleSeries(t=np.zeros(1), names=("hip_deg",), values=np.zeros((1, 1)), side="left", facing=1)
    summary = summarise(marked, findings, series)
    assert summary.rep_count == 5 and summary.distinct_rep_count == 3
    assert summary.flagged_reps == {"a": [3]}
    assert len(summary.rom_deg) == 5
    # the last distinct rep broke a rule kept on the ones before: fatigue, once
    assert [f.reps for f in summary.fatigue] == [[3]]
    assert summary.to_dict()["distinct_rep_count"] == 3


def test_the_warning_says_where_the_footage_repeats_and_which_reps():
    marked = mark_repeats(REPS, [LOOP], CONFIG.same_rep_s)
    text = loop_message([LOOP], marked)
    assert text.startswith("the footage loops: the frames from 9.8 s to 21.5 s repeat those from 0.4 s (9.4 s earlier)")
    assert "reps 4-5 repeat reps 1-2" in text and "(3 distinct)" in text
    assert "no counted rep" in loop_message([LOOP], REPS[:3])
    assert LOOP.to_dict()["source_start_s"] == pytest.approx(0.4)


def test_signatures_survive_the_landmark_cache(tmp_path):
    from tests import synthetic as S

    seq = S.rdl_set(n_reps=1).seq
    sig = np.arange(len(seq) * 64, dtype=np.float16).reshape(len(seq), 64) % 200
    seq = seq.replace(picture_signature=sig)
    seq.save_npz(tmp_path / "s.npz")
    back = type(seq).load_npz(tmp_path / "s.npz")
    assert back.picture_signature is not None and back.picture_signature.dtype == np.float16
    np.testing.assert_array_equal(back.picture_signature, sig)
    assert back.slice(2, 5).picture_signature.shape == (3, 64)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="picture_signature"):
        seq.replace(picture_signature=sig[:-1])


def test_the_picture_change_keeps_one_signature_per_frame():
    """The hard-cut thumbnail gives each decoded frame its signature (one decode serves both), in order."""
    from formcheck.video import FrameChange

    change = FrameChange()
    for level in (0, 10, 20):
        change.grey(np.full((90, 160), level, np.uint8))
    sig = change.signature_array()
    assert sig.shape == (3, 64) and sig.dtype == np.float16
    np.testing.assert_array_equal(sig[:, 0], [0, 10, 20])
    change.grey(np.full((90, 160), 30, np.uint8))  # more frames after a read
    assert change.signature_array().shape == (4, 64)
