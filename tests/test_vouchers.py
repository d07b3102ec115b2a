"""Vouchers: issuing to holders and to the top N, refusals, listing, and marking printed."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from dbtools import refused

from crm import cli
from crm.core import clock, codes, contacts, interactions, models, referrals, settings, vouchers
from crm.core.contacts import ContactData
from crm.core.errors import NotFoundError

TODAY = clock.today()
NEXT_YEAR = TODAY + dt.timedelta(days=365)


def person(given: str, family: str = "", **fields) -> int:
    fields.setdefault("marketing_consent", True)  # vouchers go to people who agreed
    return contacts.create_contact(ContactData(given_name=given, family_name=family, **fields)).id


def won(giver: int, value: str, days_ago: int = 10, currency: str = "EUR") -> None:
    friend = person(f"Friend{random.random():.6f}")
    referrals.record_referral(
        giver,
        friend,
        status="won",
        value=value,
        currency=currency,
        referred_on=TODAY - dt.timedelta(days=days_ago),
    )


def issue(*holders: int, **kw):
    kw.setdefault("value", "50")
    kw.setdefault("expires", NEXT_YEAR)
    kw.setdefault("batch", "2026-Q4")
    return vouchers.issue(list(holders) if holders else None, **kw)


# -- issuing ------------------------------------------------------------------------


def test_issue_to_a_holder(store):
    anna = person("Anna", "Παπαδοπούλου")
    [v] = issue(anna, value="75.5", currency="eur", batch="  2026   Q4 ")
    assert codes.validate(v["code"]) == v["code"]
    assert v["holder_id"] == anna and v["holder"] == "Anna Παπαδοπούλου"
    assert (v["value"], v["currency"], v["batch"]) == (75.5, "EUR", "2026 Q4")
    assert v["expires"] == NEXT_YEAR.isoformat()
    assert v["status"] == "issued" and v["printed_at"] is None
    row = models.Voucher.get_by_id(v["id"])
    assert row.code == v["code"] and row.status == "issued"
    line = interactions.history(anna)[0]
    assert line.kind == "voucher_issued" and line.voucher_id == v["id"]
    assert v["code"] in line.summary and "2026 Q4" in line.summary


def test_issue_uses_the_profile_currency_by_default(store):
    settings.update_profile(currency="BGN")
    [v] = issue(person("Бойко", "Петров"))
    assert v["currency"] == "BGN"


def test_issue_to_several_holders_gives_unique_codes(store):
    ids = [person(f"P{i}") for i in range(40)]
    out = issue(*ids, ids[0])  # a repeated id gets one voucher
    assert [v["holder_id"] for v in out] == ids
    assert len({v["code"] for v in out}) == 40


def test_a_code_collision_is_retried(store):
    a, b = person("A"), person("B")
    [first] = issue(a, rng=random.Random(42))
    # The same seed draws the same first code: it is taken, so the next one is used.
    [second] = issue(b, rng=random.Random(42))
    assert second["code"] != first["code"]
    assert codes.validate(second["code"]) == second["code"]
    assert models.Voucher.select().count() == 2


def test_top_n_by_won_value_then_converted(store):
    anna, bob, cara, dan, eve, old, arch = (
        person(n) for n in ("Anna", "Bob", "Cara", "Dan", "Eve", "Old", "Archived")
    )
    won(anna, "1000")
    won(bob, "600")
    won(bob, "400")  # ties Anna on value, more converted referrals
    won(cara, "3000", currency="USD")  # another currency: counts as converted, not as value
    won(dan, "200")
    won(old, "9000", days_ago=400)  # outside the last 12 months
    won(arch, "9000")
    contacts.set_archived(arch, True)
    referrals.record_referral(eve, person("Lead"))  # not won: no score
    top = vouchers.top_holders(10)
    assert [(t["name"], t["won_value"], t["converted"]) for t in top] == [
        ("Bob", 1000.0, 2),
        ("Anna", 1000.0, 1),
        ("Dan", 200.0, 1),
        ("Cara", 0.0, 1),
    ]
    out = issue(top_n=2)
    assert [v["holder"] for v in out] == ["Bob", "Anna"]
    assert out[0]["score"] == {"won_value": 1000.0, "converted": 2, "currency": "EUR"}
    # Ranking in dollars puts Cara first.
    assert vouchers.top_holders(1, "USD")[0]["name"] == "Cara"


def test_top_n_counts_only_the_last_12_months(store):
    anna = person("Anna")
    won(anna, "100", days_ago=364)
    assert vouchers.top_holders(1)[0]["id"] == anna
    assert vouchers.top_holders(1, today=TODAY + dt.timedelta(days=2)) == []


# -- refusals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "parts", "field"),
    [
        ({"value": "0"}, ["must be worth something", "value is 0"], "value"),
        ({"value": "-5"}, ["Voucher value -5", "negative"], "value"),
        ({"value": "lots"}, ["Voucher value 'lots' is not an amount of money"], "value"),
        ({"currency": "EURO"}, ["Currency 'EURO' is not an ISO 4217"], "currency"),
        ({"expires": TODAY}, [f"expiry {TODAY.isoformat()} is not in the future"], "expires"),
        ({"expires": "2020-01-01"}, ["expiry 2020-01-01 is not in the future"], "expires"),
        ({"expires": "31/12/2026"}, ["Expiry '31/12/2026' is not a date (YYYY-MM-DD)"], "expires"),
        ({"expires": dt.date(TODAY.year + 40, 1, 1)}, ["more than 10 years away"], "expires"),
        ({"batch": "   "}, ["Name the batch", "the name is empty"], "batch"),
        ({"batch": "x" * 61}, ["longer than 60 characters"], "batch"),
    ],
)
def test_issue_refusals(store, unchanged, kw, parts, field):
    anna = person("Anna")
    with refused(unchanged, *parts, field=field):
        issue(anna, **kw)


@pytest.mark.parametrize(
    ("batch", "parts"),
    [
        ("../../.ssh/x", ["'../../.ssh/x' cannot contain / or \\", "part of file names"]),
        ("2026/Q4", ["'2026/Q4' cannot contain / or \\"]),
        ("2026\\Q4", ["'2026\\Q4' cannot contain / or \\"]),
        ("..", ["'..' cannot start with a dot or contain '..'"]),
        (".hidden", ["'.hidden' cannot start with a dot"]),
        ("2026..Q4", ["'2026..Q4' cannot start with a dot or contain '..'"]),
        ("Q4\x07", ["invisible control character (U+0007)"]),
        ("Q4\u202egpj", ["invisible control character (U+202E)"]),
    ],
)
def test_batch_names_that_cannot_name_a_file_are_refused(store, unchanged, batch, parts):
    anna = person("Anna")
    with refused(unchanged, *parts, field="batch"):
        issue(anna, batch=batch)


def test_ordinary_batch_names_are_kept(store):
    anna = person("Anna")
    for batch in ("2026-Q4", "Christmas 2026 – Ελλάδα", "x" * 60, "v1.2"):
        [v] = issue(anna, batch=batch)
        assert v["batch"] == batch


def test_cli_refuses_a_batch_name_with_a_slash(store, db_path, capsys, unchanged):
    anna = person("Anna")
    with unchanged():
        code, out, err = run(
            capsys, db_path, "vouchers", "issue", "--holder", str(anna), "--value", "10",
            "--expires", NEXT_YEAR.isoformat(), "--batch", "../x",
        )  # fmt: skip
    assert code == 2 and out == ""
    assert err.startswith("error: The batch name '../x' cannot contain / or \\")


def test_unknown_and_archived_holders_are_refused(store, unchanged):
    anna, bob = person("Anna"), person("Bob", "Smith")
    contacts.set_archived(bob, True)
    with refused(unchanged, "No contact with id 999", error=NotFoundError):
        issue(anna, 999)
    with refused(unchanged, "Bob Smith", f"(#{bob}) is archived", field="holder"):
        issue(anna, bob)
    with refused(unchanged, "at least one holder"):
        vouchers.issue([], value="5", expires=NEXT_YEAR, batch="b")


def test_holder_or_top_not_both(store, unchanged):
    anna = person("Anna")
    with refused(unchanged, "either to named holders or to the top N"):
        issue(anna, top_n=3)
    with refused(unchanged, "either to named holders or to the top N"):
        issue()
    with refused(unchanged, "must be 1 or more, not 0", field="top"):
        issue(top_n=0)


def test_top_n_with_nobody_to_pick_is_refused(store, unchanged):
    person("Anna")
    with refused(
        unchanged,
        "No client with marketing consent has a won referral in the last 12 months",
        field="top",
    ):
        issue(top_n=5)


def test_one_voucher_per_holder_per_batch_all_or_nothing(store, unchanged):
    anna, bob = person("Anna"), person("Bob")
    [first] = issue(anna)
    with refused(unchanged, f"Anna (#{anna}) already holds voucher {first['code']}", "2026-Q4"):
        issue(bob, anna)  # Bob gets nothing either: the whole issue is refused
    issue(anna, batch="2027-Q1")  # another batch is fine


# -- listing and printing ----------------------------------------------------------


def test_list_shows_status_and_expired(store):
    anna, bob = person("Anna"), person("Bob")
    [a] = issue(anna, expires=TODAY + dt.timedelta(days=1))
    [b] = issue(bob, batch="other")
    listed = vouchers.list_vouchers()
    assert [v["code"] for v in listed] == [b["code"], a["code"]]  # newest batch name first
    later = TODAY + dt.timedelta(days=2)
    assert vouchers.list_vouchers("2026-Q4", today=later)[0]["status"] == "expired"
    assert vouchers.list_vouchers("2026-Q4")[0]["status"] == "issued"
    models.Voucher.update(status="void").where(models.Voucher.id == a["id"]).execute()
    assert vouchers.list_vouchers("2026-Q4", today=later)[0]["status"] == "void"
    assert vouchers.list_vouchers("nope") == []
    keys = {"code", "holder_id", "holder", "value", "currency", "expires", "status", "printed_at"}
    assert keys <= set(listed[0])


def test_printable_refuses_unknown_and_spent_batches(store, unchanged):
    anna = person("Anna")
    with refused(
        unchanged, "No batch named 'Q9'", "no vouchers are issued yet", error=NotFoundError
    ):
        vouchers.printable("Q9")
    [v] = issue(anna)
    with refused(unchanged, "No batch named 'Q9'; batches: 2026-Q4", error=NotFoundError):
        vouchers.printable("Q9")
    models.Voucher.update(status="redeemed").where(models.Voucher.id == v["id"]).execute()
    with refused(unchanged, "Batch '2026-Q4' has no voucher left to print (1 redeemed)"):
        vouchers.printable("2026-Q4")


def test_printable_carries_language_and_country(store):
    ali = person("علي", "حسن", language="ar", country="LB")
    [v] = issue(ali)
    [p] = vouchers.printable("2026-Q4")
    assert (p["code"], p["language"], p["country"]) == (v["code"], "ar", "LB")


def test_mark_printed(store):
    ids = [v["id"] for v in issue(*(person(f"P{i}") for i in range(3)))]
    at = dt.datetime(2026, 11, 1, 10, 0)
    assert vouchers.mark_printed(ids[:2], at=at) == 2
    listed = {v["id"]: v["printed_at"] for v in vouchers.list_vouchers()}
    assert listed == {ids[0]: "2026-11-01 10:00:00", ids[1]: "2026-11-01 10:00:00", ids[2]: None}


# -- the command --------------------------------------------------------------------


def run(capsys, db_path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_issue_and_list(store, db_path, capsys):
    anna = person("Anna", "Rossi")
    won(anna, "500")
    code, out, err = run(
        capsys, db_path, "vouchers", "issue", "--top", "3", "--value", "25",
        "--expires", NEXT_YEAR.isoformat(), "--batch", "2026-Q4", "--currency", "EUR",
    )  # fmt: skip
    assert code == 0, err
    [v] = json.loads(out)
    assert v["holder_id"] == anna and v["value"] == 25.0 and "id" in v
    code, out, _ = run(capsys, db_path, "vouchers", "list", "--json")
    assert [x["code"] for x in json.loads(out)] == [v["code"]]
    code, out, _ = run(capsys, db_path, "vouchers", "list", "--batch", "2026-Q4")
    assert code == 0 and v["code"] in out and "Anna Rossi" in out and "issued" in out


def test_cli_refusals(store, db_path, tmp_path, capsys):
    pdf = str(tmp_path / "x.pdf")
    anna = person("Anna")
    base = ["vouchers", "issue", "--value", "10", "--batch", "b"]
    code, out, err = run(capsys, db_path, *base, "--holder", str(anna), "--expires", "2020-01-01")
    assert code == 2 and out == "" and err.startswith("error: The expiry 2020-01-01")
    code, _, err = run(capsys, db_path, *base, "--expires", NEXT_YEAR.isoformat())
    assert code == 2 and "--holder" in err and "--top" in err
    code, _, err = run(capsys, db_path, "vouchers", "print", "--batch", "zz", "-o", pdf)
    assert code == 2 and "No batch named 'zz'" in err
    code, _, err = run(
        capsys, db_path, "vouchers", "print", "--batch", "b", "-o", pdf, "--per-page", "3"
    )
    assert code == 2 and "per-page" in err
    assert not (tmp_path / "x.pdf").exists()


# -- marketing consent --------------------------------------------------------------------


def test_issuing_to_someone_without_consent_is_refused_unless_overridden(store, unchanged):
    anna = person("Anna", "Rossi")
    nikos = person("Nikos", "Alexiou", marketing_consent=False)
    maria = person("Maria", "Papadopoulou", marketing_consent=False)
    with refused(
        unchanged,
        f"No marketing consent from: Nikos Alexiou (#{nikos}), Maria Papadopoulou (#{maria}). "
        "Record their consent or issue vouchers with --without-consent.",
        field="marketing_consent",
    ):
        issue(anna, nikos, maria)
    out = issue(anna, nikos, allow_without_consent=True)
    assert [v["holder_id"] for v in out] == [anna, nikos]


def test_the_top_clients_are_the_best_who_consented(store, unchanged):
    best = person("Best", "Client", marketing_consent=False)
    won(best, "900")
    with refused(unchanged, "No client with marketing consent has a won referral"):
        issue(top_n=5)
    second = person("Second", "Client")
    won(second, "500")
    third = person("Third", "Client")
    won(third, "100")
    assert [h["id"] for h in vouchers.top_holders(2)] == [best, second]
    assert [h["consent"] for h in vouchers.top_holders(2)] == [False, True]
    assert [v["holder_id"] for v in issue(top_n=2)] == [second, third]
    [v] = issue(top_n=1, allow_without_consent=True, batch="other")
    assert v["holder_id"] == best


def test_printing_for_someone_without_consent_is_refused_and_erased_holders_are_left_out(
    store, unchanged
):
    from crm.core import erasure

    anna = person("Anna", "Rossi")
    nikos = person("Nikos", "Alexiou")
    gone = person("Sara", "Bianchi")
    issue(anna, nikos, gone)
    contacts.update_contact(nikos, marketing_consent=False)  # withdrawn after issuing
    erasure.erase(gone)
    with refused(unchanged, f"No marketing consent from: Nikos Alexiou (#{nikos})."):
        vouchers.printable("2026-Q4")
    items = vouchers.printable("2026-Q4", allow_without_consent=True)
    assert [i["holder_id"] for i in items] == [anna, nikos]
    contacts.update_contact(nikos, marketing_consent=True)
    assert [i["holder_id"] for i in vouchers.printable("2026-Q4")] == [anna, nikos]


def test_a_batch_only_for_erased_people_has_nothing_to_print(store, unchanged):
    from crm.core import erasure

    gone = person("Sara", "Bianchi")
    issue(gone, batch="solo")
    erasure.erase(gone)
    with refused(unchanged, "Batch 'solo' has no voucher left to print (1 issued to an erased"):
        vouchers.printable("solo")
