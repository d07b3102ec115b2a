"""Networking events and who attended them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.core import interactions, models, settings
from crm.core.contacts import get_contact
from crm.core.errors import NotFoundError, ValidationError

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
            f"Date '{text}' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM", "starts_at"
        ) from None


def get_event(event_id: int) -> models.Event:
    event = models.Event.get_or_none(models.Event.id == event_id)
    if event is None:
        raise NotFoundError(f"No event with id {event_id}")
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
    clean_title = " ".join((title or "").split())
    if not clean_title:
        raise ValidationError("An event needs a title", "title")
    if kind not in models.EVENT_KINDS:
        raise ValidationError(
            f"Event kind must be one of {', '.join(models.EVENT_KINDS)}, not '{kind}'", "kind"
        )
    start = _starts(starts_at)
    return models.Event.create(
        title=clean_title,
        kind=kind,
        starts_at=start,
        venue=venue.strip(),
        city=city.strip(),
        organizer=organizer.strip(),
        notes=notes,
    )


def _met_followup(event: models.Event, contact: models.Contact) -> None:
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
    if not exists:
        models.FollowUp.create(
            contact=contact,
            event=event,
            kind="call",
            title=f"Follow up with {contact.display_name} after {event.title}",
            due=event.starts_at.date() + dt.timedelta(days=days),
            rule="met",
        )


def attend(
    event_id: int, contact_id: int, *, role: str = "visitor", met_in_person: bool = False
) -> models.Attendance:
    """Record that a contact attended an event; meeting them in person schedules a follow-up."""
    if role not in models.ATTENDANCE_ROLES:
        raise ValidationError(
            f"Role must be one of {', '.join(models.ATTENDANCE_ROLES)}, not '{role}'", "role"
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
            raise ValidationError(f"{contact.display_name} is already on the list of {event.title}")
        att = models.Attendance.create(
            event=event, contact=contact, role=role, met_in_person=met_in_person
        )
        interactions.log(
            contact.id,
            "event_attended",
            f"{event.title} ({role})",
            event_id=event.id,
            at=event.starts_at,
        )
        if met_in_person:
            _met_followup(event, contact)
    return att


def set_met(event_id: int, contact_id: int, met: bool = True) -> models.Attendance:
    with db.atomic():
        att = models.Attendance.get_or_none(
            (models.Attendance.event == event_id) & (models.Attendance.contact == contact_id)
        )
        if att is None:
            raise NotFoundError(f"Contact {contact_id} is not on the list of event {event_id}")
        if att.met_in_person == met:
            return att  # a checkbox ticked twice changes nothing
        att.met_in_person = met
        att.save()
        interactions.log(
            contact_id,
            "event_attended",
            f"{'Met in person' if met else 'Not met in person'} at {att.event.title}",
            event_id=event_id,
        )
        if met:
            _met_followup(att.event, att.contact)
    return att


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
