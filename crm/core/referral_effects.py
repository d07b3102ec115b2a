"""What recording a referral or moving its status does besides the referral row itself.

The history line, the referred contact's stage and channel, the "contact within N
days" follow-up, the interaction log and the rewards of the reward policy.
"""

from __future__ import annotations

import datetime as dt

from crm.core import interactions, models, reward_policy, settings
from crm.core.rule_lines import line, term


def status_reached(ref: models.Referral, old: str | None, referred: models.Contact) -> None:
    """A line in the status history; business won from a prospect or lead makes a customer."""
    models.ReferralStatusChange.create(referral=ref, from_status=old, to_status=ref.status)
    if ref.status == "won" and referred.stage in ("prospect", "lead"):
        referred.stage = "customer"
        referred.save()


def first_referral(referred: models.Contact) -> None:
    """A contact first heard of through "other" channels came, in fact, by referral."""
    if referred.channel == "other":
        referred.channel = "referral"
        referred.save()


def log_recorded(
    ref: models.Referral, giver: models.Contact, referred: models.Contact, event_id: int | None
) -> None:
    """A line in the history of both the giver and the referred."""
    interactions.log(
        giver.id,
        "referral_given",
        line("history.referred", name=referred.display_name),
        referral_id=ref.id,
        event_id=event_id,
    )
    interactions.log(
        referred.id,
        "referral_received",
        line("history.referred_by", name=giver.display_name),
        referral_id=ref.id,
        event_id=event_id,
    )


def log_move(ref: models.Referral, referred: models.Contact, old: str) -> None:
    """A line in the giver's history: the move, and the value when won."""
    moved = {"name": referred.display_name, "old": term("status", old)}
    moved["new"] = term("status", ref.status)
    summary = (
        line("history.referral_won", **moved, value=str(ref.value), currency=ref.currency)
        if ref.status == "won"
        else line("history.referral_moved", **moved)
    )
    interactions.log(
        ref.giver_id,
        "referral_status",
        summary,
        referral_id=ref.id,
    )


def open_followup(
    ref: models.Referral, giver: models.Contact, referred: models.Contact, day: dt.date
) -> None:
    """A new referral: call the referred within the days the settings give."""
    days = int(settings.get("followup_new_referral_days"))
    title = line("followup.referral", referred=referred.display_name, giver=giver.display_name)
    models.FollowUp.create(
        contact=referred,
        referral=ref,
        kind="call",
        title=title.english(),
        message=title.stored(),
        due=day + dt.timedelta(days=days),
        rule="referral",
    )


def close_followup(ref: models.Referral) -> None:
    """The "contact within N days" reminder has done its job once the referral leaves new."""
    f = models.FollowUp
    f.update(done_at=models.now()).where(
        (f.referral == ref.id) & (f.rule == "referral") & f.done_at.is_null()
    ).execute()


def reward(ref: models.Referral, *, received: bool) -> None:
    """The reward policy: a reward for the referral received and one for it won.

    A referral a redeemed voucher made follows the policy's voucher choice
    instead: the redemption rewards at once, or its win does.
    """
    if reward_policy.voucher_of(ref) is not None:
        if ref.status == "won":
            reward_policy.apply_voucher(ref.id, "won")
        return
    if received:
        reward_policy.apply_policy(ref.id, "received")
    if ref.status == "won":
        reward_policy.apply_policy(ref.id, "won")
