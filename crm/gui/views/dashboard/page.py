"""The dashboard: what the referral program brought and cost in a period, and who brought it.

Figures come from :func:`crm.core.stats.summary` through the gateway, as plain
dicts. Money stays per currency: a tile or a tooltip lists each currency on its
own, never a sum across them. Every chart, tile and leaderboard row leads to
the people behind it. This module holds the page; its words are in
:mod:`~crm.gui.views.dashboard.text`, its tiles and charts in
:mod:`~crm.gui.views.dashboard.charts`, the top referrers in
:mod:`~crm.gui.views.dashboard.leaders`, the list behind a figure in
:mod:`~crm.gui.views.dashboard.behind`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crm.core import stats
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import DATE_FORMAT, day_text, isolate, number
from crm.gui.views.base import View
from crm.gui.views.dashboard.behind import BehindDialog
from crm.gui.views.dashboard.campaigns import CampaignReturns
from crm.gui.views.dashboard.charts import Chart, KpiTile
from crm.gui.views.dashboard.leaders import LeaderBoard
from crm.gui.views.dashboard.text import (
    TITLE_CHARS,
    count_text,
    elided,
    money_lines,
    month_label,
    percent,
    short_day,
    tally_text,
)
from crm.gui.widgets import EmptyState

PERIODS = ("month", "quarter", "year", "custom")
RECEIVED_COLOUR, WON_COLOUR = QColor("#5b8fd9"), QColor("#3fae62")
TOP_EVENTS = 10


class DashboardView(View):
    depends_on = ("referrals", "rewards", "vouchers", "contacts", "events", "campaigns")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: dict[str, Any] | None = None
        self.period: tuple[dt.date, dt.date] = stats.period_range("quarter")
        self._request = 0
        self.behind_dialog: BehindDialog | None = None
        self._keys: dict[str, list[Any]] = {}

        outer = QVBoxLayout(self)
        outer.addLayout(self._build_header())
        self.body = QStackedWidget()
        self.empty = EmptyState(self.tr("No referrals yet"), "")
        self.empty.setObjectName("dashboardEmpty")
        self.empty_action = self.empty.add_action(self.tr("Open Referrals"))
        self.empty_action.clicked.connect(lambda: ctx.navigate.emit("referrals", 0))
        self.content_area = QScrollArea()
        self.content_area.setWidgetResizable(True)
        self.content_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content_area.setWidget(self._build_content())
        self.body.addWidget(self.content_area)
        self.body.addWidget(self.empty)
        outer.addWidget(self.body, 1)
        self._restore_period()

    def title(self) -> str:
        return self.tr("Dashboard")

    # -- building -------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        heading = QLabel(self.tr("Dashboard"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        row.addWidget(heading)
        row.addSpacing(16)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        for code, text in zip(
            PERIODS,
            (
                self.tr("This month"),
                self.tr("This quarter"),
                self.tr("This year"),
                self.tr("Custom"),
            ),
            strict=True,
        ):
            self.period_combo.addItem(text, code)
        row.addWidget(self.period_combo)
        self.date_from = QDateEdit()
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit()
        self.date_to.setObjectName("dateTo")
        self.range_dash = QLabel("–")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        row.addWidget(self.date_from)
        row.addWidget(self.range_dash)
        row.addWidget(self.date_to)
        self.range_label = QLabel()
        self.range_label.setObjectName("rangeLabel")
        self.range_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row.addSpacing(8)
        row.addWidget(self.range_label)
        row.addStretch(1)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(lambda _d: self._dates_changed())
        self.date_to.dateChanged.connect(lambda _d: self._dates_changed())
        return row

    def _build_content(self) -> QWidget:
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)

        tiles = QGridLayout()
        tiles.setSpacing(8)
        self.tiles = {
            "referrals": KpiTile(self.tr("Referrals received"), "tileReferrals"),
            "won": KpiTile(self.tr("Won"), "tileWon"),
            "conversion_rate": KpiTile(self.tr("Conversion rate"), "tileConversion"),
            "won_value": KpiTile(self.tr("Won value"), "tileWonValue"),
            "reward_cost": KpiTile(self.tr("Reward cost"), "tileRewardCost"),
            "roi": KpiTile(self.tr("Return on rewards"), "tileRoi"),
        }
        for i, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, i)
            tiles.setColumnStretch(i, 1)
        self.tiles["referrals"].clicked.connect(lambda: self.show_behind("all", None))
        self.tiles["won"].clicked.connect(lambda: self.show_behind("all", None, won_only=True))
        grid.addLayout(tiles, 0, 0, 1, 2)

        self.month_chart = Chart(self.tr("Referrals per month"), "monthChart")
        self.program_chart = Chart(self.tr("By program"), "programChart")
        self.event_chart = Chart(self.tr("Events, by business won (top 10)"), "eventChart")
        # Ten events in two bars each: each name needs a line's height or it is cut to "…".
        self.event_chart.setFixedHeight(420)
        self.channel_chart = Chart(self.tr("By channel"), "channelChart")
        self.channel_chart.setFixedHeight(420)
        grid.addWidget(self.month_chart, 1, 0)
        grid.addWidget(self.program_chart, 1, 1)
        grid.addWidget(self.event_chart, 2, 0)
        grid.addWidget(self.channel_chart, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.month_chart.picked.connect(lambda i, s: self._chart_picked("month", i, s))
        self.program_chart.picked.connect(lambda i, s: self._chart_picked("program", i, s))
        self.event_chart.picked.connect(lambda i, s: self._chart_picked("event", i, s))
        self.channel_chart.picked.connect(lambda i, s: self._chart_picked("channel", i, s))

        board = self.leaderboard = LeaderBoard(self.ctx)
        self.leader_tabs, self.leaders = board.tabs, board.tables
        board.referred_asked.connect(
            lambda giver, name: self.show_behind(
                "giver", giver, heading=self.tr("Referred by %1").replace("%1", name)
            )
        )
        grid.addWidget(board, 3, 0, 1, 2)
        self.campaign_returns = CampaignReturns()
        grid.addWidget(self.campaign_returns, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)  # spare height stays below, not inside tiles and tables
        return content

    # -- the period -------------------------------------------------------------------------

    def _restore_period(self) -> None:
        code = str(self.ctx.settings.value("dashboard/period", "quarter"))
        index = PERIODS.index(code) if code in PERIODS else 1
        start, end = stats.period_range("quarter")
        if code == "custom":
            saved = (
                self.ctx.settings.value("dashboard/from", ""),
                self.ctx.settings.value("dashboard/to", ""),
            )
            try:
                start, end = (dt.date.fromisoformat(str(v)) for v in saved)
            except ValueError:
                index = 1
        self._set_dates(start, end)
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(index)
        self.period_combo.blockSignals(False)
        self._period_changed(index, load=False)

    def _set_dates(self, start: dt.date, end: dt.date) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def set_period(
        self, code: str, start: dt.date | None = None, end: dt.date | None = None
    ) -> None:
        """Choose a period (as the selector does); ``custom`` takes ``start`` and ``end``."""
        if code == "custom" and start is not None and end is not None:
            self._set_dates(start, end)
        self.period_combo.setCurrentIndex(PERIODS.index(code))
        if code == "custom":
            self._dates_changed()

    def _period_changed(self, index: int, load: bool = True) -> None:
        code = PERIODS[index]
        custom = code == "custom"
        for widget in (self.date_from, self.range_dash, self.date_to):
            widget.setVisible(custom)
        self.range_label.setVisible(not custom)
        if not custom:
            self.period = stats.period_range(code)
            self._set_dates(*self.period)
            self.range_label.setText(self.period_text())
        else:
            self.period = self._edited_period()
        self.ctx.settings.setValue("dashboard/period", code)
        if load:
            self.refresh()

    def _edited_period(self) -> tuple[dt.date, dt.date]:
        start: dt.date = self.date_from.date().toPython()  # type: ignore[assignment]
        end: dt.date = self.date_to.date().toPython()  # type: ignore[assignment]
        return (start, end) if start <= end else (end, start)

    def _dates_changed(self) -> None:
        if self.period_combo.currentData() != "custom":
            return
        self.period = self._edited_period()
        self.ctx.settings.setValue("dashboard/from", self.period[0].isoformat())
        self.ctx.settings.setValue("dashboard/to", self.period[1].isoformat())
        self.refresh()

    def period_text(self) -> str:
        return f"{day_text(self.period[0])} – {day_text(self.period[1])}"

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        code = self.period_combo.currentData()
        if code != "custom":
            # "This month" moves on when the month does, even with the app left open.
            self.period = stats.period_range(code)
            self._set_dates(*self.period)
            self.range_label.setText(self.period_text())
        self._request += 1
        request = self._request
        start, end = self.period

        def work(_progress: Any) -> dict[str, Any]:
            from crm.core import campaign_return

            summary = {"summary": stats.summary(start, end), "any": stats.any_referrals()}
            return {**summary, "campaigns": campaign_return.returns()}

        def done(result: dict[str, Any]) -> None:
            if request == self._request:
                self.show_summary(result["summary"], result["any"])
                self.campaign_returns.set_rows(result["campaigns"])

        self.ctx.gateway.run(work, on_done=done)

    def show_summary(self, data: dict[str, Any], any_referrals: bool = True) -> None:
        self.data = data
        if not data["referrals"]:
            if any_referrals:
                self.empty.heading.setText(self.tr("No referrals in this period"))
                self.empty.body.setText(
                    self.tr(
                        "No referral was received between %1 and %2. Choose another period "
                        "above to see what the program brought."
                    )
                    .replace("%1", day_text(self.period[0]))
                    .replace("%2", day_text(self.period[1]))
                )
                self.empty_action.hide()
            else:
                self.empty.heading.setText(self.tr("No referrals yet"))
                self.empty.body.setText(
                    self.tr(
                        "Once you record who referred whom, this page shows what the referral "
                        "program brings: referrals received and won, the business won, what "
                        "rewards cost, and which people, events and programs bring it."
                    )
                )
                self.empty_action.show()
            self.body.setCurrentWidget(self.empty)
            return
        self.body.setCurrentWidget(self.content_area)
        self._show_tiles(data)
        self._show_months(data)
        self._show_programs(data)
        self._show_events(data)
        self._show_channels(data)
        self.leaderboard.set_rows(data["top_referrers"])

    def _show_tiles(self, data: dict[str, Any]) -> None:
        currency = data["currency"]
        n, won = data["referrals"], data["won"]
        self.tiles["referrals"].set(
            number(n),
            self.tr("%1 open, %2 lost")
            .replace("%1", number(data["open"]))
            .replace("%2", number(data["lost"])),
            clickable=True,
        )
        self.tiles["won"].set(
            number(won),
            count_text(data["open"], self.tr("1 still open"), self.tr("%1 still open")),
            clickable=bool(won),
        )
        self.tiles["conversion_rate"].set(
            percent(data["conversion_rate"]),
            self.tr("%1 of %2 won").replace("%1", number(won)).replace("%2", number(n)),
        )
        values = money_lines(data["won_value"], currency, rounded=True)
        self.tiles["won_value"].set(
            "\n".join(values),
            self.tr("per currency, not converted") if len(data["won_value"]) > 1 else "",
            tip="\n".join(money_lines(data["won_value"], currency)),
        )
        rewards = data["rewards"]
        self.tiles["reward_cost"].set(
            "\n".join(money_lines(data["reward_cost"], currency, rounded=True)),
            count_text(rewards, self.tr("1 reward"), self.tr("%1 rewards")),
            tip="\n".join(money_lines(data["reward_cost"], currency)),
        )
        roi = data["roi"]
        spent = {c: r for c, r in roi.items() if r is not None}
        if not spent:
            self.tiles["roi"].set("—", self.tr("no reward cost in this period"))
        elif len(roi) == 1:
            self.tiles["roi"].set(
                percent(next(iter(spent.values())), signed=True), self.tr("(won − cost) ÷ cost")
            )
        else:
            lines = [f"{percent(r, signed=True)} {c}" for c, r in spent.items()]
            self.tiles["roi"].set("\n".join(lines), self.tr("per currency: (won − cost) ÷ cost"))

    def _show_months(self, data: dict[str, Any]) -> None:
        months = list(data["per_month"])
        years = {m[:4] for m in months}
        entries = [data["per_month"][m] for m in months]
        self._keys["month"] = months
        tips = [
            f"{month_label(m, True)}: "
            + tally_text({"referrals": e["received"], "won": e["won"], "won_value": e["won_value"]})
            for m, e in zip(months, entries, strict=True)
        ]
        self.month_chart.set_bars(
            [month_label(m, len(years) > 1) for m in months],
            [
                (self.tr("Received"), [e["received"] for e in entries], RECEIVED_COLOUR),
                (self.tr("Won"), [e["won"] for e in entries], WON_COLOUR),
            ],
            tips,
        )

    def _show_programs(self, data: dict[str, Any]) -> None:
        codes = list(data["by_program"])
        entries = [data["by_program"][c] for c in codes]
        self._keys["program"] = codes
        names = [labels.program(c) for c in codes]
        self.program_chart.set_pie(
            names,
            [e["referrals"] for e in entries],
            [f"{name}: {tally_text(e)}" for name, e in zip(names, entries, strict=True)],
        )

    def _show_events(self, data: dict[str, Any]) -> None:
        top = data["by_event"][:TOP_EVENTS]
        self._keys["event"] = [e["id"] for e in top]
        tips = [
            f"{isolate(e['title'])} ({day_text(e['date'])}): {tally_text(e)}"
            if e["date"]
            else f"{isolate(e['title'])}: {tally_text(e)}"
            for e in top
        ]
        titles = [elided(e["title"]) for e in top]
        # Events with one name (a monthly chapter meeting) are told apart by their date.
        titles = [
            f"{elided(e['title'], TITLE_CHARS - 10)} · {short_day(e['date'])}"
            if titles.count(t) > 1 and e["date"]
            else t
            for t, e in zip(titles, top, strict=True)
        ]
        self.event_chart.set_bars(
            titles,
            [
                (self.tr("Received"), [e["referrals"] for e in top], RECEIVED_COLOUR),
                (self.tr("Won"), [e["won"] for e in top], WON_COLOUR),
            ],
            tips,
            horizontal=True,
        )
        self.event_chart.set_title(
            self.tr("Events, by business won (top 10)")
            if top
            else self.tr("No referrals at events")
        )

    def _show_channels(self, data: dict[str, Any]) -> None:
        codes = list(data["by_channel"])
        entries = [data["by_channel"][c] for c in codes]
        self._keys["channel"] = codes
        names = [labels.channel(c) for c in codes]
        self.channel_chart.set_bars(
            names,
            [
                (self.tr("Received"), [e["referrals"] for e in entries], RECEIVED_COLOUR),
                (self.tr("Won"), [e["won"] for e in entries], WON_COLOUR),
            ],
            [f"{name}: {tally_text(e)}" for name, e in zip(names, entries, strict=True)],
            horizontal=True,
        )

    # -- click-through ----------------------------------------------------------------------

    def _chart_picked(self, kind: str, index: int, series: int) -> None:
        keys = self._keys.get(kind, [])
        if not 0 <= index < len(keys):
            return
        key = keys[index]
        won_only = series == 1
        if kind == "month":
            name = month_label(key, True)
        elif kind == "program":
            name = labels.program(key)
        elif kind == "channel":
            name = labels.channel(key)
        else:
            events = self.data["by_event"] if self.data else []
            name = next((e["title"] for e in events if e["id"] == key), "")
        heading = (self.tr("Won: %1") if won_only else self.tr("Received: %1")).replace("%1", name)
        self.show_behind(kind, key, won_only=won_only, heading=heading)

    def show_behind(self, kind: str, key: Any, won_only: bool = False, heading: str = "") -> None:
        """Load the referrals behind a slice of the period, then show them in the list."""
        start, end = self.period
        if not heading:
            heading = self.tr("Won") if won_only else self.tr("Referrals received")
        heading = f"{heading} ({self.period_text()})"

        def done(rows: list[dict[str, Any]]) -> None:
            dialog = self.behind_dialog
            if dialog is None:
                dialog = self.behind_dialog = BehindDialog(self.ctx, self.window())
            dialog.set_rows(heading, rows)
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()

        self.ctx.gateway.run(
            lambda _p: stats.referrals_behind(kind, key, start, end, won_only), on_done=done
        )
