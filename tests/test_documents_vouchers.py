"""Printed vouchers: text in every script, embedded fonts, QR codes that scan, layouts."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm import cli
from crm.core import clock, contacts, models, settings, templates, vouchers
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError
from crm.documents import qr, vouchers_pdf

NEXT_YEAR = clock.today() + dt.timedelta(days=365)
CODE = re.compile(r"PSP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]")

PEOPLE = [
    ("Μαρία", "Παπαδοπούλου", "el", "GR"),
    ("Красимир", "Василев", "bg", "BG"),
    ("Chiara", "Lombardi", "it", "IT"),
    ("Zoë", "O'Brien-Müller", "en", "IE"),
    ("علي", "حسن", "ar", "LB"),
    ("<b>Smith", "& Co</b>", "en", "GB"),
]


def person(
    given: str, family: str, language: str = "en", country: str = "", consent: bool = True
) -> int:
    data = ContactData(
        given_name=given,
        family_name=family,
        language=language,
        country=country,
        marketing_consent=consent,  # vouchers go to people who agreed
    )
    return contacts.create_contact(data).id


@pytest.fixture
def batch(store) -> list[dict]:
    """One voucher for each of the people above, in batch 2026-Q4."""
    ids = [person(*p) for p in PEOPLE]
    return vouchers.issue(ids, value="50", expires=NEXT_YEAR, batch="2026-Q4", currency="EUR")


def pdf_text(path: Path) -> str:
    """The text of every page, runs of white space (line breaks of wrapped text) as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def fonts_of(path: Path) -> dict[str, bool]:
    """Every font on every page: name -> embedded."""
    out: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out[str(font["/BaseFont"])] = embedded
    return out


# -- content -----------------------------------------------------------------------------


def test_print_shows_names_codes_and_values_in_every_script(batch, tmp_path):
    out = tmp_path / "vouchers.pdf"
    result = vouchers_pdf.print_batch("2026-Q4", out, per_page=1)
    assert result["pages"] == len(PEOPLE) == result["vouchers"]
    assert sorted(result["codes"]) == sorted(v["code"] for v in batch)
    text = pdf_text(out)
    for name in ("Μαρία Παπαδοπούλου", "Красимир Василев", "Chiara Lombardi", "O'Brien-Müller"):
        assert name in text
    # The code is one unbroken word, as a reader would copy it.
    assert sorted(CODE.findall(text)) == sorted(v["code"] for v in batch)
    assert "50,00 €" in text  # the Greek, Bulgarian and Italian way
    assert "€50.00" in text  # the English way
    assert "ΚΩΔΙΚΟΣ ΔΩΡΟΕΠΙΤΑΓΗΣ" in text and "КОД НА ВАУЧЕРА" in text


def test_markup_in_a_name_prints_literally(batch, tmp_path):
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out, per_page=4)
    assert "<b>Smith & Co</b>" in pdf_text(out)


def test_every_font_is_embedded_and_none_is_builtin(batch, tmp_path):
    for per_page in (1, 4, 8):
        out = tmp_path / f"v{per_page}.pdf"
        vouchers_pdf.print_batch("2026-Q4", out, per_page=per_page)
        fonts = fonts_of(out)
        assert fonts and all(fonts.values()), fonts
        assert not any("Helvetica" in name or "Times" in name for name in fonts)
        assert any("NotoSansArabic" in name for name in fonts)


@pytest.mark.parametrize(("per_page", "pages"), [(1, 6), (4, 2), (8, 1)])
def test_page_counts(batch, tmp_path, per_page, pages):
    out = tmp_path / "v.pdf"
    assert vouchers_pdf.print_batch("2026-Q4", out, per_page=per_page)["pages"] == pages
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    if per_page == 8:
        assert (round(width), round(height)) == (595, 842)  # A4 portrait
    else:
        assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_one_up_follows_the_letter_page_size(batch, tmp_path):
    settings.update_profile(page_size="Letter")
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out, per_page=1)
    width, height = (float(x) for x in PdfReader(out).pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (792, 612)


def _positions(path: Path, page: int) -> dict[str, float]:
    """x of each text run drawn on a page."""
    found: dict[str, float] = {}

    def visit(text, _cm, tm, _font, _size):
        if text.strip():
            found.setdefault(text.strip(), tm[4])

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def test_arabic_voucher_is_laid_out_right_to_left(batch, tmp_path):
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out, per_page=1)
    width = float(PdfReader(out).pages[0].mediabox.width)
    codes_by_lang = {p[2]: v["code"] for p, v in zip(PEOPLE, batch, strict=True)}
    # Page order follows the batch: Arabic is the fifth voucher, Italian the third.
    arabic, italian = _positions(out, 4), _positions(out, 2)
    code_x_ar = next(x for t, x in arabic.items() if codes_by_lang["ar"] in t)
    code_x_it = next(x for t, x in italian.items() if codes_by_lang["it"] in t)
    # The words start at the right (the QR code is on the left), and at the left in Italian.
    assert code_x_ar > 0.4 * width and code_x_it < 0.1 * width


def test_terms_come_from_the_users_template(batch, tmp_path):
    templates.save_template(
        "voucher", "it", "Un pensiero per chi conosce {holder_name}", "Valido fino al {expires}."
    )
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out)
    text = pdf_text(out)
    assert "Un pensiero per chi conosce Chiara Lombardi" in text
    assert "Valido fino al" in text


def test_logo_is_drawn_when_the_profile_has_one(batch, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (15, 107, 102)).save(logo)
    settings.update_profile(logo_path=str(logo), company="Studio Rossi")
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out, per_page=8)
    page = PdfReader(out).pages[0]
    assert page.images, "no image on the page"
    assert "Studio Rossi" in page.extract_text()


# -- QR codes ------------------------------------------------------------------------------


def _scan(pdf: Path, tmp_path: Path) -> list[str]:
    for tool in ("pdftoppm", "zbarimg"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed (poppler-utils / zbar-tools)")
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True)
    found: list[str] = []
    # One page per call: zbarimg given several images drops repeats across them.
    for png in sorted(tmp_path.glob("page-*.png")):
        run = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
        found += run.stdout.split()
        png.unlink()
    return found


@pytest.mark.parametrize("per_page", [1, 4, 8])
def test_qr_codes_scan_to_their_codes(batch, tmp_path, per_page):
    out = tmp_path / "v.pdf"
    vouchers_pdf.print_batch("2026-Q4", out, per_page=per_page)
    assert sorted(_scan(out, tmp_path)) == sorted(v["code"] for v in batch)


def test_qr_rectangles_cover_exactly_the_dark_modules():
    import random

    import segno

    from crm.core import codes

    rng = random.Random(4)
    for _ in range(200):
        code = codes.generate(rng)
        size, rects = qr.runs(code)
        assert size == 21  # version 1: alphanumeric mode keeps voucher codes small
        painted = [[0] * size for _ in range(size)]
        for row, col, length, height in rects:
            for r in range(row, row + height):
                for c in range(col, col + length):
                    assert not painted[r][c], "rectangles overlap"
                    painted[r][c] = 1
        matrix = segno.make_qr(code, error="m", boost_error=False).matrix
        assert painted == [[int(bool(m)) for m in row] for row in matrix]
    assert qr.modules("PSP-7KQ4-M9XT-S") == 29  # quiet zone of 4 on each side


def test_qr_is_drawn_as_one_path_on_the_grid():
    import io
    import re

    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), pagesize=(595.27, 842))
    grid = 72 / 150
    text = "PSP-7KQ4-M9XT-S"
    module = qr.draw_qr(canvas, text, 100.3, 200.7, 90, grid=grid, page_height=842)
    drawn = " ".join(canvas._code)
    # One matrix that scales module units to points and puts the symbol's top-left in place,
    # then every rectangle in whole modules, filled once.
    ((a, b, c, d, e, f),) = re.findall(r"(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm", drawn)
    assert (float(b), float(c)) == (0, 0) and float(a) == float(d) == pytest.approx(module)
    rects = [tuple(map(int, r)) for r in re.findall(r"(-?\d+) (-?\d+) (\d+) (\d+) re", drawn)]
    assert len(rects) == len(qr.runs(text)[1]) and drawn.count(" re f") == 1
    assert module == pytest.approx(round(module / grid) * grid) and module * 29 <= 90
    e_, f_ = float(e), float(f)
    for col, row, length, height in rects:  # every edge on the 1/150-inch grid from the top
        x, y, w, h = e_ + col * module, f_ + row * module, length * module, height * module
        for v in (x, 842 - y - h, w, h):
            assert v / grid == pytest.approx(round(v / grid), abs=1e-6)
    # The same dark modules as the symbol's own matrix.
    _size, runs = qr.runs(text)
    assert sorted((-(r + h), col, n, h) for r, col, n, h in runs) == sorted(
        (row, col, n, h) for col, row, n, h in rects
    )


# -- printing marks the batch, atomically ------------------------------------------------


def test_printing_marks_the_batch_printed(batch, tmp_path):
    other = vouchers.issue([person("Ann", "Other")], value="5", expires=NEXT_YEAR, batch="x")
    folder = tmp_path / "out"
    folder.mkdir()
    vouchers_pdf.print_batch("2026-Q4", folder / "v.pdf")
    printed = {v["id"]: v["printed_at"] for v in vouchers.list_vouchers()}
    assert all(printed[v["id"]] for v in batch)
    assert printed[other[0]["id"]] is None
    assert [p.name for p in folder.iterdir()] == ["v.pdf"]  # no temp file left


def test_spent_vouchers_are_not_printed(batch, tmp_path):
    v = models.Voucher
    v.update(status="void").where(v.id == batch[0]["id"]).execute()
    v.update(expires=clock.today() - dt.timedelta(days=1)).where(v.id == batch[1]["id"]).execute()
    result = vouchers_pdf.print_batch("2026-Q4", tmp_path / "v.pdf")
    assert result["vouchers"] == len(batch) - 2
    assert batch[0]["code"] not in result["codes"] and batch[1]["code"] not in result["codes"]


def test_unknown_batch_and_bad_layout_change_nothing(batch, tmp_path, unchanged):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "v.pdf"
    with unchanged(), pytest.raises(NotFoundError, match="No batch named 'nope'; batches: 2026-Q4"):
        vouchers_pdf.print_batch("nope", out)
    with unchanged(), pytest.raises(ValidationError, match="must be 1, 4 or 8, not 6"):
        vouchers_pdf.print_batch("2026-Q4", out, per_page=6)
    with unchanged(), pytest.raises(ValidationError, match="does not exist"):
        vouchers_pdf.print_batch("2026-Q4", folder / "missing" / "v.pdf")
    assert list(folder.iterdir()) == []


def test_a_failed_write_leaves_the_batch_unprinted(batch, tmp_path, unchanged, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "v.pdf"
    out.write_bytes(b"old file")

    def refuse(*_a):
        raise PermissionError("read-only")

    monkeypatch.setattr(vouchers_pdf.os, "replace", refuse)
    with unchanged(), pytest.raises(PermissionError):
        vouchers_pdf.print_batch("2026-Q4", out)
    assert out.read_bytes() == b"old file"
    assert [p.name for p in folder.iterdir()] == ["v.pdf"]


# -- the command ------------------------------------------------------------------------------


def test_cli_print(batch, db_path, tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    argv = ["--db", str(db_path), "vouchers", "print", "--batch", "2026-Q4", "-o", str(out)]
    assert cli.main([*argv, "--per-page", "8", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pages"] == 1 and result["vouchers"] == len(PEOPLE)
    assert len(PdfReader(out).pages) == 1
    assert cli.main([*argv, "--per-page", "4"]) == 0
    assert "Saved 6 vouchers on 2 pages" in capsys.readouterr().out
