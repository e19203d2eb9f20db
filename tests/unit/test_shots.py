"""Edited clips: picture cuts, shots with their own camera angle, counting per shot.

Cuts are found on generated picture-change signals with known answers; shots and per-shot
counting on synthetic landmark sets joined at a cut (a side-view part and a part turned to face
the camera).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import kinematics
from formcheck.config import DetectConfig, RepConfig, load_config
from formcheck.exercises.detect import classify_shots, picture_cuts
from formcheck.landmarks import PAIRS, Landmark
from formcheck.pipeline import analyze_landmarks
from formcheck.reps import segment_reps
from formcheck.types import PoseSequence
from tests import synthetic as S

DET = DetectConfig()
FPS = 30.0


def _change(n: int = 150, base: float = 0.6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A still shot's picture change: compression noise around ``base`` grey levels."""
    rng = np.random.default_rng(seed)
    v = np.abs(rng.normal(base, 0.15, n))
    v[0] = np.nan
    return v, np.arange(n) / FPS


# -- picture cuts on generated signals ---------------------------------------------------------
def test_a_single_jump_is_a_cut():
    v, t = _change()
    v[90] = 8.0
    assert picture_cuts(v, t, DET) == [90]


def test_still_and_moving_shots_have_no_cut():
    v, t = _change()
    assert picture_cuts(v, t, DET) == []
    v[60:70] = np.linspace(3.5, 6.0, 10)  # a fast movement or a pan: high change over several frames
    assert picture_cuts(v, t, DET) == []


def test_a_jump_under_the_minimum_is_no_cut():
    v, t = _change(base=0.2)
    v[90] = 0.9 * DET.cut_min_picture_change
    assert picture_cuts(v, t, DET) == []


def test_a_jump_in_a_busy_shot_is_no_cut():
    v, t = _change(base=2.0)
    v[90] = 0.8 * DET.cut_min_change_ratio * 2.0
    assert picture_cuts(v, t, DET) == []


def test_jumps_close_together_are_flicker_not_cuts():
    v, t = _change()
    v[80], v[84] = 8.0, 7.0
    assert picture_cuts(v, t, DET) == []
    v[84] = v[83]
    v[80 + int(2 * DET.cut_window_s * FPS)] = 7.0  # far enough apart: two cuts
    assert picture_cuts(v, t, DET) == [80, 80 + int(2 * DET.cut_window_s * FPS)]


def test_cuts_ignore_missing_values():
    v, t = _change()
    v[10:20] = np.nan
    v[100] = 9.0
    assert picture_cuts(v, t, DET) == [100]


# -- shots -------------------------------------------------------------------------------------
def _turn_to_camera(seq: PoseSequence) -> PoseSequence:
    """The same movement seen along the body: left and right landmarks spread across the picture
    and side by side in depth (world z equal), as a camera at the feet sees them."""
    xy, world, vis = seq.xy.copy(), None if seq.world is None else seq.world.copy(), seq.visibility.copy()
    spread = 0.25 * seq.meta.height
    for left, right in PAIRS.values():
        mid = 0.5 * (xy[:, left] + xy[:, right])
        xy[:, left], xy[:, right] = mid, mid.copy()
        xy[:, left, 0] -= spread / 2
        xy[:, right, 0] += spread / 2
        vis[:, left] = vis[:, right] = np.maximum(vis[:, left], vis[:, right])
        if world is not None:
            wmid = 0.5 * (world[:, left] + world[:, right])
            world[:, left], world[:, right] = wmid, wmid.copy()
            world[:, left, 0] -= 0.2
            world[:, right, 0] += 0.2
    return seq.replace(xy=xy, world=world, visibility=vis)


def _joined(first: PoseSequence, second: PoseSequence, with_change: bool = True) -> PoseSequence:
    """Two parts one after the other, as an edited clip; the picture jumps at the join."""
    n1, n2 = len(first), len(second)
    t = np.concatenate([first.t, first.t[-1] + 1 / FPS + second.t - second.t[0]])
    change = None
    if with_change:
        change, _ = _change(n1 + n2)
        change[n1] = 9.0
    world = None if first.world is None else np.concatenate([first.world, second.world])
    return first.replace(
        xy=np.concatenate([first.xy, second.xy]),
        visibility=np.concatenate([first.visibility, second.visibility]),
        t=t,
        frame_index=np.arange(n1 + n2),
        world=world,
        n_people=np.concatenate([first.n_people, second.n_people]),
        frame_change=change,
    )


def test_a_cut_between_two_camera_angles_makes_two_shots():
    side = S.rdl_set(n_reps=2, world=True).seq
    front = _turn_to_camera(S.rdl_set(n_reps=2, world=True).seq)
    seq = _joined(side, front)
    shots = classify_shots(seq, DET)
    assert [(s.start, s.stop, s.view.label) for s in shots] == [(0, len(side), "side"), (len(side), len(seq), "front")]


def test_a_cut_that_keeps_the_angle_is_one_shot():
    seq = _joined(S.rdl_set(n_reps=2, world=True).seq, S.rdl_set(n_reps=2, world=True).seq)
    shots = classify_shots(seq, DET)
    assert len(shots) == 1 and shots[0].view.label == "side" and (shots[0].start, shots[0].stop) == (0, len(seq))


def test_without_picture_changes_a_turn_of_the_camera_still_makes_two_shots():
    # no cut recorded: the yaw itself sweeps from side to front (formcheck.camera.yaw_changes)
    side = S.rdl_set(n_reps=2, world=True).seq
    seq = _joined(side, _turn_to_camera(S.rdl_set(n_reps=2, world=True).seq), with_change=False)
    assert [s.view.label for s in classify_shots(seq, DET)] == ["side", "front"]


def test_mixed_clip_counts_each_shot_and_judges_the_front_only_for_the_tempo():
    side = S.rdl_set(n_reps=2, world=True).seq
    front = _turn_to_camera(S.rdl_set(n_reps=3, world=True).seq)
    a = analyze_landmarks(_joined(side, front), load_config(), exercise="rdl")
    assert a.view.label == "mixed"
    assert [s["view"] for s in a.view.detail["shots"]] == ["side", "front"]
    assert len(a.reps) == 5 and [r.index for r in a.reps] == [1, 2, 3, 4, 5]
    assert all(r.lockout < len(side) for r in a.reps[:2]) and all(r.bottom >= len(side) for r in a.reps[2:])
    # the second shot's reps are moved to the clip's frame numbers, lift-off included
    assert all(r.bottom <= r.rise <= r.lockout for r in a.reps)
    assert a.judged
    for f in a.findings:
        if f.rep > 2 and f.rule == "rdl.tempo":  # heights on screen: the shoulders' drop shows from the front
            assert f.verdict == "pass" and "not judged from the front" in f.message, f
        elif f.rep > 2:
            assert f.verdict == "not_checked" and "front" in f.message
    assert any(f.verdict != "not_checked" for f in a.findings if f.rep <= 2)
    mixed = next(w for w in a.warnings if w.code == "mixed_view")
    assert 'reps filmed from the front or back are judged only for "Controlled eccentric"' in mixed.message


# -- short-range bridges and bridges filmed from the feet ----------------------------------------
def test_short_range_bridge_counts_with_relative_down():
    """Frog pumps: the driver moves between about 137 and 176 deg; the ordinary down level (lockout
    level minus min_rom_deg) is never reached."""
    t = np.arange(0, 6, 1 / FPS)
    h = 156.5 + 19.5 * np.cos(2 * np.pi * t / 0.8)
    cfg = RepConfig()
    ordinary, _ = segment_reps(t, h, cfg, lockout_tolerance_deg=cfg.bridge_lockout_tolerance_deg)
    relative, _ = segment_reps(t, h, cfg, lockout_tolerance_deg=cfg.bridge_lockout_tolerance_deg, relative_down=True)
    assert ordinary == []
    assert len(relative) == 7, "eight tops; the clip starts at the first one"


def test_relative_down_ignores_small_movements():
    t = np.arange(0, 6, 1 / FPS)
    h = 170 + 0.4 * RepConfig().down_range_min_deg * np.cos(2 * np.pi * t / 0.8)
    assert segment_reps(t, h, RepConfig(), relative_down=True)[0] == []


def test_hip_lift_driver_follows_the_pelvis_in_the_picture():
    seq = S.rdl_set(n_reps=1, world=True).seq
    xy = seq.xy.copy()
    n = len(seq)
    lift = 40.0 * (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n))  # px up, peak mid-clip
    for lm in (Landmark.LEFT_HIP, Landmark.RIGHT_HIP):
        xy[:, lm, 1] = 400.0 - lift
    xy[:, Landmark.LEFT_SHOULDER] = (300.0, 300.0)
    xy[:, Landmark.RIGHT_SHOULDER] = (380.0, 300.0)  # shoulder width 80 px
    d = kinematics.hip_lift_deg(seq.replace(xy=xy))
    assert int(np.nanargmax(d)) == pytest.approx(n // 2, abs=2)
    assert np.nanmax(d) == pytest.approx(180.0, abs=1.0)
    assert np.nanmax(d) - np.nanmin(d) == pytest.approx(kinematics.HIP_LIFT_DEG_PER_SHOULDER_WIDTH * 40 / 80, rel=0.1)
