"""Issue a campaign's batch for this period: who is in it and why, who was left out, one click.

Opened from the Campaigns tab and from the campaign's reminder follow-up. The
list is :func:`crm.core.campaign_runs.preview`; the click runs
:func:`crm.core.campaign_runs.run` on the gateway, then Print… opens the usual
voucher preview for the new batch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import campaign_runs
from crm.core.errors import ValidationError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, day_text, money
from crm.gui.widgets import PreservingDialog, error_label, named
from crm.i18n import ngettext


def _people_table(name: str, headers: list[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


class IssueBatchDialog(PreservingDialog):
    """The period's batch of one campaign, issued in one click, then printed."""

    print_requested = Signal(str)

    def __init__(self, ctx: AppContext, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.geometry_settings = ctx.settings
        self.ctx = ctx
        self.campaign_id = campaign_id
        self.plan: dict[str, Any] | None = None
        self.issued: dict[str, Any] | None = None
        self.setWindowTitle(self.tr("Issue the Campaign's Batch"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        self.heading = named(QLabel(), "batchHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.why = QLabel(
            self.tr(
                "In the batch, best first: the value won from the referrals each client gave "
                "in the last 12 months, then how many of those were won."
            )
        )
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        columns = [self.tr("Rank"), self.tr("Client"), self.tr("Won value"), self.tr("Won")]
        self.included = _people_table("batchIncluded", columns)
        layout.addWidget(self.included, 2)
        self.left_note = named(QLabel(), "leftOutNote")
        self.left_note.setWordWrap(True)
        self.left_note.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.left_note)
        self.left_out = _people_table("batchLeftOut", columns)
        layout.addWidget(self.left_out, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.force = named(QCheckBox(self.tr("Issue a second batch for this period")), "forceRun")
        self.force.hide()
        self.force.toggled.connect(lambda _on: self._show_refusal())
        layout.addWidget(self.force)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.issue_button = named(QPushButton(self.tr("Issue")), "issueButton")
        self.issue_button.clicked.connect(self.issue)
        self.print_button = named(QPushButton(self.tr("Print…")), "printButton")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self._print)
        buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """What the batch would be now (changes nothing)."""
        plan = self.plan = campaign_runs.preview(self.campaign_id)
        info = plan["campaign"]
        self.heading.setText(
            ngettext(
                "{name}, {period}: {n} voucher of {value}, valid until {day}, as batch '{batch}'",
                "{name}, {period}: {n} vouchers of {value}, valid until {day}, as batch '{batch}'",
                len(plan["included"]),
            ).format(
                name=cell_text(info["name"]),
                period=cell_text(labels.period(plan["period"])),
                n=len(plan["included"]),
                value=cell_text(money(plan["value"], plan["currency"])),
                day=day_text(plan["expires"]),
                batch=cell_text(plan["batch"]),
            )
        )
        self._fill(self.included, plan["included"], plan["currency"])
        self._fill(self.left_out, plan["left_out"], plan["currency"])
        n = len(plan["left_out"])
        self.left_note.setText(
            self.tr(
                "Left out: %1 among the top %2 did not agree to marketing (their rank shows "
                "where they would have been). Record their consent to include them next time."
            )
            .replace("%1", str(n))
            .replace("%2", str(info["top_n"]))
            if n
            else self.tr("Nobody was left out for lack of marketing consent.")
        )
        self.left_out.setVisible(bool(n))
        self.force.setVisible(bool(plan["runs"]))
        self._show_refusal()

    def _fill(self, table: QTableWidget, people: list[dict[str, Any]], currency: str) -> None:
        table.setRowCount(len(people))
        for i, h in enumerate(people):
            cells = (
                str(h["rank"]),
                cell_text(h["name"]),
                cell_text(money(h["won_value"], currency)),
                str(h["converted"]),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, h["id"])
                table.setItem(i, col, item)

    def _show_refusal(self) -> None:
        assert self.plan is not None
        refusal = campaign_runs.refusal_of(self.plan, force=self.force.isChecked())
        self.error.setText(refusal.message if refusal else "")
        self.error.setVisible(refusal is not None)
        self.issue_button.setEnabled(refusal is None and self.issued is None)
        n = len(self.plan["included"])
        self.issue_button.setText(
            ngettext("Issue {n} Voucher", "Issue {n} Vouchers", n).format(n=n)
        )

    def issue(self) -> None:
        force = self.force.isChecked()
        self.issue_button.setEnabled(False)

        def done(result: dict[str, Any]) -> None:
            self.issued = result
            self.heading.setText(
                ngettext(
                    "Issued {n} voucher in batch '{batch}'. Print it now, or later from "
                    "Gift Vouchers.",
                    "Issued {n} vouchers in batch '{batch}'. Print them now, or later from "
                    "Gift Vouchers.",
                    len(result["vouchers"]),
                ).format(n=len(result["vouchers"]), batch=cell_text(result["batch"]))
            )
            self.force.hide()
            self.error.hide()
            self.print_button.setEnabled(True)
            self.print_button.setDefault(True)
            self.ctx.changed("vouchers")
            self.ctx.changed("followups")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.load()
                self.error.setText(exc.message)
                self.error.show()
            else:
                self.ctx.gateway.show_error(str(exc))
                self.issue_button.setEnabled(True)

        self.ctx.gateway.run(
            lambda _p: campaign_runs.run(self.campaign_id, force=force),
            on_done=done,
            on_error=failed,
            label=self.tr("Issuing the vouchers…"),
            cancellable=False,
        )

    def _print(self) -> None:
        if self.issued is not None:
            self.print_requested.emit(self.issued["batch"])
