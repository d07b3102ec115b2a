"""Voucher campaigns on the Vouchers & Letters page: the list, and setting one up or changing it.

A campaign is set once (every quarter, the top N clients who agreed to
marketing, value, validity); the daily rules then remind of it at each
period's start. The rules are :mod:`crm.core.campaigns`; issuing a period's
batch is :mod:`crm.gui.views.vouchers.campaign_issue`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import campaigns, settings
from crm.core.errors import ValidationError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, money
from crm.gui.widgets import EmptyState, PreservingDialog, error_label, form, named, select_row
from crm.i18n import ngettext

ID_ROLE = Qt.ItemDataRole.UserRole


class CampaignDialog(PreservingDialog):
    """A new campaign, or changes to one; the core checks what was typed."""

    saved = Signal(int)

    def __init__(
        self, ctx: AppContext, campaign: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.geometry_settings = ctx.settings
        self.ctx = ctx
        self.campaign = campaign
        self.setWindowTitle(self.tr("Edit Campaign") if campaign else self.tr("New Campaign"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Every period, the best clients get a voucher to pass on to a friend. At the "
                "start of each period a follow-up reminds you to issue the batch."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # Wide enough for the intro in a few lines and the name's example in every language
        # (a narrow dialog wrapped Arabic past its left edge).
        self.setMinimumWidth(460)
        self.name = named(QLineEdit(), "campaignName")
        self.name.setMaxLength(campaigns.NAME_LIMIT)
        self.name.setPlaceholderText(self.tr("such as Best clients"))
        self.every = named(QComboBox(), "campaignEvery")
        for code, text in zip(
            campaigns.EVERY,
            (self.tr("Every quarter"), self.tr("Every month"), self.tr("Every year")),
            strict=True,
        ):
            self.every.addItem(text, code)
        self.top_n = named(QSpinBox(), "campaignTop")
        self.top_n.setRange(1, campaigns.MAX_TOP)
        self.top_n.setValue(20)
        self.top_n.setSuffix(self.tr(" clients"))
        self.value = named(QLineEdit("50"), "campaignValue")
        self.currency = named(QLineEdit(settings.profile().currency or "EUR"), "campaignCurrency")
        self.currency.setMaxLength(3)
        self.valid_days = named(QSpinBox(), "campaignDays")
        self.valid_days.setRange(1, campaigns.MAX_VALID_DAYS)
        self.valid_days.setValue(90)
        self.valid_days.setSuffix(self.tr(" days"))
        self.consent_only = named(
            QCheckBox(self.tr("Only clients who agreed to marketing")), "campaignConsent"
        )
        self.consent_only.setChecked(True)
        self.active = named(QCheckBox(self.tr("Active (reminds me each period)")), "campaignActive")
        self.active.setChecked(True)
        layout.addLayout(
            form(
                (self.tr("Name:"), self.name),
                (self.tr("How often:"), self.every),
                (self.tr("Top clients:"), self.top_n),
                (self.tr("Value of each voucher:"), self.value),
                (self.tr("Currency:"), self.currency),
                (self.tr("Valid for:"), self.valid_days),
            )
        )
        layout.addWidget(self.consent_only)
        layout.addWidget(self.active)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if campaign:
            self._fill(campaign)

    def _fill(self, c: dict[str, Any]) -> None:
        self.name.setText(c["name"])
        self.every.setCurrentIndex(max(self.every.findData(c["every"]), 0))
        self.top_n.setValue(int(c["top_n"]))
        self.value.setText(f"{c['value']:.2f}")
        self.currency.setText(c["currency"])
        self.valid_days.setValue(int(c["valid_days"]))
        self.consent_only.setChecked(bool(c["consent_only"]))
        self.active.setChecked(bool(c["active"]))

    def fields(self) -> dict[str, Any]:
        return {
            "every": self.every.currentData(),
            "top_n": self.top_n.value(),
            "value": self.value.text(),
            "currency": self.currency.text(),
            "valid_days": self.valid_days.value(),
            "consent_only": self.consent_only.isChecked(),
            "active": self.active.isChecked(),
        }

    def save(self) -> None:
        try:
            if self.campaign:
                out = campaigns.edit(
                    int(self.campaign["id"]), name=self.name.text(), **self.fields()
                )
            else:
                out = campaigns.create(self.name.text(), **self.fields())
        except ValidationError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.ctx.changed("campaigns")
        self.saved.emit(int(out["id"]))
        self.accept()


class CampaignsPanel(QWidget):
    """The campaigns, each with whether this period's batch is out; new, edit, issue."""

    issue_requested = Signal(int)
    print_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: CampaignDialog | None = None
        self.rows: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "Set a campaign once: each period a follow-up reminds you, and one click issues "
                "the batch to the top clients who agreed to marketing."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        top = QHBoxLayout()
        top.addStretch(1)
        self.new_button = named(QPushButton(self.tr("New Campaign…")), "newCampaign")
        self.new_button.clicked.connect(lambda: self.edit_campaign(None))
        self.edit_button = named(QPushButton(self.tr("Edit…")), "editCampaign")
        self.edit_button.clicked.connect(lambda: self.edit_campaign(self.selected()))
        self.issue_button = named(QPushButton(self.tr("Issue This Period's Batch…")), "issueBatch")
        self.issue_button.clicked.connect(self._issue_selected)
        self.print_button = named(QPushButton(self.tr("Print This Period's Batch…")), "printBatch")
        self.print_button.clicked.connect(self._print_selected)
        buttons = (self.new_button, self.edit_button, self.issue_button, self.print_button)
        for button in buttons:
            top.addWidget(button)
        layout.addLayout(top)
        headers = [
            self.tr("Campaign"),
            self.tr("Every"),
            self.tr("Top"),
            self.tr("Value"),
            self.tr("Valid"),
            self.tr("Consent"),
            self.tr("This period"),
        ]
        self.table = named(QTableWidget(0, len(headers)), "campaignsTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._issue_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.empty = EmptyState(
            self.tr("No campaigns yet"),
            self.tr(
                "A campaign gives your best clients a voucher every quarter, month or year. "
                "Set one up with New Campaign… or 'crm campaigns add --every quarter --top 20 "
                '--value 50 --valid-days 90 --name "Best clients"\'.'
            ),
        )
        layout.addWidget(self.empty)

    def refresh(self) -> None:
        current = self.selected()
        self.rows = campaigns.list_campaigns()
        self.table.setRowCount(len(self.rows))
        every = {"quarter": self.tr("quarter"), "month": self.tr("month"), "year": self.tr("year")}
        for i, c in enumerate(self.rows):
            # Data isolated in a right-to-left interface: "2026-Q4" stays in one piece.
            own = cell_text(c["name"])
            name = own if c["active"] else self.tr("%1 (paused)").replace("%1", own)
            period = (
                self.tr("%1: issued").replace("%1", cell_text(labels.period(c["period"])))
                if c["run"]
                else self.tr("%1: not issued yet").replace(
                    "%1", cell_text(labels.period(c["period"]))
                )
            )
            cells = (
                name,
                every.get(c["every"], c["every"]),
                str(c["top_n"]),
                cell_text(money(c["value"], c["currency"])),
                ngettext("{n} day", "{n} days", c["valid_days"]).format(n=c["valid_days"]),
                self.tr("required") if c["consent_only"] else self.tr("not required"),
                period,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, c["id"])
                self.table.setItem(i, col, item)
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        if current is not None:
            self.select_campaign(int(current["id"]))
        elif self.rows:
            select_row(self.table, 0)
        self._update_buttons()

    def select_campaign(self, campaign_id: int) -> None:
        for i, c in enumerate(self.rows):
            if c["id"] == campaign_id:
                select_row(self.table, i)

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.edit_button.setEnabled(chosen is not None)
        self.issue_button.setEnabled(chosen is not None and bool(chosen["active"]))
        self.print_button.setEnabled(chosen is not None and chosen["run"] is not None)

    def edit_campaign(self, campaign: dict[str, Any] | None) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = CampaignDialog(self.ctx, campaign, self)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()

    def _saved(self, campaign_id: int) -> None:
        self.refresh()
        self.select_campaign(campaign_id)

    def _issue_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.issue_requested.emit(int(chosen["id"]))

    def _print_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and chosen["run"] is not None:
            self.print_requested.emit(chosen["run"]["batch"])
