"""One exception family for everything a user can get wrong.

The shells (CLI, TUI) turn a `WorkbenchError` into one line for a person; any
other exception is a bug and is logged, never shown as a traceback.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can act on: says what is wrong and where."""

    exit_code = 1

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class BadInputError(WorkbenchError):
    """An argument, file or value that cannot be used as given."""

    exit_code = 2


class NotFoundError(WorkbenchError):
    """A project, source, code or other entity that does not exist."""

    exit_code = 3


class ProjectLockedError(WorkbenchError):
    """Another process holds the project's write lock."""

    exit_code = 4


class CorruptProjectError(WorkbenchError):
    """The project's files fail validation; nothing is repaired silently."""

    exit_code = 5


class UnsupportedVersionError(WorkbenchError):
    """The project was written by a newer workbench than this one."""

    exit_code = 6
