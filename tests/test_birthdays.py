"""Coming birthdays, their greetings in five languages, and the cards (postcard, folded)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from mailpeople import make_people

from crm.core import birthdays, contacts, interactions, models, templates
from crm.core.errors import NotFoundError, ValidationError
from crm.documents import birthday_card

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, text) of each word pdftotext finds on a page (1-based)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [
        (float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(out.stdout)
    ]


def test_coming_lists_birthdays_soonest_first_with_age_and_language(store):
    ids = make_people()
    people = birthdays.coming(4)
    assert [(p["contact_id"], p["date"], p["age"], p["language"]) for p in people] == [
        (ids["el"], dt.date(2026, 12, 8), 51, "el"),
        (ids["bg"], dt.date(2026, 12, 9), None, "bg"),  # --12-09: the year is unknown
        (ids["ar"], dt.date(2026, 12, 10), 38, "ar"),
    ]
    assert birthdays.coming(0) == []


def test_archived_and_erased_people_get_no_greeting(store):
    from crm.core import erasure

    ids = make_people()
    contacts.set_archived(ids["el"], True)
    erasure.erase(ids["bg"])
    assert [p["contact_id"] for p in birthdays.coming(7)] == [ids["ar"], ids["it"], ids["en"]]


def test_a_29_february_birthday_is_greeted_on_the_28th_in_other_years(store):
    c = contacts.create_contact(
        contacts.ContactData(given_name="Leap", birthday="1996-02-29", marketing_consent=True)
    )
    (p,) = birthdays.coming(90, today=dt.date(2027, 2, 1))
    assert (p["contact_id"], p["date"], p["age"]) == (c.id, dt.date(2027, 2, 28), 31)


def test_greetings_are_in_each_language_and_script(store):
    make_people()
    cards = {c["language"]: c for c in birthdays.cards(birthdays.coming(7))["cards"]}
    assert cards["el"]["subject"] == "Χρόνια πολλά, Γιώργο!"  # the vocative
    assert cards["el"]["body"].startswith("Αγαπητέ Γιώργο,\n\nΜε την ευκαιρία των γενεθλίων σας")
    assert cards["bg"]["subject"] == "Честит рожден ден, Мария!"
    assert cards["bg"]["body"].startswith("Скъпа Мария,\n\nПо случай рождения Ви ден")
    assert cards["ar"]["rtl"] and cards["ar"]["body"].startswith("عزيزتي سارة،")
    assert cards["it"]["body"].startswith("Gentile Giulia,\n\nin occasione del Suo compleanno")
    assert cards["en"]["subject"] == "Happy birthday, John"
    assert cards["en"]["signature"] == ["Elena Rossi", "Rossi Consulting"]
    assert cards["en"]["recipient"][-1] == "UNITED KINGDOM"


def test_the_birthday_template_is_the_users_to_edit(store):
    make_people()
    templates.save_template("birthday", "it", "Auguri {given_name}!", "{salutation}\ntanti auguri")
    (card,) = [c for c in birthdays.cards(birthdays.coming(7))["cards"] if c["language"] == "it"]
    assert (card["subject"], card["body"]) == ("Auguri Giulia!", "Gentile Giulia,\ntanti auguri")
    with pytest.raises(ValidationError, match=r"Unknown merge field \{code\}"):
        templates.save_template("birthday", "it", "Auguri", "{code}")


def test_people_without_consent_are_left_out_of_the_cards_and_one_card_is_refused(store, unchanged):
    ids = make_people(consent=False)
    data = birthdays.cards(birthdays.coming(7))
    assert data["cards"] == [] and len(data["skipped_without_consent"]) == 5
    with unchanged(), pytest.raises(ValidationError, match="No marketing consent from"):
        birthdays.card_for(ids["el"])
    assert birthdays.card_for(ids["el"], allow_without_consent=True)["cards"]


def test_one_person_without_a_birthday_is_refused(store, unchanged):
    c = contacts.create_contact(contacts.ContactData(given_name="Nobirthday"))
    with unchanged(), pytest.raises(ValidationError, match="has no birthday to greet"):
        birthdays.person(c.id)
    with unchanged(), pytest.raises(NotFoundError, match="No contact with id 999"):
        birthdays.person(999)
    with unchanged(), pytest.raises(ValidationError, match="between 0 and 366"):
        birthdays.coming(367)


@pytest.mark.parametrize("layout", ["postcard", "folded"])
def test_cards_print_in_every_script_and_are_logged(store, tmp_path, layout):
    ids = make_people()
    out = tmp_path / f"{layout}.pdf"
    result = birthday_card.print_cards(birthdays.cards(birthdays.coming(7)), out, layout=layout)
    per_card = 1 if layout == "postcard" else 2
    assert result == {"path": str(out), "cards": 5, "pages": 5 * per_card, "layout": layout}
    reader = pypdf.PdfReader(out)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    # A6 landscape postcard; an A5 landscape sheet folded to A6.
    expected = (419.5, 297.6) if layout == "postcard" else (595.3, 419.5)
    assert (round(width, 1), round(height, 1)) == expected
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()
    texts = {}
    for card, lang in enumerate(("el", "bg", "ar", "it", "en")):
        found = [w for p in range(per_card) for w in words(out, card * per_card + p + 1)]
        for x0, y0, x1, y1, _t in found:  # nothing runs off the paper
            assert min(x0, y0) >= 0 and x1 <= width and y1 <= height
        texts[lang] = found
    joined = {lang: " ".join(w[4] for w in found) for lang, found in texts.items()}
    assert "Χρόνια πολλά, Γιώργο!" in joined["el"] and "Με θερμούς χαιρετισμούς" in joined["el"]
    assert "Скъпа Мария," in joined["bg"] and "Рождения" not in joined["bg"]
    assert "عزيزتي سارة،" in joined["ar"]
    assert "Gentile Giulia," in joined["it"] and "Dear John," in joined["en"]
    # Arabic reads from the right: a postcard's wishes sit on the right half (English's on
    # the left); a folded card opens the other way, its wishes inside on the left panel.
    salutation_ar = next(w for w in texts["ar"] if w[4] == "عزيزتي سارة،")
    salutation_en = next(w for w in texts["en"] if w[4] == "Dear")
    if layout == "postcard":
        assert salutation_ar[0] > width / 2 > salutation_en[2]
    else:
        assert salutation_ar[2] < width / 2 < salutation_en[0]
    logged = [i for i in interactions.history(ids["ar"]) if i.kind == "card_printed"]
    assert len(logged) == 1


def test_the_postcard_carries_the_address_in_the_countrys_order(store, tmp_path):
    make_people()
    out = tmp_path / "cards.pdf"
    birthday_card.print_cards(birthdays.cards(birthdays.coming(7)), out)
    bulgarian = " ".join(w[4] for w in words(out, 2))
    assert "ул. Витоша 5 1000 София BULGARIA" in bulgarian


def test_a_refused_output_path_changes_nothing(store, tmp_path, unchanged):
    make_people()
    data = birthdays.cards(birthdays.coming(7))
    with unchanged(), pytest.raises(ValidationError, match=r"must end in \.pdf"):
        birthday_card.print_cards(data, tmp_path / "cards.png")
    with unchanged(), pytest.raises(ValidationError, match="layout must be one of"):
        birthday_card.print_cards(data, tmp_path / "cards.pdf", layout="poster")
    assert not (tmp_path / "cards.pdf").exists()
    assert models.Interaction.select().where(models.Interaction.kind == "card_printed").count() == 0


def test_markup_in_a_name_prints_literally_on_the_card(store, tmp_path):
    c = contacts.create_contact(
        contacts.ContactData(
            given_name="<b>Ann</b>", family_name="& <i>Co</i>", birthday="--12-07",
            marketing_consent=True,
        )
    )  # fmt: skip
    out = tmp_path / "markup.pdf"
    birthday_card.print_cards(birthdays.card_for(c.id), out)
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "Dear <b>Ann</b>," in text and "<b>Ann</b> & <i>Co</i>" in text
