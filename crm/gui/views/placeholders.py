"""The dashboard page: a real empty state until the referral-program work brings charts."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.widgets import EmptyState


class DashboardView(View):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.empty = EmptyState(
            self.tr("Dashboard"),
            self.tr(
                "Which people, events and programs bring you business, and what your rewards "
                "cost against it. The charts arrive with the referral program work; until "
                "then, the Referrals page lists every referral with its status and value."
            ),
        )
        layout.addWidget(self.empty)
        self.empty.add_action(self.tr("Open Referrals")).clicked.connect(
            lambda: ctx.navigate.emit("referrals", 0)
        )

    def title(self) -> str:
        return self.tr("Dashboard")
