"""The demo generator's steps: organizations, events, contacts and attendance.

:class:`Generator` makes the rows of each step in turn (contacts in chunks,
growing the primary-referrer forest as it goes) and sums up the forest at the
end. :func:`crm.demo.generate` runs the steps inside one transaction.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from typing import Any

from crm.core import search
from crm.core.text import fold
from crm.demo.data import (
    CHAPTERS,
    COUNTRY_INFO,
    EVENT_HOURS,
    EVENT_TITLES,
    FAMILY,
    GIVEN,
    LANG_INDEX,
    LANGUAGE_WEIGHTS,
    NOTES,
    ORGANIZERS,
    TITLES,
    VENUES,
    City,
)
from crm.demo.referrals import ReferralRecords
from crm.demo.values import EVENT_FUTURE_DAYS, EVENT_PAST_DAYS, HISTORY_DAYS, latin, timestamp

MAX_DEPTH = 20  # deepest primary-referrer chain the demo builds
CHUNK = 5_000


class Generator(ReferralRecords):
    """Makes the demo rows step by step; see :func:`crm.demo.generate`."""

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
            stamp = timestamp(self.days[day], rng.randrange(28800, 64800))
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
            starts = timestamp(self.days[day], hour * 3600 + minute * 60)
            created_day = min(self.T - 1, max(0, day - rng.randint(7, 40)))
            created = timestamp(self.days[created_day], rng.randrange(32400, 64800))
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

    def contacts(self, base: dict[str, int], tag_ids: dict[str, int], progress: Any) -> None:
        self.contact_base = base["contact"]
        self.ids = dict(base)
        for start in range(0, self.n, CHUNK):
            self._chunk(start, min(self.n, start + CHUNK), tag_ids)
            progress(min(self.n, start + CHUNK))

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
            created = timestamp(days[day], randrange(28800, 72000))
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
            updated = created if rand() < 0.7 else timestamp(days[randrange(day, T)], 50000)
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
                when = timestamp(days[randrange(day, T)], randrange(32400, 64800))
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
                        timestamp(days[on], randrange(32400, 64800)),
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
            starts = timestamp(self.days[day], EVENT_HOURS[kind][0] * 3600)
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
                        done_at = timestamp(self.days[min(T - 1, due + rng.randint(0, 2))], 36000)
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
        now = timestamp(self.days[self.T - 1], 72000)
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
