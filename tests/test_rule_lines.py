"""Lines a rule wrote (follow-up titles, history lines) are codes, worded in each reader's language.

The schema step that brings them turns an older database's English lines into
codes after a backup; the CLI, the briefing and the editor word them in their
language; a title the user edits is theirs; an unknown code shows the stored text.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess

import pytest
from test_cli_contract import crm_run

from crm.core import (
    backups,
    briefing,
    contacts,
    erasure,
    events,
    followup_edits,
    followups,
    interactions,
    migrations,
    models,
    referrals,
    rule_lines,
    settings,
)
from crm.core import db as dbm
from crm.core.errors import ValidationError
from crm.documents import briefing_pdf
from crm.i18n import set_language

NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
# Templates some languages word as English does.
SAME_IN_SOME = ("Email: {name}", "{event} ({role})")
STEP = next(v for v, step in migrations.MIGRATIONS.items() if step is migrations._add_rule_codes)


def person(given: str, family: str = "") -> int:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def _referral_followup(referred: int) -> models.FollowUp:
    f = models.FollowUp
    return f.get((f.contact == referred) & (f.rule == "referral"))


@pytest.fixture
def greek():
    set_language("el")
    yield
    set_language("en")


# -- the schema step ------------------------------------------------------------------------


def _as_the_version_before(database) -> None:
    """The database as version 7 left it: English text only, no message column."""
    for table in ("follow_up", "interaction"):
        database.execute_sql(f"ALTER TABLE {table} DROP COLUMN message")
    p = database.param
    database.execute_sql(
        f"UPDATE crm_meta SET value = {p} WHERE key = 'schema_version'", (str(STEP - 1),)
    )


def test_the_step_turns_english_lines_into_codes_after_a_backup(backend):
    store = dbm.open_database(backend.target)
    giver, friend = person("Γιώργος", "Παπαδόπουλος"), person("Anna", "Bianchi")
    ref = referrals.record_referral(giver, friend)
    referrals.change_status(ref.id, "won", value="120")
    typed = followups.create_followup(friend, dt.date(2027, 1, 5), title="Call Bob about the bill")
    own = followups.create_followup(friend, dt.date(2027, 1, 6), title="Call Anna Bianchi")
    interactions.add_note(friend, "note", "Referred by nobody, she says")
    store.close()
    with dbm.opened(backend.target) as old:
        _as_the_version_before(old.db)
        titles = dict(old.db.execute_sql("SELECT id, title FROM follow_up").fetchall())

    store = dbm.open_database(backend.target)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        if backend.is_postgres:
            (copy,) = store.db.execute_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                (f"crm_before_v{STEP - 1}_%",),
            ).fetchone()
            saved = dict(
                store.db.execute_sql(f'SELECT id, title FROM "{copy}".follow_up').fetchall()
            )
            store.db.execute_sql(f'DROP SCHEMA "{copy}" CASCADE')
        else:
            (made,) = [p for p in backups.list_backups(store) if f"v{STEP - 1}" in p.name]
            with sqlite3.connect(made) as conn:
                saved = dict(conn.execute("SELECT id, title FROM follow_up").fetchall())
                columns = [r[1] for r in conn.execute("PRAGMA table_info(follow_up)")]
            conn.close()
            assert "message" not in columns
        assert saved == titles  # the copy is the database as it was

        made_by_rule = _referral_followup(friend)
        assert json.loads(made_by_rule.message) == {
            "code": "followup.referral",
            "params": {"referred": "Anna Bianchi", "giver": "Γιώργος Παπαδόπουλος"},
        }
        assert made_by_rule.title == "Contact Anna Bianchi, referred by Γιώργος Παπαδόπουλος"
        assert models.FollowUp.get_by_id(typed.id).message is None  # typed: left alone
        assert json.loads(models.FollowUp.get_by_id(own.id).message)["code"] == "followup.call"
        lines = {i.summary: i.message for i in interactions.history(friend)}
        assert lines["Referred by nobody, she says"] is None
        assert json.loads(lines["Contact created"]) == {"code": "history.contact_created"}
        assert (
            json.loads(lines["Referred by Γιώργος Παπαδόπουλος"])["code"] == "history.referred_by"
        )
        added = json.loads(lines["Call Bob about the bill (due 2027-01-05)"])
        assert added["params"]["title"] == "Call Bob about the bill"  # typed text as data
        won = next(i for i in interactions.history(giver) if i.kind == "referral_status")
        assert json.loads(won.message)["code"] == "history.referral_won"
        set_language("it")
        try:
            assert rule_lines.shown_summary(won) == (
                "Segnalazione di Anna Bianchi: Nuova → Vinta (120 EUR)"  # stored 120.00
            )
            assert rule_lines.shown_title(made_by_rule) == (
                "Contattare Anna Bianchi, segnalazione di Γιώργος Παπαδόπουλος"
            )
        finally:
            set_language("en")
    finally:
        store.close()


# -- shown in the reader's language --------------------------------------------------------


def test_a_new_referral_s_followup_in_greek_in_the_cli(tmp_path):
    path = str(tmp_path / "crm.sqlite3")
    for given, family in (("Ada", "Lovelace"), ("Alan", "Turing")):
        code, _out, err = crm_run(
            "--db", path, "contacts", "add", "--given", given, "--family", family
        )
        assert code == 0, err
    code, _out, err = crm_run("--db", path, "refer", "1", "2")
    assert code == 0, err
    env = {**NO_LOCALE, "LANG": "el_GR.UTF-8"}
    code, out, err = crm_run("--db", path, "followups", "list", env=env)
    assert code == 0, err
    assert "Επικοινωνία με Alan Turing, σύσταση από Ada Lovelace" in out
    code, out, err = crm_run("--db", path, "contacts", "history", "1", env=env)
    assert code == 0, err
    assert "Σύστησε την επαφή Alan Turing" in out
    code, out, err = crm_run("--db", path, "followups", "list", env={**NO_LOCALE, "LANG": "C"})
    assert "Contact Alan Turing, referred by Ada Lovelace" in out


def test_every_code_is_worded_in_every_language_with_its_params():
    samples = {"kind": rule_lines.term("reward", "gift"), "old": rule_lines.term("status", "new")}
    samples["new"] = rule_lines.term("status", "won")
    samples["role"] = rule_lines.term("role", "host")
    samples["fields"] = [rule_lines.line("field.due")]
    samples["points"] = 3
    for code, template in rule_lines.CODES.items():
        names = [n.split("}")[0] for n in template.split("{")[1:]]
        made = rule_lines.line(code, **{n: samples.get(n, f"<{n}>") for n in names})
        for language in ("el", "bg", "it", "ar"):
            worded = made.text(language)
            assert worded != made.english() or template in SAME_IN_SOME, (code, language)
            for n in names:
                if n not in samples:
                    assert f"<{n}>" in worded, (code, language)


def test_names_are_data_never_translated(greek, store):
    shown = rule_lines.render(
        rule_lines.line("followup.birthday", name="Call").stored(), "Birthday: Call"
    )
    assert shown == "Γενέθλια: Call"


def test_an_unknown_code_or_broken_message_shows_the_stored_text(store, greek):
    friend = person("Anna", "Bianchi")
    item = followups.create_followup(friend, dt.date(2027, 1, 5), title="Stored text")
    models.FollowUp.update(message='{"code":"from.a.newer.version","params":{}}').where(
        models.FollowUp.id == item.id
    ).execute()
    (row,) = followups.open_followups(contact_id=friend)
    assert row["title"] == "Stored text"
    followups.mark_done(item.id)  # its history line names the stored text
    done = interactions.history(friend, limit=1)[0]
    assert (done.kind, done.summary, done.message) == ("followup_done", "Stored text", None)
    for broken in ("not json", "[1, 2]", '{"code": "followup.birthday", "params": {}}'):
        assert rule_lines.render(broken, "Stored text") == "Stored text"


def test_editing_a_title_clears_the_code(store, greek):
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    item = _referral_followup(friend)
    shown = rule_lines.shown_title(item)
    assert shown == "Επικοινωνία με Alan Turing, σύσταση από Ada Lovelace"
    # The editor shows the Greek title; saving it as shown changes nothing.
    same = followup_edits.update_followup(item.id, title=shown, notes="Ring after 10")
    assert same.message == item.message and same.title == item.title
    edited = followup_edits.update_followup(item.id, title="Τηλέφωνο στον Alan")
    assert edited.message is None and edited.title == "Τηλέφωνο στον Alan"
    (row,) = followups.open_followups(contact_id=friend)
    assert row["title"] == "Τηλέφωνο στον Alan"
    set_language("it")
    last = interactions.history(friend, limit=1)[0]
    assert rule_lines.shown_summary(last) == "Τηλέφωνο στον Alan: modificati titolo"


def test_an_empty_title_is_refused_and_the_code_kept(store, unchanged):
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    item = _referral_followup(friend)
    with unchanged(), pytest.raises(ValidationError) as info:
        followup_edits.update_followup(item.id, title="   ")
    assert info.value.field == "title"
    assert models.FollowUp.get_by_id(item.id).message == item.message


def test_the_history_of_a_followup_names_its_title_in_the_reader_s_language(store, greek):
    friend = person("Alan", "Turing")
    item = followups.create_followup(friend, dt.date(2027, 1, 5), kind="meeting")
    followups.snooze(item.id, dt.date(2027, 1, 9))
    followups.mark_done(item.id)
    shown = [rule_lines.shown_summary(i) for i in interactions.history(friend)]
    assert shown[:3] == [
        "Συνάντηση: Alan Turing",
        # The days as Greek writes them, not 2027-01-09 as stored.
        "Συνάντηση: Alan Turing: σε αναβολή έως 9 Ιαν 2027",
        "Συνάντηση: Alan Turing (προθεσμία 5 Ιαν 2027)",
    ]
    stored = [i.summary for i in interactions.history(friend)]
    assert stored[1] == "Meeting: Alan Turing: snoozed until 2027-01-09"  # English kept


# -- the printed briefing -----------------------------------------------------------------


def test_an_italian_briefing_words_the_rule_lines_in_italian(store, tmp_path):
    ev = events.create_event("Aperitivo soci", dt.date(2026, 12, 3)).id
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    for cid in (giver, friend):
        events.attend(ev, cid, role="member")
    settings.set_value("briefing_language", "it")
    out = tmp_path / "briefing.pdf"
    briefing_pdf.event_briefing_pdf(ev, out)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Contattare Alan Turing, segnalazione di Ada Lovelace" in flat
    assert "Contact Alan Turing" not in flat
    # The briefing's data (the screen shows its last lines) in the language asked for.
    people = {a["name"]: a for a in briefing.event_briefing(ev, language="bg")["attendees"]}
    assert people["Ada Lovelace"]["last_interaction"]["summary"] == "Препоръча Alan Turing"
    followup = people["Alan Turing"]["followups"][0]["title"]
    assert followup == "Свържете се с Alan Turing (препоръка от Ada Lovelace)"


def test_erasing_a_person_scrubs_their_name_from_the_codes_as_well(store, greek):
    giver, friend = person("Ada", "Lovelace"), person("Alan", "Turing")
    referrals.record_referral(giver, friend)
    erasure.erase(friend)
    given = next(i for i in interactions.history(giver) if i.kind == "referral_given")
    assert "Turing" not in given.summary and "Turing" not in given.message
    assert json.loads(given.message)["code"] == "history.referred"
    assert rule_lines.shown_summary(given).startswith("Σύστησε την επαφή ")
    own = interactions.history(friend)
    assert all("Turing" not in (i.message or "") + i.summary for i in own)


def test_every_kind_gets_a_default_title_worded_by_the_reader(store, greek):
    friend = person("Alan", "Turing")
    for kind in models.FOLLOWUP_KINDS:
        item = followups.create_followup(friend, dt.date(2027, 1, 5), kind=kind)
        assert item.message is not None and "Alan Turing" in item.title, kind
        assert rule_lines.shown_title(item) != item.title or kind == "email", kind
