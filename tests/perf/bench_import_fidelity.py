"""Import fidelity: what an import keeps of real address books, card by card, value by value.

Run as ``python tests/perf/bench_import_fidelity.py [--corpus DIR] [--region XX]``
(not collected by pytest). ``DIR`` defaults to ``shared/corpus`` beside the
repository (``../shared/corpus``, else ``/work/shared/corpus``). Each ``.vcf``
and ``.csv`` file under it is imported into a fresh temp database with the real
engine (``importer.load`` then ``importer.run``, as ``crm import`` does).

The source is read **without our reader** (crm.interchange is not used for it):
a small independent vCard parser (folding, quoted-printable with its CHARSET,
quoted parameters, escapes) and the csv module with header words. Each card is
then found again by its line in the import's report, and its values are looked
for in **the contact that card became** (not anywhere in the database):

- cards with a name, an email or an organization: imported (new, updated or a
  duplicate of a contact) or rejected (with the reason), and cards with nothing
  to identify anyone;
- per kind (emails, phones, birthdays, addresses, notes, organizations): how
  many the source holds and how many the contact stores, verified or as typed
  in its notes ("Unverified phone: …", "Birthday: …");
- every value lost, with its card's line; merges of records whose names
  differ; warnings by kind.

Target (issue 12): ≥ 99 % of the cards with a name, an email or an
organization become contacts, every email and phone of those cards is kept,
and no merge joins records whose names differ.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import quopri
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("emails", "phones", "birthdays", "addresses", "notes", "organizations")
ONE = {kind: kind.removesuffix("es" if kind == "addresses" else "s") for kind in KINDS}


def default_corpus() -> Path:
    for candidate in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "corpus"


@dataclass
class Card:
    """One card or row as read without our reader: its values by kind."""

    line: int
    name: str = ""
    has_identity: bool = False  # a name, an email or an organization
    values: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def emails(self) -> list[str]:
        return self.values["emails"]

    @property
    def phones(self) -> list[str]:
        return self.values["phones"]


@dataclass
class FileResult:
    """What importing one file kept."""

    path: Path
    source: str
    cards: list[Card] = field(default_factory=list)
    read: int = 0  # records our reader found
    imported: int = 0  # new contacts
    matched: int = 0  # updated or skipped: joined a contact
    identity_imported: int = 0  # cards with a name/email/org that became or joined a contact
    warnings: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)  # values of those cards, by kind
    stored: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)  # "line N (name): reason"
    missing: list[str] = field(default_factory=list)  # "line N: phone '…'" not stored
    bad_merges: list[str] = field(default_factory=list)

    @property
    def with_identity(self) -> int:
        return sum(1 for c in self.cards if c.has_identity)

    @property
    def lost_identity(self) -> int:
        return self.with_identity - self.identity_imported

    # The figures the smoke test and the table read.
    @property
    def emails(self) -> int:
        return self.present["emails"]

    @property
    def emails_kept(self) -> int:
        return self.stored["emails"]

    @property
    def phones(self) -> int:
        return self.present["phones"]

    @property
    def phones_kept(self) -> int:
        return self.stored["phones"]


# -- reading the source without our reader -------------------------------------------


def decode_vcard(data: bytes) -> str:
    """Like :func:`decode`, but UTF-8 with the bytes of a broken character kept for later."""
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\0") >= 20
    declared = re.search(rb"CHARSET=(?!utf-?8)", data, re.IGNORECASE)
    if wide or declared or _is_utf8(data):
        return decode(data)
    return data.decode("utf-8", "surrogateescape")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mended(line: str) -> str:
    """A logical line whose UTF-8 characters were split by a fold, read whole again."""
    if not any("\udc80" <= ch <= "\udcff" for ch in line):
        return line
    raw = line.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def decode(data: bytes) -> str:
    """The file's text: a BOM, UTF-16 by its NULs, UTF-8, a declared CHARSET, else cp1252."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace")
    if data[:200].count(b"\0") > 20:
        return data.decode("utf-16-le" if data[1:2] == b"\0" else "utf-16-be", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in re.findall(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", data, re.IGNORECASE):
        try:
            return data.decode(declared.decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _is_qp(head: str) -> bool:
    return "QUOTED-PRINTABLE" in head.upper()


def _unfolded(lines: list[str]) -> list[tuple[int, str]]:
    """``(line number, property line)``: folded lines and quoted-printable soft breaks joined."""
    out: list[tuple[int, str]] = []
    soft = False
    for number, line in enumerate(lines, 1):
        if out and soft:
            out[-1] = (out[-1][0], out[-1][1][:-1] + line)
        elif out and line[:1] in (" ", "\t") and not line.strip().upper().startswith("END:"):
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        else:
            out.append((number, line))
        last = out[-1][1]
        soft = last.endswith("=") and _is_qp(_head_and_value(last)[0])
    return out


def _head_and_value(line: str) -> tuple[str, str]:
    """A content line cut at its first colon outside a quoted parameter."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i], line[i + 1 :]
    return line, ""


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _components(value: str) -> list[str]:
    """A structured value cut at its unescaped semicolons, each part unescaped."""
    parts = re.split(r"(?<!\\);", value)
    return [_unescape(p).strip() for p in parts]


def _value(head: str, value: str) -> str:
    """The value with its quoted-printable encoding undone (in its CHARSET, else UTF-8)."""
    if not _is_qp(head):
        return value
    charset = re.search(r"CHARSET=\"?([A-Za-z0-9_.:-]+)", head, re.IGNORECASE)
    raw = quopri.decodestring(value.encode("latin-1", "replace"))
    for name in ([charset[1]] if charset else []) + ["utf-8", "cp1252"]:
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return value


def vcard_cards(text: str) -> list[Card]:
    cards: list[Card] = []
    card: Card | None = None
    for number, line in _unfolded(text.splitlines()):
        head, value = _head_and_value(_mended(line).strip("\ufeff"))
        prop = head.split(";")[0].split(".")[-1].strip().upper()
        if prop in ("BEGIN", "END"):
            begins = prop == "BEGIN" and value.strip().upper() == "VCARD"
            card = Card(number) if begins else None
            cards.extend([card] if card else [])
            continue
        if card is None:
            if cards or not re.fullmatch(r"[A-Z][A-Z0-9-]*", prop) or not value:
                continue
            card = Card(number)  # a card without BEGIN:VCARD still holds a contact
            cards.append(card)
        if "BASE64" in head.upper() or "ENCODING=B" in head.upper():
            continue
        _vcard_value(card, prop, head, _value(head, value))
    return cards


def _vcard_value(card: Card, prop: str, head: str, value: str) -> None:
    parts = _components(value)
    text = " ".join(_unescape(value).split())
    if prop in ("FN", "N") and any(re.search(r"\w", p) for p in parts):
        card.has_identity = True
        if not card.name:
            card.name = " ".join(p for p in parts if p)
    elif prop == "ORG" and parts and re.search(r"\w", parts[0]):
        card.has_identity = True
        card.values["organizations"].append(parts[0])
    elif prop == "EMAIL" and "@" in value:
        card.has_identity = True
        card.emails.append(text)
    elif prop == "TEL" and any(c.isdigit() for c in value):
        card.phones.append(text)
    elif prop == "BDAY" and text:
        card.values["birthdays"].append(text)
    elif prop == "ADR" and any(parts):
        card.values["addresses"].append("; ".join(p for p in parts if p))
    elif prop == "NOTE" and text:
        card.values["notes"].append(_unescape(value).strip())


_CSV_KIND = (  # header words → kind, first match wins
    (r"mail", "emails"),
    (r"phone|mobile|fax|\btel|pager|cell|telefon|téléphone|телефон|τηλέφωνο|κινητό", "phones"),
    (r"birth|geburt|nascita|naissance|рожден|γενέθλια", "birthdays"),
    (r"street|city|zip|postal|postcode|country|state|address|strasse|straße|ort\b", "addresses"),
    (r"^notes?$|^notizen$|^note$|^σημειώσεις$|^бележки$", "notes"),
    (r"^(company|organi[sz]ation( \d+ - name)?|firma|società|société|фирма|εταιρεία)$", "org"),
    (r"name|vorname|nachname|nome|cognome|prénom|^nom$|име|фамилия|όνομα|επώνυμο", "name"),
)


_NOT_VALUES = r"- (type|label)$|formatted|display|yomi|phonetic|nick|organi[sz]ation \d+ - (?!name)"


def _csv_group(head: str) -> str:
    """Which address or birthday a column belongs to: "home", "work", "" …"""
    word = re.match(r"(home|work|business|other|private|geschäft|privat|address \d+)", head)
    return word[1] if word else ""


def csv_cards(text: str) -> list[Card]:
    # The delimiter the header line uses most (LinkedIn's preamble has none).
    heads = [line for line in text.splitlines()[:10] if sum(line.count(d) for d in ",;\t")]
    head = heads[0] if heads else ""
    delimiter = max(",;\t", key=lambda d: (head.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # The header is the first row of two cells or more (LinkedIn puts notes above it),
    # else the first row (a file of one column).
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    wide = [i for i, (_n, row) in enumerate(rows) if sum(1 for c in row if c.strip()) >= 2]
    first = wide[0] if wide else 0
    header = [h.strip().strip("\ufeff").lower() for h in rows[first][1]] if rows else []
    cards: list[Card] = []
    for start, row in rows[first + 1 :]:
        card = Card(start)
        if any(cell.strip() for cell in row):
            _csv_row(card, header, row)
            cards.append(card)
    return cards


def _csv_row(card: Card, header: list[str], row: list[str]) -> None:
    groups: dict[tuple[str, str], list[str]] = {}
    for head, cell in zip(header, row, strict=False):
        # A spreadsheet's formula guard ('=…) is not part of the value.
        value = re.sub(r"^'(?=[=+\-@])", "", cell.strip())
        if not value or not re.search(r"[^\W0_]", value):
            continue  # nothing, or Outlook's "0/0/00" for no birthday
        if re.search(_NOT_VALUES, head):
            continue  # what a value is, or another spelling of one
        kind = next((k for pattern, k in _CSV_KIND if re.search(pattern, head)), "")
        if kind in ("emails", "phones"):
            # Google and we join several values with " ::: ", each maybe "label: value".
            items = [re.sub(r"^[^:@]*: ", "", v.strip()) for v in value.split(" ::: ")]
            for item in items:
                if kind == "emails" and "@" in item:
                    card.emails.append(item)
                    card.has_identity = True
                elif kind == "phones" and re.search(r"\d", item):
                    card.phones.append(item)
        elif kind in ("birthdays", "addresses"):
            groups.setdefault((kind, _csv_group(head)), []).append(value)
        elif kind == "notes":
            card.values["notes"].append(value)
        elif kind == "org":
            card.has_identity = True
            card.values["organizations"].append(value)
        elif kind == "name":
            card.has_identity = True
            card.name = card.name or value
    for (kind, _group), parts in groups.items():
        card.values[kind].append("; ".join(parts))


def _csv_text(path: Path, data: bytes, text: str) -> str:
    """A CSV file's text: a code page (not UTF-8 nor UTF-16) is read as the import read it.

    Which code page a short file is in is a guess no reader can be sure of (the
    wizard shows a close call); the values of a wrong guess would count as lost
    here for the guess, not for what the import keeps of them.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16)) or _is_utf8(data):
        return text
    from crm.core.errors import ValidationError
    from crm.interchange import importer

    try:
        layout = importer.load(path).layout
    except ValidationError:
        return text
    encoding = str(getattr(layout, "encoding", "") or "")
    try:
        return data.decode(encoding) if encoding else text
    except (LookupError, UnicodeDecodeError):
        return text


# -- importing with the real engine --------------------------------------------------------


def _kind(reason: str) -> str:
    """A warning's reason without the value it quotes, so that alike ones count together."""
    return re.sub(r"'[^']*'", "'…'", reason)


def measure_file(path: Path, source: str = "", region: str = "") -> FileResult:
    """Import ``path`` into a fresh temp database and count what it kept."""
    from crm.core import db as dbm
    from crm.core.errors import ValidationError
    from crm.interchange import importer

    data = path.read_bytes()
    text = decode(data)
    result = FileResult(path, source or path.parent.name)
    is_vcard = "BEGIN:VCARD" in text.upper() or path.suffix.lower() == ".vcf"
    if not is_vcard:
        text = _csv_text(path, data, text)
    result.cards = vcard_cards(decode_vcard(data)) if is_vcard else csv_cards(text)
    with tempfile.TemporaryDirectory() as tmp:
        store = dbm.open_database(Path(tmp) / "fidelity.sqlite3")
        try:
            try:
                loaded = importer.load(path)
            except ValidationError as exc:
                _count(result, [], None, f"file not read: {exc.message}")
                return result
            report = importer.run(loaded.records, source=path.name, region=region)
            _count(result, loaded.records, report, "")
        finally:
            store.close()
    return result


def _count(result: FileResult, records: list, report, failure: str) -> None:  # type: ignore[no-untyped-def]
    from crm.core import models

    rows = {row.line: row for row in report.rows} if report is not None else {}
    result.read = len(records)
    if report is not None:
        result.imported, result.matched = report.imported, report.updated + report.skipped
        result.warnings.update(f"{w.field}: {_kind(w.reason)}" for w in report.warnings)
    for card in result.cards:
        row = rows.get(card.line)
        if row is None or row.action == "reject" or row.contact_id is None:
            reason = failure or ("rejected: " + row.reason if row else "not read by the reader")
            empty = "" if card.has_identity else " [nothing to identify anyone]"
            result.lost.append(f"line {card.line} ({card.name or '?'}): {reason}{empty}")
            if card.has_identity:
                _tally(result, card, None)
            continue
        if card.has_identity:
            result.identity_imported += 1
            _tally(result, card, Stored(models.Contact.get_by_id(row.contact_id)))
    _find_bad_merges(result, records, report)


class Stored:
    """What one contact holds, in the shapes the checks compare."""

    def __init__(self, contact) -> None:  # type: ignore[no-untyped-def]
        from crm.core import models
        from crm.core.text import fold

        self.fold = fold
        self.emails = {
            e.address.lower()
            for e in models.ContactEmail.select().where(models.ContactEmail.contact == contact)
        }
        phones = list(models.ContactPhone.select().where(models.ContactPhone.contact == contact))
        self.notes = contact.notes or ""
        self.note_lines = self.notes.splitlines()
        self.phone_digits = [_digits(p.original) for p in phones] + [
            _digits(p.number) for p in phones
        ]
        # "Unverified phone: 200 (home2)": the number, not its label.
        self.phone_digits += [
            _digits(re.sub(r"\s*\([^)]*\)$", "", line.partition(":")[2]))
            for line in self.note_lines
            if "phone" in line.lower()
        ]
        self.birthday = contact.birthday
        org = contact.organization.name if contact.organization_id else ""
        self.org = fold(org)
        place = (contact.street, contact.city, contact.postcode, contact.region, contact.country)
        self.country = contact.country or ""
        self.place = fold(" ".join(p or "" for p in place) + "\n" + self.notes)
        self.folded_notes = " ".join(fold(self.notes).split())
        self.name = fold(f"{contact.given_name} {contact.family_name}")

    def has(self, kind: str, value: str) -> bool:
        return bool(getattr(self, "_" + kind)(value))

    def _emails(self, value: str) -> bool:
        from crm.interchange.values import unwrap_email

        address = unwrap_email(value).strip().strip("<>").removeprefix("mailto:").lower()
        return address in self.emails or value.lower() in self.notes.lower()

    def _phones(self, value: str) -> bool:
        number = re.sub(r"^tel:", "", value.strip(), flags=re.IGNORECASE)
        digits = _digits(number).lstrip("0")
        if not digits:
            return False
        # As stored, or an E.164 that ends with the national number (a short one must be whole).
        return any(
            held.lstrip("0") == digits or (len(digits) >= 5 and held.endswith(digits))
            for held in self.phone_digits
        )

    def _birthdays(self, value: str) -> bool:
        return self.birthday is not None or self._in_notes(value)

    def _addresses(self, value: str) -> bool:
        from crm.interchange.values import Countries

        for part in value.split("; "):
            if self.fold(" ".join(part.split())) in " ".join(self.place.split()):
                continue
            if self.country and Countries().code(part) == self.country:
                continue
            return False
        return True

    def _notes(self, value: str) -> bool:
        return self._in_notes(value)

    def _organizations(self, value: str) -> bool:
        folded = self.fold(" ".join(value.split()))
        return folded == self.org or folded == self.name or self._in_notes(value)

    def _in_notes(self, value: str) -> bool:
        return " ".join(self.fold(value).split()) in self.folded_notes


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _tally(result: FileResult, card: Card, stored: Stored | None) -> None:
    for kind in KINDS:
        for value in card.values[kind]:
            result.present[kind] += 1
            if stored is not None and stored.has(kind, value):
                result.stored[kind] += 1
            else:
                result.missing.append(f"line {card.line}: {ONE[kind]} {value!r}")


def _folded_tokens(text: str) -> list[str]:
    from crm.core.text import fold

    return sorted(re.findall(r"\w+", fold(text)))


def _find_bad_merges(result: FileResult, records: list, report) -> None:  # type: ignore[no-untyped-def]
    from crm.core import models

    if report is None:
        return
    by_line = {r.line: r for r in records}
    for row in report.rows:
        if row.action not in ("update", "skip") or row.contact_id is None:
            continue
        rec = by_line.get(row.line)
        if rec is None:
            continue
        mine = _folded_tokens(f"{rec.given_name} {rec.family_name}") or _folded_tokens(
            rec.full_name
        )
        contact = models.Contact.get_by_id(row.contact_id)
        theirs = _folded_tokens(f"{contact.given_name} {contact.family_name}")
        if mine and theirs and mine != theirs:
            result.bad_merges.append(
                f"line {row.line}: '{' '.join(mine)}' joined '{' '.join(theirs)}' ({row.reason})"
            )


# -- the corpus and the table ----------------------------------------------------------


def sources(corpus: Path) -> dict[str, str]:
    """File (relative to the corpus) → source repository, from SOURCES.md when there is one."""
    listing = corpus / "SOURCES.md"
    found: dict[str, str] = {}
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 2 and "/" in cells[0] and cells[0] != "file":
                found[cells[0]] = cells[1]
    return found


def measure(corpus: Path, region: str = "") -> list[FileResult]:
    named = sources(corpus)
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".vcf", ".csv"))
    results = []
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        results.append(measure_file(path, named.get(rel, path.parent.name), region))
    return results


_COLUMNS = ("cards", "ident", "imported", "rejected", "created", "matched", "warn")


def _row(label: str, rs: list[FileResult]) -> str:
    ident = sum(r.with_identity for r in rs)
    kept = sum(r.identity_imported for r in rs)
    counts = (
        sum(len(r.cards) for r in rs),
        ident,
        kept,
        ident - kept,
        sum(r.imported for r in rs),
        sum(r.matched for r in rs),
        sum(sum(r.warnings.values()) for r in rs),
    )
    kinds = [f"{sum(r.stored[k] for r in rs)}/{sum(r.present[k] for r in rs)}" for k in KINDS]
    return f"{label[:34]:<34}" + "".join(f"{v!s:>9}" for v in (*counts, *kinds))


def print_report(results: list[FileResult], out: io.TextIOBase | None = None) -> bool:
    """The table, the lost cards and values, the warnings and the target; True when it is met."""
    write = (out or sys.stdout).write
    heads = (*_COLUMNS, *(k[:8] for k in KINDS))
    write(f"{'source':<34}" + "".join(f"{c:>9}" for c in heads) + "\n")
    write("(ident: cards with a name, email or organization; values: stored/present)\n")
    groups: dict[str, list[FileResult]] = {}
    for r in results:
        groups.setdefault(r.source, []).append(r)
    for name, rs in sorted(groups.items(), key=lambda g: g[0].lower()):
        write(_row(name, rs) + "\n")
    write(_row("TOTAL", results) + "\n\nper file:\n")
    for r in results:
        write(_row("  " + r.path.name, [r]) + "\n")
    write("\n")
    for r in results:
        for lost in r.lost:
            write(f"lost  {r.path.name}: {lost}\n")
        for value in r.missing:
            write(f"value {r.path.name}: {value} not stored\n")
        for merge in r.bad_merges:
            write(f"merge {r.path.name}: {merge}\n")
    kinds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.warnings)
    write("\nwarnings by kind:\n")
    for kind, n in kinds.most_common():
        write(f"{n:>6}  {kind}\n")
    return _target(results, write)


def _target(results: list[FileResult], write) -> bool:  # type: ignore[no-untyped-def]
    ident = sum(r.with_identity for r in results)
    kept = sum(r.identity_imported for r in results)
    share = kept / ident if ident else 1.0
    lost = {k: sum(r.present[k] - r.stored[k] for r in results) for k in KINDS}
    merges = sum(len(r.bad_merges) for r in results)
    checks = (
        (
            f"cards with a name/email/org imported: {kept}/{ident} = {share:.1%} (≥ 99%)",
            share >= 0.99,
        ),
        (f"emails of those cards lost: {lost['emails']} (0)", lost["emails"] == 0),
        (f"phones of those cards lost: {lost['phones']} (0)", lost["phones"] == 0),
        (f"merges of records whose names differ: {merges} (0)", merges == 0),
    )
    write("\nvalues lost by kind: " + ", ".join(f"{k} {n}" for k, n in lost.items()) + "\n")
    write("\ntarget:\n")
    for text, ok in checks:
        write(f"  {'ok  ' if ok else 'FAIL'} {text}\n")
    return all(ok for _t, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus(), metavar="DIR")
    parser.add_argument("--region", default="", help="read local numbers in this region")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}")
    return 0 if print_report(measure(args.corpus, args.region.upper())) else 1


if __name__ == "__main__":
    sys.exit(main())
