"""The judging lines from the cut (COACHING.md §1 and §4), rule by rule, through the rules themselves with the
default config: a rep read at §1's fault size (plus the bias measured on rendered truth) is a fault, one at the fine
size passes, one between is a warning at most; a rule whose fine and fault readings lie under 3.3 SDs apart keeps
its fault line, and a rep at the fault size there is at most a warning (docs/ACCURACY.md 'The judging lines from
the cut, rule by rule')."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.exercises import deadlift, hip_thrust, rdl
from formcheck.exercises.base import Judgement, RuleContext, fault_from, run_rule, separable
from formcheck.exercises.hinge import HIPS_THROUGH
from formcheck.trust import Reason, TrustTable
from formcheck.types import AngleSeries, Rep

CFG = load_config()
N = 30
#: start 5, bottom 12, lockout 20, end 28 (30 fps): the top window is [20, 28), the start window the frames before 5.
REP = Rep(0, 5, 12, 20, 28, 5 / 30, 12 / 30, 20 / 30, 28 / 30, 7 / 30, 0.0, 8 / 30, 8 / 30, 90.0, 80.0, 170.0)


def _ctx(rules: object, **signals: np.ndarray) -> RuleContext:
    names = tuple(signals)
    values = np.stack([signals[n] for n in names], axis=1)
    series = AngleSeries(t=np.arange(N) / 30.0, names=names, values=values, side="left", facing=1)
    return RuleContext(series=series, reps=[REP], rules=rules, view="side", pure_side=True)


def _rule(rules: tuple, rule_id: str):
    return next(r for r in rules if r.id == rule_id)


def hips_through(top_hip: float) -> str:
    hip = np.full(N, top_hip)
    hip[REP.start + 1 : REP.lockout] = 90.0
    return run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), REP).verdict


def shin_angle(true_tilt: float) -> str:
    cfg = CFG.hip_thrust
    read = np.full(N, true_tilt + cfg.shin_tilt_top_bias_deg)  # as read: the bias measured on rendered tops
    ctx = _ctx(cfg, shin_tilt_deg=read, hip_line_dev_deg=np.zeros(N))
    return run_rule(_rule(hip_thrust.RULES, "ht.shin_angle"), ctx, REP).verdict


def hinge_going_back(read: float) -> tuple[np.ndarray, np.ndarray]:
    """A 90-degree hinge (hip angle 170 -> 80) whose hips read ``read`` leg lengths further back at the bottom than
    at the start, both held from the bottom until the way up (the rule reads the start position and the bottom)."""
    hip = np.full(N, 170.0)
    hip[REP.start : REP.bottom + 1] = np.linspace(170.0, 80.0, REP.bottom - REP.start + 1)
    hip[REP.bottom + 1 : REP.lockout] = 80.0
    back = np.zeros(N)
    back[REP.start : REP.bottom + 1] = np.linspace(0.0, read, REP.bottom - REP.start + 1)
    back[REP.bottom + 1 : REP.lockout] = read
    return hip, back


def hips_back(ratio: float) -> str:
    """Hips truly back ``ratio`` leg lengths for a 90-degree hinge, read with the bias measured on rendered RDLs
    (hips_back_bias_leg), held through the bottom (the rule reads the start position and the bottom)."""
    hip, back = hinge_going_back(ratio + CFG.rdl.hips_back_bias_leg)
    ctx = _ctx(CFG.rdl, hip_deg=hip, hip_back=back)
    return run_rule(_rule(rdl.RULES, "rdl.hips_back"), ctx, REP).verdict


def knees_frozen(shin_read: float, pure_side: bool = True, knee: float = 45.0) -> str:
    """A 90-degree hinge whose shins tilt ``shin_read`` (as read, feet pinned: the fine size +5 reads 4.6, the fault
    size +15 13.3) while the hips sink: the knee closes 45 degrees (ratio 0.5, past hybrid_fault_knee_hip_ratio) and
    the hips go back 0.16 leg lengths (not the hip-travel test)."""
    hip = np.full(N, 170.0)
    hip[REP.start : REP.bottom + 1] = np.linspace(170.0, 80.0, REP.bottom - REP.start + 1)
    ramp = np.zeros(N)  # 0 at the start, 1 from the bottom until the way up (the rule reads around the bottom)
    ramp[REP.start : REP.bottom + 1] = np.linspace(0.0, 1.0, REP.bottom - REP.start + 1)
    ramp[REP.bottom + 1 : REP.lockout] = 1.0
    hip[REP.bottom + 1 : REP.lockout] = 80.0
    signals = {"hip_deg": hip, "shin_tilt_deg": shin_read * ramp, "knee_flexion_deg": knee * ramp}
    ctx = dataclasses.replace(_ctx(CFG.rdl, **signals, hip_back=0.16 * ramp), pure_side=pure_side)
    return run_rule(_rule(rdl.RULES, "rdl.knees_frozen"), ctx, REP).verdict


def tempo(eccentric_read: float) -> str:
    """An eccentric read as ``eccentric_read`` s (30 fps, timed by the shoulders: a 1.2 s eccentric reads 1.16-1.20,
    a 0.7 s one 0.66-0.70). The context has no shoulder or wrist height, so the rule takes the counter's reading."""
    hip = np.full(N, 170.0)
    hip[REP.start : REP.bottom + 1] = np.linspace(170.0, 80.0, REP.bottom - REP.start + 1)
    rep = dataclasses.replace(REP, eccentric_s=eccentric_read, bottom_pause_s=0.3)
    return run_rule(_rule(rdl.RULES, "rdl.tempo"), _ctx(CFG.rdl, hip_deg=hip), rep).verdict


@pytest.mark.parametrize(
    ("judge", "fine", "fault", "between"),
    [
        (hips_through, 172.0, 165.0, [168.2, 169.0]),  # COACHING.md §3: fine 172, fault 165 (bias ~0)
        (shin_angle, 10.0, 20.0, [12.0, 14.9]),  # §1: fine 10, fault 20 (bias +4.5 removed)
        (tempo, 1.15, 0.68, [0.95, 0.99]),  # §1: fine 1.2 s, fault 0.7 s, as read at 30 fps
        (knees_frozen, 4.6, 13.3, [6.0, 8.8]),  # §1: fine +5, fault +15 shin tilt change, as read with the feet pinned
        (hips_back, 0.18, 0.10, [0.145, 0.17]),  # §1: fine 0.18, fault 0.10 leg lengths per 90° (bias removed)
    ],
)
def test_the_fault_size_is_a_fault_the_fine_size_passes_and_between_warns_at_most(judge, fine, fault, between):
    assert judge(fault) == "fault"
    assert judge(fine) == "pass"
    for value in between:
        assert judge(value) in ("pass", "warn")


def test_hips_back_faults_past_the_cut_and_warns_between_it_and_the_warning_line():
    """rdl.hips_back's reading scatters 0.034 (2 SD) on rendered RDLs with the feet pinned, so its fine and fault
    sizes (0.18, 0.10) are 4.7 SDs apart (COACHING.md §4): a flagged rep is a fault past the cut (0.14), a warning
    between the cut and the 0.15 warning line, and the fine size passes."""
    r = CFG.rdl
    cut = (r.hips_back_fine_ratio + r.hips_back_min_ratio * r.hips_back_fault_factor) / 2.0
    assert hips_back(r.hips_back_fine_ratio) == "pass"
    assert hips_back(r.hips_back_min_ratio + 0.005) == "pass"
    assert hips_back(r.hips_back_min_ratio - 0.005) == "warn"
    assert hips_back(cut + 0.003) == "warn"
    for ratio in (cut - 0.003, 0.12, r.hips_back_min_ratio * r.hips_back_fault_factor, 0.0):
        assert hips_back(ratio) == "fault", ratio


@pytest.mark.parametrize(
    ("judge", "short"),
    [(hips_through, 167.0), (shin_angle, 17.0), (tempo, 0.9), (knees_frozen, 10.0), (hips_back, 0.12)],
)
def test_a_rep_at_the_fault_size_read_a_little_short_is_still_a_fault(judge, short):
    """The line sits between the fine and the fault reading, so a fault-size rep read an SD or so short of its
    size (the scatter) is still a fault: that is what the cut buys over a line at the fault size."""
    assert judge(short) == "fault"


def _separable(fine: float, fault: float, uncertainty: float) -> bool:
    return separable(Judgement("fault", fault, fault, 0, fine_line=fine, fault_line=fault), uncertainty)


def test_which_rules_tell_their_sizes_apart_with_the_default_uncertainties():
    """The re-derivation's table: the rules given a fine size are separable (≥ 3.3 SDs) with their measured
    uncertainty; those left without one would not be, with the readings measured on the rendered grid at 0°."""
    ht, r, h = CFG.hip_thrust, CFG.rdl, CFG.hinge
    assert _separable(h.hips_through_fine_deg, h.hips_through_fault_deg, h.hips_through_uncertainty_deg)
    assert _separable(ht.shin_tilt_warn_deg, ht.shin_tilt_fault_deg, ht.shin_angle_uncertainty_deg)
    assert _separable(r.eccentric_fine_read_s, r.eccentric_min_s * r.eccentric_fault_factor, r.tempo_uncertainty_s)
    # fine and fault readings on the rates grid, 0°, default body (docs/ACCURACY.md): under 3.3 SDs apart
    assert not _separable(177.7, 171.5, ht.lockout_uncertainty_deg)  # ht.lockout
    assert not _separable(10.8, 16.4, ht.overextension_uncertainty_deg)  # ht.overextension
    assert not _separable(6.6, 0.0, r.knees_locked_uncertainty_deg)  # rdl.knees_locked (as the hinge begins, 6 bodies)
    # rdl.knees_frozen (shin tilt change): with the feet read where they stood the fine and fault sizes read 4.6 and
    # 13.3 on the bodies grid at 0° (docs/ACCURACY.md "Planted feet"); before, 3.0 and 11.5 with twice the scatter
    assert _separable(r.shin_tilt_warn_deg, r.shin_tilt_fault_deg, r.knees_frozen_uncertainty_deg)
    assert _separable(4.6, 13.3, r.knees_frozen_uncertainty_deg)
    assert not _separable(3.0, 11.5, 8.5)
    assert not _separable(100.0, 114.0, ht.gaze_uncertainty_deg)  # ht.look_at_wall (gaze at the top)
    assert not _separable(0.15, 0.23, r.bar_drift_uncertainty_leg)  # rdl.bar_drift
    # rdl.hips_back: COACHING.md §1's sizes (bias removed) 4.7 SDs apart with the feet pinned and the travel read at
    # the start and the bottom; 2.5 SDs at the 0.064 of the ankle read as drawn
    assert _separable(
        r.hips_back_fine_ratio, r.hips_back_min_ratio * r.hips_back_fault_factor, r.hips_back_uncertainty_leg
    )
    assert not _separable(0.18, 0.10, 0.064)
    assert not _separable(1.15, 0.85, 0.42)  # rdl.tempo timed by the hip angle on the 10 fps grid (2 SD 0.42 there)
    # timed by the shoulders the 10 fps grid tells them apart too: fine 1.16-1.26, fault 0.70-0.73 (medians), 0.205
    assert _separable(1.16, 0.73, 0.205)


def test_the_reported_fault_line_is_the_line_faults_are_given_past():
    j = Judgement("warn", 0.12, 0.15, 0, fault_line=0.10, fine_line=0.18)
    assert fault_from(j, 0.045) == pytest.approx(0.135)  # the cut's line at the 0.045 of fewer bodies
    assert fault_from(j, 0.064) is None  # not separable at the scatter of the ankle read as drawn
    assert fault_from(j, CFG.rdl.hips_back_uncertainty_leg) == pytest.approx(0.14)  # the cut, past the uncertainty
    hip = np.full(N, 166.0)
    hip[REP.start + 1 : REP.lockout] = 90.0
    f = run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), REP)
    assert f.verdict == "fault" and f.fault_line == pytest.approx(172.0 - CFG.hinge.hips_through_uncertainty_deg)


def test_a_flagged_top_cut_off_by_the_clips_end_is_not_checked_a_passing_one_passes():
    """The reading is the top's largest hip angle: if that is the clip's last frame the hips may still be coming up
    (a real clip ending 0.2 s after a lockout read 163° on its one top frame), so a flag there says why it cannot
    judge; a reading already past the warn line passes, as more extension cannot undo it."""
    hip = np.full(N, 90.0)
    hip[REP.lockout :] = np.linspace(160.0, 166.0, N - REP.lockout)  # rising to the last frame
    rep = dataclasses.replace(REP, end=N)
    f = run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), rep)
    assert f.verdict == "not_checked" and "clip ends while the hips are still coming up" in f.message
    hip[REP.lockout :] = np.linspace(170.0, 178.0, N - REP.lockout)
    assert run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), rep).verdict == "pass"
    hip[REP.lockout :] = np.linspace(166.0, 160.0, N - REP.lockout)  # the top seen, falling again
    assert run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), rep).verdict == "fault"


def test_every_lockout_rule_leaves_a_flagged_top_cut_off_by_the_clips_end_unjudged():
    """The same guard for the hip thrust's and the deadlift's lockout: their readings are the top's most extended
    frame too. Cut off while rising: not checked; the top seen and short: flagged; past the line: a pass."""
    rep = dataclasses.replace(REP, end=N)
    lockout = _rule(hip_thrust.RULES, "ht.lockout")
    dev = np.full(N, -60.0)
    dev[REP.lockout :] = np.linspace(-25.0, -15.0, N - REP.lockout)  # rising to the last frame
    ctx = _ctx(CFG.hip_thrust, hip_line_dev_deg=dev)
    f = run_rule(lockout, ctx, rep)
    assert f.verdict == "not_checked" and "clip ends while the hips are still coming up" in f.message
    dev[REP.lockout :] = np.linspace(-15.0, -25.0, N - REP.lockout)  # the top seen, falling again
    assert run_rule(lockout, _ctx(CFG.hip_thrust, hip_line_dev_deg=dev), rep).verdict in ("warn", "fault")
    dev[REP.lockout :] = np.linspace(-2.0, 0.0, N - REP.lockout)
    assert run_rule(lockout, _ctx(CFG.hip_thrust, hip_line_dev_deg=dev), rep).verdict == "pass"

    dl_lockout = _rule(deadlift.RULES, "dl.lockout")
    hip = np.full(N, 90.0)
    hip[REP.lockout :] = np.linspace(140.0, 150.0, N - REP.lockout)
    knee = np.full(N, 175.0)
    f = run_rule(dl_lockout, _ctx(CFG.deadlift, hip_deg=hip, knee_deg=knee), rep)
    assert f.verdict == "not_checked" and "clip ends while the hips are still coming up" in f.message
    hip[REP.lockout :] = np.linspace(150.0, 140.0, N - REP.lockout)
    assert run_rule(dl_lockout, _ctx(CFG.deadlift, hip_deg=hip, knee_deg=knee), rep).verdict in ("warn", "fault")


def test_a_flagged_top_whose_lifter_is_lost_before_it_ends_is_not_checked():
    """clip_042: the lifter stands up out of the top of a portrait picture; the hip angle reads 75°, then 131° and
    126° on the last frames measured, then nothing. The lockout may come in the gap: a flag says why it cannot judge;
    a top past the line passes; the same short top followed by measured frames (the lowering) is flagged."""
    dl_lockout = _rule(deadlift.RULES, "dl.lockout")
    knee = np.full(N, 175.0)
    hip = np.full(N, 90.0)
    hip[REP.lockout : REP.lockout + 6] = [120.0, 126.0, 129.0, 131.0, 130.0, 126.0]
    hip[REP.lockout + 6 :] = np.nan  # lost for the top's last two frames and after
    f = run_rule(dl_lockout, _ctx(CFG.deadlift, hip_deg=hip, knee_deg=knee), REP)
    assert f.verdict == "not_checked" and "lifter is lost" in f.message
    hip[REP.lockout + 6 :] = np.linspace(120.0, 90.0, N - REP.lockout - 6)  # seen lowering instead
    assert run_rule(dl_lockout, _ctx(CFG.deadlift, hip_deg=hip, knee_deg=knee), REP).verdict in ("warn", "fault")
    hip[REP.lockout : REP.lockout + 6] = 177.0
    hip[REP.lockout + 6 :] = np.nan
    assert run_rule(dl_lockout, _ctx(CFG.deadlift, hip_deg=hip, knee_deg=knee), REP).verdict == "pass"
    hip = np.full(N, 90.0)  # the same guard on the hinge's hips-through
    hip[REP.lockout : REP.lockout + 6] = 150.0
    hip[REP.lockout + 6 :] = np.nan
    f = run_rule(HIPS_THROUGH, _ctx(CFG.hinge, hip_deg=hip), REP)
    assert f.verdict == "not_checked" and "lifter is lost" in f.message


def test_knees_frozen_off_the_pure_side_keeps_its_fault_line_and_uncertainty():
    """Past the pure side view the shin tilt change, read in the sagittal plane, scatters more from lifter to lifter
    (knees_frozen_oblique_uncertainty_deg, the oblique grid): its fine and fault sizes lie under 3.3 SDs apart there,
    so a flagged rep is a fault only past the fault line by that uncertainty (COACHING.md §4-§5), not from the side
    view's cut."""
    r = CFG.rdl
    assert not _separable(r.shin_tilt_warn_deg, r.shin_tilt_fault_deg, r.knees_frozen_oblique_uncertainty_deg)
    assert knees_frozen(13.3) == "fault"
    assert knees_frozen(13.3, pure_side=False) == "warn"
    past = r.shin_tilt_fault_deg + r.knees_frozen_oblique_uncertainty_deg
    assert knees_frozen(past - 0.5, pure_side=False) == "warn"
    assert knees_frozen(past + 0.5, pure_side=False) == "fault"
    assert knees_frozen(4.0, pure_side=False) == "pass"


def test_knees_bent_past_the_drift_line_keep_the_shins_fault_when_the_shins_call_one():
    """COACHING.md §2: knee flexion added past ~50 is a hybrid whatever the shins show, graded on its own line and
    uncertainty (a fault only past 50 + 7); when the shins, the direct measure, already call a fault, it stands (a
    fault-size hybrid whose knee closes 53° was a warning before)."""
    r = CFG.rdl
    just_past = r.knee_drift_alone_deg + 3.0  # within the knee drift's uncertainty of its line
    assert knees_frozen(13.3, knee=just_past) == "fault"  # the shins' fault
    assert knees_frozen(2.0, knee=just_past) == "warn"  # drift alone, within its uncertainty
    assert knees_frozen(2.0, knee=r.knee_drift_alone_deg + r.knee_drift_uncertainty_deg + 3.0) == "fault"


def test_hips_back_reads_the_bottom_where_the_ankle_is_evidence():
    """An ankle drawn on the plate for a few frames (flagged by the trust checks) is where a maximum over the
    descent would land; the rule reads the start position and the bottom where the hip and the ankle are evidence
    (rendered RDLs: a 0.11 rep read 0.22 from such a glitch), and says why when there is no such frame."""
    hip, back = hinge_going_back(0.10 + CFG.rdl.hips_back_bias_leg)
    glitch = [REP.bottom - 5, REP.bottom - 4, REP.bottom - 3]
    back[glitch] = 0.40  # the ankle drawn forward onto the plate
    joints = ("shoulder", "hip", "knee", "ankle")
    flags = np.zeros((N, len(joints)), dtype=np.uint16)
    flags[glitch, joints.index("ankle")] = Reason.BONE_LENGTH
    rule = _rule(rdl.RULES, "rdl.hips_back")
    ctx = _ctx(CFG.rdl, hip_deg=hip, hip_back=back)
    trusted = dataclasses.replace(ctx, trust=TrustTable(joints, flags))
    f = run_rule(rule, trusted, REP)
    assert f.verdict == "fault" and f.value == pytest.approx(0.10, abs=0.005)
    flags[REP.bottom - 3 : REP.lockout, joints.index("ankle")] = Reason.BONE_LENGTH
    unseen = run_rule(rule, dataclasses.replace(ctx, trust=TrustTable(joints, flags)), REP)
    assert unseen.verdict == "not_checked" and "ankle" in unseen.message


@pytest.mark.parametrize(
    ("reason", "judged"),
    [(Reason.BEHIND_PLATE, True), (Reason.ON_HANDS, True), (Reason.BONE_LENGTH, False), (Reason.SWAP, False)],
)
def test_hips_back_takes_a_knee_guessed_behind_the_plate_but_not_one_drawn_off_the_body(reason, judged):
    """The knee only sets the ends of the hinge the travel is divided by: a guess of it behind the plate or the
    hands at the bottom moves the reading a few per cent (rendered RDLs: the same ±0.034 with those reps in,
    docs/ACCURACY.md 'Hips back where the knee is hidden'); a knee drawn where the body cannot put it is no
    reading at all."""
    hip, back = hinge_going_back(0.2)
    joints = ("shoulder", "hip", "knee", "ankle")
    flags = np.zeros((N, len(joints)), dtype=np.uint16)
    flags[:, joints.index("knee")] = reason
    table = TrustTable(joints, flags)
    assert np.all(table.tolerating([("knee", rdl.OCCLUDED)]).flags[:, 2] == (0 if judged else reason))
    ctx = dataclasses.replace(_ctx(CFG.rdl, hip_deg=hip, hip_back=back), trust=table)
    f = run_rule(_rule(rdl.RULES, "rdl.hips_back"), ctx, REP)
    assert (f.verdict == "pass") is judged, f
    if not judged:
        assert f.verdict == "not_checked" and "knee" in f.message
    # without the declaration the knee's occlusion is a reason not to judge
    strict = dataclasses.replace(_rule(rdl.RULES, "rdl.hips_back"), tolerates=())
    assert run_rule(strict, ctx, REP).verdict == "not_checked"
