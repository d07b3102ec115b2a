"""The ``crm`` command: opens the desktop app, or does the same work headless.

Exit status: 0 done; 2 the input was refused (one ``error:`` line on stderr,
nothing changed); 1 anything unexpected (the traceback only with ``--debug``).

Each module here registers its own subcommands beside their handlers; a handler
imports the core, documents or Qt only when it runs, so ``crm --help`` stays light.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Sequence

from crm import __version__
from crm.cli import (
    campaigns,
    contacts,
    database,
    demo,
    documents,
    duplicates,
    events,
    exporting,
    followups,
    importing,
    organizations,
    post,
    privacy,
    program,
    referrals,
    rewards,
    screenshot,
    settings,
    templates,
    vouchers,
)
from crm.cli.common import (
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    Parser,
    UsageError,
    close_store,
    database_refusal,
    one_line,
)
from crm.core.errors import CrmError

# In the order ``crm --help`` lists them.
_MODULES = (
    demo,
    contacts,
    referrals,
    organizations,
    events,
    followups,
    vouchers,
    campaigns,
    documents,
    post,
    program,
    rewards,
    database,
    importing,
    exporting,
    duplicates,
    privacy,
    templates,
    settings,
    screenshot,
)


def build_parser() -> Parser:
    parser = Parser(prog="crm", description="Passaparola: a CRM for referrals and word of mouth.")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: crm.sqlite3 in your data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who is working: recorded on the history lines, referrals, follow-ups and rewards "
        "this command makes (default: your login name)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=Parser)
    for module in _MODULES:
        module.register(subparsers)
    return parser


def run_gui(db_target: str | None) -> int:
    """Open the desktop app (imports Qt only here)."""
    from crm.gui.app import run

    return run(db_target)


# A birthday without its year (``--MM-DD``) looks like an option to argparse.
_YEARLESS = re.compile(r"--\d\d-\d\d")


def _arguments(argv: Sequence[str]) -> list[str]:
    """``argv`` checked for text that is not UTF-8, with ``--birthday --MM-DD`` joined by ``=``."""
    out: list[str] = []
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            # Python hands undecodable bytes over as lone surrogates.
            raise UsageError(f"argument '{one_line(arg)}' is not valid UTF-8 text") from None
        if out and out[-1] == "--birthday" and _YEARLESS.fullmatch(arg):
            out[-1] = f"--birthday={arg}"
        else:
            out.append(arg)
    return out


def _reader_gone() -> int:
    """stdout's reader closed it (``crm ... | head -1``): stop quietly, as a pipe stage does."""
    # Point stdout at /dev/null so the interpreter's last flush does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (in-process tests)
        pass
    finally:
        os.close(devnull)
    return EXIT_UNEXPECTED  # the output was cut short, so not "done"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    raw = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in raw
    try:
        args = parser.parse_args(_arguments(raw))
        if args.user is not None:
            from crm.core import users

            users.set_current(args.user)
        if args.command is None:
            return run_gui(args.db)
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return code
    except UsageError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    except CrmError as exc:
        print(f"error: {one_line(exc.message)}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:
        refusal = database_refusal(exc)
        if refusal is not None:
            if debug:
                traceback.print_exc()
            print(f"error: {one_line(refusal)}", file=sys.stderr)
            return EXIT_REFUSED
        if debug:
            traceback.print_exc()
        print(
            one_line(
                f"crm: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)"
            ),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        close_store()
