"""Issue gift vouchers: to chosen clients, or to the top clients by a transparent score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import clock, contacts, settings, vouchers
from crm.core.errors import ValidationError
from crm.gui.context import AppContext
from crm.gui.formatting import DATE_FORMAT, isolate, join_data, money, number, pydate
from crm.gui.widgets import PreservingDialog, SearchBox, error_label, form, named


def default_batch(today: dt.date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


class IssueVouchersDialog(PreservingDialog):
    """Choose holders (or the top N), value, expiry and batch; issue all or none."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.geometry_settings = ctx.settings
        self.ctx = ctx
        self.issued: list[dict[str, Any]] = []
        self.setWindowTitle(self.tr("Issue Gift Vouchers"))
        self.resize(560, 560)
        layout = QVBoxLayout(self)
        self.top_radio = QRadioButton(self.tr("The top clients by referrals won"))
        self.pick_radio = QRadioButton(self.tr("Clients I choose"))
        group = QButtonGroup(self)
        group.addButton(self.top_radio)
        group.addButton(self.pick_radio)
        self.top_radio.setChecked(True)
        self._build_top(layout)
        self._build_pick(layout)
        self._build_terms(layout)
        self._build_footer(layout)
        self._show_top()
        self.currency.editingFinished.connect(self._show_top)
        self.without_consent.toggled.connect(self._show_top)

    def _build_top(self, layout: QVBoxLayout) -> None:
        """The top N clients by score, listed as the N changes."""
        layout.addWidget(self.top_radio)
        self.top_n = QSpinBox()
        self.top_n.setRange(1, 500)
        self.top_n.setValue(20)
        self.top_n.setSuffix(self.tr(" clients"))
        self.top_n.valueChanged.connect(lambda _v: self._show_top())
        layout.addWidget(self.top_n)
        self.top_list = QListWidget()
        layout.addWidget(self.top_list, 1)
        self.score_note = QLabel(
            self.tr(
                "Score: the value won from the referrals they gave in the last 12 months, "
                "then how many of those referrals were won. Only clients who agreed to "
                "marketing are picked."
            )
        )
        self.score_note.setWordWrap(True)
        layout.addWidget(self.score_note)

    def _build_pick(self, layout: QVBoxLayout) -> None:
        """Holders chosen by name: search, activate a match to add it, a chosen one to drop it."""
        layout.addWidget(self.pick_radio)
        self.search = SearchBox(self.tr("Type a name to add a holder…"))
        self.search.search.connect(self._search)
        layout.addWidget(self.search)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(110)
        self.matches.itemActivated.connect(self._add_holder)
        layout.addWidget(self.matches)
        self.chosen = QListWidget()
        self.chosen.setMaximumHeight(110)
        self.chosen.itemActivated.connect(lambda item: self.chosen.takeItem(self.chosen.row(item)))
        layout.addWidget(self.chosen)

    def _build_terms(self, layout: QVBoxLayout) -> None:
        """Value, currency, expiry (a year from today) and batch."""
        today = clock.today()
        self.value = QLineEdit("50")
        self.currency = QLineEdit(settings.profile().currency or "EUR")
        self.currency.setMaxLength(3)
        self.expires = QDateEdit(QDate(today.year + 1, today.month, min(today.day, 28)))
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat(DATE_FORMAT)
        self.batch = QLineEdit(default_batch(today))
        layout.addLayout(
            form(
                (self.tr("Value:"), self.value),
                (self.tr("Currency:"), self.currency),
                (self.tr("Expires:"), self.expires),
                (self.tr("Batch:"), self.batch),
            )
        )

    def _build_footer(self, layout: QVBoxLayout) -> None:
        self.error = error_label()
        layout.addWidget(self.error)
        # Shown when the core refuses holders without marketing consent: the user may
        # issue this batch to them anyway.
        self.without_consent = named(
            QCheckBox(self.tr("Issue to them without their consent")), "issueWithoutConsent"
        )
        self.without_consent.hide()
        layout.addWidget(self.without_consent)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Issue"))
        buttons.accepted.connect(self.issue)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_top(self) -> None:
        self.top_list.clear()
        currency = self.currency.text() if hasattr(self, "currency") else ""
        # The same clients issue() picks: the best who agreed to marketing, unless
        # the user ticked the override for this batch.
        everyone = not self.without_consent.isHidden() and self.without_consent.isChecked()
        for entry in vouchers.top_holders(self.top_n.value(), consenting_only=not everyone):
            text = self.tr("%1 · %2 won · %3 converted")
            # In the interface's conventions (18.081,39 in Greek); the name and the amount
            # are isolated so an Arabic name does not reorder the numbers, nor they it.
            won = isolate(money(entry["won_value"], currency))
            text = text.replace("%1", isolate(entry["name"])).replace("%2", won)
            self.top_list.addItem(text.replace("%3", number(entry["converted"])))

    def _search(self, text: str) -> None:
        self.matches.clear()
        for cid, given, family, org, *_rest in contacts.list_rows(text, limit=20):
            name = " ".join(p for p in (given, family) if p)
            item = QListWidgetItem(join_data([name, org or ""], " · "))
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.matches.addItem(item)

    def _add_holder(self, item: QListWidgetItem) -> None:
        cid = item.data(Qt.ItemDataRole.UserRole)
        if cid not in self.holder_ids():
            added = QListWidgetItem(item.text())
            added.setData(Qt.ItemDataRole.UserRole, cid)
            self.chosen.addItem(added)
        self.pick_radio.setChecked(True)

    def holder_ids(self) -> list[int]:
        return [
            int(self.chosen.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.chosen.count())
        ]

    def issue(self) -> None:
        allow = not self.without_consent.isHidden() and self.without_consent.isChecked()
        picked = self.pick_radio.isChecked()
        try:
            if picked and not self.holder_ids():
                raise ValidationError(self.tr("Choose at least one client to give a voucher"))
            self.issued = vouchers.issue(
                self.holder_ids() if picked else None,
                top_n=None if picked else self.top_n.value(),
                value=self.value.text(),
                expires=pydate(self.expires.date()),
                batch=self.batch.text(),
                currency=self.currency.text(),
                allow_without_consent=allow,
            )
        except ValidationError as exc:
            from crm.gui.printing import consent_refusal

            refusal = consent_refusal(exc)
            if refusal is not None:
                self.error.setText(
                    refusal
                    + " "
                    + self.tr("Record their consent, or tick the box to issue this batch anyway.")
                )
                self.without_consent.show()
            else:
                self.error.setText(exc.message)
            self.error.show()
            return
        self.ctx.changed("vouchers")
        self.accept()
