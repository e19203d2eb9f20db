"""Sensitivity of the rules to graded rendered faults: ``formcheck eval --sensitivity FOLDER``.

For every fault kind of :mod:`formcheck.synth.faults` a clip is rendered per camera angle, facing and
body: rep 1 clean, then one rep per graded size (COACHING.md §1's fine size, its fault size, past it).
Each clip is analysed like any video (pose model, then :func:`formcheck.pipeline.analyze_landmarks`),
its reps are matched to the true ones by lockout time, and per rule this reports

- the **detection rate** against the true size: the share of faulty reps the rule that exists for the
  fault flags (fault level, and warn or fault), with the median value it measured;
- the **false-flag rate** on clean reps (rep 1 of every clip): per rule, and by any rule.

Clips (``<clip>.mp4`` + label ``<clip>.json``), their landmarks (``<clip>.<model>.npz``) and the spec
they were made from (``<clip>.spec.json``) are kept in FOLDER and re-read when the spec matches, so a
second run only re-analyses; ``formcheck eval FOLDER --landmarks FOLDER`` scores the same folder the
ordinary way. Generated clips never go into git.

The scoring (:func:`rep_outcomes`, :func:`summarise`, :func:`to_markdown`) is pure and works on any
object shaped like :class:`formcheck.analysis.Analysis` (see :class:`AnalysisLike`).
"""

from __future__ import annotations

import json
import statistics
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from .evaluate import MATCH_WINDOW_S

# ---------------------------------------------------------------- the grid


@dataclass(frozen=True)
class KindGrid:
    """One fault kind on the grid: its COACHING.md §1 fine and fault sizes and the sizes rendered."""

    kind: str
    lift: str
    #: The rule that exists for this fault (None: no rule yet).
    rule: str | None
    fine: float
    fault: float
    sizes: tuple[float, ...]
    quick_sizes: tuple[float, ...]

    @property
    def rates_sizes(self) -> tuple[float, ...]:
        """The rates grid's reps after the clean first one: the fault size twice around the fine size."""
        return (self.fault, self.fine, self.fault)

    def sizes_for(self, grid: Grid) -> tuple[float, ...]:
        """The sizes rendered on ``grid`` (after the clean first rep)."""
        return {"quick": self.quick_sizes, "rates": self.rates_sizes}.get(grid.sizes, self.sizes)

    @property
    def worse_when_smaller(self) -> bool:
        """True when a smaller size is the fault (locked knees, rushed eccentric)."""
        return self.fault < self.fine


KINDS: tuple[KindGrid, ...] = (
    KindGrid("knees_bend", "rdl", "rdl.knees_frozen", 5.0, 15.0, (5.0, 10.0, 15.0, 20.0, 25.0), (5.0, 15.0, 25.0)),
    KindGrid("knees_locked", "rdl", "rdl.knees_locked", 8.0, 0.0, (12.0, 8.0, 4.0, 0.0, -5.0), (8.0, 0.0, -5.0)),
    KindGrid("bar_drift", "rdl", "rdl.bar_drift", 0.04, 0.12, (0.04, 0.08, 0.12, 0.16, 0.2), (0.04, 0.12, 0.2)),
    KindGrid("rushed", "rdl", "rdl.tempo", 1.2, 0.7, (1.5, 1.2, 0.9, 0.7, 0.5), (1.2, 0.7, 0.45)),
    KindGrid("rounded_back", "rdl", "rdl.rounding", 10.0, 20.0, (5.0, 10.0, 15.0, 20.0, 30.0), (10.0, 20.0, 30.0)),
    KindGrid("floor_touch", "rdl", None, 0.0, 0.0, (0.0, 0.3, 0.6, 1.0), (0.0, 0.5, 1.0)),
    KindGrid("head_up", "rdl", "rdl.neck", 15.0, 30.0, (10.0, 15.0, 20.0, 30.0, 45.0), (15.0, 30.0, 45.0)),
    KindGrid(
        "head_back", "hip_thrust", "ht.look_at_wall", 10.0, 25.0, (10.0, 15.0, 20.0, 25.0, 35.0), (10.0, 25.0, 35.0)
    ),
    KindGrid(
        "chin_tuck",
        "hip_thrust",
        "ht.neck_hyperflexion",
        30.0,
        45.0,
        (30.0, 38.0, 45.0, 52.0, 60.0),
        (30.0, 45.0, 60.0),
    ),
    KindGrid(
        "overextension", "hip_thrust", "ht.overextension", 5.0, 15.0, (5.0, 10.0, 15.0, 20.0, 25.0), (5.0, 15.0, 25.0)
    ),
    KindGrid("partial", "hip_thrust", "ht.lockout", 8.0, 15.0, (8.0, 12.0, 15.0, 20.0, 30.0), (8.0, 15.0, 30.0)),
    KindGrid("shins", "hip_thrust", "ht.shin_angle", 10.0, 20.0, (10.0, 15.0, 20.0, 25.0, 30.0), (10.0, 20.0, 30.0)),
    # Appended, not among the RDL kinds: a clip's facing alternates with its kind's place on the grid, so a kind
    # inserted above would flip (rename, re-seed) every later kind's clips. Fine 5: a clean rendered top is
    # itself 3-6 degrees short (175.5 for the default lifter: the soft knees tilt the thigh back); COACHING.md
    # §3's fine line, 172 (8 short), is one uncertainty (4) from the warn line (168). Fault 15: the 165 line.
    KindGrid(
        "partial_lockout", "rdl", "hinge.hips_through", 5.0, 15.0, (5.0, 10.0, 15.0, 20.0, 30.0), (5.0, 15.0, 30.0)
    ),
    # Appended for the same reason. COACHING.md §1 rdl.hips_back: fine >= 0.18, fault <= 0.10 leg lengths of hip travel
    # back per 90 degrees of hinge; the default rendered clean RDL travels 0.17.
    KindGrid("hips_stay", "rdl", "rdl.hips_back", 0.18, 0.10, (0.22, 0.18, 0.14, 0.10, 0.06), (0.18, 0.10, 0.06)),
)
KIND_BY_NAME: dict[str, KindGrid] = {k.kind: k for k in KINDS}


@dataclass(frozen=True)
class Grid:
    """Which clips to render: cameras, facings, bodies, and the picture."""

    name: str
    azimuths: tuple[float, ...]
    #: None: the default lifter; an int: ``--random-body`` seed.
    bodies: tuple[int | None, ...]
    #: Every facing for every clip (True), or facings alternating over kinds and cameras (False).
    all_facings: bool
    #: Bodies at these positions in ``bodies`` lift 45 cm plates.
    full_plate_bodies: tuple[int, ...] = ()
    width: int = 480
    height: int = 270
    fps: float = 15.0
    supersample: int = 1
    crf: int = 23
    #: Which sizes of :class:`KindGrid` the clips carry.
    sizes: Literal["quick", "rates", "full"] = "full"


#: The quick grid renders at 10 fps to stay well under 15 minutes on one core (22 clips, ~3,700 frames, when
#: measured; 26 since head_up and partial_lockout joined).
QUICK = Grid("quick", azimuths=(0.0, 30.0), bodies=(None,), all_facings=False, fps=10.0, sizes="quick")
#: The rates grid: issue 10's "done when" cells (detection at the fault size, false flags on clean reps) with
#: several reps per camera angle and not one: per fault kind and angle (0/15/30/45° off side) two clips, the
#: default lifter with small plates and a random body with 45 cm plates, facings alternating; each clip a
#: clean rep, then fault, fine, fault. 88 clips at 10 fps: 82 minutes on the 2-core machine shared with other jobs
#: (104 clips since head_up and partial_lockout joined).
RATES = Grid(
    "rates",
    azimuths=(0.0, 15.0, 30.0, 45.0),
    bodies=(None, 1),
    all_facings=False,
    full_plate_bodies=(1,),
    fps=10.0,
    sizes="rates",
)
FULL = Grid("full", azimuths=(0.0, 15.0, 30.0, 45.0), bodies=(None, 1, 2), all_facings=True, full_plate_bodies=(2,))
#: The bodies grid: a side-view rule's bias and scatter across lifters and facings, which its calibration needs
#: (COACHING.md §4, measured on rendered truth): the default lifter and five random bodies, small plates, both
#: facings, 0, 7.5 and 15° off side (real side-view clips measure 4-13° off; a reading's offset can move within that:
#: docs/ACCURACY.md 'A precise look at the frames a rule reads'), every size, 15 fps. 36 clips per kind, about 30
#: minutes on the 2-core machine (`formcheck eval --sensitivity DIR --grid bodies --kind knees_locked`: docs/ACCURACY.md
#: 'Locked knees read as the hinge begins'; `tools/uncertainty_table.py DIR --azimuth 0` fits the readings).
BODIES = Grid("bodies", azimuths=(0.0, 7.5, 15.0), bodies=(None, 1, 2, 3, 4, 5), all_facings=True, fps=15.0)
#: The oblique grid: the bodies grid's lifters and facings filmed 15, 30 and 45° off the side, for the bias, the gain
#: and the scatter of a reading that turns with the camera (COACHING.md §5) once corrected by the measured angle
#: (`formcheck eval --sensitivity DIR --grid oblique --kind knees_bend`: docs/ACCURACY.md 'The shins' tilt corrected
#: for the camera angle'; `tools/uncertainty_table.py DIR --azimuth 30` fits the readings).
OBLIQUE = Grid("oblique", azimuths=(15.0, 30.0, 45.0), bodies=(None, 1, 2, 3, 4, 5), all_facings=True, fps=15.0)
GRIDS: dict[str, Grid] = {g.name: g for g in (QUICK, RATES, FULL, BODIES, OBLIQUE)}


@dataclass(frozen=True)
class ClipJob:
    """One clip of the grid: rep 1 clean, then one rep per size."""

    name: str
    kind: str
    lift: str
    sizes: tuple[float, ...]
    azimuth: float
    facing: str
    body: int | None
    full_plates: bool
    seed: int

    @property
    def n_reps(self) -> int:
        return 1 + len(self.sizes)

    def rep_sizes(self) -> dict[int, float]:
        """1-based rep index -> injected size (rep 1 is clean)."""
        return {k + 2: s for k, s in enumerate(self.sizes)}


def clip_jobs(grid: Grid, kinds: Iterable[KindGrid] = KINDS) -> list[ClipJob]:
    """The clips of a grid, in a fixed order."""
    jobs = []
    for i, k in enumerate(kinds):
        sizes = k.sizes_for(grid)
        for j, az in enumerate(grid.azimuths):
            for b, body in enumerate(grid.bodies):
                facings = ("right", "left") if grid.all_facings else (("right", "left")[(i + j + b) % 2],)
                for facing in facings:
                    name = f"{k.kind}_az{az:g}_{facing}_{'body' if body is None else f'b{body}'}"
                    jobs.append(
                        ClipJob(
                            name=name,
                            kind=k.kind,
                            lift=k.lift,
                            sizes=sizes,
                            azimuth=az,
                            facing=facing,
                            body=body,
                            full_plates=b in grid.full_plate_bodies,
                            seed=zlib.crc32(name.encode()) % 10_000,
                        )
                    )
    return jobs


def clip_spec(job: ClipJob, grid: Grid, folder: Path) -> Any:
    """The :class:`formcheck.synth.ClipSpec` of a job (imports the renderer)."""
    import numpy as np

    from .synth import BodySpec, CameraSpec, ClipSpec
    from .synth.scene import FULL_PLATE_RADIUS_M, SMALL_PLATE_RADIUS_M

    body = BodySpec() if job.body is None else BodySpec.sample(np.random.default_rng([job.body, 1]))
    return ClipSpec(
        lift=job.lift,
        reps=job.n_reps,
        faults={job.kind: job.rep_sizes()},
        seed=job.seed,
        width=grid.width,
        height=grid.height,
        fps=grid.fps,
        facing=job.facing,
        camera=CameraSpec(azimuth_deg=job.azimuth),
        body=body,
        plate_radius_m=FULL_PLATE_RADIUS_M if job.full_plates else SMALL_PLATE_RADIUS_M,
        supersample=grid.supersample,
        crf=grid.crf,
        output=str(folder / f"{job.name}.mp4"),
    )


# ---------------------------------------------------------------- scoring (pure)


class RepLike(Protocol):
    index: int
    t_lockout: float


class FindingLike(Protocol):
    rule: str
    rep: int | None
    verdict: str
    value: float | None


class DetectionLike(Protocol):
    label: str


class AnalysisLike(Protocol):
    """What the scoring reads of an :class:`formcheck.analysis.Analysis`."""

    @property
    def reps(self) -> Sequence[RepLike]: ...
    @property
    def findings(self) -> Sequence[FindingLike]: ...
    @property
    def exercise(self) -> DetectionLike: ...
    @property
    def judged(self) -> bool: ...


FLAGGED = ("warn", "fault")


@dataclass(frozen=True)
class RepOutcome:
    """What the analysis said about one true rep."""

    clip: str
    kind: str
    lift: str
    rep: int
    #: Injected size (None: a clean rep) and the label's true size of this kind (clean reps: the natural value).
    size: float | None
    true_size: float | None
    azimuth: float
    facing: str
    body: int | None
    #: Lift the analysis detected; whether the rep was counted (matched by lockout time) and judged.
    lift_detected: str
    found: bool
    judged: bool
    #: Rule -> verdict and measured value for the matched rep ({} when not found).
    verdicts: dict[str, str] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return self.size is None

    def flagged_by(self, rule: str, level: Sequence[str] = ("fault",)) -> bool:
        return self.verdicts.get(rule) in level


def match_reps(true_lockouts: Sequence[float], predicted: Sequence[RepLike]) -> dict[int, int]:
    """True rep position (0-based) -> predicted rep index: nearest lockout within MATCH_WINDOW_S, each used once.

    Pairs are taken closest first, so one predicted rep never takes a true rep another one sits closer to.
    """
    pairs = sorted(
        (abs(t - p.t_lockout), j, p.index)
        for j, t in enumerate(true_lockouts)
        for p in predicted
        if abs(t - p.t_lockout) <= MATCH_WINDOW_S
    )
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, j, index in pairs:
        if j not in out and index not in used:
            out[j] = index
            used.add(index)
    return out


def rep_outcomes(job: ClipJob, label: Mapping[str, Any], analysis: AnalysisLike | None) -> list[RepOutcome]:
    """One outcome per true rep of a clip (``analysis`` None: the analysis failed, nothing found)."""
    true_reps = label["reps"]
    match = match_reps([float(r["lockout_s"]) for r in true_reps], analysis.reps) if analysis is not None else {}
    out = []
    for j, r in enumerate(true_reps):
        sizes = r.get("fault_sizes", {})
        truth = r.get("truth", {})
        verdicts: dict[str, str] = {}
        values: dict[str, float | None] = {}
        if analysis is not None and j in match:
            for f in analysis.findings:
                if f.rep == match[j]:
                    verdicts[f.rule] = f.verdict
                    values[f.rule] = f.value
        out.append(
            RepOutcome(
                clip=job.name,
                kind=job.kind,
                lift=job.lift,
                rep=int(r["index"]),
                size=None if job.kind not in sizes else float(sizes[job.kind]),
                true_size=truth.get(job.kind),
                azimuth=job.azimuth,
                facing=job.facing,
                body=job.body,
                lift_detected="" if analysis is None else analysis.exercise.label,
                found=j in match,
                judged=analysis is not None and analysis.judged,
                verdicts=verdicts,
                values=values,
            )
        )
    return out


@dataclass(frozen=True)
class Rate:
    """Reps flagged at fault level, at warn or fault, out of ``total``; ``unseen``: not counted or not checked."""

    fault: int
    flagged: int
    total: int
    unseen: int = 0
    median_value: float | None = None

    @property
    def fault_rate(self) -> float | None:
        return None if not self.total else self.fault / self.total

    @property
    def flag_rate(self) -> float | None:
        return None if not self.total else self.flagged / self.total


def _median(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return None if not vals else round(statistics.median(vals), 3)


def detection(outcomes: Sequence[RepOutcome], rule: str | None) -> Rate:
    """How often ``rule`` flags these (faulty) reps; rule None: any rule."""

    def hit(o: RepOutcome, level: Sequence[str]) -> bool:
        if rule is None:
            return any(v in level for v in o.verdicts.values())
        return o.flagged_by(rule, level)

    unseen = sum(
        1 for o in outcomes if not o.found or (rule is not None and o.verdicts.get(rule) in (None, "not_checked"))
    )
    return Rate(
        fault=sum(hit(o, ("fault",)) for o in outcomes),
        flagged=sum(hit(o, FLAGGED) for o in outcomes),
        total=len(outcomes),
        unseen=unseen,
        median_value=None if rule is None else _median(o.values.get(rule) for o in outcomes),
    )


def false_flags(clean: Sequence[RepOutcome], rule: str) -> Rate:
    """Clean reps ``rule`` flagged, out of the clean reps it judged (pass, warn or fault)."""
    judged = [o for o in clean if o.verdicts.get(rule) in ("pass", *FLAGGED)]
    return Rate(
        fault=sum(o.flagged_by(rule) for o in judged),
        flagged=sum(o.flagged_by(rule, FLAGGED) for o in judged),
        total=len(judged),
        unseen=len(clean) - len(judged),
        median_value=_median(o.values.get(rule) for o in judged),
    )


@dataclass
class SensitivityResult:
    """Everything the tables and the plot show."""

    grid: str
    azimuths: tuple[float, ...]
    #: (kind, size, azimuth) -> detection by the kind's rule (any rule for kinds without one).
    detection: dict[tuple[str, float, float], Rate]
    #: (kind, size, azimuth) -> rule -> reps that other rules flagged at fault level.
    others: dict[tuple[str, float, float], dict[str, int]]
    #: (rule, azimuth) -> false flags on clean reps of the rule's lift.
    false_flags: dict[tuple[str, float], Rate]
    #: azimuth -> clean reps flagged by any rule (fault level / warn or fault).
    any_rule_clean: dict[float, Rate]
    #: (kind, azimuth) -> lifts detected on its clips, counted per rep.
    lifts: dict[tuple[str, float], dict[str, int]]
    kinds: tuple[KindGrid, ...] = KINDS
    seconds: float = 0.0
    clips: int = 0

    def to_json(self) -> dict[str, Any]:
        def key(k: tuple[Any, ...]) -> str:
            return "|".join(f"{x:g}" if isinstance(x, float) else str(x) for x in k)

        return {
            "grid": self.grid,
            "clips": self.clips,
            "seconds": round(self.seconds, 1),
            "detection": {key(k): asdict(v) for k, v in self.detection.items()},
            "others": {key(k): v for k, v in self.others.items()},
            "false_flags": {key(k): asdict(v) for k, v in self.false_flags.items()},
            "any_rule_clean": {f"{k:g}": asdict(v) for k, v in self.any_rule_clean.items()},
            "lifts": {key(k): v for k, v in self.lifts.items()},
        }


def summarise(
    outcomes: Sequence[RepOutcome], rules_by_lift: Mapping[str, Sequence[str]], kinds: Sequence[KindGrid] = KINDS
) -> SensitivityResult:
    """Detection per (kind, size, camera) and false flags per (rule, camera) from rep outcomes."""
    azimuths = tuple(sorted({o.azimuth for o in outcomes}))
    detect: dict[tuple[str, float, float], Rate] = {}
    others: dict[tuple[str, float, float], dict[str, int]] = {}
    lifts: dict[tuple[str, float], dict[str, int]] = {}
    for k in kinds:
        for az in azimuths:
            mine = [o for o in outcomes if o.kind == k.kind and o.azimuth == az]
            for o in mine:
                counts = lifts.setdefault((k.kind, az), {})
                counts[o.lift_detected or "error"] = counts.get(o.lift_detected or "error", 0) + 1
            for size in sorted({o.size for o in mine if o.size is not None}):
                reps = [o for o in mine if o.size == size]
                detect[(k.kind, size, az)] = detection(reps, k.rule)
                other: dict[str, int] = {}
                for o in reps:
                    for rule, verdict in o.verdicts.items():
                        if verdict == "fault" and rule != k.rule:
                            other[rule] = other.get(rule, 0) + 1
                others[(k.kind, size, az)] = dict(sorted(other.items(), key=lambda kv: (-kv[1], kv[0])))
    flags: dict[tuple[str, float], Rate] = {}
    any_rule: dict[float, Rate] = {}
    for az in azimuths:
        clean = [o for o in outcomes if o.clean and o.azimuth == az]
        for lift, rules in rules_by_lift.items():
            for rule in rules:
                flags[(rule, az)] = false_flags([o for o in clean if o.lift == lift], rule)
        any_rule[az] = detection(clean, None)
    return SensitivityResult(
        grid="",
        azimuths=azimuths,
        detection=detect,
        others=others,
        false_flags=flags,
        any_rule_clean=any_rule,
        lifts=lifts,
        kinds=tuple(kinds),
    )


# ---------------------------------------------------------------- output


def _cell(r: Rate | None) -> str:
    if r is None or not r.total:
        return "–"
    text = f"{r.fault}/{r.total}"
    if r.flagged != r.fault:
        text += f" (+{r.flagged - r.fault} warn)"
    if r.unseen:
        text += f" [{r.unseen} unseen]"
    return text


def _value(r: Rate | None) -> str:
    return "–" if r is None or r.median_value is None else f"{r.median_value:.3g}"


def _kind_rows(result: SensitivityResult, k: KindGrid, unit: str) -> list[str]:
    azs = result.azimuths
    sizes = sorted({s for (kind, s, _a) in result.detection if kind == k.kind}, reverse=k.worse_when_smaller)
    rows = []
    for i, size in enumerate(sizes):
        marks = ""
        if k.rule is not None and size == k.fine:
            marks = " (fine)"
        elif k.rule is not None and size == k.fault:
            marks = " (fault)"
        cells = " | ".join(_cell(result.detection.get((k.kind, size, a))) for a in azs)
        values = " / ".join(_value(result.detection.get((k.kind, size, a))) for a in azs)
        other: dict[str, int] = {}
        for a in azs:
            for rule, n in result.others.get((k.kind, size, a), {}).items():
                other[rule] = other.get(rule, 0) + n
        others = ", ".join(f"{rule} {n}" for rule, n in sorted(other.items(), key=lambda kv: -kv[1])) or "–"
        name = f"{k.kind} ({unit})" if i == 0 else ""
        rule = (k.rule or "none (any rule)") if i == 0 else ""
        rows.append(f"| {name} | {rule} | {size:g}{marks} | {cells} | {values} | {others} |")
    return rows


def to_markdown(result: SensitivityResult, units: Mapping[str, str] | None = None) -> str:
    """The detection table per fault kind, the false-flag table, and the lifts detected."""
    azs = result.azimuths
    heads = " | ".join(f"{a:g}°" for a in azs)
    lines = [
        f"Grid **{result.grid}**: {result.clips} clips, {result.seconds / 60:.1f} min. Cells: reps flagged at fault "
        "level / faulty reps of that size (+ reps only warned) [reps not counted, or the rule said not checked].",
        "",
        f"| fault (unit) | rule | size | {heads} | measured, median ({' / '.join(f'{a:g}°' for a in azs)}) "
        "| other rules at fault level |",
        "| --- | --- | --- | " + " | ".join("---" for _ in azs) + " | --- | --- |",
    ]
    for k in result.kinds:
        lines += _kind_rows(result, k, (units or {}).get(k.kind, ""))
    lines += [
        "",
        "False flags on clean reps (rep 1 of every clip): reps flagged at fault level / clean reps the rule judged "
        "(+ reps only warned) [clean reps it did not judge].",
        "",
        f"| rule | {heads} | measured on clean reps, median |",
        "| --- | " + " | ".join("---" for _ in azs) + " | --- |",
    ]
    for rule in sorted({rule for (rule, _a) in result.false_flags}):
        cells = " | ".join(_cell(result.false_flags.get((rule, a))) for a in azs)
        values = " / ".join(_value(result.false_flags.get((rule, a))) for a in azs)
        lines.append(f"| {rule} | {cells} | {values} |")
    cells = " | ".join(_cell(result.any_rule_clean.get(a)) for a in azs)
    lines.append(f"| **any rule** | {cells} | |")
    wrong_lifts = []
    for k in result.kinds:
        for a in azs:
            got = result.lifts.get((k.kind, a), {})
            wrong = {name: n for name, n in got.items() if name != k.lift}
            if wrong:
                reads = ", ".join(f"{n} reps read as {name}" for name, n in wrong.items())
                wrong_lifts.append(f"{k.kind} at {a:g}°: {reads}")
    if wrong_lifts:
        lines += ["", "Lift detected other than the rendered one: " + "; ".join(wrong_lifts) + "."]
    return "\n".join(lines) + "\n"


PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def _linear(v0: float, v1: float, p0: float, p1: float) -> Callable[[float], float]:
    """The affine map taking v0 to p0 and v1 to p1."""
    span = (v1 - v0) or 1.0
    return lambda v: p0 + (v - v0) / span * (p1 - p0)


def _panel(result: SensitivityResult, k: KindGrid, unit: str, ox: float, oy: float, pw: float, ph: float) -> list[str]:
    pad = 36.0
    sizes = sorted({s for (kind, s, _a) in result.detection if kind == k.kind} | {k.fine, k.fault})
    lo, hi = min(sizes), max(sizes)
    sx = _linear(lo, hi, ox + pad, ox + pw - 12)
    sy = _linear(1.0, 0.0, oy + 20, oy + ph - pad)
    out = [
        f'<text x="{ox + pad}" y="{oy + 12}" font-weight="bold">{k.kind} → {k.rule or "any rule"}</text>',
        f'<rect x="{sx(lo):.1f}" y="{sy(1):.1f}" width="{sx(hi) - sx(lo):.1f}" height="{sy(0) - sy(1):.1f}" '
        'fill="none" stroke="#999"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        out.append(f'<text x="{ox + pad - 4}" y="{sy(tick) + 3:.1f}" text-anchor="end">{tick:.0%}</text>')
    for v in (lo, hi):
        out.append(f'<text x="{sx(v):.1f}" y="{sy(0) + 12:.1f}" text-anchor="middle">{v:g}</text>')
    out.append(
        f'<text x="{(sx(lo) + sx(hi)) / 2:.1f}" y="{sy(0) + 24:.1f}" text-anchor="middle" fill="#555">'
        f"{unit[:44]}</text>"
    )
    if k.rule is not None:
        for v, colour in ((k.fine, "#999"), (k.fault, "#d62728")):
            out.append(
                f'<line x1="{sx(v):.1f}" y1="{sy(1):.1f}" x2="{sx(v):.1f}" y2="{sy(0):.1f}" stroke="{colour}" '
                'stroke-dasharray="3,3"/>'
            )
    for i, az in enumerate(result.azimuths):
        colour = PALETTE[i % len(PALETTE)]
        pts = [(s, r) for s in sizes if (r := result.detection.get((k.kind, s, az))) is not None and r.total]
        if not pts:
            continue
        line = " ".join(f"{sx(s):.1f},{sy(r.fault_rate or 0.0):.1f}" for s, r in pts)
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for s, r in pts:
            out.append(f'<circle cx="{sx(s):.1f}" cy="{sy(r.fault_rate or 0.0):.1f}" r="2.5" fill="{colour}"/>')
            out.append(
                f'<circle cx="{sx(s):.1f}" cy="{sy(r.flag_rate or 0.0):.1f}" r="4" fill="none" stroke="{colour}"/>'
            )
    return out


def to_svg(result: SensitivityResult, units: Mapping[str, str] | None = None) -> str:
    """Small multiples: per fault kind, the fault-level detection rate against size, one line per camera angle.

    Dashed lines mark COACHING.md's fine (grey) and fault (red) sizes; rings are the warn-or-fault rates.
    """
    kinds = [k for k in result.kinds if any(kind == k.kind for (kind, _s, _a) in result.detection)]
    cols, pw, ph = 4, 230, 160
    rows = max(1, (len(kinds) + cols - 1) // cols)
    width, height = cols * pw, rows * ph + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="10">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for i, az in enumerate(result.azimuths):
        x = 10 + i * 90
        colour = PALETTE[i % len(PALETTE)]
        out.append(
            f'<line x1="{x}" y1="{height - 12}" x2="{x + 18}" y2="{height - 12}" stroke="{colour}" stroke-width="2"/>'
        )
        out.append(f'<text x="{x + 22}" y="{height - 8}">{az:g}° off side</text>')
    for n, k in enumerate(kinds):
        out += _panel(result, k, (units or {}).get(k.kind, ""), (n % cols) * pw, (n // cols) * ph, pw, ph)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- running the grid


def _spec_record(job: ClipJob, grid: Grid) -> dict[str, Any]:
    from .synth.labels import GENERATOR_VERSION

    return {
        "job": asdict(job),
        "picture": [grid.width, grid.height, grid.fps, grid.supersample, grid.crf],
        "generator_version": GENERATOR_VERSION,
    }


def ensure_clip(job: ClipJob, grid: Grid, folder: Path) -> tuple[Path, dict[str, Any], bool]:
    """The clip's video and label, rendered unless FOLDER holds them for the same spec. Returns (mp4, label, rendered)."""
    from .synth import render_clip

    mp4, label_path, spec_path = (folder / f"{job.name}{ext}" for ext in (".mp4", ".json", ".spec.json"))
    record = _spec_record(job, grid)
    if mp4.exists() and label_path.exists() and spec_path.exists():
        try:
            if json.loads(spec_path.read_text()) == json.loads(json.dumps(record)):
                return mp4, json.loads(label_path.read_text()), False
        except json.JSONDecodeError:
            pass
    for stale in folder.glob(f"{job.name}.*.npz"):
        stale.unlink()
    render_clip(clip_spec(job, grid, folder))
    spec_path.write_text(json.dumps(record) + "\n")
    return mp4, json.loads(label_path.read_text()), True


def analyse_clip(mp4: Path, config: Any) -> Any:
    """Analysis of a grid clip, its landmarks read from (or written to) ``<clip>.<model>.npz`` beside it."""
    from .pipeline import analyze_landmarks, estimate_pose
    from .types import PoseSequence

    cached = mp4.with_name(f"{mp4.stem}.{config.pose.model}.npz")
    if cached.exists():
        seq = PoseSequence.load_npz(cached)
    else:
        seq = estimate_pose(mp4, config, use_cache=False)
        seq.save_npz(cached)
    return analyze_landmarks(seq, config, video=mp4)


def rules_by_lift() -> dict[str, list[str]]:
    from .exercises import get_lift

    return {lift: [r.id for r in get_lift(lift).rules] for lift in sorted({k.lift for k in KINDS})}


def fault_units() -> dict[str, str]:
    from .synth.faults import FAULTS

    return {name: f.unit for name, f in FAULTS.items()}


def run(
    folder: str | Path,
    config: Any,
    grid_name: str = "full",
    kinds: Sequence[str] | None = None,
    on_clip: Callable[[str], None] | None = None,
) -> SensitivityResult:
    """Render (or re-read) the grid ``grid_name`` (:data:`GRIDS`) in ``folder``, analyse every clip and summarise."""
    from .errors import FormcheckError

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    grid = GRIDS[grid_name]
    chosen = [k for k in KINDS if kinds is None or k.kind in kinds]
    jobs = clip_jobs(grid, chosen)
    started = time.monotonic()
    outcomes: list[RepOutcome] = []
    for n, job in enumerate(jobs, 1):
        mp4, label, rendered = ensure_clip(job, grid, folder)
        try:
            analysis = analyse_clip(mp4, config)
        except FormcheckError:
            analysis = None
        outcomes += rep_outcomes(job, label, analysis)
        if on_clip is not None:
            state = "rendered" if rendered else "re-read"
            lift = "analysis failed" if analysis is None else f"{analysis.exercise.label}, {len(analysis.reps)} reps"
            on_clip(f"[{n}/{len(jobs)} {time.monotonic() - started:.0f} s] {job.name} ({state}): {lift}")
    result = summarise(outcomes, rules_by_lift(), chosen)
    result.grid, result.seconds, result.clips = grid.name, time.monotonic() - started, len(jobs)
    (folder / "outcomes.json").write_text(json.dumps([asdict(o) for o in outcomes], indent=None) + "\n")
    return result


def write_outputs(result: SensitivityResult, folder: Path, markdown: Path | None = None) -> tuple[Path, Path]:
    """sensitivity.md (or ``markdown``), sensitivity.svg and sensitivity.json in ``folder``."""
    units = fault_units()
    md = markdown or folder / "sensitivity.md"
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(to_markdown(result, units))
    svg = folder / "sensitivity.svg"
    svg.write_text(to_svg(result, units))
    (folder / "sensitivity.json").write_text(json.dumps(result.to_json(), indent=1) + "\n")
    return md, svg
