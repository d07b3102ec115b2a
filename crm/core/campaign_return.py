"""What a voucher campaign returns against what it costs, per campaign or per period.

For the vouchers of a campaign's batches (:mod:`crm.core.campaign_runs`):

- ``issued_value``: the face value of every voucher issued (what it could cost);
- ``redemptions`` and ``redeemed_value``: the vouchers redeemed, and their face
  value, which is what they cost (:mod:`crm.core.rewards` counts it once, at the
  redemption);
- ``reward_cost``: other rewards given for the referrals those vouchers brought
  (the holder's reward under the reward policy), in the campaign's currency;
- ``cost``: ``redeemed_value + reward_cost``;
- ``friends``: the people who came with a campaign voucher; ``new_customers``:
  those of them whose referral was won, and ``won_value`` what was won from
  them (in the campaign's currency);
- ``roi``: ``(won_value - cost) / cost``, None while nothing was spent.

Each figure is one SQL aggregate (two queries in all), whatever the number of
vouchers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import models
from crm.core.rewards import CENT, VOUCHER_MARK

GROUPS = ("campaign", "period")


def _sum(condition: Any, value: Any) -> Any:
    return fn.COALESCE(fn.SUM(Case(None, [(condition, value)], 0)), 0)


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _roi(won: Decimal, cost: Decimal) -> float | None:
    return None if not cost else round(float((won - cost) / cost), 4)


def returns(campaign_id: int | None = None, group_by: str = "campaign") -> list[dict[str, Any]]:
    """The figures per campaign (every campaign, run or not) or per period it ran.

    Each row: ``campaign_id``, ``campaign``, ``currency``, ``runs`` (batches
    issued), ``vouchers``, and the figures of the module's docstring; per period
    also ``period``, ``batch`` and ``issued_at``. Campaigns by name, periods in
    the order they ran.
    """
    if group_by not in GROUPS:
        raise ValueError(group_by)
    c, r, v, ref = models.Campaign, models.CampaignRun, models.Voucher, models.Referral
    redeemed = v.status == "redeemed"
    won = redeemed & (ref.status == "won") & (ref.currency == v.currency)
    keys: list[Any] = [c.id, c.name, c.currency]
    if group_by == "period":
        keys += [r.id, r.period, r.batch, r.issued_at]
    query = (
        c.select(
            *keys,
            fn.COUNT(fn.DISTINCT(r.id)),
            fn.COUNT(v.id),
            fn.COALESCE(fn.SUM(v.value), 0),
            _sum(redeemed, 1),
            _sum(redeemed, v.value),
            fn.COUNT(fn.DISTINCT(Case(None, [(redeemed, ref.referred)], None))),
            fn.COUNT(fn.DISTINCT(Case(None, [(won, ref.referred)], None))),
            _sum(won, ref.value),
        )
        .join(r, JOIN.INNER if group_by == "period" else JOIN.LEFT_OUTER, on=(r.campaign == c.id))
        .join(v, JOIN.LEFT_OUTER, on=(v.batch == r.batch))
        .join(ref, JOIN.LEFT_OUTER, on=(v.referral == ref.id))
        .group_by(*keys)
        .order_by(c.name_folded, *([r.id] if group_by == "period" else []))
    )
    if campaign_id is not None:
        query = query.where(c.id == campaign_id)
    costs = _reward_costs(campaign_id, group_by)
    out = []
    for row in models.rows(query):
        head, figures = row[: len(keys)], row[len(keys) :]
        entry: dict[str, Any] = {
            "campaign_id": int(head[0]),
            "campaign": head[1],
            "currency": head[2],
        }
        if group_by == "period":
            entry.update(
                {
                    "run_id": int(head[3]),
                    "period": head[4],
                    "batch": head[5],
                    "issued_at": str(head[6])[:19],
                }
            )
        runs, count, issued, redemptions, redeemed_value, friends, new, won_value = figures
        reward_cost = costs.get(int(head[3] if group_by == "period" else head[0]), Decimal("0.00"))
        redeemed_money = _money(redeemed_value)
        cost = redeemed_money + reward_cost
        entry.update(
            {
                "runs": int(runs),
                "vouchers": int(count),
                "issued_value": _money(issued),
                "redemptions": int(redemptions),
                "redeemed_value": redeemed_money,
                "reward_cost": reward_cost,
                "cost": cost,
                "friends": int(friends),
                "new_customers": int(new),
                "won_value": _money(won_value),
                "roi": _roi(_money(won_value), cost),
            }
        )
        out.append(entry)
    return out


def _reward_costs(campaign_id: int | None, group_by: str) -> dict[int, Decimal]:
    """Rewards, besides the vouchers' face value, for the referrals campaign vouchers brought."""
    r, v, w = models.CampaignRun, models.Voucher, models.Reward
    key = r.id if group_by == "period" else r.campaign
    query = (
        r.select(key, fn.COALESCE(fn.SUM(w.amount), 0))
        .join(v, on=(v.batch == r.batch))
        .join(w, on=(w.referral == v.referral))
        .where((w.points >= 0) & (w.currency == v.currency) & ~w.notes.startswith(VOUCHER_MARK))
        .group_by(key)
    )
    if campaign_id is not None:
        query = query.where(r.campaign == campaign_id)
    return {int(k): _money(total) for k, total in models.rows(query)}


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A figures row as JSON keeps it: money as numbers with two decimals."""
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}
