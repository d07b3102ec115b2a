"""Shared ground of the demo generator: its state and the values it makes up.

:class:`DemoBase` holds what every step of the generator shares (the random
source, the calendar of days, compact per-contact arrays, the weighted pickers)
and makes up single values: phone numbers, email addresses, organization
names. :func:`latin` and :func:`timestamp` are the small conversions the other
demo modules use too. The steps themselves are in :mod:`crm.demo.referrals`,
:mod:`crm.demo.people` and :mod:`crm.demo.generator`.
"""

from __future__ import annotations

import datetime as dt
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from random import Random
from typing import Any

from crm.core.text import fold
from crm.demo.data import (
    ARABIC_LATIN,
    COMMUNITY_PARTNERS,
    COUNTRIES_BY_LANGUAGE,
    CYRILLIC,
    EVENT_KIND_WEIGHTS,
    FAMILY,
    GIVEN,
    GREEK,
    GREEK_PAIRS,
    LANGUAGE_WEIGHTS,
    ORG_WORDS,
    TAGS,
)
from crm.demo.places import COUNTRY_INFO, US_AREA_CODES, City, Phone

HISTORY_DAYS = 730  # contacts and referrals spread over the past two years
EVENT_PAST_DAYS = 548  # events over the past 18 months ...
EVENT_FUTURE_DAYS = 60  # ... and the next two


# -- picking ------------------------------------------------------------------


class _Weighted:
    """Items with weights, picked with one random number and a bisection."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _w in pairs]
        self.cum = list(accumulate(w for _item, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


# -- people -------------------------------------------------------------------
# Data tables are laid out by hand, a few entries a line.
_latin_cache: dict[str, str] = {}


def latin(text: str) -> str:
    """``text`` in lower-case ASCII letters and digits, as an email's local part has it."""
    cached = _latin_cache.get(text)
    if cached is not None:
        return cached
    if text in ARABIC_LATIN:
        out = fold(ARABIC_LATIN[text])
    elif any(word in ARABIC_LATIN for word in text.split()):
        out = fold(" ".join(ARABIC_LATIN.get(w, "") for w in text.split()))
    else:
        out = fold(text)
        if out.startswith("μπ"):
            out = "b" + out[2:]
        elif out.startswith("ντ"):
            out = "d" + out[2:]
        for greek, roman in GREEK_PAIRS:
            out = out.replace(greek, roman)
        out = out.translate(GREEK).translate(CYRILLIC)
    out = "".join(ch for ch in out if ch.isascii() and ch.isalnum())
    _latin_cache[text] = out
    return out


def timestamp(day: str, seconds: int) -> str:
    """``day`` (ISO date) and ``seconds`` after midnight as an SQLite timestamp."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{day} {h:02d}:{m:02d}:{s:02d}"


def _group(digits: str, groups: Sequence[int], sep: str = " ") -> str:
    out, pos = [], 0
    for size in groups:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(out)


class DemoBase:
    """The state every step of the generator shares, and the values it makes up."""

    # Set by the steps (crm.demo.generator) before the referral records use them.
    contact_base: int  # id of the first demo contact
    ids: dict[str, int]  # the next free id of a few tables

    def __init__(self, conn: Any, rng: Random, contacts: int, today: dt.date) -> None:
        self.conn = conn
        self.rng = rng
        self.n = contacts
        self.today = today
        start = today - dt.timedelta(days=HISTORY_DAYS)
        self.T = HISTORY_DAYS  # index of today in self.days
        self.days = [
            (start + dt.timedelta(days=d)).isoformat()
            for d in range(HISTORY_DAYS + EVENT_FUTURE_DAYS + 400)
        ]
        self.start = start
        # Compact per-contact state (index = contact id - base + 1).
        n1 = contacts + 1
        self.parent = array("i", bytes(4 * n1))
        self.depth = bytearray(n1)
        self.name_code = array("I", bytes(4 * n1))
        self.given_count = array("I", bytes(4 * n1))  # referrals given (primary + extra)
        self.lang_ids: list[array[int]] = [array("i") for _ in LANGUAGE_WEIGHTS]
        self.urn = array("i")
        self.chain_tips = [0, 0]
        # Emails and phone numbers already used: one bit per 27-bit hash, so a
        # new one is certainly new (a false alarm only adds a digit).
        self.used = bytearray(1 << 24)
        self.voucher_codes: set[str] = set()
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "contacts",
                "organizations",
                "events",
                "attendances",
                "referrals",
                "followups",
                "rewards",
                "vouchers",
                "interactions",
            ),
            0,
        )
        self.forced: dict[int, list[tuple[int, str]]] = {}  # event id -> (contact, role)
        # Rows queued for the next flush (crm.demo.referrals).
        self.ref_rows: list[tuple[Any, ...]] = []
        self.change_rows: list[tuple[Any, ...]] = []
        self.followup_rows: list[tuple[Any, ...]] = []
        self.reward_rows: list[tuple[Any, ...]] = []
        self.voucher_rows: list[tuple[Any, ...]] = []
        self.interaction_rows: list[tuple[Any, ...]] = []
        self._pickers()

    # -- set-up ---------------------------------------------------------------

    def _pickers(self) -> None:
        W = _Weighted
        # fmt: off
        self.language = W(LANGUAGE_WEIGHTS)
        self.country = {lang: W(pairs) for lang, pairs in COUNTRIES_BY_LANGUAGE.items()}
        self.city = {
            code: W(list(zip(info["cities"], info["weights"], strict=True)))
            for code, info in COUNTRY_INFO.items()
        }
        self.domain = {code: W(info["domains"]) for code, info in COUNTRY_INFO.items()}
        self.root_channel = W((("event", 35), ("website", 20), ("social", 15),
                               ("online_review", 10), ("press", 5), ("influencer", 5),
                               ("other", 10)))
        self.referred_channel = W((("referral", 85), ("event", 10), ("social", 3), ("other", 2)))
        self.open_stage = W((("prospect", 45), ("lead", 40), ("customer", 10), ("inactive", 5)))
        self.root_stage = W((("prospect", 30), ("lead", 25), ("customer", 30),
                             ("ambassador", 8), ("inactive", 7)))
        self.program = W((("direct", 55), ("implicit", 20), ("tangible", 10), ("community", 15)))
        self.temperature = W(((1, 5), (2, 15), (3, 35), (4, 30), (5, 15)))
        self.status_by_age = (
            (3, W((("new", 70), ("contacted", 30)))),
            (14, W((("new", 20), ("contacted", 40), ("meeting", 25), ("proposal", 10),
                    ("lost", 5)))),
            (60, W((("new", 5), ("contacted", 15), ("meeting", 20), ("proposal", 20),
                    ("won", 25), ("lost", 15)))),
            (10**9, W((("new", 2), ("contacted", 5), ("meeting", 5), ("proposal", 8),
                       ("won", 48), ("lost", 32)))),
        )
        self.reward_kind = W((("thank_you_letter", 35), ("gift", 20), ("discount", 15),
                              ("cash", 8), ("points", 7), ("voucher", 10), ("donation", 5)))
        self.followup_kind = W((("call", 30), ("email", 20), ("meeting", 15),
                                ("ask_referral", 15), ("thank_you", 10), ("stay_in_touch", 10)))
        self.event_kind_picker = W(EVENT_KIND_WEIGHTS)
        self.tags_by_lang = {
            lang: W([(name, w) for name, tl, w in TAGS if tl in (None, lang)])
            for lang, _w in LANGUAGE_WEIGHTS
        }
        # fmt: on

    def phone(self, country: str, landline: Phone | None = None) -> tuple[str, str]:
        """A fresh valid number of ``country``: (E.164, as displayed)."""
        rng = self.rng
        info = COUNTRY_INFO[country]
        cc = info["cc"]
        for _attempt in range(50):
            if country == "US":
                area = landline[0] if landline else rng.choice(US_AREA_CODES)
                exchange = rng.randrange(201, 1000)
                if exchange % 100 == 11 or exchange == 555:
                    continue
                nsn = f"{area}{exchange}{rng.randrange(10000):04d}"
                display = f"+1 {_group(nsn, (3, 3, 4), '-')}"
            else:
                spec = landline or rng.choice(info["mobile"])
                prefix, length, groups = spec[:3]
                rest = length - len(prefix)
                # Subscriber numbers of landlines do not start with 0 or 1.
                firsts = spec[3] if len(spec) > 3 else "23456789" if landline else "0123456789"
                first = firsts[rng.randrange(len(firsts))]
                nsn = f"{prefix}{first}{rng.randrange(10 ** (rest - 1)):0{rest - 1}d}"
                display = f"+{cc} {_group(nsn, groups)}"
            e164 = f"+{cc}{nsn}"
            if self._fresh(e164):
                return e164, display
        return e164, display

    def _fresh(self, key: str) -> bool:
        h = zlib.crc32(key.encode()) & 0x7FFFFFF
        byte, bit = h >> 3, 1 << (h & 7)
        if self.used[byte] & bit:
            return False
        self.used[byte] |= bit
        return True

    def email(self, given: str, family: str, domain: str, year: int | None) -> str:
        rng = self.rng
        g, f = latin(given), latin(family)
        if not g or not f:
            g, f = g or "info", f or "contact"
        style = rng.random()
        if style < 0.35:
            local = f"{g}.{f}"
        elif style < 0.5:
            local = f"{g[0]}{f}"
        elif style < 0.6:
            local = f"{g}{f}"
        elif style < 0.7:
            local = f"{f}.{g}"
        elif style < 0.8:
            local = f"{g}_{f}"
        elif style < 0.9 and year:
            local = f"{g}.{f}{year % 100:02d}"
        else:
            local = f"{g}.{f[0]}"
        address = f"{local}@{domain}"
        digits = 1
        while not self._fresh(address):
            address = f"{local}{rng.randrange(10**digits)}@{domain}"
            digits = min(digits + 1, 6)
        return address

    # -- organizations ----------------------------------------------------------

    # -- names ----------------------------------------------------------------------

    def name(self, cid: int) -> str:
        code = self.name_code[cid - self.contact_base + 1]
        li, g, gi, fi = code >> 20, (code >> 19) & 1, (code >> 10) & 0x1FF, code & 0x3FF
        lang = LANGUAGE_WEIGHTS[li][0]
        return f"{GIVEN[lang][g][gi]} {FAMILY[lang][fi][g]}"

    def _org_name(
        self, lang: str, country: str, city: City, kind: str, taken: set[str]
    ) -> tuple[str, str]:
        """A name no organization has yet (ignoring case and accents), and its core words."""
        rng = self.rng
        name = core = ""
        for attempt in range(40):
            if kind == "community_partner":
                core = rng.choice(COMMUNITY_PARTNERS[lang])
                name = core if attempt < 3 else f"{core} – {city[0]}"
            else:
                name, core = self._org_candidate(lang, country)
                if attempt >= 20:  # a branch: "... (Leeds)"
                    name = f"{name} ({city[0]})"
            if attempt >= 30:
                name = f"{name} {rng.randrange(2, 100)}"
            key = fold(name)
            if key not in taken:
                break
        else:  # pragma: no cover - the name space is far larger than needed
            name = f"{name} {len(taken)}"
            key = fold(name)
        taken.add(key)
        return name, core

    def _org_candidate(self, lang: str, country: str) -> tuple[str, str]:
        """A company name in the language's usual styles, and the words its domain uses."""
        rng = self.rng
        words = ORG_WORDS[lang]
        families = FAMILY[lang]
        surname = rng.choice(families)[0]
        style = rng.random()
        if lang == "en":
            suffixes = {
                "GB": ("Ltd", "LLP", "Ltd"),
                "US": ("Inc.", "LLC", "Group"),
                "IE": ("Ltd", "Ltd", "Group"),
            }[country]
            if style < 0.3:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {rng.choice(suffixes)}", core
            if style < 0.45:
                given = rng.choice(GIVEN["en"][rng.randrange(2)])
                core = f"{given} {surname} {rng.choice(words['b'])}"
                return core, core
            if style < 0.7:
                other = rng.choice(families)[0]
                if other == surname:
                    return f"{surname} & Sons {rng.choice(suffixes)}", surname
                return f"{surname} & {other} {rng.choice(words['firm'])}", f"{surname} {other}"
            core = f"{surname} {rng.choice(words['b'])}"
            return f"{core} {rng.choice(suffixes)}", core
        if lang == "it":
            suffix_it = rng.choice(words["suffix"])
            if style < 0.2:
                # A sole trader: "Costruzioni di Rossi Marco".
                given = rng.choice(GIVEN["it"][rng.randrange(2)])
                activity = rng.choice(words["a"])
                return f"{activity} di {surname} {given}", f"{activity} {surname}"
            if style < 0.45:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {suffix_it}", core
            if style < 0.6:
                core = f"{surname} {rng.choice(words['a'])}"
                return f"{core} {suffix_it}", core
            if style < 0.75:
                return f"{surname} & Figli {suffix_it}", surname
            if style < 0.85:
                given = rng.choice(GIVEN["it"][rng.randrange(2)])
                return f"Studio {given} {surname}", f"studio {surname}"
            other = rng.choice(families)[0]
            return f"Studio Associato {surname} & {other}", f"{surname} {other}"
        if lang == "el":
            suffix_el = rng.choice(words["suffix"])
            if style < 0.45:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
                return f"{core} {suffix_el}", core
            initial = rng.choice("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΦΧ")
            if style < 0.75:
                core = f"{surname} {rng.choice(words['b'])}"
                return f"{initial}. {core} {suffix_el}", core
            return f"{initial}. {surname} & ΣΙΑ Ο.Ε.", surname
        if lang == "bg":
            suffix_bg = rng.choice(words["suffix"][:3])
            if style < 0.4:
                core = f"{rng.choice(words['a'])} {rng.choice(words['b'])}"
            elif style < 0.8:
                core = f"{surname} {rng.choice(words['b'])}"
            else:
                given = rng.choice(GIVEN["bg"][0])
                core = f"{given} {surname}"
                return f"ЕТ „{core} – {rng.randrange(60, 100)}“", core
            if rng.random() < 0.5:
                return f"„{core}“ {suffix_bg}", core
            return f"{core} {suffix_bg}", core
        # ar
        prefix = rng.choice(words["prefix"])
        activity = rng.choice(words["b"])
        if style < 0.4:
            core = rng.choice(words["a"])
        elif style < 0.7:
            core = surname
        else:
            core = f"{rng.choice(GIVEN['ar'][0])} {surname}"
        return f"{prefix} {core} {activity}", core

    # -- events -------------------------------------------------------------------
