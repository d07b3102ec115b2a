"""The chain of a contact: ancestors above, descendants below, as a tree and a graph."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View


class ChainView(View):
    depends_on = ("contacts", "referrals")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Chain"))

    def title(self) -> str:
        return self.tr("Referral Chain")

    def show_contact(self, contact_id: int) -> None:
        """Show the chain around one contact."""
