"""formcheck.cache: the landmark cache; a damaged entry is a miss, deleted, and healed by the next run.

Issue 11 item 11: a truncated cache file (a full disk, a killed process) failed every later run of its video.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from formcheck import cache
from formcheck.config import load_config
from formcheck.pipeline import landmark_cache_key
from formcheck.pose import ReplayEstimator
from formcheck.runner import Outputs, run_video
from formcheck.types import PoseSequence
from formcheck.video import file_sha256
from tests.helpers import LANDMARKS

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "sample_videos" / "rdl_clean.mp4"
NPZ = LANDMARKS / "rdl_clean.full.npz"


def _bad_member_zip() -> bytes:
    """A zip whose 'xy' member is not an array (the rest intact)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(NPZ) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, b"\x93NUMPY garbage" if item.filename == "xy.npy" else src.read(item))
    return buf.getvalue()


DAMAGE = {
    "empty": lambda good: b"",
    "truncated-half": lambda good: good[: len(good) // 2],
    "truncated-tail": lambda good: good[:-7],
    "garbage": lambda good: b"PK\x03\x04" + bytes(range(256)) * 8,
    "bad-member": lambda good: _bad_member_zip(),
    "flipped-bytes": lambda good: good[:200] + bytes(b ^ 0xFF for b in good[200:4000]) + good[4000:],
}


def test_store_and_load_round_trip(tmp_path):
    seq = PoseSequence.load_npz(NPZ)
    assert cache.store("k1", seq, tmp_path) == tmp_path / "k1.npz"
    back = cache.load("k1", tmp_path)
    assert back is not None and np.array_equal(back.xy, seq.xy.astype(np.float32).astype(np.float64), equal_nan=True)
    assert cache.load("missing", tmp_path) is None


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_a_miss_and_is_deleted(tmp_path, damage):
    path = tmp_path / "k.npz"
    path.write_bytes(DAMAGE[damage](NPZ.read_bytes()))
    assert cache.load("k", tmp_path) is None
    assert not path.exists(), "a damaged entry must not be read again on every run"
    cache.store("k", PoseSequence.load_npz(NPZ), tmp_path)
    assert cache.load("k", tmp_path) is not None


def test_a_folder_in_place_of_an_entry_is_a_miss(tmp_path):
    (tmp_path / "k.npz").mkdir()
    assert cache.load("k", tmp_path) is None


def _truncate_entry(key: str) -> Path:
    path = cache.cache_dir() / f"{key}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    good = NPZ.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    return path


def test_the_analysis_heals_a_truncated_entry(tmp_path):
    """runner.run_video with a pose estimator (the batch worker's path): the damaged entry is recomputed."""
    config = load_config()
    key = landmark_cache_key(file_sha256(CLIP), config)
    path = _truncate_entry(key)
    analysis = run_video(CLIP, config, Outputs(json=tmp_path / "r.json"), estimator=ReplayEstimator(NPZ))
    assert len(analysis.reps) == 3 and (tmp_path / "r.json").exists()
    healed = cache.load(key)
    assert healed is not None and path.exists()
    assert np.array_equal(healed.t, PoseSequence.load_npz(NPZ).t)


def test_formcheck_analyze_heals_a_truncated_entry(tmp_path, monkeypatch, capsys):
    """`formcheck analyze` (no estimator handed in): the first run recomputes, the next reads the cache."""
    import formcheck.pose
    from formcheck.cli import main

    made: list[str] = []

    def fake_model(options):  # the model, replayed from stored landmarks
        made.append(options.model)
        return ReplayEstimator(NPZ)

    monkeypatch.setattr(formcheck.pose, "MediaPipeEstimator", fake_model)
    key = landmark_cache_key(file_sha256(CLIP), load_config())
    _truncate_entry(key)
    for run in range(2):
        rc = main(["analyze", str(CLIP), "-q", "--json", str(tmp_path / f"r{run}.json")])
        assert rc == 0, capsys.readouterr().err
    assert made == ["full"], "the first run recomputes the landmarks, the second reads the healed entry"
    assert cache.load(key) is not None
    assert (tmp_path / "r0.json").read_text().count('"rep_count": 3') == 1
