"""``crm import FILE``: real files from Google, Outlook, LinkedIn, Apple and Android, end to end.

The files are the readers' fixtures (tests/fixtures/interchange), in the shapes
those programs write; the expected contacts are written out in full.
"""

from __future__ import annotations

from pathlib import Path

import clitools
import pytest

from crm.cli import main
from crm.core import contacts, interactions, settings
from crm.core import db as dbm

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
FIELDS = (
    "given_name", "family_name", "organization", "title", "emails", "phones", "phones_original",
    "street", "city", "postcode", "region", "country", "language", "birthday", "channel", "tags",
    "notes",
)  # fmt: skip


class Crm(clitools.Crm):
    """The CLI runner, with ``--json`` added to ``json`` and the import's results read back."""

    def json(self, *args: str) -> dict:
        return super().json(*args, "--json")

    def region(self, code: str) -> None:
        store = dbm.open_database(self.target)
        try:
            settings.update_profile(default_region=code)
        finally:
            store.close()

    def people(self) -> list[dict]:
        """Every contact as the importer left it, with phones as written and history."""
        store = dbm.open_database(self.target)
        try:
            ids = [r[0] for r in contacts.list_rows(limit=1000, include_archived=True)]
            out = []
            for cid in sorted(ids):
                d = contacts.details(cid)
                c = contacts.get_contact(cid)
                out.append(
                    {k: d[k] for k in FIELDS}
                    | {
                        "url": c.url,
                        "history": [
                            (i.kind, i.summary, str(i.happened_at)[:10] if i.kind == "note" else "")
                            for i in reversed(interactions.history(cid))
                        ],
                    }
                )
            return out
        finally:
            store.close()


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return clitools.make_crm(tmp_path, capsys, Crm, backend=backend)


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def person(**fields) -> dict:
    base = {
        "given_name": "", "family_name": "", "organization": None, "title": "", "emails": [],
        "phones": [], "phones_original": [], "street": "", "city": "", "postcode": "",
        "region": "", "country": "", "language": "en", "birthday": None, "channel": "other",
        "tags": [], "notes": "", "url": "",
    }  # fmt: skip
    source = fields.pop("source")
    history = [("created", f"Imported from {source}", "")]
    if "connected" in fields:  # oldest first: the day of the connection
        history.insert(0, ("note", "Connected on LinkedIn", fields.pop("connected")))
    return base | fields | {"history": history}


def test_google_contacts_csv(crm):
    report = crm.json("import", fixture("google.csv"))
    unused = report.pop("unused_columns")
    assert unused[:4] == [
        "Phonetic First Name",
        "Phonetic Middle Name",
        "Phonetic Last Name",
        "Name Prefix",
    ]
    assert report == {
        "imported": 6,
        "updated": 0,
        "skipped": 0,
        "rejected": [],
        "rejected_count": 0,
        "warnings": [],
        "warning_count": 0,
        "dry_run": False,
        "refused": False,
    }
    src = "google.csv"
    assert crm.people() == [
        person(
            source=src,
            given_name="Μαρία Ελένη",
            family_name="Παπαδοπούλου",
            organization="Ακμή Α.Ε.",
            title="Διευθύντρια Πωλήσεων",
            emails=["maria@akmi.gr", "maria.pap@gmail.com", "mpapad80@yahoo.gr"],
            phones=["+306971234567", "+302101234567", "+302101234568"],
            phones_original=["+30 697 123 4567", "+30 210 123 4567", "+30 210 123 4568"],
            street="Ερμού 10, 3ος όροφος",
            city="Αθήνα",
            postcode="105 63",
            region="Αττική",
            country="GR",
            language="el",
            birthday="1980-07-01",
            tags=["Πελάτες"],
            notes="Γνωριστήκαμε στο ΕΒΕΑ.\nΘέλει προσφορά για 20 άτομα.\n"
            "Related: Γιάννης Παπαδόπουλος (Spouse)",
            url="https://akmi.gr",
        ),
        # A local number, read in the country of the record's address.
        person(
            source=src,
            given_name="Иван",
            family_name="Петров",
            organization="Петров ЕООД",
            title="Управител",
            emails=["ivan@petrov.bg"],
            phones=["+359888123456"],
            phones_original=["0888 123 456"],
            city="София",
            country="BG",
            language="bg",
            birthday="--03-15",
            tags=["Партньори"],
        ),
        # Arabic, written right to left; the language comes from the script.
        person(
            source=src,
            given_name="محمد",
            family_name="العلي",
            organization="شركة النور للتجارة",
            title="مدير المشتريات",
            emails=["m.alali@alnoor.ae"],
            phones=["+97142345678"],
            phones_original=["+971 4 234 5678"],
            language="ar",
        ),
        person(
            source=src,
            given_name="Giuseppe",
            family_name="De Luca",
            organization="Rossi & Figli S.r.l.",
            title="Responsabile acquisti",
            emails=["g.deluca@rossifigli.it"],
            phones=["+390212345678"],
            phones_original=["+39 02 1234 5678"],
            street="Via Roma 1",
            city="Milano",
            postcode="20121",
            region="MI",
            country="IT",
            language="it",
            birthday="1975-12-31",
            tags=["Clienti", "Fornitori"],
            url="https://www.linkedin.com/in/giuseppe-deluca",
        ),
        # A company with no person's name is kept under the company's.
        person(
            source=src,
            family_name="Caffè Niccolò",
            organization="Caffè Niccolò",
            emails=["info@caffeniccolo.it"],
            notes="Fornitore: caffè, cioccolato",
        ),
        # The local second number is read in the country of the first (+39).
        person(
            source=src,
            given_name="Niccolò",
            family_name="Bianchi",
            phones=["+393331234567", "+393337654321"],
            phones_original=["+39 333 123 4567", "333 765 4321"],
            birthday="--02-29",
        ),
    ]


def test_linkedin_connections_with_their_preamble(crm):
    assert crm.json("import", fixture("linkedin_connections.csv"))["imported"] == 3
    src = "linkedin_connections.csv"
    assert crm.people() == [
        person(
            source=src,
            given_name="Γιώργος",
            family_name="Νικολάου",
            organization="Ακμή Α.Ε.",
            title="Business Development Manager",
            language="el",
            channel="social",
            url="https://www.linkedin.com/in/giorgos-nikolaou-3b2a1c",
            connected="2024-03-12",
        ),
        person(
            source=src,
            given_name="Elena",
            family_name="Marinova",
            organization="Marinova, Todorov & Co",
            title="Partner",
            emails=["elena.marinova@example.bg"],
            channel="social",
            url="https://www.linkedin.com/in/elenamarinova",
            connected="2023-01-03",
        ),
        person(
            source=src,
            given_name="Luca",
            family_name="Bianchi",
            organization="Freelance",
            channel="social",
            url="https://www.linkedin.com/in/lucabianchi",
            connected="2020-02-28",
        ),
    ]


def test_greek_outlook_csv_in_cp1253_with_the_profile_region(crm):
    crm.region("GR")
    code, out, err = crm("import", fixture("outlook_greek.csv"))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == [
        "outlook_greek.csv (CSV, cp1253): 3 records",
        "Imported 3, updated 0, skipped 0 duplicates, rejected 0",
    ]
    # Outlook's Mr./Dr. and its third address are not read.
    assert lines[2].startswith("Columns not used: Title, Suffix, Department, Account, ")
    assert len(lines) == 3
    people = crm.people()
    assert [(p["given_name"], p["family_name"], p["birthday"], p["phones"]) for p in people] == [
        ("Άννα", "Αλεξίου", "1980-12-31", ["+302106123456", "+306977654321"]),
        ("Άγγελος", "Βασιλείου", "1975-04-05", ["+306971112223"]),
        ("Σοφία", "Ιωάννου", None, ["+302310555123"]),
    ]
    assert people[0]["tags"] == ["VIP", "Πελάτες"]
    assert people[0]["notes"] == (
        "Συστάθηκε από τον Γιώργο.\nΚαλεί τις Τρίτες.\nRelated: Γιώργος Νικολάου (referred by)"
    )


def test_without_a_region_a_greek_file_reads_local_numbers_as_greek(crm):
    # No profile region: the file's names are Greek, so "2310 555 123" is Thessaloniki.
    report = crm.json("import", fixture("outlook_greek.csv"))
    assert (report["imported"], report["rejected"]) == (3, [])
    assert [p["phones"] for p in crm.people()] == [
        ["+302106123456", "+306977654321"],
        ["+306971112223"],
        ["+302310555123"],
    ]


def test_without_a_region_a_mixed_file_warns_of_local_numbers_with_their_line(crm, tmp_path):
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "First Name,Last Name,Mobile Phone\n"
        "Άννα,Αλεξίου,+30 697 765 4321\n"
        "Giulia,Rossi,+39 333 765 4321\n"
        "Иван,Петров,0888 123 456\n",
        encoding="utf-8",
    )
    report = crm.json("import", str(mixed))
    assert (report["imported"], report["rejected"]) == (3, [])
    assert report["warnings"] == [
        {
            "line": 4,
            "field": "phone",
            "value": "0888 123 456",
            "reason": "Phone '0888 123 456' has no country code: write it as +<country code> ... "
            "or set a default region in the profile: kept in the notes as typed",
        }
    ]
    assert crm.people()[2]["notes"] == "Unverified phone: 0888 123 456 (mobile)"


def test_apple_contacts_vcard(crm):
    assert crm.json("import", fixture("apple_contacts.vcf"))["imported"] == 3
    maria, niccolo, company = crm.people()
    assert maria == person(
        source="apple_contacts.vcf",
        given_name="Μαρία",
        family_name="Παπαδοπούλου",
        organization="Ακμή Α.Ε.",
        title="Διευθύντρια πωλήσεων",
        emails=["maria@akmi.gr", "maria.pap@example.gr"],
        phones=["+306912345678", "+302101234567", "+302310765432"],
        phones_original=["+30 691 234 5678", "210 123 4567", "+30 2310 765 432"],
        street="Λεωφ. Κηφισίας 44",
        city="Αθήνα",
        postcode="115 26",
        region="Αττική",
        country="GR",
        language="el",
        birthday="1980-04-15",
        notes="Γνωριστήκαμε στο Επιμελητήριο, Μάρτιος 2024.\nΠροτιμά email.\n"
        "Related: Νίκος Παπαδόπουλος (spouse)",
        url="https://akmi.gr/maria",
    )
    assert (niccolo["given_name"], niccolo["birthday"], niccolo["phones"]) == (
        "Niccolò",
        "--11-03",
        ["+393339876543", "+390612345678"],
    )
    assert (company["family_name"], company["organization"]) == ("Ακμή Α.Ε.", "Ακμή Α.Ε.")


def test_android_vcard_21_quoted_printable(crm):
    assert crm.json("import", fixture("android_21.vcf"))["imported"] == 2
    nikos, ivan = crm.people()
    assert (nikos["given_name"], nikos["family_name"], nikos["organization"]) == (
        "Νίκος",
        "Αλεξίου",
        "Ακμή Α.Ε.",
    )
    assert nikos["phones"] == ["+306944123456", "+302310123456"]
    assert (nikos["street"], nikos["city"], nikos["country"]) == (
        "Τσιμισκή 120",
        "Θεσσαλονίκη",
        "GR",
    )
    assert (ivan["given_name"], ivan["family_name"], ivan["language"]) == ("Иван", "Петров", "bg")


def test_a_broken_card_is_reported_and_the_others_imported(crm):
    report = crm.json("import", fixture("broken.vcf"))
    # Broken lines and stray text are warnings: no card is lost.
    assert (report["imported"], report["rejected"]) == (4, [])
    assert [(w["line"], w["field"], w["value"]) for w in report["warnings"]] == [
        (13, "line", "END:VCARD"),
        (11, "line", "this line lost its property name"),
        (13, "birthday", "31/02/1980"),
        (18, "line", "-- exported by PhoneSync 2.3 --"),
    ]
    assert [(p["given_name"], p["family_name"], p["notes"]) for p in crm.people()] == [
        ("Luca", "Bianchi", ""),
        ("Carta", "Rotta", ""),
        ("Елена", "Иванова", "Birthday: 31/02/1980"),
        ("Κώστας", "Σταύρου", ""),
    ]


def test_bad_values_are_warnings_reported_by_line_in_words(crm):
    code, out, err = crm("import", fixture("bad_rows.csv"))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "bad_rows.csv (CSV, utf-8): 4 records",
        "Imported 4, updated 0, skipped 0 duplicates, rejected 0",
        "2 warnings (imported with the value kept as typed):",
        "  line 3: birthday '31/31/1980': Birthday '31/31/1980' is not a date: use YYYY-MM-DD, "
        "or --MM-DD without the year: kept in the notes",
        "  line 5: email 'bob@@example.com': Email 'bob@@example.com' is not valid: The part "
        "after the @-sign contains invalid characters: '@'.: kept in the notes as typed",
    ]


ALL_FILES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".vcf"))


def test_a_second_import_of_every_file_adds_nobody(crm):
    crm.region("GR")
    first = {name: crm.json("import", fixture(name)) for name in ALL_FILES}
    assert sum(r["imported"] for r in first.values()) >= 20
    before = crm.dump()
    for name in ALL_FILES:
        again = crm.json("import", fixture(name))
        assert (again["imported"], again["updated"]) == (0, 0), name
        assert again["rejected"] == first[name]["rejected"], name
    assert crm.dump() == before


def test_dry_run_reports_and_changes_nothing(crm):
    before = crm.dump()
    code, out, _err = crm("import", fixture("linkedin_connections.csv"), "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "linkedin_connections.csv (CSV, utf-8): 3 records",
        "Would import 3, update 0, skip 0 duplicates, reject 0",
        "Dry run: nothing was changed.",
    ]
    assert crm.dump() == before
    assert crm.json("import", fixture("linkedin_connections.csv"), "--dry-run")["dry_run"] is True


def test_format_and_encoding_options(crm):
    assert crm.json("import", fixture("rfc6350.vcf"), "--format", "vcard")["imported"] >= 1
    report = crm.json("import", fixture("bulgarian_cp1251.csv"), "--encoding", "cp1251")
    assert report["imported"] + len(report["rejected"]) == 3


def test_refusals_leave_the_database_unchanged(crm, tmp_path):
    crm.json("import", fixture("linkedin_connections.csv"))
    crm.refused("import", str(tmp_path / "missing.csv"), match="there is no such file")
    crm.refused("import", str(tmp_path), match="it is a folder")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n \r\n")
    crm.refused("import", str(empty), match="is empty")
    workbook = tmp_path / "contacts.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    crm.refused("import", str(workbook), match="Excel workbook")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    crm.refused("import", str(binary), match="NUL byte")
    crm.refused(
        "import",
        fixture("outlook_greek.csv"),
        "--encoding",
        "utf-8",
        match="cannot be read as utf-8",
    )
    crm.refused("import", fixture("google.csv"), "--encoding", "klingon", match="klingon")
    crm.refused("import", fixture("google.csv"), "--format", "vcard", match="not a vCard")


def test_a_file_that_cannot_be_read_does_not_create_the_database(tmp_path, capsys):
    target = tmp_path / "new.sqlite3"
    assert main(["--db", str(target), "import", str(tmp_path / "missing.vcf")]) == 2
    assert capsys.readouterr().err.startswith("error: Cannot read")
    assert not target.exists()


def test_map_reads_a_column_as_a_field_and_the_report_lists_unused_ones(crm):
    result = crm.json("import", fixture("thunderbird.csv"), "--map", "Department=notes")
    assert result["imported"] == 2
    assert result["unused_columns"] == [
        "Nickname", "Screen Name", "Custom 1", "Custom 2", "Custom 3", "Custom 4",
    ]  # fmt: skip
    anna = next(p for p in crm.people() if p["given_name"] == "Anna")
    assert anna["birthday"] == "1970-11-05"
    assert "Sales" in anna["notes"]
    out = crm.ok("import", fixture("outlook_german.csv"), "--dry-run")
    assert "Columns not used: Anrede, Suffix, Abteilung, E-Mail-Typ" in out


def test_map_refuses_an_unknown_field_or_column_and_writes_nothing(crm):
    crm.ok("import", fixture("outlook_us.csv"))
    crm.refused(
        "import", fixture("thunderbird.csv"), "--map", "Department=shoe",
        match="'shoe' is not a field a column can be read as; the fields are: given_name, ",
    )  # fmt: skip
    crm.refused(
        "import", fixture("thunderbird.csv"), "--map", "Dept=notes",
        match="no column 'Dept'; its columns are: 'First Name', 'Last Name'",
    )  # fmt: skip


def test_preset_saved_by_the_wizard_reads_the_columns(crm, tmp_path):
    from crm.interchange import csvfile

    crm.ok("import", fixture("outlook_us.csv"), "--dry-run")  # makes the database
    data = (FIXTURES / "thunderbird.csv").read_bytes()
    store = dbm.open_database(crm.target)
    try:
        layout = csvfile.map_columns(csvfile.inspect(data), ["Nickname=notes"])
        csvfile.save_preset("Thunderbird nicknames", layout)
    finally:
        store.close()
    crm.refused(
        "import", fixture("thunderbird.csv"), "--preset", "Nope",
        match="no import preset 'Nope'; the saved presets are: 'Thunderbird nicknames'",
    )  # fmt: skip
    result = crm.json("import", fixture("thunderbird.csv"), "--preset", "Thunderbird nicknames")
    assert result["imported"] == 2 and "Nickname" not in result["unused_columns"]
    anna = next(p for p in crm.people() if p["given_name"] == "Anna")
    assert "Annie" in anna["notes"]
