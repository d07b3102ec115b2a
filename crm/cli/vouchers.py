"""``crm vouchers issue|list|print|redeem|void``: gift vouchers, from issue to redemption.

Vouchers are issued and printed only for people who agreed to marketing;
``--without-consent`` overrides that for the one batch (crm.core.privacy).
"""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_consent_override,
    add_group,
    date_arg,
    id_arg,
    open_store,
    positive_int,
    print_json,
    without_consent,
)
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "vouchers",
        "issue, list and print gift vouchers",
        "vouchers_command",
        example="crm vouchers list --json",
    )
    _register_issue(actions)
    p = add_command(
        actions,
        "list",
        cmd_vouchers_list,
        "list vouchers with their status",
        example="crm vouchers list --batch 2026-Q4 --json",
    )
    p.add_argument("--batch", metavar="NAME")
    p = add_command(
        actions,
        "print",
        cmd_vouchers_print,
        "print a batch of vouchers to a PDF",
        example="crm vouchers print --batch 2026-Q4 -o vouchers.pdf --per-page 4",
    )
    p.add_argument("--batch", required=True, metavar="NAME")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--per-page", type=int, default=1, metavar="1|4|8", help="vouchers per A4 page")
    add_consent_override(p)
    p = add_command(
        actions,
        "redeem",
        cmd_vouchers_redeem,
        "redeem a voucher for the friend who brought it; prints it as JSON",
        example='crm vouchers redeem K7QX-4M2P --new-friend "Elena Petrova"',
    )
    p.add_argument("code", metavar="CODE", help="as printed; case, spaces and dashes ignored")
    p.add_argument("--friend", type=id_arg, metavar="ID", help="the friend, already a contact")
    p.add_argument(
        "--new-friend",
        metavar='"Given Family"',
        help='a new contact: "Given Family" or "Family, Given"',
    )
    p = add_command(
        actions,
        "void",
        cmd_vouchers_void,
        "void a voucher so it can never be redeemed",
        example='crm vouchers void K7QX-4M2P --reason "lost in the post"',
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("--reason", metavar="TEXT", help="kept in the holder's history")


def _register_issue(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "issue",
        cmd_vouchers_issue,
        "issue vouchers; prints them as JSON",
        example="crm vouchers issue --top 20 --value 50 --expires 2027-03-31 --batch 2026-Q4",
        json_flag=False,
    )
    p.add_argument(
        "--holder", type=id_arg, action="append", metavar="ID", help="repeat for several"
    )
    p.add_argument(
        "--top",
        type=positive_int,
        metavar="N",
        help="the N clients with the most won referral value in the last 12 months",
    )
    p.add_argument("--value", required=True, metavar="V")
    p.add_argument("--expires", required=True, type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--batch", required=True, metavar="NAME", help="such as 2026-Q4")
    p.add_argument("--currency", metavar="C", help="ISO code (default: the profile's)")
    add_consent_override(p)


def cmd_vouchers_issue(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    if (args.holder is None) == (args.top is None):
        raise ValidationError(code="cli.vouchers.give_either_holder_id")
    open_store(args)
    issued = vouchers.issue(
        args.holder,
        top_n=args.top,
        value=args.value,
        expires=args.expires,
        batch=args.batch,
        currency=args.currency,
        allow_without_consent=without_consent(args),
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
        raise ValidationError(code="cli.vouchers.per_page_1_4", args_per_page=args.per_page)
    open_store(args)
    from crm.documents import vouchers_pdf

    result = vouchers_pdf.print_batch(
        args.batch, args.output, per_page=args.per_page, allow_without_consent=without_consent(args)
    )
    if args.json:
        print_json(result)
    else:
        print(f"Saved {result['vouchers']} vouchers on {result['pages']} pages to {result['path']}")
    return EXIT_OK


def cmd_vouchers_redeem(args: argparse.Namespace) -> int:
    from crm.core import redemption

    if (args.friend is None) == (args.new_friend is None):
        raise ValidationError(code="cli.vouchers.give_either_friend_id")
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
