"""Referral chains: ancestors, descendants, branch totals, one query each, the forest property."""

from __future__ import annotations

import itertools
import tempfile
import uuid
from collections import defaultdict, deque
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playhouse.test_utils import assert_query_count, count_queries

from crm.core import chain, contacts, models, referrals
from crm.core import db as dbm
from crm.core.contacts import ContactData
from crm.core.errors import ValidationError


def person(given_name: str) -> int:
    return contacts.create_contact(ContactData(given_name=given_name)).id


@pytest.fixture
def tree(store):
    """A small forest; returns name -> id.

    Primary edges::

        Root ─┬─ Anna ─┬─ Cara ── Eve
              │        └─ Dan
              └─ Bob
        Zed ── Yan                    (another tree)

    Secondary (non-primary) referrals: Zed → Anna, Bob → Eve.
    """
    ids = {n: person(n) for n in ("Root", "Anna", "Bob", "Cara", "Dan", "Eve", "Zed", "Yan")}
    r = referrals.record_referral
    r(ids["Root"], ids["Anna"], status="won", value="1000")
    r(ids["Root"], ids["Bob"], status="lost")
    r(ids["Anna"], ids["Cara"], status="won", value="250.50")
    r(ids["Anna"], ids["Dan"], status="proposal")
    r(ids["Cara"], ids["Eve"], status="won", value="99.25")
    r(ids["Zed"], ids["Yan"], status="won", value="5000")
    r(ids["Zed"], ids["Anna"], status="won", value="7777")  # secondary: not in the chain
    r(ids["Bob"], ids["Eve"])  # secondary
    return ids


def test_ancestors_nearest_first_with_depth(tree):
    t = tree
    assert chain.ancestors(t["Eve"]) == [
        chain.Ancestor(t["Cara"], "Cara", 1),
        chain.Ancestor(t["Anna"], "Anna", 2),
        chain.Ancestor(t["Root"], "Root", 3),
    ]
    assert chain.ancestor_ids(t["Dan"]) == [t["Anna"], t["Root"]]
    assert chain.ancestors(t["Root"]) == []
    assert chain.ancestors(t["Yan"]) == [chain.Ancestor(t["Zed"], "Zed", 1)]


def test_descendants_depth_parent_status_and_won_value(tree):
    t = tree
    got = chain.descendants(t["Root"])
    by_id = {d.id: d for d in got}
    assert len(got) == len(by_id) == 5
    expected = {
        t["Anna"]: ("Anna", 1, t["Root"], "won", 1000.0),
        t["Bob"]: ("Bob", 1, t["Root"], "lost", 0.0),
        t["Cara"]: ("Cara", 2, t["Anna"], "won", 250.5),
        t["Dan"]: ("Dan", 2, t["Anna"], "proposal", 0.0),
        t["Eve"]: ("Eve", 3, t["Cara"], "won", 99.25),
    }
    assert {
        d.id: (d.name, d.depth, d.parent_id, d.status, float(d.won_value)) for d in got
    } == expected
    # Each node comes after its parent.
    seen = {t["Root"]}
    for d in got:
        assert d.parent_id in seen
        seen.add(d.id)
    assert chain.descendants(t["Eve"]) == []
    assert [d.id for d in chain.descendants(t["Zed"])] == [t["Yan"]]


def test_branch_totals(tree):
    t = tree
    totals = chain.branch_totals(t["Root"], chain.descendants(t["Root"]))
    assert totals[t["Root"]] == {"count": 5, "won_value": pytest.approx(1349.75)}
    assert totals[t["Anna"]] == {"count": 3, "won_value": pytest.approx(1349.75)}
    assert totals[t["Cara"]] == {"count": 1, "won_value": pytest.approx(349.75)}
    assert totals[t["Eve"]] == {"count": 0, "won_value": pytest.approx(99.25)}
    assert totals[t["Bob"]] == {"count": 0, "won_value": 0.0}
    assert totals[t["Dan"]] == {"count": 0, "won_value": 0.0}
    assert chain.branch_totals(t["Eve"], []) == {t["Eve"]: {"count": 0, "won_value": 0.0}}


def test_chain_dict(tree):
    t = tree
    out = chain.chain(t["Anna"])
    assert out["contact"]["id"] == t["Anna"]
    assert out["ancestors"] == [{"id": t["Root"], "name": "Root", "depth": 1}]
    rows = {d["id"]: d for d in out["descendants"]}
    assert rows[t["Cara"]] == {
        "id": t["Cara"],
        "name": "Cara",
        "depth": 1,
        "parent_id": t["Anna"],
        "status": "won",
        "won_value": 250.5,
        "branch_count": 1,
        "branch_won_value": 349.75,
    }
    assert rows[t["Eve"]]["depth"] == 2
    assert out["totals"] == {"descendants": 3, "max_depth": 2, "won_value": 349.75}


def test_chain_follows_set_primary(tree):
    t = tree
    secondary = models.Referral.get(
        (models.Referral.giver == t["Zed"]) & (models.Referral.referred == t["Anna"])
    )
    referrals.set_primary(secondary.id)
    assert chain.ancestor_ids(t["Eve"]) == [t["Cara"], t["Anna"], t["Zed"]]
    assert {d.id for d in chain.descendants(t["Root"])} == {t["Bob"]}
    zed = {d.id: d for d in chain.descendants(t["Zed"])}
    assert set(zed) == {t["Yan"], t["Anna"], t["Cara"], t["Dan"], t["Eve"]}
    assert float(zed[t["Anna"]].won_value) == 7777.0  # the value of the now-primary referral
    assert zed[t["Eve"]].depth == 3


def test_won_value_follows_status_changes(tree):
    t = tree
    dan_ref = models.Referral.get(models.Referral.referred == t["Dan"])
    referrals.change_status(dan_ref.id, "won", value=Decimal("10.10"))
    totals = chain.branch_totals(t["Root"], chain.descendants(t["Root"]))
    assert totals[t["Root"]]["won_value"] == pytest.approx(1359.85)
    referrals.change_status(dan_ref.id, "lost", reopen=True)
    assert {d.id: float(d.won_value) for d in chain.descendants(t["Anna"])}[t["Dan"]] == 0.0


def test_missing_contact_raises(store):
    from crm.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        chain.chain(12345)
    assert chain.ancestors(12345) == []
    assert chain.descendants(12345) == []


# -- one query per direction -------------------------------------------------------


def test_each_direction_is_one_query(store):
    ids = [person(f"P{i}") for i in range(40)]
    for giver, referred in itertools.pairwise(ids):  # a 40-deep line
        referrals.record_referral(giver, referred)
    # ... plus a wide fan under the middle.
    fan = [person(f"F{i}") for i in range(25)]
    for f in fan:
        referrals.record_referral(ids[20], f)

    with assert_query_count(1):
        ups = chain.ancestors(ids[-1])
    assert len(ups) == 39
    assert ups[-1].depth == 39

    with assert_query_count(1):
        downs = chain.descendants(ids[0])
    assert len(downs) == 39 + 25

    with assert_query_count(1):
        chain.ancestor_ids(fan[0])

    with count_queries() as counter:
        chain.descendants(ids[20])
        chain.ancestors(ids[20])
    assert counter.count == 2


def test_walk_is_one_query_and_matches_each_direction(tree):
    t = tree
    for who in ("Root", "Anna", "Cara", "Eve", "Yan"):
        with assert_query_count(1):
            ups, downs = chain.walk(t[who])
        assert ups == chain.ancestors(t[who])
        assert downs == chain.descendants(t[who])
    assert chain.walk(12345) == ([], [])


def test_chain_runs_a_fixed_number_of_queries_with_one_walk(store):
    ids = [person(f"P{i}") for i in range(30)]
    for giver, referred in itertools.pairwise(ids):
        referrals.record_referral(giver, referred, status="won", value="10")
    # The contact's own fields (four queries, as contacts.to_dicts reads them) and one walk.
    with count_queries() as counter:
        small = chain.chain(ids[28])
    with count_queries() as bigger:
        big = chain.chain(ids[10])
    assert counter.count == bigger.count == 5
    assert len(small["descendants"]) == 1 and len(big["descendants"]) == 19
    assert [a["id"] for a in big["ancestors"]] == ids[9::-1]
    assert big["totals"] == {"descendants": 19, "max_depth": 19, "won_value": 190.0}


@pytest.mark.sqlite_only  # reads SQLite's query plans
def test_the_walks_read_covering_indexes(tree):
    """Down, each step reads the covering index on primary referrals; names come from the
    covering index on contact names, never from the contact rows."""
    db = models.database_proxy
    plan = " | ".join(
        row[-1]
        for row in db.execute_sql(
            "EXPLAIN QUERY PLAN " + chain._sql(chain._WALK_SQL), (1, 9, 1, 9)
        ).fetchall()
    )
    assert "COVERING INDEX referral_primary_tree" in plan
    assert "INTEGER PRIMARY KEY" not in plan
    assert plan.count("COVERING INDEX contact_names") == 2


# -- the forest property --------------------------------------------------------------

CONTACT_COUNT = st.integers(min_value=8, max_value=15)
# Mostly the first few contacts, so that chains grow deep and meet each other.
INDEX = st.one_of(st.integers(0, 4), st.integers(0, 14))
OPERATION = st.one_of(
    # giver index, referred index
    st.tuples(st.just("refer"), INDEX, INDEX),
    # someone refers one of their own ancestors (the j-th above them, the root
    # when j runs past it): a cycle when that ancestor is a root, a secondary
    # referral closing a loop through the forest otherwise.
    st.tuples(st.just("upward"), INDEX, st.integers(0, 3)),
    # make the k-th referral made so far (or the k-th secondary one) the primary one
    st.tuples(st.just("primary"), st.integers(0, 200), st.booleans()),
    # win the k-th referral with a value
    st.tuples(st.just("win"), st.integers(0, 200), st.integers(1, 10_000)),
)


def _model_ancestors(parent: dict[int, int], node: int) -> list[tuple[int, int]]:
    out, seen = [], {node}
    depth = 0
    while node in parent:
        node = parent[node]
        depth += 1
        assert node not in seen, "cycle in the primary-referrer graph"
        seen.add(node)
        out.append((node, depth))
    return out


def _model_descendants(parent: dict[int, int], root: int) -> set[tuple[int, int, int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for child, par in parent.items():
        children[par].append(child)
    out: set[tuple[int, int, int]] = set()
    queue = deque([(root, 0)])
    while queue:
        node, depth = queue.popleft()
        for child in children[node]:
            out.add((child, depth + 1, node))
            queue.append((child, depth + 1))
    return out


def _check_forest(ids: list[int]) -> None:
    rows = list(
        models.Referral.select(
            models.Referral.giver,
            models.Referral.referred,
            models.Referral.is_primary,
            models.Referral.status,
            models.Referral.value,
        ).tuples()
    )
    primaries: dict[int, list[int]] = defaultdict(list)
    received: set[int] = set()
    won: dict[int, float] = {}
    for giver, referred, is_primary, status, value in rows:
        received.add(referred)
        if is_primary:
            primaries[referred].append(giver)
            won[referred] = float(value) if status == "won" else 0.0
    # At most one primary referrer each, and exactly one for whoever was referred.
    assert all(len(g) == 1 for g in primaries.values())
    assert set(primaries) == received
    parent = {referred: givers[0] for referred, givers in primaries.items()}
    for cid in ids:
        expected_up = _model_ancestors(parent, cid)  # asserts there is no cycle
        assert [(a.id, a.depth) for a in chain.ancestors(cid)] == expected_up
        got_down = chain.descendants(cid)
        assert {(d.id, d.depth, d.parent_id) for d in got_down} == _model_descendants(parent, cid)
        assert len(got_down) == len({d.id for d in got_down})
        for d in got_down:
            assert float(d.won_value) == pytest.approx(won[d.id])


@settings(max_examples=50, deadline=None)
@given(n=CONTACT_COUNT, operations=st.lists(OPERATION, min_size=10, max_size=40))
def test_primary_graph_stays_a_forest(n, operations):
    with tempfile.TemporaryDirectory() as folder:
        store = dbm.open_database(Path(folder) / f"{uuid.uuid4().hex}.sqlite3")
        try:
            ids = [person(f"C{i}") for i in range(n)]
            made: list[int] = []  # referral ids in creation order
            # Our own model of the forest, to predict what must be refused.
            parent: dict[int, int] = {}
            pairs: set[tuple[int, int]] = set()
            for op in operations:
                if op[0] in ("refer", "upward"):
                    giver = ids[op[1] % n]
                    if op[0] == "refer":
                        referred = ids[op[2] % n]
                    else:
                        line = [a for a, _ in _model_ancestors(parent, giver)]
                        if not line:
                            continue
                        referred = line[min(op[2], len(line) - 1)]
                    above = {a for a, _ in _model_ancestors(parent, giver)}
                    if giver == referred:
                        expect = "self"
                    elif (giver, referred) in pairs:
                        expect = "duplicate"
                    elif referred in parent:
                        expect = "secondary"
                    elif referred in above:
                        expect = "cycle"
                    else:
                        expect = "primary"
                    try:
                        ref = referrals.record_referral(giver, referred)
                    except ValidationError as exc:
                        assert expect in ("self", "duplicate", "cycle"), (expect, exc.message)
                        if expect == "cycle":
                            assert "cycle" in exc.message
                    else:
                        assert expect in ("secondary", "primary"), expect
                        assert ref.is_primary is (expect == "primary")
                        made.append(ref.id)
                        pairs.add((giver, referred))
                        if expect == "primary":
                            parent[referred] = giver
                elif op[0] == "primary" and made:
                    secondary = [r for r in made if not models.Referral.get_by_id(r).is_primary]
                    pool = secondary if op[2] and secondary else made
                    ref = models.Referral.get_by_id(pool[op[1] % len(pool)])
                    above = {a for a, _ in _model_ancestors(parent, ref.giver_id)}
                    try:
                        referrals.set_primary(ref.id)
                    except ValidationError as exc:
                        assert ref.is_primary or ref.referred_id in above, exc.message
                    else:
                        assert not ref.is_primary and ref.referred_id not in above
                        parent[ref.referred_id] = ref.giver_id
                elif op[0] == "win" and made:
                    ref_id = made[op[1] % len(made)]
                    try:
                        referrals.change_status(ref_id, "won", value=op[2])
                    except ValidationError as exc:
                        assert "already won" in exc.message
            _check_forest(ids)
        finally:
            store.close()
