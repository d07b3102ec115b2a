"""The catalogs: loading (built .mo or the .po compiled in memory), the language of the env."""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path

import pytest

from crm import i18n, i18n_catalogs
from crm.i18n_mo import MoCatalog


@pytest.fixture(autouse=True)
def _english_after(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("el_GR.UTF-8", "el"),
        ("bg_BG.utf8", "bg"),
        ("it_IT", "it"),
        ("ar_EG.UTF-8@latin", "ar"),
        ("en_US.UTF-8", "en"),
        ("fr_FR.UTF-8", "en"),
        ("C", "en"),
        ("POSIX", "en"),
        ("", "en"),
        (None, "en"),
        ("EL", "el"),
        ("el-GR", "el"),
    ],
)
def test_normalize(value, code):
    assert i18n.normalize(value) == code


def test_environment_order():
    env = {"LANG": "it_IT.UTF-8", "LC_MESSAGES": "bg_BG.UTF-8", "LC_ALL": ""}
    assert i18n.language_from_environment(env) == "bg"
    env["LC_ALL"] = "el_GR.UTF-8"
    assert i18n.language_from_environment(env) == "el"
    assert i18n.language_from_environment({"LANG": "it_IT.UTF-8"}) == "it"
    assert i18n.language_from_environment({}) == "en"


def test_set_language_unknown_is_english():
    i18n.set_language("fr_FR.UTF-8")
    assert i18n.language() == "en"
    assert i18n._("Anything") == "Anything"


def test_every_language_has_a_catalog():
    langs = {po.parent.parent.name for po in i18n_catalogs.catalog_sources()}
    assert langs == set(i18n.LANGUAGES) - {"en"}


def _catalog(tmp_path: Path, msgstr: str) -> Path:
    po = tmp_path / "el" / "LC_MESSAGES" / "crm.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        f'msgid "Contact"\nmsgstr "{msgstr}"\n\n'
        '#, fuzzy\nmsgid "Referral"\nmsgstr "Σύσταση;"\n',
        encoding="utf-8",
    )
    return po


def test_po_compiled_in_memory_and_fuzzy_left_out(tmp_path, monkeypatch):
    _catalog(tmp_path, "Επαφή")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    i18n.set_language("el")
    assert i18n._("Contact") == "Επαφή"
    assert i18n._("Referral") == "Referral"  # fuzzy: not trusted


def test_fresh_mo_is_preferred_stale_mo_is_not(tmp_path, monkeypatch):
    po = _catalog(tmp_path, "Επαφή")
    mo = po.with_suffix(".mo")
    i18n_catalogs.compile_catalogs(tmp_path, tmp_path)
    assert mo.exists()
    # A built .mo as new as its .po is read as is.
    stamp = po.stat().st_mtime
    os.utime(mo, (stamp + 10, stamp + 10))
    assert gettext.GNUTranslations(mo.open("rb")).gettext("Contact") == "Επαφή"
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    mo.write_bytes(i18n_catalogs.compile_po(_catalog_text(tmp_path, "Από .mo")))
    os.utime(mo, (stamp + 10, stamp + 10))
    assert i18n.translations("el").gettext("Contact") == "Από .mo"
    # A .po edited after the build wins over the stale .mo.
    os.utime(mo, (stamp - 10, stamp - 10))
    monkeypatch.setattr(i18n, "_cache", {})
    assert i18n.translations("el").gettext("Contact") == "Επαφή"


def _catalog_text(tmp_path: Path, msgstr: str) -> Path:
    other = tmp_path / "other"
    return _catalog(other, msgstr)


def test_missing_catalog_is_english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    i18n.set_language("bg")
    assert i18n.language() == "bg"
    assert i18n._("Contact") == "Contact"


def test_a_compiled_po_is_cached_between_runs(tmp_path, monkeypatch):
    po = _catalog(tmp_path, "Επαφή")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    assert i18n.translations("el").gettext("Contact") == "Επαφή"
    cached = list((tmp_path / "cache").rglob("*.mo"))
    assert len(cached) == 1
    # The next run reads the cache: babel is not needed again.
    monkeypatch.setattr(i18n, "compile_po", None)
    monkeypatch.setattr(i18n, "_cache", {})
    assert i18n.translations("el").gettext("Contact") == "Επαφή"
    # An edited .po is compiled again and replaces its stale copy.
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_cache", {})
    po.write_text(po.read_text(encoding="utf-8").replace("Επαφή", "Η επαφή"), encoding="utf-8")
    assert i18n.translations("el").gettext("Contact") == "Η επαφή"
    assert len(list((tmp_path / "cache").rglob("*.mo"))) == 1


@pytest.mark.parametrize("po", i18n_catalogs.catalog_sources(), ids=lambda p: p.parent.parent.name)
def test_the_compact_catalog_answers_as_gnu_translations(po):
    """Every message of each real catalog, its plural forms for 0..110, a context's
    words, and messages it does not hold, read in place as GNUTranslations reads them."""
    from babel.messages.pofile import read_po

    data = i18n_catalogs.compile_po(po)
    gnu = gettext.GNUTranslations(io.BytesIO(data))
    compact = MoCatalog(data)
    assert compact.info() == gnu.info()
    with po.open("rb") as fh:
        messages = [m for m in read_po(fh) if m.id]
    assert len(messages) > 1000
    for message in messages:
        ctx = message.context
        if message.pluralizable:
            one, many = message.id
            for n in range(111):
                if ctx:
                    got = compact.npgettext(ctx, one, many, n)
                    assert got == gnu.npgettext(ctx, one, many, n), (one, n)
                else:
                    assert compact.ngettext(one, many, n) == gnu.ngettext(one, many, n), (one, n)
            # A plural's singular asked by gettext: its form for 1, as GNUTranslations
            # answers in newer Pythons (3.11.7 does; 3.11.2 gave the English back).
            assert compact.gettext(one) == gnu.ngettext(one, many, 1)
        elif ctx:
            assert compact.pgettext(ctx, message.id) == gnu.pgettext(ctx, message.id)
            assert compact.gettext(message.id) == gnu.gettext(message.id)
        else:
            assert compact.gettext(message.id) == gnu.gettext(message.id)
            # A message's beginning, or more than it, is not that message.
            assert compact.gettext(message.id[:-1]) == gnu.gettext(message.id[:-1])
            assert compact.gettext(message.id + "!") == message.id + "!"
    assert compact.ngettext("No such file", "No such files", 3) == "No such files"


def test_a_damaged_mo_reads_as_english(tmp_path, monkeypatch):
    po = _catalog(tmp_path, "Επαφή")
    mo = po.with_suffix(".mo")
    data = i18n_catalogs.compile_po(po)
    stamp = po.stat().st_mtime
    for damaged in (data[: len(data) // 2], b"not a catalog at all", b""):
        mo.write_bytes(damaged)
        os.utime(mo, (stamp + 10, stamp + 10))
        monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
        monkeypatch.setattr(i18n, "_cache", {})
        assert i18n.translations("el").gettext("Contact") == "Contact"
    for damaged in (data[:40], data[:27], b"\xde\x12\x04\x95xyz"):
        with pytest.raises(OSError):
            MoCatalog(damaged)
