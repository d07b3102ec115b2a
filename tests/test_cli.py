"""The ``crm`` command as a script would use it: exit codes, error lines, JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from clitools import Crm, make_crm

from crm.cli import main


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def add(crm: Crm, given: str, family: str, *extra: str) -> int:
    return crm.json("contacts", "add", "--given", given, "--family", family, *extra)["id"]


def test_contacts_add_prints_the_contact_as_json(crm):
    data = crm.json(
        "contacts",
        "add",
        "--given",
        "Γιώργος",
        "--family",
        "Παπαδόπουλος",
        "--email",
        "g.papadopoulos@example.gr",
        "--email",
        "giorgos@home.example",
        "--phone",
        "+30 691 234 5678",
        "--org",
        "Ακμή Α.Ε.",
        "--language",
        "el",
        "--street",
        "Ερμού 12",
        "--city",
        "Αθήνα",
        "--postcode",
        "105 63",
        "--country",
        "GR",
        "--birthday",
        "1980-04-15",
        "--tag",
        "BNI",
    )
    assert data["id"] == 1
    assert data["given_name"] == "Γιώργος" and data["family_name"] == "Παπαδόπουλος"
    assert data["emails"] == ["g.papadopoulos@example.gr", "giorgos@home.example"]
    assert data["phones"] == ["+306912345678"]
    assert data["organization"] == "Ακμή Α.Ε."
    assert (data["city"], data["language"], data["stage"], data["tags"]) == (
        "Αθήνα",
        "el",
        "prospect",
        ["BNI"],
    )


def test_contacts_list_search_folds_greek_tonos_and_case(crm):
    add(crm, "Γιώργος", "Παπαδόπουλος")
    add(crm, "Hans", "Müller")
    for query in ("παπαδοπουλος", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "Παπαδ"):
        found = crm.json("contacts", "list", "--search", query, "--json")
        assert [c["family_name"] for c in found] == ["Παπαδόπουλος"], query
    assert [
        c["family_name"] for c in crm.json("contacts", "list", "--search", "muller", "--json")
    ] == ["Müller"]
    code, out, _ = crm("contacts", "list")
    assert code == 0 and "Παπαδόπουλος" in out and "Müller" in out


def test_contacts_show_has_referrals_followups_and_history(crm):
    anna = add(crm, "Anna", "Bianchi")
    marco = add(crm, "Marco", "Rossi")
    ref = crm.json("refer", str(anna), str(marco))
    shown = crm.json("contacts", "show", str(marco), "--json")
    assert shown["referrals_received"][0]["id"] == ref["id"]
    assert shown["referrals_received"][0]["is_primary"] is True
    assert shown["followups"][0]["rule"] == "referral"
    assert [h["kind"] for h in shown["history"]] == ["referral_received", "created"]
    code, out, _ = crm("contacts", "show", str(marco))
    assert code == 0 and "Referred by:" in out and "Anna Bianchi" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("contacts", "add", "--given", "X", "--email", "x@"), "Email 'x@' is not valid"),
        (("contacts", "add", "--given", "X", "--phone", "12"), "Phone '12' has no country code"),
        (
            ("contacts", "add", "--family", "Y", "--birthday", "1990-13-01"),
            "Birthday '1990-13-01' is not a date",
        ),
        (("contacts", "add", "--email", "a@b.it"), "needs a given or a family name"),
        (
            ("contacts", "add", "--given", "X", "--language", "fr"),
            "argument --language: invalid choice: 'fr'",
        ),
        (("contacts", "show", "99"), "No contact with id 99"),
        (("contacts",), "the following arguments are required: ACTION"),
        (("refer", "1", "1"), "Anna Bianchi cannot refer themselves"),
        (("refer", "1", "99"), "No contact with id 99"),
        (("refer", "1", "2", "--temperature", "9"), "invalid choice"),
        (("refer", "1", "2", "--value", "100"), "A value is recorded when the referral is won"),
        (("refer", "1", "2", "--status", "won"), "A won referral needs the value"),
        (("refer", "1", "2", "--event", "5"), "No event with id 5"),
        (("referrals", "status", "42", "won"), "No referral with id 42"),
        (("chain", "99"), "No contact with id 99"),
        (
            ("events", "add", "--title", "Breakfast", "--date", "2026-02-30"),
            "Date '2026-02-30' is not a date",
        ),
        (("events", "attend", "7", "1"), "No event with id 7"),
        (("followups", "done", "12"), "No follow-up with id 12"),
        (("followups", "--due-by", "soon"), "'soon' is not a date"),
        (("restore", "whatever.sqlite3"), "add --yes to confirm"),
        (("restore", "whatever.sqlite3", "--yes"), "No backup file"),
        (("demo", "--contacts", "0"), "0 must be 1 or more"),
        (("nonsense",), "invalid choice: 'nonsense'"),
    ],
)
def test_refusals_exit_2_with_one_error_line_and_change_nothing(crm, args, message):
    add(crm, "Anna", "Bianchi")
    add(crm, "Marco", "Rossi")
    crm.refused(*args, match=message)


def test_cycle_is_refused_naming_the_contacts(crm):
    a, b, c = (add(crm, n, "Test") for n in ("Alpha", "Beta", "Gamma"))
    crm.json("refer", str(a), str(b))
    crm.json("refer", str(b), str(c))
    line = crm.refused("refer", str(c), str(a), match="would make a cycle")
    assert "Alpha Test → Beta Test → Gamma Test → Alpha Test" in line


def test_referral_pipeline_through_the_cli(crm):
    a, b = add(crm, "Anna", "Bianchi"), add(crm, "Marco", "Rossi")
    ref = crm.json("refer", str(a), str(b), "--program", "implicit", "--temperature", "5")
    assert (ref["status"], ref["program"], ref["temperature"]) == ("new", "implicit", 5)
    code, out, _ = crm("referrals", "status", str(ref["id"]), "meeting")
    assert code == 0 and "now meeting" in out
    crm.refused(
        "referrals", "status", str(ref["id"]), "contacted", match="cannot move back from meeting"
    )
    won = crm.json("referrals", "status", str(ref["id"]), "won", "--value", "1200.50", "--json")
    assert (won["status"], won["value"], won["currency"]) == ("won", 1200.5, "EUR")
    crm.refused("referrals", "status", str(ref["id"]), "lost", match="closed as won")


def test_refer_warns_about_a_possible_self_referral(crm):
    a = add(crm, "Anna", "Bianchi", "--email", "shared@example.it")
    b = add(crm, "Anna", "B", "--email", "SHARED@example.it", "--allow-duplicate")
    code, out, err = crm("refer", str(a), str(b))
    assert code == 0
    assert json.loads(out)["suspicion"] == "giver and referred share the email SHARED@example.it"
    assert err.startswith("warning: possible self-referral")


def test_chain_json(crm):
    ids = [add(crm, f"P{i}", "Chain") for i in range(5)]
    # 0 -> 1 -> 2, 0 -> 3, 2 -> 4
    for giver, referred in ((0, 1), (1, 2), (0, 3), (2, 4)):
        crm.json("refer", str(ids[giver]), str(ids[referred]))
    data = crm.json("chain", str(ids[2]), "--json")
    assert data["contact"]["id"] == ids[2]
    assert [(a["id"], a["depth"]) for a in data["ancestors"]] == [(ids[1], 1), (ids[0], 2)]
    assert [(d["id"], d["depth"]) for d in data["descendants"]] == [(ids[4], 1)]
    root = crm.json("chain", str(ids[0]), "--json")
    assert sorted((d["id"], d["depth"]) for d in root["descendants"]) == sorted(
        [(ids[1], 1), (ids[3], 1), (ids[2], 2), (ids[4], 3)]
    )
    assert all("won_value" in d for d in root["descendants"])


def test_events_and_followups(crm):
    anna = add(crm, "Anna", "Bianchi")
    event = crm.json(
        "events",
        "add",
        "--title",
        "Camera di Commercio aperitivo",
        "--date",
        "2026-11-20",
        "--kind",
        "chamber_of_commerce",
        "--venue",
        "Palazzo Mezzanotte",
    )
    assert event["starts_at"] == "2026-11-20 18:00:00"
    att = crm.json("events", "attend", str(event["id"]), str(anna), "--role", "speaker", "--met")
    assert (att["role"], att["met_in_person"]) == ("speaker", True)
    crm.refused("events", "attend", str(event["id"]), str(anna), match="already on the list")
    items = crm.json("followups", "--json")
    assert [(i["contact_id"], i["due"], i["rule"]) for i in items] == [(anna, "2026-11-23", "met")]
    assert crm.json("followups", "--due-by", "2026-11-01", "--json") == []
    code, out, _ = crm("followups", "done", str(items[0]["id"]))
    assert code == 0 and "done" in out
    assert crm.json("followups", "--json") == []
    crm.refused("followups", "done", str(items[0]["id"]), match="was already done")


def test_backup_restore_check(crm, tmp_path):
    add(crm, "Anna", "Bianchi")
    code, out, _ = crm("backup", str(tmp_path / "b.sqlite3"))
    assert code == 0 and "Backed up" in out
    add(crm, "Marco", "Rossi")
    code, out, _ = crm("restore", str(tmp_path / "b.sqlite3"), "--yes")
    assert code == 0 and "previous content was saved" in out
    names = [c["given_name"] for c in crm.json("contacts", "list", "--json")]
    assert names == ["Anna"]
    report = crm.json("check", "--json")
    assert report["ok"] is True and report["problems"] == []


def test_a_newer_database_is_refused_with_exit_2(crm):
    crm.sql("UPDATE crm_meta SET value = '50'")
    crm.refused("contacts", "list", match="newer Passaparola")


def test_help_works_at_every_level(capsys):
    for args in (
        [],
        ["contacts"],
        ["contacts", "add"],
        ["referrals", "status"],
        ["events", "attend"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main([*args, "--help"])
        assert exit_info.value.code == 0
        assert "usage: crm" in capsys.readouterr().out


def test_unexpected_errors_exit_1_without_traceback(crm, monkeypatch):
    from crm.core import contacts

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(contacts, "list_rows", broken)
    code, _out, err = crm("contacts", "list")
    assert code == 1
    assert "unexpected error: RuntimeError: boom" in err and "Traceback" not in err
    crm.capsys.readouterr()
    code = main(["--debug", "--db", crm.target, "contacts", "list"])
    assert code == 1 and "Traceback" in crm.capsys.readouterr().err


def test_the_module_runs_as_a_command(tmp_path):
    db = tmp_path / "sub.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(db), "contacts", "add", "--given", "Ιωάννα"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["given_name"] == "Ιωάννα"
    result = subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(db), "refer", "1", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == "error: Ιωάννα cannot refer themselves\n"


def test_contacts_ask_respects_the_cooldown(crm):
    anna = add(crm, "Anna", "Bianchi")
    first = crm.json("contacts", "ask", str(anna), "--json")
    assert (first["ok"], first["days_since"], first["cooldown_days"]) == (False, 0, 90)
    line = crm.refused("contacts", "ask", str(anna), match="was asked for referrals on")
    assert "the cooldown is 90 days" in line
    code, out, _ = crm("contacts", "ask", str(anna), "--force")
    assert code == 0 and "asked for referrals" in out
    history = crm.json("contacts", "show", str(anna), "--json")["history"]
    assert [h["kind"] for h in history].count("referral_asked") == 2
