"""Shared fixtures: a fresh temp-file database per test, and a way to prove it unchanged."""

from __future__ import annotations

import os

# Qt must never need a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbtools import dump

from crm.core import db as dbm


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
