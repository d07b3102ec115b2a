"""One clock: every rule that depends on today reads crm.core.clock, which tests set."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import crm
from crm.core import clock, contacts, followups
from crm.core.contacts import ContactData

PACKAGE = Path(crm.__file__).parent
# The only places allowed to ask the system for the time.
SYSTEM_TIME = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow|QDate\.currentDate)\(")


def test_no_module_but_the_clock_reads_the_system_time():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SYSTEM_TIME.search(line)
    ]
    assert offenders == []


def test_the_suite_runs_on_a_set_clock_not_the_system_one():
    assert clock.is_set()
    assert clock.today() == dt.date(2026, 12, 6)


def test_a_set_clock_keeps_ticking_from_where_it_was_set():
    clock.set_now(dt.datetime(2030, 2, 28, 23, 59, 59))
    first = clock.now()
    second = clock.now()
    assert dt.datetime(2030, 2, 28, 23, 59, 59) <= first <= second
    assert second - first < dt.timedelta(seconds=5)
    assert clock.utcnow().tzinfo is not None


def test_a_date_alone_starts_the_day_at_nine():
    clock.set_now(dt.date(2031, 7, 1))
    assert clock.now().replace(microsecond=0, second=0) == dt.datetime(2031, 7, 1, 9, 0)
    assert clock.parse("2031-07-01") == dt.datetime(2031, 7, 1, 9, 0)


def test_an_unreadable_setting_names_the_variable():
    with pytest.raises(ValueError, match=r"CRM_NOW='next tuesday' is not an ISO date"):
        clock.parse("next tuesday")


def test_rules_follow_the_clock(store):
    """A follow-up due tomorrow is upcoming today and overdue two days later."""
    maria = contacts.create_contact(ContactData(given_name="Maria", family_name="Rossi")).id
    followups.create_followup(maria, clock.today() + dt.timedelta(days=1))
    assert followups.due_counts() == (0, 0)
    clock.set_now(clock.now() + dt.timedelta(days=1))
    assert followups.due_counts() == (1, 0)
    clock.set_now(clock.now() + dt.timedelta(days=1))
    assert followups.due_counts() == (0, 1)


def test_a_crm_command_takes_the_date_from_the_environment(tmp_path):
    env = {**os.environ, clock.ENV: "2031-03-15T08:30:00"}
    done = subprocess.run(
        [sys.executable, "-c", "from crm.core import clock; print(clock.today())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "2031-03-15"


QUIET = ["-p", "no:cacheprovider"]
# Date-heavy rules: due dates, cooldowns, expiry, redemption, briefings, backups.
DATED_TESTS = [
    "tests/test_briefing.py",
    "tests/test_events_followups.py",
    "tests/test_vouchers.py",
    "tests/test_redemption.py",
    "tests/test_cadence_quality.py",
    "tests/gui/test_backups_page.py",
]


@pytest.mark.skipif(
    shutil.which("faketime") is None, reason="faketime is not installed (apt-get install faketime)"
)
def test_date_rules_pass_with_the_system_clock_a_year_ahead():
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        ["faketime", "-f", "+365d", sys.executable, "-m", "pytest", "-q", *QUIET, *DATED_TESTS],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
