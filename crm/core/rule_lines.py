"""Lines the app writes itself: follow-up titles and history lines made by a rule.

They are stored as a code with parameters (``followup.message``,
``interaction.message``: compact JSON ``{"code": ..., "params": {...}}``) beside
an English rendering in ``title``/``summary`` (for search, exports and older
readers), and worded when shown, in the reader's language: the interface
language, the CLI's ``LANG``, or the briefing language of a printed briefing.

A parameter is data (a name, an event title, an e-mail subject: never
translated), or a nested line ``{"code": ..., "params": ...}`` worded with the
line (a term such as a referral status, or the follow-up title a history line
is about), or a list of those, joined with commas. A code this version does
not know, or a catalog entry that does not fit its parameters, falls back to
the stored text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crm import i18n
from crm.i18n import N_
from crm.i18n_formats import FSI, PDI, amount_text, day_text, isolate, number_text

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
    "history.reward_given_points": N_("Reward given: {kind}, {points} points"),
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
}

# Terms whose English rendering in ``title``/``summary`` is the code itself ("won"), as
# the app wrote them before lines had codes.
RAW_TERMS = ("status.", "reward.", "role.")


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
        return _word(self.as_param(), _english)

    def text(self, language: str | None = None) -> str:
        """The line in ``language`` (the current language when None)."""
        return _word(self.as_param(), _reader(language))


def line(code: str, /, **params: Any) -> Line:
    """A line with its parameters: strings and numbers (data) or nested :class:`Line`s."""
    if code not in CODES:
        raise KeyError(code)
    return Line(code, {k: _param(v) for k, v in params.items()})


def pair(code: str, /, **params: str) -> tuple[str, str]:
    """``(English, stored)`` of a line whose params are all plain text: what bulk writers
    (the demo) put in ``title``/``summary`` and ``message``, without building a Line."""
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


def _english(text: str) -> str:
    return text


def _english_term(code: str) -> str | None:
    return code.split(".", 1)[1] if code.startswith(RAW_TERMS) else None


@dataclass(frozen=True)
class _Reader:
    """The language a line is worded in: its catalog and its conventions."""

    language: str
    gettext: Callable[[str], str]
    pgettext: Callable[[str, str], str]


def _reader(language: str | None) -> _Reader:
    if language is None:
        return _Reader(i18n.language(), i18n._, i18n.pgettext)
    catalog = i18n.translations(language)
    return _Reader(i18n.normalize(language), catalog.gettext, catalog.pgettext)


# Parameters that hold a day, an amount or a count, written in the reader's conventions
# ("6 Δεκ 2026", "1.200", "1 234"); the English text keeps them as stored.
DAY_PARAMS = ("due", "day", "until")
AMOUNT_PARAMS = ("value", "amount")
COUNT_PARAMS = ("points", "days")
# Terms are words of the line's own language: never isolated. Nor is an id after "#".
PLAIN_PARAMS = ("id",)


def _is_term(value: Any) -> bool:
    return isinstance(value, dict) and str(value.get("code", "")).startswith((*RAW_TERMS, "field."))


def _formatted(key: str, value: Any, reader: _Reader) -> str:
    if key in DAY_PARAMS:
        return day_text(value, reader.language)
    if key in AMOUNT_PARAMS:
        return amount_text(value, reader.language)
    if key in COUNT_PARAMS and isinstance(value, int | str) and str(value).isdigit():
        return number_text(int(value), reader.language)
    return str(value)


def _shown(key: str, value: Any, reader: _Reader) -> str:
    """A parameter in the reader's words and conventions, isolated in a right-to-left line."""
    if isinstance(value, list):
        separator = reader.pgettext("list separator", ", ")
        return separator.join(_shown(key, v, reader) for v in value)
    if isinstance(value, dict):
        worded = _word(value, reader)
        return worded if _is_term(value) else isolate(worded, reader.language)
    text = _formatted(key, value, reader)
    return text if key in PLAIN_PARAMS else isolate(text, reader.language)


def _value(value: Any, translate: Callable[[str], str]) -> str:
    if isinstance(value, dict):
        return _word(value, translate)
    if isinstance(value, list):
        return ", ".join(_value(v, translate) for v in value)
    return str(value)


def _word(message: Mapping[str, Any], translate: Callable[[str], str] | _Reader) -> str:
    """A stored line in words; raises KeyError/ValueError/TypeError when it does not fit."""
    code = message["code"]
    template = CODES[code]
    raw = message.get("params") or {}
    if not isinstance(translate, _Reader):  # English, as stored in title/summary
        if (term_text := _english_term(code)) is not None:
            return term_text
        return template.format(**{k: _value(v, translate) for k, v in raw.items()})
    reader = translate
    params = {k: _shown(k, v, reader) for k, v in raw.items()}
    if isolate("x", reader.language) != "x":
        # An amount and its currency are one piece: "1,200 EUR", never "EUR 1,200".
        for amount in AMOUNT_PARAMS:
            if amount in params and "currency" in params:
                params[amount] = FSI + _formatted(amount, raw[amount], reader)
                params["currency"] = f"{raw['currency']}{PDI}"
    try:
        return reader.gettext(template).format(**params)
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
        return _word(message, _reader(language))
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
