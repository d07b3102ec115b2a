"""``crm screenshot VIEW -o FILE.png``: a view of the main window, rendered offscreen."""

from __future__ import annotations

import argparse
import os
from collections.abc import MutableMapping

from crm.cli.common import EXIT_OK, Subparsers, add_command, id_arg, open_store, print_json


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "screenshot",
        cmd_screenshot,
        "render a view of the app offscreen to a PNG",
        example="crm screenshot chain -o chain.png --size 1280x800 --language el",
    )
    p.add_argument(
        "view",
        metavar="VIEW",
        help="contacts, referrals, chain, events, briefing, followups, vouchers, "
        "dashboard, duplicates, backups or settings",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.png")
    p.add_argument("--size", default="1280x800", metavar="WxH")
    p.add_argument("--language", metavar="L", help="ar lays the window out right-to-left")
    p.add_argument(
        "--id",
        type=id_arg,
        metavar="ID",
        help="the contact (contacts, chain) or event (events, briefing) to show",
    )


def choose_platform(environ: MutableMapping[str, str]) -> str:
    """The Qt platform to render with: the caller's choice, else offscreen.

    Set before Qt is imported, which reads it once. Offscreen even with a display,
    so a screenshot never flashes a window and looks the same on every machine;
    without a display the default platform (xcb, wayland) would abort.
    """
    chosen = environ.get("QT_QPA_PLATFORM")
    if chosen:
        return chosen
    environ["QT_QPA_PLATFORM"] = "offscreen"
    return "offscreen"


def cmd_screenshot(args: argparse.Namespace) -> int:
    choose_platform(os.environ)
    # Qt loads only here: every other subcommand stays headless.
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
