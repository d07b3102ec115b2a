"""Who gets an envelope or an address label, and the address block each one prints.

The recipients come from one source: the pending thank-you letters (their givers, in
the order the letters print), a voucher batch (the holders of its vouchers still
usable), the attendees of an event, or a list of contact ids. Each person is listed
once, in the source's order. People are left out, and reported with the reason, when
they have no postal address (a street and a city or postcode), when they gave no
marketing consent (as for printing letters: unless ``allow_without_consent``), or when
they were erased on request (always).

Everything comes back as plain values; :mod:`crm.documents.postal_pdf` draws it.
Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import JOIN

from crm.core import addresses, events, letters, models, settings, vouchers
from crm.core.errors import NotFoundError, ValidationError
from crm.i18n import _

NO_ADDRESS = "no_address"
NO_CONSENT = "no_consent"
ERASED = "erased"
UNKNOWN = "unknown"

REASONS = {
    NO_ADDRESS: "no postal address",
    NO_CONSENT: "no marketing consent",
    ERASED: "erased on request",
    UNKNOWN: "no such contact",
}


def reason_text(code: str) -> str:
    """A skip reason in the user's words."""
    return {
        NO_ADDRESS: _("no postal address"),
        NO_CONSENT: _("no marketing consent"),
        ERASED: _("erased on request"),
        UNKNOWN: _("no such contact"),
    }.get(code, code)


def sender() -> dict[str, Any]:
    """The sender (the profile) as plain values for the return address."""
    prof = settings.profile()
    return {
        "name": prof.name,
        "company": prof.company,
        "street": prof.street,
        "city": prof.city,
        "postcode": prof.postcode,
        "country": prof.country,
        "language": prof.language if prof.language in models.LANGUAGES else "en",
    }


def sender_lines(who: dict[str, Any], to_country: str = "") -> list[str]:
    """The return address in the sender's country's order; its country line when abroad."""
    abroad = bool(to_country) and to_country.upper() != str(who["country"]).upper()
    return addresses.address_lines(
        name=str(who["name"]),
        organization=str(who["company"]) if who["company"] != who["name"] else "",
        street=str(who["street"]),
        city=str(who["city"]),
        postcode=str(who["postcode"]),
        country=str(who["country"]),
        # Its country named only when the mail leaves it.
        from_country="" if abroad else str(who["country"]),
        country_language=str(who["language"]),
    )


# -- the sources: contact ids in order ----------------------------------------------------


def _pending_letter_givers() -> list[int]:
    return list(dict.fromkeys(int(x["giver_id"]) for x in letters.pending_list(limit=1_000_000)))


def _batch_holders(batch: str) -> list[int]:
    name = " ".join((batch or "").split())
    items = vouchers.list_vouchers(name)
    if not name or not items:
        known = vouchers.batches()
        if known:
            raise NotFoundError(
                code="postal.batch_not_found_among",
                field="batch",
                name=name,
                names=", ".join(known[:10]),
            )
        raise NotFoundError(code="postal.batch_not_found_none_yet", field="batch", name=name)
    usable = [i for i in items if i["status"] == "issued" and i["holder_id"] is not None]
    return list(dict.fromkeys(int(i["holder_id"]) for i in usable))


def _event_attendees(event_id: int) -> list[int]:
    events.get_event(event_id)  # refuses an unknown event
    return list(dict.fromkeys(int(row[0]) for row in events.attendees(event_id)))


def _source_ids(
    pending_letters: bool, batch: str | None, event_id: int | None, contact_ids: Sequence[int]
) -> list[int]:
    given = sum((bool(pending_letters), batch is not None, event_id is not None, bool(contact_ids)))
    if given != 1:
        raise ValidationError(code="postal.choose_source_pending_letters", field="source")
    if pending_letters:
        return _pending_letter_givers()
    if batch is not None:
        return _batch_holders(batch)
    if event_id is not None:
        return _event_attendees(event_id)
    return list(dict.fromkeys(int(c) for c in contact_ids))


# -- the people -------------------------------------------------------------------------


def _people(ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    c, o = models.Contact, models.Organization
    out: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on parameters
        chunk = list(ids[start : start + 500])
        query = (
            c.select(
                c.id,
                c.given_name,
                c.family_name,
                o.name,
                c.street,
                c.city,
                c.postcode,
                c.region,
                c.country,
                c.language,
                c.marketing_consent,
                c.erased_at,
            )
            .join(o, JOIN.LEFT_OUTER, on=(c.organization == o.id))
            .where(c.id.in_(chunk))
        )
        out.update({int(row[0]): row for row in models.rows(query)})
    return out


def _recipient(row: tuple[Any, ...], who: dict[str, Any]) -> dict[str, Any]:
    (cid, given, family, organization, street, city, postcode, region, country, language,
     _consent, _erased) = row  # fmt: skip
    name = " ".join(p for p in (given, family) if p)
    lines = addresses.address_lines(
        name=name,
        organization=organization or "",
        street=street or "",
        city=city or "",
        postcode=postcode or "",
        region=region or "",
        country=country or "",
        from_country=str(who["country"]),
        country_language=str(who["language"]),
    )
    return {
        "contact_id": int(cid),
        "name": name,
        "country": (country or "").upper(),
        "language": language or "",
        "lines": lines,
        "rtl": addresses.is_rtl(lines),
    }


def _skip(cid: int, name: str, reason: str) -> dict[str, Any]:
    return {"contact_id": cid, "name": name, "reason": reason, "why": reason_text(reason)}


def recipients(
    *,
    pending_letters: bool = False,
    batch: str | None = None,
    event_id: int | None = None,
    contact_ids: Sequence[int] = (),
    allow_without_consent: bool = False,
) -> dict[str, Any]:
    """The people to address, from exactly one source.

    Returns ``sender`` (the profile's values), ``recipients`` (each ``contact_id``,
    ``name``, ``country``, ``language``, ``lines`` (the address block) and ``rtl``) and
    ``skipped`` (each ``contact_id``, ``name``, ``reason`` (a code of :data:`REASONS`)
    and ``why`` in the user's words). Refuses an unknown event or batch, or no source.
    """
    ids = _source_ids(pending_letters, batch, event_id, contact_ids)
    people = _people(ids)
    missing = [cid for cid in ids if cid not in people]
    if contact_ids and missing:
        raise NotFoundError(code="postal.contact_not_found", field="contact", contact_id=missing[0])
    who = sender()
    out: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for cid in ids:
        row = people.get(cid)
        if row is None:
            skipped.append(_skip(cid, "", UNKNOWN))
            continue
        name = " ".join(p for p in (row[1], row[2]) if p)
        if row[11] is not None:
            skipped.append(_skip(cid, "", ERASED))
        elif not addresses.has_postal_address(row[4] or "", row[5] or "", row[6] or ""):
            skipped.append(_skip(cid, name, NO_ADDRESS))
        elif not row[10] and not allow_without_consent:
            skipped.append(_skip(cid, name, NO_CONSENT))
        else:
            out.append(_recipient(row, who))
    return {"sender": who, "recipients": out, "skipped": skipped}
