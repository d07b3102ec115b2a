"""Arabic right to left: ellipses where an Arabic reader expects them, mixed lines isolated."""

from __future__ import annotations

import re
from decimal import Decimal

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
    # The amount and its currency never part at the end of a line (a no-break space).
    assert found.count("1,200\u00a0EUR") == 2
    assert line.index(f"{FSI}Rachel Scott{PDI}") < line.rindex(f"{FSI}1,200\u00a0EUR{PDI}")
    # Every isolate is closed: nothing leaks its direction into the Arabic around it.
    assert line.count(FSI) == line.count(PDI)
    # A date in an Arabic line is an isolate of its own: month name and digits together.
    day = day_text("2026-10-28")
    assert day.startswith(FSI) and day.endswith(PDI)
    assert "2026" in day and re.search("[\u0600-\u06ff]", day)


def _visible_in(widget, rect, area) -> bool:
    """Whether ``rect`` (in ``widget``'s coordinates) lies wholly inside ``area``'s rect."""
    top_left = widget.mapTo(area, rect.topLeft())
    bottom_right = widget.mapTo(area, rect.bottomRight())
    inside = area.rect()
    return inside.left() <= top_left.x() and bottom_right.x() <= inside.right()


@pytest.mark.parametrize("code", ["ar", "bg"])
def test_the_contact_panes_amounts_are_whole_at_1024x640(speak, store, qsettings, qtbot, code):
    from crm.core import contacts, referrals
    from crm.core.contacts import ContactData

    speak(code)
    giver = contacts.create_contact(ContactData(given_name="Μιχάλης", family_name="Χατζηδάκης"))
    amounts = ("15504.16", "255.61", "1016.76", "411.47", "98765.43")
    for n, value in enumerate(Decimal(a) for a in amounts):
        other = contacts.create_contact(
            ContactData(given_name="Κωνσταντίνα", family_name=f"Φραγκιαδάκη {n}")
        )
        ref = referrals.record_referral(giver.id, other.id)
        referrals.change_status(ref.id, "won", value=value, currency="EUR")
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.go("contact", giver.id)
    for _round in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    pane = window.page("contacts").detail
    tree = pane.referrals.given
    viewport = pane.scroll_area.viewport()
    assert tree.topLevelItemCount() == 5
    for row in range(tree.topLevelItemCount()):
        index = tree.model().index(row, 3)
        text = index.data()
        assert "EUR" in text
        rect = tree.visualRect(index)
        # The column holds the amount (no ellipsis) and the pane shows the column whole:
        # before, the pane's content was wider than the pane and Arabic lost the left end.
        assert rect.width() >= tree.fontMetrics().horizontalAdvance(text), text
        assert _visible_in(tree.viewport(), rect, viewport), (text, rect)
    # The header's buttons and the fields are inside the pane too.
    for button in (pane.header.edit_button, pane.header.chain_button, pane.header.archive_button):
        assert _visible_in(button, button.rect(), viewport), button.text()


STARTS = {
    "ar": "9 ديسمبر 2026 6:30 م",
    "el": "9 Δεκ 2026 6:30 μ.μ.",
    "it": "9 dic 2026 18:30",
    "bg": "9 дек 2026 18:30",
}


@pytest.mark.parametrize("code", sorted(STARTS))
def test_the_event_dialog_writes_the_start_as_the_language_does(
    speak, store, qsettings, qtbot, code
):
    import datetime as dt

    from crm.core import events

    speak(code)
    event = events.create_event("Serata imprese", dt.datetime(2026, 12, 9, 18, 30))
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    dialog = window.page("events").make_dialog(event.id)
    qtbot.addWidget(dialog)
    # Not "2026-12-09 18:30"; in Arabic, in reading order (right to left, Qt reversed
    # the sections of an edit laid out right to left: "م 30:6 2026 ديسمبر 9").
    assert dialog.starts_edit.text().replace("\u202f", " ") == STARTS[code]


@pytest.mark.parametrize("code", ["bg", "el", "ar"])
def test_the_pipeline_shows_every_status_whole_in_a_narrow_window(speak, code):
    from crm.gui.views.referrals.pipeline import PipelineBar

    speak(code)
    bar = PipelineBar()
    totals = {
        status: {"count": 26, "values": {"EUR": 510_000, "USD": 12}}
        for status in ("new", "contacted", "meeting", "proposal", "won", "lost")
    }
    bar.set_totals(totals)
    for width, rows in ((1240, 1), (820, 2)):
        bar.resize(width, 120)
        bar.show()
        QApplication.processEvents()
        assert bar.rows == rows
        for button in bar.buttons.values():
            # Each at least as wide as its words: nothing elided in the middle.
            assert button.width() >= button.sizeHint().width(), button.text()
    bar.close()


@pytest.mark.parametrize("code", ["el", "bg", "it", "ar"])
def test_a_chain_box_shows_its_figures_whole(speak, code):
    from PySide6.QtGui import QFont, QFontMetrics

    from crm.gui.views.chain.node import NODE_W, ROOT, Node, NodeItem

    speak(code)
    item = NodeItem(Node(ROOT, 1, "Μιχάλης Χατζηδάκης", "won", 0, 248, 311_777.08), "EUR")
    _name, figures = item._lines()
    font = QFont(QApplication.font())
    font.setPointSizeF(8.5)  # as NodeItem.paint draws the second line
    # "312 χιλ. EUR · κάτω: 248": the amount and the count, no ellipsis.
    assert QFontMetrics(font).horizontalAdvance(figures) <= NODE_W - 16, figures
    assert "248" in figures


def test_amounts_in_arabic_tables_are_isolated(speak, store, qsettings, qtbot):
    from crm.core import contacts, referrals
    from crm.core.contacts import ContactData
    from crm.gui.views.referrals.model import ReferralTableModel

    speak("ar")
    giver = contacts.create_contact(ContactData(given_name="سامي", family_name="الكعبي"))
    other = contacts.create_contact(ContactData(given_name="Rachel", family_name="Scott"))
    ref = referrals.record_referral(giver.id, other.id)
    referrals.change_status(ref.id, "won", value=Decimal("1250.50"), currency="EUR")
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.show_page("referrals")
    view = window.page("referrals")
    view.refresh()
    value = view.model.index(0, ReferralTableModel.VALUE).data()
    # Laid out right to left, a bare "1,250.50 EUR" showed as "EUR 1,250.50".
    assert value == f"{FSI}1,250.50 EUR{PDI}"


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


def test_an_isolate_is_not_wrapped_twice():
    from crm.gui.formatting import isolate

    once = isolate("1,250.50 EUR")
    assert once == f"{FSI}1,250.50 EUR{PDI}"
    assert isolate(once) == once
    # Two isolates side by side are not one: the pair gets its own.
    pair = f"{once} {once}"
    assert isolate(pair) == f"{FSI}{pair}{PDI}"
    assert isolate("") == ""
