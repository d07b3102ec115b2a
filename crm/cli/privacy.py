"""Subcommands for one person's records: duplicates and merging, export and erasure."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    open_store,
    positive_int,
    print_json,
)
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers,
        "duplicates",
        cmd_duplicates,
        "list likely duplicate contacts",
        example="crm duplicates --json",
    )
    p = add_command(
        subparsers,
        "merge",
        cmd_merge,
        "merge OTHER_ID into KEEP_ID",
        example=("crm merge 12 31 --yes", "crm merge --undo"),
    )
    p.add_argument("keep", type=positive_int, metavar="KEEP_ID")
    p.add_argument("other", type=positive_int, metavar="OTHER_ID")
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
    p.add_argument("id", type=positive_int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p = add_command(
        actions,
        "erase",
        cmd_privacy_erase,
        "erase a person, keeping anonymous statistics",
        example="crm privacy erase 12 --yes",
    )
    p.add_argument("id", type=positive_int, metavar="ID")
    p.add_argument("--yes", action="store_true", help="confirm the erasure")


def cmd_duplicates(args: argparse.Namespace) -> int:
    from crm.core import duplicates

    open_store(args)
    pairs = duplicates.find()
    if args.json:
        print_json([p.to_dict() for p in pairs])
        return EXIT_OK
    for p in pairs:
        left, right = f"#{p.a_id} {p.a_name}", f"#{p.b_id} {p.b_name}"
        print(f"{p.score:>3}  {left:<36} {right:<36} {'; '.join(p.reasons)}")
    if pairs:
        print("Merge a pair with: crm merge KEEP_ID OTHER_ID", file=sys.stderr)
    else:
        print("No likely duplicates.", file=sys.stderr)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from crm.core import contacts, merging

    open_store(args)
    merge_id = merging.merge(args.keep, args.other)
    (record,) = merging.merges(args.keep, limit=1)
    kept = contacts.to_dict(contacts.get_contact(args.keep))
    if args.json:
        print_json(
            {
                "merge_id": merge_id,
                "kept_id": args.keep,
                "removed_id": args.other,
                "removed_name": record["removed_name"],
                "contact": kept,
            }
        )
    else:
        print(
            f"Merged {record['removed_name']} (#{args.other}) into {kept['name']} "
            f"(#{args.keep}): merge {merge_id}. The app's Duplicates page can undo it."
        )
    return EXIT_OK


def cmd_privacy_export(args: argparse.Namespace) -> int:
    from crm.core import privacy

    open_store(args)
    paths = privacy.export_person(args.id, args.output)
    if args.json:
        print_json({"contact_id": args.id, "files": [str(p) for p in paths]})
    else:
        print(f"Wrote {', '.join(p.name for p in paths)} to {paths[0].parent}")
    return EXIT_OK


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        raise ValidationError(
            f"erasing contact {args.id} removes their identity for good and cannot be undone; "
            "add --yes to confirm"
        )
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
