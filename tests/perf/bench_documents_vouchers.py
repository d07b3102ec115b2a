"""Vouchers benchmark: 1,000 printed vouchers with scannable QR codes against raw reportlab.

Run as ``python tests/perf/bench_documents_vouchers.py [--vouchers 1000] [--runs 3]`` (not
collected by pytest). It builds a database in a temporary folder with N vouchers in one
batch, held by clients writing en/el/bg/it/ar (a fifth each), then times, as the median CPU
time of several runs after a warm-up, in the same process with the fonts registered
once, for 1, 4 and 8 vouchers a page:

- ``crm.documents.vouchers_pdf.print_batch``: the whole job (the query, the template merge,
  money and dates in each holder's locale, the layout with Arabic shaping and bidi, the QR
  codes, the atomic write and the vouchers marked printed), on a fresh copy of the database
  each run;
- raw reportlab: the same vouchers' words (taken from the same data) drawn with plain
  ``drawString`` at fixed places in the same fonts, the same card frame, logo, cut marks and
  the same QR codes from segno as one path each; no database, no locale formatting, no
  shaping or bidi (its Arabic is not readable: it is the floor, not a rival).

Prints both CPU times (median, ``time.process_time``) and the ratio for each layout
(target <= 1.2). With ``--db FILE`` (a copy of a demo database of 100,000 or 1,000,000
contacts) each run issues a new batch to the first N consenting contacts there and prints
it, instead of building a small database.
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

import segno
from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from crm.core import db as dbm
from crm.core import models, settings, vouchers
from crm.documents import qr, voucher_words, vouchers_pdf
from crm.documents.fonts import register_fonts

TARGET = 1.2

PEOPLE = {
    "en": ("Seán", "O'Brien", "IE"),
    "el": ("Γιώργος", "Παπαδόπουλος", "GR"),
    "bg": ("Иван", "Петров", "BG"),
    "it": ("Niccolò", "Ferrà", "IT"),
    "ar": ("أحمد", "المصري", "AE"),
}


def build(folder: Path, count: int) -> Path:
    path = folder / "vouchers.sqlite3"
    store = dbm.open_database(path)
    logo = folder / "logo.png"
    Image.new("RGB", (300, 100), (15, 107, 102)).save(logo)
    settings.update_profile(
        name="Eleni Markou",
        company="Markou Consulting",
        email="eleni@markou.example",
        phone="+30 210 123 4567",
        logo_path=str(logo),
    )
    langs = list(PEOPLE)
    with models.database_proxy.atomic():
        ids = []
        for i in range(count):
            lang = langs[i % len(langs)]
            given, family, country = PEOPLE[lang]
            contact = models.Contact.create(
                given_name=given,
                family_name=f"{family} {i}",
                country=country,
                language=lang,
                marketing_consent=True,  # vouchers go to people who agreed
                consent_date=dt.date.today(),
            )
            ids.append(contact.id)
    vouchers.issue(ids, value="50", expires=dt.date.today() + dt.timedelta(days=365), batch="Q4")
    store.close()
    return path


def raw_reportlab(cards: list[Any], sender: Any, per_page: int, out: str) -> None:
    """The same words and QR codes drawn at fixed places: the floor for these vouchers."""
    fonts = register_fonts()
    sheet = vouchers_pdf.sheet_for(per_page)
    c = Canvas(out, pagesize=sheet.page, initialFontName=fonts.regular, pageCompression=1)
    cells = sheet.cells()
    for start in range(0, len(cards), per_page):
        if sheet.cut_marks:
            pw, ph = sheet.page
            m = sheet.margin
            for x, y, _w, _h in cells:
                c.line(x, 3 * mm, x, m - 1.5 * mm)
                c.line(x, ph - 3 * mm, x, ph - m + 1.5 * mm)
                c.line(3 * mm, y, m - 1.5 * mm, y)
                c.line(pw - 3 * mm, y, pw - m + 1.5 * mm, y)
        for card, (x, y, w, h) in zip(cards[start : start + per_page], cells, strict=False):
            s = min(w / (138.5 * mm), h / (95 * mm))
            c.setLineWidth(1)
            c.roundRect(x + 3 * mm, y + 3 * mm, w - 6 * mm, h - 6 * mm, 3 * mm)
            c.setLineWidth(0.35)
            c.roundRect(x + 4.5 * mm, y + 4.5 * mm, w - 9 * mm, h - 9 * mm, 2 * mm)
            left, top = x + 9 * mm * s, y + h - 9 * mm * s
            if sender.logo_path:
                c.drawImage(sender.logo_path, left, top - 8 * mm * s, 24 * mm * s, 8 * mm * s)
            c.setFont(fonts.bold, 8.5 * s)
            c.drawString(left + 27 * mm * s, top - 5 * mm * s, sender.name)
            c.setFont(fonts.bold, 15.5 * s)
            yy = top - 18 * mm * s
            for line in simpleSplit(card.title, fonts.bold, 15.5 * s, w * 0.5):
                c.drawString(left, yy, line)
                yy -= 19 * s
            c.setFont(fonts.bold, 34 * s)
            c.drawString(left, yy - 28 * s, card.value)
            c.setFont(fonts.regular, 6.8 * s)
            c.drawString(left, yy - 40 * s, card.code_label)
            c.setFont(fonts.bold, 18 * s)
            c.drawString(left, yy - 60 * s, card.code, charSpace=2.5 * s)
            c.setFont(fonts.regular, 10 * s)
            c.drawString(left, yy - 76 * s, card.valid)
            c.setFont(fonts.regular, 6.8 * s)
            yy = y + 22 * mm * s
            c.line(left, yy + 9 * s, x + w - 9 * mm * s, yy + 9 * s)
            for line in simpleSplit(card.terms, fonts.regular, 6.8 * s, w - 18 * mm * s):
                c.drawString(left, yy, line)
                yy -= 8.8 * s
            c.drawString(left, yy, sender.contact)
            matrix = segno.make_qr(card.code, error="m", boost_error=False).matrix
            module = w * 0.36 / (len(matrix) + 8)
            qx, qy = x + w * 0.6 + 4 * module, y + h * 0.75 - 4 * module
            path = c.beginPath()
            for r, row in enumerate(matrix):
                col = 0
                while col < len(row):
                    if row[col]:
                        run = col
                        while col < len(row) and row[col]:
                            col += 1
                        path.rect(qx + run * module, qy - (r + 1) * module,
                                  (col - run) * module, module)  # fmt: skip
                    else:
                        col += 1
            c.drawPath(path, stroke=0, fill=1)
        c.showPage()
    c.save()


def holders(count: int) -> list[int]:
    """The first ``count`` contacts who may receive vouchers, in a database given with --db."""
    c = models.Contact
    query = (
        c.select(c.id)
        .where(c.marketing_consent & ~c.archived & c.erased_at.is_null())
        .order_by(c.id)
        .limit(count)
    )
    return [row[0] for row in models.rows(query)]


def cards_of(batch: str) -> tuple[Any, list[Any]]:
    sender = voucher_words.Sender.from_profile()
    items = vouchers.printable(batch)
    texts = voucher_words.stored_texts(sorted({i["language"] for i in items}))
    return sender, [voucher_words.card_for(i, texts, sender) for i in items]


def timed(per_page: int, batch: str, out: Path, expected: int) -> float:
    # Every run starts cold: no money, date or QR computed by an earlier one.
    for cached in (voucher_words._money, voucher_words._date, qr.runs):
        cached.cache_clear()
    start = time.process_time()
    result = vouchers_pdf.print_batch(batch, out, per_page=per_page)
    elapsed = time.process_time() - start
    assert result["vouchers"] == expected, result
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vouchers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="a demo database (a copy: each run issues a new batch in it) instead of a new one",
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    register_fonts()
    print(f"fonts registered in {1000 * (time.perf_counter() - t0):.0f} ms (once per process)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.db:
            store = dbm.open_database(args.db, create=False)
            ids = holders(args.vouchers)
            args.vouchers = len(ids)
            size = store.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
            print(f"database {args.db}: {size:,} contacts; {len(ids):,} vouchers a run")
        else:
            master = build(folder, args.vouchers)
            store = dbm.open_database(master)
            sender, cards = cards_of("Q4")
            store.close()
        for per_page in (1, 4, 8):
            ours: list[float] = []
            raw: list[float] = []
            for run in range(args.runs + 1):  # the first run of each is a warm-up
                if args.db:
                    batch = f"bench-{per_page}-{run}-{time.time_ns()}"
                    expires = dt.date.today() + dt.timedelta(days=365)
                    vouchers.issue(ids, value="50", expires=expires, batch=batch)
                    sender, cards = cards_of(batch)
                    elapsed = timed(per_page, batch, folder / "ours.pdf", args.vouchers)
                else:
                    copy = folder / f"run{per_page}-{run}.sqlite3"
                    shutil.copy(master, copy)  # a closed file: a plain copy is safe here
                    store = dbm.open_database(copy)
                    elapsed = timed(per_page, "Q4", folder / "ours.pdf", args.vouchers)
                    store.close()
                    copy.unlink()
                start = time.process_time()
                raw_reportlab(cards, sender, per_page, str(folder / "raw.pdf"))
                raw_elapsed = time.process_time() - start
                if run:
                    ours.append(elapsed)
                    raw.append(raw_elapsed)
            rows.append((per_page, statistics.median(ours), statistics.median(raw)))
        if args.db:
            store.close()
    print(f"{'':<36}{'CPU ms':>9}{'raw CPU ms':>11}{'ratio':>8}")
    worst = 0.0
    for per_page, best, floor in rows:
        ratio = best / floor
        worst = max(worst, ratio)
        label = f"crm vouchers print --per-page {per_page}"
        print(f"{label:<36}{1000 * best:>9.0f}{1000 * floor:>11.0f}{ratio:>8.2f}")
    print(
        f"worst ratio {worst:.2f} (target <= {TARGET}) for {args.vouchers:,} vouchers"
        f" -> {'ok' if worst <= TARGET else 'OVER TARGET'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
