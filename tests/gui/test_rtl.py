"""Arabic right to left: ellipses where an Arabic reader expects them, mixed lines isolated."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication

from crm.gui.app import build_window, set_language
from crm.gui.formatting import FSI, PDI, day_text
from crm.gui.views.events.briefing import CardWriter
from crm.i18n_catalogs import LOCALE_DIR


@pytest.fixture
def speak(qapp_named, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = QApplication.instance()
    yield lambda code: set_language(app, code)
    set_language(app, "en")


def test_arabic_translations_end_with_the_ellipsis_in_logical_order():
    with (LOCALE_DIR / "ar" / "LC_MESSAGES" / "crm.po").open("rb") as fh:
        catalog = read_po(fh)
    checked = 0
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if ids[0] and ids[0].endswith("…"):
            for string in strings:
                checked += 1
                # Stored last, so a right-to-left line shows it at its left end.
                assert string.endswith("…"), (ids[0], string)
                assert not string.startswith(("…", "...")), (ids[0], string)
    assert checked > 50


def _x(layout_line, position: int) -> float:
    return layout_line.cursorToX(position)[0]


def _laid_out(text: str, font, direction: Qt.LayoutDirection):
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(direction)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(2000)
    layout.endLayout()
    return layout, line


def test_arabic_menu_shows_the_ellipsis_at_the_end_of_reading(speak, store, qsettings, qtbot):
    speak("ar")
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    action = window.findChild(QAction, "newContact")
    text = action.text().replace("&", "")
    assert text.endswith("…") and re.search("[\u0600-\u06ff]", text)
    _layout, line = _laid_out(text, window.font(), Qt.LayoutDirection.RightToLeft)
    # Read right to left: the first letter at the right edge, the ellipsis at the left.
    start, end = _x(line, 0), _x(line, len(text))
    assert start > end
    assert end == min(_x(line, i) for i in range(len(text) + 1))
    # The English text laid out the same way is what the issue saw: "…New Contact".
    _layout, english = _laid_out("New Contact…", window.font(), Qt.LayoutDirection.RightToLeft)
    assert _x(english, len("New Contact…")) < _x(english, 0)  # the ellipsis before "New"


def _isolates(text: str) -> list[str]:
    return re.findall(f"{FSI}([^{FSI}{PDI}]*){PDI}", text)


def test_a_mixed_briefing_line_isolates_names_amounts_and_dates(speak):
    speak("ar")
    part = {
        "count": 3,
        "won_count": 1,
        "won_value": {"EUR": 1200.0},
        "open": 2,
        "lost_count": 0,
        "latest": [
            {
                "status": "won",
                "value": 1200.0,
                "currency": "EUR",
                "contact_id": 7,
                "name": "Rachel Scott",
                "here": False,
                "created_by": "",
            }
        ],
    }
    line = CardWriter(rtl=True).referrals("أعطى", part, "given")
    found = _isolates(line)
    # The name and each amount keep their own direction and their order in the line.
    assert "Rachel Scott" in found
    assert found.count("1,200 EUR") == 2
    assert line.index(f"{FSI}Rachel Scott{PDI}") < line.rindex(f"{FSI}1,200 EUR{PDI}")
    # Every isolate is closed: nothing leaks its direction into the Arabic around it.
    assert line.count(FSI) == line.count(PDI)
    # A date in an Arabic line is an isolate of its own: month name and digits together.
    day = day_text("2026-10-28")
    assert day.startswith(FSI) and day.endswith(PDI)
    assert "2026" in day and re.search("[\u0600-\u06ff]", day)


@pytest.mark.parametrize("code", ["en", "ar"])
def test_dashboard_charts_are_mirrored_in_arabic(speak, qtbot, code):
    from crm.gui.views.dashboard.charts import Chart

    speak(code)
    rtl = code == "ar"
    months = Chart("months", "months")
    qtbot.addWidget(months)
    months.set_bars(["Oct", "Nov", "Dec"], [("received", [1, 2, 3], Qt.GlobalColor.blue)], [""] * 3)
    names = months.chart().axes(Qt.Orientation.Horizontal)[0]
    counts = months.chart().axes(Qt.Orientation.Vertical)[0]
    # The first month on the right in Arabic, the counts' axis on the right too ...
    assert names.categories() == (["Dec", "Nov", "Oct"] if rtl else ["Oct", "Nov", "Dec"])
    assert counts.alignment() == (
        Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    )
    # ... and a click or a tooltip still names the category the bar stands for.
    assert months.bar_values() == {"received": [1.0, 2.0, 3.0]}
    assert months._category(0) == (2 if rtl else 0)
    channels = Chart("channels", "channels")
    qtbot.addWidget(channels)
    channels.set_bars(["A", "B"], [("received", [5, 1], Qt.GlobalColor.blue)], ["", ""], True)
    labels = channels.chart().axes(Qt.Orientation.Vertical)[0]
    bars = channels.chart().axes(Qt.Orientation.Horizontal)[0]
    # Names on the right of bars that grow leftwards.
    assert labels.alignment() == (
        Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    )
    assert bars.isReverse() == rtl
    assert channels.bar_values() == {"received": [5.0, 1.0]}
