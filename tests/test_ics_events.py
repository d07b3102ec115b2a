"""Follow-ups exported as calendar events with alarms (``crm export ics --as-events``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from clitools import make_crm
from icalendar import Calendar

from crm.core import clock, contacts, followups, models
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError
from crm.interchange import ics

TODAY = clock.today()


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def calendar_of(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def by_uid(cal: Calendar, name: str = "VEVENT") -> dict[str, object]:
    return {str(c["UID"]): c for c in cal.walk(name)}


@pytest.fixture
def planned(store) -> dict[str, int]:
    """Two open follow-ups (one snoozed), one done yesterday."""
    maria = person("Maria", "Rossi", emails=["maria@example.com"])
    anna = person("Anna", "Bianchi")
    call = followups.create_followup(maria, dt.date(2026, 12, 14), kind="call", title="Call Maria")
    later = followups.create_followup(anna, dt.date(2026, 12, 8), title="Send the brochure")
    followups.snooze(later.id, dt.date(2026, 12, 20))
    done = followups.create_followup(anna, dt.date(2026, 12, 1), title="Thank Anna")
    followups.mark_done(done.id)
    return {"call": call.id, "later": later.id, "done": done.id}


def test_follow_ups_become_all_day_events_with_a_display_alarm(planned, tmp_path):
    out = tmp_path / "x.ics"
    assert ics.export_ics(out, as_events=True, alarm=ics.parse_alarm("1h")) == 3
    cal = calendar_of(out)
    assert cal.walk("VTODO") == []
    events = by_uid(cal)
    assert sorted(events) == sorted(f"followup-event-{fid}@passaparola" for fid in planned.values())

    call = events[f"followup-event-{planned['call']}@passaparola"]
    assert str(call["SUMMARY"]) == "Call Maria — Maria Rossi"
    assert call.decoded("DTSTART") == dt.date(2026, 12, 14)  # a date: all day
    assert call.decoded("DTEND") == dt.date(2026, 12, 15)
    assert str(call["TRANSP"]) == "TRANSPARENT"
    assert str(call["URL"]) == "mailto:maria@example.com"
    [alarm] = call.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=1)
    assert str(alarm["DESCRIPTION"]) == "Call Maria — Maria Rossi"
    assert b"TRIGGER:-PT1H\r\n" in out.read_bytes()

    # A snoozed follow-up is on its new day; a done one stays, says so, and rings no more.
    later = events[f"followup-event-{planned['later']}@passaparola"]
    assert later.decoded("DTSTART") == dt.date(2026, 12, 20)
    done = events[f"followup-event-{planned['done']}@passaparola"]
    assert str(done["DESCRIPTION"]).startswith(f"Done on {TODAY.isoformat()}\n")
    assert done.walk("VALARM") == []


def test_without_an_alarm_the_events_have_none(planned, tmp_path):
    out = tmp_path / "x.ics"
    ics.export_ics(out, as_events=True)
    assert [e.walk("VALARM") for e in calendar_of(out).walk("VEVENT")] == [[], [], []]


def test_uids_are_the_same_in_every_export(planned, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    ics.export_ics(first, as_events=True, alarm=ics.parse_alarm("30m"))
    followups.create_followup(person("Eva", "Klein"), dt.date(2026, 12, 9), title="New one")
    ics.export_ics(second, as_events=True, alarm=ics.parse_alarm("30m"))
    before, after = set(by_uid(calendar_of(first))), set(by_uid(calendar_of(second)))
    assert before < after and len(after - before) == 1


def test_the_default_export_still_writes_to_dos(planned, tmp_path):
    out = tmp_path / "x.ics"
    ics.export_ics(out)
    cal = calendar_of(out)
    assert cal.walk("VEVENT") == [] and len(cal.walk("VTODO")) == 3
    assert b"VALARM" not in out.read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        ("Smith, Jones & Co", "O'Neil; Ltd"),
        ("Μαρία", "Παπαδοπούλου"),
        ("فاطمة", "الزهراء"),
        ("Line\nbreak", "Back\\slash"),
    ],
)
def test_names_with_commas_semicolons_newlines_and_other_scripts_survive(store, tmp_path, name):
    given, family = name
    contact_id = person(given, family)
    item = followups.create_followup(contact_id, TODAY, title=f"Call {given}, then write; again")
    title = item.title  # as stored: input cleaning makes a line break in a title a space
    stored = models.Contact.get_by_id(contact_id)
    out = tmp_path / "x.ics"
    ics.export_ics(out, as_events=True, alarm=ics.parse_alarm("1d"))
    data = out.read_bytes()
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # folded, never a raw line break
    [event] = calendar_of(out).walk("VEVENT")
    expected = f"{title} — {stored.display_name}" if stored.display_name not in title else title
    assert str(event["SUMMARY"]) == expected
    [alarm] = event.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == expected
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("typed", "ahead"),
    [
        ("1h", dt.timedelta(hours=1)),
        ("30m", dt.timedelta(minutes=30)),
        ("1d", dt.timedelta(days=1)),
        ("1H30M", dt.timedelta(hours=1, minutes=30)),
        (" 2w ", dt.timedelta(weeks=2)),
    ],
)
def test_alarms_as_typed(typed, ahead):
    assert ics.parse_alarm(typed) == ahead


@pytest.mark.parametrize("typed", ["", "1", "h", "1x", "-1h", "1.5h", "0m", "5w", "99999999d"])
def test_a_bad_alarm_is_refused(typed):
    with pytest.raises(ValidationError) as caught:
        ics.parse_alarm(typed)
    assert caught.value.field == "alarm"
    assert f"Alarm '{typed}'" in caught.value.message


# -- the command ------------------------------------------------------------------------


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def test_the_command_writes_events_with_alarms(crm, tmp_path):
    maria = json.loads(crm.ok("contacts", "add", "--given", "Maria", "--family", "Rossi"))["id"]
    anna = json.loads(crm.ok("contacts", "add", "--given", "Anna", "--family", "Neri"))["id"]
    crm.ok("refer", str(anna), str(maria))  # its rule plans a follow-up
    out = tmp_path / "cal.ics"
    printed = crm.ok("export", "ics", str(out), "--as-events", "--alarm", "1h")
    assert printed == f"Wrote 1 follow-up or event to {out}\n"
    [event] = calendar_of(out).walk("VEVENT")
    assert event.decoded("DTSTART") == TODAY + dt.timedelta(days=2)
    assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [-dt.timedelta(hours=1)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ics", "--as-events", "--alarm", "soon"], "error: Alarm 'soon' is not a time"),
        (["ics", "--alarm", "1h"], "error: --alarm goes with --as-events"),
        (["csv", "--as-events"], "error: --as-events and --alarm go with an ics export"),
    ],
)
def test_the_command_refuses_a_bad_alarm_and_writes_nothing(crm, tmp_path, argv, message):
    out = tmp_path / "cal.ics"
    code, printed, err = crm("export", argv[0], str(out), *argv[1:])
    assert (code, printed) == (2, "")
    assert err.startswith(message), err
    assert not out.exists()
