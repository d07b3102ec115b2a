"""The ``crm`` command: opens the desktop app, or does the same work headless.

Exit status: 0 done; 2 the input was refused (one ``error:`` line on stderr,
nothing changed); 1 anything unexpected (the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from crm import __version__
from crm.cli.common import (
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    Parser,
    UsageError,
    close_store,
    date_arg,
    positive_int,
)
from crm.cli.documents import (
    add_consent_override,
    cmd_briefing,
    cmd_letter,
    cmd_letters,
    cmd_vouchers_issue,
    cmd_vouchers_list,
    cmd_vouchers_print,
    cmd_vouchers_redeem,
    cmd_vouchers_void,
)
from crm.cli.program import (
    cmd_quality,
    cmd_rewards_give,
    cmd_rewards_list,
    cmd_rewards_policy,
    cmd_rewards_roi,
    cmd_stats,
)
from crm.cli.records import (
    cmd_backup,
    cmd_chain,
    cmd_check,
    cmd_contacts_add,
    cmd_contacts_ask,
    cmd_contacts_list,
    cmd_contacts_show,
    cmd_demo,
    cmd_events_add,
    cmd_events_attend,
    cmd_events_list,
    cmd_followups,
    cmd_refer,
    cmd_referrals_primary,
    cmd_referrals_status,
    cmd_restore,
    cmd_screenshot,
)
from crm.core.errors import CrmError


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A subcommand whose module (and its libraries) loads only when it runs."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        func: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"crm.cli.{module}"), name
        )
        return func(args)

    return run


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
    p.add_argument("--contacts", type=positive_int, default=2000, metavar="N")
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
    p.add_argument("--limit", type=positive_int, default=50, metavar="N")
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
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD")
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
    p.add_argument("--limit", type=positive_int, default=200, help="rows shown without --json")

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
    p.add_argument("--limit", type=positive_int, default=50)

    p = command("followups", cmd_followups, "the follow-up list; 'followups done ID'")
    p.add_argument("--due-by", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--limit", type=positive_int, default=1000)
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
        type=positive_int,
        metavar="N",
        help="the N clients with the most won referral value in the last 12 months",
    )
    p.add_argument("--value", required=True, metavar="V")
    p.add_argument("--expires", required=True, type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--batch", required=True, metavar="NAME", help="such as 2026-Q4")
    p.add_argument("--currency", metavar="C", help="ISO code (default: the profile's)")
    add_consent_override(p)
    p = command("list", cmd_vouchers_list, "list vouchers with their status", vsub)
    p.add_argument("--batch", metavar="NAME")
    p = command("print", cmd_vouchers_print, "print a batch of vouchers to a PDF", vsub)
    p.add_argument("--batch", required=True, metavar="NAME")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--per-page", type=int, default=1, metavar="1|4|8", help="vouchers per A4 page")
    add_consent_override(p)
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
    add_consent_override(p)
    p = command("letters", cmd_letters, "print all pending thank-you letters to one PDF")
    p.add_argument("--pending", action="store_true", required=True, help="the pending ones")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_consent_override(p)
    p = command("briefing", cmd_briefing, "print the briefing for an event to a PDF")
    p.add_argument("--event", required=True, type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")

    p = command("quality", cmd_quality, "per-giver conversion, and givers and referrals to look at")
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument(
        "--min-referrals",
        type=positive_int,
        default=5,
        metavar="N",
        help="judge only givers with at least N referrals (default 5)",
    )
    p = command("stats", cmd_stats, "what the referral program brought and cost in a period")
    p.add_argument(
        "--from",
        dest="date_from",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="count referrals received from this day (default: the first)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=date_arg,
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
    p.add_argument("--limit", type=positive_int, default=2000, metavar="N")
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
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=date_arg, metavar="YYYY-MM-DD")

    p = command("backup", cmd_backup, "copy the database safely to FILE")
    p.add_argument("file", metavar="FILE")
    p = command("restore", cmd_restore, "replace the database with a backup")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="confirm replacing the database")
    command("check", cmd_check, "check the database's integrity")

    # -- contacts in and out (crm.interchange) --------------------------------
    p = command("import", _lazy("importing", "cmd_import"), "import contacts from vCard or CSV")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("auto", "vcard", "csv"), default="auto")
    p.add_argument("--encoding", metavar="E", help="the file's encoding (default: detected)")
    p.add_argument(
        "--dry-run", action="store_true", help="report what would happen, change nothing"
    )
    p = command(
        "export", _lazy("exporting", "cmd_export"), "export contacts, follow-ups or referrals"
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
    command("duplicates", _lazy("privacy", "cmd_duplicates"), "list likely duplicate contacts")
    p = command("merge", _lazy("privacy", "cmd_merge"), "merge OTHER_ID into KEEP_ID")
    p.add_argument("keep", type=positive_int, metavar="KEEP_ID")
    p.add_argument("other", type=positive_int, metavar="OTHER_ID")
    privacy_p = sub.add_parser("privacy", help="a person's data: export it, or erase it")
    psub = privacy_p.add_subparsers(dest="privacy_command", metavar="ACTION", parser_class=Parser)
    psub.required = True
    p = command(
        "export",
        _lazy("privacy", "cmd_privacy_export"),
        "write everything held on a person to a folder",
        target=psub,
    )
    p.add_argument("id", type=positive_int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p = command(
        "erase",
        _lazy("privacy", "cmd_privacy_erase"),
        "erase a person, keeping anonymous statistics",
        target=psub,
    )
    p.add_argument("id", type=positive_int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="confirm the erasure")

    p = command("screenshot", cmd_screenshot, "render a view of the app offscreen to a PNG")
    p.add_argument(
        "view",
        metavar="VIEW",
        help="contacts, referrals, chain, events, briefing, followups, vouchers, "
        "dashboard, duplicates, backups or settings",
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
        close_store()
