"""Contacts: the lazy table over the whole database, filters, detail pane, editor."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View


class ContactsView(View):
    depends_on = ("contacts", "referrals", "followups", "events")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Contacts"))

    def title(self) -> str:
        return self.tr("Contacts")

    def show_contact(self, contact_id: int) -> None:
        """Select and show one contact (clearing filters that hide it)."""

    def selected_ids(self) -> list[int]:
        return []

    def new_contact(self) -> None:
        """Open the editor for a new contact."""
