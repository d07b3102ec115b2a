"""The two tables of the events page: the events of a period, and one event's attendance list.

Both models read through :mod:`crm.core.events`; ticking "Met" in the attendance
list only asks the page to record it (``met_toggled``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from crm.core import asking, events
from crm.gui.formatting import cell_text, day_text
from crm.gui.views.events.briefing import ask_colors, ask_text
from crm.gui.views.events.dialog import kind_label, role_label, when_text
from crm.gui.widgets import plain_tip

Index = QModelIndex | QPersistentModelIndex


# -- the events table -------------------------------------------------------------


class EventsModel(QAbstractTableModel):
    """Events of one period with their attendee counts, sorted and filtered by the core."""

    COL_DATE, COL_TITLE, COL_KIND, COL_VENUE, COL_CITY, COL_ATTENDEES = range(6)
    SORT_KEYS = ("starts_at", "title", "kind", "venue", "city", "attendees")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[events.EventRow] = []
        self.search = ""
        self.period = "upcoming"
        self.sort_column = self.COL_DATE
        self.descending: bool | None = None  # None: the period's natural order
        self.loaded = False  # nothing is read before the page is first shown

    def headers(self) -> list[str]:
        return [
            self.tr("Date"),
            self.tr("Title"),
            self.tr("Kind"),
            self.tr("Venue"),
            self.tr("City"),
            self.tr("Attendees"),
        ]

    def load(self) -> None:
        self.loaded = True
        self.beginResetModel()
        self.rows = events.list_events(
            self.search,
            period=self.period,
            sort=self.SORT_KEYS[self.sort_column],
            descending=self.descending,
        )
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.SORT_KEYS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_DATE:
                return when_text(row.starts_at)
            if col == self.COL_TITLE:
                return cell_text(row.title)
            if col == self.COL_KIND:
                return kind_label(row.kind)
            if col == self.COL_VENUE:
                return cell_text(row.venue)
            if col == self.COL_CITY:
                return cell_text(row.city)
            if col == self.COL_ATTENDEES:
                return str(row.attendees)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_ATTENDEES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TITLE and row.organizer:
            return plain_tip(self.tr("Organized by %1").replace("%1", row.organizer))
        elif role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.loaded:
            self.load()

    def row_of(self, event_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == event_id), -1)


# -- the attendance list ------------------------------------------------------------


class AttendanceModel(QAbstractTableModel):
    """Who is on one event's list; ticking "Met" asks the view to record it."""

    COL_NAME, COL_ORGANIZATION, COL_ROLE, COL_MET, COL_ASK = range(5)
    met_toggled = Signal(int, bool)  # contact id, met in person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def load(self, event_id: int | None) -> None:
        self.beginResetModel()
        self.rows = events.attendance_list(event_id) if event_id is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                self.tr("Name"),
                self.tr("Organization"),
                self.tr("Role"),
                self.tr("Met"),
                self.tr("Referral ask"),
            ][section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_MET:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        ask: asking.AskStatus = row["ask"]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return cell_text(row["name"]) + (self.tr(" (archived)") if row["archived"] else "")
            if col == self.COL_ORGANIZATION:
                return cell_text(row["organization"])
            if col == self.COL_ROLE:
                return role_label(row["role"])
            if col == self.COL_ASK:
                return ask_text(ask.ok, ask.days_since)
        elif role == Qt.ItemDataRole.CheckStateRole and col == self.COL_MET:
            return Qt.CheckState.Checked if row["met_in_person"] else Qt.CheckState.Unchecked
        elif role == Qt.ItemDataRole.ForegroundRole and col == self.COL_ASK:
            return QColor(ask_colors(ask.ok)[0])
        elif role == Qt.ItemDataRole.BackgroundRole and col == self.COL_ASK and not ask.ok:
            return QColor(ask_colors(ask.ok)[1])
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.COL_ASK and ask.ok_from:
            return (
                self.tr("Last asked on %1; fine to ask again from %2")
                .replace("%1", day_text(ask.last_asked))
                .replace("%2", day_text(ask.ok_from))
            )
        elif role == Qt.ItemDataRole.UserRole:
            return row["contact_id"]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and index.column() == self.COL_MET
            and role == Qt.ItemDataRole.CheckStateRole
        ):
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.met_toggled.emit(self.rows[index.row()]["contact_id"], checked)
            return True
        return False

    def row_of(self, contact_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["contact_id"] == contact_id), -1)
