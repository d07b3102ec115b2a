"""The team pieces on a real PostgreSQL server: the advisory lock and the row-version lock.

Each test gets a throwaway database on the local server (127.0.0.1:5432, as the
development and CI machines run it) and binds the models to it for its length;
without a reachable server the tests are skipped with the reason printed.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from crm.core import db as dbm
from crm.core import models, users, versions
from crm.core.errors import ConflictError

SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


def _admin():
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        return psycopg.connect(**SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc})".replace("\n", " "))


@pytest.fixture
def pg() -> Iterator[object]:
    """The models bound to a new, empty database on the server; dropped afterwards."""
    from peewee import PostgresqlDatabase

    admin = _admin()
    name = f"crm_team_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    database = PostgresqlDatabase(name, host=SERVER["host"], port=SERVER["port"], user="postgres")
    before = models.database_proxy.obj
    models.database_proxy.initialize(database)
    try:
        database.create_tables([models.Organization, models.Contact])
        yield database
    finally:
        database.close()
        models.database_proxy.initialize(before)
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


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
