"""Rewards: recording them by hand, giving them, points, and the ledger.

A reward is created by hand (:func:`add_reward`) or by the reward policy
(:mod:`crm.core.reward_policy`), whose rewards carry a marker at the start of
their notes (``[policy:won]``); the ledger names the trigger from it. What the
rewards cost against the business they brought is :mod:`crm.core.reward_roi`.

**A redeemed voucher's face value** is a cost too: redeeming it writes a reward
row for the friend who used it (:func:`record_voucher_cost`, kind ``voucher``,
status ``given``, notes beginning ``[voucher]``), so the ledger, its totals,
``crm stats`` and the ROI count it once, from the redemption; an issued voucher
costs nothing until then.

**Points**: a reward of kind ``points`` carries ``points`` (its amount rounded)
besides its amount, which is what it cost. Points count in a contact's balance
once the reward is given. Redeeming points writes a reward row of kind
``points`` with negative points, amount 0 and status ``given``: the ledger shows
it, the balance is the plain sum, and the cost was counted when the points
were earned.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import interactions, models, settings
from crm.core.amounts import parse_amount
from crm.core.errors import NotFoundError, ValidationError
from crm.core.rule_lines import Line, line, term
from crm.i18n import N_, Term

db = models.database_proxy

TRIGGERS = ("received", "won")
# What made a policy reward, as its notes' marker says: a trigger, or a voucher redeemed.
MADE_BY = (*TRIGGERS, "redeemed")
POLICY_MARK = "[policy:"  # how the notes of every policy reward begin
VOUCHER_MARK = "[voucher]"  # how the notes of a redeemed voucher's face value begin

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e12")


def _marker(trigger: str) -> str:
    """How the notes of a reward made by the policy for ``trigger`` begin."""
    return f"[policy:{trigger}]"


def _points(kind: str, amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if kind == "points" else 0


# -- manual rewards, giving, points ---------------------------------------------------


def _money(value: Any, field: str = "amount") -> Decimal:
    what = N_("Amount")
    try:
        amount = parse_amount(value, what=what)  # typed in the user's language
    except ValidationError as exc:
        raise exc.with_field(field) from None
    if not amount.is_finite():
        raise ValidationError(code="amounts.not_a_number", field=field, what=Term(what), text=value)
    if amount < 0:
        raise ValidationError(code="amounts.negative", field=field, what=Term(what), amount=amount)
    if amount >= MAX_AMOUNT:
        raise ValidationError(code="amounts.too_large", field=field, what=Term(what), amount=amount)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _currency(code: str | None) -> str:
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if text not in settings.CURRENCIES:
        raise ValidationError(
            code="rewards.currency_iso_4217_currency", field="currency", code_text=code
        )
    return text


def _contact(contact_id: int) -> models.Contact:
    contact = models.Contact.get_or_none(models.Contact.id == contact_id)
    if contact is None:
        raise NotFoundError(
            code="rewards.contact_not_found", field="contact", contact_id=contact_id
        )
    return contact


def add_reward(
    contact_id: int,
    kind: str,
    amount: str | int | Decimal,
    currency: str | None = None,
    referral_id: int | None = None,
    notes: str = "",
) -> int:
    """Record a reward by hand (pending); returns its id.

    A reward for a referral goes to its giver or to the friend it referred.
    A ``points`` reward carries its amount rounded as points.
    """
    if kind not in models.REWARD_KINDS:
        raise ValidationError(
            code="rewards.unknown_kind",
            field="kind",
            reward_kinds=", ".join(models.REWARD_KINDS),
            kind=kind,
        )
    money = _money(amount)
    code = _currency(currency)
    with db.atomic():
        contact = _contact(contact_id)
        if referral_id is not None:
            ref = models.Referral.get_or_none(models.Referral.id == referral_id)
            if ref is None:
                raise NotFoundError(
                    code="rewards.referral_not_found", field="referral", referral_id=referral_id
                )
            if contact.id not in (ref.giver_id, ref.referred_id):
                raise ValidationError(
                    code="rewards.referral_reward_goes_giver",
                    field="referral",
                    ref_id=ref.id,
                    contact_display_name=contact.display_name,
                )
        reward = models.Reward.create(
            contact=contact.id,
            referral=referral_id,
            kind=kind,
            amount=money,
            currency=code,
            points=_points(kind, money),
            notes=notes.strip(),
        )
    return int(reward.id)


def record_voucher_cost(voucher_id: int, referral_id: int, stamp: dt.datetime) -> int | None:
    """The face value of a voucher just redeemed, as a reward given to the friend who used it.

    Called by the redemption inside its transaction, once per voucher; returns
    the reward's id (None for a voucher of no value).
    """
    voucher = models.Voucher.get_by_id(voucher_id)
    value = Decimal(str(voucher.value)).quantize(CENT)
    if value <= 0 or voucher.redeemed_by_id is None:
        return None
    friend, holder = _contact(voucher.redeemed_by_id), _contact(voucher.holder_id)
    reward = models.Reward.create(
        contact=friend.id,
        referral=referral_id,
        kind="voucher",
        amount=value,
        currency=voucher.currency,
        status="given",
        given_at=stamp,
        created_at=stamp,
        updated_at=stamp,
        notes=(
            f"{VOUCHER_MARK} Voucher {voucher.code} from {holder.display_name} redeemed by "
            f"{friend.display_name}: its face value"
        ),
    )
    return int(reward.id)


def _summary(kind: str, amount: Decimal, currency: str, points: int) -> Line:
    what = term("reward", kind)
    if points:
        return line("history.reward_given_points", kind=what, points=points)
    if amount:
        return line("history.reward_given_amount", kind=what, amount=str(amount), currency=currency)
    return line("history.reward_given", kind=what)


def mark_given(reward_id: int, at: dt.datetime | None = None) -> dict[str, Any]:
    """Record that a pending reward was given, with a line in the contact's history.

    A reward already given is refused, naming the day it was given.
    """
    w = models.Reward
    stamp = at or models.now()
    with db.atomic():
        reward = w.get_or_none(w.id == reward_id)
        if reward is None:
            raise NotFoundError(
                code="rewards.reward_not_found", field="reward", reward_id=reward_id
            )
        # Conditional: of two clicks (or two windows) only one gives the reward.
        done = (
            w.update(status="given", given_at=stamp, updated_at=stamp)
            .where((w.id == reward.id) & (w.status == "pending"))
            .execute()
        )
        if done != 1:
            reward = w.get_by_id(reward.id)
            day = reward.given_at.date().isoformat() if reward.given_at else "an unknown day"
            raise ValidationError(
                code="rewards.reward_already_given",
                field="reward",
                reward_id=reward.id,
                display_name=reward.contact.display_name,
                day=day,
            )
        interactions.log(
            reward.contact_id,
            "reward_given",
            _summary(
                reward.kind,
                Decimal(str(reward.amount)).quantize(CENT),
                reward.currency,
                int(reward.points),
            ),
            referral_id=reward.referral_id,
            at=stamp,
        )
    [row] = ledger(reward_ids=[reward.id])
    return row


def points_balance(contact_id: int) -> int:
    """Points a contact can redeem: those of rewards given, less those redeemed."""
    w = models.Reward
    total = (
        w.select(fn.SUM(w.points)).where((w.contact == contact_id) & (w.status == "given")).scalar()
    )
    return int(total or 0)


def redeem_points(contact_id: int, points: int, note: str = "") -> int:
    """Spend some of a contact's points; returns the id of the (negative) ledger row.

    More than the balance is refused with a message that names the balance.
    """
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise ValidationError(
            code="rewards.points_redeem_whole_number", field="points", points=points
        )
    w = models.Reward
    with db.atomic():
        contact = _contact(contact_id)
        balance = points_balance(contact.id)
        if points > balance:
            raise ValidationError(
                code="rewards.points_redeem",
                field="points",
                contact_display_name=contact.display_name,
                balance=balance,
                points=points,
            )
        stamp = models.now()
        text = note.strip()
        reward = w.create(
            contact=contact.id,
            kind="points",
            amount=Decimal("0"),
            currency=_currency(None),
            points=-points,
            status="given",
            given_at=stamp,
            notes=text,
        )
        said = (
            line("history.points_redeemed_note", points=points, note=text)
            if text
            else line("history.points_redeemed", points=points)
        )
        interactions.log(contact.id, "points_redeemed", said, at=stamp)
    return int(reward.id)


# -- the ledger -------------------------------------------------------------------------


def _name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


LEDGER_LIMIT = 2000


def ledger(
    giver_id: int | None = None,
    status: str | None = None,
    limit: int | None = LEDGER_LIMIT,
    *,
    reward_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Rewards, newest first (one query), optionally of one contact and one status.

    Each: ``id``, ``contact_id``, ``contact``, ``referral_id``, ``referred_id`` and
    ``referred`` (the friend of that referral), ``kind``, ``amount`` (Decimal),
    ``currency``, ``points``, ``status``, ``created``, ``given_at``, ``notes``,
    ``policy`` (what made it: ``received``, ``won`` or ``redeemed`` for the
    policy, None for one added by hand or a voucher's face value).
    """
    if status is not None and status not in models.REWARD_STATUSES:
        raise ValidationError(
            code="rewards.unknown_status",
            field="status",
            reward_statuses=", ".join(models.REWARD_STATUSES),
            status=status,
        )
    w = models.Reward
    query = _ledger_query()
    if giver_id is not None:
        query = query.where(w.contact == giver_id)
    if status is not None:
        query = query.where(w.status == status)
    if reward_ids is not None:
        query = query.where(w.id.in_(reward_ids))
    query = query.order_by(w.created_at.desc(), w.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_ledger_line(row) for row in models.rows(query)]


def _ledger_query() -> Any:
    """Each reward with its contact and the friend of its referral, if any."""
    w, r = models.Reward, models.Referral
    person = models.Contact.alias("person")
    friend = models.Contact.alias("friend")
    return (
        w.select(
            w.id,
            w.contact,
            person.given_name,
            person.family_name,
            w.referral,
            r.referred,
            friend.given_name,
            friend.family_name,
            w.kind,
            w.amount,
            w.currency,
            w.points,
            w.status,
            w.created_at,
            w.given_at,
            w.notes,
        )
        .join(person, on=(w.contact == person.id))
        .switch(w)
        .join(r, JOIN.LEFT_OUTER, on=(w.referral == r.id))
        .join(friend, JOIN.LEFT_OUTER, on=(r.referred == friend.id))
    )


def _ledger_line(row: tuple[Any, ...]) -> dict[str, Any]:
    (rid, cid, g, f, ref_id, fid, fg, ff, kind, amount, cur, points, st, made, given, notes) = row
    return {
        "id": rid,
        "contact_id": cid,
        "contact": _name(g, f),
        "referral_id": ref_id,
        "referred_id": fid,
        "referred": _name(fg, ff) if fid is not None else None,
        "kind": kind,
        "amount": Decimal(str(amount)).quantize(CENT),
        "currency": cur,
        "points": int(points),
        "status": st,
        "created": _iso(made),
        "given_at": _iso(given),
        "notes": notes or "",
        "policy": next((t for t in MADE_BY if (notes or "").startswith(_marker(t))), None),
    }


def totals_by_giver() -> list[dict[str, Any]]:
    """Per contact with rewards: pending and given amounts per currency, and points.

    Each: ``contact_id``, ``name``, ``pending`` and ``given`` (``{currency:
    Decimal}``, amounts above 0 only), ``pending_count``, ``given_count``,
    ``points_balance`` (given points less redeemed), ``points_pending``. One
    query; most pending rewards first, then by name.
    """
    w, c = models.Reward, models.Contact
    earned = Case(None, [(w.points < 0, 0)], 1)
    query = (
        w.select(
            w.contact,
            c.given_name,
            c.family_name,
            w.status,
            w.currency,
            fn.SUM(w.amount),
            fn.SUM(earned),
            fn.SUM(w.points),
        )
        .join(c, on=(w.contact == c.id))
        .group_by(w.contact, c.given_name, c.family_name, w.status, w.currency)
    )
    people: dict[int, dict[str, Any]] = {}
    for cid, given, family, status, cur, amount, count, points in models.rows(query):
        entry = people.setdefault(
            cid,
            {
                "contact_id": cid,
                "name": _name(given, family),
                "pending": {},
                "given": {},
                "pending_count": 0,
                "given_count": 0,
                "points_balance": 0,
                "points_pending": 0,
            },
        )
        total = Decimal(str(amount or 0)).quantize(CENT)
        if total:
            entry[status][cur] = entry[status].get(cur, Decimal("0.00")) + total
        entry[f"{status}_count"] += int(count or 0)
        entry["points_balance" if status == "given" else "points_pending"] += int(points or 0)
    return sorted(people.values(), key=lambda e: (-e["pending_count"], e["name"].casefold()))
