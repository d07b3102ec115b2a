"""A look never changes the database: every page of the window, every listing command and
a screenshot leave it byte for byte as it was. The date rules write only in the daily step.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbtools import dump

import crm
from crm import cli, demo
from crm.core import backups, cadence, chain, clock, events, followups, models
from crm.core import db as dbm

# Run the children from the checkout under test, so that its ``crm`` is the one imported.
ROOT = Path(crm.__file__).resolve().parents[1]
TODAY = clock.today()
DAY = dt.timedelta(days=1)


def file_dump(store: dbm.Store) -> str:
    """Every row of every table, read through a connection of its own (SQLite's file)."""
    if not store.is_sqlite:
        return dump(store)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def demo_store(store: dbm.Store) -> dbm.Store:
    """A small demo database with contacts past their stay-in-touch cadence."""
    demo.generate(store, contacts=120, seed=14)
    # Teeth: a listing that ran the rules would make reminders here, some long overdue.
    due = cadence.due_contacts(TODAY)
    assert due and min(touched + days * DAY for _c, _n, touched, days in due) < TODAY - 30 * DAY
    return store


@pytest.fixture
def window(qtbot, demo_store: dbm.Store, tmp_path: Path) -> Iterator[object]:
    """The main window as tests/gui builds it: settings in a temp file, work synchronous."""
    from PySide6.QtCore import QSettings

    from crm.gui.app import application, build_window

    application([])
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(demo_store, settings, synchronous=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_opening_every_page_changes_nothing(window, demo_store, db_path, qtbot):
    from crm.gui.pages import ALL_PAGES

    before = file_dump(demo_store)
    targets = {"chain": chain.largest_chain_root(), "briefing": events.featured_event_id()}
    for name in ALL_PAGES:
        if name in targets:
            window.go(name, targets[name])
        else:
            window.show_page(name)
        qtbot.wait(20)  # past any timer the page starts on showing
        assert window.current_page_name() == name
    window.update_due()
    window.close()  # a session that only looked: no closing backup either
    assert file_dump(demo_store) == before
    # The daily backup is on a timer (3 s after start-up), which a loaded machine reaches
    # while the pages open: it copies the file and is no change. A closing one would be.
    made = [path.name for path in backups.list_backups(demo_store)]
    assert [name for name in made if not name.endswith("-daily.sqlite3")] == []


def _listings(store: dbm.Store, out: Path) -> list[list[str]]:
    contact = chain.largest_chain_root()
    assert contact is not None
    return [
        ["contacts", "list"],
        ["followups"],
        ["followups", "--json"],
        ["referrals", "list"],
        ["events", "list"],
        ["vouchers", "list"],
        ["stats"],
        ["duplicates"],
        ["chain", str(contact)],
        ["contacts", "show", str(contact)],
        ["organizations", "list"],
        ["check"],
        ["screenshot", "followups", "-o", str(out)],
    ]


def test_listing_commands_change_nothing(demo_store, db_path, tmp_path, capsys):
    before = file_dump(demo_store)
    for argv in _listings(demo_store, tmp_path / "followups.png"):
        assert cli.main(["--db", str(db_path), *argv]) == 0, (argv, capsys.readouterr().err)
        assert file_dump(demo_store) == before, argv
    assert (tmp_path / "followups.png").stat().st_size > 0
    assert backups.list_backups(demo_store) == []


def _without_display() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def test_screenshot_renders_without_a_display_and_writes_nothing(demo_store, db_path, tmp_path):
    before = file_dump(demo_store)
    out = tmp_path / "followups.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crm",
            "--db",
            str(db_path),
            "screenshot",
            "followups",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=_without_display(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Saved {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG")
    assert file_dump(demo_store) == before
    assert backups.list_backups(demo_store) == []


# -- the daily step ----------------------------------------------------------------------


def _cadence_dues() -> list[dt.date]:
    f = models.FollowUp
    return [r.due for r in f.select(f.due).where(f.rule == cadence.RULE)]


def test_the_daily_step_makes_reminders_due_today_at_the_earliest_once_a_day(demo_store, db_path):
    waiting = len(cadence.due_contacts(TODAY))
    before = len(_cadence_dues())
    made = followups.run_daily_rules()
    assert made >= waiting > 0
    dues = _cadence_dues()
    assert len(dues) == before + waiting
    assert set(dues[before:]) == {TODAY}  # the long overdue ones too: due today, never before
    assert followups.daily_rules_day() == TODAY

    # Idempotent within the day: nothing made, nothing written, even when forced.
    after = file_dump(demo_store)
    assert followups.run_daily_rules() == 0
    assert followups.run_daily_rules(force=True) == 0
    assert file_dump(demo_store) == after

    # The next day it runs again (and finds the birthdays that came into the window).
    clock.set_now(clock.now() + DAY)
    followups.run_daily_rules()
    assert followups.daily_rules_day() == TODAY + DAY
    assert min(_cadence_dues()[before:]) >= TODAY
