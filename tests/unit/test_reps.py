"""Rep segmentation: event detection on generated signals with known answers.

Three levels: the named steps of ``formcheck.reps`` (segments, frame states,
the hysteresis, partial reps, phase edges) on small generated signals whose
answers are known frame by frame; ``formcheck.reps.segment_reps`` on bare
hip-angle arrays; and the whole pipeline (``analyze_landmarks``) on synthetic
landmark sets. Edge cases are enumerated one per test.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import RepConfig, load_config
from formcheck.pipeline import analyze_landmarks
from formcheck.reps import (
    Candidate,
    Driver,
    FrameStates,
    Levels,
    Neighbours,
    Segment,
    at_lockout,
    bottom_pause,
    candidate_roms,
    classify_frames,
    cut_between,
    descent_start,
    despiked,
    drop_partial,
    end_frame,
    held_low,
    levels,
    liftoff_frame,
    lockout_frame,
    long_gap,
    neighbours,
    opens_low,
    out_of_view_lockout,
    pair_lows_with_lockouts,
    segment_reps,
    segments,
    top_frame,
    unseen_rep,
)
from tests import synthetic as S

CFG = RepConfig()
TIME_TOL_S = 0.1


def count(t, h, **kw):
    reps, _ = segment_reps(t, h, CFG, **kw)
    return len(reps)


def analyse(seq, exercise=None, **overrides):
    return analyze_landmarks(seq, load_config(overrides=overrides or None), exercise=exercise)


# -- counting on bare signals ---------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("start", ["top", "bottom"])
def test_counts_n_reps_exactly(n, start):
    t, h, truth = S.hip_signal(n, start=start)
    assert count(t, h) == n == len(truth)


@pytest.mark.parametrize("start", ["top", "bottom"])
def test_bottom_times_within_tolerance(start):
    t, h, truth = S.hip_signal(4, start=start)
    reps, _ = segment_reps(t, h, CFG)
    for rep, tr in zip(reps, truth):
        assert tr.distance_to_bottom(rep.t_bottom) <= TIME_TOL_S, (rep.index, rep.t_bottom, tr)


def test_lockout_times_within_tolerance():
    t, h, truth = S.hip_signal(4, start="top")
    reps, _ = segment_reps(t, h, CFG)
    errors = [rep.t_lockout - tr.t_lockout for rep, tr in zip(reps, truth)]
    assert max(map(abs, errors)) <= TIME_TOL_S, errors


def test_eccentric_duration_matches_truth():
    t, h, truth = S.hip_signal(4, start="top", down_s=2.0)
    reps, _ = segment_reps(t, h, CFG)
    for rep, tr in zip(reps, truth):
        assert rep.eccentric_s == pytest.approx(tr.eccentric_s, abs=0.25)


def test_rep_fields_are_consistent():
    t, h, truth = S.hip_signal(3, start="top")
    reps, lv = segment_reps(t, h, CFG)
    assert lv is not None and lv.bottom_deg <= lv.down_deg < lv.lockout_deg <= lv.top_deg
    for k, rep in enumerate(reps, start=1):
        assert rep.index == k
        assert rep.start <= rep.bottom <= rep.rise <= rep.lockout <= rep.end
        assert (rep.t_start, rep.t_bottom, rep.t_lockout) == (t[rep.start], t[rep.bottom], t[rep.lockout])
        assert rep.rom_deg == pytest.approx(rep.top_deg - rep.bottom_deg)
        assert rep.bottom_deg == pytest.approx(95.0, abs=0.5) and rep.top_deg == pytest.approx(175.0, abs=0.5)
        assert rep.eccentric_s > 0 and rep.concentric_s > 0 and rep.bottom_pause_s >= 0 and rep.top_pause_s >= 0
    for a, b in zip(reps, reps[1:]):
        assert a.end <= b.start + 1


def test_clip_starting_at_top_does_not_count_first_lockout():
    t, h, _ = S.hip_signal(3, start="top", lead_s=2.0)
    assert count(t, h) == 3
    # a clip that is only a standing top: nothing
    assert count(t[:50], h[:50]) == 0


def test_clip_starting_at_bottom_counts_first_pull():
    t, h, truth = S.hip_signal(2, start="bottom")
    reps, _ = segment_reps(t, h, CFG)
    assert len(reps) == 2
    assert reps[0].eccentric_s is None, "the descent into the first bottom was not filmed"
    assert reps[1].eccentric_s is not None
    assert truth[0].eccentric_s is None


def _setup_then_pull(setup_s: float, fps: float = 30.0, seed: int = 0):
    """A clip that opens bent over the bar for ``setup_s`` (hip angle 60 +- 5, fidgeting), then pulls to 178 in
    1 s, stands 1 s, lowers in 1 s and pulls again (a second rep with a seen descent and no hold)."""
    rng = np.random.default_rng(seed)
    n_setup = int(setup_s * fps)
    setup = 60.0 + 5.0 * np.sin(np.arange(n_setup) / fps * 1.3) + rng.normal(0, 0.5, n_setup)
    s = np.linspace(0, np.pi, int(fps))
    pull = 60.0 + 118.0 * (1 - np.cos(s)) / 2
    lower = pull[::-1]
    stand = np.full(int(fps), 178.0)
    h = np.concatenate([setup, pull, stand, lower, pull, stand])
    return np.arange(len(h)) / fps, h, setup_s


@pytest.mark.parametrize("setup_s", [5.0, 20.0])
def test_a_long_set_up_is_not_part_of_the_rep(setup_s):
    """Issue 15: a 20-second set-up bent over the bar became one 20-second rep. The rep is the pull."""
    t, h, pull_at = _setup_then_pull(setup_s)
    reps, _ = segment_reps(t, h, CFG)
    assert len(reps) == 2
    first = reps[0]
    assert first.t_start >= pull_at - 0.2 and abs(first.t_bottom - pull_at) <= 0.3
    assert first.concentric_s is not None and first.concentric_s <= 1.2
    assert first.eccentric_s is None and first.bottom_pause_s == 0.0
    # the set-up left out is said, for the rules that need a lowering to say why there is none
    assert first.setup_s is not None and abs(first.setup_s - pull_at) <= 0.3
    assert reps[1].eccentric_s is not None and reps[1].setup_s is None


@pytest.mark.parametrize("setup_s", [1.0, 2.0, 2.5])
def test_a_short_set_up_stays_in_the_rep_and_the_pull_bottoms_out_at_lift_off(setup_s):
    """Up to ``max_bottom_hold_s`` at the bar before the pull is a set-up the rep keeps (it starts at the clip's
    start), but the rep's bottom is where the pull starts, as the labels put a floor pull's lowest point, and its
    way up is the pull alone: clip_088 read 3.4 s up for a 1.2 s pull, its bottom 2 s before the labelled one,
    when the set-up's lowest frame (60 - 5 here, mid-set-up) was the bottom."""
    t, h, pull_at = _setup_then_pull(setup_s)
    first = segment_reps(t, h, CFG)[0][0]
    assert first.t_start < 0.1
    assert abs(first.t_bottom - pull_at) <= 2 / 30 and first.bottom == first.rise
    assert first.concentric_s is not None and first.concentric_s <= 1.1
    assert first.eccentric_s is None and first.setup_s is None


@pytest.mark.parametrize("setup_s", [1.0, 2.0, 2.5])
def test_a_short_set_ups_lift_off_is_where_the_pull_starts(setup_s):
    """A floor pull's rules read at lift-off (``Rep.rise``), not at the set-up's lowest frame: the rep keeps its
    set-up, its lift-off is the foot of the final rise (clip_088: a crouch at 0.6 s, the pull at 2.8 s)."""
    t, h, pull_at = _setup_then_pull(setup_s)
    first, second = segment_reps(t, h, CFG)[0]
    assert first.t_start < 0.1
    assert abs(t[first.rise] - pull_at) <= 2 / 30 and first.bottom <= first.rise < first.lockout
    # the second rep's descent is seen and turns straight into the pull: its lift-off is its bottom
    assert abs(second.rise - second.bottom) <= 1


def test_liftoff_is_the_foot_of_the_final_rise():
    """Walked back from a fifth of the way up to the last frame the signal was not rising into; never before the
    bottom, and stopped by a frame without a reading."""
    h = np.array([60.0, 55.0, 62.0, 64.0, 63.0, 63.0, 70.0, 90.0, 120.0, 170.0])
    assert liftoff_frame(h, 1, 7) == 5  # 63 -> 70 -> 90: the rise starts after the flat 63, 63
    assert liftoff_frame(h, 6, 7) == 6  # never before the bottom
    assert liftoff_frame(np.array([50.0, np.nan, 60.0, 80.0]), 0, 3) == 2


def test_a_paused_rep_keeps_its_hold():
    """A seen descent, 6 s held at the bottom, then the rise: a paused rep (a coached squat hold), not a set-up."""
    fps = 30
    s = np.linspace(0, np.pi, fps)
    down = 178.0 - 100.0 * (1 - np.cos(s)) / 2
    h = np.concatenate([np.full(fps, 178.0), down, np.full(6 * fps, 78.0), down[::-1], np.full(fps, 178.0)])
    t = np.arange(len(h)) / fps
    (rep,), _ = segment_reps(t, h, CFG)
    assert rep.eccentric_s is not None and rep.bottom_pause_s > 5.0 and rep.t_bottom < 2.5


def test_a_fade_between_shots_is_not_a_rep():
    """Issue 15: an edited clip got a 0.2 s extra rep. A fade from a squat's bottom to a standing shot moves the
    hip angle 117 degrees in 0.17 s (clip_061), faster than any lift: a rise of 118 degrees in 0.1 s is no rep;
    the same rise over 0.6 s is one."""
    fps = 30

    def clip(rise_s: float) -> tuple[np.ndarray, np.ndarray]:
        down = 178.0 - 118.0 * (1 - np.cos(np.linspace(0, np.pi, fps))) / 2
        up = 60.0 + 118.0 * (1 - np.cos(np.linspace(0, np.pi, max(int(rise_s * fps), 2)))) / 2
        h = np.concatenate([np.full(fps, 178.0), down, np.full(3, 60.0), up, np.full(2 * fps, 178.0)])
        return np.arange(len(h)) / fps, h

    assert count(*clip(0.1)) == 0
    assert count(*clip(0.6)) == 1


def test_brief_opening_low_glitch_is_not_a_rep():
    """The first frames after the tracker finds someone are often wrong (start_hold_s)."""
    t, h, _ = S.hip_signal(2, start="top")
    h = h.copy()
    h[:2] = 95.0
    assert count(t, h) == 2


def test_one_frame_dip_is_not_a_rep():
    t = np.arange(150) / 30
    h = np.full(150, 175.0)
    h[70] = 90.0
    assert count(t, h) == 0


def test_descent_cut_off_at_the_end_is_not_counted():
    t, h, truth = S.hip_signal(3, start="top")
    stop = int(truth[2].t_bottom * 30)  # clip ends at the bottom of rep 3
    assert count(t[:stop], h[:stop]) == 2
    stop = int((truth[2].t_bottom_end + 0.5 * truth[2].concentric_s) * 30)  # ...or half-way up
    assert count(t[:stop], h[:stop]) == 2


def test_short_tracking_gap_during_pull_still_counts():
    t, h, truth = S.hip_signal(3, start="top")
    h = h.copy()
    a = int((truth[1].t_bottom_end + 0.3) * 30)
    h[a : a + 9] = np.nan  # 0.3 s gap in rep 2's ascent
    assert count(t, h) == 3


def test_long_tracking_gap_splits():
    t, h, truth = S.hip_signal(3, start="top")
    h = h.copy()
    a = int((truth[1].t_bottom_end + 0.6) * 30)
    h[a : a + 75] = np.nan  # 2.5 s gap from the middle of rep 2's ascent
    assert len(segments(t, h, CFG)) == 2
    assert count(t, h) == 2


def test_noise_does_not_add_reps():
    rng = np.random.default_rng(0)
    t, h, _ = S.hip_signal(4, start="top")
    for _ in range(5):
        assert count(t, h + rng.normal(0, 1.0, h.shape)) == 4


def test_small_partial_dip_at_top_is_not_a_rep():
    t, h, _ = S.hip_signal(3, start="top", dips={1: 15 / 80, 2: 15 / 80})
    assert count(t, h) == 3


def test_hard_cut_is_not_a_rep():
    """An edited clip jumps from a bottom straight to a top: no rep spans the cut."""
    t, h, truth = S.hip_signal(3, start="top")
    a = int(truth[1].t_bottom * 30)  # cut at the bottom of rep 2...
    b = int(truth[1].t_top_end * 30) - 5  # ...to the top pause after it
    h_cut = np.concatenate([h[:a], h[b:]])
    t_cut = np.arange(len(h_cut)) / 30
    breaks = np.zeros(len(h_cut), dtype=bool)
    breaks[a] = True  # the picture cut (formcheck.exercises.detect.picture_cuts) on the first frame after the edit
    assert len(segments(t_cut, h_cut, CFG, breaks)) == 2
    reps, _ = segment_reps(t_cut, h_cut, CFG, breaks=breaks)
    assert len(reps) == 2


@pytest.mark.parametrize(
    "h",
    [np.array([]), np.full(60, np.nan), np.full(60, 170.0), np.array([170.0]), np.array([100.0, 170.0])],
    ids=["empty", "all_nan", "constant", "one", "two"],
)
def test_degenerate_signals_give_no_reps(h):
    t = np.arange(len(h)) / 30
    reps, _ = segment_reps(t, h, CFG)
    assert reps == []


def test_levels_none_without_range():
    assert levels(np.full(10, np.nan), CFG) is None
    assert levels(np.full(60, 100.0), CFG) is None  # never extended enough for a lockout


def test_lockout_only_where_allowed():
    t, h, _ = S.hip_signal(3, start="top")
    assert count(t, h, lockout_ok=np.zeros(len(h), bool)) == 0
    assert count(t, h, lockout_ok=np.ones(len(h), bool)) == 3


def test_dip_before_descent_does_not_inflate_eccentric():
    t, h, truth = S.hip_signal(3, start="top", dips={1: 15 / 80})
    ref_t, ref_h, _ = S.hip_signal(3, start="top")
    with_dip, _ = segment_reps(t, h, CFG)
    without, _ = segment_reps(ref_t, ref_h, CFG)
    assert with_dip[1].eccentric_s == pytest.approx(without[1].eccentric_s, abs=0.1)


@pytest.mark.parametrize("where", [0.2, 0.35, 0.5])
def test_one_frame_spike_to_the_top_mid_descent_does_not_move_the_start(where):
    """A joint lost for a frame in a fast descent puts the hip angle back at the top (rendered 0.45 s
    eccentrics at 10 fps: 144 -> 177 -> 79 deg): the descent still starts where it really did.
    (Later in the descent, past the counter's minimum range, the spike is a lockout and the dip before it
    a rep of its own: the counter takes the driver as it is.)"""
    t, h, truth = S.hip_signal(3, fps=10.0, start="top")
    clean, _ = segment_reps(t, h, CFG)
    rep = truth[1]
    i = int(round((rep.t_start + where * (rep.t_bottom_start - rep.t_start)) * 10.0))
    spiked = h.copy()
    spiked[i] = h.max()
    reps, _ = segment_reps(t, spiked, CFG)
    assert len(reps) == len(clean) == 3
    assert reps[1].t_start == pytest.approx(clean[1].t_start, abs=0.11)
    assert reps[1].eccentric_s == pytest.approx(clean[1].eccentric_s, abs=0.11)


def test_despiked_keeps_plateaus_turns_and_gaps():
    h = np.array([1.0, 1.0, 9.0, 1.0, 2.0, 3.0, 3.0, np.nan, 3.0, 2.0])
    out = despiked(h)
    assert out[2] == 1.0, "a one-frame spike is removed"
    assert np.isnan(out[7]), "an untracked frame stays untracked"
    assert list(out[4:7]) == [2.0, 3.0, 3.0] and out[0] == 1.0 and out[-1] == 2.0
    assert list(despiked(np.array([5.0, 6.0]))) == [5.0, 6.0]


# -- through the pipeline, on landmark sets ------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 4, 6])
def test_pipeline_counts_rdl_reps(n):
    syn = S.rdl_set(n_reps=n)
    a = analyse(syn.seq)
    assert len(a.reps) == n
    for rep, tr in zip(a.reps, syn.reps):
        assert tr.distance_to_bottom(rep.t_bottom) <= TIME_TOL_S


@pytest.mark.parametrize("n", [1, 3, 5])
def test_pipeline_counts_hip_thrust_reps(n):
    syn = S.hip_thrust_set(n_reps=n)
    a = analyse(syn.seq)
    assert len(a.reps) == n
    assert a.reps[0].eccentric_s is None
    for rep, tr in zip(a.reps, syn.reps):
        assert tr.distance_to_bottom(rep.t_bottom) <= TIME_TOL_S


def test_pipeline_deadlift_from_floor_counts_first_pull():
    syn = S.deadlift_from_floor_set(n_reps=3)
    a = analyse(syn.seq)
    assert a.exercise.label == "deadlift"
    assert len(a.reps) == 3
    assert a.reps[0].eccentric_s is None


def test_pipeline_rdl_clip_starting_low_has_no_eccentric_for_rep1():
    a = analyse(S.rdl_set(start_at_top=False).seq, exercise="rdl")
    assert len(a.reps) == 3
    assert a.reps[0].eccentric_s is None and a.reps[1].eccentric_s is not None
    tempo = [f for f in a.findings if f.rule == "rdl.tempo" and f.rep == 1]
    assert tempo[0].verdict == "not_checked"


def test_pipeline_descent_cut_off_not_counted():
    syn = S.rdl_set(n_reps=4)
    a = analyse(S.cut(syn, None, syn.reps[3].t_bottom_start))
    assert len(a.reps) == 3


def test_pipeline_short_gap_during_pull_still_counts():
    syn = S.rdl_set(n_reps=3)
    seq = S.add_gaps(syn.seq, [(syn.reps[1].t_bottom_end + 0.3, 0.3)])
    assert np.isnan(seq.xy[:, 0, 0]).sum() == 9
    assert len(analyse(seq).reps) == 3


def test_pipeline_long_gap_splits():
    syn = S.rdl_set(n_reps=3)
    seq = S.add_gaps(syn.seq, [(syn.reps[1].t_bottom_end + 0.6, 2.5)])
    assert len(analyse(seq).reps) == 2


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("gen", [S.rdl_set, S.hip_thrust_set], ids=["rdl", "hip_thrust"])
def test_pipeline_noise_does_not_add_reps(gen, seed):
    syn = gen(n_reps=4, noise_px=3.0, seed=seed)
    a = analyse(syn.seq)
    assert len(a.reps) == 4
    for rep, tr in zip(a.reps, syn.reps):
        assert tr.distance_to_bottom(rep.t_bottom) <= 0.35  # noisy flat bottoms: argmin wanders a little


@pytest.mark.parametrize("gen", [S.rdl_set, S.hip_thrust_set], ids=["rdl", "hip_thrust"])
def test_pipeline_small_dip_at_top_is_not_a_rep(gen):
    assert len(analyse(gen(n_reps=3, dips={1: 15, 2: 15}).seq).reps) == 3


def test_pipeline_hard_cut_at_full_depth_is_not_a_rep():
    syn = S.rdl_set(n_reps=3, hinge_deg=90)
    seq = S.concat(S.cut(syn, None, syn.reps[2].t_bottom), S.rdl_set(n_reps=1, hinge_deg=90).seq)
    assert len(analyse(seq).reps) == 3  # 2 before the cut + 1 after


@pytest.mark.parametrize("lift", ["rdl", "hip_thrust"])
def test_pipeline_hard_cut_is_not_a_rep(lift):
    if lift == "rdl":
        syn = S.rdl_set(n_reps=3, hinge_deg=60)
        seq = S.concat(S.cut(syn, None, syn.reps[2].t_bottom), S.rdl_set(n_reps=1, hinge_deg=60).seq)
    else:
        syn = S.hip_thrust_set(n_reps=3)
        seq = S.concat(
            S.cut(syn, None, syn.reps[2].t_bottom_end), S.hip_thrust_set(n_reps=1, start_at_bottom=False).seq
        )
    assert len(analyse(seq).reps) == 3


def test_pipeline_static_and_walking_clips_have_no_reps():
    assert analyse(S.standing(noise_px=2.0).seq).reps == []
    assert analyse(S.walking().seq).reps == []


def test_pipeline_all_missing_raises_no_person():
    from formcheck.errors import NoPersonError

    seq = S.add_gaps(S.standing().seq, [(0.0, 100.0)])
    with pytest.raises(NoPersonError):
        analyse(seq)


def _reps_signal(tops, bottom=100.0, fps=30, start_top=180.0):
    """Piecewise-cosine hip angle: start at ``start_top``, then one rep down to ``bottom`` and up to each top."""
    parts = [np.full(fps, start_top)]
    prev = start_top
    for top in tops:
        down = prev + (bottom - prev) * (1 - np.cos(np.linspace(0, np.pi, fps))) / 2
        up = bottom + (top - bottom) * (1 - np.cos(np.linspace(0, np.pi, fps))) / 2
        parts += [down, np.full(fps // 2, bottom), up, np.full(fps, top)]
        prev = top
    h = np.concatenate(parts)
    return np.arange(len(h)) / fps, h


def test_bridge_tolerance_counts_a_partial_lockout_as_a_rep():
    t, h = _reps_signal([180, 147, 180])
    assert len(segment_reps(t, h, CFG)[0]) == 2  # the partial rep is merged away
    reps, lv = segment_reps(t, h, CFG, lockout_tolerance_deg=35.0)
    assert len(reps) == 3 and reps[1].top_deg == pytest.approx(147, abs=1)
    assert lv.down_deg == pytest.approx(180 - CFG.lockout_tolerance_deg - CFG.min_rom_deg)


@pytest.mark.parametrize(("opening_deg", "n"), [(157.0, 6), (130.0, 7)])
def test_a_bridge_clip_opening_part_way_up(opening_deg, n):
    """A hip thrust clip that opens held part-way (0.3 s), rises to the top, then does six full reps (113 <-> 180).

    Opening at 157 (23 under the top, issue 15's clip_083): that is inside the bridge's loose lockout band (top minus
    35) and the rise is under the set's minimum rep depth (``rom_fraction`` of its 67-degree reps), so the clip
    starts at lockout and the opening rise is no rep. Opening at 130, under the lockout level by more than
    ``min_rom_deg`` and deeper than that depth, it is one (the clip starts low)."""
    fps = 30
    ease = (1 - np.cos(np.linspace(0, np.pi, 10))) / 2
    parts = [np.full(9, opening_deg), opening_deg + (180.0 - opening_deg) * ease, np.full(fps, 180.0)]
    for _ in range(6):
        down = 180.0 + (113.0 - 180.0) * (1 - np.cos(np.linspace(0, np.pi, fps))) / 2
        parts += [down, np.full(fps // 2, 113.0), down[::-1], np.full(fps, 180.0)]
    h = np.concatenate(parts)
    t = np.arange(len(h)) / fps
    reps, lv = segment_reps(t, h, CFG, lockout_tolerance_deg=35.0, relative_down=True)
    assert lv is not None and lv.lockout_deg == pytest.approx(145.0, abs=0.5)
    assert len(reps) == n
    assert (reps[0].t_lockout < 1.0) == (n == 7)


def test_bridge_tolerance_keeps_a_shallow_glute_bridge():
    t, h = _reps_signal([172, 172], bottom=127.0, start_top=172.0)  # a 45-degree glute bridge
    assert len(segment_reps(t, h, CFG, lockout_tolerance_deg=35.0)[0]) == 2


# -- lockout out of view (head leaves the top of the frame) ----------------------------
def _deadlift_out_of_view(fps: float = 30.0, rise_to_deg: float = 110.0, gap: tuple[float, float] = (0.7, 2.1)):
    """One pull from the floor (hip 60 deg) to lockout (175) and back; the tracker loses the lifter
    between ``gap`` seconds, exactly when the head is above the frame. Returns (t, h, edge)."""
    t = np.arange(0, 3.5, 1 / fps)
    up = np.clip((t - 0.2) / 1.0, 0, 1)  # 0.2 -> 1.2 s rising
    down = np.clip((t - 1.9) / 0.5, 0, 1)  # 1.9 -> 2.4 s lowering
    h = 60 + 115 * (up - down).clip(0, 1)
    lost = (t >= gap[0]) & (t < gap[1])
    edge = h >= rise_to_deg  # head at the top edge while high
    h = np.where(lost, np.nan, h)
    return t, h, edge & ~lost


def test_out_of_view_lockout_counts_one_unseen_rep():
    t, h, edge = _deadlift_out_of_view()
    reps, _ = segment_reps(t, h, CFG, lockout_ok=np.ones(len(t), bool), at_top_edge=edge)
    assert len(reps) == 1
    rep = reps[0]
    assert not rep.lockout_seen
    assert 0.7 <= rep.t_lockout < 2.1, "the lockout lies inside the tracking gap"
    assert np.isnan(rep.rom_deg) and np.isnan(rep.top_deg) and np.isnan(rep.concentric_s)
    assert rep.t_bottom < 0.3


def test_out_of_view_needs_the_head_at_the_top_edge():
    t, h, edge = _deadlift_out_of_view()
    assert count(t, h, lockout_ok=np.ones(len(t), bool)) == 0
    assert count(t, h, lockout_ok=np.ones(len(t), bool), at_top_edge=np.zeros(len(t), bool)) == 0


def test_out_of_view_needs_the_head_at_the_edge_on_both_sides_of_the_gap():
    t, h, edge = _deadlift_out_of_view()
    only_before = edge & (t < 0.7)
    only_after = edge & (t > 2.0)
    assert count(t, h, lockout_ok=np.ones(len(t), bool), at_top_edge=only_before) == 0
    assert count(t, h, lockout_ok=np.ones(len(t), bool), at_top_edge=only_after) == 0


def test_out_of_view_needs_a_real_rise_before_the_gap():
    t, h, edge = _deadlift_out_of_view()
    flat = np.where(t < 0.7, 60.0 + 0.5 * CFG.min_out_of_view_rise_deg * (t / 0.7), h)  # barely rose
    assert count(t, flat, lockout_ok=np.ones(len(t), bool), at_top_edge=np.ones(len(t), bool)) == 0


def test_seen_lockout_after_a_gap_is_an_ordinary_rep():
    """Back at lockout after the gap: counted the ordinary way, lockout seen."""
    t, h, edge = _deadlift_out_of_view(gap=(0.7, 1.5))
    reps, _ = segment_reps(t, h, CFG, lockout_ok=np.ones(len(t), bool), at_top_edge=edge)
    assert len(reps) == 1 and reps[0].lockout_seen


def test_long_loss_is_not_an_out_of_view_lockout():
    t, h, edge = _deadlift_out_of_view(gap=(0.7, 0.7 + CFG.max_bridge_gap_s + 0.3))
    assert count(t, h, lockout_ok=np.ones(len(t), bool), at_top_edge=np.ones(len(t), bool)) == 0


def test_pipeline_counts_a_deadlift_that_stands_up_out_of_frame():
    """Synthetic deadlift whose head leaves the top of the frame: counted, every rule 'not checked'."""
    seq = S.deadlift_from_floor_set(n_reps=1).seq
    ys = seq.xy[:, :, 1]
    face_top = np.nanmin(ys[:, :11], axis=1)
    # shift the lifter up so that the face leaves the top edge late in the pull, and lose the tracker
    # while any landmark is above the frame
    shift = np.nanmin(face_top) + 0.3 * (np.nanmax(face_top) - np.nanmin(face_top))
    xy = seq.xy.copy()
    xy[:, :, 1] -= shift
    lost = np.nanmin(xy[:, :, 1], axis=1) < 0
    xy[lost] = np.nan
    vis = np.where(lost[:, None], np.nan, seq.visibility)
    world = None if seq.world is None else np.where(lost[:, None, None], np.nan, seq.world)
    seq = seq.replace(xy=xy, visibility=vis, world=world)
    assert lost.any() and not lost.all()
    a = analyse(seq, exercise="rdl")
    assert [r.lockout_seen for r in a.reps] == [False]
    assert a.findings and all(f.verdict == "not_checked" for f in a.findings)
    assert any(w.code == "lockout_out_of_view" for w in a.warnings)


# -- the named steps, on small generated signals with known answers -------------------------
FPS = 30
#: what ``levels`` gives the ramp signals below (top 180: lockout 180 - 30, down lockout - 10)
LV = Levels(top_deg=180.0, bottom_deg=100.0, lockout_deg=150.0, down_deg=140.0)


def _ramp(a, b, n):
    """``n`` frames moving linearly from ``a`` (excluded) to ``b`` (included)."""
    return a + (b - a) * np.arange(1, n + 1) / n


def _plateau_reps(n_reps=2, top=180.0, bottom=100.0, lead=30, move=30, hold=15, rest=30):
    """Top for ``lead`` frames, then per rep: down in ``move`` frames, ``hold`` frames at the bottom, up in
    ``move`` frames, ``rest`` frames at the top. Returns (t, h, truth): the designed frames of each rep."""
    parts, truth, i = [np.full(lead, top)], [], lead
    for _ in range(n_reps):
        parts += [_ramp(top, bottom, move), np.full(hold, bottom), _ramp(bottom, top, move), np.full(rest, top)]
        truth.append(
            {
                "descent": i,  # first moving frame
                "bottom": i + move - 1,  # first frame at the bottom
                "ascent": i + move + hold,  # first rising frame
                "top": i + 2 * move + hold - 1,  # first frame back at the top
                "leave": i + 2 * move + hold + rest,  # first frame after the top pause
            }
        )
        i += 2 * move + hold + rest
    h = np.concatenate(parts)
    return np.arange(len(h)) / FPS, h, truth


def _states(t, h, ok=None, edge=None, lv=LV):
    ok = np.ones(len(h), bool) if ok is None else ok
    edge = np.zeros(len(h), bool) if edge is None else edge
    return classify_frames(t, h, ok, edge, lv, CFG)


def test_levels_of_the_ramp_signal():
    _, h, _ = _plateau_reps()
    assert levels(h, CFG) == LV


# segments: bridged gaps, long gaps, hard cuts
@pytest.mark.parametrize(
    ("t", "before", "after", "expected"),
    [
        ([0.0, 0.5, 1.0], 0, 2, False),  # a short gap is bridged
        ([0.0, 0.5, 1.9], 0, 2, False),  # just under max_bridge_gap_s
        ([0.0, 0.5, 2.1], 0, 2, True),  # just over
        ([0.0, 5.0], 0, 1, False),  # neighbouring frames are no gap, however far apart in time
    ],
    ids=["short", "just_under", "just_over", "neighbours"],
)
def test_long_gap(t, before, after, expected):
    assert long_gap(np.array(t), before, after, CFG) is expected


def test_cut_between_includes_the_frame_after_the_gap_only():
    breaks = np.zeros(10, bool)
    breaks[5] = True
    assert cut_between(breaks, 4, 5)  # the cut frame itself
    assert cut_between(breaks, 2, 7)  # a cut inside a tracking gap
    assert not cut_between(breaks, 5, 6)  # the cut is before this pair
    assert not cut_between(breaks, 3, 4)


def test_segments_bridge_a_short_gap():
    t, h = np.arange(150) / FPS, np.full(150, 150.0)
    h[30:45] = np.nan  # 0.5 s
    assert segments(t, h, CFG) == [Segment(0, 150)]


def test_segments_split_at_a_long_gap():
    t, h = np.arange(150) / FPS, np.full(150, 150.0)
    h[30:105] = np.nan  # 2.5 s > max_bridge_gap_s
    assert segments(t, h, CFG) == [Segment(0, 30), Segment(105, 150)]


def test_segments_split_at_a_hard_cut():
    t, h = np.arange(100) / FPS, np.full(100, 150.0)
    breaks = np.zeros(100, bool)
    breaks[50] = True
    assert segments(t, h, CFG, breaks) == [Segment(0, 50), Segment(50, 100)]


def test_segments_without_breaks_do_not_look_for_cuts_in_the_angle():
    """Cuts come from the picture (formcheck.exercises.detect.picture_cuts), once per clip: a jump in the
    angle alone is a fast movement, not a cut."""
    t = np.arange(100) / FPS
    h = np.where(np.arange(100) < 50, 100.0, 170.0)
    assert segments(t, h, CFG) == [Segment(0, 100)]


def test_segments_start_and_stop_on_tracked_frames():
    t, h = np.arange(100) / FPS, np.full(100, 150.0)
    h[:10] = h[95:] = np.nan
    assert segments(t, h, CFG) == [Segment(10, 95)]


def test_segments_leave_out_a_single_tracked_frame():
    t, h = np.arange(300) / FPS, np.full(300, np.nan)
    h[:50] = h[250:] = 150.0
    h[150] = 150.0  # alone between two long gaps
    assert segments(t, h, CFG) == [Segment(0, 50), Segment(250, 300)]


# frame states
def test_held_low_ignores_a_single_frame_dip():
    t, h = np.arange(90) / FPS, np.full(90, 170.0)
    h[40] = 90.0
    assert not held_low(t, h, LV, CFG).any()


@pytest.mark.parametrize(("frames", "held"), [(3, False), (5, True)])  # 0.067 s, 0.133 s vs min_low_s 0.1
def test_held_low_needs_min_low_s(frames, held):
    t, h = np.arange(90) / FPS, np.full(90, 170.0)
    h[40 : 40 + frames] = 90.0
    low = held_low(t, h, LV, CFG)
    assert low.tolist() == [held and 40 <= i < 40 + frames for i in range(90)]


def test_held_low_run_is_broken_by_an_untracked_frame():
    t, h = np.arange(90) / FPS, np.full(90, 170.0)
    h[40:47] = 90.0
    h[43] = np.nan  # two runs of 3 frames, neither held
    assert not held_low(t, h, LV, CFG).any()


def test_at_lockout_needs_the_level_and_the_permission():
    h = np.array([140.0, 150.0, 170.0, np.nan, 170.0])
    ok = np.array([True, True, False, True, True])
    assert at_lockout(h, ok, LV).tolist() == [False, True, False, False, True]


# opening state
def test_opens_low_when_the_clip_starts_low_and_stays():
    t, h, _ = _plateau_reps(lead=0)
    h = np.concatenate([np.full(15, 100.0), h])  # 0.5 s at the bottom first
    t = np.arange(len(h)) / FPS
    assert opens_low(t, h, Segment(0, len(h)), _states(t, h), LV, CFG)


def test_opens_low_ignores_untracked_frames_in_the_opening():
    t, h = np.arange(60) / FPS, np.full(60, 100.0)
    h[3:6] = np.nan
    assert opens_low(t, h, Segment(0, 60), _states(t, h), LV, CFG)


@pytest.mark.parametrize(
    "opening",
    [
        [100.0] * 2 + [180.0] * 10,  # a brief low glitch, then the top within start_hold_s
        [180.0] + [100.0] * 11,  # the first frame at lockout
        [100.0] * 5 + [145.0] * 7,  # under lockout, but not min_rom_deg under it, within start_hold_s
    ],
    ids=["glitch", "at_lockout", "not_low_enough"],
)
def test_opens_low_is_false(opening):
    h = np.concatenate([opening, np.full(48, 100.0)])
    t = np.arange(len(h)) / FPS
    assert not opens_low(t, h, Segment(0, len(h)), _states(t, h), LV, CFG)


def test_opens_low_only_looks_inside_its_segment():
    t = np.arange(60) / FPS
    h = np.concatenate([np.full(30, 180.0), np.full(30, 100.0)])
    assert opens_low(t, h, Segment(30, 60), _states(t, h), LV, CFG)
    assert not opens_low(t, h, Segment(0, 60), _states(t, h), LV, CFG)


# the hysteresis
def _pairs(t, h, starts_low=False, seg=None, **kw):
    seg = Segment(0, len(h)) if seg is None else seg
    return pair_lows_with_lockouts(h, seg, _states(t, h, **kw), LV, CFG, starts_low)


def test_pairs_each_bottom_with_the_first_lockout_after_it():
    t, h, truth = _plateau_reps(n_reps=3)
    found = _pairs(t, h)
    first_at_lockout = [tr["ascent"] + int(np.argmax(h[tr["ascent"] :] >= LV.lockout_deg)) for tr in truth]
    assert found == [
        Candidate(Segment(0, len(h)), bottom=tr["bottom"], lockout=lock, seen=True)
        for tr, lock in zip(truth, first_at_lockout)
    ]


def test_pairs_nothing_without_a_lockout_after_the_bottom():
    t, h, truth = _plateau_reps(n_reps=2)
    stop = truth[1]["ascent"] + 5  # cut off half-way up rep 2
    assert len(_pairs(t[:stop], h[:stop])) == 1


def test_pairs_nothing_where_no_lockout_is_allowed():
    t, h, _ = _plateau_reps(n_reps=2)
    assert _pairs(t, h, ok=np.zeros(len(h), bool)) == []


def test_pairs_nothing_for_a_single_frame_dip():
    t, h = np.arange(90) / FPS, np.full(90, 180.0)
    h[40] = 90.0
    assert _pairs(t, h) == []


def test_a_clip_starting_above_the_down_level_counts_only_when_it_opens_low():
    """A bridge starting at 145 deg: not "down" by level, but it opens low and rises to lockout."""
    t = np.arange(90) / FPS
    h = np.concatenate([np.full(30, 145.0), _ramp(145.0, 180.0, 30), np.full(30, 180.0)])
    assert _pairs(t, h, starts_low=False) == []
    (rep,) = _pairs(t, h, starts_low=True)
    assert (rep.bottom, rep.seen) == (0, True)


def test_pairs_lowest_frame_is_the_first_of_a_flat_bottom():
    t, h, truth = _plateau_reps(n_reps=1, hold=20)
    (rep,) = _pairs(t, h)
    assert rep.bottom == truth[0]["bottom"]


def _out_of_view(edge_before=True, edge_after=True, rise_to=130.0, back_at=120.0):
    """Held low at 60, rising to ``rise_to`` when the tracker loses the lifter for 1 s (frames 60-89), back
    at ``back_at`` after it and lowering. Returns (t, h, edge)."""
    h = np.concatenate(
        [np.full(30, 60.0), _ramp(60.0, rise_to, 30), np.full(30, np.nan), np.linspace(back_at, 60.0, 30)]
    )
    t = np.arange(len(h)) / FPS
    edge = np.zeros(len(h), bool)
    edge[59] = edge_before
    edge[90] = edge_after
    return t, h, edge


def test_pairs_a_lockout_hidden_in_a_tracking_gap():
    t, h, edge = _out_of_view()
    assert out_of_view_lockout(h, edge, 59, 90, 0, LV, CFG)
    assert _pairs(t, h, edge=edge) == [Candidate(Segment(0, 120), bottom=0, lockout=(59 + 90) // 2, seen=False)]


@pytest.mark.parametrize(
    "kw",
    [
        {"edge_before": False},  # the head was not at the top edge on the way out
        {"edge_after": False},  # ...or on the way back in
        {"rise_to": 60.0 + CFG.min_out_of_view_rise_deg - 1},  # barely rose before the gap
        {"back_at": LV.lockout_deg},  # back at lockout after the gap: an ordinary, seen lockout
    ],
    ids=["no_edge_before", "no_edge_after", "no_rise", "seen_after"],
)
def test_no_lockout_out_of_view(kw):
    t, h, edge = _out_of_view(**kw)
    assert not out_of_view_lockout(h, edge, 59, 90, 0, LV, CFG)
    assert all(c.seen for c in _pairs(t, h, edge=edge))


def test_no_lockout_out_of_view_between_neighbouring_frames():
    h = np.array([60.0, 60.0, 130.0, 120.0])
    assert not out_of_view_lockout(h, np.ones(4, bool), 2, 3, 0, LV, CFG)


# partial reps
SEG = Segment(0, 7)
H_PARTIAL = np.array([100.0, 180.0, 180.0, 165.0, 180.0, 100.0, 180.0])
FULL_A = Candidate(SEG, bottom=0, lockout=1, seen=True)
PARTIAL = Candidate(SEG, bottom=3, lockout=4, seen=True)  # 15 deg: under rom_fraction of 80
FULL_B = Candidate(SEG, bottom=5, lockout=6, seen=True)


def test_neighbours_stay_inside_the_segment():
    other = Candidate(Segment(10, 20), bottom=12, lockout=15, seen=True)
    cands = [FULL_A, PARTIAL, other]
    assert neighbours(cands, 0) == Neighbours(prev_lockout=None, next_bottom=3)
    assert neighbours(cands, 1) == Neighbours(prev_lockout=1, next_bottom=SEG.stop)
    assert neighbours(cands, 2) == Neighbours(prev_lockout=None, next_bottom=20)


def test_candidate_roms_run_from_the_bottom_to_the_highest_point_before_the_next_bottom():
    assert candidate_roms(H_PARTIAL, [FULL_A, PARTIAL, FULL_B]) == [80.0, 15.0, 80.0]


def test_drop_partial_drops_a_small_rep():
    assert drop_partial(H_PARTIAL, [FULL_A, PARTIAL, FULL_B], CFG) == [FULL_A, FULL_B]


def test_drop_partial_keeps_a_rep_at_the_fraction():
    h = H_PARTIAL.copy()
    h[3] = 180.0 - CFG.rom_fraction * 80.0
    assert drop_partial(h, [FULL_A, PARTIAL, FULL_B], CFG) == [FULL_A, PARTIAL, FULL_B]


def test_drop_partial_keeps_out_of_view_lockouts():
    unseen = Candidate(SEG, bottom=3, lockout=4, seen=False)
    assert candidate_roms(H_PARTIAL, [unseen]) == [float("inf")]
    assert drop_partial(H_PARTIAL, [FULL_A, unseen], CFG) == [FULL_A, unseen]
    assert drop_partial(H_PARTIAL, [unseen], CFG) == [unseen]
    assert drop_partial(H_PARTIAL, [], CFG) == []


# phase edges
def _driver(t, h):
    with np.errstate(invalid="ignore"):
        return Driver(t=t, h=h, speed=np.gradient(h, t))


def test_phase_edges_of_a_seen_rep():
    """Each edge within a frame of the designed one (central differences blur the speed by a frame)."""
    t, h, truth = _plateau_reps(n_reps=2)
    d, tr, seg = _driver(t, h), truth[1], Segment(0, len(h))
    crossing = tr["ascent"] + int(np.argmax(h[tr["ascent"] :] >= LV.lockout_deg))
    top = top_frame(d, crossing, seg.stop, CFG)
    assert h[top] == 180.0 and tr["top"] <= top < tr["leave"]
    assert lockout_frame(d, tr["bottom"], crossing, top, CFG) == tr["top"]
    assert abs(end_frame(d, top, seg.stop, CFG) - tr["leave"]) <= 1
    prev_lockout = truth[0]["top"]
    start, seen = descent_start(d, seg, tr["bottom"], prev_lockout, LV, CFG)
    assert seen and abs(start - (tr["descent"] - 1)) <= 1  # the last frame at the top
    b0, b1 = bottom_pause(d, tr["bottom"], start, tr["top"] + 1, CFG)
    assert abs(b0 - tr["bottom"]) <= 1 and abs(b1 - tr["ascent"]) <= 1


def test_lockout_frame_is_not_before_the_crossing():
    t, h, truth = _plateau_reps(n_reps=1)
    d, tr = _driver(t, h), truth[0]
    assert lockout_frame(d, tr["bottom"], tr["top"] + 5, tr["top"] + 10, CFG) == tr["top"] + 5


def test_descent_not_seen_when_the_segment_opens_low():
    t, h, truth = _plateau_reps(n_reps=1, lead=0)
    h = np.concatenate([np.full(15, 100.0), h[truth[0]["ascent"] :]])
    t = np.arange(len(h)) / FPS
    start, seen = descent_start(_driver(t, h), Segment(0, len(h)), 0, None, LV, CFG)
    assert (start, seen) == (0, False)
    h[:3] = np.nan  # ...the first tracked frame
    start, seen = descent_start(_driver(t, h), Segment(0, len(h)), 5, None, LV, CFG)
    assert (start, seen) == (3, False)


def test_unseen_rep_ends_at_the_first_frame_after_the_gap():
    t, h, _ = _out_of_view()
    cand = Candidate(Segment(0, len(h)), bottom=0, lockout=74, seen=False)
    rep = unseen_rep(_driver(t, h), cand, Neighbours(None, len(h)), 1, CFG)
    assert (rep.start, rep.bottom, rep.lockout, rep.end) == (0, 0, 74, 90)
    assert not rep.lockout_seen and rep.eccentric_s is None
    assert np.isnan([rep.rom_deg, rep.top_deg, rep.concentric_s, rep.top_pause_s]).all()
    assert rep.bottom_pause_s == pytest.approx(t[29], abs=1 / FPS)  # still at 60 deg until the rise (frame 30)


def test_segment_reps_phase_durations_match_the_design():
    t, h, truth = _plateau_reps(n_reps=2, move=30, hold=15, rest=30)
    reps, lv = segment_reps(t, h, CFG)
    assert lv == LV and len(reps) == 2
    for rep in reps:
        assert rep.eccentric_s == pytest.approx(30 / FPS, abs=2 / FPS)
        assert rep.bottom_pause_s == pytest.approx(15 / FPS, abs=2 / FPS)
        assert rep.concentric_s == pytest.approx(30 / FPS, abs=2 / FPS)
        assert (rep.rom_deg, rep.bottom_deg, rep.top_deg) == (80.0, 100.0, 180.0)
    assert reps[1].top_pause_s == pytest.approx(30 / FPS, abs=2 / FPS)
    assert reps[0].end <= reps[1].start + 1


def test_frame_states_are_what_classify_frames_returns():
    t, h, _ = _plateau_reps(n_reps=1)
    states = _states(t, h)
    assert isinstance(states, FrameStates)
    assert states.low.tolist() == held_low(t, h, LV, CFG).tolist()
    assert states.locked.tolist() == (h >= LV.lockout_deg).tolist()


def test_a_one_frame_spike_at_the_next_bottom_is_not_the_top():
    """A guessed knee crossing the shoulder-hip line for one frame reads a bridge's signed driver 180 deg as the next
    bottom is reached, where the torso is not lying back and no lockout may count (a rendered thrust 20 degrees off
    the side, whose broken hip angle topped out at 150-157): the rep's top and its lockout stay at the real top."""
    t, h, truth = S.hip_signal(2, fps=15.0, top_deg=160.0, bottom_deg=90.0, start="top")
    lying_back = h > 120.0  # the torso tips back with the hips: near the top only
    spiked = h.copy()
    spiked[np.flatnonzero(t >= truth[1].t_bottom_start)[0] - 1] = 180.0
    reps, _ = segment_reps(t, spiked, CFG, lockout_ok=lying_back)
    assert len(reps) == 2
    assert abs(reps[0].t_lockout - truth[0].t_lockout) <= TIME_TOL_S
    assert reps[0].top_deg == pytest.approx(160.0, abs=1.0)
