"""Events, attendance, follow-ups, the birthday rule and settings."""

from __future__ import annotations

import datetime as dt

import pytest
from dbtools import refused

from crm.core import clock, contacts, events, followups, interactions, models, settings
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError

TODAY = clock.today()
DAY = dt.timedelta(days=1)


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def rule_followups(rule: str, contact_id: int | None = None) -> list[models.FollowUp]:
    query = models.FollowUp.select().where(models.FollowUp.rule == rule)
    if contact_id is not None:
        query = query.where(models.FollowUp.contact == contact_id)
    return list(query.order_by(models.FollowUp.due, models.FollowUp.id))


# -- events -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "starts"),
    [
        (dt.date(2025, 3, 5), dt.datetime(2025, 3, 5, 18, 0)),
        ("2025-03-05", dt.datetime(2025, 3, 5, 18, 0)),
        (" 2025-03-05 ", dt.datetime(2025, 3, 5, 18, 0)),
        ("2025-03-05 07:30", dt.datetime(2025, 3, 5, 7, 30)),
        ("2025-03-05T19:15", dt.datetime(2025, 3, 5, 19, 15)),
        (dt.datetime(2025, 3, 5, 12, 0, 30, 999), dt.datetime(2025, 3, 5, 12, 0, 30)),
    ],
)
def test_create_event_start(store, when, starts):
    event = events.create_event("Chamber evening", when)
    assert models.Event.get_by_id(event.id).starts_at == starts


def test_create_event_fields(store):
    event = events.create_event(
        "  Σύλλογος   Επιχειρηματιών ",
        "2025-06-01",
        kind="business_association",
        venue=" Hotel Grande Bretagne ",
        city="Αθήνα",
        organizer="ΕΒΕΑ",
        notes="Bring cards",
    )
    assert events.to_dict(models.Event.get_by_id(event.id)) == {
        "id": event.id,
        "title": "Σύλλογος Επιχειρηματιών",
        "kind": "business_association",
        "starts_at": "2025-06-01 18:00:00",
        "venue": "Hotel Grande Bretagne",
        "city": "Αθήνα",
        "organizer": "ΕΒΕΑ",
    }


@pytest.mark.parametrize("bad", ["05/03/2025", "2025-02-30", "tomorrow", "", "2025-13-01 18:00"])
def test_create_event_invalid_date_refused(store, unchanged, bad):
    with refused(unchanged, f"Date '{bad.strip()}' is not a date", field="starts_at"):
        events.create_event("Mixer", bad)


def test_create_event_invalid_kind_refused(store, unchanged):
    with refused(unchanged, "Event kind must be one of", "not 'party'", field="kind"):
        events.create_event("Mixer", "2025-03-05", kind="party")


@pytest.mark.parametrize("title", ["", "   ", "\n\t", None])
def test_create_event_needs_title(store, unchanged, title):
    with refused(unchanged, "An event needs a title", field="title"):
        events.create_event(title, "2025-03-05")


def test_get_event_missing(store):
    with pytest.raises(NotFoundError, match="No event with id 3"):
        events.get_event(3)


# -- attendance ------------------------------------------------------------------------


@pytest.fixture
def evening(store):
    return events.create_event("Chamber evening", TODAY - 2 * DAY, kind="chamber_of_commerce")


def test_attend_records_role_and_history(evening):
    anna = person("Anna", "Rossi")
    att = events.attend(evening.id, anna, role="speaker")
    stored = models.Attendance.get_by_id(att.id)
    assert (stored.role, stored.met_in_person) == ("speaker", False)
    assert events.attendees(evening.id) == [(anna, "Anna Rossi", "speaker", False)]
    # The line is dated when the event happened, so it sorts among older lines.
    (line,) = [i for i in interactions.history(anna) if i.kind == "event_attended"]
    assert (line.kind, line.summary, line.event_id) == (
        "event_attended",
        "Chamber evening (speaker)",
        evening.id,
    )
    assert line.happened_at == evening.starts_at
    assert rule_followups("met") == []  # not met in person: no follow-up


def test_attend_invalid_role_refused(evening, unchanged):
    anna = person("Anna")
    with refused(
        unchanged, "Role must be one of member, visitor, host, speaker, not 'guest'", field="role"
    ):
        events.attend(evening.id, anna, role="guest")


def test_attend_twice_refused(evening, unchanged):
    anna = person("Anna", "Rossi")
    events.attend(evening.id, anna)
    with refused(unchanged, "Anna Rossi is already on the list of Chamber evening"):
        events.attend(evening.id, anna, role="host", met_in_person=True)


def test_attend_missing_event_or_contact(evening, unchanged):
    anna = person("Anna")
    with refused(unchanged, "No event with id 999", error=NotFoundError):
        events.attend(999, anna)
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        events.attend(evening.id, 999)


def test_met_in_person_creates_followup(evening):
    anna = person("Anna", "Rossi")
    events.attend(evening.id, anna, met_in_person=True)
    (item,) = rule_followups("met", anna)
    assert item.due == evening.starts_at.date() + 3 * DAY
    assert item.event_id == evening.id
    assert item.kind == "call"
    assert item.title == "Follow up with Anna Rossi after Chamber evening"
    assert item.done_at is None


def test_met_followup_respects_setting(evening):
    settings.set_value("followup_met_days", 10)
    anna = person("Anna")
    events.attend(evening.id, anna, met_in_person=True)
    assert [f.due for f in rule_followups("met", anna)] == [evening.starts_at.date() + 10 * DAY]
    settings.set_value("followup_met_days", 0)
    bob = person("Bob")
    events.attend(evening.id, bob, met_in_person=True)
    assert [f.due for f in rule_followups("met", bob)] == [evening.starts_at.date()]


def test_set_met(evening, unchanged):
    anna, bob = person("Anna"), person("Bob")
    events.attend(evening.id, anna)
    events.set_met(evening.id, anna)
    assert models.Attendance.get(models.Attendance.contact == anna).met_in_person is True
    assert len(rule_followups("met", anna)) == 1
    events.set_met(evening.id, anna)  # again: still one follow-up
    assert len(rule_followups("met", anna)) == 1
    events.set_met(evening.id, anna, met=False)
    assert models.Attendance.get(models.Attendance.contact == anna).met_in_person is False
    lines = [i.summary for i in interactions.history(anna) if i.kind == "event_attended"]
    assert lines[:2] == [
        f"Not met in person at {evening.title}",
        f"Met in person at {evening.title}",
    ]
    with refused(
        unchanged, f"Contact {bob} is not on the list of event {evening.id}", error=NotFoundError
    ):
        events.set_met(evening.id, bob)


def test_followups_for_everyone_met_counts_and_is_idempotent(evening):
    anna, bob, cara, dan = person("Anna"), person("Bob"), person("Cara"), person("Dan")
    events.attend(evening.id, anna, met_in_person=True)  # has its follow-up already
    events.attend(evening.id, bob)
    events.attend(evening.id, cara)
    events.attend(evening.id, dan)
    # Marked as met without the rule running (as an import would).
    models.Attendance.update(met_in_person=True).where(
        models.Attendance.contact.in_([bob, cara])
    ).execute()
    assert events.followups_for_everyone_met(evening.id) == 2
    assert {f.contact_id for f in rule_followups("met")} == {anna, bob, cara}
    assert events.followups_for_everyone_met(evening.id) == 0
    assert len(rule_followups("met")) == 3
    # A done follow-up is not made again.
    followups.mark_done(rule_followups("met", bob)[0].id)
    assert events.followups_for_everyone_met(evening.id) == 0


def test_followups_for_everyone_met_missing_event(store, unchanged):
    with refused(unchanged, "No event with id 42", error=NotFoundError):
        events.followups_for_everyone_met(42)


def test_met_followups_are_per_event(store):
    anna = person("Anna")
    first = events.create_event("First", TODAY - 9 * DAY)
    second = events.create_event("Second", TODAY - 2 * DAY)
    events.attend(first.id, anna, met_in_person=True)
    events.attend(second.id, anna, met_in_person=True)
    assert [f.event_id for f in rule_followups("met", anna)] == [first.id, second.id]


# -- follow-ups ----------------------------------------------------------------------------


def test_create_followup(store, unchanged):
    anna = person("Anna", "Rossi")
    item = followups.create_followup(anna, TODAY + 3 * DAY, kind="thank_you", notes="Flowers")
    stored = models.FollowUp.get_by_id(item.id)
    assert (stored.contact_id, stored.due, stored.kind, stored.rule) == (
        anna,
        TODAY + 3 * DAY,
        "thank_you",
        "",
    )
    assert stored.title == "Thank you: Anna Rossi"
    assert stored.notes == "Flowers"
    titled = followups.create_followup(anna, TODAY, title="  Send the brochure ")
    assert titled.title == "Send the brochure"
    with refused(unchanged, "Kind must be one of call, email", "not 'fax'", field="kind"):
        followups.create_followup(anna, TODAY, kind="fax")
    with refused(unchanged, "No contact with id 404", error=NotFoundError):
        followups.create_followup(404, TODAY)


def test_mark_done_and_twice_refused(store, unchanged):
    anna = person("Anna")
    item = followups.create_followup(anna, TODAY, title="Call about the offer")
    followups.mark_done(item.id)
    stored = models.FollowUp.get_by_id(item.id)
    assert stored.done_at is not None
    assert stored.done_at <= models.now()
    line = interactions.history(anna)[0]
    assert (line.kind, line.summary) == ("followup_done", "Call about the offer")
    with refused(
        unchanged, f"Follow-up {item.id} was already done on {stored.done_at.date().isoformat()}"
    ):
        followups.mark_done(item.id)
    with refused(unchanged, "No follow-up with id 999", error=NotFoundError):
        followups.mark_done(999)


def test_snooze(store, unchanged):
    anna = person("Anna")
    item = followups.create_followup(anna, TODAY - DAY)
    for day in (TODAY, TODAY - 5 * DAY):
        with refused(
            unchanged, f"Snooze until a later day than today, not {day.isoformat()}", field="until"
        ):
            followups.snooze(item.id, day)
    followups.snooze(item.id, TODAY + 4 * DAY)
    stored = models.FollowUp.get_by_id(item.id)
    assert stored.snoozed_until == TODAY + 4 * DAY
    assert stored.due == TODAY - DAY  # the original due day is kept
    (row,) = followups.open_followups()
    assert row["due"] == (TODAY + 4 * DAY).isoformat()
    assert row["snoozed"] is True
    assert row["overdue"] is False
    assert followups.open_followups(due_by=TODAY) == []
    followups.mark_done(item.id)
    with refused(unchanged, f"Follow-up {item.id} is already done"):
        followups.snooze(item.id, TODAY + 9 * DAY)


def test_reschedule(store, unchanged):
    anna = person("Anna")
    item = followups.create_followup(anna, TODAY)
    followups.snooze(item.id, TODAY + 2 * DAY)
    followups.reschedule(item.id, TODAY + 10 * DAY)
    stored = models.FollowUp.get_by_id(item.id)
    assert (stored.due, stored.snoozed_until) == (TODAY + 10 * DAY, None)
    assert followups.effective_due(stored) == TODAY + 10 * DAY
    followups.mark_done(item.id)
    with refused(unchanged, f"Follow-up {item.id} is already done"):
        followups.reschedule(item.id, TODAY)


def test_open_followups_order_filter_and_overdue(store):
    anna, bob = person("Anna", "Rossi"), person("Bob")
    later = followups.create_followup(anna, TODAY + 5 * DAY)
    overdue = followups.create_followup(bob, TODAY - 3 * DAY, kind="email")
    today_b = followups.create_followup(bob, TODAY)
    today_a = followups.create_followup(anna, TODAY)
    snoozed = followups.create_followup(anna, TODAY - 10 * DAY)
    followups.snooze(snoozed.id, TODAY + 2 * DAY)
    done = followups.create_followup(anna, TODAY - DAY)
    followups.mark_done(done.id)

    rows = followups.open_followups()
    assert [r["id"] for r in rows] == [overdue.id, today_b.id, today_a.id, snoozed.id, later.id]
    assert [r["overdue"] for r in rows] == [True, False, False, False, False]
    first = rows[0]
    assert first["contact_id"] == bob
    assert first["contact"] == "Bob"
    assert first["kind"] == "email"
    assert first["due"] == (TODAY - 3 * DAY).isoformat()
    assert first["snoozed"] is False
    assert rows[2]["contact"] == "Anna Rossi"

    assert [r["id"] for r in followups.open_followups(due_by=TODAY)] == [
        overdue.id,
        today_b.id,
        today_a.id,
    ]
    assert [r["id"] for r in followups.open_followups(due_by=TODAY - 4 * DAY)] == []
    assert [r["id"] for r in followups.open_followups(contact_id=anna)] == [
        today_a.id,
        snoozed.id,
        later.id,
    ]
    assert [r["id"] for r in followups.open_followups(limit=2)] == [overdue.id, today_b.id]


def test_open_followups_skip_archived_contacts(store):
    anna, bob = person("Anna"), person("Bob")
    followups.create_followup(anna, TODAY)
    kept = followups.create_followup(bob, TODAY)
    contacts.set_archived(anna, True)
    assert [r["id"] for r in followups.open_followups()] == [kept.id]
    assert followups.due_counts() == (1, 0)


def test_due_counts(store):
    anna = person("Anna")
    followups.create_followup(anna, TODAY)
    followups.create_followup(anna, TODAY)
    followups.create_followup(anna, TODAY - DAY)
    followups.create_followup(anna, TODAY - 30 * DAY)
    followups.create_followup(anna, TODAY + DAY)
    done = followups.create_followup(anna, TODAY - DAY)
    followups.mark_done(done.id)
    snoozed = followups.create_followup(anna, TODAY - 2 * DAY)
    followups.snooze(snoozed.id, TODAY + DAY)
    assert followups.due_counts() == (2, 2)
    assert followups.due_counts(TODAY + DAY) == (2, 4)
    assert followups.due_counts(TODAY - 60 * DAY) == (0, 0)


# -- the birthday rule ---------------------------------------------------------------------

NON_LEAP_DAY = dt.date(2025, 2, 20)


@pytest.fixture
def birthdays(store):
    return {
        "today": person("Tina", birthday="1970-02-20"),
        "soon": person("Sara", "Smith", birthday="1980-02-25"),
        "edge": person("Eddy", birthday="--03-06"),  # today + 14: still inside
        "outside": person("Otto", birthday="1990-03-07"),  # today + 15
        "leap": person("Leo", birthday="1992-02-29"),
        "past": person("Paul", birthday="1960-02-19"),  # yesterday
        "none": person("Nora"),
        "archived": person("Arch", birthday="1985-02-21"),
    }


def test_birthdays_within_window_get_one_followup_each(birthdays):
    contacts.set_archived(birthdays["archived"], True)
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY) == 4
    items = rule_followups("birthday")
    assert {f.contact_id: f.due for f in items} == {
        birthdays["today"]: dt.date(2025, 2, 20),
        birthdays["soon"]: dt.date(2025, 2, 25),
        birthdays["leap"]: dt.date(2025, 2, 28),  # 29 Feb is kept on 28 Feb in 2025
        birthdays["edge"]: dt.date(2025, 3, 6),
    }
    soon = next(f for f in items if f.contact_id == birthdays["soon"])
    assert (soon.kind, soon.title) == ("birthday", "Birthday: Sara Smith")
    # Running again creates nothing more.
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY) == 0
    assert len(rule_followups("birthday")) == 4
    # A day later the window reaches Otto's birthday, and only his is new.
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY + DAY) == 1
    assert rule_followups("birthday")[-1].contact_id == birthdays["outside"]


def test_birthday_rule_window_setting(birthdays):
    settings.set_value("birthday_window_days", 0)
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY) == 1
    assert [f.contact_id for f in rule_followups("birthday")] == [birthdays["today"]]
    settings.set_value("birthday_window_days", 15)
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY) == 5  # the rest, Otto included
    assert birthdays["outside"] in {f.contact_id for f in rule_followups("birthday")}


def test_leap_day_birthday_on_28_february_in_a_non_leap_year(store):
    leo = person("Leo", birthday="1992-02-29")
    mia = person("Mia", birthday="--02-28")
    settings.set_value("birthday_window_days", 0)
    assert followups.apply_birthday_rule(today=dt.date(2025, 2, 28)) == 2
    assert [(f.contact_id, f.due) for f in rule_followups("birthday", leo)] == [
        (leo, dt.date(2025, 2, 28))
    ]
    assert followups.apply_birthday_rule(today=dt.date(2025, 3, 1)) == 0
    assert followups.apply_birthday_rule(today=dt.date(2025, 2, 27)) == 0
    assert len(rule_followups("birthday", mia)) == 1


def test_leap_day_birthday_on_29_february_in_a_leap_year(store):
    leo = person("Leo", birthday="--02-29")
    assert followups.apply_birthday_rule(today=dt.date(2028, 2, 20)) == 1
    assert [f.due for f in rule_followups("birthday", leo)] == [dt.date(2028, 2, 29)]
    settings.set_value("birthday_window_days", 0)
    assert followups.apply_birthday_rule(today=dt.date(2028, 2, 28)) == 0


def test_birthday_window_crosses_the_new_year(store):
    ana = person("Ana", birthday="--01-03")
    ben = person("Ben", birthday="1999-12-31")
    assert followups.apply_birthday_rule(today=dt.date(2025, 12, 25)) == 2
    assert {f.contact_id: f.due for f in rule_followups("birthday")} == {
        ana: dt.date(2026, 1, 3),
        ben: dt.date(2025, 12, 31),
    }


def test_birthday_next_year_is_a_new_followup(store):
    tina = person("Tina", birthday="1970-02-20")
    assert followups.apply_birthday_rule(today=dt.date(2025, 2, 20)) == 1
    assert followups.apply_birthday_rule(today=dt.date(2026, 2, 20)) == 1
    assert [f.due for f in rule_followups("birthday", tina)] == [
        dt.date(2025, 2, 20),
        dt.date(2026, 2, 20),
    ]


def test_birthday_rule_with_no_birthdays(store):
    person("Nora")
    assert followups.apply_birthday_rule(today=NON_LEAP_DAY) == 0
    assert rule_followups("birthday") == []


# -- settings ---------------------------------------------------------------------------------


def test_settings_defaults_and_set_value(store):
    assert settings.get("followup_new_referral_days") == 2
    assert settings.get("followup_met_days") == 3
    assert settings.get("birthday_window_days") == 14
    settings.set_value("followup_met_days", "7")
    assert settings.get("followup_met_days") == 7
    settings.set_value("followup_met_days", 0)
    assert settings.get("followup_met_days") == 0
    # The reward policy's keys are tested with the rewards, the mail server's with e-mail.
    assert {
        k: v for k, v in settings.all_settings().items() if not k.startswith(("reward_", "smtp."))
    } == {
        "referral_cooldown_days": 90,
        "followup_new_referral_days": 2,
        "followup_met_days": 0,
        "birthday_window_days": 14,
        "backup_keep": 10,
        "backup_dir": "",
        "briefing_language": "",
    }


def test_setting_unknown_key_refused(store, unchanged):
    with refused(unchanged, "Unknown setting 'colour'", "followup_met_days"):
        settings.set_value("colour", 3)
    with refused(unchanged, "Unknown setting 'colour'"):
        settings.get("colour")


@pytest.mark.parametrize("bad", ["abc", "", "3.5", None, [3]])
def test_setting_not_a_number_refused(store, unchanged, bad):
    with refused(
        unchanged, "Setting 'followup_met_days' must be a whole number", field="followup_met_days"
    ):
        settings.set_value("followup_met_days", bad)


@pytest.mark.parametrize("bad", [3.5, True, float("inf"), float("nan")])
def test_setting_fraction_or_boolean_refused(store, unchanged, bad):
    with refused(unchanged, "must be a whole number", field="followup_met_days"):
        settings.set_value("followup_met_days", bad)


@pytest.mark.parametrize(
    ("key", "bad", "says"),
    [
        ("followup_new_referral_days", -1, "between 0 and 365, not -1"),
        ("followup_new_referral_days", 366, "between 0 and 365, not 366"),
        ("birthday_window_days", 367, "between 0 and 366, not 367"),
        ("backup_keep", 0, "between 1 and 1000, not 0"),
        ("referral_cooldown_days", "9999", "between 0 and 3650, not 9999"),
    ],
)
def test_setting_out_of_range_refused(store, unchanged, key, bad, says):
    settings.set_value(key, settings.get(key))  # a stored row, so a change would show
    with refused(unchanged, f"Setting '{key}' must be {says}", field=key):
        settings.set_value(key, bad)


def test_user_followups_leave_history_lines(store):
    anna = person("Anna")
    item = followups.create_followup(
        anna, clock.today() + dt.timedelta(days=3), kind="email", title="Send the proposal"
    )
    followups.snooze(item.id, clock.today() + dt.timedelta(days=5))
    followups.reschedule(item.id, clock.today() + dt.timedelta(days=9))
    summaries = [(i.kind, i.summary) for i in interactions.history(anna)][:3]
    later = (clock.today() + dt.timedelta(days=9)).isoformat()
    assert summaries[0] == ("followup_moved", f"Send the proposal: rescheduled to {later}")
    assert summaries[1][0] == "followup_moved" and "snoozed until" in summaries[1][1]
    assert summaries[2][0] == "followup_added"


def test_an_event_time_with_a_zone_is_stored_as_local_time(store):
    aware = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)
    event = events.create_event("Breakfast", aware)
    assert event.starts_at == aware.astimezone().replace(tzinfo=None)
    assert models.Event.get_by_id(event.id).starts_at.tzinfo is None


def test_record_met_returns_the_followup_it_made(evening):
    anna = person("Anna")
    events.attend(evening.id, anna)
    made = events.record_met(evening.id, anna)
    assert made is not None and [f.id for f in rule_followups("met", anna)] == [made.id]
    assert events.record_met(evening.id, anna) is None  # ticked again: nothing new
    assert events.record_met(evening.id, anna, met=False) is None
    assert events.record_met(evening.id, anna) is None  # met again: the follow-up is there
