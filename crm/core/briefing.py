"""The briefing for an event: who is coming and what to know about each of them.

For every attendee: who referred them (the primary chain, a few levels up),
the referrals they gave and received, their open follow-ups, the last thing
that happened with them and whether it is fine to ask them for a referral.

The whole briefing takes a fixed number of queries however many people
attend: each part is one query over all attendees at once (window functions
keep "the latest few per person" to one query), and the referrer chains are
one recursive CTE over every attendee.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crm.core import asking, clock, models
from crm.core.events import get_event
from crm.core.rule_lines import render
from crm.core.text import fold

db = models.database_proxy

# How far up the primary chain "referred by" goes, and how many items per list.
REFERRER_LEVELS = 3
LATEST_REFERRALS = 3
LATEST_FOLLOWUPS = 3

# History lines that are something that happened with the person, not bookkeeping.
CONTACT_KINDS = models.TOUCH_KINDS


def _attendees_sql(p: str) -> str:
    return f"SELECT contact_id FROM attendance WHERE event_id = {p}"


def _date(value: Any) -> str | None:
    """ISO date text from what a query returns (SQLite text, PostgreSQL dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _datetime(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    return str(value)[:19].replace("T", " ")


def _money(value: Any) -> float:
    return round(float(value or 0), 2)


def _attendee_rows(event_id: int) -> list[tuple[Any, ...]]:
    p = db.param
    return list(
        db.execute_sql(
            "SELECT c.id, c.given_name, c.family_name, o.name, c.title, a.role, a.met_in_person, "
            "c.archived, c.last_asked_for_referral, c.stage "
            "FROM attendance a JOIN contact c ON c.id = a.contact_id "
            "LEFT JOIN organization o ON o.id = c.organization_id "
            f"WHERE a.event_id = {p}",
            (event_id,),
        ).fetchall()
    )


def _referrers(event_id: int) -> dict[int, list[tuple[int, str, int]]]:
    """Per attendee: ``(id, name, depth)`` up the primary chain, one level more than shown."""
    p = db.param
    rows = db.execute_sql(
        f"""
        WITH RECURSIVE up(start, id, depth) AS (
            SELECT r.referred_id, r.giver_id, 1 FROM referral r
            WHERE r.is_primary AND r.referred_id IN ({_attendees_sql(p)})
            UNION ALL
            SELECT up.start, r.giver_id, up.depth + 1
            FROM up JOIN referral r ON r.referred_id = up.id AND r.is_primary
            WHERE up.depth < {p}
        )
        SELECT up.start, up.id, trim(c.given_name || ' ' || c.family_name), up.depth
        FROM up JOIN contact c ON c.id = up.id
        ORDER BY up.start, up.depth
        """,
        (event_id, REFERRER_LEVELS + 1),
    ).fetchall()
    out: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for start, cid, name, depth in rows:
        out[start].append((cid, name, depth))
    return out


def _referral_totals(event_id: int) -> dict[tuple[str, int], list[tuple[str, str, int, Any]]]:
    """Per (direction, attendee): ``(status, currency, count, value)`` groups."""
    sub = _attendees_sql(db.param)
    rows = db.execute_sql(
        f"""
        SELECT 'given', giver_id, status, currency, count(*), sum(coalesce(value, 0))
        FROM referral WHERE giver_id IN ({sub}) GROUP BY giver_id, status, currency
        UNION ALL
        SELECT 'received', referred_id, status, currency, count(*), sum(coalesce(value, 0))
        FROM referral WHERE referred_id IN ({sub}) GROUP BY referred_id, status, currency
        """,
        (event_id, event_id),
    ).fetchall()
    out: dict[tuple[str, int], list[tuple[str, str, int, Any]]] = defaultdict(list)
    for direction, who, status, currency, count, value in rows:
        out[(direction, who)].append((status, currency, int(count), value))
    return out


def _latest_referrals(event_id: int) -> dict[tuple[str, int], list[tuple[Any, ...]]]:
    """Per (direction, attendee): the latest referrals with the other person's name."""
    p, sub = db.param, _attendees_sql(db.param)
    rows = db.execute_sql(
        f"""
        SELECT x.dir, x.who, x.id, x.other, trim(c.given_name || ' ' || c.family_name),
               x.status, x.value, x.currency, x.referred_on, x.created_by
        FROM (
            SELECT 'given' AS dir, r.giver_id AS who, r.id, r.referred_id AS other, r.status,
                   r.value, r.currency, r.referred_on, r.created_by,
                   row_number() OVER (PARTITION BY r.giver_id
                                      ORDER BY r.referred_on DESC, r.id DESC) AS n
            FROM referral r WHERE r.giver_id IN ({sub})
            UNION ALL
            SELECT 'received', r.referred_id, r.id, r.giver_id, r.status,
                   r.value, r.currency, r.referred_on, r.created_by,
                   row_number() OVER (PARTITION BY r.referred_id
                                      ORDER BY r.referred_on DESC, r.id DESC)
            FROM referral r WHERE r.referred_id IN ({sub})
        ) x JOIN contact c ON c.id = x.other
        WHERE x.n <= {p}
        ORDER BY x.who, x.dir, x.n
        """,
        (event_id, event_id, LATEST_REFERRALS),
    ).fetchall()
    out: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
    for direction, who, *rest in rows:
        out[(direction, who)].append(tuple(rest))
    return out


def _open_followups(
    event_id: int, language: str | None
) -> dict[int, tuple[int, list[tuple[Any, ...]]]]:
    """Per attendee: how many follow-ups are open, and the first few by due date (the
    titles rules made worded in ``language``)."""
    p = db.param
    table = models.FollowUp._meta.table_name
    rows = db.execute_sql(
        f"""
        SELECT x.contact_id, x.id, x.kind, x.title, x.due, x.snoozed_until, x.assigned_to,
               x.total, x.message
        FROM (
            SELECT f.contact_id, f.id, f.kind, f.title, f.due, f.snoozed_until, f.assigned_to,
                   f.message,
                   row_number() OVER (PARTITION BY f.contact_id ORDER BY f.due, f.id) AS n,
                   count(*) OVER (PARTITION BY f.contact_id) AS total
            FROM {table} f
            WHERE f.done_at IS NULL AND f.contact_id IN ({_attendees_sql(p)})
        ) x
        WHERE x.n <= {p}
        ORDER BY x.contact_id, x.n
        """,
        (event_id, LATEST_FOLLOWUPS),
    ).fetchall()
    out: dict[int, tuple[int, list[tuple[Any, ...]]]] = {}
    for cid, fid, kind, title, due, snoozed, assignee, total, message in rows:
        title = render(message, title, language)
        out.setdefault(cid, (int(total), []))[1].append((fid, kind, title, due, snoozed, assignee))
    return out


def _last_interactions(
    event_id: int, now: dt.datetime, language: str | None
) -> dict[int, tuple[Any, ...]]:
    """Per attendee: the latest history line that is not bookkeeping, up to ``now`` (the
    lines the app wrote worded in ``language``)."""
    p = db.param
    kinds = ", ".join([p] * len(CONTACT_KINDS))
    rows = db.execute_sql(
        f"""
        SELECT x.contact_id, x.happened_at, x.kind, x.summary, x.created_by, x.message
        FROM (
            SELECT i.contact_id, i.happened_at, i.kind, i.summary, i.created_by, i.message,
                   row_number() OVER (PARTITION BY i.contact_id
                                      ORDER BY i.happened_at DESC, i.id DESC) AS n
            FROM interaction i
            WHERE i.contact_id IN ({_attendees_sql(p)})
              AND i.kind IN ({kinds}) AND i.happened_at <= {p}
        ) x
        WHERE x.n = 1
        """,
        (event_id, *CONTACT_KINDS, now.isoformat(sep=" ")),
    ).fetchall()
    return {
        cid: (at, kind, render(message, summary, language), by)
        for cid, at, kind, summary, by, message in rows
    }


def _referral_summary(
    groups: list[tuple[str, str, int, Any]],
    latest: list[tuple[Any, ...]],
    here: set[int],
) -> dict[str, Any]:
    by_status: dict[str, int] = defaultdict(int)
    won: dict[str, float] = defaultdict(float)
    for status, currency, count, value in groups:
        by_status[status] += count
        if status == "won":
            won[currency] += float(value or 0)
    return {
        "count": sum(by_status.values()),
        "open": sum(by_status.get(s, 0) for s in models.OPEN_STATUSES),
        "won_count": by_status.get("won", 0),
        "lost_count": by_status.get("lost", 0),
        "by_status": dict(by_status),
        "won_value": {cur: round(v, 2) for cur, v in sorted(won.items())},
        "latest": [
            {
                "id": rid,
                "contact_id": other,
                "name": name,
                "here": other in here,
                "status": status,
                "value": _money(value) if value is not None else None,
                "currency": currency,
                "referred_on": _date(on),
                "created_by": by or "",
            }
            for rid, other, name, status, value, currency, on, by in latest
        ],
    }


def event_briefing(
    event_id: int,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """Everything to know before (or after) an event about each attendee, by name.

    Follow-up titles and history lines the app wrote are worded in ``language``
    (the current language when None).

    Plain values only (ids, text, ISO dates, floats): safe to hand between
    threads and to print. Eight queries, whatever the number of attendees.
    """
    day = today or clock.today()
    moment = now or (models.now() if today is None else dt.datetime.combine(day, dt.time(23, 59)))
    event = get_event(event_id)
    cooldown = asking.cooldown_days()
    people = _attendee_rows(event_id)
    facts = _Facts(
        here={row[0] for row in people},
        referrers=_referrers(event_id),
        totals=_referral_totals(event_id),
        latest=_latest_referrals(event_id),
        followups=_open_followups(event_id, language),
        last=_last_interactions(event_id, moment, language),
    )
    attendees = [_attendee(row, facts, cooldown, day) for row in people]
    attendees.sort(key=lambda a: a.pop("sort_key"))
    return {
        "event": _event_dict(event, day),
        "today": day.isoformat(),
        "cooldown_days": cooldown,
        "counts": _counts(attendees),
        "attendees": attendees,
    }


@dataclass(frozen=True)
class _Facts:
    """What the briefing's queries found about the attendees, by contact id."""

    here: set[int]
    referrers: dict[int, list[tuple[int, str, int]]]
    totals: dict[tuple[str, int], list[tuple[str, str, int, Any]]]
    latest: dict[tuple[str, int], list[tuple[Any, ...]]]
    followups: dict[int, tuple[int, list[tuple[Any, ...]]]]
    last: dict[int, tuple[Any, ...]]


def _attendee(row: Sequence[Any], facts: _Facts, cooldown: int, day: dt.date) -> dict[str, Any]:
    """One attendee's part of the briefing."""
    cid, given, family, org, title, role, met, archived, last_asked, stage = row
    chain = facts.referrers.get(cid, [])
    open_count, first_open = facts.followups.get(cid, (0, []))

    def summary(side: str) -> dict[str, Any]:
        key = (side, cid)
        return _referral_summary(facts.totals.get(key, []), facts.latest.get(key, []), facts.here)

    return {
        "contact_id": cid,
        "name": f"{given} {family}".strip(),
        "sort_key": (fold(family), fold(given), cid),
        "organization": org or "",
        "title": title or "",
        "stage": stage,
        "role": role,
        "met_in_person": bool(met),
        "archived": bool(archived),
        "referred_by": [
            {"contact_id": rid, "name": name, "depth": depth, "here": rid in facts.here}
            for rid, name, depth in chain
            if depth <= REFERRER_LEVELS
        ],
        "referred_by_more": any(depth > REFERRER_LEVELS for _r, _n, depth in chain),
        "given": summary("given"),
        "received": summary("received"),
        "open_followups": open_count,
        "followups": [
            {
                "id": fid,
                "kind": kind,
                "title": ftitle,
                "due": _date(due),
                "snoozed_until": _date(snoozed),
                "overdue": (_date(due) or "") < day.isoformat(),
                "assigned_to": assignee or "",
            }
            for fid, kind, ftitle, due, snoozed, assignee in first_open
        ],
        "last_interaction": _last_line(facts.last.get(cid)),
        "ask": asking.status_from(last_asked, cooldown, day).to_dict(),
    }


def _last_line(seen: tuple[Any, ...] | None) -> dict[str, Any] | None:
    if not seen:
        return None
    return {
        "at": _datetime(seen[0]),
        "date": _date(seen[0]),
        "kind": seen[1],
        "summary": seen[2],
        "created_by": seen[3] or "",
    }


def _event_dict(event: models.Event, day: dt.date) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.isoformat(sep=" "),
        "date": event.starts_at.date().isoformat(),
        "venue": event.venue,
        "city": event.city,
        "organizer": event.organizer,
        "notes": event.notes,
        "upcoming": event.starts_at.date() >= day,
    }


def _counts(attendees: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures across all attendees."""
    won: dict[str, float] = defaultdict(float)
    for a in attendees:
        for cur, value in a["given"]["won_value"].items():
            won[cur] += value
    return {
        "attendees": len(attendees),
        "met": sum(1 for a in attendees if a["met_in_person"]),
        "ok_to_ask": sum(1 for a in attendees if a["ask"]["ok"]),
        "referred": sum(1 for a in attendees if a["referred_by"]),
        "with_followups": sum(1 for a in attendees if a["open_followups"]),
        "open_followups": sum(a["open_followups"] for a in attendees),
        "referrals_given": sum(a["given"]["count"] for a in attendees),
        "won_value": {cur: round(v, 2) for cur, v in sorted(won.items())},
    }
