"""Help → About: name, version, the database in use, and the versions a bug report needs."""

from __future__ import annotations

import platform
import sqlite3

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

import crm
from crm.gui.about import AboutDialog
from crm.gui.icon import DESKTOP_ID


def open_about(window, qtbot) -> AboutDialog:
    """Help → About, through the menu bar as a user reaches it."""
    help_menu = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.menu() is not None and action.text().replace("&", "") == "Help"
    )
    about = next(a for a in help_menu.actions() if a.objectName() == "about")
    assert about.text().replace("&", "").startswith("About")
    about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def shown_text(dialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_about_shows_name_version_database_and_versions(window, store, qtbot):
    dialog = open_about(window, qtbot)
    text = shown_text(dialog)
    assert f"Passaparola {crm.__version__}" in text
    assert str(store.path) in text
    values = {name: label.text() for name, label in dialog.value_labels.items()}
    assert values == {
        "Database": str(store.path),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }
    assert "GPL-3.0-or-later" in text
    # Window-modal, opened without blocking (Preferences works the same way).
    assert dialog.windowModality() == Qt.WindowModality.WindowModal


def test_copy_details_puts_the_versions_on_the_clipboard(window, store, qtbot):
    dialog = open_about(window, qtbot)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines() == [
        f"Passaparola {crm.__version__}",
        f"Database: {store.path}",
        f"Qt {qVersion()}",
        f"PySide6 {PySide6.__version__}",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
    ]


def test_close_button_closes_and_frees_the_dialog(window, qtbot):
    dialog = open_about(window, qtbot)
    box = dialog.findChild(QDialogButtonBox)
    close = box.button(QDialogButtonBox.StandardButton.Close)
    with qtbot.waitSignal(dialog.destroyed, timeout=2000):
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert window.findChild(AboutDialog) is None


def test_a_database_name_is_shown_as_text_not_markup(tmp_path, qtbot, qsettings):
    from crm.core import db
    from crm.gui.app import build_window

    odd = db.open_database(tmp_path / "<b>Smith & Co<i>.sqlite3")
    try:
        win = build_window(odd, qsettings, synchronous=True)
        qtbot.addWidget(win)
        win.show()
        dialog = open_about(win, qtbot)
        label = dialog.value_labels["Database"]
        assert label.text() == str(tmp_path / "<b>Smith & Co<i>.sqlite3")
        assert label.textFormat() == Qt.TextFormat.PlainText
        dialog.close()
        win.close()
    finally:
        odd.close()


def test_the_app_has_its_icon_and_desktop_name(window, qtbot):
    app = QApplication.instance()
    assert app.desktopFileName() == DESKTOP_ID
    # Set after the window's first paint (drawing the SVG loads Qt's SVG plugins).
    qtbot.waitUntil(lambda: not app.windowIcon().isNull(), timeout=5000)
    assert not window.windowIcon().pixmap(48, 48).isNull()
