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
        raise ValidationError(code="phones.phone_number_empty", field=field)
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
                code="phones.phone_country_code_write", field=field, original=original
            ) from None
        raise ValidationError(
            code="phones.phone_phone_number", field=field, original=original, where=where
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            code="phones.phone_valid_number", field=field, original=original, where=where
        )
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
