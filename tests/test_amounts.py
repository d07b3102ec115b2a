"""Amounts typed in the user's language: one strict reader for the CLI and the GUI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from clitools import make_crm

from crm import i18n
from crm.core.amounts import example, format_amount, parse_amount
from crm.core.errors import ValidationError

D = Decimal


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("lang", ["it", "el", "bg"])
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,56", D("1234.56")),
        ("1234,56", D("1234.56")),
        ("1.234", D("1234")),
        ("1.234.567,8", D("1234567.8")),
        ("1 234,56", D("1234.56")),
        ("1\u00a0234,56", D("1234.56")),
        ("0,5", D("0.5")),
        ("12", D("12")),
        (" 12,50 ", D("12.50")),
        ("-3,5", D("-3.5")),
    ],
)
def test_comma_decimal_languages(lang, text, amount):
    assert parse_amount(text, lang) == amount


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.56", D("1234.56")),
        ("1234.56", D("1234.56")),
        ("1,234", D("1234")),
        ("1,234,567.8", D("1234567.8")),
        ("1 234.56", D("1234.56")),
        ("0.5", D("0.5")),
        ("1200.50", D("1200.50")),
    ],
)
def test_point_decimal_languages(lang, text, amount):
    assert parse_amount(text, lang) == amount


def test_arabic_digits_and_separators():
    assert parse_amount("١٬٢٣٤٫٥٦", "ar") == D("1234.56")
    assert parse_amount("٥٠", "ar") == D("50")


@pytest.mark.parametrize("lang", ["it", "el", "bg"])
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,2,3", "amounts.ambiguous"),  # two decimal commas
        ("1.2.3", "amounts.ambiguous"),  # groups of one digit
        ("12.50", "amounts.ambiguous"),  # the English decimal point
        ("1,234.56", "amounts.ambiguous"),  # English grouping
        ("1.23.456", "amounts.ambiguous"),
        ("1.234 567", "amounts.ambiguous"),  # two kinds of group separator
        ("1,234", "amounts.too_many_decimals"),  # an English thousand, or 1,234?
        ("1,", "amounts.ambiguous"),
        ("abc", "amounts.not_a_number"),
        ("", "amounts.not_a_number"),
        (",5", "amounts.not_a_number"),
        ("1e5x", "amounts.not_a_number"),
        ("NaN", "amounts.not_a_number"),
        ("€ 12", "amounts.not_a_number"),
    ],
)
def test_comma_decimal_refusals(lang, text, code):
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, lang)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,2,3", "amounts.ambiguous"),
        ("1.234,56", "amounts.ambiguous"),
        ("12,50", "amounts.ambiguous"),
        ("1.234", "amounts.too_many_decimals"),
        ("1,23,456", "amounts.ambiguous"),  # Indian grouping is not ours
    ],
)
def test_point_decimal_refusals(text, code):
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, "en")
    assert caught.value.code == code


def test_the_refusal_says_how_to_write_it():
    with pytest.raises(ValidationError) as caught:
        parse_amount("1,2,3", "it", what="Value")
    assert caught.value.message == (
        "Value '1,2,3' can be read more than one way: group the thousands by three and "
        "put the decimals after ',', such as 1.234,56"
    )
    assert example("en") == "1,234.56"


def test_numbers_from_code_are_taken_as_they_are():
    assert parse_amount(D("2.5"), "it") == D("2.5")
    assert parse_amount(2.5, "it") == D("2.5")
    assert parse_amount(7, "it") == D("7")


@pytest.mark.parametrize("lang", ["en", "it", "el", "bg", "ar"])
def test_format_reads_back(lang):
    for amount in (D("1234.50"), D("0.05"), D("25"), 2.5):
        assert parse_amount(format_amount(amount, lang), lang) == D(str(amount))
    assert format_amount(None, lang) == ""


def test_the_ui_language_is_the_default():
    i18n.set_language("it")
    assert parse_amount("1.234,56") == D("1234.56")
    i18n.set_language("en")
    assert parse_amount("1,234.56") == D("1234.56")


# -- the CLI, in the environment's language -------------------------------------------


@pytest.fixture
def crm(tmp_path, capsys, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    tool = make_crm(tmp_path, capsys)
    giver = tool.add("Ada", "Lovelace")
    friend = tool.add("Charles", "Babbage")
    tool.referral = tool.json("refer", str(giver), str(friend), "--json")["id"]
    return tool


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("it_IT.UTF-8", "1.234,56", 1234.56),
        ("el_GR.UTF-8", "1.234,56", 1234.56),
        ("bg_BG.UTF-8", "1 234,56", 1234.56),
        ("en_US.UTF-8", "1,234.56", 1234.56),
        ("C.UTF-8", "1200.50", 1200.50),
    ],
)
def test_cli_value_in_the_locale(crm, monkeypatch, lang, typed, stored):
    monkeypatch.setenv("LANG", lang)
    won = crm.json("referrals", "status", str(crm.referral), "won", "--value", typed, "--json")
    assert float(won["value"]) == stored


@pytest.mark.parametrize(
    ("lang", "typed", "match"),
    [
        ("it_IT.UTF-8", "1,2,3", "Valore: «1,2,3» può essere letto in più di un modo"),
        ("en_US.UTF-8", "1,2,3", "Value '1,2,3' can be read more than one way"),
        ("en_US.UTF-8", "1.234,56", "can be read more than one way"),
        ("it_IT.UTF-8", "12.50", "Valore: «12.50» può essere letto"),
    ],
)
def test_cli_ambiguous_value_is_refused(crm, monkeypatch, lang, typed, match):
    monkeypatch.setenv("LANG", lang)
    crm.refused("referrals", "status", str(crm.referral), "won", "--value", typed, match=match)
