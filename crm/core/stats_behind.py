"""Click-through: the contacts and referrals behind one slice of the summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.core import models, referrals
from crm.core.errors import ValidationError
from crm.core.stats_common import check_order as _check_order
from crm.core.stats_common import money as _money
from crm.core.stats_common import month_bounds as _month_bounds
from crm.core.stats_common import name as _name

BEHIND_KINDS = ("all", "channel", "event", "program", "giver", "month")

_in_period = referrals.in_period


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
            code="stats_behind.unknown_kind",
            field="kind",
            behind_kinds=", ".join(BEHIND_KINDS),
            kind=kind,
        )
    if kind == "channel":
        query = query.where(c.channel == str(key))
    elif kind == "event":
        query = query.where(r.event.is_null() if key is None else (r.event == int(key)))
    elif kind == "program":
        if key not in models.PROGRAMS:
            raise ValidationError(
                code="stats_behind.unknown_program",
                field="key",
                programs=", ".join(models.PROGRAMS),
                key=key,
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
