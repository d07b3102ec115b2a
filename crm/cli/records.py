"""Subcommands for the records: demo data, contacts, referrals, events, follow-ups, backups."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import EXIT_OK, EXIT_UNEXPECTED, open_store, print_json
from crm.core.errors import ValidationError


def cmd_demo(args: argparse.Namespace) -> int:
    from crm import demo

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{done:,}/{total:,} contacts", end="", file=sys.stderr, flush=True)

    summary = demo.generate(
        open_store(args), contacts=args.contacts, seed=args.seed, progress=progress
    )
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(summary)
    else:
        for key, value in summary.items():
            print(f"{key:>26}: {value}")
    return EXIT_OK


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
    contact = contacts.create_contact(data)
    print_json(contacts.to_dict(contact))
    return EXIT_OK


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
    from crm.core import contacts, followups, interactions, models
    from crm.core import referrals as refs

    open_store(args)
    contact = contacts.get_contact(args.id)
    data = contacts.to_dict(contact)
    given = models.Referral.select().where(models.Referral.giver == contact.id)
    received = models.Referral.select().where(models.Referral.referred == contact.id)
    data["referrals_given"] = [refs.to_dict(r) for r in given.order_by(models.Referral.referred_on)]
    data["referrals_received"] = [
        refs.to_dict(r) for r in received.order_by(models.Referral.referred_on)
    ]
    data["followups"] = followups.open_followups(contact_id=contact.id)
    data["history"] = [
        {"at": i.happened_at.isoformat(sep=" "), "kind": i.kind, "summary": i.summary}
        for i in interactions.history(contact.id)
    ]
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"{data['name']}  (#{data['id']})")
    for key in (
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
    ):
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
                print(f"  #{r['id']} {r[other]} — {r['status']}{value}{primary}")
    if data["followups"]:
        print("Follow-ups:")
        for f in data["followups"]:
            print(f"  #{f['id']} {f['due']} {f['title']}")
    if data["history"]:
        print("History:")
        for h in data["history"]:
            print(f"  {h['at']}  {h['kind']:<18} {h['summary']}")
    return EXIT_OK


def cmd_contacts_ask(args: argparse.Namespace) -> int:
    from crm.core import asking

    open_store(args)
    status = asking.record_ask(args.id, force=args.force)
    if args.json:
        print_json({"contact_id": args.id, **status.to_dict()})
    else:
        print(f"Recorded: contact {args.id} was asked for referrals today")
    return EXIT_OK


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


def cmd_events_add(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    event = events.create_event(
        args.title,
        args.date,
        kind=args.kind,
        venue=args.venue or "",
        city=args.city or "",
        organizer=args.organizer or "",
    )
    print_json(events.to_dict(event))
    return EXIT_OK


def cmd_events_attend(args: argparse.Namespace) -> int:
    from crm.core import events

    open_store(args)
    att = events.attend(args.event, args.contact, role=args.role, met_in_person=args.met)
    print_json(
        {
            "id": att.id,
            "event_id": att.event_id,
            "contact_id": att.contact_id,
            "role": att.role,
            "met_in_person": att.met_in_person,
        }
    )
    return EXIT_OK


def cmd_events_list(args: argparse.Namespace) -> int:
    from crm.core import events, models

    open_store(args)
    query = models.Event.select().order_by(models.Event.starts_at.desc()).limit(args.limit)
    items = [events.to_dict(e) for e in query]
    if args.json:
        print_json(items)
    else:
        for e in items:
            print(f"{e['id']:>5}  {e['starts_at'][:16]}  {e['title']}  {e['venue']} {e['city']}")
    return EXIT_OK


def cmd_followups(args: argparse.Namespace) -> int:
    from crm.core import followups

    open_store(args)
    if args.followup_command == "done":
        item = followups.mark_done(args.id)
        if args.json:
            print_json({"id": item.id, "done_at": item.done_at.isoformat(sep=" ")})
        else:
            print(f"Follow-up {item.id} done: {item.title}")
        return EXIT_OK
    followups.apply_date_rules()
    items = followups.open_followups(due_by=args.due_by, limit=args.limit)
    if args.json:
        print_json(items)
        return EXIT_OK
    for f in items:
        flag = "overdue" if f["overdue"] else ""
        print(f"{f['id']:>6}  {f['due']}  {f['kind']:<12} {f['title']}  {flag}")
    if not items:
        print("Nothing to follow up.", file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from crm.core import backups

    path = backups.backup(open_store(args), args.file)
    if args.json:
        print_json({"backup": str(path)})
    else:
        print(f"Backed up to {path}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from crm.core import backups

    if not args.yes:
        raise ValidationError(
            "restore replaces everything in the database with the backup; add --yes to confirm"
        )
    store = open_store(args)
    backups.inspect_backup(args.file)
    safety = backups.restore(store, args.file)
    if args.json:
        print_json({"restored": str(args.file), "previous_content_saved_to": str(safety)})
    else:
        print(f"Restored {args.file}. The previous content was saved to {safety}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from crm.core import db, migrations

    store = open_store(args)
    problems = db.check(store)
    version = migrations.schema_version(store.db)
    if args.json:
        print_json(
            {
                "ok": not problems,
                "problems": problems,
                "database": store.target.describe(),
                "schema_version": version,
            }
        )
    elif problems:
        for line in problems:
            print(line)
    else:
        print(f"ok: {store.target.describe()} (schema version {version})")
    return EXIT_OK if not problems else EXIT_UNEXPECTED


def cmd_screenshot(args: argparse.Namespace) -> int:
    from crm.gui import screenshot

    store = open_store(args)
    path = screenshot.take(
        store, args.view, args.output, size=args.size, language=args.language, ident=args.id
    )
    if args.json:
        print_json({"screenshot": str(path)})
    else:
        print(f"Saved {path}")
    return EXIT_OK
