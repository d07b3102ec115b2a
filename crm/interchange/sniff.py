"""What a text file is written in: its encoding, and a CSV file's delimiter.

Files from our users come from phones, Google, Outlook and Excel, in UTF-8 (with or
without a BOM), UTF-16, and the Windows code pages of Greece, Bulgaria, Western
Europe and the Arab world. :func:`decode` tries, in order:

1. a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32): it says what the file is;
2. UTF-16 without a BOM (every other byte NUL), then strict UTF-8 (ASCII is UTF-8);
   any other NUL byte means a binary file, not text;
3. for a short file (up to :data:`SHORT_BYTES`), the candidate whose text is most
   plausible (crm.interchange.plausibility: words in one script, common letter
   pairs); when the runner-up is close, :func:`alternative` names it so the user
   can be told. A longer file: charset-normalizer's best guess among
   :data:`CANDIDATES`, with one correction: cp1253 and ISO-8859-7 differ only in a
   few bytes (``Ά`` is 0xA2 in one and 0xB6 in the other), and the one that reads
   more of them as letters wins.

An encoding the user names (``--encoding``) is used as given, and a byte it cannot
decode is reported with its line. :func:`sniff_delimiter` counts ``,`` ``;`` and tab
outside quotes on the first lines (``csv.Sniffer`` guesses wrong on quoted notes
and on ``;`` files whose addresses hold commas).
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from crm.core.errors import ValidationError

# The code pages tried when a file is not Unicode, most common first.
CANDIDATES: tuple[str, ...] = (
    "cp1252",
    "cp1253",
    "cp1251",
    "cp1256",
    "iso8859-7",
    "cp1254",
    "mac_roman",
)
# Files up to this size are read by plausibility (charset-normalizer needs more text).
SHORT_BYTES = 64 * 1024
# Two readings closer than this (about one word's worth) are a close call.
CLOSE_SCORE = 1.0
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
# Lines looked at to find the delimiter; a header and a few rows are enough.
SNIFF_LINES = 30
# Bytes of a file that charset-normalizer looks at.
SAMPLE_BYTES = 256 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte code pages that charset-normalizer cannot tell apart on Greek text.
_GREEK_TWINS = frozenset({"cp1253", "iso8859-7"})


def encoding_name(encoding: str) -> str:
    """Python's own name for ``encoding`` (``windows-1253`` → ``cp1253``), or a ValidationError."""
    try:
        return codecs.lookup(encoding.strip()).name
    except LookupError:
        raise ValidationError(
            code="sniff.unknown_encoding", field="encoding", encoding=encoding
        ) from None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding)``: the file's text and the name of the encoding it was read in.

    With ``encoding`` the bytes are decoded strictly in it; a byte that does not
    belong raises a ValidationError naming the line and the byte. A leading BOM
    is never part of the text.
    """
    if encoding:
        name = encoding_name(encoding)
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        return _strict(data, name), name
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], name), name
    wide = _utf16_without_bom(data)
    if wide:
        return _strict(data, wide), wide
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ValidationError(code="sniff.text_file_line_holds", field="encoding", line=line)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return guess_code_page(data)


def guess_code_page(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of bytes in one of the :data:`CANDIDATES`: by plausibility if short."""
    if len(data) <= SHORT_BYTES:
        ranked = _plausible(data)
        return ranked[0][2], ranked[0][1]
    return _guess_code_page(data)


def alternative(data: bytes) -> str:
    """The encoding a short 8-bit file could also be in, when the choice was close; else ""."""
    if len(data) > SHORT_BYTES or b"\x00" in data or data.startswith(tuple(b for b, _ in _BOMS)):
        return ""
    try:
        data.decode("utf-8")
        return ""
    except UnicodeDecodeError:
        pass
    ranked = _plausible(data)
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < CLOSE_SCORE:
        return ranked[1][1]
    return ""


def _plausible(data: bytes) -> list[tuple[float, str, str]]:
    """``(score, encoding, text)`` for each candidate that decodes ``data``, best first.

    Candidates that give the same text are one reading (the first named); ties go
    to the earlier candidate.
    """
    from crm.interchange.plausibility import score

    readings: dict[str, tuple[float, int, str]] = {}
    for order, name in enumerate(encoding_name(n) for n in CANDIDATES):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if text not in readings:
            readings[text] = (score(text), -order, name)
    ranked = sorted(readings.items(), key=lambda item: item[1][:2], reverse=True)
    return [(points, name, text) for text, (points, _order, name) in ranked]


def _strict(data: bytes, name: str) -> str:
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(name, errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        bad = data[exc.start : exc.end].hex(" ").upper()
        raise ValidationError(
            code="sniff.line_column_byte_0x",
            field="encoding",
            line=line,
            column=column,
            replace=bad.replace(" ", " 0x"),
            name=name,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most of the first bytes alternate with NULs (ASCII-ish text)."""
    head = data[:4000]
    if len(head) < 4 or len(head) % 2:
        return None
    pairs = len(head) // 2
    if head[1::2].count(0) > 0.6 * pairs and head[0::2].count(0) == 0:
        return "utf-16-le"
    if head[0::2].count(0) > 0.6 * pairs and head[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def _guess_code_page(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` for bytes in one of the :data:`CANDIDATES` code pages.

    charset-normalizer ranks the candidates on the file's first bytes (it decodes
    whatever it is given with every candidate: on a 20 MB file that took seconds);
    the best ranked one that decodes the whole file wins.
    """
    for name in _ranked(data[: SAMPLE_BYTES + 1]):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise AssertionError("mac_roman decodes any bytes")  # pragma: no cover


def _ranked(head: bytes) -> list[str]:
    """Every candidate code page, charset-normalizer's ranking on a sample of ``head`` first.

    The others follow, in case the rest of the file holds a byte the sample did
    not: mac_roman decodes every byte, so one always does.
    """
    from charset_normalizer import from_bytes  # a few hundred ms to import; only when needed

    names = [encoding_name(name) for name in CANDIDATES]
    sample = head
    if len(head) > SAMPLE_BYTES:
        sample = head[:SAMPLE_BYTES].rpartition(b"\n")[0] or head[:SAMPLE_BYTES]
    ranked = [encoding_name(match.encoding) for match in from_bytes(sample, cp_isolation=names)]
    if ranked and ranked[0] in _GREEK_TWINS:
        ranked[0] = max(sorted(_GREEK_TWINS), key=lambda n: (_letters(sample, n), n == "cp1253"))
    return list(dict.fromkeys([*ranked, *names]))


# -- a file too large to hold: read in blocks -------------------------------------------

BLOCK_BYTES = 1 << 20


def detect_file(path: Path, encoding: str | None = None) -> str:
    """The encoding :func:`decode` would find for the file, reading it in blocks.

    The whole file is checked in the encoding found (a byte it cannot decode
    raises :func:`decode`'s ValidationError); only a sample of it is ranked.
    A short file is simply read whole.
    """
    if path.stat().st_size <= SHORT_BYTES:
        return decode(path.read_bytes(), encoding)[1]
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES + 1)
    if encoding:
        name = encoding_name(encoding)
        if name == "utf-8" and head.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        return _checked(path, name)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return _checked(path, name)
    wide = _utf16_without_bom(head)
    if wide:
        return _checked(path, wide)
    lines = 0
    for block in _blocks(path):
        if b"\x00" in block:
            line = lines + block[: block.index(b"\x00")].count(b"\n") + 1
            raise ValidationError(code="sniff.text_file_line_holds", field="encoding", line=line)
        lines += block.count(b"\n")
    for name in ("utf-8", *_ranked(head)):
        if _decodes(path, name):
            return name
    raise AssertionError("mac_roman decodes any bytes")  # pragma: no cover


def open_text(path: Path, encoding: str) -> TextIO:
    """The file as text in ``encoding`` (see :func:`detect_file`), without a leading BOM."""
    stream = path.open(encoding=encoding, newline="")
    if stream.read(1) != "\ufeff":
        stream.seek(0)
    return stream


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while block := f.read(BLOCK_BYTES):
            yield block


def _decodes(path: Path, name: str) -> bool:
    decoder = codecs.getincrementaldecoder(name)()
    try:
        for block in _blocks(path):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _checked(path: Path, name: str) -> str:
    """``name``, once the whole file decodes in it; else :func:`decode`'s error for it."""
    if not _decodes(path, name):
        _strict(path.read_bytes(), name)  # raises, naming the line (a bad file: read whole)
    return name


def _letters(data: bytes, name: str) -> int:
    """How many of the non-ASCII bytes of ``data`` ``name`` reads as letters."""
    counts = Counter(byte for byte in data if byte >= 0x80)
    return sum(
        count
        for byte, count in counts.items()
        if bytes([byte]).decode(name, errors="replace").isalpha()
    )


def sniff_delimiter(sample: str) -> str:
    """The delimiter of the CSV text ``sample`` (its first lines): ``,``, ``;`` or tab.

    Excel's ``sep=;`` first line decides when present. Otherwise each candidate is
    counted outside quotes on each of the first lines; the one that appears the
    same number of times on the most lines wins (ties: more per line, then ``,``).
    """
    first = sample.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r").strip('"')
    if first.lower().startswith("sep=") and len(first) == 5 and first[4] in DELIMITERS:
        return first[4]
    lines = _logical_lines(sample)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [line.get(delimiter, 0) for line in lines]
        nonzero = Counter(c for c in counts if c)
        if not nonzero:
            continue
        per_line, _ = max(nonzero.items(), key=lambda item: (item[1], item[0]))
        score = (nonzero[per_line], per_line)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _logical_lines(sample: str) -> list[Counter[str]]:
    """Per record of ``sample``: how often each delimiter occurs outside quotes.

    Blank lines are left out, and so is a last line cut off by the end of the sample.
    """
    records: list[Counter[str]] = []
    quoted = False
    counts: Counter[str] = Counter()
    blank = True
    for char in sample:
        if char == '"':
            quoted = not quoted
            blank = False
        elif quoted:
            continue
        elif char in "\r\n":
            if not blank:
                records.append(counts)
                if len(records) >= SNIFF_LINES:
                    return records
            counts, blank = Counter(), True
        else:
            if char in DELIMITERS:
                counts[char] += 1
            if not char.isspace() or char == "\t":
                blank = False
    if not blank and not records:
        records.append(counts)
    return records
