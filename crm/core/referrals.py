"""Referrals: who referred whom, the primary-referrer forest and the status pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import chain, clock, interactions, models, reward_policy, settings
from crm.core.contacts import get_contact
from crm.core.errors import NotFoundError, ValidationError

db = models.database_proxy


def parse_value(value: str | float | Decimal | None) -> Decimal | None:
    """A money amount (``1200``, ``1200.50``, ``1,200.50``), checked; ``None`` for none."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"Value '{value}' is not an amount of money", "value") from None
    if not amount.is_finite():
        raise ValidationError(f"Value '{value}' is not an amount of money", "value")
    if amount < 0:
        raise ValidationError(f"Value {amount} is negative", "value")
    if amount >= Decimal("1e12"):
        raise ValidationError(f"Value {amount} is too large", "value")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _currency(code: str | None) -> str:
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if len(text) != 3 or not text.isalpha() or not text.isascii():
        raise ValidationError(f"Currency '{code}' is not a three-letter ISO code", "currency")
    return text


def in_period(query: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
    """``query`` limited to referrals received between the two days (either may be open)."""
    r = models.Referral
    if date_from is not None:
        query = query.where(r.referred_on >= date_from)
    if date_to is not None:
        query = query.where(r.referred_on <= date_to)
    return query


def get_referral(referral_id: int) -> models.Referral:
    ref = models.Referral.get_or_none(models.Referral.id == referral_id)
    if ref is None:
        raise NotFoundError(f"No referral with id {referral_id}")
    return ref


def _cycle_path(giver: models.Contact, referred: models.Contact) -> str | None:
    """The names along the cycle that ``giver`` → ``referred`` would close, if any."""
    above = chain.ancestors(giver.id)
    ids = [a.id for a in above]
    if referred.id not in ids:
        return None
    # referred is above giver: referred → ... → giver, then the new edge back.
    path = [a.name for a in reversed(above[: ids.index(referred.id) + 1])]
    return " → ".join([*path, giver.display_name, referred.display_name])


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


def _won(referred: models.Contact) -> None:
    """Business won from a prospect or lead makes them a customer."""
    if referred.stage in ("prospect", "lead"):
        referred.stage = "customer"
        referred.save()


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
    if program not in models.PROGRAMS:
        raise ValidationError(
            f"Program must be one of {', '.join(models.PROGRAMS)}, not '{program}'", "program"
        )
    if status not in models.REFERRAL_STATUSES:
        raise ValidationError(
            f"Status must be one of {', '.join(models.REFERRAL_STATUSES)}, not '{status}'", "status"
        )
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, int)
        or not 1 <= temperature <= 5
    ):
        raise ValidationError(f"Temperature must be 1 to 5, not {temperature}", "temperature")
    amount = parse_value(value)
    if amount is not None and status != "won":
        raise ValidationError("A value is recorded when the referral is won", "value")
    if status == "won" and amount is None:
        raise ValidationError("A won referral needs the value of the business won", "value")
    money = _currency(currency)
    day = referred_on or clock.today()
    if day > clock.today():
        raise ValidationError(
            f"The referral date {day.isoformat()} is in the future", "referred_on"
        )

    with db.atomic():
        giver = get_contact(giver_id)
        referred = get_contact(referred_id)
        if giver.id == referred.id:
            raise ValidationError(f"{giver.display_name} cannot refer themselves", "referred")
        receiver = None
        if receiver_id is not None:
            receiver = get_contact(receiver_id)
            if receiver.id in (giver.id, referred.id):
                raise ValidationError(
                    "The referral is passed to someone other than the giver and the referred",
                    "receiver",
                )
        event = None
        if event_id is not None:
            event = models.Event.get_or_none(models.Event.id == event_id)
            if event is None:
                raise NotFoundError(f"No event with id {event_id}")
        existing = (
            models.Referral.select()
            .where((models.Referral.giver == giver.id) & (models.Referral.referred == referred.id))
            .first()
        )
        if existing is not None:
            raise ValidationError(
                f"{giver.display_name} already referred {referred.display_name} "
                f"on {existing.referred_on.isoformat()} (referral {existing.id})"
            )
        has_primary = (
            models.Referral.select()
            .where((models.Referral.referred == referred.id) & models.Referral.is_primary)
            .exists()
        )
        if not has_primary:
            cycle = _cycle_path(giver, referred)
            if cycle:
                raise ValidationError(
                    f"{giver.display_name} cannot be the referrer of {referred.display_name}: "
                    f"that would make a cycle ({cycle})",
                    "giver",
                )
        ref = models.Referral.create(
            giver=giver,
            referred=referred,
            receiver=receiver,
            event=event,
            program=program,
            temperature=temperature,
            status=status,
            value=amount,
            currency=money,
            referred_on=day,
            is_primary=not has_primary,
            suspicion=shared_identity(giver, referred),
            notes=notes,
        )
        models.ReferralStatusChange.create(referral=ref, from_status=None, to_status=status)
        if not has_primary and referred.channel == "other":
            referred.channel = "referral"
            referred.save()
        if status == "won":
            _won(referred)
        interactions.log(
            giver.id,
            "referral_given",
            f"Referred {referred.display_name}",
            referral_id=ref.id,
            event_id=event_id,
        )
        interactions.log(
            referred.id,
            "referral_received",
            f"Referred by {giver.display_name}",
            referral_id=ref.id,
            event_id=event_id,
        )
        if status == "new":
            days = int(settings.get("followup_new_referral_days"))
            models.FollowUp.create(
                contact=referred,
                referral=ref,
                kind="call",
                title=f"Contact {referred.display_name}, referred by {giver.display_name}",
                due=day + dt.timedelta(days=days),
                rule="referral",
            )
        # The reward policy: a reward for the referral received, or (created won) for it won.
        reward_policy.apply_policy(ref.id, "received")
        if status == "won":
            reward_policy.apply_policy(ref.id, "won")
    return ref


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
    if status not in models.REFERRAL_STATUSES:
        raise ValidationError(
            f"Status must be one of {', '.join(models.REFERRAL_STATUSES)}, not '{status}'", "status"
        )
    amount = parse_value(value)
    with db.atomic():
        ref = get_referral(referral_id)
        old = ref.status
        if status == old:
            raise ValidationError(f"Referral {ref.id} is already {status}", "status")
        order = models.REFERRAL_STATUSES
        if old in models.CLOSED_STATUSES and not reopen:
            raise ValidationError(
                f"Referral {ref.id} is closed as {old}; reopen it to move it to {status}", "status"
            )
        if not reopen and status in models.OPEN_STATUSES and order.index(status) < order.index(old):
            raise ValidationError(
                f"Referral {ref.id} cannot move back from {old} to {status}", "status"
            )
        if amount is not None and status != "won":
            raise ValidationError("A value is recorded when the referral is won", "value")
        if status == "won":
            if amount is None and ref.value is None:
                raise ValidationError(
                    f"Referral {ref.id} is won: give the value of the business won", "value"
                )
            if amount is not None:
                ref.value = amount
            if currency:
                ref.currency = _currency(currency)
        elif old == "won":
            ref.value = None
        ref.status = status
        ref.status_changed_at = models.now()
        ref.save()
        models.ReferralStatusChange.create(referral=ref, from_status=old, to_status=status)
        referred = ref.referred
        if status == "won":
            _won(referred)
        if old == "new":
            # The "contact within N days" reminder has done its job.
            models.FollowUp.update(done_at=models.now()).where(
                (models.FollowUp.referral == ref.id)
                & (models.FollowUp.rule == "referral")
                & models.FollowUp.done_at.is_null()
            ).execute()
        money = f" ({ref.value} {ref.currency})" if status == "won" else ""
        interactions.log(
            ref.giver_id,
            "referral_status",
            f"Referral of {referred.display_name}: {old} → {status}{money}",
            referral_id=ref.id,
        )
        if status == "won":
            reward_policy.apply_policy(ref.id, "won")
    return ref


def set_primary(referral_id: int) -> models.Referral:
    """Make this referral's giver the primary referrer of its referred contact."""
    with db.atomic():
        ref = get_referral(referral_id)
        if ref.is_primary:
            raise ValidationError(f"Referral {ref.id} is already the primary one")
        cycle = _cycle_path(ref.giver, ref.referred)
        if cycle:
            raise ValidationError(
                f"{ref.giver.display_name} cannot be the primary referrer of "
                f"{ref.referred.display_name}: that would make a cycle ({cycle})",
                "giver",
            )
        models.Referral.update(is_primary=False).where(
            (models.Referral.referred == ref.referred_id) & models.Referral.is_primary
        ).execute()
        ref.is_primary = True
        ref.save()
        interactions.log(
            ref.referred_id,
            "updated",
            f"Primary referrer is now {ref.giver.display_name}",
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


# -- the referrals table: filters, ordering, pages -------------------------------

# Columns of a table page, in this order, as plain tuples (see rows_for_ids).
ROW_COLUMNS = (
    "id",
    "giver_id",
    "giver",
    "referred_id",
    "referred",
    "referred_on",
    "program",
    "temperature",
    "status",
    "value",
    "currency",
    "event_id",
    "event",
    "is_primary",
    "suspicion",
)
ORDERS = ("giver", "referred", "date", "program", "temperature", "status", "value", "event")
PERIODS = ("all", "month", "quarter", "year")


def period_range(
    period: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of this month, quarter or year (``(None, None)`` for all)."""
    day = today or clock.today()
    if period == "all":
        return None, None
    if period == "month":
        start = day.replace(day=1)
        months = 1
    elif period == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif period == "year":
        start = day.replace(month=1, day=1)
        months = 12
    else:
        raise ValidationError(
            f"Period must be one of {', '.join(PERIODS)}, not '{period}'", "period"
        )
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _filtered(
    query: Any,
    *,
    status: str | None = None,
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Any:
    r = models.Referral
    if status is not None:
        query = query.where(r.status == status)
    if giver_id is not None:
        query = query.where(r.giver == giver_id)
    if event_id is not None:
        query = query.where(r.event == event_id)
    if program is not None:
        query = query.where(r.program == program)
    if date_from is not None:
        query = query.where(r.referred_on >= date_from)
    if date_to is not None:
        query = query.where(r.referred_on <= date_to)
    return query


def query_ids(
    status: str | None = None,
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str = "date",
    descending: bool = True,
) -> list[int]:
    """Ids of the referrals that pass the filters, ordered in SQL (one query)."""
    if order not in ORDERS:
        raise ValidationError(f"Order must be one of {', '.join(ORDERS)}, not '{order}'", "order")
    r, e = models.Referral, models.Event
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    query = r.select(r.id)
    keys: list[Any]
    if order == "giver":
        query = query.join(giver, on=(r.giver == giver.id))
        keys = [giver.family_name, giver.given_name]
    elif order == "referred":
        query = query.join(referred, on=(r.referred == referred.id))
        keys = [referred.family_name, referred.given_name]
    elif order == "event":
        query = query.join(e, JOIN.LEFT_OUTER, on=(r.event == e.id))
        keys = [e.starts_at, e.title]
    elif order == "status":
        keys = [Case(r.status, [(s, i) for i, s in enumerate(models.REFERRAL_STATUSES)])]
    elif order == "value":
        keys = [fn.COALESCE(r.value, -1)]
    elif order == "date":
        keys = [r.referred_on]
    else:
        keys = [getattr(r, order)]
    query = _filtered(
        query,
        status=status,
        giver_id=giver_id,
        event_id=event_id,
        program=program,
        date_from=date_from,
        date_to=date_to,
    )
    # Referrals without an event come after those with one, whichever the direction.
    terms: list[Any] = [r.event.is_null()] if order == "event" else []
    terms += [k.desc() if descending else k.asc() for k in (*keys, r.id)]
    # Straight from the cursor: turning 100,000 rows into peewee tuples costs
    # several times what SQLite takes to sort them.
    sql, params = query.order_by(*terms).sql()
    return [row[0] for row in db.execute_sql(sql, params)]


def rows_for_ids(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """Referrals as tuples in ``ROW_COLUMNS`` order, in ``ids`` order (one query)."""
    if not ids:
        return []
    r, e = models.Referral, models.Event
    giver, referred = models.Contact.alias("g"), models.Contact.alias("d")
    query = (
        r.select(
            r.id,
            r.giver,
            giver.given_name,
            giver.family_name,
            r.referred,
            referred.given_name,
            referred.family_name,
            r.referred_on,
            r.program,
            r.temperature,
            r.status,
            r.value,
            r.currency,
            r.event,
            e.title,
            r.is_primary,
            r.suspicion,
        )
        .join(giver, on=(r.giver == giver.id))
        .switch(r)
        .join(referred, on=(r.referred == referred.id))
        .switch(r)
        .join(e, JOIN.LEFT_OUTER, on=(r.event == e.id))
        .where(r.id.in_(list(ids)))
    )
    found: dict[int, tuple[Any, ...]] = {}
    for rid, gid, g1, g2, did, d1, d2, *middle, title, primary, suspicion in models.rows(query):
        # middle: referred_on, program, temperature, status, value, currency, event id
        found[rid] = (rid, gid, _name(g1, g2), did, _name(d1, d2), *middle,
                      title or "", bool(primary), suspicion or "")  # fmt: skip
    return [found[i] for i in ids if i in found]


def _name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def pipeline_totals(
    giver_id: int | None = None,
    event_id: int | None = None,
    program: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, dict[str, Any]]:
    """Per status: how many referrals pass the filters and their value per currency.

    ``{"won": {"count": 12, "values": {"EUR": Decimal("5400.00")}}, ...}`` for
    every status, in pipeline order. Only won referrals carry a value, so the
    counts come from the status index alone and the sums from the won rows
    (two queries).
    """
    r = models.Referral
    filters: dict[str, Any] = {
        "giver_id": giver_id,
        "event_id": event_id,
        "program": program,
        "date_from": date_from,
        "date_to": date_to,
    }
    out: dict[str, dict[str, Any]] = {
        s: {"count": 0, "values": {}} for s in models.REFERRAL_STATUSES
    }
    counts = _filtered(r.select(r.status, fn.COUNT(r.id)), **filters).group_by(r.status)
    for status, n in models.rows(counts):
        out.setdefault(status, {"count": 0, "values": {}})["count"] = int(n)
    sums = _filtered(r.select(r.currency, fn.SUM(r.value)), status="won", **filters)
    for currency, total in models.rows(sums.group_by(r.currency)):
        if total is not None:
            out["won"]["values"][currency] = Decimal(str(total)).quantize(Decimal("0.01"))
    return out


def any_recorded() -> bool:
    """Whether any referral has been recorded yet (pages show their empty state if not)."""
    return bool(models.Referral.select(models.Referral.id).exists())


def event_choices(limit: int = 1000) -> list[tuple[int, str, dt.datetime]]:
    """``(id, title, starts_at)`` of events, latest first, for pickers and filters."""
    e = models.Event
    query = e.select(e.id, e.title, e.starts_at).order_by(e.starts_at.desc(), e.id.desc())
    return [(i, t, s) for i, t, s in models.rows(query.limit(limit))]
