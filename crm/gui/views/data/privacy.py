"""A person's data under the GDPR: export everything held on them, or erase them.

Both work on one contact on the gateway (crm.interchange.person_export,
crm.core.erasure). Erasing cannot be undone, so its dialog names the person,
says what goes and what stays, and the Erase button works only once the
person's name (or the word ERASE, in the interface language) is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm.core.errors import CrmError
from crm.gui.context import AppContext
from crm.gui.widgets import PreservingDialog
from crm.i18n import pgettext

# The word that confirms erasing when the name is hard to type: the interface
# language's (confirm_word()) or this English one, which the documentation names.
CONFIRM_WORD = "ERASE"
ERROR_STYLE = "color: #b00020;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Privacy", text)


def export_person_data(
    ctx: AppContext,
    contact_id: int,
    parent: QWidget,
    report: Callable[[str], None] | None = None,
    folder: str | None = None,
) -> None:
    """Ask for a folder (unless given) and write the person's JSON and vCard into it."""
    if folder is None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = QFileDialog.getExistingDirectory(
            parent, _tr("Export Person's Data to a Folder"), start
        )
        if not folder:
            return
    target = folder

    def work(_progress) -> list[str]:
        from crm.interchange.person_export import export_person

        return [str(p) for p in export_person(contact_id, target)]

    def done(paths: list[str]) -> None:
        if report is not None:
            report(_tr("Wrote %1").replace("%1", _tr(" and ").join(paths)))

    ctx.gateway.run(work, on_done=done, label=_tr("Exporting the person's data…"))


def confirm_word() -> str:
    """The word typed to confirm erasing, in capitals, in the interface language."""
    return pgettext("the word typed to confirm erasing", "ERASE")


def matches_confirmation(typed: str, name: str) -> bool:
    """True when ``typed`` is the person's name (case, accents ignored), the confirming
    word of the interface language, or ERASE."""
    from crm.core.text import fold

    text = " ".join(typed.split())
    if not text:
        return False
    return text in (CONFIRM_WORD, confirm_word()) or (
        bool(name.strip()) and fold(text) == fold(" ".join(name.split()))
    )


def _plain_label(text: str) -> QLabel:
    """A wrapping label whose text is shown as typed, never as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class EraseDialog(PreservingDialog):
    """Erase one person after a typed confirmation; statistics stay right."""

    # The person was erased: crm.core.erasure.erase's result.
    erased = Signal(object)

    def __init__(self, ctx: AppContext, contact_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from crm.core import contacts

        self.ctx = ctx
        self.geometry_settings = ctx.settings
        self.contact_id = contact_id
        self.result_info: dict[str, Any] | None = None
        contact = contacts.get_contact(contact_id)
        self.name = contact.display_name
        already = contact.erased_at is not None
        self.setWindowTitle(self.tr("Erase Person"))
        self.setModal(True)
        self.resize(520, 380)

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_heading(contact_id))
        layout.addWidget(self._build_explanation())
        self.prompt = _plain_label(
            self.tr("To confirm, type the person's name (%1) or %2:")
            .replace("%1", self.name)
            .replace("%2", confirm_word())
        )
        layout.addWidget(self.prompt)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("eraseConfirm")
        self.confirm_edit.textChanged.connect(self._typed)
        self.prompt.setBuddy(self.confirm_edit)
        layout.addWidget(self.confirm_edit)
        self.error = _plain_label("")
        self.error.setObjectName("eraseError")
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self._build_buttons())
        if already:
            self.error.setText(self.tr("This person was already erased."))
            self.confirm_edit.setEnabled(False)

    def _build_heading(self, contact_id: int) -> QLabel:
        heading = _plain_label(
            self.tr("Erase %1 (#%2)?").replace("%1", self.name).replace("%2", str(contact_id))
        )
        heading.setObjectName("eraseHeading")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        return heading

    def _build_explanation(self) -> QLabel:
        """What goes, what stays, and that it cannot be undone."""
        return _plain_label(
            self.tr(
                "Everything that identifies this person is removed from every table: name, "
                "emails, phones, address, birthday, notes, tags, follow-ups, the text of their "
                "history, and their name wherever our own records mention them.\n\n"
                "Kept, without their identity, so your statistics stay right: their referrals "
                "(status, value, dates), rewards, vouchers and event attendance.\n\n"
                "This cannot be undone. Backups made before it still hold the person until "
                "they rotate out."
            )
        )

    def _build_buttons(self) -> QDialogButtonBox:
        """Cancel, and Erase Person, off until the confirmation is typed."""
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton(self.tr("&Erase Person"))
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAutoDefault(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.clicked.connect(self.erase)
        self.buttons.rejected.connect(self.reject)
        self.erase_button.setEnabled(False)
        return self.buttons

    def _typed(self, text: str) -> None:
        self.erase_button.setEnabled(matches_confirmation(text, self.name))

    def erase(self) -> None:
        if not matches_confirmation(self.confirm_edit.text(), self.name):
            return
        contact_id = self.contact_id

        def work(_progress) -> dict[str, Any]:
            from crm.core import erasure

            return erasure.erase(contact_id)

        def done(info: dict[str, Any]) -> None:
            self.result_info = info
            # Names were scrubbed from referrals, follow-ups, events and history too.
            self.ctx.changed("all")
            self.erased.emit(info)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error.setText(exc.message if isinstance(exc, CrmError) else str(exc))

        self.erase_button.setEnabled(False)
        self.ctx.gateway.run(
            work, on_done=done, on_error=failed, label=self.tr("Erasing…"), cancellable=False
        )
