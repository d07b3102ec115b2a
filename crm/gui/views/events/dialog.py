"""The event editor dialog, and the words for event kinds and attendance roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm.core import clock, events, models
from crm.core.errors import ValidationError
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import DATE_FORMAT, moment_text
from crm.gui.widgets import PreservingDialog


def _t(text: str) -> str:
    return QCoreApplication.translate("Events", text)


def kind_label(code: str) -> str:
    """An event kind as the user reads it."""
    return labels.event_kind(code)


def role_label(code: str) -> str:
    """An attendance role as the user reads it."""
    return labels.role(code)


def when_text(starts: dt.datetime) -> str:
    """``Thu 26 Nov 2026 18:30`` in the user's language (the weekday matters when
    planning a week of events), one bidi isolate."""
    return moment_text(starts, weekday=True)


def align_heading(label: QLabel) -> None:
    """Align a label holding data to the page's leading edge, whatever script it is in."""
    rtl = label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    edge = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    label.setAlignment(edge | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)


def qdatetime(value: dt.datetime) -> QDateTime:
    """The same local date and time, as Qt holds it."""
    return QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )


def pydatetime(value: QDateTime) -> dt.datetime:
    """The local date and time a date-time field holds, to the second."""
    day, time = value.date(), value.time()
    return dt.datetime(
        day.year(), day.month(), day.day(), time.hour(), time.minute(), time.second()
    )


def default_start(now: dt.datetime | None = None) -> dt.datetime:
    """Where a new event starts: this evening at 18:00, or tomorrow's once that has passed."""
    moment = now or clock.now()
    evening = dt.datetime.combine(moment.date(), dt.time(18, 0))
    return evening if moment < evening else evening + dt.timedelta(days=1)


class EventDialog(PreservingDialog):
    """Create or edit an event; the core's refusals are shown inside the dialog."""

    settings_key = "EventDialog"
    saved = Signal(int)  # the event's id, after it was stored

    def __init__(
        self, ctx: AppContext, event_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_id = event_id
        self.setWindowTitle(self.tr("New Event") if event_id is None else self.tr("Edit Event"))
        self.setMinimumWidth(460)
        form = self._build_form()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        for edit in (self.title_edit, self.venue_edit, self.city_edit, self.organizer_edit):
            edit.textEdited.connect(self._clear_error)
        self._load()

    def _build_form(self) -> QFormLayout:
        """The event's fields, each named as the core names it (for refusals)."""
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText(self.tr("Chamber of commerce evening"))
        self.title_edit.setMaxLength(200)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        for code in models.EVENT_KINDS:
            self.kind_combo.addItem(kind_label(code), code)
        self.starts_edit = QDateTimeEdit()
        self.starts_edit.setObjectName("starts_at")
        self.starts_edit.setCalendarPopup(True)
        # The language's date and time of day ("9 Δεκ 2026 6:30 μ.μ.", "9 dic 2026 18:30"),
        # as the event list shows them.
        # Right to left, Qt reverses the sections' order itself and Arabic read
        # "م 30:6 2026 ديسمبر 9"; laid out left to right (before the format is set),
        # the bidi algorithm shows the Arabic date whole and in its order.
        self.starts_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        time_format = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
        self.starts_edit.setDisplayFormat(f"{DATE_FORMAT} {time_format}")
        self.venue_edit = QLineEdit()
        self.venue_edit.setObjectName("venue")
        self.city_edit = QLineEdit()
        self.city_edit.setObjectName("city")
        self.organizer_edit = QLineEdit()
        self.organizer_edit.setObjectName("organizer")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(80)

        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title_edit)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&Starts:"), self.starts_edit)
        form.addRow(self.tr("&Venue:"), self.venue_edit)
        form.addRow(self.tr("&City:"), self.city_edit)
        form.addRow(self.tr("&Organizer:"), self.organizer_edit)
        form.addRow(self.tr("&Notes:"), self.notes_edit)
        self._fields: dict[str, QWidget] = {
            "title": self.title_edit,
            "kind": self.kind_combo,
            "starts_at": self.starts_edit,
            "venue": self.venue_edit,
            "city": self.city_edit,
            "organizer": self.organizer_edit,
            "notes": self.notes_edit,
        }
        return form

    def _load(self) -> None:
        if self.event_id is None:
            self.starts_edit.setDateTime(qdatetime(default_start()))
            return
        event = events.get_event(self.event_id)
        self.title_edit.setText(event.title)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(event.kind), 0))
        self.starts_edit.setDateTime(qdatetime(event.starts_at))
        self.venue_edit.setText(event.venue)
        self.city_edit.setText(event.city)
        self.organizer_edit.setText(event.organizer)
        self.notes_edit.setPlainText(event.notes)

    def values(self) -> dict[str, Any]:
        """What the form holds, in the core's terms."""
        starts = pydatetime(self.starts_edit.dateTime())
        return {
            "title": self.title_edit.text(),
            "kind": self.kind_combo.currentData(),
            "starts_at": starts.replace(second=0, microsecond=0),
            "venue": self.venue_edit.text(),
            "city": self.city_edit.text(),
            "organizer": self.organizer_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }

    def save(self) -> None:
        """Store the event; on a refusal, say why next to the buttons and stay open."""
        values = self.values()
        try:
            if self.event_id is None:
                title, starts = values.pop("title"), values.pop("starts_at")
                self.event_id = events.create_event(title, starts, **values).id
            else:
                events.update_event(self.event_id, **values)
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        self.ctx.changed("events")
        self.saved.emit(self.event_id)
        self.accept()

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        widget = self._fields.get(field or "")
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _clear_error(self) -> None:
        if self.error_label.isVisible():
            self.error_label.hide()
            self.error_label.clear()
