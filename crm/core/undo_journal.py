"""Undo and redo for one action: the rows it wrote, before and after, put back on request.

The caller names the rows the action may update or delete (``Watch``: a table and
a WHERE clause); rows it inserts are found by id in every table that has one. The
difference is the :class:`Step`: undo writes the rows back as they were, redo as
the action left them, so both leave the database exactly as it was at that point
(history lines the action wrote go and come back with it). Rows the action did not
touch are left alone, whatever happened to them since.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crm.core import models, search
from crm.core.merge_journal import key as row_key
from crm.core.merge_journal import rows, where

db = models.database_proxy

T = TypeVar("T")

# Parents before children: rows come back in this order and go in the reverse.
TABLES = models.RECORD_TABLES
# Tables whose new rows are found by id (contact_tag has none: watch it).
_WITH_ID = tuple(t for t in TABLES if t != "contact_tag")


@dataclass(frozen=True)
class Watch:
    """Rows of ``table`` an action may change or delete: ``SELECT * WHERE clause``."""

    table: str
    clause: str
    params: tuple[Any, ...] = ()


def watch_ids(table: str, column: str, ids: Sequence[int]) -> Watch:
    """The rows of ``table`` whose ``column`` is one of ``ids``."""
    marks = ", ".join("?" for _ in ids) or "NULL"
    return Watch(table, f"{column} IN ({marks})", tuple(ids))


Row = dict[str, Any]
Key = tuple[tuple[str, Any], ...]


def _keyed(table: str, found: list[Row]) -> dict[Key, Row]:
    return {tuple(row_key(table, r).items()): r for r in found}


@dataclass
class Step:
    """What one action changed: per table, each touched row before (None: new) and after."""

    changes: dict[str, list[tuple[Row | None, Row | None]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.changes.values())

    def undo(self) -> None:
        """Put every row the action touched back as it was before."""
        self._write(backwards=True)

    def redo(self) -> None:
        """Put every row the action touched back as the action left it."""
        self._write(backwards=False)

    def _write(self, *, backwards: bool) -> None:
        def pairs(table: str) -> list[tuple[Row | None, Row | None]]:
            found = self.changes.get(table, [])
            return [(a, b) for b, a in found] if backwards else found

        with db.atomic():
            for table in TABLES:
                for old, new in pairs(table):
                    if old is None and new is not None:
                        _insert(table, new)
            for table in TABLES:
                for old, new in pairs(table):
                    if old is not None and new is not None:
                        _update(table, old, new)
            for table in reversed(TABLES):
                for old, new in pairs(table):
                    if old is not None and new is None:
                        clause, params = where(row_key(table, old))
                        db.execute_sql(
                            models.placeholders(f"DELETE FROM {table} WHERE {clause}"), params
                        )
            touched = self.contact_ids()
            if touched:
                search.index_contacts(db, touched)

    def contact_ids(self) -> list[int]:
        """The contacts whose search entry may have changed (names, emails, phones)."""
        ids: set[int] = set()
        for table in ("contact", "email_address", "phone_number", "organization"):
            for before, after in self.changes.get(table, []):
                for r in (before, after):
                    if r is None:
                        continue
                    if table == "contact":
                        ids.add(int(r["id"]))
                    elif table == "organization":
                        ids.update(_members(int(r["id"])))
                    else:
                        ids.add(int(r["contact_id"]))
        return sorted(ids)


def _members(organization_id: int) -> list[int]:
    return [int(r["id"]) for r in rows("contact", "organization_id = ?", [organization_id])]


def _insert(table: str, row: Row) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.execute_sql(
        models.placeholders(f"INSERT INTO {table} ({cols}) VALUES ({marks})"), list(row.values())
    )


def _update(table: str, old: Row, new: Row) -> None:
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    if not changed:
        return
    clause, params = where(row_key(table, new))
    sets = ", ".join(f"{k} = ?" for k in changed)
    db.execute_sql(
        models.placeholders(f"UPDATE {table} SET {sets} WHERE {clause}"),
        [*changed.values(), *params],
    )


class Recorder:
    """Notes the watched rows and the last id of every table now; :meth:`finish` gives the step.

    Between the two the action runs (or a dialog lets the user run it).
    """

    def __init__(self, watch: Sequence[Watch]) -> None:
        self.watch = list(watch)
        self.last_ids = {t: _last_id(t) for t in _WITH_ID}
        self.before = {w: _keyed(w.table, _watched(w)) for w in self.watch}

    def finish(self) -> Step:
        step = Step()
        seen: set[tuple[str, Key]] = set()
        for w in self.watch:
            before, after = self.before[w], _keyed(w.table, _watched(w))
            for k in before.keys() | after.keys():
                if (w.table, k) in seen:
                    continue
                seen.add((w.table, k))
                old, new = before.get(k), after.get(k)
                if old != new:
                    step.changes.setdefault(w.table, []).append((old, new))
        for table, last in self.last_ids.items():
            for new in rows(table, "id > ?", [last]):
                k = tuple(row_key(table, new).items())
                if (table, k) not in seen:
                    step.changes.setdefault(table, []).append((None, new))
        return step


def _watched(w: Watch) -> list[Row]:
    return rows(w.table, w.clause, list(w.params))


def _last_id(table: str) -> int:
    cursor = db.execute_sql(f"SELECT MAX(id) FROM {table}")
    value = cursor.fetchone()[0]
    return int(value) if value is not None else 0


def record(action: Callable[[], T], watch: Sequence[Watch]) -> tuple[T, Step]:
    """Run ``action`` and return its result with the step that takes it back."""
    with db.atomic():
        recorder = Recorder(watch)
        result = action()
        return result, recorder.finish()


# -- what each action may update or delete (what it inserts is found by id) -----------


def followup_watch(ids: Sequence[int]) -> list[Watch]:
    """Done, snooze, reschedule: the follow-ups themselves."""
    return [watch_ids("follow_up", "id", ids)]


def referral_watch(referral_id: int) -> list[Watch]:
    """A status move: the referral, its follow-ups and rewards, and the referred (stage)."""
    ref = models.Referral.get_or_none(models.Referral.id == referral_id)
    referred = [ref.referred_id] if ref is not None else []
    return [
        watch_ids("referral", "id", [referral_id]),
        watch_ids("follow_up", "referral_id", [referral_id]),
        watch_ids("reward", "referral_id", [referral_id]),
        watch_ids("contact", "id", referred),
    ]


def contact_watch(contact_id: int) -> list[Watch]:
    """An edit (fields, emails, phones, tags): the contact and the rows that hang on it."""
    return [
        watch_ids("contact", "id", [contact_id]),
        watch_ids("email_address", "contact_id", [contact_id]),
        watch_ids("phone_number", "contact_id", [contact_id]),
        watch_ids("contact_tag", "contact_id", [contact_id]),
    ]
