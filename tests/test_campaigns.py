"""Voucher campaigns: setting one up, its reminder per period, its batch, and its return."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from crm.core import (
    campaign_return,
    campaign_runs,
    campaigns,
    clock,
    contacts,
    followups,
    migrations,
    models,
    redemption,
    referrals,
    vouchers,
)
from crm.core import db as dbm
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError

TODAY = clock.today()  # 2026-12-06, in the fourth quarter


def person(given: str, consent: bool = True) -> int:
    data = ContactData(given_name=given, family_name="Test", marketing_consent=consent)
    return contacts.create_contact(data).id


def won(giver: int, value: str, days_ago: int = 10) -> int:
    friend = person(f"Friend of {giver} {value}")
    ref = referrals.record_referral(
        giver,
        friend,
        status="won",
        value=value,
        referred_on=TODAY - dt.timedelta(days=days_ago),
    )
    return ref.id


@pytest.fixture
def clients(store) -> dict[str, int]:
    """Five clients by won value: Bea (no consent) 900, Ann 500, Dora (no consent) 400,
    Cal 300, Eve 100; Finn has nothing won."""
    p = {
        "Ann": person("Ann"),
        "Bea": person("Bea", consent=False),
        "Cal": person("Cal"),
        "Dora": person("Dora", consent=False),
        "Eve": person("Eve"),
        "Finn": person("Finn"),
    }
    for name, value in (("Ann", "500"), ("Bea", "900"), ("Cal", "300"), ("Dora", "400")):
        won(p[name], value)
    won(p["Eve"], "100")
    return p


def best(**kw):
    kw.setdefault("top_n", 2)
    kw.setdefault("value", "25")
    kw.setdefault("valid_days", 90)
    return campaigns.create(kw.pop("name", "Best clients"), **kw)


# -- periods and setting up ---------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "day", "expected"),
    [
        ("quarter", dt.date(2026, 12, 6), ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        ("quarter", dt.date(2027, 1, 1), ("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))),
        ("quarter", dt.date(2026, 6, 30), ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        ("month", dt.date(2028, 2, 10), ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
        ("month", dt.date(2026, 12, 31), ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        ("year", dt.date(2026, 7, 4), ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ],
)
def test_periods(every, day, expected):
    assert campaigns.period_of(every, day) == expected


def test_a_campaign_is_set_up_and_listed(store):
    out = best(name="  Best   clients ", top_n="20", value="50", valid_days="90")
    assert out == {
        "id": out["id"],
        "name": "Best clients",
        "every": "quarter",
        "top_n": 20,
        "value": 50.0,
        "currency": "EUR",
        "valid_days": 90,
        "consent_only": True,
        "active": True,
    }
    [listed] = campaigns.list_campaigns()
    assert listed["period"] == "2026-Q4" and listed["run"] is None
    changed = campaigns.edit("BEST CLIENTS", top_n=30, active=False, name="Top thirty")
    assert (changed["top_n"], changed["active"], changed["name"]) == (30, False, "Top thirty")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Name the campaign"),
        ({"name": "a/b"}, "cannot contain /"),
        ({"name": "x" * 45}, "longer than 44 characters"),
        ({"top_n": 0}, "The number of top clients must be from 1 to 10,000, not 0"),
        ({"top_n": "ten"}, "must be a whole number, not 'ten'"),
        ({"value": "-5"}, "Voucher value -5 is negative"),
        ({"value": "0"}, "must be worth something"),
        ({"valid_days": 0}, "The days a voucher stays valid must be from 1 to 3,650, not 0"),
        ({"every": "week"}, "every quarter, month or year, not 'week'"),
        ({"currency": "XXQ"}, "not an ISO 4217 currency code"),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_is_written(store, unchanged, fields, message):
    with unchanged(), pytest.raises(ValidationError, match=message):
        best(**fields)


def test_a_name_is_taken_whatever_its_case(store, unchanged):
    best()
    other = best(name="Other")
    with unchanged(), pytest.raises(ValidationError, match="'best CLIENTS' exists already"):
        best(name="best CLIENTS")
    with unchanged(), pytest.raises(ValidationError, match="exists already"):
        campaigns.edit(other["id"], name="BEST clients")
    with unchanged(), pytest.raises(NotFoundError, match="No campaign named 'nope'; campaigns: "):
        campaigns.get("nope")


# -- the reminder -------------------------------------------------------------------


def reminders() -> list[tuple[int, str, str, str]]:
    f = models.FollowUp
    query = f.select(f.contact, f.kind, f.due, f.title).where(f.rule == "campaign").order_by(f.id)
    return [(c, k, str(d), t) for c, k, d, t in models.rows(query)]


def test_one_reminder_per_period_across_a_quarter_boundary(clients):
    campaign = best()
    assert followups.run_daily_rules(TODAY) == 1
    assert followups.run_daily_rules(TODAY, force=True) == 0  # twice: still one
    # On the top client who agreed to marketing, due the day the campaign was set up.
    assert reminders() == [
        (clients["Ann"], "campaign", "2026-12-06", "Issue the 2026-Q4 batch of 'Best clients'"),
    ]  # fmt: skip
    [item] = followups.open_followups()
    assert campaign_runs.reminder_campaign(item["id"]) == campaign["id"]
    for day in (dt.date(2026, 12, 20), dt.date(2026, 12, 31)):
        clock.set_now(dt.datetime.combine(day, dt.time(9)))
        assert followups.run_daily_rules() == 0
    # The next quarter: a new reminder, due its first day, once.
    clock.set_now(dt.datetime(2027, 1, 1, 8, 0))
    assert followups.run_daily_rules() == 1
    assert followups.run_daily_rules(force=True) == 0
    assert [r[2] for r in reminders()] == ["2026-12-06", "2027-01-01"]
    assert reminders()[1][3] == "Issue the 2027-Q1 batch of 'Best clients'"
    rows = models.rows(models.CampaignReminder.select(models.CampaignReminder.period))
    assert sorted(p for (p,) in rows) == ["2026-Q4", "2027-Q1"]


def test_no_reminder_for_a_paused_campaign_or_a_period_already_issued(clients):
    best(name="Paused", active=False)
    best()
    campaign_runs.run("Best clients")
    assert followups.run_daily_rules(TODAY) == 0
    assert reminders() == []


def test_no_reminder_while_nobody_qualifies(store):
    best()
    assert followups.run_daily_rules(TODAY) == 0
    ann = person("Ann")
    won(ann, "100")
    assert followups.run_daily_rules(TODAY, force=True) == 1


# -- the batch --------------------------------------------------------------------------


def test_the_batch_is_the_top_n_with_consent_and_lists_who_was_left_out(clients):
    best(top_n=2)
    plan = campaign_runs.preview("best clients")
    assert plan["period"] == "2026-Q4" and plan["batch"] == "Best clients 2026-Q4"
    assert plan["expires"] == (TODAY + dt.timedelta(days=90)).isoformat()
    assert [(h["rank"], h["id"], h["won_value"], h["converted"]) for h in plan["included"]] == [
        (1, clients["Ann"], 500.0, 1),
        (2, clients["Cal"], 300.0, 1),
    ]
    # Bea would have been first: among the top 2 but without consent.
    assert [(h["rank"], h["id"]) for h in plan["left_out"]] == [(1, clients["Bea"])]
    followups.run_daily_rules(TODAY)
    out = campaign_runs.run("Best clients")
    assert [v["holder_id"] for v in out["vouchers"]] == [clients["Ann"], clients["Cal"]]
    assert out["vouchers"][0]["score"] == {
        "rank": 1, "won_value": 500.0, "converted": 1, "currency": "EUR",
    }  # fmt: skip
    listed = vouchers.list_vouchers("Best clients 2026-Q4")
    assert {(v["value"], v["expires"]) for v in listed} == {(25.0, "2027-03-06")}
    run = models.CampaignRun.get()
    assert (run.period, run.batch, run.holders, run.left_out, run.forced) == (
        "2026-Q4", "Best clients 2026-Q4", 2, 1, False,
    )  # fmt: skip
    # Issuing closed the period's reminder.
    assert not [f for f in followups.open_followups() if f["rule"] == "campaign"]
    assert campaigns.list_campaigns()[0]["run"]["batch"] == "Best clients 2026-Q4"


def test_a_second_run_in_a_period_is_refused_unless_forced(clients, unchanged):
    best(top_n=3)
    campaign_runs.run("Best clients")
    with (
        unchanged(),
        pytest.raises(
            ValidationError,
            match="already issued batch 'Best clients 2026-Q4' for 2026-Q4 on 2026-12-06",
        ),
    ):
        campaign_runs.run("Best clients")
    forced = campaign_runs.run("Best clients", force=True)
    assert forced["batch"] == "Best clients 2026-Q4 #2"
    assert models.CampaignRun.select().where(models.CampaignRun.forced).count() == 1
    # The next quarter is a new period.
    clock.set_now(dt.datetime(2027, 1, 2, 9, 0))
    assert campaign_runs.run("Best clients")["batch"] == "Best clients 2027-Q1"


def test_refusals_change_nothing(store, unchanged):
    best(name="Paused", active=False)
    best()
    with unchanged(), pytest.raises(ValidationError, match="No client with marketing consent"):
        campaign_runs.run("Best clients")
    ann = person("Ann")
    won(ann, "100")
    with unchanged(), pytest.raises(ValidationError, match="'Paused' is paused"):
        campaign_runs.run("Paused")
    with unchanged(), pytest.raises(NotFoundError, match="No campaign named 'Nope'"):
        campaign_runs.run("Nope")


def test_without_the_consent_rule_everyone_is_in(clients):
    best(top_n=2, consent_only=False)
    plan = campaign_runs.preview("Best clients")
    assert [h["id"] for h in plan["included"]] == [clients["Bea"], clients["Ann"]]
    assert plan["left_out"] == []


# -- the return ------------------------------------------------------------------------


def test_the_return_of_a_campaign(clients):
    best(top_n=2, value="25")
    best(name="Never run")
    out = campaign_runs.run("Best clients")
    ann_code, cal_code = (v["code"] for v in out["vouchers"])
    # Ann's friend comes and wins 1,000; Cal's friend comes but wins nothing yet.
    came = redemption.redeem(ann_code, new_friend="Nora Newman")
    referrals.change_status(came["referral_id"], "won", value="1000")
    redemption.redeem(cal_code, new_friend="Otto Other")
    w = models.Reward
    extra = sum(
        (
            r.amount
            for r in w.select().where(
                w.referral.in_([came["referral_id"]]) & ~w.notes.startswith("[voucher]")
            )
        ),
        start=0,
    )
    rows = {r["campaign"]: r for r in campaign_return.returns()}
    assert set(rows) == {"Best clients", "Never run"}
    row = rows["Best clients"]
    assert row["runs"] == 1 and row["vouchers"] == 2
    assert row["issued_value"] == 50 and row["redemptions"] == 2 and row["redeemed_value"] == 50
    assert row["friends"] == 2 and row["new_customers"] == 1 and row["won_value"] == 1000
    assert row["cost"] == 50 + row["reward_cost"]
    assert row["reward_cost"] >= extra  # the holders' rewards under the policy
    assert row["roi"] == round(float((1000 - row["cost"]) / row["cost"]), 4)
    never = rows["Never run"]
    assert (never["runs"], never["vouchers"], never["cost"], never["roi"]) == (0, 0, 0, None)
    [period] = campaign_return.returns(row["campaign_id"], group_by="period")
    assert period["period"] == "2026-Q4" and period["won_value"] == 1000
    assert period["cost"] == row["cost"]


# -- the schema ------------------------------------------------------------------------


def test_upgrading_a_v2_database_keeps_its_data_and_adds_campaigns(db_path, monkeypatch):
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "schema_v1.sql"
    conn = sqlite3.connect(db_path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()
    # First to version 2, as the app before campaigns left it.
    with monkeypatch.context() as patch:
        patch.setattr(dbm, "SCHEMA_VERSION", 2)
        old = dbm.open_database(db_path)
        assert migrations.schema_version(old.db) == 2
        assert "campaign" not in old.db.get_tables()
        before = {
            t: old.db.execute_sql(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("contact", "referral", "follow_up", "voucher")
        }
        old.close()
    store = dbm.open_database(db_path)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert dbm.check(store) == []
        for table, count in before.items():
            assert store.db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0] == count
        assert {"campaign", "campaign_run", "campaign_reminder"} <= set(store.db.get_tables())
        best()
        assert campaigns.list_campaigns()[0]["name"] == "Best clients"
    finally:
        store.close()


def test_the_database_itself_holds_one_reminder_per_campaign_and_period(clients):
    from peewee import IntegrityError

    campaign = best()
    followups.run_daily_rules(TODAY)
    reminder = models.CampaignReminder.get()
    with pytest.raises(IntegrityError), models.database_proxy.atomic():
        models.CampaignReminder.create(
            campaign=campaign["id"], period="2026-Q4", followup=reminder.followup_id
        )


@pytest.mark.parametrize("language", ["el", "it", "bg"])
def test_a_batch_is_issued_when_the_interface_writes_decimals_with_a_comma(clients, language):
    from decimal import Decimal

    from crm.i18n import set_language

    campaigns.create("Half", top_n=2, value="30.5", valid_days=60)
    set_language(language)
    try:
        # The campaign's value went to the voucher as the text "30.5", which a Greek,
        # Italian or Bulgarian reader refuses as ambiguous.
        out = campaign_runs.run("Half")
    finally:
        set_language("en")
    assert [Decimal(str(v["value"])) for v in out["vouchers"]] == [Decimal("30.5")] * 2
