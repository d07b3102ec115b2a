"""``crm labels`` and ``crm envelopes``: addresses printed for posting.

The people come from one source (the pending thank-you letters, a voucher batch, an
event's attendees or contact ids); people without a postal address, without
marketing consent (unless ``--without-consent``) or erased are skipped and listed.
Printing changes nothing in the database.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    add_consent_override,
    id_arg,
    open_store,
    positive_int,
    print_json,
    without_consent,
)
from crm.i18n import _, ngettext

# Kept here (not imported from crm.documents) so ``--help`` stays light.
SHEET_KEYS = ("a4-3x7", "a4-3x8", "letter-3x10")
SIZE_KEYS = ("dl", "c5", "c6")


def _sources(p: Parser) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--pending-letters", action="store_true", help="the givers of the pending thank-you letters"
    )
    group.add_argument("--batch", metavar="NAME", help="the holders of a voucher batch")
    group.add_argument("--event", type=id_arg, metavar="ID", help="the attendees of an event")
    group.add_argument(
        "--contact",
        type=id_arg,
        nargs="+",
        action="extend",
        metavar="ID",
        help="these contacts (one or more ids)",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_consent_override(p)


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "labels",
        cmd_labels,
        "print address labels on a sheet of labels",
        example=(
            "crm labels --event 7 --sheet a4-3x7 -o labels.pdf",
            "crm labels --pending-letters --sheet letter-3x10 --start 4 -o labels.pdf",
        ),
    )
    _sources(p)
    p.add_argument("--sheet", required=True, choices=SHEET_KEYS, help="the label sheet")
    p.add_argument(
        "--start",
        type=positive_int,
        default=1,
        metavar="N",
        help="the first free label on a partly used sheet, counted from 1 left to right, "
        "row by row (default 1)",
    )
    p = add_command(
        subparsers,
        "envelopes",
        cmd_envelopes,
        "print addressed envelopes, one per page",
        example=(
            "crm envelopes --event 7 --size dl -o envelopes.pdf",
            "crm envelopes --batch 2026-Q4 --size c5 -o envelopes.pdf",
        ),
    )
    _sources(p)
    p.add_argument("--size", required=True, choices=SIZE_KEYS, help="the envelope size")


def _recipients(args: argparse.Namespace) -> dict[str, Any]:
    from crm.core import postal

    return postal.recipients(
        pending_letters=bool(args.pending_letters),
        batch=args.batch,
        event_id=args.event,
        contact_ids=args.contact or (),
        allow_without_consent=without_consent(args),
    )


def _report(args: argparse.Namespace, result: dict[str, Any], what: str) -> int:
    if args.json:
        print_json(result)
        return EXIT_OK
    n, pages = result["printed"], result["pages"]
    if what == "label":
        items = ngettext("{n} label", "{n} labels", n).format(n=n)
    else:
        items = ngettext("{n} envelope", "{n} envelopes", n).format(n=n)
    if n:
        sheets = ngettext("{n} page", "{n} pages", pages).format(n=pages)
        print(
            _("Saved {items} on {pages} to {path}").format(
                items=items, pages=sheets, path=result["path"]
            )
        )
    elif what == "label":
        print(_("Nobody to print: no labels, no file written."), file=sys.stderr)
    else:
        print(_("Nobody to print: no envelopes, no file written."), file=sys.stderr)
    for skip in result["skipped"]:
        if skip["name"]:
            line = _("Skipped #{id} {name}: {why}").format(
                id=skip["contact_id"], name=skip["name"], why=skip["why"]
            )
        else:
            line = _("Skipped #{id}: {why}").format(id=skip["contact_id"], why=skip["why"])
        print(line, file=sys.stderr)
    return EXIT_OK


def cmd_labels(args: argparse.Namespace) -> int:
    from crm.documents import page, postal_formats

    layout = postal_formats.sheet(args.sheet)
    postal_formats.check_start(layout, args.start)
    page.check_output(args.output)
    open_store(args)
    from crm.documents import postal_pdf

    result = postal_pdf.print_labels(
        _recipients(args), args.output, sheet_key=args.sheet, start=args.start
    )
    return _report(args, result, "label")


def cmd_envelopes(args: argparse.Namespace) -> int:
    from crm.documents import page, postal_formats

    postal_formats.envelope(args.size)
    page.check_output(args.output)
    open_store(args)
    from crm.documents import postal_pdf

    result = postal_pdf.print_envelopes(_recipients(args), args.output, size_key=args.size)
    return _report(args, result, "envelope")
