"""The picture change's thumbnail without OpenCV: :func:`formcheck.video.area_resize` gives the grey levels of
``cv2.resize(..., interpolation=cv2.INTER_AREA)`` for the small grey pictures the decoder makes (longer side
240 px), so the pose pass need not load OpenCV (docs/PERFORMANCE.md "Peak memory against the clip's length")."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from formcheck.video import CHANGE_THUMB_PX, SMALL_GREY_PX, area_resize


@st.composite
def small_greys(draw):
    """A grey picture as the decoder makes them: the longer side SMALL_GREY_PX, the shorter any."""
    short = draw(st.integers(min_value=CHANGE_THUMB_PX, max_value=SMALL_GREY_PX))
    shape = (short, SMALL_GREY_PX) if draw(st.booleans()) else (SMALL_GREY_PX, short)
    return draw(arrays(np.uint8, shape, elements=st.integers(0, 255)))


@settings(max_examples=60, deadline=None)
@given(small_greys())
def test_the_thumbnail_is_opencvs_inter_area(picture):
    expected = cv2.resize(picture, (CHANGE_THUMB_PX, CHANGE_THUMB_PX), interpolation=cv2.INTER_AREA)
    assert np.array_equal(area_resize(picture, CHANGE_THUMB_PX, CHANGE_THUMB_PX), expected)


def test_a_half_level_rounds_as_opencvs():
    """A flat picture with one odd pixel puts a span's mean exactly on a half level (195 - 195/30 = 188.5 for a
    7.5 x 4 span); OpenCV's float32 sums land just past it and round to 189 (hypothesis found it: the float64
    area under the running sum read 188)."""
    picture = np.full((SMALL_GREY_PX, 128), 195, np.uint8)
    picture[0, 0] = 0
    expected = cv2.resize(picture, (CHANGE_THUMB_PX, CHANGE_THUMB_PX), interpolation=cv2.INTER_AREA)
    assert expected[0, 0] == 189
    assert np.array_equal(area_resize(picture, CHANGE_THUMB_PX, CHANGE_THUMB_PX), expected)


def test_smooth_and_flat_pictures_too():
    ramp = np.tile(np.linspace(0, 255, SMALL_GREY_PX), (135, 1)).round().astype(np.uint8)
    for picture in (ramp, ramp.T.copy(), np.full((135, SMALL_GREY_PX), 77, np.uint8)):
        expected = cv2.resize(picture, (CHANGE_THUMB_PX, CHANGE_THUMB_PX), interpolation=cv2.INTER_AREA)
        assert np.array_equal(area_resize(picture, CHANGE_THUMB_PX, CHANGE_THUMB_PX), expected)


def test_the_picture_change_loads_no_opencv():
    probe = (
        "import json, sys; import numpy as np; from formcheck.video import FrameChange; c = FrameChange(); "
        "c.grey(np.zeros((135, 240), np.uint8)); d = c.grey(np.full((135, 240), 9, np.uint8)); "
        "print(json.dumps({'change': d, 'cv2': 'cv2' in sys.modules}))"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
    assert out == {"change": 9.0, "cv2": False}
