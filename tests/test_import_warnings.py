"""One bad field never loses a contact: it is kept as typed (or left out) and reported.

Each case is a small file in the shape a real program writes (vCard 3.0 from
Apple, CardBook and phones; Google's CSV), imported with ``crm import``.
"""

from __future__ import annotations

from pathlib import Path

import clitools
import pytest

from crm.core import contacts, models, settings
from crm.core import db as dbm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return clitools.make_crm(tmp_path, capsys, backend=backend)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    return str(path)


def people(crm) -> list[dict]:
    store = dbm.open_database(crm.target)
    try:
        ids = sorted(r[0] for r in contacts.list_rows(limit=100, include_archived=True))
        return [contacts.details(cid) for cid in ids]
    finally:
        store.close()


def set_region(crm, code: str) -> None:
    store = dbm.open_database(crm.target)
    try:
        settings.update_profile(default_region=code)
    finally:
        store.close()


CARD_PHONES = """BEGIN:VCARD
VERSION:3.0
N:Dupont;Marie;;;
FN:Marie Dupont
TEL;TYPE=HOME:555-1234
TEL;TYPE=WORK:BusinessPhone
TEL;TYPE=WORK:+1-418-656-9254;ext=102
TEL;TYPE=CELL:(418) 656-9255 x5318
TEL;TYPE=OTHER:418-656-9256 ext.453
END:VCARD
"""


def test_a_vcard_s_bad_phones_are_kept_as_typed_and_extensions_kept(crm, tmp_path):
    crm.ok("contacts", "list")  # the database, before its profile region is set
    set_region(crm, "US")
    report = crm.json("import", write(tmp_path, "phones.vcf", CARD_PHONES), "--json")
    assert (report["imported"], report["rejected"]) == (1, [])
    assert [(w["line"], w["field"], w["value"]) for w in report["warnings"]] == [
        (1, "phone", "555-1234"),
        (1, "phone", "BusinessPhone"),
    ]
    assert report["warnings"][0]["reason"].endswith("kept in the notes as typed")
    assert report["warnings"][1]["reason"].endswith("left out")
    (marie,) = people(crm)
    assert marie["phones_original"] == [
        "+1-418-656-9254;ext=102",
        "(418) 656-9255 x5318",
        "418-656-9256 ext.453",
    ]
    assert marie["notes"] == "Unverified phone: 555-1234 (home)"


def test_fictitious_555_numbers_in_a_google_csv_row_are_kept_in_the_notes(crm, tmp_path):
    csv = write(
        tmp_path,
        "google.csv",
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
        "Phone 1 - Value\n"
        "Omega Test,Omega,Test,* Work,<x@y.ca>,Mobile,+1 555 555 0100\n",
    )
    report = crm.json("import", csv, "--json")
    assert (report["imported"], report["rejected"]) == (1, [])
    assert [(w["line"], w["field"], w["value"]) for w in report["warnings"]] == [
        (2, "phone", "+1 555 555 0100")
    ]
    (omega,) = people(crm)
    assert omega["emails"] == ["x@y.ca"]
    assert omega["phones"] == []
    assert omega["notes"] == "Unverified phone: +1 555 555 0100 (Mobile)"


CARD_EMAILS = """BEGIN:VCARD
VERSION:3.0
FN:Omega Corp
ORG:Omega Corp
EMAIL;TYPE=INTERNET:"Omega" <omega@example.com>
EMAIL;TYPE=INTERNET:bob@@example.com
END:VCARD
"""


def test_emails_with_a_display_name_are_unwrapped_and_impossible_ones_kept(crm, tmp_path):
    report = crm.json("import", write(tmp_path, "emails.vcf", CARD_EMAILS), "--json")
    assert (report["imported"], report["rejected"]) == (1, [])
    assert [(w["line"], w["field"], w["value"]) for w in report["warnings"]] == [
        (1, "email", "bob@@example.com")
    ]
    (omega,) = people(crm)
    assert omega["emails"] == ["omega@example.com"]
    assert omega["notes"] == "Unverified email: bob@@example.com"


@pytest.mark.parametrize("bday", ["1604-03-15", "16040315"])
def test_apple_and_cardbook_s_1604_is_a_birthday_without_a_year(crm, tmp_path, bday):
    card = f"BEGIN:VCARD\nVERSION:3.0\nN:Rossi;Anna;;;\nFN:Anna Rossi\nBDAY:{bday}\nEND:VCARD\n"
    report = crm.json("import", write(tmp_path, "apple.vcf", card), "--json")
    assert (report["imported"], report["warnings"]) == (1, [])
    assert people(crm)[0]["birthday"] == "--03-15"


def test_a_free_text_birthday_goes_to_the_notes_in_vcard_and_csv(crm, tmp_path):
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Martin;Paul;;;\nFN:Paul Martin\n"
        "BDAY:23 février 1951\nEND:VCARD\n"
    )
    csv = "Given Name,Family Name,Birthday\nJeanne,Martin,23 février 1951\n"
    for name, text in (("card.vcf", card), ("google.csv", csv)):
        report = crm.json("import", write(tmp_path, name, text), "--json")
        assert report["imported"] == 1
        (warning,) = report["warnings"]
        assert (warning["field"], warning["value"]) == ("birthday", "23 février 1951")
    assert [(p["given_name"], p["birthday"], p["notes"]) for p in people(crm)] == [
        ("Paul", None, "Birthday: 23 février 1951"),
        ("Jeanne", None, "Birthday: 23 février 1951"),
    ]


def test_the_text_report_lists_each_warning_with_its_line(crm, tmp_path):
    code, out, err = crm("import", write(tmp_path, "emails.vcf", CARD_EMAILS), "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "Would import 1, update 0, skip 0 duplicates, reject 0",
        "1 warning (imported with the value kept as typed):",
        "  line 1: email 'bob@@example.com': Email 'bob@@example.com' is not valid: The part "
        "after the @-sign contains invalid characters: '@'.: kept in the notes as typed",
        "Dry run: nothing was changed.",
    ]


def test_a_file_with_no_contact_at_all_exits_2(crm, tmp_path):
    card = "BEGIN:VCARD\nVERSION:3.0\nTEL:BusinessPhone\nNOTE:nobody\nEND:VCARD\n"
    code, out, err = crm("import", write(tmp_path, "nobody.vcf", card))
    assert code == 2
    assert "line 1: Nothing to import" in out
    assert err.strip() == "error: no contact could be imported from nobody.vcf"


def test_strict_refuses_the_whole_import_on_any_warning(crm, tmp_path):
    crm.ok("contacts", "list")
    before = crm.dump()
    code, out, err = crm("import", write(tmp_path, "emails.vcf", CARD_EMAILS), "--strict")
    assert code == 2
    assert "line 1: email 'bob@@example.com'" in out
    assert err.strip().startswith("error: refused (--strict): 1 value did not validate")
    assert crm.dump() == before
    # Without warnings, --strict imports as usual.
    good = "BEGIN:VCARD\nVERSION:3.0\nN:Rossi;Anna;;;\nFN:Anna Rossi\nEND:VCARD\n"
    report = crm.json("import", write(tmp_path, "good.vcf", good), "--strict", "--json")
    assert (report["imported"], report["refused"]) == (1, False)


def test_a_vcard_4_text_birthday_is_kept_in_the_notes(crm, tmp_path):
    card = "BEGIN:VCARD\nVERSION:4.0\nFN:Old Timer\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n"
    report = crm.json("import", write(tmp_path, "v4.vcf", card), "--json")
    assert report["imported"] == 1
    assert [(w["field"], w["value"]) for w in report["warnings"]] == [("birthday", "circa 1800")]
    (person,) = people(crm)
    assert (person["birthday"], person["notes"]) == (None, "Birthday: circa 1800")


CARD_MORE = """BEGIN:VCARD
VERSION:2.1
N:Smith;Jo
TEL;HOME:+44 20 7946 0000
ORG:Company
ORG:Mystery;Research
ADR;HOME;PREF:;;Buehlauer Strasse 45;Dresden;Sachsen;01327;Germany
ADR;WORK:;;Prager Strasse 55;Dresden;Sachsen;01066;Germany
END:VCARD
"""


def test_a_card_s_second_address_and_organization_are_lines_of_the_notes(crm, tmp_path):
    report = crm.json("import", write(tmp_path, "more.vcf", CARD_MORE), "--json")
    assert (report["imported"], report["warnings"]) == (1, [])
    (jo,) = people(crm)
    assert (jo["street"], jo["postcode"], jo["organization"]) == (
        "Buehlauer Strasse 45",
        "01327",
        "Company",
    )
    assert jo["notes"] == (
        "Address (work): Prager Strasse 55, Dresden, Sachsen, 01066, Germany\n"
        "Organization: Mystery - Research"
    )


def test_csv_columns_no_list_names_still_keep_their_numbers_and_addresses(crm, tmp_path):
    # Roundcube's and Outlook's other columns: a mobile at home, a pager, an assistant's phone.
    csv = (
        "First Name,Last Name,Email Home,Email Other,Home Mobile,Pager,Assistant's Phone,"
        "Phone 1 - Type,E-mail Display Name\n"
        "Ada,Byron,ada@example.com,ada.other@example.com,+44 7911 123456,+44 20 7946 0001,"
        "+44 20 7946 0002,Mobile,Ada B\n"
    )
    report = crm.json("import", write(tmp_path, "other.csv", csv), "--json")
    assert (report["imported"], report["warnings"]) == (1, [])
    (ada,) = people(crm)
    assert ada["emails"] == ["ada@example.com", "ada.other@example.com"]
    assert ada["phones_original"] == ["+44 7911 123456", "+44 20 7946 0001", "+44 20 7946 0002"]
    store = dbm.open_database(crm.target)
    try:
        rows = models.ContactPhone.select().order_by(models.ContactPhone.position)
        labels = [row.label for row in rows]
    finally:
        store.close()
    assert labels == ["home mobile", "pager", "assistant"]
