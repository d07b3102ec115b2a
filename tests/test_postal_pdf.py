"""Label sheets and envelopes checked with poppler: each address in its own cell or zone,
nothing outside it or the page, fonts embedded, every script readable."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from postal_people import event_with, fonts, greek_sender, layout_text, person, words

from crm.core import postal
from crm.core.errors import CancelledError, ValidationError
from crm.documents import postal_pdf
from crm.documents.postal_formats import ENVELOPES, SHEETS

PT = 72 / 25.4  # points per millimetre
SLACK = 0.6  # points: rounding in pdftotext's boxes


def cell_rect(sheet_key: str, index: int) -> tuple[float, float, float, float]:
    """A label's rectangle in points from the page's top left, as pdftotext measures."""
    layout = SHEETS[sheet_key]
    x, y, w, h = layout.cell(index)
    top = layout.page[1] - y - h
    return x * PT, top * PT, (x + w) * PT, (top + h) * PT


def inside(box, rect) -> bool:
    return (
        box[0] >= rect[0] - SLACK
        and box[1] >= rect[1] - SLACK
        and box[2] <= rect[2] + SLACK
        and box[3] <= rect[3] + SLACK
    )


def numbered_people(count: int) -> list[int]:
    """People called Tag01, Tag02… with an Italian address each."""
    return [person("it", given_name=f"Tag{i:02d}", family_name="Rossi") for i in range(count)]


def assert_each_in_its_cell(path: Path, data: dict, sheet_key: str, start: int) -> None:
    layout = SHEETS[sheet_key]
    found = words(path)
    for number, who in enumerate(data["recipients"]):
        index = start - 1 + number
        page, cell = index // layout.per_sheet + 1, index % layout.per_sheet
        rect = cell_rect(sheet_key, cell)
        text = " ".join(who["lines"])
        mine = [w for w in found if w["page"] == page and inside(w["box"], rect)]
        # Every word of the address is in this cell, and nothing else is.
        assert " ".join(w["text"] for w in mine).split() == text.split(), (who, mine)
    for w in found:
        pw, ph = w["page_size"]
        assert inside(w["box"], (0, 0, pw, ph)), f"{w} is outside the page"
        cells = [cell_rect(sheet_key, i) for i in range(layout.per_sheet)]
        assert any(inside(w["box"], rect) for rect in cells), f"{w} is outside every label"


@pytest.mark.parametrize("sheet_key", list(SHEETS))
def test_every_address_lands_on_its_label_from_the_start_position(store, tmp_path, sheet_key):
    greek_sender()
    layout = SHEETS[sheet_key]
    ids = numbered_people(layout.per_sheet - 2)
    start = 5
    data = postal.recipients(contact_ids=ids)
    out = tmp_path / "labels.pdf"
    result = postal_pdf.print_labels(data, out, sheet_key=sheet_key, start=start)
    assert result["pages"] == 2 and result["printed"] == len(ids)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (width / PT, height / PT) == pytest.approx(layout.page, abs=0.1)
    assert_each_in_its_cell(out, data, sheet_key, start)
    # Labels 1-4 of the first sheet stay empty for the ones already used.
    first = [w for w in words(out) if w["page"] == 1]
    for used in range(start - 1):
        assert not [w for w in first if inside(w["box"], cell_rect(sheet_key, used))]


def test_four_scripts_on_one_sheet_and_fonts_embedded(store, tmp_path):
    greek_sender()
    event_id, _ids = event_with(["el", "bg", "it", "ar"])
    data = postal.recipients(event_id=event_id)
    out = tmp_path / "event.pdf"
    postal_pdf.print_labels(data, out, sheet_key="a4-3x7")
    assert_each_in_its_cell(out, data, "a4-3x7", 1)
    text = layout_text(out)
    for line in ("105 57 Αθήνα", "Ερμού 10", "1504 София", "ул. Шипка 34", "50123 Firenze FI"):
        assert line in text
    assert "ΒΟΥΛΓΑΡΙΑ" in text and "ΙΤΑΛΙΑ" in text  # the country in the sender's language
    # The Arabic lines come back in reading order through their ActualText.
    lines = {w["line"] for w in words(out)}
    assert {"أحمد المصري", "شارع الشيخ زايد 12", "دبي"} <= lines
    rows = fonts(out)
    names = {row[0].split("+")[-1] for row in rows}
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Bold"} <= names
    for row in rows:
        assert row[-5:-3] == ["yes", "yes"], row  # embedded, subset
        assert "Type" not in row[1] or row[1] == "TrueType"


def test_an_arabic_address_is_right_aligned_and_latin_ones_left(store, tmp_path):
    greek_sender()
    event_id, _ids = event_with(["it", "ar"])
    data = postal.recipients(event_id=event_id)
    out = tmp_path / "event.pdf"
    postal_pdf.print_labels(data, out, sheet_key="a4-3x8")
    by_line = {}
    for w in words(out):
        by_line.setdefault(w["line"], []).append(w["box"])
    arabic = [by_line[line][-1][2] for line in ("أحمد المصري", "شارع الشيخ زايد 12", "دبي")]
    assert max(arabic) - min(arabic) < 1.0  # one right edge
    italian = [by_line[line][0][0] for line in ("Niccolò Ferrà", "Via Roma 1", "50123 Firenze FI")]
    assert max(italian) - min(italian) < 1.0  # one left edge


def test_long_names_shrink_or_wrap_and_stay_in_their_label(store, tmp_path):
    greek_sender()
    long = person(
        "it",
        given_name="Maria Giovanna Francesca Immacolata",
        family_name="Della Rovere di Montefeltro Buonarroti",
        street="Via dei Lungarni Monumentali e delle Antiche Botteghe Fiorentine 123/B, "
        "scala C, interno 45, presso Studio Associato",
    )
    word = person("bg", family_name="Хиперсуперкалифрагилистикекспиалидошъсоглавиявица" * 2)
    arabic = person(
        "ar", street="شارع الشيخ محمد بن راشد آل مكتوم، برج الإمارات، الطابق الثالث والعشرون"
    )
    data = postal.recipients(contact_ids=[long, word, arabic])
    for sheet_key in SHEETS:
        out = tmp_path / f"{sheet_key}.pdf"
        postal_pdf.print_labels(data, out, sheet_key=sheet_key)
        found = words(out)
        for number, who in enumerate(data["recipients"]):
            mine = [w for w in found if inside(w["box"], cell_rect(sheet_key, number))]
            joined = "".join(w["text"] for w in mine).replace(" ", "")
            assert joined == "".join(who["lines"]).replace(" ", ""), (sheet_key, who["name"])


def test_markup_in_an_address_prints_as_typed(store, tmp_path):
    greek_sender()
    cid = person(
        "it", given_name="<b>Ann</b>", family_name="& <br/>Lee", street="Via <i>Roma</i> 1"
    )
    data = postal.recipients(contact_ids=[cid])
    out = tmp_path / "markup.pdf"
    postal_pdf.print_labels(data, out, sheet_key="a4-3x7")
    text = layout_text(out)
    assert "<b>Ann</b> & <br/>Lee" in text and "Via <i>Roma</i> 1" in text


@pytest.mark.parametrize("size_key", list(ENVELOPES))
def test_envelopes_have_the_sender_top_left_and_the_address_in_its_zone(store, tmp_path, size_key):
    greek_sender()
    event_id, _ids = event_with(["el", "bg", "it", "ar"])
    data = postal.recipients(event_id=event_id)
    out = tmp_path / "envelopes.pdf"
    result = postal_pdf.print_envelopes(data, out, size_key=size_key)
    size = ENVELOPES[size_key]
    assert result["pages"] == 4 == len(pypdf.PdfReader(out).pages)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box[2]) / PT), round(float(box[3]) / PT)) == size.size
    zx, zy, zw, zh = size.zone
    zone = (zx * PT, (size.size[1] - zy - zh) * PT, (zx + zw) * PT, (size.size[1] - zy) * PT)
    bw, bh = size.sender_box
    corner = (size.margin * PT, size.margin * PT, (size.margin + bw) * PT, (size.margin + bh) * PT)
    found = words(out)
    for number, who in enumerate(data["recipients"], start=1):
        page = [w for w in found if w["page"] == number]
        mine = [w for w in page if inside(w["box"], zone)]
        assert " ".join(w["text"] for w in mine).split() == " ".join(who["lines"]).split()
        back = [w for w in page if inside(w["box"], corner)]
        assert back and back[0]["line"] == "Ελένη Μάρκου"
        assert len(mine) + len(back) == len(page)  # nothing anywhere else
        if who["rtl"]:
            rights = {round(w["box"][2]) for w in mine if w["line"] in who["lines"][:3]}
            assert rights == {round(zone[2])} or max(rights) - min(rights) <= 1
    assert fonts(out)


def test_nobody_to_print_writes_no_file(store, tmp_path):
    greek_sender()
    cid = person("el", street="")
    data = postal.recipients(contact_ids=[cid])
    out = tmp_path / "none.pdf"
    result = postal_pdf.print_labels(data, out, sheet_key="a4-3x7")
    assert result["path"] is None and result["printed"] == 0 and not out.exists()
    assert result["skipped"][0]["reason"] == "no_address"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sheet_key": "a4-2x7"}, "Unknown label sheet 'a4-2x7': use one of a4-3x7, a4-3x8"),
        ({"sheet_key": "a4-3x8", "start": 25}, "The start position must be a label from 1 to 24"),
        ({"sheet_key": "a4-3x8", "start": 0}, "The start position must be a label from 1 to 24"),
    ],
)
def test_a_bad_sheet_or_start_is_refused(store, tmp_path, kwargs, message):
    greek_sender()
    data = postal.recipients(contact_ids=[person("it")])
    out = tmp_path / "x.pdf"
    with pytest.raises(ValidationError) as err:
        postal_pdf.print_labels(data, out, **kwargs)
    assert str(err.value).startswith(message)
    assert not out.exists()


def test_cancelling_leaves_no_file(store, tmp_path):
    greek_sender()
    data = postal.recipients(contact_ids=numbered_people(30))
    out = tmp_path / "cancel.pdf"

    def stop(done: int, total: int) -> None:
        raise CancelledError("cancelled")

    with pytest.raises(CancelledError):
        postal_pdf.print_envelopes(data, out, size_key="dl", progress=stop)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_an_arabic_sender_writes_the_return_address_top_right(store, tmp_path):
    from crm.core import settings

    settings.update_profile(
        name="ليلى حداد",
        company="",
        street="شارع الحمراء 5",
        city="بيروت",
        country="LB",
        language="ar",
    )
    data = postal.recipients(contact_ids=[person("it")])
    out = tmp_path / "ar.pdf"
    postal_pdf.print_envelopes(data, out, size_key="c6")
    size = ENVELOPES["c6"]
    right = (size.size[0] - size.margin) * PT
    back = {w["line"]: w["box"] for w in words(out) if w["box"][1] < size.sender_box[1] * PT}
    assert "ليلى حداد" in back and "شارع الحمراء 5" in back
    assert "لبنان" in back  # the sender's country, in the sender's language, as it goes abroad
    assert all(abs(box[2] - right) < 1.0 for box in back.values())  # aligned on the right
    lines = {w["line"] for w in words(out)}
    assert "إيطاليا" in lines and "Niccolò Ferrà" in lines
