"""Organizations as records: their people, referrals and won value; merging two spellings."""

from __future__ import annotations

import pytest
from dbtools import refused
from playhouse.test_utils import count_queries

from crm.core import contacts, interactions, models, organizations, referrals, search
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError
from crm.core.organization_merge import merge_organizations


def person(given: str, family: str = "", org: str | None = None, **fields) -> int:
    data = ContactData(given_name=given, family_name=family, organization=org, **fields)
    return contacts.create_contact(data).id


def org_id(name: str) -> int:
    found = organizations.find_by_name(name)
    assert found is not None
    return found.id


@pytest.fixture
def acme(store):
    """Acme with two people: one gave two referrals (one won), one was referred from outside."""
    maria = person("Maria", "Rossi", "Acme S.p.A.")
    luca = person("Luca", "Bianchi", "Acme S.p.A.")
    outside = person("Nikos", "Alexiou", "Akmi")
    friend = person("Eleni", "Papadopoulou")
    other = person("Anna", "Verdi")
    won = referrals.record_referral(maria, friend, referred_on=models.as_date("2026-11-01"))
    referrals.change_status(won.id, "won", value="1200.50", currency="EUR")
    referrals.record_referral(maria, other, referred_on=models.as_date("2026-11-05"))
    referrals.record_referral(outside, luca, referred_on=models.as_date("2026-11-10"))
    # Between two people of Acme: counted once for Acme.
    inside = referrals.record_referral(luca, maria, referred_on=models.as_date("2026-11-12"))
    referrals.change_status(inside.id, "won", value="300", currency="USD")
    return {"maria": maria, "luca": luca, "outside": outside, "friend": friend}


def test_the_list_counts_people_referrals_and_won_value(acme):
    by_name = {o["name"]: o for o in organizations.list_organizations()}
    assert by_name["Acme S.p.A."]["people"] == 2
    assert by_name["Acme S.p.A."]["referrals"] == 4
    assert by_name["Acme S.p.A."]["won"] == 2
    assert by_name["Acme S.p.A."]["won_value"] == {"EUR": 1200.5, "USD": 300.0}
    assert (by_name["Akmi"]["people"], by_name["Akmi"]["referrals"]) == (1, 1)
    assert by_name["Akmi"]["won_value"] == {}
    assert [o["name"] for o in organizations.list_organizations("akm")] == ["Akmi"]


def test_the_list_takes_the_same_few_queries_for_many_organizations(store):
    for n in range(30):
        giver = person(f"Giver{n}", "X", f"Company {n}")
        ref = referrals.record_referral(giver, person(f"Friend{n}", "Y", f"Client {n}"))
        referrals.change_status(ref.id, "won", value=100)
    with count_queries() as counter:
        listed = organizations.list_organizations()
    assert len(listed) == 60
    assert counter.count <= 4


def test_details_show_people_referrals_and_won_value_in_three_queries(acme):
    acme_id = org_id("Acme S.p.A.")
    with count_queries() as counter:
        data = organizations.organization_details(acme_id)
    assert counter.count == 3
    assert [(p["name"], p["referrals_given"], p["referrals_received"]) for p in data["people"]] == [
        ("Luca Bianchi", 1, 1),
        ("Maria Rossi", 2, 1),
    ]
    assert [(r["giver"], r["referred"], r["status"]) for r in data["referrals"]] == [
        ("Luca Bianchi", "Maria Rossi", "won"),
        ("Nikos Alexiou", "Luca Bianchi", "new"),
        ("Maria Rossi", "Anna Verdi", "new"),
        ("Maria Rossi", "Eleni Papadopoulou", "won"),
    ]
    assert data["won"] == 2
    assert data["won_value"] == {"EUR": 1200.5, "USD": 300.0}


def test_merge_moves_the_people_fills_empty_fields_and_removes_the_other(acme):
    keep, other = org_id("Acme S.p.A."), org_id("Akmi")
    organizations.update_organization(keep, city="", notes="Key account")
    organizations.update_organization(other, city="Milano", website="https://akmi.example")
    organizations.update_organization(other, notes="Other notes")
    result = merge_organizations(keep, other)
    assert result["moved"] == [acme["outside"]]
    assert result["filled"] == ["website", "city"]
    assert models.Organization.get_or_none(models.Organization.id == other) is None
    data = organizations.organization_details(keep)
    assert (data["city"], data["website"], data["notes"]) == (
        "Milano",
        "https://akmi.example",
        "Key account",
    )
    assert [p["name"] for p in data["people"]] == ["Nikos Alexiou", "Luca Bianchi", "Maria Rossi"]
    [line] = [i for i in interactions.history(acme["outside"]) if i.kind == "updated"]
    assert line.summary == "Organization Akmi merged into Acme S.p.A."
    # The search finds the moved person by the kept organization's name.
    assert acme["outside"] in search.search_ids(models.database_proxy, "acme")


def test_merge_into_itself_or_a_missing_one_changes_nothing(acme, unchanged):
    keep = org_id("Acme S.p.A.")
    with refused(unchanged, f"Organization {keep} cannot be merged into itself"):
        merge_organizations(keep, keep)
    with refused(unchanged, "No organization with id 999", error=NotFoundError):
        merge_organizations(keep, 999)
    with refused(unchanged, "No organization with id 999", error=NotFoundError):
        merge_organizations(999, keep)
