"""The mirror pass with the real model (``pose.mirror``): MediaPipe reads a lifter facing left a little differently
from the same lifter facing right; with the mirror pass on, the landmarks of a clip and of its mirror image, flipped
back, are the same reading (docs/ACCURACY.md "The mirror image cancels the model's facing bias")."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.geometry import angle_at
from formcheck.landmarks import Landmark, swap_table
from formcheck.pipeline import estimate_pose
from tests.helpers import ROOT
from tests.videos import mirrored_copy

pytestmark = pytest.mark.model

#: The rendered sample RDL's first seconds: the standing start and the first descent.
CLIP = ROOT / "sample_videos" / "rdl_knees_bend.mp4"
SECONDS = 4.0


def _knee_flexion(xy: np.ndarray, side: str) -> np.ndarray:
    hip, knee, ankle = (getattr(Landmark, f"{side}_{j}") for j in ("HIP", "KNEE", "ANKLE"))
    return 180.0 - angle_at(xy[:, hip], xy[:, knee], xy[:, ankle])


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    """Knee flexion of both knees, per frame, of the clip and of its mirror image (flipped back), with the mirror
    pass on and off; the model on every frame so that both runs see the same frames."""
    folder = tmp_path_factory.mktemp("mirror")
    flipped = mirrored_copy(CLIP, folder / "flipped.mp4", SECONDS)
    asis = folder / "flipped.asis.mp4"
    out = {}
    for mirror in (True, False):
        config = load_config(overrides={"pose.mirror": mirror, "pose.sparse": False})
        a = estimate_pose(asis, config, use_cache=False)
        b = estimate_pose(flipped, config, use_cache=False)
        bxy = b.xy[:, swap_table()].astype(float)
        bxy[..., 0] = b.meta.width - bxy[..., 0]
        out[mirror] = {
            side: (_knee_flexion(a.xy.astype(float), side), _knee_flexion(bxy, side)) for side in ("LEFT", "RIGHT")
        }
    return out


def test_with_the_mirror_pass_a_clip_and_its_mirror_image_read_the_same(readings):
    for side, (a, b) in readings[True].items():
        ok = np.isfinite(a) & np.isfinite(b)
        assert ok.mean() > 0.9, side
        assert float(np.median(np.abs(a[ok] - b[ok]))) < 0.05, side


def test_without_it_the_facing_changes_the_reading(readings):
    """The bias the mirror pass cancels: the same frames, mirrored, read differently by more than a rounding."""
    gaps = []
    for a, b in readings[False].values():
        ok = np.isfinite(a) & np.isfinite(b)
        gaps.append(float(np.median(np.abs(a[ok] - b[ok]))))
    assert max(gaps) > 1.0, gaps
