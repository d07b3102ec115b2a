"""The reward policy: what it gives, and the hook that creates its rewards.

The **policy** lives in settings (keys ``reward_*``): what triggers a reward (a
referral received, or won), the amount (fixed, or a percentage of the won value
with an optional cap), one- or two-sided (also reward the referred friend), the
default kind, and a limit of rewards per giver per period.

:func:`apply_policy` is the hook the referral and voucher services call. A
reward it creates carries a marker at the start of its notes
(``[policy:won]``): that is how a second call for the same referral, contact
and trigger finds the first and creates nothing (no schema change needed), and
how the ledger (:mod:`crm.core.rewards`) tells which trigger made a reward.
Amounts are in the referral's currency; a fixed amount is taken as a number in
that currency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import fn

from crm.core import models, settings
from crm.core.errors import NotFoundError, ValidationError
from crm.core.rewards import CENT, TRIGGERS, _marker, _points

db = models.database_proxy

AMOUNT_MODES = ("fixed", "percent")
SIDES = ("one", "two")


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
