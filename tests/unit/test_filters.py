"""formcheck.filters against scipy: the same zero-lag Butterworth low-pass (scipy.signal) and running median
(scipy.ndimage), without their start-up."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.ndimage import median_filter
from scipy.signal import butter, sosfiltfilt

from formcheck.filters import butter_lowpass, filtfilt, impulse_response, running_median


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize(("rate", "cutoff"), [(30.0, 5.0), (60.0, 5.0), (25.0, 5.0), (240.0, 5.0), (30.0, 14.0)])
def test_same_as_scipy_butter_and_sosfiltfilt(order, rate, cutoff):
    rng = np.random.default_rng(order)
    sos = butter(order, cutoff, btype="low", fs=rate, output="sos")
    padlen = 3 * (2 * len(sos) + 1)
    h = impulse_response(*butter_lowpass(order, cutoff, rate))
    for n in (padlen + 1, 60, 700):
        x = np.cumsum(rng.normal(size=n)) * 5.0 + 400.0  # a landmark coordinate in pixels
        expected = sosfiltfilt(sos, x, padlen=padlen)
        assert np.max(np.abs(filtfilt(h, x, padlen) - expected)) <= 1e-9 * np.ptp(x)


def test_coefficients_match_scipy():
    b, a = butter_lowpass(2, 5.0, 30.0)
    eb, ea = butter(2, 5.0, btype="low", fs=30.0)
    assert np.allclose(b, eb, rtol=1e-12) and np.allclose(a, ea, rtol=1e-12)


def test_bad_designs_and_short_signals_are_refused():
    with pytest.raises(ValueError):
        butter_lowpass(2, 20.0, 30.0)  # above Nyquist
    with pytest.raises(ValueError):
        butter_lowpass(0, 5.0, 30.0)
    with pytest.raises(ValueError):
        filtfilt(impulse_response(*butter_lowpass(2, 5.0, 30.0)), np.zeros(9), 9)


@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=80),
    st.integers(min_value=1, max_value=100),
)
def test_running_median_is_scipys_median_filter(values, size):
    """Any signal, any window (even ones, and windows longer than the signal): the same values as
    ``scipy.ndimage.median_filter(..., mode="nearest")``."""
    x = np.asarray(values, dtype=float)
    assert np.array_equal(running_median(x, size), median_filter(x, size=size, mode="nearest"))


def test_running_median_of_a_step_keeps_the_edge_and_drops_a_spike():
    x = np.array([0.0, 0.0, 9.0, 0.0, 0.0, 5.0, 5.0, 5.0, 5.0])
    assert running_median(x, 3).tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0, 5.0]


def test_running_median_refuses_what_it_cannot_filter():
    with pytest.raises(ValueError, match="at least 1"):
        running_median(np.zeros(3), 0)
    with pytest.raises(ValueError, match="1-D"):
        running_median(np.zeros((3, 2)), 3)
