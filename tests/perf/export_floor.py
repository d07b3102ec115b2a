"""The floor of bench_export.py: the same export files written on raw sqlite3, by hand.

CSV: ``csv.writer`` over raw rows, the same columns and the same formula escaping.
vCard: the same cards built with plain string formatting from raw rows. Person:
the same queries as crm.core.privacy on raw sqlite3, dumped with ``json``, and
the person's card. Each reads one ordered query per table (contacts by name,
their emails, phones and tags in the same order) and merges them in one pass,
which is the least any exporter that writes in name order with flat memory does.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import uuid
from typing import Any

WHERE = "c.archived = 0 AND c.erased_at IS NULL"
ORDER = "c.family_name, c.given_name, c.id"
CONTACTS = (
    "SELECT c.id, c.given_name, c.family_name, o.name, c.title, c.street, c.city, c.postcode, "
    "c.region, c.country, c.language, c.birthday, c.channel, c.stage, c.marketing_consent, "
    "c.consent_date, c.url, c.notes, c.stay_in_touch_days, c.last_asked_for_referral, "
    "c.created_at FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
    "WHERE {w} ORDER BY {o}"
)
EMAILS = (
    "SELECT c.id, e.address, e.label FROM contact c JOIN email_address e ON e.contact_id = c.id "
    "WHERE {w} ORDER BY {o}, e.position, e.id"
)
PHONES = (
    "SELECT c.id, p.number, p.label FROM contact c JOIN phone_number p ON p.contact_id = c.id "
    "WHERE {w} ORDER BY {o}, p.position, p.id"
)
TAGS = (
    "SELECT c.id, t.name FROM contact c JOIN contact_tag ct ON ct.contact_id = c.id "
    "JOIN tag t ON t.id = ct.tag_id WHERE {w} ORDER BY {o}, {t}"
)
UIDS = (
    "SELECT c.id, u.uid FROM contact c JOIN contact_uid u ON u.contact_id = c.id "
    "WHERE {w} ORDER BY {o}, u.id"
)
HEADER = [
    *("id", "given_name", "family_name", "organization", "title", "emails", "phones"),
    *("street", "city", "postcode", "region", "country", "language", "birthday", "channel"),
    *("stage", "marketing_consent", "consent_date", "tags", "url", "notes"),
    *("stay_in_touch_days", "last_asked_for_referral", "created_at"),
]


def merge(con: sqlite3.Connection, w: str, o: str, tag_order: str) -> Any:
    """(contact row, emails, phones, tags, uids) in one pass over five ordered cursors."""
    streams = [
        con.execute(sql.format(w=w, o=o, t=tag_order)) for sql in (EMAILS, PHONES, TAGS, UIDS)
    ]
    heads = [next(s, None) for s in streams]
    for row in con.execute(CONTACTS.format(w=w, o=o)):
        cid = row[0]
        found: list[list[Any]] = [[], [], [], []]
        for i, stream in enumerate(streams):
            head = heads[i]
            while head is not None and head[0] == cid:
                found[i].append(head)
                head = next(stream, None)
            heads[i] = head
        yield row, found[0], found[1], found[2], found[3]


# -- CSV ------------------------------------------------------------------------------

FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_file(con: sqlite3.Connection, out: str) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, dialect="excel", lineterminator="\r\n")
        writer.writerow(HEADER)
        for row, emails, phones, tags, _uids in merge(con, WHERE, ORDER, "t.folded, t.name"):
            cells = [
                *row[:5],
                " ::: ".join(f"{lab}: {v}" if lab else v for _c, v, lab in emails),
                " ::: ".join(f"{lab}: {v}" if lab else v for _c, v, lab in phones),
                *row[5:14],
                "yes" if row[14] else "no",
                row[15],
                " ::: ".join(name for _c, name in tags),
                *row[16:20],
                row[20][:19].replace("T", " "),
            ]
            texts = ["" if v is None else str(v) for v in cells]
            writer.writerow(["'" + t if t.startswith(FORMULA) else t for t in texts])


# -- vCard ------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
E164 = re.compile(r"\+[0-9]{2,15}")
NAMESPACE = uuid.UUID("6f1c1d0e-5a3b-4c43-9a51-50a55a9a7041")
EMAIL_TYPES = {"work": "work", "home": "home"}
TEL_TYPES = {"work": "work", "home": "home", "mobile": "cell", "fax": "fax", "pager": "pager"}
TEL_TYPES["textphone"] = "textphone"


def esc(value: Any) -> str:
    text = CONTROL.sub("", "" if value is None else str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    return text.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def fold(line: str) -> str:
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += ch
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def types(label: str, vocabulary: dict[str, str]) -> list[str] | None:
    words = label.split(" ") if label else []
    if label != label.lower() or len(set(words)) != len(words):
        return None
    if not all(w in vocabulary for w in words):
        return None
    return [vocabulary[w] for w in words]


def items(emails: list[Any], phones: list[Any]) -> list[str]:
    out, group = [], 0
    lines: list[tuple[str, str]] = []
    for i, (_c, address, label) in enumerate(e for e in emails if e[1].strip()):
        address, label = address.strip(), (label or "").strip()
        t = types(label, EMAIL_TYPES)
        params = (f";TYPE={','.join(t)}" if t else "") + (";PREF=1" if i == 0 else "")
        lines.append((f"EMAIL{params}:{esc(address)}", label if t is None else ""))
    for i, (_c, number, label) in enumerate(p for p in phones if p[1].strip()):
        number, label = number.strip(), (label or "").strip()
        t = types(label, TEL_TYPES)
        uri = bool(E164.fullmatch(number))
        params = ";VALUE=uri" if uri else ";VALUE=text"
        params += (f";TYPE={','.join(t)}" if t else "") + (";PREF=1" if i == 0 else "")
        value = "tel:" + number if uri else esc(number)
        lines.append((f"TEL{params}:{value}", label if t is None else ""))
    for line, custom in lines:
        if custom:
            group += 1
            out += [f"item{group}.{line}", f"item{group}.X-ABLabel:{esc(custom)}"]
        else:
            out.append(line)
    return out


def card(
    row: Any, emails: list[Any], phones: list[Any], tags: list[Any], uids: list[Any],
    countries: dict[str, str],
) -> str:  # fmt: skip
    cid, given, family, org, title, street, city, postcode, region, country = row[:10]
    given, family, org = (given or "").strip(), (family or "").strip(), (org or "").strip()
    name = " ".join(p for p in (given, family) if p) or org or "Unnamed"
    ours = uuid.uuid5(NAMESPACE, f"passaparola-contact-{cid}")
    uid = f"UID:{esc(uids[0][1])}" if uids else f"UID:urn:uuid:{ours}"
    out = ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Passaparola//Passaparola CRM//EN", uid]
    out += [f"FN:{esc(name)}", f"N:{esc(family)};{esc(given)};;;"]
    if org:
        out.append(f"ORG:{esc(org)}")
    if title:
        out.append(f"TITLE:{esc(title)}")
    out += items(emails, phones)
    parts = [(p or "").strip() for p in (street, city, region, postcode, country)]
    if any(parts):
        code = parts[4]
        cc = f";CC={code.upper()}" if len(code) == 2 else ""
        parts[4] = countries.get(code.upper(), code) if len(code) == 2 else code
        out.append(f"ADR{cc}:;;" + ";".join(esc(p) for p in parts))
    birthday = row[11] or ""
    if birthday:
        partial = birthday.startswith("--")
        value = f"--{birthday[2:4]}{birthday[-2:]}" if partial else birthday.replace("-", "")
        out.append("BDAY:" + value)
    if row[10]:
        out.append(f"LANG:{esc(row[10])}")
    if row[16]:
        out.append(f"URL:{CONTROL.sub('', row[16]).strip()}")
    if row[17]:
        out.append(f"NOTE:{esc(row[17])}")
    names = [n for _c, n in tags if n.strip()]
    if names:
        out.append("CATEGORIES:" + ",".join(esc(n) for n in names))
    out.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in out)


def country_names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").territories)


def vcard_file(con: sqlite3.Connection, out: str) -> None:
    countries = country_names()
    with open(out, "w", encoding="utf-8", newline="") as handle:
        for record in merge(con, WHERE, ORDER, "t.name"):
            handle.write(card(*record, countries))


# -- a person's data --------------------------------------------------------------------


def person(con: sqlite3.Connection, contact: int, out: str) -> list[str]:
    from crm.core import clock  # imported before the clock starts: see prepare()
    from crm.core.privacy import _FLAGS, _SECTIONS

    def rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    (contact_row,) = rows(
        "SELECT c.*, o.name AS organization FROM contact c "
        "LEFT JOIN organization o ON o.id = c.organization_id WHERE c.id = ?",
        [contact],
    )
    for flag in ("marketing_consent", "archived"):
        contact_row[flag] = bool(contact_row[flag])
    stamp = clock.now().replace(microsecond=0).isoformat(sep=" ")
    data: dict[str, Any] = {"exported_at": stamp, "contact": contact_row}
    for key, sql in _SECTIONS.items():
        data[key] = rows(sql, [contact] * sql.count("?"))
    data["tags"] = [row["name"] for row in data["tags"]]
    for key, flag in _FLAGS.items():
        for row in data[key]:
            row[flag] = bool(row[flag])
    os.makedirs(out, exist_ok=True)
    paths = [f"{out}/person-{contact}.json", f"{out}/person-{contact}.vcf"]
    with open(paths[0], "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    (record,) = merge(con, f"c.id = {int(contact)}", "c.id", "t.name")
    with open(paths[1], "w", encoding="utf-8", newline="") as handle:
        handle.write(card(*record, country_names()))
    return paths


def prepare(kind: str) -> None:
    """What the timed work imports, loaded before it is timed (as crm's child does)."""
    if kind == "privacy":
        import crm.core.privacy  # noqa: F401  (its SQL is the floor's too)


def run(kind: str, db: str, out: str, contact: int) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("BEGIN")
    if kind == "csv":
        csv_file(con, out)
        return [out]
    if kind == "vcard":
        vcard_file(con, out)
        return [out]
    return person(con, contact, out)
