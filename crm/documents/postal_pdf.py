"""Address labels and envelopes as PDFs, for the people :mod:`crm.core.postal` gathers.

Labels fill a sheet (:mod:`crm.documents.postal_formats`) cell by cell, from a start
position so a partly used sheet can go through the printer again. Envelopes are one
per page, the page the size of the envelope: the return address top left (top right
when the sender writes right to left), the recipient's address in the lower right
zone. Every address is fitted to its box (:mod:`crm.documents.address_block`): it
shrinks or wraps, and never leaves its label or zone. Printing writes nothing to the
database; the file is written beside its place and renamed into it when complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from crm.core import addresses, postal
from crm.documents import address_block, page
from crm.documents.fonts import register_fonts
from crm.documents.postal_formats import Envelope, LabelSheet, check_start, envelope, sheet

Progress = Callable[[int, int], None]
OUTLINE = colors.Color(0.7, 0.7, 0.7)


def _canvas(path: str, size: tuple[float, float], title: str, author: str) -> Canvas:
    fonts = register_fonts()
    canvas = Canvas(path, pagesize=size, initialFontName=fonts.regular, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Passaparola")
    return canvas


def _author(sender: Mapping[str, Any]) -> str:
    return str(sender.get("name") or sender.get("company") or "")


# -- labels ------------------------------------------------------------------------


def label_pages(count: int, layout: LabelSheet, start: int = 1) -> int:
    """Sheets needed for ``count`` labels from position ``start``."""
    if count <= 0:
        return 0
    used = start - 1 + count
    return (used + layout.per_sheet - 1) // layout.per_sheet


def _label_box(layout: LabelSheet, index: int) -> tuple[float, float, float, float]:
    """The printable area of cell ``index`` (0-based), in points."""
    x, y, w, h = layout.cell(index)
    px, py = layout.padding
    return ((x + px) * mm, (y + py) * mm, (w - 2 * px) * mm, (h - 2 * py) * mm)


def render_labels(
    people: Sequence[Mapping[str, Any]],
    out_path: str,
    *,
    layout: LabelSheet,
    start: int = 1,
    sender: Mapping[str, Any] | None = None,
    outlines: bool = False,
    progress: Progress | None = None,
) -> int:
    """Draw one label per person (``lines``, ``rtl``) from cell ``start``; returns pages.

    ``outlines`` draws the labels' edges (for a preview). ``progress(done, total)`` is
    called after each sheet and may raise to stop.
    """
    size = (layout.page[0] * mm, layout.page[1] * mm)
    canvas = _canvas(out_path, size, "Address labels", _author(sender or {}))
    total = label_pages(len(people), layout, start)
    first = start - 1
    for number, person in enumerate(people):
        index = first + number
        if index and index % layout.per_sheet == 0:
            canvas.showPage()
            if progress is not None:
                progress(index // layout.per_sheet, total)
        if outlines and (number == 0 or index % layout.per_sheet == 0):
            _draw_outlines(canvas, layout)
        box = _label_box(layout, index)
        fitted = address_block.fit(person["lines"], box[2], box[3], layout.font_size)
        address_block.draw(canvas, fitted, box, rtl=bool(person["rtl"]))
    canvas.showPage()
    canvas.save()
    if progress is not None:
        progress(total, total)
    return max(total, 1)


def _draw_outlines(canvas: Any, layout: LabelSheet) -> None:
    canvas.saveState()
    canvas.setStrokeColor(OUTLINE)
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    for index in range(layout.per_sheet):
        x, y, w, h = layout.cell(index)
        canvas.roundRect(x * mm, y * mm, w * mm, h * mm, 1.5 * mm)
    canvas.restoreState()


# -- envelopes -----------------------------------------------------------------------


def _sender_box(size: Envelope, rtl: bool) -> tuple[float, float, float, float]:
    w, h = size.size
    bw, bh = size.sender_box
    x = w - size.margin - bw if rtl else size.margin
    return x * mm, (h - size.margin - bh) * mm, bw * mm, bh * mm


def render_envelopes(
    people: Sequence[Mapping[str, Any]],
    out_path: str,
    *,
    size: Envelope,
    sender: Mapping[str, Any],
    progress: Progress | None = None,
) -> int:
    """One envelope per person (``lines``, ``rtl``, ``country``); returns pages."""
    page_size = (size.size[0] * mm, size.size[1] * mm)
    canvas = _canvas(out_path, page_size, "Envelopes", _author(sender))
    zone = tuple(v * mm for v in size.zone)
    total = len(people)
    for number, person in enumerate(people):
        if number:
            canvas.showPage()
        back = postal.sender_lines(dict(sender), str(person.get("country") or ""))
        if back:
            back_rtl = addresses.is_rtl(back)
            box = _sender_box(size, back_rtl)
            fitted = address_block.fit(back, box[2], box[3], size.font_size * 0.72)
            address_block.draw(canvas, fitted, box, rtl=back_rtl, valign="top")
        zone_box = (zone[0], zone[1], zone[2], zone[3])
        fitted = address_block.fit(person["lines"], zone_box[2], zone_box[3], size.font_size)
        address_block.draw(canvas, fitted, zone_box, rtl=bool(person["rtl"]))
        if progress is not None:
            progress(number + 1, total)
    canvas.showPage()
    canvas.save()
    return max(total, 1)


# -- printing ------------------------------------------------------------------------


def _summary(data: Mapping[str, Any], path: str | None, pages: int) -> dict[str, Any]:
    return {
        "path": path,
        "pages": pages,
        "printed": len(data["recipients"]) if path else 0,
        "skipped": list(data["skipped"]),
    }


def print_labels(
    data: Mapping[str, Any],
    out_path: str | os.PathLike[str],
    *,
    sheet_key: str,
    start: int = 1,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Labels for :func:`crm.core.postal.recipients`' people into ``out_path``.

    With nobody to print, no file is written. Returns ``path`` (None then), ``pages``,
    ``printed``, ``skipped`` (as the data lists them), ``sheet`` and ``start``.
    """
    layout = sheet(sheet_key)
    check_start(layout, start)
    page.check_output(out_path)
    people = data["recipients"]
    result: dict[str, Any]
    if not people:
        result = _summary(data, None, 0)
    else:
        with page.atomic_output(out_path) as (tmp, commit):
            pages = render_labels(
                people,
                tmp,
                layout=layout,
                start=start,
                sender=data.get("sender"),
                progress=progress,
            )
            commit()
        result = _summary(data, str(out_path), pages)
    return {**result, "sheet": layout.key, "start": start}


def print_envelopes(
    data: Mapping[str, Any],
    out_path: str | os.PathLike[str],
    *,
    size_key: str,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Envelopes for :func:`crm.core.postal.recipients`' people into ``out_path``.

    With nobody to print, no file is written. Returns ``path`` (None then), ``pages``,
    ``printed``, ``skipped`` and ``size``.
    """
    size = envelope(size_key)
    page.check_output(out_path)
    people = data["recipients"]
    result: dict[str, Any]
    if not people:
        result = _summary(data, None, 0)
    else:
        with page.atomic_output(out_path) as (tmp, commit):
            pages = render_envelopes(
                people, tmp, size=size, sender=data["sender"], progress=progress
            )
            commit()
        result = _summary(data, str(out_path), pages)
    return {**result, "size": size.key}


__all__ = [
    "label_pages",
    "print_envelopes",
    "print_labels",
    "render_envelopes",
    "render_labels",
]
