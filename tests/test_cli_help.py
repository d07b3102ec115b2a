"""``crm --help`` at every level: light (no database library loaded) and complete."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import crm
from crm.cli import build_parser, main

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
