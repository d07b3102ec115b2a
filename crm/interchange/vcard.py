"""vCard in: read 2.1, 3.0 and 4.0 files into Incoming records (writing: vcard_out).

**Reading** is two passes. A small tolerant pass over the raw lines does what
vobject cannot do on its own: it finds each card and the line of its
``BEGIN:VCARD`` (a broken card becomes a record with a problem instead of
stopping the file), unfolds folded lines, joins vCard 2.1 quoted-printable
soft line breaks (``=`` at a line end) and decodes those values with their
``CHARSET``, and drops photos and other binary data (folded base64, also the
unindented 2.1 kind) without ever failing on them. vobject then parses each
card's properties: parameters, groups, escapes, structured values.

What becomes what, from each parsed card, is crm.interchange.vcard_fields.
Before vobject, bare commas are escaped everywhere but in ``N`` and
``CATEGORIES`` (2.1 files never escape them, and vobject alone would cut
``NOTE:Hello, world`` at the comma).

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
import quopri
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from crm.core.errors import ValidationError
from crm.interchange.records import Incoming
from crm.interchange.vcard_fields import fill
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
        "X-ABSHOWAS",
        "KIND",
        "UID",
    }
)
# vCard 2.1 transfer encodings, also written as bare parameters (NOTE;QUOTED-PRINTABLE:).
_TRANSFER = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "7BIT", "8BIT"})
# Properties whose commas separate values; in all others a comma is text.
_LISTS = frozenset({"N", "CATEGORIES"})
# Code pages an undeclared 8-bit file is guessed among.
_GUESSES = ("cp1252", "cp1253", "cp1251", "cp1256", "iso8859_7", "mac_roman")

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_NAME_RE = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/=]+")
_CHARSET_RE = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


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
    fill(record, component)
    return record


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
