"""The referrals table's model: the ids that pass the filters, rows fetched a page at a time.

The row tuple positions (``_ID``, ``_STATUS``…) follow :data:`crm.core.referrals.ROW_COLUMNS`;
the referrals page reads them too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from crm.core import referrals
from crm.gui import labels
from crm.gui.formatting import cell_text, day_text, money, status_colour
from crm.gui.widgets import plain_tip

# Row tuple positions (referrals.ROW_COLUMNS).
_ID, _GIVER_ID, _GIVER, _REFERRED_ID, _REFERRED, _DATE = range(6)
_PROGRAM, _TEMPERATURE, _STATUS, _VALUE, _CURRENCY = range(6, 11)
_EVENT_ID, _EVENT, _PRIMARY, _SUSPICION = range(11, 15)
_NO_PARENT = QModelIndex()


class ReferralTableModel(QAbstractTableModel):
    """Holds the ids that pass the filters; fetches rows a page at a time (one query each)."""

    GIVER, REFERRED, DATE, PROGRAM, TEMPERATURE, STATUS, VALUE, EVENT = range(8)
    COLUMN_COUNT = 8
    # The core's order keys, per column.
    ORDER_KEYS = ("giver", "referred", "date", "program", "temperature", "status", "value", "event")
    PAGE_SIZE = 200
    MAX_PAGES = 40  # pages kept in memory; older ones are fetched again when needed

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.ids: list[int] = []
        self.filters: dict[str, Any] = {}
        self.order = "date"
        self.descending = True
        self._pages: dict[int, list[tuple[Any, ...]]] = {}
        self.queries = 0  # page fetches, for tests and curiosity
        # Nothing is read until the page is first shown (not at start-up).
        self.active = False

    # -- loading ---------------------------------------------------------------

    def reload(self, filters: dict[str, Any] | None = None) -> None:
        if filters is not None:
            self.filters = dict(filters)
        self.active = True
        self.beginResetModel()
        self.ids = referrals.query_ids(**self.filters, order=self.order, descending=self.descending)
        self._pages.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self.order = self.ORDER_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.active:
            self.reload()

    def row_data(self, row: int) -> tuple[Any, ...] | None:
        if not 0 <= row < len(self.ids):
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if len(self._pages) >= self.MAX_PAGES:
                self._pages.pop(next(iter(self._pages)))
            start = page * self.PAGE_SIZE
            chunk = self.ids[start : start + self.PAGE_SIZE]
            fetched = {r[_ID]: r for r in referrals.rows_for_ids(chunk)}
            # A referral deleted since the ids were read shows as an empty row.
            rows = [fetched.get(i, (i,) + ("",) * 14) for i in chunk]
            self._pages[page] = rows
            self.queries += 1
        return rows[row - page * self.PAGE_SIZE]

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, referral_id: int) -> int:
        try:
            return self.ids.index(referral_id)
        except ValueError:
            return -1

    # -- Qt model API -------------------------------------------------------------

    def rowCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=_NO_PARENT) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Referred by"),
            self.tr("Person referred"),
            self.tr("Date"),
            self.tr("Program"),
            self.tr("Temperature"),
            self.tr("Status"),
            self.tr("Value"),
            self.tr("Event"),
        )[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == self.ID_ROLE:
            return self.id_at(index.row())
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        row = self.row_data(index.row())
        if row is None or row[_STATUS] == "":
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == self.VALUE:
                return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return status_colour(row[_STATUS]).darker(115) if col == self.STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TEMPERATURE:
                return f"{row[_TEMPERATURE]}/5 — {labels.temperature(row[_TEMPERATURE])}"
            if col == self.REFERRED and row[_SUSPICION]:
                return plain_tip(self.tr("Check: %1").replace("%1", row[_SUSPICION]))
            if col == self.REFERRED and not row[_PRIMARY]:
                return self.tr("Not the primary referrer of this person")
            return None
        if col == self.GIVER:
            return row[_GIVER]
        if col == self.REFERRED:
            return f"⚠ {row[_REFERRED]}" if row[_SUSPICION] else row[_REFERRED]
        if col == self.DATE:
            return day_text(row[_DATE])
        if col == self.PROGRAM:
            return labels.program(row[_PROGRAM])
        if col == self.TEMPERATURE:
            t = int(row[_TEMPERATURE])
            return "●" * t + "○" * (5 - t)
        if col == self.STATUS:
            return labels.referral_status(row[_STATUS])
        if col == self.VALUE:
            # Isolated in Arabic: a right-to-left cell showed "EUR 1,250.50".
            return cell_text(money(row[_VALUE], row[_CURRENCY])) if row[_VALUE] is not None else ""
        if col == self.EVENT:
            return row[_EVENT]
        return None
