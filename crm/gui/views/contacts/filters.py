"""The contacts page's filter bar: search, tag, stage, channel, archived, and New Contact."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QWidget

from crm.core import vocabulary
from crm.gui.views.contacts.model import channel_label, stage_label
from crm.gui.widgets import SearchBox, named, row

# Loaded at the first paint with the page: Qt, the vocabulary and the model's labels only.


class ContactFilters(QWidget):
    """The bar above the table; it says what the user asks for, the page runs the query."""

    search_changed = Signal(str)
    changed = Signal()  # tag, stage, channel or archived
    new_requested = Signal()
    down_pressed = Signal()  # Down in the search field: go to the results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = named(
            SearchBox(self.tr("Search names, organizations, emails, phones, cities…")),
            "contactSearch",
        )
        self.search.search.connect(self.search_changed)
        self.search.returnPressed.connect(self.search.flush)
        self.search.installEventFilter(self)
        self.tag_filter = self._combo("tagFilter", self.tr("All tags"), [])
        self.stage_filter = self._combo(
            "stageFilter",
            self.tr("All stages"),
            [(stage_label(code), code) for code in vocabulary.STAGES],
        )
        self.channel_filter = self._combo(
            "channelFilter",
            self.tr("All channels"),
            [(channel_label(code), code) for code in vocabulary.CHANNELS],
        )
        self.archived_filter = QCheckBox(self.tr("Show a&rchived"))
        self.archived_filter.toggled.connect(lambda _on: self.changed.emit())
        self.new_button = QPushButton(self.tr("New Contact…"))
        self.new_button.clicked.connect(self.new_requested)
        self.setLayout(
            row(
                (self.search, 3),
                (self.tag_filter, 1),
                (self.stage_filter, 1),
                (self.channel_filter, 1),
                self.archived_filter,
                self.new_button,
            )
        )

    def _combo(self, name: str, everything: str, choices: list[tuple[str, str]]) -> QComboBox:
        """A filter whose first choice (no data) lets everything through."""
        combo = named(QComboBox(), name)
        # Never squeezed below its first choice ("Όλες οι ετικέτες"): a tag or a stage
        # longer than that may elide, the word that says "no filter" may not.
        combo.setMinimumContentsLength(max(10, len(everything)))
        combo.addItem(everything, None)
        for text, code in choices:
            combo.addItem(text, code)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def values(self) -> dict[str, Any]:
        """The filters as the model's query fields."""
        return {
            "tag": self.tag_filter.currentData(),
            "stage": self.stage_filter.currentData(),
            "channel": self.channel_filter.currentData(),
            "include_archived": self.archived_filter.isChecked(),
        }

    def set_tags(self, names: list[str]) -> None:
        """Offer these tags, keeping the chosen one (``changed`` if it is gone)."""
        combo = self.tag_filter
        current = combo.currentData()
        if names == [combo.itemData(i) for i in range(1, combo.count())]:
            return
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All tags"), None)
        for name in names:
            combo.addItem(name, name)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if current and index < 0:
            self.changed.emit()

    def clear(self) -> None:
        """Back to no search and every tag, stage and channel, without signals."""
        combos = (self.tag_filter, self.stage_filter, self.channel_filter)
        for widget in (self.search, *combos):
            widget.blockSignals(True)
        self.search.clear()
        for combo in combos:
            combo.setCurrentIndex(0)
        for widget in (self.search, *combos):
            widget.blockSignals(False)

    def include_archived(self, archived: bool) -> None:
        """Tick "Show archived" when ``archived`` (never untick), without signals."""
        self.archived_filter.blockSignals(True)
        self.archived_filter.setChecked(self.archived_filter.isChecked() or archived)
        self.archived_filter.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.search.flush()
            self.down_pressed.emit()
            return True
        return super().eventFilter(watched, event)
