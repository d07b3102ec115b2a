"""The import wizard's encodings: the ones offered, and both readings of a close call side by side.

When a short 8-bit file could be in either of two code pages about equally well
(crm.interchange.readings), :class:`EncodingChoice` shows a few names decoded
each way, in two columns, with a button under each: the wizard reads the file
again in the one the user picks. The reading in use is marked, and its button
is disabled. Nothing shows for a file whose encoding was a clear call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.gui.views.data.import_columns import plain_label
from crm.i18n import _

if TYPE_CHECKING:
    from crm.interchange.readings import Reading

# The encodings offered (the field also takes any name Python knows).
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "cp1252",
    "cp1253",
    "cp1251",
    "cp1256",
    "iso8859-7",
    "mac_roman",
)


class EncodingChoice(QWidget):
    """Two readings of the file, side by side, and a button to use each."""

    def __init__(self, choose: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encodingChoice")
        self._choose = choose
        self.readings: list[Reading] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = plain_label(
            _(
                "The file's encoding was a close call: it reads as names in either of "
                "these two. Choose the one in which the names look right."
            )
        )
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("encodingReadings")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.buttons = [QPushButton(), QPushButton()]
        for index, button in enumerate(self.buttons):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, i=index: self._use(i))
            buttons.addWidget(button, 1)
        layout.addLayout(buttons)
        self.hide()

    def show_readings(self, readings: Sequence[Reading], used: str) -> None:
        """Show ``readings`` (two, or none to hide), marking the one the file was read in."""
        self.readings = list(readings)[:2]
        if len(self.readings) != 2:
            self.clear()
            return
        table = self.table
        table.setHorizontalHeaderLabels(
            [_("Read as %1").replace("%1", r.encoding) for r in self.readings]
        )
        rows = max(len(r.names) for r in self.readings)
        table.setRowCount(rows)
        for column, reading in enumerate(self.readings):
            for row in range(rows):
                name = reading.names[row] if row < len(reading.names) else ""
                table.setItem(row, column, QTableWidgetItem(name))
        table.setFixedHeight(
            table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(rows)) + 4
        )
        for button, reading in zip(self.buttons, self.readings, strict=True):
            in_use = _same(reading.encoding, used)
            text = _("%1 is in use") if in_use else _("Use %1")
            button.setText(text.replace("%1", reading.encoding))
            button.setEnabled(not in_use)
        self.show()

    def clear(self) -> None:
        self.readings = []
        self.table.setRowCount(0)
        self.hide()

    def _use(self, index: int) -> None:
        if index < len(self.readings):
            self._choose(self.readings[index].encoding)


def _same(a: str, b: str) -> bool:
    import codecs

    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return a == b
