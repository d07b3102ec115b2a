"""The life of a demo referral, and the rows that come with it.

:class:`ReferralRecords` queues a referral with its status history, the
rule's follow-up, rewards, vouchers, other follow-ups and history lines, and
flushes the queued rows into the database in bulk. The steps that call it are
in :mod:`crm.demo.generator`.
"""

from __future__ import annotations

import datetime as dt

from crm.core import codes, models
from crm.core.rule_lines import Line, line, pair, term
from crm.demo.values import HISTORY_DAYS, DemoBase, timestamp

# The demo's own follow-ups, by kind: their titles' codes.
_TITLES = {
    "call": "followup.call",
    "email": "followup.email",
    "meeting": "followup.meeting",
    "ask_referral": "followup.ask_referral",
    "thank_you": "followup.thank",
    "stay_in_touch": "followup.stay_in_touch_with",
}
_PRINTED = pair("history.letter_printed")
_REWARD_GIVEN = {
    kind: (given.english(), given.stored())
    for kind in models.REWARD_KINDS
    for given in (line("history.reward_given", kind=term("reward", kind)),)
}


def _moved(name: str, old: str, new: str, money: tuple[str, str] | None) -> Line:
    """The giver's line for a referral closed: the move, and the value when won."""
    statuses = {"old": term("status", old), "new": term("status", new)}
    if money is None:
        return line("history.referral_moved", name=name, **statuses)
    return line("history.referral_won", name=name, **statuses, value=money[0], currency=money[1])


class ReferralRecords(DemoBase):
    """Referrals, rewards, vouchers, follow-ups and history lines, queued and flushed."""

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

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
            "kind, title, notes, due, done_at, snoozed_until, rule, message) "
            "VALUES (?,?,?,?,?,?,?,'',?,?,?,?,?)",
            self.followup_rows,
        )
        self.conn.executemany(
            "INSERT INTO interaction (contact_id, kind, happened_at, summary, referral_id, "
            "event_id, voucher_id, message) VALUES (?,?,?,?,?,?,?,?)",
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
        rid = self._next("referral")
        status = self._status(self.T - day)
        program = self.program.pick(rng)
        path = self._status_path(status)
        steps, stamps = self._status_changes(rid, path, day, when)
        changed = stamps[-1]
        value, currency = self._won_value(status)
        receiver = None
        if not primary and rng.random() < 0.2:
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
                self.days[day],
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
        money = (f"{value:.2f}", currency) if value is not None else None
        self._referral_lines(giver, referred, rid, day, event_id, path, stamps, money)
        if program == "tangible" and primary:
            self._voucher(giver, max(0, day - rng.randint(5, 90)), (rid, referred, day, when))
        if value is not None:  # won
            self._reward(giver, rid, program, value, currency, changed, steps[-1] + day)
            if rng.random() < 0.1:  # two-sided: the friend got a welcome discount too
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

    def _status_path(self, status: str) -> list[str]:
        """The statuses a referral went through to reach ``status``."""
        rng = self.rng
        if status == "won":
            path = ["new", "contacted"]
            if rng.random() < 0.7:
                path.append("meeting")
            if rng.random() < 0.8:
                path.append("proposal")
            path.append("won")
            return path
        if status == "lost":
            return [*models.OPEN_STATUSES[: rng.randint(1, 4)], "lost"]
        return list(models.OPEN_STATUSES[: models.OPEN_STATUSES.index(status) + 1])

    def _status_changes(
        self, rid: int, path: list[str], day: int, when: str
    ) -> tuple[list[int], list[str]]:
        """Queue the status history; returns each change's day offset and every stamp."""
        rng = self.rng
        span = max(0, min(self.T - day - 1, 150))
        steps = sorted(rng.randint(0, span) for _ in range(len(path) - 1))
        stamps = [when]
        for offset in steps:
            stamps.append(
                max(stamps[-1], timestamp(self.days[day + offset], rng.randrange(32400, 68400)))
            )
        previous = None
        for to_status, stamp in zip(path, stamps, strict=True):
            self.change_rows.append((rid, previous, to_status, stamp))
            previous = to_status
        return steps, stamps

    def _won_value(self, status: str) -> tuple[float | None, str]:
        """The closed business's value and currency (None for a referral not won)."""
        if status != "won":
            return None, "EUR"
        value = round(min(25000.0, max(150.0, self.rng.lognormvariate(7.4, 0.9))), 2)
        r = self.rng.random()
        return value, "GBP" if r < 0.07 else "USD" if r < 0.1 else "EUR"

    def _referral_lines(
        self,
        giver: int,
        referred: int,
        rid: int,
        day: int,
        event_id: int | None,
        path: list[str],
        stamps: list[str],
        money: tuple[str, str] | None,
    ) -> None:
        """The referral's history lines on both contacts, and the rule's follow-up."""
        when, changed, status = stamps[0], stamps[-1], path[-1]
        giver_name, referred_name = self.name(giver), self.name(referred)
        inter = self.interaction_rows
        said, code = pair("history.referred", name=referred_name)
        inter.append((giver, "referral_given", when, said, rid, event_id, None, code))
        said, code = pair("history.referred_by", name=giver_name)
        inter.append((referred, "referral_received", when, said, rid, event_id, None, code))
        if status in models.CLOSED_STATUSES:
            moved = _moved(referred_name, path[-2], status, money)
            inter.append(
                (
                    giver,
                    "referral_status",
                    changed,
                    moved.english(),
                    rid,
                    None,
                    None,
                    moved.stored(),
                )
            )
        # The rule's "contact within 2 days" reminder, done once the referral moved on.
        done = stamps[1] if len(stamps) > 1 else None
        title, code = pair("followup.referral", referred=referred_name, giver=giver_name)
        self.followup_rows.append(
            (
                when,
                done or when,
                referred,
                rid,
                None,
                "call",
                title,
                self.days[min(day + 2, len(self.days) - 1)],
                done,
                None,
                "referral",
                code,
            )
        )

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
            given_at = timestamp(self.days[rng.randrange(day, self.T)], rng.randrange(32400, 64800))
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
            said, code = _REWARD_GIVEN[kind]
            inter.append((contact, "reward_given", given_at, said, rid, None, None, code))
            if kind == "thank_you_letter":
                said, code = _PRINTED
                inter.append((contact, "letter_printed", given_at, said, rid, None, None, code))

    def _voucher(self, holder: int, day: int, redeemed: tuple[int, int, int, str] | None) -> None:
        rng = self.rng
        hidx = holder - self.contact_base + 1
        # Issued after the holder became a contact, before any redemption.
        first = (hidx - 1) * HISTORY_DAYS // self.n
        upper = redeemed[2] if redeemed else self.T
        day = max(first, min(day, upper - 1)) if redeemed else rng.randrange(first, self.T)
        issued = timestamp(self.days[day], rng.randrange(32400, 64800))
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
            voided = timestamp(self.days[rng.randrange(day, self.T)], 60000)
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
        said, stored = pair("history.voucher_issued", code=code)
        inter.append((holder, "voucher_issued", issued, said, None, None, vid, stored))
        if redeemed is not None:
            assert redeemed_at is not None
            said, stored = pair("history.voucher_redeemed", code=code, name=self.name(redeemed[1]))
            inter.append((holder, "voucher_redeemed", redeemed_at, said, rid, None, vid, stored))

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
        created = timestamp(self.days[min(created_day, T - 1)], 36000)
        title, code = pair(_TITLES[kind], name=display)
        done_at = None
        if done is not None and due < T:
            done_at = timestamp(self.days[min(T - 1, due + rng.randint(0, 3))], 61200)
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
                code,
            )
        )
        if done_at is not None:
            self.interaction_rows.append(
                (cid, "followup_done", done_at, title, None, None, None, code)
            )

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
        created = timestamp(self.days[self.T - 1], 21600)
        title, code = pair("followup.birthday", name=display)
        self.followup_rows.append(
            (
                created,
                created,
                cid,
                None,
                None,
                "birthday",
                title,
                due,
                None,
                None,
                "birthday",
                code,
            )
        )

    # -- attendance ------------------------------------------------------------------
