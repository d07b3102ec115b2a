"""Pieces the contact detail pane's sections are built from: plain labels, titles, short lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTreeWidget

from crm.i18n import _


def plain_label(text: str = "") -> QLabel:
    """A label for text from the database: never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        # A label aligns by its text's own direction: a Latin name would sit on
        # the left of a right-to-left pane. Absolute: Arabic text must not flip it.
        label.setAlignment(
            Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def section_title(text: str = "") -> QLabel:
    """A bold heading over one of the pane's lists."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    return label


def counted(heading: str, count: int) -> str:
    """ "Open follow-ups (2)", or "Open follow-ups: none"."""
    if count:
        return f"{heading} ({count})"
    none = _("none")
    return f"{heading}: {none}"


# The widest a "By" column gets: a login name, elided beyond, so the names beside keep room.
BY_COLUMN_MAX = 80


# The least the stretching column (names, text) keeps, in average characters: enough
# for a short name before it elides.
STRETCH_MIN_CHARS = 12


def cap_column(tree: QTreeWidget, column: int, widest: int = BY_COLUMN_MAX) -> None:
    """Keep ``column`` (who made a line) narrow after fitting; its tooltip has it whole."""
    if tree.columnWidth(column) > widest:
        tree.setColumnWidth(column, widest)
    if isinstance(tree, FittedTree):
        tree.fit_width()


class FittedTree(QTreeWidget):
    """A short list that is as tall as its rows (up to ``max_rows``), inside a scrolling pane."""

    def __init__(self, headers: list[str], max_rows: int = 8, stretch_column: int = -1) -> None:
        super().__init__()
        self.max_rows = max_rows
        self.setHeaderLabels(headers)
        self.stretch_column = stretch_column if stretch_column >= 0 else len(headers) - 1
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fit(self) -> None:
        """Size the columns to the rows just added, and the height to their number."""
        # Every column fits its content except the one with names or text, which
        # takes what is left (and elides), so values and dates are never cut.
        for column in range(self.columnCount()):
            if column != self.stretch_column:
                self.resizeColumnToContents(column)
        rows = max(1, min(self.topLevelItemCount(), self.max_rows))
        row_height = self.sizeHintForRow(0) if self.topLevelItemCount() else 22
        height = (
            self.header().sizeHint().height() + rows * max(row_height, 18) + 2 * self.frameWidth()
        )
        self.setFixedHeight(height + 2)
        self.fit_width()

    def fit_width(self) -> None:
        """Ask for the width the fitted columns take, with a little for the stretching one.

        The pane the list is in grows to it (see ContactDetail), so dates, statuses and
        amounts are never cut off at the pane's edge in a narrow window or a long language.
        """
        columns = sum(
            self.columnWidth(c)
            for c in range(self.columnCount())
            if c != self.stretch_column and not self.isColumnHidden(c)
        )
        stretch = self.fontMetrics().averageCharWidth() * STRETCH_MIN_CHARS
        stretch = max(stretch, self.header().sectionSizeHint(self.stretch_column))
        scrollbar = (
            self.verticalScrollBar().sizeHint().width()
            if self.topLevelItemCount() > self.max_rows
            else 0
        )
        self.setMinimumWidth(columns + stretch + scrollbar + 2 * self.frameWidth() + 2)
