"""formcheck.rescan: the bar check and the plate search from one decoding pass give what each gives alone.

The scene, written to a lossless video: a textured static background, a textured plate with a dark rim, and a
lifter's hands doing three reps; in the second the lifter has set the bar down and stands up without it, so the bar
check drops that rep and the plate search must then run on the other two only.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from formcheck import greystore, plates, rescan
from formcheck.barbell import drop_reps_without_bar
from formcheck.config import BarConfig, PlateConfig
from formcheck.greystore import GreyFrameStore
from formcheck.landmarks import N_LANDMARKS, Landmark
from formcheck.types import Rep
from formcheck.video import iter_frames

W, H = 320, 240
FPS = 30
LEG_PX = 80.0
PLATE_R = 24
HANDS_X = 160.0
TOP_Y, BOTTOM_Y = 110.0, 165.0
#: Frames of one rep: at the top, bottom 5 frames in, lockout 30 frames later, 5 frames held.
REP_FRAMES, BOTTOM_AT, LOCKOUT_AT = 40, 5, 35
LEAD_FRAMES = 4


def _texture(shape: tuple[int, int], seed: int, lo: int = 115, hi: int = 145) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(lo, hi, (shape[0] // 4 + 1, shape[1] // 4 + 1), dtype=np.uint8)
    return np.kron(small, np.ones((4, 4), np.uint8))[: shape[0], : shape[1]]


def _rep(index: int, origin: int, start: int, end: int, t: np.ndarray) -> Rep:
    """Rep ``index`` of the scene's rep beginning at frame ``origin``; ``start`` may be earlier."""
    bottom, lockout = origin + BOTTOM_AT, origin + LOCKOUT_AT
    return Rep(
        index=index,
        start=start,
        bottom=bottom,
        lockout=lockout,
        end=end,
        t_start=float(t[start]),
        t_bottom=float(t[bottom]),
        t_lockout=float(t[lockout]),
        t_end=float(t[end - 1]),
        eccentric_s=float(t[bottom] - t[start]),
        bottom_pause_s=0.0,
        concentric_s=float(t[lockout] - t[bottom]),
        top_pause_s=0.0,
        rom_deg=90.0,
        bottom_deg=80.0,
        top_deg=170.0,
    )


def _scene(folder: Path, overlap: tuple[int, int]) -> tuple[Path, np.ndarray, np.ndarray, list[Rep]]:
    """The video, its times, the landmarks (wrists only) and the three reps (the second and the third starting
    ``overlap`` frames before the previous one's end, as the rep finder may give)."""
    import av
    import cv2

    starts = [LEAD_FRAMES + k * REP_FRAMES for k in range(3)]
    n = starts[-1] + REP_FRAMES + 2
    t = np.arange(n) / FPS
    hands = np.full(n, TOP_Y)
    plate = np.full(n, TOP_Y)
    for k, s in enumerate(starts):
        down = np.linspace(TOP_Y, BOTTOM_Y, BOTTOM_AT + 1)
        up = np.linspace(BOTTOM_Y, TOP_Y, LOCKOUT_AT - BOTTOM_AT + 1)
        hands[s : s + BOTTOM_AT + 1] = down
        hands[s + BOTTOM_AT : s + LOCKOUT_AT + 1] = up
        hands[s + LOCKOUT_AT : s + REP_FRAMES] = TOP_Y
        if k == 0:  # with the bar
            plate[s : s + REP_FRAMES] = hands[s : s + REP_FRAMES]
        elif k == 1:  # the bar set down, then standing up without it
            plate[s : s + BOTTOM_AT + 1] = down
            plate[s + BOTTOM_AT :] = BOTTOM_Y
        else:  # down to the bar on the floor, up with it
            plate[s : s + BOTTOM_AT + 1] = BOTTOM_Y
            plate[s + BOTTOM_AT : s + REP_FRAMES] = hands[s + BOTTOM_AT : s + REP_FRAMES]
            plate[s + REP_FRAMES :] = TOP_Y
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    for lm in (Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST):
        xy[:, lm, 0] = HANDS_X
        xy[:, lm, 1] = hands
    background, disc_texture = _texture((H, W), 1), _texture((2 * PLATE_R, 2 * PLATE_R), 2, 60, 90)
    yy, xx = np.ogrid[: 2 * PLATE_R, : 2 * PLATE_R]
    disc = (yy - PLATE_R) ** 2 + (xx - PLATE_R) ** 2 <= PLATE_R**2
    path = folder / "three_reps.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("ffv1", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = W, H, "gray"
        for i in range(n):
            img = background.copy()
            cx, cy = int(HANDS_X) + 20, int(round(plate[i]))  # the plate's hub beside the hands (masked out)
            patch = img[cy - PLATE_R : cy + PLATE_R, cx - PLATE_R : cx + PLATE_R]
            patch[disc] = disc_texture[disc]
            cv2.circle(img, (cx, cy), PLATE_R, 10, 3)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="gray")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    ends = [s + REP_FRAMES for s in starts]
    reps = [_rep(k + 1, s, s - (0, *overlap)[k], e, t) for k, (s, e) in enumerate(zip(starts, ends))]
    return path, t, xy, reps


@pytest.mark.parametrize(
    ("overlap", "shared"),
    [((0, 0), None), ((4, 0), (1, 2)), ((0, 4), (2, 3))],
    ids=["reps_apart", "a_kept_rep_shares_a_look_with_the_dropped_one", "the_dropped_rep_shares_a_look_with_the_next"],
)
def test_one_pass_gives_what_the_bar_check_and_then_the_plate_search_give(tmp_path, overlap, shared):
    video, t, xy, reps = _scene(tmp_path, overlap)
    bar_config, plate_config = BarConfig(), PlateConfig()
    looks = plates.sample_rows(t, reps, plate_config.sample_every_s)
    pairs = [(a, b) for a, b in ((1, 2), (2, 3), (1, 3)) if set(looks[a]) & set(looks[b])]
    assert pairs == ([] if shared is None else [shared])
    bar_at = plates.bar_points("hinge", xy, xy)
    assert rescan.can_share(bar_config, plate_config, LEG_PX)

    alone = drop_reps_without_bar(video, t, xy, W, reps, LEG_PX, bar_config)
    alone_plates = plates.find_plates(video, t, bar_at, W, alone.reps, LEG_PX, plate_config)
    both = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, bar_config, plate_config)

    # the scene does what it should: the second rep dropped, a plate found on a rep that was kept
    assert [row.check.verdict for row in alone.rows] == ["with_bar", "without_bar", "with_bar"]
    assert [r.index for r in alone.reps] == [1, 2]
    assert any(p.accepted for p in alone_plates.reps)

    assert [asdict(r) for r in both.bar.reps] == [asdict(r) for r in alone.reps]
    assert [row.to_dict() for row in both.bar.rows] == [row.to_dict() for row in alone.rows]
    assert both.bar.dropped_at == alone.dropped_at
    assert both.plates.to_dict() == alone_plates.to_dict()
    np.testing.assert_array_equal(both.plates.centre, alone_plates.centre)
    np.testing.assert_array_equal(both.plates.radius, alone_plates.radius)


def test_a_video_that_cannot_be_read_says_so_as_each_alone(tmp_path):
    video, t, xy, reps = _scene(tmp_path, (0, 0))
    broken = tmp_path / "broken.mkv"
    broken.write_bytes(b"not a video at all")
    bar_at = plates.bar_points("hinge", xy, xy)
    both = rescan.bar_and_plates(broken, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig())
    assert {row.check.verdict for row in both.bar.rows} == {"unknown"}
    assert [r.index for r in both.bar.reps] == [1, 2, 3]
    assert both.plates.skipped.startswith("the video could not be read again")


def test_one_pass_needs_the_same_picture_size_and_a_leg_length():
    assert not rescan.can_share(BarConfig(max_side_px=480), PlateConfig(max_side_px=640), LEG_PX)
    assert not rescan.can_share(BarConfig(), PlateConfig(), float("nan"))


def _stored(video: Path, max_side: int = 480) -> GreyFrameStore:
    """The scene's grey pictures, kept as the pose pass keeps them (:mod:`formcheck.greystore`)."""
    store = GreyFrameStore(max_side, 1 << 30)
    for frame in iter_frames(video, lazy=True):
        store.add(frame)
    store.finish()
    return store


def _same(a: rescan.Rescan, b: rescan.Rescan) -> None:
    assert [asdict(r) for r in a.bar.reps] == [asdict(r) for r in b.bar.reps]
    assert [row.to_dict() for row in a.bar.rows] == [row.to_dict() for row in b.bar.rows]
    assert a.bar.dropped_at == b.bar.dropped_at
    assert a.plates.to_dict() == b.plates.to_dict()
    np.testing.assert_array_equal(a.plates.centre, b.plates.centre)
    np.testing.assert_array_equal(a.plates.radius, b.plates.radius)


def test_the_pose_pass_s_grey_pictures_give_what_decoding_again_gives(tmp_path, monkeypatch):
    video, t, xy, reps = _scene(tmp_path, (4, 0))
    bar_at = plates.bar_points("hinge", xy, xy)
    decoded = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig())
    assert [row.check.verdict for row in decoded.bar.rows] == ["with_bar", "without_bar", "with_bar"]
    with _stored(video) as store:
        read: list[float] = []
        frames = store.frames

        def counted(**kw):
            for frame in frames(**kw):
                read.append(frame.t)
                yield frame

        def no_decoding(*args, **kw):
            raise AssertionError("the video was decoded again")

        monkeypatch.setattr(store, "frames", counted)
        monkeypatch.setattr(rescan, "iter_frames", no_decoding)
        kept = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig(), store)
    assert read
    _same(kept, decoded)


def test_a_store_that_cannot_be_read_back_falls_back_to_decoding(tmp_path, monkeypatch):
    video, t, xy, reps = _scene(tmp_path, (0, 0))
    bar_at = plates.bar_points("hinge", xy, xy)
    decoded = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig())
    with _stored(video) as store:
        monkeypatch.setattr(greystore.os, "preadv", lambda fd, buffers, offset: 0)
        fallen_back = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig(), store)
    _same(fallen_back, decoded)


@pytest.mark.parametrize("why", ["another_size", "not_finished", "failed"])
def test_a_store_of_another_size_or_not_whole_is_not_read(tmp_path, monkeypatch, why):
    video, t, xy, reps = _scene(tmp_path, (0, 0))
    bar_at = plates.bar_points("hinge", xy, xy)
    decoded = rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig())
    store = _stored(video, 640 if why == "another_size" else 480)
    if why == "not_finished":
        store.finished = False
    elif why == "failed":
        store._stop("a test")

    def unread(**kw):
        raise AssertionError("an unusable store was read")

    monkeypatch.setattr(store, "frames", unread)
    with store:
        _same(rescan.bar_and_plates(video, t, xy, bar_at, W, reps, LEG_PX, BarConfig(), PlateConfig(), store), decoded)
