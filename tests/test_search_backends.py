"""Search gives the same contacts on PostgreSQL as on SQLite, in every script our users write."""

from __future__ import annotations

import pytest
from backends import PgServer

from crm.core import contact_table, contacts, search
from crm.core import db as dbm
from crm.core.contacts import ContactData

PEOPLE = [
    ContactData(
        given_name="Γιώργος",
        family_name="Παπαδόπουλος",
        city="Αθήνα",
        emails=["giorgos@example.gr"],
        phones=["+30 210 324 1234"],
    ),
    ContactData(
        given_name="ΓΙΏΡΓΟΣ",
        family_name="ΠΑΠΑΔΆΚΗΣ",
        organization="Ναϊσσός Α.Ε.",
        city="Θεσσαλονίκη",
    ),
    ContactData(given_name="Ευαγγελία", family_name="Προϊστάμενου", city="Πάτρα"),
    ContactData(
        given_name="Иван",
        family_name="Иванов",
        city="София",
        emails=["ivan.ivanov@example.bg"],
        phones=["+359 2 987 6543"],
    ),
    ContactData(
        given_name="Мария", family_name="ИВАНОВА", organization="Балкан ООД", city="Пловдив"
    ),
    ContactData(given_name="أحمد", family_name="الحسيني", city="عمّان", phones=["+962 6 555 0101"]),
    ContactData(given_name="فاطمة", family_name="أحمد", organization="شركة النور"),
    ContactData(
        given_name="Niccolò", family_name="Mazzà", city="Forlì", emails=["niccolo.mazza@example.it"]
    ),
    ContactData(
        given_name="Lucía", family_name="Martínez", organization="Café Müller", city="Perugia"
    ),
    ContactData(given_name="Maria", family_name="Rossi", city="Roma", phones=["+39 06 1234 5678"]),
    ContactData(given_name="Mario", family_name="ROSSINI", city="Genova"),
    ContactData(given_name="Jürgen", family_name="Straße", city="Köln"),
]

QUERIES = [
    "γιωργ",
    "ΓΙΏΡ",
    "Γιώργος",
    "παπα",
    "ΠΑΠΑΔΟΠ",
    "παπαδακ",
    "ναισ",
    "Ναϊ",
    "προισ",
    "ευαγγ",
    "αθη",
    "θεσσ",
    "иван",
    "ИВАН",
    "Иванова",
    "мар",
    "балк",
    "соф",
    "أحمد",
    "احم",
    "الحس",
    "عمان",
    "niccolo",
    "NICCOLÒ",
    "mazza",
    "forli",
    "lucia",
    "martinez",
    "cafe",
    "muller",
    "MÜLL",
    "mar",
    "maria",
    "maria ro",
    "ross",
    "rossi mar",
    "jurg",
    "strasse",
    "koln",
    "210 324",
    "+30 210 324 1234",
    "2103241234",
    "6543",
    "example",
    "example.gr",
    "giorgos@",
    "m",
    "μ",
    "x",
    "zzz",
    "ro ma",
    "a",
]


def _results(target: str) -> dict[str, tuple[list[int], list[int], list[int]]]:
    """Per query: search ids (sorted: the ranks differ), contact table ids in name order, count."""
    store = dbm.open_database(target)
    try:
        for person in PEOPLE:
            contacts.create_contact(person)
        out = {}
        for query in QUERIES:
            ids = search.search_ids(store.db, query, limit=100)
            table = contact_table.query_ids(search_text=query)
            out[query] = (sorted(ids), table, [len(ids)])
        return out
    finally:
        store.close()


@pytest.fixture
def team(pg_server: PgServer):
    made = pg_server.fresh()
    yield made
    dbm.close_thread_connection()
    pg_server.end_test(made)


def test_postgresql_finds_exactly_what_sqlite_finds(tmp_path, team):
    on_sqlite = _results(str(tmp_path / "crm.sqlite3"))
    on_postgres = _results(team.target)
    for query in QUERIES:
        assert on_postgres[query] == on_sqlite[query], query
    # The data is meant to exercise folding: these find the people they should.
    assert len(on_sqlite["ΓΙΏΡ"][0]) == 2
    assert len(on_sqlite["иван"][0]) == 2
    assert len(on_sqlite["NICCOLÒ"][0]) == 1
    assert on_sqlite["zzz"] == ([], [], [0])


def test_a_word_with_tsquery_syntax_is_just_a_word(team):
    store = dbm.open_database(team.target)
    try:
        contacts.create_contact(ContactData(given_name="Ann", family_name="O'Brien"))
        for query in ("o'brien", "ann & !x", "ann:*", "ann | bob", "(ann", "'"):
            search.search_ids(store.db, query)  # no syntax error
        assert len(search.search_ids(store.db, "o'bri")) == 1
        assert len(search.search_ids(store.db, "ann &! |")) == 1
    finally:
        store.close()
