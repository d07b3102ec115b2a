"""The referrals CSV: every referral with its people and event by name and id."""

from __future__ import annotations

import os
from typing import Any

from crm.core.db import read_snapshot
from crm.interchange.csv_output import atomic_output, check_output, full_name, write_row, writer

REFERRAL_COLUMNS: tuple[str, ...] = (
    "id",
    "referred_on",
    "giver_id",
    "giver",
    "referred_id",
    "referred",
    "receiver_id",
    "receiver",
    "status",
    "value",
    "currency",
    "status_changed_at",
    "program",
    "temperature",
    "is_primary",
    "event_id",
    "event",
    "notes",
)


def export_referrals_csv(path: str | os.PathLike[str]) -> int:
    """Write every referral with its people and event by name and id; returns how many."""
    from crm.core import models

    check_output(path)
    written = 0
    with read_snapshot(), atomic_output(path, "utf-8-sig") as handle:
        out = writer(handle)
        out.writerow(REFERRAL_COLUMNS)
        for row in models.rows(_query()):
            write_row(out, _cells(row))
            written += 1
    return written


def _query() -> Any:
    """Every referral, oldest first, with its giver, referred, receiver and event."""
    from peewee import JOIN

    from crm.core import models

    r, ev = models.Referral, models.Event
    giver, referred, receiver = (models.Contact.alias() for _ in range(3))
    people = [(p.id, p.given_name, p.family_name) for p in (giver, referred, receiver)]
    return (
        r.select(
            r.id,
            r.referred_on,
            *(column for person in people for column in person),
            r.status,
            r.value,
            r.currency,
            r.status_changed_at,
            r.program,
            r.temperature,
            r.is_primary,
            ev.id,
            ev.title,
            r.notes,
        )
        .join(giver, on=(r.giver == giver.id))
        .switch(r)
        .join(referred, on=(r.referred == referred.id))
        .switch(r)
        .join(receiver, JOIN.LEFT_OUTER, on=(r.receiver == receiver.id))
        .switch(r)
        .join(ev, JOIN.LEFT_OUTER, on=(r.event == ev.id))
        .order_by(r.referred_on, r.id)
    )


def _cells(row: tuple[Any, ...]) -> list[Any]:
    """A row of :func:`_query` as the cells of :data:`REFERRAL_COLUMNS`."""
    from crm.core import models

    rid, on, gid, g_given, g_family, fid, f_given, f_family, xid, x_given, x_family = row[:11]
    status, value, currency, changed, program, temperature, primary, eid, title, notes = row[11:]
    return [
        rid,
        models.as_date(on),
        gid,
        full_name(g_given, g_family),
        fid,
        full_name(f_given, f_family),
        xid,
        full_name(x_given, x_family),
        status,
        value,
        currency,
        changed,
        program,
        temperature,
        bool(primary),
        eid,
        title,
        notes,
    ]
