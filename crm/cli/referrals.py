"""``crm refer``, ``crm referrals status|primary`` and ``crm chain``: who sent whom."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    date_arg,
    id_arg,
    open_store,
    positive_int,
    print_json,
)
from crm.core import vocabulary


def register(subparsers: Subparsers) -> None:
    _register_refer(subparsers)
    actions = add_group(
        subparsers,
        "referrals",
        "move referrals along the pipeline",
        "referrals_command",
        example="crm referrals list --status new",
    )
    p = add_command(
        actions,
        "status",
        cmd_referrals_status,
        "move a referral to a status",
        example="crm referrals status 42 won --value 1200",
    )
    p.add_argument("referral", type=id_arg, metavar="REFERRAL_ID")
    p.add_argument("status", choices=vocabulary.REFERRAL_STATUSES, metavar="STATUS")
    p.add_argument("--value", metavar="V")
    p.add_argument("--currency", metavar="CUR")
    p.add_argument("--reopen", action="store_true", help="allow moving a closed referral")
    p = add_command(
        actions,
        "primary",
        cmd_referrals_primary,
        "make a referral's giver the primary referrer",
        example="crm referrals primary 42",
        json_flag=False,
    )
    p.add_argument("referral", type=id_arg, metavar="REFERRAL_ID")
    p = add_command(
        subparsers,
        "chain",
        cmd_chain,
        "who referred a contact, and who came through them",
        example="crm chain 12 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--limit", type=positive_int, default=200, help="rows shown without --json")


def _register_refer(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "refer",
        cmd_refer,
        "record a referral; prints it as JSON",
        example="crm refer 12 31 --event 7 --temperature 4",
        json_flag=False,
    )
    p.add_argument("giver", type=id_arg, metavar="GIVER_ID")
    p.add_argument("referred", type=id_arg, metavar="REFERRED_ID")
    p.add_argument("--status", default="new", choices=vocabulary.REFERRAL_STATUSES)
    p.add_argument("--value", metavar="V", help="value of the business won")
    p.add_argument("--currency", metavar="CUR")
    p.add_argument("--event", type=id_arg, metavar="ID")
    p.add_argument(
        "--receiver",
        type=id_arg,
        metavar="ID",
        help="the contact the referral was passed to, when not you",
    )
    p.add_argument("--temperature", type=int, default=3, choices=range(1, 6), metavar="1-5")
    p.add_argument("--program", default="direct", choices=vocabulary.PROGRAMS)
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--notes")


def cmd_refer(args: argparse.Namespace) -> int:
    from crm.core import referrals

    open_store(args)
    ref = referrals.record_referral(
        args.giver,
        args.referred,
        receiver_id=args.receiver,
        event_id=args.event,
        program=args.program,
        temperature=args.temperature,
        status=args.status,
        value=args.value,
        currency=args.currency,
        referred_on=args.date,
        notes=args.notes or "",
    )
    out = referrals.to_dict(ref)
    print_json(out)
    if ref.suspicion:
        print(f"warning: possible self-referral: {ref.suspicion}", file=sys.stderr)
    return EXIT_OK


def cmd_referrals_status(args: argparse.Namespace) -> int:
    from crm.core import referrals

    open_store(args)
    ref = referrals.change_status(
        args.referral, args.status, value=args.value, currency=args.currency, reopen=args.reopen
    )
    if args.json:
        print_json(referrals.to_dict(ref))
    else:
        value = f" ({ref.value} {ref.currency})" if ref.status == "won" else ""
        print(f"Referral {ref.id} is now {ref.status}{value}")
    return EXIT_OK


def cmd_referrals_primary(args: argparse.Namespace) -> int:
    from crm.core import referrals

    open_store(args)
    ref = referrals.set_primary(args.referral)
    print_json(referrals.to_dict(ref))
    return EXIT_OK


def cmd_chain(args: argparse.Namespace) -> int:
    from crm.core import chain

    open_store(args)
    data = chain.chain(args.id)
    if args.json:
        print_json(data)
        return EXIT_OK
    for a in reversed(data["ancestors"]):
        print(f"{'  ' * 0}↑{a['depth']:<3} {a['name']} (#{a['id']})")
    c = data["contact"]
    t = data["totals"]
    print(
        f"● {c['name']} (#{c['id']}): {t['descendants']} came through, "
        f"{t['won_value']:.2f} won, {t['max_depth']} levels deep"
    )
    shown = data["descendants"][: args.limit]
    for d in shown:
        print(
            f"{'  ' * d['depth']}{d['name']} (#{d['id']}) {d['status']}"
            + (f" {d['won_value']:.2f}" if d["won_value"] else "")
        )
    if len(data["descendants"]) > len(shown):
        print(f"… and {len(data['descendants']) - len(shown)} more (use --json for all)")
    return EXIT_OK
