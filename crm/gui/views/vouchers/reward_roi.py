"""The return-on-rewards tab: what referred business brought in against what its rewards cost.

A child of :class:`crm.gui.views.vouchers.rewards.RewardsPanel`, which shows it as its
"Return on Rewards" tab; the sums are :mod:`crm.core.reward_roi`'s.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from crm.core import referrals, reward_roi
from crm.gui import labels
from crm.gui.context import AppContext
from crm.gui.formatting import cell_text, money, number
from crm.gui.views.vouchers.reward_tables import (
    CONTACT_ROLE,
    GIVERS_SHOWN,
    R_GROUP,
    R_ROI,
    Filling,
    make_table,
    table_item,
)


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    locale = QLocale()
    # The C locale leaves out the thousands separator unless asked.
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale.toString(value * 100, "f", 0) + "\u00a0%"


class RewardRoiTab(QWidget):
    """The ROI table per giver, program or month; the panel loads it when it is shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        group_label = QLabel(self.tr("&Per:"))
        self.roi_group = QComboBox()
        self.roi_group.setObjectName("roiGroup")
        self.roi_group.addItem(self.tr("Giver"), "giver")
        self.roi_group.addItem(self.tr("Program"), "program")
        self.roi_group.addItem(self.tr("Month"), "period")
        group_label.setBuddy(self.roi_group)
        period_label = QLabel(self.tr("P&eriod:"))
        self.roi_period = QComboBox()
        self.roi_period.setObjectName("roiPeriod")
        self.roi_period.addItem(self.tr("All time"), "all")
        self.roi_period.addItem(self.tr("This year"), "year")
        self.roi_period.addItem(self.tr("This quarter"), "quarter")
        self.roi_period.addItem(self.tr("This month"), "month")
        period_label.setBuddy(self.roi_period)
        for combo in (self.roi_group, self.roi_period):
            combo.currentIndexChanged.connect(lambda _i: self.load())
        bar.addWidget(group_label)
        bar.addWidget(self.roi_group)
        bar.addSpacing(12)
        bar.addWidget(period_label)
        bar.addWidget(self.roi_period)
        bar.addStretch(1)
        lay.addLayout(bar)

        self.roi_table = make_table(
            [
                self.tr("Giver"),
                self.tr("Won value"),
                self.tr("Reward cost"),
                self.tr("ROI"),
                self.tr("Won"),
                self.tr("Rewards"),
            ],
            stretch=(R_GROUP,),
        )
        self.roi_table.setObjectName("roi")
        self.roi_note = QLabel()
        self.roi_note.setObjectName("roiNote")
        self.roi_note.hide()
        lay.addWidget(self.roi_note)
        self.roi_table.doubleClicked.connect(lambda index: self._open_roi(index.row()))
        lay.addWidget(self.roi_table, 1)
        note = QLabel(
            self.tr(
                "ROI is what referred business won brought in, less what its rewards cost, "
                "for each unit spent: (won value − reward cost) ÷ reward cost. Business counts "
                "in the period its referral came in, a reward's cost in the period it was earned. "
                "Currencies are never added together."
            )
        )
        note.setWordWrap(True)
        lay.addWidget(note)

    def load(self) -> None:
        """Work out the return on rewards for the grouping and period chosen."""
        group = self.roi_group.currentData()
        start, end = referrals.period_range(self.roi_period.currentData())
        rows = reward_roi.roi(start, end, group_by=group)
        if group == "period":  # the latest month first, the totals still last
            months = sorted(
                (r for r in rows if not r["total"]), key=lambda r: r["group"], reverse=True
            )
            rows = months + [r for r in rows if r["total"]]
        givers = sum(1 for r in rows if not r["total"])
        if group == "giver" and givers > GIVERS_SHOWN:
            self.roi_note.setText(
                self.tr("The %1 rows that brought the most, of %2; the totals count them all.")
                .replace("%1", number(GIVERS_SHOWN))
                .replace("%2", number(givers))
            )
            rows = rows[:GIVERS_SHOWN] + [r for r in rows if r["total"]]
        else:
            self.roi_note.clear()
        self.roi_note.setVisible(bool(self.roi_note.text()))
        header = {
            "giver": self.tr("Giver"),
            "program": self.tr("Program"),
            "period": self.tr("Month"),
        }
        self.roi_table.setHorizontalHeaderItem(R_GROUP, QTableWidgetItem(header[group]))
        with Filling(self.roi_table) as table:
            table.setRowCount(len(rows))
            bold = QFont(table.font())
            bold.setBold(True)
            for i, r in enumerate(rows):
                if r["total"]:
                    label = self.tr("Total")
                elif group == "giver":
                    label = cell_text(r["label"])
                elif group == "program":
                    label = labels.program(r["group"]) if r["group"] else self.tr("Added by hand")
                else:
                    year, month = (int(p) for p in str(r["group"]).split("-"))
                    label = QLocale().toString(QDate(year, month, 1), "MMM yyyy")
                cells = [
                    table_item(label),
                    table_item(money(r["won_value"], r["currency"]), align_right=True),
                    table_item(money(r["cost"], r["currency"]), align_right=True),
                    table_item(_percent(r["roi"]), align_right=True),
                    table_item(number(r["won"]), align_right=True),
                    table_item(number(r["rewards"]), align_right=True),
                ]
                cells[0].setData(CONTACT_ROLE, r["group"] if group == "giver" else None)
                for column, cell in enumerate(cells):
                    if r["total"]:
                        cell.setFont(bold)
                    if column == R_ROI and r["roi"] is None:
                        cell.setToolTip(self.tr("Nothing was spent on rewards here"))
                    if column == R_ROI and r["roi"] is not None and r["roi"] < 0:
                        cell.setForeground(Qt.GlobalColor.darkRed)
                    table.setItem(i, column, cell)

    def _open_roi(self, row: int) -> None:
        item = self.roi_table.item(row, R_GROUP)
        if item is not None and item.data(CONTACT_ROLE):
            self.ctx.navigate.emit("contact", int(item.data(CONTACT_ROLE)))
