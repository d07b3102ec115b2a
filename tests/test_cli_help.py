"""``crm --help`` at every level: light (no database library loaded) and complete."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import crm
from crm.cli import build_parser, main
from crm.cli.lazy import COMMANDS

# Run the children from the checkout under test, so that its ``crm`` is the one imported.
ROOT = Path(crm.__file__).resolve().parents[1]

# Every subcommand of the contract (/work/shared/CLI.md) that the command has today.
SUBCOMMANDS = (
    "demo",
    "contacts",
    "refer",
    "referrals",
    "chain",
    "organizations",
    "events",
    "followups",
    "vouchers",
    "campaigns",
    "letter",
    "letters",
    "briefing",
    "labels",
    "envelopes",
    "mail",
    "birthdays",
    "quality",
    "stats",
    "rewards",
    "backup",
    "restore",
    "copy",
    "check",
    "import",
    "export",
    "duplicates",
    "merge",
    "privacy",
    "templates",
    "settings",
    "screenshot",
)


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_help_at_every_level_loads_neither_peewee_nor_qt():
    helps = [
        ["--help"],
        ["contacts", "add", "--help"],
        ["refer", "--help"],
        ["events", "attend", "--help"],
        ["rewards", "policy", "--help"],
    ]
    result = run_python(
        "-c",
        textwrap.dedent(
            f"""
            import contextlib, io, json, sys
            from crm.cli import main
            loaded = []
            for argv in {helps!r}:
                with contextlib.redirect_stdout(io.StringIO()):
                    try:
                        main(argv)
                    except SystemExit as exit_info:
                        assert exit_info.code == 0, (argv, exit_info.code)
                heavy = [m for m in sys.modules if m.split(".")[0] in ("peewee", "PySide6")]
                loaded.append([argv, heavy])
            print(json.dumps(loaded))
            """
        ),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[argv, []] for argv in helps]


def test_python_m_crm_help_does_not_import_peewee():
    result = run_python("-X", "importtime", "-m", "crm", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: crm" in result.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "crm.cli" in imported  # the timing really covers the command's imports
    assert not [m for m in imported if m.split(".")[0] == "peewee"]


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    # Each subcommand starts a line indented by four spaces, its help beside it.
    listed = re.findall(r"^ {4}(\S+)", capsys.readouterr().out, flags=re.MULTILINE)
    assert listed == list(SUBCOMMANDS)
    (subparsers,) = [a for a in build_parser()._actions if a.dest == "command"]
    assert list(subparsers.choices) == list(SUBCOMMANDS)


def _parsers(parser, path=("crm",)):
    """Every parser under ``parser``, with the words that reach it."""
    yield path, parser
    for action in parser._actions:
        if action.choices and hasattr(action, "_name_parser_map"):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_every_help_ends_with_an_example_of_its_own_command():
    found = list(_parsers(build_parser()))
    assert len(found) > 60
    for path, parser in found[1:]:
        text = parser.format_help()
        assert "\nexample:\n" in text, path
        example = text.split("\nexample:\n", 1)[1]
        # The example runs the command it documents (global options may come first).
        lines = example.strip().splitlines()
        assert all(" ".join(path[1:]) in line for line in lines), (path, example)


def test_every_command_takes_json():
    for path, parser in _parsers(build_parser()):
        if not any(a.dest.endswith("_command") or a.dest == "command" for a in parser._actions):
            assert "--json" in parser.format_help(), path


# Modules that only a command touching the database needs.
_DATABASE_MODULES = ("peewee", "PySide6", "crm.core.models", "crm.core.db", "babel", "phonenumbers")


_RUN_EACH = """
import contextlib, io, json, sys
from crm.cli import build_parser, main
argvs, walk, heavy = json.loads(sys.argv[1])


def paths(parser, path):
    yield path
    for action in parser._actions:
        if action.choices and hasattr(action, "_name_parser_map"):
            for name, child in action.choices.items():
                yield from paths(child, [*path, name])


if walk:
    argvs = [[*path, "--help"] for path in paths(build_parser(), [])] + argvs
out = []
for argv in argvs:
    code = None
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_info:
            code = exit_info.code
    loaded = [m for m in sys.modules if m.split(".")[0] in heavy or m in heavy]
    out.append([argv, code, loaded])
print(json.dumps(out))
"""


def _loaded_by_each(argvs: list[list[str]], walk: bool = False) -> list[list[object]]:
    """[argv, exit code, heavy modules loaded so far] for each argv run through ``main`` in
    one fresh process; with ``walk``, first every subcommand's argv (to each ``--help``)."""
    result = run_python("-c", _RUN_EACH, json.dumps([argvs, walk, _DATABASE_MODULES]))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_subcommands_help_and_the_version_load_no_database_module():
    found = _loaded_by_each([["--version"]], walk=True)
    assert len(found) > 60  # every level: crm, crm contacts, crm contacts add...
    assert [argv for argv, code, _loaded in found if code != 0] == []
    assert [[argv, loaded] for argv, _code, loaded in found if loaded] == []
    helps = {" ".join(argv) for argv, _code, _loaded in found}
    assert {"screenshot --help", "mail password --help", "contacts list --help"} <= helps


def test_commands_refused_before_the_database_load_no_database_module():
    # Refused by the command line itself: nothing needs the database, so nothing loads it.
    argvs = [
        ["nosuch"],
        ["contacts", "show", "not-an-id"],
        ["vouchers", "print", "--per-page", "3"],
        ["mail", "password", "--bogus"],
        ["screenshot"],
    ]
    found = _loaded_by_each(argvs)
    assert [[argv, code] for argv, code, _loaded in found] == [[argv, 2] for argv in argvs]
    assert [[argv, loaded] for argv, _code, loaded in found if loaded] == []


_MODULES_AFTER = """
import contextlib, io, json, sys
from crm.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(json.loads(sys.argv[1]))
print(json.dumps(sorted(sys.modules)))
"""


def test_help_builds_only_the_subcommands_it_shows():
    """``crm --help`` imports no subcommand's module; ``crm contacts list --help`` the
    contacts ones only (the others are made when used: crm.cli.lazy)."""
    subcommand_modules = {f"crm.cli.{module}" for _name, module, _help in COMMANDS}
    for argv, wanted in (
        (["--help"], set()),
        (["--version"], set()),
        (["contacts", "list", "--help"], {"crm.cli.contacts"}),
        (["letters", "--help"], {"crm.cli.documents"}),
    ):
        result = run_python("-c", _MODULES_AFTER, json.dumps(argv))
        assert result.returncode == 0, result.stderr
        imported = set(json.loads(result.stdout.splitlines()[-1]))
        assert "crm.cli.lazy" in imported
        assert imported & subcommand_modules == wanted, argv


def test_the_listed_help_of_each_subcommand_is_the_one_its_module_registers():
    (subparsers,) = [a for a in build_parser()._actions if a.dest == "command"]
    names = list(subparsers.choices.items())  # builds every subcommand
    assert [name for name, _parser in names] == [name for name, _m, _h in COMMANDS]
    assert all(parser is not None for _name, parser in names)
    assert subparsers.registered_help == {name: help for name, _m, help in COMMANDS}
    # Every module of crm.cli with a register(subparsers) of its own is in the table, but
    # contact_edits, which registers the actions of ``crm contacts`` for crm.cli.contacts.
    registering = set()
    for info in pkgutil.iter_modules([str(ROOT / "crm" / "cli")]):
        module = importlib.import_module(f"crm.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None and register.__module__ == module.__name__:
            registering.add(info.name)
    assert registering - {"contact_edits"} == {module for _name, module, _help in COMMANDS}


def test_an_unknown_subcommand_lists_the_choices_in_order(capsys):
    assert main(["nosuch"]) == 2
    err = capsys.readouterr().err
    listed = re.findall(r"'([a-z]+)'", err.split("choose from", 1)[1])
    assert listed == list(SUBCOMMANDS)


def test_help_wraps_as_argparse_would(monkeypatch):
    """The width is asked once per formatter without shutil, as shutil would answer it."""
    import argparse

    from crm.cli.common import Parser

    parser = dict(_parsers(build_parser()))[("crm", "contacts", "add")]
    texts = []
    for columns in ("60", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        ours = parser.format_help()
        with monkeypatch.context() as stock:
            stock.setattr(Parser, "_get_formatter", argparse.ArgumentParser._get_formatter)
            assert parser.format_help() == ours
        texts.append(ours)
    assert texts[0] != texts[1]
