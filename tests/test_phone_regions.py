"""The phone region: from the system locale on first start, per import, named in hints."""

from __future__ import annotations

from pathlib import Path

import clitools
import pytest

from crm.core import contacts, phones, settings
from crm.core import db as dbm
from crm.core.errors import ValidationError

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Giulia Rossi\r\nN:Rossi;Giulia;;;\r\n"
    "TEL;TYPE=CELL:333 765 4321\r\nEND:VCARD\r\n"
)


@pytest.fixture
def system_locale(monkeypatch: pytest.MonkeyPatch):
    """Set the system locale as the environment gives it (LANG), with nothing above it."""

    def _set(name: str) -> None:
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_CTYPE", raising=False)
        monkeypatch.setenv("LANG", name)

    return _set


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("it_IT.UTF-8", "IT"),
        ("el_GR", "GR"),
        ("bg_BG.UTF-8@latin", "BG"),
        ("de-AT", "AT"),
        ("C.UTF-8", ""),
        ("POSIX", ""),
        ("en", ""),
        ("xx_ZZ", ""),  # not a region phonenumbers knows
    ],
)
def test_locale_region_reads_the_country_of_a_locale_name(name, region):
    assert settings.locale_region(name) == region


def test_a_new_database_takes_its_phone_region_from_the_system_locale(
    tmp_path: Path, system_locale
):
    system_locale("it_IT.UTF-8")
    store = dbm.open_database(tmp_path / "new.sqlite3")
    try:
        assert settings.profile().default_region == "IT"
        # A local number now reads as Italian.
        contact = contacts.create_contact(
            contacts.ContactData(given_name="Giulia", phones=["333 765 4321"])
        )
        assert contact.phone == "+393337654321"
    finally:
        store.close()


def test_the_locale_sets_the_region_only_on_first_start(tmp_path: Path, system_locale):
    path = tmp_path / "kept.sqlite3"
    system_locale("C.UTF-8")
    dbm.open_database(path).close()
    system_locale("el_GR.UTF-8")
    store = dbm.open_database(path)
    try:
        assert settings.profile().default_region == ""  # an existing profile keeps its choice
    finally:
        store.close()


def test_a_hint_names_the_region_that_applies():
    with pytest.raises(ValidationError, match=r"'12 34' is not a valid number in IT \(\+39\)"):
        phones.parse("12 34", "it", "phone")
    with pytest.raises(ValidationError, match=r"in GR \(\+30\)"):
        phones.parse("12 34", "GR", "phone")
    with pytest.raises(ValidationError) as no_region:
        phones.parse("210 324 1234", "", "phone")
    assert "+30" not in no_region.value.message
    assert "default region" in no_region.value.message
    # A number with its own country code is not read in the region: none is named.
    with pytest.raises(ValidationError) as coded:
        phones.parse("+30 12", "IT", "phone")
    assert coded.value.message == "Phone '+30 12' is not a valid number"


def _import(crm: clitools.Crm, tmp_path: Path, *extra: str) -> dict:
    card = tmp_path / "giulia.vcf"
    card.write_text(CARD, encoding="utf-8")
    return crm.json("import", str(card), *extra, "--json")


def test_import_region_reads_local_numbers_for_that_import_only(tmp_path: Path, capsys):
    crm = clitools.make_crm(tmp_path, capsys)
    report = _import(crm, tmp_path, "--region", "it")
    assert report["imported"] == 1 and report["warnings"] == []
    store = dbm.open_database(crm.target)
    try:
        (row,) = contacts.list_rows(limit=10)
        assert contacts.get_contact(row[0]).phone == "+393337654321"
        assert settings.profile().default_region == ""  # the profile is not changed
    finally:
        store.close()


def test_import_region_hint_names_the_region_given(tmp_path: Path, capsys):
    crm = clitools.make_crm(tmp_path, capsys)
    report = _import(crm, tmp_path, "--region", "US")
    (warning,) = report["warnings"]
    assert "in US (+1)" in warning["reason"]
    assert warning["reason"].endswith("kept in the notes as typed")


def test_import_region_refuses_an_unknown_code_naming_it(tmp_path: Path, capsys):
    crm = clitools.make_crm(tmp_path, capsys)
    card = tmp_path / "giulia.vcf"
    card.write_text(CARD, encoding="utf-8")
    code, out, err = crm("import", str(card), "--region", "Italy")
    assert code == 2 and out == ""
    assert "'Italy' is not a two-letter ISO country code" in err
