"""The reward policy: what it gives, and the hook that creates its rewards.

The **policy** lives in settings (keys ``reward_*``): what triggers a reward (a
referral received, or won), the amount (fixed, or a percentage of the won value
with an optional cap), one- or two-sided (also reward the referred friend), the
default kind, a limit of rewards per giver per period, and when the holder of a
redeemed voucher is rewarded: at the redemption, or when the friend's referral
is won (what the voucher program promises: a reward for a new customer).

:func:`apply_policy` is the hook the referral service calls, :func:`apply_voucher`
the one for a referral a redeemed voucher made (its rewards follow the voucher
choice, not the trigger). A reward either creates carries a marker at the start
of its notes (``[policy:won]``, ``[policy:redeemed]``): that is how a second
call for the same referral and contact finds the first and creates nothing (no
schema change needed), and how the ledger (:mod:`crm.core.rewards`) tells what
made a reward.
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
from crm.core.rewards import CENT, POLICY_MARK, TRIGGERS, _marker, _points

db = models.database_proxy

AMOUNT_MODES = ("fixed", "percent")
SIDES = ("one", "two")
VOUCHER_HOLDER = ("redemption", "won")  # when a voucher's holder is rewarded


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
    voucher_holder: str = "won"

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
            "voucher_holder": self.voucher_holder,
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
        voucher_holder=str(value["voucher_holder"]),
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
                code="reward_policy.unknown_reward_policy_field",
                field=field,
                field_name=field,
                policy_fields=", ".join(POLICY_FIELDS),
            )
        if field == "cap" and value is None:
            value = ""
        elif isinstance(value, float):
            value = Decimal(repr(value))  # 2.5 as written, not as a binary fraction
        try:
            clean[_key(field)] = settings.clean_value(_key(field), value)
        except ValidationError as exc:
            raise exc.with_field(field) from None
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
    # The value as SQLite's numeric column gives it back (300, 300.5) on either backend.
    note = f"{policy.percent}% of {models.plain(value)} {currency} = {share}"
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


def apply_policy(referral_id: int, trigger: str) -> list[int]:
    """Create the rewards the policy gives when ``referral_id`` is ``trigger``-ed.

    Called by the referral service inside its transaction with ``"received"``
    (a referral recorded) or ``"won"``. Nothing happens when the policy's
    trigger is the other one. The giver is rewarded, and the referred friend
    too when the policy is two-sided; a giver over the per-giver limit is
    skipped without an error. Calling it again for the same referral and
    trigger creates nothing more.

    Returns the ids of the policy's rewards for this referral and trigger,
    those created now and those an earlier call created.
    """
    if trigger not in TRIGGERS:
        raise ValidationError(
            code="reward_policy.unknown_trigger",
            field="trigger",
            triggers=", ".join(TRIGGERS),
            trigger=trigger,
        )
    policy = get_policy()
    if policy.trigger != trigger:
        return []
    with db.atomic():
        ref = _referral(referral_id)
        marker = _marker(trigger)
        return _reward_sides(policy, ref, marker, marker, f"Referral {trigger}", "giver")


def voucher_of(ref: models.Referral) -> tuple[str, str] | None:
    """The code of the voucher that made ``ref`` and the friend who brought it, if one did.

    The voucher names its referral once redeemed; while the redemption is
    still recording the referral, the holder and the friend name it.
    """
    if ref.program != "tangible":
        return None  # only a tangible referral can come from a voucher: no query
    v, c = models.Voucher, models.Contact
    during = v.referral.is_null() & (v.holder == ref.giver_id) & (v.redeemed_by == ref.referred_id)
    row = (
        v.select(v.code, c.given_name, c.family_name)
        .join(c, on=(v.redeemed_by == c.id))
        .where((v.status == "redeemed") & ((v.referral == ref.id) | during))
        .order_by(v.id)
        .tuples()
        .first()
    )
    if row is None:
        return None
    code, given, family = row
    return str(code), " ".join(p for p in (given, family) if p)


def apply_voucher(referral_id: int, moment: str) -> list[int]:
    """Create the rewards for a referral a redeemed voucher made, at ``moment``.

    ``"redeemed"`` (the friend brought the voucher) rewards now when the policy
    rewards the holder at redemption, unless the amount is a percentage of the
    won value, which only the win gives. ``"won"`` (the friend's referral was
    won) rewards whoever was not rewarded yet. Either way the holder (and the
    friend, two-sided) is rewarded once per referral, whatever the policy's
    trigger, with a note that says what happened. Returns the ids created now
    or before; none for a referral no voucher made.
    """
    if moment not in ("redeemed", "won"):
        raise ValidationError(
            code="reward_policy.moment_redeemed_won", field="moment", moment=moment
        )
    policy = get_policy()
    at_redemption = policy.voucher_holder == "redemption" and policy.amount_mode == "fixed"
    if moment == "redeemed" and not at_redemption:
        return []
    with db.atomic():
        ref = _referral(referral_id)
        found = voucher_of(ref)
        if found is None or (moment == "won" and ref.status != "won"):
            return []
        code, friend = found
        what = f"Voucher {code} redeemed by {friend}"
        if moment == "won":
            what += "; referral won"
        # Any earlier policy reward of this referral counts: a voucher rewards its holder once.
        return _reward_sides(policy, ref, _marker(moment), POLICY_MARK, what, "voucher holder")


def _referral(referral_id: int) -> models.Referral:
    ref = models.Referral.get_or_none(models.Referral.id == referral_id)
    if ref is None:
        raise NotFoundError(code="reward_policy.referral_not_found", referral_id=referral_id)
    return ref


def _reward_sides(
    policy: Policy, ref: models.Referral, marker: str, earlier: str, what: str, giver: str
) -> list[int]:
    """The giver's reward (and the friend's, two-sided) marked ``marker``, noting ``what``.

    A side with a reward whose notes begin with ``earlier`` keeps that one.
    """
    w = models.Reward
    existing = {
        int(contact): int(rid)
        for rid, contact in models.rows(
            w.select(w.id, w.contact)
            .where((w.referral == ref.id) & w.notes.startswith(earlier))
            .order_by(w.id)
        )
    }
    sides = [(ref.giver_id, giver)]
    if policy.sides == "two":
        sides.append((ref.referred_id, "referred friend"))
    amount, how = _policy_amount(policy, ref)
    out: list[int] = []
    for contact_id, role in sides:
        if contact_id in existing:
            out.append(existing[contact_id])
            continue
        if role == giver and _over_limit(policy, contact_id):
            continue
        reward = w.create(
            contact=contact_id,
            referral=ref.id,
            kind=policy.kind,
            amount=amount,
            currency=ref.currency,
            points=_points(policy.kind, amount),
            status="pending",
            notes=f"{marker} {what}, reward for the {role}: {how}",
        )
        out.append(int(reward.id))
    return out
