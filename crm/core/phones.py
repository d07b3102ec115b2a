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
    code = region.upper()
    local = not original.startswith(("+", "00"))
    # A local number is read in a region: the hint names it, so that a number
    # from elsewhere is seen to need its own country code.
    where = f" in {region_label(code)}" if code and local else ""
    try:
        parsed = phonenumbers.parse(original, code or None)
    except phonenumbers.NumberParseException:
        if not code and local:
            raise ValidationError(
                f"Phone '{original}' has no country code: write it as +<country code> ... "
                "or set a default region in the profile",
                field,
            ) from None
        raise ValidationError(f"Phone '{original}' is not a phone number{where}", field) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(f"Phone '{original}' is not a valid number{where}", field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), original


def region_label(code: str) -> str:
    """A region as a hint names it: ``IT (+39)``."""
    import phonenumbers

    calling = phonenumbers.country_code_for_region(code.upper())
    return f"{code.upper()} (+{calling})" if calling else code.upper()


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
