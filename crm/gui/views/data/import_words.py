"""The import plan's explanations in the interface language.

The importer (crm.interchange.matching) explains each record in plain English for the
command line's report: which contact it matched and how ("same email a@b.gr as #12"),
what it adds ("given_name", "email a@b.gr", "tag VIP") and which field a warning is
about ("phone"). The preview words them here, each value kept as it is (and isolated,
so an address keeps its place in an Arabic line).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from crm.gui.formatting import cell_text, day_text

_MATCH = re.compile(
    r"(?:same email (?P<email>.+?)|same phone (?P<phone>\S+)|(?P<uid>same UID)"
    r"|(?P<name>same name, nothing new))"
    r"(?: as (?:line (?P<line>\d+)|#(?P<id>\d+)))?"
)
_LISTED = ("email ", "phone ", "tag ", "UID ", "connected on ")


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWords", text)


def field_word(name: str) -> str:
    """A contact field's name (as the importer calls it); anything else as it is (a CSV
    column's own header is the file's data)."""
    words = {
        "given_name": tr("given name"),
        "family_name": tr("family name"),
        "title": tr("job title"),
        "street": tr("street"),
        "city": tr("city"),
        "postcode": tr("postcode"),
        "region": tr("region"),
        "country": tr("country"),
        "url": tr("website"),
        "notes": tr("notes"),
        "birthday": tr("birthday"),
        "organization": tr("organization"),
        "email": tr("email"),
        "phone": tr("phone"),
        "tag": tr("tag"),
        "language": tr("letter language"),
        "channel": tr("first heard through"),
        "stage": tr("stage"),
        "marketing_consent": tr("marketing consent"),
    }
    return words.get(name, name)


def reason_text(reason: str) -> str:
    """Which contact a record matched and how, in words; any other reason as given (the
    importer words its rejections in the interface language already)."""
    found = _MATCH.fullmatch(reason)
    if found is None:
        return reason
    if found["email"]:
        text = tr("same email %1").replace("%1", cell_text(found["email"]))
    elif found["phone"]:
        text = tr("same phone %1").replace("%1", cell_text(found["phone"]))
    elif found["uid"]:
        text = tr("same UID")
    else:
        text = tr("same name, nothing new")
    if found["line"]:
        return tr("%1 as line %2").replace("%1", text).replace("%2", found["line"])
    if found["id"]:
        return tr("%1 as #%2").replace("%1", text).replace("%2", found["id"])
    return text


def change_text(change: str) -> str:
    """One thing a record adds to a contact: a field, or an email, phone, tag, UID or day."""
    for prefix in _LISTED:
        if change.startswith(prefix):
            value = change[len(prefix) :]
            words = {
                "email ": tr("email %1"),
                "phone ": tr("phone %1"),
                "tag ": tr("tag %1"),
                "UID ": tr("UID %1"),
                "connected on ": tr("connected on %1"),
            }
            shown = day_text(value) if prefix == "connected on " else cell_text(value)
            return words[prefix].replace("%1", shown)
    return field_word(change)
