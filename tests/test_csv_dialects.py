"""CSV files from Thunderbird and from Outlook in German, Italian, French, Bulgarian and Greek.

The fixtures (tests/fixtures/interchange) have those programs' headers, as each
writes them; every field a record has must reach the contact it becomes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.interchange import csvfile
from crm.interchange.records import Labelled

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"


def read(name: str) -> tuple[csvfile.CsvLayout, list]:
    data = (FIXTURES / name).read_bytes()
    layout = csvfile.inspect(data)
    return layout, list(csvfile.read(data, layout))


def test_thunderbird_birth_parts_work_and_home_addresses():
    layout, (anna, bo) = read("thunderbird.csv")
    assert layout.shape == "thunderbird"
    assert (anna.given_name, anna.family_name, anna.organization, anna.title) == (
        "Anna", "Ferri", "Ferri Srl", "Buyer",
    )  # fmt: skip
    assert [e.value for e in anna.emails] == ["anna@ferri.example", "anna.home@example.org"]
    assert anna.phones == [
        Labelled("+39 02 1234567", "work"),
        Labelled("+39 02 7654321", "home"),
        Labelled("+39 333 1234567", "mobile"),
    ]
    # The work address is the first, the home one a line of the notes;
    # Birth Year/Month/Day make one birthday.
    assert (anna.street, anna.city, anna.postcode, anna.region, anna.country) == (
        "Corso Como 5, Piano 3", "Milano", "20154", "MI", "Italy",
    )  # fmt: skip
    assert (anna.birthday, anna.url, anna.notes) == (
        "1970-11-05", "https://ferri.example",
        "Met at the fair\nAddress: Via Roma 1, Scala B, Milano, 20100, MI, Italy",
    )  # fmt: skip
    # Only a home address: it is the one kept; no year: a birthday without one.
    assert (bo.street, bo.city, bo.postcode, bo.country) == (
        "Storgatan 2", "Lund", "22100", "Sweden",
    )  # fmt: skip
    assert bo.birthday == "--03-09"
    assert csvfile.unused_columns(layout) == [
        "Nickname", "Screen Name", "Department",
        "Custom 1", "Custom 2", "Custom 3", "Custom 4",
    ]  # fmt: skip


def test_thunderbird_birth_month_without_a_day_is_a_warning(tmp_path):
    data = b"First Name,Primary Email,Birth Year,Birth Month,Birth Day\nAl,al@x.example,1980,4,\n"
    layout = csvfile.inspect(data)
    (al,) = csvfile.read(data, layout)
    assert al.birthday == ""
    assert [(w.field, w.value) for w in al.warnings] == [("Birth Year", "1980/4")]


OUTLOOKS = {
    "outlook_german.csv": dict(
        given_name="Jürgen Karl", family_name="Weiß", organization="Weiß & Söhne GmbH",
        title="Einkaufsleiter", street="Hauptstraße 5, 2. OG", city="München",
        postcode="80331", region="Bayern", country="Deutschland", birthday="1968-03-14",
        notes="Kennengelernt auf der Messe\nAddress: Gartenweg 2, Freising, 85354, Deutschland",
        tags=["Kunden", "Messe"],
        emails=["j.weiss@weiss-soehne.example", "juergen@privat.example"],
        phones=[("+49 89 123450", "work"), ("+49 8161 5555", "home"),
                ("+49 171 2345678", "mobile"), ("+49 89 1234599", "fax")],
    ),
    "outlook_italian.csv": dict(
        given_name="Giulia", family_name="Bianchi", organization="Bianchi Arredi S.r.l.",
        title="Direttrice commerciale", street="Via Garibaldi 12", city="Torino",
        postcode="10122", region="TO", country="Italia", birthday="1975-09-02",
        notes="Conosciuta alla fiera\nAddress: Via Po 3, Torino, 10124", tags=["Clienti"],
        emails=["giulia.bianchi@bianchi-arredi.example"],
        phones=[("+39 011 555010", "work"), ("+39 347 1234567", "mobile"),
                ("+39 011 5550199", "fax")],
    ),
    "outlook_french.csv": dict(
        given_name="Élodie", family_name="Lefèvre", organization="Lefèvre et Fils SARL",
        title="Responsable achats", street="12 rue de la Paix", city="Lyon",
        postcode="69002", region="Rhône", country="France", birthday="1980-06-21",
        notes="Rencontrée au salon", tags=["Clients"],
        emails=["elodie.lefevre@lefevre.example"],
        phones=[("+33 4 72 00 00 01", "work"), ("+33 6 12 34 56 78", "mobile")],
    ),
    "outlook_bulgarian.csv": dict(
        given_name="Иван Петров", family_name="Иванов", organization="Иванов ЕООД",
        title="Управител", street="ул. Витоша 10", city="София", postcode="1000",
        region="София-град", country="България", birthday="1972-04-03",
        notes="Среща на изложението", tags=["Клиенти"], emails=["ivan@ivanov.example"],
        phones=[("+359 2 123 4567", "work"), ("+359 88 123 4567", "mobile")],
    ),
    "outlook_greek_own.csv": dict(
        given_name="Νίκος", family_name="Παπαδόπουλος", organization="Παπαδόπουλος Α.Ε.",
        title="Διευθυντής", street="Ερμού 20", city="Αθήνα", postcode="10563",
        region="Αττική", country="Ελλάδα", birthday="",
        notes="Γνωριστήκαμε στο επιμελητήριο", tags=[],
        emails=["nikos@papadopoulos.example"],
        phones=[("+30 210 1234567", "work"), ("+30 694 1234567", "mobile")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OUTLOOKS))
def test_outlook_in_its_own_language_is_detected_by_its_headers(name):
    layout, (person,) = read(name)
    want = OUTLOOKS[name]
    assert layout.shape == "outlook"
    got = {key: getattr(person, key) for key in want if key not in ("emails", "phones")}
    got["emails"] = [e.value for e in person.emails]
    got["phones"] = [(p.value, p.label) for p in person.phones]
    assert got == want
    assert person.warnings == [] and person.problems == []


def test_outlook_words_that_mean_something_else_in_english_are_read_as_outlook_means():
    layout, _ = read("outlook_french.csv")
    mapped = layout.mapped()
    # French Outlook's "Nom" is the family name and "Titre" the job title.
    assert (mapped["Nom"], mapped["Titre"], mapped["Prénom"]) == (
        "family_name", "title", "given_name",
    )  # fmt: skip
    layout, _ = read("outlook_italian.csv")
    # Italian "Titolo" is Dott./Sig., not the job ("Posizione").
    assert (layout.mapped()["Titolo"], layout.mapped()["Posizione"]) == ("", "title")
    assert "Nome visualizzato posta elettronica" in csvfile.unused_columns(layout)


def test_map_columns_refuses_unknown_fields_and_columns():
    layout, _ = read("thunderbird.csv")
    mapped = csvfile.map_columns(layout, ["Department=notes", "Nickname=ignore"])
    assert mapped.mapped()["Department"] == "notes"
    with pytest.raises(csvfile.ValidationError, match=r"'shoe size' is not a field.*given_name"):
        csvfile.map_columns(layout, ["Department=shoe size"])
    with pytest.raises(csvfile.ValidationError, match=r"no column 'Dept'.*'First Name'"):
        csvfile.map_columns(layout, ["Dept=notes"])


def test_a_third_address_is_a_line_of_the_notes():
    data = (
        b"First Name,Business Street,Business City,Home Street,Home City,"
        b"Other Street,Other City,Other Postal Code,Other Country/Region\n"
        b"Ada,1 Work Rd,Leeds,2 Home Ln,York,3 Other Way,Hull,HU1 1AA,United Kingdom\n"
    )
    (ada,) = csvfile.read(data, csvfile.inspect(data))
    assert (ada.street, ada.city) == ("1 Work Rd", "Leeds")
    assert ada.notes == (
        "Address: 2 Home Ln, York\nAddress: 3 Other Way, Hull, HU1 1AA, United Kingdom"
    )
