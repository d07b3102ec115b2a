"""The ``crm`` command run in-process on a temp-file database, for the CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from backends import Backend, dump_target, run_sql

from crm.cli import main
from crm.core import db as dbm


class Crm:
    """Runs ``crm --db <temp file> ...`` in-process and captures what it prints."""

    def __init__(self, path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
        # A SQLite file, or a PostgreSQL URL (then ``path`` is that URL).
        self.target = str(path)
        self.path = path if isinstance(path, Path) else Path(str(path))
        self.capsys = capsys

    @property
    def is_postgres(self) -> bool:
        return "://" in self.target

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.target, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        """Run a command that must succeed; what it printed."""
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args))

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run SQL (``?`` marks) straight on the database, committed; the rows it returns."""
        return run_sql(self.target, statement, params)

    def dump(self) -> str:
        return dump_target(self.target)

    def refused(self, *args: str, match: str) -> str:
        """Run a command that must be refused: exit 2, one error line, nothing changed."""
        before = self.dump()
        code, out, err = self(*args)
        assert code == 2, (out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert match in lines[0], lines[0]
        if "--json" in args and out:  # a refusal of the core: its code, field and parameters
            refusal = json.loads(out)["error"]
            assert refusal["code"] and "error: " + refusal["message"] == lines[0]
        else:
            assert out == ""
        assert self.dump() == before
        return lines[0]

    def add(self, given: str, family: str, *extra: str) -> int:
        """A contact added with ``crm contacts add``; its id."""
        return int(self.json("contacts", "add", "--given", given, "--family", family, *extra)["id"])


def make_crm(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cls: type[Crm] = Crm,
    backend: Backend | None = None,
) -> Crm:
    """A runner on a new database: a temp file, or the test's PostgreSQL schema."""
    if backend is not None and backend.is_postgres:
        runner = cls(backend.target, capsys)
    else:
        runner = cls(tmp_path / "cli.sqlite3", capsys)
    dbm.open_database(
        runner.target
    ).close()  # the new database: read-only commands never create one
    return runner
