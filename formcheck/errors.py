"""Errors that reach the user as one clear line.

Every error names the problem and what to do about it. The CLI prints
``str(error)`` and exits with :attr:`FormcheckError.exit_code`; it never shows
a traceback for these.
"""

from __future__ import annotations

import errno


class FormcheckError(Exception):
    """A problem the user can fix. ``hint`` says how."""

    exit_code = 1

    def __init__(self, problem: str, hint: str = "") -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}. {hint}".strip() if hint else problem)


class InputError(FormcheckError):
    """The input file is missing, unreadable, not a video, empty or corrupt."""

    exit_code = 2


class StillImageError(InputError):
    """The input is a single picture (PNG, JPEG...), whatever its name says: a batch skips it."""


class ConfigError(FormcheckError):
    """A config file or option is wrong (unknown key, bad value)."""

    exit_code = 2


class NoPersonError(FormcheckError):
    """The pose model found nobody (or too few usable frames) in the video."""

    exit_code = 3


class ModelError(FormcheckError):
    """A pose model file is missing or does not match its recorded checksum."""

    exit_code = 4


class LabelError(FormcheckError):
    """A label file for ``formcheck eval`` cannot be parsed."""

    exit_code = 2


class OutputError(FormcheckError):
    """A report could not be written: the disk is full, the folder is read-only or not ours to write, or the
    file system failed. The analysis was fine; nothing half-written is left behind."""

    exit_code = 5


#: What the operating system's refusal to write means for the user, by errno: (problem, what to do).
_WRITE_PROBLEMS = {
    errno.ENOSPC: ("the disk is full", "Free some space or write the reports to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "Free some space or write the reports to another disk"),
    errno.EROFS: ("the file system is read-only", "Write the reports to a folder you can write to"),
    errno.EACCES: ("permission denied", "Write the reports to a folder you can write to, or change its permissions"),
    errno.EPERM: ("permission denied", "Write the reports to a folder you can write to, or change its permissions"),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "Give a path inside an existing folder"),
    errno.EISDIR: ("it is a folder", "Give a file name"),
    errno.EEXIST: ("a file is in the way of a folder", "Give a path inside an existing folder"),
}


def write_error(exc: OSError, path: object) -> FormcheckError:
    """The one-line error for ``exc``, raised while writing ``path``: a name too long for the file system is
    the user's input (exit 2, :class:`InputError`); every other failure is an :class:`OutputError` (exit 5)."""
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(
            f"file name too long: {path}", "Use a shorter name (at most 255 bytes per name, including the extension)"
        )
    problem, hint = _WRITE_PROBLEMS.get(
        exc.errno or 0, (exc.strerror or exc.__class__.__name__, "Check the disk and the folder, then run it again")
    )
    return OutputError(f"could not write {path}: {problem}", hint)
