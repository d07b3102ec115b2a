"""Events: upcoming and past, the editor, attendance, and the briefing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View


class EventsView(View):
    depends_on = ("events", "contacts")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Events"))

    def title(self) -> str:
        return self.tr("Events")

    def show_event(self, event_id: int) -> None:
        """Select one event."""


class BriefingView(View):
    depends_on = ("events", "contacts", "referrals", "followups")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Briefing"))

    def title(self) -> str:
        return self.tr("Event Briefing")

    def show_event(self, event_id: int) -> None:
        """Show the briefing of one event."""
