"""``crm contacts edit|consent|archive|unarchive|tag|untag|note|history``."""

from __future__ import annotations

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


@pytest.fixture
def anna(crm):
    return crm.add(
        "Anna", "Bianchi", "--email", "anna@bianchi.it", "--phone", "+39 333 123 4567",
        "--city", "Milano", "--org", "Bianchi Srl",
    )  # fmt: skip


def test_edit_changes_only_what_is_given(crm, anna):
    data = crm.json(
        "contacts", "edit", str(anna), "--city", "Roma", "--add-email", "a@home.it",
        "--remove-phone", "+393331234567", "--add-phone", "+30 691 234 5678",
        "--stage", "customer", "--stay-in-touch", "30", "--json",
    )  # fmt: skip
    assert data["id"] == anna
    assert (data["city"], data["stage"], data["stay_in_touch_days"]) == ("Roma", "customer", 30)
    assert data["emails"] == ["anna@bianchi.it", "a@home.it"]
    assert data["phones"] == ["+306912345678"]
    assert (data["given_name"], data["organization"]) == ("Anna", "Bianchi Srl")
    out = crm.ok("contacts", "edit", str(anna), "--remove-email", "ANNA@bianchi.it", "--org", "")
    assert out == f"Anna Bianchi (#{anna}): changed organization, emails\n"
    shown = crm.json("contacts", "show", str(anna), "--json")
    assert shown["emails"] == ["a@home.it"] and shown["organization"] is None


@pytest.mark.parametrize("birthday", [("--birthday", "--02-29"), ("--birthday=--02-29",)])
def test_a_birthday_without_its_year(crm, anna, birthday):
    assert crm.json("contacts", "edit", str(anna), *birthday, "--json")["birthday"] == "--02-29"
    added = crm.json("contacts", "add", "--given", "Leo", *birthday)
    assert added["birthday"] == "--02-29"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "error: Nothing to change: give at least one option"),
        (("--remove-email", "x@y.it"), "Anna Bianchi has no email 'x@y.it' (theirs: anna@"),
        (("--remove-phone", "+30 210 000 0000"), "Anna Bianchi has no phone '+30 210 000 0000'"),
        (("--add-email", "nope@"), "Email 'nope@' is not valid"),
        (("--birthday", "2030-01-01"), "Birthday 2030-01-01 is in the future"),
        (("--stay-in-touch", "5000"), "stay-in-touch cadence must be 1 to 3650 days"),
        (("--stage", "boss"), "argument --stage: invalid choice: 'boss'"),
        (("--given", "", "--family", ""), "A contact needs a given or a family name"),
    ],
)
def test_edit_refusals(crm, anna, args, message):
    crm.refused("contacts", "edit", str(anna), *args, match=message)


def test_edit_an_unknown_contact(crm):
    crm.refused("contacts", "edit", "404", "--city", "Roma", match="error: No contact with id 404")


def test_consent_yes_with_date_and_no(crm, anna):
    data = crm.json("contacts", "consent", str(anna), "--yes", "--date", "2026-03-01", "--json")
    assert (data["marketing_consent"], data["consent_date"]) == (True, "2026-03-01")
    out = crm.ok("contacts", "consent", str(anna), "--no")
    assert out == f"Anna Bianchi (#{anna}): no marketing consent\n"
    data = crm.json("contacts", "show", str(anna), "--json")
    assert data["marketing_consent"] is False
    out = crm.ok("contacts", "consent", str(anna), "--yes")
    assert out == f"Anna Bianchi (#{anna}): agreed to marketing on 2026-12-06\n"


def test_consent_refusals(crm, anna):
    crm.refused("contacts", "consent", str(anna), match="one of the arguments --yes --no")
    crm.refused("contacts", "consent", str(anna), "--yes", "--no", match="not allowed with")
    crm.refused(
        "contacts", "consent", str(anna), "--no", "--date", "2026-01-01", match="--date goes"
    )
    crm.refused(
        "contacts", "consent", str(anna), "--yes", "--date", "2027-01-01", match="in the future"
    )


def test_archive_hides_from_the_list_and_unarchive_brings_back(crm, anna):
    other = crm.add("Marco", "Rossi")
    assert crm.json("contacts", "archive", str(anna), "--json")["archived"] is True
    assert [c["id"] for c in crm.json("contacts", "list", "--json")] == [other]
    listed = crm.json("contacts", "list", "--archived", "--json")
    assert {c["id"]: c["archived"] for c in listed} == {anna: True, other: False}
    crm.refused("contacts", "archive", str(anna), match="Anna Bianchi is already archived")
    assert crm.ok("contacts", "unarchive", str(anna)) == (
        f"Anna Bianchi (#{anna}): no longer archived\n"
    )
    crm.refused("contacts", "unarchive", str(anna), match="is already not archived")


def test_tag_and_untag(crm, anna):
    assert crm.json("contacts", "tag", str(anna), "BNI", "Board", "--json")["tags"] == [
        "BNI",
        "Board",
    ]
    assert crm.ok("contacts", "untag", str(anna), "bni") == f"Anna Bianchi (#{anna}): tags Board\n"
    crm.refused("contacts", "untag", str(anna), "VIP", match="Anna Bianchi has no tag 'VIP'")
    crm.refused("contacts", "tag", str(anna), match="the following arguments are required: TAG")


def test_note_and_history(crm, anna):
    note = crm.json("contacts", "note", str(anna), "Called about the offer", "--kind", "call")
    assert (note["contact_id"], note["kind"], note["summary"]) == (
        anna,
        "call",
        "Called about the offer",
    )
    history = crm.json("contacts", "history", str(anna), "--json")
    assert history[0] == note
    assert [h["kind"] for h in history] == ["call", "created"]
    out = crm.ok("contacts", "history", str(anna))
    assert "Called about the offer" in out and out.startswith("Anna Bianchi")
    crm.refused("contacts", "note", str(anna), "   ", match="the note is empty")
    crm.refused("contacts", "note", str(anna), "x", "--kind", "fax", match="invalid choice")
    crm.refused("contacts", "history", "404", match="No contact with id 404")
