"""``crm followups [--apply-rules] [done|add|snooze|reschedule]``: who to get back to, and when."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    add_if_version,
    date_arg,
    id_arg,
    open_store,
    positive_int,
    print_json,
    report_edit,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError
from crm.core.rule_lines import shown_title


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "followups",
        cmd_followups,
        "the follow-up list; 'followups done ID'",
        example=("crm followups --due-by 2026-12-31 --json", "crm followups --apply-rules"),
    )
    _list_options(p)
    # The list is the command itself (or its "list" action); the actions are optional beside it.
    actions = p.add_subparsers(dest="followup_command", metavar="ACTION", parser_class=Parser)
    listing = add_command(
        actions,
        "list",
        cmd_followups,
        "the follow-up list, as 'crm followups' shows it",
        example=("crm followups list --mine", "crm followups list --due-by 2026-12-31 --json"),
    )
    _list_options(listing)
    done = add_command(
        actions, "done", cmd_followups_done, "mark a follow-up done", example="crm followups done 5"
    )
    done.add_argument("id", type=id_arg, metavar="ID")
    p = add_command(
        actions,
        "add",
        cmd_followups_add,
        "add a follow-up about a contact; prints it as JSON",
        example='crm followups add 12 --due 2027-01-10 --title "Send the proposal" --kind email',
        json_flag=False,
    )
    p.add_argument("contact", type=id_arg, metavar="CONTACT_ID")
    p.add_argument("--due", required=True, type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("--kind", default="call", choices=vocabulary.FOLLOWUP_KINDS)
    p.add_argument("--notes", metavar="N")
    p.add_argument("--assign", metavar="USER", help="the colleague it is for (default: nobody)")
    _register_edit(actions)
    p = add_command(
        actions,
        "snooze",
        cmd_followups_snooze,
        "hide a follow-up for some days, or until a day",
        example=("crm followups snooze 5 --days 7", "crm followups snooze 5 --until 2027-01-04"),
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--days", type=_days, metavar="N", help="from when it is due")
    when.add_argument("--until", type=date_arg, metavar="YYYY-MM-DD")
    p = add_command(
        actions,
        "reschedule",
        cmd_followups_reschedule,
        "move a follow-up to another day",
        example="crm followups reschedule 5 2027-01-15",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("due", type=date_arg, metavar="YYYY-MM-DD")


def _list_options(p: Parser) -> None:
    p.add_argument("--due-by", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=1000)
    p.add_argument(
        "--mine",
        action="store_true",
        help="only mine: assigned to me, or to nobody and added by me (see --user)",
    )
    p.add_argument(
        "--apply-rules",
        action="store_true",
        help="first make today's birthday, stay-in-touch and voucher campaign reminders "
        "(the app does it daily)",
    )


def _register_edit(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "edit",
        cmd_followups_edit,
        "change a follow-up: only what is given",
        example=(
            "crm followups edit 5 --assign luca",
            'crm followups edit 5 --title "Send the offer" --due 2027-01-12 --if-version 3',
        ),
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--title", metavar="T")
    p.add_argument("--kind", choices=vocabulary.FOLLOWUP_KINDS)
    p.add_argument("--due", type=date_arg, metavar="YYYY-MM-DD", help="also ends a snooze")
    p.add_argument("--notes", metavar="N")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--assign", metavar="USER", help="the colleague it is for")
    who.add_argument("--unassign", action="store_true", help="for nobody in particular")
    add_if_version(p, "follow-up")


def _days(text: str) -> int:
    days = positive_int(text)
    if days > 3660:  # ten years; far more would run past the last date there is
        raise argparse.ArgumentTypeError(f"{days} days is more than ten years (3660 days)")
    return days


def _followup(item: Any) -> dict[str, Any]:
    """A follow-up as JSON, read again after a change."""
    return {
        "id": item.id,
        "contact_id": item.contact_id,
        "contact": item.contact.display_name,
        "kind": item.kind,
        "title": shown_title(item),
        "notes": item.notes,
        "due": str(item.due),
        "snoozed_until": str(item.snoozed_until) if item.snoozed_until else None,
        "done_at": item.done_at.isoformat(sep=" ") if item.done_at else None,
        "referral_id": item.referral_id,
        "event_id": item.event_id,
        "rule": item.rule,
        "assigned_to": item.assigned_to,
        "created_by": item.created_by,
        "version": item.version,
        "changed_by": item.changed_by,
        "changed_at": item.changed_at.isoformat(sep=" ") if item.changed_at else None,
    }


def cmd_followups(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    # Only on request: listing alone never writes.
    if args.apply_rules:
        made = followups.run_daily_rules(force=True)
        plural = "" if made == 1 else "s"
        print(f"Made {made} follow-up{plural} from the date rules.", file=sys.stderr)
    items = followups.open_followups(due_by=args.due_by, limit=args.limit, mine_only=args.mine)
    if args.json:
        print_json(items)
        return EXIT_OK
    for f in items:
        flag = "overdue" if f["overdue"] else ""
        who = f"  → {f['assigned_to']}" if f["assigned_to"] else ""
        print(f"{f['id']:>6}  {f['due']}  {f['kind']:<12} {f['title']}{who}  {flag}".rstrip())
    if not items:
        print("Nothing to follow up.", file=sys.stderr)
    return EXIT_OK


def cmd_followups_done(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    # Refuses (exit 2) a follow-up that was already done, naming the day it was.
    item = followups.mark_done(args.id)
    if item.done_at is None:  # mark_done sets it or refuses; anything else is a bug
        raise RuntimeError(f"follow-up {item.id} was not marked done")
    if args.json:
        print_json({"id": item.id, "done_at": item.done_at.isoformat(sep=" ")})
    else:
        print(f"Follow-up {item.id} done: {shown_title(item)}")
    return EXIT_OK


def cmd_followups_add(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    item = followups.create_followup(
        args.contact,
        args.due,
        kind=args.kind,
        title=args.title,
        notes=args.notes or "",
        assigned_to=args.assign or "",
    )
    print_json(_followup(followups.get_followup(item.id)))
    return EXIT_OK


def _moved(args: argparse.Namespace, item_id: int) -> int:
    from crm.core import followups

    data = _followup(followups.get_followup(item_id))
    if args.json:
        print_json(data)
    else:
        due = data["snoozed_until"] or data["due"]
        print(f"Follow-up {data['id']} ({data['title']}) now due {due}")
    return EXIT_OK


def cmd_followups_snooze(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    if args.days is not None:
        item = followups.snooze_for(args.id, args.days)
    else:
        item = followups.snooze(args.id, args.until)
    return _moved(args, item.id)


def cmd_followups_reschedule(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    return _moved(args, followups.reschedule(args.id, args.due).id)


def cmd_followups_edit(args: argparse.Namespace) -> int:
    from crm.core import followup_edits, followups

    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("title", args.title),
            ("kind", args.kind),
            ("due", args.due),
            ("notes", args.notes),
            ("assigned_to", "" if args.unassign else args.assign),
        )
        if value is not None
    }
    if not changes:
        raise ValidationError(code="cli.followups.nothing_to_change")
    open_store(args)
    before = _followup(followups.get_followup(args.id))
    followup_edits.update_followup(args.id, expected_version=args.if_version, **changes)
    after = _followup(followups.get_followup(args.id))
    return report_edit(args, before, after, f"Follow-up {args.id}")
