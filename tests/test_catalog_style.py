"""How the translations write: what a native reader expects beyond the words."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from crm.i18n_catalogs import LOCALE_DIR


def _strings(code: str) -> list[tuple[str, str]]:
    with (LOCALE_DIR / code / "LC_MESSAGES" / "crm.po").open("rb") as fh:
        catalog = read_po(fh)
    out = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out.extend((ids[0], s) for s in strings if ids[0] and s)
    return out


@pytest.mark.parametrize("code", ["el", "bg", "it", "ar"])
def test_and_is_a_word_not_an_ampersand(code):
    # "Money && Paper" (a literal "&" in Qt) reads "Χρήματα και χαρτί": the ampersand is
    # English typography, and Arabic has none.
    shown = [(i, s) for i, s in _strings(code) if "&&" in s]
    assert not shown, shown


@pytest.mark.parametrize("code", ["el", "bg", "ar"])
def test_no_english_interface_word_is_left_in_the_translation(code):
    # Words a translator may keep by habit, which are English in these scripts.
    english = re.compile(r"(?<![{\w.])(E-?mail|OK|Influencer|Cancel|Save)(?![\w}])", re.I)
    left = [(i, s) for i, s in _strings(code) if english.search(re.sub(r"\{[^{}]*\}", "", s))]
    # The import's column targets are words of its syntax ("email:<label>").
    left = [(i, s) for i, s in left if "email:<" not in s]
    assert not left, left
