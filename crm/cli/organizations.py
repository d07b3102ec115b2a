"""``crm organizations list|show|edit|merge``: companies and community partners and their people."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    confirm_merge,
    id_arg,
    open_store,
    positive_int,
    print_json,
    report_edit,
)
from crm.core import vocabulary
from crm.core.errors import ValidationError


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "organizations",
        "organizations with their people and the referrals that came through them",
        "organizations_command",
        example="crm organizations list --search acme",
    )
    p = add_command(
        actions,
        "list",
        cmd_organizations_list,
        "organizations by name, with how many people each has",
        example="crm organizations list --search athens --json",
    )
    p.add_argument("--search", metavar="TEXT", help="name or city; folds case and accents")
    p.add_argument("--limit", type=positive_int, default=500, metavar="N")
    p = add_command(
        actions,
        "show",
        cmd_organizations_show,
        "one organization with its people and their referrals",
        example="crm organizations show 3 --json",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p = add_command(
        actions,
        "edit",
        cmd_organizations_edit,
        "change an organization: only the fields given",
        example='crm organizations edit 3 --name "Acme S.A." --website https://acme.example',
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    p.add_argument("--name", metavar="N")
    p.add_argument("--kind", choices=vocabulary.ORGANIZATION_KINDS)
    p.add_argument("--city", metavar="C")
    p.add_argument("--website", metavar="W")
    p.add_argument("--notes", metavar="N")
    p = add_command(
        actions,
        "merge",
        cmd_organizations_merge,
        "merge OTHER_ID into KEEP_ID: its people move over (asks; --yes when not on a terminal)",
        example="crm organizations merge 3 7 --yes",
    )
    p.add_argument("keep", type=id_arg, metavar="KEEP_ID")
    p.add_argument("other", type=id_arg, metavar="OTHER_ID")
    p.add_argument("--yes", action="store_true", help="merge without asking")


def cmd_organizations_list(args: argparse.Namespace) -> int:
    from crm.core import organizations

    open_store(args)
    items = organizations.list_organizations(args.search or "", limit=args.limit)
    if args.json:
        print_json(items)
        return EXIT_OK
    for o in items:
        won = _money(o["won_value"])
        print(
            f"{o['id']:>6}  {o['name']:<40} {o['kind']:<18} {o['city']:<20} "
            f"{o['people']:>5} {o['referrals']:>5}  {won}".rstrip()
        )
    if not items:
        print("No organizations found.", file=sys.stderr)
    return EXIT_OK


def cmd_organizations_show(args: argparse.Namespace) -> int:
    from crm.core import organizations

    open_store(args)
    data = organizations.organization_details(args.id)
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"{data['name']}  (#{data['id']}, {data['kind']})")
    for key in ("city", "website", "notes"):
        if data[key]:
            print(f"  {key:<8} {data[key]}")
    if data["won_value"]:
        print(f"  {'won':<8} {_money(data['won_value'])}")
    print(f"People ({len(data['people'])}):")
    for p in data["people"]:
        archived = " (archived)" if p["archived"] else ""
        print(f"  #{p['id']:<6} {p['name']}{archived}  {p['title']}".rstrip())
    print(f"Referrals ({len(data['referrals'])}):")
    for r in data["referrals"]:
        value = f" {r['value']:.2f} {r['currency']}" if r["value"] is not None else ""
        who = f"{r['giver']} → {r['referred']}"
        print(f"  #{r['id']:<6} {r['referred_on']}  {who}  {r['status']}{value}")
    return EXIT_OK


def cmd_organizations_edit(args: argparse.Namespace) -> int:
    from crm.core import organizations

    changes = {
        key: getattr(args, key)
        for key in ("name", "kind", "city", "website", "notes")
        if getattr(args, key) is not None
    }
    if not changes:
        raise ValidationError(code="cli.organizations.nothing_change_give_least")
    open_store(args)
    before = organizations.organization_details(args.id)
    organizations.update_organization(args.id, **changes)
    after = organizations.organization_details(args.id)
    return report_edit(args, before, after, f"{after['name']} (#{args.id})")


def _money(values: dict[str, float]) -> str:
    """Won value per currency: "12300.00 EUR + 800.00 USD"."""
    return " + ".join(f"{value:.2f} {currency}" for currency, value in values.items())


def cmd_organizations_merge(args: argparse.Namespace) -> int:
    from crm.core import organization_merge, organizations

    open_store(args)
    if args.keep != args.other:  # the same id twice: the core says why not
        keep = organizations.organization_details(args.keep)
        other = organizations.organization_details(args.other)
        n = len(other["people"])
        question = (
            f"Merge {other['name']} (#{args.other}) into {keep['name']} (#{args.keep}), "
            f"moving {n} {'person' if n == 1 else 'people'}?"
        )
        confirm_merge(args, "organizations merge", question)
    result = organization_merge.merge_organizations(args.keep, args.other)
    if args.json:
        print_json(
            {
                "id": args.keep,
                **result,
                "organization": organizations.organization_details(args.keep),
            }
        )
    else:
        n = len(result["moved"])
        print(
            f"Merged {result['removed_name']} (#{args.other}) into {result['kept_name']} "
            f"(#{args.keep}): moved {n} {'person' if n == 1 else 'people'}"
        )
    return EXIT_OK
