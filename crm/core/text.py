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
