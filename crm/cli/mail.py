"""``crm mail …`` (thank-you letters, birthday greetings and vouchers by e-mail) and
``crm birthdays`` (the coming birthdays, and their cards).

E-mails go through the mail server in the settings (``smtp.*``; its password in the
system keyring, set with ``crm mail password``), or as ``.eml`` drafts with
``--drafts DIR``. Each prints per recipient what was sent, skipped or failed;
``--dry-run`` only lists what would be sent. Consent as for printing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    UsageError,
    add_command,
    add_consent_override,
    add_group,
    id_arg,
    open_store,
    print_json,
    without_consent,
)
from crm.i18n import N_, _, ngettext

_REASONS = {
    "no_email": N_("no e-mail address"),
    "no_consent": N_("no marketing consent"),
    "already_sent": N_("already sent"),
}
_WHAT = {
    "letter": N_("thank-you letter"),
    "birthday": N_("birthday greeting"),
    "voucher": N_("voucher"),
}
_STATUS = {
    "sent": N_("sent"),
    "skipped": N_("skipped"),
    "failed": N_("failed"),
    "would_send": N_("would send"),
}


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a number of days").format(text=text)
        ) from None
    if not 0 <= value <= 366:
        raise argparse.ArgumentTypeError(
            _("days must be between 0 and 366, not {value}").format(value=value)
        )
    return value


def _sending(p: Any) -> None:
    p.add_argument("--drafts", metavar="DIR", help="write one .eml draft per message to DIR")
    p.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")
    add_consent_override(p)


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "mail",
        "send thank-you letters, birthday greetings and vouchers by e-mail",
        "mail_command",
        example=("crm mail letters --pending --dry-run", "crm mail birthday --due-within 7"),
    )
    p = add_command(actions, "letters", cmd_mail_letters, "e-mail the pending thank-you letters",
                    example="crm mail letters --pending --drafts ~/Drafts")  # fmt: skip
    p.add_argument("--pending", action="store_true", required=True, help="the pending ones")
    _sending(p)
    p = add_command(actions, "letter", cmd_mail_letter, "e-mail one referral's thank-you letter",
                    example="crm mail letter --referral 42")  # fmt: skip
    p.add_argument("--referral", required=True, type=id_arg, metavar="ID")
    _sending(p)
    p = add_command(actions, "birthday", cmd_mail_birthday, "e-mail the coming birthdays' wishes",
                    example="crm mail birthday --due-within 7")  # fmt: skip
    p.add_argument(
        "--due-within",
        type=_days,
        metavar="DAYS",
        help="birthdays from today for DAYS days (default: the birthday window)",
    )
    p.add_argument("--contact", type=id_arg, metavar="ID", help="only this contact's greeting")
    _sending(p)
    p = add_command(actions, "vouchers", cmd_mail_vouchers, "e-mail a batch's vouchers",
                    example='crm mail vouchers --batch "Spring 2027"')  # fmt: skip
    p.add_argument("--batch", required=True, metavar="NAME")
    _sending(p)
    p = add_command(actions, "password", cmd_mail_password,
                    "keep the mail server's password in the system keyring",
                    example=("crm mail password", "crm mail password --clear"))  # fmt: skip
    p.add_argument("--clear", action="store_true", help="remove it from the keyring")
    p = add_command(
        subparsers, "birthdays", cmd_birthdays, "the coming birthdays; with -o, their cards",
        example=("crm birthdays --within 30", "crm birthdays -o cards.pdf --layout folded"),
    )  # fmt: skip
    p.add_argument("--within", type=_days, metavar="DAYS",
                   help="from today for DAYS days (default: the birthday window)")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="print their greeting cards")
    p.add_argument("--layout", choices=("postcard", "folded"), default="postcard",
                   help="A6 postcard, or A5 folded to A6 (default: postcard)")  # fmt: skip
    p.add_argument("--mail", action="store_true",
                   help="also e-mail them their greeting, as 'crm mail birthday' does")  # fmt: skip
    _sending(p)


def _send(args: argparse.Namespace, items: list[dict[str, Any]]) -> int:
    from crm.documents import mailing

    report = mailing.run(items, drafts=args.drafts, dry_run=args.dry_run)
    if args.json:
        print_json(report)
        return EXIT_OK
    _print_report(args, report)
    return EXIT_OK


def _print_report(args: argparse.Namespace, report: dict[str, Any]) -> None:
    for r in report["results"]:
        status = _(_STATUS[r["status"]])
        why = _(_REASONS[r["reason"]]) if r["reason"] in _REASONS else r["reason"]
        who = f"{r['name']} <{r['email']}>" if r["email"] else r["name"]
        print(f"{status:<10} {who}  ({_(_WHAT[r['kind']])}, #{r['contact_id']})"
              + (f": {why}" if why else ""))  # fmt: skip
    if args.dry_run:
        counts = _("Would send {n}, skipped {skipped}.")
    elif args.drafts:
        counts = _("Wrote {sent}, failed {failed}, skipped {skipped}.")
    else:
        counts = _("Sent {sent}, failed {failed}, skipped {skipped}.")
    print(counts.format(n=report["would_send"], sent=report["sent"], failed=report["failed"],
                        skipped=report["skipped"]), file=sys.stderr)  # fmt: skip
    if not report["results"]:
        print(_("Nothing to send."), file=sys.stderr)


def cmd_mail_letters(args: argparse.Namespace) -> int:
    open_store(args)
    from crm.core import mail_items

    return _send(args, mail_items.letter_items(allow_without_consent=without_consent(args)))


def cmd_mail_letter(args: argparse.Namespace) -> int:
    open_store(args)
    from crm.core import mail_items

    allow = without_consent(args)
    return _send(args, mail_items.letter_items(args.referral, allow_without_consent=allow))


def cmd_mail_birthday(args: argparse.Namespace) -> int:
    open_store(args)
    from crm.core import mail_items

    items = mail_items.birthday_items(
        args.due_within, args.contact, allow_without_consent=without_consent(args)
    )
    return _send(args, items)


def cmd_mail_vouchers(args: argparse.Namespace) -> int:
    open_store(args)
    from crm.core import mail_items

    allow = without_consent(args)
    return _send(args, mail_items.voucher_items(args.batch, allow_without_consent=allow))


def cmd_mail_password(args: argparse.Namespace) -> int:
    open_store(args)
    from crm.core import mail_server

    srv = mail_server.server()
    if args.clear:
        mail_server.set_password("", srv)
    else:
        mail_server.keyring_name(srv)  # refused before asking when host or user is not set
        if sys.stdin.isatty():
            password = getpass.getpass(_("Password for {name}: ").format(name=srv.keyring_name))
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError(_("no password given; use --clear to remove it"))
        mail_server.set_password(password, srv)
    if args.json:
        print_json({"id": srv.keyring_name, "stored": not args.clear})
    else:
        done = (
            _("Removed the password of {name} from the system keyring")
            if args.clear
            else _("Stored the password of {name} in the system keyring")
        )
        print(done.format(name=srv.keyring_name))
    return EXIT_OK


def cmd_birthdays(args: argparse.Namespace) -> int:
    if (args.drafts or args.dry_run) and not args.mail:
        raise UsageError(_("--drafts and --dry-run go with --mail"))
    if args.output:
        from crm.documents import page

        page.check_output(args.output)
    open_store(args)
    from crm.core import birthdays

    people = birthdays.coming(args.within)
    result: dict[str, Any] = {"birthdays": people}
    transport = None
    if args.mail and not args.dry_run:
        from crm.documents import mailing

        # Connected (or refused) before anything is printed or sent.
        transport = mailing.open_transport(args.drafts)
    if args.output:
        from crm.documents import birthday_card

        data = birthdays.cards(people, allow_without_consent=without_consent(args))
        result["skipped_without_consent"] = data["skipped_without_consent"]
        result["cards"] = None
        if data["cards"]:
            result["cards"] = birthday_card.print_cards(data, args.output, layout=args.layout)
    if args.mail:
        result["mail"] = _mail_greetings(args, transport)
    if args.json:
        print_json(result)
        return EXIT_OK
    for p in people:
        age = _("turns {age}").format(age=p["age"]) if p["age"] else ""
        email = p["email"] or _("no e-mail")
        consent = "" if p["consent"] else "  " + _("(no marketing consent)")
        print(f"{p['date'].isoformat()}  #{p['contact_id']:<5} {p['name']}  {age}  "
              f"[{p['language']}] {email}{consent}")  # fmt: skip
    if not people:
        print(_("No birthdays in that time."), file=sys.stderr)
    if args.output:
        _report_cards(args, result)
    if args.mail:
        _print_report(args, result["mail"])
    return EXIT_OK


def _mail_greetings(args: argparse.Namespace, transport: Any) -> dict[str, Any]:
    from crm.core import mail_items
    from crm.documents import mailing

    items = mail_items.birthday_items(args.within, allow_without_consent=without_consent(args))
    try:
        return mailing.run(items, drafts=args.drafts, dry_run=args.dry_run, transport=transport)
    finally:
        if transport is not None:
            transport.close()


def _report_cards(args: argparse.Namespace, result: dict[str, Any]) -> None:
    printed = result["cards"]
    if printed:
        text = ngettext(
            "Saved {n} birthday card ({pages} pages) to {path}",
            "Saved {n} birthday cards ({pages} pages) to {path}",
            printed["cards"],
        )
        print(text.format(n=printed["cards"], pages=printed["pages"], path=printed["path"]),
              file=sys.stderr)  # fmt: skip
    else:
        print(_("No cards to print; no file written."), file=sys.stderr)
    skipped = result["skipped_without_consent"]
    if skipped:
        names = ", ".join(f"{s['name']} (#{s['contact_id']})" for s in skipped[:10])
        text = _(
            "Skipped {n} without marketing consent: {names}. "
            "Record their consent or print with --without-consent."
        )
        print(text.format(n=len(skipped), names=names), file=sys.stderr)
