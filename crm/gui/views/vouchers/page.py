"""Vouchers & Letters: pending thank-you letters and voucher batches, previewed and printed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import vouchers
from crm.gui import labels, printing
from crm.gui.context import AppContext
from crm.gui.formatting import collated, data_list, day_text, language_name, money, number
from crm.gui.views.base import View
from crm.gui.views.vouchers.campaigns import CampaignsPanel
from crm.gui.views.vouchers.quality import QualityPanel
from crm.gui.views.vouchers.redeem import RedeemPanel
from crm.gui.views.vouchers.rewards import RewardsPanel
from crm.gui.views.vouchers.templates_tab import TemplatesTab
from crm.gui.widgets import EmptyState


def _table(headers: list[str], stretch: tuple[int, ...] = (0, 1)) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The people's names take the room; dates and codes keep to their content.
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def _item(text: Any) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    # Each cell in its own direction: an Arabic name stays right-to-left in English.
    return item


class VouchersView(View):
    depends_on = ("referrals", "contacts", "vouchers", "settings", "campaigns")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.last_preview = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        # Thank-you letters
        self._build_letters_tab()

        # Vouchers
        self._build_vouchers_tab()
        self.campaigns_panel = CampaignsPanel(ctx)
        self.campaigns_panel.issue_requested.connect(self.issue_campaign_batch)
        self.campaigns_panel.print_requested.connect(self.print_batch)
        self.tabs.addTab(self.campaigns_panel, self.tr("Campaigns"))
        self.redeem_panel = RedeemPanel(ctx)
        self.tabs.addTab(self.redeem_panel, self.tr("Redeem"))
        self.rewards_panel = RewardsPanel(ctx)
        self.tabs.addTab(self.rewards_panel, self.tr("Rewards"))
        self.quality_panel = QualityPanel(ctx)
        self.tabs.addTab(self.quality_panel, self.tr("Quality"))
        self.templates_tab = TemplatesTab(ctx)
        self.tabs.addTab(self.templates_tab, self.tr("Templates"))

    def _build_letters_tab(self) -> None:
        """Thank-you letters waiting to be printed, and the consent note."""
        letters = QWidget()
        lay = QVBoxLayout(letters)
        intro = QLabel(
            self.tr(
                "Thank-you letters waiting to be printed, one for each referral whose reward is "
                "a letter. Each is written in the giver's language from your template."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.letters_table = _table(
            [self.tr("Thank"), self.tr("For referring"), self.tr("Date"), self.tr("Language")]
        )
        self.letters_table.doubleClicked.connect(lambda _i: self.preview_letter())
        lay.addWidget(self.letters_table, 1)
        # The count on its own line: with the four buttons beside it, a language whose
        # words are longer than English would widen the window past a small screen.
        self.letters_count = QLabel()
        lay.addWidget(self.letters_count)
        row = QHBoxLayout()
        row.addStretch(1)
        self.preview_one_button = QPushButton(self.tr("Preview Selected…"))
        self.preview_one_button.clicked.connect(self.preview_letter)
        self.preview_all_button = QPushButton(self.tr("Preview All Pending…"))
        self.preview_all_button.clicked.connect(self.preview_all_letters)
        self.letters_postal_button = QPushButton(self.tr("Labels && Envelopes…"))
        self.letters_postal_button.setObjectName("lettersPostal")
        self.letters_postal_button.clicked.connect(self.postal_for_letters)
        self.mail_letters_button = QPushButton(self.tr("Send by E-mail…"))
        self.mail_letters_button.setObjectName("mailLetters")
        self.mail_letters_button.clicked.connect(self.mail_letters)
        row.addWidget(self.preview_one_button)
        row.addWidget(self.preview_all_button)
        row.addWidget(self.letters_postal_button)
        row.addWidget(self.mail_letters_button)
        lay.addLayout(row)
        # Letters whose giver gave no marketing consent: left out of the batch unless
        # the user includes them for this one document.
        consent_row = QHBoxLayout()
        self.consent_note = QLabel()
        self.consent_note.setObjectName("lettersConsentNote")
        self.consent_note.setWordWrap(True)
        self.consent_note.setTextFormat(Qt.TextFormat.PlainText)
        consent_row.addWidget(self.consent_note, 1)
        self.include_without_consent = QCheckBox(self.tr("Include them in this batch"))
        self.include_without_consent.setObjectName("includeWithoutConsent")
        consent_row.addWidget(self.include_without_consent)
        lay.addLayout(consent_row)
        self.consent_note.hide()
        self.include_without_consent.hide()
        self.tabs.addTab(letters, self.tr("Thank-You Letters"))

    def _build_vouchers_tab(self) -> None:
        """Gift vouchers: pick a batch, issue more, preview and print."""
        vouchers_tab = QWidget()
        lay = QVBoxLayout(vouchers_tab)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Batch:")))
        self.batch_combo = QComboBox()
        self.batch_combo.setMinimumWidth(180)
        self.batch_combo.currentIndexChanged.connect(lambda _i: self._load_vouchers())
        top.addWidget(self.batch_combo)
        top.addWidget(QLabel(self.tr("Per page:")))
        self.per_page = QComboBox()
        for n in (1, 4, 8):
            self.per_page.addItem(str(n), n)
        self.per_page.setCurrentIndex(1)
        top.addWidget(self.per_page)
        top.addStretch(1)
        lay.addLayout(top)
        # The actions on a line of their own, so longer words still fit a small screen.
        top = QHBoxLayout()
        top.addStretch(1)
        self.issue_button = QPushButton(self.tr("Issue Vouchers…"))
        self.issue_button.clicked.connect(self.issue_vouchers)
        top.addWidget(self.issue_button)
        self.preview_vouchers_button = QPushButton(self.tr("Preview Vouchers…"))
        self.preview_vouchers_button.clicked.connect(self.preview_vouchers)
        top.addWidget(self.preview_vouchers_button)
        self.batch_postal_button = QPushButton(self.tr("Labels && Envelopes…"))
        self.batch_postal_button.setObjectName("batchPostal")
        self.batch_postal_button.clicked.connect(self.postal_for_batch)
        top.addWidget(self.batch_postal_button)

        self.mail_vouchers_button = QPushButton(self.tr("Send by E-mail…"))
        self.mail_vouchers_button.setObjectName("mailVouchers")
        self.mail_vouchers_button.clicked.connect(self.mail_vouchers)
        top.addWidget(self.mail_vouchers_button)
        lay.addLayout(top)
        self.vouchers_table = _table(
            [
                self.tr("Code"),
                self.tr("Holder"),
                self.tr("Value"),
                self.tr("Expires"),
                self.tr("Status"),
                self.tr("Printed"),
            ],
            stretch=(1,),
        )
        lay.addWidget(self.vouchers_table, 1)
        self.vouchers_empty = EmptyState(
            self.tr("No vouchers yet"),
            self.tr(
                "Issue gift vouchers to your best clients with Issue Vouchers… or "
                "'crm vouchers issue --top 20 --value 50 --expires 2027-06-30 --batch 2026-Q4'; "
                "they appear here, ready to print."
            ),
        )
        lay.addWidget(self.vouchers_empty)
        self.tabs.addTab(vouchers_tab, self.tr("Gift Vouchers"))

    def title(self) -> str:
        return self.tr("Vouchers & Letters")

    def _show_consent_note(self) -> None:
        from crm.core import letters

        missing = letters.pending_without_consent()
        without = {int(m["referral_id"]) for m in missing}
        for row in range(self.letters_table.rowCount()):
            item = self.letters_table.item(row, 0)
            if item is not None and int(item.data(Qt.ItemDataRole.UserRole)) in without:
                item.setToolTip(self.tr("No marketing consent from this giver"))
                item.setForeground(self.palette().placeholderText())
        names = collated({m["giver_name"] for m in missing})
        if names:
            shown = data_list(names[:5]) + (self.tr(" and others") if len(names) > 5 else "")
            text = (
                self.tr(
                    "1 letter is left out of Preview All Pending: no marketing consent from %2."
                )
                if len(missing) == 1
                else self.tr(
                    "%1 letters are left out of Preview All Pending: no marketing consent from %2."
                ).replace("%1", str(len(missing)))
            )
            self.consent_note.setText(text.replace("%2", shown))
        self.consent_note.setVisible(bool(names))
        self.include_without_consent.setVisible(bool(names))
        if not names:
            self.include_without_consent.setChecked(False)

    def refresh(self) -> None:
        # Imported here: babel is not needed to paint the first page at start-up.
        from crm.core import letters

        # The core's list: the same rules as `crm letters --pending` (erased givers left out).
        rows = letters.pending_list()
        self.letters_table.setRowCount(len(rows))
        for i, letter in enumerate(rows):
            cells = (letter["giver_name"], letter["referred_name"], day_text(letter["referred_on"]))
            for col, text in enumerate((*cells, language_name(letter["language"]))):
                item = _item(text)
                item.setData(Qt.ItemDataRole.UserRole, letter["referral_id"])
                self.letters_table.setItem(i, col, item)
        n = len(rows)
        if n == 0:
            text = self.tr("No letters waiting: one appears when a referral's reward is a letter")
        elif n == 1:
            text = self.tr("1 letter to print")
        else:
            text = self.tr("%1 letters to print").replace("%1", number(n))
        self.letters_count.setText(text)
        self._show_consent_note()
        self.preview_all_button.setEnabled(bool(rows))
        self.preview_one_button.setEnabled(bool(rows))
        self.mail_letters_button.setEnabled(bool(rows))
        current = self.batch_combo.currentData()
        names = vouchers.batches()
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        for name in names:
            self.batch_combo.addItem(name, name)
        if current in names:
            self.batch_combo.setCurrentIndex(names.index(current))
        self.batch_combo.blockSignals(False)
        self._load_vouchers()
        self.campaigns_panel.refresh()
        self.redeem_panel.refresh()
        self.quality_panel.refresh()

    def _load_vouchers(self) -> None:
        batch = self.batch_combo.currentData()
        items = vouchers.list_vouchers(batch) if batch else []
        self.vouchers_empty.setVisible(not items)
        self.vouchers_table.setVisible(bool(items))
        self.preview_vouchers_button.setEnabled(bool(items))
        self.batch_postal_button.setEnabled(bool(items))

        self.mail_vouchers_button.setEnabled(bool(items))
        self.vouchers_table.setRowCount(len(items))
        for i, v in enumerate(items):
            printed = str(v.get("printed_at") or "")[:10]
            values = (
                v["code"],
                v.get("holder") or v.get("holder_name") or "",
                money(v["value"], v["currency"]),
                day_text(v["expires"]),
                labels.voucher_status(v["status"]),
                day_text(printed),
            )
            for col, text in enumerate(values):
                self.vouchers_table.setItem(i, col, _item(text))

    # -- previews ---------------------------------------------------------------------

    def selected_referral(self) -> int | None:
        row = self.letters_table.currentRow()
        item = self.letters_table.item(row, 0) if row >= 0 else None
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def preview_letter(self) -> None:
        rid = self.selected_referral()
        if rid is None:
            self.ctx.gateway.show_error(self.tr("Select a letter first"))
            return
        printing.open_preview(
            self.ctx,
            self,
            self.tr("Thank-You Letter"),
            lambda _p: printing.preview_letters(rid),
            lambda path, _p: printing.save_letters(path, rid),
            suggested_name=f"thank-you-{rid}.pdf",
            changed="referrals",
            without_consent=(
                lambda _p: printing.preview_letters(rid, allow_without_consent=True),
                lambda path, _p: printing.save_letters(path, rid, allow_without_consent=True),
            ),
        )

    def preview_all_letters(self) -> None:
        # Givers without marketing consent are left out unless included for this batch.
        box = self.include_without_consent
        allow = not box.isHidden() and box.isChecked()
        printing.open_preview(
            self.ctx,
            self,
            self.tr("Pending Thank-You Letters"),
            lambda _p: printing.preview_letters(None, allow_without_consent=allow),
            lambda path, p: printing.save_letters(
                path, None, printing.cancellable(p), allow_without_consent=allow
            ),
            suggested_name="thank-you-letters.pdf",
            changed="referrals",
        )

    def mail_letters(self) -> None:
        """The pending letters by e-mail, each giver in their language, the PDF attached."""
        from crm.core import mail_items
        from crm.gui.mail_dialog import open_mail_dialog

        box = self.include_without_consent
        open_mail_dialog(
            self.ctx,
            self,
            self.tr("Send Thank-You Letters by E-mail"),
            lambda allow: mail_items.letter_items(allow_without_consent=allow),
            changed="referrals",
            allow=not box.isHidden() and box.isChecked(),
        )

    def mail_vouchers(self) -> None:
        from crm.core import mail_items
        from crm.gui.mail_dialog import open_mail_dialog

        batch = self.batch_combo.currentData()
        if not batch:
            return
        open_mail_dialog(
            self.ctx,
            self,
            self.tr("Send Vouchers %1 by E-mail").replace("%1", batch),
            lambda allow: mail_items.voucher_items(batch, allow_without_consent=allow),
            changed="vouchers",
        )

    def issue_vouchers(self) -> None:
        from crm.gui.views.vouchers.issue_dialog import IssueVouchersDialog

        dialog = IssueVouchersDialog(self.ctx, self)
        self.issue_dialog = dialog

        def issued() -> None:
            if dialog.issued:
                batch = dialog.issued[0]["batch"]
                self.refresh()
                self.batch_combo.setCurrentIndex(max(self.batch_combo.findData(batch), 0))

        dialog.accepted.connect(issued)
        dialog.open()

    def preview_vouchers(self) -> None:
        batch = self.batch_combo.currentData()
        per_page = int(self.per_page.currentData())
        if not batch:
            return
        printing.open_preview(
            self.ctx,
            self,
            self.tr("Vouchers %1").replace("%1", batch),
            lambda p: printing.preview_vouchers(batch, per_page, printing.cancellable(p)),
            lambda path, p: printing.save_vouchers(path, batch, per_page, printing.cancellable(p)),
            suggested_name=f"vouchers-{batch}.pdf",
            changed="vouchers",
            label=self.tr("Drawing the vouchers…"),
            without_consent=(
                lambda p: printing.preview_vouchers(
                    batch, per_page, printing.cancellable(p), allow_without_consent=True
                ),
                lambda path, p: printing.save_vouchers(
                    path, batch, per_page, printing.cancellable(p), allow_without_consent=True
                ),
            ),
        )

    # -- campaigns ----------------------------------------------------------------------

    def show_campaign(self, campaign_id: int) -> None:
        """The Campaigns tab, with the campaign's batch ready to issue (from its reminder)."""
        self.tabs.setCurrentWidget(self.campaigns_panel)
        self.campaigns_panel.select_campaign(campaign_id)
        self.issue_campaign_batch(campaign_id)

    def issue_campaign_batch(self, campaign_id: int) -> None:
        from crm.gui.views.vouchers.campaign_issue import IssueBatchDialog

        dialog = IssueBatchDialog(self.ctx, campaign_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.print_requested.connect(self.print_batch)
        self.campaign_dialog = dialog
        dialog.open()

    def print_batch(self, batch: str) -> None:
        """The usual preview of a batch's vouchers, ready to print or save."""
        self.refresh()
        self.batch_combo.setCurrentIndex(max(self.batch_combo.findData(batch), 0))
        self.preview_vouchers()

    def postal_for_letters(self) -> None:
        """Labels or envelopes for the givers of the pending letters."""
        from crm.gui.postal_dialog import open_postal

        what = self.tr("The givers of the pending thank-you letters")
        open_postal(self.ctx, self, {"pending_letters": True}, what)

    def postal_for_batch(self) -> None:
        """Labels or envelopes for the holders of the batch shown."""
        batch = self.batch_combo.currentData()
        if not batch:
            return
        from crm.gui.postal_dialog import open_postal

        what = self.tr("The holders of the vouchers of batch %1").replace("%1", batch)
        open_postal(self.ctx, self, {"batch": batch}, what)
