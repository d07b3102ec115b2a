"""The ``crm`` command: opens the desktop app, or does the same work headless.

Exit status: 0 done; 2 the input was refused (one ``error:`` line on stderr,
nothing changed); 1 anything unexpected (the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from crm import __version__
from crm.core.errors import CrmError, ValidationError

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class UsageError(Exception):
    """The command line itself was wrong (argparse's complaint, reworded)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# -- subcommands ---------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from crm.core import demo

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{done:,}/{total:,} contacts", end="", file=sys.stderr, flush=True)

    summary = demo.generate(_store(args), contacts=args.contacts, seed=args.seed, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        _print_json(summary)
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
    _store(args)
    contact = contacts.create_contact(data)
    _print_json(contacts.to_dict(contact))
    return EXIT_OK


def cmd_contacts_list(args: argparse.Namespace) -> int:
    from crm.core import contacts

    _store(args)
    rows = contacts.list_rows(args.search or "", limit=args.limit, include_archived=args.archived)
    if args.json:
        _print_json(contacts.to_dicts([row[0] for row in rows]))
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

    _store(args)
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
        _print_json(data)
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

    _store(args)
    status = asking.record_ask(args.id, force=args.force)
    if args.json:
        _print_json({"contact_id": args.id, **status.to_dict()})
    else:
        print(f"Recorded: contact {args.id} was asked for referrals today")
    return EXIT_OK


def cmd_refer(args: argparse.Namespace) -> int:
    from crm.core import referrals

    _store(args)
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
    _print_json(out)
    if ref.suspicion:
        print(f"warning: possible self-referral: {ref.suspicion}", file=sys.stderr)
    return EXIT_OK


def cmd_referrals_status(args: argparse.Namespace) -> int:
    from crm.core import referrals

    _store(args)
    ref = referrals.change_status(
        args.referral, args.status, value=args.value, currency=args.currency, reopen=args.reopen
    )
    if args.json:
        _print_json(referrals.to_dict(ref))
    else:
        value = f" ({ref.value} {ref.currency})" if ref.status == "won" else ""
        print(f"Referral {ref.id} is now {ref.status}{value}")
    return EXIT_OK


def cmd_referrals_primary(args: argparse.Namespace) -> int:
    from crm.core import referrals

    _store(args)
    ref = referrals.set_primary(args.referral)
    _print_json(referrals.to_dict(ref))
    return EXIT_OK


def cmd_chain(args: argparse.Namespace) -> int:
    from crm.core import chain

    _store(args)
    data = chain.chain(args.id)
    if args.json:
        _print_json(data)
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

    _store(args)
    event = events.create_event(
        args.title,
        args.date,
        kind=args.kind,
        venue=args.venue or "",
        city=args.city or "",
        organizer=args.organizer or "",
    )
    _print_json(events.to_dict(event))
    return EXIT_OK


def cmd_events_attend(args: argparse.Namespace) -> int:
    from crm.core import events

    _store(args)
    att = events.attend(args.event, args.contact, role=args.role, met_in_person=args.met)
    _print_json(
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

    _store(args)
    query = models.Event.select().order_by(models.Event.starts_at.desc()).limit(args.limit)
    items = [events.to_dict(e) for e in query]
    if args.json:
        _print_json(items)
    else:
        for e in items:
            print(f"{e['id']:>5}  {e['starts_at'][:16]}  {e['title']}  {e['venue']} {e['city']}")
    return EXIT_OK


def cmd_followups(args: argparse.Namespace) -> int:
    from crm.core import followups

    _store(args)
    if args.followup_command == "done":
        item = followups.mark_done(args.id)
        if args.json:
            _print_json({"id": item.id, "done_at": item.done_at.isoformat(sep=" ")})
        else:
            print(f"Follow-up {item.id} done: {item.title}")
        return EXIT_OK
    followups.apply_date_rules()
    items = followups.open_followups(due_by=args.due_by, limit=args.limit)
    if args.json:
        _print_json(items)
        return EXIT_OK
    for f in items:
        flag = "overdue" if f["overdue"] else ""
        print(f"{f['id']:>6}  {f['due']}  {f['kind']:<12} {f['title']}  {flag}")
    if not items:
        print("Nothing to follow up.", file=sys.stderr)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from crm.core import db

    path = db.backup(_store(args), args.file)
    if args.json:
        _print_json({"backup": str(path)})
    else:
        print(f"Backed up to {path}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from crm.core import db

    if not args.yes:
        raise ValidationError(
            "restore replaces everything in the database with the backup; add --yes to confirm"
        )
    store = _store(args)
    db.inspect_backup(args.file)
    safety = db.restore(store, args.file)
    if args.json:
        _print_json({"restored": str(args.file), "previous_content_saved_to": str(safety)})
    else:
        print(f"Restored {args.file}. The previous content was saved to {safety}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from crm.core import db

    store = _store(args)
    problems = db.check(store)
    if args.json:
        _print_json(
            {
                "ok": not problems,
                "problems": problems,
                "database": store.target.describe(),
                "schema_version": db.schema_version(store.db),
            }
        )
    elif problems:
        for line in problems:
            print(line)
    else:
        print(f"ok: {store.target.describe()} (schema version {db.schema_version(store.db)})")
    return EXIT_OK if not problems else EXIT_UNEXPECTED


def cmd_screenshot(args: argparse.Namespace) -> int:
    from crm.gui import screenshot

    store = _store(args)
    path = screenshot.take(
        store, args.view, args.output, size=args.size, language=args.language, ident=args.id
    )
    if args.json:
        _print_json({"screenshot": str(path)})
    else:
        print(f"Saved {path}")
    return EXIT_OK


def cmd_vouchers_issue(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    if (args.holder is None) == (args.top is None):
        raise ValidationError("Give either --holder ID (repeatable) or --top N")
    _store(args)
    issued = vouchers.issue(
        args.holder,
        top_n=args.top,
        value=args.value,
        expires=args.expires,
        batch=args.batch,
        currency=args.currency,
    )
    _print_json(issued)
    return EXIT_OK


def cmd_vouchers_list(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    _store(args)
    items = vouchers.list_vouchers(args.batch)
    if args.json:
        _print_json(items)
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
    _store(args)
    from crm.documents import vouchers_pdf

    result = vouchers_pdf.print_batch(args.batch, args.output, per_page=args.per_page)
    if args.json:
        _print_json(result)
    else:
        print(f"Saved {result['vouchers']} vouchers on {result['pages']} pages to {result['path']}")
    return EXIT_OK


def cmd_vouchers_redeem(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    if (args.friend is None) == (args.new_friend is None):
        raise ValidationError('Give either --friend ID or --new-friend "Given Family"')
    _store(args)
    out = vouchers.redeem(args.code, friend_id=args.friend, new_friend=args.new_friend)
    _print_json(out)
    return EXIT_OK


def cmd_vouchers_void(args: argparse.Namespace) -> int:
    from crm.core import vouchers

    _store(args)
    out = vouchers.void(args.code, args.reason or "")
    if args.json:
        _print_json(out)
    else:
        print(f"Voucher {out['code']} of {out['holder']} is void")
    return EXIT_OK


def cmd_quality(args: argparse.Namespace) -> int:
    from crm.core import quality

    _store(args)
    givers = quality.giver_stats(args.date_from, args.date_to)
    data = quality.flags(
        min_referrals=args.min_referrals,
        date_from=args.date_from,
        date_to=args.date_to,
        stats=givers,
    )
    data["givers"] = givers
    if args.json:
        _print_json(data)
        return EXIT_OK
    givers, refs = data["suspicious_givers"], data["suspicious_referrals"]
    average = data["average_conversion_rate"]
    n = len(data["givers"])
    print(
        (f"{n} giver" if n == 1 else f"{n} givers")
        + "; average conversion rate "
        + (f"{average:.0%}" if average is not None else "n/a")
    )
    print(f"Givers to look at: {len(givers) or 'none'}")
    for g in givers:
        print(f"  #{g['id']:<6} {g['name']}: {g['reason']}")
    print(f"Referrals to look at: {len(refs) or 'none'}")
    for r in refs:
        print(f"  #{r['id']:<6} {r['giver']} → {r['referred']} ({r['referred_on']}): {r['reason']}")
    return EXIT_OK


def _money_text(values: dict[str, Any]) -> str:
    """Amounts per currency, never added together: "1,200.00 EUR + 80.00 USD"."""
    return " + ".join(f"{v:,.2f} {c}" for c, v in values.items()) or "0"


def _tally_text(entry: dict[str, Any]) -> str:
    n = entry["referrals"]
    return (
        f"{n} referral{'s' if n != 1 else ''}, {entry['won']} won, "
        f"{_money_text(entry['won_value'])}"
    )


def cmd_stats(args: argparse.Namespace) -> int:
    from crm.core import stats

    _store(args)
    data = stats.summary(args.date_from, args.date_to)
    if args.json:
        _print_json(data)
        return EXIT_OK
    start, end = data["period"]["from"], data["period"]["to"]
    period = f"{start or 'the start'} to {end or 'today'}" if start or end else "all time"
    rate = data["conversion_rate"]
    print(f"Referrals received, {period}: {data['referrals']}")
    print(
        f"Won: {data['won']} ({f'{rate:.1%}' if rate is not None else 'n/a'} converted); "
        f"lost {data['lost']}; open {data['open']}"
    )
    print(f"Won value: {_money_text(data['won_value'])}")
    n = data["rewards"]
    print(f"Reward cost: {_money_text(data['reward_cost'])} ({n} reward{'s' if n != 1 else ''})")
    roi = [f"{c} {v:+.0%}" for c, v in data["roi"].items() if v is not None]
    print(f"ROI: {', '.join(roi) or 'n/a (no reward cost)'}")
    for key, title in (("by_won_value", "by won value"), ("by_count", "by count")):
        print(f"Top referrers {title}:")
        for g in data["top_referrers"][key]:
            print(
                f"  #{g['id']:<6} {g['name']}: {_tally_text(g)}; "
                f"network {_money_text(g['network_value'])}"
            )
    print("By program:")
    for code, entry in data["by_program"].items():
        print(f"  {code:<10} {_tally_text(entry)}")
    print("By channel:")
    for code, entry in data["by_channel"].items():
        print(f"  {code:<14} {_tally_text(entry)}")
    print("By event (top 10):")
    for ev in data["by_event"][:10]:
        print(f"  #{ev['id']:<5} {ev['date']} {ev['title']}: {_tally_text(ev)}")
    print("Per month:")
    for month, entry in data["per_month"].items():
        print(
            f"  {month}  {entry['received']:>5} received {entry['won']:>5} won  "
            f"{_money_text(entry['won_value'])}"
        )
    return EXIT_OK


def cmd_letter(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    _store(args)
    from crm.documents import letters

    result = letters.thank_you_letter(args.referral, args.output)
    if args.json:
        _print_json(result)
    else:
        print(f"Saved the thank-you letter to {result['path']}")
    return EXIT_OK


def cmd_letters(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    _store(args)
    from crm.documents import letters

    count = letters.pending_letters(args.output)
    if args.json:
        _print_json({"path": str(args.output) if count else None, "letters": count})
    elif count:
        print(f"Saved {count} thank-you letter{'s' if count != 1 else ''} to {args.output}")
    else:
        print("No thank-you letters are pending; no file written.", file=sys.stderr)
    return EXIT_OK


def cmd_briefing(args: argparse.Namespace) -> int:
    from crm.documents import page

    page.check_output(args.output)
    _store(args)
    from crm.documents import briefing_pdf

    result = briefing_pdf.event_briefing_pdf(args.event, args.output)
    if args.json:
        _print_json(result)
    else:
        print(
            f"Saved the briefing ({result['attendees']} attendees, {result['pages']} pages) "
            f"to {result['path']}"
        )
    return EXIT_OK


def _reward_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "amount": str(row["amount"])}


def cmd_rewards_list(args: argparse.Namespace) -> int:
    from crm.core import rewards

    _store(args)
    rows = rewards.ledger(giver_id=args.giver, status=args.status, limit=args.limit)
    if args.json:
        _print_json([_reward_json(r) for r in rows])
        return EXIT_OK
    for r in rows:
        what = f"{r['points']} points" if r["points"] else f"{r['amount']} {r['currency']}"
        why = f"referral {r['referral_id']} ({r['referred']})" if r["referral_id"] else "by hand"
        day = (r["created"] or "")[:10]
        print(
            f"{r['id']:>7}  {r['status']:<8} {day}  {r['contact']:<28} {r['kind']:<17} "
            f"{what:>14}  {why}"
        )
    if not rows:
        print("No rewards found.", file=sys.stderr)
    return EXIT_OK


def cmd_rewards_give(args: argparse.Namespace) -> int:
    from crm.core import rewards

    _store(args)
    row = rewards.mark_given(args.id)
    if args.json:
        _print_json(_reward_json(row))
    else:
        print(f"Reward {row['id']} for {row['contact']} given ({row['kind']})")
    return EXIT_OK


_POLICY_OPTIONS = (
    "trigger",
    "amount_mode",
    "fixed_amount",
    "percent",
    "cap",
    "sides",
    "kind",
    "limit_count",
    "limit_days",
)


def cmd_rewards_policy(args: argparse.Namespace) -> int:
    from crm.core import rewards

    _store(args)
    changes = {k: getattr(args, k) for k in _POLICY_OPTIONS if getattr(args, k) is not None}
    policy = rewards.set_policy(**changes) if changes else rewards.get_policy()
    if args.json:
        _print_json(policy.to_dict())
        return EXIT_OK
    if policy.amount_mode == "fixed":
        amount = f"fixed, {policy.fixed_amount} in the referral's currency"
    else:
        cap = f", at most {policy.cap}" if policy.cap is not None else ", no cap"
        amount = f"{policy.percent}% of the won value{cap}"
    limit = (
        f"at most {policy.limit_count} per giver every {policy.limit_days} days"
        if policy.limit_count
        else "none"
    )
    print(f"Trigger: referral {policy.trigger}")
    print(f"Amount:  {amount}")
    print(f"Rewards: {'the giver' if policy.sides == 'one' else 'the giver and the friend'}")
    print(f"Kind:    {policy.kind}")
    print(f"Limit:   {limit}")
    return EXIT_OK


def cmd_rewards_roi(args: argparse.Namespace) -> int:
    from crm.core import rewards

    _store(args)
    rows = rewards.roi(args.date_from, args.date_to, group_by=args.group_by)
    if args.json:
        _print_json([{**r, "won_value": str(r["won_value"]), "cost": str(r["cost"])} for r in rows])
        return EXIT_OK
    for r in rows:
        label = "Total" if r["total"] else (r["label"] or "(no referral)")
        roi = f"{r['roi']:.0%}" if r["roi"] is not None else "n/a"
        print(
            f"{label:<30} {r['currency']}  won {r['won_value']:>12}  cost {r['cost']:>10}  "
            f"ROI {roi:>8}"
        )
    return EXIT_OK


# -- wiring --------------------------------------------------------------------

_OPEN_STORE: list[Any] = []


def _store(args: argparse.Namespace) -> Any:
    """Open the database named by ``--db`` once per command."""
    if not _OPEN_STORE:
        from crm.core import db

        _OPEN_STORE.append(db.open_database(args.db))
    return _OPEN_STORE[0]


def _close_store() -> None:
    while _OPEN_STORE:
        _OPEN_STORE.pop().close()


def build_parser() -> Parser:
    from crm.core import models

    parser = Parser(prog="crm", description="Passaparola: a CRM for referrals and word of mouth.")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: crm.sqlite3 in your data folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=Parser)

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help: str,
        target: Any = sub,
        json_flag: bool = True,
    ) -> Parser:
        p: Parser = target.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document")
        return p

    p = command("demo", cmd_demo, "fill the database with multilingual demo data")
    p.add_argument("--contacts", type=_positive_int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")

    contacts_p = sub.add_parser("contacts", help="add, list and show contacts")
    csub = contacts_p.add_subparsers(
        dest="contacts_command", metavar="ACTION", required=True, parser_class=Parser
    )
    p = command("add", cmd_contacts_add, "add a contact; prints it as JSON", csub)
    p.add_argument("--given", metavar="G")
    p.add_argument("--family", metavar="F")
    p.add_argument("--email", action="append", metavar="E", help="repeat for several")
    p.add_argument("--phone", action="append", metavar="P", help="repeat for several")
    p.add_argument("--org", metavar="O")
    p.add_argument("--title")
    p.add_argument("--language", default="en", choices=models.LANGUAGES)
    p.add_argument("--street", metavar="S")
    p.add_argument("--city", metavar="C")
    p.add_argument("--postcode", metavar="Z")
    p.add_argument("--country", metavar="K", help="two-letter ISO code, such as GR")
    p.add_argument("--birthday", metavar="YYYY-MM-DD")
    p.add_argument("--channel", default="other", choices=models.CHANNELS)
    p.add_argument("--stage", default="prospect", choices=models.STAGES)
    p.add_argument("--tag", action="append", metavar="TAG")
    p.add_argument("--notes")
    p = command("list", cmd_contacts_list, "list or search contacts", csub)
    p.add_argument("--search", metavar="TEXT", help="folds case, accents and Greek tonos")
    p.add_argument("--limit", type=_positive_int, default=50, metavar="N")
    p.add_argument("--archived", action="store_true", help="include archived contacts")
    p = command("show", cmd_contacts_show, "one contact with referrals, follow-ups, history", csub)
    p.add_argument("id", type=int, metavar="ID")

    p = command("ask", cmd_contacts_ask, "record that you asked a contact for referrals", csub)
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--force", action="store_true", help="record it even inside the cooldown")

    p = command("refer", cmd_refer, "record a referral; prints it as JSON", json_flag=False)
    p.add_argument("giver", type=int, metavar="GIVER_ID")
    p.add_argument("referred", type=int, metavar="REFERRED_ID")
    p.add_argument("--status", default="new", choices=models.REFERRAL_STATUSES)
    p.add_argument("--value", metavar="V", help="value of the business won")
    p.add_argument("--currency", metavar="CUR")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument(
        "--receiver",
        type=int,
        metavar="ID",
        help="the contact the referral was passed to, when not you",
    )
    p.add_argument("--temperature", type=int, default=3, choices=range(1, 6), metavar="1-5")
    p.add_argument("--program", default="direct", choices=models.PROGRAMS)
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--notes")

    ref_p = sub.add_parser("referrals", help="move referrals along the pipeline")
    rsub = ref_p.add_subparsers(
        dest="referrals_command", metavar="ACTION", required=True, parser_class=Parser
    )
    p = command("status", cmd_referrals_status, "move a referral to a status", rsub)
    p.add_argument("referral", type=int, metavar="REFERRAL_ID")
    p.add_argument("status", choices=models.REFERRAL_STATUSES, metavar="STATUS")
    p.add_argument("--value", metavar="V")
    p.add_argument("--currency", metavar="CUR")
    p.add_argument("--reopen", action="store_true", help="allow moving a closed referral")
    p = command(
        "primary",
        cmd_referrals_primary,
        "make a referral's giver the primary referrer",
        rsub,
        json_flag=False,
    )
    p.add_argument("referral", type=int, metavar="REFERRAL_ID")

    p = command("chain", cmd_chain, "who referred a contact, and who came through them")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--limit", type=_positive_int, default=200, help="rows shown without --json")

    events_p = sub.add_parser("events", help="networking events and attendance")
    esub = events_p.add_subparsers(
        dest="events_command", metavar="ACTION", required=True, parser_class=Parser
    )
    p = command("add", cmd_events_add, "add an event; prints it as JSON", esub, json_flag=False)
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--kind", default="mixer", choices=models.EVENT_KINDS)
    p.add_argument("--venue", metavar="V")
    p.add_argument("--city")
    p.add_argument("--organizer")
    p = command("attend", cmd_events_attend, "add a contact to an event", esub, json_flag=False)
    p.add_argument("event", type=int, metavar="EVENT_ID")
    p.add_argument("contact", type=int, metavar="CONTACT_ID")
    p.add_argument("--role", default="visitor", choices=models.ATTENDANCE_ROLES)
    p.add_argument("--met", action="store_true", help="we met in person")
    p = command("list", cmd_events_list, "recent and upcoming events", esub)
    p.add_argument("--limit", type=_positive_int, default=50)

    p = command("followups", cmd_followups, "the follow-up list; 'followups done ID'")
    p.add_argument("--due-by", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=_positive_int, default=1000)
    fsub = p.add_subparsers(dest="followup_command", metavar="ACTION", parser_class=Parser)
    done = fsub.add_parser("done", help="mark a follow-up done")
    done.add_argument("id", type=int, metavar="ID")
    done.add_argument("--json", action="store_true")

    vouchers_p = sub.add_parser("vouchers", help="issue, list and print gift vouchers")
    vsub = vouchers_p.add_subparsers(
        dest="vouchers_command", metavar="ACTION", required=True, parser_class=Parser
    )
    p = command(
        "issue", cmd_vouchers_issue, "issue vouchers; prints them as JSON", vsub, json_flag=False
    )
    p.add_argument("--holder", type=int, action="append", metavar="ID", help="repeat for several")
    p.add_argument(
        "--top",
        type=_positive_int,
        metavar="N",
        help="the N clients with the most won referral value in the last 12 months",
    )
    p.add_argument("--value", required=True, metavar="V")
    p.add_argument("--expires", required=True, type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--batch", required=True, metavar="NAME", help="such as 2026-Q4")
    p.add_argument("--currency", metavar="C", help="ISO code (default: the profile's)")
    p = command("list", cmd_vouchers_list, "list vouchers with their status", vsub)
    p.add_argument("--batch", metavar="NAME")
    p = command("print", cmd_vouchers_print, "print a batch of vouchers to a PDF", vsub)
    p.add_argument("--batch", required=True, metavar="NAME")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--per-page", type=int, default=1, metavar="1|4|8", help="vouchers per A4 page")
    p = command(
        "redeem",
        cmd_vouchers_redeem,
        "redeem a voucher for the friend who brought it; prints it as JSON",
        vsub,
    )
    p.add_argument("code", metavar="CODE", help="as printed; case, spaces and dashes ignored")
    p.add_argument("--friend", type=int, metavar="ID", help="the friend, already a contact")
    p.add_argument(
        "--new-friend",
        metavar='"Given Family"',
        help='a new contact: "Given Family" or "Family, Given"',
    )
    p = command("void", cmd_vouchers_void, "void a voucher so it can never be redeemed", vsub)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--reason", metavar="TEXT", help="kept in the holder's history")

    p = command("letter", cmd_letter, "print the thank-you letter for a referral to a PDF")
    p.add_argument("--referral", required=True, type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p = command("letters", cmd_letters, "print all pending thank-you letters to one PDF")
    p.add_argument("--pending", action="store_true", required=True, help="the pending ones")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p = command("briefing", cmd_briefing, "print the briefing for an event to a PDF")
    p.add_argument("--event", required=True, type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")

    p = command("quality", cmd_quality, "per-giver conversion, and givers and referrals to look at")
    p.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    p.add_argument(
        "--min-referrals",
        type=_positive_int,
        default=5,
        metavar="N",
        help="judge only givers with at least N referrals (default 5)",
    )
    p = command("stats", cmd_stats, "what the referral program brought and cost in a period")
    p.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="YYYY-MM-DD",
        help="count referrals received from this day (default: the first)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="YYYY-MM-DD",
        help="count referrals received up to this day (default: the last)",
    )

    rewards_p = sub.add_parser("rewards", help="the reward ledger, the policy and its ROI")
    wsub = rewards_p.add_subparsers(
        dest="rewards_command", metavar="ACTION", required=True, parser_class=Parser
    )
    p = command("list", cmd_rewards_list, "rewards pending and given, newest first", wsub)
    p.add_argument("--giver", type=int, metavar="ID", help="only this contact's rewards")
    p.add_argument("--status", choices=models.REWARD_STATUSES)
    p.add_argument("--limit", type=_positive_int, default=2000, metavar="N")
    p = command("give", cmd_rewards_give, "record that a pending reward was given", wsub)
    p.add_argument("id", type=int, metavar="ID")
    p = command(
        "policy", cmd_rewards_policy, "show the reward policy, or change it with options", wsub
    )
    p.add_argument("--trigger", metavar="received|won")
    p.add_argument("--amount-mode", metavar="fixed|percent")
    p.add_argument("--fixed-amount", metavar="AMOUNT")
    p.add_argument("--percent", metavar="0-100")
    p.add_argument("--cap", metavar="AMOUNT", help='the most a percentage gives; "" for no cap')
    p.add_argument("--sides", metavar="one|two", help="two: also reward the referred friend")
    p.add_argument("--kind", metavar="|".join(models.REWARD_KINDS))
    p.add_argument("--limit-count", metavar="N", help="rewards per giver per period; 0: no limit")
    p.add_argument("--limit-days", metavar="DAYS", help="the period of the limit")
    p = command("roi", cmd_rewards_roi, "won value against reward cost, per currency", wsub)
    p.add_argument("--group-by", default="giver", choices=("giver", "program", "period"))
    p.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")

    p = command("backup", cmd_backup, "copy the database safely to FILE")
    p.add_argument("file", metavar="FILE")
    p = command("restore", cmd_restore, "replace the database with a backup")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="confirm replacing the database")
    command("check", cmd_check, "check the database's integrity")
    p = command("screenshot", cmd_screenshot, "render a view of the app offscreen to a PNG")
    p.add_argument(
        "view",
        metavar="VIEW",
        help="contacts, referrals, chain, events, briefing, followups, vouchers, "
        "dashboard or settings",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.png")
    p.add_argument("--size", default="1280x800", metavar="WxH")
    p.add_argument("--language", metavar="L", help="ar lays the window out right-to-left")
    p.add_argument("--id", type=int, metavar="ID", help="the contact (chain) or event (briefing)")
    return parser


def run_gui(db_target: str | None) -> int:
    """Open the desktop app (imports Qt only here)."""
    from crm.gui.app import run

    return run(db_target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return run_gui(args.db)
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except CrmError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"crm: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        _close_store()
