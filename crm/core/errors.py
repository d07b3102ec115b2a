"""Exceptions the core raises for problems a user can cause or fix.

A refusal carries a ``code`` (a key of :mod:`crm.core.messages`), the ``field`` it
is about and the ``params`` of its message. The words are chosen when the message
is read (``str(err)``, ``err.message``), in the language current at that moment, so
the CLI and the GUI each word the same refusal in their reader's language::

    raise ValidationError(code="vouchers.no_holder", field="holder")
    raise NotFoundError(code="contacts.not_found", contact_id=7)

A plain message (``ValidationError("…", field)``) is still accepted: its code is
``"message"`` and it is shown through the catalog as it is.
"""

from __future__ import annotations

# typing.TYPE_CHECKING without importing typing (``crm --help`` does not load it).
TYPE_CHECKING = False

if TYPE_CHECKING:  # typing is not loaded at run time: ``crm --help`` stays light
    from typing import Any

PLAIN = "message"


class CrmError(Exception):
    """Base class: a code, a field and parameters, worded for the user when read."""

    def __init__(
        self,
        message: str | None = None,
        field: str | None = None,
        *,
        code: str | None = None,
        **params: Any,
    ) -> None:
        if code is None and message is None:
            raise TypeError("a CrmError needs a code or a message")
        self.code = code or PLAIN
        self.field = field
        self.params: dict[str, Any] = params
        self._text = message
        super().__init__(message if code is None else code)

    @property
    def message(self) -> str:
        """The message in the current language."""
        from crm.core import messages

        if self._text is not None:
            return messages.plain(self._text)
        return messages.render(self.code, self.params)

    @message.setter
    def message(self, text: str) -> None:
        self._text = text

    def with_field(self, field: str | None) -> CrmError:
        """The same refusal about another field (a setting checked for a form's field)."""
        if self._text is not None:
            return type(self)(self._text, field)
        return type(self)(field=field, code=self.code, **self.params)

    def english(self) -> str:
        """The message in English, whatever the current language (logs, journals)."""
        from crm.core import messages

        if self._text is not None:
            return self._text
        return messages.render(self.code, self.params, translate=False)

    def as_dict(self) -> dict[str, Any]:
        """Code, field, parameters and the worded message (the CLI's ``--json`` error)."""
        params = {key: _plain_value(value) for key, value in self.params.items()}
        return {"code": self.code, "field": self.field, "params": params, "message": self.message}

    def __str__(self) -> str:
        return self.message


def _plain_value(value: Any) -> Any:
    """A JSON-friendly parameter: numbers, text, booleans and None as they are, else text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value if not isinstance(value, str) else str(value)
    return str(value)


class ValidationError(CrmError):
    """Input was refused; nothing was changed."""


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
        self,
        message: str | None = None,
        field: str | None = "version",
        *,
        code: str | None = None,
        who: str = "",
        when: object = None,
        **params: Any,
    ) -> None:
        super().__init__(message, field, code=code, **params)
        self.who = who
        self.when = when
        self.version = int(params.get("version", 0))

    @property
    def summary(self) -> str:
        """Who changed it and when, in a few words (the message without the rest)."""
        return str(self.params.get("summary") or self.message)
