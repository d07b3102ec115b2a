"""Postal addresses laid out as the post of each country expects, in one table.

Letters, envelopes and address labels all take their address block from here.
Each country's entry lists the lines after the name and the organization: ``S``
the street (one or more lines), ``C`` the city, ``U`` the city in capitals, ``Z``
the postcode, ``R`` the region (state, province, emirate). Text between the
letters is kept ("C, R Z" is the US "Springfield, IL 62704"); separators left
dangling by an empty part are dropped.

The values are printed as the user typed them, in their own script (Greek,
Cyrillic, Arabic…); the country line, when the mail goes abroad, is in the
sender's language and in capitals, as the posting office reads it. Text that
starts in a right-to-left script makes the block right-aligned (:func:`is_rtl`).
"""

from __future__ import annotations

import re
import unicodedata

from babel import Locale, UnknownLocaleError

# country code -> lines after name and organization
FORMATS: dict[str, tuple[str, ...]] = {
    # Postcode after the city.
    "GB": ("S", "U", "Z"),  # Royal Mail: post town in capitals, postcode alone
    "IE": ("S", "C", "R", "Z"),
    "US": ("S", "C, R Z"),  # USPS: city, state ZIP
    "CA": ("S", "C R Z"),
    "AU": ("S", "C R Z"),
    "RU": ("S", "C", "R", "Z"),
    "UA": ("S", "C", "R", "Z"),
    # Postcode before the city.
    "GR": ("S", "Z C"),  # ΕΛΤΑ: 105 57 Αθήνα
    "CY": ("S", "Z C"),
    "BG": ("S", "Z C"),  # Български пощи: 1504 София
    "IT": ("S", "Z C R"),  # Poste Italiane: 50123 Firenze FI
    "DE": ("S", "Z C"),
    "AT": ("S", "Z C"),
    "CH": ("S", "Z C"),
    "NL": ("S", "Z C"),
    "BE": ("S", "Z C"),
    "PT": ("S", "Z C"),
    "PL": ("S", "Z C"),
    "RO": ("S", "Z C", "R"),
    "TR": ("S", "Z C", "R"),
    "FR": ("S", "Z U"),  # La Poste: 75008 PARIS
    "ES": ("S", "Z C", "R"),
    # Arabic-speaking countries: the block reads right to left when written in Arabic.
    "AE": ("S", "C", "R"),  # no postcodes
    "EG": ("S", "C", "R", "Z"),
    "JO": ("S", "C Z"),
    "LB": ("S", "C Z"),
    "SA": ("S", "C Z"),
    "MA": ("S", "Z C"),
    "TN": ("S", "Z C"),
}
DEFAULT = ("S", "Z C", "R")


def address_lines(
    *,
    name: str,
    organization: str = "",
    street: str = "",
    city: str = "",
    postcode: str = "",
    region: str = "",
    country: str = "",
    from_country: str = "",
    country_language: str = "en",
) -> list[str]:
    """A postal address block in the destination country's usual order.

    The country line (in capitals, in the sender's language, as the posting office reads
    it) is added when the mail goes abroad or the sender's country is not known.
    """
    country = country.upper()
    if region.strip().casefold() == city.strip().casefold():
        region = ""  # Dubai, Dubai: the emirate (or city state) once is enough
    values = {"C": city, "U": upper(city), "Z": postcode, "R": region}
    lines = [name, organization]
    for pattern in FORMATS.get(country, DEFAULT):
        if pattern == "S":
            lines.extend(street.split("\n"))  # a street may take several lines
            continue
        lines.append(_fill(pattern, values))
    if country and country != from_country.upper():
        lines.append(upper(country_name(country, country_language)))
    return [clean for clean in (" ".join(line.split()) for line in lines) if clean]


def _fill(pattern: str, values: dict[str, str]) -> str:
    """One line of a pattern; the separator before an empty part goes with it."""
    text, separator = "", ""
    for part in re.split(r"([CUZR])", pattern):
        if part in values:
            if values[part]:
                text += (separator if text else "") + values[part]
            separator = ""
        elif part:
            separator = part
    return text


def has_postal_address(street: str, city: str, postcode: str) -> bool:
    """Enough to post something: a street and a city or postcode."""
    return bool(street.strip()) and bool(city.strip() or postcode.strip())


def upper(text: str) -> str:
    """Capitals as they are written: Greek capitals drop the tonos (Αθήνα → ΑΘΗΝΑ)."""
    decomposed = unicodedata.normalize("NFD", text.upper())
    return unicodedata.normalize(
        "NFC", decomposed.replace("\u0301", "").replace("\u0344", "\u0308")
    )


def country_name(code: str, language: str) -> str:
    try:
        return str(Locale.parse(language).territories.get(code.upper(), code.upper()))
    except (UnknownLocaleError, ValueError):
        return code.upper()


def is_rtl(lines: list[str] | tuple[str, ...]) -> bool:
    """True when the block's first strong character is right-to-left (Arabic, Hebrew…)."""
    for line in lines:
        for ch in line:
            kind = unicodedata.bidirectional(ch)
            if kind in ("R", "AL"):
                return True
            if kind == "L":
                return False
    return False
