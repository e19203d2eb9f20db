"""The plain loop a user gets from a typical open-source rep counter, as the peer formcheck is measured against.

Usage: python bench/peer_loop.py CLIP [--model PATH] [--decoder opencv|pyav] [--no-inference]

OpenCV decode (``cv2.VideoCapture``), BGR -> RGB, MediaPipe Tasks ``PoseLandmarker`` in VIDEO mode on every
frame (the same ``pose_landmarker_full.task`` formcheck uses), the hip angle (shoulder-hip-knee, on the side
the model sees better) and a two-threshold state machine: a rep is counted each time the angle rises above
``UP_DEG`` after having been below ``DOWN_DEG``. That is the counter of most hip-thrust / deadlift counting
scripts on GitHub. Prints one JSON line: frames, reps, the angle per frame is not printed (only its summary).

``--no-inference`` does everything but the model's calls (imports, the landmarker's creation, decoding, the
conversion to RGB): the peer's CPU time less this run's is what the model costs it (bench/compare_peer.py
``--model-share``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "pose_landmarker_full.task"

#: The state machine's thresholds (degrees of the shoulder-hip-knee angle), as typical counters set them.
DOWN_DEG = 120.0
UP_DEG = 160.0
#: MediaPipe BlazePose indices: shoulder, hip, knee (left, right).
LEFT = (11, 23, 25)
RIGHT = (12, 24, 26)


def _angle(a, b, c) -> float:
    v1 = (a.x - b.x, a.y - b.y)
    v2 = (c.x - b.x, c.y - b.y)
    n1, n2 = math.hypot(*v1), math.hypot(*v2)
    if n1 == 0 or n2 == 0:
        return float("nan")
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (n1 * n2)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def frames_opencv(path: str):
    import cv2

    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise SystemExit(f"cannot open {path}")
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    index = 0
    try:
        while True:
            ok, bgr = cap.read()
            if not ok:
                return
            ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            yield (ms if ms > 0 or index == 0 else index * 1000.0 / fps), cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            index += 1
    finally:
        cap.release()


def frames_pyav(path: str):
    import av

    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            yield float(frame.time or 0.0) * 1000.0, frame.to_ndarray(format="rgb24")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip")
    parser.add_argument("--model", default=str(MODEL))
    parser.add_argument("--decoder", choices=("opencv", "pyav"), default="opencv")
    parser.add_argument("--no-inference", action="store_true", help="all but the model's calls")
    args = parser.parse_args()
    os.environ.setdefault("GLOG_minloglevel", "2")
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=args.model), running_mode=vision.RunningMode.VIDEO
    )
    frames = frames_opencv if args.decoder == "opencv" else frames_pyav
    reps, down, n, seen, last_ms = 0, False, 0, 0, -1
    angles: list[float] = []
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for ms, rgb in frames(args.clip):
            stamp = max(int(ms), last_ms + 1)  # MediaPipe needs strictly increasing timestamps
            last_ms = stamp
            n += 1
            if args.no_inference:
                continue
            result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), stamp)
            if not result.pose_landmarks:
                continue
            seen += 1
            pts = result.pose_landmarks[0]
            side = LEFT if sum(pts[i].visibility for i in LEFT) >= sum(pts[i].visibility for i in RIGHT) else RIGHT
            angle = _angle(*(pts[i] for i in side))
            angles.append(angle)
            if angle < DOWN_DEG:
                down = True
            elif angle > UP_DEG and down:
                reps += 1
                down = False
    json.dump({"frames": n, "detected": seen, "reps": reps, "decoder": args.decoder}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
