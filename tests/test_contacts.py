"""Contacts: validation, normalisation, updates, archive, tags, organizations and history."""

from __future__ import annotations

import datetime as dt

import pytest
from dbtools import refused

from crm.core import (
    clock,
    contacts,
    events,
    followups,
    interactions,
    models,
    organizations,
    referrals,
    settings,
)
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError

TODAY = clock.today()


def make(**fields) -> models.Contact:
    fields.setdefault("given_name", "Anna")
    return contacts.create_contact(ContactData(**fields))


def kinds(contact_id: int) -> list[str]:
    """History kinds, oldest first."""
    return [i.kind for i in reversed(interactions.history(contact_id))]


def set_region(code: str) -> None:
    prof = settings.profile()
    prof.default_region = code
    prof.save()


# -- create -----------------------------------------------------------------


def test_create_with_all_fields(store):
    c = contacts.create_contact(
        ContactData(
            given_name="  Γιώργος ",
            family_name="Παπαδάκης  Νικολάου",
            organization="Κρητική Ελαιουργία",
            title="Director",
            emails=["giorgos@example.gr", "G.Papadakis@Work.Example.COM"],
            phones=["+30 691 234 5678", "+30 210 324 1234"],
            street="Οδός Ερμού 12",
            city="Ηράκλειο",
            postcode="71202",
            region="Κρήτη",
            country="gr",
            language="el",
            birthday="1975-04-30",
            channel="event",
            stage="lead",
            marketing_consent=True,
            consent_date=dt.date(2024, 3, 1),
            notes="Met at the chamber dinner",
            tags=["olive oil", "VIP"],
            stay_in_touch_days=30,
        )
    )
    stored = models.Contact.get_by_id(c.id)
    assert stored.given_name == "Γιώργος"
    assert stored.family_name == "Παπαδάκης Νικολάου"  # inner spaces collapsed
    assert stored.organization.name == "Κρητική Ελαιουργία"
    assert stored.title == "Director"
    assert stored.email == "giorgos@example.gr"
    assert stored.phone == "+306912345678"
    assert (stored.street, stored.city, stored.postcode, stored.region) == (
        "Οδός Ερμού 12",
        "Ηράκλειο",
        "71202",
        "Κρήτη",
    )
    assert stored.country == "GR"
    assert stored.language == "el"
    assert stored.birthday == "1975-04-30"
    assert stored.channel == "event"
    assert stored.stage == "lead"
    assert stored.marketing_consent is True
    assert stored.consent_date == dt.date(2024, 3, 1)
    assert stored.notes == "Met at the chamber dinner"
    assert stored.stay_in_touch_days == 30
    assert stored.archived is False
    assert contacts.current_emails(c.id) == ["giorgos@example.gr", "G.Papadakis@work.example.com"]
    assert contacts.current_phones(c.id) == [
        ("+306912345678", "+30 691 234 5678"),
        ("+302103241234", "+30 210 324 1234"),
    ]
    assert contacts.tag_names(c.id) == ["VIP", "olive oil"]
    assert stored.display_name == "Γιώργος Παπαδάκης Νικολάου"
    assert kinds(c.id) == ["created"]


def test_to_dict_shape(store):
    c = make(
        given_name="Maria",
        family_name="Rossi",
        organization="Trattoria Da Mario",
        emails=["maria@example.it", "m.rossi@example.com", "MARIA@example.it"],
        phones=["+39 055 123 4567", "+39 06 1234 5678"],
        city="Firenze",
        language="it",
        stage="customer",
        tags=["food", "Florence"],
    )
    d = contacts.to_dict(c)
    expected = {
        "id": c.id,
        "given_name": "Maria",
        "family_name": "Rossi",
        "organization": "Trattoria Da Mario",
        "emails": ["maria@example.it", "m.rossi@example.com"],  # case-insensitive dedupe
        "phones": ["+390551234567", "+390612345678"],
        "city": "Firenze",
        "language": "it",
        "stage": "customer",
        "tags": ["Florence", "food"],
    }
    assert {k: d[k] for k in expected} == expected
    assert d["name"] == "Maria Rossi"
    assert d["archived"] is False
    assert d["birthday"] is None
    assert d["last_asked_for_referral"] is None


def test_to_dict_without_organization_or_emails(store):
    d = contacts.to_dict(make(given_name="Solo"))
    assert d["organization"] is None
    assert d["emails"] == []
    assert d["phones"] == []
    assert d["tags"] == []
    assert d["family_name"] == ""


def test_to_dicts_keeps_order_and_skips_missing(store):
    a, b = make(given_name="A"), make(given_name="B")
    assert [d["id"] for d in contacts.to_dicts([b.id, 999, a.id])] == [b.id, a.id]
    assert contacts.to_dicts([]) == []


def test_family_name_alone_is_enough(store):
    c = make(given_name="", family_name="Ivanova")
    assert c.display_name == "Ivanova"


def test_consent_without_date_is_dated_today(store):
    assert make(marketing_consent=True).consent_date == TODAY
    assert make(marketing_consent=False).consent_date is None


# -- email --------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["maria.example.com", "maria@", "maria@localhost", "a b@example.com"]
)
def test_invalid_email_refused(store, unchanged, bad):
    with refused(unchanged, f"Email '{bad}' is not valid", field="emails"):
        make(emails=["ok@example.com", bad])
    assert contacts.count() == 0


def test_invalid_email_refused_on_update(store, unchanged):
    c = make(emails=["ok@example.com"])
    with refused(unchanged, "'not-an-email'", field="emails"):
        contacts.update_contact(c.id, emails=["not-an-email"])
    assert contacts.current_emails(c.id) == ["ok@example.com"]


def test_blank_emails_and_phones_ignored(store):
    c = make(emails=["", "  "], phones=["", " "])
    assert contacts.current_emails(c.id) == []
    assert contacts.current_phones(c.id) == []
    assert c.email == "" and c.phone == ""


# -- phones -------------------------------------------------------------------


def test_phones_normalised_to_e164_original_kept(store):
    c = make(phones=["+30 (210) 324-1234", "+302103241234", "+30 210 324 1234"])
    # Same number twice (differently written) is kept once, with the first spelling.
    assert contacts.current_phones(c.id) == [("+302103241234", "+30 (210) 324-1234")]
    rows = list(models.ContactPhone.select().where(models.ContactPhone.contact == c.id))
    assert [(r.number, r.original) for r in rows] == [("+302103241234", "+30 (210) 324-1234")]


def test_phone_with_00_prefix_needs_a_region(store, unchanged):
    with refused(unchanged, "'0030 691 234 5678'", field="phones"):
        make(phones=["0030 691 234 5678"])
    set_region("GR")
    c = make(phones=["0030 691 234 5678"])
    assert contacts.current_phones(c.id) == [("+306912345678", "0030 691 234 5678")]


def test_phone_without_country_code_needs_default_region(store, unchanged):
    assert settings.profile().default_region == ""
    with refused(unchanged, "Phone '210 324 1234' has no country code", "default region"):
        make(phones=["210 324 1234"])
    set_region("GR")
    assert models.Profile.get_by_id(1).default_region == "GR"
    c = make(phones=["210 324 1234", "+39 055 123 4567"])
    assert contacts.current_phones(c.id) == [
        ("+302103241234", "210 324 1234"),
        ("+390551234567", "+39 055 123 4567"),
    ]
    assert c.phone == "+302103241234"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("+30 12", "is not a valid number"),
        ("call me maybe", "is not a phone number"),
        ("+1 000 000 0000", "is not a valid number"),
    ],
)
def test_invalid_phone_refused(store, unchanged, bad, says):
    set_region("GR")
    with refused(unchanged, f"Phone '{bad}' {says}", field="phones"):
        make(phones=[bad])


def test_invalid_phone_refused_on_update(store, unchanged):
    c = make(phones=["+30 210 324 1234"])
    with refused(unchanged, "'+30 12'", field="phones"):
        contacts.update_contact(c.id, phones=["+30 12"])


def test_stored_local_number_does_not_block_later_edits(store):
    set_region("GR")
    c = make(phones=["210 324 1234"])
    set_region("")  # the profile's region is cleared later on
    contacts.update_contact(c.id, city="Patras")
    assert models.Contact.get_by_id(c.id).city == "Patras"
    assert contacts.current_phones(c.id) == [("+302103241234", "210 324 1234")]


# -- required and checked fields ------------------------------------------------


@pytest.mark.parametrize(("given", "family"), [("", ""), ("   ", " \t "), ("", "\n")])
def test_names_required(store, unchanged, given, family):
    with refused(unchanged, "needs a given or a family name", field="given_name"):
        contacts.create_contact(ContactData(given_name=given, family_name=family))


def test_names_required_on_update(store, unchanged):
    c = make(given_name="Anna", family_name="")
    with refused(unchanged, "needs a given or a family name"):
        contacts.update_contact(c.id, given_name=" ")


def test_long_name_refused(store, unchanged):
    with refused(unchanged, "120 characters", field="family_name"):
        make(family_name="x" * 121)


@pytest.mark.parametrize(
    ("fieldname", "value", "says"),
    [
        ("language", "fr", "Language must be one of en, el, bg, it, ar, not 'fr'"),
        ("stage", "vip", "Stage must be one of"),
        ("channel", "tv", "Channel must be one of"),
        ("country", "XX", "Country 'XX' is not a two-letter ISO country code"),
        ("country", "Greece", "Country 'Greece'"),
        ("birthday", "1990-02-30", "Birthday '1990-02-30' is not a date"),
        ("birthday", "30/04/1975", "Birthday '30/04/1975' is not a date"),
        ("birthday", "--13-01", "Birthday '--13-01' is not a date"),
        ("birthday", "--02-30", "Birthday '--02-30' is not a date"),
        ("birthday", "--2-3", "Birthday '--2-3' is not a date"),
        ("birthday", "1850-01-01", "before 1900"),
        ("stay_in_touch_days", 0, "stay-in-touch cadence"),
        ("consent_date", TODAY + dt.timedelta(days=1), "consent date is in the future"),
    ],
)
def test_invalid_field_refused_with_field_message(store, unchanged, fieldname, value, says):
    with refused(unchanged, says, field=fieldname):
        make(**{fieldname: value})
    c = make()
    with refused(unchanged, says, field=fieldname):
        contacts.update_contact(c.id, **{fieldname: value})


def test_future_birthday_refused(store, unchanged):
    tomorrow = TODAY + dt.timedelta(days=1)
    with refused(unchanged, f"Birthday {tomorrow.isoformat()} is in the future", field="birthday"):
        make(birthday=tomorrow.isoformat())
    with refused(unchanged, "in the future", field="birthday"):
        make(birthday=tomorrow)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("--05-03", "--05-03"),
        ("--02-29", "--02-29"),
        (" 1980-12-31 ", "1980-12-31"),
        (dt.date(1980, 12, 31), "1980-12-31"),
        ("", None),
        (None, None),
    ],
)
def test_birthday_accepted(store, value, stored):
    c = make(birthday=value)
    assert models.Contact.get_by_id(c.id).birthday == stored
    assert contacts.to_dict(c)["birthday"] == stored


def test_today_is_an_acceptable_birthday(store):
    assert make(birthday=TODAY).birthday == TODAY.isoformat()


def test_get_contact_missing(store):
    with pytest.raises(NotFoundError, match="No contact with id 42"):
        contacts.get_contact(42)


# -- update -------------------------------------------------------------------


def test_update_changes_fields_and_logs_what_changed(store):
    c = make(given_name="Anna", city="Sofia", stage="prospect", emails=["anna@example.com"])
    contacts.update_contact(
        c.id, city="Plovdiv", stage="lead", emails=["anna@example.bg"], organization="Acme"
    )
    stored = models.Contact.get_by_id(c.id)
    assert stored.city == "Plovdiv"
    assert stored.stage == "lead"
    assert stored.email == "anna@example.bg"
    assert stored.organization.name == "Acme"
    assert contacts.current_emails(c.id) == ["anna@example.bg"]
    assert kinds(c.id) == ["created", "updated"]
    line = interactions.history(c.id)[0]
    assert line.summary == "Changed city, stage, organization, emails"


def test_update_phones_and_tags_logged(store):
    c = make(phones=["+30 210 324 1234"], tags=["a"])
    contacts.update_contact(c.id, phones=["+39 055 123 4567"], tags=["b"])
    assert interactions.history(c.id)[0].summary == "Changed phones, tags"
    assert models.Contact.get_by_id(c.id).phone == "+390551234567"
    assert contacts.tag_names(c.id) == ["b"]


def test_noop_update_logs_nothing(store):
    c = make(
        given_name="Anna",
        family_name="Rossi",
        city="Roma",
        organization="Acme",
        emails=["anna@example.com"],
        phones=["+39 055 123 4567"],
        tags=["x"],
        birthday="--05-03",
        marketing_consent=True,
    )
    before = dict(models.Contact.select().where(models.Contact.id == c.id).dicts().get())
    contacts.update_contact(
        c.id,
        given_name=" Anna ",
        city="Roma",
        organization="ACME",
        emails=["anna@example.com"],
        phones=["+39 055 1234567"],  # same number, written differently
        tags=["x"],
        birthday="--05-03",
    )
    contacts.update_contact(c.id)
    assert kinds(c.id) == ["created"]
    after = dict(models.Contact.select().where(models.Contact.id == c.id).dicts().get())
    assert after == before


def test_clearing_organization_and_emails(store):
    c = make(organization="Acme", emails=["a@example.com"])
    contacts.update_contact(c.id, organization=None, emails=[])
    stored = models.Contact.get_by_id(c.id)
    assert stored.organization is None
    assert stored.email == ""
    assert contacts.current_emails(c.id) == []
    assert interactions.history(c.id)[0].summary == "Changed organization, emails"


def test_update_unknown_field_refused(store, unchanged):
    c = make()
    with refused(unchanged, "Unknown contact field(s): archived, nickname"):
        contacts.update_contact(c.id, nickname="x", archived=True)


def test_update_missing_contact(store, unchanged):
    with unchanged(), pytest.raises(NotFoundError, match="No contact with id 99"):
        contacts.update_contact(99, city="x")


def test_refused_update_changes_nothing_even_with_valid_fields(store, unchanged):
    c = make(city="Roma")
    with refused(unchanged, "Stage must be one of"):
        contacts.update_contact(c.id, city="Milano", stage="nope")
    assert models.Contact.get_by_id(c.id).city == "Roma"


# -- archive --------------------------------------------------------------------


def test_archive_and_unarchive(store, unchanged):
    c = make(given_name="Anna", family_name="Rossi")
    contacts.set_archived(c.id, True)
    assert models.Contact.get_by_id(c.id).archived is True
    assert contacts.count() == 0
    assert contacts.count(include_archived=True) == 1
    with refused(unchanged, "Anna Rossi is already archived"):
        contacts.set_archived(c.id, True)
    contacts.set_archived(c.id, False)
    assert models.Contact.get_by_id(c.id).archived is False
    assert contacts.count() == 1
    with refused(unchanged, "Anna Rossi is already not archived"):
        contacts.set_archived(c.id, False)
    assert kinds(c.id) == ["created", "archived", "unarchived"]


def test_archive_refusal_words_the_state_in_the_language(store, unchanged, tmp_path, monkeypatch):
    from crm import i18n

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    c = make(given_name="Anna", family_name="Rossi")
    i18n.set_language("el")
    try:
        with refused(unchanged, "Η επαφή Anna Rossi είναι ήδη εκτός αρχείου"):
            contacts.set_archived(c.id, False)
        contacts.set_archived(c.id, True)
        with refused(unchanged, "Η επαφή Anna Rossi είναι ήδη αρχειοθετημένη"):
            contacts.set_archived(c.id, True)
    finally:
        i18n.set_language("en")


def test_archived_contact_kept_with_its_data(store):
    c = make(emails=["a@example.com"], tags=["t"])
    contacts.set_archived(c.id, True)
    assert contacts.to_dict(c)["archived"] is True
    assert contacts.current_emails(c.id) == ["a@example.com"]


# -- tags -----------------------------------------------------------------------


def test_tags_add_and_remove(store):
    c = make(tags=["Networking"])
    assert contacts.add_tags(c.id, ["VIP", "golf"]) == ["Networking", "VIP", "golf"]
    assert contacts.remove_tags(c.id, ["networking", "GOLF"]) == ["VIP"]
    assert contacts.tag_names(c.id) == ["VIP"]
    assert kinds(c.id) == ["created", "updated", "updated"]


def test_tags_deduplicated_ignoring_case(store):
    c = make(tags=["VIP", "vip", " Vip "])
    assert contacts.tag_names(c.id) == ["VIP"]
    assert contacts.add_tags(c.id, ["vip", "VIP"]) == ["VIP"]
    assert kinds(c.id) == ["created"]  # adding a tag it already has changes nothing
    assert contacts.add_tags(c.id, ["Ελλάδα", "ΕΛΛΆΔΑ"]) == ["VIP", "Ελλάδα"]


def test_tag_whitespace_collapsed_and_blank_ignored(store):
    c = make(tags=["  golf   club ", "", "   "])
    assert contacts.tag_names(c.id) == ["golf club"]


def test_removing_unknown_tag_changes_nothing(store, unchanged):
    c = make(tags=["a"])
    with unchanged():
        assert contacts.remove_tags(c.id, ["b"]) == ["a"]


def test_long_tag_refused(store, unchanged):
    c = make()
    with refused(unchanged, "longer than 80 characters", field="tags"):
        contacts.add_tags(c.id, ["t" * 81])


def test_tag_shared_between_contacts_is_one_row(store):
    a, b = make(given_name="A", tags=["golf"]), make(given_name="B", tags=["golf"])
    assert models.Tag.select().where(models.Tag.name == "golf").count() == 1
    assert contacts.tag_names(a.id) == contacts.tag_names(b.id) == ["golf"]


# -- organizations ----------------------------------------------------------------


def test_organization_get_or_create_by_folded_name(store):
    a = make(given_name="A", organization="ACME")
    b = make(given_name="B", organization="Acme")
    c = make(given_name="C", organization="  acme ")
    assert a.organization_id == b.organization_id == c.organization_id
    assert models.Organization.select().count() == 1
    assert models.Organization.get().name == "ACME"  # the first spelling is kept
    d = make(given_name="D", organization="Café Ωραίο")
    e = make(given_name="E", organization="CAFE ΩΡΑΙΟ")
    assert d.organization_id == e.organization_id != a.organization_id
    assert models.Organization.select().count() == 2


def test_organization_create_and_rename_refuse_duplicates(store, unchanged):
    org = organizations.create("Acme", city="Athens")
    other = organizations.create("Globex")
    with refused(unchanged, "An organization called 'ACME' already exists", field="name"):
        organizations.create("ACME")
    with refused(unchanged, "An organization called 'acme' already exists", field="name"):
        organizations.rename(other.id, "acme")
    with refused(unchanged, "kind must be one of company, community_partner", field="kind"):
        organizations.create("Initech", kind="charity")
    with refused(unchanged, "needs a name", field="name"):
        organizations.create("   ")
    # Renaming to another spelling of its own name is allowed.
    assert organizations.rename(org.id, "ACME").name == "ACME"
    assert organizations.find_by_name("acme").id == org.id


def test_organization_missing(store):
    with pytest.raises(NotFoundError, match="No organization with id 5"):
        organizations.get(5)


# -- history ------------------------------------------------------------------------


def test_every_service_touching_a_contact_leaves_a_history_line(store):
    giver = make(given_name="Giver")
    friend = make(given_name="Friend")
    assert kinds(giver.id) == ["created"]

    contacts.update_contact(giver.id, city="Athens")
    contacts.add_tags(giver.id, ["vip"])
    contacts.remove_tags(giver.id, ["vip"])
    contacts.set_archived(giver.id, True)
    contacts.set_archived(giver.id, False)
    interactions.add_note(giver.id, "call", "Talked about the chapter")
    assert kinds(giver.id) == [
        "created",
        "updated",
        "updated",
        "updated",
        "archived",
        "unarchived",
        "call",
    ]

    ref = referrals.record_referral(giver.id, friend.id)
    assert kinds(giver.id)[-1] == "referral_given"
    assert kinds(friend.id) == ["created", "referral_received"]
    referrals.change_status(ref.id, "contacted")
    assert kinds(giver.id)[-1] == "referral_status"

    other = make(given_name="Other")
    second = referrals.record_referral(other.id, friend.id)
    referrals.set_primary(second.id)
    assert kinds(friend.id)[-1] == "updated"

    event = events.create_event("Chamber evening", TODAY - dt.timedelta(days=1))
    events.attend(event.id, friend.id, met_in_person=True)
    assert "event_attended" in kinds(friend.id)

    item = followups.create_followup(friend.id, TODAY)
    followups.mark_done(item.id)
    assert kinds(friend.id)[-1] == "followup_done"

    # The lines point at what they are about.
    line = interactions.history(giver.id)[0]
    assert (line.kind, line.referral_id) == ("referral_status", ref.id)
    assert line.summary == "Referral of Friend: new → contacted"


def test_add_note_validation(store, unchanged):
    c = make()
    with refused(unchanged, "Kind must be one of note, call, meeting, email", field="kind"):
        interactions.add_note(c.id, "created", "x")
    with refused(unchanged, "the note is empty", field="summary"):
        interactions.add_note(c.id, "note", "   ")
    with unchanged(), pytest.raises(NotFoundError):
        interactions.add_note(999, "note", "hello")


def test_history_is_newest_first(store):
    c = make()
    old = dt.datetime(2020, 1, 1, 9, 0)
    interactions.add_note(c.id, "meeting", "Long ago", at=old)
    interactions.add_note(c.id, "note", "Recent")
    summaries = [i.summary for i in interactions.history(c.id)]
    assert summaries == ["Recent", "Contact created", "Long ago"]
    assert len(interactions.history(c.id, limit=2)) == 2


def test_tags_are_one_across_contacts_whatever_the_case(store):
    alice = make(given_name="Alice", tags=["VIP"])
    bob = make(given_name="Bob", tags=["vip", "Ναύπλιο"])
    contacts.add_tags(alice.id, ["ΝΑΥΠΛΙΟ"])
    assert models.Tag.select().count() == 2
    # The first spelling names the tag for everyone.
    assert contacts.tag_names(bob.id) == ["VIP", "Ναύπλιο"]
    assert contacts.tag_names(alice.id) == ["VIP", "Ναύπλιο"]


def test_a_too_long_field_is_named_in_the_language(store, unchanged, tmp_path, monkeypatch):
    from crm import i18n

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    c = make(given_name="Anna", family_name="Rossi")
    i18n.set_language("el")
    try:
        with refused(
            unchanged, "Η θέση εργασίας: επιτρέπονται έως 120 χαρακτήρες (εδώ υπάρχουν 121)"
        ):
            contacts.update_contact(c.id, title="x" * 121)
    finally:
        i18n.set_language("en")
