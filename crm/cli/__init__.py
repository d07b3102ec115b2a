"""The ``crm`` command: opens the desktop app, or does the same work headless.

Exit status: 0 done; 2 the input was refused (one ``error:`` line on stderr,
nothing changed); 1 anything unexpected (the traceback only with ``--debug``).

Each module here registers its own subcommands beside their handlers, and is imported
only when one of its subcommands is used (:mod:`crm.cli.lazy`); a handler imports the
core, documents or Qt only when it runs, so ``crm --help`` stays light.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from crm import __version__, i18n
from crm.cli.common import (
    EXIT_REFUSED,
    EXIT_UNEXPECTED,
    Parser,
    UsageError,
    close_store,
    database_refusal,
    one_line,
    print_json,
)
from crm.cli.lazy import COMMANDS, LazySubcommands
from crm.core.errors import CrmError


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
    parser.add_argument(
        "--language",
        dest="ui_language",
        metavar="L",
        choices=i18n.LANGUAGES,
        help="the language of the app and of messages: en, el, bg, it or ar "
        "(default: the environment's)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="SUBCOMMAND", parser_class=Parser, action=LazySubcommands
    )
    assert isinstance(subparsers, LazySubcommands)
    for name, module, help in COMMANDS:
        subparsers.add_lazy(name, module, help)
    return parser


def run_gui(db_target: str | None, language: str | None = None) -> int:
    """Open the desktop app (imports Qt only here)."""
    from crm.gui.app import run

    return run(db_target, language)


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


def _traceback() -> None:
    import traceback

    traceback.print_exc()


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


def _register_messages() -> None:
    """The CLI's own message codes, registered before a command runs (not for ``--help``)."""
    from crm.cli import messages  # noqa: F401  (registers the CLI's codes on import)


def main(argv: Sequence[str] | None = None) -> int:
    # Messages in the language of the environment (LC_ALL, LC_MESSAGES, LANG); the
    # "error: " prefix stays English so scripts can match it.
    i18n.set_language(i18n.language_from_environment(os.environ))
    parser = build_parser()
    raw = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in raw
    try:
        args = parser.parse_args(_arguments(raw))
        if args.user is not None:
            from crm.core import users

            users.set_current(args.user)
        if args.ui_language:
            i18n.set_language(args.ui_language)
        if args.command is None:
            return run_gui(args.db, args.ui_language)
        _register_messages()
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return code
    except UsageError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    except CrmError as exc:
        _register_messages()
        if "--json" in raw:  # the refusal for scripts: code, field, parameters
            print_json({"error": exc.as_dict()})
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
                _traceback()
            print(f"error: {one_line(refusal)}", file=sys.stderr)
            return EXIT_REFUSED
        if debug:
            _traceback()
        print(
            one_line(
                f"crm: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)"
            ),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        close_store()
