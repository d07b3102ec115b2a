"""GDPR: consent, a person's data exported whole, and erasure that leaves no trace."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
import vobject
from dbtools import dump, refused

from crm.core import (
    clock,
    contacts,
    erasure,
    events,
    interactions,
    merging,
    models,
    privacy,
    redemption,
    referrals,
    rewards,
    search,
    stats,
    vouchers,
)
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError
from crm.core.text import fold
from crm.interchange.person_export import export_person

TODAY = clock.today()
NEXT_YEAR = TODAY + dt.timedelta(days=365)


def person(given: str, family: str = "", **fields) -> int:
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


# -- consent -----------------------------------------------------------------------


def test_consent_is_checked_and_the_refusal_names_the_people(store, unchanged):
    maria = person("Maria", "Papadopoulou", marketing_consent=True)
    nikos = person("Nikos", "Alexiou")
    anna = person("Anna", "Rossi")
    assert privacy.has_consent(maria) is True
    assert privacy.has_consent(nikos) is False
    assert privacy.has_consent(404) is False
    assert privacy.without_consent([anna, maria, nikos, anna]) == [
        (anna, "Anna Rossi"),
        (nikos, "Nikos Alexiou"),
    ]
    privacy.require_consent([maria])
    with refused(
        unchanged,
        f"No marketing consent from: Anna Rossi (#{anna}), Nikos Alexiou (#{nikos}). "
        "Record their consent or issue vouchers with --without-consent.",
        field="marketing_consent",
    ):
        privacy.require_consent([maria, anna, nikos], "issue vouchers")


def test_a_long_list_of_people_without_consent_is_cut_short(store):
    people = [(i, f"P{i}") for i in range(1, 14)]
    message = privacy.consent_message(people)
    assert message.startswith("No marketing consent from: P1 (#1), P2 (#2),")
    assert "P10 (#10) and 3 more. Record their consent or print with --without-consent." in (
        message
    )
    assert "P11" not in message


def test_an_erased_person_has_no_consent(store):
    maria = person("Maria", "Papadopoulou", marketing_consent=True)
    erasure.erase(maria)
    assert privacy.has_consent(maria) is False
    assert privacy.without_consent([maria]) == [(maria, "Erased person")]


# -- a person's data -------------------------------------------------------------------


@pytest.fixture
def xanthi(store):
    """Ξανθή Καρανικολάου, with a rich history, and the people around her."""
    me = person(
        "Ξανθή",
        "Καρανικολάου",
        emails=["xanthi.k@example.gr", "xk@work.example"],
        phones=["+30 694 111 2233"],
        organization="Καρανικολάου Consulting",
        title="Architect",
        street="Ερμού 10",
        city="Αθήνα",
        postcode="105 57",
        country="GR",
        birthday="1981-06-02",
        notes="Prefers calls after 5",
        tags=["VIP", "Καρανικολάου family"],
        marketing_consent=True,
        consent_date=TODAY - dt.timedelta(days=100),
    )
    models.Contact.update(url="https://example.gr/xanthi").where(models.Contact.id == me).execute()
    nikos = person("Nikos", "Alexiou", tags=["VIP"], marketing_consent=True)
    friend = person("Petros", "Ioannou", notes="Colleague of ΞΑΝΘΗ ΚΑΡΑΝΙΚΟΛΑΟΥ at the studio")
    eleni = person("Eleni", "Dimou")
    received = referrals.record_referral(nikos, me, notes="Ξανθή needs a new office")
    referrals.change_status(received.id, "won", value="1500")
    given = referrals.record_referral(me, friend)
    referrals.change_status(given.id, "won", value="800")
    other = referrals.record_referral(me, eleni, notes="Met through Ξανθη Καρανικολαου")
    event = events.create_event(
        "Chamber evening",
        TODAY - dt.timedelta(days=5),
        organizer="Ξανθή Καρανικολάου",
        notes="Ask xanthi.k@example.gr about the venue",
    )
    events.attend(event.id, me, met_in_person=True)
    events.attend(event.id, nikos)
    reward = rewards.add_reward(
        me, "gift", "40", referral_id=given.id, notes="Flowers for Ξανθή Καρανικολάου"
    )
    [held] = vouchers.issue([me], value="50", expires=NEXT_YEAR, batch="Q4")
    redeemed = redemption.redeem(held["code"], new_friend="Sofia Lamprou")
    interactions.add_note(me, "call", "Ξανθή asked about the offer")
    interactions.add_note(nikos, "note", "Lunch with Ξανθή Καρανικολάου and Petros")
    return {
        "me": me,
        "nikos": nikos,
        "friend": friend,
        "eleni": eleni,
        "sofia": redeemed["friend_id"],
        "received": received.id,
        "given": given.id,
        "other": other.id,
        "event": event.id,
        "reward": reward,
        "voucher": held["id"],
        "code": held["code"],
    }


def test_person_data_holds_everything(xanthi):
    data = privacy.person_data(xanthi["me"])
    c = data["contact"]
    assert (c["id"], c["given_name"], c["family_name"]) == (xanthi["me"], "Ξανθή", "Καρανικολάου")
    assert c["organization"] == "Καρανικολάου Consulting"
    assert (c["birthday"], c["url"], c["marketing_consent"]) == (
        "1981-06-02",
        "https://example.gr/xanthi",
        True,
    )
    assert c["consent_date"] == (TODAY - dt.timedelta(days=100)).isoformat()
    assert data["emails"] == [
        {"address": "xanthi.k@example.gr", "label": ""},
        {"address": "xk@work.example", "label": ""},
    ]
    assert data["phones"] == [{"number": "+306941112233", "as_written": "+30 694 111 2233",
                               "label": ""}]  # fmt: skip
    assert data["tags"] == ["VIP", "Καρανικολάου family"]
    [received] = data["referrals_received"]
    assert (received["giver"], received["status"], received["value"]) == (
        "Nikos Alexiou",
        "won",
        1500,
    )
    assert received["notes"] == "Ξανθή needs a new office" and received["is_primary"] is True
    assert [(r["referred"], r["status"]) for r in data["referrals_given"]] == [
        ("Petros Ioannou", "won"),
        ("Eleni Dimou", "new"),
        ("Sofia Lamprou", "new"),
    ]
    assert [(a["event"], a["met_in_person"]) for a in data["attendance"]] == [
        ("Chamber evening", True)
    ]
    summaries = [h["summary"] for h in data["history"]]
    assert "Ξανθή asked about the offer" in summaries
    assert "Referred by Nikos Alexiou" in summaries
    assert [f["title"] for f in data["followups"]] == [
        "Follow up with Ξανθή Καρανικολάου after Chamber evening",  # met there, 3 days later
        "Contact Ξανθή Καρανικολάου, referred by Nikos Alexiou",
    ]
    policy = "[policy:won] Referral won, reward for the giver: fixed 25.00 EUR"
    assert [(r["kind"], r["amount"], r["notes"]) for r in data["rewards"]] == [
        ("thank_you_letter", 25, policy),  # Petros's referral won
        ("gift", 40, "Flowers for Ξανθή Καρανικολάου"),
    ]  # the voucher Sofia brought rewards her when Sofia's referral is won
    [voucher] = data["vouchers_held"]
    assert (voucher["code"], voucher["status"], voucher["redeemed_by"]) == (
        xanthi["code"],
        "redeemed",
        "Sofia Lamprou",
    )
    assert data["vouchers_redeemed"] == [] and data["merges"] == []
    assert data["referrals_passed_to_them"] == []
    json.dumps(data)  # plain values only


def test_export_person_writes_json_and_a_vcard(xanthi, tmp_path):
    folder = tmp_path / "export"
    paths = export_person(xanthi["me"], folder)
    me = xanthi["me"]
    assert paths == [folder / f"person-{me}.json", folder / f"person-{me}.vcf"]
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    expected = privacy.person_data(me)
    data.pop("exported_at")
    expected.pop("exported_at")
    assert data == expected
    card = vobject.readOne(paths[1].read_text(encoding="utf-8"))
    assert card.fn.value == "Ξανθή Καρανικολάου"
    assert sorted(e.value for e in card.contents["email"]) == ["xanthi.k@example.gr",
                                                              "xk@work.example"]  # fmt: skip
    assert card.bday.value == "19810602"
    assert oct(paths[0].stat().st_mode & 0o777) == "0o600"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp files left


def test_export_person_refusals(xanthi, tmp_path, unchanged):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with refused(unchanged, f"'{a_file}' is a file; give a folder for the export"):
        export_person(xanthi["me"], a_file)
    missing = tmp_path / "no" / "such"
    with refused(unchanged, f"The folder '{missing.parent}' does not exist"):
        export_person(xanthi["me"], missing)
    with refused(unchanged, "No contact with id 404", error=NotFoundError):
        export_person(404, tmp_path)


# -- erasure -----------------------------------------------------------------------


def _figures() -> dict:
    """The dashboard's figures without the names of the top referrers."""
    out = stats.summary()
    for ranking in out["top_referrers"].values():
        for entry in ranking:
            entry.pop("name")
    return out


def _traces(me_emails: list[str]) -> list[str]:
    return [
        "Ξανθή",
        "Καρανικολάου",
        "ΚΑΡΑΝΙΚΟΛΑΟΥ",
        fold("Ξανθή"),  # as the search index and folded columns hold text
        fold("Καρανικολάου"),
        *me_emails,
        "+30 694 111 2233",
        "+306941112233",
        "306941112233",
        "6941112233",
        "Ερμού",
        "1981-06-02",
        "example.gr/xanthi",
        "Prefers calls",
    ]


def test_erase_leaves_no_trace_in_any_table_and_the_statistics_unchanged(xanthi, store):
    me = xanthi["me"]
    emails = ["xanthi.k@example.gr", "xk@work.example"]
    figures = _figures()
    referral_rows = [
        (r.id, r.giver_id, r.referred_id, r.status, r.value, r.referred_on, r.is_primary)
        for r in models.Referral.select().order_by(models.Referral.id)
    ]
    voucher_rows = [(v.id, v.holder_id, v.value, v.status) for v in models.Voucher.select()]
    history_count = models.Interaction.select().where(models.Interaction.contact == me).count()

    result = erasure.erase(me)

    text = dump(store)
    for trace in _traces(emails):
        assert trace not in text, trace
    assert _figures() == figures
    assert [
        (r.id, r.giver_id, r.referred_id, r.status, r.value, r.referred_on, r.is_primary)
        for r in models.Referral.select().order_by(models.Referral.id)
    ] == referral_rows
    assert [(v.id, v.holder_id, v.value, v.status) for v in models.Voucher.select()] == (
        voucher_rows
    )
    row = models.Contact.get_by_id(me)
    assert (row.given_name, row.family_name, row.email, row.phone, row.title) == (
        "Erased person", "", "", "", ""
    )  # fmt: skip
    assert (row.street, row.city, row.postcode, row.country, row.birthday, row.notes) == (
        "", "", "", "", None, ""
    )  # fmt: skip
    assert (row.url, row.marketing_consent, row.consent_date, row.organization_id) == (
        "", False, None, None
    )  # fmt: skip
    assert row.archived is True and row.erased_at is not None
    assert row.channel == "referral"  # counted by the dashboard's channels
    # Her history keeps its lines (kinds and dates count) but not their words.
    lines = list(models.Interaction.select().where(models.Interaction.contact == me))
    assert len(lines) == history_count + 1
    assert {i.summary for i in lines} == {"", "Erased on request"}
    assert result["erased"] == {
        "emails": 2,
        "phones": 1,
        "uids": 0,
        "tags": 2,
        "followups": 2,
        "history_texts": history_count,
        "referral_notes": 1,
        "merge_records": 0,
        "mentions_scrubbed": result["erased"]["mentions_scrubbed"],
        "unused_tags": 1,
        "organization": True,
    }
    assert result["kept"] == {
        "referrals": 4,
        "vouchers": 1,
        "rewards": 2,
        "attendance": 1,
        "history_lines": history_count + 1,
    }
    assert "Backups made before the erasure" in result["note"]
    assert models.Tag.select(models.Tag.name).tuples()[:] == [("VIP",)]
    assert contacts.tag_names(xanthi["nikos"]) == ["VIP"]


def test_erase_scrubs_what_other_records_say_about_her(xanthi, store):
    erasure.erase(xanthi["me"])
    assert contacts.details(xanthi["friend"])["notes"] == "Colleague of [erased] at the studio"
    nikos_lines = [i.summary for i in interactions.history(xanthi["nikos"])]
    assert "Lunch with [erased] and Petros" in nikos_lines
    assert "Referred [erased]" in nikos_lines
    assert "Referral of [erased]: new → won (1500.00 EUR)" in nikos_lines
    sofia_lines = [i.summary for i in interactions.history(xanthi["sofia"])]
    assert f"Brought voucher {xanthi['code']} from [erased]" in sofia_lines
    follow = models.FollowUp.get(models.FollowUp.contact == xanthi["friend"])
    assert follow.title == "Contact Petros Ioannou, referred by [erased]"
    assert models.Referral.get_by_id(xanthi["other"]).notes == "Met through [erased]"
    assert models.Referral.get_by_id(xanthi["received"]).notes == ""  # about her
    event = models.Event.get_by_id(xanthi["event"])
    assert (event.organizer, event.notes) == ("[erased]", "Ask [erased] about the venue")
    assert models.Reward.get_by_id(xanthi["reward"]).notes == "Flowers for [erased]"
    # Nobody else's data was touched: Petros and Nikos keep their own.
    assert contacts.details(xanthi["friend"])["given_name"] == "Petros"
    assert contacts.details(xanthi["nikos"])["tags"] == ["VIP"]


def test_erase_scrubs_a_self_referral_flag_but_not_the_other_persons_phone(store):
    me = person("Ξανθή", "Καρανικολάου", phones=["+30 694 111 2233"])
    twin = person("Eleni", "Dimou", phones=["+306941112233"])  # shares her phone
    flagged = referrals.record_referral(me, twin)
    assert flagged.suspicion == "giver and referred share the phone +306941112233"
    erasure.erase(me)
    assert models.Referral.get_by_id(flagged.id).suspicion == (
        "giver and referred share the phone [erased]"
    )
    assert contacts.details(twin)["phones"] == ["+306941112233"]
    assert contacts.query_ids("6941112233") == [twin]


@pytest.mark.sqlite_only  # the SQLite file's own pages
def test_erase_leaves_the_old_text_nowhere_in_the_file(xanthi, store, db_path):
    # Some SQLite builds overwrite deleted content by default, others do not.
    store.db.execute_sql("PRAGMA secure_delete = OFF")
    erasure.erase(xanthi["me"])
    assert store.db.execute_sql("PRAGMA secure_delete").fetchone() == (0,)  # as it was
    raw = db_path.read_bytes()
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        raw += wal.read_bytes()
    for trace in ("Καρανικολάου", fold("Καρανικολάου"), "xanthi.k@example.gr", "Ερμού"):
        assert trace.encode() not in raw, trace


def test_erase_keeps_a_namesakes_words(store):
    me = person("Ξανθή", "Καρανικολάου")
    namesake = person("Ξανθή", "Παππά", marketing_consent=True)
    nikos = person("Nikos", "Alexiou")
    referrals.record_referral(nikos, namesake)
    referrals.record_referral(nikos, me)
    interactions.add_note(nikos, "note", "Ξανθή Παππά called back")
    erasure.erase(me)
    lines = [i.summary for i in interactions.history(nikos)]
    assert "Referred Ξανθή Παππά" in lines
    assert "Ξανθή Παππά called back" in lines
    assert "Referred [erased]" in lines


def test_erase_finds_the_person_in_other_merges_and_forgets_her_own(store):
    me = person("Ξανθή", "Καρανικολάου", emails=["x@k.gr"])
    copy = person("Xanthi", "K.", emails=["x@k.gr"])
    nikos = person("Nikos", "Alexiou")
    nikos_copy = person("Nikos", "Alexiou", notes="Brother-in-law of Ξανθή Καρανικολάου")
    own = merging.merge(me, copy)
    other = merging.merge(nikos, nikos_copy)
    result = erasure.erase(me)
    assert result["erased"]["merge_records"] == 1
    assert models.MergeRecord.get_or_none(models.MergeRecord.id == own) is None
    snapshot = models.MergeRecord.get_by_id(other).snapshot
    assert "Brother-in-law of [erased]" in snapshot
    merging.undo(other)  # the scrubbed snapshot still undoes
    assert contacts.details(nikos_copy)["notes"] == "Brother-in-law of [erased]"
    assert contacts.details(nikos)["notes"] == ""


def test_erase_forgets_the_search_index_entry(xanthi, store):
    assert contacts.query_ids("Καρανικολάου") == [xanthi["me"]]
    erasure.erase(xanthi["me"])
    for query in ("Καρανικολάου", "xanthi", "6941112233"):
        assert contacts.query_ids(query, include_archived=True) == []
    (body,) = store.db.execute_sql(
        f"SELECT body FROM {search.FTS_TABLE} WHERE rowid = ?", (xanthi["me"],)
    ).fetchone()
    assert body == "erased person"


def test_erase_refusals_change_nothing(xanthi, unchanged):
    with refused(unchanged, "No contact with id 404", error=NotFoundError):
        erasure.erase(404)
    erasure.erase(xanthi["me"])
    with refused(unchanged, f"Contact #{xanthi['me']} was already erased on {TODAY.isoformat()}"):
        erasure.erase(xanthi["me"])


def test_an_organization_others_belong_to_stays(store):
    me = person("Ξανθή", "Καρανικολάου", organization="Καρανικολάου & Co")
    colleague = person("Nikos", "Alexiou", organization="Καρανικολάου & Co")
    result = erasure.erase(me)
    assert result["erased"]["organization"] is False
    assert contacts.details(colleague)["organization"] == "Καρανικολάου & Co"


@pytest.mark.sqlite_only  # the SQLite file's own pages
def test_a_file_written_by_sqlite3_alone_sees_the_erasure(xanthi, store, db_path):
    erasure.erase(xanthi["me"])
    conn = sqlite3.connect(db_path)
    try:
        names = conn.execute(
            "SELECT given_name, family_name FROM contact WHERE id = ?", (xanthi["me"],)
        ).fetchone()
    finally:
        conn.close()
    assert names == ("Erased person", "")
