"""Stay-in-touch cadence: contacts not heard from within their cadence become follow-ups.

A contact's ``stay_in_touch_days`` (say 60) is how long the user wants to go
at most without being in touch. "In touch" is anything done *with* the person
that their history records: a note, call, meeting or email, an event attended,
a referral given or received, an ask, a letter or voucher, a reward, a
follow-up done. A contact never touched counts from the day they were added.

The rule runs in the daily step (``followups.run_daily_rules``), never when a
list is read. A reminder is due the day the cadence ran out, or today when that
day has passed: a new reminder is never born overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from crm.core import clock, models
from crm.core.rule_lines import Line, line

db = models.database_proxy

RULE = "cadence"
KIND = "stay_in_touch"

# History lines that mean the user was in touch with the person.
TOUCH_KINDS = models.TOUCH_KINDS

# Rows per INSERT: well under SQLite's limit on bound parameters.
_CHUNK = 500


def _last_touch() -> Any:
    """When the contact was last in touch: the latest touch, else when they were added."""
    i, c = models.Interaction.alias("touch"), models.Contact
    # Correlated, so each contact reads only its own history (the contact/time index).
    latest = i.select(fn.MAX(i.happened_at)).where((i.contact == c.id) & i.kind.in_(TOUCH_KINDS))
    return fn.COALESCE(latest, c.created_at)


def _open_reminder() -> Any:
    f, c = models.FollowUp.alias("open_reminder"), models.Contact
    return fn.EXISTS(
        f.select(f.id).where((f.contact == c.id) & (f.kind == KIND) & f.done_at.is_null())
    )


def due_contacts(today: dt.date | None = None) -> list[tuple[int, str, dt.date, int]]:
    """``(id, name, last touch, cadence)`` of contacts past their cadence with no open
    stay-in-touch follow-up (one query)."""
    day = today or clock.today()
    c = models.Contact
    last = _last_touch()
    query = c.select(c.id, c.given_name, c.family_name, last, c.stay_in_touch_days).where(
        c.stay_in_touch_days.is_null(False)
        & (c.archived == False)  # noqa: E712 - a peewee expression
        & ~_open_reminder()
    )
    out = []
    for cid, given, family, touched, days in models.rows(query):
        when = models.as_date(touched)
        if when is None or when + dt.timedelta(days=int(days)) > day:
            continue
        out.append((int(cid), " ".join(p for p in (given, family) if p), when, int(days)))
    return out


def _close_stale(stamp: dt.datetime) -> int:
    """Close reminders the user has answered: in touch since, or the cadence removed."""
    f, c, i = models.FollowUp, models.Contact, models.Interaction
    touched_since = fn.EXISTS(
        i.select(i.id).where(
            (i.contact == f.contact) & i.kind.in_(TOUCH_KINDS) & (i.happened_at > f.created_at)
        )
    )
    no_cadence = fn.EXISTS(
        c.select(c.id).where((c.id == f.contact) & c.stay_in_touch_days.is_null())
    )
    query = f.update(done_at=stamp, updated_at=stamp).where(
        (f.rule == RULE) & f.done_at.is_null() & (touched_since | no_cadence)
    )
    return int(query.execute())


def _every(days: int) -> str:
    return "in touch every day" if days == 1 else f"in touch every {days} days"


def _title(name: str) -> Line:
    if name:
        return line("followup.stay_in_touch", name=name)
    return line("followup.stay_in_touch_plain")


def apply_cadence_rule(today: dt.date | None = None) -> int:
    """Give each contact past their cadence one open stay-in-touch follow-up; returns how
    many were made.

    A reminder is due when the cadence runs out, never before ``today``.
    Idempotent: a contact with an open stay-in-touch follow-up (made by the rule
    or by hand, snoozed or not) gets no second one. Reminders the rule made are
    closed once the user is in touch again or the cadence is removed. A fixed
    number of queries: one update, one select, one insert per 500 new reminders.
    """
    day = today or clock.today()
    stamp = models.now()
    with db.atomic():
        _close_stale(stamp)
        due = due_contacts(day)
        rows = [
            {
                "contact": cid,
                "kind": KIND,
                "rule": RULE,
                "due": max(day, touched + dt.timedelta(days=days)),
                "title": title.english(),
                "message": title.stored(),
                "notes": f"Last in touch on {touched.isoformat()}; {_every(days)}",
                "created_at": stamp,
                "updated_at": stamp,
            }
            for cid, name, touched, days in due
            for title in (_title(name),)
        ]
        for start in range(0, len(rows), _CHUNK):
            models.FollowUp.insert_many(rows[start : start + _CHUNK]).execute()
    return len(rows)
