"""Desktop notifications: a tray message when follow-ups fall due while the app runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

from crm.core import clock

if TYPE_CHECKING:
    from crm.gui.main_window import MainWindow

CHECK_INTERVAL_MS = 60_000
TITLES_SHOWN = 3


class FollowupNotifier(QObject):
    """Checks every minute for follow-ups that fell due since the last check.

    Follow-ups are due on a day, so one falls due when the date turns (or its
    snooze ends); each is reported once. Without a system tray (offscreen, some
    desktops) nothing is shown; the pages still learn that the day turned.
    """

    def __init__(self, window: MainWindow, *, now: Callable[[], dt.datetime] = clock.now) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self._now = now
        self.last_check = now()
        # Replaceable: tests collect what would be shown.
        self.notify: Callable[[list[dict[str, Any]]], None] = self.show_message
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.windowIcon()
            if icon.isNull():
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(QApplication.applicationDisplayName())
            self.tray.messageClicked.connect(self.show_followups)
            self.tray.activated.connect(self._activated)
            menu = QMenu(window)
            menu.addAction(self.tr("Show Follow-ups"), self.show_followups)
            menu.addSeparator()
            menu.addAction(self.tr("Quit"), window.close)
            self.tray.setContextMenu(menu)
            self.tray.show()

    def due_since_last_check(self, now: dt.datetime) -> list[dict[str, Any]]:
        """Open follow-ups whose day came after the last check, up to ``now``; moves the mark."""
        before, self.last_check = self.last_check, now
        if now.date() <= before.date():
            return []
        from crm.core import followups  # not at start-up: it loads peewee

        return followups.due_between(before.date(), now.date())

    def check(self) -> None:
        now = self._now()
        turned = now.date() != self.last_check.date()
        items = self.due_since_last_check(now)
        if turned:
            # A new day: "today" and "overdue" mean something else now.
            self.ctx.changed("followups")
        if items:
            self.notify(items)

    def message(self, items: list[dict[str, Any]]) -> str:
        titles = ", ".join(item["title"] for item in items[:TITLES_SHOWN])
        if len(items) > TITLES_SHOWN:
            titles += ", …"
        if len(items) == 1:
            return self.tr("1 follow-up due: %1").replace("%1", titles)
        return self.tr("%2 follow-ups due: %1").replace("%2", str(len(items))).replace("%1", titles)

    def show_message(self, items: list[dict[str, Any]]) -> None:
        if self.tray is None:
            return
        self.tray.showMessage(
            QApplication.applicationDisplayName(),
            self.message(items),
            QSystemTrayIcon.MessageIcon.Information,
            15_000,
        )

    def show_followups(self) -> None:
        """Bring the window forward on the follow-ups page."""
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        window.show_page("followups")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_followups()
