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
from crm.i18n import N_, _

# Who changed which kind of record, in whole sentences (no word is joined in).
_CHANGED = {
    "contact": (
        N_("{who} changed this contact at {time} on {day}"),
        N_("{who} changed this contact"),
    ),
    "referral": (
        N_("{who} changed this referral at {time} on {day}"),
        N_("{who} changed this referral"),
    ),
    "follow-up": (
        N_("{who} changed this follow-up at {time} on {day}"),
        N_("{who} changed this follow-up"),
    ),
}


def who_and_when(what: str, who: str, when: Any) -> str:
    """ "maria changed this contact at 10:05 on 2026-12-06"."""
    person = who or _("Someone else")
    at_time, plain = _CHANGED[what]
    if when is None or when == "":
        return _(plain).format(who=person)
    stamp = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
    return _(at_time).format(who=person, time=stamp.strftime("%H:%M"), day=stamp.date().isoformat())


def _not_found(what: str, row_id: int) -> NotFoundError:
    if what == "contact":
        return NotFoundError(code="versions.contact_not_found", contact_id=row_id)
    if what == "referral":
        return NotFoundError(code="versions.referral_not_found", referral_id=row_id)
    return NotFoundError(code="versions.followup_not_found", followup_id=row_id)


def conflict(what: str, who: str, when: Any, version: int) -> ConflictError:
    """The refusal: who and when, then that nothing was saved and the version it is at now."""
    summary = who_and_when(what, who, when)
    error = ConflictError(code="versions.conflict", summary=summary, version=version)
    error.who = who
    error.when = when
    return error


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
        raise _not_found(what, row_id)
    version, who, when = found[0]
    raise conflict(what, who, when, int(version))


def current(model: Any, row_id: int) -> int | None:
    """The version row ``row_id`` is at now (None when there is no such row)."""
    found = models.rows(model.select(model.version).where(model.id == row_id))
    return int(found[0][0]) if found else None
