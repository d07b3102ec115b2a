"""Phone numbers as people type them, checked with the phonenumbers library."""

from __future__ import annotations

from crm.core.errors import ValidationError


def parse(text: str, region: str, field: str) -> tuple[str, str]:
    """``(E.164, original)`` for a typed number; ``region`` reads local numbers.

    Without a ``+`` country code and without a region the number is refused
    rather than guessed.
    """
    import phonenumbers  # loaded on first use: a large metadata package

    original = " ".join(text.split())
    if not original:
        raise ValidationError("The phone number is empty", field)
    try:
        parsed = phonenumbers.parse(original, region.upper() or None)
    except phonenumbers.NumberParseException:
        if not region and not original.startswith(("+", "00")):
            raise ValidationError(
                f"Phone '{original}' has no country code: write it as +30 ... or set "
                "a default region in the profile",
                field,
            ) from None
        raise ValidationError(f"Phone '{original}' is not a phone number", field) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(f"Phone '{original}' is not a valid number", field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), original


def is_region(code: str) -> bool:
    """Whether ``code`` is a two-letter region phonenumbers knows."""
    import phonenumbers

    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def display(number: str) -> str:
    """A stored (E.164) number written for people: ``+30 21 0123 4567``."""
    if not number.startswith("+"):
        return number
    import phonenumbers  # loaded on first use: a large metadata package

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
