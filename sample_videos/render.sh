#!/usr/bin/env bash
# Renders every clip in sample_videos/ (deterministic: same command, same frames and labels).
# Usage: bash sample_videos/render.sh   (from the project root, with the .venv installed)
set -euo pipefail
cd "$(dirname "$0")/.."
S=".venv/bin/python -m formcheck.synth --fps 30 --width 640 --height 360 --supersample 1 --crf 23 -q"
$S --lift hip_thrust --reps 4 --fault head_back@4 --seed 11 --facing right -o sample_videos/hip_thrust_head_back.mp4 &
$S --lift rdl --reps 4 --fault knees_bend@3,4 --seed 12 --facing left -o sample_videos/rdl_knees_bend.mp4 &
wait
$S --lift rdl --reps 3 --seed 13 --facing right -o sample_videos/rdl_clean.mp4 &
$S --lift hip_thrust --reps 3 --fault overextension@2 --seed 14 --facing left --portrait --width 640 --height 360 -o sample_videos/hip_thrust_portrait_overextension.mp4 &
wait
