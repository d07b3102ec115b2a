"""``crm contacts add|list|show|ask``: the people in the database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli import contact_edits
from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    add_group,
    id_arg,
    open_store,
    positive_int,
    print_json,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError
from crm.core.rule_lines import shown_summary

# The fields ``contacts show`` prints, in this order, when they have a value.
_SHOWN_FIELDS = (
    "organization",
    "title",
    "emails",
    "phones",
    "city",
    "country",
    "language",
    "stage",
    "channel",
    "birthday",
    "tags",
)


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "contacts",
        "add, list, show and change contacts",
        "contacts_command",
        example="crm contacts list --search papadopoulos",
    )
    _add_options(
        add_command(
            actions,
            "add",
            cmd_contacts_add,
            "add a contact; prints it as JSON",
            example="crm contacts add --given Maria --family Rossi --email maria@example.it",
            json_flag=False,
        )
    )
    p = add_command(
        actions,
        "list",
        cmd_contacts_list,
        "list or search contacts",
        example="crm contacts list --search müller --archived --json",
    )
    p.add_argument("--search", metavar="TEXT", help="folds case, accents and Greek tonos")
    p.add_argument("--limit", type=positive_int, default=50, metavar="N")
    p.add_argument("--archived", action="store_true", help="include archived contacts")
    p = add_command(
        actions,
        "show",
        cmd_contacts_show,
        "one contact with referrals, follow-ups, history",
        example="crm contacts show 12 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p = add_command(
        actions,
        "ask",
        cmd_contacts_ask,
        "record that you asked a contact for referrals",
        example="crm contacts ask 12",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--force", action="store_true", help="record it even inside the cooldown")
    contact_edits.register(actions)
    _register_history(actions)


def _register_history(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "note",
        cmd_contacts_note,
        "add a note, call, meeting or email to a contact's history; prints it as JSON",
        example='crm contacts note 12 "Called about the spring offer" --kind call',
        json_flag=False,
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--kind", default="note", choices=vocabulary.USER_KINDS)
    p = add_command(
        actions,
        "history",
        cmd_contacts_history,
        "a contact's history, newest first",
        example="crm contacts history 12 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--limit", type=positive_int, default=200, metavar="N")


def _add_options(p: Parser) -> None:
    p.add_argument("--given", metavar="G")
    p.add_argument("--family", metavar="F")
    p.add_argument("--email", action="append", metavar="E", help="repeat for several")
    p.add_argument("--phone", action="append", metavar="P", help="repeat for several")
    p.add_argument("--org", metavar="O")
    p.add_argument("--title")
    p.add_argument("--language", default="en", choices=vocabulary.LANGUAGES)
    p.add_argument("--street", metavar="S")
    p.add_argument("--city", metavar="C")
    p.add_argument("--postcode", metavar="Z")
    p.add_argument("--country", metavar="K", help="two-letter ISO code, such as GR")
    p.add_argument("--birthday", metavar="YYYY-MM-DD")
    p.add_argument("--channel", default="other", choices=vocabulary.CHANNELS)
    p.add_argument("--stage", default="prospect", choices=vocabulary.STAGES)
    p.add_argument("--tag", action="append", metavar="TAG")
    p.add_argument("--notes")
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add it even when another contact has the same email or phone",
    )


def cmd_contacts_add(args: argparse.Namespace) -> int:
    from crm.core import contacts

    data = contacts.ContactData(
        given_name=args.given or "",
        family_name=args.family or "",
        organization=args.org,
        title=args.title or "",
        emails=args.email or [],
        phones=args.phone or [],
        street=args.street or "",
        city=args.city or "",
        postcode=args.postcode or "",
        country=args.country or "",
        language=args.language,
        birthday=args.birthday,
        channel=args.channel,
        stage=args.stage,
        tags=args.tag or [],
        notes=args.notes or "",
    )
    open_store(args)
    if not args.allow_duplicate:
        _refuse_duplicate(data)
    contact = contacts.create_contact(data)
    print_json(contacts.to_dict(contact))
    return EXIT_OK


def _refuse_duplicate(data: Any) -> None:
    """Refuse a contact whose email or phone another contact has, naming that contact."""
    from crm.core import contact_matches

    matches = contact_matches.existing(data.emails, data.phones)
    if not matches:
        return
    by_contact: dict[int, list[Any]] = {}
    for m in matches:
        by_contact.setdefault(m.contact_id, []).append(m)
    parts = []
    for cid, found in by_contact.items():
        what = ", ".join(f"{m.field} {m.value}" for m in found)
        archived = ", archived" if found[0].archived else ""
        parts.append(f"#{cid} {found[0].name or '(no name)'} ({what}{archived})")
    raise ValidationError(code="cli.contacts.added_same_email_phone", parts="; ".join(parts))


def cmd_contacts_list(args: argparse.Namespace) -> int:
    from crm.core import contacts

    open_store(args)
    rows = contacts.list_rows(args.search or "", limit=args.limit, include_archived=args.archived)
    if args.json:
        print_json(contacts.to_dicts([row[0] for row in rows]))
        return EXIT_OK
    for cid, given, family, org, email, phone, city, stage in rows:
        name = f"{given} {family}".strip()
        print(f"{cid:>7}  {name:<32} {org or '':<28} {email:<30} {phone:<16} {city:<16} {stage}")
    if not rows:
        print("No contacts found." if args.search else "No contacts yet.", file=sys.stderr)
    return EXIT_OK


def cmd_contacts_show(args: argparse.Namespace) -> int:
    open_store(args)
    data = _contact_details(args.id)
    if args.json:
        print_json(data)
    else:
        _print_contact(data)
    return EXIT_OK


def _contact_details(contact_id: int) -> dict[str, Any]:
    """A contact as JSON, with the referrals given and received, follow-ups and history."""
    from crm.core import contacts, followups, interactions, models
    from crm.core import referrals as refs

    contact = contacts.get_contact(contact_id)
    data = contacts.to_dict(contact)
    given = models.Referral.select().where(models.Referral.giver == contact.id)
    received = models.Referral.select().where(models.Referral.referred == contact.id)
    data["referrals_given"] = [refs.to_dict(r) for r in given.order_by(models.Referral.referred_on)]
    data["referrals_received"] = [
        refs.to_dict(r) for r in received.order_by(models.Referral.referred_on)
    ]
    data["followups"] = followups.open_followups(contact_id=contact.id)
    data["history"] = [
        {
            "at": i.happened_at.isoformat(sep=" "),
            "kind": i.kind,
            "summary": shown_summary(i),
            "created_by": i.created_by,
        }
        for i in interactions.history(contact.id)
    ]
    return data


def _history_line(item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "contact_id": item.contact_id,
        "at": item.happened_at.isoformat(sep=" "),
        "kind": item.kind,
        "summary": shown_summary(item),
        "referral_id": item.referral_id,
        "event_id": item.event_id,
        "voucher_id": item.voucher_id,
        "created_by": item.created_by,
    }


def _print_contact(data: dict[str, Any]) -> None:
    print(f"{data['name']}  (#{data['id']})")
    for key in _SHOWN_FIELDS:
        value = data[key]
        if value:
            print(f"  {key:<14} {', '.join(value) if isinstance(value, list) else value}")
    for title, key, other in (
        ("Referred by", "referrals_received", "giver"),
        ("Referred", "referrals_given", "referred"),
    ):
        if data[key]:
            print(f"{title}:")
            for r in data[key]:
                value = f" {r['value']:.2f} {r['currency']}" if r["value"] is not None else ""
                primary = " (primary)" if r["is_primary"] and key == "referrals_received" else ""
                by = f", by {r['created_by']}" if r["created_by"] else ""
                print(f"  #{r['id']} {r[other]} — {r['status']}{value}{primary}{by}")
    if data["followups"]:
        print("Follow-ups:")
        for f in data["followups"]:
            assigned = f" (for {f['assigned_to']})" if f["assigned_to"] else ""
            print(f"  #{f['id']} {f['due']} {f['title']}{assigned}")
    if data["history"]:
        print("History:")
        for h in data["history"]:
            by = f"  (by {h['created_by']})" if h["created_by"] else ""
            print(f"  {h['at']}  {h['kind']:<18} {h['summary']}{by}")


def cmd_contacts_ask(args: argparse.Namespace) -> int:
    from crm.core import asking

    open_store(args)
    status = asking.record_ask(args.id, force=args.force)
    if args.json:
        print_json({"contact_id": args.id, **status.to_dict()})
    else:
        print(f"Recorded: contact {args.id} was asked for referrals today")
    return EXIT_OK


def cmd_contacts_note(args: argparse.Namespace) -> int:
    from crm.core import interactions

    open_store(args)
    print_json(_history_line(interactions.add_note(args.id, args.kind, args.text)))
    return EXIT_OK


def cmd_contacts_history(args: argparse.Namespace) -> int:
    from crm.core import contacts, interactions

    open_store(args)
    contact = contacts.get_contact(args.id)
    lines = [_history_line(i) for i in interactions.history(contact.id, limit=args.limit)]
    if args.json:
        print_json(lines)
        return EXIT_OK
    print(f"{contact.display_name}  (#{contact.id})")
    for h in lines:
        by = f"  (by {h['created_by']})" if h["created_by"] else ""
        print(f"  {h['at'][:16]}  {h['kind']:<18} {h['summary']}{by}")
    return EXIT_OK
