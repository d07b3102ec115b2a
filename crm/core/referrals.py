"""Referrals: who referred whom, the primary-referrer forest and the status pipeline.

The rules a referral must pass live in :mod:`crm.core.referral_rules`, what it does
to contacts, follow-ups, history and rewards in :mod:`crm.core.referral_effects`,
and the table queries in :mod:`crm.core.referral_table` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from crm.core import interactions, models
from crm.core import referral_effects as effects
from crm.core import referral_rules as rules
from crm.core.contacts import get_contact
from crm.core.errors import NotFoundError, ValidationError
from crm.core.referral_rules import parse_value as parse_value
from crm.core.referral_rules import shared_identity as shared_identity
from crm.core.referral_table import ORDERS as ORDERS
from crm.core.referral_table import PERIODS as PERIODS
from crm.core.referral_table import ROW_COLUMNS as ROW_COLUMNS
from crm.core.referral_table import event_choices as event_choices
from crm.core.referral_table import in_period as in_period
from crm.core.referral_table import period_range as period_range
from crm.core.referral_table import pipeline_totals as pipeline_totals
from crm.core.referral_table import query_ids as query_ids
from crm.core.referral_table import rows_for_ids as rows_for_ids
from crm.core.rule_lines import line

db = models.database_proxy


def get_referral(referral_id: int) -> models.Referral:
    ref = models.Referral.get_or_none(models.Referral.id == referral_id)
    if ref is None:
        raise NotFoundError(code="referrals.referral_not_found", referral_id=referral_id)
    return ref


def record_referral(
    giver_id: int,
    referred_id: int,
    *,
    receiver_id: int | None = None,
    event_id: int | None = None,
    program: str = "direct",
    temperature: int = 3,
    status: str = "new",
    value: str | float | Decimal | None = None,
    currency: str | None = None,
    referred_on: dt.date | None = None,
    notes: str = "",
) -> models.Referral:
    """Record that ``giver`` referred ``referred``.

    The first referral a contact receives makes its giver the primary
    referrer. Self-referrals and referrals that would close a cycle in the
    primary-referrer forest are refused. A giver and referred who share an
    email or phone are flagged, not refused.
    """
    fields = rules.new_referral_fields(program, temperature, status, value, currency, referred_on)
    with db.atomic():
        # One writer of the forest at a time: A→B and B→A at once must not both pass.
        rules.serialise_forest()
        giver, referred = get_contact(giver_id), get_contact(referred_id)
        rules.check_not_self(giver, referred)
        receiver = None
        if receiver_id is not None:
            receiver = get_contact(receiver_id)
            rules.check_receiver(receiver, giver, referred)
        event = rules.get_event(event_id)
        rules.check_not_recorded(giver, referred)
        primary = not rules.has_primary(referred.id)
        if primary:
            rules.check_no_cycle(giver, referred, "referrer")
        ref = models.Referral.create(
            giver=giver,
            referred=referred,
            receiver=receiver,
            event=event,
            program=fields.program,
            temperature=fields.temperature,
            status=fields.status,
            value=fields.amount,
            currency=fields.currency,
            referred_on=fields.referred_on,
            is_primary=primary,
            suspicion=rules.shared_identity(giver, referred),
            notes=notes,
        )
        _recorded(ref, giver, referred, primary=primary, event_id=event_id)
    return ref


def _recorded(
    ref: models.Referral,
    giver: models.Contact,
    referred: models.Contact,
    *,
    primary: bool,
    event_id: int | None,
) -> None:
    """The side effects of a new referral, in the order they have always run."""
    effects.status_reached(ref, None, referred)
    if primary:
        effects.first_referral(referred)
    effects.log_recorded(ref, giver, referred, event_id)
    if ref.status == "new":
        effects.open_followup(ref, giver, referred, ref.referred_on)
    effects.reward(ref, received=True)


def change_status(
    referral_id: int,
    status: str,
    *,
    value: str | float | Decimal | None = None,
    currency: str | None = None,
    reopen: bool = False,
) -> models.Referral:
    """Move a referral along new → contacted → meeting → proposal → won / lost.

    Moves go forward (steps may be skipped; lost is reachable from any open
    step). A closed referral moves again only when ``reopen`` is set. Won
    needs the value of the business.
    """
    rules.check_status(status)
    amount = rules.parse_value(value)
    with db.atomic():
        ref = get_referral(referral_id)
        rules.check_move(ref, status, amount, reopen)
        old = ref.status
        if status == "won":
            if amount is not None:
                ref.value = amount
            if currency:
                ref.currency = rules.currency_code(currency)
        elif old == "won":
            ref.value = None
        ref.status = status
        ref.status_changed_at = models.now()
        ref.save()
        referred = ref.referred
        effects.status_reached(ref, old, referred)
        if old == "new":
            effects.close_followup(ref)
        effects.log_move(ref, referred, old)
        effects.reward(ref, received=False)
    return ref


def set_primary(referral_id: int) -> models.Referral:
    """Make this referral's giver the primary referrer of its referred contact."""
    with db.atomic():
        rules.serialise_forest()
        ref = get_referral(referral_id)
        if ref.is_primary:
            raise ValidationError(code="referrals.already_primary", ref_id=ref.id)
        rules.check_no_cycle(ref.giver, ref.referred, "primary")
        models.Referral.update(is_primary=False).where(
            (models.Referral.referred == ref.referred_id) & models.Referral.is_primary
        ).execute()
        ref.is_primary = True
        ref.save()
        interactions.log(
            ref.referred_id,
            "updated",
            line("history.primary_referrer", name=ref.giver.display_name),
            referral_id=ref.id,
        )
    return ref


def to_dict(ref: models.Referral) -> dict[str, Any]:
    return {
        "id": ref.id,
        "giver_id": ref.giver_id,
        "giver": ref.giver.display_name,
        "referred_id": ref.referred_id,
        "referred": ref.referred.display_name,
        "receiver_id": ref.receiver_id,
        "event_id": ref.event_id,
        "referred_on": ref.referred_on.isoformat(),
        "program": ref.program,
        "temperature": ref.temperature,
        "status": ref.status,
        "status_changed_at": ref.status_changed_at.isoformat(sep=" "),
        "value": float(ref.value) if ref.value is not None else None,
        "currency": ref.currency,
        "is_primary": ref.is_primary,
        "suspicion": ref.suspicion,
        "created_by": ref.created_by,
        "version": ref.version,
        "changed_by": ref.changed_by,
        "changed_at": models.plain(ref.changed_at),
    }


def status_history(referral_id: int) -> list[tuple[str | None, str, dt.datetime]]:
    s = models.ReferralStatusChange
    query = s.select(s.from_status, s.to_status, s.changed_at)
    query = query.where(s.referral == referral_id).order_by(s.id)
    return [(old, new, at) for old, new, at in models.rows(query)]


def record_referral_with_new_contact(
    giver_id: int, data: Any, **options: Any
) -> tuple[models.Contact, models.Referral]:
    """Create the referred person and record the referral in one transaction.

    ``data`` is a :class:`crm.core.contacts.ContactData`; ``options`` are those of
    :func:`record_referral`. When the referral is refused the new contact is
    rolled back with it: nothing is left behind.
    """
    from crm.core.contacts import create_contact

    with db.atomic():
        contact = create_contact(data)
        ref = record_referral(giver_id, contact.id, **options)
    return contact, ref


def any_recorded() -> bool:
    """Whether any referral has been recorded yet (pages show their empty state if not)."""
    return bool(models.Referral.select(models.Referral.id).exists())
