"""Amounts of money typed by a person, read in the language of the interface.

One reader for the CLI (``--value``, ``--amount`` …) and the GUI's amount fields.
Greek, Bulgarian and Italian write ``1.234,56`` (a dot or a space between the
thousands, the decimals after a comma); English and Arabic write ``1,234.56``
(Arabic also ``١٬٢٣٤٫٥٦``). The rule is strict so that nothing is guessed:

* digits, optionally one decimal separator followed by one or two digits;
* thousands may be grouped, with one kind of group separator, in groups of three
  (``1.234.567,89``); any other grouping (``1,2,3``) is refused;
* the decimal separator of the other convention is refused where it cannot be a
  group separator (``12.50`` in Italian, ``12,50`` in English), and so is a third
  decimal (``1,234`` in Italian, ``1.234`` in English), which is how a thousand
  typed the other way looks.

Numbers that are not text (``Decimal``, ``int``, ``float`` from code) are taken as
they are, and so is machine notation (``1e12``), which no convention writes otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from crm import i18n
from crm.core.errors import ValidationError
from crm.i18n import N_, Term

# language -> (decimal separator, group separators)
_SPACES = (" ", "\u00a0", "\u202f")
_COMMA_DECIMAL = (",", (".", *_SPACES))
_POINT_DECIMAL = (".", (",", *_SPACES))
CONVENTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "en": _POINT_DECIMAL,
    "ar": _POINT_DECIMAL,
    "el": _COMMA_DECIMAL,
    "bg": _COMMA_DECIMAL,
    "it": _COMMA_DECIMAL,
}
_SCIENTIFIC = re.compile(r"[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]{1,3}")
# The Arabic decimal and thousands separators (U+066B, U+066C).
_ARABIC_SEPARATORS = {"\u066b": ".", "\u066c": ","}


def convention(language: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The decimal separator and the group separators of ``language`` (default: the UI's)."""
    return CONVENTIONS.get(i18n.normalize(language or i18n.language()), _POINT_DECIMAL)


def example(language: str | None = None) -> str:
    """1234.56 written the way ``language`` writes it (for messages)."""
    decimal, groups = convention(language)
    return f"1{groups[0]}234{decimal}56"


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and other decimal digits as 0-9; Arabic separators as . and ,"""
    out = []
    for ch in text:
        if ch in _ARABIC_SEPARATORS:
            out.append(_ARABIC_SEPARATORS[ch])
        elif not ch.isascii() and unicodedata.decimal(ch, None) is not None:
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _refuse(code: str, what: str, text: str, language: str | None) -> ValidationError:
    decimal = convention(language)[0]
    return ValidationError(
        code=code,
        what=Term(what),
        text=text,
        decimal=decimal,
        example=example(language),
    )


def parse_amount(value: Any, language: str | None = None, what: str = N_("Amount")) -> Decimal:
    """``value`` as a Decimal (not rounded, sign kept); text is read in ``language``'s way.

    Refused (:class:`ValidationError`, no field: the caller names it) when the text is
    not a number or could be read two ways.
    """
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):  # 2.5 as written, not as a binary fraction
        return Decimal(repr(value))
    text = str(value).strip()
    decimal, groups = convention(language)
    body = _ascii_digits(text)
    sign = ""
    if body[:1] in ("-", "+", "\u2212"):
        sign, body = ("-" if body[0] != "+" else ""), body[1:].strip()
    if _SCIENTIFIC.fullmatch(body):  # 1e12, 2.5E3: machine notation, the same everywhere
        return Decimal(sign + body)
    if not body or not re.fullmatch(r"[0-9.,'\u00a0\u202f ]+", body) or not body[0].isdigit():
        raise _refuse("amounts.not_a_number", what, text, language)
    whole, _, fraction = body.partition(decimal)
    if decimal in fraction or not body[-1].isdigit():
        raise _refuse("amounts.ambiguous", what, text, language)
    if fraction and not fraction.isdigit():
        raise _refuse("amounts.ambiguous", what, text, language)
    if len(fraction) > 2:
        raise _refuse("amounts.too_many_decimals", what, text, language)
    if not whole.isdigit():
        separators = {ch for ch in whole if not ch.isdigit()}
        if len(separators) != 1 or separators.pop() not in groups:
            raise _refuse("amounts.ambiguous", what, text, language)
        parts = re.split(r"[^0-9]", whole)
        if not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:]):
            raise _refuse("amounts.ambiguous", what, text, language)
        whole = "".join(parts)
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:  # pragma: no cover - the text is digits by now
        raise _refuse("amounts.not_a_number", what, text, language) from None


def format_amount(amount: Decimal | int | float | str | None, language: str | None = None) -> str:
    """``amount`` (a stored number) for an amount field, so :func:`parse_amount` reads it
    back: ``1234.50`` is ``1234,50`` in Italian, as it is in English (no grouping)."""
    if amount is None or amount == "":
        return ""
    decimal, _groups = convention(language)
    text = repr(amount) if isinstance(amount, float) else str(amount)
    return text.replace(".", decimal)
