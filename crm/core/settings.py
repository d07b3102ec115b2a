"""Typed settings with defaults, stored as key/value rows.

Adding a setting needs no schema change: declare it here with its default.
"""

from __future__ import annotations

import json
import locale
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from crm.core import models, phones
from crm.core.errors import ValidationError

# key -> (default, minimum, maximum) for numbers; (default, None, None) otherwise.
DEFAULTS: dict[str, tuple[Any, int | None, int | None]] = {
    "referral_cooldown_days": (90, 0, 3650),
    "followup_new_referral_days": (2, 0, 365),
    "followup_met_days": (3, 0, 365),
    "birthday_window_days": (14, 0, 366),
    "backup_keep": (10, 1, 1000),
    # "" keeps automatic backups in a "backups" folder beside the database.
    "backup_dir": ("", None, None),
    # The reward policy (crm.core.reward_policy): amounts are Decimal text; "" cap is no cap.
    "reward_trigger": ("won", None, None),
    "reward_amount_mode": ("fixed", None, None),
    "reward_fixed_amount": ("25", None, None),
    "reward_percent": ("5", None, None),
    "reward_cap": ("100", None, None),
    "reward_sides": ("one", None, None),
    "reward_kind": ("thank_you_letter", None, None),
    # A voucher's holder is rewarded when it is redeemed, or when the friend's referral is won.
    "reward_voucher_holder": ("won", None, None),
    # At most this many rewards per giver every reward_limit_days (0: no limit).
    "reward_limit_count": (0, 0, 1000),
    "reward_limit_days": (30, 1, 3650),
}

# Text settings that take one of a few codes: key -> (what it is, the codes).
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "reward_trigger": ("The reward trigger", ("received", "won")),
    "reward_amount_mode": ("The reward amount", ("fixed", "percent")),
    "reward_sides": ("Who is rewarded", ("one", "two")),
    "reward_kind": ("The kind of reward", models.REWARD_KINDS),
    "reward_voucher_holder": ("When a voucher's holder is rewarded", ("redemption", "won")),
}
# Text settings that hold a number as Decimal text: key -> (what it is, maximum, may be empty).
AMOUNTS: dict[str, tuple[str, Decimal, bool]] = {
    "reward_fixed_amount": ("The fixed reward", Decimal("1e9"), False),
    "reward_percent": ("The reward percentage", Decimal("100"), False),
    "reward_cap": ("The cap on a percentage reward", Decimal("1e9"), True),
}


def _check(key: str) -> tuple[Any, int | None, int | None]:
    if key not in DEFAULTS:
        raise ValidationError(f"Unknown setting '{key}'; known: {', '.join(sorted(DEFAULTS))}")
    return DEFAULTS[key]


def get(key: str) -> Any:
    """The stored value of ``key``, or its default."""
    default, _lo, _hi = _check(key)
    row = models.Setting.get_or_none(models.Setting.key == key)
    return default if row is None else json.loads(row.value)


def clean_value(key: str, value: Any) -> Any:
    """``value`` as ``key`` stores it, after checking its type and range."""
    default, lo, hi = _check(key)
    if isinstance(default, int):
        try:
            # int() would quietly cut 3.5 down to 3 and read True as 1.
            if isinstance(value, bool) or (not isinstance(value, str) and int(value) != value):
                raise ValueError(value)
            value = int(value)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                f"Setting '{key}' must be a whole number, not '{value}'", key
            ) from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValidationError(
                f"Setting '{key}' must be between {lo} and {hi}, not {value}", key
            )
    elif isinstance(default, str):
        if key in AMOUNTS and isinstance(value, int | Decimal) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValidationError(f"Setting '{key}' must be text, not '{value}'", key)
        value = value.strip()
        if key == "backup_dir":
            value = _backup_dir(value)
        elif key in CHOICES:
            what, codes = CHOICES[key]
            if value not in codes:
                raise ValidationError(
                    f"{what} must be one of {', '.join(codes)}, not '{value}'", key
                )
        elif key in AMOUNTS:
            value = _amount_text(key, value)
    return value


def _amount_text(key: str, text: str) -> str:
    what, most, may_be_empty = AMOUNTS[key]
    if not text and may_be_empty:
        return ""
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{what} '{text}' is not a number", key) from None
    if not amount.is_finite():
        raise ValidationError(f"{what} '{text}' is not a number", key)
    if amount < 0:
        raise ValidationError(f"{what} {amount} is negative", key)
    if amount > most:
        raise ValidationError(f"{what} must be at most {most:f}, not {amount}", key)
    if amount == 0 and may_be_empty:
        raise ValidationError(f"{what} must be more than 0; leave it empty for none", key)
    return str(amount.quantize(Decimal("0.01")))


def _backup_dir(text: str) -> str:
    if not text:
        return ""
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        raise ValidationError(
            f"The backup folder '{text}' must be a full path, such as /home/me/Backups",
            "backup_dir",
        )
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"'{text}' is a file, not a folder", "backup_dir")
    return str(folder)


def set_value(key: str, value: Any) -> None:
    """Store ``value`` for ``key`` after checking its type and range."""
    models.put(models.Setting, key, json.dumps(clean_value(key, value)))


def all_settings() -> dict[str, Any]:
    stored = {r.key: json.loads(r.value) for r in models.Setting.select()}
    return {k: stored.get(k, d[0]) for k, d in DEFAULTS.items()}


def profile() -> models.Profile:
    """The sender profile (created on first use, with the system's phone region)."""
    prof, _ = models.Profile.get_or_create(id=1, defaults=first_profile())
    return prof


def first_profile() -> dict[str, Any]:
    """The fields a new profile starts with: the phone region of the system locale."""
    return {"default_region": locale_region()}


_LOCALE_REGION = re.compile(r"[a-z]{2,3}[_-]([A-Za-z]{2})(?![A-Za-z])")


def locale_region(name: str | None = None) -> str:
    """The region of a locale name (``it_IT.UTF-8`` → ``IT``), by default the system's.

    The environment speaks first, as POSIX reads it (LC_ALL, LC_CTYPE, LANG);
    else the locale the process runs in. "C", "POSIX" or an unknown region give "".
    """
    if name is None:
        name = next(
            (os.environ[k] for k in ("LC_ALL", "LC_CTYPE", "LANG") if os.environ.get(k)), ""
        ) or (locale.setlocale(locale.LC_CTYPE) or "")
    match = _LOCALE_REGION.match(name.strip())
    if match is None:
        return ""
    code = match[1].upper()
    return code if phones.is_region(code) else ""


# -- the sender profile ---------------------------------------------------------------

PROFILE_FIELDS = (
    "name",
    "company",
    "street",
    "city",
    "postcode",
    "country",
    "email",
    "phone",
    "logo_path",
    "signature_path",
    "currency",
    "page_size",
    "default_region",
    "language",
)

# Active ISO 4217 codes (and a few just withdrawn that old records still carry).
_CURRENCY_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD
    JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF
    XPF YER ZAR ZMW ZWG
"""
CURRENCIES = frozenset(_CURRENCY_CODES.split())

# Image files a letter can carry, by their first bytes.
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}

_LABELS = {
    "name": "Name",
    "company": "Company",
    "street": "Street",
    "city": "City",
    "postcode": "Postcode",
    "logo_path": "Logo file",
    "signature_path": "Signature file",
}


def _image(field: str, text: str) -> str:
    if not text:
        return ""
    path = Path(text).expanduser()
    what = _LABELS[field]
    if not path.is_file():
        raise ValidationError(f"{what} '{text}' does not exist", field)
    with path.open("rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
        raise ValidationError(f"{what} '{path.name}' is not a PNG or JPEG image", field)
    return str(path.resolve())


def _region(field: str, text: str, what: str) -> str:
    code = text.strip().upper()
    if code and not phones.is_region(code):
        raise ValidationError(
            f"{what} '{text.strip()}' is not a two-letter ISO country code", field
        )
    return code


def _phone(text: str, region: str) -> str:
    if not text:
        return ""
    phones.parse(text, region, "phone")
    return text  # printed on letters as the user wrote it


def clean_profile(**fields: Any) -> dict[str, Any]:
    """The given profile fields checked and normalised; raises for the first bad one.

    A phone without a country code is read in the default region given along
    with it, else the stored one.
    """
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
            raise ValidationError(f"Unknown profile field '{key}'", key)
        if not isinstance(value, str):
            raise ValidationError(f"Profile field '{key}' must be text, not '{value}'", key)
        # Paths keep their inner spaces; other text has its runs of spaces collapsed.
        out[key] = value.strip() if key.endswith("_path") else " ".join(value.split())
    for key in ("name", "company", "street", "city", "postcode"):
        if key in out:
            limit = getattr(models.Profile, key).max_length
            if len(out[key]) > limit:
                raise ValidationError(f"{_LABELS[key]} is longer than {limit} characters", key)
    if "country" in out:
        out["country"] = _region("country", out["country"], "Country")
    if "default_region" in out:
        out["default_region"] = _region("default_region", out["default_region"], "Phone region")
    if out.get("email"):
        import email_validator  # loaded on first use: it pulls in dnspython

        try:
            result = email_validator.validate_email(out["email"], check_deliverability=False)
        except email_validator.EmailNotValidError as exc:
            raise ValidationError(f"Email '{out['email']}' is not valid: {exc}", "email") from None
        out["email"] = str(result.normalized)
    if "phone" in out:
        region = out.get("default_region")
        if region is None:
            region = str(profile().default_region)
        out["phone"] = _phone(out["phone"], region)
    for key in ("logo_path", "signature_path"):
        if key in out:
            out[key] = _image(key, out[key])
    if "currency" in out:
        code = out["currency"].upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            raise ValidationError(
                f"Currency '{out['currency']}' is not a three-letter ISO code", "currency"
            )
        if code not in CURRENCIES:
            raise ValidationError(f"Currency '{code}' is not an ISO 4217 currency", "currency")
        out["currency"] = code
    if "page_size" in out and out["page_size"] not in models.PAGE_SIZES:
        raise ValidationError(
            f"Page size must be one of {', '.join(models.PAGE_SIZES)}, not '{out['page_size']}'",
            "page_size",
        )
    if "language" in out and out["language"] not in models.LANGUAGES:
        raise ValidationError(
            f"Language must be one of {', '.join(models.LANGUAGES)}, not '{out['language']}'",
            "language",
        )
    return out


def update_profile(**fields: Any) -> models.Profile:
    """Change the sender profile: every field is checked first, then all are written."""
    clean = clean_profile(**fields)
    with models.database_proxy.atomic():
        prof = profile()
        for key, value in clean.items():
            setattr(prof, key, value)
        prof.save()
    return prof


def save_preferences(profile_fields: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Write the profile and settings together: all of them, or (on a refusal) none."""
    clean = {key: clean_value(key, value) for key, value in values.items()}
    with models.database_proxy.atomic():
        update_profile(**profile_fields)
        for key, value in clean.items():
            models.put(models.Setting, key, json.dumps(value))
