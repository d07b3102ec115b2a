"""Thank-you letters as PDFs: every script readable, fonts embedded, printing atomic."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from crm.cli import main
from crm.core import contacts, interactions, models, referrals, settings, templates
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError
from crm.documents import letters

PEOPLE = {
    # language: (given, family, street, city, postcode, country)
    "en": ("Seán", "O'Brien", "12 Harcourt Street", "Dublin", "D02 XY45", "IE"),
    "el": ("Γιώργος", "Παπαδόπουλος", "Ερμού 10", "Αθήνα", "105 57", "GR"),
    "bg": ("Иван", "Петров", "ул. Шипка 34", "София", "1504", "BG"),
    "it": ("Niccolò", "Ferrà", "Via Roma 1", "Firenze", "50123", "IT"),
    "ar": ("أحمد", "المصري", "شارع الشيخ زايد 12", "دبي", "", "AE"),
}
REFERRED = {
    "en": ("Zoë", "Müller"),
    "el": ("Ελένη", "Δημητρίου"),
    "bg": ("Десислава", "Иванова"),
    "it": ("Giosuè", "Carducci"),
    "ar": ("فاطمة", "الزهراء"),
}

CONTROL_CHARS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def person(given: str, family: str, language: str = "en", **fields) -> int:
    fields.setdefault("marketing_consent", True)  # letters go to people who agreed
    data = ContactData(given_name=given, family_name=family, language=language, **fields)
    return contacts.create_contact(data).id


def giver_and_referral(language: str, *, reward: bool = True) -> tuple[int, int]:
    given, family, street, city, postcode, country = PEOPLE[language]
    giver = person(
        given,
        family,
        language,
        street=street,
        city=city,
        postcode=postcode,
        country=country,
    )
    referred = person(*REFERRED[language], language)
    ref = referrals.record_referral(giver, referred)
    if reward:
        models.Reward.create(contact=giver, referral=ref.id, kind="thank_you_letter")
    return giver, ref.id


@pytest.fixture
def sender(store, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (30, 90, 160)).save(logo)
    signature = tmp_path / "signature.png"
    Image.new("RGBA", (300, 90), (20, 20, 80, 255)).save(signature)
    settings.update_profile(
        name="Eleni Markou",
        company="Markou Consulting",
        street="Vasilissis Sofias 12",
        city="Athens",
        postcode="106 74",
        country="GR",
        email="eleni@markou.example",
        logo_path=str(logo),
        signature_path=str(signature),
    )
    return settings.profile()


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def fonts_of(path: Path) -> list[dict]:
    """Every font any page of the PDF uses, as pypdf objects."""
    found = []
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            found.append(font.get_object())
    return found


def assert_fonts_embedded(path: Path) -> None:
    fonts = fonts_of(path)
    assert fonts, "no fonts"
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        assert "Helvetica" not in font["/BaseFont"]
    if shutil.which("pdffonts") is None:
        print("pdffonts not installed: checked the embedding with pypdf only")
        return
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        # name type [type2] encoding emb sub uni id gen: emb/sub/uni are the 3 yes/no before ids.
        cells = row.split()
        emb, sub = cells[-5], cells[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "Type 1" not in row, row


def pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.translate(CONTROL_CHARS)


def history(contact_id: int, kind: str) -> list[models.Interaction]:
    return [i for i in interactions.history(contact_id) if i.kind == kind]


@pytest.mark.parametrize("language", ["en", "el", "bg", "it"])
def test_letter_prints_the_names_in_their_script(sender, tmp_path, language):
    _giver, referral_id = giver_and_referral(language)
    out = tmp_path / f"letter-{language}.pdf"
    result = letters.thank_you_letter(referral_id, out)
    assert result["pages"] == 1 and out.is_file()
    text = text_of(out)
    given, family, street, _city, *_ = PEOPLE[language]
    for word in (given, family, street, *REFERRED[language]):
        assert word in text, (word, text)
    assert "Eleni Markou" in text
    assert_fonts_embedded(out)


def test_letter_body_follows_the_language(sender, tmp_path):
    _giver, referral_id = giver_and_referral("el")
    out = tmp_path / "el.pdf"
    letters.thank_you_letter(referral_id, out)
    text = text_of(out)
    assert "Αγαπητέ Γιώργο," in text
    assert "Ελένη Δημητρίου" in text
    assert "105 57 Αθήνα" in text


def test_arabic_letter_is_shaped_and_readable(sender, tmp_path):
    _giver, referral_id = giver_and_referral("ar")
    out = tmp_path / "letter-ar.pdf"
    letters.thank_you_letter(referral_id, out)
    assert_fonts_embedded(out)
    names = {f["/BaseFont"] for f in fonts_of(out)}
    assert any("NotoSansArabic" in n for n in names), names
    text = pdftotext(out)
    # The glyphs are drawn in visual order; the PDF's ActualText gives the words back.
    for name in ("أحمد المصري", "فاطمة الزهراء", "عزيزي أحمد"):
        assert name in text or name[::-1] in text, (name, text)


def test_markup_in_a_name_prints_literally(sender, tmp_path):
    giver = person("<b>Smith", "& Co</b>", "en", organization="<i>Acme</i> & <u>Sons</u>")
    referred = person("Ann", "<br/>Lee")
    ref = referrals.record_referral(giver, referred)
    out = tmp_path / "markup.pdf"
    letters.thank_you_letter(ref.id, out)
    text = text_of(out)
    assert "<b>Smith & Co</b>" in text
    assert "<i>Acme</i> & <u>Sons</u>" in text
    assert "Ann <br/>Lee" in text


def test_printing_logs_and_marks_the_reward(sender, tmp_path):
    giver, referral_id = giver_and_referral("it")
    result = letters.thank_you_letter(referral_id, tmp_path / "it.pdf")
    assert result["rewards_given"] == 1
    reward = models.Reward.get(models.Reward.referral == referral_id)
    assert reward.status == "given" and reward.given_at is not None
    assert len(history(giver, "letter_printed")) == 1
    assert len(history(giver, "reward_given")) == 1
    # A reprint is logged again but gives nothing twice.
    again = letters.thank_you_letter(referral_id, tmp_path / "it2.pdf")
    assert again["rewards_given"] == 0
    assert len(history(giver, "letter_printed")) == 2
    assert len(history(giver, "reward_given")) == 1


def test_pending_letters_one_per_page(sender, tmp_path):
    made = [giver_and_referral(lang) for lang in ("en", "el", "bg", "it", "ar", "en")]
    # Not pending: already given, or another kind of reward.
    _g, given_ref = giver_and_referral("en", reward=False)
    models.Reward.create(contact=_g, referral=given_ref, kind="thank_you_letter", status="given")
    models.Reward.create(contact=_g, referral=given_ref, kind="gift")
    out = tmp_path / "pending.pdf"
    count = letters.pending_letters(out)
    assert count == len(made)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == len(made)
    for (giver, _ref), page in zip(made[:4], reader.pages, strict=False):
        given = models.Contact.get_by_id(giver).given_name
        assert given in page.extract_text()
    pending = models.Reward.select().where(
        (models.Reward.kind == "thank_you_letter") & (models.Reward.status == "pending")
    )
    assert pending.count() == 0
    for giver, _ref in made:
        assert len(history(giver, "letter_printed")) == 1
    assert_fonts_embedded(out)
    # Nothing left to print: no file.
    assert letters.pending_letters(tmp_path / "none.pdf") == 0
    assert not (tmp_path / "none.pdf").exists()


def test_letter_page_size_comes_from_the_profile(sender, tmp_path):
    settings.update_profile(page_size="Letter")
    _giver, referral_id = giver_and_referral("en")
    out = tmp_path / "letter-size.pdf"
    letters.thank_you_letter(referral_id, out)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_logo_and_signature_are_drawn(sender, tmp_path):
    _giver, referral_id = giver_and_referral("en")
    out = tmp_path / "images.pdf"
    letters.thank_you_letter(referral_id, out)
    page = pypdf.PdfReader(out).pages[0]
    assert len(page.images) == 2


def test_edited_template_is_used(sender, tmp_path):
    templates.save_template(
        "thank_you_letter",
        "en",
        "Cheers, {giver_given_name}",
        "{salutation}\n\nYou sent {referred_name} my way on {referral_date}. Worth {value}.",
    )
    _giver, referral_id = giver_and_referral("en", reward=False)
    referrals.change_status(referral_id, "won", value="1250.5")
    out = tmp_path / "edited.pdf"
    letters.thank_you_letter(referral_id, out)
    text = text_of(out)
    assert "Cheers, Seán" in text
    assert "You sent Zoë Müller my way on" in text
    assert re.search(r"Worth €1,250\.50", text), text


def test_no_such_referral_changes_nothing(sender, tmp_path, unchanged):
    out = tmp_path / "missing.pdf"
    with unchanged(), pytest.raises(NotFoundError, match="No referral with id 999"):
        letters.thank_you_letter(999, out)
    assert not out.exists()
    assert not any(".part" in p.name for p in tmp_path.iterdir())


def test_failure_while_recording_leaves_no_file_and_no_change(
    sender, tmp_path, unchanged, monkeypatch
):
    _giver, referral_id = giver_and_referral("bg")
    out = tmp_path / "fails.pdf"
    out.write_bytes(b"the previous file")

    def broken(_letters):
        models.Interaction.create(contact=_giver, kind="letter_printed")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(letters.core_letters, "mark_printed", broken)
    with unchanged(), pytest.raises(RuntimeError):
        letters.thank_you_letter(referral_id, out)
    assert out.read_bytes() == b"the previous file"
    assert not any(".part" in p.name for p in tmp_path.iterdir())


def test_failure_while_drawing_leaves_no_file(sender, tmp_path, unchanged, monkeypatch):
    _giver, referral_id = giver_and_referral("en")
    out = tmp_path / "draw.pdf"

    def broken(_data, path, _progress=None):
        Path(path).write_bytes(b"%PDF-1.4 half a file")
        raise OSError("no space left")

    monkeypatch.setattr(letters, "render", broken)
    with unchanged(), pytest.raises(OSError):
        letters.thank_you_letter(referral_id, out)
    assert not out.exists()
    assert not any(".part" in p.name for p in tmp_path.iterdir())


def test_output_must_be_a_pdf(sender, tmp_path, unchanged):
    _giver, referral_id = giver_and_referral("en")
    with unchanged(), pytest.raises(ValidationError, match=r"must end in \.pdf"):
        letters.thank_you_letter(referral_id, tmp_path / "letter.docx")


# -- the command -------------------------------------------------------------------------


def run(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_letter_and_pending(sender, store, db_path, tmp_path, capsys):
    _giver, referral_id = giver_and_referral("el")
    giver_and_referral("ar")
    out = tmp_path / "one.pdf"
    code, stdout, err = run(
        db_path, capsys, "letter", "--referral", str(referral_id), "-o", str(out)
    )
    assert code == 0, err
    assert str(out) in stdout and out.is_file()
    batch = tmp_path / "batch.pdf"
    code, stdout, err = run(db_path, capsys, "letters", "--pending", "-o", str(batch), "--json")
    assert code == 0, err
    assert '"letters": 1' in stdout  # the Greek one was printed above
    assert len(pypdf.PdfReader(batch).pages) == 1


def test_cli_refuses_an_unknown_referral(sender, store, db_path, tmp_path, capsys, unchanged):
    out = tmp_path / "nope.pdf"
    with unchanged():
        code, stdout, err = run(db_path, capsys, "letter", "--referral", "4242", "-o", str(out))
    assert code == 2
    assert stdout == ""
    lines = err.strip().splitlines()
    assert lines == ["error: No referral with id 4242"]
    assert not out.exists()


def test_cli_refuses_a_missing_folder(sender, store, db_path, tmp_path, capsys, unchanged):
    _giver, referral_id = giver_and_referral("en")
    out = tmp_path / "no" / "such" / "letter.pdf"
    with unchanged():
        code, _out, err = run(
            db_path, capsys, "letter", "--referral", str(referral_id), "-o", str(out)
        )
    assert code == 2
    assert err.startswith("error: The folder") and "does not exist" in err


# -- fonts and text ----------------------------------------------------------------------


def test_fonts_register_once_from_the_shipped_bold_instances(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    from crm.documents import fonts

    first = fonts.register_fonts()
    assert fonts.register_fonts() is first
    assert (first.regular, first.bold) == fonts.font_for("Καλημέρα")
    assert (first.arabic, first.arabic_bold) == fonts.font_for("Smith أحمد")
    # The first print does not cut anything: the Bold instances ship with the app.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for key in fonts.SOURCES:
        path = fonts.bold_path(key)
        assert path == fonts.shipped_bold(key)
        with TTFont(str(path)) as bold, TTFont(str(fonts.source_path(key))) as variable:
            assert bold["OS/2"].usWeightClass == 700 and "fvar" not in bold
            assert bold["name"].getDebugName(6) == f"{fonts.stem(key)}-Bold"
            # Every character the Regular draws, the Bold draws too.
            assert set(variable.getBestCmap()) == set(bold.getBestCmap())
    assert not (tmp_path / "cache").exists()


def test_a_missing_bold_instance_is_cut_into_the_cache_as_the_shipped_one(tmp_path, monkeypatch):
    from crm.documents import fonts

    shipped = fonts.shipped_bold("arabic")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "shipped_bold", lambda key: tmp_path / "none" / f"{key}.ttf")
    # The Arabic one: the smaller font, cut in about a second.
    path = fonts.bold_path("arabic")
    assert path.is_relative_to(tmp_path / "cache")
    # Cut the same way as the shipped file: a stale shipped font would show here.
    assert path.read_bytes() == shipped.read_bytes()
    assert fonts.bold_path("arabic") == path


def test_visual_order_of_mixed_arabic():
    from crm.documents.text import is_rtl, visual

    assert is_rtl("أحمد Smith") and not is_rtl("Smith أحمد") and not is_rtl("123")
    # Latin words and numbers keep their order inside Arabic; the sentence reads from the right.
    assert visual("شكرا Maria Rossi 1,250.00", rtl=True) == "Maria Rossi 1,250.00 اركش"
    assert visual("شكرا 12 يوما", rtl=True) == "اموي 12 اركش"
    # Brackets are mirrored: the opening one ends up on the right.
    assert visual("(تقريبا)", rtl=True) == "(ابيرقت)"
    # Bidi marks steer the order, then are dropped: they have no glyph.
    assert visual("\u200f1,250.50 €", rtl=True) == "€ 1,250.50"


def test_arabic_paragraph_wraps_into_right_aligned_lines():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from crm.documents.fonts import register_fonts
    from crm.documents.text import BidiParagraph, paragraph

    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=11, leading=15)
    text = "أودّ أن أتقدّم إليكم بخالص الشكر والتقدير على تعريفي بـ Maria Rossi. " * 4
    para = paragraph(text, style, rtl=True)
    assert isinstance(para, BidiParagraph)
    _w, h = para.wrap(200, 1000)
    assert len(para.lines) >= 4 and h == len(para.lines) * 15
    # Every line is split in logical order: joined back, they are the text.
    assert " ".join(para.lines).split() == text.split()
    head, tail = para.split(200, 31)
    head.wrap(200, 31)
    tail.wrap(200, 1000)
    assert len(head.lines) == 2 and head.lines + tail.lines == para.lines
    canvas = Canvas("/dev/null", initialFontName=fonts.regular)
    para.drawOn(canvas, 0, 0)  # draws without error
    assert paragraph("<b>Smith & Co</b>", style).text == "&lt;b&gt;Smith &amp; Co&lt;/b&gt;"


# -- marketing consent ----------------------------------------------------------------


def test_a_letter_to_a_giver_without_consent_is_refused_unless_overridden(
    sender, tmp_path, unchanged
):
    from crm.core import letters as core_letters

    giver, referral_id = giver_and_referral("el")
    contacts.update_contact(giver, marketing_consent=False)
    out = tmp_path / "letter.pdf"
    with unchanged(), pytest.raises(ValidationError) as info:
        letters.thank_you_letter(referral_id, out)
    assert info.value.message == (
        f"No marketing consent from: Γιώργος Παπαδόπουλος (#{giver}). "
        "Record their consent or print with --without-consent."
    )
    assert not out.exists()
    assert core_letters.letter_data(referral_id, allow_without_consent=True)["letters"]
    result = letters.thank_you_letter(referral_id, out, allow_without_consent=True)
    assert result["rewards_given"] == 1 and out.is_file()


def test_the_pending_batch_skips_givers_without_consent_and_lists_them(sender, tmp_path):
    from crm.core import erasure
    from crm.core import letters as core_letters

    _yes, yes_ref = giver_and_referral("en")
    no, no_ref = giver_and_referral("it")
    contacts.update_contact(no, marketing_consent=False)
    gone, _gone_ref = giver_and_referral("bg")
    erasure.erase(gone)  # nobody to write to: in neither list
    skipped = [{"referral_id": no_ref, "giver_id": no, "giver_name": "Niccolò Ferrà"}]
    assert core_letters.pending_without_consent() == skipped
    data = core_letters.pending_data()
    assert [x["referral_id"] for x in data["letters"]] == [yes_ref]
    assert data["skipped_without_consent"] == skipped
    everyone = core_letters.pending_data(allow_without_consent=True)
    assert [x["referral_id"] for x in everyone["letters"]] == [yes_ref, no_ref]
    assert everyone["skipped_without_consent"] == []
    assert letters.pending_letters(tmp_path / "batch.pdf") == 1
    assert letters.pending_letters(tmp_path / "rest.pdf", allow_without_consent=True) == 1
    assert core_letters.pending_without_consent() == []


def test_an_erased_giver_gets_no_letter_even_with_the_override(sender, tmp_path, unchanged):
    from crm.core import erasure

    giver, referral_id = giver_and_referral("en")
    erasure.erase(giver)
    with unchanged(), pytest.raises(ValidationError, match=f"#{giver}\\) was erased on request"):
        letters.thank_you_letter(referral_id, tmp_path / "x.pdf", allow_without_consent=True)


def test_a_repeated_arabic_line_is_drawn_where_asked_in_every_document(tmp_path):
    """A right-to-left line is shaped once per document and moved into place each time."""
    from reportlab.pdfgen.canvas import Canvas

    from crm.documents.fonts import register_fonts
    from crm.documents.text import draw_line

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    fonts = register_fonts()
    line = "شكراً لتعريفي بفاطمة (2026)"
    bands = []
    for name in ("a", "b"):  # font subsets are per document: each draws its own copy
        pdf = tmp_path / f"{name}.pdf"
        c = Canvas(str(pdf), pagesize=(600, 800), initialFontName=fonts.regular)
        widths = {draw_line(c, 500, y, line, 14, align="right") for y in (700, 450, 200)}
        c.save()
        assert len(widths) == 1
        subprocess.run(
            ["pdftoppm", "-png", "-r", "72", "-gray", str(pdf), str(tmp_path / name)],
            check=True,
        )  # fmt: skip
        (png,) = tmp_path.glob(f"{name}-*.png")
        page = Image.open(png).convert("L")
        for y in (700, 450, 200):  # the band around each baseline, from the page's top
            band = page.crop((0, 800 - y - 20, 600, 800 - y + 8))
            assert band.getextrema()[0] < 128  # ink there
            bands.append(band.tobytes())
        # Right-aligned on x = 500: nothing right of it, the width to its left.
        ink = page.point(lambda v: 255 if v < 128 else 0).getbbox()
        assert ink is not None and 495 <= ink[2] <= 501
        assert ink[0] == pytest.approx(500 - widths.pop(), abs=4)
    assert len(set(bands)) == 1  # the same line at each place, in both documents
