"""``crm privacy export|erase``: everything held on one person, and its erasure."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    id_arg,
    open_store,
    print_json,
)
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "privacy",
        "a person's data: export it, or erase it",
        "privacy_command",
        example="crm privacy export 12 -o ./maria-rossi",
    )
    p = add_command(
        actions,
        "export",
        cmd_privacy_export,
        "write everything held on a person to a folder",
        example="crm privacy export 12 -o ./maria-rossi",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p = add_command(
        actions,
        "erase",
        cmd_privacy_erase,
        "erase a person, keeping anonymous statistics",
        example="crm privacy erase 12 --yes",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--yes", action="store_true", help="confirm the erasure")


def cmd_privacy_export(args: argparse.Namespace) -> int:
    from crm.interchange.person_export import export_person

    open_store(args)
    paths = export_person(args.id, args.output)
    if args.json:
        print_json({"contact_id": args.id, "files": [str(p) for p in paths]})
    else:
        print(f"Wrote {', '.join(p.name for p in paths)} to {paths[0].parent}")
    return EXIT_OK


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        raise ValidationError(code="cli.privacy.erasing_contact_removes_their", args_id=args.id)
    from crm.core import erasure

    open_store(args)
    result = erasure.erase(args.id)
    if args.json:
        print_json(result)
        return EXIT_OK
    done, kept = result["erased"], result["kept"]
    print(
        f"Erased contact {args.id}: removed {_n(done['emails'], 'email')}, "
        f"{_n(done['phones'], 'phone')}, {_n(done['followups'], 'follow-up')} and "
        f"{_n(done['tags'], 'tag')}; scrubbed {_n(done['mentions_scrubbed'], 'mention')} "
        "in other records."
    )
    print(
        f"Kept for statistics, without their identity: {_n(kept['referrals'], 'referral')}, "
        f"{_n(kept['rewards'], 'reward')}, {_n(kept['vouchers'], 'voucher')}, "
        f"{_n(kept['attendance'], 'attendance')}, {_n(kept['history_lines'], 'history line')}."
    )
    print(result["note"], file=sys.stderr)
    return EXIT_OK
