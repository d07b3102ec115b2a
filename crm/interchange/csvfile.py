"""CSV files of contacts, as Google Contacts, Outlook, LinkedIn, Excel and we write them.

:func:`inspect` reads a file's bytes and works out its :class:`CsvLayout`: the
encoding and delimiter (crm.interchange.sniff), the header row (LinkedIn puts a
few "Notes:" lines before it; Excel may put ``sep=;`` first), which contact field
each column holds (:data:`TARGETS`, from the header's words in English, Greek,
Italian, Bulgarian and Arabic, and the numbered columns of Google's export), the
program that wrote it, and whether ``01/02/1980`` is the 1st of February or the
2nd of January. The layout can be changed (the import dialog shows the mapping
and lets the user pick another target per column, or a saved preset) and is then
handed to :func:`read`, which returns one :class:`~crm.interchange.records.Incoming`
per row. Nothing here touches the database except the presets (:func:`save_preset`,
:func:`presets`, :func:`apply_preset`, :func:`delete_preset`: Setting rows
``import.preset.<name>`` holding ``{header text: target key}`` as JSON).

How cells are read:

- Line numbers are the physical line where a row starts (1-based, counting the
  header, any preamble, and line breaks inside quoted cells).
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
  ``Connected On`` (``12 Mar 2024``) becomes a date. A cell that is not a date is
  a problem on its row ("line 7: Birthday '31/31/1980' is not a date"), which
  rejects that row only.
- A second address (``Home Street``, ``Address 2 - …``) is used when the first
  is empty. Outlook's ``Title`` (Mr., Dr.) is not a job title when the file has
  ``Job Title``; Exchange-internal ``/o=…`` addresses are not emails.
- Our own export (crm.interchange.exports, recognised by its exact header):
  every cell loses the ``'`` its formula neutralisation added, emails and phones
  are ``label: value`` items, and ``language``, ``channel``, ``stage``,
  ``marketing_consent`` (yes/no) and ``consent_date`` are read too (other files'
  headers are not guessed to hold these codes; a user may map a column to them).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import io
import itertools
import json
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crm.core import models
from crm.core.errors import ValidationError
from crm.core.text import fold
from crm.interchange import exports, sniff
from crm.interchange.records import Incoming, Labelled

IGNORE = ""

# What a column can be read as: target key -> label for the mapping dialog.
# A key "email:<label>", "phone:<label>" or "related:<label>" with any other
# label also works (presets may hold them); "" ignores the column.
TARGETS: dict[str, str] = {
    "given_name": "Given name",
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
    "notes": "Notes",
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
    "generic": "Other",
}
DATE_ORDERS = ("DMY", "MDY")

PRESET_PREFIX = "import.preset."
# Setting keys are at most 64 characters.
PRESET_NAME_MAX = 64 - len(PRESET_PREFIX)
SAMPLE_ROWS = 5
# Rows looked at for the header (a LinkedIn preamble is three lines).
HEADER_SEARCH = 20

_LISTS = ("email", "phone", "related")
_ADDRESS = ("street", "city", "postcode", "region", "country")
_JOINERS = {"given_name": " ", "family_name": " ", "full_name": " ", "notes": "\n"}
_TEXT_FIELDS = frozenset(
    {"given_name", "family_name", "full_name", "organization", "title", "url", "notes"}
    | set(_ADDRESS)
    | {f"other_{part}" for part in _ADDRESS}
)


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


# -- recognising columns --------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+")


def _normal(header: str) -> str:
    """A header as compared: folded (case, accents), words only (``E-mail`` → ``e mail``)."""
    return " ".join(_WORD_RE.findall(fold(header)))


# Header words per target, in the languages of our users; compared after _normal.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "first name", "firstname", "first", "given name", "given", "given_name", "forename",
        "middle name", "additional name", "μικρό όνομα", "όνομα (μικρό)",
        "prénom", "nome proprio", "собствено име", "الاسم الأول",
    ),
    "family_name": (
        "last name", "lastname", "last", "surname", "family name", "family_name",
        "επώνυμο", "cognome", "фамилия", "фамилно име", "اسم العائلة", "الكنية", "اللقب",
    ),
    "full_name": (
        "full name", "display name", "contact", "contact name", "ονοματεπώνυμο",
        "nome e cognome", "nome completo", "nominativo", "име и фамилия", "пълно име",
        "الاسم الكامل",
    ),
    "organization": (
        "company", "company name", "organization", "organisation", "organization name",
        "business", "employer", "εταιρεία", "εταιρία", "επιχείρηση", "οργανισμός",
        "azienda", "società", "ditta", "organizzazione", "фирма", "компания", "организация",
        "الشركة", "المؤسسة", "جهة العمل",
    ),
    "title": (
        "job title", "title", "position", "role", "job", "organization title",
        "θέση", "τίτλος", "ιδιότητα", "θέση εργασίας", "ruolo", "qualifica", "posizione",
        "titolo", "длъжност", "позиция", "المسمى الوظيفي", "الوظيفة", "المنصب",
    ),
    "email": (
        "email", "e mail", "emails", "email address", "e mail address", "mail",
        "e mail 2 address", "e mail 3 address", "email 2", "email 3",
        "ηλεκτρονικό ταχυδρομείο", "διεύθυνση email", "posta elettronica",
        "indirizzo email", "indirizzo e mail", "имейл", "е поща", "електронна поща",
        "البريد الإلكتروني", "البريد", "الإيميل",
    ),
    "email:work": ("work email", "business email", "email work", "email di lavoro"),
    "email:home": ("home email", "personal email", "private email", "email home"),
    "phone": (
        "phone", "phones", "telephone", "tel", "phone number", "telephone number",
        "primary phone", "τηλέφωνο", "τηλ", "αριθμός τηλεφώνου", "telefono",
        "numero di telefono", "телефон", "тел", "телефонен номер", "الهاتف", "هاتف",
        "رقم الهاتف",
    ),
    "phone:mobile": (
        "mobile", "mobile phone", "cell", "cell phone", "cellphone", "car phone",
        "κινητό", "κινητό τηλέφωνο", "cellulare", "telefono cellulare", "мобилен",
        "мобилен телефон", "الجوال", "الموبايل", "جوال",
    ),
    "phone:work": (
        "business phone", "business phone 2", "work phone", "office phone",
        "company main phone", "τηλέφωνο εργασίας", "telefono ufficio", "служебен телефон",
    ),
    "phone:home": ("home phone", "home phone 2", "private phone", "τηλέφωνο οικίας"),
    "phone:fax": ("fax", "business fax", "home fax", "other fax", "φαξ", "факс", "فاكس"),
    "phone:other": ("other phone",),
    "street": (
        "street", "address", "street address", "business street", "business street 2",
        "business street 3", "address line 1", "address line 2", "διεύθυνση", "οδός",
        "indirizzo", "via", "адрес", "улица", "العنوان", "الشارع",
    ),
    "city": (
        "city", "town", "locality", "business city", "πόλη", "città", "comune", "град",
        "населено място", "المدينة",
    ),
    "postcode": (
        "postcode", "post code", "postal code", "zip", "zip code", "zipcode",
        "business postal code", "τκ", "τ κ", "ταχυδρομικός κώδικας", "ταχ κώδικας",
        "cap", "codice postale", "пощенски код", "пк", "الرمز البريدي",
    ),
    "region": (
        "region", "state", "province", "county", "business state", "state province",
        "νομός", "περιφέρεια", "provincia", "regione", "област", "المنطقة", "المحافظة",
    ),
    "country": (
        "country", "country region", "business country region", "χώρα", "paese",
        "nazione", "държава", "страна", "البلد", "الدولة",
    ),
    "other_street": ("home street", "home street 2", "home street 3"),
    "other_city": ("home city",),
    "other_postcode": ("home postal code",),
    "other_region": ("home state",),
    "other_country": ("home country region",),
    "url": (
        "url", "website", "web site", "web page", "web", "homepage", "home page",
        "profile url", "linkedin", "ιστοσελίδα", "ιστότοπος", "sito web", "sito",
        "уебсайт", "сайт", "الموقع الإلكتروني", "الموقع",
    ),
    "birthday": (
        "birthday", "birth date", "birthdate", "date of birth", "dob", "γενέθλια",
        "ημερομηνία γέννησης", "compleanno", "data di nascita", "рожден ден",
        "дата на раждане", "تاريخ الميلاد", "عيد الميلاد",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "σημειώσεις", "σχόλια",
        "παρατηρήσεις", "annotazioni", "бележки", "забележки", "коментар", "ملاحظات",
    ),
    "tags": (
        "tags", "tag", "labels", "categories", "category", "groups", "group",
        "group membership", "ετικέτες", "κατηγορίες", "κατηγορία", "ομάδες", "etichette",
        "categorie", "categoria", "gruppi", "етикети", "категории", "групи", "الوسوم",
        "التصنيفات", "الفئات",
    ),
    "connected_on": ("connected on", "connection date"),
    "related:spouse": ("spouse",),
    "related:referred by": ("referred by",),
    "related:manager": ("manager s name",),
    "related:assistant": ("assistant s name",),
}  # fmt: skip
# Columns of our own export that other files' headers do not map to by themselves.
_OURS = {key: key for key in ("language", "channel", "stage", "marketing_consent", "consent_date")}
# A plain "name" is the given name beside a family-name column, else the whole name.
_AMBIGUOUS_NAMES = frozenset(_normal(w) for w in ("name", "όνομα", "nome", "име", "الاسم"))

_HEADER_TARGETS: dict[str, str] = {
    _normal(word): target for target, words in _SYNONYMS.items() for word in words
}

# Google's numbered columns: "E-mail 1 - Value", "Address 2 - Postal Code".
_NUMBERED_RE = re.compile(
    r"^\s*(e-?mail|phone|address|organization|website|relation)\s+(\d+)\s+-\s+(.+?)\s*$", re.I
)
_NUMBERED: dict[tuple[str, str], str] = {
    ("email", "value"): "email",
    ("email", "label"): "email_label",
    ("email", "type"): "email_label",
    ("phone", "value"): "phone",
    ("phone", "label"): "phone_label",
    ("phone", "type"): "phone_label",
    ("address", "street"): "street",
    ("address", "po box"): "street",
    ("address", "extended address"): "street",
    ("address", "city"): "city",
    ("address", "region"): "region",
    ("address", "postal code"): "postcode",
    ("address", "country"): "country",
    ("organization", "name"): "organization",
    ("organization", "title"): "title",
    ("website", "value"): "url",
    ("relation", "value"): "related",
    ("relation", "label"): "related_label",
    ("relation", "type"): "related_label",
}
# Outlook's own columns: two of these make a file Outlook's.
_OUTLOOK_MARKS = frozenset(
    _normal(h)
    for h in (
        "E-mail Address", "E-mail 2 Address", "E-mail Display Name", "Business Phone",
        "Mobile Phone", "Home Phone", "Business Street", "Business City",
        "Business Country/Region", "Job Title", "Categories",
    )
)  # fmt: skip


def valid_target(key: str) -> bool:
    """True for a key a column can be mapped to ("" included)."""
    if key == IGNORE or key in TARGETS:
        return True
    base, mark, label = key.partition(":")
    return bool(mark) and base in _LISTS and bool(label.strip()) and len(label) <= 40


def target_for(header: str) -> str:
    """The target a column with this header holds by itself, or "" (ignored)."""
    match = _NUMBERED_RE.match(header)
    if match:
        kind = "email" if match[1].lower().startswith("e") else match[1].lower()
        number, part = int(match[2]), _normal(match[3])
        target = _NUMBERED.get((kind, part), IGNORE)
        if kind == "address" and target:
            return target if number == 1 else f"other_{target}" if number == 2 else IGNORE
        if kind == "organization" and number > 1:
            return IGNORE
        return target
    return _HEADER_TARGETS.get(_normal(header), IGNORE)


def auto_mapping(columns: Sequence[str]) -> list[str]:
    """The target of each column, judged from the whole header."""
    if tuple(columns) == exports.CSV_COLUMNS:
        return [_OURS.get(column, target_for(column)) for column in columns]
    normals = [_normal(c) for c in columns]
    mapping = [target_for(c) for c in columns]
    has_given = "given_name" in mapping
    has_family = "family_name" in mapping
    for i, normal in enumerate(normals):
        if normal in _AMBIGUOUS_NAMES:
            mapping[i] = "given_name" if has_family and not has_given else "full_name"
    # Outlook's "Title" is Mr./Dr. when a "Job Title" column holds the job.
    titles = [i for i, target in enumerate(mapping) if target == "title"]
    if len(titles) > 1:
        for i in titles:
            if normals[i] == "title":
                mapping[i] = IGNORE
    return mapping


def detect_shape(columns: Sequence[str]) -> str:
    """Which program wrote a file with this header (a SHAPES key)."""
    if tuple(columns) == exports.CSV_COLUMNS:
        return "passaparola"
    normals = {_normal(c) for c in columns}
    numbered = any(_NUMBERED_RE.match(c) for c in columns)
    if numbered and normals & {"given name", "first name", "name"}:
        return "google"
    if "connected on" in normals and normals & {"first name", "last name"}:
        return "linkedin"
    if len(normals & _OUTLOOK_MARKS) >= 2:
        return "outlook"
    return "generic"


# -- reading the rows -----------------------------------------------------------


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(line where the row starts, cells)`` for every row, blank ones included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ValidationError(f"line {start}: the row cannot be read as CSV: {exc}") from None


def _blank(cells: list[str]) -> bool:
    return not any(map(str.strip, cells))


def _is_sep_line(cells: list[str]) -> bool:
    return len(cells) <= 2 and cells[0].strip().lower().startswith("sep=")


def inspect(data: bytes, encoding: str | None = None) -> CsvLayout:
    """The layout of a CSV file: encoding, delimiter, header, mapping, shape, date order.

    The header is the first row (of the first :data:`HEADER_SEARCH`) naming at
    least two contact fields, else the first row.
    """
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ValidationError(
            "This is an Excel workbook (or another archive), not a CSV file: "
            "save it from Excel as 'CSV UTF-8' and import that"
        )
    text, used = sniff.decode(data, encoding)
    if not text.strip():
        raise ValidationError("The file is empty")
    delimiter = sniff.sniff_delimiter(text[:65536])
    records = _records(text, delimiter)
    first: tuple[int, list[str]] | None = None
    header: tuple[int, list[str]] | None = None
    early: list[tuple[int, list[str]]] = []  # rows after the first, while looking
    for n, (line, cells) in enumerate(records):
        if _blank(cells) or (n == 0 and _is_sep_line(cells)):
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
        raise ValidationError("The file has no rows")
    if header is None:
        header = first
    header_line, columns = header[0], [cell.strip() for cell in header[1]]
    mapping = auto_mapping(columns)
    votes = _DateVotes([i for i, key in enumerate(mapping) if key in _DATES])
    count, sample = 0, list[list[str]]()
    for _line, cells in itertools.chain(early, records):
        if _blank(cells):
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
    records = _records(text, layout.delimiter)
    for line, cells in records:
        if line == layout.header_line:
            if [cell.strip() for cell in cells] != layout.columns:
                raise ValidationError(
                    f"line {line}: the header is not the one the column mapping was made for"
                )
            break
        if line > layout.header_line:
            raise ValidationError(f"line {layout.header_line}: no row starts on this line")
    else:
        raise ValidationError(f"The file has no line {layout.header_line} to read the header on")
    incoming = _Plan(layout).incoming
    out: list[Incoming] = []
    last: list[str] = []
    # 100,000 records are half a million small lists and objects, none in a
    # reference cycle: the collector's full passes over them tripled the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for line, cells in records:
            if any(cells) and not _blank(cells):
                out.append(incoming(line, cells))
                last = cells
    finally:
        if collecting:
            gc.enable()
    if out and _unterminated(text, out[-1].line, last, layout.delimiter):
        out[-1].problems.append(
            f"line {out[-1].line}: a quoted cell opened on this row is never closed, so the "
            "rest of the file was read into it"
        )
    return iter(out)


def _unterminated(text: str, line: int, cells: list[str], delimiter: str) -> bool:
    """True when the last row, starting at ``line``, ends the file inside quotes."""
    if not any("\n" in cell or "\r" in cell for cell in cells):
        return False
    lines = io.StringIO(text, newline="").readlines()
    tail = "".join(lines[line - 1 :])
    try:
        for _cells in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _check_layout(layout: CsvLayout) -> None:
    if len(layout.mapping) != len(layout.columns):
        raise ValidationError(
            f"The mapping has {len(layout.mapping)} targets for {len(layout.columns)} columns"
        )
    for column, key in zip(layout.columns, layout.mapping, strict=True):
        if not valid_target(key):
            raise ValidationError(f"Column '{column}' cannot be read as '{key}'", "mapping")
    if layout.date_order not in DATE_ORDERS:
        raise ValidationError(
            f"The date order must be DMY or MDY, not '{layout.date_order}'", "date_order"
        )
    if not any(key and not key.endswith("_label") for key in layout.mapping):
        named = ", ".join(f"'{c}'" for c in layout.columns[:8])
        raise ValidationError(
            f"None of the columns ({named}{', …' if len(layout.columns) > 8 else ''}) is "
            "read as a contact field: choose what each column holds",
            "mapping",
        )


_DATES = ("birthday", "connected_on", "consent_date")
_CODES = ("language", "channel", "stage")
# How a yes/no cell may say it, folded.
_YES = frozenset({"yes", "y", "true", "1", "x", "ναι", "да", "si", "نعم"})
_NO = frozenset({"no", "n", "false", "0", "οχι", "не", "لا"})
# Outlook writes an Exchange user's internal X.500 name where the address would be.
_EXCHANGE = ("/o=", "/O=")


class _Plan:
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
        for i, key in enumerate(layout.mapping):
            base, _mark, fixed = key.partition(":")
            if key in _TEXT_FIELDS:
                text.setdefault(key, []).append(i)
            elif base in _LISTS:
                lists.append((i, base, fixed.strip(), -1))
            elif key.endswith("_label"):
                labels[i] = key.removesuffix("_label")
            elif key == "tags":
                self.tags.append(i)
            elif key in _DATES:
                self.dates.append((i, key))
            elif key in _CODES:
                self.codes.append((i, key))
            elif key == "marketing_consent":
                self.consent.append(i)
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
            extra = not _blank(cells[width:])
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
        if self.second and not any(values.get(part) for part in self.first):
            for part, indexes in self.second:
                parts = [cells[i].strip() for i in indexes if cells[i] and cells[i].strip()]
                if parts:
                    values[part] = _newlines(", ".join(parts))
        if "full_name" in values and ("given_name" in values or "family_name" in values):
            del values["full_name"]
        item = Incoming(line, **values)
        if extra:
            item.problems.append(
                f"line {line}: the row has {count} cells but the header has "
                f"{width} columns (a missing quote or an extra delimiter?)"
            )
        plain = self.plain_lists
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
        for i in self.tags:
            cell = cells[i]
            if cell and not cell.isspace():
                tags = item.tags
                for tag in self._split(cell):
                    name = tag if ours else _tag(tag)
                    if name and name not in tags:
                        tags.append(name)
        for i, key in self.dates:
            cell = cells[i]
            if cell and (cell := cell.strip()):
                try:
                    if key == "birthday":
                        item.birthday = _cached_birthday(cell, self.order)
                    else:
                        setattr(item, key, _cached_date(cell, self.order))
                except ValueError:
                    item.problems.append(f"line {line}: {self.columns[i]} '{cell}' is not a date")
        for i, key in self.codes:
            if cell := cells[i].strip():
                setattr(item, key, cell)
        for i in self.consent:
            if cell := cells[i].strip():
                answer = fold(cell)
                if answer in _YES or answer in _NO:
                    item.marketing_consent = answer in _YES
                else:
                    item.problems.append(
                        f"line {line}: {self.columns[i]} '{cell}' is not yes or no"
                    )
        return item

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


# -- dates --------------------------------------------------------------------------

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NO_YEAR_RE = re.compile(r"--(\d{2})-?(\d{2})")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DAY_MONTH_RE = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})\.?,?[ \-](\d{4})")
_MONTH_DAY_RE = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
# What Excel adds after a date: a midnight time, Bulgarian "г." (year).
_TRAILER_RE = re.compile(r"\s*(г\.?)?(\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?)?\s*$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # A two-digit year is the most recent one that is not in the future.
        now = dt.date.today().year
        year += 2000 if 2000 + year <= now else 1900
    return year


def _numeric(first: int, second: int, year: int, order: str) -> dt.date:
    """``first/second/year`` read in ``order``, or the only order that makes a date."""
    day, month = (first, second) if order == "DMY" else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, day, month)  # the other order; ValueError if neither


def _parse(text: str, order: str) -> dt.date | None:
    """A date in one of the forms files hold; None for an empty one (0/0/00)."""
    text = _TRAILER_RE.sub("", text.strip())
    if text.strip("0/.- ") == "":
        return None
    if m := _ISO_RE.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _COMPACT_RE.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_RE.fullmatch(text):
        return _numeric(int(m[1]), int(m[2]), _year(m[3]), order)
    if m := _DAY_MONTH_RE.fullmatch(text):
        return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    if m := _MONTH_DAY_RE.fullmatch(text):
        return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    raise ValueError(text)


def parse_date(text: str, order: str = "DMY") -> dt.date | None:
    """A date as CSV files write it (``2024-03-12``, ``12/03/2024``, ``12 Mar 2024``).

    ``order`` (``DMY`` or ``MDY``) reads numeric dates whose day and month could
    be swapped; a ``ValueError`` says the text is not a date; ``None``: no date.
    """
    try:
        return _parse(text, order)
    except (KeyError, ValueError):
        raise ValueError(f"'{text}' is not a date") from None


def parse_birthday(text: str, order: str = "DMY") -> str:
    """A birthday cell as ``YYYY-MM-DD``, ``--MM-DD`` (no year) or "" (none)."""
    if m := _NO_YEAR_RE.fullmatch(text.strip()):
        dt.date(2000, int(m[1]), int(m[2]))  # 2000 is a leap year: 29 February is a day
        return f"--{m[1]}-{m[2]}"
    day = parse_date(text, order)
    return day.isoformat() if day else ""


@lru_cache(maxsize=65536)
def _cached_birthday(text: str, order: str) -> str:
    return parse_birthday(text, order)


@lru_cache(maxsize=65536)
def _cached_date(text: str, order: str) -> dt.date | None:
    return parse_date(text, order)


class _DateVotes:
    """DMY or MDY: what a file's numeric dates say (a part above 12 is the day).

    Without a telling date, the file's origin decides: the Windows code pages of
    DMY countries (Greek, Cyrillic, Arabic) and ``;`` (Excel in a decimal-comma
    locale) mean DMY; a cp1252 file with commas most likely comes from Outlook in
    the US (MDY); anything else reads DMY, the order of our users' countries.
    """

    def __init__(self, columns: list[int]) -> None:
        self.columns = columns
        self.dmy = self.mdy = 0

    def add(self, cells: list[str]) -> None:
        for i in self.columns:
            cell = cells[i].strip() if i < len(cells) else ""
            if cell and (m := _NUMERIC_RE.fullmatch(_TRAILER_RE.sub("", cell))):
                first, second = int(m[1]), int(m[2])
                self.dmy += first > 12 >= second
                self.mdy += second > 12 >= first

    def order(self, encoding: str, delimiter: str) -> str:
        if self.dmy != self.mdy:
            return "DMY" if self.dmy > self.mdy else "MDY"
        if encoding in ("cp1252", "mac-roman") and delimiter == ",":
            return "MDY"
        return "DMY"


# -- presets ----------------------------------------------------------------------


def _preset_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("A preset needs a name", "name")
    if len(clean) > PRESET_NAME_MAX:
        raise ValidationError(f"A preset name is limited to {PRESET_NAME_MAX} characters", "name")
    return clean


def save_preset(name: str, layout: CsvLayout) -> None:
    """Store the layout's mapping as ``{header text: target key}`` under ``name``."""
    clean = _preset_name(name)
    _check_layout(layout)
    value = json.dumps(layout.mapped(), ensure_ascii=False)
    with models.database_proxy.atomic():
        models.Setting.replace(key=PRESET_PREFIX + clean, value=value).execute()  # type: ignore[no-untyped-call]


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
        raise ValidationError(f"There is no import preset '{clean}'", "name")


def apply_preset(layout: CsvLayout, name: str) -> CsvLayout:
    """``layout`` with the columns the preset names mapped as it says (others as they were)."""
    clean = _preset_name(name)
    preset = presets().get(clean)
    if preset is None:
        raise ValidationError(f"There is no import preset '{clean}'", "name")
    if not set(preset) & set(layout.columns):
        raise ValidationError(f"The preset '{clean}' names none of this file's columns", "name")
    mapping = [
        preset[column] if column in preset and valid_target(preset[column]) else current
        for column, current in zip(layout.columns, layout.mapping, strict=True)
    ]
    return dataclasses.replace(layout, mapping=mapping)
