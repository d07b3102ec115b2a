"""vCard in, one parsed card → an Incoming record: what becomes what.

crm.interchange.vcard finds the cards, undoes transfer encodings and has
vobject parse each one; :func:`fill` then reads the parsed properties (see
:class:`crm.interchange.records.Incoming`):

- ``N`` → family and given name (given plus additional names, without commas;
  prefixes and suffixes left out); ``FN`` only when ``N`` gives no name
  (``full_name``, split by the importer, without honorifics: ``Bruce Banner,
  PhD``). A company's card (``KIND:org``, Apple's ``X-ABShowAs:COMPANY``, or no
  ``N`` and ``FN`` equal to ``ORG``) gives only the organization: the importer
  keeps it as an organization's contact, never a person split out of its name.
- ``UID`` → ``uid`` (our export's own UID matches its contact again).
- ``EMAIL`` / ``TEL``: every one, the preferred (``PREF=1``, ``TYPE=pref``) first.
  The label is the Apple/Google group label (``item1.X-ABLabel``, ``_$!<Other>!$_``
  → ``other``, a custom one as written), Android's custom label (``TEL;X-Office``,
  ``TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,…)``), or else the
  ``TYPE`` words in order, ``cell`` read as ``mobile`` and what a number can do
  rather than which it is left out (``pref``, ``voice``, ``text``, ``video``,
  ``internet``): ``TYPE=work,fax`` → ``work fax``. ``tel:`` URIs lose the
  scheme, an extension reads ``+1-418-656-9254 ext. 102``.
- ``ADR`` (the preferred one, else the first): street (+ extended address, PO
  box), city, region, postcode, country; the country is the ISO code of 4.0's
  ``CC`` parameter, else the name as written. Apple's ``X-ABADR`` is only the
  address *format* (a Canadian card of a French Mac says ``fr``), so it is not read.
  Every other ``ADR`` is a line of the notes ("Address (work): …"), and so is
  every ``ORG`` after the first ("Organization: …").
- ``BDAY``: ``1980-04-15``, ``19800415``, ``1980-04-15T00:00:00Z``, ``--0415``,
  ``--04-15``, Apple's ``X-APPLE-OMIT-YEAR`` → ``YYYY-MM-DD`` or ``--MM-DD``;
  anything else (4.0's ``VALUE=text:circa 1800``, a year alone) is passed on as
  written, and the importer keeps it in the notes with a warning.
- ``ORG`` first component, ``TITLE``, ``NOTE`` (several joined by a line
  break), ``URL`` (the preferred one, else the first), ``CATEGORIES`` → tags
  (Google's ``myContacts`` and ``starred`` left out), ``RELATED`` and
  ``X-ABRELATEDNAMES`` → ``related`` as ``Name (type)`` (``urn:uuid:`` references
  to cards we cannot see are left out).

A bare comma is text everywhere but in ``N`` and ``CATEGORIES`` (the reader
escapes the others before vobject); ``\\:`` (Apple and Google escape the colon
of a URL) reads ``:``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from crm.interchange.names import folded_equal, person_name
from crm.interchange.records import Incoming, Labelled

# TYPE words that say nothing a person would call a label.
# (``text`` and ``video`` are what a number can do, not which number it is.)
_NOT_LABELS = frozenset({"pref", "internet", "x-internet", "x400", "voice", "msg", "text", "video"})
_TYPE_WORDS = {"cell": "mobile", "iphone": "iPhone"}
# Google's system groups, not tags a user made.
_SYSTEM_CATEGORIES = frozenset({"mycontacts", "starred"})
_APPLE_LABEL_RE = re.compile(r"_\$!<(.*)>!\$_")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DATE_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR_RE = re.compile(r"--(\d{2})-?(\d{2})")


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
    if not value:
        return "", ""
    if "text" in [v.lower() for v in _params(line, "VALUE")]:
        return "", f"BDAY {value!r} is text"  # "circa 1800": kept in the notes as typed
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
    # Not a date we can store (a year or a month alone too): kept in the notes as typed.
    return "", f"BDAY {value!r} is not a date"


def _address(lines: list[Any]) -> dict[str, str]:
    """The preferred (else the first) ADR as our address fields."""
    if not lines:
        return {}
    return _address_fields(sorted(lines, key=_rank)[0])


def _address_fields(line: Any) -> dict[str, str]:
    adr = line.value
    if not hasattr(adr, "street"):
        return {"street": _text(adr)}
    street = ", ".join(t for t in (_text(adr.street), _text(adr.extended), _text(adr.box)) if t)
    country = _text(adr.country)
    codes = [c.upper() for c in _params(line, "CC") if len(c) == 2]
    if codes:
        country = codes[0]
    return {
        "street": street,
        "city": _text(adr.city),
        "region": _text(adr.region),
        "postcode": _text(adr.code),
        "country": country,
    }


def fill(record: Incoming, component: Any) -> None:
    by_name: dict[str, list[Any]] = {}
    for line in component.getChildren():
        by_name.setdefault(line.name.upper(), []).append(line)
    group_labels = {
        line.group.upper(): _apple_label(_text(line.value))
        for line in by_name.get("X-ABLABEL", [])
        if line.group
    }

    def first(name: str) -> Any:
        lines = by_name.get(name)
        return lines[0] if lines else None

    _names(record, first("N"), first("FN"), first("ORG"), first("KIND"), first("X-ABSHOWAS"))
    uid = first("UID")
    if uid is not None:
        record.uid = _text(uid.value)
    title = first("TITLE")
    if title is not None:
        record.title = _text(title.value)
    record.emails = _labelled(by_name.get("EMAIL", []), group_labels, tel=False)
    record.phones = _labelled(by_name.get("TEL", []), group_labels, tel=True)
    address = _address(by_name.get("ADR", []))
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
        if problem:  # as typed: the importer keeps it in the notes, with a warning
            record.birthday = _text(bday.value)
    notes = [_multiline(line.value) for line in by_name.get("NOTE", [])]
    notes += _more(by_name, group_labels)
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


def _names(record: Incoming, n: Any, fn: Any, org: Any, kind: Any, show_as: Any) -> None:
    """Given, family (or full) name and organization; a company card keeps no person's name."""
    if n is not None and hasattr(n.value, "family"):
        # Additional names follow the given ones, without the commas between them.
        parts = (_text(n.value.given, " "), _text(n.value.additional, " "))
        record.given_name = " ".join(t for t in parts if t)
        record.family_name = _text(n.value.family, " ")
    if org is not None:
        value = org.value
        record.organization = _text(value[0] if isinstance(value, list) and value else value)
    full = _text(fn.value) if fn is not None else ""
    if record.given_name or record.family_name:
        return  # N wins over FN
    is_company = (show_as is not None and _text(show_as.value).upper() == "COMPANY") or (
        kind is not None and _text(kind.value).lower() == "org"
    )
    if full and (is_company or folded_equal(full, record.organization)):
        # A company's card: the organization, never a person split out of its name.
        record.organization = record.organization or full
        return
    record.full_name = person_name(full)


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


def _more(by_name: Mapping[str, list[Any]], group_labels: Mapping[str, str]) -> list[str]:
    """The addresses and organizations beyond the one a contact holds, as lines of the notes."""
    lines: list[str] = []
    addresses = sorted(by_name.get("ADR", []), key=_rank)
    for line in addresses[1:]:
        text = ", ".join(v for v in _address_fields(line).values() if v)
        label = _label(line, group_labels)
        if text:
            lines.append(f"Address ({label}): {text}" if label else f"Address: {text}")
    for line in by_name.get("ORG", [])[1:]:
        value = line.value
        text = _text(value, " - ") if isinstance(value, list) else _text(value)
        if text:
            lines.append(f"Organization: {text}")
    return lines
