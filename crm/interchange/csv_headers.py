"""Which contact field a CSV column holds, from its header, and which program wrote the file.

:func:`target_for` reads one header: its words in English, Greek, Italian,
Bulgarian and Arabic (compared folded, words only), and the numbered columns of
Google's export (``E-mail 1 - Value``, ``Address 2 - Postal Code``: a second
address is the ``other_`` one, a third and more ``more_address``, a line of the
notes, as Outlook's "Other Street"…). :func:`auto_mapping` judges the whole header (a
plain "Name" is the given name beside a family-name column, else the whole name;
Outlook's ``Title`` is Mr./Dr. beside ``Job Title``) and knows our own export by
its exact header, and Outlook in German, Italian, French, Bulgarian or Greek by
its own headers (crm.interchange.csv_dialects); :func:`detect_shape` names the program (a key of
:data:`crm.interchange.csvfile.SHAPES`). The keys returned are those of
:data:`crm.interchange.csvfile.TARGETS`, or :data:`IGNORE`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crm.core.text import fold
from crm.interchange import exports
from crm.interchange.csv_dialects import outlook_language

IGNORE = ""

_WORD_RE = re.compile(r"[^\W_]+")


def _normal(header: str) -> str:
    """A header as compared: folded (case, accents), words only (``E-mail`` → ``e mail``)."""
    return " ".join(_WORD_RE.findall(fold(header)))


# Header words per target, in the languages of our users; compared after _normal.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "uid": ("uid", "id", "contact id", "unique id", "guid", "vcard uid"),
    "given_name": (
        "first name", "firstname", "first", "given name", "given", "given_name", "forename",
        "middle name", "additional name", "μικρό όνομα", "όνομα (μικρό)",
        "prénom", "nome proprio", "собствено име", "الاسم الأول",
    ),
    "family_name": (
        "last name", "lastname", "last", "surname", "family name", "family_name",
        "επώνυμο", "cognome", "фамилия", "фамилно име", "اسم العائلة", "الكنية", "اللقب",
    ),
    "full_name": (
        "full name", "display name", "contact", "contact name", "ονοματεπώνυμο",
        "nome e cognome", "nome completo", "nominativo", "име и фамилия", "пълно име",
        "الاسم الكامل",
    ),
    "organization": (
        "company", "company name", "organization", "organisation", "organization name",
        "business", "employer", "εταιρεία", "εταιρία", "επιχείρηση", "οργανισμός",
        "azienda", "società", "ditta", "organizzazione", "фирма", "компания", "организация",
        "الشركة", "المؤسسة", "جهة العمل",
    ),
    "title": (
        "job title", "title", "position", "role", "job", "organization title",
        "θέση", "τίτλος", "ιδιότητα", "θέση εργασίας", "ruolo", "qualifica", "posizione",
        "titolo", "длъжност", "позиция", "المسمى الوظيفي", "الوظيفة", "المنصب",
    ),
    "email": (
        "email", "e mail", "emails", "primary email", "secondary email", "email address",
        "e mail address", "mail",
        "e mail 2 address", "e mail 3 address", "email 2", "email 3",
        "ηλεκτρονικό ταχυδρομείο", "διεύθυνση email", "posta elettronica",
        "indirizzo email", "indirizzo e mail", "имейл", "е поща", "електронна поща",
        "البريد الإلكتروني", "البريد", "الإيميل",
    ),
    "email:work": ("work email", "business email", "email work", "email di lavoro"),
    "email:home": ("home email", "personal email", "private email", "email home"),
    "phone": (
        "phone", "phones", "telephone", "tel", "phone number", "telephone number",
        "primary phone", "τηλέφωνο", "τηλ", "αριθμός τηλεφώνου", "telefono",
        "numero di telefono", "телефон", "тел", "телефонен номер", "الهاتف", "هاتف",
        "رقم الهاتف",
    ),
    "phone:mobile": (
        "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "car phone",
        "κινητό", "κινητό τηλέφωνο", "cellulare", "telefono cellulare", "мобилен",
        "мобилен телефон", "الجوال", "الموبايل", "جوال",
    ),
    "phone:work": (
        "business phone", "business phone 2", "work phone", "office phone",
        "company main phone", "τηλέφωνο εργασίας", "telefono ufficio", "служебен телефон",
    ),
    "phone:home": ("home phone", "home phone 2", "private phone", "τηλέφωνο οικίας"),
    "phone:fax": (
        "fax", "fax number", "business fax", "home fax", "other fax", "φαξ", "факс", "فاكس",
    ),
    "phone:other": ("other phone",),
    "street": (
        "street", "address", "street address", "business street", "business street 2",
        "business street 3", "work address", "work address 2", "address line 1", "address line 2",
        "διεύθυνση", "οδός",
        "indirizzo", "via", "адрес", "улица", "العنوان", "الشارع",
    ),
    "city": (
        "city", "town", "locality", "business city", "work city", "πόλη", "città", "comune", "град",
        "населено място", "المدينة",
    ),
    "postcode": (
        "postcode", "post code", "postal code", "zip", "zip code", "zipcode",
        "business postal code", "work zipcode", "work zip", "τκ", "τ κ", "ταχυδρομικός κώδικας",
        "ταχ κώδικας",
        "cap", "codice postale", "пощенски код", "пк", "الرمز البريدي",
    ),
    "region": (
        "region", "state", "province", "county", "business state", "work state", "state province",
        "νομός", "περιφέρεια", "provincia", "regione", "област", "المنطقة", "المحافظة",
    ),
    "country": (
        "country", "country region", "business country region", "work country", "χώρα", "paese",
        "nazione", "държава", "страна", "البلد", "الدولة",
    ),
    "other_street": (
        "home street", "home street 2", "home street 3", "home address", "home address 2",
    ),
    "more_address": (
        "other street", "other street 2", "other street 3", "other city", "other state",
        "other postal code", "other zip", "other zipcode", "other country region",
        "other country",
    ),
    "other_city": ("home city",),
    "other_postcode": ("home postal code", "home zipcode", "home zip"),
    "other_region": ("home state",),
    "other_country": ("home country region", "home country"),
    "url": (
        "url", "website", "web site", "web page", "web page 1", "web page 2", "web", "homepage",
        "home page",
        "profile url", "linkedin", "ιστοσελίδα", "ιστότοπος", "sito web", "sito",
        "уебсайт", "сайт", "الموقع الإلكتروني", "الموقع",
    ),
    "birthday": (
        "birthday", "birth date", "birthdate", "date of birth", "dob", "γενέθλια",
        "ημερομηνία γέννησης", "compleanno", "data di nascita", "рожден ден",
        "дата на раждане", "تاريخ الميلاد", "عيد الميلاد",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "σημειώσεις", "σχόλια",
        "παρατηρήσεις", "annotazioni", "бележки", "забележки", "коментар", "ملاحظات",
    ),
    "tags": (
        "tags", "tag", "labels", "categories", "category", "groups", "group",
        "group membership", "ετικέτες", "κατηγορίες", "κατηγορία", "ομάδες", "etichette",
        "categorie", "categoria", "gruppi", "етикети", "категории", "групи", "الوسوم",
        "التصنيفات", "الفئات",
    ),
    "birth_year": ("birth year",),
    "birth_month": ("birth month",),
    "birth_day": ("birth day",),
    "connected_on": ("connected on", "connection date"),
    "related:spouse": ("spouse",),
    "related:referred by": ("referred by",),
    "related:manager": ("manager s name",),
    "related:assistant": ("assistant s name",),
}  # fmt: skip
# Columns of our own export that other files' headers do not map to by themselves.
_OURS = {key: key for key in ("language", "channel", "stage", "marketing_consent", "consent_date")}
# A plain "name" is the given name beside a family-name column, else the whole name.
_AMBIGUOUS_NAMES = frozenset(_normal(w) for w in ("name", "όνομα", "nome", "име", "الاسم"))

_HEADER_TARGETS: dict[str, str] = {
    _normal(word): target for target, words in _SYNONYMS.items() for word in words
}

# Google's numbered columns: "E-mail 1 - Value", "Address 2 - Postal Code".
_NUMBERED_RE = re.compile(
    r"^\s*(e-?mail|phone|address|organization|website|relation)\s+(\d+)\s+-\s+(.+?)\s*$", re.I
)
_NUMBERED: dict[tuple[str, str], str] = {
    ("email", "value"): "email",
    ("email", "label"): "email_label",
    ("email", "type"): "email_label",
    ("phone", "value"): "phone",
    ("phone", "label"): "phone_label",
    ("phone", "type"): "phone_label",
    ("address", "street"): "street",
    ("address", "po box"): "street",
    ("address", "extended address"): "street",
    ("address", "city"): "city",
    ("address", "region"): "region",
    ("address", "postal code"): "postcode",
    ("address", "country"): "country",
    ("organization", "name"): "organization",
    ("organization", "title"): "title",
    ("website", "value"): "url",
    ("relation", "value"): "related",
    ("relation", "label"): "related_label",
    ("relation", "type"): "related_label",
}
# Outlook's own columns: two of these make a file Outlook's.
_OUTLOOK_MARKS = frozenset(
    _normal(h)
    for h in (
        "E-mail Address", "E-mail 2 Address", "E-mail Display Name", "Business Phone",
        "Mobile Phone", "Home Phone", "Business Street", "Business City",
        "Business Country/Region", "Job Title", "Categories",
    )
)  # fmt: skip

# Thunderbird's columns beside its "Primary Email".
_THUNDERBIRD_MARKS = frozenset(
    ("secondary email", "mobile number", "birth year", "work zipcode", "home zipcode")
)


def target_for(header: str) -> str:
    """The target a column with this header holds by itself, or "" (ignored)."""
    match = _NUMBERED_RE.match(header)
    if match:
        kind = "email" if match[1].lower().startswith("e") else match[1].lower()
        number, part = int(match[2]), _normal(match[3])
        target = _NUMBERED.get((kind, part), IGNORE)
        if kind == "address" and target:
            if number > 2:
                return "more_address"  # a third address and more: lines of the notes
            return target if number == 1 else f"other_{target}"
        if kind == "organization" and number > 1:
            return IGNORE
        return target
    normal = _normal(header)
    return _HEADER_TARGETS.get(normal) or _by_words(normal)


# A column no list names but whose words say it holds a number or an address
# ("Home Mobile", "Pager", "Assistant's Phone", "Email Other"): read with the
# header's other words as the label, so that no number or address is left out.
_PHONE_WORDS = frozenset(
    (
        "phone", "telephone", "tel", "mobile", "cell", "cellphone", "pager", "fax", "isdn",
        "telex", "callback", "telefon", "telefono", "téléphone", "τηλέφωνο", "κινητό", "φαξ",
        "телефон", "мобилен", "факс", "هاتف", "جوال",
    )
)  # fmt: skip
_EMAIL_WORDS = frozenset(("email", "mail", "e", "имейл"))
_NOT_VALUES = frozenset(("type", "label", "name", "display", "kind", "id"))


def _by_words(normal: str) -> str:
    words = normal.split()
    if not words or _NOT_VALUES & set(words):
        return IGNORE
    if _PHONE_WORDS & set(words):
        drop = ("phone", "telephone", "tel", "number")
        label = " ".join(w for w in words if w not in drop and len(w) > 1)
        return f"phone:{label[:40]}" if label and not label.isdigit() else "phone"
    if "email" in words or ("e" in words and "mail" in words):
        label = " ".join(w for w in words if w not in _EMAIL_WORDS and not w.isdigit())
        return f"email:{label[:40]}" if label else "email"
    return IGNORE


def auto_mapping(columns: Sequence[str]) -> list[str]:
    """The target of each column, judged from the whole header."""
    if tuple(columns) == exports.CSV_COLUMNS:
        return [_OURS.get(column, target_for(column)) for column in columns]
    normals = [_normal(c) for c in columns]
    mapping = [target_for(c) for c in columns]
    has_given = "given_name" in mapping
    has_family = "family_name" in mapping
    for i, normal in enumerate(normals):
        if normal in _AMBIGUOUS_NAMES:
            mapping[i] = "given_name" if has_family and not has_given else "full_name"
    # Outlook's "Title" is Mr./Dr. when a "Job Title" column holds the job.
    titles = [i for i, target in enumerate(mapping) if target == "title"]
    if len(titles) > 1:
        for i in titles:
            if normals[i] == "title":
                mapping[i] = IGNORE
    # Outlook in another language: its own words win ("Nom" is the family name in French).
    found = outlook_language(columns, _normal, _HEADER_TARGETS)
    if found:
        table = found[1]
        mapping = [table.get(n, target) for n, target in zip(normals, mapping, strict=True)]
    return mapping


def detect_shape(columns: Sequence[str]) -> str:
    """Which program wrote a file with this header (a SHAPES key)."""
    if tuple(columns) == exports.CSV_COLUMNS:
        return "passaparola"
    normals = {_normal(c) for c in columns}
    numbered = any(_NUMBERED_RE.match(c) for c in columns)
    if numbered and normals & {"given name", "first name", "name"}:
        return "google"
    if "connected on" in normals and normals & {"first name", "last name"}:
        return "linkedin"
    # Before Outlook's: Thunderbird has a "Home Phone" and a "Job Title" too.
    if "primary email" in normals and normals & _THUNDERBIRD_MARKS:
        return "thunderbird"
    if len(normals & _OUTLOOK_MARKS) >= 2 or outlook_language(columns, _normal, _HEADER_TARGETS):
        return "outlook"
    return "generic"
