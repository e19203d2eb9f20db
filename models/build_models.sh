#!/usr/bin/env bash
# Rebuild models/pose_landmarker_{lite,full,heavy}.task and models/SHA256SUMS
# from pinned public packages. Usage, from the project root:
#
#   bash models/build_models.sh
#
# Needs: python3 (3.9-3.12, for the mediapipe 0.10.14 wheel; set PYTHON=... to
# pick another interpreter), pip access to PyPI, npm access to the npm registry.
# Env: OUT_DIR (default: this directory), KEEP_BUILD_DIR=1 to keep the scratch
# dir, BUILD_VENV=/path to reuse an existing build venv.
set -euo pipefail

MEDIAPIPE_VERSION=0.10.14
NPM_POSE_VERSION=0.5.1675469404
NPM_POSE_TGZ_SHA256=8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84
# Only what the metadata writer imports; mediapipe's other deps (jax, opencv,
# matplotlib, ...) are skipped with --no-deps.
PIP_PINS=(
  "mediapipe==${MEDIAPIPE_VERSION}"
  "flatbuffers==24.3.25"
  "numpy==1.26.4"
  "protobuf==4.25.3"
  "absl-py==2.1.0"
  "attrs==23.2.0"
)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(mkdir -p "${OUT_DIR:-$HERE}" && cd "${OUT_DIR:-$HERE}" && pwd)"
# mediapipe 0.10.14 has wheels for CPython 3.8-3.12; numpy 1.26.4 needs >= 3.9.
if [[ -z "${PYTHON:-}" ]]; then
  for cand in python3 python3.12 python3.11 python3.10 python3.9; do
    if command -v "$cand" >/dev/null && "$cand" -c \
        'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 12))'; then
      PYTHON="$cand"; break
    fi
  done
fi
PYTHON="${PYTHON:-python3}"

command -v npm >/dev/null || { echo "npm is required (npm pack)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/formcheck-models.XXXXXX")"
if [[ "${KEEP_BUILD_DIR:-0}" != 1 ]]; then
  trap 'rm -rf "$WORK"' EXIT
else
  echo "build dir: $WORK" >&2
fi

"$PYTHON" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 12))' \
  || { echo "need Python 3.9-3.12 for mediapipe 0.10.14 (set PYTHON=)" >&2; exit 1; }

# 1. Throwaway venv with the pinned mediapipe (its metadata writer works).
VENV="${BUILD_VENV:-$WORK/venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-deps --only-binary=:all: "${PIP_PINS[@]}"

# 2. The landmark networks from the npm package.
mkdir -p "$WORK/npm"
(cd "$WORK/npm" && npm pack --silent "@mediapipe/pose@${NPM_POSE_VERSION}" >/dev/null)
TGZ="$WORK/npm/mediapipe-pose-${NPM_POSE_VERSION}.tgz"
echo "${NPM_POSE_TGZ_SHA256}  ${TGZ}" | sha256sum -c --quiet -
tar -xzf "$TGZ" -C "$WORK/npm"

# 3. Metadata + bundles (input hashes are checked in build_models.py).
"$VENV/bin/python" "$HERE/build_models.py" \
  --npm-dir "$WORK/npm/package" --out-dir "$OUT_DIR"
echo "wrote $OUT_DIR/SHA256SUMS" >&2
