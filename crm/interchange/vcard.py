"""vCard in: read 2.1, 3.0 and 4.0 files into Incoming records (writing: vcard_out).

**Reading** is two passes. A small tolerant pass over the raw lines does what
vobject cannot do on its own: it finds each card and the line of its
``BEGIN:VCARD`` (a line that is no property, a card not closed, text outside
any card, a line vobject cannot parse: each is a warning on its card, which is
kept), unfolds folded lines, joins vCard 2.1 quoted-printable soft line breaks
(``=`` at a line end) and decodes those values with their ``CHARSET``, and drops
photos and other binary data (folded base64, also the unindented 2.1 kind)
without ever failing on them. vobject then parses each card's properties:
parameters, groups, escapes, structured values.

What becomes what, from each parsed card, is crm.interchange.vcard_fields.
Before vobject, bare commas are escaped everywhere but in ``N`` and
``CATEGORIES`` (2.1 files never escape them, and vobject alone would cut
``NOTE:Hello, world`` at the comma).

The file's encoding: a BOM (UTF-8, UTF-16), UTF-16 without one, else UTF-8;
a file that is not UTF-8 (an old phone's 2.1 file with raw 8-bit text) is
read in the first non-UTF-8 ``CHARSET`` it declares, else crm.interchange.sniff's
guess among the Windows and ISO code pages our users' files come in. A fold inside
a UTF-8 character is mended on the bytes first; quoted-printable bytes that declare
no ``CHARSET`` and are not UTF-8 are read in the encoding sniff finds for all of them.

Writing is crm.interchange.vcard_out (:func:`card`, :func:`export`, re-exported here).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm.core.errors import ValidationError
from crm.interchange import sniff
from crm.interchange.records import FieldWarning, Incoming
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
# A fold (RFC 6350 §3.2 folds at octets) whose next line starts inside a UTF-8
# character: those continuation bytes move before the break, so the line count stays
# and unfolding gives the same bytes. No text line starts with 0x80-0xBF otherwise
# that matters: in a code page the move changes nothing once unfolded either.
_FOLD_IN_CHAR_RE = re.compile(rb"(?<=[\x80-\xff])(\r?\n[ \t])([\x80-\xbf]+)")

# Non-blank lines allowed before the first BEGIN:VCARD of a file still read as vCard.
_STRAY_LINES = 5
_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_NAME_RE = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/=]+")
_VERSION_RE = re.compile(r"VERSION:\s*[234]\.\d")
_CHARSET_RE = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


# -- reading --------------------------------------------------------------------


def looks_like_vcard(data: bytes) -> bool:
    """Whether a ``BEGIN:VCARD`` line opens the file, after a BOM and at most a few stray lines."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        text = head.decode(_utf16_codec(head), errors="ignore")
    else:
        text = head.decode("latin-1")
    lines = [line.strip(" \t\ufeff\xef\xbb\xbf").upper() for line in _LINE_BREAK_RE.split(text)]
    lines = [line for line in lines if line]
    # A program's banner or a mail header before the first card; a CSV file's
    # rows would be more, and none of them is BEGIN:VCARD alone.
    return any(_opens_card(line) for line in lines[: _STRAY_LINES + 1])


def _opens_card(upper: str) -> bool:
    """``BEGIN:VCARD``, or a ``VERSION:`` line where a program left the BEGIN out."""
    return upper == _BEGIN or _VERSION_RE.fullmatch(upper) is not None


def read(data: bytes, encoding: str | None = None) -> Iterator[Incoming]:
    """One Incoming per card, in file order, each with the line of its ``BEGIN:VCARD``.

    Raises ValidationError at once when the file is not a vCard at all or does
    not decode in the ``encoding`` given; a broken card only gives a record
    with a problem.
    """
    text, used = _decode(data, encoding)
    lines = _LINE_BREAK_RE.split(text.rstrip("\x00\x1a"))
    if not any(_opens_card(line.strip().upper()) for line in lines):
        raise ValidationError(code="vcard.file_vcard_begin_vcard", field="file")
    return _records(lines, used, _Fallback(text, used))


class _Fallback:
    """The encoding of 8-bit values that declare no ``CHARSET``: the file's, once looked at.

    A 2.1 file in plain ASCII may still hold quoted-printable Greek in cp1253: then
    what all its quoted-printable bytes decode to together decides, as for a file.
    """

    def __init__(self, text: str, used: str) -> None:
        self._text = text
        self.used = used
        self._name: str | None = None

    @property
    def name(self) -> str:
        if self._name is None:
            self._name = self.used
            if codecs.lookup(self.used).name in ("utf-8", "ascii"):
                raw = quopri.decodestring(self._text.encode("ascii", "ignore"))
                if not raw.isascii():
                    self._name = sniff.guess_code_page(raw)[1]
        return self._name


def _records(lines: list[str], encoding: str, fallback: _Fallback) -> Iterator[Incoming]:
    """The cards as records; text outside any card is a warning on the next (or last) card."""
    stray: list[FieldWarning] = []
    last: Incoming | None = None
    for raw in _split_cards(lines):
        if raw.garbage is not None:
            warning = FieldWarning(raw.line, "line", raw.garbage, "text outside any card: left out")
            stray.append(warning)
            continue
        if last is not None:
            yield last
        last = _parse_card(raw, encoding, fallback)
        last.warnings[:0] = stray
        stray = []
    if last is not None:
        last.warnings.extend(stray)
        yield last


@dataclass
class _RawCard:
    line: int  # of BEGIN:VCARD (or of the stray text)
    lines: list[tuple[int, str]] = field(default_factory=list)  # logical lines
    warnings: list[FieldWarning] = field(default_factory=list)
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
            if _opens_card(upper):
                if stray is not None:
                    yield stray
                    stray = None
                card = _RawCard(line=number)
                logical, qp, binary = [], False, False
                if upper != _BEGIN:  # VERSION: without BEGIN:VCARD: the card starts here
                    why = "no BEGIN:VCARD before this VERSION line: read as a card"
                    card.warnings.append(FieldWarning(number, "line", _BEGIN, why))
                    logical.append((number, line.strip()))
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
                card.warnings.append(_unclosed(number, f"no END:VCARD before line {number}"))
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
        card.warnings.append(_unclosed(len(lines), "no END:VCARD before the end of the file"))
        card.lines = logical
        yield card
    if stray is not None:
        yield stray


def _unclosed(line: int, why: str) -> FieldWarning:
    return FieldWarning(line, "line", "END:VCARD", f"the card is not closed: {why}; read as is")


def _skipped(line: int, text: str, why: str) -> FieldWarning:
    return FieldWarning(line, "line", text.strip()[:60], f"{why}: left out")


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


def _decode_bytes(raw: bytes, charset: str, fallback: _Fallback) -> str | None:
    """``raw`` in the declared charset, else UTF-8, else the file's (or, undeclared, the guess)."""
    names = (charset, "utf-8", fallback.used) if charset else ("utf-8", fallback.name)
    for name in names:
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return None


def _custom_label(piece: str, fallback: _Fallback) -> str:
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


def _prepared(raw: _RawCard, fallback: _Fallback) -> list[tuple[int, str]]:
    """The card's wanted lines and their numbers, transfer encodings undone, ready for vobject."""
    out: list[tuple[int, str]] = []
    for number, line in raw.lines:
        head = _split_head(line)
        if head is None:
            raw.warnings.append(_skipped(number, line, "not a vCard property"))
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
                label = _custom_label(piece, fallback)
                if label:
                    kept.append(f'X-CUSTOM-LABEL="{label}"')
            elif key == "ENCODING" or (not given and key in _TRANSFER):
                transfer = given or key
            elif key != "CHARSET":
                kept.append(piece)
        if transfer in ("QUOTED-PRINTABLE", "B", "BASE64"):
            decoded = _transfer_decoded(value, transfer, _charset_of(pieces), fallback)
            if decoded is None:
                charset = _charset_of(pieces) or "UTF-8"
                raw.warnings.append(_skipped(number, line, f"{name} is not readable as {charset}"))
                continue
            value = _LINE_BREAK_RE.sub(r"\\n", decoded)
        if name not in _LISTS:
            value = _escape_commas(value)
        prefix = f"{group}." if group else ""
        out.append((number, prefix + name + "".join(";" + p for p in kept) + ":" + value))
    return out


def _transfer_decoded(value: str, transfer: str, charset: str, fallback: _Fallback) -> str | None:
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


def _parse_card(raw: _RawCard, encoding: str, fallback: _Fallback) -> Incoming:
    import vobject

    lines = _prepared(raw, fallback)
    record = Incoming(line=raw.line, warnings=raw.warnings)
    try:
        component = vobject.readOne(_card_text(line for _number, line in lines))
    except Exception:  # any parser failure: find the lines vobject cannot read, keep the rest
        component = _without_unreadable(lines, record)
        if component is None:
            record.problems.append("the card cannot be read")
            return record
    fill(record, component)
    return record


def _card_text(lines: Iterable[str]) -> str:
    return "\r\n".join([_BEGIN, *lines, _END, ""])


def _without_unreadable(lines: list[tuple[int, str]], record: Incoming) -> Any:
    """The card parsed without the lines vobject cannot read alone, each one a warning."""
    import vobject

    version = [line for _number, line in lines if line.upper().startswith("VERSION:")]
    kept: list[str] = []
    for number, line in lines:
        try:
            vobject.readOne(_card_text([*version[:1], line]))
        except Exception:  # this line only
            record.warnings.append(_skipped(number, line, "not a readable vCard property"))
            continue
        kept.append(line)
    try:
        return vobject.readOne(_card_text(kept))
    except Exception:  # the lines are readable alone but not together
        return None


# -- the file's encoding ---------------------------------------------------------


def _utf16_without_bom(head: bytes) -> bool:
    return len(head) >= 4 and ((head[1] == head[3] == 0) or (head[0] == head[2] == 0))


def _utf16_codec(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-16-le" if head[1] == 0 else "utf-16-be"


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data)
    if not wide and not (encoding or "").lower().replace("-", "").startswith(("utf16", "utf32")):
        data = _FOLD_IN_CHAR_RE.sub(rb"\2\1", data)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationError(
                code="vcard.unknown_encoding", field="encoding", encoding=encoding
            ) from None
        return _strict(data, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8"
    if wide:
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
    return sniff.guess_code_page(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise ValidationError(
            code="vcard.line_byte_0x_valid",
            field="encoding",
            line=line,
            data=data[exc.start],
            encoding=encoding,
        ) from None


__all__ = ["VERSIONS", "card", "card_of", "export", "looks_like_vcard", "read", "uid"]
