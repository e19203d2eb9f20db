"""The parametric lifter: proportions, build, colours, and its SDF primitives.

Segment lengths are fractions of stature from standard anthropometric tables
(Drillis & Contini, as tabulated by Winter); girths are metres for a
1.75 m person of average build, scaled by height and ``build``. The head is a
skull, jaw, nose, ears, eyes, brows, mouth and a hair cap: MediaPipe's person
detector keys on the face, and a realistic head is what makes it find the
synthetic lifter.

:func:`body_prims` dresses one frame of a pose (see :mod:`.motion`) in about
fifty primitives. Sagittal points are (x, y) with x forward and y up; the
lifter's right side is +z.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import primitives as P

RGB = tuple[float, float, float]

#: Height the girths below are given for, metres.
REFERENCE_HEIGHT_M = 1.75

# Segment lengths as fractions of stature.
ANKLE_HEIGHT = 0.039
SHIN = 0.246
THIGH = 0.245
TRUNK = 0.288              # hip joint to shoulder joint
SHOULDER_TO_EAR = 0.107    # shoulder joint height to ear canal height
UPPER_ARM = 0.186
FOREARM = 0.146
WRIST_TO_GRIP = 0.040      # wrist joint to the middle of a closed fist
HEEL_BACK = 0.034          # back of the heel behind the ankle joint
TOE_FRONT = 0.118          # toe tip in front of the ankle joint
HIP_HALF_WIDTH = 0.050     # hip joint centres apart / 2
SHOULDER_HALF_WIDTH = 0.108  # shoulder joint centres apart / 2
LEG_FRACTION = SHIN + THIGH

#: Smooth-union radius between skin-covered parts, metres.
SKIN_BLEND = 0.025
#: Smaller blends for the face details.
FACE_BLEND = 0.012
NOSE_BLEND = 0.006


@dataclass(frozen=True)
class BodySpec:
    """What the lifter looks like. Colours are sRGB in 0..1."""

    height_m: float = 1.75
    #: Girth multiplier: 0.85 slim, 1.0 average, 1.25 heavy.
    build: float = 1.0
    #: Leg length multiplier (the trunk absorbs the difference, stature is kept).
    leg_ratio: float = 1.0
    skin: RGB = (0.80, 0.60, 0.48)
    hair: RGB = (0.17, 0.12, 0.09)
    shirt: RGB = (0.22, 0.36, 0.58)
    shorts: RGB = (0.16, 0.16, 0.18)
    shoes: RGB = (0.86, 0.86, 0.84)

    @classmethod
    def sample(cls, rng: np.random.Generator) -> "BodySpec":
        """A plausible random lifter (height, build, leg ratio and colours)."""
        skins = [(0.93, 0.76, 0.65), (0.80, 0.60, 0.48), (0.62, 0.44, 0.33), (0.42, 0.29, 0.21)]
        hairs = [(0.12, 0.09, 0.07), (0.30, 0.20, 0.12), (0.55, 0.40, 0.22), (0.05, 0.05, 0.05)]
        clothes = [(0.22, 0.36, 0.58), (0.65, 0.15, 0.15), (0.20, 0.45, 0.30), (0.85, 0.85, 0.85),
                   (0.12, 0.12, 0.14), (0.55, 0.50, 0.62)]
        shirt, shorts = rng.choice(len(clothes), size=2, replace=False)
        return cls(
            height_m=float(rng.uniform(1.58, 1.92)), build=float(rng.uniform(0.88, 1.2)),
            leg_ratio=float(rng.uniform(0.95, 1.05)), skin=skins[rng.integers(len(skins))],
            hair=hairs[rng.integers(len(hairs))], shirt=clothes[shirt], shorts=clothes[shorts],
            shoes=clothes[rng.integers(len(clothes))],
        )


@dataclass(frozen=True)
class Dimensions:
    """Lengths in metres derived from a :class:`BodySpec`."""

    height: float
    ankle_height: float
    shin: float
    thigh: float
    trunk: float
    shoulder_to_ear: float
    upper_arm: float
    forearm: float
    wrist_to_grip: float
    heel_back: float
    toe_front: float
    hip_half_width: float
    shoulder_half_width: float
    #: Multiplier on reference girths (stature ratio times build).
    girth: float
    #: Multiplier on reference head sizes (heads vary less than stature).
    head: float
    scale: float = field(default=1.0)

    @property
    def leg(self) -> float:
        return self.thigh + self.shin

    @property
    def arm_to_grip(self) -> float:
        return self.upper_arm + self.forearm + self.wrist_to_grip


def dimensions(spec: BodySpec) -> Dimensions:
    """Segment lengths and size multipliers of a lifter."""
    h = spec.height_m
    legs = LEG_FRACTION * h * spec.leg_ratio
    extra = LEG_FRACTION * h - legs
    scale = h / REFERENCE_HEIGHT_M
    return Dimensions(
        height=h, ankle_height=ANKLE_HEIGHT * h, shin=legs * SHIN / LEG_FRACTION,
        thigh=legs * THIGH / LEG_FRACTION, trunk=TRUNK * h + extra, shoulder_to_ear=SHOULDER_TO_EAR * h,
        upper_arm=UPPER_ARM * h, forearm=FOREARM * h, wrist_to_grip=WRIST_TO_GRIP * h,
        heel_back=HEEL_BACK * h, toe_front=TOE_FRONT * h, hip_half_width=HIP_HALF_WIDTH * h,
        shoulder_half_width=SHOULDER_HALF_WIDTH * h, girth=scale * spec.build, head=scale ** 0.4, scale=scale,
    )


# ---------------------------------------------------------------- geometry helpers

def _v3(xy, z: float = 0.0) -> np.ndarray:
    return np.array([xy[0], xy[1], z], dtype=float)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def anterior(axial_xy) -> np.ndarray:
    """The front side of a segment whose axis points along ``axial_xy`` (axis turned clockwise)."""
    return np.array([axial_xy[1], -axial_xy[0]], dtype=float)


def _mix(a: RGB, b: RGB, w: float) -> RGB:
    return tuple(float((1 - w) * x + w * y) for x, y in zip(a, b))


# ---------------------------------------------------------------- head

@dataclass(frozen=True)
class HeadFrame:
    """Where the head is: ear-canal midpoint, cranial axis and face direction (sagittal)."""

    ear: np.ndarray
    up: np.ndarray
    face: np.ndarray

    def point(self, forward: float, up: float, right: float, scale: float) -> np.ndarray:
        """A point of the head given in metres (reference head) forward, up and to the right."""
        xy = self.ear + scale * (forward * self.face + up * self.up)
        return _v3(xy, scale * right)


#: Head landmarks relative to the ear canal: (forward, up, right) metres.
NOSE_TIP = (0.128, -0.018, 0.0)
EYE = (0.093, 0.020, 0.032)
MOUTH_CORNER = (0.108, -0.056, 0.022)
EAR = (0.0, 0.0, 0.076)


def head_frame(ear_xy, up_xy) -> HeadFrame:
    up = _unit(up_xy)
    return HeadFrame(ear=np.asarray(ear_xy, dtype=float), up=up, face=anterior(up))


def _head_prims(hf: HeadFrame, dims: Dimensions, spec: BodySpec) -> tuple[list[P.Prim], list[P.Prim]]:
    """(skin parts blended with the body, hard-edged details drawn after)."""
    s = dims.head
    axes = P.sagittal_axes(hf.up)
    pt = lambda f, u, r=0.0: hf.point(f, u, r, s)  # noqa: E731
    ear_color = _mix(spec.skin, (0.75, 0.45, 0.42), 0.15)
    lips = _mix(spec.skin, (0.62, 0.28, 0.30), 0.45)
    dark = (0.07, 0.05, 0.05)
    skin = [
        P.ellipsoid(pt(0.005, 0.035), (0.098 * s, 0.095 * s, 0.077 * s), axes, spec.skin, blend=FACE_BLEND),
        P.ellipsoid(pt(0.060, -0.040), (0.060 * s, 0.066 * s, 0.058 * s), axes, spec.skin, blend=FACE_BLEND),
        P.cone(pt(0.098, 0.012), pt(NOSE_TIP[0] - 0.008, NOSE_TIP[1] + 0.004), 0.010 * s, 0.009 * s,
               spec.skin, blend=NOSE_BLEND),
    ]
    for side in (1.0, -1.0):
        skin.append(P.ellipsoid(pt(-0.004, 0.0, side * EAR[2]), (0.030 * s, 0.033 * s, 0.013 * s), axes,
                                ear_color, blend=NOSE_BLEND))
    hard = [P.ellipsoid(pt(-0.008, 0.047), (0.101 * s, 0.093 * s, 0.081 * s), axes, spec.hair)]
    for side in (1.0, -1.0):
        hard.append(P.sphere(pt(EYE[0], EYE[1], side * EYE[2]), 0.0115 * s, dark))
        hard.append(P.cone(pt(0.096, 0.043, side * 0.014), pt(0.089, 0.045, side * 0.050), 0.0065 * s,
                           0.005 * s, spec.hair))
    hard.append(P.cone(pt(MOUTH_CORNER[0], MOUTH_CORNER[1], MOUTH_CORNER[2]),
                       pt(MOUTH_CORNER[0], MOUTH_CORNER[1], -MOUTH_CORNER[2]), 0.0065 * s, 0.0065 * s, lips))
    return skin, hard


# ---------------------------------------------------------------- body

def _torso_prims(pose: dict, dims: Dimensions, spec: BodySpec) -> list[P.Prim]:
    g, k = dims.girth, SKIN_BLEND
    sh, hip = pose["shoulder"], pose["hip"]
    uc, up = pose["chest_u"], pose["pelvis_u"]
    ac, ap = anterior(uc), anterior(up)
    chest_axes, pelvis_axes = P.sagittal_axes(uc), P.sagittal_axes(up)
    on_chest = lambda a, u: sh + dims.scale * (a * ac + u * uc)  # noqa: E731
    on_pelvis = lambda a, u: hip + dims.scale * (a * ap + u * up)  # noqa: E731
    girdle_z = 0.15 * dims.scale
    prims = [
        P.ellipsoid(_v3(on_chest(-0.005, -0.15)), (0.105 * g, 0.17 * g, 0.155 * g), chest_axes, spec.shirt, blend=k),
        P.cone(_v3(on_chest(-0.01, -0.035), -girdle_z), _v3(on_chest(-0.01, -0.035), girdle_z), 0.065 * g,
               0.065 * g, spec.shirt, blend=k),
        P.ellipsoid(_v3(on_pelvis(0.005, 0.20)), (0.095 * g, 0.11 * g, 0.135 * g), pelvis_axes, spec.shorts,
                    color2=spec.shirt, split=0.25, blend=k),
        P.ellipsoid(_v3(on_pelvis(0.0, 0.05)), (0.105 * g, 0.105 * g, 0.165 * g), pelvis_axes, spec.shorts, blend=k),
    ]
    neck_base = _v3(on_chest(-0.01, 0.03))
    for side in (1.0, -1.0):
        prims.append(P.cone(neck_base, _v3(on_chest(-0.015, 0.0), side * 0.14 * dims.scale), 0.045 * g, 0.04 * g,
                            spec.shirt, blend=k))
        prims.append(P.ellipsoid(_v3(on_pelvis(-0.065, -0.005), side * 0.075 * dims.scale),
                                 (0.075 * g, 0.085 * g, 0.08 * g), pelvis_axes, spec.shorts, blend=k))
    return prims


def _leg_prims(pose: dict, dims: Dimensions, spec: BodySpec, side: float) -> list[P.Prim]:
    g, k, z = dims.girth, SKIN_BLEND, side * dims.hip_half_width
    hip, knee, ankle = pose["hip"], pose["knee"], pose["ankle"]
    thigh_u, shin_u = _unit(hip - knee), _unit(knee - ankle)
    quad = hip + 0.45 * (knee - hip) + 0.015 * dims.scale * anterior(thigh_u)
    calf = knee + 0.30 * (ankle - knee) - 0.025 * dims.scale * anterior(shin_u)
    return [
        P.cone(_v3(hip, z), _v3(knee, z), 0.080 * g, 0.052 * g, spec.shorts, color2=spec.skin, split=0.45, blend=k),
        P.ellipsoid(_v3(quad, z), (0.062 * g, 0.16 * dims.scale, 0.065 * g), P.sagittal_axes(thigh_u), spec.skin,
                    color2=spec.shorts, split=0.5, blend=k),
        P.sphere(_v3(knee, z), 0.050 * g, spec.skin, blend=k),
        P.cone(_v3(knee, z), _v3(ankle, z), 0.047 * g, 0.032 * g, spec.skin, blend=k),
        P.ellipsoid(_v3(calf, z), (0.052 * g, 0.11 * dims.scale, 0.05 * g), P.sagittal_axes(shin_u), spec.skin,
                    blend=k),
    ] + _shoe_prims(pose, dims, spec, z)


#: Shoe shape, metres for the reference body: heel and toe-box radii, sole thickness.
SHOE_HEEL_RADIUS = 0.042
SHOE_TOE_RADIUS = 0.026
SOLE_HALF_THICKNESS = 0.011
SOLE_COLOR = (0.25, 0.25, 0.27)
SOCK_COLOR = (0.92, 0.92, 0.92)


def _shoe_prims(pose: dict, dims: Dimensions, spec: BodySpec, z: float) -> list[P.Prim]:
    """A low trainer: tapered upper from heel to toe on a flat sole, a sock at the ankle."""
    s = dims.scale
    heel_x, toe_x, ankle = float(pose["heel"][0]), float(pose["toe"][0]), pose["ankle"]
    sole_top = 2.0 * SOLE_HALF_THICKNESS * s
    heel_c = (heel_x + SHOE_HEEL_RADIUS * s, sole_top + 0.7 * SHOE_HEEL_RADIUS * s, z)
    toe_c = (toe_x - SHOE_TOE_RADIUS * s, sole_top + 0.5 * SHOE_TOE_RADIUS * s, z)
    sole_c = (0.5 * (heel_x + toe_x), SOLE_HALF_THICKNESS * s, z)
    sole_half = (0.5 * (toe_x - heel_x) - 0.005 * s, SOLE_HALF_THICKNESS * s, 0.044 * dims.girth)
    return [
        P.sphere(_v3(ankle, z), 0.036 * dims.girth, SOCK_COLOR, blend=0.02),
        P.cone(heel_c, toe_c, SHOE_HEEL_RADIUS * s, SHOE_TOE_RADIUS * s, spec.shoes, blend=0.03),
        P.box(sole_c, sole_half, P.sagittal_axes((0.0, 1.0)), 0.008 * s, SOLE_COLOR),
    ]


def _arm_prims(pose: dict, dims: Dimensions, spec: BodySpec, side: float) -> list[P.Prim]:
    g, k = dims.girth, SKIN_BLEND
    zs, zh = side * dims.shoulder_half_width, side * float(pose["hand_z"])
    ze = 0.5 * (zs + zh)
    sh, el, wr, grip = pose["shoulder"], pose["elbow"], pose["wrist"], pose["grip"]
    fist_axes = P.sagittal_axes(_unit(wr - grip))
    return [
        P.ellipsoid(_v3(sh + 0.01 * dims.scale * pose["chest_u"], zs + side * 0.01 * dims.scale),
                    (0.055 * g, 0.06 * g, 0.05 * g), P.sagittal_axes(_unit(sh - el)), spec.shirt, blend=k),
        P.cone(_v3(sh, zs), _v3(el, ze), 0.046 * g, 0.036 * g, spec.shirt, color2=spec.skin, split=0.4, blend=k),
        P.cone(_v3(el, ze), _v3(wr, zh), 0.038 * g, 0.026 * g, spec.skin, blend=k),
        P.cone(_v3(wr, zh), _v3(grip, zh), 0.024 * g, 0.03 * g, spec.skin, blend=0.015),
        P.ellipsoid(_v3(grip, zh), (0.04 * g, 0.045 * g, 0.045 * g), fist_axes, spec.skin, blend=0.015),
    ]


def body_prims(pose: dict, dims: Dimensions, spec: BodySpec) -> list[P.Prim]:
    """Primitives of the lifter in one frame.

    ``pose`` maps names to sagittal (x, y) arrays: ``ankle knee hip shoulder
    elbow wrist grip ear heel toe`` points, ``chest_u pelvis_u head_u`` unit
    axes, and ``hand_z`` (lateral distance of each hand from the midline).
    """
    head_skin, head_hard = _head_prims(head_frame(pose["ear"], pose["head_u"]), dims, spec)
    neck_top = head_frame(pose["ear"], pose["head_u"]).point(-0.03, -0.03, 0.0, dims.head)
    neck = P.cone(_v3(pose["shoulder"] + 0.02 * dims.scale * pose["chest_u"]), neck_top, 0.058 * dims.girth,
                  0.05 * dims.girth, spec.skin, blend=SKIN_BLEND)
    prims = _torso_prims(pose, dims, spec) + [neck] + head_skin
    for side in (1.0, -1.0):
        prims += _leg_prims(pose, dims, spec, side) + _arm_prims(pose, dims, spec, side)
    return prims + head_hard
