"""The quality guard: givers whose referrals rarely convert, and possible self-referrals."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm.core import quality
from crm.gui.context import AppContext
from crm.gui.formatting import day_text, number, percent
from crm.i18n import _, ngettext


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _cell(text: Any, contact_id: int | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    if contact_id is not None:
        item.setData(Qt.ItemDataRole.UserRole, contact_id)
    return item


def _rate(rate: float) -> str:
    """A conversion rate: tenths below 10% (2.5%), else whole (14%)."""
    return percent(rate, 1 if 0 < rate < 0.1 else 0)


def giver_reason(giver: dict[str, Any]) -> str:
    """Why a giver is flagged, in the interface language, from the core's figures."""
    made, won, still = giver["referrals"], giver["converted"], giver["open"]
    text = _("{referrals}, {won} ({rate}); the other givers convert {others} of theirs").format(
        referrals=ngettext("{n} referral", "{n} referrals", made).format(n=number(made)),
        won=ngettext("{n} won", "{n} won", won).format(n=number(won)),
        rate=_rate(giver["conversion_rate"]),
        others=_rate(giver["others_rate"]),
    )
    if still:
        text += " " + ngettext("({n} still open)", "({n} still open)", still).format(
            n=number(still)
        )
    return text


def referral_reason(referral: dict[str, Any]) -> str:
    """Why a referral is flagged: what giver and referred share, or what was noted then."""
    words = {"email": _("the email {value}"), "phone": _("the phone {value}")}
    words["address"] = _("the address {value}")
    shared = [
        words[what].format(value=value)
        for what, value in referral["shared"].items()
        if what in words
    ]
    if shared:
        return _("giver and referred share {what}").format(what=_(" and ").join(shared))
    # What was noted when the referral was recorded (crm.core.referral_rules, in English).
    noted = str(referral["reason"]).removeprefix("when recorded, ")
    found = re.fullmatch(r"giver and referred share the (email|phone) (.+)", noted)
    if found is None:
        return referral["reason"]
    what = words["email" if found.group(1) == "email" else "phone"].format(value=found.group(2))
    said = _("giver and referred share {what}").format(what=what)
    return _("when recorded, {what}").format(what=said)


class QualityPanel(QWidget):
    """Read-only review: double-click a row to open the person behind it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("<b>Givers to look at</b>")))
        self.givers = _table(
            [
                self.tr("Giver"),
                self.tr("Referrals"),
                self.tr("Won"),
                self.tr("Rate"),
                self.tr("Why"),
            ]
        )
        self.givers.doubleClicked.connect(lambda index: self._open(self.givers, index.row()))
        layout.addWidget(self.givers, 1)
        layout.addWidget(QLabel(self.tr("<b>Referrals that may be self-referrals</b>")))
        self.referrals = _table(
            [self.tr("Giver"), self.tr("Referred"), self.tr("Date"), self.tr("Why")]
        )
        self.referrals.doubleClicked.connect(
            lambda index: self._open(self.referrals, index.row(), index.column())
        )
        layout.addWidget(self.referrals, 1)

    def refresh(self) -> None:
        flags = quality.flags()
        average = flags["average_conversion_rate"]
        self.summary.setText(
            self.tr(
                "Givers with at least %1 referrals whose conversion is under a third of the "
                "others' (on average %2 of referrals are won), and referrals whose giver and "
                "referred person share an email, phone or address."
            )
            .replace("%1", str(flags["min_referrals"]))
            .replace("%2", percent(average) if average is not None else "–")
        )
        givers = flags["suspicious_givers"]
        self.givers.setRowCount(len(givers))
        for row, g in enumerate(givers):
            values = (
                g["name"],
                g["referrals"],
                g["converted"],
                _rate(g["conversion_rate"]),
                giver_reason(g),
            )
            for col, value in enumerate(values):
                self.givers.setItem(row, col, _cell(value, g["id"]))
        referrals = flags["suspicious_referrals"]
        self.referrals.setRowCount(len(referrals))
        for row, r in enumerate(referrals):
            self.referrals.setItem(row, 0, _cell(r["giver"], r["giver_id"]))
            self.referrals.setItem(row, 1, _cell(r["referred"], r["referred_id"]))
            self.referrals.setItem(row, 2, _cell(day_text(r["referred_on"])))
            self.referrals.setItem(row, 3, _cell(referral_reason(r), r["referred_id"]))

    def _open(self, table: QTableWidget, row: int, column: int = 0) -> None:
        # The cell's own person, else the row's first (a date cell names nobody).
        for item in (table.item(row, column), table.item(row, 0)):
            contact_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if contact_id is not None:
                self.ctx.navigate.emit("contact", int(contact_id))
                return
