"""`formcheck eval` scoring on hand-made cases with known answers."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.errors import LabelError
from formcheck.evaluate import (
    ClipLabel,
    form_totals,
    load_labels,
    load_rendered_labels,
    reps_by_lift,
    reps_by_lift_text,
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


def fake_analysis(
    reps, exercise="rdl", family="hinge", view="side", findings=(), series=None, judged=True, body_yaw=None
):
    found = list(findings)
    return SimpleNamespace(
        exercise=SimpleNamespace(label=exercise),
        family=family,
        findings=found,
        view=SimpleNamespace(label=view, detail={} if body_yaw is None else {"yaw_deg": body_yaw}),
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


def test_a_count_inside_the_raters_range_is_scored_apart_from_exact():
    """Where the two raters counted differently (``n_reps_range``) a count inside their range is reported as
    such; "exact" still means the label's own count."""
    label = replace(LABEL, n_reps_range=(2, 3))
    two = score_clip(label, fake_analysis([rep(1, 1.0, 2.0), rep(2, 4.0, 5.0)]))
    assert not two.reps_exact and two.reps_in_raters_range
    one = score_clip(label, fake_analysis([rep(1, 1.0, 2.0)]))
    assert not one.reps_in_raters_range
    assert score_clip(LABEL, fake_analysis([rep(1, 1.0, 2.0), rep(2, 4.0, 5.0)])).reps_in_raters_range is False
    assert totals([two, one])["reps_in_raters_range"] == 0.5


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


def test_rep_counts_are_scored_per_labelled_lift():
    """Exact and within-one counts per labelled lift over usable hinge and bridge clips: a squat and an unusable
    clip are left out, as in the totals; an RDL counted exactly and one missing two reps, a thrust one short."""
    thrust = ClipLabel(
        file="t.mp4", exercise="hip_thrust", view="side", n_reps=2, reps=((1.0, 2.0), (4.0, 5.0)), usable=True
    )
    squat = ClipLabel(file="s.mp4", exercise="squat", view="side", n_reps=2, reps=(), usable=True)
    unusable = ClipLabel(file="u.mp4", exercise="rdl", view="side", n_reps=2, reps=(), usable=False)
    three = [rep(1, 1, 2), rep(2, 4, 5), rep(3, 7, 8)]
    results = [
        score_clip(LABEL, fake_analysis(three)),
        score_clip(replace(LABEL, file="b.mp4"), fake_analysis([rep(1, 1, 2)])),
        score_clip(thrust, fake_analysis([rep(1, 1, 2)], exercise="hip_thrust", family="bridge")),
        score_clip(squat, fake_analysis([], exercise="squat", family="other")),
        score_clip(unusable, fake_analysis([])),
    ]
    by_lift = reps_by_lift(results)
    assert by_lift == {
        "hip_thrust": {"clips": 1, "exact": 0, "within_one": 1},
        "rdl": {"clips": 2, "exact": 1, "within_one": 1},
    }
    assert reps_by_lift_text(by_lift) == "hip_thrust 0/1, rdl 1/2"


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


def _form(rep, faults=None, possible=(), cannot_judge=()):
    return {"rep": rep, "faults": dict(faults or {}), "possible": tuple(possible), "cannot_judge": tuple(cannot_judge)}


FORM_LABEL = ClipLabel(
    file="f.mp4",
    exercise="rdl",
    view="side",
    n_reps=3,
    reps=((1.0, 2.0), (4.0, 5.0), (7.0, 8.0)),
    usable=True,
    yaw_deg=20.0,
    form=(
        _form(1, {"knee_bend": "clear"}),
        _form(2, possible=("head_up",)),
        _form(3, {"touches_floor": "slight"}),
    ),
)


def test_form_labels_score_each_agreed_fault_and_each_clean_rep():
    """Per labelled rep: the rule mapped from an agreed fault and its verdict; on clean reps, fault-level flags
    of rules whose fault no rater called possible are false alarms (issue 15's per-rep figures)."""
    analysis = fake_analysis(
        [rep(1, 1, 2), rep(2, 4, 5), rep(3, 7, 8)],
        body_yaw=72.0,
        findings=[
            finding("rdl.knees_frozen", 1, "warn"),
            finding("rdl.neck", 2, "fault"),  # excused: one rater saw head_up
            finding("rdl.tempo", 2, "fault"),  # a false alarm
            finding("rdl.bar_drift", 2, "warn"),
        ],
    )
    res = score_clip(FORM_LABEL, analysis)
    assert res.group == "form" and res.yaw_true == 20.0 and res.yaw_read == pytest.approx(18.0)
    rows = {row["rep"]: row for row in res.form_reps}
    assert rows[1]["agreed"] == {"knee_bend": "warn"}
    assert rows[2]["clean"] and rows[2]["false_alarms"] == ["rdl.tempo"] and rows[2]["warnings"] == ["rdl.bar_drift"]
    assert rows[3]["agreed"] == {"touches_floor": "no rule"}
    t = form_totals([res])
    assert t["agreed_faults"] == 2 and t["agreed_outcomes"] == {"no rule": 1, "warn": 1}
    assert t["clean_reps"] == 1 and t["clean_reps_false_alarm"] == 1
    assert t["clips_within_45"] == 1 and t["clips_within_45_with_verdicts"] == 1
    assert t["yaw_mae_deg"] == pytest.approx(2.0)


def test_form_labels_a_rep_not_found_and_an_unchecked_rule():
    analysis = fake_analysis([rep(1, 1, 2)], findings=[finding("rdl.knees_frozen", 1, "not_checked")])
    rows = {row["rep"]: row for row in score_clip(FORM_LABEL, analysis).form_reps}
    assert rows[1]["agreed"] == {"knee_bend": "not_checked"}
    assert rows[2]["rep_read"] is None and rows[3]["agreed"] == {"touches_floor": "rep not found"}


def test_form_labels_are_loaded_and_scored_apart(tmp_path):
    """labels_form.json beside labels.json: its clips are their own group, the labels.json totals unchanged."""
    import json

    from formcheck.config import load_config
    from formcheck.evaluate import evaluate

    (tmp_path / "labels.json").write_text(
        json.dumps({"clips": [{"file": "a.mp4", "exercise": "rdl", "view": "side", "n_reps": 1, "reps": [[1, 2]]}]})
    )
    form = {"file": "f.mp4", "exercise": "rdl", "view": "side", "n_reps": 1, "reps": [[1, 2]], "yaw_deg": 10}
    form["form"] = [{"rep": 1, "faults": {"knee_bend": "clear"}}]
    (tmp_path / "labels_form.json").write_text(json.dumps({"clips": [form]}))
    results, summary = evaluate(tmp_path, load_config(), analyze=lambda video: fake_analysis([rep(1, 1, 2)]))
    assert [r.group for r in results] == ["labels", "form"]
    assert summary["clips"] == 1 and summary["form"]["clips"] == 1
    assert summary["form"]["agreed_outcomes"] == {"not_checked": 1}
    # rep counts per lift cover both label files
    assert summary["reps_by_lift"] == {"rdl": {"clips": 2, "exact": 2, "within_one": 2}}
