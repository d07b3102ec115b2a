"""Text folding for search (case, accents, Greek tonos) and cleaning of what users type."""

from __future__ import annotations

import re
import unicodedata

from crm.core.errors import ValidationError
from crm.i18n import N_, Term

# Letters that do not decompose under NFKD but that people type without the
# stroke or ligature.
_EXTRA = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
    }
)

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower-case ``text`` and strip combining marks (accents, tonos, dialytika).

    ``Παπαδόπουλος`` and ``ΠΑΠΑΔΟΠΟΥΛΟΣ`` both fold to ``παπαδοπουλοσ`` (the
    final sigma folds to the ordinary one), ``Müller`` to ``muller``.
    """
    if not text:
        return ""
    if text.isascii():
        # Nothing to decompose or strip, and casefold() is lower() (each keystroke
        # of a search folds the query: this is most of them, five times faster).
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_EXTRA)


def tokens(text: str | None) -> list[str]:
    """The folded words of ``text`` as the search index splits them."""
    return _TOKEN_RE.findall(fold(text))


_FAMILY_PARTICLES = frozenset(
    "al abu bin ibn da das de dei degli del della dello der di dos du el la le van von".split()  # noqa: SIM905
)


def split_name(text: str) -> tuple[str, str]:
    """``"Given Family"`` as (given, family); ``"Family, Given"`` says which is which.

    Without a comma the last word is the family name, with the particles that
    lead into it (``Marco De Luca`` → ``Marco`` / ``De Luca``); a single word is
    a given name.
    """
    if "," in text:
        family, _, given = text.partition(",")
        return " ".join(given.split()), " ".join(family.split())
    words = text.split()
    if len(words) < 2:
        return " ".join(words), ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _FAMILY_PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


# -- cleaning what a user typed -----------------------------------------------------------
# Every text field passes through ``clean`` on its way in (GUI, CLI and importers all go
# through core validation), so nothing stored can drive a terminal or flip text on screen.

# Zero-width joiner and non-joiner shape words in Arabic, Persian and Indic scripts.
_JOINERS = frozenset("\u200c\u200d")
# Letters and symbols that draw nothing: a name made of them looks empty.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Control characters that separate words: they become a space on a single line.
_SPACING_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
# Line breaks of other kinds become "\n"; a CRLF stays as written (files and Windows keep it).
_NEWLINES_RE = re.compile(r"\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

NOTES_LIMIT = 10_000


def _kept(ch: str, multiline: bool) -> bool:
    category = unicodedata.category(ch)
    if category == "Cc":
        return multiline and ch in "\n\t\r"  # a lone CR was made a newline already
    if category == "Cf":
        # Bidi overrides, embeddings and isolates, marks, zero-width spaces, BOMs...
        return ch in _JOINERS
    return category not in ("Cs", "Zl", "Zp")


def clean(text: str | None, *, multiline: bool = False) -> str:
    """``text`` in NFC without control, bidi-override or invisible format characters.

    A multi-line text keeps its line breaks (``\\n`` or CRLF) and tabs; on a single
    line they become spaces. Ends are stripped of spaces.
    """
    if not text:
        return ""
    if text.isprintable():  # no control, format or separator characters: the usual case
        return unicodedata.normalize("NFC", text).strip()
    if multiline:
        text = _NEWLINES_RE.sub("\n", text)
    else:
        text = "".join(" " if ch in _SPACING_CONTROLS else ch for ch in text)
    text = "".join(ch for ch in text if _kept(ch, multiline))
    return unicodedata.normalize("NFC", text).strip()


def clean_line(text: str | None) -> str:
    """``clean`` on one line, runs of spaces squeezed to one (names, titles)."""
    return " ".join(clean(text).split())


def is_visible(text: str) -> bool:
    """Whether ``text`` has a character that draws something (not only spaces and joiners)."""
    for ch in text:
        if ch in _JOINERS or ch in _BLANK_GLYPHS or ch.isspace():
            continue
        if unicodedata.category(ch)[0] in "LNPS":
            return True
    return False


def limited(text: str, limit: int, label: str, field: str) -> str:
    """``text`` when it fits in ``limit`` characters, else a ValidationError naming the field."""
    if len(text) > limit:
        raise ValidationError(
            code="text.too_long",
            field=field,
            label=Term(label),
            limit=limit,
            text_count=len(text),
        )
    return text


def field_line(value: str | None, limit: int, label: str, field: str) -> str:
    """A single-line field cleaned and checked against its length limit."""
    return limited(clean(value), limit, label, field)


def field_notes(value: str | None, label: str = N_("Notes"), field: str = "notes") -> str:
    """A multi-line field (notes) cleaned and checked against the notes limit."""
    return limited(clean(value, multiline=True), NOTES_LIMIT, label, field)
