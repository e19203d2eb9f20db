#!/usr/bin/env bash
# Renders the evaluation set of synthetic clips: every fault kind the renderer knows, injected in reps 2
# and 3 of 3 (rep 1 stays clean), both facings, plus two clean off-side views. Not committed (it is
# regenerated identically by this script); score it with: formcheck eval OUT_DIR
# Usage: bash tools/render_eval_set.sh [OUT_DIR]   (default: out/eval_set)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/eval_set}"
mkdir -p "$OUT"
S=".venv/bin/python -m formcheck.synth --fps 30 --width 640 --height 360 --supersample 1 --crf 23 -q --reps 3"
jobs_=(
  "--lift rdl --fault knees_bend@2,3 --seed 21 --facing right -o $OUT/rdl_knees_bend.mp4"
  "--lift rdl --fault knees_locked@2,3 --seed 22 --facing left -o $OUT/rdl_knees_locked.mp4"
  "--lift rdl --fault bar_drift@2,3 --seed 23 --facing right -o $OUT/rdl_bar_drift.mp4"
  "--lift rdl --fault rushed@2,3 --seed 24 --facing left -o $OUT/rdl_rushed.mp4"
  "--lift hip_thrust --fault head_back@2,3 --seed 25 --facing right -o $OUT/ht_head_back.mp4"
  "--lift hip_thrust --fault chin_tuck@2,3 --seed 26 --facing left -o $OUT/ht_chin_tuck.mp4"
  "--lift hip_thrust --fault overextension@2,3 --seed 27 --facing right -o $OUT/ht_overextension.mp4"
  "--lift hip_thrust --fault partial@2,3 --seed 28 --facing left -o $OUT/ht_partial.mp4"
  "--lift hip_thrust --fault shins@2,3 --seed 29 --facing right -o $OUT/ht_shins.mp4"
  "--lift rdl --azimuth 20 --seed 30 --facing left -o $OUT/rdl_clean_az20.mp4"
  "--lift hip_thrust --azimuth -20 --seed 31 --facing right -o $OUT/ht_clean_az-20.mp4"
)
i=0
for args in "${jobs_[@]}"; do
  # shellcheck disable=SC2086
  $S $args &
  i=$((i + 1))
  if (( i % 2 == 0 )); then wait; fi
done
wait
echo "rendered ${#jobs_[@]} clips into $OUT"
