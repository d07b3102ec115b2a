"""People with postal addresses in Greek, Bulgarian, Italian, Arabic and English, and an
event they attended: the data the envelope and label tests print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from crm.core import contacts, events, settings
from crm.core.contacts import ContactData

# key: (given, family, street, city, postcode, region, country, language)
PEOPLE = {
    "el": ("Γιώργος", "Παπαδόπουλος", "Ερμού 10", "Αθήνα", "105 57", "", "GR", "el"),
    "bg": ("Иван", "Петров", "ул. Шипка 34", "София", "1504", "", "BG", "bg"),
    "it": ("Niccolò", "Ferrà", "Via Roma 1", "Firenze", "50123", "FI", "IT", "it"),
    "ar": ("أحمد", "المصري", "شارع الشيخ زايد 12", "دبي", "", "دبي", "AE", "ar"),
    "us": ("Mary", "Jones", "742 Evergreen Terrace", "Springfield", "62704", "IL", "US", "en"),
}


def person(key: str, *, consent: bool = True, **changes: str) -> int:
    given, family, street, city, postcode, region, country, language = PEOPLE[key]
    fields = {
        "given_name": given,
        "family_name": family,
        "street": street,
        "city": city,
        "postcode": postcode,
        "region": region,
        "country": country,
        "language": language,
        "marketing_consent": consent,
    }
    fields.update(changes)
    return contacts.create_contact(ContactData(**fields)).id


def greek_sender() -> None:
    settings.update_profile(
        name="Ελένη Μάρκου",
        company="Markou Consulting",
        street="Βασιλίσσης Σοφίας 12",
        city="Αθήνα",
        postcode="106 74",
        country="GR",
        language="el",
    )


def event_with(keys: list[str]) -> tuple[int, dict[str, int]]:
    """An event attended by one person per key; (event id, key -> contact id)."""
    event = events.create_event("Σύναξη", "2026-11-20")
    ids = {key: person(key) for key in keys}
    for cid in ids.values():
        events.attend(event.id, cid)
    return event.id, ids


# -- poppler -------------------------------------------------------------------------


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed")


def layout_text(path: Path) -> str:
    need("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def words(path: Path) -> list[dict]:
    """Every word pdftotext finds: page (1-based), text and box in points from the top left,
    and the page's size."""
    need("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    ns = "{http://www.w3.org/1999/xhtml}"
    root = ElementTree.fromstring(out.stdout)
    found = []
    for number, page in enumerate(root.iter(f"{ns}page"), start=1):
        pw, ph = float(page.get("width")), float(page.get("height"))
        for line in page.iter(f"{ns}line"):
            line_words = list(line.iter(f"{ns}word"))
            for word in line_words:
                found.append(
                    {
                        "page": number,
                        "text": word.text or "",
                        "line": " ".join(w.text or "" for w in line_words),
                        "box": tuple(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                        "page_size": (pw, ph),
                    }
                )
    return found


def fonts(path: Path) -> list[list[str]]:
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [row.split() for row in out.stdout.splitlines()[2:]]
