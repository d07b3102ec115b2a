"""The demo data generator: realistic, deterministic, a sound forest, and all or nothing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
import pytest

from crm import demo
from crm.core import chain, clock, codes, contacts, models, search
from crm.core import db as dbm
from crm.core.errors import CancelledError, ValidationError
from crm.demo.data import FAMILY, GIVEN
from crm.demo.people import MAX_DEPTH

N = 2000


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dbm.Store, dict]]:
    """One demo database of 2000 contacts shared by the read-only tests of this module."""
    store = dbm.open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    calls: list[tuple[int, int]] = []
    summary = demo.generate(store, N, seed=1, progress=lambda d, t: calls.append((d, t)))
    summary["progress_calls"] = calls
    yield store, summary
    store.close()


@pytest.fixture
def demo_store(demo_db: tuple[dbm.Store, dict]) -> dbm.Store:
    store, _summary = demo_db
    models.database_proxy.initialize(store.db)  # other tests may have opened another file
    return store


from dbtools import dump  # noqa: E402


def q(store: dbm.Store, sql: str, *params: object) -> list[tuple]:
    return store.db.execute_sql(sql, params).fetchall()


def one(store: dbm.Store, sql: str, *params: object) -> object:
    return q(store, sql, *params)[0][0]


def table_rows(store: dbm.Store, table: str) -> list[tuple]:
    return q(store, f"SELECT * FROM {table} ORDER BY id")


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (LATIN, GREEK, CYRILLIC, ARABIC)."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


# -- determinism ----------------------------------------------------------------


def test_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path: Path) -> None:
    dumps = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        store = dbm.open_database(tmp_path / f"{name}.sqlite3")
        try:
            demo.generate(store, 600, seed=seed)
            dumps.append({t: table_rows(store, t) for t in ("contact", "referral")})
        finally:
            store.close()
    assert dumps[0] == dumps[1]
    assert dumps[0]["contact"] != dumps[2]["contact"]


# -- counts and shape -------------------------------------------------------------


def test_summary_matches_the_database_and_counts_are_in_range(demo_store, demo_db) -> None:
    s = demo_db[1]
    store = demo_store
    for key, table in (
        ("contacts", "contact"),
        ("organizations", "organization"),
        ("events", "event"),
        ("attendances", "attendance"),
        ("referrals", "referral"),
        ("followups", "follow_up"),
        ("rewards", "reward"),
        ("vouchers", "voucher"),
    ):
        assert s[key] == one(store, f"SELECT count(*) FROM {table}"), key
    assert s["contacts"] == N
    assert s["organizations"] == N // 8
    assert s["events"] == N // 50
    assert 5 * s["events"] // 2 <= s["attendances"] <= 45 * s["events"]
    primary = one(store, "SELECT count(*) FROM referral WHERE is_primary")
    extra = one(store, "SELECT count(*) FROM referral WHERE NOT is_primary")
    assert 0.85 * N <= primary <= 0.95 * N
    assert 0.02 * N <= extra <= 0.08 * N
    assert s["seconds"] < 30
    with_org = one(store, "SELECT count(*) FROM contact WHERE organization_id IS NOT NULL")
    assert 0.6 * N <= with_org <= 0.8 * N
    partners = one(store, "SELECT count(*) FROM organization WHERE kind = 'community_partner'")
    assert 5 <= partners < s["organizations"] // 5


def test_progress_goes_forward_and_ends_at_the_total(demo_db) -> None:
    calls = demo_db[1]["progress_calls"]
    assert len(calls) >= 3
    totals = {t for _d, t in calls}
    assert len(totals) == 1
    done = [d for d, _t in calls]
    assert done == sorted(done)
    assert done[-1] == calls[-1][1]


def test_vocabularies_are_the_models(demo_store) -> None:
    store = demo_store
    checks = {
        ("contact", "channel"): models.CHANNELS,
        ("contact", "stage"): models.STAGES,
        ("contact", "language"): models.LANGUAGES,
        ("event", "kind"): models.EVENT_KINDS,
        ("attendance", "role"): models.ATTENDANCE_ROLES,
        ("referral", "program"): models.PROGRAMS,
        ("referral", "status"): models.REFERRAL_STATUSES,
        ("follow_up", "kind"): models.FOLLOWUP_KINDS,
        ("reward", "kind"): models.REWARD_KINDS,
        ("reward", "status"): models.REWARD_STATUSES,
        ("voucher", "status"): models.VOUCHER_STATUSES,
        ("interaction", "kind"): models.INTERACTION_KINDS,
        ("organization", "kind"): models.ORGANIZATION_KINDS,
    }
    for (table, column), allowed in checks.items():
        used = {r[0] for r in q(store, f"SELECT DISTINCT {column} FROM {table}")}
        assert used <= set(allowed), (table, column, used - set(allowed))
    # The pipeline is all there.
    statuses = {r[0] for r in q(store, "SELECT DISTINCT status FROM referral")}
    assert statuses == set(models.REFERRAL_STATUSES)
    assert {r[0] for r in q(store, "SELECT DISTINCT role FROM attendance")} == set(
        models.ATTENDANCE_ROLES
    )


# -- the referral forest ---------------------------------------------------------------


def test_primary_referrals_form_a_forest_up_to_20_deep(demo_store, demo_db) -> None:
    store = demo_store
    summary = demo_db[1]
    # Exactly one primary per referred contact, and none without one.
    assert (
        q(
            store,
            "SELECT referred_id FROM referral WHERE is_primary "
            "GROUP BY referred_id HAVING count(*) > 1",
        )
        == []
    )
    assert (
        q(
            store,
            "SELECT DISTINCT referred_id FROM referral WHERE referred_id NOT IN "
            "(SELECT referred_id FROM referral WHERE is_primary)",
        )
        == []
    )
    assert q(store, "SELECT id FROM referral WHERE giver_id = referred_id") == []
    assert (
        q(
            store,
            "SELECT giver_id, referred_id FROM referral "
            "GROUP BY giver_id, referred_id HAVING count(*) > 1",
        )
        == []
    )
    receivers = q(store, "SELECT id FROM referral WHERE receiver_id IN (giver_id, referred_id)")
    assert receivers == []
    # Depth of every contact, walking up through the primary referrer: no cycle.
    parent = dict(q(store, "SELECT referred_id, giver_id FROM referral WHERE is_primary"))
    depth: dict[int, int] = {}
    for cid in (r[0] for r in q(store, "SELECT id FROM contact")):
        path = []
        node = cid
        while node in parent and node not in depth:
            path.append(node)
            assert len(path) <= N, "cycle in the primary-referrer graph"
            node = parent[node]
        base = depth.get(node, 0)
        for k, n in enumerate(reversed(path), start=1):
            depth[n] = base + k
    deepest = max(depth.values())
    assert 10 <= deepest <= MAX_DEPTH
    assert summary["deepest_depth"] == deepest
    node = max(depth, key=lambda c: (depth[c], -c))
    assert len(chain.ancestors(node)) == deepest
    # The biggest tree is big, and its root has no referrer.
    root = summary["largest_root_id"]
    assert root not in parent
    assert len(chain.descendants(root)) == summary["largest_root_descendants"]
    assert summary["largest_root_descendants"] > N // 5


def test_referral_details_are_consistent(demo_store) -> None:
    store = demo_store
    # A status history per referral: starts from nothing, ends at the status.
    assert (
        q(
            store,
            "SELECT r.id FROM referral r WHERE (SELECT count(*) FROM "
            "referral_status_change s WHERE s.referral_id = r.id "
            "AND s.from_status IS NULL) != 1",
        )
        == []
    )
    last = q(
        store,
        "SELECT r.status, (SELECT to_status FROM referral_status_change s "
        "WHERE s.referral_id = r.id ORDER BY s.id DESC LIMIT 1) FROM referral r",
    )
    assert all(a == b for a, b in last)
    # Won referrals carry a value, the others none.
    assert q(store, "SELECT id FROM referral WHERE (status = 'won') != (value IS NOT NULL)") == []
    low, high = q(store, "SELECT min(value), max(value) FROM referral")[0]
    assert low >= 150 and high <= 25000
    currencies = Counter(r[0] for r in q(store, "SELECT currency FROM referral WHERE value"))
    assert currencies.most_common(1)[0][0] == "EUR"
    assert {r[0] for r in q(store, "SELECT DISTINCT temperature FROM referral")} == {1, 2, 3, 4, 5}
    assert one(store, "SELECT count(*) FROM referral WHERE event_id IS NOT NULL") > 0
    # Referrals happened within the past two years, never in the future.
    first, latest = q(store, "SELECT min(referred_on), max(referred_on) FROM referral")[0]
    assert first >= (clock.today() - dt.timedelta(days=731)).isoformat()
    assert latest < clock.today().isoformat()
    # Rewards go to givers of won (or voucher) referrals.
    assert (
        q(
            store,
            "SELECT w.id FROM reward w JOIN referral r ON r.id = w.referral_id "
            "WHERE r.status != 'won' AND r.program != 'tangible'",
        )
        == []
    )
    assert {r[0] for r in q(store, "SELECT DISTINCT status FROM reward")} == {"pending", "given"}


def test_followups_vouchers_history_and_profile(demo_store) -> None:
    store = demo_store
    today = clock.today().isoformat()
    open_ = "done_at IS NULL"
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due < ?", today) > 0
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due = ?", today) > 0
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due > ?", today) > 0
    assert one(store, "SELECT count(*) FROM follow_up WHERE done_at IS NOT NULL") > 0
    voucher_codes = [r[0] for r in q(store, "SELECT code FROM voucher")]
    assert voucher_codes and len(voucher_codes) == len(set(voucher_codes))
    # Real codes with their check character: redemption will accept them.
    assert all(codes.validate(c) == c for c in voucher_codes)
    assert (
        q(
            store,
            "SELECT id FROM voucher WHERE (status = 'redeemed') != "
            "(redeemed_by_id IS NOT NULL AND referral_id IS NOT NULL)",
        )
        == []
    )
    # Every contact has its "created" line; every referral its two lines.
    assert (
        one(store, "SELECT count(DISTINCT contact_id) FROM interaction WHERE kind = 'created'") == N
    )
    refs = one(store, "SELECT count(*) FROM referral")
    for kind in ("referral_given", "referral_received"):
        assert one(store, "SELECT count(*) FROM interaction WHERE kind = ?", kind) == refs
    tagged = one(store, "SELECT count(DISTINCT contact_id) FROM contact_tag")
    assert 0.2 * N <= tagged <= 0.4 * N
    profile = models.Profile.get_by_id(1)
    assert profile.name and profile.company and profile.currency == "EUR"
    assert profile.default_region in ("IT", "GR")


# -- people -------------------------------------------------------------------------------


def test_five_languages_in_their_own_scripts(demo_store) -> None:
    store = demo_store
    rows = q(store, "SELECT language, country, given_name, family_name, street, city FROM contact")
    by_lang = Counter(r[0] for r in rows)
    assert set(by_lang) == set(models.LANGUAGES)
    expected = {"en": 0.30, "el": 0.20, "bg": 0.15, "it": 0.20, "ar": 0.15}
    for lang, share in expected.items():
        assert abs(by_lang[lang] / N - share) < 0.05, lang
    script = {"en": "LATIN", "it": "LATIN", "el": "GREEK", "bg": "CYRILLIC", "ar": "ARABIC"}
    countries = {
        "en": {"GB", "US", "IE"},
        "el": {"GR"},
        "bg": {"BG"},
        "it": {"IT"},
        "ar": {"AE", "EG", "JO", "LB"},
    }
    for lang, country, given, family, _street, city in rows:
        assert scripts(given + family) == {script[lang]}, (lang, given, family)
        assert country in countries[lang]
        assert city
    assert {r[1] for r in rows} == set().union(*countries.values())
    # Accented Italian names occur.
    assert any(r[0] == "it" and not (r[2] + r[3]).isascii() for r in rows)


def test_family_names_take_the_gendered_form(demo_store) -> None:
    store = demo_store
    female_bg = set(GIVEN["bg"][1])
    female_el = set(GIVEN["el"][1])
    pairs_el = {m: f for m, f in FAMILY["el"]}
    forms = Counter()
    for lang, given, family in q(
        store,
        "SELECT language, given_name, family_name FROM contact WHERE language IN ('bg', 'el')",
    ):
        if lang == "bg":
            assert family.endswith(("ова", "ева")) == (given in female_bg), (given, family)
        elif family in pairs_el and pairs_el[family] != family:
            assert given not in female_el, (given, family)  # a male form on a woman
            forms["el-male"] += 1
        elif family in pairs_el.values() and family not in pairs_el:
            assert given in female_el, (given, family)
            forms["el-female"] += 1
    assert forms["el-male"] and forms["el-female"]


def test_emails_and_phones_are_valid_and_denormalised(demo_store) -> None:
    store = demo_store
    for (address,) in q(store, "SELECT address FROM email_address"):
        assert address.isascii()
        assert contacts.validate_email(address) == address
    emails = q(store, "SELECT address FROM email_address")
    assert len(emails) == len({a for (a,) in emails}), "demo emails are unique"
    country = dict(q(store, "SELECT id, country FROM contact"))
    for cid, number, original in q(store, "SELECT contact_id, number, original FROM phone_number"):
        assert re.fullmatch(r"\+[1-9]\d{6,14}", number)
        assert contacts.normalize_phone(original) == (number, original)
        assert phonenumbers.region_code_for_number(phonenumbers.parse(number)) == country[cid]
    # The contact row holds the first email and phone.
    assert (
        q(
            store,
            """
        SELECT c.id FROM contact c
        WHERE c.email != coalesce((SELECT address FROM email_address e WHERE e.contact_id = c.id
                                   AND e.position = 0), '')
           OR c.phone != coalesce((SELECT number FROM phone_number p WHERE p.contact_id = c.id
                                   AND p.position = 0), '')
    """,
        )
        == []
    )
    no_email = one(store, "SELECT count(*) FROM contact WHERE email = ''")
    two_emails = one(store, "SELECT count(*) FROM email_address WHERE position = 1")
    assert no_email > 0 and two_emails > 0
    birthdays = one(store, "SELECT count(*) FROM contact WHERE birthday IS NOT NULL")
    assert 0.5 * N <= birthdays <= 0.7 * N
    for (birthday,) in q(store, "SELECT birthday FROM contact WHERE birthday IS NOT NULL"):
        assert contacts.parse_birthday(birthday) == birthday
    assert one(store, "SELECT count(*) FROM contact WHERE birthday LIKE '--%'") > 0
    consent = q(store, "SELECT marketing_consent, consent_date FROM contact")
    assert all((c == 1) == (d is not None) for c, d in consent)


# -- search ----------------------------------------------------------------------------------


def test_search_index_holds_every_contact_as_the_service_would(demo_store) -> None:
    store = demo_store
    stored = dict(q(store, f"SELECT rowid, body FROM {search.FTS_TABLE}"))
    assert len(stored) == N
    rows = q(
        store,
        """
        SELECT c.id, c.given_name, c.family_name, COALESCE(o.name, ''), c.city,
               (SELECT group_concat(address, ' ') FROM email_address WHERE contact_id = c.id),
               (SELECT group_concat(number, ' ') FROM phone_number WHERE contact_id = c.id)
        FROM contact c LEFT JOIN organization o ON o.id = c.organization_id
    """,
    )
    for cid, given, family, org, city, emails, phones in rows:
        expected = search.document(
            given, family, org, (emails or "").split(), (phones or "").split(), city
        )
        assert stored[cid] == expected, cid


def test_search_finds_a_greek_contact_by_its_unaccented_lowercase_name(demo_store) -> None:
    store = demo_store
    cid, given, family = q(
        store,
        "SELECT id, given_name, family_name FROM contact "
        "WHERE language = 'el' AND archived = 0 "
        "AND family_name LIKE '%ύ%' ORDER BY id LIMIT 1",
    )[0]

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.lower())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    query = f"{plain(given)} {plain(family)}"
    assert query.isascii() is False and query != f"{given} {family}".lower()
    found = [row[0] for row in contacts.list_rows(query, limit=N)]
    assert cid in found
    assert cid in search.search_ids(store.db, plain(family), limit=N)


# -- refusals, cancelling, integrity ------------------------------------------------------------


def test_refuses_a_database_that_already_has_contacts(store) -> None:
    contacts.create_contact(contacts.ContactData(given_name="Maria", family_name="Rossi"))
    before = dump(store)
    with pytest.raises(ValidationError) as excinfo:
        demo.generate(store, 50)
    assert str(excinfo.value) == (
        "The database already holds 1 contacts; demo data goes into an empty database"
    )
    assert dump(store) == before


@pytest.mark.parametrize("count", [0, -5, 1_000_001, 2.5, "100", True, None])
def test_refuses_invalid_counts(store, count) -> None:
    before = dump(store)
    with pytest.raises(ValidationError, match="number of demo contacts"):
        demo.generate(store, count)
    assert dump(store) == before


def test_a_tiny_demo_works(store) -> None:
    summary = demo.generate(store, 1)
    assert summary["contacts"] == 1 and summary["referrals"] == 0
    assert summary["events"] == 3 and summary["organizations"] == 5
    assert dbm.check(store) == []


def pragmas(store: dbm.Store) -> tuple:
    return tuple(
        one(store, f"PRAGMA {name}")
        for name in ("journal_mode", "foreign_keys", "synchronous", "cache_size")
    )


@pytest.mark.sqlite_only
@pytest.mark.parametrize("stop_after", ["first_chunk", "index_rebuild"])
def test_cancel_leaves_the_database_unchanged(store, stop_after) -> None:
    before = dump(store)
    settings = pragmas(store)
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        if stop_after == "first_chunk":
            return done > 0
        return done > N  # past the contacts: while indexes are rebuilt

    with pytest.raises(CancelledError):
        demo.generate(store, N, progress=progress)
    assert dump(store) == before
    assert pragmas(store) == settings
    assert dbm.check(store) == []
    # And the database is still good for a demo.
    assert demo.generate(store, 100)["contacts"] == 100


@pytest.mark.sqlite_only
def test_database_is_sound_and_keeps_its_indexes_and_settings(store) -> None:
    indexes = q(store, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    settings = pragmas(store)
    demo.generate(store, 1500, seed=3)
    assert one(store, "PRAGMA integrity_check") == "ok"
    assert q(store, "PRAGMA foreign_key_check") == []
    assert dbm.check(store) == []
    assert (
        q(store, "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        == indexes
    )
    assert pragmas(store) == settings
    assert settings[:2] == ("wal", 1)


def test_keeps_a_profile_the_user_filled_in(store) -> None:
    models.Profile.update(name="Anna Bianchi", currency="CHF").where(
        models.Profile.id == 1
    ).execute()
    demo.generate(store, 20)
    profile = models.Profile.get_by_id(1)
    assert (profile.name, profile.currency) == ("Anna Bianchi", "CHF")


def test_reuses_a_tag_the_database_already_has(store) -> None:
    folded = "folded" in models.Tag._meta.fields
    values = {"name": "vip", "folded": "vip"} if folded else {"name": "VIP"}
    tag_id = models.Tag.insert(**values).execute()
    demo.generate(store, 300)
    assert one(store, "SELECT count(*) FROM tag WHERE lower(name) = 'vip'") == 1
    assert one(store, "SELECT count(*) FROM contact_tag WHERE tag_id = ?", tag_id) > 0
