"""What the referral program brings and what it costs, for a period (dashboard, ``crm stats``).

Definitions (one place, so the dashboard and the command agree):

* A referral counts for the period it was **received** in (``referred_on``).
  ``won`` is how many of those are won now, and ``won_value`` their value: the
  business a period's referrals brought, whenever it closed.
* ``conversion_rate`` is won / all referrals received in the period, open ones
  included (as the quality guard counts it); None when there are none.
* ``reward_cost`` is the amount of the rewards *created* in the period, pending
  or given, whoever received them (a two-sided friend's reward included); the
  face value of a voucher redeemed in the period is one of them (an issued
  voucher costs nothing until it is redeemed).
  Redeeming points costs nothing: their cost was counted when they were earned.
* ``roi`` is ``(won_value - reward_cost) / reward_cost`` per currency; None for
  a currency nothing was spent in.
* Money stays per currency (``{"EUR": Decimal("1200.00")}``), never added
  across currencies. ``won_value_total`` is the one figure in the profile's
  currency, given only when every won referral of the period is in it.
* ``network_value`` of a top referrer is their own won value plus the won value
  of everyone further down their chain in the primary-referrer forest (the
  people their referrals referred, at any depth), counting referrals received
  in the period. It is never less than their own won value.

:func:`summary` runs a fixed number of queries whatever the data's size; the
network values of all the listed referrers come from one recursive CTE.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import model_indexes, models, referrals
from crm.core.errors import ValidationError
from crm.core.stats_behind import BEHIND_KINDS as BEHIND_KINDS
from crm.core.stats_behind import contacts_behind as contacts_behind
from crm.core.stats_behind import referrals_behind as referrals_behind
from crm.core.stats_common import CENT as CENT
from crm.core.stats_common import Money as Money
from crm.core.stats_common import add as _add
from crm.core.stats_common import check_order as _check_order
from crm.core.stats_common import empty_slice as _slice
from crm.core.stats_common import money as _money
from crm.core.stats_common import month_bounds as _month_bounds
from crm.core.stats_common import month_of as _month_of
from crm.core.stats_common import raw as _raw
from crm.core.stats_common import raw_on_index as _raw_on_index
from crm.core.stats_referrers import TOP_N as TOP_N
from crm.core.stats_referrers import network_values as network_values
from crm.core.stats_referrers import top_referrers as _top_referrers

PERIOD_KINDS = ("month", "quarter", "year", "custom")

_in_period = referrals.in_period


# -- periods -------------------------------------------------------------------------------


def period_range(
    kind: str,
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last day of this month, quarter or year; or the custom ``date_from`` to
    ``date_to`` (both needed, in order)."""
    if kind == "custom":
        if date_from is None or date_to is None:
            raise ValidationError(code="stats.custom_period_needs_first", field="date_from")
        _check_order(date_from, date_to)
        return date_from, date_to
    if kind not in PERIOD_KINDS:
        raise ValidationError(
            code="stats.unknown_period",
            field="period",
            period_kinds=", ".join(PERIOD_KINDS),
            kind=kind,
        )
    start, end = referrals.period_range(kind, today)
    assert start is not None and end is not None
    return start, end


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first``'s to ``last``'s as ``YYYY-MM``, in order."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# -- helpers -------------------------------------------------------------------------------


def profile_currency() -> str:
    """The profile's currency, without creating the profile (a read must not write)."""
    p = models.Profile
    found = models.rows(p.select(p.currency).where(p.id == 1))
    return str(found[0][0]) if found and found[0][0] else "EUR"


def any_referrals() -> bool:
    """Whether the database holds a referral at all (for the empty state)."""
    return bool(models.Referral.select(models.Referral.id).limit(1).exists())


def roi(won_value: Money, cost: Money) -> dict[str, float | None]:
    """``(won - cost) / cost`` per currency of either; None where nothing was spent."""
    out: dict[str, float | None] = {}
    for currency in sorted(set(won_value) | set(cost)):
        spent = cost.get(currency, Decimal("0"))
        won = won_value.get(currency, Decimal("0"))
        out[currency] = round(float((won - spent) / spent), 4) if spent else None
    return out


# -- the summary ---------------------------------------------------------------------------


def summary(date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """The program's figures for referrals received from ``date_from`` to ``date_to``
    (inclusive; None leaves that end open). See the module's docstring for what each
    figure means. Keys: ``period``, ``currency``, ``referrals``, ``won``, ``lost``,
    ``open``, ``conversion_rate``, ``won_value``, ``won_value_total``, ``reward_cost``,
    ``rewards``, ``reward_points``, ``roi``, ``top_referrers`` (``by_won_value`` and
    ``by_count``), ``by_channel``, ``by_event``, ``by_program`` and ``per_month``.
    At most eight queries.
    """
    _check_order(date_from, date_to)
    currency = profile_currency()
    out: dict[str, Any] = {
        "period": {"from": date_from, "to": date_to},
        "currency": currency,
    }
    s = _Slices()
    for row in _raw(_grouped(date_from, date_to)):
        s.add(row)
    for row in _raw(_by_channel(date_from, date_to)):
        s.add_channel(row)
    for row in _raw_on_index(_by_event(date_from, date_to), model_indexes.EVENT_PERIOD_INDEX):
        s.add_event(row)
    out.update(_totals(s.totals, s.lost, currency))
    cost, count, points = _reward_cost(date_from, date_to)
    out["reward_cost"], out["rewards"], out["reward_points"] = cost, count, points
    out["roi"] = roi(out["won_value"], cost)
    out["top_referrers"] = _top_referrers(date_from, date_to, currency)

    def ranked(entry: dict[str, Any]) -> tuple[Any, ...]:
        return (-entry["won_value"].get(currency, 0), -entry["won"], -entry["referrals"])

    for entry in (*s.by_channel.values(), *s.by_program.values(), *s.by_event.values()):
        entry["won_value"] = dict(sorted(entry["won_value"].items()))
    out["by_channel"] = dict(sorted(s.by_channel.items(), key=lambda kv: (ranked(kv[1]), kv[0])))
    out["by_program"] = s.by_program
    out["by_event"] = sorted(
        s.by_event.values(), key=lambda ev: (ranked(ev), ev["title"], ev["id"])
    )
    out["per_month"] = _per_month(s.per_month, date_from, date_to)
    return out


def _tallies(r: Any) -> tuple[Any, Any, Any]:
    """How many referrals, how many won, and the won ones' value (of a group of ``r``)."""
    won = r.status == "won"
    return (
        fn.COUNT(r.id),
        fn.SUM(Case(None, [(won, 1)], 0)),
        fn.SUM(Case(None, [(won, r.value)], 0)),
    )


def _grouped(date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """The period's referrals grouped by month, program and currency (with the lost).

    Tallied per day as the period index gives them, in the order it is grouped by
    (no sort of the period's referrals); the days' few rows are then added up per
    month. Channels and events are tallied apart (:func:`_by_channel`,
    :func:`_by_event`): grouped together, every referral would be sorted.
    """
    r = models.Referral
    n, n_won, value = _tallies(r)
    per_day = _in_period(
        r.select(
            r.referred_on.alias("day"),
            r.currency.alias("currency"),
            r.program.alias("program"),
            n.alias("n"),
            n_won.alias("n_won"),
            fn.SUM(Case(None, [(r.status == "lost", 1)], 0)).alias("n_lost"),
            value.alias("value"),
        ).group_by(r.referred_on, r.currency, r.program),
        date_from,
        date_to,
    ).alias("d")
    q = per_day.c
    month = _month_of(q.day)
    return (
        models.Referral.select(
            month,
            q.program,
            q.currency,
            fn.SUM(q.n),
            fn.SUM(q.n_won),
            fn.SUM(q.n_lost),
            fn.SUM(q.value),
        )
        .from_(per_day)
        .group_by(month, q.program, q.currency)
    )


def _by_channel(date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """The period's referrals per channel of the referred contact, and currency."""
    r, c = models.Referral, models.Contact
    return _in_period(
        r.select(c.channel, r.currency, *_tallies(r))
        .join(c, on=(r.referred == c.id))
        .group_by(c.channel, r.currency),
        date_from,
        date_to,
    )


def _by_event(date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """The period's referrals at an event, per event and currency, with its title and day.

    Read from the partial index of the referrals at events: a period's few of them,
    not all its referrals."""
    r, e = models.Referral, models.Event
    n, n_won, value = _tallies(r)
    grouped = _in_period(
        r.select(
            r.event.alias("event_id"),
            r.currency.alias("currency"),
            n.alias("n"),
            n_won.alias("n_won"),
            value.alias("value"),
        )
        .where(r.event.is_null(False))
        .group_by(r.event, r.currency),
        date_from,
        date_to,
    ).alias("g")
    q = grouped.c
    return (
        models.Referral.select(q.event_id, e.title, e.starts_at, q.currency, q.n, q.n_won, q.value)
        .from_(grouped)
        .join(e, JOIN.LEFT_OUTER, on=(e.id == q.event_id))
    )


class _Slices:
    """The grouped rows rolled up: in all, per channel, program, event and month."""

    def __init__(self) -> None:
        self.totals = _slice()
        self.lost = 0
        self.by_channel: dict[str, dict[str, Any]] = {}
        self.by_program: dict[str, dict[str, Any]] = {p: _slice() for p in models.PROGRAMS}
        self.by_event: dict[int, dict[str, Any]] = {}
        self.per_month: dict[str, dict[str, Any]] = {}

    def add(self, row: tuple[Any, ...]) -> None:
        """One row of :func:`_grouped`."""
        key, program, cur, n, n_won, n_lost, value = row
        self.lost += int(n_lost or 0)
        entries = (
            self.totals,
            self.by_program.get(program) or self.by_program.setdefault(program, _slice()),
            self.per_month.get(key) or self.per_month.setdefault(key, _slice()),
        )
        _tally(entries, int(n), int(n_won or 0), cur, value)

    def add_channel(self, row: tuple[Any, ...]) -> None:
        """One row of :func:`_by_channel`."""
        channel, cur, n, n_won, value = row
        entry = self.by_channel.get(channel) or self.by_channel.setdefault(channel, _slice())
        _tally((entry,), int(n), int(n_won or 0), cur, value)

    def add_event(self, row: tuple[Any, ...]) -> None:
        """One row of :func:`_by_event`."""
        event_id, title, starts, cur, n, n_won, value = row
        event = self.by_event.get(event_id)
        if event is None:
            event = self.by_event[event_id] = {
                "id": event_id,
                "title": title,
                "date": models.as_date(starts),
                **_slice(),
            }
        _tally((event,), int(n), int(n_won or 0), cur, value)


def _tally(entries: tuple[dict[str, Any], ...], n: int, n_won: int, cur: str, value: Any) -> None:
    for entry in entries:
        entry["referrals"] += n
        entry["won"] += n_won
    # Only won referrals carry a value: most groups have none to convert and add.
    amount = _money(value) if value else None
    if amount:
        for entry in entries:
            _add(entry["won_value"], cur, amount)


def _totals(totals: dict[str, Any], lost: int, currency: str) -> dict[str, Any]:
    """Counts, conversion and won value of the whole period."""
    n, won = totals["referrals"], totals["won"]
    won_value: Money = dict(sorted(totals["won_value"].items()))
    if not won_value:
        total: Decimal | None = Decimal("0.00")
    elif set(won_value) == {currency}:
        total = won_value[currency]
    else:
        total = None
    return {
        "referrals": n,
        "won": won,
        "lost": lost,
        "open": n - won - lost,
        "conversion_rate": round(won / n, 4) if n else None,
        "won_value": won_value,
        "won_value_total": total,
    }


def _per_month(
    per_month: dict[str, dict[str, Any]], date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, dict[str, Any]]:
    """Every month of the period, empty ones too; an open end stops at the data's."""
    keys = sorted(per_month)
    first = date_from or (_month_bounds(keys[0])[0] if keys else None)
    last = date_to or (_month_bounds(keys[-1])[0] if keys else None)
    months = months_between(first, last) if first and last else []
    empty = _slice()
    return {
        m: {
            "received": per_month.get(m, empty)["referrals"],
            "won": per_month.get(m, empty)["won"],
            "won_value": dict(sorted(per_month.get(m, empty)["won_value"].items())),
        }
        for m in months
    }


def _reward_cost(date_from: dt.date | None, date_to: dt.date | None) -> tuple[Money, int, int]:
    """Amount per currency, how many, and points of the rewards created in the period."""
    cost: Money = {}
    count = points = 0
    for cur, n, amount, pts in _raw(_reward_cost_query(date_from, date_to)):
        count += int(n)
        points += int(pts or 0)
        _add(cost, cur, _money(amount))
    return dict(sorted(cost.items())), count, points


def _reward_cost_query(date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """The rewards of the period per currency (read from their covering index, in its order)."""
    w = models.Reward
    query = (
        w.select(w.currency, fn.COUNT(w.id), fn.SUM(w.amount), fn.SUM(w.points))
        .where(w.points >= 0)  # a points redemption is not a reward
        .group_by(w.currency)
    )
    if date_from is not None:
        query = query.where(w.created_at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to is not None:
        after = date_to + dt.timedelta(days=1)
        query = query.where(w.created_at < dt.datetime.combine(after, dt.time.min))
    return query
