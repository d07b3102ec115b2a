"""``crm export vcard|csv|ics|referrals FILE``: contacts, referrals and a calendar out."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from crm.cli.common import EXIT_OK, Subparsers, add_command, open_store, print_json
from crm.core.errors import ValidationError

# What each kind counts, singular and plural, for the "Wrote N ..." line.
_NOUNS = {
    "vcard": ("contact", "contacts"),
    "csv": ("contact", "contacts"),
    "ics": ("follow-up or event", "follow-ups and events"),
    "referrals": ("referral", "referrals"),
}


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "export",
        cmd_export,
        "export contacts, follow-ups or referrals",
        example=(
            "crm export vcard contacts.vcf",
            "crm export ics followups.ics --as-events --alarm 1h",
        ),
    )
    p.add_argument(
        "kind",
        choices=("vcard", "csv", "ics", "referrals"),
        metavar="KIND",
        help="vcard, csv, ics or referrals",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--vcard-version", choices=("4.0", "3.0"), default="4.0", help="vCard 3.0 for older phones"
    )
    p.add_argument(
        "--as-events",
        action="store_true",
        help="ics: follow-ups as all-day events (Google Calendar imports no to-dos)",
    )
    p.add_argument(
        "--alarm",
        metavar="BEFORE",
        help="ics --as-events: an alarm this long before each follow-up (1h, 30m, 1d)",
    )


def _calendar_options(args: argparse.Namespace) -> dt.timedelta | None:
    """The alarm of ``--as-events --alarm``, checked before anything is opened or written."""
    from crm.interchange import ics

    if (args.as_events or args.alarm is not None) and args.kind != "ics":
        raise ValidationError(code="cli.exporting.events_alarm_go_ics")
    if args.alarm is None:
        return None
    if not args.as_events:
        raise ValidationError(code="cli.exporting.alarm_goes_events_dos")
    return ics.parse_alarm(args.alarm)


def cmd_export(args: argparse.Namespace) -> int:
    from crm.interchange import exports

    path = Path(args.file).expanduser()
    alarm = _calendar_options(args)
    exports.check_output(path)  # refused before the database is opened or read
    open_store(args)
    if args.kind == "vcard":
        from crm.interchange import vcard

        written = vcard.export(path, version=args.vcard_version)
    elif args.kind == "csv":
        written = exports.export_csv(path)
    elif args.kind == "ics":
        from crm.interchange import ics

        written = ics.export_ics(path, as_events=args.as_events, alarm=alarm)
    else:
        written = exports.export_referrals_csv(path)
    if args.json:
        print_json({"written": written, "file": str(path), "kind": args.kind})
    else:
        one, many = _NOUNS[args.kind]
        print(f"Wrote {written} {one if written == 1 else many} to {path}")
    return EXIT_OK
