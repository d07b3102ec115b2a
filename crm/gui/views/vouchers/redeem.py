"""Redeeming a gift voucher: the code (typed or scanned), the friend who brought it, done.

A barcode scanner types the code and presses Enter: with the friend already
chosen that redeems at once; otherwise the panel shows whose voucher it is and
moves on to the friend. Every refusal (a typo, an unknown code, a voucher that
is expired, redeemed or voided) is shown in red under the form, and nothing
changes. The rules live in :mod:`crm.core.redemption`; this only words them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import codes, redemption
from crm.core.errors import CrmError, ValidationError
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, day_text, isolate, moment_text, money
from crm.gui.person_picker import PersonPicker
from crm.gui.widgets import ERROR_COLOUR, INVALID_STYLE, mark_invalid

SUCCESS_COLOUR = "#1b6e2d"
RECENT_ROWS = 8


def _plain_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    # Names and codes come from the database and the keyboard: never markup.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class RedeemPanel(QWidget):
    """Redeem a voucher for a friend (an existing contact or a new one), or void one."""

    # The result of the last redemption (plain values), for whoever shows the panel.
    redeemed = Signal(dict)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_result: dict[str, Any] | None = None
        self.setStyleSheet(INVALID_STYLE)

        heading = QLabel(self.tr("Redeem a Voucher"))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        intro = QLabel(
            self.tr(
                "Type the code printed on the voucher, or scan its QR code, and say who "
                "brought it. The friend is recorded as referred by the voucher's holder, "
                "and the holder's reward is added."
            )
        )
        intro.setWordWrap(True)

        self._build_code_field()

        form = self._build_form()

        message_row = self._build_message_row()

        buttons = self._build_buttons()

        self._build_recent()

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addLayout(message_row)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent_empty)
        layout.addWidget(self.recent)
        layout.addStretch(1)

        self._fields: dict[str, QWidget] = {
            "code": self.code,
            "friend": self.friend,
            "new_friend": self.given_name,
            "given_name": self.given_name,
            "family_name": self.family_name,
        }
        self.refresh()

    def _build_code_field(self) -> None:
        """The code field: monospaced, left to right, a scanner's Enter goes on."""
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(codes.EXAMPLE)
        self.code.setClearButtonEnabled(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), self.font().pointSizeF()) * 1.15)
        mono.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.code.setFont(mono)
        # Codes read left to right in every language.
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code.setMinimumWidth(self.code.fontMetrics().horizontalAdvance(codes.EXAMPLE) + 60)
        self.code.textChanged.connect(self._code_changed)
        self.code.returnPressed.connect(self._code_entered)
        self.voucher_info = _plain_label("voucherInfo")
        self.voucher_info.hide()

    def _build_form(self) -> QFormLayout:
        """The code, then who brought it: a contact picked, or a new friend's names."""
        self.existing_radio = QRadioButton(self.tr("Someone in my contacts"))
        self.existing_radio.setObjectName("existingFriend")
        self.new_radio = QRadioButton(self.tr("A new friend"))
        self.new_radio.setObjectName("newFriend")
        self.existing_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)
        self.new_radio.toggled.connect(self._mode_changed)
        radios = QHBoxLayout()
        radios.setContentsMargins(0, 0, 0, 0)
        radios.addWidget(self.existing_radio)
        radios.addWidget(self.new_radio)
        radios.addStretch(1)

        self.friend = PersonPicker(self.tr("Type the friend's name, then pick from the list"))
        self.friend.setObjectName("friend")
        self.friend.returnPressed.connect(self._friend_entered)
        self.given_name = QLineEdit()
        self.given_name.setObjectName("givenName")
        self.given_name.setPlaceholderText(self.tr("Given name"))
        self.given_name.returnPressed.connect(self.redeem)
        self.family_name = QLineEdit()
        self.family_name.setObjectName("familyName")
        self.family_name.setPlaceholderText(self.tr("Family name"))
        self.family_name.returnPressed.connect(self.redeem)
        self.new_box = QWidget()
        names = QHBoxLayout(self.new_box)
        names.setContentsMargins(0, 0, 0, 0)
        names.addWidget(self.given_name, 1)
        names.addWidget(self.family_name, 1)
        self.new_box.hide()

        who = QWidget()
        who_layout = QVBoxLayout(who)
        who_layout.setContentsMargins(0, 0, 0, 0)
        who_layout.addLayout(radios)
        who_layout.addWidget(self.friend)
        who_layout.addWidget(self.new_box)

        code_box = QWidget()
        code_layout = QVBoxLayout(code_box)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_layout.setSpacing(2)
        code_layout.addWidget(self.code)
        code_layout.addWidget(self.voucher_info)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        code_label = QLabel(self.tr("&Code:"))
        code_label.setBuddy(self.code)
        who_label = QLabel(self.tr("&Brought by:"))
        who_label.setBuddy(self.friend)
        form.addRow(code_label, code_box)
        form.addRow(who_label, who)
        return form

    def _build_message_row(self) -> QHBoxLayout:
        """The outcome of the last action, with a way to open the friend."""
        self.message = _plain_label("message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.open_friend_button = QPushButton(self.tr("Open Contact"))
        self.open_friend_button.setObjectName("openFriend")
        self.open_friend_button.clicked.connect(self._open_friend)
        self.open_friend_button.hide()
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.open_friend_button, 0, Qt.AlignmentFlag.AlignTop)
        return message_row

    def _build_buttons(self) -> QHBoxLayout:
        """Void and Redeem, on the far side."""
        self.void_button = QPushButton(self.tr("&Void…"))
        self.void_button.setObjectName("void")
        self.void_button.setToolTip(self.tr("Void this code's voucher: it can never be used"))
        self.void_button.clicked.connect(self.void_clicked)
        self.redeem_button = QPushButton(self.tr("&Redeem"))
        self.redeem_button.setObjectName("redeem")
        self.redeem_button.setDefault(True)
        self.redeem_button.clicked.connect(self.redeem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.void_button)
        buttons.addWidget(self.redeem_button)
        return buttons

    def _build_recent(self) -> None:
        """The table of recent redemptions (double-click opens the friend)."""
        self.recent_title = QLabel(self.tr("Recently redeemed"))
        bold = self.recent_title.font()
        bold.setBold(True)
        self.recent_title.setFont(bold)
        self.recent = QTableWidget(0, 4)
        self.recent.setObjectName("recent")
        self.recent.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Friend"), self.tr("Referred by"), self.tr("Redeemed")]
        )
        self.recent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.verticalHeader().hide()
        self.recent.setAlternatingRowColors(True)
        self.recent.setWordWrap(False)
        header = self.recent.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.recent.doubleClicked.connect(lambda index: self._open_recent(index.row()))
        self.recent_empty = QLabel(self.tr("No voucher has been redeemed yet."))
        self.recent_empty.setEnabled(False)

    # -- showing -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the recent redemptions (the form keeps what was typed)."""
        items = redemption.recent_redemptions(RECENT_ROWS)
        self.recent.setRowCount(len(items))
        for row, item in enumerate(items):
            when = moment_text(item["redeemed_at"][:16]) if item["redeemed_at"] else ""
            cells = [item["code"], item["friend"], item["holder"], when]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(cell_text(text))
                cell.setData(Qt.ItemDataRole.UserRole, item["friend_id"])
                self.recent.setItem(row, column, cell)
        self.recent.setVisible(bool(items))
        self.recent_empty.setVisible(not items)
        self._fit_recent()
        if self.code.text():
            self._code_changed(self.code.text())

    def _fit_recent(self) -> None:
        """As tall as its rows: the few recent redemptions, no empty white box below."""
        table = self.recent
        rows = max(table.rowCount(), 1)
        row_height = (
            table.rowHeight(0) if table.rowCount() else table.verticalHeader().defaultSectionSize()
        )
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height()
            + rows * row_height
            + 2 * table.frameWidth()
        )

    def show_error(self, message: str, field: str | None = None) -> None:
        """A refusal, in red under the form; the field it is about is outlined."""
        self._clear_marks()
        self.open_friend_button.hide()
        if self.voucher_info.text() == message:
            self.voucher_info.hide()
        self._show_message(message, ERROR_COLOUR)
        widget = self._fields.get(field or "")
        if field == "friend" and self.new_radio.isChecked():
            widget = self.given_name
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()

    def _show_message(self, text: str, colour: str) -> None:
        self.message.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _clear_marks(self) -> None:
        for widget in self._fields.values():
            mark_invalid(widget, False)

    def _mode_changed(self, new_friend: bool) -> None:
        self.friend.setVisible(not new_friend)
        self.new_box.setVisible(new_friend)
        self._clear_marks()
        (self.given_name if new_friend else self.friend).setFocus()

    def set_new_friend(self, new_friend: bool) -> None:
        (self.new_radio if new_friend else self.existing_radio).setChecked(True)

    def _code_changed(self, text: str) -> None:
        """Once the code is complete and checks out, say whose voucher it is."""
        self.voucher_info.hide()
        try:
            codes.validate(text)
        except ValidationError:
            return  # still being typed: the refusal waits for Enter or Redeem
        try:
            info = redemption.redeemable(text)
        except ValidationError as exc:
            self.voucher_info.setText(exc.message)
            self.voucher_info.setStyleSheet(f"color: {ERROR_COLOUR};")
        else:
            self.voucher_info.setText(
                self.tr("%1 voucher from %2, valid until %3")
                .replace("%1", money(info["value"], info["currency"]))
                .replace("%2", isolate(info["holder"]))
                .replace("%3", day_text(info["expires"]))
            )
            self.voucher_info.setStyleSheet("")
        self.voucher_info.show()

    # -- redeeming -----------------------------------------------------------------------

    def _friend_chosen(self) -> bool:
        if self.new_radio.isChecked():
            return bool(self.given_name.text().strip() or self.family_name.text().strip())
        return self.friend.contact_id is not None

    def _code_entered(self) -> None:
        """Enter (or a scanner's) in the code: redeem when the friend is known, else go on."""
        if self._friend_chosen():
            self.redeem()
            return
        try:
            redemption.redeemable(self.code.text())
        except ValidationError as exc:
            self.show_error(exc.message, exc.field or "code")
            return
        self._clear_marks()
        self.message.hide()
        (self.given_name if self.new_radio.isChecked() else self.friend).setFocus()

    def _friend_entered(self) -> None:
        if self.friend.contact_id is None and self.friend.candidates():
            self.friend.choose(0)  # Enter takes the best match, as in the list
        self.redeem()

    def redeem(self) -> None:
        """Redeem the code for the friend; a refusal is shown and nothing changes."""
        code = self.code.text()
        friend_id: int | None = None
        new_friend: tuple[str, str] | None = None
        if self.new_radio.isChecked():
            new_friend = (self.given_name.text(), self.family_name.text())
        else:
            friend_id = self.friend.contact_id
            if friend_id is None:
                try:  # the code's own problem comes first
                    redemption.redeemable(code)
                except ValidationError as exc:
                    self.show_error(exc.message, "code")
                    return
                self.show_error(
                    self.tr(
                        "Choose who brought the voucher: type their name and pick them from "
                        "the list, or choose “A new friend”"
                    ),
                    "friend",
                )
                return

        def work(_progress: Any) -> dict[str, Any]:
            return redemption.redeem(code, friend_id=friend_id, new_friend=new_friend)

        self.ctx.gateway.run(work, on_done=self._redeemed, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CrmError):
            self.show_error(exc.message, getattr(exc, "field", None))
        else:
            self.ctx.gateway.show_error(self.tr("Something went wrong: %1").replace("%1", str(exc)))

    def _redeemed(self, result: dict[str, Any]) -> None:
        self.last_result = result
        self._clear_marks()
        self.code.clear()
        self.friend.clear_contact()
        self.given_name.clear()
        self.family_name.clear()
        text = (
            self.tr("Redeemed: %1 now referred by %2 (voucher %3)")
            .replace("%1", result["friend"])
            .replace("%2", result["holder"])
            # Non-breaking hyphens keep the code on one line (and still paste as a code).
            .replace("%3", result["code"].replace("-", "\u2011"))
        )
        text += (". " + self._rewards_text(result)) if result["rewards"] else "."
        self._show_message(text, SUCCESS_COLOUR)
        self.open_friend_button.show()
        self.code.setFocus()
        self.redeemed.emit(result)
        self.ctx.changed("vouchers")
        self.ctx.changed("referrals")
        if result["friend_created"]:
            self.ctx.changed("contacts")
        if result["reward_ids"] or result["face_value_reward_id"]:
            self.ctx.changed("rewards")
        self.ctx.changed("followups")
        self.refresh()

    def _rewards_text(self, result: dict[str, Any]) -> str:
        """Who the policy rewarded for this redemption: the holder, the friend, or both."""
        earned = {r["contact_id"] for r in result["rewards"]}
        names = [
            result[name]
            for who, name in (("holder_id", "holder"), ("friend_id", "friend"))
            if result[who] in earned
        ]
        if len(names) == 2:
            return (
                self.tr("Rewards for %1 and %2 are pending.")
                .replace("%1", names[0])
                .replace("%2", names[1])
            )
        return self.tr("A reward for %1 is pending.").replace("%1", names[0]) if names else ""

    def _open_friend(self) -> None:
        if self.last_result is not None:
            self.ctx.navigate.emit("contact", int(self.last_result["friend_id"]))

    def _open_recent(self, row: int) -> None:
        item = self.recent.item(row, 0)
        friend = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if friend:
            self.ctx.navigate.emit("contact", int(friend))

    # -- voiding ---------------------------------------------------------------------------

    def ask_void_reason(self, info: dict[str, Any]) -> str | None:
        """Ask to confirm voiding, with an optional reason (None: cancelled)."""
        text, ok = QInputDialog.getText(
            self,
            self.tr("Void Voucher"),
            self.tr(
                "Void voucher %1 of %2 (%3)? It can never be redeemed after this.\n\n"
                "Reason (optional, kept in %2's history):"
            )
            .replace("%1", isolate(info["code"]))
            .replace("%2", isolate(info["holder"]))
            .replace("%3", isolate(money(info["value"], info["currency"]))),
        )
        return text if ok else None

    def void_clicked(self) -> None:
        """Void the voucher whose code is typed, after asking."""
        code = self.code.text()
        try:
            info = redemption.find(code)
            if info["status"] in ("redeemed", "void"):
                redemption.void(code)  # refused with the reason; nothing changes
        except CrmError as exc:
            self.show_error(exc.message, "code")
            return
        reason = self.ask_void_reason(info)
        if reason is None:
            return
        try:
            out = redemption.void(code, reason)
        except CrmError as exc:
            self.show_error(exc.message, "code")
            return
        self._clear_marks()
        self.open_friend_button.hide()
        self.code.clear()
        self._show_message(
            self.tr("Voucher %1 of %2 is void.")
            .replace("%1", out["code"])
            .replace("%2", out["holder"]),
            SUCCESS_COLOUR,
        )
        self.ctx.changed("vouchers")
