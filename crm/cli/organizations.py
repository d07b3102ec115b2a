"""``crm organizations list|show|edit``: companies and community partners, with their people."""

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
    positive_int,
    print_json,
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


def cmd_organizations_list(args: argparse.Namespace) -> int:
    from crm.core import organizations

    open_store(args)
    items = organizations.list_organizations(args.search or "", limit=args.limit)
    if args.json:
        print_json(items)
        return EXIT_OK
    for o in items:
        print(f"{o['id']:>6}  {o['name']:<40} {o['kind']:<18} {o['city']:<20} {o['people']:>5}")
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
        raise ValidationError(
            "Nothing to change: give at least one option (see crm organizations edit --help)"
        )
    open_store(args)
    before = organizations.organization_details(args.id)
    organizations.update_organization(args.id, **changes)
    after = organizations.organization_details(args.id)
    if args.json:
        print_json(after)
    else:
        changed = [k for k in after if after[k] != before[k]]
        what = f"changed {', '.join(changed)}" if changed else "nothing changed"
        print(f"{after['name']} (#{args.id}): {what}")
    return EXIT_OK
