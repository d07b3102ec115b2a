"""The import wizard's preview table: what importing would do to each record of the file.

A table model over the plan's rows (importer.RowOutcome), one action shown or
all; rejected records stand out in red. The wizard words the actions and details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:
    from crm.gui.views.data.import_wizard import ImportWizard

ROOT = QModelIndex()
COL_LINE, COL_NAME, COL_ACTION, COL_DETAILS = range(4)
REJECT_BACKGROUND = QColor(253, 226, 226)
REJECT_FOREGROUND = QColor(150, 0, 20)


class PreviewModel(QAbstractTableModel):
    """The plan's outcome per record (RowOutcome), optionally only one action."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.all_rows: list[Any] = []
        self.rows: list[Any] = []
        self.action: str | None = None

    def load(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self.rows = [r for r in rows if self.action is None or r.action == self.action]
        self.endResetModel()

    def show_only(self, action: str | None) -> None:
        self.action = action
        self.load(self.all_rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            w = self.wizard
            return (w.tr("Line"), w.tr("Name"), w.tr("What happens"), w.tr("Details"))[section]
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
                return self.wizard.action_label(row.action)
            return self.wizard.details(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DETAILS:
            return self.wizard.details(row)
        if row.action == "reject":
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(REJECT_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(REJECT_FOREGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
