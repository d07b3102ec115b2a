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

import pytest
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
def _user() -> Iterator[None]:
    """Every test starts working as the OS login (``crm --user`` in-process sets another)."""
    users.set_current(None)
    yield
    users.set_current(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crm.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[dbm.Store]:
    """An open, empty database in a temp file (not :memory:, so threads see it)."""
    opened = dbm.open_database(db_path)
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
