"""A team database's address: checked in words, remembered without its password, tried."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.core import db as dbm
from crm.core import team_db
from crm.core.errors import DatabaseError, ValidationError

SERVER = "postgresql://postgres@127.0.0.1:5432"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://anna@server/crm",
        "  postgres://anna@server.example.org:6543/crm  ",
        "postgresql://anna:secret@10.0.0.5/crm?sslmode=require",
        "postgresql://server/crm",
    ],
)
def test_good_addresses_pass(url: str) -> None:
    assert team_db.check_url(url) == url.strip()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Type the address of the team database"),
        ("   ", "Type the address of the team database"),
        ("crm.sqlite3", "starts with postgresql://"),
        ("mysql://anna@server/crm", "starts with postgresql://"),
        ("postgresql://anna@server", "names no database"),
        ("postgresql://anna@server/", "names no database"),
        ("postgresql://anna@/crm", "names no server"),
        ("postgresql://anna@server:port/crm", "number from 1 to 65535, not 'port'"),
        ("postgresql://anna@server:70000/crm", "number from 1 to 65535"),
        ("postgresql://anna@server/crm/more", "one database after the server, not 'crm/more'"),
        ("postgresql://anna@my server/crm", "cannot contain spaces"),
    ],
)
def test_bad_addresses_say_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        team_db.check_url(url)
    assert caught.value.field == "url"


def test_remembered_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://anna:s3cret@server:6543/crm?sslmode=require"
    assert team_db.without_password(url) == "postgresql://anna@server:6543/crm?sslmode=require"
    assert team_db.without_password("postgresql://anna@server/crm") == (
        "postgresql://anna@server/crm"
    )
    assert team_db.remembered(dbm.parse_target(url)) == (
        "postgresql://anna@server:6543/crm?sslmode=require"
    )
    assert team_db.remembered(dbm.parse_target(str(tmp_path / "a.sqlite3"))) == str(
        (tmp_path / "a.sqlite3").resolve()
    )


def test_a_server_that_is_not_there_is_said_in_words() -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    with pytest.raises(DatabaseError) as caught:
        team_db.try_connect("postgresql://anna@127.0.0.1:1/crm")
    assert caught.value.message == (
        "No PostgreSQL server answers at 127.0.0.1:1: is it running, and is that the right port?"
    )


@pytest.fixture(scope="module")
def server() -> str:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError as exc:
        reason = f"no PostgreSQL server at {SERVER}: {str(exc).strip()}"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    return SERVER


def test_a_real_server_connects_or_says_why(server: str) -> None:
    team_db.try_connect(f"{server}/postgres")
    with pytest.raises(DatabaseError, match="has no database called 'no_such_crm_db'"):
        team_db.try_connect(f"{server}/no_such_crm_db")
    with pytest.raises(DatabaseError, match="knows no user called 'no_such_crm_user'"):
        team_db.try_connect("postgresql://no_such_crm_user@127.0.0.1:5432/postgres")
