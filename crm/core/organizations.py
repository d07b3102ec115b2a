"""Organizations: companies and the community partners a program supports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peewee import fn

from crm.core import models, search
from crm.core import text as usertext
from crm.core.errors import NotFoundError, ValidationError
from crm.core.text import fold
from crm.i18n import N_

CENT = Decimal("0.01")


def _clean_name(name: str) -> str:
    cleaned = usertext.clean_line(name)
    if not usertext.is_visible(cleaned):
        raise ValidationError(code="organizations.organization_needs_name", field="name")
    return usertext.limited(cleaned, 200, N_("An organization name"), "name")


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
        raise ValidationError(
            code="organizations.unknown_organization_kind", field="kind", kinds=kinds, kind=kind
        )
    if find_by_name(cleaned) is not None:
        raise ValidationError(
            code="organizations.organization_called_already_exists", field="name", cleaned=cleaned
        )
    return models.Organization.create(
        name=cleaned,
        name_folded=fold(cleaned),
        kind=kind,
        website=usertext.field_line(website, 300, N_("The website"), "website"),
        city=usertext.field_line(city, 120, N_("The city"), "city"),
        notes=usertext.field_notes(notes),
    )


def get(org_id: int) -> models.Organization:
    org = models.Organization.get_or_none(models.Organization.id == org_id)
    if org is None:
        raise NotFoundError(code="organizations.organization_not_found", org_id=org_id)
    return org


def rename(org_id: int, name: str) -> models.Organization:
    """Rename an organization and refresh the search index of its people."""
    cleaned = _clean_name(name)
    with models.database_proxy.atomic():
        org = get(org_id)
        other = find_by_name(cleaned)
        if other is not None and other.id != org.id:
            raise ValidationError(
                code="organizations.organization_called_already_exists",
                field="name",
                cleaned=cleaned,
            )
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


# Each referral once per organization whose people gave or received it (a referral
# between two people of one organization counts once for it).
_ORG_REFERRALS = (
    "SELECT g.organization_id AS org, r.id AS rid, r.status AS status, r.value AS value, "
    "r.currency AS currency FROM referral r JOIN contact g ON g.id = r.giver_id "
    "WHERE g.organization_id IS NOT NULL "
    "UNION "
    "SELECT d.organization_id, r.id, r.status, r.value, r.currency FROM referral r "
    "JOIN contact d ON d.id = r.referred_id WHERE d.organization_id IS NOT NULL"
)


def _referral_totals() -> dict[int, dict[str, Any]]:
    """Per organization: its referrals, how many were won, and the won value per currency."""
    db = models.database_proxy
    totals: dict[int, dict[str, Any]] = {}
    counted = (
        f"SELECT org, COUNT(*), SUM(CASE WHEN status = 'won' THEN 1 ELSE 0 END) "
        f"FROM ({_ORG_REFERRALS}) x GROUP BY org"
    )
    for org, n, won in db.execute_sql(counted).fetchall():
        totals[int(org)] = {"referrals": int(n), "won": int(won or 0), "won_value": {}}
    # Won values summed here as Decimal: SQLite would sum them as floats.
    valued = (
        f"SELECT org, currency, value FROM ({_ORG_REFERRALS}) x "
        "WHERE status = 'won' AND value IS NOT NULL"
    )
    for org, currency, value in db.execute_sql(valued).fetchall():
        won_value = totals[int(org)]["won_value"]
        won_value[currency] = won_value.get(currency, Decimal(0)) + Decimal(str(value))
    return totals


def _plain_values(values: dict[str, Decimal]) -> dict[str, float]:
    """Won value per currency as JSON numbers, largest first."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    return {currency: float(value.quantize(CENT)) for currency, value in ordered}


def list_organizations(search_text: str = "", limit: int = 500) -> list[dict[str, Any]]:
    """Organizations by name with their people, referrals and won value (four queries).

    Every folded word of ``search_text`` must match the name or the city.
    """
    o, c = models.Organization, models.Contact
    people = (
        c.select(c.organization, fn.COUNT(c.id).alias("n"))
        .where(c.organization.is_null(False))
        .group_by(c.organization)
    )
    counts = {org_id: int(n) for org_id, n in models.rows(people)}
    totals = _referral_totals()
    query = o.select(o.id, o.name, o.kind, o.city, o.website).order_by(o.name_folded, o.id)
    words = fold(" ".join(search_text.split())).split()
    out = []
    for org_id, name, kind, city, website in models.rows(query):
        if words and not all(w in fold(f"{name} {city}") for w in words):
            continue
        total = totals.get(org_id, {"referrals": 0, "won": 0, "won_value": {}})
        out.append(
            {
                "id": org_id,
                "name": name,
                "kind": kind,
                "city": city,
                "website": website,
                "people": counts.get(org_id, 0),
                "referrals": total["referrals"],
                "won": total["won"],
                "won_value": _plain_values(total["won_value"]),
            }
        )
        if len(out) >= limit:
            break
    return out


def _people_of(org_id: int) -> list[dict[str, Any]]:
    c = models.Contact
    query = (
        c.select(c.id, c.given_name, c.family_name, c.title, c.email, c.phone, c.stage, c.archived)
        .where(c.organization == org_id)
        .order_by(c.family_name, c.given_name, c.id)
    )
    return [
        {
            "id": cid,
            "name": f"{g} {f}".strip(),
            "title": title,
            "email": email,
            "phone": phone,
            "stage": stage,
            "archived": bool(archived),
            "referrals_given": 0,
            "referrals_received": 0,
        }
        for cid, g, f, title, email, phone, stage, archived in models.rows(query)
    ]


def _referrals_of(org_id: int) -> list[dict[str, Any]]:
    """The referrals given or received by the organization's people, newest first."""
    r, c = models.Referral, models.Contact
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    members = c.select(c.id).where(c.organization == org_id)
    query = (
        r.select(
            r.id,
            r.giver,
            giver.given_name,
            giver.family_name,
            giver.organization,
            r.referred,
            referred.given_name,
            referred.family_name,
            referred.organization,
            r.referred_on,
            r.status,
            r.value,
            r.currency,
        )
        .join(giver, on=(r.giver == giver.id))
        .switch(r)
        .join(referred, on=(r.referred == referred.id))
        .where(r.giver.in_(members) | r.referred.in_(members))
        .order_by(r.referred_on.desc(), r.id.desc())
    )
    return [
        {
            "id": rid,
            "giver_id": gid,
            "giver": f"{g1} {g2}".strip(),
            "given_here": g_org == org_id,
            "referred_id": did,
            "referred": f"{d1} {d2}".strip(),
            "received_here": d_org == org_id,
            "referred_on": str(on),
            "status": status,
            "value": float(value) if value is not None else None,
            "currency": currency,
        }
        for rid, gid, g1, g2, g_org, did, d1, d2, d_org, on, status, value, currency in (
            models.rows(query)
        )
    ]


def organization_details(org_id: int) -> dict[str, Any]:
    """An organization with its people, the referrals they gave or received, and won value.

    Three queries, however many people and referrals it has.
    """
    org = get(org_id)
    people = _people_of(org.id)
    refs = _referrals_of(org.id)
    by_id = {p["id"]: p for p in people}
    won_value: dict[str, Decimal] = {}
    for ref in refs:
        if ref["given_here"]:
            by_id[ref["giver_id"]]["referrals_given"] += 1
        if ref["received_here"]:
            by_id[ref["referred_id"]]["referrals_received"] += 1
        if ref["status"] == "won" and ref["value"] is not None:
            value = Decimal(str(ref["value"]))
            won_value[ref["currency"]] = won_value.get(ref["currency"], Decimal(0)) + value
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "city": org.city,
        "website": org.website,
        "notes": org.notes,
        "people": people,
        "referrals": refs,
        "won": sum(1 for ref in refs if ref["status"] == "won"),
        "won_value": _plain_values(won_value),
    }


def update_organization(org_id: int, **changes: Any) -> models.Organization:
    """Change an organization's name, kind, city, website or notes (only those given)."""
    unknown = set(changes) - {"name", "kind", "city", "website", "notes"}
    if unknown:
        raise ValidationError(
            code="organizations.unknown_organization_field", unknown=", ".join(sorted(unknown))
        )
    kind = changes.get("kind")
    if kind is not None and kind not in models.ORGANIZATION_KINDS:
        kinds = ", ".join(models.ORGANIZATION_KINDS)
        raise ValidationError(
            code="organizations.unknown_organization_kind", field="kind", kinds=kinds, kind=kind
        )
    values: dict[str, str] = {
        k: usertext.clean_line(str(changes[k])) for k in ("kind", "city", "website") if k in changes
    }
    for key, most, label in (("city", 120, N_("The city")), ("website", 300, N_("The website"))):
        usertext.limited(values.get(key, ""), most, label, key)
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
