"""Rewards: the policy and its hook, the ledger, points, ROI, and the command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from dbtools import refused
from playhouse.test_utils import count_queries

from crm import cli
from crm.core import (
    clock,
    contacts,
    interactions,
    models,
    redemption,
    referrals,
    reward_policy,
    reward_roi,
    rewards,
    settings,
    vouchers,
)
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError

TODAY = clock.today()
EUR, USD = "EUR", "USD"


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family)).id


def won(giver: int, value: str, currency: str = EUR, **kw) -> models.Referral:
    friend = person(f"Friend of {giver}", str(models.Contact.select().count()))
    return referrals.record_referral(
        giver, friend, status="won", value=value, currency=currency, **kw
    )


def policy_rewards(referral_id: int | None = None) -> list[models.Reward]:
    query = models.Reward.select().order_by(models.Reward.id)
    if referral_id is not None:
        query = query.where(models.Reward.referral == referral_id)
    return list(query)


# -- the policy ---------------------------------------------------------------------------


def test_policy_defaults(store):
    policy = reward_policy.get_policy()
    assert policy == reward_policy.Policy(
        trigger="won",
        amount_mode="fixed",
        fixed_amount=Decimal("25"),
        percent=Decimal("5"),
        cap=Decimal("100"),
        sides="one",
        kind="thank_you_letter",
        limit_count=0,
        limit_days=30,
        voucher_holder="won",
    )
    with pytest.raises(AttributeError):
        policy.trigger = "received"  # frozen


def test_set_policy_round_trip(store):
    out = reward_policy.set_policy(
        trigger="received",
        amount_mode="percent",
        fixed_amount=Decimal("30"),
        percent=2.5,
        cap="",
        sides="two",
        kind="points",
        limit_count="3",
        limit_days=7,
    )
    assert out == reward_policy.get_policy()
    assert (out.trigger, out.amount_mode, out.sides, out.kind) == (
        "received",
        "percent",
        "two",
        "points",
    )
    assert (out.fixed_amount, out.percent, out.cap) == (Decimal("30"), Decimal("2.5"), None)
    assert (out.limit_count, out.limit_days) == (3, 7)
    assert out.to_dict()["cap"] is None and out.to_dict()["percent"] == "2.50"
    assert reward_policy.set_policy(cap="1,000").cap == Decimal("1000")
    assert reward_policy.set_policy(cap=None).cap is None


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"trigger": "sent"}, "The reward trigger must be one of received, won, not 'sent'", None),
        ({"amount_mode": "half"}, "The reward amount must be one of fixed, percent", None),
        ({"fixed_amount": "abc"}, "The fixed reward 'abc' is not a number", None),
        ({"fixed_amount": "-5"}, "The fixed reward -5 is negative", None),
        ({"fixed_amount": True}, "must be text", None),
        ({"percent": "150"}, "The reward percentage must be at most 100, not 150", None),
        ({"percent": "NaN"}, "The reward percentage 'NaN' is not a number", None),
        ({"cap": "0"}, "must be more than 0; leave it empty for none", None),
        ({"sides": "three"}, "Who is rewarded must be one of one, two, not 'three'", None),
        ({"kind": "hug"}, "The kind of reward must be one of thank_you_letter", None),
        ({"limit_count": -1}, "must be between 0 and 1000, not -1", None),
        ({"limit_days": 0}, "must be between 1 and 3650, not 0", None),
        ({"limit_days": "a week"}, "must be a whole number, not 'a week'", None),
        ({"colour": "red"}, "Unknown reward policy field 'colour'", "colour"),
        # A good field before a bad one is not written either.
        ({"trigger": "received", "percent": "200"}, "at most 100, not 200", "percent"),
    ],
)
def test_policy_refusals(store, unchanged, fields, message, field):
    settings.set_value("reward_trigger", "won")  # a stored row, so a change would show
    [name] = [k for k in fields if k != "trigger"] or ["trigger"]
    with refused(unchanged, message, field=field or name):
        reward_policy.set_policy(**fields)
    assert reward_policy.get_policy().trigger == "won"


# -- the hook: amounts, sides, triggers ----------------------------------------------------


def test_default_policy_rewards_the_giver_when_won(store):
    giver, friend = person("Anna", "Rossi"), person("Marco", "Bianchi")
    ref = referrals.record_referral(giver, friend)
    assert policy_rewards() == []  # received: not the default trigger
    referrals.change_status(ref.id, "contacted")
    assert policy_rewards() == []
    referrals.change_status(ref.id, "won", value="1200")
    [reward] = policy_rewards()
    assert (reward.contact_id, reward.referral_id) == (giver, ref.id)
    assert (reward.kind, reward.amount, reward.currency, reward.points, reward.status) == (
        "thank_you_letter",
        Decimal("25.00"),
        EUR,
        0,
        "pending",
    )
    assert reward.notes.startswith("[policy:won]") and "fixed 25.00 EUR" in reward.notes
    # The hook again, and a reopened referral won again: still one reward.
    assert reward_policy.apply_policy(ref.id, "won") == [reward.id]
    referrals.change_status(ref.id, "proposal", reopen=True)
    referrals.change_status(ref.id, "won", value="1500")
    assert [r.id for r in policy_rewards()] == [reward.id]


def test_a_referral_recorded_as_won_is_rewarded(store):
    ref = won(person("Anna"), "800", USD)
    [reward] = policy_rewards(ref.id)
    assert (reward.amount, reward.currency) == (Decimal("25.00"), USD)


@pytest.mark.parametrize(
    ("value", "cap", "amount"),
    [
        ("1200", "100", Decimal("60.00")),  # 5% of 1200
        ("3000", "100", Decimal("100.00")),  # 150, capped
        ("3000", None, Decimal("150.00")),  # no cap
        ("1234.50", "100", Decimal("61.73")),  # 61.725 rounded half up
        ("2000", "100", Decimal("100.00")),  # exactly at the cap
    ],
)
def test_percent_of_the_won_value_with_a_cap(store, value, cap, amount):
    reward_policy.set_policy(amount_mode="percent", percent="5", cap=cap)
    ref = won(person("Anna"), value)
    [reward] = policy_rewards(ref.id)
    assert reward.amount == amount
    assert ("capped at" in reward.notes) == (cap is not None and Decimal(value) * 5 / 100 > 100)


def test_fixed_amount_and_points(store):
    reward_policy.set_policy(fixed_amount="40.5", kind="points")
    ref = won(person("Anna"), "100")
    [reward] = policy_rewards(ref.id)
    assert (reward.kind, reward.amount, reward.points) == ("points", Decimal("40.50"), 41)


def test_two_sided_rewards_the_friend_too(store):
    reward_policy.set_policy(sides="two", kind="gift", fixed_amount="20")
    giver = person("Anna")
    ref = won(giver, "500")
    ids = reward_policy.apply_policy(ref.id, "won")  # what the services got, again
    giver_reward, friend_reward = policy_rewards(ref.id)
    assert sorted(ids) == [giver_reward.id, friend_reward.id]
    assert (giver_reward.contact_id, friend_reward.contact_id) == (giver, ref.referred_id)
    assert "for the giver" in giver_reward.notes
    assert "for the referred friend" in friend_reward.notes
    assert friend_reward.amount == giver_reward.amount == Decimal("20.00")
    # One-sided: only the giver.
    reward_policy.set_policy(sides="one")
    other = won(giver, "500")
    assert [r.contact_id for r in policy_rewards(other.id)] == [giver]


def test_trigger_received(store):
    reward_policy.set_policy(trigger="received")
    giver, friend = person("Anna"), person("Marco")
    ref = referrals.record_referral(giver, friend)
    [reward] = policy_rewards()
    assert reward.notes.startswith("[policy:received]") and reward.amount == Decimal("25.00")
    # Won later: the trigger was "received", nothing more.
    referrals.change_status(ref.id, "won", value="900")
    assert len(policy_rewards()) == 1
    assert reward_policy.apply_policy(ref.id, "won") == []
    assert reward_policy.apply_policy(ref.id, "received") == [reward.id]
    # Recorded as won: rewarded once, for being received.
    other = won(giver, "400")
    [only] = policy_rewards(other.id)
    assert only.notes.startswith("[policy:received]")


def test_trigger_received_with_a_percentage_gives_0_and_says_why(store):
    reward_policy.set_policy(trigger="received", amount_mode="percent")
    ref = referrals.record_referral(person("Anna"), person("Marco"))
    [reward] = policy_rewards(ref.id)
    assert reward.amount == Decimal("0.00")
    assert "not known yet" in reward.notes


def test_a_redeemed_voucher_reports_the_rewards_it_made(store):
    reward_policy.set_policy(voucher_holder="redemption", sides="two")
    holder = person("Anna")
    [voucher] = vouchers.issue(
        [holder],
        value="50",
        expires=TODAY + dt.timedelta(days=30),
        batch="Q",
        allow_without_consent=True,
    )
    out = redemption.redeem(voucher["code"], new_friend="Maria Rossi")
    made = [r for r in policy_rewards(out["referral_id"]) if r.kind != "voucher"]
    assert sorted(out["reward_ids"]) == [r.id for r in made]
    assert {r.contact_id for r in made} == {holder, out["friend_id"]}
    # Besides them, the friend was given the voucher's face value.
    [face] = [r for r in policy_rewards(out["referral_id"]) if r.kind == "voucher"]
    assert (face.id, face.contact_id, face.amount) == (
        out["face_value_reward_id"],
        out["friend_id"],
        Decimal("50.00"),
    )


def test_apply_policy_refusals(store, unchanged):
    with refused(unchanged, "Trigger must be one of received, won, not 'lost'", field="trigger"):
        reward_policy.apply_policy(1, "lost")
    with refused(unchanged, "No referral with id 999", error=NotFoundError):
        reward_policy.apply_policy(999, "won")


# -- the limit per giver ------------------------------------------------------------------


def test_limit_per_giver_per_period(store):
    reward_policy.set_policy(limit_count=2, limit_days=30, sides="two")
    anna, bruno = person("Anna"), person("Bruno")
    first, second, third = (won(anna, "100") for _ in range(3))
    assert [r.contact_id for r in policy_rewards(first.id)] == [anna, first.referred_id]
    assert [r.contact_id for r in policy_rewards(second.id)] == [anna, second.referred_id]
    # The third: Anna is over the limit and skipped; her friend is still thanked.
    assert [r.contact_id for r in policy_rewards(third.id)] == [third.referred_id]
    assert reward_policy.apply_policy(third.id, "won") == [policy_rewards(third.id)[0].id]
    # Another giver has a limit of their own; rewards added by hand do not count.
    rewards.add_reward(bruno, "gift", "10")
    rewards.add_reward(bruno, "gift", "10")
    assert next(r.contact_id for r in policy_rewards(won(bruno, "100").id)) == bruno
    # Once Anna's rewards are older than the period, she is rewarded again.
    old = models.now() - dt.timedelta(days=31)
    models.Reward.update(created_at=old).where(models.Reward.contact == anna).execute()
    assert next(r.contact_id for r in policy_rewards(won(anna, "100").id)) == anna


def test_no_limit_by_default(store):
    anna = person("Anna")
    for _ in range(5):
        won(anna, "100")
    assert models.Reward.select().where(models.Reward.contact == anna).count() == 5


# -- the ledger, totals, giving ------------------------------------------------------------


@pytest.fixture
def ledger_book(store) -> dict[str, int]:
    reward_policy.set_policy(kind="gift", fixed_amount="25")
    anna, bruno = person("Anna", "Rossi"), person("Bruno", "Ferri")
    a1 = won(anna, "1000")
    won(anna, "300", USD)
    won(bruno, "200")
    hand = rewards.add_reward(anna, "cash", "10.50", EUR, referral_id=a1.id, notes="Extra")
    return {"anna": anna, "bruno": bruno, "a1": a1.id, "hand": hand}


def test_ledger_rows_and_filters(ledger_book):
    anna, bruno = ledger_book["anna"], ledger_book["bruno"]
    with count_queries() as counter:
        rows = rewards.ledger()
    assert counter.count == 1
    assert len(rows) == 4
    assert rows[0]["id"] == ledger_book["hand"]  # newest first
    hand = rows[0]
    assert hand["contact"] == "Anna Rossi" and hand["contact_id"] == anna
    assert (hand["kind"], hand["amount"], hand["currency"], hand["status"]) == (
        "cash",
        Decimal("10.50"),
        EUR,
        "pending",
    )
    assert hand["referral_id"] == ledger_book["a1"] and hand["referred"].startswith("Friend of")
    assert hand["policy"] is None and hand["notes"] == "Extra" and hand["given_at"] is None
    assert rows[1]["policy"] == "won"
    assert {r["contact_id"] for r in rewards.ledger(giver_id=bruno)} == {bruno}
    assert len(rewards.ledger(giver_id=anna)) == 3
    assert rewards.ledger(status="given") == []
    assert len(rewards.ledger(limit=2)) == 2
    rewards.mark_given(hand["id"])
    assert [r["id"] for r in rewards.ledger(status="given")] == [hand["id"]]


def test_ledger_refuses_an_unknown_status(ledger_book, unchanged):
    with refused(unchanged, "Status must be one of pending, given, not 'lost'", field="status"):
        rewards.ledger(status="lost")


def test_totals_by_giver(ledger_book):
    anna, bruno = ledger_book["anna"], ledger_book["bruno"]
    [usd] = [r for r in rewards.ledger(giver_id=anna) if r["currency"] == USD]
    rewards.mark_given(usd["id"])
    with count_queries() as counter:
        totals = rewards.totals_by_giver()
    assert counter.count == 1
    by = {t["contact_id"]: t for t in totals}
    # Currencies are never added together.
    assert by[anna]["pending"] == {EUR: Decimal("35.50")}
    assert by[anna]["given"] == {USD: Decimal("25.00")}
    assert (by[anna]["pending_count"], by[anna]["given_count"]) == (2, 1)
    assert by[bruno]["pending"] == {EUR: Decimal("25.00")} and by[bruno]["given"] == {}
    assert [t["name"] for t in totals] == ["Anna Rossi", "Bruno Ferri"]  # most pending first


def test_mark_given_logs_and_refuses_twice(ledger_book, unchanged):
    anna = ledger_book["anna"]
    hand = ledger_book["hand"]
    row = rewards.mark_given(hand)
    assert row["status"] == "given" and row["given_at"][:10] == TODAY.isoformat()
    [line] = [x for x in interactions.history(anna) if x.kind == "reward_given"]
    assert line.summary == "Reward given: cash, 10.50 EUR"
    assert line.referral_id == ledger_book["a1"]
    with refused(
        unchanged,
        f"Reward {hand} for Anna Rossi was already given on {TODAY.isoformat()}",
        field="reward",
    ):
        rewards.mark_given(hand)
    with refused(unchanged, "No reward with id 999", field="reward", error=NotFoundError):
        rewards.mark_given(999)


def test_add_reward_refusals(ledger_book, unchanged):
    anna, bruno = ledger_book["anna"], ledger_book["bruno"]
    cases = [
        (dict(contact_id=anna, kind="hug", amount="5"), "Kind must be one of", "kind"),
        (dict(contact_id=anna, kind="gift", amount="-5"), "Amount -5 is negative", "amount"),
        (dict(contact_id=anna, kind="gift", amount="ten"), "'ten' is not an amount", "amount"),
        (dict(contact_id=anna, kind="gift", amount="5", currency="XYZ"), "'XYZ'", "currency"),
        (dict(contact_id=999, kind="gift", amount="5"), "No contact with id 999", "contact"),
        (
            dict(contact_id=bruno, kind="gift", amount="5", referral_id=ledger_book["a1"]),
            f"Referral {ledger_book['a1']} is not Bruno Ferri's",
            "referral",
        ),
        (
            dict(contact_id=anna, kind="gift", amount="5", referral_id=999),
            "No referral with id 999",
            "referral",
        ),
    ]
    for kwargs, message, field in cases:
        with refused(unchanged, message, field=field):
            rewards.add_reward(**kwargs)


def test_add_reward_takes_the_profile_currency(store):
    settings.update_profile(currency="GBP")
    anna = person("Anna")
    reward = models.Reward.get_by_id(rewards.add_reward(anna, "points", "120"))
    assert (reward.currency, reward.points, reward.status) == ("GBP", 120, "pending")


# -- points ----------------------------------------------------------------------------------


def test_points_accumulate_and_are_redeemed(store, unchanged):
    reward_policy.set_policy(kind="points", fixed_amount="50")
    anna = person("Anna", "Rossi")
    first, second = won(anna, "100"), won(anna, "100")
    assert rewards.points_balance(anna) == 0  # pending points are not yet hers
    for r in policy_rewards():
        rewards.mark_given(r.id)
    assert rewards.points_balance(anna) == 100
    rewards.add_reward(anna, "points", "30")  # pending: not in the balance
    spent = rewards.redeem_points(anna, 70, "Dinner for two")
    assert rewards.points_balance(anna) == 30
    row = models.Reward.get_by_id(spent)
    assert (row.kind, row.points, row.amount, row.status) == ("points", -70, Decimal("0"), "given")
    [line] = [x for x in interactions.history(anna) if x.kind == "points_redeemed"]
    assert line.summary == "70 points redeemed: Dinner for two"
    [total] = rewards.totals_by_giver()
    assert (total["points_balance"], total["points_pending"], total["given_count"]) == (30, 30, 2)

    with refused(unchanged, "Anna Rossi has 30 points to redeem, not 31", field="points"):
        rewards.redeem_points(anna, 31)
    for bad in (0, -5, True, 2.5):
        with refused(unchanged, "must be a whole number above 0", field="points"):
            rewards.redeem_points(anna, bad)
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        rewards.redeem_points(999, 1)
    assert first.id != second.id


# -- ROI ------------------------------------------------------------------------------------


@pytest.fixture
def roi_book(store) -> dict[str, int]:
    """Anna: 1000 EUR won (direct, 10 Jan, rewarded 12 Jan) and 2000 EUR won (tangible,
    20 Feb, rewarded 2 Mar); Bruno: 500 USD won (25 Feb, rewarded 27 Feb) and one open
    referral; each reward 25; Carla: a 40 EUR reward by hand on 5 Mar, no referral."""
    year = TODAY.year - 1
    anna, bruno, carla = person("Anna"), person("Bruno"), person("Carla")
    w = models.Reward

    def rewarded(ref: models.Referral, month: int, day: int) -> None:
        stamp = dt.datetime(year, month, day, 10)
        w.update(created_at=stamp).where(w.referral == ref.id).execute()

    rewarded(won(anna, "1000", referred_on=dt.date(year, 1, 10)), 1, 12)
    rewarded(won(anna, "2000", program="tangible", referred_on=dt.date(year, 2, 20)), 3, 2)
    rewarded(won(bruno, "500", USD, referred_on=dt.date(year, 2, 25)), 2, 27)
    referrals.record_referral(bruno, person("Open"), referred_on=dt.date(year, 2, 26))
    hand = rewards.add_reward(carla, "gift", "40", EUR)
    w.update(created_at=dt.datetime(year, 3, 5, 10)).where(w.id == hand).execute()
    return {"anna": anna, "bruno": bruno, "carla": carla, "year": year}


def _rows(rows: list[dict]) -> list[tuple]:
    return [
        (r["label"], r["currency"], r["won_value"], r["cost"], r["won"], r["rewards"], r["roi"])
        for r in rows
        if not r["total"]
    ]


def _totals(rows: list[dict]) -> dict[str, tuple]:
    return {r["currency"]: (r["won_value"], r["cost"], r["roi"]) for r in rows if r["total"]}


def test_roi_per_giver(roi_book):
    with count_queries() as counter:
        rows = reward_roi.roi(group_by="giver")
    assert counter.count == 2
    D = Decimal
    assert _rows(rows) == [
        ("Anna", EUR, D("3000.00"), D("50.00"), 2, 2, 59.0),
        ("Bruno", USD, D("500.00"), D("25.00"), 1, 1, 19.0),
        ("Carla", EUR, D("0.00"), D("40.00"), 0, 1, -1.0),
    ]
    assert rows[0]["group"] == roi_book["anna"]
    assert _totals(rows) == {
        EUR: (D("3000.00"), D("90.00"), round((3000 - 90) / 90, 4)),
        USD: (D("500.00"), D("25.00"), 19.0),
    }


def test_roi_per_program(roi_book):
    D = Decimal
    rows = reward_roi.roi(group_by="program")
    assert [(r["group"], *t) for r, t in zip(rows, _rows(rows), strict=False)] == [
        ("direct", "direct", EUR, D("1000.00"), D("25.00"), 1, 1, 39.0),
        ("direct", "direct", USD, D("500.00"), D("25.00"), 1, 1, 19.0),
        ("tangible", "tangible", EUR, D("2000.00"), D("25.00"), 1, 1, 79.0),
        (None, "", EUR, D("0.00"), D("40.00"), 0, 1, -1.0),  # the reward added by hand
    ]


def test_roi_per_period_and_dates(roi_book):
    D = Decimal
    y = roi_book["year"]
    rows = reward_roi.roi(group_by="period")
    # Won value in the month of the referral, cost in the month of the reward.
    assert _rows(rows) == [
        (f"{y}-01", EUR, D("1000.00"), D("25.00"), 1, 1, 39.0),
        (f"{y}-02", EUR, D("2000.00"), D("0.00"), 1, 0, None),
        (f"{y}-02", USD, D("500.00"), D("25.00"), 1, 1, 19.0),
        (f"{y}-03", EUR, D("0.00"), D("65.00"), 0, 2, -1.0),
    ]
    feb = reward_roi.roi(dt.date(y, 2, 1), dt.date(y, 2, 28), group_by="giver")
    assert _rows(feb) == [
        ("Anna", EUR, D("2000.00"), D("0.00"), 1, 0, None),
        ("Bruno", USD, D("500.00"), D("25.00"), 1, 1, 19.0),
    ]
    assert _totals(feb) == {
        EUR: (D("2000.00"), D("0.00"), None),
        USD: (D("500.00"), D("25.00"), 19.0),
    }
    march = reward_roi.roi(dt.date(y, 3, 1), dt.date(y, 3, 31))
    assert _rows(march) == [
        ("Carla", EUR, D("0.00"), D("40.00"), 0, 1, -1.0),
        ("Anna", EUR, D("0.00"), D("25.00"), 0, 1, -1.0),
    ]
    assert reward_roi.roi(dt.date(y, 4, 1), dt.date(y, 4, 30)) == []


def test_roi_totals_agree_with_stats(roi_book):
    from crm.core import stats

    y = roi_book["year"]
    for start, end in (
        (None, None),
        (dt.date(y, 2, 1), dt.date(y, 2, 28)),
        (dt.date(y, 3, 1), None),
    ):
        totals = _totals(reward_roi.roi(start, end))
        figures = stats.summary(start, end)
        assert {c: t[0] for c, t in totals.items() if t[0]} == figures["won_value"]
        assert {c: t[1] for c, t in totals.items() if t[1]} == figures["reward_cost"]


def test_roi_with_nothing_spent_is_none_and_redeemed_points_cost_nothing(store):
    reward_policy.set_policy(kind="points", fixed_amount="10")
    anna = person("Anna")
    ref = won(anna, "100")
    models.Reward.delete().where(models.Reward.referral == ref.id).execute()
    [row, total] = reward_roi.roi()
    assert row["roi"] is None and total["roi"] is None
    reward = rewards.add_reward(anna, "points", "10", EUR, referral_id=ref.id)
    rewards.mark_given(reward)
    rewards.redeem_points(anna, 5)
    [row, _total] = reward_roi.roi()
    assert (row["cost"], row["rewards"], row["roi"]) == (Decimal("10.00"), 1, 9.0)


def test_roi_refuses_an_unknown_grouping(store, unchanged):
    with refused(unchanged, "Group by one of giver, program, period, not 'city'", field="group_by"):
        reward_roi.roi(group_by="city")


# -- the command ------------------------------------------------------------------------------


def run(db, capsys, *args):
    capsys.readouterr()
    code = cli.main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_rewards(tmp_path, capsys):
    path = tmp_path / "cli.sqlite3"
    code, out, _ = run(path, capsys, "rewards", "policy", "--json")
    assert code == 0 and json.loads(out)["trigger"] == "won"
    code, out, _ = run(
        path,
        capsys,
        "rewards",
        "policy",
        "--amount-mode",
        "percent",
        "--percent",
        "10",
        "--cap",
        "",
    )
    assert code == 0 and "10.00% of the won value, no cap" in out
    code, out, err = run(path, capsys, "rewards", "policy", "--sides", "both")
    assert code == 2 and out == "" and err.startswith("error: Who is rewarded must be one of")

    giver = json.loads(run(path, capsys, "contacts", "add", "--given", "Anna")[1])["id"]
    friend = json.loads(run(path, capsys, "contacts", "add", "--given", "Marco")[1])["id"]
    assert (
        run(path, capsys, "refer", str(giver), str(friend), "--status", "won", "--value", "800")[0]
        == 0
    )
    code, out, _ = run(path, capsys, "rewards", "list", "--json", "--status", "pending")
    [row] = json.loads(out)
    assert (row["contact_id"], row["amount"], row["kind"]) == (giver, "80.00", "thank_you_letter")
    code, out, _ = run(path, capsys, "rewards", "list", "--giver", str(giver))
    assert "Anna" in out and "80.00 EUR" in out and "pending" in out
    code, out, _ = run(path, capsys, "rewards", "give", str(row["id"]))
    assert code == 0 and f"Reward {row['id']} for Anna given" in out
    code, out, err = run(path, capsys, "rewards", "give", str(row["id"]))
    assert code == 2 and "already given on" in err and out == ""
    code, out, _ = run(path, capsys, "rewards", "roi", "--json")
    rows = json.loads(out)
    assert rows[0]["won_value"] == "800.00" and rows[0]["cost"] == "80.00" and rows[0]["roi"] == 9.0
    code, out, _ = run(path, capsys, "rewards", "roi", "--group-by", "program")
    assert "direct" in out and "900%" in out


def test_policy_keys_are_validated_by_settings(store, unchanged):
    # Through the plain settings door too.
    with refused(unchanged, "The reward trigger must be one of", field="reward_trigger"):
        settings.set_value("reward_trigger", "lost")
    with pytest.raises(ValidationError):
        settings.clean_value("reward_fixed_amount", [25])
