"""The pipeline bar: a segmented status filter showing each status's count and value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QToolButton, QWidget

from crm.core import models
from crm.gui import labels
from crm.gui.formatting import STATUS_COLOURS, cell_text, money_totals, number, status_colour
from crm.i18n import ngettext


class PipelineBar(QWidget):
    """A segmented status filter: All, then one button per status with count and value.

    One row when every button's words fit, else two (a narrow window, a long language):
    a status, its count and its value are never cut short.
    """

    status_chosen = Signal(object)  # a status code, or None for all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.rows = 0
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str | None, QToolButton] = {}
        for code in (None, *models.REFERRAL_STATUSES):
            button = QToolButton()
            button.setCheckable(True)
            button.setObjectName(f"pipeline_{code or 'all'}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(
                button.sizePolicy().Policy.Expanding, button.sizePolicy().Policy.Preferred
            )
            # A narrow window squeezes the buttons rather than the whole page.
            button.setMinimumWidth(56)
            colour = status_colour(code).darker(125).name() if code else "#9aa5b1"
            checked = STATUS_COLOURS[code] if code else "#e4e7eb"
            button.setStyleSheet(
                "QToolButton { border: 1px solid palette(mid); border-top: 4px solid "
                f"{colour}; border-radius: 4px; padding: 4px 8px; background: palette(base); }}"
                f"QToolButton:checked {{ background: {checked}; font-weight: 600; }}"
                "QToolButton:hover:!checked { background: palette(alternate-base); }"
            )
            button.clicked.connect(lambda _c=False, s=code: self.status_chosen.emit(s))
            self.group.addButton(button)
            self.buttons[code] = button
        self.buttons[None].setChecked(True)
        self._arrange(1)

    def set_totals(self, totals: dict[str, dict[str, Any]]) -> None:
        all_count = sum(t["count"] for t in totals.values())
        self.buttons[None].setText(self.tr("All") + "\n" + number(all_count))
        for code, button in self.buttons.items():
            if code is None:
                continue
            entry = totals.get(code, {"count": 0, "values": {}})
            count = number(int(entry["count"]))
            value = money_totals(entry["values"])
            # Isolated in Arabic, so "+ …" stays after the amount it follows.
            short = cell_text(money_totals(entry["values"], short=True, most=1))
            button.setText(f"{labels.referral_status(code)} · {count}\n{short or '—'}")
            n = int(entry["count"])
            button.setToolTip(
                ngettext(
                    "{status}: {n} referral, {value}", "{status}: {n} referrals, {value}", n
                ).format(
                    status=labels.referral_status(code),
                    n=count,
                    value=cell_text(value) or self.tr("no value recorded"),
                )
            )
        self._fit()

    def _arrange(self, rows: int) -> None:
        """The buttons in ``rows`` rows of equal columns."""
        if rows == self.rows:
            return
        self.rows = rows
        buttons = list(self.buttons.values())
        per_row = -(-len(buttons) // rows)
        for button in buttons:
            self.grid.removeWidget(button)
        # No stretch: each button gets at least its words' width, the rest shared out.
        for column in range(len(buttons)):
            self.grid.setColumnStretch(column, 0)
        for n, button in enumerate(buttons):
            self.grid.addWidget(button, n // per_row, n % per_row)

    def rows_needed(self, width: int) -> int:
        """One row if every button's text fits ``width`` side by side, else two."""
        spacing = self.grid.horizontalSpacing() * (len(self.buttons) - 1)
        wanted = sum(b.sizeHint().width() for b in self.buttons.values())
        return 1 if wanted + spacing <= width else 2

    def _fit(self) -> None:
        self._arrange(self.rows_needed(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def set_current(self, status: str | None) -> None:
        self.buttons[status].setChecked(True)

    def current(self) -> str | None:
        return next(code for code, b in self.buttons.items() if b.isChecked())
