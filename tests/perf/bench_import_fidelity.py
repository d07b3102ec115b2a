"""Import fidelity: what an import keeps of real address books, card by card.

Run as ``python tests/perf/bench_import_fidelity.py [--corpus DIR] [--region XX]``
(not collected by pytest). ``DIR`` defaults to ``../shared/corpus`` from the
repository root. Each ``.vcf`` and ``.csv`` file under it is imported into a
fresh temp database with the real engine (``importer.load`` then
``importer.run``, as ``crm import`` does), and the script prints, per source
(the repository SOURCES.md names, else the folder) and in total:

- cards in the files, counted without our reader (``BEGIN:VCARD`` lines; CSV
  data rows through the csv module), so cards the reader loses show;
- cards with something to import (a name, an email or an organization);
- contacts created or matched, and warnings by kind;
- the emails and phones of those cards, and how many are stored (verified, or
  as typed in the notes: "Unverified phone: …");
- merges of records whose names differ (a record matched to a contact whose
  folded name is another);
- every card lost, with its reason.

Target (issue 12): ≥ 99 % of the cards with a name, an email or an
organization become contacts, every email and phone of those cards is kept,
and no merge joins records whose names differ.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass
class Card:
    """One card or row as counted without our reader."""

    line: int
    name: str = ""
    has_identity: bool = False  # a name, an email or an organization
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """What importing one file kept."""

    path: Path
    source: str
    cards: list[Card] = field(default_factory=list)
    read: int = 0  # records our reader found
    imported: int = 0
    matched: int = 0  # updated or skipped: joined a contact
    warnings: Counter[str] = field(default_factory=Counter)
    emails: int = 0
    emails_kept: int = 0
    phones: int = 0
    phones_kept: int = 0
    lost: list[str] = field(default_factory=list)  # "line N (name): reason"
    lost_identity: int = 0  # lost cards that had a name, an email or an organization
    bad_merges: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # emails and phones not stored

    @property
    def with_identity(self) -> int:
        return sum(1 for c in self.cards if c.has_identity)


# -- counting cards without our reader ---------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: a BOM says how, else UTF-16 by its NULs, UTF-8, else Latin-1."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace")
    if data[:200].count(b"\0") > 20:
        return data.decode("utf-16-le" if data[1:2] == b"\0" else "utf-16-be", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _unfolded(lines: list[str]) -> list[tuple[int, str]]:
    """``(line number, property line)``: folded and quoted-printable soft breaks joined."""
    out: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if out and line[:1] in (" ", "\t"):
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif out and out[-1][1].endswith("=") and "QUOTED-PRINTABLE" in out[-1][1].upper():
            out[-1] = (out[-1][0], out[-1][1][:-1] + line)
        else:
            out.append((number, line))
    return out


def vcard_cards(text: str) -> list[Card]:
    cards: list[Card] = []
    card: Card | None = None
    for number, line in _unfolded(text.splitlines()):
        head, _, value = line.partition(":")
        prop = head.split(";")[0].split(".")[-1].strip().upper()
        if prop in ("BEGIN", "END"):
            begins = prop == "BEGIN" and value.strip().upper() == "VCARD"
            card = Card(number) if begins else None
            cards.extend([card] if card else [])
            continue
        if card is None:
            if cards or not re.fullmatch(r"[A-Z][A-Z0-9-]*", prop):
                continue
            card = Card(number)  # a card without BEGIN:VCARD still holds a contact
            cards.append(card)
        if prop in ("FN", "N", "ORG") and re.search(r"\w", value.replace(";", "")):
            card.has_identity = True
            if prop != "ORG" and not card.name:
                card.name = " ".join(p for p in value.split(";") if p.strip())
        elif prop == "EMAIL" and "@" in value:
            card.has_identity = True
            card.emails.append(value.strip())
        elif prop == "TEL" and any(c.isdigit() for c in value):
            card.phones.append(value.strip())
    return cards


def csv_cards(text: str) -> list[Card]:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    # The header is the first row of two cells or more (LinkedIn puts notes above it).
    header: list[str] = []
    for row in reader:
        if sum(1 for cell in row if cell.strip()) >= 2:
            header = [h.strip().lower() for h in row]
            break
    cards: list[Card] = []
    start = reader.line_num + 1
    for row in reader:
        card = Card(start)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        for head, cell in zip(header, row, strict=False):
            value = cell.strip()
            if not value:
                continue
            if "mail" in head and "@" in value:
                card.emails.append(value)
                card.has_identity = True
            elif ("name" in head and "mail" not in head) or head in ("company", "organization"):
                card.has_identity = True
                card.name = card.name or value
            elif re.search(r"phone|mobile|fax|tel|pager", head) and re.search(r"\d", value):
                card.phones.append(value)
        cards.append(card)
    return cards


# -- importing with the real engine ------------------------------------------------------


def _kind(reason: str) -> str:
    """A warning's reason without the value it quotes, so that alike ones count together."""
    return re.sub(r"'[^']*'", "'…'", reason)


def _folded_tokens(text: str) -> list[str]:
    from crm.core.text import fold

    return sorted(re.findall(r"\w+", fold(text)))


def measure_file(path: Path, source: str = "", region: str = "") -> FileResult:
    """Import ``path`` into a fresh temp database and count what it kept."""
    from crm.core import db as dbm
    from crm.core.errors import ValidationError
    from crm.interchange import importer

    data = path.read_bytes()
    text = decode(data)
    is_vcard = "BEGIN:VCARD" in text.upper()
    result = FileResult(path, source or path.parent.name)
    is_vcard = is_vcard or path.suffix.lower() == ".vcf"
    result.cards = vcard_cards(text) if is_vcard else csv_cards(text)
    with tempfile.TemporaryDirectory() as tmp:
        store = dbm.open_database(Path(tmp) / "fidelity.sqlite3")
        try:
            try:
                loaded = importer.load(path)
            except ValidationError as exc:
                _all_lost(result, f"file not read: {exc.message}")
                return result
            report = importer.run(loaded.records, source=path.name, region=region)
            _count(result, loaded.records, report)
        finally:
            store.close()
    return result


def _all_lost(result: FileResult, reason: str) -> None:
    for card in result.cards:
        result.lost.append(f"line {card.line} ({card.name or '?'}): {reason}")
        result.lost_identity += card.has_identity
        if card.has_identity:
            result.emails += len(card.emails)
            result.phones += len(card.phones)


def _count(result: FileResult, records: list, report) -> None:  # type: ignore[no-untyped-def]
    result.read = len(records)
    result.imported = report.imported
    result.matched = report.updated + report.skipped
    result.warnings.update(f"{w.field}: {_kind(w.reason)}" for w in report.warnings)
    read_lines = {r.line for r in records}
    rejected = dict(report.rejected)
    for card in result.cards:
        reason = None
        if card.line in rejected:
            reason = f"rejected: {rejected[card.line]}"
        elif read_lines and card.line not in read_lines:
            reason = "not read by the reader"
        if reason:
            result.lost.append(f"line {card.line} ({card.name or '?'}): {reason}")
            result.lost_identity += card.has_identity
    if len(records) < len(result.cards) and not read_lines & {c.line for c in result.cards}:
        result.lost.append(f"{len(result.cards) - len(records)} cards not read (lines unknown)")
    _count_values(result)
    _find_bad_merges(result, records, report)


def _count_values(result: FileResult) -> None:
    from crm.core import models

    emails = {e.address.lower() for e in models.ContactEmail.select()}
    originals = {" ".join(p.original.split()) for p in models.ContactPhone.select()}
    numbers = {re.sub(r"\D", "", p.number) for p in models.ContactPhone.select()}
    notes = "\n".join(c.notes for c in models.Contact.select())
    for card in result.cards:
        if not card.has_identity:
            continue
        for email in card.emails:
            result.emails += 1
            address = email.strip().strip("<>").removeprefix("mailto:").lower()
            kept = address in emails or email in notes
            result.emails_kept += kept
            if not kept:
                result.missing.append(f"line {card.line}: email {email!r}")
        for phone in card.phones:
            result.phones += 1
            typed = " ".join(phone.split()).removeprefix("'")
            digits = re.sub(r"\D", "", typed).lstrip("0")
            kept = typed in originals or typed in notes
            kept = kept or (bool(digits) and any(n.endswith(digits) for n in numbers))
            result.phones_kept += kept
            if not kept:
                result.missing.append(f"line {card.line}: phone {phone!r}")


def _find_bad_merges(result: FileResult, records: list, report) -> None:  # type: ignore[no-untyped-def]
    from crm.core import models

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


_COLUMNS = ("cards", "to import", "created", "matched", "warnings", "emails", "phones", "lost")


def _row(label: str, rs: list[FileResult]) -> str:
    cards = sum(len(r.cards) for r in rs)
    ident = sum(r.with_identity for r in rs)
    emails = f"{sum(r.emails_kept for r in rs)}/{sum(r.emails for r in rs)}"
    phones = f"{sum(r.phones_kept for r in rs)}/{sum(r.phones for r in rs)}"
    values = (
        cards,
        ident,
        sum(r.imported for r in rs),
        sum(r.matched for r in rs),
        sum(sum(r.warnings.values()) for r in rs),
        emails,
        phones,
        sum(len(r.lost) for r in rs),
    )
    return f"{label[:44]:<44}" + "".join(f"{v!s:>11}" for v in values)


def print_report(results: list[FileResult], out: io.TextIOBase | None = None) -> bool:
    """The table, the lost cards, the warnings and the target check; True when it is met."""
    write = (out or sys.stdout).write
    write(f"{'source':<44}" + "".join(f"{c:>11}" for c in _COLUMNS) + "\n")
    groups: dict[str, list[FileResult]] = {}
    for r in results:
        groups.setdefault(r.source, []).append(r)
    for name, rs in sorted(groups.items()):
        write(_row(name, rs) + "\n")
    write(_row("TOTAL", results) + "\n\n")
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
    kept = ident - sum(r.lost_identity for r in results)
    share = kept / ident if ident else 1.0
    emails = sum(r.emails for r in results) - sum(r.emails_kept for r in results)
    phones = sum(r.phones for r in results) - sum(r.phones_kept for r in results)
    merges = sum(len(r.bad_merges) for r in results)
    checks = (
        (
            f"cards with a name/email/org imported: {kept}/{ident} = {share:.1%} (≥ 99%)",
            share >= 0.99,
        ),
        (f"emails of those cards lost: {emails} (0)", emails == 0),
        (f"phones of those cards lost: {phones} (0)", phones == 0),
        (f"merges of records whose names differ: {merges} (0)", merges == 0),
    )
    write("\ntarget:\n")
    for text, ok in checks:
        write(f"  {'ok  ' if ok else 'FAIL'} {text}\n")
    return all(ok for _t, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, metavar="DIR")
    parser.add_argument("--region", default="", help="read local numbers in this region")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}")
    return 0 if print_report(measure(args.corpus, args.region.upper())) else 1


if __name__ == "__main__":
    sys.exit(main())
