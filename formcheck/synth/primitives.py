"""Signed-distance primitives of the scene and their packing into flat arrays.

A scene is a list of :class:`Prim`; :func:`pack` turns it into the arrays the
numba ray-marcher in :mod:`.render` reads. Coordinates are metres in the world
frame: x forward (where the lifter faces), y up, z towards the lifter's right
(and towards the camera).

Each primitive has two colours and a split: a point whose axial coordinate
``t`` (0..1 from one end of the shape to the other) is below ``split`` gets
``color``, otherwise ``color2``. That is how clothes end along a limb.
``blend`` > 0 smooth-unions the primitive with everything before it (skin over
joints); 0 is a hard union (props, hair, eyes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPHERE, ROUND_CONE, ELLIPSOID, ROUND_BOX, CYLINDER = 0, 1, 2, 3, 4

#: Columns of the packed geometry array (see :func:`pack`).
GEO_COLS = 16
#: A split value no axial coordinate reaches: the primitive has one colour.
NO_SPLIT = 2.0


@dataclass(frozen=True)
class Prim:
    """One SDF primitive; ``p0``/``p1``/``size``/``axes`` mean what its kind needs."""

    kind: int
    p0: tuple[float, float, float]
    p1: tuple[float, float, float] = (0.0, 0.0, 0.0)
    size: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rounding: float = 0.0
    axes: tuple[tuple[float, float, float], ...] = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    color: tuple[float, float, float] = (0.5, 0.5, 0.5)
    color2: tuple[float, float, float] | None = None
    split: float = NO_SPLIT
    blend: float = 0.0
    specular: float = 0.0


def _t3(v) -> tuple[float, float, float]:
    a = np.asarray(v, dtype=float).reshape(3)
    return (float(a[0]), float(a[1]), float(a[2]))


def sphere(center, radius: float, color, *, blend: float = 0.0, specular: float = 0.0) -> Prim:
    return Prim(SPHERE, _t3(center), size=(radius, 0.0, 0.0), color=color, blend=blend, specular=specular)


def cone(
    a,
    b,
    radius_a: float,
    radius_b: float,
    color,
    *,
    color2=None,
    split: float = NO_SPLIT,
    blend: float = 0.0,
    specular: float = 0.0,
) -> Prim:
    """Tapered capsule (round cone) from ``a`` (radius_a) to ``b`` (radius_b)."""
    return Prim(
        ROUND_CONE,
        _t3(a),
        _t3(b),
        size=(radius_a, radius_b, 0.0),
        color=color,
        color2=color2,
        split=split,
        blend=blend,
        specular=specular,
    )


def ellipsoid(
    center, radii, axes, color, *, color2=None, split: float = NO_SPLIT, blend: float = 0.0, specular: float = 0.0
) -> Prim:
    """Ellipsoid with semi-axes ``radii`` along the three unit ``axes`` (local x, y, z)."""
    return Prim(
        ELLIPSOID,
        _t3(center),
        size=_t3(radii),
        axes=tuple(_t3(a) for a in axes),
        color=color,
        color2=color2,
        split=split,
        blend=blend,
        specular=specular,
    )


def box(center, half_extents, axes, rounding: float, color, *, blend: float = 0.0, specular: float = 0.0) -> Prim:
    """Rounded box: ``half_extents`` along the local ``axes``, corners rounded by ``rounding``."""
    return Prim(
        ROUND_BOX,
        _t3(center),
        size=_t3(half_extents),
        rounding=rounding,
        axes=tuple(_t3(a) for a in axes),
        color=color,
        blend=blend,
        specular=specular,
    )


def cylinder(a, b, radius: float, color, *, specular: float = 0.0) -> Prim:
    """Hard-edged capped cylinder from ``a`` to ``b``."""
    return Prim(CYLINDER, _t3(a), _t3(b), size=(radius, 0.0, 0.0), color=color, specular=specular)


def sagittal_axes(axial_xy) -> tuple[tuple[float, float, float], ...]:
    """Local frame of a body part whose long axis lies in the sagittal plane.

    Local y is ``axial_xy`` (e.g. hip->shoulder), local x its anterior side
    (the axis turned 90 deg clockwise: forward for an upright segment), local z
    the lifter's right.
    """
    ux, uy = float(axial_xy[0]), float(axial_xy[1])
    return ((uy, -ux, 0.0), (ux, uy, 0.0), (0.0, 0.0, 1.0))


@dataclass(frozen=True)
class PackedScene:
    """Flat arrays read by the ray-marcher; one row per primitive."""

    kind: np.ndarray  # (N,) int64
    geo: np.ndarray  # (N, GEO_COLS) float64, layout per kind in :func:`_geometry_row`
    rinv: np.ndarray  # (N, 3, 3) world -> local rotation
    blend: np.ndarray  # (N,)
    color: np.ndarray  # (N, 2, 3) linear RGB
    split: np.ndarray  # (N,)
    specular: np.ndarray  # (N,)
    bound: np.ndarray  # (N, 4) bounding sphere centre and radius


def srgb_to_linear(rgb) -> np.ndarray:
    """Colours are given in sRGB (0..1) and shaded in linear light."""
    return np.power(np.clip(np.asarray(rgb, dtype=float), 0.0, 1.0), 2.2)


def _geometry_row(p: Prim) -> tuple[np.ndarray, float]:
    """Geometry row and bounding radius (about the row's centre) of one primitive.

    Layout: SPHERE c(0:3) r(6); ROUND_CONE a(0:3) b(3:6) ra(6) rb(7) ba(8:11)
    l2(11) rr(12) a2(13) il2(14); ELLIPSOID/ROUND_BOX c(0:3) size(6:9)
    rounding(9); CYLINDER a(0:3) b(3:6) r(6) ba(8:11) baba(11).
    """
    row = np.zeros(GEO_COLS)
    a, b, s = np.array(p.p0), np.array(p.p1), np.array(p.size)
    row[0:3] = a
    if p.kind == SPHERE:
        row[6] = s[0]
        return row, s[0]
    if p.kind == ROUND_CONE:
        ba = b - a
        l2 = max(float(ba @ ba), 1e-12)
        rr = s[0] - s[1]
        row[3:6], row[6], row[7], row[8:11] = b, s[0], s[1], ba
        row[11], row[12], row[13], row[14] = l2, rr, l2 - rr * rr, 1.0 / l2
        return row, 0.5 * np.sqrt(l2) + max(s[0], s[1])
    if p.kind in (ELLIPSOID, ROUND_BOX):
        row[6:9], row[9] = s, p.rounding
        extent = float(np.linalg.norm(s)) if p.kind == ROUND_BOX else float(s.max())
        return row, extent + p.rounding
    if p.kind == CYLINDER:
        ba = b - a
        row[3:6], row[6], row[8:11], row[11] = b, s[0], ba, max(float(ba @ ba), 1e-12)
        return row, float(np.hypot(0.5 * np.linalg.norm(ba), s[0]))
    raise ValueError(f"unknown primitive kind {p.kind}")


def _centre(p: Prim) -> np.ndarray:
    if p.kind in (ROUND_CONE, CYLINDER):
        return 0.5 * (np.array(p.p0) + np.array(p.p1))
    return np.array(p.p0)


def pack(prims: list[Prim]) -> PackedScene:
    """Arrays for the renderer. Bounding spheres include the smooth-blend margin."""
    n = len(prims)
    kind = np.zeros(n, dtype=np.int64)
    geo = np.zeros((n, GEO_COLS))
    rinv = np.tile(np.eye(3), (n, 1, 1))
    blend, split, specular = np.zeros(n), np.zeros(n), np.zeros(n)
    color = np.zeros((n, 2, 3))
    bound = np.zeros((n, 4))
    for i, p in enumerate(prims):
        kind[i] = p.kind
        geo[i], radius = _geometry_row(p)
        rinv[i] = np.array(p.axes)  # rows are the local axes: world -> local
        blend[i], split[i], specular[i] = p.blend, p.split, p.specular
        color[i, 0] = srgb_to_linear(p.color)
        color[i, 1] = srgb_to_linear(p.color2 if p.color2 is not None else p.color)
        bound[i, :3] = _centre(p)
        bound[i, 3] = radius + p.blend
    return PackedScene(kind, geo, rinv, blend, color, split, specular, bound)
