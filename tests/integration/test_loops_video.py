"""Footage that loops, end to end: a rendered clip played twice in one H.264 stream is found, its second showing's
reps point at the first's, and the rendered sample clips (no loop) are not reported as loops.

The looped video is made here from ``sample_videos/rdl_clean.mp4`` (rendered by this project); its landmarks
are the clip's cached ones twice over (the same frames give the same landmarks), its picture signatures come
from decoding the looped video as the pose stage does, and the analysis reads them back from the landmark
cache, as a re-judge does.
"""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import cache
from formcheck.config import LoopConfig, PoseConfig, load_config
from formcheck.loops import decoded_signatures, find_loops
from formcheck.pipeline import analyze_video, landmark_cache_key
from formcheck.report.json_report import dumps
from formcheck.types import PoseSequence
from formcheck.video import file_sha256, iter_frames
from tests.helpers import LANDMARKS, ROOT

SAMPLES = ROOT / "sample_videos"
SOURCE = "rdl_clean"
#: H.264 quality of the looped copy: 23 is x264's default and what phones and editors export at about.
CRF = 23


def played_twice(src: Path, dst: Path) -> int:
    """``src``'s frames encoded twice in a row into one H.264 stream; returns the frames of one play."""
    frames = [f.rgb for f in iter_frames(src)]
    height, width = frames[0].shape[:2]
    with av.open(str(dst), "w") as out:
        stream = out.add_stream("libx264", rate=30, options={"crf": str(CRF), "preset": "veryfast"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for rgb in [*frames, *frames]:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return len(frames)


@pytest.fixture(scope="module")
def looped(tmp_path_factory) -> tuple[Path, PoseSequence, int]:
    """The looped video and its landmarks with the decoded signatures."""
    path = tmp_path_factory.mktemp("loop") / "looped.mp4"
    n = played_twice(SAMPLES / f"{SOURCE}.mp4", path)
    one = PoseSequence.load_npz(LANDMARKS / f"{SOURCE}.full.npz")
    assert len(one) == n
    sig, change, t = decoded_signatures(path, PoseConfig().max_side_px)
    assert len(t) == 2 * n
    twice = {
        name: np.concatenate([getattr(one, name)] * 2)
        for name in ("xy", "visibility", "world", "n_people")
        if getattr(one, name) is not None
    }
    seq = one.replace(
        **twice,
        t=t,
        frame_index=np.arange(2 * n),
        frame_change=change,
        interpolated=None if one.interpolated is None else np.concatenate([one.interpolated] * 2),
        picture_signature=sig,
    )
    return path, seq, n


def test_a_rendered_clip_played_twice_is_found_at_its_length(looped):
    _, seq, n = looped
    loops = find_loops(seq.picture_signature, seq.t, LoopConfig())
    assert len(loops) == 1
    (loop,) = loops
    assert loop.lag_frames == n
    assert loop.start_s == pytest.approx(seq.t[n], abs=0.2)  # the replay starts where the first play ends
    assert loop.end_s == pytest.approx(seq.t[-1], abs=0.05)


def test_the_analysis_warns_and_marks_each_replayed_rep(looped, tmp_path):
    path, seq, _ = looped
    config = load_config()
    # the landmarks and signatures in the cache, as a first analysis of this video leaves them
    cache.store(landmark_cache_key(file_sha256(path), config), seq)
    analysis = analyze_video(path, config, use_cache=True)
    assert len(analysis.loops) == 1
    warning = next(w for w in analysis.warnings if w.code == "looped_footage")
    n_first = sum(1 for r in analysis.reps if r.t_lockout < seq.t[len(seq) // 2])
    assert n_first == 3  # rdl_clean's three reps
    replays = [r for r in analysis.reps if r.repeat_of is not None]
    assert [r.repeat_of for r in replays] == [1, 2, 3]
    assert [r.index for r in replays] == [4, 5, 6]
    assert "reps 4-6 repeat reps 1-3" in warning.message
    assert analysis.summary.rep_count == 6 and analysis.summary.distinct_rep_count == 3
    # judged once: a replayed rep's verdicts are its first showing's
    for rep in replays:
        mine = {(f.rule, f.verdict) for f in analysis.findings_for(rep.index)}
        assert mine == {(f.rule, f.verdict) for f in analysis.findings_for(rep.repeat_of)}
    report = json.loads(dumps(analysis.to_dict()))
    assert report["schema_version"] == "1.8"
    assert [r["repeat_of"] for r in report["reps"]] == [None, None, None, 1, 2, 3]
    assert report["summary"]["distinct_rep_count"] == 3
    assert report["measurement"]["loops"][0]["lag_s"] == pytest.approx(seq.t[len(seq) // 2], abs=0.05)


def test_the_terminal_and_html_reports_say_the_footage_loops(looped, tmp_path):
    from rich.console import Console

    from formcheck.pipeline import analyze_landmarks
    from formcheck.report.console import print_report
    from formcheck.report.html import write_html

    _, seq, _ = looped
    analysis = analyze_landmarks(seq, load_config())
    console = Console(record=True, width=160)
    print_report(analysis, console)
    text = console.export_text()
    assert "the footage loops" in text and "6 reps on screen, 3 distinct" in text
    html = write_html(analysis, tmp_path / "r.html").read_text()
    assert "the footage loops" in html and "= rep 1" in html and "3 distinct" in html


@pytest.mark.parametrize("clip", sorted(p.name for p in SAMPLES.glob("*.mp4")))
def test_rendered_sample_clips_are_not_loops(clip):
    """Rendered reps vary in depth and tempo (formcheck.synth.motion): no stretch replays a rep's motion."""
    sig, _, t = decoded_signatures(SAMPLES / clip, PoseConfig().max_side_px)
    assert find_loops(sig, t, LoopConfig()) == []
