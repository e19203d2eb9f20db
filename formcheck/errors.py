"""Errors that reach the user as one clear line.

Every error names the problem and what to do about it. The CLI prints
``str(error)`` and exits with :attr:`FormcheckError.exit_code`; it never shows
a traceback for these.
"""

from __future__ import annotations


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
