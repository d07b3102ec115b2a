"""A pseudo-translation made in memory: every message accented, ~40% longer, in markers.

``Save…`` becomes ``⟦Šåṽé…·⟧``: a tester sees at once which words came from the
catalog (they wear the markers), which are too long for their widget (the 40% is
what Greek or Italian usually adds to English), and the placeholders are left as
they are so every ``format()`` and ``%`` still works. Every message asked for is
translated this way; tests/test_catalogs.py checks that each of them is in the
catalog, so "asked for" and "in the catalog" are the same set.
"""

from __future__ import annotations

import gettext
import re

OPEN, CLOSE, PAD = "⟦", "⟧", "·"

_ACCENTS = str.maketrans(
    "abcdeghiklmnorstuwyzABCDEGHIKLMNORSTUWYZ",
    "åƀçđéĝĥîķļɱñöŕšţûŵýžÅƁÇĐÉĜĤÎĶĻṀÑÖŔŠŢÛŴÝŽ",
)
# What must stay as it is: format fields, printf and Qt placeholders, accelerators,
# tags and entities, and the bidi isolates the formatting helpers add.
_KEEP = re.compile(
    r"\{[^{}]*\}|%\([a-z_]+\)[sdfr]|%[sdfr%]|%[0-9n]|&&|&[^\s&]|<[^<>]*>|&[a-z]+;|[\u2066-\u2069]"
)


def pseudo(message: str) -> str:
    """``message`` accented, padded to about 140% of its length, in markers ("" stays "")."""
    if not message.strip():
        return message
    out: list[str] = []
    start = 0
    for match in _KEEP.finditer(message):
        out.append(message[start : match.start()].translate(_ACCENTS))
        out.append(match.group(0))
        start = match.end()
    out.append(message[start:].translate(_ACCENTS))
    padding = PAD * max(1, round(len(_KEEP.sub("", message)) * 0.4) - 2)
    # Multi-line messages are padded line by line so no line is left unmarked.
    lines = "".join(out).split("\n")
    return "\n".join(f"{OPEN}{line}{padding}{CLOSE}" if line.strip() else line for line in lines)


def marked(text: str) -> bool:
    """Whether ``text`` holds at least one pseudo-translated message."""
    return OPEN in text and CLOSE in text


def unmarked(text: str) -> str:
    """``text`` with every pseudo-translated message taken out (what is left is data).

    Innermost first: a message may hold another ("⟦⟦Ŵöñ⟧: 12 ŕéféŕŕåļš⟧").
    """
    innermost = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while innermost.search(text):
        text = innermost.sub(" ", text)
    return text


class PseudoTranslations(gettext.NullTranslations):
    """A catalog answering every message with its pseudo-translation."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
