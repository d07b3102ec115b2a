"""``crm templates`` and ``crm settings``: wording and preferences, checked before stored."""

from __future__ import annotations

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def test_templates_list_show_set_reset(crm, tmp_path):
    listed = crm.json("templates", "list", "--json")
    assert len(listed) == 20 and not any(t["changed"] for t in listed)
    shown = crm.json("templates", "show", "voucher", "it", "--json")
    assert shown["id"] == "voucher.it" and "holder_name" in shown["fields"]
    text = tmp_path / "thanks.txt"
    text.write_text("Thank you, {giver_given_name}\n\n{salutation}\nThanks a lot.\n", "utf-8")
    saved = crm.json("templates", "set", "thank_you_letter", "en", "--file", str(text), "--json")
    assert (saved["subject"], saved["body"], saved["changed"]) == (
        "Thank you, {giver_given_name}",
        "{salutation}\nThanks a lot.",
        True,
    )
    assert crm.ok("templates", "show", "thank_you_letter", "en").startswith("Thank you, {giver")
    assert crm.json("templates", "reset", "thank_you_letter", "en", "--json")["changed"] is False


def test_template_refusals_name_the_valid_fields(crm, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Hello\n\nDear {nickname},\n", "utf-8")
    line = crm.refused(
        "templates", "set", "voucher", "en", "--file", str(bad), match="Unknown merge field"
    )
    assert line.startswith("error: Unknown merge field {nickname} in the body; valid fields: ")
    assert "{holder_name}" in line and "{code}" in line
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ciao\n\nGrazie più\n".encode("latin-1"))
    crm.refused("templates", "set", "voucher", "it", "--file", str(latin), match="not UTF-8")
    crm.refused(
        "templates", "set", "voucher", "it", "--file", str(tmp_path / "none.txt"),
        match="Cannot read",
    )  # fmt: skip
    crm.refused("templates", "show", "postcard", "en", match="argument KIND: invalid choice")
    crm.refused("templates", "show", "voucher", "fr", match="argument LANGUAGE: invalid choice")


def test_settings_list_get_set(crm):
    values = crm.json("settings", "list", "--json")
    assert values["profile.currency"] == "EUR" and values["referral_cooldown_days"] == 90
    assert crm.ok("settings", "set", "profile.currency", "usd") == "USD\n"
    assert crm.json("settings", "set", "referral_cooldown_days", "60", "--json") == {
        "id": "referral_cooldown_days",
        "key": "referral_cooldown_days",
        "value": 60,
    }
    crm.ok("settings", "set", "profile.name", "Maria Rossi")
    assert crm.ok("settings", "get", "profile.name") == "Maria Rossi\n"
    assert crm.json("settings", "get", "referral_cooldown_days", "--json")["value"] == 60


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "red", "Unknown setting 'colour'; known: profile.name, profile.company"),
        ("profile.page_size", "A5", "Page size must be one of A4, Letter, not 'A5'"),
        ("profile.currency", "EURO", "Currency 'EURO' is not a three-letter ISO code"),
        ("referral_cooldown_days", "9999", "must be between 0 and 3650, not 9999"),
        ("referral_cooldown_days", "soon", "must be a whole number, not 'soon'"),
        ("reward_trigger", "maybe", "must be one of received, won, not 'maybe'"),
    ],
)
def test_settings_refusals(crm, key, value, message):
    crm.refused("settings", "set", key, value, match=message)


def test_settings_get_unknown(crm):
    # The mail password is never a setting: it lives in the system keyring.
    crm.refused("settings", "get", "smtp.password", match="Unknown setting 'smtp.password'")


def _this_computer_file():
    from crm.core import this_computer

    return this_computer.path()


def test_ui_language_is_this_computers_and_not_the_databases(crm):
    before = crm.dump()
    assert crm.ok("settings", "get", "ui_language") == "\n"  # the system's until chosen
    assert crm.ok("settings", "set", "ui_language", "el") == "el\n"
    assert crm.json("settings", "get", "ui_language", "--json")["value"] == "el"
    listed = crm.ok("settings", "list")
    line = next(x for x in listed.splitlines() if x.startswith("ui_language"))
    assert line.split() == ["ui_language", "el", "(this", "computer)"]
    assert crm.json("settings", "list", "--json")["ui_language"] == "el"
    # Kept in the user's config folder: the (perhaps shared) database is untouched.
    assert crm.dump() == before
    assert '"ui_language": "el"' in _this_computer_file().read_text("utf-8")
    assert crm.ok("settings", "set", "ui_language", "") == "\n"


@pytest.mark.parametrize("value", ["fr", "EL", "greek", "el_GR"])
def test_ui_language_refused_naming_the_valid_ones(crm, value):
    crm.ok("settings", "set", "ui_language", "bg")
    saved = _this_computer_file().read_bytes()
    line = crm.refused("settings", "set", "ui_language", value, match="en, el, bg, it, ar")
    assert line == (
        'error: The interface language must be one of en, el, bg, it, ar, or "" for the '
        f"system's language, not '{value}'"
    )
    assert _this_computer_file().read_bytes() == saved
    assert crm.ok("settings", "get", "ui_language") == "bg\n"


def test_ui_language_refusal_speaks_the_cli_language_not_the_chosen_one(crm, monkeypatch):
    # crm's own messages follow LC_ALL / LC_MESSAGES / LANG, whatever ui_language says.
    from crm.i18n import set_language

    crm.ok("settings", "set", "ui_language", "it")
    monkeypatch.setenv("LANG", "el_GR.UTF-8")
    try:
        line = crm.refused("settings", "set", "ui_language", "fr", match="'fr'")
    finally:
        set_language("en")  # the in-process command chose Greek for what follows
    assert "Η γλώσσα" in line and "en, el, bg, it, ar" in line
