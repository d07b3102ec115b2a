"""Events: the page listing upcoming and past events, with the selected event and its attendance.

The tables' models live in :mod:`crm.gui.views.events.models`, the selected event's
attendance list (a child widget) in :mod:`crm.gui.views.events.attendance`, the editor
in :mod:`crm.gui.views.events.dialog`; the briefing lives beside it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crm.core import clock, events
from crm.core.errors import NotFoundError
from crm.gui.context import AppContext
from crm.gui.formatting import isolate, moment_text
from crm.gui.views.base import View
from crm.gui.views.events.attendance import AttendancePanel
from crm.gui.views.events.briefing import BriefingView
from crm.gui.views.events.dialog import (
    EventDialog,
    align_heading,
    kind_label,
    when_text,
)
from crm.gui.views.events.models import EventsModel
from crm.gui.widgets import EmptyState, SearchBox

# BriefingView is opened from here by the main window's page table ("briefing").
__all__ = ["BriefingView", "EventsView"]


class EventsView(View):
    """Upcoming and past events, the selected event's attendance, and quick adding."""

    depends_on = ("events", "contacts")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.event_id: int | None = None
        self._selecting = False
        top = self._build_top()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self._build_table())
        self.list_stack.addWidget(self._build_empty())

        self.detail_stack = QStackedWidget()
        self.no_event = QLabel(self.tr("Select an event to see who is coming."))
        self.no_event.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_event.setObjectName("noEvent")
        self.detail = self._build_detail()
        self.detail_stack.addWidget(self.no_event)
        self.detail_stack.addWidget(self.detail)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("eventsSplitter")
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._restore_layout()

    def _build_top(self) -> QHBoxLayout:
        """The top bar: period, search, new event."""
        self.period_group = QButtonGroup(self)
        self.period_group.setExclusive(True)
        self.period_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        for code, text in (
            ("upcoming", self.tr("Upcoming")),
            ("past", self.tr("Past")),
            ("all", self.tr("All")),
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName(f"period_{code}")
            self.period_group.addButton(button)
            self.period_buttons[code] = button
            top.addWidget(button)
            button.clicked.connect(lambda _c=False, p=code: self.set_period(p))
        self.period_buttons["upcoming"].setChecked(True)
        self.search_box = SearchBox(self.tr("Search events by title, venue, city…"))
        self.search_box.setObjectName("eventSearch")
        self.search_box.search.connect(self._search)
        self.new_button = QPushButton(self.tr("New Event…"))
        self.new_button.setObjectName("newEvent")
        self.new_button.clicked.connect(self.new_event)
        top.addSpacing(12)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_button)
        return top

    def _build_table(self) -> QTableView:
        """The events table, sorted by date and keeping its selection across reloads."""
        self.model = EventsModel(self)
        table = self.table = QTableView()
        table.setObjectName("eventsTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSortIndicator(EventsModel.COL_DATE, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._reselect)
        table.doubleClicked.connect(lambda _i: self.edit_event())
        header.setStretchLastSection(False)
        # Title and venue share what is left, so a narrow window squeezes neither to nothing.
        header.setSectionResizeMode(EventsModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EventsModel.COL_VENUE, QHeaderView.ResizeMode.Stretch)
        # The date as long as it gets in this language ("Τετ 30 Σεπ 2026 6:30 μ.μ."),
        # and never narrower than a heading.
        longest = moment_text(dt.datetime(2026, 9, 30, 18, 30), weekday=True)
        for col, width in (
            (EventsModel.COL_DATE, table.fontMetrics().horizontalAdvance(longest) + 16),
            (EventsModel.COL_KIND, 160),
            (EventsModel.COL_CITY, 120),
            (EventsModel.COL_ATTENDEES, 90),
        ):
            table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        return table

    def _build_empty(self) -> EmptyState:
        """Shown instead of the table when there are no events at all."""
        self.empty = EmptyState(
            self.tr("No events yet"),
            self.tr(
                "Add the networking events you go to: chamber of commerce evenings, chapter "
                "breakfasts, conferences. Then note who came, whom you met, and read the "
                "briefing before you go."
            ),
        )
        self.empty.add_action(self.tr("New Event…")).clicked.connect(self.new_event)
        return self.empty

    def _build_detail(self) -> QWidget:
        """The selected event: its heading and buttons above its attendance list."""
        panel = QWidget()
        self.event_title = QLabel()
        self.event_title.setObjectName("eventTitle")
        self.event_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.event_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.event_title.setFont(font)
        self.event_title.setWordWrap(True)
        self.event_info = QLabel()
        self.event_info.setObjectName("eventInfo")
        self.event_info.setTextFormat(Qt.TextFormat.PlainText)
        self.event_info.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editEvent")
        self.edit_button.clicked.connect(self.edit_event)
        self.briefing_button = QPushButton(self.tr("Open Briefing"))
        self.briefing_button.setObjectName("openBriefing")
        self.briefing_button.clicked.connect(self.open_briefing)
        self.postal_button = QPushButton(self.tr("Labels && Envelopes…"))
        self.postal_button.setObjectName("eventPostal")
        self.postal_button.setToolTip(self.tr("Address labels or envelopes for the attendees"))
        self.postal_button.clicked.connect(self.open_postal)

        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.event_title)
        titles.addWidget(self.event_info)
        heading.addLayout(titles, 1)
        heading.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.briefing_button, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.postal_button, 0, Qt.AlignmentFlag.AlignTop)
        self.attendees = AttendancePanel(self.ctx, overlay=self)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.attendees, 1)
        return panel

    # -- View -----------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Events")

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def refresh(self) -> None:
        keep = self.event_id
        self.model.load()
        has_any = bool(self.model.rows) or bool(events.list_events(period="all"))
        self.list_stack.setCurrentWidget(self.table if has_any else self.empty)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and self.model.rows:
            row = 0  # the soonest (or latest) event of the list: never an empty pane
        if row >= 0:
            self._select_row(row)
            self._show_detail(self.model.rows[row].id)
        else:
            self._show_detail(None)

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("events/splitter", self.splitter.saveState())
        s.setValue("events/header", self.table.horizontalHeader().saveState())
        s.setValue("events/attendanceHeader", self.attendees.header_state())
        s.setValue("events/period", self.model.period)

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        for key, restore in (
            ("events/splitter", self.splitter.restoreState),
            ("events/header", self.table.horizontalHeader().restoreState),
            ("events/attendanceHeader", self.attendees.restore_header),
        ):
            value = s.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        period = s.value("events/period", "upcoming")
        self._apply_period(str(period) if period in events.PERIODS else "upcoming")
        if not isinstance(s.value("events/splitter"), QByteArray):
            self.splitter.setSizes([260, 440])

    # -- the list ---------------------------------------------------------------------

    def set_period(self, period: str) -> None:
        if period != self.model.period:
            self._apply_period(period)
            self.refresh()

    def _apply_period(self, period: str) -> None:
        """Show ``period``'s events in its natural order (soonest or latest first)."""
        self.period_buttons[period].setChecked(True)
        self.model.period = period
        self.model.sort_column = EventsModel.COL_DATE
        self.model.descending = None
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the indicator only; the caller reloads once
        header.setSortIndicator(
            EventsModel.COL_DATE,
            Qt.SortOrder.DescendingOrder if period == "past" else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)
        header.viewport().update()

    def _search(self, text: str) -> None:
        self.model.search = text
        self.refresh()

    def _select_row(self, row: int) -> None:
        """Make ``row`` current without reloading the detail (the caller decides)."""
        index = self.model.index(row, EventsModel.COL_TITLE)
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
                | QItemSelectionModel.SelectionFlag.Current,
            )
        finally:
            self._selecting = False
        self.table.scrollTo(index)

    def _reselect(self) -> None:
        """After a reload or a re-sort, keep the event being worked on selected."""
        row = self.model.row_of(self.event_id) if self.event_id is not None else -1
        if row >= 0:
            self._select_row(row)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._selecting:
            self._show_detail(self.model.rows[current.row()].id)

    def show_event(self, event_id: int) -> None:
        """Select one event, switching period and clearing the search when they hide it."""
        try:
            event = events.get_event(event_id)
        except NotFoundError:
            self.ctx.gateway.show_error(self.tr("That event no longer exists"))
            return
        self.event_id = event_id
        period = "upcoming" if event.starts_at.date() >= clock.today() else "past"
        if self.model.period not in ("all", period):
            self._apply_period(period)
        if self.model.search and not any(
            r.id == event_id for r in events.list_events(self.model.search, period="all")
        ):
            self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(False)
            self.model.search = ""
        self.refresh()
        self._stale = False

    # -- the selected event ---------------------------------------------------------

    def _show_detail(self, event_id: int | None) -> None:
        self.event_id = event_id
        if event_id is None:
            self.attendees.show_event(None)
            self.detail_stack.setCurrentWidget(self.no_event)
            return
        try:
            event = events.get_event(event_id)
        except NotFoundError:
            self._show_detail(None)
            return
        self.detail_stack.setCurrentWidget(self.detail)
        self.event_title.setText(event.title)
        align_heading(self.event_title)
        # The language's own comma between venue and city (Arabic "،"), each isolated.
        if event.venue and event.city:
            place = self.tr("%1, %2").replace("%1", isolate(event.venue))
            place = place.replace("%2", isolate(event.city))
        else:
            place = isolate(event.venue or event.city)
        parts = [when_text(event.starts_at), kind_label(event.kind), place]
        if event.organizer:
            parts.append(self.tr("organized by %1").replace("%1", isolate(event.organizer)))
        self.event_info.setText(" · ".join(p for p in parts if p))
        align_heading(self.event_info)
        self.attendees.show_event(event_id)

    # -- actions ------------------------------------------------------------------------

    def make_dialog(self, event_id: int | None = None) -> EventDialog:
        """The editor for a new event (``None``) or an existing one; shown by the caller."""
        dialog = EventDialog(self.ctx, event_id, self)
        dialog.saved.connect(self.show_event)
        return dialog

    def new_event(self) -> None:
        self.make_dialog().open()

    def edit_event(self) -> None:
        if self.event_id is not None:
            self.make_dialog(self.event_id).open()

    def open_briefing(self) -> None:
        if self.event_id is not None:
            self.ctx.navigate.emit("briefing", self.event_id)

    def open_postal(self) -> None:
        """Labels or envelopes for the selected event's attendees."""
        if self.event_id is None:
            return
        from crm.gui.postal_dialog import open_postal

        what = self.tr("The attendees of %1").replace("%1", self.event_title.text())
        open_postal(self.ctx, self, {"event_id": self.event_id}, what)
