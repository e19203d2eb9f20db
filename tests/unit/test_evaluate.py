"""`formcheck eval` scoring on hand-made cases with known answers."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.errors import LabelError
from formcheck.evaluate import (
    ClipLabel,
    load_labels,
    load_rendered_labels,
    score_clip,
    score_rendered,
    totals,
)
from formcheck.types import AngleSeries, Finding


def rep(index, bottom, lockout):
    return SimpleNamespace(index=index, t_bottom=bottom, t_lockout=lockout)


def finding(rule, rep_index, verdict="fault"):
    return Finding(
        rule=rule,
        rep=rep_index,
        verdict=verdict,
        metric="m",
        value=1.0,
        threshold=0.0,
        unit="deg",
        t_start=0.0,
        t_end=1.0,
        frame=0,
        message="",
        cue="",
    )


def fake_analysis(reps, exercise="rdl", family="hinge", view="side", findings=(), series=None, judged=True):
    found = list(findings)
    return SimpleNamespace(
        exercise=SimpleNamespace(label=exercise),
        family=family,
        view=SimpleNamespace(label=view),
        reps=reps,
        judged=judged,
        series=series,
        flagged=lambda: [f for f in found if f.verdict in ("warn", "fault")],
    )


LABEL = ClipLabel(
    file="a.mp4", exercise="rdl", view="side", n_reps=3, reps=((1.0, 2.0), (4.0, 5.0), (7.0, 8.0)), usable=True
)


def test_exact_count_and_timing_errors():
    result = score_clip(LABEL, fake_analysis([rep(1, 1.1, 2.2), rep(2, 3.9, 4.9), rep(3, 7.0, 8.0)]))
    assert result.reps_exact and result.reps_within_one and result.family_ok and result.view_ok
    assert result.lockout_err_s == pytest.approx([0.2, -0.1, 0.0])
    assert result.bottom_err_s == pytest.approx([0.1, -0.1, 0.0])


def test_missed_rep_is_within_one_but_not_exact_and_far_reps_do_not_match():
    result = score_clip(LABEL, fake_analysis([rep(1, 1.0, 2.0), rep(2, 10.0, 11.5)]))
    assert not result.reps_exact and result.reps_within_one
    assert result.lockout_err_s == [0.0]  # 11.5 s is more than 1 s from every labelled lockout


def test_one_prediction_matches_one_label_only():
    result = score_clip(LABEL, fake_analysis([rep(1, 1.0, 2.0), rep(2, 1.2, 2.1)]))
    assert len(result.lockout_err_s) == 1


def test_family_and_view_alternatives():
    label = ClipLabel(
        file="b.mp4", exercise="deadlift", view="oblique", n_reps=1, reps=((1, 2),), usable=True, view_alt=("front",)
    )
    result = score_clip(label, fake_analysis([rep(1, 1, 2)], exercise="rdl", family="hinge", view="front"))
    assert result.family_ok and result.view_ok
    result = score_clip(label, fake_analysis([rep(1, 1, 2)], exercise="hip_thrust", family="bridge", view="side"))
    assert not result.family_ok and not result.view_ok


def test_totals_count_only_usable_hinge_and_bridge_clips():
    squat = ClipLabel(file="s.mp4", exercise="squat", view="side", n_reps=2, reps=(), usable=True)
    unusable = ClipLabel(file="u.mp4", exercise="rdl", view="side", n_reps=2, reps=(), usable=False)
    results = [
        score_clip(LABEL, fake_analysis([rep(1, 1, 2)])),  # 1 of 3: not within one
        score_clip(squat, fake_analysis([], exercise="squat", family="other")),
        score_clip(unusable, fake_analysis([])),
    ]
    t = totals(results)
    assert t["rep_clips"] == 1 and t["reps_exact"] == 0.0 and t["reps_within_one"] == 0.0
    assert t["family_accuracy"] == pytest.approx(1.0)


def test_flags_on_fault_free_clips_are_counted():
    clean = ClipLabel(file="c.mp4", exercise="rdl", view="side", n_reps=2, reps=((1, 2), (4, 5)), usable=True)
    res = score_clip(
        clean,
        fake_analysis(
            [rep(1, 1, 2), rep(2, 4, 5)],
            findings=[finding("rdl.neck", 2), finding("rdl.tempo", 2, "warn"), finding("rdl.bar_drift", 1, "pass")],
        ),
    )
    t = totals([res])
    assert t["clean_reps_judged"] == 2 and t["clean_reps_flagged"] == 1
    assert t["clean_flags_by_rule"] == {"rdl.neck": 1, "rdl.tempo": 1}


@pytest.mark.parametrize(
    "text,needle",
    [
        ("{not json", "not valid JSON"),
        ('{"clips": 3}', "no 'clips' list"),
        ('{"clips": [{"file": "a.mp4", "exercise": "rdl", "view": "side"}]}', "missing or malformed"),
        ('{"clips": [{"file": "a.mp4", "exercise": "curl", "view": "side", "n_reps": 1}]}', "unknown exercise"),
        ('{"clips": [{"file": "a.mp4", "exercise": "rdl", "view": "top", "n_reps": 1}]}', "unknown view"),
    ],
)
def test_broken_labels_fail_loudly(tmp_path, text, needle):
    (tmp_path / "labels.json").write_text(text)
    with pytest.raises(LabelError, match=needle):
        load_labels(tmp_path / "labels.json")


def rendered(tmp_path, faults_by_rep, n_frames=100, fps=10.0):
    reps = [
        {"index": i + 1, "bottom_s": 1.0 + 3 * i, "lockout_s": 2.0 + 3 * i, "faults": f}
        for i, f in enumerate(faults_by_rep)
    ]
    faults: dict[str, list[int]] = {}
    for r in reps:
        for f in r["faults"]:
            faults.setdefault(f, []).append(r["index"])
    data = {
        "format": 1,
        "generator": "formcheck.synth",
        "lift": "rdl",
        "fps": fps,
        "reps": reps,
        "faults": faults,
        "camera": {"azimuth_deg": 0.0},
        "frames": {
            "t": list(np.arange(n_frames) / fps),
            "angles": {"hip_deg": [150.0] * n_frames, "knee_flexion_deg": [10.0] * n_frames},
        },
    }
    (tmp_path / "c.mp4").write_bytes(b"x")
    (tmp_path / "c.json").write_text(json.dumps(data))
    return data


def test_rendered_angle_error_and_fault_detection(tmp_path):
    rendered(tmp_path, [[], ["knees_bend"], ["knees_bend"]])
    (label,) = load_rendered_labels(tmp_path)
    n = 100
    values = np.column_stack([np.full(n, 152.0), np.full(n, 7.0)])
    values[:10, 0] = np.nan  # unmeasured frames are left out, not counted as errors
    series = AngleSeries(
        t=np.arange(n) / 10.0,
        names=("hip_deg", "knee_flexion_deg"),
        values=values,
        side="left",
        facing=1,
        frame_index=np.arange(n),
    )
    analysis = fake_analysis(
        [rep(1, 1.0, 2.0), rep(2, 4.0, 5.0), rep(3, 7.0, 8.0)],
        series=series,
        findings=[finding("rdl.knees_frozen", 2), finding("rdl.knees_frozen", 1, "warn")],
    )
    res = score_rendered(label, analysis)
    assert res.angle_errors["hip_deg"] == pytest.approx([180.0, 180.0, 90])
    assert res.angle_errors["knee_flexion_deg"] == pytest.approx([300.0, -300.0, 100])
    assert res.rule_counts["rdl.knees_frozen"] == {"tp": 1, "fp": 1, "fn": 1}
    t = totals([res])
    assert t["angle_error"]["hip_deg"] == {"mae": 2.0, "bias": 2.0, "frames": 90}
    assert t["rules"]["rdl.knees_frozen"]["recall"] == 0.5
    assert t["rules"]["rdl.knees_frozen"]["precision"] == 0.5
    assert t["rules"]["rdl.tempo"] == {"tp": 0, "fp": 0, "fn": 0, "recall": None, "precision": None}


def test_rendered_label_with_missing_field_fails(tmp_path):
    data = rendered(tmp_path, [[]])
    del data["reps"]
    (tmp_path / "c.json").write_text(json.dumps(data))
    with pytest.raises(LabelError, match="lacks 'reps'"):
        load_rendered_labels(tmp_path)
