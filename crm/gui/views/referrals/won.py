"""Closing a referral as won: the value of the business and its currency."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from crm.core import referrals, settings
from crm.core.amounts import format_amount
from crm.core.errors import ValidationError
from crm.gui.widgets import INVALID_STYLE, PreservingDialog, error_label, mark_invalid, row_widget


class WonDialog(PreservingDialog):
    """Close a referral as won: the value of the business and its currency."""

    saved = Signal(int)

    def __init__(
        self, referral_id: int, parent: QWidget | None = None, *, reopen: bool = False
    ) -> None:
        super().__init__(parent)
        self.referral_id = referral_id
        self.reopen = reopen
        ref = referrals.get_referral(referral_id)
        self.setWindowTitle(self.tr("Referral Won"))
        self.setStyleSheet(INVALID_STYLE)
        intro = QLabel(
            self.tr("What was the business from %1 worth?").replace("%1", ref.referred.display_name)
        )
        intro.setWordWrap(True)
        self.value = QLineEdit()
        self.value.setObjectName("value")
        self.value.setPlaceholderText(self.tr("e.g. 1200 or 1,200.50"))
        if ref.value is not None:
            self.value.setText(format_amount(ref.value))
        self.currency = QLineEdit(ref.currency or settings.profile().currency)
        self.currency.setObjectName("currency")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(self.fontMetrics().horizontalAdvance("WWWWW") + 16)
        form = QFormLayout()
        form.addRow(self.tr("&Value:"), row_widget((self.value, 1), self.currency))
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark as Won"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.value.setFocus()

    def save(self) -> None:
        try:
            referrals.change_status(
                self.referral_id,
                "won",
                value=self.value.text().strip() or None,
                currency=self.currency.text().strip() or None,
                reopen=self.reopen,
            )
        except ValidationError as exc:
            self.error.setText(exc.message)
            self.error.show()
            widget = self.currency if exc.field == "currency" else self.value
            mark_invalid(widget, True)
            widget.setFocus()
            return
        self.saved.emit(self.referral_id)
        self.accept()
