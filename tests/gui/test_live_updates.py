"""Others' changes reach the open window by themselves: a real `crm` process beside the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialog

from crm.core import contacts
from crm.core.contact_fields import ContactData
from crm.gui.app import build_window
from crm.gui.views.contacts.model import COL_NAME

ROOT = Path(__file__).resolve().parents[2]


def person(given: str, family: str) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family)).id


def crm(db_path: Path, *args: str) -> dict:
    """Run the `crm` command in a process of its own on the app's database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


@pytest.fixture
def watched(window, qtbot):
    """The window on a few contacts, its watcher started and polling often."""
    for i in range(60):
        person(f"Given{i:02d}", f"Family{i:02d}")
    view = window.show_page("contacts")
    window.ctx.changed("contacts")
    window.live.timer.setInterval(100)
    qtbot.waitUntil(lambda: window.live.watcher is not None, timeout=3000)
    return window, view


def test_a_crm_process_adds_a_contact_and_a_followup_the_window_shows_both(
    watched, qtbot, db_path
) -> None:
    window, view = watched
    model = view.model
    assert model.rowCount() == 60
    # Someone was looking at a contact far down the list.
    view.show_contact(model.id_at(45))
    scroll = view.table.verticalScrollBar()
    at = scroll.value()
    assert at > 0
    window.update_due()
    before_due = window.due_label.text()
    assert "0 due today" in before_due
    reloads = []
    window.live.delivered.connect(reloads.append)

    added = crm(db_path, "contacts", "add", "--given", "Aaron", "--family", "Elsewhere")
    qtbot.waitUntil(lambda: model.row_of(added["id"]) is not None, timeout=5000)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    crm(db_path, "followups", "add", str(added["id"]), "--due", "2026-12-06", "--title", "Call")
    qtbot.waitUntil(lambda: window.due_label.text() != before_due, timeout=5000)
    assert "1 due today" in window.due_label.text()
    assert model.rowCount() == 61
    texts = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert any("Aaron" in t for t in texts)
    # The same contact selected, the list where it was.
    assert view.selected_ids() == [model.id_at(46)]
    assert view.detail.contact_id == model.id_at(46)
    assert abs(scroll.value() - at) <= 1
    # Each told by its kinds (a follow-up adds a line to the contact's history),
    # and the page that shows both re-read once.
    assert reloads == [["contacts"], ["contacts", "followups"]]
    assert resets == [1]


def test_nothing_is_reread_when_nothing_changed(watched, qtbot) -> None:
    window, view = watched
    fetched = view.model.fetch_count
    delivered = []
    window.live.delivered.connect(delivered.append)
    qtbot.wait(500)
    assert delivered == []
    assert view.model.fetch_count == fetched


def test_the_windows_own_changes_are_not_news(watched, qtbot) -> None:
    window, _view = watched
    delivered = []
    window.live.delivered.connect(delivered.append)
    person("Own", "Change")
    window.ctx.changed("contacts")
    qtbot.wait(500)
    assert delivered == []


def test_nothing_reloads_under_an_open_dialog(watched, qtbot, db_path) -> None:
    window, view = watched
    dialog = QDialog(window)
    dialog.open()  # window-modal, as the editors are
    qtbot.waitUntil(dialog.isVisible)
    delivered = []
    window.live.delivered.connect(delivered.append)
    added = crm(db_path, "contacts", "add", "--given", "Zoe", "--family", "Later")
    qtbot.wait(400)
    assert delivered == []
    assert view.model.row_of(added["id"]) is None
    dialog.reject()
    qtbot.waitUntil(lambda: view.model.row_of(added["id"]) is not None, timeout=5000)
    assert delivered == [["contacts"]]


def test_a_reload_keeps_several_selected_rows_and_the_scroll_position(
    watched, qtbot, db_path
) -> None:
    _window, view = watched
    model = view.model
    first, second = model.id_at(10), model.id_at(12)
    view.show_contact(first)
    view.table.selectionModel().select(
        model.index(12, COL_NAME),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert view.selected_ids() == [first, second]
    # The user scrolled on, away from the selection.
    scroll = view.table.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    at = scroll.value()
    assert at > 0

    crm(db_path, "contacts", "add", "--given", "Zed", "--family", "Last")
    qtbot.waitUntil(lambda: model.rowCount() == 61, timeout=5000)
    assert view.selected_ids() == [first, second]
    assert scroll.value() == at


def test_on_worker_threads_as_in_the_app(qtbot, store, qsettings, db_path) -> None:
    """The gateway on its threads: the watcher starts and looks there, the table follows."""
    for i in range(5):
        person(f"Given{i}", "Worker")
    window = build_window(store, qsettings)
    qtbot.addWidget(window)
    window.show()
    view = window.show_page("contacts")
    window.live.timer.setInterval(100)
    qtbot.waitUntil(lambda: window.live.watcher is not None, timeout=5000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 5, timeout=5000)
    added = crm(db_path, "contacts", "add", "--given", "Threaded", "--family", "Elsewhere")
    qtbot.waitUntil(lambda: view.model.row_of(added["id"]) is not None, timeout=5000)
    window.close()
    assert window.ctx.gateway.wait(5000)
