"""What goes out by e-mail: thank-you letters, birthday greetings and vouchers, one item each.

An item is a plain dict: ``key`` (what it is, unique: ``letter:12``,
``birthday:7:2026-12-10``, ``voucher:31``), ``kind``, ``contact_id``, ``name``,
``email``, ``language``, ``subject`` and ``body`` (plain text, in the contact's
language, from the same templates the printed documents use), ``document`` (what
:mod:`crm.documents.mailing` draws as the PDF attachment) and ``skip`` (None, or
why it does not go: ``no_email``, ``no_consent``, ``already_sent``).

Consent works as for printing: one letter or card for someone without marketing
consent is refused; a batch lists them as skipped; ``allow_without_consent``
overrides both. Erased people are never in a batch. Each message handed to the
server (or written as a draft) is recorded with :func:`record_sent`: a history
line carrying the item's key, so running a batch again never sends it twice.
A thank-you letter sent gives its pending reward, as printing it does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crm.core import birthdays, letters, models, privacy, templates, vouchers
from crm.core.letter_words import long_date, money, salutation
from crm.core.rule_lines import line, term

db = models.database_proxy

KINDS = ("letter", "birthday", "voucher")
SKIPS = ("no_email", "no_consent", "already_sent")


def signed(body: str, sender: Mapping[str, Any]) -> str:
    """The body with the sender's name and company under it, as the printed letter ends."""
    names = [str(n) for n in (sender.get("name"), sender.get("company")) if n]
    return body.rstrip() + ("\n\n" + "\n".join(names) if names else "") + "\n"


def _emails(contact_ids: Iterable[int]) -> dict[int, str]:
    ids = list(dict.fromkeys(contact_ids))
    c = models.Contact
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on parameters
        query = c.select(c.id, c.email).where(c.id.in_(ids[start : start + 500]))
        out.update({int(cid): str(email or "") for cid, email in models.rows(query)})
    return out


def sent_keys(keys: Iterable[str]) -> set[str]:
    """Which of these message keys were already sent (or written as drafts)."""
    wanted = list(dict.fromkeys(keys))
    i = models.Interaction
    out: set[str] = set()
    for start in range(0, len(wanted), 500):
        query = i.select(i.message_key).where(i.message_key.in_(wanted[start : start + 500]))
        out.update(str(k) for (k,) in models.rows(query))
    return out


def _finish(items: list[dict[str, Any]], allow_without_consent: bool) -> list[dict[str, Any]]:
    """Fill in each item's address and why it is skipped (consent, address, sent before)."""
    emails = _emails(item["contact_id"] for item in items)
    status = privacy.consent_status(item["contact_id"] for item in items)
    done = sent_keys(item["key"] for item in items)
    kept = []
    for item in items:
        _name, consent, erased = status.get(item["contact_id"], ("", False, True))
        if erased:
            continue
        item["email"] = emails.get(item["contact_id"], "")
        if item["key"] in done:
            item["skip"] = "already_sent"
        elif not consent and not allow_without_consent:
            item["skip"] = "no_consent"
        elif not item["email"]:
            item["skip"] = "no_email"
        else:
            item["skip"] = None
        kept.append(item)
    return kept


def _item(kind: str, key: str, contact_id: int, name: str, language: str) -> dict[str, Any]:
    return {"key": key, "kind": kind, "contact_id": contact_id, "name": name,
            "language": language, "email": "", "skip": None}  # fmt: skip


# -- thank-you letters ------------------------------------------------------------------


def _letter_items(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    sender = data["sender"]
    out = []
    for letter in data["letters"]:
        item = _item("letter", f"letter:{letter['referral_id']}", int(letter["giver_id"]),
                     letter["giver_name"], letter["language"])  # fmt: skip
        item.update(
            subject=letter["subject"], body=signed(letter["body"], sender),
            document={"sender": sender, "letters": [letter]},
            referral_id=int(letter["referral_id"]), reward_id=letter["reward_id"],
        )  # fmt: skip
        out.append(item)
    return out


def letter_items(
    referral_id: int | None = None, *, allow_without_consent: bool = False
) -> list[dict[str, Any]]:
    """The pending thank-you letters (or one referral's) as e-mails.

    One letter for a giver without consent is refused, as printing it is.
    """
    if referral_id is not None:
        data = letters.letter_data(referral_id, allow_without_consent=allow_without_consent)
    else:
        data = letters.pending_data(allow_without_consent=True)
    return _finish(_letter_items(data), allow_without_consent)


# -- birthday greetings -----------------------------------------------------------------


def birthday_items(
    within: int | None = None,
    contact_id: int | None = None,
    *,
    allow_without_consent: bool = False,
) -> list[dict[str, Any]]:
    """The coming birthdays' greetings as e-mails (or one contact's, refused without consent)."""
    if contact_id is not None:
        people = [birthdays.person(contact_id)]
        if not allow_without_consent:
            privacy.require_consent([contact_id], "send")
    else:
        people = birthdays.coming(within)
    data = birthdays.cards(people, allow_without_consent=True)
    out = []
    for card in data["cards"]:
        item = _item("birthday", f"birthday:{card['contact_id']}:{card['date'].isoformat()}",
                     int(card["contact_id"]), card["name"], card["language"])  # fmt: skip
        item.update(
            subject=card["subject"], body=signed(card["body"], data["sender"]),
            document={"sender": data["sender"], "cards": [card]}, date=card["date"],
        )  # fmt: skip
        out.append(item)
    return _finish(out, allow_without_consent)


# -- vouchers -----------------------------------------------------------------------------


def voucher_items(
    batch: str, today: dt.date | None = None, *, allow_without_consent: bool = False
) -> list[dict[str, Any]]:
    """A batch's usable vouchers, each e-mailed to its holder to pass on to a friend."""
    usable = vouchers.printable(batch, today, allow_without_consent=True)
    sender = letters.sender()
    texts: dict[str, templates.TemplateText] = {}
    c = models.Contact
    families = dict(
        models.rows(c.select(c.id, c.family_name).where(c.id.in_([v["holder_id"] for v in usable])))
    )
    out = []
    for voucher in usable:
        lang = letters.letter_language(voucher.get("language"))
        if lang not in texts:
            texts[lang] = templates.get_template("voucher_email", lang)
        country = voucher.get("country") or ""
        given = voucher.get("holder_given_name") or ""
        fields = {
            "salutation": salutation(lang, given, families.get(voucher["holder_id"]) or ""),
            "holder_name": voucher["holder"],
            "holder_given_name": given or voucher["holder"],
            "value": money(voucher["value"], voucher["currency"], lang, country),
            "expires": long_date(models.as_date(voucher["expires"]), lang, country),
            "code": voucher["code"],
            "sender_name": sender["name"],
            "sender_company": sender["company"],
        }
        item = _item("voucher", f"voucher:{voucher['id']}", int(voucher["holder_id"]),
                     voucher["holder"], lang)  # fmt: skip
        item.update(
            subject=templates.merge(texts[lang].subject, fields),
            body=signed(templates.merge(texts[lang].body, fields), sender),
            document=voucher, voucher_id=int(voucher["id"]), code=voucher["code"],
        )  # fmt: skip
        out.append(item)
    return _finish(out, allow_without_consent)


# -- what was sent --------------------------------------------------------------------------


def record_sent(item: Mapping[str, Any], *, draft: bool = False) -> None:
    """Log one message sent (or written as a draft) in the contact's history, with its key.

    A thank-you letter gives its pending reward, as printing it does. Its own
    transaction: what was sent stays recorded if the batch stops later.
    """
    said = line(
        f"history.{'draft' if draft else 'mail'}.{item['kind']}",
        email=item["email"],
        subject=item["subject"],
    )
    at = models.now()
    with db.atomic():
        templates.ensure_defaults()  # first use: the texts sent become the user's copies
        models.Interaction.create(
            contact=item["contact_id"], kind="email_sent", happened_at=at,
            summary=said.english()[:2000], message=said.stored(),
            referral=item.get("referral_id"), voucher=item.get("voucher_id"),
            message_key=item["key"],
        )  # fmt: skip
        if item["kind"] == "birthday":
            _birthday_done(int(item["contact_id"]), item["date"])
        reward_id = item.get("reward_id")
        if item["kind"] == "letter" and reward_id is not None:
            w = models.Reward
            given = (
                w.update(status="given", given_at=at, updated_at=at)
                .where((w.id == reward_id) & (w.status == "pending"))
                .execute()
            )
            if given:
                thanks = line("history.reward_given", kind=term("reward", letters.KIND))
                models.Interaction.create(
                    contact=item["contact_id"], kind="reward_given", happened_at=at,
                    summary=thanks.english(), message=thanks.stored(),
                    referral=item.get("referral_id"),
                )  # fmt: skip


def _birthday_done(contact_id: int, day: dt.date) -> None:
    """The open birthday follow-up of that day: done, the greeting having gone."""
    from crm.core import followups

    f = models.FollowUp
    open_ones = f.select(f.id).where(
        (f.contact == contact_id) & (f.kind == "birthday") & (f.due == day) & f.done_at.is_null()
    )
    for (followup_id,) in models.rows(open_ones):
        followups.mark_done(int(followup_id))


def summary(items: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many would go, and how many are skipped for each reason."""
    out = {"to_send": sum(1 for i in items if i["skip"] is None)}
    for reason in SKIPS:
        out[reason] = sum(1 for i in items if i["skip"] == reason)
    return out


__all__ = ["KINDS", "birthday_items", "letter_items", "record_sent", "voucher_items"]
