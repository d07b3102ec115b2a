"""Referrals: the primary-referrer forest, refusals, suspicion flags and the status pipeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dbtools import refused

from crm.core import clock, contacts, events, followups, interactions, models, referrals, settings
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError

TODAY = clock.today()


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def primary_giver(referred_id: int) -> int | None:
    rows = list(
        models.Referral.select(models.Referral.giver)
        .where((models.Referral.referred == referred_id) & models.Referral.is_primary)
        .tuples()
    )
    assert len(rows) <= 1
    return rows[0][0] if rows else None


def referral_followups(ref_id: int) -> list[models.FollowUp]:
    return list(
        models.FollowUp.select()
        .where((models.FollowUp.referral == ref_id) & (models.FollowUp.rule == "referral"))
        .order_by(models.FollowUp.id)
    )


def last_line(contact_id: int) -> models.Interaction:
    return interactions.history(contact_id)[0]


# -- the primary referrer -------------------------------------------------------


def test_first_referral_is_primary_second_is_not(store):
    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    first = referrals.record_referral(anna, cara)
    second = referrals.record_referral(bob, cara)
    assert first.is_primary is True
    assert second.is_primary is False
    assert models.Referral.get_by_id(first.id).is_primary is True
    assert models.Referral.get_by_id(second.id).is_primary is False
    assert primary_giver(cara) == anna
    # Bob may still be the primary referrer of someone else.
    assert referrals.record_referral(bob, anna).is_primary is True


def test_recorded_fields_and_history(store):
    anna, bob = person("Anna", "Alpha"), person("Bob", "Beta")
    event = events.create_event("Chapter breakfast", TODAY - dt.timedelta(days=3))
    ref = referrals.record_referral(
        anna,
        bob,
        event_id=event.id,
        program="community",
        temperature=5,
        referred_on=TODAY - dt.timedelta(days=2),
        notes="Needs a new website",
    )
    d = referrals.to_dict(models.Referral.get_by_id(ref.id))
    assert d["giver_id"] == anna and d["giver"] == "Anna Alpha"
    assert d["referred_id"] == bob and d["referred"] == "Bob Beta"
    assert d["event_id"] == event.id
    assert d["program"] == "community"
    assert d["temperature"] == 5
    assert d["status"] == "new"
    assert d["value"] is None
    assert d["currency"] == "EUR"
    assert d["referred_on"] == (TODAY - dt.timedelta(days=2)).isoformat()
    assert d["suspicion"] == ""
    assert models.Referral.get_by_id(ref.id).notes == "Needs a new website"
    giver_line, referred_line = last_line(anna), last_line(bob)
    assert (giver_line.kind, giver_line.summary) == ("referral_given", "Referred Bob Beta")
    assert (giver_line.referral_id, giver_line.event_id) == (ref.id, event.id)
    assert (referred_line.kind, referred_line.summary) == (
        "referral_received",
        "Referred by Anna Alpha",
    )
    assert referrals.status_history(ref.id)[0][:2] == (None, "new")


def test_self_referral_refused(store, unchanged):
    anna = person("Anna", "Rossi")
    with refused(unchanged, "Anna Rossi cannot refer themselves", field="referred"):
        referrals.record_referral(anna, anna)


def test_duplicate_referral_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob, referred_on=TODAY - dt.timedelta(days=1))
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    with refused(unchanged, f"Anna already referred Bob on {day} (referral {ref.id})"):
        referrals.record_referral(anna, bob)
    # The other direction is a different referral (refused here only as a cycle).
    with refused(unchanged, "cycle"):
        referrals.record_referral(bob, anna)


def test_cycle_refused_naming_every_contact_in_order(store, unchanged):
    a, b, c, d = person("Anna"), person("Bob"), person("Cara"), person("Dan")
    referrals.record_referral(a, b)
    referrals.record_referral(b, c)
    referrals.record_referral(c, d)
    with refused(
        unchanged,
        "Dan cannot be the referrer of Anna: that would make a cycle "
        "(Anna → Bob → Cara → Dan → Anna)",
        field="giver",
    ):
        referrals.record_referral(d, a)
    # Bob already has a primary referrer: Cara referring him back is a
    # secondary referral, which closes no cycle in the primary forest.
    assert referrals.record_referral(c, b, program="implicit").is_primary is False
    with refused(unchanged, "(Anna → Bob → Cara → Anna)"):
        referrals.record_referral(c, a)


def test_cycle_through_non_primary_edge_allowed_only_while_not_primary(store, unchanged):
    z, a, b, c = person("Zoe"), person("Anna"), person("Bob"), person("Cara")
    referrals.record_referral(z, a)  # Zoe is Anna's primary referrer
    referrals.record_referral(a, b)
    referrals.record_referral(b, c)
    # Cara also referred Anna: Anna has a primary referrer already, so this is
    # recorded as a secondary referral and closes no cycle in the forest.
    back = referrals.record_referral(c, a)
    assert back.is_primary is False
    assert primary_giver(a) == z
    with refused(
        unchanged,
        "Cara cannot be the primary referrer of Anna: that would make a cycle "
        "(Anna → Bob → Cara → Anna)",
        field="giver",
    ):
        referrals.set_primary(back.id)
    assert primary_giver(a) == z


def test_set_primary_switches_the_primary_referrer(store, unchanged):
    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    first = referrals.record_referral(anna, cara)
    second = referrals.record_referral(bob, cara)
    referrals.set_primary(second.id)
    assert models.Referral.get_by_id(second.id).is_primary is True
    assert models.Referral.get_by_id(first.id).is_primary is False
    assert primary_giver(cara) == bob
    line = last_line(cara)
    assert (line.kind, line.summary, line.referral_id) == (
        "updated",
        "Primary referrer is now Bob",
        second.id,
    )
    with refused(unchanged, f"Referral {second.id} is already the primary one"):
        referrals.set_primary(second.id)
    referrals.set_primary(first.id)
    assert primary_giver(cara) == anna


def test_set_primary_missing_referral(store, unchanged):
    with refused(unchanged, "No referral with id 7", error=NotFoundError):
        referrals.set_primary(7)


def test_one_primary_per_contact_enforced_by_the_database(store):
    from peewee import IntegrityError

    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    referrals.record_referral(anna, cara)
    second = referrals.record_referral(bob, cara)
    with pytest.raises(IntegrityError), store.db.atomic():
        models.Referral.update(is_primary=True).where(models.Referral.id == second.id).execute()


# -- suspicion -------------------------------------------------------------------


def test_shared_email_flagged_not_refused(store):
    anna = person("Anna", emails=["family@example.com", "anna@example.com"])
    bob = person("Bob", emails=["Family@Example.com"])
    ref = referrals.record_referral(anna, bob)
    assert ref.suspicion == "giver and referred share the email Family@example.com"
    assert models.Referral.select().count() == 1


def test_shared_phone_flagged_not_refused(store):
    anna = person("Anna", phones=["+30 210 324 1234"])
    bob = person("Bob", phones=["+30 691 234 5678", "+302103241234"])
    ref = referrals.record_referral(anna, bob)
    assert ref.suspicion == "giver and referred share the phone +302103241234"
    assert referrals.to_dict(ref)["suspicion"] == ref.suspicion


def test_nothing_shared_no_suspicion(store):
    anna = person("Anna", emails=["a@example.com"], phones=["+30 210 324 1234"])
    bob = person("Bob", emails=["b@example.com"], phones=["+30 691 234 5678"])
    assert referrals.record_referral(anna, bob).suspicion == ""


# -- receiver --------------------------------------------------------------------


def test_outside_referral_receiver(store, unchanged):
    anna, bob, cara = person("Anna"), person("Bob"), person("Cara")
    for receiver in (anna, bob):
        with refused(
            unchanged, "passed to someone other than the giver and the referred", field="receiver"
        ):
            referrals.record_referral(anna, bob, receiver_id=receiver)
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        referrals.record_referral(anna, bob, receiver_id=999)
    ref = referrals.record_referral(anna, bob, receiver_id=cara)
    assert models.Referral.get_by_id(ref.id).receiver_id == cara


def test_missing_giver_referred_or_event(store, unchanged):
    anna = person("Anna")
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        referrals.record_referral(999, anna)
    with refused(unchanged, "No contact with id 998", error=NotFoundError):
        referrals.record_referral(anna, 998)
    bob = person("Bob")
    with refused(unchanged, "No event with id 77", error=NotFoundError):
        referrals.record_referral(anna, bob, event_id=77)


# -- field validation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "says", "fieldname"),
    [
        (
            {"program": "pyramid"},
            "Program must be one of direct, implicit, tangible, community",
            "program",
        ),
        ({"temperature": 0}, "Temperature must be 1 to 5, not 0", "temperature"),
        ({"temperature": 6}, "Temperature must be 1 to 5, not 6", "temperature"),
        ({"temperature": "3"}, "Temperature must be 1 to 5", "temperature"),
        ({"temperature": 2.5}, "Temperature must be 1 to 5", "temperature"),
        ({"status": "pending"}, "Status must be one of new, contacted", "status"),
        ({"status": "won", "value": "lots"}, "Value 'lots' is not an amount of money", "value"),
        ({"status": "won", "value": "NaN"}, "is not an amount of money", "value"),
        ({"status": "won", "value": "Infinity"}, "is not an amount of money", "value"),
        ({"status": "won", "value": -5}, "Value -5 is negative", "value"),
        ({"status": "won", "value": "1e12"}, "is too large", "value"),
        ({"status": "won"}, "A won referral needs the value of the business won", "value"),
        ({"value": 100}, "A value is recorded when the referral is won", "value"),
        ({"status": "lost", "value": 100}, "A value is recorded when the referral is won", "value"),
        ({"status": "won", "value": 1, "currency": "EU"}, "Currency 'EU' is not", "currency"),
        ({"status": "won", "value": 1, "currency": "E1R"}, "Currency 'E1R'", "currency"),
        ({"status": "won", "value": 1, "currency": "ΕΥΡ"}, "Currency 'ΕΥΡ'", "currency"),
        (
            {"referred_on": TODAY + dt.timedelta(days=1)},
            f"The referral date {(TODAY + dt.timedelta(days=1)).isoformat()} is in the future",
            "referred_on",
        ),
    ],
)
def test_invalid_referral_fields_refused(store, unchanged, kwargs, says, fieldname):
    anna, bob = person("Anna"), person("Bob")
    with refused(unchanged, says, field=fieldname):
        referrals.record_referral(anna, bob, **kwargs)


def test_won_at_creation_with_value(store):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob, status="won", value="1,200.50", currency="usd")
    stored = models.Referral.get_by_id(ref.id)
    assert stored.status == "won"
    assert stored.value == Decimal("1200.50")
    assert stored.currency == "USD"
    assert referral_followups(ref.id) == []  # no "contact them" reminder for a closed referral
    assert referrals.status_history(ref.id)[0][:2] == (None, "won")


def test_currency_defaults_to_profile(store):
    prof = settings.profile()
    prof.currency = "BGN"
    prof.save()
    anna, bob = person("Anna"), person("Bob")
    assert referrals.record_referral(anna, bob).currency == "BGN"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1200", "1200.00"),
        ("1,200.50", "1200.50"),
        (" 99.9 ", "99.90"),
        (0, "0.00"),
        (Decimal("12.345"), "12.35"),  # money rounds half up
        (None, None),
        ("", None),
    ],
)
def test_parse_value(text, amount):
    result = referrals.parse_value(text)
    assert (str(result) if result is not None else None) == amount


# -- the "contact within N days" follow-up ---------------------------------------------


def test_new_referral_creates_followup_due_after_setting_days(store):
    anna, bob, cara = person("Anna"), person("Bob", "Brown"), person("Cara")
    day = TODAY - dt.timedelta(days=10)
    ref = referrals.record_referral(anna, bob, referred_on=day)
    (item,) = referral_followups(ref.id)
    assert item.contact_id == bob
    assert item.due == day + dt.timedelta(days=2)
    assert item.kind == "call"
    assert item.done_at is None
    assert item.title == "Contact Bob Brown, referred by Anna"

    settings.set_value("followup_new_referral_days", 5)
    ref2 = referrals.record_referral(anna, cara)
    (item2,) = referral_followups(ref2.id)
    assert item2.due == TODAY + dt.timedelta(days=5)
    assert item2.contact_id == cara


def test_referral_recorded_past_new_creates_no_followup(store):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob, status="meeting")
    assert referral_followups(ref.id) == []


# -- the status pipeline ----------------------------------------------------------


def test_pipeline_forward_with_skips_and_history(store):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "contacted")
    referrals.change_status(ref.id, "proposal")  # skips meeting
    referrals.change_status(ref.id, "won", value="2500")
    stored = models.Referral.get_by_id(ref.id)
    assert stored.status == "won"
    assert stored.value == Decimal("2500.00")
    history = referrals.status_history(ref.id)
    assert [(a, b) for a, b, _at in history] == [
        (None, "new"),
        ("new", "contacted"),
        ("contacted", "proposal"),
        ("proposal", "won"),
    ]
    stamps = [at for _a, _b, at in history]
    assert all(isinstance(t, dt.datetime) for t in stamps)
    assert stamps == sorted(stamps)
    assert stamps[-1] <= models.now()
    assert stamps[-1] >= models.now() - dt.timedelta(minutes=5)
    assert stored.status_changed_at == stamps[-1]


@pytest.mark.parametrize("start", ["new", "contacted", "meeting", "proposal"])
def test_lost_reachable_from_every_open_step(store, start):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob, status=start)
    referrals.change_status(ref.id, "lost")
    assert models.Referral.get_by_id(ref.id).status == "lost"


def test_backward_move_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "meeting")
    for back in ("contacted", "new"):
        with refused(
            unchanged, f"Referral {ref.id} cannot move back from meeting to {back}", field="status"
        ):
            referrals.change_status(ref.id, back)


def test_same_status_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    with refused(unchanged, f"Referral {ref.id} is already new", field="status"):
        referrals.change_status(ref.id, "new")


def test_unknown_status_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    with refused(unchanged, "Status must be one of", "not 'closed'", field="status"):
        referrals.change_status(ref.id, "closed")
    with refused(unchanged, "No referral with id 555", error=NotFoundError):
        referrals.change_status(555, "contacted")


def test_closed_referral_moves_only_when_reopened(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "won", value=800)
    for target in ("proposal", "lost", "new"):
        with refused(
            unchanged,
            f"Referral {ref.id} is closed as won; reopen it to move it to {target}",
            field="status",
        ):
            referrals.change_status(ref.id, target)
    referrals.change_status(ref.id, "proposal", reopen=True)
    stored = models.Referral.get_by_id(ref.id)
    assert stored.status == "proposal"
    assert stored.value is None  # the business is no longer won
    referrals.change_status(ref.id, "lost")
    with refused(unchanged, "closed as lost"):
        referrals.change_status(ref.id, "won", value=5)
    referrals.change_status(ref.id, "won", value=5, reopen=True)
    assert models.Referral.get_by_id(ref.id).value == Decimal("5.00")
    assert [b for _a, b, _t in referrals.status_history(ref.id)] == [
        "new",
        "won",
        "proposal",
        "lost",
        "won",
    ]


def test_won_needs_a_value(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    with refused(unchanged, f"Referral {ref.id} is won: give the value", field="value"):
        referrals.change_status(ref.id, "won")
    with refused(unchanged, "Value 'abc' is not an amount of money", field="value"):
        referrals.change_status(ref.id, "won", value="abc")
    with refused(unchanged, "Currency 'XY'", field="currency"):
        referrals.change_status(ref.id, "won", value=10, currency="XY")
    referrals.change_status(ref.id, "won", value="1200.5", currency="gbp")
    stored = models.Referral.get_by_id(ref.id)
    assert (stored.value, stored.currency) == (Decimal("1200.50"), "GBP")


def test_value_on_a_non_won_status_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    for status in ("contacted", "lost"):
        with refused(unchanged, "A value is recorded when the referral is won", field="value"):
            referrals.change_status(ref.id, status, value=100)


def test_leaving_new_closes_the_referral_followup_only(store):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    own = followups.create_followup(bob, TODAY + dt.timedelta(days=7), referral_id=ref.id)
    (auto,) = referral_followups(ref.id)
    assert auto.done_at is None
    referrals.change_status(ref.id, "contacted")
    assert models.FollowUp.get_by_id(auto.id).done_at is not None
    assert models.FollowUp.get_by_id(own.id).done_at is None
    assert auto.id not in [f["id"] for f in followups.open_followups()]


@pytest.mark.parametrize(
    ("stage", "after"),
    [
        ("prospect", "customer"),
        ("lead", "customer"),
        ("customer", "customer"),
        ("ambassador", "ambassador"),
        ("inactive", "inactive"),
    ],
)
def test_won_moves_referred_stage_to_customer(store, stage, after):
    anna, bob = person("Anna"), person("Bob", stage=stage)
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "contacted")
    assert models.Contact.get_by_id(bob).stage == stage
    referrals.change_status(ref.id, "won", value=100)
    assert models.Contact.get_by_id(bob).stage == after


def test_status_change_logged_on_the_giver(store):
    anna, bob = person("Anna"), person("Bob", "Brown")
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "meeting")
    line = last_line(anna)
    assert (line.kind, line.summary, line.referral_id) == (
        "referral_status",
        "Referral of Bob Brown: new → meeting",
        ref.id,
    )
    referrals.change_status(ref.id, "won", value="1500", currency="EUR")
    assert last_line(anna).summary == "Referral of Bob Brown: meeting → won (1500.00 EUR)"
    assert last_line(bob).kind == "referral_received"  # the referred's history is not the place


# -- channel ---------------------------------------------------------------------------


def test_referred_channel_other_becomes_referral(store):
    anna = person("Anna")
    bob = person("Bob")  # channel defaults to "other"
    cara = person("Cara", channel="event")
    referrals.record_referral(anna, bob)
    referrals.record_referral(anna, cara)
    assert models.Contact.get_by_id(bob).channel == "referral"
    assert models.Contact.get_by_id(cara).channel == "event"  # a known channel is kept
    assert models.Contact.get_by_id(anna).channel == "other"  # the giver is unchanged


def test_won_at_creation_makes_the_referred_a_customer(store):
    giver, lead = person("Giver"), person("Lead", stage="lead")
    referrals.record_referral(giver, lead, status="won", value="900")
    assert models.Contact.get_by_id(lead).stage == "customer"


def test_a_boolean_is_not_a_temperature(store, unchanged):
    a, b = person("A"), person("B")
    with refused(unchanged, "Temperature must be 1 to 5, not True", field="temperature"):
        referrals.record_referral(a, b, temperature=True)


@pytest.fixture
def greek(tmp_path, monkeypatch):
    from crm import i18n

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n.set_language("el")
    yield
    i18n.set_language("en")


def test_a_greek_refusal_words_the_status_in_greek(store, unchanged, greek):
    # The stored codes ("won", "meeting") are worded through the catalog, never English.
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob)
    referrals.change_status(ref.id, "meeting")
    with refused(
        unchanged,
        f"Η σύσταση {ref.id} δεν μπορεί να επιστρέψει από «Συνάντηση» σε «Νέα»",
        field="status",
    ) as caught:
        referrals.change_status(ref.id, "new")
    # The English wording (logs, --json's code and params) keeps the codes.
    assert caught.value.english() == f"Referral {ref.id} cannot move back from meeting to new"
    assert caught.value.params["status"] == "new"
    referrals.change_status(ref.id, "won", value=800)
    with refused(unchanged, f"Η σύσταση {ref.id} είναι ήδη «Κερδισμένη»", field="status"):
        referrals.change_status(ref.id, "won", value=800)


def test_a_greek_cycle_refusal_words_the_role_in_greek(store, unchanged, greek):
    anna, bob = person("Anna"), person("Bob")
    referrals.record_referral(anna, bob)
    with refused(unchanged, "δεν μπορεί να είναι ο συστήνων της επαφής Anna"):
        referrals.record_referral(bob, anna)
