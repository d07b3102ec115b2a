"""The dashboard: what the referral program brought and cost in a period, and who brought it.

Figures come from :func:`crm.core.stats.summary` through the gateway, as plain
dicts. Money stays per currency: a tile or a tooltip lists each currency on its
own, never a sum across them. Every chart, tile and leaderboard row leads to
the people behind it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QCursor, QFont, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from crm.core import stats
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.views.base import View
from crm.gui.views.referral_dialog import DATE_FORMAT, day_text, money, number, status_text
from crm.gui.widgets import EmptyState, PreservingDialog

PERIODS = ("month", "quarter", "year", "custom")
RECEIVED_COLOUR, WON_COLOUR = QColor("#5b8fd9"), QColor("#3fae62")
PIE_COLOURS = ("#5b8fd9", "#3fae62", "#e0a030", "#b36bc9")
TOP_EVENTS = 10
TITLE_CHARS = 28
ID_ROLE = Qt.ItemDataRole.UserRole
ROOT = QModelIndex()


# -- words ------------------------------------------------------------------------------------


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def count_text(n: int, one: str, many: str) -> str:
    """``one`` for 1, else ``many`` with %1 replaced: "1 referral", "3 referrals"."""
    return one if n == 1 else many.replace("%1", number(n))


def referrals_text(n: int) -> str:
    return count_text(n, tr("1 referral"), tr("%1 referrals"))


def _locale() -> QLocale:
    # The C locale leaves out the thousands separator unless asked.
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def whole(value: Any, currency: str) -> str:
    """An amount rounded to whole units, for a glance: "75,900 EUR"."""
    return f"{_locale().toString(float(value), 'f', 0)} {currency}"


def money_lines(values: dict[str, Any], currency: str = "", rounded: bool = False) -> list[str]:
    """One line per currency, largest first; "0 EUR" in ``currency`` when there is none."""
    parts = sorted(values.items(), key=lambda kv: -Decimal(kv[1]))
    fmt = whole if rounded else money
    lines = [fmt(v, c) for c, v in parts if v]
    return lines or ([fmt(0, currency)] if currency else [])


def percent(rate: float | None, signed: bool = False) -> str:
    if rate is None:
        return "—"
    locale = _locale()
    digits = 1 if abs(rate) < 0.1 and rate else 0
    text = locale.toString(abs(rate) * 100, "f", digits) + "%"
    if signed:
        text = ("+" if rate >= 0 else "−") + text
    return text


def month_label(key: str, with_year: bool) -> str:
    day = QDate(int(key[:4]), int(key[5:7]), 1)
    return QLocale().toString(day, "MMM yy" if with_year else "MMM")


def short_day(day: dt.date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yy")


def elided(text: str, chars: int = TITLE_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def unique(names: list[str]) -> list[str]:
    """The names made distinct with invisible marks: a category axis merges equal names,
    and the bars would then sit under the wrong ones."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name + "\u200b" * n)
    return out


def tally_text(entry: dict[str, Any]) -> str:
    """ "12 referrals, 5 won: 3,400 EUR + 200 USD" for a tooltip or a slice."""
    text = referrals_text(entry["referrals"]) + tr(", %1 won").replace("%1", number(entry["won"]))
    values = money_lines(entry["won_value"])
    return text + (": " + " + ".join(values) if values else "")


# -- pieces -----------------------------------------------------------------------------------


class KpiTile(QFrame):
    """A headline figure with its caption and a line of detail; clicking shows who is behind."""

    clicked = Signal()

    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.value = QLabel()
        self.value.setObjectName("value")
        self.detail = QLabel()
        base = self.value.font().pointSizeF()
        self.big, self.medium = QFont(self.value.font()), QFont(self.value.font())
        self.big.setPointSizeF(base * 1.6)
        self.medium.setPointSizeF(base * 1.15)
        for font in (self.big, self.medium):
            font.setBold(True)
        self.value.setFont(self.big)
        for label in (self.caption, self.value, self.detail):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addStretch(1)
        self.clickable = False

    def set(self, value: str, detail: str = "", clickable: bool = False, tip: str = "") -> None:
        # A figure per currency takes several lines: smaller, so they fit the tile.
        self.value.setFont(self.big if "\n" not in value else self.medium)
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.clickable = clickable
        if clickable:
            tip = "\n\n".join(p for p in (tip, tr("Click to list the referrals behind it")) if p)
        self.setToolTip(tip)
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.clickable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class Chart(QChartView):
    """A chart that is redrawn from plain lists and reports clicks by position."""

    # (category index, series index: 0 received, 1 won) for bars; (slice index, 0) for a pie.
    picked = Signal(int, int)

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFixedHeight(280)
        self.title = title
        # A QBarSeries, a QHorizontalBarSeries or a QPieSeries once drawn.
        self.series: Any = None
        self._order: list[int] = []
        self.tooltips: list[str] = []
        self.categories: list[str] = []
        self._clear()

    def set_title(self, title: str) -> None:
        self.title = title
        self.chart().setTitle(title)

    def _clear(self) -> None:
        """Start from a fresh chart: axes taken off a chart linger on screen."""
        chart = QChart()
        chart.setTitle(self.title)
        font = chart.titleFont()
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        chart.setTheme(
            QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
        )
        chart.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        chart.setTitleBrush(self.palette().color(QPalette.ColorRole.Text))
        chart.legend().setLabelColor(self.palette().color(QPalette.ColorRole.Text))
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.series = None

    def set_bars(
        self,
        categories: list[str],
        sets: list[tuple[str, list[int], QColor]],
        tooltips: list[str],
        horizontal: bool = False,
    ) -> None:
        """Bars per category, one set each (received, won); ``horizontal`` puts the first
        category at the top."""
        self._clear()
        self.categories, self.tooltips = categories, tooltips
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        order = (
            list(reversed(range(len(categories)))) if horizontal else list(range(len(categories)))
        )
        for name, values, colour in sets:
            bar_set = QBarSet(name)
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            bar_set.append([float(values[i]) for i in order])
            series.append(bar_set)
        # Few categories would make slabs of the bars: narrower then.
        series.setBarWidth(0.8 if len(categories) > 2 else 0.5)
        chart = self.chart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(unique([categories[i] for i in order]))
        if not horizontal and len(categories) > 12:
            names.setLabelsAngle(-90)  # a long custom period: names side by side would be cut
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        top = max((v for _n, values, _c in sets for v in values), default=0)
        counts.setRange(0, max(top, 1))
        counts.applyNiceNumbers()
        counts.setMinorTickCount(0)
        if top < 5:
            counts.setTickCount(max(top, 1) + 1)
        chart.addAxis(
            names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        )
        chart.addAxis(
            counts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        )
        series.attachAxis(names)
        series.attachAxis(counts)
        for axis in (names, counts):
            axis.setLabelsColor(self.palette().color(QPalette.ColorRole.Text))
        self._order = order
        series.clicked.connect(self._bar_clicked)
        series.hovered.connect(self._bar_hovered)
        self.series = series
        chart.legend().setVisible(len(sets) > 1)

    def set_pie(self, labels_: list[str], values: list[int], tooltips: list[str]) -> None:
        self._clear()
        self.categories, self.tooltips = labels_, tooltips
        series = QPieSeries()
        total = sum(values)
        for i, (label, value) in enumerate(zip(labels_, values, strict=True)):
            part = series.append(f"{label}: {number(value)}", float(value))
            part.setColor(QColor(PIE_COLOURS[i % len(PIE_COLOURS)]))
            part.setBorderColor(self.palette().color(QPalette.ColorRole.Base))
            # Names and counts in the legend: labels around a small pie get cut off.
            part.setLabelVisible(False)
        series.setPieSize(0.8 if total else 0.0)
        series.clicked.connect(self._slice_clicked)
        series.hovered.connect(self._slice_hovered)
        self.chart().addSeries(series)
        legend = self.chart().legend()
        legend.setVisible(True)
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.series = series

    # -- reading back (tests, and the clicks) -----------------------------------------------

    def bar_values(self) -> dict[str, list[float]]:
        """Each set's values in category order (as given to :meth:`set_bars`)."""
        assert isinstance(self.series, QBarSeries | QHorizontalBarSeries)
        out = {}
        for bar_set in self.series.barSets():
            shown = [bar_set.at(i) for i in range(bar_set.count())]
            values = [0.0] * len(shown)
            for position, index in enumerate(self._order):
                values[index] = shown[position]
            out[bar_set.label()] = values
        return out

    def slice_values(self) -> dict[str, float]:
        assert isinstance(self.series, QPieSeries)
        return {s.label(): s.value() for s in self.series.slices()}

    def _category(self, position: int) -> int:
        return self._order[position]

    def _bar_clicked(self, position: int, bar_set: QBarSet) -> None:
        self.picked.emit(self._category(position), self.series.barSets().index(bar_set))

    def _bar_hovered(self, status: bool, position: int, _bar_set: QBarSet) -> None:
        if status and 0 <= position < len(self._order):
            QToolTip.showText(QCursor.pos(), self.tooltips[self._category(position)], self)
        else:
            QToolTip.hideText()

    def _slice_clicked(self, part: QPieSlice) -> None:
        self.picked.emit(self.series.slices().index(part), 0)

    def _slice_hovered(self, part: QPieSlice, status: bool) -> None:
        part.setExploded(status)
        if status:
            index = self.series.slices().index(part)
            QToolTip.showText(QCursor.pos(), self.tooltips[index], self)
        else:
            QToolTip.hideText()


class BehindModel(QAbstractTableModel):
    """The referrals behind a figure; a model, since a year's "received" can be thousands."""

    COLUMNS = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Referred"), tr("Referred by"), tr("Date"), tr("Status"), tr("Value"))[
                section
            ]
        return None

    def text(self, row: int, column: int) -> str:
        item = self.rows[row]
        if column == 0:
            return str(item["referred"])
        if column == 1:
            return str(item["giver"])
        if column == 2:
            return day_text(item["referred_on"]) if item["referred_on"] else ""
        if column == 3:
            return status_text(item["status"])
        return money(item["value"], item["currency"]) if item["value"] is not None else ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == ID_ROLE:
            return self.rows[index.row()]["referred_id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BehindDialog(PreservingDialog):
    """The referrals behind a bar, a slice or a tile; double-click opens the contact."""

    settings_key = "dashboardBehind"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.geometry_settings = ctx.settings
        self.setObjectName("behindDialog")
        self.setModal(False)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.model = BehindModel(self)
        self.table = QTableView()
        self.table.setObjectName("behindTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Widths from sample texts: measuring every row of a long list would stall.
        metrics = self.table.fontMetrics()
        for column, sample in ((2, "30 Sep 2026 "), (3, "Contacted "), (4, "1,234,567.89 EUR")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        # Activation: a double-click or Enter (a single click where the desktop says so).
        self.table.activated.connect(self._open)
        layout.addWidget(self.table)
        hint = QLabel(self.tr("Double-click a row to open the contact."))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def set_rows(self, heading: str, rows: list[dict[str, Any]]) -> None:
        self.setWindowTitle(heading)
        self.heading.setText(f"{heading} — {referrals_text(len(rows))}")
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)

    def names(self) -> list[str]:
        return [self.model.text(i, 0) for i in range(self.model.rowCount())]

    def row_texts(self, row: int) -> list[str]:
        return [self.model.text(row, c) for c in range(BehindModel.COLUMNS)]

    def contact_ids(self) -> list[int]:
        return [int(r["referred_id"]) for r in self.model.rows]

    def _open(self, index: QModelIndex) -> None:
        self.ctx.navigate.emit("contact", self.contact_ids()[index.row()])


# -- the page --------------------------------------------------------------------------------


class DashboardView(View):
    depends_on = ("referrals", "rewards", "vouchers", "contacts", "events")

    LEADER_COLUMNS = 6

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

        board = QWidget()
        board_layout = QVBoxLayout(board)
        board_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Top referrers"))
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        board_layout.addWidget(caption)
        self.leader_tabs = QTabWidget()
        self.leader_tabs.setObjectName("leaderTabs")
        self.leaders = {
            "by_won_value": self._leader_table("leadersByValue"),
            "by_count": self._leader_table("leadersByCount"),
        }
        self.leader_tabs.addTab(self.leaders["by_won_value"], self.tr("By won value"))
        self.leader_tabs.addTab(self.leaders["by_count"], self.tr("By number of referrals"))
        board_layout.addWidget(self.leader_tabs)
        note = QLabel(
            self.tr(
                "Network value: their own won business plus that of everyone who came "
                "through the people they referred, at any depth. Click a row to open the "
                "contact; right-click for more."
            )
        )
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        board_layout.addWidget(note)
        grid.addWidget(board, 3, 0, 1, 2)
        grid.setRowStretch(4, 1)  # spare height stays below, not inside tiles and tables
        return content

    def _leader_table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, self.LEADER_COLUMNS)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(
            [
                "#",
                self.tr("Referrer"),
                self.tr("Referrals"),
                self.tr("Won"),
                self.tr("Won value"),
                self.tr("Network value"),
            ]
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = table.horizontalHeader()
        for column in range(self.LEADER_COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.cellClicked.connect(lambda row, _c, t=table: self._leader_clicked(t, row))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(lambda pos, t=table: self._leader_menu(t, pos))
        return table

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
            return {"summary": stats.summary(start, end), "any": stats.any_referrals()}

        def done(result: dict[str, Any]) -> None:
            if request == self._request:
                self.show_summary(result["summary"], result["any"])

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
        for key, table in self.leaders.items():
            self._fill_leaders(table, data["top_referrers"][key])

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
            f"{e['title']} ({day_text(e['date'])}): {tally_text(e)}"
            if e["date"]
            else f"{e['title']}: {tally_text(e)}"
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

    def _fill_leaders(self, table: QTableWidget, rows: list[dict[str, Any]]) -> None:
        table.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, row in enumerate(rows):
            cells = (
                (number(i + 1), right),
                (row["name"], Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter),
                (number(row["referrals"]), right),
                (number(row["won"]), right),
                ("\n".join(money_lines(row["won_value"], rounded=True)), right),
                ("\n".join(money_lines(row["network_value"], rounded=True)), right),
            )
            for column, (text, alignment) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row["id"])
                item.setTextAlignment(alignment)
                table.setItem(i, column, item)
            name = table.item(i, 1)
            assert name is not None
            font = QFont(name.font())
            font.setUnderline(True)
            name.setFont(font)
            name.setForeground(table.palette().color(QPalette.ColorRole.Link))
        table.resizeRowsToContents()
        # Tall enough for every row: the page scrolls, not the table.
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(i) for i in range(table.rowCount()))
        table.setFixedHeight(max(height, 120))

    # -- click-through ----------------------------------------------------------------------

    def _leader_id(self, table: QTableWidget, row: int) -> int | None:
        item = table.item(row, 0)
        return int(item.data(ID_ROLE)) if item is not None else None

    def _leader_clicked(self, table: QTableWidget, row: int) -> None:
        giver = self._leader_id(table, row)
        if giver is not None:
            self.ctx.navigate.emit("contact", giver)

    def _leader_menu(self, table: QTableWidget, pos: QPoint) -> None:
        index = table.indexAt(pos)
        giver = self._leader_id(table, index.row()) if index.isValid() else None
        if giver is None:
            return
        item = table.item(index.row(), 1)
        name = item.text() if item is not None else ""
        menu = QMenu(self)
        menu.addAction(self.tr("Open Contact"), lambda: self.ctx.navigate.emit("contact", giver))
        menu.addAction(
            self.tr("Whom They Referred in This Period…"),
            lambda: self.show_behind(
                "giver", giver, heading=self.tr("Referred by %1").replace("%1", name)
            ),
        )
        menu.addAction(
            self.tr("Show Referral Chain"), lambda: self.ctx.navigate.emit("chain", giver)
        )
        menu.popup(table.viewport().mapToGlobal(pos))

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
