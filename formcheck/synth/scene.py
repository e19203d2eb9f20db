"""Props (barbell, plates, bench) and the assembly of one frame's primitives.

Full-size 45 cm plates in a pure side view hide the hip and knee from the
camera; the default plates are small (:data:`SMALL_PLATE_RADIUS_M`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import primitives as P
from .body import BodySpec, Dimensions, body_prims
from .motion import BAR_RADIUS, BENCH_DEPTH, BENCH_HEIGHT, Skeleton

#: Plate radii, metres: small iron plates (default) and full-size bumpers.
SMALL_PLATE_RADIUS_M = 0.115
FULL_PLATE_RADIUS_M = 0.225

# Olympic bar along z, metres.
BAR_HALF_LENGTH = 1.1
SHAFT_HALF_LENGTH = 0.655
SLEEVE_RADIUS = 0.025
COLLAR_RADIUS = 0.036
COLLAR_WIDTH = 0.02
PLATE_THICKNESS = 0.035
PLATE_GAP = 0.005

# Bench, metres: pad thickness, pad half length (z), legs.
BENCH_PAD_THICKNESS = 0.075
BENCH_HALF_LENGTH = 0.55
BENCH_LEG_Z = 0.42
BENCH_LEG_HALF = 0.03

STEEL = (0.55, 0.56, 0.58)
SLEEVE_STEEL = (0.72, 0.72, 0.74)
PLATE_COLOR = (0.13, 0.13, 0.14)
PAD_COLOR = (0.10, 0.10, 0.12)
FRAME_COLOR = (0.30, 0.31, 0.34)
METAL_SPECULAR = 0.6
PAD_SPECULAR = 0.15

IDENTITY_AXES = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


@dataclass(frozen=True)
class Props:
    """Equipment in the scene."""

    plate_radius_m: float = SMALL_PLATE_RADIUS_M
    bench: bool = False


def plate_z_range() -> tuple[float, float]:
    """Inner and outer z of the plate on the right (+z) sleeve."""
    inner = SHAFT_HALF_LENGTH + COLLAR_WIDTH + PLATE_GAP
    return inner, inner + PLATE_THICKNESS


def barbell_prims(bar_xy: np.ndarray, plate_radius: float) -> list[P.Prim]:
    x, y = float(bar_xy[0]), float(bar_xy[1])
    at = lambda z: (x, y, z)  # noqa: E731
    prims = [P.cylinder(at(-SHAFT_HALF_LENGTH), at(SHAFT_HALF_LENGTH), BAR_RADIUS, STEEL, specular=METAL_SPECULAR)]
    inner, outer = plate_z_range()
    for s in (1.0, -1.0):
        prims += [
            P.cylinder(
                at(s * SHAFT_HALF_LENGTH),
                at(s * (SHAFT_HALF_LENGTH + COLLAR_WIDTH)),
                COLLAR_RADIUS,
                SLEEVE_STEEL,
                specular=METAL_SPECULAR,
            ),
            P.cylinder(
                at(s * (SHAFT_HALF_LENGTH + COLLAR_WIDTH)),
                at(s * BAR_HALF_LENGTH),
                SLEEVE_RADIUS,
                SLEEVE_STEEL,
                specular=METAL_SPECULAR,
            ),
            P.cylinder(at(s * inner), at(s * outer), plate_radius, PLATE_COLOR, specular=0.1),
        ]
    return prims


def bench_prims() -> list[P.Prim]:
    """A flat bench used crosswise: its front edge (where the back rests) at x = 0."""
    cx = -0.5 * BENCH_DEPTH
    pad = P.box(
        (cx, BENCH_HEIGHT - 0.5 * BENCH_PAD_THICKNESS, 0.0),
        (0.5 * BENCH_DEPTH, 0.5 * BENCH_PAD_THICKNESS, BENCH_HALF_LENGTH),
        IDENTITY_AXES,
        0.015,
        PAD_COLOR,
        specular=PAD_SPECULAR,
    )
    leg_h = 0.5 * (BENCH_HEIGHT - BENCH_PAD_THICKNESS)
    prims = [
        pad,
        P.box(
            (cx, BENCH_HEIGHT - BENCH_PAD_THICKNESS - 0.02, 0.0),
            (0.04, 0.02, BENCH_LEG_Z + 0.03),
            IDENTITY_AXES,
            0.005,
            FRAME_COLOR,
            specular=METAL_SPECULAR,
        ),
    ]
    for s in (1.0, -1.0):
        prims.append(
            P.box(
                (cx, leg_h, s * BENCH_LEG_Z),
                (BENCH_LEG_HALF, leg_h, BENCH_LEG_HALF),
                IDENTITY_AXES,
                0.005,
                FRAME_COLOR,
                specular=METAL_SPECULAR,
            )
        )
        prims.append(
            P.box(
                (cx, 0.02, s * BENCH_LEG_Z),
                (0.5 * BENCH_DEPTH, 0.02, BENCH_LEG_HALF),
                IDENTITY_AXES,
                0.005,
                FRAME_COLOR,
                specular=METAL_SPECULAR,
            )
        )
    return prims


def frame_prims(pose: dict, dims: Dimensions, body: BodySpec, props: Props) -> list[P.Prim]:
    """Everything drawn in one frame: the lifter first (smooth-blended), then hard-edged props."""
    prims = body_prims(pose, dims, body) + barbell_prims(pose["bar"], props.plate_radius_m)
    if props.bench:
        prims += bench_prims()
    return prims


#: Margin around the joints when framing the shot (limb girth, hair), metres.
FRAMING_PAD_M = 0.13


def content_points(skel: Skeleton, props: Props) -> np.ndarray:
    """World points that must stay in frame over the whole clip (joints, head, plates, bench)."""
    pts = skel.points
    names = ("ankle", "knee", "hip", "shoulder", "elbow", "wrist", "grip", "ear", "heel", "toe")
    xy = np.concatenate([pts[n] for n in names] + [pts["ear"] + 0.16 * pts["head_u"]])
    pad = np.array([[dx, dy] for dx in (-FRAMING_PAD_M, FRAMING_PAD_M) for dy in (-FRAMING_PAD_M, FRAMING_PAD_M)])
    body = (xy[:, None, :] + pad[None]).reshape(-1, 2)
    body = np.concatenate([body, np.zeros((len(body), 1))], axis=1)
    body[:, 1] = np.maximum(body[:, 1], 0.0)
    _, outer = plate_z_range()
    r = props.plate_radius_m
    rims = [
        np.array([x + dx, y + dy, s * outer])
        for x, y in pts["bar"][:: max(1, len(skel) // 20)]
        for dx, dy in ((r, 0), (-r, 0), (0, r), (0, -r))
        for s in (1.0, -1.0)
    ]
    extra = [np.array(rims)]
    if props.bench:
        extra.append(np.array([[-BENCH_DEPTH, 0.0, BENCH_HALF_LENGTH], [0.0, BENCH_HEIGHT, BENCH_HALF_LENGTH]]))
    return np.concatenate([body] + extra)
