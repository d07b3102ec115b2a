"""Organizations: companies and the community partners a program supports."""

from __future__ import annotations

from crm.core import models, search
from crm.core.errors import NotFoundError, ValidationError
from crm.core.text import fold


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError("An organization needs a name", "name")
    if len(cleaned) > 200:
        raise ValidationError("An organization name is limited to 200 characters", "name")
    return cleaned


def find_by_name(name: str) -> models.Organization | None:
    """The organization whose name matches ``name`` ignoring case and accents."""
    return (
        models.Organization.select()
        .where(models.Organization.name_folded == fold(" ".join(name.split())))
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
        name=cleaned, name_folded=fold(cleaned), kind=kind, website=website, city=city, notes=notes
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
