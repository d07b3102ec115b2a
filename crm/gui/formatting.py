"""How the interface shows values: dates, money, counts, status colours and text direction.

One module for every page, so that a date or an amount reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QCollator, QDate, QLocale, Qt, QTime
from PySide6.QtGui import QColor, QGuiApplication

from crm.core import clock, users
from crm.i18n import _, ngettext, pgettext

# -- dates ------------------------------------------------------------------------------
#
# Every QLocale() below is the interface language's (translation.install makes it the
# default): "Sun 6 Dec 2026" reads "Κυρ 6 Δεκ 2026" in Greek, "dom 6 dic 2026" in Italian.

DATE_FORMAT = "d MMM yyyy"  # unambiguous in every language: 5 Mar 2026
WEEKDAY_DATE_FORMAT = "ddd d MMM yyyy"  # Sun 6 Dec 2026


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def qtoday() -> QDate:
    """Today on the app's clock, for date pickers."""
    return qdate(clock.today())


def _as_date(day: dt.date | str) -> dt.date:
    if isinstance(day, str):
        return dt.date.fromisoformat(day[:10])
    if isinstance(day, dt.datetime):
        return day.date()
    return day


def day_text(day: dt.date | str | None, weekday: bool = False) -> str:
    """``5 Mar 2026`` (``Thu 5 Mar 2026``) in the user's language; a date or ISO text.

    The date is a bidi isolate of its own direction: "6 ديسمبر 2026" reads right to
    left in Arabic and "6 Dec 2026" left to right, each in one piece whatever the
    line around it ("" for no date).
    """
    if not day:
        return ""
    fmt = WEEKDAY_DATE_FORMAT if weekday else DATE_FORMAT
    return isolate(QLocale().toString(qdate(_as_date(day)), fmt))


BIRTHDAY_FORMAT = "d MMM"  # 15 Jul: a birthday without its year


def birthday_text(value: str | None) -> str:
    """A stored birthday ("1980-07-15", or "--07-15" without the year) as the user's
    language writes it: "15 Ιουλ 1980", "15 يوليو", isolated ("" for none)."""
    if not value:
        return ""
    locale = QLocale()
    if value.startswith("--"):
        month, day = (int(p) for p in value[2:].split("-"))
        # A leap year, so that 29 February has a date to be written from.
        return isolate(locale.toString(QDate(2000, month, day), BIRTHDAY_FORMAT))
    return isolate(locale.toString(qdate(_as_date(value)), BIRTHDAY_FORMAT + " yyyy"))


def moment_text(when: dt.datetime | str | None, weekday: bool = False) -> str:
    """A date and time of day, ``5 Mar 2026 14:30`` in the user's conventions, isolated."""
    if not when:
        return ""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    locale = QLocale()
    day = locale.toString(qdate(when.date()), WEEKDAY_DATE_FORMAT if weekday else DATE_FORMAT)
    time = locale.toString(QTime(when.hour, when.minute), QLocale.FormatType.ShortFormat)
    return isolate(f"{day} {time}")


def asked_days_ago(days: int) -> str:
    """ "Asked 12 days ago", in the plural form the language gives that number."""
    return ngettext("Asked {n} day ago", "Asked {n} days ago", days).format(n=days)


# -- counts and money ---------------------------------------------------------------------


def language_name(code: str) -> str:
    """A language as the interface language names it (CLDR): "Αγγλικά", "Inglese",
    "Английски", "الإنجليزية" for ``en``; an unknown code as it is."""
    return _language_name(QLocale().name(), code)


@functools.lru_cache(maxsize=64)
def _language_name(ui: str, code: str) -> str:
    # Imported here: babel is not needed to paint the first page at start-up.
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(ui).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    # Alone in a cell or a list, a name starts with a capital (Italian, Bulgarian write
    # "inglese", "английски" inside a sentence).
    return name[:1].upper() + name[1:] if name else code


def territory_name(code: str) -> str:
    """The country's name for a two-letter code ("" when Qt does not know it)."""
    if len(code) != 2:
        return ""
    territory = QLocale.codeToTerritory(code.upper())
    if territory == QLocale.Country.AnyTerritory:
        return ""
    # Qt names countries in English only: CLDR's name in the interface language.
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(QLocale().name()).territories.get(code.upper())
    except (UnknownLocaleError, ValueError):
        name = None
    return name or QLocale.territoryToString(territory)


def number_locale() -> QLocale:
    """The user's locale, grouping thousands (the C locale leaves them out unless asked)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def number(value: int) -> str:
    """A count with the locale's thousands separator."""
    return number_locale().toString(int(value))


def percent(rate: float, digits: int = 0) -> str:
    """``rate`` (0.45) as a percentage in the user's locale: "45%", "45 ٪" …"""
    locale = number_locale()
    return locale.toString(rate * 100, "f", digits) + locale.percent().strip("\u200e\u061c")


def money(value: float | Decimal | str | None, currency: str = "") -> str:
    """An amount in the user's locale, cents only when there are any; "" for no value."""
    if value is None:
        return ""
    amount = float(Decimal(str(value)))
    digits = 0 if amount == int(amount) else 2
    text = number_locale().toString(amount, "f", digits)
    # One piece in a right-to-left line: "1,200 EUR", never "EUR 1,200".
    return cell_text(f"{text} {currency}".strip())


def short_number(value: float | Decimal) -> str:
    """A rounded figure for tight places, in the interface language's short words (CLDR's
    compact decimals): "1.8M", "156K" in English, "1,8 εκ.", "156 χιλ." in Greek,
    "1,8 млн.", "1,8 Mln", "1.8 مليون"; below 10,000 the whole number, grouped."""
    amount = float(value)
    if abs(amount) < 10_000:
        return number_locale().toString(amount, "f", 0 if amount == int(amount) else 2)
    from babel.numbers import format_compact_decimal

    digits = 1 if abs(amount) >= 1_000_000 else 0
    return format_compact_decimal(
        amount,
        format_type="short",
        locale=QLocale().name(),
        fraction_digits=digits,
        numbering_system="latn",
    )


def money_short(value: float | Decimal, currency: str = "") -> str:
    """A rounded amount for tight places: 1.8M EUR, 156K GBP, 950 USD (in the UI language)."""
    amount = float(value)
    if abs(amount) < 10_000:
        return money(amount, currency)
    return cell_text(f"{short_number(amount)} {currency}".strip())


def money_totals(values: dict[str, Decimal], short: bool = False, most: int = 0) -> str:
    """Totals per currency, largest first: "12,300 EUR + 800 USD" (``most`` of them, then "…")."""
    parts = [(c, v) for c, v in sorted(values.items(), key=lambda kv: -kv[1]) if v]
    fmt = money_short if short else money
    text = " + ".join(fmt(v, c) for c, v in parts[: most or None])
    text = text + " + …" if most and len(parts) > most else text
    if QGuiApplication.isRightToLeft() and (len(parts) > 1):
        # The amounts are isolates, so the line has no letter of its own to set its
        # direction: put in isolates again (a cell) it would be read left to right,
        # "… +" first. The right-to-left mark makes it an Arabic line.
        text = "\u200f" + text
    return text


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
    if not text or _isolated(text):
        return text
    return f"{FSI}{text}{PDI}"


def _isolated(text: str) -> bool:
    """Whether ``text`` is already one isolate from its first character to its last."""
    if not (text.startswith(FSI) and text.endswith(PDI)):
        return False
    depth = 0
    for i, char in enumerate(text):
        if char in (FSI, "\u2066", "\u2067"):
            depth += 1
        elif char == PDI:
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False  # "⁨a⁩ ⁨b⁩": two isolates side by side
    return depth == 0


def cell_text(text: str) -> str:
    """A table cell's data: isolated in a right-to-left interface only.

    Item views lay every cell out in the interface's direction: in Arabic,
    "+39 340 967 6866" would show as "6866 967 340 39+" and "S.r.l." with its
    dot on the wrong side. Left-to-right interfaces need nothing.
    """
    # isRightToLeft: a bool, where layoutDirection() makes an enum for each cell.
    if QGuiApplication.isRightToLeft():
        return isolate(text)
    return text


def join_data(parts: list[str], separator: str) -> str:
    """Join data values (not markup) with ``separator``, each isolated."""
    return separator.join(isolate(p) for p in parts if p)


def list_separator() -> str:
    """The interface language's separator of a list: ", " (Arabic "، ")."""
    return pgettext("list separator", ", ")


def data_list(parts: Iterable[str]) -> str:
    """Names, phones, files as one list in the interface's words: each an isolate (an
    English name in an Arabic line keeps its place), joined by the language's comma."""
    return list_separator().join(cell_text(str(p)) for p in parts if p)


def month_day_text(text: str) -> str:
    """A birthday without a year (``--10-04``, vCard's form) as "4 October" in the
    user's language; anything else as it is."""
    if len(text) == 7 and text.startswith("--") and text[4] == "-":
        month, day = int(text[2:4]), int(text[5:7])
        if QDate.isValid(2000, month, day):
            return isolate(QLocale().toString(QDate(2000, month, day), "d MMMM"))
    return text


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


# -- sorting -------------------------------------------------------------------------------


_collators: dict[str, QCollator] = {}


def collator() -> QCollator:
    """The user's language's collation, case ignored, numbers by value (one per locale)."""
    name = QLocale().name()
    if name not in _collators:
        found = QCollator(QLocale())
        found.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        found.setNumericMode(True)
        _collators[name] = found
    return _collators[name]


def collated(texts: Iterable[str]) -> list[str]:
    """``texts`` in the user's language's alphabetical order (Greek Ά with Α, Bulgarian
    Й after И, accents after their letter), case ignored, as a person looks for a name."""
    return sorted(texts, key=functools.cmp_to_key(collator().compare))
