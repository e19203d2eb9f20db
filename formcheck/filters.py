"""The zero-lag Butterworth low-pass of the cleaning stage and the running median of the loop finder, in numpy.

Same result as ``scipy.signal.butter(order, cutoff, fs=rate, output="sos")`` followed by
``scipy.signal.sosfiltfilt(sos, x, padlen=padlen)`` (odd extension at both ends, the filter started in
its steady state for the first value, run forwards and then backwards), to about 1e-12 of the signal's
range (tests/unit/test_filters.py compares the two). Written here because importing ``scipy.signal``
costs 0.6-0.8 s of start-up (it imports most of scipy.stats and scipy.interpolate): more than the whole
re-judging of a clip from cached landmarks.

:func:`running_median` is ``scipy.ndimage.median_filter(x, size, mode="nearest")`` on a 1-D signal (equal, also
for an even ``size``, where both take the upper of the two middle values): ``scipy.ndimage`` costs about 0.45 s of
start-up for one call per clip.

How: the filter's impulse response decays geometrically (its poles lie inside the unit circle), so it is
taken up to the length where it falls below :data:`TAIL` of its peak and applied as a convolution. Starting
in the steady state for a value ``x0`` is the same as having been fed ``x0`` for ever, so the signal is
prefixed with that many copies of ``x0``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: The impulse response is cut where it has decayed below this fraction of its peak (below float64 noise).
TAIL = 1e-17


def butter_lowpass(order: int, cutoff_hz: float, sample_rate_hz: float) -> tuple[FloatArray, FloatArray]:
    """Digital Butterworth low-pass of ``order`` as transfer-function coefficients ``(b, a)``: the analog
    prototype's poles, pre-warped and mapped by the bilinear transform (as ``scipy.signal.butter``)."""
    if order < 1:
        raise ValueError("order must be at least 1")
    nyquist = 0.5 * sample_rate_hz
    if not 0.0 < cutoff_hz < nyquist:
        raise ValueError("the cut-off must lie between 0 and the Nyquist frequency")
    fs = 2.0  # the normalised design rate scipy uses
    warped = 2.0 * fs * math.tan(math.pi * (cutoff_hz / nyquist) / fs)
    poles = -np.exp(1j * np.pi * np.arange(-order + 1, order, 2) / (2 * order)) * warped
    gain = warped**order
    fs2 = 2.0 * fs
    z_poles = (fs2 + poles) / (fs2 - poles)
    gain = gain * float(np.real(1.0 / np.prod(fs2 - poles)))
    b = gain * np.real(np.poly(-np.ones(order)))
    a = np.real(np.poly(z_poles))
    return b.astype(np.float64), a.astype(np.float64)


def impulse_response(b: FloatArray, a: FloatArray) -> FloatArray:
    """The filter's impulse response up to where it has decayed below :data:`TAIL` of its peak."""
    radius = float(np.max(np.abs(np.roots(a)))) if len(a) > 1 else 0.0
    if not radius < 1.0:
        raise ValueError("unstable filter")
    length = len(b) + (int(math.ceil(math.log(TAIL) / math.log(radius))) if radius > 0 else 0) + 1
    h = np.zeros(length)
    order = len(a) - 1
    for n in range(length):
        acc = b[n] if n < len(b) else 0.0
        for k in range(1, min(n, order) + 1):
            acc -= a[k] * h[n - k]
        h[n] = acc / a[0]
    return h


def _forward(h: FloatArray, x: FloatArray) -> FloatArray:
    """Causal filtering of ``x`` started in the steady state for ``x[0]``."""
    prefix = np.full(len(h), x[0])
    return np.convolve(np.concatenate([prefix, x]), h)[len(h) : len(h) + len(x)]


def filtfilt(h: FloatArray, x: FloatArray, padlen: int) -> FloatArray:
    """Zero-phase filtering of the 1-D ``x`` (longer than ``padlen``) with the impulse response ``h``: odd
    extension by ``padlen`` samples at both ends, forwards, backwards, extension removed."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) <= padlen:
        raise ValueError("the signal must be longer than padlen")
    if padlen > 0:
        left = 2.0 * x[0] - x[padlen:0:-1]
        right = 2.0 * x[-1] - x[-2 : -padlen - 2 : -1]
        ext = np.concatenate([left, x, right])
    else:
        ext = x
    y = _forward(h, ext)
    y = _forward(h, y[::-1])[::-1]
    return y[padlen : len(y) - padlen] if padlen > 0 else y


def running_median(x: npt.ArrayLike, size: int) -> FloatArray:
    """The median of every ``size`` consecutive values centred on each one (the window reaches ``size // 2``
    values back), the ends extended by repeating the first and last value: ``scipy.ndimage.median_filter(x,
    size=size, mode="nearest")`` for a 1-D ``x``. For an even ``size`` the upper of the two middle values."""
    values = np.asarray(x, dtype=float)
    if size < 1:
        raise ValueError("size must be at least 1")
    if values.ndim != 1:
        raise ValueError("running_median takes a 1-D signal")
    if size == 1 or values.size == 0:
        return values.copy()
    padded = np.pad(values, (size // 2, size - 1 - size // 2), mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, size)
    return np.partition(windows, size // 2, axis=1)[:, size // 2]
