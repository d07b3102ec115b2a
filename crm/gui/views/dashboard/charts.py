"""The dashboard's pieces that show figures: a headline tile and a bar or pie chart.

Both are drawn from plain lists and report clicks, so the page can list the
referrals behind what was clicked.
"""

from __future__ import annotations

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
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from crm.gui.formatting import number
from crm.gui.views.dashboard.text import tr
from crm.gui.widgets import plain_tip

PIE_COLOURS = ("#5b8fd9", "#3fae62", "#e0a030", "#b36bc9")


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
        self.setToolTip(plain_tip(tip))
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
        # Right to left (Arabic): the chart mirrored as the page is, the first month on the
        # right, names on the right of bars that grow leftwards.
        rtl = self.isRightToLeft()
        order = list(range(len(categories)))
        if horizontal or rtl:
            order.reverse()
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
        start = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        if horizontal:
            counts.setReverse(rtl)
        chart.addAxis(names, start if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom if horizontal else start)
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
        rtl = self.isRightToLeft()
        legend.setAlignment(Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight)
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
            QToolTip.showText(
                QCursor.pos(), plain_tip(self.tooltips[self._category(position)]), self
            )
        else:
            QToolTip.hideText()

    def _slice_clicked(self, part: QPieSlice) -> None:
        self.picked.emit(self.series.slices().index(part), 0)

    def _slice_hovered(self, part: QPieSlice, status: bool) -> None:
        part.setExploded(status)
        if status:
            index = self.series.slices().index(part)
            QToolTip.showText(QCursor.pos(), plain_tip(self.tooltips[index]), self)
        else:
            QToolTip.hideText()
