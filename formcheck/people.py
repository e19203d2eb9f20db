"""How many people are in a frame (the ``several_people`` warning, formcheck.quality).

The pose model's person detector looks at the whole frame scaled down to a small square. Two lifters side
by side in a landscape frame are each a small figure there, and it finds neither of them (measured on two
rendered lifters side by side, 1280x360: 0 of 10 frames; each half alone: 10 of 10). So a wide frame is
also looked at in halves, at twice the scale, and the people found in the whole and in the halves are
merged: a person seen in two looks (a box inside or mostly over another) counts once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

#: A frame at least this much wider than tall (or taller than wide) is also searched in two halves.
SPLIT_ASPECT = 1.3
#: Two boxes whose overlap covers at least this share of the smaller one are the same person.
SAME_PERSON_OVERLAP = 0.3

#: (x0, y0, x1, y1) in pixels of the whole frame.
Box = tuple[float, float, float, float]
#: Finds the poses in an RGB picture: a list of people, each a list of landmarks with ``x``, ``y`` in 0-1 of
#: the padded square it was given, with the square's side and padding (formcheck.pose.letterbox).
Detect = Callable[[np.ndarray], tuple[Sequence[Sequence[Any]], int, int, int]]


def tiles(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The parts of a ``width`` x ``height`` frame to search: the whole frame, and for a wide (tall) frame its
    left and right (top and bottom) halves. Each as (x0, y0, x1, y1)."""
    parts = [(0, 0, width, height)]
    if width >= SPLIT_ASPECT * height:
        parts += [(0, 0, width // 2, height), (width // 2, 0, width, height)]
    elif height >= SPLIT_ASPECT * width:
        parts += [(0, 0, width, height // 2), (0, height // 2, width, height)]
    return parts


def _box(person: Sequence[Any], side: int, pad_x: int, pad_y: int, x0: int, y0: int) -> Box:
    xs = np.array([p.x for p in person]) * side - pad_x + x0
    ys = np.array([p.y for p in person]) * side - pad_y + y0
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _overlap(a: Box, b: Box) -> float:
    """Area of the intersection of ``a`` and ``b`` over the area of the smaller one."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(w * h / smaller) if smaller > 0 else 1.0


def merge(boxes: list[Box]) -> list[Box]:
    """One box per person: the biggest first, then every box that does not overlap one kept."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b[2] - b[0]) + (b[3] - b[1]), reverse=True):
        if all(_overlap(box, other) < SAME_PERSON_OVERLAP for other in kept):
            kept.append(box)
    return kept


#: Several people: the one question every reader of the count asks is whether it reached this (the several_people
#: warning, formcheck.quality; the count's schedule, formcheck.pose). So once the whole frame shows this many, its
#: halves are not searched: they are two of a count's three model passes (about 60 of 95 ms of CPU a count on
#: clip_006, docs/PERFORMANCE.md), and a count of this many may stand for more.
ENOUGH_PEOPLE = 2


def count_people(rgb: np.ndarray, detect: Detect, min_size: float) -> int:
    """People in the frame ``rgb``, searched by ``detect`` in the whole frame and its halves (:func:`tiles`),
    ignoring anyone smaller (box width + height) than ``min_size`` times the biggest. When the whole frame alone
    shows :data:`ENOUGH_PEOPLE`, that is the count (the halves are not searched)."""
    height, width = rgb.shape[:2]
    boxes: list[Box] = []
    for k, (x0, y0, x1, y1) in enumerate(tiles(width, height)):
        part = rgb if (x0, y0, x1, y1) == (0, 0, width, height) else np.ascontiguousarray(rgb[y0:y1, x0:x1])
        poses, side, pad_x, pad_y = detect(part)
        boxes += [_box(person, side, pad_x, pad_y, x0, y0) for person in poses]
        if k == 0 and (seen := _count(boxes, min_size)) >= ENOUGH_PEOPLE:
            return seen
    return _count(boxes, min_size)


def _count(boxes: list[Box], min_size: float) -> int:
    """The people among ``boxes`` (:func:`merge`) at least ``min_size`` times the biggest's size."""
    people = merge(boxes)
    if not people:
        return 0
    sizes = [(b[2] - b[0]) + (b[3] - b[1]) for b in people]
    return sum(1 for s in sizes if s >= min_size * max(sizes))
