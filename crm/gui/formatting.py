"""How the interface shows values: dates, money, counts, status colours and text direction.

One module for every page, so that a date or an amount reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor, QGuiApplication

from crm.core import clock, users
from crm.i18n import _

# -- dates ------------------------------------------------------------------------------

DATE_FORMAT = "d MMM yyyy"  # unambiguous in every language: 5 Mar 2026


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def qtoday() -> QDate:
    """Today on the app's clock, for date pickers."""
    return qdate(clock.today())


def day_text(day: dt.date | str | None) -> str:
    """``5 Mar 2026`` in the user's language; a date or ISO text ("" for none)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    text = QLocale().toString(qdate(day), DATE_FORMAT)
    # Isolated left to right, so a right-to-left layout keeps "5 Mar 2026" in one piece.
    return f"\u2066{text}\u2069"


# -- counts and money ---------------------------------------------------------------------


def number_locale() -> QLocale:
    """The user's locale, grouping thousands (the C locale leaves them out unless asked)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def number(value: int) -> str:
    """A count with the locale's thousands separator."""
    return number_locale().toString(int(value))


def money(value: float | Decimal | str | None, currency: str = "") -> str:
    """An amount in the user's locale, cents only when there are any; "" for no value."""
    if value is None:
        return ""
    amount = float(Decimal(str(value)))
    digits = 0 if amount == int(amount) else 2
    text = number_locale().toString(amount, "f", digits)
    return f"{text} {currency}".strip()


def money_short(value: float | Decimal, currency: str = "") -> str:
    """A rounded amount for tight places: 1.8M EUR, 156K GBP, 950 USD."""
    amount = float(value)
    locale = number_locale()
    if abs(amount) >= 1_000_000:
        text = locale.toString(amount / 1_000_000, "f", 1) + "M"
    elif abs(amount) >= 10_000:
        text = locale.toString(amount / 1_000, "f", 0) + "K"
    else:
        return money(amount, currency)
    return f"{text} {currency}".strip()


def money_totals(values: dict[str, Decimal], short: bool = False, most: int = 0) -> str:
    """Totals per currency, largest first: "12,300 EUR + 800 USD" (``most`` of them, then "…")."""
    parts = [(c, v) for c, v in sorted(values.items(), key=lambda kv: -kv[1]) if v]
    fmt = money_short if short else money
    text = " + ".join(fmt(v, c) for c, v in parts[: most or None])
    return text + " + …" if most and len(parts) > most else text


# -- referral status colours ----------------------------------------------------------------

# Open steps in deepening blues, won green, lost grey: the same in table, tree and graph.
STATUS_COLOURS = {
    "new": "#e3eefc",
    "contacted": "#c6dcf8",
    "meeting": "#a3c6f2",
    "proposal": "#7eaeea",
    "won": "#8fdca3",
    "lost": "#d4d6da",
}


def status_colour(status: str | None) -> QColor:
    return QColor(STATUS_COLOURS.get(status or "", "#ffffff"))


# -- text direction ---------------------------------------------------------------------------

FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """``text`` as a Unicode bidi isolate: its direction is its own.

    A name in Arabic in an English line (or Latin in an Arabic one) then
    cannot reorder the text around it, nor lose its own trailing dot:
    "A ← B" and "venue, city" stay in the page's reading order.
    """
    return f"{FSI}{text}{PDI}" if text else ""


def cell_text(text: str) -> str:
    """A table cell's data: isolated in a right-to-left interface only.

    Item views lay every cell out in the interface's direction: in Arabic,
    "+39 340 967 6866" would show as "6866 967 340 39+" and "S.r.l." with its
    dot on the wrong side. Left-to-right interfaces need nothing.
    """
    if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        return isolate(text)
    return text


def join_data(parts: list[str], separator: str) -> str:
    """Join data values (not markup) with ``separator``, each isolated."""
    return separator.join(isolate(p) for p in parts if p)


# -- colleagues ----------------------------------------------------------------------------


def by_text(name: str) -> str:
    """ "by maria": who made a history line, a referral, a follow-up ("" when not recorded)."""
    return _("by {name}").format(name=name) if name else ""


def colleague(name: str | None) -> bool:
    """Whether ``name`` is someone other than the user (dense views sign only their lines)."""
    return bool(name) and name != users.current()


def for_text(name: str) -> str:
    """ "for luca": the colleague a follow-up is assigned to ("" for nobody in particular)."""
    return _("for {name}").format(name=name) if name else ""
