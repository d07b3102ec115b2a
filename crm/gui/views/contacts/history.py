"""The contact's history in the detail pane, with a line to add a note, a call, a meeting."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import vocabulary
from crm.core.errors import ValidationError
from crm.core.rule_lines import shown_summary
from crm.gui import labels
from crm.gui.formatting import by_text, cell_text, moment_text
from crm.gui.views.contacts.pane_widgets import FittedTree, cap_column, section_title
from crm.gui.widgets import error_label, plain_tip, row


class HistorySection(QWidget):
    """One contact's timeline; ``note_added`` once a note the user typed is stored."""

    note_added = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = section_title(self.tr("History"))
        layout.addWidget(self.title)
        self.note_kind = QComboBox()
        for code in vocabulary.USER_KINDS:
            self.note_kind.addItem(labels.interaction(code), code)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("What happened? (a note, a call, a meeting…)"))
        self.note_edit.returnPressed.connect(self.add_note)
        self.note_button = QPushButton(self.tr("Add &Note"))
        self.note_button.clicked.connect(self.add_note)
        layout.addLayout(row(self.note_kind, (self.note_edit, 1), self.note_button))
        self.note_error = error_label()
        layout.addWidget(self.note_error)
        self.tree = FittedTree(
            [self.tr("When"), self.tr("What"), self.tr("Details"), self.tr("By")],
            10,
            stretch_column=2,
        )
        layout.addWidget(self.tree)

    def show_contact(self, contact_id: int) -> None:
        """Load the contact's history, newest first."""
        from crm.core import interactions

        self.contact_id = contact_id
        self.tree.clear()
        lines = interactions.history(contact_id, limit=200)
        for line in lines:
            when = line.happened_at
            stamp = moment_text(when) if isinstance(when, dt.datetime) else cell_text(str(when))
            summary = shown_summary(line)  # worded once (up to 200 lines a contact)
            item = QTreeWidgetItem(
                [
                    stamp,
                    labels.interaction(line.kind),
                    cell_text(summary),
                    cell_text(line.created_by),
                ]
            )
            item.setToolTip(2, plain_tip(summary))
            item.setToolTip(3, plain_tip(by_text(line.created_by)))
            self.tree.addTopLevelItem(item)
        self.tree.setColumnHidden(3, not any(line.created_by for line in lines))
        self.title.setText(f"{self.tr('History')} ({len(lines)})")
        self.tree.fit()
        cap_column(self.tree, 3)

    def add_note(self) -> None:
        """Add what the user typed to the contact's history."""
        if self.contact_id is None:
            return
        from crm.core import interactions

        try:
            interactions.add_note(
                self.contact_id, self.note_kind.currentData(), self.note_edit.text()
            )
        except ValidationError as exc:
            self.note_error.setText(exc.message)
            self.note_error.show()
            self.note_edit.setFocus()
            return
        self.note_error.hide()
        self.note_edit.clear()
        self.show_contact(self.contact_id)
        self.note_added.emit()
