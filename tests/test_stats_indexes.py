"""The dashboard's grouped queries (schema 10 indexes) against figures counted one referral at
a time, the query plans they are meant to get, and the upgrade that makes their indexes."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from decimal import Decimal
from typing import Any

import pytest
from peewee import fn

from crm.core import backups, contacts, events, migrations, model_indexes, models, referrals, stats
from crm.core import db as dbm
from crm.core.contacts import ContactData

D = Decimal
CENT = D("0.01")
PERIODS = (
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    (dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
    (dt.date(2024, 11, 15), dt.date(2025, 3, 9)),
    (dt.date(2025, 7, 1), None),
    (None, None),
)


def build(n: int = 90, seed: int = 7) -> None:
    """Referrals over 2024-2026 in every channel, program, status and three currencies, a
    third at one of three events; one contact's channel and one program are not the app's."""
    rng = random.Random(seed)
    channels = (*models.CHANNELS, "trade_fair")
    people = [
        contacts.create_contact(ContactData(given_name=f"P{i}", channel=channels[i % 8])).id
        for i in range(n + 1)
    ]
    # An older version or another program may have written a channel the app does not offer.
    models.Contact.update(channel="trade_fair").where(models.Contact.id == people[5]).execute()
    shows = [
        events.create_event(title, dt.date(2025, 1 + 4 * k, 10)).id
        for k, title in enumerate(("Fair", "Mixer", "Breakfast"))
    ]
    for i in range(1, n + 1):
        status = rng.choice(models.REFERRAL_STATUSES)
        referrals.record_referral(
            people[rng.randrange(i)],
            people[i],
            referred_on=dt.date(2024, 10, 1) + dt.timedelta(days=rng.randrange(600)),
            status=status,
            value=D(rng.randrange(100, 99999)) / 100 if status == "won" else None,
            currency=rng.choice(("EUR", "EUR", "GBP", "USD")),
            program=rng.choice(models.PROGRAMS),
            event_id=rng.choice(shows) if rng.random() < 0.35 else None,
        )
    r = models.Referral
    first = r.select(fn.MIN(r.id)).scalar()
    r.update(program="legacy").where(r.id == first).execute()


def slice_() -> dict[str, Any]:
    return {"referrals": 0, "won": 0, "won_value": {}}


def tally(entry: dict[str, Any], won: bool, value: Any, currency: str) -> None:
    entry["referrals"] += 1
    if won:
        entry["won"] += 1
        if value:
            amount = D(str(value)).quantize(CENT)
            entry["won_value"][currency] = entry["won_value"].get(currency, D("0")) + amount


def counted(date_from: dt.date | None, date_to: dt.date | None) -> dict[str, Any]:
    """The figures worked out from every referral of the period, one at a time."""
    totals, lost = slice_(), 0
    channels: dict[str, Any] = {}
    programs: dict[str, Any] = {p: slice_() for p in models.PROGRAMS}
    months: dict[str, Any] = {}
    shows: dict[int, Any] = {}
    for ref in models.Referral.select():
        day = models.as_date(ref.referred_on)
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        won = ref.status == "won"
        lost += ref.status == "lost"
        entries = [
            totals,
            channels.setdefault(models.Contact.get_by_id(ref.referred_id).channel, slice_()),
            programs.setdefault(ref.program, slice_()),
            months.setdefault(day.isoformat()[:7], slice_()),
        ]
        if ref.event_id is not None:
            event = models.Event.get_by_id(ref.event_id)
            entries.append(
                shows.setdefault(
                    ref.event_id,
                    {
                        "id": ref.event_id,
                        "title": event.title,
                        "date": models.as_date(event.starts_at),
                        **slice_(),
                    },
                )
            )
        for entry in entries:
            tally(entry, won, ref.value, ref.currency)
    return {
        "totals": totals,
        "lost": lost,
        "channels": channels,
        "programs": programs,
        "months": months,
        "events": shows,
    }


def test_summary_gives_the_figures_counted_one_referral_at_a_time(store):
    build()
    for date_from, date_to in PERIODS:
        want = counted(date_from, date_to)
        got = stats.summary(date_from, date_to)
        totals = want["totals"]
        assert totals["referrals"] > 0
        assert (got["referrals"], got["won"], got["lost"]) == (
            totals["referrals"],
            totals["won"],
            want["lost"],
        )
        assert got["won_value"] == totals["won_value"]
        assert got["by_channel"] == want["channels"]
        assert got["by_program"] == want["programs"]
        assert {e["id"]: e for e in got["by_event"]} == want["events"]
        months = {
            m: {"received": e["referrals"], "won": e["won"], "won_value": e["won_value"]}
            for m, e in want["months"].items()
        }
        assert {m: e for m, e in got["per_month"].items() if e["received"]} == months
    # The odd channel and program are there, as they are.
    every = stats.summary()
    assert every["by_channel"]["trade_fair"]["referrals"] >= 1
    assert every["by_program"]["legacy"]["referrals"] == 1


def _plan(sql: str, params: Any) -> str:
    rows = models.database_proxy.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def _period_index() -> str:
    wanted = tuple(models.Referral._meta.fields[c].column_name for c in ("referred_on", "currency"))
    for index in models.Referral._meta.fields_to_index():
        if tuple(f.column_name for f in index._expressions[:2]) == wanted:
            return str(index._name)
    raise AssertionError("no period index")


def plans_of(run: Any, prefix: str) -> list[str]:
    """The query plans of the statements starting with ``prefix`` that ``run()`` executes."""
    database = models.database_proxy.obj
    original, plans = database.execute_sql, []

    def spy(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if sql.startswith(prefix):
            plans.append(_plan(sql, params))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = spy
    try:
        run()
    finally:
        del database.execute_sql
    return plans


@pytest.mark.sqlite_only  # reads SQLite's query plans
def test_a_period_is_tallied_without_sorting_its_referrals(store):
    build(30)
    for date_from, date_to in PERIODS:
        grouped = _plan(*stats._grouped(date_from, date_to).sql())
        # The days come out of the period index in the order they are grouped by; only
        # the days' rows are sorted into months.
        assert f"COVERING INDEX {_period_index()}" in grouped
        assert grouped.count("TEMP B-TREE") == 1
        at_events = plans_of(lambda p=(date_from, date_to): stats.summary(*p), 'SELECT "g"')
        assert len(at_events) == 1
        assert f"COVERING INDEX {model_indexes.EVENT_PERIOD_INDEX}" in at_events[0]


def _indexes(store: dbm.Store) -> dict[str, str]:
    """Index name -> its definition, in this database (SQLite's file, or the PG schema)."""
    if store.is_sqlite:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
    else:
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
    return dict(store.db.execute_sql(sql).fetchall())


STEP = next(
    v for v, step in migrations.MIGRATIONS.items() if step is migrations._add_dashboard_indexes
)


def test_the_previous_version_gets_the_dashboard_indexes_after_a_copy(store, backend):
    build(40)
    want = [stats.summary(*period) for period in PERIODS]
    # PostgreSQL keeps a name's first 63 characters (and cuts the names it is given alike).
    cut = 200 if store.is_sqlite else 63
    new, old = _period_index(), model_indexes.OLD_PERIOD_INDEX
    # As the previous version's database was: its period index, in its order; no partial one.
    for statement in (
        f'DROP INDEX "{new}"',
        f"DROP INDEX {model_indexes.EVENT_PERIOD_INDEX}",
        f'CREATE INDEX "{old}" ON "referral" ("referred_on", "referred_id", "event_id", '
        '"program", "currency", "status", "value")',
        f"UPDATE crm_meta SET value = '{STEP - 1}' WHERE key = 'schema_version'",
    ):
        store.db.execute_sql(statement)
    before = set(_indexes(store))
    assert old[:cut] in before and not {new[:cut], model_indexes.EVENT_PERIOD_INDEX} & before
    store.close()

    again = dbm.open_database(backend.target)
    try:
        assert migrations.schema_version(again.db) == dbm.SCHEMA_VERSION
        assert dbm.check(again) == []
        if again.is_sqlite:
            made = backups.list_backups(again)
            assert len(made) == 1 and f"before-upgrade-v{STEP - 1}" in made[0].name
            with sqlite3.connect(made[0]) as copy:
                kept = {n for (n,) in copy.execute("SELECT name FROM sqlite_master")}
            copy.close()
            assert old in kept and new not in kept
        else:
            copies = again.db.execute_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                (f"crm_before_v{STEP - 1}_%",),
            ).fetchall()
            assert len(copies) == 1
        names = _indexes(again)
        assert {new[:cut], model_indexes.EVENT_PERIOD_INDEX} <= set(names)
        assert old[:cut] not in names
        assert "WHERE" in names[model_indexes.EVENT_PERIOD_INDEX]
        assert [stats.summary(*period) for period in PERIODS] == want
    finally:
        again.close()
