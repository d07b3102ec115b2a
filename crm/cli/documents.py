"""``crm letter``, ``crm letters`` and ``crm briefing``: the documents printed to PDF.

Letters go only to people who agreed to marketing; ``--without-consent`` overrides
that for the one document being printed (crm.core.privacy).
"""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_consent_override,
    id_arg,
    open_store,
    print_json,
    without_consent,
)


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "letter",
        cmd_letter,
        "print the thank-you letter for a referral to a PDF",
        example="crm letter --referral 42 -o thanks.pdf",
    )
    p.add_argument("--referral", required=True, type=id_arg, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_consent_override(p)
    p = add_command(
        subparsers,
        "letters",
        cmd_letters,
        "print all pending thank-you letters to one PDF",
        example="crm letters --pending -o letters.pdf",
    )
    p.add_argument("--pending", action="store_true", required=True, help="the pending ones")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_consent_override(p)
    p = add_command(
        subparsers,
        "briefing",
        cmd_briefing,
        "print the briefing for an event to a PDF",
        example="crm briefing --event 7 -o briefing.pdf",
    )
    p.add_argument("--event", required=True, type=id_arg, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")


def cmd_letter(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    open_store(args)
    from crm.documents import letters

    result = letters.thank_you_letter(
        args.referral, args.output, allow_without_consent=without_consent(args)
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

    skipped = [] if without_consent(args) else core_letters.pending_without_consent()
    count = letters.pending_letters(args.output, allow_without_consent=without_consent(args))
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
