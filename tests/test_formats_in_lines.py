"""Numbers, amounts and days inside the core's messages and rule-made lines, in the reader's
conventions; in Arabic each value is an isolated piece of the line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.core import messages, rule_lines
from crm.core.rule_lines import line, term
from crm.i18n import set_language
from crm.i18n_formats import FSI, PDI, Number, amount_text, day_text, number_text

NBSP = "\u00a0"


@pytest.fixture
def speak():
    yield set_language
    set_language("en")


def _won(value: str):
    return line(
        "history.referral_won",
        name="Anna Bianchi",
        old=term("status", "new"),
        new=term("status", "won"),
        value=value,
        currency="EUR",
    )


def test_amounts_in_a_history_line_follow_the_language():
    won = _won("1234.50")
    assert won.english() == "Referral of Anna Bianchi: new → won (1234.50 EUR)"  # as stored
    assert won.text("el").endswith("(1.234,50 EUR)")
    assert won.text("it").endswith("(1.234,50 EUR)")
    assert won.text("bg").endswith(f"(1{NBSP}234,50 EUR)")
    assert won.text("en").endswith("(1,234.50 EUR)")
    assert _won("1200.00").text("el").endswith("(1.200 EUR)")  # whole: no decimals


def test_days_and_counts_in_a_line_follow_the_language():
    added = line("history.followup_added", title="Call Bob", due="2027-01-05")
    assert added.english() == "Call Bob (due 2027-01-05)"
    assert added.text("el") == "Call Bob (προθεσμία 5 Ιαν 2027)"
    assert added.text("bg") == "Call Bob (срок 5 яну 2027)"
    points = line("history.reward_given_points", kind=term("reward", "points"), points=1500)
    assert points.english() == "Reward given: points, 1500 points"
    assert "1.500" in points.text("el")
    early = line("history.asked_early", days=1000)
    assert "1.000" in early.text("it")


def test_an_arabic_line_isolates_each_value():
    won = _won("1234.50").text("ar")
    # The name and the amount with its currency are whole pieces: a Latin name or
    # "1,234.50 EUR" never swaps places with the Arabic words around it.
    assert f"{FSI}Anna Bianchi{PDI}" in won
    assert f"{FSI}1,234.50 EUR{PDI}" in won
    # The statuses are Arabic words of the line: not isolated.
    assert f"{FSI}رابحة" not in won and "رابحة" in won
    added = line("history.followup_added", title="Call Bob", due="2027-01-05").text("ar")
    assert added.startswith(f"{FSI}Call Bob{PDI}")
    assert f"{FSI}5 يناير 2027{PDI}" in added
    merged = line("history.merged", name="Rosa Gallo", id=1234).text("ar")
    assert "#1234" in merged  # an id stays digits, next to its "#"
    # Nothing is isolated left to right, nor in the English text that is stored.
    assert FSI not in _won("1234.50").text("el") and FSI not in _won("1.5").english()


def test_a_list_in_an_arabic_line_is_joined_as_arabic_joins_it():
    changed = line(
        "history.followup_changed",
        title="Call Bob",
        fields=[term("field", "kind"), line("field.due"), line("field.notes")],
    )
    text = changed.text("ar")
    # CLDR's Arabic list: "a وb وc", however long (never a Latin comma).
    assert "وتاريخ الاستحقاق والملاحظات" in text and ", " not in text
    longer = line(
        "history.followup_changed",
        title="Call Bob",
        fields=[line("field.kind"), line("field.due"), line("field.notes"), line("field.title")],
    ).text("ar")
    assert ", " not in longer


def test_a_core_message_groups_the_numbers_it_asks_to(speak):
    speak("el")
    text = messages.render("demo.database_already_holds_contacts", {"existing": 12345})
    assert "12.345" in text and "12,345" not in text
    refusal = messages.render(
        "campaigns.number_out_of_range",
        {"what": "x", "low": 1, "high": 1000000, "number": 2000000},
    )
    assert "1.000.000" in refusal and "2.000.000" in refusal
    # An id is digits, not a quantity: never grouped.
    assert "12345" in messages.render("rewards.contact_not_found", {"contact_id": 12345})
    speak("en")
    assert "12,345" in messages.render("demo.database_already_holds_contacts", {"existing": 12345})


def test_the_formats_by_themselves():
    assert number_text(1234567, "el") == "1.234.567"
    assert number_text(Decimal("1234.5"), "it") == "1.234,5"
    assert amount_text("1234.5", "ar") == "1,234.50"
    assert amount_text("not a number", "el") == "not a number"
    assert day_text("2026-12-06", "el") == "6 Δεκ 2026"
    assert day_text("someday", "el") == "someday"
    assert f"{Number(12345, 'el'):,}" == "12.345"
    assert f"{Number(12345, 'el')}" == "12345"
    assert f"{Number(255, 'el'):02X}" == "FF"
    assert f"{Number(1234.0, 'el'):,.0f}" == "1.234"
    assert rule_lines.render(None, "typed text", "ar") == "typed text"


def test_a_printed_arabic_line_keeps_its_isolated_values_whole():
    from crm.documents.text import visual

    # A line with brackets goes through python-bidi's Python implementation, which
    # refused isolates ("FSI not allowed here") before they were read as embeddings.
    shown = visual(_won("1234.50").text("ar"), rtl=True)
    assert "Anna Bianchi" in shown
    assert "1,234.50 EUR" in shown
    assert FSI not in shown and PDI not in shown


def test_the_chain_of_nobody_is_refused_in_the_readers_language(store, speak):
    from crm.core import chain
    from crm.core.errors import NotFoundError

    speak("el")
    with pytest.raises(NotFoundError) as info:
        chain.chain(99)
    # Was an English text, not a code: "No contact with id 99" in every language.
    assert info.value.code == "contacts.contact_not_found"
    assert info.value.message == "Δεν υπάρχει επαφή με αριθμό 99"
