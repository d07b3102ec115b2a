"""Typed text is cleaned on the way in: control characters, direction overrides and invisible
characters never reach the database, invisible-only names are refused, every field has a limit.
Through the core services, the ``crm`` command and the importers."""

from __future__ import annotations

import datetime as dt

import pytest
from clitools import make_crm

from crm.core import clock, contact_fields, contacts, events, followups, interactions, models
from crm.core import organizations as orgs
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError
from crm.core.text import clean, is_visible
from crm.interchange import importer

ESC_CLEAR = "\x1b[2J"
RLO = "\u202e"  # right-to-left override: shows "Anna" as "annA"
TODAY = clock.today()


def add(given: str, family: str = "", **fields) -> models.Contact:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields))


def refused(call, field: str, words: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    assert words in caught.value.message
    return caught.value


# -- the cleaning itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"Anna{ESC_CLEAR}", "Anna[2J"),
        (f"{RLO}Anna", "Anna"),
        ("\u2066Anna\u2069 \u202aRossi\u202c", "Anna Rossi"),
        ("Ann\u200ba\u00ad\ufeff", "Anna"),  # zero-width space, soft hyphen, BOM
        ("Ann\x00a\x07\x7f\x9b", "Anna"),  # C0 and C1 controls
        ("Anna\tRossi\nJr.", "Anna Rossi Jr."),  # on one line, breaks are spaces
        ("Jose\u0301", "José"),  # NFC
        ("می\u200cخواهم", "می\u200cخواهم"),  # zero-width non-joiner: Persian needs it
        ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # ZWJ in Devanagari
    ],
)
def test_one_line_text_loses_controls_and_invisible_format_characters(typed, kept):
    assert " ".join(clean(typed).split()) == kept


def test_notes_keep_their_lines_and_tabs_but_no_other_controls():
    assert clean(f"one\r\ntwo\rthree\n\tfour{ESC_CLEAR}\u2028five", multiline=True) == (
        "one\r\ntwo\nthree\n\tfour[2J\nfive"
    )


def test_visible_means_something_is_drawn():
    assert not is_visible("\u200d\u200c \u3164\u2800")
    assert is_visible("A") and is_visible("7") and is_visible("·")


# -- through the core services --------------------------------------------------------------


def test_a_contact_is_stored_without_controls_or_direction_overrides(store):
    contact = add(
        f"{RLO}Anna{ESC_CLEAR}",
        "Ros\u200bsi",
        title=f"CEO{RLO}",
        street="Via Roma\x001",
        city="\u2067Roma\u2069",
        notes=f"met at the fair\n{ESC_CLEAR}call back",
        organization=f"{RLO}ACME\x1b",
    )
    contact = contacts.get_contact(contact.id)
    assert (contact.given_name, contact.family_name) == ("Anna[2J", "Rossi")
    assert (contact.title, contact.street, contact.city) == ("CEO", "Via Roma1", "Roma")
    assert contact.notes == "met at the fair\n[2Jcall back"
    assert contact.organization.name == "ACME"
    changed = contacts.update_contact(contact.id, given_name=f"Bea{RLO}")
    assert changed.given_name == "Bea"


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u2060\ufeff", "\u3164", f"{RLO}\u200d"])
def test_a_name_of_invisible_characters_is_refused_naming_the_field(store, name):
    refused(lambda: add(name, name), "given_name", "made only of invisible characters")
    assert models.Contact.select().count() == 0


def test_a_part_of_the_name_that_draws_nothing_is_left_empty(store):
    contact = add("Anna", "\u3164\u200b")
    assert (contact.given_name, contact.family_name) == ("Anna", "")


@pytest.mark.parametrize(
    ("field", "limit", "words"),
    [
        ("given_name", 120, "A given name is limited to 120 characters"),
        ("family_name", 120, "A family name is limited to 120 characters"),
        ("title", 120, "The title is limited to 120 characters"),
        ("street", 200, "The street is limited to 200 characters"),
        ("city", 120, "The city is limited to 120 characters"),
        ("postcode", 20, "The postcode is limited to 20 characters"),
        ("region", 120, "The region is limited to 120 characters"),
        ("notes", 10_000, "Notes is limited to 10,000 characters"),
    ],
)
def test_every_contact_text_field_has_a_limit_naming_it(store, field, limit, words):
    def with_field(length: int) -> dict[str, str]:
        return {"given_name": "Anna", field: "x" * length}

    contacts.create_contact(ContactData(**with_field(limit)))  # up to the limit is fine
    refused(lambda: contacts.create_contact(ContactData(**with_field(limit + 1))), field, words)


def test_the_limits_match_the_columns():
    for field, (_label, limit) in contact_fields.TEXT_LIMITS.items():
        column = getattr(models.Contact, field)
        if hasattr(column, "max_length"):
            assert column.max_length == limit, field


def test_organization_event_followup_and_note_are_cleaned_and_limited(store):
    org = orgs.create(f"{RLO}Coop\x07", city=f"Bari{ESC_CLEAR}", notes="a\x00b")
    assert (org.name, org.city, org.notes) == ("Coop", "Bari[2J", "ab")
    refused(lambda: orgs.create("\u200b\u200b"), "name", "needs a name")
    refused(lambda: orgs.create("o" * 201), "name", "An organization name is limited to 200")

    event = events.create_event(
        f"Mixer{RLO}", TODAY, venue="Hall\x1b", organizer=f"{RLO}Chamber", notes="n\x1bn"
    )
    assert (event.title, event.venue, event.organizer, event.notes) == (
        "Mixer",
        "Hall",
        "Chamber",
        "nn",
    )
    refused(lambda: events.create_event("\u2066\u2069", TODAY), "title", "needs a title")
    refused(lambda: events.create_event("t" * 201, TODAY), "title", "limited to 200")
    refused(lambda: events.update_event(event.id, venue="v" * 201), "venue", "limited to 200")

    anna = add("Anna").id
    item = followups.create_followup(anna, TODAY + dt.timedelta(days=1), title=f"Call{ESC_CLEAR}")
    assert item.title == "Call[2J"
    refused(
        lambda: followups.create_followup(anna, TODAY, title="t" * 201),
        "title",
        "A follow-up title is limited to 200",
    )

    note = interactions.add_note(anna, "note", f"{RLO}Called\x07 her")
    assert note.summary == "Called her"
    refused(lambda: interactions.add_note(anna, "note", "\u200b"), "summary", "empty")
    refused(lambda: interactions.add_note(anna, "note", "n" * 10_001), "summary", "10,000")


# -- through the command line ----------------------------------------------------------------


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def test_the_command_line_cleans_names_and_refuses_invisible_ones(crm):
    made = crm.json("contacts", "add", "--given", f"Anna{ESC_CLEAR}", "--family", f"{RLO}Rossi")
    listing = crm.ok("contacts", "list")
    assert "\x1b" not in listing and RLO not in listing
    assert "Anna[2J" in listing and "Rossi" in listing
    assert made["given_name"] == "Anna[2J"
    crm.refused(
        "contacts", "add", "--given", ESC_CLEAR[0], match="made only of invisible characters"
    )
    crm.refused(
        "contacts",
        "add",
        "--given",
        "\u200b",
        "--family",
        RLO,
        match="made only of invisible characters",
    )
    crm.refused(
        "contacts",
        "add",
        "--given",
        "Anna",
        "--title",
        "t" * 121,
        match="The title is limited to 120 characters",
    )


# -- through the importers -------------------------------------------------------------------


def test_a_csv_import_cleans_names_and_rejects_invisible_ones_with_their_line(store, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "First Name,Last Name,Job Title,Notes\n"
        f'Anna{ESC_CLEAR},{RLO}Rossi,CEO\x07,"line one\x1b\nline two"\n'
        "\u200b,\u2060,,\n"
        f"Bea,Bianchi,{'t' * 121},\n",
        encoding="utf-8",
    )
    report = importer.run(importer.load(path).records)
    assert report.imported == 2
    # The notes' line break is inside quotes: the next record is on line 4.
    assert report.rejected == [(4, "The name is made only of invisible characters")]
    # A title too long is kept in the notes, with a warning.
    assert [(w.line, w.field) for w in report.warnings] == [(5, "title")]
    bea = models.Contact.get(models.Contact.given_name == "Bea")
    assert (bea.title, bea.notes) == ("", f"The title: {'t' * 121}")
    anna = models.Contact.get(models.Contact.given_name.startswith("Anna"))
    assert (anna.given_name, anna.family_name, anna.title) == ("Anna[2J", "Rossi", "CEO")
    assert anna.notes == "line one\nline two"


def test_a_vcard_import_cleans_names(store, tmp_path):
    path = tmp_path / "people.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:{RLO}Rossi;Anna\u200b;;;\r\nFN:Anna Rossi\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:\u200b;\u2066;;;\r\nFN:\u200b\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    report = importer.run(importer.load(path).records)
    assert report.imported == 1
    assert [reason for _line, reason in report.rejected] == [
        "The name is made only of invisible characters"
    ]
    anna = models.Contact.get()
    assert (anna.given_name, anna.family_name) == ("Anna", "Rossi")
