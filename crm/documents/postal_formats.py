"""Label sheets and envelope sizes, in millimetres (plain data: no reportlab here).

The sheets are the common ones sold for laser printers: labels touch each other on the
A4 sheets (70 mm × 3 fills the 210 mm width) and have gutters on the US Letter one
(Avery 5160: 2⅝ × 1 in, 3/16 in side margins, 1/8 in between columns). Cells are
numbered from 1, left to right then top to bottom, as the start position counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.core.errors import ValidationError

INCH = 25.4


@dataclass(frozen=True)
class LabelSheet:
    """A sheet of labels: page, grid, label size, first label's corner and the pitches."""

    key: str
    title: str
    page: tuple[float, float]
    cols: int
    rows: int
    label: tuple[float, float]
    left: float  # page's left edge to the first column
    top: float  # page's top edge to the first row
    pitch: tuple[float, float]  # from one label's corner to the next's, across and down
    padding: tuple[float, float]  # inside each label: left/right, top/bottom
    font_size: float  # the largest size an address is printed at

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, w, h) of cell ``index`` (0-based) from the page's bottom-left corner."""
        row, col = divmod(index % self.per_sheet, self.cols)
        x = self.left + col * self.pitch[0]
        top = self.top + row * self.pitch[1]
        w, h = self.label
        return x, self.page[1] - top - h, w, h


SHEETS: dict[str, LabelSheet] = {
    "a4-3x7": LabelSheet(
        "a4-3x7", "A4, 3 × 7 (70 × 42.3 mm)", (210.0, 297.0), 3, 7, (70.0, 42.3),
        0.0, 0.45, (70.0, 42.3), (5.0, 4.0), 10.5,
    ),
    "a4-3x8": LabelSheet(
        "a4-3x8", "A4, 3 × 8 (70 × 37 mm)", (210.0, 297.0), 3, 8, (70.0, 37.0),
        0.0, 0.5, (70.0, 37.0), (5.0, 3.5), 10.0,
    ),
    "letter-3x10": LabelSheet(
        "letter-3x10", "US Letter, 3 × 10 (2⅝ × 1 in)", (8.5 * INCH, 11 * INCH), 3, 10,
        (2.625 * INCH, 1.0 * INCH), 0.1875 * INCH, 0.5 * INCH, (2.75 * INCH, 1.0 * INCH),
        (3.5, 1.6), 9.0,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Envelope:
    """An envelope (landscape) with the return address and the recipient's zone.

    The zone is where the post reads the address: the lower right, clear of the stamp
    corner above it and of the barcode strip along the bottom edge.
    """

    key: str
    title: str
    size: tuple[float, float]
    margin: float  # around the return address
    sender_box: tuple[float, float]  # width, height of the return address, top left
    zone: tuple[float, float, float, float]  # x, y (bottom), w, h of the recipient's address
    font_size: float


def _envelope(key: str, title: str, w: float, h: float, bottom: float, size: float) -> Envelope:
    left = round(w * 0.45, 1)
    return Envelope(
        key,
        title,
        (w, h),
        10.0,
        (round(w * 0.42, 1), round(h * 0.3, 1)),
        (left, bottom, w - 15.0 - left, round(h * 0.45, 1)),
        size,
    )


ENVELOPES: dict[str, Envelope] = {
    "dl": _envelope("dl", "DL (220 × 110 mm)", 220.0, 110.0, 15.0, 12.0),
    "c5": _envelope("c5", "C5 (229 × 162 mm)", 229.0, 162.0, 20.0, 13.0),
    "c6": _envelope("c6", "C6 (162 × 114 mm)", 162.0, 114.0, 15.0, 11.0),
}


def sheet(key: str) -> LabelSheet:
    """The label sheet called ``key``; refused naming the valid ones."""
    found = SHEETS.get(str(key).strip().lower())
    if found is None:
        raise ValidationError(
            code="postal_formats.unknown_label_sheet_use",
            field="sheet",
            key=key,
            keys=", ".join(SHEETS),
        )
    return found


def envelope(key: str) -> Envelope:
    """The envelope size called ``key``; refused naming the valid ones."""
    found = ENVELOPES.get(str(key).strip().lower())
    if found is None:
        raise ValidationError(
            code="postal_formats.unknown_envelope_size_use",
            field="size",
            key=key,
            keys=", ".join(ENVELOPES),
        )
    return found


def check_start(layout: LabelSheet, start: int) -> int:
    """The first free label (1-based) on a partly used sheet; refused outside the sheet."""
    if not 1 <= int(start) <= layout.per_sheet:
        raise ValidationError(
            code="postal_formats.start_position_label_1",
            field="start",
            n=layout.per_sheet,
            sheet=layout.key,
            start=start,
        )
    return int(start)
