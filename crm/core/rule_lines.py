"""Lines the app writes itself: follow-up titles and history lines made by a rule.

They are stored as a code with parameters (``followup.message``,
``interaction.message``: compact JSON ``{"code": ..., "params": {...}}``) beside
an English rendering in ``title``/``summary`` (for search, exports and older
readers), and worded when shown, in the reader's language: the interface
language, the CLI's ``LANG``, or the briefing language of a printed briefing.

A parameter is data (a name, an event title, an e-mail subject: never
translated), or a nested line ``{"code": ..., "params": ...}`` worded with the
line (a term such as a referral status, or the follow-up title a history line
is about), or a list of those, joined as the reader's language joins a list
("city and stage", "πόλη και στάδιο"; the English in ``summary`` keeps commas).
In Arabic each data parameter is a bidi isolate. A code in ``PLURALS`` is worded
by its count, per the language's plural rule. A code this version does not
know, or a catalog entry that does not fit its parameters, falls back to the
stored text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm import i18n
from crm.i18n import N_
from crm.i18n_formats import FSI, PDI, amount_text, day_text, isolate, number_text


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for the catalog (``babel.cfg``: ``Nn_:1,2``)."""
    return singular, plural


# code -> the English template (the catalog's msgid). Never change a code or its
# parameters once released: rows in users' databases hold them.
CODES: dict[str, str] = {
    # Follow-up titles.
    "followup.referral": N_("Contact {referred}, referred by {giver}"),
    "followup.stay_in_touch": N_("Stay in touch: {name}"),
    "followup.stay_in_touch_plain": N_("Stay in touch"),
    "followup.after_event": N_("Follow up with {contact} after {event}"),
    "followup.birthday": N_("Birthday: {name}"),
    "followup.kind.call": N_("Call: {name}"),
    "followup.kind.email": N_("Email: {name}"),
    "followup.kind.meeting": N_("Meeting: {name}"),
    "followup.kind.thank_you": N_("Thank you: {name}"),
    "followup.kind.ask_referral": N_("Ask referral: {name}"),
    "followup.kind.campaign": N_("Campaign: {name}"),
    "followup.call": N_("Call {name}"),
    "followup.email": N_("Email {name}"),
    "followup.meeting": N_("Meeting with {name}"),
    "followup.ask_referral": N_("Ask {name} for a referral"),
    "followup.thank": N_("Thank {name}"),
    "followup.stay_in_touch_with": N_("Stay in touch with {name}"),
    "followup.campaign": N_("Issue the {period} batch of '{name}'"),
    # History lines.
    "history.contact_created": N_("Contact created"),
    "history.imported": N_("Imported"),
    "history.imported_from": N_("Imported from {source}"),
    "history.connected_linkedin": N_("Connected on LinkedIn"),
    "history.referred": N_("Referred {name}"),
    "history.referred_by": N_("Referred by {name}"),
    "history.referral_moved": N_("Referral of {name}: {old} → {new}"),
    "history.referral_won": N_("Referral of {name}: {old} → {new} ({value} {currency})"),
    "history.primary_referrer": N_("Primary referrer is now {name}"),
    "history.letter_printed": N_("Thank-you letter printed"),
    "history.card_printed": N_("Birthday card printed"),
    "history.reward_given": N_("Reward given: {kind}"),
    "history.reward_given_amount": N_("Reward given: {kind}, {amount} {currency}"),
    "history.mail.letter": N_("Thank-you letter sent by e-mail to {email}: {subject}"),
    "history.mail.birthday": N_("Birthday greeting sent by e-mail to {email}: {subject}"),
    "history.mail.voucher": N_("Voucher sent by e-mail to {email}: {subject}"),
    "history.draft.letter": N_(
        "Thank-you letter written as an e-mail draft for {email}: {subject}"
    ),
    "history.draft.birthday": N_(
        "Birthday greeting written as an e-mail draft for {email}: {subject}"
    ),
    "history.draft.voucher": N_("Voucher written as an e-mail draft for {email}: {subject}"),
    "history.followup_added": N_("{title} (due {due})"),
    "history.followup_snoozed": N_("{title}: snoozed until {day}"),
    "history.followup_rescheduled": N_("{title}: rescheduled to {day}"),
    "history.followup_assigned": N_("{title}: assigned to {who}"),
    "history.followup_unassigned": N_("{title}: no longer assigned"),
    "history.followup_changed": N_("{title}: changed {fields}"),
    "history.attended": N_("Attended {event}"),
    "history.attended_as": N_("{event} ({role})"),
    "history.met": N_("Met in person at {event}"),
    "history.not_met": N_("Not met in person at {event}"),
    "history.taken_off": N_("Taken off the list of {event}"),
    "history.erased": N_("Erased on request"),
    "history.voucher_issued": N_("Voucher {code} issued"),
    "history.voucher_issued_for": N_(
        "Voucher {code} issued: {amount} {currency}, batch {batch}, valid until {until}"
    ),
    "history.voucher_redeemed": N_("Voucher {code} redeemed by {name}"),
    "history.voucher_brought": N_("Brought voucher {code} from {name}"),
    "history.voucher_voided": N_("Voucher {code} voided"),
    "history.voucher_voided_why": N_("Voucher {code} voided: {why}"),
    "history.merged": N_("Merged with {name} (#{id})"),
    "history.merge_undone": N_("Undid the merge with {name} (#{id})"),
    "history.organization_merged": N_("Organization {other} merged into {kept}"),
    "history.asked": N_("Asked for referrals"),
    "history.asked_note": N_("Asked for referrals: {note}"),
    "history.asked_early": N_("Asked for referrals (inside the {days}-day cooldown)"),
    "history.asked_early_note": N_("Asked for referrals (inside the {days}-day cooldown): {note}"),
    "history.contact_changed": N_("Changed {fields}"),
    "history.referral_changed": N_("Referral from {name}: changed {fields}"),
    "history.imported_added": N_("Imported: added {fields}"),
    "history.imported_from_added": N_("Imported from {source}: added {fields}"),
    # Terms a line names (a status, a kind, a role, a field): nested in its params.
    "status.new": N_("New"),
    "status.contacted": N_("Contacted"),
    "status.meeting": N_("Meeting"),
    "status.proposal": N_("Proposal"),
    "status.won": N_("Won"),
    "status.lost": N_("Lost"),
    "reward.thank_you_letter": N_("Thank-you letter"),
    "reward.gift": N_("Gift"),
    "reward.discount": N_("Discount"),
    "reward.cash": N_("Cash"),
    "reward.points": N_("Points"),
    "reward.voucher": N_("Voucher"),
    "reward.donation": N_("Donation"),
    "role.member": N_("Member"),
    "role.visitor": N_("Visitor"),
    "role.host": N_("Host"),
    "role.speaker": N_("Speaker"),
    "field.kind": N_("kind"),
    "field.due": N_("due date"),
    "field.title": N_("title"),
    "field.notes": N_("notes"),
    "field.assigned_to": N_("assignee"),
    # A contact's fields, as "Changed …" and an import's "added …" name them.
    "contact_field.given_name": N_("given name"),
    "contact_field.family_name": N_("family name"),
    "contact_field.organization": N_("organization"),
    "contact_field.title": N_("job title"),
    "contact_field.emails": N_("e-mail addresses"),
    "contact_field.phones": N_("phone numbers"),
    "contact_field.street": N_("street"),
    "contact_field.city": N_("city"),
    "contact_field.postcode": N_("postcode"),
    "contact_field.region": N_("region"),
    "contact_field.country": N_("country"),
    "contact_field.language": N_("language"),
    "contact_field.birthday": N_("birthday"),
    "contact_field.channel": N_("channel"),
    "contact_field.stage": N_("stage"),
    "contact_field.marketing_consent": N_("marketing consent"),
    "contact_field.consent_date": N_("consent date"),
    "contact_field.notes": N_("notes"),
    "contact_field.tags": N_("tags"),
    "contact_field.stay_in_touch_days": N_("stay-in-touch cadence"),
    "contact_field.url": N_("website"),
    # A referral's details, as "Referral from …: changed …" names them.
    "referral_field.program": N_("program"),
    "referral_field.temperature": N_("temperature"),
    "referral_field.event": N_("event"),
    "referral_field.notes": N_("notes"),
}

# Lines worded by a count: code -> (singular, plural, the count's param). The singular
# is the code's template in CODES as well.
PLURALS: dict[str, tuple[str, str, str]] = {
    "history.reward_given_points": (
        *Nn_("Reward given: {kind}, {points} point", "Reward given: {kind}, {points} points"),
        "points",
    ),
    "history.points_redeemed": (
        *Nn_("{points} point redeemed", "{points} points redeemed"),
        "points",
    ),
    "history.points_redeemed_note": (
        *Nn_("{points} point redeemed: {note}", "{points} points redeemed: {note}"),
        "points",
    ),
}
CODES.update({code: singular for code, (singular, _plural, _n) in PLURALS.items()})

# Terms whose English rendering in ``title``/``summary`` is the code itself ("won"), as
# the app wrote them before lines had codes.
RAW_TERMS = ("status.", "reward.", "role.", "contact_field.", "referral_field.")


@dataclass(frozen=True)
class Line:
    """One line the app writes: its code and parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_param(self) -> dict[str, Any]:
        """The line nested in another's parameters."""
        if not self.params:
            return {"code": self.code}
        return {"code": self.code, "params": dict(self.params)}

    def stored(self) -> str:
        """What the ``message`` column holds."""
        return _dumps(self.as_param())

    def english(self) -> str:
        """The English text kept in ``title``/``summary``."""
        return _word(self.as_param(), _STORED)

    def text(self, language: str | None = None) -> str:
        """The line in ``language`` (the current language when None)."""
        return _word(self.as_param(), _words(language))


def line(code: str, /, **params: Any) -> Line:
    """A line with its parameters: strings and numbers (data) or nested :class:`Line`s."""
    if code not in CODES:
        raise KeyError(code)
    return Line(code, {k: _param(v) for k, v in params.items()})


def pair(code: str, /, **params: str) -> tuple[str, str]:
    """``(English, stored)`` of a line whose params are all plain text: what bulk writers
    (the demo) put in ``title``/``summary`` and ``message``, without building a Line."""
    if code in PLURALS:
        made = line(code, **params)
        return made.english(), made.stored()
    stored = {"code": code, "params": params} if params else {"code": code}
    return CODES[code].format(**params), _dumps(stored)


# One encoder for every line: json.dumps with options makes a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(message: Mapping[str, Any]) -> str:
    return _ENCODER.encode(message)


def term(kind: str, code: str) -> Line | str:
    """A term such as ``term("status", "won")``; a code with no term stays as it is."""
    key = f"{kind}.{code}"
    return Line(key) if key in CODES else code


def _param(value: Any) -> Any:
    if isinstance(value, Line):
        return value.as_param()
    if isinstance(value, list | tuple):
        return [_param(v) for v in value]
    return value


@dataclass(frozen=True)
class _Words:
    """How a line is worded: a catalog's gettext and ngettext, and its language."""

    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    language: str
    stored: bool = False  # the English kept in ``title``/``summary``


def _english_n(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_STORED = _Words(str, _english_n, "en", stored=True)


def _english_term(code: str) -> str | None:
    return code.split(".", 1)[1] if code.startswith(RAW_TERMS) else None


def _words(language: str | None) -> _Words:
    if language is None:
        return _Words(i18n._, i18n.ngettext, i18n.language())
    catalog = i18n.translations(language)
    return _Words(catalog.gettext, catalog.ngettext, i18n.normalize(language))


# Parameters that hold a day, an amount or a count, written in the reader's conventions
# ("6 Δεκ 2026", "1.200", "1 234"); the English text keeps them as stored.
DAY_PARAMS = ("due", "day", "until")
AMOUNT_PARAMS = ("value", "amount")
COUNT_PARAMS = ("points", "days")
# Terms are words of the line's own language: never isolated. Nor is an id after "#".
PLAIN_PARAMS = ("id",)


def _is_term(value: Any) -> bool:
    return isinstance(value, dict) and str(value.get("code", "")).startswith((*RAW_TERMS, "field."))


def _formatted(key: str, value: Any, words: _Words) -> str:
    if key in DAY_PARAMS:
        return day_text(value, words.language)
    if key in AMOUNT_PARAMS:
        return amount_text(value, words.language)
    if key in COUNT_PARAMS and isinstance(value, int | str) and str(value).isdigit():
        return number_text(int(value), words.language)
    return str(value)


@functools.lru_cache(maxsize=16)
def _list_pattern(language: str) -> Callable[[Sequence[str]], str]:
    """The language's way of joining a list ("a, b and c"; Arabic "a وb")."""
    from babel.lists import format_list  # first used by a line with a list

    return functools.partial(format_list, locale=language)


def _value(key: str, value: Any, words: _Words) -> str:
    """A parameter in words: as stored for the English text; else in the reader's words
    and conventions, isolated in a right-to-left line (terms and ids excepted)."""
    if isinstance(value, list):
        items = [_value(key, v, words) for v in value]
        if words.stored or len(items) < 2:
            return ", ".join(items)
        return _list_pattern(words.language)(items)
    if isinstance(value, dict):
        worded = _word(value, words)
        return worded if words.stored or _is_term(value) else isolate(worded, words.language)
    if words.stored:
        return str(value)
    text = _formatted(key, value, words)
    # A count or an id is digits alone: it keeps its place in either direction.
    return text if key in PLAIN_PARAMS or key in COUNT_PARAMS else isolate(text, words.language)


def _word(message: Mapping[str, Any], words: _Words) -> str:
    """A stored line in words; raises KeyError/ValueError/TypeError when it does not fit."""
    code = message["code"]
    template = CODES[code]
    if words.stored and (raw := _english_term(code)) is not None:
        return raw
    given = message.get("params") or {}
    params = {k: _value(k, v, words) for k, v in given.items()}
    if not words.stored and isolate("x", words.language) != "x":
        # An amount and its currency are one piece: "1,200 EUR", never "EUR 1,200".
        for amount in AMOUNT_PARAMS:
            if amount in params and "currency" in params:
                params[amount] = FSI + _formatted(amount, given[amount], words)
                params["currency"] = f"{given['currency']}{PDI}"
    if code in PLURALS:
        singular, plural, count = PLURALS[code]
        n = int(given[count])
        template = _english_n(singular, plural, n)
        wording = words.ngettext(singular, plural, n)
    else:
        wording = words.gettext(template)
    try:
        return wording.format(**params)
    except (KeyError, IndexError, ValueError):
        return template.format(**params)  # a catalog entry that does not fit: English


def parse(stored: str | None) -> dict[str, Any] | None:
    """The stored message as a dict (None for none, or for text that is not one)."""
    if not stored:
        return None
    try:
        message = json.loads(stored)
    except ValueError:
        return None
    return message if isinstance(message, dict) and "code" in message else None


def render(stored: str | None, fallback: str, language: str | None = None) -> str:
    """The line to show: ``stored`` (a ``message`` column) worded in ``language`` (the
    current language when None), or ``fallback`` (the stored title or summary) when
    there is no message, or one this version cannot word."""
    message = parse(stored)
    if message is None:
        return fallback
    try:
        return _word(message, _words(language))
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return fallback


def stored_line(stored: str | None, text: str) -> Line | str:
    """A stored message as a :class:`Line` to write again or nest (``text`` when none)."""
    message = parse(stored)
    if message is None:
        return text
    try:
        made = Line(message["code"], dict(message.get("params") or {}))
        made.english()  # a code (or a nested one) this version does not know: the text
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text
    return made


def title_of(item: Any) -> Line | str:
    """A follow-up's title as a history line names it: its code, or the text typed."""
    return stored_line(item.message, item.title)


def shown_title(item: Any) -> str:
    """A follow-up's title in the current language."""
    return render(item.message, item.title)


def shown_summary(item: Any) -> str:
    """A history line's summary in the current language."""
    return render(item.message, item.summary)
