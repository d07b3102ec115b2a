"""QR codes drawn straight onto a reportlab canvas as one filled path.

segno computes the module matrix; each horizontal run of dark modules (grown down
over the rows that repeat it) becomes one rectangle of a single path, written in
module units (whole numbers) under a matrix that scales and places it, and filled
once. That is a few hundred bytes per code and much faster than reportlab's QR
widget, which draws every module as its own shape.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import segno

QUIET_ZONE = 4  # modules of white margin the QR specification asks for


@lru_cache(maxsize=4096)
def runs(text: str, error: str = "m") -> tuple[int, tuple[tuple[int, int, int, int], ...]]:
    """The QR symbol's size in modules and its dark areas as rectangles of modules.

    Each rectangle is a horizontal run of dark modules, (row, first column, length,
    rows), grown downwards while the rows below repeat the same run exactly: the
    finder patterns and many other areas become one rectangle instead of several,
    about a third fewer in all. Text that fits QR's alphanumeric mode (upper-case
    letters, digits, ``-``) makes the smallest symbol: a voucher code is version 1.
    """
    symbol = segno.make_qr(text, error=error, boost_error=False)
    matrix = symbol.matrix
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (column, length) -> first row
    for r, row in enumerate(matrix):
        here: list[tuple[int, int]] = []
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                here.append((start, c - start))
            else:
                c += 1
        still = {key: open_runs.pop(key, r) for key in here}
        done.extend((first, col, length, r - first) for (col, length), first in open_runs.items())
        open_runs = still
    done.extend(
        (first, col, length, len(matrix) - first) for (col, length), first in open_runs.items()
    )
    return len(matrix), tuple(sorted(done))


def modules(text: str) -> int:
    """The symbol's width in modules, quiet zone included."""
    return runs(text)[0] + 2 * QUIET_ZONE


def draw_qr(
    canvas: Any,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    grid: float = 0.0,
    page_height: float = 0.0,
) -> float:
    """Draw the QR code of ``text`` in a ``size``-wide square with its lower-left corner at (x, y).

    The square includes the quiet zone, which is left unpainted (the paper is white).
    With ``grid`` (in points) the module size is a whole multiple of it and the symbol's
    top-left corner sits on it, counted from the top of a page ``page_height`` high, as
    printers and rasterisers count: each module then covers the same whole number of dots
    (no grey, uneven edges), and the symbol may come out a little smaller than ``size``.
    Returns the module size used.
    """
    count, dark = runs(text)
    total = count + 2 * QUIET_ZONE
    module = size / total
    left, top = x, y + size
    if grid > 0:
        module = max(grid, math.floor(module / grid) * grid)
        spare = (size - module * total) / 2
        left = round((x + spare) / grid) * grid
        top = page_height - round((page_height - (y + size - spare)) / grid) * grid
    left += QUIET_ZONE * module
    top -= QUIET_ZONE * module
    # One filled path in module units, scaled and moved into place by the matrix: whole
    # numbers are written as they are, where reportlab's path.rect formats four floats a
    # rectangle (in pure Python without its C accelerator), the most of a QR code's cost.
    rects = " ".join(
        f"{col} {-(row + height)} {length} {height} re" for row, col, length, height in dark
    )
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, left, top)
    canvas.addLiteral(f"{rects} f")
    canvas.restoreState()
    return module
