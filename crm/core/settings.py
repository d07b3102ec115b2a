"""Typed settings with defaults, stored as key/value rows.

Adding a setting needs no schema change: declare it here with its default.
"""

from __future__ import annotations

import json
import locale
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from crm import i18n
from crm.core import models, phones
from crm.core.amounts import parse_amount
from crm.core.errors import ValidationError
from crm.i18n import N_, Term

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
    # The mail server (crm.core.mail_server); its password lives in the system keyring only.
    "smtp.host": ("", None, None),
    "smtp.port": (587, 1, 65535),
    "smtp.security": ("starttls", None, None),
    "smtp.user": ("", None, None),
    "smtp.from": ("", None, None),
    # The language of printed briefings; "" follows the interface language (else English).
    "briefing_language": ("", None, None),
}

# Text settings that take one of a few codes: key -> (what it is, the codes).
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "reward_trigger": (N_("The reward trigger"), ("received", "won")),
    "reward_amount_mode": (N_("The reward amount"), ("fixed", "percent")),
    "reward_sides": (N_("Who is rewarded"), ("one", "two")),
    "reward_kind": (N_("The kind of reward"), models.REWARD_KINDS),
    "reward_voucher_holder": (N_("When a voucher's holder is rewarded"), ("redemption", "won")),
    "smtp.security": (N_("The mail server's security"), ("starttls", "ssl", "none")),
}
# Text settings that hold a number as Decimal text: key -> (what it is, maximum, may be empty).
AMOUNTS: dict[str, tuple[str, Decimal, bool]] = {
    "reward_fixed_amount": (N_("The fixed reward"), Decimal("1e9"), False),
    "reward_percent": (N_("The reward percentage"), Decimal("100"), False),
    "reward_cap": (N_("The cap on a percentage reward"), Decimal("1e9"), True),
}


def _check(key: str) -> tuple[Any, int | None, int | None]:
    if key not in DEFAULTS:
        raise ValidationError(
            code="settings.unknown_setting_known", key=key, defaults=", ".join(sorted(DEFAULTS))
        )
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
                code="settings.setting_whole_number", field=key, key=key, value=value
            ) from None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValidationError(
                code="settings.setting_between", field=key, key=key, lo=lo, hi=hi, value=value
            )
    elif isinstance(default, str):
        if key in AMOUNTS and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return _amount_text(key, Decimal(value))  # a number from code, not typed text
        if not isinstance(value, str):
            raise ValidationError(code="settings.setting_text", field=key, key=key, value=value)
        value = value.strip()
        if key == "backup_dir":
            value = _backup_dir(value)
        elif key in ("smtp.host", "smtp.user"):
            value = _server_text(key, value)
        elif key == "smtp.from":
            value = _sender_address(value)
        elif key == "briefing_language":
            value = _language_code(key, value)
        elif key in CHOICES:
            what, codes = CHOICES[key]
            if value not in codes:
                raise ValidationError(
                    code="settings.unknown_choice",
                    field=key,
                    what=Term(what),
                    codes=", ".join(codes),
                    value=value,
                )
        elif key in AMOUNTS:
            value = _amount_text(key, value)
    return value


def _amount_text(key: str, text: str | Decimal) -> str:
    what, most, may_be_empty = AMOUNTS[key]
    if text == "" and may_be_empty:
        return ""
    try:
        amount = parse_amount(text, what=what)  # typed in the user's language
    except ValidationError as exc:
        if exc.code == "amounts.not_a_number":
            raise ValidationError(
                code="settings.not_a_number", field=key, what=Term(what), text=text
            ) from None
        raise exc.with_field(key) from None
    if not amount.is_finite():
        raise ValidationError(code="settings.not_a_number", field=key, what=Term(what), text=text)
    if amount < 0:
        raise ValidationError(
            code="settings.amount_negative", field=key, what=Term(what), amount=amount
        )
    if amount > most:
        raise ValidationError(
            code="settings.amount_too_large", field=key, what=Term(what), most=most, amount=amount
        )
    if amount == 0 and may_be_empty:
        raise ValidationError(code="settings.amount_zero", field=key, what=Term(what))
    return str(amount.quantize(Decimal("0.01")))


def _language_code(key: str, text: str) -> str:
    if text and text not in models.LANGUAGES:
        raise ValidationError(
            code="settings.unknown_language",
            field=key,
            languages=", ".join(models.LANGUAGES),
            language=text,
        )
    return text


def briefing_language() -> str:
    """The language briefings print in: the chosen one, else the interface's (else English)."""
    chosen = get("briefing_language")
    return chosen if chosen in models.LANGUAGES else i18n.normalize(i18n.language())


def _server_text(key: str, text: str) -> str:
    if len(text) > 254 or any(ch.isspace() or not ch.isprintable() for ch in text):
        what = Term(
            N_("The mail server's name") if key == "smtp.host" else N_("The mail user name")
        )
        raise ValidationError(code="settings.spaces_too_long", field=key, what=what, text=text)
    return text


def _sender_address(text: str) -> str:
    if not text:
        return ""
    import email_validator  # loaded on first use: it pulls in dnspython

    try:
        result = email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ValidationError(
            code="settings.sender_address_valid", field="smtp.from", text=text, error=exc
        ) from None
    return str(result.normalized)


def _backup_dir(text: str) -> str:
    if not text:
        return ""
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        raise ValidationError(
            code="settings.backup_folder_full_path", field="backup_dir", text=text
        )
    if folder.exists() and not folder.is_dir():
        raise ValidationError(code="settings.backup_dir_is_file", field="backup_dir", text=text)
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
    "name": N_("Name"),
    "company": N_("Company"),
    "street": N_("Street"),
    "city": N_("City"),
    "postcode": N_("Postcode"),
    "logo_path": N_("Logo file"),
    "signature_path": N_("Signature file"),
}


def _image(field: str, text: str) -> str:
    if not text:
        return ""
    path = Path(text).expanduser()
    what = _LABELS[field]
    if not path.is_file():
        raise ValidationError(
            code="settings.image_missing", field=field, what=Term(what), text=text
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
        raise ValidationError(
            code="settings.png_jpeg_image", field=field, what=Term(what), path_name=path.name
        )
    return str(path.resolve())


def _region(field: str, text: str, what: str) -> str:
    code = text.strip().upper()
    if code and not phones.is_region(code):
        raise ValidationError(
            code="settings.two_letter_iso_country", field=field, what=Term(what), text=text.strip()
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
            raise ValidationError(code="settings.unknown_profile_field", field=key, key=key)
        if not isinstance(value, str):
            raise ValidationError(
                code="settings.profile_field_text", field=key, key=key, value=value
            )
        # Paths keep their inner spaces; other text has its runs of spaces collapsed.
        out[key] = value.strip() if key.endswith("_path") else " ".join(value.split())
    for key in ("name", "company", "street", "city", "postcode"):
        if key in out:
            limit = getattr(models.Profile, key).max_length
            if len(out[key]) > limit:
                raise ValidationError(
                    code="settings.profile_too_long",
                    field=key,
                    labels=Term(_LABELS[key]),
                    limit=limit,
                )
    if "country" in out:
        out["country"] = _region("country", out["country"], N_("Country"))
    if "default_region" in out:
        out["default_region"] = _region("default_region", out["default_region"], N_("Phone region"))
    if out.get("email"):
        import email_validator  # loaded on first use: it pulls in dnspython

        try:
            result = email_validator.validate_email(out["email"], check_deliverability=False)
        except email_validator.EmailNotValidError as exc:
            raise ValidationError(
                code="settings.email_valid", field="email", email=out["email"], exc=exc
            ) from None
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
                code="settings.currency_three_letter_iso",
                field="currency",
                currency=out["currency"],
            )
        if code not in CURRENCIES:
            raise ValidationError(
                code="settings.currency_iso_4217_currency", field="currency", code_text=code
            )
        out["currency"] = code
    if "page_size" in out and out["page_size"] not in models.PAGE_SIZES:
        raise ValidationError(
            code="settings.unknown_page_size",
            field="page_size",
            page_sizes=", ".join(models.PAGE_SIZES),
            page_size=out["page_size"],
        )
    if "language" in out and out["language"] not in models.LANGUAGES:
        raise ValidationError(
            code="settings.unknown_language",
            field="language",
            languages=", ".join(models.LANGUAGES),
            language=out["language"],
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
