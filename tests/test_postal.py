"""Who gets a label or an envelope (crm.core.postal), and addresses in each country's order."""

from __future__ import annotations

import pytest
from postal_people import event_with, greek_sender, person

from crm.core import addresses, erasure, events, models, postal, referrals, vouchers
from crm.core.errors import NotFoundError, ValidationError


def block(country: str, **fields: str) -> list[str]:
    return addresses.address_lines(name="N", country=country, from_country="GR", **fields)


def test_postcode_comes_before_the_city_in_greece_bulgaria_and_italy():
    assert block("GR", street="Ερμού 10", city="Αθήνα", postcode="105 57") == [
        "N",
        "Ερμού 10",
        "105 57 Αθήνα",
    ]
    bg = block("BG", street="ул. Шипка 34", city="София", postcode="1504")
    assert bg[1:3] == ["ул. Шипка 34", "1504 София"]
    it = block("IT", street="Via Roma 1", city="Firenze", postcode="50123", region="FI")
    assert it[1:3] == ["Via Roma 1", "50123 Firenze FI"]


def test_city_then_state_and_zip_in_the_us_and_post_town_in_capitals_in_the_uk():
    us = block(
        "US", street="742 Evergreen Terrace", city="Springfield", postcode="62704", region="IL"
    )
    assert us[1:3] == ["742 Evergreen Terrace", "Springfield, IL 62704"]
    assert us[-1] == "ΗΝΩΜΕΝΕΣ ΠΟΛΙΤΕΙΕΣ" or us[-1] == "UNITED STATES"
    gb = block("GB", street="10 Downing St", city="London", postcode="SW1A 2AA")
    assert gb[1:4] == ["10 Downing St", "LONDON", "SW1A 2AA"]
    no_state = block("US", street="1 Main St", city="Springfield", postcode="62704")
    assert no_state[2] == "Springfield 62704"


def test_the_country_line_only_abroad_and_a_region_equal_to_the_city_once():
    home = addresses.address_lines(
        name="N", street="S 1", city="Αθήνα", postcode="1", country="GR", from_country="GR"
    )
    assert home[-1] == "1 Αθήνα"
    dubai = addresses.address_lines(
        name="أحمد",
        street="شارع 1",
        city="دبي",
        region="دبي",
        country="AE",
        from_country="GR",
        country_language="el",
    )
    assert dubai == ["أحمد", "شارع 1", "دبي", "ΗΝΩΜΕΝΑ ΑΡΑΒΙΚΑ ΕΜΙΡΑΤΑ"]
    assert addresses.is_rtl(dubai)
    assert not addresses.is_rtl(["12 Main St", "أحمد"])


def test_the_letters_use_the_same_table():
    from crm.core import letter_words

    assert letter_words.address_lines is addresses.address_lines


def test_an_events_attendees_skip_those_without_address_or_consent(store):
    greek_sender()
    event_id, ids = event_with(["el", "bg", "it", "ar"])
    no_street = person("el", street="", family_name="Χωρίς")
    no_consent = person("bg", consent=False, family_name="Без")
    erased = person("it", family_name="Gone")
    for cid in (no_street, no_consent, erased):
        events.attend(event_id, cid)
    erasure.erase(erased)
    data = postal.recipients(event_id=event_id)
    printed = {r["contact_id"] for r in data["recipients"]}
    assert printed == set(ids.values())
    reasons = {s["contact_id"]: s["reason"] for s in data["skipped"]}
    assert reasons == {no_street: "no_address", no_consent: "no_consent", erased: "erased"}
    arabic = next(r for r in data["recipients"] if r["contact_id"] == ids["ar"])
    assert arabic["rtl"] and arabic["lines"][0] == "أحمد المصري"
    greek = next(r for r in data["recipients"] if r["contact_id"] == ids["el"])
    assert greek["lines"] == ["Γιώργος Παπαδόπουλος", "Ερμού 10", "105 57 Αθήνα"]
    everyone = postal.recipients(event_id=event_id, allow_without_consent=True)
    assert no_consent in {r["contact_id"] for r in everyone["recipients"]}
    assert erased not in {r["contact_id"] for r in everyone["recipients"]}


def test_contact_ids_in_their_order_once_each(store):
    greek_sender()
    a, b = person("it"), person("bg")
    data = postal.recipients(contact_ids=[b, a, b])
    assert [r["contact_id"] for r in data["recipients"]] == [b, a]


def test_the_pending_letters_give_their_givers(store):
    greek_sender()
    giver, other = person("el"), person("bg", consent=False)
    for who in (giver, giver, other):
        ref = referrals.record_referral(who, person("it"))
        models.Reward.create(contact=who, referral=ref.id, kind="thank_you_letter")
    data = postal.recipients(pending_letters=True)
    assert [r["contact_id"] for r in data["recipients"]] == [giver]
    assert [(s["contact_id"], s["reason"]) for s in data["skipped"]] == [(other, "no_consent")]


def test_a_voucher_batch_gives_its_holders(store):
    greek_sender()
    holders = [person("el"), person("ar")]
    vouchers.issue(holders, value=20, expires="2027-06-30", batch="2026-Q4")
    data = postal.recipients(batch="2026-Q4")
    assert [r["contact_id"] for r in data["recipients"]] == holders


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"event_id": 404}, "No event with id 404"),
        ({"batch": "nope"}, "No batch named 'nope'; no vouchers are issued yet"),
        ({"contact_ids": [404]}, "No contact with id 404"),
        ({}, "Choose one source"),
        ({"event_id": 1, "batch": "x"}, "Choose one source"),
    ],
)
def test_refusals_change_nothing(store, unchanged, kwargs, message):
    with unchanged(), pytest.raises((NotFoundError, ValidationError)) as err:
        postal.recipients(**kwargs)
    assert str(err.value).startswith(message)


def test_the_return_address_names_the_country_only_abroad(store):
    greek_sender()
    who = postal.sender()
    assert postal.sender_lines(who, "GR") == [
        "Ελένη Μάρκου",
        "Markou Consulting",
        "Βασιλίσσης Σοφίας 12",
        "106 74 Αθήνα",
    ]
    assert postal.sender_lines(who, "BG")[-1] == "ΕΛΛΑΔΑ"
