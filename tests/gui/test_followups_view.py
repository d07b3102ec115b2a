"""The follow-ups page: sections, done, snooze, reschedule, open, new; tray notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from qtkeys import type_text

from crm.core import clock, contacts, followups, interactions, models
from crm.gui.daily_rules import DailyRules
from crm.gui.views.followups.dialogs import OVERDUE_COLOUR, text_direction
from crm.gui.views.followups.table import COL_CONTACT, COL_DUE, COL_TITLE, COL_WHEN

TODAY = clock.today()
DAY = dt.timedelta(days=1)


def person(given: str, family: str = "", **fields) -> int:
    data = contacts.ContactData(given_name=given, family_name=family, **fields)
    return contacts.create_contact(data).id


def due(contact_id: int, days: int, title: str = "", kind: str = "call") -> int:
    return followups.create_followup(contact_id, TODAY + days * DAY, kind=kind, title=title).id


def item(followup_id: int) -> models.FollowUp:
    return models.FollowUp.get_by_id(followup_id)


def listed(view, section: str) -> list[int]:
    model = view.models[section]
    while model.canFetchMore():
        model.fetchMore()
    return [model.row(r)["id"] for r in range(model.rowCount())]


@pytest.fixture
def page(window):
    """The follow-ups page, shown, with what the database holds now."""

    def show():
        view = window.show_page("followups")
        window.ctx.changed("followups")  # as any writer does after the core wrote
        return view

    return show


def select(view, section: str, followup_id: int):
    view.show_section(section)
    assert view.select_followup(followup_id)
    table = view.tables[section]
    table.setFocus()
    return table


def test_followups_land_in_today_overdue_and_upcoming(page):
    anna = person("Άννα", "Παππά")
    today = due(anna, 0, "Call Άννα")
    overdue = due(anna, -3, "Send the offer")
    soon = due(anna, 5, "Lunch")
    far = due(anna, 60, "Next quarter")  # beyond the 30-day horizon
    snoozed = due(anna, -2, "Was overdue")
    followups.snooze(snoozed, TODAY + 3 * DAY)  # counts from its snooze date

    view = page()
    assert listed(view, "today") == [today]
    assert listed(view, "overdue") == [overdue]
    assert listed(view, "upcoming") == [snoozed, soon]
    assert [view.tabs.tabText(i) for i in range(3)] == [
        "Today (1)",
        "Overdue (1)",
        "Upcoming (2)",
    ]
    model = view.models["overdue"]
    assert model.index(0, COL_CONTACT).data() == "Άννα Παππά"
    assert model.index(0, COL_TITLE).data() == "Send the offer"
    assert model.index(0, COL_WHEN).data() == "3 days overdue"
    assert model.index(0, COL_DUE).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    upcoming = view.models["upcoming"]
    assert upcoming.index(0, COL_WHEN).data() == "in 3 days · snoozed"
    assert upcoming.index(0, COL_DUE).data(Qt.ItemDataRole.ForegroundRole) is None

    # A longer horizon brings the far one in.
    view.horizon_box.setCurrentIndex(view.horizon_box.findData(90))
    assert listed(view, "upcoming") == [snoozed, soon, far]
    assert view.tabs.tabText(2) == "Upcoming (3)"


def test_each_empty_section_says_so(page):
    anna = person("Anna")
    due(anna, -1)
    view = page()
    assert view.stacks["overdue"].currentWidget() is view.tables["overdue"]
    assert view.stacks["today"].currentWidget() is view.empties["today"]
    assert view.empties["today"].heading.text() == "Nothing due today"
    assert view.empties["upcoming"].heading.text() == "Nothing coming up"
    assert "next 30 days" in view.empties["upcoming"].body.text()


def test_space_marks_done_logs_history_and_updates_the_status_bar(page, window, qtbot):
    anna = person("Anna", "Rossi")
    first, second = due(anna, 0, "Call Anna"), due(anna, 0, "Email Anna")
    view = page()
    assert window.due_label.text() == "Follow-ups: 2 due today, 0 overdue"
    table = select(view, "today", first)
    qtbot.keyClick(table, Qt.Key.Key_Space)

    assert item(first).done_at is not None
    assert listed(view, "today") == [second]
    assert view.selected_ids() == [second]  # the next one is ready for the next key
    lines = [(i.kind, i.summary) for i in interactions.history(anna)]
    assert ("followup_done", "Call Anna") in lines
    assert window.due_label.text() == "Follow-ups: 1 due today, 0 overdue"

    view.done_action.trigger()  # the toolbar button does the same
    assert item(second).done_at is not None
    assert view.stacks["today"].currentWidget() is view.empties["today"]


def test_snooze_one_day_and_one_week_move_to_upcoming(page, qtbot):
    anna = person("Anna")
    a, b = due(anna, 0, "A"), due(anna, -4, "B")
    view = page()
    table = select(view, "today", a)
    qtbot.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # QTest leaves Ctrl "held" in the app's modifier state until a plain key event.
    qtbot.keyRelease(table, Qt.Key.Key_Control)
    assert item(a).snoozed_until == TODAY + DAY
    select(view, "overdue", b)
    view.snooze_week_action.trigger()  # the toolbar's Snooze 1 Week
    assert item(b).snoozed_until == TODAY + 7 * DAY
    assert listed(view, "today") == [] and listed(view, "overdue") == []
    assert listed(view, "upcoming") == [a, b]
    assert view.models["upcoming"].index(0, COL_WHEN).data() == "Tomorrow · snoozed"
    # Snoozing an upcoming one pushes it on from its own day.
    select(view, "upcoming", b)
    view.snooze_day_action.trigger()
    assert item(b).snoozed_until == TODAY + 8 * DAY


def test_snooze_until_and_reschedule_pick_a_day(page, qtbot):
    anna = person("Anna")
    a, b = due(anna, 0, "A"), due(anna, -2, "B")
    followups.snooze(b, TODAY + DAY)
    view = page()

    select(view, "today", a)
    view.snooze_until_action.trigger()
    dialog = view.date_dialog
    assert dialog.isVisible()
    # The calendar offers no day before tomorrow.
    assert dialog.calendar.minimumDate() == QDate(TODAY + DAY)
    dialog.calendar.setSelectedDate(QDate(TODAY + 10 * DAY))
    qtbot.mouseClick(
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    assert item(a).snoozed_until == TODAY + 10 * DAY

    select(view, "upcoming", b)
    view.reschedule_action.trigger()
    view.date_dialog.calendar.setSelectedDate(QDate(TODAY))
    view.date_dialog.accept()
    assert (item(b).due, item(b).snoozed_until) == (TODAY, None)
    assert listed(view, "today") == [b]
    moved = [i.summary for i in interactions.history(anna) if i.kind == "followup_moved"]
    assert f"B: rescheduled to {TODAY.isoformat()}" in moved


def test_a_refusal_is_shown_with_the_cores_words(page, qtbot, errors):
    anna = person("Anna")
    a = due(anna, 0, "A")
    view = page()
    table = select(view, "today", a)
    followups.mark_done(a)  # done elsewhere (the command line) while the list showed it
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert errors.messages() == [f"Follow-up {a} was already done on {TODAY.isoformat()}"]
    assert listed(view, "today") == []  # and the list now shows what is really there


def test_enter_opens_the_contact(page, window, qtbot):
    anna = person("Anna")
    a = due(anna, -1)
    view = page()
    table = select(view, "overdue", a)
    with qtbot.waitSignal(window.ctx.navigate) as signal:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert signal.args == ["contact", anna]
    assert window.current_page_name() == "contacts"


def test_double_click_and_context_menu_offer_the_actions(page, window):
    anna = person("Anna")
    due(anna, 0)
    view = page()
    names = {a.objectName() for a in view.actions()}
    assert {"markDone", "snoozeDay", "snoozeWeek", "snoozeUntil", "reschedule"} <= names
    table = view.tables["today"]
    table.doubleClicked.emit(view.models["today"].index(0, 0))
    assert window.current_page_name() == "contacts"


def test_birthdays_within_the_window_appear_after_the_daily_step(page, window):
    born = TODAY.replace(year=1980) if (TODAY.month, TODAY.day) != (2, 29) else dt.date(1980, 2, 29)
    eleni = person("Ελένη", "Νικολάου", birthday=born.isoformat())
    view = page()
    assert view.models["today"].rowCount() == 0  # showing the page made nothing
    daily = DailyRules(window.ctx, window)  # what the app starts with its window
    assert daily.check()
    (row,) = [view.models["today"].row(r) for r in range(view.models["today"].rowCount())]
    assert (row["contact_id"], row["title"], row["kind"]) == (
        eleni,
        "Birthday: Ελένη Νικολάου",
        "birthday",
    )
    assert view.models["today"].index(0, 2).data() == "Birthday"
    assert window.due_label.text() == "Follow-ups: 1 due today, 0 overdue"
    assert not daily.check()  # once a day
    view.refresh()  # again: still one
    assert view.models["today"].rowCount() == 1


def test_the_daily_step_runs_again_after_contact_changes_and_when_the_day_turns(page, window):
    daily = DailyRules(window.ctx, window)
    assert daily.check()
    view = page()
    # A contact edited to have a cadence: its reminder comes at the next check, not at once.
    ana = person("Ana", stay_in_touch_days=7)
    models.Contact.update(created_at=dt.datetime(2026, 1, 5, 9, 0)).execute()
    window.ctx.changed("contacts")
    assert listed(view, "today") == []
    assert daily.check()
    [reminder] = listed(view, "today")
    assert (item(reminder).contact_id, item(reminder).kind) == (ana, "stay_in_touch")
    assert not daily.check()
    # The next day, a birthday in the window then.
    person("Tomorrow", birthday=(TODAY + 15 * DAY).replace(year=1990).isoformat())
    clock.set_now(clock.now() + DAY)
    assert daily.check()
    assert models.FollowUp.select().where(models.FollowUp.kind == "birthday").count() == 1
    assert followups.daily_rules_day() == TODAY + DAY


def test_the_daily_step_is_not_repeated_by_a_second_window_the_same_day(window, store, unchanged):
    person("Ana", stay_in_touch_days=7)
    assert DailyRules(window.ctx, window).check()
    with unchanged():
        # Another start of the app that day: the database says the step ran.
        DailyRules(window.ctx, window).check()


def test_new_followup_for_a_contact_found_by_a_greek_name(page, qtbot):
    person("Anna", "Rossi")
    giorgos = person("Γιώργος", "Παπαδόπουλος", city="Αθήνα")
    person("Γιάννης", "Οικονόμου")
    view = page()
    view.new_action.trigger()
    dialog = view.new_dialog
    assert dialog.isVisible()

    # OK before picking anyone: said inline, nothing created.
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error.text() == "Type a name and pick the contact from the list."
    assert models.FollowUp.select().count() == 0

    type_text(dialog.contact_search, "Παπαδόπ")
    dialog.contact_search.flush()
    assert [dialog.matches.item(i).text() for i in range(dialog.matches.count())] == [
        "Γιώργος Παπαδόπουλος — Αθήνα"
    ]
    dialog.kind.setCurrentIndex(dialog.kind.findData("email"))
    dialog.due.setDate(QDate(TODAY + 2 * DAY))
    type_text(dialog.title_edit, "Στείλε την προσφορά")
    type_text(dialog.notes, "Μετά τη συνάντηση")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )

    assert not dialog.isVisible()
    created = models.FollowUp.get()
    assert (created.contact_id, created.kind, created.due, created.title, created.notes) == (
        giorgos,
        "email",
        TODAY + 2 * DAY,
        "Στείλε την προσφορά",
        "Μετά τη συνάντηση",
    )
    # The page shows it, selected, in its section.
    assert view.current_section() == "upcoming"
    assert view.selected_ids() == [created.id]


def test_new_followup_for_the_second_match_picked_from_the_list(page, qtbot):
    person("Γιώργος", "Παπαδόπουλος")
    giannis = person("Γιάννης", "Οικονόμου")
    view = page()
    view.new_action.trigger()
    dialog = view.new_dialog
    type_text(dialog.contact_search, "Γι")
    dialog.contact_search.flush()
    names = [dialog.matches.item(i).text() for i in range(dialog.matches.count())]
    assert sorted(names) == ["Γιάννης Οικονόμου", "Γιώργος Παπαδόπουλος"]
    dialog.matches.setCurrentRow(names.index("Γιάννης Οικονόμου"))
    qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)  # Enter in the dialog: Add Follow-up
    assert not dialog.isVisible()
    (created,) = models.FollowUp.select()
    assert (created.contact_id, created.due, created.kind) == (giannis, TODAY, "call")
    assert created.title == "Call: Γιάννης Οικονόμου"  # the core's default title
    assert view.selected_ids() == [created.id] and view.current_section() == "today"


def test_notifier_reports_what_fell_due_since_the_last_check_once(window, qtbot):
    notifier = window.notifier
    assert notifier.tray is None  # offscreen has no tray: nothing shown, nothing fails
    anna = person("Maria", "Rossi")
    due(anna, 0, "Already due")  # due when the app started: the status bar says so
    tomorrow = due(anna, 1, "Call Maria Rossi")
    later = due(anna, 2, "Email Maria Rossi")
    start = dt.datetime.combine(TODAY, dt.time(9, 0))
    notifier.last_check = start

    assert notifier.due_since_last_check(start + dt.timedelta(minutes=1)) == []
    shown = []
    notifier.notify = shown.append
    notifier._now = lambda: start + DAY  # the next morning
    with qtbot.waitSignal(window.ctx.data_changed):  # the page sees a new "today"
        notifier.check()
    assert [[i["id"] for i in items] for items in shown] == [[tomorrow]]
    assert notifier.message(shown[0]) == "1 follow-up due: Call Maria Rossi"
    notifier.check()  # a minute later: nothing new
    assert len(shown) == 1
    # Two days on, only the next one is new.
    assert [i["id"] for i in notifier.due_since_last_check(start + 2 * DAY)] == [later]
    assert notifier.due_since_last_check(start + 2 * DAY) == []


def test_notification_click_shows_the_followups_page(window):
    window.show_page("contacts")
    window.notifier.show_followups()
    assert window.current_page_name() == "followups"


def test_cells_take_their_texts_direction():
    # A Latin title in the Arabic interface stays in reading order, and the reverse.
    assert (
        text_direction("Contact مريم خوري, referred by Charles") == Qt.LayoutDirection.LeftToRight
    )
    assert text_direction("  مريم Rossi") == Qt.LayoutDirection.RightToLeft
    assert text_direction("701 ") is None
