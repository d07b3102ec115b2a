"""Shared fixtures: a fresh temp-file database per test, and a way to prove it unchanged."""

from __future__ import annotations

import os

# Qt must never need a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# One date for the whole suite, whatever the system clock says: the app's clock
# (crm.core.clock) reads it here and the crm commands the tests start inherit it.
os.environ["CRM_NOW"] = "2026-12-06T10:00:00"

# A new database takes its phone region from the locale: tests start with none,
# whatever the machine's language (the crm commands they start inherit this).
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_CTYPE", None)
os.environ["LANG"] = "C.UTF-8"

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import KINDS, Backend, PgServer
from dbtools import dump

from crm.core import clock, users
from crm.core import db as dbm


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    """Every test starts at the same moment on the app's clock."""
    start = clock.parse(os.environ["CRM_NOW"])
    clock.set_now(start)
    yield
    clock.set_now(start)


@pytest.fixture(autouse=True)
def _this_computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This computer's preferences (crm.core.this_computer) in the test's own folder, never
    the user's (the crm commands the tests start inherit it)."""
    monkeypatch.setenv("CRM_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def _user() -> Iterator[None]:
    """Every test starts working as the OS login (``crm --user`` in-process sets another)."""
    users.set_current(None)
    yield
    users.set_current(None)


BACKEND_ENV = "CRM_TEST_BACKEND"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgresql", "both"),
        default=os.environ.get(BACKEND_ENV, "both"),
        help="the database the core, interchange and CLI tests run on "
        f"(default ${BACKEND_ENV}, else both; PostgreSQL is skipped when no server answers)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: runs on SQLite only (it checks SQLite's own files or pragmas)"
    )
    config.addinivalue_line(
        "markers", "gui_on_postgresql: a GUI test that also runs on PostgreSQL (--backend)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use ``backend`` (through ``store`` or a CLI runner) run on each chosen one."""
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--backend")
        kinds = KINDS if chosen == "both" else (chosen,)
        gui = "gui" in metafunc.definition.path.parts
        if gui and metafunc.definition.get_closest_marker("gui_on_postgresql") is None:
            # The GUI calls the same core services: a smoke test on PostgreSQL is enough.
            kinds = ("sqlite",)
        if metafunc.definition.get_closest_marker("sqlite_only") is not None:
            # What the test checks is SQLite's own (its files, pragmas, FTS5).
            kinds = ("sqlite",)
        metafunc.parametrize("backend", kinds, indirect=True, ids=[k[:2] for k in kinds])


_server: PgServer | None = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """This session's database on the PostgreSQL server (skips when none answers)."""
    global _server
    if _server is None:
        _server = PgServer()
        _server.start()
    if not _server.ready:
        pytest.skip(f"PostgreSQL tests skipped: {_server.reason}")
    yield _server


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _server is not None:
        _server.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _server is not None and not _server.ready:
        terminalreporter.write_line(f"PostgreSQL tests skipped: {_server.reason}")


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Where this test's database lives: a temp SQLite file, or a fresh PostgreSQL schema."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield Backend("sqlite", str(tmp_path / "crm.sqlite3"))
        return
    server: PgServer = request.getfixturevalue("pg_server")
    # A server's automatic backups go to the user's data folder: the test's own.
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # Making a schema can take seconds: the test's clock (as the fixtures before
    # this one set it) goes on from where it was once the schema is ready.
    before = clock.now()
    made = server.fresh()
    clock.set_now(before)
    yield made
    dbm.close_thread_connection()
    server.end_test(made)


class PgUrl(str):
    """``db_path`` in a test that also uses ``store``, on PostgreSQL: the URL, for ``--db``."""


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if "store" in request.fixturenames and "backend" in request.fixturenames:
        made: Backend = request.getfixturevalue("backend")
        if made.is_postgres:
            return PgUrl(made.target)  # type: ignore[return-value]
    return tmp_path / "crm.sqlite3"


@pytest.fixture
def store(backend: Backend) -> Iterator[dbm.Store]:
    """An open, empty database: a temp file (not :memory:, so threads see it) or a PG schema."""
    opened = dbm.open_database(backend.target)
    yield opened
    opened.close()


@pytest.fixture
def unchanged(store: dbm.Store):
    """Use as ``with unchanged(): ...`` around an operation that must change nothing."""
    import contextlib

    @contextlib.contextmanager
    def _check() -> Iterator[None]:
        before = dump(store)
        yield
        assert dump(store) == before, "the database changed"

    return _check
