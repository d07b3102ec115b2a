"""Shared page helpers: page sizes, images from the profile, and writing a PDF atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import ImageReader

from crm.core.errors import ValidationError
from crm.core.files import output_file

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
        raise ValidationError(f"The output file '{out}' must end in .pdf", "output")
    return output_file(out)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[tuple[str, Any]]:
    """Write a file beside ``path`` and return (temp path, commit).

    Call ``commit()`` to rename the finished file into place (do it last inside the
    database transaction); on an error, or without a commit, the temp file is removed and
    ``path`` is left as it was.
    """
    out = check_output(path)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".pdf.part")
    os.close(fd)
    done = False

    def commit() -> None:
        nonlocal done
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(tmp, out)
        done = True

    try:
        yield tmp, commit
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)
