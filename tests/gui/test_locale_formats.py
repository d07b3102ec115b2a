"""Dates, numbers, percentages, money, chart months and name order in the UI language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from crm.core import amounts
from crm.gui import formatting
from crm.gui.app import set_language
from crm.gui.formatting import FSI, PDI
from crm.gui.views.dashboard import text as dashboard_text

LANGUAGES = ("en", "el", "bg", "it", "ar")
SUNDAY = dt.date(2026, 12, 6)
NBSP = "\u00a0"


@pytest.fixture
def speak(qapp_named, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = QApplication.instance()
    yield lambda code: set_language(app, code)
    set_language(app, "en")


def _bare(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


WEEKDAY_DATES = {
    "en": "Sun 6 Dec 2026",
    "el": "Κυρ 6 Δεκ 2026",
    "bg": "нд 6 дек 2026",
    "it": "dom 6 dic 2026",
    "ar": "الأحد 6 ديسمبر 2026",
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_dates_read_in_the_ui_language(speak, code):
    speak(code)
    assert _bare(formatting.day_text(SUNDAY, weekday=True)) == WEEKDAY_DATES[code]
    assert _bare(formatting.day_text("2026-12-06")) == WEEKDAY_DATES[code].split(" ", 1)[1]
    moment = _bare(formatting.moment_text(dt.datetime(2026, 12, 6, 14, 30)))
    assert moment.startswith(WEEKDAY_DATES[code].split(" ", 1)[1])
    assert "14:30" in moment or "2:30" in moment


NUMBERS = {
    "en": ("12,345", "12,345.60 EUR", "46%"),
    "el": ("12.345", "12.345,60 EUR", "46%"),
    "bg": (f"12{NBSP}345", f"12{NBSP}345,60 EUR", "46%"),
    "it": ("12.345", "12.345,60 EUR", "46%"),
    "ar": ("12,345", "12,345.60 EUR", "46%"),
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_numbers_money_and_percentages_in_the_ui_language(speak, code):
    speak(code)
    count, money, percent = NUMBERS[code]
    assert formatting.number(12345) == count
    shown = formatting.money(12345.6, "EUR")
    assert _bare(shown) == money
    # In Arabic the amount is one isolate: never "EUR 12,345.60" in a right-to-left line.
    assert (shown == f"{FSI}{money}{PDI}") if code == "ar" else (shown == money)
    assert formatting.percent(0.456).replace(NBSP, "") == percent
    # What the screen shows is what the amount fields read back in that language.
    assert amounts.parse_amount(money.removesuffix(" EUR")) == Decimal("12345.60")


SHORT_AMOUNTS = {
    # CLDR's short compact numbers in the UI language, never an English "K" or "M".
    "en": ("156K EUR", "1.8M EUR"),
    "el": (f"156{NBSP}χιλ. EUR", f"1,8{NBSP}εκ. EUR"),
    "bg": (f"156{NBSP}хил. EUR", f"1,8{NBSP}млн. EUR"),
    "it": ("156K EUR", f"1,8{NBSP}Mln EUR"),
    "ar": (f"156{NBSP}ألف EUR", f"1.8{NBSP}مليون EUR"),
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_short_amounts_in_the_ui_language(speak, code):
    speak(code)
    thousands, millions = SHORT_AMOUNTS[code]
    assert _bare(formatting.money_short(156_000, "EUR")) == thousands
    assert _bare(formatting.money_short(1_800_000, "EUR")) == millions
    # Below ten thousand the amount in full, grouped as the language groups it.
    assert _bare(formatting.money_short(950, "EUR")) == "950 EUR"


COUNTRIES = {"en": "Greece", "el": "Ελλάδα", "bg": "Гърция", "it": "Grecia", "ar": "اليونان"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_country_names_in_the_ui_language(speak, code):
    from crm.gui.formatting import territory_name

    speak(code)
    assert territory_name("gr") == COUNTRIES[code]
    assert territory_name("XX") == "" and territory_name("GRC") == ""


def test_lists_and_partial_birthdays_in_the_ui_language(speak):
    speak("ar")
    names = formatting.data_list(["Anna Rossi", "Ruth Moore"])
    # Arabic's comma, each name an isolate: the list keeps its order read right to left.
    assert names == f"{FSI}Anna Rossi{PDI}، {FSI}Ruth Moore{PDI}"
    assert _bare(formatting.month_day_text("--10-04")) == "4 أكتوبر"
    speak("el")
    assert formatting.data_list(["Anna Rossi", "Ruth Moore"]) == "Anna Rossi, Ruth Moore"
    assert _bare(formatting.month_day_text("--10-04")) == "4 Οκτωβρίου"
    assert formatting.month_day_text("--13-40") == "--13-40"


MONTHS = {"en": "Dec", "el": "Δεκ", "bg": "дек", "it": "dic", "ar": "ديسمبر"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_chart_months_in_the_ui_language(speak, code):
    speak(code)
    assert dashboard_text.month_label("2026-12", with_year=False) == MONTHS[code]
    assert dashboard_text.month_label("2026-12", with_year=True).startswith(MONTHS[code])


ORDERS = {
    # Accented capitals with their letter, not after Ω / Z by code point; case ignored.
    "el": ["Αβέρωφ", "Άγις", "Βήτα", "Ώρα"],
    "it": ["Andrea", "de Luca", "Di Stefano", "Élodie", "Zeno"],
    "bg": ["Борис", "Иван", "Йордан", "Яна"],
    "en": ["adams", "Baker", "Émile", "Zed"],
}


@pytest.mark.parametrize("code", sorted(ORDERS))
def test_names_sorted_by_the_languages_collation(speak, code):
    speak(code)
    expected = ORDERS[code]
    assert formatting.collated(reversed(expected)) == expected
    assert formatting.collated(sorted(expected)) == expected


def test_the_organizations_list_sorts_names_by_the_collation(speak, store, window):
    from crm.core import contacts
    from crm.core.contacts import ContactData
    from crm.gui.views.organizations.page import COL_NAME

    speak("el")
    for n, org in enumerate(("Βήτα Ο.Ε.", "Άγις Α.Ε.", "Αβέρωφ Ε.Π.Ε.")):
        contacts.create_contact(ContactData(given_name=f"P{n}", organization=org))
    page = window.show_page("organizations")
    page.refresh()
    page.table.sortItems(COL_NAME, Qt.SortOrder.AscendingOrder)
    tree = page.table
    names = [tree.topLevelItem(i).text(COL_NAME) for i in range(tree.topLevelItemCount())]
    # By code point ά (U+03AC) comes before α (U+03B1); in Greek order Άγις follows Αβέρωφ.
    assert names == ["Αβέρωφ Ε.Π.Ε.", "Άγις Α.Ε.", "Βήτα Ο.Ε."]


SHORT = {
    "en": ("510K EUR", "1.8M EUR"),
    "el": (f"510{NBSP}χιλ. EUR", f"1,8{NBSP}εκ. EUR"),
    "bg": (f"510{NBSP}хил. EUR", f"1,8{NBSP}млн. EUR"),
    "it": ("510K EUR", f"1,8{NBSP}Mln EUR"),
    "ar": (f"510{NBSP}ألف EUR", f"1.8{NBSP}مليون EUR"),
}
BIRTHDAYS = {
    "en": ("15 Jul", "29 Feb 1980"),
    "el": ("15 Ιουλ", "29 Φεβ 1980"),
    "bg": ("15 юли", "29 фев 1980"),
    "it": ("15 lug", "29 feb 1980"),
    "ar": ("15 يوليو", "29 فبراير 1980"),
}
PERIODS = {
    "en": ("2026-Q4", "December 2026"),
    "el": ("4ο τρίμηνο 2026", "Δεκέμβριος 2026"),
    "bg": ("Т4 2026", "декември 2026"),
    "it": ("4º trimestre 2026", "dicembre 2026"),
    "ar": ("الربع 4 من 2026", "ديسمبر 2026"),
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_short_amounts_and_birthdays_in_the_ui_language(speak, code):
    speak(code)
    thousands, millions = SHORT[code]
    assert _bare(formatting.money_short(510_000, "EUR")) == thousands
    assert _bare(formatting.money_short(1_800_000, "EUR")) == millions
    assert _bare(formatting.money_short(950, "USD")) == "950 USD"
    # A birthday without its year (29 February too), and one with it.
    no_year, with_year = BIRTHDAYS[code]
    assert _bare(formatting.birthday_text("--07-15")) == no_year
    assert _bare(formatting.birthday_text("--02-29")).startswith("29 ")
    assert _bare(formatting.birthday_text("1980-02-29")) == with_year
    assert formatting.birthday_text(None) == ""


def test_counted_words_take_the_languages_plural_forms(speak):
    # Qt's tr() has no plural forms here: these go through ngettext, six forms in Arabic.
    speak("ar")
    assert formatting.asked_days_ago(3) == "طُلب قبل 3 أيام"
    assert formatting.asked_days_ago(14) == "طُلب قبل 14 يومًا"
    assert formatting.asked_days_ago(100) == "طُلب قبل 100 يوم"
    speak("el")
    assert formatting.asked_days_ago(1) == "Ζητήθηκε πριν από 1 ημέρα"
    assert formatting.asked_days_ago(12) == "Ζητήθηκε πριν από 12 ημέρες"


def test_how_late_a_follow_up_is_takes_the_plural_form(speak, store, window):
    page = window.show_page("followups")
    speak("ar")
    today = dt.date(2026, 12, 6)
    assert page.when_text(today - dt.timedelta(days=5), today, False) == "متأخرة 5 أيام"
    assert page.when_text(today - dt.timedelta(days=12), today, False) == "متأخرة 12 يومًا"
    assert page.when_text(today + dt.timedelta(days=2), today, False) == "بعد يومين"


@pytest.mark.parametrize("code", LANGUAGES)
def test_campaign_periods_in_the_ui_language(speak, code):
    from crm.gui import labels

    speak(code)
    quarter, month = PERIODS[code]
    assert labels.period("2026-Q4") == quarter
    assert labels.period("2026-12") == month
    assert labels.period("2026") == "2026"
