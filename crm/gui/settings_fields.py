"""Compound fields of the Preferences dialog: an image, a short code, a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class ImageField(QWidget):
    """A path to an image file with Choose…/Clear buttons and a thumbnail."""

    THUMB = QSize(144, 64)

    def __init__(self, dialog_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog_title = dialog_title
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("No file: PNG or JPEG"))
        self.edit.textChanged.connect(self._preview)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.edit.clear)
        self.thumb = QLabel()
        self.thumb.setObjectName("thumbnail")
        self.thumb.setFixedSize(self.THUMB)
        self.thumb.setFrameShape(QFrame.Shape.StyledPanel)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(choose)
        row.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.thumb)
        self._preview("")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def choose(self) -> None:
        start = str(Path(self.text()).parent) if self.text() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.dialog_title, start, self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.edit.setText(path)

    def _preview(self, path: str) -> None:
        pixmap = QPixmap(path) if path.strip() else QPixmap()
        if pixmap.isNull():
            self.thumb.setPixmap(QPixmap())
            self.thumb.setText(self.tr("No image") if not path.strip() else self.tr("Not shown"))
            return
        self.thumb.setPixmap(
            pixmap.scaled(
                self.THUMB - QSize(6, 6),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class CodeField(QWidget):
    """A short code (country, currency) with its meaning shown beside it."""

    def __init__(self, length: int, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(length)
        if placeholder:
            self.edit.setPlaceholderText(placeholder)
        self.edit.setMaximumWidth(
            self.edit.fontMetrics().horizontalAdvance("M" * (length + 3)) + 16
        )
        self.meaning = QLabel()
        self.meaning.setObjectName("codeMeaning")
        self.meaning.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.meaning, 1)


class FolderField(QWidget):
    """A folder typed in or chosen; empty means the default shown as the placeholder."""

    def __init__(self, default: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setToolTip(default)
        self.choose_button = QPushButton(self.tr("Choose…"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose_button)


# Each language named in itself, as a person looks for their own.
UI_LANGUAGE_NAMES = {
    "en": "English",
    "el": "Ελληνικά",
    "bg": "Български",
    "it": "Italiano",
    "ar": "العربية",
}


def language_combo(system_label: str) -> QComboBox:
    """The interface language: the system's (data "") or one of ours (data: its code)."""
    combo = QComboBox()
    combo.setObjectName("uiLanguage")
    combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    combo.addItem(system_label, "")
    for code, name in UI_LANGUAGE_NAMES.items():
        combo.addItem(name, code)
    return combo
