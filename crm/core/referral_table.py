"""The referrals table: filters, ordering, pages and pipeline totals, each in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import clock, models
from crm.core.errors import ValidationError

db = models.database_proxy


def in_period(query: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """``query`` limited to referrals received between the two days (either may be open)."""
    r = models.Referral
    if date_from is not None:
        query = query.where(r.referred_on >= date_from)
    if date_to is not None:
        query = query.where(r.referred_on <= date_to)
    return query


# Columns of a table page, in this order, as plain tuples (see rows_for_ids).
ROW_COLUMNS = (
    "id",
    "giver_id",
    "giver",
    "referred_id",
    "referred",
    "referred_on",
    "program",
    "temperature",
    "status",
    "value",
    "currency",
    "event_id",
    "event",
    "is_primary",
    "suspicion",
)
ORDERS = ("giver", "referred", "date", "program", "temperature", "status", "value", "event")
PERIODS = ("all", "month", "quarter", "year")


def period_range(
    period: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of this month, quarter or year (``(None, None)`` for all)."""
    day = today or clock.today()
    if period == "all":
        return None, None
    if period == "month":
        start = day.replace(day=1)
        months = 1
    elif period == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif period == "year":
        start = day.replace(month=1, day=1)
        months = 12
    else:
        raise ValidationError(
            code="referral_table.unknown_period",
            field="period",
            periods=", ".join(PERIODS),
            period=period,
        )
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _filtered(
    query: Any,
    *,
    status: str | None = None,
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Any:
    r = models.Referral
    if status is not None:
        query = query.where(r.status == status)
    if giver_id is not None:
        query = query.where(r.giver == giver_id)
    if event_id is not None:
        query = query.where(r.event == event_id)
    if program is not None:
        query = query.where(r.program == program)
    return in_period(query, date_from, date_to)


def query_ids(
    status: str | None = None,
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str = "date",
    descending: bool = True,
) -> list[int]:
    """Ids of the referrals that pass the filters, ordered in SQL (one query)."""
    if order not in ORDERS:
        raise ValidationError(
            code="referral_table.unknown_order",
            field="order",
            orders=", ".join(ORDERS),
            order=order,
        )
    r, e = models.Referral, models.Event
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    query = r.select(r.id)
    keys: list[Any]
    if order == "giver":
        query = query.join(giver, on=(r.giver == giver.id))
        keys = [giver.family_name, giver.given_name]
    elif order == "referred":
        query = query.join(referred, on=(r.referred == referred.id))
        keys = [referred.family_name, referred.given_name]
    elif order == "event":
        query = query.join(e, JOIN.LEFT_OUTER, on=(r.event == e.id))
        keys = [e.starts_at, e.title]
    elif order == "status":
        keys = [Case(r.status, [(s, i) for i, s in enumerate(models.REFERRAL_STATUSES)])]
    elif order == "value":
        keys = [fn.COALESCE(r.value, -1)]
    elif order == "date":
        keys = [r.referred_on]
    else:
        keys = [getattr(r, order)]
    query = _filtered(
        query,
        status=status,
        giver_id=giver_id,
        event_id=event_id,
        program=program,
        date_from=date_from,
        date_to=date_to,
    )
    # Referrals without an event come after those with one, whichever the direction.
    terms: list[Any] = [r.event.is_null()] if order == "event" else []
    terms += [k.desc() if descending else k.asc() for k in (*keys, r.id)]
    # Straight from the cursor: turning 100,000 rows into peewee tuples costs
    # several times what SQLite takes to sort them.
    sql, params = query.order_by(*terms).sql()
    return [row[0] for row in db.execute_sql(sql, params)]


def rows_for_ids(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """Referrals as tuples in ``ROW_COLUMNS`` order, in ``ids`` order (one query)."""
    if not ids:
        return []
    r, e = models.Referral, models.Event
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    query = (
        r.select(
            r.id,
            r.giver,
            giver.given_name,
            giver.family_name,
            r.referred,
            referred.given_name,
            referred.family_name,
            r.referred_on,
            r.program,
            r.temperature,
            r.status,
            r.value,
            r.currency,
            r.event,
            e.title,
            r.is_primary,
            r.suspicion,
        )
        .join(giver, on=(r.giver == giver.id))
        .switch(r)
        .join(referred, on=(r.referred == referred.id))
        .switch(r)
        .join(e, JOIN.LEFT_OUTER, on=(r.event == e.id))
        .where(r.id.in_(list(ids)))
    )
    found: dict[int, tuple[Any, ...]] = {}
    for rid, gid, g1, g2, did, d1, d2, *middle, title, primary, suspicion in models.rows(query):
        # middle: referred_on, program, temperature, status, value, currency, event id
        found[rid] = (rid, gid, _name(g1, g2), did, _name(d1, d2), *middle,
                      title or "", bool(primary), suspicion or "")  # fmt: skip
    return [found[i] for i in ids if i in found]


def _name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def pipeline_totals(
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, dict[str, Any]]:
    """Per status: how many referrals pass the filters and their value per currency.

    ``{"won": {"count": 12, "values": {"EUR": Decimal("5400.00")}}, ...}`` for
    every status, in pipeline order. Only won referrals carry a value, so the
    counts come from the status index alone and the sums from the won rows
    (two queries).
    """
    r = models.Referral
    filters: dict[str, Any] = {
        "giver_id": giver_id,
        "event_id": event_id,
        "program": program,
        "date_from": date_from,
        "date_to": date_to,
    }
    out: dict[str, dict[str, Any]] = {
        s: {"count": 0, "values": {}} for s in models.REFERRAL_STATUSES
    }
    counts = _filtered(r.select(r.status, fn.COUNT(r.id)), **filters).group_by(r.status)
    for status, n in models.rows(counts):
        out.setdefault(status, {"count": 0, "values": {}})["count"] = int(n)
    sums = _filtered(r.select(r.currency, fn.SUM(r.value)), status="won", **filters)
    for currency, total in models.rows(sums.group_by(r.currency)):
        if total is not None:
            out["won"]["values"][currency] = Decimal(str(total)).quantize(Decimal("0.01"))
    return out


def event_choices(limit: int = 1000) -> list[tuple[int, str, dt.datetime]]:
    """``(id, title, starts_at)`` of events, latest first, for pickers and filters."""
    e = models.Event
    query = e.select(e.id, e.title, e.starts_at).order_by(e.starts_at.desc(), e.id.desc())
    return [(i, t, s) for i, t, s in models.rows(query.limit(limit))]
