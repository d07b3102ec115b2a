"""Coming birthdays and the greeting for each: card and e-mail text in the contact's language.

A greeting comes from the user's ``birthday`` template for the contact's language
(:mod:`crm.core.templates`): its subject is the card's headline and the e-mail's
subject, its body the wishes. Everything here is plain dicts, so the card drawing
(:mod:`crm.documents.birthday_card`) and the mailer never touch the database.
Archived and erased contacts are left out. A greeting is marketing as letters are:
the card batch and the mailer leave out those without consent unless told otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crm.core import clock, interactions, letters, models, privacy, settings, templates
from crm.core.errors import NotFoundError, ValidationError
from crm.core.followups import _month_day, _month_days
from crm.core.rule_lines import line

KIND = "birthday"
MAX_WITHIN = 366


def _contacts_query() -> Any:
    c = models.Contact
    return c.select(
        c.id, c.given_name, c.family_name, c.birthday, c.language, c.country, c.email,
        c.marketing_consent, c.street, c.city, c.postcode, c.region,
    ).where(
        c.birthday.is_null(False) & (c.archived == False) & c.erased_at.is_null(True)  # noqa: E712
    )  # fmt: skip


def _person(row: Sequence[Any], day: dt.date) -> dict[str, Any]:
    (cid, given, family, birthday, language, country, email, consent, street, city, postcode,
     region) = row  # fmt: skip
    year = int(birthday[:4]) if birthday and birthday[:4].isdigit() else None
    return {
        "contact_id": int(cid),
        "name": " ".join(p for p in (given, family) if p),
        "given_name": given or "",
        "family_name": family or "",
        "birthday": birthday,
        "date": day,
        "age": day.year - year if year else None,
        "language": letters.letter_language(language),
        "country": country or "",
        "email": email or "",
        "consent": bool(consent),
        "address": {"street": street or "", "city": city or "", "postcode": postcode or "",
                    "region": region or "", "country": country or ""},
    }  # fmt: skip


def coming(within: int | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Birthdays from today for ``within`` days (the birthday window by default), soonest first.

    Each: ``contact_id``, ``name``, ``given_name``, ``family_name``, ``birthday`` (as
    stored), ``date`` (this time), ``age`` (None when the year is unknown), ``language``
    (the greeting's), ``email``, ``consent``, ``address``.
    """
    day = today or clock.today()
    days = int(settings.get("birthday_window_days")) if within is None else within
    if isinstance(days, bool) or not 0 <= days <= MAX_WITHIN:
        raise ValidationError(
            code="birthdays.days_ahead_between_0", field="within", most=MAX_WITHIN, days=days
        )
    when = dict(_month_days(day, days))
    c = models.Contact
    rows = models.rows(_contacts_query().where(_month_day(c.birthday).in_(list(when))))
    people = [_person(row, when[row[3][-5:]]) for row in rows]
    people.sort(key=lambda p: (p["date"], p["name"].casefold(), p["contact_id"]))
    return people


def person(contact_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """One contact's next birthday as :func:`coming` lists it; refused without a birthday."""
    c = models.Contact
    rows = models.rows(_contacts_query().where(c.id == contact_id))
    if not rows:
        if models.Contact.get_or_none(c.id == contact_id) is None:
            raise NotFoundError(code="birthdays.contact_not_found", contact_id=contact_id)
        raise ValidationError(
            code="birthdays.contact_birthday_greet", field="contact", id=contact_id
        )
    day = today or clock.today()
    month_day = rows[0][3][-5:]
    upcoming = dict(_month_days(day, MAX_WITHIN))
    return _person(rows[0], upcoming.get(month_day, day))


def greeting(
    who: Mapping[str, Any],
    sender: Mapping[str, Any] | None = None,
    texts: dict[str, templates.TemplateText] | None = None,
) -> dict[str, Any]:
    """The greeting for one person of :func:`coming`: headline, wishes, signature."""
    sender = sender or letters.sender()
    lang = str(who["language"])
    cache = {} if texts is None else texts
    if lang not in cache:
        cache[lang] = templates.get_template(KIND, lang)
    text = cache[lang]
    fields = {
        "salutation": letters.salutation(lang, who["given_name"], who["family_name"]),
        "name": who["name"],
        "given_name": who["given_name"] or who["family_name"],
        "family_name": who["family_name"],
        "birthday": letters.long_date(who["date"], lang, who["country"]),
        "sender_name": sender["name"],
        "sender_company": sender["company"],
    }
    if lang == "el":  # a Greek name is addressed in the vocative: Γιώργος → Γιώργο
        fields["given_name"] = letters.greek_vocative(fields["given_name"])
    addr = who["address"]
    return {
        **who,
        "rtl": lang == "ar",
        "subject": templates.merge(text.subject, fields).strip(),
        "body": templates.merge(text.body, fields),
        "signature": [s for s in (sender["name"], sender["company"]) if s],
        "recipient": letters.address_lines(
            name=who["name"], street=addr["street"], city=addr["city"],
            postcode=addr["postcode"], region=addr["region"], country=addr["country"],
            from_country=sender["country"], country_language=sender["language"] or "en",
        ),
    }  # fmt: skip


def cards(
    people: Iterable[Mapping[str, Any]], *, allow_without_consent: bool = False
) -> dict[str, Any]:
    """The cards for these people: ``sender``, ``cards`` and ``skipped_without_consent``."""
    sender = letters.sender()
    texts: dict[str, templates.TemplateText] = {}
    out: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for who in people:
        if not who["consent"] and not allow_without_consent:
            skipped.append({"contact_id": who["contact_id"], "name": who["name"]})
            continue
        out.append(greeting(who, sender, texts))
    return {"sender": sender, "cards": out, "skipped_without_consent": skipped}


def card_for(contact_id: int, *, allow_without_consent: bool = False) -> dict[str, Any]:
    """One contact's card; refused without consent unless ``allow_without_consent``."""
    who = person(contact_id)
    if not allow_without_consent:
        privacy.require_consent([contact_id], "print")
    return cards([who], allow_without_consent=True)


def mark_printed(cards_printed: Iterable[Mapping[str, Any]]) -> int:
    """A history line per card printed (inside the caller's transaction); returns how many."""
    count = 0
    with models.database_proxy.atomic():
        templates.ensure_defaults()
        for card in cards_printed:
            interactions.log(int(card["contact_id"]), "card_printed", line("history.card_printed"))
            count += 1
    return count
