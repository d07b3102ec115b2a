"""Small shared widgets: a dialog that remembers its geometry, empty states, search box."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PreservingDialog(QDialog):
    """A dialog that reopens at the size and place the user left it."""

    settings_key = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restored = False
        # Where the geometry is kept: set it to ctx.settings so tests and
        # screenshots use their own file; None means the user's QSettings().
        self.geometry_settings: QSettings | None = None

    def _settings(self) -> QSettings:
        return self.geometry_settings if self.geometry_settings is not None else QSettings()

    def _key(self) -> str:
        return f"geometry/{self.settings_key or type(self).__name__}"

    def showEvent(self, event: QShowEvent) -> None:
        if not self._restored:
            self._restored = True
            saved = self._settings().value(self._key())
            if isinstance(saved, QByteArray):
                self.restoreGeometry(saved)
        super().showEvent(event)

    def done(self, result: int) -> None:
        self._settings().setValue(self._key(), self.saveGeometry())
        super().done(result)


class EmptyState(QWidget):
    """A friendly pane for when there is nothing to show yet, with optional actions."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        body = QLabel(text)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(body)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        layout.addStretch(2)
        self.heading, self.body = heading, body

    def add_action(self, text: str) -> QPushButton:
        button = QPushButton(text)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button


class SearchBox(QLineEdit):
    """A line edit that reports what was typed after a short pause (search-as-you-type)."""

    search = Signal(str)

    def __init__(
        self, placeholder: str, parent: QWidget | None = None, delay_ms: int = 120
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.search.emit(self.text()))
        self.textChanged.connect(lambda _t: self._timer.start())

    def flush(self) -> None:
        """Emit now (tests, and Enter)."""
        self._timer.stop()
        self.search.emit(self.text())
