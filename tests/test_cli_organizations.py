"""``crm organizations list|show|merge`` and ``crm contacts add`` refusing a duplicate."""

from __future__ import annotations

import io
import sys

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


@pytest.fixture
def spellings(crm):
    """Acme written twice: Maria at one spelling, Luca and Nikos at the other."""
    maria = crm.add("Maria", "Rossi", "--org", "Acme S.p.A.")
    luca = crm.add("Luca", "Bianchi", "--org", "ACME SpA")
    nikos = crm.add("Nikos", "Alexiou", "--org", "ACME SpA")
    ref = crm.json("refer", str(luca), str(nikos))
    crm.ok("referrals", "status", str(ref["id"]), "won", "--value", "500")
    orgs = {o["name"]: o["id"] for o in crm.json("organizations", "list", "--json")}
    return orgs["Acme S.p.A."], orgs["ACME SpA"], maria, luca, nikos


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_list_and_show_count_referrals_and_won_value(crm, spellings):
    _keep, other, *_ = spellings
    [listed] = [o for o in crm.json("organizations", "list", "--json") if o["id"] == other]
    assert (listed["people"], listed["referrals"], listed["won_value"]) == (2, 1, {"EUR": 500.0})
    out = crm.ok("organizations", "show", str(other))
    assert "  won      500.00 EUR" in out
    assert "Luca Bianchi → Nikos Alexiou  won 500.00 EUR" in out


def test_merge_needs_yes_off_a_terminal(crm, spellings):
    keep, other, *_ = spellings
    crm.refused(
        "organizations",
        "merge",
        str(keep),
        str(other),
        match=f"add --yes (crm organizations merge {keep} {other} --yes)",
    )


def test_merge_asks_on_a_terminal(crm, spellings, monkeypatch):
    keep, other, *_ = spellings
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    before = crm.dump()
    code, out, err = crm("organizations", "merge", str(keep), str(other))
    assert (code, out) == (2, "")
    assert err.endswith("? [y/N] error: Not merged: you did not answer yes\n")
    assert crm.dump() == before
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = crm("organizations", "merge", str(keep), str(other))
    assert code == 0
    assert err == f"Merge ACME SpA (#{other}) into Acme S.p.A. (#{keep}), moving 2 people? [y/N] "
    assert out == f"Merged ACME SpA (#{other}) into Acme S.p.A. (#{keep}): moved 2 people\n"


def test_merge_as_json_moves_people_and_referrals(crm, spellings):
    keep, other, maria, luca, nikos = spellings
    data = crm.json("organizations", "merge", str(keep), str(other), "--yes", "--json")
    assert (data["kept_id"], data["removed_id"], data["moved"]) == (keep, other, [luca, nikos])
    assert [p["id"] for p in data["organization"]["people"]] == [nikos, luca, maria]
    assert data["organization"]["won_value"] == {"EUR": 500.0}
    assert [o["id"] for o in crm.json("organizations", "list", "--json")] == [keep]
    history = crm.json("contacts", "history", str(luca), "--json")
    assert history[0]["summary"] == "Organization ACME SpA merged into Acme S.p.A."


def test_merge_refusals_change_nothing(crm, spellings):
    keep, *_ = spellings
    crm.refused(
        "organizations", "merge", str(keep), str(keep), match="cannot be merged into itself"
    )
    crm.refused("organizations", "merge", str(keep), "999", "--yes", match="No organization")


def test_adding_an_existing_email_or_phone_is_refused(crm):
    maria = crm.add("Maria", "Rossi", "--email", "maria@acme.it", "--phone", "+39 340 967 6866")
    crm.refused(
        "contacts",
        "add",
        "--given",
        "M.",
        "--family",
        "Rossi",
        "--email",
        "MARIA@acme.it",
        match=f"contact #{maria} Maria Rossi (email maria@acme.it)",
    )
    line = crm.refused(
        "contacts",
        "add",
        "--given",
        "Mary",
        "--phone",
        "+393409676866",
        match=f"#{maria} Maria Rossi (phone +393409676866)",
    )
    assert "--allow-duplicate" in line
    added = crm.json(
        "contacts", "add", "--given", "Mary", "--phone", "+393409676866", "--allow-duplicate"
    )
    assert added["phones"] == ["+393409676866"]
    # Someone else's email and phone are not a duplicate.
    crm.add("Luca", "Bianchi", "--email", "luca@acme.it", "--phone", "+39 340 000 0000")
