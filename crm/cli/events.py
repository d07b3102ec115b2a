"""``crm events add|attend|list``: networking events and who came."""

from __future__ import annotations

import argparse

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    id_arg,
    open_store,
    positive_int,
    print_json,
)
from crm.core import vocabulary


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
        "list",
        cmd_events_list,
        "recent and upcoming events",
        example="crm events list --upcoming --json",
    )
    p.add_argument("--limit", type=positive_int, default=50)


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
    from crm.core import events, models

    open_store(args)
    query = models.Event.select().order_by(models.Event.starts_at.desc()).limit(args.limit)
    items = [events.to_dict(e) for e in query]
    if args.json:
        print_json(items)
    else:
        for e in items:
            print(f"{e['id']:>5}  {e['starts_at'][:16]}  {e['title']}  {e['venue']} {e['city']}")
    return EXIT_OK
