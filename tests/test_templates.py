"""Letter and voucher templates: shipped defaults, the user's edits, merge-field checks."""

from __future__ import annotations

import importlib.resources

import pytest

from crm.core import letters, models, templates
from crm.core.errors import ValidationError


@pytest.mark.parametrize("kind", models.TEMPLATE_KINDS)
@pytest.mark.parametrize("language", models.LANGUAGES)
def test_every_default_ships_and_uses_only_valid_fields(kind, language):
    resource = importlib.resources.files("crm").joinpath(
        "resources", "templates", f"{kind}.{language}.txt"
    )
    assert resource.is_file(), f"{kind}.{language}.txt is not shipped"
    default = templates.default_template(kind, language)
    assert default.subject and default.body
    templates.check_template(kind, default.subject, default.body)


def test_defaults_are_copied_once_and_edits_kept(store):
    assert models.Template.select().count() == 0
    added = templates.ensure_defaults()
    assert added == len(models.TEMPLATE_KINDS) * len(models.LANGUAGES)
    saved = templates.save_template(
        "thank_you_letter", "it", "Grazie, {giver_given_name}", "Caro {giver_given_name},\nciao"
    )
    assert templates.ensure_defaults() == 0
    again = templates.get_template("thank_you_letter", "it")
    assert (again.subject, again.body) == (saved.subject, saved.body)
    # Reset brings back the shipped text.
    reset = templates.reset_template("thank_you_letter", "it")
    assert reset.body == templates.default_template("thank_you_letter", "it").body


def test_get_template_reads_the_default_without_writing(store, unchanged):
    with unchanged():
        text = templates.get_template("thank_you_letter", "el")
    assert "{salutation}" in text.body
    assert "σύσταση" in text.body
    templates.save_template("voucher", "el", "Δώρο", "Από {holder_name}")
    assert models.Template.select().count() == len(models.TEMPLATE_KINDS) * len(models.LANGUAGES)


def test_unknown_merge_field_is_refused_naming_the_valid_ones(store, unchanged):
    templates.ensure_defaults()
    with unchanged(), pytest.raises(ValidationError) as err:
        templates.save_template("thank_you_letter", "en", "Thanks", "Dear {giver_nam},")
    message = str(err.value)
    assert "{giver_nam}" in message
    for field in ("{giver_name}", "{giver_given_name}", "{referred_name}", "{sender_name}"):
        assert field in message


def test_unknown_field_in_the_subject_is_refused(store, unchanged):
    templates.ensure_defaults()
    with unchanged(), pytest.raises(ValidationError, match=r"\{code\} in the subject"):
        templates.save_template("thank_you_letter", "en", "Your {code}", "Body")


@pytest.mark.parametrize(
    "body, match",
    [
        ("Dear {giver_name", "unmatched brace"),
        ("Dear giver_name}", "unmatched brace"),
        ("Dear {giver_name!r}", "malformed merge field"),
        ("Dear {giver_name:>10}", "malformed merge field"),
        ("Dear {}", "malformed merge field"),
        ("Dear {0}", "malformed merge field"),
        ("   ", "body is empty"),
    ],
)
def test_malformed_templates_are_refused(store, unchanged, body, match):
    templates.ensure_defaults()
    with unchanged(), pytest.raises(ValidationError, match=match):
        templates.save_template("thank_you_letter", "en", "Thanks", body)


def test_unknown_kind_and_language_are_refused(store):
    with pytest.raises(ValidationError, match="Template kind"):
        templates.get_template("invoice", "en")
    with pytest.raises(ValidationError, match="Language"):
        templates.get_template("voucher", "de")


def test_doubled_braces_print_a_brace():
    templates.check_template("voucher", "Gift", "Use {{braces}} for {holder_name}")
    assert templates.merge("{{x}} {holder_name}", {"holder_name": "Ana"}) == "{x} Ana"


def test_merge_leaves_missing_values_empty():
    assert templates.merge("At {event_title}.", {}) == "At ."


@pytest.mark.parametrize(
    "language, given, expected",
    [
        ("en", "James", "Dear James,"),
        ("it", "Andrea", "Gentile Andrea,"),
        ("el", "Γιώργος", "Αγαπητέ Γιώργο,"),
        ("el", "Κωνσταντίνος", "Αγαπητέ Κωνσταντίνε,"),
        ("el", "Γιάννης", "Αγαπητέ Γιάννη,"),
        ("el", "Ηλίας", "Αγαπητέ Ηλία,"),
        ("el", "Μαρία", "Αγαπητή Μαρία,"),
        ("bg", "Иван", "Скъпи Иван,"),
        ("bg", "Мария", "Скъпа Мария,"),
        ("bg", "Никола", "Скъпи Никола,"),
        ("ar", "محمد", "عزيزي محمد،"),
        ("ar", "فاطمة", "عزيزتي فاطمة،"),
        ("ar", "مريم", "عزيزتي مريم،"),
        ("ar", "مصطفى", "عزيزي مصطفى،"),
    ],
)
def test_salutations(language, given, expected):
    assert letters.salutation(language, given) == expected


@pytest.mark.parametrize(
    "country, expected",
    [
        ("GR", ["Νίκος Παππάς", "Ερμού 10", "105 57 Αθήνα"]),
        ("IT", ["Nikos", "Via Roma 1", "00184 Roma RM", "ITALIA"]),
        ("BG", ["Nikos", "ул. Шипка 34", "1504 София", "БЪЛГАРИЯ"]),
        ("GB", ["Nikos", "10 Downing St", "LONDON", "SW1A 2AA", "UNITED KINGDOM"]),
        ("US", ["Nikos", "1600 Main St", "Apt 4", "Springfield, IL 62704", "UNITED STATES"]),
    ],
)
def test_address_blocks_follow_the_country(country, expected):
    fields = {
        "GR": dict(name="Νίκος Παππάς", street="Ερμού 10", city="Αθήνα", postcode="105 57"),
        "IT": dict(name="Nikos", street="Via Roma 1", city="Roma", postcode="00184", region="RM"),
        "BG": dict(name="Nikos", street="ул. Шипка 34", city="София", postcode="1504"),
        "GB": dict(name="Nikos", street="10 Downing St", city="London", postcode="SW1A 2AA"),
        "US": dict(
            name="Nikos",
            street="1600 Main St\nApt 4",
            city="Springfield",
            postcode="62704",
            region="IL",
        ),
    }[country]
    language = {"IT": "it", "BG": "bg"}.get(country, "en")
    lines = letters.address_lines(
        country=country, from_country="GR", country_language=language, **fields
    )
    assert lines == expected


def test_greek_country_line_drops_the_tonos():
    lines = letters.address_lines(name="A", city="Roma", country="IT", country_language="el")
    assert lines[-1] == "ΙΤΑΛΙΑ"
