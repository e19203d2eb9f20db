"""The shin tilt at the hip-thrust top when the ankle landmark leaves the shin.

Rendered side-view thrusts show MediaPipe putting the near ankle on the far ankle at the top, or sliding it up
the shin (docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle'): the knee-ankle line is then shorter
than the lifter's shin and tilts less than the shin. ``shin_length_ratio`` measures that length against the
clip's own, and ``ht.shin_angle`` reads the tilt only from frames where it is the lifter's.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import kinematics
from formcheck.config import load_config
from formcheck.exercises.hip_thrust import OFF_THE_SHIN
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks
from formcheck.types import PoseSequence
from tests import synthetic as S

CFG = load_config()
HT = CFG.hip_thrust
#: Where the far leg's landmarks sit from the near leg's on screen (perspective: further from the camera, so up
#: and towards the picture's centre), pixels; about what the rendered thrusts show at 640x360.
FAR_OFFSET_PX = (-10.0, -16.0)
#: Knee angle at the top: a level thigh puts the shin 15 degrees from vertical (feet out), past the warning.
TOP_KNEE_DEG = 105.0


def _thrusts() -> S.Synthetic:
    return S.hip_thrust_set(top_knee_deg=TOP_KNEE_DEG, far_offset_px=FAR_OFFSET_PX)


def _near(seq: PoseSequence) -> str:
    return "right" if np.nanmean(seq.visibility[:, Landmark.RIGHT_KNEE]) > 0.8 else "left"


def _top_frames(syn: S.Synthetic, share: float) -> np.ndarray:
    """The first ``share`` of every rep's top window as ``ht.shin_angle`` reads it (lockout to the rep's end, reps
    found on the clean clip), as frame indices."""
    frames: list[int] = []
    for rep in analyze_landmarks(syn.seq, CFG, exercise="hip_thrust").reps:
        a, b = rep.lockout, max(rep.end, rep.lockout + 1)
        frames += range(a, a + max(1, int(round(share * (b - a)))))
    return np.array(frames)


def _near_ankle_on_far(syn: S.Synthetic, frames: np.ndarray) -> PoseSequence:
    """The near ankle landmark put where the far ankle is, in ``frames`` (what the model does at the top)."""
    seq = syn.seq
    near = _near(seq)
    ankle, other = (
        (Landmark.RIGHT_ANKLE, Landmark.LEFT_ANKLE) if near == "right" else (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE)
    )
    xy = seq.xy.copy()
    xy[frames, ankle] = xy[frames, other]
    return seq.replace(xy=xy)


def _shin_findings(seq: PoseSequence) -> list:
    a = analyze_landmarks(seq, CFG, exercise="hip_thrust")
    return [f for f in a.findings if f.rule == "ht.shin_angle"]


def test_shin_length_ratio_is_one_on_a_clean_shin():
    """Exact landmarks: the shin keeps its length on screen whatever its tilt, so the ratio is 1 in every frame."""
    series, _, _ = kinematics.compute(_thrusts().seq)
    ratio = series["shin_length_ratio"]
    assert np.all(np.isfinite(ratio))
    assert np.nanmax(np.abs(ratio - 1.0)) < 0.01


def test_near_ankle_on_the_far_ankle_shortens_the_shin_and_under_reads_the_tilt():
    """The failure as rendered thrusts show it: the ratio drops past the tolerance and the raw tilt reads less
    than the shin's (so the unfiltered median would under-read)."""
    syn = _thrusts()
    frames = _top_frames(syn, 0.6)
    clean, _, _ = kinematics.compute(syn.seq)
    broken, _, _ = kinematics.compute(_near_ankle_on_far(syn, frames))
    assert np.all(broken["shin_length_ratio"][frames] < 1.0 - HT.shin_length_tolerance)
    true_tilt = np.abs(clean["shin_tilt_deg"][frames])
    assert np.all(np.abs(broken["shin_tilt_deg"][frames]) < true_tilt - 2.0)


def test_the_rule_reads_the_true_tilt_past_an_ankle_on_the_far_ankle():
    """With the near ankle on the far ankle in 60 % of every top, ht.shin_angle reads what it reads on the clean
    legs (the frames where the knee-ankle length is the shin's), not the under-read of the mixed median."""
    syn = _thrusts()
    clean = _shin_findings(syn.seq)
    broken = _shin_findings(_near_ankle_on_far(syn, _top_frames(syn, 0.6)))
    assert len(clean) == len(broken) == 3
    expected = abs(90.0 - TOP_KNEE_DEG - HT.shin_tilt_top_bias_deg)
    for c, b in zip(clean, broken, strict=True):
        assert c.value == pytest.approx(expected, abs=0.5)
        assert b.value == pytest.approx(c.value, abs=0.5)
        assert b.verdict == c.verdict


def test_clean_legs_read_as_before():
    """Both legs clean: every top frame is kept, so the reading is the plain median of the top, bias removed."""
    syn = _thrusts()
    a = analyze_landmarks(syn.seq, CFG, exercise="hip_thrust")
    ratio = a.series["shin_length_ratio"]
    for rep in a.reps:
        window = slice(rep.lockout, max(rep.end, rep.lockout + 1))
        assert np.all(ratio[window] >= 1.0 - HT.shin_length_tolerance)
        plain = float(np.nanmedian(a.series["shin_tilt_deg"][window])) - HT.shin_tilt_top_bias_deg
        got = next(f for f in a.findings if f.rule == "ht.shin_angle" and f.rep == rep.index)
        assert got.value == pytest.approx(abs(plain), abs=1e-6)


def test_an_ankle_off_the_shin_all_through_the_top_is_not_checked():
    syn = _thrusts()
    findings = _shin_findings(_near_ankle_on_far(syn, _top_frames(syn, 1.0)))
    assert findings
    assert all(f.verdict == "not_checked" for f in findings)
    assert any(f.message == OFF_THE_SHIN for f in findings)


def test_a_top_a_little_short_all_through_is_still_read():
    """A top whose shin reads a steady 6 % short of the clip's (real side-view thrusts show 6-8 %: the camera sees
    the top's shin from another angle than the bottom's) is a shin, not a glitch: it is read, at its tilt."""
    syn = _thrusts()
    frames = _top_frames(syn, 1.0)
    seq = syn.seq
    xy = seq.xy.copy()
    for knee, ankle in ((Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE), (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE)):
        # the ankle slid 6 % of the shin towards the knee, along the shin: the line keeps its tilt
        xy[frames, ankle] = xy[frames, ankle] + 0.06 * (xy[frames, knee] - xy[frames, ankle])
    clean = _shin_findings(seq)
    short = _shin_findings(seq.replace(xy=xy))
    assert [f.verdict for f in short] == [f.verdict for f in clean]
    assert [f.value for f in short] == pytest.approx([f.value for f in clean], abs=0.5)
