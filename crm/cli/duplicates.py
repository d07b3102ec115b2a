"""``crm duplicates [dismiss|undismiss]`` and ``crm merge``: one person recorded twice."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Parser,
    Subparsers,
    add_command,
    confirm_merge,
    id_arg,
    open_store,
    print_json,
)
from crm.core.errors import ValidationError

# What a merge moves over from the removed contact, in the words a summary prints.
_MOVED = (
    ("referrals_given", "referral given", "referrals given"),
    ("referrals_received", "referral received", "referrals received"),
    ("attendance", "event attended", "events attended"),
    ("followups", "follow-up", "follow-ups"),
    ("rewards", "reward", "rewards"),
    ("vouchers", "voucher", "vouchers"),
    ("history", "history line", "history lines"),
)


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "duplicates",
        cmd_duplicates,
        "list likely duplicate contacts; 'duplicates dismiss A B' when they are not",
        example=("crm duplicates --json", "crm duplicates dismiss 12 31"),
    )
    # The list is the command itself; the actions are optional beside it.
    actions = p.add_subparsers(dest="duplicates_command", metavar="ACTION", parser_class=Parser)
    for name, help in (
        ("dismiss", "two contacts are different people: stop showing them as a pair"),
        ("undismiss", "show a dismissed pair again"),
    ):
        p = add_command(
            actions, name, cmd_duplicates_dismiss, help, example=f"crm duplicates {name} 12 31"
        )
        p.add_argument("a", type=id_arg, metavar="ID")
        p.add_argument("b", type=id_arg, metavar="ID")
        p.set_defaults(dismissing=name == "dismiss")
    p = add_command(
        subparsers,
        "merge",
        cmd_merge,
        "merge OTHER_ID into KEEP_ID (asks first; --yes when not on a terminal), or undo a merge",
        example=("crm merge 12 31 --yes", "crm merge --undo", "crm merge --undo 4"),
    )
    p.add_argument("keep", type=id_arg, nargs="?", metavar="KEEP_ID")
    p.add_argument("other", type=id_arg, nargs="?", metavar="OTHER_ID")
    p.add_argument("--yes", action="store_true", help="merge without asking")
    p.add_argument(
        "--undo",
        type=id_arg,
        nargs="?",
        const=0,
        metavar="MERGE_ID",
        help="take a merge back (default: the latest one not yet undone)",
    )


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


def cmd_duplicates_dismiss(args: argparse.Namespace) -> int:
    from crm.core import duplicates

    open_store(args)
    pair = (min(args.a, args.b), max(args.a, args.b))
    if args.dismissing:
        duplicates.dismiss(args.a, args.b)
    elif not duplicates.undismiss(args.a, args.b):
        raise ValidationError(
            code="cli.duplicates.contacts_dismissed_pair", pair=pair[0], pair_2=pair[1]
        )
    data = {"id": list(pair), "a_id": pair[0], "b_id": pair[1], "dismissed": args.dismissing}
    if args.json:
        print_json(data)
    elif args.dismissing:
        print(f"Contacts {pair[0]} and {pair[1]} are no longer shown as duplicates")
    else:
        print(f"Contacts {pair[0]} and {pair[1]} may be shown as duplicates again")
    return EXIT_OK


def _moved_text(counts: dict[str, int]) -> str:
    parts = [
        f"{counts[key]} {one if counts[key] == 1 else many}"
        for key, one, many in _MOVED
        if counts.get(key)
    ]
    return ", ".join(parts) or "nothing beyond their details"


def cmd_merge(args: argparse.Namespace) -> int:
    if args.undo is not None:
        if args.keep is not None:
            raise ValidationError(code="cli.duplicates.give_either_keep_id")
        return _undo(args)
    if args.keep is None or args.other is None:
        raise ValidationError(code="cli.duplicates.give_keep_id_other")
    from crm.core import contacts, merging

    open_store(args)
    counts: dict[str, int] = {}
    if args.keep != args.other:  # the same id twice: merging.merge says why not
        review = merging.side_by_side(args.keep, args.other)
        counts = review["counts"]["b"]
        question = (
            f"Merge {review['b']['name']} (#{args.other}) into {review['a']['name']} "
            f"(#{args.keep}), moving {_moved_text(counts)}?"
        )
        confirm_merge(args, "merge", question)
    merge_id = merging.merge(args.keep, args.other)
    (record,) = merging.merges(args.keep, limit=1)
    kept = contacts.to_dict(contacts.get_contact(args.keep))
    if args.json:
        print_json(
            {
                "id": merge_id,
                "merge_id": merge_id,
                "kept_id": args.keep,
                "removed_id": args.other,
                "removed_name": record["removed_name"],
                "moved": counts,
                "contact": kept,
            }
        )
    else:
        print(
            f"Merged {record['removed_name']} (#{args.other}) into {kept['name']} "
            f"(#{args.keep}): merge {merge_id}, moving {_moved_text(counts)}. "
            f"Undo with: crm merge --undo {merge_id}"
        )
    return EXIT_OK


def _undo(args: argparse.Namespace) -> int:
    from crm.core import merging

    open_store(args)
    merge_id = args.undo or _latest_merge()
    names = {m["id"]: m for m in merging.merges(limit=1_000_000) if m["id"] == merge_id}
    result: dict[str, Any] = merging.undo(merge_id)
    record = names[merge_id]
    if args.json:
        print_json({"id": merge_id, **result, "restored_name": record["removed_name"]})
    else:
        print(
            f"Undid merge {merge_id}: {record['removed_name']} (#{result['restored_id']}) is "
            f"back beside {record['kept_name']} (#{result['kept_id']})"
        )
    return EXIT_OK


def _latest_merge() -> int:
    from crm.core import merging

    for m in merging.merges(limit=1_000_000):
        if m["undone_at"] is None:
            return int(m["id"])
    raise ValidationError(code="cli.duplicates.there_merge_undo")
