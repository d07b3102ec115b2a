"""Voucher codes: the alphabet, the check character's guarantees, typing and refusals."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.core import codes
from crm.core.errors import ValidationError

A = codes.ALPHABET
bodies = st.text(alphabet=A, min_size=codes.BODY_LENGTH, max_size=codes.BODY_LENGTH)


def compact_of(code: str) -> str:
    return code[len(codes.PREFIX) :].replace("-", "")


def single_substitutions(compact: str):
    for i, ch in enumerate(compact):
        for other in A:
            if other != ch:
                yield compact[:i] + other + compact[i + 1 :]


def adjacent_transpositions(compact: str):
    for i in range(len(compact) - 1):
        if compact[i] != compact[i + 1]:
            yield compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]


# -- the alphabet ----------------------------------------------------------------


def test_alphabet_is_unambiguous_and_prime_sized():
    assert not set("0O1IL") & set(A)
    assert len(set(A)) == len(A) == 31
    assert all(31 % d for d in range(2, 31))
    assert "".join(sorted(A)) == A


def test_generated_codes_look_like_the_example():
    rng = random.Random(7)
    for _ in range(500):
        code = codes.generate(rng)
        prefix, g1, g2, check = code.split("-")
        assert prefix == "PSP" and len(g1) == len(g2) == 4 and len(check) == 1
        assert set(g1 + g2 + check) <= set(A)
        assert codes.validate(code) == code


def test_generated_codes_spread_over_the_alphabet():
    rng = random.Random(3)
    seen = {ch for _ in range(300) for ch in compact_of(codes.generate(rng))}
    assert seen == set(A)


# -- the check character: exhaustive proofs on small cases -----------------------


def test_weighted_differences_are_never_a_multiple_of_31():
    """The algebra behind the guarantees, checked for every weight and difference used."""
    n = codes.BODY_LENGTH + 1
    for w in range(1, n + 1):
        for d in range(1, 31):
            assert (w * d) % 31  # a substitution at weight w changing the value by d
    for wi, wj in itertools.combinations(range(1, n + 1), 2):
        for d in range(1, 31):
            assert ((wi - wj) * d) % 31  # a transposition of two different values


@pytest.mark.parametrize("length", [1, 2])
def test_every_error_caught_over_every_short_body(length):
    """Exhaustive: every body of this length, every substitution and adjacent swap."""
    for body in itertools.product(A, repeat=length):
        compact = codes.with_check("".join(body))
        assert codes.is_consistent(compact)
        for wrong in single_substitutions(compact):
            assert not codes.is_consistent(wrong), (compact, wrong)
        for wrong in adjacent_transpositions(compact):
            assert not codes.is_consistent(wrong), (compact, wrong)


def test_every_transposition_caught_even_far_apart():
    rng = random.Random(11)
    for _ in range(300):
        compact = compact_of(codes.generate(rng))
        for i, j in itertools.combinations(range(len(compact)), 2):
            if compact[i] != compact[j]:
                swapped = list(compact)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert not codes.is_consistent("".join(swapped))


# -- the check character: properties over many random codes ------------------------


@settings(max_examples=400, deadline=None)
@given(bodies)
def test_every_single_substitution_is_caught(body):
    code = codes.format_code(codes.with_check(body))
    assert codes.validate(code) == code
    for wrong in single_substitutions(compact_of(code)):
        with pytest.raises(ValidationError, match="has a typo: its check character"):
            codes.validate(wrong)


@settings(max_examples=400, deadline=None)
@given(bodies)
def test_every_adjacent_transposition_is_caught(body):
    compact = codes.with_check(body)
    for wrong in adjacent_transpositions(compact):
        with pytest.raises(ValidationError, match="does not match"):
            codes.validate(codes.format_code(wrong))


@settings(max_examples=200, deadline=None)
@given(bodies, st.data())
def test_any_typing_of_a_code_normalizes_to_it(body, data):
    code = codes.format_code(codes.with_check(body))
    compact = compact_of(code)
    with_prefix = data.draw(st.booleans())
    chars = list(("PSP" if with_prefix else "") + compact)
    typed = ""
    for ch in chars:
        typed += data.draw(st.sampled_from(["", " ", "-", "  ", " - "]))
        typed += ch.lower() if data.draw(st.booleans()) else ch
    typed += data.draw(st.sampled_from(["", " ", "\n"]))
    assert codes.normalize(typed) == code
    assert codes.validate(typed) == code


# -- typing --------------------------------------------------------------------------


def test_typing_variants():
    code = codes.generate(random.Random(5))
    compact = compact_of(code)
    spaced = f"{compact[:4]} {compact[4:8]} {compact[8]}"
    assert codes.validate(spaced.lower()) == code
    assert codes.validate(f"psp {spaced}") == code
    assert codes.validate(f"  PSP–{compact[:4]}–{compact[4:]}  ") == code  # en dashes
    assert codes.validate(compact.lower()) == code


def test_greek_and_cyrillic_lookalikes_are_read_as_latin():
    body = "PHKE2345"  # P, H, K, E exist in Greek and Cyrillic capitals
    code = codes.format_code(codes.with_check(body))
    check = code[-1]
    assert codes.validate("ΡΗΚΕ2345" + check) == code  # Greek Rho, Eta, Kappa, Epsilon
    assert codes.validate("РНКЕ-2345-" + check) == code  # Cyrillic Er, En, Ka, Ie
    assert codes.validate("рнке 2345 " + check.lower()) == code
    assert codes.validate("РЅР-PHKE-2345-" + check) == code  # Cyrillic Er, Dze, Er


def test_a_bare_body_starting_with_psp_is_not_mistaken_for_the_prefix():
    code = codes.format_code(codes.with_check("PSPA2345"))
    assert code.startswith("PSP-PSPA-")
    assert codes.validate(compact_of(code)) == code
    assert codes.validate(code.replace("-", "")) == code


# -- refusals --------------------------------------------------------------------------


def refusal(typed: str) -> str:
    with pytest.raises(ValidationError) as info:
        codes.validate(typed)
    assert info.value.field == "code"
    return info.value.message


def test_bad_check_character_message():
    code = codes.generate(random.Random(9))
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert refusal(wrong) == (
        f"The code '{wrong}' has a typo: its check character does not match. "
        "Check each character against the printed voucher"
    )


@pytest.mark.parametrize("char", list("0O1IL"))
def test_never_used_characters_are_named(char):
    message = refusal(f"PSP-7KQ{char}-M9XT-S")
    assert f"contains '{char}', which voucher codes never use" in message
    assert "codes have no O, 0, I, 1 or L" in message


def test_other_characters_are_named_with_the_alphabet():
    message = refusal("PSP-7KQ#-M9X€-S")
    assert "contains '#', '€', which voucher codes never use" in message
    assert codes.ALPHABET in message


@pytest.mark.parametrize(
    ("typed", "count"),
    [("PSP-7KQ4-M9XT", 8), ("7KQ4M9XTSS", 10), ("PSP", 3), ("K", 1), ("PSP-7KQ4-M9XT-SSS", 11)],
)
def test_wrong_length_is_refused_with_the_count(typed, count):
    message = refusal(typed)
    assert f"has {count} characters after the PSP prefix; a voucher code has 9" in message
    assert codes.EXAMPLE in message
    assert codes.validate(codes.EXAMPLE) == codes.EXAMPLE


@pytest.mark.parametrize("typed", ["", "   ", " - "])
def test_empty_code_is_refused(typed):
    if typed.strip():
        assert "has 0 characters" in refusal(typed)
    else:
        assert refusal(typed) == "Type the voucher code: it is empty"


def test_check_character_rejects_bodies_too_long_for_distinct_weights():
    codes.check_character("2" * 29)
    with pytest.raises(ValueError):
        codes.check_character("2" * 30)
