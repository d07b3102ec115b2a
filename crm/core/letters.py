"""Thank-you letters: what goes on each letter, and what printing one records.

The PDF is drawn by :mod:`crm.documents.letters`; everything it needs comes from here as
plain dicts (no models), so the drawing code never touches the database. A letter thanks
the giver of a referral, in the giver's language, from the user's template for that
language. Printing logs ``letter_printed`` on the giver and marks a pending
``thank_you_letter`` reward for that referral as given.

A letter goes only to a giver who agreed to marketing (:mod:`crm.core.privacy`)
unless the user overrides that for the document (``allow_without_consent``):
one letter is refused with a message naming the giver; the batch of pending
letters leaves those givers out and lists them (``skipped_without_consent``), so
one missing consent does not hold back everyone else's letter. A giver erased on
request gets no letter at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from peewee import JOIN

from crm.core import clock, models, privacy, settings, templates
from crm.core.errors import NotFoundError, ValidationError
from crm.core.letter_words import address_lines as address_lines
from crm.core.letter_words import country_name as country_name
from crm.core.letter_words import greek_vocative as greek_vocative
from crm.core.letter_words import letter_language as letter_language
from crm.core.letter_words import long_date as long_date
from crm.core.letter_words import money as money
from crm.core.letter_words import salutation as salutation
from crm.core.letter_words import upper as upper
from crm.core.rule_lines import Line, line, term

db = models.database_proxy

KIND = "thank_you_letter"

# -- letter data -------------------------------------------------------------------------


def sender() -> dict[str, Any]:
    """The letterhead and signature: the profile as plain values."""
    prof = settings.profile()
    street_lines = [line.strip() for line in prof.street.split("\n") if line.strip()]
    place = " ".join(p for p in (prof.postcode, prof.city) if p)
    return {
        "name": prof.name,
        "company": prof.company,
        "address": [*street_lines, place] if place else street_lines,
        "country": prof.country,
        "email": prof.email,
        "phone": prof.phone,
        "logo_path": prof.logo_path,
        "signature_path": prof.signature_path,
        "page_size": prof.page_size if prof.page_size in models.PAGE_SIZES else "A4",
        "language": prof.language,
    }


_Giver = models.Contact.alias("giver")
_Referred = models.Contact.alias("referred")


def _letter_query() -> Any:
    r, e, o = models.Referral, models.Event, models.Organization
    return (
        r.select(
            r.id,
            r.referred_on,
            r.value,
            r.currency,
            _Giver.id,
            _Giver.given_name,
            _Giver.family_name,
            _Giver.street,
            _Giver.city,
            _Giver.postcode,
            _Giver.region,
            _Giver.country,
            _Giver.language,
            o.name,
            _Referred.given_name,
            _Referred.family_name,
            e.title,
            e.starts_at,
        )
        .join(_Giver, on=(r.giver == _Giver.id))
        .join(o, JOIN.LEFT_OUTER, on=(_Giver.organization == o.id))
        .switch(r)
        .join(_Referred, on=(r.referred == _Referred.id))
        .switch(r)
        .join(e, JOIN.LEFT_OUTER, on=(r.event == e.id))
    )


def _build(
    row: Sequence[Any],
    reward_id: int | None,
    sender_data: Mapping[str, Any],
    texts: dict[str, templates.TemplateText],
    today: dt.date,
) -> dict[str, Any]:
    """One letter from a row of :func:`_letter_query`, in the giver's language."""
    referral_id, giver_id = row[0], row[4]
    street, city, postcode, region, country, language, organization = row[7:14]
    lang = language if language in models.LANGUAGES else sender_data["language"]
    if lang not in models.LANGUAGES:
        lang = "en"
    if lang not in texts:
        texts[lang] = templates.get_template(KIND, lang)
    text = texts[lang]
    fields = _merge_fields(row, lang, sender_data, today)
    giver_name = fields["giver_name"]
    return {
        "referral_id": referral_id,
        "reward_id": reward_id,
        "giver_id": giver_id,
        "giver_name": giver_name,
        "language": lang,
        "rtl": lang == "ar",
        "date": fields["date"],
        "recipient": address_lines(
            name=giver_name,
            organization=organization or "",
            street=street or "",
            city=city or "",
            postcode=postcode or "",
            region=region or "",
            country=country or "",
            from_country=sender_data["country"],
            country_language=sender_data["language"] or "en",
        ),
        "subject": templates.merge(text.subject, fields),
        "body": templates.merge(text.body, fields),
    }


def _merge_fields(
    row: Sequence[Any], lang: str, sender_data: Mapping[str, Any], today: dt.date
) -> dict[str, str]:
    """The template's merge fields for one row of :func:`_letter_query`."""
    (_id, referred_on, value, currency, _giver_id, given, family, _street, _city, _postcode,
     _region, country, _language, organization, ref_given, ref_family, event_title,
     event_starts) = row  # fmt: skip
    amount = Decimal(str(value)) if value is not None else None
    return {
        "salutation": salutation(lang, given or "", family or ""),
        "giver_name": " ".join(p for p in (given, family) if p),
        "giver_given_name": given or family or "",
        "giver_family_name": family or "",
        "giver_organization": organization or "",
        "referred_name": " ".join(p for p in (ref_given, ref_family) if p),
        "referred_given_name": ref_given or ref_family or "",
        "referred_family_name": ref_family or "",
        "referral_date": long_date(_as_date(referred_on), lang, country),
        "event_title": event_title or "",
        "event_date": long_date(_as_date(event_starts), lang, country),
        "value": money(amount, currency or "EUR", lang, country),
        "sender_name": sender_data["name"],
        "sender_company": sender_data["company"],
        "date": long_date(today, lang, country),
    }


_as_date = models.as_date


def _pending_reward(referral_id: int) -> int | None:
    w = models.Reward
    row = (
        w.select(w.id)
        .where((w.referral == referral_id) & (w.kind == KIND) & (w.status == "pending"))
        .order_by(w.id)
        .first()
    )
    return int(row.id) if row is not None else None


def letter_data(
    referral_id: int, today: dt.date | None = None, *, allow_without_consent: bool = False
) -> dict[str, Any]:
    """Everything one thank-you letter prints, for the giver of ``referral_id``.

    Refused when the giver has no marketing consent, unless ``allow_without_consent``.
    """
    rows = models.rows(_letter_query().where(models.Referral.id == referral_id))
    if not rows:
        raise NotFoundError(code="letters.referral_not_found", referral_id=referral_id)
    giver_id = int(rows[0][4])
    if privacy.consent_status([giver_id])[giver_id][2]:
        raise ValidationError(
            code="letters.giver_referral_erased_request", referral_id=referral_id, giver_id=giver_id
        )
    if not allow_without_consent:
        privacy.require_consent([giver_id], "print")
    return {
        "sender": sender(),
        "letters": [
            _build(rows[0], _pending_reward(referral_id), sender(), {}, today or clock.today())
        ],
    }


def _pending_rewards() -> dict[int, int]:
    """Referral id -> its oldest pending thank-you letter reward, oldest first."""
    w = models.Reward
    pending = models.rows(
        w.select(w.id, w.referral)
        .where((w.kind == KIND) & (w.status == "pending") & w.referral.is_null(False))
        .order_by(w.id)
    )
    reward_of: dict[int, int] = {}
    for reward_id, referral_id in pending:
        reward_of.setdefault(int(referral_id), int(reward_id))
    return reward_of


def _givers(referral_ids: Sequence[int]) -> dict[int, int]:
    r = models.Referral
    out: dict[int, int] = {}
    for start in range(0, len(referral_ids), 500):  # SQLite's limit on parameters
        chunk = list(referral_ids[start : start + 500])
        query = r.select(r.id, r.giver).where(r.id.in_(chunk))
        out.update({int(rid): int(gid) for rid, gid in models.rows(query)})
    return out


def pending_without_consent() -> list[dict[str, Any]]:
    """Pending letters whose giver has no marketing consent (erased givers aside).

    Each: ``referral_id``, ``giver_id``, ``giver_name``; oldest first.
    """
    return _split_pending(list(_pending_rewards()))[1]


def _split_pending(
    referral_ids: Sequence[int], allow_without_consent: bool = False
) -> tuple[list[int], list[dict[str, Any]]]:
    """Which of these pending letters print, and which are skipped for want of consent.

    Returns the printable referral ids (in the given order) and the skipped
    ones as :func:`pending_without_consent` lists them. Erased givers are in neither.
    """
    givers = _givers(referral_ids)
    status = privacy.consent_status(givers.values())
    printable: list[int] = []
    skipped: list[dict[str, Any]] = []
    for rid in referral_ids:
        gid = givers.get(rid)
        if gid is None or gid not in status:
            continue
        name, consent, erased = status[gid]
        if erased:
            continue
        if consent or allow_without_consent:
            printable.append(rid)
        else:
            skipped.append({"referral_id": rid, "giver_id": gid, "giver_name": name})
    return printable, skipped


def pending_data(
    today: dt.date | None = None, *, allow_without_consent: bool = False
) -> dict[str, Any]:
    """All pending thank-you letters (rewards of that kind not yet given), oldest first.

    Givers without marketing consent are left out and listed under
    ``skipped_without_consent`` (as :func:`pending_without_consent` gives them)
    unless ``allow_without_consent``; erased givers are always left out.
    """
    pending = _pending_rewards()
    printable, skipped = _split_pending(list(pending), allow_without_consent)
    reward_of = {rid: pending[rid] for rid in printable}
    rows: dict[int, tuple[Any, ...]] = {}
    ids = list(reward_of)
    # In chunks: SQLite limits the number of parameters in one statement.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in models.rows(_letter_query().where(models.Referral.id.in_(chunk))):
            rows[int(row[0])] = row
    who = sender()
    texts: dict[str, templates.TemplateText] = {}
    day = today or clock.today()
    letters = [_build(rows[rid], reward_of[rid], who, texts, day) for rid in ids if rid in rows]
    return {"sender": who, "letters": letters, "skipped_without_consent": skipped}


def pending_list(limit: int = 2000) -> list[dict[str, Any]]:
    """The pending thank-you letters as a list shows them, oldest first; erased givers left out.

    Each: ``referral_id``, ``giver_id``, ``giver_name``, ``referred_name``, ``referred_on``,
    ``language`` (the giver's) and ``consent`` (False: the batch leaves it out, as
    :func:`pending_data` does unless told otherwise). At most ``limit`` letters.
    """
    ids = list(_pending_rewards())
    printable, skipped = _split_pending(ids)
    without = {int(s["referral_id"]) for s in skipped}
    listed = without.union(printable)
    shown = [rid for rid in ids if rid in listed][:limit]
    rows: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(shown), 500):  # SQLite's limit on parameters
        chunk = shown[start : start + 500]
        for row in models.rows(_letter_query().where(models.Referral.id.in_(chunk))):
            rows[int(row[0])] = row
    return [
        {
            "referral_id": rid,
            "giver_id": int(rows[rid][4]),
            "giver_name": _full_name(rows[rid][5], rows[rid][6]),
            "referred_name": _full_name(rows[rid][14], rows[rid][15]),
            "referred_on": _as_date(rows[rid][1]),
            "language": rows[rid][12] or "",
            "consent": rid not in without,
        }
        for rid in shown
        if rid in rows
    ]


def _full_name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def mark_printed(letters: Iterable[Mapping[str, Any]]) -> int:
    """Record that these letters were printed: history lines, rewards given.

    Call inside the transaction that also puts the PDF in place. A reward already given
    (printed twice) is not given again. Returns the number of rewards marked given.
    """
    items = [(int(x["referral_id"]), int(x["giver_id"]), x.get("reward_id")) for x in letters]
    at = models.now()
    w = models.Reward
    history: list[dict[str, Any]] = []
    marked = 0
    with db.atomic():
        templates.ensure_defaults()  # first use: the texts printed become the user's copies
        reward_ids = [int(r) for _ref, _giver, r in items if r is not None]
        pending: set[int] = set()
        for start in range(0, len(reward_ids), 500):  # SQLite's limit on parameters
            chunk = reward_ids[start : start + 500]
            pending.update(
                r
                for (r,) in models.rows(
                    w.select(w.id).where(w.id.in_(chunk) & (w.status == "pending"))
                )
            )
            w.update(status="given", given_at=at, updated_at=at).where(
                w.id.in_(chunk) & (w.status == "pending")
            ).execute()
        for referral_id, giver_id, reward_id in items:
            history.append(
                _history(
                    giver_id, "letter_printed", line("history.letter_printed"), referral_id, at
                )
            )
            if reward_id is not None and int(reward_id) in pending:
                pending.discard(int(reward_id))
                marked += 1
                given = line("history.reward_given", kind=term("reward", KIND))
                history.append(_history(giver_id, "reward_given", given, referral_id, at))
        for start in range(0, len(history), 100):
            models.Interaction.insert_many(history[start : start + 100]).execute()
    return marked


def _history(
    contact_id: int, kind: str, summary: Line, referral_id: int, at: dt.datetime
) -> dict[str, Any]:
    """One history line, as interactions.log writes it (in bulk here: one letter per page)."""
    return {
        "contact": contact_id,
        "kind": kind,
        "summary": summary.english(),
        "message": summary.stored(),
        "referral": referral_id,
        "happened_at": at,
    }
