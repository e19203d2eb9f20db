"""Technique faults as changes to a rep plan (COACHING.md, "Rules").

Each fault is a pure function from a clean rep plan to a faulty one; its
magnitude is a named constant below. Faults are injected per rep (1-based
indices); several faults may hit the same rep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .motion import HipThrustRep, RdlRep, Rep

# RDL
#: Extra knee flexion reached at the bottom when the knees bend (squat-hinge hybrid), degrees.
KNEE_BEND_EXTRA_DEG = 22.0
#: Shin incline at the bottom when the knees travel forward, degrees.
KNEE_BEND_SHIN_DEG = 13.0
#: The torso stays this much more upright when the knees take over, degrees.
KNEE_BEND_LESS_HINGE_DEG = 8.0
#: Knee flexion of locked knees at the top, and at the bottom of a stiff-legged descent, degrees.
LOCKED_KNEE_TOP_DEG = 0.5
LOCKED_KNEE_BOTTOM_DEG = 2.5
LOCKED_SHIN_TOP_DEG = 0.3
LOCKED_SHIN_BOTTOM_DEG = -6.0
#: Bar distance from the legs added at the bottom when it drifts, fraction of leg length.
BAR_DRIFT_LEG = 0.17
#: Duration of a rushed eccentric, seconds (rdl.tempo flags under about 1.0 s).
RUSHED_ECCENTRIC_S = 0.45

# Hip thrust
#: Neck flexion at the top with the head cranked back (negative = extension), degrees.
HEAD_BACK_NECK_DEG = -30.0
#: Neck flexion at the top with the chin jammed into the chest, degrees.
CHIN_TUCK_NECK_DEG = 60.0
#: Hips above the shoulder-knee line at the top when arching, degrees.
OVEREXTENSION_LINE_DEV_DEG = 15.0
#: Lumbar extension drawn with it, degrees.
OVEREXTENSION_LUMBAR_DEG = 18.0
#: Hip angle at the top of a partial rep, degrees.
PARTIAL_TOP_HIP_DEG = 145.0
#: Knee angle at the top with the feet too far out, degrees.
FEET_FAR_TOP_KNEE_DEG = 125.0


@dataclass(frozen=True)
class Fault:
    name: str
    lift: str
    description: str
    apply: Callable[[Rep], Rep]


def _tag(rep: Rep, name: str, **changes) -> Rep:
    return replace(rep, faults=rep.faults + (name,), **changes)


def _knees_bend(rep: RdlRep) -> RdlRep:
    return _tag(
        rep,
        "knees_bend",
        knee_bottom_deg=rep.knee_top_deg + KNEE_BEND_EXTRA_DEG,
        shin_bottom_deg=KNEE_BEND_SHIN_DEG,
        theta_bottom_deg=rep.theta_bottom_deg - KNEE_BEND_LESS_HINGE_DEG,
    )


def _knees_locked(rep: RdlRep) -> RdlRep:
    return _tag(
        rep,
        "knees_locked",
        knee_top_deg=LOCKED_KNEE_TOP_DEG,
        knee_bottom_deg=LOCKED_KNEE_BOTTOM_DEG,
        shin_top_deg=LOCKED_SHIN_TOP_DEG,
        shin_bottom_deg=LOCKED_SHIN_BOTTOM_DEG,
    )


def _bar_drift(rep: RdlRep) -> RdlRep:
    return _tag(rep, "bar_drift", bar_gap_leg=BAR_DRIFT_LEG)


def _rushed(rep: RdlRep) -> RdlRep:
    return _tag(rep, "rushed", timing=replace(rep.timing, eccentric_s=RUSHED_ECCENTRIC_S))


def _head_back(rep: HipThrustRep) -> HipThrustRep:
    return _tag(rep, "head_back", neck_top_deg=HEAD_BACK_NECK_DEG)


def _chin_tuck(rep: HipThrustRep) -> HipThrustRep:
    return _tag(rep, "chin_tuck", neck_top_deg=CHIN_TUCK_NECK_DEG)


def _overextension(rep: HipThrustRep) -> HipThrustRep:
    return _tag(
        rep, "overextension", top_line_dev_deg=OVEREXTENSION_LINE_DEV_DEG, top_lumbar_deg=OVEREXTENSION_LUMBAR_DEG
    )


def _partial(rep: HipThrustRep) -> HipThrustRep:
    return _tag(rep, "partial", top_hip_deg=PARTIAL_TOP_HIP_DEG)


def _shins(rep: HipThrustRep) -> HipThrustRep:
    return _tag(rep, "shins", top_knee_deg=FEET_FAR_TOP_KNEE_DEG)


FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        Fault("knees_bend", "rdl", "knees bend ~20 deg more during the descent and travel forward", _knees_bend),
        Fault("knees_locked", "rdl", "knees locked straight at the top (stiff legs)", _knees_locked),
        Fault("bar_drift", "rdl", "bar drifts forward, away from the legs, on the way down", _bar_drift),
        Fault("rushed", "rdl", f"eccentric in {RUSHED_ECCENTRIC_S} s", _rushed),
        Fault("head_back", "hip_thrust", "head cranked back at the top (neck extension ~30 deg)", _head_back),
        Fault("chin_tuck", "hip_thrust", "chin jammed into the chest at the top (neck flexion ~60 deg)", _chin_tuck),
        Fault("overextension", "hip_thrust", "lumbar arch: hips ~15 deg above the shoulder-knee line", _overextension),
        Fault("partial", "hip_thrust", f"stops short: top hip angle ~{PARTIAL_TOP_HIP_DEG:.0f} deg", _partial),
        Fault(
            "shins", "hip_thrust", f"feet too far out: knee angle ~{FEET_FAR_TOP_KNEE_DEG:.0f} deg at the top", _shins
        ),
    )
}


def faults_for(lift: str) -> list[str]:
    """Names of the faults a lift can show."""
    return [name for name, f in FAULTS.items() if f.lift == lift]


def validate(lift: str, fault_reps: dict[str, tuple[int, ...]], n_reps: int) -> None:
    """Raise ValueError for an unknown fault, a fault of the other lift, or a rep out of range."""
    for name, reps in fault_reps.items():
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; {lift} faults: {', '.join(faults_for(lift))}")
        if FAULTS[name].lift != lift:
            raise ValueError(f"fault {name!r} belongs to {FAULTS[name].lift}, not {lift}")
        bad = [r for r in reps if not 1 <= r <= n_reps]
        if bad:
            raise ValueError(f"fault {name!r}: rep(s) {bad} outside 1..{n_reps}")


def apply_faults(reps: list[Rep], fault_reps: dict[str, tuple[int, ...]]) -> list[Rep]:
    """Rep plans with the faults injected; ``fault_reps`` maps fault name -> 1-based rep indices."""
    out = list(reps)
    for name in sorted(fault_reps):
        for index in sorted(set(fault_reps[name])):
            out[index - 1] = FAULTS[name].apply(out[index - 1])
    return out


def parse_fault(text: str, n_reps: int) -> tuple[str, tuple[int, ...]]:
    """``"knees_bend@2,3"`` -> ("knees_bend", (2, 3)); a bare name means every rep."""
    name, _, reps = text.partition("@")
    if not reps:
        return name.strip(), tuple(range(1, n_reps + 1))
    try:
        return name.strip(), tuple(int(r) for r in reps.split(",") if r.strip())
    except ValueError:
        raise ValueError(f"bad fault {text!r}: expected NAME or NAME@REP[,REP...]") from None
