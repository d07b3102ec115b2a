"""``crm rewards list|give|policy|roi``: the reward ledger, the policy and its return."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    add_group,
    date_arg,
    id_arg,
    open_store,
    period_end,
    positive_int,
    print_json,
)
from crm.core import vocabulary


def register(subparsers: Subparsers) -> None:
    actions = add_group(
        subparsers,
        "rewards",
        "the reward ledger, the policy and its ROI",
        "rewards_command",
        example="crm rewards list --status pending",
    )
    p = add_command(
        actions,
        "list",
        cmd_rewards_list,
        "rewards pending and given, newest first",
        example="crm rewards list --status pending",
    )
    p.add_argument("--giver", type=id_arg, metavar="ID", help="only this contact's rewards")
    p.add_argument("--status", choices=vocabulary.REWARD_STATUSES)
    p.add_argument("--limit", type=positive_int, default=2000, metavar="N")
    p = add_command(
        actions,
        "give",
        cmd_rewards_give,
        "record that a pending reward was given",
        example="crm rewards give 9",
    )
    p.add_argument("id", type=id_arg, metavar="ID")
    _register_policy(actions)
    p = add_command(
        actions,
        "roi",
        cmd_rewards_roi,
        "won value against reward cost, per currency",
        example="crm rewards roi --group-by program",
    )
    p.add_argument("--group-by", default="giver", choices=("giver", "program", "period"))
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=period_end, metavar="YYYY-MM-DD")


def _register_policy(actions: Subparsers) -> None:
    p = add_command(
        actions,
        "policy",
        cmd_rewards_policy,
        "show the reward policy, or change it with options",
        example="crm rewards policy --trigger won --fixed-amount 25",
    )
    p.add_argument("--trigger", metavar="received|won")
    p.add_argument("--amount-mode", metavar="fixed|percent")
    p.add_argument("--fixed-amount", metavar="AMOUNT")
    p.add_argument("--percent", metavar="0-100")
    p.add_argument("--cap", metavar="AMOUNT", help='the most a percentage gives; "" for no cap')
    p.add_argument("--sides", metavar="one|two", help="two: also reward the referred friend")
    p.add_argument("--kind", metavar="|".join(vocabulary.REWARD_KINDS))
    p.add_argument("--limit-count", metavar="N", help="rewards per giver per period; 0: no limit")
    p.add_argument("--limit-days", metavar="DAYS", help="the period of the limit")


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
