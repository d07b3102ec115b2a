"""The catalogs are complete: every entry translated, none fuzzy, the same placeholders
as the English, and the plural rule of each language as CLDR has it."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from crm import i18n_catalogs

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = i18n_catalogs.catalog_sources()
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXrcoa%]")
QT_ARG = re.compile(r"%L?[1-9]|%n")  # Qt's tr() arguments


def _read(po: Path):
    with po.open("rb") as fh:
        return read_po(fh)


def placeholders(text: str) -> list[tuple[str, ...]]:
    """``{name!r:spec}`` fields, ``%(x)s`` / ``%d`` specifiers and Qt's ``%1``, sorted."""
    try:
        braces = [
            (name, conv or "", spec or "")
            for _, name, spec, conv in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError:  # an unbalanced brace: report it as a field of its own
        braces = [("<unbalanced brace>", "", "")]
    percents = [(match,) for match in PERCENT.findall(text) if match != "%%"]
    qt_args = [(match,) for match in QT_ARG.findall(text)]
    return sorted(braces) + sorted(percents) + sorted(qt_args)


def _entries():
    for po in CATALOGS:
        lang = po.parent.parent.name
        for message in _read(po):
            if message.id:
                yield lang, message


def test_there_are_catalogs():
    assert {po.parent.parent.name for po in CATALOGS} == {"el", "bg", "it", "ar"}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_plural_forms_follow_cldr(po):
    lang = po.parent.parent.name
    header = re.search(r'^"Plural-Forms: (.*)\\n"$', po.read_text(encoding="utf-8"), re.MULTILINE)
    assert header is not None, "no Plural-Forms header"
    cldr = get_plural(lang)
    assert header.group(1).rstrip(";").replace(" ", "") == cldr.plural_forms.rstrip(";").replace(
        " ", ""
    )
    assert _read(po).num_plurals == cldr.num_plurals == {"ar": 6, "it": 3}.get(lang, 2)


def test_nothing_untranslated_or_fuzzy():
    problems = []
    for lang, message in _entries():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{lang}: fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"{lang}: untranslated: {message.id!r}")
    assert problems == []


def test_placeholders_are_kept():
    problems = []
    for lang, message in _entries():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(ids[-1])
        for text in strings:
            got = placeholders(text) if text else wanted
            # A plural form may leave the number out ("جهتا اتصال": two contacts), never
            # add or change one; a plain message keeps exactly the English placeholders.
            if got != wanted and not (len(ids) > 1 and set(got) < set(wanted)):
                problems.append(f"{lang}: {message.id!r}: {got} != {wanted}")
    assert problems == []


def test_plural_entries_have_every_form():
    for po in CATALOGS:
        catalog = _read(po)
        for message in catalog:
            if message.id and message.pluralizable:
                assert len(message.string) == catalog.num_plurals, message.id


def test_the_catalogs_hold_every_message_of_the_code(tmp_path):
    """pybabel extract finds nothing that is not in the catalogs (run the README's commands)."""
    pot = tmp_path / "crm.pot"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "-k",
            "N_",
            "-k",
            "pgettext:1c,2",
            "-o",
            str(pot),
            "crm",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wanted = {m.id for m in _read(pot) if m.id}
    for po in CATALOGS:
        have = {m.id for m in _read(po) if m.id}
        missing = sorted(str(x) for x in wanted - have)
        assert missing == [], f"{po.parent.parent.name}: run pybabel update (README): {missing[:5]}"


# The calls the interface translates its words with, and where a literal is the message.
TRANSLATING = {"tr": 0, "_tr": 0, "_t": 0, "_": 0, "N_": 0, "translate": 1}
# Words asked for that are names, the same in every language.
NOT_MESSAGES = {"Passaparola"}


def _asked_for(path: Path) -> list[tuple[int, str]]:
    """(line, message) of every literal the file hands to a translating call."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        at = TRANSLATING.get(name)
        if at is None or len(node.args) <= at:
            continue
        arg = node.args[at]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.append((node.lineno, arg.value))
    return found


def test_every_word_the_interface_asks_for_is_in_the_catalogs():
    """A tr()/_t()/translate() the extraction misses shows English in every language: a
    helper babel.cfg does not list as a keyword, a file it does not list, a tr() inside an
    f-string, QCoreApplication.translate(context, text) called directly."""
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in _read(CATALOGS[0]) if m.id}
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "crm" / "gui").rglob("*.py"))
        for line, text in _asked_for(path)
        if text not in have and text not in NOT_MESSAGES
    ]
    assert missing == [], "\n".join(missing)
