"""Send by e-mail: who gets what (and who is left out, why), then send or write drafts.

The items come from crm.core.mail_items and are sent by crm.documents.mailing, both
run on the gateway's worker: preparing, then sending with a progress dialog that
can cancel (what was sent stays recorded; sending again goes on where it stopped).
The dialog then shows per recipient what was sent, skipped or failed, with the
server's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.gui import printing
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text
from crm.gui.widgets import PreservingDialog
from crm.i18n import ngettext

MakeItems = Callable[[bool], list[dict[str, Any]]]
COL_NAME, COL_EMAIL, COL_WHAT, COL_STATUS = range(4)


def _prepare(make_items: MakeItems, allow: bool) -> dict[str, Any]:
    """On the worker: the items, and the mail server as the settings have it."""
    from crm.core import mail_server

    srv = mail_server.server()
    return {
        "items": make_items(allow),
        "server": f"{srv.host}:{srv.port}" if srv.host else "",
        "sender": mail_server.sender_address(),
    }


class MailDialog(PreservingDialog):
    """The batch to send, then the report; non-modal, so tests can drive it."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        make_items: MakeItems,
        prepared: dict[str, Any],
        *,
        changed: str = "",
        allow: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.make_items, self.changed = ctx, make_items, changed
        self.geometry_settings = ctx.settings
        self.setWindowTitle(title)
        self.resize(720, 460)
        self.items: list[dict[str, Any]] = []
        self.server = ""
        self.report: dict[str, Any] | None = None
        self.progress: Any = None  # the running batch's Progress: cancel() stops it
        self.summary = QLabel()
        self.summary.setObjectName("mailSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("mailRecipients")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Recipient"), self.tr("E-mail"), self.tr("What"), self.tr("Status")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.include = QCheckBox(self.tr("Also send to those without marketing consent"))
        self.include.setObjectName("mailWithoutConsent")
        self.include.setChecked(allow)
        self.include.hide()
        self.include.toggled.connect(lambda _on: self.load())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.send_button = QPushButton(self.tr("&Send"))
        self.send_button.setObjectName("mailSend")
        self.send_button.clicked.connect(lambda: self.send())
        self.drafts_button = QPushButton(self.tr("Write &Drafts…"))
        self.drafts_button.setObjectName("mailDrafts")
        self.drafts_button.clicked.connect(self.choose_drafts)
        buttons.addButton(self.drafts_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.include)
        layout.addWidget(buttons)
        self.show_items(prepared)

    # -- words ------------------------------------------------------------------------

    def what(self, kind: str) -> str:
        return {
            "letter": self.tr("Thank-you letter"),
            "birthday": self.tr("Birthday greeting"),
            "voucher": self.tr("Gift voucher"),
        }.get(kind, kind)

    def status_text(self, status: str, reason: str = "") -> str:
        skipped = {
            "no_email": self.tr("Skipped: no e-mail address"),
            "no_consent": self.tr("Skipped: no marketing consent"),
            "already_sent": self.tr("Skipped: already sent"),
        }
        if status == "skipped":
            return skipped.get(reason, reason)
        if status == "failed":
            return self.tr("Failed: %1").replace("%1", reason)
        return {
            "to_send": self.tr("To send"),
            "sent": self.tr("Sent"),
            "would_send": self.tr("To send"),
            "not_sent": self.tr("Not sent (cancelled)"),
        }.get(status, status)

    # -- loading ------------------------------------------------------------------------

    def _enable(self, on: bool) -> None:
        self.send_button.setEnabled(on and bool(self.server))
        self.drafts_button.setEnabled(on)

    def load(self) -> None:
        self._enable(False)
        self.summary.setText(self.tr("Preparing the e-mails…"))
        allow = self.include.isChecked()
        make = self.make_items
        self.ctx.gateway.run(
            lambda _p: _prepare(make, allow),
            on_done=self.show_items,
            label=self.tr("Preparing the e-mails…"),
        )

    def show_items(self, prepared: dict[str, Any]) -> None:
        self.items, self.server = prepared["items"], prepared["server"]
        self.report = None
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            status = self.status_text("skipped", item["skip"]) if item["skip"] else None
            self._row(row, item, status or self.status_text("to_send"))
        count = sum(1 for i in self.items if i["skip"] is None)
        if not self.items:
            text = self.tr("Nothing to send.")
        elif not count:
            text = self.tr("Nobody to send to: see why on each line.")
        elif self.server:
            text = ngettext(
                "{n} e-mail to send through {server} from {sender}.",
                "{n} e-mails to send through {server} from {sender}.",
                count,
            ).format(
                n=count, server=cell_text(self.server), sender=cell_text(prepared["sender"] or "?")
            )
        else:
            text = ngettext(
                "{n} e-mail ready. No mail server is set up (Preferences, Mail): "
                "write it as a draft for your mail program.",
                "{n} e-mails ready. No mail server is set up (Preferences, Mail): "
                "write them as drafts for your mail program.",
                count,
            ).format(n=count)
        self.summary.setText(text)
        no_consent = any(i["skip"] == "no_consent" for i in self.items)
        self.include.setVisible(no_consent or self.include.isChecked())
        self._enable(count > 0)

    def _row(self, row: int, item: dict[str, Any], status: str) -> None:
        values = (item["name"], item["email"], self.what(item["kind"]), status)
        for col, text in enumerate(values):
            cell = QTableWidgetItem(str(text))
            cell.setData(Qt.ItemDataRole.UserRole, item["key"])
            self.table.setItem(row, col, cell)

    # -- sending ------------------------------------------------------------------------

    def choose_drafts(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the Drafts"))
        if folder:
            self.send(folder)

    def send(self, drafts: str | None = None) -> None:
        """Send the batch (or write it as drafts into ``drafts``) on the worker."""
        from crm.documents import mailing

        items = list(self.items)
        self._enable(False)
        self.include.setEnabled(False)

        def work(progress: Any) -> dict[str, Any]:
            return mailing.run(items, drafts=drafts, progress=progress.update)

        label = self.tr("Writing the drafts…") if drafts else self.tr("Sending the e-mails…")
        self.progress = self.ctx.gateway.run(
            work, on_done=self.show_report, on_error=self.failed, label=label
        )

    def failed(self, exc: BaseException) -> None:
        self.ctx.gateway.show_exception(exc)
        self._enable(True)
        self.include.setEnabled(True)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        by_key = {r["key"]: r for r in report["results"]}
        for row, item in enumerate(self.items):
            result = by_key.get(item["key"])
            status = (
                self.status_text(result["status"], result["reason"])
                if result
                else self.status_text("not_sent")
            )
            self._row(row, item, status)
        verb = self.tr("Written") if report["drafts"] else self.tr("Sent")
        text = (
            self.tr("%1: %2, failed: %3, skipped: %4.")
            .replace("%1", verb)
            .replace("%2", str(report["sent"]))
            .replace("%3", str(report["failed"]))
            .replace("%4", str(report["skipped"]))
        )
        if report["cancelled"]:
            text += " " + self.tr("Cancelled: send again to go on where it stopped.")
        self.summary.setText(text)
        if self.changed and (report["sent"] or report["cancelled"]):
            self.ctx.changed(self.changed)


def open_mail_dialog(
    ctx: AppContext,
    parent: QWidget,
    title: str,
    make_items: MakeItems,
    *,
    changed: str = "",
    allow: bool = False,
) -> None:
    """Prepare the batch on the worker, then open the dialog (``parent.mail_dialog``).

    When the core refuses one document for want of consent, the user is asked
    whether to send it anyway, for this e-mail only.
    """

    def show(prepared: dict[str, Any]) -> None:
        dialog = MailDialog(
            ctx, title, make_items, prepared, changed=changed, allow=allow, parent=parent
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        parent.mail_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    def refused(exc: BaseException) -> None:
        message = printing.consent_refusal(exc)
        if message is None or allow:
            ctx.gateway.show_exception(exc)
            return
        printing.ask_without_consent(
            parent,
            message,
            ctx.tr("Send this e-mail without their consent"),
            lambda: open_mail_dialog(ctx, parent, title, make_items, changed=changed, allow=True),
        )

    ctx.gateway.run(
        lambda _p: _prepare(make_items, allow),
        on_done=show,
        on_error=refused,
        label=ctx.tr("Preparing the e-mails…"),
    )
