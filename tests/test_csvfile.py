"""CSV files from Google, Outlook, LinkedIn, Excel and ourselves (crm.interchange.csvfile).

Every fixture in tests/fixtures/interchange/*.csv is a file in the shape its program
writes (encoding, delimiter, quoting, line ends, header); each test states exactly
what the reader must make of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from dbtools import refused
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.core import clock, contacts, models
from crm.core.errors import ValidationError
from crm.interchange import csv_dates, csv_headers, csvfile, exports, vcard
from crm.interchange.records import Incoming
from crm.interchange.records import Labelled as L

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def load(name: str) -> tuple[csvfile.CsvLayout, list[Incoming]]:
    data = raw(name)
    layout = csvfile.inspect(data)
    return layout, list(csvfile.read(data, layout))


def mapped(layout: csvfile.CsvLayout) -> dict[str, str]:
    return {column: key for column, key in layout.mapped().items() if key}


# -- Google Contacts ---------------------------------------------------------------


def test_google_contacts_export():
    layout, records = load("google.csv")
    assert (layout.encoding, layout.delimiter, layout.header_line) == ("utf-8", ",", 1)
    assert (layout.shape, layout.rows, len(layout.columns)) == ("google", 6, 38)
    assert mapped(layout) == {
        "First Name": "given_name",
        "Middle Name": "given_name",
        "Last Name": "family_name",
        "Organization Name": "organization",
        "Organization Title": "title",
        "Birthday": "birthday",
        "Notes": "notes",
        "Labels": "tags",
        "E-mail 1 - Label": "email_label",
        "E-mail 1 - Value": "email",
        "E-mail 2 - Label": "email_label",
        "E-mail 2 - Value": "email",
        "Phone 1 - Label": "phone_label",
        "Phone 1 - Value": "phone",
        "Phone 2 - Label": "phone_label",
        "Phone 2 - Value": "phone",
        "Address 1 - Street": "street",
        "Address 1 - City": "city",
        "Address 1 - PO Box": "street",
        "Address 1 - Region": "region",
        "Address 1 - Postal Code": "postcode",
        "Address 1 - Country": "country",
        "Address 1 - Extended Address": "street",
        "Website 1 - Value": "url",
        "Relation 1 - Label": "related_label",
        "Relation 1 - Value": "related",
    }
    assert records == [
        # Lines 2-5: the notes hold one line break and the formatted address two.
        Incoming(
            line=2,
            given_name="Μαρία Ελένη",
            family_name="Παπαδοπούλου",
            organization="Ακμή Α.Ε.",
            title="Διευθύντρια Πωλήσεων",
            emails=[
                L("maria@akmi.gr", "Work"),
                L("maria.pap@gmail.com", "Home"),
                L("mpapad80@yahoo.gr", "Home"),
            ],
            phones=[
                L("+30 697 123 4567", "Mobile"),
                L("+30 210 123 4567", "Work"),
                L("+30 210 123 4568", "Work"),
            ],
            street="Ερμού 10, 3ος όροφος",
            city="Αθήνα",
            postcode="105 63",
            region="Αττική",
            country="Ελλάδα",
            url="https://akmi.gr",
            birthday="1980-07-01",
            notes="Γνωριστήκαμε στο ΕΒΕΑ.\nΘέλει προσφορά για 20 άτομα.",
            tags=["Πελάτες"],
            related=["Γιάννης Παπαδόπουλος (Spouse)"],
        ),
        Incoming(
            line=6,
            given_name="Иван",
            family_name="Петров",
            organization="Петров ЕООД",
            title="Управител",
            emails=[L("ivan@petrov.bg", "Other")],
            phones=[L("0888 123 456", "Mobile")],
            city="София",
            country="България",
            birthday="--03-15",
            tags=["Партньори"],
        ),
        Incoming(
            line=8,
            given_name="محمد",
            family_name="العلي",
            organization="شركة النور للتجارة",
            title="مدير المشتريات",
            emails=[L("m.alali@alnoor.ae", "Work")],
            phones=[L("+971 4 234 5678", "Work")],
        ),
        Incoming(
            line=9,
            given_name="Giuseppe",
            family_name="De Luca",
            organization="Rossi & Figli S.r.l.",
            title="Responsabile acquisti",
            emails=[L("g.deluca@rossifigli.it", "Work")],
            phones=[L("+39 02 1234 5678", "Work")],
            street="Via Roma 1",
            city="Milano",
            postcode="20121",
            region="MI",
            country="Italia",
            url="https://www.linkedin.com/in/giuseppe-deluca",
            birthday="1975-12-31",
            tags=["Clienti", "Fornitori"],
        ),
        Incoming(
            line=12,
            organization="Caffè Niccolò",
            emails=[L("info@caffeniccolo.it", "Work")],
            notes="Fornitore: caffè, cioccolato",
        ),
        Incoming(
            line=13,
            given_name="Niccolò",
            family_name="Bianchi",
            phones=[L("+39 333 123 4567", "Mobile"), L("333 765 4321", "Mobile")],
            birthday="--02-29",
        ),
    ]


def test_google_legacy_export_with_group_membership_and_a_bom():
    layout, records = load("google_legacy.csv")
    assert (layout.encoding, layout.shape, layout.rows) == ("utf-8-sig", "google", 2)
    assert layout.columns[0] == "Name"  # the BOM is not part of the first header
    assert mapped(layout)["Name"] == "full_name"
    assert mapped(layout)["Group Membership"] == "tags"
    assert "Language" not in mapped(layout)
    assert records == [
        Incoming(
            line=2,
            given_name="Κώστας",
            family_name="Δημητρίου",
            organization="Δημητρίου & Σια Ο.Ε.",
            title="Λογιστής",
            emails=[L("kostas@dimitriou.gr", "Work"), L("k.dimitriou@otenet.gr", "Other")],
            phones=[L("6944 123 456", "Mobile")],
            street="Τσιμισκή 45",
            city="Θεσσαλονίκη",
            postcode="546 23",
            country="GR",
            birthday="1969-11-05",
            tags=["Συνεργάτες"],
        ),
        # Lines 2-3: the formatted address holds a line break. Only "Name": the whole name.
        Incoming(line=4, full_name="Acme Support", emails=[L("support@acme.example", "Other")]),
    ]


# -- Outlook ----------------------------------------------------------------------


def test_outlook_from_greek_windows_cp1253_semicolons_day_first():
    layout, records = load("outlook_greek.csv")
    assert (layout.encoding, layout.delimiter, layout.shape) == ("cp1253", ";", "outlook")
    assert (layout.date_order, layout.rows, len(layout.columns)) == ("DMY", 3, 92)
    columns = mapped(layout)
    assert "Title" not in columns  # Mr./Ms. beside "Job Title"
    assert columns["Job Title"] == "title"
    assert columns["Home Street"] == "other_street"
    assert columns["Business Fax"] == "phone:fax"
    assert "E-mail Type" not in columns and "E-mail Display Name" not in columns
    assert records == [
        Incoming(
            line=2,
            given_name="Άννα",
            family_name="Αλεξίου",
            organization="Ερμής Ο.Ε.",
            title="Υπεύθυνη Λογιστηρίου",
            emails=[L("anna@ermis.gr"), L("anna.alexiou@gmail.com")],
            phones=[L("210 612 3456", "work"), L("697 765 4321", "mobile")],
            street="Λεωφ. Κηφισίας 12, 3ος όροφος",
            city="Μαρούσι",
            postcode="151 25",
            region="Αττική",
            country="Ελλάδα",
            url="www.ermis.gr",
            birthday="1980-12-31",
            notes="Συστάθηκε από τον Γιώργο.\nΚαλεί τις Τρίτες.",  # CRLF inside the cell
            tags=["Πελάτες", "VIP"],
            related=["Γιώργος Νικολάου (referred by)"],
        ),
        # The home address, since the business one is empty; the Exchange-internal
        # "/o=ExchangeLabs/..." address is dropped, the SMTP one kept; 5/4 is 5 April.
        Incoming(
            line=4,
            given_name="Άγγελος",
            family_name="Βασιλείου",
            title="Ασφαλιστής",
            emails=[L("angelos@vasileiou.gr")],
            phones=[L("6971112223", "mobile")],
            street="Αγίου Δημητρίου 5",
            city="Πάτρα",
            postcode="262 21",
            country="Ελλάδα",
            birthday="1975-04-05",
            related=["Ελένη (spouse)"],
        ),
        # Birthday 0/0/00: none.
        Incoming(
            line=5,
            given_name="Σοφία",
            family_name="Ιωάννου",
            organization="Ιωάννου ΑΕ",
            emails=[L("sofia@ioannou.gr")],
            phones=[L("2310 555 123", "work")],
            tags=["Προμηθευτές"],
        ),
    ]


def test_outlook_from_us_windows_cp1252_month_first():
    layout, records = load("outlook_us.csv")
    assert (layout.encoding, layout.delimiter, layout.shape) == ("cp1252", ",", "outlook")
    assert layout.date_order == "MDY"  # 12/31/1980 says so
    assert records == [
        Incoming(
            line=2,
            given_name="José",
            family_name="Müller",
            organization="Café Zoë LLC",
            title="Owner",
            emails=[L("jose@cafezoe.com")],
            phones=[L("(217) 555-0134", "work"), L("(217) 555-0199", "mobile")],
            street="1200 Main St.\nSuite 5",
            city="Springfield",
            postcode="62701",
            region="IL",
            country="United States of America",
            url="http://www.cafezoe.com/",
            birthday="1980-12-31",
            notes="Prefers email — not calls. Budget €5,000.",
            tags=["Clients", "Key Customer"],
        ),
        Incoming(
            line=4,
            given_name="Françoise",
            family_name="Brontë-Øster",
            organization="Société Générale",
            title="Chargée d'affaires",
            emails=[L("francoise@example.fr")],
            phones=[L("+33 1 42 68 53 00", "home")],
            birthday="1976-07-04",  # 7/4/1976, month first
            related=["Noël Dupré (manager)"],
        ),
        # The second address differs only in case: one email. The fax goes after
        # the other phone although Outlook writes "Business Fax" first.
        Incoming(
            line=5,
            given_name="Zoë",
            family_name="O'Brien",
            emails=[L("zoe.obrien@example.com")],
            phones=[L("202-555-0143", "other"), L("202-555-0144", "fax")],
        ),
    ]


# -- LinkedIn ---------------------------------------------------------------------


def test_linkedin_connections_with_its_notes_preamble():
    layout, records = load("linkedin_connections.csv")
    assert (layout.header_line, layout.shape, layout.rows) == (4, "linkedin", 3)
    assert layout.columns == [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    assert records == [
        Incoming(
            line=5,
            given_name="Γιώργος",
            family_name="Νικολάου",
            organization="Ακμή Α.Ε.",
            title="Business Development Manager",
            url="https://www.linkedin.com/in/giorgos-nikolaou-3b2a1c",
            connected_on=dt.date(2024, 3, 12),
        ),
        Incoming(
            line=6,
            given_name="Elena",
            family_name="Marinova",
            organization="Marinova, Todorov & Co",
            title="Partner",
            emails=[L("elena.marinova@example.bg")],
            url="https://www.linkedin.com/in/elenamarinova",
            connected_on=dt.date(2023, 1, 3),
        ),
        Incoming(
            line=7,
            given_name="Luca",
            family_name="Bianchi",
            organization="Freelance",
            url="https://www.linkedin.com/in/lucabianchi",
            connected_on=dt.date(2020, 2, 28),
        ),
    ]


# -- Excel and other generic files ------------------------------------------------


def test_excel_unicode_text_utf16_tabs_with_greek_headers():
    layout, records = load("utf16.csv")
    assert (layout.encoding, layout.delimiter, layout.shape) == ("utf-16-le", "\t", "generic")
    assert mapped(layout) == {
        "Ονοματεπώνυμο": "full_name",
        "Εταιρεία": "organization",
        "Email": "email",
        "Τηλέφωνο": "phone",
        "Κινητό": "phone:mobile",
        "Πόλη": "city",
        "Τ.Κ.": "postcode",
        "Γενέθλια": "birthday",
        "Σημειώσεις": "notes",
    }
    assert records == [
        Incoming(
            line=2,
            full_name="Δημήτρης Κωνσταντίνου",
            organization="Κωνσταντίνου ΙΚΕ",
            emails=[L("dimitris@konstantinou.gr")],
            phones=[L("2610 123456"), L("6977 000111", "mobile")],
            city="Πάτρα",
            postcode="262 22",
            birthday="1985-02-14",
            notes='Συνάντηση στο "Επιμελητήριο"',
        ),
        Incoming(
            line=3,
            full_name="Ольга Смирнова",
            emails=[L("olga@smirnova.example")],
            phones=[L("+359 88 765 4321", "mobile")],
            city="Варна",
            postcode="9000",
        ),
        Incoming(
            line=4,
            full_name="فاطمة الزهراء",
            organization="مؤسسة الأمل",
            emails=[L("fatima@alamal.example")],
            phones=[L("+962 6 555 1234")],
            city="عمّان",
            birthday="1990-04-03",  # 03/04: day first, as 14/02 in the same column says
            notes="ملاحظة أولى\nسطر ثان",
        ),
    ]


def test_bulgarian_excel_cp1251_dates_day_first_from_the_code_page():
    layout, records = load("bulgarian_cp1251.csv")
    assert (layout.encoding, layout.delimiter, layout.date_order) == ("cp1251", ";", "DMY")
    assert "Презиме" not in mapped(layout)  # the patronymic is not part of the name we keep
    assert records == [
        Incoming(
            line=2,
            given_name="Георги",
            family_name="Димитров",
            organization="Димитров и синове ООД",
            title="Търговски директор",
            emails=[L("georgi@dimitrov.bg")],
            phones=[L("02 987 6543"), L("0888 111 222", "mobile")],
            street="ул. „Витоша“ 15",
            city="София",
            postcode="1000",
            birthday="1979-02-01",
            notes="Познат от БТПП",
        ),
        Incoming(
            line=3,
            given_name="Мария",
            family_name="Стоянова",
            emails=[L("maria.stoyanova@abv.bg")],
            phones=[L("0899 333 444", "mobile")],
            city="Пловдив",
            postcode="4000",
            birthday="1985-04-05",  # "5.4.1985 г."
        ),
        Incoming(
            line=4,
            given_name="Николай",
            family_name="Петков",
            organization="Петков ЕТ",
            title="Собственик",
            emails=[L("nikolay@petkov.bg"), L("n.petkov@gmail.com")],  # two in one cell
            street="бул. „България“ 102, ет. 3",
            city="Бургас",
            postcode="8000",
            notes="Два имейла в една клетка",
        ),
    ]


def test_arabic_excel_cp1256_with_arabic_headers():
    layout, records = load("arabic_cp1256.csv")
    assert (layout.encoding, layout.delimiter, layout.date_order) == ("cp1256", ";", "DMY")
    assert layout.mapping == [
        "given_name",
        "family_name",
        "organization",
        "email",
        "phone",
        "city",
        "birthday",
        "notes",
    ]
    assert records == [
        Incoming(
            line=2,
            given_name="خالد",
            family_name="المنصور",
            organization="مجموعة المنصور التجارية",
            emails=[L("khaled@almansour.example")],
            phones=[L("+966 11 234 5678")],
            city="الرياض",
            birthday="1982-08-15",
            notes="تعارفنا في غرفة التجارة",
        ),
        Incoming(
            line=3,
            given_name="ليلى",
            family_name="حداد",
            emails=[L("layla.haddad@example.jo")],
            phones=[L("+962 79 123 4567")],
            city="عمّان",
            birthday="1990-04-03",
        ),
    ]


def test_italian_excel_cp1252_semicolons_read_day_first():
    layout, records = load("italian_excel.csv")
    # cp1252 is also the US code page, but ";" is Excel in a decimal-comma locale.
    assert (layout.encoding, layout.delimiter, layout.date_order) == ("cp1252", ";", "DMY")
    assert mapped(layout)["Nome"] == "given_name"  # beside "Cognome"
    assert [(r.line, r.birthday, r.tags) for r in records] == [
        (2, "1971-03-07", ["Clienti", "Emilia"]),
        (3, "1990-02-01", []),
    ]
    assert records[0].street == "Via dell'Indipendenza 8"
    assert records[1].family_name == "D'Angelo"
    assert records[1].notes == "Conosciuta a una cena di beneficenza: è molto attiva"


def test_the_date_order_can_be_changed_in_the_layout():
    data = raw("italian_excel.csv")
    layout = csvfile.inspect(data)
    layout.date_order = "MDY"
    assert [r.birthday for r in csvfile.read(data, layout)] == ["1971-07-03", "1990-01-02"]
    layout.date_order = "YMD"
    with pytest.raises(ValidationError, match="The date order must be DMY or MDY, not 'YMD'"):
        csvfile.read(data, layout)


def test_a_greek_iso8859_7_file_with_surname_first():
    layout, records = load("greek_iso8859_7.csv")
    assert layout.encoding == "iso8859-7"
    assert layout.mapping == ["family_name", "given_name", "email", "phone", "city"]
    assert [(r.line, r.given_name, r.family_name, r.city) for r in records] == [
        (2, "Άγγελος", "Ανδρέου", "Ηράκλειο"),
        (3, "Άρτεμις", "Αθανασίου", "Άργος"),
    ]


def test_excel_sep_line_before_the_header():
    layout, records = load("excel_sep.csv")
    assert (layout.delimiter, layout.header_line, layout.rows) == (";", 2, 1)
    assert records == [
        Incoming(
            line=3,
            full_name="Anna Rossi",
            emails=[L("anna@rossi.example")],
            phones=[L("+39 06 1234 5678")],
        )
    ]


# -- bad rows ----------------------------------------------------------------------


def test_a_bad_birthday_is_passed_on_as_typed_and_emails_pass_through_for_the_importer():
    _layout, records = load("bad_rows.csv")
    assert [r.line for r in records] == [2, 3, 5, 6]
    assert [r.problems for r in records] == [[], [], [], []]
    assert records[1].notes == "Birthday typed by hand,\ntwice"
    # The importer keeps a birthday it cannot read in the notes, with a warning.
    assert records[1].birthday == "31/31/1980"
    # The reader only reads: email-validator's verdict on "bob@@example.com" is the importer's.
    assert records[2].emails == [L("bob@@example.com")]
    assert records[3].birthday == "--09-12"


def test_extra_cells_and_a_quote_never_closed():
    _layout, records = load("broken_quote.csv")
    assert [(r.line, r.full_name) for r in records] == [
        (2, "Sara Conti"),
        (3, "Marco Gallo"),
        (4, "Paolo Neri"),
    ]
    assert records[0].problems == []
    assert records[1].problems == [
        "line 3: the row has 5 cells but the header has 3 columns "
        "(a missing quote or an extra delimiter?)"
    ]
    assert records[2].problems == [
        "line 4: a quoted cell opened on this row is never closed, "
        "so the rest of the file was read into it"
    ]


def test_files_that_are_not_csv_are_refused():
    with pytest.raises(ValidationError, match="This is an Excel workbook"):
        csvfile.inspect(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    with pytest.raises(ValidationError, match="This is an Excel workbook"):
        csvfile.inspect(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")
    with pytest.raises(ValidationError, match="The file is empty"):
        csvfile.inspect(b"\xef\xbb\xbf \r\n\r\n")


def test_a_file_whose_columns_mean_nothing_is_refused_when_read():
    data = b"Foo,Bar,Baz\n1,2,3\n"
    layout = csvfile.inspect(data)
    assert layout.mapping == ["", "", ""]
    with pytest.raises(ValidationError) as info:
        csvfile.read(data, layout)
    assert info.value.message == (
        "None of the columns ('Foo', 'Bar', 'Baz') is read as a contact field: "
        "choose what each column holds"
    )
    layout.mapping = ["full_name", "", "email"]
    assert list(csvfile.read(data, layout)) == [Incoming(line=2, full_name="1", emails=[L("3")])]


def test_the_mapping_can_be_edited_and_bad_keys_are_refused():
    data = raw("bad_rows.csv")
    layout = csvfile.inspect(data)
    layout.mapping[3] = "phone:office"  # any label for a phone
    layout.mapping[5] = "tags"  # Notes read as tags
    records = list(csvfile.read(data, layout))
    assert records[0].phones == [L("+30 210 555 0101", "office")]
    assert records[1].tags == ["Birthday typed by hand", "twice"]
    layout.mapping[5] = "nickname"
    with pytest.raises(ValidationError, match="Column 'Notes' cannot be read as 'nickname'"):
        csvfile.read(data, layout)
    layout.mapping = layout.mapping[:-1]
    with pytest.raises(ValidationError, match="The mapping has 5 targets for 6 columns"):
        csvfile.read(data, layout)


def test_a_layout_made_for_another_file_is_refused():
    layout = csvfile.inspect(raw("bad_rows.csv"))
    with pytest.raises(ValidationError, match="line 1: the header is not the one"):
        csvfile.read(raw("excel_sep.csv").replace(b"sep=;\r\n", b""), layout)
    linkedin = csvfile.inspect(raw("linkedin_connections.csv"))
    with pytest.raises(ValidationError, match="line 4: no row starts on this line"):
        csvfile.read(raw("bad_rows.csv"), linkedin)


def test_a_passed_encoding_is_used_and_a_failing_one_names_the_line():
    layout = csvfile.inspect(raw("outlook_greek.csv"), "cp1253")
    assert layout.encoding == "cp1253"
    with pytest.raises(ValidationError, match="line 2, column 2: the byte 0xEA"):
        csvfile.inspect(raw("outlook_greek.csv"), "utf-8")


# -- our own export ------------------------------------------------------------------


def test_our_own_export_is_recognised_and_read_back_exactly():
    layout, records = load("passaparola_export.csv")
    assert (layout.encoding, layout.shape) == ("utf-8-sig", "passaparola")
    assert tuple(layout.columns) == exports.CSV_COLUMNS
    ignored = {column for column, key in layout.mapped().items() if not key}
    assert ignored == {"stay_in_touch_days", "last_asked_for_referral", "created_at"}
    # The id column is the contact's UID, as our vCard export writes it.
    assert [r.uid for r in records] == [vcard.uid(2), vcard.uid(1), vcard.uid(3)]
    for r in records:
        r.uid = ""
    assert records == [
        # Formula neutralisation undone: the leading ' is ours, the text is theirs.
        Incoming(
            line=2,
            given_name="Ahmad",
            family_name="Haddad",
            organization='=HYPERLINK("http://evil.example","Haddad Trading")',
            emails=[L("ahmad@haddad.example")],
            phones=[L("+96265551234")],
            city="Amman",
            country="JO",
            birthday="1979-10-03",
            notes="-2+3 is not a formula here\n@mention stays",
            tags=["@home", "Suppliers"],
            language="ar",
            channel="other",
            stage="prospect",
            marketing_consent=False,
        ),
        Incoming(
            line=4,
            given_name="Ελένη",
            family_name="Σταθοπούλου",
            organization="Ακμή Α.Ε.",
            title="Σύμβουλος",
            emails=[L("eleni@akmi.gr", "work"), L("eleni.s@gmail.com")],
            phones=[L("+306971112233", "mobile"), L("+302105550100")],
            street="Πανεπιστημίου 20",
            city="Αθήνα",
            postcode="106 72",
            country="GR",
            url="https://akmi.gr",
            birthday="--07-01",
            notes="Πρώτη συνάντηση στο ΕΒΕΑ.\nΣυστήνει συχνά.",
            tags=["VIP", "Πελάτες"],
            language="el",
            channel="referral",
            stage="customer",
            marketing_consent=True,
            consent_date=dt.date(2025, 3, 1),
        ),
        Incoming(
            line=6,
            given_name="Стефан",
            family_name="Георгиев",
            emails=[L("stefan@georgiev.example")],
            city="Пловдив",
            country="BG",
            language="bg",
            channel="other",
            stage="prospect",
            marketing_consent=False,
        ),
    ]


def test_a_fresh_export_reads_back_what_was_written(store, tmp_path):
    contacts.create_contact(
        contacts.ContactData(
            given_name="Maria",
            family_name="Rossi, Jr.",
            organization="@Rossi; Figli",
            emails=["maria@rossi.example", "m.rossi@example.it"],
            phones=["+39 06 1234 5678"],
            language="it",
            channel="event",
            stage="lead",
            marketing_consent=True,
            consent_date=dt.date(2024, 11, 5),
            notes='"Quoted", with ; and , and\r\na CRLF',
            tags=["* starred", "Clienti, Roma"],
        )
    )
    path = tmp_path / "out.csv"
    assert exports.export_csv(path) == 1
    data = path.read_bytes()
    layout = csvfile.inspect(data)
    assert layout.shape == "passaparola"
    assert list(csvfile.read(data, layout)) == [
        Incoming(
            line=2,
            uid=vcard.uid(1),
            given_name="Maria",
            family_name="Rossi, Jr.",
            organization="@Rossi; Figli",  # written '@Rossi; Figli
            emails=[L("maria@rossi.example"), L("m.rossi@example.it")],
            phones=[L("+390612345678")],  # written '+390612345678
            notes='"Quoted", with ; and , and\r\na CRLF',  # our own text, as it was
            tags=["* starred", "Clienti, Roma"],  # our tags, not Google's labels
            language="it",
            channel="event",
            stage="lead",
            marketing_consent=True,
            consent_date=dt.date(2024, 11, 5),
        )
    ]


def test_consent_and_codes_from_a_mapped_column():
    data = (
        "Name,Consent,Consent date,Language\nA,Ναι,01/02/2024,el\nB,όχι,,\nC,maybe,31/02/2024,bg\n"
    ).encode()
    layout = csvfile.inspect(data)
    assert layout.mapping == ["full_name", "", "", ""]  # not guessed outside our own file
    layout.mapping = ["full_name", "marketing_consent", "consent_date", "language"]
    a, b, c = csvfile.read(data, layout)
    assert (a.marketing_consent, a.consent_date, a.language) == (True, dt.date(2024, 2, 1), "el")
    assert (b.marketing_consent, b.consent_date, b.language) == (False, None, None)
    assert (c.problems, c.marketing_consent, c.consent_date) == ([], None, None)
    assert [(w.line, w.field, w.value, w.reason) for w in c.warnings] == [
        (4, "Consent date", "31/02/2024", "Not a date: left out"),
        (4, "Consent", "maybe", "Not yes or no: left out"),
    ]


# -- presets ----------------------------------------------------------------------------


def test_presets_are_saved_listed_applied_and_deleted(store):
    data = raw("bad_rows.csv")
    layout = csvfile.inspect(data)
    layout.mapping[5] = ""  # the user un-maps Notes
    layout.mapping[3] = "phone:work"
    csvfile.save_preset("Chamber list", layout)
    saved = {
        "First Name": "given_name",
        "Last Name": "family_name",
        "Email": "email",
        "Phone": "phone:work",
        "Birthday": "birthday",
        "Notes": "",
    }
    assert csvfile.presets() == {"Chamber list": saved}
    row = models.Setting.get(models.Setting.key == "import.preset.Chamber list")
    assert row.value.startswith('{"First Name": "given_name"')
    fresh = csvfile.inspect(data)
    assert fresh.mapping[5] == "notes"
    applied = csvfile.apply_preset(fresh, "Chamber list")
    assert applied.mapping == list(saved.values())
    assert fresh.mapping[5] == "notes"  # the layout given is left as it was
    records = list(csvfile.read(data, applied))
    assert records[0].phones == [L("+30 210 555 0101", "work")]
    assert records[1].notes == ""
    # Saving again under the same name replaces it; names sort regardless of case.
    csvfile.save_preset("  Chamber   list ", fresh)
    csvfile.save_preset("another", fresh)
    assert list(csvfile.presets()) == ["another", "Chamber list"]
    assert csvfile.presets()["Chamber list"]["Notes"] == "notes"
    csvfile.delete_preset("another")
    assert list(csvfile.presets()) == ["Chamber list"]


def test_a_preset_applies_to_the_columns_it_knows_and_leaves_the_others(store):
    google = csvfile.inspect(raw("google.csv"))
    google.mapping[google.columns.index("Nickname")] = "related:nickname"
    csvfile.save_preset("Google with nicknames", google)
    other = csvfile.inspect(raw("google_legacy.csv"))
    applied = csvfile.apply_preset(other, "Google with nicknames")
    assert applied.mapping[other.columns.index("Nickname")] == "related:nickname"
    assert applied.mapping[other.columns.index("Name")] == "full_name"  # not in the preset
    records = list(csvfile.read(raw("google_legacy.csv"), applied))
    assert records[0].related == []  # Κώστας has no nickname


def test_preset_refusals_change_nothing(store, unchanged):
    layout = csvfile.inspect(raw("bad_rows.csv"))
    csvfile.save_preset("Mine", layout)
    with refused(unchanged, "A preset needs a name", field="name"):
        csvfile.save_preset("   ", layout)
    with refused(unchanged, "A preset name is limited to 50 characters"):
        csvfile.save_preset("x" * 51, layout)
    with refused(unchanged, "There is no import preset 'Theirs'"):
        csvfile.apply_preset(layout, "Theirs")
    with refused(unchanged, "There is no import preset 'Theirs'"):
        csvfile.delete_preset("Theirs")
    linkedin = csvfile.inspect(raw("linkedin_connections.csv"))
    linkedin.columns = ["Vorname", "Nachname", "E-Mail", "Firma", "Position", "URL", "Am"]
    with refused(unchanged, "The preset 'Mine' names none of this file's columns"):
        csvfile.apply_preset(linkedin, "Mine")
    nothing = csvfile.inspect(b"Foo,Bar\n1,2\n")
    with refused(unchanged, "None of the columns ('Foo', 'Bar') is read"):
        csvfile.save_preset("Nothing", nothing)
    bad = csvfile.inspect(raw("bad_rows.csv"))
    bad.mapping[0] = "shoe_size"
    with refused(unchanged, "Column 'First Name' cannot be read as 'shoe_size'"):
        csvfile.save_preset("Bad", bad)


def test_targets_and_labelled_target_keys():
    assert csvfile.valid_target("")
    assert all(csvfile.valid_target(key) for key in csvfile.TARGETS)
    assert csvfile.valid_target("email:Λοιπά") and csvfile.valid_target("related:boss")
    assert not csvfile.valid_target("email:") and not csvfile.valid_target("city:home")
    assert not csvfile.valid_target("phone:" + "x" * 41)


# -- header words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("E-mail", "email"),
        ("Ηλεκτρονικό ταχυδρομείο", "email"),
        ("Posta elettronica", "email"),
        ("Имейл", "email"),
        ("البريد الإلكتروني", "email"),
        ("ΤΗΛΕΦΩΝΟ", "phone"),
        ("Telefono", "phone"),
        ("Телефон", "phone"),
        ("Cellulare", "phone:mobile"),
        ("Εταιρεία", "organization"),
        ("Azienda", "organization"),
        ("Фирма", "organization"),
        ("الشركة", "organization"),
        ("Επώνυμο", "family_name"),
        ("Cognome", "family_name"),
        ("Фамилия", "family_name"),
        ("Ταχυδρομικός Κώδικας", "postcode"),
        ("CAP", "postcode"),
        ("Città", "city"),
        ("Ημερομηνία γέννησης", "birthday"),
        ("Data di nascita", "birthday"),
        ("Address 2 - City", "other_city"),
        ("Address 3 - City", "more_address"),  # a third address: the notes
        ("Organization 2 - Name", ""),
        ("E-mail 7 - Value", "email"),
        ("Phone 3 - Type", "phone_label"),
        ("Nickname", ""),
    ],
)
def test_header_words_in_our_users_languages(header, target):
    assert csv_headers.target_for(header) == target


def test_a_plain_name_column_is_the_given_name_only_beside_a_family_name():
    assert csv_headers.auto_mapping(["Name", "Surname"]) == ["given_name", "family_name"]
    assert csv_headers.auto_mapping(["Όνομα", "Επώνυμο"]) == ["given_name", "family_name"]
    assert csv_headers.auto_mapping(["Nome", "Email"]) == ["full_name", "email"]
    assert csv_headers.auto_mapping(["Име", "Имейл"]) == ["full_name", "email"]
    assert csv_headers.auto_mapping(["Name", "Given Name", "Family Name"]) == [
        "full_name",
        "given_name",
        "family_name",
    ]
    assert csv_headers.auto_mapping(["Title", "Position"]) == ["", "title"]
    assert csv_headers.auto_mapping(["Title", "Email"]) == ["title", "email"]


# -- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("1980-07-01", "DMY", "1980-07-01"),
        ("1980/7/1", "MDY", "1980-07-01"),
        ("19800701", "DMY", "1980-07-01"),
        ("--07-01", "MDY", "--07-01"),
        ("--0229", "DMY", "--02-29"),
        ("01/07/1980", "DMY", "1980-07-01"),
        ("01/07/1980", "MDY", "1980-01-07"),
        ("31/12/1980", "MDY", "1980-12-31"),  # only one order makes a date
        ("12/31/1980", "DMY", "1980-12-31"),
        ("31.12.1980 г.", "DMY", "1980-12-31"),
        ("5-4-75", "DMY", "1975-04-05"),
        ("31/12/1980 00:00", "DMY", "1980-12-31"),
        ("7/4/1976 12:00:00 AM", "MDY", "1976-07-04"),
        ("12 Mar 1984", "DMY", "1984-03-12"),
        ("March 12, 1984", "DMY", "1984-03-12"),
        ("0/0/00", "MDY", ""),
        ("00.00.0000", "DMY", ""),
    ],
)
def test_birthdays_as_files_write_them(text, order, expected):
    assert csv_dates.parse_birthday(text, order) == expected


@pytest.mark.parametrize("text", ["31/31/1980", "1980-02-30", "--13-01", "soon", "12 Smarch 2020"])
def test_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        csv_dates.parse_birthday(text)


def test_two_digit_years_are_never_in_the_future():
    this_year = clock.today().year % 100
    assert csv_dates.parse_date(f"1/2/{this_year:02d}") == dt.date(2000 + this_year, 2, 1)
    assert csv_dates.parse_date(f"1/2/{(this_year + 1) % 100:02d}").year <= clock.today().year


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["DMY", "MDY"]))
def test_any_date_reads_back_in_every_form(day, order):
    numeric = (
        f"{day.day}/{day.month}/{day.year}"
        if order == "DMY"
        else (f"{day.month}/{day.day}/{day.year}")
    )
    for text in (day.isoformat(), numeric, day.strftime("%d %b %Y"), day.strftime("%B %d, %Y")):
        assert csv_dates.parse_date(text, order) == day, text


# -- any cells come back -------------------------------------------------------------

_CELL = (
    st.lists(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
        | st.sampled_from([",", ";", "\t", '"', "\n", "\r\n", "'", "=", " ::: "]),
        max_size=12,
    )
    .map("".join)
    .map(str.strip)
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=6),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_names_and_notes_written_by_a_csv_writer_come_back(rows, delimiter, encoding):
    rows = [row for row in rows if any(row)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Given Name", "Family Name", "Notes"])
    writer.writerows(rows)
    data = buf.getvalue().encode(encoding)
    layout = csvfile.inspect(data)
    assert layout.delimiter == delimiter
    assert layout.mapping == ["given_name", "family_name", "notes"]
    records = list(csvfile.read(data, layout))
    assert [(r.given_name, r.family_name, r.notes) for r in records] == [
        (given.replace("\r\n", "\n"), family.replace("\r\n", "\n"), notes.replace("\r\n", "\n"))
        for given, family, notes in rows
    ]
    assert all(not r.problems for r in records)
