"""Thank-you letters as a PDF: one letter per page, in the recipient's language and script.

The page follows a window-envelope layout: the letterhead (logo and sender block) on top,
the recipient's address where an envelope window shows it, the date, the subject, the body
from the user's template, then the signature. Arabic letters are mirrored: right-aligned,
read right to left. The data comes from :mod:`crm.core.letters`; printing is atomic: the
PDF is written to a temp file, and the history lines, the rewards marked given and the
rename into place happen together or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from crm.core import letters as core_letters
from crm.core import models
from crm.documents import page
from crm.documents.fonts import register_fonts
from crm.documents.text import draw_line, paragraph

MARGIN_X = 22 * mm
MARGIN_BOTTOM = 20 * mm
LETTERHEAD_TOP = 14 * mm
# Where the recipient's address starts: the window of a DL/C5 window envelope.
ADDRESS_TOP = 45 * mm
GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.75, 0.75, 0.75)


class Styles:
    """Paragraph styles for letters, made once the fonts are registered."""

    def __init__(self) -> None:
        fonts = register_fonts()
        self.body = ParagraphStyle(
            "letter-body", fontName=fonts.regular, fontSize=11, leading=15.5, spaceAfter=7
        )
        self.body_rtl = ParagraphStyle(
            "letter-body-rtl", parent=self.body, alignment=TA_RIGHT, fontSize=11.5, leading=17
        )
        self.subject = ParagraphStyle(
            "letter-subject", parent=self.body, fontName=fonts.bold, spaceAfter=10
        )
        self.subject_rtl = ParagraphStyle(
            "letter-subject-rtl", parent=self.body_rtl, fontName=fonts.bold, spaceAfter=10
        )
        self.signature = ParagraphStyle("letter-signature", parent=self.body, spaceAfter=0)
        self.signature_rtl = ParagraphStyle(
            "letter-signature-rtl", parent=self.body_rtl, spaceAfter=0
        )


class AddressBlock(Flowable):
    """The recipient's address (in the envelope window) and, below it, the date."""

    SIZE = 10.5
    LEADING = 13.5
    MIN_HEIGHT = 34 * mm

    def __init__(self, lines: Sequence[str], date: str, rtl: bool) -> None:
        super().__init__()
        self.lines = list(lines)
        self.date = date
        self.rtl = rtl

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.block = max(self.MIN_HEIGHT, len(self.lines) * self.LEADING + 4 * mm)
        self.height = self.block + self.LEADING + 8 * mm
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(colors.black)
        y = self.height - self.SIZE
        # Arabic: the address reads from the right; Latin lines inside it stay left to right.
        x, align = (self.width, "right") if self.rtl else (0.0, "left")
        for line in self.lines:
            draw_line(canvas, x, y, line, self.SIZE, align=align)
            y -= self.LEADING
        date_y = self.height - self.block - self.SIZE
        dx, dalign = (0.0, "left") if self.rtl else (self.width, "right")
        draw_line(canvas, dx, date_y, self.date, self.SIZE, align=dalign, rtl=self.rtl)


class Signature(Flowable):
    """The signature image (if any), then the sender's name and company."""

    def __init__(self, sender: Mapping[str, Any], rtl: bool) -> None:
        super().__init__()
        self.sender = sender
        self.rtl = rtl
        self.image = page.image(sender.get("signature_path"))
        self.image_size = page.fit(self.image, 55 * mm, 18 * mm) if self.image else (0.0, 0.0)
        self.names = [n for n in (sender.get("name"), sender.get("company")) if n]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        gap = 10 * mm if not self.image else self.image_size[1] + 3 * mm
        self.height = 4 * mm + gap + len(self.names) * 14
        return availWidth, self.height

    def draw(self) -> None:
        # The same in every letter of one direction: drawn once as a form.
        form = f"signature-{'rtl' if self.rtl else 'ltr'}"
        canvas = self.canv
        if not canvas.hasForm(form):
            canvas.beginForm(form, 0, 0, self.width, self.height)
            self._draw()
            canvas.endForm()
        canvas.doForm(form)

    def _draw(self) -> None:
        canvas = self.canv
        y = self.height - 4 * mm
        w, h = self.image_size
        if self.image is not None:
            x = self.width - w if self.rtl else 0.0
            canvas.drawImage(self.image, x, y - h, w, h, mask="auto")
            y -= h + 3 * mm
        else:
            y -= 10 * mm
        x, align = (self.width, "right") if self.rtl else (0.0, "left")
        for i, name in enumerate(self.names):
            y -= 11
            draw_line(canvas, x, y, str(name), 11, bold=i == 0, align=align)
            y -= 3


def _draw_letterhead(
    canvas: Any, sender: Mapping[str, Any], size: tuple[float, float], rtl: bool
) -> None:
    width, height = size
    top = height - LETTERHEAD_TOP
    logo = page.image(sender.get("logo_path"))
    if logo is not None:
        w, h = page.fit(logo, 50 * mm, 20 * mm)
        x = width - MARGIN_X - w if rtl else MARGIN_X
        canvas.drawImage(logo, x, top - h, w, h, mask="auto")
    lines: list[tuple[str, float, bool, Any]] = []
    if sender.get("company"):
        lines.append((sender["company"], 12, True, colors.black))
    if sender.get("name"):
        lines.append((sender["name"], 9.5, False, colors.black))
    for line in sender.get("address") or ():
        lines.append((line, 9, False, GREY))
    contact = "  ·  ".join(p for p in (sender.get("phone"), sender.get("email")) if p)
    if contact:
        lines.append((contact, 9, False, GREY))
    x, align = (MARGIN_X, "left") if rtl else (width - MARGIN_X, "right")
    y = top - 10
    for text, font_size, bold, colour in lines:
        canvas.setFillColor(colour)
        draw_line(canvas, x, y, text, font_size, bold=bold, align=align)
        y -= font_size * 1.35
    canvas.setFillColor(colors.black)
    rule_y = min(y + 2, height - 36 * mm)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)


def _templates(sender: Mapping[str, Any]) -> tuple[tuple[float, float], list[PageTemplate]]:
    size = page.page_size(sender.get("page_size"))
    width, height = size
    out = []
    for name, rtl in (("ltr", False), ("rtl", True)):
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            width - 2 * MARGIN_X,
            height - ADDRESS_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

        def on_page(canvas: Any, doc: Any, rtl: bool = rtl, name: str = name) -> None:
            # The same on every page: drawn once as a form, then only referenced.
            form = f"letterhead-{name}"
            if not canvas.hasForm(form):
                canvas.beginForm(form)
                _draw_letterhead(canvas, sender, size, rtl)
                canvas.endForm()
            canvas.doForm(form)

        out.append(PageTemplate(id=name, frames=[frame], onPage=on_page, pagesize=size))
    return size, out


def _story(letter: Mapping[str, Any], sender: Mapping[str, Any], styles: Styles) -> list[Any]:
    rtl = bool(letter["rtl"])
    body_style = styles.body_rtl if rtl else styles.body
    story: list[Any] = [AddressBlock(letter["recipient"], letter["date"], rtl)]
    if letter["subject"]:
        story.append(
            paragraph(letter["subject"], styles.subject_rtl if rtl else styles.subject, rtl)
        )
    blocks = [b.strip("\n") for b in str(letter["body"]).split("\n\n") if b.strip()]
    body = [paragraph(text, body_style, rtl) for text in blocks]
    # The closing line stays with the signature: never a signature alone on a page.
    closing = body[-1:]
    story.extend(body[:-1])
    story.append(KeepTogether([*closing, Signature(sender, rtl)]))
    return story


def render(
    data: Mapping[str, Any],
    out_path: str,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Draw letters (as :mod:`crm.core.letters` describes them) into a PDF; returns pages.

    ``progress(done, total)`` is called after each page (it may raise to stop).
    """
    fonts = register_fonts()
    sender = data["sender"]
    letters: Sequence[Mapping[str, Any]] = data["letters"]
    styles = Styles()
    size, page_templates = _templates(sender)
    if letters and letters[0]["rtl"]:
        page_templates.reverse()  # the first page uses the first template
    doc = BaseDocTemplate(
        out_path,
        pagesize=size,
        pageTemplates=page_templates,
        initialFontName=fonts.regular,
        title="Thank-you letters" if len(letters) != 1 else str(letters[0]["subject"]),
        author=str(sender.get("name") or sender.get("company") or ""),
        creator="Passaparola",
    )
    if progress is not None:
        total = len(letters)

        def on_progress(kind: str, value: int) -> None:
            if kind == "PAGE":
                progress(min(int(value), total), total)

        doc.setProgressCallBack(on_progress)
    story: list[Any] = []
    for i, letter in enumerate(letters):
        if i:
            story.append(NextPageTemplate("rtl" if letter["rtl"] else "ltr"))
            story.append(PageBreak())
        story.extend(_story(letter, sender, styles))
    if not story:
        story.append(Spacer(1, 1))
    doc.build(story)
    return int(doc.page)


def _print(
    data: Mapping[str, Any],
    out_path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    with page.atomic_output(out_path) as (tmp, commit):
        pages = render(data, tmp, progress)
        with models.database_proxy.atomic():
            marked = core_letters.mark_printed(data["letters"])
            commit()
    return {
        "path": str(out_path),
        "letters": len(data["letters"]),
        "pages": pages,
        "rewards_given": marked,
    }


def thank_you_letter(
    referral_id: int, out_path: str | os.PathLike[str], *, allow_without_consent: bool = False
) -> dict[str, Any]:
    """Print the thank-you letter for a referral to its giver; records it as printed.

    Refused for a giver without marketing consent unless ``allow_without_consent``.
    """
    page.check_output(out_path)
    data = core_letters.letter_data(referral_id, allow_without_consent=allow_without_consent)
    return _print(data, out_path)


def pending_letters(
    out_path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
    *,
    allow_without_consent: bool = False,
) -> int:
    """Print every pending thank-you letter into one PDF, one per page; returns the count.

    With nothing pending, no file is written. Givers without marketing consent are
    left out unless ``allow_without_consent`` (see crm.core.letters.pending_data).
    """
    page.check_output(out_path)
    data = core_letters.pending_data(allow_without_consent=allow_without_consent)
    if not data["letters"]:
        return 0
    return int(_print(data, out_path, progress)["letters"])


__all__ = ["pending_letters", "render", "thank_you_letter"]
