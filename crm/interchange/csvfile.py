"""CSV files of contacts, as Google Contacts, Outlook, LinkedIn, Excel and we write them.

:func:`inspect` reads a file's bytes and works out its :class:`CsvLayout`: the
encoding and delimiter (crm.interchange.sniff), the header row (LinkedIn puts a
few "Notes:" lines before it; Excel may put ``sep=;`` first), which contact field
each column holds (:data:`TARGETS`, judged from the header by
crm.interchange.csv_headers), the program that wrote it (:data:`SHAPES`), and
whether ``01/02/1980`` is the 1st of February or the 2nd of January
(crm.interchange.csv_dates). The layout can be changed (the import dialog shows
the mapping and lets the user pick another target per column, or a saved
preset) and is then handed to :func:`read`, which returns one
:class:`~crm.interchange.records.Incoming` per row (how each cell is read is
crm.interchange.csv_rows). Nothing here touches the database except the presets
(:func:`save_preset`, :func:`presets`, :func:`apply_preset`,
:func:`delete_preset`: Setting rows ``import.preset.<name>`` holding
``{header text: target key}`` as JSON).

Line numbers are the physical line where a row starts (1-based, counting the
header, any preamble, and line breaks inside quoted cells). Our own export
(crm.interchange.exports) is recognised by its exact header; its ``language``,
``channel``, ``stage``, ``marketing_consent`` (yes/no) and ``consent_date``
columns are read too (other files' headers are not guessed to hold these
codes; a user may map a column to them).
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from crm.core import models
from crm.core.errors import ValidationError
from crm.interchange import sniff
from crm.interchange.csv_dates import DateVotes
from crm.interchange.csv_headers import IGNORE, auto_mapping, detect_shape
from crm.interchange.csv_rows import DATE_TARGETS, LIST_KINDS, RowReader, blank
from crm.interchange.records import Incoming

# What a column can be read as: target key -> label for the mapping dialog.
# A key "email:<label>", "phone:<label>" or "related:<label>" with any other
# label also works (presets may hold them); "" ignores the column.
TARGETS: dict[str, str] = {
    "given_name": "Given name",
    "uid": "Id in the other program",
    "family_name": "Family name",
    "full_name": "Full name",
    "organization": "Organization",
    "title": "Job title",
    "email": "Email",
    "email:work": "Email (work)",
    "email:home": "Email (home)",
    "email:other": "Email (other)",
    "email_label": "Label of the next email column",
    "phone": "Phone",
    "phone:mobile": "Phone (mobile)",
    "phone:work": "Phone (work)",
    "phone:home": "Phone (home)",
    "phone:fax": "Phone (fax)",
    "phone:other": "Phone (other)",
    "phone_label": "Label of the next phone column",
    "street": "Street",
    "city": "City",
    "postcode": "Postcode",
    "region": "Region or state",
    "country": "Country",
    "other_street": "Second address: street",
    "other_city": "Second address: city",
    "other_postcode": "Second address: postcode",
    "other_region": "Second address: region",
    "other_country": "Second address: country",
    "url": "Website",
    "birthday": "Birthday",
    "birth_year": "Birthday: year",
    "birth_month": "Birthday: month",
    "birth_day": "Birthday: day",
    "notes": "Notes",
    "more_address": "Another address (kept in the notes)",
    "tags": "Tags",
    "related": "Related person",
    "related_label": "Label of the next related-person column",
    "connected_on": "Connected on (date)",
    # Our own export's columns; codes as the app stores them.
    "language": "Language of letters (en, el, bg, it, ar)",
    "channel": "Channel (code)",
    "stage": "Stage (code)",
    "marketing_consent": "Marketing consent (yes/no)",
    "consent_date": "Consent date",
}

# The program that wrote a file, as inspect() recognises it.
SHAPES: dict[str, str] = {
    "passaparola": "Passaparola export",
    "google": "Google Contacts",
    "outlook": "Outlook",
    "linkedin": "LinkedIn connections",
    "thunderbird": "Thunderbird",
    "generic": "Other",
}
DATE_ORDERS = ("DMY", "MDY")

PRESET_PREFIX = "import.preset."
# Setting keys are at most 64 characters.
PRESET_NAME_MAX = 64 - len(PRESET_PREFIX)
SAMPLE_ROWS = 5
# Rows looked at for the header (a LinkedIn preamble is three lines).
HEADER_SEARCH = 20


@dataclass
class CsvLayout:
    """How to read one CSV file: found by :func:`inspect`, editable, used by :func:`read`."""

    encoding: str
    delimiter: str
    header_line: int  # 1-based line of the header row
    columns: list[str]  # the header's cells as written
    mapping: list[str]  # per column: a TARGETS key, or "" to ignore it
    shape: str = "generic"  # a SHAPES key
    date_order: str = "DMY"  # how 01/02/1980 reads; ISO dates read the same either way
    rows: int = 0  # data rows after the header (blank rows not counted)
    sample: list[list[str]] = field(default_factory=list)  # the first rows, as read

    def mapped(self) -> dict[str, str]:
        """``{header text: target key}`` for every column: a preset's form."""
        return dict(zip(self.columns, self.mapping, strict=True))


def valid_target(key: str) -> bool:
    """True for a key a column can be mapped to ("" included)."""
    if key == IGNORE or key in TARGETS:
        return True
    base, mark, label = key.partition(":")
    return bool(mark) and base in LIST_KINDS and bool(label.strip()) and len(label) <= 40


# -- reading the rows -----------------------------------------------------------


def _records(stream: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(line where the row starts, cells)`` for every row, blank ones included."""
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(code="csvfile.line_row_cannot_read", start=start, exc=exc) from None


def _is_sep_line(cells: list[str]) -> bool:
    return len(cells) <= 2 and cells[0].strip().lower().startswith("sep=")


Opener = Callable[[], TextIO]


def _opener(text: str) -> Opener:
    return lambda: io.StringIO(text, newline="")


def inspect(data: bytes, encoding: str | None = None) -> CsvLayout:
    """The layout of a CSV file: encoding, delimiter, header, mapping, shape, date order.

    The header is the first row (of the first :data:`HEADER_SEARCH`) naming at
    least two contact fields, else the first row.
    """
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ValidationError(code="csvfile.excel_workbook_another_archive")
    text, used = sniff.decode(data, encoding)
    return _inspect(_opener(text), used)


def inspect_file(path: Path, encoding: str | None = None) -> CsvLayout:
    """:func:`inspect` of a file, read as a stream (never whole in memory)."""
    with path.open("rb") as f:
        if f.read(4) in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
            raise ValidationError(code="csvfile.excel_workbook_another_archive")
    used = sniff.detect_file(path, encoding)
    return _inspect(lambda: sniff.open_text(path, used), used)


def _inspect(opener: Opener, used: str) -> CsvLayout:
    with opener() as stream:
        head = stream.read(65536)
    if not head.strip():
        with opener() as stream:
            if not any(line.strip() for line in stream):
                raise ValidationError(code="csvfile.file_empty")
    delimiter = sniff.sniff_delimiter(head)
    with opener() as stream:
        records = _records(stream, delimiter)
        first: tuple[int, list[str]] | None = None
        header: tuple[int, list[str]] | None = None
        early: list[tuple[int, list[str]]] = []  # rows after the first, while looking
        for n, (line, cells) in enumerate(records):
            if blank(cells) or (n == 0 and _is_sep_line(cells)):
                continue
            if first is not None:
                early.append((line, cells))
            else:
                first = (line, cells)
            if sum(1 for target in auto_mapping(cells) if target) >= 2:
                header = (line, cells)
                early.clear()
                break
            if len(early) >= HEADER_SEARCH:
                break
        if first is None:
            raise ValidationError(code="csvfile.no_rows")
        if header is None:
            header = first
        header_line, columns = header[0], [cell.strip() for cell in header[1]]
        mapping = auto_mapping(columns)
        votes = DateVotes([i for i, key in enumerate(mapping) if key in DATE_TARGETS])
        count, sample = 0, list[list[str]]()
        for _line, cells in itertools.chain(early, records):
            if blank(cells):
                continue
            count += 1
            if len(sample) < SAMPLE_ROWS:
                sample.append(cells)
            votes.add(cells)
    return CsvLayout(
        encoding=used,
        delimiter=delimiter,
        header_line=header_line,
        columns=columns,
        mapping=mapping,
        shape=detect_shape(columns),
        date_order=votes.order(used, delimiter),
        rows=count,
        sample=sample,
    )


def read(data: bytes, layout: CsvLayout) -> Iterator[Incoming]:
    """One Incoming per non-blank row after the header, read as ``layout`` says.

    The whole file is read before the first record is returned, so a file that
    does not match ``layout`` raises its ValidationError here, at the call.
    """
    _check_layout(layout)
    text, _used = sniff.decode(data, layout.encoding)
    # 100,000 records are half a million small lists and objects, none in a
    # reference cycle: the collector's full passes over them tripled the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return iter(list(_read(_opener(text), layout)))
    finally:
        if collecting:
            gc.enable()


def read_file(path: Path, layout: CsvLayout) -> Iterator[Incoming]:
    """The records of :func:`read`, from a file read as a stream, one at a time.

    The header is checked at once; a row the file cannot give raises its
    ValidationError when the reading comes to it.
    """
    _check_layout(layout)
    records = _read(lambda: sniff.open_text(path, layout.encoding), layout)
    first = next(records, None)  # the header's check
    return records if first is None else itertools.chain((first,), records)


def count_file(path: Path, layout: CsvLayout) -> int:
    """How many records :func:`read_file` gives (the header is checked)."""
    _check_layout(layout)
    with sniff.open_text(path, layout.encoding) as stream:
        records = _after_header(stream, layout)
        return sum(1 for _line, cells in records if any(cells) and not blank(cells))


def _after_header(stream: TextIO, layout: CsvLayout) -> Iterator[tuple[int, list[str]]]:
    """The rows after the layout's header, which must be there as the layout says."""
    records = _records(stream, layout.delimiter)
    for line, cells in records:
        if line == layout.header_line:
            if [cell.strip() for cell in cells] != layout.columns:
                raise ValidationError(code="csvfile.line_header_one_column", line=line)
            return records
        if line > layout.header_line:
            raise ValidationError(
                code="csvfile.line_row_starts_line", layout_header_line=layout.header_line
            )
    raise ValidationError(
        code="csvfile.file_line_read_header", layout_header_line=layout.header_line
    )


def _read(opener: Opener, layout: CsvLayout) -> Iterator[Incoming]:
    incoming = RowReader(layout).incoming
    last: Incoming | None = None
    cells_of_last: list[str] = []
    with opener() as stream:
        for line, cells in _after_header(stream, layout):
            if any(cells) and not blank(cells):
                if last is not None:
                    yield last
                last, cells_of_last = incoming(line, cells), cells
    if last is not None:
        if _unterminated(opener, last.line, cells_of_last, layout.delimiter):
            last.problems.append(
                f"line {last.line}: a quoted cell opened on this row is never closed, so the "
                "rest of the file was read into it"
            )
        yield last


def _unterminated(opener: Opener, line: int, cells: list[str], delimiter: str) -> bool:
    """True when the last row, starting at ``line``, ends the file inside quotes."""
    if not any("\n" in cell or "\r" in cell for cell in cells):
        return False
    with opener() as stream:
        tail = "".join(itertools.islice(stream, line - 1, None))
    try:
        for _cells in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _check_layout(layout: CsvLayout) -> None:
    if len(layout.mapping) != len(layout.columns):
        raise ValidationError(
            code="csvfile.mapping_targets_columns",
            layout_mapping_count=len(layout.mapping),
            layout_columns_count=len(layout.columns),
        )
    for column, key in zip(layout.columns, layout.mapping, strict=True):
        if not valid_target(key):
            raise ValidationError(
                code="csvfile.column_cannot_read", field="mapping", column=column, key=key
            )
    if layout.date_order not in DATE_ORDERS:
        raise ValidationError(
            code="csvfile.date_order_dmy_mdy",
            field="date_order",
            layout_date_order=layout.date_order,
        )
    if not any(key and not key.endswith("_label") for key in layout.mapping):
        named = ", ".join(f"'{c}'" for c in layout.columns[:8])
        raise ValidationError(
            code="csvfile.none_columns_read_contact",
            field="mapping",
            named=named,
            value=", …" if len(layout.columns) > 8 else "",
        )


# -- presets ----------------------------------------------------------------------


def _preset_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError(code="csvfile.preset_needs_name", field="name")
    if len(clean) > PRESET_NAME_MAX:
        raise ValidationError(
            code="csvfile.preset_name_limited_characters",
            field="name",
            preset_name_max=PRESET_NAME_MAX,
        )
    return clean


def save_preset(name: str, layout: CsvLayout) -> None:
    """Store the layout's mapping as ``{header text: target key}`` under ``name``."""
    clean = _preset_name(name)
    _check_layout(layout)
    value = json.dumps(layout.mapped(), ensure_ascii=False)
    with models.database_proxy.atomic():
        models.put(models.Setting, PRESET_PREFIX + clean, value)


def presets() -> dict[str, dict[str, str]]:
    """Every saved preset by name, sorted by name."""
    rows = models.Setting.select().where(models.Setting.key.startswith(PRESET_PREFIX))
    found = {row.key.removeprefix(PRESET_PREFIX): json.loads(row.value) for row in rows}
    return {name: found[name] for name in sorted(found, key=str.casefold)}


def delete_preset(name: str) -> None:
    """Forget a saved preset (an unknown name is refused)."""
    clean = _preset_name(name)
    with models.database_proxy.atomic():
        gone = models.Setting.delete().where(models.Setting.key == PRESET_PREFIX + clean).execute()
    if not gone:
        raise ValidationError(code="csvfile.there_import_preset", field="name", clean=clean)


def apply_preset(layout: CsvLayout, name: str) -> CsvLayout:
    """``layout`` with the columns the preset names mapped as it says (others as they were)."""
    clean = _preset_name(name)
    saved = presets()
    preset = saved.get(clean)
    if preset is None:
        names = ", ".join(f"'{n}'" for n in saved) or "none yet (the import wizard saves them)"
        raise ValidationError(
            code="csvfile.there_import_preset_saved", field="name", clean=clean, names=names
        )
    if not set(preset) & set(layout.columns):
        raise ValidationError(code="csvfile.preset_names_none_file", field="name", clean=clean)
    mapping = [
        preset[column] if column in preset and valid_target(preset[column]) else current
        for column, current in zip(layout.columns, layout.mapping, strict=True)
    ]
    return dataclasses.replace(layout, mapping=mapping)


# -- a mapping given by hand ------------------------------------------------------


def unused_columns(layout: CsvLayout) -> list[str]:
    """The named columns the layout reads nothing from (an import's report lists them)."""
    return [c for c, key in zip(layout.columns, layout.mapping, strict=True) if c and not key]


def map_columns(layout: CsvLayout, pairs: list[str]) -> CsvLayout:
    """``layout`` with each ``"Column=field"`` of ``pairs`` applied ("" or ignore: left out).

    An unknown field names the valid ones; an unknown column names the file's.
    """
    mapping = list(layout.mapping)
    for pair in pairs:
        column, mark, key = pair.rpartition("=")
        column, key = column.strip(), key.strip()
        if not mark or not column:
            raise ValidationError(code="csvfile.map_takes_column_field", field="map", pair=pair)
        if key.casefold() == "ignore":
            key = IGNORE
        if not valid_target(key):
            raise ValidationError(
                code="csvfile.field_column_can_read",
                field="map",
                key=key,
                targets=", ".join(TARGETS),
            )
        if column not in layout.columns:
            named = ", ".join(f"'{c}'" for c in layout.columns if c)
            raise ValidationError(
                code="csvfile.file_column_columns", field="map", column=column, named=named
            )
        mapping[layout.columns.index(column)] = key
    return dataclasses.replace(layout, mapping=mapping)
