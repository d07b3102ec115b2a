"""Events: upcoming and past, the editor, attendance added fast; the briefing lives beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.core import asking, contacts, events, models
from crm.core.errors import ValidationError
from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.views.briefing import BriefingView, ask_colors, ask_text
from crm.gui.views.event_dialog import (
    EventDialog,
    align_heading,
    cell,
    isolate,
    join_data,
    kind_label,
    role_label,
    when_text,
)
from crm.gui.widgets import EmptyState, SearchBox

__all__ = ["BriefingView", "EventsView"]

Index = QModelIndex | QPersistentModelIndex

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1b5e20;"


# -- the events table -------------------------------------------------------------


class EventsModel(QAbstractTableModel):
    """Events of one period with their attendee counts, sorted and filtered by the core."""

    COL_DATE, COL_TITLE, COL_KIND, COL_VENUE, COL_CITY, COL_ATTENDEES = range(6)
    SORT_KEYS = ("starts_at", "title", "kind", "venue", "city", "attendees")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[events.EventRow] = []
        self.search = ""
        self.period = "upcoming"
        self.sort_column = self.COL_DATE
        self.descending: bool | None = None  # None: the period's natural order
        self.loaded = False  # nothing is read before the page is first shown

    def headers(self) -> list[str]:
        return [
            self.tr("Date"),
            self.tr("Title"),
            self.tr("Kind"),
            self.tr("Venue"),
            self.tr("City"),
            self.tr("Attendees"),
        ]

    def load(self) -> None:
        self.loaded = True
        self.beginResetModel()
        self.rows = events.list_events(
            self.search,
            period=self.period,
            sort=self.SORT_KEYS[self.sort_column],
            descending=self.descending,
        )
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.SORT_KEYS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_DATE:
                return when_text(row.starts_at)
            if col == self.COL_TITLE:
                return cell(row.title)
            if col == self.COL_KIND:
                return kind_label(row.kind)
            if col == self.COL_VENUE:
                return cell(row.venue)
            if col == self.COL_CITY:
                return cell(row.city)
            if col == self.COL_ATTENDEES:
                return str(row.attendees)
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_ATTENDEES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TITLE and row.organizer:
            return self.tr("Organized by %1").replace("%1", row.organizer)
        elif role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.loaded:
            self.load()

    def row_of(self, event_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == event_id), -1)


# -- the attendance list ------------------------------------------------------------


class AttendanceModel(QAbstractTableModel):
    """Who is on one event's list; ticking "Met" asks the view to record it."""

    COL_NAME, COL_ORGANIZATION, COL_ROLE, COL_MET, COL_ASK = range(5)
    met_toggled = Signal(int, bool)  # contact id, met in person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def load(self, event_id: int | None) -> None:
        self.beginResetModel()
        self.rows = events.attendance_list(event_id) if event_id is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                self.tr("Name"),
                self.tr("Organization"),
                self.tr("Role"),
                self.tr("Met"),
                self.tr("Referral ask"),
            ][section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_MET:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        ask: asking.AskStatus = row["ask"]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return cell(row["name"]) + (self.tr(" (archived)") if row["archived"] else "")
            if col == self.COL_ORGANIZATION:
                return cell(row["organization"])
            if col == self.COL_ROLE:
                return role_label(row["role"])
            if col == self.COL_ASK:
                return ask_text(ask.ok, ask.days_since)
        elif role == Qt.ItemDataRole.CheckStateRole and col == self.COL_MET:
            return Qt.CheckState.Checked if row["met_in_person"] else Qt.CheckState.Unchecked
        elif role == Qt.ItemDataRole.ForegroundRole and col == self.COL_ASK:
            return QColor(ask_colors(ask.ok)[0])
        elif role == Qt.ItemDataRole.BackgroundRole and col == self.COL_ASK and not ask.ok:
            return QColor(ask_colors(ask.ok)[1])
        elif role == Qt.ItemDataRole.ToolTipRole and col == self.COL_ASK and ask.ok_from:
            return (
                self.tr("Last asked on %1; fine to ask again from %2")
                .replace("%1", ask.last_asked.isoformat() if ask.last_asked else "")
                .replace("%2", ask.ok_from.isoformat())
            )
        elif role == Qt.ItemDataRole.UserRole:
            return row["contact_id"]
        return None

    def setData(self, index: Index, value: Any, role=Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and index.column() == self.COL_MET
            and role == Qt.ItemDataRole.CheckStateRole
        ):
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.met_toggled.emit(self.rows[index.row()]["contact_id"], checked)
            return True
        return False

    def row_of(self, contact_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["contact_id"] == contact_id), -1)


class PersonPicker(QLineEdit):
    """Type a name: matching contacts drop down as you type, Enter picks the highlighted one.

    The list is a plain child widget laid over the page (not a popup window),
    so the keyboard stays in the line edit: Up/Down move, Enter picks, Escape
    closes. The last row offers to create a new contact with the typed name.
    """

    picked = Signal(int, str)  # contact id (0: a new contact named by the text), the text
    LIMIT = 8

    def __init__(self, overlay: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendeePicker")
        self.setPlaceholderText(self.tr("Add attendee: type a name, then Enter"))
        self.setClearButtonEnabled(True)
        self.overlay = overlay
        self.on_list: set[int] = set()  # people already on the event's list
        self.popup = QListWidget(overlay)
        self.popup.setObjectName("attendeeSuggestions")
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.itemClicked.connect(lambda _item: self.pick())
        self.popup.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self.update_suggestions)
        self.textEdited.connect(lambda _t: self._timer.start())

    def flush(self) -> None:
        """Search now for what was typed (Enter, and tests)."""
        if self._timer.isActive():
            self._timer.stop()
            self.update_suggestions()

    def update_suggestions(self) -> None:
        text = self.text().strip()
        self.popup.clear()
        if not text:
            self.popup.hide()
            return
        for cid, given, family, org, _email, _phone, city, _stage in contacts.list_rows(
            text, limit=self.LIMIT
        ):
            name = isolate(f"{given} {family}".strip())
            details = join_data([org, city], " · ")
            label = f"{name} — {details}" if details else name
            if cid in self.on_list:
                label += "  " + self.tr("(already on the list)")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            if cid in self.on_list:
                item.setForeground(self.palette().placeholderText())
            self.popup.addItem(item)
        new = QListWidgetItem(
            "+ " + self.tr("New contact “%1”").replace("%1", isolate(" ".join(text.split())))
        )
        new.setData(Qt.ItemDataRole.UserRole, 0)
        font = new.font()
        font.setItalic(True)
        new.setFont(font)
        self.popup.addItem(new)
        self.popup.setCurrentRow(0)
        self._place_popup()
        self.popup.show()
        self.popup.raise_()

    def _place_popup(self) -> None:
        rows = self.popup.count()
        height = self.popup.sizeHintForRow(0) * rows + 2 * self.popup.frameWidth() + 2
        width = max(self.width(), 380)
        below = self.mapTo(self.overlay, QPoint(0, self.height()))
        x = below.x()
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            x = below.x() + self.width() - width
        x = max(0, min(x, self.overlay.width() - width))
        self.popup.setGeometry(x, below.y(), width, height)

    def current_choice(self) -> tuple[int, str] | None:
        item = self.popup.currentItem() if self.popup.isVisible() else None
        if item is None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole)), self.text().strip()

    def pick(self) -> None:
        self.flush()
        if not self.text().strip():
            return
        if not self.popup.isVisible():
            self.update_suggestions()
        choice = self.current_choice()
        if choice is not None:
            self.picked.emit(*choice)

    def hide_popup(self) -> None:
        self._timer.stop()
        self.popup.hide()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.pick()
            event.accept()
            return
        if self.popup.isVisible() and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = (self.popup.currentRow() + step) % max(self.popup.count(), 1)
            self.popup.setCurrentRow(row)
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.popup.isVisible():
            self.hide_popup()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        # Clicking a suggestion does not take the focus (the list has none to take).
        self.popup.hide()
        super().focusOutEvent(event)

    def event(self, e: QEvent) -> bool:
        # Tab would leave with the list still showing; Qt handles Tab before keyPressEvent.
        if e.type() == QEvent.Type.KeyPress and e.key() == Qt.Key.Key_Tab:  # type: ignore[attr-defined]
            self.popup.hide()
        return super().event(e)


# -- the page -------------------------------------------------------------------------------


class EventsView(View):
    """Upcoming and past events, the selected event's attendance, and quick adding."""

    depends_on = ("events", "contacts")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.event_id: int | None = None
        self._shown_event: int | None = None

        # Top bar: period, search, new event.
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

        # The events table, or an empty state when there are none at all.
        self.model = EventsModel(self)
        self.table = QTableView()
        self.table.setObjectName("eventsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSortIndicator(
            EventsModel.COL_DATE, Qt.SortOrder.AscendingOrder
        )
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self._selecting = False
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._reselect)
        self.table.doubleClicked.connect(lambda _i: self.edit_event())
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # Title and venue share what is left, so a narrow window squeezes neither to nothing.
        header.setSectionResizeMode(EventsModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EventsModel.COL_VENUE, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (EventsModel.COL_DATE, 150),
            (EventsModel.COL_KIND, 160),
            (EventsModel.COL_CITY, 120),
            (EventsModel.COL_ATTENDEES, 90),
        ):
            self.table.setColumnWidth(col, width)
        self.empty = EmptyState(
            self.tr("No events yet"),
            self.tr(
                "Add the networking events you go to: chamber of commerce evenings, chapter "
                "breakfasts, conferences. Then note who came, whom you met, and read the "
                "briefing before you go."
            ),
        )
        self.empty.add_action(self.tr("New Event…")).clicked.connect(self.new_event)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

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

    def _build_detail(self) -> QWidget:
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
        self.followups_button = QPushButton(self.tr("Create Follow-ups for Everyone I Met"))
        self.followups_button.setObjectName("followupsForMet")
        self.followups_button.clicked.connect(self.followups_for_everyone_met)

        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.event_title)
        titles.addWidget(self.event_info)
        heading.addLayout(titles, 1)
        heading.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.briefing_button, 0, Qt.AlignmentFlag.AlignTop)

        # Adding attendees: name, role, met, Add, all from the keyboard.
        self.picker = PersonPicker(self)
        self.picker.picked.connect(self.add_attendee)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("attendeeRole")
        for code in models.ATTENDANCE_ROLES:
            self.role_combo.addItem(role_label(code), code)
        self.role_combo.setCurrentIndex(self.role_combo.findData("visitor"))
        self.met_check = QCheckBox(self.tr("Met in person"))
        self.met_check.setObjectName("attendeeMet")
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addAttendee")
        self.add_button.clicked.connect(self.picker.pick)
        adding = QHBoxLayout()
        adding.addWidget(self.picker, 1)
        adding.addWidget(self.role_combo)
        adding.addWidget(self.met_check)
        adding.addWidget(self.add_button)

        self.message = QLabel()
        self.message.setObjectName("attendanceMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.attendance = AttendanceModel(self)
        self.attendance.met_toggled.connect(self.set_met)
        self.attendance_table = QTableView()
        self.attendance_table.setObjectName("attendanceTable")
        self.attendance_table.setModel(self.attendance)
        self.attendance_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attendance_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attendance_table.setAlternatingRowColors(True)
        self.attendance_table.setWordWrap(False)
        self.attendance_table.verticalHeader().hide()
        self.attendance_table.doubleClicked.connect(self._attendee_double_clicked)
        self.attendance_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.attendance_table.customContextMenuRequested.connect(self._attendee_menu)
        att_header = self.attendance_table.horizontalHeader()
        att_header.setSectionResizeMode(AttendanceModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (AttendanceModel.COL_ORGANIZATION, 220),
            (AttendanceModel.COL_ROLE, 100),
            (AttendanceModel.COL_MET, 60),
            (AttendanceModel.COL_ASK, 150),
        ):
            self.attendance_table.setColumnWidth(col, width)
        self.attendance_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        remove_action = QAction(self.tr("Remove from List"), self.attendance_table)
        remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(self.remove_attendee)
        self.attendance_table.addAction(remove_action)

        self.ask_button = QToolButton()
        self.ask_button.setObjectName("recordAsk")
        self.ask_button.setText(self.tr("Record Referral Ask"))
        self.ask_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.ask_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.ask_button.clicked.connect(lambda: self.record_ask())
        ask_menu = QMenu(self.ask_button)
        self.ask_anyway_action = ask_menu.addAction(self.tr("Record Ask Anyway…"))
        self.ask_anyway_action.triggered.connect(self.record_ask_anyway)
        self.ask_button.setMenu(ask_menu)
        self.remove_button = QPushButton(self.tr("Remove from List"))
        self.remove_button.setObjectName("removeAttendee")
        self.remove_button.clicked.connect(self.remove_attendee)
        self.count_label = QLabel()
        self.count_label.setObjectName("attendeeCount")
        below = QHBoxLayout()
        below.addWidget(self.count_label)
        below.addStretch(1)
        below.addWidget(self.followups_button)
        below.addWidget(self.ask_button)
        below.addWidget(self.remove_button)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(heading)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        layout.addWidget(self.attendance_table, 1)
        layout.addLayout(below)
        self.message.hide()
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
        s.setValue("events/attendanceHeader", self.attendance_table.horizontalHeader().saveState())
        s.setValue("events/period", self.model.period)

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        for key, target in (
            ("events/splitter", self.splitter),
            ("events/header", self.table.horizontalHeader()),
            ("events/attendanceHeader", self.attendance_table.horizontalHeader()),
        ):
            value = s.value(key)
            if isinstance(value, QByteArray):
                target.restoreState(value)
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
        event = models.Event.get_or_none(models.Event.id == event_id)
        if event is None:
            self.ctx.gateway.show_error(self.tr("That event no longer exists"))
            return
        self.event_id = event_id
        period = "upcoming" if event.starts_at.date() >= dt.date.today() else "past"
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
            self._shown_event = None
            self.attendance.load(None)
            self.detail_stack.setCurrentWidget(self.no_event)
            self.picker.hide_popup()
            return
        event = models.Event.get_or_none(models.Event.id == event_id)
        if event is None:
            self._show_detail(None)
            return
        if event_id != self._shown_event:
            # Another event: forget what was being typed for the last one.
            self.picker.clear()
            self.picker.hide_popup()
            self.message.hide()
        self._shown_event = event_id
        self.detail_stack.setCurrentWidget(self.detail)
        self.event_title.setText(event.title)
        align_heading(self.event_title)
        place = join_data([event.venue, event.city], ", ")
        parts = [when_text(event.starts_at), kind_label(event.kind), place]
        if event.organizer:
            parts.append(self.tr("organized by %1").replace("%1", isolate(event.organizer)))
        self.event_info.setText(" · ".join(p for p in parts if p))
        align_heading(self.event_info)
        self._reload_attendance()

    def _reload_attendance(self, select_contact: int | None = None) -> None:
        current = select_contact if select_contact is not None else self.selected_attendee()
        self.attendance.load(self.event_id)
        self.picker.on_list = {r["contact_id"] for r in self.attendance.rows}
        met = sum(1 for r in self.attendance.rows if r["met_in_person"])
        total = len(self.attendance.rows)
        if total == 0:
            self.count_label.setText(self.tr("Nobody on the list yet"))
        else:
            self.count_label.setText(
                self.tr("%1 on the list, %2 met in person")
                .replace("%1", str(total))
                .replace("%2", str(met))
            )
        if current is not None:
            row = self.attendance.row_of(current)
            if row >= 0:
                self.attendance_table.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_attendee() is not None
        self.ask_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.followups_button.setEnabled(any(r["met_in_person"] for r in self.attendance.rows))

    def selected_attendee(self) -> int | None:
        index = self.attendance_table.currentIndex()
        rows = self.attendance_table.selectionModel().selectedRows()
        if not rows or not index.isValid() or index.row() >= len(self.attendance.rows):
            return None
        return int(self.attendance.rows[index.row()]["contact_id"])

    def _name_of(self, contact_id: int) -> str:
        row = self.attendance.row_of(contact_id)
        return str(self.attendance.rows[row]["name"]) if row >= 0 else ""

    def say(self, text: str, error: bool = False) -> None:
        """A line under the add row: what just happened, or why it was refused."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.show()
        window = self.window()
        status = getattr(window, "statusBar", None)
        if status is not None and not error:
            status().showMessage(text, 6000)

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

    def add_attendee(self, contact_id: int, text: str) -> None:
        """Put the picked person (or a new contact named ``text``) on the list."""
        if self.event_id is None:
            return
        role = str(self.role_combo.currentData())
        met = self.met_check.isChecked()
        try:
            if contact_id:
                att = events.attend(self.event_id, contact_id, role=role, met_in_person=met)
            else:
                att = events.add_new_attendee(self.event_id, text, role=role, met_in_person=met)
        except ValidationError as exc:
            self.picker.hide_popup()
            self.say(exc.message, error=True)
            return
        added = att.contact_id
        name = att.contact.display_name
        self.picker.clear()
        self.picker.hide_popup()
        self.picker.setFocus()
        if contact_id:
            self.say(self.tr("Added %1").replace("%1", name))
        else:
            self.say(self.tr("Created %1 as a new contact and added them").replace("%1", name))
        self._reload_attendance(select_contact=added)
        self.ctx.changed("events")
        if met:
            self.ctx.changed("followups")
        if not contact_id:
            self.ctx.changed("contacts")

    def set_met(self, contact_id: int, met: bool) -> None:
        if self.event_id is None:
            return
        f = models.FollowUp
        before = f.select().where((f.contact == contact_id) & (f.event == self.event_id)).count()
        try:
            events.set_met(self.event_id, contact_id, met)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        after = f.select().where((f.contact == contact_id) & (f.event == self.event_id)).count()
        name = self._name_of(contact_id)
        if after > before:
            self.say(self.tr("Met %1: a follow-up was added").replace("%1", name))
        elif met:
            self.say(self.tr("Met %1").replace("%1", name))
        else:
            self.say(self.tr("Not met %1 in person").replace("%1", name))
        self._reload_attendance(select_contact=contact_id)
        self.ctx.changed("events")
        self.ctx.changed("followups")

    def followups_for_everyone_met(self) -> None:
        if self.event_id is None:
            return
        try:
            created = events.followups_for_everyone_met(self.event_id)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        if created == 0:
            self.say(self.tr("Everyone you met already has a follow-up"))
        elif created == 1:
            self.say(self.tr("Created 1 follow-up"))
        else:
            self.say(self.tr("Created %1 follow-ups").replace("%1", str(created)))
        if created:
            self.ctx.changed("followups")

    def remove_attendee(self) -> None:
        contact_id = self.selected_attendee()
        if self.event_id is None or contact_id is None:
            return
        name = self._name_of(contact_id)
        try:
            events.remove_attendee(self.event_id, contact_id)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return
        self.say(self.tr("Removed %1 from the list").replace("%1", name))
        self._reload_attendance()
        self.ctx.changed("events")
        self.ctx.changed("followups")

    def record_ask(self, force: bool = False) -> bool:
        """Record that the selected attendee was asked for a referral today."""
        contact_id = self.selected_attendee()
        if contact_id is None:
            return False
        try:
            asking.record_ask(contact_id, force=force)
        except ValidationError as exc:
            self.ctx.gateway.show_error(exc.message)
            return False
        self.say(
            self.tr("Recorded: %1 was asked for referrals today").replace(
                "%1", self._name_of(contact_id)
            )
        )
        self._reload_attendance(select_contact=contact_id)
        self.ctx.changed("contacts")
        return True

    def confirm(self, text: str) -> bool:
        """Ask the user a yes/no question (tests replace this)."""
        answer = QMessageBox.question(self, self.tr("Record Referral Ask"), text)
        return answer == QMessageBox.StandardButton.Yes

    def record_ask_anyway(self) -> bool:
        contact_id = self.selected_attendee()
        if contact_id is None:
            return False
        status = asking.ask_status(contact_id)
        if not status.ok and not self.confirm(
            self.tr(
                "%1 was asked for referrals %2 days ago, inside the %3-day cooldown. "
                "Record another ask anyway?"
            )
            .replace("%1", self._name_of(contact_id))
            .replace("%2", str(status.days_since))
            .replace("%3", str(status.cooldown_days))
        ):
            return False
        return self.record_ask(force=True)

    def _attendee_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() != AttendanceModel.COL_MET:
            self.ctx.navigate.emit("contact", int(self.attendance.rows[index.row()]["contact_id"]))

    def _attendee_menu(self, pos: QPoint) -> None:
        index = self.attendance_table.indexAt(pos)
        if not index.isValid():
            return
        contact_id = int(self.attendance.rows[index.row()]["contact_id"])
        menu = QMenu(self)
        menu.addAction(
            self.tr("Open Contact"), lambda: self.ctx.navigate.emit("contact", contact_id)
        )
        menu.addAction(
            self.tr("Show Referral Chain"), lambda: self.ctx.navigate.emit("chain", contact_id)
        )
        menu.addSeparator()
        menu.addAction(self.tr("Record Referral Ask"), lambda: self.record_ask())
        menu.addAction(self.tr("Record Ask Anyway…"), self.record_ask_anyway)
        menu.addSeparator()
        menu.addAction(self.tr("Remove from List"), self.remove_attendee)
        menu.popup(self.attendance_table.viewport().mapToGlobal(pos))
