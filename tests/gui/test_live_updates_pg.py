"""On a team database: a `crm` process's change reaches the open window through NOTIFY.

Each test runs in a throwaway database on the local server. Skipped, with the
reason printed, when no server answers or when the app cannot open a
PostgreSQL database yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm.core import change_watch
from crm.core import db as dbm
from crm.gui.app import build_window

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql://postgres@127.0.0.1:5432"


def skip(reason: str) -> None:
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


@pytest.fixture
def team_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=2)
    except psycopg.OperationalError as exc:
        skip(f"no PostgreSQL server at {SERVER}: {str(exc).strip()}")
    name = f"crm_live_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def team_store(team_url: str) -> Iterator[dbm.Store]:
    from crm.core import models

    bound = models.database_proxy.obj
    try:
        store = dbm.open_database(team_url)
    except Exception as exc:
        # Windows of earlier tests may still have timers: keep them on a database.
        models.database_proxy.initialize(bound)
        skip(f"the app cannot open a PostgreSQL database yet: {str(exc).splitlines()[0]}")
    yield store
    store.close()


def crm(url: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "crm", "--db", url, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_crm_process_on_the_team_database_reaches_the_window(
    team_store, team_url, qtbot, qsettings
) -> None:
    listener = change_watch.PgListener(team_url)
    window = build_window(team_store, qsettings, synchronous=True)
    qtbot.addWidget(window)
    window.show()
    try:
        view = window.show_page("contacts")
        window.live.timer.setInterval(100)
        qtbot.waitUntil(lambda: window.live.watcher is not None, timeout=5000)
        added = crm(team_url, "contacts", "add", "--given", "Team", "--family", "Mate")
        heard: set[str] = set()
        qtbot.waitUntil(lambda: bool(heard.update(listener.poll()) or heard), timeout=2000)
        assert "contacts" in heard
        window.ctx.changed("contacts")  # the empty page turns into the table
        qtbot.waitUntil(lambda: view.model.row_of(added["id"]) is not None, timeout=5000)
        window.update_due()
        before = window.due_label.text()
        crm(
            team_url, "followups", "add", str(added["id"]), "--due", "2026-12-06", "--title", "Call"
        )
        qtbot.waitUntil(lambda: window.due_label.text() != before, timeout=5000)
        assert "1 due today" in window.due_label.text()
    finally:
        listener.close()
        window.close()


def test_a_notification_from_the_server_reloads_what_it_names(window, qtbot) -> None:
    """The window's listener on the real server: another connection's NOTIFY, on commit."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    url = f"{SERVER}/postgres"
    try:
        other = psycopg.connect(url, connect_timeout=2)
    except psycopg.OperationalError as exc:
        skip(f"no PostgreSQL server at {SERVER}: {str(exc).strip()}")
    qtbot.waitUntil(lambda: window.live.watcher is not None, timeout=3000)
    window.live.watcher.close()
    window.live.watcher = change_watch.PgListener(url)
    window.live.timer.setInterval(100)
    delivered: list[list[str]] = []
    window.live.delivered.connect(delivered.append)
    with other:
        other.execute("SELECT pg_notify('crm_changes', 'followups:12')")
        qtbot.wait(300)
        assert delivered == [], "nothing before the commit"
        other.commit()
        qtbot.waitUntil(lambda: delivered == [["followups"]], timeout=1000)
        other.execute(
            "SELECT pg_notify('crm_changes', 'referrals:'), pg_notify('crm_changes', 'contacts:3')"
        )
        other.commit()
        qtbot.waitUntil(lambda: len(delivered) == 2, timeout=1000)
    assert delivered[1] == ["contacts", "referrals"]
