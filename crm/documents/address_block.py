"""An address block fitted into a box: shrunk, then wrapped, never clipped.

A long name or street first makes the text a little smaller; if it still does not fit,
long lines wrap at spaces (a word longer than the box breaks between letters) and the
size comes down until every line fits the width and the lines fit the height. The
lines are measured as :func:`crm.documents.text.draw_line` draws them (Arabic shaped),
and drawn with it, so the text is data and each line keeps its own direction. In a
right-to-left block the lines are aligned on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crm.documents.fonts import has_arabic, register_fonts
from crm.documents.text import draw_line, text_width

# Of the font size: the distance between baselines.
LEADING = 1.25
SMALLEST = 1.0


@lru_cache(maxsize=4)
def _metrics(arabic: bool) -> tuple[float, float]:
    """How far a line reaches above and below its baseline, of the font size, as its font
    declares it (what viewers and text extraction take as the line's box)."""
    from reportlab.pdfbase import pdfmetrics

    fonts = register_fonts()
    face = pdfmetrics.getFont(fonts.arabic if arabic else fonts.regular).face
    return face.ascent / 1000, -face.descent / 1000


def extent(text: str) -> tuple[float, float]:
    """(ascent, descent) of a line of text, of the font size."""
    return _metrics(has_arabic(text))


@dataclass(frozen=True)
class Fitted:
    """Lines (text, bold) at one size that fit the box they were fitted to."""

    size: float
    lines: tuple[tuple[str, bool], ...]

    @property
    def leading(self) -> float:
        return self.size * LEADING

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        top = extent(self.lines[0][0])[0]
        bottom = extent(self.lines[-1][0])[1]
        return (len(self.lines) - 1) * self.leading + self.size * (top + bottom)


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word too wide for the box, cut between letters into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def _wrap(line: str, width: float, size: float, bold: bool) -> list[str]:
    if text_width(line, size, bold) <= width:
        return [line]
    out: list[str] = []
    current = ""
    for word in line.split():
        trial = f"{current} {word}" if current else word
        if text_width(trial, size, bold) <= width:
            current = trial
            continue
        if current:
            out.append(current)
        if text_width(word, size, bold) <= width:
            current = word
        else:
            *whole, current = _break_word(word, width, size, bold)
            out.extend(whole)
    if current:
        out.append(current)
    return out


def _sizes(largest: float, smallest: float) -> list[float]:
    steps = round((largest - smallest) / 0.25)
    return [round(largest - i * 0.25, 2) for i in range(steps + 1)]


def fit(
    lines: Sequence[str], width: float, height: float, largest: float, *, first_bold: bool = True
) -> Fitted:
    """The lines at the largest size (down to a fifth smaller) that fits unwrapped, else
    wrapped at the largest size that fits; widths and heights in points."""
    marked = [(str(line), first_bold and i == 0) for i, line in enumerate(lines) if str(line)]
    for size in _sizes(largest, largest * 0.8):
        fitted = Fitted(size, tuple(marked))
        if fitted.height <= height and all(text_width(t, size, b) <= width for t, b in marked):
            return fitted
    for size in _sizes(largest, SMALLEST):
        wrapped = tuple(
            (piece, bold) for text, bold in marked for piece in _wrap(text, width, size, bold)
        )
        fitted = Fitted(size, wrapped)
        if fitted.height <= height and all(text_width(t, size, b) <= width for t, b in wrapped):
            return fitted
    return Fitted(SMALLEST, ())  # nothing sensible fits a box this small: draw nothing


def draw(
    canvas: Any,
    fitted: Fitted,
    box: tuple[float, float, float, float],
    *,
    rtl: bool,
    valign: str = "middle",
) -> None:
    """Draw fitted lines inside box (x, y, w, h): left-aligned, or right-aligned when rtl;
    at the box's top or centred in it."""
    x, y, w, h = box
    top = y + h if valign == "top" else y + (h + fitted.height) / 2
    baseline = top - fitted.size * (extent(fitted.lines[0][0])[0] if fitted.lines else 0.0)
    for text, bold in fitted.lines:
        if rtl:
            draw_line(canvas, x + w, baseline, text, fitted.size, bold=bold, align="right")
        else:
            draw_line(canvas, x, baseline, text, fitted.size, bold=bold, align="left")
        baseline -= fitted.leading
