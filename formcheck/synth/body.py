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

from dataclasses import dataclass, replace

import numpy as np

from . import primitives as P

RGB = tuple[float, float, float]

#: Height the girths below are given for, metres.
REFERENCE_HEIGHT_M = 1.75

# Segment lengths as fractions of stature.
ANKLE_HEIGHT = 0.039  # barefoot; shoes add their sole
SHIN = 0.246
THIGH = 0.245
TRUNK = 0.288  # hip joint to shoulder joint
SHOULDER_TO_EAR = 0.107  # shoulder joint height to ear canal height
UPPER_ARM = 0.186
FOREARM = 0.146
WRIST_TO_GRIP = 0.040  # wrist joint to the middle of a closed fist
HEEL_BACK = 0.034  # back of the heel behind the ankle joint
TOE_FRONT = 0.118  # toe tip in front of the ankle joint
HIP_HALF_WIDTH = 0.050  # hip joint centres apart / 2
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
    #: Sock colour; None shows bare ankles (no-show socks).
    socks: RGB | None = None

    @classmethod
    def sample(cls, rng: np.random.Generator) -> BodySpec:
        """A plausible random lifter (stature, build, leg ratio, colours) from the ranges below."""
        pick = lambda palette: palette[rng.integers(len(palette))]  # noqa: E731
        shirt, shorts = rng.choice(len(CLOTH_COLORS), size=2, replace=False)
        return cls(
            height_m=float(rng.uniform(*SAMPLE_HEIGHT_M)),
            build=float(rng.uniform(*SAMPLE_BUILD)),
            leg_ratio=float(rng.uniform(*SAMPLE_LEG_RATIO)),
            skin=pick(SKIN_TONES),
            hair=pick(HAIR_COLORS),
            shirt=CLOTH_COLORS[shirt],
            shorts=CLOTH_COLORS[shorts],
            shoes=pick(CLOTH_COLORS),
            socks=pick(SOCKS),
        )


#: Ranges and palettes of :meth:`BodySpec.sample`.
SAMPLE_HEIGHT_M = (1.58, 1.92)
SAMPLE_BUILD = (0.88, 1.2)
SAMPLE_LEG_RATIO = (0.95, 1.05)
SKIN_TONES = ((0.93, 0.76, 0.65), (0.80, 0.60, 0.48), (0.62, 0.44, 0.33), (0.42, 0.29, 0.21))
HAIR_COLORS = ((0.12, 0.09, 0.07), (0.30, 0.20, 0.12), (0.55, 0.40, 0.22), (0.05, 0.05, 0.05))
CLOTH_COLORS = (
    (0.22, 0.36, 0.58),
    (0.65, 0.15, 0.15),
    (0.20, 0.45, 0.30),
    (0.85, 0.85, 0.85),
    (0.12, 0.12, 0.14),
    (0.55, 0.50, 0.62),
)
SOCKS = (None, (0.92, 0.92, 0.92), (0.12, 0.12, 0.13))


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
    #: Stature relative to the reference body (lengths of the body parts below scale with it).
    scale: float = 1.0

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
        height=h,
        ankle_height=ANKLE_HEIGHT * h + 2.0 * SOLE_HALF_THICKNESS * scale,
        shin=legs * SHIN / LEG_FRACTION,
        thigh=legs * THIGH / LEG_FRACTION,
        trunk=TRUNK * h + extra,
        shoulder_to_ear=SHOULDER_TO_EAR * h,
        upper_arm=UPPER_ARM * h,
        forearm=FOREARM * h,
        wrist_to_grip=WRIST_TO_GRIP * h,
        heel_back=HEEL_BACK * h,
        toe_front=TOE_FRONT * h,
        hip_half_width=HIP_HALF_WIDTH * h,
        shoulder_half_width=SHOULDER_HALF_WIDTH * h,
        girth=scale * spec.build,
        head=scale**0.4,
        scale=scale,
    )


# ---------------------------------------------------------------- shape tables
#
# Sizes are metres for the reference body. Ellipsoids ("blobs") sit in a
# segment's frame: ``at`` = (anterior, along the axis) offset from the
# segment's anchor joint, ``radii`` = (anterior, axial, lateral) semi-axes,
# ``lateral`` = distance of a paired blob from the midline.


@dataclass(frozen=True)
class Blob:
    at: tuple[float, float]
    radii: tuple[float, float, float]
    lateral: float = 0.0


# Torso: the chest hangs from the shoulder line, the rest sits on the hip line.
RIBCAGE = Blob((-0.005, -0.15), (0.105, 0.17, 0.155))
ABDOMEN = Blob((0.005, 0.20), (0.095, 0.11, 0.135))
PELVIS = Blob((0.0, 0.05), (0.105, 0.105, 0.165))
GLUTE = Blob((-0.065, -0.005), (0.075, 0.085, 0.08), lateral=0.075)
#: Shoulder girdle: a capsule across the shoulders (offset from the shoulder line, radius, half length).
GIRDLE_AT, GIRDLE_RADIUS, GIRDLE_HALF = (-0.01, -0.035), 0.065, 0.15
#: Trapezius: capsules from the neck base to the tops of the shoulders.
TRAP_FROM, TRAP_TO, TRAP_RADII, TRAP_HALF = (-0.01, 0.03), (-0.015, 0.0), (0.045, 0.04), 0.14
#: Where the shirt ends on the abdomen (axial 0..1 from its bottom).
SHIRT_HEM = 0.25

# Limbs: tapered capsule radii (proximal, distal).
THIGH_RADII = (0.080, 0.052)
SHIN_RADII = (0.047, 0.032)
UPPER_ARM_RADII = (0.046, 0.036)
FOREARM_RADII = (0.038, 0.026)
HAND_RADII = (0.024, 0.030)
NECK_RADII = (0.058, 0.050)
KNEE_RADIUS = 0.050
#: Muscle bellies: fraction along the segment from its proximal joint, offset forward (+) or back (-), radii.
QUAD_AT, QUAD_FORWARD, QUAD_RADII = 0.45, 0.015, (0.062, 0.16, 0.065)
CALF_AT, CALF_FORWARD, CALF_RADII = 0.30, -0.025, (0.052, 0.11, 0.05)
DELTOID_UP, DELTOID_OUT, DELTOID_RADII = 0.01, 0.01, (0.055, 0.06, 0.05)
FIST_RADII = (0.04, 0.045, 0.045)
#: Where clothes end along a limb (0..1 from the proximal joint): shorts on the thigh, sleeves on the upper arm.
SHORTS_LEG = 0.45
SLEEVE = 0.4
#: Neck: from just above the shoulder line to below the back of the skull (head frame: forward, up).
NECK_BASE_UP = 0.02
NECK_TOP = (-0.03, -0.03)
HAND_BLEND = 0.015

# Head, in the head frame at the ear canal: (forward, up) offsets and radii.
SKULL = Blob((0.005, 0.035), (0.098, 0.095, 0.077))
JAW = Blob((0.060, -0.040), (0.060, 0.066, 0.058))
HAIR = Blob((-0.008, 0.047), (0.101, 0.093, 0.081))
EAR_SHELL = Blob((-0.004, 0.0), (0.030, 0.033, 0.013), lateral=0.076)
NOSE_BRIDGE, NOSE_RADII = (0.098, 0.012), (0.010, 0.009)
#: End of the nose capsule: its surface then reaches the nose-tip landmark.
NOSE_END = (0.120, -0.014)
EYE_RADIUS = 0.0115
BROW_INNER, BROW_OUTER, BROW_RADII = (0.096, 0.043, 0.014), (0.089, 0.045, 0.050), (0.0065, 0.005)
LIP_RADIUS = 0.0065
EYE_COLOR = (0.07, 0.05, 0.05)
EAR_TINT, EAR_TINT_WEIGHT = (0.75, 0.45, 0.42), 0.15
LIP_TINT, LIP_TINT_WEIGHT = (0.62, 0.28, 0.30), 0.45

#: Head landmarks relative to the ear canal: (forward, up, right) metres.
NOSE_TIP = (0.128, -0.018, 0.0)
EYE = (0.093, 0.020, 0.032)
MOUTH_CORNER = (0.108, -0.056, 0.022)
EAR = (0.0, 0.0, EAR_SHELL.lateral)

#: Shoe: heel and toe-box radii, sole half thickness, ankle sock.
SHOE_HEEL_RADIUS = 0.036
SHOE_TOE_RADIUS = 0.026
SOLE_HALF_THICKNESS = 0.011
SOLE_HALF_WIDTH = 0.044
SOLE_ROUNDING = 0.008
SOCK_RADIUS = 0.036
SHOE_BLEND = 0.03
SOLE_COLOR = (0.25, 0.25, 0.27)


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
    r, g, b_ = ((1 - w) * x + w * y for x, y in zip(a, b))
    return (float(r), float(g), float(b_))


@dataclass(frozen=True)
class SegmentFrame:
    """A body segment's frame in the sagittal plane: anchor joint and axis (anterior = axis turned clockwise)."""

    anchor: np.ndarray
    axis: np.ndarray

    def at(self, forward: float, along: float, scale: float) -> np.ndarray:
        return self.anchor + scale * (forward * anterior(self.axis) + along * self.axis)

    def blob(
        self, b: Blob, dims: Dimensions, color: RGB, *, side: float = 0.0, girth: float | None = None, **kw
    ) -> P.Prim:
        """Ellipsoid ``b`` in this frame; girth scales the anterior/lateral radii, stature the axial one."""
        gth = dims.girth if girth is None else girth
        centre = _v3(self.at(b.at[0], b.at[1], dims.scale), side * b.lateral * dims.scale)
        radii = (b.radii[0] * gth, b.radii[1] * dims.scale, b.radii[2] * gth)
        return P.ellipsoid(centre, radii, P.sagittal_axes(self.axis), color, **kw)


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

    def blob(self, b: Blob, scale: float, color: RGB, side: float = 0.0, **kw) -> P.Prim:
        return P.ellipsoid(
            self.point(b.at[0], b.at[1], side * b.lateral, scale),
            tuple(r * scale for r in b.radii),
            P.sagittal_axes(self.up),
            color,
            **kw,
        )


def head_frame(ear_xy, up_xy) -> HeadFrame:
    up = _unit(up_xy)
    return HeadFrame(ear=np.asarray(ear_xy, dtype=float), up=up, face=anterior(up))


def _head_prims(hf: HeadFrame, dims: Dimensions, spec: BodySpec) -> tuple[list[P.Prim], list[P.Prim]]:
    """(skin parts blended with the body, hard-edged details drawn after them)."""
    s = dims.head
    pt = lambda f, u, r=0.0: hf.point(f, u, r, s)  # noqa: E731
    skin = [
        hf.blob(SKULL, s, spec.skin, blend=FACE_BLEND),
        hf.blob(JAW, s, spec.skin, blend=FACE_BLEND),
        P.cone(pt(*NOSE_BRIDGE), pt(*NOSE_END), NOSE_RADII[0] * s, NOSE_RADII[1] * s, spec.skin, blend=NOSE_BLEND),
    ]
    ear_color = _mix(spec.skin, EAR_TINT, EAR_TINT_WEIGHT)
    skin += [hf.blob(EAR_SHELL, s, ear_color, side, blend=NOSE_BLEND) for side in (1.0, -1.0)]
    hard = [hf.blob(HAIR, s, spec.hair)]
    for side in (1.0, -1.0):
        hard.append(P.sphere(pt(EYE[0], EYE[1], side * EYE[2]), EYE_RADIUS * s, EYE_COLOR))
        hard.append(
            P.cone(
                pt(BROW_INNER[0], BROW_INNER[1], side * BROW_INNER[2]),
                pt(BROW_OUTER[0], BROW_OUTER[1], side * BROW_OUTER[2]),
                BROW_RADII[0] * s,
                BROW_RADII[1] * s,
                spec.hair,
            )
        )
    lips = _mix(spec.skin, LIP_TINT, LIP_TINT_WEIGHT)
    hard.append(
        P.cone(
            pt(*MOUTH_CORNER),
            pt(MOUTH_CORNER[0], MOUTH_CORNER[1], -MOUTH_CORNER[2]),
            LIP_RADIUS * s,
            LIP_RADIUS * s,
            lips,
        )
    )
    return skin, hard


# ---------------------------------------------------------------- body


def spine_frame(hip, pelvis_u, bend_deg: float, trunk: float, along: float) -> SegmentFrame:
    """Frame ``along`` metres up an evenly bent spine of length ``trunk`` from the hip.

    The spine leaves the hip along ``pelvis_u`` and turns ``bend_deg`` (flexion: towards the front,
    clockwise) evenly until the shoulders, so the chest axis is the pelvis axis turned by the whole bend.
    """
    u = np.asarray(pelvis_u, dtype=float)
    k = np.radians(bend_deg) / trunk
    ks = k * along
    point = np.asarray(hip, dtype=float) + (np.sin(ks) / k) * u + ((1.0 - np.cos(ks)) / k) * anterior(u)
    axis = np.cos(ks) * u + np.sin(ks) * anterior(u)
    return SegmentFrame(point, axis)


def _torso_prims(pose: dict, dims: Dimensions, spec: BodySpec) -> list[P.Prim]:
    g, k = dims.girth, SKIN_BLEND
    chest = SegmentFrame(pose["shoulder"], pose["chest_u"])
    pelvis = SegmentFrame(pose["hip"], pose["pelvis_u"])
    bend = float(pose.get("spine_deg", 0.0))
    if abs(bend) > 1e-6:  # a rounded back: the abdomen follows the arc between pelvis and chest
        waist = spine_frame(pose["hip"], pose["pelvis_u"], bend, dims.trunk, ABDOMEN.at[1] * dims.scale)
        abdomen = waist.blob(
            Blob((ABDOMEN.at[0], 0.0), ABDOMEN.radii), dims, spec.shorts, color2=spec.shirt, split=SHIRT_HEM, blend=k
        )
    else:
        abdomen = pelvis.blob(ABDOMEN, dims, spec.shorts, color2=spec.shirt, split=SHIRT_HEM, blend=k)
    girdle = chest.at(*GIRDLE_AT, dims.scale)
    prims = [
        chest.blob(RIBCAGE, dims, spec.shirt, blend=k),
        P.cone(
            _v3(girdle, -GIRDLE_HALF * dims.scale),
            _v3(girdle, GIRDLE_HALF * dims.scale),
            GIRDLE_RADIUS * g,
            GIRDLE_RADIUS * g,
            spec.shirt,
            blend=k,
        ),
        abdomen,
        pelvis.blob(PELVIS, dims, spec.shorts, blend=k),
    ]
    neck_base = _v3(chest.at(*TRAP_FROM, dims.scale))
    trap_end = chest.at(*TRAP_TO, dims.scale)
    for side in (1.0, -1.0):
        prims.append(
            P.cone(
                neck_base,
                _v3(trap_end, side * TRAP_HALF * dims.scale),
                TRAP_RADII[0] * g,
                TRAP_RADII[1] * g,
                spec.shirt,
                blend=k,
            )
        )
        prims.append(pelvis.blob(GLUTE, dims, spec.shorts, side=side, blend=k))
    return prims


def _leg_prims(pose: dict, dims: Dimensions, spec: BodySpec, side: float) -> list[P.Prim]:
    g, k = dims.girth, SKIN_BLEND
    zh, z = side * dims.hip_half_width, side * float(pose["foot_z"])
    zq = zh + QUAD_AT * (z - zh)
    hip, knee, ankle = pose["hip"], pose["knee"], pose["ankle"]
    thigh = SegmentFrame(hip + QUAD_AT * (knee - hip), _unit(hip - knee))
    shin = SegmentFrame(knee + CALF_AT * (ankle - knee), _unit(knee - ankle))
    quad = Blob((QUAD_FORWARD, 0.0), QUAD_RADII)
    calf = Blob((CALF_FORWARD, 0.0), CALF_RADII)
    return [
        P.cone(
            _v3(hip, zh),
            _v3(knee, z),
            THIGH_RADII[0] * g,
            THIGH_RADII[1] * g,
            spec.shorts,
            color2=spec.skin,
            split=SHORTS_LEG,
            blend=k,
        ),
        _lateral(thigh.blob(quad, dims, spec.skin, color2=spec.shorts, split=0.5, blend=k), zq),
        P.sphere(_v3(knee, z), KNEE_RADIUS * g, spec.skin, blend=k),
        P.cone(_v3(knee, z), _v3(ankle, z), SHIN_RADII[0] * g, SHIN_RADII[1] * g, spec.skin, blend=k),
        _lateral(shin.blob(calf, dims, spec.skin, blend=k), z),
    ] + _shoe_prims(pose, dims, spec, z)


def _lateral(p: P.Prim, z: float) -> P.Prim:
    """The same primitive moved to lateral position ``z`` (for blobs built on the midline)."""
    return replace(p, p0=(p.p0[0], p.p0[1], z))


def _shoe_prims(pose: dict, dims: Dimensions, spec: BodySpec, z: float) -> list[P.Prim]:
    """A low trainer: tapered upper from heel to toe on a flat sole; the ankle (bare or in a sock) above it."""
    s = dims.scale
    heel_x, toe_x, ankle = float(pose["heel"][0]), float(pose["toe"][0]), pose["ankle"]
    sole_top = 2.0 * SOLE_HALF_THICKNESS * s
    heel_c = (heel_x + SHOE_HEEL_RADIUS * s, sole_top + 0.7 * SHOE_HEEL_RADIUS * s, z)
    toe_c = (toe_x - SHOE_TOE_RADIUS * s, sole_top + 0.5 * SHOE_TOE_RADIUS * s, z)
    sole_c = (0.5 * (heel_x + toe_x), SOLE_HALF_THICKNESS * s, z)
    sole_half = (0.5 * (toe_x - heel_x) - SOLE_ROUNDING * s, SOLE_HALF_THICKNESS * s, SOLE_HALF_WIDTH * dims.girth)
    return [
        P.sphere(_v3(ankle, z), SOCK_RADIUS * dims.girth, spec.socks or spec.skin, blend=SKIN_BLEND),
        P.cone(heel_c, toe_c, SHOE_HEEL_RADIUS * s, SHOE_TOE_RADIUS * s, spec.shoes, blend=SHOE_BLEND),
        P.box(sole_c, sole_half, P.sagittal_axes((0.0, 1.0)), SOLE_ROUNDING * s, SOLE_COLOR),
    ]


def _arm_prims(pose: dict, dims: Dimensions, spec: BodySpec, side: float) -> list[P.Prim]:
    g, k = dims.girth, SKIN_BLEND
    zs, zh = side * dims.shoulder_half_width, side * float(pose["hand_z"])
    ze = 0.5 * (zs + zh)
    sh, el, wr, grip = pose["shoulder"], pose["elbow"], pose["wrist"], pose["grip"]
    deltoid = _v3(sh + DELTOID_UP * dims.scale * pose["chest_u"], zs + side * DELTOID_OUT * dims.scale)
    return [
        P.ellipsoid(deltoid, tuple(r * g for r in DELTOID_RADII), P.sagittal_axes(_unit(sh - el)), spec.shirt, blend=k),
        P.cone(
            _v3(sh, zs),
            _v3(el, ze),
            UPPER_ARM_RADII[0] * g,
            UPPER_ARM_RADII[1] * g,
            spec.shirt,
            color2=spec.skin,
            split=SLEEVE,
            blend=k,
        ),
        P.cone(_v3(el, ze), _v3(wr, zh), FOREARM_RADII[0] * g, FOREARM_RADII[1] * g, spec.skin, blend=k),
        P.cone(_v3(wr, zh), _v3(grip, zh), HAND_RADII[0] * g, HAND_RADII[1] * g, spec.skin, blend=HAND_BLEND),
        P.ellipsoid(
            _v3(grip, zh),
            tuple(r * g for r in FIST_RADII),
            P.sagittal_axes(_unit(wr - grip)),
            spec.skin,
            blend=HAND_BLEND,
        ),
    ]


def body_prims(pose: dict, dims: Dimensions, spec: BodySpec) -> list[P.Prim]:
    """Primitives of the lifter in one frame.

    ``pose`` maps names to sagittal (x, y) arrays: ``ankle knee hip shoulder
    elbow wrist grip ear heel toe`` points, ``chest_u pelvis_u head_u`` unit
    axes, ``hand_z`` and ``foot_z`` (distances of the hands, and of the knees
    and feet, from the midline).
    Skin-covered parts come first (smooth-blended), hard-edged details last.
    """
    hf = head_frame(pose["ear"], pose["head_u"])
    head_skin, head_hard = _head_prims(hf, dims, spec)
    neck = P.cone(
        _v3(pose["shoulder"] + NECK_BASE_UP * dims.scale * pose["chest_u"]),
        hf.point(NECK_TOP[0], NECK_TOP[1], 0.0, dims.head),
        NECK_RADII[0] * dims.girth,
        NECK_RADII[1] * dims.girth,
        spec.skin,
        blend=SKIN_BLEND,
    )
    prims = _torso_prims(pose, dims, spec) + [neck] + head_skin
    for side in (1.0, -1.0):
        prims += _leg_prims(pose, dims, spec, side) + _arm_prims(pose, dims, spec, side)
    return prims + head_hard
