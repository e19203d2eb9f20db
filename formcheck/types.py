"""Core data types: what flows between the pipeline stages.

``PoseSequence`` (landmarks per frame) is also the on-disk landmark cache and the
test fixture format (npz). NaN is the only marker of a missing value; 0 is a
real coordinate.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .landmarks import N_LANDMARKS

#: Array types by element type (shapes are in the docstrings).
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Int8Array = npt.NDArray[np.int8]
#: Floats of any precision: landmarks come in as float32 (the model, npz files); ``PoseSequence`` stores float64.
AnyFloatArray = npt.NDArray[np.floating[Any]]

Verdict = Literal["pass", "warn", "fault", "not_checked"]
VERDICTS: tuple[str, ...] = ("pass", "warn", "fault", "not_checked")
#: The verdicts of a rule that looked at the rep (every one but ``not_checked``).
JUDGED_VERDICTS = frozenset({"pass", "warn", "fault"})

#: Bumped whenever the npz layout changes; old caches are then ignored.
NPZ_FORMAT = 1

#: Seconds of slack where a span of frame times is compared with a duration: frame times are the clip's start plus
#: multiples of the frame interval, so a duration of a whole number of frames (0.1 s at 30 fps) lands on a frame,
#: which float rounding put on either side of the line depending on where the clip's times start (a clip whose
#: times start at 7 s lost a rep; docs/ACCURACY.md "Counting under the changes filming makes").
TIME_EPS_S = 1e-6


@dataclass(frozen=True)
class VideoMeta:
    """What we know about the source video. Sizes are as displayed (rotation applied)."""

    path: str
    width: int
    height: int
    fps: float
    n_frames: int
    duration_s: float
    rotation_deg: int = 0
    codec: str = ""
    sha256: str = ""
    variable_frame_rate: bool = False
    #: Set only for a file cut short or damaged part-way (:func:`formcheck.quality.check_decoded`): the frame
    #: count and length the container announced, while ``n_frames`` and ``duration_s`` are what was decoded.
    container_frames: int | None = None
    container_duration_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("container_frames", "container_duration_s"):  # in the report only when the file was cut
            if data[name] is None:
                del data[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VideoMeta:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class PoseSequence:
    """Pose landmarks of one person over a video.

    Attributes:
        xy: (T, 33, 2) image coordinates in pixels, x right, y down.
        visibility: (T, 33) MediaPipe visibility in [0, 1]; NaN where no pose.
        t: (T,) presentation time of each frame in seconds.
        frame_index: (T,) index of the decoded frame in the video.
        world: (T, 33, 3) metric world landmarks (metres, hip-centred) or None.
        n_people: (T,) how many people the model saw in each frame (counted up to
            :data:`formcheck.people.ENOUGH_PEOPLE`: a frame that reaches it may hold more).
        frame_change: (T,) how much each frame's picture differs from the previous one
            (:class:`formcheck.video.FrameChange`; marks hard cuts), or None when not recorded.
        picture_signature: (T, 64) float16 compact picture of each frame (:func:`formcheck.loops.signature`:
            8x8 grey cell means) for finding footage that loops, or None when not recorded.
        interpolated: (T,) True where the pose model did not run on the frame and its landmarks were
            interpolated from the frames either side (:class:`formcheck.pose.SparsePlan`), or None when the
            model ran on every frame.
        meta: the source video.
        model: the pose model's name (``lite``, ``full``, ``heavy``, ``fake``...).
    """

    xy: AnyFloatArray
    visibility: AnyFloatArray
    t: FloatArray
    frame_index: IntArray
    meta: VideoMeta
    model: str
    world: AnyFloatArray | None = None
    n_people: IntArray | None = None
    frame_change: FloatArray | None = None
    interpolated: BoolArray | None = None
    picture_signature: npt.NDArray[np.float16] | None = None

    def __post_init__(self) -> None:
        self.xy = np.asarray(self.xy, dtype=np.float64)
        self.visibility = np.asarray(self.visibility, dtype=np.float64)
        self.t = np.asarray(self.t, dtype=np.float64)
        self.frame_index = np.asarray(self.frame_index, dtype=np.int64)
        n = self.t.shape[0]
        _check_shape("xy", self.xy, (n, N_LANDMARKS, 2))
        _check_shape("visibility", self.visibility, (n, N_LANDMARKS))
        _check_shape("frame_index", self.frame_index, (n,))
        if self.world is not None:
            self.world = np.asarray(self.world, dtype=np.float64)
            _check_shape("world", self.world, (n, N_LANDMARKS, 3))
        self._unknown_where_not_finite()
        if self.n_people is None:
            self.n_people = (~np.isnan(self.xy[:, 0, 0])).astype(np.int64)
        else:
            self.n_people = np.asarray(self.n_people, dtype=np.int64)
            _check_shape("n_people", self.n_people, (n,))
        if self.frame_change is not None:
            self.frame_change = np.asarray(self.frame_change, dtype=np.float64)
            _check_shape("frame_change", self.frame_change, (n,))
        if self.interpolated is not None:
            self.interpolated = np.asarray(self.interpolated, dtype=bool)
            _check_shape("interpolated", self.interpolated, (n,))
        if self.picture_signature is not None:
            self.picture_signature = np.asarray(self.picture_signature, dtype=np.float16)
            if self.picture_signature.ndim != 2 or self.picture_signature.shape[0] != n:
                raise ValueError(f"picture_signature has shape {self.picture_signature.shape}, expected ({n}, cells)")
        if n > 1 and np.any(np.diff(self.t) <= 0):
            raise ValueError("PoseSequence timestamps must be strictly increasing")

    def _unknown_where_not_finite(self) -> None:
        """A landmark with a coordinate that is not a finite number (inf from a broken model or file) is not
        known: NaN in both coordinates, like a landmark the model did not return (new arrays: the caller's
        are left alone)."""
        infinite: BoolArray = np.any(np.isinf(self.xy), axis=-1)
        if infinite.any():
            self.xy = np.where(infinite[..., None], np.nan, self.xy)
        bad_vis: BoolArray = infinite | np.isinf(self.visibility)
        if bad_vis.any():
            self.visibility = np.where(bad_vis, np.nan, self.visibility)
        if self.world is not None and np.isinf(self.world).any():
            world_inf: BoolArray = np.any(np.isinf(self.world), axis=-1)
            self.world = np.where(world_inf[..., None], np.nan, self.world)

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @property
    def detected(self) -> BoolArray:
        """(T,) True where the model returned a pose."""
        lost: BoolArray = np.all(np.isnan(self.xy[:, :, 0]), axis=1)
        return ~lost

    def replace(self, **changes: Any) -> PoseSequence:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return PoseSequence(**values)

    def slice(self, start: int, stop: int) -> PoseSequence:
        """Frames ``start`` (inclusive) to ``stop`` (exclusive)."""
        return self.take(builtins.slice(start, stop))

    def take(self, frames: builtins.slice | npt.ArrayLike) -> PoseSequence:
        """The frames ``frames`` selects (a slice, indices or a boolean mask), every per-frame array alike."""
        index = frames if isinstance(frames, builtins.slice) else np.asarray(frames)

        def pick(a: Any) -> Any:
            return None if a is None else a[index]

        return self.replace(
            xy=self.xy[index],
            visibility=self.visibility[index],
            t=self.t[index],
            frame_index=self.frame_index[index],
            world=pick(self.world),
            n_people=pick(self.n_people),
            frame_change=pick(self.frame_change),
            interpolated=pick(self.interpolated),
            picture_signature=pick(self.picture_signature),
        )

    # -- npz round trip -------------------------------------------------
    def save_npz(self, path: str | Path) -> None:
        """Write to ``path`` atomically (temporary name, then rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "format": np.array(NPZ_FORMAT),
            "xy": self.xy.astype(np.float32),
            "visibility": self.visibility.astype(np.float32),
            "t": self.t,
            "frame_index": self.frame_index,
            "n_people": self.n_people,
            "meta_json": np.array(json.dumps(self.meta.to_dict())),
            "model": np.array(self.model),
        }
        if self.world is not None:
            arrays["world"] = self.world.astype(np.float32)
        if self.frame_change is not None:
            arrays["frame_change"] = self.frame_change.astype(np.float32)
        if self.interpolated is not None:
            arrays["interpolated"] = self.interpolated
        if self.picture_signature is not None:
            arrays["picture_signature"] = self.picture_signature
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load_npz(cls, path: str | Path) -> PoseSequence:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != NPZ_FORMAT:
                raise ValueError(f"{path}: landmark file format {int(data['format'])}, expected {NPZ_FORMAT}")
            return cls(
                xy=data["xy"].astype(np.float64),
                visibility=data["visibility"].astype(np.float64),
                t=data["t"],
                frame_index=data["frame_index"],
                world=data["world"].astype(np.float64) if "world" in data else None,
                n_people=data["n_people"],
                frame_change=data["frame_change"].astype(np.float64) if "frame_change" in data else None,
                interpolated=data["interpolated"].astype(bool) if "interpolated" in data else None,
                picture_signature=data.get("picture_signature"),
                meta=VideoMeta.from_dict(json.loads(str(data["meta_json"]))),
                model=str(data["model"]),
            )


def _check_shape(name: str, array: npt.NDArray[Any], shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ValueError(f"{name} has shape {array.shape}, expected {shape}")


@dataclass
class AngleSeries:
    """Named per-frame signals (degrees, or a unit given in the name).

    ``values[:, i]`` is the signal ``names[i]``. ``side`` is the body side the
    angles were measured on and ``facing`` the direction (+1 right, -1 left in the
    image) the lifter faced before normalisation.
    """

    t: FloatArray
    names: tuple[str, ...]
    values: FloatArray
    side: str
    facing: int
    frame_index: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        self.t = np.asarray(self.t, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64)
        _check_shape("values", self.values, (self.t.shape[0], len(self.names)))
        if self.frame_index.shape[0] != self.t.shape[0]:
            self.frame_index = np.arange(self.t.shape[0], dtype=np.int64)

    def __getitem__(self, name: str) -> FloatArray:
        try:
            return self.values[:, self.names.index(name)]
        except ValueError:
            raise KeyError(f"no signal named {name!r}; have {', '.join(self.names)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.names


@dataclass(frozen=True)
class Rep:
    """One repetition. Frame numbers index the PoseSequence (not the video).

    The rep spans ``[start, end)``: ``start`` is where the descent begins (or the
    first frame when the clip starts low), ``bottom`` the lowest point of the
    driver signal, ``lockout`` the first frame at the top, and ``end`` where the
    top position is left (the next rep's start) or the clip ends.
    """

    index: int
    start: int
    bottom: int
    lockout: int
    end: int
    t_start: float
    t_bottom: float
    t_lockout: float
    t_end: float
    eccentric_s: float | None
    bottom_pause_s: float
    concentric_s: float
    top_pause_s: float
    rom_deg: float
    bottom_deg: float
    top_deg: float
    #: False when the lockout happened out of view (the lifter's head left the top of the frame while
    #: rising and came back in while lowering): the rep is counted, ``rom_deg``, ``top_deg``,
    #: ``concentric_s`` and ``top_pause_s`` are NaN, and rules needing the top say "not checked".
    lockout_seen: bool = True
    #: Set when the footage loops and this rep is a replay of an earlier one (formcheck.loops): the index of
    #: the rep whose frames it shows again. Counted (it is on screen), judged once: its findings are that rep's.
    repeat_of: int | None = None
    #: Where the final rise to lockout starts (a floor pull's lift-off: the last frame under
    #: ``reps.rise_start_fraction`` of the range above the bottom), when the rep's lockout was seen. A rep that
    #: opens in a set-up bottoms out at the set-up's lowest point, which can lie seconds before the bar leaves the
    #: floor (clip_088: a set-up crouch at 0.6 s, the pull from 2.9 s); the rules read at lift-off read here.
    liftoff: int | None = None
    #: Seconds the lifter was held low before the final rise, when that set-up (longer than
    #: ``reps.max_bottom_hold_s``: a long set-up at the bar, clip_089's 19 s bent over it) was left out of the rep,
    #: which then starts at the rise; None when the rep keeps its own start.
    setup_s: float | None = None

    @property
    def rise(self) -> int:
        """The frame the final rise starts: :attr:`liftoff`, or the bottom when it is not known."""
        return self.bottom if self.liftoff is None else self.liftoff

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """The verdict of one rule on one rep (``rep`` is None for set-level findings)."""

    rule: str
    rep: int | None
    verdict: Verdict
    metric: str
    value: float | None
    threshold: float | None
    unit: str
    t_start: float | None
    t_end: float | None
    frame: int | None
    message: str
    cue: str
    #: How sure the verdict is, 0-1 (trusted share of its evidence, the view's confidence, the margin past
    #: its threshold against the measurement uncertainty: formcheck.exercises.base.weigh); None when not checked.
    confidence: float | None = None
    #: The measurement uncertainty of ``value`` in ``unit`` (2 SD of reading - truth on rendered clips, the rule's
    #: ``*_uncertainty_*`` setting, COACHING.md §4): the report shows "value ± uncertainty". None when not checked.
    uncertainty: float | None = None
    #: The line past which ``value`` is a fault (``threshold`` is where it warns; for some rules the same line): a
    #: fault needs the value past it by more than ``uncertainty``. None when the rule faults on no such line.
    fault_line: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Detection:
    """A classification with its confidence in [0, 1] and the evidence behind it."""

    label: str
    confidence: float
    #: Named evidence: numbers, or for a mixed view the shots.
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
