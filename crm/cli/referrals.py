"""``crm refer``, ``crm referrals list|show|edit|status|primary`` and ``crm chain``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    add_if_version,
    date_arg,
    id_arg,
    open_store,
    period_end,
    positive_int,
    print_json,
    report_edit,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    _register_refer(subparsers)
    # The pipeline's actions are added below ``status`` and ``primary``.
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
    _register_pipeline(actions)
    p = add_command(
        subparsers,
        "chain",
        cmd_chain,
        "who referred a contact, and who came through them",
        example="crm chain 12 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--limit", type=positive_int, default=200, help="rows shown without --json")


def _register_pipeline(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "list",
        cmd_referrals_list,
        "the referrals that pass the filters, newest first",
        example="crm referrals list --status won --from 2026-01-01 --json",
    )
    p.add_argument("--status", choices=vocabulary.REFERRAL_STATUSES)
    p.add_argument("--giver", type=id_arg, metavar="ID")
    p.add_argument("--event", type=id_arg, metavar="ID")
    p.add_argument("--program", choices=vocabulary.PROGRAMS)
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=period_end, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=1000, metavar="N")
    p = add_command(
        actions,
        "show",
        cmd_referrals_show,
        "one referral with its notes and status history",
        example="crm referrals show 42 --json",
    )
    p.add_argument("referral", type=id_arg, metavar="REFERRAL_ID")
    p = add_command(
        actions,
        "edit",
        cmd_referrals_edit,
        "change a referral's program, temperature, event or notes",
        example="crm referrals edit 42 --temperature 5 --event 7",
    )
    p.add_argument("referral", type=id_arg, metavar="REFERRAL_ID")
    p.add_argument("--program", choices=vocabulary.PROGRAMS)
    p.add_argument("--temperature", type=int, choices=range(1, 6), metavar="1-5")
    p.add_argument("--event", type=_event_or_none, metavar="ID|none")
    p.add_argument("--notes", metavar="N")
    add_if_version(p, "referral")


def _event_or_none(text: str) -> int:
    """An event id, or 0 for "none" (take the referral off its event)."""
    return 0 if text.strip().casefold() == "none" else id_arg(text)


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


def cmd_referrals_list(args: argparse.Namespace) -> int:
    from crm.core import referrals

    open_store(args)
    ids = referrals.query_ids(
        status=args.status,
        giver_id=args.giver,
        event_id=args.event,
        program=args.program,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    rows = [dict(zip(referrals.ROW_COLUMNS, row, strict=True)) for row in
            referrals.rows_for_ids(ids[: args.limit])]  # fmt: skip
    for row in rows:
        row["referred_on"] = str(row["referred_on"])
        row["value"] = float(row["value"]) if row["value"] is not None else None
    if args.json:
        print_json(rows)
        return EXIT_OK
    for r in rows:
        value = f" {r['value']:.2f} {r['currency']}" if r["value"] is not None else ""
        print(
            f"{r['id']:>6}  {r['referred_on']}  {r['giver']} → {r['referred']}  "
            f"{r['status']}{value}  {r['program']}"
        )
    if not rows:
        print("No referrals found.", file=sys.stderr)
    return EXIT_OK


def _details(referral_id: int) -> dict[str, Any]:
    from crm.core import referrals

    ref = referrals.get_referral(referral_id)
    event = ref.event
    return {
        **referrals.to_dict(ref),
        "event": event.title if event is not None else None,
        "notes": ref.notes,
        "history": [
            {"from": old, "to": new, "at": at.isoformat(sep=" ")}
            for old, new, at in referrals.status_history(ref.id)
        ],
    }


def cmd_referrals_show(args: argparse.Namespace) -> int:
    open_store(args)
    data = _details(args.referral)
    if args.json:
        print_json(data)
        return EXIT_OK
    value = f" {data['value']:.2f} {data['currency']}" if data["value"] is not None else ""
    print(f"Referral #{data['id']}: {data['giver']} → {data['referred']}")
    print(f"  {data['referred_on']}  {data['status']}{value}  {data['program']}")
    print(
        f"  temperature {data['temperature']}/5"
        + (f", at {data['event']}" if data["event"] else "")
    )
    if data["notes"]:
        print(f"  {data['notes']}")
    for h in data["history"]:
        print(f"  {h['at'][:16]}  {h['from'] or '—'} → {h['to']}")
    return EXIT_OK


def cmd_referrals_edit(args: argparse.Namespace) -> int:
    from crm.core import referral_edits

    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("program", args.program),
            ("temperature", args.temperature),
            ("event_id", args.event),
            ("notes", args.notes),
        )
        if value is not None
    }
    if not changes:
        raise ValidationError(
            "Nothing to change: give at least one option (see crm referrals edit --help)"
        )
    open_store(args)
    before = _details(args.referral)
    referral_edits.update_referral(args.referral, expected_version=args.if_version, **changes)
    after = _details(args.referral)
    return report_edit(args, before, after, f"Referral {args.referral}")
