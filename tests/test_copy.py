"""``crm copy`` between SQLite and PostgreSQL, and ``crm backup`` of a PostgreSQL database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from backends import Backend, dump_target

from crm.cli import main


def _sqlite_dump(path: Path) -> list[str]:
    """Every row of a SQLite file, sorted; the search index by its words, not FTS5's pages.

    Sorted: a table without an integer id (contact_tag) is read back in key
    order, not in the order its rows were first written.
    """
    conn = sqlite3.connect(path)
    try:
        lines = [line for line in conn.iterdump() if "contact_fts_" not in line]
        lines += [repr(r) for r in conn.execute("SELECT rowid, body FROM contact_fts ORDER BY 1")]
        return sorted(lines)
    finally:
        conn.close()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite3"
    code, _out, err = _run(capsys, "--db", str(path), "demo", "--contacts", "300", "--seed", "3")
    assert code == 0, err
    return path


@pytest.fixture
def team(pg_server) -> Backend:
    made = pg_server.fresh()
    yield made
    pg_server.end_test(made)


def test_demo_goes_to_postgresql_and_back_unchanged(demo, team, tmp_path, capsys):
    code, out, err = _run(capsys, "copy", "--from", str(demo), "--to", team.target, "--json")
    assert code == 0, err
    there = json.loads(out)
    assert there["ok"] is True
    assert there["tables"]["contact"] == {"source": 300, "target": 300}
    assert there["tables"]["contact_fts"] == {"source": 300, "target": 300}
    back = tmp_path / "back.sqlite3"
    code, out, err = _run(capsys, "copy", "--from", team.target, "--to", str(back), "--json")
    assert code == 0, err
    returned = json.loads(out)
    assert returned["tables"] == there["tables"]
    assert _sqlite_dump(back) == _sqlite_dump(demo)
    # The copy on the server works as a database: search, chains, check.
    code, out, err = _run(capsys, "--db", team.target, "check")
    assert code == 0 and out.startswith("ok: postgresql://"), err


def test_copy_prints_counts_per_table_and_checks_them(demo, team, capsys):
    code, out, err = _run(capsys, "copy", "--from", str(demo), "--to", team.target)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert any(line.split() == ["contact", "300"] for line in lines), out
    assert lines[-1].startswith("Copied ") and lines[-1].endswith("every count checked.")


def test_copy_refuses_a_target_that_holds_data(demo, team, tmp_path, capsys):
    assert _run(capsys, "copy", "--from", str(demo), "--to", team.target)[0] == 0
    before = dump_target(team.target)
    other = tmp_path / "other.sqlite3"
    code, _out, err = _run(
        capsys, "--db", str(other), "contacts", "add", "--given", "A", "--family", "B"
    )
    assert code == 0, err
    code, out, err = _run(capsys, "copy", "--from", str(other), "--to", team.target)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "is not empty" in lines[0] and "contact (300)" in lines[0]
    assert dump_target(team.target) == before


def test_copy_refuses_a_sqlite_target_that_holds_data(demo, tmp_path, capsys):
    other = tmp_path / "other.sqlite3"
    assert (
        _run(capsys, "--db", str(other), "contacts", "add", "--given", "A", "--family", "B")[0] == 0
    )
    before = _sqlite_dump(other)
    code, out, err = _run(capsys, "copy", "--from", str(demo), "--to", str(other))
    assert code == 2 and out == "" and err.startswith("error: ") and "is not empty" in err
    assert _sqlite_dump(other) == before


def test_copy_refuses_copying_a_database_onto_itself(demo, capsys):
    before = _sqlite_dump(demo)
    code, _out, err = _run(capsys, "copy", "--from", str(demo), "--to", str(demo))
    assert code == 2 and err.startswith("error: ") and "itself" in err
    assert _sqlite_dump(demo) == before


def test_sqlite_to_sqlite_copy_is_identical(demo, tmp_path, capsys):
    copy = tmp_path / "copy.sqlite3"
    code, _out, err = _run(capsys, "--db", str(demo), "copy", "--to", str(copy))
    assert code == 0, err
    assert _sqlite_dump(copy) == _sqlite_dump(demo)


def test_backup_of_a_postgresql_database_is_a_sqlite_file_that_restores(
    demo, team, tmp_path, capsys
):
    assert _run(capsys, "copy", "--from", str(demo), "--to", team.target)[0] == 0
    saved = tmp_path / "team-backup.sqlite3"
    code, _out, err = _run(capsys, "--db", team.target, "backup", str(saved))
    assert code == 0, err
    assert saved.read_bytes()[:16] == b"SQLite format 3\x00"
    assert _sqlite_dump(saved) == _sqlite_dump(demo)
    # Restorable either way: into a SQLite database with restore, back to a server with copy.
    laptop = tmp_path / "laptop.sqlite3"
    assert (
        _run(capsys, "--db", str(laptop), "contacts", "add", "--given", "X", "--family", "Y")[0]
        == 0
    )
    code, _out, err = _run(capsys, "--db", str(laptop), "restore", str(saved), "--yes")
    assert code == 0, err
    assert _sqlite_dump(laptop) == _sqlite_dump(demo)


def test_copy_refuses_a_source_that_does_not_exist_and_creates_nothing(tmp_path, capsys):
    missing, target = tmp_path / "missing.sqlite3", tmp_path / "new.sqlite3"
    code, out, err = _run(capsys, "copy", "--from", str(missing), "--to", str(target))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: There is no database at"), err
    assert not missing.exists() and not target.exists()
