"""Reviewing merges: recent merges for an undo list, two contacts side by side."""

from __future__ import annotations

import json
from typing import Any

from crm.core import models
from crm.core.contacts import get_contact
from crm.core.errors import ValidationError

db = models.database_proxy


def merges(contact_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Recent merges, newest first (of one kept contact, or all), for an undo list."""
    m = models.MergeRecord
    query = m.select(m.id, m.kept_id, m.removed_id, m.merged_at, m.undone_at, m.snapshot)
    if contact_id is not None:
        query = query.where(m.kept_id == contact_id)
    out = []
    for mid, kept, removed, merged_at, undone_at, snapshot in models.rows(
        query.order_by(m.id.desc()).limit(limit)
    ):
        data = json.loads(snapshot)
        out.append(
            {
                "id": mid,
                "kept_id": kept,
                "kept_name": data.get("kept_name", ""),
                "removed_id": removed,
                "removed_name": data.get("removed_name", ""),
                "merged_at": models.plain(merged_at),
                "undone_at": models.plain(undone_at),
            }
        )
    return out


_COUNTS = (
    ("referrals_given", "SELECT count(*) FROM referral WHERE giver_id = ?"),
    ("referrals_received", "SELECT count(*) FROM referral WHERE referred_id = ?"),
    ("attendance", "SELECT count(*) FROM attendance WHERE contact_id = ?"),
    ("history", "SELECT count(*) FROM interaction WHERE contact_id = ?"),
    ("followups", "SELECT count(*) FROM follow_up WHERE contact_id = ?"),
    ("rewards", "SELECT count(*) FROM reward WHERE contact_id = ?"),
    ("vouchers", "SELECT count(*) FROM voucher WHERE holder_id = ?"),
)

SIDE_BY_SIDE_FIELDS = (
    "given_name",
    "family_name",
    "organization",
    "title",
    "emails",
    "phones",
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
    "tags",
    "notes",
    "url",
)


def side_by_side(a_id: int, b_id: int) -> dict[str, Any]:
    """Two contacts field by field, with how much each has, for a merge review.

    ``a`` and ``b`` are the contacts' details, ``fields`` a list of
    ``{"field", "a", "b", "same"}`` in :data:`SIDE_BY_SIDE_FIELDS` order, and
    ``counts`` what each has (referrals given and received, attendance,
    history, follow-ups, rewards, vouchers).
    """
    from crm.core import contacts

    if a_id == b_id:
        raise ValidationError(code="merge_review.pick_two_different_contacts")
    sides: dict[str, dict[str, Any]] = {}
    counts: dict[str, dict[str, int]] = {}
    for side, cid in (("a", a_id), ("b", b_id)):
        contact = get_contact(cid)
        info = contacts.details(cid)
        info["url"] = contact.url
        info["erased_at"] = models.plain(contact.erased_at)
        sides[side] = info
        counts[side] = {
            name: int(db.execute_sql(models.placeholders(sql), [cid]).fetchone()[0])
            for name, sql in _COUNTS
        }
    fields = []
    for name in SIDE_BY_SIDE_FIELDS:
        a, b = sides["a"].get(name), sides["b"].get(name)
        fields.append({"field": name, "a": a, "b": b, "same": _same(a, b)})
    return {"a": sides["a"], "b": sides["b"], "fields": fields, "counts": counts}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        from crm.core.text import fold

        return fold(a.strip()) == fold(b.strip())
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)
