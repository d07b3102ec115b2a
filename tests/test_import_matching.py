"""Importing never merges two people: UID, email, an identifying phone; names, companies, countries.

Each case is a small vCard of the shape the programs write, read by the real
reader and imported into a real temp-file database.
"""

from __future__ import annotations

import pytest

from crm.core import contacts, duplicates, models
from crm.interchange import importer, vcard
from tests.clitools import Crm


def cards(*bodies: str) -> bytes:
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\n{body.strip()}\r\nEND:VCARD\r\n" for body in bodies
    )
    return text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode()


def run(data: bytes) -> importer.ImportReport:
    return importer.run(list(vcard.read(data)))


def stored() -> list[tuple[str, str, str, str]]:
    return [
        (d["given_name"], d["family_name"], d["organization"] or "", d["country"])
        for d in contacts.to_dicts(
            [c.id for c in models.Contact.select().order_by(models.Contact.id)]
        )
    ]


GRACES = cards(
    "N:Allen;Grace;;;\nFN:Grace Allen\nADR;TYPE=home:;;1 Congress Ave;Austin;TX;78701;USA",
    "N:Allen;Grace;;;\nFN:Grace Allen\nADR;TYPE=home:;;2 George Sq;Glasgow;;G2 1DU;UK",
)


def test_namesakes_without_organization_stay_two_people(store):
    report = run(GRACES)
    assert (report.imported, report.updated) == (2, 0)
    a, b = report.new_ids
    assert [contacts.get_contact(i).city for i in (a, b)] == ["Austin", "Glasgow"]
    # The duplicates review may still put them side by side.
    assert (a, b) in {(p.a_id, p.b_id) for p in duplicates.find()}
    # Importing the file again adds nobody.
    again = run(GRACES)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 2)


def test_a_shared_fax_or_switchboard_does_not_merge_colleagues(store):
    report = run(
        cards(
            "N:Stark;Tony;;;\nORG:Stark Industries\nTEL;TYPE=WORK,FAX:+1 212 555 0100\n"
            "TEL;TYPE=CELL:+1 212 555 0111",
            "N:Potts;Pepper;;;\nORG:Stark Industries\nTEL;TYPE=WORK,FAX:+1 212 555 0100",
            # The switchboard: on both colleagues' cards and on the company's.
            "N:Hogan;Happy;;;\nORG:Stark Industries\nTEL;TYPE=WORK:+1 212 555 0199",
            "N:;;;;\nFN:Stark Industries\nORG:Stark Industries\nTEL;TYPE=WORK:+1 212 555 0199\n"
            "EMAIL;TYPE=WORK:info@stark.example",
            "N:Rhodes;James;;;\nORG:Stark Industries\nTEL;TYPE=WORK:+1 212 555 0199\n"
            "EMAIL;TYPE=WORK:info@stark.example",
        )
    )
    assert (report.imported, report.updated) == (5, 0)
    assert [name for name, *_ in stored()] == ["Tony", "Pepper", "Happy", "", "James"]
    # A fax of the database identifies nobody either.
    tony, pepper = report.new_ids[:2]
    plan = importer.plan(
        list(vcard.read(cards("N:Banner;Bruce;;;\nTEL;TYPE=WORK,FAX:+1 212 555 0100")))
    )
    assert plan.rows[0].action == "new"
    # A number one person holds still finds that person.
    plan = importer.plan(list(vcard.read(cards("N:Stark;Tony;;;\nTEL:+1 212 555 0111"))))
    assert (plan.rows[0].action, plan.rows[0].contact_id) == ("skip", tony)
    assert pepper != tony


def test_a_phone_several_stored_people_share_matches_nobody(store):
    run(cards("N:Rossi;Anna;;;\nTEL:+39 06 1234 5678", "N:Rossi;Luca;;;\nTEL:+39 06 1234 5678"))
    plan = importer.plan(list(vcard.read(cards("N:Rossi;Marta;;;\nTEL:+39 06 1234 5678"))))
    assert plan.rows[0].action == "new"


def test_uid_finds_its_contact_even_with_nothing_else(store):
    # Two cards of one person in one file, with nothing else in common but the UID.
    both = run(
        cards(
            "N:Allen;Grace;;;\nUID:urn:uuid:1234\nTEL:+44 141 496 0000",
            "N:Allen;Grace;;;\nUID:urn:uuid:1234\nTEL:+44 141 496 0001",
        )
    )
    (cid,) = both.new_ids
    assert [(r.action, r.reason) for r in both.rows] == [
        ("new", ""),
        ("update", "same UID as line 1"),
    ]
    # Our own export's card, with a new number: the UID finds the contact.
    card = vcard.card_of(cid).replace("TEL", "TEL:+44 141 496 0002\r\nX-OLD", 1)
    again = importer.run(list(vcard.read(card.encode())))
    assert [(r.action, r.reason) for r in again.rows] == [("update", f"same UID as #{cid}")]
    # Our export's UID from another database names someone else here: no match.
    mine = contacts.create_contact(contacts.ContactData(given_name="Someone", family_name="Else"))
    plan = importer.plan(list(vcard.read(cards(f"N:Allen;Grace;;;\nUID:{vcard.uid(mine.id)}"))))
    assert plan.rows[0].contact_id != mine.id


@pytest.mark.parametrize("kind", ["vcard", "csv"])
def test_demo_round_trip_keeps_every_contact(tmp_path, capsys, kind):
    source = Crm(tmp_path / "source.db", capsys)
    source.ok("demo", "--contacts", "500", "--seed", "7")
    out = tmp_path / ("all.vcf" if kind == "vcard" else "all.csv")
    exported = source.json("export", kind, str(out), "--json")["written"]
    # Every contact that is not archived: namesakes (Grace Allen of Austin and of
    # Glasgow) included.
    assert exported == len(source.json("contacts", "list", "--limit", "100000", "--json"))
    fresh = Crm(tmp_path / "fresh.db", capsys)
    first = fresh.json("import", str(out), "--json")
    assert first["imported"] == exported and first["updated"] == 0
    before = fresh.dump()
    again = fresh.json("import", str(out), "--json")
    assert (again["imported"], again["updated"], again["skipped"]) == (0, 0, exported)
    assert fresh.dump() == before
    # Into the database it came from: nothing changes either.
    same = source.dump()
    back = source.json("import", str(out), "--json")
    assert (back["imported"], back["updated"]) == (0, 0)
    assert source.dump() == same


def test_company_cards_are_organizations_not_split_names(store):
    report = run(
        cards(
            "N:;;;;\nFN:ACME Inc.\nORG:ACME Inc.\nTEL;TYPE=WORK:+1 415 555 0100",
            "X-ABShowAs:COMPANY\nN:;;;;\nFN:Globex Corp.\nORG:Globex Corp.",
        )
        + b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Initech LLC\r\nEND:VCARD\r\n"
    )
    assert report.imported == 3
    assert stored() == [
        ("", "ACME Inc.", "ACME Inc.", ""),
        ("", "Globex Corp.", "Globex Corp.", ""),
        ("", "Initech LLC", "Initech LLC", ""),
    ]


def test_n_wins_over_fn_and_honorifics_stay_out_of_the_name(store):
    records = list(
        vcard.read(
            cards(
                "FN:Bruce Banner, PhD",
                "FN:Dr. Stephen Strange",
                "N:Doe;John;Paul,Peter;Mr.;Jr.\nFN:Johnny D",
                "FN:Banner, Bruce",
            )
        )
    )
    assert [r.full_name for r in records] == [
        "Bruce Banner",
        "Stephen Strange",
        "",
        "Banner, Bruce",
    ]
    assert (records[2].given_name, records[2].family_name) == ("John Paul Peter", "Doe")
    run_report = importer.run(records)
    assert run_report.imported == 4
    assert [(g, f) for g, f, *_ in stored()] == [
        ("Bruce", "Banner"),
        ("Stephen", "Strange"),
        ("John Paul Peter", "Doe"),
        ("Bruce", "Banner"),
    ]


def test_the_country_is_read_in_any_language_and_dials_local_numbers(store):
    report = run(
        cards(
            # A French Mac's card of a Canadian: X-ABADR is the address format only.
            "N:Tremblay;Luc;;;\nTEL;TYPE=CELL:613 564 1770\n"
            "item1.ADR;TYPE=HOME:;;1 Wellington St;Ottawa;ON;K1A 0A9;Canada\nitem1.X-ABADR:fr",
            "N:Müller;Lena;;;\nTEL:030 1234567\nADR:;;Unter den Linden 1;Berlin;;10117;Deutschland",
            "N:Παπαδάκη;Ελένη;;;\nTEL:210 123 4567\nADR:;;Σταδίου 5;Αθήνα;;10562;Ελλάδα",
            "N:Петрова;Мария;;;\nTEL:02 987 6543\nADR:;;ул. Витоша 1;София;;1000;България",
            "N:Dupont;Marie;;;\nADR:;;1 rue de Rivoli;Paris;;75001;Allemagne",
        )
    )
    assert report.rejected == []
    got = [(contacts.get_contact(i).country, contacts.get_contact(i).phone) for i in report.new_ids]
    assert got == [
        ("CA", "+16135641770"),
        ("DE", "+49301234567"),
        ("GR", "+302101234567"),
        ("BG", "+35929876543"),
        ("DE", ""),
    ]


def test_another_program_s_uid_is_remembered_so_a_re_import_updates_the_same_people(store):
    first = cards(
        "N:Okafor;Chidi;;;\nUID:6A3F-GOOGLE-0001\nTEL:+234 803 555 0101",
        "N:Okafor;Chidi;;;\nUID:6A3F-GOOGLE-0002\nTEL:+234 803 555 0202",  # a namesake
    )
    report = run(first)
    assert (report.imported, report.updated) == (2, 0)
    a, b = report.new_ids
    count = models.Contact.select().count()
    assert [(u.contact_id, u.uid) for u in models.ContactUid.select()] == [
        (a, "6A3F-GOOGLE-0001"),
        (b, "6A3F-GOOGLE-0002"),
    ]
    # The file edited in the other program: a new phone, the name spelt another way.
    edited = first.replace(b"555 0202", b"555 0303").replace(
        b"N:Okafor;Chidi;;;", b"N:Okafor;C.;;;"
    )
    again = run(edited)
    assert [(r.action, r.contact_id, r.reason) for r in again.rows] == [
        ("skip", a, f"same UID as #{a}"),  # a name is never overwritten
        ("update", b, f"same UID as #{b}"),
    ]
    assert models.Contact.select().count() == count and again.imported == 0
    assert contacts.current_phones(b)[-1][0] == "+2348035550303"
    # Our export writes the UID back, so that the other program knows its card again.
    assert "\r\nUID:6A3F-GOOGLE-0002\r\n" in vcard.card_of(b)
    assert run(vcard.card_of(b).encode()).rows[0].action == "skip"
    # A third import of the same file adds nobody and changes nothing.
    third = run(edited)
    assert (third.imported, third.updated, third.skipped) == (0, 0, 2)
    # An erased person's ids go with the rest of them.
    from crm.core import erasure

    erasure.erase(a)
    assert [u.contact_id for u in models.ContactUid.select()] == [b]


def test_a_csv_id_column_is_remembered_like_a_uid(store, tmp_path):
    from crm.interchange import csvfile

    def rows(phone: str) -> list:
        data = f"ID,First Name,Last Name,Mobile Phone\nc-17,Ana,Lima,{phone}\n".encode()
        return list(csvfile.read(data, csvfile.inspect(data)))

    (cid,) = importer.run(rows("+55 11 91234 5678")).new_ids
    again = importer.run(rows("+55 11 98765 4321"))
    assert [(r.action, r.contact_id) for r in again.rows] == [("update", cid)]
    assert models.Contact.select().count() == 1
    assert [u.uid for u in models.ContactUid.select()] == ["c-17"]


def test_unverified_values_are_added_to_a_matched_contact_s_own_notes(store):
    mine = contacts.create_contact(
        contacts.ContactData(
            given_name="Marie",
            family_name="Dupont",
            emails=["marie@dupont.example"],
            notes="Met at the Lyon fair",
        )
    )
    card = cards(
        "N:Dupont;Marie;;;\nEMAIL:marie@dupont.example\nTEL;TYPE=HOME:12\n"
        "NOTE:Prefers mornings\nBDAY:23 février 1951"
    )
    report = run(card)
    assert [(r.action, r.contact_id) for r in report.rows] == [("update", mine.id)]
    assert contacts.get_contact(mine.id).notes == (
        "Met at the Lyon fair\nPrefers mornings\nUnverified phone: 12 (home)\n"
        "Birthday: 23 février 1951"
    )
    # The same file again: every line is there already, nothing is added twice.
    again = run(card)
    assert [r.action for r in again.rows] == ["skip"]
    assert contacts.get_contact(mine.id).notes.count("Unverified phone: 12") == 1


def test_a_uid_that_several_records_give_identifies_nobody(store):
    # A program that gives every card the same UID: two people, never one.
    same = cards("N:Rossi;Anna;;;\nUID:1\nTEL:+39 06 1111 1111", "N:Bianchi;Luca;;;\nUID:1")
    first = run(same)
    assert first.imported == 2 and models.ContactUid.select().count() == 0
    again = run(same)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 2)
    assert [name for name, *_ in stored()] == ["Anna", "Luca"]
    # Remembered for one contact, a UID a later file gives twice still matches by name only.
    models.ContactUid.create(contact=first.new_ids[0], uid="1")
    plan = importer.plan(list(vcard.read(same)))
    assert [(r.action, r.contact_id) for r in plan.rows] == [
        ("skip", first.new_ids[0]),
        ("skip", first.new_ids[1]),
    ]
