"""The ``crm`` command: opens the desktop app, or does the same work headless.

Exit status: 0 done; 2 the input was refused (one ``error:`` line on stderr,
nothing changed); 1 anything unexpected (the traceback only with ``--debug``).

Each module here registers its own subcommands beside their handlers; a handler
imports the core, documents or Qt only when it runs, so ``crm --help`` stays light.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from crm import __version__
from crm.cli import (
    contacts,
    database,
    demo,
    documents,
    events,
    exporting,
    followups,
    importing,
    privacy,
    program,
    referrals,
    rewards,
    screenshot,
    vouchers,
)
from crm.cli.common import EXIT_REFUSED, EXIT_UNEXPECTED, Parser, UsageError, close_store
from crm.core.errors import CrmError

# In the order ``crm --help`` lists them.
_MODULES = (
    demo,
    contacts,
    referrals,
    events,
    followups,
    vouchers,
    documents,
    program,
    rewards,
    database,
    importing,
    exporting,
    privacy,
    screenshot,
)


def build_parser() -> Parser:
    parser = Parser(prog="crm", description="Passaparola: a CRM for referrals and word of mouth.")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: crm.sqlite3 in your data folder)",
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return run_gui(args.db)
        return int(args.handler(args))
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
