"""Configuration: every threshold is a named, documented value.

Config is a tree of frozen dataclasses. Each field carries a ``doc`` pointing
at the section of the coaching brief (COACHING.md) it comes from. Values are
overridden, in this order, by a built-in profile (``--profile``), a TOML file
(``--config``) and command-line options. Unknown keys and wrongly typed values
are errors, never silently ignored.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_type_hints

from .errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True)
class Range:
    """The values a numeric setting accepts: finite, and between ``lo`` and ``hi`` (``None``: no bound).

    ``lo_open``/``hi_open`` leave the bound itself out (``cutoff_hz`` must be above 0, not 0).
    """

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def __contains__(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.lo is not None and (value < self.lo or (self.lo_open and value == self.lo)):
            return False
        return not (self.hi is not None and (value > self.hi or (self.hi_open and value == self.hi)))

    def __str__(self) -> str:
        def num(x: float) -> str:
            return f"{x:g}"

        if self.lo is not None and self.hi is not None:
            return f"{'(' if self.lo_open else '['}{num(self.lo)}, {num(self.hi)}{')' if self.hi_open else ']'}"
        if self.lo is not None:
            return f"{'>' if self.lo_open else '>='} {num(self.lo)}"
        if self.hi is not None:
            return f"{'<' if self.hi_open else '<='} {num(self.hi)}"
        return "any finite number"


#: Ranges shared by many settings.
NON_NEGATIVE = Range(0.0)
POSITIVE = Range(0.0, lo_open=True)
UNIT_INTERVAL = Range(0.0, 1.0)
SIGNED_DEG = Range(-180.0, 180.0)
COUNT = Range(1)

#: The range a numeric setting gets from its name when ``setting`` gives none, first match wins: shares and
#: fractions lie in [0, 1]; angles (``_deg``) in [0, 180]; durations (``_s``), distances (``_leg``, ``_foot``),
#: speeds (``_deg_s``, ``_leg_s``), ratios, factors and margins are never negative; frame sides in pixels are
#: at least 64 (a smaller picture holds no usable pose); other integers are counts, at least 1.
DEFAULT_RANGES: tuple[tuple[tuple[str, ...], Range], ...] = (
    (("_fraction", "_share", "_visibility", "_confidence", "_tolerance"), UNIT_INTERVAL),
    (("_deg",), Range(0.0, 180.0)),
    (("_px",), Range(64)),
    (("_s", "_leg", "_foot", "_ratio", "_factor", "_margin"), NON_NEGATIVE),
)


def setting(default: Any, doc: str, allowed: Range | None = None) -> Any:
    """A config field with its documentation and, for a number, the values it accepts (``allowed``; by
    default from its name, :data:`DEFAULT_RANGES`)."""
    metadata: dict[str, Any] = {"doc": doc}
    if allowed is not None:
        metadata["range"] = allowed
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class PoseConfig:
    model: str = setting("full", "Pose model: lite, full or heavy (README, 'Choosing a model').")
    max_people: int = setting(
        2, "People the model looks for per frame; 2 lets us warn about a second lifter.", allowed=Range(1, 10)
    )
    max_side_px: int = setting(960, "Frames are scaled so their longer side is at most this before pose estimation.")
    min_detection_confidence: float = setting(0.5, "MediaPipe min_pose_detection_confidence.")
    min_presence_confidence: float = setting(0.5, "MediaPipe min_pose_presence_confidence.")
    min_tracking_confidence: float = setting(0.5, "MediaPipe min_tracking_confidence.")
    mirror: bool = setting(
        False,
        "Run the model a second time on the mirror image of every frame it runs on and average the two readings of each landmark (test-time flip, docs/ACCURACY.md 'The mirror image cancels the model's facing bias'). MediaPipe reads a joint differently for a lifter facing left and one facing right; the mirror image is the same lifter facing the other way, so the mean cancels that bias: on the rendered rates grid from the side the scatter (2 SD) of an RDL's shin tilt change fell from 5.9 to 3.8 degrees and of the knee at the start from 4.8 to 1.4. Costs the model's CPU time twice over (run in a second thread, so the wall time grows less). Off by default until every rule's uncertainty is measured with it on.",
    )
    mirror_max_apart_body: float = setting(
        0.1,
        "...a landmark whose two readings lie more than this many body sizes (the landmark box's diagonal) apart is taken from the picture as filmed alone: the two trackers followed different things there (a leg swapped or lost behind a plate), and their mean would be neither.",
        allowed=Range(0.0, 10.0, lo_open=True),
    )
    sparse: bool = setting(
        True,
        "Run the pose model densely only where the lifter moves fast (and at the first and last frame, after a loss, a cut or a movement starting), every few frames elsewhere, and interpolate the landmarks in between (marked as interpolated). False: the model runs on every frame. docs/PERFORMANCE.md 'Pose only where it matters'.",
    )
    sparse_max_gap_s: float = setting(
        0.067,
        "...the longest time between two frames the model runs on (every 2nd frame at 30 fps, every 4th at 60 fps). Longer gaps cost accuracy less through the interpolation (under a degree over a turn) than through the tracker, which crops each frame around the pose it found last: on the rendered RDL the hip angle's error grew from 2.05 to 2.23 deg at this gap and to 3.1 deg at 0.1 s (docs/PERFORMANCE.md).",
        allowed=Range(0.0, 1.0, lo_open=True),
    )
    sparse_step_body: float = setting(
        0.05,
        "...and the joints may move at most this many body sizes (the landmark box's diagonal) between two model runs at the speed last measured: a fast phase (a pull, a hip drive) runs on every frame.",
        allowed=Range(0.0, 1.0, lo_open=True),
    )
    sparse_motion_gl: float = setting(
        6.0,
        "...and a frame whose picture changes by at least this many grey levels (0-255) from the previous one, in the lifter's box or in the whole frame (a movement starting, a cut), is run.",
        allowed=Range(0.0, 255.0, lo_open=True),
    )
    sparse_anchor_s: float = setting(
        0.5,
        "...and the model runs on a frame at least this often without asking the plan (an anchor; the plan's next step is counted from it). The sparse plan was validated with these runs, which were the people-count frames (docs/PERFORMANCE.md).",
        allowed=Range(0.0, 60.0, lo_open=True),
    )
    people_check_every_s: float = setting(
        0.5,
        "The people in view (the several_people warning) are counted at most every this many seconds, on the first frame and...",
        allowed=Range(0.0, 60.0, lo_open=True),
    )
    people_change_gl: float = setting(
        3.0,
        "...when the picture outside the lifter's box changed by at least this many grey levels (0-255) since the last count (someone came, went or moved; the lifter's own movement is inside the box), and...",
        allowed=Range(0.0, 255.0),
    )
    people_max_gap_s: float = setting(
        2.0,
        "...at least every this many seconds (someone standing still). Each count searches the whole frame and, for a wide or tall one, its halves: about 3 passes of the model. docs/PERFORMANCE.md.",
        allowed=Range(0.0, 600.0, lo_open=True),
    )


@dataclass(frozen=True)
class CleaningConfig:
    min_visibility: float = setting(
        0.5, "Landmarks below this MediaPipe visibility become missing (NaN). COACHING.md 'Camera and trust'."
    )
    max_gap_s: float = setting(
        0.25, "Gaps up to this long are filled by linear interpolation; longer gaps stay missing."
    )
    cutoff_hz: float = setting(
        5.0, "Zero-lag Butterworth low-pass cut-off for landmark coordinates.", allowed=Range(0.0, 30.0, lo_open=True)
    )
    filter_order: int = setting(
        2,
        "Butterworth order (applied forwards and backwards, so the effective order doubles).",
        allowed=Range(1, 10),
    )
    excursion_max_s: float = setting(
        5.0,
        "A stretch of up to this long that the tracker jumped into and out of across two losses, with the frames either side agreeing, was not the lifter (a plate or the rack tracked with full confidence) and is dropped. COACHING.md 'Camera and trust'.",
    )
    excursion_speed_leg_s: float = setting(
        4.0,
        "...a jump is one the body cannot make: further than excursion_slack_leg plus this many leg lengths per second of the loss (a fast pull moves the shoulders about 2).",
    )
    excursion_slack_leg: float = setting(0.3, "...plus this many leg lengths (landmark noise, a short loss).")
    excursion_edge_size: float = setting(
        0.75,
        "The clip's first or last stretch of tracking, up to excursion_max_s long, that jumps to the next (previous) one across a loss as no body can, is shorter than it and draws a body with legs under this share of that one's length on screen, was someone behind the lifter (people further from the camera are drawn smaller: a bystander 1.33 times as far away is drawn at 0.75) and is dropped; it has no frames beyond it to agree with, as a stretch in the middle has. COACHING.md 'Camera and trust'. On the real clips only clip_088's first 0.5-1.0 s go (a bystander facing the camera, drawn at 0.6 of the lifter); clip_090's last stretch is the lifter, larger than the bystander before it, and stays.",
        allowed=Range(0, 1),
    )
    cut_settle_s: float = setting(
        0.2,
        "After a picture cut MediaPipe's VIDEO-mode tracker goes on drawing a pose between the last shot's body and the new one for a frame or a few (it looks where the body was on the frame before). A second jump within this long of the cut (the joints moving excursion_slack_leg in the median between two frames found) is the tracker arriving: the frames from the cut to it are dropped. COACHING.md 'Camera and trust'.",
        allowed=Range(0, 1),
    )
    min_island_s: float = setting(
        0.1,
        "A pose found for less than this between two frames where the lifter was lost is dropped: after a loss the detector often 'finds' a person in a plate or the rack for a frame or two (COACHING.md 'Camera and trust'). Runs touching the clip's start or end are kept.",
    )
    stray_leg_apart_leg: float = setting(
        0.1,
        "Filmed from the side, where the two knees are drawn further apart than this many leg lengths (the lifter's thigh plus shin on screen), one of the two legs may be the model's guess at the hidden far leg (drawn onto the plate, the bar or the hip, often with full visibility): each leg is then held against the lifter's own thigh and shin lengths (stray_leg_fit, stray_leg_margin, stray_leg_misfit). COACHING.md 'Camera and trust' (per-joint trust). On the rates grid's rendered hip thrusts 15 degrees off side the guessed far knee sat a median 0.27 leg lengths from either true knee and pulled the left-right mean with it (docs/ACCURACY.md 'The far leg the model guesses').",
        allowed=Range(0.0, 2.0),
    )
    stray_leg_fit: float = setting(
        0.3,
        "...a leg whose thigh and shin on screen differ from the lifter's (the per-frame longer side's median over the clip) by at most this much in all (the sum of the two relative errors) is a body's leg...",
        allowed=Range(0.0, 2.0),
    )
    stray_leg_margin: float = setting(
        0.2,
        "...and where the other leg's lengths are off by at least this much more, that other leg is the guess: its knee, ankle, heel and toe are dropped for the frame and the left-right mean reads the body's leg. Where both legs are off (a 45 cm plate in front of both knees) neither is chosen: on the rendered RDLs with such plates the better-fitting leg was the wrong one in 92 of 98 such frames at 0 degrees, and its own lengths were off by 0.54 or more in half of them. Rates grid, rendered thrusts 15 degrees off side without the big plates, with stray_leg_misfit: hip angle error median 7.8 -> 3.7 degrees, 90th percentile 58 -> 22, knee angle 13.7 -> 2.5 (margin 0.2 alone: 3.5 / 21 / 2.3; margin 0.3 alone: 3.6 / 22.5 / 2.5); also dropping the guessed side's hip made it worse. Rendered RDLs: unchanged or better (docs/ACCURACY.md 'The far leg the model guesses').",
        allowed=Range(0.0, 2.0),
    )
    stray_leg_misfit: float = setting(
        0.4,
        "...and that other leg's own lengths are off by at least this much (the sum of its thigh's and shin's relative errors): a body's leg foreshortened by a turn or a raised leg (a single-leg bridge's free leg, real clip_086: 0.25-0.3) is not a guess.",
        allowed=Range(0.0, 4.0),
    )
    stray_leg_profile_leg: float = setting(
        0.2,
        "The stray-leg check only runs where the two hips are drawn within this many leg lengths of each other (a profile: 0.03-0.15 on rendered clips 0-45 degrees off side); seen from the front the hips are about 0.35 apart and two legs may rightly differ (a single-leg RDL's free leg foreshortened).",
        allowed=Range(0.0, 2.0),
    )
    pin_planted_feet: bool = setting(
        True,
        "Hinges (RDL, stiff-leg and conventional deadlift, good morning, single-leg RDL's standing foot): inside each rep the ankle, heel and toe points are read where the foot stood at the rep's start and end (formcheck.feet). COACHING.md §2-§3: the whole foot stays on the floor. At the bottom the bar and plates hang in front of the shins and the model draws the ankle up the shin (rendered RDLs: 0.09 leg lengths on average, up to 0.14, against 0.03 standing), which bends the knee angle, the shin's tilt and the hips' travel behind the ankle with it (docs/ACCURACY.md 'Planted feet').",
    )
    planted_foot_window_s: float = setting(
        0.2,
        "pin_planted_feet: a rep's standing position of a foot point is its median over this long before the rep's start and after its end (the top, where the whole leg is in view).",
        allowed=Range(0.0, 2.0, lo_open=True),
    )
    planted_foot_max_move_leg: float = setting(
        0.2,
        "pin_planted_feet: a foot point drawn within this many leg lengths of its standing position is the planted foot mis-drawn and is pinned; further away the foot moved (a step, the free leg) and keeps its reading. Above the model's typical displacement of a planted ankle on rendered RDL bottoms (0.15), under a step's length. Floor pulls and one-leg variants only: an RDL's feet are pinned at any distance (Lift.planted_feet; the near ankle of rendered RDLs is drawn further than 0.2 in 198 of 363 reps, onto a passing plate or with the whole foot: docs/ACCURACY.md 'Hips back switched on').",
        allowed=Range(0.0, 1.0),
    )
    planted_foot_max_drift_leg: float = setting(
        0.05,
        "pin_planted_feet: a rep whose start and end standing positions of a foot point differ by more than this many leg lengths is left as read (the camera moved, or the lifter shuffled): on rendered RDLs (fixed camera, feet still; 402 ankle points over the knee-bend and locked-knee grids) the two ends differ by a median 0.008, 90th percentile 0.027, so about twice that; 5.5 % of those reps are left as read.",
        allowed=Range(0.0, 1.0),
    )


@dataclass(frozen=True)
class RepConfig:
    min_rom_deg: float = setting(10.0, "A rep needs the hip angle to travel at least this far from bottom to lockout.")
    rom_fraction: float = setting(
        0.4, "...and at least this fraction of the range of the clip's biggest rep (drops partial movements)."
    )
    lockout_tolerance_deg: float = setting(
        30.0, "Lockout: hip angle within this of the clip's top level (COACHING.md 'Full lockout')."
    )
    bridge_lockout_tolerance_deg: float = setting(
        35.0,
        "Hip thrust/bridge: a looser lockout, so a rep whose hips stop short still counts and ht.lockout can flag it (the 'down' level does not move).",
    )
    min_lockout_hip_deg: float = setting(140.0, "Lockout also needs at least this hip angle: a rep ends hips extended.")
    driver_3d_median_s: float = setting(
        0.2,
        "The 3D hip angle that counts reps filmed from the front or back is a running median over this window: "
        "the world landmarks' depth guess jumps for a frame or two (a 17 deg one-frame dip mid-rise split a "
        "rep in two), which no hip can do; 0.2 s is shorter than any rep's bottom or lockout.",
    )
    min_lockout_hip_3d_deg: float = setting(
        120.0,
        "The same floor on the 3D hip angle that counts reps filmed from the front or back (world landmarks): "
        "standing reads 151-157 deg there on rendered front views (three RDLs, 75-90 deg off side, two bodies) against ~175 deg for "
        "the 2D angle from the side, and the floor keeps the 2D floor's distance below standing "
        "(COACHING.md §4: calibrate from rendered truth).",
    )
    top_band_deg: float = setting(8.0, "Phase edges are searched within this of a rep's own top and bottom.")
    still_speed_deg_s: float = setting(
        10.0,
        "Hip-angle speed under this counts as still: it ends the top and bottom pauses and starts and ends each phase.",
    )
    down_range_fraction: float = setting(
        0.3,
        "Hip thrust/bridge: 'down' also covers the lowest this fraction of the clip's own range (bottom to top level), so short-range bridges (frog pumps) whose bottom sits above the lockout level minus min_rom_deg still count.",
    )
    down_range_min_deg: float = setting(
        25.0,
        "...only in a clip whose driver moves at least this far (bottom to top level): small movements never count as down.",
    )
    min_low_s: float = setting(
        0.1, "The low position must last this long (a one-frame dip is a tracking glitch, not a rep)."
    )
    bridge_pelvis_deg_per_leg: float = setting(
        290.0,
        "Hip thrust/bridge from the side or obliquely, counted on the pelvis (bridge_max_driver_spike): its height in "
        "the picture is read as this many degrees per leg length (hip-knee-ankle on screen) of drop below its top "
        "(counting.pelvis_height_deg), so the hip-angle levels and tolerances apply. The measured ratio of the true "
        "hip-angle range to the pelvis' measured rise on the rendered 'rates' grid's thrusts with small plates "
        "(hips seen), 0-45 degrees off side: median 288, 217-351 over 20 clips (python tools/bridge_driver_table.py "
        "--grid; docs/ACCURACY.md 'Hip thrusts counted on the pelvis').",
    )
    bridge_pelvis_min_deg_per_leg: float = setting(
        217.0,
        "...a shot counted on the pelvis because its hip angle jumps reads its own scale from the hip angle between the "
        "jumps (counting.own_pelvis_scale), kept within this and bridge_pelvis_max_deg_per_leg: the spread measured over "
        "20 rendered clips (bridge_pelvis_deg_per_leg).",
        allowed=POSITIVE,
    )
    bridge_pelvis_max_deg_per_leg: float = setting(351.0, "...and this.", allowed=POSITIVE)
    bridge_pelvis_min_frames: int = setting(
        10, "...from at least this many frames outside the broken stretches (else the fixed scale).", allowed=POSITIVE
    )
    bridge_max_driver_spike: float = setting(
        0.015,
        "Hip thrust/bridge from the side or obliquely: a shot whose hip-angle driver, before the low-pass filter, "
        "jumps from frame to frame by more than this share of its range on average (counting.spikiness) has lost the "
        "hip or the shoulders (behind a loaded bar's near plate: the model guesses them) and is counted on the "
        "pelvis' height instead. Usable labelled real bridge and thrust shots read 0.000-0.002 (the heavily edited, "
        "unusable clip_001's close-ups 0.022-0.095); rendered thrusts with 45 cm plates whose reps the hip angle "
        "lost, 0.030-0.065 (python tools/bridge_driver_table.py; docs/ACCURACY.md 'Hip thrusts counted on the "
        "pelvis').",
        allowed=Range(0.0, 1.0, lo_open=True),
    )
    bridge_broken_frame_deg: float = setting(
        8.0,
        "...in such a shot, the frames where the hip-angle driver (before the low-pass filter) lies more than this many "
        "degrees from the median of itself and its two neighbours are where the model lost a joint (counting."
        "broken_stretches). The rates grid's clean small-plate thrusts at 0, 30 and 45 degrees off side read at most "
        "5.9 in any frame; its jumping 15-degree shots 6-17 frames past 8 (docs/ACCURACY.md 'The hip line judged "
        "between its jumps').",
        allowed=Range(0.0, 180.0, lo_open=True),
    )
    bridge_broken_widen_s: float = setting(
        0.15,
        "...and the frames within this many seconds of such a frame are broken with it: the low-pass filter the rules "
        "read after (cleaning, 5 Hz, order 2, run forward and back) spreads a one-frame jump over about 0.1 s either "
        "way.",
        allowed=Range(0.0, 5.0),
    )
    bridge_lockout_max_thigh_deg: float = setting(
        45.0,
        "...counted on the pelvis, a lockout also counts with the thigh (hip-knee) within this of level in the "
        "picture, as well as with the torso lying back (bridge_lockout_min_torso_deg): the plate that breaks the hip "
        "angle also moves the shoulders, and the torso then reads upright at the top. Standing, the thigh is upright.",
    )
    bridge_lockout_min_torso_deg: float = setting(
        45.0, "Hip thrust/bridge lockout only counts with the torso at least this far from vertical (lying back)."
    )
    hinge_lockout_max_torso_deg: float = setting(
        40.0, "Hinge lockout only counts with the torso within this of vertical (standing tall)."
    )
    hinge_bottom_min_torso_deg: float = setting(
        20.0,
        "A hinge filmed from the side or obliquely is only 'down' with the torso leaning at least this far from vertical: at a hinge's bottom the hips sit between the knees and the shoulders (COACHING.md §3; every labelled real hinge rep filmed from the side or obliquely leaned 48° or more, a torso leaning 35° reads 20° at 60° off side). A hip angle that closes with the trunk upright is the near knee drawn onto a plate ('Camera and trust'), not a rep.",
        allowed=Range(0, 40),
    )
    hinge_legs_apart_deg: float = setting(
        20.0,
        "A two-legged hinge with the trunk upright whose legs' shoulder-hip-knee angles lie further apart than this has one leg drawn wrong (standing, the near knee put onto the bar behind a plate: clip_013, clip_065), and its reps are counted on the straighter leg there; closer, on both. Rendered side-view and oblique hinges (the rates grid, both bodies): 90 % of the upright frames' legs lie within 10.6° ('Camera and trust'; docs/ACCURACY.md 'The counts the mirror pass lost').",
        allowed=Range(0, 180),
    )
    hinge_lockout_max_torso_3d_deg: float = setting(
        60.0,
        "The same limit on the 3D torso incline (world landmarks) for shots filmed from the front or back, where "
        "the 2D torso is seen end on: a standing lifter reads 19-28 deg forward there on rendered front views "
        "(three RDLs, 75-90 deg off side, two bodies; the bottom ~74), so the limit is the 2D one plus that lean. It tells a "
        "lockout from a plank or a lifter lying on the floor.",
    )
    start_hold_s: float = setting(
        0.3, "A clip that opens low must stay low this long to count its first lockout as a rep."
    )
    max_bottom_hold_s: float = setting(
        3.0,
        "A rep is a movement, not the time between two lockouts (issue 15): a rep whose descent was not seen (the clip opens low) held low longer than this before its final rise (a long set-up at the bar) starts where the rise starts; the set-up is not part of it. A braced deadlift set-up takes 1-3 s (COACHING.md §3). A seen descent followed by a long hold is a paused rep (a coached squat hold) and keeps its hold.",
    )
    max_mean_rise_deg_s: float = setting(
        500.0,
        "A rep whose hip angle rises from bottom to lockout faster than this on average is no lift: about the peak hip-extension speed of a maximal jump, far above any loaded or bodyweight hinge or bridge (labelled real reps: at most 350). A fade between two shots of an edited clip makes such a 'rep' (issue 15: a 0.2 s extra rep; clip_061: 117 degrees in 0.17 s across a fade).",
    )
    rise_start_fraction: float = setting(
        0.2,
        "...the final rise starts at the last frame under this fraction of the rep's range above its bottom, before the lockout.",
        allowed=UNIT_INTERVAL,
    )
    max_bridge_gap_s: float = setting(
        2.0,
        "A tracking gap up to this long (motion blur in a fast pull) keeps the rep state: low before and locked out after counts as a rep.",
    )
    top_edge_margin: float = setting(
        0.15,
        "The lifter's face within this fraction of the frame height from the top edge counts as 'at the top of the frame'. A hinge lifter who rises out of view there and comes back in there while lowering, across a tracking gap, locked out out of view: the rep counts, unjudged at the top (camera too close or too low, COACHING.md 'Camera and trust').",
        allowed=UNIT_INTERVAL,
    )
    min_out_of_view_rise_deg: float = setting(
        20.0,
        "An out-of-view lockout also needs the hip angle to have risen at least this far from the rep's low point before the lifter left the frame.",
    )
    rom_trend_min_deg_per_rep: float = setting(
        2.0,
        "The set summary calls the range of motion 'shrinking' or 'growing' (COACHING.md 'Rules': the set-level summary's range of motion and its trend; a shrinking range is a fatigue sign) only when the straight line through the reps' ranges changes at least this much per rep...",
        allowed=Range(0.0, 180.0),
    )
    rom_trend_sds: float = setting(
        2.0,
        "...and by at least this many of its standard errors: from the ranges' own scatter about the line, or where they scatter less, from the measurement noise alone (rom_noise_side_deg, rom_noise_oblique_deg): three reps whose ranges differ by the noise, or zigzag, are 'steady'.",
        allowed=Range(0.0, 10.0),
    )
    rom_noise_side_deg: float = setting(
        3.3,
        "How much one rep's range of motion reads off the set's other reps with the same true range (SD of reading minus truth about its set's mean), for a clip filmed from the side (every shot a pure side view, detect.pure_side_min_yaw_deg): 3.3 over the rates grid's rendered sets at 0 and 15 deg off side (30 sets, 117 reps, both bodies; 1.9 at 0 deg alone; tools/rom_noise.py, docs/ACCURACY.md 'A range-of-motion trend only where the ranges say so').",
        allowed=Range(0.0, 90.0, lo_open=True),
    )
    rom_noise_oblique_deg: float = setting(
        5.9,
        "...and for any other clip (filmed off the side, from the front, or cut between views): 5.9 over the same grid's sets at 30 and 45 deg off side (44 sets, 167 reps).",
        allowed=Range(0.0, 90.0, lo_open=True),
    )


@dataclass(frozen=True)
class DetectConfig:
    side_min_yaw_deg: float = setting(
        60.0,
        "Body yaw to the camera (90 minus the measured degrees off side, formcheck.camera) above this is a side view (COACHING.md 'Camera and trust'): at most 30 degrees off side, the side class of rendered clips (evaluate.SIDE_AZIMUTH_DEG). The measured yaw is within a few degrees of the truth there (docs/ACCURACY.md 'Camera angle (yaw) of a lying body': rendered clips 20 degrees off read 18-28, 30 degrees off 25-35; 17-38 and 28-42 before the lying-body fix).",
    )
    pure_side_min_yaw_deg: float = setting(
        75.0,
        "Rules that measure distances on screen (RDL hips back, bar drift, rounding) need the body this square to the camera: at most 15 degrees off side as measured (formcheck.camera). Rendered RDLs 10 degrees off side read 7-12, 20 degrees off 18-23 (and the torso shrinks on screen as it tilts); the cut sits between them (docs/ACCURACY.md 'Camera angle (yaw) of a lying body'; rendered thrusts 10 degrees off read 9-15). Labelled real side-view RDLs and deadlifts read 4-13.",
    )
    lockout_pass_max_off_side_deg: float = setting(
        8.0,
        "A pass from a hinge's lockout rule (hinge.hips_through, dl.lockout) needs the shot measured at most this many degrees off the side; a flag stands up to the pure side view. From a camera turned 10-15 degrees towards the lifter's front the near-side hip angle reads a 15-degree partial lockout as 170-174, as straight as a full one (rendered RDLs and deadlifts, several bodies), and such clips measure 9.8-13.6 off side; clips rendered at 0-5 degrees read 4.8-7.4 (docs/ACCURACY.md 'A lockout pass needs the side view'). COACHING.md §5: straight lines stay straight in theory; the pose model's near shoulder does not.",
        allowed=Range(0.0, 90.0),
    )
    near_side_min_yaw_deg: float = setting(
        67.0,
        "Rules reading an angle that turns with the camera (hip-thrust gaze from one ear, hip above the shoulder-knee line, shin tilt; COACHING.md §5: small changes up to ~15 degrees off side, not judgeable at 30-45) need the body at least this square to the camera: at most 23 degrees off side as measured, about 20 degrees of truth. Rendered RDLs 20 degrees off read 18-23 and thrusts 25-28 (27-38 before the lying-body fix; 20-degree thrusts are kept out, 10-degree ones, read 9-15, pass), clips 30 degrees off 25-35 (docs/ACCURACY.md 'Camera angle (yaw) of a lying body'); real side-view thrusts read 13-18 off side (18-20 before).",
        allowed=Range(0.0, 90.0),
    )
    oblique_min_yaw_deg: float = setting(
        35.0,
        "Between this and the side threshold is an oblique view; below it (more than 55 degrees off side as measured) front or back, where no sagittal rule is judged (COACHING.md §5 judges some rules only up to 30-45 off side). Rendered clips 50 degrees off read 42-54, 60 degrees off 50-62 (at the cut), 75 degrees off 68-75 (docs/ACCURACY.md 'Camera angle (yaw) of a lying body').",
    )
    yaw_world_error_deg: float = setting(
        5.2,
        "RMS error of the yaw from the 3D world landmarks (formcheck.camera), degrees, on the rendered grid (RDL and hip thrust, both facings, 0-90 degrees off side; docs/ACCURACY.md 'Camera angle (yaw) of a lying body', python tools/yaw_table.py --azimuths 0,10,20,30,40,50,60,75,90; 5.9 before a lying body's sagittal plane joined it): its weight against the 2D estimate, and the uncertainty when it is the only one (a lying body's).",
        allowed=Range(0.1, 90.0),
    )
    yaw_image_error_deg: float = setting(
        8.0,
        "RMS error of the yaw from the 2D shoulder and hip widths against the torso, degrees, on the same rendered grid (8.0 again on the re-rendered grid).",
        allowed=Range(0.1, 90.0),
    )
    yaw_error_deg: float = setting(
        5.3,
        "RMS error of the combined yaw on the same rendered grid (a lying body: the 3D estimate alone; 6.1 before; 5.4 with the old weights, 5.3 with these): the floor of the reported uncertainty (half the gap between the two estimates is added).",
        allowed=Range(0.1, 90.0),
    )
    yaw_pair_max_gap: float = setting(
        0.2,
        "Per frame, the shoulders' and the hips' widths on screen, each as a share of its frontal width (the sine of its 2D yaw off side, formcheck.camera.image_pairs_off_side), differ by more than this: the two axes of one body cannot both be right, one pair is the pose model's guess at joints something hides (COACHING.md §6 'plates over shins and knees'), and the guess pulls the 3D world landmarks with it. Such a frame's yaw is the narrower pair's 2D reading alone (formcheck.camera.frame_readings). Measured (docs/ACCURACY.md 'Camera angle (yaw) of a lifter behind the plates'): rendered lifters without plates, 0-90 degrees off side, differ by under 0.2 in 92 % of frames (95th percentile 0.22); a rendered lifter holding 45 cm plates side-on (az 0) by 0.31 or more in half of the frames (the plate covers the hips standing: hips read 25-33 degrees off side, shoulders 7-11); at 15-45 degrees off side the plated lifter differs like the unplated one (95th percentile 0.20).",
        allowed=Range(0.0, 1.0),
    )
    orbit_smooth_s: float = setting(
        2.0,
        "A camera orbiting the lifter without a cut: the per-frame yaw is smoothed by a running median over this many seconds, and the clip splits where that track changes view class...",
        allowed=Range(0.0, 60.0),
    )
    orbit_sweep_smooth_s: float = setting(
        4.0,
        "...when the yaw smoothed over this many seconds (longer than a rep) sweeps orbit_min_sweep_deg. One pose's yaw reading swings with the rep where the plates or the bench hide joints, a still camera's angle does not: rendered still cameras (163 clips: the rates grid and six bodies) swept up to 52.8 degrees over 2 s (a 45 cm-plate thrust 15 degrees off reads 17-70 degrees within each rep), six of them past 30 and split into shots with stub reps at their edges; over 4 s at most 21.2, while the eight real clips whose camera swings round the lifter keep 31.5-69.4 (docs/ACCURACY.md 'A still camera whose yaw reading swings with the rep').",
        allowed=Range(0.0, 60.0),
    )
    orbit_min_sweep_deg: float = setting(
        30.0,
        "...and only when the yaw smoothed over orbit_sweep_smooth_s sweeps at least this much (5th to 95th percentile) across the clip.",
        allowed=Range(0.0, 90.0),
    )
    orbit_max_hip_shift_leg: float = setting(
        0.5,
        "...frames with the mid-hip more than this many leg lengths sideways on screen from its median over the clip are left out: a lifter walking in or out turns the body, not the camera.",
        allowed=Range(0.0, 10.0),
    )
    orbit_hysteresis_deg: float = setting(
        7.5,
        "...a class changes once the smoothed yaw is this far past the class boundary (no flapping on a boundary).",
        allowed=Range(0.0, 45.0),
    )
    min_detected_fraction: float = setting(
        0.5, "Fewer frames with a person than this fraction: the clip cannot be judged."
    )
    min_frames: int = setting(15, "Clips with fewer usable frames than this are too short to analyse.")
    min_decoded_fraction: float = setting(
        0.5,
        "A file cut short or damaged part-way (its frames end before the length its container announces) is analysed, with a 'truncated' warning, while at least this share of its length decodes; below it the video is refused (a failed row in a batch).",
        allowed=UNIT_INTERVAL,
    )
    bridge_min_torso_deg: float = setting(
        50.0, "Hips extended with the torso further than this from vertical: a hip thrust or glute bridge."
    )
    bridge_max_shoulder_height: float = setting(
        0.95,
        "Shoulders ever higher than this (leg lengths above the ankles, the leg as the longer side draws it; in a side or oblique view): the lifter stood, so no bridge or thrust. Labelled and unlabelled real bridges and thrusts reach 0.00-0.95 (clip_022, 48° off side, on a bench), labelled deadlifts and RDLs 1.13-2.03 (even one seen only in its set-up); rendered thrusts 0.57-0.81, rendered hinges 1.54 and more (docs/ACCURACY.md 'A leg drawn on the plate is not the lifter's leg'). Not applied to views along the body, where the legs look short.",
        allowed=NON_NEGATIVE,
    )
    bridge_lying_min_body_line_deg: float = setting(
        55.0,
        "...unless the body lies at the top: the knee->shoulder line (3D world landmarks, camera-independent) this far from vertical in the frames near the clip's most open hip angle, and the shoulders resting (bridge_support_max_shoulder_rise_ratio): a hip thrust on a tall box or bench. Labelled and unlabelled bridges and thrusts read 65-120 (clip_083, a thrust on a plyo box whose shoulders reach 0.91 leg lengths: 65), standing lifts 2-25, deadlifts seen mostly in their set-up up to 41.",
    )
    bridge_support_max_shoulder_rise_ratio: float = setting(
        0.5,
        "...and the shoulders rise at most this much per unit the hips rise, either way (least-squares slope of the two heights on screen over the clip; side or oblique view): they rest on the support. Real bridges and thrusts read -0.44..0.30 (one floor bridge with a long lie-down set-up 1.17), squats 0.98-1.50, deadlifts and RDLs 0.73-10.2, one at -0.65 (clip_065) and one unknown hinge at -1.85 (clip_089).",
        allowed=Range(0.0, 1.0),
    )
    bridge_support_max_shoulder_height: float = setting(
        1.1,
        "...and only up to this shoulder height (leg lengths above the ankles): no bench or plyo box a lifter thrusts from puts the shoulders higher (a 75 cm box about 0.9; clip_083 on its plyo box 0.91, clip_022 on a bench 0.95). Deadlifts seen mostly in their set-up read from 1.13 (clip_053, clip_030), standing lifts 1.3 and more.",
        allowed=NON_NEGATIVE,
    )
    glute_bridge_max_shoulder_height: float = setting(
        0.22,
        "Shoulders lower than this (leg lengths above the ankles) at the top: on the floor, a glute bridge; higher: on a bench, a hip thrust.",
        allowed=NON_NEGATIVE,
    )
    min_hip_range_deg: float = setting(
        25.0, "A hip angle moving less than this over the clip is no hinge, bridge or squat."
    )
    hinge_min_torso_deg: float = setting(25.0, "A hinge tips the torso at least this far from vertical at the bottom.")
    bottom_min_bone_ratio: float = setting(
        0.45,
        "Seen from the side (the side class, side_min_yaw_deg), a thigh or shin whose screen length at the bottoms is under this share of its length at the top is not the lifter's: the hip or knee there is a guess (COACHING.md §6 'geometry is impossible'; 'plates over shins and knees'), and the bottom's hip, knee and torso angles are not evidence of the lift. docs/ACCURACY.md 'Plated lifters: lift and reps': of the 16 rendered 45 cm-plate RDLs at 0-15 degrees, 12 read a thigh (0.16-0.44) or a shin (0.31-0.41) under the cut, the other 4 their hips forward (hinge_max_hip_forward_leg); the labelled real side and oblique clips read thighs 0.48-2.1 and shins 0.51-1.4 (plated deadlifts' shins 0.51-0.65, read right from their knees), none under the cut in the side class.",
        allowed=UNIT_INTERVAL,
    )
    hinge_min_shoulder_forward_leg: float = setting(
        0.2,
        "With the bottom's joints hidden (bottom_min_bone_ratio), shoulders travelling forward at least this far (leg lengths, top to bottom, in the facing direction) make it a hinge: the torso tips over the feet (COACHING.md §2: a hinge sends the hips back and the trunk forward, a squat sinks over the feet). Measured (docs/ACCURACY.md 'Plated lifters: lift and reps'): labelled side and oblique squats -0.16..+0.08, rendered RDLs 0.20-0.53, labelled side hinges mostly 0.17-0.55 (partial-range clips less).",
    )
    hinge_max_hip_forward_leg: float = setting(
        0.0,
        "...and hips read further forward than this at the bottom (leg lengths, top to bottom, in the facing direction) while the shoulders travel as a hinge's are not the lifter's (the model put them on the bar): a hinge's hips go back (COACHING.md §2: hip travel back >= 0.18 L per 90 of hinge). Measured (docs/ACCURACY.md 'Plated lifters: lift and reps'): labelled side and oblique hinges -0.37..-0.05, rendered small-plate RDLs -0.24..-0.08, rendered 45 cm-plate RDLs at 0-15 degrees +0.06..+0.15 on the 12 of 16 whose hips the model put on the bar (the other 4 -0.19..-0.10).",
        allowed=Range(-1.0, 1.0),
    )
    deadlift_min_knee_flexion_deg: float = setting(
        50.0, "Hinge with more knee flexion than this at the bottom is a conventional deadlift, not an RDL."
    )
    good_morning_max_reach_torso: float = setting(
        0.5,
        "A hinge whose hands stay nearer the shoulders than this many torso lengths (medians over the clip, lengths on screen) holds the bar on the upper back: a good morning, recognised and not judged by the RDL rules (COACHING.md §1). Half the arm's reach: hands hanging on the bar read about an arm's length, 1.0-1.7 torso lengths on every labelled RDL, stiff-leg and conventional deadlift (side, oblique and front views; 0.95 the lowest of the unlabelled hinges); a bar on the back reads a fraction of it (clip_081, the one labelled good morning, 0.22; back squats 0.12-0.57, read as squats before this test).",
        allowed=Range(0.0, 3.0),
    )
    single_leg_bridge_min_ankle_rise_leg: float = setting(
        0.5,
        "A bridge or hip thrust whose ankles differ in height on screen by at least this many leg lengths (the median over the frames with both seen, side or oblique view) holds one foot off the floor: a single-leg bridge or thrust, measured on the planted leg (the lower ankle). A free leg held out straight or bent up lifts its ankle about half a leg length or more; two-leg bridges and thrusts read up to 0.31 (clip_022, a bench thrust 48° off the side filmed from above) and 0.37 where the model draws the near leg on the plate (a rendered thrust 15° off side); the labelled single-leg bridge clip_086 reads 0.78.",
        allowed=Range(0.0, 5.0),
    )
    single_leg_min_ankle_gap_leg: float = setting(
        0.5,
        "A hinge whose ankles are at least this much further apart on screen than its hips at the bottom (leg lengths; side or oblique view) is a single-leg or B-stance RDL, named and not judged by the two-leg RDL rules. Labelled two-leg hinges read -0.15 to +0.28 from the side or at an angle, the single-leg RDLs clip_021 1.14 and clip_084 (B-stance) 0.81; front views are left out (the stance width shows there: 0.81 on a wide deadlift).",
        allowed=Range(0.0, 5.0),
    )
    single_leg_stance_leg: float = setting(
        0.5,
        "Filmed off the side, a two-leg stance's width shows as an ankle gap too: at an angle t off side the single-leg cut grows by this many leg lengths times sin(t) (the shot nearest the side counts). Set so that a front view (t = 90) asks for 1.0, above the 0.81 a wide two-leg deadlift read from the front, while a single-leg RDL 24 degrees off side (clip_021, 1.26) and a B-stance 12 degrees off (clip_084, 0.78) stay single-leg, and a two-leg deadlift 50 degrees off (clip_082, 0.74) does not become one.",
        allowed=Range(0.0, 5.0),
    )
    single_arm_max_free_travel_leg: float = setting(
        0.18,
        "A single-arm hinge (one dumbbell or kettlebell in one hand, formcheck.variants.loaded_hand): the free hand rests on the hip or thigh and moves with the hips, its height relative to them changing (95th - 5th percentile over the clip) by at most this many leg lengths: twice the wrist's measurement uncertainty (2 SD 0.088 on rendered RDLs, rdl.bar_drift_uncertainty_leg), the spread of a hand that stays put. Every hand of the labelled two-hand hinges travels 0.30-2.0 (the far, hidden hand included).",
        allowed=NON_NEGATIVE,
    )
    single_arm_max_free_travel_share: float = setting(
        0.25,
        "...and at most this share of the loaded hand's travel (the loaded hand follows the hinge). The labelled two-hand hinges read 0.47-1.00; the labelled single-arm B-stance RDL (clip_084) 0.97: its free hand hangs beside the loaded one and the two read as one.",
        allowed=UNIT_INTERVAL,
    )
    single_arm_min_seen_fraction: float = setting(
        0.5,
        "Each hand must be seen (with the hips) in at least this share of the frames where the lifter is, or no single-arm hold is looked for.",
        allowed=UNIT_INTERVAL,
    )
    rdl_standing_start_max_knee_deg: float = setting(
        75.0,
        "...unless the clip opens standing with the bar in the hands (heights on screen, so from any view: the front too since 2026-12-04, docs/ACCURACY.md 'Tempo from the front and back') and the knees bend less than this at the bottom: an RDL whose knees bend too much (the squat-hinge hybrid), not a deadlift. COACHING.md §3: an RDL clip opens standing, a deadlift clip crouched over the bar. Labelled deadlifts that open standing bend their knees 80-121 at the bottom; rendered hybrid RDLs 53-61.",
    )
    rdl_standing_start_max_low_fraction: float = setting(
        0.2,
        "'Opens standing': the hip angle over the first 0.3 s sits in at most this low fraction of its range (labelled RDLs 0.00-0.13 or later in the set, floor-start deadlifts 0.30-1.00)...",
    )
    rdl_standing_start_min_wrist_leg: float = setting(
        0.3,
        "...and the hands start at least this many leg lengths above their height at the bottoms (standing starts 0.45-1.00, floor starts -0.46..0.08).",
    )
    squat_min_knee_flexion_deg: float = setting(
        75.0, "Knee flexion at the bottom above this with an upright torso is a squat."
    )
    squat_max_torso_incline_deg: float = setting(50.0, "Squat: torso stays within this of vertical at the bottom.")
    min_other_person_fraction: float = setting(
        0.3, "A second sizeable person in more than this fraction of frames raises a warning."
    )
    max_out_of_frame_fraction: float = setting(
        0.2, "Body parts outside the image in more than this fraction of frames raise a warning."
    )
    max_hidden_fraction: float = setting(
        0.3, "Shoulders, hips or knees unseen (both sides) in more than this fraction of frames raise a warning."
    )
    cut_min_picture_change: float = setting(
        3.0,
        "Hard cut in an edited clip: the picture (a 32x32 grey thumbnail) changes by at least this many grey levels (0-255) from one frame to the next...",
        allowed=Range(0.0, 255.0),
    )
    cut_min_change_ratio: float = setting(
        5.0,
        "...and by at least this many times the usual change around it (median within cut_window_s), while the neighbouring frames change by at most half as much.",
    )
    cut_picture_noise: float = setting(
        0.3,
        "The usual change is taken as at least this (grey levels): compression noise in a still shot.",
        allowed=Range(0.0, 255.0),
    )
    cut_window_s: float = setting(
        0.5, "Seconds either side of a frame over which the usual picture change is measured."
    )
    min_shot_s: float = setting(
        1.0, "A stretch between two cuts shorter than this is too short to tell a camera angle and joins its neighbour."
    )
    min_judged_fraction: float = setting(
        0.25, "Below this fraction of frames with the lifter found, no verdict is given at all."
    )
    lift_angle_sd_side_deg: float = setting(
        6.4,
        "Lift recognition weighs its tests against the measurement scatter of the posture angles they read (detect.lift_probabilities: hip, knee, torso and body-line angles drawn about their readings). Filmed from the side a MediaPipe joint angle scatters this much (1 SD): knee flexion reads -2.3 +- 6.4 against motion capture (Cosoli 2026, COACHING.md §5); the rendered clips' knee flexion reads within a mean 4.6 (about 5.8 SD, docs/ACCURACY.md).",
        allowed=POSITIVE,
    )
    lift_angle_sd_off_side_deg: float = setting(
        15.1,
        "...and this much filmed 45-90 degrees off the side (knee flexion -13.9 +- 15.1 over those views, Cosoli 2026, COACHING.md §5).",
        allowed=POSITIVE,
    )
    lift_segment_sd_share: float = setting(
        0.48,
        "A segment's angle from vertical (torso, knee-shoulder line: one segment) scatters this share of a joint angle's (two segments): on the rendered clips torso incline reads within a mean 2.24 degrees, knee flexion 4.64 (docs/ACCURACY.md, every fault kind).",
        allowed=UNIT_INTERVAL,
    )
    lift_angle_sd_side_up_to_deg: float = setting(
        20.0,
        "The side-view scatter holds up to this many degrees off the side (the shot nearest the side counts): within ~20 out of plane angles change little (Stevens 2006, COACHING.md §5)...",
        allowed=Range(0.0, 90.0),
    )
    lift_angle_sd_off_side_from_deg: float = setting(
        45.0,
        "...the off-side scatter from this angle on (where Cosoli's 45-90 range starts), linear between.",
        allowed=Range(0.0, 90.0),
    )
    lift_min_probability: float = setting(
        0.84,
        "A lift is named only when the measured angles drawn with their scatter read it at least this often; else the report says 'unknown lift' with its best guesses, counts the reps with the best guess's rep model and judges only the rules every guess shares. 0.84 is the chance a single reading one measured SD past its cut lies on that side (normal: Phi(1)), so a lift is named when its evidence is at least one measurement SD clear of every cut that would name another.",
        allowed=Range(0.5, 1.0),
    )
    lift_guess_min_probability: float = setting(
        0.1,
        "An unknown lift's guesses: the lifts read at least this often (shown, and the rules judged are those every one of them shares); rarer readings are left out.",
        allowed=UNIT_INTERVAL,
    )


@dataclass(frozen=True)
class BarConfig:
    """Did the bar come up with the lifter? (hinges; needs the video, not only the landmarks)."""

    check: bool = setting(
        True,
        "Check each hinge rep for a bar that stayed on the floor: a lifter who sets the bar down, lets go and stands up has not done a rep (the labels' definition; COACHING.md 'Camera and trust').",
    )
    max_side_px: int = setting(480, "Frames are scaled so their longer side is at most this for the bar check.")
    region_half_width_leg: float = setting(
        1.0,
        "Where the bar is at the bottom: this many leg lengths either side of the hands (plates at the bar's ends in front views)...",
    )
    region_half_height_leg: float = setting(
        0.25, "...and this many above and below them (a plate's radius in side views)."
    )
    limb_width_leg: float = setting(
        0.12,
        "The lifter's limbs are masked out of that region this wide (leg lengths): they move whether or not the bar does.",
    )
    hand_radius_leg: float = setting(
        0.1, "The hands are masked out this far around the wrist landmarks: they leave a bar that stays down."
    )
    min_wrist_rise_leg: float = setting(
        0.3, "Only reps whose hands rise at least this far (leg lengths) from bottom to lockout are checked."
    )
    min_points: int = setting(20, "Fewer trackable points than this on the bar region: no verdict (the rep counts).")
    floor_band_leg: float = setting(
        0.75,
        "Half the background points the camera's motion is fitted to are taken from the floor around the bar: beside the bar's region and below it, down to this many leg lengths below the hands at the bottom. The hands hold the bar a plate's radius (about 0.25 leg lengths, COACHING.md 'Camera and trust': plates) above the floor, so this reaches the floor under the plates and twice as far again in front of them; the strongest corners of the whole picture lie on the far wall and benches, which move otherwise when the camera walks in (docs/ACCURACY.md 'The bar check with the camera moving').",
    )
    min_floor_room_leg: float = setting(
        0.6,
        "'Stood up without the bar' also needs this much picture (leg lengths) below the hands at the bottom: the whole near plate must be in view for the points to be on the bar. A 45 cm plate's radius is about 0.25 leg lengths (COACHING.md 'Camera and trust': plates), and the near end of the bar, about 1 m closer to a phone 2-3 m away, shows it up to twice as large and lower. With less room the plates can be cut off by the frame's edge (issue 15: a side-view RDL whose plates the frame cuts off read 'without the bar' at 0.47 leg lengths; the labelled stand-ups without the bar had 0.69-1.52) and the check says unknown.",
    )
    rose_share_of_rise: float = setting(
        0.5,
        "A point 'rose with the hands' when it rose at least this share of the hands' rise at some moment of the concentric...",
        allowed=UNIT_INTERVAL,
    )
    still_share_of_rise: float = setting(
        0.1,
        "...and 'stayed' when it never moved more than this share of it (after the camera's own motion is taken out).",
        allowed=UNIT_INTERVAL,
    )
    min_tracked: float = setting(
        0.75,
        "'Stood up without the bar' needs at least this share of the points followed all the way to lockout...",
        allowed=UNIT_INTERVAL,
    )
    min_stayed: float = setting(
        0.75,
        "...at least this share of them staying put (bar still on the floor: the three labelled stand-ups read 0.86-0.98, every real labelled rep at most 0.66; docs/ACCURACY.md)...",
        allowed=UNIT_INTERVAL,
    )
    max_rose: float = setting(
        0.05,
        "...and at most this share rising with the hands (the stand-ups read 0.00-0.02, real reps whose bar was seen rising 0.08 or more).",
        allowed=UNIT_INTERVAL,
    )
    early_read_min_rise_share: float = setting(
        0.5,
        "When too few of the bar's points are followed to lockout (motion blur, the lifter walking across), 'stood up without the bar' is read at the last frame with min_tracked of them followed, if the hands had risen at least this share of their rise to lockout by then: a bar in the hands would have moved that far, 5 times what a point may move and still count as still (still_share_of_rise 0.1). Otherwise no verdict.",
        allowed=UNIT_INTERVAL,
    )


@dataclass(frozen=True)
class HipThrustRules:
    lockout_min_hip_deg: float = setting(
        165.0,
        "ht.lockout: top hip angle (shoulder-hip-knee) under this is a partial lockout. COACHING.md 'Full lockout' (start).",
    )
    lockout_min_hip_side_deg: float = setting(
        175.0,
        "ht.lockout in a pure side view (detect.pure_side_min_yaw_deg): a top hip angle under this warns, under it minus lockout_side_warn_margin_deg is a fault. COACHING.md §1 (fine 8 below the shoulder-knee line, fault 15) read through the bias measured on rendered thrusts from the side (docs/ACCURACY.md): the fine and clean tops read 180, the 15-degree partial 170-171, so the cut sits between them. At an angle the hip reads lower (15 degrees off: fine 173, partial 160; 30 degrees: clean 171, partial 149) and lockout_min_hip_deg applies.",
        allowed=Range(0.0, 180.0),
    )
    lockout_side_warn_margin_deg: float = setting(
        3.0,
        "ht.lockout in a pure side view: readings this far under lockout_min_hip_side_deg warn, further is a fault.",
        allowed=Range(0.0, 30.0),
    )
    overextension_max_deg: float = setting(
        15.0,
        "ht.overextension: hip line deviation at the top over this is lumbar overextension. COACHING.md 'No overarching at the top' (start 10; clean labelled thrusts read up to 13 with MediaPipe, docs/ACCURACY.md).",
    )
    gaze_bottom_max_deg: float = setting(
        50.0,
        "ht.look_at_wall: gaze elevation at the bottom above this is 'far above the wall in front'. COACHING.md 'Head and eyes drive the spine'.",
        allowed=SIGNED_DEG,
    )
    gaze_top_max_deg: float = setting(
        95.0,
        "ht.look_at_wall: gaze (ear->nose) elevation at the top above this is head cranked back: past straight up, eyes going to the wall behind. Neutral is accepted (COACHING.md); clean labelled thrusts read up to 89. Profiles 'slight'/'moderate' ask for more tuck.",
        allowed=SIGNED_DEG,
    )
    neck_extension_max_deg: float = setting(
        15.0,
        "ht.look_at_wall: neck extension at the top past neutral (head in line with the trunk; estimated with neck_bottom_flexion_deg and neck_flexion_gain) by more than this also counts as head cranked back (a warning). COACHING.md §1: fine <= 10, fault >= 25.",
    )
    neck_hyperflexion_deg: float = setting(
        45.0,
        "ht.neck_hyperflexion: neck flexion at the top past neutral (head in line with the trunk) by more than this is chin-to-chest; 5 more is a fault. COACHING.md §1 (fine <= 30, fault >= 45); profiles move it.",
    )
    judge_unvalidated: bool = setting(
        False,
        "Give verdicts for ht.neck_hyperflexion too. Off by default: its calibration on rendered lifters (chin tuck at the fault size 45 read 45.7, fine 30 read 31.3) does not transfer to real footage. Clean labelled thrusts hold the head still in the world (eyes on the wall in front: the top gaze reads 12-28 against 56-70 on rendered clean tops) while the hip->shoulder line turns 30-36 degrees and the upper back curls over the bench, so every head measure against that line (shoulder->ear, ear->nose, gaze) reads them 48-79 past neutral on either model (bottom-referenced or absolute), like a rendered chin on the chest; the shoulder point is where it belongs (docs/ACCURACY.md 'The neck rules'). Until a measure separates the neck from the upper back the rule says 'not checked' with the reason.",
    )
    neck_bottom_flexion_deg: float = setting(
        28.0,
        "Measurement model (COACHING.md §4), not coaching: looking at the wall in front at the bottom of a thrust, the neck is already flexed about this far past neutral by the lift's geometry, so the bottoms are the lifter's reference but not their neutral. Rendered truth, one body, side view (docs/ACCURACY.md 'Neck at the top').",
        allowed=SIGNED_DEG,
    )
    neck_flexion_gain: float = setting(
        0.78,
        "Measurement model: the shoulder->ear neck angle moves this many degrees per true degree of neck flexion (rendered truth: measured = 0.78 x true + 14.8, scatter 1.5, one body, side view).",
        allowed=POSITIVE,
    )
    shin_tilt_warn_deg: float = setting(
        10.0,
        "ht.shin_angle: shins tilted from vertical at the top by more than this warns (knee ahead of the ankle: feet too close; behind it: feet too far out). COACHING.md §1 (fine <= 10, fault >= 20; *changed* from knee angle 75-105: a knee angle of 90 means vertical shins only when the thigh is level).",
    )
    shin_tilt_fault_deg: float = setting(
        20.0,
        "ht.shin_angle: shin tilt from vertical at the top past this is a fault. COACHING.md §1 (fault >= 20). As the fine size (shin_tilt_warn_deg) and this lie over 3.3 SDs of shin_angle_uncertainty_deg apart, a flagged rep is a fault past §4's cut halfway between them and more than the uncertainty from the fine size (15 with the defaults), so a rep read at the fault size is a fault (docs/ACCURACY.md 'The judging lines from the cut, rule by rule').",
    )
    shin_tilt_top_bias_deg: float = setting(
        4.5,
        "Measurement model (COACHING.md §4): rendered vertical shins at the top read this far forward (+3.6..+8.5, median 4.5, quick grid at 0 and 30 deg, docs/ACCURACY.md); subtracted before judging.",
        allowed=SIGNED_DEG,
    )
    shin_angle_max_off_side_deg: float = setting(
        45.0,
        "ht.shin_angle is judged from shots measured up to this many degrees off the side, not only near it (detect.near_side_min_yaw_deg, 23, as the other angles that turn with the camera): the shin's tilt on screen at the top tracks the true tilt on rendered thrusts filmed 15, 30 and 45 degrees off the side (the oblique grid, six bodies, both facings, 185 reps judged; measured 14.5-44 degrees off; docs/ACCURACY.md 'The hip thrust's shins off the side'), with shin_angle_oblique_uncertainty_deg and, past shin_angle_far_from_deg, shin_angle_far_uncertainty_deg. COACHING.md §5.",
        allowed=Range(0.0, 90.0),
    )
    gaze_max_off_side_deg: float = setting(
        19.0,
        "ht.look_at_wall is judged from shots measured up to this many degrees off the side, nearer than the near side view (detect.near_side_min_yaw_deg, 23) the other angles that turn with the camera get: on rendered thrusts filmed 15, 30 and 45 degrees off the side (the oblique grid's head-back and shins kinds, six bodies, both facings), shots measured up to 19 degrees off read every clean top at most 81 and every head cranked back 20-35 degrees at least 104; shots measured 19-23 off (cameras 15 and 30 degrees round) read clean tops up to 149 (the near plate in front of the face, the face points drawn on the crown) and heads cranked back 25-35 degrees as low as 66, so there the gaze tells neither from the other (docs/ACCURACY.md 'The gaze off the side'). COACHING.md §5: gaze from one ear is not judgeable at 30-45.",
        allowed=Range(0.0, 90.0),
    )
    shin_angle_far_from_deg: float = setting(
        36.0,
        "ht.shin_angle from shots measured past this many degrees off the side carries shin_angle_far_uncertainty_deg: up to 36 the shin's tilt on screen reads the rendered truth within 2 RMS 4.3-5.3 per band of measured angle, past it 6.5 (36-40) and 8.5 (40-46), reading low (a true 20 reads 13.5-24.6 there; docs/ACCURACY.md 'The hip thrust's shins off the side').",
        allowed=Range(0.0, 90.0),
    )
    shin_length_tolerance: float = setting(
        0.03,
        "ht.shin_angle: a top frame whose knee-ankle length on screen is more than this fraction shorter than the top's own shin (the 90th percentile of the top's lengths) has the ankle landmark off the shin (slid up it, or onto the far ankle) and is not read; COACHING.md §6 (a landmark where the body cannot put it). Measured on rendered side-view thrusts: clean top frames scatter within about 3 % of each other, frames 4-16 % short read the tilt 4-15 degrees wrong (docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle').",
        allowed=Range(0.0, 1.0, lo_open=True),
    )
    shin_top_min_length_ratio: float = setting(
        0.9,
        "ht.shin_angle: when even the top's own shin (90th percentile of its knee-ankle lengths) is shorter than this fraction of the clip's (shin_length_ratio), the ankle is off the shin all through the top and the rule says not checked. Measured: a rendered top with the ankle off the shin throughout reads 0.85 (default body, 20-degree rep); clean real side-view tops hold a steady 0.92-0.94 (the bottom seen from another angle), so the cut sits below those and a top 8-11 % short is still read (docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle').",
        allowed=Range(0.0, 1.0, lo_open=True),
    )
    consistency_hip_deg: float = setting(
        15.0,
        "ht.consistency: a rep's start/top hip angle this far from the set's median is inconsistent.",
        allowed=Range(0.0, 180.0, lo_open=True),
    )
    consistency_neck_deg: float = setting(
        15.0,
        "ht.consistency: a rep's top neck flexion this far from the set's median is inconsistent.",
        allowed=Range(0.0, 180.0, lo_open=True),
    )
    warn_fraction: float = setting(
        0.5,
        "Values past a threshold by less than this fraction of it (or of the warn margin) are warnings, not faults.",
    )
    warn_margin_deg: float = setting(
        5.0, "Angles within this many degrees past a threshold are warnings; further is a fault."
    )
    # Measurement uncertainty per rule (COACHING.md §4 'Confidence'): 2 SD of the rule's reading - its truth on
    # rendered clips with exact angles, pure side view (docs/ACCURACY.md 'Measurement uncertainty per rule',
    # tools/uncertainty_table.py). A fault needs the reading past its fault line by more than this, else it is at
    # most a warning; the report shows "value ± uncertainty".
    lockout_uncertainty_deg: float = setting(
        4.0,
        "ht.lockout: the top hip angle scatters 3.8 (2 SD about reading = a + 0.87 x truth) on rendered thrusts from the side, 19 reps, quick grid (measured anew, docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    lockout_off_side_uncertainty_deg: float = setting(
        25.0,
        "ht.lockout from a shot past the pure side view (detect.pure_side_min_yaw_deg): the top hip angle reads 8.8 "
        "low with 2 SD 18.2 (2 RMS about the truth 25.2) on 76 rendered thrust tops measured 15-42 degrees off side "
        "(the rates grid's hip-thrust kinds; `python tools/off_side_table.py ht.lockout DIR --bands 0,15,90`; docs/ACCURACY.md "
        "'A full lockout read as a partial one off the side'): 15-25 degrees -4.9 (2 RMS 15.7), past 25 -11.4 (2 RMS "
        "30.0), where a lifter behind 45 cm plates whose hip the plate search did not find reads a full top 144-152. "
        "A fault there would not mean the hips stopped short. The errors run one way (the largest reading over the "
        "truth, +2.7): a pass there keeps lockout_uncertainty_deg, the pure side view's scatter "
        "(Rule.off_side_errs_towards_flag).",
    )
    overextension_pass_max_off_side_deg: float = setting(
        20.0,
        "ht.overextension: a pass is given from a shot measured at most this many degrees off the side; farther, it is "
        "not checked (its warnings and faults stand). The reading falls as the camera turns (COACHING.md §5; reading "
        "minus truth on rendered thrusts, seven bodies, by the measured angle: +3..+13 at 7-13 degrees, +8 at 16, -1..+2 "
        "at 15-19, -3 at 20.4, -10 at 22.6), so from about 20 degrees a true 15-degree overextension reads under the line "
        "(13.9, 3.8) and a pass would not mean the rule could have seen it. Real side-view thrusts measure 13-18 degrees "
        "off side (the lying body's angle reads high: detect.near_side_min_yaw_deg) and keep their passes "
        "(docs/ACCURACY.md 'The hip line judged between its jumps').",
        allowed=Range(0.0, 90.0),
    )
    overextension_uncertainty_deg: float = setting(
        7.5,
        "ht.overextension: the hip's height above the shoulder-knee line at the top reads 6.2 high with 2 SD 7.2 on rendered thrusts from the side, 51 reps of nine bodies (`python tools/uncertainty_table.py /work/scratch/htline /work/scratch/sens-rates-1206 --azimuth 0`; docs/ACCURACY.md 'The hip line at the thrust's top on eight more bodies'): the offset is the lifter's, +3 to +13 degrees, steady within a clip. It was 5.5 from 19 reps of the default lifter alone.",
    )
    gaze_uncertainty_deg: float = setting(
        15.5,
        "ht.look_at_wall: the gaze at the top (one ear to the nose, a short line) scatters 15.3 (2 SD about reading = a + 1.07 x the true neck extension; the renderer labels no gaze) on rendered thrusts from the side, 20 reps (measured anew, docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    gaze_oblique_uncertainty_deg: float = setting(
        36.0,
        "ht.look_at_wall from a shot past the pure side view (detect.pure_side_min_yaw_deg), up to gaze_max_off_side_deg: the top gaze minus what the side view reads at the same true neck extension (the bodies grid's medians at 0 degrees), 2 RMS 36.0 on rendered thrusts measured 15-19 degrees off (bias +12.4, 50 reps of 11 clips; clean tops +6.8, 31 reps; `python tools/uncertainty_table.py DIR... --bands 0,15,19,23 --video`, its row 'against the side view's reading'): the head cranked back reads further back there (a 10-degree extension 97-122, as high as the side's 25). The errors run towards a flag, so a fault needs the reading past its line by this while a pass keeps gaze_uncertainty_deg (docs/ACCURACY.md 'The gaze off the side').",
    )
    neck_hyperflexion_uncertainty_deg: float = setting(
        6.0,
        "ht.neck_hyperflexion: neck flexion past neutral (through neck_bottom_flexion_deg and neck_flexion_gain) reads within 2 SD 5.6 of truth on rendered thrusts from the side, 20 reps (measured anew, docs/ACCURACY.md 'Measurement uncertainty per rule'; the model's own scatter, 1.5, is of one chin-tuck clip).",
    )
    shin_angle_uncertainty_deg: float = setting(
        5.0,
        "ht.shin_angle: the shin tilt at the top, bias removed, reads within 2 SD 4.7 of truth on rendered thrusts from the side since it reads only the top's frames whose shin keeps its length (two bodies, 9 reps, docs/ACCURACY.md 'Shin tilt at the hip-thrust top: the ankle'; the rates grid's side-view thrusts, one body, 20 reps: 2 SD 1.3, 'Unseen and warned at 0°, rule by rule (2026-12-03)'). It was 7.5 from the 2 SD 7.2 measured before that fix, when the ankle slid onto the far one (the fault size read 5.9).",
    )
    shin_angle_oblique_uncertainty_deg: float = setting(
        5.5,
        "ht.shin_angle from a shot past the pure side view (detect.pure_side_min_yaw_deg), up to shin_angle_far_from_deg: the shin's tilt on screen minus the truth on rendered thrusts measured 15-23 degrees off the side, 2 RMS 5.3 (bias +1.8, 45 reps), 23-36 degrees 4.8 (+1.8, 54 reps): the oblique grid, six bodies, both facings (`formcheck eval --sensitivity DIR --grid oblique --kind shins`; docs/ACCURACY.md 'The hip thrust's shins off the side'). The fine and fault sizes (10, 20) stay over 3.3 SDs apart (COACHING.md §4), so a rep flagged past 15.5 is a fault.",
    )
    shin_angle_far_uncertainty_deg: float = setting(
        8.5,
        "ht.shin_angle from a shot measured past shin_angle_far_from_deg off the side (up to shin_angle_max_off_side_deg): the tilt on screen minus the truth, 2 RMS 8.5 on rendered thrusts measured 40-46 degrees off (bias -2.4, 39 reps; 6.5 at 36-40, 41 reps), the shin reading low (docs/ACCURACY.md 'The hip thrust's shins off the side'). The fine and fault sizes are not 3.3 SDs of it apart, so a fault there needs the reading past the fault size by this; a fault-size rep (20) read 13.5 at the least, past the fine size (10), so it is never passed.",
    )
    consistency_uncertainty_deg: float = setting(
        6.0,
        "ht.consistency: no rendered truth of a rep's difference from the set; taken from the closest measured reading, the neck at the top (2 SD 5.6 on rendered thrusts, ht.neck_hyperflexion), rounded up for the set median it is compared with (docs/ACCURACY.md 'Measurement uncertainty per rule'). It only ever warns.",
    )


@dataclass(frozen=True)
class RdlRules:
    knee_flexion_bias_deg: float = setting(
        5.6,
        "What 2D reads for a straight knee filmed from the side where rdl.knees_locked reads it (knees_locked_read_share of the way down), subtracted before it judges (COACHING.md §1 'a straight knee reads ~10 bent', §4 'subtract the bias'). Rendered RDLs from the side, six bodies, both facings, 72 reps (docs/ACCURACY.md 'Locked knees read as the hinge begins'): reading = 5.6 + 0.83 x truth (2 SD 4.9); true 0 reads 2.3-8.9, true 8 reads 8.3-16.4, clean starts (13-20) 17-23. Off the side the bias changes sign (15 degrees off: a straight knee reads -1.9, 2 SD 8.6), so the rule needs a pure side view.",
        allowed=SIGNED_DEG,
    )
    knees_locked_read_share: float = setting(
        0.1,
        "rdl.knees_locked reads the knee where the hips have gone this share of the way down (the hip angle from the start to the bottom), not at the standing frame: lifters stand tall between reps and unlock as the hips start back (COACHING.md 'Knees unlocked, then frozen'; clean real RDLs clip_078 and clip_085 read straight standing, 7-8 degrees more at this point). On the rendered RDLs the reading's scatter is least here (2 SD 6.3 at the standing frame, 5.4 at 0.05, 4.9 at 0.1, 4.8 at 0.15, 12.8 at 0.2 where the hands pass the knee; docs/ACCURACY.md 'Locked knees read as the hinge begins').",
        allowed=Range(0.0, 0.5),
    )
    knees_locked_min_flexion_deg: float = setting(
        3.3,
        "rdl.knees_locked: knee flexion as the hinge begins, after subtracting knee_flexion_bias_deg, under this is locked knees. COACHING.md §1: fine 8 or more, fault 0 or less; 2D reads flexion near straight at 0.83 of its size there, so from the side the fine size reads 6.6 after the bias and the fault size 0: the cut sits halfway (§4; rendered truth, docs/ACCURACY.md 'Locked knees read as the hinge begins'; real labels do not ask about locked knees).",
        allowed=SIGNED_DEG,
    )
    knees_locked_warn_margin_deg: float = setting(
        2.0,
        "rdl.knees_locked: readings this far under knees_locked_min_flexion_deg are warnings, further is a fault (the fine and fault readings are only ~6.6 degrees apart from the side).",
        allowed=Range(0.0, 30.0),
    )
    judge_unvalidated: bool = setting(
        False,
        "Give verdicts for rdl.rounding, rdl.neck and rdl.bar_drift too (and for the rules a variant sets aside, e.g. a single-leg RDL's). Off by default. rdl.bar_drift: with the feet pinned, rendered barbell RDLs read the bar's distance within 2 SD 0.027 (six bodies), but the reading of a bar on the legs does not transfer to real sets: a clean barbell RDL reads 0.05, a clean dumbbell one 0.23, rendered ones 0.10-0.14, so neither a pass nor a flag would mean what it says (docs/ACCURACY.md 'Bar drift on six bodies'). rdl.rounding: the torso length ratio cannot see an evenly bent spine (COACHING.md §1: 1.1 % shorter at 30 deg; rendered rounded backs of 10-30 deg read 0.88-0.90 against 0.87 clean, docs/ACCURACY.md), and no validated proxy exists yet. rdl.neck: on rendered truth its reading scatters 12 degrees (2 SD) from body to body and camera to camera, about the 15 degrees between COACHING.md's fine and fault sizes, and RDLs both raters saw as clean (clip_085) read 27-29 degrees of neck extension at the bottom, eyes on the floor a metre or two ahead (docs/ACCURACY.md 'The neck rules'). Until then the rules say 'not checked' with the reason.",
    )
    shin_tilt_warn_deg: float = setting(
        5.0,
        "rdl.knees_frozen: the shins tilting forward (knees travelling over the toes) by more than this, measured, from the rep's start to the bottom warns when the hips also sink instead of going back (hybrid_*); the rule's fine size as read. COACHING.md §1/§2 in true units: fine <= +5, fault >= +15. Read with the feet where they stood (cleaning.pin_planted_feet) the shin tilt change is 0.27 + 0.87 x truth on rendered RDLs from the side (the bodies grid, six bodies, both facings, 66 reps; docs/ACCURACY.md 'Planted feet'): the fine size +5 reads 4.6 (clean reps -3..+0). Before the feet were pinned MediaPipe read it at about half its size and this line sat at the cut between the readings. The knee angle alone cannot tell: it closes 20-40 deg in a good hinge over still shins.",
    )
    shin_tilt_fault_deg: float = setting(
        13.0,
        "rdl.knees_frozen: the fault size as read: the true +15 (COACHING.md §1) reads 13.3 by the fit (median 13.1, 9.6..18.0 over 11 reps; see shin_tilt_warn_deg). With shin_tilt_warn_deg 8 degrees away, 4 SDs of knees_frozen_uncertainty_deg, a rep the rule flags (the shins tilt past the fine size while the hips sink) is a fault past the cut between them, 9 with the defaults (COACHING.md §4; docs/ACCURACY.md 'The judging lines from the cut, rule by rule'). It was 8, the cut between the readings before the feet were pinned.",
    )
    shin_tilt_correct_up_to_deg: float = setting(
        45.0,
        "rdl.knees_frozen reads the shins' tilt in the lifter's sagittal plane: its tilt on screen with the camera's measured angle off the side taken out (tan(true) = tan(on screen) / cos(angle); COACHING.md §5). Corrected by the measured angle up to this many degrees, the furthest round the rendered grid measured it (docs/ACCURACY.md 'The shins' tilt corrected for the camera angle'); further round by this angle's correction, which reads smaller, never a reading blown up near a front view.",
        allowed=Range(0.0, 80.0),
    )
    hybrid_min_knee_hip_ratio: float = setting(
        0.35,
        "rdl.knees_frozen: the hips 'sink' (warning level) when the knee flexes more than this many degrees per degree of hip flexion in the descent. COACHING.md §2: good hinge <= 0.35, hybrid >= 0.5 (true); measured with the feet pinned (bodies grid, 0 degrees), clean rendered reps read 0.17-0.24, true +5 shin 0.23-0.35, +10 0.33-0.44, +15 0.42-0.48 (before the pinning: clean 0.12-0.25, +5 0.28-0.35, +15 0.36-0.46).",
    )
    hybrid_fault_knee_hip_ratio: float = setting(
        0.4,
        "rdl.knees_frozen: ...and at least this for a fault (see hybrid_min_knee_hip_ratio).",
    )
    hybrid_max_hip_travel_leg: float = setting(
        0.12,
        "rdl.knees_frozen: ...or when the hips travel back at most this many leg lengths per 90 deg of hinge (good hinge >= 0.18). COACHING.md §2.",
    )
    knee_drift_alone_deg: float = setting(
        50.0,
        "rdl.knees_frozen: knee flexion added in the descent past this is a hybrid whatever the shins show (beyond what hinges over vertical shins reach: clean labelled RDLs +30..+42). COACHING.md §2 ('knee drift alone only past ~50').",
    )
    hips_back_max_off_side_deg: float = setting(
        36.0,
        "rdl.hips_back is judged from shots measured at most this many degrees off the side (formcheck.camera), not only from a pure side view (detect.pure_side_min_yaw_deg): its reading, the hips' travel per 90 deg of hinge, holds as the camera turns that far (COACHING.md §5 judges distances only where validated). On rendered RDLs (the rates, bodies and knee grids, six bodies, both facings, 505 reps) the reading minus its truth is -0.002 with 2 SD 0.038 measured 0-15 degrees off and -0.002 with 2 SD 0.040 at 15-36 (every rep rendered 30 degrees off reads 29-36), but -0.095 with 2 SD 0.047 at 45-51 (the 45-degree renders: the hips' travel shrinks on screen and the fine reps read as faults). Docs/ACCURACY.md 'Hips back judged up to 36 degrees off the side'.",
        allowed=Range(0.0, 90.0),
    )
    hips_back_bias_leg: float = setting(
        -0.013,
        "rdl.hips_back: what the hip travel per 90 deg of hinge reads minus its truth on rendered RDLs 0-15 degrees off side (-0.014 at 0, -0.013 at 7.5, -0.012 at 15; 178 reps, six bodies, both facings: docs/ACCURACY.md 'Hips back switched on'); subtracted from the reading before it is judged (COACHING.md §4 'subtract the bias').",
        allowed=Range(-0.5, 0.5),
    )
    hips_back_min_ratio: float = setting(
        0.15,
        "rdl.hips_back: horizontal hip travel (in leg lengths) per 90 deg of hinge, from the start position to the bottom (COACHING.md §2), below this flags (bias removed: hips_back_bias_leg). COACHING.md 'Hips back' and the rules table (0.15 warn / 0.10 fault). Judged since the feet are pinned (cleaning.pin_planted_feet, an RDL's at any distance) and the travel is read where the hip and the ankle are evidence: on rendered RDLs 0-15 degrees off side the reading follows the truth within hips_back_uncertainty_leg (docs/ACCURACY.md 'Hips back switched on'), 15-36 degrees within hips_back_oblique_uncertainty_leg ('Hips back judged up to 36 degrees off the side').",
    )
    min_hinge_deg: float = setting(30.0, "rdl.hips_back: only judged when the hip flexes at least this far.")
    bar_drift_max: float = setting(
        0.18,
        "rdl.bar_drift: wrist distance from the knee-ankle line over this fraction of leg length warns: COACHING.md §1's fine size (0.04 L beyond contact) plus the 0.14 the wrist reads above the true gap beyond contact on rendered RDLs (bar_drift_uncertainty_leg). It was 0.25, raised on clean labels (COACHING.md §4: to be reviewed); the rule is not judged by default (judge_unvalidated).",
        allowed=NON_NEGATIVE,
    )
    rounding_min_ratio: float = setting(
        0.85,
        "rdl.rounding: torso length ratio falling under this during the descent. COACHING.md 'Depth limited by flexibility' (clean labelled side-view RDLs read 0.91-0.92). Side view only.",
    )
    eccentric_min_s: float = setting(
        1.0, "rdl.tempo: an eccentric faster than this is rushed. COACHING.md 'Controlled eccentric' (start 1.0 s)."
    )
    eccentric_span_fraction: float = setting(
        0.1,
        "Measurement, not coaching: rdl.tempo times the way down on the shoulders' (else the wrists') height in the picture, between where it has dropped this fraction of its travel and where it is this fraction above its bottom (formcheck.tempo). The ends of a descent are slow and drown in landmark noise; its middle is fast and timed to a fraction of a frame. docs/ACCURACY.md 'The eccentric timed by the shoulders'.",
        allowed=Range(0.01, 0.4),
    )
    eccentric_shoulder_span_share: float = setting(
        0.41,
        "Measurement model (COACHING.md §4): the share of an RDL's eccentric the shoulder spends between eccentric_span_fraction and 1 - it of its drop; the reading is that span over this. Rendered truth: the rendered shoulders' span over the true eccentric, median 0.406 (IQR 0.400-0.413, 253 reps of the rates grid; 0.506 for a minimum-jerk height, the shoulder's height falling as the cosine of a minimum-jerk hip flexion). A steadier descent spends more of its time in the middle and reads longer (a constant-speed hinge up to 1.5x): a rushed drop is ballistic. docs/ACCURACY.md 'The eccentric timed by the shoulders'.",
        allowed=Range(0.1, 1.0),
    )
    eccentric_wrist_span_share: float = setting(
        0.44,
        "Measurement model: as eccentric_shoulder_span_share for the wrists (the bar), used where the shoulders are not evidence around a crossing. Rendered truth: median 0.438 (IQR 0.435-0.441, 253 reps). docs/ACCURACY.md 'The eccentric timed by the shoulders'.",
        allowed=Range(0.1, 1.0),
    )
    eccentric_min_travel_torso: float = setting(
        0.3,
        "Measurement: rdl.tempo times the way down on a point only when it drops at least this many upright torso lengths from the top to the bottom (rendered RDLs: the shoulders drop 0.9-1.1); less is a hinge too short or a point lost, and the rep counter's reading (hip angle) is used.",
        allowed=Range(0.0, 2.0),
    )
    bounce_max_bottom_s: float = setting(
        0.08, "rdl.tempo: a bottom pause shorter than this with a fast turn-around is a bounce."
    )
    bounce_min_speed_deg_s: float = setting(
        120.0, "rdl.tempo: hip-angle speed into and out of the bottom above this is a bounce when the pause is short."
    )
    neck_extension_max_deg: float = setting(
        15.0,
        "rdl.neck: neck extension at the bottom past the lifter's standing neck angle, true degrees (through neck_extension_bias_deg and neck_extension_gain), over this warns. COACHING.md §1 'Neutral neck': fine <= 15. *Changed* from 40 measured degrees, a line raised on clean labels, under which a rendered 30-degree head-up read 34.7 and passed (docs/ACCURACY.md 'The neck rules').",
    )
    neck_extension_fault_deg: float = setting(
        30.0,
        "rdl.neck: ...this far past is a fault: the head cranked up to look at a mirror. COACHING.md §1: fault >= 30.",
    )
    neck_extension_bias_deg: float = setting(
        15.0,
        "Measurement model (COACHING.md §4), not coaching: rendered RDLs read the shoulder->ear angle's fall from the start to the bottom as 15.0 + 0.82 x the true neck extension (20 reps, 5 clips: 3 bodies, 0-30 degrees off side, both facings, 640x360; the shoulder point moves as the arms hang and the trunk tips). Rendered truth, docs/ACCURACY.md 'The neck rules'.",
        allowed=SIGNED_DEG,
    )
    neck_extension_gain: float = setting(
        0.82,
        "Measurement model: the shoulder->ear angle's fall from the start to the bottom moves this many degrees per true degree of neck extension (rendered head-up RDLs, docs/ACCURACY.md 'The neck rules').",
        allowed=POSITIVE,
    )
    warn_margin_deg: float = setting(
        5.0, "Angles within this many degrees past a threshold are warnings; further is a fault."
    )
    bar_drift_fault_factor: float = setting(
        (0.12 + 0.14) / (0.04 + 0.14),
        "rdl.bar_drift: past this multiple of bar_drift_max is a fault, below it a warning: COACHING.md §1's fault size (0.12 L beyond contact) plus the same 0.14 bias, 0.26 with the default line (was 1.5: 0.375).",
    )
    hips_back_fault_factor: float = setting(
        2.0 / 3.0,
        "rdl.hips_back: under this fraction of hips_back_min_ratio is a fault, above it a warning: 0.10 leg lengths per 90 deg with the 0.15 default, COACHING.md §1's fault size (the rules table: 0.15 warn / 0.10 fault). The reading's bias (hips_back_bias_leg) is removed before it is compared.",
    )
    hips_back_fine_ratio: float = setting(
        0.18,
        "rdl.hips_back: COACHING.md §1's fine size, hips back at least 0.18 leg lengths per 90 deg of hinge. The fault line is 0.08 away, 4.7 SDs of hips_back_uncertainty_leg (§4 needs 3.3), so a rep the rule flags is a fault past the cut between them (0.14), a warning between the cut and hips_back_min_ratio (COACHING.md §4; docs/ACCURACY.md 'Hips back switched on').",
    )
    rounding_warn_margin: float = setting(
        0.05, "rdl.rounding: a torso length ratio within this under the limit is a warning; lower is a fault."
    )
    eccentric_fine_read_s: float = setting(
        1.15,
        "Measurement model (COACHING.md §4), not coaching: rdl.tempo's fine size (§1: an eccentric of 1.2 s or more) as read at 30 fps, timed by the shoulders (formcheck.tempo). Rendered at 30 fps, 640x360 (`formcheck synth --lift rdl --reps 4 --fault rushed=0.7@2,4 --fault rushed=1.2@3 --fps 30 --width 640 --height 360`, the default and a random body), a 1.2 s eccentric read 1.16 and 1.20 s and the 0.7 s fault size 0.66-0.70 s (tempo_uncertainty_s: reading = a + 0.98 x truth): the fine and fault readings lie 15 SDs of tempo_uncertainty_s apart, so a rep under eccentric_min_s is a fault past the cut between this and the fault line and more than the uncertainty under this (docs/ACCURACY.md 'The eccentric timed by the shoulders'; it was 1.0 when the hip angle timed it, 'The judging lines from the cut, rule by rule').",
        allowed=POSITIVE,
    )
    eccentric_fault_factor: float = setting(
        0.7, "rdl.tempo: an eccentric under this fraction of eccentric_min_s is a fault, above it a warning."
    )
    # Measurement uncertainty per rule (see HipThrustRules.lockout_uncertainty_deg).
    knees_locked_uncertainty_deg: float = setting(
        5.0,
        "rdl.knees_locked: the knee flexion as the hinge begins (bias removed) scatters 5.0 (2 SD about reading = a + 0.83 x truth: `tools/uncertainty_table.py` on the bodies grid's 0-degree knees_locked clips, six bodies, both facings, 72 reps; docs/ACCURACY.md 'Locked knees read as the hinge begins'; 6.3 at the standing frame). Close to the 6.6 between the fine and fault readings: a fault needs a hyperextended reading.",
    )
    knees_frozen_uncertainty_deg: float = setting(
        4.0,
        "rdl.knees_frozen: the measured shin tilt change scatters 4.0 (2 SD about reading = 0.27 + 0.87 x truth; 4.6 about the bias -1.4) on rendered RDLs from the side across six bodies and both facings, 66 reps, with the feet read where they stood (cleaning.pin_planted_feet; the bodies grid, `tools/uncertainty_table.py DIR --azimuth 0`; docs/ACCURACY.md 'Planted feet'). 6.9 at 7.5 degrees off side, 16 at 15 (a few reps whose knee the model loses). It was 8.5 about reading = a + 0.65 x truth before the pinning, 6.5 from 24 reps of fewer bodies before that.",
    )
    knees_frozen_side_max_off_side_deg: float = setting(
        8.0,
        "rdl.knees_frozen keeps knees_frozen_uncertainty_deg, measured on RDLs rendered square to the side (which measure 4.8-7.4 degrees off, detect.lockout_pass_max_off_side_deg), only for shots measured at most this many degrees off; further round, the pure side view included, knees_frozen_oblique_uncertainty_deg: rendered 7.5 degrees off the shin tilt change scatters 6.9 (the bodies grid), 15 degrees off 6.7 even where the angle measures 10-12.5 (the oblique grid; docs/ACCURACY.md 'The shins' tilt corrected for the camera angle').",
        allowed=Range(0.0, 90.0),
    )
    knees_frozen_oblique_uncertainty_deg: float = setting(
        7.2,
        "rdl.knees_frozen from a shot past the pure side view (detect.pure_side_min_yaw_deg): the shin tilt change, read in the sagittal plane (shin_tilt_correct_up_to_deg), scatters 7.2, 7.1 and 7.0 (2 SD about reading = a + 1.06, 0.98, 0.98 x truth; 6.9, 6.0, 5.5 on screen about gains 1.04, 0.86, 0.75) on rendered RDLs filmed 15, 30 and 45 degrees off the side, six bodies, both facings, 59-71 reps each (the oblique grid, `formcheck eval --sensitivity DIR --grid oblique --kind knees_bend`, then `tools/uncertainty_table.py DIR --azimuth A`; docs/ACCURACY.md 'The shins' tilt corrected for the camera angle'). Most of it is the lifter's own offset, steady within a clip (-3.8 to +3.9). Over 3.3 SDs of it the fine and fault sizes are not apart, so a fault there needs the reading past shin_tilt_fault_deg by this.",
    )
    knee_drift_uncertainty_deg: float = setting(
        7.0,
        "rdl.knees_frozen past knee_drift_alone_deg: the knee flexion added in the descent scatters 6.9 (2 SD about reading = a + 0.96 x truth; bias -6.1) on rendered RDLs from the side, six bodies, both facings, 66 reps, with the feet read where they stood (docs/ACCURACY.md 'Planted feet'). It was 12 (11.0 about a + 0.84 x truth, bias -11.1, before the pinning; 11.7 from 24 reps before that).",
    )
    hips_back_uncertainty_leg: float = setting(
        0.034,
        "rdl.hips_back: hip travel per 90 deg of hinge (bias removed) scatters 0.034 (2 SD) on rendered RDLs filmed from the side, six bodies and both facings, 109 reps with true travel 0.055-0.244 (hips_stay and knees_bend grids); 0.022 at 7.5 degrees off side (51 reps), 0.019 at 15 (31 reps); 0.029 on the locked-knee grid at 0 (89 reps) (`tools/uncertainty_table.py DIR --azimuth A`; docs/ACCURACY.md 'Hips back switched on'). It was 0.064 with the ankle read as drawn and the travel taken at its furthest in the descent, where an ankle glitch lands.",
    )
    hips_back_oblique_uncertainty_leg: float = setting(
        0.045,
        "rdl.hips_back from a shot past the pure side view (up to hips_back_max_off_side_deg): the reading minus its truth on rendered RDLs measured 15-25 degrees off side +0.012 (2 SD 0.027, 86 reps), 25-36 degrees -0.018 (2 SD 0.028, 70 reps): 2 SD about the truth 0.035 and 0.045, the larger taken (docs/ACCURACY.md 'Hips back judged up to 36 degrees off the side'). COACHING.md §1's fine and fault sizes (0.18, 0.10) stay 3.6 SDs apart, over the 3.3 §4 asks for.",
    )
    bar_drift_uncertainty_leg: float = setting(
        0.09,
        "rdl.bar_drift: the wrist's distance from the knee-ankle line reads 0.14 above the true gap beyond contact (the contact reading, which bar_drift_max holds) with 2 SD 0.088 on rendered RDLs from the side, 28 reps (measured anew, docs/ACCURACY.md 'Measurement uncertainty per rule'; 'Sensitivity on rendered faults' read ~0.1 above). With the feet pinned, six rendered bodies at 0 degrees (bar 0-0.16 L off the legs, 36 reps) read truth + 0.110 with 2 SD 0.027, but the contact reading does not transfer to real sets (0.05 on a clean barbell RDL, 0.23 on a clean dumbbell one: docs/ACCURACY.md 'Bar drift on six bodies'), so the rule stays unvalidated and this stays.",
    )
    rounding_uncertainty_ratio: float = setting(
        0.08,
        "rdl.rounding: the torso length ratio scatters 0.076 (2 SD) on rendered RDLs from the side and does not move with rounding (gain 0, COACHING.md §1), 27 reps (measured anew, docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    tempo_uncertainty_s: float = setting(
        0.105,
        "rdl.tempo: the eccentric timed by the shoulders scatters 0.104 s (2 SD about reading = a + 0.93 x truth) on rendered RDLs at 640x360 30 fps from the side across six bodies and both facings, 72 reps (the bodies grid; docs/ACCURACY.md 'The squat-hinge hybrid on six bodies'). It was 0.06: 0.059 s (2 SD about reading = a + 0.98 x truth; bias -0.034 s) on 12 reps of 4 clips of 2 bodies at 30 fps (`python tools/uncertainty_table.py FOLDER sample_videos tests/data/landmarks`, docs/ACCURACY.md 'The eccentric timed by the shoulders'). It was 0.12 when the hip angle timed it (0.108 then; 0.149 on these 12 reps, gain 0.65). The 10 fps rates grid at 0 degrees scatters 0.205 about its fit (was 0.418): phone video is 30 fps or more.",
    )
    neck_uncertainty_deg: float = setting(
        12.5,
        "rdl.neck: true degrees; the reading scatters 10.0 measured (12.2 true) at 2 SD about reading = 15.0 + 0.82 x truth on rendered head-up RDLs, 20 reps in 5 clips of 3 bodies at 0-30 degrees off side (measured anew, docs/ACCURACY.md 'The neck rules'; mostly a per-clip offset: a held neck reads -9 to +10 true from clip to clip). That is about the 15 degrees between COACHING.md's fine and fault sizes, under the 3.3 sigma §4 asks for: one reason the rule is not judged by default.",
    )


@dataclass(frozen=True)
class DeadliftRules:
    judge_unvalidated: bool = setting(
        False,
        "Give verdicts for dl.bar_over_midfoot, dl.bar_drift, dl.lean_back and dl.neck too. Off by default: the readings of the first, second and fourth on rendered deadlifts do not separate COACHING.md §3's fine and fault sizes, and dl.lean_back, validated on rendered deadlifts, reads 19-26 degrees behind vertical on clean labelled real ones whose hip at lockout is behind a 45 cm plate the plate search missed (docs/ACCURACY.md 'Deadlift rules on rendered truth', 'A plate lost at the top follows the bar'; COACHING.md §4: never raise a threshold to match coarse labels). (dl.floor, which did not see a bar left in the air from the hands' height, now reads the near plate and is judged: docs/ACCURACY.md 'Bar not set down: read from the plate'.) Until then they say 'not checked' with the reason.",
    )
    bar_midfoot_warn_foot: float = setting(
        0.3,
        "dl.bar_over_midfoot: bar (wrist) ahead of mid-foot at lift-off by more than this many foot lengths warns. COACHING.md §3 (fault 0.4, fine within 0.2: the warning sits between).",
    )
    bar_midfoot_fault_foot: float = setting(
        0.4,
        "dl.bar_over_midfoot, dl.bar_drift: bar ahead of mid-foot by this many foot lengths is a fault: the bar over the toes loads the back. COACHING.md §3, §1 rdl.bar_drift.",
    )
    hips_first_fine_deg: float = setting(
        5.0,
        "dl.hips_first: the fine size, trunk tip towards horizontal from lift-off to the bar at the knees in true degrees. COACHING.md §3 (fine 5). With the fault size over 3.3 SDs of hips_first_uncertainty_deg away, a flagged rep is a fault past the cut halfway between them (COACHING.md §4; docs/ACCURACY.md 'Deadlift rules on rendered truth').",
    )
    hips_first_warn_deg: float = setting(
        10.0,
        "dl.hips_first: trunk tipping this much further towards horizontal from lift-off to the bar at the knees (true degrees; compared with the reading plus hips_first_bias_deg) warns. COACHING.md §3 (fine 5).",
    )
    hips_first_fault_deg: float = setting(
        15.0,
        "dl.hips_first: ...this much (true degrees) is a fault: hips shooting up with the chest down (stiff-legged back pull). COACHING.md §3; the line the reading is compared with is this plus hips_first_bias_deg (COACHING.md §4).",
    )
    hips_first_bias_deg: float = setting(
        -0.1,
        "dl.hips_first: what the trunk's tip from lift-off to the bar at the knees reads minus its truth on rendered deadlifts (MediaPipe full, side view 0-15 degrees, small plates: -0.1 over 12 reps, clean, fine and fault; docs/ACCURACY.md 'Deadlift rules on rendered truth'). Added to the fine, warn and fault sizes (COACHING.md §4).",
        allowed=SIGNED_DEG,
    )
    hips_first_max_tip_deg: float = setting(
        60.0,
        "dl.hips_first: a trunk tipping more than this from lift-off to the bar at the knees is a misread, not a movement: at lift-off a deadlifter's trunk is already 30-60 degrees from horizontal (COACHING.md §3 set-up), so it cannot tip further than that; the rule is then not checked (COACHING.md §6 'angles outside anatomy'). clip_088 read 98 and 186 with the plates over the knees and the head out of frame.",
        allowed=Range(0.0, 180.0),
    )
    bar_contact_leg: float = setting(
        0.07,
        "dl.bar_drift: what the wrist reads in front of the knee-ankle line with the bar on the shins (leg lengths), subtracted before judging. COACHING.md §1 rdl.bar_drift ('contact reading').",
        allowed=Range(-1.0, 1.0),
    )
    bar_drift_warn_leg: float = setting(
        0.08,
        "dl.bar_drift: bar this far off the legs beyond contact in the pull (leg lengths) warns. COACHING.md §1 (fine 0.04 L, fault 0.12 L: the warning sits between).",
    )
    bar_drift_fault_leg: float = setting(
        0.12, "dl.bar_drift: ...this far (about 10 cm) is a fault. COACHING.md §3, §1 rdl.bar_drift."
    )
    lockout_warn_deg: float = setting(
        168.0,
        "dl.lockout: the top's hip or knee angle under this warns. COACHING.md §3 (fault 165, fine 172).",
    )
    lockout_fault_deg: float = setting(
        165.0, "dl.lockout: ...under this is a fault: hips or knees not straight. COACHING.md §3."
    )
    lockout_knee_bias_deg: float = setting(
        10.0,
        "dl.lockout: added to the measured knee angle before judging: 2D reads a straight knee about 10 bent (COACHING.md §1 rdl.knees_locked, §4 'subtract the bias'); clean labelled deadlift tops read 163-180.",
        allowed=SIGNED_DEG,
    )
    lean_back_fine_deg: float = setting(
        5.0,
        "dl.lean_back: the fine size, trunk behind vertical at the top in true degrees. COACHING.md §3 (fine 5). With the fault size over 3.3 SDs of lean_back_uncertainty_deg away, a flagged rep is a fault past the cut halfway between them (COACHING.md §4; docs/ACCURACY.md 'Deadlift rules on rendered truth').",
    )
    lean_back_warn_deg: float = setting(
        10.0,
        "dl.lean_back: trunk more than this behind vertical at the top (true degrees; the reading has lean_back_bias_deg added before comparing) warns. COACHING.md §3 (fine 5, fault 15).",
    )
    lean_back_fault_deg: float = setting(
        15.0,
        "dl.lean_back: ...more than this (true degrees) is a fault: leaning back at lockout. COACHING.md §3, §1 (fault size); the line the reading is compared with is this plus lean_back_bias_deg (COACHING.md §4).",
    )
    lean_back_bias_deg: float = setting(
        0.2,
        "dl.lean_back: what the trunk's angle behind vertical at the top reads minus its truth on rendered deadlifts (MediaPipe full, side view 0-15 degrees, small plates: +0.2 over 13 reps, clean, fine, fault and partial lockouts; docs/ACCURACY.md 'Deadlift rules on rendered truth'). Added to the fine, warn and fault sizes (COACHING.md §4: fault line = fault size + bias).",
        allowed=SIGNED_DEG,
    )
    neck_warn_deg: float = setting(
        22.0,
        "dl.neck: head (ear->nose) extended this far past its standing angle to the trunk at lift-off warns. COACHING.md §3, §1 rdl.neck (fine 15, fault 30: the warning sits between).",
    )
    neck_fault_deg: float = setting(
        30.0, "dl.neck: ...this far is a fault: looking up instead of at the floor a few metres ahead. COACHING.md §3."
    )
    floor_max_above_leg: float = setting(
        0.05,
        "dl.floor: a pull whose bar turned this many leg lengths above the set's lowest pull was not set down. COACHING.md §3 measures from the first rep's start; the set's lowest is used because a clip may open with the bar in the hands, or with the first pull's plate unseen.",
    )
    touch_and_go_max_pause_s: float = setting(
        0.1,
        "dl.floor: a floor pause shorter than this between reps is touch-and-go (a bounce). COACHING.md §3.",
    )
    touch_and_go_is_fault: bool = setting(
        False,
        "dl.floor: touch-and-go reps are a fault only when a profile says so (COACHING.md §3: 'a fault only by profile'); otherwise they pass with a note.",
    )
    # Measurement uncertainty per rule (see HipThrustRules.lockout_uncertainty_deg). The renderer has no deadlift:
    # each is taken from the closest reading measured on rendered RDLs and hip thrusts, as its docstring says.
    bar_over_midfoot_uncertainty_foot: float = setting(
        0.3,
        "dl.bar_over_midfoot: no rendered deadlift; taken from the wrist's horizontal scatter on rendered RDLs (rdl.bar_drift_uncertainty_leg, 0.09 leg lengths) at about 3.5 foot lengths to a leg length (docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    hips_first_uncertainty_deg: float = setting(
        2.1,
        "dl.hips_first: 2 SD of the reading minus the truth on rendered deadlifts (12 reps, MediaPipe full, side view 0-15 degrees, small plates; with 45 cm plates the hip or knee is hidden in the pull and the rule says not checked): docs/ACCURACY.md 'Deadlift rules on rendered truth'. Was 6.5, borrowed from the RDL's shin tilt change.",
    )
    bar_drift_uncertainty_leg: float = setting(
        0.09,
        "dl.bar_drift: no rendered deadlift; taken from the wrist-to-shin distance on rendered RDLs (rdl.bar_drift_uncertainty_leg; docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    lockout_uncertainty_deg: float = setting(
        4.0,
        "dl.lockout: no rendered deadlift; taken from the closest measured reading, the hip angle at a rendered hip thrust's top (hip_thrust.lockout_uncertainty_deg; docs/ACCURACY.md 'Measurement uncertainty per rule').",
    )
    lean_back_uncertainty_deg: float = setting(
        2.9,
        "dl.lean_back: 2 SD of the reading minus the truth on rendered deadlifts (13 reps, MediaPipe full, side view 0-15 degrees, small plates; with 45 cm plates the hip is hidden at the top and the rule says not checked): docs/ACCURACY.md 'Deadlift rules on rendered truth'.",
    )
    neck_uncertainty_deg: float = setting(
        10.5,
        "dl.neck: no rendered deadlift; the measured scatter of the head's angle to the trunk on the first rendered RDLs (docs/ACCURACY.md 'Measurement uncertainty per rule'; rdl.neck has since been re-measured in true degrees on rendered head-up RDLs, 12.5, a different scale).",
    )
    floor_uncertainty_leg: float = setting(
        0.02,
        "dl.floor: a pull's lowest plate height above the set's lowest, in true leg lengths, reads within 2 SD 0.010 of truth (bias +0.005, worst 0.010) on rendered deadlifts with 45 cm plates from 0-15 degrees off side, bars set down or turned 0.02-0.1 leg lengths above the floor (`python tools/deadlift_truth.py table`, 21 pulls read in 10 clips; docs/ACCURACY.md 'Bar not set down: read from the plate'). Set at 0.02, the 2 SD of the first reading of the same clips (from each pull's lowest look, 22 pulls: 0.019): 21 pulls of one picture size are a small sample, and real plate rims are softer.",
    )
    floor_uncertainty_px: float = setting(
        2.3,
        "dl.floor: floor_uncertainty_leg in pixels of the picture the plate is searched in (plates.max_side_px), before floor_plate_gain: 0.02 x 1.41 = 0.028 leg lengths as read, where a pixel of the rendered deadlifts spans 0.012 of their legs (about 80 pixels to a leg). A clip whose legs span fewer pixels gets the wider of this and floor_uncertainty_leg (real clip_026, pillarboxed 640x360: 0.028).",
        allowed=POSITIVE,
    )
    floor_rest_px: float = setting(
        2.0,
        "dl.floor: a pull's lowest plate point is read when another look found the plate within this many pixels (of the picture the plate is searched in) of it, a bar at rest (read as the median of those looks), or the looks either side of it found the plate, a turn; otherwise the bar may have gone lower while the plate was not found. A resting plate's looks lie 0-2 pixels from its lowest on the rendered deadlifts and real clip_026; a bar arriving or leaving, 2-5 (docs/ACCURACY.md 'Bar not set down: read from the plate').",
        allowed=POSITIVE,
    )
    floor_warn_above_leg: float = setting(
        0.025,
        "dl.floor: a pull this many true leg lengths above the set's lowest is flagged: the COACHING.md §4 cut halfway between §3's fine size (a bar on the floor, 0) and its fault size (floor_max_above_leg, 0.05), which the plate reading tells apart (5 SDs of floor_uncertainty_leg); a flagged pull is a fault unless the reading is within the uncertainty of the fine size.",
    )
    floor_plate_gain: float = setting(
        1.41,
        "dl.floor: the plate's height at lift-off reads this many leg lengths (the lifter's legs on screen, as the pose model draws them) per true leg length above the floor; divided out before judging. Measured on the rendered 45 cm-plate deadlifts of floor_uncertainty_leg (reading = 0.005 + 1.41 x truth on the first 16 pulls read; 0.008 + 1.39 x truth on the 21 of the final reading).",
        allowed=POSITIVE,
    )
    floor_min_plate_radius_leg: float = setting(
        0.3,
        "dl.floor: the near plate is read only when its circle's radius is at least this many leg lengths (as read): rendered 45 cm plates read 0.34-0.42, the small ones 0.19-0.20, whose circle did not follow the bar's height (docs/ACCURACY.md 'Bar not set down: read from the plate').",
    )
    floor_same_plate_share: float = setting(
        0.15,
        "dl.floor: a look's circle whose radius differs from the plate's (the median over the shot's pulls) by more than this share is another circle (an arm across the rim, the far plate) and is not read.",
        allowed=UNIT_INTERVAL,
    )


@dataclass(frozen=True)
class HingeRules:
    """What every hinge demands alike (:mod:`formcheck.exercises.hinge`): an RDL, a stiff-leg deadlift, a
    single-leg RDL and a conventional deadlift read these same limits, so a lift the detector cannot name is
    judged by them whichever it is."""

    hips_through_warn_deg: float = setting(
        168.0,
        "hinge.hips_through: the top's hip angle under this warns. COACHING.md §3 lockout (fault 165, fine 172; the same line as dl.lockout's) and 'Romanian deadlift' (each rep returns to standing).",
    )
    hips_through_fault_deg: float = setting(
        165.0,
        "hinge.hips_through: ...under this is a fault: the hips did not come through at the top. COACHING.md §3.",
    )
    hips_through_fine_deg: float = setting(
        172.0,
        "hinge.hips_through: COACHING.md §3's fine size for the lockout (172: 8 degrees of hip flexion left, as ht.lockout's fine size). The reading's bias at the top is about 0 (mean 0.0 over 27 side-view reps, docs/ACCURACY.md 'Hips through at the top'), so it is the fine size as read. With hips_through_fault_deg 7 degrees away, 3.4 SDs of hips_through_uncertainty_deg, a rep its lines flag is a fault past the cut between them and more than the uncertainty from this (COACHING.md §4; docs/ACCURACY.md 'The judging lines from the cut, rule by rule').",
        allowed=Range(0.0, 180.0),
    )
    hips_through_uncertainty_deg: float = setting(
        4.1,
        "hinge.hips_through: reading - truth of the top hip angle on rendered RDLs filmed from the side: 2 SD 4.1 about a mean of 0.0 over 27 reps (5 bodies at 15 fps, 2 SD 2.3 alone, and the two 30 fps sample clips, rdl_knees_bend reading 3.7-4.6 under its truth; docs/ACCURACY.md 'More bodies, and the camera on the lifter's back side'). It was 5, 'about 5' from the first 8 clips and the two samples.",
    )


@dataclass(frozen=True)
class TrustConfig:
    """When a landmark is evidence: COACHING.md §6 'Trust per joint' (formcheck.trust), and when a fault on marginal trust is a warning."""

    min_visibility: float = setting(
        0.5, "A landmark whose MediaPipe visibility is under this is a guess, not evidence. COACHING.md §6."
    )
    bone_tolerance: float = setting(
        0.2,
        "Pure side view only (detect.pure_side_min_yaw_deg): a bone (thigh, shin, upper arm, forearm, torso) whose screen length is more than this fraction off its length in the shot puts its landmark where the body cannot (COACHING.md §6: 15-20 %).",
    )
    bone_reference_visibility: float = setting(
        0.9,
        "...a bone's length is its median over the frames where both its ends have at least this visibility (ends the model guesses, e.g. behind the plates at a deadlift's floor, shorten it).",
    )
    head_axis_min_share: float = setting(
        0.5,
        "The head's axis on screen (the ears' mean to the nose) shorter than this share of its median over the clip: the model drew the nose onto the ear, and the nose and ears are not evidence there (the gaze and neck readings turn at random). Real hip-thrust and bridge reps the rules judged read at least 0.79 at the top and 0.55 at the bottom (a head tipped back shortens it a little: the rendered head-back sample 0.79); rendered thrusts 15 degrees off side with the head back, where the gaze turned 97 degrees between frames and the neck read 95 degrees past neutral, 0.06-0.3 (docs/ACCURACY.md 'The nose drawn onto the ear').",
        allowed=UNIT_INTERVAL,
    )
    jump_speed_leg_s: float = setting(
        4.0,
        "A landmark moving further than jump_slack_leg plus this many leg lengths per second between two measured frames jumped where no body moves (COACHING.md §6: 'a few leg lengths per second'; a fast pull moves the shoulders about 2).",
    )
    jump_slack_leg: float = setting(0.1, "...plus this many leg lengths (landmark scatter between frames).")
    jump_max_s: float = setting(
        1.0,
        "A stretch of up to this long entered and left by such jumps (not the longest of the shot) is the landmark somewhere else; longer stretches are kept. COACHING.md §6.",
    )
    swap_ratio: float = setting(
        0.5,
        "Left and right of a pair trade places in one frame when crossing them over moves them less than this fraction of keeping them (COACHING.md §6: 'a pair trades places in one frame')...",
        allowed=UNIT_INTERVAL,
    )
    swap_min_apart_leg: float = setting(
        0.1,
        "...and they were at least this many leg lengths apart (closer, a swap changes nothing measurable: such frames "
        "are never the mistake, and the pairing is decided anew after them).",
    )
    swap_leg_evidence_leg: float = setting(
        0.25,
        "Which pairing of a swapping hip, knee, ankle, heel or toe pair is the model's mistake, frame by frame: where the near side's leg labels (the side the model sees better over the clip, the one the rules read) sit on a whole leg (hip-knee plus knee-ankle at least 1 - bone_tolerance of the lifter's leg length on screen) that is longer on screen than the other label's by at least this many leg lengths, or is the only leg measured, the frame is no swap; where they sit on the leg shorter by as much while the other is whole, it is one. A leg the model guesses behind the near one is drawn folded (COACHING.md §6 'geometry is impossible'): on a rendered hip thrust 15 degrees off side the model labels the seen leg left at the bottoms and right at the tops, the other label folded to 0.1-0.5 of a leg (docs/ACCURACY.md 'The leg the model sees, whichever label it gives it'). Elsewhere, and for the other pairs, the pairing held in fewer frames of a run whose two labels lie apart is the mistake (trust.swaps).",
        allowed=Range(0.0, 2.0, lo_open=True),
    )
    knee_on_hands_leg: float = setting(
        0.06,
        "A knee landmark within this many leg lengths of a wrist sits on the hands: bar and hands cover the knee and the model puts it on them (COACHING.md §6 'bar and hands over knees').",
    )
    feet_apart_leg: float = setting(
        0.35,
        "Lifts that keep both feet on the floor (all but the single-leg ones), side and oblique shots: where the two ankles are drawn more than this many leg lengths further apart up the picture than usual in the shot (its median), a leg is off the body (on a plate, on someone behind the lifter) and the hips, knees and ankles are not evidence (COACHING.md §6 'geometry is impossible'). Planted feet keep one height difference through a fixed shot: real clean sets vary by at most 0.10 (95th percentile), rendered truth by under 0.08 in all.",
    )
    erratic_frames_max_off_side_deg: float = setting(
        30.0,
        "A hip thrust or bridge shot counted on the pelvis because its hip angle jumps (reps.bridge_max_driver_spike) "
        "has only its broken stretches marked 'erratic' (reps.bridge_broken_frame_deg, reps.bridge_broken_widen_s, and "
        "the frames whose torso or thigh is bone_tolerance off its length in the shot), not the whole shot, when it is "
        "filmed at most this many degrees off the side as measured and the plate search looked and found no plate that "
        "can hide a joint (plates.may_hide: none accepted or proposed of plates.bridge_min_hiding_radius_leg or more). "
        "Under a 45 cm plate the model guesses the hip and draws the near leg on the plate steadily, between the jumps "
        "too (rates grid at 0 degrees: shins read 8-11 degrees off there); and past this angle the search did not find "
        "the 45 cm disc it found nearer the side (accepted on every rep of the plated thrusts measured 30-36 degrees off "
        "side, on none measured 36-48), where judging between the jumps flagged clean reps on guessed hips "
        "(docs/ACCURACY.md 'The hip line judged between its jumps'). Farther off, with a plate, or with the search off, "
        "the whole shot stays untrusted.",
        allowed=Range(0.0, 90.0),
    )
    min_trusted_share: float = setting(
        0.6,
        "A rule whose joints are trusted in less than this share of its phase's frames is not checked, with the reason. COACHING.md §6.",
    )
    marginal_share: float = setting(
        0.85,
        "A fault whose joints are trusted in less than this share of its evidence frames (or not at its key frame) is at most a warning, with the reason. COACHING.md §6: 'marginal trust makes it a warning'.",
    )


@dataclass(frozen=True)
class PlateConfig:
    """Weight plates hide joints (formcheck.plates, COACHING.md §6 'equipment covers it'): the near plate's disc is
    found in the picture around the bar, and the joints inside it are not evidence (needs the video)."""

    check: bool = setting(
        True,
        "Look for the near plate around the bar in the video and mark the joints inside its disc as hidden behind the plate: MediaPipe reports knees and hips behind a 45 cm plate with 0.9 visibility (docs/ACCURACY.md 'What the grid says'; COACHING.md §6). On by default since the rules ask whether their joints were evidence at the frames they read (Rule.evidence: rdl.knees_frozen reads the knee at the start and the bottom), not over their whole phase: the plate passes in front of the knee mid-descent in every plated RDL, and over the whole descent that had the rendered sample RDL's knee 41-42 % hidden and its knee-bend fault not checked (docs/ACCURACY.md 'Plates hide joints'). Needs the video; off, no joint is marked.",
    )
    max_side_px: int = setting(
        480,
        "Frames are scaled so their longer side is at most this for the plate search (as bar.max_side_px: a 45 cm plate is then still 20-60 px across its radius).",
    )
    sample_every_s: float = setting(
        0.2,
        "Within each rep the picture is searched for the plate about this often (the plate moves with the bar between two looks; 5 looks per second keep the cost small).",
    )
    min_radius_leg: float = setting(
        0.15,
        "The plate's radius on screen is at least this many leg lengths: a 45 cm plate (radius 0.225 m) is about 0.25 leg lengths at the lifter's distance (COACHING.md 'Camera and trust'); smaller plates are nearly hidden by the lifter's own legs and hide less.",
    )
    max_radius_leg: float = setting(
        0.7,
        "...and at most this many: the near plate sits about 1 m closer to the camera than the lifter, so with the camera close it shows larger (clip_065, camera at floor level 2 m away: 0.54).",
    )
    max_centre_offset: float = setting(
        1.2,
        "The plate is on the bar: its centre lies within this many of its radii of the bar point. For a hip thrust or bridge the bar point is the mid-hip, where the bar crosses the hips. For a hinge it is the wrists, and a hand behind the near plate is guessed where the forearm vanishes, at the plate's rim: on a rendered side-view RDL with 45 cm plates MediaPipe put the wrists 0.6-1.0 radii from the plate's centre, on clip_042 (a real deadlift, camera above the bar) 0.9; 1.2 leaves room for a rim drawn a few pixels off, and the rep's consistency (radius_tolerance, min_found_share) rejects the circles this lets in.",
        allowed=Range(0.0, 3.0),
    )
    plate_from_midline_leg: float = setting(
        0.8,
        "Filmed off the side the near plate is not in front of the bar point but along the bar's axis, this many leg lengths from the lifter's midline, which turns sin(angle off side) of it onto the picture (formcheck.plates.plate_reach_leg; the search also stretches the picture across by 1/cos(angle) to make the plate's ellipse a circle). An Olympic bar's plates sit 0.68-0.72 m from its middle (inner collars 1.31 m apart), an adult's hip-to-ankle leg 0.8-0.95 m: 0.7-0.9 leg lengths. Measured on the rendered 45 cm plate thrusts 30 degrees off side (docs/ACCURACY.md 'The near plate filmed off the side'). COACHING.md §6 'equipment covers it'.",
        allowed=Range(0.0, 2.0),
    )
    min_rim_share: float = setting(
        0.55,
        "A circle is a plate only when the picture's edges run across at least this share of its rim inside the frame (formcheck.plates.rim_share): nothing stands in front of the near plate, so its rim shows all round, while the circles the finder fits to a busy gym or the body's curves follow edges in part. Measured on clip_065 (a green plate on a grey gym, 480 px): the plate's rim 0.57-0.63, the other circles near the bar mostly 0.26-0.52.",
    )
    min_rim_in_frame_share: float = setting(
        0.5,
        "...and at least this share of the rim lies inside the frame (a plate cut off by the frame's edge is not measured).",
    )
    radius_tolerance: float = setting(
        0.15,
        "A plate is rigid: the circles found in one rep belong to it when their radius is within this share of their median (the bar moves towards or away from the camera by a few centimetres at most).",
    )
    min_found_share: float = setting(
        0.5,
        "The plate is marked in a rep only when such consistent circles were found in at least this share of the frames looked at: a circle found now and then is the background or the body, and a detector that marks nothing is better than one that hides good joints.",
    )
    follow_bar_max_spread: float = setting(
        0.5,
        "Where no look placed an accepted plate (an arm across its rim, a busy background behind it), it follows the bar point at its median offset from it in the looks that found it (formcheck.plates.follow_bar: the plate is fixed on the bar), unless those offsets lie a median of more than this many radii from their median (the bar point slid while the plate did not). Measured (docs/ACCURACY.md 'A plate lost at the top follows the bar'): real side-view hinges with a plate 0.10-0.36 (22 reps), the rates grid's reps 0.15 median, 0.38 at the 90th percentile, at most 0.65 (hip thrusts, whose bar point, the mid-hip, drifts under 45 cm plates). COACHING.md §6 'equipment covers it'.",
        allowed=Range(0.0, 5.0),
    )
    inside_margin: float = setting(
        0.9,
        "A joint is hidden behind the plate when it lies closer to the plate's centre than this share of the radius: on the rim the joint may still show beside it.",
    )
    bridge_min_hiding_radius_leg: float = setting(
        0.2,
        "On a hip thrust or bridge a plate hides the hip only when its radius is at least this many leg lengths. A smaller disc covers the hip joint but not the torso and thigh around it, which show on every side and fix where they meet: on the rates grid's side-view thrusts with small plates (radius 0.17 leg lengths on screen) MediaPipe's hip inside the disc lies a median 0.011-0.058 leg lengths from the true joint (at most 0.070; at the top 0.012-0.031, at most 0.036), as outside it (0.038-0.042, at most 0.072), while under 45 cm plates (0.41-0.48 on screen) it lies a median 0.06-0.40 off. Measured with tools/plate_depth.py (docs/ACCURACY.md 'Unseen and warned at 0°, rule by rule (2026-12-03)'). A real 45 cm plate is about 0.25 leg lengths or more on screen (the near plate is nearer the camera than the lifter): it still hides the hip; sizes between 0.2 and 0.41 are not measured and stay hiding. Hinges are not let off: a small plate over an RDL's knee doubles its error (median 0.024-0.080 inside the disc against 0.022-0.033 outside).",
        allowed=Range(0.0, 1.0),
    )


@dataclass(frozen=True)
class LoopConfig:
    """Footage that loops (formcheck.loops): the same frames shown again are not new reps (issue 15)."""

    match_max_gl: float = setting(
        1.5,
        "Two frames are the same picture when no cell of their 8x8 grey signature (formcheck.loops.signature) differs by more than this many grey levels (0-255). What is left between two decodings of one frame is compression noise, spread thinly over the picture: 10 clips (4 rendered, 6 real) each encoded twice in a row with H.264 at CRF 23 and 28, matched at the exact lag, differ by a median 0.25, 99th percentile 0.75, at most 1.25 (8232 frames; python tools/loop_scan.py --noise, docs/ACCURACY.md 'Looped footage'). A real lifter repeating a rep moves some part of the body a few pixels, which puts a cell several grey levels off (the most regular real set, a studio bridge demo, comes no closer than 2.9 over any 2 s).",
        allowed=Range(0.0, 255.0),
    )
    lag_jitter_frames: int = setting(
        1,
        "A repeat may sit this many frames either side of the lag: an editor that re-times a looped segment to the clip's frame rate drops or doubles a frame here and there.",
        allowed=Range(0, 5),
    )
    match_window_s: float = setting(
        0.3,
        "A frame is in a repeat when the median match error over this window around it is a match: a single re-timed frame does not end a repeat.",
    )
    min_lag_s: float = setting(
        1.0,
        "Lags shorter than this are not looked at: a repeat must hold at least a rep's worth of frames (the fastest reps take about 1 s, COACHING.md tempo).",
    )
    min_run_s: float = setting(
        2.0,
        "A repeat lasts at least this long: shorter matches (a lifter passing the same position) are not a loop.",
    )
    moving_min_gl: float = setting(
        2.0,
        "A frame moves when its signature changed from the frame before by at least this (largest cell, grey levels): above the most that compression noise changes one picture (1.25, see match_max_gl), so no noise reads as motion. At 2.0, 90 of 95 clips (91 real, 4 rendered) hold at least min_moving_s of moving frames in their busiest 10 s: a loop of them can be told from a still scene.",
        allowed=Range(0.0, 255.0),
    )
    min_moving_s: float = setting(
        1.0,
        "A repeat must replay at least this much motion: its moving frames that match the frames one lag earlier add up to this many seconds (a rep's worth: the fastest reps take about 1 s up and down, COACHING.md tempo). Still frames are no evidence: a static camera on a lifter holding still matches itself at every lag.",
    )
    same_rep_s: float = setting(
        0.5,
        "A rep inside a repeat repeats the earlier rep whose lockout is within this of its own lockout minus the lag (the same frames give the same landmarks; the pose filter settling after the seam can move a rep's edges a few frames).",
    )


@dataclass(frozen=True)
class Config:
    profile: str = setting("default", "Name of the profile these values came from.")
    pose: PoseConfig = field(default_factory=PoseConfig)
    cleaning: CleaningConfig = field(default_factory=CleaningConfig)
    reps: RepConfig = field(default_factory=RepConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    bar: BarConfig = field(default_factory=BarConfig)
    hip_thrust: HipThrustRules = field(default_factory=HipThrustRules)
    rdl: RdlRules = field(default_factory=RdlRules)
    deadlift: DeadliftRules = field(default_factory=DeadliftRules)
    hinge: HingeRules = field(default_factory=HingeRules)
    trust: TrustConfig = field(default_factory=TrustConfig)
    plates: PlateConfig = field(default_factory=PlateConfig)
    loops: LoopConfig = field(default_factory=LoopConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def profiles() -> list[str]:
    """Names of the built-in profiles."""
    folder = resources.files("formcheck") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


#: A config section: ``Config`` or one of its nested dataclasses.
_Section = TypeVar("_Section", bound="DataclassInstance")


def _apply(obj: _Section, data: dict[str, Any], where: str) -> _Section:
    if not isinstance(data, dict):
        raise ConfigError(
            f"{where or 'config'} must be a table, not {type(data).__name__}",
            f"Put its settings under a [{where}] header" if where else "Put settings under a [section] header",
        )
    hints = get_type_hints(type(obj))
    fields = {f.name: f for f in dataclasses.fields(obj)}
    known = set(fields)
    changes: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{where}.{key}" if where else key
        if key not in known:
            raise ConfigError(f"unknown config key '{path}'", f"Known keys here: {', '.join(sorted(known))}")
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current) and not isinstance(current, type):
            changes[key] = _apply(current, value, path)
            continue
        want = hints[key]
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:
                raise ConfigError(
                    f"config key '{path}' = {value} is out of range", f"Allowed: {allowed_range(fields[key])}"
                ) from None
        if not isinstance(value, want) or (want is not bool and isinstance(value, bool)):
            raise ConfigError(
                f"config key '{path}' must be {_KIND_WORDS.get(want, want.__name__)}, got {value!r}",
                f"Write it like the default: {path.rsplit('.', 1)[-1]} = {_toml(current)}",
            )
        if path in CHOICES and value not in CHOICES[path]:
            raise ConfigError(
                f"config key '{path}' = {value!r} is not known", f"Use one of: {', '.join(CHOICES[path])}"
            )
        allowed = allowed_range(fields[key])
        if allowed is not None and value not in allowed:
            raise ConfigError(f"config key '{path}' = {value!r} is out of range", f"Allowed: {allowed}")
        changes[key] = value
    return dataclasses.replace(obj, **changes)


#: How a config error names a value's type for people.
_KIND_WORDS = {float: "a number", int: "a whole number", bool: "true or false", str: "text in quotes"}
#: Text settings and the values they take (``pose.model``: the model files in ``models/``, formcheck.pose).
CHOICES = {"pose.model": ("lite", "full", "heavy")}


def _toml(value: Any) -> str:
    """``value`` as written in a TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else repr(value)


def allowed_range(f: dataclasses.Field[Any]) -> Range | None:
    """The values the numeric setting ``f`` accepts: its own range, else the one its name gives
    (:data:`DEFAULT_RANGES`; integers are counts), else any finite number. ``None`` for text and switches."""
    kind = f.type if isinstance(f.type, type) else {"int": int, "float": float}.get(str(f.type))
    if kind not in (int, float):
        return None
    return f.metadata.get("range") or _range_by_name(f.name, kind) or Range()


def _range_by_name(name: str, kind: type) -> Range | None:
    for suffixes, allowed in DEFAULT_RANGES:
        if name.endswith(suffixes):
            return allowed
    return COUNT if kind is int else None


def _read_toml(path: Path) -> dict[str, Any]:
    """The tables of the TOML file at ``path``; anything that keeps it from being read is a ConfigError."""
    if path.is_dir():
        raise ConfigError(f"config file {path} is a folder", "Give the path of a TOML file")
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found", "Check the --config path") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not a text file (not UTF-8)", "Give a TOML file") from None
    except OSError as exc:
        raise ConfigError(
            f"config file {path} cannot be read ({exc.strerror or exc})", "Check the path and its permissions"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML ({exc})", "Fix the syntax") from None


def load_config(
    path: str | Path | None = None, profile: str | None = None, overrides: dict[str, Any] | None = None
) -> Config:
    """Build the effective config: defaults, then a profile, a TOML file, overrides.

    ``overrides`` uses dotted keys (``{"pose.model": "heavy"}``).
    """
    config = Config()
    name = profile or "default"
    if name not in profiles():
        raise ConfigError(f"unknown profile '{name}'", f"Built-in profiles: {', '.join(profiles())}")
    text = (resources.files("formcheck") / "profiles" / f"{name}.toml").read_text()
    config = _apply(config, tomllib.loads(text), "")
    config = dataclasses.replace(config, profile=name)
    if path is not None:
        data = _read_toml(Path(path))
        config = _apply(config, data, "")
        if "profile" not in data:
            config = dataclasses.replace(config, profile=f"{name}+{Path(path).name}")
    for dotted, value in (overrides or {}).items():
        nested: dict[str, Any] = {}
        cursor = nested
        parts = dotted.split(".")
        for part in parts[:-1]:
            cursor = cursor.setdefault(part, {})
        cursor[parts[-1]] = value
        config = _apply(config, nested, "")
    return config


def describe(config: Any = None, prefix: str = "") -> list[tuple[str, Any, str]]:
    """(dotted key, value, doc) for every setting, for docs and ``formcheck config``."""
    config = config or Config()
    rows: list[tuple[str, Any, str]] = []
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            rows.extend(describe(value, key + "."))
        else:
            rows.append((key, value, f.metadata.get("doc", "")))
    return rows


def allowed_ranges(config: Any = None, prefix: str = "") -> dict[str, Range]:
    """Dotted key -> the values it accepts, for every numeric setting (``formcheck config`` shows them)."""
    config = config or Config()
    out: dict[str, Range] = {}
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value):
            out.update(allowed_ranges(value, f"{prefix}{f.name}."))
        elif (allowed := allowed_range(f)) is not None:
            out[f"{prefix}{f.name}"] = allowed
    return out
