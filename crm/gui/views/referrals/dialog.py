"""Recording a referral in one dialog, closing one as won, and the pieces they share.

The shared pieces (a type-ahead contact picker, the words for statuses and
programs, money and status colours) are used by the referrals page and the
chain view too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import contacts, models, referrals, settings
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError
from crm.gui import labels
from crm.gui.formatting import qtoday
from crm.gui.widgets import PreservingDialog

# -- words and colours ------------------------------------------------------------

# Open steps in deepening blues, won green, lost grey: the same in table, tree and graph.
STATUS_COLOURS = {
    "new": "#e3eefc",
    "contacted": "#c6dcf8",
    "meeting": "#a3c6f2",
    "proposal": "#7eaeea",
    "won": "#8fdca3",
    "lost": "#d4d6da",
}


def status_colour(status: str | None) -> QColor:
    return QColor(STATUS_COLOURS.get(status or "", "#ffffff"))


def status_text(code: str) -> str:
    return labels.referral_status(code)


def program_text(code: str) -> str:
    return labels.program(code)


def temperature_text(value: int) -> str:
    words = {
        1: QCoreApplication.translate("Referrals", "cold"),
        2: QCoreApplication.translate("Referrals", "cool"),
        3: QCoreApplication.translate("Referrals", "warm"),
        4: QCoreApplication.translate("Referrals", "hot"),
        5: QCoreApplication.translate("Referrals", "very hot"),
    }
    return words.get(value, str(value))


def _locale() -> QLocale:
    # The C locale leaves out the thousands separator unless asked.
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def number(value: int) -> str:
    """A count with the locale's thousands separator."""
    return _locale().toString(int(value))


def money(value: float | Decimal | None, currency: str = "") -> str:
    """An amount in the user's locale, cents only when there are any."""
    if value is None:
        return ""
    amount = float(value)
    digits = 0 if amount == int(amount) else 2
    text = _locale().toString(amount, "f", digits)
    return f"{text} {currency}".strip()


def money_short(value: float | Decimal, currency: str = "") -> str:
    """A rounded amount for tight places: 1.8M EUR, 156K GBP, 950 USD."""
    amount = float(value)
    locale = _locale()
    if abs(amount) >= 1_000_000:
        text = locale.toString(amount / 1_000_000, "f", 1) + "M"
    elif abs(amount) >= 10_000:
        text = locale.toString(amount / 1_000, "f", 0) + "K"
    else:
        return money(amount, currency)
    return f"{text} {currency}".strip()


def money_totals(values: dict[str, Decimal], short: bool = False, most: int = 0) -> str:
    """Totals per currency, largest first: "12,300 EUR + 800 USD" (``most`` of them, then "…")."""
    parts = [(c, v) for c, v in sorted(values.items(), key=lambda kv: -kv[1]) if v]
    fmt = money_short if short else money
    text = " + ".join(fmt(v, c) for c, v in parts[: most or None])
    return text + " + …" if most and len(parts) > most else text


DATE_FORMAT = "d MMM yyyy"  # unambiguous in every language: 5 Mar 2026


def day_text(day: dt.date) -> str:
    text = QLocale().toString(QDate(day.year, day.month, day.day), DATE_FORMAT)
    # Isolated left to right, so a right-to-left layout keeps "5 Mar 2026" in one piece.
    return f"\u2066{text}\u2069"


def event_label(title: str, starts_at: dt.datetime) -> str:
    return f"{title} — {day_text(starts_at.date())}"


# -- type-ahead contact picker ------------------------------------------------------


class ContactPicker(QLineEdit):
    """Type part of a name, pick the contact from the list that drops down.

    ``contact_id`` is the picked contact (``None`` until one is picked; typing
    again clears it). Candidates come from the core's folded search.
    """

    picked = Signal(int)  # the contact id, or 0 when the choice was cleared
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    NAME_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, placeholder: str, parent: QWidget | None = None, limit: int = 12) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.limit = limit
        self.contact_id: int | None = None
        self._candidates = QStandardItemModel(self)
        self.completer_ = QCompleter(self._candidates, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(limit)
        # Driven by hand (setWidget, not setCompleter): the line edit keeps what
        # was typed while browsing, and a pick sets the contact's full name.
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.flush)
        self.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        if self.contact_id is not None:
            self.contact_id = None
            self.picked.emit(0)
        self._timer.start()

    def flush(self) -> None:
        """Search for what is typed now and drop the candidates down."""
        self._timer.stop()
        text = self.text().strip()
        self._candidates.clear()
        if not text:
            self.completer_.popup().hide()
            return
        col = {name: i for i, name in enumerate(contacts.ROW_COLUMNS)}
        for row in contacts.list_rows(text, limit=self.limit):
            cid, given, family = row[col["id"]], row[col["given_name"]], row[col["family_name"]]
            org, city = row[col["organization"]], row[col["city"]]
            name = " ".join(p for p in (given, family) if p)
            extra = ", ".join(p for p in (org, city) if p)
            item = QStandardItem(f"{name} — {extra}" if extra else name)
            item.setData(cid, self.ID_ROLE)
            item.setData(name, self.NAME_ROLE)
            item.setEditable(False)
            self._candidates.appendRow(item)
        if self._candidates.rowCount():
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def candidates(self) -> list[tuple[int, str]]:
        """The contacts offered for what was typed: (id, name)."""
        model = self._candidates
        return [
            (model.item(i).data(self.ID_ROLE), model.item(i).data(self.NAME_ROLE))
            for i in range(model.rowCount())
        ]

    def choose(self, row: int = 0) -> None:
        """Pick the candidate on ``row`` (what Enter on the list does)."""
        self._activated(self._candidates.index(row, 0))

    def _activated(self, index: QModelIndex) -> None:
        item = self._candidates.itemFromIndex(index)
        if item is None:
            # The completer hands over an index of its own proxy model.
            item = self._candidates.item(index.row())
        if item is None:
            return
        self.set_contact(item.data(self.ID_ROLE), item.data(self.NAME_ROLE))
        self.completer_.popup().hide()

    def set_contact(self, contact_id: int | None, name: str = "") -> None:
        self._timer.stop()
        self.contact_id = contact_id
        self.setText(name if contact_id is not None else "")
        self.setCursorPosition(0)
        self.picked.emit(contact_id or 0)

    def clear_contact(self) -> None:
        self.set_contact(None)


def contact_name(contact_id: int) -> str:
    return contacts.get_contact(contact_id).display_name


def _mark_invalid(widget: QWidget | None, invalid: bool) -> None:
    if widget is None:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e; font-weight: 600;")
    label.hide()
    return label


INVALID_STYLE = '*[invalid="true"] { border: 1px solid #b3261e; border-radius: 3px; }'


# -- record a referral ----------------------------------------------------------------


class ReferralDialog(PreservingDialog):
    """Giver, the referred person (picked, or created on the spot), event, program,
    temperature, date, optional receiver and notes; refusals shown inline."""

    saved = Signal(int, int)  # referral id, id of the contact created on the spot (or 0)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        giver_id: int | None = None,
        referred_id: int | None = None,
        event_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record Referral"))
        self.setStyleSheet(INVALID_STYLE)
        self.referral_id: int | None = None
        self.created_contact_id: int | None = None

        self.giver = ContactPicker(self.tr("Type a name, then pick from the list"))
        self.giver.setObjectName("giver")
        self.referred = ContactPicker(self.tr("Type a name, then pick from the list"))
        self.referred.setObjectName("referred")
        self.existing_radio = QRadioButton(self.tr("Someone in my contacts"))
        self.new_radio = QRadioButton(self.tr("A new person"))
        self.existing_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)
        self.new_radio.toggled.connect(self._mode_changed)

        self.given_name = QLineEdit()
        self.given_name.setObjectName("givenName")
        self.family_name = QLineEdit()
        self.family_name.setObjectName("familyName")
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.email.setPlaceholderText(self.tr("name@example.com"))
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("+30 21 0123 4567"))
        self.new_box = QGroupBox(self.tr("New person"))
        new_form = QFormLayout(self.new_box)
        new_form.addRow(self.tr("&Given name:"), self.given_name)
        new_form.addRow(self.tr("&Family name:"), self.family_name)
        new_form.addRow(self.tr("&Email:"), self.email)
        new_form.addRow(self.tr("P&hone:"), self.phone)
        self.new_box.hide()

        who = QWidget()
        who_layout = QVBoxLayout(who)
        who_layout.setContentsMargins(0, 0, 0, 0)
        radios = QHBoxLayout()
        radios.addWidget(self.existing_radio)
        radios.addWidget(self.new_radio)
        radios.addStretch(1)
        who_layout.addLayout(radios)
        who_layout.addWidget(self.referred)
        who_layout.addWidget(self.new_box)

        self.event_combo = QComboBox()
        self.event_combo.setObjectName("event")
        self.event_combo.addItem(self.tr("No event"), None)
        for eid, title, starts in referrals.event_choices():
            self.event_combo.addItem(event_label(title, starts), eid)
        self.program = QComboBox()
        self.program.setObjectName("program")
        for code in models.PROGRAMS:
            self.program.addItem(program_text(code), code)
        self.temperature = QSpinBox()
        self.temperature.setObjectName("temperature")
        self.temperature.setRange(1, 5)
        self.temperature.setValue(3)
        self.temperature_hint = QLabel()
        self.temperature.valueChanged.connect(
            lambda v: self.temperature_hint.setText(temperature_text(v))
        )
        self.temperature_hint.setText(temperature_text(3))
        temperature_row = QWidget()
        temperature_layout = QHBoxLayout(temperature_row)
        temperature_layout.setContentsMargins(0, 0, 0, 0)
        temperature_layout.addWidget(self.temperature)
        temperature_layout.addWidget(self.temperature_hint, 1)
        self.date = QDateEdit(qtoday())
        self.date.setObjectName("date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(DATE_FORMAT)
        self.date.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.date.setMaximumDate(qtoday())
        self.receiver = ContactPicker(self.tr("Optional: when it was passed to someone else"))
        self.receiver.setObjectName("receiver")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        # Any room the dialog has to spare goes to the notes.
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Referred by:"), self.giver)
        form.addRow(self.tr("&Person referred:"), who)
        form.addRow(self.tr("E&vent:"), self.event_combo)
        form.addRow(self.tr("Pro&gram:"), self.program)
        form.addRow(self.tr("&Temperature:"), temperature_row)
        form.addRow(self.tr("&Date:"), self.date)
        form.addRow(self.tr("Passed t&o:"), self.receiver)
        form.addRow(self.tr("&Notes:"), self.notes)

        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        self._fields: dict[str, QWidget] = {
            "giver": self.giver,
            "referred": self.referred,
            "receiver": self.receiver,
            "program": self.program,
            "temperature": self.temperature,
            "referred_on": self.date,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "emails": self.email,
            "phones": self.phone,
        }
        if giver_id is not None:
            self.giver.set_contact(giver_id, contact_name(giver_id))
        if referred_id is not None:
            self.referred.set_contact(referred_id, contact_name(referred_id))
        if event_id is not None:
            self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(event_id)))
        (self.referred if giver_id is not None else self.giver).setFocus()

    def _mode_changed(self, new_person: bool) -> None:
        self.referred.setVisible(not new_person)
        self.new_box.setVisible(new_person)
        (self.given_name if new_person else self.referred).setFocus()

    def set_new_person(self, new_person: bool) -> None:
        (self.new_radio if new_person else self.existing_radio).setChecked(True)

    def show_error(self, message: str, field: str | None = None) -> None:
        for widget in self._fields.values():
            _mark_invalid(widget, False)
        self.error.setText(message)
        self.error.setVisible(bool(message))
        widget = self._fields.get(field or "")
        if field == "referred" and self.new_radio.isChecked():
            widget = self.given_name
        if widget is not None:
            _mark_invalid(widget, True)
            widget.setFocus()

    def save(self) -> None:
        giver = self.giver.contact_id
        if giver is None:
            self.show_error(
                self.tr("Pick who gave the referral: type a name, choose from the list."), "giver"
            )
            return
        options = {
            "receiver_id": self.receiver.contact_id,
            "event_id": self.event_combo.currentData(),
            "program": self.program.currentData(),
            "temperature": self.temperature.value(),
            "referred_on": self.date.date().toPython(),
            "notes": self.notes.toPlainText().strip(),
        }
        if self.receiver.text().strip() and self.receiver.contact_id is None:
            self.show_error(
                self.tr("Pick the person it was passed to from the list, or clear the field."),
                "receiver",
            )
            return
        try:
            if self.new_radio.isChecked():
                data = ContactData(
                    given_name=self.given_name.text(),
                    family_name=self.family_name.text(),
                    emails=[self.email.text()] if self.email.text().strip() else [],
                    phones=[self.phone.text()] if self.phone.text().strip() else [],
                )
                contact, ref = referrals.record_referral_with_new_contact(giver, data, **options)
                self.created_contact_id = contact.id
            else:
                referred = self.referred.contact_id
                if referred is None:
                    self.show_error(
                        self.tr(
                            "Pick the person referred from the list, or choose “A new person”."
                        ),
                        "referred",
                    )
                    return
                ref = referrals.record_referral(giver, referred, **options)
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        self.referral_id = ref.id
        self.show_error("")
        self.saved.emit(ref.id, self.created_contact_id or 0)
        self.accept()


# -- won: the value of the business ------------------------------------------------------


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
            self.value.setText(str(ref.value))
        self.currency = QLineEdit(ref.currency or settings.profile().currency)
        self.currency.setObjectName("currency")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(self.fontMetrics().horizontalAdvance("WWWWW") + 16)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.value, 1)
        row_layout.addWidget(self.currency)
        form = QFormLayout()
        form.addRow(self.tr("&Value:"), row)
        self.error = _error_label()
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
            _mark_invalid(widget, True)
            widget.setFocus()
            return
        self.saved.emit(self.referral_id)
        self.accept()
