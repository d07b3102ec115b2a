"""Letters benchmark: 1,000 thank-you letters in one PDF against raw reportlab platypus.

Run as ``python tests/perf/bench_documents_letters.py [--letters 1000] [--runs 3]`` (not
collected by pytest). It builds a database in a temporary folder with N pending thank-you
letters to givers in en/el/bg/it/ar (a fifth each), then times, as the median CPU
time (``time.process_time``) of several runs after a warm-up, in the same process with
the fonts registered once:

- ``crm.documents.letters.pending_letters``: the whole job (the query, the template merge,
  the layout with Arabic shaping and bidi, the atomic write, the rewards marked given and
  the history lines), on a fresh copy of the database each run;
- raw platypus: the same letters' text (taken from the same data) as plain Paragraphs in
  the same fonts on the same page template, logo and signature included, no database and
  no shaping or bidi (so its Arabic pages are not readable: it is the floor, not a rival).

Prints both times in ms and the ratio (target <= 1.2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import (
    Image as RLImage,
)

from crm.core import db as dbm
from crm.core import letters as core_letters
from crm.core import models, settings
from crm.documents import letters
from crm.documents.fonts import register_fonts
from crm.documents.text import escape

TARGET = 1.2

PEOPLE = {
    "en": ("Seán", "O'Brien", "12 Harcourt Street", "Dublin", "D02 XY45", "IE", "Zoë Müller"),
    "el": ("Γιώργος", "Παπαδόπουλος", "Ερμού 10", "Αθήνα", "105 57", "GR", "Ελένη Δημητρίου"),
    "bg": ("Иван", "Петров", "ул. Шипка 34", "София", "1504", "BG", "Десислава Иванова"),
    "it": ("Niccolò", "Ferrà", "Via Roma 1", "Firenze", "50123", "IT", "Giosuè Carducci"),
    "ar": ("أحمد", "المصري", "شارع الشيخ زايد 12", "دبي", "", "AE", "فاطمة الزهراء"),
}


def build(folder: Path, count: int) -> Path:
    path = folder / "letters.sqlite3"
    store = dbm.open_database(path)
    logo, signature = folder / "logo.png", folder / "signature.png"
    Image.new("RGB", (300, 100), (30, 90, 160)).save(logo)
    Image.new("RGBA", (300, 90), (20, 20, 80, 255)).save(signature)
    settings.update_profile(
        name="Eleni Markou",
        company="Markou Consulting",
        street="Vasilissis Sofias 12",
        city="Athens",
        postcode="106 74",
        country="GR",
        email="eleni@markou.example",
        phone="+30 210 123 4567",
        logo_path=str(logo),
        signature_path=str(signature),
    )
    langs = list(PEOPLE)
    with models.database_proxy.atomic():
        for i in range(count):
            lang = langs[i % len(langs)]
            given, family, street, city, postcode, country, referred = PEOPLE[lang]
            giver = models.Contact.create(
                given_name=given,
                family_name=f"{family} {i}",
                street=street,
                city=city,
                postcode=postcode,
                country=country,
                language=lang,
                marketing_consent=True,  # letters go to people who agreed
                consent_date=dt.date.today(),
            )
            r_given, r_family = referred.split(" ", 1)
            other = models.Contact.create(given_name=r_given, family_name=r_family, language=lang)
            ref = models.Referral.create(
                giver=giver, referred=other, referred_on=dt.date(2026, 10, 1), is_primary=True
            )
            models.Reward.create(contact=giver, referral=ref, kind="thank_you_letter")
    store.close()
    return path


def raw_platypus(data: dict[str, Any], out: str) -> None:
    """The same text as plain Paragraphs: the floor for laying out these letters."""
    fonts = register_fonts()
    sender = data["sender"]
    body = ParagraphStyle("b", fontName=fonts.regular, fontSize=11, leading=15.5, spaceAfter=7)
    bold = ParagraphStyle("s", parent=body, fontName=fonts.bold, spaceAfter=10)
    small = ParagraphStyle("a", parent=body, fontSize=10.5, leading=13.5, spaceAfter=0)
    right = ParagraphStyle("r", parent=small, alignment=TA_RIGHT, spaceBefore=20)
    ar_body = ParagraphStyle("ab", parent=body, fontName=fonts.arabic, alignment=TA_RIGHT)
    ar_bold = ParagraphStyle("as", parent=ar_body, fontName=fonts.arabic_bold)
    width, height = 595.27, 841.89

    def letterhead(canvas: Any, _doc: Any) -> None:
        canvas.drawImage(sender["logo_path"], 22 * mm, height - 34 * mm, 50 * mm, 16 * mm)
        y = height - 14 * mm - 10
        canvas.setFont(fonts.bold, 12)
        canvas.drawRightString(width - 22 * mm, y, sender["company"])
        canvas.setFont(fonts.regular, 9)
        for line in [sender["name"], *sender["address"], sender["phone"]]:
            y -= 12
            canvas.drawRightString(width - 22 * mm, y, line)
        canvas.line(22 * mm, y - 6, width - 22 * mm, y - 6)

    frame = Frame(22 * mm, 20 * mm, width - 44 * mm, height - 65 * mm, 0, 0, 0, 0)
    doc = BaseDocTemplate(
        out,
        pageTemplates=[PageTemplate(frames=[frame], onPage=letterhead)],
        initialFontName=fonts.regular,
    )
    story: list[Any] = []
    for i, letter in enumerate(data["letters"]):
        if i:
            story.append(PageBreak())
        b, s = (ar_body, ar_bold) if letter["rtl"] else (body, bold)
        story.append(Paragraph("<br/>".join(escape(x) for x in letter["recipient"]), small))
        story.append(Paragraph(escape(letter["date"]), right))
        story.append(Spacer(1, 8 * mm))
        story.append(Paragraph(escape(letter["subject"]), s))
        for block in letter["body"].split("\n\n"):
            story.append(Paragraph(escape(block), b))
        story.append(RLImage(sender["signature_path"], 55 * mm, 16 * mm))
        story.append(Paragraph(escape(sender["name"]), bold))
        story.append(Paragraph(escape(sender["company"]), body))
    doc.build(story)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    register_fonts()
    print(f"fonts registered in {1000 * (time.perf_counter() - t0):.0f} ms (once per process)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = build(folder, args.letters)
        store = dbm.open_database(master)
        data = core_letters.pending_data()
        store.close()

        ours: list[float] = []
        raw: list[float] = []
        for run in range(args.runs + 1):  # the first run of each is a warm-up
            copy = folder / f"run{run}.sqlite3"
            shutil.copy(master, copy)  # a closed file: a plain copy is safe here
            store = dbm.open_database(copy)
            start = time.process_time()
            printed = letters.pending_letters(folder / f"ours{run}.pdf")
            elapsed = time.process_time() - start
            store.close()
            assert printed == args.letters, printed
            start = time.process_time()
            raw_platypus(data, str(folder / f"raw{run}.pdf"))
            raw_elapsed = time.process_time() - start
            if run:
                ours.append(elapsed)
                raw.append(raw_elapsed)
        best, floor = statistics.median(ours), statistics.median(raw)
        ratio = best / floor
        print(f"{'':<34}{'CPU ms':>9}")
        print(f"{'crm letters --pending':<34}{1000 * best:>9.0f}")
        print(f"{'raw platypus, same text':<34}{1000 * floor:>9.0f}")
        print(
            f"ratio {ratio:.2f} (target <= {TARGET}) for {args.letters:,} letters"
            f" -> {'ok' if ratio <= TARGET else 'OVER TARGET'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
