"""The daily step while the app runs: the date rules' birthday and stay-in-touch reminders.

``followups.run_daily_rules`` writes, so it runs here, in the app (a writer by
nature): just after start-up, then again when the day turns; never because a
page was shown. The database records the day it ran, so starting the app again
on the same day scans nothing. After contacts or settings change (a new
cadence, a birthday, the birthday window) it runs again at the next check, a
few minutes on, so a burst of edits costs one scan.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer

from crm.core import clock
from crm.gui.context import AppContext
from crm.gui.gateway import Progress

STARTUP_DELAY_MS = 500
CHECK_INTERVAL_MS = 5 * 60 * 1000
# data_changed kinds that may call for reminders the last run did not make.
_RULE_INPUTS = frozenset({"contacts", "settings", "campaigns", "all"})


class DailyRules(QObject):
    """Runs the daily step on the gateway once a day, and after the rules' inputs change."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The day this session last ran the step, and whether its inputs changed since.
        self.day: dt.date | None = None
        self.inputs_changed = False
        self.running = False
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.timeout.connect(self.check)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        ctx.data_changed.connect(self._data_changed)

    def start(self) -> None:
        """Check just after start-up (past the first paint), then every few minutes."""
        self.first.start(STARTUP_DELAY_MS)
        self.timer.start()

    def _data_changed(self, what: str) -> None:
        if what in _RULE_INPUTS and self.day is not None:
            self.inputs_changed = True

    def check(self) -> bool:
        """Start the step when the day turned or its inputs changed; True when started."""
        today = clock.today()
        if self.running or (self.day == today and not self.inputs_changed):
            return False
        # The first run of a session may find the step already done today (by the
        # app started earlier, or by the CLI); a rerun after changes must not.
        force = self.day == today
        self.running, self.day, self.inputs_changed = True, today, False

        def done(made: int) -> None:
            self.running = False
            if made:
                self.ctx.changed("followups")

        def failed(exc: BaseException) -> None:
            # Said once; tried again when the day turns or the inputs change.
            self.running = False
            self.ctx.gateway.show_error(
                self.tr("The day's follow-up reminders could not be made: %1").replace(
                    "%1", str(exc)
                )
            )

        def work(_progress: Progress) -> int:
            # Here, not at the top: the first paint comes before the ORM loads.
            from crm.core import followups

            return followups.run_daily_rules(today, force=force)

        self.ctx.gateway.run(work, on_done=done, on_error=failed)
        return True
