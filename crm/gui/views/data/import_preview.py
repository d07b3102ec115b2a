"""The import wizard's preview table: what importing would do to each record of the file.

A table model over the plan's rows (importer.RowOutcome), one action shown or
all; rejected records stand out in red, records imported with a value kept as
typed (the plan's warnings) in amber, each warning in their details. It words
the actions and their details.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from crm.gui.formatting import cell_text, list_separator
from crm.gui.views.data import import_words
from crm.gui.widgets import plain_tip

ROOT = QModelIndex()
COL_LINE, COL_NAME, COL_ACTION, COL_DETAILS = range(4)
REJECT_BACKGROUND = QColor(253, 226, 226)
REJECT_FOREGROUND = QColor(150, 0, 20)
WARN_BACKGROUND = QColor(255, 243, 205)
WARN_FOREGROUND = QColor(102, 77, 3)


class PreviewModel(QAbstractTableModel):
    """The plan's outcome per record (RowOutcome), optionally only one action."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all_rows: list[Any] = []
        self.rows: list[Any] = []
        self.action: str | None = None
        self.warnings: dict[int, list[Any]] = {}  # line: its FieldWarnings

    def load(self, rows: list[Any], warnings: Iterable[Any] = ()) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self.warnings = {}
        for warning in warnings:
            self.warnings.setdefault(warning.line, []).append(warning)
        self.rows = [r for r in rows if self.action is None or r.action == self.action]
        self.endResetModel()

    def action_label(self, action: str) -> str:
        return {
            "new": self.tr("New contact"),
            "update": self.tr("Adds to a contact"),
            "skip": self.tr("Already here"),
            "reject": self.tr("Rejected"),
        }.get(action, action)

    def details(self, row: Any) -> str:
        reason = import_words.reason_text(str(row.reason))
        text = reason
        if row.action == "update" and row.changes:
            changes = list_separator().join(import_words.change_text(c) for c in row.changes)
            adds = self.tr("adds %1").replace("%1", changes)
            text = f"{reason}: {adds}" if reason else adds
        warned = [self.warning_text(w) for w in self.warnings.get(row.line, ())]
        return "; ".join(t for t in (text, *warned) if t)

    def warning_text(self, warning: Any) -> str:
        """One warning in words: the field, the value as typed, and what became of it."""
        return (
            self.tr("warning: %1 '%2': %3")
            .replace("%1", import_words.field_word(warning.field))
            .replace("%2", cell_text(warning.value))
            .replace("%3", warning.reason)
        )

    def show_only(self, action: str | None) -> None:
        self.action = action
        self.load(self.all_rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = (
                self.tr("Line"),
                self.tr("Name"),
                self.tr("What happens"),
                self.tr("Details"),
            )
            return headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_LINE:
                return row.line
            if column == COL_NAME:
                return row.name
            if column == COL_ACTION:
                return self.action_label(row.action)
            return self.details(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DETAILS:
            return plain_tip(self.details(row))
        if row.action == "reject":
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(REJECT_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(REJECT_FOREGROUND)
        elif row.line in self.warnings:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(WARN_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(WARN_FOREGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
