"""``crm duplicates``, ``crm merge``, ``crm privacy export|erase`` and ``--without-consent``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from clitools import make_crm

from crm.core import clock

NEXT_YEAR = (clock.today() + dt.timedelta(days=365)).isoformat()


@pytest.fixture
def crm(tmp_path, capsys, backend):
    return make_crm(tmp_path, capsys, backend=backend)


@pytest.fixture
def twins(crm):
    a = crm.add("Maria", "Papadopoulou", "--email", "maria@akmi.gr")
    b = crm.add(
        "Μαρία",
        "Παπαδοπούλου",
        "--email",
        "MARIA@akmi.gr",
        "--phone",
        "+306912345678",
        "--allow-duplicate",
    )
    crm.add("Nikos", "Alexiou")
    return a, b


def test_duplicates_lists_pairs(crm, twins):
    a, b = twins
    pairs = crm.json("duplicates", "--json")
    assert pairs == [
        {
            "a_id": a,
            "a_name": "Maria Papadopoulou",
            "b_id": b,
            "b_name": "Μαρία Παπαδοπούλου",
            "score": pairs[0]["score"],
            "reasons": ["same email maria@akmi.gr", "same name in another script"],
        }
    ]
    code, out, err = crm("duplicates")
    assert code == 0
    assert out.split() == [
        str(pairs[0]["score"]), f"#{a}", "Maria", "Papadopoulou", f"#{b}", "Μαρία",
        "Παπαδοπούλου", "same", "email", "maria@akmi.gr;", "same", "name", "in", "another",
        "script",
    ]  # fmt: skip
    assert "crm merge KEEP_ID OTHER_ID" in err


def test_no_duplicates(crm):
    crm.add("Nikos", "Alexiou")
    code, out, err = crm("duplicates")
    assert (code, out, err) == (0, "", "No likely duplicates.\n")
    assert crm.json("duplicates", "--json") == []


def test_merge_prints_what_it_did(crm, twins):
    a, b = twins
    code, out, err = crm("merge", str(a), str(b), "--yes")
    assert code == 0, err
    assert out == (
        f"Merged Μαρία Παπαδοπούλου (#{b}) into Maria Papadopoulou (#{a}): merge 1, "
        "moving 1 history line. Undo with: crm merge --undo 1\n"
    )
    shown = crm.json("contacts", "show", str(a), "--json")
    assert shown["emails"] == ["maria@akmi.gr"] and shown["phones"] == ["+306912345678"]
    crm.refused("contacts", "show", str(b), match=f"No contact with id {b}")
    assert crm.json("duplicates", "--json") == []


def test_merge_as_json(crm, twins):
    a, b = twins
    out = crm.json("merge", str(b), str(a), "--yes", "--json")
    assert (out["merge_id"], out["kept_id"], out["removed_id"]) == (1, b, a)
    assert out["removed_name"] == "Maria Papadopoulou"
    assert out["contact"]["emails"] == ["MARIA@akmi.gr"]


def test_merge_refusals(crm, twins):
    a, _b = twins
    crm.refused("merge", str(a), str(a), match="error: A contact cannot be merged with itself")
    crm.refused("merge", str(a), "404", match="error: No contact with id 404")


def test_privacy_export_writes_json_and_vcard(crm, twins, tmp_path):
    a, _b = twins
    folder = tmp_path / "maria"
    code, out, err = crm("privacy", "export", str(a), "-o", str(folder))
    assert code == 0, err
    assert out == f"Wrote person-{a}.json, person-{a}.vcf to {folder}\n"
    data = json.loads((folder / f"person-{a}.json").read_text(encoding="utf-8"))
    assert data["contact"]["given_name"] == "Maria"
    assert data["emails"] == [{"address": "maria@akmi.gr", "label": ""}]
    assert "FN:Maria Papadopoulou" in (folder / f"person-{a}.vcf").read_text(encoding="utf-8")
    again = crm.json("privacy", "export", str(a), "-o", str(folder), "--json")
    assert again == {
        "contact_id": a,
        "files": [str(folder / f"person-{a}.json"), str(folder / f"person-{a}.vcf")],
    }
    crm.refused("privacy", "export", "404", "-o", str(folder), match="No contact with id 404")


def test_privacy_erase_needs_yes(crm, twins):
    a, _b = twins
    crm.refused(
        "privacy",
        "erase",
        str(a),
        match=f"error: erasing contact {a} removes their identity for good and cannot be "
        "undone; add --yes to confirm",
    )


def test_privacy_erase(crm, twins):
    a, b = twins
    code, out, err = crm("privacy", "erase", str(a), "--yes")
    assert code == 0, err
    assert out.splitlines() == [
        f"Erased contact {a}: removed 1 email, 0 phones, 0 follow-ups and 0 tags; "
        "scrubbed 0 mentions in other records.",
        "Kept for statistics, without their identity: 0 referrals, 0 rewards, 0 vouchers, "
        "0 attendances, 2 history lines.",
    ]
    assert "Backups made before the erasure" in err
    assert "maria@akmi.gr" not in crm.dump().replace("MARIA@akmi.gr", "")
    crm.refused("privacy", "erase", str(a), "--yes", match=f"Contact #{a} was already erased on")
    result = crm.json("privacy", "erase", str(b), "--yes", "--json")
    assert result["contact_id"] == b and result["erased"]["emails"] == 1


# -- letters and vouchers go to people who agreed ---------------------------------------


@pytest.fixture
def program(crm):
    """Anna agreed to marketing, Nikos did not; each referred someone."""
    anna = crm.add("Anna", "Rossi")
    nikos = crm.add("Nikos", "Alexiou")
    friend = crm.add("Petros", "Ioannou")
    other = crm.add("Eleni", "Dimou")
    crm.sql(
        "UPDATE contact SET marketing_consent = TRUE, consent_date = CURRENT_DATE WHERE id = ?",
        (anna,),
    )
    anna_ref = crm.json("refer", str(anna), str(friend), "--status", "won", "--value", "100")
    nikos_ref = crm.json("refer", str(nikos), str(other), "--status", "won", "--value", "100")
    return {"anna": anna, "nikos": nikos, "anna_ref": anna_ref["id"], "nikos_ref": nikos_ref["id"]}


def test_a_letter_needs_consent_or_the_override(crm, program, tmp_path):
    pdf = tmp_path / "letter.pdf"
    crm.refused(
        "letter", "--referral", str(program["nikos_ref"]), "-o", str(pdf),
        match=f"error: No marketing consent from: Nikos Alexiou (#{program['nikos']}). "
        "Record their consent or print with --without-consent.",
    )  # fmt: skip
    assert not pdf.exists()
    code, out, err = crm(
        "letter", "--referral", str(program["nikos_ref"]), "-o", str(pdf), "--without-consent"
    )
    assert code == 0, err
    assert out == f"Saved the thank-you letter to {pdf}\n" and pdf.is_file()


def test_pending_letters_skip_givers_without_consent_and_say_so(crm, program, tmp_path):
    batch = tmp_path / "batch.pdf"
    code, out, err = crm("letters", "--pending", "-o", str(batch))
    assert code == 0
    assert out == f"Saved 1 thank-you letter to {batch}\n"
    assert err == (
        f"Skipped 1 letter: No marketing consent from: Nikos Alexiou (#{program['nikos']}). "
        "Record their consent or print with --without-consent.\n"
    )
    rest = tmp_path / "rest.pdf"
    out = crm.json("letters", "--pending", "-o", str(rest), "--json")
    assert out == {
        "path": None,
        "letters": 0,
        "skipped_without_consent": [
            {"referral_id": program["nikos_ref"], "giver_id": program["nikos"],
             "giver_name": "Nikos Alexiou"}
        ],
    }  # fmt: skip
    out = crm.json("letters", "--pending", "-o", str(rest), "--without-consent", "--json")
    assert out == {"path": str(rest), "letters": 1, "skipped_without_consent": []}


def test_vouchers_need_consent_to_be_issued_and_printed(crm, program, tmp_path):
    issue = ["vouchers", "issue", "--value", "20", "--expires", NEXT_YEAR, "--batch", "B"]
    crm.refused(
        *issue, "--holder", str(program["anna"]), "--holder", str(program["nikos"]),
        match=f"error: No marketing consent from: Nikos Alexiou (#{program['nikos']}). "
        "Record their consent or issue vouchers with --without-consent.",
    )  # fmt: skip
    issued = crm.json(
        *issue, "--holder", str(program["anna"]), "--holder", str(program["nikos"]),
        "--without-consent",
    )  # fmt: skip
    assert [v["holder_id"] for v in issued] == [program["anna"], program["nikos"]]
    pdf = tmp_path / "vouchers.pdf"
    crm.refused(
        "vouchers", "print", "--batch", "B", "-o", str(pdf),
        match=f"error: No marketing consent from: Nikos Alexiou (#{program['nikos']}).",
    )  # fmt: skip
    out = crm.json(
        "vouchers", "print", "--batch", "B", "-o", str(pdf), "--without-consent", "--json"
    )
    assert out["vouchers"] == 2 and pdf.is_file()
