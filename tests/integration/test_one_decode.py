"""The whole analysis of a rendered sample clip with the second pass reading the grey pictures the pose pass kept
(:mod:`formcheck.greystore`) gives the report it gives decoding the video again; the store is wired in: the
shared bar check and plate search of a hinge (:func:`formcheck.rescan.bar_and_plates`) and the plate search of a
thrust (:func:`formcheck.plates.find_plates`)."""

from __future__ import annotations

import pytest

from formcheck import greystore, plates, rescan
from formcheck.config import load_config
from formcheck.pipeline import analyze_landmarks, analyze_video
from formcheck.pose import ReplayEstimator
from formcheck.types import PoseSequence
from tests.helpers import LANDMARKS, ROOT, report_without_timings


@pytest.mark.parametrize(
    ("stem", "second_pass", "read_fails"),
    [
        ("rdl_clean", "bar_and_plates", False),
        ("hip_thrust_head_back", "find_plates", False),
        ("hip_thrust_head_back", "find_plates", True),
    ],
)
def test_analysis_reads_the_kept_grey_pictures_and_gives_the_samereport_without_timings(
    monkeypatch, stem, second_pass, read_fails
):
    clip, npz = ROOT / "sample_videos" / f"{stem}.mp4", LANDMARKS / f"{stem}.full.npz"
    config = load_config()
    stores: list[greystore.GreyFrameStore] = []
    passes: list[bool] = []
    making = greystore.for_second_pass
    module = rescan if second_pass == "bar_and_plates" else plates
    original = getattr(module, second_pass)

    def kept(max_side):
        stores.append(making(max_side))
        return stores[-1]

    def spied(*args, **kwargs):
        passes.append(args[-1] is not None and args[-1].usable)  # the grey pictures: the last positional argument
        return original(*args, **kwargs)

    monkeypatch.setattr(greystore, "for_second_pass", kept)
    monkeypatch.setattr(module, second_pass, spied)
    if read_fails:  # read back nothing: the pass decodes as without the store
        monkeypatch.setattr(greystore.os, "preadv", lambda fd, buffers, offset: 0)
    # the replayed landmarks: the video is decoded for the pose pass all the same (ReplayEstimator reads it)
    one_decode = analyze_video(clip, config, estimator=ReplayEstimator(npz), use_cache=False)
    assert passes == [True] and "plates_s" in one_decode.timings
    assert len(stores) == 1 and stores[0].finished and stores[0]._file is None  # let go after the analysis

    seq = PoseSequence.load_npz(npz).replace(meta=one_decode.video)
    decoding_again = analyze_landmarks(seq, config, video=clip)
    assert passes == [True, False]
    assert report_without_timings(one_decode) == report_without_timings(decoding_again)
    assert one_decode.reps and one_decode.plates["reps"]
