"""``crm export vcard|csv|ics|referrals FILE``: what it prints, what it writes, what it refuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import vobject
from clitools import Crm, make_crm
from icalendar import Calendar


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


def add(crm: Crm, given: str, family: str, *extra: str) -> int:
    return json.loads(crm.ok("contacts", "add", "--given", given, "--family", family, *extra))["id"]


@pytest.fixture
def people(crm):
    """Two contacts, a referral between them (its rule adds a follow-up) and an event."""
    maria = add(
        crm, "Μαρία", "Παπαδοπούλου", "--email", "maria@akmi.gr", "--phone", "+30 210 1234567"
    )
    anna = add(crm, "Anna", "Rossi", "--notes", "=1+1")
    crm.ok("refer", str(anna), str(maria))
    crm.ok("events", "add", "--title", "Chamber evening", "--date", "2026-03-12")
    return maria, anna


def rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_export_csv_prints_what_it_wrote(crm, people, tmp_path):
    maria, anna = people
    out = tmp_path / "contacts.csv"
    assert crm.ok("export", "csv", str(out)) == f"Wrote 2 contacts to {out}\n"
    header, first, second = rows(out)
    cells = {r[1]: dict(zip(header, r, strict=True)) for r in (first, second)}
    # By name: Rossi, then Παπαδοπούλου.
    assert [first[0], second[0]] == [str(anna), str(maria)]
    assert cells["Μαρία"]["emails"] == "maria@akmi.gr"
    assert cells["Μαρία"]["phones"] == "'+302101234567"
    assert cells["Anna"]["notes"] == "'=1+1"


def test_export_json_names_the_count_and_the_file(crm, people, tmp_path):
    out = tmp_path / "referrals.csv"
    code, printed, err = crm("export", "referrals", str(out), "--json")
    assert code == 0, err
    assert json.loads(printed) == {"written": 1, "file": str(out), "kind": "referrals"}
    header, row = rows(out)
    assert (row[header.index("giver")], row[header.index("referred")]) == (
        "Anna Rossi",
        "Μαρία Παπαδοπούλου",
    )


def test_export_ics_writes_follow_ups_and_events(crm, people, tmp_path):
    out = tmp_path / "calendar.ics"
    assert crm.ok("export", "ics", str(out)) == f"Wrote 2 follow-ups and events to {out}\n"
    cal = Calendar.from_ical(out.read_bytes())
    assert [str(t["SUMMARY"]) for t in cal.walk("VTODO")] == [
        "Contact Μαρία Παπαδοπούλου, referred by Anna Rossi"
    ]
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Chamber evening"]


def test_one_is_singular(crm, tmp_path):
    add(crm, "Anna", "Rossi")
    out = tmp_path / "one.csv"
    assert crm.ok("export", "csv", str(out)) == f"Wrote 1 contact to {out}\n"


def test_export_into_a_missing_folder_is_refused(crm, people, tmp_path):
    target = tmp_path / "nowhere" / "contacts.csv"
    crm.refused("export", "csv", str(target), match=f"The folder '{target.parent}' does not exist")
    crm.refused("export", "ics", str(tmp_path), match="is a folder, not a file name")
    assert not target.parent.exists()


def test_export_keeps_a_previous_file_until_the_new_one_is_complete(crm, people, tmp_path):
    out = tmp_path / "contacts.csv"
    out.write_text("old")
    crm.ok("export", "csv", str(out))
    assert rows(out)[0][0] == "id"
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []


def test_export_vcard_in_both_versions(crm, people, tmp_path):
    for version in ("4.0", "3.0"):
        out = tmp_path / f"contacts-{version}.vcf"
        assert crm.ok("export", "vcard", str(out), "--vcard-version", version) == (
            f"Wrote 2 contacts to {out}\n"
        )
        cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
        assert [c.version.value for c in cards] == [version, version]
        assert sorted(c.fn.value for c in cards) == ["Anna Rossi", "Μαρία Παπαδοπούλου"]
