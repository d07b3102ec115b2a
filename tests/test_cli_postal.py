"""``crm labels`` and ``crm envelopes``: sources, summary, and refusals that change nothing."""

from __future__ import annotations

import pypdf
import pytest
from clitools import Crm
from postal_people import event_with, greek_sender, layout_text, person

from crm.cli import main
from crm.core import events, models, referrals, vouchers


@pytest.fixture
def crm(store, db_path, capsys) -> Crm:
    greek_sender()
    return Crm(db_path, capsys)


def test_labels_for_an_events_attendees_with_a_summary(crm, tmp_path):
    event_id, _ids = event_with(["el", "bg", "it", "ar"])
    nowhere = person("el", street="", family_name="Χωρίς")
    events.attend(event_id, nowhere)
    out = tmp_path / "labels.pdf"
    before = crm.dump()
    summary = crm.json(
        "labels",
        "--event",
        str(event_id),
        "--sheet",
        "a4-3x7",
        "--start",
        "20",
        "-o",
        str(out),
        "--json",
    )
    assert summary["printed"] == 4 and summary["pages"] == 2
    assert summary["sheet"] == "a4-3x7" and summary["start"] == 20
    assert summary["skipped"] == [
        {
            "contact_id": nowhere,
            "name": "Γιώργος Χωρίς",
            "reason": "no_address",
            "why": "no postal address",
        }
    ]
    assert len(pypdf.PdfReader(out).pages) == 2
    assert crm.dump() == before  # printing labels records nothing


def test_envelopes_for_contacts_a_batch_and_the_pending_letters(crm, tmp_path):
    a, b = person("it"), person("bg")
    out = tmp_path / "env.pdf"
    text = crm.ok("envelopes", "--contact", str(a), str(b), "--size", "c6", "-o", str(out))
    assert text.startswith(f"Saved 2 envelopes on 2 pages to {out}")
    assert "50123 Firenze FI" in layout_text(out)
    vouchers.issue([b], value=10, expires="2027-03-31", batch="Q4")
    assert (
        crm.json("envelopes", "--batch", "Q4", "--size", "dl", "-o", str(out), "--json")["printed"]
        == 1
    )
    ref = referrals.record_referral(a, person("el"))
    models.Reward.create(contact=a, referral=ref.id, kind="thank_you_letter")
    summary = crm.json(
        "labels", "--pending-letters", "--sheet", "letter-3x10", "-o", str(out), "--json"
    )
    assert summary["printed"] == 1 and summary["path"] == str(out)


def test_people_without_consent_are_skipped_unless_overridden(crm, tmp_path):
    cid = person("it", consent=False)
    out = tmp_path / "x.pdf"
    code, _stdout, err = crm("labels", "--contact", str(cid), "--sheet", "a4-3x8", "-o", str(out))
    assert code == 0 and not out.exists()
    assert f"Skipped #{cid} Niccolò Ferrà: no marketing consent" in err
    args = (
        "labels",
        "--contact",
        str(cid),
        "--sheet",
        "a4-3x8",
        "-o",
        str(out),
        "--without-consent",
    )
    assert crm.ok(*args).startswith("Saved 1 label on 1 page")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("labels", "--event", "1", "--sheet", "a5-2x2"), "invalid choice: 'a5-2x2'"),
        (("labels", "--event", "1", "--sheet", "a4-3x7", "--start", "22"), "from 1 to 21"),
        (
            ("labels", "--event", "1", "--sheet", "letter-3x10", "--start", "0"),
            "0 must be 1 or more",
        ),
        (("labels", "--event", "404", "--sheet", "a4-3x7"), "No event with id 404"),
        (("envelopes", "--batch", "nope", "--size", "dl"), "No batch named 'nope'"),
        (("envelopes", "--contact", "404", "--size", "dl"), "No contact with id 404"),
        (("envelopes", "--contact", "1", "--size", "b4"), "invalid choice: 'b4'"),
        (("envelopes", "--size", "dl"), "one of the arguments --pending-letters"),
        (("envelopes", "--event", "1", "--batch", "x", "--size", "dl"), "not allowed with"),
    ],
)
def test_refusals_exit_2_with_one_line_and_change_nothing(crm, tmp_path, args, match):
    event_with(["el"])
    out = tmp_path / "refused.pdf"
    crm.refused(*args, "-o", str(out), match=match)
    assert not out.exists()


def test_the_output_must_be_a_pdf_in_a_folder_that_exists(crm, tmp_path):
    person("it")
    crm.refused(
        "labels", "--contact", "1", "--sheet", "a4-3x7", "-o", str(tmp_path / "x.txt"), match=".pdf"
    )
    crm.refused(
        "envelopes",
        "--contact",
        "1",
        "--size",
        "dl",
        "-o",
        str(tmp_path / "no" / "x.pdf"),
        match="no",
    )


@pytest.mark.parametrize("name", ["labels", "envelopes"])
def test_help_shows_an_example(name, capsys):
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "example:" in text and f"crm {name} --event 7" in text


def test_the_command_offers_every_sheet_and_size_there_is():
    from crm.cli import post
    from crm.documents import postal_formats

    assert tuple(postal_formats.SHEETS) == post.SHEET_KEYS
    assert tuple(postal_formats.ENVELOPES) == post.SIZE_KEYS
