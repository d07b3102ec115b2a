"""The top of the contact detail pane: name, organization, archived note, actions, referrers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crm.gui.views.contacts.breadcrumb import Breadcrumb
from crm.gui.views.contacts.pane_widgets import plain_label
from crm.gui.widgets import ERROR_COLOUR, named, row


class ContactHeader(QWidget):
    """Who this is, with Edit, Show Chain and Archive; the owner acts on the clicks."""

    edit_clicked = Signal()
    chain_clicked = Signal()
    archive_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_label = named(plain_label(), "detailName")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        layout.addWidget(self.name_label)
        self.subtitle_label = plain_label()
        layout.addWidget(self.subtitle_label)
        self.archived_label = QLabel(self.tr("Archived: this contact is hidden from lists."))
        self.archived_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.archived_label)
        layout.addLayout(self._build_buttons())
        self.breadcrumb = Breadcrumb()
        layout.addWidget(self.breadcrumb)

    def _build_buttons(self) -> QHBoxLayout:
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.clicked.connect(self.edit_clicked)
        self.chain_button = QPushButton(self.tr("Show &Chain"))
        self.chain_button.clicked.connect(self.chain_clicked)
        self.archive_button = QPushButton(self.tr("&Archive"))
        self.archive_button.clicked.connect(self.archive_clicked)
        return row(self.edit_button, self.chain_button, self.archive_button, None)

    def show_contact(self, info: dict[str, Any]) -> None:
        """Name, title and organization, and whether the contact is archived."""
        self.name_label.setText(info["name"] or self.tr("(no name)"))
        self.subtitle_label.setText(
            " · ".join(p for p in (info["title"], info["organization"] or "") if p)
        )
        self.subtitle_label.setVisible(bool(self.subtitle_label.text()))
        archived = bool(info["archived"])
        self.archived_label.setVisible(archived)
        self.archive_button.setText(self.tr("Un&archive") if archived else self.tr("&Archive"))
