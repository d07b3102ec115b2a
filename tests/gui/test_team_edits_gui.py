"""Colleagues in the app: editors refuse a save on top of a colleague's and offer to reload;
follow-ups assigned to someone, the "Mine" filter, and who did what on the contact pane.

The colleague is a real ``crm --user luca`` process writing to the same file.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from qtkeys import type_text
from shots import shot as saved_shot

from crm.core import clock, contacts, followups, referrals, users
from crm.gui.app import build_window
from crm.gui.views.contacts.dialog import ContactDialog
from crm.gui.views.followups import team
from crm.gui.views.followups.table import COL_TITLE
from crm.gui.views.referrals import menus

ROOT = Path(__file__).resolve().parents[2]
DUE = clock.today() + dt.timedelta(days=3)


def person(given: str, family: str = "Rossi") -> int:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def colleague(db_path: Path, *args: str, user: str = "luca") -> None:
    """``crm --user luca ...`` in a process of its own: a colleague saving meanwhile."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(db_path), "--user", user, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def shot(widget, name: str) -> None:
    saved_shot(widget, f"{name}.png")


def test_contact_editor_refuses_a_save_over_a_colleagues_and_offers_reload(window, db_path, qtbot):
    users.set_current("maria")
    anna = person("Anna")
    dialog = ContactDialog(window.ctx, anna, window)
    qtbot.addWidget(dialog)
    dialog.show()
    colleague(db_path, "contacts", "edit", str(anna), "--city", "Torino")
    dialog.city.clear()
    type_text(dialog.city, "Milano")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    assert dialog.isVisible() and dialog.conflict.isVisible()
    message = dialog.conflict.text.text()
    assert "luca changed this contact at " in message and "not saved" in message
    assert dialog.city.text() == "Milano"  # what the user typed stays until they choose
    assert contacts.get_contact(anna).city == "Torino"
    shot(dialog, "contact-conflict")

    QTest.mouseClick(dialog.conflict.reload_button, Qt.MouseButton.LeftButton)
    assert not dialog.conflict.isVisible()
    assert dialog.city.text() == "Torino"
    dialog.notes.setPlainText("Prefers Milano")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    stored = contacts.get_contact(anna)
    assert (stored.city, stored.notes, stored.changed_by) == ("Torino", "Prefers Milano", "maria")


def test_referral_editor_refuses_a_stale_save_and_reloads(window, db_path, qtbot):
    giver, friend = person("Anna"), person("Bruno", "Verdi")
    ref = referrals.record_referral(giver, friend, temperature=3)
    view = window.show_page("referrals")
    dialog = menus.edit_referral(view, ref.id)
    assert dialog is not None and dialog.windowTitle() == "Edit Referral"
    assert not dialog.giver.isEnabled() and dialog.giver.text() == "Anna Rossi"
    colleague(db_path, "referrals", "edit", str(ref.id), "--temperature", "5")
    dialog.notes.setPlainText("Met at the chamber evening")
    dialog.save()
    assert dialog.isVisible() and dialog.conflict.isVisible()
    assert "luca changed this referral" in dialog.conflict.text.text()
    assert dialog.notes.toPlainText() == "Met at the chamber evening"
    assert referrals.get_referral(ref.id).notes == ""
    shot(dialog, "referral-conflict")

    dialog.conflict.reload_button.click()
    assert dialog.temperature.value() == 5
    dialog.notes.setPlainText("Met at the chamber evening")
    dialog.save()
    assert not dialog.isVisible()
    stored = referrals.get_referral(ref.id)
    assert (stored.temperature, stored.notes) == (5, "Met at the chamber evening")


def test_followup_editor_assigns_and_refuses_a_stale_save(window, db_path, qtbot):
    users.set_current("maria")
    anna = person("Anna")
    item = followups.create_followup(anna, DUE, title="Call Anna")
    view = window.show_page("followups")
    dialog = team.edit_followup(view, item.id)
    assert dialog is not None and dialog.windowTitle() == "Edit Follow-up"
    colleague(db_path, "followups", "edit", str(item.id), "--title", "Call Anna about the offer")
    type_text(dialog.assigned, "giorgos")
    dialog.accept()
    assert dialog.isVisible() and "luca changed this follow-up" in dialog.conflict.text.text()
    assert dialog.assigned.text() == "giorgos"
    shot(dialog, "followup-conflict")
    dialog.conflict.reload_button.click()
    assert dialog.title_edit.text() == "Call Anna about the offer"
    assert dialog.assigned.text() == ""
    type_text(dialog.assigned, "giorgos")
    dialog.accept()
    assert not dialog.isVisible()
    stored = followups.get_followup(item.id)
    assert (stored.title, stored.assigned_to) == ("Call Anna about the offer", "giorgos")


def test_new_followup_is_assigned_with_completion_from_known_users(window, qtbot):
    users.set_current("maria")
    anna = person("Anna")
    users.set_current("luca")
    followups.create_followup(anna, DUE, title="Luca's")
    users.set_current("maria")
    view = window.show_page("followups")
    view.new_followup()
    dialog = view.new_dialog
    completions = dialog.assigned.completer().model()
    names = [completions.index(i, 0).data() for i in range(completions.rowCount())]
    assert names == ["luca", "maria"]
    type_text(dialog.contact_search, "Anna")
    dialog.contact_search.flush()
    type_text(dialog.title_edit, "Send the offer")
    type_text(dialog.assigned, "luca")
    shot(dialog, "followup-new-assigned")
    dialog.accept()
    made = followups.get_followup(dialog.created_id)
    assert (made.assigned_to, made.created_by) == ("luca", "maria")


@pytest.fixture
def team_followups(store):
    anna = person("Anna")
    for user, title, assign in (
        ("maria", "Maria's own", ""),
        ("maria", "For luca", "luca"),
        ("luca", "For maria", "maria"),
        ("luca", "Luca's own", ""),
    ):
        users.set_current(user)
        followups.create_followup(anna, DUE, title=title, assigned_to=assign)
    users.set_current("maria")


def titles(view, section: str) -> list[str]:
    """The Title column as the table shows it, sorted."""
    model = view.models[section]
    return sorted(model.index(r, COL_TITLE).data() for r in range(model.rowCount()))


def test_mine_filter_counts_and_is_remembered(team_followups, window, qsettings, store, qtbot):
    view = window.show_page("followups")
    window.ctx.changed("followups")
    assert view.mine_box.text() == "&Mine (2)" and not view.mine_box.isChecked()
    assert view.tabs.tabText(2) == "Upcoming (4)"
    assert "For luca (for luca)" in titles(view, "upcoming")  # whose it is, in the list
    view.mine_box.click()
    assert titles(view, "upcoming") == ["For maria (for maria)", "Maria's own"]
    assert view.tabs.tabText(2) == "Upcoming (2)"
    shot(view, "followups-mine")
    window.close()

    again = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(again)
    again.show()
    page = again.show_page("followups")
    again.ctx.changed("followups")
    assert page.mine_box.isChecked()
    assert titles(page, "upcoming") == ["For maria (for maria)", "Maria's own"]
    page.mine_box.click()
    assert len(titles(page, "upcoming")) == 4
    again.close()


def test_the_user_shows_in_the_status_bar_and_the_contact_pane_says_who(window, qtbot):
    assert window.user_label.text() == f"Working as {users.current()}"
    users.set_current("maria")
    anna, bruno = person("Anna"), person("Bruno", "Verdi")
    users.set_current("luca")
    referrals.record_referral(bruno, anna)
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    view.show_contact(anna)
    history = view.detail.history.tree
    rows = [
        [history.topLevelItem(r).text(c) for c in range(4)]
        for r in range(history.topLevelItemCount())
    ]
    assert ["Contact created", "maria"] in [[r[2], r[3]] for r in rows]
    assert history.headerItem().text(3) == "By"
    assert history.topLevelItem(0).toolTip(3) == "by luca"  # "Referred by Bruno" is luca's
    received = view.detail.referrals.received
    assert received.topLevelItem(0).text(4) == "luca"
    assert received.topLevelItem(0).toolTip(4) == "by luca"
    shot(view.detail, "contact-pane-by")


def test_the_screen_briefing_signs_a_colleagues_lines(window, qtbot):
    from crm.core import events, interactions

    users.set_current("maria")
    ev = events.create_event("Chamber evening", clock.today()).id
    anna, bruno = person("Anna"), person("Bruno", "Verdi")
    events.attend(ev, anna)
    followups.create_followup(anna, DUE, title="Send the proposal", assigned_to="giorgos")
    users.set_current("luca")
    referrals.record_referral(anna, bruno)
    interactions.add_note(anna, "call", "Talked about the fair")
    users.set_current("maria")
    window.go("briefing", ev)
    page = window.pages["briefing"]
    marks = {ord("\u2068"): None, ord("\u2069"): None}  # the isolates around data
    text = " ".join(page.browser.toPlainText().translate(marks).split())
    assert "Bruno Verdi (new, by luca)" in text
    assert "Send the proposal (" in text and "for giorgos)" in text
    assert "Talked about the fair by luca" in text
    shot(page, "briefing-by")
