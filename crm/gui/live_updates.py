"""Colleagues' changes appear by themselves: the window polls the database's watcher.

Every second (:data:`POLL_MS`) the watcher of :mod:`crm.core.change_watch`
says which kinds others changed (a ``crm`` command beside the app on SQLite, a
colleague on a team database); nothing is re-read when it says nothing. Each
kind goes out as the app's own changes do (``AppContext.changed``): the pages
showing that kind reload (the contacts table keeping its selection and
scroll position), the follow-up count is counted again, and hidden pages
reload when next shown. While a dialog is open (the user may be typing in
it) nothing is polled: the watcher keeps what happened until it closes.
On SQLite, working out which kinds changed reads a little from every table,
so that look (and the watcher's start) runs on the gateway, and only after
a commit.
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
        # A look (or the start) is running on the gateway; stopped meanwhile.
        self.looking = False
        self.stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Start watching, on the gateway (the first look is the baseline: nothing is news)."""
        if self.watcher is not None or self.looking or self.stopped:
            return
        store = self.ctx.store
        self.looking = True

        def started(watcher: change_watch.Watcher) -> None:
            self.looking = False
            if self.stopped:
                watcher.close()
                return
            self.watcher = watcher
            self.timer.start()

        def failed(exc: BaseException) -> None:  # a server gone, a driver missing: work on
            self.looking = False
            log.warning("not watching for others' changes: %s", exc)

        self.ctx.gateway.run(
            lambda _progress: change_watch.watcher_for(store), on_done=started, on_error=failed
        )

    def stop(self) -> None:
        """No more looking; the watcher closes now, or when a look under way ends."""
        self.stopped = True
        self.timer.stop()
        if self.watcher is not None and not self.looking:
            self.watcher.close()
        if not self.looking:
            self.watcher = None

    def busy(self) -> bool:
        """A dialog is open: its user may be typing, so nothing re-reads under them."""
        return QApplication.activeModalWidget() is not None

    def poll(self) -> None:
        """Look once, if something was committed; what others changed goes out."""
        watcher = self.watcher
        if watcher is None or self.looking or self.busy():
            return
        try:
            if not watcher.pending():
                return
            if not watcher.slow:
                self.deliver(watcher.poll())
                return
        except Exception as exc:  # a locked or vanished file: look again next time
            log.warning("could not look for others' changes: %s", exc)
            return
        self.looking = True

        def done(kinds: set[str]) -> None:
            self.looking = False
            self.deliver(kinds)

        def failed(exc: BaseException) -> None:
            self.looking = False
            self.deliver(set())
            log.warning("could not look for others' changes: %s", exc)

        self.ctx.gateway.run(lambda _progress: watcher.poll(), on_done=done, on_error=failed)

    def deliver(self, found: set[str]) -> list[str]:
        """Pass on what others changed (after a stop: close the watcher instead)."""
        if self.stopped:
            if self.watcher is not None:
                self.watcher.close()
                self.watcher = None
            return []
        kinds = sorted(found)
        if not kinds:
            return []
        if "all" in kinds:
            kinds = ["all"]
        # A page that shows two of them reloads once.
        self.ctx.changed_many(kinds)
        self.delivered.emit(kinds)
        return kinds
