"""The contacts table's search order: the search index's own, as the core search gives it."""

from __future__ import annotations

import pytest

from crm.core import contact_table, contacts, models, search
from crm.core.contact_table import RELEVANCE


def person(given: str, family: str, **fields) -> int:
    data = contacts.ContactData(given_name=given, family_name=family, **fields)
    return contacts.create_contact(data).id


@pytest.fixture
def people(store):
    return {
        "rossi": person("Mario", "Rossi", city="Roma", stage="lead"),
        "rossini": person("Rossella", "Rossini", organization="Rossi & Figli", stage="customer"),
        "bianchi": person("Anna", "Bianchi", city="Rossano"),
        "greek": person("Γιώργος", "Ροσσίδης"),
        "other": person("Carlo", "Verdi"),
    }


def core(text: str, include_archived: bool = False) -> list[int]:
    return search.search_ids(models.database_proxy, text, 50, include_archived)


def test_a_search_in_relevance_order_is_the_core_search_order(people):
    for text in ("r", "ro", "ross", "rossi", "ροσ"):
        assert contact_table.query_ids(text, order=RELEVANCE) == core(text), text
    # One or two letters: the order the contacts were added, without ranking.
    assert contact_table.query_ids("ro", order=RELEVANCE) == sorted(
        [people["rossi"], people["rossini"], people["bianchi"]]
    )


def test_relevance_keeps_filters_archived_contacts_and_the_limit(people):
    assert contact_table.query_ids("ross", order=RELEVANCE, stage="customer") == [people["rossini"]]
    contacts.set_archived(people["rossi"], True)
    assert people["rossi"] not in contact_table.query_ids("ross", order=RELEVANCE)
    with_archived = contact_table.query_ids("ross", order=RELEVANCE, include_archived=True)
    assert with_archived == core("ross", include_archived=True)
    assert len(contact_table.query_ids("ross", order=RELEVANCE, limit=1)) == 1
    # No search: the table's name order; a search of nothing but signs: nothing.
    assert contact_table.query_ids(order=RELEVANCE) == contact_table.query_ids()
    assert contact_table.query_ids("&&", order=RELEVANCE) == []
    with pytest.raises(contacts.ValidationError, match="Stage must be one of"):
        contact_table.query_ids("ross", order=RELEVANCE, stage="nope")


def test_many_matches_come_in_the_index_order_without_ranking(people, monkeypatch):
    monkeypatch.setattr(contact_table, "RANK_AT_MOST", 2)
    found = contact_table.query_ids("ross", order=RELEVANCE)
    assert found == sorted(found) and len(found) == 3
