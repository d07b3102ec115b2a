"""Start the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from crm import APP_ID, APP_NAME, __version__
from crm.core import db, lean_peewee
from crm.core.errors import CrmError
from crm.gui import translation
from crm.gui.context import AppContext
from crm.gui.daily_rules import DailyRules
from crm.gui.gateway import Gateway
from crm.gui.icon import DESKTOP_ID, ensure_app_icon
from crm.gui.main_window import MainWindow
from crm.gui.widgets import inform

RTL_LANGUAGES = translation.RTL_LANGUAGES
# Where the app kept the interface language before it was this computer's preference.
LEGACY_LANGUAGE_KEY = "ui/language"

# The app loads peewee after its first paint: without psycopg unless a team
# (PostgreSQL) database is opened, which saves ~20 MB on a SQLite file.
lean_peewee.install()

# SQLite's page cache per connection (the app's own and one per worker thread): the
# OS caches the file as well, and at a million contacts 4 MB each came to ~9 MB of
# the app's memory. Lists and searches read the same with 1 MB.
PAGE_CACHE_KIB = 1_000


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, named so QSettings has a home; the databases
    opened from now on take the app's page cache (PAGE_CACHE_KIB)."""
    db.set_page_cache_kib(PAGE_CACHE_KIB)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setOrganizationDomain("passaparola.app")
    QCoreApplication.setApplicationName(APP_ID)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)  # the GUI's application, never a bare core one
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    # The launcher entry's name (Wayland matches windows to it); the icon of every window
    # comes after the main window's first paint (ensure_app_icon).
    app.setDesktopFileName(DESKTOP_ID)
    return app


def set_language(app: QApplication, language: str | None) -> str:
    """The interface in ``language`` (default: the system's; English if not one of ours):
    the catalog, Qt's own dialogs, right-to-left for Arabic. The code in use."""
    return translation.install(app, language)


def start_language(qsettings: QSettings | None = None) -> str | None:
    """This computer's interface language (None: the system's). A choice the app once kept
    in its Qt settings (``ui/language``) moves to this computer's preferences, once."""
    from crm.core import this_computer

    old = qsettings if qsettings is not None else QSettings()
    if old.contains(LEGACY_LANGUAGE_KEY):
        this_computer.adopt_ui_language(old.value(LEGACY_LANGUAGE_KEY))
        old.remove(LEGACY_LANGUAGE_KEY)
    return this_computer.ui_language() or None


def build_window(
    store: db.Store, settings: QSettings | None = None, *, synchronous: bool = False
) -> MainWindow:
    """The main window on an open database (tests pass their own settings file)."""
    gateway = Gateway(synchronous=synchronous)
    ctx = AppContext(store, gateway, settings or QSettings())
    window = MainWindow(ctx)
    gateway.parent_widget = window
    gateway.setParent(window)
    return window


def run(db_target: str | None = None, language: str | None = None) -> int:
    """The app on ``db_target``, in ``language`` (``crm --language L``), else the one chosen
    in Preferences or by ``crm settings set ui_language`` (this computer's), else the system's."""
    app = application()
    set_language(app, language or start_language())
    try:
        store = db.open_database(db_target)
    except CrmError as exc:
        ensure_app_icon()
        inform(None, APP_NAME, exc.message, QMessageBox.Icon.Critical)
        return 2
    window = build_window(store)
    # The app is a writer: it makes the day's rule reminders. Screenshots and tests
    # build the window without this, so what they show changes nothing.
    DailyRules(window.ctx, window).start()
    window.show()
    try:
        return int(app.exec())
    finally:
        store.close()
