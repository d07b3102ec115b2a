"""``crm contacts edit|consent|archive|unarchive|tag|untag``: changing a contact.

Each prints the changed contact as JSON with ``--json``, else one line saying what changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from crm.cli.common import (
    Parser,
    Subparsers,
    add_command,
    add_if_version,
    date_arg,
    id_arg,
    open_store,
    report_edit,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError

# ``contacts edit`` option -> the contact field it sets.
_TEXT_OPTIONS = (
    ("given", "given_name"),
    ("family", "family_name"),
    ("title", "title"),
    ("language", "language"),
    ("street", "street"),
    ("city", "city"),
    ("postcode", "postcode"),
    ("country", "country"),
    ("birthday", "birthday"),
    ("channel", "channel"),
    ("stage", "stage"),
    ("notes", "notes"),
)


def register(actions: Subparsers) -> None:
    _register_edit(actions)
    p = add_command(
        actions,
        "consent",
        cmd_contacts_consent,
        "record or withdraw a contact's marketing consent",
        example=("crm contacts consent 12 --yes --date 2026-03-01", "crm contacts consent 12 --no"),
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--yes", action="store_true", help="they agreed to marketing")
    given.add_argument("--no", action="store_true", help="they withdrew (or never gave) it")
    p.add_argument(
        "--date", type=date_arg, metavar="YYYY-MM-DD", help="when they agreed (default: today)"
    )
    for name, help, archived in (
        ("archive", "archive a contact (hidden from lists, kept with its history)", True),
        ("unarchive", "bring an archived contact back", False),
    ):
        p = add_command(
            actions, name, cmd_contacts_archive, help, example=f"crm contacts {name} 12"
        )
        p.add_argument("id", type=id_arg, metavar="ID")
        p.set_defaults(archived=archived)
    for name, help, adding in (
        ("tag", "add tags to a contact", True),
        ("untag", "take tags off a contact", False),
    ):
        p = add_command(
            actions, name, cmd_contacts_tag, help, example=f'crm contacts {name} 12 BNI "Board"'
        )
        p.add_argument("id", type=id_arg, metavar="ID")
        p.add_argument("tags", nargs="+", metavar="TAG")
        p.set_defaults(adding=adding)


def _register_edit(actions: Subparsers) -> None:
    p: Parser = add_command(
        actions,
        "edit",
        cmd_contacts_edit,
        "change a contact: only the fields given",
        example=(
            "crm contacts edit 12 --city Thessaloniki --add-email maria@example.gr",
            "crm contacts edit 12 --birthday --02-29 --stage customer",
        ),
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--given", metavar="G")
    p.add_argument("--family", metavar="F")
    p.add_argument("--org", metavar="O", help='the organization; "" for none')
    p.add_argument("--title", metavar="T")
    p.add_argument("--language", choices=vocabulary.LANGUAGES)
    p.add_argument("--street", metavar="S")
    p.add_argument("--city", metavar="C")
    p.add_argument("--postcode", metavar="Z")
    p.add_argument("--country", metavar="K", help="two-letter ISO code, such as GR")
    p.add_argument(
        "--birthday", metavar="DATE", help='YYYY-MM-DD, or --MM-DD without the year; "" for none'
    )
    p.add_argument("--channel", choices=vocabulary.CHANNELS)
    p.add_argument("--stage", choices=vocabulary.STAGES)
    p.add_argument("--notes", metavar="N")
    for what in ("email", "phone"):
        p.add_argument(f"--add-{what}", action="append", metavar=what[0].upper())
        p.add_argument(f"--remove-{what}", action="append", metavar=what[0].upper())
    p.add_argument(
        "--stay-in-touch",
        type=int,
        metavar="DAYS",
        help="remind me to get in touch every DAYS days; 0 turns it off",
    )
    add_if_version(p, "contact")


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    """What ``contacts edit`` was asked to change, as ``update_contact`` takes it."""
    from crm.core import contacts

    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in _TEXT_OPTIONS
        if getattr(args, option) is not None
    }
    if args.org is not None:
        changes["organization"] = args.org.strip() or None
    if args.stay_in_touch is not None:
        changes["stay_in_touch_days"] = args.stay_in_touch or None
    name = contacts.get_contact(args.id).display_name
    if args.add_email or args.remove_email:
        current = contacts.current_emails(args.id)
        drop = _known(name, "email", args.remove_email or [], current, str.casefold)
        changes["emails"] = [e for e in current if e.casefold() not in drop] + (
            args.add_email or []
        )
    if args.add_phone or args.remove_phone:
        region = _region()
        numbers = contacts.current_phones(args.id)

        def e164(text: str) -> str:
            return contacts.normalize_phone(text, region)[0]

        drop = _known(name, "phone", args.remove_phone or [], [n for n, _o in numbers], e164)
        kept = [original for number, original in numbers if number not in drop]
        changes["phones"] = kept + (args.add_phone or [])
    return changes


def _region() -> str:
    from crm.core import settings

    return str(settings.profile().default_region)


def _known(name: str, what: str, given: list[str], current: list[str], key: Any) -> set[str]:
    """The keys of ``given``, each of which must be among ``current``; else a refusal."""
    have = {key(c) for c in current}
    keys = set()
    for text in given:
        k = key(text)
        if k not in have:
            theirs = ", ".join(current) or "none"
            raise ValidationError(f"{name} has no {what} '{text}' (theirs: {theirs})")
        keys.add(k)
    return keys


def cmd_contacts_edit(args: argparse.Namespace) -> int:
    from crm.core import contacts, models

    open_store(args)
    with models.database_proxy.atomic():
        changes = _changes(args)
        if not changes:
            raise ValidationError(
                "Nothing to change: give at least one option (see crm contacts edit --help)"
            )
        before = contacts.details(args.id)
        contacts.update_contact(args.id, expected_version=args.if_version, **changes)
    return _report(args, before)


def _report(args: argparse.Namespace, before: dict[str, Any], verb: str = "") -> int:
    """Print the changed contact: as JSON, or one line naming what changed."""
    from crm.core import contacts

    after = contacts.details(args.id)
    label = f"{after['name']} (#{args.id})"
    return report_edit(args, before, after, label, verb=verb, ignore=("phones_original",))


def cmd_contacts_consent(args: argparse.Namespace) -> int:
    from crm.core import contacts

    if args.no and args.date is not None:
        raise ValidationError("--date goes with --yes (the day they agreed)")
    open_store(args)
    before = contacts.details(args.id)
    day: dt.date | None = args.date
    contacts.update_contact(args.id, marketing_consent=args.yes, consent_date=day)
    after = contacts.details(args.id)
    verb = f"agreed to marketing on {after['consent_date']}" if args.yes else "no marketing consent"
    return _report(args, before, verb)


def cmd_contacts_archive(args: argparse.Namespace) -> int:
    from crm.core import contacts

    open_store(args)
    before = contacts.details(args.id)
    contacts.set_archived(args.id, args.archived)
    return _report(args, before, "archived" if args.archived else "no longer archived")


def cmd_contacts_tag(args: argparse.Namespace) -> int:
    from crm.core import contacts, models

    open_store(args)
    with models.database_proxy.atomic():
        before = contacts.details(args.id)
        if args.adding:
            tags = contacts.add_tags(args.id, args.tags)
        else:
            _known(before["name"], "tag", args.tags, before["tags"], str.casefold)
            tags = contacts.remove_tags(args.id, args.tags)
    return _report(args, before, f"tags {', '.join(tags) or 'none'}")
