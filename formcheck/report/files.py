"""Writing a report file: whole or not at all, and a full disk or a read-only folder said in one line.

Every report (JSON, CSV, HTML, the annotated video, a batch's summary) is written to a temporary file in
the target's own folder and renamed over the target when complete, so a report that exists is whole. When
anything fails on the way the temporary file is deleted, and an :class:`OSError` becomes the user's error
(:func:`formcheck.errors.write_error`: exit 5, or 2 for a name the file system cannot take) instead of an
"internal error".
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import write_error

#: Ending of every temporary report file (``.<hash>-<pid>.tmp``, hidden, beside its target).
TMP_SUFFIX = ".tmp"


def temp_name(path: Path) -> Path:
    """The temporary file for ``path``: hidden, in the same folder, short whatever the target's name (a
    251-byte report name plus a suffix would be too long) and unique per process."""
    digest = hashlib.sha1(os.fsencode(path.name)).hexdigest()[:16]
    return path.with_name(f".formcheck-{digest}-{os.getpid()}{TMP_SUFFIX}")


def make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns the folders it created (deepest last). A failure is
    the user's one-line error."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file where a folder should be
        raise write_error(OSError(errno.ENOTDIR, exc.strerror), folder) from None
    except OSError as exc:
        _remove_empty(missing)
        raise write_error(exc, folder) from None
    return missing[::-1]


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders among ``folders`` that are empty, deepest first (what a failed write created)."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def staged(path: str | Path) -> Iterator[Path]:
    """Yield the temporary path to write ``path``'s content to; on success it replaces ``path``.

    On any failure the temporary file is deleted, and so are the folders made for it (left empty); an :class:`OSError` (PyAV's included) is raised as
    :func:`~formcheck.errors.write_error` naming ``path``.
    """
    path = Path(path)
    created = make_folder(path.parent)
    tmp = temp_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        _remove_empty(created)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from None
        raise


def printable(text: str) -> str:
    """``text`` as UTF-8 can hold it: the bytes of a file name that are not UTF-8 (surrogates in Python) become
    ``\\xNN`` escapes (``caf\\xe9.mp4``) instead of stopping the write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, :func:`printable`) to ``path`` atomically (:func:`staged`)."""
    path = Path(path)
    with staged(path) as tmp:
        tmp.write_text(printable(text), encoding="utf-8")
    return path
