"""Row versions: an edit saved on top of a colleague's is refused, not lost.

An editor (a dialog, ``crm … edit --version N``) keeps the version of the
record it read. Saving first takes the row for the transaction with one
conditional UPDATE (``WHERE id = ? AND version = ?``): on PostgreSQL that holds
the row lock until commit, on SQLite the transaction already holds the write
lock. When the row moved on meanwhile, nothing is written and
:class:`ConflictError` names who changed it and when. The save itself counts
the version up (``models.VersionedModel.save``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.core import models
from crm.core.errors import ConflictError, NotFoundError
from crm.i18n import _


def _when_text(when: Any) -> str:
    if when is None or when == "":
        return ""
    stamp = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
    return _("at {time} on {day}").format(
        time=stamp.strftime("%H:%M"), day=stamp.date().isoformat()
    )


def who_and_when(what: str, who: str, when: Any) -> str:
    """ "maria changed this contact at 10:05 on 2026-12-06"."""
    person = who or _("Someone else")
    at = _when_text(when)
    if at:
        return _("{who} changed this {what} {at}").format(who=person, what=what, at=at)
    return _("{who} changed this {what}").format(who=person, what=what)


def conflict_message(what: str, who: str, when: Any, version: int) -> str:
    """Who and when, then that nothing was saved and the version the record is at now."""
    rest = _("after you read it (it is now at version {version}): your changes were not saved")
    return f"{who_and_when(what, who, when)}, {rest.format(version=version)}"


def lock(model: Any, row_id: int, expected: int | None, what: str) -> None:
    """Take row ``row_id`` for this transaction, refusing it when not at ``expected``.

    ``expected=None`` takes the row whatever its version (an edit that read it in
    the same transaction). Call inside ``atomic()``, before reading the row.
    Raises :class:`NotFoundError` for a missing row, :class:`ConflictError` for
    a row someone saved since ``expected``.
    """
    # A write that changes nothing: the row lock (PostgreSQL) and the version check.
    query = model.update(version=model.version).where(model.id == row_id)
    if expected is not None:
        query = query.where(model.version == expected)
    if query.execute() == 1:
        return
    found = models.rows(
        model.select(model.version, model.changed_by, model.changed_at).where(model.id == row_id)
    )
    if not found:
        raise NotFoundError(_("No {what} with id {id}").format(what=what, id=row_id))
    version, who, when = found[0]
    raise ConflictError(
        conflict_message(what, who, when, int(version)),
        who=who,
        when=when,
        version=int(version),
        summary=who_and_when(what, who, when),
    )


def current(model: Any, row_id: int) -> int | None:
    """The version row ``row_id`` is at now (None when there is no such row)."""
    found = models.rows(model.select(model.version).where(model.id == row_id))
    return int(found[0][0]) if found else None
