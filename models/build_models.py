"""Rebuild MediaPipe Tasks pose_landmarker_{lite,full,heavy}.task bundles.

Run by build_models.sh inside a throwaway venv that has mediapipe==0.10.14
(whose metadata writer still works). Not meant to be imported by formcheck.

Inputs (all checked against pinned SHA-256 below):
  * pose_detection.tflite   from the PyPI wheel mediapipe==0.10.14
                            (mediapipe/modules/pose_detection/)
  * pose_landmark_{lite,full,heavy}.tflite from the npm package
                            @mediapipe/pose@0.5.1675469404

For each variant it writes TFLite metadata declaring the input normalisation
the MediaPipe Tasks graphs need, then zips the pair into an uncompressed,
reproducible (fixed timestamps, fixed order, fixed permissions) .task file.
"""

import argparse
import hashlib
import importlib.util
import io
import os
import sys
import types
import zipfile

# Import the metadata writer without running mediapipe/__init__.py, which
# pulls in cv2/matplotlib (not needed here, not installed in the build venv).
_spec = importlib.util.find_spec("mediapipe")
if _spec is None:
    sys.exit("mediapipe (0.10.14) is not installed in this interpreter")
_pkg = types.ModuleType("mediapipe")
_pkg.__path__ = list(_spec.submodule_search_locations)
sys.modules["mediapipe"] = _pkg

from mediapipe.tasks.python.metadata.metadata_writers import (  # noqa: E402
    metadata_writer,
)

# SHA-256 of the unmodified input networks.
INPUT_SHA256 = {
    "pose_detection.tflite": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    "pose_landmark_lite.tflite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "pose_landmark_heavy.tflite": "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
}

VARIANTS = ("lite", "full", "heavy")

# Zip entry layout of a MediaPipe Tasks pose landmarker bundle.
DETECTOR_ENTRY = "pose_detector.tflite"
LANDMARKS_ENTRY = "pose_landmarks_detector.tflite"

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
# Official bundles align stored entries to 4 bytes; 64 is a superset of that.
ALIGNMENT = 64


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_checked(path: str) -> bytes:
    name = os.path.basename(path)
    with open(path, "rb") as f:
        data = f.read()
    got = sha256(data)
    if got != INPUT_SHA256[name]:
        sys.exit(f"{path}: SHA-256 {got} != pinned {INPUT_SHA256[name]}")
    return data


def with_metadata(model: bytes, *, name: str, description: str, mean: float, std: float, outputs) -> bytes:
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(
        norm_mean=[mean], norm_std=[std], description="Input image, RGB, normalised as (pixel - mean) / std."
    )
    for out_name, out_desc in outputs:
        writer.add_feature_output(name=out_name, description=out_desc)
    out, _ = writer.populate()
    return bytes(out)


def detector_with_metadata(model: bytes) -> bytes:
    # BlazePose detector: 224x224 RGB in [-1, 1].
    return with_metadata(
        model,
        name="BlazePose detector",
        description="Detects the pose region of interest of one person (MediaPipe pose_detection.tflite).",
        mean=127.5,
        std=127.5,
        outputs=[
            ("raw_boxes", "Undecoded boxes and keypoints, 2254 anchors x 12."),
            ("scores", "Raw scores of the 2254 anchors."),
        ],
    )


def landmarks_with_metadata(model: bytes, variant: str) -> bytes:
    # BlazePose GHUM 3D landmark network: 256x256 RGB in [0, 1].
    return with_metadata(
        model,
        name=f"BlazePose GHUM 3D landmarks ({variant})",
        description="Predicts 33 pose landmarks, world landmarks and a "
        "segmentation mask (MediaPipe "
        f"pose_landmark_{variant}.tflite).",
        mean=0.0,
        std=255.0,
        outputs=[
            ("landmarks", "39 x (x, y, z, visibility, presence), image px."),
            ("pose_flag", "Pose presence score (logit)."),
            ("segmentation", "256x256 segmentation mask logits."),
            ("heatmap", "64x64x39 landmark heatmaps."),
            ("world_landmarks", "39 x (x, y, z) world landmarks, metres."),
        ],
    )


def write_bundle(path: str, entries) -> None:
    """Uncompressed zip, fixed order/timestamps/attrs, aligned payloads."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_STORED
            zi.create_system = 3  # Unix
            zi.external_attr = 0o644 << 16
            # Pad before the local header so the payload starts aligned.
            # Local header: 30 fixed bytes + name + extra (none here).
            header_len = 30 + len(name.encode("ascii")) + len(zi.extra)
            pad = -(zf.fp.tell() + header_len) % ALIGNMENT
            zf.fp.write(b"\0" * pad)
            zf.start_dir = zf.fp.tell()
            zf.writestr(zi, data)
    raw = buf.getvalue()
    # Sanity: every payload is aligned and intact.
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for (name, data), zi in zip(entries, zf.infolist()):
            assert zi.filename == name and zi.compress_type == 0
            off = zi.header_offset + 30 + len(zi.filename) + len(zi.extra)
            assert off % ALIGNMENT == 0, (name, off)
            assert raw[off : off + len(data)] == data
            assert zf.read(name) == data
    with open(path, "wb") as f:
        f.write(raw)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--npm-dir", required=True, help="unpacked @mediapipe/pose package directory")
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()

    det_src = os.path.join(os.path.dirname(_spec.origin), "modules", "pose_detection", "pose_detection.tflite")
    detector = detector_with_metadata(read_checked(det_src))

    lines = []
    for variant in VARIANTS:
        src = os.path.join(args.npm_dir, f"pose_landmark_{variant}.tflite")
        landmarks = landmarks_with_metadata(read_checked(src), variant)
        name = f"pose_landmarker_{variant}.task"
        out = os.path.join(args.out_dir, name)
        write_bundle(out, [(DETECTOR_ENTRY, detector), (LANDMARKS_ENTRY, landmarks)])
        with open(out, "rb") as f:
            lines.append(f"{sha256(f.read())}  {name}\n")

    with open(os.path.join(args.out_dir, "SHA256SUMS"), "w") as f:
        f.writelines(lines)
    sys.stdout.writelines(lines)


if __name__ == "__main__":
    main()
