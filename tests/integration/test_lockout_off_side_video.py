"""A full hip-thrust lockout filmed 30 degrees off the side behind 45 cm plates is never called a partial one.

``tests/data/rendered/hip_thrust_plates_az30_left``: four thrusts with 45 cm plates filmed 30 degrees off the side,
rendered by ``formcheck synth`` (the command is in its ``.truth.json``), with the full model's landmarks beside it;
every top is a full lockout (179-180 degrees). From there the near plate stands over the lifter's shoulders on the
bench, the model guesses them on the plate, and the top hip angle reads 144-152.

- The plate search, told the shot's angle off the side, finds the near plate (an ellipse along the bar's axis off
  the hips) in every rep and marks the shoulders inside it: ``ht.lockout`` says "not checked" with that reason
  (docs/ACCURACY.md "The near plate filmed off the side"). Before, the search looked for a circle in front of the
  hips, found none, and the rule gave a fault, then (with the off-side uncertainty) a warning, on every top.
- Without the plate search (landmarks only, or ``plates.check`` off) the reading short of the line is at most a
  warning that says why: past the pure side view it scatters 25 degrees about the truth on rendered thrusts
  (``hip_thrust.lockout_off_side_uncertainty_deg``; docs/ACCURACY.md "A full lockout read as a partial one off the
  side").
"""

from __future__ import annotations

from formcheck.config import load_config
from formcheck.exercises.detect import pure_side
from tests.rendered import judge_rendered

STEM = "hip_thrust_plates_az30_left"
CFG = load_config()


def test_the_shoulders_behind_the_oblique_plate_are_not_judged():
    truth, analysis, found = judge_rendered(STEM, "ht.lockout", CFG)
    assert not pure_side(analysis.view, CFG.detect)
    plates = analysis.plates or {}
    assert plates.get("checked") and len(plates["reps"]) == 4
    assert all(r["plate"] and 0.25 <= r["radius_leg"] <= 0.45 for r in plates["reps"]), plates
    assert len(found) == 4
    for k, f in found.items():
        assert truth["top_hip_deg"][k] >= 178.0  # a full lockout
        assert f.verdict == "not_checked", (k, f.value, f.message)
        assert f.message.startswith("the shoulder is hidden behind the plate in "), f.message


def test_without_the_plate_search_full_tops_read_short_are_warnings_with_the_off_side_uncertainty():
    config = load_config(overrides={"plates.check": False})
    truth, analysis, found = judge_rendered(STEM, "ht.lockout", config)
    judged = {k: f for k, f in found.items() if f.verdict != "not_checked"}
    assert len(judged) >= 3
    for k, f in judged.items():
        assert truth["top_hip_deg"][k] >= 178.0
        assert (
            f.value < config.hip_thrust.lockout_min_hip_deg - config.hip_thrust.warn_margin_deg
        )  # read as a partial...
        assert f.verdict == "warn", (k, f.value, f.message)  # ...but not a fault
        assert f.uncertainty == config.hip_thrust.lockout_off_side_uncertainty_deg
        assert "measurement uncertainty" in f.message, f.message
