"""Text folding and the contact search index, in the scripts our users write their names in."""

from __future__ import annotations

import pytest

from crm.core import contacts, organizations, search
from crm.core.contacts import ContactData
from crm.core.text import fold, tokens


def make(**fields) -> int:
    return contacts.create_contact(ContactData(**fields)).id


def found(query: str, **kwargs) -> list[int]:
    """Ids the contacts table shows for ``query`` (through contacts.list_rows)."""
    return [row[0] for row in contacts.list_rows(query, **kwargs)]


# -- fold() -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Παπαδόπουλος", "παπαδοπουλοσ"),
        ("ΠΑΠΑΔΟΠΟΥΛΟΣ", "παπαδοπουλοσ"),
        ("παπαδοπουλος", "παπαδοπουλοσ"),
        ("Ναϊσσός", "ναισσοσ"),
        ("Προϊστάμενου", "προισταμενου"),
        ("ΐ", "ι"),
        ("Ευαγγελία", "ευαγγελια"),
        ("Müller", "muller"),
        ("MÜLLER", "muller"),
        ("Straße", "strasse"),
        ("Øster", "oster"),
        ("Łódź", "lodz"),
        ("Niccolò", "niccolo"),
        ("Иванов", "иванов"),
        ("ИВАНОВ", "иванов"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_idempotent_and_query_side_equal():
    for word in ("Παπαδόπουλος", "Ναϊσσός", "Müller", "Niccolò", "Иванов", "أحمد"):
        assert fold(fold(word)) == fold(word)


def test_ascii_text_folds_as_the_unicode_rules_fold_it():
    """ASCII takes a short way (lower()): it must give what casefolding, decomposing
    and stripping marks give, for every ASCII character and a few sample words."""
    import unicodedata

    def folded_the_long_way(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return unicodedata.normalize("NFC", kept)

    every_ascii = "".join(map(chr, range(128)))
    for text in (every_ascii, "MARIA Rossi", "Jane.SMITH@Example.COM", "+30 (210) 324-1234"):
        assert fold(text) == folded_the_long_way(text)
    assert fold("MARIA") == "maria"
    assert fold("MARÍA") == "maria"  # not ASCII: the long way, the accent goes


def test_tokens_split_on_punctuation_and_fold():
    assert tokens("Maria.Rossi@Example.COM") == ["maria", "rossi", "example", "com"]
    assert tokens("  Ναϊσσός-Müller ") == ["ναισσοσ", "muller"]
    assert tokens("***") == []
    assert tokens(None) == []


# -- search -------------------------------------------------------------------


@pytest.fixture
def people(store):
    """A small address book in several scripts; returns name -> id."""
    return {
        "papadopoulos": make(
            given_name="Νίκος",
            family_name="Παπαδόπουλος",
            organization="Ελληνική Ζυθοποιία",
            city="Θεσσαλονίκη",
            emails=["nikos.papadopoulos@example.gr"],
            phones=["+30 210 324 1234"],
        ),
        "naissos": make(given_name="Ευαγγελία", family_name="Προϊστάμενου", city="Ναϊσσός"),
        "muller": make(
            given_name="Jürgen",
            family_name="Müller",
            organization="Bäckerei Müller GmbH",
            city="München",
            emails=["j.mueller@baeckerei.de"],
            phones=["+49 30 901820"],
        ),
        "ivanov": make(given_name="Иван", family_name="Иванов", city="София"),
        "niccolo": make(given_name="Niccolò", family_name="Machiavelli", city="Firenze"),
        "arabic": make(given_name="محمد", family_name="العربي", city="Dubai"),
        "smith": make(
            given_name="Jane",
            family_name="Smith",
            organization="Acme Widgets",
            city="Leeds",
            emails=["jane.smith@acme.example.com", "js@home.example.org"],
            phones=["+44 20 7946 0018", "+1 212 555 0123"],
        ),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("παπαδοπουλος", "papadopoulos"),
        ("ΠΑΠΑΔΟΠΟΥΛΟΣ", "papadopoulos"),
        ("Παπαδόπουλος", "papadopoulos"),
        ("Παπαδ", "papadopoulos"),
        ("παπαδ", "papadopoulos"),
        ("νικος παπαδ", "papadopoulos"),
        ("Προϊστάμενου", "naissos"),
        ("προιστ", "naissos"),
        ("ΠΡΟΪΣΤΑΜΕΝΟΥ", "naissos"),
        ("ευαγγελια", "naissos"),
        ("ναισσος", "naissos"),
        ("Ναϊσσός", "naissos"),
        ("muller", "muller"),
        ("MÜLLER", "muller"),
        ("jurgen", "muller"),
        ("иванов", "ivanov"),
        ("ИВАНОВ", "ivanov"),
        ("Иванов", "ivanov"),
        ("Иван", "ivanov"),
        ("софия", "ivanov"),
        ("niccolo", "niccolo"),
        ("Niccolò", "niccolo"),
        ("NICCOLO machia", "niccolo"),
        ("محمد", "arabic"),
        ("محم", "arabic"),
        ("العر", "arabic"),
    ],
)
def test_names_found_folded_and_by_prefix(people, query, who):
    assert found(query) == [people[who]]


def test_muller_by_muller_finds_person_and_organization_once(people):
    # Both the family name and the organization say Müller: one row, not two.
    assert found("muller") == [people["muller"]]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("nikos.papadopoulos@example.gr", "papadopoulos"),
        ("nikos.papa", "papadopoulos"),
        ("j.mueller@", "muller"),
        ("jane.smith@acme", "smith"),
        ("js@home", "smith"),  # the second address is indexed too
    ],
)
def test_search_by_email_prefix(people, query, who):
    assert found(query) == [people[who]]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("+302103241234", "papadopoulos"),
        ("302103241234", "papadopoulos"),
        ("2103241234", "papadopoulos"),  # without the country code
        ("210324", "papadopoulos"),  # a prefix of the local number
        ("+30 210 324 1234", "papadopoulos"),  # as it is written, with spaces
        ("210 324 1234", "papadopoulos"),
        ("+44 20 7946 0018", "smith"),
        ("2079460018", "smith"),
        ("(212) 555-0123", "smith"),  # second phone, US style
        ("2125550123", "smith"),
        ("4930901820", "muller"),
        ("30901820", "muller"),
    ],
)
def test_search_by_phone_digits(people, query, who):
    assert found(query) == [people[who]]


def test_search_by_organization_and_city(people):
    assert found("acme") == [people["smith"]]
    assert found("Acme Widg") == [people["smith"]]
    assert found("ζυθοποιια") == [people["papadopoulos"]]
    assert found("Bäckerei") == [people["muller"]]
    assert found("baeckerei") == [people["muller"]]  # the email's domain
    assert found("θεσσαλονικη") == [people["papadopoulos"]]
    assert found("Leeds") == [people["smith"]]
    assert found("munchen") == [people["muller"]]


def test_all_words_must_match(people):
    assert found("jane leeds") == [people["smith"]]
    assert found("jane munchen") == []


def test_no_match_returns_nothing(people):
    assert found("zzzzzz") == []
    assert search.search_ids(contacts.db, "zzzzzz") == []


def test_rows_have_table_columns(people):
    (row,) = contacts.list_rows("smith")
    assert dict(zip(contacts.ROW_COLUMNS, row, strict=True)) == {
        "id": people["smith"],
        "given_name": "Jane",
        "family_name": "Smith",
        "organization": "Acme Widgets",
        "email": "jane.smith@acme.example.com",
        "phone": "+442079460018",
        "city": "Leeds",
        "stage": "prospect",
    }


def test_archived_excluded_unless_asked(people):
    cid = people["muller"]
    contacts.set_archived(cid, True)
    assert found("muller") == []
    assert search.search_ids(contacts.db, "muller") == []
    assert found("muller", include_archived=True) == [cid]
    assert search.search_ids(contacts.db, "muller", include_archived=True) == [cid]
    assert cid not in [r[0] for r in contacts.list_rows()]
    assert cid in [r[0] for r in contacts.list_rows(include_archived=True)]
    contacts.set_archived(cid, False)
    assert found("muller") == [cid]


def test_index_follows_rename(people):
    cid = people["ivanov"]
    contacts.update_contact(cid, family_name="Петров")
    assert found("иванов") == []
    assert found("петров") == [cid]
    assert found("Петр") == [cid]
    assert found("иван") == [cid]  # the given name did not change


def test_index_follows_email_phone_city_and_organization_changes(people):
    cid = people["niccolo"]
    contacts.update_contact(
        cid,
        emails=["niccolo@principe.example.it"],
        phones=["+39 055 123 4567"],
        city="San Casciano",
        organization="Repubblica Fiorentina",
    )
    assert found("principe") == [cid]
    assert found("0551234567") == [cid]
    assert found("casciano") == [cid]
    assert found("firenze") == []
    assert found("fiorentina") == [cid]


def test_index_follows_organization_rename(people):
    smith = people["smith"]
    other = make(given_name="Tom", family_name="Jones", organization="acme widgets")
    org = organizations.find_by_name("Acme Widgets")
    assert org is not None
    assert sorted(found("widgets")) == sorted([smith, other])
    organizations.rename(org.id, "Globex Ωμέγα")
    assert found("widgets") == []
    assert found("acme") == [smith]  # still in Jane's email address
    assert sorted(found("globex")) == sorted([smith, other])
    assert sorted(found("ωμεγα")) == sorted([smith, other])


def test_new_contact_found_at_once(store):
    assert found("Ζαχαρίας") == []
    cid = make(given_name="Ζαχαρίας")
    assert found("ζαχαριας") == [cid]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"Παπαδ',
        'Παπαδ"',
        "*",
        "Παπαδ*",
        "*Παπαδ",
        "AND",
        "OR",
        "NOT",
        "Παπαδ AND",
        "AND Παπαδ",
        "Παπαδ OR Smith",
        "NEAR(",
        "NEAR(Παπαδ Smith)",
        "-",
        "-Παπαδ",
        ":",
        "body:Παπαδ",
        "family_name:Smith",
        "^Παπαδ",
        "(",
        ")",
        "{body}: x",
        "+",
        "'; DROP TABLE contact; --",
        "\x00",
        "   ",
        "\t\n",
    ],
)
def test_fts_syntax_in_user_input_never_raises(people, query):
    rows = contacts.list_rows(query)
    assert isinstance(rows, list)
    assert isinstance(search.search_ids(contacts.db, query, include_archived=True), list)


@pytest.mark.parametrize(
    "query", ['"Παπαδόπουλος"', "Παπαδ*", "*Παπαδ", "-Παπαδ", 'Παπαδ"', "(Παπαδ)", "^Παπαδ"]
)
def test_fts_syntax_around_a_name_still_finds_it(people, query):
    assert found(query) == [people["papadopoulos"]]


def test_fts_operators_are_plain_words(people):
    # "AND" is just a word: Jane Smith has no word starting with "and".
    assert found("Smith AND Jane") == []
    andrea = make(given_name="Andrea", family_name="Smith")
    assert found("Smith AND") == [andrea]
    assert found("NEAR(andrea smith)") == []  # no word starts with "near"
    assert found("(andrea smith)") == [andrea]
    assert set(found("smith")) == {people["smith"], andrea}


def test_contact_table_survives_quotes_and_sql_in_names(store):
    cid = make(given_name='O"Brien', family_name="Robert'); DROP TABLE contact; --")
    assert found('o"brien') == [cid]
    assert found("robert") == [cid]
    assert contacts.count() == 1


@pytest.mark.parametrize("query", ["", "   ", "*", '"', "-", ":", "()", "@"])
def test_empty_query_returns_nothing(people, query):
    assert search.search_ids(contacts.db, query) == []
    assert search.match_expression(query) == ""


def test_list_rows_without_search_text_lists_everyone_by_name(people):
    rows = contacts.list_rows("")
    assert len(rows) == len(people)
    assert [r[2] for r in rows] == sorted(r[2] for r in rows)


def test_limit_and_offset_apply_to_search(store):
    ids = [make(given_name=f"Person{i}", family_name="Κωνσταντίνου") for i in range(5)]
    everyone = found("κωνσταντινου")
    assert everyone == ids  # ranked alike: in the order they were added
    assert found("κωνσταντινου", limit=2) == everyone[:2]
    assert found("κωνσταντινου", limit=2, offset=2) == everyone[2:4]
    assert found("κωνσταντινου", limit=2, offset=10) == []


@pytest.mark.sqlite_only  # FTS5's bm25 (PostgreSQL's words carry no counts)
def test_three_letters_rank_the_better_match_first(store):
    rossi = make(given_name="Maria", family_name="Rossi", organization="Rossi e Figli")
    marino = make(given_name="Maria", family_name="Marino")  # two words start with "mar"
    bianchi = make(given_name="Marco", family_name="Bianchi", organization="Bianchi e Figli")
    assert found("mar") == [marino, rossi, bianchi]  # rossi before bianchi: ties, as added
    assert found("ma") == [rossi, marino, bianchi]  # two letters: as added


@pytest.mark.sqlite_only  # reads SQLite's query plans
@pytest.mark.parametrize("query", ["m", "ив", "mar", "παπαδ", "maria ro", "2103241234"])
def test_a_search_page_reads_matches_in_order_and_never_sorts_them(people, query):
    """The index hands the matches over in the order wanted (as added for short
    queries, FTS5's own bm25 rank for longer ones), so the contacts are read only
    until the page is full: no sort of all the matches after the index."""
    conn = contacts.db.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        rows = contacts.list_rows(query, limit=50)
    finally:
        conn.set_trace_callback(None)
    (sql,) = [s for s in statements if "MATCH" in s]
    plan = [step[-1] for step in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert plan[0].startswith("SCAN f VIRTUAL TABLE"), plan
    assert plan[1].startswith("SEARCH c USING INTEGER PRIMARY KEY"), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert rows == [tuple(r) for r in conn.execute(sql)]


def test_short_queries_still_match(people):
    assert found("ж") == []
    assert found("и") == [people["ivanov"]]
    assert people["smith"] in found("j")


def test_short_cyrillic_search_keeps_its_rows_and_order(store):
    """Two letters: the first matches in the order they were added, as before the
    index was made to drive the query; names sorting first do not come first."""
    names = [
        ("Яна", "Иванова"),
        ("Борис", "Ивов"),
        ("Ивайло", "Петров"),
        ("Анна", "Смирнова"),  # no word starts with "ив"
        ("Иван", "Алексиев"),
        ("Ива", "Ангелова"),
        ("Ivan", "Ivanov"),  # Latin: not a match for Cyrillic letters
    ]
    ids = [make(given_name=g, family_name=f) for g, f in names]
    contacts.set_archived(ids[4], True)
    matches = [ids[0], ids[1], ids[2], ids[5]]
    assert found("ив") == matches
    assert found("Ив", limit=2) == matches[:2]
    assert found("ИВ", limit=2, offset=2) == matches[2:]
    assert search.search_ids(contacts.db, "ив", include_archived=True) == sorted([*matches, ids[4]])
    if not search.is_postgres(contacts.db):
        # The statement used before, with no ORDER BY, gives the same ids in the same order.
        former = (
            "SELECT f.rowid FROM contact_fts f JOIN contact c ON c.id = f.rowid "
            "WHERE contact_fts MATCH ? AND NOT c.archived LIMIT 50"
        )
        expr = search.match_expression("ив")
        assert [r[0] for r in contacts.db.execute_sql(former, (expr,))] == matches
