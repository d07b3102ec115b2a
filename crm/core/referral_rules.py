"""The rules a referral must pass: its fields, its status moves and the primary-referrer forest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm.core import chain, clock, models, settings, vocabulary
from crm.core.amounts import parse_amount
from crm.core.db import serialise
from crm.core.errors import NotFoundError, ValidationError
from crm.i18n import N_, Term

# -- fields ----------------------------------------------------------------------


def parse_value(value: str | float | Decimal | None, what: str = N_("Value")) -> Decimal | None:
    """A money amount typed in the user's language (``1,200.50``; ``1.200,50`` in Italian),
    checked and rounded to cents; ``None`` for none."""
    if value is None or value == "":
        return None
    try:
        amount = parse_amount(value, what=what)
    except ValidationError as exc:
        raise exc.with_field("value") from None
    if not amount.is_finite():
        raise ValidationError(
            code="amounts.not_a_number", field="value", what=Term(what), text=value
        )
    if amount < 0:
        raise ValidationError(
            code="amounts.negative", field="value", what=Term(what), amount=amount
        )
    if amount >= Decimal("1e12"):
        raise ValidationError(
            code="amounts.too_large", field="value", what=Term(what), amount=amount
        )
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def currency_code(code: str | None) -> str:
    """``code`` (or the profile's currency) as a checked three-letter ISO code."""
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if len(text) != 3 or not text.isalpha() or not text.isascii():
        raise ValidationError(
            code="referral_rules.currency_three_letter_iso", field="currency", code_text=code
        )
    return text


def check_status(status: str) -> None:
    if status not in models.REFERRAL_STATUSES:
        raise ValidationError(
            code="referral_rules.unknown_status",
            field="status",
            referral_statuses=", ".join(models.REFERRAL_STATUSES),
            status=status,
        )


def check_value_fits_status(status: str, amount: Decimal | None) -> None:
    """Only a won referral carries the value of the business."""
    if amount is not None and status != "won":
        raise ValidationError(code="referral_rules.value_recorded_when_referral", field="value")


@dataclass(frozen=True)
class Fields:
    """The checked fields of a new referral."""

    program: str
    temperature: int
    status: str
    amount: Decimal | None
    currency: str
    referred_on: dt.date


def new_referral_fields(
    program: str,
    temperature: int,
    status: str,
    value: str | float | Decimal | None,
    currency: str | None,
    referred_on: dt.date | None,
) -> Fields:
    """The fields of a new referral, checked in the order a user reads them."""
    if program not in models.PROGRAMS:
        raise ValidationError(
            code="referral_rules.unknown_program",
            field="program",
            programs=", ".join(models.PROGRAMS),
            program=program,
        )
    check_status(status)
    # bool is an int subclass; True is not a temperature.
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, int)
        or not 1 <= temperature <= 5
    ):
        raise ValidationError(
            code="referral_rules.temperature_1_5", field="temperature", temperature=temperature
        )
    amount = parse_value(value)
    check_value_fits_status(status, amount)
    if status == "won" and amount is None:
        raise ValidationError(code="referral_rules.won_referral_needs_value", field="value")
    money = currency_code(currency)
    day = referred_on or clock.today()
    if day > clock.today():
        raise ValidationError(
            code="referral_rules.referral_date_future", field="referred_on", day=day.isoformat()
        )
    return Fields(program, temperature, status, amount, money, day)


# -- status moves ----------------------------------------------------------------


def check_move(ref: models.Referral, status: str, amount: Decimal | None, reopen: bool) -> None:
    """A move goes forward (lost from any open step); a closed referral moves only reopened."""
    old, order = ref.status, models.REFERRAL_STATUSES
    if status == old:
        raise ValidationError(
            code="referral_rules.referral_already",
            field="status",
            ref_id=ref.id,
            status=vocabulary.referral_status_word(status),
        )
    if old in models.CLOSED_STATUSES and not reopen:
        raise ValidationError(
            code="referral_rules.referral_closed_reopen_move",
            field="status",
            ref_id=ref.id,
            old=vocabulary.referral_status_word(old),
            status=vocabulary.referral_status_word(status),
        )
    if not reopen and status in models.OPEN_STATUSES and order.index(status) < order.index(old):
        raise ValidationError(
            code="referral_rules.referral_cannot_move_back",
            field="status",
            ref_id=ref.id,
            old=vocabulary.referral_status_word(old),
            status=vocabulary.referral_status_word(status),
        )
    check_value_fits_status(status, amount)
    if status == "won" and amount is None and ref.value is None:
        raise ValidationError(
            code="referral_rules.referral_won_give_value", field="value", ref_id=ref.id
        )


# -- the people and the primary-referrer forest ----------------------------------


def check_not_self(giver: models.Contact, referred: models.Contact) -> None:
    if giver.id == referred.id:
        raise ValidationError(
            code="referral_rules.cannot_refer_themselves",
            field="referred",
            giver_display_name=giver.display_name,
        )


def check_receiver(
    receiver: models.Contact, giver: models.Contact, referred: models.Contact
) -> None:
    """An outside referral is passed to a third person."""
    if receiver.id in (giver.id, referred.id):
        raise ValidationError(code="referral_rules.referral_passed_someone_other", field="receiver")


def get_event(event_id: int | None) -> models.Event | None:
    if event_id is None:
        return None
    event = models.Event.get_or_none(models.Event.id == event_id)
    if event is None:
        raise NotFoundError(code="referral_rules.event_not_found", event_id=event_id)
    return event


def check_not_recorded(giver: models.Contact, referred: models.Contact) -> None:
    """One referral per giver and referred."""
    r = models.Referral
    existing = r.select().where((r.giver == giver.id) & (r.referred == referred.id)).first()
    if existing is not None:
        raise ValidationError(
            code="referral_rules.already_referred_referral",
            giver_display_name=giver.display_name,
            referred_display_name=referred.display_name,
            existing_referred_on=existing.referred_on.isoformat(),
            existing_id=existing.id,
        )


def has_primary(referred_id: int) -> bool:
    r = models.Referral
    return bool(r.select().where((r.referred == referred_id) & r.is_primary).exists())


# The key that serialises changes to the primary-referrer forest (crm.core.db.serialise).
FOREST_LOCK = "referral-forest"


def serialise_forest() -> None:
    """One writer of the primary-referrer forest at a time, until this transaction ends.

    Two colleagues recording A→B and B→A at once must not both find no cycle.
    """
    serialise(FOREST_LOCK)


def cycle_path(giver: models.Contact, referred: models.Contact) -> str | None:
    """The names along the cycle that ``giver`` → ``referred`` would close, if any."""
    above = chain.ancestors(giver.id)
    ids = [a.id for a in above]
    if referred.id not in ids:
        return None
    # referred is above giver: referred → ... → giver, then the new edge back.
    path = [a.name for a in reversed(above[: ids.index(referred.id) + 1])]
    return " → ".join([*path, giver.display_name, referred.display_name])


def check_no_cycle(giver: models.Contact, referred: models.Contact, role: str) -> None:
    """Refuse a primary edge ``giver`` → ``referred`` that would close a cycle (``role``:
    "referrer" or "primary", as the message words it)."""
    cycle = cycle_path(giver, referred)
    if cycle:
        raise ValidationError(
            code="referral_rules.cannot_would_make_cycle",
            field="giver",
            giver_display_name=giver.display_name,
            role=vocabulary.REFERRER_ROLE_WORDS[role],
            referred_display_name=referred.display_name,
            cycle=cycle,
        )


def shared_identity(a: models.Contact, b: models.Contact) -> str:
    """Why two contacts might be one person ("" when nothing is shared)."""
    e, p = models.ContactEmail, models.ContactPhone
    emails_a = {r[0].lower() for r in models.rows(e.select(e.address).where(e.contact == a.id))}
    for (address,) in models.rows(e.select(e.address).where(e.contact == b.id)):
        if address.lower() in emails_a:
            return f"giver and referred share the email {address}"
    phones_a = {r[0] for r in models.rows(p.select(p.number).where(p.contact == a.id))}
    for (number,) in models.rows(p.select(p.number).where(p.contact == b.id)):
        if number in phones_a:
            return f"giver and referred share the phone {number}"
    return ""
