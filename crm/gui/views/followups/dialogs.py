"""Dialogs of the follow-ups page: pick a day, add a follow-up; cells laid out by direction."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from crm.core import clock, contacts, followup_edits, followups, models, users
from crm.core.errors import ConflictError, ValidationError
from crm.core.rule_lines import shown_title
from crm.gui import labels
from crm.gui.conflict import ConflictBanner
from crm.gui.formatting import DATE_FORMAT, pydate, qdate
from crm.gui.widgets import PreservingDialog, SearchBox

if TYPE_CHECKING:
    from crm.gui.views.followups.page import FollowupsView

ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_COLOUR = QColor("#c62828")


def text_direction(text: str) -> Qt.LayoutDirection | None:
    """The direction of the first strongly directional letter (None for digits only)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
    return None


class AutoDirectionDelegate(QStyledItemDelegate):
    """Lays each cell out in its own text's direction, aligned as the view reads.

    A Latin title in the Arabic interface (or an Arabic one in the English
    interface) would otherwise be reordered word by word.
    """

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        direction = text_direction(option.text)
        if direction is None or direction == option.direction:
            return
        leading = (
            Qt.AlignmentFlag.AlignRight
            if option.direction == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        option.direction = direction
        # Absolute: the column keeps its side whatever the text's direction.
        option.displayAlignment = (
            leading
            | Qt.AlignmentFlag.AlignAbsolute
            | (option.displayAlignment & Qt.AlignmentFlag.AlignVertical_Mask)
        )


class DateDialog(PreservingDialog):
    """Pick a day on a calendar (snooze until, reschedule)."""

    def __init__(
        self,
        title: str,
        text: str,
        initial: dt.date,
        minimum: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        if minimum is not None:
            self.calendar.setMinimumDate(qdate(minimum))
        self.calendar.setSelectedDate(qdate(initial))
        self.calendar.activated.connect(lambda _d: self.accept())
        layout.addWidget(self.calendar)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def date(self) -> dt.date:
        return pydate(self.calendar.selectedDate())


class NewFollowupDialog(PreservingDialog):
    """A follow-up for a contact found by typing part of the name; or, given
    ``followup_id``, an existing one to change (its contact stays)."""

    created = Signal(int)
    edited = Signal(int)

    def __init__(
        self, view: FollowupsView, parent: QWidget | None = None, followup_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.geometry_settings = view.ctx.settings
        self.created_id: int | None = None
        self.edit_id = followup_id
        self.version: int | None = None  # of the follow-up as loaded, when editing
        self.loaded: dict[str, object] = {}
        self._searched = ""
        self.setWindowTitle(self.tr("New Follow-up"))
        self.setMinimumWidth(560)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        contact_box = self._build_contact()
        contact_label = QLabel(self.tr("&Contact:"))
        contact_label.setBuddy(self.contact_search)
        form.addRow(contact_label, contact_box)
        self._build_fields(form)
        self._build_error_and_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.conflict = ConflictBanner()
        self.conflict.reload_requested.connect(self.reload)
        layout.addWidget(self.conflict)
        layout.addWidget(self.buttons)
        self.contact_search.setFocus()
        if followup_id is not None:
            self._load_for_edit(followup_id)

    def _build_contact(self) -> QVBoxLayout:
        """A search field and the contacts it finds, to pick one from."""
        self.contact_search = SearchBox(self.tr("Type a name, company or email"))
        self.contact_search.search.connect(self._search)
        self.contact_search.returnPressed.connect(self.contact_search.flush)
        self.matches = QListWidget()
        self.matches.setObjectName("contactMatches")
        self.matches.setMaximumHeight(self.fontMetrics().height() * 8)
        self.matches.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.itemDoubleClicked.connect(lambda _i: self.accept())
        self.matches.setItemDelegate(AutoDirectionDelegate(self.matches))
        contact_box = QVBoxLayout()
        contact_box.setContentsMargins(0, 0, 0, 0)
        contact_box.addWidget(self.contact_search)
        contact_box.addWidget(self.matches)
        return contact_box

    def _build_fields(self, form: QFormLayout) -> None:
        """Kind, due day, title and notes."""
        self.kind = QComboBox()
        for code in models.FOLLOWUP_KINDS:
            if code != "birthday":  # made by the birthday rule
                self.kind.addItem(labels.followup_kind(code), code)
        form.addRow(self.tr("&Kind:"), self.kind)

        self.due = QDateEdit(qdate(clock.today()))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(DATE_FORMAT)
        form.addRow(self.tr("&Due:"), self.due)

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Optional: what to do, e.g. Send the proposal"))
        self.title_edit.setMaxLength(200)
        form.addRow(self.tr("&Title:"), self.title_edit)

        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().height() * 5)
        form.addRow(self.tr("&Notes:"), self.notes)

        # Free text: a colleague's name, completed from everyone who worked here.
        self.assigned = QLineEdit()
        self.assigned.setObjectName("assignedTo")
        self.assigned.setMaxLength(users.MAX_LENGTH)
        self.assigned.setPlaceholderText(
            self.tr("Optional: a colleague, e.g. %1").replace("%1", users.current() or "maria")
        )
        completer = QCompleter(users.known_users(), self.assigned)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.assigned.setCompleter(completer)
        form.addRow(self.tr("&Assigned to:"), self.assigned)

    def _build_error_and_buttons(self) -> None:
        """A refusal is said above the buttons; OK reads Add Follow-up."""
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Add Follow-up"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _search(self, text: str) -> None:
        self._searched = text
        self.matches.clear()
        if not text.strip():
            return
        for cid, given, family, org, email, _phone, city, _stage in contacts.list_rows(
            text, limit=20
        ):
            name = f"{given} {family}".strip()
            extra = ", ".join(p for p in (org, city or email) if p)
            item = QListWidgetItem(f"{name} — {extra}" if extra else name)
            item.setData(ID_ROLE, cid)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def contact_id(self) -> int | None:
        item = self.matches.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _load_for_edit(self, followup_id: int) -> None:
        """Show a follow-up to change: its contact is fixed, the rest can change."""
        item = followups.get_followup(followup_id)
        self.setWindowTitle(self.tr("Edit Follow-up"))
        self.contact_search.setText(item.contact.display_name)
        self.contact_search.setEnabled(False)
        self.matches.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        if self.kind.findData(item.kind) < 0:  # a birthday reminder keeps its kind
            self.kind.addItem(labels.followup_kind(item.kind), item.kind)
        self._show(item)
        self.title_edit.setFocus()

    def _show(self, item: models.FollowUp) -> None:
        self.version = item.version
        self.loaded = {
            "kind": item.kind,
            "due": item.due,
            "title": shown_title(item),
            "notes": item.notes,
            "assigned_to": item.assigned_to,
        }
        self.kind.setCurrentIndex(max(self.kind.findData(item.kind), 0))
        self.due.setDate(qdate(item.due))
        self.title_edit.setText(shown_title(item))
        self.notes.setPlainText(item.notes)
        self.assigned.setText(item.assigned_to)

    def reload(self) -> None:
        """Show the follow-up as a colleague saved it, and edit that version."""
        assert self.edit_id is not None
        self.error.hide()
        self._show(followups.get_followup(self.edit_id))

    def _edited(self) -> dict[str, object]:
        now = {
            "kind": self.kind.currentData(),
            "due": pydate(self.due.date()),
            "title": self.title_edit.text(),
            "notes": self.notes.toPlainText(),
            "assigned_to": " ".join(self.assigned.text().split()),
        }
        return {k: v for k, v in now.items() if v != self.loaded.get(k)}

    def _save_edit(self) -> None:
        assert self.edit_id is not None
        try:
            changes = self._edited()
            if changes:
                followup_edits.update_followup(
                    self.edit_id, expected_version=self.version, **changes
                )
        except ConflictError as exc:
            self.conflict.show_conflict(exc)
            return
        except ValidationError as exc:
            self.show_error(exc.message)
            return
        self.edited.emit(self.edit_id)
        super().accept()

    def accept(self) -> None:
        if self.edit_id is not None:
            self._save_edit()
            return
        if self.contact_search.text() != self._searched:
            self.contact_search.flush()  # typed within the pause: search for it now
        contact_id = self.contact_id()
        if contact_id is None:
            self.show_error(self.tr("Type a name and pick the contact from the list."))
            self.contact_search.setFocus()
            return
        try:
            item = followups.create_followup(
                contact_id,
                pydate(self.due.date()),
                kind=self.kind.currentData(),
                title=self.title_edit.text(),
                notes=self.notes.toPlainText(),
                assigned_to=self.assigned.text(),
            )
        except ValidationError as exc:
            self.show_error(exc.message)
            return
        self.created_id = item.id
        self.created.emit(item.id)
        super().accept()
