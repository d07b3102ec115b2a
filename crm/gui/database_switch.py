"""Opening another database from the File menu: the recent ones, and switching to one.

Every database the window opens (a SQLite file, a team database) goes at the
top of File → Open Recent (QSettings ``recent/databases``, a team database's
address without its password). Switching closes the window as quitting would
(its layout saved, the on-close backup made), opens the other database and
shows a new main window on it in the same place; when the other cannot be
opened the window comes back on the one it had, with the reason in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from crm.core import db, team_db
from crm.core.errors import CrmError
from crm.gui.gateway import Progress, show_error
from crm.i18n import _

if TYPE_CHECKING:
    from crm.gui.main_window import MainWindow

RECENT_KEY = "recent/databases"
MAX_RECENT = 8


def recent_databases(settings: QSettings) -> list[str]:
    """The databases opened lately, the latest first."""
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives one value back as a plain string
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if str(v)]


def remember(settings: QSettings, target: db.Target) -> None:
    """Put ``target`` at the top of the recent databases."""
    entry = team_db.remembered(target)
    entries = [entry, *(e for e in recent_databases(settings) if e != entry)]
    settings.setValue(RECENT_KEY, entries[:MAX_RECENT])


def forget_all(settings: QSettings) -> None:
    settings.setValue(RECENT_KEY, [])


def fill_recent_menu(menu: QMenu, window: MainWindow) -> None:
    """The recent databases, the open one ticked; then Clear Menu."""
    menu.clear()
    current = team_db.remembered(window.ctx.store.target)
    entries = recent_databases(window.ctx.settings)
    for number, entry in enumerate(entries, start=1):
        label = entry.replace("&", "&&")
        action = QAction(f"&{number} {label}" if number < 10 else label, menu)
        action.setObjectName(f"recent{number}")
        action.setData(entry)
        action.setToolTip(entry)
        if entry == current:
            action.setCheckable(True)
            action.setChecked(True)
        action.triggered.connect(lambda _c=False, e=entry: open_database_at(window, e))
        menu.addAction(action)
    if not entries:
        empty = menu.addAction(_("No Recent Databases"))
        empty.setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction(_("&Clear Menu"))
    clear.setObjectName("clearRecent")
    clear.setEnabled(bool(entries))
    clear.triggered.connect(lambda: forget_all(window.ctx.settings))


def open_team_database(window: MainWindow, url: str = "", problem: str = "") -> None:
    """Ask for a team database's address; switch to it once it connects.

    The address starts as ``url`` (else the last team database opened), with
    ``problem`` said under it (a recent one that did not connect).
    """
    from crm.gui.team_dialog import OpenTeamDatabaseDialog

    last = url or next((e for e in recent_databases(window.ctx.settings) if "://" in e), "")
    dialog = OpenTeamDatabaseDialog(window.ctx, window, last)
    dialog.show_error(problem)
    dialog.chosen.connect(lambda url: switch_database(window, url))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def open_database_at(window: MainWindow, entry: str) -> None:
    """Open a recent database: a file that is still there, a server that answers."""
    if entry == team_db.remembered(window.ctx.store.target):
        return
    target = db.parse_target(entry)
    if target.path is not None:
        path = target.path
        if not path.is_file() or not db.looks_like_sqlite(path):
            window.ctx.gateway.show_error(
                _("There is no Passaparola database at {path} any more").format(path=path)
            )
            return
        switch_database(window, entry)
        return

    def work(_progress: Progress) -> None:
        team_db.try_connect(entry)

    def connected(_result: object) -> None:
        switch_database(window, entry)

    def refused(exc: BaseException) -> None:
        # Said under the address, which may want a password (never remembered).
        open_team_database(window, entry, exc.message if isinstance(exc, CrmError) else str(exc))

    window.ctx.gateway.run(work, on_done=connected, on_error=refused, label=_("Connecting…"))


def switch_database(window: MainWindow, target: str) -> MainWindow | None:
    """Close ``window`` and show a new one on ``target`` (back on its own if that fails)."""
    from crm.gui.app import build_window
    from crm.gui.daily_rules import DailyRules

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = window.ctx
    old = ctx.store.target
    settings, gateway = ctx.settings, ctx.gateway
    rules = window.findChild(DailyRules) is not None
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # between the two windows, none is open
    problem = ""
    try:
        if not window.close():
            return None
        ctx.store.close()
        try:
            store = db.open_database(target, create=False)
        except Exception as exc:  # a server's own error too: said, never a traceback
            problem = exc.message if isinstance(exc, CrmError) else str(exc).strip()
            problem = problem.splitlines()[0] if problem else type(exc).__name__
            again = _reopen(old, problem)
            if again is None:
                return None
            store = again
        new = build_window(store, settings, synchronous=gateway.synchronous)
        new.ctx.gateway.error_shown = gateway.error_shown
        if rules:
            DailyRules(new.ctx, new).start()
        new.show()
        remember(settings, store.target)
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
    app.aboutToQuit.connect(store.close)
    window.deleteLater()
    if problem:
        shown = team_db.without_password(target) if "://" in target else target
        new.ctx.gateway.show_error(
            _("Could not open {database}: {problem}").format(database=shown, problem=problem)
        )
    else:
        new.statusBar().showMessage(
            _("Opened {database}").format(database=store.target.describe()), 8000
        )
    return new


def _reopen(old: db.Target, problem: str) -> db.Store | None:
    """The database the window had, again; None (the app quits, saying why) if it is gone too."""
    try:
        return db.open_database(old.url or old.path)
    except Exception as exc:
        reason = exc.message if isinstance(exc, CrmError) else str(exc)
        show_error(
            None,
            _("Could not open the database again: {reason} ({problem})").format(
                reason=reason, problem=problem
            ),
        )
        QApplication.quit()
        return None
