"""The words and lines of a letter in the reader's language: dates, money, the
salutation, and a postal address laid out as the post of its country expects."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from crm.core import models, settings
from crm.core.addresses import address_lines as address_lines
from crm.core.addresses import country_name as country_name
from crm.core.addresses import upper as upper

# -- locale-aware pieces ---------------------------------------------------------------


def letter_language(language: str | None) -> str:
    """The language a letter is written in: the contact's when we have its template."""
    if language in models.LANGUAGES:
        return str(language)
    fallback = settings.profile().language
    return fallback if fallback in models.LANGUAGES else "en"


def _locale(language: str, country: str = "") -> Locale:
    """``el_GR``, ``en_US``… when babel knows the pair, else the bare language."""
    if country:
        try:
            return Locale.parse(f"{language}_{country.upper()}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(language)


def long_date(day: dt.date | None, language: str, country: str = "") -> str:
    """A date written out as people of that language and country write it."""
    if day is None:
        return ""
    return str(format_date(day, format="long", locale=_locale(language, country)))


def money(value: Decimal | float | None, currency: str, language: str, country: str = "") -> str:
    if value is None:
        return ""
    return str(format_currency(value, currency, locale=_locale(language, country)))


# Given names that end like the other gender's usual ending.
_BG_MALE_IN_A = frozenset({"никола", "сава", "илия", "лука", "кузма", "тома", "андрея"})
_BG_FEMALE_OTHER = frozenset({"нели", "ели", "деси", "ани", "поли", "мими", "вики", "ирен"})
_AR_MALE_ENDINGS_EXCEPTIONS = frozenset(
    {"حمزة", "أسامة", "اسامة", "طلحة", "عبيدة", "معاوية", "عطية", "مصطفى", "موسى", "عيسى",
     "يحيى", "مرتضى", "مجتبى", "مصطفي"}
)  # fmt: skip
_AR_FEMALE = frozenset(
    {"مريم", "نور", "زينب", "رنا", "ريم", "دينا", "لينا", "ياسمين", "هند", "رشا", "سعاد",
     "إيمان", "ايمان", "رحاب", "شهد", "وعد", "غدير", "جيهان", "نسرين", "شيرين", "سوزان",
     "رغد", "أمل", "امل", "عبير", "سحر", "نجلاء", "أسماء", "اسماء", "دعاء", "هيفاء", "وفاء",
     "صفاء", "ولاء", "آلاء"}
)  # fmt: skip
_GREEK_VOWELS = "αεηιουωάέήίόύώϊϋΐΰ"


def _greek_syllables(word: str) -> int:
    return len(re.findall(f"[{_GREEK_VOWELS}]+", word.lower()))


def greek_vocative(given: str) -> str:
    """The vocative of a Greek male given name: Γιώργος → Γιώργο, Γιάννης → Γιάννη."""
    if given.endswith(("ος", "ός")):
        # Two-syllable names take -ο (Νίκο, Πέτρο); longer ones -ε (Κωνσταντίνε, Άγγελε).
        return (
            given[:-1]
            if _greek_syllables(given) <= 2
            else given[:-2] + given[-2:-1].replace("ο", "ε").replace("ό", "έ")
        )
    if given.endswith(("ς",)):
        return given[:-1]  # Γιάννης → Γιάννη, Ηλίας → Ηλία
    return given


def salutation(language: str, given: str, family: str = "") -> str:
    """The greeting line of a letter, in its language, to someone called ``given``.

    The gendered languages guess from the given name's ending (Greek -ς, Bulgarian -а/-я,
    Arabic ة/ى/اء and common names); Italian uses the neutral "Gentile".
    """
    given = given.strip()
    name = given or family.strip()
    first = name.split()[0] if name else ""
    if language == "el":
        if not name:
            return "Αγαπητέ/ή φίλε/η,"
        if first.endswith("ς"):
            return f"Αγαπητέ {' '.join([greek_vocative(first), *name.split()[1:]])},"
        return f"Αγαπητή {name},"
    if language == "bg":
        if not name:
            return "Здравейте,"
        low = first.lower()
        female = (low.endswith(("а", "я")) and low not in _BG_MALE_IN_A) or low in _BG_FEMALE_OTHER
        return f"{'Скъпа' if female else 'Скъпи'} {name},"
    if language == "it":
        return f"Gentile {name}," if name else "Gentile cliente,"
    if language == "ar":
        if not name:
            return "تحية طيبة وبعد،"
        female = first in _AR_FEMALE or (
            first.endswith(("ة", "ى", "اء")) and first not in _AR_MALE_ENDINGS_EXCEPTIONS
        )
        return f"{'عزيزتي' if female else 'عزيزي'} {name}،"
    return f"Dear {name}," if name else "Dear friend,"
