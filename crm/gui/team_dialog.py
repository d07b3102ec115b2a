"""File → Open Team Database…: the address of a PostgreSQL database, checked before it opens.

What is wrong with the address is said under the field as it is typed (on
Open), and a failed connection in words (the server down, no such database, a
user it does not know), never a traceback. Connecting runs on the gateway.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm.core import team_db
from crm.core.errors import CrmError
from crm.gui.context import AppContext
from crm.gui.gateway import Progress
from crm.i18n import _


class OpenTeamDatabaseDialog(QDialog):
    """Asks for ``postgresql://user@host/dbname``; accepted once a connection worked."""

    # The address that connected (as typed, password included: it opens with it).
    chosen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.url = ""
        self.setWindowTitle(_("Open Team Database"))
        self.setObjectName("openTeamDatabase")
        intro = QLabel(
            _(
                "A database on a PostgreSQL server that your team shares. "
                "Ask whoever runs the server for its address."
            )
        )
        intro.setWordWrap(True)
        self.field = QLineEdit(url)
        self.field.setObjectName("teamUrl")
        self.field.setPlaceholderText(_(team_db.EXAMPLE))
        self.field.setMinimumWidth(420)
        self.field.textEdited.connect(lambda _t: self.show_error(""))
        hint = QLabel(_("For example: {address}").format(address=_(team_db.EXAMPLE)))
        hint.setObjectName("teamUrlHint")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setEnabled(False)  # greyed: a hint, not a field
        self.error = QLabel()
        self.error.setObjectName("teamUrlError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("&Address:"), self.field)
        form.addRow("", hint)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_open)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            self.adjustSize()  # room for a message of two lines

    def try_open(self) -> None:
        """Check the address, then try it on the gateway; accept when it connects."""
        try:
            url = team_db.check_url(self.field.text())
        except CrmError as exc:
            self.show_error(exc.message)
            self.field.setFocus()
            return
        self.show_error("")
        self.buttons.setEnabled(False)

        def done(_result: object) -> None:
            self.buttons.setEnabled(True)
            self.url = url
            self.accept()
            self.chosen.emit(url)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            message = exc.message if isinstance(exc, CrmError) else str(exc)
            self.show_error(message)

        def work(_progress: Progress) -> None:
            team_db.try_connect(url)

        self.ctx.gateway.run(work, on_done=done, on_error=failed)
