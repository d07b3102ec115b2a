"""The ``crm`` contract at the process boundary: a database that is busy, full, read-only,
damaged or missing, and input that never ends, are refused with exit 2, one ``error:``
line and the database unchanged; nothing waits for input off a terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import crm
from crm.core import db as dbm

ROOT = Path(crm.__file__).resolve().parents[1]
ADD = ("contacts", "add", "--given", "Ada", "--family", "Lovelace")


def crm_run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> tuple:
    """``python -m crm ARGS`` as a script runs it: stdin not a terminal."""
    environ = {**os.environ, **(env or {})}
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environ.get("PYTHONPATH")) if p)
    result = subprocess.run(
        [sys.executable, "-m", "crm", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environ,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def refused(result: tuple, match: str) -> str:
    code, out, err = result
    assert code == 2, (code, out, err)
    if out:  # --json: the refusal's code, field and parameters, nothing else
        assert set(json.loads(out)) == {"error"}, out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert match in lines[0], lines[0]
    return lines[0]


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database with one contact, made by the command itself."""
    path = tmp_path / "crm.sqlite3"
    code, _out, err = crm_run("--db", str(path), *ADD)
    assert code == 0, err
    assert err.strip() == f"crm: created a new database at {path}"
    return path


# -- a missing or impossible --db -----------------------------------------------------------


@pytest.mark.parametrize("argv", [["check"], ["contacts", "list"], ["stats", "--json"]])
def test_a_reader_never_creates_a_database(tmp_path, argv):
    missing = tmp_path / "typo" / "crm.sqlite3"
    refused(crm_run("--db", str(missing), *argv), str(missing))
    assert not missing.parent.exists()
    beside = tmp_path / "crm.sqlite3"
    refused(crm_run("--db", str(beside), *argv), str(beside))
    assert list(tmp_path.iterdir()) == []


def test_a_writer_creates_a_database_only_in_a_folder_that_exists(tmp_path, db_file):
    missing = tmp_path / "typo" / "crm.sqlite3"
    refused(crm_run("--db", str(missing), *ADD), "no folder")
    assert not missing.parent.exists()
    # db_file was made by a writer, which said so; a second writer says nothing.
    code, _out, err = crm_run("--db", str(db_file), *ADD)
    assert code == 0 and err == ""


@pytest.mark.parametrize("target", ["/dev/null", "folder"])
def test_a_device_or_a_folder_is_not_a_database(tmp_path, target):
    where = target if target.startswith("/") else str(tmp_path)
    match = "not a regular file" if target.startswith("/") else "is a folder"
    for argv in (["check"], list(ADD), ["contacts", "list"]):
        refused(crm_run("--db", where, *argv), match)


# -- busy, full, read-only ------------------------------------------------------------------


def test_a_busy_database_is_refused_after_the_busy_timeout(db_file):
    before = dump(db_file)
    other = sqlite3.connect(db_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, holding the write lock
    try:
        line = refused(
            crm_run("--db", str(db_file), *ADD, env={dbm.BUSY_TIMEOUT_ENV: "300"}), "busy"
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "another program is writing" in line and "0.3 s" in line
    assert dump(db_file) == before


@contextlib.contextmanager
def small_disk(where: Path) -> Iterator[Path]:
    """A 2 MB tmpfs at ``where`` (root only), unmounted afterwards."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_is_refused_naming_it(tmp_path, db_file):
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "crm.sqlite3"
        shutil.copyfile(db_file, path)
        before = dump(path)
        # Keep the WAL's files in place, then fill what is left of the disk.
        reader = sqlite3.connect(path)
        reader.execute("SELECT count(*) FROM contact").fetchone()
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        try:
            refused(crm_run("--db", str(path), *ADD), "is full")
        finally:
            reader.close()
        (disk / "filler").unlink()
        assert dump(path) == before


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``path`` made unwritable even for root (``chattr +i``), or the test skipped."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed: cannot make a file read-only for root")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_read_only_file_is_checked_and_refused_for_writing(db_file):
    before = dump(db_file)
    with immutable(db_file):
        code, out, err = crm_run("--db", str(db_file), "check")
        assert (code, err) == (0, ""), err
        assert out.startswith("ok: ")
        assert crm_run("--db", str(db_file), "contacts", "list")[0] == 0
        refused(crm_run("--db", str(db_file), *ADD), "read-only")
    assert dump(db_file) == before


def test_a_read_only_folder_is_refused_for_writing(db_file):
    before = dump(db_file)
    with immutable(db_file.parent):
        line = refused(crm_run("--db", str(db_file), *ADD), str(db_file))
        assert "read-only" in line or "cannot be opened" in line
        assert crm_run("--db", str(db_file), "check")[0] in (0, 2)  # never a crash
    assert dump(db_file) == before


# -- damaged ---------------------------------------------------------------------------------


def damage(path: Path) -> bytes:
    """Garbage over the middle of the file; the file's bytes afterwards."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 8192)
    return path.read_bytes()


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    code, _out, err = crm_run("--db", str(path), "demo", "--contacts", "60", "--seed", "3")
    assert code == 0, err
    return path


def test_check_lists_the_problems_of_a_damaged_file(big_db):
    damage(big_db)
    code, out, err = crm_run("--db", str(big_db), "check")
    assert code == 2
    assert out.strip(), "check names what is wrong"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "crm restore" in lines[0]
    code, out, err = crm_run("--db", str(big_db), "check", "--json")
    assert code == 2 and '"ok": false' in out


def test_a_writer_refuses_a_damaged_file_and_says_how_to_restore(big_db):
    damaged = damage(big_db)
    line = refused(crm_run("--db", str(big_db), *ADD), "damaged")
    assert "crm restore" in line
    assert big_db.read_bytes() == damaged


def test_check_of_a_file_that_is_not_sqlite_lists_that(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n")
    code, out, err = crm_run("--db", str(path), "check")
    assert code == 2 and "not a SQLite database" in out
    assert len(err.strip().splitlines()) == 1
    refused(crm_run("--db", str(path), *ADD), "not a Passaparola database")
    assert path.read_text() == "shopping list\n"


# -- input that never ends, windows that would wait ---------------------------------------------


def test_import_refuses_a_pipe_a_device_and_a_huge_file(tmp_path, db_file):
    before = dump(db_file)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    refused(crm_run("--db", str(db_file), "import", str(fifo), timeout=30), "not an ordinary file")
    refused(
        crm_run("--db", str(db_file), "import", "/dev/zero", timeout=30), "not an ordinary file"
    )
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(201 * 1024 * 1024)  # sparse: no disk used
    refused(crm_run("--db", str(db_file), "import", str(huge), timeout=30), "200 MB")
    assert dump(db_file) == before


@pytest.mark.parametrize(
    ("view", "what"),
    [("chain", "contact"), ("briefing", "event"), ("contacts", "contact"), ("events", "event")],
)
def test_screenshot_of_an_unknown_id_is_refused_without_a_window(tmp_path, db_file, view, what):
    out = tmp_path / "shot.png"
    argv = ("--db", str(db_file), "screenshot", view, "--id", "999999", "-o", str(out))
    result = crm_run(*argv, env={"QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    refused(result, f"{what} with id 999999")
    assert not out.exists()
