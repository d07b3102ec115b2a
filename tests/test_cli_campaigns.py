"""``crm campaigns``: set up, list, run with its question, show the return; every refusal."""

from __future__ import annotations

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys):
    return make_crm(tmp_path, capsys)


def client(crm, given: str, value: str, consent: bool = True) -> int:
    cid = crm.add(given, "Client")
    if consent:
        crm.ok("contacts", "consent", str(cid), "--yes")
    friend = crm.add(f"Friend{given}", "X")
    crm.ok("refer", str(cid), str(friend), "--status", "won", "--value", value)
    return cid


ADD = ("campaigns", "add", "--every", "quarter", "--top", "2", "--value", "30", "--valid-days")


def test_add_list_run_show(crm, monkeypatch):
    ann = client(crm, "Ann", "500")
    bea = client(crm, "Bea", "900", consent=False)
    cal = client(crm, "Cal", "300")
    made = crm.json(*ADD, "90", "--name", "Best clients")
    assert made["id"] and made["top_n"] == 2 and made["value"] == 30.0
    [listed] = crm.json("campaigns", "list", "--json")
    assert listed["name"] == "Best clients" and listed["run"] is None
    assert "2026-Q4: not issued yet" in crm.ok("campaigns", "list")
    # Off a terminal, run needs --yes; the refusal changes nothing.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    crm.refused("campaigns", "run", "Best clients", match="cannot ask here (not a terminal)")
    out = crm.json("campaigns", "run", "best clients", "--yes")
    assert out["batch"] == "Best clients 2026-Q4"
    assert [v["holder_id"] for v in out["vouchers"]] == [ann, cal]
    assert [(h["rank"], h["id"]) for h in out["left_out"]] == [(1, bea)]
    crm.refused(
        "campaigns",
        "run",
        "Best clients",
        "--yes",
        match="on 2026-12-06: one batch a period, unless you force a second one (--force)",
    )
    shown = crm.json("campaigns", "show", "Best clients", "--json")
    assert shown["return"]["vouchers"] == 2 and shown["return"]["issued_value"] == 60.0
    assert [p["period"] for p in shown["periods"]] == ["2026-Q4"]
    text = crm.ok("campaigns", "show", "Best clients")
    assert "2026-Q4" in text and "2 issued (60.00 EUR)" in text
    again = crm.json("campaigns", "run", "Best clients", "--yes", "--force")
    assert again["batch"] == "Best clients 2026-Q4 #2" and len(again["vouchers"]) == 2
    shown = crm.json("campaigns", "show", "Best clients", "--json")
    assert [p["batch"] for p in shown["periods"]] == [
        "Best clients 2026-Q4",
        "Best clients 2026-Q4 #2",
    ]
    assert shown["return"]["runs"] == 2 and shown["return"]["vouchers"] == 4


def test_run_asks_on_a_terminal(crm, monkeypatch):
    client(crm, "Ann", "500")
    crm.json(*ADD, "90", "--name", "Best")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdin.readline", lambda: "n\n")
    code, out, err = crm("campaigns", "run", "Best")
    assert code == 2 and out == ""
    assert "In it (won value" in err and "1. Ann Client" in err
    assert err.strip().splitlines()[-1].endswith("error: Nothing issued: you did not answer yes")
    monkeypatch.setattr("sys.stdin.readline", lambda: "yes\n")
    assert crm.json("campaigns", "run", "Best")["batch"] == "Best 2026-Q4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((*ADD, "90", "--name", "best"), "A campaign named 'best' exists already"),
        ((*ADD, "0", "--name", "New"), "valid must be from 1 to 3,650, not 0"),
        (
            ("campaigns", "add", "--top", "-1", "--value", "5", "--valid-days", "9", "--name", "N"),
            "top clients must be from 1 to 10,000, not -1",
        ),
        (
            (
                "campaigns",
                "add",
                "--top",
                "3",
                "--value",
                "abc",
                "--valid-days",
                "9",
                "--name",
                "N",
            ),
            "Voucher value",
        ),
        ((*ADD, "9", "--every", "week", "--name", "N"), "not 'week'"),
        (("campaigns", "run", "Nope", "--yes"), "No campaign named 'Nope'; campaigns: Best"),
        (("campaigns", "show", "Nope"), "No campaign named 'Nope'"),
        (("campaigns", "edit", "Best", "--top", "x"), "must be a whole number, not 'x'"),
        (("campaigns", "edit", "Nope", "--top", "3"), "No campaign named 'Nope'"),
    ],
)
def test_refusals_exit_2_and_change_nothing(crm, args, message):
    crm.json(*ADD, "90", "--name", "Best")
    crm.refused(*args, match=message)


def test_running_with_nobody_to_give_to_is_refused(crm):
    crm.json(*ADD, "90", "--name", "Best")
    client(crm, "Bea", "900", consent=False)
    crm.refused("campaigns", "run", "Best", "--yes", match="No client with marketing consent")
    crm.json("campaigns", "edit", "Best", "--paused")
    crm.refused("campaigns", "run", "Best", "--yes", match="'Best' is paused")


def test_the_reminder_comes_with_the_daily_rules(crm):
    ann = client(crm, "Ann", "500")
    crm.json(*ADD, "90", "--name", "Best")
    crm.ok("followups", "--apply-rules")
    crm.ok("followups", "--apply-rules")
    items = [f for f in crm.json("followups", "--json") if f["rule"] == "campaign"]
    assert [(f["contact_id"], f["kind"], f["due"]) for f in items] == [
        (ann, "campaign", "2026-12-06")
    ]
    crm.json("campaigns", "run", "Best", "--yes")
    assert not [f for f in crm.json("followups", "--json") if f["rule"] == "campaign"]
