"""Follow-ups: dated reminders, those the user adds and those the rules create."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Case, fn

from crm.core import cadence, clock, interactions, models, settings, users
from crm.core import text as usertext
from crm.core.contacts import get_contact
from crm.core.db import is_postgres as db_is_postgres
from crm.core.errors import NotFoundError, ValidationError
from crm.core.rule_lines import Line, line, render, title_of
from crm.i18n import N_

db = models.database_proxy


def get_followup(followup_id: int) -> models.FollowUp:
    item = models.FollowUp.get_or_none(models.FollowUp.id == followup_id)
    if item is None:
        raise NotFoundError(code="followups.followup_not_found", followup_id=followup_id)
    return item


def create_followup(
    contact_id: int,
    due: dt.date,
    *,
    kind: str = "call",
    title: str = "",
    notes: str = "",
    referral_id: int | None = None,
    event_id: int | None = None,
    assigned_to: str = "",
) -> models.FollowUp:
    """A follow-up about a contact, for a colleague (``assigned_to``) or nobody in particular."""
    if kind not in models.FOLLOWUP_KINDS:
        raise ValidationError(
            code="followups.unknown_kind",
            field="kind",
            followup_kinds=", ".join(models.FOLLOWUP_KINDS),
            kind=kind,
        )
    clean_title = usertext.field_line(title, 200, N_("A follow-up title"), "title")
    clean_notes = usertext.field_notes(notes)
    assignee = assignee_name(assigned_to)
    with db.atomic():
        contact = get_contact(contact_id)
        made = None if clean_title else _kind_title(kind, contact.display_name)
        item = models.FollowUp.create(
            contact=contact,
            due=due,
            kind=kind,
            title=made.english() if made else clean_title,
            message=made.stored() if made else None,
            notes=clean_notes,
            referral=referral_id,
            event=event_id,
            assigned_to=assignee,
        )
        interactions.log(
            contact.id,
            "followup_added",
            line("history.followup_added", title=made or clean_title, due=due.isoformat()),
            referral_id=referral_id,
            event_id=event_id,
        )
    return item


def _kind_title(kind: str, name: str) -> Line:
    """The title a follow-up gets when the user gives none: its kind and the contact."""
    if kind == "birthday":
        return line("followup.birthday", name=name)
    if kind == "stay_in_touch":
        return line("followup.stay_in_touch", name=name)
    return line(f"followup.kind.{kind}", name=name)


def assignee_name(name: str | None) -> str:
    """A colleague's name as a follow-up stores it ("" for nobody in particular)."""
    if name is None or not str(name).strip():
        return ""
    return users.clean(name)


def mine(user: str | None = None) -> Any:
    """The follow-ups that are ``user``'s (default: the current user's).

    Those assigned to them, and those nobody was assigned to that they added.
    """
    f = models.FollowUp
    who = users.current() if user is None else user
    return (f.assigned_to == who) | ((f.assigned_to == "") & (f.created_by == who))


def mark_done(followup_id: int) -> models.FollowUp:
    with db.atomic():
        item = get_followup(followup_id)
        if item.done_at is not None:
            raise ValidationError(
                code="followups.follow_up_already_done",
                item_id=item.id,
                date=item.done_at.date().isoformat(),
            )
        item.done_at = models.now()
        item.save()
        interactions.log(
            item.contact_id,
            "followup_done",
            title_of(item),
            referral_id=item.referral_id,
            event_id=item.event_id,
        )
    return item


def snooze(followup_id: int, until: dt.date) -> models.FollowUp:
    """Hide a follow-up until a later day."""
    if until <= clock.today():
        raise ValidationError(
            code="followups.snooze_until_later_day", field="until", until=until.isoformat()
        )
    with db.atomic():
        item = get_followup(followup_id)
        if item.done_at is not None:
            raise ValidationError(code="followups.follow_up_already_done_2", item_id=item.id)
        item.snoozed_until = until
        item.save()
        snoozed = line("history.followup_snoozed", title=title_of(item), day=until.isoformat())
        interactions.log(item.contact_id, "followup_moved", snoozed)
    return item


def reschedule(followup_id: int, due: dt.date) -> models.FollowUp:
    with db.atomic():
        item = get_followup(followup_id)
        if item.done_at is not None:
            raise ValidationError(code="followups.follow_up_already_done_2", item_id=item.id)
        item.due, item.snoozed_until = due, None
        item.save()
        moved = line("history.followup_rescheduled", title=title_of(item), day=due.isoformat())
        interactions.log(item.contact_id, "followup_moved", moved)
    return item


def _month_days(start: dt.date, days: int) -> list[tuple[str, dt.date]]:
    """``(MM-DD, date)`` for each day from ``start`` for ``days`` days.

    29 February birthdays are celebrated on 28 February in other years.
    """
    out = []
    for i in range(days + 1):
        day = start + dt.timedelta(days=i)
        out.append((day.strftime("%m-%d"), day))
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            out.append(("02-29", day))
    return out


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_day(column: Any) -> Any:
    """``MM-DD``: the last five characters of the ISO text (``right`` on PostgreSQL)."""
    if db_is_postgres(models.database_proxy):
        return fn.right(column, 5)
    return fn.substr(column, -5)


def apply_birthday_rule(today: dt.date | None = None) -> int:
    """Create a birthday follow-up for each birthday within the window; returns how many."""
    today = today or clock.today()
    window = int(settings.get("birthday_window_days"))
    days = dict(_month_days(today, window))
    if not days:
        return 0
    c = models.Contact
    rows = models.rows(
        c.select(c.id, c.given_name, c.family_name, c.birthday).where(
            c.birthday.is_null(False)
            & (c.archived == False)  # noqa: E712 - a peewee expression
            & _month_day(c.birthday).in_(list(days))
        )
    )
    if not rows:
        return 0
    # Those already made, in one query rather than one per birthday.
    f = models.FollowUp
    made = {
        (cid, _as_date(due))
        for cid, due in models.rows(
            f.select(f.contact, f.due).where(
                (f.rule == "birthday") & f.due.between(today, today + dt.timedelta(days=window))
            )
        )
    }
    created = 0
    with db.atomic():
        for cid, given, family, birthday in rows:
            due = days[str(birthday)[-5:]]
            if (cid, due) not in made:
                title = line("followup.birthday", name=f"{given} {family}".strip())
                models.FollowUp.create(
                    contact=cid,
                    kind="birthday",
                    due=due,
                    rule="birthday",
                    title=title.english(),
                    message=title.stored(),
                )
                created += 1
    return created


def apply_date_rules(today: dt.date | None = None) -> int:
    """Run the rules that follow the calendar: birthdays, stay-in-touch cadences, campaigns.

    Returns how many follow-ups they made. A writer's step: listings never call it
    (see :func:`run_daily_rules`).
    """
    # Here, not at the top: campaign_runs marks its reminders done through this module.
    from crm.core import campaign_runs

    made = apply_birthday_rule(today) + cadence.apply_cadence_rule(today)
    return made + campaign_runs.apply_campaign_rule(today)


# The day the daily rules last ran (ISO), kept with the database's own facts.
DAILY_RULES_KEY = "daily_rules_day"


def daily_rules_day() -> dt.date | None:
    """The day the daily rules last ran on this database, if ever."""
    row = models.DbInfo.get_or_none(models.DbInfo.key == DAILY_RULES_KEY)
    return None if row is None else dt.date.fromisoformat(row.value)


def run_daily_rules(today: dt.date | None = None, *, force: bool = False) -> int:
    """The daily step: the date rules once a day (again with ``force``); how many they made.

    The app runs it when it starts and when the day turns, ``crm followups
    --apply-rules`` on demand. The day it ran is recorded, so a second run on the
    same day changes nothing, not even the record.
    """
    day = today or clock.today()
    with db.atomic():
        if not force and daily_rules_day() == day:
            return 0
        made = apply_date_rules(day)
        models.put(models.DbInfo, DAILY_RULES_KEY, day.isoformat())
    return made


def effective_due(item: models.FollowUp) -> dt.date:
    return item.snoozed_until or item.due


def _select_rows() -> Any:
    """Open follow-ups of contacts still in use, with the columns a list shows."""
    f, c = models.FollowUp, models.Contact
    return (
        f.select(
            f.id,
            f.contact,
            c.given_name,
            c.family_name,
            f.kind,
            f.title,
            f.due,
            f.snoozed_until,
            f.referral,
            f.event,
            f.rule,
            f.assigned_to,
            f.created_by,
            f.message,
        )
        .join(c)
        .where(f.done_at.is_null() & (c.archived == False))  # noqa: E712 - a peewee expression
    )


def _as_date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _dicts(query: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or clock.today()
    out = []
    for row in models.rows(query):
        *head, message = row
        fid, cid, given, family, kind, title, due, snoozed, rid, eid, rule, assignee, maker = head
        effective = _as_date(snoozed or due)
        out.append(
            {
                "id": fid,
                "contact_id": cid,
                "contact": f"{given} {family}".strip(),
                "kind": kind,
                "title": render(message, title),
                "due": effective.isoformat(),
                "overdue": effective < today,
                "snoozed": snoozed is not None,
                "referral_id": rid,
                "event_id": eid,
                "rule": rule,
                "assigned_to": assignee,
                "created_by": maker,
            }
        )
    return out


def open_followups(
    due_by: dt.date | None = None,
    contact_id: int | None = None,
    limit: int = 1000,
    *,
    mine_only: bool = False,
) -> list[dict[str, Any]]:
    """Open follow-ups due by a day (snoozed ones count from their snooze date).

    ``mine_only``: only the current user's (see :func:`mine`).
    """
    f = models.FollowUp
    when = fn.coalesce(f.snoozed_until, f.due)
    query = _select_rows()
    if mine_only:
        query = query.where(mine())
    if due_by is not None:
        query = query.where(when <= due_by)
    if contact_id is not None:
        query = query.where(f.contact == contact_id)
    return _dicts(query.order_by(when, f.id).limit(limit))


# The follow-ups page: due today, overdue, and upcoming within a horizon.
SECTIONS = ("today", "overdue", "upcoming")
SORT_KEYS = ("due", "kind", "title", "contact")


def _section_filter(section: str, today: dt.date, horizon_days: int) -> Any:
    when = fn.coalesce(models.FollowUp.snoozed_until, models.FollowUp.due)
    if section == "today":
        return when == today
    if section == "overdue":
        return when < today
    if section == "upcoming":
        return (when > today) & (when <= today + dt.timedelta(days=max(horizon_days, 0)))
    raise ValidationError(
        code="followups.unknown_section", sections=", ".join(SECTIONS), section=section
    )


def section_counts(
    today: dt.date | None = None, horizon_days: int = 30, *, mine_only: bool = False
) -> dict[str, int]:
    """How many open follow-ups each section of the follow-ups page holds (one query).

    ``mine_only``: only the current user's (see :func:`mine`).
    """
    today = today or clock.today()
    f, c = models.FollowUp, models.Contact
    sums = [
        fn.COALESCE(fn.SUM(Case(None, [(_section_filter(s, today, horizon_days), 1)], 0)), 0)
        for s in SECTIONS
    ]
    query = f.select(*sums).join(c).where(f.done_at.is_null() & (c.archived == False))  # noqa: E712
    if mine_only:
        query = query.where(mine())
    (row,) = models.rows(query)
    return {s: int(n) for s, n in zip(SECTIONS, row, strict=True)}


def mine_count(today: dt.date | None = None, horizon_days: int = 30) -> int:
    """How many of the page's open follow-ups (overdue, today, upcoming) are the user's."""
    today = today or clock.today()
    f, c = models.FollowUp, models.Contact
    when = fn.coalesce(f.snoozed_until, f.due)
    horizon = today + dt.timedelta(days=max(horizon_days, 0))
    query = (
        f.select()
        .join(c)
        .where(f.done_at.is_null() & (c.archived == False) & (when <= horizon) & mine())  # noqa: E712
    )
    return int(query.count())


def section_rows(
    section: str,
    *,
    today: dt.date | None = None,
    horizon_days: int = 30,
    order: str = "due",
    descending: bool = False,
    limit: int = 200,
    offset: int = 0,
    mine_only: bool = False,
) -> list[dict[str, Any]]:
    """A page of one section's follow-ups, sorted in SQL by ``order`` (one of SORT_KEYS).

    ``mine_only``: only the current user's (see :func:`mine`).
    """
    today = today or clock.today()
    f, c = models.FollowUp, models.Contact
    when = fn.coalesce(f.snoozed_until, f.due)
    keys: dict[str, list[Any]] = {
        "due": [when],
        "kind": [f.kind, when],
        "title": [f.title, when],
        "contact": [c.family_name, c.given_name, when],
    }
    if order not in keys:
        raise ValidationError(
            code="followups.unknown_sort", sort_keys=", ".join(SORT_KEYS), order=order
        )
    columns = [k.desc() if descending else k.asc() for k in keys[order]]
    query = _select_rows().where(_section_filter(section, today, horizon_days))
    if mine_only:
        query = query.where(mine())
    query = (
        query.order_by(*columns, f.id.desc() if descending else f.id.asc())
        .limit(limit)
        .offset(offset)
    )
    return _dicts(query, today)


def due_between(after: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Open follow-ups that fell due after ``after`` and by ``until`` (for notifications)."""
    f = models.FollowUp
    when = fn.coalesce(f.snoozed_until, f.due)
    query = _select_rows().where((when > after) & (when <= until)).order_by(when, f.id)
    return _dicts(query, until)


def snooze_for(followup_id: int, days: int, today: dt.date | None = None) -> models.FollowUp:
    """Snooze by ``days`` from when it is due, or from today when it is already due."""
    if days < 1:
        raise ValidationError(code="followups.snooze_least_one_day", field="days", days=days)
    today = today or clock.today()
    item = get_followup(followup_id)
    start = max(today, _as_date(effective_due(item)))
    return snooze(followup_id, start + dt.timedelta(days=days))


def due_counts(today: dt.date | None = None) -> tuple[int, int]:
    """``(due today, overdue)`` for the status bar."""
    today = today or clock.today()
    f, c = models.FollowUp, models.Contact
    when = fn.coalesce(f.snoozed_until, f.due)
    base = f.select().join(c).where(f.done_at.is_null() & (c.archived == False))  # noqa: E712
    return int(base.where(when == today).count()), int(base.where(when < today).count())
