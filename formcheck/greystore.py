"""The second look's grey pictures, kept from the first decode: the video is decoded once, not twice.

The bar check and the plate search (:mod:`formcheck.rescan`) read the reps' frames again as a grey picture
scaled to ``bar.max_side_px``. Which frames is known only after the pose pass (the reps), so without this the
video is decoded a second time for them. :class:`GreyFrameStore` takes that grey picture of every frame while
the pose pass decodes it (:meth:`~formcheck.video.DecodedFrame.scaled_grey`: the same scaler call on the same
decoded picture, so the same pixels) and writes it to an unnamed temporary file, frame by frame; the second
pass reads back the frames it wants, one at a time. Memory stays flat (one frame at a time, a time and an
offset per frame in memory); the file is gone when the store is closed (or the process ends: it has no name).

Anything that goes wrong while writing (a full disk, the size limit, an unreadable frame) stops the store and
lets go of its file; the second pass then decodes the video as it did without it (:attr:`usable` false).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from .video import DecodedFrame, Frame, scaler

#: Free space on the file's disk is checked again every time the file has grown by this many bytes.
_CHECK_EVERY_BYTES = 64 << 20


class GreyFrameStore:
    """Grey pictures of a video's frames (longer side at most ``max_side``), spilled to a temporary file.

    ``add`` every decoded frame in order (the pose pass's decode thread), ``finish`` at the end, then
    ``frames(...)`` yields the ones a pass wants, as :func:`~formcheck.video.iter_frames` with the same
    ``max_side``, ``pixels="gray"``, ``start_s``, ``stop_s`` and ``keep`` would (the frames' ``index`` is -1, as
    there with ``skip_unkept``). The store stops taking frames, and is not :attr:`usable`, when it would hold
    more than ``max_bytes`` or leave less than ``min_free_bytes`` on its disk, or a write fails (:attr:`failed`
    says why).
    """

    def __init__(
        self, max_side: int, max_bytes: int, min_free_bytes: int = 0, directory: str | Path | None = None
    ) -> None:
        self.max_side = max_side
        self.max_bytes = max_bytes
        self.min_free_bytes = min_free_bytes
        self.directory = Path(directory) if directory is not None else Path(tempfile.gettempdir())
        self.failed = ""
        self.finished = False
        self._file: IO[bytes] | None = None
        self._t: list[float] = []
        self._offset: list[int] = []
        self._shape: list[tuple[int, int]] = []
        self._size = 0
        self._checked_at = -_CHECK_EVERY_BYTES
        self._scaler: Any | None = None  # kept from frame to frame in the thread that adds (video._array)

    def __len__(self) -> int:
        return len(self._t)

    def __enter__(self) -> GreyFrameStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def nbytes(self) -> int:
        """Bytes written so far."""
        return self._size

    @property
    def usable(self) -> bool:
        """Whether every frame of the pass went in: the pass is over and nothing stopped the store."""
        return self.finished and not self.failed and self._file is not None

    def add(self, frame: DecodedFrame) -> None:
        """Write ``frame``'s grey picture (before its RGB is read). Frames after a failure are ignored."""
        if self.failed or self.finished:
            return
        if self._scaler is None:
            self._scaler = scaler()
        try:
            grey = frame.scaled_grey(self.max_side, self._scaler)
        except RuntimeError as exc:  # its RGB was read first: the store would miss this frame
            self._stop(str(exc))
            return
        if self._size + grey.nbytes > self.max_bytes:
            self._stop(f"more than {self.max_bytes} bytes")
            return
        try:
            if self._size - self._checked_at >= _CHECK_EVERY_BYTES:
                free = shutil.disk_usage(self.directory).free
                if free - _CHECK_EVERY_BYTES < self.min_free_bytes:
                    self._stop(f"{free} bytes free on {self.directory}")
                    return
                self._checked_at = self._size
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="formcheck-grey-", dir=self.directory)  # noqa: SIM115 - closed by close()
            self._file.write(grey.data.cast("B"))
        except OSError as exc:
            self._stop(f"writing failed ({exc})")
            return
        self._t.append(frame.t)
        self._offset.append(self._size)
        self._shape.append((int(grey.shape[0]), int(grey.shape[1])))
        self._size += grey.nbytes

    def finish(self) -> None:
        """Every frame is in: the store can be read."""
        if self._file is not None and not self.failed:
            try:
                self._file.flush()
            except OSError as exc:
                self._stop(f"writing failed ({exc})")
        self.finished = True

    def frames(
        self,
        start_s: float | None = None,
        stop_s: float | None = None,
        keep: Callable[[float], bool] | None = None,
    ) -> Iterator[Frame]:
        """The stored frames from ``start_s`` to ``stop_s`` (seconds, inclusive) whose time ``keep`` accepts, in
        order, read one at a time. Needs :attr:`usable` (:class:`RuntimeError` otherwise); a failed read raises
        :class:`OSError`."""
        if not self.usable or self._file is None:
            raise RuntimeError(f"the grey frames are not all stored ({self.failed or 'not finished'})")
        fd = self._file.fileno()
        for t, offset, (height, width) in zip(self._t, self._offset, self._shape):
            if stop_s is not None and t > stop_s + 1e-6:
                return
            if (start_s is not None and t < start_s - 1e-6) or (keep is not None and not keep(t)):
                continue
            grey = np.empty((height, width), dtype=np.uint8)
            if os.preadv(fd, [grey.data.cast("B")], offset) != grey.nbytes:
                raise OSError(f"the grey frame at {t:.3f} s could not be read back")
            yield Frame(index=-1, t=t, rgb=grey)

    def close(self) -> None:
        """Let go of the file (it is deleted: it never had a name)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _stop(self, why: str) -> None:
        self.failed = why
        self.close()


#: The store stops (and the second pass decodes the video again) past this size: 2 GiB is about 16 500 frames of
#: a 16:9 clip at 480 px (130 KB a frame), 9 minutes at 30 fps.
MAX_BYTES = 2 << 30
#: ...or when it would leave less than this free on its disk (the system's temporary folder, ``TMPDIR``).
MIN_FREE_BYTES = 1 << 30


def for_second_pass(max_side: int) -> GreyFrameStore:
    """A store of the pictures the second pass reads (``bar.max_side_px``) in the system's temporary folder."""
    return GreyFrameStore(max_side, MAX_BYTES, MIN_FREE_BYTES)
