"""The dashboard's leaderboard: the period's top referrers, by won value and by count.

A row leads to the person: a click opens the contact; the context menu also
offers whom they referred in the period and their referral chain.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.gui.context import AppContext
from crm.gui.formatting import number
from crm.gui.views.dashboard.text import money_lines

ID_ROLE = Qt.ItemDataRole.UserRole  # a row's referrer id


class LeaderBoard(QWidget):
    """Top referrers in two tabs (``tables``, keyed like ``summary()["top_referrers"]``)."""

    COLUMNS = 6
    # The menu's "Whom They Referred in This Period…": giver id, their name.
    referred_asked = Signal(int, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        board_layout = QVBoxLayout(self)
        board_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Top referrers"))
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        board_layout.addWidget(caption)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("leaderTabs")
        self.tables = {
            "by_won_value": self._leader_table("leadersByValue"),
            "by_count": self._leader_table("leadersByCount"),
        }
        self.tabs.addTab(self.tables["by_won_value"], self.tr("By won value"))
        self.tabs.addTab(self.tables["by_count"], self.tr("By number of referrals"))
        board_layout.addWidget(self.tabs)
        note = QLabel(
            self.tr(
                "Network value: their own won business plus that of everyone who came "
                "through the people they referred, at any depth. Click a row to open the "
                "contact; right-click for more."
            )
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        board_layout.addWidget(note)

    def set_rows(self, top_referrers: dict[str, list[dict[str, Any]]]) -> None:
        """Fill each tab from the summary's ``top_referrers``."""
        for key, table in self.tables.items():
            self._fill_leaders(table, top_referrers[key])

    def _leader_table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, self.COLUMNS)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(
            [
                "#",
                self.tr("Referrer"),
                self.tr("Referrals"),
                self.tr("Won"),
                self.tr("Won value"),
                self.tr("Network value"),
            ]
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = table.horizontalHeader()
        for column in range(self.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.cellClicked.connect(lambda row, _c, t=table: self._leader_clicked(t, row))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(lambda pos, t=table: self._leader_menu(t, pos))
        return table

    def _fill_leaders(self, table: QTableWidget, rows: list[dict[str, Any]]) -> None:
        table.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, row in enumerate(rows):
            cells = (
                (number(i + 1), right),
                (row["name"], Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
                (number(row["referrals"]), right),
                (number(row["won"]), right),
                ("\n".join(money_lines(row["won_value"], rounded=True)), right),
                ("\n".join(money_lines(row["network_value"], rounded=True)), right),
            )
            for column, (text, alignment) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row["id"])
                item.setTextAlignment(alignment)
                table.setItem(i, column, item)
            name = table.item(i, 1)
            assert name is not None
            font = QFont(name.font())
            font.setUnderline(True)
            name.setFont(font)
            name.setForeground(table.palette().color(QPalette.ColorRole.Link))
        table.resizeRowsToContents()
        # Tall enough for every row: the page scrolls, not the table.
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(i) for i in range(table.rowCount()))
        table.setFixedHeight(max(height, 120))

    # -- click-through ----------------------------------------------------------------------

    def _leader_id(self, table: QTableWidget, row: int) -> int | None:
        item = table.item(row, 0)
        return int(item.data(ID_ROLE)) if item is not None else None

    def _leader_clicked(self, table: QTableWidget, row: int) -> None:
        giver = self._leader_id(table, row)
        if giver is not None:
            self.ctx.navigate.emit("contact", giver)

    def _leader_menu(self, table: QTableWidget, pos: QPoint) -> None:
        index = table.indexAt(pos)
        giver = self._leader_id(table, index.row()) if index.isValid() else None
        if giver is None:
            return
        item = table.item(index.row(), 1)
        name = item.text() if item is not None else ""
        menu = QMenu(self)
        menu.addAction(self.tr("Open Contact"), lambda: self.ctx.navigate.emit("contact", giver))
        menu.addAction(
            self.tr("Whom They Referred in This Period…"),
            lambda: self.referred_asked.emit(giver, name),
        )
        menu.addAction(
            self.tr("Show Referral Chain"), lambda: self.ctx.navigate.emit("chain", giver)
        )
        menu.popup(table.viewport().mapToGlobal(pos))
