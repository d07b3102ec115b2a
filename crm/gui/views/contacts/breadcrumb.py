"""Who referred a contact, from the root down, as names that link to those people."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QPushButton, QWidget

from crm.gui.widgets import plain_tip, row

# How many referrers the breadcrumb names before it shortens the middle.
BREADCRUMB_MAX = 5

# A breadcrumb name reads as a link: it takes you to that contact.
LINK_STYLE = (
    "QPushButton { color: palette(link); text-decoration: underline; border: none; "
    "padding: 1px 3px; text-align: left; }"
)


def _button_text(text: str) -> str:
    # "&" in a button's text marks a shortcut; a name's "&" must show as itself.
    return text.replace("&", "&&")


class FlowLayout(QLayout):
    """Lays widgets out in rows that wrap, like words (mirrored right-to-left)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        parent = self.parentWidget()
        rtl = parent is not None and parent.layoutDirection() == Qt.LayoutDirection.RightToLeft
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + self._spacing
                line_height = 0
            if apply:
                left = rect.right() + 1 - (x - rect.x()) - hint.width() if rtl else x
                item.setGeometry(QRect(QPoint(left, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class Breadcrumb(QWidget):
    """ "Referred by: Maria Conti › Петър Йорданов"; a click on a name asks to show that person."""

    contact_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self.tr("Referred by:"))
        names = QWidget()
        self.flow = FlowLayout(names)
        self.buttons: list[QPushButton] = []
        layout = row((self.label, 0), (names, 1))
        layout.setSpacing(4)
        layout.setAlignment(self.label, Qt.AlignmentFlag.AlignTop)
        self.setLayout(layout)

    def show_ancestors(self, ups: list[tuple[int, str]]) -> None:
        """Show the referrers (id, name), root first; the middle shortened when many."""
        self._clear()
        if not ups:
            self.label.setText(self.tr("Referred by: nobody recorded"))
            return
        self.label.setText(self.tr("Referred by:"))
        shown: list[tuple[int, str] | None] = list(ups)
        if len(ups) > BREADCRUMB_MAX:
            shown = [ups[0], None, *ups[-(BREADCRUMB_MAX - 2) :]]
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        for pos, ancestor in enumerate(shown):
            if pos:
                self.flow.addWidget(QLabel("‹" if rtl else "›"))
            if ancestor is None:
                gap = QLabel("…")
                gap.setToolTip(self.tr("%n more", "", len(ups) - BREADCRUMB_MAX + 1))
                self.flow.addWidget(gap)
            else:
                self.flow.addWidget(self._link(*ancestor))

    def _link(self, contact_id: int, name: str) -> QPushButton:
        button = QPushButton(_button_text(name))
        button.setObjectName("breadcrumb")
        button.setFlat(True)
        button.setStyleSheet(LINK_STYLE)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setToolTip(plain_tip(self.tr("Show %1").replace("%1", name)))
        button.setProperty("contact_id", contact_id)
        button.clicked.connect(lambda _c=False: self.contact_clicked.emit(contact_id))
        self.buttons.append(button)
        return button

    def _clear(self) -> None:
        while self.flow.count():
            item = self.flow.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden and detached now: deleteLater alone leaves it painted until idle.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.buttons = []
