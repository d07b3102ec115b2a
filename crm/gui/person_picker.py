"""Adding a person by typing: a line edit whose matching contacts drop down as you type."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from crm.core import contacts
from crm.gui.views.events.dialog import isolate, join_data


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

    def keyPressEvent(self, event: QKeyEvent) -> None:
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

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Clicking a suggestion does not take the focus (the list has none to take).
        self.popup.hide()
        super().focusOutEvent(event)

    def event(self, e: QEvent) -> bool:
        # Tab would leave with the list still showing; Qt handles Tab before keyPressEvent.
        if e.type() == QEvent.Type.KeyPress and e.key() == Qt.Key.Key_Tab:  # type: ignore[attr-defined]
            self.popup.hide()
        return super().event(e)
