"""Rewards: the policy that creates them, the ledger, points, and what the program returns.

The **policy** lives in settings (keys ``reward_*``): what triggers a reward (a
referral received, or won), the amount (fixed, or a percentage of the won value
with an optional cap), one- or two-sided (also reward the referred friend), the
default kind, and a limit of rewards per giver per period.

:func:`apply_policy` is the hook the referral and voucher services call. A
reward it creates carries a marker at the start of its notes
(``[policy:won]``): that is how a second call for the same referral, contact
and trigger finds the first and creates nothing (no schema change needed).
Amounts are in the referral's currency; a fixed amount is taken as a number in
that currency.

**Points**: a reward of kind ``points`` carries ``points`` (its amount rounded)
besides its amount, which is what it cost. Points count in a contact's balance
once the reward is given. Redeeming points writes a reward row of kind
``points`` with negative points, amount 0 and status ``given``: the ledger shows
it, the balance is the plain sum, and the cost was counted when the points
were earned.

**ROI** sets the won value of referred business against the cost of the
rewards, per currency, never adding currencies together: ``(won - cost) / cost``,
with the periods counted as :mod:`crm.core.stats` counts them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from peewee import JOIN, Case, fn

from crm.core import interactions, models, settings
from crm.core.errors import NotFoundError, ValidationError

db = models.database_proxy

TRIGGERS = ("received", "won")
AMOUNT_MODES = ("fixed", "percent")
SIDES = ("one", "two")
GROUPS = ("giver", "program", "period")

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e12")


def _marker(trigger: str) -> str:
    """How the notes of a reward made by the policy for ``trigger`` begin."""
    return f"[policy:{trigger}]"


# -- the policy -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Policy:
    """What the policy gives, read from settings."""

    trigger: str = "won"
    amount_mode: str = "fixed"
    fixed_amount: Decimal = Decimal("25")
    percent: Decimal = Decimal("5")
    cap: Decimal | None = Decimal("100")  # None: no cap
    sides: str = "one"
    kind: str = "thank_you_letter"
    limit_count: int = 0  # at most this many rewards per giver every limit_days; 0: no limit
    limit_days: int = 30

    def to_dict(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "amount_mode": self.amount_mode,
            "fixed_amount": str(self.fixed_amount),
            "percent": str(self.percent),
            "cap": str(self.cap) if self.cap is not None else None,
            "sides": self.sides,
            "kind": self.kind,
            "limit_count": self.limit_count,
            "limit_days": self.limit_days,
        }


POLICY_FIELDS = tuple(f.name for f in dataclasses.fields(Policy))


def _key(field: str) -> str:
    return f"reward_{field}"


def get_policy() -> Policy:
    """The reward policy now in force."""
    stored = settings.all_settings()
    value = {field: stored[_key(field)] for field in POLICY_FIELDS}
    cap = str(value["cap"])
    return Policy(
        trigger=str(value["trigger"]),
        amount_mode=str(value["amount_mode"]),
        fixed_amount=Decimal(str(value["fixed_amount"])),
        percent=Decimal(str(value["percent"])),
        cap=Decimal(cap) if cap else None,
        sides=str(value["sides"]),
        kind=str(value["kind"]),
        limit_count=int(value["limit_count"]),
        limit_days=int(value["limit_days"]),
    )


def set_policy(**fields: Any) -> Policy:
    """Change some fields of the policy: all are checked first, then written together.

    A refusal is a :class:`ValidationError` whose ``field`` is the policy field
    (``fixed_amount``, ``percent``, ...); nothing is written then. ``cap=None``
    or ``""`` means no cap.
    """
    clean: dict[str, Any] = {}
    for field, value in fields.items():
        if field not in POLICY_FIELDS:
            raise ValidationError(
                f"Unknown reward policy field '{field}'; known: {', '.join(POLICY_FIELDS)}", field
            )
        if field == "cap" and value is None:
            value = ""
        elif isinstance(value, float):
            value = str(value)  # 2.5 as the user wrote it, not as a binary fraction
        try:
            clean[_key(field)] = settings.clean_value(_key(field), value)
        except ValidationError as exc:
            raise ValidationError(exc.message, field) from None
    with db.atomic():
        for key, value in clean.items():
            settings.set_value(key, value)
    return get_policy()


# -- the hook -------------------------------------------------------------------------


def _policy_amount(policy: Policy, ref: models.Referral) -> tuple[Decimal, str]:
    """The amount the policy gives for ``ref``, with a note that says how it was found."""
    currency = ref.currency
    if policy.amount_mode == "fixed":
        amount = policy.fixed_amount.quantize(CENT)
        return amount, f"fixed {amount} {currency}"
    if ref.value is None:
        return Decimal("0.00"), (
            f"{policy.percent}% of the won value, which is not known yet: amount 0"
        )
    value = Decimal(ref.value)
    share = (value * policy.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    note = f"{policy.percent}% of {value} {currency} = {share}"
    if policy.cap is not None and share > policy.cap:
        share = policy.cap.quantize(CENT)
        note += f", capped at {share}"
    return share, note


def _points(kind: str, amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if kind == "points" else 0


def _over_limit(policy: Policy, giver_id: int) -> bool:
    """Whether the giver already had as many rewards as the policy allows in its period."""
    if policy.limit_count <= 0:
        return False
    w, r = models.Reward, models.Referral
    since = models.now() - dt.timedelta(days=policy.limit_days)
    earned = (
        w.select(fn.COUNT(w.id))
        .join(r, on=(w.referral == r.id))
        .where(
            (w.contact == giver_id)
            & (r.giver == giver_id)
            & (w.created_at > since)
            & (w.points >= 0)
        )
        .scalar()
    )
    return int(earned or 0) >= policy.limit_count


def apply_policy(referral_id: int, trigger: str, *, always: bool = False) -> list[int]:
    """Create the rewards the policy gives when ``referral_id`` is ``trigger``-ed.

    Called by the referral and voucher services inside their transaction with
    ``"received"`` (a referral recorded) or ``"won"``. Nothing happens when the
    policy's trigger is the other one. The giver is rewarded, and the referred
    friend too when the policy is two-sided; a giver over the per-giver limit is
    skipped without an error. Calling it again for the same referral and
    trigger creates nothing more.

    With ``always`` (a redeemed voucher: the friend's visit is the business
    the holder brought), the reward is made whatever the policy's trigger, and
    recorded as that trigger's reward, so the referral being won later adds no
    second one; except a percentage of won value, which waits for the value.

    Returns the ids of the policy's rewards for this referral and trigger,
    those created now and those an earlier call created.
    """
    if trigger not in TRIGGERS:
        raise ValidationError(
            f"Trigger must be one of {', '.join(TRIGGERS)}, not '{trigger}'", "trigger"
        )
    policy = get_policy()
    needs_value = policy.trigger == "won" and policy.amount_mode == "percent"
    if always and not needs_value:
        trigger = policy.trigger
    elif policy.trigger != trigger:
        return []
    w = models.Reward
    with db.atomic():
        ref = models.Referral.get_or_none(models.Referral.id == referral_id)
        if ref is None:
            raise NotFoundError(f"No referral with id {referral_id}")
        marker = _marker(trigger)
        existing = {
            int(contact): int(rid)
            for rid, contact in models.rows(
                w.select(w.id, w.contact)
                .where((w.referral == ref.id) & w.notes.startswith(marker))
                .order_by(w.id)
            )
        }
        sides = [(ref.giver_id, "giver")]
        if policy.sides == "two":
            sides.append((ref.referred_id, "referred friend"))
        amount, how = _policy_amount(policy, ref)
        out: list[int] = []
        for contact_id, role in sides:
            if contact_id in existing:
                out.append(existing[contact_id])
                continue
            if role == "giver" and _over_limit(policy, contact_id):
                continue
            reward = w.create(
                contact=contact_id,
                referral=ref.id,
                kind=policy.kind,
                amount=amount,
                currency=ref.currency,
                points=_points(policy.kind, amount),
                status="pending",
                notes=f"{marker} Referral {trigger}, reward for the {role}: {how}",
            )
            out.append(int(reward.id))
    return out


# -- manual rewards, giving, points ---------------------------------------------------


def _money(value: Any, field: str = "amount") -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(f"Amount '{value}' is not an amount of money", field) from None
    if not amount.is_finite():
        raise ValidationError(f"Amount '{value}' is not an amount of money", field)
    if amount < 0:
        raise ValidationError(f"Amount {amount} is negative", field)
    if amount >= MAX_AMOUNT:
        raise ValidationError(f"Amount {amount} is too large", field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _currency(code: str | None) -> str:
    text = (code or settings.profile().currency or "EUR").strip().upper()
    if text not in settings.CURRENCIES:
        raise ValidationError(f"Currency '{code}' is not an ISO 4217 currency", "currency")
    return text


def _contact(contact_id: int) -> models.Contact:
    contact = models.Contact.get_or_none(models.Contact.id == contact_id)
    if contact is None:
        raise NotFoundError(f"No contact with id {contact_id}", "contact")
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
            f"Kind must be one of {', '.join(models.REWARD_KINDS)}, not '{kind}'", "kind"
        )
    money = _money(amount)
    code = _currency(currency)
    with db.atomic():
        contact = _contact(contact_id)
        if referral_id is not None:
            ref = models.Referral.get_or_none(models.Referral.id == referral_id)
            if ref is None:
                raise NotFoundError(f"No referral with id {referral_id}", "referral")
            if contact.id not in (ref.giver_id, ref.referred_id):
                raise ValidationError(
                    f"Referral {ref.id} is not {contact.display_name}'s: a reward for it goes "
                    "to its giver or to the friend it referred",
                    "referral",
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


def _summary(kind: str, amount: Decimal, currency: str, points: int) -> str:
    parts = [f"Reward given: {kind}"]
    if points:
        parts.append(f"{points} points")
    elif amount:
        parts.append(f"{amount} {currency}")
    return ", ".join(parts)


def mark_given(reward_id: int, at: dt.datetime | None = None) -> dict[str, Any]:
    """Record that a pending reward was given, with a line in the contact's history.

    A reward already given is refused, naming the day it was given.
    """
    w = models.Reward
    stamp = at or models.now()
    with db.atomic():
        reward = w.get_or_none(w.id == reward_id)
        if reward is None:
            raise NotFoundError(f"No reward with id {reward_id}", "reward")
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
                f"Reward {reward.id} for {reward.contact.display_name} was already given on {day}",
                "reward",
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
            f"Points to redeem must be a whole number above 0, not {points}", "points"
        )
    w = models.Reward
    with db.atomic():
        contact = _contact(contact_id)
        balance = points_balance(contact.id)
        if points > balance:
            raise ValidationError(
                f"{contact.display_name} has {balance} points to redeem, not {points}", "points"
            )
        stamp = models.now()
        text = note.strip() or "Points redeemed"
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
        interactions.log(
            contact.id, "points_redeemed", f"{points} points redeemed: {text}", at=stamp
        )
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
    ``policy`` (the trigger that made it, or None for one added by hand).
    """
    if status is not None and status not in models.REWARD_STATUSES:
        raise ValidationError(
            f"Status must be one of {', '.join(models.REWARD_STATUSES)}, not '{status}'", "status"
        )
    w, r = models.Reward, models.Referral
    person = models.Contact.alias("person")
    friend = models.Contact.alias("friend")
    query = (
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
    if giver_id is not None:
        query = query.where(w.contact == giver_id)
    if status is not None:
        query = query.where(w.status == status)
    if reward_ids is not None:
        query = query.where(w.id.in_(reward_ids))
    query = query.order_by(w.created_at.desc(), w.id.desc())
    if limit is not None:
        query = query.limit(limit)
    out = []
    for row in models.rows(query):
        (rid, cid, g, f, ref_id, fid, fg, ff, kind, amount, cur, points, st, made, given, notes) = (
            row
        )
        trigger = next((t for t in TRIGGERS if (notes or "").startswith(_marker(t))), None)
        out.append(
            {
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
                "policy": trigger,
            }
        )
    return out


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


# -- what the program returns -------------------------------------------------------------


def _roi(won: Decimal, cost: Decimal) -> float | None:
    return None if not cost else round(float((won - cost) / cost), 4)


def _month(column: Any) -> Any:
    # "YYYY-MM" from a date or timestamp, on SQLite and PostgreSQL alike.
    return fn.SUBSTR(column.cast("TEXT"), 1, 7)


def roi(
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_by: str = "giver",
) -> list[dict[str, Any]]:
    """Won value of referred business against the cost of rewards, per group and currency.

    As ``crm stats`` counts them: won business counts for the period its
    referral was received in (``referred_on``), a reward's cost for the period
    the reward was created in, pending or given. ``group_by`` is ``giver`` (the
    giver of the rewarded referral, whoever received the reward; a reward added
    by hand without a referral counts for the contact who got it), ``program``
    or ``period`` (the month, ``YYYY-MM``).

    Each row: ``group`` (giver id, program code or month; None for rewards
    without a referral by program), ``label`` (the giver's name, else the
    group), ``currency``, ``won_value``, ``cost``, ``won`` (referrals won),
    ``rewards`` (how many), ``roi`` (``(won_value - cost) / cost``, None when
    nothing was spent), ``total`` (False). The overall totals follow, one row
    per currency, with ``total`` True and ``group`` None. Two queries.
    """
    if group_by not in GROUPS:
        raise ValidationError(f"Group by one of {', '.join(GROUPS)}, not '{group_by}'", "group_by")
    r, w = models.Referral, models.Reward
    giver = models.Contact.alias("g")
    owner = fn.COALESCE(r.giver, w.contact)  # a reward added by hand: whoever got it
    won_key: Any
    cost_key: Any
    if group_by == "giver":
        won_key, cost_key = r.giver, owner
    elif group_by == "program":
        won_key = cost_key = r.program
    else:
        won_key = _month(r.referred_on)
        cost_key = _month(w.created_at)

    # Won business.
    won_query = r.select(won_key, r.currency, fn.SUM(r.value), fn.COUNT(r.id)).where(
        r.status == "won"
    )
    if date_from is not None:
        won_query = won_query.where(r.referred_on >= date_from)
    if date_to is not None:
        won_query = won_query.where(r.referred_on <= date_to)

    # What the rewards cost; points redeemed cost nothing more (counted when earned).
    cost_query = (
        w.select(cost_key, w.currency, fn.SUM(w.amount), fn.COUNT(w.id))
        .join(r, JOIN.LEFT_OUTER, on=(w.referral == r.id))
        .where(w.points >= 0)
    )
    if date_from is not None:
        cost_query = cost_query.where(w.created_at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        cost_query = cost_query.where(w.created_at < end)

    if group_by == "giver":
        # The giver's name comes with each group, so no query per giver.
        won_query = (
            won_query.select_extend(giver.given_name, giver.family_name)
            .join(giver, on=(r.giver == giver.id))
            .group_by(won_key, r.currency, giver.given_name, giver.family_name)
        )
        cost_query = (
            cost_query.select_extend(giver.given_name, giver.family_name)
            .switch(w)
            .join(giver, on=(giver.id == owner))
            .group_by(cost_key, w.currency, giver.given_name, giver.family_name)
        )
    else:
        won_query = won_query.group_by(won_key, r.currency)
        cost_query = cost_query.group_by(cost_key, w.currency)

    table: dict[tuple[Any, str], dict[str, Any]] = {}

    def entry(
        key: Any, cur: str, given: str | None = None, family: str | None = None
    ) -> dict[str, Any]:
        if group_by == "giver":
            key = int(key)
        label = _name(given, family) if group_by == "giver" else (key or "")
        return table.setdefault(
            (key, cur),
            {
                "group": key,
                "label": label,
                "currency": cur,
                "won_value": Decimal("0.00"),
                "cost": Decimal("0.00"),
                "won": 0,
                "rewards": 0,
                "roi": None,
                "total": False,
            },
        )

    for key, cur, total, n, *name in models.rows(won_query):
        row = entry(key, cur, *name)
        row["won_value"] += Decimal(str(total or 0)).quantize(CENT)
        row["won"] += int(n)
    for key, cur, total, n, *name in models.rows(cost_query):
        row = entry(key, cur, *name)
        row["cost"] += Decimal(str(total or 0)).quantize(CENT)
        row["rewards"] += int(n)

    totals: dict[str, dict[str, Any]] = {}
    for row in table.values():
        row["roi"] = _roi(row["won_value"], row["cost"])
        total = totals.setdefault(
            row["currency"],
            {
                "group": None,
                "label": "",
                "currency": row["currency"],
                "won_value": Decimal("0.00"),
                "cost": Decimal("0.00"),
                "won": 0,
                "rewards": 0,
                "roi": None,
                "total": True,
            },
        )
        for field in ("won_value", "cost", "won", "rewards"):
            total[field] += row[field]
    for total in totals.values():
        total["roi"] = _roi(total["won_value"], total["cost"])

    order: Callable[[dict[str, Any]], Any]
    if group_by == "giver":
        order = lambda e: (-e["won_value"], -e["cost"], e["label"].casefold(), e["currency"])  # noqa: E731
    elif group_by == "program":
        rank = {p: i for i, p in enumerate(models.PROGRAMS)}
        order = lambda e: (rank.get(e["group"], len(rank)), e["currency"])  # noqa: E731
    else:
        order = lambda e: (e["group"] or "", e["currency"])  # noqa: E731
    return sorted(table.values(), key=order) + [totals[c] for c in sorted(totals)]
