"""The ``crm`` command run in-process on a temp-file database, for the CLI tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crm.cli import main
from crm.core import db as dbm


class Crm:
    """Runs ``crm --db <temp file> ...`` in-process and captures what it prints."""

    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", str(self.path), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        """Run a command that must succeed; what it printed."""
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args))

    def dump(self) -> str:
        conn = sqlite3.connect(self.path)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()

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


def make_crm(tmp_path: Path, capsys: pytest.CaptureFixture[str], cls: type[Crm] = Crm) -> Crm:
    runner = cls(tmp_path / "cli.sqlite3", capsys)
    dbm.open_database(runner.path).close()  # the new database: read-only commands never create one
    return runner
