"""Subcommands of the referral program: rewards, the quality guard, stats."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import EXIT_OK, open_store, print_json


def cmd_quality(args: argparse.Namespace) -> int:
    from crm.core import quality

    open_store(args)
    givers = quality.giver_stats(args.date_from, args.date_to)
    data = quality.flags(
        min_referrals=args.min_referrals,
        date_from=args.date_from,
        date_to=args.date_to,
        stats=givers,
    )
    data["givers"] = givers
    if args.json:
        print_json(data)
        return EXIT_OK
    givers, refs = data["suspicious_givers"], data["suspicious_referrals"]
    average = data["average_conversion_rate"]
    n = len(data["givers"])
    print(
        (f"{n} giver" if n == 1 else f"{n} givers")
        + "; average conversion rate "
        + (f"{average:.0%}" if average is not None else "n/a")
    )
    print(f"Givers to look at: {len(givers) or 'none'}")
    for g in givers:
        print(f"  #{g['id']:<6} {g['name']}: {g['reason']}")
    print(f"Referrals to look at: {len(refs) or 'none'}")
    for r in refs:
        print(f"  #{r['id']:<6} {r['giver']} → {r['referred']} ({r['referred_on']}): {r['reason']}")
    return EXIT_OK


def _money_text(values: dict[str, Any]) -> str:
    """Amounts per currency, never added together: "1,200.00 EUR + 80.00 USD"."""
    return " + ".join(f"{v:,.2f} {c}" for c, v in values.items()) or "0"


def _tally_text(entry: dict[str, Any]) -> str:
    n = entry["referrals"]
    return (
        f"{n} referral{'s' if n != 1 else ''}, {entry['won']} won, "
        f"{_money_text(entry['won_value'])}"
    )


def cmd_stats(args: argparse.Namespace) -> int:
    from crm.core import stats

    open_store(args)
    data = stats.summary(args.date_from, args.date_to)
    if args.json:
        print_json(data)
        return EXIT_OK
    start, end = data["period"]["from"], data["period"]["to"]
    period = f"{start or 'the start'} to {end or 'today'}" if start or end else "all time"
    rate = data["conversion_rate"]
    print(f"Referrals received, {period}: {data['referrals']}")
    print(
        f"Won: {data['won']} ({f'{rate:.1%}' if rate is not None else 'n/a'} converted); "
        f"lost {data['lost']}; open {data['open']}"
    )
    print(f"Won value: {_money_text(data['won_value'])}")
    n = data["rewards"]
    print(f"Reward cost: {_money_text(data['reward_cost'])} ({n} reward{'s' if n != 1 else ''})")
    roi = [f"{c} {v:+.0%}" for c, v in data["roi"].items() if v is not None]
    print(f"ROI: {', '.join(roi) or 'n/a (no reward cost)'}")
    for key, title in (("by_won_value", "by won value"), ("by_count", "by count")):
        print(f"Top referrers {title}:")
        for g in data["top_referrers"][key]:
            print(
                f"  #{g['id']:<6} {g['name']}: {_tally_text(g)}; "
                f"network {_money_text(g['network_value'])}"
            )
    print("By program:")
    for code, entry in data["by_program"].items():
        print(f"  {code:<10} {_tally_text(entry)}")
    print("By channel:")
    for code, entry in data["by_channel"].items():
        print(f"  {code:<14} {_tally_text(entry)}")
    print("By event (top 10):")
    for ev in data["by_event"][:10]:
        print(f"  #{ev['id']:<5} {ev['date']} {ev['title']}: {_tally_text(ev)}")
    print("Per month:")
    for month, entry in data["per_month"].items():
        print(
            f"  {month}  {entry['received']:>5} received {entry['won']:>5} won  "
            f"{_money_text(entry['won_value'])}"
        )
    return EXIT_OK


def _reward_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "amount": str(row["amount"])}


def cmd_rewards_list(args: argparse.Namespace) -> int:
    from crm.core import rewards

    open_store(args)
    rows = rewards.ledger(giver_id=args.giver, status=args.status, limit=args.limit)
    if args.json:
        print_json([_reward_json(r) for r in rows])
        return EXIT_OK
    for r in rows:
        what = f"{r['points']} points" if r["points"] else f"{r['amount']} {r['currency']}"
        why = f"referral {r['referral_id']} ({r['referred']})" if r["referral_id"] else "by hand"
        day = (r["created"] or "")[:10]
        print(
            f"{r['id']:>7}  {r['status']:<8} {day}  {r['contact']:<28} {r['kind']:<17} "
            f"{what:>14}  {why}"
        )
    if not rows:
        print("No rewards found.", file=sys.stderr)
    return EXIT_OK


def cmd_rewards_give(args: argparse.Namespace) -> int:
    from crm.core import rewards

    open_store(args)
    row = rewards.mark_given(args.id)
    if args.json:
        print_json(_reward_json(row))
    else:
        print(f"Reward {row['id']} for {row['contact']} given ({row['kind']})")
    return EXIT_OK


_POLICY_OPTIONS = (
    "trigger",
    "amount_mode",
    "fixed_amount",
    "percent",
    "cap",
    "sides",
    "kind",
    "limit_count",
    "limit_days",
)


def cmd_rewards_policy(args: argparse.Namespace) -> int:
    from crm.core import reward_policy

    open_store(args)
    changes = {k: getattr(args, k) for k in _POLICY_OPTIONS if getattr(args, k) is not None}
    policy = reward_policy.set_policy(**changes) if changes else reward_policy.get_policy()
    if args.json:
        print_json(policy.to_dict())
        return EXIT_OK
    if policy.amount_mode == "fixed":
        amount = f"fixed, {policy.fixed_amount} in the referral's currency"
    else:
        cap = f", at most {policy.cap}" if policy.cap is not None else ", no cap"
        amount = f"{policy.percent}% of the won value{cap}"
    limit = (
        f"at most {policy.limit_count} per giver every {policy.limit_days} days"
        if policy.limit_count
        else "none"
    )
    print(f"Trigger: referral {policy.trigger}")
    print(f"Amount:  {amount}")
    print(f"Rewards: {'the giver' if policy.sides == 'one' else 'the giver and the friend'}")
    print(f"Kind:    {policy.kind}")
    print(f"Limit:   {limit}")
    return EXIT_OK


def cmd_rewards_roi(args: argparse.Namespace) -> int:
    from crm.core import reward_roi

    open_store(args)
    rows = reward_roi.roi(args.date_from, args.date_to, group_by=args.group_by)
    if args.json:
        print_json([{**r, "won_value": str(r["won_value"]), "cost": str(r["cost"])} for r in rows])
        return EXIT_OK
    for r in rows:
        label = "Total" if r["total"] else (r["label"] or "(no referral)")
        roi = f"{r['roi']:.0%}" if r["roi"] is not None else "n/a"
        print(
            f"{label:<30} {r['currency']}  won {r['won_value']:>12}  cost {r['cost']:>10}  "
            f"ROI {roi:>8}"
        )
    return EXIT_OK
