"""The interface language: the catalog answers Qt's tr(), Qt's own dialogs speak it too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from crm import i18n
from crm.core import this_computer
from crm.core.errors import NotFoundError
from crm.gui.app import build_window, set_language
from crm.gui.pages import NAV_PAGES


@pytest.fixture
def speak(qapp_named, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = QApplication.instance()
    yield lambda code: set_language(app, code)
    set_language(app, "en")


def _nav(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def _menus(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_greek_window(speak, store, qsettings, qtbot):
    assert speak("el") == "el"
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    assert _nav(window)[: len(NAV_PAGES)] == [
        "Επαφές",
        "Οργανισμοί",
        "Συστάσεις",
        "Εκδηλώσεις",
        "Υπενθυμίσεις",
        "Κουπόνια και επιστολές",
        "Πίνακας ελέγχου",
    ]
    assert "&Αρχείο" in _menus(window) and "&Βοήθεια" in _menus(window)
    # The core's refusals are worded in the same language.
    assert str(NotFoundError(code="contacts.contact_not_found", contact_id=3)) == (
        "Δεν υπάρχει επαφή με αριθμό 3"
    )
    window.grab().save(str(qsettings.fileName()) + ".png")


def test_back_to_english(speak, store, qsettings, qtbot):
    speak("it")
    speak("en")
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    assert _nav(window)[0] == "Contacts"
    assert i18n.language() == "en"


def test_qt_standard_buttons_are_translated(speak, qtbot):
    speak("it")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annulla"


def test_arabic_is_right_to_left(speak):
    speak("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    speak("bg")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_unknown_language_is_english(speak):
    assert speak("fr_FR") == "en"
    assert i18n.language() == "en"


def test_cli_language_option_is_known():
    from crm.cli import build_parser

    args = build_parser().parse_args(["--language", "el", "contacts", "list"])
    assert args.ui_language == "el"


def test_preferences_choose_the_interface_language(window, qtbot, tmp_path):
    from crm.gui.settings_dialog import TAB_MONEY

    window.menu_actions.preferences.trigger()
    dialog = window.settings_dialog
    dialog.tabs.setCurrentIndex(TAB_MONEY)
    combo = dialog.ui_language
    assert combo.currentData() == ""  # the system's language until one is chosen
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "en", "el", "bg", "it", "ar"]
    dialog.grab().save(str(tmp_path / "preferences.png"))
    combo.setCurrentIndex(combo.findData("el"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    # This computer's choice, in its own file (crm settings get ui_language reads it too).
    assert this_computer.ui_language() == "el"
    assert not window.ctx.settings.contains("ui/language")
    # Opened again, the dialog shows the choice.
    window.menu_actions.preferences.trigger()
    assert window.settings_dialog.ui_language.currentData() == "el"


def test_greek_standard_buttons_come_from_our_catalog(speak, qtbot):
    # Qt ships no qtbase_el.qm; crm/gui/qt_words.py puts its button words in our catalog.
    speak("el")
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Αποθήκευση"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Άκυρο"


def test_the_app_starts_in_this_computers_language(qsettings):
    from crm.gui.app import start_language

    assert start_language(qsettings) is None  # nothing chosen: the system's
    this_computer.set_value("ui_language", "ar")  # as `crm settings set ui_language ar`
    assert start_language(qsettings) == "ar"


def test_the_old_qt_setting_moves_to_this_computer_once(qsettings):
    from crm.gui.app import start_language

    qsettings.setValue("ui/language", "bg")
    assert start_language(qsettings) == "bg"
    assert this_computer.ui_language() == "bg" and not qsettings.contains("ui/language")
    # A later choice is this computer's; a stale Qt value never overrides it.
    this_computer.set_value("ui_language", "it")
    qsettings.setValue("ui/language", "el")
    assert start_language(qsettings) == "it"
    qsettings.setValue("ui/language", "xx")
    assert start_language(qsettings) == "it"
