"""A colleague saved the record an editor has open: say who and when, and offer to reload.

Every editor of a shared record (contact, referral, follow-up) keeps the
version it loaded and hands it to the core when it saves. When the core refuses
with :class:`~crm.core.errors.ConflictError`, the editor shows this banner
above its buttons: what the user typed stays in the fields until they choose
Reload (their colleague's version replaces it) or Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from crm.core.errors import ConflictError
from crm.i18n import _

BANNER_STYLE = "#conflictBanner { background: #fde7e4; border: 1px solid #b3261e; }"


class ConflictBanner(QWidget):
    """Hidden until :meth:`show_conflict`; ``reload_requested`` when the user chooses Reload."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setObjectName("conflictText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        box.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reload_button = QPushButton(_("&Reload Their Version"))
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self._reload)
        buttons.addWidget(self.reload_button)
        box.addLayout(buttons)
        self.hide()

    def show_conflict(self, error: ConflictError) -> None:
        """Say who saved meanwhile; the fields keep what the user typed."""
        self.text.setText(
            _("{who_and_when}, after you opened it: your changes were not saved.").format(
                who_and_when=error.summary
            )
            + "\n"
            + _(
                "What you typed is still here: copy what you need, then reload to edit "
                "their version, or cancel."
            )
        )
        self.show()
        self.reload_button.setFocus()

    def _reload(self) -> None:
        self.hide()
        self.reload_requested.emit()
