"""``crm export vcard|csv|ics|referrals FILE``: contacts, referrals and a calendar out."""

from __future__ import annotations

import argparse
from pathlib import Path

from crm.cli.common import EXIT_OK, open_store, print_json

# What each kind counts, singular and plural, for the "Wrote N ..." line.
_NOUNS = {
    "vcard": ("contact", "contacts"),
    "csv": ("contact", "contacts"),
    "ics": ("follow-up or event", "follow-ups and events"),
    "referrals": ("referral", "referrals"),
}


def cmd_export(args: argparse.Namespace) -> int:
    from crm.interchange import exports

    path = Path(args.file).expanduser()
    exports.check_output(path)  # refused before the database is opened or read
    open_store(args)
    if args.kind == "vcard":
        from crm.interchange import vcard

        written = vcard.export(path, version=args.vcard_version)
    elif args.kind == "csv":
        written = exports.export_csv(path)
    elif args.kind == "ics":
        from crm.interchange import ics

        written = ics.export_ics(path)
    else:
        written = exports.export_referrals_csv(path)
    if args.json:
        print_json({"written": written, "file": str(path), "kind": args.kind})
    else:
        one, many = _NOUNS[args.kind]
        print(f"Wrote {written} {one if written == 1 else many} to {path}")
    return EXIT_OK
