"""Recording a referral in one dialog: who gave it, who was referred, where and how warm.

Closing a referral as won is :mod:`crm.gui.views.referrals.won`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import contacts, models, referral_edits, referrals
from crm.core.contacts import ContactData
from crm.core.errors import ConflictError, ValidationError
from crm.gui import labels
from crm.gui.conflict import ConflictBanner
from crm.gui.formatting import DATE_FORMAT, day_text, qdate, qtoday
from crm.gui.person_picker import PersonPicker
from crm.gui.widgets import (
    INVALID_STYLE,
    PreservingDialog,
    error_label,
    form,
    mark_invalid,
    named,
    row,
    row_widget,
)


def event_label(title: str, starts_at: dt.datetime) -> str:
    """An event as a list offers it: "Spring mixer — 5 Mar 2026"."""
    return f"{title} — {day_text(starts_at.date())}"


def contact_name(contact_id: int) -> str:
    return contacts.get_contact(contact_id).display_name


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
        referral_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record Referral"))
        # Editing a recorded referral: its id, and the version and details as loaded.
        self.edit_id = referral_id
        self.version: int | None = None
        self.loaded: dict[str, Any] = {}
        self.setStyleSheet(INVALID_STYLE)
        self.referral_id: int | None = None
        self.created_contact_id: int | None = None
        pick_hint = self.tr("Type a name, then pick from the list")
        self.giver = named(PersonPicker(pick_hint), "giver")
        self.referred = named(PersonPicker(pick_hint), "referred")
        self.receiver = named(
            PersonPicker(self.tr("Optional: when it was passed to someone else")), "receiver"
        )
        who = self._build_who()
        self._build_details()
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(who), 1)
        layout.addWidget(self.error)
        self.conflict = ConflictBanner()
        self.conflict.reload_requested.connect(self.reload)
        layout.addWidget(self.conflict)
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
        self._prefill(giver_id, referred_id, event_id)
        if referral_id is not None:
            self._load_for_edit(referral_id)

    # -- building -----------------------------------------------------------------------

    def _build_who(self) -> QWidget:
        """The referred person: someone in the contacts, or a new person typed in."""
        self.existing_radio = QRadioButton(self.tr("Someone in my contacts"))
        self.new_radio = QRadioButton(self.tr("A new person"))
        self.existing_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)
        self.new_radio.toggled.connect(self._mode_changed)
        self.given_name = named(QLineEdit(), "givenName")
        self.family_name = named(QLineEdit(), "familyName")
        self.email = named(QLineEdit(), "email")
        self.email.setPlaceholderText(self.tr("name@example.com"))
        self.phone = named(QLineEdit(), "phone")
        self.phone.setPlaceholderText(self.tr("+30 21 0123 4567"))
        self.new_box = QGroupBox(self.tr("New person"))
        self.new_box.setLayout(
            form(
                (self.tr("&Given name:"), self.given_name),
                (self.tr("&Family name:"), self.family_name),
                (self.tr("&Email:"), self.email),
                (self.tr("P&hone:"), self.phone),
            )
        )
        self.new_box.hide()
        who = QWidget()
        who_layout = QVBoxLayout(who)
        who_layout.setContentsMargins(0, 0, 0, 0)
        who_layout.addLayout(row(self.existing_radio, self.new_radio, None))
        who_layout.addWidget(self.referred)
        who_layout.addWidget(self.new_box)
        return who

    def _build_details(self) -> None:
        """Event, program, temperature, date and notes."""
        self.event_combo = named(QComboBox(), "event")
        self.event_combo.addItem(self.tr("No event"), None)
        for eid, title, starts in referrals.event_choices():
            self.event_combo.addItem(event_label(title, starts), eid)
        self.program = named(QComboBox(), "program")
        for code in models.PROGRAMS:
            self.program.addItem(labels.program(code), code)
        self.temperature = named(QSpinBox(), "temperature")
        self.temperature.setRange(1, 5)
        self.temperature.setValue(3)
        self.temperature_hint = QLabel(labels.temperature(3))
        self.temperature.valueChanged.connect(
            lambda v: self.temperature_hint.setText(labels.temperature(v))
        )
        self.date = named(QDateEdit(qtoday()), "date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(DATE_FORMAT)
        self.date.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.date.setMaximumDate(qtoday())
        self.notes = named(QPlainTextEdit(), "notes")
        self.notes.setTabChangesFocus(True)
        # Any room the dialog has to spare goes to the notes.
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def _build_form(self, who: QWidget) -> QFormLayout:
        return form(
            (self.tr("&Referred by:"), self.giver),
            (self.tr("&Person referred:"), who),
            (self.tr("E&vent:"), self.event_combo),
            (self.tr("Pro&gram:"), self.program),
            (self.tr("&Temperature:"), row_widget(self.temperature, (self.temperature_hint, 1))),
            (self.tr("&Date:"), self.date),
            (self.tr("Passed t&o:"), self.receiver),
            (self.tr("&Notes:"), self.notes),
        )

    def _prefill(self, giver_id: int | None, referred_id: int | None, event_id: int | None) -> None:
        if giver_id is not None:
            self.giver.set_contact(giver_id, contact_name(giver_id))
        if referred_id is not None:
            self.referred.set_contact(referred_id, contact_name(referred_id))
        if event_id is not None:
            self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(event_id)))
        (self.referred if giver_id is not None else self.giver).setFocus()

    def _load_for_edit(self, referral_id: int) -> None:
        """Show a recorded referral: who and when stay as recorded, the details can change."""
        ref = referrals.get_referral(referral_id)
        self.setWindowTitle(self.tr("Edit Referral"))
        self.giver.set_contact(ref.giver_id, ref.giver.display_name)
        self.referred.set_contact(ref.referred_id, ref.referred.display_name)
        if ref.receiver_id is not None:
            self.receiver.set_contact(ref.receiver_id, contact_name(ref.receiver_id))
        self.date.setDate(qdate(ref.referred_on))
        fixed_widgets = (self.giver, self.referred, self.receiver, self.date)
        for fixed in (*fixed_widgets, self.existing_radio, self.new_radio):
            fixed.setEnabled(False)
        self._show_details(ref)
        self.program.setFocus()

    def _show_details(self, ref: models.Referral) -> None:
        self.version = ref.version
        self.loaded = {
            "program": ref.program,
            "temperature": ref.temperature,
            "event_id": ref.event_id,
            "notes": ref.notes,
        }
        self.program.setCurrentIndex(max(self.program.findData(ref.program), 0))
        self.temperature.setValue(ref.temperature)
        self.event_combo.setCurrentIndex(max(self.event_combo.findData(ref.event_id), 0))
        self.notes.setPlainText(ref.notes)

    def reload(self) -> None:
        """Show the referral as a colleague saved it, and edit that version."""
        assert self.edit_id is not None
        self.show_error("")
        self._show_details(referrals.get_referral(self.edit_id))

    def _edited(self) -> dict[str, Any]:
        """The details that differ from the referral as loaded."""
        now = {
            "program": self.program.currentData(),
            "temperature": self.temperature.value(),
            "event_id": self.event_combo.currentData(),
            "notes": self.notes.toPlainText().strip(),
        }
        out = {k: v for k, v in now.items() if v != self.loaded.get(k)}
        if "event_id" in out and out["event_id"] is None:
            out["event_id"] = referral_edits.NO_EVENT
        return out

    def _save_edit(self) -> None:
        assert self.edit_id is not None
        changes = self._edited()
        try:
            if changes:
                referral_edits.update_referral(
                    self.edit_id, expected_version=self.version, **changes
                )
        except ConflictError as exc:
            self.conflict.show_conflict(exc)
            return
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        self.referral_id = self.edit_id
        self.show_error("")
        self.saved.emit(self.edit_id, 0)
        self.accept()

    # -- behaviour ----------------------------------------------------------------------

    def _mode_changed(self, new_person: bool) -> None:
        self.referred.setVisible(not new_person)
        self.new_box.setVisible(new_person)
        (self.given_name if new_person else self.referred).setFocus()

    def set_new_person(self, new_person: bool) -> None:
        (self.new_radio if new_person else self.existing_radio).setChecked(True)

    def show_error(self, message: str, field: str | None = None) -> None:
        for each in self._fields.values():
            mark_invalid(each, False)
        self.error.setText(message)
        self.error.setVisible(bool(message))
        widget: QWidget | None = self._fields.get(field or "")
        if field == "referred" and self.new_radio.isChecked():
            widget = self.given_name
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()

    def _options(self) -> dict[str, Any]:
        return {
            "receiver_id": self.receiver.contact_id,
            "event_id": self.event_combo.currentData(),
            "program": self.program.currentData(),
            "temperature": self.temperature.value(),
            "referred_on": self.date.date().toPython(),
            "notes": self.notes.toPlainText().strip(),
        }

    def _refusal(self) -> tuple[str, str] | None:
        """What the dialog itself refuses before asking the core: (message, field)."""
        if self.giver.contact_id is None:
            return self.tr(
                "Pick who gave the referral: type a name, choose from the list."
            ), "giver"
        if self.receiver.text().strip() and self.receiver.contact_id is None:
            return (
                self.tr("Pick the person it was passed to from the list, or clear the field."),
                "receiver",
            )
        if not self.new_radio.isChecked() and self.referred.contact_id is None:
            return (
                self.tr("Pick the person referred from the list, or choose “A new person”."),
                "referred",
            )
        return None

    def save(self) -> None:
        if self.edit_id is not None:
            self._save_edit()
            return
        refusal = self._refusal()
        if refusal is not None:
            self.show_error(*refusal)
            return
        giver = self.giver.contact_id
        assert giver is not None  # _refusal checked it
        try:
            if self.new_radio.isChecked():
                data = ContactData(
                    given_name=self.given_name.text(),
                    family_name=self.family_name.text(),
                    emails=[self.email.text()] if self.email.text().strip() else [],
                    phones=[self.phone.text()] if self.phone.text().strip() else [],
                )
                contact, ref = referrals.record_referral_with_new_contact(
                    giver, data, **self._options()
                )
                self.created_contact_id = contact.id
            else:
                referred = self.referred.contact_id
                assert referred is not None  # _refusal checked it
                ref = referrals.record_referral(giver, referred, **self._options())
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        self.referral_id = ref.id
        self.show_error("")
        self.saved.emit(ref.id, self.created_contact_id or 0)
        self.accept()
