"""The demo generator's steps: organizations, events, contacts and attendance.

:class:`Generator` makes the rows of each step in turn (the contacts step, in
chunks that grow the primary-referrer forest, is in :mod:`crm.demo.people`) and
sums up the forest at the end. :func:`crm.demo.generate` runs the steps inside
one transaction.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_right
from typing import Any

from crm.core.rule_lines import pair
from crm.core.text import fold
from crm.demo.data import (
    CHAPTERS,
    EVENT_HOURS,
    EVENT_TITLES,
    LANG_INDEX,
    LANGUAGE_WEIGHTS,
    ORGANIZERS,
    VENUES,
)
from crm.demo.people import ContactSteps
from crm.demo.places import COUNTRY_INFO, City
from crm.demo.values import EVENT_FUTURE_DAYS, EVENT_PAST_DAYS, HISTORY_DAYS, latin, timestamp


class Generator(ContactSteps):
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
                    said, code = pair("history.attended", event=self.event_title[k])
                    self.interaction_rows.append(
                        (cid, "event_attended", starts, said, None, eid, None, code)
                    )
                if met and day >= T - 30 and rng.random() < 0.7:
                    self._met_followup(cid, k, day, starts)
            if len(rows) >= 20_000:
                self._flush_attendance(rows)
                rows = []
        self._flush_attendance(rows)

    def _met_followup(self, cid: int, k: int, day: int, starts: str) -> None:
        """The rule's reminder to follow up with someone met at the ``k``-th event."""
        T = self.T
        due = day + 3
        done_at = None
        if due < T and self.rng.random() < 0.5:
            done_at = timestamp(self.days[min(T - 1, due + self.rng.randint(0, 2))], 36000)
        title, code = pair(
            "followup.after_event", contact=self.name(cid), event=self.event_title[k]
        )
        self.followup_rows.append(
            (
                starts,
                done_at or starts,
                cid,
                None,
                self.event_base + k,
                "call",
                title,
                self.days[due],
                done_at,
                None,
                "met",
                code,
            )
        )

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
