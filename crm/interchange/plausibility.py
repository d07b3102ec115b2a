"""How plausible a decoded text is as words people write: to choose among code pages.

On a short file charset-normalizer has too little to go on (a Greek cp1253 name read
as cp1251 is all Cyrillic letters, just nonsense ones). :func:`score` looks at each
word holding a non-ASCII letter: a word mixing scripts (``ضztürk``) is implausible;
in Greek, Cyrillic and Arabic a word scores by how many of its letter pairs are
common in those languages; in Latin script by whether its accented letters are ones
European languages use (``ý þ ð`` are rare, ``ş ğ ı`` are Turkish). Symbols where a
letter should be (``¶``, ``¼``) count against. Small tables, no per-file tuning.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Common letter pairs, accents stripped, lower case, final sigma as sigma.
_GREEK = (
    "ου το αι ει οσ ην τη κα ον απ πο ρο ερ τα αν ια ντ στ ησ ασ νι με ετ πα αλ λο ρα γι ιο "
    "ωρ ργ γο δο ολ λα ικ κο νο ρι εσ ισ συ υλ ελ λε πε μα μι νε οι ορ ρε σα σκ σο τι τρ ων "
    "ομ επ πω χα ηρ ιτ λη μο ατ αρ ευ ωσ θε εν ηλ ιλ κω νν ππ δη ημ αγ γγ γε ωτ ωμ υσ νη πι ρτ φι"
)
_CYRILLIC = (
    "ст но то на ен ов ни ра во ко ан ро ре ер пр ли ва ат не ка ор ол ес ал ет ин ев ле ла "
    "ло ки ск ий ей ой ая ич ма ми ия та те ти да де ди до ри ру со ль ть ив ил им ис ит ие "
    "ый ви ге ги ос от ем за ку ля мо ме ны об од ок ом он оп па пе по са се си сл тр ту ха "
    "че ше ек ел ад ай аз ак ам ав ар ас ег ен ик ин ир ка кс ла лг ле ли на ор ря сь тя ул "
    "ук ни ец ян ян ьо йо юл юр ве вл гр др ев ег ег ек жа жи иг ид из ий лю мы на ши ща щи"
)
_ARABIC = (
    "ال لا ام من مح حم مد لم ين ون لي يه ما عل لع بد عب ره حس سن را ار اه هي يم بر رح ان "
    "نا اد دي ري لح حد يد وا ها لل له مر ور سا اس سل لب عا لك كر يا ني في ود وس سف فا اط "
    "طم مه خا خل لد بو بن ست تر ات لت كا قا قر لق يل يس سع عد شر لش صا لص ز زي جا جم مع ت"
)
_PAIRS = {
    "GREEK": frozenset(_GREEK.split()),
    "CYRILLIC": frozenset(_CYRILLIC.split()),
    "ARABIC": frozenset(_ARABIC.split()),
}
# Accented Latin letters the languages of Europe (Turkish included) use every day.
_LATIN_COMMON = frozenset("áàâäãåæçéèêëíìîïñóòôöõøœúùûüÿßğışčćšžřěůłńśźżőű")
# Letters, with the combining marks that belong to them (Arabic shadda, Greek tonos).
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670"
_WORD_RE = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}])*")
# Non-ASCII characters that are not letters but are at home in text.
_TEXT_SYMBOLS = frozenset("«»‘’‚“”„–—…·°€£§©®™×\u00a0")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "?"


def _base(word: str) -> str:
    """Lower case without accents; final sigma as sigma."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c)
    )
    return plain.replace("ς", "σ")


def _word(word: str) -> float:
    """From -1 (nonsense) to 1 (as a person writes it) for a word with a non-ASCII letter."""
    scripts = {_script(c) for c in word if not unicodedata.combining(c)}
    if len(scripts) != 1:
        return -1.0 if scripts else 0.0
    script = scripts.pop()
    if script == "LATIN":
        return _latin(word)
    pairs = _PAIRS.get(script)
    plain = _base(word)
    if pairs is None or len(plain) < 2:
        return 0.0
    found = [plain[i : i + 2] in pairs for i in range(len(plain) - 1)]
    return (2 * sum(found) - len(found)) / len(found)


def _latin(word: str) -> float:
    """Accented letters are few and common ones, and never two in a row (``Áëåî`` is not)."""
    odd = [c for c in word if not c.isascii()]
    common = sum(1 for c in odd if c.lower() in _LATIN_COMMON)
    # Two accented letters in a row, or an accented capital after a small letter (``JosÈ``).
    runs = sum(
        1
        for a, b in itertools.pairwise(word)
        if not b.isascii() and (not a.isascii() or (a.islower() and b.isupper()))
    )
    return max(-1.0, (2 * common - len(odd) - 2 * runs) / len(odd))


def score(text: str) -> float:
    """The summed plausibility of ``text``'s non-ASCII words, less its stray symbols."""
    total = 0.0
    for word in _WORD_RE.findall(text):
        if not word.isascii():
            total += _word(word)
    for char in text:
        if char.isascii() or char.isalpha() or char in _TEXT_SYMBOLS or unicodedata.combining(char):
            continue
        total -= 1.0
    return total
