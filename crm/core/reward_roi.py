"""What the referral program returns: won business against the cost of its rewards.

**ROI** sets the won value of referred business against the cost of the
rewards (:mod:`crm.core.rewards`), per currency, never adding currencies
together: ``(won - cost) / cost``, with the periods counted as
:mod:`crm.core.stats` counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from peewee import JOIN, SQL, fn

from crm.core import models
from crm.core.errors import ValidationError
from crm.core.rewards import CENT, _name

GROUPS = ("giver", "program", "period")


def _roi(won: Decimal, cost: Decimal) -> float | None:
    return None if not cost else round(float((won - cost) / cost), 4)


def _month(column: Any) -> Any:
    # "YYYY-MM" from a date or timestamp, on SQLite and PostgreSQL alike (literal
    # positions: PostgreSQL groups by it only when written as it is selected).
    return fn.SUBSTR(column.cast("TEXT"), SQL("1"), SQL("7"))


def roi(
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: str = "giver",
) -> list[dict[str, Any]]:
    """Won value of referred business against the cost of rewards, per group and currency.

    As ``crm stats`` counts them: won business counts for the period its
    referral was received in (``referred_on``), a reward's cost for the period
    the reward was created in, pending or given. ``group_by`` is ``giver`` (the
    giver of the rewarded referral, whoever received the reward; a reward added
    by hand without a referral counts for the contact who got it), ``program``
    or ``period`` (the month, ``YYYY-MM``).

    Each row: ``group`` (giver id, program code or month; None for rewards
    without a referral by program), ``label`` (the giver's name, else the
    group), ``currency``, ``won_value``, ``cost``, ``won`` (referrals won),
    ``rewards`` (how many), ``roi`` (``(won_value - cost) / cost``, None when
    nothing was spent), ``total`` (False). The overall totals follow, one row
    per currency, with ``total`` True and ``group`` None. Two queries.
    """
    if group_by not in GROUPS:
        raise ValidationError(
            code="reward_roi.unknown_group",
            field="group_by",
            groups=", ".join(GROUPS),
            group_by=group_by,
        )
    won_query, cost_query = _queries(group_by, date_from, date_to)
    table: dict[tuple[Any, str], dict[str, Any]] = {}

    def entry(
        key: Any, cur: str, given: str | None = None, family: str | None = None
    ) -> dict[str, Any]:
        if group_by == "giver":
            key = int(key)
        label = _name(given, family) if group_by == "giver" else (key or "")
        return table.setdefault((key, cur), _row(key, label, cur, total=False))

    for key, cur, total, n, *name in models.rows(won_query):
        row = entry(key, cur, *name)
        row["won_value"] += Decimal(str(total or 0)).quantize(CENT)
        row["won"] += int(n)
    for key, cur, total, n, *name in models.rows(cost_query):
        row = entry(key, cur, *name)
        row["cost"] += Decimal(str(total or 0)).quantize(CENT)
        row["rewards"] += int(n)
    totals = _totals(table.values())
    return sorted(table.values(), key=_order(group_by)) + [totals[c] for c in sorted(totals)]


def _row(group: Any, label: str, currency: str, *, total: bool) -> dict[str, Any]:
    return {
        "group": group,
        "label": label,
        "currency": currency,
        "won_value": Decimal("0.00"),
        "cost": Decimal("0.00"),
        "won": 0,
        "rewards": 0,
        "roi": None,
        "total": total,
    }


def _queries(group_by: str, date_from: dt.date | None, date_to: dt.date | None) -> tuple[Any, Any]:
    """The won business and the rewards' cost of the period, grouped by ``group_by``."""
    r, w = models.Referral, models.Reward
    giver = models.Contact.alias("g")
    owner = fn.COALESCE(r.giver, w.contact)  # a reward added by hand: whoever got it
    won_key: Any
    cost_key: Any
    if group_by == "giver":
        won_key, cost_key = r.giver, owner
    elif group_by == "program":
        won_key = cost_key = r.program
    else:
        won_key = _month(r.referred_on)
        cost_key = _month(w.created_at)
    won_query = r.select(won_key, r.currency, fn.SUM(r.value), fn.COUNT(r.id)).where(
        r.status == "won"
    )
    if date_from is not None:
        won_query = won_query.where(r.referred_on >= date_from)
    if date_to is not None:
        won_query = won_query.where(r.referred_on <= date_to)
    # Points redeemed cost nothing more (counted when earned).
    cost_query = (
        w.select(cost_key, w.currency, fn.SUM(w.amount), fn.COUNT(w.id))
        .join(r, JOIN.LEFT_OUTER, on=(w.referral == r.id))
        .where(w.points >= 0)
    )
    if date_from is not None:
        cost_query = cost_query.where(w.created_at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        cost_query = cost_query.where(w.created_at < end)
    if group_by != "giver":
        return won_query.group_by(won_key, r.currency), cost_query.group_by(cost_key, w.currency)
    # The giver's name comes with each group, so no query per giver.
    names = (giver.given_name, giver.family_name)
    won_query = (
        won_query.select_extend(*names)
        .join(giver, on=(r.giver == giver.id))
        .group_by(won_key, r.currency, *names)
    )
    cost_query = (
        cost_query.select_extend(*names)
        .switch(w)
        .join(giver, on=(giver.id == owner))
        .group_by(cost_key, w.currency, *names)
    )
    return won_query, cost_query


def _totals(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each row's ROI, and the overall totals per currency."""
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        row["roi"] = _roi(row["won_value"], row["cost"])
        total = totals.setdefault(row["currency"], _row(None, "", row["currency"], total=True))
        for field in ("won_value", "cost", "won", "rewards"):
            total[field] += row[field]
    for total in totals.values():
        total["roi"] = _roi(total["won_value"], total["cost"])
    return totals


def _order(group_by: str) -> Callable[[dict[str, Any]], Any]:
    """Givers by won value and cost, programs in their order, months in time."""
    if group_by == "giver":
        return lambda e: (-e["won_value"], -e["cost"], e["label"].casefold(), e["currency"])
    if group_by == "program":
        rank = {p: i for i, p in enumerate(models.PROGRAMS)}
        return lambda e: (rank.get(e["group"], len(rank)), e["currency"])
    return lambda e: (e["group"] or "", e["currency"])
