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
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import templates, vouchers
from crm.core.errors import ValidationError
from crm.gui import labels, printing
from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.views.vouchers.quality import QualityPanel
from crm.gui.views.vouchers.redeem import RedeemPanel
from crm.gui.views.vouchers.rewards import RewardsPanel
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
    depends_on = ("referrals", "contacts", "vouchers", "settings")

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
        self.redeem_panel = RedeemPanel(ctx)
        self.tabs.addTab(self.redeem_panel, self.tr("Redeem"))
        self.rewards_panel = RewardsPanel(ctx)
        self.tabs.addTab(self.rewards_panel, self.tr("Rewards"))
        self.quality_panel = QualityPanel(ctx)
        self.tabs.addTab(self.quality_panel, self.tr("Quality"))
        self.tabs.addTab(self._templates_tab(), self.tr("Templates"))

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
        row = QHBoxLayout()
        self.letters_count = QLabel()
        row.addWidget(self.letters_count, 1)
        self.preview_one_button = QPushButton(self.tr("Preview Selected…"))
        self.preview_one_button.clicked.connect(self.preview_letter)
        self.preview_all_button = QPushButton(self.tr("Preview All Pending…"))
        self.preview_all_button.clicked.connect(self.preview_all_letters)
        self.mail_letters_button = QPushButton(self.tr("Send by E-mail…"))
        self.mail_letters_button.setObjectName("mailLetters")
        self.mail_letters_button.clicked.connect(self.mail_letters)
        row.addWidget(self.preview_one_button)
        row.addWidget(self.preview_all_button)
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
        self.issue_button = QPushButton(self.tr("Issue Vouchers…"))
        self.issue_button.clicked.connect(self.issue_vouchers)
        top.addWidget(self.issue_button)
        self.preview_vouchers_button = QPushButton(self.tr("Preview Vouchers…"))
        self.preview_vouchers_button.clicked.connect(self.preview_vouchers)
        top.addWidget(self.preview_vouchers_button)
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

    # -- templates ------------------------------------------------------------------

    def _templates_tab(self) -> QWidget:
        tab = QWidget()
        lay = QVBoxLayout(tab)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Template:")))
        self.template_kind = QComboBox()
        self.template_kind.addItem(self.tr("Thank-you letter"), "thank_you_letter")
        self.template_kind.addItem(self.tr("Gift voucher"), "voucher")
        self.template_kind.addItem(self.tr("Birthday greeting"), "birthday")
        self.template_kind.addItem(self.tr("Voucher e-mail"), "voucher_email")
        top.addWidget(self.template_kind)
        top.addWidget(QLabel(self.tr("Language:")))
        self.template_language = QComboBox()
        for code, name in (
            ("en", "English"),
            ("el", "Ελληνικά"),
            ("bg", "Български"),
            ("it", "Italiano"),
            ("ar", "العربية"),
        ):
            self.template_language.addItem(name, code)
        top.addWidget(self.template_language)
        top.addStretch(1)
        lay.addLayout(top)
        self.template_subject = QLineEdit()
        self.template_subject.setPlaceholderText(self.tr("Subject (the voucher's heading)"))
        lay.addWidget(self.template_subject)
        self.template_body = QPlainTextEdit()
        lay.addWidget(self.template_body, 1)
        self.template_fields = QLabel()
        self.template_fields.setWordWrap(True)
        self.template_fields.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.template_fields)
        self.template_error = QLabel()
        self.template_error.setObjectName("templateError")
        self.template_error.setStyleSheet("color: #b00020;")
        self.template_error.setWordWrap(True)
        self.template_error.setTextFormat(Qt.TextFormat.PlainText)
        self.template_error.hide()
        lay.addWidget(self.template_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.template_reset = QPushButton(self.tr("Restore Default"))
        self.template_reset.clicked.connect(self.reset_template)
        self.template_save = QPushButton(self.tr("Save Template"))
        self.template_save.clicked.connect(self.save_template)
        buttons.addWidget(self.template_reset)
        buttons.addWidget(self.template_save)
        lay.addLayout(buttons)
        self.template_kind.currentIndexChanged.connect(lambda _i: self.load_template())
        self.template_language.currentIndexChanged.connect(lambda _i: self.load_template())
        self.load_template()
        return tab

    def load_template(self) -> None:
        kind = self.template_kind.currentData()
        language = self.template_language.currentData()
        text = templates.get_template(kind, language)
        self.template_subject.setText(text.subject)
        self.template_body.setPlainText(text.body)
        rtl = language == "ar"
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        self.template_subject.setLayoutDirection(direction)
        self.template_body.setLayoutDirection(direction)
        fields = ", ".join("{" + f + "}" for f in templates.valid_fields(kind))
        self.template_fields.setText(self.tr("Merge fields: %1").replace("%1", fields))
        self.template_error.hide()

    def save_template(self) -> None:
        try:
            templates.save_template(
                self.template_kind.currentData(),
                self.template_language.currentData(),
                self.template_subject.text(),
                self.template_body.toPlainText(),
            )
        except ValidationError as exc:
            self.template_error.setText(exc.message)
            self.template_error.show()
            return
        self.template_error.hide()
        self.ctx.changed("settings")

    def reset_template(self) -> None:
        templates.reset_template(
            self.template_kind.currentData(), self.template_language.currentData()
        )
        self.load_template()
        self.ctx.changed("settings")

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
        names = sorted({m["giver_name"] for m in missing})
        if names:
            shown = ", ".join(names[:5]) + (self.tr(" and others") if len(names) > 5 else "")
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
            cells = (letter["giver_name"], letter["referred_name"], letter["referred_on"])
            for col, text in enumerate((*cells, letter["language"])):
                item = _item(text)
                item.setData(Qt.ItemDataRole.UserRole, letter["referral_id"])
                self.letters_table.setItem(i, col, item)
        n = len(rows)
        if n == 0:
            text = self.tr("No letters waiting: one appears when a referral's reward is a letter")
        elif n == 1:
            text = self.tr("1 letter to print")
        else:
            text = self.tr("%1 letters to print").replace("%1", f"{n:,}")
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
        self.redeem_panel.refresh()
        self.quality_panel.refresh()

    def _load_vouchers(self) -> None:
        batch = self.batch_combo.currentData()
        items = vouchers.list_vouchers(batch) if batch else []
        self.vouchers_empty.setVisible(not items)
        self.vouchers_table.setVisible(bool(items))
        self.preview_vouchers_button.setEnabled(bool(items))
        self.mail_vouchers_button.setEnabled(bool(items))
        self.vouchers_table.setRowCount(len(items))
        for i, v in enumerate(items):
            printed = str(v.get("printed_at") or "")[:10]
            values = (
                v["code"],
                v.get("holder") or v.get("holder_name") or "",
                f"{v['value']:,.2f} {v['currency']}",
                v["expires"],
                labels.voucher_status(v["status"]),
                printed,
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
