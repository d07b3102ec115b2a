"""Work that waits for the window's first paint (and a short delay), so start-up paints first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    """Runs its work once the widget has painted and the delay has passed, whichever is later.

    A fixed delay alone lost the race on a busy machine: the work (the ORM, the
    follow-up count) ran before the first paint, making it later and the app
    bigger by then. A widget not shown when the delay ends does not hold it up.
    """

    def __init__(self, widget: QWidget, work: tuple[Callable[[], object], ...], delay_ms: int):
        super().__init__(widget)
        self.widget, self.work = widget, work
        self.painted = self.due = self.done = False
        widget.installEventFilter(self)
        QTimer.singleShot(delay_ms, self._delay_over)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            if self.due:
                QTimer.singleShot(0, self._run)  # after this paint has ended
        return False

    def _delay_over(self) -> None:
        self.due = True
        if self.painted or not self.widget.isVisible():
            self._run()

    def _run(self) -> None:
        if self.done:
            return
        self.done = True
        self.widget.removeEventFilter(self)
        for fn in self.work:
            fn()
        self.deleteLater()


def after_first_paint(widget: QWidget, *work: Callable[[], object], delay_ms: int = 250) -> None:
    """Run ``work`` once ``widget`` has first painted and ``delay_ms`` have passed."""
    _FirstPaint(widget, work, delay_ms)
