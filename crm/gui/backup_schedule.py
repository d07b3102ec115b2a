"""Automatic rolling backups while the app runs: daily, and on closing after changes.

Each one is ``crm.core.backups.automatic_backup`` (SQLite's online backup API, a
quick check, an atomic rename, then rotation by the ``backup_keep`` setting).

* Daily: a few seconds after start-up (the first paint comes first) and then
  every hour, a backup is made on the gateway when the newest backup in the
  folder is more than a day old, judged by the files' modification times. An
  empty database (no contacts yet) is not backed up.
* On close: when something changed while the app was open (any
  ``data_changed`` signal), the window backs up before it closes. A 100,000
  contact database (309 MB) takes 0.8–1.6 s here (backup API 0.45–1.2 s plus
  the quick check 0.33 s), too long to freeze the window, so the copy runs on
  the gateway (its progress dialog appears after 500 ms) while a local event
  loop waits for it. Closing a window where nothing changed makes no copy, so
  sessions that only looked do not rotate older, different backups away.
* A session that only looks (``crm screenshot``) calls ``stop()``: no backup
  of either kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from crm.core.backups import automatic_backup, daily_backup_due
from crm.gui.context import AppContext
from crm.gui.gateway import Progress

STARTUP_DELAY_MS = 3_000
CHECK_INTERVAL_MS = 60 * 60 * 1000
# data_changed kinds that are not changes to the database's content.
_NOT_CONTENT = frozenset({"backups"})


class BackupSchedule(QObject):
    """Makes the daily and on-close backups for one main window."""

    # A backup was written (its path); the Backups page lists it.
    backed_up = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Something changed since the last automatic backup of this session.
        self.dirty = False
        self.running = False
        self.stopped = False
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.timeout.connect(self.check_daily)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_daily)
        ctx.data_changed.connect(self._data_changed)

    def start(self) -> None:
        """Check once after start-up (past the first paint), then every hour."""
        if not self.ctx.store.is_sqlite or self.stopped:
            return
        self.first.start(STARTUP_DELAY_MS)
        self.timer.start()

    def stop(self) -> None:
        """No more automatic backups in this session, daily or on closing (a read-only look)."""
        self.stopped = True
        self.first.stop()
        self.timer.stop()

    def _data_changed(self, what: str) -> None:
        if what not in _NOT_CONTENT:
            self.dirty = True

    def _work(self, reason: str) -> Callable[[Progress], str]:
        store = self.ctx.store
        return lambda _progress: str(automatic_backup(store, reason=reason))

    def _done(self, path: str) -> None:
        self.running = False
        self.backed_up.emit(path)
        self.ctx.changed("backups")

    def check_daily(self, now: dt.datetime | None = None) -> bool:
        """Start the daily backup on the gateway when it is due; True when started."""
        if self.running or self.stopped or not daily_backup_due(self.ctx.store, now):
            return False
        self.running = True
        # Changes from here on are not in this copy: they mark it dirty again.
        self.dirty = False

        def failed(exc: BaseException) -> None:
            self.running = False
            self.dirty = True
            self.ctx.gateway.show_error(
                self.tr("The daily backup failed: %1").replace("%1", str(exc))
            )

        self.ctx.gateway.run(self._work("daily"), on_done=self._done, on_error=failed)
        return True

    def back_up_before_closing(self) -> str | None:
        """Back up when something changed, waiting for it; the backup's path, or None."""
        store = self.ctx.store
        if self.stopped or not self.dirty or not store.is_sqlite or store.path is None:
            return None
        self.timer.stop()
        outcome: dict[str, object] = {}
        loop = QEventLoop()

        def done(path: str) -> None:
            outcome["path"] = path
            loop.quit()

        def failed(exc: BaseException) -> None:
            outcome["error"] = exc
            loop.quit()

        self.ctx.gateway.run(
            self._work("close"),
            on_done=done,
            on_error=failed,
            label=self.tr("Backing up before closing…"),
            cancellable=False,
        )
        if not outcome:  # a synchronous gateway (tests) has already finished
            loop.exec()
        if "error" in outcome:
            self.ctx.gateway.show_error(
                self.tr("The backup on closing failed: %1").replace("%1", str(outcome["error"]))
            )
            return None
        self.dirty = False
        path = str(outcome["path"])
        self.backed_up.emit(path)
        return path
