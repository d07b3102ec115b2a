"""Demo data: a realistic, multilingual referral network to try the app on.

:func:`generate` fills an empty database with contacts in English, Greek,
Bulgarian, Italian and Arabic (native-script names, gendered family names,
local addresses, valid E.164 phone numbers), organizations, networking events
with attendance, a primary-referrer forest (a few big trees, chains up to 20
deep) with extra non-primary referrals, the status pipeline, follow-ups,
rewards, vouchers, history lines and the search index.

The content is deterministic for a seed on a given day: dates are relative to
``clock.today()`` so that follow-ups are current. It is fast (rows go in
with ``executemany`` in one transaction, secondary indexes are rebuilt once
at the end) and memory-conscious (contacts are made in chunks; what later
steps need about each contact is kept in compact arrays).

The demo is not part of the domain: it writes rows straight into an empty
SQLite file through the core's schema. This module holds the entry point;
:mod:`crm.demo.bulk` the load settings around it (pragmas, dropped and rebuilt
indexes, the demo's tags and sender profile). The rows are made by
:class:`crm.demo.generator.Generator`, built on :mod:`crm.demo.people`,
:mod:`crm.demo.referrals` and :mod:`crm.demo.values`; the vocabulary is in
:mod:`crm.demo.data` (a data table: long, but only data).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from random import Random
from typing import TYPE_CHECKING, Any

from crm.core import clock, search
from crm.core.errors import CancelledError, ValidationError
from crm.demo import bulk
from crm.demo.generator import Generator

if TYPE_CHECKING:
    from crm.core.db import Store

MAX_CONTACTS = 1_000_000
# What generate's summary counts, as the generator names them.
_COUNTED = (
    "contacts",
    "organizations",
    "events",
    "attendances",
    "referrals",
    "followups",
    "rewards",
    "vouchers",
)


def _check_count(contacts: object) -> int:
    if isinstance(contacts, bool) or not isinstance(contacts, int):
        raise ValidationError(
            code="demo.number_demo_contacts_whole", field="contacts", contacts=contacts
        )
    if not 1 <= contacts <= MAX_CONTACTS:
        raise ValidationError(
            code="demo.number_demo_contacts_between",
            field="contacts",
            max_contacts=MAX_CONTACTS,
            contacts=contacts,
        )
    return contacts


def generate(
    store: Store,
    contacts: int = 2000,
    seed: int = 1,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]:
    """Fill an empty SQLite database with a demo referral network of ``contacts`` people.

    Deterministic for a ``seed`` on a given day. ``progress(done, total)`` is
    called now and then; when it returns True the generation stops, the
    database is left exactly as it was and :class:`CancelledError` is raised.
    A database that holds contacts, or a count outside 1 to 1,000,000, is
    refused with a :class:`ValidationError`. Returns the counts of what was
    made and facts about the forest: its largest tree and its depth.
    """
    started = time.perf_counter()
    count = _check_count(contacts)
    if not getattr(store, "is_sqlite", False):
        return _generate_on_server(store, count, seed, progress)
    db = store.db
    existing = db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    if existing:
        raise ValidationError(code="demo.database_already_holds_contacts", existing=existing)
    conn = db.connection()
    total = count + max(count // 4, 1)

    def report(done: int) -> None:
        if progress is not None and progress(min(done, total), total):
            raise CancelledError(code="demo.demo_data_generation_cancelled")

    rng = Random(seed)
    gen = Generator(conn, rng, count, clock.today())
    saved = bulk.loading_pragmas(conn)
    try:
        with db.atomic():
            _load(gen, conn, rng, total, report)
    finally:
        bulk.restore_pragmas(conn, saved)
    root, root_size, deepest = gen.forest_summary()
    summary: dict[str, Any] = {name: gen.counts[name] for name in _COUNTED}
    summary |= {
        "largest_root_id": root,
        "largest_root_descendants": root_size,
        "deepest_depth": deepest,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return summary


def _load(
    gen: Generator, conn: Any, rng: Random, total: int, report: Callable[[int], None]
) -> None:
    """Run the generator's steps with the indexes dropped, then rebuild them."""
    count = gen.n
    report(0)
    indexes = bulk.drop_indexes(conn)
    base = {
        table: conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
        for table in ("contact", "organization", "event", "referral", "voucher")
    }
    tag_ids = bulk.tags(conn)
    gen.organizations(max(5, count // 8), base["organization"])
    gen.events(max(3, count // 50), base["event"])
    gen.contacts(base, tag_ids, report)
    step = max(1, (total - count) // (len(indexes) + 2))
    gen.attendances()
    gen.promote_ambassadors()
    bulk.profile(conn, rng)
    done = count + step
    report(done)
    for statement in indexes:
        conn.execute(statement)
        done += step
        report(done)
    # One merged search index answers short prefixes ("m") several times faster.
    conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
    report(total)


def _generate_on_server(
    store: Store, count: int, seed: int, progress: Callable[[int, int], bool | None] | None
) -> dict[str, Any]:
    """Demo data for a server's database: made in a SQLite copy of it, then copied back.

    The bulk loader writes SQLite's files directly; the copy keeps the
    profile, settings and tags the database had, and goes back in one
    transaction (a cancel leaves the server's database unchanged).
    """
    import tempfile
    from pathlib import Path

    from crm.core import copying
    from crm.core import db as dbm

    existing = store.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    if existing:
        raise ValidationError(
            f"The database already holds {existing} contacts; demo data goes into an empty database"
        )
    with tempfile.TemporaryDirectory(prefix="passaparola-demo-") as folder:
        local = str(Path(folder) / "demo.sqlite3")
        copying.copy_database(None, local, source_store=store)
        work = dbm.open_database(local)
        try:
            summary = generate(work, count, seed, progress)
        finally:
            work.close()
            models_proxy_rebind(store)
        copying.replace_contents(store, local)
    return summary


def models_proxy_rebind(store: Store) -> None:
    from crm.core import models

    models.database_proxy.initialize(store.db)
