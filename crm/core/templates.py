"""Letter and voucher texts: shipped defaults, the user's edited copies, and their merge fields.

A template has a subject (a letter's subject line, a voucher's heading) and a body. Both may
use merge fields in braces, such as ``{giver_given_name}``; ``{{`` and ``}}`` print a brace.
The defaults ship as text files in ``crm/resources/templates`` (``KIND.LANGUAGE.txt``: the
subject on the first line, a blank line, then the body) and are copied into the Template
table on first use, where the user edits them.
"""

from __future__ import annotations

import importlib.resources
import string
from collections.abc import Mapping
from dataclasses import dataclass

from crm.core import models
from crm.core.errors import ValidationError
from crm.i18n import N_, Term

# Each kind's merge fields and what they hold (the settings dialog can show these).
MERGE_FIELDS: dict[str, dict[str, str]] = {
    "thank_you_letter": {
        "salutation": "the greeting line in the letter's language, e.g. 'Dear Maria,'",
        "giver_name": "full name of the person thanked (who gave the referral)",
        "giver_given_name": "given name of the person thanked",
        "giver_family_name": "family name of the person thanked",
        "giver_organization": "organization of the person thanked",
        "referred_name": "full name of the person they referred",
        "referred_given_name": "given name of the person they referred",
        "referred_family_name": "family name of the person they referred",
        "referral_date": "the day the referral was made, in the letter's language",
        "event_title": "the event where the referral was made (may be empty)",
        "event_date": "that event's date (may be empty)",
        "value": "the business won, with its currency (may be empty)",
        "sender_name": "your name, from the profile",
        "sender_company": "your company, from the profile",
        "date": "today's date, in the letter's language",
    },
    "voucher": {
        "holder_name": "full name of the client who passes the voucher on",
        "holder_given_name": "given name of the client who passes the voucher on",
        "value": "the voucher's value, with its currency",
        "expires": "the expiry date, in the holder's language",
        "code": "the voucher code",
        "sender_name": "your name, from the profile",
        "sender_company": "your company, from the profile",
    },
    "birthday": {
        "salutation": "the greeting line in the contact's language, e.g. 'Dear Maria,'",
        "name": "full name of the person whose birthday it is",
        "given_name": "their given name (in Greek, as one addresses them: Γιώργο)",
        "family_name": "their family name",
        "birthday": "the birthday's date this year, in their language",
        "sender_name": "your name, from the profile",
        "sender_company": "your company, from the profile",
    },
    "voucher_email": {
        "salutation": "the greeting line in the holder's language, e.g. 'Dear Maria,'",
        "holder_name": "full name of the client who passes the voucher on",
        "holder_given_name": "given name of the client who passes the voucher on",
        "value": "the voucher's value, with its currency",
        "expires": "the expiry date, in the holder's language",
        "code": "the voucher code",
        "sender_name": "your name, from the profile",
        "sender_company": "your company, from the profile",
    },
}

SUBJECT_MAX = int(models.Template.subject.max_length)
BODY_MAX = 20_000


@dataclass(frozen=True)
class TemplateText:
    kind: str
    language: str
    subject: str
    body: str


def valid_fields(kind: str) -> tuple[str, ...]:
    """The merge fields a template of ``kind`` may use, in their documented order."""
    _check_kind(kind)
    return tuple(MERGE_FIELDS[kind])


def _check_kind(kind: str) -> None:
    if kind not in models.TEMPLATE_KINDS:
        raise ValidationError(
            code="templates.unknown_template_kind",
            field="kind",
            template_kinds=", ".join(models.TEMPLATE_KINDS),
            kind=kind,
        )


def _check_language(language: str) -> None:
    if language not in models.LANGUAGES:
        raise ValidationError(
            code="templates.unknown_language",
            field="language",
            languages=", ".join(models.LANGUAGES),
            language=language,
        )


def fields_used(text: str, what: str = N_("template")) -> list[str]:
    """The merge fields in ``text``; raises for braces that are not a well-formed field."""
    used: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            code="templates.unmatched_brace_write_field", what=Term(what)
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or spec or conversion or not name.isidentifier():
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValidationError(
                code="templates.malformed_merge_field_write", what=Term(what), shown=shown
            )
        used.append(name)
    return used


def check_template(kind: str, subject: str, body: str) -> None:
    """Refuse a template that uses an unknown or malformed merge field, naming the valid ones."""
    _check_kind(kind)
    valid = MERGE_FIELDS[kind]
    for what, text in ((N_("subject"), subject), (N_("body"), body)):
        for name in fields_used(text, what):
            if name not in valid:
                raise ValidationError(
                    code="templates.unknown_merge_field_valid",
                    field=what,
                    name=name,
                    what=Term(what),
                    value=", ".join("{" + f + "}" for f in valid),
                )


def merge(text: str, values: Mapping[str, object]) -> str:
    """``text`` with its merge fields filled from ``values`` (missing ones print empty)."""
    out: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            value = values.get(name)
            out.append("" if value is None else str(value))
    return "".join(out)


# -- shipped defaults ----------------------------------------------------------------


def _default_file(kind: str, language: str) -> str:
    resource = importlib.resources.files("crm").joinpath(
        "resources", "templates", f"{kind}.{language}.txt"
    )
    return resource.read_text(encoding="utf-8")


def parse_template_file(text: str) -> tuple[str, str]:
    """(subject, body) from a template file: subject line, blank line, body."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip("\n").rstrip()


def default_template(kind: str, language: str) -> TemplateText:
    """The shipped default of a template (English when a language has none)."""
    _check_kind(kind)
    _check_language(language)
    try:
        subject, body = parse_template_file(_default_file(kind, language))
    except FileNotFoundError:
        subject, body = parse_template_file(_default_file(kind, "en"))
    return TemplateText(kind, language, subject, body)


def ensure_defaults() -> int:
    """Copy the shipped defaults into the Template table where a row is missing.

    Returns how many rows were added; the user's edited rows are never touched.
    """
    have = {
        (k, lang)
        for k, lang in models.rows(
            models.Template.select(models.Template.kind, models.Template.language)
        )
    }
    missing = [
        default_template(kind, language)
        for kind in models.TEMPLATE_KINDS
        for language in models.LANGUAGES
        if (kind, language) not in have
    ]
    if missing:
        with models.database_proxy.atomic():
            for t in missing:
                models.Template.create(
                    kind=t.kind, language=t.language, subject=t.subject, body=t.body
                )
    return len(missing)


# -- the user's copies ---------------------------------------------------------------


def get_template(kind: str, language: str) -> TemplateText:
    """The template the user edits (the shipped default until they change it).

    Reading changes nothing: the defaults are copied into the table when a template is
    saved or a letter is printed (`ensure_defaults`).
    """
    _check_kind(kind)
    _check_language(language)
    row = models.Template.get_or_none(
        (models.Template.kind == kind) & (models.Template.language == language)
    )
    if row is None:
        return default_template(kind, language)
    return TemplateText(kind, language, row.subject, row.body)


def save_template(kind: str, language: str, subject: str, body: str) -> TemplateText:
    """Store the user's version of a template, after checking its merge fields."""
    _check_kind(kind)
    _check_language(language)
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip("\n").rstrip()
    if len(subject) > SUBJECT_MAX:
        raise ValidationError(
            code="templates.subject_longer_characters", field="subject", subject_max=SUBJECT_MAX
        )
    if len(body) > BODY_MAX:
        raise ValidationError(
            code="templates.body_longer_characters", field="body", body_max=BODY_MAX
        )
    if not body.strip():
        raise ValidationError(code="templates.body_empty_write_text", field="body")
    check_template(kind, subject, body)
    with models.database_proxy.atomic():
        ensure_defaults()
        models.Template.update(subject=subject, body=body, updated_at=models.now()).where(
            (models.Template.kind == kind) & (models.Template.language == language)
        ).execute()
    return TemplateText(kind, language, subject, body)


def reset_template(kind: str, language: str) -> TemplateText:
    """Put the shipped default back in place of the user's version."""
    default = default_template(kind, language)
    return save_template(kind, language, default.subject, default.body)
