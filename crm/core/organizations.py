"""Organizations: companies and the community partners a program supports."""

from __future__ import annotations

from typing import Any

from peewee import fn

from crm.core import models, search
from crm.core import text as usertext
from crm.core.errors import NotFoundError, ValidationError
from crm.core.text import fold


def _clean_name(name: str) -> str:
    cleaned = usertext.clean_line(name)
    if not usertext.is_visible(cleaned):
        raise ValidationError("An organization needs a name", "name")
    return usertext.limited(cleaned, 200, "An organization name", "name")


def find_by_name(name: str) -> models.Organization | None:
    """The organization whose name matches ``name`` ignoring case and accents."""
    return (
        models.Organization.select()
        .where(models.Organization.name_folded == fold(usertext.clean_line(name)))
        .order_by(models.Organization.id)
        .first()
    )


def get_or_create(name: str) -> models.Organization:
    """The organization called ``name``, created when there is none."""
    cleaned = _clean_name(name)
    existing = find_by_name(cleaned)
    if existing is not None:
        return existing
    return models.Organization.create(name=cleaned, name_folded=fold(cleaned))


def create(
    name: str, kind: str = "company", website: str = "", city: str = "", notes: str = ""
) -> models.Organization:
    cleaned = _clean_name(name)
    if kind not in models.ORGANIZATION_KINDS:
        kinds = ", ".join(models.ORGANIZATION_KINDS)
        raise ValidationError(f"Organization kind must be one of {kinds}, not '{kind}'", "kind")
    if find_by_name(cleaned) is not None:
        raise ValidationError(f"An organization called '{cleaned}' already exists", "name")
    return models.Organization.create(
        name=cleaned,
        name_folded=fold(cleaned),
        kind=kind,
        website=usertext.field_line(website, 300, "The website", "website"),
        city=usertext.field_line(city, 120, "The city", "city"),
        notes=usertext.field_notes(notes),
    )


def get(org_id: int) -> models.Organization:
    org = models.Organization.get_or_none(models.Organization.id == org_id)
    if org is None:
        raise NotFoundError(f"No organization with id {org_id}")
    return org


def rename(org_id: int, name: str) -> models.Organization:
    """Rename an organization and refresh the search index of its people."""
    cleaned = _clean_name(name)
    with models.database_proxy.atomic():
        org = get(org_id)
        other = find_by_name(cleaned)
        if other is not None and other.id != org.id:
            raise ValidationError(f"An organization called '{cleaned}' already exists", "name")
        org.name, org.name_folded = cleaned, fold(cleaned)
        org.save()
        ids = [
            c.id
            for c in models.Contact.select(models.Contact.id).where(
                models.Contact.organization == org
            )
        ]
        search.index_contacts(models.database_proxy, ids)
    return org


# -- the list, one organization's page, and its details (``crm organizations``) --------


def list_organizations(search_text: str = "", limit: int = 500) -> list[dict[str, Any]]:
    """Organizations by name with their number of people; every folded word must match."""
    o, c = models.Organization, models.Contact
    people = (
        c.select(c.organization, fn.COUNT(c.id).alias("n"))
        .where(c.organization.is_null(False))
        .group_by(c.organization)
    )
    counts = {org_id: int(n) for org_id, n in models.rows(people)}
    query = o.select(o.id, o.name, o.kind, o.city, o.website).order_by(o.name_folded, o.id)
    words = fold(" ".join(search_text.split())).split()
    out = []
    for org_id, name, kind, city, website in models.rows(query):
        if words and not all(w in fold(f"{name} {city}") for w in words):
            continue
        out.append(
            {
                "id": org_id,
                "name": name,
                "kind": kind,
                "city": city,
                "website": website,
                "people": counts.get(org_id, 0),
            }
        )
        if len(out) >= limit:
            break
    return out


def organization_details(org_id: int) -> dict[str, Any]:
    """An organization with its people and the referrals its people gave or received."""
    org = get(org_id)
    c = models.Contact
    people = [
        {"id": cid, "name": f"{g} {f}".strip(), "title": title, "archived": bool(archived)}
        for cid, g, f, title, archived in models.rows(
            c.select(c.id, c.given_name, c.family_name, c.title, c.archived)
            .where(c.organization == org.id)
            .order_by(c.family_name, c.given_name, c.id)
        )
    ]
    ids = [p["id"] for p in people]
    r = models.Referral
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    refs = []
    if ids:
        query = (
            r.select(
                r.id,
                r.giver,
                giver.given_name,
                giver.family_name,
                r.referred,
                referred.given_name,
                referred.family_name,
                r.referred_on,
                r.status,
                r.value,
                r.currency,
            )
            .join(giver, on=(r.giver == giver.id))
            .switch(r)
            .join(referred, on=(r.referred == referred.id))
            .where(r.giver.in_(ids) | r.referred.in_(ids))
            .order_by(r.referred_on.desc(), r.id.desc())
        )
        for rid, gid, g1, g2, did, d1, d2, on, status, value, currency in models.rows(query):
            refs.append(
                {
                    "id": rid,
                    "giver_id": gid,
                    "giver": f"{g1} {g2}".strip(),
                    "referred_id": did,
                    "referred": f"{d1} {d2}".strip(),
                    "referred_on": str(on),
                    "status": status,
                    "value": float(value) if value is not None else None,
                    "currency": currency,
                }
            )
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "city": org.city,
        "website": org.website,
        "notes": org.notes,
        "people": people,
        "referrals": refs,
    }


def update_organization(org_id: int, **changes: Any) -> models.Organization:
    """Change an organization's name, kind, city, website or notes (only those given)."""
    unknown = set(changes) - {"name", "kind", "city", "website", "notes"}
    if unknown:
        raise ValidationError(f"Unknown organization field(s): {', '.join(sorted(unknown))}")
    kind = changes.get("kind")
    if kind is not None and kind not in models.ORGANIZATION_KINDS:
        kinds = ", ".join(models.ORGANIZATION_KINDS)
        raise ValidationError(f"Organization kind must be one of {kinds}, not '{kind}'", "kind")
    values: dict[str, str] = {
        k: usertext.clean_line(str(changes[k])) for k in ("kind", "city", "website") if k in changes
    }
    for key, most in (("city", 120), ("website", 300)):
        usertext.limited(values.get(key, ""), most, f"The {key}", key)
    if "notes" in changes:
        values["notes"] = usertext.field_notes(str(changes["notes"]))
    with models.database_proxy.atomic():
        org = get(org_id)
        if "name" in changes:
            rename(org_id, str(changes["name"]))
            org = get(org_id)
        for key, value in values.items():
            setattr(org, key, value)
        if values:
            org.save()
    return org
