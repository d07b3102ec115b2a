"""Reading the other English history lines older versions wrote back into codes (schema 9).

Step 8 (:mod:`crm.core.rule_lines_match`) gave codes to the lines a rule wrote.
These are the rest the app wrote in English: a contact's changed fields
("Changed city, stage"), a referral's changed details ("Referral from Ada
Lovelace: changed notes"), what an import added to a stored contact ("Imported
from list.csv: added street, city") and points redeemed ("70 points redeemed:
Dinner"). A line whose every field is one the app names gets its code; anything
else stays as it was. "Referral from …" is a code only when the name is the giver
of the line's own referral: step 8 read such a line as a follow-up's edit, and
this step reads it again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from crm.core.rule_lines import CODES, Line, line
from crm.core.rule_lines_match import _name, _pages, _write

_FIELD_KINDS = ("contact_field", "referral_field")
_KNOWN = {
    kind: frozenset(c.split(".", 1)[1] for c in CODES if c.startswith(f"{kind}."))
    for kind in _FIELD_KINDS
}
_CHANGED = re.compile(r"Changed (.+)", re.S)
_REFERRAL = re.compile(r"Referral from (.+): changed (.+)", re.S)
_IMPORTED = re.compile(r"Imported: added (.+)", re.S)
_IMPORTED_FROM = re.compile(r"Imported from (.+): added (.+)", re.S)
_POINTS = re.compile(r"(\d+) points redeemed: (.*)", re.S)
# What a redemption without a note was given as its note (and its line's).
DEFAULT_NOTE = "Points redeemed"
#: The history kinds the step reads.
KINDS = ("updated", "points_redeemed")


def _fields(kind: str, text: str) -> list[Line] | None:
    names = text.split(", ")
    if not all(name in _KNOWN[kind] for name in names):
        return None
    return [line(f"{kind}.{name}") for name in names]


def _points(summary: str) -> Line | None:
    found = _POINTS.fullmatch(summary)
    if found is None:
        return None
    points, note = int(found.group(1)), found.group(2)
    if note in ("", DEFAULT_NOTE):
        return line("history.points_redeemed", points=points)
    return line("history.points_redeemed_note", points=points, note=note)


def history_line(kind: str, summary: str, giver: str = "") -> Line | None:
    """The code of a line the app wrote in English, if it is one; ``giver`` is the display
    name of the giver of the line's referral ("" when it has none)."""
    if kind == "points_redeemed":
        return _points(summary)
    if kind != "updated":
        return None
    if found := _CHANGED.fullmatch(summary):
        fields = _fields("contact_field", found.group(1))
        return line("history.contact_changed", fields=fields) if fields else None
    if (found := _REFERRAL.fullmatch(summary)) and giver and found.group(1) == giver:
        fields = _fields("referral_field", found.group(2))
        return line("history.referral_changed", name=giver, fields=fields) if fields else None
    if found := _IMPORTED.fullmatch(summary):
        fields = _fields("contact_field", found.group(1))
        return line("history.imported_added", fields=fields) if fields else None
    if found := _IMPORTED_FROM.fullmatch(summary):
        fields = _fields("contact_field", found.group(2))
        if fields:
            return line("history.imported_from_added", source=found.group(1), fields=fields)
    return None


@functools.lru_cache(maxsize=4096)
def _stored(kind: str, summary: str, giver: str) -> str | None:
    """What the ``message`` column gets; the same few "Changed …" lines recur by the
    thousand."""
    made = history_line(kind, summary, giver)
    return None if made is None else made.stored()


def _updates(rows: list[tuple[Any, ...]]) -> Iterator[tuple[str, int]]:
    for rid, kind, text, given, family in rows:
        stored = _stored(kind, text or "", _name(given, family))
        if stored is not None:
            yield stored, rid


def convert(database: Any) -> int:
    """Give the app's other English history lines their codes; returns how many."""
    p = database.param
    # Step 8 read "Referral from Ada: changed notes" as the edit of a follow-up so titled.
    misread = '{"code":"history.followup_changed",%'
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    select = (
        "SELECT i.id, i.kind, i.summary, g.given_name, g.family_name FROM interaction i "
        "LEFT JOIN referral r ON r.id = i.referral_id "
        "LEFT JOIN contact g ON g.id = r.giver_id "
        # "|| ''": the pages are id ranges, walked in the table's order; the index on kind
        # would read every line of these kinds again for each page.
        f"WHERE i.id >= {{p}} AND i.id < {{p}} AND (i.kind || '') IN ({kinds}) "
        "AND (i.message IS NULL OR (i.summary LIKE {p} AND i.message LIKE {p}))"
    )
    done = 0
    for rows in _pages(database, "interaction", select, ("Referral from %", misread)):
        done += _write(database, "interaction", _updates(rows))
    # A redemption without a note: no note, where the app wrote its English one.
    database.execute_sql(
        f"UPDATE reward SET notes = '' WHERE points < 0 AND notes = {p}", (DEFAULT_NOTE,)
    )
    return done
