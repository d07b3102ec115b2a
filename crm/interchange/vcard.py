"""vCard in: read 2.1, 3.0 and 4.0 files into Incoming records (writing: vcard_out).

**Reading** is two passes. A small tolerant pass over the raw lines does what
vobject cannot do on its own: it finds each card and the line of its
``BEGIN:VCARD`` (a broken card becomes a record with a problem instead of
stopping the file), unfolds folded lines, joins vCard 2.1 quoted-printable
soft line breaks (``=`` at a line end) and decodes those values with their
``CHARSET``, and drops photos and other binary data (folded base64, also the
unindented 2.1 kind) without ever failing on them. vobject then parses each
card's properties: parameters, groups, escapes, structured values.

What becomes what (see :class:`crm.interchange.records.Incoming`):

- ``N`` → family and given name (given plus additional names); ``FN`` only
  when ``N`` gives no name (``full_name``, split by the importer), and not for
  an Apple card shown as a company (``X-ABShowAs:COMPANY``).
- ``EMAIL`` / ``TEL``: every one, the preferred (``PREF=1``, ``TYPE=pref``) first.
  The label is the Apple/Google group label (``item1.X-ABLabel``, ``_$!<Other>!$_``
  → ``other``, a custom one as written), Android's custom label (``TEL;X-Office``,
  ``TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,…)``), or else the
  ``TYPE`` words in order, ``cell`` read as ``mobile`` and what a number can do
  rather than which it is left out (``pref``, ``voice``, ``text``, ``video``,
  ``internet``): ``TYPE=work,fax`` → ``work fax``. ``tel:`` URIs lose the
  scheme, an extension reads ``+1-418-656-9254 ext. 102``.
- ``ADR`` (the preferred one, else the first): street (+ extended address, PO
  box), city, region, postcode, country; the country is the ISO code when the
  card gives one (4.0 ``CC`` parameter, Apple ``X-ABADR``), else the name.
- ``BDAY``: ``1980-04-15``, ``19800415``, ``1980-04-15T00:00:00Z``, ``--0415``,
  ``--04-15``, Apple's ``X-APPLE-OMIT-YEAR`` → ``YYYY-MM-DD`` or ``--MM-DD``; a
  value that is not a date is a problem; a ``VALUE=text`` birthday or one with
  only a year or a month is left out.
- ``ORG`` first component, ``TITLE``, ``NOTE`` (several joined by a line
  break), ``URL`` (the preferred one, else the first), ``CATEGORIES`` → tags
  (Google's ``myContacts`` and ``starred`` left out), ``RELATED`` and
  ``X-ABRELATEDNAMES`` → ``related`` as ``Name (type)`` (``urn:uuid:`` references
  to cards we cannot see are left out).

A bare comma is text everywhere but in ``N`` and ``CATEGORIES`` (2.1 files never
escape them, and vobject alone would cut ``NOTE:Hello, world`` at the comma);
``\\:`` (Apple and Google escape the colon of a URL) reads ``:``.

The file's encoding: a BOM (UTF-8, UTF-16), UTF-16 without one, else UTF-8;
a file that is not UTF-8 (an old phone's 2.1 file with raw 8-bit text) is
read in the first non-UTF-8 ``CHARSET`` it declares, else charset-normalizer's
guess among the Windows and ISO code pages our users' files come in.

Writing is crm.interchange.vcard_out (:func:`card`, :func:`export`, re-exported here).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import quopri
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm.core.errors import ValidationError
from crm.interchange.records import Incoming, Labelled
from crm.interchange.vcard_out import VERSIONS, card, card_of, export, uid

# Binary properties: skipped whole (the photo of a 3.6 MB file must not matter).
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# The properties the reader uses; everything else is left out before vobject.
_WANTED = frozenset(
    {
        "VERSION",
        "N",
        "FN",
        "ORG",
        "TITLE",
        "EMAIL",
        "TEL",
        "ADR",
        "BDAY",
        "NOTE",
        "URL",
        "CATEGORIES",
        "RELATED",
        "X-ABRELATEDNAMES",
        "X-ABLABEL",
        "X-ABADR",
        "X-ABSHOWAS",
    }
)
# vCard 2.1 transfer encodings, also written as bare parameters (NOTE;QUOTED-PRINTABLE:).
_TRANSFER = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "7BIT", "8BIT"})
# Properties whose commas separate values; in all others a comma is text.
_LISTS = frozenset({"N", "CATEGORIES"})
# TYPE words that say nothing a person would call a label.
# (``text`` and ``video`` are what a number can do, not which number it is.)
_NOT_LABELS = frozenset({"pref", "internet", "x-internet", "x400", "voice", "msg", "text", "video"})
_TYPE_WORDS = {"cell": "mobile", "iphone": "iPhone"}
# Google's system groups, not tags a user made.
_SYSTEM_CATEGORIES = frozenset({"mycontacts", "starred"})
# Code pages an undeclared 8-bit file is guessed among.
_GUESSES = ("cp1252", "cp1253", "cp1251", "cp1256", "iso8859_7", "mac_roman")

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_NAME_RE = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/=]+")
_CHARSET_RE = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_APPLE_LABEL_RE = re.compile(r"_\$!<(.*)>!\$_")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DATE_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR_RE = re.compile(r"--(\d{2})-?(\d{2})")


# -- reading --------------------------------------------------------------------


def looks_like_vcard(data: bytes) -> bool:
    """Whether the file starts (after a BOM and blank lines) with ``BEGIN:VCARD``."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        text = head.decode(_utf16_codec(head), errors="ignore")
    else:
        text = head.decode("latin-1")
    return text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").upper().startswith(_BEGIN)


def read(data: bytes, encoding: str | None = None) -> Iterator[Incoming]:
    """One Incoming per card, in file order, each with the line of its ``BEGIN:VCARD``.

    Raises ValidationError at once when the file is not a vCard at all or does
    not decode in the ``encoding`` given; a broken card only gives a record
    with a problem.
    """
    text, used = _decode(data, encoding)
    lines = _LINE_BREAK_RE.split(text.rstrip("\x00\x1a"))
    if not any(line.strip().upper() == _BEGIN for line in lines):
        raise ValidationError("This file is not a vCard: it has no BEGIN:VCARD line", "file")
    return _records(lines, used)


def _records(lines: list[str], encoding: str) -> Iterator[Incoming]:
    for raw in _split_cards(lines):
        if raw.garbage is not None:
            yield Incoming(line=raw.line, problems=[f"text outside any card: {raw.garbage!r}"])
        else:
            yield _parse_card(raw, encoding)


@dataclass
class _RawCard:
    line: int  # of BEGIN:VCARD (or of the stray text)
    lines: list[tuple[int, str]] = field(default_factory=list)  # logical lines
    problems: list[str] = field(default_factory=list)
    garbage: str | None = None  # text found outside any card


def _split_cards(lines: list[str]) -> Iterator[_RawCard]:
    """The cards of the file as logical (unfolded) lines, and stray text between them."""
    card: _RawCard | None = None
    stray: _RawCard | None = None
    logical: list[tuple[int, str]] = []
    qp = binary = False
    for index, line in enumerate(lines):
        number = index + 1
        upper = line.strip().upper()
        if card is None:
            if upper == _BEGIN:
                if stray is not None:
                    yield stray
                    stray = None
                card = _RawCard(line=number)
                logical, qp, binary = [], False, False
            elif line.strip() and stray is None:
                stray = _RawCard(line=number, garbage=line.strip()[:60])
            continue
        if qp and upper not in (_BEGIN, _END):
            # A quoted-printable soft line break: the next line is the rest.
            start, previous = logical[-1]
            logical[-1] = (start, previous[:-1] + line)
            qp = line.endswith("=")
            continue
        if line[:1] in (" ", "\t") and (logical or binary):
            if not binary:  # a folded line (photo data is dropped)
                start, previous = logical[-1]
                logical[-1] = (start, previous + line[1:])
                qp = logical[-1][1].endswith("=") and _is_qp(logical[-1][1])
            continue
        if upper in (_BEGIN, _END):
            if upper == _BEGIN:
                card.problems.append(f"the card is not closed: no END:VCARD before line {number}")
            card.lines = logical
            yield card
            card = _RawCard(line=number) if upper == _BEGIN else None
            logical, qp, binary = [], False, False
            continue
        if not upper:
            binary = False  # a blank line ends vCard 2.1 base64 data
            continue
        if binary and _BASE64_RE.fullmatch(line):
            continue  # vCard 2.1 base64 data that is not even indented
        logical.append((number, line.lstrip()))
        head = _split_head(line.lstrip())
        binary = head is not None and head[1] in _BINARY
        qp = line.endswith("=") and _is_qp(line.lstrip())
    if card is not None:
        card.problems.append("the card is not closed: no END:VCARD before the end of the file")
        card.lines = logical
        yield card
    if stray is not None:
        yield stray


def _is_qp(line: str) -> bool:
    head = _split_head(line)
    if head is None:
        return False
    return any(_param_is_qp(piece) for piece in _param_pieces(head[2]))


def _param_is_qp(piece: str) -> bool:
    return piece.upper().replace(" ", "") in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE")


def _split_head(line: str) -> tuple[str, str, str, str] | None:
    """(group, NAME, parameters, value) of a content line, or None for garbage."""
    match = _NAME_RE.match(line)
    if match is None:
        return None
    start = match.end()
    colon = line.find(":", start)
    if colon < 0:
        return None
    quote = line.find('"', start, colon)
    while quote >= 0:  # a quoted parameter value may hold a colon
        closing = line.find('"', quote + 1)
        if closing < 0:
            return None
        colon = line.find(":", closing + 1)
        if colon < 0:
            return None
        quote = line.find('"', closing + 1, colon)
    params = line[start:colon]
    if params and not params.startswith(";"):
        return None
    return match.group(1) or "", match.group(2).upper(), params, line[colon + 1 :]


def _param_pieces(params: str) -> list[str]:
    """``;A=1;B;C="x;y"`` → ``['A=1', 'B', 'C="x;y"']``."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in params[1:] if params.startswith(";") else params:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    if current or pieces:
        pieces.append("".join(current))
    return [p for p in pieces if p.strip()]


def _charset_of(pieces: Sequence[str]) -> str:
    for piece in pieces:
        name, _, value = piece.partition("=")
        if name.strip().upper() == "CHARSET":
            return value.strip().strip('"')
    return ""


def _decode_bytes(raw: bytes, charset: str, fallback: str) -> str | None:
    """``raw`` in the declared charset, else UTF-8, else the file's encoding."""
    for name in (charset, "utf-8", fallback):
        if not name:
            continue
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return None


def _custom_label(piece: str, fallback: str) -> str:
    """Android's ``X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=CE=9B...)`` label."""
    inner = piece[piece.index("(") + 1 :].rstrip(")")
    *options, label = inner.split(",")
    opts = {o.partition("=")[0].upper(): o.partition("=")[2] for o in options}
    if opts.get("ENCODING", "").upper() == "QUOTED-PRINTABLE":
        decoded = _decode_bytes(
            quopri.decodestring(label.encode("ascii", "replace")), opts.get("CHARSET", ""), fallback
        )
        label = decoded if decoded is not None else ""
    return label.replace('"', "").strip()


def _prepared(raw: _RawCard, encoding: str) -> list[str]:
    """The card's wanted lines, transfer encodings undone, ready for vobject."""
    out: list[str] = []
    for number, line in raw.lines:
        head = _split_head(line)
        if head is None:
            raw.problems.append(f"line {number} is not a vCard property: {line.strip()[:60]!r}")
            continue
        group, name, params, value = head
        if name not in _WANTED:
            continue
        pieces = _param_pieces(params)
        kept: list[str] = []
        transfer = ""  # quoted-printable, base64, 7bit, 8bit
        for piece in pieces:
            key, _, given = piece.partition("=")
            key, given = key.strip().upper(), given.strip().strip('"').upper()
            if key.startswith("X-CUSTOM("):
                label = _custom_label(piece, encoding)
                if label:
                    kept.append(f'X-CUSTOM-LABEL="{label}"')
            elif key == "ENCODING" or (not given and key in _TRANSFER):
                transfer = given or key
            elif key != "CHARSET":
                kept.append(piece)
        if transfer in ("QUOTED-PRINTABLE", "B", "BASE64"):
            decoded = _transfer_decoded(value, transfer, _charset_of(pieces), encoding)
            if decoded is None:
                charset = _charset_of(pieces) or "UTF-8"
                raw.problems.append(f"{name} on line {number} is not readable as {charset}")
                continue
            value = _LINE_BREAK_RE.sub(r"\\n", decoded)
        if name not in _LISTS:
            value = _escape_commas(value)
        prefix = f"{group}." if group else ""
        out.append(prefix + name + "".join(";" + p for p in kept) + ":" + value)
    return out


def _transfer_decoded(value: str, transfer: str, charset: str, fallback: str) -> str | None:
    """A quoted-printable or base64 value as text, or None when it is not readable."""
    try:
        raw = value.encode("ascii")
    except UnicodeEncodeError:
        return value  # not really encoded: the text is already decoded
    if transfer == "QUOTED-PRINTABLE":
        return _decode_bytes(quopri.decodestring(raw), charset, fallback)
    try:
        return _decode_bytes(base64.b64decode(raw + b"=" * (-len(raw) % 4)), charset, fallback)
    except binascii.Error:
        return None


def _escape_commas(value: str) -> str:
    """Escape the bare commas vobject would cut a value at (2.1 never escapes them)."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "\\":
            out.append(value[i : i + 2])
            i += 2
            continue
        out.append("\\," if value[i] == "," else value[i])
        i += 1
    return "".join(out)


def _parse_card(raw: _RawCard, encoding: str) -> Incoming:
    import vobject

    lines = _prepared(raw, encoding)
    record = Incoming(line=raw.line, problems=raw.problems)
    text = "\r\n".join([_BEGIN, *lines, _END, ""])
    try:
        component = vobject.readOne(text)
    except Exception as exc:  # any parser failure is this card's problem only
        record.problems.append(f"the card cannot be read: {exc}")
        return record
    _fill(record, component)
    return record


# -- one parsed card → Incoming ----------------------------------------------------


def _text(value: Any, sep: str = ", ") -> str:
    if isinstance(value, list):
        return sep.join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _multiline(value: Any) -> str:
    """Text whose line breaks matter (notes): only the ends are trimmed."""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _params(line: Any, name: str) -> list[str]:
    """A parameter's values, comma lists split (``TYPE="work,voice"``)."""
    values: list[str] = []
    for value in line.params.get(name, []):
        values.extend(v.strip() for v in str(value).split(",") if v.strip())
    return values


def _types(line: Any) -> list[str]:
    """TYPE values and vCard 2.1's bare parameters (``TEL;CELL;PREF``), as written."""
    types = _params(line, "TYPE")
    types.extend(str(s) for s in line.singletonparams if s.upper() not in ("BASE64", "8BIT"))
    return types


def _rank(line: Any) -> int:
    """Preference: 1 is the most preferred (4.0 PREF=1, 3.0 TYPE=pref), 101 none."""
    for value in _params(line, "PREF"):
        if value.isdigit():
            return int(value)
    return 1 if "pref" in (t.lower() for t in _types(line)) else 101


def _apple_label(text: str) -> str:
    match = _APPLE_LABEL_RE.fullmatch(text.strip())
    if match:
        return _CAMEL_RE.sub(" ", match.group(1)).lower()
    return text.strip()


def _label(line: Any, group_labels: Mapping[str, str]) -> str:
    if line.group and group_labels.get(line.group.upper()):
        return group_labels[line.group.upper()]
    custom = line.params.get("X-CUSTOM-LABEL")
    if custom:
        return str(custom[0])
    words: list[str] = []
    for written in _types(line):
        word = written.lower()
        if word in _NOT_LABELS:
            continue
        # Android writes a custom label as a parameter: TEL;X-Work2:...
        word = written[2:] if word.startswith("x-") and len(word) > 2 else word
        word = _TYPE_WORDS.get(word, word)
        if word not in words:
            words.append(word)
    if "iPhone" in words and "mobile" in words:
        words.remove("mobile")  # Apple's TYPE=IPHONE,CELL is its "iPhone" label
    return " ".join(words)


def _labelled(lines: list[Any], group_labels: Mapping[str, str], tel: bool) -> list[Labelled]:
    found: list[tuple[int, int, Labelled]] = []
    for index, line in enumerate(lines):
        value = _text(line.value)
        if tel:
            value = _tel(value)
        elif value.lower().startswith("mailto:"):
            value = value[7:]
        if value:
            found.append((_rank(line), index, Labelled(value, _label(line, group_labels))))
    return [item for _rank_, _index, item in sorted(found, key=lambda f: (f[0], f[1]))]


def _tel(value: str) -> str:
    """A number from a ``tel:`` URI or as written."""
    if value.lower().startswith("tel:"):
        number, *uri_params = value[4:].split(";")
        ext = [p[4:] for p in uri_params if p.lower().startswith("ext=")]
        return number + (f" ext. {ext[0]}" if ext else "")
    return value


def _birthday(line: Any) -> tuple[str, str]:
    """(normalised birthday, problem) of a BDAY line; both empty to leave it out."""
    value = _text(line.value)
    if not value or "text" in [v.lower() for v in _params(line, "VALUE")]:
        return "", ""
    day = value.split("T", 1)[0] if not value.startswith("--") else value
    omit_year = _params(line, "X-APPLE-OMIT-YEAR")
    try:
        match = _DATE_RE.fullmatch(day)
        if match:
            year, month, mday = match.groups()
            if omit_year and omit_year[0] == year:
                dt.date(2000, int(month), int(mday))
                return f"--{month}-{mday}", ""
            return dt.date(int(year), int(month), int(mday)).isoformat(), ""
        match = _NO_YEAR_RE.fullmatch(day)
        if match:
            month, mday = match.groups()
            # 2000 is a leap year: 29 February is a birthday without a year.
            dt.date(2000, int(month), int(mday))
            return f"--{month}-{mday}", ""
    except ValueError:
        pass
    else:
        if re.fullmatch(r"\d{4}|\d{4}-\d{2}|--\d{2}|---\d{2}", day):
            return "", ""  # a year or a month alone: nothing we can store
    return "", f"BDAY {value!r} is not a date"


def _address(lines: list[Any], group_countries: Mapping[str, str]) -> dict[str, str]:
    """The preferred (else the first) ADR as our address fields."""
    if not lines:
        return {}
    line = sorted(lines, key=_rank)[0]
    adr = line.value
    if not hasattr(adr, "street"):
        return {"street": _text(adr)}
    street = ", ".join(t for t in (_text(adr.street), _text(adr.extended), _text(adr.box)) if t)
    country = _text(adr.country)
    codes = [c.upper() for c in _params(line, "CC") if len(c) == 2]
    if codes:
        country = codes[0]
    elif country and line.group and line.group.upper() in group_countries:
        # Apple names the country in the user's language and adds its code.
        country = group_countries[line.group.upper()]
    return {
        "street": street,
        "city": _text(adr.city),
        "region": _text(adr.region),
        "postcode": _text(adr.code),
        "country": country,
    }


def _fill(record: Incoming, component: Any) -> None:
    by_name: dict[str, list[Any]] = {}
    for line in component.getChildren():
        by_name.setdefault(line.name.upper(), []).append(line)
    group_labels = {
        line.group.upper(): _apple_label(_text(line.value))
        for line in by_name.get("X-ABLABEL", [])
        if line.group
    }
    group_countries = {
        line.group.upper(): _text(line.value).upper()
        for line in by_name.get("X-ABADR", [])
        if line.group and len(_text(line.value)) == 2
    }

    def first(name: str) -> Any:
        lines = by_name.get(name)
        return lines[0] if lines else None

    n = first("N")
    if n is not None and hasattr(n.value, "family"):
        parts = (_text(n.value.given, " "), _text(n.value.additional, " "))
        record.given_name = " ".join(t for t in parts if t)
        record.family_name = _text(n.value.family, " ")
    fn = first("FN")
    show_as = first("X-ABSHOWAS")
    is_company = show_as is not None and _text(show_as.value).upper() == "COMPANY"
    if fn is not None and not (record.given_name or record.family_name) and not is_company:
        record.full_name = _text(fn.value)
    org = first("ORG")
    if org is not None:
        value = org.value
        record.organization = _text(value[0] if isinstance(value, list) and value else value)
    title = first("TITLE")
    if title is not None:
        record.title = _text(title.value)
    record.emails = _labelled(by_name.get("EMAIL", []), group_labels, tel=False)
    record.phones = _labelled(by_name.get("TEL", []), group_labels, tel=True)
    address = _address(by_name.get("ADR", []), group_countries)
    record.street = address.get("street", "")
    record.city = address.get("city", "")
    record.region = address.get("region", "")
    record.postcode = address.get("postcode", "")
    record.country = address.get("country", "")
    urls = by_name.get("URL", [])
    if urls:
        record.url = _text(sorted(urls, key=_rank)[0].value).replace("\\:", ":")
    bday = first("BDAY")
    if bday is not None:
        record.birthday, problem = _birthday(bday)
        if problem:
            record.problems.append(problem)
    notes = [_multiline(line.value) for line in by_name.get("NOTE", [])]
    record.notes = "\n".join(n for n in notes if n)
    tags: dict[str, str] = {}
    for line in by_name.get("CATEGORIES", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        for value in values:
            tag = _text(value)
            if tag and tag.casefold() not in _SYSTEM_CATEGORIES:
                tags.setdefault(tag.casefold(), tag)
    record.tags = list(tags.values())
    record.related = _related(by_name, group_labels)


def _related(by_name: Mapping[str, list[Any]], group_labels: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for line in [*by_name.get("RELATED", []), *by_name.get("X-ABRELATEDNAMES", [])]:
        value = _text(line.value)
        if value.lower().startswith("mailto:"):
            value = value[7:]
        if not value or value.lower().startswith("urn:"):
            continue
        if line.group and group_labels.get(line.group.upper()):
            kind = group_labels[line.group.upper()]
        else:
            kind = " ".join(t.lower() for t in _types(line) if t.lower() not in _NOT_LABELS)
        out.append(f"{value} ({kind})" if kind else value)
    return out


# -- the file's encoding ---------------------------------------------------------


def _utf16_without_bom(head: bytes) -> bool:
    return len(head) >= 4 and ((head[1] == head[3] == 0) or (head[0] == head[2] == 0))


def _utf16_codec(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-16-le" if head[1] == 0 else "utf-16-be"


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationError(f"Unknown encoding '{encoding}'", "encoding") from None
        return _strict(data, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        name = _utf16_codec(data)
        return _strict(data, name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for declared in _CHARSET_RE.findall(data):
        name = declared.decode("ascii")
        if name.lower().replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
            continue
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(_GUESSES)).best()
    name = best.encoding if best is not None else "cp1252"
    return _strict(data, name), name


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise ValidationError(
            f"line {line}: byte 0x{data[exc.start]:02X} is not valid {encoding}; "
            "give the file's encoding",
            "encoding",
        ) from None


__all__ = ["VERSIONS", "card", "card_of", "export", "looks_like_vcard", "read", "uid"]
