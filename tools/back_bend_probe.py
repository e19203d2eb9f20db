"""Probe for a back-rounding measure (COACHING.md §1 "Back rounding: what 2D can see"; docs/ACCURACY.md "Back
rounding: the segmentation mask's back contour"): not used by any rule yet.

At each rep's start and bottom frame, MediaPipe's pose landmarker (IMAGE mode, segmentation mask on) runs on a
square crop around the lifter; rays cast from the near-side hip->shoulder chord, on the side away from the knee,
find the back's edge in the mask at 17 points along the chord; the "bend" is the angle between straight lines
fitted to the lower and the upper half of that edge (0 for a flat back, positive when the back is convex).

    python tools/back_bend_probe.py CLIP.mp4 ...   (a rendered clip with its label CLIP.json: analysed as an RDL
    from its cached landmarks; a clip of ../shared/videos: from tests/data/landmarks/<clip>.full.npz)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import av
import numpy as np

from formcheck.config import load_config
from formcheck.landmarks import Landmark
from formcheck.pipeline import analyze_landmarks, estimate_pose
from formcheck.pose import _import_mediapipe, model_path
from formcheck.types import PoseSequence

#: Fractions of the hip->shoulder chord where the back's edge is looked for.
ALONG = np.linspace(0.1, 0.9, 17)
#: A gap of this many pixels of background along a ray ends the body.
GAP_PX = 3.0
#: The crop around the landmarks, as a multiple of their larger extent.
CROP = 1.3


def back_edge(mask: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, belly: np.ndarray) -> tuple[np.ndarray, float]:
    """Distance (px) from the chord to the back's edge at :data:`ALONG`, and the chord's length."""
    u = shoulder - hip
    length = float(np.linalg.norm(u))
    u = u / length
    n = np.array([-u[1], u[0]])
    if np.dot(n, belly - (hip + shoulder) / 2.0) > 0:
        n = -n
    height, width = mask.shape
    out = []
    for f in ALONG:
        p, last = hip + u * length * f, np.nan
        for d in np.arange(0.0, length, 0.5):
            x, y = (int(round(v)) for v in p + n * d)
            if not (0 <= x < width and 0 <= y < height):
                break
            if mask[y, x] > 0.5:
                last = d
            elif np.isfinite(last) and d - last > GAP_PX:
                break
        out.append(last)
    return np.array(out), length


def bend_deg(offsets: np.ndarray, length: float) -> float:
    """Angle between lines fitted to the lower and upper half of the edge (positive: convex back)."""
    s = ALONG * length
    ok = np.isfinite(offsets)
    s, d = s[ok], offsets[ok]
    if len(s) < len(ALONG) // 2:
        return float("nan")
    m = len(s) // 2
    lower = np.degrees(np.arctan(np.polyfit(s[: m + 1], d[: m + 1], 1)[0]))
    upper = np.degrees(np.arctan(np.polyfit(s[m:], d[m:], 1)[0]))
    return float(lower - upper)


def probe(path: Path) -> list[dict]:
    config = load_config()
    label_path = path.with_suffix(".json")
    label = json.loads(label_path.read_text()) if label_path.exists() else None
    if label is None:
        seq = PoseSequence.load_npz(f"tests/data/landmarks/{path.stem}.full.npz")
        analysis = analyze_landmarks(seq, config, video=path)
    else:
        analysis = analyze_landmarks(estimate_pose(path, config, use_cache=True), config, exercise="rdl")
    side = (label["near_side"] if label else analysis.series.side).upper()
    xy = np.asarray(analysis.landmarks_xy)
    wanted = {r.start: (r.index, "start") for r in analysis.reps} | {
        r.bottom: (r.index, "bottom") for r in analysis.reps
    }
    mp = _import_mediapipe()
    options = mp.PoseLandmarkerOptions(
        base_options=mp.BaseOptions(model_asset_path=str(model_path("full"))),
        running_mode=mp.RunningMode.IMAGE,
        num_poses=1,
        output_segmentation_masks=True,
    )
    import mediapipe  # the image type; the landmarker above made sure the package imports

    rows = []
    with mp.PoseLandmarker.create_from_options(options) as landmarker, av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i not in wanted:
                continue
            rgb = frame.to_ndarray(format="rgb24")
            seen = xy[i][np.isfinite(xy[i, :, 0])]
            (x0, y0), (x1, y1) = seen.min(0), seen.max(0)
            half = CROP * max(x1 - x0, y1 - y0) / 2.0
            cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
            a, b = int(max(cy - half, 0)), int(min(cy + half, rgb.shape[0]))
            c, d = int(max(cx - half, 0)), int(min(cx + half, rgb.shape[1]))
            crop = np.ascontiguousarray(rgb[a:b, c:d])
            result = landmarker.detect(mediapipe.Image(image_format=mediapipe.ImageFormat.SRGB, data=crop))
            value = float("nan")
            if result.segmentation_masks:
                part = np.asarray(result.segmentation_masks[0].numpy_view())
                mask = np.zeros(rgb.shape[:2], dtype=np.float32)
                mask[a:b, c:d] = part[..., 0] if part.ndim == 3 else part
                hip, shoulder, knee = (xy[i, Landmark[f"{side}_{j}"]] for j in ("HIP", "SHOULDER", "KNEE"))
                value = bend_deg(*back_edge(mask, hip, shoulder, knee))
            rep, when = wanted[i]
            truth = [r for r in label["reps"] if r["index"] == rep] if label else []
            size = truth[0]["fault_sizes"].get("rounded_back", 0.0) if truth else None
            rows.append({"clip": path.stem, "rep": rep, "frame": i, "at": when, "size": size, "bend_deg": value})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("clips", nargs="+", type=Path)
    for clip in parser.parse_args().clips:
        for row in probe(clip):
            print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
