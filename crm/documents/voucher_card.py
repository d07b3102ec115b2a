"""One voucher card: border, footer, QR code, header and the words, scaled to its cell."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from crm.documents.fonts import has_arabic
from crm.documents.qr import draw_qr
from crm.documents.text import draw_line, text_width
from crm.documents.voucher_words import Card, Sender

# The most of a card's width its QR code may take.
QR_SHARE = 0.38
# QR modules are whole multiples of 1/150 inch, placed on that grid: one, two or four
# dots on 150, 300 and 600 dpi printers (and scans), never a smeared fraction.
QR_GRID = 72 / 150

INK = HexColor("#1d2327")
GREY = HexColor("#5b646b")
ACCENT = HexColor("#0f6b66")
MARK = HexColor("#8a9399")


# Letter-spacing of the code, as a fraction of its size: airy enough to read out
# character by character, even enough that a PDF reader copies it as one word.
CODE_TRACKING = 0.14


def _code_width(code: str, font: str, size: float) -> float:
    return float(stringWidth(code, font, size)) + CODE_TRACKING * size * (len(code) - 1)


def _draw_code(c: Canvas, x: float, y: float, code: str, font: str, size: float) -> None:
    """The code, letter-spaced, always left to right (it is typed that way)."""
    c.setFont(font, size)
    c.drawString(x, y, code, charSpace=CODE_TRACKING * size)


@lru_cache(maxsize=2048)
def _wrap(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    """Greedy word wrap of plain text (logical order) to ``width``."""
    space = text_width(" ", size, bold)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        w = text_width(word, size, bold)
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [word], w
        else:
            used += (space if current else 0.0) + w
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return tuple(lines)


def _fit_lines(
    text: str, width: float, size: float, bold: bool, most: int
) -> tuple[float, tuple[str, ...]]:
    """The largest size (down to 70 %) at which ``text`` wraps into ``most`` lines."""
    floor = size * 0.7
    while True:
        lines = _wrap(text, width, size, bold)
        if len(lines) <= most or size <= floor:
            return size, lines
        size = max(floor, size * 0.92)


def _header_lines(name: str, room: float, size: float) -> tuple[float, tuple[str, ...]]:
    """The sender's name in the header: one line, a little smaller if need be, else two
    lines (down to 6 pt), the second cut short with an ellipsis if even that is not enough.
    """
    floor = 6.0
    width = text_width(name, size, True)
    if width <= room:
        return size, (name,)
    if width * 0.8 <= room:
        return size * room / width, (name,)
    two = max(floor, size * 0.9)
    while True:
        lines = _wrap(name, room, two, True)
        if len(lines) <= 2:
            return two, lines
        if two <= floor:
            break
        two = max(floor, two * 0.92)
    rest = " ".join(lines[1:])
    while rest and text_width(rest + "…", two, True) > room:
        rest = rest[:-1].rstrip()
    return two, (lines[0], rest + "…")


@dataclass
class Logo:
    path: str
    width: float  # pixels
    height: float

    @classmethod
    def load(cls, path: str) -> Logo | None:
        if not path or not Path(path).is_file():
            return None
        try:
            w, h = ImageReader(path).getSize()
        except Exception:  # an unreadable logo should not stop a print run
            return None
        return cls(path, float(w), float(h))


@dataclass
class Context:
    fonts: Any
    sender: Sender
    logo: Logo | None
    page_height: float


class _Pen:
    """Draws a card's lines: in its direction, and setting the fill colour only on a change."""

    def __init__(self, c: Canvas, fonts: Any, rtl: bool, start: float) -> None:
        self.c, self.fonts, self.rtl, self.start = c, fonts, rtl, start
        self.align = "right" if rtl else "left"
        self.ink: Color | None = None

    def line(
        self,
        yy: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: Color = INK,
        at: float | None = None,
        data: bool = False,
    ) -> None:
        c = self.c
        if self.ink is not color:
            c.setFillColor(color)
            self.ink = color
        where = self.start if at is None else at
        if not self.rtl and not has_arabic(text):
            # Latin, Greek or Cyrillic from the start: nothing to shape, reorder or measure.
            c.setFont(self.fonts.bold if bold else self.fonts.regular, size)
            c.drawString(where, yy, text)
            return
        # The card's own words follow its direction; the sender's name and contact
        # line are data in their own script (a phone number must not be reversed).
        rtl = None if data else self.rtl
        draw_line(c, where, yy, text, size, bold=bold, align=self.align, rtl=rtl)


@dataclass
class _Box:
    """The card's inner area, inside its border and padding; ``s`` scales the type."""

    left: float
    right: float
    top: float
    bottom: float
    s: float


def draw_card(c: Canvas, x: float, y: float, w: float, h: float, card: Card, ctx: Context) -> None:
    """Draw one voucher in the cell (x, y, w, h)."""
    box = _draw_frame(c, x, y, w, h)
    s, inner_w = box.s, box.right - box.left
    pen = _Pen(c, ctx.fonts, card.rtl, box.right if card.rtl else box.left)
    rule_y = _draw_footer(pen, box, card, ctx.sender)
    # The QR code fills the far side above the footer: the larger its modules, the
    # surer a phone (or zbar on a whole sheet) reads it.
    col_bottom = rule_y + 1.5 * mm * s
    col_h = box.top - col_bottom
    qr = min(col_h, inner_w * QR_SHARE)
    draw_qr(c, card.code, box.left if card.rtl else box.right - qr,
            col_bottom + (col_h - qr) / 2, qr, grid=QR_GRID,
            page_height=ctx.page_height)  # fmt: skip
    # The QR image's own quiet zone (4 modules of white) already separates it from the text.
    text_w = inner_w - qr
    body_top = _draw_header(pen, box, text_w, ctx)
    _draw_body(pen, card, text_w, body_top, rule_y + 2.5 * mm * s, s)


def _draw_frame(c: Canvas, x: float, y: float, w: float, h: float) -> _Box:
    """The double border of a card; returns the area inside it."""
    # 1.0 for a 4-up cell (138.5 × 95 mm); 8-up ≈ 0.69, 1-up ≈ 1.96.
    s = min(w / (138.5 * mm), h / (95 * mm))
    inset = 3.2 * mm * min(s, 1.3)
    bx, by, bw, bh = x + inset, y + inset, w - 2 * inset, h - 2 * inset
    c.saveState()
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.1 * max(s, 0.8))
    c.roundRect(bx, by, bw, bh, 3 * mm * s)
    c.setLineWidth(0.35)
    gap = 1.4 * mm * s
    c.roundRect(bx + gap, by + gap, bw - 2 * gap, bh - 2 * gap, 2 * mm * s)
    c.restoreState()
    pad = 5.5 * mm * s
    return _Box(bx + pad, bx + bw - pad, by + bh - pad, by + pad, s)


def _draw_footer(pen: _Pen, box: _Box, card: Card, sender: Sender) -> float:
    """The terms, then the sender's contact line, across the card; returns the rule's y."""
    s = box.s
    small = max(6.4 * s, 5.6)
    y_bottom = box.bottom
    if sender.contact:
        pen.line(y_bottom, sender.contact, small, color=GREY, data=True)
        y_bottom += small * 1.6
    terms_size = max(6.8 * s, 5.8)
    terms = _wrap(card.terms, box.right - box.left, terms_size, False)
    lead = terms_size * 1.3
    for i, text in enumerate(reversed(terms)):
        pen.line(y_bottom + i * lead, text, terms_size, color=GREY)
    rule_y = y_bottom + len(terms) * lead + 0.4 * mm * s
    c = pen.c
    c.saveState()
    c.setStrokeColor(MARK)
    c.setLineWidth(0.3)
    c.line(box.left, rule_y, box.right, rule_y)
    c.restoreState()
    return rule_y


def _draw_header(pen: _Pen, box: _Box, text_w: float, ctx: Context) -> float:
    """The logo on the start side, the sender's name beside it; returns where the body starts."""
    if ctx.logo is None and not ctx.sender.name:
        return box.top
    s, top, start, rtl = box.s, box.top, pen.start, pen.rtl
    row_h = 9 * mm * s
    at, room = start, text_w
    if ctx.logo is not None:
        lw = min(ctx.logo.width / ctx.logo.height * row_h, 45 * mm * s, text_w * 0.4)
        lh = lw * ctx.logo.height / ctx.logo.width
        pen.c.drawImage(ctx.logo.path, start - lw if rtl else start, top - (row_h + lh) / 2,
                        lw, lh, mask="auto")  # fmt: skip
        gap = 3 * mm * s
        at = start - lw - gap if rtl else start + lw + gap
        room = text_w - lw - gap
    if ctx.sender.name:
        size, lines = _header_lines(ctx.sender.name, room, max(8.5 * s, 6.5))
        lead = size * 1.2
        first = top - row_h / 2 - size * 0.36 + (len(lines) - 1) * lead / 2
        for i, text in enumerate(lines):
            pen.line(first - i * lead, text, size, bold=True, color=ACCENT, at=at, data=True)
    return top - row_h - 2 * mm * s


def _draw_body(
    pen: _Pen, card: Card, text_w: float, body_top: float, body_bottom: float, s: float
) -> None:
    """The words on the start side, centred between header and footer."""
    body_h = body_top - body_bottom
    fonts = pen.fonts
    body = _body_layout(card, text_w, body_h, s, fonts)
    y0 = body_top - max(0.0, (body_h - body.height) / 2)
    for text, baseline in zip(body.title_lines, body.title_y, strict=True):
        pen.line(y0 - baseline, text, body.title_size, bold=True)
    pen.line(y0 - body.value_y, card.value, body.value_size, bold=True, color=ACCENT)
    pen.line(y0 - body.label_y, card.code_label, body.label_size, color=GREY)
    if pen.ink is not INK:
        pen.c.setFillColor(INK)
        pen.ink = INK
    code_w = _code_width(card.code, fonts.bold, body.code_size)
    _draw_code(pen.c, pen.start - code_w if pen.rtl else pen.start, y0 - body.code_y, card.code,
               fonts.bold, body.code_size)  # fmt: skip
    pen.line(y0 - body.valid_y, card.valid, body.valid_size)


@dataclass
class _Body:
    """Type sizes of the body and each line's baseline, measured down from its top."""

    title_size: float
    title_lines: tuple[str, ...]
    title_y: tuple[float, ...]
    value_size: float
    value_y: float
    label_size: float
    label_y: float
    code_size: float
    code_y: float
    valid_size: float
    valid_y: float
    height: float


def _body_layout(card: Card, text_w: float, body_h: float, s: float, fonts: Any) -> _Body:
    """Sizes that fit the body's width and height (shrinking together if needed), and lines."""
    factor = 1.0
    while True:
        f = s * factor
        title_size, title_lines = _fit_lines(card.title, text_w, 15.5 * f, True, 2)
        value_size = 34 * f
        while value_size > 12 * f and text_width(card.value, value_size, True) > text_w:
            value_size *= 0.92
        code_size = 18 * f
        code_w = _code_width(card.code, fonts.bold, code_size)
        if code_w > text_w:
            code_size *= text_w / code_w
        label_size = max(6.8 * f, 5.4)
        valid_size = max(10 * f, 6.0)

        y = title_size * 0.95
        title_y = [y + i * title_size * 1.22 for i in range(len(title_lines))]
        y = title_y[-1] if title_y else 0.0
        value_y = y + title_size * 0.6 + value_size * 1.0
        label_y = value_y + value_size * 0.3 + label_size * 1.25
        code_y = label_y + code_size * 1.12
        valid_y = code_y + valid_size * 1.75
        height = valid_y + valid_size * 0.3
        if height <= body_h or factor < 0.6:
            return _Body(
                title_size, title_lines, tuple(title_y), value_size,
                value_y, label_size, label_y, code_size, code_y, valid_size, valid_y, height,
            )  # fmt: skip
        factor *= 0.94
