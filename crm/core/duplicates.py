"""Likely duplicate contacts: the same email, the same phone, or names alike.

Candidates come from three signals:

- the same email address (case ignored) or the same phone number (E.164) on
  two contacts: grouped in one pass over the address and number tables (a
  value shared by more than :data:`MAX_SHARED` contacts is a switchboard or a
  team mailbox and proves nothing);
- names alike after folding case, accents and Greek tonos: rapidfuzz's
  ``token_sort_ratio`` of at least :data:`NAME_CUTOFF` over the folded full
  names (word order ignored, so "Papadopoulou Maria" meets "Maria
  Papadopoulou"), or over the names in Latin letters when one is written in
  Greek or Cyrillic. Names are compared only within blocks, and pairs of
  people are offered best first until the list of the best is full: see
  :mod:`crm.core.duplicate_pairs`, which keeps time and memory growing with
  the number of contacts rather than its square.

Each pair gets a score out of 100 that ranks the strongest evidence first:
70 for names that are the same (scaled down with the similarity), 20 more for
a shared email, 15 for a shared phone, 10 for the same organization. Archived
and erased contacts are left out, and so is a pair the user dismissed as "not
duplicates" (kept as JSON in the setting :data:`DISMISSED_KEY`, so no schema
change was needed).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from crm.core import duplicate_pairs as candidates
from crm.core import models
from crm.core.errors import CancelledError, NotFoundError, ValidationError
from crm.core.transliteration import latin
from crm.i18n import _

db = models.database_proxy

NAME_CUTOFF = 90
NAME_POINTS = 70
EMAIL_POINTS = 20
PHONE_POINTS = 15
ORG_POINTS = 10
DISMISSED_KEY = "duplicates.dismissed"
MAX_SHARED = 12  # more holders of one email or phone: a shared line, not one person

Progress = Callable[[int, int], bool | None] | None


@dataclass(slots=True)
class Pair:
    """Two contacts that may be one person: ``a_id`` < ``b_id``, best evidence first."""

    a_id: int
    b_id: int
    score: int  # 0-100
    reasons: list[str] = field(default_factory=list)
    a_name: str = ""
    b_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a_id": self.a_id,
            "a_name": self.a_name,
            "b_id": self.b_id,
            "b_name": self.b_name,
            "score": self.score,
            "reasons": list(self.reasons),
        }


name_key = candidates.name_key


def name_similarity(key_a: str, key_b: str) -> int:
    """How alike two :func:`name_key` strings are, 0-100 (token_sort_ratio)."""
    if key_a == key_b:
        return 100 if key_a else 0
    from rapidfuzz import fuzz

    # The keys are sorted already, so plain ratio is token_sort_ratio.
    direct = round(fuzz.ratio(key_a, key_b))
    if direct >= NAME_CUTOFF or (key_a.isascii() and key_b.isascii()):
        return direct
    return max(direct, min(99, round(fuzz.ratio(latin(key_a), latin(key_b)))))


def score(similarity: int, email: bool, phone: bool, same_org: bool) -> int:
    """The score of a pair from its evidence (see the module docstring)."""
    total = round(NAME_POINTS * similarity / 100)
    total += EMAIL_POINTS if email else 0
    total += PHONE_POINTS if phone else 0
    total += ORG_POINTS if same_org else 0
    return min(100, int(total))


# -- dismissed pairs ---------------------------------------------------------------


def dismissed() -> set[tuple[int, int]]:
    """Pairs the user said are not duplicates, as (smaller id, larger id)."""
    row = models.Setting.get_or_none(models.Setting.key == DISMISSED_KEY)
    if row is None:
        return set()
    try:
        data = json.loads(row.value)
        return {(min(int(a), int(b)), max(int(a), int(b))) for a, b in data}
    except (ValueError, TypeError):
        return set()  # a damaged value must not stop the duplicate review


def _store_dismissed(pairs: set[tuple[int, int]]) -> None:
    value = json.dumps(sorted([a, b] for a, b in pairs))
    models.put(models.Setting, DISMISSED_KEY, value)


def dismiss(a_id: int, b_id: int) -> None:
    """Remember that ``a_id`` and ``b_id`` are different people: the pair is not shown again."""
    if a_id == b_id:
        raise ValidationError(code="duplicates.contact_cannot_duplicate_itself")
    with db.atomic():
        found = models.rows(
            models.Contact.select(models.Contact.id).where(models.Contact.id.in_([a_id, b_id]))
        )
        missing = sorted({a_id, b_id} - {int(r[0]) for r in found})
        if missing:
            raise NotFoundError(code="duplicates.contact_not_found", missing=missing[0])
        pairs = dismissed()
        pairs.add((min(a_id, b_id), max(a_id, b_id)))
        _store_dismissed(pairs)


def undismiss(a_id: int, b_id: int) -> bool:
    """Show a dismissed pair again; False when it was not dismissed."""
    with db.atomic():
        pairs = dismissed()
        key = (min(a_id, b_id), max(a_id, b_id))
        if key not in pairs:
            return False
        pairs.discard(key)
        _store_dismissed(pairs)
    return True


# -- finding pairs -----------------------------------------------------------------


def _raw(sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute_sql(sql.replace("?", db.param), list(params)).fetchall()]


def _people() -> candidates.People:
    c = models.Contact
    query = (
        c.select(c.id, c.given_name, c.family_name, c.organization)
        .where((c.archived == False) & c.erased_at.is_null())  # noqa: E712 - peewee expression
        .order_by(c.id)
    )
    sql, params = query.sql()
    cursor = db.execute_sql(sql.replace("?", db.param), params)
    return candidates.People(cursor)


# Only the values written more than once can be shared: the database finds them,
# so Python does not walk every address and number (lower() is what SQL can do;
# Python's casefold then groups the rest).
_HELD_TWICE = """
SELECT contact_id, {value} FROM {table}
WHERE lower({value}) IN (
    SELECT lower({value}) FROM {table} GROUP BY lower({value}) HAVING count(*) > 1
)
"""


def _shared(
    sql: str, people: candidates.People, norm: Callable[[str], str]
) -> dict[str, list[int]]:
    """Values held by two or more of ``people``: value -> contact ids."""
    holders: dict[str, set[int]] = {}
    for cid, value in _raw(sql):
        if cid in people and value:
            holders.setdefault(norm(value), set()).add(int(cid))
    return {v: sorted(ids) for v, ids in holders.items() if len(ids) > 1}


def _check(progress: Progress, done: int, total: int) -> None:
    if progress is not None and progress(done, total):
        raise CancelledError(code="duplicates.duplicate_search_cancelled")


def find(limit: int = 500, progress: Progress = None) -> list[Pair]:
    """The ``limit`` likeliest duplicate pairs, best first (read only).

    ``progress(done, total)`` is called now and then; returning True cancels
    with :class:`CancelledError`.
    """
    if limit < 1:
        raise ValidationError(code="duplicates.number_pairs_1_more", field="limit", limit=limit)
    people = _people()
    emails = _shared(
        _HELD_TWICE.format(value="address", table="email_address"), people, str.casefold
    )
    phones = _shared(_HELD_TWICE.format(value="number", table="phone_number"), people, str)
    skip = dismissed()
    identity = _identity(emails, phones)
    found = candidates.names(people)
    total = len(found.blocks) + 1
    _check(progress, 0, total)
    best = candidates.Best(limit)
    _offer_names(best, people, found, identity, skip, lambda n: _check(progress, n, total))
    similarity_of: dict[tuple[int, int], int] = {}
    for (a, b), (email, phone) in identity.items():
        if (a, b) in skip:
            continue
        similarity = name_similarity(found.key(a), found.key(b))
        similarity_of[(a, b)] = similarity
        org = people[a][2]
        same_org = org is not None and org == people[b][2]
        best.offer(score(similarity, email is not None, phone is not None, same_org), a, b)
    _check(progress, total, total)
    return _explain(best.pairs(), people, found.key, identity, similarity_of)


def _identity(
    emails: dict[str, list[int]], phones: dict[str, list[int]]
) -> dict[tuple[int, int], list[str | None]]:
    """Evidence by pair: the first email and the first phone they share.

    An address or number held by more than :data:`MAX_SHARED` contacts is a
    switchboard, a fax or a team mailbox, not evidence that they are one person.
    """
    identity: dict[tuple[int, int], list[str | None]] = {}
    for slot, groups in ((0, emails), (1, phones)):
        for value, ids in groups.items():
            if len(ids) > MAX_SHARED:
                continue
            for a, b in itertools.combinations(ids, 2):
                entry = identity.setdefault((a, b), [None, None])
                if entry[slot] is None:
                    entry[slot] = value
    return identity


def _offer_names(
    best: candidates.Best,
    people: candidates.People,
    found: candidates.Names,
    identity: dict[tuple[int, int], list[str | None]],
    dismissed_pairs: set[tuple[int, int]],
    progress: Callable[[int], None],
) -> None:
    """Offer the pairs of people with the same or a similar name (identity pairs come later).

    Each group is offered twice: first the pairs within one organization (ten
    points more), then the others, so that within each pass every pair has the
    same score and the best come first (see :mod:`crm.core.duplicate_pairs`).
    """

    def org_of(cid: int) -> int | None:
        return people.org_of(cid)

    def same_org(a: int, b: int) -> bool:
        org = org_of(a)
        return org is not None and org == org_of(b)

    def taken(a: int, b: int) -> bool:
        return (a, b) in identity or (a, b) in dismissed_pairs

    def other_org(a: int, b: int) -> bool:
        return taken(a, b) or same_org(a, b)

    def offer(key: str, other: str | None, similarity: int) -> None:
        value = score(similarity, False, False, False)
        with_org = min(100, value + ORG_POINTS)
        ours = found.orgs_of.get(key, {})
        if other is None:
            for members in ours.values():
                candidates.offer_group(best, members, with_org, taken)
            candidates.offer_group(best, found.ids_of[key], value, other_org)
            return
        theirs = found.orgs_of.get(other, {})
        for org, members in ours.items():
            if org in theirs:
                candidates.offer_across(best, members, theirs[org], with_org, taken)
        candidates.offer_across(best, found.ids_of[key], found.ids_of[other], value, other_org)

    for key, ids in found.ids_of.items():
        if len(ids) > 1:
            offer(key, None, 100)
    for k1, k2, similarity in candidates.similar_keys(found.blocks, NAME_CUTOFF, progress):
        offer(k1, k2, similarity)


def _explain(
    chosen: list[tuple[int, int, int]],
    people: candidates.People,
    key_of: Callable[[int], str],
    identity: dict[tuple[int, int], list[str | None]],
    similarity_of: dict[tuple[int, int], int],
) -> list[Pair]:
    orgs = {people[a][2] for a, _b, _v in chosen if people[a][2] is not None}
    org_names: dict[int, str] = {}
    if orgs:
        o = models.Organization
        query = o.select(o.id, o.name).where(o.id.in_(list(orgs)))
        org_names = {int(i): n for i, n in models.rows(query)}
    out = []
    for a, b, value in chosen:
        email, phone = identity.get((a, b), [None, None])
        reasons = []
        if email is not None:
            reasons.append(_("same email {email}").format(email=email))
        if phone is not None:
            reasons.append(_("same phone {phone}").format(phone=phone))
        similarity = similarity_of.get((a, b))
        if similarity is None:
            similarity = name_similarity(key_of(a), key_of(b))
        if similarity == 100:
            reasons.append(_("same name"))
        elif latin(key_of(a)) == latin(key_of(b)):
            reasons.append(_("same name in another script"))
        elif similarity >= NAME_CUTOFF:
            reasons.append(_("names {similarity} alike").format(similarity=f"{similarity}%"))
        org = people[a][2]
        if org is not None and org == people[b][2]:
            org_name = org_names.get(org, "")
            reasons.append(
                _("same organization {name}").format(name=org_name)
                if org_name
                else _("same organization")
            )
        out.append(
            Pair(
                a_id=a,
                b_id=b,
                score=value,
                reasons=reasons,
                a_name=_display(people[a]),
                b_name=_display(people[b]),
            )
        )
    return out


def _display(person: tuple[str, str, int | None]) -> str:
    return " ".join(p for p in person[:2] if p)
