"""A redeemed voucher's rewards: the holder's (at redemption or on the win) and its face value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm.core import (
    clock,
    contacts,
    models,
    redemption,
    referrals,
    reward_policy,
    reward_roi,
    rewards,
    stats,
    vouchers,
)
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError

TODAY = clock.today()


def person(given: str, family: str = "") -> int:
    data = ContactData(given_name=given, family_name=family, marketing_consent=True)
    return contacts.create_contact(data).id


def voucher_for(holder: int, value: str = "50") -> str:
    # One voucher per holder and batch: a batch of its own for each.
    batch = f"B{models.Voucher.select().count()}"
    [v] = vouchers.issue([holder], value=value, expires=TODAY + dt.timedelta(days=90), batch=batch)
    return str(v["code"])


def policy_rewards() -> list[models.Reward]:
    w = models.Reward
    return list(w.select().where(w.notes.startswith("[policy:")).order_by(w.id))


@pytest.fixture
def holder(store) -> int:
    return person("Anna", "Rossi")


# -- when the holder is rewarded -----------------------------------------------------------


def test_by_default_the_holder_is_rewarded_when_the_friends_referral_is_won(holder):
    assert reward_policy.get_policy().voucher_holder == "won"
    code = voucher_for(holder)
    out = redemption.redeem(code, new_friend="Maria Rossi")
    assert out["reward_ids"] == [] and out["rewards"] == [] and policy_rewards() == []
    ref = out["referral_id"]
    referrals.change_status(ref, "contacted")
    assert policy_rewards() == []
    referrals.change_status(ref, "won", value="400")
    [reward] = policy_rewards()
    assert (reward.contact_id, reward.referral_id, reward.amount) == (
        holder,
        ref,
        Decimal("25.00"),
    )
    assert reward.notes == (
        f"[policy:won] Voucher {code} redeemed by Maria Rossi; referral won, "
        "reward for the voucher holder: fixed 25.00 EUR"
    )
    [row] = rewards.ledger(reward_ids=[reward.id])
    assert row["policy"] == "won"
    # Lost and won again is still one win: no second reward.
    referrals.change_status(ref, "lost", reopen=True)
    referrals.change_status(ref, "won", value="400", reopen=True)
    assert policy_rewards() == [reward]


def test_a_policy_that_rewards_referrals_received_waits_for_the_win_for_a_voucher(holder):
    # The voucher choice decides for vouchers; the trigger for every other referral.
    reward_policy.set_policy(trigger="received")
    out = redemption.redeem(voucher_for(holder), new_friend="Maria Rossi")
    assert policy_rewards() == []
    other = referrals.record_referral(holder, person("Luca"))
    assert [r.referral_id for r in policy_rewards()] == [other.id]
    referrals.change_status(out["referral_id"], "won", value="100")
    assert [r.referral_id for r in policy_rewards()] == [other.id, out["referral_id"]]


def test_at_redemption_the_note_says_what_happened_and_the_win_adds_nothing(holder):
    reward_policy.set_policy(voucher_holder="redemption", sides="two", kind="gift")
    code = voucher_for(holder)
    out = redemption.redeem(code, new_friend="Maria Rossi")
    made = policy_rewards()
    assert [(r.contact_id, r.notes) for r in made] == [
        (
            holder,
            f"[policy:redeemed] Voucher {code} redeemed by Maria Rossi, "
            "reward for the voucher holder: fixed 25.00 EUR",
        ),
        (
            out["friend_id"],
            f"[policy:redeemed] Voucher {code} redeemed by Maria Rossi, "
            "reward for the referred friend: fixed 25.00 EUR",
        ),
    ]
    assert "Referral won" not in made[0].notes
    assert models.Referral.get_by_id(out["referral_id"]).status == "new"
    assert [row["policy"] for row in rewards.ledger(reward_ids=[r.id for r in made])] == [
        "redeemed",
        "redeemed",
    ]
    referrals.change_status(out["referral_id"], "won", value="300")
    assert policy_rewards() == made


def test_a_policy_changed_after_the_redemption_still_rewards_the_holder_once(holder):
    out = redemption.redeem(voucher_for(holder), new_friend="Maria Rossi")  # "when won"
    reward_policy.set_policy(voucher_holder="redemption")
    referrals.change_status(out["referral_id"], "won", value="300")
    assert [r.contact_id for r in policy_rewards()] == [holder]


def test_a_tangible_referral_recorded_by_hand_follows_the_trigger(holder):
    reward_policy.set_policy(trigger="received")
    ref = referrals.record_referral(holder, person("Luca"), program="tangible")
    [reward] = policy_rewards()
    assert reward.referral_id == ref.id
    assert reward.notes.startswith("[policy:received] Referral received")


def test_the_choice_is_validated(store):
    with pytest.raises(ValidationError) as caught:
        reward_policy.set_policy(voucher_holder="never")
    assert caught.value.field == "voucher_holder"
    assert "must be one of redemption, won, not 'never'" in caught.value.message
    assert reward_policy.get_policy().voucher_holder == "won"
    assert reward_policy.set_policy(voucher_holder="redemption").voucher_holder == "redemption"
    assert reward_policy.get_policy().to_dict()["voucher_holder"] == "redemption"


# -- the face value as a cost ----------------------------------------------------------------


def face_values() -> list[models.Reward]:
    return list(models.Reward.select().where(models.Reward.kind == "voucher"))


def test_the_face_value_is_a_cost_from_the_redemption_exactly_once(holder):
    code = voucher_for(holder, value="50")
    voucher_for(holder, value="70")  # only issued: no cost
    voided = voucher_for(holder, value="90")
    redemption.void(voided, "lost in the post")
    assert face_values() == []
    assert stats.summary()["reward_cost"] == {}

    out = redemption.redeem(code, new_friend="Maria Rossi")
    [cost] = face_values()
    assert out["face_value_reward_id"] == cost.id
    assert (cost.contact_id, cost.referral_id, cost.amount, cost.currency, cost.status) == (
        out["friend_id"],
        out["referral_id"],
        Decimal("50.00"),
        "EUR",
        "given",
    )
    assert cost.given_at is not None and cost.created_at.date() == TODAY
    assert (
        cost.notes
        == f"[voucher] Voucher {code} from Anna Rossi redeemed by Maria Rossi: its face value"
    )
    [row] = rewards.ledger(reward_ids=[cost.id])
    assert (row["kind"], row["policy"], row["amount"]) == ("voucher", None, Decimal("50.00"))

    # Redeeming again is refused and costs nothing more; the win adds the holder's reward only.
    with pytest.raises(ValidationError):
        redemption.redeem(code, new_friend="Eva Klein")
    referrals.change_status(out["referral_id"], "won", value="300")
    assert face_values() == [cost]
    figures = stats.summary()
    assert figures["reward_cost"] == {"EUR": Decimal("75.00")}  # 50 face value + 25 thank-you
    assert figures["rewards"] == 2


def test_the_face_value_counts_in_the_roi_of_the_holder_and_the_totals(holder):
    out = redemption.redeem(voucher_for(holder, value="50"), new_friend="Maria Rossi")
    referrals.change_status(out["referral_id"], "won", value="300")
    [row, total] = reward_roi.roi(group_by="giver")
    assert (row["group"], row["won_value"], row["cost"], row["rewards"]) == (
        holder,
        Decimal("300.00"),
        Decimal("75.00"),
        2,
    )
    assert row["roi"] == 3.0 and total["cost"] == Decimal("75.00")
    [tangible, _total] = reward_roi.roi(group_by="program")
    assert (tangible["group"], tangible["cost"]) == ("tangible", Decimal("75.00"))
    # The ledger's totals: the friend was given the face value, the holder's thank-you waits.
    totals = {t["name"]: t for t in rewards.totals_by_giver()}
    assert totals["Maria Rossi"]["given"] == {"EUR": Decimal("50.00")}
    assert totals["Anna Rossi"]["pending"] == {"EUR": Decimal("25.00")}


def test_the_face_value_counts_for_the_day_of_a_back_dated_redemption(holder):
    day = TODAY - dt.timedelta(days=40)
    code = voucher_for(holder)
    models.Voucher.update(created_at=dt.datetime.combine(day, dt.time(9))).execute()
    redemption.redeem(code, new_friend="Maria Rossi", today=day)
    assert stats.summary(day, day)["reward_cost"] == {"EUR": Decimal("50.00")}
    assert stats.summary(TODAY - dt.timedelta(days=7), TODAY)["reward_cost"] == {}
