"""Contacts: create, update, archive, tag, search, and the data a contact view shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from peewee import JOIN

from crm.core import (
    contact_fields,
    contact_table,
    interactions,
    models,
    organizations,
    phones,
    search,
    versions,
    vocabulary,
)
from crm.core.contact_fields import ContactData as ContactData
from crm.core.contact_fields import normalize_phone as normalize_phone
from crm.core.contact_fields import parse_birthday as parse_birthday
from crm.core.contact_fields import validate_email as validate_email
from crm.core.errors import NotFoundError, ValidationError
from crm.core.rule_lines import line, term
from crm.core.text import fold

db = models.database_proxy

EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "title",
    "street",
    "city",
    "postcode",
    "region",
    "country",
    "language",
    "birthday",
    "channel",
    "stage",
    "marketing_consent",
    "consent_date",
    "notes",
    "stay_in_touch_days",
)


# -- writes -------------------------------------------------------------------


def get_contact(contact_id: int) -> models.Contact:
    contact = models.Contact.get_or_none(models.Contact.id == contact_id)
    if contact is None:
        raise NotFoundError(code="contacts.contact_not_found", contact_id=contact_id)
    return contact


def _write_emails(contact: models.Contact, emails: list[str]) -> None:
    models.ContactEmail.delete().where(models.ContactEmail.contact == contact).execute()
    for pos, addr in enumerate(emails):
        models.ContactEmail.create(contact=contact, address=addr, position=pos)
    contact.email = emails[0] if emails else ""


def _write_phones(contact: models.Contact, phones: list[tuple[str, str]]) -> None:
    models.ContactPhone.delete().where(models.ContactPhone.contact == contact).execute()
    for pos, (e164, original) in enumerate(phones):
        models.ContactPhone.create(contact=contact, number=e164, original=original, position=pos)
    contact.phone = phones[0][0] if phones else ""


def _write_tags(contact: models.Contact, tags: list[str]) -> None:
    models.ContactTag.delete().where(models.ContactTag.contact == contact).execute()
    for name in tags:
        tag = models.Tag.get_or_none(models.Tag.folded == fold(name))
        if tag is None:
            tag = models.Tag.create(name=name, folded=fold(name))
        models.ContactTag.insert(contact=contact, tag=tag).on_conflict_ignore().execute()


def create_contact(data: ContactData) -> models.Contact:
    """Validate and store a new contact; logs "created" in its history."""
    values = contact_fields.validated(data)
    emails = contact_fields.clean_emails(data.emails)
    phones = contact_fields.clean_phones(data.phones)
    tags = contact_fields.clean_tags(data.tags)
    with db.atomic():
        org = organizations.get_or_create(data.organization) if data.organization else None
        contact = models.Contact.create(organization=org, **values)
        _write_emails(contact, emails)
        _write_phones(contact, phones)
        _write_tags(contact, tags)
        contact.save()
        search.index_contacts(db, [contact.id])
        interactions.log(contact.id, "created", line("history.contact_created"))
    return contact


def update_contact(
    contact_id: int, *, expected_version: int | None = None, **changes: Any
) -> models.Contact:
    """Change the given fields (see :class:`ContactData`); logs what changed.

    With ``expected_version`` (the version the editor read), a contact someone
    saved since is refused with :class:`~crm.core.errors.ConflictError`.
    """
    unknown = set(changes) - {*EDITABLE_FIELDS, "emails", "phones", "tags", "organization"}
    if unknown:
        raise ValidationError(
            code="contacts.unknown_contact_field", unknown=", ".join(sorted(unknown))
        )
    with db.atomic():
        versions.lock(models.Contact, contact_id, expected_version, "contact")
        contact = get_contact(contact_id)
        current = contact_data(contact)
        for key, value in changes.items():
            setattr(current, key, value)
        values = contact_fields.validated(current)
        # Only what the caller changes is checked again: a stored phone typed
        # without a country code must not block an edit once the profile's
        # default region has changed.
        emails = contact_fields.clean_emails(current.emails) if "emails" in changes else []
        phones = contact_fields.clean_phones(current.phones) if "phones" in changes else []
        tags = contact_fields.clean_tags(current.tags) if "tags" in changes else []
        changed = sorted(k for k in values if getattr(contact, k) != values[k])
        for key in changed:
            setattr(contact, key, values[key])
        if "organization" in changes:
            org = (
                organizations.get_or_create(current.organization) if current.organization else None
            )
            if (org.id if org else None) != contact.organization_id:
                contact.organization = org
                changed.append("organization")
        if "emails" in changes and emails != list(current_emails(contact.id)):
            _write_emails(contact, emails)
            changed.append("emails")
        if "phones" in changes and [p[0] for p in phones] != [
            p[0] for p in current_phones(contact.id)
        ]:
            _write_phones(contact, phones)
            changed.append("phones")
        if "tags" in changes and sorted(tags) != sorted(tag_names(contact.id)):
            _write_tags(contact, tags)
            changed.append("tags")
        if changed:
            contact.save()
            search.index_contacts(db, [contact.id])
            fields = [term("contact_field", name) for name in changed]
            interactions.log(contact.id, "updated", line("history.contact_changed", fields=fields))
    return contact


def set_archived(contact_id: int, archived: bool) -> models.Contact:
    """Archive (soft delete) or bring back a contact."""
    with db.atomic():
        contact = get_contact(contact_id)
        if contact.archived == archived:
            raise ValidationError(
                code="contacts.already_in_state",
                contact_display_name=contact.display_name,
                state=vocabulary.ARCHIVED_WORDS[bool(archived)],
            )
        contact.archived = archived
        contact.save()
        interactions.log(contact.id, "archived" if archived else "unarchived")
    return contact


def add_tags(contact_id: int, names: Iterable[str]) -> list[str]:
    """Add tags to a contact; returns the contact's tags afterwards."""
    current = tag_names(contact_id)
    update_contact(contact_id, tags=[*current, *names])
    return tag_names(contact_id)


def remove_tags(contact_id: int, names: Iterable[str]) -> list[str]:
    drop = {n.casefold() for n in names}
    current = tag_names(contact_id)
    update_contact(contact_id, tags=[t for t in current if t.casefold() not in drop])
    return tag_names(contact_id)


# -- reads --------------------------------------------------------------------


def current_emails(contact_id: int) -> list[str]:
    e = models.ContactEmail
    query = e.select(e.address).where(e.contact == contact_id).order_by(e.position)
    return [r[0] for r in models.rows(query)]


def current_phones(contact_id: int) -> list[tuple[str, str]]:
    p = models.ContactPhone
    query = p.select(p.number, p.original).where(p.contact == contact_id).order_by(p.position)
    return [(number, original) for number, original in models.rows(query)]


def tag_names(contact_id: int) -> list[str]:
    t, ct = models.Tag, models.ContactTag
    query = t.select(t.name).join(ct).where(ct.contact == contact_id).order_by(t.name)
    return [r[0] for r in models.rows(query)]


def contact_data(contact: models.Contact) -> ContactData:
    """The editable data of a stored contact (what an editor dialog starts from)."""
    return ContactData(
        given_name=contact.given_name,
        family_name=contact.family_name,
        organization=contact.organization.name if contact.organization is not None else None,
        title=contact.title,
        emails=current_emails(contact.id),
        phones=[original for _e164, original in current_phones(contact.id)],
        street=contact.street,
        city=contact.city,
        postcode=contact.postcode,
        region=contact.region,
        country=contact.country,
        language=contact.language,
        birthday=contact.birthday,
        channel=contact.channel,
        stage=contact.stage,
        marketing_consent=contact.marketing_consent,
        consent_date=contact.consent_date,
        notes=contact.notes,
        tags=tag_names(contact.id),
        stay_in_touch_days=contact.stay_in_touch_days,
    )


def to_dict(contact: models.Contact) -> dict[str, Any]:
    """A contact as the CLI's JSON shows it."""
    return to_dicts([contact.id])[0]


def to_dicts(ids: Sequence[int]) -> list[dict[str, Any]]:
    """Several contacts as JSON-ready dicts, in ``ids`` order (four queries in all)."""
    if not ids:
        return []
    c, o = models.Contact, models.Organization
    emails: dict[int, list[str]] = {i: [] for i in ids}
    phones: dict[int, list[str]] = {i: [] for i in ids}
    tags: dict[int, list[str]] = {i: [] for i in ids}
    e, p = models.ContactEmail, models.ContactPhone
    email_rows = e.select(e.contact, e.address).where(e.contact.in_(ids))
    for cid, address in models.rows(email_rows.order_by(e.contact, e.position)):
        emails[cid].append(address)
    phone_rows = p.select(p.contact, p.number).where(p.contact.in_(ids))
    for cid, number in models.rows(phone_rows.order_by(p.contact, p.position)):
        phones[cid].append(number)
    ct, t = models.ContactTag, models.Tag
    tag_rows = ct.select(ct.contact, t.name).join(t).where(ct.contact.in_(ids))
    for cid, name in models.rows(tag_rows.order_by(t.name)):
        tags[cid].append(name)
    out: dict[int, dict[str, Any]] = {}
    query = (
        c.select(c, o.name.alias("org_name"))
        .join(o, JOIN.LEFT_OUTER, on=(c.organization == o.id))
        .where(c.id.in_(ids))
    )
    for contact in query.objects():
        out[contact.id] = {
            "id": contact.id,
            "given_name": contact.given_name,
            "family_name": contact.family_name,
            "name": contact.display_name,
            "organization": getattr(contact, "org_name", None),
            "title": contact.title,
            "emails": emails[contact.id],
            "phones": phones[contact.id],
            "street": contact.street,
            "city": contact.city,
            "postcode": contact.postcode,
            "country": contact.country,
            "language": contact.language,
            "birthday": contact.birthday,
            "channel": contact.channel,
            "stage": contact.stage,
            "marketing_consent": contact.marketing_consent,
            "tags": tags[contact.id],
            "archived": contact.archived,
            "last_asked_for_referral": (
                contact.last_asked_for_referral.isoformat()
                if contact.last_asked_for_referral
                else None
            ),
            "version": contact.version,
            "changed_by": contact.changed_by,
            "changed_at": models.plain(contact.changed_at),
        }
    return [out[i] for i in ids if i in out]


# Columns of a contacts table page, fetched as plain tuples in one query.
ROW_COLUMNS = ("id", "given_name", "family_name", "organization", "email", "phone", "city", "stage")


_SEARCH_COLUMNS = "c.id, c.given_name, c.family_name, o.name, c.email, c.phone, c.city, c.stage"
_SEARCH_JOINS = "LEFT JOIN organization o ON o.id = c.organization_id"

_ROWS_SQL = (
    "SELECT c.id, c.given_name, c.family_name, o.name, c.email, c.phone, c.city, c.stage "
    "FROM contact c LEFT JOIN organization o ON o.id = c.organization_id"
)


def list_rows(
    search_text: str = "",
    *,
    limit: int = 50,
    offset: int = 0,
    include_archived: bool = False,
) -> list[tuple[Any, ...]]:
    """A page of contacts as tuples in ``ROW_COLUMNS`` order, by name or by search rank."""
    if search_text.strip():
        # One statement from the search index, as the page needs no second look-up.
        found = search.search_rows(
            db,
            search_text,
            _SEARCH_COLUMNS,
            _SEARCH_JOINS,
            limit=limit + offset,
            include_archived=include_archived,
        )
        return [tuple(r) for r in found[offset:]]
    c, o = models.Contact, models.Organization
    query = c.select(
        c.id, c.given_name, c.family_name, o.name, c.email, c.phone, c.city, c.stage
    ).join(o, join_type=JOIN.LEFT_OUTER, on=(c.organization == o.id))
    if not include_archived:
        query = query.where(c.archived == False)  # noqa: E712 - peewee expression
    query = query.order_by(c.family_name, c.given_name, c.id).limit(limit).offset(offset)
    return models.rows(query)


def count(include_archived: bool = False) -> int:
    query = models.Contact.select()
    if not include_archived:
        query = query.where(models.Contact.archived == False)  # noqa: E712
    return int(query.count())


# -- the contacts table: ordered ids, pages of rows, detail -------------------

# The table's queries live in crm.core.contact_table (plain SQL, no peewee: the
# desktop app paints its first page with them before peewee is loaded), and
# number formatting in crm.core.phones; named here as before.
TABLE_COLUMNS = contact_table.TABLE_COLUMNS
TABLE_ORDERS = contact_table.TABLE_ORDERS
SEARCH_CAP = contact_table.SEARCH_CAP
query_ids = contact_table.query_ids
table_rows = contact_table.table_rows
has_contacts = contact_table.has_contacts
tag_choices = contact_table.tag_choices
display_phone = phones.display


def details(contact_id: int) -> dict[str, Any]:
    """What a contact's detail pane shows, beyond :func:`to_dict`: as plain values."""
    contact = get_contact(contact_id)
    out = to_dict(contact)
    out.update(
        {
            "region": contact.region,
            "notes": contact.notes,
            "consent_date": contact.consent_date.isoformat() if contact.consent_date else None,
            "stay_in_touch_days": contact.stay_in_touch_days,
            "phones_original": [original for _e164, original in current_phones(contact_id)],
        }
    )
    return out


def referral_lines(contact_id: int, limit: int = 500) -> dict[str, list[dict[str, Any]]]:
    """Referrals the contact gave and received, newest first (two queries).

    Each line names the other person (``other_id``, ``other``), with status,
    value and currency, date, program and whether it is the primary referral.
    """
    r, other = models.Referral, models.Contact.alias()
    out: dict[str, list[dict[str, Any]]] = {}
    for side, mine, theirs in (
        ("given", r.giver, r.referred),
        ("received", r.referred, r.giver),
    ):
        query = (
            r.select(
                r.id,
                other.id,
                other.given_name,
                other.family_name,
                r.status,
                r.value,
                r.currency,
                r.referred_on,
                r.program,
                r.is_primary,
                r.created_by,
            )
            .join(other, on=(theirs == other.id))
            .where(mine == contact_id)
            .order_by(r.referred_on.desc(), r.id.desc())
            .limit(limit)
        )
        out[side] = [
            {
                "id": rid,
                "other_id": oid,
                "other": " ".join(p for p in (given, family) if p),
                "status": status,
                "value": value,
                "currency": currency,
                "referred_on": on,
                "program": program,
                "is_primary": bool(primary),
                "created_by": by,
            }
            for rid, oid, given, family, status, value, currency, on, program, primary, by in (
                models.rows(query)
            )
        ]
    return out
