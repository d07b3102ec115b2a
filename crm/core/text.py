"""Text folding for search: case, Latin accents and Greek tonos/diaeresis."""

from __future__ import annotations

import re
import unicodedata

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
