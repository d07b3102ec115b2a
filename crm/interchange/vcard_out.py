"""vCard out: one contact as a vCard 4.0 or 3.0 card, and a file of them.

Cards are vCard 4.0 (RFC 6350) or 3.0 (RFC 2426) with CRLF line ends, text escaped
(``\\\\`` ``\\n`` ``\\,`` ``\\;``) and lines folded at 75 octets without splitting a
UTF-8 sequence. A label that is plain ``TYPE`` words (``work``, ``home``, ``mobile`` →
``cell``, ``fax``…) is written as ``TYPE``, any other label (``other``, ``iPhone``,
``Λοιπά``) as an Apple-style group with ``X-ABLabel``, which Apple, Google and Android
read and which crm.interchange.vcard reads back exactly. ``UID`` is the one another
program gave the contact when an import remembered it (table ``contact_uid``), else
``urn:uuid:`` derived from the contact id (the same contact gets the same UID in every
export). The country goes out as
its English name, with the ISO code in 4.0's ``CC`` parameter (RFC 8605).
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from crm.core.db import read_snapshot
from crm.core.errors import NotFoundError, ValidationError
from crm.core.files import output_file, write_private
from crm.i18n import N_
from crm.interchange.csv_output import Progress, tick
from crm.interchange.records import Labelled

VERSIONS = ("4.0", "3.0")
_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"


# Names the UID of each contact: urn:uuid: stays the same from export to export.
_UID_NAMESPACE = uuid.UUID("6f1c1d0e-5a3b-4c43-9a51-50a55a9a7041")
_EMAIL_TYPES = frozenset({"work", "home"})
_TEL_TYPES = {
    "work": "work",
    "home": "home",
    "mobile": "cell",
    "fax": "fax",
    "pager": "pager",
    "textphone": "textphone",
}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_E164_RE = re.compile(r"\+[0-9]{2,15}")


# Anything _escape changes: control characters, line breaks, backslash, comma, semicolon.
_SPECIAL_RE = re.compile(r"[\x00-\x1f\x7f\\,;]")


def _escape(text: Any) -> str:
    value = "" if text is None else str(text)
    if _SPECIAL_RE.search(value) is None:
        return value
    value = _CONTROL_RE.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _fold(line: str) -> str:
    """``line`` folded at 75 octets, never inside a UTF-8 sequence."""
    if len(line) <= 18 or len(line.encode("utf-8")) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _pairs(items: Any, key: str) -> list[tuple[str, str]]:
    """(value, label) from strings, Labelled, pairs or dicts."""
    out: list[tuple[str, str]] = []
    for item in items or ():
        if isinstance(item, str):
            out.append((item, ""))
        elif isinstance(item, Labelled):
            out.append((item.value, item.label))
        elif isinstance(item, Mapping):
            out.append((str(item.get(key) or item.get("value") or ""), item.get("label") or ""))
        else:
            value, label = item
            out.append((str(value), str(label or "")))
    return [(v.strip(), lab.strip()) for v, lab in out if v and v.strip()]


def _type_words(label: str, vocabulary: Mapping[str, str] | frozenset[str]) -> list[str] | None:
    """The TYPE values for a label made only of TYPE words, else None (a custom label)."""
    if not label:
        return []
    words = label.split(" ")
    if label != label.lower() or len(set(words)) != len(words):
        return None
    if not all(w in vocabulary for w in words):
        return None
    if isinstance(vocabulary, Mapping):
        return [vocabulary[w] for w in words]
    return words


@functools.lru_cache(maxsize=512)
def _country_name(code: str) -> str:
    from babel import Locale

    return str(Locale("en").territories.get(code.upper(), code))


def uid(contact_id: int) -> str:
    """The ``UID`` of a contact's card: the same in every export."""
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'passaparola-contact-{contact_id}')}"


def card(contact: Mapping[str, Any], version: str = "4.0") -> str:
    """One contact as a vCard (CRLF line ends, folded), from a ``contacts.to_dicts`` dict.

    Reads ``id``, ``given_name``, ``family_name``, ``organization``, ``title``,
    ``emails`` and ``phones`` (strings, or ``(value, label)`` pairs, Labelled,
    or dicts with ``address``/``number`` and ``label``), ``street``, ``city``,
    ``region``, ``postcode``, ``country`` (ISO code), ``birthday``, ``language``,
    ``url``, ``notes``, ``tags``, ``uid`` (another program's, else ours from the id);
    missing keys are left out.
    """
    if version not in VERSIONS:
        raise ValidationError(code="vcard_out.vcard_version_4_0", field="version", version=version)
    v4 = version == "4.0"
    get = contact.get
    given, family = str(get("given_name") or "").strip(), str(get("family_name") or "").strip()
    organization = str(get("organization") or "").strip()
    name = " ".join(p for p in (given, family) if p) or organization or "Unnamed"
    out = [_BEGIN, f"VERSION:{version}", "PRODID:-//Passaparola//Passaparola CRM//EN"]
    contact_id = get("id")
    if get("uid"):  # the UID the contact came with from another program: it stays its own
        out.append(f"UID:{_escape(str(get('uid')))}")
    elif contact_id is not None:
        out.append(f"UID:{uid(int(contact_id))}")
    out.append(f"FN:{_escape(name)}")
    out.append(f"N:{_escape(family)};{_escape(given)};;;")
    if organization:
        out.append(f"ORG:{_escape(organization)}")
    if get("title"):
        out.append(f"TITLE:{_escape(get('title'))}")
    out += _item_lines([*_email_items(get("emails"), v4), *_tel_items(get("phones"), v4)])
    address = _address_line(contact, v4)
    if address:
        out.append(address)
    birthday = str(get("birthday") or "")
    if birthday:
        out.append("BDAY:" + _bday_out(birthday, v4))
    if v4 and get("language"):
        out.append(f"LANG:{_escape(get('language'))}")
    if get("url"):
        out.append(f"URL:{_CONTROL_RE.sub('', str(get('url'))).strip()}")
    if get("notes"):
        out.append(f"NOTE:{_escape(get('notes'))}")
    tags = [str(t) for t in get("tags") or () if str(t).strip()]
    if tags:
        out.append("CATEGORIES:" + ",".join(_escape(t) for t in tags))
    out.append(_END)
    return "".join(_fold(line) + "\r\n" for line in out)


# (property, parameters, value, custom label): a custom label goes in an item group.
_Item = tuple[str, list[str], str, str]


def _email_items(emails: Any, v4: bool) -> list[_Item]:
    items: list[_Item] = []
    for index, (address, label) in enumerate(_pairs(emails, "address")):
        types = _type_words(label, _EMAIL_TYPES)
        pref = index == 0
        if v4:
            params = [f"TYPE={','.join(types)}"] if types else []
            params += ["PREF=1"] if pref else []
        else:
            words = ["INTERNET", *(t.upper() for t in types or ()), *(["PREF"] if pref else [])]
            params = ["TYPE=" + ",".join(words)]
        items.append(("EMAIL", params, _escape(address), label if types is None else ""))
    return items


def _tel_items(phones: Any, v4: bool) -> list[_Item]:
    items: list[_Item] = []
    for index, (number, label) in enumerate(_pairs(phones, "number")):
        types = _type_words(label, _TEL_TYPES)
        pref = index == 0
        if v4:
            is_uri = bool(_E164_RE.fullmatch(number))
            params = ["VALUE=uri" if is_uri else "VALUE=text"]
            params += [f"TYPE={','.join(types)}"] if types else []
            params += ["PREF=1"] if pref else []
            value = f"tel:{number}" if is_uri else _escape(number)
        else:
            words = [*(t.upper() for t in types or ()), *(["PREF"] if pref else [])]
            params = ["TYPE=" + ",".join(words)] if words else []
            value = _escape(number)
        items.append(("TEL", params, value, label if types is None else ""))
    return items


def _item_lines(items: list[_Item]) -> list[str]:
    """The content lines of emails and phones; a custom label makes an item group."""
    out: list[str] = []
    group = 0
    for prop, params, value, custom in items:
        head = prop + "".join(";" + p for p in params)
        if custom:
            group += 1
            out += [f"item{group}.{head}:{value}", f"item{group}.X-ABLabel:{_escape(custom)}"]
        else:
            out.append(f"{head}:{value}")
    return out


def _address_line(contact: Mapping[str, Any], v4: bool) -> str:
    """The ``ADR`` line ("" without an address); the country by name, its code in 4.0."""
    get = contact.get
    address_parts = [get(k) or "" for k in ("street", "city", "region", "postcode", "country")]
    if not any(str(p).strip() for p in address_parts):
        return ""
    street, city, region, postcode, code = (str(p).strip() for p in address_parts)
    country = _country_name(code) if len(code) == 2 else code
    cc = f";CC={code.upper()}" if v4 and len(code) == 2 else ""
    parts = ["", "", street, city, region, postcode, country]
    return f"ADR{cc}:" + ";".join(_escape(p) for p in parts)


def card_of(contact_id: int, version: str = "4.0") -> str:
    """A stored contact's card, as :func:`export` writes it (email and phone labels too)."""
    from crm.interchange import export_rows

    with read_snapshot():
        found = list(export_rows.chosen([contact_id], export_rows.TAGS_BY_NAME, uids=True))
    if not found:
        raise NotFoundError(code="vcard_out.contact_not_found", contact_id=contact_id)
    return card(record_dict(found[0]), version)


def record_dict(record: Any) -> dict[str, Any]:
    """What :func:`card` reads, from a streamed record (crm.interchange.export_rows)."""
    from crm.interchange import export_rows as r

    row, emails, phones, tags, uids = record
    return {
        "id": row[r.ID],
        "given_name": row[r.GIVEN],
        "family_name": row[r.FAMILY],
        "organization": row[r.ORG],
        "title": row[r.TITLE],
        "emails": [(value, label) for _c, value, label in emails],
        "phones": [(value, label) for _c, value, label in phones],
        "street": row[r.STREET],
        "city": row[r.CITY],
        "region": row[r.REGION],
        "postcode": row[r.POSTCODE],
        "country": row[r.COUNTRY],
        "birthday": row[r.BIRTHDAY],
        "language": row[r.LANGUAGE],
        "url": row[r.URL],
        "notes": row[r.NOTES],
        "tags": [name for _c, name in tags],
        # The first UID another program gave the contact (an import remembered it).
        "uid": uids[0][1] if uids else None,
    }


def _bday_out(birthday: str, v4: bool) -> str:
    """4.0: ``19800415`` / ``--0415``; 3.0: ``1980-04-15`` / ``--04-15``."""
    if birthday.startswith("--"):
        month, day = birthday[2:4], birthday[-2:]
        return f"--{month}{day}" if v4 else f"--{month}-{day}"
    return birthday.replace("-", "") if v4 else birthday


def export(
    path: str | os.PathLike[str],
    ids: Sequence[int] | None = None,
    version: str = "4.0",
    progress: Progress | None = None,
) -> int:
    """Write contacts as vCards to ``path``; returns how many were written.

    Without ``ids``: every contact that is neither archived nor erased, by
    name, streamed (crm.interchange.export_rows: memory stays flat). With
    ``ids``: those contacts in that order (archived ones too; an erased person
    has nothing left to export and is left out). The file is written aside and
    renamed into place, so a failure leaves ``path`` as it was; so does a
    cancel (``progress(done, total)`` returning True).
    """
    from crm.interchange import export_rows

    if version not in VERSIONS:
        raise ValidationError(code="vcard_out.vcard_version_4_0", field="version", version=version)
    target = output_file(path, "file")
    written = 0
    with read_snapshot():
        if ids is None:
            total = export_rows.count_in_use()
            records = export_rows.every_contact(export_rows.TAGS_BY_NAME, uids=True)
        else:
            wanted = _existing(list(ids))
            total = len(wanted)
            records = export_rows.chosen(wanted, export_rows.TAGS_BY_NAME, uids=True)
        with write_private(target, field="file") as stream:
            tick(progress, 0, total, N_("Export"))
            for record in records:
                stream.write(card(record_dict(record), version))
                written += 1
                if written % 1000 == 0:
                    tick(progress, written, total, N_("Export"))
            tick(progress, written, total, N_("Export"))
    return written


def _existing(ids: list[int]) -> list[int]:
    from crm.core import models

    c = models.Contact
    found: dict[int, bool] = {}
    for start in range(0, len(ids), 500):
        query = c.select(c.id, c.erased_at.is_null()).where(c.id.in_(ids[start : start + 500]))
        found.update({cid: bool(alive) for cid, alive in models.rows(query)})
    missing = [i for i in ids if i not in found]
    if missing:
        listed = ", ".join(str(i) for i in missing[:10])
        raise NotFoundError(code="vcard_out.contacts_not_found", listed=listed)
    return [i for i in ids if found[i]]
