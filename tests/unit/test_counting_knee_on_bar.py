"""A deadlift's near knee drawn onto the bar while the lifter stands, and a hip angle that closes with the trunk
upright: neither is a rep.

clip_013 and clip_065 (side view, 45 cm plates): at lockout the near plate hides the near leg and the model draws its
knee onto the bar in the lifter's hands for about a second. The shoulder-hip-knee angle falls 50-70 degrees with the
lifter standing still, then comes back: one clip counted a second rep there, the other (posed with the mirror pass)
never saw its lockout. The far leg stays straight, and the trunk stays upright: a hinge's bottom leans forward
(COACHING.md §3). Here a generated set is edited the same way.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.landmarks import PAIRS
from formcheck.pipeline import analyze_landmarks
from formcheck.reps import segment
from formcheck.sensitivity import match_reps
from formcheck.types import PoseSequence
from tests.synthetic_deadlift import deadlift_set

RENDERED = Path(__file__).resolve().parent.parent / "data" / "rendered"
#: The seconds of each 0.8-s lockout hold in which the near knee sits on the bar (the middle of it).
ON_BAR_S = (0.15, 0.65)


#: Where the model drew the knee: a thigh's length from the hip, this far below the horizontal, in front (clip_065:
#: on the plate's hub, the shoulder-hip-knee angle 72-80 degrees).
KNEE_BELOW_HORIZONTAL_DEG = 15.0


def _knee_on_bar(seq: PoseSequence, lockouts: list[float], facing: int) -> PoseSequence:
    """``seq`` with the near (left) knee drawn on the plate's hub in front of the hips, seen better than the far
    knee, for ``ON_BAR_S`` of every lockout hold."""
    xy, vis = seq.xy.copy(), seq.visibility.copy()
    near, far = PAIRS["knee"]
    hip = xy[:, PAIRS["hip"][0]]
    thigh = float(np.nanmedian(np.linalg.norm(xy[:, near] - hip, axis=-1)))
    a = np.radians(KNEE_BELOW_HORIZONTAL_DEG)
    for t_lockout in lockouts:
        span = (seq.t >= t_lockout + ON_BAR_S[0]) & (seq.t <= t_lockout + ON_BAR_S[1])
        xy[span, near] = hip[span] + thigh * np.array([facing * np.cos(a), np.sin(a)])
        vis[span, near] = 0.99
        vis[span, far] = 0.6
    return seq.replace(xy=xy, visibility=vis)


@pytest.mark.parametrize("lean_deg", [None, 0.0], ids=["default", "straighter-leg-alone"])
@pytest.mark.parametrize("facing", [1, -1])
def test_the_near_knee_on_the_bar_at_lockout_is_no_rep(facing, lean_deg):
    """Counted on the straighter leg while the trunk is upright; with the lean test off (``lean_deg`` 0) that
    alone keeps the count (with both off, 6 reps)."""
    synth = deadlift_set(n_reps=3, facing=facing)
    lockouts = [r.t_lockout for r in synth.reps]
    seq = _knee_on_bar(synth.seq, lockouts, facing)
    # the cleaning's stray-leg check (formcheck.cleaning.stray_legs) drops such a knee where its shin misses the
    # lifter's by enough; off here, so that the counting's own defence is what is tested
    config = load_config()
    config = replace(config, cleaning=replace(config.cleaning, stray_leg_misfit=4.0))
    if lean_deg is not None:
        config = replace(config, reps=replace(config.reps, hinge_bottom_min_torso_deg=lean_deg))
    analysis = analyze_landmarks(seq, config, exercise="deadlift")
    # the edit is what the clips showed: the both-legs hip angle falls under the "down" level while standing
    hold = (seq.t >= lockouts[0] + ON_BAR_S[0]) & (seq.t <= lockouts[0] + ON_BAR_S[1])
    assert np.nanmin(analysis.series["hip_deg"][hold]) < analysis.levels.down_deg
    assert len(analysis.reps) == len(synth.reps)
    for rep, truth in zip(analysis.reps, synth.reps, strict=True):
        assert rep.t_lockout == pytest.approx(truth.t_lockout, abs=0.2)


def test_a_hinge_is_only_down_with_the_trunk_leaning():
    """The hysteresis itself: a dip of the hip angle where ``low_ok`` is False is not a bottom."""
    config = load_config().reps
    t = np.arange(0, 6, 1 / 30)
    h = 175 - 90 * np.exp(-(((t - 1.5) / 0.4) ** 2)) - 90 * np.exp(-(((t - 4.0) / 0.4) ** 2))
    leaning = np.ones(len(t), dtype=bool)
    assert len(segment(t, h, config, low_ok=leaning).reps) == 2
    leaning[t > 3.0] = False  # the second dip with the trunk upright
    reps = segment(t, h, config, low_ok=leaning).reps
    assert len(reps) == 1 and reps[0].t_bottom == pytest.approx(1.5, abs=0.05)
    assert len(segment(t, h, replace(config, hinge_bottom_min_torso_deg=0.0), low_ok=leaning).reps) == 1


def test_the_straighter_leg_is_read_only_where_the_legs_disagree():
    """Legs within ``reps.hinge_legs_apart_deg`` are both read: the larger of two noisy readings reads high, and a
    camera swing that read both hips at 138-141° for four frames (clip_023, no lockout in the clip) made a rep."""
    from formcheck.counting import straighter_hip_deg

    synth = deadlift_set(n_reps=1)
    seq = synth.seq
    merged = np.full(len(seq), 123.0)
    # the rendered legs overlap: every frame both legs agree, so the both-legs angle is kept
    assert np.array_equal(straighter_hip_deg(seq, merged, 20.0), merged)
    lockout = synth.reps[0].t_lockout
    bent = _knee_on_bar(seq, [lockout], 1)
    out = straighter_hip_deg(bent, merged, 20.0)
    hold = (seq.t >= lockout + ON_BAR_S[0]) & (seq.t <= lockout + ON_BAR_S[1])
    assert np.all(out[hold] > 170.0) and np.array_equal(out[~hold], merged[~hold])
    assert np.array_equal(straighter_hip_deg(bent, merged, 180.0), merged)  # no two legs that far apart


def test_a_lockout_with_the_head_out_of_the_top_of_the_frame_counts():
    """clip_014: camera close and low; standing up, the lifter's head leaves through the top edge with the hips at
    161-170°, the guessed shoulders read the trunk 47-53° from vertical, and the tracker loses him for 3.3 s
    (longer than a gap the rep state bridges) until he is back over the bar. With the head at the top edge the hip
    angle decides the lockout alone."""
    from formcheck.landmarks import Landmark

    synth = deadlift_set(n_reps=1)
    seq = synth.seq
    rep = synth.reps[0]
    xy = seq.xy.copy()
    face = [Landmark.NOSE, *range(1, 11)]
    # from half-way up the pull the picture's top edge cuts through the head: shift the whole body down so that
    # the face sits at the edge at lockout, lean the guessed shoulders forward, then lose him
    near_top = seq.t >= rep.t_lockout - 0.15
    nose_top = np.nanmin(xy[near_top][:, face, 1])
    xy[:, :, 1] += 0.05 * seq.meta.height - nose_top
    # from the bottom on, the shoulders and the knees behind the plate are guessed: the trunk 50° forward, the hip
    # angle as it truly opens (clip_014: 47-53° with the hips at 161-170°)
    rising = seq.t >= rep.t_bottom
    true_hip = np.radians(analyze_landmarks(seq, load_config(), exercise="deadlift").series["hip_deg"][rising])
    for side in (0, 1):
        hip = xy[rising, PAIRS["hip"][side]]
        for joint, direction in (("shoulder", np.radians(50)), ("knee", np.radians(50) + true_hip)):
            lm = PAIRS[joint][side]
            length = np.linalg.norm(xy[rising, lm] - hip, axis=-1)[:, None]
            xy[rising, lm] = hip + length * np.stack([np.sin(direction), -np.cos(direction)], axis=-1)
    lost = seq.t > rep.t_lockout + 0.05
    xy[lost] = np.nan
    edited = seq.replace(xy=xy)
    analysis = analyze_landmarks(edited, load_config(), exercise="deadlift")
    assert len(analysis.reps) == 1
    assert analysis.reps[0].t_lockout == pytest.approx(rep.t_lockout, abs=0.25)
    # the same without the head at the edge (the picture taller): the leaning trunk keeps it from counting
    low = seq.replace(xy=xy + [0.0, 0.2 * seq.meta.height])
    assert len(analyze_landmarks(low, load_config(), exercise="deadlift").reps) == 0


def test_a_plate_hidden_rdl_is_down_without_the_lean():
    """A rendered RDL with 45 cm plates filmed from the side (rushed_az0_right_b1 of the rates grid, landmarks of the
    full model): the model draws the hidden hips onto the bar, so the hip-to-shoulder line reads 11-15° from
    vertical at bottoms where the trunk leans 80°. Its reps are counted on the shoulders, and the lean test, which
    reads that line, is not asked (asked, it counted 0 of 4)."""
    seq = PoseSequence.load_npz(RENDERED / "rushed_az0_right_b1.full.npz")
    truth = json.loads((RENDERED / "rushed_az0_right_b1.lockouts.json").read_text())
    analysis = analyze_landmarks(seq, load_config())
    assert analysis.family == "hinge"
    lean = np.abs(analysis.series["torso_incline_deg"])
    assert all(lean[rep.bottom] < 20.0 for rep in analysis.reps)  # what the lean test would have read
    assert len(match_reps(truth["lockout_s"], analysis.reps)) == len(truth["lockout_s"]) == len(analysis.reps)
