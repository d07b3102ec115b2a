"""The fonts every printed document uses: Noto Sans and Noto Sans Arabic, embedded.

The fontpkg packages ship variable fonts. reportlab reads a variable font's default
outlines, which are the Regular instance. The Bold instances (wght=700) ship with the app
in ``crm/resources/fonts``, cut from the same variable fonts by
:mod:`crm.documents.font_instances`: cutting them takes seconds, which the first print
must not wait for. Should a shipped file be missing, it is cut once into the user's cache.
reportlab embeds TrueType fonts as subsets, so a PDF carries only the glyphs it uses.

Pass ``initialFontName=register_fonts().regular`` to every ``Canvas`` / doc template:
otherwise reportlab declares its built-in Helvetica (unembedded Type 1) on each page.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import platformdirs

# reportlab names of the registered fonts.
REGULAR = "PassaparolaSans"
BOLD = "PassaparolaSans-Bold"
ARABIC = "PassaparolaArabic"
ARABIC_BOLD = "PassaparolaArabic-Bold"

# Bump when the way Bold instances are cut changes, so stale cached files are not used.
_CACHE_FORMAT = "v2"

SOURCES = {
    # package, file inside package/files
    "sans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "arabic": ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
}

# Unicode blocks drawn with the Arabic font (letters, marks, Arabic-Indic digits, presentation
# forms), plus the joiners that only matter inside Arabic words.
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


@dataclass(frozen=True)
class FontSet:
    """reportlab names of the registered fonts."""

    regular: str
    bold: str
    arabic: str
    arabic_bold: str


_lock = threading.Lock()
_fonts: FontSet | None = None


def cache_dir() -> Path:
    """Where the derived Bold instances are kept."""
    return Path(platformdirs.user_cache_dir("passaparola")) / "fonts"


def source_path(key: str) -> Path:
    """The variable TTF shipped by a fontpkg package ("sans" or "arabic")."""
    package, name = SOURCES[key]
    path = importlib.resources.files(package).joinpath("files").joinpath(name)
    return Path(str(path))


def stem(key: str) -> str:
    """The font's file name without its axes: ``NotoSans``, ``NotoSansArabic``."""
    return Path(SOURCES[key][1]).stem.split("[")[0]


def shipped_bold(key: str) -> Path:
    """Where the app ships the Bold instance of a font."""
    path = importlib.resources.files("crm").joinpath("resources", "fonts", f"{stem(key)}-Bold.ttf")
    return Path(str(path))


def _package_version(key: str) -> str:
    package = SOURCES[key][0].replace("_", "-")
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored copy
        return "0"


def bold_path(key: str) -> Path:
    """The Bold instance of a font: the shipped one, else cut on first use and cached."""
    shipped = shipped_bold(key)
    if shipped.is_file():
        return shipped
    name = f"{stem(key)}-Bold-{_package_version(key)}-{_CACHE_FORMAT}.ttf"
    # The user's cache, else (a read-only home) the temp folder: printing must not fail.
    user = getattr(os, "getuid", lambda: "user")()
    folders = (cache_dir(), Path(tempfile.gettempdir()) / f"passaparola-fonts-{user}")
    for folder in folders:
        if (folder / name).is_file() and (folder / name).stat().st_size > 0:
            return folder / name
    from crm.documents.font_instances import cut_bold

    error: OSError | None = None
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            cut_bold(source_path(key), stem(key), folder / name)
            return folder / name
        except OSError as exc:
            error = exc
    assert error is not None
    raise error


def register_fonts() -> FontSet:
    """Register the document fonts with reportlab once per process and return their names."""
    global _fonts
    if _fonts is not None:
        return _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, path in (
            (REGULAR, source_path("sans")),
            (BOLD, bold_path("sans")),
            (ARABIC, source_path("arabic")),
            (ARABIC_BOLD, bold_path("arabic")),
        ):
            pdfmetrics.registerFont(TTFont(name, str(path), shapable=True))
        # So that <b> inside a Paragraph in these fonts picks the Bold instance.
        for regular, bold in ((REGULAR, BOLD), (ARABIC, ARABIC_BOLD)):
            addMapping(regular, 0, 0, regular)
            addMapping(regular, 1, 0, bold)
            addMapping(regular, 0, 1, regular)
            addMapping(regular, 1, 1, bold)
        _fonts = FontSet(regular=REGULAR, bold=BOLD, arabic=ARABIC, arabic_bold=ARABIC_BOLD)
        return _fonts


def is_arabic_char(ch: str) -> bool:
    """True for a character drawn with the Arabic font."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _ARABIC_RANGES)


def has_arabic(text: str) -> bool:
    """True when the text contains Arabic script."""
    return any("\u0600" <= ch <= "\ufeff" and is_arabic_char(ch) for ch in text)


def font_for(text: str) -> tuple[str, str]:
    """(regular, bold) font names for a piece of text: the Arabic pair when it has Arabic."""
    fonts = register_fonts()
    if has_arabic(text):
        return fonts.arabic, fonts.arabic_bold
    return fonts.regular, fonts.bold
