"""Follow-ups: today, overdue, upcoming; done, snooze, reschedule; tray notifications."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View


class FollowupsView(View):
    depends_on = ("followups", "contacts", "referrals", "events")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Follow-ups"))

    def title(self) -> str:
        return self.tr("Follow-ups")
