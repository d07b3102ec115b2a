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
    "events",
    "followups",
    "vouchers",
    "letter",
    "letters",
    "briefing",
    "quality",
    "stats",
    "rewards",
    "backup",
    "restore",
    "check",
    "import",
    "export",
    "duplicates",
    "merge",
    "privacy",
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
