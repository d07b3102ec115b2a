"""Reading a CSV file's rows into records, as a column mapping says.

:class:`RowReader` works out once per file what to do with each column (a
:class:`~crm.interchange.csvfile.CsvLayout`'s mapping), then turns each row into
one :class:`~crm.interchange.records.Incoming` in a single pass with no work for
empty cells (reading 100,000 rows is part of an import's time budget).

How cells are read:

- Several columns may share a target: names join with a space (``Middle Name``
  goes after ``First Name``), notes with a line break, other text with ``, ``
  (``Business Street 2``), and the first non-empty ``url``.
- Emails, phones, related people and tags may hold several values in one cell:
  Google joins them with `` ::: ``; elsewhere ``;`` or ``,`` separate them (except
  in our own file and Google's, where only `` ::: `` does). A ``*_label`` column
  labels the values of the next column of its kind (Google's ``E-mail 1 - Label``
  before ``E-mail 1 - Value``); ``phone:mobile`` and the like give a fixed label.
- Google's system groups ``* myContacts`` and ``* starred`` are not tags; other
  ``* `` marks (Google's "primary" star) are dropped from labels and tags.
- Birthdays become ``YYYY-MM-DD`` or ``--MM-DD``; ``0/0/00`` is no birthday;
  ``Connected On`` (``12 Mar 2024``) becomes a date (crm.interchange.csv_dates).
  Thunderbird's ``Birth Year``, ``Birth Month`` and ``Birth Day`` make one
  birthday (no year: ``--MM-DD``); a month without a day is left out with a warning.
  A birthday that is not a date is passed on as typed (the importer keeps it
  in the notes, with a warning); another date that is not one, or a consent
  that is not yes or no, is left out with a warning.
- A second address (``Home Street``, ``Address 2 - …``) is used when the first
  is empty. Exchange-internal ``/o=…`` addresses are not emails.
- Our own export (crm.interchange.exports): every cell loses the ``'`` its
  formula neutralisation added, emails and phones are ``label: value`` items,
  and ``language``, ``channel``, ``stage``, ``marketing_consent`` (yes/no) and
  ``consent_date`` are read too.
"""

from __future__ import annotations

import operator
import re
from typing import TYPE_CHECKING, Any

from crm.core.text import fold
from crm.i18n import _
from crm.interchange import exports, vcard_out
from crm.interchange.csv_dates import cached_birthday, cached_date
from crm.interchange.records import FieldWarning, Incoming, Labelled

if TYPE_CHECKING:
    from crm.interchange.csvfile import CsvLayout

# Targets a cell of which may hold several values (a key may add ":<label>").
LIST_KINDS = ("email", "phone", "related")
_ADDRESS = ("street", "city", "postcode", "region", "country")
_JOINERS = {"given_name": " ", "family_name": " ", "full_name": " ", "notes": "\n"}
_TEXT_FIELDS = frozenset(
    {"given_name", "family_name", "full_name", "organization", "title", "url", "notes", "uid"}
    | {"more_address"}
    | set(_ADDRESS)
    | {f"other_{part}" for part in _ADDRESS}
)

# Targets read as dates.
DATE_TARGETS = ("birthday", "connected_on", "consent_date")
# Thunderbird's birthday in three columns, in this order.
_BIRTH_PARTS = ("birth_year", "birth_month", "birth_day")
_CODES = ("language", "channel", "stage")
# How a yes/no cell may say it, folded.
_YES = frozenset({"yes", "y", "true", "1", "x", "ναι", "да", "si", "نعم"})
_NO = frozenset({"no", "n", "false", "0", "οχι", "не", "لا"})
# Outlook writes an Exchange user's internal X.500 name where the address would be.
_EXCHANGE = ("/o=", "/O=")


def blank(cells: list[str]) -> bool:
    """True for a row with nothing but whitespace in it."""
    return not any(map(str.strip, cells))


class RowReader:
    """What to do with each cell of a row, worked out once per file.

    Reading 100,000 rows is part of an import's time budget, so a row is read
    in one pass over precomputed column lists, with no work for empty cells.
    """

    def __init__(self, layout: CsvLayout) -> None:
        self.columns = layout.columns
        self.width = len(layout.columns)
        self.order = layout.date_order
        self.ours = layout.shape == "passaparola"
        # Our file and Google's separate values only with " ::: ".
        self.plain_lists = layout.shape in ("passaparola", "google")
        text: dict[str, list[int]] = {}
        lists: list[tuple[int, str, str, int]] = []  # column, kind, fixed label, label column
        labels: dict[int, str] = {}
        self.tags: list[int] = []
        self.dates: list[tuple[int, str]] = []  # column, "birthday" | "connected_on" | …
        self.codes: list[tuple[int, str]] = []  # column, "language" | "channel" | "stage"
        self.consent: list[int] = []
        self.birth: dict[str, int] = {}  # "birth_year" | "birth_month" | "birth_day": column
        for i, key in enumerate(layout.mapping):
            base, _mark, fixed = key.partition(":")
            if key in _TEXT_FIELDS:
                text.setdefault(key, []).append(i)
            elif base in LIST_KINDS:
                lists.append((i, base, fixed.strip(), -1))
            elif key.endswith("_label"):
                labels[i] = key.removesuffix("_label")
            elif key == "tags":
                self.tags.append(i)
            elif key in DATE_TARGETS:
                self.dates.append((i, key))
            elif key in _CODES:
                self.codes.append((i, key))
            elif key == "marketing_consent":
                self.consent.append(i)
            elif key in _BIRTH_PARTS:
                self.birth[key] = i
        self.lists = _pair_labels(lists, labels)
        # Whether a phone may be labelled as a fax (then faxes go last).
        self.faxes = not self.ours and any(
            kind == "phone" and (label_at >= 0 or "fax" in fixed.casefold())
            for _i, kind, fixed, label_at in self.lists
        )
        # Fields from one column (most), and fields joined from several.
        own = {k: v for k, v in text.items() if not k.startswith("other_")}
        singles = [(v[0], k) for k, v in own.items() if len(v) == 1]
        self.single_keys = [key for _i, key in singles]
        # itemgetter returns a tuple for two or more columns: give it at least two.
        indexes = [i for i, _key in singles] or [0]
        getter = operator.itemgetter(*indexes, *indexes) if len(indexes) == 1 else None
        self.single_cells = getter or operator.itemgetter(*indexes)
        self.joined = [(k, v, _JOINERS.get(k, ", ")) for k, v in own.items() if len(v) > 1]
        # The second address's fields, read only when the first one is empty.
        self.second = [
            (part, text[f"other_{part}"]) for part in _ADDRESS if f"other_{part}" in text
        ]
        self.first = [part for part in _ADDRESS if part in own]

    def incoming(self, line: int, cells: list[str]) -> Incoming:
        ours = self.ours
        if ours:
            cells = [exports.unneutralise(cell) for cell in cells]
        width, count = self.width, len(cells)
        extra = False
        if count < width:
            cells = cells + [""] * (width - count)
        elif count > width:
            extra = not blank(cells[width:])
        item = Incoming(line, **self._values(cells))
        if extra:
            item.problems.append(
                f"line {line}: the row has {count} cells but the header has "
                f"{width} columns (a missing quote or an extra delimiter?)"
            )
        self._add_lists(item, cells)
        for i in self.tags:
            cell = cells[i]
            if cell and not cell.isspace():
                tags = item.tags
                for tag in self._split(cell):
                    name = tag if ours else _tag(tag)
                    if name and name not in tags:
                        tags.append(name)
        self._add_dates(item, cells)
        if self.birth and not item.birthday:
            self._add_birth_parts(item, cells)
        for i, key in self.codes:
            if cell := cells[i].strip():
                setattr(item, key, cell)
        for i in self.consent:
            if cell := cells[i].strip():
                answer = fold(cell)
                if answer in _YES or answer in _NO:
                    item.marketing_consent = answer in _YES
                else:
                    item.warnings.append(
                        FieldWarning(line, self.columns[i], cell, "Not yes or no: left out")
                    )
        return item

    def _values(self, cells: list[str]) -> dict[str, Any]:
        """The row's single-valued fields: one column each, or several joined."""
        ours = self.ours
        values: dict[str, Any] = {
            key: value
            for key, value in zip(
                self.single_keys, map(str.strip, self.single_cells(cells)), strict=False
            )
            if value
        }
        if not ours:
            for key, value in values.items():
                if "\r" in value:
                    values[key] = _newlines(value)
        for key, indexes, joiner in self.joined:
            parts = [cells[i].strip() for i in indexes if cells[i] and cells[i].strip()]
            if parts:
                cell = parts[0] if key == "url" else joiner.join(parts)
                values[key] = cell if ours or "\r" not in cell else _newlines(cell)
        if self.second:
            self._second_address(values, cells)
        if ours and values.get("uid", "").isdigit():
            # Our export's id column: the contact's UID, as our vCard export writes it.
            values["uid"] = vcard_out.uid(int(values["uid"]))
        if "full_name" in values and ("given_name" in values or "family_name" in values):
            del values["full_name"]
        more = values.pop("more_address", "")
        if more:  # a third address: a line of the notes
            line = "Address: " + " ".join(more.split())
            values["notes"] = f"{values['notes']}\n{line}" if values.get("notes") else line
        return values

    def _second_address(self, values: dict[str, Any], cells: list[str]) -> None:
        """The second address: the contact's when the first is empty, else a line of the notes."""
        second: dict[str, str] = {}
        for part, indexes in self.second:
            parts = [cells[i].strip() for i in indexes if cells[i] and cells[i].strip()]
            if parts:
                second[part] = _newlines(", ".join(parts))
        if not second:
            return
        if not any(values.get(part) for part in self.first):
            values.update(second)
            return
        line = "Address: " + ", ".join(" ".join(v.split()) for v in second.values())
        values["notes"] = f"{values['notes']}\n{line}" if values.get("notes") else line

    def _add_lists(self, item: Incoming, cells: list[str]) -> None:
        """The row's emails and phones, with their labels."""
        plain, ours = self.plain_lists, self.ours
        for i, kind, fixed, label_at in self.lists:
            cell = cells[i]
            if not cell or cell.isspace():
                continue
            if (
                not ours
                and kind != "related"
                and ":::" not in cell
                and (plain or (";" not in cell and "," not in cell))
            ):
                # The common cell: one value (Google's with its label column).
                value = cell.strip()
                label = fixed
                if not label and label_at >= 0 and (label := cells[label_at]):
                    label = label.partition(":::")[0].strip().lstrip("* ")
                if kind == "phone":
                    phones = item.phones
                    if not phones or all(p.value != value for p in phones):
                        phones.append(Labelled(value, label))
                elif not value.startswith(_EXCHANGE):  # Exchange's internal address
                    emails = item.emails
                    if not emails or all(e.value.casefold() != value.casefold() for e in emails):
                        emails.append(Labelled(value, label))
                continue
            self._add_values(item, kind, cell, fixed, cells[label_at] if label_at >= 0 else "")
        if self.faxes and len(item.phones) > 1:
            # A fax number is nobody's main phone (Outlook writes Business Fax first).
            item.phones.sort(key=lambda phone: "fax" in phone.label.casefold())

    def _add_dates(self, item: Incoming, cells: list[str]) -> None:
        for i, key in self.dates:
            cell = cells[i]
            if cell and (cell := cell.strip()):
                try:
                    if key == "birthday":
                        item.birthday = cached_birthday(cell, self.order)
                    else:
                        setattr(item, key, cached_date(cell, self.order))
                except ValueError:
                    if key == "birthday":
                        item.birthday = cell  # as typed: the importer keeps it in the notes
                    else:
                        reason = _("Not a date: left out")
                        item.warnings.append(FieldWarning(item.line, self.columns[i], cell, reason))

    def _add_birth_parts(self, item: Incoming, cells: list[str]) -> None:
        """Thunderbird's Birth Year, Birth Month and Birth Day as one birthday."""
        year, month, day = (
            cells[self.birth[part]].strip() if part in self.birth else "" for part in _BIRTH_PARTS
        )
        if not (month and day):
            if year or month or day:
                column = self.columns[self.birth[next(iter(self.birth))]]
                typed = "/".join(p for p in (year, month, day) if p)
                reason = _("Not a whole birthday (day and month are needed): left out")
                item.warnings.append(FieldWarning(item.line, column, typed, reason))
            return
        if month.isdigit() and day.isdigit():
            month, day = month.zfill(2), day.zfill(2)
        text = f"{year}-{month}-{day}" if year else f"--{month}-{day}"
        try:
            item.birthday = cached_birthday(text, self.order)
        except ValueError:
            item.birthday = text  # as typed: the importer keeps it in the notes

    def _split(self, cell: str) -> list[str]:
        if ":::" in cell or self.plain_lists:
            parts = cell.split(":::")
        elif ";" in cell or "," in cell:
            parts = _LIST_SEPARATORS.split(cell)
        else:
            return [cell.strip()]
        return [part.strip() for part in parts if part and not part.isspace()]

    def _add_values(
        self, item: Incoming, kind: str, cell: str, fixed: str, label_cell: str
    ) -> None:
        related = kind == "related"
        values = self._split(cell) if not related or ":::" in cell else [cell.strip()]
        if fixed or not label_cell:
            labels = [fixed]
        else:
            labels = [part.strip().lstrip("* ") for part in label_cell.split(":::")]
        aligned = len(labels) == len(values)
        for n, raw in enumerate(values):
            label = labels[n] if aligned else labels[0]
            value = raw
            if self.ours and not related:
                written_label, mark, rest = raw.rpartition(exports.LABEL_MARK)
                if mark:
                    label, value = written_label.strip(), rest.strip()
            if kind == "email":
                if value.startswith(_EXCHANGE):  # Exchange's internal address, not an email
                    continue
                folded = value.casefold()
                if any(e.value.casefold() == folded for e in item.emails):
                    continue
                item.emails.append(Labelled(value, label))
            elif kind == "phone":
                if any(p.value == value for p in item.phones):
                    continue
                item.phones.append(Labelled(value, label))
            else:
                item.related.append(f"{value} ({label})" if label else value)


def _newlines(text: str) -> str:
    """Line breaks inside a cell as ``\\n`` (Outlook writes CRLF inside notes)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _pair_labels(
    lists: list[tuple[int, str, str, int]], labels: dict[int, str]
) -> list[tuple[int, str, str, int]]:
    """Give each label column to the next value column of its kind (else the previous one)."""
    out = list(lists)
    taken: set[int] = set()
    for at, kind in sorted(labels.items()):
        candidates = [n for n, (i, k, fixed, _) in enumerate(out) if k == kind and not fixed]
        after = [n for n in candidates if out[n][0] > at and n not in taken]
        before = [n for n in reversed(candidates) if out[n][0] < at and n not in taken]
        for n in after[:1] or before[:1]:
            i, k, fixed, _ = out[n]
            out[n] = (i, k, fixed, at)
            taken.add(n)
    return out


_LIST_SEPARATORS = re.compile(r"[;,]")
_SYSTEM_LABELS = frozenset({"mycontacts", "my contacts", "starred"})


def _tag(label: str) -> str:
    """A Google label as a tag: "" for the system groups ("* myContacts", "* starred")."""
    if not label.startswith("*"):
        return label
    name = label.lstrip("* ")
    return "" if name.casefold() in _SYSTEM_LABELS else name
