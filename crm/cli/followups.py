"""``crm followups`` and ``crm followups done ID``: who to get back to, and when."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    date_arg,
    id_arg,
    open_store,
    positive_int,
    print_json,
)


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "followups",
        cmd_followups,
        "the follow-up list; 'followups done ID'",
        example="crm followups --due-by 2026-12-31 --json",
    )
    p.add_argument("--due-by", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=1000)
    # The list is the command itself; "done" is an optional action beside it.
    actions = p.add_subparsers(dest="followup_command", metavar="ACTION", parser_class=Parser)
    done = actions.add_parser("done", help="mark a follow-up done")
    done.set_defaults(handler=cmd_followups_done)
    done.add_argument("id", type=id_arg, metavar="ID")
    done.add_argument("--json", action="store_true")


def cmd_followups(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    followups.apply_date_rules()
    items = followups.open_followups(due_by=args.due_by, limit=args.limit)
    if args.json:
        print_json(items)
        return EXIT_OK
    for f in items:
        flag = "overdue" if f["overdue"] else ""
        print(f"{f['id']:>6}  {f['due']}  {f['kind']:<12} {f['title']}  {flag}")
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
        print(f"Follow-up {item.id} done: {item.title}")
    return EXIT_OK
