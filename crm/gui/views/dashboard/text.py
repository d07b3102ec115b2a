"""How the dashboard words its figures: counts, money per currency, rates, months, names.

Money stays per currency: one line each, never a sum across currencies.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from crm.gui import formatting
from crm.gui.formatting import money, number

TITLE_CHARS = 28


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
    return formatting.cell_text(f"{_locale().toString(float(value), 'f', 0)} {currency}")


def money_lines(values: dict[str, Any], currency: str = "", rounded: bool = False) -> list[str]:
    """One line per currency, largest first; "0 EUR" in ``currency`` when there is none."""
    parts = sorted(values.items(), key=lambda kv: -Decimal(kv[1]))
    fmt = whole if rounded else money
    lines = [fmt(v, c) for c, v in parts if v]
    return lines or ([fmt(0, currency)] if currency else [])


def percent(rate: float | None, signed: bool = False) -> str:
    if rate is None:
        return "—"
    digits = 1 if abs(rate) < 0.1 and rate else 0
    text = formatting.percent(abs(rate), digits)
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


def tally_text(entry: dict[str, Any]) -> str:
    """ "12 referrals, 5 won: 3,400 EUR + 200 USD" for a tooltip or a slice."""
    text = referrals_text(entry["referrals"]) + tr(", %1 won").replace("%1", number(entry["won"]))
    values = money_lines(entry["won_value"])
    return text + (": " + " + ".join(values) if values else "")
