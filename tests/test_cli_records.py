"""Follow-ups, events, referrals and organizations changed from the command line."""

from __future__ import annotations

import pytest
from clitools import make_crm


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


@pytest.fixture
def people(crm):
    anna = crm.add("Anna", "Bianchi", "--org", "Acme")
    marco = crm.add("Marco", "Rossi")
    return anna, marco


def test_followups_add_snooze_reschedule(crm, people):
    anna, _ = people
    item = crm.json(
        "followups", "add", str(anna), "--due", "2026-12-10", "--title", "Send the proposal",
        "--kind", "email",
    )  # fmt: skip
    assert (item["contact_id"], item["due"], item["kind"], item["title"]) == (
        anna,
        "2026-12-10",
        "email",
        "Send the proposal",
    )
    fid = str(item["id"])
    assert crm.json("followups", "snooze", fid, "--days", "3", "--json")["snoozed_until"] == (
        "2026-12-13"
    )
    assert crm.ok("followups", "snooze", fid, "--until", "2026-12-20") == (
        f"Follow-up {fid} (Send the proposal) now due 2026-12-20\n"
    )
    moved = crm.json("followups", "reschedule", fid, "2027-01-04", "--json")
    assert (moved["due"], moved["snoozed_until"]) == ("2027-01-04", None)
    assert [f["due"] for f in crm.json("followups", "--json")] == ["2027-01-04"]


def test_followup_refusals(crm, people):
    anna, _ = people
    add = ("followups", "add", str(anna), "--due", "2026-12-10")
    crm.refused(*add, match="the following arguments are required: --title")
    crm.refused(*add, "--title", "x", "--kind", "fax", match="argument --kind: invalid choice")
    crm.refused(
        "followups", "add", "404", "--due", "2026-12-10", "--title", "x", match="No contact"
    )
    fid = str(crm.json(*add, "--title", "Call")["id"])
    crm.refused("followups", "snooze", fid, match="one of the arguments --days --until")
    crm.refused("followups", "snooze", fid, "--until", "2026-12-01", match="a later day")
    crm.refused("followups", "snooze", fid, "--days", "99999", match="more than ten years")
    crm.refused("followups", "reschedule", fid, "2026-13-01", match="is not a date")
    crm.ok("followups", "done", fid)
    crm.refused("followups", "reschedule", fid, "2027-01-01", match=f"Follow-up {fid} is already")
    crm.refused("followups", "snooze", "404", "--days", "2", match="No follow-up with id 404")


def test_events_list_show_edit_unattend(crm, people):
    anna, _ = people
    later = crm.json(
        "events", "add", "--title", "Chamber evening", "--date", "2027-01-14", "--json"
    )
    past = crm.json("events", "add", "--title", "Breakfast", "--date", "2026-03-02")
    crm.ok("events", "attend", str(later["id"]), str(anna), "--met", "--json")
    assert [e["id"] for e in crm.json("events", "list", "--json")] == [later["id"], past["id"]]
    upcoming = crm.json("events", "list", "--upcoming", "--json")
    assert [(e["id"], e["attendees"]) for e in upcoming] == [(later["id"], 1)]
    assert [e["id"] for e in crm.json("events", "list", "--past", "--json")] == [past["id"]]
    shown = crm.json("events", "show", str(later["id"]), "--json")
    assert [(a["contact_id"], a["met_in_person"]) for a in shown["attendance"]] == [(anna, True)]
    edited = crm.json(
        "events", "edit", str(later["id"]), "--date", "2027-01-14 19:30", "--venue", "Grand Hotel",
        "--json",
    )  # fmt: skip
    assert (edited["starts_at"], edited["venue"], edited["title"]) == (
        "2027-01-14 19:30:00",
        "Grand Hotel",
        "Chamber evening",
    )
    out = crm.ok("events", "unattend", str(later["id"]), str(anna))
    assert out == f"Contact {anna} is off the list of event {later['id']}\n"
    assert crm.json("events", "show", str(later["id"]), "--json")["attendance"] == []


def test_event_refusals(crm, people):
    anna, _ = people
    eid = str(crm.json("events", "add", "--title", "Mixer", "--date", "2027-01-14")["id"])
    crm.refused("events", "list", "--upcoming", "--past", match="not allowed with")
    crm.refused("events", "show", "404", match="No event with id 404")
    crm.refused("events", "edit", eid, match="Nothing to change")
    crm.refused("events", "edit", eid, "--title", " ", match="An event needs a title")
    crm.refused("events", "edit", eid, "--date", "2027-02-30", match="is not a date")
    crm.refused("events", "unattend", eid, str(anna), match="Anna Bianchi is not on the list")


def test_referrals_list_show_edit(crm, people):
    anna, marco = people
    eva = crm.add("Eva", "Novak")
    eid = crm.json("events", "add", "--title", "Mixer", "--date", "2026-11-02")["id"]
    first = crm.json("refer", str(anna), str(marco), "--json")
    second = crm.json("refer", str(marco), str(eva), "--status", "won", "--value", "800")
    listed = crm.json("referrals", "list", "--json")
    assert {r["id"] for r in listed} == {first["id"], second["id"]}
    won = crm.json("referrals", "list", "--status", "won", "--json")
    assert [(r["id"], r["value"], r["giver_id"]) for r in won] == [(second["id"], 800.0, marco)]
    assert crm.json("referrals", "list", "--giver", str(anna), "--json")[0]["id"] == first["id"]
    assert crm.json("referrals", "list", "--to", "2026-01-01", "--json") == []
    edited = crm.json(
        "referrals", "edit", str(first["id"]), "--temperature", "5", "--event", str(eid),
        "--program", "community", "--notes", "warm introduction", "--json",
    )  # fmt: skip
    assert (edited["temperature"], edited["event_id"], edited["program"], edited["notes"]) == (
        5,
        eid,
        "community",
        "warm introduction",
    )
    shown = crm.json("referrals", "show", str(first["id"]), "--json")
    assert shown["event"] == "Mixer" and shown["history"][0]["to"] == "new"
    assert (
        crm.json("referrals", "edit", str(first["id"]), "--event", "none", "--json")["event_id"]
        is None
    )
    assert "referral_received" in [
        h["kind"] for h in crm.json("contacts", "history", str(marco), "--json")
    ]


def test_referral_refusals(crm, people):
    anna, marco = people
    rid = str(crm.json("refer", str(anna), str(marco))["id"])
    crm.refused("referrals", "edit", rid, match="Nothing to change")
    crm.refused("referrals", "edit", rid, "--temperature", "7", match="invalid choice")
    crm.refused("referrals", "edit", rid, "--event", "99", match="No event with id 99")
    crm.refused("referrals", "edit", "404", "--notes", "x", match="No referral with id 404")
    crm.refused("referrals", "show", "404", match="No referral with id 404")
    crm.refused("referrals", "list", "--status", "maybe", match="invalid choice")


def test_organizations_list_show_edit(crm, people):
    anna, marco = people
    crm.json("refer", str(anna), str(marco))
    (acme,) = crm.json("organizations", "list", "--json")
    assert (acme["name"], acme["people"]) == ("Acme", 1)
    assert crm.json("organizations", "list", "--search", "ACMÉ", "--json") == [acme]
    assert crm.json("organizations", "list", "--search", "zeta", "--json") == []
    shown = crm.json("organizations", "show", str(acme["id"]), "--json")
    assert [p["id"] for p in shown["people"]] == [anna]
    assert [(r["giver_id"], r["referred_id"]) for r in shown["referrals"]] == [(anna, marco)]
    edited = crm.json(
        "organizations", "edit", str(acme["id"]), "--name", "Acme S.A.", "--city", "Athens",
        "--kind", "community_partner", "--website", "https://acme.example", "--json",
    )  # fmt: skip
    assert (edited["name"], edited["city"], edited["kind"], edited["website"]) == (
        "Acme S.A.",
        "Athens",
        "community_partner",
        "https://acme.example",
    )
    assert crm.json("contacts", "show", str(anna), "--json")["organization"] == "Acme S.A."


def test_organization_refusals(crm, people):
    crm.add("Eva", "Novak", "--org", "Zeta")
    (acme, _zeta) = crm.json("organizations", "list", "--json")
    oid = str(acme["id"])
    crm.refused("organizations", "edit", oid, match="Nothing to change")
    crm.refused("organizations", "edit", oid, "--name", "zeta", match="called 'zeta' already")
    crm.refused("organizations", "edit", oid, "--name", "  ", match="needs a name")
    crm.refused("organizations", "edit", oid, "--kind", "club", match="invalid choice")
    crm.refused("organizations", "show", "404", match="No organization with id 404")
