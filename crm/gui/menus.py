"""The main window's menu bar: each command's text, shortcut and object name.

Every action calls a slot of the window and is added to the window as well as
to its menu. The strings keep the window's translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from crm.gui.pages import DATA_PAGES, NAV_PAGES

if TYPE_CHECKING:
    from crm.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _action(window: MainWindow, text: str, slot, shortcut=None, name: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    if name:
        action.setObjectName(name)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """Fill the window's menu bar; the actions others use become the window's attributes."""
    bar = window.menuBar()
    file_menu = bar.addMenu(_tr("&File"))
    window.new_contact_action = _action(
        window, _tr("&New Contact…"), window.new_contact, QKeySequence.StandardKey.New, "newContact"
    )
    file_menu.addAction(window.new_contact_action)
    file_menu.addSeparator()
    window.demo_action = _action(window, _tr("Load &Demo Data…"), window.load_demo, None, "demo")
    file_menu.addAction(window.demo_action)
    file_menu.addSeparator()
    window.import_action = _action(
        window,
        _tr("&Import Contacts…"),
        window.import_contacts,
        QKeySequence("Ctrl+Shift+I"),
        "import",
    )
    file_menu.addAction(window.import_action)
    export_menu = file_menu.addMenu(_tr("&Export"))
    export_menu.setObjectName("exportMenu")
    for kind, text in (
        ("vcard4", _tr("&vCard 4.0…")),
        ("vcard3", _tr("vCard &3.0 (older phones)…")),
        ("csv", _tr("&CSV (Excel)…")),
        ("ics", _tr("Ca&lendar (.ics)…")),
        ("referrals", _tr("&Referrals CSV…")),
    ):
        export_menu.addAction(
            _action(
                window, text, lambda _c=False, k=kind: window.export_data(k), None, f"export_{kind}"
            )
        )
    file_menu.addSeparator()
    file_menu.addAction(_action(window, _tr("&Back Up Now…"), window.backup_now, None, "backup"))
    file_menu.addAction(_action(window, _tr("&Restore…"), window.restore_backup, None, "restore"))
    file_menu.addSeparator()
    window.print_action = _action(
        window, _tr("&Print…"), window.print_page, QKeySequence.StandardKey.Print, "print"
    )
    file_menu.addAction(window.print_action)
    file_menu.addSeparator()
    file_menu.addAction(
        _action(window, _tr("&Quit"), window.close, QKeySequence.StandardKey.Quit, "quit")
    )

    edit_menu = bar.addMenu(_tr("&Edit"))
    undo = window.undo_stack.createUndoAction(window, _tr("&Undo"))
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, _tr("&Redo"))
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    window.undo_action, window.redo_action = undo, redo
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    edit_menu.addAction(
        _action(window, _tr("&Find"), window.find, QKeySequence.StandardKey.Find, "find")
    )
    window.archive_action = _action(
        window,
        _tr("&Archive Contact"),
        window.archive_selected,
        QKeySequence("Ctrl+Delete"),
        "archive",
    )
    edit_menu.addAction(window.archive_action)
    edit_menu.addSeparator()
    window.preferences_action = _action(
        window,
        _tr("&Preferences…"),
        window.open_settings,
        QKeySequence.StandardKey.Preferences,
        "preferences",
    )
    if window.preferences_action.shortcut().isEmpty():
        window.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
    edit_menu.addAction(window.preferences_action)

    contact_menu = bar.addMenu(_tr("&Contact"))
    window.export_person_action = _action(
        window, _tr("E&xport Person's Data…"), window.export_person, None, "exportPerson"
    )
    window.erase_person_action = _action(
        window, _tr("&Erase Person…"), window.erase_person, None, "erasePerson"
    )
    contact_menu.addAction(window.export_person_action)
    contact_menu.addAction(window.erase_person_action)

    view_menu = bar.addMenu(_tr("&View"))
    for i, name in enumerate((*NAV_PAGES, *DATA_PAGES)):
        if i == len(NAV_PAGES):
            view_menu.addSeparator()
        view_menu.addAction(
            _action(
                window,
                window.page_titles()[name],
                lambda _c=False, n=name: window.show_page(n),
                QKeySequence(f"Ctrl+{i + 1}"),
                f"show_{name}",
            )
        )

    help_menu = bar.addMenu(_tr("&Help"))
    help_menu.addAction(_action(window, _tr("&About Passaparola"), window.about, None, "about"))
