"""Arabic tables: a row chosen by the program is selected right to left as left to right."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from crm import demo
from crm.gui.app import build_window, set_language
from crm.gui.views.dashboard.behind import BehindDialog


@pytest.fixture
def speak(qapp_named):
    app = QApplication.instance()
    yield lambda code: set_language(app, code)
    set_language(app, "en")


@pytest.mark.parametrize("code", ["ar", "it"])
def test_the_list_behind_a_figure_selects_its_first_row(speak, store, qsettings, qtbot, code):
    speak(code)
    demo.generate(store, contacts=60, seed=7)
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    page = window.show_page("dashboard")
    page.show_behind("all", None)
    dialog = page.behind_dialog
    assert isinstance(dialog, BehindDialog)
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() > 1
    # QTableView.selectRow() selected nothing right to left (no column at the far edge).
    rows = [index.row() for index in dialog.table.selectionModel().selectedRows()]
    assert rows == [0]
    assert dialog.table.currentIndex().row() == 0
    dialog.close()


def test_a_campaign_is_selected_after_the_list_is_filled(speak, store, qsettings, qtbot):
    from crm.core import campaigns

    speak("ar")
    campaigns.create("Best clients", top_n=5, value="30", valid_days=60)
    campaigns.create("Loyal friends", top_n=3, value="20", valid_days=30)
    window = build_window(store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    vouchers = window.show_page("vouchers")
    panel = vouchers.campaigns_panel
    vouchers.tabs.setCurrentWidget(panel)
    panel.refresh()
    second = [c["id"] for c in panel.rows][1]
    panel.select_campaign(second)
    assert panel.selected() is not None
    assert panel.selected()["id"] == second


def test_totals_per_currency_read_right_to_left_with_the_ellipsis_last(speak):
    from decimal import Decimal

    from PySide6.QtGui import QFont, QTextLayout, QTextOption

    from crm.gui.formatting import cell_text, money_totals

    speak("ar")
    # The pipeline's Won card: the largest total, then "+ …" for the other currencies.
    text = cell_text(money_totals({"EUR": Decimal(1_700_000), "GBP": Decimal(5)}, True, 1))
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(2000)
    layout.endLayout()
    ellipsis = line.cursorToX(text.index("…"))[0]
    amount = line.cursorToX(text.index("1"))[0]
    # Read from the right: the amount first, the ellipsis at the left end.
    assert ellipsis < amount, (ellipsis, amount, text)
