"""Refusals are codes with parameters, worded when read, in the language of the reader."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from crm import i18n
from crm.cli import messages as _cli_messages  # noqa: F401  (registers the CLI's codes)
from crm.core import messages
from crm.core.errors import CrmError, DatabaseError, NotFoundError, ValidationError

CRM = Path(__file__).resolve().parent.parent / "crm"
PACKAGES = ("core", "interchange", "documents", "demo", "cli")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _coded_calls():
    """(place, code, parameter names) of every ``X(code="...", ...)`` in the converted layers."""
    for package in PACKAGES:
        for path in sorted((CRM / package).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                kws = {k.arg: k.value for k in node.keywords}
                code = kws.get("code")
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    names = {k for k in kws if k not in ("code", "field")}
                    yield f"{path.name}:{node.lineno}", code.value, names


def test_every_code_raised_is_registered_with_the_parameters_it_is_given():
    calls = list(_coded_calls())
    assert len(calls) > 250
    wrong = []
    for place, code, names in calls:
        if code not in messages.MESSAGES:
            wrong.append(f"{place}: {code} is not registered")
        elif _fields(messages.MESSAGES[code]) != names:
            wrong.append(f"{place}: {code} takes {_fields(messages.MESSAGES[code])}, given {names}")
    assert wrong == []


def test_every_registered_code_is_used():
    used = {code for _, code, _ in _coded_calls()}
    # Codes chosen at run time: db_problems.<kind>, the amount reader's amounts.*.
    dynamic = {c for c in messages.MESSAGES if c.startswith(("db_problems.", "amounts."))}
    assert set(messages.MESSAGES) - used - dynamic == {"internal.unknown_code"}


def test_a_refusal_carries_code_field_and_params():
    err = NotFoundError(code="contacts.contact_not_found", field="contact", contact_id=7)
    assert err.code == "contacts.contact_not_found"
    assert err.field == "contact"
    assert err.params == {"contact_id": 7}
    assert str(err) == err.message == "No contact with id 7"
    assert err.as_dict() == {
        "code": "contacts.contact_not_found",
        "field": "contact",
        "params": {"contact_id": 7},
        "message": "No contact with id 7",
    }
    assert isinstance(err, ValidationError)


def test_a_plain_message_still_works():
    err = ValidationError("Something plain", "name")
    assert (err.code, err.field, err.message, str(err)) == (
        "message",
        "name",
        "Something plain",
        "Something plain",
    )
    assert DatabaseError("Disk gone").message == "Disk gone"
    with pytest.raises(TypeError):
        CrmError()


def test_with_field_keeps_the_refusal():
    err = ValidationError(
        code="settings.not_a_number", field="reward_percent", what=i18n.Term("X"), text="x"
    )
    moved = err.with_field("percent")
    assert (moved.code, moved.field, moved.message) == (err.code, "percent", err.message)


def test_an_unknown_code_says_so():
    assert "(no.such_code)" in CrmError(code="no.such_code").message


@pytest.fixture
def greek(tmp_path, monkeypatch):
    po = tmp_path / "el" / "LC_MESSAGES" / "crm.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "No contact with id {contact_id}"\n'
        'msgstr "Δεν υπάρχει επαφή με αριθμό {contact_id}"\n\n'
        "msgid \"{what} '{text}' is not a number\"\n"
        "msgstr \"{what}: το '{text}' δεν είναι αριθμός\"\n\n"
        'msgid "The fixed reward"\nmsgstr "Η σταθερή ανταμοιβή"\n\n'
        'msgid "Cannot read \'{where}\': it is a folder"\nmsgstr "Σπασμένο {elsewhere}"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield
    i18n.set_language("en")


def test_the_message_is_worded_when_read(greek):
    err = NotFoundError(code="contacts.contact_not_found", contact_id=7)
    i18n.set_language("el")
    assert str(err) == "Δεν υπάρχει επαφή με αριθμό 7"
    assert err.english() == "No contact with id 7"
    i18n.set_language("en")
    assert str(err) == "No contact with id 7"


def test_a_term_parameter_is_translated_data_is_not(greek):
    i18n.set_language("el")
    err = ValidationError(
        code="settings.not_a_number", what=i18n.Term("The fixed reward"), text="The fixed reward"
    )
    assert err.message == "Η σταθερή ανταμοιβή: το 'The fixed reward' δεν είναι αριθμός"


def test_a_broken_translation_falls_back_to_english(greek):
    i18n.set_language("el")
    err = ValidationError(code="files.cannot_read_folder", where="/tmp")
    assert err.message == "Cannot read '/tmp': it is a folder"


def test_the_core_refuses_with_a_code(store):
    from crm.core import settings

    with pytest.raises(ValidationError) as caught:
        settings.set_value("no_such_setting", "1")
    assert caught.value.code == "settings.unknown_setting_known"
    assert caught.value.params["key"] == "no_such_setting"
