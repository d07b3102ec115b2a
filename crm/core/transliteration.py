"""Names in Latin letters, and a sound key that survives spelling and script.

Used to find the same person written twice in different ways: ``Κωστοπούλου``,
``Kostopoulou`` and ``Costopoulou``; ``Иванова`` and ``Ivanova``. The tables
follow the usual romanisations of names (Greek ELOT 743 in its simple form,
Bulgarian's official streamlined system); Arabic script is left as it is, as
its vowels are not written and a letter-by-letter romanisation would invent
differences rather than remove them.

:func:`latin` works on text already folded by :func:`crm.core.text.fold`
(lower case, no accents or tonos).
"""

from __future__ import annotations

import re

_GREEK_PAIRS = {"ου": "ou", "μπ": "mp", "ντ": "nt", "γκ": "gk", "γγ": "ng"}
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(),  # noqa: SIM905
        strict=True,
    )
)
_CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюяёыэє",
        "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya e y e ye".split(),  # noqa: SIM905
        strict=True,
    )
)
_GREEK_PAIR = re.compile("|".join(_GREEK_PAIRS))
_LETTERS = str.maketrans({**_GREEK, **_CYRILLIC})


def latin(folded: str) -> str:
    """``folded`` with Greek and Cyrillic letters written in Latin ones."""
    if folded.isascii():
        return folded
    return _GREEK_PAIR.sub(lambda m: _GREEK_PAIRS[m.group()], folded).translate(_LETTERS)


# Spellings of one sound, most specific first: "ph" and "f", "c" before a hard
# vowel and "k", "ou" and "u" ...
_SOUNDS = (
    ("sch", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("ch", "h"),
    ("kh", "h"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("j", "i"),
    ("y", "i"),
    ("z", "s"),
)
_VOWELS = re.compile("[aeiou]+")
_REPEATS = re.compile(r"(.)\1+")


def sound_key(folded_word: str) -> str:
    """The consonants of a word as it sounds: ``kostopoulou`` and ``costopoulou`` give ``kstpl``.

    The first letter stays even when it is a vowel (``anna`` is ``ann`` → ``an``),
    so names that differ only in their vowels meet, and so do the spellings that
    :data:`_SOUNDS` makes the same.
    """
    word = latin(folded_word)
    if not word:
        return ""
    for spelling, sound in _SOUNDS:
        word = word.replace(spelling, sound)
    head, rest = word[0], _VOWELS.sub("", word[1:])
    return _REPEATS.sub(r"\1", head + rest)
