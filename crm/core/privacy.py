"""A person's data under the GDPR: consent, and everything we hold on them.

**Consent.** ``Contact.marketing_consent`` with its ``consent_date`` decides
whether a thank-you letter or a gift voucher may go to someone. The letter
and voucher services ask :func:`require_consent` unless the user overrides it
for that one document (``allow_without_consent=True``, ``--without-consent``
on the command line).

**Access.** :func:`person_data` gathers every row about a person (contact
fields, emails, phones, tags, referrals given, received and passed on with
the other party's name, attendance with event titles, history, follow-ups,
rewards, vouchers held and redeemed, merges);
:func:`crm.interchange.person_export.export_person` writes it as JSON beside a
vCard.

Erasing a person (the right to erasure) is crm.core.erasure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from crm.core import models, streams
from crm.core.contacts import get_contact
from crm.core.db import read_snapshot
from crm.core.errors import ValidationError

db = models.database_proxy


def _name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


# -- consent ------------------------------------------------------------------------


def consent_status(contact_ids: Iterable[int]) -> dict[int, tuple[str, bool, bool]]:
    """Per contact: (name, has marketing consent, was erased), in a query per 500 ids."""
    ids = list(dict.fromkeys(contact_ids))
    c = models.Contact
    out: dict[int, tuple[str, bool, bool]] = {}
    for start in range(0, len(ids), 500):
        query = c.select(c.id, c.given_name, c.family_name, c.marketing_consent, c.erased_at).where(
            c.id.in_(ids[start : start + 500])
        )
        for cid, given, family, consent, erased in models.rows(query):
            out[int(cid)] = (_name(given, family), bool(consent), erased is not None)
    return out


def has_consent(contact_id: int) -> bool:
    """Whether the contact agreed to marketing (an erased person never has)."""
    status = consent_status([contact_id]).get(contact_id)
    return bool(status and status[1] and not status[2])


def without_consent(contact_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, name) of the given contacts that have no marketing consent, in the given order."""
    status = consent_status(contact_ids)
    return [
        (cid, status[cid][0])
        for cid in dict.fromkeys(contact_ids)
        if cid in status and (not status[cid][1] or status[cid][2])
    ]


def _named(people: Sequence[tuple[int, str]]) -> str:
    """ "No marketing consent from: Maria P. (#12), … and 3 more." """
    shown = ", ".join(f"{name} (#{cid})" for cid, name in people[:10])
    more = f" and {len(people) - 10} more" if len(people) > 10 else ""
    return f"No marketing consent from: {shown}{more}."


def consent_message(people: Sequence[tuple[int, str]], action: str = "print") -> str:
    """The refusal that names who has not agreed, with the command line's way out."""
    return f"{_named(people)} Record their consent or {action} with --without-consent."


class ConsentError(ValidationError):
    """A document refused because these people gave no marketing consent.

    ``who`` names them without the command line's advice, for the app to offer
    its own way out; ``people`` holds their (id, name).
    """

    def __init__(self, people: Sequence[tuple[int, str]], action: str) -> None:
        super().__init__(consent_message(people, action), "marketing_consent")
        self.people = list(people)
        self.who = _named(people)


def require_consent(contact_ids: Iterable[int], action: str = "print") -> None:
    """Refuse (ConsentError naming them) when any of these people has no consent."""
    missing = without_consent(contact_ids)
    if missing:
        raise ConsentError(missing, action)


# -- access: everything held on a person ----------------------------------------------


def _query(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = db.execute_sql(models.placeholders(sql), list(params))
    names = [d[0] for d in cursor.description]
    return [
        {n: models.plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()
    ]


def _other(alias: str) -> str:
    return f"trim(coalesce({alias}.given_name, '') || ' ' || coalesce({alias}.family_name, ''))"


_REFERRAL_COLUMNS = (
    "r.id, r.referred_on, r.status, r.status_changed_at, r.value, r.currency, r.program, "
    "r.temperature, r.is_primary, r.notes, e.title AS event"
)

# Everything held on a person besides the contact row: one query each, every
# ``?`` the person's id, in the order the export lists them.
_SECTIONS: dict[str, str] = {
    "emails": "SELECT address, label FROM email_address WHERE contact_id = ? ORDER BY position, id",
    "phones": "SELECT number, original AS as_written, label FROM phone_number "
    "WHERE contact_id = ? ORDER BY position, id",
    "ids_elsewhere": "SELECT uid FROM contact_uid WHERE contact_id = ? ORDER BY id",
    "tags": "SELECT t.name FROM tag t JOIN contact_tag ct ON ct.tag_id = t.id "
    "WHERE ct.contact_id = ? ORDER BY t.folded",
    "referrals_given": f"SELECT {_REFERRAL_COLUMNS}, r.referred_id, {_other('o')} AS referred "
    "FROM referral r JOIN contact o ON o.id = r.referred_id "
    "LEFT JOIN event e ON e.id = r.event_id WHERE r.giver_id = ? ORDER BY r.id",
    "referrals_received": f"SELECT {_REFERRAL_COLUMNS}, r.giver_id, {_other('o')} AS giver "
    "FROM referral r JOIN contact o ON o.id = r.giver_id "
    "LEFT JOIN event e ON e.id = r.event_id WHERE r.referred_id = ? ORDER BY r.id",
    "referrals_passed_to_them": f"SELECT {_REFERRAL_COLUMNS}, r.giver_id, {_other('g')} AS giver, "
    f"r.referred_id, {_other('o')} AS referred "
    "FROM referral r JOIN contact g ON g.id = r.giver_id "
    "JOIN contact o ON o.id = r.referred_id "
    "LEFT JOIN event e ON e.id = r.event_id WHERE r.receiver_id = ? ORDER BY r.id",
    "attendance": "SELECT a.event_id, e.title AS event, e.starts_at, e.venue, e.city, a.role, "
    "a.met_in_person FROM attendance a JOIN event e ON e.id = a.event_id "
    "WHERE a.contact_id = ? ORDER BY e.starts_at, a.id",
    "history": "SELECT happened_at AS at, kind, summary, referral_id, event_id, voucher_id "
    "FROM interaction WHERE contact_id = ? ORDER BY happened_at, id",
    "followups": "SELECT id, kind, title, notes, due, done_at, snoozed_until, referral_id, "
    "event_id FROM follow_up WHERE contact_id = ? ORDER BY due, id",
    "rewards": "SELECT id, referral_id, kind, amount, currency, points, status, given_at, notes, "
    "created_at FROM reward WHERE contact_id = ? ORDER BY id",
    "vouchers_held": "SELECT v.code, v.batch, v.value, v.currency, v.expires, v.status, "
    f"v.printed_at, v.redeemed_at, v.voided_at, v.redeemed_by_id, {_other('f')} AS redeemed_by "
    "FROM voucher v LEFT JOIN contact f ON f.id = v.redeemed_by_id "
    "WHERE v.holder_id = ? ORDER BY v.id",
    "vouchers_redeemed": "SELECT v.code, v.value, v.currency, v.redeemed_at, v.holder_id, "
    f"{_other('h')} AS holder FROM voucher v JOIN contact h ON h.id = v.holder_id "
    "WHERE v.redeemed_by_id = ? ORDER BY v.id",
    "merges": "SELECT id, kept_id, removed_id, merged_at, undone_at FROM merge_record "
    "WHERE kept_id = ? OR removed_id = ? ORDER BY id",
}
_FLAGS = {
    "referrals_given": "is_primary",
    "referrals_received": "is_primary",
    "referrals_passed_to_them": "is_primary",
    "attendance": "met_in_person",
}


def person_contact(contact_id: int) -> dict[str, Any]:
    """The person's contact row with their organization's name, JSON-ready."""
    get_contact(contact_id)
    (contact,) = _query(
        "SELECT c.*, o.name AS organization FROM contact c "
        "LEFT JOIN organization o ON o.id = c.organization_id WHERE c.id = ?",
        [contact_id],
    )
    for flag in ("marketing_consent", "archived"):
        contact[flag] = bool(contact[flag])
    return contact


_AS_IS = frozenset({str, int, float, bool, type(None)})


def section_rows(key: str, contact_id: int) -> Iterator[Any]:
    """One section of :data:`_SECTIONS` as JSON-ready rows (tags: names), as they are read.

    Read through a streaming cursor (crm.core.streams), so a person with a very long
    history is written without holding it; run it inside a transaction.
    """
    sql = _SECTIONS[key]
    flag = _FLAGS.get(key)
    plain = models.plain
    with streams.cursor(models.placeholders(sql), [contact_id] * sql.count("?")) as found:
        names = [d[0] for d in found.description]
        for row in found:
            values = dict(zip(names, row, strict=True))
            for n, v in values.items():
                if type(v) not in _AS_IS:  # dates and decimals (PostgreSQL) as JSON keeps them
                    values[n] = plain(v)
            if flag is not None:
                values[flag] = bool(values[flag])
            yield values["name"] if key == "tags" else values


def person_sections(contact_id: int) -> Iterator[tuple[str, Iterator[Any]]]:
    """(key, rows) of everything held on a person besides the contact row, in export order."""
    for key in _SECTIONS:
        yield key, section_rows(key, contact_id)


def person_data(contact_id: int) -> dict[str, Any]:
    """Everything the database holds on one person, as JSON-ready values."""
    with read_snapshot():
        contact = person_contact(contact_id)
        data: dict[str, Any] = {"exported_at": exported_at(), "contact": contact}
        for key, found in person_sections(contact_id):
            data[key] = list(found)
    return data


def exported_at() -> str:
    return models.now().isoformat(sep=" ")
