"""The contacts that already hold an email or a phone: the warning before adding one."""

from __future__ import annotations

import pytest
from playhouse.test_utils import count_queries

from crm.core import contact_matches, contacts, erasure
from crm.core.contact_matches import Match
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def test_same_email_in_another_case_and_same_phone_written_differently(store):
    maria = person("Maria", "Rossi", emails=["maria@acme.it"], phones=["+39 340 967 6866"])
    person("Luca", "Bianchi", emails=["luca@acme.it"])
    with count_queries() as counter:
        found = contact_matches.existing(["MARIA@Acme.it"], ["+393409676866"])
    assert counter.count <= 3  # the profile's region, the emails, the phones
    assert found == [
        Match(maria, "Maria Rossi", "email", "maria@acme.it"),
        Match(maria, "Maria Rossi", "phone", "+393409676866"),
    ]
    assert found[0].to_dict()["contact_id"] == maria


def test_no_match_archived_shown_erased_and_excluded_left_out(store):
    a = person("Anna", "Verdi", emails=["anna@x.it"])
    b = person("Anna", "V", emails=["anna2@x.it"])
    contacts.set_archived(a, True)
    assert contact_matches.existing(["nobody@x.it"], []) == []
    assert contact_matches.existing(["anna@x.it"], []) == [
        Match(a, "Anna Verdi", "email", "anna@x.it", archived=True)
    ]
    assert contact_matches.existing(["anna2@x.it"], [], exclude_id=b) == []
    erasure.erase(b)
    assert contact_matches.existing(["anna2@x.it"], []) == []


def test_an_invalid_email_is_refused_as_saving_would(store):
    with pytest.raises(ValidationError, match="Email 'maria@' is not valid"):
        contact_matches.existing(["maria@"], [])
