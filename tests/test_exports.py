"""Exports: our contacts CSV, the referrals CSV and the iCalendar file, read back as users would."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from dbtools import refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from playhouse.test_utils import count_queries

from crm.core import clock, contacts, events, followups, models, referrals
from crm.core.contacts import ContactData
from crm.core.errors import CancelledError, NotFoundError
from crm.interchange import csv_output, csvfile, exports, ics, vcard
from crm.interchange.records import Incoming, Labelled

BOM = b"\xef\xbb\xbf"


def read_csv(path: Path) -> list[list[str]]:
    """The file as Excel would split it: BOM-marked UTF-8, quoted cells."""
    data = path.read_bytes()
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def maria() -> int:
    """A contact with something in every field, labels and a multi-line note."""
    contact = contacts.create_contact(
        ContactData(
            given_name="Μαρία",
            family_name="Παπαδοπούλου",
            organization="Ακμή Α.Ε.",
            title="Διευθύντρια",
            emails=["maria@akmi.gr", "maria.p@example.com"],
            phones=["+30 210 123 4567", "+30 691 234 5678"],
            street="Πανεπιστημίου 10",
            city="Αθήνα",
            postcode="106 71",
            region="Αττική",
            country="GR",
            language="el",
            birthday="--07-01",
            channel="event",
            stage="customer",
            marketing_consent=True,
            consent_date=dt.date(2025, 3, 1),
            notes='Met at the chamber, "great" contact,\nlikes coffee',
            tags=["Κλιέντες", "VIP"],
            stay_in_touch_days=90,
        )
    )
    e, p = models.ContactEmail, models.ContactPhone
    e.update(label="work").where(e.address == "maria@akmi.gr").execute()
    p.update(label="mobile").where(p.number == "+306912345678").execute()
    models.Contact.update(
        url="https://www.linkedin.com/in/maria-p",
        created_at=dt.datetime(2025, 1, 2, 9, 30),
        last_asked_for_referral=dt.date(2025, 6, 1),
    ).where(models.Contact.id == contact.id).execute()
    return contact.id


def person(given: str, family: str, **extra: object) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **extra)).id  # type: ignore[arg-type]


# -- our contacts CSV ---------------------------------------------------------------


def test_csv_has_the_documented_header_and_every_field(store, tmp_path):
    cid = maria()
    out = tmp_path / "contacts.csv"
    assert exports.export_csv(out) == 1
    header, row = read_csv(out)
    assert tuple(header) == exports.CSV_COLUMNS
    assert row == [
        str(cid),
        "Μαρία",
        "Παπαδοπούλου",
        "Ακμή Α.Ε.",
        "Διευθύντρια",
        "work: maria@akmi.gr ::: maria.p@example.com",
        # The first number has no label, so the cell starts with "+": neutralised.
        "'+302101234567 ::: mobile: +306912345678",
        "Πανεπιστημίου 10",
        "Αθήνα",
        "106 71",
        "Αττική",
        "GR",
        "el",
        "'--07-01",
        "event",
        "customer",
        "yes",
        "2025-03-01",
        "VIP ::: Κλιέντες",
        "https://www.linkedin.com/in/maria-p",
        'Met at the chamber, "great" contact,\nlikes coffee',
        "90",
        "2025-06-01",
        "2025-01-02 09:30:00",
    ]


def test_csv_is_what_excel_expects_bom_crlf_and_quoting(store, tmp_path):
    maria()
    out = tmp_path / "contacts.csv"
    exports.export_csv(out)
    data = out.read_bytes()
    assert data.startswith(BOM + b"id,given_name,family_name,organization,")
    assert data.count(b"\r\n") == 2  # header and one row end in CRLF
    # The note's own line break stays inside its quoted cell.
    assert b'"Met at the chamber, ""great"" contact,\nlikes coffee"' in data
    assert "Μαρία".encode() in data  # UTF-8, not a code page


def test_formula_cells_are_neutralised_and_read_back_as_written(store, tmp_path):
    cid = person(
        "@x",
        "-2+3",
        phones=["+30 210 123 4567"],
        notes='=HYPERLINK("http://evil.example","Click")',
    )
    models.Contact.update(street="\tTabbed", city="'quoted", region="+1 region").where(
        models.Contact.id == cid
    ).execute()
    out = tmp_path / "c.csv"
    exports.export_csv(out)
    header, row = read_csv(out)
    cells = dict(zip(header, row, strict=True))
    assert cells["given_name"] == "'@x"
    assert cells["family_name"] == "'-2+3"
    assert cells["notes"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert cells["phones"] == "'+302101234567"
    assert cells["street"] == "'\tTabbed"
    assert cells["city"] == "''quoted"
    assert cells["region"] == "'+1 region"
    # Nothing a spreadsheet would run is left at the start of any cell.
    assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Reading our own file back undoes exactly our neutralisation.
    assert [exports.unneutralise(c) for c in (cells["city"], cells["street"])] == [
        "'quoted",
        "\tTabbed",
    ]
    data = out.read_bytes()
    (read,) = csvfile.read(data, csvfile.inspect(data))
    assert read.phones == [Labelled("+302101234567", "")]
    assert (read.given_name, read.family_name, read.notes) == (
        "@x",
        "-2+3",
        '=HYPERLINK("http://evil.example","Click")',
    )
    assert (read.region, read.street, read.city) == ("+1 region", "Tabbed", "'quoted")
    assert read.problems == []


def test_csv_row_reads_back_as_the_same_incoming(store, tmp_path):
    m = maria()
    out = tmp_path / "c.csv"
    exports.export_csv(out)
    data = out.read_bytes()
    (back,) = csvfile.read(data, csvfile.inspect(data))
    assert back == Incoming(
        line=2,
        uid=vcard.uid(m),  # the id column, as our vCard export writes it
        given_name="Μαρία",
        family_name="Παπαδοπούλου",
        organization="Ακμή Α.Ε.",
        title="Διευθύντρια",
        emails=[Labelled("maria@akmi.gr", "work"), Labelled("maria.p@example.com", "")],
        phones=[Labelled("+302101234567", ""), Labelled("+306912345678", "mobile")],
        street="Πανεπιστημίου 10",
        city="Αθήνα",
        postcode="106 71",
        region="Αττική",
        country="GR",
        url="https://www.linkedin.com/in/maria-p",
        birthday="--07-01",
        notes='Met at the chamber, "great" contact,\nlikes coffee',
        tags=["VIP", "Κλιέντες"],
        language="el",
        channel="event",
        stage="customer",
        marketing_consent=True,
        consent_date=dt.date(2025, 3, 1),
    )


def test_a_label_with_a_colon_and_a_broken_birthday_read_back(store, tmp_path):
    out = tmp_path / "ours.csv"
    exports.export_csv(out)  # an empty export: just our header
    header = out.read_bytes()
    rows = [
        dict.fromkeys(exports.CSV_COLUMNS, "") | {"given_name": "Ann", "emails": e, "birthday": b}
        for e, b in (
            ("Work: main: a@b.gr ::: c@d.gr", "'--02-29"),
            ("", "31/31/1980"),
            ("", "'1980-13-01"),
        )
    ]
    body = "".join(",".join(f'"{row[c]}"' for c in exports.CSV_COLUMNS) + "\r\n" for row in rows)
    data = header + body.encode()
    layout = csvfile.inspect(data)
    assert layout.shape == "passaparola"
    first, second, third = csvfile.read(data, layout)
    assert first.emails == [Labelled("a@b.gr", "Work: main"), Labelled("c@d.gr", "")]
    assert (first.birthday, first.problems) == ("--02-29", [])
    # Passed on as typed: the importer keeps a birthday it cannot read in the notes.
    assert (second.line, second.birthday, second.problems) == (3, "31/31/1980", [])
    assert (third.line, third.birthday, third.problems) == (4, "1980-13-01", [])


def test_default_export_skips_archived_and_erased_ids_keep_their_order(store, tmp_path):
    a = person("Anna", "Rossi")
    b = person("Boris", "Ivanov")
    c = person("Carla", "Bianchi")
    d = person("Dora", "Erased")
    contacts.set_archived(b, True)
    models.Contact.update(erased_at=models.now()).where(models.Contact.id == d).execute()
    out = tmp_path / "c.csv"
    assert exports.export_csv(out) == 2
    assert [r[0] for r in read_csv(out)[1:]] == [str(c), str(a)]  # Bianchi, Rossi
    # Asked for by id: in that order, archived ones too, never an erased person.
    assert exports.export_csv(out, ids=[a, b, d, c, a]) == 3
    assert [r[0] for r in read_csv(out)[1:]] == [str(a), str(b), str(c)]


def test_unknown_ids_are_refused_and_no_file_is_written(store, unchanged, tmp_path):
    a = person("Anna", "Rossi")
    folder = tmp_path / "out"
    folder.mkdir()
    with refused(unchanged, "No contact with id 998, 999", error=NotFoundError):
        exports.export_csv(folder / "c.csv", ids=[a, 998, 999])
    assert list(folder.iterdir()) == []


def test_cancel_leaves_the_old_file_and_no_temp_file(store, tmp_path):
    for i in range(3):
        person(f"P{i}", "Test")
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "c.csv"
    out.write_text("the previous export")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done == total  # cancel at the very end, after every row was written

    with pytest.raises(CancelledError, match="Export cancelled"):
        exports.export_csv(out, progress=progress)
    assert calls == [(0, 3), (3, 3)]
    assert out.read_text() == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["c.csv"]


def test_a_failed_write_is_a_clear_refusal_and_keeps_the_old_file(
    store, unchanged, tmp_path, monkeypatch
):
    person("Anna", "Rossi")
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "c.csv"
    out.write_text("the previous export")

    def disk_full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(exports.os, "replace", disk_full)
    with refused(unchanged, f"Cannot write {out}: No space left on device", field="output"):
        exports.export_csv(out)
    assert [p.name for p in folder.iterdir()] == ["c.csv"]
    assert out.read_text() == "the previous export"


def test_a_missing_folder_or_a_folder_as_file_is_refused(store, unchanged, tmp_path):
    person("Anna", "Rossi")
    folder = tmp_path / "out"
    folder.mkdir()
    with refused(unchanged, f"The folder '{folder / 'nowhere'}' does not exist", field="output"):
        exports.export_csv(folder / "nowhere" / "c.csv")
    with refused(unchanged, f"'{folder}' is a folder, not a file name", field="output"):
        exports.export_referrals_csv(folder)
    with refused(unchanged, "does not exist", field="output"):
        ics.export_ics(folder / "nowhere" / "c.ics")
    assert list(folder.iterdir()) == []


def test_exports_change_nothing_in_the_database(store, unchanged, tmp_path):
    cid = maria()
    other = person("Anna", "Rossi")
    referrals.record_referral(other, cid)
    with unchanged():
        exports.export_csv(tmp_path / "c.csv")
        exports.export_referrals_csv(tmp_path / "r.csv")
        ics.export_ics(tmp_path / "x.ics")


def test_csv_query_count_does_not_grow_with_contacts(store, tmp_path):
    def crowd(n: int, tag: str) -> None:
        for i in range(n):
            person(f"{tag}{i}", "Crowd", emails=[f"{tag}{i}@x.example"], tags=[tag])

    crowd(3, "a")
    with count_queries() as few:
        exports.export_csv(tmp_path / "a.csv")
    crowd(40, "b")
    with count_queries() as many:
        exports.export_csv(tmp_path / "b.csv")
    assert len(read_csv(tmp_path / "b.csv")) == 44
    # ids, then contacts, emails, phones and tags of each chunk of 500.
    assert few.count == many.count == 5


# Names and notes as people write them: Greek, Cyrillic, Arabic, accents, and
# the characters that CSV and our own format must survive.
PIECES = [*"aZé ßøΑαώΣςЖжعربي,;:\"'=+-@\\", "Παπαδόπουλος", "Иванов", "محمد", " ::: ", ": "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=12).map(lambda s: " ".join("".join(s).split()))
NOTES = st.text(alphabet=st.sampled_from(list("aé Жع,;\"'=+-@\\\n\t")), max_size=40).map(str.strip)
LABEL = st.sampled_from(["", "work", "home", "mobile", "Λοιπά", "iPhone", "Work: main"])
EMAIL = st.sampled_from(["a@x.gr", "maria.p@example.com", "ivan@abv.bg", "x+y@z.it"])
PHONE = st.sampled_from(["+302101234567", "+306912345678", "+390612345678", "+35929876543"])
BIRTHDAY = st.sampled_from(["", "1980-07-01", "--07-01", "--02-29", "2000-12-31"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    given_name=TEXT.filter(bool),
    family_name=TEXT,
    org=TEXT,
    street=TEXT,
    notes=NOTES,
    emails=st.lists(st.tuples(EMAIL, LABEL), max_size=3, unique_by=lambda t: t[0]),
    phones=st.lists(st.tuples(PHONE, LABEL), max_size=3, unique_by=lambda t: t[0]),
    tags=st.lists(TEXT.filter(lambda t: t and ":::" not in t), max_size=3, unique_by=str.casefold),
    birthday=BIRTHDAY,
)
def test_any_contact_survives_export_and_read_back(
    store, tmp_path, given_name, family_name, org, street, notes, emails, phones, tags, birthday
):
    c = models.Contact.create(
        given_name=given_name,
        family_name=family_name,
        organization=models.Organization.create(name=org, name_folded=org) if org else None,
        street=street,
        notes=notes,
        birthday=birthday or None,
    )
    for pos, (address, label) in enumerate(emails):
        models.ContactEmail.create(contact=c, address=address, label=label, position=pos)
    for pos, (number, label) in enumerate(phones):
        models.ContactPhone.create(
            contact=c, number=number, original=number, label=label, position=pos
        )
    for name in tags:
        tag = models.Tag.get_or_none(models.Tag.folded == name.casefold())
        tag = tag or models.Tag.create(name=name, folded=name.casefold())
        models.ContactTag.create(contact=c, tag=tag)
    out = tmp_path / "one.csv"
    exports.export_csv(out, ids=[c.id])
    stored = [t.name for t in models.Tag.select().join(models.ContactTag).where(
        models.ContactTag.contact == c.id
    ).order_by(models.Tag.folded, models.Tag.name)]  # fmt: skip
    expected = Incoming(
        line=2,
        uid=vcard.uid(c.id),
        given_name=given_name,
        family_name=family_name,
        organization=org,
        street=street,
        notes=notes,
        emails=[Labelled(a, label) for a, label in emails],
        phones=[Labelled(n, label) for n, label in phones],
        tags=stored,
        birthday=birthday,
        language=c.language,
        channel=c.channel,
        stage=c.stage,
        marketing_consent=False,
    )
    # Tags are one per folded name: an earlier example's "Σ" is this one's "ς".
    assert sorted(map(str.casefold, stored)) == sorted(map(str.casefold, tags))
    # The importer's CSV reader knows our file by its header and reads the same.
    data = out.read_bytes()
    layout = csvfile.inspect(data)
    assert layout.shape == "passaparola"
    assert list(csvfile.read(data, layout)) == [expected]


# -- referrals CSV --------------------------------------------------------------------


def test_referrals_csv_names_people_and_events_with_their_ids(store, tmp_path):
    anna = person("Anna", "Rossi")
    maria_id = person("Μαρία", "Παπαδοπούλου")
    ivan = person("Иван", "Петров")
    evil = person("=cmd", "Attacker")
    event = events.create_event("Chamber evening", "2025-03-12", kind="chamber_of_commerce")
    won = referrals.record_referral(
        anna,
        maria_id,
        receiver_id=ivan,
        event_id=event.id,
        status="won",
        value="1500",
        referred_on=dt.date(2025, 3, 12),
        notes="Needs a, quote",
        program="implicit",
        temperature=5,
    )
    open_ref = referrals.record_referral(evil, ivan, referred_on=dt.date(2025, 4, 1))
    models.Referral.update(status_changed_at=dt.datetime(2025, 5, 6, 7, 8, 9)).execute()
    out = tmp_path / "referrals.csv"
    assert exports.export_referrals_csv(out) == 2
    header, *rows = read_csv(out)
    assert tuple(header) == exports.REFERRAL_COLUMNS
    assert rows == [
        [
            str(won.id),
            "2025-03-12",
            str(anna),
            "Anna Rossi",
            str(maria_id),
            "Μαρία Παπαδοπούλου",
            str(ivan),
            "Иван Петров",
            "won",
            "1500.00",
            "EUR",
            "2025-05-06 07:08:09",
            "implicit",
            "5",
            "yes",
            str(event.id),
            "Chamber evening",
            "Needs a, quote",
        ],
        [
            str(open_ref.id),
            "2025-04-01",
            str(evil),
            "'=cmd Attacker",
            str(ivan),
            "Иван Петров",
            "",
            "",
            "new",
            "",
            "EUR",
            "2025-05-06 07:08:09",
            "direct",
            "3",
            "yes",
            "",
            "",
            "",
        ],
    ]


def test_referrals_csv_with_none_is_just_the_header(store, tmp_path):
    out = tmp_path / "r.csv"
    assert exports.export_referrals_csv(out) == 0
    assert out.read_bytes() == BOM + ",".join(exports.REFERRAL_COLUMNS).encode() + b"\r\n"


# -- iCalendar ------------------------------------------------------------------------

EET = "EET-2EEST,M3.5.0/3,M10.5.0/4"  # Athens, as a POSIX rule: no tz database needed


@pytest.fixture
def athens(monkeypatch):
    """Run in Athens time: stored (naive, local) times convert to UTC by its rules."""
    monkeypatch.setenv("TZ", EET)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def calendar_of(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_followups_are_vtodos_and_events_vevents(store, tmp_path, athens):
    m = person("Maria", "Papadopoulou", phones=["+30 210 123 4567"], emails=["maria@akmi.gr"])
    a = person("Anna", "Rossi")
    gone = person("Archie", "Ved")
    chamber = events.create_event(
        "Chamber evening",
        dt.datetime(2026, 3, 12, 18, 30),
        kind="chamber_of_commerce",
        venue="Grande Bretagne",
        city="Αθήνα",
        organizer="ACCI",
    )
    summer = events.create_event("1:1 coffee", dt.datetime(2026, 7, 1, 9, 0), kind="one_to_one")
    events.attend(chamber.id, m)
    events.attend(chamber.id, a)
    models.FollowUp.delete().execute()  # only the follow-ups made below
    call = followups.create_followup(
        m, dt.date(2026, 3, 14), kind="call", title="Call Maria Papadopoulou", notes="Ask, politely"
    )
    snoozed = followups.create_followup(
        a, dt.date(2026, 3, 1), kind="email", title="Send the brochure", event_id=chamber.id
    )
    followups.snooze(snoozed.id, clock.today() + dt.timedelta(days=3))
    done = followups.create_followup(a, dt.date(2026, 2, 1), kind="meeting", title="Lunch")
    followups.mark_done(done.id)
    old = followups.create_followup(a, dt.date(2020, 2, 1), kind="call", title="Old call")
    models.FollowUp.update(done_at=models.now() - dt.timedelta(days=31)).where(
        models.FollowUp.id == old.id
    ).execute()
    followups.create_followup(gone, dt.date(2026, 3, 1), title="Archived person's call")
    contacts.set_archived(gone, True)

    out = tmp_path / "passaparola.ics"
    assert ics.export_ics(out) == 5
    cal = calendar_of(out)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//Passaparola//crm ")

    todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
    assert sorted(todos) == sorted(f"followup-{f.id}@passaparola" for f in (call, snoozed, done))
    first = todos[f"followup-{call.id}@passaparola"]
    assert str(first["SUMMARY"]) == "Call Maria Papadopoulou"
    assert first.decoded("DUE") == dt.date(2026, 3, 14)  # a date, not a time
    assert str(first["STATUS"]) == "NEEDS-ACTION"
    assert str(first["DESCRIPTION"]) == (
        "Maria Papadopoulou\nPhone: +302101234567\nEmail: maria@akmi.gr\nAsk, politely"
    )
    assert str(first["URL"]) == "mailto:maria@akmi.gr"
    assert first.decoded("DTSTAMP").tzinfo is not None
    second = todos[f"followup-{snoozed.id}@passaparola"]
    # A title without the person's name gets it, and the snoozed date is the due date.
    assert str(second["SUMMARY"]) == "Send the brochure — Anna Rossi"
    assert second.decoded("DUE") == clock.today() + dt.timedelta(days=3)
    assert str(second["RELATED-TO"]) == f"event-{chamber.id}@passaparola"
    assert str(second["DESCRIPTION"]) == "Anna Rossi\nEvent: Chamber evening"
    third = todos[f"followup-{done.id}@passaparola"]
    assert str(third["STATUS"]) == "COMPLETED"
    assert int(third["PERCENT-COMPLETE"]) == 100
    assert third.decoded("COMPLETED").tzinfo is not None

    evs = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert sorted(evs) == sorted(f"event-{e.id}@passaparola" for e in (chamber, summer))
    ch = evs[f"event-{chamber.id}@passaparola"]
    assert str(ch["SUMMARY"]) == "Chamber evening"
    # 18:30 in Athens in March (UTC+2) is 16:30 UTC; a chamber evening lasts two hours.
    assert ch.decoded("DTSTART") == dt.datetime(2026, 3, 12, 16, 30, tzinfo=dt.UTC)
    assert ch.decoded("DTEND") == dt.datetime(2026, 3, 12, 18, 30, tzinfo=dt.UTC)
    assert str(ch["LOCATION"]) == "Grande Bretagne, Αθήνα"
    assert str(ch["DESCRIPTION"]) == (
        "Organizer: ACCI\nAttending (2): Maria Papadopoulou, Anna Rossi"
    )
    coffee = evs[f"event-{summer.id}@passaparola"]
    # 09:00 in Athens in July (UTC+3, summer time) is 06:00 UTC; a one-to-one is an hour.
    assert coffee.decoded("DTSTART") == dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC)
    assert coffee.decoded("DTEND") == dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.UTC)
    assert "LOCATION" not in coffee and "DESCRIPTION" not in coffee
    assert b"DTSTART:20260312T163000Z\r\n" in out.read_bytes()


def test_long_non_ascii_lines_fold_at_75_octets_without_splitting_characters(store, tmp_path):
    m = person("Μαρία", "Παπαδοπούλου")
    notes = "Συνάντηση στο επιμελητήριο για τη νέα συνεργασία. " * 4 + "مرحبا بكم في الاجتماع " * 3
    models.FollowUp.delete().execute()
    followups.create_followup(
        m, dt.date(2026, 3, 14), title="Κλήση Μαρία Παπαδοπούλου", notes=notes
    )
    out = tmp_path / "x.ics"
    ics.export_ics(out)
    data = out.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)  # CRLF only
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8 on its own
    assert any(line.startswith(b" ") for line in lines)  # something really was folded
    (todo,) = calendar_of(out).walk("VTODO")
    assert str(todo["DESCRIPTION"]) == f"Μαρία Παπαδοπούλου\n{notes.strip()}"


def test_an_empty_database_gives_a_valid_empty_calendar(store, tmp_path):
    out = tmp_path / "x.ics"
    assert ics.export_ics(out) == 0
    cal = calendar_of(out)
    assert cal.walk("VTODO") == [] and cal.walk("VEVENT") == []
    assert str(cal["VERSION"]) == "2.0"


def test_referral_followups_say_who_referred(store, tmp_path):
    anna = person("Anna", "Rossi")
    maria_id = person("Maria", "Papadopoulou")
    ref = referrals.record_referral(anna, maria_id)  # the rule adds "contact within 2 days"
    out = tmp_path / "x.ics"
    assert ics.export_ics(out) == 1
    (todo,) = calendar_of(out).walk("VTODO")
    assert str(todo["SUMMARY"]) == "Contact Maria Papadopoulou, referred by Anna Rossi"
    assert str(todo["DESCRIPTION"]) == (
        f"Maria Papadopoulou\nReferred by Anna Rossi (referral #{ref.id}, new)"
    )
    assert todo.decoded("DUE") == clock.today() + dt.timedelta(days=2)


def test_decimal_and_dates_in_cells():
    assert csv_output.cell_text(Decimal("1500")) == "1500.00"
    assert csv_output.cell_text(dt.datetime(2025, 1, 2, 3, 4, 5, 999)) == "2025-01-02 03:04:05"
    assert csv_output.cell_text(None) == ""


def test_our_csv_imported_into_an_empty_database_gives_the_same_contacts(store, tmp_path):
    from crm.core import db as dbm
    from crm.interchange import importer

    maria()
    person("Иван", "Петров", language="bg", channel="event", stage="lead")
    out = tmp_path / "ours.csv"
    exports.export_csv(out)
    fields = (
        "given_name", "family_name", "organization", "title", "emails", "phones", "street",
        "city", "postcode", "region", "country", "language", "birthday", "channel", "stage",
        "marketing_consent", "consent_date", "tags", "notes",
    )  # fmt: skip

    def everyone() -> list[dict]:
        ids = sorted(c.id for c in models.Contact.select(models.Contact.id))
        return [{k: contacts.details(i)[k] for k in fields} for i in ids]

    before = everyone()
    store.close()
    fresh = dbm.open_database(tmp_path / "fresh.sqlite3")
    try:
        report = importer.run(importer.load(out).records, source="ours.csv")
        assert (report.imported, report.rejected) == (2, [])
        assert everyone() == before
    finally:
        fresh.close()
