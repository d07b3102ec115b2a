"""The words on a printed gift voucher, in its holder's language.

From a :func:`crm.core.vouchers.printable` item: the heading and short terms of
the user's voucher template for the holder's language (en, el, bg, it, ar;
merged with the holder's name, value, expiry...), the value and expiry in the
holder's locale, and the fixed labels; the sender comes from the profile.
:mod:`crm.documents.vouchers_pdf` draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from crm.core import models, settings, templates

# The fixed words on a voucher; its heading and terms come from the user's voucher
# template (crm.core.templates), which the settings let them edit per language.
LABELS: dict[str, dict[str, str]] = {
    # Capitals written out: Greek capitals drop their accents (ΚΩΔΙΚΟΣ, not ΚΩΔΙΚΌΣ).
    "en": {"code": "VOUCHER CODE", "valid": "Valid until {date}"},
    "el": {"code": "ΚΩΔΙΚΟΣ ΔΩΡΟΕΠΙΤΑΓΗΣ", "valid": "Ισχύει έως {date}"},
    "bg": {"code": "КОД НА ВАУЧЕРА", "valid": "Валиден до {date}"},
    "it": {"code": "CODICE DEL BUONO", "valid": "Scadenza: {date}"},
    "ar": {"code": "رمز القسيمة", "valid": "صالحة حتى {date}"},
}


@dataclass(frozen=True)
class Sender:
    """Who the vouchers come from, as the profile has it."""

    person: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""
    logo_path: str = ""
    page_size: str = "A4"

    @classmethod
    def from_profile(cls) -> Sender:
        prof = settings.profile()
        return cls(
            person=str(prof.name or ""),
            company=str(prof.company or ""),
            phone=str(prof.phone or ""),
            email=str(prof.email or ""),
            logo_path=str(prof.logo_path or ""),
            page_size=str(prof.page_size or "A4"),
        )

    @property
    def name(self) -> str:
        """The name at the head of a voucher: the company, else the person."""
        return self.company or self.person

    @property
    def contact(self) -> str:
        return " · ".join(p for p in (self.phone, self.email) if p)


@dataclass
class Card:
    """One voucher's words, ready to draw."""

    code: str
    title: str
    value: str
    code_label: str
    valid: str
    terms: str
    rtl: bool


@lru_cache(maxsize=64)
def _locale(language: str, country: str) -> Locale:
    lang = language if language in models.LANGUAGES else "en"
    for tag in (f"{lang}_{country.upper()}" if country else "", lang):
        if tag:
            try:
                return Locale.parse(tag)
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse("en")


@lru_cache(maxsize=4096)
def _money(value: float, currency: str, locale: Locale) -> str:
    # Babel wraps Arabic amounts in directional marks; the layout sets the direction.
    text = format_currency(value, currency, locale=locale)
    return text.replace("\u200f", "").replace("\u200e", "").replace("\u061c", "")


@lru_cache(maxsize=4096)
def _date(day: str, locale: Locale) -> str:
    return str(format_date(dt.date.fromisoformat(day), format="long", locale=locale))


def stored_texts(languages: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The user's voucher template (heading, terms) for each language."""
    out = {}
    t = models.Template
    # Read only: printing must not write the shipped defaults into the database.
    rows = {
        lang: (subject, body)
        for lang, subject, body in models.rows(
            t.select(t.language, t.subject, t.body).where(
                (t.kind == "voucher") & t.language.in_(list(languages))
            )
        )
    }
    for language in languages:
        out[language] = rows.get(language) or _default_text(language)
    return out


@lru_cache(maxsize=8)
def _default_text(language: str) -> tuple[str, str]:
    t = templates.default_template("voucher", language if language in LABELS else "en")
    return t.subject, t.body


def card_for(
    item: dict[str, Any],
    texts: dict[str, tuple[str, str]] | None = None,
    sender: Sender | None = None,
) -> Card:
    """The words of one voucher from a :func:`crm.core.vouchers.printable` item.

    ``texts`` maps a language to its template's (heading, terms); the shipped
    defaults stand in for a language it lacks.
    """
    language = item.get("language") or "en"
    if language not in LABELS:
        language = "en"
    subject, body = (texts or {}).get(language) or _default_text(language)
    locale = _locale(language, item.get("country") or "")
    value = _money(float(item["value"]), item["currency"], locale)
    expires = _date(item["expires"], locale)
    sender = sender or Sender()
    fields = {
        "holder_name": item["holder"] or "—",
        "holder_given_name": item.get("holder_given_name") or item["holder"] or "—",
        "value": value,
        "expires": expires,
        "code": item["code"],
        "sender_name": sender.person,
        "sender_company": sender.company,
    }
    words = LABELS[language]
    return Card(
        code=item["code"],
        title=" ".join(templates.merge(subject, fields).split()),
        value=value,
        code_label=words["code"],
        valid=words["valid"].replace("{date}", expires),
        terms=" ".join(templates.merge(body, fields).split()),
        rtl=language == "ar",
    )
