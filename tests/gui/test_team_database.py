"""File → Open Team Database… and File → Open Recent: the dialog, the list, switching."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu
from qtkeys import type_text
from shots import shot

from crm.core import contacts
from crm.core.contact_fields import ContactData
from crm.gui import database_switch
from crm.gui.app import build_window
from crm.gui.main_window import MainWindow
from crm.gui.team_dialog import OpenTeamDatabaseDialog

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql://postgres@127.0.0.1:5432"


def other_database(path: Path, given: str) -> int:
    """A second database file with one contact, made by a `crm` process."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm",
            "--db",
            str(path),
            "contacts",
            "add",
            "--given",
            given,
            "--family",
            "Other",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["id"])


@pytest.fixture
def dialog(window, qtbot):
    """The dialog as File → Open Team Database… opens it."""
    window.findChild(type(window.menu_actions.demo), "openTeamDatabase").trigger()
    found = window.findChild(OpenTeamDatabaseDialog)
    assert found is not None and found.isVisible()
    return found


def press_open(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Open).click()


def test_a_bad_address_is_said_under_the_field(dialog, qtbot) -> None:
    press_open(dialog)
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Type the address of the team database")
    type_text(dialog.field, "mysql://anna@server/crm")
    assert not dialog.error.isVisible(), "typing clears the complaint"
    press_open(dialog)
    assert "starts with postgresql://" in dialog.error.text()
    assert dialog.isVisible()
    dialog.field.setText("postgresql://anna@server")
    press_open(dialog)
    assert "names no database" in dialog.error.text()
    shot(dialog, "team-dialog-error.png")


def test_a_server_that_does_not_answer_is_said_in_words(dialog) -> None:
    dialog.field.setText("postgresql://anna@127.0.0.1:1/crm")
    press_open(dialog)
    assert dialog.isVisible()
    assert dialog.error.text() == (
        "No PostgreSQL server answers at 127.0.0.1:1: is it running, and is that the right port?"
    )
    assert "Traceback" not in dialog.error.text()


def test_an_address_that_connects_is_chosen(window, qtbot, errors) -> None:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError as exc:
        print(f"SKIPPED: no PostgreSQL server at {SERVER}: {exc}")
        pytest.skip(f"no PostgreSQL server at {SERVER}")
    # Built on its own: the tested part is the dialog, not the switch.
    dialog = OpenTeamDatabaseDialog(window.ctx, window)
    dialog.open()
    dialog.field.setText(f"{SERVER}/postgres")
    with qtbot.waitSignal(dialog.chosen) as chosen:
        press_open(dialog)
    assert chosen.args == [f"{SERVER}/postgres"]
    assert not dialog.isVisible()
    assert errors == []


# -- the recent databases and switching ------------------------------------------------


@pytest.fixture
def own_window(qtbot, store, qsettings, errors):
    """A main window this test may close and replace (the windows it ends with, closed)."""
    win = build_window(store, qsettings, synchronous=True)
    win.ctx.gateway.error_shown = lambda message, details: errors.append((message, details))
    win.show()
    qtbot.waitExposed(win)
    yield win
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.close()
            widget.ctx.store.close()


def recent_menu(window: MainWindow) -> QMenu:
    menu = window.findChild(QMenu, "recentMenu")
    assert menu is not None
    menu.aboutToShow.emit()
    return menu


def recent_entries(window: MainWindow) -> list[tuple[str, bool]]:
    return [
        (a.data(), a.isChecked())
        for a in recent_menu(window).actions()
        if a.data() is not None and a.objectName().startswith("recent")
    ]


def the_window() -> MainWindow:
    shown = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    assert len(shown) == 1
    return shown[0]


def test_open_recent_lists_the_open_file_and_switches_to_another(
    own_window, qsettings, db_path, tmp_path, qtbot, errors
) -> None:
    contacts.create_contact(ContactData(given_name="Here", family_name="First"))
    other = tmp_path / "other.sqlite3"
    other_id = other_database(other, "There")
    here = str(db_path.resolve())
    assert recent_entries(own_window) == [(here, True)]
    # Opened some other day: it is in the list.
    database_switch.remember(qsettings, database_switch.db.parse_target(other))
    database_switch.remember(qsettings, own_window.ctx.store.target)
    assert recent_entries(own_window) == [(here, True), (str(other.resolve()), False)]
    own_window.show_page("followups")

    action = next(a for a in recent_menu(own_window).actions() if a.data() == str(other.resolve()))
    action.trigger()

    switched = the_window()
    assert switched is not own_window
    assert switched.ctx.store.path == other
    assert str(other) in switched.windowTitle()
    assert switched.current_page_name() == "followups", "the layout went along"
    page = switched.show_page("contacts")
    switched.ctx.changed("contacts")
    assert page.model.ids == [other_id]
    assert contacts.get_contact(other_id).given_name == "There"
    assert recent_entries(switched) == [(str(other.resolve()), True), (here, False)]
    assert errors == []
    switched.grab().save(str(tmp_path / "switched.png"))

    # And back.
    back = next(a for a in recent_menu(switched).actions() if a.data() == here)
    back.trigger()
    again = the_window()
    assert again.ctx.store.path == db_path
    assert contacts.count() == 1
    assert again.show_page("contacts").model.rowCount() == 1


def test_a_recent_file_that_is_gone_is_said_and_nothing_closes(
    own_window, qsettings, tmp_path, errors
) -> None:
    gone = tmp_path / "gone.sqlite3"
    database_switch.remember(qsettings, database_switch.db.parse_target(gone))
    action = next(a for a in recent_menu(own_window).actions() if a.data() == str(gone.resolve()))
    action.trigger()
    assert the_window() is own_window
    assert errors.messages() == [f"There is no Passaparola database at {gone.resolve()} any more"]


def test_clear_menu_forgets_the_list(own_window, qsettings, tmp_path) -> None:
    database_switch.remember(qsettings, database_switch.db.parse_target(tmp_path / "x.sqlite3"))
    clear = next(a for a in recent_menu(own_window).actions() if a.objectName() == "clearRecent")
    clear.trigger()
    assert recent_entries(own_window) == []
    assert database_switch.recent_databases(qsettings) == []


def test_a_recent_team_database_that_refuses_opens_the_dialog_saying_why(
    own_window, qsettings, errors
) -> None:
    entry = "postgresql://anna@127.0.0.1:1/agency"
    database_switch.remember(qsettings, database_switch.db.parse_target(entry))
    action = next(a for a in recent_menu(own_window).actions() if a.data() == entry)
    action.trigger()
    assert the_window() is own_window
    dialog = own_window.findChild(OpenTeamDatabaseDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.field.text() == entry
    assert dialog.error.text().startswith("No PostgreSQL server answers at 127.0.0.1:1")
    assert errors == []


def test_a_database_that_cannot_open_brings_the_window_back_on_its_own(
    own_window, db_path, tmp_path, errors
) -> None:
    import sqlite3

    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE crm_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO crm_meta VALUES ('schema_version', '99')")
    conn.commit()
    conn.close()
    contacts.create_contact(ContactData(given_name="Still", family_name="Here"))

    back = database_switch.switch_database(own_window, str(newer))

    assert back is not None and back is the_window()
    assert back.ctx.store.path == db_path
    assert contacts.count() == 1
    [message] = errors.messages()
    assert message.startswith(f"Could not open {newer}: ")
    assert "newer" in message
    assert "Traceback" not in message
