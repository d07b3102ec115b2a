"""The printed event briefing: one compact row per attendee, readable on paper.

Every page carries the event's title and date on top and "Page N of M" at the foot. The
briefing is worded in the briefing language setting; in Arabic the page is mirrored (columns run
right to left, text right-aligned). Names and organizations are printed as data, in
whatever script they are written. The content comes from
:func:`crm.core.briefing.event_briefing`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer, Table, TableStyle

from crm.core import briefing, settings, users
from crm.documents import page
from crm.documents.briefing_labels import (
    FOLLOWUP_KINDS,
    INTERACTION_KINDS,
    LABELS,
    ROLES,
    STATUSES,
    words,
)
from crm.documents.fonts import register_fonts
from crm.documents.text import draw_line, paragraph

MARGIN = 14 * mm
HEADER = 16 * mm
FOOTER = 12 * mm
# Column shares of the frame width: attendee, referred by, referrals, follow-ups and contact.
COLUMNS = (0.24, 0.20, 0.29, 0.27)
STRIPE = colors.Color(0.95, 0.96, 0.98)
LINE = colors.Color(0.78, 0.80, 0.84)
GREY = colors.Color(0.38, 0.38, 0.40)
GREEN = colors.Color(0.10, 0.45, 0.20)
AMBER = colors.Color(0.62, 0.36, 0.0)
RED = colors.Color(0.70, 0.10, 0.10)


class _Words:
    """Labels and formats in one language."""

    def __init__(self, language: str) -> None:
        self.lang = words(language)
        self.labels = LABELS[self.lang]
        self.rtl = self.lang == "ar"

    def __call__(self, key: str, **values: Any) -> str:
        return self.labels[key].format(**values)

    def date(self, iso: str | None) -> str:
        if not iso:
            return ""
        return str(format_date(dt.date.fromisoformat(iso[:10]), format="medium", locale=self.lang))

    def money(self, amounts: Mapping[str, float]) -> str:
        return ("، " if self.rtl else ", ").join(
            str(format_currency(v, cur, locale=self.lang, format_type="standard"))
            for cur, v in amounts.items()
        )

    def amount(self, value: float | None, currency: str | None) -> str:
        if value is None:
            return ""
        return str(format_currency(value, currency or "EUR", locale=self.lang))

    def number(self, n: int) -> str:
        return str(format_decimal(n, locale=self.lang))

    def status(self, code: str) -> str:
        return STATUSES[self.lang].get(code, code)

    def role(self, code: str) -> str:
        return ROLES[self.lang].get(code, code)

    def followup(self, code: str) -> str:
        return FOLLOWUP_KINDS[self.lang].get(code, code)

    def interaction(self, code: str) -> str:
        return INTERACTION_KINDS[self.lang].get(code, code)


class _Styles:
    def __init__(self, rtl: bool) -> None:
        fonts = register_fonts()
        align = TA_RIGHT if rtl else 0
        self.name = ParagraphStyle(
            "b-name", fontName=fonts.bold, fontSize=9.5, leading=12, alignment=align
        )
        self.text = ParagraphStyle(
            "b-text", fontName=fonts.regular, fontSize=8, leading=10.2, alignment=align
        )
        self.small = ParagraphStyle("b-small", parent=self.text, textColor=GREY)
        self.head = ParagraphStyle(
            "b-head", parent=self.text, fontName=fonts.bold, textColor=colors.white
        )
        self.good = ParagraphStyle("b-good", parent=self.text, textColor=GREEN)
        self.wait = ParagraphStyle("b-wait", parent=self.text, textColor=AMBER)
        self.late = ParagraphStyle("b-late", parent=self.text, textColor=RED)
        self.summary = ParagraphStyle("b-summary", parent=self.text, fontSize=9, leading=12)
        side = "rightIndent" if rtl else "leftIndent"
        self.level = [
            ParagraphStyle(f"b-level{i}", parent=self.small, **{side: 7.0 * i}) for i in range(3)
        ]


def _attendee_cell(a: Mapping[str, Any], w: _Words, s: _Styles) -> list[Any]:
    cell = [paragraph(a["name"], s.name, w.rtl, data=True)]
    if a["organization"]:
        cell.append(paragraph(a["organization"], s.text, w.rtl, data=True))
    facts = [a["title"], w.role(a["role"])]
    if a["met_in_person"]:
        facts.append(w("met_flag"))
    if a["archived"]:
        facts.append(w("archived"))
    cell.append(paragraph(" · ".join(f for f in facts if f), s.small, w.rtl))
    return cell


def _referred_by_cell(a: Mapping[str, Any], w: _Words, s: _Styles) -> list[Any]:
    chain = a["referred_by"]
    if not chain:
        return [paragraph(w("direct"), s.small, w.rtl)]
    # One line per level up the chain, each indented a step further.
    cell = []
    for link in chain:
        here = f" ({w('here')})" if link["here"] else ""
        style = s.text if link["depth"] == 1 else s.level[min(link["depth"], 3) - 1]
        cell.append(paragraph(f"{link['name']}{here}", style, w.rtl, data=not here))
    if a["referred_by_more"]:
        cell.append(paragraph(f"… {w('more_levels')}", s.level[2], w.rtl))
    return cell


def _colleague(name: str | None) -> bool:
    """Whether a line was made by someone other than the reader: only then is it signed."""
    return bool(name) and name != users.current()


def _referral_lines(
    summary: Mapping[str, Any], head: str, arrow: str, w: _Words, s: _Styles
) -> list[Any]:
    parts = [head]
    if summary["won_count"]:
        won = w("won_n", count=w.number(summary["won_count"]))
        value = w.money(summary["won_value"])
        parts.append(f"{won} ({value})" if value else won)
    if summary["open"]:
        parts.append(w("open_n", count=w.number(summary["open"])))
    lines = [paragraph(" · ".join(parts), s.text, w.rtl)]
    for r in summary["latest"]:
        bits = [w.status(r["status"])]
        if r["value"] is not None and r["status"] == "won":
            bits.append(w.amount(r["value"], r["currency"]))
        if _colleague(r.get("created_by")):
            bits.append(w("by", name=r["created_by"]))
        here = f" ({w('here')})" if r["here"] else ""
        lines.append(paragraph(f"{arrow} {r['name']}{here}: {', '.join(bits)}", s.small, w.rtl))
    return lines


def _referrals_cell(a: Mapping[str, Any], w: _Words, s: _Styles) -> list[Any]:
    given, received = a["given"], a["received"]
    cell: list[Any] = []
    if given["count"]:
        head = w("gave", count=w.number(given["count"]))
        cell += _referral_lines(given, head, "›", w, s)
    if received["count"]:
        head = w("received", count=w.number(received["count"]))
        cell += _referral_lines(received, head, "‹", w, s)
    return cell or [paragraph(w("none"), s.small, w.rtl)]


def _contact_cell(a: Mapping[str, Any], w: _Words, s: _Styles, today: str) -> list[Any]:
    cell: list[Any] = []
    ask = a["ask"]
    if ask["ok"]:
        text = w("ask_ok") if ask["last_asked"] else w("ask_never")
        cell.append(paragraph(text, s.good, w.rtl))
    else:
        text = w("ask_wait", days=w.number(ask["days_since"] or 0), date=w.date(ask["ok_from"]))
        cell.append(paragraph(text, s.wait, w.rtl))
    if a["open_followups"]:
        cell.append(paragraph(w("followups_n", count=w.number(a["open_followups"])), s.text, w.rtl))
        for f in a["followups"]:
            what = f["title"] or w.followup(f["kind"])
            when = w("due", date=w.date(f["due"]))
            if f["overdue"]:
                when += f", {w('overdue')}"
            if f.get("assigned_to"):
                when += f", {w('for', name=f['assigned_to'])}"
            style = s.late if f["overdue"] else s.small
            cell.append(paragraph(f"• {what} ({when})", style, w.rtl))
    last = a["last_interaction"]
    if last:
        text = w("last", date=w.date(last["date"]), kind=w.interaction(last["kind"]))
        if _colleague(last.get("created_by")):
            text += f" ({w('by', name=last['created_by'])})"
        cell.append(paragraph(text, s.small, w.rtl))
    else:
        cell.append(paragraph(w("no_contact"), s.small, w.rtl))
    return cell


def _summary(data: Mapping[str, Any], w: _Words, s: _Styles) -> Any:
    c = data["counts"]
    parts = [
        f"{w.number(c['attendees'])} {w('attendees')}",
        f"{w.number(c['met'])} {w('met')}",
        f"{w.number(c['ok_to_ask'])} {w('ok_to_ask')}",
        f"{w.number(c['referred'])} {w('referred')}",
        f"{w.number(c['open_followups'])} {w('open_followups')}",
        f"{w.number(c['referrals_given'])} {w('referrals_given')}",
    ]
    if c["won_value"]:
        parts.append(f"{w.money(c['won_value'])} {w('won_value')}")
    return paragraph(" · ".join(parts), s.summary, w.rtl)


def _table(data: Mapping[str, Any], w: _Words, s: _Styles, width: float) -> Table:
    heads = [w("attendee"), w("referred_by"), w("referrals"), w("followups_contact")]
    rows: list[list[Any]] = [[paragraph(h, s.head, w.rtl) for h in heads]]
    for a in data["attendees"]:
        rows.append(
            [
                _attendee_cell(a, w, s),
                _referred_by_cell(a, w, s),
                _referrals_cell(a, w, s),
                _contact_cell(a, w, s, data["today"]),
            ]
        )
    widths = [width * share for share in COLUMNS]
    if w.rtl:  # the first column on the right
        rows = [list(reversed(r)) for r in rows]
        widths.reverse()
    style = [
        # Cells hold flowables, but the table still sets a font: make it ours, not Helvetica.
        ("FONT", (0, 0), (-1, -1), register_fonts().regular, 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.20, 0.27, 0.40)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
    ]
    for i in range(2, len(rows), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


class _NumberedCanvas(Canvas):
    """Holds each page until the end so the footer can say "Page N of M"."""

    def __init__(self, *args: Any, footer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._footer is not None:
                self._footer(self, total)
            super().showPage()
        super().save()


def render(data: Mapping[str, Any], out_path: str, language: str, page_name: str) -> int:
    """Draw a briefing (as event_briefing returns it) into a PDF; returns the page count."""
    fonts = register_fonts()
    w = _Words(language)
    s = _Styles(w.rtl)
    width, height = page.page_size(page_name)
    event = data["event"]
    title = str(event["title"])
    when = w.date(event["date"])
    place = ", ".join(p for p in (event.get("venue"), event.get("city")) if p)

    def header(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        y = height - MARGIN + 1
        left, right = MARGIN, width - MARGIN
        start, end = (right, left) if w.rtl else (left, right)
        a1, a2 = ("right", "left") if w.rtl else ("left", "right")
        canvas.setFillColor(colors.black)
        draw_line(canvas, start, y - 10, title, 11, bold=True, align=a1, rtl=w.rtl)
        canvas.setFillColor(GREY)
        sub = " · ".join(p for p in (w("title"), when, place) if p)
        draw_line(canvas, start, y - 22, sub, 8.5, align=a1, rtl=w.rtl)
        draw_line(canvas, end, y - 10, when, 11, bold=True, align=a2, rtl=w.rtl)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.6)
        canvas.line(left, y - 27, right, y - 27)
        canvas.restoreState()

    def footer(canvas: Any, total: int) -> None:
        canvas.saveState()
        canvas.setFillColor(GREY)
        text = w("page", page=w.number(canvas.getPageNumber()), pages=w.number(total))
        printed = w("printed", date=w.date(data["today"]))
        a1, a2 = ("left", "right") if w.rtl else ("right", "left")
        x1, x2 = (MARGIN, width - MARGIN) if w.rtl else (width - MARGIN, MARGIN)
        draw_line(canvas, x1, MARGIN - 2, text, 8, align=a1, rtl=w.rtl)
        draw_line(canvas, x2, MARGIN - 2, f"{title} · {when} · {printed}", 8, align=a2, rtl=w.rtl)
        canvas.restoreState()

    frame = Frame(
        MARGIN,
        MARGIN + FOOTER - 4 * mm,
        width - 2 * MARGIN,
        height - 2 * MARGIN - HEADER - FOOTER + 4 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc = BaseDocTemplate(
        out_path,
        pagesize=(width, height),
        pageTemplates=[PageTemplate(id="briefing", frames=[frame], onPage=header)],
        initialFontName=fonts.regular,
        title=f"{w('title')}: {title}",
        creator="Passaparola",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER,
        bottomMargin=MARGIN + FOOTER,
    )
    story: list[Any] = [_summary(data, w, s)]
    story.append(Spacer(1, 3 * mm))
    if data["attendees"]:
        story.append(_table(data, w, s, frame._width))
    else:
        story.append(paragraph(w("empty"), s.text, w.rtl))

    def canvasmaker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, footer=footer, **kwargs)

    doc.build(story, canvasmaker=canvasmaker)
    return int(doc.page)


def event_briefing_pdf(event_id: int, out_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Print the briefing for an event; the file appears whole or not at all."""
    page.check_output(out_path)
    language = settings.briefing_language()
    data = briefing.event_briefing(event_id, language=language)
    prof = settings.profile()
    with page.atomic_output(out_path) as (tmp, commit):
        pages = render(data, tmp, language, prof.page_size)
        commit()
    return {
        "path": str(out_path),
        "event_id": event_id,
        "attendees": len(data["attendees"]),
        "pages": pages,
    }


__all__: Sequence[str] = ("event_briefing_pdf", "render")
