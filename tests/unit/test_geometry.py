"""formcheck.geometry: angles, sign conventions, facing, NaN propagation."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck import geometry as g

P = lambda x, y: np.array([x, y], dtype=float)  # noqa: E731


# -- signed / interior angles ----------------------------------------------
@pytest.mark.parametrize(
    "u, v, expected",
    [
        (P(1, 0), P(0, 1), 90.0),
        (P(0, 1), P(1, 0), -90.0),
        (P(1, 0), P(1, 1), 45.0),
        (P(1, 1), P(1, 0), -45.0),
        (P(2, 0), P(0, 5), 90.0),  # lengths do not matter
        (P(1, 0), P(1, 0), 0.0),
    ],
)
def test_signed_angle_counter_clockwise_positive(u, v, expected):
    assert g.signed_angle(u, v) == pytest.approx(expected)


def test_signed_angle_is_antisymmetric_and_vectorised():
    rng = np.random.default_rng(1)
    u, v = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    a = g.signed_angle(u, v)
    assert a.shape == (50,)
    np.testing.assert_allclose(a, -g.signed_angle(v, u), atol=1e-9)
    assert np.all((a > -180) & (a <= 180))


def test_signed_angle_range_includes_180_not_minus_180():
    pairs = [(P(1, 0), P(-1, 0)), (P(0, 1), P(0, -1)), (P(-1, 0), P(1, 0)), (P(0, -1), P(0, 1))]
    for u, v in pairs:
        assert g.signed_angle(u, v) == pytest.approx(180.0)
    assert g.direction(P(-1, -0.0)) == pytest.approx(180.0)


@pytest.mark.parametrize(
    "a, b, c, expected",
    [
        (P(-1, 0), P(0, 0), P(1, 0), 180.0),  # straight line
        (P(0, 1), P(0, 0), P(1, 0), 90.0),
        (P(1, 0), P(0, 0), P(1, 1), 45.0),
        (P(1, 1), P(0, 0), P(1, 0), 45.0),  # order of the arms does not matter
        (P(1, 0), P(0, 0), P(2, 0), 0.0),  # folded back
    ],
)
def test_interior_angle(a, b, c, expected):
    assert g.interior_angle(a, b, c) == pytest.approx(expected, abs=1e-9)


def test_direction_and_wrap180():
    assert g.direction(P(1, 0)) == pytest.approx(0.0)
    assert g.direction(P(0, 1)) == pytest.approx(90.0)
    assert g.direction(P(0, -1)) == pytest.approx(-90.0)
    np.testing.assert_allclose(
        g.wrap180(np.array([0.0, 190.0, -190.0, 360.0, 540.0, -180.0, 180.0])),
        [0.0, -170.0, 170.0, 0.0, 180.0, 180.0, 180.0],
    )


# -- line deviation sign convention -------------------------------------------
def test_line_deviation_supine_hip_thrust_facing_plus_x():
    """Supine on a bench, feet towards +x (y up): hips above the shoulder-knee line are positive."""
    shoulder, knee = P(-1.0, 0.5), P(1.0, 0.5)
    above = g.line_deviation(shoulder, P(0.0, 0.6), knee)  # over-arched top
    below = g.line_deviation(shoulder, P(0.0, 0.1), knee)  # hips sagging (bottom)
    on = g.line_deviation(shoulder, P(0.0, 0.5), knee)
    assert above > 0 and below < 0 and on == pytest.approx(0.0)
    assert above == pytest.approx(np.degrees(2 * np.arctan(0.1)), rel=1e-6)


def test_line_deviation_standing_facing_plus_x():
    """Standing, facing +x: hips behind the shoulder-knee line (hinge) negative, pushed forward positive."""
    shoulder, knee = P(0.0, 1.5), P(0.0, 0.5)
    assert g.line_deviation(shoulder, P(-0.2, 1.0), knee) < 0  # hips back
    assert g.line_deviation(shoulder, P(0.1, 1.0), knee) > 0  # pelvis thrust forward (belly side)


def test_line_deviation_magnitude_is_180_minus_interior():
    rng = np.random.default_rng(2)
    a, b, c = (rng.normal(size=(40, 2)) for _ in range(3))
    np.testing.assert_allclose(np.abs(g.line_deviation(a, b, c)), 180 - g.interior_angle(a, b, c), atol=1e-9)


def test_line_deviation_from_image_pixels_for_both_facings():
    """In pixels (y down) the same pose gives the same sign after to_y_up + face_positive_x."""
    # lifter facing +x: shoulder left, knee right, hip above the line (smaller y in pixels)
    sh, hip, kn = P(100, 300), P(200, 280), P(300, 300)
    plus = g.line_deviation(*(g.face_positive_x(g.to_y_up(p), 1) for p in (sh, hip, kn)))
    # the mirror image (facing -x), x -> 400 - x
    m = lambda p: P(400 - p[0], p[1])  # noqa: E731
    minus = g.line_deviation(*(g.face_positive_x(g.to_y_up(m(p)), -1) for p in (sh, hip, kn)))
    assert plus > 0
    assert minus == pytest.approx(plus)
    # without the facing normalisation the mirror would flip the sign
    raw = g.line_deviation(*(g.to_y_up(m(p)) for p in (sh, hip, kn)))
    assert raw == pytest.approx(-plus)


# -- facing / y-up ---------------------------------------------------------------
def test_to_y_up_flips_only_y_and_copies():
    xy = np.array([[10.0, 20.0], [0.0, 0.0]])
    up = g.to_y_up(xy)
    np.testing.assert_array_equal(up, [[10.0, -20.0], [0.0, -0.0]])
    assert xy[0, 1] == 20.0  # input untouched


def test_face_positive_x():
    pts = np.array([[3.0, 4.0], [-1.0, 2.0]])
    np.testing.assert_array_equal(g.face_positive_x(pts, 1), pts)
    np.testing.assert_array_equal(g.face_positive_x(pts, -1), [[-3.0, 4.0], [1.0, 2.0]])
    assert pts[0, 0] == 3.0
    with pytest.raises(ValueError):
        g.face_positive_x(pts, 0)


def test_mirroring_keeps_interior_and_flips_signed_angles():
    rng = np.random.default_rng(3)
    a, b, c = (rng.normal(size=(20, 2)) for _ in range(3))
    ma, mb, mc = (g.face_positive_x(p, -1) for p in (a, b, c))
    np.testing.assert_allclose(g.interior_angle(ma, mb, mc), g.interior_angle(a, b, c), atol=1e-9)
    np.testing.assert_allclose(g.line_deviation(ma, mb, mc), -g.line_deviation(a, b, c), atol=1e-9)


# -- NaN propagation -----------------------------------------------------------
def test_nan_in_nan_out():
    good = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    bad = good.copy()
    bad[1, 0] = np.nan
    a, b, c = good, bad, good[::-1]
    assert np.isnan(g.signed_angle(a, b)[1]) and not np.isnan(g.signed_angle(a, b)[0])
    assert np.isnan(g.interior_angle(a, b, c)[1])
    assert np.isnan(g.line_deviation(a, b, c)[1]) and np.isfinite(g.line_deviation(a, b, c)[[0, 2]]).all()
    assert np.isnan(g.line_deviation(b, a, c)[1])  # NaN in the line end, too
    assert np.isnan(g.direction(b)[1])
    assert np.isnan(g.distance(a, b)[1])
    assert np.isnan(g.x_offset_from_line(b, a, c)[1])
    assert np.isnan(g.to_y_up(bad)[1, 0])


def test_distance():
    assert g.distance(P(0, 0), P(3, 4)) == pytest.approx(5.0)
    np.testing.assert_allclose(g.distance(np.zeros((3, 2)), np.ones((3, 2))), np.sqrt(2))


# -- x offset from a line ----------------------------------------------------------
def test_x_offset_from_line():
    # vertical line x = 2
    assert g.x_offset_from_line(P(3, 5), P(2, 0), P(2, 10)) == pytest.approx(1.0)
    assert g.x_offset_from_line(P(0, 5), P(2, 0), P(2, 10)) == pytest.approx(-2.0)
    # slanted: a=(0,0), b=(1,2) -> at y=1 the line is at x=0.5; the line extends beyond a-b
    assert g.x_offset_from_line(P(1, 1), P(0, 0), P(1, 2)) == pytest.approx(0.5)
    assert g.x_offset_from_line(P(2, 4), P(0, 0), P(1, 2)) == pytest.approx(0.0)
    # the order of the two line points does not matter
    assert g.x_offset_from_line(P(1, 1), P(1, 2), P(0, 0)) == pytest.approx(0.5)


def test_x_offset_from_horizontal_line_is_nan():
    assert np.isnan(g.x_offset_from_line(P(1, 1), P(0, 0), P(5, 0)))


def test_angle_at_in_3d_and_at_a_coincident_point():
    """The world landmarks' 3D angle: a right angle, a straight line, and NaN (no warning) where a point sits on the
    vertex, as a degenerate pose may give."""
    import warnings

    from formcheck.geometry import angle_at

    a = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    b = np.zeros((3, 3))
    c = np.array([[0.0, 0.0, 2.0], [-3.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = angle_at(a, b, c)
    np.testing.assert_allclose(out[:2], [90.0, 180.0])
    assert np.isnan(out[2])
