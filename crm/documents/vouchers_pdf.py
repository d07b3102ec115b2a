"""Printed gift vouchers: one per page, or 4 or 8 on an A4 sheet with cut marks.

Each voucher speaks the holder's language (Arabic laid out right to left): its
words (:mod:`crm.documents.voucher_words`: the heading and terms of the user's
voucher template, the value in the holder's locale, the expiry) with the code in
large letter-spaced characters, its QR code, and the sender's logo, name and
contact line.

Every layout keeps the proportions of an A-series sheet (1-up fills a landscape
page, 4-up is 2×2 on landscape A4, 8-up is 2×4 on portrait A4), so one card
design serves all three, scaled to its cell.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from crm.core import models, vouchers
from crm.core.errors import ValidationError
from crm.core.files import output_file, private_output
from crm.documents.fonts import register_fonts
from crm.documents.voucher_card import MARK, Context, Logo, draw_card
from crm.documents.voucher_words import Sender, card_for, stored_texts

PER_PAGE = (1, 4, 8)


# -- drawing -----------------------------------------------------------------------


@dataclass
class Sheet:
    """The page and grid of one layout."""

    page: tuple[float, float]
    cols: int
    rows: int
    margin: float
    cut_marks: bool

    def cells(self) -> list[tuple[float, float, float, float]]:
        """(x, y, w, h) of each cell, left to right then top to bottom."""
        pw, ph = self.page
        w = (pw - 2 * self.margin) / self.cols
        h = (ph - 2 * self.margin) / self.rows
        return [
            (self.margin + c * w, ph - self.margin - (r + 1) * h, w, h)
            for r in range(self.rows)
            for c in range(self.cols)
        ]


def sheet_for(per_page: int, page_size: str = "A4") -> Sheet:
    if per_page == 1:
        return Sheet(landscape(LETTER if page_size == "Letter" else A4), 1, 1, 12 * mm, False)
    if per_page == 4:
        return Sheet(landscape(A4), 2, 2, 10 * mm, True)
    if per_page == 8:
        return Sheet(A4, 2, 4, 10 * mm, True)
    raise ValidationError(
        code="vouchers_pdf.vouchers_per_page_1", field="per_page", per_page=per_page
    )


def _cut_marks(c: Canvas, sheet: Sheet) -> None:
    """Short hairlines in the margins where the guillotine goes, and small crosses inside."""
    pw, ph = sheet.page
    m = sheet.margin
    w = (pw - 2 * m) / sheet.cols
    h = (ph - 2 * m) / sheet.rows
    gap, length = 1.5 * mm, 5 * mm
    path = c.beginPath()
    for i in range(sheet.cols + 1):
        x = m + i * w
        path.moveTo(x, m - gap)
        path.lineTo(x, m - gap - length)
        path.moveTo(x, ph - m + gap)
        path.lineTo(x, ph - m + gap + length)
    for j in range(sheet.rows + 1):
        y = m + j * h
        path.moveTo(m - gap, y)
        path.lineTo(m - gap - length, y)
        path.moveTo(pw - m + gap, y)
        path.lineTo(pw - m + gap + length, y)
    arm = 1.5 * mm
    for i in range(1, sheet.cols):
        for j in range(1, sheet.rows):
            x, y = m + i * w, m + j * h
            path.moveTo(x - arm, y)
            path.lineTo(x + arm, y)
            path.moveTo(x, y - arm)
            path.lineTo(x, y + arm)
    c.saveState()
    c.setStrokeColor(MARK)
    c.setLineWidth(0.3)
    c.drawPath(path, stroke=1, fill=0)
    c.restoreState()


# -- the document --------------------------------------------------------------------


def render(
    items: Sequence[dict[str, Any]],
    out: str | os.PathLike[str] | Any,
    *,
    per_page: int = 1,
    sender: Sender | None = None,
    texts: dict[str, tuple[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Draw vouchers (dicts as :func:`crm.core.vouchers.printable` gives them) into a PDF.

    ``out`` is a path or a binary file object. Returns the number of pages.
    """
    if per_page not in PER_PAGE:
        raise ValidationError(
            code="vouchers_pdf.vouchers_per_page_1", field="per_page", per_page=per_page
        )
    fonts = register_fonts()
    sender = sender or Sender()
    sheet = sheet_for(per_page, sender.page_size)
    ctx = Context(fonts, sender, Logo.load(sender.logo_path), sheet.page[1])
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    c = Canvas(target, pagesize=sheet.page, initialFontName=fonts.regular, pageCompression=1)
    c.setTitle("Gift vouchers")
    c.setAuthor(sender.name or "Passaparola")
    c.setCreator("Passaparola")
    cells = sheet.cells()
    pages = 0
    total = len(items)
    for start in range(0, total, per_page):
        if sheet.cut_marks:
            _cut_marks(c, sheet)
        for item, (x, y, w, h) in zip(items[start : start + per_page], cells, strict=False):
            draw_card(c, x, y, w, h, card_for(item, texts, sender), ctx)
        c.showPage()
        pages += 1
        if progress is not None:
            progress(min(start + per_page, total), total)
    c.save()
    return pages


def print_batch(
    batch: str,
    path: str | os.PathLike[str],
    *,
    per_page: int = 1,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    allow_without_consent: bool = False,
) -> dict[str, Any]:
    """Print a batch's usable vouchers to ``path`` and mark them printed: both or neither.

    The PDF is written beside ``path`` under a temporary name and renamed into place
    inside the transaction that marks the vouchers printed. Holders without marketing
    consent are refused unless ``allow_without_consent``.
    """
    if per_page not in PER_PAGE:
        raise ValidationError(
            code="vouchers_pdf.vouchers_per_page_1", field="per_page", per_page=per_page
        )
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValidationError(code="vouchers_pdf.folder_give_file_name", target=target)
    output_file(target)
    items = vouchers.printable(batch, today, allow_without_consent=allow_without_consent)
    sender = Sender.from_profile()
    texts = stored_texts(sorted({i.get("language") or "en" for i in items}))
    with private_output(target) as (tmp, commit):
        pages = render(items, tmp, per_page=per_page, sender=sender, texts=texts,
                       progress=progress)  # fmt: skip
        with models.database_proxy.atomic():
            vouchers.mark_printed([i["id"] for i in items])
            commit()
    return {
        "path": str(target),
        "batch": items[0]["batch"],
        "vouchers": len(items),
        "pages": pages,
        "codes": [i["code"] for i in items],
    }
