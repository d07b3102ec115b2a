"""The referrals behind a dashboard figure: a list of them, double-click opens the contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import day_text, money
from crm.gui.views.dashboard.text import referrals_text, tr
from crm.gui.widgets import PreservingDialog, select_row

ID_ROLE = Qt.ItemDataRole.UserRole
ROOT = QModelIndex()


class BehindModel(QAbstractTableModel):
    """The referrals behind a figure; a model, since a year's "received" can be thousands."""

    COLUMNS = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Referred"), tr("Referred by"), tr("Date"), tr("Status"), tr("Value"))[
                section
            ]
        return None

    def text(self, row: int, column: int) -> str:
        item = self.rows[row]
        if column == 0:
            return str(item["referred"])
        if column == 1:
            return str(item["giver"])
        if column == 2:
            return day_text(item["referred_on"]) if item["referred_on"] else ""
        if column == 3:
            return labels.referral_status(item["status"])
        return money(item["value"], item["currency"]) if item["value"] is not None else ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == ID_ROLE:
            return self.rows[index.row()]["referred_id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BehindDialog(PreservingDialog):
    """The referrals behind a bar, a slice or a tile; double-click opens the contact."""

    settings_key = "dashboardBehind"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.geometry_settings = ctx.settings
        self.setObjectName("behindDialog")
        self.setModal(False)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.model = BehindModel(self)
        self.table = QTableView()
        self.table.setObjectName("behindTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Widths from sample texts: measuring every row of a long list would stall.
        metrics = self.table.fontMetrics()
        for column, sample in ((2, "30 Sep 2026 "), (3, "Contacted "), (4, "1,234,567.89 EUR")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        # Activation: a double-click or Enter (a single click where the desktop says so).
        self.table.activated.connect(self._open)
        layout.addWidget(self.table)
        hint = QLabel(self.tr("Double-click a row to open the contact."))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def set_rows(self, heading: str, rows: list[dict[str, Any]]) -> None:
        self.setWindowTitle(heading)
        self.heading.setText(f"{heading} — {referrals_text(len(rows))}")
        self.model.set_rows(rows)
        if rows:
            select_row(self.table, 0)

    def names(self) -> list[str]:
        return [self.model.text(i, 0) for i in range(self.model.rowCount())]

    def row_texts(self, row: int) -> list[str]:
        return [self.model.text(row, c) for c in range(BehindModel.COLUMNS)]

    def contact_ids(self) -> list[int]:
        return [int(r["referred_id"]) for r in self.model.rows]

    def _open(self, index: QModelIndex) -> None:
        self.ctx.navigate.emit("contact", self.contact_ids()[index.row()])
