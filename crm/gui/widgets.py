"""Small shared widgets and builders: a dialog that remembers its geometry, empty states,
a search box, inline errors, plain-text message boxes and tooltips, rows of widgets, and
selecting a table's row in either direction."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)


class PreservingDialog(QDialog):
    """A dialog that reopens at the size and place the user left it."""

    settings_key = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restored = False
        # Where the geometry is kept: set it to ctx.settings so tests and
        # screenshots use their own file; None means the user's QSettings().
        self.geometry_settings: QSettings | None = None

    def _settings(self) -> QSettings:
        return self.geometry_settings if self.geometry_settings is not None else QSettings()

    def _key(self) -> str:
        return f"geometry/{self.settings_key or type(self).__name__}"

    def showEvent(self, event: QShowEvent) -> None:
        if not self._restored:
            self._restored = True
            saved = self._settings().value(self._key())
            if isinstance(saved, QByteArray):
                self.restoreGeometry(saved)
            # What was saved on a bigger screen (or asked for in the constructor)
            # must not push the buttons off this one. The size first: QDialog
            # centres the dialog by it, then the position is checked.
            fit_size_to_screen(self)
            super().showEvent(event)
            fit_position_to_screen(self)
            return
        super().showEvent(event)

    def done(self, result: int) -> None:
        self._settings().setValue(self._key(), self.saveGeometry())
        super().done(result)


# Room for a window manager's title bar and borders, until the window has real ones.
FRAME_ALLOWANCE = QSize(8, 36)


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` to the available screen (at most) and move it wholly onto it."""
    fit_size_to_screen(window)
    fit_position_to_screen(window)


def _screen_room(window: QWidget) -> tuple[QRect, QSize] | None:
    """The available screen area, and what the window's frame adds to its size."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    frame = window.frameGeometry().size() - window.geometry().size()
    if frame.width() <= 0 and frame.height() <= 0:
        frame = FRAME_ALLOWANCE  # not known yet
    return screen.availableGeometry(), frame


def fit_size_to_screen(window: QWidget) -> None:
    """Make ``window`` no bigger than the available screen, frame included."""
    room = _screen_room(window)
    if room is None:
        return
    available, frame = room
    size = window.size().boundedTo(available.size() - frame).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)


def fit_position_to_screen(window: QWidget) -> None:
    """Move ``window`` so that its whole frame is on the available screen."""
    room = _screen_room(window)
    if room is None:
        return
    available, frame = room
    # move() places the frame's corner.
    outer = window.size() + frame
    x = min(max(window.x(), available.left()), available.right() + 1 - outer.width())
    y = min(max(window.y(), available.top()), available.bottom() + 1 - outer.height())
    x, y = max(x, available.left()), max(y, available.top())
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)


class EmptyState(QWidget):
    """A friendly pane for when there is nothing to show yet, with optional actions."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        body = QLabel(text)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(body)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        layout.addStretch(2)
        self.heading, self.body = heading, body

    def add_action(self, text: str) -> QPushButton:
        button = QPushButton(text)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button


class SearchBox(QLineEdit):
    """A line edit that reports what was typed after a short pause (search-as-you-type)."""

    search = Signal(str)

    def __init__(
        self, placeholder: str, parent: QWidget | None = None, delay_ms: int = 120
    ) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.search.emit(self.text()))
        self.textChanged.connect(lambda _t: self._timer.start())

    def flush(self) -> None:
        """Emit now (tests, and Enter)."""
        self._timer.stop()
        self.search.emit(self.text())


# -- inline errors ------------------------------------------------------------------------

ERROR_COLOUR = "#b3261e"
# A field the core refused gets a red frame (``mark_invalid``).
INVALID_STYLE = f'*[invalid="true"] {{ border: 1px solid {ERROR_COLOUR}; border-radius: 3px; }}'


def error_label() -> QLabel:
    """A hidden label for a refusal, shown under a form in the error colour."""
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: 600;")
    label.hide()
    return label


def mark_invalid(widget: QWidget | None, invalid: bool) -> None:
    """Frame ``widget`` in red (or not): the dialog's INVALID_STYLE draws it."""
    if widget is None:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


# -- user text is plain text -----------------------------------------------------------------
# Qt reads a string that looks like a tag as HTML in message boxes, tooltips and labels:
# a name like "<img src=...>" would load a file. What users typed is shown through these.


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> QMessageBox:
    """A message box that shows ``text`` as plain text (buttons and exec are the caller's)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def inform(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> None:
    """Tell the user something, in plain text, and wait for OK."""
    message_box(parent, title, text, icon).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question in plain text; True when the user says yes."""
    box = message_box(parent, title, text, QMessageBox.Icon.Question)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def select_row(table: QTableView, row: int) -> None:
    """Make ``row`` the table's current and only selected row.

    Not ``QTableView.selectRow()``: right to left it looks for the first column at
    the viewport's far edge, finds none, and selects nothing (every Arabic table);
    it also adds to the selection while Ctrl is held.
    """
    model = table.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    selection = table.selectionModel()
    flags = selection.SelectionFlag
    selection.setCurrentIndex(index, flags.NoUpdate)
    selection.select(index, flags.ClearAndSelect | flags.Rows)
    table.scrollTo(index)


def heading_width(header: QHeaderView, column: int) -> int:
    """The width a column needs to show its whole heading (translations are longer than
    the English a fixed width was chosen for), with room for the sort arrow."""
    model = header.model()
    text = model.headerData(column, Qt.Orientation.Horizontal) if model is not None else ""
    return header.fontMetrics().horizontalAdvance(str(text or "")) + 28


def heading_tips(tree: QTreeWidget) -> None:
    """Each heading of ``tree`` as its own tooltip: a heading cut short on a narrow
    window still reads in full under the pointer."""
    item = tree.headerItem()
    for column in range(item.columnCount()):
        item.setToolTip(column, item.text(column))


def plain_tip(text: str | None) -> str:
    """``text`` as a tooltip shows it literally: escaped when Qt would read it as HTML."""
    # Qt takes text for HTML only when it holds a tag; without a "<" it shows it as is.
    if not text or "<" not in text:
        return text or ""
    return "<p>" + _escape(text).replace("\n", "<br>") + "</p>"


# As html.escape (whose module's entity tables need not load at start-up).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


W = TypeVar("W", bound=QWidget)

# -- builders -------------------------------------------------------------------------------


Item = QWidget | QBoxLayout | tuple[QWidget, int] | int | None


def row(*items: Item) -> QHBoxLayout:
    """Widgets side by side, without margins.

    An int is a stretch of that factor, None a stretch of 1, and
    ``(widget, factor)`` a widget that takes that share of the room.
    """
    layout = QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, tuple):
            layout.addWidget(*item)
        elif isinstance(item, QBoxLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return layout


def row_widget(*items: Item) -> QWidget:
    """A widget holding ``row(*items)``, to put in a form's field column."""
    holder = QWidget()
    holder.setLayout(row(*items))
    return holder


def form(*rows: tuple[str, QWidget]) -> QFormLayout:
    """A form of (label, field) rows, its fields growing with the window."""
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    for text, field in rows:
        layout.addRow(text, field)
    return layout


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (tests and style sheets find it by that)."""
    widget.setObjectName(name)
    return widget
