"""The Rewards panel's tables: their columns and roles, and how a table is built and filled.

Shared by the ledger (:mod:`crm.gui.views.vouchers.rewards`) and the return-on-rewards tab
(:mod:`crm.gui.views.vouchers.reward_roi`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from crm.gui.formatting import cell_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CONTACT_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

# Ledger columns.
L_GIVER, L_KIND, L_AMOUNT, L_STATUS, L_REFERRAL, L_DATE = range(6)
# Totals columns.
T_GIVER, T_PENDING, T_PENDING_VALUE, T_GIVEN, T_GIVEN_VALUE, T_POINTS = range(6)
# ROI columns.
R_GROUP, R_WON, R_COST, R_ROI, R_WON_COUNT, R_REWARDS = range(6)

# A table shows at most this many givers; a name typed finds the others.
GIVERS_SHOWN = 500


def make_table(headers: list[str], stretch: tuple[int, ...]) -> QTableWidget:
    """A read-only table of whole rows; the ``stretch`` columns take the spare width."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


class Filling:
    """Fill a table in one go: sizing columns to their contents once, not once per cell."""

    def __init__(self, table: QTableWidget) -> None:
        self.table = table
        self.header = table.horizontalHeader()
        self.modes: list[QHeaderView.ResizeMode] = []

    def __enter__(self) -> QTableWidget:
        self.table.setUpdatesEnabled(False)
        self.table.setSortingEnabled(False)
        self.modes = [self.header.sectionResizeMode(c) for c in range(self.header.count())]
        for c in range(self.header.count()):
            self.header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        return self.table

    def __exit__(self, *_exc: object) -> None:
        for c, mode in enumerate(self.modes):
            self.header.setSectionResizeMode(c, mode)
        self.table.setUpdatesEnabled(True)


def table_item(text: str, align_right: bool = False) -> QTableWidgetItem:
    """A cell; right-aligned ones hold numbers and money, kept in one piece in Arabic."""
    item = QTableWidgetItem(cell_text(text) if align_right else text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
