"""The iCalendar file of follow-ups and events (:func:`export_ics`).

RFC 5545 through the icalendar library, which also folds long lines at 75
octets without splitting a UTF-8 character: open follow-ups as ``VTODO`` (and
those done in the last ``done_days`` days as ``COMPLETED``, so a calendar that
re-imports the file by ``UID`` ticks them off), every event as ``VEVENT``.
With ``as_events`` the follow-ups are all-day ``VEVENT``s instead (Google
Calendar imports no ``VTODO``), each with a ``VALARM`` when an alarm is given.
Event times are stored as naive local times; they are written in UTC
(``DTSTART:20260312T160000Z``), converted with this computer's time zone rules:
an unambiguous instant every calendar program reads, with no ``VTIMEZONE`` to
get wrong, and shown in the reader's own zone. Events have no end in the
database: ``DTEND`` is the start plus :data:`EVENT_HOURS` for the event's kind.

Like every export the file is written beside the target and renamed into place
(crm.interchange.exports.atomic_output), read in one transaction, and nothing
is written to the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from typing import Any

from crm.core import clock
from crm.core.db import read_snapshot
from crm.core.errors import ValidationError
from crm.interchange.csv_output import atomic_output, check_output, full_name

# Hours an event lasts in the calendar, by kind (the database keeps only the start).
EVENT_HOURS: dict[str, float] = {
    "chamber_of_commerce": 2.0,
    "business_association": 2.0,
    "chapter_meeting": 1.5,
    "conference": 8.0,
    "mixer": 2.0,
    "one_to_one": 1.0,
}
DEFAULT_EVENT_HOURS = 2.0
# How many attendees an event's description names before "and N more".
ATTENDEES_NAMED = 100
UID_DOMAIN = "passaparola"
# An alarm as typed: "1h", "30m", "1d", "1h30m", "2w".
_ALARM = re.compile(r"(?:\d{1,5}[wdhm])+")
_ALARM_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
LONGEST_ALARM = dt.timedelta(days=28)


def parse_alarm(text: str) -> dt.timedelta:
    """How long before a follow-up its alarm goes off, from ``1h``, ``30m``, ``1d``, ``1h30m``."""
    typed = text.strip().lower().replace(" ", "")
    if not _ALARM.fullmatch(typed):
        raise ValidationError(code="ics.alarm_time_before_follow", field="alarm", text=text)
    ahead = dt.timedelta()
    for number, unit in re.findall(r"(\d+)([wdhm])", typed):
        ahead += dt.timedelta(**{_ALARM_UNITS[unit]: int(number)})
    if not ahead or ahead > LONGEST_ALARM:
        raise ValidationError(code="ics.alarm_more_0_most", field="alarm", text=text)
    return ahead


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored (naive, local) time as an aware UTC time."""
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _followup_rows(done_since: dt.datetime) -> list[tuple[Any, ...]]:
    from peewee import JOIN

    from crm.core import models

    f, c, o = models.FollowUp, models.Contact, models.Organization
    ev, r = models.Event, models.Referral
    giver = models.Contact.alias()
    query = (
        f.select(
            f.id,
            f.kind,
            f.title,
            f.notes,
            f.due,
            f.snoozed_until,
            f.done_at,
            f.created_at,
            f.updated_at,
            c.id,
            c.given_name,
            c.family_name,
            c.email,
            c.phone,
            o.name,
            ev.id,
            ev.title,
            r.id,
            r.status,
            giver.given_name,
            giver.family_name,
        )
        .join(c, on=(f.contact == c.id))
        .join(o, JOIN.LEFT_OUTER, on=(c.organization == o.id))
        .switch(f)
        .join(ev, JOIN.LEFT_OUTER, on=(f.event == ev.id))
        .switch(f)
        .join(r, JOIN.LEFT_OUTER, on=(f.referral == r.id))
        .join(giver, JOIN.LEFT_OUTER, on=(r.giver == giver.id))
        .where(
            (c.archived == False)  # noqa: E712 - a peewee expression
            & c.erased_at.is_null()
            & (f.done_at.is_null() | (f.done_at >= done_since))
        )
        .order_by(f.due, f.id)
    )
    return models.rows(query)


@dataclasses.dataclass(frozen=True)
class _FollowUp:
    """What a calendar says of one follow-up, as a to-do or as an event."""

    id: int
    summary: str
    description: str
    day: dt.date
    created: dt.datetime
    updated: dt.datetime
    done_at: dt.datetime | None
    done_on: dt.date | None  # the local day it was done
    email: str | None
    event_id: int | None


def _followup(row: tuple[Any, ...]) -> _FollowUp:
    from crm.core import models

    (
        fid,
        kind,
        title,
        notes,
        due,
        snoozed,
        done_at,
        created,
        updated,
        _contact_id,
        given,
        family,
        email,
        phone,
        org,
        eid,
        event_title,
        rid,
        ref_status,
        g_given,
        g_family,
    ) = row
    name = full_name(given, family)
    summary = title or kind.replace("_", " ").capitalize()
    if name and name not in summary:
        summary = f"{summary} — {name}"
    about = _lines(
        f"{name} ({org})" if org else name,
        f"Phone: {phone}" if phone else "",
        f"Email: {email}" if email else "",
        f"Referred by {full_name(g_given, g_family)} (referral #{rid}, {ref_status})"
        if rid
        else "",
        f"Event: {event_title}" if eid else "",
    )
    day = models.as_date(snoozed) or models.as_date(due)
    assert day is not None  # due is NOT NULL
    return _FollowUp(
        id=fid,
        summary=summary,
        description=_lines(about, (notes or "").strip()),
        day=day,
        created=_utc(_as_datetime(created)),
        updated=_utc(_as_datetime(updated)),
        done_at=_utc(_as_datetime(done_at)) if done_at is not None else None,
        done_on=_as_datetime(done_at).date() if done_at is not None else None,
        email=email,
        event_id=eid,
    )


def _common(component: Any, item: _FollowUp, uid: str, stamp: dt.datetime, done: str = "") -> None:
    """The properties a follow-up has as a to-do and as an event alike."""
    component.add("uid", uid)
    component.add("dtstamp", stamp)
    component.add("created", item.created)
    component.add("last-modified", item.updated)
    component.add("summary", item.summary)
    component.add("description", _lines(done, item.description))
    if item.email:
        # A contact link the calendar can open; never ATTENDEE, which would
        # make a calendar program offer to send invitations.
        component.add("url", f"mailto:{item.email}")
    if item.event_id:
        component.add("related-to", f"event-{item.event_id}@{UID_DOMAIN}")


def _todo(item: _FollowUp, stamp: dt.datetime) -> Any:
    from icalendar import Todo

    todo = Todo()
    _common(todo, item, f"followup-{item.id}@{UID_DOMAIN}", stamp)
    todo.add("due", item.day)
    if item.done_at is None:
        todo.add("status", "NEEDS-ACTION")
    else:
        todo.add("status", "COMPLETED")
        todo.add("completed", item.done_at)
        todo.add("percent-complete", 100)
    return todo


def _followup_event(item: _FollowUp, stamp: dt.datetime, alarm: dt.timedelta | None) -> Any:
    """A follow-up as an all-day event on its day, with an alarm while it is open.

    One done recently stays in the calendar (a re-import by UID keeps it), saying so.
    """
    from icalendar import Alarm, Event

    event = Event()
    # Its own UID, so a calendar that also holds the to-do never mixes the two.
    done = f"Done on {item.done_on.isoformat()}" if item.done_on else ""
    _common(event, item, f"followup-event-{item.id}@{UID_DOMAIN}", stamp, done)
    event.add("dtstart", item.day)
    event.add("dtend", item.day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not busy time
    if alarm is not None and item.done_at is None:  # nothing to be reminded of once done
        ring = Alarm()
        ring.add("action", "DISPLAY")
        ring.add("description", item.summary)
        ring.add("trigger", -alarm)
        event.add_component(ring)
    return event


def _event_rows() -> tuple[list[tuple[Any, ...]], dict[int, list[str]]]:
    from crm.core import models

    ev, a, c = models.Event, models.Attendance, models.Contact
    events = models.rows(
        ev.select(
            ev.id,
            ev.title,
            ev.kind,
            ev.starts_at,
            ev.venue,
            ev.city,
            ev.organizer,
            ev.notes,
            ev.created_at,
            ev.updated_at,
        ).order_by(ev.starts_at, ev.id)
    )
    names: dict[int, list[str]] = {}
    query = (
        a.select(a.event, c.given_name, c.family_name)
        .join(c, on=(a.contact == c.id))
        .where((c.archived == False) & c.erased_at.is_null())  # noqa: E712
        .order_by(a.event, c.family_name, c.given_name, c.id)
    )
    for eid, given, family in models.rows(query):
        names.setdefault(eid, []).append(full_name(given, family))
    return events, names


def _event(row: tuple[Any, ...], attendees: list[str], stamp: dt.datetime) -> Any:
    from icalendar import Event

    eid, title, kind, starts, venue, city, organizer, notes, created, updated = row
    start = _utc(_as_datetime(starts))
    hours = EVENT_HOURS.get(kind, DEFAULT_EVENT_HOURS)
    event = Event()
    event.add("uid", f"event-{eid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("created", _utc(_as_datetime(created)))
    event.add("last-modified", _utc(_as_datetime(updated)))
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(hours=hours))
    location = ", ".join(p for p in (venue, city) if p)
    if location:
        event.add("location", location)
    named = attendees[:ATTENDEES_NAMED]
    more = len(attendees) - len(named)
    who = ""
    if attendees:
        who = f"Attending ({len(attendees)}): " + ", ".join(named)
        if more:
            who += f" and {more} more"
    description = _lines(f"Organizer: {organizer}" if organizer else "", who, (notes or "").strip())
    if description:
        event.add("description", description)
    return event


def export_ics(
    path: str | os.PathLike[str],
    done_days: int = 30,
    *,
    as_events: bool = False,
    alarm: dt.timedelta | None = None,
) -> int:
    """Write follow-ups (VTODO) and events (VEVENT) to an iCalendar file.

    Open follow-ups of contacts in use, plus those done in the last ``done_days``
    days (as COMPLETED); every event. With ``as_events`` the follow-ups are
    all-day events (those done say so), each open one with a display alarm
    ``alarm`` before its day when given. Returns how many components were written.
    """
    from icalendar import Calendar

    from crm import __version__
    from crm.core import models

    check_output(path)
    stamp = clock.utcnow().replace(microsecond=0)
    done_since = models.now() - dt.timedelta(days=max(done_days, 0))
    calendar = Calendar()
    calendar.add("prodid", f"-//Passaparola//crm {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Passaparola")
    written = 0
    with read_snapshot():
        for row in _followup_rows(done_since):
            item = _followup(row)
            calendar.add_component(
                _followup_event(item, stamp, alarm) if as_events else _todo(item, stamp)
            )
            written += 1
        events, attendees = _event_rows()
        for row in events:
            calendar.add_component(_event(row, attendees.get(row[0], []), stamp))
            written += 1
    # The bytes as the library wrote them: CRLF line ends, folded at 75 octets.
    with atomic_output(path, encoding=None) as handle:
        handle.write(calendar.to_ical())
    return written
