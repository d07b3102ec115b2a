"""Birthday cards as a PDF: an A6 postcard or an A5 card folded to A6, in the reader's script.

The words come from :mod:`crm.core.birthdays` (the user's ``birthday`` template in the
contact's language). The postcard is one page: the wishes on one half, the address and
a stamp box on the other. The folded card is two pages of an A5 landscape sheet: the
outside (front panel with the headline, back panel with the sender) and the inside
(the wishes on the panel you read first). Arabic cards are mirrored: they open the
other way and read from the right. Printing is atomic, as for letters: the PDF is put
in place in the transaction that writes each card into the contact's history.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5, A6, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from crm.core import birthdays, models
from crm.core.errors import ValidationError
from crm.documents import page
from crm.documents.fonts import register_fonts
from crm.documents.text import draw_line, paragraph

FORMATS = ("postcard", "folded")
ACCENT = colors.Color(0.80, 0.30, 0.24)
GOLD = colors.Color(0.93, 0.72, 0.26)
TEAL = colors.Color(0.16, 0.55, 0.55)
GREY = colors.Color(0.4, 0.4, 0.4)
PAD = 8 * mm

# Confetti: (x, y as a share of the panel, radius in mm, colour) - the same on every card.
_CONFETTI = (
    (0.08, 0.90, 1.6, ACCENT), (0.18, 0.82, 1.0, GOLD), (0.30, 0.93, 1.3, TEAL),
    (0.72, 0.91, 1.1, GOLD), (0.85, 0.84, 1.7, ACCENT), (0.93, 0.94, 1.0, TEAL),
    (0.12, 0.10, 1.2, TEAL), (0.26, 0.05, 0.9, ACCENT), (0.78, 0.07, 1.3, GOLD),
    (0.90, 0.14, 0.9, ACCENT),
)  # fmt: skip


def _confetti(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    c.saveState()
    for fx, fy, r, colour in _CONFETTI:
        c.setFillColor(colour)
        c.circle(x + fx * w, y + fy * h, r * mm, stroke=0, fill=1)
    c.restoreState()


def _styles(size: float) -> tuple[ParagraphStyle, ParagraphStyle]:
    fonts = register_fonts()
    body = ParagraphStyle(
        "card-body", fontName=fonts.regular, fontSize=size, leading=size * 1.38,
        spaceAfter=size * 0.55,
    )  # fmt: skip
    head = ParagraphStyle(
        "card-head", parent=body, fontName=fonts.bold, fontSize=size * 1.45,
        leading=size * 1.8, textColor=ACCENT, spaceAfter=size * 0.9,
    )  # fmt: skip
    return head, body


def _message(card: Mapping[str, Any], size: float, headline: bool) -> list[Flowable]:
    rtl = bool(card["rtl"])
    head, body = _styles(size)
    story: list[Flowable] = []
    if headline and card["subject"]:
        story.append(paragraph(card["subject"], head, rtl))
    blocks = [b.strip("\n") for b in str(card["body"]).split("\n\n") if b.strip()]
    story.extend(paragraph(b, body, rtl) for b in blocks)
    for i, line in enumerate(card["signature"]):
        style = ParagraphStyle(f"card-sig{i}", parent=body, spaceAfter=0)
        if i == 0:
            style.fontName = register_fonts().bold
        story.append(paragraph(line, style, rtl, data=True))
    return story


def _draw_story(
    c: Canvas,
    card: Mapping[str, Any],
    box: tuple[float, float, float, float],
    headline: bool,
    largest: float = 10.5,
) -> None:
    """The wishes in a box (x, y, w, h), at the largest size down to 6 pt that fits.

    Without the headline (inside a folded card) the text is centred up and down.
    """
    x, y, w, h = box
    size = largest
    while True:
        story = _message(card, size, headline)
        heights = [f.wrapOn(c, w, h)[1] for f in story]
        total = sum(hh + f.getSpaceAfter() for hh, f in zip(heights, story, strict=True))
        if total <= h or size <= 6:
            break
        size -= 0.5
    top = y + h if headline else y + h - max(0.0, (h - total) / 2)
    for flowable, height in zip(story, heights, strict=True):
        top -= height
        flowable.drawOn(c, x, top)
        top -= flowable.getSpaceAfter()


def _address(c: Canvas, card: Mapping[str, Any], box: tuple[float, float, float, float]) -> None:
    """Stamp box top corner, the address on ruled lines below the middle."""
    x, y, w, h = box
    rtl = bool(card["rtl"])
    stamp_w, stamp_h = 20 * mm, 24 * mm
    sx = x if rtl else x + w - stamp_w
    c.saveState()
    c.setStrokeColor(GREY)
    c.setDash(2, 2)
    c.setLineWidth(0.5)
    c.rect(sx, y + h - stamp_h, stamp_w, stamp_h, stroke=1, fill=0)
    c.setDash()
    lines = list(card["recipient"])[:6]
    leading = 6.2 * mm
    ly = y + h * 0.55
    c.setStrokeColor(colors.Color(0.8, 0.8, 0.8))
    for i in range(max(len(lines), 4)):
        c.line(x, ly - i * leading - 1.6 * mm, x + w, ly - i * leading - 1.6 * mm)
    c.setFillColor(colors.black)
    for i, line in enumerate(lines):
        draw_line(c, x + w if rtl else x, ly - i * leading, line, 9, bold=i == 0,
                  align="right" if rtl else "left")  # fmt: skip
    c.restoreState()


def _postcard(c: Canvas, card: Mapping[str, Any]) -> None:
    width, height = landscape(A6)
    rtl = bool(card["rtl"])
    half = width / 2
    c.setFillColor(ACCENT)
    c.rect(0, height - 3 * mm, width, 3 * mm, stroke=0, fill=1)
    message_x = half if rtl else 0.0
    address_x = 0.0 if rtl else half
    c.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
    c.setLineWidth(0.6)
    c.line(half, PAD, half, height - PAD - 3 * mm)
    _draw_story(c, card, (message_x + PAD, PAD, half - 2 * PAD, height - 2 * PAD - 3 * mm), True)
    _address(c, card, (address_x + PAD * 0.8, PAD, half - 1.6 * PAD, height - 2 * PAD - 3 * mm))


def _front(c: Canvas, card: Mapping[str, Any], x: float, w: float, h: float) -> None:
    c.setFillColor(colors.Color(0.99, 0.96, 0.92))
    c.rect(x, 0, w, h, stroke=0, fill=1)
    _confetti(c, x, 0, w, h)
    head, _body = _styles(12)
    style = ParagraphStyle("card-front", parent=head, fontSize=22, leading=29, alignment=TA_CENTER)
    flow = paragraph(card["subject"], style, bool(card["rtl"]))
    _fw, fh = flow.wrapOn(c, w - 2 * PAD, h)
    flow.drawOn(c, x + PAD, (h - fh) / 2)
    c.setFillColor(GOLD)
    c.rect(x + w / 2 - 15 * mm, (h - fh) / 2 - 6 * mm, 30 * mm, 1.2 * mm, stroke=0, fill=1)


def _folded(c: Canvas, card: Mapping[str, Any]) -> None:
    """Outside then inside of an A5 landscape sheet folded down the middle."""
    width, height = landscape(A5)
    half = width / 2
    rtl = bool(card["rtl"])
    front_x, back_x = (0.0, half) if rtl else (half, 0.0)
    _front(c, card, front_x, half, height)
    sender = [s for s in card["signature"] if s][-1:]
    if sender:
        c.setFillColor(GREY)
        draw_line(c, back_x + half / 2, 14 * mm, sender[0], 8, align="centre")
    c.showPage()
    # Inside: the wishes on the panel under the front (read first once opened).
    inside_x = 0.0 if rtl else half
    c.setFillColor(ACCENT)
    c.rect(inside_x, height - 3 * mm, half, 3 * mm, stroke=0, fill=1)
    box = (inside_x + 1.4 * PAD, 1.6 * PAD, half - 2.8 * PAD, height - 3.4 * PAD)
    _draw_story(c, card, box, False, largest=12)


def _fold_marks(c: Canvas) -> None:
    width, height = landscape(A5)
    c.saveState()
    c.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
    c.setLineWidth(0.3)
    c.line(width / 2, height, width / 2, height - 4 * mm)
    c.line(width / 2, 0, width / 2, 4 * mm)
    c.restoreState()


def render(
    data: Mapping[str, Any],
    out: str | os.PathLike[str] | BinaryIO,
    *,
    layout: str = "postcard",
    progress: Callable[[int, int], Any] | None = None,
) -> int:
    """Draw the cards of :func:`crm.core.birthdays.cards` into a PDF; returns the pages."""
    if layout not in FORMATS:
        raise ValidationError(
            code="birthday_card.card_layout",
            field="layout",
            layouts=", ".join(FORMATS),
            layout=layout,
        )
    fonts = register_fonts()
    size = landscape(A6) if layout == "postcard" else landscape(A5)
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    c = Canvas(target, pagesize=size, initialFontName=fonts.regular, pageCompression=1)
    cards: Sequence[Mapping[str, Any]] = data["cards"]
    c.setTitle(str(cards[0]["subject"]) if len(cards) == 1 else "Birthday cards")
    c.setAuthor(str(data["sender"].get("name") or data["sender"].get("company") or ""))
    c.setCreator("Passaparola")
    pages = 0
    for i, card in enumerate(cards):
        if layout == "postcard":
            _postcard(c, card)
            pages += 1
        else:
            _folded(c, card)
            _fold_marks(c)
            pages += 2
        c.showPage()
        if progress is not None:
            progress(i + 1, len(cards))
    if not cards:
        c.showPage()
    c.save()
    return pages


def print_cards(
    data: Mapping[str, Any],
    out_path: str | os.PathLike[str],
    *,
    layout: str = "postcard",
    progress: Callable[[int, int], Any] | None = None,
) -> dict[str, Any]:
    """Print these cards and log each in its contact's history: both or neither."""
    page.check_output(out_path)
    if layout not in FORMATS:
        render(data, os.devnull, layout=layout)  # raises the refusal
    with page.atomic_output(out_path) as (tmp, commit):
        pages = render(data, tmp, layout=layout, progress=progress)
        with models.database_proxy.atomic():
            birthdays.mark_printed(data["cards"])
            commit()
    return {"path": str(out_path), "cards": len(data["cards"]), "pages": pages, "layout": layout}


__all__ = ["FORMATS", "print_cards", "render"]
