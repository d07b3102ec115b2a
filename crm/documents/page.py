"""Shared page helpers: page sizes, images from the profile, and writing a PDF atomically."""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader

from crm.core.errors import ValidationError
from crm.core.files import output_file, private_output

PAGE_SIZES = {"A4": A4, "Letter": LETTER}


def page_size(name: str | None) -> tuple[float, float]:
    """(width, height) in points of a profile page size ("A4" or "Letter")."""
    width, height = PAGE_SIZES.get(name or "A4", A4)
    return float(width), float(height)


@lru_cache(maxsize=16)
def _reader(path: str, mtime: float) -> ImageReader | None:
    try:
        return ImageReader(path)
    except Exception:  # a damaged or vanished image leaves the space empty, not the letter
        return None


def image(path: str | None) -> ImageReader | None:
    """An image from the profile (logo, signature), read once per process; None if unusable."""
    if not path:
        return None
    try:
        mtime = Path(path).stat().st_mtime
    except OSError:
        return None
    return _reader(path, mtime)


def fit(reader: ImageReader, max_width: float, max_height: float) -> tuple[float, float]:
    """The size an image is drawn at to fit a box, keeping its proportions."""
    w, h = reader.getSize()
    if w <= 0 or h <= 0:
        return 0.0, 0.0
    scale = min(max_width / w, max_height / h)
    return w * scale, h * scale


def check_output(path: str | os.PathLike[str]) -> Path:
    """The output path, refused (before anything is drawn) when it cannot be written."""
    out = Path(path)
    if out.suffix.lower() != ".pdf":
        raise ValidationError(code="page.output_file_end_pdf", field="output", out=out)
    return output_file(out)


def atomic_output(path: str | os.PathLike[str]) -> contextlib.AbstractContextManager[Any]:
    """A private file beside ``path`` and ``commit`` that renames it into place.

    Yields (temp path, commit). Call ``commit()`` last inside the database
    transaction; on an error, or without a commit, the temp file is removed and
    ``path`` is left as it was.
    """
    check_output(path)
    return private_output(path)
