"""The dashboard: figures that match the core, period switching, charts and click-through."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from crm.core import clock, contacts, events, models, referrals, stats
from crm.core.contacts import ContactData
from crm.gui.views.dashboard.behind import BehindDialog
from crm.gui.views.dashboard.page import DashboardView

TODAY = clock.today()
MONTH_START = TODAY.replace(day=1)
LAST_YEAR = dt.date(TODAY.year - 1, 6, 15)


def person(given: str, family: str = "", channel: str = "other") -> int:
    return contacts.create_contact(
        ContactData(given_name=given, family_name=family, channel=channel)
    ).id


@pytest.fixture
def program(store):
    """This month: Anna → Bob (won 1,000 EUR, at the chamber evening), Anna → Cara (lost,
    at the evening), Bob → Dan (won 200 USD, a voucher); last June: Gus → Hal (won 500 EUR).
    One reward this month: 50 EUR."""
    p = {
        "Anna": person("Anna", "Rossi"),
        "Bob": person("Bob", "Marsh", "event"),
        "Cara": person("Cara", "Λάμπρου", "event"),
        "Dan": person("Dan", "Wood", "website"),
        "Gus": person("Gus", "Hale"),
        "Hal": person("Hal", "Ivers", "press"),
    }
    p["E1"] = events.create_event("Chamber evening", MONTH_START).id
    refer = referrals.record_referral
    p["r1"] = refer(
        p["Anna"], p["Bob"], referred_on=TODAY, status="won", value="1000", event_id=p["E1"]
    ).id
    p["r2"] = refer(
        p["Anna"], p["Cara"], referred_on=TODAY, status="lost", event_id=p["E1"], program="implicit"
    ).id
    p["r3"] = refer(
        p["Bob"],
        p["Dan"],
        referred_on=MONTH_START,
        status="won",
        value="200",
        currency="USD",
        program="tangible",
    ).id
    p["r4"] = refer(p["Gus"], p["Hal"], referred_on=LAST_YEAR, status="won", value="500").id
    models.Reward.delete().execute()  # the policy's rewards; one of known amount instead
    models.Reward.create(contact=p["Anna"], amount=50, currency="EUR")
    return p


@pytest.fixture
def dash(window, program, qtbot) -> DashboardView:
    page = window.show_page("dashboard")
    assert isinstance(page, DashboardView)
    page.set_period("month")
    yield page
    if page.behind_dialog is not None:
        page.behind_dialog.close()


def tile(page: DashboardView, key: str) -> tuple[str, str]:
    t = page.tiles[key]
    return t.value.text(), t.detail.text()


# -- figures ---------------------------------------------------------------------------------


def test_kpis_match_the_core_figures(dash, program):
    core = stats.summary(*stats.period_range("month"))
    assert (core["referrals"], core["won"], core["lost"]) == (3, 2, 1)
    assert dash.body.currentWidget() is dash.content_area
    assert dash.range_label.isVisible()
    assert tile(dash, "referrals") == ("3", "0 open, 1 lost")
    assert tile(dash, "won") == ("2", "0 still open")
    assert tile(dash, "conversion_rate") == ("67%", "2 of 3 won")
    # Two currencies: a line each, never one sum.
    assert tile(dash, "won_value") == ("1,000 EUR\n200 USD", "per currency, not converted")
    assert tile(dash, "reward_cost") == ("50 EUR", "1 reward")
    assert dash.tiles["reward_cost"].toolTip() == "50 EUR"  # exact amounts on hover
    # (1000 - 50) / 50 in EUR; nothing was spent in USD, so no USD figure.
    assert tile(dash, "roi") == ("+1,900% EUR", "per currency: (won − cost) ÷ cost")
    assert core["roi"] == {"EUR": 19.0, "USD": None}


def test_a_single_currency_period_shows_one_figure(dash, program):
    dash.set_period("custom", LAST_YEAR, LAST_YEAR)
    assert tile(dash, "referrals")[0] == "1"
    assert tile(dash, "won_value") == ("500 EUR", "")
    assert tile(dash, "reward_cost") == ("0 EUR", "0 rewards")
    assert tile(dash, "roi") == ("—", "no reward cost in this period")


def test_period_change_updates_everything(dash, program, window, qtbot):
    assert dash.period == stats.period_range("month")
    # Custom: the two date fields appear; last June alone holds Gus's referral.
    dash.period_combo.setCurrentIndex(3)
    assert dash.date_from.isVisible() and dash.date_to.isVisible()
    assert not dash.range_label.isVisible()
    dash.date_from.setDate(LAST_YEAR)
    dash.date_to.setDate(LAST_YEAR.replace(day=30))
    assert dash.period == (LAST_YEAR, LAST_YEAR.replace(day=30))
    assert tile(dash, "referrals")[0] == "1"
    assert [r["id"] for r in dash.data["top_referrers"]["by_count"]] == [program["Gus"]]
    assert dash.leaders["by_count"].item(0, 1).text() == "Gus Hale"
    # The choice is remembered for next time.
    assert window.ctx.settings.value("dashboard/period") == "custom"
    assert window.ctx.settings.value("dashboard/from") == LAST_YEAR.isoformat()
    # Back to this year: the three of this month (last June is not in it).
    dash.period_combo.setCurrentIndex(2)
    assert not dash.date_from.isVisible()
    assert dash.period == stats.period_range("year")
    assert tile(dash, "referrals")[0] == "3"
    assert len(dash.month_chart.categories) == 12


def test_new_data_refreshes_the_page(dash, program, window):
    eve = person("Eve", "Novak", "social")
    referrals.record_referral(program["Cara"], eve, referred_on=TODAY)
    window.ctx.changed("referrals")
    assert tile(dash, "referrals") == ("4", "1 open, 1 lost")
    assert dash.channel_chart.bar_values()["Received"][-1] == 1.0


# -- charts ----------------------------------------------------------------------------------


def test_chart_series_hold_the_figures(dash, program):
    assert dash.month_chart.bar_values() == {"Received": [3.0], "Won": [2.0]}
    assert dash.program_chart.slice_values() == {
        "Direct: 1": 1.0,
        "Implicit: 1": 1.0,
        "Voucher: 1": 1.0,
        "Community: 0": 0.0,
    }
    assert dash.event_chart.categories == ["Chamber evening"]
    assert dash.event_chart.bar_values() == {"Received": [2.0], "Won": [1.0]}
    # Channels of the referred, most business first: Bob (event), Dan (website), Cara (event).
    assert dash.channel_chart.categories == ["Event", "Website"]
    assert dash.channel_chart.bar_values() == {"Received": [2.0, 1.0], "Won": [1.0, 1.0]}
    assert "Chamber evening" in dash.event_chart.tooltips[0]
    assert "1,000 EUR" in dash.event_chart.tooltips[0] or "1000 EUR" in dash.event_chart.tooltips[0]


def test_a_year_of_months_and_duplicate_event_names(window, store, qtbot):
    a, b, c = person("A"), person("B"), person("C")
    first = events.create_event("Chapter meeting", dt.date(TODAY.year, 1, 5)).id
    second = events.create_event("Chapter meeting", dt.date(TODAY.year, 1, 12)).id
    referrals.record_referral(a, b, referred_on=dt.date(TODAY.year, 1, 5), event_id=first)
    referrals.record_referral(a, c, referred_on=dt.date(TODAY.year, 1, 12), event_id=second)
    page = window.show_page("dashboard")
    page.set_period("year")
    assert len(page.month_chart.bar_values()["Received"]) == 12
    assert page.month_chart.bar_values()["Received"][0] == 2.0
    names = page.event_chart.categories
    assert len(names) == 2 and names[0] != names[1]  # told apart by their dates
    assert all(n.startswith("Chapter meeting · ") for n in names)


# -- click-through ---------------------------------------------------------------------------


def bar_position(view, category: int, set_index: int):
    """Where the bar of ``category`` in set ``set_index`` is drawn, in viewport pixels."""
    series = view.series
    n = len(series.barSets())
    position = view._order.index(category)
    value = series.barSets()[set_index].at(position)
    offset = -series.barWidth() / 2 + (set_index + 0.5) * series.barWidth() / n
    horizontal = type(series).__name__ == "QHorizontalBarSeries"
    point = (
        QPointF(value / 2, position + offset)
        if horizontal
        else QPointF(position + offset, value / 2)
    )
    chart = view.chart()
    return view.mapFromScene(chart.mapToScene(chart.mapToPosition(point, series)))


def slice_position(view, index: int):
    chart = view.chart()
    part = view.series.slices()[index]
    area = chart.plotArea()
    radius = min(area.width(), area.height()) / 2 * view.series.pieSize()
    angle = math.radians(part.startAngle() + part.angleSpan() / 2)
    centre = area.center()
    point = QPointF(
        centre.x() + radius / 2 * math.sin(angle), centre.y() - radius / 2 * math.cos(angle)
    )
    return view.mapFromScene(chart.mapToScene(point))


def behind(dash) -> BehindDialog:
    dialog = dash.behind_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.isModal()
    return dialog


def names(dialog: BehindDialog) -> list[str]:
    return dialog.names()


def test_clicking_a_bar_lists_the_people_behind_it(dash, program, qtbot, window):
    dash.month_chart.viewport().update()
    QTest.mouseClick(
        dash.month_chart.viewport(), Qt.LeftButton, pos=bar_position(dash.month_chart, 0, 1)
    )
    dialog = behind(dash)
    # The won bar: Bob and Dan, newest first.
    assert names(dialog) == ["Bob Marsh", "Dan Wood"]
    assert dialog.contact_ids() == [program["Bob"], program["Dan"]]
    assert "Won" in dialog.windowTitle()
    assert dialog.heading.text().endswith("2 referrals")
    # The received bar of the chamber evening: Bob and Cara.
    QTest.mouseClick(
        dash.event_chart.viewport(), Qt.LeftButton, pos=bar_position(dash.event_chart, 0, 0)
    )
    assert dash.behind_dialog is dialog  # one list, refilled
    assert sorted(names(dialog)) == ["Bob Marsh", "Cara Λάμπρου"]
    assert "Chamber evening" in dialog.windowTitle()
    # Double-click a row: the contact opens in the main window; the list stays.
    rect = dialog.table.visualRect(dialog.model.index(0, 0))
    opened = []
    window.ctx.navigate.connect(lambda what, ident: opened.append((what, ident)))
    with qtbot.waitSignal(window.ctx.navigate) as went:
        # As a real double-click arrives: a click, then the double-click.
        QTest.mouseClick(dialog.table.viewport(), Qt.LeftButton, pos=rect.center())
        QTest.mouseDClick(dialog.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert went.args == ["contact", dialog.contact_ids()[0]]
    assert opened == [("contact", dialog.contact_ids()[0])]  # once, not once per signal
    assert window.current_page_name() == "contacts"
    assert window.pages["contacts"].selected_ids() == [dialog.contact_ids()[0]]
    assert dialog.isVisible()


def test_clicking_a_slice_lists_the_people_behind_it(dash, program):
    slices = dash.program_chart.series.slices()
    voucher = next(i for i, s in enumerate(slices) if s.label().startswith("Voucher"))
    QTest.mouseClick(
        dash.program_chart.viewport(),
        Qt.LeftButton,
        pos=slice_position(dash.program_chart, voucher),
    )
    dialog = behind(dash)
    assert names(dialog) == ["Dan Wood"]
    row = dialog.row_texts(0)
    assert row[1] == "Bob Marsh" and row[3] == "Won"
    assert row[4].replace(",", "") == "200 USD"


def test_channel_bars_and_tiles_click_through(dash, program):
    chart = dash.channel_chart
    QTest.mouseClick(chart.viewport(), Qt.LeftButton, pos=bar_position(chart, 0, 0))  # "Event"
    assert sorted(names(behind(dash))) == ["Bob Marsh", "Cara Λάμπρου"]
    QTest.mouseClick(dash.tiles["won"], Qt.LeftButton)
    assert names(behind(dash)) == ["Bob Marsh", "Dan Wood"]
    QTest.mouseClick(dash.tiles["referrals"], Qt.LeftButton)
    assert len(names(behind(dash))) == 3
    # The leaderboard's "whom they referred": Anna's two, in this period.
    dash.show_behind("giver", program["Anna"], heading="Referred by Anna Rossi")
    assert sorted(names(behind(dash))) == ["Bob Marsh", "Cara Λάμπρου"]
    assert behind(dash).windowTitle().startswith("Referred by Anna Rossi (")


def test_leaderboard_row_click_opens_the_referrer(dash, program, qtbot, window):
    table = dash.leaders["by_won_value"]
    # Anna: 1,000 EUR won, plus Dan's 200 USD below Bob in her network.
    assert [table.item(0, c).text() for c in (1, 2, 3)] == ["Anna Rossi", "2", "1"]
    assert table.item(0, 5).text().replace(",", "") == "1000 EUR\n200 USD"
    assert table.item(1, 1).text() == "Bob Marsh"
    by_count = dash.leaders["by_count"]
    assert [by_count.item(i, 1).text() for i in range(by_count.rowCount())] == [
        "Anna Rossi",
        "Bob Marsh",
    ]
    dash.leader_tabs.setCurrentIndex(0)
    rect = table.visualItemRect(table.item(0, 1))
    with qtbot.waitSignal(window.ctx.navigate) as went:
        QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    assert went.args == ["contact", program["Anna"]]
    assert window.current_page_name() == "contacts"
    assert window.pages["contacts"].selected_ids() == [program["Anna"]]


# -- empty states ----------------------------------------------------------------------------


def test_empty_state_without_any_referral(window, store):
    page = window.show_page("dashboard")
    assert page.body.currentWidget() is page.empty
    assert page.empty.heading.text() == "No referrals yet"
    assert page.empty_action.isVisible()
    page.empty_action.click()
    assert window.current_page_name() == "referrals"


def test_empty_state_for_a_quiet_period(dash, program):
    quiet = dt.date(TODAY.year - 3, 2, 1)
    dash.set_period("custom", quiet, quiet + dt.timedelta(days=27))
    assert dash.body.currentWidget() is dash.empty
    assert dash.empty.heading.text() == "No referrals in this period"
    assert "Choose another period" in dash.empty.body.text()
    assert not dash.empty_action.isVisible()
    # The period selector stays, so the user can leave the empty period.
    assert dash.period_combo.isVisible()
    dash.set_period("month")
    assert dash.body.currentWidget() is dash.content_area
