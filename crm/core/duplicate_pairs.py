"""Candidate pairs for the duplicate finder, without comparing everyone with everyone.

Two costs grow faster than the contacts if nothing stops them, and both are cut here:

- **Comparing names.** Distinct names are compared only within *blocks*: the
  names whose family name sounds the same (:func:`crm.core.transliteration.sound_key`,
  so ``Kostopoulou``, ``Costopoulou`` and ``Κωστοπούλου`` meet), the names with
  the same first given name and family names starting alike (a typo in a
  consonant of the family name), and the names of one organization. A block
  holds distinct names, not people: a thousand ``Maria Rossi`` are one name.
- **Pairing people.** A common name shared by *k* people makes *k(k-1)/2* pairs,
  and two similar common names make *k·m*. Only the ``limit`` best pairs are
  kept, ranked by score and then by the smaller ids, so each group's pairs are
  offered in that order and the offering stops at the first one the list of the
  best refuses: every later pair of that group ranks lower still, and the
  threshold only rises. The result is exactly what offering every pair would
  give, at a cost that grows with the limit, not with *k²*.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from crm.core.text import tokens
from crm.core.transliteration import latin, sound_key

SOUND_LETTERS = 4  # the consonants of a family name's sound that put names in one block

Progress = Callable[[int, int], bool | None] | None
Person = tuple[str, str, int | None]  # given, family, organization id


class People:
    """The contacts compared, in about 20 bytes each: ids in order, a name index, the organization.

    A million contacts as a dict of tuples of strings took over 300 MB; the
    columns here take about 20 MB, and each distinct name is kept once.
    ``people[cid]`` gives ``(given, family, organization id or None)``.
    """

    def __init__(self, rows: Iterable[tuple[int, str | None, str | None, int | None]]) -> None:
        self.ids = array("q")
        self.name = array("l")
        self.org = array("q")  # 0: no organization
        index: dict[tuple[str, str], int] = {}
        for cid, given, family, org in rows:
            key = (given or "", family or "")
            self.ids.append(int(cid))
            self.name.append(index.setdefault(key, len(index)))
            self.org.append(int(org or 0))
        self.names = list(index)
        if any(a >= b for a, b in zip(self.ids, self.ids[1:], strict=False)):
            raise ValueError("People needs the contacts in increasing id order")

    def _at(self, cid: int) -> int:
        at = bisect_left(self.ids, cid)
        if at == len(self.ids) or self.ids[at] != cid:
            raise KeyError(cid)
        return at

    def __contains__(self, cid: object) -> bool:
        if not isinstance(cid, int):
            return False
        at = bisect_left(self.ids, cid)
        return at < len(self.ids) and self.ids[at] == cid

    def __getitem__(self, cid: int) -> Person:
        at = self._at(cid)
        given, family = self.names[self.name[at]]
        return given, family, self.org[at] or None

    def org_of(self, cid: int) -> int | None:
        return self.org[self._at(cid)] or None

    def get(self, cid: int) -> Person | None:
        try:
            return self[cid]
        except KeyError:
            return None


class Best:
    """The ``limit`` best-scored pairs seen so far (a min-heap of ``(score, -a, -b)``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.heap: list[tuple[int, int, int]] = []

    def offer(self, value: int, a: int, b: int) -> bool:
        """Keep the pair if it is among the best so far; False when it is not."""
        item = (value, -a, -b)
        if len(self.heap) < self.limit:
            heapq.heappush(self.heap, item)
            return True
        if item > self.heap[0]:
            heapq.heapreplace(self.heap, item)
            return True
        return False

    def pairs(self) -> list[tuple[int, int, int]]:
        """``(a, b, score)``, best first."""
        return [(-na, -nb, value) for value, na, nb in sorted(self.heap, reverse=True)]


@dataclass(slots=True)
class Names:
    """Distinct folded names: each contact's key, the contacts of each key, blocks to compare."""

    people: People = field(default_factory=lambda: People(()))
    key_of_name: dict[tuple[str, str], str] = field(default_factory=dict)
    ids_of: dict[str, list[int]] = field(default_factory=dict)
    blocks: list[list[str]] = field(default_factory=list)
    # key -> organization -> the contacts of that name in it (sorted)
    orgs_of: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    def key(self, cid: int) -> str:
        """The name key of contact ``cid`` ("" for a contact left out or without a name)."""
        person = self.people.get(cid)
        return self.key_of_name.get(person[:2], "") if person else ""


def name_key(given: str, family: str) -> str:
    """The folded words of a full name in sorted order (what names are compared on)."""
    return " ".join(sorted(tokens(f"{given} {family}")))


def names(people: People) -> Names:
    """The distinct names of ``people`` and the blocks of names worth comparing.

    The work per person is a list append; keys and blocks are made once per
    distinct name.
    """
    found = Names(people=people)
    holders: list[list[int]] = [[] for _ in people.names]
    by_org: dict[int, set[int]] = {}
    colleagues: dict[int, dict[int, list[int]]] = {}  # name -> organization -> holders
    for cid, name, org in zip(people.ids, people.name, people.org, strict=True):
        holders[name].append(cid)
        if org:
            by_org.setdefault(org, set()).add(name)
            colleagues.setdefault(name, {}).setdefault(org, []).append(cid)
    keys = [name_key(*name) for name in people.names]
    found.key_of_name = dict(zip(people.names, keys, strict=True))
    by_block: dict[tuple[str, ...], set[str]] = {}
    for n, (given, family) in enumerate(people.names):
        key = keys[n]
        if not key:
            continue
        found.ids_of.setdefault(key, []).extend(holders[n])
        for org, members in colleagues.get(n, {}).items():
            found.orgs_of.setdefault(key, {}).setdefault(org, []).extend(members)
        for block in _block_keys(given, family):
            by_block.setdefault(block, set()).add(key)
    for ids in found.ids_of.values():
        ids.sort()
    for groups in found.orgs_of.values():
        for members in groups.values():
            members.sort()
    blocks = list(by_block.values())
    blocks += [{keys[n] for n in named if keys[n]} for named in by_org.values()]
    found.blocks = [sorted(block) for block in blocks if len(block) > 1]
    return found


def _block_keys(given: str, family: str) -> tuple[tuple[str, ...], ...]:
    given_words, family_words = tokens(given), tokens(family)
    surname = family_words or given_words
    if not surname:
        return ()
    # How the family name starts to sound: Kostopoulou and Costopoulou, and the
    # two genders of a Greek surname (Fragkiadakis, Fragkiadaki), meet.
    sound = ("sound", sound_key(surname[0])[:SOUND_LETTERS])
    # The same start of given and family names: a typo further on in either.
    first = latin(given_words[0])[:3] if given_words and family_words else ""
    start = ("start", first, latin(surname[0])[:2])
    return (sound, start)


def similar_keys(
    blocks: Sequence[list[str]], cutoff: int, progress: Callable[[int], None]
) -> Iterator[tuple[str, str, int]]:
    """Pairs of different name keys within a block at least ``cutoff`` alike, once each.

    Names in Greek or Cyrillic letters are also compared in Latin letters, so a
    name and its transliteration meet; that similarity counts up to 99.
    """
    from rapidfuzz import fuzz, process

    seen: set[tuple[str, str]] = set()
    floor = cutoff - 0.5  # what rounds to the cutoff counts, as it is shown
    for n, keys in enumerate(blocks):
        if n % 256 == 0:
            progress(n)
        for i in range(len(keys) - 1):
            rest = keys[i + 1 :]
            matches = process.extract(
                keys[i], rest, scorer=fuzz.ratio, score_cutoff=floor, limit=None
            )
            for _other, similarity, j in matches:
                pair = (keys[i], rest[j])
                if pair not in seen:
                    seen.add(pair)
                    yield keys[i], rest[j], round(similarity)
        yield from _across_scripts(keys, floor, seen)


def _across_scripts(
    keys: list[str], floor: float, seen: set[tuple[str, str]]
) -> Iterator[tuple[str, str, int]]:
    """Names in Latin letters against names in Greek or Cyrillic ones, in Latin letters."""
    from rapidfuzz import fuzz, process

    latin_keys = [k for k in keys if k.isascii()]
    if not latin_keys or len(latin_keys) == len(keys):
        return
    for key in keys:
        roman = latin(key)
        if key.isascii() or roman == key:
            continue  # Latin already, or a script left as it is (Arabic)
        matches = process.extract(
            roman, latin_keys, scorer=fuzz.ratio, score_cutoff=floor, limit=None
        )
        for _other, similarity, j in matches:
            pair = (key, latin_keys[j]) if key < latin_keys[j] else (latin_keys[j], key)
            if pair not in seen:
                seen.add(pair)
                yield pair[0], pair[1], min(99, round(similarity))


def offer_group(
    best: Best,
    ids: list[int],
    value: int,
    skip: Callable[[int, int], bool],
) -> None:
    """Offer every pair of ``ids`` (sorted) at ``value``, best first, until one is refused."""
    for i, a in enumerate(ids):
        if not _offer_partners(best, a, ids[i + 1 :], value, skip):
            return


def offer_across(
    best: Best,
    first: list[int],
    second: list[int],
    value: int,
    skip: Callable[[int, int], bool],
) -> None:
    """Offer every pair of one id of ``first`` and one of ``second`` (both sorted), best first."""
    marked = sorted([(a, 0) for a in first] + [(b, 1) for b in second])
    lists = (first, second)
    for a, side in marked:
        partners = lists[1 - side]
        if not _offer_partners(best, a, partners[bisect_right(partners, a) :], value, skip):
            return


def _offer_partners(
    best: Best, a: int, partners: Iterable[int], value: int, skip: Callable[[int, int], bool]
) -> bool:
    """Offer ``(a, b)`` for each partner in order; False when the first offer is refused.

    A refused first offer means no pair with a larger ``a`` can be kept either.
    """
    first = True
    for b in partners:
        if skip(a, b):
            continue
        if not best.offer(value, a, b):
            return not first
        first = False
    return True
