"""Picking a person by typing: a line edit whose matching contacts drop down as you type.

One widget for every place that names a contact: the referral dialog's giver and
referred person, the filters of the Referrals and Rewards pages, the chain's
"show the chain of…", the friend who redeems a voucher, and an event's attendees.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from crm.core import contacts
from crm.gui.formatting import isolate, join_data

ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class PersonPicker(QLineEdit):
    """Type part of a name: matching contacts drop down, Enter or a click picks one.

    The list is a plain child widget laid over the window (not a popup window),
    so the keyboard stays in the line edit: Up/Down move, Enter picks, Escape
    closes. Candidates come from the core's folded search.

    By default the picker is a field holding one contact: ``contact_id`` (``None``
    until one is picked; typing again clears it) with the contact's name shown.
    With ``adds=True`` it is a box for adding people: each pick is only reported,
    and the last row offers a new contact named by the text.
    """

    # A contact id and its name; (0, "") when a field's choice was cleared, and
    # (0, typed text) when an adding box's "new contact" row was picked.
    picked = Signal(int, str)

    def __init__(
        self,
        placeholder: str = "",
        parent: QWidget | None = None,
        *,
        overlay: QWidget | None = None,
        adds: bool = False,
        limit: int = 12,
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.adds, self.limit = adds, limit
        self.contact_id: int | None = None
        self.on_list: set[int] = set()  # people an adding box marks "already on the list"
        self._overlay = overlay
        # Laid over the window when first shown (a dialog's picker has no overlay given).
        self.popup = QListWidget(overlay or self)
        self.popup.setObjectName("personSuggestions")
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.itemClicked.connect(lambda _item: self.pick())
        self.popup.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60 if adds else 120)
        self._timer.timeout.connect(self.update_suggestions)
        self.textEdited.connect(self._edited)

    # -- the candidates ---------------------------------------------------------------

    def _edited(self, _text: str) -> None:
        if self.contact_id is not None:
            self.contact_id = None
            self.picked.emit(0, "")
        self._timer.start()

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
        col = {name: i for i, name in enumerate(contacts.ROW_COLUMNS)}
        for row in contacts.list_rows(text, limit=self.limit):
            cid = row[col["id"]]
            name = " ".join(p for p in (row[col["given_name"]], row[col["family_name"]]) if p)
            self.popup.addItem(self._item(cid, name, [row[col["organization"]], row[col["city"]]]))
        if self.adds:
            self.popup.addItem(self._new_contact_item(text))
        if not self.popup.count():
            self.popup.hide()
            return
        self.popup.setCurrentRow(0)
        self._place_popup()
        self.popup.show()
        self.popup.raise_()

    def _item(self, cid: int, name: str, details: list[str]) -> QListWidgetItem:
        extra = join_data(details, " · ")
        label = f"{isolate(name)} — {extra}" if extra else isolate(name)
        if cid in self.on_list:
            label += "  " + self.tr("(already on the list)")
        item = QListWidgetItem(label)
        item.setData(ID_ROLE, cid)
        item.setData(NAME_ROLE, name)
        if cid in self.on_list:
            item.setForeground(self.palette().placeholderText())
        return item

    def _new_contact_item(self, text: str) -> QListWidgetItem:
        words = " ".join(text.split())
        item = QListWidgetItem("+ " + self.tr("New contact “%1”").replace("%1", isolate(words)))
        item.setData(ID_ROLE, 0)
        item.setData(NAME_ROLE, words)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        return item

    def _place_popup(self) -> None:
        # Over the window, below the field; above it when the window has no room below.
        overlay = self._overlay or self.window()
        if self.popup.parentWidget() is not overlay:
            self.popup.setParent(overlay)
        rows = self.popup.count()
        height = self.popup.sizeHintForRow(0) * rows + 2 * self.popup.frameWidth() + 2
        width = max(self.width(), 380)
        below = self.mapTo(overlay, QPoint(0, self.height()))
        y = below.y()
        if y + height > overlay.height() and below.y() - self.height() - height >= 0:
            y = below.y() - self.height() - height
        x = below.x()
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            x = below.x() + self.width() - width
        x = max(0, min(x, overlay.width() - width))
        self.popup.setGeometry(x, y, width, height)

    def candidates(self) -> list[tuple[int, str]]:
        """The contacts offered for what was typed: (id, name)."""
        items = (self.popup.item(i) for i in range(self.popup.count()))
        return [(i.data(ID_ROLE), i.data(NAME_ROLE)) for i in items if i.data(ID_ROLE)]

    # -- picking --------------------------------------------------------------------------

    def current_choice(self) -> tuple[int, str] | None:
        item = self.popup.currentItem() if self.popup.isVisible() else None
        if item is None:
            return None
        return int(item.data(ID_ROLE)), str(item.data(NAME_ROLE))

    def choose(self, row: int = 0) -> None:
        """Pick the candidate on ``row`` (what Enter on that row does)."""
        item = self.popup.item(row)
        if item is not None:
            self._take(int(item.data(ID_ROLE)), str(item.data(NAME_ROLE)))

    def pick(self) -> None:
        """Take the highlighted row, searching first if the list is not up yet."""
        self.flush()
        if not self.text().strip():
            return
        if not self.popup.isVisible():
            self.update_suggestions()
        choice = self.current_choice()
        if choice is not None:
            self._take(*choice)

    def _take(self, contact_id: int, name: str) -> None:
        if self.adds:
            self.picked.emit(contact_id, self.text().strip())
        else:
            self.set_contact(contact_id, name)

    def set_contact(self, contact_id: int | None, name: str = "") -> None:
        """Hold ``contact_id`` (shown as ``name``), or nobody."""
        self.hide_popup()
        self.contact_id = contact_id
        self.setText(name if contact_id is not None else "")
        self.setCursorPosition(0)
        self.picked.emit(contact_id or 0, name if contact_id is not None else "")

    def clear_contact(self) -> None:
        self.set_contact(None)

    def hide_popup(self) -> None:
        self._timer.stop()
        self.popup.hide()

    # -- keys and focus -----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._enter(event)
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

    def _enter(self, event: QKeyEvent) -> None:
        if self.adds:
            self.pick()
            event.accept()
            return
        self.flush()
        if self.current_choice() is None:
            super().keyPressEvent(event)  # returnPressed; the dialog's default button
            return
        self.pick()
        # The field still reports Enter (returnPressed), but the pick uses it up:
        # it does not go on to press the dialog's default button.
        super().keyPressEvent(event)
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Clicking a suggestion does not take the focus (the list has none to take).
        self.popup.hide()
        super().focusOutEvent(event)

    def event(self, e: QEvent) -> bool:
        # Tab would leave with the list still showing; Qt handles Tab before keyPressEvent.
        if e.type() == QEvent.Type.KeyPress and e.key() == Qt.Key.Key_Tab:  # type: ignore[attr-defined]
            self.popup.hide()
        return super().event(e)
