"""A follow-up section's table: the paged, SQL-sorted model and the keyboard-aware view.

``FollowupTableModel`` holds one section's open follow-ups (today, overdue or
upcoming) and asks the page for its words; ``FollowupTable`` turns Enter and
Space into open and done requests.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QTableView

from crm.core import clock, followups
from crm.gui import labels
from crm.gui.formatting import WEEKDAY_DATE_FORMAT, day_text, for_text, qdate
from crm.gui.views.followups.dialogs import ID_ROLE, OVERDUE_COLOUR
from crm.gui.widgets import plain_tip

if TYPE_CHECKING:
    from crm.gui.views.followups.page import FollowupsView

COL_DUE, COL_WHEN, COL_KIND, COL_CONTACT, COL_TITLE = range(5)
SORT_KEYS = {
    COL_DUE: "due",
    COL_WHEN: "due",
    COL_KIND: "kind",
    COL_CONTACT: "contact",
    COL_TITLE: "title",
}
HORIZONS = (7, 14, 30, 90)
DEFAULT_HORIZON = 30
ROOT = QModelIndex()


class FollowupTableModel(QAbstractTableModel):
    """One section's open follow-ups, fetched a page at a time and sorted in SQL."""

    PAGE = 200

    def __init__(self, section: str, view: FollowupsView) -> None:
        super().__init__(view)
        self.section = section
        self.view = view
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.today = clock.today()
        self.horizon = DEFAULT_HORIZON
        self.order, self.descending = "due", False

    # -- loading ------------------------------------------------------------------

    def load(self, today: dt.date, horizon: int, total: int) -> None:
        self.beginResetModel()
        self.today, self.horizon, self.total = today, horizon, total
        self.rows = self._page(0) if total else []
        self.endResetModel()

    def _page(self, offset: int) -> list[dict[str, Any]]:
        return followups.section_rows(
            self.section,
            today=self.today,
            horizon_days=self.horizon,
            order=self.order,
            descending=self.descending,
            limit=self.PAGE,
            offset=offset,
            mine_only=self.view.mine_only,
        )

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> None:
        more = self._page(len(self.rows))
        if not more:
            self.total = len(self.rows)  # fewer than counted: someone else wrote meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.order = SORT_KEYS.get(column, "due")
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.total:
            self.load(self.today, self.horizon, self.total)

    # -- reading ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(SORT_KEYS)

    def row(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def row_of(self, followup_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == followup_id), -1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.view.column_titles()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        due = dt.date.fromisoformat(item["due"])
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_DUE:
                return QLocale().toString(qdate(due), WEEKDAY_DATE_FORMAT)
            if column == COL_WHEN:
                return self.view.when_text(due, self.today, item["snoozed"])
            if column == COL_KIND:
                return labels.followup_kind(item["kind"])
            if column == COL_CONTACT:
                return item["contact"]
            if item.get("assigned_to"):  # a colleague's, or handed to one
                return f"{item['title']} ({for_text(item['assigned_to'])})"
            return item["title"]
        if role == ID_ROLE:
            return item["id"]
        if role == Qt.ItemDataRole.ForegroundRole and item["overdue"] and column <= COL_WHEN:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == COL_WHEN and due <= self.today:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [item["title"], item["contact"]]
            if item["snoozed"]:
                parts.append(self.view.tr("Snoozed until %1").replace("%1", day_text(item["due"])))
            return plain_tip("\n".join(parts))
        return None


class FollowupTable(QTableView):
    """A section's table: Enter opens the contact, Space or Ctrl+Enter marks it done."""

    open_requested = Signal()
    done_requested = Signal()

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ctrl = mods & Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_Space or (enter and ctrl):
            self.done_requested.emit()
        elif enter:
            self.open_requested.emit()
        else:
            super().keyPressEvent(event)


Selection = dict[str, tuple[int, list[int]]]  # section -> (current row, selected follow-up ids)


def selection_state(
    tables: dict[str, FollowupTable], models: dict[str, FollowupTableModel]
) -> Selection:
    """What is selected in each section, by follow-up id, to restore after a reload."""
    state = {}
    for section, table in tables.items():
        model = models[section]
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        ids = [model.row(r)["id"] for r in rows if r < model.rowCount()]
        state[section] = (table.currentIndex().row(), ids)
    return state


def restore_selection(
    tables: dict[str, FollowupTable], models: dict[str, FollowupTableModel], state: Selection
) -> None:
    """Select again what :func:`selection_state` saw, or the row that took its place."""
    for section, (row, ids) in state.items():
        model, table = models[section], tables[section]
        rows = [r for r in (model.row_of(i) for i in ids) if r >= 0]
        if not rows and model.rowCount():
            # What was selected has gone (done, snoozed): move to the row that took its
            # place, so the keyboard can go on; on first show, to the first row.
            rows = [min(max(row, 0), model.rowCount() - 1)]
        selection = table.selectionModel()
        flags = selection.SelectionFlag
        selection.clearSelection()
        if rows:
            selection.setCurrentIndex(model.index(rows[0], 0), flags.NoUpdate)
        for r in rows:
            selection.select(model.index(r, 0), flags.Select | flags.Rows)
