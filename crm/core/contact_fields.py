"""A contact's fields as a user gives them, and the checks they pass before they are stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm.core import clock, contact_table, models, phones, settings
from crm.core import text as usertext
from crm.core.errors import ValidationError
from crm.i18n import N_


@dataclass
class ContactData:
    """What a user can set on a contact; ``None`` in an update means "leave as is"."""

    given_name: str = ""
    family_name: str = ""
    organization: str | None = None
    title: str = ""
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    street: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""
    language: str = "en"
    birthday: str | dt.date | None = None
    channel: str = "other"
    stage: str = "prospect"
    marketing_consent: bool = False
    consent_date: dt.date | None = None
    notes: str = ""
    tags: Sequence[str] = ()
    stay_in_touch_days: int | None = None
    labels: dict[str, str] = field(default_factory=dict)


# -- field validation ---------------------------------------------------------


def validate_email(address: str) -> str:
    """The normalised address, or a ValidationError saying why it is not one."""
    text = address.strip()
    import email_validator  # loaded on first use: it pulls in dnspython

    try:
        result = email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ValidationError(
            code="contact_fields.email_valid", field="emails", text=text, exc=exc
        ) from None
    return str(result.normalized)


def normalize_phone(raw: str, region: str = "") -> tuple[str, str]:
    """``(E.164, original)`` for a phone number typed by the user.

    Numbers without a ``+`` country code are read in ``region`` (the profile's
    default region); without one they are refused rather than guessed.
    """
    return phones.parse(raw, region, "phones")


def parse_birthday(value: str | dt.date | None) -> str | None:
    """``YYYY-MM-DD`` or ``--MM-DD`` (year unknown), checked; ``None`` for none."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        text = value.strip()
        try:
            if text.startswith("--"):
                # 2000 is a leap year, so 29 February is accepted without a year.
                dt.date.fromisoformat("2000-" + text[2:])
                if len(text) != 7:
                    raise ValueError
                return text
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                code="contact_fields.birthday_date_use_yyyy", field="birthday", text=text
            ) from None
    if day > clock.today():
        raise ValidationError(
            code="contact_fields.birthday_future", field="birthday", day=day.isoformat()
        )
    if day.year < 1900:
        raise ValidationError(
            code="contact_fields.birthday_before_1900", field="birthday", day=day.isoformat()
        )
    return day.isoformat()


_choice = contact_table.choice


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code and not phones.is_region(code):
        raise ValidationError(
            code="contact_fields.country_two_letter_iso", field="country", value=value
        )
    return code


NAME_LIMIT = 120
# (label, limit) of each text field, as long as its column in models.Contact; the
# importers check the same limits.
TEXT_LIMITS = {
    "given_name": (N_("A given name"), NAME_LIMIT),
    "family_name": (N_("A family name"), NAME_LIMIT),
    "title": (N_("The title"), 120),
    "street": (N_("The street"), 200),
    "city": (N_("The city"), 120),
    "postcode": (N_("The postcode"), 20),
    "region": (N_("The region"), 120),
    "url": (N_("The web address"), 300),
    "notes": (N_("Notes"), usertext.NOTES_LIMIT),
}
_LINES = ("title", "street", "city", "postcode", "region")


def _names(data: ContactData) -> tuple[str, str]:
    # A part that draws nothing (zero-width spaces, fillers) counts as empty.
    given, family = (
        part if usertext.is_visible(part) else ""
        for part in map(usertext.clean_line, (data.given_name, data.family_name))
    )
    if not given and not family:
        if (data.given_name or "").strip() or (data.family_name or "").strip():
            raise ValidationError(
                code="contact_fields.name_made_only_invisible", field="given_name"
            )
        raise ValidationError(code="contact_fields.contact_needs_given_family", field="given_name")
    return check_limit("given_name", given), check_limit("family_name", family)


def check_limit(field: str, value: str) -> str:
    """``value`` when it fits in the field's limit, else a ValidationError naming both."""
    label, limit = TEXT_LIMITS[field]
    return usertext.limited(value, limit, label, field)


def validated(data: ContactData) -> dict[str, Any]:
    """The contact's own fields, checked and tidied (emails, phones and tags aside)."""
    given, family = _names(data)
    if data.stay_in_touch_days is not None and not 1 <= data.stay_in_touch_days <= 3650:
        raise ValidationError(
            code="contact_fields.stay_touch_cadence_1", field="stay_in_touch_days"
        )
    if data.consent_date and data.consent_date > clock.today():
        raise ValidationError(code="contact_fields.consent_date_future", field="consent_date")
    lines = {name: check_limit(name, usertext.clean(getattr(data, name))) for name in _LINES}
    return {
        "given_name": given,
        "family_name": family,
        **lines,
        "country": country_code(usertext.clean(data.country)),
        "language": _choice(data.language, models.LANGUAGES, "Language", "language"),
        "birthday": parse_birthday(data.birthday),
        "channel": _choice(data.channel, models.CHANNELS, "Channel", "channel"),
        "stage": _choice(data.stage, models.STAGES, "Stage", "stage"),
        "marketing_consent": bool(data.marketing_consent),
        "consent_date": data.consent_date or (clock.today() if data.marketing_consent else None),
        "notes": usertext.field_notes(data.notes),
        "stay_in_touch_days": data.stay_in_touch_days,
    }


def clean_emails(emails: Iterable[str]) -> list[str]:
    """Valid, normalised addresses without repeats (case-insensitive)."""
    seen: dict[str, str] = {}
    for raw in emails:
        if raw and raw.strip():
            addr = validate_email(raw)
            seen.setdefault(addr.lower(), addr)
    return list(seen.values())


def clean_phones(numbers: Iterable[str]) -> list[tuple[str, str]]:
    """``(E.164, original)`` pairs without repeats, read in the profile's region."""
    region = settings.profile().default_region
    seen: dict[str, tuple[str, str]] = {}
    for raw in numbers:
        if raw and raw.strip():
            e164, original = normalize_phone(raw, region)
            seen.setdefault(e164, (e164, original))
    return list(seen.values())


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tag names with spaces tidied, without repeats (case-insensitive)."""
    out: dict[str, str] = {}
    for raw in tags:
        name = usertext.clean_line(raw)
        if not name:
            continue
        if len(name) > 80:
            raise ValidationError(
                code="contact_fields.tag_longer_80_characters", field="tags", name=name[:20]
            )
        out.setdefault(name.casefold(), name)
    return list(out.values())
