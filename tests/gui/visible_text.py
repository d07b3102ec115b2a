"""What a window shows a person, read off its widgets, for the pseudo-locale test.

:func:`scan` walks a window's visible widgets and reports two kinds of problem:
``english`` (text that wears no pseudo marker and is not the user's data) and
``clipped`` (a one-line label or button whose text is wider than the widget).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QTabBar,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from tests.gui.pseudo import marked, unmarked

# The allow-list: words the app shows that are not the interface's words.
ALLOWED_WORDS = {
    # The product's name is a name: the same in every language (window titles, about).
    "passaparola",
    # Dates are data: formatted by QLocale in the UI language (English under the
    # pseudo-locale, whose formats are English), "5 Mar 2026", "Sun".
    *(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
    *(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    # The about box's versions: Qt, PySide6 and Python are names.
    "qt",
    "pyside",
    "python",
    # Amounts shortened by formatting.money_short: 1.8M, 156K.
    "m",
    "k",
}
# Widgets whose text is Qt's own, translated by Qt's qtbase catalog, not ours:
# the file dialog (its folder names and buttons) and the calendar's day names.
QT_OWN = (QFileDialog, QCalendarWidget)
# Every object name listed here shows the user's data only (explain each):
DATA_OBJECTS = {
    # Preferences: the country or currency a code names, from CLDR in the UI language
    # (settings_fields.CodeField), as Qt's own words come from qtbase.
    "codeMeaning",
    # Open Team Database: the address's example, "postgresql://user@host/dbname", is a
    # URL's syntax, the same in every language.
    "teamUrl",
    # A contact's language and a template's are named by CLDR in the UI language
    # (formatting.language_name: English under the pseudo-locale), as country names are;
    # the interface and briefing languages in Preferences are named in themselves
    # ("English", "Ελληνικά"), so a person finds their own (settings_fields.UI_LANGUAGE_NAMES).
    "field_language",
    # A contact's notes are what the user wrote, in any language.
    "field_notes",
    "language",
    "uiLanguage",
    "briefing_language",
    "templateLanguage",
    # Redeem: the code field's example is a voucher code's shape (PSP-7KQ4-M9XT-S).
    "code",
    # The import wizard's encodings are the codecs' names (utf-8, cp1253), as other
    # programs show them.
    "importEncoding",
}


# The columns that hold what a person typed or imported: names, addresses, titles.
# Not the words the app stored itself (history lines, rule-made follow-up titles,
# templates, settings), which would let an English word of the interface pass.
DATA_COLUMNS = {
    "contact": (
        "given_name",
        "family_name",
        "title",
        "email",
        "phone",
        "street",
        "city",
        "postcode",
        "region",
        "country",
        "url",
        "changed_by",
    ),
    "organization": ("name", "website", "city"),
    "event": ("title", "venue", "city", "organizer"),
    "email_address": ("address",),
    "phone_number": ("number",),
    "tag": ("name",),
    "voucher": ("code", "batch", "currency"),
    "referral": ("currency", "created_by"),
    "profile": ("name", "company", "street", "city", "email", "phone", "currency"),
}


def data_words(db_path: Path) -> set[str]:
    """Every word of the user's data in the database: names, e-mails, cities, codes."""
    words: set[str] = set()
    with sqlite3.connect(db_path) as con:
        for table, columns in DATA_COLUMNS.items():
            listed = ", ".join(f'"{c}"' for c in columns)
            for row in con.execute(f'select {listed} from "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        words.update(w.lower() for w in re.findall(r"[^\W\d_]+", value))
        # A contact's country is stored as its code and shown by its CLDR name in the UI
        # language (formatting.territory_name): English under the pseudo-locale.
        from babel import Locale

        names = Locale("en").territories
        for (code,) in con.execute('select distinct "country" from "contact"'):
            name = names.get(str(code or "").upper(), "")
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", name))
    # The database file's path is shown in the window title.
    words.update(w.lower() for w in re.findall(r"[^\W\d_]+", str(db_path)))
    return words


# An innermost bidi isolate (FSI … PDI): a value the page put into a line of its own.
ISOLATE = re.compile("\u2068[^\u2068\u2069]*\u2069")


@dataclass(frozen=True)
class Problem:
    where: str
    kind: str  # "english" or "clipped"
    widget: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} in {self.widget}: {self.text!r}"


def _plain(text: str) -> str:
    if re.search(r"<[a-zA-Z/][^<>]*>|&[a-z]+;", text):
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def _without_accelerator(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _describe(widget: QWidget) -> str:
    name = widget.objectName()
    parent = widget.parentWidget()
    owner = type(parent).__name__ if parent is not None else ""
    return f"{type(widget).__name__}{'#' + name if name else ''} in {owner}"


class Scanner:
    """Collects the problems of every window shown to it."""

    def __init__(self, data: set[str]) -> None:
        self.data = data | ALLOWED_WORDS
        self.problems: list[Problem] = []
        self.seen = 0

    def english(self, where: str, widget: str, text: str) -> None:
        text = _plain(text).strip()
        if not text:
            return
        self.seen += 1
        rest = text
        if marked(text):
            # A line may join several messages and data ("Gave 1 · 1 lost"): outside the
            # markers and the bidi isolates that hold values (names, dates, history
            # lines), nothing is left but data.
            rest = unmarked(text)
            while ISOLATE.search(rest):
                rest = ISOLATE.sub(" ", rest)
        words = re.findall(r"[^\W\d_]+", rest)
        if all(w.lower() in self.data for w in words):
            return  # digits, punctuation, dates and the user's data
        self.problems.append(Problem(where, "english", widget, text))

    def clipped(self, where: str, widget: QWidget, text: str, extra: int = 0) -> None:
        lines = _plain(text).split("\n")
        metrics = widget.fontMetrics()
        room = widget.contentsRect().width() - extra
        for line in lines:
            wide = metrics.horizontalAdvance(line)
            if wide > room + 1:
                kind = f"clipped ({wide} px in {room})"
                self.problems.append(Problem(where, kind, _describe(widget), line))
                return

    def scan(self, root: QWidget, where: str) -> None:
        """Every visible text of ``root`` and its children."""
        if isinstance(root, QT_OWN):
            return
        if root.isWindow() and root.objectName() not in DATA_OBJECTS:
            self.english(where, "window title", root.windowTitle())
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible() or self._inside_qt_own(widget, root):
                continue
            self._widget(where, widget)
        for action in root.actions():
            self._action(where, action)
        if isinstance(root, QMainWindow):
            for action in root.menuBar().actions():
                self._action(where, action)

    def _inside_qt_own(self, widget: QWidget, root: QWidget) -> bool:
        parent = widget
        while parent is not None and parent is not root:
            if isinstance(parent, QT_OWN):
                return True
            parent = parent.parentWidget()
        return False

    def _action(self, where: str, action: QAction) -> None:
        if action.isSeparator() or not action.isVisible():
            return
        self.english(where, "action", action.text())
        self.english(where, "action tooltip", _tooltip(action))
        menu = action.menu()
        if isinstance(menu, QMenu):
            self.english(where, "menu", menu.title())
            for sub in menu.actions():
                self._action(where, sub)

    def _widget(self, where: str, widget: QWidget) -> None:
        kind = _describe(widget)
        if widget.objectName() in DATA_OBJECTS:
            return
        self.english(where, f"tooltip of {kind}", widget.toolTip())
        if isinstance(widget, QLabel):
            self._label(where, widget, kind)
        elif isinstance(widget, QAbstractButton):
            text = _without_accelerator(widget.text())
            self.english(where, kind, text)
            if isinstance(widget, (QPushButton, QToolButton)) and text:
                icon = 0 if widget.icon().isNull() else widget.iconSize().width() + 4
                self.clipped(where, widget, text, icon)
            elif isinstance(widget, (QCheckBox, QRadioButton)) and text:
                # The box or circle and the gap before the words take their part.
                metric = QStyle.PixelMetric
                radio = isinstance(widget, QRadioButton)
                box = widget.style().pixelMetric(
                    metric.PM_ExclusiveIndicatorWidth if radio else metric.PM_IndicatorWidth
                )
                gap = widget.style().pixelMetric(
                    metric.PM_RadioButtonLabelSpacing if radio else metric.PM_CheckBoxLabelSpacing
                )
                self.clipped(where, widget, text, box + gap)
        elif isinstance(widget, QGroupBox):
            self.english(where, kind, _without_accelerator(widget.title()))
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    self.english(where, kind, _without_accelerator(widget.tabText(i)))
                    self.english(where, f"tab tooltip of {kind}", widget.tabToolTip(i))
        elif isinstance(widget, QToolBar):
            # A toolbar too narrow hides its last actions behind "»": clipped, in effect.
            for action in widget.actions():
                button = widget.widgetForAction(action)
                if action.isVisible() and button is not None and not button.isVisible():
                    kind_ = f"hidden action of {kind}"
                    self.problems.append(Problem(where, "clipped", kind_, action.text()))
        elif isinstance(widget, QComboBox):
            # Its choices, shown when it opens: words of the interface or data (names, codes).
            for i in range(widget.count()):
                self.english(where, f"choice of {kind}", widget.itemText(i))
            if widget.isEditable() and widget.lineEdit() is not None:
                self.english(where, f"placeholder of {kind}", widget.lineEdit().placeholderText())
        elif isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
            self.english(where, f"placeholder of {kind}", widget.placeholderText())
            if isinstance(widget, QTextEdit) and widget.isReadOnly():
                # A page written as a document (the briefing): each line on its own.
                for line in widget.toPlainText().split("\n"):
                    self.english(where, f"line of {kind}", line)
        elif isinstance(widget, QAbstractItemView):
            self._headers(where, widget, kind)
            if isinstance(widget, QListWidget) and widget.objectName().endswith("Navigation"):
                for i in range(widget.count()):
                    self.english(where, kind, widget.item(i).text())

    def _label(self, where: str, label: QLabel, kind: str) -> None:
        text = label.text()
        if not text:
            return
        self.english(where, kind, text)
        if label.wordWrap():
            return
        margin = 2 * label.margin() + max(label.indent(), 0)
        # A label with a buddy shows its "&" as the underlined mnemonic, not as a character.
        shown = _without_accelerator(text) if label.buddy() is not None else text
        self.clipped(where, label, shown, margin)

    def _headers(self, where: str, view: QAbstractItemView, kind: str) -> None:
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        model = view.model()
        if header is None or model is None:
            return
        bar = header()
        if bar is None or bar.isHidden():
            return
        for section in range(model.columnCount()):
            if bar.isSectionHidden(section):
                continue
            text = model.headerData(section, Qt.Orientation.Horizontal)
            if isinstance(text, str):
                self.english(where, f"header of {kind}", text)


def _tooltip(action: QAction) -> str:
    # Qt makes an action's tooltip from its text when none is set: not a second string.
    tip = action.toolTip()
    return (
        "" if _without_accelerator(action.text()).replace("…", "") == tip.replace("…", "") else tip
    )
