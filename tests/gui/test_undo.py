"""Edit → Undo / Redo for what a user does on the pages: each step named, each exact.

Every test does the action through the real UI, then Ctrl+Z and Ctrl+Shift+Z on the
main window. Undo must leave the database as it was before the action, redo as the
action left it: compared as full dumps of every table, history lines included (undo
takes back the lines the action wrote). The contact search index (FTS5) is left out
of the dumps, because rebuilding an entry rewrites its internal pages; what it finds
is checked instead. Merges go back through crm.core.merging's own undo, which keeps
the merge record and a history line: there the contacts and their rows are compared.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from qtclicks import click_button_menu
from qtkeys import type_text

from crm.core import clock, contacts, followups, models, referrals, search
from crm.core.contacts import ContactData
from crm.gui.views.referrals.model import ReferralTableModel

TODAY = clock.today()
DAY = dt.timedelta(days=1)


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def dump(store, leave_out: tuple[str, ...] = ()) -> list[str]:
    """Every row of every table as SQL, the search index's pages and ``leave_out`` aside."""
    skip = (f'INSERT INTO "{search.FTS_TABLE}', *(f'INSERT INTO "{t}"' for t in leave_out))
    lines = store.db.connection().iterdump()
    return [line for line in lines if not line.startswith(skip)]


def active(window, qtbot) -> None:
    """The main window has the keyboard again (as after a menu or dialog closes)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def undo(window, qtbot) -> None:
    active(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyRelease(window, Qt.Key.Key_Control)


def redo(window, qtbot) -> None:
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    active(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Z, mods)
    qtbot.keyRelease(window, Qt.Key.Key_Control)


def edit_menu_texts(window) -> tuple[str, str]:
    return window.menu_actions.undo.text(), window.menu_actions.redo.text()


def undone_and_redone(window, qtbot, store, before, after, name: str) -> None:
    """Ctrl+Z gives back ``before`` and Ctrl+Shift+Z ``after``; the Edit menu names the step."""
    assert window.menu_actions.undo.text() == f"&Undo {name}"
    undo(window, qtbot)
    assert dump(store) == before
    assert window.menu_actions.redo.text() == f"&Redo {name}"
    redo(window, qtbot)
    assert dump(store) == after
    assert window.menu_actions.undo.text() == f"&Undo {name}"


# -- follow-ups --------------------------------------------------------------------------


def followups_page(window, followup_id: int, section: str):
    view = window.show_page("followups")
    window.ctx.changed("followups")
    view.show_section(section)
    assert view.select_followup(followup_id)
    view.tables[section].setFocus()
    return view


def listed(view, section: str) -> list[int]:
    model = view.models[section]
    return [model.row(r)["id"] for r in range(model.rowCount())]


def test_marking_a_follow_up_done_is_undone_and_redone(window, qtbot, store):
    anna = person("Anna", "Rossi")
    call = followups.create_followup(anna, TODAY, title="Call Anna").id
    view = followups_page(window, call, "today")
    before = dump(store)
    qtbot.keyClick(view.tables["today"], Qt.Key.Key_Space)
    after = dump(store)
    assert after != before and listed(view, "today") == []

    undo(window, qtbot)
    assert dump(store) == before
    assert followups.get_followup(call).done_at is None
    assert listed(view, "today") == [call]  # the page shows it again
    assert window.due_label.text() == "Follow-ups: 1 due today, 0 overdue"
    assert edit_menu_texts(window) == ("&Undo", "&Redo Mark Follow-up Done")
    redo(window, qtbot)
    assert dump(store) == after and listed(view, "today") == []
    undone_and_redone(window, qtbot, store, before, after, "Mark Follow-up Done")


def test_snoozing_two_follow_ups_is_one_step(window, qtbot, store):
    anna = person("Anna")
    a = followups.create_followup(anna, TODAY, title="A").id
    b = followups.create_followup(anna, TODAY, title="B").id
    view = followups_page(window, a, "today")
    view.tables["today"].selectAll()
    before = dump(store)
    view.snooze_week_action.trigger()
    after = dump(store)
    assert listed(view, "upcoming") == [a, b]
    undone_and_redone(window, qtbot, store, before, after, "Snooze 2 Follow-ups")
    undo(window, qtbot)
    assert listed(view, "today") == [a, b]


def test_rescheduling_through_the_date_dialog_is_undone(window, qtbot, store):
    anna = person("Anna")
    late = followups.create_followup(anna, TODAY - 3 * DAY, title="Late").id
    view = followups_page(window, late, "overdue")
    before = dump(store)
    view.reschedule_action.trigger()
    view.date_dialog.calendar.setSelectedDate(QDate(TODAY + 4 * DAY))
    ok = view.date_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    after = dump(store)
    assert followups.get_followup(late).due == TODAY + 4 * DAY
    undone_and_redone(window, qtbot, store, before, after, "Reschedule Follow-up")
    undo(window, qtbot)
    assert followups.get_followup(late).due == TODAY - 3 * DAY
    assert listed(view, "overdue") == [late]


# -- referrals ---------------------------------------------------------------------------


def referrals_page(window, ref: int):
    view = window.show_page("referrals")
    window.ctx.changed("referrals")
    assert view.select_referral(ref)
    return view


def test_a_status_move_and_its_effects_are_undone(window, qtbot, store):
    anna, bob = person("Anna"), person("Bob")
    ref = referrals.record_referral(anna, bob).id
    view = referrals_page(window, ref)
    before = dump(store)
    # Leaving "new" closes the "contact within 2 days" follow-up and logs the move.
    click_button_menu(qtbot, view.move_button, view.move_menu, "move_contacted")
    view.table.setFocus()  # a text field's Ctrl+Z would be the field's own
    after = dump(store)
    assert referrals.get_referral(ref).status == "contacted"
    undone_and_redone(window, qtbot, store, before, after, "Move Referral to Contacted")
    undo(window, qtbot)
    assert referrals.get_referral(ref).status == "new"
    status = view.table.model().index(0, ReferralTableModel.STATUS).data()
    assert status == "New"  # the page shows it


def test_won_through_its_dialog_is_undone_with_the_stage_and_rewards(window, qtbot, store):
    anna, bob = person("Anna"), person("Bob", stage="lead")
    ref = referrals.record_referral(anna, bob).id
    view = referrals_page(window, ref)
    before = dump(store)
    click_button_menu(qtbot, view.move_button, view.move_menu, "move_won")
    type_text(view.won_dialog.value, "900")
    qtbot.mouseClick(view.won_dialog.ok_button, Qt.MouseButton.LeftButton)
    view.table.setFocus()
    after = dump(store)
    assert contacts.get_contact(bob).stage == "customer"
    undone_and_redone(window, qtbot, store, before, after, "Move Referral to Won")
    undo(window, qtbot)
    assert (referrals.get_referral(ref).status, contacts.get_contact(bob).stage) == ("new", "lead")


# -- contacts ----------------------------------------------------------------------------


def edit_dialog(window, qtbot, contact_id: int):
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    view.show_contact(contact_id)
    qtbot.mouseClick(view.detail.header.edit_button, Qt.MouseButton.LeftButton)
    return view, view.dialog


def save(qtbot, dialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_contact_edit_is_undone_with_its_emails_and_search(window, qtbot, store):
    anna = person("Anna", "Rossi", emails=["anna@example.it"], organization="Akmi")
    view, dialog = edit_dialog(window, qtbot, anna)
    before = dump(store)
    dialog.family_name.clear()
    type_text(dialog.family_name, "Bianchi")
    dialog.emails.clear()
    type_text(dialog.emails, "anna@bianchi.it")
    dialog.organization.clear()
    type_text(dialog.organization, "Nuova Srl")  # a new organization row, too
    save(qtbot, dialog)
    after = dump(store)
    assert search.search_ids(store.db, "bianchi") == [anna]

    undone_and_redone(window, qtbot, store, before, after, "Edit Anna Rossi")
    undo(window, qtbot)
    assert contacts.current_emails(anna) == ["anna@example.it"]
    assert search.search_ids(store.db, "bianchi") == []
    assert search.search_ids(store.db, "rossi") == [anna]
    assert view.detail.name_label.text().endswith("Anna Rossi")


def test_a_tag_change_is_undone_and_the_new_tag_goes(window, qtbot, store):
    anna = person("Anna", tags=["VIP"])
    _view, dialog = edit_dialog(window, qtbot, anna)
    before = dump(store)
    dialog.tags.clear()
    type_text(dialog.tags, "Golf")
    save(qtbot, dialog)
    after = dump(store)
    assert contacts.tag_names(anna) == ["Golf"]
    undone_and_redone(window, qtbot, store, before, after, "Change Tags of Anna")
    undo(window, qtbot)
    assert contacts.tag_names(anna) == ["VIP"]
    assert models.Tag.get_or_none(models.Tag.name == "Golf") is None


def test_archive_is_undone_without_a_trace(window, qtbot, store):
    anna = person("Anna")
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    view.show_contact(anna)
    view.table.setFocus()
    before = dump(store)
    window.menu_actions.archive.trigger()
    after = dump(store)
    assert contacts.get_contact(anna).archived
    undone_and_redone(window, qtbot, store, before, after, "Archive 1 contact")


# -- merges ------------------------------------------------------------------------------

MERGE_BOOKKEEPING = ("merge_record", "interaction")


def test_a_merge_is_undone_and_redone_from_the_edit_menu(window, qtbot, store):
    person("Maria", "Papadopoulou", emails=["maria@akmi.gr"], city="Athens")
    copy = person("María", "Papadopoulou", emails=["MARIA@akmi.gr"], phones=["+30 691 234 5678"])
    giver = person("Giorgos")
    referrals.record_referral(giver, copy)
    page = window.show_page("duplicates")
    page.refresh()
    qtbot.mouseClick(page.keep_a, Qt.MouseButton.LeftButton)
    before = dump(store, MERGE_BOOKKEEPING)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert models.Contact.get_or_none(models.Contact.id == copy) is None
    after = dump(store, MERGE_BOOKKEEPING)
    name = "Merge María Papadopoulou into Maria Papadopoulou"
    assert edit_menu_texts(window) == (f"&Undo {name}", "&Redo")

    undo(window, qtbot)
    assert dump(store, MERGE_BOOKKEEPING) == before
    assert models.Referral.get(models.Referral.giver == giver).referred_id == copy
    assert models.MergeRecord.get().undone_at is not None
    redo(window, qtbot)
    assert dump(store, MERGE_BOOKKEEPING) == after
    assert models.Contact.get_or_none(models.Contact.id == copy) is None
    undo(window, qtbot)
    assert models.Contact.get_by_id(copy).given_name == "María"


def test_undo_after_the_page_undid_the_merge_says_why_and_drops_the_step(
    window, qtbot, store, errors
):
    person("Maria", "Papadopoulou", emails=["maria@akmi.gr"])
    person("María", "Papadopoulou", emails=["MARIA@akmi.gr"])
    page = window.show_page("duplicates")
    page.refresh()
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    undo(window, qtbot)
    assert errors.messages() and "already undone" in errors.messages()[0]
    assert window.undo_stack.count() == 0


def test_a_refused_action_leaves_no_step(window, qtbot, store, errors):
    anna = person("Anna")
    call = followups.create_followup(anna, TODAY, title="Call").id
    view = followups_page(window, call, "today")
    followups.mark_done(call)  # elsewhere, meanwhile
    view.done_action.trigger()
    assert errors.messages() and "already done" in errors.messages()[0]
    assert window.undo_stack.count() == 0
