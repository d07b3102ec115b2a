"""The real catalogs on screen: in Greek, Bulgarian and Arabic no Latin word of the interface.

The pseudo-locale test (test_pseudo_locale.py) proves every word goes through the
catalog; this one reads the windows in the languages themselves, where a word the
translator left in English ("Email", "OK"), a code shown instead of its name ("it",
"IT") or a sentence the core built in English shows as Latin letters among Greek,
Cyrillic or Arabic ones. It visits the same pages, tabs and dialogs at 1024×640, and
also reads the tables' cells.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QStyle

from crm.core import chain, events
from crm.gui.app import build_window, set_language
from crm.gui.pages import ALL_PAGES
from tests.gui import test_pseudo_locale as pseudo_test
from tests.gui.visible_text import Problem, Scanner, _plain, data_words

# Latin words that are names, formats or units in every language (explain each):
NAMES = {
    # File formats and the programs they come from, as written everywhere.
    *("vcard", "vcf", "csv", "ics", "excel", "pdf", "png", "jpeg", "postgresql"),
    # Keys as printed on every keyboard, and the QR code.
    *("ctrl", "shift", "alt", "enter", "space", "qr"),
    # Label sheets: US Letter, inches and millimetres, Avery's product numbers.
    *("us", "letter", "in", "mm", "avery"),
    # The licence's SPDX name (GPL-3.0-or-later) and the unit of a file's size.
    *("gpl", "or", "later", "mib", "kib"),
    # Where a contacts file comes from: the products' names (Apple and Google Contacts
    # are taken out as phrases in LatinScanner.english).
    *("apple", "google", "linkedin", "outlook"),
    # The folder the app keeps backups in, shown in its path ("…/backups").
    "backups",
}
# The demo's contact notes are what a user wrote (shown in the duplicates' comparison).
# and a campaign's name is theirs too.
NOTES = (
    "select notes from contact union select notes from organization union select name from campaign"
)


class LatinScanner(Scanner):
    """Flags a Latin word that is not the user's data nor a name above."""

    def english(self, where: str, widget: str, text: str) -> None:
        text = re.sub(r"\{[a-z_]+\}", " ", _plain(text))  # merge fields: the template's syntax
        text = re.sub(r"\b(Apple|Google) Contacts\b", " ", text)
        if not text.strip():
            return
        self.seen += 1
        words = re.findall(r"[^\W\d_]+", text)
        latin = [w for w in words if re.search("[A-Za-z]", w) and w.lower() not in self.data]
        if latin:
            self.problems.append(Problem(where, f"latin {','.join(latin)}", widget, text))

    def _widget(self, where: str, widget) -> None:
        super()._widget(where, widget)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            self._headings_fit(where, widget)
            model = widget.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model's columnCount() takes no default
                columns = 1
            for row in range(min(model.rowCount(QModelIndex()), 30)):
                for column in range(columns):
                    value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str):
                        self.english(where, f"cell of {widget.objectName()}", value)

    def _headings_fit(self, where: str, view) -> None:
        """A column of a set width shows its heading whole, within the style's header
        margins. Stretching columns share what is left, and a narrow pane squeezes them."""
        get = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        header = get() if get is not None else None
        if header is None or header.isHidden() or not header.isVisible():
            return
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionSize(section) == 0:
                continue
            if header.sectionResizeMode(section) == QHeaderView.ResizeMode.Stretch:
                continue
            if header.stretchLastSection() and section == header.count() - 1:
                continue
            if view.objectName() == "organizationsTable":
                # Known and left (see the organizations page): its figures keep their
                # English widths so the names have room at 1024 pixels.
                continue
            text = str(view.model().headerData(section, Qt.Orientation.Horizontal) or "")
            margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
            wide = header.fontMetrics().horizontalAdvance(text) + 2 * margin
            if text and wide > header.sectionSize(section):
                kind = f"clipped heading ({wide} px in {header.sectionSize(section)})"
                self.problems.append(Problem(where, kind, view.objectName(), text))


def _words(db_path) -> set[str]:
    words = data_words(db_path) | NAMES
    with sqlite3.connect(db_path) as con:
        for (notes,) in con.execute(NOTES):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", notes or ""))
    return words


@pytest.mark.parametrize("code", ["el", "bg", "ar"])
def test_no_latin_word_of_the_interface_in_the_language(
    qapp_named, demo_store, db_path, qsettings, qtbot, tmp_path, code
):
    app = QApplication.instance()
    set_language(app, code)
    try:
        scanner = LatinScanner(_words(db_path) | {w.lower() for w in str(tmp_path).split("/")})
        window = build_window(demo_store, qsettings, synchronous=True)
        qtbot.addWidget(window)
        window.resize(1024, 640)
        window.show()
        qtbot.waitExposed(window)
        for name in ALL_PAGES:
            window.show_page(name)
            pseudo_test._settle(qtbot)
            pseudo_test._every_tab(window, qtbot, scanner, f"{code} {name} page")
            scanner.scan(window, f"{code} {name} page")
        window.go("contact", chain.largest_chain_root())
        pseudo_test._settle(qtbot)
        scanner.scan(window, f"{code} contact pane")
        window.go("briefing", events.featured_event_id())
        pseudo_test._settle(qtbot)
        scanner.scan(window, f"{code} briefing")
        visit = pseudo_test.Visit(window, scanner, 1024)
        for where, opener in pseudo_test._dialogs(window):
            visit.open(f"{code} {where}", opener)
    finally:
        set_language(app, "en")
    problems = sorted({str(p) for p in scanner.problems})
    assert scanner.seen > 500, scanner.seen
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
