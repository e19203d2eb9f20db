"""A rendered RDL set filmed from the front: the tempo, which reads only heights on screen (the shoulders' drop),
is judged there as from the side (COACHING.md §5: "reps and tempo" show from the front); every other RDL rule says
the rep was filmed from the front. Rep 2 is lowered in 0.7 s (the fault size), rep 3 in 1.2 s (the fine size).

Renders the clip (formcheck.synth, small and sparse) and runs the real pose model: marked ``model`` (slower).
"""

from __future__ import annotations

import pytest

from formcheck.config import load_config
from formcheck.exercises import LIFTS
from formcheck.pipeline import analyze_landmarks, estimate_pose
from formcheck.synth.__main__ import main as synth_main

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def front_rdl(tmp_path_factory):
    out = tmp_path_factory.mktemp("front") / "rdl_front.mp4"
    args = ["--lift", "rdl", "--reps", "3", "--seed", "11", "--azimuth", "90", "--width", "480", "--height", "270"]
    faults = ["--fault", "rushed=0.7@2", "--fault", "rushed=1.2@3"]
    assert synth_main([*args, *faults, "--fps", "10", "--supersample", "1", "-q", "-o", str(out)]) == 0
    seq = estimate_pose(out, load_config(), use_cache=False)
    return analyze_landmarks(seq, load_config(), video=out)


def test_the_tempo_is_judged_from_the_front(front_rdl):
    a = front_rdl
    # the clip opens standing with the bar in the hands: an RDL from the front too, however much the knees bend
    assert a.exercise.label == "rdl" and a.view.label == "front" and a.judged and len(a.reps) == 3
    tempo = {f.rep: f for f in a.findings if f.rule == "rdl.tempo"}
    assert {rep: f.verdict for rep, f in tempo.items()} == {1: "pass", 2: "fault", 3: "pass"}
    assert 0.6 <= tempo[2].value <= 0.8 and 1.1 <= tempo[3].value <= 1.3
    assert all("timed by the shoulders' drop" in f.message for f in tempo.values())
    # the bounce is read on the hip angle, which the front does not show: said, not passed
    assert all("a bounce at the bottom is not judged from the front" in f.message for f in tempo.values())
    warning = next(w for w in a.warnings if w.code == "wrong_view")
    assert warning.message.startswith('front view: only "Controlled eccentric" is judged')


def test_the_other_rules_say_the_rep_was_filmed_from_the_front(front_rdl):
    others = {r.id for r in LIFTS["rdl"].rules if not r.along_the_body}
    assert others and "rdl.tempo" not in others
    for f in front_rdl.findings:
        if f.rule in others:
            assert f.verdict == "not_checked", f
            assert f.message == "this rep was filmed from the front: the rules need a side view", f
