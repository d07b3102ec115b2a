"""Asking for referrals (the cooldown), the event briefing, the events page's core functions."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from crm.core import (
    asking,
    briefing,
    clock,
    contacts,
    events,
    followups,
    interactions,
    models,
    referrals,
    settings,
)
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError

TODAY = dt.date(2026, 11, 23)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today() -> None:
    """The app's clock agrees with TODAY, so history written now is not in the future."""
    clock.set_now(TODAY)


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def asked_on(contact_id: int, day: dt.date) -> None:
    asking.record_ask(contact_id, today=day, force=True)


def ask_lines(contact_id: int) -> list[models.Interaction]:
    i = models.Interaction
    query = i.select().where((i.contact == contact_id) & (i.kind == "referral_asked"))
    return list(query.order_by(i.id))


# -- asking for referrals -------------------------------------------------------------


def test_never_asked_is_ok(store):
    maria = person("Maria", "Rossi")
    status = asking.ask_status(maria, today=TODAY)
    assert status == asking.AskStatus(True, None, None, 90)
    assert status.ok_from is None


def test_ask_inside_the_cooldown_is_refused_with_the_dates(store, unchanged):
    maria = person("Maria", "Rossi")
    asking.record_ask(maria, today=dt.date(2026, 10, 2))
    with unchanged(), pytest.raises(ValidationError) as info:
        asking.record_ask(maria, today=TODAY)
    assert info.value.message == (
        "Maria Rossi was asked for referrals on 2026-10-02 (52 days ago); the cooldown is "
        "90 days, so wait until 2026-12-31 or force it"
    )
    status = asking.ask_status(maria, today=TODAY)
    assert (status.ok, status.last_asked, status.days_since) == (False, dt.date(2026, 10, 2), 52)
    assert status.ok_from == dt.date(2026, 12, 31)


def test_ask_twice_the_same_day_says_today(store, unchanged):
    maria = person("Μαρία", "Παπαδοπούλου")
    asking.record_ask(maria, today=TODAY)
    with unchanged(), pytest.raises(ValidationError, match=r"on 2026-11-23 \(today\)"):
        asking.record_ask(maria, today=TODAY)


def test_forced_ask_inside_the_cooldown_is_recorded(store):
    maria = person("Maria", "Rossi")
    asking.record_ask(maria, today=dt.date(2026, 10, 2))
    status = asking.record_ask(maria, today=TODAY, force=True)
    assert (status.ok, status.last_asked, status.days_since) == (False, TODAY, 0)
    assert models.Contact.get_by_id(maria).last_asked_for_referral == TODAY
    lines = ask_lines(maria)
    assert [line.summary for line in lines] == [
        "Asked for referrals",
        "Asked for referrals (inside the 90-day cooldown)",
    ]
    assert lines[-1].happened_at.date() == TODAY


def test_ask_is_fine_again_once_the_cooldown_is_over(store):
    maria = person("Maria", "Rossi")
    asked_on(maria, TODAY - 90 * DAY)
    assert asking.ask_status(maria, today=TODAY - DAY).ok is False
    assert asking.ask_status(maria, today=TODAY).ok is True
    status = asking.record_ask(maria, today=TODAY)
    assert status.last_asked == TODAY
    assert len(ask_lines(maria)) == 2


def test_cooldown_setting_is_respected(store, unchanged):
    maria = person("Maria", "Rossi")
    asked_on(maria, TODAY - 40 * DAY)
    assert asking.ask_status(maria, today=TODAY).ok is False
    settings.set_value("referral_cooldown_days", 30)
    status = asking.ask_status(maria, today=TODAY)
    assert (status.ok, status.cooldown_days, status.days_since) == (True, 30, 40)
    settings.set_value("referral_cooldown_days", 60)
    with unchanged(), pytest.raises(ValidationError, match="the cooldown is 60 days"):
        asking.record_ask(maria, today=TODAY)
    settings.set_value("referral_cooldown_days", 0)
    asking.record_ask(maria, today=TODAY)
    assert asking.ask_status(maria, today=TODAY).ok is True  # no cooldown at all


def test_ask_logs_an_interaction_with_the_note(store):
    maria = person("Maria", "Rossi")
    asking.record_ask(maria, note="  at the chamber breakfast ")
    [line] = ask_lines(maria)
    assert line.summary == "Asked for referrals: at the chamber breakfast"
    assert line.happened_at.date() == TODAY
    assert interactions.history(maria)[0].kind == "referral_asked"


def test_ask_for_a_missing_contact_is_refused(store, unchanged):
    with unchanged(), pytest.raises(NotFoundError, match="No contact with id 999"):
        asking.record_ask(999)
    with pytest.raises(NotFoundError):
        asking.ask_status(999)


def test_ask_statuses_of_many_contacts_in_one_query(store):
    ids = [person(f"P{i}") for i in range(30)]
    asked_on(ids[0], TODAY - 10 * DAY)
    asked_on(ids[1], TODAY - 100 * DAY)
    with count_queries() as counted:
        found = asking.ask_statuses([*ids, 9999], today=TODAY, cooldown=90)
    assert counted.count == 1
    assert set(found) == set(ids)
    assert (found[ids[0]].ok, found[ids[0]].days_since) == (False, 10)
    assert (found[ids[1]].ok, found[ids[1]].days_since) == (True, 100)
    assert all(found[i].ok and found[i].last_asked is None for i in ids[2:])
    assert asking.ask_statuses([]) == {}


# -- the briefing -------------------------------------------------------------------


@pytest.fixture
def breakfast(store):
    """A networking breakfast in three days, with a referral chain and history around it.

    Root → Anna → Boris → Chiara → Dimitris (primary referrals); Chiara, Dimitris,
    Maria and Ελένη attend.
    """
    p = {
        "root": person("Rita", "Root"),
        "anna": person("Anna", "Alpha"),
        "boris": person("Борис", "Иванов"),
        "chiara": person("Chiara", "Conti", organization="Conti & Figli"),
        "dimitris": person("Dimitris", "Dimas", organization="Δήμας Α.Ε."),
        "maria": person("Maria", "Rossi"),
        "eleni": person("Ελένη", "Νικολάου"),
        "x": person("Xavier", "Xu"),
        "y": person("Yara", "Young"),
        "z": person("Zoe", "Zhang"),
    }
    long_ago = TODAY - 300 * DAY
    referrals.record_referral(p["root"], p["anna"], referred_on=long_ago, status="contacted")
    referrals.record_referral(p["anna"], p["boris"], referred_on=long_ago, status="contacted")
    referrals.record_referral(p["boris"], p["chiara"], referred_on=long_ago, status="contacted")
    referrals.record_referral(
        p["chiara"], p["dimitris"], referred_on=long_ago, status="won", value="800"
    )
    referrals.record_referral(
        p["dimitris"], p["x"], referred_on=TODAY - 60 * DAY, status="won", value="1200"
    )
    referrals.record_referral(
        p["dimitris"],
        p["y"],
        referred_on=TODAY - 30 * DAY,
        status="won",
        value=300,
        currency="GBP",
    )
    referrals.record_referral(p["dimitris"], p["z"], referred_on=TODAY - 10 * DAY)
    referrals.record_referral(p["dimitris"], p["maria"], referred_on=TODAY - 5 * DAY, status="lost")
    event = events.create_event(
        "Chamber breakfast",
        TODAY + 3 * DAY,
        kind="chamber_of_commerce",
        venue="Hotel Roma",
        city="Bologna",
    )
    for key in ("chiara", "dimitris", "maria", "eleni"):
        events.attend(event.id, p[key], role="member" if key == "chiara" else "visitor")
    followups.create_followup(p["dimitris"], TODAY - 2 * DAY, kind="call", title="Call about X")
    followups.create_followup(p["dimitris"], TODAY + 7 * DAY, kind="email", title="Send deck")
    done = followups.create_followup(p["dimitris"], TODAY - 9 * DAY, title="Old one")
    followups.mark_done(done.id)
    asked_on(p["maria"], TODAY - 12 * DAY)
    asked_on(p["chiara"], TODAY - 200 * DAY)
    interactions.add_note(p["dimitris"], "call", "Talked about the <b>fair</b>")
    # Bookkeeping after the call is not "the last interaction".
    contacts.update_contact(p["dimitris"], title="CEO")
    p["event"] = event.id
    return p


def test_briefing_event_header_and_counts(breakfast):
    b = briefing.event_briefing(breakfast["event"], today=TODAY)
    assert b["event"] == {
        "id": breakfast["event"],
        "title": "Chamber breakfast",
        "kind": "chamber_of_commerce",
        "starts_at": f"{(TODAY + 3 * DAY).isoformat()} 18:00:00",
        "date": (TODAY + 3 * DAY).isoformat(),
        "venue": "Hotel Roma",
        "city": "Bologna",
        "organizer": "",
        "notes": "",
        "upcoming": True,
    }
    assert b["cooldown_days"] == 90
    assert b["counts"] == {
        "attendees": 4,
        "met": 0,
        "ok_to_ask": 3,
        "referred": 3,
        "with_followups": 1,
        "open_followups": 2,
        "referrals_given": 5,
        "won_value": {"EUR": 2000.0, "GBP": 300.0},
    }
    # By family name: Conti, Dimas, Rossi, Νικολάου.
    assert [a["name"] for a in b["attendees"]] == [
        "Chiara Conti",
        "Dimitris Dimas",
        "Maria Rossi",
        "Ελένη Νικολάου",
    ]


def test_briefing_referrer_chain_three_levels(breakfast):
    people = {a["name"]: a for a in briefing.event_briefing(breakfast["event"])["attendees"]}
    dimitris, chiara = people["Dimitris Dimas"], people["Chiara Conti"]
    assert [(r["name"], r["depth"], r["here"]) for r in dimitris["referred_by"]] == [
        ("Chiara Conti", 1, True),
        ("Борис Иванов", 2, False),
        ("Anna Alpha", 3, False),
    ]
    assert dimitris["referred_by_more"] is True  # Rita Root is a fourth level up
    assert [r["name"] for r in chiara["referred_by"]] == ["Борис Иванов", "Anna Alpha", "Rita Root"]
    assert chiara["referred_by_more"] is False
    assert [r["name"] for r in people["Maria Rossi"]["referred_by"]] == [
        "Dimitris Dimas",
        "Chiara Conti",
        "Борис Иванов",
    ]
    assert people["Ελένη Νικολάου"]["referred_by"] == []


def test_briefing_referrals_given_and_received_with_values(breakfast):
    people = {a["name"]: a for a in briefing.event_briefing(breakfast["event"])["attendees"]}
    given = people["Dimitris Dimas"]["given"]
    assert {k: given[k] for k in ("count", "open", "won_count", "lost_count", "won_value")} == {
        "count": 4,
        "open": 1,
        "won_count": 2,
        "lost_count": 1,
        "won_value": {"EUR": 1200.0, "GBP": 300.0},
    }
    assert given["by_status"] == {"won": 2, "new": 1, "lost": 1}
    # The latest three, newest first; Maria is at the breakfast too.
    assert [(r["name"], r["status"], r["value"], r["here"]) for r in given["latest"]] == [
        ("Maria Rossi", "lost", None, True),
        ("Zoe Zhang", "new", None, False),
        ("Yara Young", "won", 300.0, False),
    ]
    received = people["Dimitris Dimas"]["received"]
    assert (received["count"], received["won_count"], received["won_value"]) == (
        1,
        1,
        {"EUR": 800.0},
    )
    assert received["latest"][0]["name"] == "Chiara Conti"
    assert people["Ελένη Νικολάου"]["given"]["count"] == 0
    assert people["Ελένη Νικολάου"]["given"]["latest"] == []


def test_briefing_followups_last_interaction_and_ask(breakfast):
    people = {
        a["name"]: a for a in briefing.event_briefing(breakfast["event"], today=TODAY)["attendees"]
    }
    dimitris = people["Dimitris Dimas"]
    assert dimitris["open_followups"] == 2
    assert [(f["title"], f["overdue"]) for f in dimitris["followups"]] == [
        ("Call about X", True),
        ("Send deck", False),
    ]
    last = dimitris["last_interaction"]
    assert (last["kind"], last["summary"]) == ("call", "Talked about the <b>fair</b>")
    assert last["date"] == TODAY.isoformat()
    # Maria's lost referral left her no open follow-up; the "new" one for Zoe is Zoe's.
    assert people["Maria Rossi"]["open_followups"] == 0
    # The attendance lines are dated on the (future) event: not yet "last".
    assert people["Ελένη Νικολάου"]["last_interaction"] is None

    maria = people["Maria Rossi"]["ask"]
    assert (maria["ok"], maria["days_since"], maria["last_asked"]) == (
        False,
        12,
        (TODAY - 12 * DAY).isoformat(),
    )
    assert maria["ok_from"] == (TODAY + 78 * DAY).isoformat()
    chiara = people["Chiara Conti"]["ask"]
    assert (chiara["ok"], chiara["days_since"]) == (True, 200)
    assert people["Dimitris Dimas"]["ask"]["ok"] is True
    assert people["Chiara Conti"]["role"] == "member"
    assert people["Dimitris Dimas"]["organization"] == "Δήμας Α.Ε."
    assert people["Dimitris Dimas"]["title"] == "CEO"


def test_briefing_of_an_empty_or_missing_event(store, unchanged):
    event = events.create_event("Quiet evening", TODAY)
    b = briefing.event_briefing(event.id, today=TODAY)
    assert b["attendees"] == []
    assert b["counts"]["attendees"] == 0 and b["counts"]["won_value"] == {}
    with unchanged(), pytest.raises(NotFoundError, match="No event with id 404"):
        briefing.event_briefing(404)


def _crowd(size: int) -> int:
    """An event with ``size`` attendees, each with a referrer chain, referrals and history."""
    event = events.create_event(f"Mixer {size}", TODAY)
    root = person("Root", f"of {size}")
    previous = root
    for i in range(size):
        cid = person(f"Guest{i}", f"Crowd{size}")
        referrals.record_referral(previous, cid, status="won", value=100 + i)
        followups.create_followup(cid, TODAY + DAY)
        interactions.add_note(cid, "note", f"Note {i}")
        if i % 3 == 0:
            asked_on(cid, TODAY - DAY)
        events.attend(event.id, cid, met_in_person=i % 2 == 0)
        previous = cid
    return event.id


def test_briefing_query_count_does_not_grow_with_attendees(store):
    small, large = _crowd(5), _crowd(50)
    with count_queries() as few:
        five = briefing.event_briefing(small, today=TODAY)
    with count_queries() as many:
        fifty = briefing.event_briefing(large, today=TODAY)
    assert len(five["attendees"]) == 5 and len(fifty["attendees"]) == 50
    assert few.count == many.count == 8
    # Each guest referred the next: chains of three with more above, values summed per person.
    last = next(a for a in fifty["attendees"] if a["name"] == "Guest49 Crowd50")
    assert [r["name"] for r in last["referred_by"]] == [
        "Guest48 Crowd50",
        "Guest47 Crowd50",
        "Guest46 Crowd50",
    ]
    assert last["referred_by_more"] and all(r["here"] for r in last["referred_by"])
    assert last["received"]["won_value"] == {"EUR": 149.0}
    assert fifty["counts"]["met"] == 25 and fifty["counts"]["ok_to_ask"] == 33


# -- event functions the events page uses ---------------------------------------------------


def test_update_event(store, unchanged):
    event = events.create_event("Chamber evening", "2026-12-01 18:30", city="Sofia")
    events.update_event(
        event.id,
        title="  Chamber   gala ",
        kind="conference",
        starts_at="2026-12-02 19:00",
        venue=" Hotel Balkan ",
        notes="Black tie",
    )
    stored = models.Event.get_by_id(event.id)
    assert (
        stored.title,
        stored.kind,
        stored.starts_at,
        stored.venue,
        stored.city,
        stored.notes,
    ) == (
        "Chamber gala",
        "conference",
        dt.datetime(2026, 12, 2, 19, 0),
        "Hotel Balkan",
        "Sofia",
        "Black tie",
    )
    with unchanged():
        with pytest.raises(ValidationError, match="An event needs a title") as info:
            events.update_event(event.id, title="  ")
        assert info.value.field == "title"
        with pytest.raises(ValidationError, match="Event kind must be one of"):
            events.update_event(event.id, kind="party")
        with pytest.raises(ValidationError, match="Unknown event field"):
            events.update_event(event.id, colour="red")
        with pytest.raises(NotFoundError):
            events.update_event(999, title="Nope")


def test_remove_attendee_takes_the_open_met_followup_too(store, unchanged):
    event = events.create_event("Mixer", TODAY)
    anna, boris = person("Anna"), person("Boris")
    events.attend(event.id, anna, met_in_person=True)
    events.attend(event.id, boris, met_in_person=True)
    events.remove_attendee(event.id, anna)
    assert [a[0] for a in events.attendees(event.id)] == [boris]
    f = models.FollowUp
    assert f.select().where((f.contact == anna) & (f.rule == "met")).count() == 0
    assert f.select().where((f.contact == boris) & (f.rule == "met")).count() == 1
    assert "Taken off the list of Mixer" in [i.summary for i in interactions.history(anna)]
    with unchanged(), pytest.raises(NotFoundError, match="Anna is not on the list of Mixer"):
        events.remove_attendee(event.id, anna)


def test_add_new_attendee_creates_the_contact(store, unchanged):
    event = events.create_event("Mixer", TODAY)
    events.add_new_attendee(event.id, " Γιώργος  Παπαδόπουλος ", role="host", met_in_person=True)
    [row] = events.attendance_list(event.id)
    assert (row["given_name"], row["family_name"], row["role"], row["met_in_person"]) == (
        "Γιώργος",
        "Παπαδόπουλος",
        "host",
        True,
    )
    assert models.Contact.get_by_id(row["contact_id"]).channel == "event"
    assert events.split_name("Cher") == ("Cher", "")
    assert events.split_name("Anna Maria Rossi") == ("Anna Maria", "Rossi")
    with unchanged():
        with pytest.raises(ValidationError, match="Type the person's name"):
            events.add_new_attendee(event.id, "   ")
        with pytest.raises(ValidationError, match="Role must be one of"):
            events.add_new_attendee(event.id, "Ann Other", role="guest")


def test_list_events_periods_search_and_sort(store):
    old = events.create_event("Σύλλογος Επιχειρηματιών", TODAY - 30 * DAY, city="Αθήνα")
    today = events.create_event("Breakfast", dt.datetime.combine(TODAY, dt.time(7, 0)))
    soon = events.create_event("Chamber evening", TODAY + 2 * DAY, kind="chamber_of_commerce")
    later = events.create_event("Apéritif", TODAY + 9 * DAY, venue="Café Müller")
    events.attend(soon.id, person("Anna"))
    events.attend(soon.id, person("Boris"))
    ids = lambda rows: [r.id for r in rows]  # noqa: E731
    assert ids(events.list_events(period="upcoming", today=TODAY)) == [today.id, soon.id, later.id]
    assert ids(events.list_events(period="past", today=TODAY)) == [old.id]
    assert ids(events.list_events(today=TODAY)) == [old.id, today.id, soon.id, later.id]
    # Search folds case and accents, Greek included, over title, kind, venue and city.
    assert ids(events.list_events("συλλογος", today=TODAY)) == [old.id]
    assert ids(events.list_events("athina αθηνα", today=TODAY)) == []
    assert ids(events.list_events("ΑΘΗΝΑ", today=TODAY)) == [old.id]
    assert ids(events.list_events("muller", today=TODAY)) == [later.id]
    assert ids(events.list_events("chamber", today=TODAY)) == [soon.id]
    assert ids(events.list_events(sort="title", today=TODAY)) == [
        later.id,
        today.id,
        soon.id,
        old.id,
    ]
    counted = events.list_events(sort="attendees", descending=True, today=TODAY)
    assert (counted[0].id, counted[0].attendees) == (soon.id, 2)
    with pytest.raises(ValidationError):
        events.list_events(period="someday")
