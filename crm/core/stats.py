"""What the referral program brings and what it costs, for a period (dashboard, ``crm stats``).

Definitions (one place, so the dashboard and the command agree):

* A referral counts for the period it was **received** in (``referred_on``).
  ``won`` is how many of those are won now, and ``won_value`` their value: the
  business a period's referrals brought, whenever it closed.
* ``conversion_rate`` is won / all referrals received in the period, open ones
  included (as the quality guard counts it); None when there are none.
* ``reward_cost`` is the amount of the rewards *created* in the period, pending
  or given, whoever received them (a two-sided friend's reward included).
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

from peewee import JOIN, Case, Value, fn

from crm.core import models, referrals
from crm.core.errors import ValidationError

CENT = Decimal("0.01")
TOP_N = 10
PERIOD_KINDS = ("month", "quarter", "year", "custom")
BEHIND_KINDS = ("all", "channel", "event", "program", "giver", "month")
# Guards the chain walk against a damaged file holding a cycle (as crm.core.chain does).
MAX_DEPTH = 1_000

Money = dict[str, Decimal]


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
            raise ValidationError("A custom period needs a first and a last day", "date_from")
        _check_order(date_from, date_to)
        return date_from, date_to
    if kind not in PERIOD_KINDS:
        raise ValidationError(
            f"Period must be one of {', '.join(PERIOD_KINDS)}, not '{kind}'", "period"
        )
    start, end = referrals.period_range(kind, today)
    assert start is not None and end is not None
    return start, end


def _check_order(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(
            f"The period starts ({date_from.isoformat()}) after it ends ({date_to.isoformat()})",
            "date_from",
        )


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first``'s to ``last``'s as ``YYYY-MM``, in order."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _month_bounds(key: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{key}-01")
    except (TypeError, ValueError):
        raise ValidationError(f"'{key}' is not a month (YYYY-MM)", "key") from None
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


# -- helpers -------------------------------------------------------------------------------


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _add(target: Money, currency: str, amount: Decimal) -> None:
    if amount:
        target[currency] = target.get(currency, Decimal("0.00")) + amount


def _slice() -> dict[str, Any]:
    return {"referrals": 0, "won": 0, "won_value": {}}


def _tally(entry: dict[str, Any], n: int, won: int, currency: str, value: Decimal) -> None:
    entry["referrals"] += n
    entry["won"] += won
    _add(entry["won_value"], currency, value)


def _raw(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a select as the driver returns them: no per-value conversion, which
    costs more than the query itself on a year of a large database's referrals."""
    return list(models.database_proxy.execute(query).fetchall())


_in_period = referrals.in_period


def _name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def _month_of(column: Any) -> Any:
    # "YYYY-MM" from a date, on SQLite (text) and PostgreSQL (date) alike.
    return fn.SUBSTR(column.cast("TEXT"), 1, 7)


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
    At most six queries.
    """
    _check_order(date_from, date_to)
    currency = profile_currency()
    out: dict[str, Any] = {
        "period": {"from": date_from, "to": date_to},
        "currency": currency,
    }
    totals = _slice()
    lost = 0
    by_channel: dict[str, dict[str, Any]] = {}
    by_program: dict[str, dict[str, Any]] = {p: _slice() for p in models.PROGRAMS}
    by_event: dict[int, dict[str, Any]] = {}
    per_month: dict[str, dict[str, Any]] = {}

    # One pass over the period's referrals, grouped finely; Python rolls it up. Event
    # titles join the grouped rows, not each referral.
    r, c, e = models.Referral, models.Contact, models.Event
    won, month = r.status == "won", _month_of(r.referred_on)
    grouped = _in_period(
        r.select(
            month.alias("month"),
            c.channel.alias("channel"),
            r.event.alias("event_id"),
            r.program.alias("program"),
            r.currency.alias("currency"),
            fn.COUNT(r.id).alias("n"),
            fn.SUM(Case(None, [(won, 1)], 0)).alias("n_won"),
            fn.SUM(Case(None, [(r.status == "lost", 1)], 0)).alias("n_lost"),
            fn.SUM(Case(None, [(won, r.value)], 0)).alias("value"),
        )
        .join(c, on=(r.referred == c.id))
        .group_by(month, c.channel, r.event, r.program, r.currency),
        date_from,
        date_to,
    ).alias("g")
    q = grouped.c
    titled = (
        models.Referral.select(
            q.month,
            q.channel,
            q.event_id,
            e.title,
            e.starts_at,
            q.program,
            q.currency,
            q.n,
            q.n_won,
            q.n_lost,
            q.value,
        )
        .from_(grouped)
        .join(e, JOIN.LEFT_OUTER, on=(e.id == q.event_id))
    )
    for key, channel, event_id, title, starts, program, cur, n, n_won, n_lost, value in _raw(
        titled
    ):
        n, n_won, amount = int(n), int(n_won or 0), _money(value)
        lost += int(n_lost or 0)
        for entry in (
            totals,
            by_channel.setdefault(channel, _slice()),
            by_program.setdefault(program, _slice()),
            per_month.setdefault(key, _slice()),
        ):
            _tally(entry, n, n_won, cur, amount)
        if event_id is not None:
            event = by_event.setdefault(
                event_id,
                {"id": event_id, "title": title, "date": models.as_date(starts), **_slice()},
            )
            _tally(event, n, n_won, cur, amount)

    out["referrals"], out["won"], out["lost"] = totals["referrals"], totals["won"], lost
    out["open"] = totals["referrals"] - totals["won"] - lost
    out["conversion_rate"] = (
        round(totals["won"] / totals["referrals"], 4) if totals["referrals"] else None
    )
    won_value: Money = dict(sorted(totals["won_value"].items()))
    out["won_value"] = won_value
    if not won_value:
        out["won_value_total"] = Decimal("0.00")
    elif set(won_value) == {currency}:
        out["won_value_total"] = won_value[currency]
    else:
        out["won_value_total"] = None

    cost, count, points = _reward_cost(date_from, date_to)
    out["reward_cost"], out["rewards"], out["reward_points"] = cost, count, points
    out["roi"] = roi(won_value, cost)
    out["top_referrers"] = _top_referrers(date_from, date_to, currency)

    def ranked(entry: dict[str, Any]) -> tuple[Any, ...]:
        return (-entry["won_value"].get(currency, 0), -entry["won"], -entry["referrals"])

    for entry in (*by_channel.values(), *by_program.values(), *by_event.values()):
        entry["won_value"] = dict(sorted(entry["won_value"].items()))
    out["by_channel"] = dict(sorted(by_channel.items(), key=lambda kv: (ranked(kv[1]), kv[0])))
    out["by_program"] = by_program
    out["by_event"] = sorted(by_event.values(), key=lambda ev: (ranked(ev), ev["title"], ev["id"]))
    # Every month of the period, empty ones too; an open end stops at the data's.
    keys = sorted(per_month)
    first = date_from or (_month_bounds(keys[0])[0] if keys else None)
    last = date_to or (_month_bounds(keys[-1])[0] if keys else None)
    months = months_between(first, last) if first and last else []
    out["per_month"] = {
        m: {
            "received": per_month[m]["referrals"] if m in per_month else 0,
            "won": per_month[m]["won"] if m in per_month else 0,
            "won_value": dict(sorted(per_month[m]["won_value"].items())) if m in per_month else {},
        }
        for m in months
    }
    return out


def _reward_cost(date_from: dt.date | None, date_to: dt.date | None) -> tuple[Money, int, int]:
    """Amount per currency, how many, and points of the rewards created in the period."""
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
    cost: Money = {}
    count = points = 0
    for cur, n, amount, pts in _raw(query):
        count += int(n)
        points += int(pts or 0)
        _add(cost, cur, _money(amount))
    return dict(sorted(cost.items())), count, points


def _top_referrers(
    date_from: dt.date | None, date_to: dt.date | None, currency: str
) -> dict[str, list[dict[str, Any]]]:
    """The top givers of the period by won value and by count, with network value.

    Won value ranks by the amount in the profile's currency (other currencies are
    shown beside it, never converted), then by referrals won; only givers with a
    won referral are ranked by it. Three queries: both lists with the givers'
    names, their won value per currency, and their network values.
    """
    r, c = models.Referral, models.Contact
    won = r.status == "won"
    per_giver_sql, params = _in_period(
        r.select(
            r.giver.alias("gid"),
            fn.COUNT(r.id).alias("n"),
            fn.SUM(Case(None, [(won, 1)], 0)).alias("w"),
            fn.SUM(Case(None, [(won & (r.currency == currency), r.value)], 0)).alias("v"),
        ).group_by(r.giver),
        date_from,
        date_to,
    ).sql()
    # Each list is a top-N sort of the per-giver tally (computed once), not a full sort;
    # only those rows leave the database.
    sql = (
        f"WITH g AS ({per_giver_sql}) "
        "SELECT t.gid, c.given_name, c.family_name, t.n, t.w, t.list, t.v FROM ("
        f"SELECT * FROM (SELECT gid, n, w, 'count' AS list, v FROM g "
        f"ORDER BY n DESC, w DESC, gid LIMIT {TOP_N}) AS a "
        "UNION ALL "
        f"SELECT * FROM (SELECT gid, n, w, 'value' AS list, v FROM g WHERE w > 0 "
        f"ORDER BY v DESC, w DESC, n DESC, gid LIMIT {TOP_N}) AS b"
        f") AS t JOIN {c._meta.table_name} AS c ON c.id = t.gid"
    )
    rows = list(models.database_proxy.execute_sql(sql, params).fetchall())
    if not rows:
        return {"by_won_value": [], "by_count": []}
    ids = sorted({int(row[0]) for row in rows})
    values: dict[int, Money] = {}
    per_currency = _in_period(
        r.select(r.giver, r.currency, fn.SUM(r.value))
        .where(won & r.giver.in_(ids))
        .group_by(r.giver, r.currency),
        date_from,
        date_to,
    )
    for gid, cur, value in _raw(per_currency):
        _add(values.setdefault(int(gid), {}), cur, _money(value))
    below = network_values(ids, date_from, date_to, min_depth=2)

    def entry(gid: int, given: str, family: str, n: int, n_won: int) -> dict[str, Any]:
        own = values.get(gid, {})
        network = dict(own)
        for cur, amount in below.get(gid, {}).items():
            _add(network, cur, amount)
        return {
            "id": gid,
            "name": _name(given, family),
            "referrals": int(n),
            "won": int(n_won or 0),
            "won_value": dict(sorted(own.items())),
            "network_value": dict(sorted(network.items())),
        }

    # A union promises no order: sort each list again (ten rows) by its own key.
    by_count = sorted(
        (row for row in rows if row[5] == "count"), key=lambda x: (-x[3], -x[4], x[0])
    )
    by_value = sorted(
        (row for row in rows if row[5] == "value"),
        key=lambda x: (-(x[6] or 0), -x[4], -x[3], x[0]),
    )
    return {
        "by_won_value": [entry(int(x[0]), *x[1:5]) for x in by_value],
        "by_count": [entry(int(x[0]), *x[1:5]) for x in by_count],
    }


def network_values(
    root_ids: list[int],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    min_depth: int = 1,
) -> dict[int, Money]:
    """Per root: the won value of everyone below it in the primary-referrer forest, from
    ``min_depth`` down (1: the people it referred), counting the primary referrals
    received in the period. One recursive CTE for all the roots."""
    if not root_ids:
        return {}
    base_r, step_r = models.Referral.alias("b"), models.Referral.alias("s")
    base = (
        base_r.select(
            base_r.giver.alias("root"),
            base_r.referred.alias("member"),
            Value(1).alias("depth"),
            base_r.status.alias("status"),
            base_r.value.alias("value"),
            base_r.currency.alias("currency"),
            base_r.referred_on.alias("day"),
        )
        .where(base_r.is_primary & base_r.giver.in_(root_ids))
        .cte("down", recursive=True)
    )
    step = (
        step_r.select(
            base.c.root,
            step_r.referred,
            base.c.depth + 1,
            step_r.status,
            step_r.value,
            step_r.currency,
            step_r.referred_on,
        )
        .join(base, on=((step_r.giver == base.c.member) & step_r.is_primary))
        .where(base.c.depth < MAX_DEPTH)
    )
    down = base.union_all(step)
    query = (
        down.select_from(down.c.root, down.c.currency, fn.SUM(down.c.value))
        .where((down.c.status == "won") & (down.c.depth >= min_depth))
        .group_by(down.c.root, down.c.currency)
    )
    # Compared as ISO text: the CTE's columns carry no field to convert a date.
    if date_from is not None:
        query = query.where(down.c.day >= date_from.isoformat())
    if date_to is not None:
        query = query.where(down.c.day <= date_to.isoformat())
    out: dict[int, Money] = {}
    for root, cur, value in _raw(query):
        _add(out.setdefault(int(root), {}), cur, _money(value))
    return {root: dict(sorted(values.items())) for root, values in out.items()}


# -- click-through -------------------------------------------------------------------------


def _behind(
    kind: str,
    key: Any,
    date_from: dt.date | None,
    date_to: dt.date | None,
    won_only: bool,
    query: Any,
) -> Any:
    """``query`` (over referral, joined to the referred contact as ``Contact``) narrowed to
    one slice of the summary."""
    r, c = models.Referral, models.Contact
    _check_order(date_from, date_to)
    if kind not in BEHIND_KINDS:
        raise ValidationError(
            f"Kind must be one of {', '.join(BEHIND_KINDS)}, not '{kind}'", "kind"
        )
    if kind == "channel":
        query = query.where(c.channel == str(key))
    elif kind == "event":
        query = query.where(r.event.is_null() if key is None else (r.event == int(key)))
    elif kind == "program":
        if key not in models.PROGRAMS:
            raise ValidationError(
                f"Program must be one of {', '.join(models.PROGRAMS)}, not '{key}'", "key"
            )
        query = query.where(r.program == key)
    elif kind == "giver":
        query = query.where(r.giver == int(key))
    elif kind == "month":
        first, last = _month_bounds(str(key))
        query = query.where((r.referred_on >= first) & (r.referred_on <= last))
    if won_only:
        query = query.where(r.status == "won")
    return _in_period(query, date_from, date_to).order_by(r.referred_on.desc(), r.id.desc())


def contacts_behind(
    kind: str,
    key: Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    won_only: bool = False,
) -> list[int]:
    """Ids of the referred contacts behind one slice of :func:`summary`, newest first.

    ``kind``: ``all``; ``channel`` (key a channel code); ``event`` (an event id, None
    for referrals at no event); ``program`` (a program code); ``giver`` (a contact
    id: whom they referred); ``month`` (``YYYY-MM``). ``won_only`` keeps the won
    referrals. One query.
    """
    r, c = models.Referral, models.Contact
    query = r.select(r.referred).join(c, on=(r.referred == c.id))
    seen: dict[int, None] = {}
    for (cid,) in models.rows(_behind(kind, key, date_from, date_to, won_only, query)):
        seen.setdefault(int(cid), None)
    return list(seen)


def referrals_behind(
    kind: str,
    key: Any,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    won_only: bool = False,
) -> list[dict[str, Any]]:
    """The referrals behind one slice (see :func:`contacts_behind`), newest first, each
    with ``id``, ``referred_id``, ``referred``, ``giver_id``, ``giver``,
    ``referred_on``, ``status``, ``value`` and ``currency``. One query."""
    r, c = models.Referral, models.Contact
    g = models.Contact.alias("g")
    query = (
        r.select(
            r.id,
            c.id,
            c.given_name,
            c.family_name,
            g.id,
            g.given_name,
            g.family_name,
            r.referred_on,
            r.status,
            r.value,
            r.currency,
        )
        .join(c, on=(r.referred == c.id))
        .switch(r)
        .join(g, on=(r.giver == g.id))
    )
    return [
        {
            "id": rid,
            "referred_id": cid,
            "referred": _name(cg, cf),
            "giver_id": gid,
            "giver": _name(gg, gf),
            "referred_on": models.as_date(day),
            "status": status,
            "value": _money(value) if value is not None else None,
            "currency": cur,
        }
        for rid, cid, cg, cf, gid, gg, gf, day, status, value, cur in models.rows(
            _behind(kind, key, date_from, date_to, won_only, query)
        )
    ]
