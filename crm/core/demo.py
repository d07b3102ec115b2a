"""Demo data: a realistic, multilingual referral network to try the app on.

:func:`generate` fills an empty database with contacts in English, Greek,
Bulgarian, Italian and Arabic (native-script names, gendered family names,
local addresses, valid E.164 phone numbers), organizations, networking events
with attendance, a primary-referrer forest (a few big trees, chains up to 20
deep) with extra non-primary referrals, the status pipeline, follow-ups,
rewards, vouchers, history lines and the search index.

The content is deterministic for a seed on a given day: dates are relative to
``dt.date.today()`` so that follow-ups are current. It is fast (rows go in
with ``executemany`` in one transaction, secondary indexes are rebuilt once
at the end) and memory-conscious (contacts are made in chunks; what later
steps need about each contact is kept in compact arrays).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, Any

from crm.core import codes, models, search
from crm.core.demo_data import (
    ARABIC_LATIN,
    CHAPTERS,
    COMMUNITY_PARTNERS,
    COUNTRIES_BY_LANGUAGE,
    COUNTRY_INFO,
    CYRILLIC,
    EVENT_HOURS,
    EVENT_KIND_WEIGHTS,
    EVENT_TITLES,
    FAMILY,
    GIVEN,
    GREEK,
    GREEK_PAIRS,
    LANG_INDEX,
    LANGUAGE_WEIGHTS,
    NOTES,
    ORG_WORDS,
    ORGANIZERS,
    PROFILES,
    TAGS,
    TITLES,
    US_AREA_CODES,
    VENUES,
    City,
    Phone,
)
from crm.core.errors import CancelledError, ValidationError
from crm.core.text import fold, tokens

if TYPE_CHECKING:
    from crm.core.db import Store

MAX_CONTACTS = 1_000_000
MAX_DEPTH = 20  # deepest primary-referrer chain the demo builds
HISTORY_DAYS = 730  # contacts and referrals spread over the past two years
EVENT_PAST_DAYS = 548  # events over the past 18 months ...
EVENT_FUTURE_DAYS = 60  # ... and the next two
CHUNK = 5_000

# Tables the demo fills in bulk: their secondary indexes are dropped for the
# load and rebuilt once at the end.
_BULK_TABLES = (
    "organization",
    "contact",
    "email_address",
    "phone_number",
    "contact_tag",
    "event",
    "attendance",
    "referral",
    "referral_status_change",
    "follow_up",
    "reward",
    "voucher",
    "interaction",
)

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


# -- the generator ----------------------------------------------------------------

_ASCII_TOKEN = re.compile(r"[a-z0-9]+")


def _ts(day: str, seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{day} {h:02d}:{m:02d}:{s:02d}"


def _group(digits: str, groups: Sequence[int], sep: str = " ") -> str:
    out, pos = [], 0
    for size in groups:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(out)


class _Generator:
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
        self.fold_cache: dict[str, str] = {}
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

    def document(
        self, given: str, family: str, org: str, emails: list[str], phones: list[str], city: str
    ) -> str:
        """What :func:`search.document` makes of a contact, with names folded once.

        Folding text is the costly part and names come from small pools, so the
        folded words of each name, organization and city are cached; emails are
        ASCII and phone numbers digits. ``tests/test_demo.py`` checks that the
        result equals :func:`search.document`'s for every demo contact.
        """
        cache = self.fold_cache
        parts = []
        for text in (given, family, org, city):
            if text:
                words = cache.get(text)
                if words is None:
                    words = cache[text] = " ".join(tokens(text))
                if words:
                    parts.append(words)
        for address in emails:
            parts.append(" ".join(_ASCII_TOKEN.findall(address.lower())))
        for number in phones:  # E.164: "+" and digits
            digits = number[1:]
            parts.append(digits)
            if len(digits) > 8:
                parts.extend((digits[1:], digits[2:], digits[3:]))
        return " ".join(parts)

    # -- organizations ----------------------------------------------------------

    def organizations(self, count: int, base_id: int) -> None:
        rng = self.rng
        taken = {r[0] for r in self.conn.execute("SELECT name_folded FROM organization")}
        partners = min(max(5, count // 100), 60)
        domains: set[str] = set()
        rows = []
        self.org_name: dict[int, str] = {}
        self.org_domain: dict[int, str] = {}
        self.org_city: dict[int, tuple[str, City]] = {}
        self.org_ids: list[list[int]] = [[] for _ in LANGUAGE_WEIGHTS]
        langs = [code for code, _w in LANGUAGE_WEIGHTS]
        for k in range(count):
            oid = base_id + k
            # The first partners are one per language, so each language has some.
            lang = langs[k % 5] if k < partners else self.language.pick(rng)
            country = self.country[lang].pick(rng)
            city = self.city[country].pick(rng)
            kind = "community_partner" if k < partners else "company"
            name, core = self._org_name(lang, country, city, kind, taken)
            tld = COUNTRY_INFO[country]["tld"]
            slug = latin(core)[:30] or f"org{oid}"
            tld = "org" if kind == "community_partner" else tld
            domain = f"{slug}.{tld}"
            if domain in domains:
                domain = f"{slug}{latin(city[0])[:12]}.{tld}"
                while domain in domains:
                    domain = f"{slug}{rng.randrange(2, 1000)}.{tld}"
            domains.add(domain)
            day = rng.randrange(self.T)
            stamp = _ts(self.days[day], rng.randrange(28800, 64800))
            notes = "Community partner of our referral program" if kind != "company" else ""
            rows.append(
                (oid, stamp, stamp, name, fold(name), kind, f"https://www.{domain}", city[0], notes)
            )
            self.org_name[oid] = name
            self.org_domain[oid] = domain
            self.org_city[oid] = (country, city)
            self.org_ids[LANG_INDEX[lang]].append(oid)
        self.conn.executemany(
            "INSERT INTO organization (id, created_at, updated_at, name, name_folded, kind, "
            "website, city, notes) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.counts["organizations"] = count

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

    def events(self, count: int, base_id: int) -> None:
        rng = self.rng
        first = self.T - EVENT_PAST_DAYS
        span = EVENT_PAST_DAYS + EVENT_FUTURE_DAYS
        # Chronological ids: spread evenly with a little jitter.
        days = sorted(
            first + min(span, int((k + rng.random()) * span / count)) for k in range(count)
        )
        rows = []
        self.event_day: list[int] = []
        self.event_lang: list[int] = []
        self.event_kind: list[str] = []
        self.event_title: list[str] = []
        # Per language: the days of its events and their ids, in date order.
        self.events_by_lang: list[tuple[list[int], list[int]]] = [
            ([], []) for _ in LANGUAGE_WEIGHTS
        ]
        for k, day in enumerate(days):
            eid = base_id + k
            lang = self.language.pick(rng)
            country = self.country[lang].pick(rng)
            city = self.city[country].pick(rng)
            kind = self.event_kind_picker.pick(rng)
            year = (self.start + dt.timedelta(days=day)).year
            title = rng.choice(EVENT_TITLES[lang][kind]).format(
                city=city[4], chapter=rng.choice(CHAPTERS[lang]), year=year
            )
            hour, minute = EVENT_HOURS[kind]
            starts = _ts(self.days[day], hour * 3600 + minute * 60)
            created_day = min(self.T - 1, max(0, day - rng.randint(7, 40)))
            created = _ts(self.days[created_day], rng.randrange(32400, 64800))
            organizer = rng.choice(ORGANIZERS[lang])
            if kind == "chapter_meeting" and "BNI" not in organizer and "БНИ" not in organizer:
                organizer = "BNI"
            rows.append(
                (
                    eid,
                    created,
                    created,
                    title,
                    kind,
                    starts,
                    rng.choice(VENUES[lang]),
                    city[0],
                    organizer,
                    "",
                )
            )
            li = LANG_INDEX[lang]
            self.event_day.append(day)
            self.event_lang.append(li)
            self.event_kind.append(kind)
            self.event_title.append(title)
            if kind != "one_to_one":  # where people are met and referrals passed on
                self.events_by_lang[li][0].append(day)
                self.events_by_lang[li][1].append(eid)
        self.event_base = base_id
        self.conn.executemany(
            "INSERT INTO event (id, created_at, updated_at, title, kind, starts_at, venue, city, "
            "organizer, notes) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.counts["events"] = count

    def _event_before(self, li: int, day: int) -> int | None:
        """A past group event of the language in the 60 days up to ``day``, or None."""
        days, ids = self.events_by_lang[li]
        hi = bisect_right(days, day)
        lo = bisect_left(days, day - 60)
        if hi <= lo:
            return None
        eid = ids[self.rng.randrange(lo, hi)]
        # Keep events to a plausible size (the first referrals fill them).
        return eid if len(self.forced.get(eid, ())) < 30 else None

    # -- contacts, referrals and what comes with them ---------------------------

    def name(self, cid: int) -> str:
        code = self.name_code[cid - self.contact_base + 1]
        li, g, gi, fi = code >> 20, (code >> 19) & 1, (code >> 10) & 0x1FF, code & 0x3FF
        lang = LANGUAGE_WEIGHTS[li][0]
        return f"{GIVEN[lang][g][gi]} {FAMILY[lang][fi][g]}"

    def contacts(self, base: dict[str, int], tag_ids: dict[str, int], progress: Any) -> None:
        self.contact_base = base["contact"]
        self.ids = dict(base)
        for start in range(0, self.n, CHUNK):
            self._chunk(start, min(self.n, start + CHUNK), tag_ids)
            progress(min(self.n, start + CHUNK))

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _chunk(self, lo: int, hi: int, tag_ids: dict[str, int]) -> None:
        rng = self.rng
        rand = rng.random
        randrange = rng.randrange
        days = self.days
        T = self.T
        n = self.n
        cbase = self.contact_base - 1  # id = cbase + index (index from 1)
        parent, depth, urn = self.parent, self.depth, self.urn
        contacts_rows: list[tuple[Any, ...]] = []
        email_rows: list[tuple[Any, ...]] = []
        phone_rows: list[tuple[Any, ...]] = []
        tag_rows: list[tuple[int, int]] = []
        fts_rows: list[tuple[int, str]] = []
        self.ref_rows: list[tuple[Any, ...]] = []
        self.change_rows: list[tuple[Any, ...]] = []
        self.followup_rows: list[tuple[Any, ...]] = []
        self.reward_rows: list[tuple[Any, ...]] = []
        self.voucher_rows: list[tuple[Any, ...]] = []
        self.interaction_rows: list[tuple[Any, ...]] = []
        inter = self.interaction_rows
        for idx in range(lo + 1, hi + 1):
            cid = cbase + idx
            day = (idx - 1) * HISTORY_DAYS // n
            created = _ts(days[day], randrange(28800, 72000))
            lang = self.language.pick(rng)
            li = LANG_INDEX[lang]
            country = self.country[lang].pick(rng)
            info = COUNTRY_INFO[country]
            g = 1 if rand() < 0.5 else 0
            givens = GIVEN[lang][g]
            gi = randrange(len(givens))
            fi = randrange(len(FAMILY[lang]))
            given = givens[gi]
            family = FAMILY[lang][fi][g]
            self.name_code[idx] = (li << 20) | (g << 19) | (gi << 10) | fi
            display = f"{given} {family}"
            self.lang_ids[li].append(cid)

            # Organization and place.
            org_id = None
            org_list = self.org_ids[li]
            if org_list and rand() < 0.7:
                org_id = org_list[int(len(org_list) * rand() ** 1.6)]
                org_country, org_city = self.org_city[org_id]
                if org_country == country and rand() < 0.7:
                    city = org_city
                else:
                    city = self.city[country].pick(rng)
            else:
                city = self.city[country].pick(rng)
            street = info["address"].format(street=rng.choice(info["streets"]), n=randrange(1, 180))
            postcode = city[2](rng)
            title = rng.choice(TITLES[lang])[g] if rand() < 0.8 else ""

            # Birthday for ~60%: some without the year.
            birthday = None
            year = None
            if rand() < 0.6:
                month, mday = randrange(1, 13), randrange(1, 29)
                if rand() < 0.25:
                    birthday = f"--{month:02d}-{mday:02d}"
                else:
                    year = randrange(1952, 2003)
                    birthday = f"{year}-{month:02d}-{mday:02d}"
                if rand() < 0.3:
                    self._birthday_followup(cid, display, month, mday)

            # Emails: most one, some two (often one at work), some none.
            emails: list[str] = []
            r = rand()
            if r < 0.88:
                emails.append(self.email(given, family, self.domain[country].pick(rng), year))
                if r < 0.16:
                    if org_id is not None:
                        emails.append(self.email(given, family, self.org_domain[org_id], None))
                    else:
                        domain = self.domain[country].pick(rng)
                        emails.append(self.email(given, family, domain, year))
            # Phones: most a mobile, some also a landline.
            phones: list[tuple[str, str]] = []
            r = rand()
            if r < 0.85:
                phones.append(self.phone(country))
                if r < 0.2:
                    phones.append(self.phone(country, city[3]))
            elif r < 0.93:
                phones.append(self.phone(country, city[3]))

            # The primary referrer: an earlier contact (so the forest has no cycle).
            giver = 0
            if idx > 3 and rand() >= 0.10:
                m = rand()
                if m < 0.05:
                    t = randrange(2)
                    giver = self.chain_tips[t]
                    if giver == 0 or depth[giver] >= MAX_DEPTH:
                        giver = urn[randrange(len(urn))]
                    self.chain_tips[t] = idx
                elif m < 0.60:
                    giver = urn[randrange(len(urn))]  # preferential attachment
                else:
                    giver = randrange(1, idx)
                while depth[giver] >= MAX_DEPTH:
                    giver = parent[giver]
                parent[idx] = giver
                depth[idx] = depth[giver] + 1
                urn.append(giver)
                self.given_count[giver] += 1
            urn.append(idx)
            if rand() < 0.01:
                urn.extend((idx, idx, idx, idx))  # a natural connector

            status = None
            event_id = None
            if giver:
                channel = self.referred_channel.pick(rng)
                if channel == "event" or rand() < 0.06:
                    event_id = self._event_before(li, day)
                status = self._referral(cbase + giver, cid, day, created, event_id, primary=True)
                if event_id is not None:
                    met = self.forced.setdefault(event_id, [])
                    met.append((cid, "visitor"))
                    # The giver was there too, if they were a contact by then.
                    giver_day = (giver - 1) * HISTORY_DAYS // n
                    if giver_day <= self.event_day[event_id - self.event_base]:
                        met.append((cbase + giver, "member"))
            else:
                channel = self.root_channel.pick(rng)
                if channel == "event":
                    event_id = self._event_before(li, day)
                    if event_id is not None:
                        self.forced.setdefault(event_id, []).append((cid, "visitor"))
            if status == "won":
                stage = "ambassador" if rand() < 0.15 else "customer"
            elif status is not None:
                stage = self.open_stage.pick(rng)
            else:
                stage = self.root_stage.pick(rng)

            consent = rand() < 0.55
            consent_date = days[randrange(day, T)] if consent else None
            archived = 1 if rand() < 0.02 else 0
            last_asked = None
            if stage in ("customer", "ambassador") and rand() < 0.4:
                last_asked = days[randrange(max(day, T - 365), T)]
            stay = rng.choice((30, 60, 90, 180)) if rand() < 0.15 else None
            notes = rng.choice(NOTES[lang]) if rand() < 0.08 else ""
            updated = created if rand() < 0.7 else _ts(days[randrange(day, T)], 50000)
            if updated < created:
                updated = created
            contacts_rows.append(
                (
                    cid,
                    created,
                    updated,
                    given,
                    family,
                    org_id,
                    title,
                    emails[0] if emails else "",
                    phones[0][0] if phones else "",
                    street,
                    city[0],
                    postcode,
                    city[1] if country in ("IT", "US", "IE") else "",
                    country,
                    lang,
                    birthday,
                    channel,
                    stage,
                    int(consent),
                    consent_date,
                    notes,
                    archived,
                    last_asked,
                    stay,
                )
            )
            for pos, address in enumerate(emails):
                email_rows.append((created, created, cid, address, "", pos))
            for pos, (e164, original) in enumerate(phones):
                phone_rows.append((created, created, cid, e164, original, "", pos))
            if rand() < 0.3:
                picker = self.tags_by_lang[lang]
                chosen = {picker.pick(rng) for _ in range(1 + int(rand() * 2.5))}
                tag_rows.extend((cid, tag_ids[name]) for name in sorted(chosen))
            fts_rows.append(
                (
                    cid,
                    self.document(
                        given,
                        family,
                        self.org_name[org_id] if org_id is not None else "",
                        emails,
                        [p[0] for p in phones],
                        city[0],
                    ),
                )
            )
            inter.append((cid, "created", created, "Contact created", None, None, None))
            if notes and rand() < 0.5:
                inter.append((cid, "note", updated, notes, None, None, None))
            if rand() < 0.12:
                kind = rng.choice(("call", "meeting", "email"))
                when = _ts(days[randrange(day, T)], randrange(32400, 64800))
                inter.append((cid, kind, when, rng.choice(NOTES[lang]), None, None, None))

            # An extra, non-primary referral for ~5%: another earlier giver.
            if giver and idx > 4 and rand() < 0.055:
                other = randrange(1, idx)
                if other != giver:
                    on = randrange(day, T)
                    self._referral(
                        cbase + other,
                        cid,
                        on,
                        _ts(days[on], randrange(32400, 64800)),
                        None,
                        primary=False,
                    )

            # Follow-ups the user set: some overdue, some today, some ahead, some done.
            if rand() < 0.12:
                self._followup(cid, display, day)
            # Vouchers handed to good clients to pass on.
            if stage in ("customer", "ambassador") and rand() < 0.06:
                for _ in range(1 + int(rand() * 1.6)):
                    self._voucher(cid, day, None)

        conn = self.conn
        conn.executemany(
            "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, "
            "organization_id, title, email, phone, street, city, postcode, region, country, "
            "language, birthday, channel, stage, marketing_consent, consent_date, notes, "
            "archived, last_asked_for_referral, stay_in_touch_days) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            contacts_rows,
        )
        conn.executemany(
            "INSERT INTO email_address (created_at, updated_at, contact_id, address, label, "
            "position) VALUES (?,?,?,?,?,?)",
            email_rows,
        )
        conn.executemany(
            "INSERT INTO phone_number (created_at, updated_at, contact_id, number, original, "
            "label, position) VALUES (?,?,?,?,?,?,?)",
            phone_rows,
        )
        conn.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?,?)", tag_rows)
        self._flush_referral_rows()
        conn.executemany(f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?,?)", fts_rows)
        self.counts["contacts"] += len(contacts_rows)

    def _flush_referral_rows(self) -> None:
        conn = self.conn
        conn.executemany(
            "INSERT INTO referral (id, created_at, updated_at, giver_id, referred_id, "
            "receiver_id, referred_on, event_id, program, temperature, status, "
            "status_changed_at, value, currency, is_primary, suspicion, notes) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'','')",
            self.ref_rows,
        )
        conn.executemany(
            "INSERT INTO referral_status_change (referral_id, from_status, to_status, changed_at) "
            "VALUES (?,?,?,?)",
            self.change_rows,
        )
        conn.executemany(
            "INSERT INTO voucher (id, created_at, updated_at, code, batch, holder_id, value, "
            "currency, expires, status, printed_at, redeemed_at, redeemed_by_id, referral_id, "
            "voided_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.voucher_rows,
        )
        conn.executemany(
            "INSERT INTO reward (created_at, updated_at, referral_id, contact_id, kind, amount, "
            "currency, points, status, given_at, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            self.reward_rows,
        )
        self._flush_followups_and_history()
        self.counts["referrals"] += len(self.ref_rows)
        self.counts["vouchers"] += len(self.voucher_rows)
        self.counts["rewards"] += len(self.reward_rows)

    def _flush_followups_and_history(self) -> None:
        self.conn.executemany(
            "INSERT INTO follow_up (created_at, updated_at, contact_id, referral_id, event_id, "
            "kind, title, notes, due, done_at, snoozed_until, rule) "
            "VALUES (?,?,?,?,?,?,?,'',?,?,?,?)",
            self.followup_rows,
        )
        self.conn.executemany(
            "INSERT INTO interaction (contact_id, kind, happened_at, summary, referral_id, "
            "event_id, voucher_id) VALUES (?,?,?,?,?,?,?)",
            self.interaction_rows,
        )
        self.counts["followups"] += len(self.followup_rows)
        self.counts["interactions"] += len(self.interaction_rows)
        self.followup_rows = []
        self.interaction_rows = []

    def _status(self, age: int) -> str:
        for limit, picker in self.status_by_age:
            if age < limit:
                return str(picker.pick(self.rng))
        raise AssertionError("unreachable")  # pragma: no cover

    def _referral(
        self,
        giver: int,
        referred: int,
        day: int,
        when: str,
        event_id: int | None,
        *,
        primary: bool,
    ) -> str:
        """Queue a referral with its status history, follow-up, reward and history lines."""
        rng = self.rng
        rand = rng.random
        days = self.days
        T = self.T
        rid = self._next("referral")
        age = T - day
        status = self._status(age)
        program = self.program.pick(rng)
        if status == "won":
            path = ["new", "contacted"]
            if rand() < 0.7:
                path.append("meeting")
            if rand() < 0.8:
                path.append("proposal")
            path.append("won")
        elif status == "lost":
            path = [*models.OPEN_STATUSES[: rng.randint(1, 4)], "lost"]
        else:
            path = list(models.OPEN_STATUSES[: models.OPEN_STATUSES.index(status) + 1])
        span = max(0, min(age - 1, 150))
        steps = sorted(rng.randint(0, span) for _ in range(len(path) - 1))
        stamps = [when]
        for offset in steps:
            stamps.append(max(stamps[-1], _ts(days[day + offset], rng.randrange(32400, 68400))))
        previous = None
        for to_status, stamp in zip(path, stamps, strict=True):
            self.change_rows.append((rid, previous, to_status, stamp))
            previous = to_status
        changed = stamps[-1]
        value = None
        currency = "EUR"
        if status == "won":
            value = round(min(25000.0, max(150.0, rng.lognormvariate(7.4, 0.9))), 2)
            r = rand()
            currency = "GBP" if r < 0.07 else "USD" if r < 0.1 else "EUR"
        receiver = None
        if not primary and rand() < 0.2:
            receiver = rng.randrange(self.contact_base, referred)
            if receiver in (giver, referred):
                receiver = None
        self.ref_rows.append(
            (
                rid,
                when,
                changed,
                giver,
                referred,
                receiver,
                days[day],
                event_id,
                program,
                self.temperature.pick(rng),
                status,
                changed,
                value,
                currency,
                int(primary),
            )
        )
        if not primary:
            self.given_count[giver - self.contact_base + 1] += 1
        giver_name, referred_name = self.name(giver), self.name(referred)
        inter = self.interaction_rows
        inter.append(
            (giver, "referral_given", when, f"Referred {referred_name}", rid, event_id, None)
        )
        inter.append(
            (referred, "referral_received", when, f"Referred by {giver_name}", rid, event_id, None)
        )
        if status in models.CLOSED_STATUSES:
            money = f" ({value:.2f} {currency})" if value is not None else ""
            inter.append(
                (
                    giver,
                    "referral_status",
                    changed,
                    f"Referral of {referred_name}: {path[-2]} → {status}{money}",
                    rid,
                    None,
                    None,
                )
            )
        # The rule's "contact within 2 days" reminder, done once the referral moved on.
        due = days[min(day + 2, len(days) - 1)]
        done = stamps[1] if len(stamps) > 1 else None
        self.followup_rows.append(
            (
                when,
                done or when,
                referred,
                rid,
                None,
                "call",
                f"Contact {referred_name}, referred by {giver_name}",
                due,
                done,
                None,
                "referral",
            )
        )
        if program == "tangible" and primary:
            self._voucher(giver, max(0, day - rng.randint(5, 90)), (rid, referred, day, when))
        if value is not None:  # won
            self._reward(giver, rid, program, value, currency, changed, steps[-1] + day)
            if rand() < 0.1:  # two-sided: the friend got a welcome discount too
                self.reward_rows.append(
                    (
                        changed,
                        changed,
                        rid,
                        referred,
                        "discount",
                        round(value * 0.05, 2),
                        currency,
                        0,
                        "given",
                        changed,
                        "Welcome discount",
                    )
                )
        return status

    def _reward(
        self,
        contact: int,
        rid: int,
        program: str,
        value: float,
        currency: str,
        when: str,
        day: int,
    ) -> None:
        rng = self.rng
        kind = "donation" if program == "community" else self.reward_kind.pick(rng)
        points = 0
        amount = 0.0
        if kind == "gift":
            amount = float(rng.randrange(20, 90, 5))
        elif kind == "discount":
            amount = round(min(500.0, value * rng.choice((0.05, 0.1))), 2)
        elif kind == "cash":
            amount = round(min(1000.0, value * 0.05), 2)
        elif kind == "points":
            points = rng.randrange(100, 2000, 50)
        elif kind == "voucher":
            amount = float(rng.choice((25, 50, 100)))
        elif kind == "donation":
            amount = float(rng.randrange(50, 500, 10))
        given = rng.random() < 0.6 and day < self.T
        given_at = None
        if given:
            given_at = _ts(self.days[rng.randrange(day, self.T)], rng.randrange(32400, 64800))
        if given_at is not None and given_at < when:
            given_at = when
        self.reward_rows.append(
            (
                when,
                given_at or when,
                rid,
                contact,
                kind,
                amount,
                currency,
                points,
                "given" if given else "pending",
                given_at,
                "",
            )
        )
        if given_at is not None:
            inter = self.interaction_rows
            inter.append(
                (contact, "reward_given", given_at, f"Reward given: {kind}", rid, None, None)
            )
            if kind == "thank_you_letter":
                inter.append(
                    (
                        contact,
                        "letter_printed",
                        given_at,
                        "Thank-you letter printed",
                        rid,
                        None,
                        None,
                    )
                )

    def _voucher(self, holder: int, day: int, redeemed: tuple[int, int, int, str] | None) -> None:
        rng = self.rng
        hidx = holder - self.contact_base + 1
        # Issued after the holder became a contact, before any redemption.
        first = (hidx - 1) * HISTORY_DAYS // self.n
        upper = redeemed[2] if redeemed else self.T
        day = max(first, min(day, upper - 1)) if redeemed else rng.randrange(first, self.T)
        issued = _ts(self.days[day], rng.randrange(32400, 64800))
        if redeemed is not None and issued > redeemed[3]:
            issued = redeemed[3]
        expires = self.days[day + 365]
        code = ""
        while not code or code in self.voucher_codes:
            code = codes.generate(rng)
        self.voucher_codes.add(code)
        vid = self._next("voucher")
        date = self.start + dt.timedelta(days=day)
        batch = f"{date.year}-Q{(date.month - 1) // 3 + 1}"
        value = float(rng.choice((25, 50, 50, 75, 100, 150)))
        printed = issued if rng.random() < 0.85 else None
        status, redeemed_at, redeemed_by, rid, voided = "issued", None, None, None, None
        if redeemed is not None:
            rid, redeemed_by, _rday, redeemed_at = redeemed
            status = "redeemed"
            printed = issued
        elif rng.random() < 0.08:
            status = "void"
            voided = _ts(self.days[rng.randrange(day, self.T)], 60000)
        updated = redeemed_at or voided or issued
        self.voucher_rows.append(
            (
                vid,
                issued,
                updated,
                code,
                batch,
                holder,
                value,
                "EUR",
                expires,
                status,
                printed,
                redeemed_at,
                redeemed_by,
                rid,
                voided,
            )
        )
        inter = self.interaction_rows
        inter.append((holder, "voucher_issued", issued, f"Voucher {code} issued", None, None, vid))
        if redeemed is not None:
            assert redeemed_at is not None
            inter.append(
                (
                    holder,
                    "voucher_redeemed",
                    redeemed_at,
                    f"Voucher {code} redeemed by {self.name(redeemed[1])}",
                    rid,
                    None,
                    vid,
                )
            )

    def _followup(self, cid: int, display: str, day: int) -> None:
        rng = self.rng
        T = self.T
        kind = self.followup_kind.pick(rng)
        r = rng.random()
        done = None
        if r < 0.25:
            due = T - rng.randint(1, 30)  # overdue
        elif r < 0.35:
            due = T  # today
        elif r < 0.75:
            due = T + rng.randint(1, 45)  # upcoming
        else:
            due = T - rng.randint(1, 120)
            done = due
        due = max(due, day + 1)
        created_day = max(day, min(due, T) - rng.randint(0, 20))
        created = _ts(self.days[min(created_day, T - 1)], 36000)
        title = {
            "call": "Call {}",
            "email": "Email {}",
            "meeting": "Meeting with {}",
            "ask_referral": "Ask {} for a referral",
            "thank_you": "Thank {}",
            "stay_in_touch": "Stay in touch with {}",
        }[kind].format(display)
        done_at = None
        if done is not None and due < T:
            done_at = _ts(self.days[min(T - 1, due + rng.randint(0, 3))], 61200)
            if done_at < created:
                done_at = created
        snoozed = None
        if done_at is None and rng.random() < 0.05:
            snoozed = self.days[T + rng.randint(1, 7)]
        self.followup_rows.append(
            (
                created,
                done_at or created,
                cid,
                None,
                None,
                kind,
                title,
                self.days[due],
                done_at,
                snoozed,
                "stay_in_touch" if kind == "stay_in_touch" else "",
            )
        )
        if done_at is not None:
            self.interaction_rows.append((cid, "followup_done", done_at, title, None, None, None))

    def _birthday_followup(self, cid: int, display: str, month: int, mday: int) -> None:
        today = self.today
        try:
            this_year = dt.date(today.year, month, mday)
        except ValueError:  # pragma: no cover - days are 1..28
            return
        if this_year < today:
            this_year = this_year.replace(year=today.year + 1)
        ahead = (this_year - today).days
        if ahead > 14:
            return
        due = self.days[self.T + ahead]
        created = _ts(self.days[self.T - 1], 21600)
        self.followup_rows.append(
            (
                created,
                created,
                cid,
                None,
                None,
                "birthday",
                f"Birthday: {display}",
                due,
                None,
                None,
                "birthday",
            )
        )

    # -- attendance ------------------------------------------------------------------

    def attendances(self) -> None:
        rng = self.rng
        T = self.T
        n = self.n
        cbase = self.contact_base - 1
        rows: list[tuple[Any, ...]] = []
        self.followup_rows = []
        self.interaction_rows = []
        for k, day in enumerate(self.event_day):
            eid = self.event_base + k
            kind = self.event_kind[k]
            li = self.event_lang[k]
            past = day < T
            # Contacts of the event's language known by the day of the event.
            known = n if day >= HISTORY_DAYS else (day * n + HISTORY_DAYS - 1) // HISTORY_DAYS
            pool = self.lang_ids[li]
            eligible = bisect_right(pool, cbase + known)
            target = rng.randint(2, 4) if kind == "one_to_one" else rng.randint(5, 40)
            chosen: dict[int, str] = {}
            for cid, role in self.forced.get(eid, ()):
                chosen.setdefault(cid, role)
            want = max(0, min(target - len(chosen), eligible))
            for j in rng.sample(range(eligible), want) if want else ():
                chosen.setdefault(pool[j], "")
            starts = _ts(self.days[day], EVENT_HOURS[kind][0] * 3600)
            speakers = (
                rng.randint(1, 3)
                if kind == "conference"
                else (1 if kind == "chamber_of_commerce" and rng.random() < 0.5 else 0)
            )
            for position, (cid, forced_role) in enumerate(chosen.items()):
                if position == 0:
                    role = "host"
                elif position <= speakers:
                    role = "speaker"
                elif forced_role:
                    role = forced_role
                else:
                    members = 0.75 if kind == "chapter_meeting" else 0.4
                    role = "member" if rng.random() < members else "visitor"
                met = 1 if past and (forced_role or rng.random() < 0.6) else 0
                rows.append((starts, starts, eid, cid, role, met))
                if past:
                    self.interaction_rows.append(
                        (
                            cid,
                            "event_attended",
                            starts,
                            f"Attended {self.event_title[k]}",
                            None,
                            eid,
                            None,
                        )
                    )
                if met and day >= T - 30 and rng.random() < 0.7:
                    due = day + 3
                    done_at = None
                    if due < T and rng.random() < 0.5:
                        done_at = _ts(self.days[min(T - 1, due + rng.randint(0, 2))], 36000)
                    self.followup_rows.append(
                        (
                            starts,
                            done_at or starts,
                            cid,
                            None,
                            eid,
                            "call",
                            f"Follow up with {self.name(cid)} after {self.event_title[k]}",
                            self.days[due],
                            done_at,
                            None,
                            "met",
                        )
                    )
            if len(rows) >= 20_000:
                self._flush_attendance(rows)
                rows = []
        self._flush_attendance(rows)

    def _flush_attendance(self, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(
            "INSERT INTO attendance (created_at, updated_at, event_id, contact_id, role, "
            "met_in_person) VALUES (?,?,?,?,?,?)",
            rows,
        )
        self.counts["attendances"] += len(rows)
        self._flush_followups_and_history()

    def promote_ambassadors(self) -> None:
        """Contacts who gave four or more referrals become ambassadors."""
        cbase = self.contact_base - 1
        now = _ts(self.days[self.T - 1], 72000)
        ids = [(now, cbase + idx) for idx in range(1, self.n + 1) if self.given_count[idx] >= 4]
        self.conn.executemany(
            "UPDATE contact SET stage = 'ambassador', updated_at = ? "
            "WHERE id = ? AND stage IN ('prospect', 'lead', 'customer')",
            ids,
        )

    def forest_summary(self) -> tuple[int, int, int]:
        """(largest root id, its descendants, deepest depth) of the primary forest."""
        n = self.n
        parent = self.parent
        size = array("i", bytes(4 * (n + 1)))
        for idx in range(n, 0, -1):
            p = parent[idx]
            if p:
                size[p] += size[idx] + 1
        best, best_size = 1, -1
        for idx in range(1, n + 1):
            if parent[idx] == 0 and size[idx] > best_size:
                best, best_size = idx, size[idx]
        return self.contact_base - 1 + best, best_size, max(self.depth)


def _check_count(contacts: object) -> int:
    if isinstance(contacts, bool) or not isinstance(contacts, int):
        raise ValidationError(
            f"The number of demo contacts must be a whole number, not {contacts!r}", "contacts"
        )
    if not 1 <= contacts <= MAX_CONTACTS:
        raise ValidationError(
            f"The number of demo contacts must be between 1 and {MAX_CONTACTS:,}, not {contacts:,}",
            "contacts",
        )
    return contacts


def generate(
    store: Store,
    contacts: int = 2000,
    seed: int = 1,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]:
    """Fill an empty SQLite database with a demo referral network of ``contacts`` people.

    Deterministic for a ``seed`` on a given day. ``progress(done, total)`` is
    called now and then; when it returns True the generation stops, the
    database is left exactly as it was and :class:`CancelledError` is raised.
    A database that holds contacts, or a count outside 1 to 1,000,000, is
    refused with a :class:`ValidationError`. Returns the counts of what was
    made and facts about the forest: its largest tree and its depth.
    """
    started = time.perf_counter()
    count = _check_count(contacts)
    if not getattr(store, "is_sqlite", False):
        raise ValidationError("Demo data can be generated into a SQLite database only")
    db = store.db
    existing = db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    if existing:
        raise ValidationError(
            f"The database already holds {existing} contacts; demo data goes into an empty database"
        )
    conn = db.connection()
    total = count + max(count // 4, 1)

    def report(done: int) -> None:
        if progress is not None and progress(min(done, total), total):
            raise CancelledError("Demo data generation was cancelled; the database was not changed")

    today = dt.date.today()
    rng = Random(seed)
    gen = _Generator(conn, rng, count, today)
    saved = _loading_pragmas(conn)
    try:
        with db.atomic():
            report(0)
            indexes = _drop_indexes(conn)
            base = {
                table: conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
                for table in ("contact", "organization", "event", "referral", "voucher")
            }
            # Index rows left by contacts long gone would clash with the new ids.
            conn.execute(f"DELETE FROM {search.FTS_TABLE}")
            tag_ids = _tags(conn)
            gen.organizations(max(5, count // 8), base["organization"])
            gen.events(max(3, count // 50), base["event"])
            gen.contacts(base, tag_ids, report)
            step = max(1, (total - count) // (len(indexes) + 2))
            gen.attendances()
            gen.promote_ambassadors()
            _profile(conn, rng)
            done = count + step
            report(done)
            for statement in indexes:
                conn.execute(statement)
                done += step
                report(done)
            # One merged search index answers short prefixes ("m") several times faster.
            conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
            report(total)
    finally:
        _restore_pragmas(conn, saved)
    root, root_size, deepest = gen.forest_summary()
    summary: dict[str, Any] = {
        "contacts": gen.counts["contacts"],
        "organizations": gen.counts["organizations"],
        "events": gen.counts["events"],
        "attendances": gen.counts["attendances"],
        "referrals": gen.counts["referrals"],
        "followups": gen.counts["followups"],
        "rewards": gen.counts["rewards"],
        "vouchers": gen.counts["vouchers"],
        "largest_root_id": root,
        "largest_root_descendants": root_size,
        "deepest_depth": deepest,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return summary


def _loading_pragmas(conn: Any) -> dict[str, Any]:
    """Settings for a fast bulk load into an empty database; returns what to restore.

    Foreign keys are not checked row by row (the generator only refers to rows
    it made; the tests run ``PRAGMA foreign_key_check``), and a WAL database
    uses a rollback journal for the load: new pages are then written once,
    instead of to the WAL and again at the checkpoint, and a rollback (cancel)
    only restores the few pages the empty database had. Without ``fsync``
    (``synchronous = OFF``) a power cut during the load can damage the file,
    which held no contacts; a crash of the app cannot.
    """
    saved = {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("cache_size", "synchronous", "foreign_keys", "temp_store", "journal_mode")
    }
    conn.execute("PRAGMA cache_size = -131072")  # 128 MB while loading
    if conn.in_transaction:
        # Inside the caller's transaction the rest cannot change: load as things are.
        return {"cache_size": saved["cache_size"]}
    conn.execute("PRAGMA synchronous = OFF")
    # Index builds sort in temporary files rather than in memory, whatever the size.
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA foreign_keys = OFF")
    if str(saved["journal_mode"]).lower() == "wal":
        # Refused (left as WAL) when another connection has the file open.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = TRUNCATE").fetchone()
    return saved


def _restore_pragmas(conn: Any, saved: dict[str, Any]) -> None:
    if "journal_mode" in saved:
        current = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if current != str(saved["journal_mode"]).lower():
            conn.execute(f"PRAGMA journal_mode = {saved['journal_mode']}").fetchone()
    for name, value in saved.items():
        if name != "journal_mode":
            conn.execute(f"PRAGMA {name} = {int(value)}")


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes; return the SQL that recreates them."""
    placeholders = ",".join("?" for _ in _BULK_TABLES)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders}) ORDER BY tbl_name, name",
        _BULK_TABLES,
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _tags(conn: Any) -> dict[str, int]:
    """The demo's tags by name, reusing a tag of the same (folded) name."""
    by_folded = "folded" in {r[1] for r in conn.execute("PRAGMA table_info(tag)")}
    stamp = dt.datetime.combine(
        dt.date.today() - dt.timedelta(days=HISTORY_DAYS), dt.time(9)
    ).isoformat(sep=" ")
    ids: dict[str, int] = {}
    for name, _lang, _w in TAGS:
        key = fold(name)
        if by_folded:
            found = conn.execute("SELECT id FROM tag WHERE folded = ?", (key,)).fetchone()
        else:
            found = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
        if found is not None:
            ids[name] = found[0]
        elif by_folded:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name, folded) VALUES (?,?,?,?)",
                (stamp, stamp, name, key),
            ).lastrowid
        else:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name) VALUES (?,?,?)",
                (stamp, stamp, name),
            ).lastrowid
    return ids


def _profile(conn: Any, rng: Random) -> None:
    """Make the sender a plausible consultant, unless the profile is already filled in."""
    sender = rng.choice(PROFILES)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(profile)")]
    row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    if row is None:
        stamp = models.now().isoformat(sep=" ")
        conn.execute(
            "INSERT INTO profile (id, created_at, updated_at) VALUES (1, ?, ?)", (stamp, stamp)
        )
        row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    current = dict(zip(columns, row, strict=True))
    if current.get("name"):
        return  # the user's own sender: leave it alone
    changes = {**sender, "currency": "EUR"}
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE profile SET {assignments} WHERE id = 1", list(changes.values()))
