"""Contacts already holding an email address or phone number: the warning before adding one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from crm.core import contact_fields, models


@dataclass(frozen=True, slots=True)
class Match:
    """An existing contact that has one of the new contact's emails or phones."""

    contact_id: int
    name: str
    field: str  # "email" or "phone"
    value: str  # the address as stored, or the number in E.164
    archived: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "field": self.field,
            "value": self.value,
            "archived": self.archived,
        }


def existing(
    emails: Iterable[str], phones: Iterable[str], exclude_id: int | None = None
) -> list[Match]:
    """Contacts (archived too, erased not) with one of ``emails`` (case ignored) or ``phones``.

    Emails and phones are checked as :func:`contact_fields.clean_emails` and
    ``clean_phones`` check them, so a value that is not valid raises the same
    ValidationError that saving it would. Two queries, whatever the number of values.
    """
    addresses = {a.casefold(): a for a in contact_fields.clean_emails(emails)}
    numbers = [e164 for e164, _original in contact_fields.clean_phones(phones)]
    c, e, p = models.Contact, models.ContactEmail, models.ContactPhone
    found: list[Match] = []
    alive = c.erased_at.is_null()
    if exclude_id is not None:
        alive &= c.id != exclude_id
    if addresses:
        # LOWER in SQL narrows the rows (ASCII at least); casefold in Python decides.
        wanted = {a.lower() for a in addresses.values()} | set(addresses.values())
        query = (
            c.select(c.id, c.given_name, c.family_name, c.archived, e.address)
            .join(e, on=(e.contact == c.id))
            .where(alive & (fn.LOWER(e.address).in_(list(wanted)) | e.address.in_(list(wanted))))
            .order_by(c.id, e.position)
        )
        for cid, given, family, archived, address in models.rows(query):
            if address.casefold() in addresses:
                found.append(Match(cid, _name(given, family), "email", address, bool(archived)))
    if numbers:
        query = (
            c.select(c.id, c.given_name, c.family_name, c.archived, p.number)
            .join(p, on=(p.contact == c.id))
            .where(alive & p.number.in_(numbers))
            .order_by(c.id, p.position)
        )
        for cid, given, family, archived, number in models.rows(query):
            found.append(Match(cid, _name(given, family), "phone", number, bool(archived)))
    return _unique(found)


def _name(given: str, family: str) -> str:
    return " ".join(part for part in (given, family) if part)


def _unique(matches: list[Match]) -> list[Match]:
    """One line per contact and value, contacts in id order (emails before phones)."""
    seen: set[tuple[int, str, str]] = set()
    out = []
    for m in sorted(matches, key=lambda m: (m.contact_id, m.field != "email")):
        key = (m.contact_id, m.field, m.value.casefold())
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
