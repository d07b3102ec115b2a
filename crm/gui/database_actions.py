"""The File menu's work on the whole database: demo data, back up now, restore a backup.

Each runs on the gateway; the strings keep the main window's translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog

from crm import APP_NAME
from crm.core import backups, clock
from crm.core.errors import CancelledError
from crm.gui.formatting import number
from crm.gui.widgets import ask, inform

if TYPE_CHECKING:
    from crm.gui.gateway import Progress
    from crm.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def load_demo(window: MainWindow) -> None:
    """Fill an empty database with made-up contacts, as many as the user asks."""
    from crm import demo
    from crm.core import contacts

    if contacts.count(include_archived=True):
        inform(
            window,
            APP_NAME,
            _tr(
                "Demo data goes into an empty database. Open a new file with --db "
                "to try it without touching your contacts."
            ),
        )
        return
    count, ok = QInputDialog.getInt(
        window,
        _tr("Load Demo Data"),
        _tr("How many contacts?"),
        2000,
        10,
        1_000_000,
        1000,
    )
    if not ok:
        return
    store = window.ctx.store

    def work(progress: Progress) -> dict[str, Any]:
        return demo.generate(store, contacts=count, seed=1, progress=progress.update)

    def done(summary: dict[str, Any]) -> None:
        window.ctx.changed("all")
        window.statusBar().showMessage(
            _tr("Loaded %1 demo contacts").replace("%1", number(summary["contacts"])), 8000
        )

    def failed(exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            window.statusBar().showMessage(_tr("Demo data cancelled; nothing was added"), 8000)
        else:
            window.ctx.gateway.show_error(str(exc))

    window.ctx.gateway.run(work, on_done=done, on_error=failed, label=_tr("Creating demo data…"))


def back_up_now(window: MainWindow) -> None:
    """Back the database up to a file the user picks."""
    store = window.ctx.store
    if not store.is_sqlite:
        window.ctx.gateway.show_error(_tr("Backups work on a SQLite database file"))
        return
    default = str(backups.backups_dir(store) / f"crm-{clock.today().isoformat()}.sqlite3")
    backups.backups_dir(store).mkdir(parents=True, exist_ok=True)
    path, _ = QFileDialog.getSaveFileName(
        window, _tr("Back Up Database"), default, _tr("SQLite database (*.sqlite3)")
    )
    if not path:
        return
    window.ctx.gateway.run(
        lambda progress: str(backups.backup(store, path)),
        on_done=lambda p: window.statusBar().showMessage(
            _tr("Backed up to %1").replace("%1", p), 8000
        ),
        label=_tr("Backing up…"),
        cancellable=False,
    )


def restore_backup(window: MainWindow) -> None:
    """Replace the database with a backup the user picks, after asking."""
    store = window.ctx.store
    if not store.is_sqlite:
        window.ctx.gateway.show_error(_tr("Restore works on a SQLite database file"))
        return
    start = str(backups.backups_dir(store)) if backups.backups_dir(store).exists() else ""
    path, _ = QFileDialog.getOpenFileName(
        window,
        _tr("Restore Backup"),
        start,
        _tr("SQLite database (*.sqlite3 *.db);;All files (*)"),
    )
    if not path:
        return
    if not ask(
        window,
        _tr("Restore Backup"),
        _tr(
            "Replace everything in this database with the backup? The current content "
            "is saved as an automatic backup first."
        ),
    ):
        return

    def restored(_path: str) -> None:
        window.undo_stack.clear()  # the steps undo what is no longer there
        window.ctx.changed("all")

    window.ctx.gateway.run(
        lambda progress: str(backups.restore(store, path)),
        on_done=restored,
        label=_tr("Restoring…"),
        cancellable=False,
    )
