"""Exceptions the core raises for problems a user can cause or fix."""

from __future__ import annotations


class CrmError(Exception):
    """Base class: the message is written for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(CrmError):
    """Input was refused; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ValidationError):
    """A referenced record does not exist."""


class DatabaseError(CrmError):
    """The database cannot be opened, upgraded, backed up or restored."""


class CancelledError(CrmError):
    """The user cancelled a long operation; everything it did was rolled back."""


class ConflictError(ValidationError):
    """Someone else saved the record after it was read; nothing was changed.

    ``who`` changed it ("" when not recorded), ``when`` (a datetime or None),
    ``version`` is the version it is at now, and ``summary`` says who and when
    in a few words ("luca changed this contact at 10:05 on 2026-12-06").
    """

    def __init__(
        self, message: str, *, who: str, when: object, version: int, summary: str = ""
    ) -> None:
        super().__init__(message, "version")
        self.who = who
        self.when = when
        self.version = version
        self.summary = summary or message
