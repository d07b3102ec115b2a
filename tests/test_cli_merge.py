"""``crm merge`` asks first, or needs --yes; ``merge --undo``; ``duplicates dismiss``."""

from __future__ import annotations

import io
import sys

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


@pytest.fixture
def twins(crm):
    a = crm.add("Maria", "Papadopoulou", "--email", "maria@akmi.gr")
    b = crm.add("Μαρία", "Παπαδοπούλου", "--email", "MARIA@akmi.gr", "--allow-duplicate")
    return a, b


class Terminal(io.StringIO):
    """Typed answers on a terminal."""

    def isatty(self) -> bool:
        return True


def test_merge_needs_yes_off_a_terminal(crm, twins):
    a, b = twins
    crm.refused("merge", str(a), str(b), match=f"add --yes (crm merge {a} {b} --yes)")


def test_merge_asks_on_a_terminal(crm, twins, monkeypatch):
    a, b = twins
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    before = crm.dump()
    code, out, err = crm("merge", str(a), str(b))
    # On a terminal the answer typed ends the question's line.
    assert (code, out) == (2, "")
    assert err.endswith("? [y/N] error: Not merged: you did not answer yes\n")
    assert crm.dump() == before
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = crm("merge", str(a), str(b))
    assert code == 0
    assert err == (
        f"Merge Μαρία Παπαδοπούλου (#{b}) into Maria Papadopoulou (#{a}), "
        "moving 1 history line? [y/N] "
    )
    assert out.startswith(f"Merged Μαρία Παπαδοπούλου (#{b}) into Maria Papadopoulou (#{a})")


def test_merge_undo_the_latest_or_a_given_one(crm, twins):
    a, b = twins
    c = crm.add("Nikos", "Alexiou")
    crm.ok("merge", str(a), str(b), "--yes")
    second = crm.json("merge", str(a), str(c), "--yes", "--json")
    assert (second["id"], second["moved"]["history"]) == (2, 1)
    undone = crm.json("merge", "--undo", "--json")
    assert undone == {
        "id": 2,
        "merge_id": 2,
        "kept_id": a,
        "restored_id": c,
        "restored_name": "Nikos Alexiou",
    }
    assert crm.ok("merge", "--undo", "1") == (
        f"Undid merge 1: Μαρία Παπαδοπούλου (#{b}) is back beside Maria Papadopoulou (#{a})\n"
    )
    assert crm.json("contacts", "show", str(b), "--json")["emails"] == ["MARIA@akmi.gr"]
    crm.refused("merge", "--undo", match="There is no merge to undo")
    crm.refused("merge", "--undo", "1", match="Merge 1 was already undone on 2026-12-06")
    crm.refused("merge", "--undo", "9", match="No merge with id 9")
    crm.refused("merge", str(a), match="Give KEEP_ID and OTHER_ID")
    crm.refused("merge", str(a), str(b), "--undo", match="not both")


def test_duplicates_dismiss_and_undismiss(crm, twins):
    a, b = twins
    assert len(crm.json("duplicates", "--json")) == 1
    assert crm.json("duplicates", "dismiss", str(b), str(a), "--json") == {
        "id": [a, b],
        "a_id": a,
        "b_id": b,
        "dismissed": True,
    }
    assert crm.json("duplicates", "--json") == []
    assert crm.ok("duplicates", "undismiss", str(a), str(b)) == (
        f"Contacts {a} and {b} may be shown as duplicates again\n"
    )
    assert len(crm.json("duplicates", "--json")) == 1
    crm.refused("duplicates", "undismiss", str(a), str(b), match="are not a dismissed pair")
    crm.refused("duplicates", "dismiss", str(a), str(a), match="cannot be a duplicate of itself")
    crm.refused("duplicates", "dismiss", str(a), "404", match="No contact with id 404")
