"""Asking for referrals: whether it is fine to ask a contact again, and recording an ask.

Asking the same person for introductions too often wears the relationship
out, so an ask is refused while the contact is inside the cooldown (the
``referral_cooldown_days`` setting) unless the user forces it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from crm.core import clock, interactions, models, settings
from crm.core.contacts import get_contact
from crm.core.errors import ValidationError
from crm.core.rule_lines import Line, line

db = models.database_proxy


@dataclass(frozen=True)
class AskStatus:
    """Whether it is fine to ask a contact for a referral today."""

    ok: bool
    last_asked: dt.date | None
    days_since: int | None  # days from the last ask to today (None: never asked)
    cooldown_days: int

    @property
    def ok_from(self) -> dt.date | None:
        """The first day it is fine to ask again (None: never asked)."""
        if self.last_asked is None:
            return None
        return self.last_asked + dt.timedelta(days=self.cooldown_days)

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "last_asked": self.last_asked.isoformat() if self.last_asked else None,
            "days_since": self.days_since,
            "cooldown_days": self.cooldown_days,
            "ok_from": self.ok_from.isoformat() if self.ok_from else None,
        }


def cooldown_days() -> int:
    """The days to leave between two asks of one contact (a setting, 90 by default)."""
    return int(settings.get("referral_cooldown_days"))


_as_date = models.as_date


def status_from(
    last_asked: dt.date | dt.datetime | str | None, cooldown: int, today: dt.date | None = None
) -> AskStatus:
    """The ask status for a known last-ask date (no query)."""
    day = _as_date(last_asked)
    if day is None:
        return AskStatus(True, None, None, cooldown)
    since = ((today or clock.today()) - day).days
    return AskStatus(since >= cooldown, day, since, cooldown)


def ask_status(contact_id: int, today: dt.date | None = None) -> AskStatus:
    """Whether it is fine to ask this contact for a referral ``today``."""
    contact = get_contact(contact_id)
    return status_from(contact.last_asked_for_referral, cooldown_days(), today)


def ask_statuses(
    contact_ids: Iterable[int], today: dt.date | None = None, *, cooldown: int | None = None
) -> dict[int, AskStatus]:
    """The ask status of many contacts in one query (ids not found are left out)."""
    ids = list(dict.fromkeys(contact_ids))
    if not ids:
        return {}
    days = cooldown_days() if cooldown is None else cooldown
    c = models.Contact
    query = c.select(c.id, c.last_asked_for_referral).where(c.id.in_(ids))
    return {cid: status_from(last, days, today) for cid, last in models.rows(query)}


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"


def _asked(early_days: int | None, note: str) -> Line:
    """The history line: asked, maybe inside the cooldown, maybe with a note."""
    if early_days is None:
        return line("history.asked_note", note=note) if note else line("history.asked")
    if note:
        return line("history.asked_early_note", days=early_days, note=note)
    return line("history.asked_early", days=early_days)


def record_ask(
    contact_id: int, *, force: bool = False, today: dt.date | None = None, note: str = ""
) -> AskStatus:
    """Record that the contact was asked for a referral ``today``.

    Refused inside the cooldown unless ``force`` is set. Leaves a
    "referral_asked" line in the contact's history; returns the new status.
    """
    day = today or clock.today()
    with db.atomic():
        contact = get_contact(contact_id)
        status = status_from(contact.last_asked_for_referral, cooldown_days(), day)
        if not status.ok and not force:
            assert status.last_asked is not None and status.ok_from is not None
            assert status.days_since is not None
            raise ValidationError(
                code="asking.asked_referrals_cooldown_days",
                field="last_asked_for_referral",
                contact_display_name=contact.display_name,
                status_last_asked=status.last_asked.isoformat(),
                ago=_ago(status.days_since),
                status_cooldown_days=status.cooldown_days,
                status_ok_from=status.ok_from.isoformat(),
            )
        contact.last_asked_for_referral = day
        contact.save()
        summary = _asked(None if status.ok else status.cooldown_days, note.strip())
        at = models.now() if day == clock.today() else dt.datetime.combine(day, dt.time(12, 0))
        interactions.log(contact.id, "referral_asked", summary, at=at)
    return status_from(day, status.cooldown_days, day)
