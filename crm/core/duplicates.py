"""Likely duplicate contacts: the same email, the same phone, or names alike.

Candidates come from three signals, each cheap at 100,000 contacts:

- the same email address (case ignored) or the same phone number (E.164) on
  two contacts: grouped in one pass over the address and number tables;
- names alike after folding case, accents and Greek tonos: rapidfuzz's
  ``token_sort_ratio`` of at least :data:`NAME_CUTOFF` over the folded full
  names (word order ignored, so "Papadopoulou Maria" meets "Maria
  Papadopoulou"). Names are compared only within blocks: people whose folded
  family names start with the same two letters, people of the same
  organization, and people whose names have the same words in another order.
  Identical names are compared once, not once per person.

Each pair gets a score out of 100 that ranks the strongest evidence first:
70 for names that are the same (scaled down with the similarity), 20 more for
a shared email, 15 for a shared phone, 10 for the same organization. Archived
and erased contacts are left out, and so is a pair the user dismissed as "not
duplicates" (kept as JSON in the setting :data:`DISMISSED_KEY`, so no schema
change was needed).
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crm.core import models
from crm.core.errors import CancelledError, NotFoundError, ValidationError
from crm.core.text import fold, tokens

db = models.database_proxy

NAME_CUTOFF = 90
NAME_POINTS = 70
EMAIL_POINTS = 20
PHONE_POINTS = 15
ORG_POINTS = 10
DISMISSED_KEY = "duplicates.dismissed"

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


def name_key(given: str, family: str) -> str:
    """The folded words of a full name in sorted order (what names are compared on)."""
    return " ".join(sorted(tokens(f"{given} {family}")))


def name_similarity(key_a: str, key_b: str) -> int:
    """How alike two :func:`name_key` strings are, 0-100 (token_sort_ratio)."""
    if key_a == key_b:
        return 100 if key_a else 0
    from rapidfuzz import fuzz

    # The keys are sorted already, so plain ratio is token_sort_ratio.
    return round(fuzz.ratio(key_a, key_b))


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
        raise ValidationError("A contact cannot be a duplicate of itself")
    with db.atomic():
        found = models.rows(
            models.Contact.select(models.Contact.id).where(models.Contact.id.in_([a_id, b_id]))
        )
        missing = sorted({a_id, b_id} - {int(r[0]) for r in found})
        if missing:
            raise NotFoundError(f"No contact with id {missing[0]}")
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


def _people() -> dict[int, tuple[str, str, int | None]]:
    c = models.Contact
    query = c.select(c.id, c.given_name, c.family_name, c.organization).where(
        (c.archived == False) & c.erased_at.is_null()  # noqa: E712 - peewee expression
    )
    sql, params = query.sql()
    return {int(i): (g or "", f or "", o) for i, g, f, o in _raw(sql, params)}


def _shared(sql: str, people: dict[int, Any], norm: Callable[[str], str]) -> dict[str, list[int]]:
    """Values held by two or more of ``people``: value -> contact ids."""
    holders: dict[str, set[int]] = {}
    for cid, value in _raw(sql):
        if cid in people and value:
            holders.setdefault(norm(value), set()).add(int(cid))
    return {v: sorted(ids) for v, ids in holders.items() if len(ids) > 1}


def _check(progress: Progress, done: int, total: int) -> None:
    if progress is not None and progress(done, total):
        raise CancelledError("The duplicate search was cancelled")


def _similar_keys(
    blocks: Iterable[list[str]], progress: Progress, total: int
) -> Iterator[tuple[str, str, int]]:
    """Pairs of different name keys within a block that are at least NAME_CUTOFF alike."""
    from rapidfuzz import fuzz, process

    seen: set[tuple[str, str]] = set()
    cutoff = NAME_CUTOFF - 0.5  # what rounds to NAME_CUTOFF counts, as it is shown
    for n, keys in enumerate(blocks):
        if n % 256 == 0:
            _check(progress, n, total)
        for i in range(len(keys) - 1):
            key = keys[i]
            for other, similarity, _index in process.extract(
                key, keys[i + 1 :], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                pair = (key, other) if key < other else (other, key)
                if pair not in seen:
                    seen.add(pair)
                    yield pair[0], pair[1], round(similarity)


def find(limit: int = 500, progress: Progress = None) -> list[Pair]:
    """The ``limit`` likeliest duplicate pairs, best first (read only).

    ``progress(done, total)`` is called now and then; returning True cancels
    with :class:`CancelledError`.
    """
    if limit < 1:
        raise ValidationError(f"The number of pairs must be 1 or more, not {limit}", "limit")
    people = _people()
    emails = _shared("SELECT contact_id, address FROM email_address", people, str.casefold)
    phones = _shared("SELECT contact_id, number FROM phone_number", people, str)
    skip = dismissed()
    identity = _identity(emails, phones)
    key_of, ids_of, blocks = _name_keys(people)
    total = len(blocks) + 1
    _check(progress, 0, total)
    best = _Best(limit)
    names_only = {n: score(n, False, False, False) for n in range(NAME_CUTOFF, 101)}
    for a, b, similarity in _name_pairs(ids_of, blocks, progress, total):
        if (a, b) in identity or (a, b) in skip:
            continue  # identity pairs are scored below with their own similarity
        org = people[a][2]
        points = names_only[similarity]
        if org is not None and org == people[b][2]:
            points = min(100, points + ORG_POINTS)
        best.offer(points, a, b)
    similarity_of: dict[tuple[int, int], int] = {}
    for (a, b), (email, phone) in identity.items():
        if (a, b) in skip:
            continue
        similarity = name_similarity(key_of.get(a, ""), key_of.get(b, ""))
        similarity_of[(a, b)] = similarity
        org = people[a][2]
        same_org = org is not None and org == people[b][2]
        best.offer(score(similarity, email is not None, phone is not None, same_org), a, b)
    _check(progress, total, total)
    return _explain(best.pairs(), people, key_of, identity, similarity_of)


def _identity(
    emails: dict[str, list[int]], phones: dict[str, list[int]]
) -> dict[tuple[int, int], list[str | None]]:
    """Evidence by pair: the first email and the first phone they share."""
    identity: dict[tuple[int, int], list[str | None]] = {}
    for slot, groups in ((0, emails), (1, phones)):
        for value, ids in groups.items():
            for a, b in itertools.combinations(ids, 2):
                entry = identity.setdefault((a, b), [None, None])
                if entry[slot] is None:
                    entry[slot] = value
    return identity


def _name_keys(
    people: dict[int, tuple[str, str, int | None]],
) -> tuple[dict[int, str], dict[str, list[int]], list[list[str]]]:
    """One key per distinct folded name: each contact's, the contacts of each, blocks to compare.

    A block is the keys sharing a name prefix, or an organization.
    """
    key_of: dict[int, str] = {}
    ids_of: dict[str, list[int]] = {}
    folded_names: dict[tuple[str, str], tuple[str, str]] = {}
    by_prefix: dict[str, set[str]] = {}
    by_org: dict[int, set[str]] = {}
    for cid, (given, family, org) in people.items():
        known = folded_names.get((given, family))
        if known is None:
            prefix = fold(family or given).strip()[:2]
            known = folded_names[(given, family)] = (name_key(given, family), prefix)
        key, prefix = known
        if not key:
            continue
        key_of[cid] = key
        ids_of.setdefault(key, []).append(cid)
        by_prefix.setdefault(prefix, set()).add(key)
        if org is not None:
            by_org.setdefault(int(org), set()).add(key)
    blocks = [sorted(keys) for keys in (*by_prefix.values(), *by_org.values()) if len(keys) > 1]
    return key_of, ids_of, blocks


def _name_pairs(
    ids_of: dict[str, list[int]], blocks: list[list[str]], progress: Progress, total: int
) -> Iterator[tuple[int, int, int]]:
    """``(a, b, similarity)`` of contacts with the same or a similar name, ``a < b``."""
    for ids in ids_of.values():
        if len(ids) > 1:
            for a, b in itertools.combinations(sorted(ids), 2):
                yield a, b, 100
    for k1, k2, similarity in _similar_keys(blocks, progress, total):
        for a in ids_of[k1]:
            for b in ids_of[k2]:
                yield min(a, b), max(a, b), similarity


class _Best:
    """The ``limit`` best-scored pairs seen so far (a min-heap of ``(score, -a, -b)``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.heap: list[tuple[int, int, int]] = []

    def offer(self, value: int, a: int, b: int) -> None:
        item = (value, -a, -b)
        if len(self.heap) < self.limit:
            heapq.heappush(self.heap, item)
        elif item > self.heap[0]:
            heapq.heapreplace(self.heap, item)

    def pairs(self) -> list[tuple[int, int, int]]:
        """``(a, b, score)``, best first."""
        return [(-na, -nb, value) for value, na, nb in sorted(self.heap, reverse=True)]


def _explain(
    chosen: list[tuple[int, int, int]],
    people: dict[int, tuple[str, str, int | None]],
    key_of: dict[int, str],
    identity: dict[tuple[int, int], list[str | None]],
    similarity_of: dict[tuple[int, int], int],
) -> list[Pair]:
    orgs = {people[a][2] for a, b, _ in chosen if people[a][2] is not None}
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
            reasons.append(f"same email {email}")
        if phone is not None:
            reasons.append(f"same phone {phone}")
        similarity = similarity_of.get((a, b))
        if similarity is None:
            similarity = name_similarity(key_of.get(a, ""), key_of.get(b, ""))
        if similarity == 100:
            reasons.append("same name")
        elif similarity >= NAME_CUTOFF:
            reasons.append(f"names {similarity}% alike")
        org = people[a][2]
        if org is not None and org == people[b][2]:
            reasons.append(f"same organization {org_names.get(org, '')}".rstrip())
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
