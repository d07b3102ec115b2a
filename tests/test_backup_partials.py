"""A backup killed half-way leaves nothing behind once the next backup or listing runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm.core import backups, contacts
from crm.core import db as dbm
from crm.core.contacts import ContactData

# Backups of the SQLite file itself (partial files beside it).
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parent.parent
BALLAST_MB = 48


def _env() -> dict[str, str]:
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _weigh_down(store: dbm.Store) -> None:
    """Make the database big enough that copying it takes a moment."""
    contacts.create_contact(ContactData(given_name="Anna", family_name="Alexiou"))
    store.db.execute_sql("CREATE TABLE ballast (data BLOB)")
    with store.db.atomic():
        for _ in range(BALLAST_MB):
            store.db.execute_sql("INSERT INTO ballast VALUES (randomblob(1024 * 1024))")


def _kill_mid_backup(db_path: Path, dest: Path) -> list[str]:
    """Run ``crm backup dest``, SIGKILL it while its partial copy exists; the hidden files left."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crm", "--db", str(db_path), "backup", str(dest)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    try:
        while not any(name.endswith(".partial") for name in os.listdir(dest.parent)):
            assert proc.poll() is None, "the backup ended before it could be killed"
            assert time.monotonic() < deadline, "no partial copy appeared"
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()  # reaped: its process id is free again
    assert proc.returncode == -signal.SIGKILL
    return _hidden(dest.parent)


def test_a_killed_backup_is_swept_by_the_next_backup_and_never_listed(store, db_path):
    _weigh_down(store)
    folder = backups.backups_dir(store)
    folder.mkdir()
    first = backups.automatic_backup(store, reason="manual")
    store.close()

    dest = folder / "crm-20261206-100500-000000-manual.sqlite3"
    left = _kill_mid_backup(db_path, dest)
    assert any(name.startswith(f".{dest.name}.") for name in left), left
    assert not dest.exists()

    store = dbm.open_database(db_path)
    try:
        assert backups.list_backups(store) == [first]
        assert _hidden(folder) == []
        assert [b.path for b in backups.describe_backups(store)] == [first]
        assert _kill_mid_backup(db_path, dest)  # once more, now the next backup sweeps it
        second = backups.backup(store, dest)
        assert _hidden(folder) == []
        assert sorted(folder.iterdir()) == sorted([first, second])
    finally:
        store.close()


def test_a_partial_of_a_backup_still_running_is_left_alone(store, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = folder / f".copy.sqlite3.{sleeper.pid}.partial"
        mine = folder / f".copy.sqlite3.{os.getpid()}.partial"
        unrelated = folder / ".notes.partial"
        for path in (running, mine, unrelated):
            path.write_bytes(b"x")
        dead_pid = _dead_pid()
        stale = [
            folder / f".copy.sqlite3.{dead_pid}.partial",
            folder / f".copy.sqlite3.{dead_pid}.partial-journal",
        ]
        for path in stale:
            path.write_bytes(b"x")

        assert sorted(backups.remove_stale_partials(folder)) == sorted(stale)
        assert sorted(folder.iterdir()) == sorted([running, mine, unrelated])
    finally:
        sleeper.kill()
        sleeper.wait()


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
