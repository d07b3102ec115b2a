"""The contact editor: new and existing contacts, with the core's refusals shown inline."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm.core import contact_matches, contacts, models
from crm.core.errors import ConflictError, ValidationError
from crm.core.undo_journal import contact_watch
from crm.gui.conflict import ConflictBanner
from crm.gui.context import AppContext
from crm.gui.formatting import language_name
from crm.gui.undo import perform
from crm.gui.views.contacts.model import channel_label, stage_label
from crm.gui.widgets import PreservingDialog, error_label, named

# The core names a refused field; some of its names differ from the editor's.
FIELD_ALIASES = {"name": "organization", "consent_date": "marketing_consent", "kind": ""}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _tags(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class ContactDialog(PreservingDialog):
    """Edit one contact (``contact_id``) or create one (None). Saving goes through the core."""

    settings_key = "ContactDialog"
    saved = Signal(int)

    def __init__(
        self, ctx: AppContext, contact_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact_id = contact_id
        # Load, then show: the stored data first, the widgets built around it.
        # The version of the contact as loaded: a colleague's save since is refused.
        self.version: int | None = None
        if contact_id is None:
            self.original = contacts.ContactData()
            self.setWindowTitle(self.tr("New Contact"))
        else:
            contact = contacts.get_contact(contact_id)
            self.original = contacts.contact_data(contact)
            self.version = contact.version
            self.setWindowTitle(self.tr("Edit %1").replace("%1", contact.display_name))
        self.saved_id: int | None = None
        # The emails and phones the user chose to save although others have them.
        self._accepted_duplicates: tuple[list[str], list[str]] | None = None

        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        left, right = QFormLayout(), QFormLayout()
        for column in (left, right):
            # The fields sit in cells with their error lines: every one of them grows.
            column.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._build_person(left)
        self._build_relationship(right)
        outer = QVBoxLayout(self)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        outer.addLayout(columns)
        self._build_footer(outer)
        self.given_name.setFocus()

    def _build_person(self, left: QFormLayout) -> None:
        """Who they are and how to reach them."""
        data = self.original
        self.given_name = self._line(left, "given_name", self.tr("&Given name:"), data.given_name)
        self.family_name = self._line(
            left, "family_name", self.tr("&Family name:"), data.family_name
        )
        self.organization = self._line(
            left, "organization", self.tr("&Organization:"), data.organization or ""
        )
        self.job_title = self._line(left, "title", self.tr("&Title:"), data.title)
        self.emails = self._text(
            left, "emails", self.tr("&Emails:"), "\n".join(data.emails), self.tr("One per line")
        )
        self.phones = self._text(
            left,
            "phones",
            self.tr("&Phones:"),
            "\n".join(data.phones),
            self.tr("One per line, e.g. +30 210 123 4567"),
        )
        self.street = self._line(left, "street", self.tr("&Street:"), data.street)
        self.postcode = self._line(left, "postcode", self.tr("Post&code:"), data.postcode)
        self.city = self._line(left, "city", self.tr("C&ity:"), data.city)
        self.region = self._line(left, "region", self.tr("Re&gion:"), data.region)
        self.country = self._line(left, "country", self.tr("Co&untry:"), data.country)
        self.country.setPlaceholderText(self.tr("Two letters, e.g. GR, IT, BG"))
        self.country.setMaxLength(2)

    def _build_relationship(self, right: QFormLayout) -> None:
        """Language, how we met, stage, tags, consent, cadence and notes."""
        data = self.original
        self.language = self._combo(
            right,
            "language",
            self.tr("&Language:"),
            [(language_name(code), code) for code in models.LANGUAGES],
            data.language,
        )
        self.birthday = self._line(
            right, "birthday", self.tr("&Birthday:"), str(data.birthday or "")
        )
        self.birthday.setPlaceholderText(self.tr("YYYY-MM-DD, or --MM-DD without the year"))
        self.channel = self._combo(
            right,
            "channel",
            self.tr("First &heard via:"),
            [(channel_label(code), code) for code in models.CHANNELS],
            data.channel,
        )
        self.stage = self._combo(
            right,
            "stage",
            self.tr("St&age:"),
            [(stage_label(code), code) for code in models.STAGES],
            data.stage,
        )
        self.tags = self._line(right, "tags", self.tr("Ta&gs:"), ", ".join(data.tags))
        self.tags.setPlaceholderText(self.tr("Comma-separated, e.g. VIP, Rotary"))
        self.consent = QCheckBox(self.tr("Agreed to receive &marketing"))
        self.consent.setChecked(bool(data.marketing_consent))
        self._add(right, "marketing_consent", self.tr("Consent:"), self.consent)
        self.stay_in_touch = QSpinBox()
        self.stay_in_touch.setRange(0, 3650)
        self.stay_in_touch.setSpecialValueText(self.tr("Never"))
        self.stay_in_touch.setSuffix(self.tr(" days"))
        self.stay_in_touch.setValue(data.stay_in_touch_days or 0)
        self._add(right, "stay_in_touch_days", self.tr("Stay in &touch every:"), self.stay_in_touch)
        self.notes = QPlainTextEdit(data.notes)
        self.notes.setTabChangesFocus(True)
        self._add(right, "notes", self.tr("&Notes:"), self.notes)

    def _build_footer(self, outer: QVBoxLayout) -> None:
        # A refusal that names no field of this editor.
        self.general_error = named(error_label(), "error_general")
        outer.addWidget(self.general_error)
        # Another contact has this email or phone: a button to open them, and Save Anyway.
        self.duplicate_warning = named(QWidget(), "duplicateWarning")
        self.duplicate_warning.setStyleSheet("#duplicateWarning { background: #fff4d6; }")
        self.duplicate_warning.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(self.duplicate_warning)
        self.duplicate_label = named(QLabel(), "duplicateText")
        self.duplicate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_label.setWordWrap(True)
        box.addWidget(self.duplicate_label)
        self.duplicate_buttons = QHBoxLayout()
        self.duplicate_buttons.addStretch(1)
        box.addLayout(self.duplicate_buttons)
        self.open_buttons: list[QPushButton] = []
        self.duplicate_warning.hide()
        outer.addWidget(self.duplicate_warning)
        self.conflict = ConflictBanner()
        self.conflict.reload_requested.connect(self.reload)
        outer.addWidget(self.conflict)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    # -- building ----------------------------------------------------------------

    def _add(self, column: QFormLayout, key: str, title: str, widget: QWidget) -> None:
        """A field with its error line under it, registered under the core's name ``key``."""
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = named(error_label(), f"error_{key}")
        box.addWidget(error)
        widget.setObjectName(key)
        # Never narrower than its own text needs: a check box's words are not cut.
        widget.setMinimumWidth(max(230, widget.minimumSizeHint().width()))
        column.addRow(title, cell)
        label = column.labelForField(cell)
        if isinstance(label, QLabel):
            label.setBuddy(widget)
        self.inputs[key] = widget
        self.errors[key] = error

    def _line(self, column: QFormLayout, key: str, title: str, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        self._add(column, key, title, edit)
        return edit

    def _text(
        self, column: QFormLayout, key: str, title: str, value: str, placeholder: str
    ) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        line = edit.fontMetrics().lineSpacing()
        edit.setFixedHeight(line * 3 + 12)
        self._add(column, key, title, edit)
        return edit

    def _combo(
        self,
        column: QFormLayout,
        key: str,
        title: str,
        choices: list[tuple[str, str]],
        current: str,
    ) -> QComboBox:
        combo = QComboBox()
        for text, code in choices:
            combo.addItem(text, code)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        self._add(column, key, title, combo)
        return combo

    # -- saving ------------------------------------------------------------------

    def entered(self) -> contacts.ContactData:
        """What the form holds, as the core's contact data."""
        organization = " ".join(self.organization.text().split()) or None
        return contacts.ContactData(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            organization=organization,
            title=self.job_title.text(),
            emails=_lines(self.emails.toPlainText()),
            phones=_lines(self.phones.toPlainText()),
            street=self.street.text(),
            city=self.city.text(),
            postcode=self.postcode.text(),
            region=self.region.text(),
            country=self.country.text(),
            language=self.language.currentData(),
            birthday=self.birthday.text().strip() or None,
            channel=self.channel.currentData(),
            stage=self.stage.currentData(),
            marketing_consent=self.consent.isChecked(),
            consent_date=self.original.consent_date if self.consent.isChecked() else None,
            notes=self.notes.toPlainText(),
            tags=_tags(self.tags.text()),
            stay_in_touch_days=self.stay_in_touch.value() or None,
        )

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the stored contact (what an update sends)."""
        new, old = self.entered(), self.original
        out: dict[str, Any] = {}
        for field in dataclass_fields(contacts.ContactData):
            name = field.name
            if name == "labels":
                continue
            before, after = getattr(old, name), getattr(new, name)
            if name in ("emails", "phones", "tags"):
                before, after = list(before), list(after)
            if name == "organization":
                before = before or None
            if before != after:
                out[name] = after
        return out

    def save(self) -> bool:
        """Create or update the contact; on a refusal show it by its field and stay open."""
        self.clear_errors()
        try:
            if self.contact_id is None:
                if self._warn_of_duplicates():
                    return False
                contact = contacts.create_contact(self.entered())
                self.saved_id = contact.id
            else:
                changes = self.changes()
                if changes:
                    self._update(self.contact_id, changes)
                self.saved_id = self.contact_id
        except ConflictError as exc:
            self.conflict.show_conflict(exc)
            return False
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return False
        self.ctx.changed("contacts")
        self.saved.emit(self.saved_id)
        self.accept()
        return True

    def _update(self, contact_id: int, changes: dict[str, Any]) -> None:
        """Save the changes as a step of the window's undo stack."""
        name = contacts.get_contact(contact_id).display_name
        text = self.tr("Change Tags of %1") if set(changes) == {"tags"} else self.tr("Edit %1")
        update = partial(
            contacts.update_contact, contact_id, expected_version=self.version, **changes
        )
        perform(
            self.ctx,
            self,
            text.replace("%1", name),
            update,
            contact_watch(contact_id),
            ["contacts"],
        )

    def reload(self) -> None:
        """Show the contact as it is stored now (a colleague's save), and edit that version."""
        assert self.contact_id is not None
        contact = contacts.get_contact(self.contact_id)
        self.original, self.version = contacts.contact_data(contact), contact.version
        self.clear_errors()
        self._fill(self.original)

    def _fill(self, data: contacts.ContactData) -> None:
        """Put ``data`` in the fields."""
        lines = {
            self.given_name: data.given_name,
            self.family_name: data.family_name,
            self.organization: data.organization or "",
            self.job_title: data.title,
            self.street: data.street,
            self.postcode: data.postcode,
            self.city: data.city,
            self.region: data.region,
            self.country: data.country,
            self.birthday: str(data.birthday or ""),
            self.tags: ", ".join(data.tags),
        }
        for edit, text in lines.items():
            edit.setText(text)
        self.emails.setPlainText("\n".join(data.emails))
        self.phones.setPlainText("\n".join(data.phones))
        self.notes.setPlainText(data.notes)
        for combo, code in (
            (self.language, data.language),
            (self.channel, data.channel),
            (self.stage, data.stage),
        ):
            combo.setCurrentIndex(max(combo.findData(code), 0))
        self.consent.setChecked(bool(data.marketing_consent))
        self.stay_in_touch.setValue(data.stay_in_touch_days or 0)

    def _warn_of_duplicates(self) -> bool:
        """Show who already has the new contact's email or phone, once; True when shown."""
        data = self.entered()
        entered = (list(data.emails), list(data.phones))
        if entered == self._accepted_duplicates or not (entered[0] or entered[1]):
            return False
        matches = contact_matches.existing(data.emails, data.phones)
        if not matches:
            return False
        self._accepted_duplicates = entered
        lines = []
        for m in matches:
            what = self.tr("email %1") if m.field == "email" else self.tr("phone %1")
            lines.append(f"{m.name} (#{m.contact_id}): {what.replace('%1', m.value)}")
        self.duplicate_label.setText(
            self.tr("Already in your contacts:")
            + "\n"
            + "\n".join(lines)
            + "\n"
            + self.tr("Open the existing contact, or Save Anyway to add this one too.")
        )
        self._fill_open_buttons({m.contact_id: m.name for m in matches})
        self.duplicate_warning.show()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.tr("Save &Anyway"))
        return True

    def _fill_open_buttons(self, people: dict[int, str]) -> None:
        for button in self.open_buttons:
            button.deleteLater()
        self.open_buttons = []
        for contact_id, name in people.items():
            button = named(
                QPushButton(self.tr("Open %1").replace("%1", name or f"#{contact_id}")),
                f"openExisting{contact_id}",
            )
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, cid=contact_id: self._open_existing(cid))
            self.duplicate_buttons.insertWidget(self.duplicate_buttons.count() - 1, button)
            self.open_buttons.append(button)

    def _open_existing(self, contact_id: int) -> None:
        """Leave this new contact unsaved and show the existing one on the Contacts page."""
        self.reject()
        self.ctx.navigate.emit("contact", contact_id)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_error(self, message: str, field: str | None) -> None:
        """Show a refusal under the field it names (or above the buttons)."""
        key = FIELD_ALIASES.get(field or "", field or "")
        label = self.errors.get(key) if key else None
        if label is None:
            self.general_error.setText(message)
            self.general_error.show()
            return
        label.setText(message)
        label.show()
        self.inputs[key].setFocus()

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` ("" when none), for tests and accessibility."""
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
