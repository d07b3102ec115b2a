"""The import engine: checks, matching, filling, history, search index, atomicity, speed paths.

Records are built here as the readers produce them; tests/test_cli_import.py
runs real files through the readers and the command.
"""

from __future__ import annotations

import datetime as dt

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crm.core import clock, contacts, interactions, models, organizations, phones, search
from crm.core import settings as prefs
from crm.core.contacts import ContactData
from crm.core.errors import CancelledError, ValidationError
from crm.core.text import fold, tokens
from crm.interchange import cleaning, importer, values
from crm.interchange.records import Incoming, Labelled


def rec(line: int, **fields) -> Incoming:
    for key in ("emails", "phones"):
        fields[key] = [
            Labelled(*v) if isinstance(v, tuple) else Labelled(v) for v in fields.get(key, [])
        ]
    return Incoming(line=line, **fields)


def details(cid: int) -> dict:
    out = contacts.details(cid)
    c = contacts.get_contact(cid)
    out["url"] = c.url
    out["email_rows"] = [
        (e.address, e.label, e.position)
        for e in models.ContactEmail.select()
        .where(models.ContactEmail.contact == cid)
        .order_by(models.ContactEmail.position)
    ]
    out["phone_rows"] = [
        (p.number, p.original, p.label, p.position)
        for p in models.ContactPhone.select()
        .where(models.ContactPhone.contact == cid)
        .order_by(models.ContactPhone.position)
    ]
    out["first_email"], out["first_phone"] = c.email, c.phone
    return out


def history(cid: int) -> list[tuple[str, str, str]]:
    return [
        (i.kind, i.summary, str(i.happened_at)[:10]) for i in reversed(interactions.history(cid))
    ]


def fts_rows() -> dict[int, str]:
    db = models.database_proxy
    return dict(db.execute_sql(f"SELECT rowid, body FROM {search.FTS_TABLE}").fetchall())


def set_region(code: str) -> None:
    prof = prefs.profile()
    prof.default_region = code
    prof.save()


TODAY = clock.today().isoformat()

MARIA = dict(
    given_name="Μαρία",
    family_name="Παπαδοπούλου",
    organization="Ακμή Α.Ε.",
    title="Διευθύντρια",
    emails=[("maria@akme.gr", "work"), ("Maria.P@Gmail.COM", "home")],
    phones=[("+30 691 234 5678", "Κινητό"), ("+30 210 324 1234", "work")],
    street="Ερμού 12",
    city="Αθήνα",
    postcode="10563",
    country="Ελλάδα",
    url="https://akme.gr/maria",
    birthday="1980-07-01",
    notes="Met at the chamber evening",
    tags=["Clients", "VIP"],
    related=["Γιώργος (spouse)"],
)


# -- new contacts ---------------------------------------------------------------


def test_new_contact_with_every_field(store):
    report = importer.run([rec(2, **MARIA)], source="google.csv")
    assert (report.imported, report.updated, report.skipped, report.rejected) == (1, 0, 0, [])
    [cid] = report.new_ids
    assert report.rows[0].contact_id == cid and report.rows[0].action == "new"
    d = details(cid)
    assert {
        k: d[k]
        for k in (
            "given_name",
            "family_name",
            "organization",
            "title",
            "emails",
            "phones",
            "street",
            "city",
            "postcode",
            "region",
            "country",
            "language",
            "birthday",
            "channel",
            "stage",
            "tags",
            "notes",
            "url",
            "phones_original",
            "archived",
        )
    } == {
        "given_name": "Μαρία",
        "family_name": "Παπαδοπούλου",
        "organization": "Ακμή Α.Ε.",
        "title": "Διευθύντρια",
        "emails": ["maria@akme.gr", "Maria.P@gmail.com"],
        "phones": ["+306912345678", "+302103241234"],
        "street": "Ερμού 12",
        "city": "Αθήνα",
        "postcode": "10563",
        "region": "",
        "country": "GR",
        "language": "el",
        "birthday": "1980-07-01",
        "channel": "other",
        "stage": "prospect",
        "tags": ["Clients", "VIP"],
        "notes": "Met at the chamber evening\nRelated: Γιώργος (spouse)",
        "url": "https://akme.gr/maria",
        "phones_original": ["+30 691 234 5678", "+30 210 324 1234"],
        "archived": False,
    }
    assert d["email_rows"] == [("maria@akme.gr", "work", 0), ("Maria.P@gmail.com", "home", 1)]
    assert d["phone_rows"] == [
        ("+306912345678", "+30 691 234 5678", "Κινητό", 0),
        ("+302103241234", "+30 210 324 1234", "work", 1),
    ]
    assert (d["first_email"], d["first_phone"]) == ("maria@akme.gr", "+306912345678")
    assert history(cid) == [("created", "Imported from google.csv", TODAY)]


def test_search_index_rows_are_what_the_core_computes(store):
    report = importer.run([rec(2, **MARIA), rec(3, full_name="Marco De Luca", city="Roma")])
    written = fts_rows()
    search.index_contacts(models.database_proxy, report.new_ids)
    assert fts_rows() == written
    assert [r[0] for r in contacts.list_rows("παπαδοπουλου")] == report.new_ids[:1]
    assert [r[0] for r in contacts.list_rows("ΑΚΜΗ")] == report.new_ids[:1]
    assert [r[0] for r in contacts.list_rows("6912345678")] == report.new_ids[:1]
    assert [r[0] for r in contacts.list_rows("luca")] == report.new_ids[1:]


def test_existing_organization_and_tag_are_reused_by_folded_name(store):
    org = organizations.create("Ακμή Α.Ε.")
    contacts.create_contact(ContactData(given_name="Old", tags=["vip"]))
    report = importer.run(
        [rec(2, given_name="Νίκος", organization="ΑΚΜΗ α.ε.", tags=["VIP", "Νέοι"])]
    )
    c = contacts.get_contact(report.new_ids[0])
    assert c.organization_id == org.id
    assert models.Organization.select().count() == 1
    assert contacts.tag_names(c.id) == ["vip", "Νέοι"]  # the tag keeps its first spelling
    assert models.Tag.select().count() == 2


def test_names_countries_and_languages(store):
    records = [
        rec(2, full_name="Marco De Luca", country="Italia"),
        rec(3, full_name="Papadopoulou, Maria", country="gr"),
        rec(4, given_name="Иван", family_name="Петров", country="България"),
        rec(5, given_name="أحمد", family_name="حسن", country="مصر"),
        rec(6, given_name="John", country="United States"),
        rec(7, given_name="Jane", country="UK"),
        rec(8, given_name="Ola", country="Narnia", region="North"),
        rec(9, given_name="Eve", country="Narnia"),
        rec(10, given_name="Lena", country="Deutschland"),
    ]
    report = importer.run(records)
    got = [
        (c["given_name"], c["family_name"], c["country"], c["region"], c["language"])
        for c in (contacts.details(i) for i in report.new_ids)
    ]
    assert got == [
        ("Marco", "De Luca", "IT", "", "it"),
        ("Maria", "Papadopoulou", "GR", "", "el"),
        ("Иван", "Петров", "BG", "", "bg"),
        ("أحمد", "حسن", "EG", "", "ar"),
        ("John", "", "US", "", "en"),
        ("Jane", "", "GB", "", "en"),
        ("Ola", "", "", "North, Narnia", "en"),
        ("Eve", "", "", "Narnia", "en"),
        ("Lena", "", "DE", "", "en"),  # a country named in any language
    ]


def test_profile_language_for_latin_names_without_a_country(store):
    prefs.update_profile(language="it")
    report = importer.run([rec(2, given_name="Anna"), rec(3, given_name="Άννα")])
    assert [contacts.get_contact(i).language for i in report.new_ids] == ["it", "el"]


def test_records_without_a_name_keep_organization_email_or_phone(store):
    report = importer.run(
        [
            rec(2, organization="Acme Ltd", phones=["+44 20 7946 0018"]),
            rec(3, emails=["info@example.org"]),
            rec(4, phones=["+30 210 324 1234"]),
        ]
    )
    names = [(c.given_name, c.family_name) for c in map(contacts.get_contact, report.new_ids)]
    assert names == [("", "Acme Ltd"), ("", "info@example.org"), ("", "+30 210 324 1234")]
    assert contacts.get_contact(report.new_ids[0]).organization.name == "Acme Ltd"


def test_local_numbers_use_the_profile_region(store):
    set_region("GR")
    report = importer.run([rec(2, given_name="Anna", phones=["210 324 1234", "0030 691 234 5678"])])
    assert contacts.current_phones(report.new_ids[0]) == [
        ("+302103241234", "210 324 1234"),
        ("+306912345678", "0030 691 234 5678"),
    ]


def test_our_csv_neutralised_phone_is_read_back(store):
    report = importer.run([rec(2, given_name="Anna", phones=["'+30 210 324 1234"])])
    assert contacts.current_phones(report.new_ids[0]) == [("+302103241234", "+30 210 324 1234")]


def test_linkedin_connection_gets_a_dated_note_and_social_channel(store):
    record = rec(
        5,
        given_name="Chiara",
        family_name="Bianchi",
        organization="Bianchi SpA",
        url="https://www.linkedin.com/in/chiarabianchi",
        connected_on=dt.date(2024, 3, 12),
    )
    report = importer.run([record], source="Connections.csv")
    cid = report.new_ids[0]
    assert history(cid) == [
        ("note", "Connected on LinkedIn", "2024-03-12"),
        ("created", "Imported from Connections.csv", TODAY),
    ]
    assert contacts.get_contact(cid).channel == "social"
    assert importer.run([record]).skipped == 1
    assert len(history(cid)) == 2


# -- matching and filling ---------------------------------------------------------


def test_reimporting_the_same_records_changes_nothing(store, unchanged):
    records = [
        rec(2, **MARIA),
        rec(3, full_name="Marco De Luca", organization="Studio De Luca", city="Roma"),
        rec(4, given_name="Иван", family_name="Петров", phones=["+359 88 123 4567"]),
        rec(5, given_name="Lone", family_name="Name"),
    ]
    first = importer.run(records, source="a.csv")
    assert first.imported == 4
    with unchanged():
        again = importer.run(records, source="a.csv")
    assert (again.imported, again.updated, again.skipped) == (0, 0, 4)
    assert [r.contact_id for r in again.rows] == first.new_ids
    assert [r.reason for r in again.rows] == [
        f"same email maria@akme.gr as #{first.new_ids[0]}",
        f"same name, nothing new as #{first.new_ids[1]}",
        f"same phone +359881234567 as #{first.new_ids[2]}",
        f"same name, nothing new as #{first.new_ids[3]}",
    ]


def test_match_order_email_then_phone_then_name(store):
    a = contacts.create_contact(ContactData(given_name="A", emails=["shared@x.gr"]))
    contacts.create_contact(ContactData(given_name="B", phones=["+30 691 234 5678"]))
    c = contacts.create_contact(
        ContactData(given_name="Chris", family_name="Lee", organization="Lee Co")
    )
    plan = importer.plan(
        [
            # The email wins over the phone and the name.
            rec(
                2,
                given_name="Chris",
                family_name="Lee",
                organization="Lee Co",
                emails=["SHARED@X.GR"],
                phones=["+306912345678"],
            ),
            # The phone, written differently, wins over the name.
            rec(
                3,
                given_name="Chris",
                family_name="Lee",
                organization="LEE CO",
                phones=["+30 (691) 234-5678"],
            ),
            rec(4, given_name="chris", family_name="LEE", organization="lee co"),
            # Same name, other or no organization: someone else.
            rec(5, given_name="Chris", family_name="Lee", organization="Other Co"),
            rec(6, given_name="Chris", family_name="Lee"),
        ]
    )
    assert [(r.action, r.contact_id, r.reason, r.changes) for r in plan.rows] == [
        # The phone is in two records of the file: it identifies nobody, and A gets it too.
        (
            "update",
            a.id,
            f"same email SHARED@x.gr as #{a.id}",
            ["organization", "phone +306912345678"],
        ),
        ("new", None, "", []),
        ("skip", c.id, f"same name, nothing new as #{c.id}", []),
        ("new", None, "", []),
        ("new", None, "", []),
    ]


def test_folded_names_match_across_case_and_accents(store):
    c = contacts.create_contact(ContactData(given_name="Μαρία", family_name="Παπαδοπούλου"))
    plan = importer.plan(
        [
            rec(2, given_name="ΜΑΡΙΑ", family_name="παπαδοπουλου"),
            # A name alone never merges: with something new, it may be a namesake.
            rec(3, given_name="ΜΑΡΙΑ", family_name="παπαδοπουλου", city="Αθήνα"),
        ]
    )
    assert [(r.action, r.contact_id, r.changes) for r in plan.rows] == [
        ("skip", c.id, []),
        ("new", None, []),
    ]


def test_a_match_fills_empty_fields_and_never_overwrites(store):
    c = contacts.create_contact(
        ContactData(
            given_name="Maria",
            title="CEO",
            emails=["maria@x.gr"],
            city="Athens",
            tags=["Old"],
        )
    )
    report = importer.run(
        [
            rec(
                7,
                given_name="Maria",
                family_name="Rossi",
                title="Intern",
                organization="Rossi Srl",
                emails=[("maria@x.gr", "work"), ("m.rossi@rossi.it", "work")],
                phones=[("+39 333 123 4567", "mobile")],
                street="Via Roma 1",
                city="ATHENS",
                postcode="10431",
                birthday="--07-01",
                notes="from the file",
                tags=["old", "New"],
            )
        ],
        source="outlook.csv",
    )
    assert (report.imported, report.updated, report.skipped) == (0, 1, 0)
    assert report.updated_ids == [c.id]
    assert report.rows[0].changes == [
        "family_name",
        "street",
        "postcode",
        "birthday",
        "notes",
        "organization",
        "email m.rossi@rossi.it",
        "phone +393331234567",
        "tag New",
    ]
    d = details(c.id)
    assert (d["given_name"], d["family_name"], d["title"], d["organization"]) == (
        "Maria",
        "Rossi",
        "CEO",
        "Rossi Srl",
    )
    assert (d["street"], d["city"], d["postcode"]) == ("Via Roma 1", "Athens", "10431")
    assert (d["birthday"], d["notes"], d["tags"]) == ("--07-01", "from the file", ["New", "Old"])
    assert d["email_rows"] == [("maria@x.gr", "", 0), ("m.rossi@rossi.it", "work", 1)]
    assert d["phone_rows"] == [("+393331234567", "+39 333 123 4567", "mobile", 0)]
    assert (d["first_email"], d["first_phone"]) == ("maria@x.gr", "+393331234567")
    assert history(c.id)[-1] == (
        "updated",
        "Imported from outlook.csv: added family_name, street, postcode, birthday, notes, "
        "organization, emails, phones, tags",
        TODAY,
    )
    assert [r[0] for r in contacts.list_rows("rossi")] == [c.id]  # reindexed
    assert [r[0] for r in contacts.list_rows("3331234567")] == [c.id]


def test_an_address_is_filled_only_when_it_agrees(store):
    c = contacts.create_contact(ContactData(given_name="Anna", emails=["anna@x.gr"], city="Athens"))
    plan = importer.plan(
        [rec(2, given_name="Anna", emails=["anna@x.gr"], street="Corso 5", city="Milano")]
    )
    assert (plan.rows[0].action, plan.rows[0].changes) == ("skip", [])
    importer.run([rec(2, given_name="Anna", emails=["anna@x.gr"], street="Corso 5", city="Milano")])
    assert (contacts.get_contact(c.id).street, contacts.get_contact(c.id).city) == ("", "Athens")


def test_a_name_part_is_filled_only_when_the_other_agrees(store):
    c = contacts.create_contact(ContactData(family_name="info@acme.com", emails=["info@acme.com"]))
    plan = importer.plan([rec(2, given_name="John", family_name="Smith", emails=["info@acme.com"])])
    assert (plan.rows[0].action, plan.rows[0].changes) == ("skip", [])
    assert contacts.get_contact(c.id).given_name == ""


def test_another_contacts_email_or_phone_is_not_moved(store):
    a = contacts.create_contact(ContactData(given_name="A", emails=["a@x.gr"]))
    b = contacts.create_contact(
        ContactData(given_name="B", emails=["b@x.gr"], phones=["+30 691 234 5678"])
    )
    report = importer.run(
        [rec(2, given_name="A", emails=["a@x.gr", "b@x.gr"], phones=["+306912345678"])]
    )
    assert (report.updated, report.skipped) == (0, 1)
    assert contacts.current_emails(a.id) == ["a@x.gr"]
    assert contacts.current_emails(b.id) == ["b@x.gr"]


def test_duplicates_inside_one_file_become_one_contact(store):
    report = importer.run(
        [
            rec(2, given_name="Anna", family_name="Rossi", emails=["anna@rossi.it"]),
            rec(
                3,
                given_name="Anna",
                family_name="Rossi",
                emails=["ANNA@rossi.it"],
                phones=["+39 333 123 4567"],
                tags=["Milano"],
            ),
            rec(4, given_name="A.", emails=["other@rossi.it"], phones=["+393331234567"]),
            rec(5, given_name="Anna", family_name="Rossi", emails=["anna@rossi.it"]),
        ]
    )
    assert (report.imported, report.updated, report.skipped) == (2, 1, 1)
    cid, other = report.new_ids
    # The phone is in two records of the file: it says nothing about who "A." is.
    assert [(r.action, r.contact_id, r.reason) for r in report.rows] == [
        ("new", cid, ""),
        ("update", cid, "same email ANNA@rossi.it as line 2"),
        ("new", other, ""),
        ("skip", cid, "same email anna@rossi.it as line 2"),
    ]
    assert contacts.current_emails(cid) == ["anna@rossi.it"]
    assert contacts.tag_names(cid) == ["Milano"]
    assert history(cid) == [("created", "Imported", TODAY)]
    assert report.updated_ids == []


def test_erased_contacts_are_not_matched(store):
    c = contacts.create_contact(ContactData(given_name="Erased", family_name="person"))
    models.Contact.update(erased_at=models.now()).where(models.Contact.id == c.id).execute()
    plan = importer.plan([rec(2, given_name="Erased", family_name="Person")])
    assert plan.rows[0].action == "new"


def test_older_contact_wins_when_two_share_an_email(store):
    a = contacts.create_contact(ContactData(given_name="A", emails=["same@x.gr"]))
    contacts.create_contact(ContactData(given_name="B", emails=["same@x.gr"]))
    assert importer.plan([rec(2, emails=["same@x.gr"], tags=["t"])]).rows[0].contact_id == a.id


def test_a_stale_search_row_at_a_reused_id_does_not_clash(store):
    c = contacts.create_contact(ContactData(given_name="Gone"))
    # A contact deleted without its search row (as an older merge could leave it).
    models.database_proxy.execute_sql("DELETE FROM contact WHERE id = ?", (c.id,))
    report = importer.run([rec(2, given_name="Newcomer")])
    assert report.new_ids == [c.id]
    assert [r[0] for r in contacts.list_rows("newcomer")] == [c.id]
    assert contacts.list_rows("gone") == []


# -- rejections ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (rec(18), "Nothing to import: no name, organization, email or phone"),
        (
            rec(24, emails=[" "], phones=[""]),
            "Nothing to import: no name, organization, email or phone",
        ),
        (
            rec(19, notes="only notes", tags=["x"]),
            "Nothing to import: no name, organization, email or phone",
        ),
        (
            rec(21, given_name="Bob", problems=["BDAY 'x' is not a date", "EMAIL is empty"]),
            "BDAY 'x' is not a date; EMAIL is empty",
        ),
        (
            rec(25, phones=["BusinessPhone"]),
            "Nothing to import: no name, organization, email or phone (Phone 'BusinessPhone' "
            "is not a phone number: left out)",
        ),
    ],
)
def test_rejected_records_are_reported_with_line_and_reason(store, record, reason):
    report = importer.run([rec(2, given_name="Good", family_name="Row"), record])
    assert report.rejected == [(record.line, reason)]
    assert report.imported == 1
    assert models.Contact.select().count() == 1
    assert report.to_json()["rejected"] == [{"line": record.line, "reason": reason}]


@pytest.mark.parametrize(
    ("record", "warning", "notes"),
    [
        (
            rec(14, given_name="Bob", emails=["bob@@x"]),
            ("email", "bob@@x", "Email 'bob@@x' is not valid: The part after the @-sign contains "
             "invalid characters: '@'.: kept in the notes as typed"),
            "Unverified email: bob@@x",
        ),
        (
            rec(15, given_name="Bob", phones=["12"]),
            ("phone", "12", "Phone '12' has no country code: write it as +<country code> ... "
             "or set a default region in the profile: kept in the notes as typed"),
            "Unverified phone: 12",
        ),
        (
            rec(16, given_name="Bob", phones=["+30 12"]),
            ("phone", "+30 12", "Phone '+30 12' is not a valid number: kept in the notes as typed"),
            "Unverified phone: +30 12",
        ),
        (
            rec(17, given_name="Bob", birthday="2999-01-01"),
            ("birthday", "2999-01-01", "Birthday 2999-01-01 is in the future: kept in the notes"),
            "Birthday: 2999-01-01",
        ),
        (
            rec(22, given_name="B" * 121, family_name="Bob"),
            ("given_name", "B" * 121, "A given name is limited to 120 characters: kept in the "
             "notes"),
            "A given name: " + "B" * 121,
        ),
        (
            rec(23, given_name="Bob", tags=["t" * 81]),
            ("tag", "t" * 81, "A tag is limited to 80 characters: kept in the notes"),
            "Tag: " + "t" * 81,
        ),
    ],
)  # fmt: skip
def test_a_bad_field_is_a_warning_and_the_record_imported(store, record, warning, notes):
    report = importer.run([rec(2, given_name="Good", family_name="Row"), record])
    assert (report.rejected, report.imported) == ([], 2)
    assert [(w.line, w.field, w.value, w.reason) for w in report.warnings] == [
        (record.line, *warning)
    ]
    assert report.to_json()["warnings"] == [
        {"line": record.line, "field": warning[0], "value": warning[1], "reason": warning[2]}
    ]
    bob = models.Contact.select().order_by(models.Contact.id.desc()).get()
    assert bob.notes == notes


def test_strict_refuses_on_a_warning_and_writes_nothing(store, unchanged):
    report = importer.run([rec(2, given_name="Bob", emails=["bob@@x"])], strict=True)
    assert (report.refused, report.imported, len(report.warnings)) == (True, 1, 1)


def test_rejected_record_names_are_shown(store):
    plan = importer.plan([rec(3, full_name="Bob Smith", problems=["x"]), rec(4, phones=["x"])])
    assert [(r.action, r.name) for r in plan.rows] == [("reject", "Bob Smith"), ("reject", "x")]


# -- plan, dry run, atomicity, progress -----------------------------------------------


def records_mixed() -> list[Incoming]:
    return [
        rec(2, **MARIA),
        rec(3, given_name="Bob", problems=["the card is not closed"]),
        rec(
            4,
            given_name="Μαρία",
            family_name="Παπαδοπούλου",
            organization="ΑΚΜΗ Α.Ε.",
            tags=["New"],
        ),
        rec(5, given_name="Old", family_name="Friend", phones=["+30 210 324 9999"]),
    ]


def test_plan_and_dry_run_write_nothing_and_match_the_real_run(store, unchanged):
    contacts.create_contact(
        ContactData(given_name="Old", family_name="Friend", emails=["old@x.gr"])
    )
    records = records_mixed()
    with unchanged():
        planned = importer.plan(records)
        dry = importer.run(records, dry_run=True)
    assert dry.dry_run and dry.to_json()["dry_run"] is True
    real = importer.run(records)
    assert [(r.line, r.action, r.name, r.changes) for r in planned.rows] == [
        (r.line, r.action, r.name, r.changes) for r in real.rows
    ]
    assert dry.to_json() | {"dry_run": False} == real.to_json()
    assert real.to_json() == {
        "imported": 3,  # a name with something new is not a match
        "updated": 0,
        "skipped": 0,
        "rejected": [{"line": 3, "reason": "the card is not closed"}],
        "rejected_count": 1,
        "warnings": [],
        "warning_count": 0,
        "dry_run": False,
        "refused": False,
    }


def test_plan_with_a_region_and_phones_writes_nothing(store, unchanged):
    set_region("GR")
    with unchanged():
        plan = importer.plan([rec(2, given_name="Anna", phones=["210 324 1234"])])
    assert [r.action for r in plan.rows] == ["new"]


@pytest.mark.parametrize("cancel_at", ["first", "last"])
def test_cancel_leaves_the_database_unchanged(store, unchanged, cancel_at):
    contacts.create_contact(
        ContactData(given_name="Old", family_name="Friend", emails=["old@x.gr"])
    )
    records = [rec(i, given_name=f"P{i}", emails=[f"p{i}@x.gr"]) for i in range(2, 2502)]
    records.append(rec(9999, given_name="Old", family_name="Friend", tags=["t"]))
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        if cancel_at == "first":
            return True
        # Cancel once writing is done, just before the commit.
        return done == total

    with unchanged(), pytest.raises(CancelledError, match="Import cancelled"):
        importer.run(records, progress=progress)
    assert calls[0] == (0, 2 * len(records))
    if cancel_at == "last":
        assert calls[-1] == (2 * len(records), 2 * len(records))
        assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_progress_reaches_the_total(store):
    calls: list[tuple[int, int]] = []
    importer.run([rec(2, given_name="A")], progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    calls.clear()
    importer.plan([rec(2, given_name="A")] * 3, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_an_error_while_writing_rolls_everything_back(store, unchanged, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(search, "document", broken)
    with unchanged(), pytest.raises(RuntimeError):
        importer.run([rec(2, given_name="Anna", organization="New Org", tags=["new"])])


def test_lookups_are_read_once_not_per_record(store):
    """The number of SELECTs does not grow with the records (no query per row)."""
    set_region("GR")
    for i in range(30):
        contacts.create_contact(ContactData(given_name=f"S{i}", emails=[f"s{i}@x.gr"]))

    def selects(count: int) -> int:
        records = [
            rec(i, given_name=f"S{i}", emails=[f"s{i}@x.gr"], tags=["t"]) for i in range(count)
        ]
        records += [
            rec(100 + i, given_name=f"N{i}", phones=[f"+30 691 234 56{i:02d}"])
            for i in range(count)
        ]
        seen: list[str] = []
        conn = models.database_proxy.connection()
        conn.set_trace_callback(seen.append)
        try:
            with models.database_proxy.atomic() as txn:
                importer.run(records)
                txn.rollback()
        finally:
            conn.set_trace_callback(None)
        # SQLite's own reads of the search table's config (after the import's temporary
        # tables change the schema) are not the import's.
        ours = [sql for sql in seen if "'main'.'contact_fts" not in sql]
        return sum(1 for sql in ours if sql.lstrip().upper().startswith("SELECT"))

    assert selects(3) == selects(30)


# -- the fast paths give what the core gives ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Maria.P@Example.GR", "Maria.P@example.gr"),
        ("  a+b_c-d@mail.co.uk ", "a+b_c-d@mail.co.uk"),
        ("x@sub-domain.example.com", "x@sub-domain.example.com"),
    ],
)
def test_fast_email_takes_the_common_shapes(raw, expected):
    assert values.fast_email(raw) == expected == contacts.validate_email(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "a..b@x.gr",
        "a@x.local",
        "a@x.123",
        "a@xn--bcher-kva.de",
        "ü@x.gr",
        "a@b",
        "a@-x.gr",
        ("a" * 65) + "@x.gr",
        '"a b"@x.gr',
        "a@x_y.gr",
    ],
)
def test_fast_email_leaves_the_rest_to_email_validator(raw):
    assert values.fast_email(raw) is None


_EMAIL_CHARS = st.sampled_from([*"abcXYZ019_+-.@", "--", "..", "xn--", ".local", ".test"])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.one_of(
        st.from_regex(values._PLAIN_EMAIL, fullmatch=True),
        st.lists(_EMAIL_CHARS, min_size=3, max_size=30).map("".join),
    )
)
@example("a@b.co")
@example("a@" + "b" * 64 + ".com")
@example("a" * 64 + "@" + ("b" * 63 + ".") * 3 + "com")
def test_fast_email_agrees_with_the_core(raw):
    fast = values.fast_email(raw)
    if fast is None:
        return
    assert contacts.validate_email(raw) == fast


_REGIONS = [
    "GR",
    "IT",
    "BG",
    "GB",
    "US",
    "CA",
    "RU",
    "KZ",
    "AR",
    "MX",
    "BR",
    "DE",
    "FR",
    "EG",
    "SA",
    "AE",
    "CN",
    "IN",
    "JP",
    "VA",
    "SM",
    "CY",
    "AU",
    "AT",
    "HU",
    "NL",
]
_TYPES = [
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
]


@st.composite
def international_numbers(draw) -> str:
    region = draw(st.sampled_from(_REGIONS))
    kind = draw(st.sampled_from(_TYPES))
    sample = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(
        region
    )
    digits = list(str(sample.national_number))
    if sample.italian_leading_zero:
        digits.insert(0, "0")
    for _ in range(draw(st.integers(0, 3))):
        digits[draw(st.integers(0, len(digits) - 1))] = draw(st.sampled_from("0123456789"))
    if draw(st.booleans()):
        digits.insert(0, draw(st.sampled_from(["0", "1", "8", "15"])))
    national = "".join(digits)
    style = draw(st.integers(0, 3))
    if style == 1:
        national = " ".join(national[i : i + 3] for i in range(0, len(national), 3))
    elif style == 2:
        national = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    elif style == 3:
        national = national[:2] + "." + national[2:]
    return f"+{sample.country_code} {national}"


@settings(max_examples=600, deadline=None)
@given(international_numbers())
@example("+39 06 1234 5678")
@example("+7 8 916 123 4567")
@example("+1 1 212 555 0123")
@example("+30 691 234 5678")
@example("+800 1234 5678")
def test_fast_phone_agrees_with_phonenumbers(raw):
    checker = values.Checker("")
    fast = checker.fast_phone(" ".join(raw.split()))
    try:
        slow = phones.parse(raw, "", "phones")[0]
    except ValidationError:
        slow = None
    if fast is not None:
        assert fast == slow


def test_fast_phone_takes_the_common_shapes():
    checker = values.Checker("")
    assert checker.fast_phone("+30 691 234 5678") == "+306912345678"
    assert checker.fast_phone("+39 333 123 4567") == "+393331234567"
    assert checker.fast_phone("+1 (212) 123-4567") is None  # not a valid number: the parser
    assert checker.fast_phone("+1 (201) 555-0123") == "+12015550123"
    assert checker.fast_phone("+39 06 1234 5678") is None  # Italian leading zero: the parser
    assert checker.fast_phone("+7 8 916 123 4567") is None  # a national prefix: the parser


def test_checker_caches_results_and_errors():
    checker = values.Checker("GR")
    assert checker.phone("210 324 1234") == ("+302103241234", "210 324 1234")
    with pytest.raises(ValidationError, match="is not valid"):
        checker.email("x@")
    with pytest.raises(ValidationError, match="is not valid"):
        checker.email("x@")
    assert set(checker._emails) == {"x@"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Greece", "GR"),
        ("Ελλάδα", "GR"),
        ("ελλαδα", "GR"),
        ("GR", "GR"),
        ("gr", "GR"),
        ("Grecia", "GR"),
        ("Гърция", "GR"),
        ("اليونان", "GR"),
        ("Bulgaria", "BG"),
        ("България", "BG"),
        ("Italia", "IT"),
        ("United Kingdom", "GB"),
        ("U.S.A.", "US"),
        ("Regno Unito", "GB"),
        ("Narnia", None),
        ("EU", None),
        ("ZZ", None),
    ],
)
def test_country_names_and_codes(text, code):
    assert values.Countries().code(text) == code


def test_an_empty_import_changes_nothing(store, unchanged):
    with unchanged():
        report = importer.run([])
    assert report.to_json() == {
        "imported": 0,
        "updated": 0,
        "skipped": 0,
        "rejected": [],
        "rejected_count": 0,
        "warnings": [],
        "warning_count": 0,
        "dry_run": False,
        "refused": False,
    }


def test_local_numbers_are_read_in_the_records_country_else_a_sibling_numbers(store):
    set_region("GR")
    report = importer.run(
        [
            rec(2, given_name="Иван", phones=["0888 123 456"], country="България"),
            rec(3, given_name="Niccolò", phones=["+39 333 123 4567", "333 765 4321"]),
            rec(4, given_name="Anna", phones=["210 324 1234"]),
        ]
    )
    assert [contacts.current_phones(i) for i in report.new_ids] == [
        [("+359888123456", "0888 123 456")],
        [("+393331234567", "+39 333 123 4567"), ("+393337654321", "333 765 4321")],
        [("+302103241234", "210 324 1234")],
    ]


@pytest.mark.parametrize("code", sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE))
def test_number_rules_agree_with_is_valid_number(code):
    """Every calling code: its example numbers, and variants a digit apart."""
    rules = values._number_rules(code)
    samples: set[str] = set()
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]:
        for kind in range(11):
            if region == "001":
                number = phonenumbers.example_number_for_non_geo_entity(code)
            else:
                number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                digits = str(number.national_number)
                samples.add(digits)
                samples.update(digits[:i] + d + digits[i + 1 :] for i in (1, -2) for d in "0159")
                samples.update((digits + "7", digits[:-1]))
    checked = [s for s in samples if len(s) >= 2 and s[0] != "0"]
    for national in checked:
        expected = phonenumbers.is_valid_number(
            phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        )
        assert rules.valid(national) == expected, (code, national)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_folding_is_the_cores(text):
    assert cleaning.folded(text) == fold(text)


_NAMES = st.text(alphabet=st.sampled_from(list("aÀéßøΆάΣςБжعلي -'.,_0")), max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    _NAMES,
    _NAMES,
    _NAMES,
    _NAMES,
    st.lists(st.sampled_from(["a.b_c@x-y.gr", "Ünï@bücher.de", "M@X.COM"]), max_size=3),
    st.lists(st.sampled_from(["+302103241234", "+12015550123", "+4420"]), max_size=3),
)
def test_search_document_is_the_cores(given_name, family, org, city, emails, numbers):
    # The import indexes with search.document, which folds part by part (and
    # remembers names): the same words as folding everything at once.
    parts = [given_name, family, org, city, *emails]
    for number in numbers:
        digits = number[1:]
        parts += [digits, *((digits[1:], digits[2:], digits[3:]) if len(digits) > 8 else ())]
    whole = " ".join(tokens(" ".join(p for p in parts if p)))
    assert search.document(given_name, family, org, emails, numbers, city) == whole


def test_garbage_collection_resumes_after_an_import_even_a_failed_one(store):
    import gc

    importer.run([rec(2, given_name="Anna")])
    assert gc.isenabled()
    with pytest.raises(CancelledError):
        importer.run([rec(2, given_name="Bob")], progress=lambda _d, _t: True)
    assert gc.isenabled()


def test_reading_many_vcards_reports_progress_and_can_be_cancelled(store, tmp_path):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ρήγα;Ελένη;;;\r\nFN:Ελένη Ρήγα\r\nEND:VCARD\r\n"
    path = tmp_path / "many.vcf"
    path.write_text(card * 450, encoding="utf-8")
    seen: list[tuple[int, int]] = []
    source = importer.load(path, progress=lambda done, total: seen.append((done, total)) and False)
    assert len(source.records) == 450
    assert seen == [(200, 450), (400, 450), (450, 450)]
    with pytest.raises(CancelledError, match="Import cancelled"):
        importer.load(path, progress=lambda done, total: done >= 400)


def test_our_export_s_stage_and_consent_are_kept_and_an_unknown_stage_left_out(store, unchanged):
    bad = rec(3, given_name="Ada", family_name="Byron", stage="boss")
    with unchanged():
        report = importer.run([bad], dry_run=True)
    assert (report.rejected, report.imported) == ([], 1)
    assert [(w.line, w.field, w.value, w.reason) for w in report.warnings] == [
        (3, "stage", "boss", "Not one of prospect, lead, customer, ambassador, inactive: left out")
    ]
    good = rec(
        4,
        given_name="Ada",
        family_name="Byron",
        stage="customer",
        channel="event",
        language="it",
        marketing_consent=True,
        consent_date=dt.date(2025, 3, 1),
    )
    (cid,) = importer.run([good]).new_ids
    c = models.Contact.get_by_id(cid)
    assert (c.stage, c.channel, c.language, c.marketing_consent) == (
        "customer",
        "event",
        "it",
        True,
    )
    assert models.as_date(c.consent_date) == dt.date(2025, 3, 1)
