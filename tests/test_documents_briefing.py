"""The printed event briefing: names in every script, header and page numbers on every page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from crm.cli import main
from crm.core import contacts, events, followups, referrals, settings
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError
from crm.documents import briefing_pdf

CONTROL_CHARS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
NAMES = [
    ("Γιώργος", "Παπαδόπουλος"),
    ("Десислава", "Иванова"),
    ("Niccolò", "Ferrà"),
    ("Zoë", "Müller"),
    ("أحمد", "المصري"),
    ("<b>Smith", "& Co</b>"),
]


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


@pytest.fixture
def event(store) -> int:
    """An event with attendees in five scripts, a referral chain and open follow-ups."""
    ev = events.create_event(
        "Πρωινό δικτύωσης – Εμπορικό Επιμελητήριο", dt.date(2026, 12, 3), venue="Electra Palace"
    ).id
    ids = [person(g, f, organization="Ferrà & Figli S.n.c.") for g, f in NAMES]
    # A chain: ids[3] referred ids[2], who referred ids[1], who referred ids[0].
    referrals.record_referral(ids[3], ids[2])
    referrals.record_referral(ids[2], ids[1])
    ref = referrals.record_referral(ids[1], ids[0])
    referrals.change_status(ref.id, "won", value="1250.50")
    referrals.record_referral(ids[4], ids[5])
    followups.create_followup(ids[0], dt.date(2026, 1, 5), kind="call", title="Call Γιώργος")
    for i, cid in enumerate(ids):
        events.attend(ev, cid, role="member" if i % 2 else "visitor", met_in_person=i < 3)
    # Enough more attendees to fill several pages.
    for n in range(60):
        events.attend(
            ev, person(f"Guest{n:02d}", "Visitor", organization=f"Firm {n}"), role="visitor"
        )
    return ev


def text_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_briefing_shows_every_script_and_repeats_the_header(event, tmp_path):
    out = tmp_path / "briefing.pdf"
    result = briefing_pdf.event_briefing_pdf(event, out)
    pages = text_pages(out)
    assert result["pages"] == len(pages) >= 2
    assert result["attendees"] == 66
    text = "\n".join(pages)
    for given, family in NAMES[:4]:
        assert given in text and family in text, (given, family)
    assert "<b>Smith & Co</b>" in text
    assert "Ferrà & Figli S.n.c." in text
    for number, page in enumerate(pages, 1):
        assert "Πρωινό δικτύωσης – Εμπορικό Επιμελητήριο" in page
        assert "Dec 3, 2026" in page
        assert f"Page {number} of {len(pages)}" in page


def test_briefing_shows_chain_referrals_and_followups(event, tmp_path):
    out = tmp_path / "briefing.pdf"
    briefing_pdf.event_briefing_pdf(event, out)
    text = "\n".join(text_pages(out))
    assert "Gave 1" in text and "Received 1" in text
    assert "€1,250.50" in text
    assert "Call Γιώργος" in text and "overdue" in text
    assert "OK to ask (never asked)" in text


def test_briefing_fonts_are_embedded(event, tmp_path):
    out = tmp_path / "briefing.pdf"
    briefing_pdf.event_briefing_pdf(event, out)
    for page in pypdf.PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
    if shutil.which("pdffonts") is None:
        print("pdffonts not installed: checked the embedding with pypdf only")
        return
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    for row in listing.stdout.splitlines()[2:]:
        assert row.split()[-5:-3] == ["yes", "yes"], row
        assert "Type 1" not in row


@pytest.mark.parametrize("language", ["el", "bg", "it", "ar"])
def test_briefing_in_the_briefing_language(event, tmp_path, language):
    settings.set_value("briefing_language", language)
    out = tmp_path / f"briefing-{language}.pdf"
    briefing_pdf.event_briefing_pdf(event, out)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.translate(CONTROL_CHARS)
    label = {"el": "Σελίδα 1 από", "bg": "Страница 1 от", "it": "Pagina 1 di", "ar": "الصفحة"}
    assert label[language] in text or label[language][::-1] in text
    assert "Παπαδόπουλος" in text


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout.translate(CONTROL_CHARS)


def test_briefing_headings_in_greek_set_from_the_cli(event, db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "settings", "set", "briefing_language", "el"]) == 0
    assert capsys.readouterr().out.strip() == "el"
    out = tmp_path / "el.pdf"
    assert main(["--db", str(db_path), "briefing", "--event", str(event), "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "Σελίδα 1 από" in text and "Παπαδόπουλος" in text
    assert "Page 1 of" not in text


def test_briefing_follows_the_interface_language_by_default(event, tmp_path):
    from crm import i18n

    assert settings.get("briefing_language") == ""
    assert settings.briefing_language() == "en"
    before = i18n.language()
    i18n.set_language("it")
    try:
        assert settings.briefing_language() == "it"
        briefing_pdf.event_briefing_pdf(event, tmp_path / "it.pdf")
    finally:
        i18n.set_language(before)
    assert "Pagina 1 di" in pdf_text(tmp_path / "it.pdf")
    settings.set_value("briefing_language", "bg")
    assert settings.briefing_language() == "bg"


def test_unknown_briefing_language_is_refused(store, unchanged):
    with unchanged(), pytest.raises(ValidationError) as info:
        settings.set_value("briefing_language", "fr")
    assert info.value.field == "briefing_language"
    assert str(info.value) == "Language must be one of en, el, bg, it, ar, not 'fr'"


def test_cli_refuses_an_unknown_briefing_language(db_path, unchanged, capsys):
    with unchanged():
        assert main(["--db", str(db_path), "settings", "set", "briefing_language", "de"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == "error: Language must be one of en, el, bg, it, ar, not 'de'"


def test_empty_event(store, tmp_path):
    ev = events.create_event("Quiet evening", dt.date(2026, 12, 1)).id
    out = tmp_path / "empty.pdf"
    result = briefing_pdf.event_briefing_pdf(ev, out)
    assert result == {"path": str(out), "event_id": ev, "attendees": 0, "pages": 1}
    assert "Nobody is registered" in text_pages(out)[0]


def test_no_such_event(store, tmp_path):
    out = tmp_path / "none.pdf"
    with pytest.raises(NotFoundError, match="No event with id 77"):
        briefing_pdf.event_briefing_pdf(77, out)
    assert not out.exists()


def test_cli_briefing(event, db_path, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    capsys.readouterr()
    assert main(["--db", str(db_path), "briefing", "--event", str(event), "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert out.is_file()
    missing = tmp_path / "missing.pdf"
    assert main(["--db", str(db_path), "briefing", "--event", "999", "-o", str(missing)]) == 2
    out_text, err = capsys.readouterr()
    assert out_text == "" and err.strip() == "error: No event with id 999"
    assert not missing.exists()
