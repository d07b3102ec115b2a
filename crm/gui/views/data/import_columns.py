"""Step 2 of the import wizard, for CSV files: match the file's columns to contact fields.

Each column with a few of its values and what it is read as (changeable, or
Ignore), the order of day and month in dates, and presets: a mapping saved
under a name and applied to the next file of the same shape. Then the rows
are read again with the mapping as edited. ``ColumnsStep`` is a child widget
of ImportWizard: the wizard hands it the file as read (``show_source``) and
hears ``ready`` with the rows to plan; ``plain_label`` is the label every page
of the wizard uses.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CrmError
from crm.gui.formatting import data_list
from crm.gui.widgets import plain_tip

if TYPE_CHECKING:
    from crm.gui.context import AppContext
    from crm.gui.gateway import Progress

ERROR_STYLE = "color: #b00020;"
# Rows of the file shown as examples under each column.
EXAMPLES = 3


def plain_label(text: str = "", *, error: bool = False) -> QLabel:
    """A wrapping, selectable label of plain text (red for an error)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if error:
        label.setStyleSheet(ERROR_STYLE)
    return label


class ColumnsStep(QWidget):
    """The columns page of the import wizard and its work."""

    # The rows read with the mapping as edited (an importer.Source), ready to plan.
    ready = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source: Any = None  # importer.Source of the file as last read
        self.layout_read: Any = None  # the CsvLayout its records were read with
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr(
                    "Each column of the file, a few of its values, and what it is read as. "
                    "Change any that are wrong; Ignore leaves a column out."
                )
            )
        )
        self.column_table = QTableWidget(0, 3)
        self.column_table.setObjectName("columnMapping")
        self.column_table.setHorizontalHeaderLabels(
            [self.tr("Column"), self.tr("Examples"), self.tr("Import as")]
        )
        self.column_table.verticalHeader().hide()
        self.column_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.column_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.column_table.setWordWrap(False)
        header = self.column_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.column_table.setColumnWidth(0, 200)
        self.column_table.setColumnWidth(2, 240)
        layout.addWidget(self.column_table, 1)
        # Which columns nothing is read from, kept up to date as targets change.
        self.unused_label = plain_label()
        self.unused_label.setObjectName("unusedColumns")
        layout.addWidget(self.unused_label)
        layout.addLayout(self._build_options())
        self.columns_error = plain_label(error=True)
        self.columns_error.setObjectName("columnsError")
        layout.addWidget(self.columns_error)

    def _build_options(self) -> QHBoxLayout:
        """The order of day and month, and the presets."""
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Dates like 01/02/1980:")))
        self.date_order = QComboBox()
        self.date_order.setObjectName("dateOrder")
        self.date_order.addItem(self.tr("day first (1 February)"), "DMY")
        self.date_order.addItem(self.tr("month first (January 2)"), "MDY")
        options.addWidget(self.date_order)
        options.addStretch(1)
        options.addWidget(QLabel(self.tr("Preset:")))
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.setMinimumContentsLength(14)
        options.addWidget(self.preset_combo)
        self.apply_preset_button = QPushButton(self.tr("&Apply"))
        self.apply_preset_button.setAutoDefault(False)
        self.apply_preset_button.clicked.connect(self.apply_preset)
        options.addWidget(self.apply_preset_button)
        self.save_preset_button = QPushButton(self.tr("&Save as Preset…"))
        self.save_preset_button.setAutoDefault(False)
        self.save_preset_button.clicked.connect(self.ask_preset_name)
        options.addWidget(self.save_preset_button)
        return options

    def show_source(self, source: Any) -> None:
        """Show the columns of a CSV file just read, with the mapping detected."""
        self.source = source
        self.layout_read = source.layout
        self._fill_columns(source.layout)

    def show_error(self, message: str) -> None:
        self.columns_error.setText(message)

    def _combo(self, row: int) -> QComboBox:
        combo = self.column_table.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)  # every row's third cell is its target
        return combo

    def _target_combo(self, key: str) -> QComboBox:
        from crm.interchange import csvfile

        combo = QComboBox()
        combo.addItem(self.tr("Ignore"), "")
        for target, label in csvfile.TARGETS.items():
            combo.addItem(self.target_label(target, label), target)
        if key and combo.findData(key) < 0:
            # A labelled list key a preset or the detection made: "email:iPhone".
            base, _mark, label = key.partition(":")
            base_label = csvfile.TARGETS.get(base, base)
            combo.addItem(f"{base_label} ({label})", key)
        combo.setCurrentIndex(max(combo.findData(key), 0))
        combo.setMaxVisibleItems(20)
        return combo

    def target_label(self, key: str, label: str) -> str:
        # The reader names targets in English; the interface words them here.
        return str(self.tr(label))

    def _fill_columns(self, layout: Any) -> None:
        table = self.column_table
        table.setRowCount(len(layout.columns))
        for row, column in enumerate(layout.columns):
            name = QTableWidgetItem(column)
            name.setToolTip(plain_tip(column))
            table.setItem(row, 0, name)
            values = [
                cells[row].strip()
                for cells in layout.sample
                if row < len(cells) and cells[row].strip()
            ]
            # Each value isolated: an Arabic example must not reorder its neighbours.
            shown = (f"\u2068{v.replace(chr(10), ' ')}\u2069" for v in values[:EXAMPLES])
            examples = QTableWidgetItem(" · ".join(shown))
            examples.setToolTip(plain_tip("\n".join(values)))
            table.setItem(row, 1, examples)
            combo = self._target_combo(layout.mapping[row])
            combo.currentIndexChanged.connect(self._show_unused)
            table.setCellWidget(row, 2, combo)
        self.date_order.setCurrentIndex(max(self.date_order.findData(layout.date_order), 0))
        self.columns_error.clear()
        self._show_unused()
        self._reload_presets()

    def _show_unused(self) -> None:
        if self.layout_read is None:
            return
        unused = [
            c
            for c, key in zip(self.layout_read.columns, self.mapping(), strict=False)
            if c and not key
        ]
        text = self.tr("Not used: %1").replace("%1", data_list(unused)) if unused else ""
        self.unused_label.setText(text)

    def mapping(self) -> list[str]:
        """The target chosen for each column, in order."""
        table = self.column_table
        return [str(self._combo(row).currentData()) for row in range(table.rowCount())]

    def set_target(self, column: str, key: str) -> None:
        """Choose what ``column`` is read as (by the header's text)."""
        assert self.layout_read is not None
        combo = self._combo(self.layout_read.columns.index(column))
        index = combo.findData(key)
        if index < 0:
            raise KeyError(key)
        combo.setCurrentIndex(index)

    def edited_layout(self) -> Any:
        return dataclasses.replace(
            self.layout_read, mapping=self.mapping(), date_order=str(self.date_order.currentData())
        )

    def _reload_presets(self) -> None:
        from crm.interchange import csvfile

        current = self.preset_combo.currentText()
        self.preset_combo.clear()
        names = list(csvfile.presets())
        self.preset_combo.addItems(names)
        if current in names:
            self.preset_combo.setCurrentText(current)
        self.apply_preset_button.setEnabled(bool(names))

    def apply_preset(self, name: str | None = None) -> None:
        from crm.interchange import csvfile

        name = name or self.preset_combo.currentText()
        if not name or self.layout_read is None:
            return
        try:
            layout = csvfile.apply_preset(self.edited_layout(), name)
        except CrmError as exc:
            self.columns_error.setText(exc.message)
            return
        for row, key in enumerate(layout.mapping):
            combo = self._combo(row)
            index = combo.findData(key)
            if index < 0:
                combo.addItem(key, key)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        self.columns_error.clear()

    def ask_preset_name(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            self.tr("Save as Preset"),
            self.tr("A name for this column mapping (for files of the same shape):"),
            text=self.preset_combo.currentText(),
        )
        if ok:
            self.save_preset(name)

    def save_preset(self, name: str) -> bool:
        from crm.interchange import csvfile

        try:
            csvfile.save_preset(name, self.edited_layout())
        except CrmError as exc:
            self.columns_error.setText(exc.message)
            return False
        self.columns_error.setText("")
        self._reload_presets()
        self.preset_combo.setCurrentText(" ".join(name.split()))
        return True

    def read_with_columns(self) -> None:
        """Read the rows with the mapping as edited; ``ready`` brings them to the plan."""
        layout = self.edited_layout()
        if layout == self.layout_read and self.source is not None:
            self.ready.emit(self.source)
            return
        path = str(self.source.path)

        def work(_progress: Progress) -> Any:
            from crm.interchange import importer

            return importer.load(path, "csv", layout.encoding, layout)

        def done(source: Any) -> None:
            self.source, self.layout_read = source, layout
            self.columns_error.clear()
            self.ready.emit(source)

        def failed(exc: BaseException) -> None:
            self.columns_error.setText(exc.message if isinstance(exc, CrmError) else str(exc))

        self.ctx.gateway.run(
            work,
            on_done=done,
            on_error=failed,
            label=self.tr("Reading the file…"),
            cancellable=False,
        )
