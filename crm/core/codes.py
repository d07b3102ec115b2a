"""Gift voucher codes: short, unambiguous, read aloud in groups, with a check character.

A code reads ``PSP-7KQ4-M9XT-C``: an optional prefix, eight random characters in
two groups of four (easy to read over the phone), and a final check character.

The alphabet has 31 characters: the digits 2-9 and the letters A-Z without I, L
and O. 0/O and 1/I/L are left out because people cannot tell them apart on paper.
The remaining look-alike pairs (5/S, 2/Z, 8/B, U/V) are kept: 31 is prime, which
the check needs, and the check character catches any one of them misread anyway.

The check: number the characters of body + check 1..n (weights 1..n, n <= 30) and
choose the check character so that ``sum(weight * value) % 31 == 0``.

* One character replaced by another changes the sum by ``w * d`` with
  ``0 < w < 31`` and ``0 < |d| < 31``; 31 is prime, so that is never a multiple
  of 31: every single substitution is caught.
* Two different characters swapped (adjacent or not) change it by
  ``(w_i - w_j) * (v_j - v_i)``; the weights are distinct and below 31, so this is
  never a multiple of 31 either: every transposition is caught.

Typing: case does not matter; spaces, dashes, dots and underscores are ignored;
Greek and Cyrillic capitals that look exactly like Latin ones (a Greek or
Bulgarian keyboard left on) are read as the Latin letter. The characters the
codes never use (O, 0, I, 1, L) are refused with a message that says so rather
than guessed at: O could have been D or Q, and 1 could have been 7, J or T, and
a wrong guess would silently spend the check character's protection.
"""

from __future__ import annotations

import random
import unicodedata

from crm.core.errors import ValidationError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
PREFIX = "PSP"  # Passaparola
BODY_LENGTH = 8
GROUP = 4
NEVER_USED = "0O1IL"

# Separators people type or paste: spaces of every kind, dashes, dots, underscores.
_SEPARATORS = frozenset(" \t\n\r\u00a0\u2009\u202f-_.\u2010\u2011\u2012\u2013\u2014\u2212/")

# Greek and Cyrillic capitals drawn exactly like a Latin capital of the alphabet
# (or like one of the letters the codes never use, so the message can name it).
_LOOKALIKES = str.maketrans(
    {
        # Greek
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        # Cyrillic
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
    }
)


def check_character(body: str) -> str:
    """The check character for ``body`` (characters of the alphabet, at most 29)."""
    if len(body) >= BASE - 1:
        raise ValueError(f"a code body has at most {BASE - 2} characters")
    total = sum((i + 1) * VALUES[ch] for i, ch in enumerate(body))
    weight = len(body) + 1
    # weight * value ≡ -total (mod 31); the inverse exists because 31 is prime.
    value = (-total * pow(weight, -1, BASE)) % BASE
    return ALPHABET[value]


def is_consistent(compact: str) -> bool:
    """True when the last character of ``compact`` (body + check) checks out."""
    return sum((i + 1) * VALUES[ch] for i, ch in enumerate(compact)) % BASE == 0


def format_code(compact: str) -> str:
    """``7KQ4M9XTC`` → ``PSP-7KQ4-M9XT-C``: groups of four, the check character last."""
    body, check = compact[:-1], compact[-1]
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups, check])


def with_check(body: str) -> str:
    """``body`` followed by its check character."""
    return body + check_character(body)


EXAMPLE = format_code(with_check("7KQ4M9XT"))


def generate(rng: random.Random) -> str:
    """A new random code such as ``PSP-7KQ4-M9XT-C``.

    Pass ``random.SystemRandom()`` for codes nobody can predict, a seeded
    ``random.Random`` for repeatable ones.
    """
    body = "".join(rng.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_code(with_check(body))


def _compact(typed: str) -> str:
    text = unicodedata.normalize("NFKC", typed).upper().translate(_LOOKALIKES)
    return "".join(ch for ch in text if ch not in _SEPARATORS)


def normalize(typed: str) -> str:
    """The code as stored (``PSP-7KQ4-M9XT-C``) from however it was typed or scanned.

    Ignores case, spaces and dashes; the prefix may be left out. Refuses (with
    :class:`ValidationError`) characters the codes never use and a wrong length;
    it does not look at the check character (:func:`validate` does).
    """
    shown = typed.strip()
    if not shown:
        raise ValidationError(code="codes.type_voucher_code_empty", field="code")
    compact = _compact(typed)
    length = BODY_LENGTH + 1
    # A bare body may itself start with "PSP"; only a longer text carries the prefix.
    if len(compact) > length and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    bad = sorted({ch for ch in compact if ch not in VALUES}, key=compact.index)
    if bad:
        never = [ch for ch in bad if ch in NEVER_USED]
        listed = ", ".join(f"'{ch}'" for ch in bad)
        if never:
            raise ValidationError(
                code="codes.characters_never_used", field="code", shown=shown, listed=listed
            )
        raise ValidationError(
            code="codes.characters_not_in_alphabet",
            field="code",
            shown=shown,
            listed=listed,
            alphabet=ALPHABET,
        )
    if len(compact) != length:
        raise ValidationError(
            code="codes.code_characters_after_prefix",
            field="code",
            shown=shown,
            compact_count=len(compact),
            prefix=PREFIX,
            length=length,
            example=EXAMPLE,
        )
    return format_code(compact)


def validate(typed: str) -> str:
    """The stored form of a typed code whose check character matches; else ValidationError."""
    code = normalize(typed)
    compact = code[len(PREFIX) :].replace("-", "")
    if not is_consistent(compact):
        raise ValidationError(
            code="codes.code_typo_check_character", field="code", typed=typed.strip()
        )
    return code
