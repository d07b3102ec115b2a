"""The selected event's attendance on the events page: adding people, and acting on the list.

:class:`AttendancePanel` is a child widget of
:class:`crm.gui.views.events.page.EventsView`: the page tells it which event to show
(:meth:`AttendancePanel.show_event`) and it reports what the list did through
``ctx`` (changes and links) like any page.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm.core import asking, events, models
from crm.core.errors import ValidationError
from crm.gui.context import AppContext
from crm.gui.person_picker import PersonPicker
from crm.gui.views.events.dialog import role_label
from crm.gui.views.events.models import AttendanceModel
from crm.gui.widgets import ask, select_row

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1b5e20;"


class AttendancePanel(QWidget):
    """One event's list: who came, whom we met, referral asks; and adding people to it."""

    def __init__(self, ctx: AppContext, overlay: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_id: int | None = None
        self.model = AttendanceModel(self)
        self.model.met_toggled.connect(self.set_met)
        # The name suggestions float over ``overlay`` (the page), not only over this panel.
        self.picker = PersonPicker(
            self.tr("Add attendee: type a name, then Enter"), overlay=overlay, adds=True, limit=8
        )
        self.picker.setObjectName("attendeePicker")
        self.picker.picked.connect(self.add_attendee)
        self.message = QLabel()
        self.message.setObjectName("attendanceMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_adding())
        layout.addWidget(self.message)
        layout.addWidget(self._build_table(), 1)
        layout.addLayout(self._build_below())

    def _build_adding(self) -> QHBoxLayout:
        """Adding attendees: name, role, met, Add, all from the keyboard."""
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
        return adding

    def _build_table(self) -> QTableView:
        table = self.table = QTableView()
        table.setObjectName("attendanceTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.doubleClicked.connect(self._double_clicked)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        header = table.horizontalHeader()
        header.setSectionResizeMode(AttendanceModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (AttendanceModel.COL_ORGANIZATION, 220),
            (AttendanceModel.COL_ROLE, 100),
            (AttendanceModel.COL_MET, 60),
            (AttendanceModel.COL_ASK, 150),
        ):
            # Never narrower than the heading: "Met" is "Incontrati di persona" in Italian.
            table.setColumnWidth(col, max(width, header.sectionSizeHint(col)))
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        remove_action = QAction(self.tr("Remove from List"), table)
        remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(self.remove_attendee)
        table.addAction(remove_action)
        return table

    def _build_below(self) -> QVBoxLayout:
        """The count, then follow-ups for everyone met, the referral ask and Remove."""
        self.count_label = QLabel()
        self.count_label.setObjectName("attendeeCount")
        # Wraps rather than push the three buttons past a small screen in longer languages.
        self.count_label.setWordWrap(True)
        self.followups_button = QPushButton(self.tr("Create Follow-ups for Everyone I Met"))
        self.followups_button.setObjectName("followupsForMet")
        self.followups_button.clicked.connect(self.followups_for_everyone_met)
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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.followups_button)
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.remove_button)
        # The count on a line of its own: beside the buttons, a narrow window in a long
        # language squeezed it into a column of single words.
        below = QVBoxLayout()
        below.addWidget(self.count_label)
        below.addLayout(buttons)
        return below

    # -- what the page asks of it -------------------------------------------------------

    def show_event(self, event_id: int | None) -> None:
        """Show ``event_id``'s list (None: nothing); another event forgets what was typed."""
        if event_id is None or event_id != self.event_id:
            self.picker.clear()
            self.picker.hide_popup()
            self.message.hide()
        self.event_id = event_id
        if event_id is None:
            self.model.load(None)
        else:
            self.reload()

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header(self, state: QByteArray) -> None:
        self.table.horizontalHeader().restoreState(state)

    # -- the list -------------------------------------------------------------------------

    def reload(self, select_contact: int | None = None) -> None:
        current = select_contact if select_contact is not None else self.selected_attendee()
        self.model.load(self.event_id)
        self.picker.on_list = {r["contact_id"] for r in self.model.rows}
        met = sum(1 for r in self.model.rows if r["met_in_person"])
        total = len(self.model.rows)
        if total == 0:
            self.count_label.setText(self.tr("Nobody on the list yet"))
        else:
            self.count_label.setText(
                self.tr("%1 on the list, %2 met in person")
                .replace("%1", str(total))
                .replace("%2", str(met))
            )
        if current is not None:
            row = self.model.row_of(current)
            if row >= 0:
                select_row(self.table, row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_attendee() is not None
        self.ask_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.followups_button.setEnabled(any(r["met_in_person"] for r in self.model.rows))

    def selected_attendee(self) -> int | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if not rows or not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return int(self.model.rows[index.row()]["contact_id"])

    def _name_of(self, contact_id: int) -> str:
        row = self.model.row_of(contact_id)
        return str(self.model.rows[row]["name"]) if row >= 0 else ""

    def say(self, text: str, error: bool = False) -> None:
        """A line under the add row: what just happened, or why it was refused."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.show()
        window = self.window()
        if isinstance(window, QMainWindow) and not error:
            window.statusBar().showMessage(text, 6000)

    def _refused(self, exc: ValidationError) -> None:
        self.ctx.gateway.show_error(exc.message)

    # -- acting on the list ------------------------------------------------------------

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
        name = att.contact.display_name
        self.picker.clear()
        self.picker.hide_popup()
        self.picker.setFocus()
        if contact_id:
            self.say(self.tr("Added %1").replace("%1", name))
        else:
            self.say(self.tr("Created %1 as a new contact and added them").replace("%1", name))
        self.reload(select_contact=att.contact_id)
        self.ctx.changed("events")
        if met:
            self.ctx.changed("followups")
        if not contact_id:
            self.ctx.changed("contacts")

    def set_met(self, contact_id: int, met: bool) -> None:
        if self.event_id is None:
            return
        try:
            made = events.record_met(self.event_id, contact_id, met)
        except ValidationError as exc:
            self._refused(exc)
            return
        name = self._name_of(contact_id)
        if made is not None:
            self.say(self.tr("Met %1: a follow-up was added").replace("%1", name))
        elif met:
            self.say(self.tr("Met %1").replace("%1", name))
        else:
            self.say(self.tr("Not met %1 in person").replace("%1", name))
        self.reload(select_contact=contact_id)
        self.ctx.changed("events")
        self.ctx.changed("followups")

    def followups_for_everyone_met(self) -> None:
        if self.event_id is None:
            return
        try:
            created = events.followups_for_everyone_met(self.event_id)
        except ValidationError as exc:
            self._refused(exc)
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
            self._refused(exc)
            return
        self.say(self.tr("Removed %1 from the list").replace("%1", name))
        self.reload()
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
            self._refused(exc)
            return False
        name = self._name_of(contact_id)
        self.say(self.tr("Recorded: %1 was asked for referrals today").replace("%1", name))
        self.reload(select_contact=contact_id)
        self.ctx.changed("contacts")
        return True

    def confirm(self, text: str) -> bool:
        """Ask the user a yes/no question (tests replace this)."""
        return ask(self, self.tr("Record Referral Ask"), text)

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

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() != AttendanceModel.COL_MET:
            self.ctx.navigate.emit("contact", int(self.model.rows[index.row()]["contact_id"]))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        contact_id = int(self.model.rows[index.row()]["contact_id"])
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
        menu.popup(self.table.viewport().mapToGlobal(pos))
