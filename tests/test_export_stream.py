"""Streamed exports write what the services say, byte for byte, on SQLite and PostgreSQL.

The CSV, vCard and person exports read one ordered cursor per table and merge
them in one pass (crm.interchange.export_rows, crm.core.streams). Each file is
compared here with a reference built the simple way from the services: every
contact fetched on its own, its emails, phones and tags through the models.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from crm import demo
from crm.core import contacts, erasure, models, privacy
from crm.core.contacts import ContactData
from crm.core.db import read_snapshot
from crm.core.errors import CancelledError
from crm.interchange import csv_output, exports, vcard, vcard_out
from crm.interchange.person_export import export_person


@pytest.fixture
def filled(store):
    """A small demo, plus people with labels, another program's UID and formula-like text."""
    demo.generate(store, 60, seed=5)
    odd = contacts.create_contact(
        ContactData(
            given_name="=HYPERLINK(1)",
            family_name="Ābele",
            emails=["a@x.example", "b@y.example"],
            phones=["+302101234567", "+390612345678"],
            tags=["-minus", "Ζήτα", "alpha"],
            notes="line one\nline two; with, commas",
            birthday="--02-29",
            country="GR",
        )
    ).id
    e, p = models.ContactEmail, models.ContactPhone
    e.update(label="Λοιπά").where(e.address == "b@y.example").execute()
    p.update(label="work fax").where(p.number == "+302101234567").execute()
    models.ContactUid.create(contact=odd, uid="urn:uuid:from-another-program")
    twin = contacts.create_contact(ContactData(given_name="Same", family_name="Name")).id
    contacts.create_contact(ContactData(given_name="Same", family_name="Name", emails=["s@n.x"]))
    gone = contacts.create_contact(ContactData(given_name="Gone", family_name="Away")).id
    erasure.erase(gone)
    old = contacts.create_contact(ContactData(given_name="Old", family_name="Archived")).id
    models.Contact.update(archived=True).where(models.Contact.id == old).execute()
    return {"odd": odd, "twin": twin, "old": old, "gone": gone}


def in_use() -> list[int]:
    c = models.Contact
    query = c.select(c.id).where((c.archived == False) & c.erased_at.is_null())  # noqa: E712
    return [r[0] for r in models.rows(query.order_by(c.family_name, c.given_name, c.id))]


def labelled(rows) -> list[tuple[str, str]]:
    return [(r.address if hasattr(r, "address") else r.number, r.label) for r in rows]


def reference_csv(ids: list[int]) -> bytes:
    """Our CSV built contact by contact from the models."""
    handle = io.StringIO(newline="")
    writer = csv_output.writer(handle)
    writer.writerow(exports.CSV_COLUMNS)
    e, p, ct, t = models.ContactEmail, models.ContactPhone, models.ContactTag, models.Tag
    for cid in ids:
        c = models.Contact.get_by_id(cid)
        emails = e.select().where(e.contact == cid).order_by(e.position, e.id)
        phones = p.select().where(p.contact == cid).order_by(p.position, p.id)
        tags = t.select(t.name).join(ct).where(ct.contact == cid).order_by(t.folded, t.name)
        join = exports.SEPARATOR.join
        created = c.created_at
        stamp = created if isinstance(created, str) else created.isoformat(sep=" ")
        row = [
            *(c.id, c.given_name, c.family_name, c.organization.name if c.organization else None),
            c.title,
            join(f"{lab}: {v}" if lab else v for v, lab in labelled(emails)),
            join(f"{lab}: {v}" if lab else v for v, lab in labelled(phones)),
            *(c.street, c.city, c.postcode, c.region, c.country, c.language, c.birthday),
            *(c.channel, c.stage, bool(c.marketing_consent), c.consent_date),
            join(x.name for x in tags),
            *(c.url, c.notes, c.stay_in_touch_days, c.last_asked_for_referral),
            stamp[:19],
        ]
        csv_output.write_row(writer, row)
    return b"\xef\xbb\xbf" + handle.getvalue().encode("utf-8")


def reference_cards(ids: list[int], version: str = "4.0") -> bytes:
    """Cards from contacts.to_dicts plus labels, region, url, notes and UID (as before)."""
    e, p, u = models.ContactEmail, models.ContactPhone, models.ContactUid
    out = []
    for d in contacts.to_dicts(ids):
        c = models.Contact.get_by_id(d["id"])
        d.update(region=c.region, url=c.url, notes=c.notes)
        d["emails"] = labelled(e.select().where(e.contact == c.id).order_by(e.position, e.id))
        d["phones"] = labelled(p.select().where(p.contact == c.id).order_by(p.position, p.id))
        uids = u.select().where(u.contact == c.id).order_by(u.id)
        if uids.exists():
            d["uid"] = uids.first().uid
        out.append(vcard.card(d, version))
    return "".join(out).encode("utf-8")


def test_csv_export_is_the_reference_byte_for_byte(filled, tmp_path):
    out = tmp_path / "all.csv"
    assert exports.export_csv(out) == len(in_use())
    assert out.read_bytes() == reference_csv(in_use())
    chosen = [filled["old"], filled["odd"], *in_use()[:7], filled["gone"]]
    exports.export_csv(out, ids=chosen)  # in that order, archived kept, erased left out
    assert out.read_bytes() == reference_csv(chosen[:-1])


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_is_the_reference_byte_for_byte(filled, tmp_path, version):
    out = tmp_path / "all.vcf"
    assert vcard.export(out, version=version) == len(in_use())
    assert out.read_bytes() == reference_cards(in_use(), version)
    assert b"UID:urn:uuid:from-another-program\r\n" in out.read_bytes()
    chosen = [filled["old"], filled["odd"], *in_use()[-5:]]
    vcard.export(out, ids=chosen, version=version)
    assert out.read_bytes() == reference_cards(chosen, version)


def test_person_export_is_person_data_as_json_and_the_reference_card(filled, tmp_path):
    busiest = models.database_proxy.execute_sql(
        "SELECT giver_id FROM referral GROUP BY giver_id ORDER BY count(*) DESC, giver_id LIMIT 1"
    ).fetchone()[0]
    for cid in (busiest, filled["odd"], filled["gone"]):
        json_path, vcf_path = export_person(cid, tmp_path / f"p{cid}")
        expected = privacy.person_data(cid)
        written = json.loads(json_path.read_text(encoding="utf-8"))
        expected["exported_at"] = written["exported_at"]  # the clock ticks between the two
        text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
        assert json_path.read_text(encoding="utf-8") == text
        assert vcf_path.read_bytes() == reference_cards([cid])
    assert len(privacy.person_data(busiest)["referrals_given"]) > 1


def test_a_cancelled_vcard_export_keeps_the_old_file_and_the_database_usable(filled, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "c.vcf"
    out.write_text("the previous export")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done > 0  # cancel at the first report after the start

    with pytest.raises(CancelledError, match="Export cancelled"):
        vcard.export(out, progress=progress)
    total = len(in_use())
    assert calls == [(0, total), (total, total)]
    assert out.read_text() == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["c.vcf"]
    # The cursors were closed: the next export and a write work.
    with pytest.raises(CancelledError):
        exports.export_csv(folder / "c.csv", progress=lambda d, t: d == t)
    contacts.create_contact(ContactData(given_name="After", family_name="Cancel"))
    assert vcard.export(out) == total + 1


def test_cards_of_stored_contacts_inside_and_outside_a_transaction(filled):
    expected = reference_cards([filled["odd"]]).decode("utf-8")
    assert vcard_out.card_of(filled["odd"]) == expected
    with read_snapshot():
        assert vcard_out.card_of(filled["odd"]) == expected


def test_a_big_history_streams_through_the_person_export(store, tmp_path):
    cid = contacts.create_contact(ContactData(given_name="Long", family_name="History")).id
    stamp = dt.datetime(2026, 1, 1, 9, 0)
    models.Interaction.insert_many(
        [
            {"contact": cid, "kind": "note", "happened_at": stamp + dt.timedelta(minutes=i)}
            | {"summary": f"note {i}"}
            for i in range(4500)
        ]
    ).execute()
    json_path, _vcf = export_person(cid, tmp_path / "long")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    notes = [h["summary"] for h in data["history"] if h["kind"] == "note"]
    assert notes == [f"note {i}" for i in range(4500)]
    assert data == {**privacy.person_data(cid), "exported_at": data["exported_at"]}


def test_large_reads_use_a_server_side_cursor_on_postgresql(store, backend):
    from crm.core import db as dbm
    from crm.core import streams

    with read_snapshot(), streams.cursor("SELECT id FROM contact WHERE id > ?", [0]) as found:
        named = getattr(found, "name", None)
        assert list(found) == []
    if dbm.is_postgres(models.database_proxy):
        assert named is not None and named.startswith("crm_stream_")
    else:
        assert named is None
    # Outside a transaction the rows come the plain way on either backend.
    assert list(streams.rows("SELECT count(*) FROM contact")) == [(0,)]
