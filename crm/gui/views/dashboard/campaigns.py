"""The dashboard's voucher campaigns: what each cost, and what it brought against that cost.

Figures since each campaign began (:func:`crm.core.campaign_return.returns`),
not the dashboard's period: a campaign's vouchers are redeemed and won over
months. Hidden while there is no campaign.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.gui.formatting import money, number
from crm.gui.views.dashboard.text import percent


class CampaignReturns(QWidget):
    """One row per campaign: issued, redeemed, cost, new customers, won value, return."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignReturns")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Voucher campaigns, since they began"))
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        layout.addWidget(caption)
        headers = [
            self.tr("Campaign"),
            self.tr("Batches"),
            self.tr("Issued"),
            self.tr("Redeemed"),
            self.tr("Cost"),
            self.tr("New customers"),
            self.tr("Won value"),
            self.tr("Return"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("campaignReturnsTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        note = QLabel(
            self.tr(
                "Issued: the vouchers and their face value. Cost: the face value of those "
                "redeemed, plus the rewards for the friends they brought. New customers: friends "
                "who came with a voucher and whose referral was won. Return: (won − cost) ÷ cost."
            )
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        self.hide()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cur = r["currency"]
            roi = "—" if r["roi"] is None else percent(r["roi"], signed=True)
            cells = (
                r["campaign"],
                number(r["runs"]),
                f"{number(r['vouchers'])} · {money(r['issued_value'], cur)}",
                f"{number(r['redemptions'])} · {money(r['redeemed_value'], cur)}",
                money(r["cost"], cur),
                number(r["new_customers"]),
                money(r["won_value"], cur),
                roi,
            )
            if not r["runs"]:  # set up, nothing issued yet: no figures to show
                cells = (cells[0], cells[1], *(["—"] * 6))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, col, item)
        height = self.table.horizontalHeader().height() + 4
        height += sum(self.table.rowHeight(i) for i in range(len(rows)))
        self.table.setFixedHeight(height)
        self.setVisible(bool(rows))
