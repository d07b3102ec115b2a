"""The quality guard: who sends referrals that turn into business, and who games the program.

Rewards that are too generous attract referrals sent for the reward's sake. Two
signs of it are flagged for the user to look at (never acted on):

* a giver with many referrals (``min_referrals``, 5 by default) whose
  conversion rate is far below the others' (under a third of it by default);
* a referral whose giver and referred share an email, a phone or a postal
  address: quite possibly one person, or one household, rewarding itself.

A giver's conversion rate is won referrals over all the referrals they gave in
the period, open ones included. The others' rate is pooled over every other
giver, so one giver with many poor referrals cannot drag down the yardstick they
are measured against.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import Case, fn

from crm.core import models, referrals
from crm.core.errors import ValidationError
from crm.core.text import tokens

db = models.database_proxy

MIN_REFERRALS = 5
RATIO = 3.0
CENT = Decimal("0.01")


_period = referrals.in_period


def _fetch(query: Any) -> list[tuple[Any, ...]]:
    """Rows straight from the cursor: one per giver can mean tens of thousands, and
    peewee's row building would cost more than SQLite's grouping."""
    sql, params = query.sql()
    return list(db.execute_sql(sql, params).fetchall())


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def giver_stats(
    date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per giver of a referral in the period (by referral date), most referrals first.

    Each: ``id``, ``name``, ``referrals``, ``converted`` (won), ``lost``, ``open``,
    ``conversion_rate`` (won / referrals, 0 to 1), ``won_value`` and
    ``reward_value`` (per currency, never added across currencies),
    ``rewards`` (how many) and ``reward_points``: the rewards the giver earned
    for those referrals, pending or given. Two queries.
    """
    r, c, w = models.Referral, models.Contact, models.Reward
    won = r.status == "won"
    query = (
        r.select(
            c.id,
            c.given_name,
            c.family_name,
            r.currency,
            fn.COUNT(r.id),
            fn.SUM(Case(None, [(won, 1)], 0)),
            fn.SUM(Case(None, [(r.status == "lost", 1)], 0)),
            fn.SUM(Case(None, [(won, r.value)], 0)),
        )
        .join(c, on=(r.giver == c.id))
        .group_by(c.id, r.currency)
    )
    stats: dict[int, dict[str, Any]] = {}
    for gid, given, family, currency, n, n_won, n_lost, value in _fetch(
        _period(query, date_from, date_to)
    ):
        entry = stats.get(gid)
        if entry is None:
            entry = stats[gid] = {
                "id": gid,
                "name": f"{given} {family}".strip() if given and family else given or family,
                "referrals": 0,
                "converted": 0,
                "lost": 0,
                "open": 0,
                "conversion_rate": 0.0,
                "won_value": {},
                "rewards": 0,
                "reward_value": {},
                "reward_points": 0,
            }
        entry["referrals"] += int(n)
        entry["converted"] += int(n_won or 0)
        entry["lost"] += int(n_lost or 0)
        if n_won:
            entry["won_value"][currency] = _money(value)
    # Rewards a giver earned for the referrals above (not a two-sided friend's).
    rewards = (
        w.select(w.contact, w.currency, fn.COUNT(w.id), fn.SUM(w.amount), fn.SUM(w.points))
        .join(r, on=(w.referral == r.id))
        .where(w.contact == r.giver)
        .group_by(w.contact, w.currency)
    )
    for gid, currency, n, amount, points in _fetch(_period(rewards, date_from, date_to)):
        giver = stats.get(gid)
        if giver is None:
            continue
        giver["rewards"] += int(n)
        giver["reward_points"] += int(points or 0)
        if amount:
            giver["reward_value"][currency] = _money(amount)
    for entry in stats.values():
        entry["open"] = entry["referrals"] - entry["converted"] - entry["lost"]
        entry["conversion_rate"] = round(entry["converted"] / entry["referrals"], 4)
    return sorted(stats.values(), key=lambda e: (-e["referrals"], -e["converted"], e["id"]))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _percent(rate: float) -> str:
    return f"{rate:.1%}" if 0 < rate < 0.1 else f"{rate:.0%}"


def suspicious_givers(
    stats: list[dict[str, Any]], min_referrals: int = MIN_REFERRALS, ratio: float = RATIO
) -> list[dict[str, Any]]:
    """Givers in ``stats`` with at least ``min_referrals`` referrals who convert under
    1/``ratio`` of what the other givers convert, each with ``others_rate`` and a
    ``reason``."""
    total = sum(e["referrals"] for e in stats)
    total_won = sum(e["converted"] for e in stats)
    out = []
    for entry in stats:
        if entry["referrals"] < min_referrals:
            continue
        others = total - entry["referrals"]
        if not others:
            continue  # nobody to compare with
        others_rate = (total_won - entry["converted"]) / others
        if entry["converted"] / entry["referrals"] >= others_rate / ratio:
            continue
        reason = (
            f"{_count(entry['referrals'], 'referral')}, {entry['converted']} won "
            f"({_percent(entry['conversion_rate'])}); the other givers convert "
            f"{_percent(others_rate)} of theirs"
        )
        if entry["open"]:
            reason += f" ({entry['open']} still open)"
        out.append({**entry, "others_rate": round(others_rate, 4), "reason": reason})
    return out


def _address_key(street: str, city: str, postcode: str) -> tuple[str, str, str] | None:
    """The address folded for comparing (case, accents, spacing, punctuation); None if
    there is no street to compare."""
    words = " ".join(tokens(street))
    if not words:
        return None
    return words, " ".join(tokens(city)), "".join(tokens(postcode))


def _shared(date_from: dt.date | None, date_to: dt.date | None) -> dict[int, dict[str, str]]:
    """Referral id → what its giver and referred share now: email, phone, address."""
    r = models.Referral
    e1, e2 = models.ContactEmail.alias("ge"), models.ContactEmail.alias("re")
    p1, p2 = models.ContactPhone.alias("gp"), models.ContactPhone.alias("rp")
    g, d = models.Contact.alias("g"), models.Contact.alias("d")
    found: dict[int, dict[str, str]] = {}
    emails = (
        r.select(r.id, e1.address)
        .join(e1, on=(e1.contact == r.giver))
        .join(e2, on=((e2.contact == r.referred) & (fn.LOWER(e2.address) == fn.LOWER(e1.address))))
    )
    for rid, address in models.rows(_period(emails, date_from, date_to)):
        found.setdefault(rid, {}).setdefault("email", address)
    phones = (
        r.select(r.id, p1.number)
        .join(p1, on=(p1.contact == r.giver))
        .join(p2, on=((p2.contact == r.referred) & (p2.number == p1.number)))
    )
    for rid, number in models.rows(_period(phones, date_from, date_to)):
        found.setdefault(rid, {}).setdefault("phone", number)

    # SQL's lower() folds ASCII only, so SQL narrows to the same postcode (spaces
    # and case aside) and Python compares street and city folded (Greek included).
    def squeezed(column: Any) -> Any:
        return fn.REPLACE(fn.REPLACE(fn.UPPER(column), " ", ""), "-", "")

    addresses = (
        r.select(r.id, g.street, g.city, g.postcode, d.street, d.city, d.postcode)
        .join(g, on=(r.giver == g.id))
        .switch(r)
        .join(d, on=(r.referred == d.id))
        .where((g.street != "") & (d.street != "") & (squeezed(g.postcode) == squeezed(d.postcode)))
    )
    for rid, gs, gc, gp, ds, dc, dp in models.rows(_period(addresses, date_from, date_to)):
        key = _address_key(gs, gc, gp)
        if key is not None and key == _address_key(ds, dc, dp):
            place = " ".join(p for p in (gp, gc) if p)
            found.setdefault(rid, {})["address"] = ", ".join(p for p in (gs, place) if p)
    return found


def suspicious_referrals(
    date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[dict[str, Any]]:
    """Referrals whose giver and referred share an email, a phone or a postal address
    (now, or when the referral was recorded), newest first.

    Each: ``id``, ``giver_id``, ``giver``, ``referred_id``, ``referred``,
    ``referred_on``, ``status``, ``shared`` (what they share now: ``email``,
    ``phone``, ``address``) and a ``reason``. A fixed number of queries.
    """
    r = models.Referral
    shared = _shared(date_from, date_to)
    flagged = _period(r.select(r.id).where(r.suspicion != ""), date_from, date_to)
    ids = set(shared) | {rid for (rid,) in models.rows(flagged)}
    out = []
    for row in referrals.rows_for_ids(sorted(ids)):
        item = dict(zip(referrals.ROW_COLUMNS, row, strict=True))
        now = shared.get(item["id"], {})
        parts = [f"the {what} {value}" for what, value in now.items()]
        if parts:
            reason = "giver and referred share " + " and ".join(parts)
        else:
            reason = f"when recorded, {item['suspicion']}"
        out.append(
            {
                "id": item["id"],
                "giver_id": item["giver_id"],
                "giver": item["giver"],
                "referred_id": item["referred_id"],
                "referred": item["referred"],
                "referred_on": models.as_date(item["referred_on"]),
                "status": item["status"],
                "shared": now,
                "reason": reason,
            }
        )
    out.sort(key=lambda x: (x["referred_on"] or dt.date.min, x["id"]), reverse=True)
    return out


def flags(
    *,
    min_referrals: int = MIN_REFERRALS,
    ratio: float = RATIO,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    stats: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Both flags for the period: ``suspicious_givers`` and ``suspicious_referrals``,
    with ``average_conversion_rate`` (over all givers), ``min_referrals`` and ``ratio``.

    ``stats``: :func:`giver_stats` for the same period, when the caller has them.
    """
    if isinstance(min_referrals, bool) or not isinstance(min_referrals, int) or min_referrals < 1:
        raise ValidationError(
            code="quality.least_number_referrals_judge",
            field="min_referrals",
            min_referrals=min_referrals,
        )
    if not ratio > 1:
        raise ValidationError(code="quality.ratio_more_1_3", field="ratio", ratio=ratio)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(
            code="quality.period_starts_after_ends",
            field="date_from",
            date_from=date_from.isoformat(),
            date_to=date_to.isoformat(),
        )
    if stats is None:
        stats = giver_stats(date_from, date_to)
    total = sum(e["referrals"] for e in stats)
    average = round(sum(e["converted"] for e in stats) / total, 4) if total else None
    return {
        "average_conversion_rate": average,
        "min_referrals": min_referrals,
        "ratio": ratio,
        "suspicious_givers": suspicious_givers(stats, min_referrals, ratio),
        "suspicious_referrals": suspicious_referrals(date_from, date_to),
    }
