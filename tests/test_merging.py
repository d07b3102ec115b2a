"""Merging two contacts keeps everything of both; undo brings the database back exactly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dbtools import dump_lines, refused

from crm.core import (
    chain,
    clock,
    contacts,
    erasure,
    events,
    followups,
    interactions,
    merging,
    models,
    redemption,
    referrals,
    rewards,
    vouchers,
)
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError

TODAY = clock.today()


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def refer(giver: int, referred: int, **kw) -> int:
    return referrals.record_referral(giver, referred, **kw).id


def logical_dump(store, skip_history_after: int | None = None) -> list[str]:
    """Every row of every table, sorted (tag links come back under new hidden rowids).

    The merge record, history lines after ``skip_history_after`` and the search
    index's internal pages are left out (the index is compared by its content).
    """
    lines = []
    for line in dump_lines(store):
        if line.startswith(('INSERT INTO "merge_record"', 'INSERT INTO "contact_fts')):
            continue
        history = line.startswith('INSERT INTO "interaction" VALUES(')
        row_id = int(line.split("(", 1)[1].split(",", 1)[0]) if history else 0
        if skip_history_after is not None and row_id > skip_history_after:
            continue
        lines.append(line)
    return sorted(lines)


def index_content(store) -> list[tuple[int, str]]:
    return sorted(store.db.execute_sql("SELECT rowid, body FROM contact_fts").fetchall())


def last_history_id() -> int:
    return models.Interaction.select().order_by(models.Interaction.id.desc()).first().id


@pytest.fixture
def world(store):
    """Maria twice, each with her own referrals, events, history, rewards and vouchers."""
    keep = person(
        "Maria",
        "Papadopoulou",
        emails=["maria@akmi.gr"],
        phones=["+30 691 234 5678"],
        organization="Akmi",
        city="Athens",
        tags=["VIP"],
        notes="Likes coffee",
    )
    other = person(
        "María",
        "Papadopoulou",
        emails=["MARIA@akmi.gr", "m.papa@gmail.com"],
        phones=["+306912345678", "+30 210 123 4567"],
        title="CEO",
        street="Ermou 10",
        city="Αθήνα",
        birthday="1980-04-15",
        tags=["vip", "Chamber"],
        notes="Met at the chamber",
        marketing_consent=True,
        consent_date=TODAY - dt.timedelta(days=30),
        stage="lead",
    )
    nikos = person("Nikos", "Alexiou")
    giorgos = person("Γιώργος", "Νικολάου")
    eleni = person("Ελένη", "Δημητρίου")
    friend = person("Niccolò", "Conti")
    friend2 = person("Иван", "Петров")
    anna = person("Anna", "Rossi")
    holder = person("Sara", "Bianchi", marketing_consent=True)
    ids = {
        "keep": keep,
        "other": other,
        "nikos": nikos,
        "giorgos": giorgos,
        "eleni": eleni,
        "friend": friend,
        "friend2": friend2,
        "anna": anna,
        "holder": holder,
    }
    ids["nikos_keep"] = refer(nikos, keep)  # keep's primary referrer
    ids["giorgos_other"] = refer(giorgos, other)  # other's primary referrer
    ids["eleni_keep"] = refer(eleni, keep)
    ids["eleni_other"] = refer(eleni, other)  # repeats eleni_keep once merged
    ids["other_keep"] = refer(other, keep)  # a self-referral once merged
    ids["other_friend"] = refer(other, friend, status="won", value="1200")
    ids["keep_friend2"] = refer(keep, friend2)
    ids["passed"] = refer(nikos, anna, receiver_id=other)  # passed on to the other Maria
    both = events.create_event("Chamber evening", TODAY - dt.timedelta(days=20)).id
    only = events.create_event("BNI breakfast", TODAY - dt.timedelta(days=10)).id
    events.attend(both, keep)
    events.attend(both, other, met_in_person=True)
    events.attend(only, other, role="speaker")
    ids.update(both=both, only=only)
    followups.create_followup(other, TODAY + dt.timedelta(days=3), title="Send the offer")
    ids["reward"] = rewards.add_reward(other, "gift", "30", referral_id=ids["other_friend"])
    [held] = vouchers.issue([other], value="50", expires=TODAY + dt.timedelta(days=90), batch="Q")
    [given] = vouchers.issue([holder], value="50", expires=TODAY + dt.timedelta(days=90), batch="Q")
    redemption.redeem(given["code"], friend_id=other)
    ids.update(held=held["id"], given=given["id"])
    interactions.add_note(other, "call", "Asked about the new offices")
    return ids


def test_merge_moves_everything_and_fills_the_empty_fields(world):
    keep, other = world["keep"], world["other"]
    merge_id = merging.merge(keep, other)

    assert models.Contact.get_or_none(models.Contact.id == other) is None
    kept = contacts.details(keep)
    assert kept["emails"] == ["maria@akmi.gr", "m.papa@gmail.com"]
    assert kept["phones"] == ["+306912345678", "+302101234567"]
    assert kept["tags"] == ["Chamber", "VIP"]
    assert (kept["title"], kept["birthday"], kept["stage"]) == ("CEO", "1980-04-15", "lead")
    # The address moves whole or not at all: the kept Maria has a city already.
    assert (kept["street"], kept["city"]) == ("", "Athens")
    assert kept["notes"] == "Likes coffee\n\nMet at the chamber"
    assert kept["marketing_consent"] is True
    assert kept["consent_date"] == (TODAY - dt.timedelta(days=30)).isoformat()
    row = models.Contact.get_by_id(keep)
    assert (row.email, row.phone) == ("maria@akmi.gr", "+306912345678")

    r = models.Referral
    pairs = {(x.giver_id, x.referred_id, x.is_primary) for x in r.select()}
    assert pairs == {
        (world["nikos"], keep, True),  # the kept Maria's own primary referrer stays
        (world["giorgos"], keep, False),
        (world["eleni"], keep, False),  # once, not twice
        (keep, world["friend"], True),
        (keep, world["friend2"], True),
        (world["nikos"], world["anna"], True),
        (world["holder"], keep, False),  # the voucher's referral
    }
    assert r.get_by_id(world["passed"]).receiver_id == keep
    assert r.get_or_none(r.id == world["eleni_other"]) is None
    assert r.get_or_none(r.id == world["other_keep"]) is None
    # What pointed at the repeated referral points at the one kept.
    moved = models.FollowUp.get(models.FollowUp.title.contains("referred by Ελένη"))
    assert (moved.contact_id, moved.referral_id) == (keep, world["eleni_keep"])

    a = models.Attendance
    assert sorted((x.event_id, x.role, x.met_in_person) for x in a.select()) == [
        (world["both"], "visitor", True),  # ours, and that we met her
        (world["only"], "speaker", False),
    ]
    assert {x.contact_id for x in a.select()} == {keep}
    assert models.Reward.get_by_id(world["reward"]).contact_id == keep
    assert models.Voucher.get_by_id(world["held"]).holder_id == keep
    assert models.Voucher.get_by_id(world["given"]).redeemed_by_id == keep
    titles = [f.title for f in models.FollowUp.select().where(models.FollowUp.contact == keep)]
    assert "Send the offer" in titles
    history = [(i.kind, i.summary) for i in interactions.history(keep)]
    assert history[0] == ("updated", f"Merged with María Papadopoulou (#{other})")
    assert ("call", "Asked about the new offices") in history
    assert not models.Interaction.select().where(models.Interaction.contact == other).exists()

    assert contacts.query_ids("2101234567") == [keep]
    assert contacts.query_ids("gmail") == [keep]
    assert not models.database_proxy.execute_sql(
        "SELECT 1 FROM contact_fts WHERE rowid = ?", (other,)
    ).fetchone()

    record = models.MergeRecord.get_by_id(merge_id)
    assert (record.kept_id, record.removed_id, record.undone_at) == (keep, other, None)
    snapshot = json.loads(record.snapshot)
    assert snapshot["removed_name"] == "María Papadopoulou"
    last = snapshot["ops"][-1]  # the removed contact's row, whole, goes last
    assert (last["op"], last["table"], last["row"]["id"]) == ("delete", "contact", other)
    assert last["row"]["given_name"] == "María" and last["row"]["birthday"] == "1980-04-15"
    assert merging.merges() == [
        {
            "id": merge_id,
            "kept_id": keep,
            "kept_name": "Maria Papadopoulou",
            "removed_id": other,
            "removed_name": "María Papadopoulou",
            "merged_at": record.merged_at.isoformat(sep=" "),
            "undone_at": None,
        }
    ]


def test_undo_restores_every_row_exactly(world, store):
    history = last_history_id()
    before = logical_dump(store)
    index = index_content(store)
    merge_id = merging.merge(world["keep"], world["other"])
    assert logical_dump(store, history) != before
    result = merging.undo(merge_id)
    assert result == {"merge_id": merge_id, "kept_id": world["keep"], "restored_id": world["other"]}
    assert logical_dump(store, history) == before
    assert index_content(store) == index
    lines = [i.summary for i in interactions.history(world["keep"])[:2]]
    assert lines == [
        f"Undid the merge with María Papadopoulou (#{world['other']})",
        f"Merged with María Papadopoulou (#{world['other']})",
    ]
    assert models.MergeRecord.get_by_id(merge_id).undone_at is not None
    assert contacts.query_ids("gmail") == [world["other"]]


def test_merging_the_other_way_round_undoes_too(world, store):
    history = last_history_id()
    before = logical_dump(store)
    merge_id = merging.merge(world["other"], world["keep"])
    kept = contacts.details(world["other"])
    assert kept["emails"] == ["MARIA@akmi.gr", "m.papa@gmail.com"]
    assert kept["notes"] == "Met at the chamber\n\nLikes coffee"
    merging.undo(merge_id)
    assert logical_dump(store, history) == before


def test_undo_refusals_change_nothing(world, store, unchanged):
    keep, other = world["keep"], world["other"]
    with refused(unchanged, "No merge with id 99", error=NotFoundError):
        merging.undo(99)
    merge_id = merging.merge(keep, other)
    contacts.update_contact(keep, title="Director")
    with refused(
        unchanged,
        f"Merge {merge_id} cannot be undone: contact {keep} changed since "
        "(title is now 'Director', not 'CEO')",
    ):
        merging.undo(merge_id)
    contacts.update_contact(keep, title="CEO")
    contacts.update_contact(keep, emails=["maria@akmi.gr"])  # rewrites the email rows
    with refused(unchanged, f"Merge {merge_id} cannot be undone: email ", "was deleted since"):
        merging.undo(merge_id)


@pytest.mark.sqlite_only  # PostgreSQL never hands out an id twice
def test_undo_is_refused_once_the_id_is_taken_or_after_an_undo(store, unchanged):
    keep = person("Maria", "Rossi", emails=["m@rossi.it"])
    other = person("Maria", "Rossi", emails=["maria@rossi.it"])  # the highest id
    merge_id = merging.merge(keep, other)
    newcomer = person("Nikos", "Alexiou")
    assert newcomer == other  # SQLite gives the free highest id again
    with refused(
        unchanged, f"Merge {merge_id} cannot be undone: contact id {other} is now Nikos Alexiou's"
    ):
        merging.undo(merge_id)
    models.Interaction.delete().where(models.Interaction.contact == newcomer).execute()
    models.Contact.delete().where(models.Contact.id == newcomer).execute()
    models.database_proxy.execute_sql("DELETE FROM contact_fts WHERE rowid = ?", (newcomer,))
    merging.undo(merge_id)
    assert contacts.details(other)["emails"] == ["maria@rossi.it"]
    with refused(unchanged, f"Merge {merge_id} was already undone on {TODAY.isoformat()}"):
        merging.undo(merge_id)


def test_merge_refusals_change_nothing(store, unchanged):
    a = person("Maria", "Rossi")
    b = person("Maria", "Rossi")
    with refused(unchanged, "A contact cannot be merged with itself"):
        merging.merge(a, a)
    with refused(unchanged, "No contact with id 404", error=NotFoundError):
        merging.merge(a, 404)
    erasure.erase(b)
    with refused(unchanged, f"Contact #{b} was erased on request: it cannot be merged"):
        merging.merge(a, b)


def test_the_primary_referrer_forest_stays_a_forest(store):
    # a → b → c → d, each the primary referrer of the next; x also referred d.
    a, b, c, d, x = (person(n, "Chain") for n in ("Alpha", "Beta", "Gamma", "Delta", "Xenia"))
    refer(a, b)
    refer(b, c)
    cd = refer(c, d)
    xd = refer(x, d)
    # Keep d, remove a: a's referral of b becomes d's, and d → b → c → d would be a cycle.
    merging.merge(d, a)
    r = models.Referral
    assert r.get_by_id(cd).is_primary is False  # demoted: c came through d now
    assert r.get_by_id(xd).is_primary is True  # the referrer that closes no cycle
    assert chain.ancestor_ids(d) == [x]
    assert [n.id for n in chain.descendants(d)] == [b, c]
    for contact in (b, c, d, x):
        assert contact not in chain.ancestor_ids(contact)
    assert r.select().where(r.is_primary).count() == 3


def test_merging_into_an_ancestor_leaves_a_root(store):
    a, b, c = (person(n, "Chain") for n in ("Alpha", "Beta", "Gamma"))
    refer(a, b)
    bc = refer(b, c)
    # Keep a, remove c: b referred c, so b now referred a, a root above b.
    merging.merge(a, c)
    r = models.Referral
    assert r.get_by_id(bc).referred_id == a
    assert r.get_by_id(bc).is_primary is False
    assert chain.ancestor_ids(a) == []
    assert chain.ancestor_ids(b) == [a]


def test_side_by_side(world):
    data = merging.side_by_side(world["keep"], world["other"])
    fields = {f["field"]: (f["a"], f["b"], f["same"]) for f in data["fields"]}
    assert fields["given_name"] == ("Maria", "María", True)  # alike once folded
    assert fields["emails"] == (["maria@akmi.gr"], ["MARIA@akmi.gr", "m.papa@gmail.com"], False)
    assert fields["organization"] == ("Akmi", None, False)
    # "vip" and "VIP" are one tag, named by whoever typed it first.
    assert fields["tags"] == (["VIP"], ["Chamber", "VIP"], False)
    assert [f["field"] for f in data["fields"]] == list(merging.SIDE_BY_SIDE_FIELDS)
    history = models.Interaction.select().where(models.Interaction.contact == world["keep"])
    assert data["counts"]["a"] == {
        "referrals_given": 1,
        "referrals_received": 3,
        "attendance": 1,
        "history": history.count(),
        "followups": 3,  # one "contact within 2 days" per referral received
        "rewards": 0,
        "vouchers": 0,
    }
    assert data["counts"]["b"]["referrals_given"] == 2
    assert data["counts"]["b"]["attendance"] == 2
    assert data["counts"]["b"]["vouchers"] == 1
    with pytest.raises(Exception, match="two different contacts"):
        merging.side_by_side(world["keep"], world["keep"])
