"""formcheck.filters against scipy.signal: the same zero-lag Butterworth low-pass, without its start-up."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from formcheck.filters import butter_lowpass, filtfilt, impulse_response


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
