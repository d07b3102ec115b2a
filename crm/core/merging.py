"""Merging two contacts into one, and undoing a merge.

:func:`merge` moves everything of the *other* contact onto the one *kept*, in
one transaction: referrals (as giver, referred and receiver), attendance,
history lines, follow-ups, rewards, vouchers (held and redeemed), tags, emails
and phones (without repeats). The kept contact's empty fields are filled from
the other's, a history line records the merge, and the other contact row is
deleted: after a merge people expect one contact, not an archived ghost.

What cannot move is dropped and remembered: a referral that would become a
self-referral (one had referred the other) or repeat a referral the kept
contact already has (its follow-ups, rewards, vouchers and history lines then
point to the one kept), an attendance of an event the kept contact attended
too. The primary-referrer forest stays a forest: the kept contact keeps its
own primary referrer, else takes the other's, and a primary that would close a
cycle is demoted in favour of a referral that does not.

Every change is journalled, row by row, in the :class:`~crm.core.models.MergeRecord`
snapshot (JSON): each update with the values before and after, each deleted
row whole, each inserted row. :func:`undo` replays the journal backwards, so
the database is as it was (history lines aside: the merge and its undoing
stay in the kept contact's history). It refuses a merge already undone, and a
merge whose rows changed since in a way that would be lost or clash (the
removed contact's id taken by a new contact, a moved row merged again or
deleted), saying which.
"""

from __future__ import annotations

import json
from typing import Any

from crm.core import chain, interactions, models, referral_rules, search
from crm.core.errors import NotFoundError, ValidationError
from crm.core.merge_journal import Journal
from crm.core.merge_journal import name as _name
from crm.core.merge_journal import rows as _rows
from crm.core.merge_review import SIDE_BY_SIDE_FIELDS as SIDE_BY_SIDE_FIELDS
from crm.core.merge_review import merges as merges
from crm.core.merge_review import side_by_side as side_by_side
from crm.core.merge_undo import SNAPSHOT_VERSION
from crm.core.merge_undo import undo as undo
from crm.core.rule_lines import line

db = models.database_proxy

# Tables with a contact column, and those columns: every row here moves in a merge.
CONTACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("email_address", "contact_id"),
    ("phone_number", "contact_id"),
    ("contact_uid", "contact_id"),
    ("contact_tag", "contact_id"),
    ("attendance", "contact_id"),
    ("referral", "giver_id"),
    ("referral", "referred_id"),
    ("referral", "receiver_id"),
    ("follow_up", "contact_id"),
    ("reward", "contact_id"),
    ("voucher", "holder_id"),
    ("voucher", "redeemed_by_id"),
    ("interaction", "contact_id"),
)
# Rows that point at a referral: repointed when a duplicate referral is dropped.
REFERRAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("follow_up", "referral_id"),
    ("reward", "referral_id"),
    ("voucher", "referral_id"),
    ("interaction", "referral_id"),
)
# Kept-contact fields filled from the other when empty.
FILLED_FIELDS = ("given_name", "family_name", "organization_id", "title", "birthday", "url")
ADDRESS_FIELDS = ("street", "city", "postcode", "region", "country")


def _contact_row(contact_id: int) -> dict[str, Any]:
    found = _rows("contact", "id = ?", [contact_id])
    if not found:
        raise NotFoundError(code="merging.contact_not_found", contact_id=contact_id)
    return found[0]


def merge(keep_id: int, other_id: int) -> int:
    """Merge ``other_id`` into ``keep_id``; returns the MergeRecord id (for :func:`undo`)."""
    if keep_id == other_id:
        raise ValidationError(code="merging.contact_cannot_merged_itself")
    with db.atomic():
        referral_rules.serialise_forest()  # the merge re-points primary referrals
        keep = _contact_row(keep_id)
        other = _contact_row(other_id)
        for row in (keep, other):
            if row["erased_at"]:
                raise ValidationError(code="merging.contact_erased_request_cannot", id=row["id"])
        j = Journal()
        _merge_tags(j, keep_id, other_id)
        _merge_emails(j, keep, other_id)
        _merge_phones(j, keep, other_id)
        _merge_attendance(j, keep_id, other_id)
        _merge_referrals(j, keep_id, other_id)
        for table, column in (
            ("follow_up", "contact_id"),
            ("reward", "contact_id"),
            ("voucher", "holder_id"),
            ("voucher", "redeemed_by_id"),
            ("interaction", "contact_id"),
        ):
            for row in _rows(table, f"{column} = ? ORDER BY id", [other_id]):
                j.update(table, row, **{column: keep_id})
        _fix_primary(j, keep_id)
        _fill_fields(j, keep, other)
        _check_nothing_left(other_id)
        j.delete("contact", other)
        db.execute_sql(
            models.placeholders(f"DELETE FROM {search.FTS_TABLE} WHERE rowid = ?"), [other_id]
        )
        search.index_contacts(db, [keep_id])
        interactions.log(keep_id, "updated", line("history.merged", name=_name(other), id=other_id))
        snapshot = {
            "version": SNAPSHOT_VERSION,
            "kept_name": _name(keep),
            "removed_name": _name(other),
            "ops": j.ops,
        }
        record = models.MergeRecord.create(
            kept_id=keep_id,
            removed_id=other_id,
            snapshot=json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")),
        )
    return int(record.id)


def _merge_tags(j: Journal, keep_id: int, other_id: int) -> None:
    have = {r["tag_id"] for r in _rows("contact_tag", "contact_id = ?", [keep_id])}
    for row in _rows("contact_tag", "contact_id = ? ORDER BY tag_id", [other_id]):
        if row["tag_id"] not in have:
            j.insert("contact_tag", {"contact_id": keep_id, "tag_id": row["tag_id"]})
        j.delete("contact_tag", row)


def _merge_emails(j: Journal, keep: dict[str, Any], other_id: int) -> None:
    mine = _rows("email_address", "contact_id = ? ORDER BY position, id", [keep["id"]])
    have = {r["address"].casefold() for r in mine}
    position = max((r["position"] for r in mine), default=-1) + 1
    for row in _rows("email_address", "contact_id = ? ORDER BY position, id", [other_id]):
        if row["address"].casefold() in have:
            j.delete("email_address", row)
            continue
        have.add(row["address"].casefold())
        j.update("email_address", row, contact_id=keep["id"], position=position)
        position += 1


def _merge_phones(j: Journal, keep: dict[str, Any], other_id: int) -> None:
    mine = _rows("phone_number", "contact_id = ? ORDER BY position, id", [keep["id"]])
    have = {r["number"] for r in mine}
    position = max((r["position"] for r in mine), default=-1) + 1
    for row in _rows("phone_number", "contact_id = ? ORDER BY position, id", [other_id]):
        if row["number"] in have:
            j.delete("phone_number", row)
            continue
        have.add(row["number"])
        j.update("phone_number", row, contact_id=keep["id"], position=position)
        position += 1


def _merge_attendance(j: Journal, keep_id: int, other_id: int) -> None:
    mine = {r["event_id"]: r for r in _rows("attendance", "contact_id = ?", [keep_id])}
    for row in _rows("attendance", "contact_id = ? ORDER BY id", [other_id]):
        same = mine.get(row["event_id"])
        if same is None:
            j.update("attendance", row, contact_id=keep_id)
            continue
        # One attendance per event and person: keep ours, and that we met them.
        if row["met_in_person"] and not same["met_in_person"]:
            j.update("attendance", same, met_in_person=True)
        j.delete("attendance", row)


def _merge_referrals(j: Journal, keep_id: int, other_id: int) -> None:
    def moved(contact: int | None) -> int | None:
        return keep_id if contact == other_id else contact

    touching = _rows(
        "referral",
        "giver_id = ? OR referred_id = ? OR receiver_id = ? ORDER BY id",
        [other_id, other_id, other_id],
    )
    # (giver, referred) pairs as they stand after the merge -> the referral that holds it.
    pairs = {
        (r["giver_id"], r["referred_id"]): r["id"]
        for r in _rows("referral", "giver_id = ? OR referred_id = ?", [keep_id, keep_id])
    }
    for ref in touching:
        giver, referred = moved(ref["giver_id"]), moved(ref["referred_id"])
        receiver = moved(ref["receiver_id"])
        if receiver in (giver, referred):
            receiver = None
        if giver == referred:
            _drop_referral(j, ref, None)
            continue
        survivor = pairs.get((giver, referred))
        if survivor is not None and survivor != ref["id"]:
            _drop_referral(j, ref, survivor)
            continue
        changes: dict[str, Any] = {"giver_id": giver, "referred_id": referred}
        changes["receiver_id"] = receiver
        came_to_keep = referred == keep_id and ref["referred_id"] == other_id
        if ref["is_primary"] and came_to_keep and _primary_of(keep_id) is not None:
            # One primary referrer per contact: the kept contact's own stays first.
            changes["is_primary"] = False
        j.update("referral", ref, **changes)
        pairs[(giver, referred)] = ref["id"]


def _primary_of(contact_id: int) -> dict[str, Any] | None:
    found = _rows("referral", "referred_id = ? AND is_primary", [contact_id])
    return found[0] if found else None


def _drop_referral(j: Journal, ref: dict[str, Any], survivor: int | None) -> None:
    """Delete a referral the merge made redundant; what pointed at it points at ``survivor``."""
    for table, column in REFERRAL_COLUMNS:
        for row in _rows(table, f"{column} = ? ORDER BY id", [ref["id"]]):
            j.update(table, row, **{column: survivor})
    for row in _rows("referral_status_change", "referral_id = ? ORDER BY id", [ref["id"]]):
        j.delete("referral_status_change", row)
    j.delete("referral", ref)


def _fix_primary(j: Journal, keep_id: int) -> None:
    """Give the kept contact one primary referrer that closes no cycle, when it has referrers."""
    primary = _primary_of(keep_id)
    if primary is not None and keep_id not in chain.ancestor_ids(keep_id):
        return
    if primary is not None:
        # A cycle runs through the kept contact, so through its primary referral.
        j.update("referral", primary, is_primary=False)
    below = {d.id for d in chain.descendants(keep_id)}
    for ref in _rows("referral", "referred_id = ? ORDER BY referred_on, id", [keep_id]):
        demoted = primary is not None and ref["id"] == primary["id"]
        if ref["giver_id"] not in below and ref["giver_id"] != keep_id and not demoted:
            j.update("referral", ref, is_primary=True)
            return


def _fill_fields(j: Journal, keep: dict[str, Any], other: dict[str, Any]) -> None:
    fills: dict[str, Any] = {}
    for name in FILLED_FIELDS:
        if keep[name] in ("", None) and other[name] not in ("", None):
            fills[name] = other[name]
    if not any(keep[f] for f in ADDRESS_FIELDS) and any(other[f] for f in ADDRESS_FIELDS):
        # An address moves whole: half of one and half of another is nobody's.
        fills.update({f: other[f] for f in ADDRESS_FIELDS})
    if other["notes"] and other["notes"] not in keep["notes"]:
        fills["notes"] = f"{keep['notes']}\n\n{other['notes']}" if keep["notes"] else other["notes"]
    if other["marketing_consent"] and not keep["marketing_consent"]:
        fills["marketing_consent"] = other["marketing_consent"]
        fills["consent_date"] = other["consent_date"]
    if keep["channel"] == "other" and other["channel"] != "other":
        fills["channel"] = other["channel"]
    if keep["stage"] == "prospect" and other["stage"] != "prospect":
        fills["stage"] = other["stage"]
    if keep["stay_in_touch_days"] is None and other["stay_in_touch_days"] is not None:
        fills["stay_in_touch_days"] = other["stay_in_touch_days"]
    asked = [d for d in (keep["last_asked_for_referral"], other["last_asked_for_referral"]) if d]
    if asked and max(asked) != keep["last_asked_for_referral"]:
        fills["last_asked_for_referral"] = max(asked)
    first_email = _rows("email_address", "contact_id = ? ORDER BY position, id", [keep["id"]])
    first_phone = _rows("phone_number", "contact_id = ? ORDER BY position, id", [keep["id"]])
    fills["email"] = first_email[0]["address"] if first_email else keep["email"]
    fills["phone"] = first_phone[0]["number"] if first_phone else keep["phone"]
    j.update("contact", keep, **fills)


def _check_nothing_left(other_id: int) -> None:
    """Deleting the other contact must cascade to nothing: every row was moved or dropped."""
    for table, column in CONTACT_COLUMNS:
        (count,) = db.execute_sql(
            models.placeholders(f"SELECT count(*) FROM {table} WHERE {column} = ?"), [other_id]
        ).fetchone()
        if count:  # pragma: no cover - a table added without teaching the merge about it
            raise RuntimeError(f"merge left {count} {table} rows on contact {other_id}")
