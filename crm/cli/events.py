"""``crm events add|attend|unattend|list|show|edit``: networking events and who came."""

from __future__ import annotations

import argparse
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    id_arg,
    open_store,
    positive_int,
    print_json,
    report_edit,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "events",
        "networking events and attendance",
        "events_command",
        example="crm events list --upcoming",
    )
    p = add_command(
        actions,
        "add",
        cmd_events_add,
        "add an event; prints it as JSON",
        example='crm events add --title "Chamber evening" --date 2027-01-14 --kind mixer',
        json_flag=False,
    )
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--kind", default="mixer", choices=vocabulary.EVENT_KINDS)
    p.add_argument("--venue", metavar="V")
    p.add_argument("--city")
    p.add_argument("--organizer")
    p = add_command(
        actions,
        "attend",
        cmd_events_attend,
        "add a contact to an event",
        example="crm events attend 7 12 --role member --met",
        json_flag=False,
    )
    p.add_argument("event", type=id_arg, metavar="EVENT_ID")
    p.add_argument("contact", type=id_arg, metavar="CONTACT_ID")
    p.add_argument("--role", default="visitor", choices=vocabulary.ATTENDANCE_ROLES)
    p.add_argument("--met", action="store_true", help="we met in person")
    p = add_command(
        actions,
        "unattend",
        cmd_events_unattend,
        "take a contact off an event's list",
        example="crm events unattend 7 12",
    )
    p.add_argument("event", type=id_arg, metavar="EVENT_ID")
    p.add_argument("contact", type=id_arg, metavar="CONTACT_ID")
    _register_reading(actions)
    _register_edit(actions)


def _register_reading(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "list",
        cmd_events_list,
        "events, latest first (upcoming ones soonest first)",
        example="crm events list --upcoming --json",
    )
    period = p.add_mutually_exclusive_group()
    period.add_argument(
        "--upcoming", dest="period", action="store_const", const="upcoming", default="all"
    )
    period.add_argument("--past", dest="period", action="store_const", const="past")
    p.add_argument("--search", metavar="TEXT", help="title, kind, venue, city or organizer")
    p.add_argument("--limit", type=positive_int, default=50)
    p = add_command(
        actions,
        "show",
        cmd_events_show,
        "one event with the people on its list",
        example="crm events show 7 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")


def _register_edit(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "edit",
        cmd_events_edit,
        "change an event: only the fields given",
        example='crm events edit 7 --date "2027-01-14 19:30" --venue "Grand Hotel"',
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--title", metavar="T")
    p.add_argument("--date", metavar="YYYY-MM-DD[ HH:MM]")
    p.add_argument("--kind", choices=vocabulary.EVENT_KINDS)
    p.add_argument("--venue", metavar="V")
    p.add_argument("--city", metavar="C")
    p.add_argument("--organizer", metavar="O")
    p.add_argument("--notes", metavar="N")


def cmd_events_add(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    event = events.create_event(
        args.title,
        args.date,
        kind=args.kind,
        venue=args.venue or "",
        city=args.city or "",
        organizer=args.organizer or "",
    )
    print_json(events.to_dict(event))
    return EXIT_OK


def cmd_events_attend(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    att = events.attend(args.event, args.contact, role=args.role, met_in_person=args.met)
    print_json(
        {
            "id": att.id,
            "event_id": att.event_id,
            "contact_id": att.contact_id,
            "role": att.role,
            "met_in_person": att.met_in_person,
        }
    )
    return EXIT_OK


def cmd_events_list(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    rows = events.list_events(
        args.search or "", period=args.period, descending=args.period != "upcoming"
    )
    items: list[dict[str, Any]] = [
        {
            "id": r.id,
            "title": r.title,
            "kind": r.kind,
            "starts_at": r.starts_at.isoformat(sep=" "),
            "venue": r.venue,
            "city": r.city,
            "organizer": r.organizer,
            "attendees": r.attendees,
        }
        for r in rows[: args.limit]
    ]
    if args.json:
        print_json(items)
    else:
        for e in items:
            print(f"{e['id']:>5}  {e['starts_at'][:16]}  {e['title']}  {e['venue']} {e['city']}")
    return EXIT_OK


def _details(event_id: int) -> dict[str, Any]:
    from crm.core import events

    event = events.get_event(event_id)
    return {
        **events.to_dict(event),
        "notes": event.notes,
        "attendance": events.attendance_list(event.id),
    }


def cmd_events_show(args: argparse.Namespace) -> int:
    open_store(args)
    data = _details(args.id)
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"{data['title']}  (#{data['id']})")
    print(f"  {data['starts_at'][:16]}  {data['kind']}  {data['venue']} {data['city']}".rstrip())
    if data["organizer"]:
        print(f"  organized by {data['organizer']}")
    print(f"On the list ({len(data['attendance'])}):")
    for a in data["attendance"]:
        met = ", met" if a["met_in_person"] else ""
        print(f"  #{a['contact_id']:<6} {a['name']} ({a['role']}{met})")
    return EXIT_OK


# ``events edit`` option -> the event field it sets.
_EDITS = (
    ("title", "title"),
    ("date", "starts_at"),
    ("kind", "kind"),
    ("venue", "venue"),
    ("city", "city"),
    ("organizer", "organizer"),
    ("notes", "notes"),
)


def cmd_events_edit(args: argparse.Namespace) -> int:
    from crm.core import events

    changes = {field: getattr(args, opt) for opt, field in _EDITS if getattr(args, opt) is not None}
    if not changes:
        raise ValidationError(code="cli.events.nothing_change_give_least")
    open_store(args)
    before = _details(args.id)
    events.update_event(args.id, **changes)
    after = _details(args.id)
    return report_edit(args, before, after, f"{after['title']} (#{args.id})")


def cmd_events_unattend(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    events.remove_attendee(args.event, args.contact)
    data = {"event_id": args.event, "contact_id": args.contact, "attending": False}
    if args.json:
        print_json(data)
    else:
        print(f"Contact {args.contact} is off the list of event {args.event}")
    return EXIT_OK
