"""Merge Into…: which organization keeps the people of the one shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from crm.gui.widgets import PreservingDialog, named


class MergeIntoDialog(PreservingDialog):
    """Choose the organization to keep; ``keep_id()`` is the choice once accepted."""

    settings_key = "MergeOrganizationDialog"

    def __init__(
        self, other: dict[str, Any], choices: list[dict[str, Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge Organization"))
        n = len(other["people"])
        intro = named(QLabel(), "mergeIntro")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setText(
            self.tr("Merge %1 into the organization you keep:").replace("%1", other["name"])
        )
        self.keep = named(QComboBox(), "keepOrganization")
        for org in choices:
            if org["id"] != other["id"]:
                self.keep.addItem(self._choice_text(org), org["id"])
        self.keep.setMinimumWidth(320)
        effect = named(QLabel(), "mergeEffect")
        effect.setWordWrap(True)
        effect.setText(
            (
                self.tr("Its 1 person moves to the one you keep")
                if n == 1
                else self.tr("Its %1 people move to the one you keep").replace("%1", str(n))
            )
            + self.tr(
                ", which takes its website, city and notes where its own are empty; "
                "then it is deleted."
            )
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Merge"))
        ok.setObjectName("confirmMerge")
        ok.setEnabled(self.keep.count() > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.keep, effect, self.buttons):
            layout.addWidget(widget)

    def _choice_text(self, org: dict[str, Any]) -> str:
        city = f", {org['city']}" if org["city"] else ""
        return f"{org['name']}{city} (#{org['id']})"

    def keep_id(self) -> int | None:
        data = self.keep.currentData()
        return int(data) if data is not None else None
