"""The command line, as a user runs it: exit codes, one-line errors, outputs.

Landmarks of real clips are put in the cache first, so these tests do not run
the pose model (tests/integration/test_model.py does).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.analysis import SCHEMA_VERSION
from formcheck.cli import main
from tests.helpers import LANDMARKS, need_shared, seed_cache
from tests.videos import write_video

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_analyze_prints_report_and_writes_json_and_csv(tmp_path, capsys):
    clip = need_shared("clip_078.mp4")
    seed_cache(clip, LANDMARKS / "clip_078.full.npz")
    code, out, err = run(
        ["analyze", str(clip), "--json", str(tmp_path / "r.json"), "--csv", str(tmp_path / "a.csv")], capsys
    )
    assert code == 0, err
    # clip_078 opens at the bottom of a rep with 31-degree knees: an RDL or a stiff-leg deadlift, judged alike
    assert "unknown lift: probably an RDL (0.71) or a stiff-leg deadlift (0.29)" in out and "View side" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["summary"]["rep_count"] == 3
    assert {"rule", "verdict", "value", "threshold", "t_start", "t_end", "frame", "cue"} <= set(
        report["reps"][0]["findings"][0]
    )
    rows = list(csv.DictReader((tmp_path / "a.csv").open()))
    assert len(rows) == report["video"]["n_frames"] or len(rows) > 100
    assert {"frame", "t_s", "rep", "phase", "hip_deg", "knee_flexion_deg", "guessed"} <= set(rows[0])
    guessed = [set(filter(None, r["guessed"].split(";"))) for r in rows]
    assert set().union(*guessed) <= {"shoulder", "hip", "knee", "ankle", "wrist", "ear", "nose", "heel", "toe"}
    untrusted = report["measurement"]["trust"]  # the rows agree with the clip's shares per point (none here)
    for joint in ("hip", "knee"):
        share = sum(joint in g for g in guessed) / len(rows)
        assert share == pytest.approx(untrusted[joint]["untrusted"], abs=0.02), joint


def test_profile_changes_thresholds_in_report(tmp_path, capsys):
    clip = need_shared("clip_002.mp4")
    seed_cache(clip, LANDMARKS / "clip_002.full.npz")
    code, _, err = run(
        ["analyze", str(clip), "-q", "--profile", "moderate", "--json", str(tmp_path / "m.json")], capsys
    )
    assert code == 0, err
    report = json.loads((tmp_path / "m.json").read_text())
    assert report["config"]["profile"] == "moderate"
    assert report["config"]["hip_thrust"]["gaze_top_max_deg"] == 75.0


def test_config_file_overrides_and_unknown_keys(tmp_path, capsys):
    clip = need_shared("clip_078.mp4")
    seed_cache(clip, LANDMARKS / "clip_078.full.npz")
    good = tmp_path / "coach.toml"
    good.write_text("[rdl]\nshin_tilt_warn_deg = 3.0\nshin_tilt_fault_deg = 4.0\n")
    code, _, err = run(["analyze", str(clip), "-q", "-c", str(good), "--json", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["config"]["rdl"]["shin_tilt_fault_deg"] == 4.0
    bad = tmp_path / "bad.toml"
    bad.write_text("[rdl]\nknee_drift = 3.0\n")
    code, out, err = run(["analyze", str(clip), "-c", str(bad)], capsys)
    assert code == 2
    assert "unknown config key 'rdl.knee_drift'" in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    "name,content,code,needle",
    [
        ("missing.mp4", None, 2, "no such file"),
        ("empty.mp4", b"", 2, "empty"),
        ("text.mp4", b"just some text", 2, "not a readable video"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(tmp_path, capsys, name, content, code, needle):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    rc, out, err = run(["analyze", str(path)], capsys)
    assert rc == code
    assert needle in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) <= 2  # one message (rich may wrap it once)


def test_no_person_and_too_short(tmp_path, capsys):
    blank = write_video(tmp_path / "blank.mp4", 40)
    rc, _, err = run(["analyze", str(blank)], capsys)
    assert rc == 3 and "no person found" in err
    short = write_video(tmp_path / "short.mp4", 4)
    rc, _, err = run(["analyze", str(short)], capsys)
    assert rc == 2 and "too short" in err


def test_unknown_profile(capsys, tmp_path):
    clip = write_video(tmp_path / "x.mp4", 4)
    rc, _, err = run(["analyze", str(clip), "--profile", "nope"], capsys)
    assert rc == 2 and "unknown profile 'nope'" in err


@pytest.mark.parametrize(
    ("option", "needle"),
    [(["--grid", "bogus"], "unknown grid 'bogus'"), (["--kind", "nope"], "unknown fault kind 'nope'")],
)
def test_eval_sensitivity_refuses_an_unknown_grid_or_fault_kind(tmp_path, capsys, option, needle):
    """Before anything is rendered: one line naming the choices, exit 2, the folder left alone."""
    rc, out, err = run(["eval", "--sensitivity", str(tmp_path / "grid"), *option], capsys)
    assert rc == 2 and needle in err and "Use one of" in err and "Traceback" not in err + out
    assert not (tmp_path / "grid").exists()


def test_unknown_video_preset_stops_before_the_analysis(tmp_path, capsys):
    rc, out, err = run(["analyze", str(tmp_path / "none.mp4"), "--video-preset", "placebo"], capsys)
    assert rc == 2 and "unknown --video-preset 'placebo'" in err and "ultrafast" in err
    assert "no such file" not in err and "Traceback" not in err + out


def test_analyze_with_progress_writes_every_output(tmp_path, capsys):
    """Not quiet: the pose and annotated-video progress callbacks run; every output is written once."""
    clip = SAMPLES / "rdl_clean.mp4"
    seed_cache(clip, LANDMARKS / "rdl_clean.full.npz")
    out_dir = tmp_path / "o"
    args = ["analyze", str(clip), "--json", str(out_dir / "r.json"), "--csv", str(out_dir / "r.csv")]
    code, out, err = run([*args, "--video-out", str(out_dir / "v.mp4"), "--video-preset", "ultrafast"], capsys)
    assert code == 0, err
    assert "Romanian deadlift" in out and "Annotated video written to" in out
    assert sorted(p.name for p in out_dir.iterdir()) == ["r.csv", "r.json", "v.mp4"]
    assert json.loads((out_dir / "r.json").read_text())["summary"]["rep_count"] == 3


#: A few labelled clips for the command's own test (the whole labelled set is scored in test_real_clips.py).
EVAL_CLIPS = ("clip_002.mp4", "clip_007.mp4")


def test_eval_on_cached_landmarks(tmp_path, capsys):
    folder = need_shared()
    subset = tmp_path / "clips"
    subset.mkdir()
    labels = json.loads((folder / "labels.json").read_text())
    labels["clips"] = [c for c in labels["clips"] if c["file"] in EVAL_CLIPS]
    (subset / "labels.json").write_text(json.dumps(labels))
    for name in EVAL_CLIPS:
        (subset / name).symlink_to(folder / name)
    rc, out, err = run(["eval", str(subset), "--landmarks", str(LANDMARKS), "--json", str(tmp_path / "e.json")], capsys)
    assert rc == 0, err
    assert "Totals" in out
    data = json.loads((tmp_path / "e.json").read_text())
    assert data["totals"]["clips"] == len(EVAL_CLIPS)
    assert [c["file"] for c in data["clips"]] == list(EVAL_CLIPS)


def test_eval_refuses_broken_labels(tmp_path, capsys):
    (tmp_path / "labels.json").write_text('{"clips": [{"file": "a.mp4", "exercise": "rdl"}]}')
    rc, _, err = run(["eval", str(tmp_path)], capsys)
    assert rc == 2 and "missing or malformed field" in err
    (tmp_path / "labels.json").write_text('{"clips": [')
    rc, _, err = run(["eval", str(tmp_path)], capsys)
    assert rc == 2 and "not valid JSON" in err


def test_rules_and_config_commands(capsys):
    rc, out, _ = run(["rules"], capsys)
    assert rc == 0 and "rdl.knees_frozen" in out and "ht.look_at_wall" in out
    assert "not yet" in out and "pure side" in out and "Not judged yet, and why" not in out
    rc, out, _ = run(["rules", "--why"], capsys)
    assert rc == 0 and "Not judged yet, and why" in out and "single_leg_rdl" in out
    rc, out, _ = run(["config", "--profile", "slight"], capsys)
    assert rc == 0 and "hip_thrust.gaze_top_max_deg" in out


def test_console_script_entry_point(tmp_path):
    """The installed `formcheck` command (python -m formcheck) exits with the right code."""
    result = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(tmp_path / "none.mp4")], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
    version = subprocess.run([sys.executable, "-m", "formcheck", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "formcheck" in version.stdout


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (["--json", "{input}"], "is the input video"),
        (["--csv", "{input}"], "is the input video"),
        (["--video-out", "{input}"], "is the input video"),
        (["--json", "{tmp}/same", "--csv", "{tmp}/same"], "both write"),
        (["--json", "{tmp}"], "is a folder"),
        (["--json", "/dev/null"], "not a regular file"),
    ],
    ids=["json-is-input", "csv-is-input", "video-is-input", "json-and-csv-collide", "json-is-folder", "device"],
)
def test_outputs_never_overwrite_the_input_or_each_other(tmp_path, capsys, flags, needle):
    """Refused before any analysis, exit 2, one line, the input byte for byte as it was."""
    clip = tmp_path / "x.mp4"
    clip.write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes())
    before = clip.read_bytes()
    args = [f.format(input=clip, tmp=tmp_path) for f in flags]
    rc, out, err = run(["analyze", str(clip), "--quiet", *args], capsys)
    assert rc == 2 and needle in err and "Traceback" not in err + out, err
    assert clip.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.mp4"]


def test_an_input_named_like_the_derived_video_is_not_overwritten(tmp_path, capsys):
    clip = tmp_path / "s.annotated.mp4"
    clip.write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes())
    seed_cache(clip, LANDMARKS / "rdl_clean.full.npz")
    before = clip.read_bytes()
    rc, _, err = run(["analyze", str(clip), "--quiet", "--html", str(tmp_path / "s.html")], capsys)
    assert rc == 0, err
    assert clip.read_bytes() == before and (tmp_path / "s.annotated-2.mp4").exists()


# ----------------------------------------------------------------------------------------- issue 11: configs


@pytest.mark.parametrize(
    ("make", "needles"),
    [
        (lambda p: p.write_bytes(b"\x00\xff\xfe\x89PNG\r\n\x1a\n"), ["not a text file"]),
        (lambda p: p.mkdir(), ["is a folder"]),
        (lambda p: p.write_text("[cleaning]\ncutoff_hz = 0\n"), ["cleaning.cutoff_hz", "= 0", "Allowed: (0, 30]"]),
        (lambda p: p.write_text("[rdl]\nwarn_margin_deg = nan\n"), ["rdl.warn_margin_deg", "nan", "Allowed: [0, 180]"]),
        (lambda p: p.write_text("[reps]\nmin_low_s = -1.0\n"), ["reps.min_low_s", "-1.0", "Allowed: >= 0"]),
    ],
    ids=["binary", "folder", "cutoff-zero", "nan", "negative"],
)
@pytest.mark.parametrize("command", ["analyze", "config", "batch"])
def test_unusable_config_is_one_line_exit_2(tmp_path, capsys, make, needles, command):
    """Refused before any video is looked at: one line naming the key, the value and the allowed range."""
    path = tmp_path / "coach.toml"
    make(path)
    args = {
        "analyze": ["analyze", str(tmp_path / "none.mp4")],
        "config": ["config"],
        "batch": ["batch", str(tmp_path), "-o", str(tmp_path / "out"), "-q"],
    }[command]
    rc, out, err = run([*args, "--config", str(path)], capsys)
    assert rc == 2, err
    assert all(n in err for n in needles), err
    assert "internal error" not in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_config_command_shows_allowed_ranges(capsys):
    rc, out, _ = run(["config"], capsys)
    assert rc == 0 and "allowed" in out and "(0, 30]" in out


# ----------------------------------------------------------------------------------------- issue 11: odd names


@pytest.mark.parametrize("name", ["nope[/]x.mp4", "a[bold]b.mp4", "[red]c[/red].mp4", "trailing\\"])
def test_markup_in_a_missing_path_is_printed_as_written(tmp_path, capsys, name):
    rc, out, err = run(["analyze", str(tmp_path / name)], capsys)
    assert rc == 2, err
    assert f"{name}: no such file" in err and "Traceback" not in err + out and "MarkupError" not in err


def test_markup_in_paths_of_a_real_analysis(tmp_path, capsys):
    """A video and its reports in a folder 'd[' (so the paths hold '[/]') and named with '[bold]'."""
    folder = tmp_path / "d["
    folder.mkdir()
    clip = folder / "]a[bold]b.mp4"
    clip.write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes())
    seed_cache(clip, LANDMARKS / "rdl_clean.full.npz")
    report = folder / "]r[/bold].json"
    rc, out, err = run(["analyze", str(clip), "--json", str(report)], capsys)
    assert rc == 0, err
    assert f"JSON written to {report}" in out.replace("\n", "")
    assert json.loads(report.read_text())["summary"]["rep_count"] == 3


def test_markup_in_a_config_error(tmp_path, capsys):
    (tmp_path / "c[").mkdir()
    path = tmp_path / "c[" / "]coach[bold].toml"  # the path holds '[/]'
    path.write_text("[rdl\nwarn_margin_deg = 5\n")
    rc, out, err = run(["config", "--config", str(path)], capsys)
    assert rc == 2 and str(path) in err and "Traceback" not in err + out


def test_a_non_utf8_file_name_works_or_is_one_line(tmp_path, capsys):
    import os

    clip = tmp_path / os.fsdecode(b"x\xffy.mp4")
    clip.write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes())
    seed_cache(clip, LANDMARKS / "rdl_clean.full.npz")
    report = tmp_path / os.fsdecode(b"r\xfe.json")
    rc, out, err = run(["analyze", str(clip), "--json", str(report)], capsys)
    assert rc == 0, err
    assert report.exists() and "JSON written to" in out and "\\xfe" in out  # the odd byte shown, not a crash
    rc, out, err = run(["analyze", str(clip), "-q", "--html", str(tmp_path / "r.html")], capsys)
    assert rc in (0, 2), err
    assert "internal error" not in err and "Traceback" not in err + out
    if rc == 2:
        assert "not valid UTF-8" in err and len(err.strip().splitlines()) == 1


def test_a_255_byte_name_works_and_a_too_long_report_name_is_one_line(tmp_path, capsys):
    clip = tmp_path / ("a" * 251 + ".mp4")  # the longest name most file systems take
    clip.write_bytes((SAMPLES / "rdl_clean.mp4").read_bytes())
    seed_cache(clip, LANDMARKS / "rdl_clean.full.npz")
    rc, out, err = run(["analyze", str(clip), "-q", "--json", str(tmp_path / "r.json")], capsys)
    assert rc == 0, err
    rc, out, err = run(["analyze", str(clip), "-q", "--json", f"{clip}.json"], capsys)
    assert rc == 2 and "file name too long" in err and "shorter name" in err, err
    assert "internal error" not in err and "Traceback" not in err + out


def _cut_clip(tmp_path: Path, how: str, share: float) -> tuple[Path, int]:
    """The rendered rdl_clean clip with its index in front, cut short at ``share`` of its bytes (``how="cut"``) or
    damaged there (``"damaged"``); its cache entry holds the stored landmarks of the frames that still decode
    (as the pose model would give them)."""
    from formcheck import cache
    from formcheck.config import load_config
    from formcheck.pipeline import landmark_cache_key
    from formcheck.types import PoseSequence
    from formcheck.video import file_sha256, iter_frames
    from tests.videos import cut_short, damage, faststart_copy

    whole = faststart_copy(SAMPLES / "rdl_clean.mp4", tmp_path / "whole.mp4")
    cut = {"cut": cut_short, "damaged": damage, "intact": lambda src, dst, _: dst.write_bytes(src.read_bytes()) and dst}
    clip = cut[how](whole, tmp_path / f"{how}.mp4", share)
    n = sum(1 for _ in iter_frames(clip))
    full = PoseSequence.load_npz(LANDMARKS / "rdl_clean.full.npz")
    cache.store(landmark_cache_key(file_sha256(clip), load_config()), full.slice(0, n))
    return clip, n


@pytest.mark.parametrize("how, share", [("cut", 0.6), ("damaged", 0.7)])
def test_a_truncated_or_damaged_video_says_what_its_verdicts_cover(tmp_path, capsys, how, share):
    clip, n = _cut_clip(tmp_path, how, share)
    assert 0.5 * 415 <= n < 0.9 * 415
    report_path = tmp_path / "r.json"
    code, out, err = run(["analyze", str(clip), "--json", str(report_path)], capsys)
    assert code == 0, err
    report = json.loads(report_path.read_text())
    video = report["video"]
    assert (video["n_frames"], video["container_frames"]) == (n, 415)
    assert video["container_duration_s"] == pytest.approx(13.83, abs=0.01)
    assert video["duration_s"] == pytest.approx(n / 30, abs=0.05)  # what was decoded, not the announced 13.8 s
    truncated = [w for w in report["warnings"] if w["code"] == "truncated"]
    assert len(truncated) == 1, report["warnings"]
    message = truncated[0]["message"]
    assert f"only {n} of 415 frames ({round(100 * n / 415)}%) could be decoded: the file is cut short" in message
    assert f"verdicts cover 0.0-{n / 30:.1f} s" in message
    assert f"only {n} of 415 frames" in out and "could be decoded" in out
    assert f"{n / 30:.1f} s · 640x360" in out  # the report's length is the decoded one


@pytest.mark.parametrize("how, share", [("cut", 0.3), ("damaged", 0.4)])
def test_a_video_mostly_undecodable_is_refused(tmp_path, capsys, how, share):
    clip, n = _cut_clip(tmp_path, how, share)
    assert 15 < n < 0.5 * 415
    code, out, err = run(["analyze", str(clip), "--json", str(tmp_path / "r.json")], capsys)
    assert code == 2, err
    assert f"only {n} of 415 frames" in err and "cut short or damaged" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.json").exists()


def test_an_intact_video_with_its_index_in_front_has_no_truncation_warning(tmp_path, capsys):
    clip, n = _cut_clip(tmp_path, "intact", 1.0)
    assert n == 415
    code, _, err = run(["analyze", str(clip), "-q", "--json", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["video"]["n_frames"] == 415 and "container_frames" not in report["video"]
    assert not [w for w in report["warnings"] if w["code"] == "truncated"]
