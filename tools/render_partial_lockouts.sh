#!/bin/bash
# Render and pose the partial-lockout RDLs behind docs/ACCURACY.md "Hips through at the top": partial lockouts
# of 15° (reps 2 and 4) and 5° (rep 3), random bodies, both facings, side view and 30-45° off it on either side
# (a negative azimuth turns the camera towards the lifter's back). Then: python tools/lockout_truth.py OUT/*.mp4
# Usage: tools/render_partial_lockouts.sh OUT   (about 4-8 minutes a clip on 2 cores)
set -euo pipefail
OUT=${1:?usage: $0 OUT_DIR}
mkdir -p "$OUT"
PY=${PYTHON:-.venv/bin/python}
for spec in "0 11 right" "0 12 left" "0 13 right" "-30 11 right" "-30 14 left" "-45 12 left" "-45 13 right" \
    "30 13 left" "45 14 right"; do
  read -r A S F <<< "$spec"
  X="$OUT/rdl_pl_az${A}_s${S}_${F}"
  [ -s "$X.mp4" ] || nice -n 5 "$PY" -m formcheck.synth --lift rdl --reps 4 --fault partial_lockout=15@2,4 \
    --fault partial_lockout=5@3 --azimuth="$A" --facing "$F" --width 640 --height 360 --fps 15 --random-body \
    --seed "$S" -q -o "$X.mp4"
  # pose once into the landmark cache; tools/lockout_truth.py reads it from there
  [ -s "$X.analysis.json" ] || nice -n 5 "$PY" -m formcheck analyze "$X.mp4" --exercise rdl --json "$X.analysis.json" -q
done
