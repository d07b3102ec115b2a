"""Two processes writing to one SQLite file: the second waits its turn, nobody gets "locked".

Each worker is a real Python process (as the app and a ``crm`` command would be).
Both wait for a "go" file, then write as fast as they can.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crm.core import contacts, models
from crm.core import db as dbm
from crm.core.contacts import ContactData

# SQLite's write lock and busy timeout; concurrent writers on PostgreSQL (row
# versions, serialised cycle checks) are tested with the team-edit services.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent

# What a worker runs: open the database, wait for the start, do its part, print JSON.
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from crm.core import db
    from crm.core.errors import CrmError

    path, go, job = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    store = db.open_database(path)
    from crm.core import contacts, referrals
    from crm.core.contacts import ContactData
    Path(str(go) + "." + job["name"]).touch()
    while not go.exists():
        time.sleep(0.005)
    results = []
    if job["kind"] == "refer":
        for giver, referred in job["pairs"]:
            try:
                referrals.record_referral(giver, referred)
                results.append("ok")
            except CrmError as exc:
                results.append(exc.message)
            except Exception as exc:
                results.append("ERROR " + repr(exc))
    else:
        for i in range(job["count"]):
            try:
                contacts.create_contact(
                    ContactData(given_name=f"{job['name']} {i}", family_name="Parallel")
                )
                results.append("ok")
            except Exception as exc:
                results.append("ERROR " + repr(exc))
    store.close()
    print(json.dumps(results))
    """
)


def _env() -> dict[str, str]:
    """This environment, with the worktree's crm first on the path."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def race(db_path: Path, jobs: list[dict]) -> list[list[str]]:
    """Start one worker per job, release them together, and return what each reported."""
    go = db_path.with_name("go")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db_path), str(go), json.dumps(job)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for job in jobs
    ]
    deadline = time.monotonic() + 30
    while not all(Path(f"{go}.{job['name']}").exists() for job in jobs):
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    go.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))
    return reports


def test_two_processes_referring_a_to_b_and_b_to_a_never_lock_and_never_cycle(store, db_path):
    pairs = []
    for i in range(100):
        a = contacts.create_contact(ContactData(given_name="A", family_name=f"Pair {i}"))
        b = contacts.create_contact(ContactData(given_name="B", family_name=f"Pair {i}"))
        pairs.append((a.id, b.id))
    store.close()

    forth, back = race(
        db_path,
        [
            {"name": "forth", "kind": "refer", "pairs": pairs},
            {"name": "back", "kind": "refer", "pairs": [(b, a) for a, b in pairs]},
        ],
    )

    for i, (one, other) in enumerate(zip(forth, back, strict=True)):
        assert [one, other].count("ok") == 1, f"pair {i}: {one!r} / {other!r}"
        refused = other if one == "ok" else one
        assert "that would make a cycle" in refused, f"pair {i}: {refused!r}"
    store = dbm.open_database(db_path)
    try:
        r = models.Referral
        edges = {(x.giver_id, x.referred_id) for x in r.select().where(r.is_primary == True)}  # noqa: E712
        assert len(edges) == 100
        assert not any((b, a) in edges for a, b in edges), "a pair refers both ways"
        assert models.Referral.select().count() == 100
    finally:
        store.close()


def test_two_processes_adding_contacts_at_once_all_succeed(store, db_path):
    store.close()
    first, second = race(
        db_path,
        [
            {"name": "first", "kind": "add", "count": 60},
            {"name": "second", "kind": "add", "count": 60},
        ],
    )
    assert first == ["ok"] * 60
    assert second == ["ok"] * 60
    store = dbm.open_database(db_path)
    try:
        assert models.Contact.select().count() == 120
    finally:
        store.close()


def _other_writer_gets_in(db_path: Path) -> bool:
    """Whether a second connection could take the write lock right now (no waiting)."""
    conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        conn.close()


def test_a_transaction_takes_the_write_lock_as_it_begins_and_a_read_snapshot_does_not(
    store, db_path
):
    with models.database_proxy.atomic():
        models.Contact.select().count()
        assert not _other_writer_gets_in(db_path)
    with dbm.read_snapshot():
        models.Contact.select().count()
        assert _other_writer_gets_in(db_path)
    assert _other_writer_gets_in(db_path)


def test_every_connection_waits_for_a_busy_database(store, db_path):
    """The peewee connection, and the plain one the app opens before loading peewee."""
    assert store.db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == dbm.BUSY_TIMEOUT_MS
    store.close()
    code = (
        "import sys; from crm.core import db; db.open_database(sys.argv[1]); "
        "print(db.execute_sql('PRAGMA busy_timeout').fetchone()[0], "
        "'crm.core.models' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db_path)],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == [str(dbm.BUSY_TIMEOUT_MS), "False"]
