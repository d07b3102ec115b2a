"""Text from the database on paper: escaped, in the right font, and in the right direction.

Latin, Greek and Cyrillic text goes through reportlab's Paragraph (escaped: database text is
never markup). Text with Arabic in it, and every paragraph of a right-to-left document, goes
through `BidiParagraph`, which does what reportlab would do with its optional rlbidi module:

1. break the text into lines in logical (typing) order, measuring each word as it will be
   drawn (Arabic shaped by HarfBuzz, so joined letter forms and ligatures have their width);
2. reorder each line into visual order with python-bidi (Unicode bidi algorithm: Latin words
   and numbers inside Arabic keep their left-to-right order, punctuation lands on the side it
   belongs to, brackets are mirrored);
3. cut the visual line into runs by font: Arabic letters are shaped by HarfBuzz in logical
   order (it returns the glyphs left to right, in their joined forms) with the Arabic font;
   everything else is drawn as it stands with Noto Sans, which has Latin, Greek and Cyrillic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from bidi import get_base_level
from bidi import get_display as _fast_display
from bidi.algorithm import get_display as _mirroring_display
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus import Flowable, Paragraph

from crm.documents.fonts import has_arabic, is_arabic_char, register_fonts

# Arabic-Indic digits are drawn with the Arabic font but, like European digits, read
# left to right: they must not be reversed with the letters around them.
_ARABIC_DIGITS = frozenset(chr(c) for c in (*range(0x0660, 0x066A), *range(0x06F0, 0x06FA)))
_JOINERS = frozenset("\u200c\u200d")
# Bidi controls steer the reordering but have no glyph: dropped once the line is in order.
_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)

LETTER = "A"  # Arabic letters: shaped, reversed back to logical order before shaping
DIGIT = "D"  # Arabic-Indic digits: Arabic font, drawn as they stand
OTHER = "L"  # everything else: Noto Sans, drawn as it stands


def escape(text: object) -> str:
    """Database text made safe for a reportlab Paragraph (printed literally, newlines kept)."""
    return _xml_escape(str(text)).replace("\n", "<br/>")


def is_rtl(text: str) -> bool:
    """True when the text's first strong character is right-to-left (Arabic, Hebrew…)."""
    return bool(text) and get_base_level(text) == 1


_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_LRE, _RLE, _PDF = "\u202a", "\u202b", "\u202c"


def _embedded(text: str) -> str:
    """Bidi isolates (FSI … PDI: a value the app put into a line of its own) as the
    embeddings python-bidi's Python implementation reads: each in its own direction, or
    for FSI in the direction of its first strong character."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == _LRI:
            out.append(_LRE)
        elif ch == _RLI:
            out.append(_RLE)
        elif ch == _FSI:
            inside = text[i + 1 :].split(_PDI, 1)[0]
            out.append(_RLE if is_rtl(inside) else _LRE)
        elif ch == _PDI:
            out.append(_PDF)
        else:
            out.append(ch)
    return "".join(out)


def _display(text: str, base: str | None) -> str:
    """python-bidi's visual order. Its fast (Rust) reordering leaves brackets unmirrored, so
    lines that have any go through its Python implementation, which mirrors them (and
    knows embeddings, not isolates)."""
    if any(ch in MIRRORED for ch in text):
        shown = str(_mirroring_display(_embedded(text), base_dir=base))
    else:
        shown = str(_fast_display(text, base_dir=base))
    return shown.translate(_CONTROLS)


def visual(text: str, rtl: bool | None = None) -> str:
    """One line of text in visual (drawing) order, brackets mirrored; unshaped.

    Useful for plain-text output and tests; to draw Arabic use `draw_line` or
    `BidiParagraph`, which also shape the letters.
    """
    base = ("R" if rtl else "L") if rtl is not None else None
    return _display(text, base)


def _kind(ch: str) -> str:
    if ch in _ARABIC_DIGITS:
        return DIGIT
    if ch in _JOINERS or is_arabic_char(ch):
        return LETTER
    return OTHER


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) runs of one kind of character."""
    start = 0
    kind = _kind(text[0]) if text else OTHER
    for i in range(1, len(text)):
        k = _kind(text[i])
        if k != kind:
            yield kind, text[start:i]
            start, kind = i, k
    if text:
        yield kind, text[start:]


@dataclass(frozen=True)
class Fonts:
    """The Latin/Greek/Cyrillic and the Arabic font used to draw one piece of text."""

    latin: str
    arabic: str

    @classmethod
    def for_weight(cls, bold: bool = False) -> Fonts:
        fonts = register_fonts()
        if bold:
            return cls(fonts.bold, fonts.arabic_bold)
        return cls(fonts.regular, fonts.arabic)


@lru_cache(maxsize=8192)
def _shaped(word: str, font: str, size: float) -> tuple[Any, float]:
    """An Arabic run in logical order shaped into glyphs in visual order, and its width."""
    shaped = shapeStr(word, font, size)
    if isinstance(shaped, ShapedStr):
        width = sum(g.x_advance for g in shaped.__shapeData__) * size / 1000
    else:  # pragma: no cover - HarfBuzz missing: draw unshaped rather than fail
        width = stringWidth(word, font, size)
    return shaped, width


@lru_cache(maxsize=8192)
def _width(text: str, fonts: Fonts, size: float) -> float:
    """Width of a piece of text in logical order, as it will be drawn."""
    width = 0.0
    for kind, run in _runs(text.translate(_CONTROLS)):
        if kind == LETTER:
            width += _shaped(run, fonts.arabic, size)[1]
        elif kind == DIGIT:
            width += stringWidth(run, fonts.arabic, size)
        else:
            width += stringWidth(run, fonts.latin, size)
    return width


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of text as `draw_line` draws it."""
    return _width(text, Fonts.for_weight(bold), size)


def _pieces(line: str, fonts: Fonts, size: float, rtl: bool) -> list[tuple[Any, str, float]]:
    """A logical line as (drawable text, font, width) pieces in visual order, left to right."""
    pieces: list[tuple[Any, str, float]] = []
    for kind, run in _runs(_display(line, "R" if rtl else "L")):
        if kind == LETTER:
            shaped, width = _shaped(run[::-1], fonts.arabic, size)
            pieces.append((shaped, fonts.arabic, width))
        elif kind == DIGIT:
            pieces.append((run, fonts.arabic, stringWidth(run, fonts.arabic, size)))
        else:
            pieces.append((run, fonts.latin, stringWidth(run, fonts.latin, size)))
    return pieces


def draw_line(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
    rtl: bool | None = None,
) -> float:
    """Draw one line of any script at (x, y); align "left", "right" or "centre" on x.

    Returns the width drawn. The text is data: nothing in it is interpreted.
    """
    text = str(text)
    fonts = Fonts.for_weight(bold)
    if rtl is None:
        rtl = is_rtl(text)
    if not rtl and not has_arabic(text):
        text = text.translate(_CONTROLS)
        canvas.setFont(fonts.latin, size)
        width = float(stringWidth(text, fonts.latin, size))
        canvas.drawString(_start(x, width, align), y, text)
        return width
    code, width, font = _line_code(canvas, text, fonts, size, rtl, align)
    # Drawn at the origin once per document, then moved into place: a voucher's or a
    # letter's repeated lines (terms, labels, the sender) are shaped and formatted once.
    canvas.saveState()
    canvas.translate(x, y)
    canvas.addLiteral(code)
    canvas.restoreState()
    if font:
        canvas.setFont(font, size)  # the canvas's font afterwards, as drawing left it
    return width


def _line_code(
    canvas: Any, text: str, fonts: Fonts, size: float, rtl: bool, align: str
) -> tuple[str, float, str]:
    """(PDF operators, width, last font) of a line drawn with its anchor at (0, 0).

    Kept per canvas: the operators name the document's font subsets, so they are only
    good for the document they were made for.
    """
    cache: dict[tuple[Any, ...], tuple[str, float, str]] | None
    cache = getattr(canvas, "_crm_line_code", None)
    if cache is None:
        cache = {}
        canvas._crm_line_code = cache
    key = (text, fonts, size, rtl, align)
    found = cache.get(key)
    if found is not None:
        return found
    pieces = _pieces(text, fonts, size, rtl)
    width = sum(p[2] for p in pieces)
    cursor = _start(0.0, width, align)
    # One text object for the whole line: each piece placed where it starts, the font
    # set only when it changes (a line is many pieces: each word, each space).
    line = canvas.beginText()
    current = ""
    for drawable, font, w in pieces:
        if font != current:
            line.setFont(font, size)
            current = font
        line.setTextOrigin(cursor, 0.0)
        line.textOut(drawable)
        cursor += w
    # The glyphs are in visual order and in joined forms; ActualText tells text extraction,
    # copy and paste and screen readers what the line says, in logical order.
    actual = text.encode("utf-16-be").hex().upper()
    found = (f"/Span <</ActualText <FEFF{actual}>>> BDC {line.getCode()} EMC", width, current)
    cache[key] = found
    return found


def _start(x: float, width: float, align: str) -> float:
    if align == "right":
        return x - width
    if align in ("centre", "center"):
        return x - width / 2
    return x


class BidiParagraph(Flowable):
    """A paragraph of plain text in any script and direction, wrapped, shaped and aligned.

    Takes a ParagraphStyle for font size, leading, spacing and alignment; the fonts come
    from `register_fonts` (bold when the style's font is one of the bold ones). Newlines in
    the text start new lines. ``rtl`` is the document's direction: a right-to-left document
    aligns the paragraph's start on the right (None guesses from the text). ``base`` is the
    direction the bidi algorithm reads the text in: None takes the document's.
    """

    def __init__(
        self, text: str, style: ParagraphStyle, rtl: bool | None = None, base: bool | None = None
    ) -> None:
        super().__init__()
        self.text = str(text)
        self.style = style
        self.rtl = is_rtl(self.text) if rtl is None else rtl
        self.base = self.rtl if base is None else base
        fonts = register_fonts()
        self.bold = style.fontName in (fonts.bold, fonts.arabic_bold)
        self.fonts = Fonts.for_weight(self.bold)
        self.lines: list[str] = []
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter

    def _wrap_lines(self, width: float) -> list[str]:
        size = self.style.fontSize
        space = stringWidth(" ", self.fonts.latin, size)
        lines: list[str] = []
        for hard in self.text.split("\n"):
            words = hard.split()
            if not words:
                lines.append("")
                continue
            current: list[str] = []
            used = 0.0
            for word in words:
                w = _width(word, self.fonts, size)
                if current and used + space + w > width:
                    lines.append(" ".join(current))
                    current, used = [word], w
                else:
                    used += (space if current else 0.0) + w
                    current.append(word)
            lines.append(" ".join(current))
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        indent = self.style.leftIndent + self.style.rightIndent
        self.width = availWidth
        self.lines = self._wrap_lines(availWidth - indent)
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        head = BidiParagraph("\n".join(self.lines[:fit]), self.style, self.rtl, self.base)
        tail = BidiParagraph("\n".join(self.lines[fit:]), self.style, self.rtl, self.base)
        head.spaceAfter = 0
        tail.spaceBefore = 0
        return [head, tail]

    def draw(self) -> None:
        style = self.style
        canvas = self.canv
        size = style.fontSize
        alignment = style.alignment
        if alignment == TA_LEFT and self.rtl:
            # A right-to-left paragraph starts on the right, as TA_LEFT means "start".
            alignment = TA_RIGHT
        left = style.leftIndent
        right = self.width - style.rightIndent
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        # The first baseline sits one font size (plus a little) below the top, as Paragraph's.
        y = self.height - size - (style.leading - size) / 2 + size * 0.05
        if alignment == TA_RIGHT:
            x, align = right, "right"
        elif alignment == TA_CENTER:
            x, align = (left + right) / 2, "centre"
        else:
            x, align = left, "left"
        for line in self.lines:
            if line:
                draw_line(canvas, x, y, line, size, bold=self.bold, align=align, rtl=self.base)
            y -= style.leading
        canvas.restoreState()


def paragraph(
    text: object, style: ParagraphStyle, rtl: bool | None = None, *, data: bool = False
) -> Flowable:
    """A flowable for plain text from the database: Paragraph when it can, else BidiParagraph.

    ``rtl`` is the document's direction (True: an Arabic document, aligned right; None:
    guessed from the text). ``data`` marks a bare value such as a name or an address line:
    it is read in its own direction (a Latin company name in an Arabic document keeps its
    final full stop on the right) while still aligned as the document is.
    """
    text = "" if text is None else str(text)
    own = is_rtl(text) if (data or rtl is None) else None
    arabic = has_arabic(text)
    if not arabic and not own and (not rtl or data):
        return Paragraph(escape(text.translate(_CONTROLS)), _right(style) if rtl else style)
    base = own if data and _has_strong(text) else None
    return BidiParagraph(text, style, rtl, base)


_RIGHT_STYLES: dict[int, ParagraphStyle] = {}


def _right(style: ParagraphStyle) -> ParagraphStyle:
    """The style aligned right, as a left-aligned style is in a right-to-left document."""
    if style.alignment != TA_LEFT:
        return style
    right = _RIGHT_STYLES.get(id(style))
    if right is None:
        right = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        _RIGHT_STYLES[id(style)] = right
    return right


def _has_strong(text: str) -> bool:
    return any(ch.isalpha() for ch in text)
