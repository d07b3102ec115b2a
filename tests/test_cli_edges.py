"""The contract at its edges: odd bytes, huge ids, the last date, closed pipes, echoed input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import make_crm

import crm as crm_package

ROOT = Path(crm_package.__file__).resolve().parents[1]


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def test_invalid_utf8_in_an_argument_is_refused(crm):
    # What Python makes of the bytes b"\xff" on a UTF-8 command line.
    given = os.fsdecode(b"Ann\xff")
    line = crm.refused("contacts", "add", "--given", given, match="is not valid UTF-8 text")
    assert line == "error: argument 'Ann\\udcff' is not valid UTF-8 text"


def test_invalid_utf8_through_a_real_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crm", "--db", str(tmp_path / "x.sqlite3"), "contacts", "add",
         "--given", b"\xff\xfe"],
        capture_output=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "error: argument '\\udcff\\udcfe' is not valid UTF-8 text"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("contacts", "show", str(2**63)),
        ("contacts", "edit", str(2**64), "--city", "Roma"),
        ("refer", "1", str(2**63)),
        ("events", "attend", str(2**63), "1"),
        ("followups", "done", str(2**70)),
        ("privacy", "erase", str(2**63), "--yes"),
        ("merge", "1", str(2**63), "--yes"),
    ],
)
def test_an_id_too_large_for_64_bits_is_refused(crm, args):
    crm.refused(*args, match="is not an id (1 to 9223372036854775807)")


def test_a_count_too_large_is_refused(crm):
    crm.refused("contacts", "list", "--limit", str(2**63), match="is too large")


@pytest.mark.parametrize("command", ["stats", "quality"])
def test_the_last_date_there_is_is_refused_not_a_crash(crm, command):
    crm.refused(command, "--to", "9999-12-31", match="'9999-12-31' is the last day a date can have")
    assert crm(command, "--to", "9999-12-30", "--json")[0] == 0


def test_an_encoding_that_is_not_a_text_encoding(crm, tmp_path):
    card = tmp_path / "a.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:A B\nN:B;A;;;\nEND:VCARD\n", "utf-8")
    for name in ("rot13", "base64", "klingon"):
        crm.refused(
            "import", str(card), "--encoding", name, match=f"'{name}' is not a text encoding"
        )


def test_a_closed_pipe_is_quiet(tmp_path):
    db = str(tmp_path / "x.sqlite3")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "crm", "--db", db]
    subprocess.run([*run, "demo", "--contacts", "300"], env=env, check=True, capture_output=True)
    # A reader that takes one line and goes away, as ``| head -1`` does.
    with subprocess.Popen(
        [*run, "contacts", "list", "--json", "--limit", "300"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == b"[\n"
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait()
    assert err == b""
    assert proc.returncode == 1


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("x@\nerror: fake", "x@\\nerror: fake"),
        ("x@\r\x1b[31mred", "x@\\r\\x1b[31mred"),
        ("x@\u2028y", "x@\\u2028y"),
    ],
)
def test_echoed_input_is_escaped_to_one_line(crm, given, shown):
    line = crm.refused("contacts", "add", "--given", "A", "--email", given, match="is not valid")
    assert line.startswith(f"error: Email '{shown}' is not valid")


def test_events_add_and_refer_accept_json(crm):
    event = crm.json("events", "add", "--title", "Mixer", "--date", "2027-01-14", "--json")
    assert event["title"] == "Mixer"
    a, b = crm.add("Anna", "Bianchi"), crm.add("Marco", "Rossi")
    assert crm.json("refer", str(a), str(b), "--json")["giver_id"] == a
    assert crm.json("events", "attend", str(event["id"]), str(a), "--json")["contact_id"] == a
