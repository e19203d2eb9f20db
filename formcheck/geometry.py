"""Vector maths for 2D pose: y-up conversion, facing, joint and segment angles.

Everything works on arrays of points shaped (..., 2) and returns degrees.
NaN in, NaN out. Only :func:`to_y_up` flips the image's y axis.
"""

from __future__ import annotations

import numpy as np

from .types import AnyFloatArray, FloatArray


def to_y_up(xy: AnyFloatArray) -> FloatArray:
    """Image pixels (y down) to a y-up frame: the one place y is flipped."""
    out = np.array(xy, dtype=np.float64, copy=True)
    out[..., 1] = -out[..., 1]
    return out


def face_positive_x(xy_up: AnyFloatArray, facing: int) -> FloatArray:
    """Mirror so that a lifter facing ``facing`` (+1 or -1 in x) faces +x."""
    if facing not in (1, -1):
        raise ValueError(f"facing must be +1 or -1, not {facing}")
    out = np.array(xy_up, dtype=np.float64, copy=True)
    out[..., 0] *= facing
    return out


def signed_angle(u: AnyFloatArray, v: AnyFloatArray) -> FloatArray:
    """Counter-clockwise angle from ``u`` to ``v`` in degrees, in (-180, 180] (y up)."""
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    return wrap180(np.degrees(np.arctan2(cross, dot)))


def interior_angle(a: AnyFloatArray, b: AnyFloatArray, c: AnyFloatArray) -> FloatArray:
    """Angle a-b-c at ``b`` in [0, 180]; 180 means a straight line."""
    return np.abs(signed_angle(a - b, c - b))


def angle_at(a: AnyFloatArray, b: AnyFloatArray, c: AnyFloatArray) -> FloatArray:
    """Angle a-b-c at ``b`` in [0, 180] for points of any dimension (the world landmarks' 3D); NaN where a point
    coincides with ``b`` (no direction), without a warning."""
    u, v = np.asarray(a) - np.asarray(b), np.asarray(c) - np.asarray(b)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    out: FloatArray = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return out


def direction(u: AnyFloatArray) -> FloatArray:
    """Angle of vector ``u`` from +x, counter-clockwise, degrees in (-180, 180]."""
    return wrap180(np.degrees(np.arctan2(u[..., 1], u[..., 0])))


def wrap180(angle: FloatArray) -> FloatArray:
    """Wrap degrees into (-180, 180]."""
    return -((-np.asarray(angle) + 180.0) % 360.0 - 180.0)


def line_deviation(a: AnyFloatArray, b: AnyFloatArray, c: AnyFloatArray) -> FloatArray:
    """Signed bend at ``b`` off the straight line a->c, degrees.

    Positive when ``b`` lies to the left of a->c (counter-clockwise side, y up).
    For a lifter facing +x with a = shoulder, c = knee that side is the front
    of the body (the belly side): positive = hips pushed past the line.
    Magnitude equals 180 minus the interior angle a-b-c.
    """
    bend = 180.0 - interior_angle(a, b, c)
    ac = c - a
    ab = b - a
    side = ac[..., 0] * ab[..., 1] - ac[..., 1] * ab[..., 0]
    return np.where(side > 0, bend, -bend) * np.where(np.isnan(side), np.nan, 1.0)


def distance(a: AnyFloatArray, b: AnyFloatArray) -> FloatArray:
    """Euclidean distance between point arrays."""
    norm: FloatArray = np.linalg.norm(np.asarray(a) - np.asarray(b), axis=-1)
    return norm


def x_offset_from_line(p: AnyFloatArray, a: AnyFloatArray, b: AnyFloatArray) -> FloatArray:
    """Horizontal offset of ``p`` from the line through ``a`` and ``b`` at ``p``'s height.

    Positive when ``p`` is at larger x than the line. NaN when the line is
    horizontal (no single x at that height).
    """
    dy = b[..., 1] - a[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        x_line = a[..., 0] + (b[..., 0] - a[..., 0]) * (p[..., 1] - a[..., 1]) / dy
    x_line = np.where(np.abs(dy) < 1e-9, np.nan, x_line)
    return p[..., 0] - x_line
