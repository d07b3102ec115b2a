"""Redeeming and voiding gift vouchers, and the latest redemptions.

A voucher (issued by :mod:`crm.core.vouchers`) is a tangible referral: the
holder passes it on to a friend, and redeeming it for that friend records the
friend as referred by the holder (program "tangible"), marks the voucher
redeemed, counts its face value as a reward cost, and rewards the holder under
the reward policy (:mod:`crm.core.reward_policy`): at the redemption or when
the friend's referral is won. Every refusal (a typo, an unknown code, a
voided, redeemed or expired voucher) has its own message, and of two
redemptions of one code at the same moment exactly one succeeds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from peewee import JOIN, SqliteDatabase

from crm.core import clock, codes, contacts, interactions, models, reward_policy, rewards
from crm.core.errors import NotFoundError, ValidationError
from crm.core.referrals import record_referral
from crm.core.rule_lines import line
from crm.core.text import split_name
from crm.core.vouchers import _names, _stamp, shown_status, to_dict

db = models.database_proxy


def _writing() -> Any:
    """A transaction that takes the write lock at once.

    peewee begins SQLite transactions DEFERRED: two processes could both read a
    voucher as issued, and the second would then fail to upgrade its lock.
    ``BEGIN IMMEDIATE`` makes the second wait for the first to commit, so it
    reads the voucher as redeemed and says so. Inside an outer transaction
    this is a savepoint, and PostgreSQL's row lock on the UPDATE does the same.
    """
    if isinstance(db.obj, SqliteDatabase) and db.transaction_depth() == 0:
        return db.atomic("IMMEDIATE")
    return db.atomic()


def _stamp_for(day: dt.date) -> dt.datetime:
    """Now for today; midday on another day (back-dated entries, tests)."""
    return models.now() if day == clock.today() else dt.datetime.combine(day, dt.time(12, 0))


def _find(code: str) -> models.Voucher:
    voucher = models.Voucher.get_or_none(models.Voucher.code == code)
    if voucher is None:
        raise NotFoundError(
            code="redemption.voucher_code_check_issued", field="code", code_text=code
        )
    return voucher


def _day_of(value: Any) -> str:
    day = models.as_date(value)
    return day.isoformat() if day is not None else "an unknown day"


def _state_refusal(voucher: models.Voucher, day: dt.date) -> ValidationError | None:
    """Why ``voucher`` cannot be redeemed on ``day`` (None when it can)."""
    code = voucher.code
    if voucher.status == "void":
        return ValidationError(
            code="redemption.voucher_voided_cannot_redeemed",
            field="code",
            code_text=code,
            day_of=_day_of(voucher.voided_at),
        )
    if voucher.status == "redeemed":
        friend = (
            _names([voucher.redeemed_by_id]).get(voucher.redeemed_by_id)
            if voucher.redeemed_by_id is not None
            else None
        )
        return ValidationError(
            code="redemption.voucher_already_redeemed",
            field="code",
            code_text=code,
            day_of=_day_of(voucher.redeemed_at),
            value=friend or "a contact since deleted",
        )
    if shown_status(voucher.status, voucher.expires, day) == "expired":
        return ValidationError(
            code="redemption.voucher_expired",
            field="code",
            code_text=code,
            voucher_expires=voucher.expires.isoformat(),
        )
    return None


def find(code: str, today: dt.date | None = None) -> dict[str, Any]:
    """The voucher a typed or scanned code names, whatever its status, as
    :func:`crm.core.vouchers.to_dict` gives it.

    Refuses a typo and an unknown code.
    """
    return to_dict(_find(codes.validate(code)), today=today or clock.today())


def redeemable(code: str, today: dt.date | None = None) -> dict[str, Any]:
    """The voucher a typed or scanned code names, when it can be redeemed ``today``.

    Raises :class:`ValidationError` with the reason otherwise: a typo, an
    unknown code, a voided, redeemed or expired voucher. Changes nothing.
    """
    stored = codes.validate(code)
    day = today or clock.today()
    voucher = _find(stored)
    refusal = _state_refusal(voucher, day)
    if refusal is not None:
        raise refusal
    return to_dict(voucher, today=day)


def _friend_data(new_friend: str | tuple[str, str] | contacts.ContactData) -> contacts.ContactData:
    if isinstance(new_friend, contacts.ContactData):
        data = new_friend
    else:
        given, family = split_name(new_friend) if isinstance(new_friend, str) else new_friend
        data = contacts.ContactData(given_name=given, family_name=family)
    if not data.given_name.strip() and not data.family_name.strip():
        raise ValidationError(code="redemption.type_new_friend_name", field="new_friend")
    # Whoever brought a voucher came to us through a referral.
    return dataclasses.replace(data, channel="referral")


def redeem(
    code: str,
    *,
    friend_id: int | None = None,
    new_friend: str | tuple[str, str] | contacts.ContactData | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Redeem a voucher for the friend who brought it; all of it, or (refused) nothing.

    The friend is an existing contact (``friend_id``) or a new one (``new_friend``:
    ``"Given Family"``, a (given, family) pair or a ContactData). Records the
    friend as referred by the holder (program "tangible"), marks the voucher
    redeemed, logs ``voucher_redeemed`` on both, records the voucher's face
    value as a reward given to the friend (its cost) and, when the policy
    rewards the holder at redemption, creates the holder's reward (else it
    comes when the friend's referral is won). Typos, unknown codes and voided,
    redeemed or expired vouchers are refused, each with its own message. Of two
    redemptions of one code at the same moment exactly one succeeds.

    Returns :func:`crm.core.vouchers.to_dict` of the voucher with ``friend_id``, ``friend``,
    ``friend_created``, ``referral_id``, ``primary`` (whether the holder is the
    friend's primary referrer), ``reward_ids`` and ``rewards`` (each reward's
    ``id``, ``contact_id``, ``kind``, ``amount``, ``currency``, ``points``,
    ``status``): what the policy gave for the redemption, none when it rewards
    the holder when the referral is won; ``face_value_reward_id`` (None for a
    voucher of no value).
    """
    stored = codes.validate(code)
    data = _named_friend(friend_id, new_friend)
    day = today or clock.today()
    stamp = _stamp_for(day)
    v = models.Voucher
    with _writing():
        voucher = _find(stored)
        refusal = _state_refusal(voucher, day)
        if refusal is not None:
            raise refusal
        holder = voucher.holder
        friend: models.Contact | None = None
        if friend_id is not None:
            friend = contacts.get_contact(friend_id)
            _check_friend(voucher, holder, friend)
        _claim(voucher, stored, stamp, day)
        created = friend is None
        if friend is None:
            assert data is not None
            friend = contacts.create_contact(data)
        # Named before the referral is recorded, so the reward policy knows a voucher made it.
        v.update(redeemed_by=friend.id).where(v.id == voucher.id).execute()
        ref = record_referral(
            holder.id,
            friend.id,
            program="tangible",
            currency=voucher.currency,
            referred_on=day,
            notes=f"Brought voucher {stored}",
        )
        v.update(referral=ref.id, updated_at=stamp).where(v.id == voucher.id).execute()
        _log_redeemed(voucher.id, stored, holder, friend, ref.id, stamp)
        reward_ids = reward_policy.apply_voucher(ref.id, "redeemed")
        cost_id = rewards.record_voucher_cost(voucher.id, ref.id, stamp)
        done = v.get_by_id(voucher.id)
        earned = _rewards(reward_ids)
    return {
        **to_dict(done, holder.display_name, day),
        "friend_id": friend.id,
        "friend": friend.display_name,
        "friend_created": created,
        "referral_id": ref.id,
        "primary": bool(ref.is_primary),
        "reward_ids": list(reward_ids),
        "rewards": earned,
        "face_value_reward_id": cost_id,
    }


def _named_friend(
    friend_id: int | None, new_friend: str | tuple[str, str] | contacts.ContactData | None
) -> contacts.ContactData | None:
    """The new friend's data (None for an existing contact); exactly one must be named."""
    if (friend_id is None) == (new_friend is None):
        raise ValidationError(code="redemption.name_friend_who_brought", field="friend")
    return _friend_data(new_friend) if new_friend is not None else None


def _claim(voucher: models.Voucher, stored: str, stamp: dt.datetime, day: dt.date) -> None:
    """Move the voucher out of "issued": of two redemptions at once, only one does."""
    v = models.Voucher
    claimed = (
        v.update(status="redeemed", redeemed_at=stamp, updated_at=stamp)
        .where((v.id == voucher.id) & (v.status == "issued"))
        .execute()
    )
    if claimed != 1:
        raise _state_refusal(v.get_by_id(voucher.id), day) or ValidationError(
            code="redemption.voucher_cannot_redeemed_now", field="code", stored=stored
        )


def _log_redeemed(
    voucher_id: int,
    stored: str,
    holder: models.Contact,
    friend: models.Contact,
    referral_id: int,
    stamp: dt.datetime,
) -> None:
    """A history line on the holder and one on the friend."""
    interactions.log(
        holder.id,
        "voucher_redeemed",
        line("history.voucher_redeemed", code=stored, name=friend.display_name),
        referral_id=referral_id,
        voucher_id=voucher_id,
        at=stamp,
    )
    interactions.log(
        friend.id,
        "voucher_redeemed",
        line("history.voucher_brought", code=stored, name=holder.display_name),
        referral_id=referral_id,
        voucher_id=voucher_id,
        at=stamp,
    )


def _rewards(reward_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rewards the policy gave for the redemption, as plain values (one query)."""
    w = models.Reward
    query = (
        w.select(w.id, w.contact, w.kind, w.amount, w.currency, w.points, w.status)
        .where(w.id.in_(list(reward_ids)))
        .order_by(w.id)
    )
    return [
        {
            "id": rid,
            "contact_id": cid,
            "kind": kind,
            "amount": float(amount),
            "currency": money,
            "points": points,
            "status": status,
        }
        for rid, cid, kind, amount, money, points, status in models.rows(query)
    ]


def _check_friend(voucher: models.Voucher, holder: models.Contact, friend: models.Contact) -> None:
    if friend.id == holder.id:
        raise ValidationError(
            code="redemption.holds_voucher_redeemed_friend",
            field="friend",
            holder_display_name=holder.display_name,
            voucher_code=voucher.code,
        )
    if friend.archived:
        raise ValidationError(
            code="redemption.archived_unarchive_them_redeem",
            field="friend",
            friend_display_name=friend.display_name,
            friend_id=friend.id,
        )
    r = models.Referral
    earlier = r.get_or_none((r.giver == holder.id) & (r.referred == friend.id))
    if earlier is not None:
        raise ValidationError(
            code="redemption.already_referred_referral_voucher",
            field="friend",
            holder_display_name=holder.display_name,
            friend_display_name=friend.display_name,
            earlier_referred_on=earlier.referred_on.isoformat(),
            earlier_id=earlier.id,
        )


def void(code: str, reason: str = "", today: dt.date | None = None) -> dict[str, Any]:
    """Void an unredeemed voucher (an expired one too) so it can never be redeemed.

    Logs ``voucher_voided`` on the holder with the reason. Refuses a voucher that
    was redeemed or is void already.
    """
    stored = codes.validate(code)
    day = today or clock.today()
    stamp = _stamp_for(day)
    why = " ".join(reason.split())
    v = models.Voucher
    with _writing():
        voucher = _find(stored)
        if voucher.status in ("void", "redeemed"):
            refusal = _state_refusal(voucher, day)
            assert refusal is not None
            if voucher.status == "void":
                raise ValidationError(
                    code="redemption.voucher_already_voided",
                    field="code",
                    stored=stored,
                    day_of=_day_of(voucher.voided_at),
                )
            raise ValidationError(
                code="redemption.redeemed_voucher_cannot_voided",
                field="code",
                refusal_message=refusal.message,
            )
        claimed = (
            v.update(status="void", voided_at=stamp, updated_at=stamp)
            .where((v.id == voucher.id) & (v.status == "issued"))
            .execute()
        )
        if claimed != 1:
            raise ValidationError(
                code="redemption.voucher_changed_meanwhile_look", field="code", stored=stored
            )
        interactions.log(
            voucher.holder_id,
            "voucher_voided",
            line("history.voucher_voided_why", code=stored, why=why)
            if why
            else line("history.voucher_voided", code=stored),
            voucher_id=voucher.id,
            at=stamp,
        )
        done = v.get_by_id(voucher.id)
    return to_dict(done, today=day)


def recent_redemptions(limit: int = 10) -> list[dict[str, Any]]:
    """The latest redemptions, newest first: code, holder, friend, when (one query)."""
    v = models.Voucher
    holder, friend = models.Contact.alias("h"), models.Contact.alias("f")
    query = (
        v.select(
            v.id,
            v.code,
            v.redeemed_at,
            v.holder,
            holder.given_name,
            holder.family_name,
            v.redeemed_by,
            friend.given_name,
            friend.family_name,
            v.referral,
        )
        .join(holder, JOIN.LEFT_OUTER, on=(v.holder == holder.id))
        .switch(v)
        .join(friend, JOIN.LEFT_OUTER, on=(v.redeemed_by == friend.id))
        .where(v.status == "redeemed")
        .order_by(v.redeemed_at.desc(), v.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": vid,
            "code": code,
            "redeemed_at": _stamp(at),
            "holder_id": hid,
            "holder": " ".join(p for p in (hg, hf) if p),
            "friend_id": fid,
            "friend": " ".join(p for p in (fg, ff) if p),
            "referral_id": rid,
        }
        for vid, code, at, hid, hg, hf, fid, fg, ff, rid in models.rows(query)
    ]
