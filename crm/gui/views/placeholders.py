"""Pages whose content arrives with later work: a real empty state until then."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.widgets import EmptyState


class VouchersView(View):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.empty = EmptyState(
            self.tr("Vouchers and thank-you letters"),
            self.tr(
                "Print a thank-you letter for the people who send you business, and gift "
                "vouchers your best clients can pass on to a friend. Letters and vouchers are "
                "printed from the command line for now (crm letter, crm vouchers); their screen "
                "comes with the printing work."
            ),
        )
        layout.addWidget(self.empty)

    def title(self) -> str:
        return self.tr("Vouchers & Letters")


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
