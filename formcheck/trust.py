"""Trust per joint, per frame (COACHING.md §6): is a landmark evidence, or a guess?

A landmark is trusted only when the model is confident and it is consistent with the body. From the
trusted raw landmarks (:class:`formcheck.cleaning.Trusted`) and their cleaned version, :func:`assess`
flags every frame of every body point the metrics read (the joints of :func:`formcheck.kinematics.merged_points`)
with the reasons it is not evidence:

- ``LOW_VISIBILITY``: the model's visibility is under ``min_visibility``;
- ``NOT_MEASURED``: the point was not seen and its cleaned position is filled in between frames;
- ``BONE_LENGTH``: in a side view, a bone's screen length (thigh, shin, upper arm, forearm, torso) is
  ``bone_tolerance`` off its median in the shot: the landmark sits where the body cannot put it;
- ``JUMP``: the landmark jumped further than a body moves and came back (a stretch shorter than
  ``jump_max_s`` entered by such a jump);
- ``SWAP``: the left and right landmarks of a pair traded places (the frames in the minority pairing);
- ``ON_HANDS``: the knee sits on a wrist: bar and hands cover it and the model puts it on them;
- ``BEHIND_PLATE``: the point lies inside the near plate's disc found in the picture (:mod:`formcheck.plates`,
  added by :func:`behind_plate` once the reps are known; needs the video).

Each side's landmark is checked on its own; a merged (visibility-weighted, as in ``merged_points``) point is
untrusted when its untrusted sides carry at least half its weight. Pure numpy.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntFlag

import numpy as np
import numpy.typing as npt

from .cleaning import runs
from .config import TrustConfig
from .feet import standing_window
from .kinematics import dominant_side
from .landmarks import PAIRS, Landmark, ankle_rise_leg, leg_length_px
from .types import AnyFloatArray, BoolArray, FloatArray, IntArray, PoseSequence, Rep

#: The body points the metrics read (keys of :func:`formcheck.kinematics.merged_points`).
JOINTS: tuple[str, ...] = ("shoulder", "hip", "knee", "ankle", "wrist", "ear", "nose", "heel", "toe")

#: Weighting exponent on visibility when merging left and right (as :data:`formcheck.kinematics.SIDE_WEIGHT_POWER`).
SIDE_WEIGHT_POWER = 4.0

#: The trust table's bits: one per :class:`Reason`.
FLAG_DTYPE = np.uint16
FlagArray = npt.NDArray[np.uint16]


class Reason(IntFlag):
    """Why a landmark is not evidence in a frame (bits of :attr:`TrustTable.flags`)."""

    LOW_VISIBILITY = 1
    NOT_MEASURED = 2
    BONE_LENGTH = 4
    JUMP = 8
    SWAP = 16
    ON_HANDS = 32
    BEHIND_PLATE = 64
    ERRATIC = 128
    FEET_APART = 256
    HEAD_AXIS = 512


#: The reasons from the most specific to the least, for naming one.
SPECIFIC_FIRST: tuple[Reason, ...] = (
    Reason.BEHIND_PLATE,
    Reason.ON_HANDS,
    Reason.HEAD_AXIS,
    Reason.SWAP,
    Reason.FEET_APART,
    Reason.ERRATIC,
    Reason.JUMP,
    Reason.BONE_LENGTH,
    Reason.NOT_MEASURED,
    Reason.LOW_VISIBILITY,
)

#: Machine-readable codes of the reasons (JSON report).
REASON_CODES: dict[Reason, str] = {
    Reason.LOW_VISIBILITY: "low_visibility",
    Reason.NOT_MEASURED: "not_measured",
    Reason.BONE_LENGTH: "bone_length",
    Reason.JUMP: "jump",
    Reason.SWAP: "swap",
    Reason.ON_HANDS: "on_hands",
    Reason.BEHIND_PLATE: "behind_plate",
    Reason.ERRATIC: "erratic",
    Reason.FEET_APART: "feet_apart",
    Reason.HEAD_AXIS: "head_axis",
}

#: The reasons in words; ``{joint}`` is the body point ("the knee").
REASON_WORDS: dict[Reason, str] = {
    Reason.LOW_VISIBILITY: "the {joint} is barely visible (the model guesses it)",
    Reason.NOT_MEASURED: "the {joint} was not seen (its position is filled in between frames)",
    Reason.BONE_LENGTH: "the {joint} landmark sits where the body cannot put it (a bone changes length on screen)",
    Reason.JUMP: "the {joint} landmark jumps further than a body moves",
    Reason.SWAP: "the model swaps the left and right {joint}",
    Reason.ON_HANDS: "the {joint} is hidden behind the hands",
    Reason.BEHIND_PLATE: "the {joint} is hidden behind the plate",
    Reason.ERRATIC: (
        "the {joint} landmark is a guess: the shoulder-hip-knee angle breaks in this shot (it jumps from frame to "
        "frame, or dips and comes back faster than a body moves: a plate hides a joint or the near knee is drawn on "
        "it; the reps were counted on the pelvis)"
    ),
    Reason.FEET_APART: (
        "the {joint} is a guess: the model drew one foot far above the other (a leg put on a plate or on someone "
        "behind the lifter, or a foot off the floor)"
    ),
    Reason.HEAD_AXIS: (
        "the {joint} is a guess: the model drew the nose onto the ear (the head's line from ear to nose is too short "
        "on screen to give its direction)"
    ),
}

#: Bones whose screen length is checked in side views, as (name, joint, joint); elbows only serve these.
BONES: tuple[tuple[str, str, str], ...] = (
    ("thigh", "hip", "knee"),
    ("shin", "knee", "ankle"),
    ("upper arm", "shoulder", "elbow"),
    ("forearm", "elbow", "wrist"),
    ("torso", "shoulder", "hip"),
)

#: Bone ends a bone's length does not place, as {bone name: joint}. The shoulder landmark rides the shoulder girdle,
#: which slides over the ribs as the arms hang from a hinged trunk: on 42 real side-view deadlift reps the
#: shoulder-to-elbow length at the floor is a median 1.11 times its length at lockout, past 1.2 on 11 (up to 1.4),
#: with the shoulder on the shoulder in the frames (clip_006, 024, 040, 064). On rendered RDLs from the side a near
#: shoulder whose upper arm alone is off lies 0.043 leg lengths from the true one (median), as one with no bone off
#: (0.041), while the elbow lies 0.167 away (docs/ACCURACY.md "The upper arm's length blames the elbow"). The shoulder
#: is still placed by the torso, its jumps and its swaps; an upper arm off together with the torso still blames it.
UNPLACED_ENDS: dict[str, str] = {"upper arm": "shoulder"}

#: Single landmarks that are body points of their own.
_SINGLE: dict[str, Landmark] = {"nose": Landmark.NOSE}


def _sides(joint: str) -> tuple[Landmark, ...]:
    return (_SINGLE[joint],) if joint in _SINGLE else PAIRS[joint]


@dataclass(frozen=True)
class TrustTable:
    """Per frame, per body point: 0 when the point is evidence, else the :class:`Reason` bits why not."""

    joints: tuple[str, ...]
    #: (T, J) bits of :class:`Reason`.
    flags: FlagArray

    def __post_init__(self) -> None:
        if self.flags.dtype != FLAG_DTYPE:  # a table made with narrower bits holds every reason from here on
            object.__setattr__(self, "flags", self.flags.astype(FLAG_DTYPE))

    def untrusted(self, joints: Iterable[str]) -> BoolArray:
        """(T,) True where any of ``joints`` is not evidence (joints this table does not hold are ignored)."""
        cols = [self.joints.index(j) for j in joints if j in self.joints]
        if not cols:
            return np.zeros(self.flags.shape[0], dtype=bool)
        out: BoolArray = np.any(self.flags[:, cols] != 0, axis=1)
        return out

    def tolerating(self, allowed: Iterable[tuple[str, Reason]]) -> TrustTable:
        """This table with the given reasons cleared for the given joints: a rule that reads a joint only for a
        quantity a guess of it barely moves (:attr:`formcheck.exercises.base.Rule.tolerates`) takes the model's
        guess of it behind an occluder as evidence, but never a joint drawn where the body cannot put it."""
        flags = self.flags.copy()
        for joint, reasons in allowed:
            if joint in self.joints:
                flags[:, self.joints.index(joint)] &= FLAG_DTYPE(~int(reasons) & int(np.iinfo(FLAG_DTYPE).max))
        return TrustTable(self.joints, flags)

    def trusted_share(self, joints: Iterable[str], a: int, b: int) -> float:
        """Share of the frames ``[a, b)`` where every one of ``joints`` is evidence (1.0 for an empty window)."""
        return self.trusted_share_at(joints, span_frames(a, b))

    def trusted_share_at(self, joints: Iterable[str], frames: IntArray) -> float:
        """Share of ``frames`` (indices; those outside the table are ignored) where every one of ``joints`` is
        evidence (1.0 when none is left)."""
        bad = self.untrusted(joints)[self._inside(frames)]
        return 1.0 if bad.size == 0 else float(1.0 - bad.mean())

    def worst(self, joints: Iterable[str], a: int, b: int) -> tuple[str, Reason] | None:
        """The joint untrusted in the most frames of ``[a, b)`` and why (:meth:`worst_at`)."""
        return self.worst_at(joints, span_frames(a, b))

    def worst_at(self, joints: Iterable[str], frames: IntArray) -> tuple[str, Reason] | None:
        """The joint untrusted in the most of ``frames`` and why, or None when all are trusted.

        The reason is the most specific (:data:`SPECIFIC_FIRST`) that covers at least half of that joint's
        untrusted frames: a knee on the hands also stretches the thigh, and "hidden behind the hands" says more.
        """
        rows = self._inside(frames)
        best: tuple[int, str] | None = None
        for joint in joints:
            if joint not in self.joints:
                continue
            n = int(np.count_nonzero(self.flags[rows, self.joints.index(joint)]))
            if n and (best is None or n > best[0]):
                best = (n, joint)
        if best is None:
            return None
        n, joint = best
        col = self.flags[rows, self.joints.index(joint)]
        for reason in SPECIFIC_FIRST:
            if 2 * np.count_nonzero(col & int(reason)) >= n:
                return joint, reason
        return joint, max(SPECIFIC_FIRST, key=lambda r: int(np.count_nonzero(col & int(r))))

    def least_seen_at(self, joints: Iterable[str], frames: IntArray) -> str | None:
        """Of ``joints``, the one not measured (``NOT_MEASURED``) in the most of ``frames``, or None when every one
        was measured in all of them: where a signal has no value, the point it lacks."""
        rows = self._inside(frames)
        counts = [
            (int(np.count_nonzero(self.flags[rows, self.joints.index(j)] & int(Reason.NOT_MEASURED))), j)
            for j in joints
            if j in self.joints
        ]
        n, joint = max(counts, default=(0, ""), key=lambda c: c[0])
        return joint if n else None

    def _inside(self, frames: IntArray) -> IntArray:
        """``frames`` that index this table, each once, in order."""
        f = np.unique(np.asarray(frames, dtype=np.int64))
        out: IntArray = f[(f >= 0) & (f < self.flags.shape[0])]
        return out

    def summary(self) -> dict[str, dict[str, float]]:
        """Per body point: the share of frames untrusted, in all and per reason code (the JSON report)."""
        out: dict[str, dict[str, float]] = {}
        n = max(self.flags.shape[0], 1)
        for k, joint in enumerate(self.joints):
            col = self.flags[:, k]
            row = {"untrusted": round(float(np.count_nonzero(col)) / n, 4)}
            for reason, code in REASON_CODES.items():
                share = float(np.count_nonzero(col & int(reason))) / n
                if share:
                    row[code] = round(share, 4)
            out[joint] = row
        return out


def span_frames(a: int, b: int) -> IntArray:
    """The frame indices of ``[a, b)`` (none when ``b <= a``)."""
    return np.arange(max(a, 0), max(b, a, 0), dtype=np.int64)


def describe(joint: str, reason: Reason) -> str:
    """A reason in words: ``describe("knee", Reason.ON_HANDS)`` -> "the knee is hidden behind the hands"."""
    return REASON_WORDS[reason].format(joint=joint)


# -- the checks, per landmark (T, 33) ------------------------------------------------------------


def _spans(n: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """``[0, n)`` split at the picture cuts."""
    edges = [0, *sorted(c for c in set(cuts) if 0 < c < n), n]
    return [(a, b) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def possible_moves(
    p: FloatArray, t: FloatArray, i: IntArray, j: IntArray, leg: float, config: TrustConfig
) -> BoolArray:
    """Per pair of frames ``(i[k], j[k])``: can a body point move from ``p[i]`` to ``p[j]`` (T, 2) in the time
    between? It can when the distance, in leg lengths, is at most ``jump_slack_leg + jump_speed_leg_s x
    (t[j] - t[i])`` (:func:`jumps`). One array operation for every step of a track: a Python call per step
    was 16-19 ms of CPU on a 400-frame clip, this is under 1 ms (docs/PERFORMANCE.md)."""
    step = p[j] - p[i]
    dist = np.hypot(step[:, 0], step[:, 1]) / leg
    ok: BoolArray = dist <= config.jump_slack_leg + config.jump_speed_leg_s * (t[j] - t[i])
    return ok


def jumps(p: FloatArray, t: FloatArray, leg: float, spans: Sequence[tuple[int, int]], config: TrustConfig) -> BoolArray:
    """(T,) True on stretches of one landmark's track ``p`` (T, 2) entered by a jump no body makes.

    Within each span, the measured frames are split where the point moves further than
    ``jump_slack_leg + jump_speed_leg_s x time``. A piece shorter than ``jump_max_s`` is the landmark
    somewhere else when the pieces either side of it agree with each other (or, at the span's edge, when
    its one neighbour is longer); the longest piece is always the body.
    """
    out = np.zeros(len(t), dtype=bool)
    for a, b in spans:
        idx = a + np.flatnonzero(np.isfinite(p[a:b, 0]))
        if idx.size < 3:
            continue

        def possible(i: int, j: int) -> bool:
            return bool(possible_moves(p, t, np.array([i]), np.array([j]), leg, config)[0])

        breaks = np.flatnonzero(~possible_moves(p, t, idx[:-1], idx[1:], leg, config)) + 1
        if not breaks.size:
            continue
        pieces = [idx[piece] for piece in np.split(np.arange(idx.size), breaks)]
        longest = max(range(len(pieces)), key=lambda k: len(pieces[k]))
        for k, frames in enumerate(pieces):
            if k == longest or t[frames[-1]] - t[frames[0]] >= config.jump_max_s:
                continue
            if 0 < k < len(pieces) - 1:
                away = possible(int(pieces[k - 1][-1]), int(pieces[k + 1][0]))
            else:
                away = len(pieces[k + 1 if k == 0 else k - 1]) > len(frames)
            if away:
                out[frames[0] : frames[-1] + 1] = True
    return out


#: Points of the legs, whose swaps the legs' lengths on screen can settle (:func:`near_leg_labels`).
SWAP_SETTLED_JOINTS = ("hip", "knee", "ankle", "heel", "toe")
#: A leg's chain of joints, whose bones' lengths on screen make the leg whole or folded.
LEG_CHAIN = ("hip", "knee", "ankle")


@dataclass(frozen=True)
class NearLeg:
    """Per frame, where the near side's leg labels are, told by the legs' lengths on screen (:func:`near_leg_labels`).

    ``seen``: on a whole leg (hip-knee plus knee-ankle at least 1 - ``bone_tolerance`` of the lifter's leg length) that is
    the longer of the two by ``swap_leg_evidence_leg`` leg lengths, or the only leg measured; ``guessed``: on the
    folded one of the two, while the other label's leg is whole.
    """

    seen: BoolArray
    guessed: BoolArray


def near_leg_labels(xy_measured: FloatArray, near_side: int, leg: float, config: TrustConfig) -> NearLeg:
    """Where the near side's leg labels (``near_side``: 0 left, 1 right; the leg the model sees better over the clip,
    :func:`formcheck.kinematics.dominant_side` of :data:`LEG_CHAIN`) sit on the leg the model sees and where on its
    guess at the other. A leg the model guesses behind the near one is drawn folded (COACHING.md §6 'geometry is
    impossible'); the model may give the leg it sees either label, and change it between the bottoms and the tops.
    """
    lengths = []
    for side in (near_side, 1 - near_side):
        hip, knee, ankle = (xy_measured[:, PAIRS[j][side]] for j in LEG_CHAIN)
        lengths.append(np.linalg.norm(hip - knee, axis=-1) + np.linalg.norm(knee - ankle, axis=-1))
    near, other = lengths[0] / leg, lengths[1] / leg
    whole = 1.0 - config.bone_tolerance
    margin = config.swap_leg_evidence_leg
    with np.errstate(invalid="ignore"):
        seen = (near >= whole) & (np.isnan(other) | (near - other >= margin))
        guessed = (other >= whole) & (other - near >= margin)
    return NearLeg(seen, guessed)


def swaps(
    left: FloatArray,
    right: FloatArray,
    leg: float,
    spans: Sequence[tuple[int, int]],
    config: TrustConfig,
    near_leg: NearLeg | None = None,
) -> BoolArray:
    """(T,) True on the frames where a pair's left and right are in the mistaken pairing of their span.

    A swap is a frame where crossing the pair over (left to the last right, right to the last left) moves
    them less than ``swap_ratio`` of keeping them, while they were ``swap_min_apart_leg`` apart. Each
    swap flips the pairing; the pairing held in fewer frames of the run is the mistake. A run is a stretch of frames
    whose two labels lie at least ``swap_min_apart_leg`` apart: where they come closer (a side view's far ankle
    behind the near one) either label gives the same point, no frame is a mistake, and a crossing there cannot be
    seen, so the pairing is decided anew after it rather than carried over from before. For a leg's joints,
    ``near_leg`` (:func:`near_leg_labels`) overrules that where the legs' lengths tell which label is on the leg the
    model sees: not a mistake where the near side's label is (``seen``), a mistake where it is on the guess.
    """
    out = np.zeros(left.shape[0], dtype=bool)
    for a, b in spans:
        idx = a + np.flatnonzero(np.isfinite(left[a:b, 0]) & np.isfinite(right[a:b, 0]))
        if idx.size < 2:
            continue
        apart = np.linalg.norm(left[idx] - right[idx], axis=-1) / leg >= config.swap_min_apart_leg
        for start, stop in runs(apart):  # the pairing is decided within each run of frames held apart
            out |= _minority_pairing(left, right, idx[start:stop], config)
        if near_leg is not None:  # a leg's frames where its lengths say which label is on the leg seen
            out[a:b][near_leg.seen[a:b]] = False
            out[a:b][near_leg.guessed[a:b]] = True
    return out


def _minority_pairing(left: FloatArray, right: FloatArray, idx: IntArray, config: TrustConfig) -> BoolArray:
    """(T,) True on the frames of ``idx`` (measured, held apart, in order) in the pairing of a pair's labels held
    in fewer of them, once a crossing (:func:`swaps`) flipped it; frames between two of them belong to it too."""
    out = np.zeros(left.shape[0], dtype=bool)
    if idx.size < 2:
        return out
    lp, rp = left[idx], right[idx]
    keep = np.linalg.norm(lp[1:] - lp[:-1], axis=-1) + np.linalg.norm(rp[1:] - rp[:-1], axis=-1)
    cross = np.linalg.norm(lp[1:] - rp[:-1], axis=-1) + np.linalg.norm(rp[1:] - lp[:-1], axis=-1)
    flip = cross < config.swap_ratio * keep
    if not flip.any():
        return out
    parity = np.concatenate([[0], np.cumsum(flip) % 2])
    minority = 1 if np.count_nonzero(parity) <= parity.size / 2 else 0
    for start, stop in runs(parity == minority):
        out[idx[start] : idx[stop - 1] + 1] = True
    return out


def bone_errors(
    xy: FloatArray, visibility: AnyFloatArray, side_spans: Sequence[tuple[int, int]], config: TrustConfig
) -> dict[Landmark, BoolArray]:
    """Per landmark, (T,) True where a bone it ends is ``bone_tolerance`` off its length in a side-view span.

    The length is the bone's median over the span's frames where both ends have visibility of at least
    ``bone_reference_visibility`` (all measured frames when there are too few); each frame's lengths are
    first divided by the body's size on screen in that frame (the median over all bones), so a zoom or a
    step towards the camera is not an error.

    A joint ending two bones is blamed when both are off (the knee on the hands stretches the thigh and
    shortens the shin); a bone off alone blames the end whose other bone is also off, else both ends, except an
    end that bone's length does not place (:data:`UNPLACED_ENDS`).
    """
    n = xy.shape[0]
    ratios: dict[tuple[Landmark, Landmark], FloatArray] = {}
    unplaced: set[tuple[tuple[Landmark, Landmark], Landmark]] = set()
    for name, j1, j2 in BONES:
        for side in (0, 1):
            a_lm, b_lm = PAIRS[j1][side], PAIRS[j2][side]
            if name in UNPLACED_ENDS:
                unplaced.add(((a_lm, b_lm), PAIRS[UNPLACED_ENDS[name]][side]))
            length = np.linalg.norm(xy[:, a_lm] - xy[:, b_lm], axis=-1)
            sure = (visibility[:, a_lm] >= config.bone_reference_visibility) & (
                visibility[:, b_lm] >= config.bone_reference_visibility
            )
            ratio = np.full(n, np.nan)
            for a, b in side_spans:
                seg = length[a:b]
                if np.count_nonzero(np.isfinite(seg)) < 3:
                    continue
                # the bone's length: its median where the model is sure of both ends (guessed ends shorten it)
                ref = seg[sure[a:b] & np.isfinite(seg)]
                median = float(np.median(ref)) if ref.size >= 3 else float(np.nanmedian(seg))
                if median > 0:
                    ratio[a:b] = seg / median
            ratios[(a_lm, b_lm)] = ratio
    # the whole body's size on screen in each frame (the camera zooms, the lifter steps closer): the median
    # ratio of all bones; one misplaced landmark moves one or two of ten
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        scale = np.nanmedian(np.stack(list(ratios.values())), axis=0)
    off: dict[tuple[Landmark, Landmark], BoolArray] = {}
    for bone, ratio in ratios.items():
        with np.errstate(invalid="ignore"):
            off[bone] = np.abs(ratio / scale - 1.0) > config.bone_tolerance
    bones_of: dict[Landmark, list[tuple[Landmark, Landmark]]] = {}
    for bone in off:
        for lm in bone:
            bones_of.setdefault(lm, []).append(bone)

    def other_off(lm: Landmark, bone: tuple[Landmark, Landmark]) -> BoolArray:
        others = [off[o] for o in bones_of[lm] if o != bone]
        return np.any(others, axis=0) if others else np.zeros(n, dtype=bool)

    blamed: dict[Landmark, BoolArray] = {lm: np.zeros(n, dtype=bool) for lm in bones_of}
    for bone, bad in off.items():
        a_lm, b_lm = bone
        a_other, b_other = other_off(a_lm, bone), other_off(b_lm, bone)
        if (bone, a_lm) not in unplaced:
            blamed[a_lm] |= bad & ~(b_other & ~a_other)
        if (bone, b_lm) not in unplaced:
            blamed[b_lm] |= bad & ~(a_other & ~b_other)
    return blamed


def legs_vouch(
    xy_measured: FloatArray, side: int, side_spans: Sequence[tuple[int, int]], bone_blamed: BoolArray | None
) -> BoolArray:
    """(T,) True where one side's knee is placed by its own leg however near the hands it is: in a pure side-view
    span, with the hip, knee and ankle of that side measured and the knee not blamed for a bone off its length
    (``bone_blamed``, :func:`bone_errors`: the thigh and the shin keep their lengths, or a bone that does not is put
    down to its other end).

    COACHING.md §6 distrusts a knee that the bar and hands cover because the model then puts it on them; that
    bends the leg's bones on screen, which a side view measures. On rendered RDLs from the side (0-7.5 degrees off,
    six bodies, the bottoms' frames) a knee within ``knee_on_hands_leg`` of a wrist whose bones hold lies 0.022 leg
    lengths from the true knee (median; 90th percentile 0.056), as close as a knee nothing covers (0.029, 0.061);
    with a bone off, 0.058 (0.102) (docs/ACCURACY.md "The knee near the hands, vouched for by the leg's bones").
    Off the side the bones are not checked and a knee on the hands stays a guess.
    """
    n = xy_measured.shape[0]
    inside = np.zeros(n, dtype=bool)
    for a, b in side_spans:
        inside[a:b] = True
    hip, knee, ankle = (PAIRS[j][side] for j in ("hip", "knee", "ankle"))
    seen = np.all(np.isfinite(xy_measured[:, [hip, knee, ankle], 0]), axis=1)
    held = ~bone_blamed if bone_blamed is not None else np.zeros(n, dtype=bool)
    out: BoolArray = inside & seen & held
    return out


def assess(
    raw: PoseSequence,
    smooth: PoseSequence,
    config: TrustConfig,
    side_spans: Sequence[tuple[int, int]] = (),
    cuts: Sequence[int] = (),
) -> TrustTable:
    """The trust table of a clip's body points.

    ``raw``: the trusted raw landmarks (``Cleaned.raw``); ``smooth``: their cleaned version (``Cleaned.smooth``,
    what the metrics read); ``side_spans``: ``[start, stop)`` frames of pure side-view shots (bone lengths are
    checked there only: off the side, bones that turn shorten on screen by up to 1 - cos of the angle); ``cuts``: picture cuts (jumps and swaps are not followed across them).
    """
    n = len(raw)
    vis = np.nan_to_num(raw.visibility, nan=0.0)
    seen = np.isfinite(raw.xy[..., 0])
    measured = seen & (vis >= config.min_visibility)
    filled = np.isfinite(smooth.xy[..., 0])
    flags = np.zeros((n, raw.xy.shape[1]), dtype=FLAG_DTYPE)
    flags[seen & ~measured] |= FLAG_DTYPE(Reason.LOW_VISIBILITY)
    flags[~measured & filled] |= FLAG_DTYPE(Reason.NOT_MEASURED)

    xy_measured = np.where(measured[..., None], raw.xy, np.nan)
    leg = leg_length_px(xy_measured)
    if np.isfinite(leg) and leg > 0:
        spans = _spans(n, cuts)
        landmarks = {lm for joint in (*JOINTS, "elbow") for lm in _sides(joint)}
        for lm in landmarks:
            flags[jumps(xy_measured[:, lm], raw.t, leg, spans, config), lm] |= FLAG_DTYPE(Reason.JUMP)
        # the leg the model sees better (a guessed leg can keep the body's other joints seen)
        seen_side = dominant_side(raw.replace(visibility=vis), LEG_CHAIN)
        near_leg = near_leg_labels(xy_measured, 0 if seen_side == "left" else 1, leg, config)
        for joint in JOINTS:
            if joint in _SINGLE:
                continue
            left, right = PAIRS[joint]
            evidence = near_leg if joint in SWAP_SETTLED_JOINTS else None
            swapped = swaps(xy_measured[:, left], xy_measured[:, right], leg, spans, config, evidence)
            flags[swapped, left] |= FLAG_DTYPE(Reason.SWAP)
            flags[swapped, right] |= FLAG_DTYPE(Reason.SWAP)
        blamed = bone_errors(xy_measured, vis, side_spans, config) if side_spans else {}
        for lm, bad in blamed.items():
            flags[bad, lm] |= FLAG_DTYPE(Reason.BONE_LENGTH)
        # the knee on the hands: where the knee (as measured, else as cleaned) sits on a wrist, unless the leg's
        # own bones vouch for it (:func:`legs_vouch`)
        sxy = np.where(np.isfinite(xy_measured), xy_measured, smooth.xy)
        for side, knee in enumerate(PAIRS["knee"]):
            near = np.zeros(n, dtype=bool)
            for wrist in PAIRS["wrist"]:
                d = np.linalg.norm(sxy[:, knee] - sxy[:, wrist], axis=-1) / leg
                with np.errstate(invalid="ignore"):
                    near |= d < config.knee_on_hands_leg
            near &= ~legs_vouch(xy_measured, side, side_spans, blamed.get(knee))
            flags[near, knee] |= FLAG_DTYPE(Reason.ON_HANDS)
        collapsed = head_axis_collapsed(xy_measured, config)
        for lm in (Landmark.NOSE, *PAIRS["ear"]):
            flags[collapsed, lm] |= FLAG_DTYPE(Reason.HEAD_AXIS)
    return TrustTable(JOINTS, _merge(flags, smooth, raw.visibility))


def head_axis_collapsed(xy: FloatArray, config: TrustConfig) -> BoolArray:
    """(T,) True where the head's axis on screen, from the ears (their mean, where seen) to the nose, is shorter than
    ``head_axis_min_share`` of its median over the clip: the model has drawn the nose onto the ear, and the direction
    the gaze and the neck are read from is noise (rendered hip thrusts 15° off side with the head back: 0.06-0.3 of
    it, the gaze turning 97° between two frames and the neck read 95° past neutral)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)  # frames without either ear
        ear = np.nanmean(xy[:, list(PAIRS["ear"])], axis=1)
    length = np.linalg.norm(xy[:, Landmark.NOSE] - ear, axis=-1)
    seen = np.isfinite(length)
    if not seen.any():
        return np.zeros(len(xy), dtype=bool)
    typical = float(np.median(length[seen]))
    collapsed: BoolArray = seen & (length < config.head_axis_min_share * typical)
    return collapsed


def _merge(flags: FlagArray, smooth: PoseSequence, visibility: AnyFloatArray) -> FlagArray:
    """Per body point: the flags of its untrusted sides when they carry at least half its merge weight."""
    n = flags.shape[0]
    out = np.zeros((n, len(JOINTS)), dtype=FLAG_DTYPE)
    for k, joint in enumerate(JOINTS):
        sides = _sides(joint)
        if len(sides) == 1:
            lm = sides[0]
            out[:, k] = flags[:, lm]
            out[~np.isfinite(smooth.xy[:, lm, 0]), k] |= FLAG_DTYPE(Reason.NOT_MEASURED)
            continue
        weights = [
            np.where(np.isfinite(smooth.xy[:, lm, 0]), np.nan_to_num(visibility[:, lm]) ** SIDE_WEIGHT_POWER, 0.0)
            for lm in sides
        ]
        total = weights[0] + weights[1]
        bad_weight = sum(w * (flags[:, lm] != 0) for w, lm in zip(weights, sides))
        with np.errstate(invalid="ignore", divide="ignore"):
            untrusted = (total <= 0) | (bad_weight >= 0.5 * total)
        merged = np.zeros(n, dtype=FLAG_DTYPE)
        for w, lm in zip(weights, sides):
            merged |= np.where((w > 0) | (total <= 0), flags[:, lm], 0).astype(FLAG_DTYPE)
        merged[total <= 0] |= FLAG_DTYPE(Reason.NOT_MEASURED)
        out[:, k] = np.where(untrusted, merged, 0)
    return out


def behind_plate(
    table: TrustTable,
    points: Mapping[str, FloatArray],
    centre: FloatArray,
    radius: FloatArray,
    joints: Iterable[str],
    margin: float,
    stretch: FloatArray | None = None,
) -> TrustTable:
    """``table`` with :attr:`Reason.BEHIND_PLATE` set where one of ``joints`` lies within ``margin`` x ``radius`` of
    the near plate's ``centre`` (T, 2; NaN where no plate was found). ``points``: the body points as the metrics
    read them (:func:`formcheck.kinematics.merged_points`), pixels. ``stretch`` (per row; None: 1): filmed off the
    side the plate is an ellipse ``radius`` high and ``radius / stretch`` wide (:attr:`formcheck.plates.PlateTrack.stretch`),
    so distances across the picture count ``stretch`` times."""
    flags = table.flags.copy()
    across = np.ones(len(centre)) if stretch is None else np.asarray(stretch, dtype=float)
    for joint in joints:
        if joint not in table.joints or joint not in points:
            continue
        offset = points[joint] - centre
        d = np.hypot(offset[..., 0] * across, offset[..., 1])
        with np.errstate(invalid="ignore"):
            hidden = np.isfinite(d) & np.isfinite(radius) & (d < margin * radius)
        flags[hidden, table.joints.index(joint)] |= FLAG_DTYPE(Reason.BEHIND_PLATE)
    return TrustTable(table.joints, flags)


#: The body points whose guesses break a bridge's shoulder-hip-knee angle (:func:`erratic`).
HIP_LINE_JOINTS = ("shoulder", "hip", "knee")


def erratic(table: TrustTable, spans: Iterable[tuple[int, int]], joints: Iterable[str] = HIP_LINE_JOINTS) -> TrustTable:
    """``table`` with :attr:`Reason.ERRATIC` set on ``joints`` over the frames ``[a, b)`` of each of ``spans``: the shots
    of a bridge or hip thrust whose shoulder-hip-knee angle breaks (jumps from frame to frame, or dips and comes back
    faster than a body moves: :func:`formcheck.counting.driver_spiky`, ``Segmentation.too_fast``), which the counter
    therefore counted on the pelvis (:func:`formcheck.counting.count_reps`). A plate hides one of the three points and
    the model guesses it; which one the angle cannot say, so none of them is evidence there (COACHING.md §6)."""
    flags = table.flags.copy()
    cols = [table.joints.index(j) for j in joints if j in table.joints]
    for a, b in spans:
        flags[max(a, 0) : max(b, 0), cols] |= FLAG_DTYPE(Reason.ERRATIC)
    return TrustTable(table.joints, flags)


#: The foot points :func:`formcheck.feet.pin_planted_feet` reads where the foot stood (:func:`planted_feet`).
FOOT_JOINTS = ("ankle", "heel", "toe")


def planted_feet(
    table: TrustTable,
    pinned: Mapping[int, Sequence[str]],
    reps: Iterable[Rep],
    t: FloatArray,
    window_s: float,
    min_share: float,
) -> TrustTable:
    """``table`` with the foot points of each rep that :func:`formcheck.feet.pin_planted_feet` read where the foot
    stood made evidence over the rep ``[start, end]``, where that standing foot was evidence.

    A hinge's feet stay on the floor (COACHING.md §2-§3): within a rep a pinned foot point is read on the line between
    its positions at the rep's two standing ends (``window_s`` before its start and after its end), not where the
    model drew it. What put the drawn point in doubt (an ankle drawn up onto the plate at the bottom, then inside the
    plate's disc: docs/ACCURACY.md "A foot read where it stood is judged where it stood") says nothing about that
    reading. So where every landmark of a foot point (both sides) was pinned in the rep, and the point was evidence in
    at least ``min_share`` of the frames of each standing end, its flags over the rep are cleared; elsewhere they stay."""
    flags = table.flags.copy()
    for rep in reps:
        names = set(pinned.get(rep.index, ()))
        start, end = rep.start, min(rep.end, len(t) - 1)
        if end <= start or not names:
            continue
        # the frames pin_planted_feet read the standing foot from
        before = np.nonzero(standing_window(t, start, window_s, before=True))[0]
        after = np.nonzero(standing_window(t, end, window_s, before=False))[0]
        for joint in FOOT_JOINTS:
            if joint not in table.joints or not all(lm.name.lower() in names for lm in _sides(joint)):
                continue
            col = table.joints.index(joint)
            if all(w.size and float(np.mean(flags[w, col] == 0)) >= min_share for w in (before, after)):
                flags[start : end + 1, col] = 0
    return TrustTable(table.joints, flags)


#: The body points of the legs that a foot drawn off the floor puts in doubt (:func:`feet_apart`).
LEG_JOINTS = ("hip", "knee", "ankle")


def feet_apart(
    table: TrustTable,
    raw: PoseSequence,
    spans: Iterable[tuple[int, int]],
    config: TrustConfig,
    joints: Iterable[str] = LEG_JOINTS,
) -> TrustTable:
    """``table`` with :attr:`Reason.FEET_APART` set on ``joints`` where the two ankles of ``raw`` (the landmarks as
    the model gave them) are more than ``config.feet_apart_leg`` leg lengths further apart up the picture than they
    usually are in the shot (its median, signed), in the frames ``[a, b)`` of each of ``spans``: the side and oblique
    shots of a lift that keeps both feet on the floor.

    Two feet planted on one floor keep one height difference on screen all through a fixed shot: the camera's
    perspective on the stance (rendered lifters at most 0.08 leg lengths; a real bench hip thrust filmed 48° off the
    side from above, clip_022, 0.31 all through). A model that loses one leg behind a plate puts it elsewhere: on the
    plate beside the hips of a thrust, or on another person's legs behind a deadlift (clip_065: the near hip, knee
    and ankle on a gym-goer behind her, 0.5-0.9 leg lengths up, so the merged knee read 139° as she stood straight).
    Which leg is the lifter's the two cannot say, and the merged points mix both, so none of the legs' points is
    evidence there (COACHING.md §6: geometry is impossible)."""
    gap = ankle_rise_leg(raw.xy)
    hit = np.zeros(len(gap), dtype=bool)
    for a, b in spans:
        a, b = max(a, 0), max(b, 0)
        part = gap[a:b]
        if not np.any(np.isfinite(part)):
            continue
        with np.errstate(invalid="ignore"):
            hit[a:b] = np.abs(part - np.nanmedian(part)) > config.feet_apart_leg
    if not hit.any():
        return table
    flags = table.flags.copy()
    cols = np.array([table.joints.index(j) for j in joints if j in table.joints], dtype=np.intp)
    flags[np.ix_(np.flatnonzero(hit), cols)] |= FLAG_DTYPE(Reason.FEET_APART)
    return TrustTable(table.joints, flags)
