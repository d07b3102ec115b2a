"""Redeeming and voiding vouchers: the friend, the referral, the reward, every refusal, races."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from decimal import Decimal
from pathlib import Path

import pytest
from dbtools import refused

from crm import cli
from crm.core import (
    clock,
    codes,
    contacts,
    interactions,
    models,
    redemption,
    referrals,
    reward_policy,
    vouchers,
)
from crm.core import db as dbm
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError, ValidationError
from crm.core.text import split_name

TODAY = clock.today()
NEXT_YEAR = TODAY + dt.timedelta(days=365)


def person(given: str, family: str = "", **fields) -> int:
    fields.setdefault("marketing_consent", True)  # vouchers go to people who agreed
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def voucher_for(holder: int, **kw) -> str:
    kw.setdefault("value", "50")
    kw.setdefault("expires", NEXT_YEAR)
    kw.setdefault("batch", "2026-Q4")
    [v] = vouchers.issue([holder], **kw)
    return v["code"]


def sloppy(code: str) -> str:
    """The code as someone types it: lower case, no prefix, no dashes."""
    return code.removeprefix("PSP-").replace("-", "").lower()


def typo(code: str) -> str:
    """``code`` with one character misread: the check character catches it."""
    body = code[len("PSP-") :]
    first = body[0]
    other = next(ch for ch in codes.ALPHABET if ch != first)
    return "PSP-" + other + body[1:]


def kinds(contact_id: int) -> list[str]:
    return [line.kind for line in interactions.history(contact_id)]


@pytest.fixture
def holder(store) -> int:
    return person("Anna", "Παπαδοπούλου", emails=["anna@example.com"])


# -- redeeming ------------------------------------------------------------------------


def policy_rewards() -> list[models.Reward]:
    """The rewards the policy made (not a voucher's face value)."""
    w = models.Reward
    return list(w.select().where(w.notes.startswith("[policy:")).order_by(w.id))


def test_redeem_for_a_new_friend(holder):
    reward_policy.set_policy(
        voucher_holder="redemption", amount_mode="fixed", fixed_amount="20", kind="gift"
    )
    code = voucher_for(holder)
    out = redemption.redeem(sloppy(code), new_friend="Μαρία Νικολάου")
    friend = models.Contact.get_by_id(out["friend_id"])
    assert (friend.given_name, friend.family_name) == ("Μαρία", "Νικολάου")
    assert friend.channel == "referral"
    assert out["friend_created"] is True and out["friend"] == "Μαρία Νικολάου"
    assert out["code"] == code and out["status"] == "redeemed" and out["holder_id"] == holder

    ref = models.Referral.get_by_id(out["referral_id"])
    assert (ref.giver_id, ref.referred_id, ref.program) == (holder, friend.id, "tangible")
    assert ref.is_primary and out["primary"] is True
    assert ref.status == "new" and ref.referred_on == TODAY and ref.currency == "EUR"

    v = models.Voucher.get(models.Voucher.code == code)
    assert (v.status, v.redeemed_by_id, v.referral_id) == ("redeemed", friend.id, ref.id)
    assert v.redeemed_at is not None and v.redeemed_at.date() == TODAY
    assert out["redeemed_by_id"] == friend.id and out["referral_id"] == ref.id

    # Both histories say so, tied to the voucher and the referral.
    for cid, text in ((holder, "redeemed by Μαρία Νικολάου"), (friend.id, "from Anna")):
        [line] = [x for x in interactions.history(cid) if x.kind == "voucher_redeemed"]
        assert line.voucher_id == v.id and line.referral_id == ref.id and text in line.summary
    # The holder's reward comes from the policy (rewarding the holder at redemption).
    [reward] = policy_rewards()
    assert reward.referral_id == ref.id
    assert reward.notes == (
        f"[policy:redeemed] Voucher {code} redeemed by Μαρία Νικολάου, "
        "reward for the voucher holder: fixed 20.00 EUR"
    )
    assert out["reward_ids"] == [reward.id]
    assert out["rewards"] == [
        {
            "id": reward.id,
            "contact_id": holder,
            "kind": "gift",
            "amount": 20.0,
            "currency": "EUR",
            "points": 0,
            "status": "pending",
        }
    ]
    # The new referral's usual "contact within N days" reminder.
    assert models.FollowUp.select().where(models.FollowUp.referral == ref.id).count() == 1


def test_a_policy_for_won_referrals_rewards_the_holder_when_the_friend_buys(holder):
    # A percentage of the won value waits for the win, even when the holder is
    # rewarded at redemption: only the win gives the value.
    reward_policy.set_policy(
        voucher_holder="redemption", amount_mode="percent", percent="10", cap="50"
    )
    code = voucher_for(holder)
    out = redemption.redeem(code, new_friend="Maria Rossi")
    assert out["reward_ids"] == [] and out["rewards"] == []
    assert policy_rewards() == []
    referrals.change_status(out["referral_id"], "won", value="300")
    [reward] = policy_rewards()
    assert (reward.contact_id, reward.amount, reward.currency) == (holder, Decimal("30.00"), "EUR")
    assert reward.notes == (
        f"[policy:won] Voucher {code} redeemed by Maria Rossi; referral won, "
        "reward for the voucher holder: 10.00% of 300 EUR = 30.00"
    )


def test_a_two_sided_policy_rewards_the_friend_too(holder):
    reward_policy.set_policy(
        voucher_holder="redemption", amount_mode="fixed", fixed_amount="15", sides="two"
    )
    out = redemption.redeem(voucher_for(holder), new_friend="Maria Rossi")
    assert [(r["contact_id"], r["amount"]) for r in out["rewards"]] == [
        (holder, 15.0),
        (out["friend_id"], 15.0),
    ]


def test_redeem_for_a_friend_already_in_the_contacts(holder):
    code = voucher_for(holder)
    first = person("Giorgos", "Ioannou")
    friend = person("Marco", "De Luca")
    referrals.record_referral(first, friend)  # Giorgos is Marco's primary referrer
    out = redemption.redeem(f"  {code.lower()} ", friend_id=friend)
    assert out["friend_id"] == friend and out["friend_created"] is False
    ref = models.Referral.get_by_id(out["referral_id"])
    assert (ref.giver_id, ref.referred_id, ref.program) == (holder, friend, "tangible")
    assert not ref.is_primary and out["primary"] is False
    assert models.Contact.select().count() == 3  # nobody new


def test_a_greek_keyboard_and_the_pair_form_of_a_name(holder):
    code = voucher_for(holder)
    # A Greek keyboard types Greek capitals that look like the Latin ones.
    greek = code.translate(str.maketrans("ABEHKMNPTXYZ", "ΑΒΕΗΚΜΝΡΤΧΥΖ"))
    out = redemption.redeem(greek, new_friend=("Jean", "van der Berg"))
    friend = models.Contact.get_by_id(out["friend_id"])
    assert (friend.given_name, friend.family_name) == ("Jean", "van der Berg")


@pytest.mark.parametrize(
    ("text", "given", "family"),
    [
        ("Maria Rossi", "Maria", "Rossi"),
        ("  Anna   Maria  Rossi ", "Anna Maria", "Rossi"),
        ("Marco De Luca", "Marco", "De Luca"),
        ("Ludwig van der Berg", "Ludwig", "van der Berg"),
        ("Rossi, Maria Grazia", "Maria Grazia", "Rossi"),
        ("Cher", "Cher", ""),
        ("Μαρία Παπαδοπούλου", "Μαρία", "Παπαδοπούλου"),
        ("De Luca", "De", "Luca"),
    ],
)
def test_split_name(text, given, family):
    assert split_name(text) == (given, family)


def test_redeemable_describes_the_voucher_and_changes_nothing(holder, unchanged):
    code = voucher_for(holder, value="75")
    with unchanged():
        info = redemption.redeemable(sloppy(code))
    assert (info["code"], info["holder"], info["value"], info["status"]) == (
        code,
        "Anna Παπαδοπούλου",
        75.0,
        "issued",
    )


def test_recent_redemptions(holder):
    codes_ = [voucher_for(holder, batch=f"B{i}") for i in range(3)]
    redemption.redeem(codes_[0], new_friend="Eva Klein", today=TODAY - dt.timedelta(days=2))
    redemption.redeem(codes_[2], new_friend="Ivo Petrov")
    recent = redemption.recent_redemptions()
    assert [(r["code"], r["friend"], r["holder"]) for r in recent] == [
        (codes_[2], "Ivo Petrov", "Anna Παπαδοπούλου"),
        (codes_[0], "Eva Klein", "Anna Παπαδοπούλου"),
    ]


# -- refusals: each with its own message, and nothing changes ---------------------------


def test_a_typo_is_refused(holder, unchanged):
    code = voucher_for(holder)
    with refused(unchanged, "has a typo", "check character", field="code"):
        redemption.redeem(typo(code), new_friend="Maria Rossi")
    with refused(unchanged, "which voucher codes never use", field="code"):
        redemption.redeem(code.replace(code[4], "0", 1), new_friend="Maria Rossi")
    with refused(unchanged, "Type the voucher code", field="code"):
        redemption.redeem("  ", new_friend="Maria Rossi")


def test_an_unknown_code_is_refused(holder, unchanged):
    voucher_for(holder)
    other = codes.format_code(codes.with_check("23456789"))
    with refused(unchanged, f"No voucher has the code {other}", field="code"):
        redemption.redeem(other, new_friend="Maria Rossi")
    with refused(unchanged, f"No voucher has the code {other}", error=NotFoundError):
        redemption.redeemable(other)


def test_an_expired_voucher_is_refused(holder, unchanged):
    long_ago = TODAY - dt.timedelta(days=100)
    expired = TODAY - dt.timedelta(days=1)
    code = voucher_for(holder, expires=expired, today=long_ago)
    assert vouchers.list_vouchers()[0]["status"] == "expired"
    message = f"Voucher {code} expired on {expired.isoformat()}"
    with refused(unchanged, message, field="code"):
        redemption.redeem(code, new_friend="Maria Rossi")
    with refused(unchanged, message):
        redemption.redeemable(code)
    # The last valid day is the expiry day itself.
    assert redemption.redeem(code, new_friend="Maria Rossi", today=expired)["status"] == "redeemed"


def test_an_already_redeemed_voucher_is_refused(holder, unchanged):
    code = voucher_for(holder)
    day = TODAY - dt.timedelta(days=3)
    redemption.redeem(code, new_friend="Maria Rossi", today=day)
    message = f"Voucher {code} was already redeemed on {day.isoformat()} by Maria Rossi"
    with refused(unchanged, message, field="code"):
        redemption.redeem(code, new_friend="Eva Klein")
    eva = person("Eva", "Klein")
    with refused(unchanged, message):
        redemption.redeem(code, friend_id=eva)


def test_a_voided_voucher_is_refused(holder, unchanged):
    code = voucher_for(holder)
    redemption.void(code, "lost in the post")
    with refused(unchanged, f"Voucher {code} was voided on {TODAY.isoformat()}", field="code"):
        redemption.redeem(code, new_friend="Maria Rossi")


def test_the_holder_cannot_redeem_their_own_voucher(holder, unchanged):
    code = voucher_for(holder)
    with refused(unchanged, "Anna Παπαδοπούλου holds voucher", "not by them", field="friend"):
        redemption.redeem(code, friend_id=holder)


def test_a_friend_the_holder_already_referred_is_refused(holder, unchanged):
    code = voucher_for(holder)
    friend = person("Maria", "Rossi")
    ref = referrals.record_referral(holder, friend)
    with refused(
        unchanged,
        f"Anna Παπαδοπούλου already referred Maria Rossi on {TODAY.isoformat()} "
        f"(referral {ref.id})",
        "not redeemed",
        field="friend",
    ):
        redemption.redeem(code, friend_id=friend)


def test_an_archived_or_missing_friend_is_refused(holder, unchanged):
    code = voucher_for(holder)
    friend = person("Maria", "Rossi")
    contacts.set_archived(friend, True)
    with refused(unchanged, "Maria Rossi", "is archived", field="friend"):
        redemption.redeem(code, friend_id=friend)
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        redemption.redeem(code, friend_id=999)


def test_the_friend_must_be_named_once(holder, unchanged):
    code = voucher_for(holder)
    with refused(unchanged, "Name the friend who brought the voucher", field="friend"):
        redemption.redeem(code)
    with refused(unchanged, "Name the friend", field="friend"):
        redemption.redeem(code, friend_id=holder, new_friend="Maria Rossi")
    with refused(unchanged, "Type the new friend's name", field="new_friend"):
        redemption.redeem(code, new_friend="   ")


def test_a_refusal_after_the_claim_rolls_everything_back(holder, unchanged):
    """A cycle is found only when the referral is recorded, after the voucher was claimed:
    the claim, the new friend and everything else roll back with it."""
    code = voucher_for(holder)
    ancestor = person("Giorgos", "Ioannou")
    referrals.record_referral(ancestor, holder)  # Giorgos referred Anna
    with refused(unchanged, "would make a cycle", field="giver"):
        redemption.redeem(code, friend_id=ancestor)
    assert models.Voucher.get(models.Voucher.code == code).status == "issued"


def test_a_stale_read_loses_to_the_conditional_update(holder, unchanged, monkeypatch):
    """Even when a redemption read the voucher before another committed (as on a server
    database without the SQLite write lock), the claim updates no row and says why."""
    code = voucher_for(holder)
    stale = models.Voucher.get(models.Voucher.code == code)
    redemption.redeem(code, new_friend="Maria Rossi")
    monkeypatch.setattr(redemption, "_find", lambda _code: stale)
    with refused(unchanged, f"Voucher {code} was already redeemed", "by Maria Rossi"):
        redemption.redeem(code, new_friend="Eva Klein")


# -- two processes, one code -------------------------------------------------------------


def _race(path: str, code: str, name: str, barrier, results) -> None:
    """One process: open the database, wait for the other, redeem."""
    from crm.core import reward_policy

    store = dbm.open_database(path)
    original = reward_policy.apply_voucher

    def slow_policy(referral_id: int, moment: str) -> list[int]:
        # Hold the transaction open so the other process surely arrives meanwhile.
        time.sleep(0.5)
        return original(referral_id, moment)

    reward_policy.apply_voucher = slow_policy
    try:
        barrier.wait(timeout=30)
        out = redemption.redeem(code, new_friend=name)
        results.put(("redeemed", out["friend"]))
    except ValidationError as exc:
        results.put(("refused", exc.message))
    except Exception as exc:  # reported, so the test shows it
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        store.close()


def test_two_processes_redeeming_one_code_at_once(holder, store, db_path: Path):
    code = voucher_for(holder)
    store.close()  # the parent holds no connection while the two race
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_race, args=(str(db_path), code, name, barrier, results))
        for name in ("Maria Rossi", "Eva Klein")
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert sorted(kind for kind, _ in outcomes) == ["redeemed", "refused"], outcomes
    [winner] = [text for kind, text in outcomes if kind == "redeemed"]
    [message] = [text for kind, text in outcomes if kind == "refused"]
    assert f"Voucher {code} was already redeemed on {TODAY.isoformat()} by {winner}" in message

    v = models.Voucher.get(models.Voucher.code == code)
    assert v.status == "redeemed" and v.redeemed_by.display_name == winner
    # The loser's new contact was rolled back with the rest of its attempt.
    names = {c.display_name for c in models.Contact.select()}
    assert names == {"Anna Παπαδοπούλου", winner}
    assert models.Referral.select().count() == 1


# -- voiding -------------------------------------------------------------------------------


def test_void(holder):
    code = voucher_for(holder)
    out = redemption.void(sloppy(code), "  lost   in the post ")
    assert out["status"] == "void" and out["voided_at"].startswith(TODAY.isoformat())
    line = interactions.history(holder)[0]
    assert line.kind == "voucher_voided"
    assert line.summary == f"Voucher {code} voided: lost in the post"
    assert vouchers.list_vouchers()[0]["status"] == "void"


def test_an_expired_voucher_can_be_voided(holder):
    code = voucher_for(
        holder, expires=TODAY - dt.timedelta(days=1), today=TODAY - dt.timedelta(days=30)
    )
    assert redemption.void(code)["status"] == "void"


def test_void_refusals(holder, unchanged):
    code = voucher_for(holder, batch="A")
    redemption.void(code)
    with refused(unchanged, f"Voucher {code} was already voided on {TODAY.isoformat()}"):
        redemption.void(code)
    other = voucher_for(holder, batch="B")
    redemption.redeem(other, new_friend="Maria Rossi")
    with refused(unchanged, "already redeemed", "by Maria Rossi", "cannot be voided"):
        redemption.void(other)
    with refused(unchanged, "has a typo"):
        redemption.void(typo(other))
    unknown = codes.format_code(codes.with_check("23456789"))
    with refused(unchanged, "No voucher has the code"):
        redemption.void(unknown)


# -- the command --------------------------------------------------------------------------


def run(capsys, db_path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_redeem_and_void(holder, db_path, capsys):
    code = voucher_for(holder, batch="A")
    status, out, err = run(
        capsys, db_path, "vouchers", "redeem", sloppy(code), "--new-friend", "Μαρία Νικολάου"
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["status"] == "redeemed" and data["friend"] == "Μαρία Νικολάου"
    assert data["referral_id"] and data["friend_id"]

    friend = person("Eva", "Klein")
    other = voucher_for(holder, batch="B")
    status, out, err = run(capsys, db_path, "vouchers", "redeem", other, "--friend", str(friend))
    assert status == 0 and json.loads(out)["friend_id"] == friend

    third = voucher_for(holder, batch="C")
    status, out, _ = run(capsys, db_path, "vouchers", "void", third, "--reason", "torn")
    assert status == 0 and out.strip() == f"Voucher {third} of Anna Παπαδοπούλου is void"
    status, out, _ = run(capsys, db_path, "vouchers", "list", "--json")
    assert {v["code"]: v["status"] for v in json.loads(out)} == {
        code: "redeemed",
        other: "redeemed",
        third: "void",
    }


def test_cli_redeem_refusals(holder, store, db_path, capsys):
    from dbtools import dump

    code = voucher_for(holder)
    before = dump(store)
    for argv, part in (
        (["vouchers", "redeem", typo(code), "--new-friend", "A B"], "has a typo"),
        (["vouchers", "redeem", code], "--friend ID or --new-friend"),
        (["vouchers", "redeem", code, "--friend", str(holder)], "holds voucher"),
        (["vouchers", "void", typo(code)], "has a typo"),
    ):
        status, out, err = run(capsys, db_path, *argv)
        assert status == 2 and out == "", err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and part in lines[0], err
    assert dump(store) == before
