"""Stay-in-touch cadence follow-ups, and the quality guard on a hand-built dataset."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from dbtools import refused
from playhouse.test_utils import count_queries

from crm import cli
from crm.core import (
    cadence,
    clock,
    contacts,
    followups,
    interactions,
    models,
    quality,
    referrals,
    reward_policy,
)
from crm.core.contacts import ContactData

TODAY = clock.today()
DAY = dt.timedelta(days=1)


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30))


def added_on(contact_id: int, day: dt.date) -> None:
    """Pretend the contact was added on ``day``."""
    models.Contact.update(created_at=at(day)).where(models.Contact.id == contact_id).execute()


def reminders(contact_id: int | None = None, *, open_only: bool = False) -> list[models.FollowUp]:
    f = models.FollowUp
    query = f.select().where(f.kind == "stay_in_touch")
    if contact_id is not None:
        query = query.where(f.contact == contact_id)
    if open_only:
        query = query.where(f.done_at.is_null())
    return list(query.order_by(f.id))


# -- stay-in-touch cadence ------------------------------------------------------------


def test_a_contact_past_the_cadence_gets_one_reminder(store):
    ana = person("Ana", "Kovač", stay_in_touch_days=60)
    # Never touched: the cadence counts from the day Ana was added (today).
    assert cadence.apply_cadence_rule(TODAY + 59 * DAY) == 0
    assert cadence.apply_cadence_rule(TODAY + 60 * DAY) == 1
    [item] = reminders(ana)
    assert (item.kind, item.rule, item.due) == ("stay_in_touch", "cadence", TODAY + 60 * DAY)
    assert item.title == "Stay in touch: Ana Kovač"
    assert item.notes == f"Last in touch on {TODAY.isoformat()}; in touch every 60 days"
    # Idempotent: later runs make no second open reminder.
    assert cadence.apply_cadence_rule(TODAY + 60 * DAY) == 0
    assert cadence.apply_cadence_rule(TODAY + 200 * DAY) == 0
    assert len(reminders(ana)) == 1


def test_the_last_touch_counts_and_other_history_does_not(store):
    ana = person("Ana", stay_in_touch_days=30)
    old = TODAY - 100 * DAY
    added_on(ana, old - 10 * DAY)
    interactions.add_note(ana, "call", "Coffee next month?", at=at(old))
    # Lines that are not being in touch with Ana.
    for kind in ("updated", "tagged", "followup_added", "referral_status", "voucher_voided"):
        interactions.log(ana, kind, "admin", at=at(TODAY - DAY))
    assert cadence.apply_cadence_rule(TODAY) == 1
    [item] = reminders(ana)
    # The cadence ran out 70 days ago; a new reminder is due today, never born overdue.
    assert item.due == TODAY
    assert item.notes.startswith(f"Last in touch on {old.isoformat()}")


def test_every_touch_kind_counts(store):
    ids = {}
    for kind in cadence.TOUCH_KINDS:
        ids[kind] = cid = person(kind, stay_in_touch_days=10)
        added_on(cid, TODAY - 50 * DAY)
        interactions.log(cid, kind, "in touch", at=at(TODAY - 5 * DAY))
    assert cadence.apply_cadence_rule(TODAY) == 0
    assert cadence.apply_cadence_rule(TODAY + 5 * DAY) == len(cadence.TOUCH_KINDS)


def test_who_gets_no_reminder(store):
    person("No cadence")
    archived = person("Archived", stay_in_touch_days=7)
    contacts.set_archived(archived, True)
    by_hand = person("By hand", stay_in_touch_days=7)
    followups.create_followup(by_hand, TODAY + 3 * DAY, kind="stay_in_touch")
    snoozed = person("Snoozed", stay_in_touch_days=7)
    item = followups.create_followup(snoozed, TODAY, kind="stay_in_touch")
    followups.snooze(item.id, TODAY + 30 * DAY)
    # The follow-ups made by hand were touches too ("followup_added" is not): the
    # contacts are past their cadence a week on, and still get no second reminder.
    assert cadence.apply_cadence_rule(TODAY + 8 * DAY) == 0
    assert reminders(archived) == []
    assert len(reminders(by_hand)) == len(reminders(snoozed)) == 1


def test_done_reminders_restart_the_cadence(store):
    ana = person("Ana", stay_in_touch_days=7)
    added_on(ana, TODAY - 20 * DAY)
    assert cadence.apply_cadence_rule(TODAY) == 1
    [item] = reminders(ana)
    followups.mark_done(item.id)  # logs "followup_done": in touch today
    assert cadence.apply_cadence_rule(TODAY) == 0
    assert cadence.apply_cadence_rule(TODAY + 6 * DAY) == 0
    assert cadence.apply_cadence_rule(TODAY + 7 * DAY) == 1
    assert [r.due for r in reminders(ana, open_only=True)] == [TODAY + 7 * DAY]


def test_reminders_close_when_answered_or_the_cadence_is_removed(store):
    ana = person("Ana", stay_in_touch_days=7)
    ben = person("Ben", stay_in_touch_days=7)
    for cid in (ana, ben):
        added_on(cid, TODAY - 20 * DAY)
    assert cadence.apply_cadence_rule(TODAY) == 2
    # Ana is called (a moment after the reminder was made); Ben's cadence is removed.
    models.FollowUp.update(created_at=models.now() - dt.timedelta(minutes=5)).execute()
    interactions.add_note(ana, "call", "Caught up")
    contacts.update_contact(ben, stay_in_touch_days=None)
    assert cadence.apply_cadence_rule(TODAY) == 0
    assert reminders(ana, open_only=True) == reminders(ben, open_only=True) == []
    assert len(reminders(ana)) == len(reminders(ben)) == 1  # closed, not deleted


def test_the_cadence_rule_runs_a_fixed_number_of_queries(store):
    def run_with(n: int) -> int:
        for i in range(n):
            cid = person(f"P{n}-{i}", stay_in_touch_days=5)
            interactions.add_note(cid, "note", "hello", at=at(TODAY - 30 * DAY))
        with count_queries() as counter:
            assert cadence.apply_cadence_rule(TODAY) == n
        return counter.count

    assert run_with(3) == run_with(40)


def test_date_rules_run_birthdays_and_cadence_together(store):
    person("Tina", birthday=f"--{TODAY:%m-%d}")
    ana = person("Ana", stay_in_touch_days=1)
    added_on(ana, TODAY - 3 * DAY)
    assert followups.apply_date_rules(TODAY) == 2
    kinds = sorted(f["kind"] for f in followups.open_followups(due_by=TODAY))
    assert kinds == ["birthday", "stay_in_touch"]
    assert followups.apply_date_rules(TODAY) == 0


def test_cli_followups_makes_cadence_reminders_only_when_asked(store, db_path, capsys, unchanged):
    ana = person("Ana", "Kovač", stay_in_touch_days=3)
    added_on(ana, TODAY - 10 * DAY)
    with unchanged():  # listing is a read
        assert cli.main(["--db", str(db_path), "followups", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli.main(["--db", str(db_path), "followups", "--apply-rules", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [(f["contact_id"], f["kind"], f["rule"], f["due"]) for f in json.loads(out)] == [
        (ana, "stay_in_touch", "cadence", TODAY.isoformat())
    ]
    assert err == "Made 1 follow-up from the date rules.\n"
    assert followups.daily_rules_day() == TODAY


# -- quality guard: per-giver figures ---------------------------------------------------

EUR, USD = "EUR", "USD"


class Book:
    """Builds referrals quickly: each to a new referred contact."""

    def __init__(self) -> None:
        self.n = 0

    def refer(
        self,
        giver: int,
        status: str = "new",
        value: str | None = None,
        currency: str = EUR,
        days_ago: int = 10,
    ) -> models.Referral:
        self.n += 1
        friend = person(f"Friend{self.n}")
        ref = referrals.record_referral(
            giver,
            friend,
            referred_on=TODAY - days_ago * DAY,
            currency=currency,
        )
        if status != "new":
            referrals.change_status(ref.id, status, value=value, currency=currency)
        return models.Referral.get_by_id(ref.id)


@pytest.fixture
def book(store) -> dict[str, int]:
    # The policy rewards each won referral with 25 in the referral's currency.
    reward_policy.set_policy(trigger="won", amount_mode="fixed", fixed_amount="25", kind="gift")
    b = Book()
    g = {k: person(k) for k in ("A", "B", "C", "D", "E")}
    a_won = b.refer(g["A"], "won", "1000")
    b.refer(g["A"], "won", "500")
    b.refer(g["A"], "lost")
    b.refer(g["A"])
    b.refer(g["A"], "won", "999", days_ago=400)  # outside a one-year period
    b.refer(g["B"], "won", "200")
    b.refer(g["B"], "won", "300", currency=USD)
    b.refer(g["B"], "won", "100")
    b.refer(g["B"], "meeting")
    for i in range(10):  # C: many referrals, none won
        b.refer(g["C"], "lost" if i < 6 else "new")
    b.refer(g["D"], "won", "50")
    for _ in range(5):
        b.refer(g["D"], "lost")
    b.refer(g["E"], "lost")
    b.refer(g["E"])
    # Besides the policy's: two for A (one pending, one given), points for B, and a
    # two-sided friend's reward on A's referral, which is not A's.
    r = models.Reward
    r.create(contact=g["A"], referral=a_won, kind="cash", amount=Decimal("25"), currency=EUR)
    r.create(contact=g["A"], referral=a_won, kind="gift", amount=Decimal("10.50"), status="given")
    b_ref = models.Referral.select().where(models.Referral.giver == g["B"]).first()
    r.create(contact=g["B"], referral=b_ref, kind="points", points=100)
    r.create(contact=a_won.referred_id, referral=a_won, kind="discount", amount=Decimal("5"))
    return g


def test_giver_stats(book):
    stats = {s["name"]: s for s in quality.giver_stats()}
    a = stats["A"]
    assert (a["referrals"], a["converted"], a["lost"], a["open"]) == (5, 3, 1, 1)
    assert a["conversion_rate"] == 0.6
    assert a["won_value"] == {EUR: Decimal("2499.00")}
    # Three won referrals at 25 each, and 25 + 10.50 by hand.
    assert (a["rewards"], a["reward_value"], a["reward_points"]) == (
        5,
        {EUR: Decimal("110.50")},
        0,
    )
    b = stats["B"]
    assert (b["referrals"], b["converted"], b["open"]) == (4, 3, 1)
    # Never added across currencies.
    assert b["won_value"] == {EUR: Decimal("300.00"), USD: Decimal("300.00")}
    assert (b["rewards"], b["reward_value"], b["reward_points"]) == (
        4,
        {EUR: Decimal("50.00"), USD: Decimal("25.00")},
        100,
    )
    c = stats["C"]
    assert (c["referrals"], c["converted"], c["lost"], c["open"]) == (10, 0, 6, 4)
    assert c["conversion_rate"] == 0.0 and c["won_value"] == {}
    assert stats["D"]["conversion_rate"] == round(1 / 6, 4)
    # Most referrals first; the referred friends gave nothing and are not listed.
    assert [s["name"] for s in quality.giver_stats()] == ["C", "D", "A", "B", "E"]


def test_giver_stats_for_a_period(book):
    year = quality.giver_stats(TODAY - 365 * DAY, TODAY)
    a = next(s for s in year if s["name"] == "A")
    assert (a["referrals"], a["converted"], a["won_value"]) == (4, 2, {EUR: Decimal("1500.00")})
    assert (a["rewards"], a["reward_value"]) == (4, {EUR: Decimal("85.50")})
    assert quality.giver_stats(TODAY + DAY) == []


def test_giver_stats_takes_two_queries(book):
    with count_queries() as counter:
        quality.giver_stats()
    assert counter.count == 2


# -- quality guard: flags ---------------------------------------------------------------


def test_a_giver_with_many_poor_referrals_is_flagged(book):
    result = quality.flags()
    # 27 referrals, 7 won in all.
    assert result["average_conversion_rate"] == round(7 / 27, 4)
    [c] = result["suspicious_givers"]
    assert c["id"] == book["C"]
    # The others: 7 won of 17 (41%); a third of that is 13.7%, C converts 0%.
    assert c["others_rate"] == round(7 / 17, 4)
    assert c["reason"] == (
        "10 referrals, 0 won (0%); the other givers convert 41% of theirs (4 still open)"
    )
    # D (1 of 6, 16.7%) is low, but not under a third of the others' 28.6% (6 of 21).
    assert book["D"] not in {g["id"] for g in result["suspicious_givers"]}


def test_the_threshold_and_ratio_are_parameters(book):
    low = quality.flags(min_referrals=2)
    assert {g["id"] for g in low["suspicious_givers"]} == {book["C"], book["E"]}
    strict = quality.flags(ratio=1.5)
    assert {g["id"] for g in strict["suspicious_givers"]} == {book["C"], book["D"]}
    assert quality.flags(min_referrals=11)["suspicious_givers"] == []


def test_flag_parameters_are_checked(book, unchanged):
    with refused(unchanged, "must be 1 or more", field="min_referrals"):
        quality.flags(min_referrals=0)
    with refused(unchanged, "ratio must be more than 1", field="ratio"):
        quality.flags(ratio=1)
    with refused(unchanged, "starts", "after it ends"):
        quality.flags(date_from=TODAY, date_to=TODAY - DAY)


def test_one_giver_alone_is_never_flagged(store):
    b = Book()
    solo = person("Solo")
    for _ in range(8):
        b.refer(solo, "lost")
    assert quality.flags()["suspicious_givers"] == []


@pytest.fixture
def pairs(store) -> dict[str, tuple[int, int]]:
    """Giver and referred pairs, each sharing (or not quite sharing) something."""
    out = {}

    def pair(name: str, giver: dict, referred: dict) -> None:
        g = person(f"{name}-giver", **giver)
        d = person(f"{name}-referred", **referred)
        out[name] = (g, d, referrals.record_referral(g, d).id)

    pair("email", {"emails": ["Same@Example.com"]}, {"emails": ["x@a.com", "same@example.com"]})
    pair("phone", {"phones": ["+30 210 123 4567"]}, {"phones": ["+302101234567"]})
    greek = {"street": "Οδός Ερμού 5", "city": "Αθήνα", "postcode": "105 63"}
    pair("address", greek, {"street": "ΟΔΟΣ ΕΡΜΟΥ  5,", "city": "ΑΘΗΝΑ", "postcode": "10563"})
    pair("other_postcode", greek, {**greek, "postcode": "105 64"})
    pair("other_street", greek, {**greek, "street": "Οδός Ερμού 7"})
    pair("no_street", {"city": "Roma", "postcode": ""}, {"city": "Roma", "postcode": ""})
    pair("nothing", {"emails": ["a@x.com"]}, {"emails": ["b@x.com"]})
    pair("changed", {"emails": ["kim@x.com"]}, {"emails": ["kim@x.com"]})
    # Flagged when recorded; the referred has changed their email since.
    contacts.update_contact(out["changed"][1], emails=["kim.new@x.com"])
    return out


def test_referrals_sharing_an_email_phone_or_address_are_flagged(pairs):
    found = {r["id"]: r for r in quality.flags()["suspicious_referrals"]}
    by_name = {name: found.get(rid) for name, (_g, _d, rid) in pairs.items()}
    assert by_name["email"]["shared"] == {"email": "Same@example.com"}  # domain normalised
    assert by_name["email"]["reason"] == "giver and referred share the email Same@example.com"
    assert by_name["phone"]["shared"] == {"phone": "+302101234567"}
    assert by_name["address"]["shared"] == {"address": "Οδός Ερμού 5, 105 63 Αθήνα"}
    assert by_name["address"]["reason"] == (
        "giver and referred share the address Οδός Ερμού 5, 105 63 Αθήνα"
    )
    assert by_name["changed"]["shared"] == {}
    assert by_name["changed"]["reason"] == (
        "when recorded, giver and referred share the email kim@x.com"
    )
    for name in ("other_postcode", "other_street", "no_street", "nothing"):
        assert by_name[name] is None, name
    item = by_name["address"]
    g, d, _rid = pairs["address"]
    assert (item["giver_id"], item["referred_id"]) == (g, d)
    assert (item["giver"], item["referred"]) == ("address-giver", "address-referred")
    assert item["referred_on"] == TODAY and item["status"] == "new"


def test_one_referral_sharing_several_things_is_listed_once(store):
    same = {"emails": ["home@x.com"], "phones": ["+39 06 1234 5678"], "street": "Via Roma 1"}
    g, d = person("G", **same), person("D", **same)
    rid = referrals.record_referral(g, d).id
    [item] = quality.suspicious_referrals()
    assert item["id"] == rid and set(item["shared"]) == {"email", "phone", "address"}
    assert item["reason"] == (
        "giver and referred share the email home@x.com and the phone +390612345678 "
        "and the address Via Roma 1"
    )


def test_suspicious_referrals_take_a_fixed_number_of_queries(pairs):
    with count_queries() as small:
        quality.suspicious_referrals()
    g, d = person("More", emails=["m@x.com"]), person("More2", emails=["m@x.com"])
    referrals.record_referral(g, d)
    with count_queries() as large:
        assert len(quality.suspicious_referrals()) == 5
    assert small.count == large.count <= 5


def test_cli_quality(book, db_path, capsys):
    assert cli.main(["--db", str(db_path), "quality", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["id"] for g in data["suspicious_givers"]] == [book["C"]]
    assert len(data["givers"]) == 5 and data["suspicious_referrals"] == []
    assert cli.main(["--db", str(db_path), "quality", "--min-referrals", "2"]) == 0
    out = capsys.readouterr().out
    assert "5 givers; average conversion rate 26%" in out
    assert f"#{book['E']:<6} E: 2 referrals, 0 won (0%)" in out
    assert "Referrals to look at: none" in out
    assert cli.main(["--db", str(db_path), "quality", "--min-referrals", "0"]) == 2
    assert "error:" in capsys.readouterr().err
