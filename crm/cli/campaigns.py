"""``crm campaigns list|add|edit|run|show``: the recurring voucher campaign.

A campaign is set once (every quarter, the top N clients who agreed to
marketing, value, validity); the daily rules remind of it at each period's
start, ``run`` issues the period's batch after showing who is in it and why and
who was left out, and ``show`` tells what it cost and brought, per period.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    confirm,
    open_store,
    print_json,
)
from crm.core.errors import ValidationError
from crm.i18n import N_, _, ngettext

_EVERY = {"quarter": N_("every quarter"), "month": N_("every month"), "year": N_("every year")}


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "campaigns",
        "recurring voucher campaigns: reminder, batch, cost and return",
        "campaigns_command",
        example="crm campaigns list --json",
    )
    add_command(
        actions,
        "list",
        cmd_campaigns_list,
        "list the campaigns, with whether this period's batch is out",
        example="crm campaigns list --json",
    )
    p = add_command(
        actions,
        "add",
        cmd_campaigns_add,
        "set up a campaign; prints it as JSON",
        example=(
            "crm campaigns add --every quarter --top 20 --value 50 --valid-days 90 "
            '--name "Best clients"'
        ),
        json_flag=False,
    )
    p.add_argument("--name", required=True, metavar="NAME")
    _terms(p, required=True)
    p.add_argument(
        "--without-consent",
        action="store_true",
        help="pick the top clients whether or not they agreed to marketing",
    )
    p.add_argument("--paused", action="store_true", help="set it up paused (no reminders)")
    p = add_command(
        actions,
        "edit",
        cmd_campaigns_edit,
        "change a campaign (only what is given); prints it as JSON",
        example='crm campaigns edit "Best clients" --top 30 --value 40',
        json_flag=False,
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--rename", metavar="NEW_NAME")
    _terms(p, required=False)
    state = p.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_const", const=True)
    state.add_argument("--paused", dest="active", action="store_const", const=False)
    consent = p.add_mutually_exclusive_group()
    consent.add_argument("--consent-only", dest="consent_only", action="store_const", const=True)
    consent.add_argument(
        "--without-consent", dest="consent_only", action="store_const", const=False
    )
    p = add_command(
        actions,
        "run",
        cmd_campaigns_run,
        "issue this period's batch: shows who is in it and asks (--yes off a terminal)",
        example='crm campaigns run "Best clients" --yes',
        json_flag=False,
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--yes", action="store_true", help="issue without asking")
    p.add_argument(
        "--force", action="store_true", help="issue a second batch for a period that has one"
    )
    p = add_command(
        actions,
        "show",
        cmd_campaigns_show,
        "a campaign with its cost and return per period, and who is next",
        example='crm campaigns show "Best clients" --json',
    )
    p.add_argument("name", metavar="NAME")


def _terms(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument(
        "--every",
        default="quarter" if required else None,
        metavar="quarter|month|year",
        help="how often (default: quarter)" if required else "how often",
    )
    p.add_argument("--top", required=required, metavar="N", help="how many top clients")
    p.add_argument("--value", required=required, metavar="V", help="each voucher's value")
    p.add_argument(
        "--valid-days", required=required, metavar="D", help="days a voucher stays valid"
    )
    p.add_argument("--currency", metavar="C", help="ISO code (default: the profile's)")


def cmd_campaigns_list(args: argparse.Namespace) -> int:
    from crm.core import campaigns

    open_store(args)
    items = campaigns.list_campaigns()
    if args.json:
        print_json(items)
        return EXIT_OK
    for c in items:
        state = "" if c["active"] else "  " + _("(paused)")
        run = c["run"]["batch"] if c["run"] else _("not issued yet")
        every = _(_EVERY[c["every"]]) if c["every"] in _EVERY else c["every"]
        top = _("top {n}").format(n=c["top_n"])
        days = ngettext("{n} day", "{n} days", c["valid_days"]).format(n=c["valid_days"])
        print(
            f"{c['id']:>4}  {c['name']:<28} {every:<13} {top:<8} "
            f"{c['value']:>8.2f} {c['currency']}  {days}  "
            f"{c['period']}: {run}{state}"
        )
    if not items:
        print(_("No campaigns yet: crm campaigns add …"), file=sys.stderr)
    return EXIT_OK


def cmd_campaigns_add(args: argparse.Namespace) -> int:
    from crm.core import campaigns

    open_store(args)
    out = campaigns.create(
        args.name,
        every=args.every,
        top_n=args.top,
        value=args.value,
        valid_days=args.valid_days,
        currency=args.currency,
        consent_only=not args.without_consent,
        active=not args.paused,
    )
    print_json(out)
    return EXIT_OK


def cmd_campaigns_edit(args: argparse.Namespace) -> int:
    from crm.core import campaigns

    open_store(args)
    out = campaigns.edit(
        args.name,
        name=args.rename,
        every=args.every,
        top_n=args.top,
        value=args.value,
        valid_days=args.valid_days,
        currency=args.currency,
        active=args.active,
        consent_only=args.consent_only,
    )
    print_json(out)
    return EXIT_OK


def _plan_lines(plan: dict[str, Any]) -> list[str]:
    money = plan["currency"]
    count = len(plan["included"])
    lines = [
        ngettext(
            "Batch '{batch}' for {period}: {n} voucher of {value} {money}, valid until {day}",
            "Batch '{batch}' for {period}: {n} vouchers of {value} {money}, valid until {day}",
            count,
        ).format(
            batch=plan["batch"],
            period=plan["period"],
            n=count,
            value=f"{plan['value']:.2f}",
            money=money,
            day=plan["expires"],
        ),
        _("In it (won value of the referrals they gave in the last 12 months, referrals won):"),
    ]
    lines += [_holder_line(h, money) for h in plan["included"]]
    if plan["left_out"]:
        lines.append(_("Left out, no marketing consent (their rank without that):"))
        lines += [_holder_line(h, money) for h in plan["left_out"]]
    return lines


def _holder_line(h: dict[str, Any], money: str) -> str:
    return "  " + _("{rank}. {name} (#{id}): {value} {money}, {won} won").format(
        rank=f"{h['rank']:>3}",
        name=h["name"],
        id=h["id"],
        value=f"{h['won_value']:,.2f}",
        money=money,
        won=h["converted"],
    )


def cmd_campaigns_run(args: argparse.Namespace) -> int:
    from crm.core import campaign_runs

    open_store(args)
    plan = campaign_runs.preview(args.name)
    refusal = campaign_runs.refusal_of(plan, force=args.force)
    already = plan["runs"] and plan["campaign"]["active"] and not args.force
    if refusal is not None and already:
        raise ValidationError(code="cli.campaigns.force_hint", field=refusal.field, refusal=refusal)
    if refusal is not None:
        raise refusal
    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError(code="cli.campaigns.asks_before_issuing")
        print("\n".join(_plan_lines(plan)), file=sys.stderr)
        if not confirm(
            ngettext("Issue {n} voucher?", "Issue {n} vouchers?", len(plan["included"])).format(
                n=len(plan["included"])
            )
        ):
            raise ValidationError(code="cli.campaigns.not_answered_yes")
    out = campaign_runs.run(args.name, force=args.force)
    print_json(out)
    return EXIT_OK


def cmd_campaigns_show(args: argparse.Namespace) -> int:
    from crm.core import campaign_return, campaign_runs, campaigns

    open_store(args)
    campaign = campaigns.get(args.name)
    totals = [campaign_return.plain(r) for r in campaign_return.returns(campaign.id)]
    periods = campaign_return.returns(campaign.id, group_by="period")
    plan = campaign_runs.preview(campaign.id)
    data = {
        **campaigns.to_dict(campaign),
        "return": totals[0] if totals else None,
        "periods": [campaign_return.plain(r) for r in periods],
        "next": {k: plan[k] for k in ("period", "batch", "included", "left_out", "runs")},
    }
    if args.json:
        print_json(data)
        return EXIT_OK
    money = campaign.currency
    state = "active" if campaign.active else "paused"
    print(
        f"{campaign.name}: every {campaign.every}, top {campaign.top_n}, "
        f"{campaign.value} {money} valid {campaign.valid_days} days ({state})"
    )
    for row in [*data["periods"], *([data["return"]] if data["return"] else [])]:
        label = row.get("period") or "Total"
        roi = "—" if row["roi"] is None else f"{row['roi']:+.0%}"
        print(
            f"  {label:<8} {row['vouchers']:>4} issued ({row['issued_value']:,.2f} {money}), "
            f"{row['redemptions']} redeemed ({row['redeemed_value']:,.2f}), cost "
            f"{row['cost']:,.2f}, {row['new_customers']} new customers won "
            f"{row['won_value']:,.2f}, return {roi}"
        )
    if not plan["runs"]:
        print("\n".join(_plan_lines(plan)))
    return EXIT_OK
