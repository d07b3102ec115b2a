"""A team on one database: row versions, who did what, assignments, and races between colleagues.

Colleagues are real: a ``crm --user luca`` process writing to the same file, or
threads with connections of their own, released together.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from clitools import make_crm
from dbtools import refused

from crm.core import (
    backups,
    contacts,
    followup_edits,
    followups,
    migrations,
    models,
    redemption,
    referral_edits,
    referrals,
    users,
    vouchers,
)
from crm.core import db as dbm
from crm.core.contacts import ContactData
from crm.core.errors import ConflictError, CrmError, NotFoundError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
DUE = dt.date(2026, 12, 10)


def person(given: str, family: str = "Rossi") -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family)).id


def colleague(db_path: Path, *args: str, user: str = "luca") -> subprocess.CompletedProcess:
    """``crm --user luca ...`` in a process of its own, as a colleague's machine runs it."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(db_path), "--user", user, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


# -- the schema --------------------------------------------------------------------------


@pytest.fixture
def v2_database(db_path, monkeypatch):
    """A schema-2 database with rows (the v1 fixture upgraded by the app as it was), closed."""
    conn = sqlite3.connect(db_path)
    conn.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    with monkeypatch.context() as patch:
        patch.setattr(dbm, "SCHEMA_VERSION", 2)
        dbm.open_database(db_path).close()
    for old in backups.list_backups(dbm.Store(None, dbm.parse_target(db_path))):
        old.unlink()
    return db_path


def test_upgrading_from_schema_2_keeps_every_row_and_starts_them_at_version_1(v2_database):
    with sqlite3.connect(v2_database) as conn:
        before = {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("contact", "referral", "follow_up", "reward", "interaction")
        }
        assert conn.execute("SELECT value FROM crm_meta WHERE key='schema_version'").fetchone() == (
            "2",
        )
    conn.close()
    store = dbm.open_database(v2_database)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert dbm.check(store) == []
        [made] = backups.list_backups(store)
        assert "before-upgrade-v2" in made.name
        for table, rows in before.items():
            now = store.db.execute_sql(f"SELECT * FROM {table} ORDER BY id").fetchall()
            # The old columns keep their values; the new ones come at the end.
            assert [tuple(r[: len(rows[0])]) for r in now] == rows if rows else now == []
        assert models.Contact.select().count() == 4 and models.Referral.select().count() == 3
        for model in (models.Contact, models.Referral):
            assert {(r.version, r.changed_by, r.changed_at) for r in model.select()} == {
                (1, "", None)
            }
            # A row from before names were kept says nobody; an edit checks its version.
        assert {r.created_by for r in models.Referral.select()} == {""}
        assert {r.created_by for r in models.Interaction.select()} == {""}
        indexes = {i.name for i in store.db.get_indexes("follow_up")}
        assert "follow_up_assigned_to_done_at" in indexes
        contacts.update_contact(1, expected_version=1, notes="Upgraded and edited")
        assert models.Contact.get_by_id(1).version == 2
    finally:
        store.close()


# -- row versions: a save on top of a colleague's is refused -------------------------------


def test_a_contact_saved_by_a_colleague_since_is_refused_naming_who_and_when(
    store, db_path, unchanged
):
    anna = person("Anna")
    read = contacts.get_contact(anna).version
    result = colleague(db_path, "contacts", "edit", str(anna), "--city", "Torino")
    assert result.returncode == 0, result.stderr
    theirs = models.Contact.get_by_id(anna)
    assert (theirs.city, theirs.changed_by, theirs.version) == ("Torino", "luca", read + 1)
    with refused(
        unchanged,
        "luca changed this contact at ",
        "your changes were not saved",
        field="version",
        error=ConflictError,
    ) as info:
        contacts.update_contact(anna, expected_version=read, city="Milano")
    assert info.value.who == "luca" and info.value.version == read + 1
    assert info.value.when == theirs.changed_at
    assert f"at {theirs.changed_at:%H:%M} on {theirs.changed_at:%Y-%m-%d}" in info.value.message
    # Read again, the same save goes through.
    contacts.update_contact(anna, expected_version=read + 1, city="Milano")
    assert models.Contact.get_by_id(anna).city == "Milano"


def test_a_referral_and_a_followup_saved_since_are_refused_and_nothing_changes(store, unchanged):
    giver, friend = person("Anna"), person("Bruno")
    ref = referrals.record_referral(giver, friend)
    item = followups.create_followup(friend, DUE, title="Call Bruno")
    ref_version, item_version = ref.version, item.version
    users.set_current("maria")
    referral_edits.update_referral(ref.id, expected_version=ref_version, temperature=5)
    followup_edits.update_followup(item.id, expected_version=item_version, title="Call him")
    users.set_current("luca")
    with refused(unchanged, "maria changed this referral", error=ConflictError):
        referral_edits.update_referral(ref.id, expected_version=ref_version, notes="warm")
    with refused(unchanged, "maria changed this follow-up", error=ConflictError):
        followup_edits.update_followup(item.id, expected_version=item_version, assigned_to="luca")
    with refused(unchanged, "No follow-up with id 99", error=NotFoundError):
        followup_edits.update_followup(99, expected_version=1, title="x")
    # Every kind of save counts: marking it done moves the version on too.
    fresh = followups.get_followup(item.id).version
    followups.mark_done(item.id)
    with refused(unchanged, "luca changed this follow-up", error=ConflictError):
        followup_edits.update_followup(item.id, expected_version=fresh, notes="n")


def test_a_save_without_a_version_is_not_checked_and_an_unchanged_one_keeps_it(store):
    anna = person("Anna")
    version = contacts.get_contact(anna).version
    contacts.update_contact(anna, city="Roma")
    assert contacts.get_contact(anna).version == version + 1
    contacts.update_contact(anna, expected_version=version + 1, city="Roma")  # nothing changed
    assert contacts.get_contact(anna).version == version + 1


def test_the_cli_edit_commands_refuse_a_stale_version_with_one_error_line(
    tmp_path, capsys, backend
):
    crm = make_crm(tmp_path, capsys, backend=backend)
    anna = crm.add("Anna", "Rossi")
    shown = crm.json("contacts", "show", str(anna), "--json")
    crm.ok("--user", "maria", "contacts", "edit", str(anna), "--city", "Roma")
    crm.refused(
        "--user",
        "luca",
        "contacts",
        "edit",
        str(anna),
        "--city",
        "Bari",
        "--if-version",
        str(shown["version"]),
        match="maria changed this contact",
    )
    ref = crm.json("refer", str(anna), str(crm.add("Bruno", "Verdi")))
    crm.ok("--user", "maria", "referrals", "edit", str(ref["id"]), "--temperature", "5")
    crm.refused(
        "referrals",
        "edit",
        str(ref["id"]),
        "--notes",
        "x",
        "--if-version",
        str(ref["version"]),
        match="maria changed this referral",
    )
    item = crm.json("followups", "add", str(anna), "--due", "2026-12-10", "--title", "Call")
    crm.ok("--user", "maria", "followups", "edit", str(item["id"]), "--title", "Call Anna")
    crm.refused(
        "followups",
        "edit",
        str(item["id"]),
        "--assign",
        "luca",
        "--if-version",
        str(item["version"]),
        match="maria changed this follow-up",
    )
    after = crm.json(
        "followups",
        "edit",
        str(item["id"]),
        "--assign",
        "luca",
        "--json",
        "--if-version",
        str(item["version"] + 1),
    )
    assert after["assigned_to"] == "luca" and after["version"] == item["version"] + 2
    assert crm.ok("followups", "edit", str(item["id"]), "--unassign") == (
        f"Follow-up {item['id']}: changed assigned_to\n"
    )


# -- who did what ------------------------------------------------------------------------


def test_user_is_recorded_on_history_referrals_followups_and_rewards(tmp_path, capsys, backend):
    crm = make_crm(tmp_path, capsys, backend=backend)
    anna = crm.add("Anna", "Rossi")
    bruno = crm.add("Bruno", "Verdi")
    crm.json("--user", "maria", "contacts", "note", str(anna), "Met at the mixer")
    ref = crm.json("--user", "maria", "refer", str(anna), str(bruno))
    item = crm.json(
        "--user",
        "giorgos",
        "followups",
        "add",
        str(bruno),
        "--due",
        "2026-12-10",
        "--title",
        "Call",
    )
    crm.ok("--user", "Ελένη", "referrals", "status", str(ref["id"]), "won", "--value", "1000")
    assert ref["created_by"] == "maria"
    assert (item["created_by"], item["changed_by"]) == ("giorgos", "giorgos")
    history = crm.json("contacts", "history", str(anna), "--json")
    assert [(h["summary"], h["created_by"]) for h in history if h["kind"] == "note"] == [
        ("Met at the mixer", "maria")
    ]
    store = dbm.open_database(crm.target)
    try:
        rewards = list(models.Reward.select())
        assert rewards and {r.created_by for r in rewards} == {"Ελένη"}
        assert models.Referral.get_by_id(ref["id"]).changed_by == "Ελένη"
    finally:
        store.close()
    text = crm.ok("contacts", "history", str(anna))
    assert "Met at the mixer  (by maria)" in text
    crm.refused(
        "--user", "  ", "contacts", "note", str(anna), "x", match="user name cannot be empty"
    )


def test_without_user_the_os_login_is_recorded(store):
    anna = person("Anna")
    [line] = models.Interaction.select().where(models.Interaction.contact == anna)
    assert line.created_by == users.os_login() != ""


# -- assignment and "mine" -----------------------------------------------------------------


def test_assigning_and_listing_mine_in_the_cli(tmp_path, capsys, backend):
    crm = make_crm(tmp_path, capsys, backend=backend)
    anna = crm.add("Anna", "Rossi")
    for user, title, assign in (
        ("maria", "For luca", "luca"),
        ("maria", "Maria's own", None),
        ("luca", "Luca's own", None),
        ("luca", "For maria", "maria"),
    ):
        extra = ("--assign", assign) if assign else ()
        crm.json(
            "--user",
            user,
            "followups",
            "add",
            str(anna),
            "--due",
            "2026-12-10",
            "--title",
            title,
            *extra,
        )
    mine = crm.json("--user", "luca", "followups", "list", "--mine", "--json")
    assert [f["title"] for f in mine] == ["For luca", "Luca's own"]
    assert {f["assigned_to"] for f in mine} == {"luca", ""}
    text = crm.ok("--user", "maria", "followups", "--mine")
    assert "Maria's own" in text and "For maria" in text and "luca" not in text
    assert len(crm.json("followups", "list", "--json")) == 4
    crm.refused(
        "followups",
        "add",
        str(anna),
        "--due",
        "2026-12-10",
        "--title",
        "x",
        "--assign",
        "a" * 65,
        match="at most 64 characters",
    )


def test_known_users_and_mine_counts(store):
    anna = person("Anna")
    users.set_current("maria")
    followups.create_followup(anna, DUE, title="Mine", assigned_to="")
    followups.create_followup(anna, DUE, title="For luca", assigned_to="luca")
    users.set_current("luca")
    followups.create_followup(anna, DUE, title="Luca's", assigned_to="")
    assert followups.mine_count(clock_today(), 30) == 2
    assert followups.section_counts(clock_today(), 30, mine_only=True)["upcoming"] == 2
    assert followups.section_counts(clock_today(), 30)["upcoming"] == 3
    rows = followups.section_rows("upcoming", mine_only=True)
    assert [r["title"] for r in rows] == ["For luca", "Luca's"]
    assert {"luca", "maria"} <= set(users.known_users())


def clock_today() -> dt.date:
    from crm.core import clock

    return clock.today()


# -- races: two colleagues at the same moment ----------------------------------------------


def _together(jobs) -> list[object]:
    """Run each job on a thread of its own (each with its own connection), released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except CrmError as exc:
            results[i] = exc
        except Exception as exc:  # reported, so the test shows it
            results[i] = ("error", repr(exc))
        finally:
            dbm.close_thread_connection()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_threads_redeeming_one_voucher_exactly_one_succeeds(store):
    holder = contacts.create_contact(
        ContactData(given_name="Anna", family_name="Παπαδοπούλου", marketing_consent=True)
    ).id
    for round_ in range(5):
        [voucher] = vouchers.issue(
            [holder], value="50", expires=dt.date(2027, 12, 31), batch=f"Q{round_}"
        )
        code = voucher["code"]
        results = _together(
            [
                lambda c=code, n=name: redemption.redeem(c, new_friend=n)
                for name in ("Maria Rossi", "Eva Klein")
            ]
        )
        won = [r for r in results if isinstance(r, dict)]
        lost = [r for r in results if isinstance(r, CrmError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert f"Voucher {code} was already redeemed" in lost[0].message
        v = models.Voucher.get(models.Voucher.code == code)
        assert v.status == "redeemed" and v.redeemed_by_id == won[0]["friend_id"]
        assert models.Referral.select().where(models.Referral.giver == holder).count() == len(
            models.Voucher.select().where(models.Voucher.status == "redeemed")
        )


def test_two_threads_recording_a_to_b_and_b_to_a_make_no_cycle(store):
    pairs = [(person("A", f"Pair {i}"), person("B", f"Pair {i}")) for i in range(20)]
    for a, b in pairs:
        results = _together(
            [
                lambda a=a, b=b: referrals.record_referral(a, b),
                lambda a=a, b=b: referrals.record_referral(b, a),
            ]
        )
        made = [r for r in results if isinstance(r, models.Referral)]
        refusals = [r for r in results if isinstance(r, CrmError)]
        assert len(made) == 1 and len(refusals) == 1, results
        assert "that would make a cycle" in refusals[0].message
    r = models.Referral
    edges = {(x.giver_id, x.referred_id) for x in r.select().where(r.is_primary == True)}  # noqa: E712
    assert len(edges) == 20 and not any((b, a) in edges for a, b in edges)


def test_serialise_needs_a_transaction(store):
    with pytest.raises(RuntimeError, match="needs an open transaction"):
        dbm.serialise("referral-forest")
    with models.database_proxy.atomic():
        dbm.serialise("referral-forest")  # SQLite: the transaction's write lock already does it
    assert dbm._lock_number("referral-forest") == dbm._lock_number("referral-forest")
    assert dbm._lock_number("a") != dbm._lock_number("b")


# -- the briefing says who --------------------------------------------------------------


def test_the_briefing_says_who_recorded_what_a_colleague_did(store, tmp_path):
    import pypdf

    from crm.core import briefing, clock, events, interactions
    from crm.documents import briefing_pdf

    users.set_current("maria")
    ev = events.create_event("Chamber evening", dt.date(2026, 12, 3)).id
    anna, bruno, chiara = person("Anna"), person("Bruno", "Verdi"), person("Chiara", "Conti")
    for cid in (anna, bruno):
        events.attend(ev, cid)
    referrals.record_referral(anna, chiara)
    followups.create_followup(anna, DUE, title="Send the proposal", assigned_to="giorgos")
    users.set_current("luca")
    referrals.record_referral(anna, bruno)
    clock.set_now(clock.now() + dt.timedelta(minutes=5))
    interactions.add_note(anna, "call", "Talked about the fair")
    users.set_current("maria")

    data = briefing.event_briefing(ev)
    [a] = [p for p in data["attendees"] if p["contact_id"] == anna]
    assert {(r["name"], r["created_by"]) for r in a["given"]["latest"]} == {
        ("Bruno Verdi", "luca"),
        ("Chiara Conti", "maria"),
    }
    assert a["last_interaction"]["created_by"] == "luca"
    assert a["followups"][0]["assigned_to"] == "giorgos"

    out = tmp_path / "briefing.pdf"
    briefing_pdf.event_briefing_pdf(ev, out)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out).pages).split())
    # The reader's own lines are not signed; a colleague's are.
    assert "Bruno Verdi (here): new, by luca" in text
    assert "Chiara Conti: new OK" in text and "by maria" not in text
    assert "Last contact: Dec 6, 2026, call (by luca)" in text
    assert "for giorgos" in text
