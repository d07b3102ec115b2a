"""The main window's menu bar: each command's text, shortcut and object name.

Every action calls a slot of the window and is added to the window as well as
to its menu. The strings keep the window's translation context. The actions
others use come back as one :class:`MenuActions`, kept by the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from crm.gui import database_switch
from crm.gui.pages import DATA_PAGES, NAV_PAGES

if TYPE_CHECKING:
    from crm.gui.main_window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | None


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass(frozen=True)
class MenuActions:
    """The menu commands the window and its pages trigger or reuse elsewhere."""

    new_contact: QAction
    demo: QAction
    import_contacts: QAction
    print_page: QAction
    undo: QAction
    redo: QAction
    archive: QAction
    preferences: QAction
    export_person: QAction
    erase_person: QAction


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[..., object],
    shortcut: Shortcut = None,
    name: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    if name:
        action.setObjectName(name)
    window.addAction(action)
    return action


def _add(menu: QMenu, *actions: QAction | None) -> None:
    """Add ``actions`` in order; ``None`` is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def build_menus(window: MainWindow) -> MenuActions:
    """Fill the window's menu bar; returns the actions the window keeps."""
    bar = window.menuBar()
    file_actions = _file_menu(window, bar)
    undo, redo, archive, preferences = _edit_menu(window, bar)
    export_person, erase_person = _contact_menu(window, bar)
    _view_menu(window, bar)
    help_menu = bar.addMenu(_tr("&Help"))
    help_menu.addAction(_action(window, _tr("&About Passaparola"), window.about, None, "about"))
    new_contact, demo, import_contacts, print_page = file_actions
    return MenuActions(
        new_contact=new_contact,
        demo=demo,
        import_contacts=import_contacts,
        print_page=print_page,
        undo=undo,
        redo=redo,
        archive=archive,
        preferences=preferences,
        export_person=export_person,
        erase_person=erase_person,
    )


def _file_menu(window: MainWindow, bar: QMenuBar) -> tuple[QAction, QAction, QAction, QAction]:
    """File: new contact, demo, import, export, backups, print, quit."""
    menu = bar.addMenu(_tr("&File"))
    new_contact = _action(
        window, _tr("&New Contact…"), window.new_contact, QKeySequence.StandardKey.New, "newContact"
    )
    team = _action(
        window,
        _tr("Open &Team Database…"),
        lambda: database_switch.open_team_database(window),
        None,
        "openTeamDatabase",
    )
    recent = QMenu(_tr("Open &Recent"), menu)
    recent.setObjectName("recentMenu")
    recent.aboutToShow.connect(lambda: database_switch.fill_recent_menu(recent, window))
    # The database this window opened is the latest of the recent ones.
    database_switch.remember(window.ctx.settings, window.ctx.store.target)
    demo = _action(window, _tr("Load &Demo Data…"), window.load_demo, None, "demo")
    import_contacts = _action(
        window,
        _tr("&Import Contacts…"),
        window.import_contacts,
        QKeySequence("Ctrl+Shift+I"),
        "import",
    )
    _add(menu, new_contact, team)
    menu.addMenu(recent)
    _add(menu, None, demo, None, import_contacts)
    export_menu = menu.addMenu(_tr("&Export"))
    export_menu.setObjectName("exportMenu")
    for kind, text in (
        ("vcard4", _tr("&vCard 4.0…")),
        ("vcard3", _tr("vCard &3.0 (older phones)…")),
        ("csv", _tr("&CSV (Excel)…")),
        ("ics", _tr("Ca&lendar (.ics)…")),
        ("ics_events", _tr("Calendar &Events with Alarms (.ics)…")),
        ("referrals", _tr("&Referrals CSV…")),
    ):
        export_menu.addAction(
            _action(
                window,
                text,
                lambda _c=False, k=kind: window.export_data(k),
                None,
                f"export_{kind}",
            )
        )
    print_page = _action(
        window, _tr("&Print…"), window.print_page, QKeySequence.StandardKey.Print, "print"
    )
    _add(
        menu,
        None,
        _action(window, _tr("&Back Up Now…"), window.backup_now, None, "backup"),
        _action(window, _tr("&Restore…"), window.restore_backup, None, "restore"),
        None,
        print_page,
        None,
        _action(window, _tr("&Quit"), window.close, QKeySequence.StandardKey.Quit, "quit"),
    )
    return new_contact, demo, import_contacts, print_page


def _edit_menu(window: MainWindow, bar: QMenuBar) -> tuple[QAction, QAction, QAction, QAction]:
    """Edit: undo, redo, find, archive, preferences."""
    menu = bar.addMenu(_tr("&Edit"))
    # The stack names the step in the text: "Undo Mark Follow-up Done".
    undo = window.undo_stack.createUndoAction(window, _tr("&Undo"))
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    undo.setObjectName("undo")
    redo = window.undo_stack.createRedoAction(window, _tr("&Redo"))
    # Every key the platform knows for Redo (Ctrl+Y first on Linux), and Ctrl+Shift+Z.
    redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
        redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
    redo.setShortcuts(redo_keys)
    redo.setObjectName("redo")
    archive = _action(
        window,
        _tr("&Archive Contact"),
        window.archive_selected,
        QKeySequence("Ctrl+Delete"),
        "archive",
    )
    preferences = _action(
        window,
        _tr("&Preferences…"),
        window.open_settings,
        QKeySequence.StandardKey.Preferences,
        "preferences",
    )
    if preferences.shortcut().isEmpty():
        preferences.setShortcut(QKeySequence("Ctrl+,"))
    find = _action(window, _tr("&Find"), window.find_in_page, QKeySequence.StandardKey.Find, "find")
    _add(menu, undo, redo, None, find, archive, None, preferences)
    return undo, redo, archive, preferences


def _contact_menu(window: MainWindow, bar: QMenuBar) -> tuple[QAction, QAction]:
    """Contact: the person's data, exported or erased."""
    menu = bar.addMenu(_tr("&Contact"))
    export_person = _action(
        window, _tr("E&xport Person's Data…"), window.export_person, None, "exportPerson"
    )
    erase_person = _action(window, _tr("&Erase Person…"), window.erase_person, None, "erasePerson")
    _add(menu, export_person, erase_person)
    return export_person, erase_person


def _view_menu(window: MainWindow, bar: QMenuBar) -> None:
    """View: one command per page, Ctrl+1 onwards."""
    menu = bar.addMenu(_tr("&View"))
    titles = window.page_titles()
    for i, name in enumerate((*NAV_PAGES, *DATA_PAGES)):
        if i == len(NAV_PAGES):
            menu.addSeparator()
        menu.addAction(
            _action(
                window,
                titles[name],
                lambda _c=False, n=name: window.show_page(n),
                QKeySequence(f"Ctrl+{i + 1}"),
                f"show_{name}",
            )
        )
