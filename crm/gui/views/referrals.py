"""Referrals: the pipeline, filters, recording a referral, moving its status."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from crm.gui.context import AppContext
from crm.gui.views.base import View


class ReferralsView(View):
    depends_on = ("contacts", "referrals")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        QVBoxLayout(self).addWidget(QLabel("Referrals"))

    def title(self) -> str:
        return self.tr("Referrals")
