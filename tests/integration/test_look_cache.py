"""Re-judging a cached clip reads no video: what the second look found (the bar check, the plate search) is kept
beside the landmarks (:mod:`formcheck.lookcache`) and used when the same look comes again, and only then."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck import barbell, lookcache, plates, rescan
from formcheck.config import load_config
from formcheck.pipeline import analyze_video
from formcheck.pose import ReplayEstimator
from tests.helpers import LANDMARKS, ROOT, report_without_timings


@pytest.fixture
def looks(monkeypatch):
    """Count the second looks that decode the video (either way of looking)."""
    calls: list[str] = []
    for module, name in ((rescan, "bar_and_plates"), (plates, "find_plates"), (barbell, "drop_reps_without_bar")):
        original = getattr(module, name)

        def spied(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spied)
    return calls


@pytest.mark.parametrize("stem", ["rdl_clean", "hip_thrust_head_back"])
def test_a_cached_clip_is_re_judged_without_looking_at_the_video_again(tmp_path, monkeypatch, looks, stem):
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path))
    clip, npz = ROOT / "sample_videos" / f"{stem}.mp4", LANDMARKS / f"{stem}.full.npz"
    config = load_config()
    first = analyze_video(clip, config, estimator=ReplayEstimator(npz))
    assert looks and "plates_s" in first.timings and "look_from_cache_s" not in first.timings
    assert len(list(tmp_path.glob("*.look.npz"))) == 1

    seen = len(looks)
    monkeypatch.setattr("av.open", lambda *a, **k: pytest.fail("the video was decoded"))
    again = analyze_video(clip, config)  # the landmarks from the cache, and the look
    assert len(looks) == seen
    assert "look_from_cache_s" in again.timings and "plates_s" not in again.timings
    assert report_without_timings(again) == report_without_timings(first)
    assert again.plates == first.plates and again.plates["checked"]
    assert [r.to_dict() for r in again.bar_checks] == [r.to_dict() for r in first.bar_checks]


def test_another_plate_setting_or_no_cache_looks_again(tmp_path, monkeypatch, looks):
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path))
    clip, npz = ROOT / "sample_videos" / "rdl_clean.mp4", LANDMARKS / "rdl_clean.full.npz"
    config = load_config()
    analyze_video(clip, config, estimator=ReplayEstimator(npz))
    seen = len(looks)
    stricter = replace(config, plates=replace(config.plates, sample_every_s=config.plates.sample_every_s * 2))
    moved = analyze_video(clip, stricter)
    assert len(looks) == seen + 1 and "look_from_cache_s" not in moved.timings
    analyze_video(clip, config, estimator=ReplayEstimator(npz), use_cache=False)
    assert len(looks) == seen + 2
    assert len(list(tmp_path.glob("*.look.npz"))) == 2  # nothing stored without the cache


def test_a_damaged_look_is_a_miss_and_is_replaced(tmp_path, monkeypatch, looks):
    monkeypatch.setenv("FORMCHECK_CACHE", str(tmp_path))
    clip, npz = ROOT / "sample_videos" / "rdl_clean.mp4", LANDMARKS / "rdl_clean.full.npz"
    config = load_config()
    first = analyze_video(clip, config, estimator=ReplayEstimator(npz))
    (entry,) = tmp_path.glob("*.look.npz")
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a full disk
    seen = len(looks)
    again = analyze_video(clip, config)
    assert len(looks) == seen + 1 and report_without_timings(again) == report_without_timings(first)
    assert lookcache.load(entry.name.removesuffix(".look.npz"), tmp_path) is not None


def test_the_key_follows_every_input_of_the_look():
    from formcheck.types import Rep

    rep = Rep(1, 0, 5, 9, 10, 0.0, 0.2, 0.3, 0.4, 0.2, 0.0, 0.1, 0.0, 60.0, 110.0, 170.0)
    t, xy = np.linspace(0, 1, 11), np.zeros((11, 33, 2))
    base = lookcache.look_key("abc", {"leg_px": 100.0}, [rep], (t, xy, None))
    assert base == lookcache.look_key("abc", {"leg_px": 100.0}, [rep], (t, xy.copy(), None))
    moved_xy = xy.copy()
    moved_xy[3, 25, 1] = 1e-9
    assert {
        lookcache.look_key("abd", {"leg_px": 100.0}, [rep], (t, xy, None)),
        lookcache.look_key("abc", {"leg_px": 100.5}, [rep], (t, xy, None)),
        lookcache.look_key("abc", {"leg_px": 100.0}, [replace(rep, lockout=8)], (t, xy, None)),
        lookcache.look_key("abc", {"leg_px": 100.0}, [rep], (t, moved_xy, None)),
        lookcache.look_key("abc", {"leg_px": 100.0}, [rep], (t, xy, np.zeros((11, 2)))),
    }.isdisjoint({base})


def test_an_entry_round_trips_what_the_look_found(tmp_path):
    checks = [
        barbell.BarCheck(1, "with_bar", "rose with the hands", 40, 0.9, 0.1, 0.8),
        barbell.BarCheck(2, "unknown", "too few points", 3),
    ]
    centre = np.array([[10.0, 20.0], [np.nan, np.nan], [11.0, 21.0]])
    placed = np.array([1, 0, -1], np.int8)
    track = plates.PlateTrack(
        centre, np.array([30.0, np.nan, 31.0]), [plates.RepPlate(1, 5, 4, 4, 0.41, True)], placed=placed
    )
    lookcache.store("k", lookcache.Looked(checks, track), tmp_path)
    back = lookcache.load("k", tmp_path)
    assert back is not None and back.bar_checks is not None
    assert [c.to_dict() for c in back.bar_checks] == [c.to_dict() for c in checks]
    assert np.array_equal(back.plates.centre, centre, equal_nan=True)
    assert np.array_equal(back.plates.radius, track.radius, equal_nan=True)
    assert back.plates.reps == track.reps and back.plates.skipped == ""
    assert back.plates.placed is not None and back.plates.placed.tolist() == [1, 0, -1]  # what dl.floor reads
    lookcache.store("none", lookcache.Looked(None, plates.PlateTrack.none(3, "no plates on a other lift")), tmp_path)
    nothing = lookcache.load("none", tmp_path)
    assert nothing is not None and nothing.bar_checks is None and nothing.plates.skipped.startswith("no plates")
    assert lookcache.load("missing", tmp_path) is None
