"""The contacts table view: set up for 100,000 rows, Enter opens, Delete archives."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from crm.gui.views.contacts.model import (
    COL_CHANNEL,
    COL_CITY,
    COL_EMAIL,
    COL_NAME,
    COL_ORGANIZATION,
    COL_PHONE,
    COL_STAGE,
    ContactTableModel,
)

COLUMN_WIDTHS = {
    COL_NAME: 180,
    COL_ORGANIZATION: 160,
    COL_EMAIL: 200,
    COL_PHONE: 130,
    COL_CITY: 110,
    COL_STAGE: 90,
    COL_CHANNEL: 100,
}


class ContactTable(QTableView):
    """The table: Enter opens the editor, Delete archives."""

    open_requested = Signal()
    archive_requested = Signal()

    def __init__(self, model: ContactTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        # Fixed row heights: the view never asks 100,000 rows for their size.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        self.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.doubleClicked.connect(lambda _index: self.open_requested.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            self.archive_requested.emit()
            return
        super().keyPressEvent(event)

    def after_next_paint(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the rows have painted (the rows come first, details after)."""
        viewport = self.viewport()

        class Once(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    viewport.removeEventFilter(self)
                    self.deleteLater()
                    QTimer.singleShot(0, fn)
                return False

        viewport.installEventFilter(Once(viewport))
        viewport.update()
