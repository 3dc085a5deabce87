"""Error types. Every user-facing error names what was expected and what was received."""

from __future__ import annotations


class LiftpaceError(Exception):
    """Base class for errors a user can act on (the CLI prints the message, no traceback)."""


class LogFormatError(LiftpaceError, ValueError):
    """A file could not be read as a training log (unknown format, unreadable, empty).

    The message names the file (and sheet, when there is one) and what would be accepted.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class MissingColumnsError(LiftpaceError, KeyError):
    """An analysis was given a frame without the columns it needs."""

    def __init__(self, message: str, *, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])
