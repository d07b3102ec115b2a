"""An import reads, matches and writes a file chunk by chunk, in one transaction (issue 16).

A chunk of 3 records on a 10-record file must give what one chunk gives: the
same outcomes (matches across chunks included: an email, a number several
records share, a name, a UID) and the same contacts; a cancel after the second
chunk was written leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.core import contacts, models
from crm.core.contacts import ContactData
from crm.core.errors import CancelledError
from crm.interchange import importer

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Notes,UID\r\n"
ROWS = [
    "Anna,Rossi,anna@x.it,+30 691 234 5601,,,",  # line 2: new
    "Switch,One,,+30 210 324 1234,Acme,,",  # 3: new; its number is row 9's too
    "Old,Friend,,,,,",  # 4: the stored contact's name, nothing new: skipped
    ",,,,,just a note,",  # 5: nothing to import by: rejected
    "Bruno,Verdi,bruno@x.it,,,,ext-7",  # 6: new
    "Carla,Neri,carla@x.it,,,first,ext-7",  # 7: new (a UID two records give is no one's)
    "Anna,Rossi,ANNA@X.IT,,,second visit,",  # 8: adds to line 2's contact (another chunk)
    "Bruno,Verdi,bruno@x.it,+30 691 234 5602,,,",  # 9: adds a phone to line 6's contact
    "Switch,Two,,+30 210 324 1234,Acme,,",  # 10: a shared number matches no one: new
    "Old,Friend,old@x.gr,+30 691 234 5603,,,",  # 11: the stored contact, by email: adds
]


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "".join(f"{row}\r\n" for row in ROWS)).encode())
    return path


@pytest.fixture
def stored(store):
    contacts.create_contact(
        ContactData(given_name="Old", family_name="Friend", emails=["old@x.gr"])
    )


def state() -> tuple[list[dict], list[tuple]]:
    ids = [c.id for c in models.Contact.select().order_by(models.Contact.id)]
    history = sorted(
        (i.contact_id, i.kind, i.summary)
        for i in models.Interaction.select().order_by(models.Interaction.id)
    )
    return contacts.to_dicts(ids), history


def outcomes(report) -> list[tuple]:
    return [(r.line, r.action, r.name, r.reason, r.changes, r.contact_id) for r in report.rows]


def imported(path: Path, chunk: int, dry_run: bool = False):
    """The import in a transaction rolled back afterwards: its report and what it wrote."""
    with models.database_proxy.atomic() as txn:
        source = importer.load(path)
        assert not isinstance(source.records, list)  # read from the file as it is used
        report = importer.run(source.records, source=path.name, chunk=chunk, dry_run=dry_run)
        after = state()
        txn.rollback()
    return report, after


def test_chunks_of_three_give_what_one_chunk_gives(stored, people):
    one, one_state = imported(people, chunk=1000)
    three, three_state = imported(people, chunk=3)
    assert (one.imported, one.updated, one.skipped, one.rejected_count) == (5, 3, 1, 1)
    assert outcomes(three) == outcomes(one)
    assert three_state == one_state
    assert three.new_ids == one.new_ids and three.updated_ids == one.updated_ids == [1]
    by_line = {r.line: r for r in three.rows}
    assert by_line[8].reason == "same email ANNA@x.it as line 2"
    assert by_line[8].changes == ["notes"]
    assert by_line[9].changes == ["phone +306912345602"]
    assert by_line[10].action == "new" and by_line[4].action == "skip"
    assert by_line[5].action == "reject"
    # A plan in chunks says the same, and names no contact it would make.
    plan = importer.plan(importer.load(people).records, chunk=3)
    assert [(r.line, r.action, r.reason, r.changes) for r in plan.rows] == [
        (r.line, r.action, r.reason, r.changes) for r in one.rows
    ]
    stored_ones = [r.line for r in plan.rows if r.contact_id is not None]
    assert stored_ones == [4, 11] and {r.contact_id for r in plan.rows} == {None, 1}


def test_a_cancel_after_the_second_chunk_leaves_the_database_unchanged(stored, people, unchanged):
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> bool:
        # What the transaction has written so far, as this connection sees it.
        seen.append((done, total, models.Contact.select().count()))
        return len(seen) == 3  # the start, after chunk 1, after chunk 2

    records = importer.load(people).records
    with unchanged(), pytest.raises(CancelledError, match="Import cancelled"):
        importer.run(records, progress=progress, chunk=3)
    # Chunks 1 and 2 were written (2 + 2 new contacts beside the stored one), then undone.
    assert [count for _d, _t, count in seen] == [1, 3, 5]
    assert seen[-1][1] == 2 * len(ROWS)
    assert models.Contact.select().count() == 1
