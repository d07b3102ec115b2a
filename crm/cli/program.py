"""``crm quality`` and ``crm stats``: how the referral program is doing."""

from __future__ import annotations

import argparse
from typing import Any

from crm.cli.common import (
    EXIT_OK,
    Subparsers,
    add_command,
    date_arg,
    open_store,
    period_end,
    positive_int,
    print_json,
)


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "quality",
        cmd_quality,
        "per-giver conversion, and givers and referrals to look at",
        example="crm quality --min-referrals 3 --json",
    )
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=period_end, metavar="YYYY-MM-DD")
    p.add_argument(
        "--min-referrals",
        type=positive_int,
        default=5,
        metavar="N",
        help="judge only givers with at least N referrals (default 5)",
    )
    p = add_command(
        subparsers,
        "stats",
        cmd_stats,
        "what the referral program brought and cost in a period",
        example="crm stats --from 2026-01-01 --to 2026-06-30 --json",
    )
    p.add_argument(
        "--from",
        dest="date_from",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="count referrals received from this day (default: the first)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=period_end,
        metavar="YYYY-MM-DD",
        help="count referrals received up to this day (default: the last)",
    )


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
