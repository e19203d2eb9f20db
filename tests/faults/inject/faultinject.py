"""Test hook: make writes under one folder fail as a full disk, a read-only or a forbidden folder would.

``FORMCHECK_TEST_FAIL_WRITES="ENOSPC:/path/to/folder"`` (or ``EROFS``, ``EACCES``, ``EIO``) in the environment of a
process that imports this module (``sitecustomize`` here does, for the batch's spawned workers; the fault
harness calls :func:`install` itself in its forked child) makes, for every path under the folder:

* ``ENOSPC`` / ``EIO``: opening a file for writing (Python's ``open``/``io.open``, PyAV's ``av.open(..., "w")``)
  *creates* it, then fails with that errno, as a disk that fills up on the first write does: the file is left
  behind, empty, for the code under test to clean up;
* ``EROFS`` / ``EACCES``: opening for writing and making folders fail at once, and ``os.access(..., W_OK)`` is
  false, as on a read-only mount or a folder owned by someone else (tests run as root, who may write anywhere).

Nothing is patched when the variable is unset. Test code only: it lives under ``tests/``.
"""

from __future__ import annotations

import builtins
import errno
import io
import os

ENV = "FORMCHECK_TEST_FAIL_WRITES"
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _under(path: object, folder: str) -> bool:
    if isinstance(path, int):
        return False
    try:
        full = os.path.abspath(os.fsdecode(os.fspath(path)))  # type: ignore[arg-type]
    except TypeError:
        return False
    return full == folder or full.startswith(folder.rstrip("/") + "/")


def _writing(mode: str) -> bool:
    return any(c in mode for c in "wax+")


def install(spec: str | None = None) -> bool:
    """Patch the write paths for ``spec`` (default: the environment variable); True when patched."""
    spec = spec if spec is not None else os.environ.get(ENV, "")
    if not spec:
        return False
    name, _, folder = spec.partition(":")
    code = getattr(errno, name)
    folder = os.path.abspath(folder)
    creates = code in (errno.ENOSPC, errno.EIO)

    def fail(path: object) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(os.fspath(path)))  # type: ignore[arg-type]

    real_open = io.open

    def fake_open(file, mode="r", *args, **kwargs):
        if _writing(mode) and _under(file, folder):
            if creates:
                real_open(file, mode, *args, **kwargs).close()
            raise fail(file)
        return real_open(file, mode, *args, **kwargs)

    builtins.open = fake_open
    io.open = fake_open

    real_os_open = os.open

    def fake_os_open(path, flags, *args, **kwargs):
        if flags & _WRITE_FLAGS and _under(path, folder):
            if creates:
                os.close(real_os_open(path, flags, *args, **kwargs))
            raise fail(path)
        return real_os_open(path, flags, *args, **kwargs)

    os.open = fake_os_open

    if not creates:
        real_mkdir, real_access = os.mkdir, os.access

        def fake_mkdir(path, *args, **kwargs):
            if _under(path, folder):
                raise fail(path)
            return real_mkdir(path, *args, **kwargs)

        def fake_access(path, mode, *args, **kwargs):
            if mode & os.W_OK and _under(path, folder):
                return False
            return real_access(path, mode, *args, **kwargs)

        os.mkdir, os.access = fake_mkdir, fake_access

    import av

    real_av_open = av.open

    def fake_av_open(file, mode="r", *args, **kwargs):
        if mode and "w" in mode and _under(file, folder):
            if creates:
                real_open(file, "wb").close()
            raise fail(file)
        return real_av_open(file, mode, *args, **kwargs)

    av.open = fake_av_open
    return True
