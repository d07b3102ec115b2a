"""PostgreSQL as a team database: the driver as an extra, opening, upgrading, SQL translation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.core import db as dbm
from crm.core import postgres

ROOT = Path(__file__).resolve().parent.parent

# Python started with psycopg made unimportable, as on a machine without the extra.
_NO_PSYCOPG = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "psycopg" or name.startswith(("psycopg.", "psycopg_")):
            raise ImportError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Block())
from crm.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _crm_without_psycopg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _NO_PSYCOPG, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_without_the_driver_a_postgresql_url_says_what_to_install():
    done = _crm_without_psycopg("--db", "postgresql://someone@127.0.0.1/crm", "check")
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "pip install 'passaparola[team]'" in lines[0]
    assert "psycopg" in lines[0]
    assert "postgresql://127.0.0.1/crm" in lines[0]
    assert done.stdout == ""


def test_without_the_driver_sqlite_still_works(tmp_path):
    done = _crm_without_psycopg(
        "--db", str(tmp_path / "a.sqlite3"), "contacts", "add", "--given", "Ada", "--family", "L"
    )
    assert done.returncode == 0, done.stderr


def test_the_driver_is_an_extra_and_a_test_dependency():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'team = [\n    "psycopg[binary]>=3.1,<4",\n]' in text
    test_extra = text.split("test = [", 1)[1].split("]\n", 1)[0]
    assert '"psycopg[binary]>=3.1,<4"' in test_extra


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SELECT 1", "SELECT 1"),
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
        (
            "SELECT '?' , a LIKE '%x%' FROM t WHERE b = ?",
            "SELECT '?' , a LIKE '%%x%%' FROM t WHERE b = %s",
        ),
        ('SELECT "a?" FROM t', 'SELECT "a?" FROM t'),
        ("SELECT a % 7 FROM t WHERE b = %s", "SELECT a %% 7 FROM t WHERE b = %s"),
        ("UPDATE t SET a = %s WHERE b = %s", "UPDATE t SET a = %s WHERE b = %s"),
    ],
)
def test_raw_sql_is_translated_to_psycopg_marks(raw, expected):
    assert postgres.translate(raw) == expected


def test_a_url_without_a_database_name_is_refused():
    with pytest.raises(Exception, match="names no database"):
        dbm.open_database("postgresql://someone@127.0.0.1:1")
