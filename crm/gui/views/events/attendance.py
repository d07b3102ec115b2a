"""The selected event's attendance list on the events page: reloading it and acting on it.

Adding people, ticking "Met", follow-ups for everyone met, removing, recording a
referral ask, and the list's context menu. :class:`AttendanceActions` is mixed
into :class:`crm.gui.views.events.page.EventsView`, which builds the widgets named
below; kept apart so the page's file holds the layout and the events list.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
)

from crm.core import asking, events, models
from crm.core.errors import ValidationError
from crm.gui.context import AppContext
from crm.gui.person_picker import PersonPicker
from crm.gui.views.events.models import AttendanceModel

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1b5e20;"


def tr(text: str) -> str:
    # The page's context, as self.tr() gives at run time: the words stay the page's.
    return QCoreApplication.translate("EventsView", text)


class AttendanceActions:
    """What the attendance list of the selected event does; a mixin for the events page."""

    # Built by the page (EventsView).
    ctx: AppContext
    event_id: int | None
    attendance: AttendanceModel
    attendance_table: QTableView
    picker: PersonPicker
    role_combo: QComboBox
    met_check: QCheckBox
    message: QLabel
    count_label: QLabel
    ask_button: QToolButton
    remove_button: QPushButton
    followups_button: QPushButton

    def _reload_attendance(self, select_contact: int | None = None) -> None:
        current = select_contact if select_contact is not None else self.selected_attendee()
        self.attendance.load(self.event_id)
        self.picker.on_list = {r["contact_id"] for r in self.attendance.rows}
        met = sum(1 for r in self.attendance.rows if r["met_in_person"])
        total = len(self.attendance.rows)
        if total == 0:
            self.count_label.setText(tr("Nobody on the list yet"))
        else:
            self.count_label.setText(
                tr("%1 on the list, %2 met in person")
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
        added = att.contact_id
        name = att.contact.display_name
        self.picker.clear()
        self.picker.hide_popup()
        self.picker.setFocus()
        if contact_id:
            self.say(tr("Added %1").replace("%1", name))
        else:
            self.say(tr("Created %1 as a new contact and added them").replace("%1", name))
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
            self.say(tr("Met %1: a follow-up was added").replace("%1", name))
        elif met:
            self.say(tr("Met %1").replace("%1", name))
        else:
            self.say(tr("Not met %1 in person").replace("%1", name))
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
            self.say(tr("Everyone you met already has a follow-up"))
        elif created == 1:
            self.say(tr("Created 1 follow-up"))
        else:
            self.say(tr("Created %1 follow-ups").replace("%1", str(created)))
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
        self.say(tr("Removed %1 from the list").replace("%1", name))
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
            tr("Recorded: %1 was asked for referrals today").replace(
                "%1", self._name_of(contact_id)
            )
        )
        self._reload_attendance(select_contact=contact_id)
        self.ctx.changed("contacts")
        return True

    def confirm(self, text: str) -> bool:
        """Ask the user a yes/no question (tests replace this)."""
        answer = QMessageBox.question(self, tr("Record Referral Ask"), text)
        return answer == QMessageBox.StandardButton.Yes

    def record_ask_anyway(self) -> bool:
        contact_id = self.selected_attendee()
        if contact_id is None:
            return False
        status = asking.ask_status(contact_id)
        if not status.ok and not self.confirm(
            tr(
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
        menu.addAction(tr("Open Contact"), lambda: self.ctx.navigate.emit("contact", contact_id))
        menu.addAction(
            tr("Show Referral Chain"), lambda: self.ctx.navigate.emit("chain", contact_id)
        )
        menu.addSeparator()
        menu.addAction(tr("Record Referral Ask"), lambda: self.record_ask())
        menu.addAction(tr("Record Ask Anyway…"), self.record_ask_anyway)
        menu.addSeparator()
        menu.addAction(tr("Remove from List"), self.remove_attendee)
        menu.popup(self.attendance_table.viewport().mapToGlobal(pos))
