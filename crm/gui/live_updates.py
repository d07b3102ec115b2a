"""Colleagues' changes appear by themselves: the window polls the database's watcher.

Every second (:data:`POLL_MS`) the watcher of :mod:`crm.core.change_watch`
says which kinds others changed (a ``crm`` command beside the app on SQLite, a
colleague on a team database); nothing is re-read when it says nothing. Each
kind goes out as the app's own changes do (``AppContext.changed``): the pages
showing that kind reload (the contacts table keeping its selection and
scroll position), the follow-up count is counted again, and hidden pages
reload when next shown. While a dialog is open (the user may be typing in
it) nothing is polled: the watcher keeps what happened until it closes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from crm.core import change_watch
from crm.gui.context import AppContext

POLL_MS = 1_000

log = logging.getLogger(__name__)


class LiveUpdates(QObject):
    """Watches the open database for others' changes and passes them on."""

    # The kinds others changed, as delivered (sorted); for tests and the status bar.
    delivered = Signal(list)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watcher: change_watch.Watcher | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Start watching (the first look is the baseline: nothing is news yet)."""
        if self.watcher is not None:
            return
        try:
            self.watcher = change_watch.watcher_for(self.ctx.store)
        except Exception as exc:  # a server gone, a driver missing: the app works on
            log.warning("not watching for others' changes: %s", exc)
            return
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def busy(self) -> bool:
        """A dialog is open: its user may be typing, so nothing re-reads under them."""
        return QApplication.activeModalWidget() is not None

    def poll(self) -> list[str]:
        """Look once; pass on and return what others changed."""
        if self.watcher is None or self.busy():
            return []
        try:
            kinds = sorted(self.watcher.poll())
        except Exception as exc:  # a locked or vanished file: look again next time
            log.warning("could not look for others' changes: %s", exc)
            return []
        if not kinds:
            return []
        if "all" in kinds:
            kinds = ["all"]
        # A page that shows two of them reloads once.
        self.ctx.changed_many(kinds)
        self.delivered.emit(kinds)
        return kinds
