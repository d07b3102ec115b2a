"""The demo's contacts, made in chunks, each with what comes with them.

:class:`ContactSteps` makes one contact at a time (name, place, birthday,
emails, phones, primary referrer, how we met them, stage, tags, history,
extra referrals, follow-ups, vouchers) and writes each chunk in bulk. The
random draws happen in a fixed order, so a seed on a given day always makes
the same people.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from crm.core import search
from crm.core.rule_lines import pair
from crm.demo.data import FAMILY, GIVEN, LANG_INDEX, NOTES, TITLES
from crm.demo.places import COUNTRY_INFO, City
from crm.demo.referrals import ReferralRecords
from crm.demo.values import HISTORY_DAYS, timestamp

MAX_DEPTH = 20  # deepest primary-referrer chain the demo builds
CHUNK = 5_000
_CREATED = pair("history.contact_created")

_INSERT_CONTACT = (
    "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, "
    "organization_id, title, email, phone, street, city, postcode, region, country, "
    "language, birthday, channel, stage, marketing_consent, consent_date, notes, "
    "archived, last_asked_for_referral, stay_in_touch_days) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


@dataclass(slots=True)
class _Person:
    """One demo contact while its rows are made: what the later draws depend on."""

    idx: int  # position in the demo, from 1
    cid: int
    day: int  # index into the generator's days
    created: str
    lang: str
    country: str
    given: str
    family: str
    org_id: int | None
    city: City
    street: str
    postcode: str
    title: str
    birthday: str | None = None
    year: int | None = None
    channel: str = ""
    stage: str = ""
    notes: str = ""
    updated: str = ""

    @property
    def display(self) -> str:
        return f"{self.given} {self.family}"


@dataclass(slots=True)
class _ChunkRows:
    """The rows of one chunk of contacts, written together."""

    contacts: list[tuple[Any, ...]] = field(default_factory=list)
    emails: list[tuple[Any, ...]] = field(default_factory=list)
    phones: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)
    # What the search index is made of: (id, given, family, organization, emails, phones, city).
    indexed: list[tuple[int, str, str, str, list[str], list[str], str]] = field(
        default_factory=list
    )


class ContactSteps(ReferralRecords):
    """The contacts step of the generator; organizations and events come first."""

    # Set by the organization and event steps (crm.demo.generator).
    org_ids: list[list[int]]
    org_city: dict[int, tuple[str, City]]
    org_domain: dict[int, str]
    org_name: dict[int, str]
    event_base: int
    event_day: list[int]
    events_by_lang: list[tuple[list[int], list[int]]]

    def contacts(self, base: dict[str, int], tag_ids: dict[str, int], progress: Any) -> None:
        """Make every demo contact, a chunk at a time; ``progress(done)`` after each."""
        self.contact_base = base["contact"]
        self.ids = dict(base)
        for start in range(0, self.n, CHUNK):
            self._chunk(start, min(self.n, start + CHUNK), tag_ids)
            progress(min(self.n, start + CHUNK))

    def _chunk(self, lo: int, hi: int, tag_ids: dict[str, int]) -> None:
        rows = _ChunkRows()
        self.ref_rows = []
        self.change_rows = []
        self.followup_rows = []
        self.reward_rows = []
        self.voucher_rows = []
        self.interaction_rows = []
        for idx in range(lo + 1, hi + 1):
            self._contact(idx, rows, tag_ids)
        conn = self.conn
        conn.executemany(_INSERT_CONTACT, rows.contacts)
        conn.executemany(
            "INSERT INTO email_address (created_at, updated_at, contact_id, address, label, "
            "position) VALUES (?,?,?,?,?,?)",
            rows.emails,
        )
        conn.executemany(
            "INSERT INTO phone_number (created_at, updated_at, contact_id, number, original, "
            "label, position) VALUES (?,?,?,?,?,?,?)",
            rows.phones,
        )
        conn.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?,?)", rows.tags)
        self._flush_referral_rows()
        search.index_new_contacts(conn, self.contact_base + lo, rows.indexed)
        self.counts["contacts"] += len(rows.contacts)

    def _contact(self, idx: int, rows: _ChunkRows, tag_ids: dict[str, int]) -> None:
        """Make the ``idx``-th contact and queue its rows and what comes with it."""
        p = self._person(idx)
        self._birthday(p)
        emails = self._emails(p)
        phones = self._phones(p)
        giver = self._primary_referrer(idx)
        self._arrival(p, giver)
        rows.contacts.append(self._contact_row(p, emails, phones))
        created, cid = p.created, p.cid
        for pos, address in enumerate(emails):
            rows.emails.append((created, created, cid, address, "", pos))
        for pos, (e164, original) in enumerate(phones):
            rows.phones.append((created, created, cid, e164, original, "", pos))
        rng = self.rng
        if rng.random() < 0.3:
            picker = self.tags_by_lang[p.lang]
            chosen = {picker.pick(rng) for _ in range(1 + int(rng.random() * 2.5))}
            rows.tags.extend((cid, tag_ids[name]) for name in sorted(chosen))
        org = self.org_name[p.org_id] if p.org_id is not None else ""
        numbers = [number for number, _original in phones]
        rows.indexed.append((cid, p.given, p.family, org, emails, numbers, p.city[0]))
        self._history(p)
        self._later(p, giver)

    def _person(self, idx: int) -> _Person:
        """Who the contact is and where: name, language, country, organization, address."""
        rng = self.rng
        rand, randrange = rng.random, rng.randrange
        day = (idx - 1) * HISTORY_DAYS // self.n
        created = timestamp(self.days[day], randrange(28800, 72000))
        lang = self.language.pick(rng)
        li = LANG_INDEX[lang]
        country = self.country[lang].pick(rng)
        g = 1 if rand() < 0.5 else 0
        givens = GIVEN[lang][g]
        gi = randrange(len(givens))
        fi = randrange(len(FAMILY[lang]))
        self.name_code[idx] = (li << 20) | (g << 19) | (gi << 10) | fi
        cid = self.contact_base - 1 + idx
        self.lang_ids[li].append(cid)
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
        info = COUNTRY_INFO[country]
        street = info["address"].format(street=rng.choice(info["streets"]), n=randrange(1, 180))
        postcode = city[2](rng)
        title = rng.choice(TITLES[lang])[g] if rand() < 0.8 else ""
        return _Person(
            idx,
            cid,
            day,
            created,
            lang,
            country,
            givens[gi],
            FAMILY[lang][fi][g],
            org_id,
            city,
            street,
            postcode,
            title,
        )

    def _birthday(self, p: _Person) -> None:
        """A birthday for ~60% (some without the year), some with a reminder."""
        rng = self.rng
        if rng.random() < 0.6:
            month, mday = rng.randrange(1, 13), rng.randrange(1, 29)
            if rng.random() < 0.25:
                p.birthday = f"--{month:02d}-{mday:02d}"
            else:
                p.year = rng.randrange(1952, 2003)
                p.birthday = f"{p.year}-{month:02d}-{mday:02d}"
            if rng.random() < 0.3:
                self._birthday_followup(p.cid, p.display, month, mday)

    def _emails(self, p: _Person) -> list[str]:
        """Most have one, some two (often one at work), some none."""
        rng = self.rng
        emails: list[str] = []
        r = rng.random()
        if r < 0.88:
            emails.append(self.email(p.given, p.family, self.domain[p.country].pick(rng), p.year))
            if r < 0.16:
                if p.org_id is not None:
                    emails.append(self.email(p.given, p.family, self.org_domain[p.org_id], None))
                else:
                    domain = self.domain[p.country].pick(rng)
                    emails.append(self.email(p.given, p.family, domain, p.year))
        return emails

    def _phones(self, p: _Person) -> list[tuple[str, str]]:
        """Most have a mobile, some also a landline; (E.164, as written) pairs."""
        phones: list[tuple[str, str]] = []
        r = self.rng.random()
        if r < 0.85:
            phones.append(self.phone(p.country))
            if r < 0.2:
                phones.append(self.phone(p.country, p.city[3]))
        elif r < 0.93:
            phones.append(self.phone(p.country, p.city[3]))
        return phones

    def _primary_referrer(self, idx: int) -> int:
        """The primary referrer's index, an earlier contact (so no cycle); 0 for none."""
        rng = self.rng
        rand, randrange = rng.random, rng.randrange
        parent, depth, urn = self.parent, self.depth, self.urn
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
        return giver

    def _arrival(self, p: _Person, giver: int) -> None:
        """How we first heard of them (the referral, an event), and their stage."""
        rng = self.rng
        li = LANG_INDEX[p.lang]
        cbase = self.contact_base - 1
        status = None
        if giver:
            p.channel = self.referred_channel.pick(rng)
            event_id = None
            if p.channel == "event" or rng.random() < 0.06:
                event_id = self._event_before(li, p.day)
            status = self._referral(cbase + giver, p.cid, p.day, p.created, event_id, primary=True)
            if event_id is not None:
                met = self.forced.setdefault(event_id, [])
                met.append((p.cid, "visitor"))
                # The giver was there too, if they were a contact by then.
                giver_day = (giver - 1) * HISTORY_DAYS // self.n
                if giver_day <= self.event_day[event_id - self.event_base]:
                    met.append((cbase + giver, "member"))
        else:
            p.channel = self.root_channel.pick(rng)
            if p.channel == "event":
                event_id = self._event_before(li, p.day)
                if event_id is not None:
                    self.forced.setdefault(event_id, []).append((p.cid, "visitor"))
        if status == "won":
            p.stage = "ambassador" if rng.random() < 0.15 else "customer"
        elif status is not None:
            p.stage = self.open_stage.pick(rng)
        else:
            p.stage = self.root_stage.pick(rng)

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

    def _contact_row(
        self, p: _Person, emails: list[str], phones: list[tuple[str, str]]
    ) -> tuple[Any, ...]:
        """The contact's row: consent, archive, cadence and notes are drawn here."""
        rng = self.rng
        rand, randrange, days, T = rng.random, rng.randrange, self.days, self.T
        consent = rand() < 0.55
        consent_date = days[randrange(p.day, T)] if consent else None
        archived = 1 if rand() < 0.02 else 0
        last_asked = None
        if p.stage in ("customer", "ambassador") and rand() < 0.4:
            last_asked = days[randrange(max(p.day, T - 365), T)]
        stay = rng.choice((30, 60, 90, 180)) if rand() < 0.15 else None
        p.notes = rng.choice(NOTES[p.lang]) if rand() < 0.08 else ""
        updated = p.created if rand() < 0.7 else timestamp(days[randrange(p.day, T)], 50000)
        p.updated = max(updated, p.created)
        city, country = p.city, p.country
        return (
            p.cid,
            p.created,
            p.updated,
            p.given,
            p.family,
            p.org_id,
            p.title,
            emails[0] if emails else "",
            phones[0][0] if phones else "",
            p.street,
            city[0],
            p.postcode,
            city[1] if country in ("IT", "US", "IE") else "",
            country,
            p.lang,
            p.birthday,
            p.channel,
            p.stage,
            int(consent),
            consent_date,
            p.notes,
            archived,
            last_asked,
            stay,
        )

    def _history(self, p: _Person) -> None:
        """History lines: created, the note written, sometimes a call or meeting."""
        rng = self.rng
        inter = self.interaction_rows
        said, code = _CREATED
        inter.append((p.cid, "created", p.created, said, None, None, None, code))
        if p.notes and rng.random() < 0.5:
            inter.append((p.cid, "note", p.updated, p.notes, None, None, None, None))
        if rng.random() < 0.12:
            kind = rng.choice(("call", "meeting", "email"))
            when = timestamp(self.days[rng.randrange(p.day, self.T)], rng.randrange(32400, 64800))
            inter.append((p.cid, kind, when, rng.choice(NOTES[p.lang]), None, None, None, None))

    def _later(self, p: _Person, giver: int) -> None:
        """After they arrived: another referral, follow-ups the user set, vouchers."""
        rng = self.rng
        # An extra, non-primary referral for ~5%: another earlier giver.
        if giver and p.idx > 4 and rng.random() < 0.055:
            other = rng.randrange(1, p.idx)
            if other != giver:
                on = rng.randrange(p.day, self.T)
                when = timestamp(self.days[on], rng.randrange(32400, 64800))
                self._referral(self.contact_base - 1 + other, p.cid, on, when, None, primary=False)
        # Follow-ups the user set: some overdue, some today, some ahead, some done.
        if rng.random() < 0.12:
            self._followup(p.cid, p.display, p.day)
        # Vouchers handed to good clients to pass on.
        if p.stage in ("customer", "ambassador") and rng.random() < 0.06:
            for _ in range(1 + int(rng.random() * 1.6)):
                self._voucher(p.cid, p.day, None)
