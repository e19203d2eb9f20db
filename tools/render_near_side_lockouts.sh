#!/bin/bash
# Render and pose the partial-lockout RDLs near the side view behind docs/ACCURACY.md "A lockout pass needs the side
# view": partial lockouts of 15° (reps 2 and 4) and 5° (rep 3), the camera 5, 10 and 15° off the side towards the
# lifter's front (and -10/-15°, towards the back), the default body and random bodies, both facings; 480x270 at 15 fps (about 2-3 minutes a clip on 2
# cores). Then: python tools/lockout_truth.py OUT/*.mp4 --no-pass-gate
# Usage: tools/render_near_side_lockouts.sh OUT
set -euo pipefail
OUT=${1:?usage: $0 OUT_DIR}
mkdir -p "$OUT"
PY=${PYTHON:-.venv/bin/python}
for spec in "10 0 left default" "10 7 right random" "5 0 right default" "5 7 left random" "10 11 right random" \
    "5 11 left random" "10 12 left random" "15 11 left random" "-10 7 right random" "-15 0 left default" \
    "-10 11 left random" "-15 12 right random"; do
  read -r A S F B <<< "$spec"
  X="$OUT/rdl_pl_az${A}_s${S}_${F}"
  body=()
  [ "$B" = random ] && body=(--random-body)
  [ -s "$X.mp4" ] || nice -n 5 "$PY" -m formcheck.synth --lift rdl --reps 4 --fault partial_lockout=15@2,4 \
    --fault partial_lockout=5@3 --azimuth="$A" --facing "$F" --width 480 --height 270 --fps 15 "${body[@]}" \
    --seed "$S" -q -o "$X.mp4"
  # pose once into the landmark cache; tools/lockout_truth.py reads it from there
  [ -s "$X.analysis.json" ] || nice -n 5 "$PY" -m formcheck analyze "$X.mp4" --exercise rdl --json "$X.analysis.json" -q
done
