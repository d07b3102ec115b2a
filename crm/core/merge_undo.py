"""Undoing a merge: its journal replayed backwards, refused where rows changed since."""

from __future__ import annotations

import json
from typing import Any

from crm.core import interactions, models, search
from crm.core.errors import NotFoundError, ValidationError
from crm.core.merge_journal import key as _key
from crm.core.merge_journal import name as _name
from crm.core.merge_journal import rows as _rows
from crm.core.merge_journal import where as _where
from crm.core.rule_lines import line

db = models.database_proxy

SNAPSHOT_VERSION = 1


def _record(merge_id: int) -> models.MergeRecord:
    record = models.MergeRecord.get_or_none(models.MergeRecord.id == merge_id)
    if record is None:
        raise NotFoundError(code="merge_undo.merge_not_found", merge_id=merge_id)
    return record


_WHAT = {
    "contact": "contact",
    "email_address": "email",
    "phone_number": "phone",
    "contact_tag": "tag link",
    "attendance": "attendance",
    "referral": "referral",
    "referral_status_change": "referral status change",
    "follow_up": "follow-up",
    "reward": "reward",
    "voucher": "voucher",
    "interaction": "history line",
}


def _describe(table: str, key: dict[str, Any]) -> str:
    what = _WHAT.get(table, table)
    if "id" in key:
        return f"{what} {key['id']}"
    return f"{what} ({', '.join(f'{k} {v}' for k, v in key.items())})"


def undo(merge_id: int) -> dict[str, Any]:
    """Take a merge back: the removed contact returns with its id and everything it had.

    Returns ``merge_id``, ``kept_id`` and ``restored_id``.
    """
    with db.atomic():
        record = _record(merge_id)
        if record.undone_at is not None:
            raise ValidationError(
                code="merge_undo.merge_already_undone",
                merge_id=merge_id,
                as_date=models.as_date(record.undone_at),
            )
        snapshot = json.loads(record.snapshot)
        refuse = f"Merge {merge_id} cannot be undone"
        for op in reversed(snapshot["ops"]):
            if op["op"] == "update":
                _undo_update(op["table"], op, refuse)
            elif op["op"] == "delete":
                _undo_delete(op["table"], op["row"], refuse)
            else:  # insert
                where, params = _where(_key(op["table"], op["row"]))
                sql = f"DELETE FROM {op['table']} WHERE {where}"
                db.execute_sql(models.placeholders(sql), params)
        search.index_contacts(db, [record.kept_id, record.removed_id])
        record.undone_at = models.now()
        record.save()
        name = snapshot.get("removed_name", "")
        interactions.log(
            record.kept_id,
            "updated",
            line("history.merge_undone", name=name, id=record.removed_id),
        )
    return {"merge_id": merge_id, "kept_id": record.kept_id, "restored_id": record.removed_id}


# Columns every save rewrites: a later edit changing them does not block the undo.
_BOOKKEEPING = ("updated_at", "version", "changed_by", "changed_at")


def _undo_update(table: str, op: dict[str, Any], refuse: str) -> None:
    """Put back the values before, if the row still holds the values the merge wrote."""
    where, params = _where(op["key"])
    found = _rows(table, where, params)
    if not found:
        raise ValidationError(
            code="merge_undo.deleted_since", refuse=refuse, describe=_describe(table, op["key"])
        )
    now = found[0]
    for column, value in op["after"].items():
        if column not in _BOOKKEEPING and now[column] != value:
            raise ValidationError(
                code="merge_undo.changed_since_now",
                refuse=refuse,
                describe=_describe(table, op["key"]),
                column=column,
                now=now[column],
                value=value,
            )
    # The row comes back exactly, its version too: the same content at the same version.
    sets = ", ".join(f"{k} = ?" for k in op["before"])
    db.execute_sql(
        models.placeholders(f"UPDATE {table} SET {sets} WHERE {where}"),
        [*op["before"].values(), *params],
    )


def _undo_delete(table: str, row: dict[str, Any], refuse: str) -> None:
    """Insert a deleted row again, with its id, unless that id or key is taken since."""
    where, params = _where(_key(table, row))
    taken = _rows(table, where, params)
    if taken:
        if table == "contact":
            raise ValidationError(
                code="merge_undo.contact_id_now",
                refuse=refuse,
                id=row["id"],
                value=_name(taken[0]) or "another contact",
            )
        raise ValidationError(
            code="merge_undo.exists_again",
            refuse=refuse,
            describe=_describe(table, _key(table, row)),
        )
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    try:
        with db.atomic():
            db.execute_sql(
                models.placeholders(f"INSERT INTO {table} ({cols}) VALUES ({marks})"),
                list(row.values()),
            )
    except Exception as exc:  # an event or tag it points at was deleted since
        if not _is_integrity_error(exc):
            raise
        raise ValidationError(
            code="merge_undo.cannot_come_back",
            refuse=refuse,
            describe=_describe(table, _key(table, row)),
            exc=exc,
        ) from None


def _is_integrity_error(exc: Exception) -> bool:
    from peewee import IntegrityError

    return isinstance(exc, IntegrityError) or type(exc).__name__ == "IntegrityError"
