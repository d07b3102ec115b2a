"""The CLI speaks the language of the environment (LC_ALL, LC_MESSAGES, LANG), in a real process."""

from __future__ import annotations

import json

import pytest
from test_cli_contract import crm_run, dump

from crm.i18n import _, set_language

NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}


@pytest.fixture
def one_contact(tmp_path):
    path = tmp_path / "crm.sqlite3"
    code, _out, err = crm_run(
        "--db", str(path), "contacts", "add", "--given", "Ada", "--family", "Lovelace"
    )
    assert code == 0, err
    return path


def _refusal(result: tuple) -> str:
    code, out, err = result
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def test_greek_environment_refuses_in_greek(one_contact):
    before = dump(one_contact)
    env = {**NO_LOCALE, "LANG": "el_GR.UTF-8"}
    line = _refusal(crm_run("--db", str(one_contact), "refer", "1", "1", env=env))
    assert line == "error: Η επαφή Ada Lovelace δεν μπορεί να συστήσει τον εαυτό της"
    assert dump(one_contact) == before


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # not one of ours
        ({"LANG": "C"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "el_GR.UTF-8"}, "el"),
        ({"LANG": "el_GR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),  # LC_ALL wins
    ],
)
def test_the_environment_order(one_contact, env, expected):
    line = _refusal(crm_run("--db", str(one_contact), "refer", "1", "1", env={**NO_LOCALE, **env}))
    set_language(expected)
    try:
        assert line == "error: " + _("{giver_display_name} cannot refer themselves").format(
            giver_display_name="Ada Lovelace"
        )
    finally:
        set_language("en")


def test_json_refusal_carries_the_code(one_contact):
    env = {**NO_LOCALE, "LANG": "el_GR.UTF-8"}
    code, out, err = crm_run("--db", str(one_contact), "refer", "1", "1", "--json", env=env)
    assert code == 2
    assert err.startswith("error: Η επαφή")
    refusal = json.loads(out)["error"]
    assert refusal["code"] == "referral_rules.cannot_refer_themselves"
    assert refusal["params"] == {"giver_display_name": "Ada Lovelace"}
    assert refusal["message"] == "Η επαφή Ada Lovelace δεν μπορεί να συστήσει τον εαυτό της"


@pytest.mark.parametrize("lang", ["it_IT.UTF-8", "el_GR.UTF-8", "bg_BG.UTF-8"])
def test_an_amount_is_read_as_the_environment_writes_it(tmp_path, lang):
    path = str(tmp_path / "crm.sqlite3")
    for given in ("Ada", "Bob"):
        code, _out, err = crm_run("--db", path, "contacts", "add", "--given", given)
        assert code == 0, err
    code, _out, err = crm_run("--db", path, "refer", "1", "2")
    assert code == 0, err
    env = {**NO_LOCALE, "LANG": lang}
    before = dump(path)
    # The English way is ambiguous where the comma is the decimal sign: refused, and
    # the message names the language's way (1.234,56; 1 234,56 in Bulgarian).
    for typed in ("12.50", "1,234.56"):
        args = ("referrals", "status", "1", "won", "--value", typed)
        line = _refusal(crm_run("--db", path, *args, env=env))
        assert "1.234,56" in line or "1 234,56" in line or "1\u00a0234,56" in line, line
    assert dump(path) == before
    typed = "1 234,56" if lang.startswith("bg") else "1.234,56"
    code, out, err = crm_run(
        "--db", path, "referrals", "status", "1", "won", "--value", typed, env=env
    )
    assert code == 0, err
    code, out, err = crm_run("--db", path, "referrals", "show", "1", "--json")
    assert code == 0, err
    assert "1234.56" in out, out
