"""The team pieces on a real PostgreSQL server, with two connections at once.

Each test gets a fresh schema of the test session's database on the server
(``pg_server``, see tests/backends.py) with the whole app schema. Work runs on
two threads: peewee gives each its own connection, so the server sees two
colleagues. Covered: the advisory lock (``serialise``), the row-version lock,
a contact saved by two people, one voucher redeemed twice, A→B and B→A at once.
Skipped with the reason when no server answers, or with ``--backend=sqlite``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest

from crm.core import (
    clock,
    contacts,
    models,
    redemption,
    referral_rules,
    referrals,
    users,
    versions,
    vouchers,
)
from crm.core import db as dbm
from crm.core.contact_fields import ContactData
from crm.core.errors import ConflictError, ValidationError


@pytest.fixture
def pg(request, pg_server, monkeypatch, tmp_path) -> Iterator[dbm.Store]:
    """The app's schema on the server, open (the models bound to it); emptied afterwards."""
    if request.config.getoption("--backend") == "sqlite":
        pytest.skip("PostgreSQL tests not chosen (--backend=sqlite)")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    before = clock.now()
    made = pg_server.fresh()
    clock.set_now(before)
    store = dbm.open_database(made.target)
    try:
        yield store
    finally:
        store.close()
        dbm.close_thread_connection()
        pg_server.end_test(made)


def _on_thread(work, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = work()
        except Exception as exc:
            results[key] = exc
        finally:
            dbm.close_thread_connection()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_serialise_takes_an_advisory_lock_until_the_transaction_ends(pg):
    held, results = threading.Event(), {}

    def first():
        with models.database_proxy.atomic():
            dbm.serialise("referral-forest")
            held.set()
            time.sleep(0.5)
            return time.monotonic()  # the lock goes with the commit just after

    def second(key):
        held.wait(10)
        with models.database_proxy.atomic():
            dbm.serialise(key)
            return time.monotonic()

    a = _on_thread(first, results, "first")
    b = _on_thread(lambda: second("referral-forest"), results, "second")
    c = _on_thread(lambda: second("something-else"), results, "other")
    for t in (a, b, c):
        t.join(30)
    assert not any(isinstance(v, Exception) for v in results.values()), results
    assert results["second"] >= results["first"]  # waited for the first to commit
    assert results["other"] < results["first"]  # another key did not wait


def test_a_row_version_conflict_between_two_connections(pg):
    users.set_current("maria")
    anna = models.Contact.create(given_name="Anna", family_name="Rossi")
    read = anna.version
    locked, results = threading.Event(), {}

    def maria():
        with models.database_proxy.atomic():
            versions.lock(models.Contact, anna.id, read, "contact")
            locked.set()
            time.sleep(0.4)
            row = models.Contact.get_by_id(anna.id)
            row.city = "Torino"
            row.save()
        return "saved"

    def luca():
        locked.wait(10)
        with models.database_proxy.atomic():
            # Waits on maria's row lock, then finds the row moved on.
            versions.lock(models.Contact, anna.id, read, "contact")
            return "saved too"

    threads = [_on_thread(maria, results, "maria"), _on_thread(luca, results, "luca")]
    for t in threads:
        t.join(30)
    assert results["maria"] == "saved"
    refusal = results["luca"]
    assert isinstance(refusal, ConflictError), refusal
    assert refusal.who == "maria" and refusal.version == read + 1
    stored = models.Contact.get_by_id(anna.id)
    assert (stored.city, stored.version, stored.changed_by) == ("Torino", read + 1, "maria")


def _together(*works, hold: float = 0.3) -> dict:
    """Run each ``(name, work)`` on its own thread and connection, started at one moment."""
    results: dict = {}
    threads = [_on_thread(work, results, name) for name, work in works]
    for t in threads:
        t.join(60)
    assert all(not t.is_alive() for t in threads), "a connection never finished"
    return results


def _slowed(monkeypatch, module, name: str, gate: threading.Barrier, hold: float) -> None:
    """``module.name`` waits for the other thread to get there, then holds what it took a while.

    Both transactions are under way before either writes; whoever goes first keeps
    its locks long enough that, without them, the other would read stale rows.
    """
    real = getattr(module, name)

    def slowed(*args, **kwargs):
        gate.wait(20)
        done = real(*args, **kwargs)
        time.sleep(hold)
        return done

    monkeypatch.setattr(module, name, slowed)


def test_a_contact_saved_by_two_colleagues_at_once_keeps_the_first_and_says_who(pg, monkeypatch):
    users.set_current("luca")
    anna = contacts.create_contact(ContactData(given_name="Anna", family_name="Rossi"))
    read = anna.version
    _slowed(monkeypatch, versions, "lock", threading.Barrier(2), 0.4)

    def save(city):
        return lambda: contacts.update_contact(anna.id, expected_version=read, city=city).city

    results = _together(("a", save("Torino")), ("b", save("Milano")))
    saved = [v for v in results.values() if isinstance(v, str)]
    refused = [v for v in results.values() if isinstance(v, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1, results
    refusal = refused[0]
    assert refusal.who == "luca" and refusal.version == read + 1
    assert isinstance(refusal.when, dt.datetime)
    assert refusal.summary.startswith("luca changed this contact at ")
    assert "your changes were not saved" in refusal.message
    stored = models.Contact.get_by_id(anna.id)
    assert (stored.city, stored.version, stored.changed_by) == (saved[0], read + 1, "luca")
    # One history line for the save that went through, none for the refused one.
    i = models.Interaction
    changed = i.select().where((i.contact == anna.id) & (i.kind == "updated"))
    assert [line.summary for line in changed] == ["Changed city"]


def test_one_voucher_redeemed_twice_at_once_is_redeemed_exactly_once(pg, monkeypatch):
    holder = contacts.create_contact(
        ContactData(given_name="Maria", family_name="Holder", marketing_consent=True)
    ).id
    [issued] = vouchers.issue(
        [holder], value="50", expires=clock.today() + dt.timedelta(days=90), batch="b"
    )
    code = issued["code"]
    friends = [
        contacts.create_contact(ContactData(given_name=g, family_name="Friend")).id
        for g in ("Ugo", "Eva")
    ]
    # Both have read the voucher as issued before either claims it.
    _slowed(monkeypatch, redemption, "_find", threading.Barrier(2), 0.0)

    def redeem(friend):
        return lambda: redemption.redeem(code, friend_id=friend)

    results = _together(("ugo", redeem(friends[0])), ("eva", redeem(friends[1])))
    done = [v for v in results.values() if isinstance(v, dict)]
    refused = [v for v in results.values() if isinstance(v, ValidationError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "redeemed" in refused[0].message
    v = models.Voucher.get(models.Voucher.code == code)
    assert (v.status, v.redeemed_by_id) == ("redeemed", done[0]["friend_id"])
    r = models.Referral
    made = list(r.select().where(r.giver == holder))
    assert [x.referred_id for x in made] == [done[0]["friend_id"]]
    rw = models.Reward
    costs = rw.select().where(rw.referral.in_([x.id for x in made]))
    assert costs.count() >= 1
    assert rw.select().count() == costs.count()  # nothing for the refused redemption


def test_a_to_b_and_b_to_a_recorded_at_once_make_no_cycle(pg, monkeypatch):
    a = contacts.create_contact(ContactData(given_name="Aldo", family_name="Uno")).id
    b = contacts.create_contact(ContactData(given_name="Bice", family_name="Due")).id
    # Both transactions begin, then each asks for the forest; the first keeps it a while.
    _slowed(monkeypatch, referral_rules, "serialise_forest", threading.Barrier(2), 0.4)
    results = _together(
        ("a_to_b", lambda: referrals.record_referral(a, b).id),
        ("b_to_a", lambda: referrals.record_referral(b, a).id),
    )
    recorded = [v for v in results.values() if isinstance(v, int)]
    refused = [v for v in results.values() if isinstance(v, ValidationError)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert "cycle" in refused[0].message
    r = models.Referral
    rows = [(x.giver_id, x.referred_id, x.is_primary) for x in r.select()]
    assert rows in ([(a, b, True)], [(b, a, True)])
