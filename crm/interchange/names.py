"""A person's name as a card writes it: honorifics apart, a company's name told from a person's."""

from __future__ import annotations

from crm.core.text import fold

# Written after a comma or at the end of a full name: degrees and generations.
_SUFFIXES = frozenset(
    [
        "phd",
        "ph.d",
        "ph.d.",
        "md",
        "m.d.",
        "dds",
        "dvm",
        "esq",
        "esq.",
        "mba",
        "cpa",
        "jr",
        "jr.",
        "sr",
        "sr.",
        "ii",
        "iii",
        "iv",
        "msc",
        "m.sc.",
        "bsc",
        "b.sc.",
        "frcs",
        "dphil",
        "mphil",
        "dipl.-ing.",
    ]
)
# Written before the given name.
_PREFIXES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "sir",
        "dame",
        "rev",
        "rev.",
        "hr.",
        "fr.",
        "herr",
        "frau",
        "sig.",
        "sig.ra",
        "dott.",
        "dott.ssa",
        "avv.",
        "ing.",
        "κ.",
        "κα",
    ]
)


def folded_equal(a: str, b: str) -> bool:
    """Whether two names are the same once case, accents and spacing are set aside."""
    return bool(a) and fold(" ".join(a.split())) == fold(" ".join(b.split()))


def _is_suffix(text: str) -> bool:
    words = text.replace(",", " ").split()
    return bool(words) and all(w.casefold() in _SUFFIXES for w in words)


def person_name(full: str) -> str:
    """``full`` without honorifics: ``Dr. Bruce Banner, PhD`` → ``Bruce Banner``.

    A comma before a suffix is not the "Family, Given" comma, which stays.
    """
    text = " ".join(full.split())
    head, sep, tail = text.rpartition(",")
    while sep and _is_suffix(tail):
        text = head.strip()
        head, sep, tail = text.rpartition(",")
    words = text.split()
    while len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0].casefold() in _PREFIXES:
        words.pop(0)
    return " ".join(words)
