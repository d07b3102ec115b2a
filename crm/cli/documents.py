"""Subcommands that print: thank-you letters, briefings, and the gift vouchers behind them.

Letters and vouchers go only to people who agreed to marketing; ``--without-consent``
overrides that for the one document being printed or issued (crm.core.privacy).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import EXIT_OK, open_store, print_json
from crm.core.errors import ValidationError


def add_consent_override(parser: Any) -> None:
    """The ``--without-consent`` flag of a command that prints or issues to people."""
    parser.add_argument(
        "--without-consent",
        action="store_true",
        help="also for people who have not agreed to marketing (overrides the consent check "
        "for this document only)",
    )


def _override(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "without_consent", False))


def cmd_letter(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    open_store(args)
    from crm.documents import letters

    result = letters.thank_you_letter(
        args.referral, args.output, allow_without_consent=_override(args)
    )
    if args.json:
        print_json(result)
    else:
        print(f"Saved the thank-you letter to {result['path']}")
    return EXIT_OK


def cmd_letters(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    open_store(args)
    from crm.core import letters as core_letters
    from crm.core import privacy
    from crm.documents import letters

    skipped = [] if _override(args) else core_letters.pending_without_consent()
    count = letters.pending_letters(args.output, allow_without_consent=_override(args))
    if args.json:
        print_json(
            {
                "path": str(args.output) if count else None,
                "letters": count,
                "skipped_without_consent": skipped,
            }
        )
        return EXIT_OK
    if count:
        print(f"Saved {count} thank-you letter{'s' if count != 1 else ''} to {args.output}")
    elif not skipped:
        print("No thank-you letters are pending; no file written.", file=sys.stderr)
    if skipped:
        people = list({s["giver_id"]: s["giver_name"] for s in skipped}.items())
        n = len(skipped)
        print(
            f"Skipped {n} letter{'s' if n != 1 else ''}: "
            + privacy.consent_message(people, "print"),
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_briefing(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    open_store(args)
    from crm.documents import briefing_pdf

    result = briefing_pdf.event_briefing_pdf(args.event, args.output)
    if args.json:
        print_json(result)
    else:
        print(
            f"Saved the briefing ({result['attendees']} attendees, {result['pages']} pages) "
            f"to {result['path']}"
        )
    return EXIT_OK


def cmd_vouchers_issue(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    if (args.holder is None) == (args.top is None):
        raise ValidationError("Give either --holder ID (repeatable) or --top N")
    open_store(args)
    issued = vouchers.issue(
        args.holder,
        top_n=args.top,
        value=args.value,
        expires=args.expires,
        batch=args.batch,
        currency=args.currency,
        allow_without_consent=_override(args),
    )
    print_json(issued)
    return EXIT_OK


def cmd_vouchers_list(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    open_store(args)
    items = vouchers.list_vouchers(args.batch)
    if args.json:
        print_json(items)
        return EXIT_OK
    for v in items:
        printed = "printed" if v["printed_at"] else ""
        print(
            f"{v['id']:>6}  {v['code']}  {v['batch']:<10} {v['holder']:<28} "
            f"{v['value']:>9.2f} {v['currency']}  {v['expires']}  {v['status']:<8} {printed}"
        )
    if not items:
        print("No vouchers in that batch." if args.batch else "No vouchers yet.", file=sys.stderr)
    return EXIT_OK


def cmd_vouchers_print(args: argparse.Namespace) -> int:
    if args.per_page not in (1, 4, 8):
        raise ValidationError(f"--per-page must be 1, 4 or 8, not {args.per_page}")
    open_store(args)
    from crm.documents import vouchers_pdf

    result = vouchers_pdf.print_batch(
        args.batch, args.output, per_page=args.per_page, allow_without_consent=_override(args)
    )
    if args.json:
        print_json(result)
    else:
        print(f"Saved {result['vouchers']} vouchers on {result['pages']} pages to {result['path']}")
    return EXIT_OK


def cmd_vouchers_redeem(args: argparse.Namespace) -> int:
    from crm.core import redemption

    if (args.friend is None) == (args.new_friend is None):
        raise ValidationError('Give either --friend ID or --new-friend "Given Family"')
    open_store(args)
    out = redemption.redeem(args.code, friend_id=args.friend, new_friend=args.new_friend)
    print_json(out)
    return EXIT_OK


def cmd_vouchers_void(args: argparse.Namespace) -> int:
    from crm.core import redemption

    open_store(args)
    out = redemption.void(args.code, args.reason or "")
    if args.json:
        print_json(out)
    else:
        print(f"Voucher {out['code']} of {out['holder']} is void")
    return EXIT_OK
