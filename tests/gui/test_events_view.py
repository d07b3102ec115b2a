"""The Events page and the event briefing, driven as a user would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox
from qtkeys import type_text

from crm.core import asking, clock, contacts, events, followups, interactions, models, referrals
from crm.core.contacts import ContactData
from crm.gui.views.events.models import AttendanceModel
from crm.gui.views.events.page import EventsView

TODAY = clock.today()
DAY = dt.timedelta(days=1)
MARKS = str.maketrans("", "", "\u2068\u2069")


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def open_events(window, event_id: int | None = None) -> EventsView:
    view = window.show_page("events")
    if event_id is not None:
        window.go("event", event_id)
    return view


def attendee_ids(event_id: int) -> list[int]:
    return sorted(row[0] for row in events.attendees(event_id))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def plain(text: str) -> str:
    """Text as the user reads it, without the invisible direction marks."""
    return text.translate(MARKS)


@pytest.fixture
def evening(store):
    return events.create_event(
        "Chamber evening", TODAY + 2 * DAY, kind="chamber_of_commerce", city="Sofia"
    ).id


# -- the event editor -----------------------------------------------------------------


def test_create_an_event_through_the_dialog(window, qtbot):
    view = open_events(window)
    assert view.list_stack.currentWidget() is view.empty  # nothing yet: a real empty state
    dialog = view.make_dialog()
    dialog.show()
    type_text(dialog.title_edit, "Πρωινό Επιμελητηρίου")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("chapter_meeting"))
    dialog.starts_edit.setDateTime(QDateTime(dt.datetime.combine(TODAY + 3 * DAY, dt.time(7, 30))))
    type_text(dialog.venue_edit, "Grande Bretagne")
    type_text(dialog.city_edit, "Αθήνα")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))

    event = models.Event.get(models.Event.title == "Πρωινό Επιμελητηρίου")
    assert (event.kind, event.starts_at, event.venue, event.city) == (
        "chapter_meeting",
        dt.datetime.combine(TODAY + 3 * DAY, dt.time(7, 30)),
        "Grande Bretagne",
        "Αθήνα",
    )
    assert not dialog.isVisible()
    # The new event is listed and selected, ready for its attendees.
    assert view.list_stack.currentWidget() is view.table
    assert view.event_id == event.id
    assert view.event_title.text() == "Πρωινό Επιμελητηρίου"
    assert [r.id for r in view.model.rows] == [event.id]


def test_invalid_event_refused_inline_and_nothing_stored(window, qtbot, unchanged):
    view = open_events(window)
    dialog = view.make_dialog()
    dialog.show()
    type_text(dialog.city_edit, "Sofia")
    with unchanged():
        click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "An event needs a title"
    assert dialog.focusWidget() is dialog.title_edit
    # Typing a title clears the message and the save goes through.
    type_text(dialog.title_edit, "Mixer")
    assert not dialog.error_label.isVisible()
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert models.Event.select().count() == 1


def test_edit_an_event(window, qtbot, evening):
    view = open_events(window, evening)
    dialog = view.make_dialog(evening)
    dialog.show()
    assert dialog.title_edit.text() == "Chamber evening"
    dialog.title_edit.clear()
    type_text(dialog.title_edit, "Chamber gala")
    type_text(dialog.venue_edit, "Hotel Balkan")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    stored = models.Event.get_by_id(evening)
    assert (stored.title, stored.venue, stored.kind) == (
        "Chamber gala",
        "Hotel Balkan",
        "chamber_of_commerce",
    )
    assert view.event_title.text() == "Chamber gala"
    assert "Hotel Balkan" in plain(view.event_info.text())


# -- the list -------------------------------------------------------------------------


def test_upcoming_past_and_search(window, qtbot, store):
    old = events.create_event("Σύλλογος Επιχειρηματιών", TODAY - 20 * DAY).id
    soon = events.create_event("Breakfast", TODAY + DAY).id
    view = open_events(window)
    assert [r.id for r in view.model.rows] == [soon]
    assert view.event_id == soon  # the soonest event is open, not an empty pane
    click(qtbot, view.period_buttons["past"])
    assert [r.id for r in view.model.rows] == [old]
    click(qtbot, view.period_buttons["all"])
    type_text(view.search_box, "συλλογος")
    view.search_box.flush()
    assert [r.id for r in view.model.rows] == [old]
    # Going to an event the filters hide brings it back into view.
    click(qtbot, view.period_buttons["past"])
    window.go("event", soon)
    assert view.model.period == "upcoming" and view.period_buttons["upcoming"].isChecked()
    assert view.search_box.text() == ""
    assert view.event_id == soon
    assert view.table.currentIndex().row() == view.model.row_of(soon)


def test_sorting_by_a_column_keeps_the_event_selected(window, qtbot, store):
    a = events.create_event("Alpha mixer", TODAY + DAY, city="Zagora").id
    b = events.create_event("Beta breakfast", TODAY + 2 * DAY, city="Athens").id
    events.attend(b, person("Anna"))
    view = open_events(window, a)
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(view.model.COL_CITY) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert [r.city for r in view.model.rows] == ["Athens", "Zagora"]
    assert view.event_id == a
    assert view.table.currentIndex().row() == view.model.row_of(a) == 1
    assert [r.attendees for r in view.model.rows] == [1, 0]


# -- attendance -----------------------------------------------------------------------


def test_add_attendees_by_typing_and_enter(window, qtbot, evening):
    giorgos = person("Γιώργος", "Παπαδόπουλος", organization="Ολυμπιακή Α.Ε.")
    maria = person("Maria", "Rossi")
    view = open_events(window, evening)
    attendees = view.attendees
    attendees.role_combo.setCurrentIndex(attendees.role_combo.findData("member"))
    attendees.met_check.setChecked(True)

    type_text(attendees.picker, "Παπαδ")
    attendees.picker.flush()
    assert attendees.picker.popup.isVisible()
    first = plain(attendees.picker.popup.item(0).text())
    assert first == "Γιώργος Παπαδόπουλος — Ολυμπιακή Α.Ε."
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Return)

    assert attendee_ids(evening) == [giorgos]
    att = models.Attendance.get(models.Attendance.contact == giorgos)
    assert (att.role, att.met_in_person) == ("member", True)
    assert attendees.picker.text() == "" and not attendees.picker.popup.isVisible()
    assert window.focusWidget() is attendees.picker  # ready for the next person
    assert plain(attendees.message.text()) == "Added Γιώργος Παπαδόπουλος"
    # Met in person: the rule's follow-up is there.
    assert models.FollowUp.select().where(models.FollowUp.contact == giorgos).count() == 1

    # The next one straight away, without waiting for the search to settle.
    type_text(attendees.picker, "maria ros")
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Enter)
    assert attendee_ids(evening) == sorted([giorgos, maria])
    assert [r["name"] for r in attendees.model.rows] == ["Maria Rossi", "Γιώργος Παπαδόπουλος"]
    assert attendees.count_label.text() == "2 on the list, 2 met in person"
    assert view.model.rows[0].attendees == 2


def test_picker_keys_and_a_new_contact(window, qtbot, evening):
    person("Anna", "Ivanova")
    anna_b = person("Anna", "Ivanova-Petrova")
    view = open_events(window, evening)
    attendees = view.attendees
    type_text(attendees.picker, "Anna Ivanova")
    attendees.picker.flush()
    assert attendees.picker.popup.count() == 3  # two people and "new contact"
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Down)
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Escape)
    assert not attendees.picker.popup.isVisible()
    assert attendee_ids(evening) == []

    attendees.picker.clear()
    type_text(attendees.picker, "Ivanova-Petrova")
    attendees.picker.flush()
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Return)
    assert attendee_ids(evening) == [anna_b]

    # Nobody of that name yet: Enter creates the contact and puts them on the list.
    type_text(attendees.picker, "Ана Димитрова")
    attendees.picker.flush()
    assert plain(attendees.picker.popup.item(0).text()) == "+ New contact “Ана Димитрова”"
    qtbot.keyClick(attendees.picker, Qt.Key.Key_Return)
    new = models.Contact.get(models.Contact.family_name == "Димитрова")
    assert (new.given_name, new.channel) == ("Ана", "event")
    assert new.id in attendee_ids(evening)
    assert "Created Ана Димитрова as a new contact" in plain(attendees.message.text())


def test_duplicate_attendee_refused_with_message(window, qtbot, evening, unchanged):
    eleni = person("Ελένη", "Νικολάου")
    events.attend(evening, eleni)
    view = open_events(window, evening)
    attendees = view.attendees
    type_text(attendees.picker, "Νικολ")
    attendees.picker.flush()
    assert "(already on the list)" in attendees.picker.popup.item(0).text()
    with unchanged():
        qtbot.keyClick(attendees.picker, Qt.Key.Key_Return)
    assert (
        plain(attendees.message.text())
        == "Ελένη Νικολάου is already on the list of Chamber evening"
    )
    assert "b3261e" in attendees.message.styleSheet()  # shown as a refusal
    assert attendees.picker.text() == "Νικολ"  # kept, to correct it


def test_met_checkbox_creates_a_followup(window, qtbot, evening):
    boris = person("Борис", "Иванов")
    events.attend(evening, boris)
    view = open_events(window, evening)
    attendees = view.attendees
    assert attendees.followups_button.isEnabled() is False  # nobody met yet
    index = attendees.model.index(0, AttendanceModel.COL_MET)
    attendees.table.setCurrentIndex(index)
    qtbot.keyClick(attendees.table, Qt.Key.Key_Space)

    att = models.Attendance.get(models.Attendance.contact == boris)
    assert att.met_in_person is True
    f = models.FollowUp
    [made] = f.select().where((f.contact == boris) & (f.rule == "met"))
    assert made.due == TODAY + 2 * DAY + 3 * DAY
    assert plain(attendees.message.text()) == "Met Борис Иванов: a follow-up was added"
    assert attendees.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert attendees.followups_button.isEnabled()


def test_followups_for_everyone_met(window, qtbot, evening):
    # Attendance marked "met" by an import: no follow-ups yet.
    met = [person(f"Guest{i}", "Met") for i in range(3)]
    for cid in met:
        models.Attendance.create(event=evening, contact=cid, met_in_person=True)
    models.Attendance.create(event=evening, contact=person("Not", "Met"), met_in_person=False)
    view = open_events(window, evening)
    attendees = view.attendees
    click(qtbot, attendees.followups_button)
    f = models.FollowUp
    assert sorted(x.contact_id for x in f.select().where(f.rule == "met")) == sorted(met)
    assert attendees.message.text() == "Created 3 follow-ups"
    assert window.statusBar().currentMessage() == "Created 3 follow-ups"
    click(qtbot, attendees.followups_button)
    assert f.select().where(f.rule == "met").count() == 3
    assert attendees.message.text() == "Everyone you met already has a follow-up"


def test_remove_an_attendee(window, qtbot, evening):
    anna, boris = person("Anna", "Alpha"), person("Boris", "Beta")
    events.attend(evening, anna, met_in_person=True)
    events.attend(evening, boris)
    view = open_events(window, evening)
    attendees = view.attendees
    assert not attendees.remove_button.isEnabled()
    attendees.table.selectRow(attendees.model.row_of(anna))
    click(qtbot, attendees.remove_button)
    assert attendee_ids(evening) == [boris]
    assert models.FollowUp.select().where(models.FollowUp.contact == anna).count() == 0
    assert attendees.message.text() == "Removed Anna Alpha from the list"
    assert [r["contact_id"] for r in attendees.model.rows] == [boris]


def test_record_an_ask_inside_the_cooldown_is_refused(window, qtbot, evening, errors, unchanged):
    maria = person("Maria", "Rossi")
    events.attend(evening, maria)
    asked = TODAY - 30 * DAY
    asking.record_ask(maria, today=asked)
    view = open_events(window, evening)
    attendees = view.attendees
    index = attendees.model.index(0, AttendanceModel.COL_ASK)
    assert attendees.model.data(index) == "Asked 30 days ago"
    attendees.table.selectRow(0)
    with unchanged():
        click(qtbot, attendees.ask_button)
    assert errors.messages() == [
        f"Maria Rossi was asked for referrals on {asked.isoformat()} (30 days ago); the "
        f"cooldown is 90 days, so wait until {(asked + 90 * DAY).isoformat()} or force it"
    ]
    # "Record Ask Anyway…", once confirmed, records it.
    questions: list[str] = []
    attendees.confirm = lambda text: questions.append(text) or True
    attendees.ask_anyway_action.trigger()
    assert "inside the 90-day cooldown" in questions[0]
    assert models.Contact.get_by_id(maria).last_asked_for_referral == TODAY
    assert attendees.model.data(index) == "Asked today"
    lines = [i.summary for i in interactions.history(maria) if i.kind == "referral_asked"]
    assert lines[0] == "Asked for referrals (inside the 90-day cooldown)"


def test_record_an_ask_when_it_is_fine(window, qtbot, evening, errors):
    chiara = person("Chiara", "Conti")
    events.attend(evening, chiara)
    view = open_events(window, evening)
    attendees = view.attendees
    index = attendees.model.index(0, AttendanceModel.COL_ASK)
    assert attendees.model.data(index) == "OK to ask"
    attendees.table.selectRow(0)
    click(qtbot, attendees.ask_button)
    assert errors == []
    assert models.Contact.get_by_id(chiara).last_asked_for_referral == TODAY
    assert attendees.message.text() == "Recorded: Chiara Conti was asked for referrals today"


def test_double_click_an_attendee_opens_the_contact(window, qtbot, evening):
    dimitris = person("Dimitris", "Dimas")
    events.attend(evening, dimitris)
    view = open_events(window, evening)
    attendees = view.attendees
    rect = attendees.table.visualRect(attendees.model.index(0, AttendanceModel.COL_NAME))
    viewport = attendees.table.viewport()
    with qtbot.waitSignal(window.ctx.navigate) as went:
        # As a real double click arrives: a click, then the double click on the same row.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert went.args == ["contact", dimitris]
    assert window.current_page_name() == "contacts"


# -- the briefing ---------------------------------------------------------------------


@pytest.fixture
def briefed(store, evening):
    """Anna → Boris → Chiara → Dimitris; Dimitris and Maria attend with history."""
    anna, boris = person("Anna", "Alpha"), person("Борис", "Иванов")
    chiara, dimitris = person("Chiara", "Conti"), person("Dimitris", "Dimas")
    maria = person("Maria", "<b>Rossi & Co</b>", organization="Rossi & Figli")
    x = person("Xavier", "Xu")
    long_ago = TODAY - 200 * DAY
    referrals.record_referral(anna, boris, referred_on=long_ago, status="contacted")
    referrals.record_referral(boris, chiara, referred_on=long_ago, status="contacted")
    referrals.record_referral(chiara, dimitris, referred_on=long_ago, status="contacted")
    referrals.record_referral(dimitris, x, referred_on=TODAY - 20 * DAY, status="won", value="1200")
    events.attend(evening, dimitris, met_in_person=True)
    events.attend(evening, maria)
    followups.create_followup(dimitris, TODAY + 5 * DAY, title="Send the proposal")
    asking.record_ask(maria, today=TODAY - 12 * DAY)
    interactions.add_note(dimitris, "call", "Talked about the fair")
    return {"dimitris": dimitris, "maria": maria, "chiara": chiara, "event": evening}


def test_briefing_shows_chain_values_followups_and_asks(window, qtbot, briefed):
    view = open_events(window, briefed["event"])
    click(qtbot, view.briefing_button)
    assert window.current_page_name() == "briefing"
    page = window.pages["briefing"]
    assert page.heading.text() == "Chamber evening"
    assert "Sofia" in page.subtitle.text()
    assert plain(page.counts.text()).startswith(
        "2 attendees · 1 met in person · 1 OK to ask · 1 with open follow-ups"
    )
    text = plain(page.browser.toPlainText())
    assert "Referred by Chiara Conti ← Борис Иванов ← Anna Alpha" in text
    assert "Gave 1 · 1 won (1,200 EUR)" in text
    assert "Xavier Xu (won 1,200 EUR)" in text
    # Dates in the interface language's format, each a bidi isolate (plain() drops those).
    assert f"Send the proposal ({_day(TODAY + 5 * DAY)})" in text
    assert f"Last {_day(TODAY)} Call: Talked about the fair" in text
    assert "OK to ask" in text
    assert "Asked 12 days ago" in text
    # Names are data: markup in a name is shown, never obeyed.
    assert "Maria <b>Rossi & Co</b>" in text
    assert "Rossi & Figli" in text

    page.filter_combo.setCurrentIndex(page.filter_combo.findData("ok_to_ask"))
    text = plain(page.browser.toPlainText())
    assert "Dimitris Dimas" in text and "Rossi" not in text


def test_briefing_names_click_through_to_the_contact(window, qtbot, briefed):
    window.go("briefing", briefed["event"])
    page = window.pages["briefing"]
    cursor = page.browser.document().find("Chiara Conti")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 2, QTextCursor.MoveMode.MoveAnchor)
    point = page.browser.cursorRect(cursor).center()
    with qtbot.waitSignal(window.ctx.navigate) as went:
        qtbot.mouseClick(page.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert went.args == ["contact", briefed["chiara"]]
    assert window.current_page_name() == "contacts"


def test_briefing_follows_changes_and_goes_back(window, qtbot, briefed):
    window.go("briefing", briefed["event"])
    page = window.pages["briefing"]
    asking.record_ask(briefed["dimitris"])
    window.ctx.changed("contacts")
    assert "OK to ask" not in plain(page.browser.toPlainText())
    click(qtbot, page.back_button)
    assert window.current_page_name() == "events"
    assert window.pages["events"].event_id == briefed["event"]


def test_briefing_without_an_event_offers_the_events_page(window, qtbot):
    page = window.show_page("briefing")
    assert page.stack.currentWidget() is page.empty
    click(qtbot, page.empty.buttons.itemAt(1).widget())
    assert window.current_page_name() == "events"


def _day(day) -> str:
    from PySide6.QtCore import QDate, QLocale

    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")
