"""Networking events and who attended them."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from peewee import JOIN

from crm.core import clock, interactions, models, settings
from crm.core import text as usertext
from crm.core.contacts import get_contact
from crm.core.errors import NotFoundError, ValidationError
from crm.core.rule_lines import line, term
from crm.core.text import fold, tokens
from crm.core.text import split_name as split_words
from crm.i18n import N_

db = models.database_proxy


def _local(value: dt.datetime) -> dt.datetime:
    """Naive local time, as every date in the database is stored."""
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.replace(microsecond=0)


def _starts(value: dt.date | dt.datetime | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(18, 0))
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(18, 0))
        return _local(dt.datetime.fromisoformat(text))
    except ValueError:
        raise ValidationError(
            code="events.date_date_use_yyyy", field="starts_at", text=text
        ) from None


def _title(title: str | None) -> str:
    clean = usertext.clean_line(title)
    if not usertext.is_visible(clean):
        raise ValidationError(code="events.event_needs_title", field="title")
    return usertext.limited(clean, 200, N_("An event title"), "title")


# (label, limit) of the event's other single-line fields, as long as their columns.
_LINES = {
    "venue": (N_("The venue"), 200),
    "city": (N_("The city"), 120),
    "organizer": (N_("The organizer"), 200),
}


def _line(key: str, value: str | None) -> str:
    label, limit = _LINES[key]
    return usertext.field_line(value, limit, label, key)


def _check_kind(kind: str) -> None:
    if kind not in models.EVENT_KINDS:
        raise ValidationError(
            code="events.unknown_event_kind",
            field="kind",
            event_kinds=", ".join(models.EVENT_KINDS),
            kind=kind,
        )


def get_event(event_id: int) -> models.Event:
    event = models.Event.get_or_none(models.Event.id == event_id)
    if event is None:
        raise NotFoundError(code="events.event_not_found", event_id=event_id)
    return event


def create_event(
    title: str,
    starts_at: dt.date | dt.datetime | str,
    *,
    kind: str = "mixer",
    venue: str = "",
    city: str = "",
    organizer: str = "",
    notes: str = "",
) -> models.Event:
    """Store a networking event (an evening at 18:00 when only a date is given)."""
    clean_title = _title(title)
    _check_kind(kind)
    start = _starts(starts_at)
    return models.Event.create(
        title=clean_title,
        kind=kind,
        starts_at=start,
        venue=_line("venue", venue),
        city=_line("city", city),
        organizer=_line("organizer", organizer),
        notes=usertext.field_notes(notes),
    )


def _met_followup(event: models.Event, contact: models.Contact) -> models.FollowUp | None:
    """Create the "met" follow-up unless the contact has one for this event; returns the new one."""
    days = int(settings.get("followup_met_days"))
    exists = (
        models.FollowUp.select()
        .where(
            (models.FollowUp.contact == contact.id)
            & (models.FollowUp.event == event.id)
            & (models.FollowUp.rule == "met")
        )
        .exists()
    )
    if exists:
        return None
    title = line("followup.after_event", contact=contact.display_name, event=event.title)
    return models.FollowUp.create(
        contact=contact,
        event=event,
        kind="call",
        title=title.english(),
        message=title.stored(),
        due=event.starts_at.date() + dt.timedelta(days=days),
        rule="met",
    )


def attend(
    event_id: int, contact_id: int, *, role: str = "visitor", met_in_person: bool = False
) -> models.Attendance:
    """Record that a contact attended an event; meeting them in person schedules a follow-up."""
    if role not in models.ATTENDANCE_ROLES:
        raise ValidationError(
            code="events.unknown_role",
            field="role",
            attendance_roles=", ".join(models.ATTENDANCE_ROLES),
            role=role,
        )
    with db.atomic():
        event = get_event(event_id)
        contact = get_contact(contact_id)
        if (
            models.Attendance.select()
            .where(
                (models.Attendance.event == event.id) & (models.Attendance.contact == contact.id)
            )
            .exists()
        ):
            raise ValidationError(
                code="events.already_on_list",
                contact_display_name=contact.display_name,
                event_title=event.title,
            )
        att = models.Attendance.create(
            event=event, contact=contact, role=role, met_in_person=met_in_person
        )
        interactions.log(
            contact.id,
            "event_attended",
            line("history.attended_as", event=event.title, role=term("role", role)),
            event_id=event.id,
            at=event.starts_at,
        )
        if met_in_person:
            _met_followup(event, contact)
    return att


def set_met(event_id: int, contact_id: int, met: bool = True) -> models.Attendance:
    """Tick or untick "met in person" for one attendee; meeting them adds the "met" follow-up."""
    return _set_met(event_id, contact_id, met)[0]


def record_met(event_id: int, contact_id: int, met: bool = True) -> models.FollowUp | None:
    """As :func:`set_met`; returns the follow-up this created, or None when none was made."""
    return _set_met(event_id, contact_id, met)[1]


def _set_met(
    event_id: int, contact_id: int, met: bool
) -> tuple[models.Attendance, models.FollowUp | None]:
    made = None
    with db.atomic():
        att = models.Attendance.get_or_none(
            (models.Attendance.event == event_id) & (models.Attendance.contact == contact_id)
        )
        if att is None:
            raise NotFoundError(
                code="events.contact_list_event", contact_id=contact_id, event_id=event_id
            )
        if att.met_in_person == met:
            return att, None  # a checkbox ticked twice changes nothing
        att.met_in_person = met
        att.save()
        interactions.log(
            contact_id,
            "event_attended",
            line("history.met" if met else "history.not_met", event=att.event.title),
            event_id=event_id,
        )
        if met:
            made = _met_followup(att.event, att.contact)
    return att, made


def followups_for_everyone_met(event_id: int) -> int:
    """Create the "met" follow-up for every attendee met in person; returns how many are new."""
    with db.atomic():
        event = get_event(event_id)
        before = (
            models.FollowUp.select()
            .where((models.FollowUp.event == event.id) & (models.FollowUp.rule == "met"))
            .count()
        )
        for att in models.Attendance.select().where(
            (models.Attendance.event == event.id) & models.Attendance.met_in_person
        ):
            _met_followup(event, att.contact)
        after = (
            models.FollowUp.select()
            .where((models.FollowUp.event == event.id) & (models.FollowUp.rule == "met"))
            .count()
        )
    return int(after - before)


def attendees(event_id: int) -> list[tuple[int, str, str, bool]]:
    """``(contact id, name, role, met)`` for an event, by name."""
    c, a = models.Contact, models.Attendance
    query = (
        c.select(c.id, c.given_name, c.family_name, a.role, a.met_in_person)
        .join(a)
        .where(a.event == event_id)
        .order_by(c.family_name, c.given_name)
    )
    return [
        (cid, f"{g} {f}".strip(), role, bool(met)) for cid, g, f, role, met in models.rows(query)
    ]


def to_dict(event: models.Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.isoformat(sep=" "),
        "venue": event.venue,
        "city": event.city,
        "organizer": event.organizer,
    }


EVENT_FIELDS = ("title", "kind", "starts_at", "venue", "city", "organizer", "notes")


def update_event(event_id: int, **changes: Any) -> models.Event:
    """Change an event's title, kind, start, venue, city, organizer or notes."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(code="events.unknown_event_field", unknown=", ".join(sorted(unknown)))
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            values[key] = _title(value)
        elif key == "kind":
            _check_kind(value)
            values[key] = value
        elif key == "starts_at":
            values[key] = _starts(value)
        elif key == "notes":
            values[key] = usertext.field_notes(value)
        else:
            values[key] = _line(key, value)
    with db.atomic():
        event = get_event(event_id)
        changed = [k for k, v in values.items() if getattr(event, k) != v]
        for key in changed:
            setattr(event, key, values[key])
        if changed:
            event.save()
    return event


def remove_attendee(event_id: int, contact_id: int) -> None:
    """Take a contact off an event's list, with the open "met" follow-up it made."""
    with db.atomic():
        event = get_event(event_id)
        att = models.Attendance.get_or_none(
            (models.Attendance.event == event.id) & (models.Attendance.contact == contact_id)
        )
        if att is None:
            contact = get_contact(contact_id)
            raise NotFoundError(
                code="events.not_on_list",
                contact_display_name=contact.display_name,
                event_title=event.title,
            )
        att.delete_instance()
        f = models.FollowUp
        f.delete().where(
            (f.contact == contact_id)
            & (f.event == event.id)
            & (f.rule == "met")
            & f.done_at.is_null()
        ).execute()
        interactions.log(
            contact_id,
            "updated",
            line("history.taken_off", event=event.title),
            event_id=event.id,
        )


def split_name(name: str) -> tuple[str, str]:
    """``(given, family)`` from a name typed in one field: the last word is the family name."""
    if not usertext.is_visible(usertext.clean_line(name)):
        raise ValidationError(code="events.type_person_name", field="name")
    return split_words(name)


def add_new_attendee(
    event_id: int,
    name: str,
    *,
    role: str = "visitor",
    met_in_person: bool = False,
    organization: str | None = None,
) -> models.Attendance:
    """Create a contact met at the event (first heard of there) and put them on its list."""
    from crm.core.contacts import ContactData, create_contact

    given, family = split_name(name)
    with db.atomic():
        get_event(event_id)
        contact = create_contact(
            ContactData(
                given_name=given,
                family_name=family,
                organization=organization or None,
                channel="event",
            )
        )
        return attend(event_id, contact.id, role=role, met_in_person=met_in_person)


# -- lists the GUI shows ---------------------------------------------------------

PERIODS = ("upcoming", "past", "all")
EVENT_SORT_KEYS = ("starts_at", "title", "kind", "venue", "city", "attendees")


class EventRow(NamedTuple):
    id: int
    starts_at: dt.datetime
    title: str
    kind: str
    venue: str
    city: str
    organizer: str
    attendees: int


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def list_events(
    search_text: str = "",
    *,
    period: str = "all",
    sort: str = "starts_at",
    descending: bool | None = None,
    today: dt.date | None = None,
) -> list[EventRow]:
    """Events with their attendee counts, filtered and sorted (one query).

    Upcoming events include today's and run soonest first; past ones run most
    recent first. A user holds hundreds or a few thousand events, so the rows
    are fetched whole and ``search_text`` is matched on folded text (Greek
    accents, case) in Python.
    """
    if period not in PERIODS:
        raise ValidationError(
            code="events.unknown_period", periods=", ".join(PERIODS), period=period
        )
    if sort not in EVENT_SORT_KEYS:
        raise ValidationError(
            code="events.unknown_sort", event_sort_keys=", ".join(EVENT_SORT_KEYS), sort=sort
        )
    start_of_today = dt.datetime.combine(today or clock.today(), dt.time(0, 0))
    where, params = "", []
    if period == "upcoming":
        where, params = f"WHERE e.starts_at >= {db.param}", [start_of_today.isoformat(sep=" ")]
    elif period == "past":
        where, params = f"WHERE e.starts_at < {db.param}", [start_of_today.isoformat(sep=" ")]
    found = db.execute_sql(
        "SELECT e.id, e.starts_at, e.title, e.kind, e.venue, e.city, e.organizer, "
        "coalesce(a.n, 0) FROM event e LEFT JOIN "
        "(SELECT event_id, count(*) AS n FROM attendance GROUP BY event_id) a "
        f"ON a.event_id = e.id {where}",
        params,
    ).fetchall()
    out = [EventRow(i, _as_datetime(s), t, k, v, c, o, int(n)) for i, s, t, k, v, c, o, n in found]
    words = tokens(search_text)
    if words:

        def haystack(r: EventRow) -> str:
            return fold(" ".join((r.title, r.kind.replace("_", " "), r.venue, r.city, r.organizer)))

        out = [r for r in out if all(w in haystack(r) for w in words)]
    if descending is None:
        descending = period == "past"
    if sort in ("title", "kind", "venue", "city"):
        out.sort(key=lambda r: (r.starts_at, r.id), reverse=descending)
        out.sort(key=lambda r: fold(getattr(r, sort)), reverse=descending)
    else:
        out.sort(key=lambda r: (getattr(r, sort), r.starts_at, r.id), reverse=descending)
    return out


def featured_event_id() -> int | None:
    """The next event (from now on), else the latest one; None when there are none."""
    e = models.Event
    upcoming = e.select(e.id).where(e.starts_at >= clock.now()).order_by(e.starts_at)
    event = upcoming.first() or e.select(e.id).order_by(e.starts_at.desc()).first()
    return int(event.id) if event else None


def attendance_list(event_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Who is on an event's list: name, organization, role, met, archived and ask status.

    Two queries (the attendees and the cooldown setting), sorted by family name.
    """
    from crm.core import asking

    c, a, o = models.Contact, models.Attendance, models.Organization
    query = (
        c.select(
            c.id,
            c.given_name,
            c.family_name,
            o.name,
            a.role,
            a.met_in_person,
            c.archived,
            c.last_asked_for_referral,
        )
        .join(a, on=(a.contact == c.id))
        .switch(c)
        .join(o, JOIN.LEFT_OUTER, on=(c.organization == o.id))
        .where(a.event == event_id)
    )
    cooldown = asking.cooldown_days()
    out = [
        {
            "contact_id": cid,
            "name": f"{given} {family}".strip(),
            "given_name": given,
            "family_name": family,
            "organization": org or "",
            "role": role,
            "met_in_person": bool(met),
            "archived": bool(archived),
            "ask": asking.status_from(last, cooldown, today),
        }
        for cid, given, family, org, role, met, archived, last in models.rows(query)
    ]
    out.sort(key=lambda r: (fold(r["family_name"]), fold(r["given_name"]), r["contact_id"]))
    return out
