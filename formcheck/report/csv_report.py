"""Per-frame angles as CSV: one row per analysed frame, one column per metric."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .files import staged


def write_csv(analysis, path: str | Path) -> Path:
    """Columns: frame, t_s, rep (0 = between reps), phase, then every metric (empty = not measured), then
    ``guessed``: the body points that were not evidence in that frame (``analysis.trust``, COACHING.md §6), joined
    by ``;`` (empty = every one seen; an angle read from a guessed point is the model's guess, not a measurement)."""
    path = Path(path)
    series = analysis.series
    n = len(series.t)
    rep_of = np.zeros(n, dtype=int)
    phase = np.array([""] * n, dtype=object)
    for rep in analysis.reps:
        rep_of[rep.start : rep.end] = rep.index
        # no descent filmed: the frames before the bottom are a floor pull's set-up at the bar
        phase[rep.start : rep.bottom] = "eccentric" if rep.eccentric_s is not None else "set-up"
        phase[rep.bottom : rep.lockout] = "concentric"
        phase[rep.lockout : rep.end] = "top"
    trust = analysis.frame_trust
    with staged(path) as tmp, tmp.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["frame", "t_s", "rep", "phase", *series.names, "guessed"])
        for i in range(n):
            values = ["" if not np.isfinite(v) else f"{v:.3f}" for v in series.values[i]]
            guessed = "" if trust is None else ";".join(j for j, f in zip(trust.joints, trust.flags[i]) if f)
            row = [int(series.frame_index[i]), f"{series.t[i]:.4f}", rep_of[i], phase[i], *values, guessed]
            writer.writerow(row)
    return path
