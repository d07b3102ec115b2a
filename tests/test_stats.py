"""Program figures for a period, checked against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from dbtools import refused
from playhouse.test_utils import count_queries

from crm.cli import main
from crm.core import contacts, events, models, referrals, settings, stats, stats_referrers
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError

D = Decimal
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def person(given: str, channel: str = "other") -> int:
    return contacts.create_contact(ContactData(given_name=given, channel=channel)).id


def reward(contact_id: int, amount: str, currency: str, at: str, **fields) -> None:
    models.Reward.create(
        contact=contact_id,
        amount=D(amount),
        currency=currency,
        created_at=dt.datetime.fromisoformat(at),
        **fields,
    )


@pytest.fixture
def program(store):
    """A small program with every figure worked out by hand (see the expected values).

    Primary forest: Anna → Bob → Dan → Eve → Ivy, Anna → Cara → Finn, Gus → Hal;
    Gus also referred Bob (not primary: Anna came first).
    """
    p = {
        name: person(name, channel)
        for name, channel in (
            ("Anna", "other"),
            ("Bob", "event"),
            ("Cara", "event"),
            ("Dan", "website"),
            ("Eve", "other"),  # becomes "referral" with her first referral
            ("Finn", "social"),
            ("Gus", "other"),
            ("Hal", "press"),
            ("Ivy", "press"),
        )
    }
    p["E1"] = events.create_event("Chamber evening", dt.date(2025, 3, 10)).id
    p["E2"] = events.create_event("BNI breakfast", dt.date(2025, 4, 2)).id

    def refer(giver, referred, day, status="new", value=None, currency="EUR", **kw):
        return referrals.record_referral(
            p[giver],
            p[referred],
            referred_on=dt.date.fromisoformat(day),
            status=status,
            value=value,
            currency=currency,
            **kw,
        ).id

    p["r1"] = refer("Anna", "Bob", "2025-03-10", "won", "1000", event_id=p["E1"])
    p["r2"] = refer("Anna", "Cara", "2025-03-15", "lost", program="implicit", event_id=p["E1"])
    p["r3"] = refer("Bob", "Dan", "2025-04-05", "won", "500", program="tangible", event_id=p["E2"])
    p["r4"] = refer("Dan", "Eve", "2025-04-20", "won", "200", "USD", program="community")
    p["r5"] = refer("Cara", "Finn", "2025-05-02")
    p["r6"] = refer("Gus", "Bob", "2025-06-01", "won", "300")
    p["r7"] = refer("Gus", "Hal", "2024-12-20", "won", "999")  # before 2025
    p["r8"] = refer("Eve", "Ivy", "2026-01-10", "won", "700")  # after 2025
    # The policy rewarded the won referrals; replace that with rewards of known dates.
    models.Reward.delete().execute()
    reward(p["Anna"], "50", "EUR", "2025-03-20 10:00:00")
    reward(p["Bob"], "25", "EUR", "2025-04-10 09:00:00", kind="points", points=25)
    reward(p["Dan"], "40", "USD", "2025-12-31 23:59:00")
    reward(p["Anna"], "100", "EUR", "2024-12-31 23:00:00")  # before 2025
    reward(p["Bob"], "0", "EUR", "2025-05-01 12:00:00", kind="points", points=-25, status="given")
    return p


# -- the headline figures -----------------------------------------------------------------


def test_year_headline_figures(program):
    s = stats.summary(*Y2025)
    assert s["period"] == {"from": Y2025[0], "to": Y2025[1]}
    assert s["currency"] == "EUR"
    assert (s["referrals"], s["won"], s["lost"], s["open"]) == (6, 4, 1, 1)
    assert s["conversion_rate"] == round(4 / 6, 4)
    assert s["won_value"] == {"EUR": D("1800.00"), "USD": D("200.00")}
    assert s["won_value_total"] is None  # two currencies: no silent sum
    # The points redemption is not a reward and costs nothing.
    assert s["reward_cost"] == {"EUR": D("75.00"), "USD": D("40.00")}
    assert (s["rewards"], s["reward_points"]) == (2 + 1, 25)
    assert s["roi"] == {"EUR": 23.0, "USD": 4.0}  # (1800-75)/75, (200-40)/40


def test_single_currency_period_has_a_total_in_the_profile_currency(program):
    s = stats.summary(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert (s["referrals"], s["won"], s["conversion_rate"]) == (2, 1, 0.5)
    assert s["won_value"] == {"EUR": D("1000.00")}
    assert s["won_value_total"] == D("1000.00")
    assert s["reward_cost"] == {"EUR": D("50.00")}
    assert s["roi"] == {"EUR": 19.0}


def test_single_other_currency_gives_no_total(program):
    s = stats.summary(dt.date(2025, 4, 20), dt.date(2025, 4, 20))
    assert s["won_value"] == {"USD": D("200.00")}
    assert s["won_value_total"] is None
    assert s["roi"] == {"USD": None}  # nothing spent in USD that day


def test_profile_currency_decides_the_total(program):
    settings.update_profile(currency="USD")
    s = stats.summary(dt.date(2025, 4, 20), dt.date(2025, 4, 20))
    assert s["currency"] == "USD"
    assert s["won_value_total"] == D("200.00")


def test_empty_period(program):
    s = stats.summary(dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    assert (s["referrals"], s["won"], s["conversion_rate"]) == (0, 0, None)
    assert s["won_value"] == {} and s["won_value_total"] == D("0.00")
    assert s["reward_cost"] == {} and s["roi"] == {}
    assert s["top_referrers"] == {"by_won_value": [], "by_count": []}
    assert s["by_channel"] == {} and s["by_event"] == []
    assert all(v == {"referrals": 0, "won": 0, "won_value": {}} for v in s["by_program"].values())
    assert s["per_month"] == {"2025-08": {"received": 0, "won": 0, "won_value": {}}}


def test_reward_cost_counts_days_whole_at_both_ends(program):
    # 2025-12-31 23:59 belongs to the last day; 2024-12-31 23:00 does not belong to 2025.
    assert stats.summary(dt.date(2025, 12, 31), dt.date(2025, 12, 31))["reward_cost"] == {
        "USD": D("40.00")
    }
    assert stats.summary(dt.date(2024, 12, 31), dt.date(2024, 12, 31))["reward_cost"] == {
        "EUR": D("100.00")
    }


def test_roi_is_minus_one_when_nothing_was_won_in_a_currency():
    assert stats.roi({}, {"EUR": D("50")}) == {"EUR": -1.0}
    assert stats.roi({"EUR": D("150")}, {"EUR": D("50"), "GBP": D("0")}) == {
        "EUR": 2.0,
        "GBP": None,
    }


# -- the slices -----------------------------------------------------------------------------


def test_by_program_has_every_program(program):
    s = stats.summary(*Y2025)
    assert s["by_program"] == {
        "direct": {"referrals": 3, "won": 2, "won_value": {"EUR": D("1300.00")}},
        "implicit": {"referrals": 1, "won": 0, "won_value": {}},
        "tangible": {"referrals": 1, "won": 1, "won_value": {"EUR": D("500.00")}},
        "community": {"referrals": 1, "won": 1, "won_value": {"USD": D("200.00")}},
    }


def test_by_channel_of_the_referred_contact(program):
    s = stats.summary(*Y2025)
    assert s["by_channel"] == {
        "event": {"referrals": 3, "won": 2, "won_value": {"EUR": D("1300.00")}},
        "website": {"referrals": 1, "won": 1, "won_value": {"EUR": D("500.00")}},
        "referral": {"referrals": 1, "won": 1, "won_value": {"USD": D("200.00")}},
        "social": {"referrals": 1, "won": 0, "won_value": {}},
    }
    # Ranked by won value in the profile currency, then referrals won.
    assert list(s["by_channel"]) == ["event", "website", "referral", "social"]


def test_by_event_ranked_by_business(program):
    s = stats.summary(*Y2025)
    assert s["by_event"] == [
        {
            "id": program["E1"],
            "title": "Chamber evening",
            "date": dt.date(2025, 3, 10),
            "referrals": 2,
            "won": 1,
            "won_value": {"EUR": D("1000.00")},
        },
        {
            "id": program["E2"],
            "title": "BNI breakfast",
            "date": dt.date(2025, 4, 2),
            "referrals": 1,
            "won": 1,
            "won_value": {"EUR": D("500.00")},
        },
    ]


def test_per_month_covers_the_whole_period(program):
    months = stats.summary(*Y2025)["per_month"]
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert months["2025-03"] == {"received": 2, "won": 1, "won_value": {"EUR": D("1000.00")}}
    assert months["2025-04"] == {
        "received": 2,
        "won": 2,
        "won_value": {"EUR": D("500.00"), "USD": D("200.00")},
    }
    assert months["2025-05"] == {"received": 1, "won": 0, "won_value": {}}
    assert months["2025-06"] == {"received": 1, "won": 1, "won_value": {"EUR": D("300.00")}}
    assert months["2025-01"] == {"received": 0, "won": 0, "won_value": {}}
    assert sum(m["received"] for m in months.values()) == 6


def test_open_ended_period_runs_to_the_data(program):
    s = stats.summary()
    assert (s["referrals"], s["won"]) == (8, 6)
    assert s["won_value"] == {"EUR": D("3499.00"), "USD": D("200.00")}
    assert min(s["per_month"]) == "2024-12" and max(s["per_month"]) == "2026-01"
    assert len(s["per_month"]) == 14
    assert list(stats.summary(date_from=dt.date(2025, 6, 1))["per_month"]) == [
        f"{y}-{m:02d}" for y, m in [(2025, n) for n in range(6, 13)] + [(2026, 1)]
    ]


# -- top referrers and network value ---------------------------------------------------------


def test_top_referrers_by_count_and_by_won_value(program):
    top = stats.summary(*Y2025)["top_referrers"]
    p = program
    assert [g["id"] for g in top["by_count"]] == [
        p["Anna"],
        p["Bob"],
        p["Dan"],
        p["Gus"],
        p["Cara"],
    ]
    # Dan's won value is all USD: ranked after every giver with EUR, never converted.
    assert [g["id"] for g in top["by_won_value"]] == [p["Anna"], p["Bob"], p["Gus"], p["Dan"]]
    anna = top["by_count"][0]
    assert anna == {
        "id": p["Anna"],
        "name": "Anna",
        "referrals": 2,
        "won": 1,
        "won_value": {"EUR": D("1000.00")},
        # Her own 1000, then Dan (500, via Bob) and Eve (200 USD, via Dan); Ivy is 2026.
        "network_value": {"EUR": D("1500.00"), "USD": D("200.00")},
    }
    by_id = {g["id"]: g for g in top["by_won_value"]}
    assert by_id[p["Bob"]]["network_value"] == {"EUR": D("500.00"), "USD": D("200.00")}
    assert by_id[p["Dan"]]["network_value"] == {"USD": D("200.00")}
    # Gus's Bob is not his in the forest (Anna was first); Hal came in 2024.
    assert by_id[p["Gus"]]["network_value"] == {"EUR": D("300.00")}


def test_network_value_follows_the_whole_chain_in_the_period(program):
    p = program
    top = {g["id"]: g for g in stats.summary()["top_referrers"]["by_count"]}
    # All time: Ivy's 700 (four levels down) counts for Anna.
    assert top[p["Anna"]]["network_value"] == {"EUR": D("2200.00"), "USD": D("200.00")}
    assert stats.network_values([p["Anna"], p["Dan"]]) == {
        p["Anna"]: {"EUR": D("2200.00"), "USD": D("200.00")},  # Bob, Dan, Eve, Ivy
        p["Dan"]: {"EUR": D("700.00"), "USD": D("200.00")},  # Eve, Ivy
    }
    assert stats.network_values([p["Anna"]], min_depth=3) == {
        p["Anna"]: {"EUR": D("700.00"), "USD": D("200.00")}
    }
    assert stats.network_values([]) == {}


def test_top_lists_stop_at_ten(store):
    ids = [person(f"P{i}") for i in range(30)]
    day = dt.date(2025, 2, 1)
    for i in range(12):
        referrals.record_referral(ids[i], ids[i + 15], referred_on=day, status="won", value=i + 1)
    top = stats.summary(*Y2025)["top_referrers"]
    assert len(top["by_count"]) == len(top["by_won_value"]) == stats.TOP_N
    values = [g["won_value"]["EUR"] for g in top["by_won_value"]]
    assert values == [D(v).quantize(D("0.01")) for v in range(12, 2, -1)]


# -- queries -----------------------------------------------------------------------------------


def grow(n: int, seed: int = 0) -> None:
    """Add ``n`` referral chains with events, programs, currencies and rewards."""
    event = events.create_event(f"Mixer {seed}", dt.date(2025, 2, 2)).id
    for i in range(n):
        a, b, c = (person(f"G{seed}-{i}-{k}", ("event", "social")[i % 2]) for k in range(3))
        day = dt.date(2025, 1 + i % 12, 1 + i % 28)
        referrals.record_referral(
            a, b, referred_on=day, status="won", value=100 + i, currency=("EUR", "GBP")[i % 2]
        )
        referrals.record_referral(
            b, c, referred_on=day, event_id=event, program=models.PROGRAMS[i % 4]
        )


def test_summary_runs_a_fixed_number_of_queries(program):
    with count_queries() as small:
        stats.summary(*Y2025)
    grow(40)
    with count_queries() as large:
        s = stats.summary(*Y2025)
    assert s["referrals"] == 6 + 80
    assert small.count == large.count <= 8
    with count_queries() as empty:
        stats.summary(dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    assert empty.count <= small.count


@pytest.mark.sqlite_only  # reads SQLite's query plans
def test_a_long_period_tallies_givers_on_their_covering_index(program, monkeypatch):
    """A year's givers are tallied walking the covering index in giver order (no sort of
    the period's rows), a month's from the period's rows: the same figures either way."""
    grow(40)
    plans: list[str] = []
    database = models.database_proxy.obj
    original = database.execute_sql

    won_plans: list[str] = []

    def spy(sql, params=None, *args, **kwargs):
        for prefix, found in (
            ("WITH g AS", plans),
            ('SELECT "t1"."giver_id", "t1"."cur', won_plans),
        ):
            if sql.startswith(prefix):
                rows = original("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                found.append(" | ".join(row[-1] for row in rows))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", spy)
    year = stats.summary(*Y2025)
    assert f"COVERING INDEX {models.GIVER_TALLY_INDEX}" in plans[-1]
    # The top givers' won values per currency: from the same covering index, any period.
    assert f"COVERING INDEX {models.GIVER_TALLY_INDEX}" in won_plans[-1]
    assert "TEMP B-TREE FOR GROUP BY" not in plans[-1]
    stats.summary(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert models.GIVER_TALLY_INDEX not in plans[-1]
    monkeypatch.setattr(stats_referrers, "LONG_PERIOD_DAYS", 10_000)
    assert stats.summary(*Y2025) == year
    assert models.GIVER_TALLY_INDEX not in plans[-1]
    monkeypatch.setattr(stats_referrers, "LONG_PERIOD_DAYS", 0)
    month = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert stats.summary(*month) == stats.summary(*month)
    assert models.GIVER_TALLY_INDEX in plans[-1]


@pytest.mark.sqlite_only  # reads SQLite's query plans
def test_a_period_reads_referrals_and_rewards_from_covering_indexes(program):
    db = models.database_proxy
    statements = []
    original = db.execute_sql

    def plan_of(sql: str, params) -> str:
        return " | ".join(r[-1] for r in original("EXPLAIN QUERY PLAN " + sql, params))

    query = stats._grouped(*Y2025)
    statements.append(plan_of(*query.sql()))
    statements.append(plan_of(*stats._reward_cost_query(*Y2025).sql()))
    assert "COVERING INDEX referral_referred_on_currency_program" in statements[0]
    # Per currency in the index's order: no sort.
    assert "COVERING INDEX reward_currency_created_at_points_amount" in statements[1]
    assert "TEMP B-TREE" not in statements[1]


def test_contacts_behind_run_one_query(program):
    with count_queries() as q:
        stats.contacts_behind("channel", "event", *Y2025)
    assert q.count == 1
    with count_queries() as q:
        stats.referrals_behind("all", None, *Y2025)
    assert q.count == 1


def test_reading_figures_writes_nothing(program, unchanged):
    with unchanged():
        stats.summary(*Y2025)
        stats.contacts_behind("all", None)


# -- click-through ---------------------------------------------------------------------------


def test_contacts_behind_each_kind(program):
    p = program

    def behind(kind, key, won_only=False):
        return stats.contacts_behind(kind, key, *Y2025, won_only=won_only)

    # Newest referral first; Bob, referred twice, once.
    assert behind("all", None) == [p["Bob"], p["Finn"], p["Eve"], p["Dan"], p["Cara"]]
    assert behind("all", None, won_only=True) == [p["Bob"], p["Eve"], p["Dan"]]
    assert behind("channel", "event") == [p["Bob"], p["Cara"]]
    assert behind("channel", "press") == []
    assert behind("event", p["E1"]) == [p["Cara"], p["Bob"]]
    assert behind("event", None) == [p["Bob"], p["Finn"], p["Eve"]]
    assert behind("program", "direct") == [p["Bob"], p["Finn"]]
    assert behind("program", "community") == [p["Eve"]]
    assert behind("giver", p["Anna"]) == [p["Cara"], p["Bob"]]
    assert behind("giver", p["Anna"], won_only=True) == [p["Bob"]]
    assert behind("giver", p["Gus"]) == [p["Bob"]]  # Hal was referred in 2024
    assert behind("month", "2025-04") == [p["Eve"], p["Dan"]]
    assert behind("month", "2025-03", won_only=True) == [p["Bob"]]
    # Each slice's referrals are the ones it counts.
    s = stats.summary(*Y2025)
    for code, entry in s["by_program"].items():
        assert len(stats.referrals_behind("program", code, *Y2025)) == entry["referrals"]
    for code, entry in s["by_channel"].items():
        assert len(stats.referrals_behind("channel", code, *Y2025)) == entry["referrals"]
        assert len(stats.referrals_behind("channel", code, *Y2025, True)) == entry["won"]
    # Without a period: everyone ever referred.
    assert set(stats.contacts_behind("all", None)) == {
        p[n] for n in ("Bob", "Cara", "Dan", "Eve", "Finn", "Hal", "Ivy")
    }


def test_referrals_behind_carry_what_the_list_shows(program):
    p = program
    rows = stats.referrals_behind("event", p["E1"], *Y2025)
    assert [r["id"] for r in rows] == [p["r2"], p["r1"]]
    assert rows[1] == {
        "id": p["r1"],
        "referred_id": p["Bob"],
        "referred": "Bob",
        "giver_id": p["Anna"],
        "giver": "Anna",
        "referred_on": dt.date(2025, 3, 10),
        "status": "won",
        "value": D("1000.00"),
        "currency": "EUR",
    }
    assert rows[0]["value"] is None and rows[0]["status"] == "lost"


@pytest.mark.parametrize(
    ("kind", "key", "message"),
    [
        ("colour", "red", "Kind must be one of"),
        ("month", "2025-13", "'2025-13' is not a month"),
        ("month", "May", "'May' is not a month"),
        ("program", "bogus", "Program must be one of"),
    ],
)
def test_contacts_behind_refuses_unknown_slices(program, unchanged, kind, key, message):
    with refused(unchanged, message):
        stats.contacts_behind(kind, key)


# -- periods ---------------------------------------------------------------------------------


def test_period_range():
    today = dt.date(2026, 5, 17)
    assert stats.period_range("month", today) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert stats.period_range("quarter", today) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert stats.period_range("year", today) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert stats.period_range("month", dt.date(2026, 12, 31)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
    assert stats.period_range("quarter", dt.date(2026, 11, 2))[1] == dt.date(2026, 12, 31)
    assert stats.period_range("custom", today, dt.date(2025, 2, 3), dt.date(2025, 2, 3)) == (
        dt.date(2025, 2, 3),
        dt.date(2025, 2, 3),
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("custom", None, None, dt.date(2025, 1, 1)), "A custom period needs a first and a last"),
        (("custom", None, dt.date(2025, 2, 1), dt.date(2025, 1, 1)), "starts (2025-02-01) after"),
        (("week",), "Period must be one of month, quarter, year, custom, not 'week'"),
    ],
)
def test_period_range_refusals(args, message):
    with pytest.raises(ValidationError) as info:
        stats.period_range(*args)
    assert message in info.value.message


def test_summary_refuses_a_period_that_ends_before_it_starts(program, unchanged):
    with refused(unchanged, "The period starts (2025-02-01) after it ends (2025-01-01)"):
        stats.summary(dt.date(2025, 2, 1), dt.date(2025, 1, 1))


def test_months_between():
    assert stats.months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


# -- the command -----------------------------------------------------------------------------


def run(db_path, capsys, *args):
    capsys.readouterr()
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_stats_json(program, db_path, capsys):
    code, out, err = run(
        db_path, capsys, "stats", "--from", "2025-01-01", "--to", "2025-12-31", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    for key in (
        "referrals",
        "won",
        "conversion_rate",
        "won_value",
        "reward_cost",
        "roi",
        "top_referrers",
        "by_channel",
        "by_event",
        "by_program",
        "per_month",
    ):
        assert key in data
    assert (data["referrals"], data["won"]) == (6, 4)
    assert data["won_value"] == {"EUR": "1800.00", "USD": "200.00"}
    assert data["roi"] == {"EUR": 23.0, "USD": 4.0}
    assert data["top_referrers"]["by_count"][0]["name"] == "Anna"
    assert data["by_event"][0]["title"] == "Chamber evening"


def test_cli_stats_text(program, db_path, capsys):
    code, out, _err = run(db_path, capsys, "stats", "--from", "2025-03-01", "--to", "2025-03-31")
    assert code == 0
    assert "Referrals received, 2025-03-01 to 2025-03-31: 2" in out
    assert "Won: 1 (50.0% converted); lost 1; open 0" in out
    assert "Won value: 1,000.00 EUR" in out
    assert "Reward cost: 50.00 EUR (1 reward)" in out
    assert "ROI: EUR +1900%" in out


def test_cli_stats_refuses_a_reversed_period(program, db_path, capsys):
    code, out, err = run(db_path, capsys, "stats", "--from", "2025-02-01", "--to", "2025-01-01")
    assert code == 2 and out == ""
    assert err.strip() == "error: The period starts (2025-02-01) after it ends (2025-01-01)"
