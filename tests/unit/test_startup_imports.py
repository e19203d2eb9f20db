"""Start-up: ``formcheck --help`` must not import what it does not use (the model, the decoders, the
signal-processing and report libraries). What it costs in time is measured by bench/bench_startup.py,
not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys

from formcheck.cli import main

#: Imported only by the commands that use them.
HEAVY = ("mediapipe", "av", "cv2", "scipy", "jinja2", "matplotlib", "rich.console", "rich.progress", "rich.table")

PROBE = r"""
import json, sys
from formcheck.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported(*args: str) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["code"], set(data["modules"])


def test_help_imports_nothing_heavy():
    code, modules = _imported("--help")
    assert code == 0
    assert not {m for m in HEAVY if m in modules}, sorted(m for m in HEAVY if m in modules)


def test_help_imports_no_rules_and_no_numpy():
    """The lifts' rules (and numpy, the config and the measurement modules they import) are read only when a
    command runs or shows its own help: ``--exercise``'s choices come from the registry then."""
    code, modules = _imported("--help")
    assert code == 0
    assert not {m for m in modules if m == "numpy" or m.startswith("formcheck.exercises")}


def test_a_commands_help_names_every_judged_lift(capsys):
    from formcheck.exercises import judged_lifts

    assert main(["analyze", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for lift in judged_lifts():
        assert lift.id in shown


def test_an_unknown_lift_is_refused_with_the_choices(capsys):
    assert main(["analyze", "clip.mp4", "--exercise", "front_squat"]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "'front_squat' is not one of auto, hip_thrust" in said


def test_the_pose_stage_is_not_imported_by_the_package():
    proc = subprocess.run(
        [sys.executable, "-c", "import json, sys, formcheck; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(proc.stdout))
    assert not {"numpy", "mediapipe", "av", "scipy"} & modules


LEAN = r"""
import json, sys
from formcheck.pose import MediaPipeEstimator
estimator = MediaPipeEstimator()
landmarker = estimator._create(video=True)  # the C library loaded and a model created
landmarker.close()
after = sorted(sys.modules)
import mediapipe  # later, elsewhere in the process: a complete import
from mediapipe.tasks.python import vision
print(json.dumps({"after": after, "complete": hasattr(mediapipe, "Image") and hasattr(vision, "PoseLandmarker")}))
"""


def test_the_pose_landmarker_loads_without_matplotlib_and_leaves_mediapipe_importable():
    """The pose stage imports MediaPipe's pose landmarker without the package's drawing helpers (matplotlib)
    and audio tasks (about 1 s of CPU), and leaves no half-made mediapipe package behind."""
    proc = subprocess.run([sys.executable, "-c", LEAN], capture_output=True, text=True, check=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    after = set(data["after"])
    assert not {"matplotlib", "sounddevice", "cv2"} & after
    assert not {m for m in after if m == "mediapipe" or m.startswith("mediapipe.")}
    assert data["complete"]


#: Not imported by ``formcheck analyze -q`` on a cache hit that writes no report: the decoders, the model and
#: scipy (nothing is decoded); rich and the terminal report (``-q`` prints nothing: no console, no progress
#: bars, no tables); the packages' metadata (read when a JSON or HTML report prints the versions); pydantic
#: (typer 0.29 builds a pydantic adapter per option, hence the pin ``typer<0.29``). docs/PERFORMANCE.md,
#: "Start-up" and "A cached re-judge under half a second".
NOT_IN_A_QUIET_RE_JUDGE = (
    "av",
    "cv2",
    "mediapipe",
    "scipy",
    "rich",
    "formcheck.report.console",
    "importlib.metadata",
    "pydantic",
)


def test_a_cached_re_judge_imports_no_decoder_no_model_and_no_scipy(tmp_path, monkeypatch):
    """Re-judging a clip whose landmarks and second look are cached (:mod:`formcheck.lookcache`) decodes
    nothing, and ``-q`` shows nothing: none of :data:`NOT_IN_A_QUIET_RE_JUDGE` is imported."""
    import os
    from pathlib import Path

    from formcheck.config import load_config
    from formcheck.pipeline import analyze_video
    from formcheck.pose import ReplayEstimator

    root = Path(__file__).resolve().parents[2]
    clip = root / "sample_videos" / "rdl_clean.mp4"
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path))  # the first analysis fills both caches
    analyze_video(clip, load_config(), estimator=ReplayEstimator(root / "tests/data/landmarks/rdl_clean.full.npz"))
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "analyze", "-q", str(clip)], capture_output=True, text=True, check=True, env=env
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == 0
    modules = set(data["modules"])
    assert not modules & set(NOT_IN_A_QUIET_RE_JUDGE), sorted(modules & set(NOT_IN_A_QUIET_RE_JUDGE))
    assert "formcheck.pipeline" in modules  # the probe did re-judge the clip


def test_a_report_still_names_the_library_versions(tmp_path):
    """The versions are looked up when a report is written, not by the analysis; the JSON report has them."""
    from importlib.metadata import version
    from pathlib import Path

    from formcheck import __version__
    from formcheck.config import load_config
    from formcheck.pipeline import analyze_video
    from formcheck.pose import ReplayEstimator
    from formcheck.report.json_report import write_json

    root = Path(__file__).resolve().parents[2]
    analysis = analyze_video(
        root / "sample_videos" / "rdl_clean.mp4",
        load_config(),
        estimator=ReplayEstimator(root / "tests/data/landmarks/rdl_clean.full.npz"),
        use_cache=False,
    )
    write_json(analysis, tmp_path / "report.json")
    versions = json.loads((tmp_path / "report.json").read_text())["versions"]
    assert versions == {
        "formcheck": __version__,
        "mediapipe": version("mediapipe"),
        "numpy": version("numpy"),
        "scipy": version("scipy"),
        "av": version("av"),
    }
    analysis.versions["numpy"] = "changed"
    assert analysis.versions["numpy"] == version("numpy")  # each reader gets its own copy
