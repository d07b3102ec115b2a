"""Numbers, amounts and dates in a language's conventions, for words the core writes.

The GUI formats with QLocale (crm/gui/formatting.py); the core, which never imports
Qt, formats the values inside its messages and its rule-made lines with babel (CLDR,
the same data): "1.234" in Greek, "1 234" in Bulgarian, "6 Δεκ 2026". A value in a
right-to-left line is put in a bidi isolate (FSI … PDI), so a Latin name, a date or an
amount keeps its place and its own order in an Arabic sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from crm import i18n

# The conventions that go with each language (as crm/gui/translation.py's UI_LOCALES):
# Arabic writes Western digits with 1,234.56, as in the Gulf.
FORMAT_LOCALES = {"en": "en_US", "el": "el_GR", "bg": "bg_BG", "it": "it_IT", "ar": "ar_AE"}
RTL_LANGUAGES = ("ar",)
FSI, PDI = "\u2068", "\u2069"


def _code(language: str | None) -> str:
    return i18n.normalize(language or i18n.language())


def format_locale(language: str | None = None) -> str:
    """Babel's name of the locale whose conventions ``language`` (default: current) uses."""
    return FORMAT_LOCALES.get(_code(language), "en_US")


def right_to_left(language: str | None = None) -> bool:
    return _code(language) in RTL_LANGUAGES


def isolate(text: str, language: str | None = None) -> str:
    """``text`` as one piece of a right-to-left line (unchanged left to right, or empty)."""
    if not text or not right_to_left(language):
        return text
    if text.startswith(FSI) and text.endswith(PDI) and text.count(FSI) == 1:
        return text
    return f"{FSI}{text}{PDI}"


def number_text(value: int | float | Decimal, language: str | None = None, digits: int = -1) -> str:
    """``value`` grouped and with the decimal sign of ``language``: 12.345,5 in Greek.

    ``digits`` fixes the decimals; by default a number keeps the ones it has.
    """
    from babel.numbers import format_decimal

    number: Any = value
    if digits >= 0:
        number = round(Decimal(str(value)), digits)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(number, format=pattern, locale=format_locale(language))
    return format_decimal(number, locale=format_locale(language), decimal_quantization=False)


def amount_text(value: Any, language: str | None = None) -> str:
    """A stored amount ("1200.00", Decimal) as ``language`` writes money: 1.200 or 1.234,50
    (whole amounts without decimals, as the GUI's money()); text that is no number as it is."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    return number_text(amount, language, 0 if amount == amount.to_integral_value() else 2)


@functools.lru_cache(maxsize=256)
def _day(day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMM y", locale=locale)


def day_text(value: Any, language: str | None = None) -> str:
    """A day ("2026-12-06", a date) as ``language`` writes it: "6 Δεκ 2026"; text that is
    no ISO day as it is."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return _day(value, format_locale(language))


class Number:
    """A number among a message's parameters: ``{n:,}`` (and ``{x:f}``, ``{x:,.0f}``,
    ``{s:g}``) write it in the reader's language, 1.234 in Greek; without a format
    (``{contact_id}``) it stays plain digits, as ids, years and ports must."""

    __slots__ = ("language", "value")

    def __init__(self, value: int | float | Decimal, language: str | None = None) -> None:
        self.value = value
        self.language = language

    def __format__(self, spec: str) -> str:
        if not spec or (spec[-1] not in ",fFg" and "," not in spec):
            return format(self.value, spec)
        digits = -1
        if "." in spec:
            try:
                digits = int(spec.split(".", 1)[1].rstrip(",fFg"))
            except ValueError:
                return format(self.value, spec)
        elif spec[-1] in "fF":
            digits = -1  # {x:f}: the digits the value has
        return number_text(self.value, self.language, digits)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


def numbers(params: dict[str, Any], language: str | None = None) -> dict[str, Any]:
    """``params`` with each number (not a bool) wrapped in :class:`Number`."""
    return {
        key: Number(value, language)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        else value
        for key, value in params.items()
    }
