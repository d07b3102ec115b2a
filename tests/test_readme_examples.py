"""The README's `crm` examples run as written, one after the other, on the demo database.

The ```sh blocks from "A demo database" to the end of "The `crm` command" are run in
order in a temp folder, through ``crm.cli.main`` in this process (as ``crm`` would, without
a process start per line): the demo command builds ``demo.sqlite3`` there, and every
example after it must exit 0. The line that opens the app is skipped.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from contextlib import closing
from pathlib import Path

from crm.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def examples() -> list[str]:
    """Every command line of the README's sh blocks in the `crm` sections, in order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A demo database") : text.index("## Your data")]
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        lines += [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    return lines


def opens_the_app(argv: list[str]) -> bool:
    """`crm` or `crm --db X` with no subcommand: the desktop app, not run here."""
    return argv in (["crm"], ["crm", "--db", argv[-1]])


def run_line(line: str, capsys) -> tuple[int, str]:
    """Run one README line as the shell would: words, comments, and a `> FILE` redirect."""
    words = shlex.split(line, comments=True)
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    capsys.readouterr()
    code = main(words[1:])
    out, err = capsys.readouterr()
    if target is not None:
        Path(target).write_text(out, encoding="utf-8")
    return code, err


def test_the_readme_examples_run_in_order_on_the_demo_database(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    lines = examples()
    assert len(lines) > 50 and "demo --contacts" in lines[1]
    ran = 0
    for line in lines:
        words = shlex.split(line, comments=True)
        if words[0] == "export":
            # The README pins the app's clock to the day the suite runs on (conftest).
            name, value = words[1].split("=", 1)
            assert name == "CRM_NOW" and os.environ["CRM_NOW"].startswith(value), line
            continue
        assert words[0] == "crm", f"not a crm command: {line}"
        if opens_the_app(words):
            continue
        code, err = run_line(line, capsys)
        assert code == 0, f"{line}\n{err}"
        ran += 1
    assert ran == len(lines) - 2
    # The ids the README names for what the examples add are the ones they got.
    with closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as db:

        def one(sql: str) -> tuple:
            return db.execute(sql).fetchone()

        assert one("SELECT given_name, archived FROM contact WHERE id = 2001") == ("Γιώργος", 1)
        assert one("SELECT name FROM organization WHERE id = 251") == ("Ακμή Α.Ε.",)
        assert one("SELECT title FROM event WHERE id = 41") == ("Chamber evening",)
        referral = "SELECT giver_id, referred_id, status, value FROM referral WHERE id = 1835"
        assert one(referral) == (5, 2001, "won", 1200)
    # The template the example edits is the file the example before it wrote.
    assert (tmp_path / "thanks.el.txt").read_text(encoding="utf-8").startswith("Ένα μεγάλο")
    for pdf in ("thanks.pdf", "letters.pdf", "vouchers.pdf", "briefing.pdf"):
        assert (tmp_path / pdf).read_bytes().startswith(b"%PDF")
