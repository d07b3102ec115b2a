"""Merging two organizations: one company recorded under two spellings."""

from __future__ import annotations

from typing import Any

from crm.core import interactions, models, search
from crm.core.errors import ValidationError
from crm.core.organizations import get
from crm.core.rule_lines import line

# What the kept organization takes from the other when its own is empty.
FILLED_FIELDS = ("website", "city", "notes")


def merge_organizations(keep_id: int, other_id: int) -> dict[str, Any]:
    """Move every contact of ``other_id`` to ``keep_id`` and delete ``other_id``.

    The kept organization takes the other's website, city and notes where its own
    are empty; each moved contact gets a history line. One transaction: on any
    refusal nothing has changed.
    """
    if keep_id == other_id:
        raise ValidationError(
            code="organization_merge.organization_cannot_merged_into", keep_id=keep_id
        )
    db = models.database_proxy
    with db.atomic():
        keep, other = get(keep_id), get(other_id)
        c = models.Contact
        moved = [
            int(row[0])
            for row in models.rows(c.select(c.id).where(c.organization == other.id).order_by(c.id))
        ]
        filled = [f for f in FILLED_FIELDS if not getattr(keep, f) and getattr(other, f)]
        for name in filled:
            setattr(keep, name, getattr(other, name))
        if filled:
            keep.save()
        if moved:
            c.update(organization=keep.id, updated_at=models.now()).where(c.id.in_(moved)).execute()
        summary = line("history.organization_merged", other=other.name, kept=keep.name)
        for contact_id in moved:
            interactions.log(contact_id, "updated", summary)
        other_name = other.name
        other.delete_instance()
        # The search index holds each contact's organization name.
        search.index_contacts(db, moved)
    return {
        "kept_id": keep.id,
        "kept_name": keep.name,
        "removed_id": other_id,
        "removed_name": other_name,
        "moved": moved,
        "filled": filled,
    }
