"""Checking an imported record's values fast, with the core's answers.

Common-shaped email addresses and ``+``-prefixed phone numbers take a fast
path that gives exactly what email-validator and phonenumbers give (the tests
compare them over every calling code); anything else goes through the core's
own checks (crm.core.contacts). Also here: country names in the five languages
to ISO codes, the letter language a name's script suggests, and the region a
file's local numbers are most likely dialled in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from crm.core import contacts, models, phones
from crm.core.errors import ValidationError
from crm.core.text import fold
from crm.interchange import regions
from crm.interchange.records import Incoming

# Addresses of the most common shape, which email-validator accepts as written
# with the domain lower-cased: dot-atoms of plain characters, hyphens only
# inside domain labels and never two in a row (so no Punycode), and a top-level
# domain of letters.
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*)"
    r"@((?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+([A-Za-z]{2,63}))"
)
_PHONE_SEPARATORS = str.maketrans("", "", " -.()")
# '"Omega" <omega@example.com>', 'Omega <omega@example.com>', '<x@y.ca>', 'mailto:x@y.ca'.
_WRAPPED_EMAIL = re.compile(
    r'(?:"[^"]*"|[^"<>]*)\s*<\s*(?:mailto:)?([^<>\s]+)\s*>|mailto:(\S+)', re.IGNORECASE
)


def unwrap_email(text: str) -> str:
    """The address alone when ``text`` wraps it in a display name, brackets or ``mailto:``."""
    match = _WRAPPED_EMAIL.fullmatch(text.strip())
    if match is None:
        return text
    return match[1] or match[2]


def fast_email(raw: str) -> str | None:
    """The normalised address when ``raw`` has the common plain shape, else None.

    Whenever this returns an address, :func:`crm.core.contacts.validate_email`
    returns the same one (tests compare them); None means "ask it".
    """
    text = raw.strip()
    match = _PLAIN_EMAIL.fullmatch(text)
    if match is None:
        return None
    local, domain, _tld = match.groups()
    domain = domain.lower()
    if (
        len(text) > 254
        or len(local) > 64
        or (len(domain) > 63 and any(len(label) > 63 for label in domain.split(".")))
        or _special_domains().search(domain)
    ):
        return None
    return f"{local}@{domain}"


@functools.cache
def _special_domains() -> re.Pattern[str]:
    """Domains email-validator refuses (``localhost``, ``*.test``...), as it lists them."""
    import email_validator

    names = "|".join(re.escape(name.lower()) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
    return re.compile(rf"(?:^|\.)(?:{names})$")


CACHE_LIMIT = 1 << 16  # checked values a Checker remembers, of each kind


class Checker:
    """Email and phone checks for one import: cached, with fast paths."""

    def __init__(self, region: str) -> None:
        import phonenumbers  # a large package: loaded by the import, not by the app

        self.region = region
        self._pn = phonenumbers
        # Bounded: a file of a million addresses must not keep them all (issue 16).
        self._emails: dict[str, str | ValidationError] = {}
        self._phones: dict[str, tuple[str, str] | ValidationError] = {}

    def email(self, raw: str) -> str:
        """The normalised address, or the ValidationError of the core."""
        found = self._emails.get(raw)
        if found is None:
            try:
                found = fast_email(raw) or contacts.validate_email(raw)
            except ValidationError as exc:
                found = exc
            if len(self._emails) >= CACHE_LIMIT:
                self._emails.clear()
            self._emails[raw] = found
        if isinstance(found, ValidationError):
            raise found
        return found

    def phone(self, raw: str, region: str | None = None) -> tuple[str, str]:
        """``(E.164, original)``, or the ValidationError of the core.

        A number without a country code is read in ``region``, by default the
        profile's.
        """
        region = self.region if region is None else region
        key = raw if raw.startswith("+") else f"{region}:{raw}"
        found = self._phones.get(key)
        if found is None:
            original = " ".join(raw.split())
            try:
                e164 = self.fast_phone(original)
                if e164 is not None:
                    found = (e164, original)
                else:
                    found = contacts.normalize_phone(raw, region)
            except ValidationError as exc:
                found = exc
            if len(self._phones) >= CACHE_LIMIT:
                self._phones.clear()
            self._phones[key] = found
        if isinstance(found, ValidationError):
            raise found
        return found

    def region_of(self, e164: str) -> str:
        """The main region of a stored number's country calling code ("" when unknown)."""
        digits = e164[1:]
        for size in (1, 2, 3):
            if int(digits[:size]) in self._pn.COUNTRY_CODE_TO_REGION_CODE:
                region = str(self._pn.region_code_for_country_code(int(digits[:size])))
                return region if region != self._pn.REGION_CODE_FOR_NON_GEO_ENTITY else ""
        return ""

    def fast_phone(self, text: str) -> str | None:
        """E.164 for a valid number written ``+CC …`` with plain separators; else None.

        It skips phonenumbers' general parser, giving what ``phonenumbers.parse``
        and ``format_number(E164)`` give; whatever the parser might read
        differently (a leading zero, a national prefix after the country code,
        letters, extensions, an invalid number) is left to it.
        """
        if not text.startswith("+"):
            return None
        digits = text[1:].translate(_PHONE_SEPARATORS)
        if not (digits.isascii() and digits.isdigit()) or digits[0] == "0":
            return None
        pn = self._pn
        for size in (1, 2, 3):
            code = int(digits[:size])
            if code in pn.COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        national = digits[size:]
        if not 2 <= len(national) <= 17 or national[0] == "0":
            return None
        rules = _number_rules(code)
        if rules.prefix is not None and rules.prefix.match(national):
            return None
        if not rules.valid(national):
            return None
        return f"+{code}{national}"


# The kinds of number phonenumbers knows, in the order its type check tries them.
_NUMBER_KINDS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)


class _RegionRules:
    """phonenumbers' "is this number of a known type" for one region, one regex per length.

    ``_number_type_helper(nsn, metadata) != UNKNOWN`` tries up to ten
    descriptions one after another; a number is known when it fits the general
    description and any one of the others (mobile only when its pattern differs
    from fixed-line), each fitting when its possible lengths allow the number's
    length and its pattern matches all of it. Here the patterns that allow a
    length are joined into one alternation, compiled once.
    """

    def __init__(self, meta: Any) -> None:
        self.general = self._desc(meta.general_desc)
        kinds = [self._desc(getattr(meta, name)) for name in _NUMBER_KINDS]
        if not meta.same_mobile_and_fixed_line_pattern:
            kinds.append(self._desc(meta.mobile))
        self.kinds = [k for k in kinds if k is not None]
        self.by_length: dict[int, re.Pattern[str] | None] = {}

    @staticmethod
    def _desc(desc: Any) -> tuple[frozenset[int], re.Pattern[str]] | None:
        if desc is None or not desc.national_number_pattern:
            return None
        return frozenset(desc.possible_length), re.compile(desc.national_number_pattern)

    def known(self, national: str) -> bool:
        size = len(national)
        if self.general is None:
            return False
        lengths, pattern = self.general
        if (lengths and size not in lengths) or pattern.fullmatch(national) is None:
            return False
        if size not in self.by_length:
            fitting = [p.pattern for ls, p in self.kinds if not ls or size in ls]
            self.by_length[size] = (
                re.compile("|".join(f"(?:{p})" for p in fitting)) if fitting else None
            )
        combined = self.by_length[size]
        return combined is not None and combined.fullmatch(national) is not None


class _NumberRules:
    """What ``phonenumbers.is_valid_number`` checks, for one country calling code."""

    def __init__(self, code: int) -> None:
        import phonenumbers as pn

        main = pn.region_code_for_country_code(code)
        meta = pn.PhoneMetadata.metadata_for_region_or_calling_code(code, main)
        pattern = meta.national_prefix_for_parsing if meta is not None else None
        self.prefix = re.compile(pattern) if pattern else None
        rules: dict[int, _RegionRules] = {}

        def rules_of(meta: Any) -> _RegionRules | None:
            if meta is None:
                return None
            if id(meta) not in rules:
                rules[id(meta)] = _RegionRules(meta)
            return rules[id(meta)]

        # Per region: how region_code_for_number picks it (leading digits, or
        # a known type), and the rules is_valid_number_for_region applies.
        self.regions: list[tuple[re.Pattern[str] | None, _RegionRules | None, _RegionRules | None]]
        self.regions = []
        for region in pn.COUNTRY_CODE_TO_REGION_CODE[code]:
            own = pn.PhoneMetadata.metadata_for_region(region.upper(), None)
            checked = pn.PhoneMetadata.metadata_for_region_or_calling_code(code, region.upper())
            if region != pn.REGION_CODE_FOR_NON_GEO_ENTITY and (
                checked is None or pn.country_code_for_valid_region(region) != code
            ):
                checked = None
            leading = (
                re.compile(own.leading_digits)
                if own is not None and own.leading_digits is not None
                else None
            )
            self.regions.append((leading, rules_of(own), rules_of(checked)))
        self.single = len(self.regions) == 1

    def valid(self, national: str) -> bool:
        """``is_valid_number`` for this code and a national number without a leading zero."""
        if self.single:
            return (checked := self.regions[0][2]) is not None and checked.known(national)
        for leading, own, checked in self.regions:
            if own is None:
                continue
            if leading is not None:
                if leading.match(national):
                    return checked is not None and checked.known(national)
            elif own.known(national):
                return checked is not None and checked.known(national)
        return False


@functools.cache
def _number_rules(code: int) -> _NumberRules:
    return _NumberRules(code)


class Countries:
    """Country names in en/el/bg/it/ar, and codes, to ISO 3166 codes (loaded on first use)."""

    ALIASES: ClassVar[dict[str, str]] = {
        "usa": "US",
        "u.s.a.": "US",
        "u.s.": "US",
        "united states of america": "US",
        "uk": "GB",
        "u.k.": "GB",
        "great britain": "GB",
        "england": "GB",
        "scotland": "GB",
        "wales": "GB",
        "hellas": "GR",
        "ελλας": "GR",
        "holland": "NL",
    }

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._cache: dict[str, str | None] = {}

    def code(self, text: str) -> str | None:
        """The code of ``text`` ("Greece", "Ελλάδα", "gr"), or None when unknown."""
        if text not in self._cache:
            key = fold(" ".join(text.split()))
            if len(key) == 2 and key.isascii() and phones.is_region(key):
                self._cache[text] = key.upper()
            else:
                self._cache[text] = self._table().get(key) or regions.country_code(key)
        return self._cache[text]

    def _table(self) -> dict[str, str]:
        if not self._names:
            import phonenumbers
            from babel import Locale

            for lang in models.LANGUAGES:
                for code, name in Locale.parse(lang).territories.items():
                    # Only codes a contact may hold (crm.core.contacts checks the same).
                    if code in phonenumbers.SUPPORTED_REGIONS:
                        self._names.setdefault(fold(name), code)
            for alias, code in self.ALIASES.items():
                self._names.setdefault(alias, code)
        return self._names


# Scripts that say which language a person's letters are written in.
_SCRIPTS = (
    (re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "el"),
    (re.compile(r"[\u0400-\u04ff]"), "bg"),
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"), "ar"),
)
_COUNTRY_LANGUAGES = {
    **dict.fromkeys(("GR", "CY"), "el"),
    "BG": "bg",
    **dict.fromkeys(("IT", "SM", "VA"), "it"),
    **dict.fromkeys(
        "AE BH DZ EG IQ JO KW LB LY MA OM PS QA SA SD SY TN YE".split(),  # noqa: SIM905
        "ar",
    ),
    **dict.fromkeys(("GB", "US", "IE", "AU", "NZ", "CA"), "en"),
}


# Where a file's local numbers are most likely from, by the script of its names:
# Greek names are dialled in Greece; Cyrillic ones, for our users, in Bulgaria.
_SCRIPT_REGIONS = (("el", "GR"), ("bg", "BG"))


def file_region(records: Iterable[Incoming], countries: Countries) -> str:
    """The region for local numbers when the profile has none ("" if unclear).

    The country most records name, else the region of the script most names
    are written in (a Greek Outlook file with no country column reads its
    "210 123 4567" as Athens). Records with their own country still use it.
    """
    votes: dict[str, int] = {}
    for rec in records:
        code = countries.code(rec.country) if rec.country else None
        if code:
            votes[code] = votes.get(code, 0) + 2
            continue
        name = f"{rec.given_name} {rec.family_name} {rec.full_name}"
        for pattern, lang in _SCRIPTS:
            if pattern.search(name):
                region = dict(_SCRIPT_REGIONS).get(lang)
                if region:
                    votes[region] = votes.get(region, 0) + 1
                break
    if not votes:
        return ""
    best = max(votes, key=votes.__getitem__)
    return best if votes[best] * 2 > sum(votes.values()) else ""


def guess_language(name: str, country: str, default: str) -> str:
    """The language of letters to a new contact: the name's script, else the country."""
    for pattern, lang in _SCRIPTS:
        if pattern.search(name):
            return lang
    return _COUNTRY_LANGUAGES.get(country, default)
